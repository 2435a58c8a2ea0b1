//! Administration through the real router: accounts (temporary password, forced change,
//! disabling), the agency tree as the limit of an administrator's reach, the holiday calendar,
//! and new procedure versions from a catalog file while filed dossiers keep theirs.

mod common;

use app::auth::accounts::DEMO_PASSWORD;
use common::*;
use sqlx::PgPool;

async fn signed_in(app: &axum::Router, username: &str, password: &str) -> (Browser, String) {
    let mut browser = Browser::new(app);
    let reply = browser.post("/api/can-bo/dang-nhap", &[("username", username), ("password", password)]).await;
    let next = location(&reply);
    if location(&browser.get("/can-bo").await) == "/can-bo/xac-thuc-hai-buoc" {
        set_up_second_factor(&mut browser).await;
    }
    (browser, next)
}

/// The one-time notice the admin page shows after a form.
async fn notice(browser: &mut Browser, page: &str) -> String {
    browser.get(page).await.body
}

fn temporary_password(page: &str) -> String {
    let start = page.find("Mật khẩu tạm: ").expect("a temporary password is shown") + "Mật khẩu tạm: ".len();
    page[start..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect()
}

#[sqlx::test(migrations = false)]
async fn an_administrator_creates_an_account_that_must_change_its_password_and_can_disable_it(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut admin, _) = signed_in(&app, "quantri", DEMO_PASSWORD).await;
    let commune = agency_id(&pool, "DEMO.NB.03").await.to_string();
    let form = [("ten_dang_nhap", "Tn.Moi"), ("ho_ten", "Vũ Thị Hoa"), ("co_quan", commune.as_str())];
    admin.post("/api/quan-tri/can-bo/tao", &form).await;
    let page = notice(&mut admin, "/can-bo/quan-tri/can-bo").await;
    assert!(page.contains("Chọn ít nhất một vai trò") && page.contains("value=\"Vũ Thị Hoa\""), "explained, kept");
    let mut form = form.to_vec();
    form.push(("vai_tro[tiep_nhan]", "on"));
    admin.post("/api/quan-tri/can-bo/tao", &form).await;
    let page = notice(&mut admin, "/can-bo/quan-tri/can-bo").await;
    let password = temporary_password(&page);
    assert_eq!(password.len(), 12);
    assert!(!notice(&mut admin, "/can-bo/quan-tri/can-bo").await.contains(&password), "shown only once");

    let (mut newcomer, next) = signed_in(&app, "tn.moi", &password).await;
    assert_eq!(next, "/can-bo/doi-mat-khau", "the first password must be changed");
    let new = "mat khau rieng cua Hoa";
    newcomer.post("/api/can-bo/doi-mat-khau", &[("current", &password), ("new", new), ("repeated", new)]).await;
    assert_eq!(newcomer.get("/can-bo").await.status, 200);
    assert_eq!(newcomer.get("/can-bo/quan-tri/can-bo").await.status, 403, "an officer is not an administrator");

    let id: String = sqlx::query_scalar("SELECT id::text FROM staff_users WHERE username = 'tn.moi'")
        .fetch_one(&pool)
        .await
        .unwrap();
    admin.post("/api/quan-tri/can-bo/sua", &[("id", &id), ("viec", "khoa")]).await;
    assert!(location(&newcomer.get("/can-bo").await).starts_with("/can-bo/dang-nhap"), "disabled: the session ends");
    let (_, next) = signed_in(&app, "tn.moi", new).await;
    assert!(next.contains("loi=sai"));
    admin.post("/api/quan-tri/can-bo/sua", &[("id", &id), ("viec", "mo")]).await;
    admin.post("/api/quan-tri/can-bo/sua", &[("id", &id), ("viec", "mat-khau")]).await;
    let reset = temporary_password(
        &notice(&mut admin, "/can-bo/quan-tri/can-bo").await.replace("Mật khẩu tạm mới của tn.moi: ", "Mật khẩu tạm: "),
    );
    let (_, next) = signed_in(&app, "tn.moi", &reset).await;
    assert_eq!(next, "/can-bo/doi-mat-khau");
}

