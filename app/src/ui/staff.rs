//! The staff pages' header and what a staff page shows when its data cannot be had.

use crate::auth::{StaffSignOut, StaffView};
use crate::error::{set_page_status, AppError};
use crate::routes::{staff_sign_in_url, CHANGE_PASSWORD_PATH, DESK_PATH};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

/// What a desk page shows when its data cannot be had.
pub fn on_staff_error(error: AppError, here: &str) -> AnyView {
    let redirect = |to: String| {
        #[cfg(feature = "ssr")]
        leptos_axum::redirect(&to);
        view! { <p><a href=to>"Đăng nhập"</a></p> }.into_any()
    };
    match error {
        AppError::StaffSignInRequired => redirect(staff_sign_in_url(here)),
        AppError::PasswordChangeRequired => redirect(CHANGE_PASSWORD_PATH.to_owned()),
        AppError::Forbidden => {
            set_page_status(403);
            view! {
                <Title text="Không có quyền" />
                <h1>"Không có quyền truy cập"</h1>
                <p>"Tài khoản của bạn không có quyền làm việc này. Liên hệ quản trị viên nếu bạn cần được cấp quyền."</p>
                <p><a href=DESK_PATH>"Về trang làm việc"</a></p>
            }
            .into_any()
        }
        AppError::NotFound(_) => {
            set_page_status(404);
            view! {
                <Title text="Không tìm thấy hồ sơ" />
                <h1>"Không tìm thấy hồ sơ"</h1>
                <p>"Không có hồ sơ này, hoặc hồ sơ không thuộc cơ quan của bạn."</p>
                <p><a href=DESK_PATH>"Về trang làm việc"</a></p>
            }
            .into_any()
        }
        _ => super::common::unavailable(),
    }
}

/// Who is signed in, the agency, and sign-out; on every desk page.
#[component]
pub fn StaffBar(staff: StaffView) -> impl IntoView {
    let roles = staff.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ");
    let admin = staff.roles.contains(&crate::domain::dossier_status::Role::Admin);
    let intake = staff.roles.contains(&crate::domain::dossier_status::Role::Intake);
    let reads_stats = admin || staff.roles.contains(&crate::domain::dossier_status::Role::Leader);
    view! {
        <div class="staff-bar">
            <p>
                <strong>{staff.full_name}</strong> " · " {staff.agency_name}
                <br /><span class="hint">{roles}</span>
            </p>
            <p>
                <a href=DESK_PATH>"Hồ sơ"</a>
                {intake.then(|| view! { " · " <a href=crate::routes::ASSIST_PATH>"Nộp thay tại quầy"</a> })}
                {admin.then(|| view! { " · " <a href=crate::routes::USERS_PATH>"Quản trị"</a> })}
                {reads_stats.then(|| view! { " · " <a href=crate::routes::DESK_STATS_PATH>"Thống kê"</a> })}
            </p>
            <form method="post" action=StaffSignOut::PATH class="inline-form">
                <button type="submit" class="link-button">"Đăng xuất"</button>
            </form>
        </div>
    }
}
