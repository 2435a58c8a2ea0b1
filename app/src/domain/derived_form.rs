//! The application form of an online procedure that has no authored one, derived from what the
//! catalog posts about it: who files, the case, one page per document to hand in (for the case
//! chosen), the number of copies where the result is issued in copies, and how the result is
//! delivered. The questions are content in Vietnamese, like an authored form's.

use super::application_form::{ApplicationForm, FormPage, IdentityQuestions, Question, QuestionKind, ShownWhen};
use super::time_limit::{TimeLimit, TimeUnit};

/// What the derivation reads of a procedure version.
pub struct VersionFacts<'a> {
    pub fully_online: bool,
    /// Case names, case n at `n - 1`, each with its online time limit.
    pub cases: Vec<(&'a str, Option<TimeLimit>)>,
    pub documents: Vec<DocumentFacts<'a>>,
    /// The fee is charged per copy of the result.
    pub issued_in_copies: bool,
}

pub struct DocumentFacts<'a> {
    pub name: &'a str,
    pub case_no: Option<i16>,
    pub mandatory: bool,
    /// Shown at the desk, never uploaded.
    pub present_only: bool,
    /// The catalog posts a template of it.
    pub has_template: bool,
}

pub const APPLICANT_NAME: &str = "ho_ten";
pub const ID_NUMBER: &str = "so_dinh_danh";
pub const RESIDENCE: &str = "noi_cu_tru";
pub const CASE_QUESTION: &str = "truong_hop";
pub const FOR_WHOM: &str = "nop_cho";
pub const COPIES: &str = "so_ban";
pub const DELIVERY: &str = "nhan_ket_qua";
pub const POST_ADDRESS: &str = "dia_chi_nhan";

pub const FOR_SELF: &str = "Cho bản thân tôi";
pub const FOR_OTHER: &str = "Cho người khác, theo văn bản ủy quyền";
pub const AT_DESK: &str = "Nhận tại nơi nộp hồ sơ";
pub const BY_POST: &str = "Nhận qua bưu chính công ích tại địa chỉ của tôi";
pub const DIGITAL: &str = "Nhận bản điện tử trên Cổng (tải về từ trang hồ sơ)";

pub fn derive(version: &VersionFacts) -> ApplicationForm {
    let mut pages = vec![applicant_page(version), represented_page()];
    if version.cases.len() >= 2 {
        pages.push(case_page(&version.cases));
    }
    pages.extend(document_pages(version));
    if version.issued_in_copies {
        pages.push(copies_page());
    }
    pages.extend(delivery_pages(version.fully_online));
    ApplicationForm {
        applicant_name: APPLICANT_NAME.into(),
        case_question: (version.cases.len() >= 2).then(|| CASE_QUESTION.into()),
        copies_question: version.issued_in_copies.then(|| COPIES.into()),
        from_identity: IdentityQuestions {
            id_number: Some(ID_NUMBER.into()),
            birth_date: None,
            address: Some(RESIDENCE.into()),
        },
        pages,
    }
}

fn question(id: &str, label: &str, hint: Option<&str>, kind: QuestionKind) -> Question {
    Question {
        id: id.into(),
        label: label.into(),
        hint: hint.map(Into::into),
        required: true,
        reworded: Vec::new(),
        kind,
    }
}

fn page(id: &str, title: &str, intro: Option<String>, questions: Vec<Question>) -> FormPage {
    FormPage { id: id.into(), title: title.into(), intro, shown_when: None, questions }
}

fn when(question: &str, answers: Vec<String>) -> Option<ShownWhen> {
    Some(ShownWhen { question: question.into(), answers })
}

const NAME_HINT: &str = "Viết có dấu, đúng như trên thẻ Căn cước.";
const ID_HINT: &str = "12 chữ số in trên thẻ Căn cước hoặc Căn cước công dân.";

fn applicant_page(version: &VersionFacts) -> FormPage {
    let shown: Vec<&str> = version.documents.iter().filter(|d| d.present_only).map(|d| d.name).collect();
    let intro = (!shown.is_empty()).then(|| {
        format!("Giấy tờ không cần tải lên, chỉ xuất trình bản chính khi nhận kết quả: {}.", shown.join("; "))
    });
    page(
        "nguoi-nop",
        "Người nộp hồ sơ",
        intro,
        vec![
            question(
                APPLICANT_NAME,
                "Họ, chữ đệm và tên của bạn",
                Some(NAME_HINT),
                QuestionKind::Text { max_length: 100 },
            ),
            question(ID_NUMBER, "Số định danh cá nhân của bạn", Some(ID_HINT), QuestionKind::IdNumber),
            question("dien_thoai", "Số điện thoại di động của bạn", None, QuestionKind::Phone),
            question(RESIDENCE, "Nơi cư trú của bạn", None, QuestionKind::Address),
            question(
                FOR_WHOM,
                "Bạn nộp hồ sơ này cho ai?",
                None,
                QuestionKind::Choice { options: vec![FOR_SELF.into(), FOR_OTHER.into()] },
            ),
        ],
    )
}

