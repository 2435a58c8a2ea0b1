//! Citizens' feedback on a procedure or on the portal: the thin write path of the foundation.
//! Plain form POST → server function → redirect → GET, so it works without JavaScript.

#[cfg(feature = "ssr")]
pub mod db;
mod form;

use crate::domain::feedback::InvalidFeedback;
use crate::error::AppError;
use crate::i18n::{tr, tr_with};
use form::{FeedbackForm, FeedbackTexts};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Query keys of the redirect back to the page that holds the form.
const SENT_KEY: &str = "gop-y";
const ERROR_KEY: &str = "gop-y-loi";
const DRAFT_KEY: &str = "noi-dung";

/// Error slug for a storage failure: the citizen is told to retry and keeps the text.
const UNAVAILABLE_SLUG: &str = "tam-loi";

#[server(endpoint = "gop-y")]
pub async fn submit_feedback(
    procedure_code: Option<String>,
    message: String,
    form_token: String,
) -> Result<(), AppError> {
    use crate::domain::{feedback::FeedbackMessage, procedure_code::ProcedureCode};

    let code = match procedure_code.as_deref().filter(|c| !c.is_empty()) {
        Some(raw) => match ProcedureCode::parse(raw) {
            Ok(code) => Some(code),
            Err(_) => return Err(AppError::NotFound("thủ tục".into())),
        },
        None => None,
    };
    let page = code.as_ref().map_or_else(|| "/gop-y".to_owned(), |c| format!("/thu-tuc/{c}"));
    let next = match FeedbackMessage::parse(&message) {
        Err(invalid) => with_problem(&page, invalid.slug(), &message),
        Ok(parsed) => {
            // A missing or forged token still stores the message once; only a resent form is deduplicated.
            let token = uuid::Uuid::parse_str(&form_token).unwrap_or_else(|_| uuid::Uuid::new_v4());
            let stored =
                crate::state::with_db(
                    |pool| async move { db::save_feedback(&pool, token, code.as_ref(), &parsed).await },
                )
                .await;
            match stored {
                Ok(true) => format!("{page}?{SENT_KEY}=da-gui#gop-y"),
                // The procedure is gone: its page says so.
                Ok(false) => page,
                Err(_) => with_problem(&page, UNAVAILABLE_SLUG, &message),
            }
        }
    };
    leptos_axum::redirect(&next);
    Ok(())
}

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

fn problem_message(slug: &str) -> Option<String> {
    if slug == UNAVAILABLE_SLUG {
        return Some(tr("error.unavailable"));
    }
    InvalidFeedback::from_slug(slug).map(|invalid| tr(&format!("feedback.error.{}", invalid.slug())))
}

impl FeedbackTexts {
    /// The form's texts in the page's language, handed to the island so the browser needs no
    /// translation tables.
    fn current() -> Self {
        let max = crate::domain::feedback::MAX_FEEDBACK_CHARS.to_string();
        Self {
            label: tr("feedback.label"),
            limit: tr_with("feedback.limit", &[("max", &max)]),
            left: tr("feedback.left"),
            submit: tr("feedback.submit"),
            not_sent: tr("feedback.not_sent"),
        }
    }
}

/// A one-time token per rendered form: resending the same form stores the message once.
fn new_form_token() -> String {
    #[cfg(feature = "ssr")]
    return uuid::Uuid::new_v4().to_string();
    #[cfg(not(feature = "ssr"))]
    String::new()
}

/// The feedback block shown under a procedure, or alone on `/gop-y`.
#[component]
pub fn FeedbackSection(procedure_code: Option<String>) -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let sent = query.get(SENT_KEY).is_some_and(|v| v == "da-gui");
    let error = query.get(ERROR_KEY).and_then(|slug| problem_message(&slug));
    let draft = query.get(DRAFT_KEY).unwrap_or_default();
    let heading = tr(if procedure_code.is_some() { "feedback.on_procedure" } else { "feedback.on_portal" });
    view! {
        <section id="gop-y" class="feedback" aria-labelledby="gop-y-tieu-de">
            <h2 id="gop-y-tieu-de">{heading}</h2>
            {sent
                .then(|| {
                    view! {
                        <p class="notice notice--success" role="status">
                            {tr("feedback.thanks")}
                        </p>
                    }
                })}
            <FeedbackForm
                procedure_code=procedure_code.unwrap_or_default()
                form_token=new_form_token()
                draft
                error
                texts=FeedbackTexts::current()
            />
        </section>
    }
}

#[component]
pub fn FeedbackPage() -> impl IntoView {
    crate::islands::page_has_islands();
    view! {
        <Title text=tr("feedback.title") />
        <h1>{tr("feedback.title")}</h1>
        <p class="lead">{tr("feedback.lead")}</p>
        <FeedbackSection procedure_code=None />
    }
}
