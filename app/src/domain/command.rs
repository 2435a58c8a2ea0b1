//! An officer's action as typed into the dossier page, checked into a [`Command`] with the
//! facts the rules require (a reason, the documents to supplement, the agency and deadline of
//! a forwarded step, the fee, how the result was handed over, the new appointment date).

use crate::domain::application_form::parse_date;
use crate::domain::dossier_status::Action;
use crate::domain::text::normalize_input;
use crate::i18n::Text;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const MAX_REASON_CHARS: usize = 2000;
const MAX_FIELD_CHARS: usize = 300;

/// The raw fields of an action form, kept as typed so a refused form comes back filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionForm {
    pub action: String,
    pub reason: String,
    /// Question ids of the documents to supplement.
    pub documents: Vec<String>,
    pub agency: String,
    pub step_due: String,
    pub amount: String,
    pub delivery: String,
    pub address: String,
    pub tracking: String,
    pub new_date: String,
    /// The case intake accepts the dossier under (its number), for a procedure with cases.
    #[serde(default)]
    pub case: String,
    /// The officer ticked that they mean an action that ends the dossier.
    #[serde(default)]
    pub confirmed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Delivery {
    AtDesk,
    Post { address: String, tracking: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Details {
    Nothing,
    Supplement {
        documents: Vec<String>,
    },
    Forward {
        to_agency: i64,
        step_due: NaiveDate,
    },
    Fee {
        amount: i64,
    },
    Return(Delivery),
    Apology {
        new_date: NaiveDate,
    },
    /// Accepted under another case than the applicant chose.
    CaseChange {
        case_no: i16,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub action: Action,
    pub reason: Option<String>,
    pub details: Details,
}

/// What the check needs to know about the dossier.
pub struct Context<'a> {
    pub today: NaiveDate,
    /// The document questions of the dossier's form.
    pub document_ids: &'a [String],
    /// The date the dossier is due (a new appointment must come after it).
    pub due_date: NaiveDate,
    /// How many cases the procedure has, and the one the dossier is filed under.
    pub cases: usize,
    pub case_no: Option<i16>,
}

/// Form field id and message, as the error summary shows them.
pub type Problems = Vec<(String, Text)>;

pub fn parse(form: &ActionForm, context: &Context) -> Result<Command, Problems> {
    let mut problems = Problems::new();
    let Some(action) = Action::from_slug(&form.action) else {
        return Err(vec![("hanh-dong".into(), Text::new("command.unknown_action"))]);
    };
    let reason = clean(&form.reason, MAX_REASON_CHARS);
    if action.needs_reason() && reason.is_empty() {
        problems.push(("ly-do".into(), Text::new(reason_prompt(action))));
    } else if form.reason.chars().count() > MAX_REASON_CHARS {
        problems.push(("ly-do".into(), Text::new("command.reason_too_long").with("max", MAX_REASON_CHARS.to_string())));
    }
    if action.ends_the_dossier() && !form.confirmed {
        problems.push(("xac-nhan".into(), Text::new("command.confirm")));
    }
    let details = details(action, form, context, &mut problems);
    if problems.is_empty() {
        Ok(Command { action, reason: (!reason.is_empty()).then_some(reason), details })
    } else {
        Err(problems)
    }
}

fn reason_prompt(action: Action) -> &'static str {
    match action {
        Action::Refuse => "command.reason.refuse",
        Action::RequestSupplement => "command.reason.supplement",
        Action::Stop => "command.reason.stop",
        Action::Withdraw => "command.reason.withdraw",
        _ => "command.reason.late",
    }
}

fn details(action: Action, form: &ActionForm, context: &Context, problems: &mut Problems) -> Details {
    match action {
        Action::RequestSupplement => {
            let documents: Vec<String> =
                context.document_ids.iter().filter(|id| form.documents.contains(id)).cloned().collect();
            if documents.is_empty() {
                problems.push(("giay-to".into(), Text::new("command.no_documents")));
            }
            Details::Supplement { documents }
        }
        Action::Forward => {
            let to_agency = form.agency.trim().parse::<i64>().ok();
            if to_agency.is_none() {
                problems.push(("co-quan".into(), Text::new("command.no_agency")));
            }
            let step_due = future_date(&form.step_due, context.today, "han-buoc", "command.step_due", problems);
            match (to_agency, step_due) {
                (Some(to_agency), Some(step_due)) => Details::Forward { to_agency, step_due },
                _ => Details::Nothing,
            }
        }
        Action::RequestFee | Action::RecordFee => match parse_amount(&form.amount) {
            Some(amount) => Details::Fee { amount },
            None => {
                problems.push(("so-tien".into(), Text::new("command.amount")));
                Details::Nothing
            }
        },
        Action::Return => match delivery(form, problems) {
            Some(delivery) => Details::Return(delivery),
            None => Details::Nothing,
        },
        Action::Accept => case_change(form, context, problems),
        Action::ProposeApology => {
            let earliest = context.due_date.max(context.today);
            match future_date(&form.new_date, earliest, "ngay-hen-moi", "command.new_date", problems) {
                Some(new_date) => Details::Apology { new_date },
                None => Details::Nothing,
            }
        }
        _ => Details::Nothing,
    }
}

/// Intake may accept a dossier under another case, saying why (the due date follows the case).
fn case_change(form: &ActionForm, context: &Context, problems: &mut Problems) -> Details {
    let chosen = form.case.trim();
    if context.cases < 2 || chosen.is_empty() {
        return Details::Nothing;
    }
    let Some(case_no) =
        chosen.parse::<i16>().ok().filter(|n| *n >= 1 && usize::try_from(*n).is_ok_and(|n| n <= context.cases))
    else {
        problems.push(("truong-hop".into(), Text::new("command.case")));
        return Details::Nothing;
    };
    if Some(case_no) == context.case_no {
        return Details::Nothing;
    }
    if clean(&form.reason, MAX_REASON_CHARS).is_empty() {
        problems.push(("ly-do".into(), Text::new("command.reason.case")));
    }
    Details::CaseChange { case_no }
}

fn delivery(form: &ActionForm, problems: &mut Problems) -> Option<Delivery> {
    match form.delivery.as_str() {
        "tai-quay" => Some(Delivery::AtDesk),
        "buu-chinh" => {
            let address = clean(&form.address, MAX_FIELD_CHARS);
            let tracking = clean(&form.tracking, 40);
            if address.is_empty() {
                problems.push(("dia-chi".into(), Text::new("command.address")));
            }
            if tracking.is_empty() || !tracking.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                problems.push(("ma-buu-gui".into(), Text::new("command.tracking")));
            }
            (!address.is_empty() && !tracking.is_empty()).then_some(Delivery::Post { address, tracking })
        }
        _ => {
            problems.push(("hinh-thuc".into(), Text::new("command.delivery")));
            None
        }
    }
}

