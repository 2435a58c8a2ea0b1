//! The officer desk (`/can-bo`): staff sign in with a password, work their agency's queues,
//! and move dossiers through the status machine; every change lands in the append-only audit
//! trail and tells the citizen by SMS in the same transaction. Plain forms throughout.

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
mod flow;
pub(crate) mod pages;

pub use pages::{
    AssistPage, ChangePasswordPage, ControlSheetPage, DeskDossierPage, DeskHomePage, NoticePage, StaffSignInPage,
};

use crate::auth::StaffView;
use crate::domain::command::Problems;
use crate::domain::dossier_status::Action;
use crate::error::AppError;
use crate::filed::AuditEntry;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where result uploads post (a route that accepts large bodies).
#[cfg(feature = "ssr")]
pub static RESULT_UPLOAD_PATH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| <DeskResult as leptos::server_fn::ServerFn>::PATH.to_owned());

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Queue {
    New,
    InProgress,
    Supplement,
    DueSoon,
    Overdue,
    ToReturn,
    Returned,
    /// Late apologies waiting for a leader.
    ApologyPending,
}

pub const ALL_QUEUES: [Queue; 8] = [
    Queue::New,
    Queue::InProgress,
    Queue::Supplement,
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

    pub fn label(self) -> &'static str {
        match self {
            Self::New => "Mới nộp trực tuyến, cần kiểm tra",
            Self::InProgress => "Đang xử lý",
            Self::Supplement => "Chờ công dân bổ sung",
            Self::DueSoon => "Đến hạn trong 1 ngày",
            Self::Overdue => "Quá hạn",
            Self::ToReturn => "Chờ trả kết quả",
            Self::Returned => "Đã trả kết quả",
            Self::ApologyPending => "Thư xin lỗi chờ lãnh đạo duyệt",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QueueRow {
    pub code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    pub status_label: String,
    pub due_date: String,
    pub overdue: bool,
    pub received_at: String,
    pub in_person: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeskHome {
    pub staff: StaffView,
    pub counts: Vec<(Queue, i64)>,
    /// The queue shown, or `None` for search results.
    pub queue: Option<Queue>,
    pub search: String,
    pub rows: Vec<QueueRow>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeskFile {
    pub id: String,
    pub document: String,
    pub label: String,
    pub added_in_supplement: bool,
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
    pub delivery: String,
}

/// What the last action on this page said: done, or the form back with its problems.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Flash {
    pub code: String,
    pub done: Option<String>,
    pub form: crate::domain::command::ActionForm,
    pub problems: Problems,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeskDossier {
    pub staff: StaffView,
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub status: String,
    pub status_label: String,
    pub in_person: bool,
    pub applicant_name: String,
    pub phone: String,
    pub received_at: String,
    pub accepted_at: Option<String>,
    pub due_date: String,
    pub promised_date: Option<String>,
    pub step_due: Option<String>,
    pub receiving_agency: String,
    pub handling_agency: String,
    pub assisted_by: Option<String>,
    /// Section title and (question, answer) rows.
    pub answers: Vec<(String, Vec<(String, String)>)>,
    pub files: Vec<DeskFile>,
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

#[server(endpoint = "can-bo/dang-nhap")]
pub async fn staff_sign_in(username: String, password: String, tiep: Option<String>) -> Result<(), AppError> {
    flow::sign_in(username, password, tiep.unwrap_or_default()).await
}

#[server(endpoint = "can-bo/doi-mat-khau")]
pub async fn change_staff_password(current: String, new: String, repeated: String) -> Result<(), AppError> {
    flow::change_password(current, new, repeated).await
}

/// The signed-in officer's name, or `None`; the forced password change page needs no more.
#[server(endpoint = "can-bo/toi")]
pub async fn signed_in_staff() -> Result<Option<String>, AppError> {
    Ok(crate::auth::staff::current_staff().await?.map(|s| s.full_name))
}

#[server(endpoint = "can-bo/hang-doi")]
pub async fn load_desk_home(hang: Option<String>, q: Option<String>) -> Result<DeskHome, AppError> {
    flow::home(hang, q).await
}

/// `with_flash`: show (and forget) what the last action said.
#[server(endpoint = "can-bo/ho-so")]
pub async fn load_desk_dossier(code: String, with_flash: bool) -> Result<DeskDossier, AppError> {
    flow::dossier(code, with_flash).await
}

/// Takes one action on a dossier. Checkbox names carry the document ids: `giay_to[id]=on`.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "can-bo/thao-tac")]
pub async fn desk_act(
    ma: String,
    thao_tac: String,
    ly_do: Option<String>,
    giay_to: Option<BTreeMap<String, String>>,
    co_quan: Option<String>,
    han_buoc: Option<String>,
    so_tien: Option<String>,
    hinh_thuc: Option<String>,
    dia_chi: Option<String>,
    ma_buu_gui: Option<String>,
    ngay_hen_moi: Option<String>,
) -> Result<(), AppError> {
    let form = crate::domain::command::ActionForm {
        action: thao_tac,
        reason: ly_do.unwrap_or_default(),
        documents: giay_to.as_ref().map(crate::domain::command::ticked).unwrap_or_default(),
        agency: co_quan.unwrap_or_default(),
        step_due: han_buoc.unwrap_or_default(),
        amount: so_tien.unwrap_or_default(),
        delivery: hinh_thuc.unwrap_or_default(),
        address: dia_chi.unwrap_or_default(),
        tracking: ma_buu_gui.unwrap_or_default(),
        new_date: ngay_hen_moi.unwrap_or_default(),
    };
    flow::act(ma, form, None).await
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AssistView {
    pub staff: StaffView,
    /// (code, name) of procedures with an application form.
    pub procedures: Vec<(String, String)>,
    pub drafts: Vec<crate::dossier::DraftSummary>,
}

#[server(endpoint = "can-bo/nop-thay/trang")]
pub async fn load_assist_page() -> Result<AssistView, AppError> {
    flow::assist_page().await
}

/// Starts a dossier at the counter for the citizen with this phone number.
#[server(endpoint = "can-bo/nop-thay")]
pub async fn start_assisted(so_dien_thoai: String, thu_tuc: String) -> Result<(), AppError> {
    flow::start_assisted(so_dien_thoai, thu_tuc).await
}

/// "Đã có kết quả" with the result document (a photo or PDF), as multipart.
#[server(endpoint = "can-bo/ket-qua", input = server_fn::codec::MultipartFormData)]
pub async fn desk_result(data: server_fn::codec::MultipartData) -> Result<(), AppError> {
    flow::result_ready(data).await
}
