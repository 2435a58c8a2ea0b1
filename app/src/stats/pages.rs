//! The statistics pages: the public one, the leaders' dashboard (each number links to its
//! dossiers) and the list of dossiers behind a number. Plain GET forms; no script.

use super::chart::on_time_chart;
use crate::domain::statistics::Figures;
use crate::routes::{DESK_CSV_PATH, DESK_STATS_PATH, DRILL_DOWN_PATH, PUBLIC_CSV_PATH, PUBLIC_STATS_PATH};
use crate::stats::api::{load_desk_stats, load_public_stats, load_stats_dossiers};
use crate::stats::{Column, DeskStats, DrillDown, StatsForm, StatsReport, ALL_SLICES, COLUMNS};
use crate::ui::ErrorSummary;
use crate::ui::{on_staff_error, StaffBar};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

fn form_from_query() -> StatsForm {
    let query = use_query_map().read_untracked().clone();
    let values: Vec<(String, String)> = ["tu", "den", "co-quan", "linh-vuc", "thu-tuc", "theo"]
        .iter()
        .map(|n| (n.to_string(), query.get(n).unwrap_or_default()))
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
        <Title text="Thống kê giải quyết hồ sơ" />
        <Meta name="description" content="Số hồ sơ tiếp nhận, giải quyết đúng hạn, trực tuyến và mức hài lòng của người dân, theo cơ quan, lĩnh vực, thủ tục và tháng." />
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let (tu, den, co_quan, linh_vuc, thu_tuc, theo) = args(&form);
                match load_public_stats(tu, den, co_quan, linh_vuc, thu_tuc, theo).await {
                    Ok(report) => view! { <PublicReport report /> }.into_any(),
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
        <h1>"Thống kê giải quyết hồ sơ"</h1>
        <p class="lead">"Hồ sơ thủ tục hành chính các cơ quan đã tiếp nhận và giải quyết, công khai cho mọi người."</p>
        <Report report=report.clone() action=PUBLIC_STATS_PATH drill=false />
        <p><a class="download" href=csv>"Tải bảng số liệu (CSV)"</a></p>
        <Definitions />
    }
}

#[component]
pub fn DeskStatsPage() -> impl IntoView {
    let form = form_from_query();
    let here = format!("{DESK_STATS_PATH}?{}", form.query(&[]));
    view! {
        <Title text="Thống kê của cơ quan" />
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
        <h1>"Thống kê của cơ quan"</h1>
        <p class="lead">"Chạm vào một con số để xem các hồ sơ được tính trong đó."</p>
        <Report report action=DESK_STATS_PATH drill=true />
        <p><a class="download" href=csv>"Tải bảng số liệu (CSV)"</a></p>
        <Definitions />
    }
}

