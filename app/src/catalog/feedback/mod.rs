//! Citizens' feedback on a procedure or on the portal: the thin write path of the foundation.
//! Plain form POST → server function → redirect → GET, so it works without JavaScript.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod form;
pub mod pages;

/// Query keys of the redirect back to the page that holds the form.
const SENT_KEY: &str = "gop-y";
const ERROR_KEY: &str = "gop-y-loi";
const DRAFT_KEY: &str = "noi-dung";

/// Error slug for a storage failure: the citizen is told to retry and keeps the text.
const UNAVAILABLE_SLUG: &str = "tam-loi";
const TOO_MANY_SLUG: &str = "qua-nhieu";

/// The form's page again, with the problem and what was typed (bounded, so the URL stays
/// reasonable): nothing the citizen wrote is lost.
#[cfg(feature = "ssr")]
fn with_problem(page: &str, slug: &str, draft: &str) -> String {
    let draft: String = draft.chars().take(2 * crate::domain::feedback::MAX_FEEDBACK_CHARS).collect();
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair(ERROR_KEY, slug)
        .append_pair(DRAFT_KEY, &draft)
        .finish();
    format!("{page}?{query}#gop-y")
}
