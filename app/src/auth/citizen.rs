//! Who the visitor is. Every flow asks this module for the signed-in citizen; today the
//! identity comes from a phone number proven by a one-time code, and a national identity
//! provider (OpenID Connect) can later establish the same [`Citizen`] without touching the flows.
//! It is the one writer of `citizens`.

use super::{session, session_error};
use crate::domain::phone::PhoneNumber;
use crate::error::AppError;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use uuid::Uuid;

/// A session ends this long after sign-in, however active it was.
pub const ABSOLUTE_TIMEOUT_SECS: i64 = 12 * 60 * 60;

const CITIZEN_KEY: &str = "citizen";
const PENDING_KEY: &str = "pending_sign_in";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citizen {
    pub id: Uuid,
    pub phone: PhoneNumber,
}

#[derive(Debug, Serialize, Deserialize)]
struct SignedIn {
    citizen_id: Uuid,
    phone: String,
    signed_in_at: i64,
}

/// A sign-in under way: the number a code was sent to and where to go afterwards.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingSignIn {
    pub phone: String,
    pub return_to: String,
}

/// The signed-in citizen, if any (and if the session has not outlived its absolute timeout).
pub async fn current_citizen() -> Result<Option<Citizen>, AppError> {
    citizen_of(&session().await?).await
}

/// The same, for plain axum handlers that extract the session themselves.
pub async fn citizen_of(session: &Session) -> Result<Option<Citizen>, AppError> {
    let Some(signed_in) = session.get::<SignedIn>(CITIZEN_KEY).await.map_err(session_error)? else {
        return Ok(None);
    };
    if Utc::now().timestamp() - signed_in.signed_in_at > ABSOLUTE_TIMEOUT_SECS {
        session.flush().await.map_err(session_error)?;
        return Ok(None);
    }
    Ok(Some(Citizen { id: signed_in.citizen_id, phone: PhoneNumber::from_stored(signed_in.phone) }))
}

pub async fn require_citizen() -> Result<Citizen, AppError> {
    current_citizen().await?.ok_or(AppError::SignInRequired)
}

/// Starts a signed-in session under a new id (the old id, known before sign-in, dies).
pub async fn establish(citizen: &Citizen) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await.map_err(session_error)?;
    session.remove::<PendingSignIn>(PENDING_KEY).await.map_err(session_error)?;
    let signed_in =
        SignedIn { citizen_id: citizen.id, phone: citizen.phone.to_string(), signed_in_at: Utc::now().timestamp() };
    session.insert(CITIZEN_KEY, signed_in).await.map_err(session_error)
}

pub async fn end() -> Result<(), AppError> {
    session().await?.flush().await.map_err(session_error)
}

pub async fn remember_pending(pending: PendingSignIn) -> Result<(), AppError> {
    session().await?.insert(PENDING_KEY, pending).await.map_err(session_error)
}

pub async fn pending() -> Result<Option<PendingSignIn>, AppError> {
    session().await?.get(PENDING_KEY).await.map_err(session_error)
}

/// The citizen's address for e-mail notices, if any.
pub async fn notification_email(pool: &sqlx::PgPool, citizen_id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT email FROM citizens WHERE id = $1").bind(citizen_id).fetch_one(pool).await
}

/// Sets or (with `None`) removes the address for e-mail notices.
pub async fn set_notification_email(
    pool: &sqlx::PgPool,
    citizen_id: Uuid,
    email: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE citizens SET email = $2 WHERE id = $1").bind(citizen_id).bind(email).execute(pool).await?;
    Ok(())
}

/// The citizen account of this phone number, created at its first sign-in, marked signed in now.
pub async fn signed_in_now(tx: &mut sqlx::Transaction<'_, sqlx::Postgres>, phone: &str) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO citizens (id, phone, last_signed_in_at) VALUES ($1, $2, now()) \
         ON CONFLICT (phone) DO UPDATE SET last_signed_in_at = now() RETURNING id",
    )
    .bind(Uuid::new_v4())
    .bind(phone)
    .fetch_one(&mut **tx)
    .await
}

/// The citizen account of this phone number, created if the citizen has none yet (an officer
/// files for them at the counter; they see the dossier when they sign in).
pub async fn by_phone(tx: &mut sqlx::Transaction<'_, sqlx::Postgres>, phone: &str) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO citizens (id, phone) VALUES ($1, $2) ON CONFLICT (phone) DO UPDATE SET phone = EXCLUDED.phone RETURNING id",
    )
    .bind(Uuid::new_v4())
    .bind(phone)
    .fetch_one(&mut **tx)
    .await
}
