//! What the national digital identity answers on an application form: the applicant's name,
//! personal ID number, date of birth and address, for the questions the form names, when they
//! are asked about the applicant. They fill questions not answered yet; an answer equal to what
//! the identity asserts is marked as coming from it, wherever the citizen sees it.

use super::application_form::{Answers, ApplicationForm, FormPage, Question};
use super::text::{fold_diacritics, normalize_input};
use chrono::NaiveDate;

/// What the identity provider asserted about the signed-in citizen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityFacts {
    pub id_number: String,
    pub full_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    /// As the provider formats it, comma-separated down to the commune: "Số 5 phố Lê Lợi,
    /// Phường Hoa Lư, Tỉnh Ninh Bình".
    pub address: Option<String>,
}

/// The identity's answers to the page's questions, by answer key. A question reworded about
/// someone else by an earlier answer ("cho người khác") gets none.
pub fn asserted_answers(
    form: &ApplicationForm,
    page: &FormPage,
    facts: &IdentityFacts,
    answers: &Answers,
    communes: &[(String, String)],
) -> Answers {
    let named = &form.from_identity;
    let mut given = Answers::new();
    for question in page.questions.iter().filter(|q| !q.reworded.iter().any(|w| w.when.is_met(answers))) {
        let id = Some(&question.id);
        if question.id == form.applicant_name {
            if let Some(name) = &facts.full_name {
                given.insert(question.id.clone(), normalize_input(name));
            }
        } else if named.id_number.as_ref() == id {
            given.insert(question.id.clone(), facts.id_number.clone());
        } else if named.birth_date.as_ref() == id {
            if let Some(date) = facts.birth_date {
                given.insert(question.id.clone(), date.format("%Y-%m-%d").to_string());
            }
        } else if named.address.as_ref() == id {
            if let Some((commune, street)) = facts.address.as_deref().and_then(|a| split_address(a, communes)) {
                given.insert(question.commune_key(), commune);
                given.insert(question.street_key(), street);
            }
        }
    }
    given
}

/// The answers a page shows: those saved, and the identity's for each question with nothing
/// saved yet (an answer the citizen saved, even emptied, is theirs).
pub fn prefilled(page: &FormPage, asserted: &Answers, answers: &Answers) -> Answers {
    let mut shown = answers.clone();
    for question in &page.questions {
        let keys = question.answer_keys();
        let untouched = keys.iter().all(|k| !answers.contains_key(k));
        if untouched && !keys.is_empty() && keys.iter().all(|k| asserted.contains_key(k)) {
            shown.extend(keys.into_iter().map(|k| (k.clone(), asserted[&k].clone())));
        }
    }
    shown
}

/// Whether the question's answer is the one the identity asserts.
pub fn is_from_identity(question: &Question, asserted: &Answers, answers: &Answers) -> bool {
    let keys = question.answer_keys();
    !keys.is_empty() && keys.iter().all(|k| asserted.get(k).is_some_and(|given| answers.get(k) == Some(given)))
}

/// The commune of the province the address names (one of its comma-separated parts, with or
/// without "Xã"/"Phường") and the parts before it as house and street; `None` when no commune
/// of the province is named or nothing comes before it.
fn split_address(address: &str, communes: &[(String, String)]) -> Option<(String, String)> {
    let parts: Vec<String> = address.split(',').map(normalize_input).collect();
    let (index, commune) = parts.iter().enumerate().find_map(|(index, part)| {
        let part = fold_diacritics(part);
        communes.iter().find(|(_, name)| names_commune(&part, name)).map(|(identifier, _)| (index, identifier))
    })?;
    let street = parts[..index].iter().filter(|p| !p.is_empty()).cloned().collect::<Vec<_>>().join(", ");
    (!street.is_empty()).then(|| (commune.clone(), street))
}

