//! `/can-bo/so-theo-doi`: the agency's dossier register for a period, printable, with the same
//! rows as a CSV file.

use crate::desk::api::load_register;
use crate::desk::{RegisterRow, RegisterView, REGISTER_COLUMNS};
use crate::i18n::{tr, tr_with};
use crate::routes::{desk_dossier_url, REGISTER_CSV_PATH, REGISTER_PATH};
use crate::ui::{date_boxes_view, date_in_query, on_staff_error, DateBoxes, ErrorSummary, StaffBar};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let typed = |name: &str| Some(date_in_query(name, |key| query.get_str(key))).filter(|date| !date.is_empty());
    let (first, last) = (typed("tu"), typed("den"));
    let here = match (&first, &last) {
        (None, None) => REGISTER_PATH.to_owned(),
        _ => format!("{REGISTER_PATH}?{}", period_query(first.as_deref().unwrap_or(""), last.as_deref().unwrap_or(""))),
    };
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match load_register(first.clone(), last.clone()).await {
                    Ok(register) => view! { <Register register /> }.into_any(),
                    Err(error) => on_staff_error(error, &here),
                }
            })}
        </Suspense>
    }
}

fn period_query(first: &str, last: &str) -> String {
    form_urlencoded::Serializer::new(String::new()).append_pair("tu", first).append_pair("den", last).finish()
}

#[component]
fn Register(register: RegisterView) -> impl IntoView {
    let RegisterView { staff, first, last, label, problem, rows, cut } = register;
    let problem = problem.map(|(field, message)| (field, message.show()));
    let errors: Vec<(String, String)> = problem.iter().cloned().collect();
    let error_for = |field: &str| problem.clone().filter(|(f, _)| f == field).map(|(_, m)| m);
    let date_field = move |field: &'static str, legend: String, value: String| {
        date_boxes_view(DateBoxes {
            id: field.to_owned(),
            legend,
            value,
            error: error_for(field),
            required: false,
            field,
            wrap_name: |key| key,
        })
    };
    let csv_url = format!("{REGISTER_CSV_PATH}?{}", period_query(&first, &last));
    let readable = problem.is_none();
    let agency = staff.agency_name.clone();
    view! {
        <Title text=tr("register.title") />
        <StaffBar staff />
        <ErrorSummary errors />
        <h1>{tr("register.title")}</h1>
        <p class="lead" lang="vi">{agency}</p>
        <form method="get" action=REGISTER_PATH class="form stats-filters no-print">
            <div class="stats-filters__dates">
                {date_field("tu", tr("stats.from"), first.clone())}
                {date_field("den", tr("stats.to"), last.clone())}
            </div>
            <button type="submit" class="button">{tr("register.show")}</button>
        </form>
        {readable.then(|| view! {
            <p class="results-summary">
                {tr_with("register.summary", &[("period", &label), ("count", &rows.len().to_string())])}
                {cut.then(|| view! { <br /><strong>{tr("register.cut")}</strong> })}
            </p>
            <p class="no-print"><a href=csv_url download>{tr("register.csv")}</a></p>
            <RegisterTable rows />
        })}
    }
}

#[component]
fn RegisterTable(rows: Vec<RegisterRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>{tr("register.empty")}</p> }.into_any();
    }
    let optional = |value: Option<String>| value.unwrap_or_else(|| "–".to_owned());
    view! {
        <div class="table-scroll" role="region" aria-labelledby="so-theo-doi" tabindex="0">
            <table class="stats-table register-table">
                <caption id="so-theo-doi">{tr("register.caption")}</caption>
                <thead>
                    <tr>{REGISTER_COLUMNS.iter().map(|c| view! { <th scope="col">{tr(&format!("register.col.{c}"))}</th> }).collect_view()}</tr>
                </thead>
                <tbody>
                    {rows.into_iter().enumerate().map(|(number, row)| view! {
                        <tr>
                            <td>{number + 1}</td>
                            <th scope="row"><a href=desk_dossier_url(&row.code)>{row.code.clone()}</a></th>
                            <td lang="vi">{row.procedure}</td>
                            <td lang="vi">{row.applicant}</td>
                            <td>{row.channel.show()}</td>
                            <td lang="vi">{row.handling_agency}</td>
                            <td>{row.received}</td>
                            <td>{optional(row.accepted)}</td>
                            <td>{optional(row.due)}</td>
                            <td>{optional(row.promised)}</td>
                            <td>{optional(row.finished)}</td>
                            <td>{optional(row.returned)}</td>
                            <td>{row.status.show()}</td>
                            <td>{optional(row.timeliness.map(|t| t.show()))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
