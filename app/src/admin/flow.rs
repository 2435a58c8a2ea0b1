//! The server side of administration: the administrator's role is checked on every call, the
//! agency tree in every query.

use super::db;
use super::{AdminView, Notice};
use crate::auth::accounts;
use crate::auth::staff::{self, Staff};
use crate::domain::dossier_status::{Role, ALL_ROLES};
use crate::domain::text::normalize_input;
use crate::error::AppError;
use crate::i18n::Text;
use crate::routes::{ADMIN_CATALOG_PATH, AGENCIES_PATH, CALENDAR_PATH, USERS_PATH};
use crate::state::with_db;
use accounts::{Created, NewUser};
use chrono::Datelike;
use std::collections::BTreeMap;
use tower_sessions::Session;
use uuid::Uuid;

const NOTICE_KEY: &str = "admin_notice";

async fn admin(back: &str) -> Result<Option<Staff>, AppError> {
    staff::gated(staff::require_role(Role::Admin).await, back)
}

/// An administrator of a province: only they change the catalog, agencies and the calendar.
async fn province_admin(back: &str) -> Result<Option<Staff>, AppError> {
    let Some(staff) = admin(back).await? else { return Ok(None) };
    require_province(&staff).await?;
    Ok(Some(staff))
}

async fn require_province(staff: &Staff) -> Result<(), AppError> {
    let agency = staff.agency_id;
    if with_db(move |pool| async move { db::is_province(&pool, agency).await }).await? {
        Ok(())
    } else {
        tracing::warn!("a commune administrator tried a province-level change");
        Err(AppError::Forbidden)
    }
}

/// Admin pages that are the province's alone.
const PROVINCE_PAGES: [&str; 3] = ["co-quan", "lich", "thu-tuc"];

async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|_| AppError::Unavailable)
}

/// Remembers what happened and goes back to the page.
async fn back(path: &str, notice: Notice) -> Result<(), AppError> {
    session()
        .await?
        .insert(NOTICE_KEY, Notice { page: path.to_owned(), ..notice })
        .await
        .map_err(|_| AppError::Unavailable)?;
    leptos_axum::redirect(path);
    Ok(())
}

fn done(message: Text) -> Notice {
    Notice { done: Some(message), ..Notice::default() }
}

/// The form comes back with `key`'s message at `field`, filled in as typed.
fn problem(field: &str, key: &str, typed: BTreeMap<String, String>) -> Notice {
    problem_text(field, Text::new(key), typed)
}

fn problem_text(field: &str, message: Text, typed: BTreeMap<String, String>) -> Notice {
    Notice { problem: Some((field.to_owned(), message)), typed, ..Notice::default() }
}

pub async fn load(page: String, year: Option<i32>) -> Result<AdminView, AppError> {
    let staff = staff::require_role(Role::Admin).await?;
    let agency = staff.agency_id;
    let province = with_db(move |pool| async move { db::is_province(&pool, agency).await }).await?;
    if PROVINCE_PAGES.contains(&page.as_str()) && !province {
        return Err(AppError::Forbidden);
    }
    let path = format!("{}/{page}", crate::routes::ADMIN_PATH);
    let session = session().await?;
    let notice: Option<Notice> = session.remove(NOTICE_KEY).await.map_err(|_| AppError::Unavailable)?;
    let notice = notice.filter(|n| n.page == path);
    let year = year.filter(|y| (2000..=2100).contains(y)).unwrap_or_else(|| chrono::Utc::now().year());
    let root = staff.agency_id;
    let (agencies, users, calendar) = with_db(move |pool| async move {
        let users = if page == "can-bo" { db::users(&pool, root).await? } else { Vec::new() };
        let calendar = if page == "lich" { db::calendar(&pool, year).await? } else { Vec::new() };
        Ok((db::agencies(&pool, root).await?, users, calendar))
    })
    .await?;
    let staff_view = crate::auth::StaffView {
        full_name: staff.full_name.clone(),
        agency_name: staff.agency_name.clone(),
        roles: staff.roles.clone(),
    };
    Ok(AdminView { staff: staff_view, province, notice, agencies, users, calendar, year })
}

async fn hashed(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || accounts::hash_password(&password))
        .await
        .map_err(|_| AppError::Unavailable)?
        .map_err(|_| AppError::Unavailable)
}

