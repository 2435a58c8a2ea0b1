//! Attacks as requests, against the real router: each test is a finding of the security
//! review and fails without its fix.

mod common;

use axum::body::Body;
use axum::http::{header, Request};
use common::*;
use server::http::{router, AppState};
use sqlx::PgPool;
use std::path::{Path, PathBuf};

/// The router with its file store in a directory the test can look into.
async fn app_with_files(pool: PgPool) -> (axum::Router, PathBuf) {
    server::database::prepare(&pool, true).await.expect("migrations and demo data");
    let dir = std::env::temp_dir().join(format!("mot-cua-security-{}", uuid::Uuid::new_v4()));
    let store = app::dossier::storage::FileStore::from_setting(dir.to_str().unwrap()).unwrap();
    (router(AppState::new(pool, options(), store)), dir)
}

fn stored_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries.flatten().map(|e| if e.path().is_dir() { stored_files(&e.path()) } else { 1 }).sum()
}

#[sqlx::test(migrations = false)]
async fn a_result_upload_is_not_read_before_the_officer_role_and_agency_are_checked(pool: PgPool) {
    let (app, dir) = app_with_files(pool.clone()).await;
    let (_, _, code) = submitted_dossier(&app, &pool, "0912000301").await;
    let before = stored_files(&dir);
    let upload = format!("/api/can-bo/ket-qua?ma={code}");

    let mut stranger = Browser::new(&app);
    let reply = stranger.upload(&upload, &[("ket-qua.jpg", &photo())]).await;
    assert!(location(&reply).starts_with("/can-bo/dang-nhap"), "{}", location(&reply));
    assert_eq!(stored_files(&dir), before, "nothing stored without a session");

    let mut other_commune = staff(&app, "canbo.hoalu").await;
    other_commune.upload(&upload, &[("ket-qua.jpg", &photo())]).await;
    assert_eq!(stored_files(&dir), before, "nothing stored for an officer who cannot see the dossier");

    // Intake of the right commune, but the dossier is not being processed: not allowed yet.
    let mut intake = staff(&app, "tiepnhan.giavien").await;
    intake.upload(&upload, &[("ket-qua.jpg", &photo())]).await;
    assert_eq!(stored_files(&dir), before, "nothing stored when the status does not allow a result");
    assert_eq!(status(&pool, &code).await, "moi_dang_ky");
}

#[sqlx::test(migrations = false)]
async fn the_staff_api_answers_only_a_signed_in_officer(pool: PgPool) {
    let app = app(pool.clone()).await;
    for path in ["/api/can-bo/thao-tac", "/api/quan-tri/lich/sua", "/api/can-bo/nop-thay"] {
        let reply = send(&app, post_form(path, &[("x", "y")])).await;
        assert_eq!(location(&reply), "/can-bo/dang-nhap", "{path}");
    }
}

fn from_site(mut request: Request<Body>, origin: &'static str, site: &'static str) -> Request<Body> {
    request.headers_mut().insert(header::ORIGIN, origin.parse().unwrap());
    request.headers_mut().insert("sec-fetch-site", site.parse().unwrap());
    request
}

#[sqlx::test(migrations = false)]
async fn a_form_posted_from_another_site_is_refused(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut citizen, _, code) = submitted_dossier(&app, &pool, "0912000302").await;
    let forged = from_site(
        post_form("/api/tai-khoan/email", &[("email", "ke.gian@evil.example")]),
        "https://evil.example",
        "cross-site",
    );
    let reply = citizen.send(forged).await;
    assert_eq!(reply.status, 403);
    assert!(reply.body.contains("chỉ nhận biểu mẫu gửi từ chính trang của cổng"));
    let email: Option<String> =
        sqlx::query_scalar("SELECT email FROM citizens WHERE phone = '0912000302'").fetch_one(&pool).await.unwrap();
    assert_eq!(email, None);

    // A sibling host under the same registrable domain is same-site, not same-origin.
    let mut intake = staff(&app, "tiepnhan.giavien").await;
    let refuse = post_form(ACT, &[("ma", &code), ("thao_tac", "tu-choi"), ("ly_do", "Giả mạo"), ("xac_nhan", "co")]);
    let reply = intake.send(from_site(refuse, "https://other.gov.vn", "same-site")).await;
    assert_eq!(reply.status, 403);
    assert_eq!(status(&pool, &code).await, "moi_dang_ky");

    // The portal's own page posts as before.
    let own =
        from_site(post_form("/api/tai-khoan/email", &[("email", "mai@example.vn")]), "http://localhost", "same-origin");
    let mut own = own;
    own.headers_mut().insert(header::HOST, "localhost".parse().unwrap());
    let reply = citizen.send(own).await;
    assert_ne!(reply.status, 403, "{}", reply.body);
}

