//! Citizen sign-in by mobile number and one-time code, and sign-out. Plain forms that post to
//! server functions and redirect, so they work without JavaScript.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;
