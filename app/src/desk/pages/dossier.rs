//! `/can-bo/ho-so/{code}`: one dossier as the officer works it: facts, what the citizen
//! answered and attached, the actions open now, and the audit trail.

use super::actions::{field_id, ActionForms};
use crate::desk::api::load_desk_dossier;
use crate::desk::DeskDossier;
use crate::domain::dossier_status::Status;
use crate::filed::AuditEntry;
use crate::i18n::{tr, tr_code, tr_with};
use crate::routes::file_url;
use crate::routes::{desk_dossier_url, DESK_PATH};
use crate::ui::ErrorSummary;
use crate::ui::{on_staff_error, StaffBar};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn DeskDossierPage() -> impl IntoView {
    let code = use_params_map().read_untracked().get("code").unwrap_or_default();
    let here = desk_dossier_url(&code);
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match load_desk_dossier(code.clone(), true).await {
                    Ok(dossier) => view! { <Dossier dossier /> }.into_any(),
                    Err(error) => on_staff_error(error, &here),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Dossier(dossier: DeskDossier) -> impl IntoView {
    let flash = dossier.flash.clone().unwrap_or_default();
    let errors: Vec<(String, String)> =
        flash.problems.iter().map(|(field, m)| (field_id(&flash.form.action, field), m.show())).collect();
    let d = dossier.clone();
    view! {
        <Title text=tr_with("desk.dossier.title", &[("code", &d.code)]) />
        <StaffBar staff=d.staff.clone() />
        <p class="back-link"><a href=DESK_PATH>{tr("desk.dossier.back")}</a></p>
        <ErrorSummary errors />
        {flash.done.map(|m| view! { <p class="notice notice--success" id="thong-bao" role="status">{m.show()}</p> })}
        <h1>{tr("desk.dossier.heading")} " " <span class="receipt__code">{d.code.clone()}</span></h1>
        <p class="lead"><span lang="vi">{d.procedure_name.clone()}</span> " (" {d.procedure_code.clone()} ")"</p>
        <div class="desk-dossier">
        <div class="desk-dossier__evidence">
        {(!d.duplicates.is_empty()).then(|| view! {
            <div class="notice notice--warning">
                <p><strong>{tr("desk.dossier.duplicates")}</strong></p>
                <ul>{d.duplicates.iter().map(|code| view! { <li><a href=desk_dossier_url(code)>{code.clone()}</a></li> }).collect_view()}</ul>
            </div>
        })}
        <Facts dossier=d.clone() />
        <Answers dossier=d.clone() />
        </div>
        <div class="desk-dossier__work">
        {d.supplement.clone().map(|s| view! {
            <div class="notice">
                <p><strong>{tr("desk.dossier.supplement_pending")}</strong> " "
                    {tr_with("desk.dossier.requested_at", &[("time", &s.requested_at)])}
                    <span lang="vi">{s.documents.join("; ")}</span></p>
                <p lang="vi">{s.note}</p>
            </div>
        })}
        {d.apology.clone().map(|a| view! {
            <div class="notice">
                <p><strong>{tr(if a.approved { "desk.dossier.apology_approved" } else { "desk.dossier.apology_pending" })}</strong>
                    {tr_with("desk.dossier.apology_meta", &[("date", &a.new_date), ("name", &a.proposed_by)])}</p>
                <p lang="vi">{a.reason}</p>
            </div>
        })}
        <section aria-labelledby="thao-tac">
            <h2 id="thao-tac">{tr("desk.dossier.actions")}</h2>
            {if d.actions.is_empty() {
                view! { <p>{tr("desk.dossier.no_actions")}</p> }.into_any()
            } else {
                view! { <ActionForms dossier=dossier.clone() /> }.into_any()
            }}
        </section>
        {(d.status == Status::DaTraKetQua.as_db()).then(|| view! {
            <section aria-labelledby="danh-gia">
                <h2 id="danh-gia">{tr("desk.dossier.rating")}</h2>
                {match d.rating.clone() {
                    Some(level) => view! { <p>{tr("desk.dossier.rating_level")} <strong>{tr_code("satisfaction", &level)}</strong></p> }.into_any(),
                    None => view! {
                        <p>{tr("desk.dossier.no_rating")}
                            <a href=crate::routes::desk_rating_url(&d.code)>{tr("desk.dossier.rating_tablet")}</a></p>
                    }.into_any(),
                }}
            </section>
        })}
        <section aria-labelledby="qua-trinh">
            <h2 id="qua-trinh">{tr("desk.dossier.timeline")}</h2>
            <Timeline entries=d.timeline.clone() />
        </section>
        <section aria-labelledby="tin-nhan">
            <h2 id="tin-nhan">{tr("desk.dossier.messages")}</h2>
            <ul class="card-list">
                {d.messages.clone().into_iter().map(|m| view! {
                    <li class="card">
                        <p lang="vi">{m.body}</p>
                        <p class="card__meta">{tr_with("desk.dossier.message_meta", &[("time", &m.at), ("delivery", &m.delivery.show())])}</p>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="giay-to-in">
            <h2 id="giay-to-in">{tr("desk.dossier.printouts")}</h2>
            <super::notice::NoticeLinks dossier=d.clone() />
        </section>
        </div>
        </div>
    }
}

#[component]
fn Facts(dossier: DeskDossier) -> impl IntoView {
    let d = dossier;
    let row = |key: &str, value: Option<String>| {
        value.map(|value| view! { <div class="answers__row"><dt>{tr(&format!("desk.dossier.{key}"))}</dt><dd>{value}</dd></div> })
    };
    // Names as recorded stay in Vietnamese.
    let recorded = |key: &str, value: Option<String>| {
        value.map(|value| view! { <div class="answers__row"><dt>{tr(&format!("desk.dossier.{key}"))}</dt><dd lang="vi">{value}</dd></div> })
    };
    view! {
        <dl class="answers">
            {row("status", Some(tr_code("status", &d.status)))}
            {recorded("applicant", Some(d.applicant_name))}
            {row("phone", Some(d.phone))}
            {row("identified_by", Some(tr_code("identified_by", &d.identified_by)))}
            {row("channel", Some(tr_code("register.channel", &d.channel)))}
            {row("received_at", Some(d.received_at))}
            {row("accepted_at", d.accepted_at)}
            {row("due", Some(d.due_date))}
            {row("promised", d.promised_date)}
            {row("step_due", d.step_due)}
            {recorded("receiving_agency", Some(d.receiving_agency))}
            {recorded("handling_agency", Some(d.handling_agency))}
            {recorded("assisted_by", d.assisted_by)}
            {recorded("case", d.case)}
            <div class="answers__row"><dt>{tr("desk.dossier.fee")}</dt><dd><crate::ui::FeeDueView fee=d.fee /></dd></div>
            <div class="answers__row"><dt>{tr("payment.title")}</dt><dd><crate::ui::PaymentState fees=d.payments /></dd></div>
        </dl>
    }
}

#[component]
fn Answers(dossier: DeskDossier) -> impl IntoView {
    view! {
        <section aria-labelledby="to-khai">
            <h2 id="to-khai">{tr("desk.dossier.form")}</h2>
            {dossier
                .answers
                .into_iter()
                .map(|(title, rows)| view! {
                    <h3 lang="vi">{title}</h3>
                    <dl class="answers" lang="vi">
                        {rows.into_iter().map(|(label, value)| view! {
                            <div class="answers__row"><dt>{label}</dt><dd>{value}</dd></div>
                        }).collect_view()}
                    </dl>
                })
                .collect_view()}
        </section>
        <section aria-labelledby="giay-to">
            <h2 id="giay-to">{tr("desk.dossier.files")}</h2>
            <ul class="file-list">
                {dossier
                    .files
                    .into_iter()
                    .map(|f| {
                        let url = file_url(&f.id);
                        view! {
                            <li class="file-preview">
                                <a href=url.clone() class="file-preview__image" tabindex="-1" aria-hidden="true">
                                    <img src=f.preview_url alt="" loading="lazy" width="160" height="120" />
                                </a>
                                <span>
                                    <span lang="vi">{f.document}</span> ": " <a href=url>{f.label.show()}</a>
                                    {f.added_in_supplement.then(|| tr("desk.dossier.supplemented"))}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {dossier.has_result.then(|| view! {
                <p><a href=format!("{}/ket-qua", desk_dossier_url(&dossier.code))>{tr("desk.dossier.result_file")}</a></p>
            })}
        </section>
    }
}

/// The audit trail: each change with who, when, from which agency to which, the step's
/// deadline and the reason.
#[component]
pub(super) fn Timeline(entries: Vec<AuditEntry>) -> impl IntoView {
    view! {
        <ol class="timeline">
            {entries
                .into_iter()
                .map(|e| {
                    let route = match (e.from_agency, e.to_agency) {
                        (Some(from), Some(to)) if from != to => Some(format!("{from} → {to}")),
                        (_, Some(to)) => Some(to),
                        (from, None) => from,
                    };
                    view! {
                        <li>
                            <p><strong>{tr_code("action", &e.slug)}</strong> " · " {tr_code("status", &e.status)}</p>
                            <p class="hint">{e.at} " · " <span lang="vi">{e.actor}</span>
                                {route.map(|r| view! { " · " <span lang="vi">{r}</span> })}</p>
                            {e.step_due.map(|d| view! { <p>{tr("desk.dossier.step_deadline")} {d}</p> })}
                            {e.reason.map(|r| view! { <p>{tr("desk.dossier.reason")} <span lang="vi">{r}</span></p> })}
                            {e.details.into_iter().map(|line| view! { <p>{line.show()}</p> }).collect_view()}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
