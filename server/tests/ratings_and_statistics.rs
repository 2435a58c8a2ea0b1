//! Ratings and statistics through the real router: a citizen rates a returned dossier (a
//! reason when not satisfied, typed text kept, one rating per dossier), the counter's tablet
//! page rates for a walk-in; the rating and the finished dossier appear on the public page,
//! the leaders' dashboard and the CSV; only leaders and administrators read the dashboard;
//! an e-mail address the citizen adds gets a copy of every notice.

mod common;

use common::*;
use sqlx::PgPool;

/// A dossier accepted, finished and returned at the desk today.
async fn returned_dossier(app: &axum::Router, pool: &PgPool, phone: &str) -> (Browser, String) {
    let (citizen, _, code) = submitted_dossier(app, pool, phone).await;
    let mut intake = staff(app, "tiepnhan.giavien").await;
    act(&mut intake, &code, "tiep-nhan", &[]).await;
    let mut processing = staff(app, "xuly.giavien").await;
    processing.upload(&format!("/api/can-bo/ket-qua?ma={code}"), &[("ket-qua.jpg", &photo())]).await;
    act(&mut intake, &code, "tra-ket-qua", &[("hinh_thuc", "tai-quay")]).await;
    assert_eq!(status(pool, &code).await, "da_tra_ket_qua");
    (citizen, code)
}

