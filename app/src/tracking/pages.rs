//! The look-up form and the dossier as the public sees it.

use crate::error::AppError;
use crate::i18n::{tr, tr_code, tr_with};
use crate::routes::{tracking_url, TRACKING_PATH};
use crate::tracking::api::{load_tracked_dossier, LookUpDossier};
use crate::tracking::{ToDo, TrackedDossier};
use crate::ui::{with_content, ErrorSummary};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The input a look-up problem concerns, and its message.
fn problem(slug: &str) -> Option<(&'static str, String)> {
    let field = match slug {
        "ma" => "ma-ho-so",
        "so" | "khong-khop" | "qua-nhieu" => "so-cuoi",
        _ => return None,
    };
    Some((field, tr_code("tracking.error", slug)))
}

#[component]
pub fn TrackingPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let code = query.get("ma").unwrap_or_default();
    let error = query.get("loi").and_then(|slug| problem(&slug));
    let field_error = |field: &str| error.clone().filter(|(f, _)| *f == field).map(|(_, m)| m);
    let (code_error, digits_error) = (field_error("ma-ho-so"), field_error("so-cuoi"));
    let (code_wrong, digits_wrong) = (code_error.is_some(), digits_error.is_some());
    view! {
        <Title text=tr("tracking.title") />
        <ErrorSummary errors=error.iter().map(|(f, m)| ((*f).to_owned(), m.clone())).collect() />
        <h1>{tr("tracking.title")}</h1>
        <p class="lead">{tr("tracking.lead")}</p>
        <form method="post" action=LookUpDossier::PATH class="form" novalidate>
            <div class="field" class:field--error=code_wrong>
                <label for="ma-ho-so">{tr("tracking.code")}</label>
                <p class="hint" id="ma-ho-so-goi-y">{tr("tracking.code_hint")}</p>
                {code_error.map(|m| view! { <p class="field__error">{m}</p> })}
                <input id="ma-ho-so" name="ma" type="text" autocapitalize="characters" spellcheck="false" required
                    maxlength="60" value=code aria-describedby="ma-ho-so-goi-y" aria-invalid=code_wrong.then_some("true") />
            </div>
            <div class="field" class:field--error=digits_wrong>
                <label for="so-cuoi">{tr("tracking.digits")}</label>
                {digits_error.map(|m| view! { <p class="field__error">{m}</p> })}
                <input id="so-cuoi" name="so_cuoi" type="text" inputmode="numeric" pattern="[0-9]*" required
                    maxlength="4" class="input--short" autocomplete="off" aria-invalid=digits_wrong.then_some("true") />
            </div>
            <button type="submit" class="button">{tr("tracking.look_up")}</button>
        </form>
    }
}

#[component]
pub fn TrackedPage() -> impl IntoView {
    let code = use_params_map().read_untracked().get("code").unwrap_or_default();
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match load_tracked_dossier(code.clone()).await {
                    Ok(dossier) => view! { <Tracked dossier /> }.into_any(),
                    Err(AppError::NotFound(_)) => {
                        // Not proven in this session: ask for the digits, code filled in.
                        #[cfg(feature = "ssr")]
                        leptos_axum::redirect(&tracking_url(&code));
                        view! { <p><a href=tracking_url(&code)>{tr("tracking.title")}</a></p> }.into_any()
                    }
                    Err(_) => crate::ui::unavailable(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Tracked(dossier: TrackedDossier) -> impl IntoView {
    let d = dossier;
    view! {
        <Title text=tr_with("tracking.dossier", &[("code", &d.code)]) />
        <h1>{tr("tracking.dossier_heading")} " " <span class="receipt__code">{d.code.clone()}</span></h1>
        <p class="lead" lang="vi">{d.procedure_name.clone()}</p>
        <div class="notice" role="status">
            <p><strong>{tr_code("status", &d.status)}</strong></p>
            <ToDoText to_do=d.to_do.clone() />
        </div>
        <dl class="facts">
            <dt>{tr("dossier.received_by")}</dt><dd lang="vi">{d.receiving_agency.clone()}</dd>
            <dt>{tr("tracking.handled_by")}</dt><dd lang="vi">{d.handling_agency.clone()}</dd>
            <dt>{tr("tracking.received")}</dt><dd>{d.received_at.clone()}</dd>
            <dt>{tr("tracking.due")}</dt><dd><strong>{d.due_date.clone()}</strong></dd>
            {d.promised_date.clone().map(|p| view! { <dt>{tr("dossier.promised")}</dt><dd><strong>{p}</strong></dd> })}
        </dl>
        <h2>{tr("tracking.history")}</h2>
        <ol class="timeline">
            {d.steps.into_iter().map(|s| view! {
                <li>
                    <strong>{tr_code("action", &s.action)}</strong> " · " {tr_code("status", &s.status)}
                    <span class="card__meta">" " {s.at} " · " <span lang="vi">{s.agency}</span></span>
                </li>
            }).collect_view()}
        </ol>
        <p><a href=TRACKING_PATH>{tr("tracking.another")}</a></p>
    }
}

#[component]
fn ToDoText(to_do: ToDo) -> impl IntoView {
    match to_do {
        ToDo::Wait => view! { <p>{tr("tracking.todo.wait")}</p> }.into_any(),
        ToDo::Supplement { documents, note } => view! {
            <p>{with_content("tracking.todo.supplement", "documents", documents.join("; "))}</p>
            <p lang="vi">{note}</p>
            <p><a href=crate::routes::MY_DOSSIERS_PATH>{tr("tracking.todo.supplement_online")}</a></p>
        }
        .into_any(),
        ToDo::Pay { amount } => view! {
            <p>{tr_with("tracking.todo.pay", &[("amount", &amount)])}</p>
            <p><a href=crate::routes::MY_DOSSIERS_PATH>{tr("tracking.todo.pay_online")}</a></p>
        }
        .into_any(),
        ToDo::Collect { agency } => {
            view! { <p>{with_content("tracking.todo.collect", "agency", agency)}</p> }.into_any()
        }
        ToDo::Done => view! { <p>{tr("tracking.todo.done")}</p> }.into_any(),
        ToDo::Refused { reason } => {
            view! { <p>{with_content("tracking.todo.refused", "reason", reason)}</p> }.into_any()
        }
        ToDo::Stopped { reason } => {
            view! { <p>{with_content("tracking.todo.stopped", "reason", reason)}</p> }.into_any()
        }
        ToDo::Withdrawn => view! { <p>{tr("tracking.todo.withdrawn")}</p> }.into_any(),
    }
}
