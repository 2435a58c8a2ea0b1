//! Supplement requests: the one writer of `supplement_requests`. The desk asks for documents
//! (the clock pauses); the citizen's answer fulfils the request.

use chrono::{DateTime, Utc};
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

pub async fn request(
    tx: &mut Transaction<'_, Postgres>,
    dossier_id: Uuid,
    staff_id: Uuid,
    documents: &[String],
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO supplement_requests (dossier_id, requested_by, documents, note) VALUES ($1, $2, $3, $4)")
        .bind(dossier_id)
        .bind(staff_id)
        .bind(documents)
        .bind(note)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The open request of the dossier: its id, the documents asked for and when.
pub async fn open_request(
    tx: &mut Transaction<'_, Postgres>,
    dossier_id: Uuid,
) -> Result<Option<(i64, Vec<String>, DateTime<Utc>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, documents, requested_at FROM supplement_requests WHERE dossier_id = $1 AND fulfilled_at IS NULL",
    )
    .bind(dossier_id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn fulfil(tx: &mut Transaction<'_, Postgres>, request_id: i64, at: DateTime<Utc>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE supplement_requests SET fulfilled_at = $2 WHERE id = $1")
        .bind(request_id)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
