//! Who the visitor is. Every flow asks this module for the signed-in citizen: a phone number
//! proven by a one-time code, or the national digital identity (OpenID Connect,
//! `national_id.rs`) asserted for an account whose phone number was proven once, when the two
//! were linked. It is the one writer of `citizens`.

use super::national_id::{Asserted, Started};
use super::{session, session_error};
use crate::domain::identity_prefill::IdentityFacts;
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
const STARTED_KEY: &str = "national_id_started";
const TO_LINK_KEY: &str = "national_id_to_link";

/// How sure the portal is of who the citizen is: their phone number was proven, or the national
/// digital identity asserted them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Assurance {
    #[default]
    Phone,
    NationalIdentity,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citizen {
    pub id: Uuid,
    pub phone: PhoneNumber,
    pub assurance: Assurance,
}

#[derive(Debug, Serialize, Deserialize)]
struct SignedIn {
    citizen_id: Uuid,
    phone: String,
    signed_in_at: i64,
    #[serde(default)]
    assurance: Assurance,
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
    Ok(Some(Citizen {
        id: signed_in.citizen_id,
        phone: PhoneNumber::from_stored(signed_in.phone),
        assurance: signed_in.assurance,
    }))
}

pub async fn require_citizen() -> Result<Citizen, AppError> {
    current_citizen().await?.ok_or(AppError::SignInRequired)
}

/// Starts a signed-in session under a new id (the old id, known before sign-in, dies).
pub async fn establish(citizen: &Citizen) -> Result<(), AppError> {
    establish_in(&session().await?, citizen).await
}

/// A sign-in through the identity provider under way (its state, nonce and PKCE verifier).
pub async fn remember_started(session: &Session, started: &Started) -> Result<(), AppError> {
    session.insert(STARTED_KEY, started).await.map_err(session_error)
}

/// The sign-in under way, taken: a callback is answered once.
pub async fn take_started(session: &Session) -> Result<Option<Started>, AppError> {
    session.remove(STARTED_KEY).await.map_err(session_error)
}

/// An identity the provider asserted, waiting for the citizen to prove a phone number.
pub async fn remember_to_link(session: &Session, asserted: &Asserted) -> Result<(), AppError> {
    session.insert(TO_LINK_KEY, asserted).await.map_err(session_error)
}

pub async fn to_link() -> Result<Option<Asserted>, AppError> {
    session().await?.get(TO_LINK_KEY).await.map_err(session_error)
}

/// The same, for plain axum handlers that extract the session themselves.
pub async fn establish_in(session: &Session, citizen: &Citizen) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session.remove::<PendingSignIn>(PENDING_KEY).await.map_err(session_error)?;
    session.remove::<Asserted>(TO_LINK_KEY).await.map_err(session_error)?;
    let signed_in = SignedIn {
        citizen_id: citizen.id,
        phone: citizen.phone.to_string(),
        signed_in_at: Utc::now().timestamp(),
        assurance: citizen.assurance,
    };
    session.insert(CITIZEN_KEY, signed_in).await.map_err(session_error)
}

/// The account holding this personal ID number: its id and phone number.
pub async fn by_national_id(pool: &sqlx::PgPool, id_number: &str) -> Result<Option<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, phone FROM citizens WHERE national_id = $1").bind(id_number).fetch_optional(pool).await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linked {
    /// The account now holds the ID number (or held it already); the provider's data is refreshed.
    Linked,
    /// The account is linked to another ID number, or the ID number to another account.
    ToAnother,
}

/// Links an account whose phone number was proven to the identity the provider asserted in the
/// same session, never replacing another ID number; refreshes the data the provider gives.
pub async fn link_national_id(
    pool: &sqlx::PgPool,
    citizen_id: Uuid,
    asserted: &Asserted,
) -> Result<Linked, sqlx::Error> {
    let data = serde_json::json!({
        "ho_ten": asserted.full_name,
        "ngay_sinh": asserted.birthdate,
        "dia_chi": asserted.address,
    });
    let linked = sqlx::query(
        "UPDATE citizens SET national_id = $2, identity_data = $3, identity_checked_at = now() \
         WHERE id = $1 AND (national_id IS NULL OR national_id = $2) \
           AND NOT EXISTS (SELECT 1 FROM citizens o WHERE o.national_id = $2 AND o.id <> $1)",
    )
    .bind(citizen_id)
    .bind(&asserted.id_number)
    .bind(data)
    .execute(pool)
    .await;
    match linked {
        Ok(done) if done.rows_affected() == 1 => Ok(Linked::Linked),
        Ok(_) => Ok(Linked::ToAnother),
        // Two links of one ID number at once: the unique index lets one win.
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Ok(Linked::ToAnother),
        Err(error) => Err(error),
    }
}

/// What the identity provider asserted at the citizen's last sign-in through it: for
/// pre-filling forms during that signed-in session, which lasts no longer than
/// [`ABSOLUTE_TIMEOUT_SECS`].
pub async fn identity_facts(pool: &sqlx::PgPool, citizen_id: Uuid) -> Result<Option<IdentityFacts>, sqlx::Error> {
    let row: Option<(String, serde_json::Value)> = sqlx::query_as(
        "SELECT national_id, identity_data FROM citizens WHERE id = $1 AND identity_data IS NOT NULL \
           AND identity_checked_at > now() - make_interval(secs => $2)",
    )
    .bind(citizen_id)
    .bind(ABSOLUTE_TIMEOUT_SECS as f64)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(id_number, data)| {
        let text = |key: &str| data.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        IdentityFacts {
            id_number,
            full_name: text("ho_ten"),
            birth_date: text("ngay_sinh").and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            address: text("dia_chi"),
        }
    }))
}

/// Forgets the name, date of birth and address the provider gave once no session signed in
/// with it can still use them; the ID number stays, as the account's identity.
pub async fn forget_identity_data(pool: &sqlx::PgPool) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "UPDATE citizens SET identity_data = NULL WHERE identity_data IS NOT NULL \
           AND identity_checked_at <= now() - make_interval(secs => $1)",
    )
    .bind(ABSOLUTE_TIMEOUT_SECS as f64)
    .execute(pool)
    .await
    .map(|done| done.rows_affected())
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
