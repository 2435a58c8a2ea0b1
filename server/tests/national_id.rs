//! Sign-in with the national digital identity through the real router, against a mock OpenID
//! provider served over HTTP by this file (discovery, published keys, token endpoint with the
//! client's secret and PKCE checked), which signs its ID tokens with test keys of its own
//! (`fixtures/oidc-test-key-*.pem`, made for these tests only). A token with a forged
//! signature, another nonce, another audience or past its expiry signs nobody in; keys the
//! provider rotates are fetched again; a phone account is linked to one ID number only.

mod common;

use app::auth::national_id::{ClaimNames, ClientSecret, Provider, ProviderSettings};
use axum::extract::{Form, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use common::*;
use openidconnect::core::{
    CoreGenderClaim, CoreJsonWebKeySet, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreProviderMetadata, CoreResponseType, CoreRsaPrivateSigningKey, CoreSubjectIdentifierType,
};
use openidconnect::{
    AdditionalClaims, Audience, AuthUrl, EmptyAdditionalProviderMetadata, EndUserName, EndUserPhoneNumber, IdToken,
    IdTokenClaims, IssuerUrl, JsonWebKeyId, JsonWebKeySetUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    PrivateSigningKey, ResponseTypes, StandardClaims, SubjectIdentifier, TokenUrl,
};
use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const CLIENT_ID: &str = "mot-cua-test";
/// `Basic` credentials of `mot-cua-test:test-secret`.
const CLIENT_BASIC: &str = "Basic bW90LWN1YS10ZXN0OnRlc3Qtc2VjcmV0";
const REDIRECT: &str = "http://portal.test/dang-nhap/dinh-danh/ve";

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct VnClaims {
    so_dinh_danh: String,
}
impl AdditionalClaims for VnClaims {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tamper {
    Nothing,
    /// Signed by a key the provider never published, under the published key's id.
    ForgedSignature,
    WrongNonce,
    Expired,
    OtherAudience,
}

struct Issued {
    challenge: String,
    nonce: String,
    id_number: String,
    phone: String,
    tamper: Tamper,
}

struct Keys {
    /// The key that signs, and the keys published at `/jwks`.
    signing: usize,
    published: Vec<usize>,
}

struct MockState {
    issuer: String,
    keys: Vec<CoreRsaPrivateSigningKey>,
    forger: CoreRsaPrivateSigningKey,
    current: Keys,
    codes: HashMap<String, Issued>,
    jwks_fetched: usize,
}

type Shared = Arc<Mutex<MockState>>;

fn key(n: u8, kid: &str) -> CoreRsaPrivateSigningKey {
    let pem = std::fs::read_to_string(format!("{}/tests/fixtures/oidc-test-key-{n}.pem", env!("CARGO_MANIFEST_DIR")))
        .expect("test key");
    CoreRsaPrivateSigningKey::from_pem(&pem, Some(JsonWebKeyId::new(kid.into()))).expect("PKCS#1 key")
}

async fn discovery(State(mock): State<Shared>) -> Json<serde_json::Value> {
    let issuer = mock.lock().unwrap().issuer.clone();
    let metadata = CoreProviderMetadata::new(
        IssuerUrl::new(issuer.clone()).unwrap(),
        AuthUrl::new(format!("{issuer}/authorize")).unwrap(),
        JsonWebKeySetUrl::new(format!("{issuer}/jwks")).unwrap(),
        vec![ResponseTypes::new(vec![CoreResponseType::Code])],
        vec![CoreSubjectIdentifierType::Public],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
        EmptyAdditionalProviderMetadata {},
    )
    .set_token_endpoint(Some(TokenUrl::new(format!("{issuer}/token")).unwrap()));
    let mut metadata = serde_json::to_value(metadata).unwrap();
    metadata["end_session_endpoint"] = format!("{issuer}/session/end").into();
    Json(metadata)
}

async fn jwks(State(mock): State<Shared>) -> Json<serde_json::Value> {
    let mut mock = mock.lock().unwrap();
    mock.jwks_fetched += 1;
    let keys = mock.current.published.iter().map(|i| mock.keys[*i].as_verification_key()).collect();
    Json(serde_json::to_value(CoreJsonWebKeySet::new(keys)).unwrap())
}

/// The token endpoint: the client's secret, the code, the redirect address and the PKCE
/// verifier checked as a provider does; the ID token signed (or tampered with) as the test asked.
async fn token(
    State(mock): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let refuse =
        |what: &str| (axum::http::StatusCode::BAD_REQUEST, Json(serde_json::json!({ "error": what }))).into_response();
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(CLIENT_BASIC) {
        return refuse("invalid_client");
    }
    let mut mock = mock.lock().unwrap();
    let Some(issued) = form.get("code").and_then(|code| mock.codes.remove(code)) else {
        return refuse("invalid_grant");
    };
    let verifier = PkceCodeVerifier::new(form.get("code_verifier").cloned().unwrap_or_default());
    if form.get("redirect_uri").map(String::as_str) != Some(REDIRECT)
        || PkceCodeChallenge::from_code_verifier_sha256(&verifier).as_str() != issued.challenge
    {
        return refuse("invalid_grant");
    }
    let now = chrono::Utc::now();
    let (issued_at, expires) = match issued.tamper {
        Tamper::Expired => (now - chrono::Duration::hours(2), now - chrono::Duration::hours(1)),
        _ => (now, now + chrono::Duration::minutes(5)),
    };
    let audience = if issued.tamper == Tamper::OtherAudience { "another-portal" } else { CLIENT_ID };
    let nonce = if issued.tamper == Tamper::WrongNonce { "a-nonce-of-another-sign-in".into() } else { issued.nonce };
    let standard =
        StandardClaims::<CoreGenderClaim>::new(SubjectIdentifier::new(format!("vneid-{}", issued.id_number)))
            .set_name(Some(EndUserName::new("Nguyễn Thị Mai".into()).into()))
            .set_phone_number(Some(EndUserPhoneNumber::new(issued.phone)));
    let claims = IdTokenClaims::new(
        IssuerUrl::new(mock.issuer.clone()).unwrap(),
        vec![Audience::new(audience.into())],
        expires,
        issued_at,
        standard,
        VnClaims { so_dinh_danh: issued.id_number },
    )
    .set_nonce(Some(Nonce::new(nonce)));
    let signer = if issued.tamper == Tamper::ForgedSignature { &mock.forger } else { &mock.keys[mock.current.signing] };
    let id_token: IdToken<VnClaims, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm> =
        IdToken::new(claims, signer, CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256, None, None).unwrap();
    Json(serde_json::json!({
        "access_token": "mock-access-token",
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token.to_string(),
    }))
    .into_response()
}

/// The mock provider, listening on a port of its own.
async fn mock_provider() -> Shared {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}", listener.local_addr().unwrap());
    let mock = Arc::new(Mutex::new(MockState {
        issuer,
        keys: vec![key(1, "khoa-1"), key(2, "khoa-2")],
        forger: key(3, "khoa-1"),
        current: Keys { signing: 0, published: vec![0] },
        codes: HashMap::new(),
        jwks_fetched: 0,
    }));
    let routes = Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/token", post(token))
        .with_state(mock.clone());
    tokio::spawn(async move { axum::serve(listener, routes).await });
    mock
}

async fn portal(pool: &PgPool, mock: &Shared) -> Router {
    server::database::prepare(pool, true).await.expect("migrations and demo data");
    let settings = ProviderSettings {
        issuer: mock.lock().unwrap().issuer.clone(),
        client_id: CLIENT_ID.into(),
        client_secret: ClientSecret::new("test-secret".into()),
        scopes: vec!["profile".into(), "phone".into()],
        claims: ClaimNames::default(),
        redirect_url: REDIRECT.into(),
    };
    server::http::router(server::http::AppState {
        national_id: Some(Provider::new(settings).unwrap()),
        ..server::http::AppState::new(pool.clone(), options(), files())
    })
}

/// Through the provider: the portal's redirect is read as the provider would (state, nonce,
/// PKCE challenge), a code issued for the citizen, and the browser sent back with it.
async fn through_provider(browser: &mut Browser, mock: &Shared, id_number: &str, phone: &str, tamper: Tamper) -> Reply {
    let start = browser.get("/dang-nhap/dinh-danh?tiep=/ho-so-cua-toi").await;
    assert_eq!(start.status, 303, "{}", start.body);
    let to_provider = url::Url::parse(&location(&start)).unwrap();
    let asked: HashMap<String, String> = to_provider.query_pairs().into_owned().collect();
    assert_eq!(asked["response_type"], "code");
    assert_eq!(asked["client_id"], CLIENT_ID);
    assert_eq!(asked["code_challenge_method"], "S256");
    assert_eq!(asked["redirect_uri"], REDIRECT);
    assert!(asked["scope"].split(' ').any(|s| s == "openid"), "{}", asked["scope"]);
    let code = format!("ma-{}", asked["state"].len() + mock.lock().unwrap().codes.len() + rand_suffix());
    mock.lock().unwrap().codes.insert(
        code.clone(),
        Issued {
            challenge: asked["code_challenge"].clone(),
            nonce: asked["nonce"].clone(),
            id_number: id_number.into(),
            phone: phone.into(),
            tamper,
        },
    );
    let back = form_urlencoded::Serializer::new(String::new())
        .append_pair("code", &code)
        .append_pair("state", &asked["state"])
        .finish();
    browser.get(&format!("/dang-nhap/dinh-danh/ve?{back}")).await
}

/// Through the provider, then the SMS code of the phone it gave: signed in with the identity,
/// the account linked.
async fn linked_through_provider(browser: &mut Browser, mock: &Shared, pool: &PgPool, id_number: &str, phone: &str) {
    through_provider(browser, mock, id_number, phone, Tamper::Nothing).await;
    sign_in(browser, pool, phone, "/ho-so-cua-toi").await;
}

fn rand_suffix() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Whether the browser is signed in as a citizen.
async fn signed_in(browser: &mut Browser) -> bool {
    browser.get("/ho-so-cua-toi").await.status == 200
}

async fn linked_id(pool: &PgPool, phone: &str) -> Option<String> {
    sqlx::query_scalar("SELECT national_id FROM citizens WHERE phone = $1").bind(phone).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrations = false)]
