//! The officer desk through the real router: one dossier from online submission to return by
//! post, the authorisation matrix (agency, role, citizen vs staff, leader-only approval,
//! disabled account), staff sign-in rules, and the audit trail the database keeps.

mod common;

use app::auth::accounts::DEMO_PASSWORD;
use common::*;
use sqlx::PgPool;

async fn status_messages(pool: &PgPool, code: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT m.body FROM outbox_messages m JOIN dossiers s ON s.id = m.dossier_id \
         WHERE s.code = $1 AND m.purpose = 'status' ORDER BY m.id",
    )
    .bind(code)
    .fetch_all(pool)
    .await
    .unwrap()
}

fn dossier_page(code: &str) -> String {
    format!("/can-bo/ho-so/{code}")
}

#[sqlx::test(migrations = false)]
async fn one_dossier_goes_from_online_submission_to_return_by_post(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut citizen, draft, code) = submitted_dossier(&app, &pool, "0912000101").await;

    // Intake at Xã Gia Viễn sees it among new dossiers and accepts it.
    let mut intake = staff(&app, "tiepnhan.giavien").await;
    let home = intake.get("/can-bo").await;
    assert!(home.body.contains(&code), "the new queue lists the dossier");
    let page = intake.get(&dossier_page(&code)).await;
    assert!(page.body.contains("Tiếp nhận hồ sơ") && page.body.contains("Lò Thị Mai"));
    let reply = act(&mut intake, &code, "tiep-nhan", &[]).await;
    assert_eq!(location(&reply), format!("{}#thong-bao", dossier_page(&code)));
    assert_eq!(status(&pool, &code).await, "duoc_tiep_nhan");
    let page = intake.get(&dossier_page(&code)).await;
    assert!(page.body.contains("Đã tiếp nhận hồ sơ"), "the officer is told it worked");
    assert!(page.body.contains("da duoc tiep nhan") && page.body.contains("Đang chờ gửi"), "the SMS and its state");
    sqlx::query("UPDATE outbox_messages SET sent_at = now() WHERE purpose = 'receipt'").execute(&pool).await.unwrap();
    assert!(intake.get(&dossier_page(&code)).await.body.contains("Đã gửi lúc"), "delivery is visible to staff");

    // A supplement request names the birth certificate; the clock pauses.
    let reply =
        act(&mut intake, &code, "yeu-cau-bo-sung", &[("ly_do", "Ảnh giấy chứng sinh bị mờ, chụp lại rõ số")]).await;
    assert!(location(&reply).ends_with("#loi"), "no document named: refused");
    let page = intake.get(&dossier_page(&code)).await;
    assert!(page.body.contains("Chọn ít nhất một giấy tờ cần bổ sung"));
    assert!(page.body.contains("Ảnh giấy chứng sinh bị mờ, chụp lại rõ số"), "the typed reason is kept");
    act(
        &mut intake,
        &code,
        "yeu-cau-bo-sung",
        &[("ly_do", "Ảnh giấy chứng sinh bị mờ, chụp lại rõ số"), ("giay_to[giay_chung_sinh]", "on")],
    )
    .await;
    assert_eq!(status(&pool, &code).await, "yeu_cau_bo_sung");
    let notice = intake.get(&format!("/can-bo/ho-so/{code}/thong-bao/bo-sung")).await;
    assert!(notice.body.contains("Phiếu yêu cầu bổ sung") && notice.body.contains("Ảnh hoặc bản PDF Giấy chứng sinh"));
    assert!(notice.body.contains("chụp lại rõ số"), "the printable request names what is missing");

    // The citizen reads the request and supplements through the same steps.
    let receipt = citizen.get(&format!("/ho-so-cua-toi/{code}")).await;
    assert!(receipt.body.contains("Ảnh giấy chứng sinh bị mờ"), "{}", receipt.body);
    let step = format!("/nop-ho-so/nhap/{draft}/giay-chung-sinh");
    assert!(receipt.body.contains(&step));
    assert_eq!(citizen.get(&format!("/nop-ho-so/nhap/{draft}/tre")).await.status, 404, "only the named document");
    let sent = citizen.post("/api/nop-ho-so/bo-sung", &[("draft", &draft)]).await;
    assert!(location(&sent).contains("loi=chua-du"), "nothing new attached yet");
    let uploaded = citizen.upload(&upload_url(&draft, "giay-chung-sinh"), &[("ro-hon.jpg", &photo())]).await;
    assert!(location(&uploaded).contains("tai-len=da-nhan"), "{}", location(&uploaded));
    let sent = citizen.post("/api/nop-ho-so/bo-sung", &[("draft", &draft)]).await;
    assert_eq!(location(&sent), format!("/ho-so-cua-toi/{code}?da-bo-sung=1"));
    assert_eq!(status(&pool, &code).await, "dang_xu_ly", "back to processing, clock resumed");

    // Processing forwards it to the provincial centre with a deadline for that step.
    let mut processing = staff(&app, "xuly.giavien").await;
    let centre = agency_id(&pool, "DEMO.NB.TTPV").await.to_string();
    let reply = act(&mut processing, &code, "chuyen", &[("co_quan", &centre), ("han_buoc", "2020-01-01")]).await;
    assert!(location(&reply).ends_with("#loi"), "a past step deadline is refused");
    // The page sends the date as three boxes; one that makes no date is refused with them kept.
    let boxes = |day: &'static str| {
        [("ngay[han_buoc.ngay]", day), ("ngay[han_buoc.thang]", "12"), ("ngay[han_buoc.nam]", "2099")]
    };
    let mut form = vec![("co_quan", centre.as_str()), ("ly_do", "Cấp bản sao có chứng thực")];
    form.extend(boxes("32"));
    let reply = act(&mut processing, &code, "chuyen", &form).await;
    assert!(location(&reply).ends_with("#loi"), "31 days at most");
    let page = processing.get(&location(&reply)).await;
    assert!(page.body.contains(r#"value="32""#), "the boxes come back as typed");
    form.truncate(2);
    form.extend(boxes("31"));
    act(&mut processing, &code, "chuyen", &form).await;
    let held_by: i64 = sqlx::query_scalar("SELECT handling_agency_id FROM dossiers WHERE code = $1")
        .bind(&code)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(held_by.to_string(), centre);

    // The centre's officer uploads the result.
    let mut centre_officer = staff(&app, "xuly.tinh").await;
    assert!(centre_officer.get("/can-bo?hang=dang-xu-ly").await.body.contains(&code));
    let uploaded = centre_officer.upload(&format!("/api/can-bo/ket-qua?ma={code}"), &[("ket-qua.jpg", &photo())]).await;
    assert!(location(&uploaded).ends_with("#thong-bao"), "{}", location(&uploaded));
    assert_eq!(status(&pool, &code).await, "da_xu_ly_xong");
    // Birth registration is fully online: the applicant gets the digital copy, nobody else.
    let receipt = citizen.get(&format!("/ho-so-cua-toi/{code}")).await;
    assert!(receipt.body.contains(&format!("/ho-so-cua-toi/{code}/ket-qua")), "a download link for the applicant");
    let copy = citizen.get(&format!("/ho-so-cua-toi/{code}/ket-qua")).await;
    assert_eq!((copy.status.as_u16(), copy.headers["content-type"].to_str().unwrap()), (200, "image/jpeg"));
    let mut someone_else = Browser::new(&app);
    sign_in(&mut someone_else, &pool, "0912000199", "/ho-so-cua-toi").await;
    assert_eq!(someone_else.get(&format!("/ho-so-cua-toi/{code}/ket-qua")).await.status, 404);
    let mut other_commune = staff(&app, "canbo.hoalu").await;
    assert_eq!(other_commune.get(&format!("/can-bo/ho-so/{code}/ket-qua")).await.status, 404);
    assert_eq!(intake.get(&format!("/can-bo/ho-so/{code}/ket-qua")).await.status, 200, "the returning desk");

    // The desk returns it by post.
    let reply =
        act(&mut intake, &code, "tra-ket-qua", &[("hinh_thuc", "buu-chinh"), ("dia_chi", "Thôn Đông, xã Gia Viễn")])
            .await;
    assert!(location(&reply).ends_with("#loi"), "a tracking number is needed");
    act(
        &mut intake,
        &code,
        "tra-ket-qua",
        &[("hinh_thuc", "buu-chinh"), ("dia_chi", "Thôn Đông, xã Gia Viễn"), ("ma_buu_gui", "EA123456789VN")],
    )
    .await;
    assert_eq!(status(&pool, &code).await, "da_tra_ket_qua");

    // The trail shows every step with actor and reason; the citizen was told each time.
    let sheet = intake.get(&format!("/can-bo/ho-so/{code}/phieu-kiem-soat")).await;
    for expected in [
        "Nộp hồ sơ",
        "Nguyễn Thị Lan (minh hoạ)",
        "Ảnh giấy chứng sinh bị mờ, chụp lại rõ số",
        "Công dân (trực tuyến)",
        "Trần Văn Minh (minh hoạ)",
        "Trung tâm Phục vụ hành chính công tỉnh Ninh Bình (minh hoạ)",
        "31/12/2099",
        "Lê Thu Hà (minh hoạ)",
        "EA123456789VN",
    ] {
        assert!(sheet.body.contains(expected), "control sheet shows {expected}");
    }
    let messages = status_messages(&pool, &code).await;
    assert_eq!(messages.len(), 6, "accept, supplement request, supplement, forward, result, return: {messages:?}");
    assert!(messages.last().unwrap().contains("EA123456789VN"));
    let receipt = citizen.get(&format!("/ho-so-cua-toi/{code}")).await;
    assert!(receipt.body.contains("Đã trả kết quả"));
}

#[sqlx::test(migrations = false)]
async fn officers_only_reach_their_own_agencys_dossiers(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_, _, code) = submitted_dossier(&app, &pool, "0912000102").await;
    let mut other_commune = staff(&app, "canbo.hoalu").await;
    assert_eq!(other_commune.get(&dossier_page(&code)).await.status, 404);
    assert_eq!(other_commune.get(&format!("/can-bo/ho-so/{code}/phieu-kiem-soat")).await.status, 404);
    let link = format!("href=\"{}\"", dossier_page(&code));
    assert!(!other_commune.get(&format!("/can-bo?q={code}")).await.body.contains(&link), "search hides it");
    assert!(!other_commune.get("/can-bo?hang=moi").await.body.contains(&code));
    let reply = act(&mut other_commune, &code, "tiep-nhan", &[]).await;
    assert!(!location(&reply).contains("thong-bao"), "acting on it is refused too");
    assert_eq!(status(&pool, &code).await, "moi_dang_ky");
    let file: String = sqlx::query_scalar(
        "SELECT f.id::text FROM draft_files f JOIN dossiers s ON s.draft_id = f.draft_id WHERE s.code = $1 LIMIT 1",
    )
    .bind(&code)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(other_commune.get(&format!("/ho-so/tep/{file}")).await.status, 404);
    let mut own = staff(&app, "tiepnhan.giavien").await;
    assert!(own.get(&format!("/can-bo?q={code}")).await.body.contains(&link), "found by code");
    let loose = code.to_lowercase().replace(['.', '-'], "%20");
    assert!(own.get(&format!("/can-bo?q={loose}")).await.body.contains(&link), "found by code typed loosely");
    let start: String = code.replace(['.', '-'], "").chars().take(12).collect();
    assert!(own.get(&format!("/can-bo?q={start}")).await.body.contains(&link), "found by the code's start");
    assert!(own.get("/can-bo?q=lo%20thi%20mai").await.body.contains(&link), "found by name without diacritics");
    assert!(own.get("/can-bo?q=0912000102").await.body.contains(&link), "found by phone");
    assert_eq!(own.get(&format!("/ho-so/tep/{file}")).await.status, 200, "the receiving desk opens the file");
}

