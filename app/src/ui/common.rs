//! The error summary of a form, the "unavailable" notice, and the missing procedure page.

use crate::error::set_page_status;
use crate::i18n::{locale, tr, tr_with, Locale};
use leptos::prelude::*;
use leptos_meta::Title;

/// The page's data could not be loaded (the server function has logged why).
pub fn unavailable() -> AnyView {
    set_page_status(503);
    view! { <p class="notice notice--error" role="alert">{tr("error.unavailable")}</p> }.into_any()
}

pub fn too_many_requests() -> AnyView {
    set_page_status(429);
    view! { <p class="notice notice--error" role="alert">{tr("error.too_many")}</p> }.into_any()
}

/// The summary at the top of a form page that did not go through: one link per problem,
/// to the input it concerns (`errors`: input id, message). Nothing when there is no error.
#[component]
pub fn ErrorSummary(errors: Vec<(String, String)>) -> impl IntoView {
    (!errors.is_empty()).then(|| {
        // The page's title says so too: a screen reader hears it first.
        let prefix = tr("form.error_prefix");
        view! {
            <Title formatter=move |page: String| format!("{prefix} {}", page_title(&page)) />
            <div class="error-summary" id="loi" role="alert" tabindex="-1" aria-labelledby="loi-tieu-de">
                <h2 id="loi-tieu-de">{tr("form.error_title")}</h2>
                <ul>
                    {errors
                        .into_iter()
                        .map(|(input, message)| view! { <li><a href=format!("#{input}")>{message}</a></li> })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// The document title of a page titled `page`.
pub fn page_title(page: &str) -> String {
    format!("{page} · Một Cửa")
}

/// No procedure has this code (a 404 page).
pub fn procedure_not_found() -> AnyView {
    set_page_status(404);
    view! {
        <Title text=tr("procedure.not_found") />
        <h1>{tr("procedure.not_found")}</h1>
        <p>{tr("procedure.not_found_body")}</p>
        <p><a href="/">{tr("procedure.back_to_list")}</a></p>
    }
    .into_any()
}

/// The text of `key` with its `%{placeholder}` filled by Vietnamese content (a procedure's
/// name, say). On a page in another language the content is marked `lang="vi"`, so that a
/// screen reader reads it as Vietnamese; on a Vietnamese page it is one plain text.
pub fn with_content(key: &str, placeholder: &str, content: String) -> AnyView {
    if locale() == Locale::Vi {
        return tr_with(key, &[(placeholder, &content)]).into_any();
    }
    let text = tr(key);
    let (before, after) = text.split_once(&format!("%{{{placeholder}}}")).unwrap_or((text.as_str(), ""));
    let (before, after) = (before.to_owned(), after.to_owned());
    view! { {before} <span lang="vi">{content}</span> {after} }.into_any()
}
