//! Check your answers, declare them true, submit.

use super::{on_error, Hidden};
use crate::dossier::api::{check_answers, SubmitDossier, SubmitSupplement};
use crate::dossier::CheckView;
use crate::i18n::tr;
use crate::routes::{step_url, AGENCY_STEP, CHECK_STEP, FROM_CHECK};
use crate::ui::ErrorSummary;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn CheckPage() -> impl IntoView {
    let draft = use_params_map().read_untracked().get("draft").unwrap_or_default();
    let problem = use_query_map().read_untracked().get("loi");
    let here = step_url(&draft, CHECK_STEP);
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match check_answers(draft).await {
                    Ok(check) => view! { <Check check problem=problem.clone() /> }.into_any(),
                    Err(error) => on_error(error, &here),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Check(check: CheckView, problem: Option<String>) -> impl IntoView {
    let CheckView { draft_id, procedure_name, sections, incomplete, fee, submitted_code, supplement_note, .. } = check;
    if let Some(code) = submitted_code {
        #[cfg(feature = "ssr")]
        leptos_axum::redirect(&crate::routes::receipt_url(&code));
        let _ = code;
    }
    let declaration_missing = problem.as_deref() == Some("cam-doan") && incomplete.is_empty();
    let mut errors: Vec<(String, String)> = incomplete
        .iter()
        .map(|(step, message)| (format!("buoc-{}", step.id), format!("{}: {message}", step.title)))
        .collect();
    if declaration_missing {
        errors.push(("cam-doan".into(), tr("dossier.declare_missing")));
    }
    if let Some(limit @ ("gioi-han" | "het-so")) = problem.as_deref() {
        errors.push(("cam-doan".into(), tr(&format!("dossier.submit_error.{limit}"))));
    }
    // Signed in by phone for a procedure that needs the national identity: sign in with it and
    // come back here; the draft is kept.
    let identity_sign_in = (problem.as_deref() == Some("dinh-danh")).then(|| {
        errors.push(("dinh-danh".into(), tr("dossier.submit_error.dinh-danh")));
        crate::routes::national_id_sign_in_url(&step_url(&draft_id, crate::routes::CHECK_STEP))
    });
    let ready = incomplete.is_empty();
    let back = sections.last().map(|s| step_url(&draft_id, &s.step.id)).unwrap_or_default();
    view! {
        <Title text=format!("{} · {procedure_name}", tr("dossier.step.check")) />
        <p class="back-link"><a href=back>{tr("dossier.back")}</a></p>
        <ErrorSummary errors />
        <h1>{if supplement_note.is_some() { tr("dossier.supplement_check_title") } else { tr("dossier.check_title") }}</h1>
        <p class="lead" lang="vi">{procedure_name}</p>
        {supplement_note.clone().map(|note| view! { <p class="notice">{note}</p> })}
        {sections
            .into_iter()
            .map(|section| {
                let change = format!("{}?tu={FROM_CHECK}", step_url(&draft_id, &section.step.id));
                let anchor = format!("buoc-{}", section.step.id);
                // The questions come from the form (content); the agency step is the portal's own.
                let content = (section.step.id != AGENCY_STEP).then_some("vi");
                view! {
                    <section class="check-section" id=anchor>
                        <h2 lang=content>{section.step.title.clone()}</h2>
                        <dl class="answers">
                            {section
                                .rows
                                .into_iter()
                                .map(|row| {
                                    let empty = row.value.is_empty();
                                    let value = row.value;
                                    let tag = row
                                        .from_identity
                                        .then(|| view! { <span class="identity-tag">{tr("dossier.from_identity")}</span> });
                                    view! {
                                        <div class="answers__row">
                                            <dt lang=content>{row.label}</dt>
                                            {if empty {
                                                view! { <dd>{tr(&row.missing)}</dd> }.into_any()
                                            } else {
                                                view! { <dd><span lang="vi">{value}</span> {tag}</dd> }.into_any()
                                            }}
                                        </div>
                                    }
                                })
                                .collect_view()}
                        </dl>
                        <a href=change class="change-link">
                            {tr("dossier.change")}
                            <span class="visually-hidden" lang=content>" " {section.step.title}</span>
                        </a>
                    </section>
                }
            })
            .collect_view()}
        {fee.map(|fee| view! {
            <section class="check-section" aria-labelledby="phi">
                <h2 id="phi">{tr("dossier.fee_title")}</h2>
                <crate::ui::FeeDueView fee />
                <p class="hint">{tr("dossier.fee_when")}</p>
            </section>
        })}
        {if ready && supplement_note.is_some() {
            view! {
                <form method="post" action=SubmitSupplement::PATH class="form">
                    <Hidden name="draft" value=draft_id.clone() />
                    <button type="submit" class="button">{tr("dossier.supplement_send")}</button>
                </form>
            }
                .into_any()
        } else if ready {
            view! {
                <form method="post" action=SubmitDossier::PATH class="form declaration">
                    <Hidden name="draft" value=draft_id.clone() />
                    <h2>{tr("dossier.declaration_title")}</h2>
                    <div class="field choice" class:field--error=declaration_missing>
                        <input type="checkbox" id="cam-doan" name="cam_doan" value="co" />
                        <label for="cam-doan">{tr("dossier.declaration")}</label>
                    </div>
                    <button type="submit" class="button">{tr("dossier.submit")}</button>
                </form>
                {identity_sign_in.map(|href| view! {
                    <p><a id="dinh-danh" class="button button--secondary" href=href>{tr("account.national_id.button")}</a></p>
                })}
            }
                .into_any()
        } else {
            view! { <p class="notice">{tr("dossier.finish_first")}</p> }.into_any()
        }}
    }
}
