//! Storage of feedback messages.

use crate::domain::{feedback::FeedbackMessage, procedure_code::ProcedureCode};
use sqlx::PgPool;
use uuid::Uuid;

/// Feedback messages one client address may send in an hour.
pub const MAX_FEEDBACK_PER_CLIENT: i64 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Saved,
    /// The procedure is gone.
    NoProcedure,
    TooMany,
}

/// Stores a message, once: the same message on the same procedure from the same client
/// within ten minutes (a double tap, a form sent again after a dropped connection) is stored
/// already. The form carries no per-render token, so the page is the same for every visitor.
/// `client` is kept only as a hash, to count.
pub async fn save_feedback(
    pool: &PgPool,
    procedure: Option<&ProcedureCode>,
    message: &FeedbackMessage,
    client: &str,
) -> Result<Saved, sqlx::Error> {
    let procedure_id = match procedure {
        Some(code) => match crate::catalog::db::procedure_id(pool, code).await? {
            Some(id) => Some(id),
            None => return Ok(Saved::NoProcedure),
        },
        None => None,
    };
    let client_key = crate::security::client_key(client);
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(format!("feedback {client_key}"))
        .execute(&mut *tx)
        .await?;
    let (recent, already_stored): (i64, bool) = sqlx::query_as(
        "SELECT count(*), COALESCE(bool_or(message = $2 AND procedure_id IS NOT DISTINCT FROM $3 \
           AND created_at > now() - interval '10 minutes'), false) \
         FROM procedure_feedback WHERE client_key = $1 AND created_at > now() - interval '1 hour'",
    )
    .bind(&client_key)
    .bind(message.as_str())
    .bind(procedure_id)
    .fetch_one(&mut *tx)
    .await?;
    if already_stored {
        return Ok(Saved::Saved);
    }
    if recent >= MAX_FEEDBACK_PER_CLIENT {
        return Ok(Saved::TooMany);
    }
    sqlx::query("INSERT INTO procedure_feedback (id, procedure_id, message, client_key) VALUES ($1, $2, $3, $4)")
        .bind(Uuid::new_v4())
        .bind(procedure_id)
        .bind(message.as_str())
        .bind(&client_key)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Saved::Saved)
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredFeedback {
    pub procedure_code: Option<String>,
    pub message: String,
}

/// Newest first; for staff screens and tests.
pub async fn recent_feedback(pool: &PgPool, limit: i64) -> Result<Vec<StoredFeedback>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.code AS procedure_code, f.message FROM procedure_feedback f \
         LEFT JOIN procedures p ON p.id = f.procedure_id ORDER BY f.created_at DESC, f.id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}
