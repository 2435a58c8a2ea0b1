//! How a dossier counts in the on-time statistics (domain brief §5–6), the figures of one
//! report row, and the satisfaction rating a citizen gives at hand-over.
//!
//! A finished dossier is **early** when its result was ready before the due date, **on time**
//! on the due date itself, **late** after it (an approved apology moves the appointment, never
//! the due date). An open dossier is **overdue** at the report date when that date is past its
//! due date, unless it was waiting for the citizen's supplement since before the due date: the
//! clock is stopped and the due date moves when the citizen answers.

use super::text::normalize_input;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Timeliness {
    Early,
    OnTime,
    Late,
}

impl Timeliness {
    pub fn of_finish(finished_on: NaiveDate, due: NaiveDate) -> Self {
        match finished_on.cmp(&due) {
            std::cmp::Ordering::Less => Self::Early,
            std::cmp::Ordering::Equal => Self::OnTime,
            std::cmp::Ordering::Greater => Self::Late,
        }
    }

    pub fn as_db(self) -> &'static str {
        match self {
            Self::Early => "som",
            Self::OnTime => "dung_han",
            Self::Late => "tre",
        }
    }
}

/// Whether a dossier still open at `report_date` is overdue. `waiting_since` is the day a
/// supplement request still unanswered at the report date was made.
pub fn is_overdue(due: NaiveDate, report_date: NaiveDate, waiting_since: Option<NaiveDate>) -> bool {
    match waiting_since {
        Some(asked) if asked <= due => false,
        _ => report_date > due,
    }
}

/// The counts of one report row; every derived share is computed here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Accepted before the period and still open at its start.
    pub carried_over: i64,
    pub new_in_person: i64,
    pub new_online: i64,
    pub new_post: i64,
    pub finished_early: i64,
    pub finished_on_time: i64,
    pub finished_late: i64,
    pub open_within_time: i64,
    pub open_overdue: i64,
    /// Dossiers asked for a supplement during the period.
    pub supplement_requested: i64,
    pub refused: i64,
    pub withdrawn: i64,
    pub stopped: i64,
    pub very_satisfied: i64,
    pub satisfied: i64,
    pub not_satisfied: i64,
    /// Dossiers that paid a fee during the period (online or at the desk), each once.
    pub fee_paid: i64,
    /// Dossiers that paid a fee online during the period, each once.
    pub fee_paid_online: i64,
    /// Fees and charges collected during the period, in đồng: all of them, and those paid online.
    pub fees_vnd: i64,
    pub fees_online_vnd: i64,
}

impl Figures {
    pub fn new_total(&self) -> i64 {
        self.new_in_person + self.new_online + self.new_post
    }

    pub fn received(&self) -> i64 {
        self.carried_over + self.new_total()
    }

    pub fn finished(&self) -> i64 {
        self.finished_early + self.finished_on_time + self.finished_late
    }

    pub fn open(&self) -> i64 {
        self.open_within_time + self.open_overdue
    }

    pub fn ratings(&self) -> i64 {
        self.very_satisfied + self.satisfied + self.not_satisfied
    }

    /// Early or on time, out of the dossiers finished.
    pub fn on_time_share(&self) -> Share {
        Share::of(self.finished_early + self.finished_on_time, self.finished())
    }

    /// Filed online, out of the dossiers newly received.
    pub fn online_share(&self) -> Share {
        Share::of(self.new_online, self.new_total())
    }

    /// Very satisfied or satisfied, out of the ratings given.
    pub fn satisfied_share(&self) -> Share {
        Share::of(self.very_satisfied + self.satisfied, self.ratings())
    }

    /// Paid online, out of the dossiers that paid a fee (Decision 766's online payment indicator).
    pub fn paid_online_share(&self) -> Share {
        Share::of(self.fee_paid_online, self.fee_paid)
    }