#[sqlx::test(migrations = false)]
async fn the_desk_sees_a_pdfs_first_page_and_nobody_else_does(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut citizen = Browser::new(&app);
    sign_in(&mut citizen, &pool, "0912000109", "/ho-so-cua-toi").await;
    let draft = start_draft(&mut citizen, "1.001193").await;
    let form = include_bytes!("../../app/src/catalog/data/forms/to-khai-dang-ky-khai-sinh.pdf");
    let uploaded = citizen.upload(&upload_url(&draft, "giay-chung-sinh"), &[("to-khai.pdf", form)]).await;
    assert!(location(&uploaded).contains("tai-len=da-nhan"), "{}", location(&uploaded));
    fill_birth_registration(&mut citizen, &pool, &draft).await;
    let reply = citizen.post("/api/nop-ho-so/nop", &[("draft", &draft), ("cam_doan", "co")]).await;
    let code = location(&reply).rsplit('/').next().unwrap().to_owned();
    let pdf: String = sqlx::query_scalar(
        "SELECT f.id::text FROM draft_files f JOIN dossiers s ON s.draft_id = f.draft_id \
         WHERE s.code = $1 AND f.content_type = 'application/pdf'",
    )
    .bind(&code)
    .fetch_one(&pool)
    .await
    .unwrap();
    let first_page = format!("/ho-so/tep/{pdf}/trang-dau");

    let mut intake = staff(&app, "tiepnhan.giavien").await;
    assert!(intake.get(&dossier_page(&code)).await.body.contains(&format!("src=\"{first_page}\"")));
    let picture = intake.get(&first_page).await;
    assert_eq!(picture.status, 200);
    assert_eq!(picture.headers["content-type"], "image/png");
    let drawn = image::load_from_memory(&picture.bytes).expect("a picture of the page");
    assert_eq!(drawn.height(), 320);
    assert_eq!(intake.get(&first_page).await.bytes, picture.bytes, "kept once drawn");

    assert_eq!(staff(&app, "canbo.hoalu").await.get(&first_page).await.status, 404, "another commune");
    assert_eq!(citizen.get(&first_page).await.status, 404, "staff only");
    assert_eq!(Browser::new(&app).get(&first_page).await.status, 404, "no session");
}

