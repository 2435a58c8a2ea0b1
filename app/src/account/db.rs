//! One-time sign-in codes and citizen accounts.

use crate::domain::phone::PhoneNumber;
use crate::notify::{enqueue_sms, Purpose, Sms};
use rand::Rng;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

/// A code is valid this long.
pub const CODE_LIFETIME_MINUTES: i32 = 5;
/// Wrong guesses allowed against one code before it is spent.
pub const MAX_FAILED_ATTEMPTS: i16 = 5;
/// Codes sent to one number per quarter hour.
pub const MAX_CODES_PER_PHONE: i64 = 3;
/// Codes requested from one client address per hour.
pub const MAX_CODES_PER_CLIENT: i64 = 20;
/// Sign-in codes the whole portal sends in an hour.
pub const MAX_CODES_PER_HOUR: i64 = 5000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRequest {
    Sent,
    TooManyForPhone,
    TooManyForClient,
    /// The portal's SMS budget for the hour is spent (SMS cost money: "SMS pumping").
    BudgetSpent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    Accepted(Uuid),
    Wrong,
    /// Expired, used, or too many wrong guesses: ask for a new code.
    Spent,
}

fn code_hash(phone: &PhoneNumber, code: &str) -> Vec<u8> {
    Sha256::digest(format!("{phone}:{code}")).to_vec()
}

fn new_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000))
}

/// Issues a code and queues its SMS in one transaction, unless a rate limit is reached.
pub async fn issue_code(pool: &PgPool, phone: &PhoneNumber, client: &str) -> Result<CodeRequest, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // Serialise requests for one number, then for one address, then all of them for the
    // budget's count, so that requests arriving together cannot all pass the limits (always
    // in this order: no deadlock). Each holds the last lock for a few statements only.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('sign_in:' || $1))")
        .bind(phone.as_str())
        .execute(&mut *tx)
        .await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('sign_in_client:' || $1))")
        .bind(client)
        .execute(&mut *tx)
        .await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('sign_in_budget'))").execute(&mut *tx).await?;
    let (for_phone, for_client, in_all): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM sign_in_codes WHERE phone = $1 AND created_at > now() - interval '15 minutes'), \
                (SELECT count(*) FROM sign_in_codes WHERE client_address = $2 AND created_at > now() - interval '1 hour'), \
                (SELECT count(*) FROM sign_in_codes WHERE created_at > now() - interval '1 hour')",
    )
    .bind(phone.as_str())
    .bind(client)
    .fetch_one(&mut *tx)
    .await?;
    if for_phone >= MAX_CODES_PER_PHONE {
        return Ok(CodeRequest::TooManyForPhone);
    }
    if for_client >= MAX_CODES_PER_CLIENT {
        return Ok(CodeRequest::TooManyForClient);
    }
    if in_all >= MAX_CODES_PER_HOUR {
        tracing::error!("the hour's sign-in SMS budget is spent");
        return Ok(CodeRequest::BudgetSpent);
    }
    let code = new_code();
    // Only the newest code works.
    sqlx::query("UPDATE sign_in_codes SET used_at = now() WHERE phone = $1 AND used_at IS NULL")
        .bind(phone.as_str())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO sign_in_codes (phone, code_hash, client_address, expires_at) \
         VALUES ($1, $2, $3, now() + make_interval(mins => $4))",
    )
    .bind(phone.as_str())
    .bind(code_hash(phone, &code))
    .bind(client)
    .bind(CODE_LIFETIME_MINUTES)
    .execute(&mut *tx)
    .await?;
    let body = crate::i18n::Text::new("sms.sign_in_code")
        .with("code", code.as_str())
        .with("minutes", CODE_LIFETIME_MINUTES.to_string())
        .vi();
    enqueue_sms(&mut tx, Sms { to: phone.as_str(), body, purpose: Purpose::SignInCode, dossier_id: None }).await?;
    tx.commit().await?;
    Ok(CodeRequest::Sent)
}

/// Checks a code against the number's latest one; on success the code is spent and the
/// citizen account exists (created at first sign-in).
pub async fn check_code(pool: &PgPool, phone: &PhoneNumber, code: &str) -> Result<CodeCheck, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let latest: Option<(i64, Vec<u8>, bool)> = sqlx::query_as(
        "SELECT id, code_hash, (used_at IS NULL AND expires_at > now() AND failed_attempts < $2) AS usable \
         FROM sign_in_codes WHERE phone = $1 ORDER BY created_at DESC, id DESC LIMIT 1 FOR UPDATE",
    )
    .bind(phone.as_str())
    .bind(MAX_FAILED_ATTEMPTS)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, hash, true)) = latest else { return Ok(CodeCheck::Spent) };
    if hash != code_hash(phone, code) {
        sqlx::query("UPDATE sign_in_codes SET failed_attempts = failed_attempts + 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Ok(CodeCheck::Wrong);
    }
    sqlx::query("UPDATE sign_in_codes SET used_at = now() WHERE id = $1").bind(id).execute(&mut *tx).await?;
    let citizen_id = crate::auth::citizen::signed_in_now(&mut tx, phone.as_str()).await?;
    tx.commit().await?;
    Ok(CodeCheck::Accepted(citizen_id))
}