#[sqlx::test(migrations = false)]
async fn redirect_targets_never_leave_the_site(pool: PgPool) {
    let app = app(pool.clone()).await;
    for hostile in ["/%09/evil.example", "/%5Cevil.example", "//evil.example", "/%01", "https://evil.example"] {
        let reply = get(&app, &format!("/ngon-ngu/vi?tiep={hostile}")).await;
        assert_eq!(reply.status, 303, "{hostile}");
        assert_eq!(location(&reply), "/", "{hostile}");
    }
    // Through the citizen's sign-in: the code is checked and the citizen lands on the site.
    let mut citizen = Browser::new(&app);
    assert_eq!(sign_in(&mut citizen, &pool, "0912000303", "/\t/evil.example").await, "/");
    let mut other = Browser::new(&app);
    assert_eq!(sign_in(&mut other, &pool, "0912000304", "/\u{1}").await, "/");
}

#[sqlx::test(migrations = false)]
async fn counter_filing_for_another_commune_waits_for_that_communes_intake(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut officer = staff(&app, "canbo.hoalu").await;
    let reply = officer
        .post(
            "/api/can-bo/nop-thay",
            &[("so_dien_thoai", "0912 000 305"), ("thu_tuc", "1.001193"), ("doi_chieu", "co")],
        )
        .await;
    let next = location(&reply);
    let draft = next.strip_prefix("/nop-ho-so/nhap/").and_then(|r| r.strip_suffix("/noi-nop")).unwrap().to_owned();
    fill_birth_registration(&mut officer, &pool, &draft).await; // at Xã Gia Viễn
    let reply = officer.post("/api/nop-ho-so/nop", &[("draft", &draft), ("cam_doan", "co")]).await;
    let code = location(&reply).rsplit('/').next().unwrap().to_owned();
    assert!(code.starts_with("DEMO.NB.03-"), "{code}");
    assert_eq!(status(&pool, &code).await, "moi_dang_ky", "Gia Viễn's intake still checks it");
}

