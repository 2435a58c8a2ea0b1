//! Connection pool, migrations and demo data at start-up.

use crate::config::{Settings, DATABASE_TIMEOUT};
use app::catalog::import::{catalog_is_empty, import_catalog, parse_catalog, DEMO_CATALOG_JSON};
use sqlx::{postgres::PgPoolOptions, PgPool};

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub async fn connect(settings: &Settings) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(settings.database_max_connections)
        .acquire_timeout(DATABASE_TIMEOUT)
        .connect(&settings.database_url)
        .await
}

/// Applies pending migrations, then loads the demo catalog into an empty database.
pub async fn prepare(pool: &PgPool, demo_data: bool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await?;
    if demo_data && catalog_is_empty(pool).await? {
        let summary = import_catalog(pool, &parse_catalog(DEMO_CATALOG_JSON)?).await?;
        tracing::info!(?summary, "demo data loaded");
    }
    Ok(())
}
