//! The server side of the second factor's pages: the code after the password, and setting it
//! up (QR code, first code, recovery codes shown once), renewing the recovery codes or turning
//! it off where the role allows.

use super::SecondFactorView;
use crate::auth::second_factor::{self, Checked, Enrolment};
use crate::auth::staff::{self, Staff};
use crate::auth::{session, session_error, StaffView};
use crate::error::AppError;
use crate::routes::{DESK_PATH, SECOND_FACTOR_PATH, STAFF_CODE_PATH, STAFF_SIGN_IN_PATH};
use crate::state::with_db;

/// Recovery codes just made, shown once on the next page.
const NEW_CODES_KEY: &str = "new_recovery_codes";

fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        query.append_pair(name, value);
    }
    format!("{path}?{}", query.finish())
}

fn desk_path(return_to: &str) -> String {
    match crate::security::local_path(return_to) {
        path if path.starts_with(DESK_PATH) => path,
        _ => DESK_PATH.to_owned(),
    }
}

/// The code after the password: right, the officer is signed in and goes on.
pub async fn code_at_sign_in(code: String, return_to: String) -> Result<(), AppError> {
    let return_to = desk_path(&return_to);
    let Some((staff_id, epoch)) = staff::awaiting_code().await? else {
        leptos_axum::redirect(&with_query(STAFF_SIGN_IN_PATH, &[("loi", "het-han"), ("tiep", &return_to)]));
        return Ok(());
    };
    let code: String = code.chars().take(40).collect();
    let checked = with_db(move |pool| async move { second_factor::verify(&pool, staff_id, &code).await }).await?;
    let next = match checked {
        Checked::Right => {
            staff::code_accepted(staff_id, epoch).await?;
            return_to
        }
        Checked::Wrong => with_query(STAFF_CODE_PATH, &[("loi", "sai"), ("tiep", &return_to)]),
        Checked::TooManyAttempts => with_query(STAFF_CODE_PATH, &[("loi", "qua-nhieu"), ("tiep", &return_to)]),
    };
    leptos_axum::redirect(&next);
    Ok(())
}

/// The settings page's officer: signed in, first password changed (the second factor may be
/// what is missing).
async fn officer() -> Result<Staff, AppError> {
    let staff = staff::current_staff().await?.ok_or(AppError::StaffSignInRequired)?;
    if staff.must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    Ok(staff)
}

pub async fn settings() -> Result<SecondFactorView, AppError> {
    let staff = officer().await?;
    let new_codes: Vec<String> =
        session().await?.remove(NEW_CODES_KEY).await.map_err(session_error)?.unwrap_or_default();
    let id = staff.id;
    let enrolment = with_db(move |pool| async move { second_factor::enrolment(&pool, id).await }).await?;
    let (setup, recovery_codes_left) = match enrolment {
        Enrolment::Active { recovery_codes_left } => (None, recovery_codes_left),
        Enrolment::Pending { secret } => (second_factor::app_setup(&secret, &staff.username), 0),
    };
    Ok(SecondFactorView {
        staff: StaffView::from(&staff),
        required: staff.needs_second_factor(),
        active: setup.is_none(),
        qr_svg: setup.as_ref().map(|(url, _)| crate::ui::qr_svg(url)).unwrap_or_default(),
        typed_secret: setup.map(|(_, typed)| typed).unwrap_or_default(),
        recovery_codes_left,
        new_codes,
    })
}

/// `what`: "bat" (the first code turns it on), "ma-moi" (new recovery codes), "tat" (off,
/// where the role allows). Each needs a current code.
pub async fn change(what: String, code: String) -> Result<(), AppError> {
    let staff = match officer().await {
        Err(error) => {
            let gate = crate::routes::staff_gate_url(&error, SECOND_FACTOR_PATH);
            leptos_axum::redirect(&gate.unwrap_or_else(|| STAFF_SIGN_IN_PATH.to_owned()));
            return Ok(());
        }
        Ok(staff) => staff,
    };
    if !["bat", "ma-moi", "tat"].contains(&what.as_str()) {
        return Err(AppError::NotFound("thao tác".into()));
    }
    if what == "tat" && staff.needs_second_factor() {
        return Err(AppError::Forbidden);
    }
    let (id, code): (_, String) = (staff.id, code.chars().take(40).collect());
    let confirming = what == "bat";
    let checked = with_db(move |pool| async move {
        if confirming {
            second_factor::confirm(&pool, id, &code).await
        } else {
            second_factor::verify(&pool, id, &code).await
        }
    })
    .await?;
    let next = match checked {
        Checked::Right => format!("{SECOND_FACTOR_PATH}?{}=1", done(&staff, &what).await?),
        Checked::Wrong => with_query(SECOND_FACTOR_PATH, &[("loi", "sai"), ("viec", &what)]),
        Checked::TooManyAttempts => with_query(SECOND_FACTOR_PATH, &[("loi", "qua-nhieu"), ("viec", &what)]),
    };
    leptos_axum::redirect(&next);
    Ok(())
}

/// After a right code: new recovery codes to show once (other sessions end when it is turned
/// on), or the second factor removed.
async fn done(staff: &Staff, what: &str) -> Result<&'static str, AppError> {
    let (id, turn_off, turned_on) = (staff.id, what == "tat", what == "bat");
    let (codes, epoch) = with_db(move |pool| async move {
        if turn_off {
            second_factor::remove(&pool, id).await?;
            return Ok((Vec::new(), None));
        }
        let epoch = if turned_on { Some(crate::auth::accounts::end_sessions(&pool, id).await?) } else { None };
        Ok((second_factor::new_recovery_codes(&pool, id).await?, epoch))
    })
    .await?;
    if let Some(epoch) = epoch {
        staff::code_accepted(id, epoch).await?;
    }
    session().await?.insert(NEW_CODES_KEY, codes).await.map_err(session_error)?;
    Ok(match what {
        "bat" => "da-bat",
        "tat" => "da-tat",
        _ => "ma-moi",
    })
}
