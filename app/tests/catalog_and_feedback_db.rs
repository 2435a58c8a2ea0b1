//! Database code against a real PostgreSQL: each test gets a fresh database with the
//! migrations applied (`#[sqlx::test]`). Run with `cargo test -p app --features ssr`.
#![cfg(feature = "ssr")]

use app::catalog::feedback::db::{recent_feedback, save_feedback, Saved};
use app::catalog::{db, import, CatalogFilter, ChannelKind, OnlineKind};
use app::domain::fee::FeeSummary;
use app::domain::time_limit::{TimeLimit, TimeUnit};
use app::domain::{feedback::FeedbackMessage, procedure_code::ProcedureCode, search::SearchQuery};
use sqlx::PgPool;
use uuid::Uuid;

async fn load(pool: &PgPool, json: &str) -> import::ImportSummary {
    let catalog = import::parse_catalog(json, import::demo_forms()).unwrap();
    import::import_catalog(pool, &catalog, "test").await.unwrap()
}

async fn load_demo(pool: &PgPool) -> import::ImportSummary {
    load(pool, import::DEMO_CATALOG_JSON).await
}

fn all() -> CatalogFilter {
    CatalogFilter { page: 1, ..CatalogFilter::default() }
}

async fn search(pool: &PgPool, query: &str) -> Vec<String> {
    let query = SearchQuery::parse(query);
    let results = db::search_procedures(pool, query.as_ref(), &all(), 20).await.unwrap();
    results.procedures.into_iter().map(|p| p.code).collect()
}

async fn browse(pool: &PgPool, filter: CatalogFilter) -> Vec<String> {
    db::search_procedures(pool, None, &filter, 100).await.unwrap().procedures.into_iter().map(|p| p.code).collect()
}

fn code(raw: &str) -> ProcedureCode {
    ProcedureCode::parse(raw).unwrap()
}

#[sqlx::test(migrations = "../server/migrations")]
async fn the_demo_catalog_loads_every_procedure_with_its_version_in_force(pool: PgPool) {
    let summary = load_demo(&pool).await;
    assert!(summary.procedures >= 30 && summary.forms >= 10, "{summary:?}");
    let listed = db::search_procedures(&pool, None, &all(), 100).await.unwrap();
    assert_eq!(listed.total as usize, summary.procedures, "every procedure has a version in force");
    let birth = listed.procedures.iter().find(|p| p.code == "1.001193").expect("birth registration listed");
    assert_eq!(birth.name, "Đăng ký khai sinh");
    assert_eq!(birth.field, "Hộ tịch");
    assert_eq!(birth.online_kind, OnlineKind::ToanTrinh);
    assert_eq!(birth.time_limit, Some(TimeLimit { amount: 0, unit: TimeUnit::WorkingDays }));
    assert_eq!(birth.fee, FeeSummary::Free);
    let residence = listed.procedures.iter().find(|p| p.code == "1.004222").unwrap();
    assert_eq!(residence.time_limit, Some(TimeLimit { amount: 7, unit: TimeUnit::WorkingDays }));
    assert_eq!(residence.fee, FeeSummary::Amount(20_000), "the list shows the in-person fee");
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
    assert_eq!(search(&pool, "tam tru").await.first().map(String::as_str), Some("1.004194"));
    // The procedure named so first, the longer one that mentions it after; every word counts.
    let results = search(&pool, "dang ky khai sinh").await;
    let birth = results.iter().position(|c| c == "1.001193").unwrap();
    let combined = results.iter().position(|c| c == "3.000722").unwrap();
    assert!(birth < combined);
    assert!(!results.contains(&"1.000656".to_owned()), "death registration lacks the word sinh");
}

