//! What the citizen is told by SMS when the desk changes their dossier: short, unaccented (as
//! most phones receive SMS best), with the code and the link to follow it.

use crate::domain::command::{Delivery, Details};
use crate::domain::dossier_status::Action;
use crate::domain::money::group_thousands;
use crate::i18n::Text;
use chrono::NaiveDate;

pub struct Facts<'a> {
    pub code: &'a str,
    /// The reason the officer gave (a refusal, a stop, a supplement request).
    pub reason: Option<&'a str>,
    /// The appointment the citizen holds now.
    pub due: NaiveDate,
    pub link: &'a str,
}

/// In Vietnamese: the citizen's language is not known when the desk acts.
pub fn status_sms(action: Action, details: &Details, facts: &Facts) -> Option<String> {
    let Facts { code, reason, due, link } = facts;
    let text = |key: &str| {
        Text::new(format!("sms.{key}"))
            .with("code", *code)
            .with("due", due.format("%d/%m/%Y").to_string())
            .with("reason", short_reason(reason.unwrap_or_default()))
    };
    let text = match (action, details) {
        (Action::RequestFee | Action::RecordFee, Details::Fee { amount }) => {
            text(action.as_slug()).with("amount", thousands(*amount))
        }
        (Action::RequestFee | Action::RecordFee, _) => return None,
        (Action::Return, Details::Return(Delivery::Post { tracking, .. })) => {
            text("tra-ket-qua.post").with("tracking", tracking.as_str())
        }
        (Action::ProposeApology, _) => return None,
        (Action::ApproveApology, _) => text("duyet-xin-loi"),
        (action, _) => text(action.as_slug()),
    };
    Some(Text::new("sms.frame").with("text", text.vi()).with("link", *link).vi())
}

/// The reason as an SMS carries it: unaccented ASCII, at most [`SMS_REASON_CHARS`] characters
/// (the dossier's page has it whole).
fn short_reason(reason: &str) -> String {
    let plain: String = crate::domain::text::fold_diacritics(reason).chars().filter(|c| c.is_ascii()).collect();
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    if plain.chars().count() <= SMS_REASON_CHARS {
        return plain;
    }
    let cut: String = plain.chars().take(SMS_REASON_CHARS - 3).collect();
    format!("{}...", cut.trim_end())
}

const SMS_REASON_CHARS: usize = 80;

fn thousands(amount: i64) -> String {
    group_thousands(amount.unsigned_abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts<'static> {
        Facts {
            code: "DEMO.NB.03-261123-0001",
            reason: Some("Ảnh giấy chứng sinh bị mờ, chưa đọc được số"),
            due: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            link: "https://x/y",
        }
    }

    #[test]
    fn every_change_the_citizen_sees_has_a_message_with_code_and_link() {
        for action in crate::domain::dossier_status::ALL_ACTIONS {
            let sms = status_sms(action, &Details::Fee { amount: 50_000 }, &facts());
            if action == Action::ProposeApology {
                assert_eq!(sms, None, "an apology is sent once a leader approves it");
                continue;
            }
            let sms = sms.unwrap();
            assert!(sms.contains("DEMO.NB.03-261123-0001") && sms.ends_with("Xem: https://x/y"), "{sms}");
            assert!(sms.is_ascii(), "{sms}");
        }
    }

    #[test]
    fn a_refusal_carries_its_reason_shortened_and_unaccented() {
        let sms = status_sms(Action::Refuse, &Details::Nothing, &facts()).unwrap();
        assert!(sms.contains("Ly do: anh giay chung sinh bi mo, chua doc duoc so"), "{sms}");
        let long = "Thiếu giấy tờ ".repeat(20);
        let facts = Facts { reason: Some(&long), ..facts() };
        let sms = status_sms(Action::Stop, &Details::Nothing, &facts).unwrap();
        let reason = sms.split("Ly do: ").nth(1).unwrap().split(". Xem:").next().unwrap();
        assert!(reason.len() <= 80 && reason.ends_with("..."), "{reason}");
    }

    #[test]
    fn the_post_message_gives_the_tracking_number() {
        let post = Details::Return(Delivery::Post { address: "Số 5".into(), tracking: "EA123456789VN".into() });
        assert!(status_sms(Action::Return, &post, &facts()).unwrap().contains("ma buu gui EA123456789VN"));
    }
}
