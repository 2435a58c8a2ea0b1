//! The notification outbox, the one writer of `outbox_messages`: a message is a row written in
//! the same transaction as the change it reports; the server's worker claims it, delivers it
//! through its channel (SMS or e-mail) and records the outcome here.

use sqlx::{Postgres, Transaction};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    SignInCode,
    Receipt,
    /// A change of a dossier's status.
    Status,
}

impl Purpose {
    fn as_db(self) -> &'static str {
        match self {
            Self::SignInCode => "sign_in_code",
            Self::Receipt => "receipt",
            Self::Status => "status",
        }
    }
}

pub struct Sms<'a> {
    pub to: &'a str,
    pub body: String,
    pub purpose: Purpose,
    pub dossier_id: Option<Uuid>,
}

/// Queues the SMS and, for news of a dossier, the same text by e-mail when the citizen with
/// that phone number has added an address (sign-in codes go by SMS only).
pub async fn enqueue_sms(tx: &mut Transaction<'_, Postgres>, sms: Sms<'_>) -> Result<(), sqlx::Error> {
    let with_email = sms.purpose != Purpose::SignInCode;
    sqlx::query(
        "WITH message AS (SELECT $1::text AS phone, $2::text AS body, $3::text AS purpose, $4::uuid AS dossier_id) \
         INSERT INTO outbox_messages (channel, recipient, body, purpose, dossier_id) \
         SELECT 'sms', phone, body, purpose, dossier_id FROM message \
         UNION ALL SELECT 'email', c.email, m.body, m.purpose, m.dossier_id \
           FROM message m JOIN citizens c ON c.phone = m.phone WHERE $5 AND c.email IS NOT NULL",
    )
    .bind(sms.to)
    .bind(sms.body)
    .bind(sms.purpose.as_db())
    .bind(sms.dossier_id)
    .bind(with_email)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The message as JSON, for a statement that queues it together with the change it reports
/// (`file_dossier`, the submission, which copies it by e-mail as [`enqueue_sms`] does).
pub fn as_row(sms: &Sms<'_>) -> serde_json::Value {
    serde_json::json!({
        "phone": sms.to,
        "body": sms.body,
        "purpose": sms.purpose.as_db(),
        "with_email": sms.purpose != Purpose::SignInCode,
    })
}

/// A message the worker is to send now.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Due {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub body: String,
    pub attempts: i32,
}

/// Up to `batch` messages due now, locked so that other workers pass them by.
pub async fn claim_due(tx: &mut Transaction<'_, Postgres>, batch: i64) -> Result<Vec<Due>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, channel, recipient, body, attempts FROM outbox_messages \
         WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now() \
         ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED",
    )
    .bind(batch)
    .fetch_all(&mut **tx)
    .await
}

/// What a sign-in code's message says once it is delivered or given up: the code itself is
/// not kept.
const SPENT_CODE_BODY: &str = "(ma dang nhap da gui, khong luu)";

/// Sign-in code messages older than a day: nothing in them is needed any more.
pub async fn forget_old_codes(pool: &sqlx::PgPool) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM outbox_messages WHERE purpose = 'sign_in_code' AND created_at < now() - interval '1 day'")
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn mark_sent(tx: &mut Transaction<'_, Postgres>, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox_messages SET sent_at = now(), attempts = attempts + 1, last_error = NULL, \
           body = CASE WHEN purpose = 'sign_in_code' THEN $2 ELSE body END WHERE id = $1",
    )
    .bind(id)
    .bind(SPENT_CODE_BODY)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records the error and when to try again; after `max_attempts` the message is given up.
pub async fn mark_failed(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
    error: &str,
    wait_secs: i64,
    max_attempts: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox_messages SET attempts = attempts + 1, last_error = $2, \
           next_attempt_at = now() + make_interval(secs => $3), \
           failed_at = CASE WHEN attempts + 1 >= $4 THEN now() END, \
           body = CASE WHEN attempts + 1 >= $4 AND purpose = 'sign_in_code' THEN $5 ELSE body END \
         WHERE id = $1",
    )
    .bind(id)
    .bind(error)
    .bind(wait_secs as f64)
    .bind(max_attempts)
    .bind(SPENT_CODE_BODY)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
