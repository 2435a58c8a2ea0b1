//! Public tracking (`/tra-cuu`): anyone with the dossier code and the last four digits of the
//! applicant's phone number sees where the dossier is and what to do now, without personal
//! data. Guessing is rate-limited per client address and per code; a successful look-up is
//! remembered in the session, so the code and digits never appear in an address.

#[cfg(feature = "ssr")]
pub mod db;
mod pages;

pub use pages::{TrackedPage, TrackingPage};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::routes::{tracked_url, TRACKING_PATH};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ToDo {
    Wait,
    Supplement { documents: Vec<String>, note: String },
    Pay { amount: String },
    Collect { agency: String },
    Done,
    Refused { reason: String },
    Stopped { reason: String },
    Withdrawn,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrackedStep {
    pub at: String,
    pub action: String,
    pub status: String,
    pub agency: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrackedDossier {
    pub code: String,
    pub procedure_name: String,
    pub receiving_agency: String,
    pub handling_agency: String,
    pub status_label: String,
    pub received_at: String,
    pub due_date: String,
    pub promised_date: Option<String>,
    pub to_do: ToDo,
    pub steps: Vec<TrackedStep>,
}

#[cfg(feature = "ssr")]
const GRANTED_KEY: &str = "tracked_codes";

/// Checks the code and digits; on success the dossier's page opens, otherwise the form comes
/// back with a message and the code typed.
#[server(endpoint = "tra-cuu")]
pub async fn look_up_dossier(ma: String, so_cuoi: String) -> Result<(), AppError> {
    use db::LookUp;
    let code: String = ma.trim().to_uppercase().chars().take(60).collect();
    let digits: String = so_cuoi.chars().filter(char::is_ascii_digit).collect();
    let again = |slug: &str| {
        let query =
            form_urlencoded::Serializer::new(String::new()).append_pair("ma", &code).append_pair("loi", slug).finish();
        format!("{TRACKING_PATH}?{query}#loi")
    };
    let next = if !crate::domain::dossier_code::looks_like_dossier_code(&code) {
        again("ma")
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
async fn session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract::<tower_sessions::Session>().await.map_err(|_| AppError::Unavailable)
}

/// Remembers in the session that this visitor proved the code (the last 20 codes).
#[cfg(feature = "ssr")]
async fn grant(code: &str) -> Result<(), AppError> {
    let session = session().await?;
    let mut codes: Vec<String> = session.get(GRANTED_KEY).await.map_err(|_| AppError::Unavailable)?.unwrap_or_default();
    codes.retain(|c| c != code);
    codes.push(code.to_owned());
    let keep = codes.len().saturating_sub(20);
    session.insert(GRANTED_KEY, codes.split_off(keep)).await.map_err(|_| AppError::Unavailable)
}

/// The dossier, to a visitor who proved its code in this session or to its signed-in applicant.
#[server(endpoint = "tra-cuu/ho-so")]
pub async fn load_tracked_dossier(code: String) -> Result<TrackedDossier, AppError> {
    let granted: Vec<String> =
        session().await?.get(GRANTED_KEY).await.map_err(|_| AppError::Unavailable)?.unwrap_or_default();
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