#[sqlx::test(migrations = "../server/migrations")]
async fn everyday_names_and_the_provinces_synonyms_find_the_procedure_meant_first(pool: PgPool) {
    load_demo(&pool).await;
    for everyday in ["giay xac nhan doc than", "giấy độc thân", "doc than", "GIAY DOC THAN"] {
        assert_eq!(search(&pool, everyday).await.first().map(String::as_str), Some("1.004873"), "{everyday}");
    }
    assert_eq!(search(&pool, "nhập hộ khẩu").await.first().map(String::as_str), Some("1.004222"));
    assert_eq!(search(&pool, "cong chung ban sao").await.first().map(String::as_str), Some("2.000815"));
    assert_eq!(search(&pool, "nhan con nuoi").await.first().map(String::as_str), Some("2.001263"));

    // The list is catalog data: a file that lists synonyms replaces it; one that does not keeps it.
    let json = r#"{"agencies": [], "fields": [], "procedures": [],
        "synonyms": [{"everyday": "Mất người thân", "formal": "khai tử"}]}"#;
    let replacing = import::parse_catalog(json, Default::default()).unwrap();
    assert!(search(&pool, "mat nguoi than").await.is_empty(), "not before the list says so");
    import::import_catalog(&pool, &replacing, "test").await.unwrap();
    assert_eq!(search(&pool, "mat nguoi than").await.first().map(String::as_str), Some("1.000656"));
    assert_ne!(
        search(&pool, "nhap ho khau").await.first().map(String::as_str),
        Some("1.004222"),
        "the old list is gone"
    );
    let silent =
        import::parse_catalog(r#"{"agencies": [], "fields": [], "procedures": []}"#, Default::default()).unwrap();
    import::import_catalog(&pool, &silent, "test-2").await.unwrap();
    assert_eq!(search(&pool, "mat nguoi than").await.first().map(String::as_str), Some("1.000656"));

    for bad in [
        r#"[{"everyday": "", "formal": "khai tử"}]"#,
        r#"[{"everyday": "ly dị", "formal": "Ly  di"}]"#,
        r#"[{"everyday": "a", "formal": "b"}, {"everyday": "A", "formal": "c"}]"#,
    ] {
        let json = format!(r#"{{"agencies": [], "fields": [], "procedures": [], "synonyms": {bad}}}"#);
        assert!(
            matches!(import::parse_catalog(&json, Default::default()), Err(import::ImportError::BadSynonym(_))),
            "{bad}"
        );
    }
}

#[sqlx::test(migrations = "../server/migrations")]
async fn search_matches_codes_and_fields_and_finds_nothing_for_nonsense(pool: PgPool) {
    load_demo(&pool).await;
    assert_eq!(search(&pool, "1.004222").await, ["1.004222"]);
    assert!(search(&pool, "chung thuc").await.contains(&"2.000815".to_owned()));
    assert!(search(&pool, "xyzxyzq").await.is_empty());
}

#[sqlx::test(migrations = "../server/migrations")]
async fn browsing_filters_by_field_level_and_agency_and_pages_through_results(pool: PgPool) {
    let summary = load_demo(&pool).await;
    let civil = browse(&pool, CatalogFilter { field: Some("Hộ tịch".into()), ..all() }).await;
    assert_eq!(civil.len(), 11);
    let province = browse(&pool, CatalogFilter { level: Some("Cấp tỉnh".into()), ..all() }).await;
    assert_eq!(province, ["3.000333"]);
    let at_commune = browse(&pool, CatalogFilter { agency: Some("DEMO.NB.03".into()), ..all() }).await;
    assert_eq!(at_commune.len(), summary.procedures - 1, "a commune offers every commune-level procedure");
    let both = CatalogFilter { field: Some("Chứng thực".into()), agency: Some("DEMO.NB.TTPV".into()), ..all() };
    assert!(browse(&pool, both).await.is_empty());
    let mut seen = Vec::new();
    for page in 1..=4 {
        let chunk = db::search_procedures(&pool, None, &CatalogFilter { page, ..all() }, 10).await.unwrap();
        assert_eq!(chunk.total as usize, summary.procedures);
        seen.extend(chunk.procedures.into_iter().map(|p| p.code));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), summary.procedures, "pages of ten show every procedure once");
    let past_the_last = db::search_procedures(&pool, None, &CatalogFilter { page: 9, ..all() }, 10).await.unwrap();
    assert!(past_the_last.procedures.is_empty());
    assert_eq!(past_the_last.total as usize, summary.procedures, "the pager still knows how many there are");
}