    pub fn add(&mut self, other: &Figures) {
        let pairs = [
            (&mut self.carried_over, other.carried_over),
            (&mut self.new_in_person, other.new_in_person),
            (&mut self.new_online, other.new_online),
            (&mut self.new_post, other.new_post),
            (&mut self.finished_early, other.finished_early),
            (&mut self.finished_on_time, other.finished_on_time),
            (&mut self.finished_late, other.finished_late),
            (&mut self.open_within_time, other.open_within_time),
            (&mut self.open_overdue, other.open_overdue),
            (&mut self.supplement_requested, other.supplement_requested),
            (&mut self.refused, other.refused),
            (&mut self.withdrawn, other.withdrawn),
            (&mut self.stopped, other.stopped),
            (&mut self.very_satisfied, other.very_satisfied),
            (&mut self.satisfied, other.satisfied),
            (&mut self.not_satisfied, other.not_satisfied),
            (&mut self.fee_paid, other.fee_paid),
            (&mut self.fee_paid_online, other.fee_paid_online),
            (&mut self.fees_vnd, other.fees_vnd),
            (&mut self.fees_online_vnd, other.fees_online_vnd),
        ];
        for (mine, theirs) in pairs {
            *mine += theirs;
        }
    }
}

/// A part of a whole, shown as a Vietnamese percentage with one decimal ("98,7%").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub part: i64,
    pub whole: i64,
}

impl Share {
    pub fn of(part: i64, whole: i64) -> Self {
        Self { part, whole }
    }

    /// Tenths of a percent, rounded half up; `None` when there is nothing to divide.
    pub fn per_mille(&self) -> Option<i64> {
        (self.whole > 0).then(|| (self.part * 2000 + self.whole) / (self.whole * 2))
    }

    /// "98,7%", or "—" when the whole is zero.
    pub fn percent_text(&self) -> String {
        match self.per_mille() {
            Some(tenths) => format!("{},{}%", tenths / 10, tenths % 10),
            None => "—".to_owned(),
        }
    }
}

/// The dates a report covers, both included (Vietnam dates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPeriod {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// A report spans at most this many months (and as many monthly rows).
pub const MAX_REPORT_MONTHS: usize = 36;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidPeriod {
    #[error("the start date is not a date")]
    BadStart,
    #[error("the end date is not a date")]
    BadEnd,
    #[error("the period ends before it starts")]
    Reversed,
    #[error("the period starts in the future")]
    Future,
    #[error("the period is longer than {MAX_REPORT_MONTHS} months")]
    TooLong,
}

impl InvalidPeriod {
    pub fn field(self) -> &'static str {
        match self {
            Self::BadEnd => "den",
            _ => "tu",
        }
    }

    /// The locale key of the message.
    pub fn key(self) -> &'static str {
        match self {
            Self::BadStart => "stats.error.bad_start",
            Self::BadEnd => "stats.error.bad_end",
            Self::Reversed => "stats.error.reversed",
            Self::Future => "stats.error.future",
            Self::TooLong => "stats.error.too_long",
        }
    }
}

fn parse_day(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(raw, "%d/%m/%Y")).ok()
}

impl ReportPeriod {
    /// From the first of January to today when both are blank; either date alone keeps the
    /// other's default. Dates come from `<input type=date>` (`2026-03-15`) or typed (`15/03/2026`).
    pub fn parse(first: &str, last: &str, today: NaiveDate) -> Result<Self, InvalidPeriod> {
        let year_start = today.with_day(1).and_then(|d| d.with_month(1)).unwrap_or(today);
        let first =
            if first.trim().is_empty() { year_start } else { parse_day(first).ok_or(InvalidPeriod::BadStart)? };
        let last = if last.trim().is_empty() { today } else { parse_day(last).ok_or(InvalidPeriod::BadEnd)? };
        if last < first {
            return Err(InvalidPeriod::Reversed);
        }
        if first > today {
            return Err(InvalidPeriod::Future);
        }
        let period = Self { first, last };
        if period.months().len() > MAX_REPORT_MONTHS {
            return Err(InvalidPeriod::TooLong);
        }
        Ok(period)
    }

