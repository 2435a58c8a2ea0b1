//! The snapshot of the dossiers open at each past Vietnam midnight (`stats_open_snapshot`),
//! which reports read instead of probing the dossiers (`db::open_sql`). Taking a midnight counts
//! its open and overdue dossiers with the live report's own conditions; database triggers drop
//! an agency's snapshots from the instant a later change alters them (a back-dated correction,
//! a due date moved into the past), and the keeper takes them again. A midnight without a
//! snapshot is counted live, so a report is exact whether or not the keeper has run.

use super::db::overdue;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// Held exclusively while a midnight is taken; changing transactions hold it shared (the
/// migration's `stats_open_forget`), so a midnight is never taken from a view that misses a
/// change made at the same time.
const LOCK: &str = "SELECT pg_advisory_xact_lock(hashtext('stats_open_snapshot'))";

/// Past midnights some agency has no snapshot of, newest first, from the first day anything
/// was counted.
const MISSING: &str = "SELECT g.at FROM (SELECT day AT TIME ZONE 'Asia/Ho_Chi_Minh' AS at \
       FROM generate_series((SELECT min(day) FROM stats_daily)::timestamp, \
                            ($1::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::timestamp, interval '1 day') day) g \
     WHERE g.at <= $1 AND EXISTS (SELECT 1 FROM agencies a WHERE NOT EXISTS \
       (SELECT 1 FROM stats_open_taken k WHERE k.agency_id = a.id AND k.at = g.at)) \
     ORDER BY g.at DESC LIMIT $2";

/// Takes every missing midnight up to `now`; returns how many midnights were taken.
pub async fn keep(pool: &PgPool, now: DateTime<Utc>) -> Result<usize, sqlx::Error> {
    let mut taken = 0;
    loop {
        let missing: Vec<DateTime<Utc>> = sqlx::query_scalar(MISSING).bind(now).bind(100_i64).fetch_all(pool).await?;
        for at in &missing {
            take(pool, *at).await?;
        }
        taken += missing.len();
        if missing.len() < 100 {
            return Ok(taken);
        }
    }
}

/// Counts the dossiers open at the midnight `at` for the agencies that lack it, in one short
/// transaction.
async fn take(pool: &PgPool, at: DateTime<Utc>) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query(LOCK).execute(&mut *tx).await?;
    let agencies: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO stats_open_taken (agency_id, at) SELECT a.id, $1 FROM agencies a \
         WHERE NOT EXISTS (SELECT 1 FROM stats_open_taken k WHERE k.agency_id = a.id AND k.at = $1) RETURNING agency_id",
    )
    .bind(at)
    .fetch_all(&mut *tx)
    .await?;
    let counted = format!(
        "INSERT INTO stats_open_snapshot (at, agency_id, procedure_id, open, overdue) \
         SELECT $1, s.receiving_agency_id, v.procedure_id, count(*), count(*) FILTER (WHERE {}) \
         FROM dossiers s JOIN procedure_versions v ON v.id = s.version_id \
         WHERE s.accepted_at IS NOT NULL AND tstzrange(s.accepted_at, s.closed_at, '(]') @> $1::timestamptz \
           AND s.receiving_agency_id = ANY($2) \
         GROUP BY 2, 3",
        overdue("$1::timestamptz", "(($1::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - 1)")
    );
    sqlx::query(&counted).bind(at).bind(&agencies).execute(&mut *tx).await?;
    tx.commit().await
}
