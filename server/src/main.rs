//! `server`: runs the portal; `server import-catalog FILE.json` loads a catalog;
//! `server create-admin USERNAME AGENCY-IDENTIFIER "FULL NAME"` creates the first administrator;
//! `server generate-history COUNT [DAYS] [--once]` adds demo history for the statistics.

use anyhow::Context as _;
use secrecy::ExposeSecret;
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
        [command, username, agency, name] if command == "create-admin" => {
            create_admin(&pool, username, agency, name).await
        }
        [command, rest @ ..] if command == "generate-history" => generate_history(&settings, &pool, rest).await,
        _ => anyhow::bail!(
            "usage: server [import-catalog FILE.json | create-admin USERNAME AGENCY-IDENTIFIER \"FULL NAME\" \
             | generate-history COUNT [DAYS] [--once]]"
        ),
    }
}

async fn serve(settings: Settings, pool: sqlx::PgPool) -> anyhow::Result<()> {
    database::prepare(&pool, settings.demo_data).await?;
    let addr = settings.leptos.site_addr;
    let files = app::dossier::storage::FileStore::from_setting(&settings.file_store)?;
    let channels = server::outbox::Channels { sms: sms_channel(&settings), email: email_channel(&settings)? };
    tokio::spawn(server::outbox::run(pool.clone(), channels));
    tokio::spawn(http::sessions::delete_expired(pool.clone()));
    let public_stats_limit = app::stats::public_limit::PublicStatsLimit::default();
    tokio::spawn(server::housekeeping::run(pool.clone(), files.clone(), public_stats_limit.clone()));
    tokio::spawn(server::housekeeping::keep_statistics_snapshots(pool.clone()));
    // The demo gateway only where no money is at stake: never with HTTPS_ONLY=on.
    let demo_gateway = (settings.vnpay.is_none() && !settings.https_only)
        .then(|| app::payment::demo::DemoGateway::new(&format!("http://{addr}")));
    let payment_gateway = match (&settings.vnpay, &demo_gateway) {
        (Some(merchant), _) => app::payment::Gateway::vnpay(merchant.clone()),
        (None, Some(demo)) => demo.gateway(),
        (None, None) => app::payment::Gateway::default(),
    };
    if demo_gateway.is_some() {
        tracing::warn!(
            "VNPAY_TMN_CODE is not set: fees are paid through the portal's demo gateway (development and demo only)"
        );
    }
    tokio::spawn(server::reconcile::run(pool.clone(), payment_gateway.clone()));
    let state = http::AppState {
        public_stats_limit,
        https_only: settings.https_only,
        benchmark_baseline: settings.benchmark_baseline,
        html_copies: settings.html_copies_dir.clone(),
        trust_forwarded_for: settings.trust_forwarded_for,
        public_url: app::state::PublicUrl(settings.public_url.clone()),
        payment_gateway: payment_gateway.clone(),
        demo_gateway,
        national_id: settings.national_id.clone().map(app::auth::national_id::Provider::new).transpose()?,
        ..http::AppState::new(pool, settings.leptos, files)
    };
    tokio::spawn(http::render_cache::listen_for_changes(state.pool.clone(), state.render_cache.clone()));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("Một Cửa is listening on http://{addr}");
    let service = http::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(http::shutdown_signal()).await?;
    Ok(())
}

fn sms_channel(settings: &Settings) -> server::outbox::SmsChannel {
    match &settings.sms_gateway_url {
        Some(url) => {
            let token = settings.sms_gateway_token.as_ref().map(|t| t.expose_secret().to_owned());
            server::outbox::SmsChannel::gateway(url.clone(), token)
        }
        None => {
            tracing::warn!("SMS_GATEWAY_URL is not set: text messages go to this log (development and demo only)");
            server::outbox::SmsChannel::Log
        }
    }
}

