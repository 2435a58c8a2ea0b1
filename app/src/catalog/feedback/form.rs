//! The feedback form. An island only for the live character counter: without JavaScript
//! it is the same plain form with the limit written out.

use crate::domain::feedback::MAX_FEEDBACK_CHARS;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Translated texts of the form. `left` holds a `%{left}` placeholder for the live count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackTexts {
    pub label: String,
    pub limit: String,
    pub left: String,
    pub submit: String,
    pub not_sent: String,
}

#[island]
pub fn FeedbackForm(
    procedure_code: String,
    form_token: String,
    draft: String,
    error: Option<String>,
    texts: FeedbackTexts,
) -> impl IntoView {
    let (typed, set_typed) = signal(draft.chars().count());
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    let has_error = error.is_some();
    let submit_path = <crate::catalog::feedback::api::SubmitFeedback as leptos::server_fn::ServerFn>::PATH;
    let FeedbackTexts { label, limit, left, submit, not_sent } = texts;
    let counter = move || {
        if hydrated.get() {
            let count = MAX_FEEDBACK_CHARS.saturating_sub(typed.get());
            left.replace("%{left}", &count.to_string())
        } else {
            limit.clone()
        }
    };
    view! {
        <form method="post" action=submit_path class="form">
            {error
                .clone()
                .map(|message| {
                    view! {
                        <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="gop-y-loi-tieu-de">
                            <h3 id="gop-y-loi-tieu-de">{not_sent.clone()}</h3>
                            <ul>
                                <li><a href="#gop-y-noi-dung">{message}</a></li>
                            </ul>
                        </div>
                    }
                })}
            <input type="hidden" name="procedure_code" value=procedure_code />
            <input type="hidden" name="form_token" value=form_token />
            <div class="field" class:field--error=has_error>
                <label for="gop-y-noi-dung">{label}</label>
                <p class="hint" id="gop-y-goi-y" aria-live="polite">{counter}</p>
                {error.map(|message| view! { <p class="field__error" id="gop-y-loi-truong">{message}</p> })}
                <textarea
                    id="gop-y-noi-dung"
                    name="message"
                    rows="4"
                    required
                    maxlength=MAX_FEEDBACK_CHARS
                    aria-describedby=if has_error { "gop-y-goi-y gop-y-loi-truong" } else { "gop-y-goi-y" }
                    aria-invalid=has_error.then_some("true")
                    on:input=move |ev| set_typed.set(event_target_value(&ev).chars().count())
                >
                    {draft}
                </textarea>
            </div>
            <button type="submit" class="button">{submit}</button>
        </form>
    }
}
