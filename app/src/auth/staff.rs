//! The signed-in officer of every staff request. Every request re-reads the account, so
//! disabling it or changing its password ends every session it had.

use super::{session, session_error};
use crate::domain::dossier_status::Role;
use crate::error::AppError;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tower_sessions::Session;
use uuid::Uuid;

const STAFF_KEY: &str = "staff";
/// A staff session ends this long after sign-in, however active it was (one working day).
const ABSOLUTE_TIMEOUT_SECS: i64 = 10 * 60 * 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub id: Uuid,
    pub username: String,
    pub full_name: String,
    pub agency_id: i64,
    pub agency_name: String,
    pub roles: Vec<Role>,
    pub must_change_password: bool,
    /// The account has a confirmed second factor (TOTP).
    pub second_factor: bool,
}

impl Staff {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Leaders and administrators read every dossier of their tree or change who may do what:
    /// a password alone is not enough for them.
    pub fn needs_second_factor(&self) -> bool {
        self.has(Role::Leader) || self.has(Role::Admin)
    }

    /// Why the officer may not work yet (first password, second factor to set up), if so.
    pub fn not_ready(&self) -> Option<AppError> {
        if self.must_change_password {
            Some(AppError::PasswordChangeRequired)
        } else if self.needs_second_factor() && !self.second_factor {
            Some(AppError::SecondFactorRequired)
        } else {
            None
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct SignedIn {
    staff_id: Uuid,
    epoch: i32,
    signed_in_at: i64,
}

/// A signed-in password waiting for the second factor's code.
#[derive(Debug, Serialize, Deserialize)]
struct AwaitingCode {
    staff_id: Uuid,
    epoch: i32,
    at: i64,
}

const AWAITING_KEY: &str = "staff_awaiting_code";
/// The code must follow the password within this time.
const AWAITING_SECS: i64 = 5 * 60;

type StaffRow = (Uuid, String, String, i64, String, Vec<String>, bool, bool, i32, bool);

async fn load(pool: &PgPool, id: Uuid) -> Result<Option<(Staff, i32, bool)>, sqlx::Error> {
    let row: Option<StaffRow> = sqlx::query_as(
        "SELECT u.id, u.username, u.full_name, u.agency_id, a.name, u.roles, u.must_change_password, \
           f.confirmed_at IS NOT NULL, u.session_epoch, u.disabled_at IS NOT NULL \
         FROM staff_users u JOIN agencies a ON a.id = u.agency_id \
         LEFT JOIN staff_second_factors f ON f.staff_id = u.id WHERE u.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(
        |(id, username, full_name, agency_id, agency_name, roles, must_change, second_factor, epoch, disabled)| {
            let roles = roles.iter().filter_map(|r| Role::from_db(r)).collect();
            (
                Staff {
                    id,
                    username,
                    full_name,
                    agency_id,
                    agency_name,
                    roles,
                    must_change_password: must_change,
                    second_factor,
                },
                epoch,
                disabled,
            )
        },
    ))
}

/// The signed-in officer, if the account is still enabled and the session still current.
pub async fn current_staff() -> Result<Option<Staff>, AppError> {
    let pool = leptos::prelude::use_context::<PgPool>().ok_or(AppError::Unavailable)?;
    staff_with_pool(&session().await?, &pool).await
}

/// The same, for plain axum handlers that extract the session and the pool themselves.
pub async fn staff_with_pool(session: &Session, pool: &PgPool) -> Result<Option<Staff>, AppError> {
    let Some(signed_in) = session.get::<SignedIn>(STAFF_KEY).await.map_err(session_error)? else {
        return Ok(None);
    };
    // Its own task, like `with_db`: the page renderer may stop polling this future.
    let pool = pool.clone();
    let staff = tokio::spawn(async move { load(&pool, signed_in.staff_id).await })
        .await
        .map_err(|_| AppError::Unavailable)??;
    let expired = Utc::now().timestamp() - signed_in.signed_in_at > ABSOLUTE_TIMEOUT_SECS;
    match staff {
        Some((staff, epoch, false)) if epoch == signed_in.epoch && !expired => Ok(Some(staff)),
        _ => {
            session.remove::<SignedIn>(STAFF_KEY).await.map_err(session_error)?;
            Ok(None)
        }
    }
}

/// The signed-in officer who has changed the first password and set up the second factor where
/// the role needs one; otherwise the error that sends them to sign in or to do that first.
pub async fn require_staff() -> Result<Staff, AppError> {
    let staff = current_staff().await?.ok_or(AppError::StaffSignInRequired)?;
    match staff.not_ready() {
        Some(error) => Err(error),
        None => Ok(staff),
    }
}

/// The officer, or `None` after sending them where they must go first (sign-in, the first
/// password, the second factor) and then back `here`: for server functions posted by forms.
pub fn gated(staff: Result<Staff, AppError>, here: &str) -> Result<Option<Staff>, AppError> {
    match staff {
        Err(error) => match crate::routes::staff_gate_url(&error, here) {
            Some(gate) => {
                leptos_axum::redirect(&gate);
                Ok(None)
            }
            None => Err(error),
        },
        Ok(staff) => Ok(Some(staff)),
    }
}

pub async fn require_role(role: Role) -> Result<Staff, AppError> {
    let staff = require_staff().await?;
    if staff.has(role) {
        Ok(staff)
    } else {
        Err(AppError::Forbidden)
    }
}

pub(crate) async fn establish(staff_id: Uuid, epoch: i32) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await.map_err(session_error)?;
    let signed_in = SignedIn { staff_id, epoch, signed_in_at: Utc::now().timestamp() };
    session.insert(STAFF_KEY, signed_in).await.map_err(session_error)
}

/// The password was right and the account has a second factor: wait for its code, signed out.
pub(crate) async fn await_code(staff_id: Uuid, epoch: i32) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await.map_err(session_error)?;
    session.remove::<SignedIn>(STAFF_KEY).await.map_err(session_error)?;
    let awaiting = AwaitingCode { staff_id, epoch, at: Utc::now().timestamp() };
    session.insert(AWAITING_KEY, awaiting).await.map_err(session_error)
}

/// The account whose password was typed in the last five minutes, waiting for its code.
pub(crate) async fn awaiting_code() -> Result<Option<(Uuid, i32)>, AppError> {
    let awaiting = session().await?.get::<AwaitingCode>(AWAITING_KEY).await.map_err(session_error)?;
    Ok(awaiting.filter(|a| Utc::now().timestamp() - a.at <= AWAITING_SECS).map(|a| (a.staff_id, a.epoch)))
}

/// The code was right: the officer is signed in.
pub(crate) async fn code_accepted(staff_id: Uuid, epoch: i32) -> Result<(), AppError> {
    session().await?.remove::<AwaitingCode>(AWAITING_KEY).await.map_err(session_error)?;
    establish(staff_id, epoch).await
}

pub async fn end() -> Result<(), AppError> {
    session().await?.flush().await.map_err(session_error)
}
