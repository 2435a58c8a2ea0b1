//! Security headers on every response, with a fresh script nonce per request.

use app::security::CspNonce;
use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use rand::RngCore as _;

/// Pages and files with someone's own data, or a staff desk (often a shared counter
/// computer): never kept by the browser or a proxy.
const PERSONAL: [&str; 9] = [
    "/can-bo",
    "/ho-so-cua-toi",
    "/nop-ho-so",
    "/ho-so/",
    "/dang-nhap",
    "/tra-cuu/",
    "/api/",
    "/thanh-toan/",
    "/bien-lai/",
];

/// What the headers depend on: HTTPS, and the payment gateway forms may lead to.
#[derive(Clone, Debug)]
pub struct Policy {
    https_only: bool,
    /// `form-action`: the portal, the payment gateway's origin (the "pay online" form is
    /// answered with a redirect there, which `form-action` governs too) and the identity
    /// provider's (signing out leads there to end its session too).
    form_action: String,
}

impl Policy {
    pub fn new(https_only: bool, gateway: &app::payment::Gateway, identity: Option<&str>) -> Self {
        let gateway_origin = gateway
            .merchant
            .as_ref()
            .filter(|m| m.pay_url.starts_with("https://") || m.pay_url.starts_with("http://"))
            .map(|m| m.pay_url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/"));
        let form_action = std::iter::once("'self'".to_owned()).chain(gateway_origin).chain(identity.map(str::to_owned));
        let form_action = form_action.collect::<Vec<_>>().join(" ");
        Self { https_only, form_action }
    }
}

pub async fn add(State(policy): State<Policy>, mut request: Request, next: Next) -> Response {
    let https_only = policy.https_only;
    let nonce = new_nonce();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let personal = PERSONAL.iter().any(|prefix| request.uri().path().starts_with(prefix));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if personal {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Ok(csp) = HeaderValue::from_str(&content_security_policy(&nonce, &policy.form_action)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if https_only {
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=63072000; includeSubDomains"));
    }
    response
}

/// 128 random bits, URL-safe base64.
fn new_nonce() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Scripts run only with this response's nonce (and what they import); WebAssembly may
/// compile; nothing may frame the portal.
fn content_security_policy(nonce: &str, form_action: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action {form_action}; frame-ancestors 'none'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_long_and_never_repeat() {
        let a = new_nonce();
        let b = new_nonce();
        assert_eq!(a.len(), 22); // 16 bytes, unpadded base64
        assert_ne!(a, b);
    }

    #[test]
    fn policy_forbids_framing_and_names_the_nonce() {
        let csp = content_security_policy("abc", "'self'");
        assert!(csp.contains("'nonce-abc'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
    }

    #[test]
    fn forms_may_lead_to_the_payment_gateway_and_the_identity_provider_and_nowhere_else() {
        let merchant = app::payment::vnpay::Merchant {
            tmn_code: "DEMOV210".into(),
            secret: "s".into(),
            pay_url: "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html".into(),
            api_url: "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction".into(),
            ipn_sources: Vec::new(),
        };
        let policy = Policy::new(true, &app::payment::Gateway::vnpay(merchant), None);
        assert_eq!(policy.form_action, "'self' https://sandbox.vnpayment.vn");
        assert_eq!(Policy::new(false, &Default::default(), None).form_action, "'self'");
        let identity = Some("https://id.example.gov.vn");
        assert_eq!(Policy::new(false, &Default::default(), identity).form_action, "'self' https://id.example.gov.vn");
    }
}
