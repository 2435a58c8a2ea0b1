//! The statistics pages: the public one, the leaders' dashboard (each number links to its
//! dossiers) and the list of dossiers behind a number. Plain GET forms; no script.

use super::chart::on_time_chart;
use crate::domain::money::group_thousands;
use crate::domain::statistics::Figures;
use crate::i18n::{tr, tr_code, tr_with};
use crate::routes::{DESK_CSV_PATH, DESK_STATS_PATH, DRILL_DOWN_PATH, PUBLIC_CSV_PATH, PUBLIC_STATS_PATH};
use crate::stats::api::{load_desk_stats, load_public_stats, load_stats_dossiers};
use crate::stats::{Column, DeskStats, DrillDown, StatsForm, StatsReport, ALL_SLICES, COLUMNS};
use crate::ui::{date_boxes_view, date_query_names, DateBoxes, ErrorSummary};
use crate::ui::{on_staff_error, StaffBar};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

fn form_from_query() -> StatsForm {
    let query = use_query_map().read_untracked().clone();
    let names = ["tu", "den", "co-quan", "linh-vuc", "thu-tuc", "theo"].map(str::to_owned);
    let values: Vec<(String, String)> = names
        .into_iter()
        .chain(date_query_names(&["tu", "den"]))
        .filter_map(|n| query.get(&n).map(|value| (n, value)))
        .collect();
    StatsForm::from_pairs(|name| values.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()))
}

fn args(form: &StatsForm) -> (String, String, String, String, String, String) {
    (
        form.from.clone(),
        form.to.clone(),
        form.agency.clone(),
        form.field.clone(),
        form.procedure.clone(),
        form.slice.clone(),
    )
}

