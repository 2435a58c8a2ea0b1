//! The fee a filed or drafted dossier owes, from its procedure version's channel fee table
//! (written by the catalog's importer) for its case, and the copies asked.

use crate::domain::fee::{fee_due, FeeDue, FeeItem};
use sqlx::PgPool;

/// The fee due on a version's channel for a case (the first case when none is chosen).
pub async fn due(
    pool: &PgPool,
    version_id: i64,
    channel: &str,
    case_no: Option<i16>,
    copies: u32,
) -> Result<FeeDue, sqlx::Error> {
    Ok(fee_due(&fee_items(pool, version_id, channel, case_no).await?, copies))
}

async fn fee_items(
    pool: &PgPool,
    version_id: i64,
    channel: &str,
    case_no: Option<i16>,
) -> Result<Vec<FeeItem>, sqlx::Error> {
    let rows: Vec<(String, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT f.name, f.amount_vnd, f.description FROM channel_fees f WHERE f.channel_id = \
           (SELECT c.id FROM procedure_channels c WHERE c.version_id = $1 AND c.channel = $2 \
            AND (c.case_no IS NULL OR c.case_no = COALESCE($3, 1)) ORDER BY c.case_no NULLS LAST LIMIT 1) \
         ORDER BY f.position",
    )
    .bind(version_id)
    .bind(channel)
    .bind(case_no)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, amount, description)| FeeItem {
            name,
            amount_vnd: amount.and_then(|a| u64::try_from(a).ok()),
            description,
        })
        .collect())
}
