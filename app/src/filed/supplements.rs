//! Supplement requests: the one writer of `supplement_requests`. The desk asks for documents
//! (the clock pauses); the citizen's answer fulfils the request.

use super::clock::{vietnam_time, work_calendar};
use super::record::{Change, FiledDossier};
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

/// Ends the dossier's open request, by the citizen online or at the counter alike: the clock
/// runs again, and an accepted dossier's due date (and promised date) move by the working days
/// it was paused.
pub async fn resume(
    tx: &mut Transaction<'_, Postgres>,
    record: &FiledDossier,
    change: &mut Change,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    change.paused_at = None;
    if let (true, Some(paused)) = (record.accepted(), record.paused_at) {
        let (from, until) = (vietnam_time(paused).date(), vietnam_time(now).date());
        let calendar = work_calendar(tx, from).await?;
        change.due_date = calendar.due_date_after_pause(record.due_date, from, until);
        change.promised_date = record.promised_date.map(|d| calendar.due_date_after_pause(d, from, until));
    }
    if let Some((request_id, _, _)) = open_request(tx, record.id).await? {
        fulfil(tx, request_id, now).await?;
    }
    Ok(())
}
