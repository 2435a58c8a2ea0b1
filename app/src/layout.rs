//! The frame around every page: header, main landmark, footer.

use crate::catalog::api::get_portal_operator;
use crate::error::set_page_status;
use crate::i18n::{locale, tr, Locale};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Page(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#noi-dung">{tr("skip_link")}</a>
        <header class="site-header">
            <div class="wrap site-header__bar">
                <a class="site-header__brand" href="/">
                    <span class="site-header__name" lang="vi">"Một Cửa"</span>
                    <span class="site-header__tagline">{tr("tagline")}</span>
                </a>
                <div class="site-header__tools">
                    <crate::account::pages::AccountLinks />
                    <LanguageSwitch />
                </div>
            </div>
        </header>
        <main id="noi-dung" class="wrap" tabindex="-1">
            {children()}
        </main>
        <Footer />
    }
}

/// Plain links (work without JavaScript) to `/ngon-ngu/{code}`, which remembers the choice and
/// comes back to this page.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    // The router gives the query without its "?".
    let search = location.search.get_untracked();
    let here = if search.is_empty() {
        location.pathname.get_untracked()
    } else {
        format!("{}?{search}", location.pathname.get_untracked())
    };
    let back = form_urlencoded::byte_serialize(here.as_bytes()).collect::<String>();
    let current = locale();
    let option = move |choice: Locale, name: &'static str| {
        if choice == current {
            view! { <span aria-current="true" lang=choice.code()>{name}</span> }.into_any()
        } else {
            let href = format!("/ngon-ngu/{}?tiep={back}", choice.code());
            view! { <a href=href lang=choice.code() hreflang=choice.code()>{name}</a> }.into_any()
        }
    };
    view! {
        <nav class="lang-switch" aria-label=tr("language_nav")>
            {option(Locale::Vi, "Tiếng Việt")}
            {option(Locale::En, "English")}
        </nav>
    }
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="wrap">
                <Suspense fallback=|| ()>
                    {Suspend::new(async move {
                        get_portal_operator()
                            .await
                            .ok()
                            .flatten()
                            .map(|operator| {
                                view! {
                                    <p class="site-footer__operator" lang="vi">{operator.name}</p>
                                    <p>
                                        {tr("footer.hotline")}
                                        <a href=format!("tel:{}", dial_digits(&operator.hotline)) lang="vi">
                                            {operator.hotline.clone()}
                                        </a>
                                    </p>
                                    {operator
                                        .is_demo
                                        .then(|| {
                                            view! {
                                                <p class="site-footer__demo">
                                                    {tr("footer.demo")}
                                                </p>
                                            }
                                        })}
                                }
                            })
                    })}
                </Suspense>
                <p>
                    <a href="/gop-y">{tr("footer.feedback")}</a>
                </p>
                <p>
                    <a href=crate::routes::PUBLIC_STATS_PATH>{tr("footer.statistics")}</a>
                </p>
            </div>
        </footer>
    }
}

fn dial_digits(hotline: &str) -> String {
    hotline.chars().take_while(|c| *c != '(').filter(char::is_ascii_digit).collect()
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_page_status(404);
    view! {
        <Title text=tr("not_found.title") />
        <h1>{tr("not_found.title")}</h1>
        <p>{tr("not_found.body")}</p>
        <p>
            <a href="/">{tr("not_found.home")}</a>
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::dial_digits;

    #[test]
    fn dial_digits_keep_only_the_number_before_any_remark() {
        assert_eq!(dial_digits("0229 000 0000 (số minh hoạ 1)"), "02290000000");
        assert_eq!(dial_digits("1800 1096"), "18001096");
    }
}