#[sqlx::test(migrations = false)]
async fn roles_decide_which_actions_an_officer_may_take(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_, _, code) = submitted_dossier(&app, &pool, "0912000103").await;
    let mut processing = staff(&app, "xuly.giavien").await;
    act(&mut processing, &code, "tiep-nhan", &[]).await;
    assert_eq!(status(&pool, &code).await, "moi_dang_ky", "processing may not accept at the desk");
    let mut intake = staff(&app, "tiepnhan.giavien").await;
    act(&mut intake, &code, "tiep-nhan", &[]).await;
    let centre = agency_id(&pool, "DEMO.NB.TTPV").await.to_string();
    act(&mut intake, &code, "chuyen", &[("co_quan", &centre), ("han_buoc", "2099-12-31")]).await;
    assert_eq!(status(&pool, &code).await, "duoc_tiep_nhan", "intake may not forward");
    let page = intake.get(&dossier_page(&code)).await;
    assert!(page.body.contains("không có quyền") || page.body.contains("Không thực hiện được"));

    // A late dossier: processing drafts the apology, only a leader approves it.
    act(&mut processing, &code, "xin-loi", &[("ly_do", "Chờ xác minh nơi sinh"), ("ngay_hen_moi", "2099-01-15")]).await;
    act(&mut processing, &code, "duyet-xin-loi", &[]).await;
    act(&mut intake, &code, "duyet-xin-loi", &[]).await;
    let promised: Option<chrono::NaiveDate> = sqlx::query_scalar("SELECT promised_date FROM dossiers WHERE code = $1")
        .bind(&code)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(promised, None, "not approved by officers");
    let mut leader = staff(&app, "lanhdao.giavien").await;
    assert!(leader.get("/can-bo?hang=xin-loi-cho-duyet").await.body.contains(&dossier_page(&code)), "leader's queue");
    assert!(leader.get(&dossier_page(&code)).await.body.contains("Duyệt thư xin lỗi"));
    act(&mut leader, &code, "duyet-xin-loi", &[]).await;
    let (due, promised): (chrono::NaiveDate, Option<chrono::NaiveDate>) =
        sqlx::query_as("SELECT due_date, promised_date FROM dossiers WHERE code = $1")
            .bind(&code)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(promised, chrono::NaiveDate::from_ymd_opt(2099, 1, 15), "new appointment");
    assert!(due < promised.unwrap(), "the original due date is kept for the statistics");
    assert!(status_messages(&pool, &code).await.last().unwrap().contains("15/01/2099"), "the citizen is told");
    let letter = leader.get(&format!("/can-bo/ho-so/{code}/thong-bao/xin-loi")).await;
    assert!(
        letter.body.contains("Phiếu xin lỗi")
            && letter.body.contains("15/01/2099")
            && letter.body.contains("Chờ xác minh nơi sinh")
    );
}

