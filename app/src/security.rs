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

/// What a limit stores of a client address: a hash, so the table does not list addresses.
pub fn client_key(address: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("mot-cua client {address}").as_bytes());
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// The one check of every redirect target taken from a request (language switch, sign-in
/// `tiep`, staff sign-in): a path on this site, or else the home page. Browsers drop tabs and
/// newlines from a `Location` and read `\\` as `/`, so `/\t/evil` and `/\\evil` would leave the
/// site; control characters would also make the header invalid.
pub fn local_path(candidate: &str) -> String {
    let safe = candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.contains('\\')
        && !candidate.chars().any(char::is_control)
        && candidate.len() <= 2000;
    if safe {
        candidate.to_owned()
    } else {
        "/".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn redirects_go_only_to_pages_of_this_site() {
        assert_eq!(local_path("/thu-tuc?q=khai+sinh"), "/thu-tuc?q=khai+sinh");
        for hostile in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\u{1}x",
            "/a\\b",
            "https://evil.example",
            "evil",
            "",
        ] {
            assert_eq!(local_path(hostile), "/", "{hostile:?}");
        }
    }
}
