//! The server functions of this feature: authenticate, authorise, then hand over to the
//! feature's server side.

#[allow(unused_imports)]
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "gop-y")]
pub async fn submit_feedback(procedure_code: Option<String>, message: String) -> Result<(), AppError> {
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
            let client = crate::security::client_address();
            let stored =
                crate::state::with_db(
                    |pool| async move { db::save_feedback(&pool, code.as_ref(), &parsed, &client).await },
                )
                .await;
            match stored {
                Ok(db::Saved::Saved) => format!("{page}?{SENT_KEY}=da-gui#gop-y"),
                // The procedure is gone: its page says so.
                Ok(db::Saved::NoProcedure) => page,
                Ok(db::Saved::TooMany) => with_problem(&page, TOO_MANY_SLUG, &message),
                Err(_) => with_problem(&page, UNAVAILABLE_SLUG, &message),
            }
        }
    };
    leptos_axum::redirect(&next);
    Ok(())
}
