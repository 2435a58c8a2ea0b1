//! Demo history for the statistics: dossiers over past months at the demo agencies, drawn
//! from the procedures each agency offers, with due dates from the real working-day calendar
//! and time limits, and outcomes in the proportions the public reports quote (about 98% on
//! time, a third filed online, a few refusals, supplements and withdrawals). Generated
//! applicants are named "(minh hoạ)"; no message is sent for them and no audit row is written.
//! Each dossier is a sequence of actions whose statuses the status machine gives, as for a
//! real dossier.
//! `server generate-history` runs it (README, *Statistics at scale*).

use crate::domain::calendar::WorkCalendar;
use crate::domain::dossier_status::{next_status, Action, Status};
use crate::domain::statistics::{Satisfaction, Timeliness};
use crate::domain::time_limit::TimeLimit;
use crate::filed::clock::{vietnam_midnight, vietnam_time};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::PgPool;
use uuid::Uuid;

/// Rows written per statement.
const BATCH: usize = 5_000;
/// Generated applicants share this many accounts (numbers 0390000000 onwards).
const CITIZENS: u32 = 20_000;

#[derive(Debug, Clone)]
pub struct Plan {
    pub dossiers: u32,
    /// Received over the `days` before `until`.
    pub days: u32,
    pub until: DateTime<Utc>,
    pub seed: u64,
}

/// A procedure one agency receives through one channel.
#[derive(Debug, Clone)]
struct Offer {
    agency_id: i64,
    identifier: String,
    version_id: i64,
    weight: u32,
    channel: &'static str,
    limit: TimeLimit,
}

async fn offers(pool: &PgPool) -> Result<Vec<Offer>, sqlx::Error> {
    let rows: Vec<(i64, String, i64, bool, String, i32, String)> = sqlx::query_as(
        "SELECT DISTINCT ON (a.id, v.id, c.channel) a.id, a.identifier, v.id, p.is_popular, c.channel, c.time_amount, c.time_unit \
         FROM agency_procedures ap JOIN agencies a ON a.id = ap.agency_id AND a.is_demo AND a.valid_to IS NULL \
         JOIN procedures p ON p.id = ap.procedure_id JOIN current_procedure_versions v ON v.procedure_id = p.id \
         JOIN procedure_channels c ON c.version_id = v.id ORDER BY a.id, v.id, c.channel, c.case_no NULLS FIRST",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(agency_id, identifier, version_id, popular, channel, amount, unit)| {
            let channel = match channel.as_str() {
                "online" => "online",
                "post" => "post",
                _ => "in_person",
            };
            // Popular procedures are most of the counter's work; people mostly file in person.
            let weight = if popular { 8 } else { 1 }
                * if channel == "in_person" {
                    6
                } else if channel == "online" {
                    3
                } else {
                    1
                };
            Some(Offer {
                agency_id,
                identifier,
                version_id,
                weight,
                channel,
                limit: TimeLimit::from_db(amount, &unit).ok()?,
            })
        })
        .collect())
}

async fn calendar(pool: &PgPool) -> Result<WorkCalendar, sqlx::Error> {
    let days: Vec<(NaiveDate, String)> = sqlx::query_as("SELECT day, kind FROM calendar_days").fetch_all(pool).await?;
    let (holidays, working): (Vec<_>, Vec<_>) = days.into_iter().partition(|(_, kind)| kind == "holiday");
    Ok(WorkCalendar::new(holidays.into_iter().map(|(d, _)| d), working.into_iter().map(|(d, _)| d)))
}

/// One generated dossier, with what happened to it by `until`: its actions in order, and the
/// facts the dossier row records, read off them.
#[derive(Debug, Clone)]
struct Generated {
    offer: usize,
    citizen: u32,
    received: DateTime<Utc>,
    /// Its actions, each at its time, in the order they happen.
    steps: Vec<(DateTime<Utc>, Action)>,
    due: NaiveDate,
    status: Status,
    accepted: Option<DateTime<Utc>>,
    finished: Option<DateTime<Utc>>,
    returned: Option<DateTime<Utc>>,
    closed: Option<DateTime<Utc>>,
    supplement: Option<(DateTime<Utc>, Option<DateTime<Utc>>)>,
    rating: Option<Satisfaction>,
}

impl Generated {
    fn in_person(&self, offers: &[Offer]) -> bool {
        offers[self.offer].channel != "online"
    }

    fn at(&self, action: Action) -> Option<DateTime<Utc>> {
        self.steps.iter().find(|(_, a)| *a == action).map(|(at, _)| *at)
    }