pub async fn create_staff(
    username: String,
    full_name: String,
    agency: String,
    ticked: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let Some(admin) = admin(USERS_PATH).await? else { return Ok(()) };
    let username = username.trim().to_lowercase();
    let full_name: String = normalize_input(&full_name).chars().take(200).collect();
    let roles: Vec<Role> = ALL_ROLES.into_iter().filter(|r| ticked.contains_key(r.as_db())).collect();
    let mut typed = BTreeMap::from([
        ("ten_dang_nhap".to_owned(), username.clone()),
        ("ho_ten".to_owned(), full_name.clone()),
        ("co_quan".to_owned(), agency.clone()),
    ]);
    typed.extend(roles.iter().map(|r| (r.as_db().to_owned(), "on".to_owned())));
    let valid_username = username.len() >= 3
        && username.len() <= 40
        && username.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        && username.starts_with(|c: char| c.is_ascii_alphanumeric());
    let notice = if !valid_username {
        problem("ten-dang-nhap", "admin.error.username", typed)
    } else if full_name.is_empty() {
        problem("ho-ten", "admin.error.full_name", typed)
    } else if roles.is_empty() {
        problem("vai-tro", "admin.error.roles", typed)
    } else {
        let Ok(agency_id) = agency.parse::<i64>() else {
            return back(USERS_PATH, problem("co-quan", "admin.error.agency", typed)).await;
        };
        let password = accounts::temporary_password();
        let hash = hashed(password.clone()).await?;
        let root = admin.agency_id;
        let created = with_db({
            let (username, full_name, roles) = (username.clone(), full_name.clone(), roles.clone());
            move |pool| async move {
                let user = NewUser {
                    username: &username,
                    full_name: &full_name,
                    agency_id,
                    roles: &roles,
                    password_hash: &hash,
                };
                accounts::create_user(&pool, root, &user).await
            }
        })
        .await?;
        match created {
            Created::Done => {
                done(Text::new("admin.done.created").with("username", username).with("password", password))
            }
            Created::UsernameTaken => problem("ten-dang-nhap", "admin.error.username_taken", typed),
            Created::AgencyOutside => problem("co-quan", "admin.error.agency_outside", typed),
        }
    };
    back(USERS_PATH, notice).await
}

pub async fn change_staff(id: String, action: String) -> Result<(), AppError> {
    let Some(admin) = admin(USERS_PATH).await? else { return Ok(()) };
    let user = Uuid::parse_str(&id).map_err(|_| AppError::NotFound("tài khoản".into()))?;
    let (root, actor) = (admin.agency_id, admin.id);
    let notice = match action.as_str() {
        "khoa" | "mo" => {
            let disable = action == "khoa";
            let changed =
                with_db(move |pool| async move { accounts::set_disabled(&pool, root, actor, user, disable).await })
                    .await?;
            match (changed, disable) {
                (false, _) => problem("danh-sach", "admin.error.not_changed", BTreeMap::new()),
                (true, true) => done(Text::new("admin.done.disabled")),
                (true, false) => done(Text::new("admin.done.enabled")),
            }
        }
        "mat-khau" => {
            let password = accounts::temporary_password();
            let hash = hashed(password.clone()).await?;
            let reset =
                with_db(move |pool| async move { accounts::reset_password(&pool, root, user, &hash).await }).await?;
            match reset {
                Some(username) => {
                    done(Text::new("admin.done.password").with("username", username).with("password", password))
                }
                None => problem("danh-sach", "admin.error.user_outside", BTreeMap::new()),
            }
        }
        "hai-buoc" => {
            let removed = with_db(move |pool| async move {
                let username = accounts::end_sessions_in_tree(&pool, root, user).await?;
                if username.is_some() {
                    crate::auth::second_factor::remove(&pool, user).await?;
                }
                Ok(username)
            })
            .await?;
            match removed {
                Some(username) => done(Text::new("admin.done.second_factor").with("username", username)),
                None => problem("danh-sach", "admin.error.user_outside", BTreeMap::new()),
            }
        }
        _ => return Err(AppError::NotFound("thao tác".into())),
    };
    back(USERS_PATH, notice).await
}

pub async fn edit_agency(id: String, name: String, address: String, hotline: String) -> Result<(), AppError> {
    let Some(admin) = province_admin(AGENCIES_PATH).await? else { return Ok(()) };
    let id: i64 = id.parse().map_err(|_| AppError::NotFound("cơ quan".into()))?;
    let (name, address, hotline) = (clean(&name), clean(&address), clean(&hotline));
    let typed = BTreeMap::from([("id".to_owned(), id.to_string()), ("ten".to_owned(), name.clone())]);
    if name.is_empty() {
        return back(AGENCIES_PATH, problem(&format!("ten-{id}"), "admin.error.agency_name", typed)).await;
    }
    let root = admin.agency_id;
    let updated = with_db(move |pool| async move {
        crate::catalog::import::update_agency(&pool, root, id, &name, &address, &hotline).await
    })
    .await?;
    crate::state::catalog_changed();
    let notice = if updated {
        done(Text::new("admin.done.agency"))
    } else {
        problem(&format!("ten-{id}"), "admin.error.agency_not_yours", typed)
    };
    back(AGENCIES_PATH, notice).await
}

