//! The server functions of this feature: authenticate, authorise, then hand over to the
//! feature's server side.

#[allow(unused_imports)]
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

/// Checks the code and digits; on success the dossier's page opens, otherwise the form comes
/// back with a message and the code typed.
#[server(endpoint = "tra-cuu")]
pub async fn look_up_dossier(ma: String, so_cuoi: String) -> Result<(), AppError> {
    use db::LookUp;
    let typed: String = ma.trim().chars().take(60).collect();
    let digits: String = so_cuoi.chars().filter(char::is_ascii_digit).collect();
    let again = |slug: &str| {
        let query =
            form_urlencoded::Serializer::new(String::new()).append_pair("ma", &typed).append_pair("loi", slug).finish();
        format!("{TRACKING_PATH}?{query}#loi")
    };
    let Some(compact) = crate::domain::dossier_code::compact_code(&typed) else {
        leptos_axum::redirect(&again("ma"));
        return Ok(());
    };
    let (lookup, exact) = (compact.clone(), typed.clone());
    // An unknown code is checked (and counted) under its compact form: the answer is the same.
    let code = crate::state::with_db(move |pool| async move { db::stored_code(&pool, &lookup, &exact).await })
        .await?
        .unwrap_or(compact);
    let next = if own_dossier(&code).await? {
        // Its signed-in applicant needs no digits, so strangers' guesses never lock them out.
        grant(&code).await?;
        tracked_url(&code)
    } else if digits.len() != 4 {
        again("so")
    } else {
        let (lookup, client) = (code.clone(), crate::security::client_address());
        let found =
            crate::state::with_db(move |pool| async move { db::look_up(&pool, &lookup, &digits, &client).await })
                .await?;
        match found {
            LookUp::Found => {
                grant(&code).await?;
                tracked_url(&code)
            }
            LookUp::NotMatched => again("khong-khop"),
            LookUp::TooManyAttempts => again("qua-nhieu"),
        }
    };
    leptos_axum::redirect(&next);
    Ok(())
}

#[cfg(feature = "ssr")]
async fn own_dossier(code: &str) -> Result<bool, AppError> {
    let Some(citizen) = crate::auth::citizen::current_citizen().await? else { return Ok(false) };
    let code = code.to_owned();
    crate::state::with_db(move |pool| async move { db::is_applicant(&pool, &code, citizen.id).await }).await
}

/// The dossier, to a visitor who proved its code in this session or to its signed-in applicant.
#[server(endpoint = "tra-cuu/ho-so")]
pub async fn load_tracked_dossier(code: String) -> Result<TrackedDossier, AppError> {
    let granted: Vec<String> =
        crate::auth::session().await?.get(GRANTED_KEY).await.map_err(|_| AppError::Unavailable)?.unwrap_or_default();
    let owner = crate::auth::citizen::current_citizen().await?;
    let lookup = code.clone();
    let (dossier, owned) = crate::state::with_db(move |pool| async move {
        let owned = match owner {
            Some(citizen) => db::is_applicant(&pool, &lookup, citizen.id).await?,
            None => false,
        };
        Ok((db::tracked(&pool, &lookup).await?, owned))
    })
    .await?;
    match dossier {
        Some(dossier) if owned || granted.contains(&code) => Ok(dossier),
        _ => Err(AppError::NotFound("hồ sơ".into())),
    }
}
