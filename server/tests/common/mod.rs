//! Helpers shared by the in-process HTTP tests: the real router on a fresh database, and
//! requests that carry the session cookie like a browser would.
#![allow(dead_code)]

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use server::http::{router, AppState};
use sqlx::PgPool;
use tower::ServiceExt;

pub fn options() -> LeptosOptions {
    LeptosOptions::builder().output_name("mot-cua").site_root("target/site").site_pkg_dir("pkg").build()
}

/// A file store in a fresh temporary directory.
pub fn files() -> app::dossier::storage::FileStore {
    let dir = std::env::temp_dir().join(format!("mot-cua-test-files-{}", uuid::Uuid::new_v4()));
    app::dossier::storage::FileStore::from_setting(dir.to_str().unwrap()).unwrap()
}

pub async fn app(pool: PgPool) -> Router {
    server::database::prepare(&pool, true).await.expect("migrations and demo data");
    router(AppState::new(pool, options(), files()))
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as sent (pictures, PDFs).
    pub bytes: Vec<u8>,
}

pub async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.expect("router never fails");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
}

pub async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).header(header::ACCEPT, "text/html").body(Body::empty()).unwrap()).await
}

pub fn post_form(uri: &str, form: &[(&str, &str)]) -> Request<Body> {
    let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, body.len())
        .header(header::ACCEPT, "text/html")
        .body(Body::from(body))
        .unwrap()
}

/// A citizen's browser: keeps the session cookie between requests.
pub struct Browser {
    pub app: Router,
    cookie: Option<String>,
}

impl Browser {
    pub fn new(app: &Router) -> Self {
        Self { app: app.clone(), cookie: None }
    }

    pub async fn send(&mut self, mut request: Request<Body>) -> Reply {
        if let Some(cookie) = &self.cookie {
            request.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
        }
        let reply = send(&self.app, request).await;
        if let Some(set) = reply.headers.get(header::SET_COOKIE).and_then(|v| v.to_str().ok()) {
            let pair = set.split(';').next().unwrap().to_owned();
            self.cookie = if pair.ends_with('=') { None } else { Some(pair) };
        }
        reply
    }

    pub async fn get(&mut self, uri: &str) -> Reply {
        self.send(Request::get(uri).header(header::ACCEPT, "text/html").body(Body::empty()).unwrap()).await
    }

    pub async fn post(&mut self, uri: &str, form: &[(&str, &str)]) -> Reply {
        self.send(post_form(uri, form)).await
    }

    /// Posts files as the upload form does.
    pub async fn upload(&mut self, uri: &str, files: &[(&str, &[u8])]) -> Reply {
        self.upload_accepting(uri, files, "text/html").await
    }

    /// Posts files as the page's script does: the request does not ask for a page.
    pub async fn upload_from_script(&mut self, uri: &str, files: &[(&str, &[u8])]) -> Reply {
        self.upload_accepting(uri, files, "*/*").await
    }

