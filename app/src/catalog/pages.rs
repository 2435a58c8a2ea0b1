//! Home page and procedure page.

use super::{
    catalog_fields, get_procedure, popular_procedures, search_catalog, CatalogFilter, FieldCount, ProcedureDetail,
    ProcedureSummary, SearchResults, PER_PAGE,
};
use crate::error::{set_page_status, AppError};
use crate::feedback::FeedbackSection;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="Thủ tục hành chính" />
        <Meta name="description" content="Tra cứu thủ tục hành chính, nộp hồ sơ trực tuyến và theo dõi kết quả." />
        <h1>"Thủ tục hành chính"</h1>
        <SearchForm query=String::new() field=None />
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let popular = popular_procedures().await;
                let fields = catalog_fields().await;
                match (popular, fields) {
                    (Ok(popular), Ok(fields)) if fields.is_empty() && popular.is_empty() => {
                        view! { <p>"Chưa có thủ tục nào được công bố."</p> }.into_any()
                    }
                    (Ok(popular), Ok(fields)) => {
                        view! {
                            <h2>"Thủ tục được quan tâm"</h2>
                            <ProcedureList procedures=popular />
                            <p><a href="/thu-tuc">"Xem tất cả thủ tục"</a></p>
                            <FieldLinks fields />
                        }
                            .into_any()
                    }
                    (Err(error), _) | (_, Err(error)) => unavailable(error),
                }
            })}
        </Suspense>
    }
}

/// `/thu-tuc?q=…&linh-vuc=…&trang=…`: search and browse. A plain GET form, so results are
/// linkable and work without JavaScript.
#[component]
pub fn CatalogPage() -> impl IntoView {
    let params = use_query_map().read_untracked().clone();
    let query = params.get("q").unwrap_or_default();
    let field = params.get("linh-vuc").filter(|f| !f.is_empty());
    let page = params.get("trang").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1).max(1);
    let filter = CatalogFilter { field: field.clone(), page };
    let searching = !query.trim().is_empty();
    view! {
        <Title text=if searching { format!("Tìm “{}”", query.trim()) } else { "Danh mục thủ tục".to_owned() } />
        <h1>"Danh mục thủ tục hành chính"</h1>
        <SearchForm query=query.clone() field=field.clone() />
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match search_catalog(query.clone(), filter.clone()).await {
                    Ok(results) => view! { <Results results query filter /> }.into_any(),
                    Err(error) => unavailable(error),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SearchForm(query: String, field: Option<String>) -> impl IntoView {
    view! {
        <form class="search" method="get" action="/thu-tuc" role="search">
            <label for="tim-thu-tuc">"Tìm thủ tục"</label>
            <p class="hint" id="tim-thu-tuc-goi-y">"Gõ tên hoặc mã thủ tục, có dấu hay không dấu đều được, ví dụ: dang ky khai sinh"</p>
            <div class="search__row">
                <input
                    type="search"
                    id="tim-thu-tuc"
                    name="q"
                    value=query
                    maxlength="100"
                    autocomplete="off"
                    aria-describedby="tim-thu-tuc-goi-y"
                />
                <button type="submit" class="button">"Tìm"</button>
            </div>
            {field.map(|field| view! { <input type="hidden" name="linh-vuc" value=field /> })}
        </form>
    }
}

#[component]
fn Results(results: SearchResults, query: String, filter: CatalogFilter) -> impl IntoView {
    let SearchResults { procedures, total } = results;
    let query = query.trim().to_owned();
    let summary = match (&filter.field, query.is_empty()) {
        (Some(field), true) => format!("Lĩnh vực {field}: {total} thủ tục"),
        (Some(field), false) => format!("Tìm thấy {total} thủ tục cho “{query}” trong lĩnh vực {field}"),
        (None, true) => format!("Có {total} thủ tục"),
        (None, false) => format!("Tìm thấy {total} thủ tục cho “{query}”"),
    };
    let last_page = u32::try_from((total + i64::from(PER_PAGE) - 1) / i64::from(PER_PAGE)).unwrap_or(u32::MAX).max(1);
    let filtered = filter.field.is_some();
    let page = filter.page;
    let link = move |page: u32| catalog_url(&query, filter.field.as_deref(), page);
    view! {
        <p class="results-summary" role="status">{summary}</p>
        {filtered.then(|| view! { <p><a href="/thu-tuc">"Bỏ lọc lĩnh vực"</a></p> })}
        {if procedures.is_empty() {
            view! {
                <div class="notice">
                    <p>"Không tìm thấy thủ tục phù hợp. Hãy thử:"</p>
                    <ul>
                        <li>"gõ ít từ hơn, ví dụ “khai sinh”"</li>
                        <li>"gõ mã thủ tục, ví dụ “1.001193”"</li>
                        <li>"gọi đường dây nóng ở cuối trang để được hướng dẫn"</li>
                    </ul>
                </div>
            }
                .into_any()
        } else {
            view! { <ProcedureList procedures /> }.into_any()
        }}
        {(last_page > 1)
            .then(|| {
                view! {
                    <nav class="pagination" aria-label="Phân trang">
                        {(page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>"‹ Trang trước"</a> })}
                        <span>{format!("Trang {page}/{last_page}")}</span>
                        {(page < last_page).then(|| view! { <a rel="next" href=link(page + 1)>"Trang sau ›"</a> })}
                    </nav>
                }
            })}
    }
}

fn catalog_url(query: &str, field: Option<&str>, page: u32) -> String {
    let mut url = form_urlencoded::Serializer::new(String::new());
    if !query.is_empty() {
        url.append_pair("q", query);
    }
    if let Some(field) = field {
        url.append_pair("linh-vuc", field);
    }
    if page > 1 {
        url.append_pair("trang", &page.to_string());
    }
    let query = url.finish();
    if query.is_empty() { "/thu-tuc".to_owned() } else { format!("/thu-tuc?{query}") }
}

#[component]
fn FieldLinks(fields: Vec<FieldCount>) -> impl IntoView {
    view! {
        <h2>"Lĩnh vực"</h2>
        <ul class="field-links">
            {fields
                .into_iter()
                .map(|f| {
                    let href = catalog_url("", Some(&f.name), 1);
                    view! {
                        <li>
                            <a href=href>{f.name}</a>
                            {format!(" ({} thủ tục)", f.procedures)}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

fn unavailable(error: AppError) -> AnyView {
    set_page_status(503);
    view! { <p class="notice notice--error" role="alert">{error.to_string()}</p> }.into_any()
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
                        Err(error) => unavailable(error),
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
            <a href="/thu-tuc">"Danh mục thủ tục"</a>
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
