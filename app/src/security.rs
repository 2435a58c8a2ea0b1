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
