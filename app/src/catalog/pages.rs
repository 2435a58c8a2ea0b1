//! The catalog's pages: home, search and browse (`/thu-tuc`), and one procedure.

use super::{
    catalog_fields, get_procedure, popular_procedures, search_catalog, CatalogFilter, FieldCount, ProcedureDetail,
    ProcedureSummary, SearchResults, PER_PAGE,
};
use crate::error::set_page_status;
use crate::feedback::FeedbackSection;
use crate::i18n::{tr, tr_with};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text=tr("home.title") />
        <Meta name="description" content=tr("home.description") />
        <h1>{tr("home.title")}</h1>
        <SearchForm query=String::new() field=None />
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let popular = popular_procedures().await;
                let fields = catalog_fields().await;
                match (popular, fields) {
                    (Ok(popular), Ok(fields)) if fields.is_empty() && popular.is_empty() => {
                        view! { <p>{tr("home.empty")}</p> }.into_any()
                    }
                    (Ok(popular), Ok(fields)) => {
                        view! {
                            <h2>{tr("home.popular")}</h2>
                            <ProcedureList procedures=popular />
                            <p><a href="/thu-tuc">{tr("home.all")}</a></p>
                            <FieldLinks fields />
                        }
                            .into_any()
                    }
                    (Err(_), _) | (_, Err(_)) => unavailable(),
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
        <Title text=if searching { tr_with("catalog.search_title", &[("query", query.trim())]) } else { tr("catalog.title") } />
        <Meta name="description" content=tr("catalog.description") />
        <h1>{tr("catalog.heading")}</h1>
        <SearchForm query=query.clone() field=field.clone() />
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match search_catalog(query.clone(), filter.clone()).await {
                    Ok(results) => view! { <Results results query filter /> }.into_any(),
                    Err(_) => unavailable(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SearchForm(query: String, field: Option<String>) -> impl IntoView {
    view! {
        <form class="search" method="get" action="/thu-tuc" role="search">
            <label for="tim-thu-tuc">{tr("search.label")}</label>
            <p class="hint" id="tim-thu-tuc-goi-y">{tr("search.hint")}</p>
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
                <button type="submit" class="button">{tr("search.button")}</button>
            </div>
            {field.map(|field| view! { <input type="hidden" name="linh-vuc" value=field /> })}
        </form>
    }
}

#[component]
fn Results(results: SearchResults, query: String, filter: CatalogFilter) -> impl IntoView {
    let SearchResults { procedures, total } = results;
    let query = query.trim().to_owned();
    let total_text = total.to_string();
    let summary = match (&filter.field, query.is_empty()) {
        (Some(field), true) => tr_with("results.field_all", &[("field", field), ("total", &total_text)]),
        (Some(field), false) => {
            tr_with("results.field_query", &[("field", field), ("total", &total_text), ("query", &query)])
        }
        (None, true) => tr_with("results.all", &[("total", &total_text)]),
        (None, false) => tr_with("results.query", &[("total", &total_text), ("query", &query)]),
    };
    let last_page = u32::try_from((total + i64::from(PER_PAGE) - 1) / i64::from(PER_PAGE)).unwrap_or(u32::MAX).max(1);
    let filtered = filter.field.is_some();
    let page = filter.page;
    let link = move |page: u32| catalog_url(&query, filter.field.as_deref(), page);
    view! {
        <p class="results-summary" role="status">{summary}</p>
        {filtered.then(|| view! { <p><a href="/thu-tuc">{tr("results.clear_field")}</a></p> })}
        {if procedures.is_empty() {
            view! {
                <div class="notice">
                    <p>{tr("results.none")}</p>
                    <ul>
                        <li>{tr("results.try_fewer")}</li>
                        <li>{tr("results.try_code")}</li>
                        <li>{tr("results.try_hotline")}</li>
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
                    <nav class="pagination" aria-label=tr("pagination.label")>
                        {(page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>{tr("pagination.prev")}</a> })}
                        <span>{tr_with("pagination.position", &[("page", &page.to_string()), ("last", &last_page.to_string())])}</span>
                        {(page < last_page).then(|| view! { <a rel="next" href=link(page + 1)>{tr("pagination.next")}</a> })}
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
    if query.is_empty() {
        "/thu-tuc".to_owned()
    } else {
        format!("/thu-tuc?{query}")
    }
}

#[component]
fn FieldLinks(fields: Vec<FieldCount>) -> impl IntoView {
    view! {
        <h2>{tr("home.fields")}</h2>
        <ul class="field-links">
            {fields
                .into_iter()
                .map(|f| {
                    let href = catalog_url("", Some(&f.name), 1);
                    view! {
                        <li>
                            <a href=href>{f.name}</a>
                            {tr_with("home.field_count", &[("count", &f.procedures.to_string())])}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The page's data could not be loaded (the server function has logged why).
fn unavailable() -> AnyView {
    set_page_status(503);
    view! { <p class="notice notice--error" role="alert">{tr("error.unavailable")}</p> }.into_any()
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
                                <span>{tr("card.code")} {p.code.clone()}</span>
                            </p>
                            <dl class="procedure-card__facts">
                                <dt>{tr("fact.time_limit_short")}</dt>
                                <dd>{p.time_limit}</dd>
                                <dt>{tr("fact.fee_short")}</dt>
                                <dd>{p.fee}</dd>
                                <dt>{tr("fact.channel_short")}</dt>
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
            {Suspend::new(async move {
                match get_procedure(code).await {
                    Ok(Some(procedure)) => view! { <ProcedureDetails procedure /> }.into_any(),
                    Ok(None) => {
                        set_page_status(404);
                        view! {
                            <Title text=tr("procedure.not_found") />
                            <h1>{tr("procedure.not_found")}</h1>
                            <p>{tr("procedure.not_found_body")}</p>
                            <p><a href="/">{tr("procedure.back_to_list")}</a></p>
                        }
                            .into_any()
                    }
                    Err(_) => unavailable(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProcedureDetails(procedure: ProcedureDetail) -> impl IntoView {
    let ProcedureDetail {
        summary,
        applicant,
        competent_agency,
        steps,
        documents,
        result,
        legal_basis,
        unverified_note,
    } = procedure;
    let description =
        tr_with("procedure.meta", &[("name", &summary.name), ("time", &summary.time_limit), ("fee", &summary.fee)]);
    view! {
        <Title text=summary.name.clone() />
        <Meta name="description" content=description.clone() />
        <Meta property="og:title" content=summary.name.clone() />
        <Meta property="og:description" content=description />
        <nav class="breadcrumb" aria-label=tr("procedure.breadcrumb_label")>
            <a href="/thu-tuc">{tr("procedure.breadcrumb")}</a>
        </nav>
        <h1>{summary.name.clone()}</h1>
        {unverified_note.map(|note| view! { <p class="notice">{tr("procedure.unverified")} {note}</p> })}
        {Some(tr("procedure.content_note")).filter(|note| !note.is_empty()).map(|note| view! { <p class="hint">{note}</p> })}
        <dl class="facts">
            <dt>{tr("fact.code")}</dt>
            <dd>{summary.code.clone()}</dd>
            <dt>{tr("fact.field")}</dt>
            <dd>{summary.field}</dd>
            <dt>{tr("fact.level")}</dt>
            <dd>{summary.level}</dd>
            <dt>{tr("fact.agency")}</dt>
            <dd>{competent_agency}</dd>
            <dt>{tr("fact.applicant")}</dt>
            <dd>{applicant}</dd>
            <dt>{tr("fact.time_limit")}</dt>
            <dd>{summary.time_limit}</dd>
            <dt>{tr("fact.fee")}</dt>
            <dd>{summary.fee}</dd>
            <dt>{tr("fact.channel")}</dt>
            <dd>{summary.online_kind.label()}</dd>
        </dl>
        <h2>{tr("procedure.steps")}</h2>
        <ol class="steps">{steps.into_iter().map(|step| view! { <li>{step}</li> }).collect_view()}</ol>
        <h2>{tr("procedure.documents")}</h2>
        <ul>{documents.into_iter().map(|doc| view! { <li>{doc}</li> }).collect_view()}</ul>
        <h2>{tr("procedure.result")}</h2>
        <p>{result}</p>
        <h2>{tr("procedure.legal_basis")}</h2>
        <ul>{legal_basis.into_iter().map(|law| view! { <li>{law}</li> }).collect_view()}</ul>
        <FeedbackSection procedure_code=Some(summary.code) />
    }
}
