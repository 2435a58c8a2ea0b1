//! On-time statistics (domain brief §5–6): the public page `/thong-ke`, the leaders' dashboard
//! `/can-bo/thong-ke` with the dossiers behind each number, and both as CSV. Figures are
//! counted by the agency that received the dossier, rolled up the agency tree, for a period of
//! Vietnam dates, sliced by agency, field, procedure or month.
//!
//! Definitions: a dossier is *received* when it is accepted (the clock starts); *carried over*
//! when accepted before the period and still open at its start; *finished* when its result is
//! ready (early / on time / late against the due date); *open* at the period's end, overdue or
//! within time at the report date (`domain::statistics`). Refusals, withdrawals and stops
//! count when they happen, supplement requests by the dossiers asked in the period, ratings
//! when given.

pub mod api;
mod chart;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod public_limit;
#[cfg(feature = "ssr")]
pub mod snapshot;

use crate::auth::StaffView;
use crate::domain::money::group_thousands;
use crate::domain::statistics::Figures;
use serde::{Deserialize, Serialize};

/// What the rows of a report are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Slice {
    #[default]
    Agency,
    Field,
    Procedure,
    Month,
}

pub const ALL_SLICES: [Slice; 4] = [Slice::Agency, Slice::Field, Slice::Procedure, Slice::Month];

impl Slice {
    pub fn slug(self) -> &'static str {
        match self {
            Self::Agency => "co-quan",
            Self::Field => "linh-vuc",
            Self::Procedure => "thu-tuc",
            Self::Month => "thang",
        }
    }

    pub fn from_slug(raw: &str) -> Option<Self> {
        ALL_SLICES.into_iter().find(|s| s.slug() == raw)
    }
}

/// One counted figure: what a number in a report stands for, and the dossiers behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Measure {
    CarriedOver,
    NewInPerson,
    NewOnline,
    NewPost,
    FinishedEarly,
    FinishedOnTime,
    FinishedLate,
    OpenWithinTime,
    OpenOverdue,
    SupplementRequested,
    Refused,
    Withdrawn,
    Stopped,
    VerySatisfied,
    Satisfied,
    NotSatisfied,
    FeePaid,
    FeePaidOnline,
}

pub const ALL_MEASURES: [Measure; 18] = [
    Measure::CarriedOver,
    Measure::NewInPerson,
    Measure::NewOnline,
    Measure::NewPost,
    Measure::FinishedEarly,
    Measure::FinishedOnTime,
    Measure::FinishedLate,
    Measure::OpenWithinTime,
    Measure::OpenOverdue,
    Measure::SupplementRequested,
    Measure::Refused,
    Measure::Withdrawn,
    Measure::Stopped,
    Measure::VerySatisfied,
    Measure::Satisfied,
    Measure::NotSatisfied,
    Measure::FeePaid,
    Measure::FeePaidOnline,
];

impl Measure {
    pub fn slug(self) -> &'static str {
        match self {
            Self::CarriedOver => "ton-truoc",
            Self::NewInPerson => "moi-truc-tiep",
            Self::NewOnline => "moi-truc-tuyen",
            Self::NewPost => "moi-buu-chinh",
            Self::FinishedEarly => "som-han",
            Self::FinishedOnTime => "dung-han",
            Self::FinishedLate => "tre-han",
            Self::OpenWithinTime => "trong-han",
            Self::OpenOverdue => "qua-han",
            Self::SupplementRequested => "bo-sung",
            Self::Refused => "tu-choi",
            Self::Withdrawn => "rut",
            Self::Stopped => "dung-xu-ly",
            Self::VerySatisfied => "rat-hai-long",
            Self::Satisfied => "hai-long",
            Self::NotSatisfied => "khong-hai-long",
            Self::FeePaid => "nop-phi",
            Self::FeePaidOnline => "nop-phi-truc-tuyen",
        }
    }

    pub fn from_slug(raw: &str) -> Option<Self> {
        ALL_MEASURES.into_iter().find(|m| m.slug() == raw)
    }

    pub fn of(self, f: &Figures) -> i64 {
        match self {
            Self::CarriedOver => f.carried_over,
            Self::NewInPerson => f.new_in_person,
            Self::NewOnline => f.new_online,
            Self::NewPost => f.new_post,
            Self::FinishedEarly => f.finished_early,
            Self::FinishedOnTime => f.finished_on_time,
            Self::FinishedLate => f.finished_late,
            Self::OpenWithinTime => f.open_within_time,
            Self::OpenOverdue => f.open_overdue,
            Self::SupplementRequested => f.supplement_requested,
            Self::Refused => f.refused,
            Self::Withdrawn => f.withdrawn,
            Self::Stopped => f.stopped,
            Self::VerySatisfied => f.very_satisfied,
            Self::Satisfied => f.satisfied,
            Self::NotSatisfied => f.not_satisfied,
            Self::FeePaid => f.fee_paid,
            Self::FeePaidOnline => f.fee_paid_online,
        }
    }
}

/// A column of the report table and the CSV file: a counted figure (linked to its dossiers on
/// the dashboard) or a total or share derived from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Counted(Measure),
    Received,
    New,
    Finished,
    OnTimeShare,
    Open,
    OnlineShare,
    SatisfiedShare,
    PaidOnlineShare,
    /// Fees collected, in đồng.
    FeesCollected,
    FeesCollectedOnline,
}

