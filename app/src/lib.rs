//! The Một Cửa portal: pages, islands and server functions shared by server and browser.
#![recursion_limit = "256"]

pub mod account;
pub mod admin;
pub mod auth;
pub mod catalog;
#[cfg(feature = "ssr")]
pub mod demo;
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
pub mod payment;
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
        <Title formatter=|page: String| crate::ui::page_title(&page) />
        <Router>
            <layout::Page>
                <Routes fallback=layout::NotFound>
                    <Route path=path!("/") view=catalog::pages::HomePage ssr=SsrMode::Async />
                    <Route path=path!("/thu-tuc") view=catalog::pages::CatalogPage ssr=SsrMode::Async />
                    <Route path=path!("/thu-tuc/:code") view=catalog::procedure_page::ProcedurePage ssr=SsrMode::Async />
                    <Route path=path!("/nop-ho-so/:code") view=dossier::pages::StartPage ssr=SsrMode::Async />
                    <Route path=path!("/nop-ho-so/:code/bat-dau") view=dossier::pages::ResumeStartPage ssr=SsrMode::Async />
                    <Route path=path!("/nop-ho-so/nhap/:draft/:step") view=dossier::pages::step::DraftStepPage ssr=SsrMode::Async />
                    <Route path=path!("/ho-so-cua-toi") view=dossier::pages::MyDossiersPage ssr=SsrMode::Async />
                    <Route path=path!("/ho-so-cua-toi/:code") view=dossier::pages::receipt::ReceiptPage ssr=SsrMode::Async />
                    <Route path=path!("/thanh-toan/ket-qua") view=payment::pages::PaymentReturnPage ssr=SsrMode::Async />
                    <Route path=path!("/bien-lai/:reference") view=payment::pages::PaymentReceiptPage ssr=SsrMode::Async />
                    <Route path=path!("/dang-nhap") view=account::pages::SignInPage ssr=SsrMode::Async />
                    <Route path=path!("/dang-nhap/ma") view=account::pages::CodePage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo") view=desk::pages::home::DeskHomePage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/quan-tri") view=admin::pages::AdminUsersPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/quan-tri/can-bo") view=admin::pages::AdminUsersPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/quan-tri/co-quan") view=admin::pages::AdminAgenciesPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/quan-tri/lich") view=admin::pages::AdminCalendarPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/quan-tri/thu-tuc") view=admin::pages::AdminCatalogPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/nop-thay") view=desk::pages::assist::AssistPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/dang-nhap") view=desk::pages::StaffSignInPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/doi-mat-khau") view=desk::pages::ChangePasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/xac-thuc") view=desk::pages::second_factor::StaffCodePage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/xac-thuc-hai-buoc") view=desk::pages::second_factor::SecondFactorPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/ho-so/:code") view=desk::pages::dossier::DeskDossierPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/ho-so/:code/thong-bao/:kind") view=desk::pages::notice::NoticePage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/ho-so/:code/phieu-kiem-soat") view=desk::pages::sheet::ControlSheetPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/ho-so/:code/danh-gia") view=dossier::rating::pages::DeskRatingPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/so-theo-doi") view=desk::pages::register::RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/thong-ke") view=stats::pages::DeskStatsPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/thong-ke/ho-so") view=stats::pages::StatsDossiersPage ssr=SsrMode::Async />
                    <Route path=path!("/thong-ke") view=stats::pages::PublicStatsPage ssr=SsrMode::Async />
                    <Route path=path!("/tra-cuu") view=tracking::pages::TrackingPage ssr=SsrMode::Async />
                    <Route path=path!("/tra-cuu/:code") view=tracking::pages::TrackedPage ssr=SsrMode::Async />
                    <Route path=path!("/gop-y") view=catalog::feedback::pages::FeedbackPage ssr=SsrMode::Async />
                </Routes>
            </layout::Page>
        </Router>
    }
}