    /// The day open dossiers are judged on: the period's last day, or today if that is earlier.
    pub fn report_date(&self, today: NaiveDate) -> NaiveDate {
        self.last.min(today)
    }

    /// The period cut at calendar months: each month's part of it, in order.
    pub fn months(&self) -> Vec<ReportPeriod> {
        let mut parts = Vec::new();
        let mut first = self.first;
        while first <= self.last {
            let next_month =
                first.with_day(1).and_then(|d| d.checked_add_months(chrono::Months::new(1))).unwrap_or(NaiveDate::MAX);
            let last = next_month.pred_opt().unwrap_or(next_month).min(self.last);
            parts.push(ReportPeriod { first, last });
            if parts.len() > MAX_REPORT_MONTHS || next_month == NaiveDate::MAX {
                break;
            }
            first = next_month;
        }
        parts
    }

    pub fn label(&self) -> String {
        format!("{} – {}", self.first.format("%d/%m/%Y"), self.last.format("%d/%m/%Y"))
    }

    /// "03/2026" for a month's part.
    pub fn month_label(&self) -> String {
        self.first.format("%m/%Y").to_string()
    }
}

/// The three answers of the satisfaction survey at hand-over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Satisfaction {
    VerySatisfied,
    Satisfied,
    NotSatisfied,
}

pub const ALL_SATISFACTION: [Satisfaction; 3] =
    [Satisfaction::VerySatisfied, Satisfaction::Satisfied, Satisfaction::NotSatisfied];

pub const MAX_RATING_REASON_CHARS: usize = 500;

impl Satisfaction {
    pub fn as_db(self) -> &'static str {
        match self {
            Self::VerySatisfied => "rat_hai_long",
            Self::Satisfied => "hai_long",
            Self::NotSatisfied => "khong_hai_long",
        }
    }

    pub fn from_db(raw: &str) -> Option<Self> {
        ALL_SATISFACTION.into_iter().find(|s| s.as_db() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    pub level: Satisfaction,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidRating {
    #[error("no level chosen")]
    NoLevel,
    #[error("a reason is required when not satisfied")]
    ReasonRequired,
    #[error("reason longer than {MAX_RATING_REASON_CHARS} characters")]
    ReasonTooLong,
}

impl InvalidRating {
    pub fn slug(self) -> &'static str {
        match self {
            Self::NoLevel => "muc",
            Self::ReasonRequired => "ly-do",
            Self::ReasonTooLong => "ly-do-dai",
        }
    }

    pub fn from_slug(raw: &str) -> Option<Self> {
        [Self::NoLevel, Self::ReasonRequired, Self::ReasonTooLong].into_iter().find(|e| e.slug() == raw)
    }

    /// The field the message belongs to (its input's id).
    pub fn field(self) -> &'static str {
        match self {
            Self::NoLevel => "muc-hai-long",
            Self::ReasonRequired | Self::ReasonTooLong => "ly-do",
        }
    }
}

