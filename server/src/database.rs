//! Connection pool, migrations and demo data at start-up.

use crate::config::{Settings, DATABASE_TIMEOUT};
use app::catalog::import::{
    demo_forms, import_catalog, is_latest_import, parse_catalog, ImportError, DEMO_CATALOG_JSON,
};
use sqlx::{postgres::PgPoolOptions, PgPool};

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// No statement runs longer than this: a request's work stays bounded whatever its input.
pub const STATEMENT_TIMEOUT: &str = "15s";

pub async fn connect(settings: &Settings) -> Result<PgPool, sqlx::Error> {
    let options = settings
        .database_url
        .parse::<sqlx::postgres::PgConnectOptions>()?
        // No JIT: compiling a statistics query took 110–130 ms of its 160, for queries that
        // then run in 50 ms; the portal's statements are short.
        .options([("statement_timeout", STATEMENT_TIMEOUT), ("jit", "off")]);
    PgPoolOptions::new()
        .max_connections(settings.database_max_connections)
        .acquire_timeout(DATABASE_TIMEOUT)
        // No ping before each use: it doubled a page's round trips. A connection that died
        // meanwhile fails its first statement, which the page reports as unavailable, and is dropped.
        .test_before_acquire(false)
        .connect_with(options)
        .await
}

/// Import source recorded for the demo catalog shipped in the binary.
const DEMO_SOURCE: &str = "demo";

/// Applies pending migrations, then loads the demo catalog unless this exact version of it
/// is already loaded.
pub async fn prepare(pool: &PgPool, demo_data: bool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await?;
    tower_sessions_sqlx_store::PostgresStore::new(pool.clone()).migrate().await?;
    if demo_data {
        let catalog = parse_catalog(DEMO_CATALOG_JSON, demo_forms())?;
        if !is_latest_import(pool, &catalog, DEMO_SOURCE).await? {
            match import_catalog(pool, &catalog, DEMO_SOURCE).await {
                Ok(summary) => tracing::info!(?summary, "demo data loaded"),
                // A changed demo form of a version that already has drafts: keep serving the
                // data already loaded rather than refusing to start.
                Err(error @ ImportError::VersionInUse { .. }) => tracing::warn!(%error, "demo data not reloaded"),
                Err(error) => return Err(error.into()),
            }
        }
        app::auth::accounts::seed_demo_staff(pool).await?;
    }
    Ok(())
}
