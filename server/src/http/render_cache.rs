//! Public pages rendered once and served to every visitor without a session: home, catalog and
//! search results, procedure pages, and the feedback and tracking entry pages. A hit touches
//! neither the database nor the renderer. Each page is kept compressed beforehand (brotli and
//! gzip) and as it is, with its content type; the security headers, with a fresh nonce, are
//! added outside, per response (these pages carry no script, so no nonce in their body).
//!
//! A page belongs to a catalog generation ([`CatalogGeneration`]): bumped by this instance's
//! administration and when PostgreSQL announces a change (`LISTEN catalog_changed`, sent by
//! triggers on the catalog tables, so every instance hears of every change), and to a Vietnam
//! day, since a procedure version can come into force at midnight. `X-Render-Cache: hit` or
//! `miss` says which.

use app::routes::{CATALOG_PATH, FEEDBACK_PATH, HOME_PATH, TRACKING_PATH};
use app::state::CatalogGeneration;
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use std::io::Write as _;
use std::sync::Arc;

pub const CHANNEL: &str = "catalog_changed";
pub const HEADER: &str = "x-render-cache";
/// Room for a few thousand pages: a catalog page is 20–60 KB uncompressed.
const CAPACITY_BYTES: u64 = 128 * 1024 * 1024;
const ESTIMATED_PAGES: usize = 4_000;
/// A larger page is served but not kept.
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;
/// Longer search queries are rendered each time (and cannot crowd the cache out).
const MAX_QUERY_BYTES: usize = 200;
const NONCE_ATTRIBUTE: &[u8] = b" nonce=\"";

#[derive(Clone)]
pub struct RenderCache {
    pages: Arc<quick_cache::sync::Cache<String, Arc<Page>, PageWeight>>,
    generation: CatalogGeneration,
}

struct Page {
    content_type: HeaderValue,
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
    /// Compressed at the best level. A page is first kept at a quick level, so that a flood of
    /// distinct search queries costs little more than rendering them; its first hit recompresses
    /// it at the best level, once, off the request.
    best: bool,
    upgrading: std::sync::atomic::AtomicBool,
}

/// Brotli levels: 11 took about 35 ms for a 27 KB catalog page (several renders' worth), 5 about 2 ms.
const QUICK_BROTLI: u32 = 5;
const BEST_BROTLI: u32 = 11;

#[derive(Clone)]
struct PageWeight;