    /// Keeps the actions up to `until` and reads the dossier's facts off them; `None` if the
    /// actions break the status machine (the generator's own test makes sure none does).
    fn as_of(mut self, until: DateTime<Utc>, in_person: bool) -> Option<Self> {
        self.steps.retain(|(at, _)| *at <= until);
        // Filed at the counter, a dossier is received at once; online it waits for intake.
        let (start, accepted) = if in_person { (Status::DuocTiepNhan, true) } else { (Status::MoiDangKy, false) };
        let (status, _) = self.steps.iter().try_fold((start, accepted), |(status, accepted), (_, action)| {
            let next = next_status(status, *action, accepted).ok()?;
            Some((next, accepted || *action == Action::Accept))
        })?;
        self.status = status;
        self.accepted = if in_person { Some(self.received) } else { self.at(Action::Accept) };
        self.finished = self.at(Action::ResultReady);
        self.returned = self.at(Action::Return);
        self.closed = self.finished.or_else(|| {
            [Action::Refuse, Action::Withdraw, Action::Stop].into_iter().find_map(|action| self.at(action))
        });
        self.supplement = self.at(Action::RequestSupplement).map(|asked| (asked, self.at(Action::Supplement)));
        if self.returned.is_none() {
            self.rating = None;
        }
        Some(self)
    }
}

/// A moment within office hours (07:30–17:00) of a working day.
fn office_time(rng: &mut StdRng, day: NaiveDate) -> DateTime<Utc> {
    vietnam_midnight(day) + Duration::minutes(450 + rng.random_range(0..570))
}

fn working_day_after(calendar: &WorkCalendar, day: NaiveDate, count: u32) -> NaiveDate {
    calendar.add_working_days(day + Duration::days(1), count.saturating_sub(1))
}

fn pick_offer(rng: &mut StdRng, offers: &[Offer], total_weight: u32) -> usize {
    let mut pick = rng.random_range(0..total_weight);
    offers
        .iter()
        .position(|o| {
            if pick < o.weight {
                true
            } else {
                pick -= o.weight;
                false
            }
        })
        .unwrap_or(0)
}

fn draw(
    rng: &mut StdRng,
    plan: &Plan,
    offers: &[Offer],
    total_weight: u32,
    calendar: &WorkCalendar,
) -> Option<Generated> {
    let offer = pick_offer(rng, offers, total_weight);
    let limit = offers[offer].limit;
    let until_day = vietnam_time(plan.until).date();
    let day = calendar.working_day_from(until_day - Duration::days(i64::from(rng.random_range(0..plan.days.max(1)))));
    let received = office_time(rng, day).min(plan.until - Duration::minutes(1));
    let mut g = Generated {
        offer,
        citizen: rng.random_range(0..CITIZENS),
        received,
        steps: Vec::new(),
        due: calendar.due_date(vietnam_time(received), limit),
        status: Status::MoiDangKy,
        accepted: None,
        finished: None,
        returned: None,
        closed: None,
        supplement: None,
        rating: None,
    };
    let in_person = g.in_person(offers);
    // Online dossiers are checked at intake within a working day or two; 3% are refused.
    let accepted = if in_person {
        received
    } else {
        let checked_day = working_day_after(calendar, day, rng.random_range(0..3));
        let checked = office_time(rng, checked_day);
        if rng.random_bool(0.03) {
            g.steps.push((checked, Action::Refuse));
            return g.as_of(plan.until, in_person);
        }
        g.steps.push((checked, Action::Accept));
        g.due = calendar.due_date(vietnam_time(checked), limit);
        checked
    };
    g.steps.push((accepted, Action::StartProcessing));
    let accepted_day = vietnam_time(accepted).date();
    // 8% wait for a supplement for one to six working days; the due date moves by as much.
    let mut resumed = accepted;
    if rng.random_bool(0.08) {
        let asked_day = calendar.working_day_from(accepted_day.min(g.due));
        let answered_day = working_day_after(calendar, asked_day, rng.random_range(1..7));
        let asked = office_time(rng, asked_day).max(accepted + Duration::minutes(1));
        let answered = office_time(rng, answered_day).max(asked + Duration::minutes(1));
        g.steps.push((asked, Action::RequestSupplement));
        g.steps.push((answered, Action::Supplement));
        g.due = calendar.due_date_after_pause(g.due, asked_day, answered_day);
        resumed = answered;
    }
    let outcome = rng.random_range(0..1000);
    let finish_day = match outcome {
        0..=14 => {
            let (action, days) = if outcome < 10 { (Action::Withdraw, 1) } else { (Action::Stop, 2) };
            let closed = office_time(rng, working_day_after(calendar, accepted_day, days));
            g.steps.push((closed.max(resumed + Duration::minutes(5)), action));
            return g.as_of(plan.until, in_person);
        }
        // 2% late by one to ten working days.
        15..=34 => working_day_after(calendar, g.due, rng.random_range(1..11)),
        // A third early, the rest on the due date.
        35..=370 if g.due > accepted_day => {
            let early_by = rng.random_range(1..=calendar.working_days_between(accepted_day, g.due).max(1));
            calendar.working_day_from(g.due - Duration::days(i64::from(early_by))).min(g.due)
        }
        _ => g.due,
    };
    let finished = office_time(rng, finish_day.max(accepted_day)).max(resumed + Duration::minutes(5));
    g.steps.push((finished, Action::ResultReady));
    let returned_day = working_day_after(calendar, vietnam_time(finished).date(), rng.random_range(0..3));
    g.steps.push((office_time(rng, returned_day).max(finished + Duration::minutes(5)), Action::Return));
    if rng.random_bool(0.4) {
        g.rating = Some(match rng.random_range(0..100) {
            0..=69 => Satisfaction::VerySatisfied,
            70..=96 => Satisfaction::Satisfied,
            _ => Satisfaction::NotSatisfied,
        });
    }
    g.as_of(plan.until, in_person)
}

