//! The server functions of this feature: authenticate, authorise, then hand over to the
//! feature's server side.

#[allow(unused_imports)]
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

/// Where catalog files post (a route that accepts large bodies).
#[cfg(feature = "ssr")]
pub static CATALOG_UPLOAD_PATH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| <ImportCatalogFile as leptos::server_fn::ServerFn>::PATH.to_owned());

/// One admin page's data; `page`: "can-bo", "co-quan", "lich" or "thu-tuc".
#[server(endpoint = "quan-tri/trang")]
pub async fn load_admin(page: String, year: Option<i32>) -> Result<AdminView, AppError> {
    flow::load(page, year).await
}

#[server(endpoint = "quan-tri/can-bo/tao")]
pub async fn create_staff(
    ten_dang_nhap: String,
    ho_ten: String,
    co_quan: String,
    vai_tro: Option<BTreeMap<String, String>>,
) -> Result<(), AppError> {
    flow::create_staff(ten_dang_nhap, ho_ten, co_quan, vai_tro.unwrap_or_default()).await
}

/// `viec`: "khoa" (disable), "mo" (enable), "mat-khau" (temporary password), "hai-buoc"
/// (remove the second factor of a lost phone; it is set up again at the next sign-in).
#[server(endpoint = "quan-tri/can-bo/sua")]
pub async fn change_staff(id: String, viec: String) -> Result<(), AppError> {
    flow::change_staff(id, viec).await
}

#[server(endpoint = "quan-tri/co-quan/sua")]
pub async fn edit_agency(id: String, ten: String, dia_chi: String, duong_day_nong: String) -> Result<(), AppError> {
    flow::edit_agency(id, ten, dia_chi, duong_day_nong).await
}

/// `viec`: "luu" (add or change the day) or "xoa" (remove it). The day comes whole (`ngay`)
/// or as the form's three boxes (`o_ngay[ngay.ngay]`, `.thang`, `.nam`).
#[server(endpoint = "quan-tri/lich/sua")]
pub async fn edit_calendar(
    ngay: Option<String>,
    o_ngay: Option<BTreeMap<String, String>>,
    loai: Option<String>,
    ten: Option<String>,
    ghi_chu: Option<String>,
    viec: String,
) -> Result<(), AppError> {
    let boxes = o_ngay.unwrap_or_default();
    let day = ngay.or_else(|| crate::domain::application_form::date_answer("ngay", &boxes)).unwrap_or_default();
    flow::edit_calendar(day, loai, ten.unwrap_or_default(), ghi_chu.unwrap_or_default(), viec).await
}

/// A catalog file (JSON, format in the README) with new procedure versions.
#[server(endpoint = "quan-tri/thu-tuc/nap", input = server_fn::codec::MultipartFormData)]
pub async fn import_catalog_file(data: server_fn::codec::MultipartData) -> Result<(), AppError> {
    flow::import_catalog_file(data).await
}
