//! Content-Security-Policy nonce shared by the HTTP layer and the rendered page.

use leptos::{nonce::Nonce, prelude::*};

/// Inserted into each request's extensions by the server's security-header layer.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

/// Makes the request's nonce the one Leptos stamps on the scripts it renders.
pub fn provide_request_nonce() {
    let nonce = use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(value)) = nonce {
        provide_context(Nonce::from_value(value));
    }
}

/// The client's network address, inserted into each request's extensions by the server (from
/// the connection, or from `X-Forwarded-For` behind a trusted proxy). Used for rate limits only.
#[derive(Debug, Clone)]
pub struct ClientAddress(pub String);

pub fn client_address() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientAddress>().map(|a| a.0.clone()))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// A path on this site to return to after signing in; anything else becomes the home page.
pub fn local_path(candidate: &str) -> String {
    let safe = candidate.starts_with('/') && !candidate.starts_with("//") && !candidate.contains(['\\', '\r', '\n']);
    if safe {
        candidate.to_owned()
    } else {
        "/".to_owned()
    }
}
