//! Storage of feedback messages.

use crate::domain::{feedback::FeedbackMessage, procedure_code::ProcedureCode};
use sqlx::PgPool;
use uuid::Uuid;

/// Stores a message once per form token. Returns false when the procedure does not exist.
pub async fn save_feedback(
    pool: &PgPool,
    form_token: Uuid,
    procedure: Option<&ProcedureCode>,
    message: &FeedbackMessage,
) -> Result<bool, sqlx::Error> {
    let procedure_id = match procedure {
        Some(code) => match crate::catalog::db::procedure_id(pool, code).await? {
            Some(id) => Some(id),
            None => return Ok(false),
        },
        None => None,
    };
    sqlx::query(
        "INSERT INTO procedure_feedback (id, procedure_id, message) VALUES ($1, $2, $3) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(form_token)
    .bind(procedure_id)
    .bind(message.as_str())
    .execute(pool)
    .await?;
    Ok(true)
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
