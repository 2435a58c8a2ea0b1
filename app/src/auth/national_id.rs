//! Sign-in with the national digital identity: the portal as an OpenID Connect relying party
//! (authorization code flow with PKCE, `state` and `nonce`; the provider found by discovery; the
//! ID token's signature checked against the provider's published keys, fetched again once when
//! a token names a key not seen yet, so that the provider can rotate them; issuer, audience and
//! expiry checked by `openidconnect`). What the provider asserts becomes an [`Asserted`]
//! identity; `citizen.rs` decides which account it signs in.

use crate::domain::phone::PhoneNumber;
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
pub use openidconnect::ClientSecret;
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClaimsVerificationError, Client, ClientId, CsrfToken, EmptyExtraTokenFields,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl, LogoutRequest, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, Scope,
    SignatureVerificationError, StandardErrorResponse, StandardTokenResponse, TokenResponse,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::RwLock;

/// Every claim of the ID token beyond the standard ones, by name: the personal ID number's
/// claim has no standard name and is configured.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OtherClaims {
    #[serde(flatten)]
    named: BTreeMap<String, serde_json::Value>,
}

impl AdditionalClaims for OtherClaims {}

type Fields = IdTokenFields<
    OtherClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type Tokens = StandardTokenResponse<Fields, CoreTokenType>;
type OidcClient = Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// The names of the claims the portal reads (`OIDC_CLAIM_*`).
#[derive(Debug, Clone)]
pub struct ClaimNames {
    pub id_number: String,
    pub full_name: String,
    pub birthdate: String,
    pub phone: String,
    pub address: String,
}

impl Default for ClaimNames {
    fn default() -> Self {
        Self {
            id_number: "so_dinh_danh".into(),
            full_name: "name".into(),
            birthdate: "birthdate".into(),
            phone: "phone_number".into(),
            address: "address".into(),
        }
    }
}

/// The provider's settings (`OIDC_*`). The client secret is redacted when printed.
#[derive(Debug, Clone)]
pub struct ProviderSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: ClientSecret,
    /// Beyond `openid`.
    pub scopes: Vec<String>,
    pub claims: ClaimNames,
    /// The portal's own address, to which the provider sends the citizen back.
    pub redirect_url: String,
}

/// A sign-in started: what the callback must match, kept in the visitor's session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Started {
    state: String,
    nonce: String,
    pkce_verifier: String,
    pub return_to: String,
}

/// Who the provider says the citizen is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asserted {
    /// The 12-digit personal identification number.
    pub id_number: String,
    pub full_name: Option<String>,
    /// As the provider gives it (`YYYY-MM-DD` in the standard claim).
    pub birthdate: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// Why a sign-in through the provider was refused; nothing is signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the callback does not belong to a sign-in this browser started")]
    UnknownState,
    #[error("the provider reported an error or the citizen cancelled")]
    Cancelled,
    #[error("the provider could not be reached or answered wrongly")]
    Unavailable,
    #[error("the ID token failed its checks")]
    BadToken,
    #[error("the provider asserted no valid personal ID number")]
    NoIdNumber,
}

impl Refusal {
    pub fn slug(self) -> &'static str {
        match self {
            Self::UnknownState => "phien-khong-hop-le",
            Self::Cancelled => "da-huy",
            Self::Unavailable => "tam-loi",
            Self::BadToken => "ma-khong-hop-le",
            Self::NoIdNumber => "thieu-so-dinh-danh",
        }
    }
}

/// The configured provider, with its discovered metadata (keys included) kept between sign-ins.
#[derive(Clone)]
pub struct Provider {
    settings: Arc<ProviderSettings>,
    http: reqwest::Client,
    discovered: Arc<RwLock<Option<ProviderMetadataWithLogout>>>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider").field("settings", &self.settings).finish_non_exhaustive()
    }
}

impl Provider {
    pub fn new(settings: ProviderSettings) -> Result<Self, reqwest::Error> {
        // The provider's answers are read as given: a redirect could lead the portal elsewhere.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()?;
        Ok(Self { settings: Arc::new(settings), http, discovered: Arc::default() })
    }

    /// The provider's metadata and keys: discovered once, again when `fresh` is asked.
    async fn metadata(&self, fresh: bool) -> Result<ProviderMetadataWithLogout, Refusal> {
        if !fresh {
            if let Some(known) = self.discovered.read().await.clone() {
                return Ok(known);
            }
        }
        let issuer = IssuerUrl::new(self.settings.issuer.clone()).map_err(|_| Refusal::Unavailable)?;
        let metadata = ProviderMetadataWithLogout::discover_async(issuer, &self.http).await.map_err(|error| {
            tracing::warn!(%error, "identity provider discovery failed");
            Refusal::Unavailable
        })?;
        *self.discovered.write().await = Some(metadata.clone());
        Ok(metadata)
    }

