//! Citizen sign-in by mobile number and one-time code, and sign-out. Plain forms that post to
//! server functions and redirect, so they work without JavaScript.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod national_id;
pub mod pages;

/// The sign-in page's error for a phone account that holds another ID number.
pub const LINKED_TO_ANOTHER: &str = "da-lien-ket-khac";
