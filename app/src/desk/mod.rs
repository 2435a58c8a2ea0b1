//! The officer desk (`/can-bo`): staff sign in with a password, work their agency's queues,
//! and move dossiers through the status machine; every change lands in the append-only audit
//! trail and tells the citizen by SMS in the same transaction. Plain forms throughout.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
mod flow;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod register;
#[cfg(feature = "ssr")]
mod second_factor;

use crate::auth::StaffView;
use crate::domain::command::Problems;
use crate::domain::dossier_status::Action;
use crate::filed::AuditEntry;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const ALL_QUEUES: [Queue; 10] = [
    Queue::New,
    Queue::InProgress,
    Queue::Supplement,
    Queue::FeeOwed,
    Queue::PaidOnline,
    Queue::DueSoon,
    Queue::Overdue,
    Queue::ToReturn,
    Queue::Returned,
    Queue::ApologyPending,
];

impl Queue {
    pub fn slug(self) -> &'static str {
        match self {
            Self::New => "moi",
            Self::InProgress => "dang-xu-ly",
            Self::Supplement => "cho-bo-sung",
            Self::FeeOwed => "cho-nop-phi",
            Self::PaidOnline => "da-nop-phi-truc-tuyen",
            Self::DueSoon => "sap-den-han",
            Self::Overdue => "qua-han",
            Self::ToReturn => "cho-tra",
            Self::Returned => "da-tra",
            Self::ApologyPending => "xin-loi-cho-duyet",
        }
    }

    pub fn from_slug(raw: &str) -> Option<Self> {
        ALL_QUEUES.into_iter().find(|q| q.slug() == raw)
    }
}

