#![cfg(feature = "ssr")]
//! Submission against a real PostgreSQL: numbering under concurrency, idempotency, due dates
//! from the calendar table, and the outbox row written in the same transaction.

use app::catalog::import;
use app::dossier::db::{self, Submitted};
use chrono::NaiveDate;
use sqlx::PgPool;
use uuid::Uuid;

async fn load_demo(pool: &PgPool) {
    let catalog = import::parse_catalog(import::DEMO_CATALOG_JSON, import::demo_forms()).unwrap();
    import::import_catalog(pool, &catalog, "test").await.unwrap();
}

/// A citizen with a complete draft of "Cấp bản sao Trích lục hộ tịch", filed at `agency`.
async fn complete_draft(pool: &PgPool, phone: &str, agency: &str) -> (Uuid, Uuid) {
    let citizen: Uuid = sqlx::query_scalar("INSERT INTO citizens (id, phone) VALUES ($1, $2) RETURNING id")
        .bind(Uuid::new_v4())
        .bind(phone)
        .fetch_one(pool)
        .await
        .unwrap();
    let version = db::current_form(pool, "2.000635").await.unwrap().expect("a form for 2.000635");
    let draft = db::create_draft(pool, citizen, version).await.unwrap().expect("room for a draft");
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
    (citizen, draft)
}

async fn submit(pool: &PgPool, (citizen, draft): (Uuid, Uuid)) -> String {
    match db::submit(pool, draft, citizen, "0912345678", "http://localhost").await.unwrap() {
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
        db::submit(&pool, draft, stranger, "0987654321", "http://localhost").await.unwrap(),
        Submitted::Gone
    ));
    sqlx::query("UPDATE drafts SET answers = answers - 'so_ban' WHERE id = $1")
        .bind(draft)
        .execute(&pool)
        .await
        .unwrap();
    assert!(matches!(
        db::submit(&pool, draft, citizen, "0912345678", "http://localhost").await.unwrap(),
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