const NOT_SATISFIED_REASONS: [&str; 3] =
    ["Phải đi lại nhiều lần (minh hoạ)", "Chờ lâu tại quầy (minh hoạ)", "Hướng dẫn chưa rõ (minh hoạ)"];

/// Writes `plan.dossiers` generated dossiers; returns how many.
pub async fn generate(pool: &PgPool, plan: &Plan) -> Result<u64, sqlx::Error> {
    let offers = offers(pool).await?;
    if offers.is_empty() {
        return Ok(0);
    }
    let calendar = calendar(pool).await?;
    let total_weight: u32 = offers.iter().map(|o| o.weight).sum();
    let citizens = ensure_citizens(pool).await?;
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let mut all: Vec<Generated> =
        (0..plan.dossiers).filter_map(|_| draw(&mut rng, plan, &offers, total_weight, &calendar)).collect();
    // Written in the order they were received, as a real portal's table fills up (the pages
    // of the dossiers open at one time then lie together, as they would).
    all.sort_by_key(|g| g.received);
    let run = Uuid::new_v4().simple().to_string()[..6].to_uppercase();
    for (number, batch) in all.chunks(BATCH).enumerate() {
        write_batch(pool, &offers, &citizens, batch, &format!("{run}{number}")).await?;
    }
    Ok(all.len() as u64)
}

async fn ensure_citizens(pool: &PgPool) -> Result<Vec<Uuid>, sqlx::Error> {
    let phones: Vec<String> = (0..CITIZENS).map(|i| format!("039{:07}", i)).collect();
    let ids: Vec<Uuid> = (0..CITIZENS).map(|_| Uuid::new_v4()).collect();
    sqlx::query(
        "INSERT INTO citizens (id, phone) SELECT * FROM unnest($1::uuid[], $2::text[]) ON CONFLICT (phone) DO NOTHING",
    )
    .bind(&ids)
    .bind(&phones)
    .execute(pool)
    .await?;
    sqlx::query_scalar("SELECT c.id FROM unnest($1::text[]) WITH ORDINALITY AS x(phone, n) JOIN citizens c ON c.phone = x.phone ORDER BY x.n")
        .bind(&phones)
        .fetch_all(pool)
        .await
}

