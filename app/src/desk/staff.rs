//! Staff accounts: password sign-in (argon2id, rate limited per account and client address,
//! never locked), the signed-in officer of every desk request, and password changes.
//! Every request re-reads the account, so disabling it or changing its password ends every
//! session it had.

use crate::domain::dossier_status::Role;
use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tower_sessions::Session;
use uuid::Uuid;

const STAFF_KEY: &str = "staff";
/// A staff session ends this long after sign-in, however active it was (one working day).
const ABSOLUTE_TIMEOUT_SECS: i64 = 10 * 60 * 60;
/// Failed sign-ins allowed per account from one address in 15 minutes.
const FAILURES_PER_ACCOUNT_AND_CLIENT: i64 = 5;
/// Failed sign-ins allowed from one address in an hour, whatever the account.
const FAILURES_PER_CLIENT: i64 = 30;
pub const MIN_PASSWORD_CHARS: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub id: Uuid,
    pub username: String,
    pub full_name: String,
    pub agency_id: i64,
    pub agency_name: String,
    pub roles: Vec<Role>,
    pub must_change_password: bool,
}

impl Staff {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct SignedIn {
    staff_id: Uuid,
    epoch: i32,
    signed_in_at: i64,
}

async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|error| {
        tracing::error!(%error, "session layer missing");
        AppError::Unavailable
    })
}

fn session_error(error: tower_sessions::session::Error) -> AppError {
    tracing::error!(%error, "session store failed");
    AppError::Unavailable
}

type StaffRow = (Uuid, String, String, i64, String, Vec<String>, bool, i32, bool);

async fn load(pool: &PgPool, id: Uuid) -> Result<Option<(Staff, i32, bool)>, sqlx::Error> {
    let row: Option<StaffRow> = sqlx::query_as(
        "SELECT u.id, u.username, u.full_name, u.agency_id, a.name, u.roles, u.must_change_password, \
           u.session_epoch, u.disabled_at IS NOT NULL \
         FROM staff_users u JOIN agencies a ON a.id = u.agency_id WHERE u.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(id, username, full_name, agency_id, agency_name, roles, must_change, epoch, disabled)| {
        let roles = roles.iter().filter_map(|r| Role::from_db(r)).collect();
        (
            Staff { id, username, full_name, agency_id, agency_name, roles, must_change_password: must_change },
            epoch,
            disabled,
        )
    }))
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

/// The signed-in officer who has changed the first password; otherwise the error that sends
/// them to sign in or to change it.
pub async fn require_staff() -> Result<Staff, AppError> {
    let staff = current_staff().await?.ok_or(AppError::StaffSignInRequired)?;
    if staff.must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    Ok(staff)
}

pub async fn require_role(role: Role) -> Result<Staff, AppError> {
    let staff = require_staff().await?;
    if staff.has(role) {
        Ok(staff)
    } else {
        Err(AppError::Forbidden)
    }
}

async fn establish(staff_id: Uuid, epoch: i32) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await.map_err(session_error)?;
    let signed_in = SignedIn { staff_id, epoch, signed_in_at: Utc::now().timestamp() };
    session.insert(STAFF_KEY, signed_in).await.map_err(session_error)
}

pub async fn end() -> Result<(), AppError> {
    session().await?.flush().await.map_err(session_error)
}

pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// A temporary password to read out or hand over (12 characters, no look-alikes: about 59
/// bits), valid until the first sign-in changes it.
pub fn temporary_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..12).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
}

/// Argon2 takes tens of milliseconds of CPU: off the async workers.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work).await.map_err(|error| {
        tracing::error!(%error, "password hashing task failed");
        AppError::Unavailable
    })
}

/// A hash to verify against when the account does not exist, so that the answer takes as
/// long as for a real account.
static DECOY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("decoy password never used").unwrap_or_default());

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignIn {
    SignedIn { must_change_password: bool },
    Wrong,
    TooManyAttempts,
}

pub async fn sign_in(username: &str, password: String, client: String) -> Result<SignIn, AppError> {
    let username = username.trim().to_lowercase();
    let lookup = (username.clone(), client.clone());
    let (recent, account) = crate::state::with_db(move |pool| async move {
        let recent = recent_failures(&pool, &lookup.0, &lookup.1).await?;
        let account: Option<(Uuid, String, i32, bool)> = sqlx::query_as(
            "SELECT id, password_hash, session_epoch, must_change_password FROM staff_users \
             WHERE username = $1 AND disabled_at IS NULL",
        )
        .bind(&lookup.0)
        .fetch_optional(&pool)
        .await?;
        Ok((recent, account))
    })
    .await?;
    if recent.0 >= FAILURES_PER_ACCOUNT_AND_CLIENT || recent.1 >= FAILURES_PER_CLIENT {
        return Ok(SignIn::TooManyAttempts);
    }
    let stored = account.as_ref().map_or_else(|| DECOY_HASH.clone(), |a| a.1.clone());
    let matches = blocking(move || password_matches(&password, &stored)).await? && account.is_some();
    let record = (username, client);
    crate::state::with_db(move |pool| async move {
        sqlx::query("INSERT INTO staff_sign_in_attempts (username, client_address, succeeded) VALUES ($1, $2, $3)")
            .bind(&record.0)
            .bind(&record.1)
            .bind(matches)
            .execute(&pool)
            .await
    })
    .await?;
    match account {
        Some((id, _, epoch, must_change_password)) if matches => {
            establish(id, epoch).await?;
            Ok(SignIn::SignedIn { must_change_password })
        }
        _ => Ok(SignIn::Wrong),
    }
}