/// The filter form, the headline figures, the chart and the table.
#[component]
fn Report(report: StatsReport, action: &'static str, drill: bool) -> impl IntoView {
    let problem = report.problem.clone();
    let errors: Vec<(String, String)> = problem.iter().cloned().collect();
    let has_rows = !report.rows.is_empty();
    view! {
        <ErrorSummary errors />
        <Filters report=report.clone() action problem />
        {report.problem.is_none().then(|| view! {
            <p class="results-summary">
                {report.scope_name.clone()} " · " {report.period_label.clone()}
                <br /><span class="hint">"Hồ sơ đang giải quyết tính đến ngày " {report.report_date.clone()}</span>
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
    let field_view = move |id: &'static str, label: &'static str, input: AnyView| {
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
    let agencies =
        report.agencies.iter().map(|(id, name)| option(id.clone(), name.clone(), *id == form.agency)).collect_view();
    let fields =
        report.fields.iter().map(|(id, name)| option(id.clone(), name.clone(), *id == form.field)).collect_view();
    let slices =
        ALL_SLICES.iter().map(|s| option(s.slug().to_owned(), s.label().to_owned(), *s == form.slice())).collect_view();
    view! {
        <form method="get" action=action class="form stats-filters">
            <div class="stats-filters__dates">
                {field_view("tu", "Từ ngày", view! {
                    <input id="tu" name="tu" type="date" value=form.from.clone() /> }.into_any())}
                {field_view("den", "Đến ngày", view! {
                    <input id="den" name="den" type="date" value=form.to.clone() /> }.into_any())}
            </div>
            {field_view("co-quan", "Cơ quan (gồm các đơn vị trực thuộc)", view! {
                <select id="co-quan" name="co-quan">
                    <option value="">"Tất cả"</option>
                    {agencies}
                </select> }.into_any())}
            {field_view("linh-vuc", "Lĩnh vực", view! {
                <select id="linh-vuc" name="linh-vuc">
                    <option value="">"Tất cả"</option>
                    {fields}
                </select> }.into_any())}
            {field_view("thu-tuc", "Mã thủ tục (không bắt buộc)", view! {
                <input id="thu-tuc" name="thu-tuc" type="text" inputmode="decimal" maxlength="10" class="input--short"
                    value=form.procedure.clone() placeholder="1.001193" /> }.into_any())}
            {field_view("theo", "Chia theo", view! {
                <select id="theo" name="theo">{slices}</select> }.into_any())}
            <button type="submit" class="button">"Xem thống kê"</button>
        </form>
    }
}

#[component]
fn Headline(figures: Figures) -> impl IntoView {
    let on_time = figures.on_time_share();
    view! {
        <dl class="headline">
            <div class="headline__main">
                <dt>"Giải quyết đúng hoặc trước hạn"</dt>
                <dd><strong>{on_time.percent_text()}</strong>
                    <span class="hint">{format!(" {} / {} hồ sơ đã giải quyết", on_time.part, on_time.whole)}</span></dd>
            </div>
            <div><dt>"Tổng tiếp nhận"</dt><dd>{figures.received()}</dd></div>
            <div><dt>"Đang giải quyết quá hạn"</dt><dd>{figures.open_overdue}</dd></div>
            <div><dt>"Nộp trực tuyến"</dt><dd>{figures.online_share().percent_text()}</dd></div>
            <div><dt>"Người dân hài lòng"</dt>
                <dd>{figures.satisfied_share().percent_text()}
                    <span class="hint">{format!(" {} đánh giá", figures.ratings())}</span></dd></div>
        </dl>
    }
}

#[component]
fn Chart(report: StatsReport) -> impl IntoView {
    let title = format!("Tỷ lệ giải quyết đúng hạn theo {}", report.form.slice().label().to_lowercase());
    on_time_chart(&report.rows, &title).map(|svg| {
        view! {
            <figure class="chart-figure">
                <figcaption>{title}</figcaption>
                <div inner_html=svg></div>
                <ul class="legend">
                    <li><span class="legend__swatch legend__swatch--early"></span>"Trước hạn"</li>
                    <li><span class="legend__swatch legend__swatch--on-time"></span>"Đúng hạn"</li>
                    <li><span class="legend__swatch legend__swatch--late"></span>"Quá hạn"</li>
                </ul>
            </figure>
        }
    })
}

/// Every figure per row (rows across, so a phone scrolls one table sideways).
#[component]
fn FiguresTable(report: StatsReport, drill: bool) -> impl IntoView {
    let slice_label = report.form.slice().label();
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
                <caption id="bang-so-lieu">"Số liệu chi tiết theo " {slice_label.to_lowercase()}</caption>
                <thead>
                    <tr>
                        <th scope="col">{slice_label}</th>
                        {COLUMNS.iter().map(|c| view! { <th scope="col">{c.label()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {report
                        .rows
                        .iter()
                        .map(|row| view! {
                            <tr>
                                <th scope="row">{row.label.clone()}</th>
                                {COLUMNS.iter().map(|c| cell(*c, &row.figures, &row.narrowed)).collect_view()}
                            </tr>
                        })
                        .collect_view()}
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row">"Tổng"</th>
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
            <summary>"Cách tính các số liệu"</summary>
            <ul>
                <li>"Hồ sơ được tính cho cơ quan tiếp nhận; số của một cơ quan gồm cả các đơn vị trực thuộc."</li>
                <li>"Tiếp nhận: hồ sơ được tiếp nhận (bắt đầu tính thời hạn) trong kỳ, cùng hồ sơ kỳ trước chưa giải quyết xong chuyển sang."</li>
                <li>"Trước hạn, đúng hạn, quá hạn: so ngày có kết quả với ngày hẹn trả. Thư xin lỗi hẹn lại ngày không làm hồ sơ thành đúng hạn."</li>
                <li>"Thời gian chờ người dân bổ sung giấy tờ không tính vào thời hạn: ngày hẹn được lùi tương ứng."</li>
                <li>"Đang giải quyết quá hạn: chưa có kết quả và đã qua ngày hẹn trả vào ngày cuối kỳ."</li>
                <li>"Tỷ lệ trực tuyến: hồ sơ nộp trực tuyến trên tổng hồ sơ tiếp nhận mới."</li>
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
        <Title text="Hồ sơ trong số liệu" />
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
        <p class="back-link"><a href=back>"Về trang thống kê"</a></p>
        <h1>{format!("{}: {count} hồ sơ", measure.label())}</h1>
        <ErrorSummary errors=report.problem.iter().cloned().collect() />
        <p class="results-summary">{report.scope_name.clone()} " · " {report.period_label.clone()}</p>
        {(shown < count).then(|| view! { <p class="hint">{format!("Hiển thị {shown} hồ sơ đầu tiên, theo ngày nhận.")}</p> })}
        <ul class="card-list">
            {dossiers
                .into_iter()
                .map(|d| view! {
                    <li class="card">
                        <p class="card__title"><a href=crate::routes::desk_dossier_url(&d.code)>{d.code.clone()}</a></p>
                        <p>{d.procedure_name}</p>
                        <p class="card__meta">
                            {d.status_label} " · nhận " {d.received_at} " · hạn " {d.due_date}
                            {d.finished_on.map(|f| format!(" · có kết quả {f}"))}
                        </p>
                    </li>
                })
                .collect_view()}
        </ul>
    }
}
