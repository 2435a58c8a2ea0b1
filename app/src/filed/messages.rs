//! What the citizen is told by SMS when the desk changes their dossier: short, unaccented (as
//! most phones receive SMS best), with the code and the link to follow it.

use crate::domain::command::{Delivery, Details};
use crate::domain::dossier_status::Action;
use crate::domain::money::group_thousands;
use chrono::NaiveDate;

pub struct Facts<'a> {
    pub code: &'a str,
    /// The appointment the citizen holds now.
    pub due: NaiveDate,
    pub link: &'a str,
}

pub fn status_sms(action: Action, details: &Details, facts: &Facts) -> Option<String> {
    let Facts { code, due, link } = facts;
    let due = due.format("%d/%m/%Y");
    let text = match (action, details) {
        (Action::Accept, _) => format!("ho so {code} da duoc tiep nhan. Hen tra ket qua ngay {due}"),
        (Action::Refuse, _) => format!("ho so {code} khong duoc tiep nhan. Ly do"),
        (Action::RequestSupplement, _) => format!("ho so {code} can bo sung giay to. Bo sung truc tuyen"),
        (Action::Supplement, _) => format!("da nhan giay to bo sung cho ho so {code}. Hen tra ket qua ngay {due}"),
        (Action::StartProcessing, _) => format!("ho so {code} dang duoc xu ly"),
        (Action::Forward, _) => format!("ho so {code} da chuyen co quan lien quan xu ly tiep"),
        (Action::RequestFee, Details::Fee { amount }) => {
            format!("ho so {code} can nop phi, le phi {} dong", thousands(*amount))
        }
        (Action::RecordFee, Details::Fee { amount }) => {
            format!("da ghi nhan nop {} dong cho ho so {code}", thousands(*amount))
        }
        (Action::Stop, _) => format!("ho so {code} bi dung xu ly. Ly do"),
        (Action::ResultReady, _) => format!("ho so {code} da co ket qua"),
        (Action::Return, Details::Return(Delivery::Post { tracking, .. })) => {
            format!("ket qua ho so {code} da gui qua buu chinh, ma buu gui {tracking}")
        }
        (Action::Return, _) => format!("ho so {code} da tra ket qua. Cam on ong/ba"),
        (Action::Withdraw, _) => format!("ho so {code} da duoc rut theo yeu cau cua ong/ba"),
        (Action::ApproveApology, _) => {
            format!("xin loi ong/ba: ho so {code} cham tra ket qua. Hen tra moi ngay {due}")
        }
        _ => return None,
    };
    Some(format!("Mot Cua: {text}. Xem: {link}"))
}

fn thousands(amount: i64) -> String {
    group_thousands(amount.unsigned_abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts<'static> {
        Facts {
            code: "DEMO.NB.03-261123-0001",
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
    fn the_post_message_gives_the_tracking_number() {
        let post = Details::Return(Delivery::Post { address: "Số 5".into(), tracking: "EA123456789VN".into() });
        assert!(status_sms(Action::Return, &post, &facts()).unwrap().contains("ma buu gui EA123456789VN"));
    }
}
