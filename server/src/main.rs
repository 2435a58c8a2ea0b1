//! `server`: runs the portal, or `server import-catalog FILE.json` loads a catalog.

use server::{config::Settings, database, http};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let settings = Settings::from_env()?;
    let pool = database::connect(&settings).await?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => serve(settings, pool).await,
        [command, file] if command == "import-catalog" => import(&pool, file).await,
        _ => anyhow::bail!("usage: server [import-catalog FILE.json]"),
    }
}

async fn serve(settings: Settings, pool: sqlx::PgPool) -> anyhow::Result<()> {
    database::prepare(&pool, settings.demo_data).await?;
    let addr = settings.leptos.site_addr;
    let state = http::AppState {
        https_only: settings.https_only,
        benchmark_baseline: settings.benchmark_baseline,
        ..http::AppState::new(pool, settings.leptos)
    };
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("Một Cửa is listening on http://{addr}");
    axum::serve(listener, http::router(state)).with_graceful_shutdown(http::shutdown_signal()).await?;
    Ok(())
}

async fn import(pool: &sqlx::PgPool, file: &str) -> anyhow::Result<()> {
    database::MIGRATOR.run(pool).await?;
    let json = std::fs::read_to_string(file)?;
    let catalog = app::catalog::import::parse_catalog(&json)?;
    let summary = app::catalog::import::import_catalog(pool, &catalog).await?;
    println!(
        "Imported {} agencies, {} fields, {} procedures from {file}",
        summary.agencies, summary.fields, summary.procedures
    );
    Ok(())
}