#[component]
pub fn PublicStatsPage() -> impl IntoView {
    let form = form_from_query();
    view! {
        <Title text=tr("stats.public.title") />
        <Meta name="description" content=tr("stats.public.description") />
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let (tu, den, co_quan, linh_vuc, thu_tuc, theo) = args(&form);
                match load_public_stats(tu, den, co_quan, linh_vuc, thu_tuc, theo).await {
                    Ok(report) => view! { <PublicReport report /> }.into_any(),
                    Err(crate::error::AppError::TooManyRequests) => crate::ui::too_many_requests(),
                    Err(_) => crate::ui::unavailable(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PublicReport(report: StatsReport) -> impl IntoView {
    let csv = format!("{PUBLIC_CSV_PATH}?{}", report.form.query(&[]));
    view! {
        <h1>{tr("stats.public.title")}</h1>
        <p class="lead">{tr("stats.public.lead")}</p>
        <Report report=report.clone() action=PUBLIC_STATS_PATH drill=false />
        <p><a class="download" href=csv>{tr("stats.download")}</a></p>
        <Definitions />
    }
}

#[component]
pub fn DeskStatsPage() -> impl IntoView {
    let form = form_from_query();
    let here = format!("{DESK_STATS_PATH}?{}", form.query(&[]));
    view! {
        <Title text=tr("stats.desk.title") />
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let (tu, den, co_quan, linh_vuc, thu_tuc, theo) = args(&form);
                match load_desk_stats(tu, den, co_quan, linh_vuc, thu_tuc, theo).await {
                    Ok(stats) => view! { <Dashboard stats /> }.into_any(),
                    Err(error) => on_staff_error(error, &here),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Dashboard(stats: DeskStats) -> impl IntoView {
    let DeskStats { staff, report } = stats;
    let csv = format!("{DESK_CSV_PATH}?{}", report.form.query(&[]));
    view! {
        <StaffBar staff />
        <h1>{tr("stats.desk.title")}</h1>
        <p class="lead">{tr("stats.desk.lead")}</p>
        <Report report action=DESK_STATS_PATH drill=true />
        <p><a class="download" href=csv>{tr("stats.download")}</a></p>
        <Definitions />
    }
}

/// The filter form, the headline figures, the chart and the table.
#[component]
fn Report(report: StatsReport, action: &'static str, drill: bool) -> impl IntoView {
    let problem = report.problem.clone().map(|(field, m)| (field, m.show()));
    let errors: Vec<(String, String)> = problem.iter().cloned().collect();
    let has_rows = !report.rows.is_empty();
    view! {
        <ErrorSummary errors />
        <Filters report=report.clone() action problem />
        {report.problem.is_none().then(|| view! {
            <p class="results-summary">
                <Scope report=report.clone() />
                <br /><span class="hint">{tr_with("stats.open_as_of", &[("date", &report.report_date)])}</span>
            </p>
            <Headline figures=report.total />
            {has_rows.then(|| view! { <Chart report=report.clone() /> })}
            <FiguresTable report=report.clone() drill />
        })}
    }
}

#[component]
fn Filters(report: StatsReport, action: &'static str, problem: Option<(String, String)>) -> impl IntoView {
    let form = report.form.clone();
    let error_for = move |field: &str| problem.clone().filter(|(f, _)| f == field).map(|(_, m)| m);
    let date_error = error_for.clone();
    let date_field = move |field: &'static str, legend: String, value: String| {
        date_boxes_view(DateBoxes {
            id: field.to_owned(),
            legend,
            value,
            error: date_error(field),
            required: false,
            field,
            wrap_name: |key| key,
        })
    };
    let field_view = move |id: &'static str, label: String, input: AnyView| {
        let error = error_for(id);
        let has_error = error.is_some();
        view! {
            <div class="field" class:field--error=has_error>
                <label for=id>{label}</label>
                {error.map(|m| view! { <p class="field__error">{m}</p> })}
                {input}
            </div>
        }
    };
    let option =
        |value: String, label: String, selected: bool| view! { <option value=value selected=selected>{label}</option> };
    let named = |value: String, name: String, selected: bool| {
        view! { <option value=value selected=selected lang="vi">{name}</option> }
    };
    let agencies =
        report.agencies.iter().map(|(id, name)| named(id.clone(), name.clone(), *id == form.agency)).collect_view();
    let fields =
        report.fields.iter().map(|(id, name)| named(id.clone(), name.clone(), *id == form.field)).collect_view();
    let slices = ALL_SLICES
        .iter()
        .map(|s| option(s.slug().to_owned(), tr_code("stats.slice", s.slug()), *s == form.slice()))
        .collect_view();
    view! {
        <form method="get" action=action class="form stats-filters">
            <div class="stats-filters__dates">
                {date_field("tu", tr("stats.from"), form.from.clone())}
                {date_field("den", tr("stats.to"), form.to.clone())}
            </div>
            {field_view("co-quan", tr("stats.agency"), view! {
                <select id="co-quan" name="co-quan">
                    <option value="">{tr("stats.all")}</option>
                    {agencies}
                </select> }.into_any())}
            {field_view("linh-vuc", tr("stats.field"), view! {
                <select id="linh-vuc" name="linh-vuc">
                    <option value="">{tr("stats.all")}</option>
                    {fields}
                </select> }.into_any())}
            {field_view("thu-tuc", tr("stats.procedure"), view! {
                <input id="thu-tuc" name="thu-tuc" type="text" inputmode="decimal" maxlength="10" class="input--short"
                    value=form.procedure.clone() placeholder="1.001193" /> }.into_any())}
            {field_view("theo", tr("stats.slice"), view! {
                <select id="theo" name="theo">{slices}</select> }.into_any())}
            <button type="submit" class="button">{tr("stats.show")}</button>
        </form>
    }
}

#[component]
fn Headline(figures: Figures) -> impl IntoView {
    let on_time = figures.on_time_share();
    let paid_online = figures.paid_online_share();
    view! {
        <dl class="headline">
            <div class="headline__main">
                <dt>{tr("stats.headline.on_time")}</dt>
                <dd><strong>{on_time.percent_text()}</strong>
                    <span class="hint">{tr_with("stats.headline.of_finished", &[("part", &on_time.part.to_string()), ("whole", &on_time.whole.to_string())])}</span></dd>
            </div>
            <div><dt>{tr("stats.column.received")}</dt><dd>{figures.received()}</dd></div>
            <div><dt>{tr("stats.measure.qua-han")}</dt><dd>{figures.open_overdue}</dd></div>
            <div><dt>{tr("stats.headline.online")}</dt><dd>{figures.online_share().percent_text()}</dd></div>
            <div><dt>{tr("stats.headline.satisfied")}</dt>
                <dd>{figures.satisfied_share().percent_text()}
                    <span class="hint">{tr_with("stats.headline.ratings", &[("count", &figures.ratings().to_string())])}</span></dd></div>
            <div><dt>{tr("stats.headline.paid_online")}</dt>
                <dd>{paid_online.percent_text()}
                    <span class="hint">{tr_with("stats.headline.of_paid", &[("part", &paid_online.part.to_string()), ("whole", &paid_online.whole.to_string())])}</span></dd></div>
            <div><dt>{tr("stats.headline.fees")}</dt>
                <dd>{tr_with("stats.headline.amount", &[("amount", &group_thousands(figures.fees_vnd.unsigned_abs()))])}
                    <span class="hint">{tr_with("stats.headline.fees_online", &[("amount", &group_thousands(figures.fees_online_vnd.unsigned_abs()))])}</span></dd></div>
        </dl>
    }
}

#[component]
fn Chart(report: StatsReport) -> impl IntoView {
    let title = tr_code("stats.chart_title", report.form.slice().slug());
    on_time_chart(&report.rows, &title).map(|svg| {
        view! {
            <figure class="chart-figure">
                <figcaption>{title}</figcaption>
                <div inner_html=svg></div>
                <ul class="legend">
                    <li><span class="legend__swatch legend__swatch--early"></span>{tr("stats.legend.early")}</li>
                    <li><span class="legend__swatch legend__swatch--on-time"></span>{tr("stats.legend.on_time")}</li>
                    <li><span class="legend__swatch legend__swatch--late"></span>{tr("stats.legend.late")}</li>
                </ul>
            </figure>
        }
    })
}

/// Every figure per row (rows across, so a phone scrolls one table sideways).
#[component]
fn FiguresTable(report: StatsReport, drill: bool) -> impl IntoView {
    let slice = report.form.slice().slug();
    let month_rows = report.form.slice() == crate::stats::Slice::Month;
    let cell = move |column: Column, figures: &Figures, form: &StatsForm| {
        let value = column.value(figures);
        match column {
            Column::Counted(measure) if drill && value != "0" => {
                let href = format!("{DRILL_DOWN_PATH}?{}", form.query(&[("chi-so", measure.slug())]));
                view! { <td><a href=href>{value}</a></td> }.into_any()
            }
            _ => view! { <td>{value}</td> }.into_any(),
        }
    };
    let total_form = StatsForm { slice: String::new(), ..report.form.clone() };
    view! {
        <div class="table-scroll" role="region" aria-labelledby="bang-so-lieu" tabindex="0">
            <table class="stats-table">
                <caption id="bang-so-lieu">{tr_code("stats.table_caption", slice)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr_code("stats.slice", slice)}</th>
                        {COLUMNS.iter().map(|c| view! { <th scope="col">{tr(&c.key())}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {report
                        .rows
                        .iter()
                        .map(|row| view! {
                            <tr>
                                <th scope="row" lang=(!month_rows).then_some("vi")>{row.label.clone()}</th>
                                {COLUMNS.iter().map(|c| cell(*c, &row.figures, &row.narrowed)).collect_view()}
                            </tr>
                        })
                        .collect_view()}
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row">{tr("stats.total")}</th>
                        {COLUMNS.iter().map(|c| cell(*c, &report.total, &total_form)).collect_view()}
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

#[component]
fn Definitions() -> impl IntoView {
    view! {
        <details class="filters">
            <summary>{tr("stats.definitions")}</summary>
            <ul>
                {(1..=7).map(|n| view! { <li>{tr(&format!("stats.definition.{n}"))}</li> }).collect_view()}
            </ul>
        </details>
    }
}

#[component]
pub fn StatsDossiersPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let form = form_from_query();
    let measure = query.get("chi-so").unwrap_or_default();
    let here = format!("{DRILL_DOWN_PATH}?{}", form.query(&[("chi-so", &measure)]));
    view! {
        <Title text=tr("stats.drill.title") />
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let (tu, den, co_quan, linh_vuc, thu_tuc, _) = args(&form);
                match load_stats_dossiers(tu, den, co_quan, linh_vuc, thu_tuc, measure).await {
                    Ok(drill) => view! { <Drilled drill /> }.into_any(),
                    Err(error) => on_staff_error(error, &here),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Drilled(drill: DrillDown) -> impl IntoView {
    let DrillDown { staff, measure, report, count, dossiers } = drill;
    let back = format!("{DESK_STATS_PATH}?{}", report.form.query(&[]));
    let shown = dossiers.len() as i64;
    view! {
        <StaffBar staff />
        <p class="back-link"><a href=back>{tr("stats.drill.back")}</a></p>
        <h1>{tr_with("stats.drill.heading", &[("measure", &tr_code("stats.measure", measure.slug())), ("count", &count.to_string())])}</h1>
        <ErrorSummary errors=report.problem.iter().map(|(field, m)| (field.clone(), m.show())).collect() />
        <p class="results-summary"><Scope report=report.clone() /></p>
        {(shown < count).then(|| view! { <p class="hint">{tr_with("stats.drill.first", &[("shown", &shown.to_string())])}</p> })}
        <ul class="card-list">
            {dossiers
                .into_iter()
                .map(|d| view! {
                    <li class="card">
                        <p class="card__title"><a href=crate::routes::desk_dossier_url(&d.code)>{d.code.clone()}</a></p>
                        <p lang="vi">{d.procedure_name}</p>
                        <p class="card__meta">
                            {tr_code("status", &d.status)} " · " {tr("stats.drill.received")} " " {d.received_at}
                            " · " {tr("stats.drill.due")} " " {d.due_date}
                            {d.finished_on.map(|f| format!(" · {} {f}", tr("stats.drill.finished")))}
                        </p>
                    </li>
                })
                .collect_view()}
        </ul>
    }
}

/// Whose figures and for which period.
#[component]
fn Scope(report: StatsReport) -> impl IntoView {
    let name = (!report.scope_name.is_empty()).then(|| report.scope_name.clone());
    view! {
        {match name {
            Some(name) => view! { <span lang="vi">{name}</span> }.into_any(),
            None => tr("stats.all_agencies").into_any(),
        }}
        " · " {report.period_label.clone()}
    }
}
