#![cfg(feature = "ssr")]
//! Statistics against a real PostgreSQL: a small known set of dossiers, every figure asserted
//! exactly (boundaries on the due date itself and at midnight Vietnam time, paused time,
//! carried-over dossiers), the roll-up of the agency tree, and each figure's dossier list
//! agreeing with its count.

use app::catalog::import;
use app::domain::statistics::{is_overdue, Figures, Timeliness};
use app::stats::db::{dossiers_behind, Bucket};
use app::stats::flow::{report, Reader};
use app::stats::{StatsForm, StatsReport, ALL_MEASURES};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sqlx::PgPool;
use uuid::Uuid;

fn vn(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    chrono::FixedOffset::east_opt(7 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn date(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).unwrap()
}

/// Long after the periods tested.
fn later() -> DateTime<Utc> {
    vn(6, 1, 9, 0)
}

struct Spec {
    agency: &'static str,
    procedure: &'static str,
    channel: &'static str,
    received: DateTime<Utc>,
    accepted: Option<DateTime<Utc>>,
    due: NaiveDate,
    finished: Option<DateTime<Utc>>,
    /// Closed without a result: the status and when.
    closed: Option<(&'static str, DateTime<Utc>)>,
}

fn spec(agency: &'static str, channel: &'static str, accepted: DateTime<Utc>, due: NaiveDate) -> Spec {
    Spec {
        agency,
        procedure: "2.000635",
        channel,
        received: accepted,
        accepted: Some(accepted),
        due,
        finished: None,
        closed: None,
    }
}

struct Data {
    pool: PgPool,
    citizen: Uuid,
    count: u32,
}

impl Data {
    async fn new(pool: PgPool) -> Self {
        let catalog = import::parse_catalog(import::DEMO_CATALOG_JSON, import::demo_forms()).unwrap();
        import::import_catalog(&pool, &catalog, "test").await.unwrap();
        // A unit under Xã Gia Viễn, to see its figures roll up into the commune's.
        sqlx::query(
            "INSERT INTO agencies (parent_id, identifier, name, level, valid_from) \
             SELECT id, 'DEMO.NB.03.01', 'Tổ một cửa thôn Đông (thử nghiệm)', 'Cấp thôn', '2025-07-01' \
             FROM agencies WHERE identifier = 'DEMO.NB.03'",
        )
        .execute(&pool)
        .await
        .unwrap();
        let citizen = Uuid::new_v4();
        sqlx::query("INSERT INTO citizens (id, phone) VALUES ($1, '0912000111')")
            .bind(citizen)
            .execute(&pool)
            .await
            .unwrap();
        Self { pool, citizen, count: 0 }
    }

    async fn add(&mut self, s: Spec) -> String {
        self.count += 1;
        let code = format!("{}-260301-{:04}", s.agency, self.count);
        let version: i64 = sqlx::query_scalar(
            "SELECT v.id FROM current_procedure_versions v JOIN procedures p ON p.id = v.procedure_id WHERE p.code = $1",
        )
        .bind(s.procedure)
        .fetch_one(&self.pool)
        .await
        .unwrap();
        let draft: Uuid = sqlx::query_scalar(
            "INSERT INTO drafts (id, citizen_id, version_id, expires_at, submitted_at) VALUES ($1, $2, $3, now(), $4) RETURNING id",
        )
        .bind(Uuid::new_v4())
        .bind(self.citizen)
        .bind(version)
        .bind(s.received)
        .fetch_one(&self.pool)
        .await
        .unwrap();
        let finished_on = s.finished.map(|at| app::filed::clock::vietnam_time(at).date());
        let status = match (s.closed, s.finished, s.accepted) {
            (Some((status, _)), ..) => status,
            (None, Some(_), _) => "da_tra_ket_qua",
            (None, None, Some(_)) => "dang_xu_ly",
            (None, None, None) => "moi_dang_ky",
        };
        sqlx::query(
            "INSERT INTO dossiers (id, code, draft_id, citizen_id, version_id, receiving_agency_id, handling_agency_id, \
               channel, status, applicant_name, answers, received_at, due_date, accepted_at, finished_at, finished_on, \
               timeliness, closed_at) \
             SELECT $1, $2, $3, $4, $5, a.id, a.id, $7, $8, 'Người thử nghiệm', '{}', $9, $10, $11, $12, $13, $14, $15 \
             FROM agencies a WHERE a.identifier = $6",
        )
        .bind(Uuid::new_v4())
        .bind(&code)
        .bind(draft)
        .bind(self.citizen)
        .bind(version)
        .bind(s.agency)
        .bind(s.channel)
        .bind(status)
        .bind(s.received)
        .bind(s.due)
        .bind(s.accepted)
        .bind(s.finished)
        .bind(finished_on)
        .bind(finished_on.map(|day| Timeliness::of_finish(day, s.due).as_db()))
        .bind(s.closed.map(|(_, at)| at).or(s.finished))
        .execute(&self.pool)
        .await
        .unwrap();
        code
    }

    async fn supplement(&self, code: &str, requested: DateTime<Utc>, fulfilled: Option<DateTime<Utc>>) {
        sqlx::query(
            "INSERT INTO staff_users (id, username, full_name, agency_id, roles, password_hash) \
             SELECT '00000000-0000-0000-0000-000000000001', 'thu.nghiem', 'Cán bộ thử nghiệm', id, '{xu_ly}', 'x' \
             FROM agencies WHERE identifier = 'DEMO.NB' ON CONFLICT DO NOTHING",
        )
        .execute(&self.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO supplement_requests (dossier_id, requested_at, requested_by, documents, note, fulfilled_at) \
             SELECT id, $2, '00000000-0000-0000-0000-000000000001', '{giay_to}', 'Thiếu bản sao', $3 FROM dossiers WHERE code = $1",
        )
        .bind(code)
        .bind(requested)
        .bind(fulfilled)
        .execute(&self.pool)
        .await
        .unwrap();
    }

    async fn rate(&self, code: &str, level: &str, at: DateTime<Utc>) {
        sqlx::query(
            "INSERT INTO dossier_ratings (dossier_id, level, reason, via, rated_at) \
             SELECT id, $2, CASE WHEN $2 = 'khong_hai_long' THEN 'Phải đi lại' END, 'online', $3 FROM dossiers WHERE code = $1",
        )
        .bind(code)
        .bind(level)
        .bind(at)
        .execute(&self.pool)
        .await
        .unwrap();
    }
}

impl Data {
    /// A fee paid: online through the gateway (`thanh-toan-truc-tuyen`) or recorded at the desk
    /// (`da-nop-phi`), as the audit trail holds it.
    async fn fee(&self, code: &str, online: bool, amount: u64, at: DateTime<Utc>) {
        sqlx::query(
            "INSERT INTO dossier_events (dossier_id, at, action, status, actor, details) \
             SELECT id, $2, $3, status, CASE WHEN $4 THEN 'citizen' ELSE 'officer' END, jsonb_build_object('so_tien', $5::bigint) \
             FROM dossiers WHERE code = $1",
        )
        .bind(code)
        .bind(at)
        .bind(if online { "thanh-toan-truc-tuyen" } else { "da-nop-phi" })
        .bind(online)
        .bind(amount as i64)
        .execute(&self.pool)
        .await
        .unwrap();
    }
}

/// The data set of the module's tests; returns the codes by role.
struct Codes {
    overdue: Vec<String>,
    within: Vec<String>,
}

async fn known_data(pool: PgPool) -> (Data, Codes) {
    const A: &str = "DEMO.NB.03";
    const UNIT: &str = "DEMO.NB.03.01";
    const B: &str = "DEMO.NB.02";
    let mut d = Data::new(pool).await;
    // Carried over from February, finished on its due date itself: on time.
    let carried =
        d.add(Spec { finished: Some(vn(3, 5, 16, 0)), ..spec(A, "in_person", vn(2, 20, 9, 0), date(3, 5)) }).await;
    d.rate(&carried, "hai_long", vn(3, 5, 17, 0)).await;
    // Accepted and finished in February (early): outside March.
    d.add(Spec { finished: Some(vn(2, 25, 10, 0)), ..spec(A, "online", vn(2, 10, 9, 0), date(2, 27)) }).await;
    // New in person, finished the day before the due date: early; very satisfied.
    let early =
        d.add(Spec { finished: Some(vn(3, 9, 10, 0)), ..spec(A, "in_person", vn(3, 2, 9, 0), date(3, 10)) }).await;
    d.rate(&early, "rat_hai_long", vn(3, 9, 11, 0)).await;
    // New online, finished the day after the due date: late.
    d.add(Spec { finished: Some(vn(3, 11, 8, 0)), ..spec(A, "online", vn(3, 3, 9, 0), date(3, 10)) }).await;
    // Accepted at 23:30 on 31 March (Vietnam): in March, open within time.
    let last_minute = d.add(spec(A, "online", vn(3, 31, 23, 30), date(4, 7))).await;
    // Accepted ten minutes into 1 April (still 31 March in UTC): not in March.
    d.add(spec(A, "online", vn(4, 1, 0, 10), date(4, 8))).await;
    // New by post, open past its due date at the end of March: overdue.
    let by_post = d.add(spec(A, "post", vn(3, 5, 9, 0), date(3, 20))).await;
    // Waiting for a supplement asked before the due date: the clock is stopped, within time.
    let paused = d.add(spec(A, "in_person", vn(3, 5, 9, 0), date(3, 12))).await;
    d.supplement(&paused, vn(3, 10, 9, 0), None).await;
    // A supplement asked after the due date does not hide the lateness.
    let asked_late = d.add(spec(A, "online", vn(3, 2, 9, 0), date(3, 6))).await;
    d.supplement(&asked_late, vn(3, 9, 9, 0), None).await;
    // Paused 4–9 March, due date moved from 6 to 11 March, finished on the 11th: on time.
    let resumed =
        d.add(Spec { finished: Some(vn(3, 11, 15, 0)), ..spec(A, "online", vn(3, 2, 9, 0), date(3, 11)) }).await;
    d.supplement(&resumed, vn(3, 4, 9, 0), Some(vn(3, 9, 8, 0))).await;
    // Refused at intake: never received.
    d.add(Spec {
        accepted: None,
        closed: Some(("khong_tiep_nhan", vn(3, 7, 9, 0))),
        ..spec(A, "online", vn(3, 6, 9, 0), date(3, 13))
    })
    .await;
    // Withdrawn in March.
    d.add(Spec { closed: Some(("rut_ho_so", vn(3, 15, 9, 0))), ..spec(A, "in_person", vn(3, 2, 9, 0), date(3, 20)) })
        .await;
    // Carried over from February, stopped in March.
    d.add(Spec { closed: Some(("dung_xu_ly", vn(3, 20, 9, 0))), ..spec(A, "in_person", vn(2, 25, 9, 0), date(3, 30)) })
        .await;
    // Open on the report date that is its due date: within time.
    let due_today = d.add(spec(A, "in_person", vn(3, 20, 9, 0), date(3, 31))).await;
    // The unit under Gia Viễn (Chứng thực): on time.
    d.add(Spec {
        procedure: "2.000815",
        finished: Some(vn(3, 12, 9, 0)),
        ..spec(UNIT, "in_person", vn(3, 10, 9, 0), date(3, 12))
    })
    .await;
    // Tam Điệp (Chứng thực): early, not satisfied; a rating in April does not count in March.
    let elsewhere = d
        .add(Spec {
            procedure: "2.000815",
            finished: Some(vn(3, 6, 9, 0)),
            ..spec(B, "online", vn(3, 4, 9, 0), date(3, 10))
        })
        .await;
    d.rate(&elsewhere, "khong_hai_long", vn(3, 7, 9, 0)).await;
    let rated_in_april = d
        .add(Spec {
            procedure: "2.000815",
            finished: Some(vn(3, 30, 9, 0)),
            ..spec(B, "in_person", vn(3, 30, 8, 0), date(3, 30))
        })
        .await;
    d.rate(&rated_in_april, "hai_long", vn(4, 2, 9, 0)).await;
    // Fees. At the desk in March, after paying online in February: paid in March, not online.
    d.fee(&carried, true, 10_000, vn(2, 21, 9, 0)).await;
    d.fee(&carried, false, 5_000, vn(3, 3, 9, 0)).await;
    d.fee(&early, false, 50_000, vn(3, 2, 10, 0)).await;
    // Online at 23:40 on 31 March: in March.
    d.fee(&last_minute, true, 24_000, vn(3, 31, 23, 40)).await;
    // Twice online in March: one dossier.
    d.fee(&resumed, true, 8_000, vn(3, 5, 9, 0)).await;
    d.fee(&resumed, true, 20_000, vn(3, 10, 9, 0)).await;
    // At the desk, then online: one dossier, paid online.
    d.fee(&paused, false, 7_000, vn(3, 6, 9, 0)).await;
    d.fee(&paused, true, 9_000, vn(3, 20, 9, 0)).await;
    d.fee(&elsewhere, true, 12_000, vn(3, 4, 9, 0)).await;
    // Ten minutes into 1 April: not in March.
    d.fee(&rated_in_april, true, 15_000, vn(4, 1, 0, 10)).await;
    let codes = Codes { overdue: vec![by_post, asked_late], within: vec![last_minute, paused, due_today] };
    (d, codes)
}

fn march(agency: &str, slice: &str) -> StatsForm {
    StatsForm {
        from: "2026-03-01".into(),
        to: "2026-03-31".into(),
        agency: agency.into(),
        slice: slice.into(),
        ..StatsForm::default()
    }
}

async fn public(pool: &PgPool, form: StatsForm) -> StatsReport {
    let report = report(pool, Reader::Public, form, later()).await.unwrap();
    assert_eq!(report.problem, None);
    report
}

#[sqlx::test(migrations = "../server/migrations")]
async fn every_figure_of_a_known_month_is_exact(pool: PgPool) {
    let (d, _) = known_data(pool).await;
    let report = public(&d.pool, march("", "")).await;
    let expected = Figures {
        carried_over: 2,
        new_in_person: 6,
        new_online: 5,
        new_post: 1,
        finished_early: 2,
        finished_on_time: 4,
        finished_late: 1,
        open_within_time: 3,
        open_overdue: 2,
        supplement_requested: 3,
        refused: 1,
        withdrawn: 1,
        stopped: 1,
        very_satisfied: 1,
        satisfied: 1,
        not_satisfied: 1,
        fee_paid: 6,
        fee_paid_online: 4,
        fees_vnd: 135_000,
        fees_online_vnd: 73_000,
    };
    assert_eq!(report.total, expected);
    // Everything received is finished, still open, withdrawn or stopped.
    let t = report.total;
    assert_eq!(t.received(), t.finished() + t.open() + t.withdrawn + t.stopped);
    assert_eq!(t.on_time_share().percent_text(), "85,7%");
    assert_eq!(t.online_share().percent_text(), "41,7%");
    assert_eq!(t.satisfied_share().percent_text(), "66,7%");
    assert_eq!(t.paid_online_share().percent_text(), "66,7%");
    assert_eq!(report.report_date, "31/03/2026");
}

#[sqlx::test(migrations = "../server/migrations")]
async fn agencies_roll_up_their_units_and_rows_add_up_to_the_total(pool: PgPool) {
    let (d, _) = known_data(pool).await;
    let report = public(&d.pool, march("", "co-quan")).await;
    let row = |name: &str| report.rows.iter().find(|r| r.label == name).unwrap_or_else(|| panic!("{name}")).figures;
    let gia_vien = row("UBND Xã Gia Viễn");
    assert_eq!(gia_vien.finished_on_time, 3, "the unit's on-time dossier counts for the commune");
    assert_eq!((row("UBND Phường Tam Điệp").finished_early, row("UBND Phường Tam Điệp").not_satisfied), (1, 1));
    assert_eq!(row("UBND Xã Kim Sơn"), Figures::default(), "agencies with nothing still have a row");
    let mut sum = Figures::default();
    report.rows.iter().for_each(|r| sum.add(&r.figures));
    assert_eq!(sum, report.total);

    let commune = public(&d.pool, march("DEMO.NB.03", "co-quan")).await;
    let labels: Vec<&str> = commune.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, vec!["Tổ một cửa thôn Đông (thử nghiệm)", "UBND Xã Gia Viễn"]);
    assert_eq!(commune.total.finished_on_time, 3);
    assert_eq!(commune.total.not_satisfied, 0);
}

#[sqlx::test(migrations = "../server/migrations")]
async fn fields_procedures_and_months_slice_the_same_dossiers(pool: PgPool) {
    let (d, _) = known_data(pool).await;
    let by_field = public(&d.pool, march("", "linh-vuc")).await;
    let certification = by_field.rows.iter().find(|r| r.label == "Chứng thực").unwrap();
    assert_eq!((certification.figures.finished_early, certification.figures.finished_on_time), (1, 2));
    let only = public(&d.pool, StatsForm { procedure: "2.000815".into(), ..march("", "thu-tuc") }).await;
    assert_eq!(only.rows.len(), 1);
    assert_eq!(only.total.finished(), 3);
    assert_eq!(only.total, certification.figures);

    let months = public(&d.pool, StatsForm { from: "2026-02-01".into(), ..march("", "thang") }).await;
    let labels: Vec<&str> = months.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, vec!["02/2026", "03/2026"]);
    let (february, in_march) = (months.rows[0].figures, months.rows[1].figures);
    assert_eq!((february.new_total(), february.finished_early, february.carried_over), (3, 1, 0));
    assert_eq!(in_march.carried_over, 2, "February's open dossiers carry into March");
    assert_eq!(months.total.new_total(), february.new_total() + in_march.new_total());
    assert_eq!(months.total.open(), in_march.open());
    let whole = public(&d.pool, StatsForm { from: "2026-02-01".into(), ..march("", "") }).await;
    assert_eq!(months.total, whole.total, "the months' total is the whole period's, figure by figure");
}