/// Search and result lines read a listing kept by triggers: a change made to any table it is
/// made from, by any means, shows at once.
#[sqlx::test(migrations = "../server/migrations")]
async fn the_listing_follows_every_change_to_the_catalog(pool: PgPool) {
    load_demo(&pool).await;
    let birth = || async { db::find_procedure(&pool, &code("1.001193")).await.unwrap().unwrap().summary };
    let changes = [
        "UPDATE procedures SET name = 'Đăng ký khai sinh mới', search_text = search_text || ' moi' WHERE code = '1.001193'",
        "UPDATE channel_fees SET amount_vnd = 5000 WHERE channel_id IN (SELECT c.id FROM procedure_channels c \
           JOIN procedure_versions v ON v.id = c.version_id JOIN procedures p ON p.id = v.procedure_id WHERE p.code = '1.001193')",
        "DELETE FROM agency_procedures WHERE procedure_id = (SELECT id FROM procedures WHERE code = '1.001193') \
           AND agency_id = (SELECT id FROM agencies WHERE identifier = 'DEMO.NB.03')",
        "UPDATE fields SET name = 'Hộ tịch (mới)' WHERE name = 'Hộ tịch'",
    ];
    for change in changes {
        sqlx::query(change).execute(&pool).await.unwrap();
    }
    let summary = birth().await;
    assert_eq!((summary.name.as_str(), summary.field.as_str()), ("Đăng ký khai sinh mới", "Hộ tịch (mới)"));
    assert_eq!(summary.fee, FeeSummary::Amount(5000));
    assert_eq!(search(&pool, "khai sinh moi").await.first().map(String::as_str), Some("1.001193"));
    let at_commune = browse(&pool, CatalogFilter { agency: Some("DEMO.NB.03".into()), ..all() }).await;
    assert!(!at_commune.contains(&"1.001193".to_owned()), "no longer offered there");

    sqlx::query(
        "UPDATE procedure_versions SET effective_from = current_date + 30 WHERE procedure_id = \
                 (SELECT id FROM procedures WHERE code = '1.001193')",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert!(db::find_procedure(&pool, &code("1.001193")).await.unwrap().is_none(), "not in force yet");
    assert!(search(&pool, "khai sinh moi").await.is_empty());
}

#[sqlx::test(migrations = "../server/migrations")]
async fn facets_list_only_what_has_procedures(pool: PgPool) {
    load_demo(&pool).await;
    let facets = db::facets(&pool).await.unwrap();
    assert_eq!(facets.fields.len(), 10);
    assert_eq!(facets.levels, ["Cấp tỉnh", "Cấp xã"]);
    let agencies: Vec<&str> = facets.agencies.iter().map(|a| a.identifier.as_str()).collect();
    assert_eq!(agencies.len(), 6, "five communes and the provincial centre: {agencies:?}");
    assert!(!agencies.contains(&"DEMO.NB.H01"), "the former district is no longer valid");
}

#[sqlx::test(migrations = "../server/migrations")]
async fn importing_again_updates_instead_of_duplicating(pool: PgPool) {
    let first = load_demo(&pool).await;
    let changed = import::DEMO_CATALOG_JSON.replace("\"Đăng ký khai tử\"", "\"Đăng ký khai tử (sửa đổi)\"");
    load(&pool, &changed).await;
    let all_procedures = db::search_procedures(&pool, None, &all(), 100).await.unwrap();
    assert_eq!(all_procedures.total as usize, first.procedures);
    assert_eq!(
        search(&pool, "khai tu sua doi").await.first().map(String::as_str),
        Some("1.000656"),
        "search text follows the update"
    );
    let death = db::find_procedure(&pool, &code("1.000656")).await.unwrap().unwrap();
    assert_eq!(death.summary.name, "Đăng ký khai tử (sửa đổi)");
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM procedure_versions").fetch_one(&pool).await.unwrap()
    };
    let before: usize = import::parse_catalog(import::DEMO_CATALOG_JSON, import::demo_forms())
        .unwrap()
        .procedures()
        .iter()
        .map(|p| p.versions.len())
        .sum();
    assert_eq!(count().await as usize, before, "the same effective date updates the version");
    assert_eq!(death.documents.len(), 4, "the version's documents were replaced, not appended");
}