/// The second factor's settings page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SecondFactorView {
    pub staff: StaffView,
    /// The role needs it (leaders and administrators): it cannot be turned off.
    pub required: bool,
    pub active: bool,
    /// While not active: the QR code for the app and the secret to type instead.
    pub qr_svg: String,
    pub typed_secret: String,
    pub recovery_codes_left: i64,
    /// Recovery codes just made, shown this once.
    pub new_codes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QueueRow {
    pub code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    /// The stored status, shown through its locale text.
    pub status: String,
    pub due_date: String,
    pub overdue: bool,
    pub received_at: String,
    /// "online", "in_person" or "post".
    pub channel: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeskHome {
    pub staff: StaffView,
    pub counts: Vec<(Queue, i64)>,
    /// The queue shown, or `None` for search results.
    pub queue: Option<Queue>,
    pub search: String,
    pub order: QueueOrder,
    /// The page shown (from 1) of `total` dossiers, `PAGE_SIZE` a page.
    pub page: i64,
    pub total: i64,
    pub rows: Vec<QueueRow>,
}

impl DeskHome {
    pub fn pages(&self) -> i64 {
        ((self.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeskFile {
    pub id: String,
    pub document: String,
    pub label: crate::i18n::Text,
    pub added_in_supplement: bool,
    /// What the desk shows of the file at a glance: the photo itself, or a PDF's first page.
    pub preview_url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SupplementView {
    pub requested_at: String,
    pub documents: Vec<String>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApologyView {
    pub new_date: String,
    pub reason: String,
    pub proposed_by: String,
    pub approved: bool,
}

/// A message to the applicant about the dossier and whether it reached them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MessageView {
    pub at: String,
    pub body: String,
    pub delivery: crate::i18n::Text,
}

/// What the last action on this page said: done, or the form back with its problems.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Flash {
    pub code: String,
    pub done: Option<crate::i18n::Text>,
    pub form: crate::domain::command::ActionForm,
    pub problems: Problems,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeskDossier {
    pub staff: StaffView,
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    /// The stored status, shown through its locale text.
    pub status: String,
    /// "online", "in_person" or "post".
    pub channel: String,
    pub applicant_name: String,
    pub phone: String,
    /// How the applicant was identified at filing: "so-dien-thoai", "dinh-danh" or "tai-quay".
    pub identified_by: String,
    pub received_at: String,
    pub accepted_at: Option<String>,
    pub due_date: String,
    pub promised_date: Option<String>,
    pub step_due: Option<String>,
    pub receiving_agency: String,
    pub handling_agency: String,
    pub assisted_by: Option<String>,
    /// The case the applicant chose, for a procedure with cases.
    pub case: Option<String>,
    pub case_no: Option<i16>,
    /// The procedure's case names, case n at `n - 1` (empty without cases).
    pub cases: Vec<String>,
    /// How the applicant asked to receive the result (the return form's slug) and the post
    /// address, where the form asked.
    pub delivery: Option<(String, String)>,
    /// What the applicant pays, for the channel, case and copies of the dossier.
    pub fee: crate::domain::fee::FeeDue,
    /// What is payable online now and what was paid online, with receipts.
    pub payments: crate::filed::DossierFees,
    /// Once accepted: the receipt and appointment slip's content.
    pub slip: Option<crate::filed::ReceiptSlip>,
    /// Section title and (question, answer) rows.
    pub answers: Vec<(String, Vec<(String, String)>)>,
    pub files: Vec<DeskFile>,
    /// Codes of likely duplicates: the same applicant filed this procedure within 30 days.
    pub duplicates: Vec<String>,
    pub has_result: bool,
    pub supplement: Option<SupplementView>,
    pub apology: Option<ApologyView>,
    pub actions: Vec<Action>,
    /// Document questions (id, name), for a supplement request.
    pub documents: Vec<(String, String)>,
    /// Agencies a dossier can be forwarded to (id, name).
    pub agencies: Vec<(i64, String)>,
    pub timeline: Vec<AuditEntry>,
    pub messages: Vec<MessageView>,
    /// The applicant's satisfaction rating, once given.
    pub rating: Option<String>,
    pub flash: Option<Flash>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AssistView {
    pub staff: StaffView,
    /// (code, name) of procedures with an application form.
    pub procedures: Vec<(String, String)>,
    pub drafts: Vec<crate::dossier::DraftSummary>,
}

/// The register's columns, in the order of the page and the CSV.
pub const REGISTER_COLUMNS: [&str; 14] = [
    "number",
    "code",
    "procedure",
    "applicant",
    "channel",
    "handling",
    "received",
    "accepted",
    "due",
    "promised",
    "finished",
    "returned",
    "status",
    "timeliness",
];

/// One line of the dossier register (`register::rows`); times and dates in Vietnam time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterRow {
    pub code: String,
    pub procedure: String,
    pub applicant: String,
    pub channel: crate::i18n::Text,
    pub handling_agency: String,
    pub received: String,
    pub accepted: Option<String>,
    pub due: Option<String>,
    pub promised: Option<String>,
    pub finished: Option<String>,
    pub returned: Option<String>,
    pub status: crate::i18n::Text,
    pub timeliness: Option<crate::i18n::Text>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegisterView {
    pub staff: StaffView,
    /// The period as typed back into the form, and as the heading shows it.
    pub first: String,
    pub last: String,
    pub label: String,
    /// The field and message of a period that cannot be read.
    pub problem: Option<(String, crate::i18n::Text)>,
    pub rows: Vec<RegisterRow>,
    /// More dossiers than the page shows; the CSV has them all.
    pub cut: bool,
}

/// Dossiers on one page of a queue or of search results.
pub const PAGE_SIZE: i64 = 50;

/// How a queue is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueueOrder {
    /// Nearest (effective) due date first; for returned dossiers, the last returned first.
    Due,
    Newest,
    Oldest,
}

impl QueueOrder {
    pub const ALL: [QueueOrder; 3] = [QueueOrder::Due, QueueOrder::Newest, QueueOrder::Oldest];

    pub fn slug(self) -> &'static str {
        match self {
            QueueOrder::Due => "han",
            QueueOrder::Newest => "moi-nhat",
            QueueOrder::Oldest => "cu-nhat",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.slug() == slug)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Queue {
    New,
    InProgress,
    Supplement,
    /// Waiting for the fees the desk asked for.
    FeeOwed,
    /// Still open, with a fee paid online.
    PaidOnline,
    DueSoon,
    Overdue,
    ToReturn,
    Returned,
    /// Late apologies waiting for a leader.
    ApologyPending,
}