#[sqlx::test(migrations = false)]
async fn an_administrator_only_reaches_the_agencies_under_their_own(pool: PgPool) {
    let app = app(pool.clone()).await;
    let hash = app::auth::accounts::hash_password("quan tri xa 2026").unwrap();
    sqlx::query(
        "INSERT INTO staff_users (id, username, full_name, agency_id, roles, password_hash, must_change_password) \
         SELECT gen_random_uuid(), 'quantri.hoalu', 'Quản trị phường', id, ARRAY['quan_tri'], $1, false \
         FROM agencies WHERE identifier = 'DEMO.NB.01'",
    )
    .bind(hash)
    .execute(&pool)
    .await
    .unwrap();
    let (mut local, _) = signed_in(&app, "quantri.hoalu", "quan tri xa 2026").await;
    let users = local.get("/can-bo/quan-tri/can-bo").await.body;
    assert!(users.contains("canbo.hoalu") && !users.contains("tiepnhan.giavien"), "only the ward accounts: {users}");
    let other: String = sqlx::query_scalar("SELECT id::text FROM staff_users WHERE username = 'tiepnhan.giavien'")
        .fetch_one(&pool)
        .await
        .unwrap();
    local.post("/api/quan-tri/can-bo/sua", &[("id", &other), ("viec", "khoa")]).await;
    let disabled: bool =
        sqlx::query_scalar("SELECT disabled_at IS NOT NULL FROM staff_users WHERE username = 'tiepnhan.giavien'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(!disabled, "another commune's officer is out of reach");
    let commune = agency_id(&pool, "DEMO.NB.03").await.to_string();
    local
        .post(
            "/api/quan-tri/can-bo/tao",
            &[("ten_dang_nhap", "ngoai.pham.vi"), ("ho_ten", "A"), ("co_quan", &commune), ("vai_tro[xu_ly]", "on")],
        )
        .await;
    assert!(local.get("/can-bo/quan-tri/can-bo").await.body.contains("thuộc phạm vi bạn quản trị"), "explained");
    let created: i64 = sqlx::query_scalar("SELECT count(*) FROM staff_users WHERE username = 'ngoai.pham.vi'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(created, 0);
    let ward = agency_id(&pool, "DEMO.NB.01").await.to_string();
    local
        .post(
            "/api/quan-tri/co-quan/sua",
            &[("id", &commune), ("ten", "Đổi tên"), ("dia_chi", ""), ("duong_day_nong", "")],
        )
        .await;
    let new_contacts = [
        ("id", ward.as_str()),
        ("ten", "UBND Phường Hoa Lư"),
        ("dia_chi", "Số 1 đường Trần Hưng Đạo"),
        ("duong_day_nong", "0229 123 456"),
    ];
    local.post("/api/quan-tri/co-quan/sua", &new_contacts).await;
    let names: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT identifier, address FROM agencies WHERE identifier IN ('DEMO.NB.01', 'DEMO.NB.03') ORDER BY identifier",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    // Agencies are the province's to change (security issue, finding 3): a ward administrator
    // changes no agency, not even its own.
    assert_eq!(names[0].1.as_deref(), Some("Trụ sở UBND Phường Hoa Lư (địa chỉ minh hoạ)"));
    let commune_name: String =
        sqlx::query_scalar("SELECT name FROM agencies WHERE identifier = 'DEMO.NB.03'").fetch_one(&pool).await.unwrap();
    assert_eq!(commune_name, "UBND Xã Gia Viễn", "outside the tree: unchanged");
    let (mut province, _) = signed_in(&app, "quantri", app::auth::accounts::DEMO_PASSWORD).await;
    province.post("/api/quan-tri/co-quan/sua", &new_contacts).await;
    let address: Option<String> = sqlx::query_scalar("SELECT address FROM agencies WHERE identifier = 'DEMO.NB.01'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(address.as_deref(), Some("Số 1 đường Trần Hưng Đạo"), "the province administrator can");
}

#[sqlx::test(migrations = false)]
async fn the_calendar_an_administrator_edits_decides_due_dates(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut admin, _) = signed_in(&app, "quantri", DEMO_PASSWORD).await;
    // The page's three boxes (day, month, year); a date that does not exist comes back as typed.
    let boxes =
        |day, month, year| [("o_ngay[ngay.ngay]", day), ("o_ngay[ngay.thang]", month), ("o_ngay[ngay.nam]", year)];
    let wrong = [&boxes("31", "02", "2027")[..], &[("ten", "Sai"), ("viec", "luu")]].concat();
    admin.post("/api/quan-tri/lich/sua", &wrong).await;
    let page = notice(&mut admin, "/can-bo/quan-tri/lich").await;
    assert!(page.contains("Nhập ngày theo dạng"));
    assert!(page.contains("name=\"o_ngay[ngay.ngay]\" value=\"31\""), "the day kept as typed");
    let holiday = [
        &boxes("4", "1", "2027")[..],
        &[("loai", "nghi"), ("ten", "Nghỉ bù (thử)"), ("ghi_chu", "Thông báo giả định"), ("viec", "luu")],
    ]
    .concat();
    admin.post("/api/quan-tri/lich/sua", &holiday).await;
    admin
        .post(
            "/api/quan-tri/lich/sua",
            &[("ngay", "2027-01-09"), ("loai", "lam-bu"), ("ten", "Làm bù"), ("viec", "luu")],
        )
        .await;
    let page = admin.get("/can-bo/quan-tri/lich?nam=2027").await.body;
    assert!(page.contains("04/01/2027") && page.contains("Nghỉ bù (thử)") && page.contains("Ngày làm bù"));
    let mut tx = pool.begin().await.unwrap();
    let calendar =
        app::filed::clock::work_calendar(&mut tx, chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()).await.unwrap();
    let day = |d| chrono::NaiveDate::from_ymd_opt(2027, 1, d).unwrap();
    assert!(!calendar.is_working_day(day(4)), "the new day off");
    assert!(calendar.is_working_day(day(9)), "the worked Saturday");
    tx.rollback().await.unwrap();
    admin.post("/api/quan-tri/lich/sua", &[("ngay", "2027-01-04"), ("viec", "xoa")]).await;
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM calendar_days WHERE day = '2027-01-04'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
    let (mut officer, _) = signed_in(&app, "tiepnhan.giavien", DEMO_PASSWORD).await;
    officer.post("/api/quan-tri/lich/sua", &[("ngay", "2027-01-05"), ("ten", "Không được"), ("viec", "luu")]).await;
    let added: i64 = sqlx::query_scalar("SELECT count(*) FROM calendar_days WHERE day = '2027-01-05'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(added, 0, "only administrators edit the calendar");
}

fn catalog_upload(json: &str) -> axum::http::Request<axum::body::Body> {
    let boundary = "----motcuaCatalog";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"danh-muc.json\"\r\nContent-Type: application/json\r\n\r\n{json}\r\n--{boundary}--\r\n"
    );
    axum::http::Request::post("/api/quan-tri/thu-tuc/nap")
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .header("content-length", body.len())
        .body(axum::body::Body::from(body))
        .unwrap()
}

#[sqlx::test(migrations = false)]
async fn a_new_procedure_version_takes_effect_while_filed_dossiers_keep_theirs(pool: PgPool) {
    let app = app(pool.clone()).await;
    let mut citizen = Browser::new(&app);
    sign_in(&mut citizen, &pool, "0912000107", "/ho-so-cua-toi").await;
    let draft = start_draft(&mut citizen, "1.001193").await;
    let (mut admin, _) = signed_in(&app, "quantri", DEMO_PASSWORD).await;

    let mut catalog: serde_json::Value = serde_json::from_str(app::catalog::import::DEMO_CATALOG_JSON).unwrap();
    let procedures = catalog["procedures"].as_array_mut().unwrap();
    procedures.retain(|p| p["code"] == "1.001193");
    let versions = procedures[0]["versions"].as_array_mut().unwrap();
    let mut changed = versions.last().unwrap().clone();
    changed["application_form"]["pages"][0]["title"] = "Tiêu đề đã sửa".into();
    *versions.last_mut().unwrap() = changed.clone();
    let reply = admin.send(catalog_upload(&catalog.to_string())).await;
    assert_eq!(location(&reply), "/can-bo/quan-tri/thu-tuc");
    let page = admin.get("/can-bo/quan-tri/thu-tuc").await.body;
    assert!(
        page.contains("Chưa nạp được") && page.contains("later effective date"),
        "the filed version's form is kept"
    );

    let mut catalog: serde_json::Value = serde_json::from_str(app::catalog::import::DEMO_CATALOG_JSON).unwrap();
    let procedures = catalog["procedures"].as_array_mut().unwrap();
    procedures.retain(|p| p["code"] == "1.001193");
    let versions = procedures[0]["versions"].as_array_mut().unwrap();
    changed["effective_from"] = "2099-01-01".into();
    versions.push(changed);
    admin.send(catalog_upload(&catalog.to_string())).await;
    assert!(admin.get("/can-bo/quan-tri/thu-tuc").await.body.contains("Đã nạp 1 thủ tục"));
    let versions: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM procedure_versions v JOIN procedures p ON p.id = v.procedure_id WHERE p.code = '1.001193'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(versions >= 2, "a new version, effective later");
    let step = citizen.get(&format!("/nop-ho-so/nhap/{draft}/nguoi-yeu-cau")).await;
    assert!(!step.body.contains("Tiêu đề đã sửa"), "the draft keeps its version's form");
    let bad = admin.send(catalog_upload("{ not json")).await;
    assert_eq!(location(&bad), "/can-bo/quan-tri/thu-tuc");
    assert!(admin.get("/can-bo/quan-tri/thu-tuc").await.body.contains("Tệp không hợp lệ"));
}
