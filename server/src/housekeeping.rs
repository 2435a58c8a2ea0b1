//! Periodic clean-up: drafts nobody touched for 30 days are deleted with their files, so
//! personal data is not kept longer than the citizen was told; staff sign-in, second-factor and
//! failed tracking attempts are kept a day (the rate limits look back one hour), successful
//! tracking look-ups 30 days, and sign-in code messages a day (their code is blanked as soon as
//! they are delivered); the name, birth date and address the national identity gave, 12 hours. Every ten minutes, the statistics' snapshot of open dossiers is taken
//! for the midnights that lack it.

use app::dossier::{db, storage::FileStore};
use sqlx::PgPool;
use std::time::Duration;

const EVERY: Duration = Duration::from_secs(3600);
/// A midnight's snapshot of open dossiers is taken within this time after it (reports count
/// the midnight live until then).
const SNAPSHOT_EVERY: Duration = Duration::from_secs(600);
const BATCH: i64 = 500;

pub async fn run(pool: PgPool, files: FileStore, public_stats_limit: app::stats::public_limit::PublicStatsLimit) {
    let mut every = tokio::time::interval(EVERY);
    loop {
        every.tick().await;
        public_stats_limit.forget_quiet_clients();
        if let Err(error) = delete_expired_drafts(&pool, &files).await {
            tracing::warn!(%error, "expired-draft clean-up failed");
        }
        if let Err(error) = app::auth::accounts::forget_old_attempts(&pool).await {
            tracing::warn!(%error, "sign-in attempt clean-up failed");
        }
        if let Err(error) = app::auth::second_factor::forget_old_failures(&pool).await {
            tracing::warn!(%error, "second-factor failure clean-up failed");
        }
        if let Err(error) = app::tracking::db::forget_old_attempts(&pool).await {
            tracing::warn!(%error, "tracking attempt clean-up failed");
        }
        if let Err(error) = app::notify::forget_old_codes(&pool).await {
            tracing::warn!(%error, "sign-in code clean-up failed");
        }
        if let Err(error) = app::auth::citizen::forget_identity_data(&pool).await {
            tracing::warn!(%error, "national identity data clean-up failed");
        }
    }
}

/// Deletes expired drafts batch by batch; returns how many drafts went.
pub async fn delete_expired_drafts(pool: &PgPool, files: &FileStore) -> Result<i64, sqlx::Error> {
    let mut deleted = 0;
    loop {
        let (drafts, keys) = db::delete_expired_drafts(pool, BATCH).await?;
        for key in &keys {
            if let Err(error) = files.delete(key).await {
                tracing::warn!(%error, "deleting an expired draft's file failed");
            }
        }
        deleted += drafts;
        if drafts < BATCH {
            return Ok(deleted);
        }
    }
}

/// Takes the statistics' snapshot of each past midnight that lacks it (`stats::snapshot`).
pub async fn keep_statistics_snapshots(pool: PgPool) {
    let mut every = tokio::time::interval(SNAPSHOT_EVERY);
    loop {
        every.tick().await;
        if let Err(error) = app::stats::snapshot::keep(&pool, chrono::Utc::now()).await {
            tracing::warn!(%error, "statistics snapshot failed");
        }
    }
}
