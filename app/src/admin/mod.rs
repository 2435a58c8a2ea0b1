//! Administration (`/can-bo/quan-tri`): staff accounts, agencies, the holiday calendar and
//! the catalog (a new procedure version with its effective date and form, from a catalog
//! file). Administrators only, and only within their own agency's tree.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
mod flow;
pub mod pages;

use crate::auth::StaffView;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub agency: String,
    /// Stored role codes, shown through their locale texts.
    pub roles: Vec<String>,
    pub disabled: bool,
    pub must_change_password: bool,
    pub second_factor: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CalendarRow {
    pub day: String,
    pub iso_day: String,
    pub holiday: bool,
    pub name: String,
    pub note: String,
}

/// What the last form on an admin page said: done (with a temporary password to hand over,
/// shown once), or a problem with the fields as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Notice {
    pub page: String,
    pub done: Option<crate::i18n::Text>,
    pub problem: Option<(String, crate::i18n::Text)>,
    pub typed: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AdminView {
    pub staff: StaffView,
    /// A province's administrator; a commune's manages its accounts only.
    pub province: bool,
    pub notice: Option<Notice>,
    pub agencies: Vec<AgencyRow>,
    pub users: Vec<UserRow>,
    pub calendar: Vec<CalendarRow>,
    pub year: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AgencyRow {
    pub id: i64,
    pub identifier: String,
    pub name: String,
    pub level: String,
    pub address: String,
    pub hotline: String,
    pub in_service: bool,
}