#[sqlx::test(migrations = false)]
async fn a_citizen_cannot_file_at_an_agency_that_no_longer_receives(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut citizen = Browser::new(&app);
    sign_in(&mut citizen, &pool, "0912000306", "/ho-so-cua-toi").await;
    let draft = start_draft(&mut citizen, "1.001193").await;
    let closed: i64 = sqlx::query_scalar(
        "INSERT INTO agencies (identifier, parent_id, name, level, valid_from, valid_to) \
         SELECT 'DEMO.NB.H9', id, 'Huyện cũ (minh hoạ)', 'Cấp huyện', '2000-01-01', '2025-07-01' FROM agencies \
         WHERE identifier = 'DEMO.NB' RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let closed = closed.to_string();
    citizen.post(SAVE_STEP, &[("draft", &draft), ("step", "noi-nop"), ("agency", &closed), ("di", "tiep")]).await;
    let chosen: Option<i64> = sqlx::query_scalar("SELECT receiving_agency_id FROM drafts WHERE id = $1::uuid")
        .bind(&draft)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_ne!(chosen, Some(closed.parse().unwrap()));
}

async fn commune_admin(app: &axum::Router, pool: &PgPool) -> Browser {
    sqlx::query(
        "INSERT INTO staff_users (id, username, full_name, agency_id, roles, password_hash, must_change_password) \
         SELECT gen_random_uuid(), 'quantri.giavien', 'Quản trị xã (minh hoạ)', \
           (SELECT id FROM agencies WHERE identifier = 'DEMO.NB.03'), ARRAY['quan_tri'], password_hash, false \
         FROM staff_users WHERE username = 'quantri'",
    )
    .execute(pool)
    .await
    .unwrap();
    staff(app, "quantri.giavien").await
}

#[sqlx::test(migrations = false)]
async fn a_commune_administrator_cannot_use_province_powers(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut admin = commune_admin(&app, &pool).await;
    assert_eq!(admin.get("/can-bo/quan-tri/can-bo").await.status, 200, "its own accounts");
    for page in ["/can-bo/quan-tri/lich", "/can-bo/quan-tri/co-quan", "/can-bo/quan-tri/thu-tuc"] {
        assert_eq!(admin.get(page).await.status, 403, "{page}");
    }
    let day = [("ngay", "2027-01-04"), ("loai", "nghi"), ("ten", "Nghỉ giả"), ("ghi_chu", ""), ("viec", "luu")];
    admin.post("/api/quan-tri/lich/sua", &day).await;
    let holidays: i64 = sqlx::query_scalar("SELECT count(*) FROM calendar_days WHERE day = '2027-01-04'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(holidays, 0, "the calendar is the province's");
    let hoa_lu = agency_id(&pool, "DEMO.NB.01").await.to_string();
    admin
        .post(
            "/api/quan-tri/co-quan/sua",
            &[("id", &hoa_lu), ("ten", "Đã chiếm"), ("dia_chi", ""), ("duong_day_nong", "")],
        )
        .await;
    let name: String =
        sqlx::query_scalar("SELECT name FROM agencies WHERE identifier = 'DEMO.NB.01'").fetch_one(&pool).await.unwrap();
    assert_ne!(name, "Đã chiếm");
}

#[sqlx::test(migrations = false)]
async fn an_import_stays_in_the_importers_tree_and_no_agency_is_its_own_ancestor(pool: PgPool) {
    server::database::prepare(&pool, true).await.unwrap();
    use app::catalog::import::{demo_forms, import_catalog_within, parse_catalog, ImportError, DEMO_CATALOG_JSON};
    let catalog = parse_catalog(DEMO_CATALOG_JSON, demo_forms()).unwrap();
    let gia_vien = agency_id(&pool, "DEMO.NB.03").await;
    let outside = import_catalog_within(&pool, &catalog, "test", gia_vien).await;
    assert!(matches!(outside, Err(ImportError::OutsideTree(_))), "{outside:?}");
    let province = agency_id(&pool, "DEMO.NB").await;
    assert!(import_catalog_within(&pool, &catalog, "test", province).await.is_ok());

    let cycle = sqlx::query(
        "UPDATE agencies SET parent_id = (SELECT id FROM agencies WHERE identifier = 'DEMO.NB.03') WHERE identifier = 'DEMO.NB'",
    )
    .execute(&pool)
    .await;
    assert!(cycle.is_err(), "a parent cycle is refused");
}

/// `count` copies of a request sent at once, from one client address.
async fn burst(app: &axum::Router, count: usize, request: impl Fn(usize) -> Request<Body>) -> Vec<Reply> {
    let sends = (0..count).map(|index| {
        let mut one = request(index);
        one.extensions_mut().insert(app::security::ClientAddress("198.51.100.7".into()));
        let app = app.clone();
        tokio::spawn(async move { send(&app, one).await })
    });
    let mut replies = Vec::new();
    for send in sends.collect::<Vec<_>>() {
        replies.push(send.await.unwrap());
    }
    replies
}

#[sqlx::test(migrations = false)]
async fn a_burst_of_wrong_staff_passwords_gets_only_the_allowed_checks(pool: PgPool) {
    let app = app(pool.clone()).await;
    let replies =
        burst(&app, 150, |_| post_form(STAFF_SIGN_IN, &[("username", "tiepnhan.giavien"), ("password", "doan-bua")]))
            .await;
    let checked: i64 =
        sqlx::query_scalar("SELECT count(*) FROM staff_sign_in_attempts").fetch_one(&pool).await.unwrap();
    assert!(checked <= 5, "{checked} of 150 parallel wrong passwords were checked");
    let refused = replies.iter().filter(|r| location(r).contains("loi=qua-nhieu")).count();
    assert!(refused >= 140, "{refused} of 150 told to wait");
}

#[sqlx::test(migrations = false)]
async fn a_burst_of_tracking_guesses_gets_only_the_allowed_look_ups(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_, _, code) = submitted_dossier(&app, &pool, "0912000307").await;
    burst(&app, 100, |_| post_form("/api/tra-cuu", &[("ma", &code), ("so_cuoi", "1111")])).await;
    let evaluated: i64 = sqlx::query_scalar("SELECT count(*) FROM tracking_attempts").fetch_one(&pool).await.unwrap();
    assert!(evaluated <= 10, "{evaluated} of 100 parallel guesses were evaluated");
}

#[sqlx::test(migrations = false)]
async fn a_sign_in_code_is_not_kept_once_delivered(pool: PgPool) {
    use server::outbox::{deliver_due, Channels, EmailChannel, SmsChannel};
    let app = app(pool.clone()).await;
    let mut citizen = Browser::new(&app);
    citizen.post(SEND_CODE, &[("phone", "0912000308"), ("tiep", "/")]).await;
    let code = latest_code(&pool, "0912000308").await;
    deliver_due(&pool, &Channels { sms: SmsChannel::Log, email: EmailChannel::Log }).await.unwrap();
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox_messages WHERE body LIKE '%' || $1 || '%'")
        .bind(&code)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(kept, 0, "the code is blanked in the outbox once sent");
}

#[sqlx::test(migrations = false)]
async fn over_https_the_session_cookie_is_host_only_and_personal_pages_are_not_stored(pool: PgPool) {
    server::database::prepare(&pool, true).await.unwrap();
    let mut state = AppState::new(pool.clone(), options(), files());
    state.https_only = true;
    let app = router(state);
    let reply = send(&app, post_form(SEND_CODE, &[("phone", "0912000309"), ("tiep", "/")])).await;
    let cookie = reply.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-phien=") && cookie.contains("Secure") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Domain"), "{cookie}");
    for page in ["/ho-so-cua-toi", "/can-bo", "/dang-nhap"] {
        let reply = get(&app, page).await;
        assert_eq!(reply.headers.get(header::CACHE_CONTROL).map(|v| v.to_str().unwrap()), Some("no-store"), "{page}");
    }
}

