//! The Một Cửa portal: pages, islands and server functions shared by server and browser.
#![recursion_limit = "256"]

pub mod account;
pub mod admin;
pub mod auth;
pub mod catalog;
pub mod desk;
pub mod domain;
pub mod dossier;
pub mod error;
pub mod filed;
pub mod i18n;
mod islands;
mod layout;
#[cfg(feature = "ssr")]
pub mod notify;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod state;
pub mod stats;
pub mod tracking;
pub mod ui;

use leptos::prelude::*;

rust_i18n::i18n!("locales");
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around every page, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    security::provide_request_nonce();
    islands::provide_island_tracker();
    i18n::provide_locale();
    view! {
        <!DOCTYPE html>
        <html lang=i18n::locale().code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#a3161a" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <MetaTags />
            </head>
            <body>
                <App />
                <islands::IslandScripts options />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|page: String| format!("{page} · Một Cửa") />
        <Router>
            <layout::Page>
                <Routes fallback=layout::NotFound>
                    <Route path=path!("/") view=catalog::HomePage ssr=SsrMode::Async />
                    <Route path=path!("/thu-tuc") view=catalog::CatalogPage ssr=SsrMode::Async />
                    <Route path=path!("/thu-tuc/:code") view=catalog::ProcedurePage ssr=SsrMode::Async />
                    <Route path=path!("/nop-ho-so/:code") view=dossier::StartPage ssr=SsrMode::Async />
                    <Route path=path!("/nop-ho-so/nhap/:draft/:step") view=dossier::DraftStepPage ssr=SsrMode::Async />
                    <Route path=path!("/ho-so-cua-toi") view=dossier::MyDossiersPage ssr=SsrMode::Async />
                    <Route path=path!("/ho-so-cua-toi/:code") view=dossier::ReceiptPage ssr=SsrMode::Async />
                    <Route path=path!("/dang-nhap") view=account::SignInPage ssr=SsrMode::Async />
                    <Route path=path!("/dang-nhap/ma") view=account::CodePage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo") view=desk::DeskHomePage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/quan-tri") view=admin::AdminUsersPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/quan-tri/can-bo") view=admin::AdminUsersPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/quan-tri/co-quan") view=admin::AdminAgenciesPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/quan-tri/lich") view=admin::AdminCalendarPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/quan-tri/thu-tuc") view=admin::AdminCatalogPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/nop-thay") view=desk::AssistPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/dang-nhap") view=desk::StaffSignInPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/doi-mat-khau") view=desk::ChangePasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/ho-so/:code") view=desk::DeskDossierPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/ho-so/:code/thong-bao/:kind") view=desk::NoticePage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/ho-so/:code/phieu-kiem-soat") view=desk::ControlSheetPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/ho-so/:code/danh-gia") view=dossier::rating::DeskRatingPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/thong-ke") view=stats::DeskStatsPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/thong-ke/ho-so") view=stats::StatsDossiersPage ssr=SsrMode::Async />
                    <Route path=path!("/thong-ke") view=stats::PublicStatsPage ssr=SsrMode::Async />
                    <Route path=path!("/tra-cuu") view=tracking::TrackingPage ssr=SsrMode::Async />
                    <Route path=path!("/tra-cuu/:code") view=tracking::TrackedPage ssr=SsrMode::Async />
                    <Route path=path!("/gop-y") view=catalog::feedback::FeedbackPage ssr=SsrMode::Async />
                </Routes>
            </layout::Page>
        </Router>
    }
}
