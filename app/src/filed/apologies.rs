//! Late apologies: the one writer of `apologies`. Processing drafts one with a new date; only
//! a leader's approval gives the citizen that date.

use chrono::NaiveDate;
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

/// `false` when an apology for the dossier is already waiting for a leader.
pub async fn propose(
    tx: &mut Transaction<'_, Postgres>,
    dossier_id: Uuid,
    staff_id: Uuid,
    new_date: NaiveDate,
    reason: &str,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO apologies (dossier_id, proposed_by, new_date, reason) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (dossier_id) WHERE approved_at IS NULL DO NOTHING",
    )
    .bind(dossier_id)
    .bind(staff_id)
    .bind(new_date)
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// The new date of the apology the leader approves, if one was waiting.
pub async fn approve(
    tx: &mut Transaction<'_, Postgres>,
    dossier_id: Uuid,
    leader_id: Uuid,
) -> Result<Option<NaiveDate>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE apologies SET approved_by = $2, approved_at = now() \
         WHERE dossier_id = $1 AND approved_at IS NULL RETURNING new_date",
    )
    .bind(dossier_id)
    .bind(leader_id)
    .fetch_optional(&mut **tx)
    .await
}
