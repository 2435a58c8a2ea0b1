//! Two checks before any handler reads a request body: a state-changing request must come
//! from the portal's own pages (CSRF: `SameSite=Lax` alone lets every `*.gov.vn` host post
//! with the visitor's cookie), and the staff API answers only a signed-in officer (default
//! deny; each server function still checks role, agency and the dossier's status).

use super::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// Server functions of the staff side: the desk and administration.
const STAFF_API: [&str; 2] = ["/api/can-bo/", "/api/quan-tri/"];
/// The staff server functions that come before being signed in: the password, then the
/// second factor's code.
const STAFF_SIGN_IN_API: [&str; 2] = ["/api/can-bo/dang-nhap", "/api/can-bo/xac-thuc"];

pub async fn same_origin_only(State(state): State<AppState>, request: Request<Body>, next: Next) -> Response {
    let changes_state = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if changes_state && !from_own_pages(request.headers(), state.public_url.0.as_deref()) {
        tracing::warn!(path = %request.uri().path(), "cross-origin request refused");
        return refused_cross_origin();
    }
    next.run(request).await
}

/// Browsers name where a request comes from in `Sec-Fetch-Site` and `Origin`; a request with
/// neither is not a browser's, so not a forgery of the visitor's.
fn from_own_pages(headers: &HeaderMap, public_url: Option<&str>) -> bool {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
        if !matches!(site, "same-origin" | "none") {
            return false;
        }
    }
    // A browser sends the portal's own `Host`, whatever page the request comes from; behind a
    // proxy that rewrites `Host`, the configured public address is the portal's origin.
    match text(header::ORIGIN) {
        None => true,
        Some(origin) => {
            public_url.is_some_and(|url| origin.eq_ignore_ascii_case(url.trim_end_matches('/')))
                || text(header::HOST).is_some_and(|host| {
                    origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(host)
                })
        }
    }
}

fn refused_cross_origin() -> Response {
    let page = "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
        <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
        <title>Lỗi: yêu cầu không đến từ cổng · Một Cửa</title></head><body>\
        <h1>Yêu cầu không đến từ trang của cổng</h1>\
        <p>Vì an toàn, cổng chỉ nhận biểu mẫu gửi từ chính trang của cổng. Vui lòng mở lại trang \
        và gửi lại.</p><p lang=\"en\">For your safety, the portal only accepts forms sent from its \
        own pages. Please open the page again and resend the form.</p>\
        <p><a href=\"/\">Về trang chủ / Home</a></p></body></html>";
    (StatusCode::FORBIDDEN, Html(page)).into_response()
}

pub async fn staff_api_signed_in(
    State(state): State<AppState>,
    session: Session,
    request: Request<Body>,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let guarded = STAFF_API.iter().any(|prefix| path.starts_with(prefix)) && !STAFF_SIGN_IN_API.contains(&path);
    if guarded {
        match app::auth::staff::staff_with_pool(&session, &state.pool).await {
            Ok(Some(_)) => {}
            Ok(None) => return Redirect::to(app::routes::STAFF_SIGN_IN_PATH).into_response(),
            Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn only_the_portals_own_pages_may_post() {
        let own = headers(&[("host", "motcua.example"), ("origin", "http://motcua.example")]);
        assert!(from_own_pages(&own, None));
        assert!(from_own_pages(&headers(&[("host", "motcua.example")]), None), "no browser, no forgery");
        let evil = headers(&[("host", "motcua.example"), ("origin", "https://evil.example")]);
        assert!(!from_own_pages(&evil, None));
        let sibling = headers(&[("sec-fetch-site", "same-site"), ("origin", "https://other.gov.vn")]);
        assert!(!from_own_pages(&sibling, Some("https://motcua.gov.vn")));
        let public = headers(&[("sec-fetch-site", "same-origin"), ("origin", "https://motcua.gov.vn")]);
        assert!(from_own_pages(&public, Some("https://motcua.gov.vn/")));
        let null = headers(&[("host", "motcua.example"), ("origin", "null")]);
        assert!(!from_own_pages(&null, None), "a sandboxed frame's form");
    }
}
