//! Online submission ("nộp hồ sơ trực tuyến"): a signed-in citizen answers a procedure's
//! application form one page at a time (saved on the server at every step), attaches photos of
//! the required documents, checks the answers, declares them true and submits; the receipt
//! shows the dossier code and the due date. Every page is a plain form: no script needed.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod email;
#[cfg(feature = "ssr")]
pub mod files;
pub mod pages;
#[cfg(feature = "ssr")]
mod pdf_check;
#[cfg(feature = "ssr")]
mod pdf_preview;
pub mod rating;

/// Open drafts a citizen may keep at once (they go 30 days after the last change).
pub const MAX_OPEN_DRAFTS: i64 = 20;
#[cfg(feature = "ssr")]
pub mod storage;
#[cfg(feature = "ssr")]
pub mod upload;

use crate::domain::application_form::{parse_date, Answers, FieldError, FormPage, Question, QuestionKind};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DraftStep {
    pub draft_id: String,
    pub procedure_code: String,
    pub procedure_name: String,
    /// Every step, in order, the check step last.
    pub steps: Vec<StepLink>,
    pub index: usize,
    pub body: StepBody,
    pub submitted_code: Option<String>,
    /// What the desk asked for, during a supplement round.
    pub supplement_note: Option<String>,
    /// An officer fills it in at the counter.
    pub at_counter: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AgencyChoice {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum StepBody {
    Agency {
        options: Vec<AgencyChoice>,
        chosen: Option<i64>,
        missing: bool,
    },
    Questions {
        page: FormPage,
        answers: Answers,
        communes: Vec<(String, String)>,
        errors: Vec<FieldError>,
        /// The questions whose answer is the one the national digital identity asserts.
        from_identity: Vec<String>,
    },
    Document {
        page: FormPage,
        document_name: String,
        files: Vec<FileView>,
        error: Option<String>,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileView {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckView {
    pub draft_id: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub sections: Vec<CheckSection>,
    /// Steps still missing an answer, with the first message.
    pub incomplete: Vec<(StepLink, String)>,
    /// What the dossier costs, for the case and copies chosen (none in a supplement round).
    pub fee: Option<crate::domain::fee::FeeDue>,
    pub submitted_code: Option<String>,
    /// What the desk asked for, during a supplement round.
    pub supplement_note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckSection {
    pub step: StepLink,
    pub rows: Vec<CheckRow>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckRow {
    pub label: String,
    /// The answer as shown; empty when not given.
    pub value: String,
    /// What an empty answer says: a question not answered, or a document not sent.
    pub missing: String,
    /// The answer is the one the national digital identity asserts.
    pub from_identity: bool,
}

impl CheckRow {
    pub fn new(label: String, value: String) -> Self {
        Self { label, value, missing: "dossier.not_answered".into(), from_identity: false }
    }

    /// The row of a question; a document question with no file says "not sent".
    pub fn of(q: &Question, value: String) -> Self {
        let missing =
            if matches!(q.kind, QuestionKind::Document { .. }) { "dossier.not_sent" } else { "dossier.not_answered" };
        Self { label: q.label.clone(), value, missing: missing.into(), from_identity: false }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DraftSummary {
    pub id: String,
    pub procedure_code: String,
    pub procedure_name: String,
    /// Whom it is for, once the applicant's name is given.
    pub applicant_name: Option<String>,
    pub updated_at: String,
    pub kept_until: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DossierSummary {
    pub code: String,
    pub procedure_name: String,
    pub status: String,
    pub received_at: String,
    pub due_date: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MyDossiers {
    pub drafts: Vec<DraftSummary>,
    pub dossiers: Vec<DossierSummary>,
    /// Where notices also go by e-mail.
    pub email: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: String,
    pub status: String,
    pub actor: String,
    /// The reason given (refusal, supplement, stop, apology).
    pub note: Option<String>,
}

/// The desk's open request, as the applicant reads it on their dossier.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SupplementRequest {
    pub note: String,
    pub documents: Vec<String>,
    /// The first step to open.
    pub start_url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReceiptView {
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub receiving_agency: String,
    pub handling_agency: String,
    pub applicant_name: String,
    /// When it was received, in Vietnam time: the hour and the date.
    pub received_time: String,
    pub received_date: String,
    /// Until intake accepts it: by when the dossier should be checked (no appointment yet).
    pub check_by: Option<String>,
    pub due_date: String,
    pub status: String,
    pub file_count: i32,
    pub result: String,
    pub timeline: Vec<TimelineEntry>,
    pub supplement: Option<SupplementRequest>,
    /// The new appointment after an approved apology.
    pub promised_date: Option<String>,
    /// Where the digital copy of the result can be downloaded (fully online procedures).
    pub result_url: Option<String>,
    /// QR code of the dossier's tracking address, as inline SVG.
    pub qr_svg: String,
    /// The satisfaction level the applicant gave at hand-over, if any.
    pub rating: Option<String>,
    /// Once intake accepted it: the receipt and appointment slip.
    pub slip: Option<crate::filed::ReceiptSlip>,
    /// The fee payable online now and the fees paid online.
    pub fees: crate::filed::DossierFees,
}

/// An answer as the check page and the desk show it. `communes`: (identifier, name).
pub fn shown_answer(q: &Question, answers: &Answers, communes: &[(String, String)], file_count: usize) -> String {
    let value = |key: &str| answers.get(key).cloned().unwrap_or_default();
    match q.kind {
        QuestionKind::Address => {
            let commune = value(&q.commune_key());
            let commune =
                communes.iter().find(|(id, _)| *id == commune).map(|(_, name)| name.clone()).unwrap_or_default();
            [value(&q.street_key()), commune].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ")
        }
        QuestionKind::Date { .. } => {
            let raw = value(&q.id);
            parse_date(&raw).map_or(raw, |d| d.format("%d/%m/%Y").to_string())
        }
        QuestionKind::Document { .. } if file_count == 0 => String::new(),
        QuestionKind::Document { .. } => crate::i18n::tr_with("dossier.file_count", &[("n", &file_count.to_string())]),
        _ => value(&q.id),
    }
}

/// The filing's confirmation as a short SMS (unaccented, as most phones receive SMS best): a
/// dossier received at once has its due date; one sent online awaits intake, which gives the
/// appointment when it accepts.
#[cfg(feature = "ssr")]
pub fn receipt_sms(code: &str, procedure_code: &str, due: Option<chrono::NaiveDate>, public_origin: &str) -> String {
    let text = match due {
        Some(due) => crate::i18n::Text::new("sms.receipt").with("due", due.format("%d/%m/%Y").to_string()),
        None => crate::i18n::Text::new("sms.sent"),
    };
    text.with("code", code)
        .with("procedure", procedure_code)
        .with("link", format!("{public_origin}{}", crate::routes::tracking_url(code)))
        .vi()
}

/// A procedure as the start page of filing shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StartInfo {
    pub code: String,
    pub name: String,
    /// Offered online at all (partly or fully).
    pub online: bool,
    /// This portal has its application form.
    pub has_form: bool,
    /// The documents the form asks to upload (the form itself replaces the paper declaration).
    pub uploads: Vec<String>,
    /// The documents only shown in original at the desk.
    pub to_show: Vec<String>,
    /// The agencies that take it, for where to file instead.
    pub offered_by: Vec<String>,
    /// Filed online only after sign-in with the national digital identity: where the visitor is.
    pub national_identity: Option<IdentityNeeded>,
}

/// For a procedure filed online only after sign-in with the national digital identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdentityNeeded {
    /// The visitor is signed in with it: they may start.
    SignedIn,
    NotSignedIn,
    /// The portal is not connected to an identity provider: online filing is closed.
    Unavailable,
}

#[cfg(feature = "ssr")]
mod flow;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepLink {
    pub id: String,
    pub title: String,
}
