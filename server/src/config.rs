//! Settings from environment variables, with the defaults documented in the README.

use leptos::config::LeptosOptions;
use secrecy::SecretString;
use std::{env, path::Path, time::Duration};

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub database_max_connections: u32,
    pub demo_data: bool,
    /// The portal is served over HTTPS: send HSTS.
    pub https_only: bool,
    /// Serve the hello-world baseline route for `.ci/bench`.
    pub benchmark_baseline: bool,
    /// `HTML_COPIES_DIR`: the test command's folder for copies of the pages served.
    pub html_copies_dir: Option<std::path::PathBuf>,
    /// Where uploaded documents are kept: a directory, or `s3://bucket`.
    pub file_store: String,
    /// SMS gateway; unset: messages are written to the server log (development, demo).
    pub sms_gateway_url: Option<String>,
    pub sms_gateway_token: Option<SecretString>,
    /// SMTP server for e-mail notices; unset: they are written to the server log.
    /// Holds the password when the server needs one: never printed.
    pub smtp_url: Option<SecretString>,
    pub smtp_from: String,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    /// The portal's public address for QR codes and SMS links; unset: the request's host.
    pub public_url: Option<String>,
    /// The VNPAY merchant account (`VNPAY_TMN_CODE` and `VNPAY_HASH_SECRET`); unset: no gateway.
    pub vnpay: Option<app::payment::vnpay::Merchant>,
    /// The national digital identity's OpenID provider (`OIDC_*`); unset: phone sign-in only.
    pub national_id: Option<app::auth::national_id::ProviderSettings>,
    pub leptos: LeptosOptions,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("DATABASE_URL is not set (the run command sets it for the local database)")]
    MissingDatabaseUrl,
    #[error("{name} has an invalid value {value:?}: {expected}")]
    Invalid { name: &'static str, value: String, expected: &'static str },
    #[error("Leptos settings: {0}")]
    Leptos(String),
    #[error("HTML_COPIES_DIR keeps copies of the pages served, personal data included: it is for tests and refused with HTTPS_ONLY=on")]
    HtmlCopiesInProduction,
    #[error("VNPAY_TMN_CODE and VNPAY_HASH_SECRET are set together or not at all")]
    VnpayHalfSet,
    #[error("OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set together or not at all")]
    OidcHalfSet,
    #[error("PUBLIC_URL must be set to the portal's https:// address when HTTPS_ONLY=on (links in SMS and QR codes are built from it, never from a request's Host header)")]
    PublicUrlRequired,
}

fn html_copies_dir(https_only: bool) -> Result<Option<std::path::PathBuf>, ConfigError> {
    let Some(dir) = env::var("HTML_COPIES_DIR").ok().filter(|v| !v.trim().is_empty()) else { return Ok(None) };
    if https_only {
        return Err(ConfigError::HtmlCopiesInProduction);
    }
    Ok(Some(dir.into()))
}

/// The gateway's sandbox unless other addresses are given.
fn vnpay() -> Result<Option<app::payment::vnpay::Merchant>, ConfigError> {
    let value = |name: &str| env::var(name).ok().filter(|v| !v.trim().is_empty());
    match (value("VNPAY_TMN_CODE"), value("VNPAY_HASH_SECRET")) {
        (None, None) => Ok(None),
        (Some(tmn_code), Some(secret)) => Ok(Some(app::payment::vnpay::Merchant {
            tmn_code,
            secret,
            pay_url: value("VNPAY_PAY_URL")
                .unwrap_or_else(|| "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html".to_owned()),
            api_url: value("VNPAY_API_URL")
                .unwrap_or_else(|| "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction".to_owned()),
            ipn_sources: ipn_sources(value("VNPAY_IPN_SOURCES").as_deref().unwrap_or_default())?,
        })),
        _ => Err(ConfigError::VnpayHalfSet),
    }
}