#[sqlx::test(migrations = "../server/migrations")]
async fn each_figure_lists_exactly_the_dossiers_it_counts(pool: PgPool) {
    let (d, codes) = known_data(pool).await;
    let report = public(&d.pool, march("", "")).await;
    let agencies: Vec<(i64, Option<i64>)> =
        sqlx::query_as("SELECT id, parent_id FROM agencies").fetch_all(&d.pool).await.unwrap();
    let root = agencies.iter().find(|a| a.1.is_none()).unwrap().0;
    let pairs = app::domain::agency_tree::roll_up(&agencies, root);
    let scope = app::stats::db::Scope {
        members: pairs.iter().map(|p| p.0).collect(),
        groups: pairs.iter().map(|p| p.1).collect(),
        ..Default::default()
    };
    let bucket = Bucket {
        key: String::new(),
        start: app::filed::clock::vietnam_midnight(date(3, 1)),
        end: app::filed::clock::vietnam_midnight(date(4, 1)),
        report_date: date(3, 31),
    };
    for measure in ALL_MEASURES {
        let (count, listed) = dossiers_behind(&d.pool, &scope, &bucket, measure, 100).await.unwrap();
        assert_eq!(count, measure.of(&report.total), "{measure:?}");
        assert_eq!(listed.len() as i64, count, "{measure:?}");
    }
    let codes_of = |measure| {
        let (pool, scope, bucket) = (&d.pool, &scope, &bucket);
        async move {
            let mut codes: Vec<String> =
                dossiers_behind(pool, scope, bucket, measure, 100).await.unwrap().1.into_iter().map(|r| r.0).collect();
            codes.sort();
            codes
        }
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(codes_of(app::stats::Measure::OpenOverdue).await, sorted(codes.overdue));
    assert_eq!(codes_of(app::stats::Measure::OpenWithinTime).await, sorted(codes.within));
}

/// The SQL's overdue test and `domain::statistics::is_overdue` agree on the boundary cases.
#[sqlx::test(migrations = "../server/migrations")]
async fn the_overdue_sql_agrees_with_the_domain_rule(pool: PgPool) {
    let mut d = Data::new(pool).await;
    let report_date = date(3, 31);
    // (due, supplement asked and still open at the end)
    let cases = [
        (date(3, 30), None),
        (date(3, 31), None),
        (date(4, 1), None),
        (date(3, 20), Some(date(3, 20))),
        (date(3, 20), Some(date(3, 21))),
        (date(3, 20), Some(date(3, 19))),
    ];
    let mut expected_overdue = Vec::new();
    for (due, asked) in cases {
        let code = d.add(spec("DEMO.NB.01", "online", vn(3, 2, 9, 0), due)).await;
        if let Some(day) = asked {
            d.supplement(&code, app::filed::clock::vietnam_midnight(day) + chrono::Duration::hours(16), None).await;
        }
        if is_overdue(due, report_date, asked) {
            expected_overdue.push(code);
        }
    }
    let report = public(&d.pool, march("", "")).await;
    assert_eq!(report.total.open_overdue, expected_overdue.len() as i64);
    assert_eq!(report.total.open_overdue, 2);
    assert_eq!(report.total.open_within_time, 4);
}

#[sqlx::test(migrations = "../server/migrations")]
async fn unusable_filters_come_back_with_the_field_to_fix(pool: PgPool) {
    let (d, _) = known_data(pool).await;
    let bad = |form| {
        let pool = d.pool.clone();
        async move { report(&pool, Reader::Public, form, later()).await.unwrap().problem.map(|p| p.0) }
    };
    assert_eq!(bad(StatsForm { to: "2026-02-30".into(), ..march("", "") }).await.as_deref(), Some("den"));
    assert_eq!(bad(march("KHONG.CO", "")).await.as_deref(), Some("co-quan"));
    assert_eq!(bad(StatsForm { procedure: "9.999999".into(), ..march("", "") }).await.as_deref(), Some("thu-tuc"));
    assert_eq!(bad(StatsForm { field: "abc".into(), ..march("", "") }).await.as_deref(), Some("linh-vuc"));
    // A leader of one commune cannot pick another agency's branch.
    let tam_diep: i64 =
        sqlx::query_scalar("SELECT id FROM agencies WHERE identifier = 'DEMO.NB.02'").fetch_one(&d.pool).await.unwrap();
    let other = report(&d.pool, Reader::Agency(tam_diep), march("DEMO.NB.03", ""), later()).await.unwrap();
    assert_eq!(other.problem.map(|p| p.0).as_deref(), Some("co-quan"));
    let own = report(&d.pool, Reader::Agency(tam_diep), march("", ""), later()).await.unwrap();
    assert_eq!((own.total.finished_early, own.total.finished_on_time), (1, 1));
}

/// The roll-up follows a dossier's changes: taken from one figure, added to the next.
#[sqlx::test(migrations = "../server/migrations")]
async fn the_daily_figures_follow_each_change_of_a_dossier(pool: PgPool) {
    let mut d = Data::new(pool).await;
    let code = d.add(Spec { accepted: None, ..spec("DEMO.NB.01", "online", vn(3, 2, 9, 0), date(3, 10)) }).await;
    let total = |pool: PgPool| async move { public(&pool, march("", "")).await.total };
    assert_eq!(total(d.pool.clone()).await, Figures::default(), "not yet received");
    let change = |sql: &'static str| {
        let (pool, code) = (d.pool.clone(), code.clone());
        async move { sqlx::query(sql).bind(code).execute(&pool).await.unwrap() }
    };
    change(
        "UPDATE dossiers SET status = 'duoc_tiep_nhan', accepted_at = received_at + interval '1 hour' WHERE code = $1",
    )
    .await;
    let accepted = total(d.pool.clone()).await;
    assert_eq!((accepted.new_online, accepted.open_within_time, accepted.open_overdue), (1, 0, 1));
    change(
        "UPDATE dossiers SET status = 'da_xu_ly_xong', finished_at = '2026-03-09 10:00+07', finished_on = '2026-03-09', \
         timeliness = 'som', closed_at = '2026-03-09 10:00+07' WHERE code = $1",
    )
    .await;
    let finished = total(d.pool.clone()).await;
    assert_eq!((finished.new_online, finished.finished_early, finished.open()), (1, 1, 0));
    // The result uploaded again after the due date: the dossier moves from early to late.
    change(
        "UPDATE dossiers SET finished_at = '2026-03-12 10:00+07', finished_on = '2026-03-12', timeliness = 'tre', \
         closed_at = '2026-03-12 10:00+07' WHERE code = $1",
    )
    .await;
    let redone = total(d.pool.clone()).await;
    assert_eq!((redone.finished_early, redone.finished_late, redone.new_online), (0, 1, 1));
    let negative: i64 =
        sqlx::query_scalar("SELECT count(*) FROM stats_daily WHERE count < 0").fetch_one(&d.pool).await.unwrap();
    assert_eq!(negative, 0);
}