/// Failures for this account from this address in 15 minutes, and from this address in an hour.
async fn recent_failures(pool: &PgPool, username: &str, client: &str) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT count(*) FILTER (WHERE username = $1 AND at > now() - interval '15 minutes'), count(*) \
         FROM staff_sign_in_attempts WHERE client_address = $2 AND NOT succeeded AND at > now() - interval '1 hour'",
    )
    .bind(username)
    .bind(client)
    .fetch_one(pool)
    .await
}

/// Sign-in attempts older than a day (the limits look back an hour at most).
pub async fn forget_old_attempts(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM staff_sign_in_attempts WHERE at < now() - interval '1 day'").execute(pool).await?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordChange {
    Changed,
    WrongCurrent,
    TooShort,
    Mismatch,
    SameAsBefore,
}

/// Changes the signed-in officer's password; other sessions of the account end, this one
/// continues under a new id.
pub async fn change_password(current: String, new: String, repeated: String) -> Result<PasswordChange, AppError> {
    let staff = current_staff().await?.ok_or(AppError::StaffSignInRequired)?;
    if new.chars().count() < MIN_PASSWORD_CHARS {
        return Ok(PasswordChange::TooShort);
    }
    if new != repeated {
        return Ok(PasswordChange::Mismatch);
    }
    if new == current {
        return Ok(PasswordChange::SameAsBefore);
    }
    let id = staff.id;
    let stored: String = crate::state::with_db(move |pool| async move {
        sqlx::query_scalar("SELECT password_hash FROM staff_users WHERE id = $1").bind(id).fetch_one(&pool).await
    })
    .await?;
    if !blocking(move || password_matches(&current, &stored)).await? {
        return Ok(PasswordChange::WrongCurrent);
    }
    let hash = blocking(move || hash_password(&new)).await?.map_err(|error| {
        tracing::error!(%error, "password hashing failed");
        AppError::Unavailable
    })?;
    let epoch: i32 = crate::state::with_db(move |pool| async move {
        sqlx::query_scalar(
            "UPDATE staff_users SET password_hash = $2, must_change_password = false, \
             session_epoch = session_epoch + 1 WHERE id = $1 RETURNING session_epoch",
        )
        .bind(id)
        .bind(hash)
        .fetch_one(&pool)
        .await
    })
    .await?;
    establish(id, epoch).await?;
    Ok(PasswordChange::Changed)
}

/// The password of every demo account (the demo data says so on every page).
pub const DEMO_PASSWORD: &str = "demo-mot-cua";

/// Demo accounts: (username, name, agency identifier, roles).
const DEMO_STAFF: [(&str, &str, &str, &[&str]); 6] = [
    ("tiepnhan.giavien", "Nguyễn Thị Lan (minh hoạ)", "DEMO.NB.03", &["tiep_nhan"]),
    ("xuly.giavien", "Trần Văn Minh (minh hoạ)", "DEMO.NB.03", &["xu_ly"]),
    ("lanhdao.giavien", "Phạm Quốc Hùng (minh hoạ)", "DEMO.NB.03", &["lanh_dao"]),
    ("canbo.hoalu", "Đỗ Minh Anh (minh hoạ)", "DEMO.NB.01", &["tiep_nhan", "xu_ly"]),
    ("xuly.tinh", "Lê Thu Hà (minh hoạ)", "DEMO.NB.TTPV", &["tiep_nhan", "xu_ly"]),
    ("quantri", "Quản trị hệ thống (minh hoạ)", "DEMO.NB", &["quan_tri"]),
];

/// Creates the demo staff accounts once (with demo data only).
pub async fn seed_demo_staff(pool: &PgPool) -> Result<(), sqlx::Error> {
    let present: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM staff_users WHERE username = $1)")
        .bind(DEMO_STAFF[0].0)
        .fetch_one(pool)
        .await?;
    if present {
        return Ok(());
    }
    let hash = tokio::task::spawn_blocking(|| hash_password(DEMO_PASSWORD))
        .await
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    for (username, name, agency, roles) in DEMO_STAFF {
        sqlx::query(
            "INSERT INTO staff_users (id, username, full_name, agency_id, roles, password_hash, must_change_password) \
             SELECT $1, $2, $3, id, $5, $6, false FROM agencies WHERE identifier = $4 ON CONFLICT (username) DO NOTHING",
        )
        .bind(Uuid::new_v4())
        .bind(username)
        .bind(name)
        .bind(agency)
        .bind(roles)
        .bind(&hash)
        .execute(pool)
        .await?;
    }
    Ok(())
}
