//! The feedback form on a procedure's page and the portal's own feedback page.

use super::form::{FeedbackForm, FeedbackTexts};
use super::{DRAFT_KEY, ERROR_KEY, SENT_KEY, TOO_MANY_SLUG, UNAVAILABLE_SLUG};
use crate::domain::feedback::InvalidFeedback;
use crate::i18n::{tr, tr_with};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn problem_message(slug: &str) -> Option<String> {
    if slug == UNAVAILABLE_SLUG {
        return Some(tr("error.unavailable"));
    }
    if slug == TOO_MANY_SLUG {
        return Some(tr("feedback.error.qua-nhieu"));
    }
    InvalidFeedback::from_slug(slug).map(|invalid| tr(&format!("feedback.error.{}", invalid.slug())))
}

impl FeedbackTexts {
    /// The form's texts in the page's language.
    fn current() -> Self {
        let max = crate::domain::feedback::MAX_FEEDBACK_CHARS.to_string();
        Self {
            label: tr("feedback.label"),
            limit: tr_with("feedback.limit", &[("max", &max)]),
            submit: tr("feedback.submit"),
            not_sent: tr("feedback.not_sent"),
        }
    }
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
                draft
                error
                texts=FeedbackTexts::current()
            />
        </section>
    }
}

#[component]
pub fn FeedbackPage() -> impl IntoView {
    view! {
        <Title text=tr("feedback.title") />
        <h1>{tr("feedback.title")}</h1>
        <p class="lead">{tr("feedback.lead")}</p>
        <FeedbackSection procedure_code=None />
    }
}
