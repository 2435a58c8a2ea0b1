//! Database code against a real PostgreSQL: each test gets a fresh database with the
//! migrations applied (`#[sqlx::test]`). Run with `cargo test -p app --features ssr`.
#![cfg(feature = "ssr")]

use app::catalog::{db, import, CatalogFilter, OnlineKind};
use app::domain::{feedback::FeedbackMessage, procedure_code::ProcedureCode, search::SearchQuery};
use app::feedback::db::{recent_feedback, save_feedback};
use sqlx::PgPool;
use uuid::Uuid;

async fn load_demo(pool: &PgPool) -> import::ImportSummary {
    let file = import::parse_catalog(import::DEMO_CATALOG_JSON).unwrap();
    import::import_catalog(pool, &file).await.unwrap()
}

async fn search(pool: &PgPool, query: &str) -> Vec<String> {
    let query = SearchQuery::parse(query);
    let filter = CatalogFilter { field: None, page: 1 };
    let results = db::search_procedures(pool, query.as_ref(), &filter, 20).await.unwrap();
    results.procedures.into_iter().map(|p| p.code).collect()
}

fn code(raw: &str) -> ProcedureCode {
    ProcedureCode::parse(raw).unwrap()
}

#[sqlx::test(migrations = "../server/migrations")]
async fn demo_catalog_loads_into_an_empty_database(pool: PgPool) {
    assert!(import::catalog_is_empty(&pool).await.unwrap());
    let summary = load_demo(&pool).await;
    assert!(!import::catalog_is_empty(&pool).await.unwrap());
    let all = db::search_procedures(&pool, None, &CatalogFilter { field: None, page: 1 }, 100).await.unwrap();
    assert_eq!(all.total as usize, summary.procedures);
    let listed = all.procedures;
    let birth = listed.iter().find(|p| p.code == "1.001193").expect("birth registration listed");
    assert_eq!(birth.name, "Đăng ký khai sinh");
    assert_eq!(birth.field, "Hộ tịch");
    assert_eq!(birth.online_kind, OnlineKind::ToanTrinh);
}

#[sqlx::test(migrations = "../server/migrations")]
async fn the_home_page_selection_holds_only_popular_procedures(pool: PgPool) {
    load_demo(&pool).await;
    let popular: Vec<String> = db::popular_procedures(&pool).await.unwrap().into_iter().map(|p| p.code).collect();
    assert!(popular.contains(&"1.001193".to_owned()));
    assert!(!popular.contains(&"1.000656".to_owned()), "death registration is not marked popular");
}

#[sqlx::test(migrations = "../server/migrations")]
async fn search_finds_a_procedure_with_or_without_diacritics(pool: PgPool) {
    load_demo(&pool).await;
    for query in ["Đăng ký khai sinh", "dang ky khai sinh", "DANG KY KHAI SINH", "  khai   sinh "] {
        assert_eq!(search(&pool, query).await.first().map(String::as_str), Some("1.001193"), "{query}");
    }
}

#[sqlx::test(migrations = "../server/migrations")]
async fn search_tolerates_small_typos_and_ranks_the_closest_first(pool: PgPool) {
    load_demo(&pool).await;
    assert_eq!(search(&pool, "khai sihn").await.first().map(String::as_str), Some("1.001193"));
    assert_eq!(search(&pool, "dang ki khai sinh").await.first().map(String::as_str), Some("1.001193"));
    // Exact phrase first, the look-alike (death registration) after it.
    let results = search(&pool, "dang ky khai sinh").await;
    let birth = results.iter().position(|c| c == "1.001193").unwrap();
    let death = results.iter().position(|c| c == "1.000656").unwrap();
    assert!(birth < death);
}

#[sqlx::test(migrations = "../server/migrations")]
async fn search_matches_codes_and_fields_and_finds_nothing_for_nonsense(pool: PgPool) {
    load_demo(&pool).await;
    assert_eq!(search(&pool, "1.004222").await, ["1.004222"]);
    assert!(search(&pool, "chung thuc").await.contains(&"2.000815".to_owned()));
    assert!(search(&pool, "xyzxyzq").await.is_empty());
}

#[sqlx::test(migrations = "../server/migrations")]
async fn browsing_filters_by_field_and_pages_through_results(pool: PgPool) {
    load_demo(&pool).await;
    let civil = CatalogFilter { field: Some("Hộ tịch".into()), page: 1 };
    let results = db::search_procedures(&pool, None, &civil, 20).await.unwrap();
    assert_eq!(results.total, 4);
    assert!(results.procedures.iter().all(|p| p.field == "Hộ tịch"));
    let mut seen = Vec::new();
    for page in 1..=3 {
        let filter = CatalogFilter { field: None, page };
        let chunk = db::search_procedures(&pool, None, &filter, 2).await.unwrap();
        assert_eq!(chunk.total, 6);
        seen.extend(chunk.procedures.into_iter().map(|p| p.code));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 6, "three pages of two show every procedure once");
    let fields = db::list_fields(&pool).await.unwrap();
    assert_eq!(fields.iter().map(|f| f.procedures).sum::<i64>(), 6);
}