fn clean(raw: &str) -> String {
    normalize_input(raw).chars().take(300).collect()
}

pub async fn edit_calendar(
    day: String,
    kind: Option<String>,
    name: String,
    note: String,
    action: String,
) -> Result<(), AppError> {
    let Some(_) = province_admin(CALENDAR_PATH).await? else { return Ok(()) };
    let typed = BTreeMap::from([
        ("ngay".to_owned(), day.chars().take(20).collect()),
        ("ten".to_owned(), clean(&name)),
        ("ghi_chu".to_owned(), clean(&note)),
        ("loai".to_owned(), kind.clone().unwrap_or_default()),
    ]);
    let Some(date) = crate::domain::application_form::parse_date(&day) else {
        return back(CALENDAR_PATH, problem("ngay", "admin.error.day", typed)).await;
    };
    let path = format!("{CALENDAR_PATH}?nam={}", date.year());
    let notice = if action == "xoa" {
        with_db(move |pool| async move { db::remove_calendar_day(&pool, date).await }).await?;
        done(Text::new("admin.done.day_removed").with("date", date.format("%d/%m/%Y").to_string()))
    } else if clean(&name).is_empty() {
        problem("ten", "admin.error.day_name", typed)
    } else {
        let holiday = kind.as_deref() != Some("lam-bu");
        let (name, note) = (clean(&name), clean(&note));
        with_db(move |pool| async move { db::set_calendar_day(&pool, date, holiday, &name, &note).await }).await?;
        done(Text::new("admin.done.day_saved").with("date", date.format("%d/%m/%Y").to_string()))
    };
    crate::state::catalog_changed();
    session()
        .await?
        .insert(NOTICE_KEY, Notice { page: CALENDAR_PATH.to_owned(), ..notice })
        .await
        .map_err(|_| AppError::Unavailable)?;
    leptos_axum::redirect(&path);
    Ok(())
}

pub async fn import_catalog_file(data: server_fn::codec::MultipartData) -> Result<(), AppError> {
    use crate::catalog::import;
    let Some(admin) = province_admin(ADMIN_CATALOG_PATH).await? else { return Ok(()) };
    let json = match read_text_file(data).await {
        Ok(json) => json,
        Err(key) => return back(ADMIN_CATALOG_PATH, problem("tep", key, BTreeMap::new())).await,
    };
    let catalog = match import::parse_catalog(&json, import::demo_forms()) {
        Ok(catalog) => catalog,
        Err(error) => {
            let message = Text::new("admin.error.catalog_invalid").with("error", error.to_string());
            return back(ADMIN_CATALOG_PATH, problem_text("tep", message, BTreeMap::new())).await;
        }
    };
    let root = admin.agency_id;
    let imported = with_db(move |pool| async move {
        let imported = import::import_catalog_within(&pool, &catalog, "admin", root).await;
        Ok(imported.map_err(|e| e.to_string()))
    })
    .await?;
    crate::state::catalog_changed();
    let notice = match imported {
        Ok(summary) => done(Text::new("admin.done.imported").with("count", summary.procedures.to_string())),
        Err(message) => {
            problem_text("tep", Text::new("admin.error.catalog_not_loaded").with("error", message), BTreeMap::new())
        }
    };
    back(ADMIN_CATALOG_PATH, notice).await
}

/// The uploaded catalog file as text (at most 5 MB), or the locale key of what is wrong.
async fn read_text_file(data: server_fn::codec::MultipartData) -> Result<String, &'static str> {
    const MAX: usize = 5 * 1024 * 1024;
    const TOO_LARGE: &str = "admin.error.file_too_large";
    let mut multipart = data.into_inner().ok_or("admin.error.no_file")?;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| TOO_LARGE)? {
        if field.name() != Some("tep") {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| TOO_LARGE)? {
            if bytes.len() + chunk.len() > MAX {
                return Err(TOO_LARGE);
            }
            bytes.extend_from_slice(&chunk);
        }
        return String::from_utf8(bytes).map_err(|_| "admin.error.not_utf8");
    }
    Err("admin.error.choose_file")
}
