//! The process control sheet (phiếu kiểm soát quá trình giải quyết hồ sơ), laid out to print.

use crate::desk::api::load_desk_dossier;
use crate::desk::DeskDossier;
use crate::i18n::{tr, tr_code, tr_with};
use crate::routes::{control_sheet_url, desk_dossier_url};
use crate::ui::on_staff_error;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ControlSheetPage() -> impl IntoView {
    let code = use_params_map().read_untracked().get("code").unwrap_or_default();
    let here = control_sheet_url(&code);
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match load_desk_dossier(code.clone(), false).await {
                    Ok(dossier) => view! { <Sheet dossier /> }.into_any(),
                    Err(error) => on_staff_error(error, &here),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Sheet(dossier: DeskDossier) -> impl IntoView {
    let d = dossier;
    view! {
        <Title text=tr_with("sheet.page_title", &[("code", &d.code)]) />
        <p class="back-link no-print"><a href=desk_dossier_url(&d.code)>{tr("notice.back")}</a></p>
        <article class="printable">
            <p class="printable__agency" lang="vi">{d.receiving_agency.clone()}</p>
            <h1>{tr("sheet.title")}</h1>
            <p>{tr("notice.code")} " " <strong>{d.code.clone()}</strong></p>
            <p>{tr("sheet.procedure")} " " <span lang="vi">{d.procedure_name.clone()}</span></p>
            <p>{tr("sheet.applicant")} " " <span lang="vi">{d.applicant_name.clone()}</span></p>
            <p>{tr("sheet.received")} " " {d.received_at.clone()} " · " {tr("sheet.due")} " " {d.due_date.clone()}
                {d.promised_date.clone().map(|p| format!(" · {} {p}", tr("sheet.promised")))}</p>
            <div class="sheet-scroll" tabindex="0" role="region" aria-label=tr("sheet.steps")>
            <table class="sheet">
                <caption class="visually-hidden">{tr("sheet.steps")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr("sheet.col.time")}</th>
                        <th scope="col">{tr("sheet.col.action")}</th>
                        <th scope="col">{tr("sheet.col.actor")}</th>
                        <th scope="col">{tr("sheet.col.step_due")}</th>
                        <th scope="col">{tr("sheet.col.notes")}</th>
                    </tr>
                </thead>
                <tbody>
                    {d.timeline
                        .into_iter()
                        .map(|e| {
                            let agencies = match (e.from_agency, e.to_agency) {
                                (Some(from), Some(to)) if from != to => format!("{from} → {to}"),
                                (_, Some(to)) => to,
                                (from, None) => from.unwrap_or_default(),
                            };
                            let details = e.details.iter().map(|t| t.show());
                            let notes = e.reason.into_iter().chain(details).collect::<Vec<_>>().join(". ");
                            view! {
                                <tr>
                                    <td>{e.at}</td>
                                    <td>{tr_code("action", &e.slug)} <br />
                                        {e.from_status.map(|f| format!("{} → ", tr_code("status", &f)))}
                                        {tr_code("status", &e.status)}</td>
                                    <td lang="vi">{e.actor} <br /> {agencies}</td>
                                    <td>{e.step_due.unwrap_or_default()}</td>
                                    <td>{notes}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            </div>
            <p class="hint no-print">{tr("notice.print_hint")}</p>
        </article>
    }
}
