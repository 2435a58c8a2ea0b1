//! `/can-bo/nop-thay`: filing at the counter with a walk-in citizen ("cầm tay chỉ việc"). The
//! officer enters the citizen's phone number and the procedure, then fills in the same form
//! steps; the citizen stays the applicant and gets the receipt by SMS.

use crate::desk::api::{load_assist_page, StartAssisted};
use crate::desk::AssistView;
use crate::i18n::tr;
use crate::routes::ASSIST_PATH;
use crate::ui::ErrorSummary;
use crate::ui::{on_staff_error, StaffBar};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AssistPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let error = match query.get("loi").as_deref() {
        Some(field @ ("so-dien-thoai" | "thu-tuc" | "doi-chieu")) => {
            Some((field.to_owned(), tr(&format!("assist.error.{field}"))))
        }
        Some("khong-buu-chinh") => Some(("cach-nhan-buu-chinh".to_owned(), tr("assist.error.no_post"))),
        _ => None,
    };
    let typed = (query.get("so").unwrap_or_default(), query.get("thu-tuc").unwrap_or_default());
    let by_post = query.get("cach-nhan").as_deref() == Some("buu-chinh");
    let saved = query.get("da-luu").is_some();
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new({
                let typed = typed.clone();
                async move {
                    match load_assist_page().await {
                        Ok(page) => view! { <Assist page error typed=typed.clone() by_post saved /> }.into_any(),
                        Err(e) => on_staff_error(e, ASSIST_PATH),
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Assist(
    page: AssistView,
    error: Option<(String, String)>,
    typed: (String, String),
    by_post: bool,
    saved: bool,
) -> impl IntoView {
    let AssistView { staff, procedures, drafts } = page;
    let problem = |field: &str| error.clone().filter(|(f, _)| f == field).map(|(_, m)| m);
    let (phone_error, procedure_error, post_error) =
        (problem("so-dien-thoai"), problem("thu-tuc"), problem("cach-nhan-buu-chinh"));
    let papers_error = problem("doi-chieu");
    let has_post_error = post_error.is_some();
    view! {
        <Title text=tr("assist.title") />
        <StaffBar staff />
        <ErrorSummary errors=error.into_iter().collect() />
        {saved.then(|| view! { <p class="notice notice--success" role="status">{tr("assist.saved")}</p> })}
        <h1>{tr("assist.heading")}</h1>
        <p class="lead">{tr("assist.lead")}</p>
        <form method="post" action=StartAssisted::PATH class="form">
            <div class="field" class:field--error=phone_error.is_some()>
                <label for="so-dien-thoai">{tr("assist.phone")}</label>
                {phone_error.clone().map(|m| view! { <p class="field__error">{m}</p> })}
                <input id="so-dien-thoai" name="so_dien_thoai" type="tel" inputmode="tel" required maxlength="20"
                    value=typed.0 aria-invalid=phone_error.is_some().then_some("true") />
            </div>
            <div class="field" class:field--error=procedure_error.is_some()>
                <label for="thu-tuc">{tr("assist.procedure")}</label>
                {procedure_error.clone().map(|m| view! { <p class="field__error">{m}</p> })}
                <select id="thu-tuc" name="thu_tuc" required aria-invalid=procedure_error.is_some().then_some("true")>
                    <option value="">{tr("assist.choose_procedure")}</option>
                    {procedures
                        .into_iter()
                        .map(|(code, name)| {
                            let (selected, label) = (code == typed.1, format!("{name} ({code})"));
                            view! { <option value=code selected=selected lang="vi">{label}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <fieldset class="field choices" class:field--error=has_post_error>
                <legend>{tr("assist.received")}</legend>
                {post_error.map(|m| view! { <p class="field__error">{m}</p> })}
                <div class="choice">
                    <input type="radio" id="cach-nhan-tai-quay" name="cach_nhan" value="tai-quay" checked=!by_post />
                    <label for="cach-nhan-tai-quay">{tr("assist.received.counter")}</label>
                </div>
                <div class="choice">
                    <input type="radio" id="cach-nhan-buu-chinh" name="cach_nhan" value="buu-chinh" checked=by_post />
                    <label for="cach-nhan-buu-chinh">{tr("assist.received.post")}</label>
                </div>
            </fieldset>
            <div class="field" class:field--error=papers_error.is_some()>
                {papers_error.clone().map(|m| view! { <p class="field__error" id="doi-chieu-loi">{m}</p> })}
                <div class="choice">
                    <input type="checkbox" id="doi-chieu" name="doi_chieu" value="co"
                        aria-describedby=if papers_error.is_some() { "doi-chieu-goi-y doi-chieu-loi" } else { "doi-chieu-goi-y" }
                        aria-invalid=papers_error.is_some().then_some("true") />
                    <label for="doi-chieu">{tr("assist.papers_checked")}</label>
                </div>
                <p class="hint" id="doi-chieu-goi-y">{tr("assist.papers_checked_hint")}</p>
            </div>
            <button type="submit" class="button">{tr("assist.start")}</button>
        </form>
        {(!drafts.is_empty()).then(|| view! {
            <h2>{tr("assist.drafts")}</h2>
            <ul class="card-list">
                {drafts.into_iter().map(|d| view! {
                    <li class="card">
                        <a href=crate::routes::step_url(&d.id, crate::routes::AGENCY_STEP) lang="vi">{d.procedure_name}</a>
                        <p class="card__meta">{tr("assist.last_edited")} " " {d.updated_at}</p>
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}