fn represented_page() -> FormPage {
    FormPage {
        shown_when: when(FOR_WHOM, vec![FOR_OTHER.into()]),
        ..page(
            "nguoi-uy-quyen",
            "Người ủy quyền cho bạn",
            Some("Người có yêu cầu giải quyết thủ tục, đã ủy quyền cho bạn nộp hồ sơ.".into()),
            vec![
                question(
                    "ho_ten_nguoi_uy_quyen",
                    "Họ, chữ đệm và tên người ủy quyền",
                    Some(NAME_HINT),
                    QuestionKind::Text { max_length: 100 },
                ),
                question(
                    "so_dinh_danh_nguoi_uy_quyen",
                    "Số định danh cá nhân của người ủy quyền",
                    Some(ID_HINT),
                    QuestionKind::IdNumber,
                ),
            ],
        )
    }
}

fn case_page(cases: &[(&str, Option<TimeLimit>)]) -> FormPage {
    let explained: Vec<String> = cases
        .iter()
        .map(|(name, limit)| match limit {
            Some(limit) => format!("{name}: giải quyết {}", time_limit_words(*limit)),
            None => (*name).to_owned(),
        })
        .collect();
    page(
        "truong-hop",
        "Trường hợp của bạn",
        Some(format!(
            "Giấy tờ cần nộp và thời hạn giải quyết tùy theo trường hợp. {}. Nếu chưa rõ, chọn trường hợp bạn thấy gần nhất: cán bộ tiếp nhận kiểm tra lại và báo cho bạn.",
            explained.join(". ")
        )),
        vec![question(
            CASE_QUESTION,
            "Trường hợp nào đúng với bạn?",
            None,
            QuestionKind::Choice { options: cases.iter().map(|(name, _)| (*name).to_owned()).collect() },
        )],
    )
}

fn document_pages(version: &VersionFacts) -> Vec<FormPage> {
    let case_names: Vec<String> = version.cases.iter().map(|(name, _)| (*name).to_owned()).collect();
    (1_u16..)
        .zip(&version.documents)
        .filter(|(_, d)| !d.present_only)
        .map(|(position, d)| {
            let authorisation = is_authorisation(d.name);
            let shown_when = if authorisation {
                when(FOR_WHOM, vec![FOR_OTHER.into()])
            } else {
                d.case_no
                    .and_then(|n| case_names.get(usize::try_from(n).ok()?.checked_sub(1)?).cloned())
                    .and_then(|name| when(CASE_QUESTION, vec![name]))
            };
            let hint =
                d.has_template.then_some("Tải mẫu ở trang thủ tục, điền và ký, rồi chụp ảnh hoặc quét thành tệp PDF.");
            let id = format!("giay_to_{position}");
            FormPage {
                shown_when,
                ..page(
                    &format!("giay-to-{position}"),
                    &short_title(d.name),
                    None,
                    vec![Question {
                        required: d.mandatory || authorisation,
                        ..question(&id, d.name, hint, QuestionKind::Document { document: position })
                    }],
                )
            }
        })
        .collect()
}

fn copies_page() -> FormPage {
    page(
        "so-ban",
        "Số bản cần cấp",
        Some("Phí tính theo số bản.".into()),
        vec![question(COPIES, "Số bản cần cấp", None, QuestionKind::Number { min: 1, max: 10 })],
    )
}

fn delivery_pages(fully_online: bool) -> Vec<FormPage> {
    let mut options = vec![AT_DESK.to_owned(), BY_POST.to_owned()];
    if fully_online {
        options.push(DIGITAL.to_owned());
    }
    vec![
        page(
            "nhan-ket-qua",
            "Cách nhận kết quả",
            Some("Nhận qua bưu chính: bưu điện thu phí chuyển phát khi giao.".into()),
            vec![question(DELIVERY, "Bạn muốn nhận kết quả thế nào?", None, QuestionKind::Choice { options })],
        ),
        FormPage {
            shown_when: when(DELIVERY, vec![BY_POST.into()]),
            ..page(
                "dia-chi-nhan",
                "Địa chỉ nhận kết quả",
                None,
                vec![question(POST_ADDRESS, "Địa chỉ nhận kết quả qua bưu chính", None, QuestionKind::Address)],
            )
        },
    ]
}

/// The authorisation a representative files with.
fn is_authorisation(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.contains("ủy quyền") || lower.contains("uỷ quyền")
}

/// The document's name without its qualifiers ("(mẫu CT01)", ", nếu ...", "; ..."), which
/// stay in the question's label.
fn short_title(name: &str) -> String {
    let cut = [name.find(['(', ';']), name.find(", nếu")].into_iter().flatten().min().unwrap_or(name.len());
    name[..cut].trim().to_owned()
}

