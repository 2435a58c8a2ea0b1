//! Server-side state handed to pages and server functions through Leptos context.

use crate::error::AppError;
use leptos::prelude::use_context;
use sqlx::PgPool;
use std::future::Future;

/// The portal's public address for links that leave the site (QR codes, SMS), read once at
/// start-up from `PUBLIC_URL`.
#[derive(Debug, Clone, Default)]
pub struct PublicUrl(pub Option<String>);

/// `PUBLIC_URL`, or else the address this request came to (development and tests).
pub fn public_origin() -> String {
    if let Some(PublicUrl(Some(url))) = use_context::<PublicUrl>() {
        return url.trim_end_matches('/').to_owned();
    }
    let host = use_context::<http::request::Parts>()
        .and_then(|parts| parts.headers.get(http::header::HOST).and_then(|h| h.to_str().ok()).map(str::to_owned))
        .unwrap_or_else(|| "localhost".into());
    format!("http://{host}")
}

/// Runs database work as its own task, so it completes and returns its pooled connection
/// whatever order the page renderer polls in. (Leptos polls every `Suspend` once up front and
/// then awaits them one by one: a query waiting in the pool's queue inside a page that is not
/// being polled would otherwise keep the connection handed to it, and the page deadlocks.)
pub async fn with_db<T, F, Fut>(work: F) -> Result<T, AppError>
where
    F: FnOnce(PgPool) -> Fut,
    Fut: Future<Output = Result<T, sqlx::Error>> + Send + 'static,
    T: Send + 'static,
{
    let pool = use_context::<PgPool>().ok_or_else(|| {
        tracing::error!("database pool missing from request context");
        AppError::Unavailable
    })?;
    match tokio::spawn(work(pool)).await {
        Ok(result) => Ok(result?),
        Err(error) => {
            tracing::error!(%error, "database task failed");
            Err(AppError::Unavailable)
        }
    }
}

/// Counts changes to what public pages show (the catalog, agencies, the calendar): a cached
/// page belongs to one generation. Bumped by this instance's administration, and by the server
/// when PostgreSQL announces a change made elsewhere.
#[derive(Debug, Clone, Default)]
pub struct CatalogGeneration(std::sync::Arc<std::sync::atomic::AtomicU64>);

impl CatalogGeneration {
    pub fn current(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Acquire)
    }

    pub fn bump(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }
}

/// Drops this instance's cached public pages at once, after a committed catalog change (other
/// instances hear of it from PostgreSQL).
pub fn catalog_changed() {
    if let Some(generation) = use_context::<CatalogGeneration>() {
        generation.bump();
    }
}

/// A value read from the catalog that is the same for every visitor (facets, the portal's
/// operator, the search vocabulary), kept for one catalog generation and Vietnam day, since a
/// version can come into force at midnight. A change made here or announced by PostgreSQL
/// makes the next read load it again.
pub struct CatalogMemo<T>(std::sync::Arc<std::sync::Mutex<Option<(MemoKey, T)>>>);

type MemoKey = (Option<u64>, chrono::NaiveDate);

impl<T> Clone for CatalogMemo<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T> Default for CatalogMemo<T> {
    fn default() -> Self {
        Self(Default::default())
    }
}

impl<T: Clone + Send + 'static> CatalogMemo<T> {
    /// The kept value, or `load`'s (then kept) once the catalog or the day has changed.
    pub async fn get_or_load<F, Fut>(&self, load: F) -> Result<T, AppError>
    where
        F: FnOnce(PgPool) -> Fut,
        Fut: Future<Output = Result<T, sqlx::Error>> + Send + 'static,
    {
        // The generation is read before loading: a change during the load leaves the value
        // under a key no later read asks for.
        let key = (
            use_context::<CatalogGeneration>().map(|generation| generation.current()),
            crate::filed::clock::vietnam_time(chrono::Utc::now()).date(),
        );
        if let Some(value) = self.kept(&key) {
            return Ok(value);
        }
        let value = with_db(load).await?;
        if let Ok(mut kept) = self.0.lock() {
            *kept = Some((key, value.clone()));
        }
        Ok(value)
    }

    fn kept(&self, key: &MemoKey) -> Option<T> {
        let kept = self.0.lock().ok()?;
        kept.as_ref().filter(|(at, _)| at == key).map(|(_, value)| value.clone())
    }
}
