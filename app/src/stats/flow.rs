//! Reports from filters: check the filters, work out which agencies' dossiers count and how
//! rows roll up, run the counts, and label the rows. Used by the pages and the CSV files.

use super::db::{self, Bucket, Scope};
use super::{DeskStats, DrillDown, DrilledDossier, Measure, Slice, StatsForm, StatsReport, StatsRow};
use crate::auth::staff::{require_staff, Staff};
use crate::auth::StaffView;
use crate::domain::agency_tree::roll_up;
use crate::domain::dossier_status::Role;
use crate::domain::statistics::{Figures, ReportPeriod};
use crate::error::AppError;
use crate::filed::clock::{vietnam_midnight, vietnam_time};
use crate::i18n::Text;
use crate::state::with_db;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// The dossiers behind a figure listed on one page.
const DRILL_DOWN_LIMIT: i64 = 200;

/// Whose figures may be read: everyone's (the public page) or one agency's branch.
#[derive(Debug, Clone, Copy)]
pub enum Reader {
    Public,
    Agency(i64),
}

/// Leaders read their agency's statistics; administrators too (they run the tree).
pub async fn require_reader() -> Result<Staff, AppError> {
    let staff = require_staff().await?;
    if staff.has(Role::Leader) || staff.has(Role::Admin) {
        Ok(staff)
    } else {
        Err(AppError::Forbidden)
    }
}

fn staff_view(staff: &Staff) -> StaffView {
    StaffView { full_name: staff.full_name.clone(), agency_name: staff.agency_name.clone(), roles: staff.roles.clone() }
}

/// The public report, within the client's limit.
pub async fn public_report(form: StatsForm) -> Result<StatsReport, AppError> {
    let limit = leptos::prelude::use_context::<super::public_limit::PublicStatsLimit>().ok_or(AppError::Unavailable)?;
    let turn = limit.admit(&crate::security::client_address()).await?;
    let now = Utc::now();
    let report = with_db(move |pool| async move { report(&pool, Reader::Public, form, now).await }).await;
    drop(turn);
    report
}

pub async fn desk_report(form: StatsForm) -> Result<DeskStats, AppError> {
    let staff = require_reader().await?;
    let (now, agency) = (Utc::now(), staff.agency_id);
    let report = with_db(move |pool| async move { report(&pool, Reader::Agency(agency), form, now).await }).await?;
    Ok(DeskStats { staff: staff_view(&staff), report })
}

pub async fn drill_down(form: StatsForm, measure: Measure) -> Result<DrillDown, AppError> {
    let staff = require_reader().await?;
    let (now, agency) = (Utc::now(), staff.agency_id);
    let (report, count, dossiers) = with_db(move |pool| async move {
        let resolved = resolve(&pool, Reader::Agency(agency), &form, now).await?;
        let report = resolved.empty_report(form);
        let Ok(filters) = resolved.filters else { return Ok((report, 0, Vec::new())) };
        let bucket = bucket(&filters.period, now);
        let (count, rows) = db::dossiers_behind(&pool, &filters.scope, &bucket, measure, DRILL_DOWN_LIMIT).await?;
        let dossiers = rows
            .into_iter()
            .map(|(code, procedure_name, status, received_at, due, finished_on)| DrilledDossier {
                code,
                procedure_name,
                status,
                received_at: vietnam_time(received_at).format("%d/%m/%Y").to_string(),
                due_date: due.format("%d/%m/%Y").to_string(),
                finished_on: finished_on.map(|d| d.format("%d/%m/%Y").to_string()),
            })
            .collect();
        Ok((report, count, dossiers))
    })
    .await?;
    Ok(DrillDown { staff: staff_view(&staff), measure, report, count, dossiers })
}

/// The filters made usable: the scope of dossiers and the period.
struct Filters {
    scope: Scope,
    period: ReportPeriod,
}

struct Resolved {
    filters: Result<Filters, (String, Text)>,
    today: chrono::NaiveDate,
    scope_name: String,
    /// Agencies of the reader's branch (identifier, name) and their ids, parents.
    agencies: Vec<(i64, Option<i64>, String, String)>,
    allowed: Vec<i64>,
    fields: Vec<(i64, String)>,
}