impl quick_cache::Weighter<String, Arc<Page>> for PageWeight {
    fn weight(&self, key: &String, page: &Arc<Page>) -> u64 {
        (key.len() + page.identity.len() + page.gzip.len() + page.brotli.len()) as u64
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl RenderCache {
    pub fn new(generation: CatalogGeneration) -> Self {
        let pages = quick_cache::sync::Cache::with_weighter(ESTIMATED_PAGES, CAPACITY_BYTES, PageWeight);
        Self { pages: Arc::new(pages), generation }
    }

    /// The key of a request a kept page may answer, or `None` when it must be rendered.
    fn key(&self, request: &Request) -> Option<String> {
        if request.method() != Method::GET {
            return None;
        }
        let cookies = cookie_header(request.headers());
        if has_session(&cookies) {
            return None;
        }
        let uri = request.uri();
        if !is_public(uri.path(), uri.query().unwrap_or_default()) {
            return None;
        }
        let locale = app::i18n::Locale::from_cookie_header(&cookies);
        Some(format!("{}|{}|{}|{uri}", self.generation.current(), vietnam_today(), locale.code()))
    }

    /// The generation the pages' administration bumps (through Leptos context).
    pub fn generation(&self) -> CatalogGeneration {
        self.generation.clone()
    }

    /// Drops every kept page (a change announced by PostgreSQL).
    pub fn invalidate(&self) {
        self.generation.bump();
        self.pages.clear();
    }
}

/// Pages the same for every visitor without a session. Pages whose query carries what a
/// visitor typed back to them (a refused feedback message) or a personal code are not kept.
fn is_public(path: &str, query: &str) -> bool {
    match path {
        HOME_PATH | CATALOG_PATH => query.len() <= MAX_QUERY_BYTES,
        FEEDBACK_PATH | TRACKING_PATH => query.is_empty(),
        _ => {
            let code = path.strip_prefix(CATALOG_PATH).and_then(|rest| rest.strip_prefix('/'));
            query.is_empty() && code.is_some_and(|code| !code.is_empty() && !code.contains('/'))
        }
    }
}

fn cookie_header(headers: &HeaderMap) -> String {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join("; ")
}

fn has_session(cookies: &str) -> bool {
    cookies
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .any(|(name, _)| name == super::sessions::COOKIE_NAME || name == super::sessions::SECURE_COOKIE_NAME)
}

fn vietnam_today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}

/// The best encoding the client accepts (a `q=0` refuses one).
fn accepted_encoding(headers: &HeaderMap) -> Encoding {
    let accepted: Vec<String> = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter(|item| !item.replace(' ', "").ends_with(";q=0"))
        .map(|item| item.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .collect();
    if accepted.iter().any(|e| e == "br") {
        Encoding::Brotli
    } else if accepted.iter().any(|e| e == "gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// Serves a kept page, or renders the page uncompressed, keeps it, and serves it.
pub async fn serve(State(cache): State<RenderCache>, mut request: Request, next: Next) -> Response {
    let Some(key) = cache.key(&request) else { return next.run(request).await };
    let encoding = accepted_encoding(request.headers());
    if let Some(page) = cache.pages.get(&key) {
        if !page.best && !page.upgrading.swap(true, std::sync::atomic::Ordering::AcqRel) {
            let (cache, key, page) = (cache.clone(), key.clone(), page.clone());
            tokio::task::spawn_blocking(move || {
                let best = Page::compress(page.content_type.clone(), page.identity.clone(), BEST_BROTLI);
                cache.pages.replace(key, Arc::new(best), true).ok();
            });
        }
        return page.response(encoding, "hit");
    }
    request.headers_mut().insert(header::ACCEPT_ENCODING, HeaderValue::from_static("identity"));
    let response = next.run(request).await;
    let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
    let keep = response.status() == StatusCode::OK && !response.headers().contains_key(header::SET_COOKIE);
    let Some(content_type) = content_type.filter(|t| keep && t.as_bytes().starts_with(b"text/html")) else {
        return response;
    };
    let (parts, body) = response.into_parts();
    let identity = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => return (StatusCode::SERVICE_UNAVAILABLE, parts.headers).into_response(),
    };
    // A page with islands carries this response's nonce in its scripts: it cannot be served to
    // another. (Pages without islands come without scripts: `valid_html`.)
    if identity.windows(NONCE_ATTRIBUTE.len()).any(|w| w == NONCE_ATTRIBUTE) {
        let mut response = Response::from_parts(parts, Body::from(identity));
        response.headers_mut().insert(HEADER, HeaderValue::from_static("miss"));
        return response;
    }
    let compressed = tokio::task::spawn_blocking(move || Page::compress(content_type, identity, QUICK_BROTLI)).await;
    let Ok(page) = compressed.map(Arc::new) else { return StatusCode::SERVICE_UNAVAILABLE.into_response() };
    cache.pages.insert(key, page.clone());
    page.response(encoding, "miss")
}

impl Page {
    fn compress(content_type: HeaderValue, identity: Bytes, quality: u32) -> Self {
        let mut brotli = Vec::new();
        let params = brotli::enc::BrotliEncoderParams { quality: quality as i32, lgwin: 22, ..Default::default() };
        let _ = brotli::BrotliCompress(&mut identity.as_ref(), &mut brotli, &params);
        let best = quality == BEST_BROTLI;
        let level = if best { flate2::Compression::best() } else { flate2::Compression::default() };
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), level);
        let gzip = gzip.write_all(&identity).and_then(|()| gzip.finish()).unwrap_or_default();
        let upgrading = std::sync::atomic::AtomicBool::new(false);
        Self { content_type, identity, gzip: gzip.into(), brotli: brotli.into(), best, upgrading }
    }

    fn response(&self, encoding: Encoding, outcome: &'static str) -> Response {
        let (body, content_encoding) = match encoding {
            Encoding::Brotli if !self.brotli.is_empty() => (self.brotli.clone(), Some("br")),
            Encoding::Gzip | Encoding::Brotli if !self.gzip.is_empty() => (self.gzip.clone(), Some("gzip")),
            _ => (self.identity.clone(), None),
        };
        let mut response = Response::new(Body::from(body));
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, self.content_type.clone());
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding, cookie"));
        headers.insert(HEADER, HeaderValue::from_static(outcome));
        if let Some(content_encoding) = content_encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(content_encoding));
        }
        response
    }
}