#[sqlx::test(migrations = false)]
async fn a_burst_of_code_requests_from_one_address_sends_only_the_allowed_codes(pool: PgPool) {
    let app = app(pool.clone()).await;
    burst(&app, 60, |i| post_form(SEND_CODE, &[("phone", &format!("09130001{i:02}")), ("tiep", "/")])).await;
    let codes: i64 = sqlx::query_scalar("SELECT count(*) FROM sign_in_codes").fetch_one(&pool).await.unwrap();
    assert!(codes <= 20, "{codes} codes sent for 60 numbers from one address at once");
}

#[sqlx::test(migrations = false)]
async fn a_file_is_removed_only_through_its_own_draft(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut citizen = Browser::new(&app);
    sign_in(&mut citizen, &pool, "0912000310", "/ho-so-cua-toi").await;
    let first = start_draft(&mut citizen, "1.001193").await;
    let second = start_draft(&mut citizen, "1.001193").await;
    citizen.upload(&upload_url(&first, "giay-chung-sinh"), &[("giay.jpg", &photo())]).await;
    let file: uuid::Uuid = sqlx::query_scalar("SELECT id FROM draft_files").fetch_one(&pool).await.unwrap();
    // At the counter an officer works one draft of the citizen's: the other is not theirs.
    let through_other = [("draft", second.as_str()), ("step", "giay-chung-sinh"), ("file", &file.to_string())];
    citizen.post("/api/nop-ho-so/xoa-tep", &through_other).await;
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM draft_files").fetch_one(&pool).await.unwrap();
    assert_eq!(left, 1);
    let through_own = [("draft", first.as_str()), ("step", "giay-chung-sinh"), ("file", &file.to_string())];
    citizen.post("/api/nop-ho-so/xoa-tep", &through_own).await;
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM draft_files").fetch_one(&pool).await.unwrap();
    assert_eq!(left, 0);
}

