//! The catalog's list pages: home, and search and browse (`/thu-tuc`).

use crate::catalog::api::{catalog_facets, popular_procedures, search_catalog};
use crate::catalog::{CatalogFilter, Facets, FieldCount, ProcedureSummary, SearchResults, PER_PAGE};
use crate::domain::fee::FeeSummary;
use crate::domain::money::group_thousands;
use crate::i18n::{tr, tr_with};
use crate::ui::{time_limit_text, unavailable};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text=tr("home.title") />
        <Meta name="description" content=tr("home.description") />
        <h1>{tr("home.title")}</h1>
        <SearchForm query=String::new() />
        <p><a href=crate::routes::TRACKING_PATH>{tr("home.track")}</a></p>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let popular = popular_procedures().await;
                let facets = catalog_facets().await;
                match (popular, facets) {
                    (Ok(popular), Ok(facets)) if facets.fields.is_empty() && popular.is_empty() => {
                        view! { <p>{tr("home.empty")}</p> }.into_any()
                    }
                    (Ok(popular), Ok(facets)) => {
                        view! {
                            <h2>{tr("home.popular")}</h2>
                            <ProcedureList procedures=popular />
                            <p><a href="/thu-tuc">{tr("home.all")}</a></p>
                            <FieldLinks fields=facets.fields />
                        }
                            .into_any()
                    }
                    (Err(_), _) | (_, Err(_)) => unavailable(),
                }
            })}
        </Suspense>
    }
}

