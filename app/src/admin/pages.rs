//! The administration pages: plain forms, each posting and coming back with a notice.

use crate::admin::api::{load_admin, ChangeStaff, CreateStaff, EditAgency, EditCalendar, ImportCatalogFile};
use crate::admin::{AdminView, Notice};
use crate::domain::dossier_status::ALL_ROLES;
use crate::routes::{ADMIN_CATALOG_PATH, AGENCIES_PATH, CALENDAR_PATH, USERS_PATH};
use crate::ui::ErrorSummary;
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
    let errors: Vec<(String, String)> = notice.problem.clone().into_iter().collect();
    view! {
        <StaffBar staff=data.staff />
        <nav aria-label="Quản trị" class="admin-nav">
            <a href=USERS_PATH>"Tài khoản cán bộ"</a>
            <a href=AGENCIES_PATH>"Cơ quan"</a>
            <a href=CALENDAR_PATH>"Lịch nghỉ, làm bù"</a>
            <a href=ADMIN_CATALOG_PATH>"Thủ tục"</a>
        </nav>
        <ErrorSummary errors />
        {notice.done.map(|m| view! { <p class="notice notice--success" role="status">{m}</p> })}
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
        <Title text="Tài khoản cán bộ" />
        <h1>"Tài khoản cán bộ"</h1>
        <h2>"Tạo tài khoản"</h2>
        <form method="post" action=CreateStaff::PATH class="form">
            <div class="field">
                <label for="ten-dang-nhap">"Tên đăng nhập"</label>
                <p class="hint">"Chữ thường không dấu, ví dụ lan.nguyen"</p>
                <input id="ten-dang-nhap" name="ten_dang_nhap" type="text" autocapitalize="none" required maxlength="40"
                    value=typed(&n, "ten_dang_nhap") />
            </div>
            <div class="field">
                <label for="ho-ten">"Họ và tên"</label>
                <input id="ho-ten" name="ho_ten" type="text" required maxlength="200" value=typed(&n, "ho_ten") />
            </div>
            <div class="field">
                <label for="co-quan">"Cơ quan"</label>
                <select id="co-quan" name="co_quan" required>
                    <option value="">"Chọn cơ quan"</option>
                    {data.agencies.iter().filter(|a| a.in_service).map(|a| {
                        let id = a.id.to_string();
                        view! { <option selected=chosen_agency == id value=id.clone()>{a.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <fieldset class="field choices" id="vai-tro">
                <legend>"Vai trò"</legend>
                {ALL_ROLES.into_iter().map(|role| {
                    let id = format!("vai-tro-{}", role.as_db());
                    view! {
                        <div class="choice">
                            <input type="checkbox" id=id.clone() name=format!("vai_tro[{}]", role.as_db())
                                checked=!typed(&n, role.as_db()).is_empty() />
                            <label for=id>{role.label()}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <button type="submit" class="button">"Tạo tài khoản"</button>
        </form>
        <h2 id="danh-sach">"Danh sách"</h2>
        <ul class="card-list">
            {data.users.into_iter().map(|u| {
                let state = if u.disabled { "Đã khoá" } else if u.must_change_password { "Chờ đổi mật khẩu tạm" } else { "Đang hoạt động" };
                let (toggle, toggle_label) = if u.disabled { ("mo", "Mở lại") } else { ("khoa", "Khoá tài khoản") };
                view! {
                    <li class="card">
                        <p class="card__title">{u.full_name.clone()} " (" {u.username.clone()} ")"</p>
                        <p class="card__meta">{u.agency} " · " {u.roles.join(", ")} " · " {state}</p>
                        <div class="button-row">
                            <form method="post" action=ChangeStaff::PATH class="inline-form">
                                <input type="hidden" name="id" value=u.id.clone() />
                                <input type="hidden" name="viec" value=toggle />
                                <button type="submit" class="button button--secondary">{toggle_label} <span class="visually-hidden">" " {u.username.clone()}</span></button>
                            </form>
                            <form method="post" action=ChangeStaff::PATH class="inline-form">
                                <input type="hidden" name="id" value=u.id />
                                <input type="hidden" name="viec" value="mat-khau" />
                                <button type="submit" class="button button--secondary">"Cấp mật khẩu tạm" <span class="visually-hidden">" " {u.username}</span></button>
                            </form>
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
        <Title text="Cơ quan" />
        <h1>"Cơ quan"</h1>
        <p class="lead">"Tên, địa chỉ và đường dây nóng hiện trên trang thủ tục và giấy tiếp nhận."</p>
        {data.agencies.into_iter().map(|a| {
            let (name_id, address_id, hotline_id) = (format!("ten-{}", a.id), format!("dia-chi-{}", a.id), format!("duong-day-nong-{}", a.id));
            view! {
                <details class="action">
                    <summary>{a.name.clone()} " (" {a.identifier} ")" {(!a.in_service).then_some(" · đã ngừng hoạt động")}</summary>
                    <form method="post" action=EditAgency::PATH class="form">
                        <input type="hidden" name="id" value=a.id.to_string() />
                        <div class="field">
                            <label for=name_id.clone()>"Tên cơ quan"</label>
                            <input id=name_id name="ten" type="text" required maxlength="300" value=a.name />
                        </div>
                        <div class="field">
                            <label for=address_id.clone()>"Địa chỉ"</label>
                            <input id=address_id name="dia_chi" type="text" maxlength="300" value=a.address />
                        </div>
                        <div class="field">
                            <label for=hotline_id.clone()>"Đường dây nóng"</label>
                            <input id=hotline_id name="duong_day_nong" type="text" maxlength="300" value=a.hotline />
                        </div>
                        <button type="submit" class="button">"Lưu"</button>
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
        <Title text=format!("Lịch nghỉ năm {year}") />
        <h1>"Lịch nghỉ, ngày làm bù năm " {year}</h1>
        <p>
            <a href=format!("{CALENDAR_PATH}?nam={}", year - 1)>"Năm " {year - 1}</a> " · "
            <a href=format!("{CALENDAR_PATH}?nam={}", year + 1)>"Năm " {year + 1}</a>
        </p>
        <p class="lead">"Thứ Bảy, Chủ nhật là ngày nghỉ sẵn; ở đây ghi ngày lễ, Tết, ngày nghỉ bù và thứ Bảy làm bù theo thông báo của Chính phủ."</p>
        <h2>"Thêm hoặc sửa một ngày"</h2>
        <form method="post" action=EditCalendar::PATH class="form">
            <input type="hidden" name="viec" value="luu" />
            <div class="field">
                <label for="ngay">"Ngày"</label>
                <input id="ngay" name="ngay" type="date" required value=typed(&n, "ngay") />
            </div>
            <fieldset class="field choices">
                <legend>"Loại ngày"</legend>
                <div class="choice"><input type="radio" id="loai-nghi" name="loai" value="nghi" checked=!worked /><label for="loai-nghi">"Ngày nghỉ (lễ, Tết, nghỉ bù)"</label></div>
                <div class="choice"><input type="radio" id="loai-lam-bu" name="loai" value="lam-bu" checked=worked /><label for="loai-lam-bu">"Ngày làm việc bù (thứ Bảy, Chủ nhật đi làm)"</label></div>
            </fieldset>
            <div class="field">
                <label for="ten">"Tên ngày"</label>
                <input id="ten" name="ten" type="text" required maxlength="300" value=typed(&n, "ten") />
            </div>
            <div class="field">
                <label for="ghi-chu">"Ghi chú, căn cứ (không bắt buộc)"</label>
                <input id="ghi-chu" name="ghi_chu" type="text" maxlength="300" value=typed(&n, "ghi_chu") />
            </div>
            <button type="submit" class="button">"Lưu ngày"</button>
        </form>
        <h2>"Các ngày đã ghi"</h2>
        <ul class="card-list">
            {data.calendar.into_iter().map(|d| view! {
                <li class="card">
                    <p class="card__title">{d.day.clone()} " · " {d.name.clone()}</p>
                    <p class="card__meta">{if d.holiday { "Ngày nghỉ" } else { "Ngày làm bù" }} {(!d.note.is_empty()).then(|| format!(" · {}", d.note))}</p>
                    <form method="post" action=EditCalendar::PATH class="inline-form">
                        <input type="hidden" name="ngay" value=d.iso_day />
                        <input type="hidden" name="viec" value="xoa" />
                        <button type="submit" class="link-button">"Bỏ ngày này" <span class="visually-hidden">" " {d.day}</span></button>
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
        <Title text="Thủ tục" />
        <h1>"Cập nhật thủ tục"</h1>
        <p class="lead">"Nạp tệp danh mục (JSON, định dạng trong README) có phiên bản mới của thủ tục: các bước, kênh nộp, thời hạn, phí, giấy tờ và tờ khai trực tuyến, kèm ngày có hiệu lực."</p>
        <ul>
            <li>"Phiên bản mới bắt đầu từ ngày có hiệu lực và khép phiên bản trước đó."</li>
            <li>"Hồ sơ đã nộp giữ phiên bản của nó: tờ khai của một phiên bản đã có hồ sơ không sửa được, hãy thêm phiên bản mới."</li>
            <li>"Tệp bị lỗi thì không thay đổi gì."</li>
        </ul>
        <form method="post" enctype="multipart/form-data" action=ImportCatalogFile::PATH class="form">
            <div class="field">
                <label for="tep">"Tệp danh mục (.json)"</label>
                <input id="tep" name="tep" type="file" accept="application/json,.json" required />
            </div>
            <button type="submit" class="button">"Nạp tệp"</button>
        </form>
    }
}