/// A date strictly after `after`, typed as dd/mm/yyyy or yyyy-mm-dd; `key` names the date's
/// messages.
fn future_date(raw: &str, after: NaiveDate, field: &str, key: &str, problems: &mut Problems) -> Option<NaiveDate> {
    match parse_date(raw.trim()) {
        Some(date) if date > after => Some(date),
        Some(_) => {
            let after = after.format("%d/%m/%Y").to_string();
            problems.push((field.into(), Text::new(format!("{key}.after")).with("date", after)));
            None
        }
        None => {
            problems.push((field.into(), Text::new(format!("{key}.format"))));
            None
        }
    }
}

/// Vietnamese amounts are written with dots or spaces between thousands: "50.000", "50 000 đ".
fn parse_amount(raw: &str) -> Option<i64> {
    let digits: String = raw.chars().filter(|c| !matches!(c, '.' | ',' | ' ' | 'đ' | 'Đ')).collect();
    let digits = digits.trim_end_matches("VND").trim_end_matches("vnd");
    if digits.is_empty() || digits.len() > 12 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn clean(raw: &str, max_chars: usize) -> String {
    normalize_input(raw).trim().chars().take(max_chars).collect()
}

/// Documents ticked in the form arrive as `giay_to[question-id]=on`.
pub fn ticked(boxes: &BTreeMap<String, String>) -> Vec<String> {
    boxes.keys().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn check(form: ActionForm) -> Result<Command, Problems> {
        let documents = vec!["giay-chung-sinh".to_owned(), "cccd-cha-me".to_owned()];
        parse(
            &form,
            &Context {
                today: date(2026, 11, 23),
                document_ids: &documents,
                due_date: date(2026, 11, 25),
                cases: 2,
                case_no: Some(1),
            },
        )
    }

    fn form(action: &str) -> ActionForm {
        ActionForm { action: action.into(), ..ActionForm::default() }
    }

    fn fields(problems: Problems) -> Vec<String> {
        problems.into_iter().map(|(field, _)| field).collect()
    }

    #[test]
    fn accepting_needs_nothing_more() {
        assert_eq!(
            check(form("tiep-nhan")).unwrap(),
            Command { action: Action::Accept, reason: None, details: Details::Nothing }
        );
    }

    #[test]
    fn refusing_stopping_and_withdrawing_need_a_written_reason_and_a_confirmation() {
        for action in ["tu-choi", "dung", "rut"] {
            assert_eq!(fields(check(form(action)).unwrap_err()), vec!["ly-do", "xac-nhan"], "{action}");
            let reason = ActionForm { reason: "  Hồ sơ không thuộc thẩm quyền  ".into(), ..form(action) };
            assert_eq!(fields(check(reason.clone()).unwrap_err()), vec!["xac-nhan"], "{action}: not ticked");
            let confirmed = ActionForm { confirmed: true, ..reason };
            assert_eq!(check(confirmed).unwrap().reason.as_deref(), Some("Hồ sơ không thuộc thẩm quyền"));
        }
    }

    #[test]
    fn a_supplement_request_names_documents_of_the_form_and_what_is_missing() {
        assert_eq!(fields(check(form("yeu-cau-bo-sung")).unwrap_err()), vec!["ly-do", "giay-to"]);
        let asked = ActionForm {
            reason: "Ảnh giấy chứng sinh bị mờ".into(),
            documents: vec!["giay-chung-sinh".into(), "khong-co-trong-bieu-mau".into()],
            ..form("yeu-cau-bo-sung")
        };
        assert_eq!(check(asked).unwrap().details, Details::Supplement { documents: vec!["giay-chung-sinh".into()] });
    }

    #[test]
    fn forwarding_needs_an_agency_and_a_future_step_deadline() {
        assert_eq!(fields(check(form("chuyen")).unwrap_err()), vec!["co-quan", "han-buoc"]);
        let past = ActionForm { agency: "7".into(), step_due: "23/11/2026".into(), ..form("chuyen") };
        assert_eq!(fields(check(past).unwrap_err()), vec!["han-buoc"]);
        let ok = ActionForm { agency: "7".into(), step_due: "2026-11-26".into(), ..form("chuyen") };
        assert_eq!(check(ok).unwrap().details, Details::Forward { to_agency: 7, step_due: date(2026, 11, 26) });
    }

    #[test]
    fn intake_accepts_under_another_case_only_with_a_reason() {
        let same = ActionForm { case: "1".into(), ..form("tiep-nhan") };
        assert_eq!(check(same).unwrap().details, Details::Nothing);
        let other = ActionForm { case: "2".into(), ..form("tiep-nhan") };
        assert_eq!(fields(check(other.clone()).unwrap_err()), ["ly-do"]);
        let explained = ActionForm { reason: "Cần xác minh nơi cư trú trước đây".into(), ..other };
        assert_eq!(check(explained).unwrap().details, Details::CaseChange { case_no: 2 });
        let unknown = ActionForm { case: "3".into(), ..form("tiep-nhan") };
        assert_eq!(fields(check(unknown).unwrap_err()), ["truong-hop"]);
    }

    #[test]
    fn fees_are_read_as_vietnamese_amounts() {
        for (typed, amount) in [("50000", 50_000), ("50.000", 50_000), ("1 200 000 đ", 1_200_000)] {
            let fee = ActionForm { amount: typed.into(), ..form("yeu-cau-phi") };
            assert_eq!(check(fee).unwrap().details, Details::Fee { amount }, "{typed}");
        }
        for typed in ["", "năm mươi", "-5", "1e9"] {
            let fee = ActionForm { amount: typed.into(), ..form("da-nop-phi") };
            assert_eq!(fields(check(fee).unwrap_err()), vec!["so-tien"], "{typed}");
        }
    }

    #[test]
    fn returning_by_post_needs_an_address_and_a_tracking_number() {
        assert_eq!(fields(check(form("tra-ket-qua")).unwrap_err()), vec!["hinh-thuc"]);
        let desk = ActionForm { delivery: "tai-quay".into(), ..form("tra-ket-qua") };
        assert_eq!(check(desk).unwrap().details, Details::Return(Delivery::AtDesk));
        let post = ActionForm { delivery: "buu-chinh".into(), tracking: "EA 12".into(), ..form("tra-ket-qua") };
        assert_eq!(fields(check(post).unwrap_err()), vec!["dia-chi", "ma-buu-gui"]);
        let post = ActionForm {
            delivery: "buu-chinh".into(),
            address: "Số 5, thôn Đông".into(),
            tracking: "EA123456789VN".into(),
            ..form("tra-ket-qua")
        };
        assert_eq!(
            check(post).unwrap().details,
            Details::Return(Delivery::Post {
                address: "Số 5, thôn Đông".into(), tracking: "EA123456789VN".into()
            })
        );
    }

    #[test]
    fn an_apology_promises_a_date_after_the_due_date() {
        let early = ActionForm { reason: "Chờ xác minh".into(), new_date: "25/11/2026".into(), ..form("xin-loi") };
        assert_eq!(fields(check(early).unwrap_err()), vec!["ngay-hen-moi"]);
        let later = ActionForm { reason: "Chờ xác minh".into(), new_date: "30/11/2026".into(), ..form("xin-loi") };
        assert_eq!(check(later).unwrap().details, Details::Apology { new_date: date(2026, 11, 30) });
    }

    #[test]
    fn an_unknown_action_is_refused() {
        assert_eq!(fields(check(form("xoa-ho-so")).unwrap_err()), vec!["hanh-dong"]);
    }

    #[test]
    fn an_overlong_reason_is_refused_rather_than_cut() {
        let long = ActionForm { reason: "a".repeat(MAX_REASON_CHARS + 1), confirmed: true, ..form("tu-choi") };
        assert_eq!(fields(check(long).unwrap_err()), vec!["ly-do"]);
    }
}
