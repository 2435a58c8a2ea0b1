//! Online submission ("nộp hồ sơ trực tuyến"). The catalog's call to action leads here.
//! Until the guided flow exists, this page says so plainly and where to file instead.

use crate::catalog::{get_procedure, procedure_not_found, unavailable, OnlineKind};
use crate::i18n::{tr, tr_with};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SubmissionStartPage() -> impl IntoView {
    let code = use_params_map().read_untracked().get("code").unwrap_or_default();
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match get_procedure(code).await {
                    Ok(Some(p)) if p.summary.online_kind != OnlineKind::TrucTiep => {
                        let back = format!("/thu-tuc/{}", p.summary.code);
                        let title = tr_with("submission.title", &[("name", &p.summary.name)]);
                        view! {
                            <Title text=title.clone() />
                            <h1>{title}</h1>
                            <p class="notice">{tr("submission.not_yet")}</p>
                            <ul class="agencies">
                                {p.offered_by.into_iter().map(|a| view! { <li>{a.name}</li> }).collect_view()}
                            </ul>
                            <p><a href=back>{tr("submission.back")}</a></p>
                        }
                            .into_any()
                    }
                    Ok(_) => procedure_not_found(),
                    Err(_) => unavailable(),
                }
            })}
        </Suspense>
    }
}