fn names_commune(folded_part: &str, commune_name: &str) -> bool {
    let name = fold_diacritics(commune_name);
    let bare = ["xa ", "phuong ", "thi tran ", "dac khu "].iter().find_map(|kind| name.strip_prefix(kind));
    folded_part == name || bare == Some(folded_part)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ApplicationForm {
        serde_json::from_str(
            r#"{
              "applicant_name": "ho_ten",
              "from_identity": {"id_number": "cccd", "birth_date": "ngay_sinh", "address": "noi_o"},
              "pages": [
                {"id": "nop-cho", "title": "Nộp cho ai", "questions": [
                  {"id": "nop_cho", "label": "Cho ai?", "type": "choice", "options": ["Cho tôi", "Cho người khác"]}]},
                {"id": "nguoi-yeu-cau", "title": "Người yêu cầu", "questions": [
                  {"id": "ho_ten", "label": "Họ và tên của bạn", "type": "text",
                   "reworded": [{"when": {"question": "nop_cho", "answers": ["Cho người khác"]},
                                 "label": "Họ và tên người được cấp"}]},
                  {"id": "ngay_sinh", "label": "Ngày sinh", "type": "date", "not_future": true},
                  {"id": "cccd", "label": "Số định danh", "type": "id_number"},
                  {"id": "noi_o", "label": "Nơi cư trú", "type": "address"},
                  {"id": "cccd_cha", "label": "Số định danh của cha", "type": "id_number"}]}
              ]
            }"#,
        )
        .expect("test form")
    }

    fn facts() -> IdentityFacts {
        IdentityFacts {
            id_number: "001090088801".into(),
            full_name: Some(" Trần Thị Thử Nghiệm ".into()),
            birth_date: NaiveDate::from_ymd_opt(1990, 5, 12),
            address: Some("Số 5 phố Lê Lợi, Tổ 3 , phuong hoa lu, Tỉnh Ninh Bình".into()),
        }
    }

    fn communes() -> Vec<(String, String)> {
        vec![("NB.01".into(), "Phường Hoa Lư".into()), ("NB.03".into(), "Xã Gia Viễn".into())]
    }

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn the_identity_answers_the_questions_the_form_names_and_no_other() {
        let form = form();
        let given = asserted_answers(&form, &form.pages[1], &facts(), &Answers::new(), &communes());
        assert_eq!(
            given,
            answers(&[
                ("ho_ten", "Trần Thị Thử Nghiệm"),
                ("ngay_sinh", "1990-05-12"),
                ("cccd", "001090088801"),
                ("noi_o.xa", "NB.01"),
                ("noi_o.chi_tiet", "Số 5 phố Lê Lợi, Tổ 3"),
            ])
        );
        assert!(!given.contains_key("cccd_cha"), "another person's ID number is never filled in");
    }

    #[test]
    fn a_question_asked_about_someone_else_is_not_filled_in() {
        let form = form();
        let for_other = answers(&[("nop_cho", "Cho người khác")]);
        let given = asserted_answers(&form, &form.pages[1], &facts(), &for_other, &communes());
        assert!(!given.contains_key("ho_ten"));
        assert!(given.contains_key("cccd"), "an unreworded question is still the applicant's");
    }

    #[test]
    fn an_address_outside_the_province_or_without_a_street_is_left_to_the_citizen() {
        let form = form();
        for address in ["Số 1 Tràng Tiền, Phường Hoàn Kiếm, Hà Nội", "Phường Hoa Lư, Ninh Bình"] {
            let facts = IdentityFacts { address: Some(address.into()), ..facts() };
            let given = asserted_answers(&form, &form.pages[1], &facts, &Answers::new(), &communes());
            assert!(!given.contains_key("noi_o.xa") && !given.contains_key("noi_o.chi_tiet"), "{address}");
        }
        let bare = IdentityFacts { address: Some("Thôn Đông, Gia Viễn, Ninh Bình".into()), ..facts() };
        let given = asserted_answers(&form, &form.pages[1], &bare, &Answers::new(), &communes());
        assert_eq!(given.get("noi_o.xa").map(String::as_str), Some("NB.03"), "the commune named without 'Xã'");
    }

    #[test]
    fn only_unanswered_questions_are_filled_and_the_mark_follows_the_answer() {
        let form = form();
        let page = &form.pages[1];
        let saved = answers(&[("ho_ten", "Trần Thị Thử"), ("cccd", "")]);
        let asserted = asserted_answers(&form, page, &facts(), &saved, &communes());
        let shown = prefilled(page, &asserted, &saved);
        assert_eq!(shown["ho_ten"], "Trần Thị Thử", "the citizen's own answer stays");
        assert_eq!(shown["cccd"], "", "an emptied answer stays empty");
        assert_eq!(shown["ngay_sinh"], "1990-05-12");
        assert_eq!(shown["noi_o.xa"], "NB.01");
        let marked: Vec<&str> =
            page.questions.iter().filter(|q| is_from_identity(q, &asserted, &shown)).map(|q| q.id.as_str()).collect();
        assert_eq!(marked, ["ngay_sinh", "noi_o"]);
    }
}
