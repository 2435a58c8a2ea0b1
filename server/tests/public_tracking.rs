//! Public tracking through the real router: the code and the last four digits of the
//! applicant's phone open the dossier's status, with no personal data; wrong digits reveal
//! nothing; guessing is throttled per client address and per code.

mod common;

use common::*;
use sqlx::PgPool;

const LOOK_UP: &str = "/api/tra-cuu";

fn from(address: &str, form: &[(&str, &str)]) -> axum::http::Request<axum::body::Body> {
    let mut request = post_form(LOOK_UP, form);
    request.extensions_mut().insert(app::security::ClientAddress(address.into()));
    request
}

#[sqlx::test(migrations = false)]
async fn the_code_and_the_last_digits_show_each_status_change_without_personal_data(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_, _, code) = submitted_dossier(&app, &pool, "0912000201").await;
    let mut visitor = Browser::new(&app);
    let page = format!("/tra-cuu/{code}");
    assert_eq!(location(&visitor.get(&page).await), format!("/tra-cuu?ma={code}"), "not proven yet: asked for digits");

    let wrong = visitor.post(LOOK_UP, &[("ma", &code), ("so_cuoi", "0000")]).await;
    assert!(location(&wrong).contains("loi=khong-khop"));
    let form = visitor.get(&location(&wrong).replace("#loi", "")).await;
    assert!(form.body.contains("không khớp") && form.body.contains(&format!("value=\"{code}\"")), "code kept");
    assert!(!form.body.contains("Mới đăng ký") && !form.body.contains("Đăng ký khai sinh"), "nothing revealed");
    assert_eq!(location(&visitor.get(&page).await), format!("/tra-cuu?ma={code}"));

    let spoken = code.to_lowercase().replace(['.', '-'], " ");
    let right = visitor.post(LOOK_UP, &[("ma", &spoken), ("so_cuoi", "0201")]).await;
    assert_eq!(location(&right), page, "a code in lower case, with spaces for its dots and hyphens, is read too");
    let shown = visitor.get(&page).await.body;
    assert!(shown.contains("Mới đăng ký") && shown.contains("Đăng ký khai sinh") && shown.contains("UBND Xã Gia Viễn"));
    for private in ["Lò Thị Mai", "0912000201", "037190001234", "Lò Văn An"] {
        assert!(!shown.contains(private), "no personal data: {private}");
    }

    let mut intake = staff(&app, "tiepnhan.giavien").await;
    act(&mut intake, &code, "tiep-nhan", &[]).await;
    assert!(visitor.get(&page).await.body.contains("Được tiếp nhận"));
    act(&mut intake, &code, "yeu-cau-bo-sung", &[("ly_do", "Ảnh mờ"), ("giay_to[giay_chung_sinh]", "on")]).await;
    let shown = visitor.get(&page).await.body;
    assert!(shown.contains("Bạn cần bổ sung: Ảnh hoặc bản PDF Giấy chứng sinh") && shown.contains("Ảnh mờ"));
    assert!(!shown.contains("Nguyễn Thị Lan"), "officers are not named publicly");
}

#[sqlx::test(migrations = false)]
async fn guessing_is_throttled_per_client_and_per_code(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (mut applicant, _, code) = submitted_dossier(&app, &pool, "0912000202").await;
    // Half the guesses typed without punctuation: they count against the same code.
    let compact = code.replace(['.', '-'], "");
    for guess in 0..10 {
        let digits = format!("{:04}", 1000 + guess);
        let typed = if guess % 2 == 0 { &code } else { &compact };
        let reply = send(&app, from("10.0.0.1", &[("ma", typed), ("so_cuoi", &digits)])).await;
        assert!(location(&reply).contains("loi=khong-khop"), "{guess}");
    }
    let reply = send(&app, from("10.0.0.1", &[("ma", &code), ("so_cuoi", "0202")])).await;
    assert!(location(&reply).contains("loi=qua-nhieu"), "the client waits, even with the right digits");
    let reply = send(&app, from("10.0.0.2", &[("ma", &code), ("so_cuoi", "0202")])).await;
    assert!(location(&reply).contains("loi=qua-nhieu"), "and the code is protected from other addresses too");
    let (_, _, other) = submitted_dossier(&app, &pool, "0912000203").await;
    let reply = send(&app, from("10.0.0.2", &[("ma", &other), ("so_cuoi", "0203")])).await;
    assert_eq!(location(&reply), format!("/tra-cuu/{other}"), "other dossiers are unaffected");
    // The signed-in applicant needs no digits for their own dossier.
    assert_eq!(applicant.get(&format!("/tra-cuu/{code}")).await.status, 200);
    let reply = send(&app, from("10.0.0.3", &[("ma", "khong-phai-ma"), ("so_cuoi", "0202")])).await;
    assert!(location(&reply).contains("loi=ma"), "a malformed code is explained");
}
