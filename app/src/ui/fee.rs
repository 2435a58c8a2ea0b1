//! What a dossier costs, as the check page, the receipt and the desk show it.

use crate::domain::fee::FeeDue;
use crate::domain::money::group_thousands;
use crate::i18n::{tr, tr_with};
use leptos::prelude::*;

#[component]
pub fn FeeDueView(fee: FeeDue) -> impl IntoView {
    match fee {
        FeeDue::Free => view! { <p>{tr("fee.free")}</p> }.into_any(),
        FeeDue::NotFixed(description) => view! {
            <p><span lang="vi">{description}</span> ". " {tr("fee.not_fixed")}</p>
        }
        .into_any(),
        FeeDue::Total { total_vnd, lines } => {
            let several = lines.len() > 1;
            view! {
                <ul class="fee-lines">
                    {lines.into_iter().map(|line| {
                        let amount = group_thousands(line.amount_vnd);
                        let text = match line.copies {
                            Some(copies) => tr_with("fee.line_per_copy", &[
                                ("copies", &copies.to_string()),
                                ("unit", &group_thousands(line.unit_vnd)),
                                ("amount", &amount),
                            ]),
                            None => tr_with("fee.amount", &[("amount", &amount)]),
                        };
                        view! { <li><span lang="vi">{line.name}</span> ": " {text}</li> }
                    }).collect_view()}
                </ul>
                {several.then(|| view! {
                    <p><strong>{tr_with("fee.total", &[("amount", &group_thousands(total_vnd))])}</strong></p>
                })}
            }
            .into_any()
        }
    }
}