impl Resolved {
    fn empty_report(&self, form: StatsForm) -> StatsReport {
        let period = self.filters.as_ref().ok().map(|f| f.period);
        StatsReport {
            problem: self.filters.as_ref().err().cloned(),
            period_label: period.map(|p| p.label()).unwrap_or_default(),
            report_date: period.map(|p| p.report_date(self.today).format("%d/%m/%Y").to_string()).unwrap_or_default(),
            scope_name: self.scope_name.clone(),
            agencies: self
                .agencies
                .iter()
                .filter(|(id, ..)| self.allowed.contains(id))
                .map(|(_, _, identifier, name)| (identifier.clone(), name.clone()))
                .collect(),
            fields: self.fields.iter().map(|(id, name)| (id.to_string(), name.clone())).collect(),
            total: Figures::default(),
            rows: Vec::new(),
            form,
        }
    }

    fn agency(&self, id: i64) -> Option<&(i64, Option<i64>, String, String)> {
        self.agencies.iter().find(|a| a.0 == id)
    }
}

fn problem(field: &str, key: &str) -> (String, Text) {
    (field.to_owned(), Text::new(key))
}

/// The agencies that count and the row each rolls up into, for a chosen agency or none.
fn members(tree: &[(i64, Option<i64>)], reader: Reader, chosen: Option<i64>) -> Vec<(i64, i64)> {
    match (chosen, reader) {
        (Some(agency), _) | (None, Reader::Agency(agency)) => roll_up(tree, agency),
        (None, Reader::Public) => {
            let roots: Vec<i64> = tree.iter().filter(|(_, parent)| parent.is_none()).map(|(id, _)| *id).collect();
            match roots.as_slice() {
                [only] => roll_up(tree, *only),
                _ => roots
                    .iter()
                    .flat_map(|root| roll_up(tree, *root).into_iter().map(|(member, _)| (member, *root)))
                    .collect(),
            }
        }
    }
}

async fn resolve(pool: &PgPool, reader: Reader, form: &StatsForm, now: DateTime<Utc>) -> Result<Resolved, sqlx::Error> {
    let today = vietnam_time(now).date();
    let agencies = db::agencies(pool).await?;
    let fields = db::fields(pool).await?;
    let tree: Vec<(i64, Option<i64>)> = agencies.iter().map(|(id, parent, ..)| (*id, *parent)).collect();
    let allowed: Vec<i64> = members(&tree, reader, None).into_iter().map(|(member, _)| member).collect();
    let chosen = agencies.iter().find(|a| a.2 == form.agency).map(|a| a.0).filter(|id| allowed.contains(id));
    let procedure = form.procedure.trim().to_owned();
    let procedure_known =
        procedure.is_empty() || !db::procedure_names(pool, std::slice::from_ref(&procedure)).await?.is_empty();
    let field_id = form.field.parse::<i64>().ok().filter(|id| fields.iter().any(|(f, _)| f == id));
    let filters = if !form.agency.is_empty() && chosen.is_none() {
        Err(problem("co-quan", "stats.error.agency"))
    } else if !form.field.is_empty() && field_id.is_none() {
        Err(problem("linh-vuc", "stats.error.field"))
    } else if !procedure_known {
        Err(problem("thu-tuc", "stats.error.procedure"))
    } else {
        ReportPeriod::parse(&form.from, &form.to, today).map_err(|e| problem(e.field(), e.key())).map(|period| {
            let pairs = members(&tree, reader, chosen);
            let scope = Scope {
                members: pairs.iter().map(|p| p.0).collect(),
                groups: pairs.iter().map(|p| p.1).collect(),
                field_id,
                procedure_code: (!procedure.is_empty()).then_some(procedure),
            };
            Filters { scope, period }
        })
    };
    let scope_name = match (chosen, reader) {
        (Some(id), _) | (None, Reader::Agency(id)) => agencies.iter().find(|a| a.0 == id).map(|a| a.3.clone()),
        (None, Reader::Public) => None,
    }
    .unwrap_or_default();
    Ok(Resolved { filters, today, scope_name, agencies, allowed, fields })
}

fn bucket(period: &ReportPeriod, now: DateTime<Utc>) -> Bucket {
    let after_last = period.last.succ_opt().unwrap_or(period.last);
    Bucket {
        key: period.first.to_string(),
        start: vietnam_midnight(period.first),
        end: vietnam_midnight(after_last).min(now),
        report_date: period.report_date(vietnam_time(now).date()),
    }
}

