//! The administration pages: plain forms, each posting and coming back with a notice.

use crate::admin::api::{load_admin, ChangeStaff, CreateStaff, EditAgency, EditCalendar, ImportCatalogFile};
use crate::admin::{AdminView, Notice};
use crate::domain::dossier_status::ALL_ROLES;
use crate::i18n::{tr, tr_code, tr_with};
use crate::routes::{ADMIN_CATALOG_PATH, AGENCIES_PATH, CALENDAR_PATH, USERS_PATH};
use crate::ui::{date_boxes_view, DateBoxes, ErrorSummary};
use crate::ui::{on_staff_error, StaffBar};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Loads one admin page's data and renders it with `body`.
fn admin_page<V: IntoView + 'static>(
    page: &'static str,
    path: &'static str,
    body: impl Fn(AdminView) -> V + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let year = use_query_map().read_untracked().get("nam").and_then(|y| y.parse().ok());
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match load_admin(page.to_owned(), year).await {
                    Ok(data) => view! { <AdminFrame data=data.clone() /> {body(data)} }.into_any(),
                    Err(error) => on_staff_error(error, path),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AdminFrame(data: AdminView) -> impl IntoView {
    let notice = data.notice.clone().unwrap_or_default();
    let errors: Vec<(String, String)> = notice.problem.iter().map(|(field, m)| (field.clone(), m.show())).collect();
    view! {
        <StaffBar staff=data.staff />
        <nav aria-label=tr("admin.nav") class="admin-nav">
            <a href=USERS_PATH>{tr("admin.users.title")}</a>
            {data.province.then(|| view! {
                <a href=AGENCIES_PATH>{tr("admin.agencies.title")}</a>
                <a href=CALENDAR_PATH>{tr("admin.nav.calendar")}</a>
                <a href=ADMIN_CATALOG_PATH>{tr("admin.catalog.title")}</a>
            })}
        </nav>
        <ErrorSummary errors />
        {notice.done.map(|m| view! { <p class="notice notice--success" role="status">{m.show()}</p> })}
    }
}

fn typed(notice: &Option<Notice>, key: &str) -> String {
    notice.as_ref().and_then(|n| n.typed.get(key).cloned()).unwrap_or_default()
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    admin_page("can-bo", USERS_PATH, |data| view! { <Users data /> })
}

#[component]
fn Users(data: AdminView) -> impl IntoView {
    let n = data.notice.clone();
    let chosen_agency = typed(&n, "co_quan");
    view! {
        <Title text=tr("admin.users.title") />
        <h1>{tr("admin.users.title")}</h1>
        <h2>{tr("admin.users.create")}</h2>
        <form method="post" action=CreateStaff::PATH class="form">
            <div class="field">
                <label for="ten-dang-nhap">{tr("admin.users.username")}</label>
                <p class="hint">{tr("admin.users.username_hint")}</p>
                <input id="ten-dang-nhap" name="ten_dang_nhap" type="text" autocapitalize="none" required maxlength="40"
                    value=typed(&n, "ten_dang_nhap") />
            </div>
            <div class="field">
                <label for="ho-ten">{tr("admin.users.full_name")}</label>
                <input id="ho-ten" name="ho_ten" type="text" required maxlength="200" value=typed(&n, "ho_ten") />
            </div>
            <div class="field">
                <label for="co-quan">{tr("admin.users.agency")}</label>
                <select id="co-quan" name="co_quan" required>
                    <option value="">{tr("desk.form.choose_agency")}</option>
                    {data.agencies.iter().filter(|a| a.in_service).map(|a| {
                        let id = a.id.to_string();
                        view! { <option selected=chosen_agency == id value=id.clone() lang="vi">{a.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <fieldset class="field choices" id="vai-tro">
                <legend>{tr("admin.users.roles")}</legend>
                {ALL_ROLES.into_iter().map(|role| {
                    let id = format!("vai-tro-{}", role.as_db());
                    view! {
                        <div class="choice">
                            <input type="checkbox" id=id.clone() name=format!("vai_tro[{}]", role.as_db())
                                checked=!typed(&n, role.as_db()).is_empty() />
                            <label for=id>{tr_code("role", role.as_db())}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <button type="submit" class="button">{tr("admin.users.create")}</button>
        </form>
        <h2 id="danh-sach">{tr("admin.users.list")}</h2>
        <ul class="card-list">
            {data.users.into_iter().map(|u| {
                let state = tr(if u.disabled { "admin.users.locked" } else if u.must_change_password { "admin.users.temporary" } else { "admin.users.active" });
                let (toggle, toggle_label) = if u.disabled { ("mo", tr("admin.users.unlock")) } else { ("khoa", tr("admin.users.lock")) };
                let roles: Vec<String> = u.roles.iter().map(|r| tr_code("role", r)).collect();
                let second_factor = tr(if u.second_factor { "admin.users.second_factor_on" } else { "admin.users.second_factor_off" });
                let reset_second_factor = u.second_factor.then(|| view! {
                    <form method="post" action=ChangeStaff::PATH class="inline-form">
                        <input type="hidden" name="id" value=u.id.clone() />
                        <input type="hidden" name="viec" value="hai-buoc" />
                        <button type="submit" class="button button--secondary">{tr("admin.users.reset_second_factor")} <span class="visually-hidden">" " {u.username.clone()}</span></button>
                    </form>
                });
                view! {
                    <li class="card">
                        <p class="card__title"><span lang="vi">{u.full_name.clone()}</span> " (" {u.username.clone()} ")"</p>
                        <p class="card__meta"><span lang="vi">{u.agency}</span> " · " {roles.join(", ")} " · " {state} " · " {second_factor}</p>
                        <div class="button-row">
                            <form method="post" action=ChangeStaff::PATH class="inline-form">
                                <input type="hidden" name="id" value=u.id.clone() />
                                <input type="hidden" name="viec" value=toggle />
                                <button type="submit" class="button button--secondary">{toggle_label} <span class="visually-hidden">" " {u.username.clone()}</span></button>
                            </form>
                            <form method="post" action=ChangeStaff::PATH class="inline-form">
                                <input type="hidden" name="id" value=u.id />
                                <input type="hidden" name="viec" value="mat-khau" />
                                <button type="submit" class="button button--secondary">{tr("admin.users.reset")} <span class="visually-hidden">" " {u.username}</span></button>
                            </form>
                            {reset_second_factor}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn AdminAgenciesPage() -> impl IntoView {
    admin_page("co-quan", AGENCIES_PATH, |data| view! { <Agencies data /> })
}

#[component]
fn Agencies(data: AdminView) -> impl IntoView {
    view! {
        <Title text=tr("admin.agencies.title") />
        <h1>{tr("admin.agencies.title")}</h1>
        <p class="lead">{tr("admin.agencies.lead")}</p>
        {data.agencies.into_iter().map(|a| {
            let (name_id, address_id, hotline_id) = (format!("ten-{}", a.id), format!("dia-chi-{}", a.id), format!("duong-day-nong-{}", a.id));
            view! {
                <details class="action">
                    <summary><span lang="vi">{a.name.clone()}</span> " (" {a.identifier} ")" {(!a.in_service).then(|| tr("admin.agencies.closed"))}</summary>
                    <form method="post" action=EditAgency::PATH class="form">
                        <input type="hidden" name="id" value=a.id.to_string() />
                        <div class="field">
                            <label for=name_id.clone()>{tr("admin.agencies.name")}</label>
                            <input id=name_id name="ten" type="text" required maxlength="300" value=a.name />
                        </div>
                        <div class="field">
                            <label for=address_id.clone()>{tr("admin.agencies.address")}</label>
                            <input id=address_id name="dia_chi" type="text" maxlength="300" value=a.address />
                        </div>
                        <div class="field">
                            <label for=hotline_id.clone()>{tr("admin.agencies.hotline")}</label>
                            <input id=hotline_id name="duong_day_nong" type="text" maxlength="300" value=a.hotline />
                        </div>
                        <button type="submit" class="button">{tr("admin.save")}</button>
                    </form>
                </details>
            }
        }).collect_view()}
    }
}

#[component]
pub fn AdminCalendarPage() -> impl IntoView {
    admin_page("lich", CALENDAR_PATH, |data| view! { <Calendar data /> })
}

#[component]
fn Calendar(data: AdminView) -> impl IntoView {
    let n = data.notice.clone();
    let year = data.year;
    let worked = typed(&n, "loai") == "lam-bu";
    view! {
        <Title text=tr_with("admin.calendar.title", &[("year", &year.to_string())]) />
        <h1>{tr_with("admin.calendar.heading", &[("year", &year.to_string())])}</h1>
        <p>
            <a href=format!("{CALENDAR_PATH}?nam={}", year - 1)>{tr_with("admin.calendar.year", &[("year", &(year - 1).to_string())])}</a> " · "
            <a href=format!("{CALENDAR_PATH}?nam={}", year + 1)>{tr_with("admin.calendar.year", &[("year", &(year + 1).to_string())])}</a>
        </p>
        <p class="lead">{tr("admin.calendar.lead")}</p>
        <h2>{tr("admin.calendar.edit")}</h2>
        <form method="post" action=EditCalendar::PATH class="form">
            <input type="hidden" name="viec" value="luu" />
            {date_boxes_view(DateBoxes {
                id: "ngay".to_owned(),
                legend: tr("admin.calendar.day"),
                value: typed(&n, "ngay"),
                error: n.as_ref().and_then(|n| n.problem.as_ref()).filter(|(field, _)| field == "ngay").map(|(_, m)| m.show()),
                required: true,
                field: "ngay",
                wrap_name: |key| format!("o_ngay[{key}]"),
            })}
            <fieldset class="field choices">
                <legend>{tr("admin.calendar.kind")}</legend>
                <div class="choice"><input type="radio" id="loai-nghi" name="loai" value="nghi" checked=!worked /><label for="loai-nghi">{tr("admin.calendar.holiday")}</label></div>
                <div class="choice"><input type="radio" id="loai-lam-bu" name="loai" value="lam-bu" checked=worked /><label for="loai-lam-bu">{tr("admin.calendar.worked")}</label></div>
            </fieldset>
            <div class="field">
                <label for="ten">{tr("admin.calendar.name")}</label>
                <input id="ten" name="ten" type="text" required maxlength="300" value=typed(&n, "ten") />
            </div>
            <div class="field">
                <label for="ghi-chu">{tr("admin.calendar.note")}</label>
                <input id="ghi-chu" name="ghi_chu" type="text" maxlength="300" value=typed(&n, "ghi_chu") />
            </div>
            <button type="submit" class="button">{tr("admin.calendar.save")}</button>
        </form>
        <h2>{tr("admin.calendar.days")}</h2>
        <ul class="card-list">
            {data.calendar.into_iter().map(|d| view! {
                <li class="card">
                    <p class="card__title">{d.day.clone()} " · " <span lang="vi">{d.name.clone()}</span></p>
                    <p class="card__meta">{tr(if d.holiday { "admin.calendar.is_holiday" } else { "admin.calendar.is_worked" })}
                        {(!d.note.is_empty()).then(|| view! { " · " <span lang="vi">{d.note}</span> })}</p>
                    <form method="post" action=EditCalendar::PATH class="inline-form">
                        <input type="hidden" name="ngay" value=d.iso_day />
                        <input type="hidden" name="viec" value="xoa" />
                        <button type="submit" class="link-button">{tr("admin.calendar.remove")} <span class="visually-hidden">" " {d.day}</span></button>
                    </form>
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn AdminCatalogPage() -> impl IntoView {
    admin_page("thu-tuc", ADMIN_CATALOG_PATH, |_| view! { <Catalog /> })
}

#[component]
fn Catalog() -> impl IntoView {
    view! {
        <Title text=tr("admin.catalog.title") />
        <h1>{tr("admin.catalog.heading")}</h1>
        <p class="lead">{tr("admin.catalog.lead")}</p>
        <ul>
            <li>{tr("admin.catalog.rule_versions")}</li>
            <li>{tr("admin.catalog.rule_filed")}</li>
            <li>{tr("admin.catalog.rule_errors")}</li>
        </ul>
        <form method="post" enctype="multipart/form-data" action=ImportCatalogFile::PATH class="form">
            <div class="field">
                <label for="tep">{tr("admin.catalog.file")}</label>
                <input id="tep" name="tep" type="file" accept="application/json,.json" required />
            </div>
            <button type="submit" class="button">{tr("admin.catalog.load")}</button>
        </form>
    }
}