/// A catalog with one procedure whose versions take effect on the given dates.
fn one_procedure(versions: &[(&str, &str)]) -> String {
    let versions: Vec<String> = versions
        .iter()
        .map(|(from, result)| {
            format!(
                r#"{{"effective_from": "{from}", "announced_by": null, "online_kind": "mot_phan",
                    "steps": ["Nộp hồ sơ"], "channels": [{{"via": ["in_person"], "time": 2, "unit": "working_days"}}],
                    "documents": [{{"name": "Tờ khai", "originals": 1}}], "legal_basis": ["Luật"],
                    "result": "{result}", "unverified_note": null}}"#
            )
        })
        .collect();
    format!(
        r#"{{"agencies": [], "fields": [{{"code": null, "name": "Thử"}}], "procedures": [{{
            "code": "9.000001", "name": "Thủ tục thử", "field": "Thử", "level": "Cấp xã", "applicant": "Công dân",
            "competent_agency": "UBND", "versions": [{}]}}]}}"#,
        versions.join(",")
    )
}

#[sqlx::test(migrations = "../server/migrations")]
async fn the_version_in_force_today_is_shown_and_a_new_one_closes_the_old(pool: PgPool) {
    let today = chrono::Utc::now().date_naive();
    let (past, future) = (today - chrono::Days::new(30), today + chrono::Days::new(30));
    load(&pool, &one_procedure(&[(&past.to_string(), "Kết quả cũ")])).await;
    load(&pool, &one_procedure(&[(&future.to_string(), "Kết quả mới")])).await;
    let shown = db::find_procedure(&pool, &code("9.000001")).await.unwrap().unwrap();
    assert_eq!(shown.result, "Kết quả cũ", "the new version is not in force before its date");
    let closed: Option<chrono::NaiveDate> =
        sqlx::query_scalar("SELECT effective_to FROM procedure_versions WHERE effective_from = $1")
            .bind(past)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(closed, Some(future), "the old version ends when the new one starts");
    load(&pool, &one_procedure(&[(&(today - chrono::Days::new(1)).to_string(), "Kết quả hôm qua")])).await;
    let shown = db::find_procedure(&pool, &code("9.000001")).await.unwrap().unwrap();
    assert_eq!(shown.result, "Kết quả hôm qua");
}

#[sqlx::test(migrations = "../server/migrations")]
async fn only_future_versions_mean_the_procedure_is_not_yet_posted(pool: PgPool) {
    let tomorrow = chrono::Utc::now().date_naive() + chrono::Days::new(2);
    load(&pool, &one_procedure(&[(&tomorrow.to_string(), "Kết quả")])).await;
    assert!(db::find_procedure(&pool, &code("9.000001")).await.unwrap().is_none());
    assert_eq!(db::search_procedures(&pool, None, &all(), 10).await.unwrap().total, 0);
}