/// The whole report: totals, and one row per agency branch, field, procedure or month.
pub async fn report(
    pool: &PgPool,
    reader: Reader,
    form: StatsForm,
    now: DateTime<Utc>,
) -> Result<StatsReport, sqlx::Error> {
    let resolved = resolve(pool, reader, &form, now).await?;
    let mut report = resolved.empty_report(form.clone());
    let Ok(filters) = &resolved.filters else { return Ok(report) };
    let whole = bucket(&filters.period, now);
    let slice = form.slice();
    let buckets = match slice {
        Slice::Month => filters.period.months().iter().map(|month| bucket(month, now)).collect(),
        _ => vec![whole.clone()],
    };
    let counted = db::figures(pool, &filters.scope, &buckets, Some(slice)).await?;
    report.rows = rows(pool, &resolved, filters, &form, slice, counted).await?;
    // Every dossier is in exactly one agency branch, field or procedure, and every day in one month.
    report.total = report.rows.iter().fold(Figures::default(), |mut sum, row| {
        sum.add(&row.figures);
        sum
    });
    if let (Slice::Month, Some(first), Some(last)) = (slice, report.rows.first(), report.rows.last()) {
        // What is open does not add up over months: the period's carried-over dossiers are its
        // first month's, its open ones its last month's; a dossier asked for supplements in two
        // months, or paid fees in two months, is counted once.
        report.total.carried_over = first.figures.carried_over;
        report.total.open_within_time = last.figures.open_within_time;
        report.total.open_overdue = last.figures.open_overdue;
        let once = db::counted_once(pool, &filters.scope, &whole).await?;
        report.total.supplement_requested = once.supplement_requested;
        report.total.fee_paid = once.fee_paid;
        report.total.fee_paid_online = once.fee_paid_online;
    }
    Ok(report)
}

/// Labels each counted row and adds the agency branches and months that counted nothing.
async fn rows(
    pool: &PgPool,
    resolved: &Resolved,
    filters: &Filters,
    form: &StatsForm,
    slice: Slice,
    counted: Vec<((String, String), Figures)>,
) -> Result<Vec<StatsRow>, sqlx::Error> {
    let found = |bucket: &str, key: &str| {
        counted.iter().find(|((b, k), _)| b == bucket && k == key).map(|(_, f)| *f).unwrap_or_default()
    };
    let narrowed = |change: &dyn Fn(&mut StatsForm)| {
        let mut narrowed = StatsForm { slice: String::new(), ..form.clone() };
        change(&mut narrowed);
        narrowed
    };
    let whole_key = filters.period.first.to_string();
    let mut rows: Vec<StatsRow> = match slice {
        Slice::Month => filters
            .period
            .months()
            .iter()
            .map(|month| StatsRow {
                label: month.month_label(),
                narrowed: narrowed(&|f| {
                    f.from = month.first.to_string();
                    f.to = month.last.to_string();
                }),
                figures: found(&month.first.to_string(), ""),
            })
            .collect(),
        Slice::Agency => {
            let mut groups = filters.scope.groups.clone();
            groups.sort_unstable();
            groups.dedup();
            groups
                .into_iter()
                .filter_map(|id| resolved.agency(id).map(|a| (id, a.2.clone(), a.3.clone())))
                .map(|(id, identifier, name)| StatsRow {
                    label: name,
                    narrowed: narrowed(&|f| f.agency = identifier.clone()),
                    figures: found(&whole_key, &id.to_string()),
                })
                .collect()
        }
        Slice::Field => counted
            .iter()
            .map(|((_, key), figures)| StatsRow {
                label: resolved
                    .fields
                    .iter()
                    .find(|(id, _)| id.to_string() == *key)
                    .map(|(_, name)| name.clone())
                    .unwrap_or_default(),
                narrowed: narrowed(&|f| f.field = key.clone()),
                figures: *figures,
            })
            .collect(),
        Slice::Procedure => {
            let codes: Vec<String> = counted.iter().map(|((_, key), _)| key.clone()).collect();
            let names = db::procedure_names(pool, &codes).await?;
            counted
                .iter()
                .map(|((_, code), figures)| StatsRow {
                    label: names
                        .iter()
                        .find(|(c, _)| c == code)
                        .map(|(c, name)| format!("{name} ({c})"))
                        .unwrap_or_else(|| code.clone()),
                    narrowed: narrowed(&|f| f.procedure = code.clone()),
                    figures: *figures,
                })
                .collect()
        }
    };
    if slice != Slice::Month {
        rows.sort_by(|a, b| a.label.cmp(&b.label));
    }
    Ok(rows)
}
