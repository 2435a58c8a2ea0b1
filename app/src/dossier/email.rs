//! On "my dossiers": the address that gets a copy of every notice, to add, change or remove.

use crate::error::AppError;
use crate::i18n::tr;
use crate::ui::ErrorSummary;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

/// Adds, changes or (`xoa`) removes the address that receives a copy of every notice.
#[server(endpoint = "tai-khoan/email")]
pub async fn save_notification_email(email: String, xoa: Option<String>) -> Result<(), AppError> {
    let citizen = crate::auth::citizen::require_citizen().await?;
    let address = if xoa.is_some() {
        None
    } else {
        match crate::domain::email::EmailAddress::parse(&email) {
            Ok(address) => Some(address.as_str().to_owned()),
            Err(_) => {
                let typed: String = email.trim().chars().take(254).collect();
                let query = form_urlencoded::Serializer::new(String::new())
                    .append_pair("loi-email", "1")
                    .append_pair("email", &typed)
                    .finish();
                leptos_axum::redirect(&format!("/ho-so-cua-toi?{query}#loi"));
                return Ok(());
            }
        }
    };
    let saved = if address.is_some() { "da-luu-email" } else { "da-xoa-email" };
    crate::state::with_db(move |pool| async move {
        crate::auth::citizen::set_notification_email(&pool, citizen.id, address.as_deref()).await
    })
    .await?;
    leptos_axum::redirect(&format!("/ho-so-cua-toi?{saved}=1#thong-bao-email"));
    Ok(())
}

#[component]
pub fn EmailSettings(current: Option<String>) -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let error = query.get("loi-email").map(|_| tr("account.email_error"));
    let typed = query.get("email").or_else(|| current.clone()).unwrap_or_default();
    let done = if query.get("da-luu-email").is_some() {
        Some(tr("account.email_saved"))
    } else if query.get("da-xoa-email").is_some() {
        Some(tr("account.email_removed"))
    } else {
        None
    };
    let has_error = error.is_some();
    view! {
        <section id="thong-bao-email" aria-labelledby="thong-bao-email-tieu-de">
            <h2 id="thong-bao-email-tieu-de">{tr("account.email_title")}</h2>
            <ErrorSummary errors=error.iter().map(|m| ("email".to_owned(), m.clone())).collect() />
            {done.map(|m| view! { <p class="notice notice--success" role="status">{m}</p> })}
            <p>{tr("account.email_intro")}</p>
            <form method="post" action=SaveNotificationEmail::PATH class="form">
                <div class="field" class:field--error=has_error>
                    <label for="email">{tr("account.email_label")}</label>
                    {error.clone().map(|m| view! { <p class="field__error">{m}</p> })}
                    <input id="email" name="email" type="email" autocomplete="email" maxlength="254" value=typed
                        aria-invalid=has_error.then_some("true") />
                </div>
                <button type="submit" class="button">{tr("account.email_save")}</button>
                {current.is_some().then(|| view! {
                    <button type="submit" name="xoa" value="1" class="link-button">{tr("account.email_remove")}</button>
                })}
            </form>
        </section>
    }
}
