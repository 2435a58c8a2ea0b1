//! The Một Cửa HTTP server: configuration, start-up and the router with its layers.
//! Feature code lives in the `app` crate.

pub mod config;
pub mod database;
pub mod housekeeping;
pub mod http;
pub mod outbox;
pub mod reconcile;