#[sqlx::test(migrations = false)]
async fn citizens_and_strangers_cannot_use_the_desk(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut citizen, _, code) = submitted_dossier(&app, &pool, "0912000104").await;
    let page = citizen.get("/can-bo").await;
    assert!(location(&page).starts_with("/can-bo/dang-nhap"), "a citizen is sent to the staff sign-in");
    assert!(location(&citizen.get(&dossier_page(&code)).await).starts_with("/can-bo/dang-nhap"));
    let reply = act(&mut citizen, &code, "tiep-nhan", &[]).await;
    assert!(location(&reply).starts_with("/can-bo/dang-nhap"));
    assert_eq!(status(&pool, &code).await, "moi_dang_ky");
    let mut stranger = Browser::new(&app);
    assert!(location(&stranger.get(&dossier_page(&code)).await).starts_with("/can-bo/dang-nhap"));
    let result = stranger.get(&format!("/can-bo/ho-so/{code}/ket-qua")).await;
    assert_eq!(result.status, 404);
}

#[sqlx::test(migrations = false)]
async fn staff_sign_in_is_rate_limited_and_a_first_password_must_be_changed(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut browser = Browser::new(&app);
    for _ in 0..5 {
        let reply = browser.post(STAFF_SIGN_IN, &[("username", "xuly.giavien"), ("password", "sai mật khẩu")]).await;
        assert!(location(&reply).contains("loi=sai"), "{}", location(&reply));
    }
    let reply = browser.post(STAFF_SIGN_IN, &[("username", "xuly.giavien"), ("password", DEMO_PASSWORD)]).await;
    assert!(location(&reply).contains("loi=qua-nhieu"), "even the right password waits");
    let sign_in_page = browser.get(&location(&reply)).await;
    assert!(sign_in_page.body.contains("Đăng nhập sai quá nhiều lần"));
    // Lock-out free: the same account from another address is not blocked.
    let elsewhere = common::send(&app, {
        let mut request = post_form(STAFF_SIGN_IN, &[("username", "xuly.giavien"), ("password", DEMO_PASSWORD)]);
        request.extensions_mut().insert(app::security::ClientAddress("10.9.9.9".into()));
        request
    })
    .await;
    assert_eq!(location(&elsewhere), "/can-bo");

    // A new account with a temporary password goes to the password change first.
    let hash = app::auth::accounts::hash_password("tam-thoi-123").unwrap();
    sqlx::query(
        "INSERT INTO staff_users (id, username, full_name, agency_id, roles, password_hash) \
         SELECT gen_random_uuid(), 'moi.giavien', 'Cán bộ mới', id, ARRAY['tiep_nhan'], $1 FROM agencies WHERE identifier = 'DEMO.NB.03'",
    )
    .bind(hash)
    .execute(&pool)
    .await
    .unwrap();
    let mut newcomer = Browser::new(&app);
    let reply = newcomer.post(STAFF_SIGN_IN, &[("username", "moi.giavien"), ("password", "tam-thoi-123")]).await;
    assert_eq!(location(&reply), "/can-bo/doi-mat-khau");
    assert_eq!(location(&newcomer.get("/can-bo").await), "/can-bo/doi-mat-khau", "no work before the change");
    let short = newcomer
        .post("/api/can-bo/doi-mat-khau", &[("current", "tam-thoi-123"), ("new", "ngan"), ("repeated", "ngan")])
        .await;
    assert!(location(&short).contains("loi=qua-ngan"));
    let changed = newcomer
        .post(
            "/api/can-bo/doi-mat-khau",
            &[("current", "tam-thoi-123"), ("new", "mot cau de nho 2026"), ("repeated", "mot cau de nho 2026")],
        )
        .await;
    assert_eq!(location(&changed), "/can-bo?da-doi-mat-khau=1");
    assert_eq!(newcomer.get("/can-bo").await.status, 200);
}

