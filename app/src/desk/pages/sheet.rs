//! The process control sheet (phiếu kiểm soát quá trình giải quyết hồ sơ), laid out to print.

use crate::desk::api::load_desk_dossier;
use crate::desk::DeskDossier;
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
        <Title text=format!("Phiếu kiểm soát {}", d.code) />
        <p class="back-link no-print"><a href=desk_dossier_url(&d.code)>"Về hồ sơ"</a></p>
        <article class="printable">
            <p class="printable__agency">{d.receiving_agency.clone()}</p>
            <h1>"Phiếu kiểm soát quá trình giải quyết hồ sơ"</h1>
            <p>"Mã hồ sơ: " <strong>{d.code.clone()}</strong></p>
            <p>"Thủ tục: " {d.procedure_name.clone()}</p>
            <p>"Người nộp: " {d.applicant_name.clone()}</p>
            <p>"Nộp lúc: " {d.received_at.clone()} " · Hạn trả kết quả: " {d.due_date.clone()}
                {d.promised_date.clone().map(|p| format!(" · Hẹn trả mới: {p}"))}</p>
            <div class="sheet-scroll" tabindex="0" role="region" aria-label="Các bước giải quyết">
            <table class="sheet">
                <caption class="visually-hidden">"Các bước giải quyết"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Thời gian"</th>
                        <th scope="col">"Thao tác, trạng thái"</th>
                        <th scope="col">"Người thực hiện, cơ quan"</th>
                        <th scope="col">"Hạn của bước"</th>
                        <th scope="col">"Lý do, ghi chú"</th>
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
                            let notes = e.reason.into_iter().chain(e.details).collect::<Vec<_>>().join(". ");
                            view! {
                                <tr>
                                    <td>{e.at}</td>
                                    <td>{e.action} <br /> {e.from_status.map(|f| format!("{f} → "))} {e.status}</td>
                                    <td>{e.actor} <br /> {agencies}</td>
                                    <td>{e.step_due.unwrap_or_default()}</td>
                                    <td>{notes}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            </div>
            <p class="hint no-print">"Dùng lệnh In của trình duyệt để in phiếu."</p>
        </article>
    }
}