#[sqlx::test(migrations = false)]
async fn sign_in_codes_stop_when_the_hours_sms_budget_is_spent(pool: PgPool) {
    let app = app(pool.clone()).await;
    sqlx::query(
        "INSERT INTO sign_in_codes (phone, code_hash, client_address, expires_at) \
         SELECT '0913' || lpad(i::text, 6, '0'), '\\x00', 'gateway-' || (i % 500), now() + interval '5 minutes' \
         FROM generate_series(1, $1) i",
    )
    .bind(app::account::db::MAX_CODES_PER_HOUR as i32)
    .execute(&pool)
    .await
    .unwrap();
    let reply = send(&app, post_form(SEND_CODE, &[("phone", "0912000311"), ("tiep", "/")])).await;
    assert!(location(&reply).contains("loi=tam-ngung"), "{}", location(&reply));
    let page = get(&app, &location(&reply)).await;
    assert!(page.body.contains("tạm ngừng gửi mã"), "a clear message");
}

#[sqlx::test(migrations = false)]
async fn a_burst_of_feedback_from_one_address_stores_only_the_allowed_messages(pool: PgPool) {
    let app = app(pool.clone()).await;
    let replies = burst(&app, 30, |i| post_form("/api/gop-y", &[("message", &format!("Góp ý số {i}"))])).await;
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM procedure_feedback").fetch_one(&pool).await.unwrap();
    assert_eq!(stored, app::catalog::feedback::db::MAX_FEEDBACK_PER_CLIENT);
    assert!(replies.iter().any(|r| location(r).contains("gop-y-loi=qua-nhieu")), "the rest are told why");
}

#[sqlx::test(migrations = false)]
async fn a_citizens_open_drafts_hold_a_bounded_number_of_bytes(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut citizen = Browser::new(&app);
    sign_in(&mut citizen, &pool, "0912000312", "/ho-so-cua-toi").await;
    let full = start_draft(&mut citizen, "1.001193").await;
    // Files already kept in another open draft, up to the citizen's allowance.
    sqlx::query(
        "INSERT INTO draft_files (id, draft_id, question_id, storage_key, content_type, size_bytes) \
         SELECT gen_random_uuid(), $1::uuid, 'q' || i, 'k' || i, 'application/pdf', $2 FROM generate_series(1, 10) i",
    )
    .bind(&full)
    .bind((server_limit() / 10) as i32)
    .execute(&pool)
    .await
    .unwrap();
    let draft = start_draft(&mut citizen, "1.001193").await;
    let reply = citizen.upload(&upload_url(&draft, "giay-chung-sinh"), &[("giay.jpg", &photo())]).await;
    assert!(location(&reply).contains("tai-len=het-dung-luong"), "{}", location(&reply));
}

fn server_limit() -> i64 {
    app::dossier::db::MAX_CITIZEN_DRAFT_BYTES
}

/// A leader signed in with the password, set up, signed out, and at the password again: the
/// second factor's code is what is asked now. Returns the browser and the secret.
async fn leader_at_the_code_page(app: &axum::Router) -> (Browser, Vec<u8>) {
    let mut leader = Browser::new(app);
    let password = app::auth::accounts::DEMO_PASSWORD;
    leader.post(STAFF_SIGN_IN, &[("username", "lanhdao.giavien"), ("password", password)]).await;
    assert_eq!(location(&leader.get("/can-bo").await), "/can-bo/xac-thuc-hai-buoc", "set up before any work");
    assert_eq!(location(&leader.get("/can-bo/thong-ke").await), "/can-bo/xac-thuc-hai-buoc");
    let secret = set_up_second_factor(&mut leader).await;
    let codes = leader.get("/can-bo/xac-thuc-hai-buoc?da-bat=1").await;
    assert_eq!(codes.body.matches("<li><code>").count(), 10, "ten recovery codes shown once");
    assert_eq!(leader.get("/can-bo/xac-thuc-hai-buoc").await.body.matches("<li><code>").count(), 0);
    assert_eq!(leader.get("/can-bo/thong-ke").await.status, 200);
    leader.post("/api/can-bo/dang-xuat", &[]).await;
    let reply = leader.post(STAFF_SIGN_IN, &[("username", "lanhdao.giavien"), ("password", password)]).await;
    assert_eq!(location(&reply), "/can-bo/xac-thuc?tiep=%2Fcan-bo");
    (leader, secret)
}

