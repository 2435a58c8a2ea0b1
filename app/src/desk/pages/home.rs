//! `/can-bo`: the agency's queues with their counts, search, and one page of a queue or of the
//! results, sorted as the officer chose.

use crate::desk::api::load_desk_home;
use crate::desk::{DeskHome, QueueOrder, QueueRow, PAGE_SIZE};
use crate::i18n::{tr, tr_code, tr_with};
use crate::routes::{desk_dossier_url, DESK_PATH};
use crate::ui::{on_staff_error, StaffBar};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DeskHomePage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let (queue, search, order, page) = (query.get("hang"), query.get("q"), query.get("xep"), query.get("trang"));
    let password_changed = query.get("da-doi-mat-khau").is_some();
    let here = match &queue {
        Some(q) => format!("{DESK_PATH}?hang={q}"),
        None => DESK_PATH.to_owned(),
    };
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match load_desk_home(queue.clone(), search.clone(), order.clone(), page.clone()).await {
                    Ok(home) => view! { <Home home password_changed /> }.into_any(),
                    Err(error) => on_staff_error(error, &here),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Home(home: DeskHome, password_changed: bool) -> impl IntoView {
    let paging = Paging::of(&home);
    let DeskHome { staff, counts, queue, search, rows, .. } = home;
    let heading =
        queue.map_or_else(|| tr_with("desk.home.results", &[("search", &search)]), |q| tr_code("queue", q.slug()));
    view! {
        <Title text=tr("desk.home.title") />
        <StaffBar staff />
        {password_changed.then(|| view! { <p class="notice notice--success" role="status">{tr("desk.home.password_changed")}</p> })}
        <h1>{tr("desk.home.heading")}</h1>
        <form method="get" action=DESK_PATH class="search" role="search">
            <label for="tim-ho-so">{tr("desk.home.search_label")}</label>
            <div class="search__row">
                <input id="tim-ho-so" name="q" type="search" value=search.clone() maxlength="100" />
                <button type="submit" class="button">{tr("desk.home.search")}</button>
            </div>
        </form>
        <nav aria-label=tr("desk.home.queues")>
            <ul class="queues">
                {counts
                    .into_iter()
                    .map(|(q, count)| {
                        let current = (Some(q) == queue).then_some("page");
                        let alert = count > 0 && q == crate::desk::Queue::Overdue;
                        view! {
                            <li>
                                <a href=format!("{DESK_PATH}?hang={}", q.slug()) aria-current=current
                                    class:queues__alert=alert>
                                    <span>{tr_code("queue", q.slug())}</span>
                                    <span class="queues__count">{count}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
        <h2 id="danh-sach">{heading}</h2>
        {if rows.is_empty() {
            view! { <p>{tr("desk.home.empty")}</p> }.into_any()
        } else {
            view! {
                <SortForm paging=paging.clone() />
                <p class="list-count">{paging.showing()}</p>
                <ul class="card-list" aria-labelledby="danh-sach">
                    {rows.into_iter().map(|row| view! { <Row row /> }).collect_view()}
                </ul>
                <PageLinks paging />
            }
            .into_any()
        }}
    }
}

/// Where the list is in its queue or results, for the sort form and the page links.
#[derive(Clone)]
struct Paging {
    /// `hang=…` or `q=…`: what the list is.
    list: (&'static str, String),
    order: QueueOrder,
    page: i64,
    pages: i64,
    total: i64,
    shown: usize,
}

impl Paging {
    fn of(home: &DeskHome) -> Self {
        let list = match home.queue {
            Some(queue) => ("hang", queue.slug().to_owned()),
            None => ("q", home.search.clone()),
        };
        Self {
            list,
            order: home.order,
            page: home.page,
            pages: home.pages(),
            total: home.total,
            shown: home.rows.len(),
        }
    }

    fn url(&self, page: i64) -> String {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair(self.list.0, &self.list.1)
            .append_pair("xep", self.order.slug())
            .append_pair("trang", &page.to_string())
            .finish();
        format!("{DESK_PATH}?{query}#danh-sach")
    }

    fn showing(&self) -> String {
        let first = (self.page - 1) * PAGE_SIZE + 1;
        let last = first + i64::try_from(self.shown).unwrap_or(0) - 1;
        tr_with(
            "desk.home.showing",
            &[("from", &first.to_string()), ("to", &last.to_string()), ("total", &self.total.to_string())],
        )
    }
}

/// The order of the list (a plain GET form: works without JavaScript).
#[component]
fn SortForm(paging: Paging) -> impl IntoView {
    view! {
        <form method="get" action=DESK_PATH class="sort-form">
            <input type="hidden" name=paging.list.0 value=paging.list.1.clone() />
            <label for="xep">{tr("desk.home.sort_label")}</label>
            <select id="xep" name="xep">
                {QueueOrder::ALL
                    .into_iter()
                    .map(|order| view! {
                        <option value=order.slug() selected=order == paging.order>{tr_code("desk.home.sort", order.slug())}</option>
                    })
                    .collect_view()}
            </select>
            <button type="submit" class="button button--secondary">{tr("desk.home.sort_apply")}</button>
        </form>
    }
}

#[component]
fn PageLinks(paging: Paging) -> impl IntoView {
    (paging.pages > 1).then(|| {
        let (page, pages) = (paging.page, paging.pages);
        view! {
            <nav class="pagination" aria-label=tr("desk.home.pages")>
                {(page > 1).then(|| view! { <a href=paging.url(page - 1) rel="prev">{tr("desk.home.previous")}</a> })}
                <span>{tr_with("desk.home.page_of", &[("page", &page.to_string()), ("pages", &pages.to_string())])}</span>
                {(page < pages).then(|| view! { <a href=paging.url(page + 1) rel="next">{tr("desk.home.next")}</a> })}
            </nav>
        }
    })
}

#[component]
fn Row(row: QueueRow) -> impl IntoView {
    view! {
        <li class="card">
            <p class="card__title"><a href=desk_dossier_url(&row.code)>{row.code.clone()}</a></p>
            <p><span lang="vi">{row.applicant_name}</span> " · " <span lang="vi">{row.procedure_name}</span></p>
            <p class="card__meta">
                {tr_code("status", &row.status)} " · " {tr("desk.home.due")} " "
                <span class:overdue=row.overdue>{row.due_date}</span>
                {row.overdue.then(|| format!(" ({})", tr("desk.home.overdue")))}
                " · " {tr("desk.home.received")} " " {row.received_at}
                {(row.channel != "online").then(|| format!(" · {}", tr_code("desk.home.channel", &row.channel)))}
            </p>
        </li>
    }
}
