//! The staff pages' header and what a staff page shows when its data cannot be had.

use crate::auth::{StaffSignOut, StaffView};
use crate::error::{set_page_status, AppError};
use crate::i18n::{tr, tr_code};
use crate::routes::{staff_gate_url, DESK_PATH};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

/// What a desk page shows when its data cannot be had.
pub fn on_staff_error(error: AppError, here: &str) -> AnyView {
    let redirect = |to: String| {
        #[cfg(feature = "ssr")]
        leptos_axum::redirect(&to);
        view! { <p><a href=to>{tr("staff.sign_in.button")}</a></p> }.into_any()
    };
    if let Some(gate) = staff_gate_url(&error, here) {
        return redirect(gate);
    }
    match error {
        AppError::Forbidden => {
            set_page_status(403);
            view! {
                <Title text=tr("staff.forbidden.title") />
                <h1>{tr("staff.forbidden.title")}</h1>
                <p>{tr("staff.forbidden.body")}</p>
                <p><a href=DESK_PATH>{tr("staff.back_to_desk")}</a></p>
            }
            .into_any()
        }
        AppError::NotFound(_) => {
            set_page_status(404);
            view! {
                <Title text=tr("staff.not_found.title") />
                <h1>{tr("staff.not_found.title")}</h1>
                <p>{tr("staff.not_found.body")}</p>
                <p><a href=DESK_PATH>{tr("staff.back_to_desk")}</a></p>
            }
            .into_any()
        }
        _ => super::common::unavailable(),
    }
}

/// Who is signed in, the agency, and sign-out; on every desk page.
#[component]
pub fn StaffBar(staff: StaffView) -> impl IntoView {
    let roles = staff.roles.iter().map(|r| tr_code("role", r.as_db())).collect::<Vec<_>>().join(", ");
    let admin = staff.roles.contains(&crate::domain::dossier_status::Role::Admin);
    let intake = staff.roles.contains(&crate::domain::dossier_status::Role::Intake);
    let leader = staff.roles.contains(&crate::domain::dossier_status::Role::Leader);
    let reads_stats = admin || leader;
    let keeps_register = intake || leader;
    view! {
        <div class="staff-bar">
            <p>
                <strong lang="vi">{staff.full_name}</strong> " · " <span lang="vi">{staff.agency_name}</span>
                <br /><span class="hint">{roles}</span>
            </p>
            <p>
                <a href=DESK_PATH>{tr("staff.bar.dossiers")}</a>
                {intake.then(|| view! { " · " <a href=crate::routes::ASSIST_PATH>{tr("staff.bar.assist")}</a> })}
                {admin.then(|| view! { " · " <a href=crate::routes::USERS_PATH>{tr("staff.bar.admin")}</a> })}
                {keeps_register.then(|| view! { " · " <a href=crate::routes::REGISTER_PATH>{tr("staff.bar.register")}</a> })}
                {reads_stats.then(|| view! { " · " <a href=crate::routes::DESK_STATS_PATH>{tr("staff.bar.statistics")}</a> })}
                " · " <a href=crate::routes::SECOND_FACTOR_PATH>{tr("staff.bar.second_factor")}</a>
            </p>
            <form method="post" action=StaffSignOut::PATH class="inline-form">
                <button type="submit" class="link-button">{tr("staff.bar.sign_out")}</button>
            </form>
        </div>
    }
}
