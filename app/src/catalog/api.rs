//! The server functions of this feature: authenticate, authorise, then hand over to the
//! feature's server side.

#[allow(unused_imports)]
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "thu-tuc/quan-tam", input = server_fn::codec::GetUrl)]
pub async fn popular_procedures() -> Result<Vec<ProcedureSummary>, AppError> {
    crate::state::with_db(|pool| async move { db::popular_procedures(&pool).await }).await
}

#[server(endpoint = "thu-tuc/tim-kiem", input = server_fn::codec::GetUrl)]
pub async fn search_catalog(query: String, filter: CatalogFilter) -> Result<SearchResults, AppError> {
    let query = crate::domain::search::SearchQuery::parse(&query);
    let filter = CatalogFilter { page: filter.page.max(1), ..filter };
    let vocabulary = memos().vocabulary.get_or_load(|pool| async move { db::vocabulary(&pool).await }).await?;
    crate::state::with_db(
        |pool| async move { db::search_with(&pool, &vocabulary, query.as_ref(), &filter, PER_PAGE).await },
    )
    .await
}

#[server(endpoint = "thu-tuc/bo-loc", input = server_fn::codec::GetUrl)]
pub async fn catalog_facets() -> Result<Facets, AppError> {
    memos().facets.get_or_load(|pool| async move { db::facets(&pool).await }).await
}

#[cfg(feature = "ssr")]
fn memos() -> CatalogMemos {
    use_context::<CatalogMemos>().unwrap_or_default()
}

#[server(endpoint = "thu-tuc/chi-tiet", input = server_fn::codec::GetUrl)]
pub async fn get_procedure(code: String) -> Result<Option<ProcedureDetail>, AppError> {
    let Ok(code) = crate::domain::procedure_code::ProcedureCode::parse(&code) else {
        return Ok(None);
    };
    crate::state::with_db(|pool| async move { db::find_procedure(&pool, &code).await }).await
}

#[server(endpoint = "don-vi", input = server_fn::codec::GetUrl)]
pub async fn get_portal_operator() -> Result<Option<PortalOperator>, AppError> {
    memos().operator.get_or_load(|pool| async move { db::portal_operator(&pool).await }).await
}