pub const COLUMNS: [Column; 28] = [
    Column::Received,
    Column::Counted(Measure::CarriedOver),
    Column::New,
    Column::Counted(Measure::NewInPerson),
    Column::Counted(Measure::NewOnline),
    Column::Counted(Measure::NewPost),
    Column::OnlineShare,
    Column::Finished,
    Column::Counted(Measure::FinishedEarly),
    Column::Counted(Measure::FinishedOnTime),
    Column::Counted(Measure::FinishedLate),
    Column::OnTimeShare,
    Column::Open,
    Column::Counted(Measure::OpenWithinTime),
    Column::Counted(Measure::OpenOverdue),
    Column::Counted(Measure::SupplementRequested),
    Column::Counted(Measure::Refused),
    Column::Counted(Measure::Withdrawn),
    Column::Counted(Measure::Stopped),
    Column::Counted(Measure::VerySatisfied),
    Column::Counted(Measure::Satisfied),
    Column::Counted(Measure::NotSatisfied),
    Column::SatisfiedShare,
    Column::Counted(Measure::FeePaid),
    Column::Counted(Measure::FeePaidOnline),
    Column::PaidOnlineShare,
    Column::FeesCollected,
    Column::FeesCollectedOnline,
];

impl Column {
    /// The locale key of the column's heading, on the page and in the CSV file.
    pub fn key(self) -> String {
        let name = match self {
            Self::Counted(measure) => return format!("stats.measure.{}", measure.slug()),
            Self::Received => "received",
            Self::New => "new",
            Self::Finished => "finished",
            Self::OnTimeShare => "on_time_share",
            Self::Open => "open",
            Self::OnlineShare => "online_share",
            Self::SatisfiedShare => "satisfied_share",
            Self::PaidOnlineShare => "paid_online_share",
            Self::FeesCollected => "fees_collected",
            Self::FeesCollectedOnline => "fees_collected_online",
        };
        format!("stats.column.{name}")
    }

    pub fn value(self, f: &Figures) -> String {
        match self {
            Self::Counted(measure) => measure.of(f).to_string(),
            Self::Received => f.received().to_string(),
            Self::New => f.new_total().to_string(),
            Self::Finished => f.finished().to_string(),
            Self::Open => f.open().to_string(),
            Self::OnTimeShare => f.on_time_share().percent_text(),
            Self::OnlineShare => f.online_share().percent_text(),
            Self::SatisfiedShare => f.satisfied_share().percent_text(),
            Self::PaidOnlineShare => f.paid_online_share().percent_text(),
            Self::FeesCollected => group_thousands(f.fees_vnd.unsigned_abs()),
            Self::FeesCollectedOnline => group_thousands(f.fees_online_vnd.unsigned_abs()),
        }
    }
}

/// The report's filters as typed (URL query names in comments; a date also comes as its three
/// boxes, `tu.ngay`, `tu.thang`, `tu.nam`), kept to refill the form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsForm {
    /// `tu`
    pub from: String,
    /// `den`
    pub to: String,
    /// `co-quan`: an agency identifier.
    pub agency: String,
    /// `linh-vuc`: a field id.
    pub field: String,
    /// `thu-tuc`: a procedure code.
    pub procedure: String,
    /// `theo`: the slice's slug.
    pub slice: String,
}

impl StatsForm {
    pub fn from_pairs<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Self {
        let clip = |typed: &str| typed.trim().chars().take(60).collect::<String>();
        let value = |name: &str| clip(get(name).unwrap_or_default());
        // A date comes whole from a link, or as the form's three boxes.
        let date = |name: &str| clip(&crate::ui::date_in_query(name, &get));
        Self {
            from: date("tu"),
            to: date("den"),
            agency: value("co-quan"),
            field: value("linh-vuc"),
            procedure: value("thu-tuc"),
            slice: value("theo"),
        }
    }

    pub fn slice(&self) -> Slice {
        Slice::from_slug(&self.slice).unwrap_or_default()
    }

    /// The query string for these filters (for links and the CSV), with `extra` pairs.
    pub fn query(&self, extra: &[(&str, &str)]) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("tu", &self.from),
            ("den", &self.to),
            ("co-quan", &self.agency),
            ("linh-vuc", &self.field),
            ("thu-tuc", &self.procedure),
            ("theo", &self.slice),
        ] {
            if !value.is_empty() {
                query.append_pair(name, value);
            }
        }
        for (name, value) in extra {
            query.append_pair(name, value);
        }
        query.finish()
    }
}

/// One row: an agency's branch, a field, a procedure or a month, and the filters that narrow
/// the report to it (for the links to its dossiers).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatsRow {
    pub label: String,
    pub narrowed: StatsForm,
    pub figures: Figures,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatsReport {
    pub form: StatsForm,
    /// The input to fix and the message, when the filters could not be used.
    pub problem: Option<(String, crate::i18n::Text)>,
    pub period_label: String,
    pub report_date: String,
    /// The agency the figures are for (its branch; empty for all agencies), and the agencies
    /// one may choose.
    pub scope_name: String,
    pub agencies: Vec<(String, String)>,
    pub fields: Vec<(String, String)>,
    pub total: Figures,
    pub rows: Vec<StatsRow>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeskStats {
    pub staff: StaffView,
    pub report: StatsReport,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DrilledDossier {
    pub code: String,
    pub procedure_name: String,
    /// The stored status, shown through its locale text.
    pub status: String,
    pub received_at: String,
    pub due_date: String,
    pub finished_on: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DrillDown {
    pub staff: StaffView,
    pub measure: Measure,
    pub report: StatsReport,
    pub count: i64,
    pub dossiers: Vec<DrilledDossier>,
}

#[cfg(feature = "ssr")]
fn form_of(tu: String, den: String, co_quan: String, linh_vuc: String, thu_tuc: String, theo: String) -> StatsForm {
    let pairs =
        [("tu", tu), ("den", den), ("co-quan", co_quan), ("linh-vuc", linh_vuc), ("thu-tuc", thu_tuc), ("theo", theo)];
    StatsForm::from_pairs(|name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str()))
}
