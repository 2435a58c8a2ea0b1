//! The server functions of this feature: authenticate, authorise, then hand over to the
//! feature's server side.

#[allow(unused_imports)]
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

/// Where result uploads post (a route that accepts large bodies).
#[cfg(feature = "ssr")]
pub static RESULT_UPLOAD_PATH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| <DeskResult as leptos::server_fn::ServerFn>::PATH.to_owned());

#[server(endpoint = "can-bo/dang-nhap")]
pub async fn staff_sign_in(username: String, password: String, tiep: Option<String>) -> Result<(), AppError> {
    flow::sign_in(username, password, tiep.unwrap_or_default()).await
}

#[server(endpoint = "can-bo/doi-mat-khau")]
pub async fn change_staff_password(current: String, new: String, repeated: String) -> Result<(), AppError> {
    flow::change_password(current, new, repeated).await
}

/// The second factor's code after the password (the session holds whose password it was).
#[server(endpoint = "can-bo/xac-thuc")]
pub async fn staff_code(ma: String, tiep: Option<String>) -> Result<(), AppError> {
    second_factor::code_at_sign_in(ma, tiep.unwrap_or_default()).await
}

#[server(endpoint = "can-bo/hai-buoc/trang")]
pub async fn load_second_factor() -> Result<SecondFactorView, AppError> {
    second_factor::settings().await
}

/// `viec`: "bat" (turn on with the first code), "ma-moi" (new recovery codes), "tat" (off).
#[server(endpoint = "can-bo/hai-buoc")]
pub async fn change_second_factor(viec: String, ma: String) -> Result<(), AppError> {
    second_factor::change(viec, ma).await
}

/// The signed-in officer's name, or `None`; the forced password change page needs no more.
#[server(endpoint = "can-bo/toi")]
pub async fn signed_in_staff() -> Result<Option<String>, AppError> {
    Ok(crate::auth::staff::current_staff().await?.map(|s| s.full_name))
}

#[server(endpoint = "can-bo/hang-doi")]
pub async fn load_desk_home(
    hang: Option<String>,
    q: Option<String>,
    xep: Option<String>,
    trang: Option<String>,
) -> Result<DeskHome, AppError> {
    flow::home(hang, q, xep, trang).await
}

/// The agency's dossier register for a period (`tu`, `den`; this month when blank).
#[server(endpoint = "can-bo/so-theo-doi")]
pub async fn load_register(tu: Option<String>, den: Option<String>) -> Result<RegisterView, AppError> {
    let staff = crate::auth::staff::require_staff().await?;
    if !register::may_read(&staff) {
        return Err(AppError::Forbidden);
    }
    let (first, last) = (tu.unwrap_or_default(), den.unwrap_or_default());
    crate::state::with_db(move |pool| async move { register::view(&pool, &staff, &first, &last).await }).await
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
    truong_hop: Option<String>,
    xac_nhan: Option<String>,
    ngay: Option<BTreeMap<String, String>>,
) -> Result<(), AppError> {
    // A date comes whole (`han_buoc=2026-03-05`) or as the page's three boxes
    // (`ngay[han_buoc.ngay]=5`, `.thang`, `.nam`).
    let boxes = ngay.unwrap_or_default();
    let date = |whole: Option<String>, name: &str| {
        whole.or_else(|| crate::domain::application_form::date_answer(name, &boxes)).unwrap_or_default()
    };
    let form = crate::domain::command::ActionForm {
        action: thao_tac,
        reason: ly_do.unwrap_or_default(),
        documents: giay_to.as_ref().map(crate::domain::command::ticked).unwrap_or_default(),
        agency: co_quan.unwrap_or_default(),
        step_due: date(han_buoc, "han_buoc"),
        amount: so_tien.unwrap_or_default(),
        delivery: hinh_thuc.unwrap_or_default(),
        address: dia_chi.unwrap_or_default(),
        tracking: ma_buu_gui.unwrap_or_default(),
        new_date: date(ngay_hen_moi, "ngay_hen_moi"),
        case: truong_hop.unwrap_or_default(),
        confirmed: xac_nhan.is_some(),
    };
    flow::act(ma, form).await
}

#[server(endpoint = "can-bo/nop-thay/trang")]
pub async fn load_assist_page() -> Result<AssistView, AppError> {
    flow::assist_page().await
}

/// Starts a dossier at the counter for the citizen with this phone number, once the officer
/// confirms (`doi_chieu`) they checked the citizen's identity papers; `cach_nhan` "buu-chinh"
/// enters one that came by post instead.
#[server(endpoint = "can-bo/nop-thay")]
pub async fn start_assisted(
    so_dien_thoai: String,
    thu_tuc: String,
    cach_nhan: Option<String>,
    doi_chieu: Option<String>,
) -> Result<(), AppError> {
    let by_post = cach_nhan.as_deref() == Some(flow::POST_RECEIPT);
    flow::start_assisted(so_dien_thoai, thu_tuc, by_post, doi_chieu.as_deref() == Some("co")).await
}

/// "Đã có kết quả" with the result document (a photo or PDF), as multipart.
#[server(endpoint = "can-bo/ket-qua", input = server_fn::codec::MultipartFormData)]
pub async fn desk_result(data: server_fn::codec::MultipartData) -> Result<(), AppError> {
    flow::result_ready(data).await
}