fn time_limit_words(limit: TimeLimit) -> String {
    match (limit.unit, limit.amount) {
        (TimeUnit::WorkingDays, 0) => "trong ngày làm việc".into(),
        (TimeUnit::WorkingDays, n) => format!("trong {n} ngày làm việc"),
        (TimeUnit::CalendarDays, n) => format!("trong {n} ngày"),
        (TimeUnit::Hours, n) => format!("trong {n} giờ làm việc"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::application_form::{Answers, VersionShape};

    fn document(name: &str) -> DocumentFacts<'_> {
        DocumentFacts { name, case_no: None, mandatory: true, present_only: false, has_template: false }
    }

    fn two_cases() -> VersionFacts<'static> {
        VersionFacts {
            fully_online: true,
            cases: vec![
                ("Không cần xác minh", TimeLimit::new(3, TimeUnit::WorkingDays).ok()),
                ("Cần xác minh", TimeLimit::new(23, TimeUnit::WorkingDays).ok()),
            ],
            documents: vec![
                DocumentFacts { has_template: true, ..document("Tờ khai theo mẫu") },
                DocumentFacts { case_no: Some(2), ..document("Văn bản xác minh, nếu cần xác minh") },
                DocumentFacts { present_only: true, ..document("Thẻ Căn cước") },
                DocumentFacts {
                    mandatory: false, ..document("Văn bản ủy quyền có chứng thực, nếu nộp thay")
                },
            ],
            issued_in_copies: true,
        }
    }

    fn shown(form: &ApplicationForm, answers: &[(&str, &str)]) -> Vec<String> {
        let answers: Answers = answers.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        form.shown_pages(&answers).map(|p| p.id.clone()).collect()
    }

    #[test]
    fn a_derived_form_passes_the_checks_of_an_authored_one() {
        let form = derive(&two_cases());
        assert_eq!(form.check(VersionShape { documents: 4, cases: 2 }), Ok(()));
        let one_case = VersionFacts { cases: vec![], issued_in_copies: false, fully_online: false, ..two_cases() };
        let form = derive(&one_case);
        assert_eq!(form.check(VersionShape { documents: 4, cases: 0 }), Ok(()));
        assert_eq!(form.case_question, None);
    }

    #[test]
    fn the_case_chosen_decides_the_documents_asked() {
        let form = derive(&two_cases());
        let base = [("nop_cho", FOR_SELF), ("nhan_ket_qua", AT_DESK)];
        let first = shown(&form, &[base[0], base[1], ("truong_hop", "Không cần xác minh")]);
        assert_eq!(first, ["nguoi-nop", "truong-hop", "giay-to-1", "so-ban", "nhan-ket-qua"]);
        let second = shown(&form, &[base[0], base[1], ("truong_hop", "Cần xác minh")]);
        assert_eq!(second, ["nguoi-nop", "truong-hop", "giay-to-1", "giay-to-2", "so-ban", "nhan-ket-qua"]);
        let mut answers = Answers::new();
        answers.insert("truong_hop".into(), "Cần xác minh".into());
        assert_eq!(form.case_no(&answers), Some(2));
        assert!(form.pages[2].intro.as_deref().unwrap().contains("Cần xác minh: giải quyết trong 23 ngày làm việc"));
    }

    #[test]
    fn a_representative_gives_the_principal_and_the_authorisation_and_post_needs_an_address() {
        let form = derive(&two_cases());
        let pages =
            shown(&form, &[("nop_cho", FOR_OTHER), ("truong_hop", "Không cần xác minh"), ("nhan_ket_qua", BY_POST)]);
        assert_eq!(
            pages,
            [
                "nguoi-nop",
                "nguoi-uy-quyen",
                "truong-hop",
                "giay-to-1",
                "giay-to-4",
                "so-ban",
                "nhan-ket-qua",
                "dia-chi-nhan"
            ]
        );
        // Optional in the catalog ("if filed by a representative"), required when it applies.
        assert!(form.question("giay_to_4").unwrap().required);
    }

    #[test]
    fn documents_shown_at_the_desk_are_explained_not_asked_and_templates_are_pointed_to() {
        let form = derive(&two_cases());
        assert!(form.question("giay_to_3").is_none());
        assert!(form.pages[0].intro.as_deref().unwrap().contains("Thẻ Căn cước"));
        assert!(form.question("giay_to_1").unwrap().hint.as_deref().unwrap().contains("Tải mẫu"));
        assert_eq!(form.page("giay-to-4").unwrap().1.title, "Văn bản ủy quyền có chứng thực");
    }

    #[test]
    fn a_digital_copy_is_offered_only_for_fully_online_procedures() {
        let options = |fully_online| match &derive(&VersionFacts { fully_online, ..two_cases() })
            .question(DELIVERY)
            .unwrap()
            .kind
        {
            QuestionKind::Choice { options } => options.len(),
            _ => 0,
        };
        assert_eq!((options(true), options(false)), (3, 2));
    }
}