/// Reports over several periods and slices, as (label, figures) with the total last.
async fn figures_of(pool: &PgPool) -> Vec<(String, Figures)> {
    let forms = [
        march("", ""),
        march("", "co-quan"),
        march("DEMO.NB.03", "thu-tuc"),
        StatsForm { from: "2026-02-01".into(), to: "2026-05-31".into(), ..march("", "thang") },
        StatsForm { from: "2026-02-15".into(), to: "2026-04-10".into(), ..march("", "linh-vuc") },
    ];
    let mut all = Vec::new();
    for form in forms {
        let report = public(pool, form).await;
        all.extend(report.rows.into_iter().map(|row| (row.label, row.figures)));
        all.push(("total".into(), report.total));
    }
    all
}

/// What the same reports say with every snapshot dropped, counted from the dossiers alone.
async fn live_figures(pool: &PgPool) -> Vec<(String, Figures)> {
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("DELETE FROM stats_open_taken").execute(&mut *tx).await.unwrap();
    let figures = figures_of(pool).await;
    tx.rollback().await.unwrap();
    figures
}

async fn taken_midnights(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM stats_open_taken").fetch_one(pool).await.unwrap()
}

/// The snapshot of past midnights answers exactly what the dossiers say, and a back-dated
/// change (a closing, a supplement request, a due date, an acceptance) drops the snapshots it
/// alters, so reports stay exact before the keeper takes them again.
#[sqlx::test(migrations = "../server/migrations")]
async fn the_open_snapshot_agrees_with_the_dossiers_through_back_dated_changes(pool: PgPool) {
    let (mut d, codes) = known_data(pool).await;
    let live = figures_of(&d.pool).await;
    let midnights = app::stats::snapshot::keep(&d.pool, later()).await.unwrap();
    assert!(midnights >= 100, "every midnight from February to June is taken: {midnights}");
    let snapshot_rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM stats_open_snapshot").fetch_one(&d.pool).await.unwrap();
    assert!(snapshot_rows > 0);
    assert_eq!(figures_of(&d.pool).await, live, "read from the snapshot");
    let all_taken = taken_midnights(&d.pool).await;

    // Closed on 25 March, recorded later: no longer overdue at the end of March.
    let by_post = &codes.overdue[0];
    sqlx::query("UPDATE dossiers SET status = 'rut_ho_so', closed_at = '2026-03-25 09:00+07' WHERE code = $1")
        .bind(by_post)
        .execute(&d.pool)
        .await
        .unwrap();
    assert_eq!(public(&d.pool, march("", "")).await.total.open_overdue, 1);
    assert!(taken_midnights(&d.pool).await < all_taken, "the commune's later midnights were dropped");
    assert!(taken_midnights(&d.pool).await > 0, "other agencies' and earlier midnights stay");
    assert_eq!(figures_of(&d.pool).await, live_figures(&d.pool).await);

    // A supplement asked on 25 March of the dossier due on the 31st: within time in April.
    let due_today = &codes.within[2];
    app::stats::snapshot::keep(&d.pool, later()).await.unwrap();
    d.supplement(due_today, vn(3, 25, 9, 0), None).await;
    assert_eq!(figures_of(&d.pool).await, live_figures(&d.pool).await);

    // A due date moved back before the end of March: overdue then.
    app::stats::snapshot::keep(&d.pool, later()).await.unwrap();
    let before = public(&d.pool, march("", "")).await.total.open_overdue;
    let last_minute = &codes.within[0];
    sqlx::query("UPDATE dossiers SET due_date = '2026-03-25' WHERE code = $1")
        .bind(last_minute)
        .execute(&d.pool)
        .await
        .unwrap();
    assert_eq!(public(&d.pool, march("", "")).await.total.open_overdue, before + 1);
    assert_eq!(figures_of(&d.pool).await, live_figures(&d.pool).await);

    // A dossier accepted in February entered only now.
    app::stats::snapshot::keep(&d.pool, later()).await.unwrap();
    let carried = public(&d.pool, march("", "")).await.total.carried_over;
    d.add(spec("DEMO.NB.02", "in_person", vn(2, 20, 9, 0), date(3, 20))).await;
    assert_eq!(public(&d.pool, march("", "")).await.total.carried_over, carried + 1);
    assert_eq!(figures_of(&d.pool).await, live_figures(&d.pool).await);

    // Changes made now leave the past midnights alone.
    app::stats::snapshot::keep(&d.pool, later()).await.unwrap();
    let all_taken = taken_midnights(&d.pool).await;
    sqlx::query("UPDATE dossiers SET status = 'rut_ho_so', closed_at = now() WHERE code = $1")
        .bind(last_minute)
        .execute(&d.pool)
        .await
        .unwrap();
    assert_eq!(taken_midnights(&d.pool).await, all_taken);
}