async fn a_citizen_links_the_national_identity_to_a_proven_phone_once_then_signs_in_directly(pool: PgPool) {
    let mock = mock_provider().await;
    let app = portal(&pool, &mock).await;
    let mut browser = Browser::new(&app);
    let before = browser.get("/dang-nhap").await;
    assert!(before.body.contains("Đăng nhập bằng định danh điện tử (VNeID)"), "the sign-in page offers it");

    // First time: the identity waits while the citizen proves the phone the provider gave.
    let back = through_provider(&mut browser, &mock, "001090012345", "0912000501", Tamper::Nothing).await;
    assert_eq!(location(&back), "/dang-nhap?lien-ket=1&tiep=%2Fho-so-cua-toi&so=0912000501");
    assert!(!signed_in(&mut browser).await, "nothing is signed in before the phone is proven");
    let page = browser.get(&location(&back)).await;
    assert!(page.body.contains("Bạn đã xác thực bằng định danh điện tử"), "the page says why a phone is asked");
    let cookie_before = browser.session_cookie().map(str::to_owned);
    assert_eq!(sign_in(&mut browser, &pool, "0912000501", "/ho-so-cua-toi").await, "/ho-so-cua-toi");
    assert_ne!(browser.session_cookie().map(str::to_owned), cookie_before, "a new session id at sign-in");
    assert!(signed_in(&mut browser).await);
    assert_eq!(linked_id(&pool, "0912000501").await.as_deref(), Some("001090012345"));
    let name: Option<String> =
        sqlx::query_scalar("SELECT identity_data->>'ho_ten' FROM citizens WHERE national_id = '001090012345'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(name.as_deref(), Some("Nguyễn Thị Mai"));

    // Next time, from another browser: straight in, the session id new.
    let mut other = Browser::new(&app);
    other.get("/dang-nhap").await;
    let anonymous = other.session_cookie().map(str::to_owned);
    let back = through_provider(&mut other, &mock, "001090012345", "0912000501", Tamper::Nothing).await;
    assert_eq!(location(&back), "/ho-so-cua-toi");
    assert_ne!(other.session_cookie().map(str::to_owned), anonymous);
    assert!(signed_in(&mut other).await);

    // The applicant's questions come filled from the identity, marked; the citizen sees them
    // again on the check page. The same account signed in by phone alone is shown nothing of it.
    let draft = start_draft(&mut other, "1.001193").await;
    let applicant_page = format!("/nop-ho-so/nhap/{draft}/nguoi-yeu-cau");
    let page = other.get(&applicant_page).await;
    assert!(page.body.contains(r#"value="Nguyễn Thị Mai""#), "the name is pre-filled");
    assert!(page.body.contains(r#"value="001090012345""#), "the ID number is pre-filled");
    assert_eq!(page.body.matches("Lấy từ định danh điện tử (VNeID)").count(), 2, "each is marked");
    let mut by_phone = Browser::new(&app);
    assert_eq!(sign_in(&mut by_phone, &pool, "0912000501", "/ho-so-cua-toi").await, "/ho-so-cua-toi");
    let phone_draft = start_draft(&mut by_phone, "1.001193").await;
    let page = by_phone.get(&format!("/nop-ho-so/nhap/{phone_draft}/nguoi-yeu-cau")).await;
    assert!(!page.body.contains("Nguyễn Thị Mai") && !page.body.contains("001090012345"), "phone only: nothing shown");
    fill_birth_registration(&mut other, &pool, &draft).await;
    save(
        &mut other,
        &draft,
        "nguoi-yeu-cau",
        &[
            ("ho_ten_nguoi_yeu_cau", "Nguyễn Thị Mai"),
            ("cccd_nguoi_yeu_cau", "037190001234"),
            ("quan_he", "Mẹ"),
            ("noi_cu_tru.xa", "DEMO.NB.03"),
            ("noi_cu_tru.chi_tiet", "Thôn Đông"),
        ],
    )
    .await;
    let check = other.get(&format!("/nop-ho-so/nhap/{draft}/kiem-tra")).await;
    assert_eq!(
        check.body.matches("Lấy từ định danh điện tử (VNeID)").count(),
        1,
        "the name kept, the ID number changed"
    );
    let filed = other.post("/api/nop-ho-so/nop", &[("draft", &draft), ("cam_doan", "co")]).await;
    let code = location(&filed).rsplit('/').next().unwrap().to_owned();
    let identified: String = sqlx::query_scalar("SELECT identified_by FROM dossiers WHERE code = $1")
        .bind(&code)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(identified, "dinh-danh");
    let mut desk = staff(&app, "tiepnhan.giavien").await;
    let page = desk.get(&format!("/can-bo/ho-so/{code}")).await;
    assert!(page.body.contains("Định danh điện tử (VNeID)"), "the desk sees how the applicant was identified");
    // Once no session signed in through the provider can use it, the provider's data is
    // forgotten; the ID number stays with the account.
    sqlx::query("UPDATE citizens SET identity_checked_at = now() - interval '13 hours'").execute(&pool).await.unwrap();
    assert_eq!(app::auth::citizen::forget_identity_data(&pool).await.unwrap(), 1);
    let kept: (Option<String>, Option<serde_json::Value>) =
        sqlx::query_as("SELECT national_id, identity_data FROM citizens WHERE phone = '0912000501'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(kept, (Some("001090012345".into()), None));
    let (_, _, by_phone) = submitted_dossier(&app, &pool, "0912000506").await;
    let page = desk.get(&format!("/can-bo/ho-so/{by_phone}")).await;
    assert!(page.body.contains("Số điện thoại (mã xác nhận SMS)"));
}

#[sqlx::test(migrations = false)]
async fn a_forged_expired_misdirected_or_replayed_answer_signs_nobody_in(pool: PgPool) {
    let mock = mock_provider().await;
    let app = portal(&pool, &mock).await;
    // Linked first, so that a good answer would sign in at once.
    let mut owner = Browser::new(&app);
    linked_through_provider(&mut owner, &mock, &pool, "001090054321", "0912000502").await;
    assert_eq!(linked_id(&pool, "0912000502").await.as_deref(), Some("001090054321"));

    for tamper in [Tamper::ForgedSignature, Tamper::WrongNonce, Tamper::Expired, Tamper::OtherAudience] {
        let mut browser = Browser::new(&app);
        let back = through_provider(&mut browser, &mock, "001090054321", "0912000502", tamper).await;
        assert_eq!(location(&back), "/dang-nhap?dinh-danh=ma-khong-hop-le&tiep=%2Fho-so-cua-toi", "{tamper:?}");
        assert!(!signed_in(&mut browser).await, "{tamper:?}");
        let page = browser.get(&location(&back)).await;
        assert!(page.body.contains("Bạn chưa được đăng nhập"), "{tamper:?}: a clear page");
    }

    // A callback with another state, or the same callback twice.
    let mut browser = Browser::new(&app);
    browser.get("/dang-nhap/dinh-danh").await;
    let forged = browser.get("/dang-nhap/dinh-danh/ve?code=ma-bat-ky&state=trang-thai-khac").await;
    assert_eq!(location(&forged), "/dang-nhap?dinh-danh=phien-khong-hop-le&tiep=%2Fho-so-cua-toi");
    assert!(!signed_in(&mut browser).await);
    let mut browser = Browser::new(&app);
    let start = browser.get("/dang-nhap/dinh-danh").await;
    let asked: HashMap<String, String> =
        url::Url::parse(&location(&start)).unwrap().query_pairs().into_owned().collect();
    let replay = browser.get(&format!("/dang-nhap/dinh-danh/ve?code=x&state={}", asked["state"])).await;
    assert!(location(&replay).starts_with("/dang-nhap?dinh-danh="), "an unknown code: refused");
    let again = browser.get(&format!("/dang-nhap/dinh-danh/ve?code=x&state={}", asked["state"])).await;
    assert_eq!(location(&again), "/dang-nhap?dinh-danh=phien-khong-hop-le", "a sign-in answers once");
    assert!(!signed_in(&mut browser).await);
}

#[sqlx::test(migrations = false)]
async fn signing_out_after_the_national_identity_signs_out_at_the_provider_too(pool: PgPool) {
    let mock = mock_provider().await;
    let app = portal(&pool, &mock).await;
    let mut browser = Browser::new(&app);
    linked_through_provider(&mut browser, &mock, &pool, "001090055555", "0912000508").await;
    let page = browser.get("/ho-so-cua-toi").await;
    let policy = page.headers.get("content-security-policy").unwrap().to_str().unwrap().to_owned();
    let issuer = mock.lock().unwrap().issuer.clone();
    assert!(policy.contains(&format!("form-action 'self' {issuer}")), "{policy}");
    let out = browser.post("/api/dang-xuat", &[]).await;
    let to_provider = url::Url::parse(&location(&out)).unwrap();
    assert_eq!(to_provider.as_str().split('?').next(), Some(format!("{issuer}/session/end").as_str()));
    let asked: HashMap<String, String> = to_provider.query_pairs().into_owned().collect();
    assert_eq!(asked["client_id"], CLIENT_ID);
    assert!(asked["post_logout_redirect_uri"].ends_with('/'), "{asked:?}");
    assert!(!signed_in(&mut browser).await, "signed out of the portal first");

    // Signed in by phone alone: out of the portal only.
    let mut by_phone = Browser::new(&app);
    sign_in(&mut by_phone, &pool, "0912000508", "/ho-so-cua-toi").await;
    assert_eq!(location(&by_phone.post("/api/dang-xuat", &[]).await), "/");
}

#[sqlx::test(migrations = false)]
async fn a_procedure_that_needs_the_national_identity_is_not_filed_by_phone_alone(pool: PgPool) {
    let mock = mock_provider().await;
    let app = portal(&pool, &mock).await;
    let mut by_phone = Browser::new(&app);
    sign_in(&mut by_phone, &pool, "0912000509", "/ho-so-cua-toi").await;
    let start = by_phone.get("/nop-ho-so/3.000333").await;
    assert!(start.body.contains("chỉ nộp trực tuyến khi đăng nhập bằng định danh điện tử"), "the start page says so");
    assert!(start.body.contains("/dang-nhap/dinh-danh?tiep=%2Fnop-ho-so%2F3.000333"), "and offers the sign-in");
    let refused = by_phone.post("/api/nop-ho-so/bat-dau", &[("code", "3.000333")]).await;
    assert_eq!(location(&refused), "/nop-ho-so/3.000333", "no draft is started");
    let drafts: i64 = sqlx::query_scalar("SELECT count(*) FROM drafts").fetch_one(&pool).await.unwrap();
    assert_eq!(drafts, 0);

    // A draft started before the procedure came to need it is not sent by phone alone either.
    let draft = start_draft(&mut by_phone, "1.001193").await;
    fill_birth_registration(&mut by_phone, &pool, &draft).await;
    sqlx::query(
        "UPDATE procedure_versions SET requires_national_identity = true \
         WHERE procedure_id = (SELECT id FROM procedures WHERE code = '1.001193')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let sent = by_phone.post("/api/nop-ho-so/nop", &[("draft", &draft), ("cam_doan", "co")]).await;
    assert!(location(&sent).ends_with("/kiem-tra?loi=dinh-danh#loi"), "{}", location(&sent));
    let check = by_phone.get(&location(&sent).replace("#loi", "")).await;
    assert!(check.body.contains("Hồ sơ đã được lưu; đăng nhập bằng định danh điện tử rồi gửi"));
    let filed: i64 = sqlx::query_scalar("SELECT count(*) FROM dossiers").fetch_one(&pool).await.unwrap();
    assert_eq!(filed, 0);

    // Signed in through the provider, the same citizen (now linked) starts it.
    let mut linked = Browser::new(&app);
    linked_through_provider(&mut linked, &mock, &pool, "001090066666", "0912000509").await;
    let start = linked.get("/nop-ho-so/3.000333").await;
    assert!(start.body.contains("Bắt đầu") && !start.body.contains("để bắt đầu"), "a plain start");
    start_draft(&mut linked, "3.000333").await;
}

#[sqlx::test(migrations = false)]
async fn keys_the_provider_rotates_are_fetched_again(pool: PgPool) {
    let mock = mock_provider().await;
    let app = portal(&pool, &mock).await;
    let mut first = Browser::new(&app);
    linked_through_provider(&mut first, &mock, &pool, "001090077777", "0912000503").await;
    let fetched = mock.lock().unwrap().jwks_fetched;

    // The provider signs with a new key, published beside the old one.
    mock.lock().unwrap().current = Keys { signing: 1, published: vec![0, 1] };
    let mut browser = Browser::new(&app);
    let back = through_provider(&mut browser, &mock, "001090077777", "0912000503", Tamper::Nothing).await;
    assert_eq!(location(&back), "/ho-so-cua-toi");
    assert!(signed_in(&mut browser).await);
    assert_eq!(mock.lock().unwrap().jwks_fetched, fetched + 1, "the keys were fetched once more");
}

#[sqlx::test(migrations = false)]
async fn a_phone_linked_to_another_id_number_is_never_linked_again(pool: PgPool) {
    let mock = mock_provider().await;
    let app = portal(&pool, &mock).await;
    let mut owner = Browser::new(&app);
    linked_through_provider(&mut owner, &mock, &pool, "001090011111", "0912000504").await;

    // Someone else, asserted by the provider, proves the same phone (say, a shared handset).
    let mut other = Browser::new(&app);
    let back = through_provider(&mut other, &mock, "001090022222", "0912000504", Tamper::Nothing).await;
    assert!(location(&back).starts_with("/dang-nhap?lien-ket=1"));
    let reply = other.post(SEND_CODE, &[("phone", "0912000504"), ("tiep", "/ho-so-cua-toi")]).await;
    assert_eq!(location(&reply), "/dang-nhap/ma");
    let code = latest_code(&pool, "0912000504").await;
    let refused = other.post(CHECK_CODE, &[("code", &code)]).await;
    assert_eq!(location(&refused), "/dang-nhap?loi=da-lien-ket-khac");
    assert!(!signed_in(&mut other).await);
    let page = other.get(&location(&refused)).await;
    assert!(page.body.contains("đã liên kết với một số định danh cá nhân khác"));
    assert_eq!(linked_id(&pool, "0912000504").await.as_deref(), Some("001090011111"), "unchanged");
    let second: i64 = sqlx::query_scalar("SELECT count(*) FROM citizens WHERE national_id = '001090022222'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(second, 0);

    // A citizen signed in by phone who then signs in through the provider is linked at once,
    // but not over another ID number.
    let mut phone_first = Browser::new(&app);
    sign_in(&mut phone_first, &pool, "0912000505", "/ho-so-cua-toi").await;
    let back = through_provider(&mut phone_first, &mock, "001090033333", "", Tamper::Nothing).await;
    assert_eq!(location(&back), "/ho-so-cua-toi");
    assert_eq!(linked_id(&pool, "0912000505").await.as_deref(), Some("001090033333"));
    let back = through_provider(&mut owner, &mock, "001090044444", "", Tamper::Nothing).await;
    assert_eq!(location(&back), "/dang-nhap?loi=da-lien-ket-khac&tiep=%2Fho-so-cua-toi");
    assert_eq!(linked_id(&pool, "0912000504").await.as_deref(), Some("001090011111"));
}
