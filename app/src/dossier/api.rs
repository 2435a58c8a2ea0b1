//! The server functions of this feature: authenticate, authorise, then hand over to the
//! feature's server side.

#[allow(unused_imports)]
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

/// Where upload forms post (the only route that accepts large bodies).
#[cfg(feature = "ssr")]
pub static UPLOAD_PATH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| <UploadDocument as leptos::server_fn::ServerFn>::PATH.to_owned());

#[server(endpoint = "nop-ho-so/thu-tuc", input = server_fn::codec::GetUrl)]
pub async fn load_start(code: String) -> Result<Option<StartInfo>, AppError> {
    let mut info = crate::state::with_db(move |pool| async move { db::start_info(&pool, &code).await }).await?;
    if let Some(needed) = info.as_mut().and_then(|i| i.national_identity.as_mut()) {
        *needed = flow::identity_needed().await?;
    }
    Ok(info)
}

#[server(endpoint = "nop-ho-so/bat-dau")]
pub async fn start_draft(code: String) -> Result<(), AppError> {
    flow::start_draft(code).await
}

/// Back from sign-in, the draft the citizen asked to start (see `flow::resume_start`).
#[server(endpoint = "nop-ho-so/tiep-tuc-bat-dau")]
pub async fn resume_start(code: String) -> Result<(), AppError> {
    flow::resume_start(code).await
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

#[server(endpoint = "ho-so-cua-toi/xoa-nhap")]
pub async fn delete_draft(draft: String) -> Result<(), AppError> {
    flow::delete_draft(draft).await
}

#[server(endpoint = "ho-so-cua-toi")]
pub async fn list_my_dossiers() -> Result<MyDossiers, AppError> {
    flow::my_dossiers().await
}

#[server(endpoint = "ho-so-cua-toi/bien-nhan")]
pub async fn dossier_receipt(code: String) -> Result<ReceiptView, AppError> {
    flow::dossier_receipt(code).await
}
