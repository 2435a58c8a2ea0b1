//! Who is asking: the signed-in citizen or officer, from one session helper. Every server
//! function asks this module before it reads a body or does any work.

#[cfg(feature = "ssr")]
pub mod accounts;
#[cfg(feature = "ssr")]
pub mod citizen;
#[cfg(feature = "ssr")]
pub mod national_id;
#[cfg(feature = "ssr")]
pub mod second_factor;
#[cfg(feature = "ssr")]
pub mod staff;

use crate::domain::dossier_status::Role;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in officer, for the staff pages' header.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StaffView {
    pub full_name: String,
    pub agency_name: String,
    pub roles: Vec<Role>,
}

#[cfg(feature = "ssr")]
impl From<&staff::Staff> for StaffView {
    fn from(staff: &staff::Staff) -> Self {
        Self { full_name: staff.full_name.clone(), agency_name: staff.agency_name.clone(), roles: staff.roles.clone() }
    }
}

#[server(endpoint = "can-bo/dang-xuat")]
pub async fn staff_sign_out() -> Result<(), AppError> {
    staff::end().await?;
    leptos_axum::redirect(crate::routes::STAFF_SIGN_IN_PATH);
    Ok(())
}

/// The agencies an administrator manages: their own (`$1`) and every agency under it, as a
/// `tree` of ids for the statement that follows.
#[cfg(feature = "ssr")]
pub(crate) const ADMIN_TREE: &str = "WITH RECURSIVE tree AS (SELECT id FROM agencies WHERE id = $1 \
     UNION ALL SELECT a.id FROM agencies a JOIN tree t ON a.parent_id = t.id)";

/// The request's session (the session layer puts it on every request).
#[cfg(feature = "ssr")]
pub(crate) async fn session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract::<tower_sessions::Session>().await.map_err(|error| {
        tracing::error!(%error, "session layer missing");
        AppError::Unavailable
    })
}

#[cfg(feature = "ssr")]
pub(crate) fn session_error(error: tower_sessions::session::Error) -> AppError {
    tracing::error!(%error, "session store failed");
    AppError::Unavailable
}
