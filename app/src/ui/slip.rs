//! The receipt and appointment slip's content, on the citizen's receipt and the desk's notice.

use crate::domain::time_limit::{TimeLimit, TimeUnit};
use crate::filed::ReceiptSlip;
use crate::i18n::{tr, tr_with};
use leptos::prelude::*;

/// "5 ngày làm việc", "Trong ngày", or a pointer to the details when unknown.
pub fn time_limit_text(limit: Option<TimeLimit>) -> String {
    let Some(limit) = limit else { return tr("time.see_details") };
    if limit.is_same_day() {
        return tr("time.same_day");
    }
    let key = match limit.unit {
        TimeUnit::WorkingDays => "time.working_days",
        TimeUnit::CalendarDays => "time.calendar_days",
        TimeUnit::Hours => "time.hours",
    };
    tr_with(key, &[("n", &limit.amount.to_string())])
}

#[component]
pub fn ReceiptSlipView(slip: ReceiptSlip) -> impl IntoView {
    let ReceiptSlip {
        agency,
        agency_address,
        agency_phone,
        accepted_at,
        time_limit,
        due_date,
        documents,
        delivery,
        officer,
    } = slip;
    view! {
        <dl class="facts">
            <dt>{tr("slip.agency")}</dt>
            <dd lang="vi">{agency}</dd>
            {agency_address.map(|a| view! { <dt>{tr("slip.address")}</dt> <dd lang="vi">{a}</dd> })}
            {agency_phone.map(|p| view! { <dt>{tr("slip.phone")}</dt> <dd>{p}</dd> })}
            <dt>{tr("slip.accepted_at")}</dt>
            <dd>{accepted_at}</dd>
            <dt>{tr("slip.time_limit")}</dt>
            <dd>{time_limit_text(Some(time_limit))}</dd>
            <dt>{tr("slip.due")}</dt>
            <dd><strong>{due_date}</strong></dd>
            <dt>{tr("slip.delivery")}</dt>
            <dd>{delivery.show()}</dd>
            <dt>{tr("slip.officer")}</dt>
            <dd lang="vi">{officer}</dd>
        </dl>
        <h2>{tr("slip.documents")}</h2>
        <ol class="slip-documents">
            {documents.into_iter().map(|d| {
                let counts = if d.present_only {
                    tr("slip.present_only")
                } else {
                    tr_with("slip.counts", &[
                        ("originals", &d.originals.to_string()),
                        ("copies", &d.copies.to_string()),
                        ("files", &d.files.to_string()),
                    ])
                };
                view! { <li><span lang="vi">{d.name}</span> " (" {counts} ")"</li> }
            }).collect_view()}
        </ol>
    }
}
