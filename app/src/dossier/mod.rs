//! Online submission ("nộp hồ sơ trực tuyến"): a signed-in citizen answers a procedure's
//! application form one page at a time (saved on the server at every step), attaches photos of
//! the required documents, checks the answers, declares them true and submits; the receipt
//! shows the dossier code and the due date. Every page is a plain form: no script needed.

#[cfg(feature = "ssr")]
pub mod db;
mod email;
#[cfg(feature = "ssr")]
pub mod files;
mod pages;
pub mod rating;
#[cfg(feature = "ssr")]
pub mod storage;
#[cfg(feature = "ssr")]
pub mod upload;

pub use pages::{DraftStepPage, MyDossiersPage, ReceiptPage, StartPage};

use crate::domain::application_form::{parse_date, Answers, FieldError, FormPage, Question, QuestionKind};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Where upload forms post (the only route that accepts large bodies).
#[cfg(feature = "ssr")]
pub static UPLOAD_PATH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| <UploadDocument as leptos::server_fn::ServerFn>::PATH.to_owned());

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepLink {
    pub id: String,
    pub title: String,
}

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
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AgencyChoice {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum StepBody {
    Agency { options: Vec<AgencyChoice>, chosen: Option<i64>, missing: bool },
    Questions { page: FormPage, answers: Answers, communes: Vec<(String, String)>, errors: Vec<FieldError> },
    Document { page: FormPage, document_name: String, files: Vec<FileView>, error: Option<String> },
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
    pub submitted_code: Option<String>,
    /// What the desk asked for, during a supplement round.
    pub supplement_note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckSection {
    pub step: StepLink,
    /// Question label and the answer as shown.
    pub rows: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DraftSummary {
    pub id: String,
    pub procedure_code: String,
    pub procedure_name: String,
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
    pub received_at: String,
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
        QuestionKind::Document { .. } => format!("{file_count} tệp"),
        _ => value(&q.id),
    }
}

/// The receipt's facts as a short SMS (unaccented, as most phones receive SMS best).
#[cfg(feature = "ssr")]
pub fn receipt_sms(code: &str, procedure_code: &str, due: chrono::NaiveDate, public_origin: &str) -> String {
    format!(
        "Mot Cua: da nhan ho so {code} (thu tuc {procedure_code}). Hen tra ket qua ngay {}. Xem: {public_origin}{}",
        due.format("%d/%m/%Y"),
        crate::routes::tracking_url(code)
    )
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
    /// The documents to have at hand (not those only shown at the desk).
    pub documents: Vec<String>,
    /// The agencies that take it, for where to file instead.
    pub offered_by: Vec<String>,
}

#[server(endpoint = "nop-ho-so/thu-tuc", input = server_fn::codec::GetUrl)]
pub async fn load_start(code: String) -> Result<Option<StartInfo>, AppError> {
    crate::state::with_db(move |pool| async move { db::start_info(&pool, &code).await }).await
}

#[server(endpoint = "nop-ho-so/bat-dau")]
pub async fn start_draft(code: String) -> Result<(), AppError> {
    flow::start_draft(code).await
}

#[server(endpoint = "nop-ho-so/buoc")]
pub async fn load_draft_step(
    draft: String,
    step: String,
    show_errors: bool,
    upload: Option<String>,
) -> Result<DraftStep, AppError> {
    flow::draft_step(draft, step, show_errors, upload).await
}

/// Saves a page's answers. `di`: "tiep" (check and go on), "luu" (save and leave).
#[server(endpoint = "nop-ho-so/luu")]
pub async fn save_step(
    draft: String,
    step: String,
    answers: Option<HashMap<String, String>>,
    agency: Option<String>,
    di: Option<String>,
    tu: Option<String>,
) -> Result<(), AppError> {
    flow::save_step(draft, step, answers.unwrap_or_default(), agency, di, tu).await
}

#[server(endpoint = "nop-ho-so/tai-len", input = server_fn::codec::MultipartFormData)]
pub async fn upload_document(data: server_fn::codec::MultipartData) -> Result<(), AppError> {
    flow::upload_document(data).await
}

#[server(endpoint = "nop-ho-so/xoa-tep")]
pub async fn remove_document(draft: String, step: String, file: String) -> Result<(), AppError> {
    flow::remove_document(draft, step, file).await
}

#[server(endpoint = "nop-ho-so/kiem-tra")]
pub async fn check_answers(draft: String) -> Result<CheckView, AppError> {
    flow::check_answers(draft).await
}

#[server(endpoint = "nop-ho-so/nop")]
pub async fn submit_dossier(draft: String, cam_doan: Option<String>) -> Result<(), AppError> {
    flow::submit_dossier(draft, cam_doan.is_some()).await
}

#[server(endpoint = "nop-ho-so/bo-sung")]
pub async fn submit_supplement(draft: String) -> Result<(), AppError> {
    flow::submit_supplement(draft).await
}

#[server(endpoint = "ho-so-cua-toi")]
pub async fn list_my_dossiers() -> Result<MyDossiers, AppError> {
    flow::my_dossiers().await
}

#[server(endpoint = "ho-so-cua-toi/bien-nhan")]
pub async fn dossier_receipt(code: String) -> Result<ReceiptView, AppError> {
    flow::dossier_receipt(code).await
}

#[cfg(feature = "ssr")]
mod flow;
#[cfg(feature = "ssr")]
pub use flow::public_origin;
