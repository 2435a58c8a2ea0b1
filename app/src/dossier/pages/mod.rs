//! The flow's pages: start, each step, check answers, receipt, and "Hồ sơ của tôi".

pub mod check;
pub mod fields;
pub mod photo;
pub mod receipt;
pub mod step;

use super::email::EmailSettings;
use crate::dossier::api::{list_my_dossiers, DeleteDraft};
use crate::dossier::MyDossiers;
use crate::error::{set_page_status, AppError};
use crate::i18n::{tr, tr_code, tr_with};
use crate::routes::sign_in_url;
use crate::routes::{procedure_url, step_url, AGENCY_STEP};
use crate::ui::procedure_not_found;
use crate::ui::{unavailable, with_content};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// What a page shows when its data cannot be had: the sign-in page for a signed-out visitor,
/// "not found" for anything not theirs, or a retry notice.
pub(super) fn on_error(error: AppError, here: &str) -> AnyView {
    match error {
        AppError::SignInRequired => {
            #[cfg(feature = "ssr")]
            leptos_axum::redirect(&sign_in_url(here));
            #[cfg(not(feature = "ssr"))]
            let _ = here;
            view! { <p><a href=sign_in_url(here)>{tr("account.sign_in")}</a></p> }.into_any()
        }
        AppError::NotFound(_) => {
            set_page_status(404);
            view! {
                <Title text=tr("dossier.not_found") />
                <h1>{tr("dossier.not_found")}</h1>
                <p>{tr("dossier.not_found_body")}</p>
                <p><a href=crate::routes::MY_DOSSIERS_PATH>{tr("account.my_dossiers")}</a></p>
            }
            .into_any()
        }
        _ => unavailable(),
    }
}

/// A hidden form field.
#[component]
pub(super) fn Hidden(name: &'static str, value: String) -> impl IntoView {
    view! { <input type="hidden" name=name value=value /> }
}

/// `/nop-ho-so/{code}`: what the citizen will need, then "Bắt đầu".
#[component]
pub fn StartPage() -> impl IntoView {
    let code = use_params_map().read_untracked().get("code").unwrap_or_default();
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match crate::dossier::api::load_start(code).await {
                    Ok(Some(p)) if p.online && !p.has_form => {
                        view! { <NotYetOnline procedure=p notice=tr("submission.not_yet") /> }.into_any()
                    }
                    Ok(Some(p)) if p.national_identity == Some(super::IdentityNeeded::Unavailable) => {
                        view! { <NotYetOnline procedure=p notice=tr("dossier.identity_unavailable") /> }.into_any()
                    }
                    Ok(Some(p)) if p.online => {
                        let title = tr_with("submission.title", &[("name", &p.name)]);
                        view! {
                            <Title text=title />
                            <h1>{with_content("submission.title", "name", p.name.clone())}</h1>
                            <p class="lead">{tr("dossier.start_lead")}</p>
                            <h2>{tr("dossier.you_need")}</h2>
                            <ul>
                                <li>{tr("dossier.need_phone")}</li>
                                <li>{tr("dossier.need_answers")}</li>
                            </ul>
                            {(!p.uploads.is_empty()).then(|| view! {
                                <h3>{tr("dossier.need_uploads")}</h3>
                                <ul>{p.uploads.into_iter().map(|d| view! { <li lang="vi">{d}</li> }).collect_view()}</ul>
                            })}
                            {(!p.to_show.is_empty()).then(|| view! {
                                <h3>{tr("dossier.need_to_show")}</h3>
                                <ul>{p.to_show.into_iter().map(|d| view! { <li lang="vi">{d}</li> }).collect_view()}</ul>
                            })}
                            <p>{tr("dossier.saved_note")}</p>
                            {p.national_identity.map(|_| view! { <p class="notice">{tr("dossier.identity_needed")}</p> })}
                            {if p.national_identity == Some(super::IdentityNeeded::NotSignedIn) {
                                let back = crate::routes::start_filing_url(&p.code);
                                view! {
                                    <p>
                                        <a class="button" href=crate::routes::national_id_sign_in_url(&back)>
                                            {tr("dossier.identity_start")}
                                        </a>
                                    </p>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <form method="post" action=crate::dossier::api::StartDraft::PATH>
                                        <Hidden name="code" value=p.code.clone() />
                                        <button type="submit" class="button">{tr("dossier.start")}</button>
                                    </form>
                                }
                                    .into_any()
                            }}
                            <p><a href=procedure_url(&p.code)>{tr("submission.back")}</a></p>
                        }
                            .into_any()
                    }
                    Ok(_) => procedure_not_found(),
                    Err(_) => unavailable(),
                }
            })}
        </Suspense>
    }
}

