//! Staff accounts, the one writer of `staff_users` and `staff_sign_in_attempts`: password
//! sign-in (argon2id, rate limited per account and client address, never locked), password
//! changes, and the accounts an administrator creates, disables and resets.

use super::staff::{await_code, current_staff, establish};
use super::ADMIN_TREE as TREE;
use crate::domain::dossier_status::Role;
use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sqlx::PgPool;
use uuid::Uuid;

/// Failed sign-ins allowed per account from one address in 15 minutes.
const FAILURES_PER_ACCOUNT_AND_CLIENT: i64 = 5;
/// Failed sign-ins allowed from one address in an hour, whatever the account.
const FAILURES_PER_CLIENT: i64 = 30;
pub const MIN_PASSWORD_CHARS: usize = 10;

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
    SignedIn {
        must_change_password: bool,
    },
    /// The password was right; the account's second factor must give its code.
    CodeNeeded,
    Wrong,
    TooManyAttempts,
}

pub async fn sign_in(username: &str, password: String, client: String) -> Result<SignIn, AppError> {
    let username = username.trim().to_lowercase();
    let lookup = (username.clone(), client);
    let reserved = crate::state::with_db(move |pool| async move {
        let Some(attempt) = reserve_attempt(&pool, &lookup.0, &lookup.1).await? else { return Ok(None) };
        let account: Option<(Uuid, String, i32, bool)> = sqlx::query_as(
            "SELECT id, password_hash, session_epoch, must_change_password FROM staff_users \
             WHERE username = $1 AND disabled_at IS NULL",
        )
        .bind(&lookup.0)
        .fetch_optional(&pool)
        .await?;
        Ok(Some((attempt, account)))
    })
    .await?;
    let Some((attempt, account)) = reserved else { return Ok(SignIn::TooManyAttempts) };
    let stored = account.as_ref().map_or_else(|| DECOY_HASH.clone(), |a| a.1.clone());
    let matches = blocking(move || password_matches(&password, &stored)).await? && account.is_some();
    match account {
        Some((id, _, epoch, must_change_password)) if matches => {
            let code_needed = crate::state::with_db(move |pool| async move {
                sqlx::query("UPDATE staff_sign_in_attempts SET succeeded = true WHERE id = $1")
                    .bind(attempt)
                    .execute(&pool)
                    .await?;
                super::second_factor::is_active(&pool, id).await
            })
            .await?;
            if code_needed {
                await_code(id, epoch).await?;
                return Ok(SignIn::CodeNeeded);
            }
            establish(id, epoch).await?;
            Ok(SignIn::SignedIn { must_change_password })
        }
        _ => Ok(SignIn::Wrong),
    }
}

/// Records an attempt as failed before the password is checked (a success then marks it), or
/// refuses it when the limits are reached. Attempts from one client address take their turn
/// (a transaction-scoped advisory lock), so a burst of parallel requests cannot all pass the
/// count before any is recorded.
async fn reserve_attempt(pool: &PgPool, username: &str, client: &str) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(format!("staff sign-in {client}"))
        .execute(&mut *tx)
        .await?;
    let (for_account, for_client): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE username = $1 AND at > now() - interval '15 minutes'), count(*) \
         FROM staff_sign_in_attempts WHERE client_address = $2 AND NOT succeeded AND at > now() - interval '1 hour'",
    )
    .bind(username)
    .bind(client)
    .fetch_one(&mut *tx)
    .await?;
    if for_account >= FAILURES_PER_ACCOUNT_AND_CLIENT || for_client >= FAILURES_PER_CLIENT {
        return Ok(None);
    }
    let id = sqlx::query_scalar(
        "INSERT INTO staff_sign_in_attempts (username, client_address, succeeded) VALUES ($1, $2, false) RETURNING id",
    )
    .bind(username)
    .bind(client)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(id))
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
    /// Among the passwords attackers try first, or made of the account's own name.
    TooGuessable,
}

/// zxcvbn's score (0 to 4) a new password must reach: it knows 30,000 common passwords,
/// names, words, dates, keyboard patterns and repeats.
const MIN_PASSWORD_SCORE: u8 = 3;