#[sqlx::test(migrations = false)]
async fn disabling_an_account_ends_its_sessions(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut officer = staff(&app, "tiepnhan.giavien").await;
    assert_eq!(officer.get("/can-bo").await.status, 200);
    sqlx::query("UPDATE staff_users SET disabled_at = now() WHERE username = 'tiepnhan.giavien'")
        .execute(&pool)
        .await
        .unwrap();
    assert!(location(&officer.get("/can-bo").await).starts_with("/can-bo/dang-nhap"), "the open session is over");
    let mut again = Browser::new(&app);
    let reply = again.post(STAFF_SIGN_IN, &[("username", "tiepnhan.giavien"), ("password", DEMO_PASSWORD)]).await;
    assert!(location(&reply).contains("loi=sai"));
}

#[sqlx::test(migrations = false)]
async fn the_audit_trail_cannot_be_changed_or_deleted(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_, _, code) = submitted_dossier(&app, &pool, "0912000105").await;
    let update = sqlx::query(
        "UPDATE dossier_events SET note = 'sửa' WHERE dossier_id = (SELECT id FROM dossiers WHERE code = $1)",
    )
    .bind(&code)
    .execute(&pool)
    .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM dossier_events").execute(&pool).await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    let truncate = sqlx::query("TRUNCATE dossier_events CASCADE").execute(&pool).await;
    assert!(truncate.is_err());
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM dossier_events").fetch_one(&pool).await.unwrap();
    assert_eq!(rows, 1, "the submission is still on record");
}

#[sqlx::test(migrations = false)]
async fn an_officer_files_at_the_counter_for_a_walk_in_citizen(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut officer = staff(&app, "tiepnhan.giavien").await;
    let reply = officer.post("/api/can-bo/nop-thay", &[("so_dien_thoai", "0912"), ("thu_tuc", "1.001193")]).await;
    assert!(location(&reply).contains("loi=so-dien-thoai"), "a short number is explained");
    let page = officer.get(&location(&reply)).await;
    assert!(page.body.contains("gồm 10 chữ số") && page.body.contains("value=\"0912\""), "what was typed is kept");
    let walk_in = [("so_dien_thoai", "0912 000 106"), ("thu_tuc", "1.001193")];
    let reply = officer.post("/api/can-bo/nop-thay", &walk_in).await;
    assert!(location(&reply).contains("loi=doi-chieu"), "the officer confirms checking the identity papers");
    let page = officer.get(&location(&reply)).await;
    assert!(page.body.contains("Đối chiếu thẻ Căn cước"), "and is told so");
    let reply = officer.post("/api/can-bo/nop-thay", &[walk_in[0], walk_in[1], ("doi_chieu", "co")]).await;
    let next = location(&reply);
    let draft = next.strip_prefix("/nop-ho-so/nhap/").and_then(|r| r.strip_suffix("/noi-nop")).unwrap().to_owned();
    fill_birth_registration(&mut officer, &pool, &draft).await;
    let reply = officer.post("/api/nop-ho-so/nop", &[("draft", &draft), ("cam_doan", "co")]).await;
    let code = location(&reply).strip_prefix("/can-bo/ho-so/").expect("back to the desk").to_owned();

    let (channel, status, assisted): (String, String, String) = sqlx::query_as(
        "SELECT s.channel, s.status, u.username FROM dossiers s JOIN staff_users u ON u.id = s.assisted_by WHERE s.code = $1",
    )
    .bind(&code)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (channel.as_str(), status.as_str(), assisted.as_str()),
        ("in_person", "duoc_tiep_nhan", "tiepnhan.giavien")
    );
    let receipt_sms: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox_messages WHERE recipient = '0912000106' AND purpose = 'receipt' AND body LIKE '%' || $1 || '%'",
    )
    .bind(&code)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(receipt_sms, 1, "the citizen gets the receipt by SMS");
    let page = officer.get(&dossier_page(&code)).await;
    assert!(page.body.contains("Cán bộ hỗ trợ nộp") && page.body.contains("(nộp thay tại quầy)"));
    assert!(page.body.contains("Tại quầy (cán bộ đã đối chiếu giấy tờ tùy thân)"), "the check is on the record");
    let slip = officer.get(&format!("/can-bo/ho-so/{code}/thong-bao/tiep-nhan")).await;
    assert!(
        slip.body.contains("Giấy tiếp nhận hồ sơ và hẹn trả kết quả") && slip.body.contains("Ngày hẹn trả kết quả")
    );

    // Nobody else reaches the counter draft; processing staff cannot file at the counter.
    let mut other = staff(&app, "canbo.hoalu").await;
    assert_eq!(other.get(&format!("/nop-ho-so/nhap/{draft}/tre")).await.status, 404);
    let mut processing = staff(&app, "xuly.giavien").await;
    assert_eq!(processing.get("/can-bo/nop-thay").await.status, 403);

    // The citizen is the applicant: the dossier is theirs when they sign in.
    let mut citizen = Browser::new(&app);
    sign_in(&mut citizen, &pool, "0912000106", "/ho-so-cua-toi").await;
    assert!(citizen.get("/ho-so-cua-toi").await.body.contains(&code));
    assert_eq!(citizen.get(&format!("/ho-so-cua-toi/{code}")).await.status, 200);
}