    async fn upload_accepting(&mut self, uri: &str, files: &[(&str, &[u8])], accept: &str) -> Reply {
        let boundary = "----motcuaTestBoundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"{name}\"\r\n\
                     Content-Type: image/jpeg\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = Request::post(uri)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .header(header::CONTENT_LENGTH, body.len())
            .header(header::ACCEPT, accept)
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    pub fn session_cookie(&self) -> Option<&str> {
        self.cookie.as_deref()
    }
}

pub fn location(reply: &Reply) -> String {
    reply.headers.get(header::LOCATION).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

/// The code in the newest sign-in SMS queued for `phone`.
pub async fn latest_code(pool: &PgPool, phone: &str) -> String {
    let body: String = sqlx::query_scalar(
        "SELECT body FROM outbox_messages WHERE recipient = $1 AND purpose = 'sign_in_code' ORDER BY id DESC LIMIT 1",
    )
    .bind(phone)
    .fetch_one(pool)
    .await
    .unwrap();
    let words = body.split(|c: char| !c.is_ascii_digit());
    words.into_iter().find(|w| w.len() == 6).unwrap().to_owned()
}

pub const SEND_CODE: &str = "/api/dang-nhap/gui-ma";
pub const CHECK_CODE: &str = "/api/dang-nhap/xac-nhan";

/// Signs the browser in with `phone` through the real forms; returns where it was sent.
pub async fn sign_in(browser: &mut Browser, pool: &PgPool, phone: &str, return_to: &str) -> String {
    let reply = browser.post(SEND_CODE, &[("phone", phone), ("tiep", return_to)]).await;
    assert_eq!(location(&reply), "/dang-nhap/ma");
    let code = latest_code(pool, phone).await;
    let reply = browser.post(CHECK_CODE, &[("code", &code)]).await;
    location(&reply)
}

/// A small real photo (PNG) as a phone might send it.
pub fn photo() -> Vec<u8> {
    let mut out = Vec::new();
    let picture = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([(x * 4) as u8, (y * 5) as u8, 120]));
    image::DynamicImage::ImageRgb8(picture)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

pub const SAVE_STEP: &str = "/api/nop-ho-so/luu";

pub async fn agency_id(pool: &PgPool, identifier: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM agencies WHERE identifier = $1").bind(identifier).fetch_one(pool).await.unwrap()
}

/// Starts a draft of `procedure` and returns its id (the browser must be signed in).
pub async fn start_draft(browser: &mut Browser, procedure: &str) -> String {
    let reply = browser.post("/api/nop-ho-so/bat-dau", &[("code", procedure)]).await;
    let next = location(&reply);
    let id = next.strip_prefix("/nop-ho-so/nhap/").and_then(|rest| rest.strip_suffix("/noi-nop"));
    id.unwrap_or_else(|| panic!("start went to {next:?}")).to_owned()
}

/// Saves one step with "Tiếp tục"; returns where the portal sent the citizen next.
pub async fn save(browser: &mut Browser, draft: &str, step: &str, answers: &[(&str, &str)]) -> String {
    let keys: Vec<String> = answers.iter().map(|(k, _)| format!("answers[{k}]")).collect();
    let mut form: Vec<(&str, &str)> = vec![("draft", draft), ("step", step), ("di", "tiep")];
    form.extend(keys.iter().map(String::as_str).zip(answers.iter().map(|(_, v)| *v)));
    location(&browser.post(SAVE_STEP, &form).await)
}

pub fn upload_url(draft: &str, step: &str) -> String {
    format!("/api/nop-ho-so/tai-len?nhap={draft}&buoc={step}")
}

/// Answers every page of the birth registration form with valid values and one photo.
pub async fn fill_birth_registration(browser: &mut Browser, pool: &PgPool, draft: &str) {
    let agency = agency_id(pool, "DEMO.NB.03").await.to_string();
    let reply =
        browser.post(SAVE_STEP, &[("draft", draft), ("step", "noi-nop"), ("agency", &agency), ("di", "tiep")]).await;
    assert!(location(&reply).ends_with("/nguoi-yeu-cau"), "{}", location(&reply));
    let applicant = [
        ("ho_ten_nguoi_yeu_cau", "Lò Thị Mai"),
        ("cccd_nguoi_yeu_cau", "037190001234"),
        ("quan_he", "Mẹ"),
        ("noi_cu_tru.xa", "DEMO.NB.03"),
        ("noi_cu_tru.chi_tiet", "Thôn Đông"),
    ];
    assert!(save(browser, draft, "nguoi-yeu-cau", &applicant).await.ends_with("/tre"));
    let child = [
        ("ho_ten_tre", "Lò Văn An"),
        ("gioi_tinh_tre", "Nam"),
        ("ngay_sinh_tre", "2026-01-02"),
        ("noi_sinh_tre", "Trạm y tế xã Gia Viễn"),
        ("dan_toc_tre", "Mường"),
        ("quoc_tich_tre", "Việt Nam"),
    ];
    assert!(save(browser, draft, "tre", &child).await.ends_with("/me"));
    let mother = [("ho_ten_me", "Lò Thị Mai"), ("ngay_sinh_me", "1990-05-06"), ("cccd_me", "037190001234")];
    assert!(save(browser, draft, "me", &mother).await.ends_with("/cha"));
    assert!(save(browser, draft, "cha", &[]).await.ends_with("/giay-chung-sinh"));
    let uploaded = browser.upload(&upload_url(draft, "giay-chung-sinh"), &[("giay-chung-sinh.jpg", &photo())]).await;
    assert!(location(&uploaded).contains("tai-len=da-nhan"), "{}", location(&uploaded));
    // The authorisation letter is asked of an authorised filer only, not of the mother.
    assert!(save(browser, draft, "giay-chung-sinh", &[]).await.ends_with("/ban-sao"));
    assert!(save(browser, draft, "ban-sao", &[("so_ban_sao", "1")]).await.ends_with("/kiem-tra"));
}

pub const STAFF_SIGN_IN: &str = "/api/can-bo/dang-nhap";
pub const ACT: &str = "/api/can-bo/thao-tac";

pub const SECOND_FACTOR: &str = "/api/can-bo/hai-buoc";
pub const STAFF_CODE: &str = "/api/can-bo/xac-thuc";

/// Signs an officer in through the form. Leaders and administrators then set up the second
/// factor as the page asks (their first sign-in in each test's fresh database).
pub async fn staff(app: &axum::Router, username: &str) -> Browser {
    let mut browser = Browser::new(app);
    let reply =
        browser.post(STAFF_SIGN_IN, &[("username", username), ("password", app::auth::accounts::DEMO_PASSWORD)]).await;
    assert_eq!(location(&reply), "/can-bo", "{username} signs in");
    if location(&browser.get("/can-bo").await) == "/can-bo/xac-thuc-hai-buoc" {
        let secret = set_up_second_factor(&mut browser).await;
        assert!(!secret.is_empty());
    }
    browser
}

/// Sets up the second factor from its page; returns the secret the page shows.
pub async fn set_up_second_factor(browser: &mut Browser) -> Vec<u8> {
    let page = browser.get("/can-bo/xac-thuc-hai-buoc").await;
    let shown = page.body.split("<code class=\"secret\">").nth(1).and_then(|rest| rest.split('<').next()).unwrap();
    let secret = totp_rs::Secret::Encoded(shown.replace(' ', "")).to_bytes().unwrap();
    let reply = browser.post(SECOND_FACTOR, &[("viec", "bat"), ("ma", &totp_code(&secret, 0))]).await;
    assert_eq!(location(&reply), "/can-bo/xac-thuc-hai-buoc?da-bat=1");
    secret
}

/// The authenticator app's code, `steps` 30-second steps from now.
pub fn totp_code(secret: &[u8], steps: i64) -> String {
    let totp = totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 0, 30, secret.to_vec(), None, String::new());
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    totp.generate((now + steps * 30) as u64)
}

/// A citizen files a complete birth registration at Xã Gia Viễn; returns the browser and code.
pub async fn submitted_dossier(app: &axum::Router, pool: &PgPool, phone: &str) -> (Browser, String, String) {
    let mut citizen = Browser::new(app);
    sign_in(&mut citizen, pool, phone, "/ho-so-cua-toi").await;
    let draft = start_draft(&mut citizen, "1.001193").await;
    fill_birth_registration(&mut citizen, pool, &draft).await;
    let reply = citizen.post("/api/nop-ho-so/nop", &[("draft", &draft), ("cam_doan", "co")]).await;
    let code = location(&reply).rsplit('/').next().unwrap().to_owned();
    assert!(code.starts_with("DEMO.NB.03-"), "{code}");
    (citizen, draft, code)
}

pub async fn act(browser: &mut Browser, code: &str, action: &str, fields: &[(&str, &str)]) -> Reply {
    let mut form = vec![("ma", code), ("thao_tac", action)];
    form.extend_from_slice(fields);
    browser.post(ACT, &form).await
}

pub async fn status(pool: &PgPool, code: &str) -> String {
    sqlx::query_scalar("SELECT status FROM dossiers WHERE code = $1").bind(code).fetch_one(pool).await.unwrap()
}