/// `/thu-tuc?q=…&linh-vuc=…&cap=…&co-quan=…&trang=…`: search and browse. Plain GET forms and
/// links, so results are linkable and work without JavaScript.
#[component]
pub fn CatalogPage() -> impl IntoView {
    let params = use_query_map().read_untracked().clone();
    let param = |name: &str| params.get(name).filter(|value| !value.trim().is_empty());
    let query = params.get("q").unwrap_or_default();
    let filter = CatalogFilter {
        field: param("linh-vuc"),
        level: param("cap"),
        agency: param("co-quan"),
        page: params.get("trang").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1).max(1),
    };
    let searching = !query.trim().is_empty();
    view! {
        <Title text=if searching { tr_with("catalog.search_title", &[("query", query.trim())]) } else { tr("catalog.title") } />
        <Meta name="description" content=tr("catalog.description") />
        <h1>{tr("catalog.heading")}</h1>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let results = search_catalog(query.clone(), filter.clone()).await;
                let facets = catalog_facets().await;
                match (results, facets) {
                    (Ok(results), Ok(facets)) => {
                        view! {
                            <SearchForm query=query.clone() />
                            <FilterForm query=query.clone() filter=filter.clone() facets=facets.clone() />
                            <Results results query filter facets />
                        }
                            .into_any()
                    }
                    _ => view! { <SearchForm query /> {unavailable()} }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SearchForm(query: String) -> impl IntoView {
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
        </form>
    }
}

/// Field, level and agency filters in a disclosure that is open while a filter is set.
#[component]
fn FilterForm(query: String, filter: CatalogFilter, facets: Facets) -> impl IntoView {
    let open = filter.is_filtered();
    let field_options: Vec<(String, String)> = facets.fields.into_iter().map(|f| (f.name.clone(), f.name)).collect();
    let level_options: Vec<(String, String)> = facets.levels.into_iter().map(|l| (l.clone(), l)).collect();
    let agency_options: Vec<(String, String)> = facets.agencies.into_iter().map(|a| (a.identifier, a.name)).collect();
    view! {
        <details class="filters" open=open>
            <summary>{tr("filter.summary")}</summary>
            <form method="get" action="/thu-tuc">
                {(!query.trim().is_empty()).then(|| view! { <input type="hidden" name="q" value=query.trim().to_owned() /> })}
                <FilterSelect id="loc-linh-vuc" name="linh-vuc" label=tr("filter.field") options=field_options selected=filter.field />
                <FilterSelect id="loc-cap" name="cap" label=tr("filter.level") options=level_options selected=filter.level />
                <FilterSelect id="loc-co-quan" name="co-quan" label=tr("filter.agency") options=agency_options selected=filter.agency />
                <button type="submit" class="button">{tr("filter.apply")}</button>
            </form>
        </details>
    }
}

#[component]
fn FilterSelect(
    id: &'static str,
    name: &'static str,
    label: String,
    options: Vec<(String, String)>,
    selected: Option<String>,
) -> impl IntoView {
    view! {
        <p class="field">
            <label for=id>{label}</label>
            <select id=id name=name>
                <option value="">{tr("filter.any")}</option>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = selected.as_deref() == Some(value.as_str());
                        view! { <option value=value selected=is_selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </p>
    }
}

#[component]
fn Results(results: SearchResults, query: String, filter: CatalogFilter, facets: Facets) -> impl IntoView {
    let SearchResults { procedures, total } = results;
    let query = query.trim().to_owned();
    let total_text = total.to_string();
    let summary = if query.is_empty() {
        tr_with("results.all", &[("total", &total_text)])
    } else {
        tr_with("results.query", &[("total", &total_text), ("query", &query)])
    };
    let active_filters = describe_filters(&filter, &facets);
    let last_page = u32::try_from((total + i64::from(PER_PAGE) - 1) / i64::from(PER_PAGE)).unwrap_or(u32::MAX).max(1);
    let page = filter.page;
    let clear_filters = catalog_url(&query, &CatalogFilter::default());
    let link = move |page: u32| catalog_url(&query, &CatalogFilter { page, ..filter.clone() });
    view! {
        <p class="results-summary" role="status">{summary}</p>
        {(!active_filters.is_empty())
            .then(|| {
                view! {
                    <p class="results-filters">
                        {tr_with("results.filtered_by", &[("filters", &active_filters)])} " "
                        <a href=clear_filters>{tr("results.clear_filters")}</a>
                    </p>
                }
            })}
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

/// "Hộ tịch · Cấp xã · UBND Phường Hoa Lư" for the filters in use.
fn describe_filters(filter: &CatalogFilter, facets: &Facets) -> String {
    let agency = filter.agency.as_ref().map(|identifier| {
        facets.agencies.iter().find(|a| &a.identifier == identifier).map_or(identifier.clone(), |a| a.name.clone())
    });
    [filter.field.clone(), filter.level.clone(), agency].into_iter().flatten().collect::<Vec<_>>().join(" · ")
}

fn catalog_url(query: &str, filter: &CatalogFilter) -> String {
    let mut url = form_urlencoded::Serializer::new(String::new());
    let pairs = [
        ("q", Some(query)),
        ("linh-vuc", filter.field.as_deref()),
        ("cap", filter.level.as_deref()),
        ("co-quan", filter.agency.as_deref()),
    ];
    for (name, value) in pairs {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            url.append_pair(name, value);
        }
    }
    if filter.page > 1 {
        url.append_pair("trang", &filter.page.to_string());
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
                    let href = catalog_url("", &CatalogFilter { field: Some(f.name.clone()), ..CatalogFilter::default() });
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

/// "3 ngày làm việc", "Trong ngày làm việc", ...
pub(super) fn fee_text(fee: &FeeSummary) -> String {
    match fee {
        FeeSummary::Free => tr("fee.free"),
        FeeSummary::Amount(amount) => tr_with("fee.amount", &[("amount", &group_thousands(*amount))]),
        FeeSummary::Described(text) => text.clone(),
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
                                <span>{tr("card.code")} {p.code.clone()}</span>
                            </p>
                            <dl class="procedure-card__facts">
                                <dt>{tr("fact.time_limit_short")}</dt>
                                <dd>{time_limit_text(p.time_limit)}</dd>
                                <dt>{tr("fact.fee_short")}</dt>
                                <dd>{fee_text(&p.fee)}</dd>
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
