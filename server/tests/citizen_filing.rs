//! A citizen signs in with a one-time code, files a dossier through the guided flow, and
//! gets a receipt; the same routes refuse other citizens, hostile files and replayed codes.

mod common;

use axum::http::StatusCode;
use common::*;
use sqlx::PgPool;

const PHONE: &str = "0912345678";
const OTHER_PHONE: &str = "0987654321";
const SUBMIT: &str = "/api/nop-ho-so/nop";

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrations = false)]
async fn a_citizen_files_a_birth_registration_leaves_comes_back_and_gets_one_receipt(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut phone = Browser::new(&app);
    assert_eq!(sign_in(&mut phone, &pool, PHONE, "/nop-ho-so/1.001193").await, "/nop-ho-so/1.001193");
    let draft = start_draft(&mut phone, "1.001193").await;
    fill_birth_registration(&mut phone, &pool, &draft).await;

    // Leave, and come back on another device.
    phone.post("/api/dang-xuat", &[]).await;
    assert_eq!(phone.get("/ho-so-cua-toi").await.status, StatusCode::FOUND);
    let mut laptop = Browser::new(&app);
    sign_in(&mut laptop, &pool, PHONE, "/ho-so-cua-toi").await;
    let mine = laptop.get("/ho-so-cua-toi").await;
    assert!(mine.body.contains(&format!("/nop-ho-so/nhap/{draft}/noi-nop")), "the draft is listed");
    let check = laptop.get(&format!("/nop-ho-so/nhap/{draft}/kiem-tra")).await;
    assert_eq!(check.status, StatusCode::OK);
    for shown in ["Lò Văn An", "02/01/2026", "Thôn Đông, Xã Gia Viễn", "1 tệp", "UBND Xã Gia Viễn", "Thay đổi"]
    {
        assert!(check.body.contains(shown), "check page shows {shown}");
    }

    // Without the declaration nothing is filed.
    let undeclared = laptop.post(SUBMIT, &[("draft", &draft)]).await;
    assert!(location(&undeclared).contains("loi=cam-doan"));
    assert_eq!(count(&pool, "SELECT count(*) FROM dossiers").await, 0);

    let first = laptop.post(SUBMIT, &[("draft", &draft), ("cam_doan", "co")]).await;
    let receipt_path = location(&first);
    let code = receipt_path.strip_prefix("/ho-so-cua-toi/").expect("receipt address").to_owned();
    assert!(code.starts_with("DEMO.NB.03-") && code.ends_with("-0001"), "{code}");
    // A double tap and a resent form show the same receipt and file nothing more.
    let again = laptop.post(SUBMIT, &[("draft", &draft), ("cam_doan", "co")]).await;
    assert_eq!(location(&again), receipt_path);
    assert_eq!(count(&pool, "SELECT count(*) FROM dossiers").await, 1);

    let receipt = laptop.get(&receipt_path).await;
    assert_eq!(receipt.status, StatusCode::OK);
    // Not checked by intake yet: sent, with no receipt slip and no appointment.
    for shown in
        ["Đã gửi hồ sơ, chờ cơ quan tiếp nhận", code.as_str(), "Mới đăng ký", "Dự kiến kiểm tra xong trước", "<svg"]
    {
        assert!(receipt.body.contains(shown), "the page shows {shown}");
    }
    for absent in ["Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "Ngày hẹn trả kết quả"] {
        assert!(!receipt.body.contains(absent), "no {absent} before intake accepts");
    }
    let (status, handling, channel): (String, String, String) = sqlx::query_as(
        "SELECT s.status, a.identifier, s.channel FROM dossiers s JOIN agencies a ON a.id = s.handling_agency_id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), handling.as_str(), channel.as_str()), ("moi_dang_ky", "DEMO.NB.03", "online"));
    let sms: String = sqlx::query_scalar("SELECT body FROM outbox_messages WHERE purpose = 'receipt'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(sms.contains(&code) && sms.contains("cho co quan kiem tra") && !sms.contains("Hen tra"), "{sms}");
    assert!(sms.contains(&format!("http://localhost/tra-cuu?ma={code}")), "an absolute link to tracking: {sms}");
}

#[sqlx::test(migrations = false)]
async fn a_dossier_filed_at_any_commune_goes_to_the_competent_agency(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut browser = Browser::new(&app);
    sign_in(&mut browser, &pool, PHONE, "/").await;
    let draft = start_draft(&mut browser, "1.001193").await;
    fill_birth_registration(&mut browser, &pool, &draft).await;
    // File at the provincial service centre, which does not handle birth registration itself.
    let centre = agency_id(&pool, "DEMO.NB.TTPV").await;
    sqlx::query("UPDATE drafts SET receiving_agency_id = $1").bind(centre).execute(&pool).await.unwrap();
    let reply = browser.post(SUBMIT, &[("draft", &draft), ("cam_doan", "co")]).await;
    assert!(location(&reply).starts_with("/ho-so-cua-toi/DEMO.NB.TTPV-"), "{}", location(&reply));
    let handling: String =
        sqlx::query_scalar("SELECT a.identifier FROM dossiers s JOIN agencies a ON a.id = s.handling_agency_id")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(handling.starts_with("DEMO.NB.0"), "routed to a commune that offers the procedure, got {handling}");
}

#[sqlx::test(migrations = false)]
async fn sign_in_codes_are_single_use_limited_and_rotate_the_session(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut browser = Browser::new(&app);
    let reply = browser.post(SEND_CODE, &[("phone", "0912 345 678"), ("tiep", "/ho-so-cua-toi")]).await;
    assert_eq!(location(&reply), "/dang-nhap/ma");
    let before = browser.session_cookie().expect("a session for the pending sign-in").to_owned();
    let code = latest_code(&pool, PHONE).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_eq!(location(&browser.post(CHECK_CODE, &[("code", wrong)]).await), "/dang-nhap/ma?loi=sai-ma");
    assert_eq!(location(&browser.post(CHECK_CODE, &[("code", &code)]).await), "/ho-so-cua-toi");
    assert_ne!(browser.session_cookie().unwrap(), before, "the session id changes at sign-in");
    assert_eq!(browser.get("/ho-so-cua-toi").await.status, StatusCode::OK);

    // The used code does not work again, even from a fresh browser.
    let mut replay = Browser::new(&app);
    replay.post(SEND_CODE, &[("phone", OTHER_PHONE), ("tiep", "/")]).await;
    sqlx::query("UPDATE outbox_messages SET recipient = $1 WHERE recipient = $1")
        .bind(OTHER_PHONE)
        .execute(&pool)
        .await
        .unwrap();
    let other_code = latest_code(&pool, OTHER_PHONE).await;
    for _ in 0..5 {
        let guess = if other_code == "999999" { "888888" } else { "999999" };
        replay.post(CHECK_CODE, &[("code", guess)]).await;
    }
    let after_guesses = replay.post(CHECK_CODE, &[("code", &other_code)]).await;
    assert_eq!(location(&after_guesses), "/dang-nhap/ma?loi=het-han", "five wrong guesses spend the code");

    // At most three codes per number per quarter hour.
    for _ in 0..2 {
        browser.post(SEND_CODE, &[("phone", PHONE), ("tiep", "/")]).await;
    }
    let limited = browser.post(SEND_CODE, &[("phone", PHONE), ("tiep", "/")]).await;
    assert!(location(&limited).contains("loi=qua-nhieu"), "{}", location(&limited));
    let page = browser.get(&location(&limited)).await;
    assert!(page.body.contains("Vui lòng chờ 15 phút"));
    assert_eq!(count(&pool, "SELECT count(*) FROM sign_in_codes WHERE phone = '0912345678'").await, 3);
}

#[sqlx::test(migrations = false)]
async fn a_bad_number_is_explained_and_kept(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut browser = Browser::new(&app);
    let reply = browser.post(SEND_CODE, &[("phone", "091234"), ("tiep", "/")]).await;
    let page = browser.get(&location(&reply)).await;
    assert!(page.body.contains("Số điện thoại di động gồm 10 chữ số"));
    assert!(page.body.contains(r#"value="091234""#));
    assert_eq!(count(&pool, "SELECT count(*) FROM outbox_messages").await, 0);
}

#[sqlx::test(migrations = false)]
async fn signed_out_visitors_are_sent_to_sign_in_and_come_back(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut browser = Browser::new(&app);
    let reply = browser.get("/ho-so-cua-toi").await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert_eq!(location(&reply), "/dang-nhap?tiep=%2Fho-so-cua-toi");
    let start = browser.post("/api/nop-ho-so/bat-dau", &[("code", "1.001193")]).await;
    assert_eq!(location(&start), "/dang-nhap?tiep=%2Fnop-ho-so%2F1.001193%2Fbat-dau");
    // Only local addresses are returned to.
    let sneaky = browser.post(SEND_CODE, &[("phone", PHONE), ("tiep", "//evil.example/")]).await;
    assert_eq!(location(&sneaky), "/dang-nhap/ma");
    let code = latest_code(&pool, PHONE).await;
    assert_eq!(location(&browser.post(CHECK_CODE, &[("code", &code)]).await), "/");

    // Signed in, the start asked for before happens at once, and only once.
    let resumed = browser.get("/nop-ho-so/1.001193/bat-dau").await;
    assert!(
        location(&resumed).starts_with("/nop-ho-so/nhap/") && location(&resumed).ends_with("/noi-nop"),
        "{}",
        location(&resumed)
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM drafts").await, 1);
    let again = browser.get("/nop-ho-so/1.001193/bat-dau").await;
    assert_eq!(location(&again), "/nop-ho-so/1.001193", "a link followed again shows the start page");
    let mut other = Browser::new(&app);
    sign_in(&mut other, &pool, OTHER_PHONE, "/").await;
    assert_eq!(location(&other.get("/nop-ho-so/1.001193/bat-dau").await), "/nop-ho-so/1.001193", "nothing pending");
    assert_eq!(count(&pool, "SELECT count(*) FROM drafts").await, 1);
}

#[sqlx::test(migrations = false)]
async fn a_citizen_never_reaches_another_citizens_draft_file_or_dossier(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut owner = Browser::new(&app);
    sign_in(&mut owner, &pool, PHONE, "/").await;
    let draft = start_draft(&mut owner, "1.001193").await;
    fill_birth_registration(&mut owner, &pool, &draft).await;
    let file_id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM draft_files").fetch_one(&pool).await.unwrap();
    assert_eq!(owner.get(&format!("/ho-so/tep/{file_id}")).await.status, StatusCode::OK);

    let mut stranger = Browser::new(&app);
    sign_in(&mut stranger, &pool, OTHER_PHONE, "/").await;
    for path in [format!("/nop-ho-so/nhap/{draft}/tre"), format!("/nop-ho-so/nhap/{draft}/kiem-tra")] {
        let reply = stranger.get(&path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!reply.body.contains("Lò Văn An"));
    }
    let file = stranger.get(&format!("/ho-so/tep/{file_id}")).await;
    assert_eq!(file.status, StatusCode::NOT_FOUND);
    let anonymous =
        send(&app, axum::http::Request::get(format!("/ho-so/tep/{file_id}")).body(axum::body::Body::empty()).unwrap())
            .await;
    assert_eq!(anonymous.status, StatusCode::NOT_FOUND);

    // Writing into someone else's draft changes nothing.
    save(&mut stranger, &draft, "tre", &[("ho_ten_tre", "Kẻ Lạ")]).await;
    stranger
        .post(
            "/api/nop-ho-so/xoa-tep",
            &[("draft", &draft), ("step", "giay-chung-sinh"), ("file", &file_id.to_string())],
        )
        .await;
    stranger.upload(&upload_url(&draft, "giay-chung-sinh"), &[("x.jpg", &photo())]).await;
    stranger.post(SUBMIT, &[("draft", &draft), ("cam_doan", "co")]).await;
    stranger.post(DELETE_DRAFT, &[("draft", &draft)]).await;
    let name: String = sqlx::query_scalar("SELECT answers->>'ho_ten_tre' FROM drafts").fetch_one(&pool).await.unwrap();
    assert_eq!(name, "Lò Văn An");
    assert_eq!(count(&pool, "SELECT count(*) FROM draft_files").await, 1);
    assert_eq!(count(&pool, "SELECT count(*) FROM dossiers").await, 0);

    let filed = owner.post(SUBMIT, &[("draft", &draft), ("cam_doan", "co")]).await;
    let receipt = location(&filed);
    assert_eq!(stranger.get(&receipt).await.status, StatusCode::NOT_FOUND);
    assert!(!stranger.get("/ho-so-cua-toi").await.body.contains(receipt.trim_start_matches("/ho-so-cua-toi/")));
    // A submitted draft's files can no longer be removed, even by the owner.
    owner
        .post(
            "/api/nop-ho-so/xoa-tep",
            &[("draft", &draft), ("step", "giay-chung-sinh"), ("file", &file_id.to_string())],
        )
        .await;
    assert_eq!(count(&pool, "SELECT count(*) FROM draft_files").await, 1);
}

const DELETE_DRAFT: &str = "/api/ho-so-cua-toi/xoa-nhap";

#[sqlx::test(migrations = false)]
async fn a_citizen_sees_whom_each_draft_is_for_and_deletes_one_with_its_files(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut browser = Browser::new(&app);
    sign_in(&mut browser, &pool, PHONE, "/").await;
    let kept = start_draft(&mut browser, "1.001193").await;
    save(&mut browser, &kept, "nguoi-yeu-cau", &[("ho_ten_nguoi_yeu_cau", "Lò Thị Mai")]).await;
    let dropped = start_draft(&mut browser, "1.001193").await;
    browser.upload(&upload_url(&dropped, "giay-chung-sinh"), &[("a.jpg", &photo())]).await;
    let list = browser.get("/ho-so-cua-toi").await.body;
    assert!(list.contains("Người nộp:") && list.contains("Lò Thị Mai"), "the draft names its applicant");
    assert!(list.matches("Xoá bản nháp").count() >= 2);

    let reply = browser.post(DELETE_DRAFT, &[("draft", &dropped)]).await;
    assert_eq!(location(&reply), "/ho-so-cua-toi?da-xoa=1");
    assert!(browser.get(&location(&reply)).await.body.contains("Đã xoá bản nháp"));
    assert_eq!(count(&pool, "SELECT count(*) FROM drafts").await, 1);
    assert_eq!(count(&pool, "SELECT count(*) FROM draft_files").await, 0);
    assert_eq!(browser.get(&format!("/nop-ho-so/nhap/{dropped}/tre")).await.status, StatusCode::NOT_FOUND);
    // Again (a second tap), or a draft that is not one: back to the list, nothing else happens.
    for draft in [dropped.as_str(), "khong-phai"] {
        assert_eq!(location(&browser.post(DELETE_DRAFT, &[("draft", draft)]).await), "/ho-so-cua-toi");
    }
    assert_eq!(count(&pool, "SELECT count(*) FROM drafts").await, 1);
}

#[sqlx::test(migrations = false)]
async fn hostile_uploads_are_refused_with_a_clear_message_and_nothing_else_is_lost(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut browser = Browser::new(&app);
    sign_in(&mut browser, &pool, PHONE, "/").await;
    let draft = start_draft(&mut browser, "1.001193").await;
    save(&mut browser, &draft, "tre", &[("ho_ten_tre", "Lò Văn An")]).await;
    let url = upload_url(&draft, "giay-chung-sinh");
    let mut oversized = vec![0xFF, 0xD8, 0xFF, 0xE0];
    oversized.resize(app::dossier::upload::MAX_UPLOAD_BYTES + 10, 7);
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("script.jpg", b"<script>alert('x')</script>".to_vec(), "Chỉ nhận ảnh"),
        ("huge.jpg", oversized, "Tệp lớn hơn 10 MB"),
        ("bomb.png", bomb_png(), "Ảnh bị hỏng hoặc quá lớn"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog".to_vec(), "Tệp PDF bị hỏng"),
    ];
    for (name, bytes, message) in cases {
        let reply = browser.upload(&url, &[(name, &bytes)]).await;
        let page = browser.get(&location(&reply)).await;
        assert!(page.body.contains(message), "{name}: expected {message:?}");
        assert!(page.body.contains("error-summary"), "{name}: error summary");
    }
    assert_eq!(count(&pool, "SELECT count(*) FROM draft_files").await, 0);
    // A retry of the same step alone succeeds; the other answers were kept.
    let retry = browser.upload(&url, &[("giay-chung-sinh.jpg", &photo())]).await;
    assert!(location(&retry).contains("tai-len=da-nhan"));
    let stored: (String, i32) =
        sqlx::query_as("SELECT content_type, size_bytes FROM draft_files").fetch_one(&pool).await.unwrap();
    assert_eq!(stored.0, "image/jpeg", "photos are re-encoded as JPEG");
    let page = browser.get(&format!("/nop-ho-so/nhap/{draft}/tre")).await;
    assert!(page.body.contains(r#"value="Lò Văn An""#));
}

#[sqlx::test(migrations = false)]
async fn a_file_chosen_then_continue_is_kept_or_the_page_says_why_not(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut browser = Browser::new(&app);
    sign_in(&mut browser, &pool, PHONE, "/").await;
    let draft = start_draft(&mut browser, "1.001193").await;
    let page = browser.get(&format!("/nop-ho-so/nhap/{draft}/giay-chung-sinh")).await;
    let continue_button = page
        .body
        .split("<button")
        .map(|b| b.split("</button>").next().unwrap_or_default())
        .find(|b| b.contains("Tiếp tục"))
        .unwrap_or_default()
        .to_owned();
    assert!(
        continue_button.contains("formaction=\"/api/nop-ho-so/tai-len?") && continue_button.contains("di=tiep"),
        "\"Tiếp tục\" posts the chosen file with the page: {continue_button}"
    );

    // Continuing with a photo chosen but not uploaded stores it and goes on.
    let continued =
        browser.upload(&format!("{}&di=tiep", upload_url(&draft, "giay-chung-sinh")), &[("a.jpg", &photo())]).await;
    assert!(location(&continued).ends_with("/ban-sao"), "{}", location(&continued));
    assert_eq!(count(&pool, "SELECT count(*) FROM draft_files").await, 1);

    // A file that cannot be kept stops on the page with the reason, from "Tiếp tục" too.
    let refused = browser
        .upload(&format!("{}&di=tiep", upload_url(&draft, "giay-chung-sinh")), &[("x.jpg", b"not a photo")])
        .await;
    assert!(location(&refused).contains("/giay-chung-sinh?tai-len="), "{}", location(&refused));
    assert!(browser.get(&location(&refused)).await.body.contains("Chỉ nhận ảnh"));

    // Nothing chosen: "Tiếp tục" just goes on (the photo sent earlier completes the page);
    // "Lưu và thoát" goes to the list; from check answers it goes back there.
    let nothing = browser.upload(&format!("{}&di=tiep", upload_url(&draft, "giay-chung-sinh")), &[]).await;
    assert!(location(&nothing).ends_with("/ban-sao"), "{}", location(&nothing));
    let leave =
        browser.upload(&format!("{}&di=luu", upload_url(&draft, "giay-chung-sinh")), &[("b.jpg", &photo())]).await;
    assert_eq!(location(&leave), "/ho-so-cua-toi?da-luu=1");
    let back = browser.upload(&format!("{}&di=tiep&tu=kiem-tra", upload_url(&draft, "giay-chung-sinh")), &[]).await;
    assert!(location(&back).ends_with("/kiem-tra"), "{}", location(&back));
    assert_eq!(count(&pool, "SELECT count(*) FROM draft_files").await, 2);
}

/// The page's script sends a chosen file at once; it is told the next page in `Location` (a
/// redirect would be followed by the request itself), and the page coming from check answers
/// goes back there.
#[sqlx::test(migrations = false)]
async fn a_file_sent_by_the_page_script_is_answered_with_the_page_to_open(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut browser = Browser::new(&app);
    sign_in(&mut browser, &pool, PHONE, "/").await;
    let draft = start_draft(&mut browser, "1.001193").await;
    let from_check = format!("{}&tu=kiem-tra", upload_url(&draft, "giay-chung-sinh"));
    let sent = browser.upload_from_script(&from_check, &[("a.jpg", &photo())]).await;
    assert_eq!(sent.status, StatusCode::OK);
    let next = location(&sent);
    assert!(next.ends_with("/giay-chung-sinh?tai-len=da-nhan&tu=kiem-tra#tai-len"), "{next}");
    assert_eq!(count(&pool, "SELECT count(*) FROM draft_files").await, 1);
    let page = browser.get(&next).await;
    assert!(page.body.contains("Đã nhận tệp.") && page.body.contains("Lưu và quay lại trang kiểm tra"));
}

/// A PNG header claiming 50,000 × 50,000 pixels around a one-pixel image.
fn bomb_png() -> Vec<u8> {
    let mut bytes = Vec::new();
    image::DynamicImage::new_rgb8(1, 1)
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes[16..20].copy_from_slice(&50_000u32.to_be_bytes());
    bytes[20..24].copy_from_slice(&50_000u32.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[sqlx::test(migrations = false)]
async fn invalid_answers_get_an_error_summary_and_are_kept_as_typed(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut browser = Browser::new(&app);
    sign_in(&mut browser, &pool, PHONE, "/").await;
    let draft = start_draft(&mut browser, "1.001193").await;
    let next = save(
        &mut browser,
        &draft,
        "me",
        &[
            ("ho_ten_me", "Lò Thị Mai"),
            ("cccd_me", "12345"),
            ("ngay_sinh_me.ngay", "31"),
            ("ngay_sinh_me.thang", "02"),
            ("ngay_sinh_me.nam", "1990"),
        ],
    )
    .await;
    assert_eq!(next, format!("/nop-ho-so/nhap/{draft}/me?loi=1#loi"));
    let page = browser.get(&next).await;
    assert!(page.body.contains("Có lỗi cần sửa"));
    assert!(page.body.contains("gồm đúng 12 chữ số"));
    assert!(page.body.contains("Vui lòng kiểm tra ngày sinh của mẹ: ngày này không có thật"));
    assert!(page.body.contains(r##"href="#q-cccd_me""##), "the summary links to the field");
    assert!(page.body.contains(r##"href="#q-ngay_sinh_me-ngay""##), "a date's error leads to its day box");
    assert!(page.body.contains(r#"name="answers[ngay_sinh_me.ngay]" value="31""#), "the boxes keep what was typed");
    assert!(page.body.contains(r#"value="12345""#) && page.body.contains(r#"value="Lò Thị Mai""#));
    // The check page does not offer submission while anything is missing.
    let check = browser.get(&format!("/nop-ho-so/nhap/{draft}/kiem-tra")).await;
    assert!(check.body.contains("Vui lòng hoàn thành các mục còn thiếu"));
    let refused = browser.post(SUBMIT, &[("draft", &draft), ("cam_doan", "co")]).await;
    assert!(location(&refused).contains("loi=chua-du"));
    assert_eq!(count(&pool, "SELECT count(*) FROM dossiers").await, 0);
}

#[sqlx::test(migrations = false)]
async fn drafts_untouched_for_30_days_are_deleted_with_their_files_and_nothing_else_is(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut browser = Browser::new(&app);
    sign_in(&mut browser, &pool, PHONE, "/").await;
    let filed = start_draft(&mut browser, "1.001193").await;
    fill_birth_registration(&mut browser, &pool, &filed).await;
    browser.post(SUBMIT, &[("draft", &filed), ("cam_doan", "co")]).await;
    let fresh = start_draft(&mut browser, "1.001193").await;
    let stale = start_draft(&mut browser, "1.001193").await;
    let uploaded = browser.upload(&upload_url(&stale, "giay-chung-sinh"), &[("a.jpg", &photo())]).await;
    assert!(location(&uploaded).contains("tai-len=da-nhan"));
    let stale_file: uuid::Uuid = sqlx::query_scalar("SELECT id FROM draft_files WHERE draft_id = $1::uuid")
        .bind(&stale)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(browser.get(&format!("/ho-so/tep/{stale_file}")).await.status, StatusCode::OK);
    // Thirty-one days pass for two of them; the submitted one is a dossier now and stays.
    sqlx::query("UPDATE drafts SET expires_at = now() - interval '1 day' WHERE id::text IN ($1, $2)")
        .bind(&stale)
        .bind(&filed)
        .execute(&pool)
        .await
        .unwrap();
    let store = files();
    assert_eq!(server::housekeeping::delete_expired_drafts(&pool, &store).await.unwrap(), 1);
    let left: Vec<String> =
        sqlx::query_scalar("SELECT id::text FROM drafts ORDER BY created_at").fetch_all(&pool).await.unwrap();
    assert_eq!(left, vec![filed.clone(), fresh]);
    assert_eq!(count(&pool, "SELECT count(*) FROM dossiers").await, 1);
    assert_eq!(browser.get(&format!("/ho-so/tep/{stale_file}")).await.status, StatusCode::NOT_FOUND);
}
