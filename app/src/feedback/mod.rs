//! Citizens' feedback on a procedure or on the portal: the thin write path of the foundation.
//! Plain form POST → server function → redirect → GET, so it works without JavaScript.

#[cfg(feature = "ssr")]
pub mod db;
mod form;

use crate::domain::feedback::InvalidFeedback;
use crate::error::AppError;
use form::FeedbackForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Query keys of the redirect back to the page that holds the form.
const SENT_KEY: &str = "gop-y";
const ERROR_KEY: &str = "gop-y-loi";
const DRAFT_KEY: &str = "noi-dung";

#[server(endpoint = "gop-y")]
pub async fn submit_feedback(
    procedure_code: Option<String>,
    message: String,
    form_token: String,
) -> Result<(), AppError> {
    use crate::domain::{feedback::FeedbackMessage, procedure_code::ProcedureCode};

    let code = match procedure_code.as_deref().filter(|c| !c.is_empty()) {
        Some(raw) => Some(ProcedureCode::parse(raw).map_err(|_| AppError::NotFound("thủ tục".into()))?),
        None => None,
    };
    let page = code.as_ref().map_or_else(|| "/gop-y".to_owned(), |c| format!("/thu-tuc/{c}"));
    let message = match FeedbackMessage::parse(&message) {
        Ok(message) => message,
        Err(invalid) => {
            leptos_axum::redirect(&redirect_with_error(&page, invalid, &message));
            return Ok(());
        }
    };
    // A missing or forged token still stores the message once; only a resent form is deduplicated.
    let token = uuid::Uuid::parse_str(&form_token).unwrap_or_else(|_| uuid::Uuid::new_v4());
    let pool = crate::state::pool()?;
    if !db::save_feedback(&pool, token, code.as_ref(), &message).await? {
        return Err(AppError::NotFound("thủ tục".into()));
    }
    leptos_axum::redirect(&format!("{page}?{SENT_KEY}=da-gui#gop-y"));
    Ok(())
}

#[cfg(feature = "ssr")]
fn redirect_with_error(page: &str, invalid: InvalidFeedback, draft: &str) -> String {
    // Keep what was typed (bounded, so the URL stays reasonable) so nothing is lost.
    let draft: String = draft.chars().take(2 * crate::domain::feedback::MAX_FEEDBACK_CHARS).collect();
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair(ERROR_KEY, invalid.slug())
        .append_pair(DRAFT_KEY, &draft)
        .finish();
    format!("{page}?{query}#gop-y")
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
    let error = query.get(ERROR_KEY).and_then(|slug| InvalidFeedback::from_slug(&slug)).map(|e| e.to_string());
    let draft = query.get(DRAFT_KEY).unwrap_or_default();
    let heading = if procedure_code.is_some() { "Góp ý về thủ tục này" } else { "Góp ý về cổng dịch vụ công" };
    view! {
        <section id="gop-y" class="feedback" aria-labelledby="gop-y-tieu-de">
            <h2 id="gop-y-tieu-de">{heading}</h2>
            {sent
                .then(|| {
                    view! {
                        <p class="notice notice--success" role="status">
                            "Cảm ơn bạn, góp ý đã được ghi nhận."
                        </p>
                    }
                })}
            <FeedbackForm
                procedure_code=procedure_code.unwrap_or_default()
                form_token=new_form_token()
                draft
                error
            />
        </section>
    }
}

#[component]
pub fn FeedbackPage() -> impl IntoView {
    view! {
        <Title text="Góp ý" />
        <h1>"Góp ý"</h1>
        <p class="lead">"Cho chúng tôi biết điều gì chưa rõ hoặc chưa thuận tiện. Vui lòng không ghi số giấy tờ tùy thân."</p>
        <FeedbackSection procedure_code=None />
    }
}