/// Whether a new password is too easy to guess, given the account's own words.
pub fn too_guessable(password: &str, own_words: &[&str]) -> bool {
    u8::from(zxcvbn::zxcvbn(password, own_words).score()) < MIN_PASSWORD_SCORE
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
    let own_words = [staff.username.as_str(), staff.full_name.as_str(), "motcua", "mot cua", "mật khẩu"];
    if too_guessable(&new, &own_words) {
        return Ok(PasswordChange::TooGuessable);
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

/// Ends every session of the account (its second factor changed); returns the new epoch for
/// the session that continues.
pub async fn end_sessions(pool: &PgPool, id: Uuid) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar("UPDATE staff_users SET session_epoch = session_epoch + 1 WHERE id = $1 RETURNING session_epoch")
        .bind(id)
        .fetch_one(pool)
        .await
}

/// The same for an account of the administrator's tree; its username, or `None` outside it.
pub async fn end_sessions_in_tree(pool: &PgPool, root: i64, user: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "{TREE} UPDATE staff_users SET session_epoch = session_epoch + 1 \
         WHERE id = $2 AND agency_id IN (SELECT id FROM tree) RETURNING username"
    ))
    .bind(root)
    .bind(user)
    .fetch_optional(pool)
    .await
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    Done,
    UsernameTaken,
    AgencyOutside,
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub full_name: &'a str,
    pub agency_id: i64,
    pub roles: &'a [Role],
    pub password_hash: &'a str,
}

pub async fn create_user(pool: &PgPool, root: i64, user: &NewUser<'_>) -> Result<Created, sqlx::Error> {
    let roles: Vec<&str> = user.roles.iter().map(|r| r.as_db()).collect();
    let inserted = sqlx::query(&format!(
        "{TREE} INSERT INTO staff_users (id, username, full_name, agency_id, roles, password_hash) \
         SELECT $2, $3, $4, $5, $6, $7 WHERE $5 IN (SELECT id FROM tree) ON CONFLICT (username) DO NOTHING"
    ))
    .bind(root)
    .bind(Uuid::new_v4())
    .bind(user.username)
    .bind(user.full_name)
    .bind(user.agency_id)
    .bind(&roles)
    .bind(user.password_hash)
    .execute(pool)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Created::Done);
    }
    let taken: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM staff_users WHERE username = $1)")
        .bind(user.username)
        .fetch_one(pool)
        .await?;
    Ok(if taken { Created::UsernameTaken } else { Created::AgencyOutside })
}

/// Disables or re-enables an account of the tree (never the administrator's own). Disabling
/// ends every session of the account.
pub async fn set_disabled(
    pool: &PgPool,
    root: i64,
    actor: Uuid,
    user: Uuid,
    disabled: bool,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(&format!(
        "{TREE} UPDATE staff_users SET disabled_at = CASE WHEN $4 THEN now() END, session_epoch = session_epoch + 1 \
         WHERE id = $3 AND id <> $2 AND agency_id IN (SELECT id FROM tree)"
    ))
    .bind(root)
    .bind(actor)
    .bind(user)
    .bind(disabled)
    .execute(pool)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Gives the account a temporary password to change at the next sign-in; its sessions end.
/// Returns the username.
pub async fn reset_password(
    pool: &PgPool,
    root: i64,
    user: Uuid,
    password_hash: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "{TREE} UPDATE staff_users SET password_hash = $3, must_change_password = true, session_epoch = session_epoch + 1 \
         WHERE id = $2 AND agency_id IN (SELECT id FROM tree) RETURNING username"
    ))
    .bind(root)
    .bind(user)
    .bind(password_hash)
    .fetch_optional(pool)
    .await
}

/// The first administrator of a deployment, for the agency with this identifier (the
/// `create-admin` command). `false` when there is no such agency.
pub async fn create_first_admin(
    pool: &PgPool,
    username: &str,
    agency_identifier: &str,
    full_name: &str,
    password_hash: &str,
) -> Result<bool, sqlx::Error> {
    let created = sqlx::query(
        "INSERT INTO staff_users (id, username, full_name, agency_id, roles, password_hash) \
         SELECT $1, $2, $3, id, $5, $6 FROM agencies WHERE identifier = $4",
    )
    .bind(Uuid::new_v4())
    .bind(username.trim().to_lowercase())
    .bind(full_name)
    .bind(agency_identifier)
    .bind(vec![Role::Admin.as_db()])
    .bind(password_hash)
    .execute(pool)
    .await?;
    Ok(created.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn common_and_personal_passwords_are_refused() {
        for weak in ["1234567890", "password123", "qwertyuiop", "matkhau123", "lan.nguyen2026"] {
            assert!(super::too_guessable(weak, &["lan.nguyen", "Nguyễn Thị Lan"]), "{weak}");
        }
        assert!(!super::too_guessable("đồng lúa chín vàng ven sông Đáy", &["lan.nguyen"]));
    }
}
