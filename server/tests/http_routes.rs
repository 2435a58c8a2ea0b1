//! The real router driven in-process: pages, server functions, health, layers.
//! Each test gets a fresh database with migrations and demo data.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use http_body_util::BodyExt;
use server::http::{router, AppState, MAX_BODY_BYTES};
use sqlx::PgPool;
use tower::ServiceExt;

async fn feedback_count(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM procedure_feedback").fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrations = false)]
async fn health_is_ok_while_the_database_answers(pool: PgPool) {
    let app = app(pool).await;
    let reply = get(&app, "/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, "ok");
}

#[tokio::test]
async fn health_fails_when_the_database_is_unreachable() {
    let unreachable = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_millis(500))
        .connect_lazy("postgres://nobody@127.0.0.1:1/none")
        .unwrap();
    let app = router(AppState::new(unreachable, options(), files()));
    let reply = get(&app, "/healthz").await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[sqlx::test(migrations = false)]
async fn home_page_lists_procedures_from_the_database(pool: PgPool) {
    let app = app(pool).await;
    let reply = get(&app, "/").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    assert!(reply.body.contains(r#"<html lang="vi""#));
    assert!(reply.body.contains("Đăng ký khai sinh"));
    assert!(reply.body.contains(r#"href="/thu-tuc/1.001193""#));
    assert!(reply.body.contains("Đường dây nóng"));
    assert!(!reply.body.contains(r#"type="module""#), "a page without islands loads no script");
    assert!(!reply.body.contains(".wasm"), "nor preloads the WebAssembly bundle");
}

#[sqlx::test(migrations = false)]
async fn every_page_carries_security_headers_and_its_scripts_carry_the_policy_nonce(pool: PgPool) {
    let app = app(pool.clone()).await;
    let reply = get(&app, "/thu-tuc/1.001193").await;
    let csp = reply.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("nonce in CSP");
    assert!(nonce.len() >= 22, "at least 128 bits");
    assert!(!reply.body.contains("<script"), "a read-only page carries no script, so it can be kept for everyone");
    // A page with an island: its scripts carry this response's nonce.
    let mut citizen = Browser::new(&app);
    sign_in(&mut citizen, &pool, "0912000951", "/").await;
    let draft = start_draft(&mut citizen, "1.001193").await;
    let step = citizen.get(&format!("/nop-ho-so/nhap/{draft}/giay-chung-sinh")).await;
    let csp = step.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("nonce in CSP");
    assert!(step.body.contains(r#"type="module""#) && step.body.contains(&format!(r#"nonce="{nonce}""#)));
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(reply.headers[header::REFERRER_POLICY], "same-origin");
    assert!(reply.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none(), "no HSTS over plain HTTP");
    let second = get(&app, "/thu-tuc/1.001193").await;
    assert_ne!(second.headers[header::CONTENT_SECURITY_POLICY], reply.headers[header::CONTENT_SECURITY_POLICY]);
}

#[sqlx::test(migrations = false)]
async fn hsts_is_sent_when_served_over_https(pool: PgPool) {
    server::database::prepare(&pool, true).await.unwrap();
    let app = router(AppState { https_only: true, ..AppState::new(pool, options(), files()) });
    let reply = get(&app, "/healthz").await;
    assert!(reply.headers[header::STRICT_TRANSPORT_SECURITY].to_str().unwrap().contains("max-age="));
}

#[sqlx::test(migrations = false)]
async fn procedure_page_shows_sections_and_unknown_codes_are_404(pool: PgPool) {
    let app = app(pool).await;
    let reply = get(&app, "/thu-tuc/1.001193").await;
    assert_eq!(reply.status, StatusCode::OK);
    for section in ["Trình tự thực hiện", "Hồ sơ cần chuẩn bị", "Căn cứ pháp lý", "Góp ý về thủ tục này"]
    {
        assert!(reply.body.contains(section), "missing {section}");
    }
    for missing in ["/thu-tuc/9.999999", "/thu-tuc/khong-hop-le", "/khong-co-trang-nay"] {
        let reply = get(&app, missing).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{missing}");
        // Regression: the fallback for unknown addresses rendered without the database.
        assert!(reply.body.contains("Đường dây nóng"), "{missing} keeps the footer with the hotline");
    }
}

#[sqlx::test(migrations = false)]
async fn feedback_form_post_stores_once_and_redirects_to_a_thank_you(pool: PgPool) {
    let app = app(pool.clone()).await;
    let form = [("procedure_code", "1.001193"), ("message", "Rất rõ ràng")];
    let reply = send(&app, post_form("/api/gop-y", &form)).await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert_eq!(reply.headers[header::LOCATION], "/thu-tuc/1.001193?gop-y=da-gui#gop-y");
    // The same form sent again (double tap, resend after a dropped connection) stores nothing new.
    let again = send(&app, post_form("/api/gop-y", &form)).await;
    assert_eq!(again.status, StatusCode::FOUND);
    assert_eq!(feedback_count(&pool).await, 1);
}

#[sqlx::test(migrations = false)]
async fn blank_feedback_comes_back_with_the_error_and_the_text_typed(pool: PgPool) {
    let app = app(pool.clone()).await;
    let form = [("procedure_code", "1.001193"), ("message", "  ")];
    let reply = send(&app, post_form("/api/gop-y", &form)).await;
    assert_eq!(reply.status, StatusCode::FOUND);
    let location = reply.headers[header::LOCATION].to_str().unwrap().to_owned();
    assert!(location.starts_with("/thu-tuc/1.001193?gop-y-loi=trong&noi-dung="), "{location}");
    let page = get(&app, &location).await;
    assert!(page.body.contains("Vui lòng nhập nội dung góp ý."));
    assert!(page.body.contains(r#"aria-invalid="true""#));
    assert_eq!(feedback_count(&pool).await, 0);
}

#[sqlx::test(migrations = false)]
async fn feedback_about_an_unknown_procedure_is_refused(pool: PgPool) {
    let app = app(pool.clone()).await;
    let form = [("procedure_code", "9.999999"), ("message", "Nội dung")];
    let reply = send(&app, post_form("/api/gop-y", &form)).await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert_eq!(reply.headers[header::LOCATION], "/thu-tuc/9.999999", "its page explains it is unknown");
    assert_eq!(feedback_count(&pool).await, 0);
}

#[sqlx::test(migrations = false)]
async fn when_storage_fails_the_citizen_keeps_the_text_and_is_asked_to_retry(pool: PgPool) {
    let app = app(pool.clone()).await;
    sqlx::query("ALTER TABLE procedure_feedback RENAME TO procedure_feedback_offline").execute(&pool).await.unwrap();
    let form = [("procedure_code", "1.001193"), ("message", "Góp ý quan trọng")];
    let reply = send(&app, post_form("/api/gop-y", &form)).await;
    assert_eq!(reply.status, StatusCode::FOUND);
    let location = reply.headers[header::LOCATION].to_str().unwrap().to_owned();
    assert!(location.contains("gop-y-loi=tam-loi"), "{location}");
    let page = get(&app, &location).await;
    assert!(page.body.contains("Hệ thống đang bận"));
    assert!(page.body.contains("Góp ý quan trọng"), "the typed text is back in the form");
}

#[sqlx::test(migrations = false)]
async fn oversized_request_bodies_are_refused(pool: PgPool) {
    let app = app(pool.clone()).await;
    let huge = "a".repeat(MAX_BODY_BYTES + 1);
    let form = [("procedure_code", "1.001193"), ("message", huge.as_str())];
    let reply = send(&app, post_form("/api/gop-y", &form)).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(feedback_count(&pool).await, 0);
}

#[sqlx::test(migrations = false)]
async fn pages_are_compressed_for_clients_that_accept_brotli(pool: PgPool) {
    let app = app(pool).await;
    let request = Request::get("/").header(header::ACCEPT_ENCODING, "br, gzip").body(Body::empty()).unwrap();
    let reply = send(&app, request).await;
    assert_eq!(reply.headers[header::CONTENT_ENCODING], "br");
}

#[sqlx::test(migrations = false)]
async fn with_demo_data_off_a_fresh_database_stays_empty_and_says_so(pool: PgPool) {
    server::database::prepare(&pool, false).await.unwrap();
    let app = router(AppState::new(pool, options(), files()));
    let reply = get(&app, "/").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("Chưa có thủ tục nào được công bố."));
    assert!(!reply.body.contains("minh hoạ"), "no demo label without demo data");
}

#[sqlx::test(migrations = false)]
async fn catalog_search_page_finds_procedures_typed_without_diacritics(pool: PgPool) {
    let app = app(pool).await;
    let reply = get(&app, "/thu-tuc?q=dang+ky+thuong+tru").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains(r#"href="/thu-tuc/1.004222""#));
    assert!(reply.body.contains(r#"value="dang ky thuong tru""#), "the query stays in the box");
    assert!(reply.body.contains(r#"<meta name="description""#), "search pages describe themselves");
    let none = get(&app, "/thu-tuc?q=xyzxyzq").await;
    assert!(none.body.contains("Không tìm thấy thủ tục phù hợp"));
    let field = get(&app, "/thu-tuc?linh-vuc=Ch%E1%BB%A9ng+th%E1%BB%B1c").await;
    assert!(field.body.contains("Có 3 thủ tục"));
    assert!(field.body.contains("Đang lọc: Chứng thực."));
}

#[sqlx::test(migrations = false)]
async fn browsing_by_level_and_agency_keeps_the_choices_in_the_form(pool: PgPool) {
    let app = app(pool).await;
    let reply = get(&app, "/thu-tuc?cap=C%E1%BA%A5p+t%E1%BB%89nh&co-quan=DEMO.NB.TTPV").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("Có 1 thủ tục"), "only the criminal record certificate is provincial");
    assert!(reply.body.contains(r#"href="/thu-tuc/3.000333""#));
    assert!(reply.body.contains(r#"<option value="DEMO.NB.TTPV" selected"#), "the chosen agency stays selected");
    assert!(reply.body.contains("<details open class=\"filters\">"), "filters in use are shown open");
    let nothing = get(&app, "/thu-tuc?co-quan=KHONG.CO").await;
    assert_eq!(nothing.status, StatusCode::OK);
    assert!(nothing.body.contains("Không tìm thấy thủ tục phù hợp"));
}

#[sqlx::test(migrations = false)]
async fn a_form_template_downloads_as_an_attachment_with_its_content_type(pool: PgPool) {
    let app = app(pool).await;
    let page = get(&app, "/thu-tuc/1.001193").await;
    assert!(page.body.contains(r#"href="/bieu-mau/to-khai-dang-ky-khai-sinh.pdf""#));
    let request = Request::get("/bieu-mau/to-khai-dang-ky-khai-sinh.pdf").body(Body::empty()).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(headers[header::CONTENT_DISPOSITION], r#"attachment; filename="to-khai-dang-ky-khai-sinh.pdf""#);
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert!(bytes.starts_with(b"%PDF-"));
    let missing = get(&app, "/bieu-mau/khong-co.pdf").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Không tìm thấy biểu mẫu"));
    assert_eq!(get(&app, "/bieu-mau/..%2Fetc%2Fpasswd").await.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = false)]
async fn a_procedure_page_posts_every_mandated_section(pool: PgPool) {
    let app = app(pool).await;
    let reply = get(&app, "/thu-tuc/1.000894").await;
    assert_eq!(reply.status, StatusCode::OK);
    for section in [
        "Cách thức nộp, thời hạn và phí",
        "Trình tự thực hiện",
        "Hồ sơ cần chuẩn bị",
        "Điều kiện thực hiện",
        "Biểu mẫu",
        "Kết quả",
        "Nơi nộp hồ sơ",
        "Căn cứ pháp lý",
        "Trường hợp 2: Cần xác minh điều kiện kết hôn",
        "5 ngày làm việc",
        "Bản chính: 1",
        "UBND Xã Kim Sơn",
        "Cần hướng dẫn? Gọi đường dây nóng:",
    ] {
        assert!(reply.body.contains(section), "missing {section:?}");
    }
    assert!(reply.body.contains(r#"href="/nop-ho-so/1.000894""#), "a call to action to file online");
    let in_person = get(&app, "/thu-tuc/2.000815").await;
    assert!(!in_person.body.contains("/nop-ho-so/"), "no online filing for an in-person procedure");
    assert!(in_person.body.contains("Xuất trình để đối chiếu"));
    let filing = get(&app, "/nop-ho-so/1.000894").await;
    assert_eq!(filing.status, StatusCode::OK);
    assert!(filing.body.contains("Bắt đầu"), "marriage registration has an online form");
    let derived = get(&app, "/nop-ho-so/1.000656").await;
    assert!(derived.body.contains("Bắt đầu"), "death registration is filed with a form derived from its catalog data");
    assert_eq!(get(&app, "/nop-ho-so/2.000815").await.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = false)]
async fn the_demo_catalog_is_loaded_once_and_again_only_when_it_changes(pool: PgPool) {
    server::database::prepare(&pool, true).await.unwrap();
    server::database::prepare(&pool, true).await.unwrap();
    let imports: i64 = sqlx::query_scalar("SELECT count(*) FROM catalog_imports").fetch_one(&pool).await.unwrap();
    assert_eq!(imports, 1, "a restart does not reload an unchanged demo catalog");
    sqlx::query("UPDATE catalog_imports SET sha256 = repeat('0', 64)").execute(&pool).await.unwrap();
    server::database::prepare(&pool, true).await.unwrap();
    let imports: i64 = sqlx::query_scalar("SELECT count(*) FROM catalog_imports").fetch_one(&pool).await.unwrap();
    assert_eq!(imports, 2, "a changed demo catalog is loaded again");
}

#[sqlx::test(migrations = false)]
async fn the_benchmark_baseline_route_exists_only_when_asked_for(pool: PgPool) {
    server::database::prepare(&pool, true).await.unwrap();
    let normal = router(AppState::new(pool.clone(), options(), files()));
    assert_eq!(get(&normal, "/__hello").await.status, StatusCode::NOT_FOUND);
    let bench = router(AppState { benchmark_baseline: true, ..AppState::new(pool, options(), files()) });
    assert_eq!(get(&bench, "/__hello").await.body, "Hello, world!");
}

/// A pool limited to `size` connections on the test's database.
async fn small_pool(pool: &PgPool, size: u32) -> PgPool {
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(std::time::Duration::from_secs(3))
        .connect_with(pool.connect_options().as_ref().clone())
        .await
        .unwrap()
}

/// Regression: the renderer starts every `Suspend` first and awaits them in page order; a
/// footer query queued for the pool was handed the connection while not being polled, and the
/// page's next query waited for it forever (503 after the acquire timeout).
#[sqlx::test(migrations = false)]
async fn pages_with_several_queries_render_with_a_single_pooled_connection(pool: PgPool) {
    server::database::prepare(&pool, true).await.unwrap();
    let app = router(AppState::new(small_pool(&pool, 1).await, options(), files()));
    for page in ["/", "/thu-tuc", "/thu-tuc/1.001193"] {
        assert_eq!(get(&app, page).await.status, StatusCode::OK, "{page}");
    }
}

/// Regression: under concurrent load the same queueing made most pages fail; brotli at the
/// library's default level made it worse by keeping workers busy.
#[sqlx::test(migrations = false)]
async fn concurrent_compressed_pages_share_a_small_pool_without_timing_out(pool: PgPool) {
    server::database::prepare(&pool, true).await.unwrap();
    let app = router(AppState::new(small_pool(&pool, 2).await, options(), files()));
    let requests = (0..32).map(|_| {
        let app = app.clone();
        tokio::spawn(async move {
            let request =
                Request::get("/thu-tuc/1.001193").header(header::ACCEPT_ENCODING, "br").body(Body::empty()).unwrap();
            send(&app, request).await.status
        })
    });
    for status in futures_util::future::join_all(requests).await {
        assert_eq!(status.unwrap(), StatusCode::OK);
    }
}

#[sqlx::test(migrations = false)]
async fn choosing_english_sets_a_cookie_and_returns_to_the_page_in_english(pool: PgPool) {
    let app = app(pool).await;
    let reply = get(&app, "/ngon-ngu/en?tiep=%2Fthu-tuc%3Fq%3Dkhai%2Bsinh").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.headers[header::LOCATION], "/thu-tuc?q=khai+sinh");
    let cookie = reply.headers[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("lang=en;") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    let english = Request::get("/thu-tuc?q=khai+sinh").header(header::COOKIE, "lang=en").body(Body::empty()).unwrap();
    let page = send(&app, english).await;
    assert!(page.body.contains(r#"<html lang="en""#));
    assert!(page.body.contains("Catalog of administrative procedures"));
    assert!(page.body.contains("Đăng ký khai sinh"), "catalog content stays in Vietnamese");
    let off_site = get(&app, "/ngon-ngu/vi?tiep=%2F%2Fevil.example").await;
    assert_eq!(off_site.headers[header::LOCATION], "/");
    assert_eq!(get(&app, "/ngon-ngu/fr").await.status, StatusCode::NOT_FOUND);
}
