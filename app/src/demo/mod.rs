//! Demo data that goes beyond the catalog file: generated history for the statistics. Labelled
//! "(minh hoạ)" wherever it shows; the server's `generate-history` command writes it.

pub mod history;
