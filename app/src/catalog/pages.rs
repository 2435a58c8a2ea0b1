//! Home page and procedure page.

use super::{get_procedure, list_procedures, ProcedureDetail, ProcedureSummary};
use crate::error::set_page_status;
use crate::feedback::FeedbackSection;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="Thủ tục hành chính" />
        <Meta name="description" content="Tra cứu thủ tục hành chính, nộp hồ sơ trực tuyến và theo dõi kết quả." />
        <h1>"Thủ tục hành chính"</h1>
        <p class="lead">"Chọn thủ tục để xem hồ sơ cần chuẩn bị, thời hạn và lệ phí."</p>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match list_procedures().await {
                    Ok(procedures) if procedures.is_empty() => {
                        view! { <p>"Chưa có thủ tục nào được công bố."</p> }.into_any()
                    }
                    Ok(procedures) => view! { <ProcedureList procedures /> }.into_any(),
                    Err(error) => {
                        set_page_status(503);
                        view! { <p class="notice notice--error" role="alert">{error.to_string()}</p> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProcedureList(procedures: Vec<ProcedureSummary>) -> impl IntoView {
    view! {
        <ul class="procedure-list">
            {procedures
                .into_iter()
                .map(|p| {
                    view! {
                        <li class="procedure-card">
                            <a class="procedure-card__name" href=format!("/thu-tuc/{}", p.code)>
                                {p.name}
                            </a>
                            <p class="procedure-card__meta">
                                <span>{p.field}</span>
                                " · "
                                <span>"Mã " {p.code.clone()}</span>
                            </p>
                            <dl class="procedure-card__facts">
                                <dt>"Thời hạn"</dt>
                                <dd>{p.time_limit}</dd>
                                <dt>"Lệ phí"</dt>
                                <dd>{p.fee}</dd>
                                <dt>"Hình thức"</dt>
                                <dd>{p.online_kind.label()}</dd>
                            </dl>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn ProcedurePage() -> impl IntoView {
    // The feedback form's character counter is an island.
    crate::islands::page_has_islands();
    let code = use_params_map().read_untracked().get("code").unwrap_or_default();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let code = code.clone();
                Suspend::new(async move {
                    match get_procedure(code).await {
                        Ok(Some(procedure)) => view! { <ProcedureDetails procedure /> }.into_any(),
                        Ok(None) => {
                            set_page_status(404);
                            view! {
                                <Title text="Không tìm thấy thủ tục" />
                                <h1>"Không tìm thấy thủ tục"</h1>
                                <p>"Mã thủ tục này không có trong danh mục đã công bố."</p>
                                <p><a href="/">"Xem danh sách thủ tục"</a></p>
                            }
                                .into_any()
                        }
                        Err(error) => {
                            set_page_status(503);
                            view! { <p class="notice notice--error" role="alert">{error.to_string()}</p> }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn ProcedureDetails(procedure: ProcedureDetail) -> impl IntoView {
    let ProcedureDetail { summary, applicant, competent_agency, steps, documents, result, legal_basis, unverified_note } =
        procedure;
    let description = format!("{} — thời hạn: {}; lệ phí: {}", summary.name, summary.time_limit, summary.fee);
    view! {
        <Title text=summary.name.clone() />
        <Meta name="description" content=description.clone() />
        <Meta property="og:title" content=summary.name.clone() />
        <Meta property="og:description" content=description />
        <nav class="breadcrumb" aria-label="Vị trí">
            <a href="/">"Thủ tục hành chính"</a>
        </nav>
        <h1>{summary.name.clone()}</h1>
        {unverified_note.map(|note| view! { <p class="notice">"Thông tin đang được đối chiếu: " {note}</p> })}
        <dl class="facts">
            <dt>"Mã thủ tục"</dt>
            <dd>{summary.code.clone()}</dd>
            <dt>"Lĩnh vực"</dt>
            <dd>{summary.field}</dd>
            <dt>"Cấp thực hiện"</dt>
            <dd>{summary.level}</dd>
            <dt>"Cơ quan giải quyết"</dt>
            <dd>{competent_agency}</dd>
            <dt>"Đối tượng"</dt>
            <dd>{applicant}</dd>
            <dt>"Thời hạn giải quyết"</dt>
            <dd>{summary.time_limit}</dd>
            <dt>"Phí, lệ phí"</dt>
            <dd>{summary.fee}</dd>
            <dt>"Hình thức nộp"</dt>
            <dd>{summary.online_kind.label()}</dd>
        </dl>
        <h2>"Trình tự thực hiện"</h2>
        <ol class="steps">{steps.into_iter().map(|step| view! { <li>{step}</li> }).collect_view()}</ol>
        <h2>"Hồ sơ cần chuẩn bị"</h2>
        <ul>{documents.into_iter().map(|doc| view! { <li>{doc}</li> }).collect_view()}</ul>
        <h2>"Kết quả"</h2>
        <p>{result}</p>
        <h2>"Căn cứ pháp lý"</h2>
        <ul>{legal_basis.into_iter().map(|law| view! { <li>{law}</li> }).collect_view()}</ul>
        <FeedbackSection procedure_code=Some(summary.code) />
    }
}