#[sqlx::test(migrations = "../server/migrations")]
async fn a_procedure_shows_every_posted_section(pool: PgPool) {
    load_demo(&pool).await;
    let marriage = db::find_procedure(&pool, &code("1.000894")).await.unwrap().unwrap();
    assert_eq!(marriage.cases, ["Không cần xác minh", "Cần xác minh điều kiện kết hôn"]);
    let verified: Vec<_> = marriage.channels.iter().filter(|c| c.case_no == Some(2)).collect();
    assert_eq!(verified.len(), 3, "in person, online and post for the case needing checks");
    assert!(verified.iter().all(|c| c.time_limit == TimeLimit { amount: 5, unit: TimeUnit::WorkingDays }));
    assert_eq!(marriage.forms.len(), 1);
    assert_eq!(marriage.forms[0].file_name, "to-khai-dang-ky-ket-hon.pdf");
    assert!(marriage.forms[0].size_bytes > 10_000);
    assert_eq!(marriage.offered_by.len(), 5);
    assert!(!marriage.conditions.is_empty());

    let copy = db::find_procedure(&pool, &code("2.000815")).await.unwrap().unwrap();
    assert_eq!(copy.summary.field, "Chứng thực");
    assert_eq!(copy.channels.len(), 1);
    assert_eq!(copy.channels[0].kind, ChannelKind::InPerson);
    assert!(copy.channels[0].fees[0].description.as_deref().unwrap().contains("200.000 đồng"));
    assert!(copy.documents[0].present_only);
    assert!(copy.legal_basis.iter().any(|law| law.contains("23/2015/NĐ-CP")));

    let residence = db::find_procedure(&pool, &code("1.004222")).await.unwrap().unwrap();
    let online = residence.channels.iter().find(|c| c.kind == ChannelKind::Online).unwrap();
    assert_eq!(online.fees[0].amount_vnd, Some(10_000));
    assert!(db::find_procedure(&pool, &code("9.999999")).await.unwrap().is_none());
}

#[sqlx::test(migrations = "../server/migrations")]
async fn a_form_is_stored_with_its_content_type(pool: PgPool) {
    load_demo(&pool).await;
    let form = db::form_file(&pool, "to-khai-dang-ky-khai-sinh.pdf").await.unwrap().unwrap();
    assert_eq!(form.content_type, "application/pdf");
    assert!(form.content.starts_with(b"%PDF-"));
    assert!(db::form_file(&pool, "../etc/passwd").await.unwrap().is_none());
}

#[sqlx::test(migrations = "../server/migrations")]
async fn an_agency_unknown_to_file_and_database_fails_the_whole_import(pool: PgPool) {
    let json = import::DEMO_CATALOG_JSON.replacen("\"DEMO.NB.TTPV\"\n", "\"DEMO.NB.KHONGCO\"\n", 1);
    let catalog = import::parse_catalog(&json, import::demo_forms()).unwrap();
    let error = import::import_catalog(&pool, &catalog, "test").await.unwrap_err();
    assert!(matches!(error, import::ImportError::UnknownAgency(ref id) if id == "DEMO.NB.KHONGCO"), "{error}");
    let procedures: i64 = sqlx::query_scalar("SELECT count(*) FROM procedures").fetch_one(&pool).await.unwrap();
    assert_eq!(procedures, 0, "nothing is written when the import fails");
}

#[sqlx::test(migrations = "../server/migrations")]
async fn the_demo_province_runs_the_portal(pool: PgPool) {
    assert!(db::portal_operator(&pool).await.unwrap().is_none());
    load_demo(&pool).await;
    let operator = db::portal_operator(&pool).await.unwrap().unwrap();
    assert!(operator.is_demo);
    assert!(operator.name.contains("minh hoạ"));
    let communes: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM agencies c JOIN agencies p ON c.parent_id = p.id \
         WHERE p.identifier = 'DEMO.NB' AND c.level = 'Cấp xã'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(communes, 5);
}