/// `/nop-ho-so/{code}/bat-dau`: back from sign-in, straight to the new draft's first step.
#[component]
pub fn ResumeStartPage() -> impl IntoView {
    let code = use_params_map().read_untracked().get("code").unwrap_or_default();
    let here = crate::routes::resume_start_url(&code);
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match crate::dossier::api::resume_start(code).await {
                    Ok(()) => ().into_any(),
                    Err(error) => on_error(error, &here),
                }
            })}
        </Suspense>
    }
}

/// A procedure this portal cannot take online (no form yet, or no identity provider for one
/// that needs it): why, and where to file instead.
#[component]
fn NotYetOnline(procedure: super::StartInfo, notice: String) -> impl IntoView {
    let title = tr_with("submission.title", &[("name", &procedure.name)]);
    view! {
        <Title text=title />
        <h1>{with_content("submission.title", "name", procedure.name.clone())}</h1>
        <p class="notice">{notice}</p>
        <ul class="agencies">
            {procedure.offered_by.into_iter().map(|name| view! { <li lang="vi">{name}</li> }).collect_view()}
        </ul>
        <p><a href=procedure_url(&procedure.code)>{tr("submission.back")}</a></p>
    }
}

/// `/ho-so-cua-toi`: drafts to continue and dossiers filed.
#[component]
pub fn MyDossiersPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let saved = query.get("da-luu").is_some();
    let deleted = query.get("da-xoa").is_some();
    let too_many_drafts = query.get("gioi-han").is_some();
    view! {
        <Title text=tr("account.my_dossiers") />
        <h1>{tr("account.my_dossiers")}</h1>
        {saved.then(|| view! { <p class="notice notice--success" role="status">{tr("dossier.saved")}</p> })}
        {deleted.then(|| view! { <p class="notice notice--success" role="status">{tr("dossier.draft_deleted")}</p> })}
        {too_many_drafts.then(|| view! {
            <p class="notice notice--error" id="gioi-han" role="alert">
                {tr_with("dossier.too_many_drafts", &[("max", &crate::dossier::MAX_OPEN_DRAFTS.to_string())])}
            </p>
        })}
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match list_my_dossiers().await {
                    Ok(mine) => view! { <MyLists mine /> }.into_any(),
                    Err(error) => on_error(error, crate::routes::MY_DOSSIERS_PATH),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MyLists(mine: MyDossiers) -> impl IntoView {
    let no_drafts = mine.drafts.is_empty();
    let no_dossiers = mine.dossiers.is_empty();
    view! {
        <h2>{tr("dossier.drafts")}</h2>
        {no_drafts.then(|| view! { <p>{tr("dossier.no_drafts")}</p> })}
        <ul class="card-list">
            {mine
                .drafts
                .into_iter()
                .map(|d| {
                    view! {
                        <li class="card">
                            <a class="card__title" href=step_url(&d.id, AGENCY_STEP) lang="vi">{d.procedure_name.clone()}</a>
                            {d.applicant_name.clone().map(|name| view! {
                                <span class="card__meta">{tr("dossier.draft_for")} " " <span lang="vi">{name}</span></span>
                            })}
                            <span class="card__meta">
                                {tr_with("dossier.draft_meta", &[("updated", &d.updated_at), ("kept", &d.kept_until)])}
                            </span>
                            <form method="post" action=DeleteDraft::PATH class="inline-form">
                                <input type="hidden" name="draft" value=d.id.clone() />
                                <button type="submit" class="link-button link-button--danger">
                                    {tr("dossier.draft_delete")}
                                    <span class="visually-hidden" lang="vi">" " {d.procedure_name}</span>
                                </button>
                            </form>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <h2>{tr("dossier.filed")}</h2>
        {no_dossiers.then(|| view! { <p>{tr("dossier.no_dossiers")}</p> })}
        <ul class="card-list">
            {mine
                .dossiers
                .into_iter()
                .map(|d| {
                    view! {
                        <li class="card">
                            <a class="card__title" href=crate::routes::receipt_url(&d.code)>{d.code.clone()}</a>
                            <span class="card__meta" lang="vi">{d.procedure_name}</span>
                            <span class="card__meta">
                                {tr_with(
                                    "dossier.dossier_meta",
                                    &[("status", &tr_code("status", &d.status)), ("received", &d.received_at), ("due", &d.due_date)],
                                )}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <EmailSettings current=mine.email.clone() />
        <p><a href="/thu-tuc">{tr("dossier.find_procedure")}</a></p>
    }
}
