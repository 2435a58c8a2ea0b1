//! The frame around every page: header, main landmark, footer.

use crate::catalog::get_portal_operator;
use crate::error::set_page_status;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Page(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#noi-dung">"Bỏ qua, đến nội dung chính"</a>
        <header class="site-header">
            <div class="wrap site-header__bar">
                <a class="site-header__brand" href="/">
                    <span class="site-header__name">"Một Cửa"</span>
                    <span class="site-header__tagline">"Dịch vụ công trực tuyến"</span>
                </a>
                <LanguageSwitch />
            </div>
        </header>
        <main id="noi-dung" class="wrap" tabindex="-1">
            {children()}
        </main>
        <Footer />
    }
}

/// Vietnamese is the only language so far; English arrives with the catalog issue.
#[component]
fn LanguageSwitch() -> impl IntoView {
    view! {
        <nav class="lang-switch" aria-label="Ngôn ngữ">
            <span aria-current="true" lang="vi">"Tiếng Việt"</span>
            <span class="lang-switch__soon" lang="en" title="Coming soon">"English (sắp có)"</span>
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
                                    <p class="site-footer__operator">{operator.name}</p>
                                    <p>
                                        "Đường dây nóng: "
                                        <a href=format!("tel:{}", dial_digits(&operator.hotline))>
                                            {operator.hotline.clone()}
                                        </a>
                                    </p>
                                    {operator
                                        .is_demo
                                        .then(|| {
                                            view! {
                                                <p class="site-footer__demo">
                                                    "Dữ liệu minh hoạ: tên đơn vị, số điện thoại và hồ sơ trên trang này không phải dữ liệu thật."
                                                </p>
                                            }
                                        })}
                                }
                            })
                    })}
                </Suspense>
                <p>
                    <a href="/gop-y">"Góp ý về cổng dịch vụ công"</a>
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
        <Title text="Không tìm thấy trang" />
        <h1>"Không tìm thấy trang"</h1>
        <p>"Địa chỉ bạn mở không có trên cổng. Có thể đường dẫn bị gõ sai hoặc trang đã được chuyển."</p>
        <p>
            <a href="/">"Về trang chủ để tìm thủ tục"</a>
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