/// A period from mid-February to 10 April adds the whole month of March from the monthly
/// roll-up and the days at its edges from the daily one: the same as adding up its days.
#[sqlx::test(migrations = "../server/migrations")]
async fn a_period_across_months_adds_its_whole_months_and_the_days_at_its_edges(pool: PgPool) {
    let (d, _) = known_data(pool).await;
    let check = |pool: PgPool| async move {
        let form = StatsForm { from: "2026-02-15".into(), to: "2026-04-10".into(), ..march("", "") };
        let total = public(&pool, form).await.total;
        for measure in ALL_MEASURES {
            let days: Option<i64> = sqlx::query_scalar(
                "SELECT sum(count)::bigint FROM stats_daily WHERE measure = $1 AND day BETWEEN '2026-02-15' AND '2026-04-10'",
            )
            .bind(measure.slug())
            .fetch_one(&pool)
            .await
            .unwrap();
            if let Some(days) = days {
                assert_eq!(measure.of(&total), days, "{measure:?}");
            }
        }
        let disagreeing: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM stats_monthly m FULL JOIN \
               (SELECT agency_id, procedure_id, measure, date_trunc('month', day)::date AS month, sum(count) AS count \
                FROM stats_daily GROUP BY 1, 2, 3, 4) d USING (agency_id, procedure_id, measure, month) \
             WHERE m.count IS DISTINCT FROM d.count",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(disagreeing, 0, "each month is the sum of its days");
        total
    };
    let first = check(d.pool.clone()).await;
    assert_eq!(first.finished_late, 1);
    // The late result recorded again on 5 April (in the days after the whole month).
    sqlx::query(
        "UPDATE dossiers SET finished_at = '2026-04-05 23:30+07', finished_on = '2026-04-05', timeliness = 'dung_han', \
         closed_at = '2026-04-05 23:30+07' WHERE timeliness = 'tre'",
    )
    .execute(&d.pool)
    .await
    .unwrap();
    let moved = check(d.pool.clone()).await;
    assert_eq!((moved.finished_late, moved.finished_on_time), (0, first.finished_on_time + 1));
}

