//! Public posting of procedures ("công khai thủ tục hành chính").

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod import;
mod pages;

pub use pages::{CatalogPage, HomePage, ProcedurePage};

/// Results per page of the catalog.
pub const PER_PAGE: u32 = 20;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How far a procedure can be done online (since 2022: fully or partly online).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineKind {
    ToanTrinh,
    MotPhan,
    TrucTiep,
}

impl OnlineKind {
    pub fn as_db(self) -> &'static str {
        match self {
            Self::ToanTrinh => "toan_trinh",
            Self::MotPhan => "mot_phan",
            Self::TrucTiep => "truc_tiep",
        }
    }

    pub fn from_db(value: &str) -> Self {
        match value {
            "toan_trinh" => Self::ToanTrinh,
            "mot_phan" => Self::MotPhan,
            _ => Self::TrucTiep,
        }
    }

    pub fn label(self) -> String {
        crate::i18n::tr(&format!("online.{}", self.as_db()))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcedureSummary {
    pub code: String,
    pub name: String,
    pub field: String,
    pub level: String,
    pub time_limit: String,
    pub fee: String,
    pub online_kind: OnlineKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcedureDetail {
    pub summary: ProcedureSummary,
    pub applicant: String,
    pub competent_agency: String,
    pub steps: Vec<String>,
    pub documents: Vec<String>,
    pub result: String,
    pub legal_basis: Vec<String>,
    /// Values copied from secondary sources that an officer still has to check.
    pub unverified_note: Option<String>,
}

/// Browse filters other than the search text. Pages count from 1.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CatalogFilter {
    pub field: Option<String>,
    pub page: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub procedures: Vec<ProcedureSummary>,
    /// Matches on all pages.
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldCount {
    pub name: String,
    pub procedures: i64,
}

/// The portal's operator as shown in the header and footer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalOperator {
    pub name: String,
    pub hotline: String,
    pub is_demo: bool,
}

#[server(endpoint = "thu-tuc/quan-tam", input = server_fn::codec::GetUrl)]
pub async fn popular_procedures() -> Result<Vec<ProcedureSummary>, AppError> {
    crate::state::with_db(|pool| async move { db::popular_procedures(&pool).await }).await
}

#[server(endpoint = "thu-tuc/tim-kiem", input = server_fn::codec::GetUrl)]
pub async fn search_catalog(query: String, filter: CatalogFilter) -> Result<SearchResults, AppError> {
    let query = crate::domain::search::SearchQuery::parse(&query);
    let filter = CatalogFilter { page: filter.page.max(1), ..filter };
    crate::state::with_db(|pool| async move { db::search_procedures(&pool, query.as_ref(), &filter, PER_PAGE).await })
        .await
}

#[server(endpoint = "thu-tuc/linh-vuc", input = server_fn::codec::GetUrl)]
pub async fn catalog_fields() -> Result<Vec<FieldCount>, AppError> {
    crate::state::with_db(|pool| async move { db::list_fields(&pool).await }).await
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
    crate::state::with_db(|pool| async move { db::portal_operator(&pool).await }).await
}