#[sqlx::test(migrations = false)]
async fn a_leaders_password_alone_opens_nothing_and_each_code_works_once(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut leader, secret) = leader_at_the_code_page(&app).await;
    assert_eq!(location(&leader.get("/can-bo").await), "/can-bo/dang-nhap?tiep=%2Fcan-bo", "not signed in yet");
    let api = leader.post("/api/can-bo/thao-tac", &[("ma", "X")]).await;
    assert_eq!(location(&api), "/can-bo/dang-nhap", "the staff API stays closed");
    let wrong = leader.post(STAFF_CODE, &[("ma", "000000"), ("tiep", "/can-bo")]).await;
    assert!(location(&wrong).contains("loi=sai"), "{}", location(&wrong));
    // The set-up took this step's code; the app's next one is accepted too (clock drift).
    let code = totp_code(&secret, 1);
    let right = leader.post(STAFF_CODE, &[("ma", &code), ("tiep", "/can-bo/thong-ke")]).await;
    assert_eq!(location(&right), "/can-bo/thong-ke");
    assert_eq!(leader.get("/can-bo/thong-ke").await.status, 200);

    // Someone who watched the code typed and knows the password is too late with it.
    let mut thief = Browser::new(&app);
    let password = app::auth::accounts::DEMO_PASSWORD;
    thief.post(STAFF_SIGN_IN, &[("username", "lanhdao.giavien"), ("password", password)]).await;
    let replayed = thief.post(STAFF_CODE, &[("ma", &code), ("tiep", "/can-bo")]).await;
    assert!(location(&replayed).contains("loi=sai"), "a code works once: {}", location(&replayed));
}

#[sqlx::test(migrations = false)]
async fn a_burst_of_wrong_second_factor_codes_gets_only_the_allowed_checks(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (leader, secret) = leader_at_the_code_page(&app).await;
    let cookie = leader.session_cookie().unwrap().to_owned();
    let valid: Vec<String> = (-1..=2).map(|steps| totp_code(&secret, steps)).collect();
    let guesses: Vec<String> =
        (0..200).map(|n| format!("{:06}", n * 7919)).filter(|g| !valid.contains(g)).take(100).collect();
    let replies = burst(&app, 100, |index| {
        let mut guess = post_form(STAFF_CODE, &[("ma", &guesses[index]), ("tiep", "/can-bo")]);
        guess.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
        guess
    })
    .await;
    let failures: i64 =
        sqlx::query_scalar("SELECT count(*) FROM staff_second_factor_failures").fetch_one(&pool).await.unwrap();
    assert!(failures <= 5, "{failures} of 100 parallel guesses were checked");
    let refused = replies.iter().filter(|r| location(r).contains("loi=qua-nhieu")).count();
    assert!(refused >= 95, "{refused} of 100 told to wait");
    let mut leader = leader;
    let right = leader.post(STAFF_CODE, &[("ma", &totp_code(&secret, 1)), ("tiep", "/can-bo")]).await;
    assert!(location(&right).contains("loi=qua-nhieu"), "the right code waits too: {}", location(&right));
}