/// Drops the kept pages whenever PostgreSQL announces a catalog change, for as long as the
/// server runs; after a lost connection too, since an announcement may have been missed.
pub async fn listen_for_changes(pool: sqlx::PgPool, cache: RenderCache) {
    loop {
        match sqlx::postgres::PgListener::connect_with(&pool).await {
            Ok(mut listener) => {
                if listener.listen(CHANNEL).await.is_ok() {
                    cache.invalidate();
                    while let Ok(Some(_)) = listener.try_recv().await {
                        cache.invalidate();
                    }
                }
                tracing::warn!("catalog change listener lost its connection; reconnecting");
                cache.invalidate();
            }
            Err(_) => tracing::warn!("catalog change listener could not connect; retrying"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pages_the_same_for_everyone_are_kept() {
        assert!(is_public("/", ""));
        assert!(is_public("/thu-tuc", "q=khai+sinh&trang=2"));
        assert!(is_public("/thu-tuc/1.001193", ""));
        assert!(is_public("/tra-cuu", ""));
        assert!(!is_public("/thu-tuc/1.001193", "gop-y-loi=trong&noi-dung=xin+chao"));
        assert!(!is_public("/tra-cuu", "ma=DEMO.NB.03-261202-0001&bi-mat=123456"));
        assert!(!is_public("/thu-tuc", &"q=".repeat(200)));
        assert!(!is_public("/thu-tuc/1.001193/x", ""));
        assert!(!is_public("/ho-so-cua-toi", ""));
        assert!(!is_public("/can-bo", ""));
    }

    #[test]
    fn a_session_cookie_is_found_among_others() {
        assert!(has_session("lang=en; phien=abc"));
        assert!(has_session("__Host-phien=abc"));
        assert!(!has_session("lang=en"));
        assert!(!has_session("phienx=1"));
    }

    #[test]
    fn the_best_accepted_encoding_is_chosen() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
            accepted_encoding(&headers)
        };
        assert_eq!(with("gzip, deflate, br, zstd"), Encoding::Brotli);
        assert_eq!(with("gzip"), Encoding::Gzip);
        assert_eq!(with("br;q=0, gzip"), Encoding::Gzip);
        assert_eq!(with("identity"), Encoding::Identity);
        assert_eq!(accepted_encoding(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn a_kept_page_decompresses_to_what_was_rendered() {
        let html = Bytes::from("<!DOCTYPE html><html lang=\"vi\"><p>Đăng ký khai sinh</p></html>".repeat(50));
        for quality in [QUICK_BROTLI, BEST_BROTLI] {
            let page = Page::compress(HeaderValue::from_static("text/html; charset=utf-8"), html.clone(), quality);
            let mut unbrotli = Vec::new();
            brotli::BrotliDecompress(&mut page.brotli.as_ref(), &mut unbrotli).unwrap();
            assert_eq!(unbrotli, html);
            let mut ungzip = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(page.gzip.as_ref()), &mut ungzip).unwrap();
            assert_eq!(ungzip, html);
            assert!(page.brotli.len() < html.len() / 10);
        }
    }
}