/// Each report's dossiers asked for a supplement (every month row and the total) against the
/// requests themselves, and the roll-up against one rebuilt from every request.
async fn check_supplements(pool: &PgPool) {
    let asked = |from: String, to: String| async move {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(DISTINCT dossier_id) FROM supplement_requests \
             WHERE requested_at >= $1::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' \
               AND requested_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'",
        )
        .bind(from)
        .bind(to)
        .fetch_one(pool)
        .await
        .unwrap()
    };
    let forms = [
        march("", ""),
        StatsForm { from: "2026-02-01".into(), to: "2026-05-31".into(), ..march("", "thang") },
        StatsForm { from: "2026-02-15".into(), to: "2026-04-10".into(), ..march("", "") },
        StatsForm { from: "2026-03-13".into(), to: "2026-04-30".into(), ..march("", "co-quan") },
    ];
    for form in forms {
        let report = public(pool, form.clone()).await;
        let whole = asked(form.from.clone(), form.to.clone()).await;
        assert_eq!(report.total.supplement_requested, whole, "{} to {}", form.from, form.to);
        if form.slice == "thang" {
            for row in &report.rows {
                let month = asked(row.narrowed.from.clone(), row.narrowed.to.clone()).await;
                assert_eq!(row.figures.supplement_requested, month, "{}", row.label);
            }
        }
    }
    let disagreeing: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM stats_supplement_daily k FULL JOIN \
           (SELECT agency_id, procedure_id, day, previous_day, count(*) AS count \
            FROM stats_supplement_days(ARRAY(SELECT r FROM supplement_requests r)) GROUP BY 1, 2, 3, 4) f \
           USING (agency_id, procedure_id, day, previous_day) \
         WHERE coalesce(k.count, 0) <> coalesce(f.count, 0)",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(disagreeing, 0, "the kept roll-up is the one rebuilt from the requests");
    let months_off: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM stats_supplement_monthly m FULL JOIN \
           (SELECT agency_id, procedure_id, date_trunc('month', day)::date AS month, previous_day, sum(count) AS count \
            FROM stats_supplement_daily GROUP BY 1, 2, 3, 4) d USING (agency_id, procedure_id, month, previous_day) \
         WHERE coalesce(m.count, 0) <> coalesce(d.count, 0)",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(months_off, 0, "each month is the sum of its days");
}

