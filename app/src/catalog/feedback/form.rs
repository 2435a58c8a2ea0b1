//! The feedback form: a plain form, so that a procedure's page ships no script. The limit is
//! written out, the textarea's `maxlength` holds it, and the server explains a longer message.

use crate::domain::feedback::MAX_FEEDBACK_CHARS;
use leptos::prelude::*;

/// Translated texts of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackTexts {
    pub label: String,
    pub limit: String,
    pub submit: String,
    pub not_sent: String,
}

#[component]
pub fn FeedbackForm(
    procedure_code: String,
    draft: String,
    error: Option<String>,
    texts: FeedbackTexts,
) -> impl IntoView {
    let has_error = error.is_some();
    let submit_path = <crate::catalog::feedback::api::SubmitFeedback as leptos::server_fn::ServerFn>::PATH;
    let FeedbackTexts { label, limit, submit, not_sent } = texts;
    view! {
        <form method="post" action=submit_path class="form">
            {error
                .clone()
                .map(|message| {
                    view! {
                        <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="gop-y-loi-tieu-de">
                            <h3 id="gop-y-loi-tieu-de">{not_sent}</h3>
                            <ul>
                                <li><a href="#gop-y-noi-dung">{message}</a></li>
                            </ul>
                        </div>
                    }
                })}
            <input type="hidden" name="procedure_code" value=procedure_code />
            <div class="field" class:field--error=has_error>
                <label for="gop-y-noi-dung">{label}</label>
                <p class="hint" id="gop-y-goi-y">{limit}</p>
                {error.map(|message| view! { <p class="field__error" id="gop-y-loi-truong">{message}</p> })}
                <textarea
                    id="gop-y-noi-dung"
                    name="message"
                    rows="4"
                    required
                    maxlength=MAX_FEEDBACK_CHARS
                    aria-describedby=if has_error { "gop-y-goi-y gop-y-loi-truong" } else { "gop-y-goi-y" }
                    aria-invalid=has_error.then_some("true")
                >
                    {draft}
                </textarea>
            </div>
            <button type="submit" class="button">{submit}</button>
        </form>
    }
}