#[sqlx::test(migrations = false)]
async fn a_dossier_that_came_by_post_is_entered_at_the_desk_through_the_post_channel(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut officer = staff(&app, "tiepnhan.giavien").await;
    let by_post =
        |procedure: &'static str| [("so_dien_thoai", "0912000107"), ("thu_tuc", procedure), ("cach_nhan", "buu-chinh")];
    let reply = officer.post("/api/can-bo/nop-thay", &by_post("2.000806")).await;
    assert!(location(&reply).contains("loi=khong-buu-chinh"), "a procedure without a post channel is refused");
    let page = officer.get(&location(&reply)).await;
    assert!(page.body.contains("không nhận hồ sơ qua bưu chính"));
    let drafts: i64 = sqlx::query_scalar("SELECT count(*) FROM drafts WHERE by_post").fetch_one(&pool).await.unwrap();
    assert_eq!(drafts, 0, "and no draft is started");

    let reply = officer.post("/api/can-bo/nop-thay", &by_post("1.001193")).await;
    let next = location(&reply);
    let draft = next.strip_prefix("/nop-ho-so/nhap/").and_then(|r| r.strip_suffix("/noi-nop")).unwrap().to_owned();
    fill_birth_registration(&mut officer, &pool, &draft).await;
    let reply = officer.post("/api/nop-ho-so/nop", &[("draft", &draft), ("cam_doan", "co")]).await;
    let code = location(&reply).strip_prefix("/can-bo/ho-so/").expect("back to the desk").to_owned();
    let (channel, status): (String, String) = sqlx::query_as("SELECT channel, status FROM dossiers WHERE code = $1")
        .bind(&code)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!((channel.as_str(), status.as_str()), ("post", "duoc_tiep_nhan"));
    let page = officer.get(&dossier_page(&code)).await;
    assert!(page.body.contains("Bưu chính") && page.body.contains("(nhận qua bưu chính)"));
    assert!(page.body.contains("Qua bưu chính (chưa đối chiếu trực tiếp giấy tờ tùy thân)"), "nobody was seen");
}

#[sqlx::test(migrations = false)]
async fn the_register_is_kept_by_intake_and_read_by_leaders_of_the_agency_only(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_, _, code) = submitted_dossier(&app, &pool, "0912000108").await;
    let mut intake = staff(&app, "tiepnhan.giavien").await;
    let page = intake.get("/can-bo/so-theo-doi").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&code) && page.body.contains("Sổ theo dõi hồ sơ"));
    let csv = intake.get("/can-bo/so-theo-doi.csv").await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.contains(&code) && csv.body.contains("Trực tuyến"));
    assert_eq!(intake.get("/can-bo/so-theo-doi.csv?tu=2099-01-01").await.status, 400, "a period in the future");
    let mut leader = staff(&app, "lanhdao.giavien").await;
    assert!(leader.get("/can-bo/so-theo-doi.csv").await.body.contains(&code));

    let mut processing = staff(&app, "xuly.giavien").await;
    assert_eq!(processing.get("/can-bo/so-theo-doi").await.status, 403);
    let forbidden = processing.get("/can-bo/so-theo-doi.csv").await;
    assert_eq!(forbidden.status, 403);
    assert!(!forbidden.body.contains(&code));
    let mut other_commune = staff(&app, "canbo.hoalu").await;
    assert!(!other_commune.get("/can-bo/so-theo-doi.csv").await.body.contains(&code), "another agency's register");
    let mut stranger = Browser::new(&app);
    assert_eq!(stranger.get("/can-bo/so-theo-doi.csv").await.status, 403);
    assert!(location(&stranger.get("/can-bo/so-theo-doi").await).starts_with("/can-bo/dang-nhap"));
}

