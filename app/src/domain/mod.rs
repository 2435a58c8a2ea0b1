//! Pure rules of the one-stop shop: no I/O, no framework, exhaustively unit-tested.

pub mod agency_tree;
pub mod application_form;
pub mod calendar;
pub mod command;
pub mod derived_form;
pub mod dossier_code;
pub mod dossier_status;
pub mod email;
pub mod fee;
pub mod feedback;
pub mod identity_prefill;
pub mod money;
pub mod notice;
pub mod phone;
pub mod procedure_code;
pub mod search;
pub mod statistics;
pub mod text;
pub mod time_limit;