/// `VNPAY_IPN_SOURCES`: addresses or networks, comma-separated (`203.0.113.5, 203.0.113.0/28`).
fn ipn_sources(listed: &str) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    let invalid = |value: &str| ConfigError::Invalid {
        name: "VNPAY_IPN_SOURCES",
        value: value.to_owned(),
        expected: "IP addresses or networks (a.b.c.d/n), comma-separated",
    };
    listed
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<ipnet::IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| invalid(item))
        })
        .collect()
}

/// The identity provider, and the claims read from its ID token (standard names by default; the
/// personal ID number's claim has none). The callback is under `PUBLIC_URL`, or else the
/// address the portal listens on.
fn national_id(
    public_url: Option<&str>,
    site: std::net::SocketAddr,
) -> Result<Option<app::auth::national_id::ProviderSettings>, ConfigError> {
    use app::auth::national_id::{ClaimNames, ProviderSettings};
    let value = |name: &str| env::var(name).ok().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let (issuer, client_id, client_secret) =
        match (value("OIDC_ISSUER_URL"), value("OIDC_CLIENT_ID"), value("OIDC_CLIENT_SECRET")) {
            (None, None, None) => return Ok(None),
            (Some(issuer), Some(id), Some(secret)) => (issuer, id, secret),
            _ => return Err(ConfigError::OidcHalfSet),
        };
    let defaults = ClaimNames::default();
    let claim = |name: &str, default: String| value(name).unwrap_or(default);
    let origin = public_url.map(|u| u.trim_end_matches('/').to_owned()).unwrap_or_else(|| format!("http://{site}"));
    Ok(Some(ProviderSettings {
        issuer,
        client_id,
        client_secret: app::auth::national_id::ClientSecret::new(client_secret),
        scopes: value("OIDC_SCOPES")
            .unwrap_or_else(|| "profile phone address".into())
            .split_whitespace()
            .filter(|s| *s != "openid")
            .map(str::to_owned)
            .collect(),
        claims: ClaimNames {
            id_number: claim("OIDC_CLAIM_ID_NUMBER", defaults.id_number),
            full_name: claim("OIDC_CLAIM_NAME", defaults.full_name),
            birthdate: claim("OIDC_CLAIM_BIRTHDATE", defaults.birthdate),
            phone: claim("OIDC_CLAIM_PHONE", defaults.phone),
            address: claim("OIDC_CLAIM_ADDRESS", defaults.address),
        },
        redirect_url: format!("{origin}{}", app::routes::NATIONAL_ID_CALLBACK_PATH),
    }))
}

fn secret(name: &str) -> Option<SecretString> {
    env::var(name).ok().filter(|v| !v.trim().is_empty()).map(SecretString::from)
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        let database_url = env::var("DATABASE_URL").map_err(|_| ConfigError::MissingDatabaseUrl)?;
        let mut leptos =
            leptos::config::get_configuration(None).map_err(|e| ConfigError::Leptos(e.to_string()))?.leptos_options;
        leptos.hash_files = hash_file_beside_binary(&leptos.hash_file);
        let https_only = parse_switch("HTTPS_ONLY", false)?;
        let public_url = env::var("PUBLIC_URL").ok().filter(|v| !v.trim().is_empty());
        if https_only && !public_url.as_deref().is_some_and(|url| url.starts_with("https://")) {
            return Err(ConfigError::PublicUrlRequired);
        }
        Ok(Self {
            database_url,
            database_max_connections: parse_env("DATABASE_MAX_CONNECTIONS", 10, "a positive number")?,
            demo_data: parse_switch("DEMO_DATA", true)?,
            https_only,
            benchmark_baseline: parse_switch("BENCHMARK_BASELINE", false)?,
            html_copies_dir: html_copies_dir(https_only)?,
            file_store: env::var("FILE_STORE").unwrap_or_else(|_| ".data/files".to_owned()),
            sms_gateway_url: env::var("SMS_GATEWAY_URL").ok().filter(|v| !v.trim().is_empty()),
            sms_gateway_token: secret("SMS_GATEWAY_TOKEN"),
            smtp_url: secret("SMTP_URL"),
            smtp_from: env::var("SMTP_FROM").unwrap_or_else(|_| "Một Cửa <khong-tra-loi@localhost>".to_owned()),
            trust_forwarded_for: parse_switch("TRUST_FORWARDED_FOR", false)?,
            public_url: public_url.clone(),
            vnpay: vnpay()?,
            national_id: national_id(public_url.as_deref(), leptos.site_addr)?,
            leptos,
        })
    }
}