#[sqlx::test(migrations = "../server/migrations")]
async fn importing_again_updates_instead_of_duplicating(pool: PgPool) {
    load_demo(&pool).await;
    let changed = import::DEMO_CATALOG_JSON.replace("\"Đăng ký khai tử\"", "\"Đăng ký khai tử (sửa đổi)\"");
    let file = import::parse_catalog(&changed).unwrap();
    import::import_catalog(&pool, &file).await.unwrap();
    let all = db::search_procedures(&pool, None, &CatalogFilter { field: None, page: 1 }, 100).await.unwrap();
    assert_eq!(all.total as usize, file.procedures.len());
    assert_eq!(
        search(&pool, "khai tu sua doi").await.first().map(String::as_str),
        Some("1.000656"),
        "search text follows the update"
    );
    let death = db::find_procedure(&pool, &code("1.000656")).await.unwrap().unwrap();
    assert_eq!(death.summary.name, "Đăng ký khai tử (sửa đổi)");
}

#[sqlx::test(migrations = "../server/migrations")]
async fn a_procedure_shows_every_posted_section(pool: PgPool) {
    load_demo(&pool).await;
    let p = db::find_procedure(&pool, &code("2.000815")).await.unwrap().unwrap();
    assert_eq!(p.summary.field, "Chứng thực");
    assert!(p.summary.fee.contains("200.000 đồng"));
    assert_eq!(p.steps.len(), 4);
    assert!(!p.documents.is_empty());
    assert!(p.legal_basis.iter().any(|law| law.contains("23/2015/NĐ-CP")));
    assert!(db::find_procedure(&pool, &code("9.999999")).await.unwrap().is_none());
}

#[sqlx::test(migrations = "../server/migrations")]
async fn the_demo_province_runs_the_portal(pool: PgPool) {
    assert!(db::portal_operator(&pool).await.unwrap().is_none());
    load_demo(&pool).await;
    let operator = db::portal_operator(&pool).await.unwrap().unwrap();
    assert!(operator.is_demo);
    assert!(operator.name.contains("minh hoạ"));
    let communes: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM agencies c JOIN agencies p ON c.parent_id = p.id WHERE p.identifier = 'DEMO.NB'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(communes, 5);
}

#[sqlx::test(migrations = "../server/migrations")]
async fn feedback_is_stored_once_per_form_token(pool: PgPool) {
    load_demo(&pool).await;
    let token = Uuid::new_v4();
    let message = FeedbackMessage::parse("Cần thêm mẫu tờ khai").unwrap();
    assert!(save_feedback(&pool, token, Some(&code("1.001193")), &message).await.unwrap());
    assert!(save_feedback(&pool, token, Some(&code("1.001193")), &message).await.unwrap());
    let stored = recent_feedback(&pool, 10).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].procedure_code.as_deref(), Some("1.001193"));
    assert_eq!(stored[0].message, "Cần thêm mẫu tờ khai");
}

#[sqlx::test(migrations = "../server/migrations")]
async fn feedback_on_the_portal_needs_no_procedure_but_an_unknown_one_is_refused(pool: PgPool) {
    load_demo(&pool).await;
    let message = FeedbackMessage::parse("Trang dễ dùng").unwrap();
    assert!(save_feedback(&pool, Uuid::new_v4(), None, &message).await.unwrap());
    assert!(!save_feedback(&pool, Uuid::new_v4(), Some(&code("9.999999")), &message).await.unwrap());
    let stored = recent_feedback(&pool, 10).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].procedure_code, None);
}

#[sqlx::test(migrations = "../server/migrations")]
async fn the_schema_itself_rejects_malformed_rows(pool: PgPool) {
    load_demo(&pool).await;
    let bad_code = sqlx::query(
        "INSERT INTO procedures (code, name, field_id, level, applicant, competent_agency, time_limit, fee, online_kind, result) \
         SELECT 'x.1', 'Tên', id, 'Cấp xã', 'Công dân', 'UBND', '1 ngày', '0', 'mot_phan', 'Kết quả' FROM fields LIMIT 1",
    )
    .execute(&pool)
    .await;
    assert!(bad_code.is_err(), "a malformed national code must be refused");
    let too_long = sqlx::query("INSERT INTO procedure_feedback (id, message) VALUES ($1, $2)")
        .bind(Uuid::new_v4())
        .bind("a".repeat(1001))
        .execute(&pool)
        .await;
    assert!(too_long.is_err(), "over-long feedback must be refused");
    let bad_kind = sqlx::query("UPDATE procedures SET online_kind = 'muc_do_4'").execute(&pool).await;
    assert!(bad_kind.is_err(), "retired online service levels must be refused");
}