    async fn client(&self, fresh: bool) -> Result<OidcClient, Refusal> {
        let metadata = self.metadata(fresh).await?;
        let redirect = RedirectUrl::new(self.settings.redirect_url.clone()).map_err(|_| Refusal::Unavailable)?;
        Ok(OidcClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            Some(self.settings.client_secret.clone()),
        )
        .set_redirect_uri(redirect))
    }

    /// Where to send a citizen signing out, to end the provider's session too (RP-initiated
    /// logout), coming back to `back`: `None` when the provider offers no such endpoint.
    pub async fn logout_url(&self, back: &str) -> Option<String> {
        let metadata = self.metadata(false).await.ok()?;
        let end_session = metadata.additional_metadata().end_session_endpoint.clone()?;
        let request = LogoutRequest::from(end_session)
            .set_client_id(ClientId::new(self.settings.client_id.clone()))
            .set_post_logout_redirect_uri(PostLogoutRedirectUrl::new(back.to_owned()).ok()?);
        Some(request.http_get_url().to_string())
    }

    /// The provider's origin, where the sign-out form leads (for the pages' `form-action`).
    pub fn origin(&self) -> Option<String> {
        let url = openidconnect::url::Url::parse(&self.settings.issuer).ok()?;
        Some(url.origin().ascii_serialization()).filter(|o| o != "null")
    }

    /// The provider's address to send the citizen to, and what the callback must match.
    pub async fn start(&self, return_to: String) -> Result<(String, Started), Refusal> {
        let client = self.client(false).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request =
            client.authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random);
        for scope in &self.settings.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        let started = Started {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            return_to,
        };
        Ok((url.to_string(), started))
    }

    /// Completes a sign-in from the provider's callback: the state must be the one this session
    /// started, the code is exchanged (with the PKCE verifier and the client secret), and the ID
    /// token checked (signature, issuer, audience, expiry, nonce).
    pub async fn finish(&self, started: Started, callback: &Callback) -> Result<Asserted, Refusal> {
        let state_matches = callback.state.as_bytes().len() == started.state.len()
            && constant_time_eq(callback.state.as_bytes(), started.state.as_bytes());
        if !state_matches {
            return Err(Refusal::UnknownState);
        }
        if callback.error.is_some() {
            return Err(Refusal::Cancelled);
        }
        let code = callback.code.clone().filter(|c| !c.is_empty()).ok_or(Refusal::Cancelled)?;
        let client = self.client(false).await?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|_| Refusal::Unavailable)?
            .set_pkce_verifier(PkceCodeVerifier::new(started.pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|error| {
                tracing::warn!(%error, "identity provider token exchange failed");
                Refusal::Unavailable
            })?;
        let token = tokens.id_token().ok_or(Refusal::BadToken)?;
        let nonce = Nonce::new(started.nonce);
        let claims = match token.claims(&client.id_token_verifier(), &nonce) {
            Ok(claims) => claims.clone(),
            // A key not seen before: the provider may have rotated its keys.
            Err(ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoMatchingKey)) => {
                let client = self.client(true).await?;
                let verifier = client.id_token_verifier();
                let claims = token.claims(&verifier, &nonce).map_err(refused)?.clone();
                claims
            }
            Err(error) => return Err(refused(error)),
        };
        self.asserted(&claims)
    }

    fn asserted(
        &self,
        claims: &openidconnect::IdTokenClaims<OtherClaims, CoreGenderClaim>,
    ) -> Result<Asserted, Refusal> {
        let names = &self.settings.claims;
        let extra = &claims.additional_claims().named;
        let text = |name: &str| -> Option<String> {
            let value = extra.get(name)?;
            let text = match value {
                serde_json::Value::String(s) => s.trim().to_owned(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Object(o) => {
                    o.get("formatted").and_then(|f| f.as_str()).unwrap_or("").trim().to_owned()
                }
                _ => String::new(),
            };
            (!text.is_empty()).then(|| text.chars().take(300).collect())
        };
        let id_number = text(&names.id_number)
            .filter(|n| n.len() == 12 && n.bytes().all(|b| b.is_ascii_digit()))
            .ok_or(Refusal::NoIdNumber)?;
        let standard = |name: &str| -> Option<String> {
            match name {
                "name" => claims.name().and_then(|n| n.get(None)).map(|n| n.as_str().to_owned()),
                "birthdate" => claims.birthdate().map(|b| b.as_str().to_owned()),
                "phone_number" => claims.phone_number().map(|p| p.as_str().to_owned()),
                "address" => claims.address().and_then(|a| a.formatted.as_ref()).map(|f| f.as_str().to_owned()),
                other => text(other),
            }
        };
        let phone =
            standard(&names.phone).and_then(|p| PhoneNumber::parse(&p.replace("+84", "0")).ok()).map(|p| p.to_string());
        Ok(Asserted {
            id_number,
            full_name: standard(&names.full_name),
            birthdate: standard(&names.birthdate),
            phone,
            address: standard(&names.address),
        })
    }
}

fn refused(error: ClaimsVerificationError) -> Refusal {
    // The kind of failure only: the token's content is personal.
    tracing::warn!(kind = %error_kind(&error), "an ID token was refused");
    Refusal::BadToken
}

fn error_kind(error: &ClaimsVerificationError) -> &'static str {
    match error {
        ClaimsVerificationError::Expired(_) => "expired",
        ClaimsVerificationError::InvalidAudience(_) => "audience",
        ClaimsVerificationError::InvalidIssuer(_) => "issuer",
        ClaimsVerificationError::InvalidNonce(_) => "nonce",
        ClaimsVerificationError::SignatureVerification(_) => "signature",
        _ => "other",
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The provider's callback query.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Callback {
    #[serde(default)]
    pub state: String,
    pub code: Option<String>,
    pub error: Option<String>,
}