fn email_channel(settings: &Settings) -> anyhow::Result<server::outbox::EmailChannel> {
    match &settings.smtp_url {
        Some(url) => server::outbox::EmailChannel::smtp(url.expose_secret(), &settings.smtp_from),
        None => Ok(server::outbox::EmailChannel::Log),
    }
}

/// Imports a catalog file; the form files it names are read from `forms/` beside it.
async fn import(pool: &sqlx::PgPool, file: &str) -> anyhow::Result<()> {
    database::MIGRATOR.run(pool).await?;
    let json = std::fs::read_to_string(file).with_context(|| format!("reading {file}"))?;
    let forms_dir = std::path::Path::new(file).parent().unwrap_or(std::path::Path::new(".")).join("forms");
    let catalog = app::catalog::import::parse_catalog(&json, read_forms(&forms_dir)?)?;
    let summary = app::catalog::import::import_catalog(pool, &catalog, file).await?;
    println!(
        "Imported {} agencies, {} fields, {} forms, {} procedures from {file}",
        summary.agencies, summary.fields, summary.forms, summary.procedures
    );
    Ok(())
}

fn read_forms(dir: &std::path::Path) -> anyhow::Result<app::catalog::import::FormFiles> {
    let mut forms = app::catalog::import::FormFiles::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(forms) };
    for entry in entries {
        let path = entry?.path();
        if let (true, Some(name)) = (path.is_file(), path.file_name().and_then(|n| n.to_str())) {
            forms.insert(name.to_owned(), std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?);
        }
    }
    Ok(forms)
}

/// Creates an administrator of an agency's tree with a temporary password, printed once.
async fn create_admin(pool: &sqlx::PgPool, username: &str, agency: &str, name: &str) -> anyhow::Result<()> {
    database::prepare(pool, false).await?;
    let password = app::auth::accounts::temporary_password();
    let hash = app::auth::accounts::hash_password(&password).map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
    let created = app::auth::accounts::create_first_admin(pool, username, agency, name, &hash)
        .await
        .context("creating the administrator (is the username free and valid?)")?;
    anyhow::ensure!(created, "no agency with identifier {agency}");
    println!("Administrator {username} created. Temporary password (change it at first sign-in): {password}");
    Ok(())
}

/// Demo dossiers over the past DAYS (365 by default) at the demo agencies; with `--once`,
/// nothing when generated history is already there.
async fn generate_history(settings: &Settings, pool: &sqlx::PgPool, args: &[String]) -> anyhow::Result<()> {
    let once = args.iter().any(|a| a == "--once");
    let numbers: Vec<u32> = args
        .iter()
        .filter(|a| *a != "--once")
        .map(|a| a.parse())
        .collect::<Result<_, _>>()
        .context("COUNT and DAYS are numbers")?;
    let (dossiers, days) = match numbers.as_slice() {
        [count] => (*count, 365),
        [count, days] => (*count, *days),
        _ => anyhow::bail!("usage: server generate-history COUNT [DAYS] [--once]"),
    };
    database::prepare(pool, settings.demo_data).await?;
    if once && app::demo::history::has_history(pool).await? {
        println!("Demo history is already there.");
        return Ok(());
    }
    let plan = app::demo::history::Plan { dossiers, days, until: chrono::Utc::now(), seed: u64::from(dossiers) };
    let started = std::time::Instant::now();
    let written = app::demo::history::generate(pool, &plan).await?;
    anyhow::ensure!(written > 0 || dossiers == 0, "no demo agency offers a procedure: load the demo data first");
    sqlx::query("ANALYZE dossiers, supplement_requests, dossier_ratings").execute(pool).await?;
    println!("Generated {written} demo dossiers over {days} days in {:.1} s", started.elapsed().as_secs_f64());
    let started = std::time::Instant::now();
    let midnights = app::stats::snapshot::keep(pool, chrono::Utc::now()).await?;
    sqlx::query("ANALYZE stats_open_taken, stats_open_snapshot, stats_monthly").execute(pool).await?;
    println!("Took the open-dossier snapshot of {midnights} midnights in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
