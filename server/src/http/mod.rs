//! The router: Leptos pages and server functions, static assets, health, and the layers
//! every response goes through.

mod client;
mod forms;
mod health;
mod language;
pub mod render_cache;
mod request_guard;
mod security_headers;
pub mod sessions;
mod valid_html;

pub use client::{MAX_BODY_BYTES, MAX_UPLOAD_BODY_BYTES};

use app::dossier::storage::FileStore;
use app::{shell, App};
use axum::http::{header, HeaderValue};
use axum::{routing::get, Router};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sqlx::PgPool;
use tower::Layer as _;
use tower_http::{
    compression::CompressionLayer,
    services::ServeDir,
    set_header::{SetResponseHeader, SetResponseHeaderLayer},
    trace::TraceLayer,
    CompressionLevel,
};

/// Level for pages compressed on the fly. The library default (brotli 11) took hundreds of
/// times the CPU of level 4 for a page of the same size (2,983 vs 2,969 bytes) and throttled
/// the server to a few requests per second. Static assets are precompressed at build time.
const DYNAMIC_COMPRESSION: CompressionLevel = CompressionLevel::Precise(4);

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub leptos: LeptosOptions,
    pub https_only: bool,
    /// Serve `GET /__hello` (plain text, no database) as the benchmark's baseline.
    pub benchmark_baseline: bool,
    pub trust_forwarded_for: bool,
    pub files: FileStore,
    pub public_url: app::state::PublicUrl,
    pub public_stats_limit: app::stats::public_limit::PublicStatsLimit,
    /// Where a copy of each page goes for the HTML checker (tests only).
    pub html_copies: Option<std::path::PathBuf>,
    pub render_cache: render_cache::RenderCache,
    /// Where citizens pay fees online: VNPAY, the demo gateway, or none.
    pub payment_gateway: app::payment::Gateway,
    /// The portal's own demo gateway, served when no merchant account is configured.
    pub demo_gateway: Option<app::payment::demo::DemoGateway>,
    /// The national digital identity's OpenID provider, where configured.
    pub national_id: Option<app::auth::national_id::Provider>,
}

impl AppState {
    pub fn new(pool: PgPool, leptos: LeptosOptions, files: FileStore) -> Self {
        Self {
            pool,
            leptos,
            files,
            https_only: false,
            benchmark_baseline: false,
            trust_forwarded_for: false,
            public_url: app::state::PublicUrl::default(),
            public_stats_limit: Default::default(),
            html_copies: None,
            render_cache: render_cache::RenderCache::new(Default::default()),
            payment_gateway: Default::default(),
            demo_gateway: None,
            national_id: None,
        }
    }
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let pool = state.pool.clone();
    let catalog_memos = app::catalog::CatalogMemos::default();
    let stats_limit = state.public_stats_limit.clone();
    let files = state.files.clone();
    let public_url = state.public_url.clone();
    let catalog_generation = state.render_cache.generation();
    let payment_gateway = state.payment_gateway.clone();
    let national_id = state.national_id.clone();
    let with_pool = move || {
        leptos::prelude::provide_context(payment_gateway.clone());
        if let Some(provider) = &national_id {
            leptos::prelude::provide_context(provider.clone());
        }
        leptos::prelude::provide_context(catalog_generation.clone());
        leptos::prelude::provide_context(public_url.clone());
        leptos::prelude::provide_context(pool.clone());
        leptos::prelude::provide_context(catalog_memos.clone());
        leptos::prelude::provide_context(stats_limit.clone());
        leptos::prelude::provide_context(files.clone());
    };
    let leptos_options = state.leptos.clone();
    let mut router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/ngon-ngu/{code}", get(language::switch))
        .route(&format!("{}/{{file}}", app::routes::FORMS_PATH), get(forms::download))
        .route(&format!("{}/{{id}}", app::routes::FILES_PATH), get(app::dossier::files::download))
        .route(&format!("{}/{{id}}/trang-dau", app::routes::FILES_PATH), get(app::dossier::files::first_page))
        .route("/ho-so-cua-toi/{code}/ket-qua", get(app::dossier::files::download_result))
        .route("/can-bo/ho-so/{code}/ket-qua", get(app::dossier::files::download_result))
        .route(app::routes::PUBLIC_CSV_PATH, get(app::stats::csv::public_csv))
        .route(app::routes::DESK_CSV_PATH, get(app::stats::csv::desk_csv))
        .route(app::routes::REGISTER_CSV_PATH, get(app::desk::register::csv_download))
        .route(app::routes::VNPAY_IPN_PATH, get(app::payment::ipn::vnpay_ipn))
        .layer(axum::Extension(state.payment_gateway.clone()))
        .layer(axum::Extension(state.pool.clone()))
        .layer(axum::Extension(state.files.clone()))
        .layer(axum::Extension(state.public_stats_limit.clone()));
    if let Some(demo) = state.demo_gateway.clone() {
        router = router
            .route(app::routes::DEMO_GATEWAY_PATH, get(app::payment::demo::pay_page).post(app::payment::demo::choose))
            .route(app::routes::DEMO_GATEWAY_API_PATH, axum::routing::post(app::payment::demo::query))
            .layer(axum::Extension(demo))
            .layer(axum::Extension(state.pool.clone()));
    }
    if let Some(provider) = state.national_id.clone() {
        router = router
            .route(app::routes::NATIONAL_ID_PATH, get(app::account::national_id::start))
            .route(app::routes::NATIONAL_ID_CALLBACK_PATH, get(app::account::national_id::callback))
            .layer(axum::Extension(provider))
            .layer(axum::Extension(state.pool.clone()));
    }
    if state.benchmark_baseline {
        router = router.route("/__hello", get(|| async { "Hello, world!" }));
    }
    router
        .nest_service("/pkg", hashed_assets(&leptos_options))
        .leptos_routes_with_context(&state, routes, with_pool.clone(), move || shell(leptos_options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(with_pool, shell))
        .layer(axum::middleware::from_fn_with_state(state.clone(), request_guard::staff_api_signed_in))
        .layer(sessions::layer(state.pool.clone(), state.https_only))
        .layer(axum::middleware::from_fn_with_state(state.clone(), request_guard::same_origin_only))
        .layer(axum::middleware::from_fn(client::limit_body))
        .layer(axum::middleware::from_fn_with_state(state.clone(), client::client_address))
        .layer(axum::middleware::from_fn_with_state(state.html_copies.clone(), valid_html::repair))
        .layer(CompressionLayer::new().br(true).gzip(true).quality(DYNAMIC_COMPRESSION))
        .layer(axum::middleware::from_fn_with_state(state.render_cache.clone(), render_cache::serve))
        .layer(axum::middleware::from_fn_with_state(
            security_headers::Policy::new(
                state.https_only,
                &state.payment_gateway,
                state.national_id.as_ref().and_then(|p| p.origin()).as_deref(),
            ),
            security_headers::add,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .with_state(state)
}

/// Files under /pkg carry a content hash in their names, so browsers may keep them for a year.
/// cargo-leptos writes `.br` and `.gz` siblings; they are sent as they are.
fn hashed_assets(options: &LeptosOptions) -> SetResponseHeader<ServeDir, HeaderValue> {
    let dir = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let cache = if options.hash_files { "public, max-age=31536000, immutable" } else { "no-cache" };
    SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static(cache))
        .layer(ServeDir::new(dir).precompressed_br().precompressed_gzip())
}

/// Span for one request: method and path only. The query string can hold personal data.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
}

pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
