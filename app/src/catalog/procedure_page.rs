//! `/thu-tuc/{code}`: one procedure with every section the law requires to be posted.

use super::pages::fee_text;
use crate::catalog::api::{get_portal_operator, get_procedure};
use crate::catalog::feedback::pages::FeedbackSection;
use crate::catalog::{Agency, Channel, FormLink, OnlineKind, ProcedureDetail, RequiredDocument};
use crate::domain::fee::{FeeItem, FeeSummary};
use crate::domain::money::group_thousands;
use crate::i18n::{tr, tr_with};
use crate::ui::time_limit_text;
use crate::ui::unavailable;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProcedurePage() -> impl IntoView {
    let code = use_params_map().read_untracked().get("code").unwrap_or_default();
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let operator = get_portal_operator().await.ok().flatten();
                match get_procedure(code).await {
                    Ok(Some(procedure)) => {
                        let hotline = operator.map(|o| o.hotline).filter(|h| !h.is_empty());
                        view! { <ProcedureDetails procedure hotline /> }.into_any()
                    }
                    Ok(None) => crate::ui::procedure_not_found(),
                    Err(_) => unavailable(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProcedureDetails(procedure: ProcedureDetail, hotline: Option<String>) -> impl IntoView {
    let ProcedureDetail {
        summary,
        applicant,
        competent_agency,
        effective_from,
        announced_by,
        cases,
        steps,
        channels,
        documents,
        conditions,
        legal_basis,
        forms,
        result,
        offered_by,
        unverified_note,
    } = procedure;
    let time = time_limit_text(summary.time_limit);
    let fee = fee_text(&summary.fee);
    let description = tr_with("procedure.meta", &[("name", &summary.name), ("time", &time), ("fee", &fee)]);
    let version = match announced_by {
        Some(decision) => tr_with("procedure.version_by", &[("date", &effective_from), ("decision", &decision)]),
        None => tr_with("procedure.version", &[("date", &effective_from)]),
    };
    view! {
        <Title text=summary.name.clone() />
        <Meta name="description" content=description.clone() />
        <Meta property="og:title" content=summary.name.clone() />
        <Meta property="og:description" content=description />
        <nav class="breadcrumb" aria-label=tr("procedure.breadcrumb_label")>
            <a href="/thu-tuc">{tr("procedure.breadcrumb")}</a>
        </nav>
        <h1>{summary.name.clone()}</h1>
        {unverified_note.map(|note| view! { <p class="notice">{tr("procedure.unverified")} {note}</p> })}
        {Some(tr("procedure.content_note")).filter(|note| !note.is_empty()).map(|note| view! { <p class="hint">{note}</p> })}
        <dl class="facts">
            <dt>{tr("fact.code")}</dt>
            <dd>{summary.code.clone()}</dd>
            <dt>{tr("fact.field")}</dt>
            <dd>{summary.field}</dd>
            <dt>{tr("fact.level")}</dt>
            <dd>{summary.level}</dd>
            <dt>{tr("fact.agency")}</dt>
            <dd>{competent_agency}</dd>
            <dt>{tr("fact.applicant")}</dt>
            <dd>{applicant}</dd>
            <dt>{tr("fact.time_limit")}</dt>
            <dd>{time}</dd>
            <dt>{tr("fact.fee")}</dt>
            <dd>{fee}</dd>
            <dt>{tr("fact.channel")}</dt>
            <dd>{summary.online_kind.label()}</dd>
        </dl>
        <p class="hint">{version}</p>
        <CallToAction code=summary.code.clone() online_kind=summary.online_kind />
        <h2>{tr("procedure.channels")}</h2>
        <ChannelTables channels cases=cases.clone() />
        <h2>{tr("procedure.steps")}</h2>
        <ol class="steps">{steps.into_iter().map(|step| view! { <li>{step}</li> }).collect_view()}</ol>
        <h2>{tr("procedure.documents")}</h2>
        <DocumentLists documents cases />
        {(!conditions.is_empty())
            .then(|| {
                view! {
                    <h2>{tr("procedure.conditions")}</h2>
                    <ul>{conditions.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
                }
            })}
        <h2>{tr("procedure.forms")}</h2>
        <FormList forms />
        <h2>{tr("procedure.result")}</h2>
        <p>{result}</p>
        <h2 id="noi-nop">{tr("procedure.where")}</h2>
        <WhereToFile agencies=offered_by hotline />
        <h2>{tr("procedure.legal_basis")}</h2>
        <ul>{legal_basis.into_iter().map(|law| view! { <li>{law}</li> }).collect_view()}</ul>
        <FeedbackSection procedure_code=Some(summary.code) />
    }
}

/// Leads to the online submission of this procedure, or says where to go when it is not online.
#[component]
fn CallToAction(code: String, online_kind: OnlineKind) -> impl IntoView {
    let online = online_kind != OnlineKind::TrucTiep;
    view! {
        <div class="cta">
            {if online {
                view! {
                    <a class="button" href=format!("/nop-ho-so/{code}")>{tr("cta.file_online")}</a>
                    <p class="hint">{tr("cta.online_hint")}</p>
                }
                    .into_any()
            } else {
                view! {
                    <p>{tr("cta.in_person_only")}</p>
                    <a href="#noi-nop">{tr("cta.where")}</a>
                }
                    .into_any()
            }}
        </div>
    }
}

/// The rows that apply to case `case_no` (or to the procedure when it has no cases).
fn applies_to(row_case: Option<i16>, case_no: Option<i16>) -> bool {
    row_case.is_none() || row_case == case_no
}

/// One group per case, or a single group without a heading.
fn case_groups(cases: &[String]) -> Vec<(Option<i16>, Option<String>)> {
    if cases.is_empty() {
        return vec![(None, None)];
    }
    (1_i16..)
        .zip(cases)
        .map(|(n, name)| (Some(n), Some(tr_with("procedure.case", &[("n", &n.to_string()), ("name", name)]))))
        .collect()
}

#[component]
fn ChannelTables(channels: Vec<Channel>, cases: Vec<String>) -> impl IntoView {
    case_groups(&cases)
        .into_iter()
        .map(|(case_no, caption)| {
            let rows: Vec<Channel> = channels.iter().filter(|c| applies_to(c.case_no, case_no)).cloned().collect();
            view! {
                <table class="channels">
                    {caption.map(|caption| view! { <caption>{caption}</caption> })}
                    <thead>
                        <tr>
                            <th scope="col">{tr("channels.how")}</th>
                            <th scope="col">{tr("channels.time")}</th>
                            <th scope="col">{tr("channels.fee")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|c| {
                                view! {
                                    <tr>
                                        <th scope="row">{c.kind.label()}</th>
                                        <td>
                                            {time_limit_text(Some(c.time_limit))}
                                            {c.time_note.map(|note| view! { <span class="channels__note">{note}</span> })}
                                        </td>
                                        <td>{fee_items_text(&c.fees)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
        })
        .collect_view()
}

/// Every fee item of a channel: "Lệ phí: 20.000 đồng".
fn fee_items_text(fees: &[FeeItem]) -> String {
    if FeeSummary::of(fees) == FeeSummary::Free {
        return tr("fee.free");
    }
    fees.iter()
        .map(|fee| {
            let amount = match (&fee.description, fee.amount_vnd) {
                (Some(description), _) => description.clone(),
                (None, Some(amount)) => tr_with("fee.amount", &[("amount", &group_thousands(amount))]),
                (None, None) => String::new(),
            };
            format!("{}: {amount}", fee.name)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[component]
fn DocumentLists(documents: Vec<RequiredDocument>, cases: Vec<String>) -> impl IntoView {
    let common: Vec<RequiredDocument> = documents.iter().filter(|d| d.case_no.is_none()).cloned().collect();
    let groups = if cases.is_empty() {
        vec![(None, documents)]
    } else {
        let per_case = case_groups(&cases).into_iter().map(|(case_no, caption)| {
            (caption, documents.iter().filter(|d| d.case_no.is_some() && d.case_no == case_no).cloned().collect())
        });
        std::iter::once((Some(tr("procedure.documents_common")), common))
            .chain(per_case)
            .filter(|(_, docs): &(Option<String>, Vec<RequiredDocument>)| !docs.is_empty())
            .collect()
    };
    groups
        .into_iter()
        .map(|(caption, docs)| {
            view! {
                {caption.map(|caption| view! { <h3>{caption}</h3> })}
                <ul class="documents">{docs.into_iter().map(|doc| view! { <DocumentItem doc /> }).collect_view()}</ul>
            }
        })
        .collect_view()
}

#[component]
fn DocumentItem(doc: RequiredDocument) -> impl IntoView {
    let mut facts = Vec::new();
    if doc.present_only {
        facts.push(tr("document.present_only"));
    }
    if doc.originals > 0 {
        facts.push(tr_with("document.originals", &[("n", &doc.originals.to_string())]));
    }
    if doc.copies > 0 {
        facts.push(tr_with("document.copies", &[("n", &doc.copies.to_string())]));
    }
    facts.push(tr(if doc.mandatory { "document.mandatory" } else { "document.optional" }));
    facts.push(tr(if doc.photo_accepted { "document.photo_ok" } else { "document.photo_no" }));
    view! {
        <li>
            <span class="documents__name">{doc.name}</span>
            <span class="documents__facts">{facts.join(" · ")}</span>
            {doc.note.map(|note| view! { <span class="documents__facts">{note}</span> })}
            {doc.form.map(|form| view! { <FormDownload form /> })}
        </li>
    }
}

#[component]
fn FormList(forms: Vec<FormLink>) -> impl IntoView {
    if forms.is_empty() {
        return view! { <p>{tr("procedure.no_forms")}</p> }.into_any();
    }
    view! {
        <ul class="forms">{forms.into_iter().map(|form| view! { <li><FormDownload form /></li> }).collect_view()}</ul>
    }
    .into_any()
}

#[component]
fn FormDownload(form: FormLink) -> impl IntoView {
    let kilobytes = ((form.size_bytes + 1023) / 1024).to_string();
    let kind = form.file_name.rsplit('.').next().unwrap_or_default().to_uppercase();
    view! {
        <a class="download" href=form.href() download=form.file_name.clone()>
            {tr_with("form.download", &[("title", &form.title)])}
            " "
            <span class="download__size">{tr_with("form.size", &[("kind", &kind), ("kb", &kilobytes)])}</span>
        </a>
    }
}

#[component]
fn WhereToFile(agencies: Vec<Agency>, hotline: Option<String>) -> impl IntoView {
    view! {
        {if agencies.is_empty() {
            view! { <p>{tr("procedure.where_unknown")}</p> }.into_any()
        } else {
            view! {
                <ul class="agencies">
                    {agencies
                        .into_iter()
                        .map(|agency| {
                            view! {
                                <li>
                                    <strong>{agency.name}</strong>
                                    {agency.address.map(|address| view! { <br /> {address} })}
                                    {agency.hotline.map(|phone| view! { <br /> {tr("footer.hotline")} {phone} })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
        {hotline.map(|phone| view! { <p>{tr("procedure.help")} " " <strong>{phone}</strong></p> })}
    }
}
