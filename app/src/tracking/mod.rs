//! Public tracking (`/tra-cuu`): anyone with the dossier code and the last four digits of the
//! applicant's phone number sees where the dossier is and what to do now, without personal
//! data. Guessing is rate-limited per client address and per code; a successful look-up is
//! remembered in the session, so the code and digits never appear in an address.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;

#[cfg(feature = "ssr")]
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::routes::{tracked_url, TRACKING_PATH};
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
    /// The action's slug (`nop` for the submission) and the stored status after it.
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
    /// The stored status.
    pub status: String,
    pub received_at: String,
    pub due_date: String,
    pub promised_date: Option<String>,
    pub to_do: ToDo,
    pub steps: Vec<TrackedStep>,
}

#[cfg(feature = "ssr")]
const GRANTED_KEY: &str = "tracked_codes";

/// Remembers in the session that this visitor proved the code (the last 20 codes).
#[cfg(feature = "ssr")]
async fn grant(code: &str) -> Result<(), AppError> {
    let session = crate::auth::session().await?;
    let mut codes: Vec<String> = session.get(GRANTED_KEY).await.map_err(|_| AppError::Unavailable)?.unwrap_or_default();
    codes.retain(|c| c != code);
    codes.push(code.to_owned());
    let keep = codes.len().saturating_sub(20);
    session.insert(GRANTED_KEY, codes.split_off(keep)).await.map_err(|_| AppError::Unavailable)
}