#[sqlx::test(migrations = false)]
async fn refusal_fees_stopping_and_withdrawal_each_tell_the_citizen(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut intake = staff(&app, "tiepnhan.giavien").await;
    let mut processing = staff(&app, "xuly.giavien").await;

    let (_, _, refused) = submitted_dossier(&app, &pool, "0912000108").await;
    act(&mut intake, &refused, "tu-choi", &[]).await;
    assert_eq!(status(&pool, &refused).await, "moi_dang_ky", "a refusal needs a written reason");
    act(&mut intake, &refused, "tu-choi", &[("ly_do", "Thủ tục thuộc thẩm quyền cấp tỉnh")]).await;
    assert_eq!(status(&pool, &refused).await, "moi_dang_ky", "and the officer's confirmation");
    act(&mut intake, &refused, "tu-choi", &[("ly_do", "Thủ tục thuộc thẩm quyền cấp tỉnh"), ("xac_nhan", "co")]).await;
    assert_eq!(status(&pool, &refused).await, "khong_tiep_nhan");
    let notice = intake.get(&format!("/can-bo/ho-so/{refused}/thong-bao/tu-choi")).await;
    assert!(notice.body.contains("Thủ tục thuộc thẩm quyền cấp tỉnh"));
    let told = status_messages(&pool, &refused).await;
    assert!(told[0].contains("Ly do: thu tuc thuoc tham quyen cap tinh"), "the SMS gives the reason: {told:?}");
    act(&mut intake, &refused, "tiep-nhan", &[]).await;
    assert_eq!(status(&pool, &refused).await, "khong_tiep_nhan", "a refused dossier stays refused");

    let (_, _, paying) = submitted_dossier(&app, &pool, "0912000109").await;
    act(&mut intake, &paying, "tiep-nhan", &[]).await;
    act(&mut processing, &paying, "yeu-cau-phi", &[("so_tien", "8.000")]).await;
    assert_eq!(status(&pool, &paying).await, "yeu_cau_nghia_vu_tai_chinh");
    act(&mut intake, &paying, "da-nop-phi", &[("so_tien", "8000")]).await;
    assert_eq!(status(&pool, &paying).await, "dang_xu_ly");
    act(
        &mut processing,
        &paying,
        "dung",
        &[("ly_do", "Người yêu cầu không cung cấp được giấy chứng sinh"), ("xac_nhan", "co")],
    )
    .await;
    assert_eq!(status(&pool, &paying).await, "dung_xu_ly");
    let messages = status_messages(&pool, &paying).await;
    assert!(
        messages[1].contains("8.000 dong") && messages[2].contains("8.000 dong") && messages[3].contains("dung xu ly"),
        "{messages:?}"
    );
    let pay_here = format!("/ho-so-cua-toi/{paying}#thanh-toan");
    assert!(messages[1].contains("Thanh toan truc tuyen") && messages[1].ends_with(&pay_here), "{messages:?}");

    let (_, _, withdrawn) = submitted_dossier(&app, &pool, "0912000110").await;
    act(
        &mut intake,
        &withdrawn,
        "rut",
        &[("ly_do", "Công dân đề nghị rút để bổ sung giấy tờ khác"), ("xac_nhan", "co")],
    )
    .await;
    assert_eq!(status(&pool, &withdrawn).await, "rut_ho_so");
    assert!(status_messages(&pool, &withdrawn).await[0].contains("da duoc rut"));
}

#[sqlx::test(migrations = false)]
async fn the_paused_working_days_move_the_due_date_and_queues_follow_it(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut citizen, draft, code) = submitted_dossier(&app, &pool, "0912000111").await;
    let mut intake = staff(&app, "tiepnhan.giavien").await;
    act(&mut intake, &code, "tiep-nhan", &[]).await;
    act(&mut intake, &code, "yeu-cau-bo-sung", &[("ly_do", "Chụp lại"), ("giay_to[giay_chung_sinh]", "on")]).await;
    // The request was made ten days ago (a fixture: the clock is paused since then).
    sqlx::query("UPDATE dossiers SET paused_at = paused_at - interval '10 days' WHERE code = $1")
        .bind(&code)
        .execute(&pool)
        .await
        .unwrap();
    let (due_before, paused): (chrono::NaiveDate, chrono::DateTime<chrono::Utc>) =
        sqlx::query_as("SELECT due_date, paused_at FROM dossiers WHERE code = $1")
            .bind(&code)
            .fetch_one(&pool)
            .await
            .unwrap();
    citizen.upload(&upload_url(&draft, "giay-chung-sinh"), &[("moi.jpg", &photo())]).await;
    citizen.post("/api/nop-ho-so/bo-sung", &[("draft", &draft)]).await;
    let due_after: chrono::NaiveDate =
        sqlx::query_scalar("SELECT due_date FROM dossiers WHERE code = $1").bind(&code).fetch_one(&pool).await.unwrap();
    let (from, until) =
        (app::filed::clock::vietnam_time(paused).date(), app::filed::clock::vietnam_time(chrono::Utc::now()).date());
    let mut tx = pool.begin().await.unwrap();
    let calendar = app::filed::clock::work_calendar(&mut tx, from).await.unwrap();
    let paused_days = calendar.working_days_between(from, until);
    assert!(paused_days >= 6, "ten calendar days hold at least six working days");
    assert_eq!(due_after, calendar.add_working_days(due_before, paused_days), "moved by the paused working days");

    // Overdue and due-soon queues read the due date.
    let queue_has = |body: &str| body.contains(&dossier_page(&code));
    let mut processing = staff(&app, "xuly.giavien").await;
    assert!(!queue_has(&processing.get("/can-bo?hang=qua-han").await.body));
    let set_due = |date: chrono::NaiveDate| {
        sqlx::query("UPDATE dossiers SET due_date = $2 WHERE code = $1").bind(code.clone()).bind(date).execute(&pool)
    };
    set_due(until.pred_opt().unwrap()).await.unwrap();
    let overdue = processing.get("/can-bo?hang=qua-han").await.body;
    assert!(queue_has(&overdue) && overdue.contains("(quá hạn)"));
    set_due(until).await.unwrap();
    assert!(queue_has(&processing.get("/can-bo?hang=sap-den-han").await.body), "due today: within one day");
    assert!(!queue_has(&processing.get("/can-bo?hang=qua-han").await.body));
}