/// The fields of one CSV line (quoted fields may hold commas).
fn csv_fields(line: &str) -> Vec<String> {
    let (mut fields, mut field, mut quoted) = (Vec::new(), String::new(), false);
    for c in line.chars() {
        match (c, quoted) {
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

fn today_query(extra: &str) -> String {
    let today = app::filed::clock::vietnam_time(chrono::Utc::now()).date();
    format!("tu={today}&den={today}&co-quan=DEMO.NB.03{extra}")
}

#[sqlx::test(migrations = false)]
async fn a_citizen_rates_a_returned_dossier_once_with_a_reason_when_not_satisfied(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut citizen, _, pending) = submitted_dossier(&app, &pool, "0912000301").await;
    citizen.post("/api/danh-gia", &[("ma", &pending), ("muc", "hai_long")]).await;
    let rated: i64 = sqlx::query_scalar("SELECT count(*) FROM dossier_ratings").fetch_one(&pool).await.unwrap();
    assert_eq!(rated, 0, "nothing to rate before the result is returned");
    let (mut citizen, code) = returned_dossier(&app, &pool, "0912000302").await;
    let receipt = citizen.get(&format!("/ho-so-cua-toi/{code}")).await;
    assert!(receipt.body.contains("Đánh giá mức độ hài lòng"), "the form is offered after return");

    let refused = citizen.post("/api/danh-gia", &[("ma", &code), ("muc", "khong_hai_long"), ("ly_do", " ")]).await;
    let back = location(&refused);
    assert!(back.contains("loi=ly-do") && back.contains("muc=khong_hai_long"), "{back}");
    let form = citizen.get(&back.replace("#loi", "")).await.body;
    assert!(form.contains("Cho biết vì sao bạn không hài lòng"));
    assert!(form.contains("value=\"khong_hai_long\"") && form.contains("checked"), "the choice is kept");

    let reason = "Phải chờ lâu ở quầy";
    let saved = citizen.post("/api/danh-gia", &[("ma", &code), ("muc", "khong_hai_long"), ("ly_do", reason)]).await;
    assert_eq!(location(&saved), format!("/ho-so-cua-toi/{code}?da-danh-gia=1#danh-gia"));
    let again = citizen.post("/api/danh-gia", &[("ma", &code), ("muc", "rat_hai_long")]).await;
    assert!(location(&again).contains("da-danh-gia"));
    let stored: (String, Option<String>, String) = sqlx::query_as(
        "SELECT level, reason, via FROM dossier_ratings r JOIN dossiers d ON d.id = r.dossier_id WHERE d.code = $1",
    )
    .bind(&code)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(stored, ("khong_hai_long".into(), Some(reason.into()), "online".into()), "the first rating stands");
    let mut stranger = Browser::new(&app);
    sign_in(&mut stranger, &pool, "0912000303", "/ho-so-cua-toi").await;
    stranger.post("/api/danh-gia", &[("ma", &code), ("muc", "hai_long")]).await;
    let ratings: i64 = sqlx::query_scalar("SELECT count(*) FROM dossier_ratings").fetch_one(&pool).await.unwrap();
    assert_eq!(ratings, 1, "nobody else rates the applicant's dossier");
}

#[sqlx::test(migrations = false)]
async fn the_counter_tablet_rates_for_the_walk_in_and_the_rating_reaches_the_statistics(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_, code) = returned_dossier(&app, &pool, "0912000311").await;
    let public = get(&app, &format!("/thong-ke?{}", today_query("&theo=co-quan"))).await;
    assert_eq!(public.status, 200);
    assert!(public.body.contains("100,0%"), "one dossier finished on time today");

    let mut intake = staff(&app, "tiepnhan.giavien").await;
    let tablet = intake.get(&format!("/can-bo/ho-so/{code}/danh-gia")).await;
    assert!(tablet.body.contains("Mời ông/bà đánh giá") && !tablet.body.contains("0912000311"), "no phone shown");
    let saved = intake.post("/api/can-bo/danh-gia", &[("ma", &code), ("muc", "rat_hai_long")]).await;
    assert_eq!(location(&saved), format!("/can-bo/ho-so/{code}/danh-gia?da-danh-gia=1#danh-gia"));
    let via: String = sqlx::query_scalar("SELECT via FROM dossier_ratings").fetch_one(&pool).await.unwrap();
    assert_eq!(via, "desk");
    let mut other_commune = staff(&app, "canbo.hoalu").await;
    assert_eq!(other_commune.get(&format!("/can-bo/ho-so/{code}/danh-gia")).await.status, 404);

    let csv = get(&app, &format!("/thong-ke/tai-ve.csv?{}", today_query(""))).await;
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert!(csv.body.starts_with('\u{feff}'), "a byte order mark for spreadsheets");
    let lines: Vec<&str> = csv.body.lines().collect();
    assert!(lines[0].contains("Tổng tiếp nhận") && lines[0].contains("Rất hài lòng"));
    let total = lines.iter().find(|l| l.starts_with("Tổng,")).expect("a total row");
    let header = csv_fields(lines[0].trim_start_matches('\u{feff}'));
    let values = csv_fields(total);
    let value = |name: &str| values[header.iter().position(|h| h == name).unwrap()].as_str();
    assert_eq!((value("Tổng tiếp nhận"), value("Đã giải quyết"), value("Rất hài lòng")), ("1", "1", "1"));
    assert_eq!(value("Tỷ lệ đúng hạn"), "100,0%");
}

#[sqlx::test(migrations = false)]
async fn only_leaders_and_administrators_read_the_dashboard(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_, code) = returned_dossier(&app, &pool, "0912000321").await;
    let anonymous = get(&app, "/can-bo/thong-ke").await;
    assert!(location(&anonymous).starts_with("/can-bo/dang-nhap"));
    assert_eq!(get(&app, "/can-bo/thong-ke/tai-ve.csv").await.status, 403);
    let mut intake = staff(&app, "tiepnhan.giavien").await;
    assert_eq!(intake.get("/can-bo/thong-ke").await.status, 403);
    assert_eq!(intake.get("/can-bo/thong-ke/tai-ve.csv").await.status, 403);
    assert_eq!(intake.get("/can-bo/thong-ke/ho-so?chi-so=dung-han").await.status, 403);

    let mut leader = staff(&app, "lanhdao.giavien").await;
    let dashboard = leader.get(&format!("/can-bo/thong-ke?{}", today_query(""))).await;
    assert_eq!(dashboard.status, 200);
    let drill = format!("/can-bo/thong-ke/ho-so?{}", today_query("&chi-so=moi-truc-tuyen"));
    assert!(dashboard.body.contains(&drill.replace('&', "&amp;")), "the number links to its dossiers");
    let listed = leader.get(&drill).await;
    assert!(listed.body.contains(&code) && listed.body.contains("Mới: trực tuyến: 1 hồ sơ"), "{}", listed.body);
    let elsewhere =
        leader.get(&format!("/can-bo/thong-ke?{}", today_query("").replace("DEMO.NB.03", "DEMO.NB.02"))).await;
    assert!(elsewhere.body.contains("Chọn một cơ quan trong danh sách"), "another commune's figures are not theirs");
    assert_eq!(leader.get("/can-bo/thong-ke/ho-so?chi-so=khong-co").await.status, 404);
    let csv = leader.get(&format!("/can-bo/thong-ke/tai-ve.csv?{}", today_query(""))).await;
    assert_eq!(csv.status, 200);
}