/// Timeout for `/healthz` and for acquiring a database connection.
pub const DATABASE_TIMEOUT: Duration = Duration::from_secs(3);

/// cargo-leptos writes `hash.txt` next to the release binary when asset names carry hashes.
fn hash_file_beside_binary(name: &str) -> bool {
    env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(name)))
        .is_some_and(|path| Path::new(&path).exists())
}

fn parse_env<T: std::str::FromStr>(name: &'static str, default: T, expected: &'static str) -> Result<T, ConfigError> {
    match env::var(name) {
        Err(_) => Ok(default),
        Ok(value) => value.trim().parse().map_err(|_| ConfigError::Invalid { name, value, expected }),
    }
}

fn parse_switch(name: &'static str, default: bool) -> Result<bool, ConfigError> {
    match env::var(name).map(|v| v.trim().to_ascii_lowercase()) {
        Err(_) => Ok(default),
        Ok(v) if matches!(v.as_str(), "on" | "true" | "1" | "yes") => Ok(true),
        Ok(v) if matches!(v.as_str(), "off" | "false" | "0" | "no") => Ok(false),
        Ok(value) => Err(ConfigError::Invalid { name, value, expected: "on or off" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gateways_notification_addresses_are_addresses_or_networks() {
        let listed = ipn_sources(" 203.0.113.5, 203.0.113.0/28 ,").unwrap();
        assert_eq!(listed.iter().map(ToString::to_string).collect::<Vec<_>>(), ["203.0.113.5/32", "203.0.113.0/28"]);
        assert!(ipn_sources("").unwrap().is_empty());
        assert!(matches!(ipn_sources("203.0.113.5, vnpay.vn"), Err(ConfigError::Invalid { .. })));
    }

    #[test]
    fn secrets_never_print_with_the_settings() {
        let secret = |value: &str| Some(SecretString::from(value));
        let settings = Settings {
            database_url: "postgres://localhost/x".into(),
            database_max_connections: 1,
            demo_data: false,
            https_only: false,
            benchmark_baseline: false,
            html_copies_dir: None,
            file_store: ".data/files".into(),
            sms_gateway_url: Some("https://sms.example".into()),
            sms_gateway_token: secret("token-must-not-print"),
            smtp_url: secret("smtps://user:password-must-not-print@mail.example"),
            smtp_from: "x@example".into(),
            trust_forwarded_for: false,
            public_url: None,
            vnpay: Some(app::payment::vnpay::Merchant {
                tmn_code: "DEMOV210".into(),
                secret: "hash-secret-must-not-print".into(),
                pay_url: "https://pay.example".into(),
                api_url: "https://api.example".into(),
                ipn_sources: Vec::new(),
            }),
            national_id: Some(app::auth::national_id::ProviderSettings {
                issuer: "https://id.example".into(),
                client_id: "mot-cua".into(),
                client_secret: app::auth::national_id::ClientSecret::new("oidc-secret-must-not-print".into()),
                scopes: vec![],
                claims: Default::default(),
                redirect_url: "https://x/cb".into(),
            }),
            leptos: LeptosOptions::builder().output_name("test").build(),
        };
        let printed = format!("{settings:?}");
        assert!(!printed.contains("token-must-not-print"), "{printed}");
        assert!(!printed.contains("password-must-not-print"), "{printed}");
        assert!(!printed.contains("hash-secret-must-not-print"), "{printed}");
        assert!(!printed.contains("oidc-secret-must-not-print"), "{printed}");
    }
}