/// A citizen's complete dossier of the two-case liên thông procedure (3.000722, derived form),
/// filed online in case 1 at Xã Gia Viễn; returns its code.
async fn two_case_dossier(app: &axum::Router, pool: &PgPool, phone: &str) -> String {
    let mut citizen = Browser::new(app);
    sign_in(&mut citizen, pool, phone, "/ho-so-cua-toi").await;
    let draft = start_draft(&mut citizen, "3.000722").await;
    let agency = agency_id(pool, "DEMO.NB.03").await.to_string();
    citizen.post(SAVE_STEP, &[("draft", &draft), ("step", "noi-nop"), ("agency", &agency), ("di", "tiep")]).await;
    let applicant = [
        ("ho_ten", "Nguyễn Thị Hoa"),
        ("so_dinh_danh", "037090001234"),
        ("dien_thoai", phone),
        ("noi_cu_tru.xa", "DEMO.NB.03"),
        ("noi_cu_tru.chi_tiet", "Thôn Đông"),
        ("nop_cho", "Cho bản thân tôi"),
    ];
    assert!(save(&mut citizen, &draft, "nguoi-nop", &applicant).await.ends_with("/truong-hop"));
    assert!(save(&mut citizen, &draft, "truong-hop", &[("truong_hop", "Không cần xác minh")])
        .await
        .ends_with("/giay-to-1"));
    for step in ["giay-to-1", "giay-to-2", "giay-to-3"] {
        citizen.upload(&upload_url(&draft, step), &[("giay-to.jpg", &photo())]).await;
        save(&mut citizen, &draft, step, &[]).await;
    }
    save(&mut citizen, &draft, "giay-to-4", &[]).await;
    let last = save(&mut citizen, &draft, "nhan-ket-qua", &[("nhan_ket_qua", "Nhận tại nơi nộp hồ sơ")]).await;
    assert!(last.ends_with("/kiem-tra"), "{last}");
    let reply = citizen.post("/api/nop-ho-so/nop", &[("draft", &draft), ("cam_doan", "co")]).await;
    location(&reply).rsplit('/').next().unwrap().to_owned()
}

#[sqlx::test(migrations = false)]
async fn intake_may_accept_under_another_case_with_a_reason_and_the_due_date_follows(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut intake = staff(&app, "tiepnhan.giavien").await;
    let code = two_case_dossier(&app, &pool, "0912000131").await;
    let facts = || async {
        sqlx::query_as::<_, (String, Option<i16>, i32)>(
            "SELECT status, case_no, time_amount FROM dossiers WHERE code = $1",
        )
        .bind(&code)
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    assert_eq!(facts().await, ("moi_dang_ky".into(), Some(1), 3));
    let page = intake.get(&dossier_page(&code)).await;
    assert!(page.body.contains("Không cần xác minh") && page.body.contains(r#"name="truong_hop""#));

    act(&mut intake, &code, "tiep-nhan", &[("truong_hop", "2")]).await;
    assert_eq!(facts().await.0, "moi_dang_ky", "a change of case needs a reason");
    let reason = "Người yêu cầu từng thường trú tại tỉnh khác, cần xác minh";
    act(&mut intake, &code, "tiep-nhan", &[("truong_hop", "2"), ("ly_do", reason)]).await;
    assert_eq!(facts().await, ("duoc_tiep_nhan".into(), Some(2), 5), "accepted in case 2 with its 5 working days");
    let page = intake.get(&dossier_page(&code)).await;
    assert!(page.body.contains("Tiếp nhận theo trường hợp: Cần xác minh") && page.body.contains(reason));
    let sms = status_messages(&pool, &code).await;
    assert!(sms[0].contains("da duoc tiep nhan") && sms[0].contains("Hen tra ket qua"), "{sms:?}");
}

#[sqlx::test(migrations = false)]
async fn the_same_request_filed_twice_is_flagged_on_both_dossiers_to_their_agency_only(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_, _, first) = submitted_dossier(&app, &pool, "0912000131").await;
    let (_, _, second) = submitted_dossier(&app, &pool, "0912000131").await;
    let (_, _, other_citizen) = submitted_dossier(&app, &pool, "0912000132").await;
    let mut intake = staff(&app, "tiepnhan.giavien").await;
    let page = intake.get(&dossier_page(&second)).await.body;
    assert!(page.contains("Có thể trùng"), "flagged");
    assert!(page.contains(&format!("href=\"{}\"", dossier_page(&first))));
    assert!(intake.get(&dossier_page(&first)).await.body.contains(&format!("href=\"{}\"", dossier_page(&second))));
    assert!(!intake.get(&dossier_page(&other_citizen)).await.body.contains("Có thể trùng"), "another citizen's is not");
}