#[sqlx::test(migrations = false)]
async fn bad_filters_keep_what_was_typed_and_say_what_to_fix(pool: PgPool) {
    let app = app(pool.clone()).await;
    let page = get(&app, "/thong-ke?tu=31%2F02%2F2026&thu-tuc=1.001193").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Nhập ngày bắt đầu theo dạng ngày/tháng/năm"));
    assert!(page.body.contains("value=\"1.001193\""), "the procedure typed is kept");
    assert_eq!(get(&app, "/thong-ke/tai-ve.csv?den=xyz").await.status, 400);

    // The form's three boxes: the same report as the whole date, and kept as typed when wrong.
    let boxed = get(&app, "/thong-ke?tu.ngay=1&tu.thang=2&tu.nam=2026&den.ngay=28&den.thang=2&den.nam=2026").await;
    assert!(boxed.body.contains("01/02/2026") && boxed.body.contains("28/02/2026"), "the period read from the boxes");
    assert!(boxed.body.contains("tu=2026-02-01&amp;den=2026-02-28"), "links carry the whole dates");
    let wrong = get(&app, "/thong-ke?tu.ngay=31&tu.thang=02&tu.nam=2026").await;
    assert!(wrong.body.contains("Nhập ngày bắt đầu theo dạng ngày/tháng/năm"));
    assert!(wrong.body.contains("name=\"tu.ngay\" value=\"31\""), "the day typed is kept");
}

#[sqlx::test(migrations = false)]
async fn a_citizen_who_adds_an_e_mail_address_gets_every_dossier_notice_there_too(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut citizen, _, code) = submitted_dossier(&app, &pool, "0912000331").await;
    let wrong = citizen.post("/api/tai-khoan/email", &[("email", "mai@gmail")]).await;
    assert!(location(&wrong).contains("loi-email=1") && location(&wrong).contains("email=mai%40gmail"));
    let page = citizen.get(&location(&wrong).replace("#loi", "")).await.body;
    assert!(page.contains("Địa chỉ e-mail chưa đúng") && page.contains("value=\"mai@gmail\""), "typed text kept");
    let saved = citizen.post("/api/tai-khoan/email", &[("email", "Mai@Gmail.com")]).await;
    assert_eq!(location(&saved), "/ho-so-cua-toi?da-luu-email=1#thong-bao-email");

    let mut intake = staff(&app, "tiepnhan.giavien").await;
    act(&mut intake, &code, "tiep-nhan", &[]).await;
    let copies: Vec<(String, String)> = sqlx::query_as(
        "SELECT channel, recipient FROM outbox_messages WHERE purpose = 'status' AND dossier_id = (SELECT id FROM dossiers WHERE code = $1) ORDER BY id",
    )
    .bind(&code)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(copies, vec![("sms".into(), "0912000331".into()), ("email".into(), "Mai@gmail.com".into())]);

    citizen.post("/api/tai-khoan/email", &[("email", ""), ("xoa", "1")]).await;
    let email: Option<String> =
        sqlx::query_scalar("SELECT email FROM citizens WHERE phone = '0912000331'").fetch_one(&pool).await.unwrap();
    assert_eq!(email, None, "removed on request");
}