async fn write_batch(
    pool: &PgPool,
    offers: &[Offer],
    citizens: &[Uuid],
    batch: &[Generated],
    run: &str,
) -> Result<(), sqlx::Error> {
    let ids: Vec<Uuid> = batch.iter().map(|_| Uuid::new_v4()).collect();
    let drafts: Vec<Uuid> = batch.iter().map(|_| Uuid::new_v4()).collect();
    let citizen: Vec<Uuid> = batch.iter().map(|g| citizens[g.citizen as usize % citizens.len()]).collect();
    let version: Vec<i64> = batch.iter().map(|g| offers[g.offer].version_id).collect();
    let agency: Vec<i64> = batch.iter().map(|g| offers[g.offer].agency_id).collect();
    // Codes of generated dossiers carry an "LS" (lịch sử) day part so they never meet real ones.
    let codes: Vec<String> =
        batch.iter().enumerate().map(|(i, g)| format!("{}-LS{run}-{i:04}", offers[g.offer].identifier)).collect();
    let channel: Vec<&str> = batch.iter().map(|g| offers[g.offer].channel).collect();
    let status: Vec<&str> = batch.iter().map(|g| g.status.as_db()).collect();
    let received: Vec<DateTime<Utc>> = batch.iter().map(|g| g.received).collect();
    let accepted: Vec<Option<DateTime<Utc>>> = batch.iter().map(|g| g.accepted).collect();
    let due: Vec<NaiveDate> = batch.iter().map(|g| g.due).collect();
    let finished: Vec<Option<DateTime<Utc>>> = batch.iter().map(|g| g.finished).collect();
    let finished_on: Vec<Option<NaiveDate>> =
        batch.iter().map(|g| g.finished.map(|at| vietnam_time(at).date())).collect();
    let timeliness: Vec<Option<&str>> = batch
        .iter()
        .map(|g| g.finished.map(|at| Timeliness::of_finish(vietnam_time(at).date(), g.due).as_db()))
        .collect();
    let returned: Vec<Option<DateTime<Utc>>> = batch.iter().map(|g| g.returned).collect();
    let closed: Vec<Option<DateTime<Utc>>> = batch.iter().map(|g| g.closed).collect();
    let paused: Vec<Option<DateTime<Utc>>> =
        batch.iter().map(|g| g.supplement.and_then(|(asked, answered)| answered.is_none().then_some(asked))).collect();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO drafts (id, citizen_id, version_id, expires_at, submitted_at, created_at, updated_at) \
         SELECT d, c, v, r, r, r, r FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::timestamptz[]) AS x(d, c, v, r)",
    )
    .bind(&drafts)
    .bind(&citizen)
    .bind(&version)
    .bind(&received)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO dossiers (id, code, draft_id, citizen_id, version_id, receiving_agency_id, handling_agency_id, \
           channel, status, applicant_name, applicant_folded, answers, received_at, due_date, accepted_at, finished_at, \
           finished_on, timeliness, returned_at, closed_at, paused_at, created_at, updated_at) \
         SELECT id, code, draft, citizen, version, agency, agency, channel, status, 'Người nộp (minh hoạ)', \
           'nguoi nop (minh hoa)', '{}', received, due, accepted, finished, finished_on, timeliness, returned, closed, \
           paused, received, COALESCE(closed, accepted, received) \
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::bigint[], $6::bigint[], $7::text[], $8::text[], \
           $9::timestamptz[], $10::date[], $11::timestamptz[], $12::timestamptz[], $13::date[], $14::text[], \
           $15::timestamptz[], $16::timestamptz[], $17::timestamptz[]) \
           AS x(id, code, draft, citizen, version, agency, channel, status, received, due, accepted, finished, \
                finished_on, timeliness, returned, closed, paused)",
    )
    .bind(&ids)
    .bind(&codes)
    .bind(&drafts)
    .bind(&citizen)
    .bind(&version)
    .bind(&agency)
    .bind(&channel)
    .bind(&status)
    .bind(&received)
    .bind(&due)
    .bind(&accepted)
    .bind(&finished)
    .bind(&finished_on)
    .bind(&timeliness)
    .bind(&returned)
    .bind(&closed)
    .bind(&paused)
    .execute(&mut *tx)
    .await?;
    write_supplements_and_ratings(&mut tx, batch, &ids).await?;
    tx.commit().await
}

