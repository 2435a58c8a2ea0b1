//! The server functions of this feature: authenticate, authorise, then hand over to the
//! feature's server side.

#[allow(unused_imports)]
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "thong-ke")]
pub async fn load_public_stats(
    tu: String,
    den: String,
    co_quan: String,
    linh_vuc: String,
    thu_tuc: String,
    theo: String,
) -> Result<StatsReport, AppError> {
    flow::public_report(form_of(tu, den, co_quan, linh_vuc, thu_tuc, theo)).await
}

#[server(endpoint = "can-bo/thong-ke")]
pub async fn load_desk_stats(
    tu: String,
    den: String,
    co_quan: String,
    linh_vuc: String,
    thu_tuc: String,
    theo: String,
) -> Result<DeskStats, AppError> {
    flow::desk_report(form_of(tu, den, co_quan, linh_vuc, thu_tuc, theo)).await
}

#[allow(clippy::too_many_arguments)]
#[server(endpoint = "can-bo/thong-ke/ho-so")]
pub async fn load_stats_dossiers(
    tu: String,
    den: String,
    co_quan: String,
    linh_vuc: String,
    thu_tuc: String,
    chi_so: String,
) -> Result<DrillDown, AppError> {
    let measure = Measure::from_slug(&chi_so).ok_or_else(|| AppError::NotFound("chỉ số".into()))?;
    flow::drill_down(form_of(tu, den, co_quan, linh_vuc, thu_tuc, String::new()), measure).await
}
