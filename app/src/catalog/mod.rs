//! Public posting of procedures ("công khai thủ tục hành chính").

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod feedback;
#[cfg(feature = "ssr")]
pub mod import;
pub mod pages;
pub mod procedure_page;

/// Results per page of the catalog.
pub const PER_PAGE: u32 = 20;

use crate::domain::fee::{FeeItem, FeeSummary};
use crate::domain::time_limit::TimeLimit;
use crate::routes::FORMS_PATH;
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
    /// Of the first channel (in person when offered); `None` if no channel is posted.
    pub time_limit: Option<TimeLimit>,
    pub fee: FeeSummary,
    pub online_kind: OnlineKind,
}

/// A procedure as posted today: the procedure and its version in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcedureDetail {
    pub summary: ProcedureSummary,
    pub applicant: String,
    pub competent_agency: String,
    /// `dd/mm/yyyy`.
    pub effective_from: String,
    pub announced_by: Option<String>,
    /// Case names; case number n is `cases[n - 1]`.
    pub cases: Vec<String>,
    pub steps: Vec<String>,
    pub channels: Vec<Channel>,
    pub documents: Vec<RequiredDocument>,
    pub conditions: Vec<String>,
    pub legal_basis: Vec<String>,
    pub forms: Vec<FormLink>,
    pub result: String,
    pub offered_by: Vec<Agency>,
    /// Values copied from secondary sources that an officer still has to check.
    pub unverified_note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    InPerson,
    Online,
    Post,
}

impl ChannelKind {
    pub const ALL: [Self; 3] = [Self::InPerson, Self::Online, Self::Post];

    pub fn as_db(self) -> &'static str {
        match self {
            Self::InPerson => "in_person",
            Self::Online => "online",
            Self::Post => "post",
        }
    }

    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_db() == value)
    }

    pub fn label(self) -> String {
        crate::i18n::tr(&format!("channel.{}", self.as_db()))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Channel {
    /// `None`: applies to every case.
    pub case_no: Option<i16>,
    pub kind: ChannelKind,
    pub time_limit: TimeLimit,
    pub time_note: Option<String>,
    pub fees: Vec<FeeItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequiredDocument {
    pub case_no: Option<i16>,
    pub name: String,
    pub originals: i16,
    pub copies: i16,
    /// Shown at the desk for checking, not handed in.
    pub present_only: bool,
    pub mandatory: bool,
    pub photo_accepted: bool,
    pub form: Option<FormLink>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormLink {
    pub file_name: String,
    pub title: String,
    pub size_bytes: i64,
}

impl FormLink {
    pub fn href(&self) -> String {
        format!("{FORMS_PATH}/{}", self.file_name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub identifier: String,
    pub name: String,
    pub level: String,
    pub address: Option<String>,
    pub hotline: Option<String>,
}

/// Browse filters other than the search text. Pages count from 1.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CatalogFilter {
    pub field: Option<String>,
    pub level: Option<String>,
    /// Identifier of an agency where the procedure can be filed.
    pub agency: Option<String>,
    pub page: u32,
}

impl CatalogFilter {
    pub fn is_filtered(&self) -> bool {
        self.field.is_some() || self.level.is_some() || self.agency.is_some()
    }
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

/// What the catalog can be browsed by, with only values that have procedures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub fields: Vec<FieldCount>,
    pub levels: Vec<String>,
    pub agencies: Vec<Agency>,
}

/// The portal's operator as shown in the header and footer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalOperator {
    pub name: String,
    pub hotline: String,
    pub is_demo: bool,
}

/// What every visitor's catalog pages read alike, kept per catalog generation and day
/// ([`crate::state::CatalogMemo`]): a rendered search or browse then asks the database only
/// for its results.
#[cfg(feature = "ssr")]
#[derive(Clone, Default)]
pub struct CatalogMemos {
    pub facets: crate::state::CatalogMemo<Facets>,
    pub operator: crate::state::CatalogMemo<Option<PortalOperator>>,
    pub vocabulary: crate::state::CatalogMemo<std::sync::Arc<db::Vocabulary>>,
}
