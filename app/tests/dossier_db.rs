#![cfg(feature = "ssr")]
//! Submission against a real PostgreSQL: numbering under concurrency, idempotency, due dates
//! from the calendar table, and the outbox row written in the same transaction.

use app::catalog::import;
use app::dossier::db::{self, Submitted};
use chrono::NaiveDate;
use sqlx::PgPool;
use uuid::Uuid;

fn filer(citizen_id: Uuid, phone: &str) -> db::Filer<'_> {
    db::Filer { citizen_id, phone, identified_by: app::filed::record::IdentifiedBy::Phone }
}

async fn load_demo(pool: &PgPool) {
    let catalog = import::parse_catalog(import::DEMO_CATALOG_JSON, import::demo_forms()).unwrap();
    import::import_catalog(pool, &catalog, "test").await.unwrap();
}

async fn new_citizen(pool: &PgPool, phone: &str) -> Uuid {
    sqlx::query_scalar("INSERT INTO citizens (id, phone) VALUES ($1, $2) RETURNING id")
        .bind(Uuid::new_v4())
        .bind(phone)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A citizen with a complete draft of "Cấp bản sao Trích lục hộ tịch", filed at `agency`.
async fn complete_draft(pool: &PgPool, phone: &str, agency: &str) -> (Uuid, Uuid) {
    let citizen = new_citizen(pool, phone).await;
    let version = db::current_form(pool, "2.000635").await.unwrap().expect("a form for 2.000635").0;
    let draft = db::create_draft(pool, citizen, version).await.unwrap().expect("room for a draft");
    complete_extract_draft(pool, draft, agency).await;
    (citizen, draft)
}

/// Answers every question of a 2.000635 draft, to be received at `agency`.
async fn complete_extract_draft(pool: &PgPool, draft: Uuid, agency: &str) {
    let answers = serde_json::json!({
        "ho_ten_nguoi_yeu_cau": "Nguyễn Văn Bình", "cccd_nguoi_yeu_cau": "037090001234", "quan_he": "Chính tôi",
        "loai_trich_luc": "Khai sinh", "ho_ten_trong_trich_luc": "Nguyễn Văn Bình",
        "ngay_sinh_trong_trich_luc": "1990-01-01", "noi_da_dang_ky": "UBND xã Gia Viễn", "so_ban": "2"
    });
    sqlx::query("UPDATE drafts SET answers = $2, receiving_agency_id = (SELECT id FROM agencies WHERE identifier = $3) WHERE id = $1")
        .bind(draft)
        .bind(answers)
        .bind(agency)
        .execute(pool)
        .await
        .unwrap();
}

async fn submit(pool: &PgPool, (citizen, draft): (Uuid, Uuid)) -> String {
    match db::submit(pool, draft, &filer(citizen, "0912345678"), "http://localhost").await.unwrap() {
        Submitted::Dossier(code) => code,
        other => panic!("{other:?}"),
    }
}

#[sqlx::test(migrations = "../server/migrations")]
async fn concurrent_submissions_are_numbered_per_agency_and_day_without_gaps_or_duplicates(pool: PgPool) {
    load_demo(&pool).await;
    let mut drafts = Vec::new();
    for i in 0..40 {
        let agency = if i % 4 == 0 { "DEMO.NB.02" } else { "DEMO.NB.01" };
        drafts.push((agency, complete_draft(&pool, &format!("09120000{i:02}"), agency).await));
    }
    let tasks: Vec<_> = drafts
        .iter()
        .map(|(agency, ids)| {
            let (pool, ids, agency) = (pool.clone(), *ids, *agency);
            tokio::spawn(async move { (agency, submit(&pool, ids).await) })
        })
        .collect();
    let mut numbers: std::collections::BTreeMap<&str, Vec<u32>> = Default::default();
    for task in tasks {
        let (agency, code) = task.await.unwrap();
        assert!(code.starts_with(&format!("{agency}-")), "{code}");
        numbers.entry(agency).or_default().push(code.rsplit('-').next().unwrap().parse().unwrap());
    }
    for (agency, mut got) in numbers {
        got.sort_unstable();
        let expected: Vec<u32> = (1..=got.len() as u32).collect();
        assert_eq!(got, expected, "numbers of {agency}");
    }
}

#[sqlx::test(migrations = "../server/migrations")]
async fn submitting_the_same_draft_many_times_at_once_files_one_dossier(pool: PgPool) {
    load_demo(&pool).await;
    let ids = complete_draft(&pool, "0912345678", "DEMO.NB.01").await;
    let tasks: Vec<_> = (0..8).map(|_| tokio::spawn(submit_owned(pool.clone(), ids))).collect();
    let mut codes = std::collections::BTreeSet::new();
    for task in tasks {
        codes.insert(task.await.unwrap());
    }
    assert_eq!(codes.len(), 1, "every attempt got the same code");
    let counts: (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM dossiers), (SELECT count(*) FROM dossier_events), \
                (SELECT count(*) FROM outbox_messages WHERE purpose = 'receipt')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(counts, (1, 1, 1), "one dossier, one event, one receipt message");
}

async fn submit_owned(pool: PgPool, ids: (Uuid, Uuid)) -> String {
    submit(&pool, ids).await
}

#[sqlx::test(migrations = "../server/migrations")]
async fn an_incomplete_draft_or_someone_elses_is_not_filed(pool: PgPool) {
    load_demo(&pool).await;
    let (citizen, draft) = complete_draft(&pool, "0912345678", "DEMO.NB.01").await;
    let (stranger, _) = complete_draft(&pool, "0987654321", "DEMO.NB.01").await;
    assert!(matches!(
        db::submit(&pool, draft, &filer(stranger, "0987654321"), "http://localhost").await.unwrap(),
        Submitted::Gone
    ));
    sqlx::query("UPDATE drafts SET answers = answers - 'so_ban' WHERE id = $1")
        .bind(draft)
        .execute(&pool)
        .await
        .unwrap();
    assert!(matches!(
        db::submit(&pool, draft, &filer(citizen, "0912345678"), "http://localhost").await.unwrap(),
        Submitted::Incomplete
    ));
    let filed: i64 = sqlx::query_scalar("SELECT count(*) FROM dossiers").fetch_one(&pool).await.unwrap();
    assert_eq!(filed, 0);
    let counters: i64 = sqlx::query_scalar("SELECT count(*) FROM dossier_counters").fetch_one(&pool).await.unwrap();
    assert_eq!(counters, 0, "no number is used up");
}

#[sqlx::test(migrations = "../server/migrations")]
async fn the_due_date_counts_working_days_from_the_calendar_table(pool: PgPool) {
    load_demo(&pool).await;
    let mut tx = pool.begin().await.unwrap();
    let calendar =
        app::filed::clock::work_calendar(&mut tx, NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()).await.unwrap();
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    assert!(!calendar.is_working_day(day(2, 17)), "Tết");
    assert!(!calendar.is_working_day(day(4, 27)), "Hùng Kings' day made up on Monday");
    assert!(calendar.is_working_day(day(2, 23)));
    // The government's swaps: Friday 2/1 off, worked on Saturday 10/1; Monday 31/8 for 22/8.
    let january = app::filed::clock::work_calendar(&mut tx, day(1, 1)).await.unwrap();
    assert!(!january.is_working_day(day(1, 2)) && january.is_working_day(day(1, 10)));
    let august = app::filed::clock::work_calendar(&mut tx, day(8, 1)).await.unwrap();
    assert!(!august.is_working_day(day(8, 31)) && august.is_working_day(day(8, 22)));
    // An administrator swaps a weekday off for a worked Saturday.
    sqlx::query("INSERT INTO calendar_days (day, kind, name) VALUES ('2026-03-14', 'working_day', 'Làm bù')")
        .execute(&mut *tx)
        .await
        .unwrap();
    let calendar = app::filed::clock::work_calendar(&mut tx, day(3, 1)).await.unwrap();
    assert!(calendar.is_working_day(day(3, 14)));

    // 2.000635 is a same-day procedure: filed now, due today or the next working day.
    let ids = complete_draft(&pool, "0912345678", "DEMO.NB.01").await;
    let code = submit(&pool, ids).await;
    let (received, due): (chrono::DateTime<chrono::Utc>, NaiveDate) =
        sqlx::query_as("SELECT received_at, due_date FROM dossiers WHERE code = $1")
            .bind(&code)
            .fetch_one(&pool)
            .await
            .unwrap();
    let local = app::filed::clock::vietnam_time(received);
    let mut tx = pool.begin().await.unwrap();
    let calendar = app::filed::clock::work_calendar(&mut tx, local.date()).await.unwrap();
    let limit = app::domain::time_limit::TimeLimit::new(0, app::domain::time_limit::TimeUnit::WorkingDays).unwrap();
    assert_eq!(due, calendar.due_date(local, limit));
    assert!(code.contains(&local.format("-%y%m%d-").to_string()), "the code carries the Vietnamese date");
}

#[sqlx::test(migrations = "../server/migrations")]
async fn every_online_procedure_of_the_demo_catalog_yields_a_valid_form(pool: PgPool) {
    use app::domain::application_form::{ApplicationForm, VersionShape};
    load_demo(&pool).await;
    let rows: Vec<(String, Option<sqlx::types::Json<ApplicationForm>>, Option<bool>, i64, i64)> = sqlx::query_as(
        "SELECT p.code, f.definition, f.derived, \
           (SELECT count(*) FROM procedure_documents d WHERE d.version_id = v.id), \
           (SELECT count(*) FROM procedure_cases c WHERE c.version_id = v.id) \
         FROM current_procedure_versions v JOIN procedures p ON p.id = v.procedure_id \
         LEFT JOIN application_forms f ON f.version_id = v.id WHERE v.online_kind <> 'truc_tiep' ORDER BY p.code",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(rows.len() >= 28, "the demo catalog posts 28 online procedures");
    for (code, form, derived, documents, cases) in rows {
        let form = form.unwrap_or_else(|| panic!("{code} has no application form")).0;
        let shape = VersionShape { documents: documents as usize, cases: cases as usize };
        assert_eq!(form.check(shape), Ok(()), "{code}");
        let (_, needs_identity) = db::current_form(&pool, &code).await.unwrap().expect("it can be started");
        assert_eq!(needs_identity, code == "3.000333", "{code}: only the judicial record needs VNeID sign-in");
        println!("{code}: {}", if derived == Some(true) { "derived form" } else { "authored form" });
    }
}

/// A complete draft of "Liên thông đăng ký khai sinh, thường trú" (3.000722, derived form) in
/// the case given, with a photo of each mandatory document.
async fn two_case_draft(pool: &PgPool, phone: &str, case: &str) -> (Uuid, Uuid) {
    let citizen = new_citizen(pool, phone).await;
    let version = db::current_form(pool, "3.000722").await.unwrap().expect("a derived form for 3.000722").0;
    let draft = db::create_draft(pool, citizen, version).await.unwrap().unwrap();
    complete_two_case_draft(pool, draft, case).await;
    (citizen, draft)
}

/// Answers every question of a 3.000722 draft, to be received at DEMO.NB.01.
async fn complete_two_case_draft(pool: &PgPool, draft: Uuid, case: &str) {
    let answers = serde_json::json!({
        "ho_ten": "Nguyễn Thị Hoa", "so_dinh_danh": "037090001234", "dien_thoai": "0912345678",
        "noi_cu_tru.xa": "DEMO.NB.01", "noi_cu_tru.chi_tiet": "Thôn Đông", "nop_cho": "Cho bản thân tôi",
        "truong_hop": case, "nhan_ket_qua": "Nhận tại nơi nộp hồ sơ"
    });
    sqlx::query("UPDATE drafts SET answers = $2, receiving_agency_id = (SELECT id FROM agencies WHERE identifier = 'DEMO.NB.01') WHERE id = $1")
        .bind(draft)
        .bind(answers)
        .execute(pool)
        .await
        .unwrap();
    for question in ["giay_to_1", "giay_to_2", "giay_to_3"] {
        sqlx::query("INSERT INTO draft_files (id, draft_id, question_id, storage_key, content_type, size_bytes) VALUES ($1, $2, $3, $4, 'image/jpeg', 1000)")
            .bind(Uuid::new_v4())
            .bind(draft)
            .bind(question)
            .bind(Uuid::new_v4().to_string())
            .execute(pool)
            .await
            .unwrap();
    }
}

#[sqlx::test(migrations = "../server/migrations")]
async fn the_case_chosen_decides_the_time_limit_and_is_recorded(pool: PgPool) {
    load_demo(&pool).await;
    let simple = submit(&pool, two_case_draft(&pool, "0912000001", "Không cần xác minh").await).await;
    let checked = submit(&pool, two_case_draft(&pool, "0912000002", "Cần xác minh").await).await;
    let facts = |code: String| {
        let pool = pool.clone();
        async move {
            let row: (Option<i16>, i32) = sqlx::query_as("SELECT case_no, time_amount FROM dossiers WHERE code = $1")
                .bind(code)
                .fetch_one(&pool)
                .await
                .unwrap();
            row
        }
    };
    assert_eq!(facts(simple).await, (Some(1), 3));
    assert_eq!(
        facts(checked).await,
        (Some(2), 5),
        "the case needing checks has 5 working days, not the first case's 3"
    );
}

#[sqlx::test(migrations = "../server/migrations")]
async fn a_dossier_of_an_in_person_only_procedure_opens_at_the_desk(pool: PgPool) {
    load_demo(&pool).await;
    let plan = app::demo::history::Plan { dossiers: 300, days: 60, until: chrono::Utc::now(), seed: 7 };
    app::demo::history::generate(&pool, &plan).await.unwrap();
    let in_person: Vec<(String, i64)> = sqlx::query_as(
        "SELECT s.code, s.receiving_agency_id FROM dossiers s JOIN procedure_versions v ON v.id = s.version_id \
         WHERE v.online_kind = 'truc_tiep' LIMIT 5",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(!in_person.is_empty(), "the history holds dossiers of in-person-only procedures");
    for (code, agency) in in_person {
        let record = app::filed::record::visible(&pool, &code, agency).await.unwrap();
        assert!(record.is_some_and(|r| r.form.pages.is_empty()), "{code} opens, with no online form");
    }
}

/// An intake officer of DEMO.NB.01: (id, agency id).
async fn intake_officer(pool: &PgPool) -> (Uuid, i64) {
    sqlx::query_as(
        "INSERT INTO staff_users (id, username, full_name, agency_id, roles, password_hash) \
         SELECT $1, 'tiepnhan.thu', 'Trần Thị Lan', id, ARRAY['tiep_nhan'], 'not-a-hash' FROM agencies \
         WHERE identifier = 'DEMO.NB.01' RETURNING id, agency_id",
    )
    .bind(Uuid::new_v4())
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../server/migrations")]
async fn a_dossier_received_by_post_is_filed_through_the_post_channel_with_its_receipt_slip(pool: PgPool) {
    load_demo(&pool).await;
    let (officer, agency) = intake_officer(&pool).await;
    let no_post = db::current_form(&pool, "3.000722").await.unwrap().unwrap().0;
    assert!(!db::offers_channel(&pool, no_post, "post").await.unwrap(), "3.000722 is not filed by post");
    let version = db::current_form(&pool, "2.000635").await.unwrap().unwrap().0;
    assert!(db::offers_channel(&pool, version, "post").await.unwrap());
    let draft = db::create_assisted_draft(&pool, "0912000009", version, officer, agency, true).await.unwrap();
    complete_extract_draft(&pool, draft, "DEMO.NB.01").await;
    let citizen: Uuid =
        sqlx::query_scalar("SELECT citizen_id FROM drafts WHERE id = $1").bind(draft).fetch_one(&pool).await.unwrap();
    let code = submit(&pool, (citizen, draft)).await;
    let (channel, status): (String, String) = sqlx::query_as("SELECT channel, status FROM dossiers WHERE code = $1")
        .bind(&code)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!((channel.as_str(), status.as_str()), ("post", "duoc_tiep_nhan"), "received by its own agency at once");

    let record = app::filed::record::visible(&pool, &code, agency).await.unwrap().unwrap();
    let slip = app::filed::slip::receipt_slip(&pool, &record).await.unwrap().expect("an accepted dossier has a slip");
    assert_eq!(slip.officer, "Trần Thị Lan (nhận qua bưu chính)");
    assert_eq!(slip.agency_phone.as_deref(), Some("0229 000 0101 (số minh hoạ)"));
    let address = slip.agency_address.clone().expect("the agency's address");
    assert!(address.contains("Hoa Lư"), "{address}");
    assert!(slip.delivery.vi().contains(&address), "collected at the desk: {}", slip.delivery.vi());
    assert!(
        slip.documents.iter().any(|d| d.present_only && d.name.starts_with("Hộ chiếu, thẻ Căn cước")),
        "{:?}",
        slip.documents
    );
    assert_eq!(slip.due_date, record.due_date.format("%d/%m/%Y").to_string());
}

#[sqlx::test(migrations = "../server/migrations")]
async fn a_dossier_waiting_for_intake_has_no_slip_and_the_register_lists_every_channel(pool: PgPool) {
    load_demo(&pool).await;
    let online = submit(&pool, two_case_draft(&pool, "0912000011", "Không cần xác minh").await).await;
    let (officer, agency) = intake_officer(&pool).await;
    let version = db::current_form(&pool, "3.000722").await.unwrap().unwrap().0;
    let draft = db::create_assisted_draft(&pool, "0912000012", version, officer, agency, false).await.unwrap();
    complete_two_case_draft(&pool, draft, "Cần xác minh").await;
    let citizen: Uuid =
        sqlx::query_scalar("SELECT citizen_id FROM drafts WHERE id = $1").bind(draft).fetch_one(&pool).await.unwrap();
    let counter = submit(&pool, (citizen, draft)).await;

    let waiting = app::filed::record::visible(&pool, &online, agency).await.unwrap().unwrap();
    assert_eq!(app::filed::slip::receipt_slip(&pool, &waiting).await.unwrap(), None, "no slip before intake accepts");
    let accepted = app::filed::record::visible(&pool, &counter, agency).await.unwrap().unwrap();
    let slip = app::filed::slip::receipt_slip(&pool, &accepted).await.unwrap().expect("accepted at the counter");
    assert_eq!(slip.officer, "Trần Thị Lan (nộp thay tại quầy)");
    let sent: Vec<i64> = slip.documents.iter().filter(|d| !d.present_only).map(|d| d.files).collect();
    assert_eq!(sent, vec![1, 1, 1], "each document of the case handed in, with its file: {:?}", slip.documents);

    let today = app::filed::clock::vietnam_time(chrono::Utc::now()).date();
    let period = app::domain::statistics::ReportPeriod { first: today, last: today };
    let rows = app::desk::register::rows(&pool, agency, &period, 10).await.unwrap();
    let codes: Vec<&str> = rows.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, vec![online.as_str(), counter.as_str()], "in the order received");
    assert_eq!(rows[0].channel.vi(), "Trực tuyến");
    assert_eq!((rows[0].accepted.is_none(), rows[0].due.is_none()), (true, true), "not accepted: no due date yet");
    assert_eq!(rows[1].channel.vi(), "Trực tiếp");
    assert!(rows[1].accepted.is_some() && rows[1].due.is_some());
    let yesterday = today.pred_opt().unwrap();
    let before = app::domain::statistics::ReportPeriod { first: yesterday, last: yesterday };
    assert!(
        app::desk::register::rows(&pool, agency, &before, 10).await.unwrap().is_empty(),
        "only the period's dossiers"
    );
    let other = app::desk::register::rows(&pool, agency + 1, &period, 10).await.unwrap();
    assert!(other.iter().all(|r| r.code != online && r.code != counter), "only the agency's dossiers");

    let csv = String::from_utf8(app::desk::register::csv(&rows).unwrap()).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "a header and one line per dossier");
    assert!(lines[0].starts_with("\u{feff}STT,Mã hồ sơ,"), "{}", lines[0]);
    assert!(lines[1].starts_with(&format!("1,{online},")) && lines[1].contains("Trực tuyến"), "{}", lines[1]);
}

#[sqlx::test(migrations = "../server/migrations")]
async fn the_receipt_message_names_the_new_code_and_the_trail_opens_with_the_submission(pool: PgPool) {
    load_demo(&pool).await;
    let code = submit(&pool, complete_draft(&pool, "0912000021", "DEMO.NB.02").await).await;
    let (body, submissions): (String, i64) = sqlx::query_as(
        "SELECT m.body, (SELECT count(*) FROM dossier_events e WHERE e.dossier_id = s.id AND e.action = 'nop') \
         FROM outbox_messages m JOIN dossiers s ON s.id = m.dossier_id WHERE s.code = $1 AND m.channel = 'sms'",
    )
    .bind(&code)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(body.contains(&format!("ma={code}")), "the tracking link names the code: {body}");
    assert!(!body.contains(app::filed::record::CODE_MARK), "{body}");
    assert_eq!(submissions, 1);
    let today = app::filed::clock::vietnam_time(chrono::Utc::now()).date();
    assert_eq!(code, app::domain::dossier_code::dossier_code("DEMO.NB.02", today, 1));
}

#[sqlx::test(migrations = "../server/migrations")]
async fn the_eleventh_online_filing_within_an_hour_is_refused_without_using_a_number(pool: PgPool) {
    load_demo(&pool).await;
    let citizen = new_citizen(&pool, "0912000031").await;
    let version = db::current_form(&pool, "2.000635").await.unwrap().unwrap().0;
    for _ in 0..db::MAX_FILINGS_PER_HOUR {
        let draft = db::create_draft(&pool, citizen, version).await.unwrap().unwrap();
        complete_extract_draft(&pool, draft, "DEMO.NB.03").await;
        submit(&pool, (citizen, draft)).await;
    }
    let draft = db::create_draft(&pool, citizen, version).await.unwrap().unwrap();
    complete_extract_draft(&pool, draft, "DEMO.NB.03").await;
    let outcome = db::submit(&pool, draft, &filer(citizen, "0912000031"), "http://localhost").await.unwrap();
    assert!(matches!(outcome, Submitted::TooMany), "{outcome:?}");
    let last: i32 = sqlx::query_scalar(
        "SELECT last_number FROM dossier_counters c JOIN agencies a ON a.id = c.agency_id WHERE a.identifier = 'DEMO.NB.03'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(last, db::MAX_FILINGS_PER_HOUR as i32, "the refused filing took no number");
}

#[sqlx::test(migrations = "../server/migrations")]
async fn a_draft_changed_after_it_was_checked_is_not_filed_as_it_was_checked(pool: PgPool) {
    load_demo(&pool).await;
    let (citizen, draft) = complete_draft(&pool, "0912000041", "DEMO.NB.01").await;
    let read_at: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT updated_at FROM drafts WHERE id = $1").bind(draft).fetch_one(&pool).await.unwrap();
    // The citizen saves a page in another tab after this submission read and checked the draft.
    sqlx::query("UPDATE drafts SET updated_at = updated_at + interval '1 second' WHERE id = $1")
        .bind(draft)
        .execute(&pool)
        .await
        .unwrap();
    let (outcome, code): (String, Option<String>) = sqlx::query_as(
        "SELECT outcome, code FROM file_dossier($1, $2, $3, 10, 'X-', 4, 9999, '{}', '{}', '{}', 'MARK')",
    )
    .bind(draft)
    .bind(citizen)
    .bind(read_at)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((outcome.as_str(), code), ("changed", None));
    let written: (i64, i64) =
        sqlx::query_as("SELECT (SELECT count(*) FROM dossiers), (SELECT count(*) FROM dossier_counters)")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(written, (0, 0), "nothing filed and no number taken");
    // Read again, the draft is filed as it now stands.
    submit(&pool, (citizen, draft)).await;
}