/// Dossiers asked for a supplement in a period are counted once from the roll-up, as from the
/// requests: a second request in the same month, one in the next month, a request moved to
/// another month and one removed.
#[sqlx::test(migrations = "../server/migrations")]
async fn dossiers_asked_for_supplements_are_counted_once_through_moved_and_removed_requests(pool: PgPool) {
    let (d, codes) = known_data(pool).await;
    let twice_in_march = &codes.overdue[0];
    d.supplement(twice_in_march, vn(3, 6, 9, 0), Some(vn(3, 7, 9, 0))).await;
    d.supplement(twice_in_march, vn(3, 12, 9, 0), Some(vn(3, 13, 9, 0))).await;
    let across_months = &codes.within[0];
    d.supplement(across_months, vn(3, 31, 23, 40), Some(vn(4, 1, 8, 0))).await;
    d.supplement(across_months, vn(4, 2, 9, 0), Some(vn(4, 3, 9, 0))).await;
    check_supplements(&d.pool).await;
    assert_eq!(public(&d.pool, march("", "")).await.total.supplement_requested, 5);

    let moved: u64 = sqlx::query(
        "UPDATE supplement_requests r SET requested_at = '2026-04-20 09:00+07', fulfilled_at = '2026-04-21 09:00+07' \
         FROM dossiers s WHERE s.id = r.dossier_id AND s.code = $1 AND r.requested_at = '2026-03-06 09:00+07'",
    )
    .bind(twice_in_march)
    .execute(&d.pool)
    .await
    .unwrap()
    .rows_affected();
    assert_eq!(moved, 1);
    check_supplements(&d.pool).await;

    let removed: u64 = sqlx::query(
        "DELETE FROM supplement_requests r USING dossiers s \
         WHERE s.id = r.dossier_id AND s.code = $1 AND r.requested_at = '2026-03-31 23:40+07'",
    )
    .bind(across_months)
    .execute(&d.pool)
    .await
    .unwrap()
    .rows_affected();
    assert_eq!(removed, 1);
    check_supplements(&d.pool).await;
    assert_eq!(public(&d.pool, march("", "")).await.total.supplement_requested, 4);
}

