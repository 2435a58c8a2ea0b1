//! Per-request facts the layers establish: the client's address (for rate limits) and the
//! request body's size limit (larger only for document uploads).

use super::AppState;
use app::security::ClientAddress;
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

/// Largest request body accepted (forms).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Largest upload request: a few photos at the per-file cap. A bigger body is cut off, and the
/// upload step tells the citizen the file is too large.
pub const MAX_UPLOAD_BODY_BYTES: usize = 4 * app::dossier::upload::MAX_UPLOAD_BYTES + 64 * 1024;

pub async fn client_address(State(state): State<AppState>, mut request: Request<Body>, next: Next) -> Response {
    let forwarded = state
        .trust_forwarded_for
        .then(|| request.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok()))
        .flatten()
        .and_then(|list| list.split(',').next_back())
        .map(|address| address.trim().to_owned());
    let connected = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip().to_string());
    if let Some(address) = forwarded.or(connected) {
        request.extensions_mut().insert(ClientAddress(limit_key(&address)));
    }
    next.run(request).await
}

/// The address as rate limits count it: an IPv6 client usually holds a whole /64, so the
/// limits count the /64; an IPv4 address (mapped or not) counts alone.
fn limit_key(address: &str) -> String {
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        _ => address.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::limit_key;

    #[test]
    fn an_ipv6_client_is_counted_by_its_64_bit_prefix() {
        assert_eq!(limit_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(limit_key("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
        assert_eq!(limit_key("::ffff:203.0.113.9"), "203.0.113.9");
        assert_eq!(limit_key("203.0.113.9"), "203.0.113.9");
    }
}

pub async fn limit_body(request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path();
    let upload = [
        app::dossier::api::UPLOAD_PATH.as_str(),
        app::desk::api::RESULT_UPLOAD_PATH.as_str(),
        app::admin::api::CATALOG_UPLOAD_PATH.as_str(),
    ]
    .contains(&path);
    let limit = if upload { MAX_UPLOAD_BODY_BYTES } else { MAX_BODY_BYTES };
    let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if !upload && declared.is_some_and(|length| length > limit) {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    next.run(request.map(|body| Body::new(http_body_util::Limited::new(body, limit)))).await
}