async fn write_supplements_and_ratings(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    batch: &[Generated],
    ids: &[Uuid],
) -> Result<(), sqlx::Error> {
    let staff: Option<Uuid> =
        sqlx::query_scalar("SELECT id FROM staff_users ORDER BY created_at LIMIT 1").fetch_optional(&mut **tx).await?;
    if let Some(staff) = staff {
        let asked: Vec<(Uuid, DateTime<Utc>, Option<DateTime<Utc>>)> = batch
            .iter()
            .zip(ids)
            .filter_map(|(g, id)| g.supplement.map(|(asked, answered)| (*id, asked, answered)))
            .collect();
        sqlx::query(
            "INSERT INTO supplement_requests (dossier_id, requested_at, requested_by, documents, note, fulfilled_at) \
             SELECT d, a, $4, '{giay_to}', 'Bổ sung giấy tờ (minh hoạ)', f \
             FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS x(d, a, f)",
        )
        .bind(asked.iter().map(|a| a.0).collect::<Vec<_>>())
        .bind(asked.iter().map(|a| a.1).collect::<Vec<_>>())
        .bind(asked.iter().map(|a| a.2).collect::<Vec<_>>())
        .bind(staff)
        .execute(&mut **tx)
        .await?;
    }
    let rated: Vec<(Uuid, Satisfaction, DateTime<Utc>, usize)> = batch
        .iter()
        .zip(ids)
        .enumerate()
        .filter_map(|(i, (g, id))| Some((*id, g.rating?, g.returned? + Duration::minutes(3), i)))
        .collect();
    sqlx::query(
        "INSERT INTO dossier_ratings (dossier_id, level, reason, via, rated_at) \
         SELECT d, l, r, 'online', t FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) AS x(d, l, r, t)",
    )
    .bind(rated.iter().map(|r| r.0).collect::<Vec<_>>())
    .bind(rated.iter().map(|r| r.1.as_db()).collect::<Vec<_>>())
    .bind(
        rated
            .iter()
            .map(|r| (r.1 == Satisfaction::NotSatisfied).then(|| NOT_SATISFIED_REASONS[r.3 % 3]))
            .collect::<Vec<_>>(),
    )
    .bind(rated.iter().map(|r| r.2).collect::<Vec<_>>())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether generated history is already there (the demo start loads it once).
pub async fn has_history(pool: &PgPool) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM dossiers WHERE code LIKE '%-LS%')").fetch_one(pool).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time_limit::TimeUnit;

    fn plan() -> Plan {
        Plan {
            dossiers: 2000,
            days: 365,
            until: vietnam_midnight(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
            seed: 7,
        }
    }

    fn offers() -> Vec<Offer> {
        let offer = |channel, amount| Offer {
            agency_id: 1,
            identifier: "DEMO.NB.01".into(),
            version_id: 1,
            weight: 1,
            channel,
            limit: TimeLimit { amount, unit: TimeUnit::WorkingDays },
        };
        vec![offer("in_person", 3), offer("online", 5), offer("post", 0)]
    }

    fn drawn() -> Vec<Generated> {
        let (plan, offers) = (plan(), offers());
        let mut rng = StdRng::seed_from_u64(plan.seed);
        (0..plan.dossiers)
            .map(|_| draw(&mut rng, &plan, &offers, 3, &WorkCalendar::default()))
            .collect::<Option<Vec<_>>>()
            .expect("every generated history follows the status machine")
    }

    #[test]
    fn nothing_generated_happens_after_the_end() {
        let until = plan().until;
        for g in drawn() {
            for at in [Some(g.received), g.accepted, g.finished, g.returned, g.closed].into_iter().flatten() {
                assert!(at <= until, "{g:?}");
            }
        }
    }

    #[test]
    fn events_come_in_order_and_statuses_match_them() {
        for g in drawn() {
            if let Some(accepted) = g.accepted {
                assert!(accepted >= g.received);
            }
            if let Some(finished) = g.finished {
                assert!(finished >= g.accepted.unwrap());
                assert_eq!(g.closed, Some(finished));
                assert!(matches!(g.status, Status::DaXuLyXong | Status::DaTraKetQua), "{g:?}");
            }
            assert!(!(g.rating.is_some() && g.returned.is_none()), "ratings only after return");
            let closed_without_result = matches!(g.status, Status::KhongTiepNhan | Status::RutHoSo | Status::DungXuLy);
            assert_eq!(closed_without_result || g.finished.is_some(), g.closed.is_some(), "{g:?}");
        }
    }

    #[test]
    fn open_dossiers_stop_at_the_step_they_had_reached() {
        let all = drawn();
        let waiting = all.iter().filter(|g| g.status == Status::YeuCauBoSung).count();
        assert!(waiting > 0, "some dossiers still wait for a supplement at the end");
        for g in all.iter().filter(|g| g.status == Status::YeuCauBoSung) {
            assert!(matches!(g.supplement, Some((_, None))), "{g:?}");
        }
        assert!(all.iter().any(|g| g.status == Status::MoiDangKy), "some online dossiers still wait for intake");
    }

    #[test]
    fn proportions_look_like_the_published_reports() {
        let all = drawn();
        let finished: Vec<_> = all.iter().filter_map(|g| g.finished.map(|f| (vietnam_time(f).date(), g.due))).collect();
        let late = finished.iter().filter(|(f, due)| f > due).count() as f64 / finished.len() as f64;
        assert!(late > 0.005 && late < 0.05, "late share {late}");
        let refused = all.iter().filter(|g| g.status == Status::KhongTiepNhan).count();
        assert!(refused > 0 && refused < 60, "refused {refused}");
        assert!(all.iter().any(|g| g.rating == Some(Satisfaction::NotSatisfied)));
    }

    #[test]
    fn the_same_seed_draws_the_same_history() {
        let (a, b) = (drawn(), drawn());
        assert_eq!(
            a.iter().map(|g| (g.received, g.due, g.status)).collect::<Vec<_>>(),
            b.iter().map(|g| (g.received, g.due, g.status)).collect::<Vec<_>>()
        );
    }
}