/// The fees of each month and of a period across months against the audit trail itself, and
/// the roll-up kept by the trigger against one rebuilt from every fee event.
#[sqlx::test(migrations = "../server/migrations")]
async fn fees_paid_count_each_dossier_once_per_period_and_add_every_payment(pool: PgPool) {
    let (d, _) = known_data(pool).await;
    let form = StatsForm { from: "2026-02-15".into(), to: "2026-04-10".into(), ..march("", "thang") };
    let report = public(&d.pool, form).await;
    let direct = |from: NaiveDate, to: NaiveDate| {
        let pool = d.pool.clone();
        async move {
            sqlx::query_as::<_, (i64, i64, Option<i64>, Option<i64>)>(
                "SELECT count(DISTINCT dossier_id), count(DISTINCT dossier_id) FILTER (WHERE action = 'thanh-toan-truc-tuyen'), \
                        sum((details->>'so_tien')::bigint)::bigint, \
                        sum((details->>'so_tien')::bigint) FILTER (WHERE action = 'thanh-toan-truc-tuyen')::bigint \
                 FROM dossier_events WHERE action IN ('thanh-toan-truc-tuyen', 'da-nop-phi') \
                   AND at >= $1::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' \
                   AND at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'",
            )
            .bind(from)
            .bind(to)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let fees = |f: &Figures| (f.fee_paid, f.fee_paid_online, f.fees_vnd, f.fees_online_vnd);
    let as_figures = |(paid, online, all, online_vnd): (i64, i64, Option<i64>, Option<i64>)| {
        (paid, online, all.unwrap_or(0), online_vnd.unwrap_or(0))
    };
    let months = [(date(2, 15), date(2, 28)), (date(3, 1), date(3, 31)), (date(4, 1), date(4, 10))];
    assert_eq!(report.rows.len(), 3);
    for (row, (from, to)) in report.rows.iter().zip(months) {
        assert_eq!(fees(&row.figures), as_figures(direct(from, to).await), "{}", row.label);
    }
    assert_eq!(fees(&report.total), as_figures(direct(date(2, 15), date(4, 10)).await));
    assert_eq!(fees(&report.total), (7, 6, 160_000, 98_000), "the carried-over dossier paid in two months: once");

    let rebuilt_differs: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM stats_fee_daily y FULL JOIN \
           (SELECT agency_id, procedure_id, day, online, previous_day, previous_online_day, \
                   count(*)::integer AS payments, sum(amount_vnd)::bigint AS amount_vnd \
            FROM stats_fee_events GROUP BY 1, 2, 3, 4, 5, 6) r \
           USING (agency_id, procedure_id, day, online, previous_day, previous_online_day) \
         WHERE y.payments IS DISTINCT FROM r.payments OR y.amount_vnd IS DISTINCT FROM r.amount_vnd",
    )
    .fetch_one(&d.pool)
    .await
    .unwrap();
    assert_eq!(rebuilt_differs, 0, "the trigger keeps what a rebuild from the audit trail gives");
    let months_differ: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM stats_fee_monthly m FULL JOIN \
           (SELECT agency_id, procedure_id, date_trunc('month', day)::date AS month, online, previous_day, \
                   previous_online_day, sum(payments) AS payments, sum(amount_vnd) AS amount_vnd \
            FROM stats_fee_daily GROUP BY 1, 2, 3, 4, 5, 6) x \
           USING (agency_id, procedure_id, month, online, previous_day, previous_online_day) \
         WHERE m.payments IS DISTINCT FROM x.payments OR m.amount_vnd IS DISTINCT FROM x.amount_vnd",
    )
    .fetch_one(&d.pool)
    .await
    .unwrap();
    assert_eq!(months_differ, 0, "each month is the sum of its days");
}