#[sqlx::test(migrations = "../server/migrations")]
async fn the_same_feedback_sent_again_by_the_same_client_is_stored_once(pool: PgPool) {
    load_demo(&pool).await;
    let message = FeedbackMessage::parse("Cần thêm mẫu tờ khai").unwrap();
    let on_birth = Some(code("1.001193"));
    assert_eq!(save_feedback(&pool, on_birth.as_ref(), &message, "a").await.unwrap(), Saved::Saved);
    assert_eq!(save_feedback(&pool, on_birth.as_ref(), &message, "a").await.unwrap(), Saved::Saved);
    let stored = recent_feedback(&pool, 10).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].procedure_code.as_deref(), Some("1.001193"));
    assert_eq!(stored[0].message, "Cần thêm mẫu tờ khai");
    // Another client, another procedure, or the same message later is a new message.
    save_feedback(&pool, on_birth.as_ref(), &message, "b").await.unwrap();
    save_feedback(&pool, Some(&code("1.004873")), &message, "a").await.unwrap();
    sqlx::query("UPDATE procedure_feedback SET created_at = created_at - interval '11 minutes'")
        .execute(&pool)
        .await
        .unwrap();
    save_feedback(&pool, on_birth.as_ref(), &message, "a").await.unwrap();
    assert_eq!(recent_feedback(&pool, 10).await.unwrap().len(), 4);
}

#[sqlx::test(migrations = "../server/migrations")]
async fn feedback_on_the_portal_needs_no_procedure_but_an_unknown_one_is_refused(pool: PgPool) {
    load_demo(&pool).await;
    let message = FeedbackMessage::parse("Trang dễ dùng").unwrap();
    assert_eq!(save_feedback(&pool, None, &message, "a").await.unwrap(), Saved::Saved);
    let gone = save_feedback(&pool, Some(&code("9.999999")), &message, "a").await.unwrap();
    assert_eq!(gone, Saved::NoProcedure);
    let stored = recent_feedback(&pool, 10).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].procedure_code, None);
}

#[sqlx::test(migrations = "../server/migrations")]
async fn the_schema_itself_rejects_malformed_rows(pool: PgPool) {
    load_demo(&pool).await;
    let refused = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query(sql).execute(&pool).await.is_err() }
    };
    assert!(
        refused(
            "INSERT INTO procedures (code, name, field_id, level, applicant, competent_agency) \
             SELECT 'x.1', 'Tên', id, 'Cấp xã', 'Công dân', 'UBND' FROM fields LIMIT 1"
        )
        .await,
        "a malformed national code"
    );
    assert!(refused("UPDATE procedure_versions SET online_kind = 'muc_do_4'").await, "retired online service levels");
    assert!(refused("UPDATE procedure_channels SET time_amount = 0, time_unit = 'hours'").await, "zero hours");
    assert!(refused("UPDATE procedure_channels SET channel = 'fax'").await, "unknown channel");
    assert!(refused("UPDATE channel_fees SET amount_vnd = -1").await, "negative fee");
    assert!(refused("UPDATE procedure_documents SET originals = 0, copies = 0, present_only = false").await);
    assert!(refused("UPDATE procedure_documents SET case_no = 9").await, "a document of a case the version lacks");
    assert!(refused("UPDATE form_templates SET file_name = '../x.pdf'").await, "a path in a form name");
    assert!(
        refused(
            "INSERT INTO procedure_versions (procedure_id, effective_from, online_kind, steps, legal_basis, result) \
             SELECT procedure_id, effective_from + 1, online_kind, steps, legal_basis, result \
             FROM procedure_versions LIMIT 1"
        )
        .await,
        "two versions in force on the same day"
    );
    let too_long = sqlx::query("INSERT INTO procedure_feedback (id, message) VALUES ($1, $2)")
        .bind(Uuid::new_v4())
        .bind("a".repeat(1001))
        .execute(&pool)
        .await;
    assert!(too_long.is_err(), "over-long feedback must be refused");
}