#[sqlx::test(migrations = false)]
async fn a_recovery_code_replaces_a_lost_phone_once_and_an_administrator_can_reset(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut leader = staff(&app, "lanhdao.giavien").await;
    let renewed = leader.post(SECOND_FACTOR, &[("viec", "ma-moi"), ("ma", "123")]).await;
    assert!(location(&renewed).contains("loi=sai"), "new codes need a right code");
    let off = leader.post(SECOND_FACTOR, &[("viec", "tat"), ("ma", "123")]).await;
    assert!(!location(&off).contains("da-tat"), "a leader cannot turn it off: {}", location(&off));
    let secret: Vec<u8> = sqlx::query_scalar(
        "SELECT secret FROM staff_second_factors f JOIN staff_users u ON u.id = f.staff_id WHERE username = 'lanhdao.giavien'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let still_on: i64 = sqlx::query_scalar("SELECT count(*) FROM staff_second_factors WHERE confirmed_at IS NOT NULL")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(still_on, 1, "the leader's second factor stays");
    // The set-up used this step's code: the next step's code makes the new recovery codes.
    leader.post(SECOND_FACTOR, &[("viec", "ma-moi"), ("ma", &totp_code(&secret, 1))]).await;
    let page = leader.get("/can-bo/xac-thuc-hai-buoc?ma-moi=1").await;
    let recovery = page.body.split("<li><code>").nth(1).and_then(|rest| rest.split('<').next()).unwrap().to_owned();
    leader.post("/api/can-bo/dang-xuat", &[]).await;

    let password = app::auth::accounts::DEMO_PASSWORD;
    for attempt in ["first", "second"] {
        let mut phone_lost = Browser::new(&app);
        phone_lost.post(STAFF_SIGN_IN, &[("username", "lanhdao.giavien"), ("password", password)]).await;
        let reply = phone_lost.post(STAFF_CODE, &[("ma", &recovery.to_uppercase()), ("tiep", "/can-bo")]).await;
        let expected = if attempt == "first" { "/can-bo" } else { "/can-bo/xac-thuc?loi=sai&tiep=%2Fcan-bo" };
        assert_eq!(location(&reply), expected, "{attempt} use of the recovery code");
    }

    let mut admin = staff(&app, "quantri").await;
    let leader_id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM staff_users WHERE username = 'lanhdao.giavien'")
        .fetch_one(&pool)
        .await
        .unwrap();
    admin.post("/api/quan-tri/can-bo/sua", &[("id", &leader_id.to_string()), ("viec", "hai-buoc")]).await;
    let mut again = Browser::new(&app);
    let reply = again.post(STAFF_SIGN_IN, &[("username", "lanhdao.giavien"), ("password", password)]).await;
    assert_eq!(location(&reply), "/can-bo", "the password, then set it up again");
    assert_eq!(location(&again.get("/can-bo").await), "/can-bo/xac-thuc-hai-buoc");
}

#[sqlx::test(migrations = false)]
async fn strangers_guessing_a_code_do_not_lock_its_owner_out(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut owner, _, code) = submitted_dossier(&app, &pool, "0912000309").await;
    let look_up = |client: &str, digits: &str| {
        let mut request = post_form("/api/tra-cuu", &[("ma", &code), ("so_cuoi", digits)]);
        request.extensions_mut().insert(app::security::ClientAddress(client.to_owned()));
        request
    };
    // The owner's phone looked the dossier up once before.
    let mut owners_phone = Browser::new(&app);
    let found = owners_phone.send(look_up("203.0.113.50", "0309")).await;
    assert!(!location(&found).contains("loi="), "{}", location(&found));
    for stranger in 0..12 {
        send(&app, look_up(&format!("198.51.100.{stranger}"), "1111")).await;
    }
    let locked = send(&app, look_up("192.0.2.1", "0309")).await;
    assert!(location(&locked).contains("loi=qua-nhieu"), "a new client waits: {}", location(&locked));
    let again = Browser::new(&app).send(look_up("203.0.113.50", "0309")).await;
    assert!(!location(&again).contains("loi="), "the owner's phone still gets in: {}", location(&again));
    let signed_in = owner.post("/api/tra-cuu", &[("ma", &code), ("so_cuoi", "")]).await;
    assert_eq!(location(&signed_in), format!("/tra-cuu/{code}"), "the signed-in applicant needs no digits");
}

#[sqlx::test(migrations = false)]
async fn public_statistics_are_limited_per_client(pool: PgPool) {
    let app = app(pool.clone()).await;
    let started = std::time::Instant::now();
    let replies = burst(&app, 70, |index| {
        let uri = if index % 2 == 0 { "/thong-ke?theo=thang" } else { "/thong-ke/tai-ve.csv" };
        Request::get(uri).header(header::ACCEPT, "text/html").body(Body::empty()).unwrap()
    })
    .await;
    let answered = replies.iter().filter(|r| r.status == 200).count();
    let refused = replies.iter().filter(|r| r.status == 429).count();
    // 60 at once, then one more each second.
    let allowed = 60 + started.elapsed().as_secs() as usize + 1;
    assert!(answered >= 60 && answered <= allowed, "{answered} answered, at most {allowed}");
    assert_eq!(refused, 70 - answered, "the others are told to wait");
    let mut other = Request::get("/thong-ke").body(Body::empty()).unwrap();
    other.extensions_mut().insert(app::security::ClientAddress("203.0.113.8".into()));
    assert_eq!(send(&app, other).await.status, 200, "another client is not held back");
}