impl Rating {
    /// A reason is asked when not satisfied; with the other answers it is kept if given.
    pub fn parse(level: &str, reason: &str) -> Result<Self, InvalidRating> {
        let level = Satisfaction::from_db(level.trim()).ok_or(InvalidRating::NoLevel)?;
        let reason = normalize_input(reason);
        match reason.chars().count() {
            n if n > MAX_RATING_REASON_CHARS => Err(InvalidRating::ReasonTooLong),
            0 if level == Satisfaction::NotSatisfied => Err(InvalidRating::ReasonRequired),
            0 => Ok(Self { level, reason: None }),
            _ => Ok(Self { level, reason: Some(reason) }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_blank_period_is_the_year_to_date() {
        let today = ymd(2026, 12, 1);
        assert_eq!(ReportPeriod::parse("", "", today), Ok(ReportPeriod { first: ymd(2026, 1, 1), last: today }));
    }

    #[test]
    fn period_dates_may_be_typed_the_vietnamese_way() {
        let period = ReportPeriod::parse("15/03/2026", "2026-04-02", ymd(2026, 12, 1)).unwrap();
        assert_eq!((period.first, period.last), (ymd(2026, 3, 15), ymd(2026, 4, 2)));
    }

    #[test]
    fn bad_periods_are_refused_with_the_field_to_fix() {
        let today = ymd(2026, 12, 1);
        assert_eq!(ReportPeriod::parse("31/02/2026", "", today), Err(InvalidPeriod::BadStart));
        assert_eq!(ReportPeriod::parse("", "hôm qua", today).unwrap_err().field(), "den");
        assert_eq!(ReportPeriod::parse("2026-05-02", "2026-05-01", today), Err(InvalidPeriod::Reversed));
        assert_eq!(ReportPeriod::parse("2026-12-02", "2026-12-31", today), Err(InvalidPeriod::Future));
        assert_eq!(ReportPeriod::parse("2023-01-01", "2026-01-31", today), Err(InvalidPeriod::TooLong));
        assert!(ReportPeriod::parse("2023-02-01", "2026-01-31", today).is_ok());
    }

    #[test]
    fn a_period_is_cut_into_its_months_parts() {
        let period = ReportPeriod { first: ymd(2026, 1, 20), last: ymd(2026, 3, 5) };
        let months: Vec<_> = period.months().iter().map(|m| (m.first, m.last)).collect();
        assert_eq!(
            months,
            vec![
                (ymd(2026, 1, 20), ymd(2026, 1, 31)),
                (ymd(2026, 2, 1), ymd(2026, 2, 28)),
                (ymd(2026, 3, 1), ymd(2026, 3, 5))
            ]
        );
        assert_eq!(period.months()[1].month_label(), "02/2026");
    }

    #[test]
    fn open_dossiers_are_judged_on_the_last_day_or_today() {
        let period = ReportPeriod { first: ymd(2026, 11, 1), last: ymd(2026, 11, 30) };
        assert_eq!(period.report_date(ymd(2026, 12, 1)), ymd(2026, 11, 30));
        assert_eq!(period.report_date(ymd(2026, 11, 10)), ymd(2026, 11, 10));
    }

    #[test]
    fn a_result_ready_the_day_before_the_due_date_is_early() {
        assert_eq!(Timeliness::of_finish(day(9), day(10)), Timeliness::Early);
    }

    #[test]
    fn a_result_ready_on_the_due_date_itself_is_on_time() {
        assert_eq!(Timeliness::of_finish(day(10), day(10)), Timeliness::OnTime);
    }

    #[test]
    fn a_result_ready_the_day_after_the_due_date_is_late() {
        assert_eq!(Timeliness::of_finish(day(11), day(10)), Timeliness::Late);
    }

    #[test]
    fn an_open_dossier_is_overdue_only_after_its_due_date() {
        assert!(!is_overdue(day(10), day(9), None));
        assert!(!is_overdue(day(10), day(10), None));
        assert!(is_overdue(day(10), day(11), None));
    }

    #[test]
    fn waiting_for_the_citizen_since_before_the_due_date_is_not_overdue() {
        assert!(!is_overdue(day(10), day(20), Some(day(5))));
        assert!(!is_overdue(day(10), day(20), Some(day(10))));
    }

    #[test]
    fn a_supplement_asked_after_the_due_date_does_not_hide_lateness() {
        assert!(is_overdue(day(10), day(20), Some(day(12))));
    }

    #[test]
    fn shares_round_half_up_to_one_decimal_with_a_comma() {
        assert_eq!(Share::of(987, 1000).percent_text(), "98,7%");
        assert_eq!(Share::of(2, 3).percent_text(), "66,7%");
        assert_eq!(Share::of(1, 3).percent_text(), "33,3%");
        assert_eq!(Share::of(1, 8).percent_text(), "12,5%");
        assert_eq!(Share::of(1, 1).percent_text(), "100,0%");
        assert_eq!(Share::of(0, 5).percent_text(), "0,0%");
    }

    #[test]
    fn a_share_of_nothing_is_a_dash_not_zero() {
        assert_eq!(Share::of(0, 0).percent_text(), "—");
        assert_eq!(Share::of(0, 0).per_mille(), None);
    }

    #[test]
    fn derived_figures_add_their_parts() {
        let f = Figures {
            carried_over: 2,
            new_in_person: 3,
            new_online: 4,
            new_post: 1,
            finished_early: 5,
            finished_on_time: 2,
            finished_late: 1,
            very_satisfied: 1,
            satisfied: 2,
            not_satisfied: 1,
            ..Figures::default()
        };
        assert_eq!((f.new_total(), f.received(), f.finished(), f.ratings()), (8, 10, 8, 4));
        assert_eq!(f.on_time_share().percent_text(), "87,5%");
        assert_eq!(f.online_share().percent_text(), "50,0%");
        assert_eq!(f.satisfied_share().percent_text(), "75,0%");
        let fees = Figures { fee_paid: 8, fee_paid_online: 6, ..Figures::default() };
        assert_eq!(fees.paid_online_share().percent_text(), "75,0%");
    }

    #[test]
    fn adding_figures_adds_every_count() {
        let one = Figures {
            carried_over: 1,
            new_in_person: 1,
            new_online: 1,
            new_post: 1,
            finished_early: 1,
            finished_on_time: 1,
            finished_late: 1,
            open_within_time: 1,
            open_overdue: 1,
            supplement_requested: 1,
            refused: 1,
            withdrawn: 1,
            stopped: 1,
            very_satisfied: 1,
            satisfied: 1,
            not_satisfied: 1,
            fee_paid: 1,
            fee_paid_online: 1,
            fees_vnd: 1,
            fees_online_vnd: 1,
        };
        let mut sum = one;
        sum.add(&one);
        let doubled = serde_json::to_value(sum).unwrap();
        assert!(doubled.as_object().unwrap().values().all(|v| v == 2), "{doubled}");
    }

    #[test]
    fn not_satisfied_needs_a_reason() {
        assert_eq!(Rating::parse("khong_hai_long", "  "), Err(InvalidRating::ReasonRequired));
        let rating = Rating::parse("khong_hai_long", "Phải đi lại hai lần").unwrap();
        assert_eq!(rating.reason.as_deref(), Some("Phải đi lại hai lần"));
    }

    #[test]
    fn satisfied_needs_no_reason_but_keeps_one_given() {
        assert_eq!(Rating::parse("hai_long", ""), Ok(Rating { level: Satisfaction::Satisfied, reason: None }));
        assert_eq!(Rating::parse("rat_hai_long", " Nhanh ").unwrap().reason.as_deref(), Some("Nhanh"));
    }

    #[test]
    fn an_unknown_or_missing_level_is_refused() {
        assert_eq!(Rating::parse("", "x"), Err(InvalidRating::NoLevel));
        assert_eq!(Rating::parse("tuyet_voi", ""), Err(InvalidRating::NoLevel));
    }

    #[test]
    fn an_overlong_reason_is_refused() {
        let long = "a".repeat(MAX_RATING_REASON_CHARS + 1);
        assert_eq!(Rating::parse("khong_hai_long", &long), Err(InvalidRating::ReasonTooLong));
    }

    #[test]
    fn rating_errors_round_trip_through_their_slugs() {
        for e in [InvalidRating::NoLevel, InvalidRating::ReasonRequired, InvalidRating::ReasonTooLong] {
            assert_eq!(InvalidRating::from_slug(e.slug()), Some(e));
        }
    }
}
