//! `/can-bo`: the agency's queues with their counts, search, and the dossiers of one queue
//! sorted by due date.

use crate::desk::api::load_desk_home;
use crate::desk::{DeskHome, QueueRow};
use crate::i18n::{tr, tr_code, tr_with};
use crate::routes::{desk_dossier_url, DESK_PATH};
use crate::ui::{on_staff_error, StaffBar};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DeskHomePage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let (queue, search) = (query.get("hang"), query.get("q"));
    let password_changed = query.get("da-doi-mat-khau").is_some();
    let here = match &queue {
        Some(q) => format!("{DESK_PATH}?hang={q}"),
        None => DESK_PATH.to_owned(),
    };
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match load_desk_home(queue.clone(), search.clone()).await {
                    Ok(home) => view! { <Home home password_changed /> }.into_any(),
                    Err(error) => on_staff_error(error, &here),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Home(home: DeskHome, password_changed: bool) -> impl IntoView {
    let DeskHome { staff, counts, queue, search, rows } = home;
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
                <ul class="card-list" aria-labelledby="danh-sach">
                    {rows.into_iter().map(|row| view! { <Row row /> }).collect_view()}
                </ul>
            }
            .into_any()
        }}
    }
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
