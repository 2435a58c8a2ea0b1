//! Administration SQL. An administrator manages the agencies of their own agency's tree (their
//! agency and every agency under it) and the staff accounts in it.

use super::{AgencyRow, CalendarRow, UserRow};
use crate::domain::dossier_status::Role;
use chrono::NaiveDate;
use sqlx::PgPool;
use uuid::Uuid;

use crate::auth::ADMIN_TREE as TREE;

/// Whether the agency is a province (the root of a tree): catalog, agencies and the holiday
/// calendar are the province's to change.
pub async fn is_province(pool: &PgPool, agency_id: i64) -> Result<bool, sqlx::Error> {
    let root: Option<bool> = sqlx::query_scalar("SELECT parent_id IS NULL FROM agencies WHERE id = $1")
        .bind(agency_id)
        .fetch_optional(pool)
        .await?;
    Ok(root == Some(true))
}

pub async fn agencies(pool: &PgPool, root: i64) -> Result<Vec<AgencyRow>, sqlx::Error> {
    type Row = (i64, String, String, String, Option<String>, Option<String>, bool);
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{TREE} SELECT a.id, a.identifier, a.name, a.level, a.address, a.hotline, \
           (a.valid_to IS NULL OR a.valid_to > current_date) \
         FROM agencies a JOIN tree t ON t.id = a.id ORDER BY a.identifier"
    ))
    .bind(root)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, identifier, name, level, address, hotline, in_service)| AgencyRow {
            id,
            identifier,
            name,
            level,
            address: address.unwrap_or_default(),
            hotline: hotline.unwrap_or_default(),
            in_service,
        })
        .collect())
}

pub async fn users(pool: &PgPool, root: i64) -> Result<Vec<UserRow>, sqlx::Error> {
    type Row = (Uuid, String, String, String, Vec<String>, bool, bool, bool);
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{TREE} SELECT u.id, u.username, u.full_name, a.name, u.roles, u.disabled_at IS NOT NULL, u.must_change_password, \
           f.confirmed_at IS NOT NULL \
         FROM staff_users u JOIN agencies a ON a.id = u.agency_id JOIN tree t ON t.id = u.agency_id \
         LEFT JOIN staff_second_factors f ON f.staff_id = u.id \
         ORDER BY a.identifier, u.username"
    ))
    .bind(root)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, username, full_name, agency, roles, disabled, must_change, second_factor)| UserRow {
            id: id.to_string(),
            username,
            full_name,
            agency,
            roles: roles.into_iter().filter(|r| Role::from_db(r).is_some()).collect(),
            disabled,
            must_change_password: must_change,
            second_factor,
        })
        .collect())
}

pub async fn calendar(pool: &PgPool, year: i32) -> Result<Vec<CalendarRow>, sqlx::Error> {
    let rows: Vec<(NaiveDate, String, String, Option<String>)> = sqlx::query_as(
        "SELECT day, kind, name, note FROM calendar_days WHERE extract(year FROM day) = $1 ORDER BY day",
    )
    .bind(year)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(day, kind, name, note)| CalendarRow {
            day: day.format("%d/%m/%Y").to_string(),
            iso_day: day.to_string(),
            holiday: kind == "holiday",
            name,
            note: note.unwrap_or_default(),
        })
        .collect())
}

/// Adds a day off or a worked day, or changes the entry of that date.
pub async fn set_calendar_day(
    pool: &PgPool,
    day: NaiveDate,
    holiday: bool,
    name: &str,
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO calendar_days (day, kind, name, note) VALUES ($1, $2, $3, NULLIF($4, '')) \
         ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, note = EXCLUDED.note",
    )
    .bind(day)
    .bind(if holiday { "holiday" } else { "working_day" })
    .bind(name)
    .bind(note)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn remove_calendar_day(pool: &PgPool, day: NaiveDate) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM calendar_days WHERE day = $1").bind(day).execute(pool).await?;
    Ok(())
}
