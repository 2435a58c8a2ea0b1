//! Application forms as data: the pages of questions a citizen answers to file a procedure
//! online, and the rules their answers must meet. Answers are kept as typed (strings by
//! question id) so nothing is lost; validation reads them and says what is wrong, in Vietnamese.

use super::{phone::PhoneNumber, text::normalize_input};
use crate::i18n::Text;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// Raw answers by key: a question's id, or `{id}.xa` / `{id}.chi_tiet` for an address.
pub type Answers = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationForm {
    /// The question whose answer names the applicant on the dossier.
    pub applicant_name: String,
    /// For a procedure with cases: the choice question whose n-th option is case n. The case
    /// decides the documents asked, the time limit and the fee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_question: Option<String>,
    /// The number question of the copies of the result asked for, where a fee is per copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copies_question: Option<String>,
    /// The questions about the applicant that the national digital identity answers, besides
    /// the applicant's name.
    #[serde(default, skip_serializing_if = "IdentityQuestions::is_empty")]
    pub from_identity: IdentityQuestions,
    pub pages: Vec<FormPage>,
}

/// Questions of the form, by id, that ask the applicant's own personal ID number, date of
/// birth and address: pre-filled from the national digital identity when they are asked about
/// the applicant (not reworded about someone else).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityQuestions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

impl IdentityQuestions {
    pub fn is_empty(&self) -> bool {
        self.id_number.is_none() && self.birth_date.is_none() && self.address.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormPage {
    /// Slug used in the page's address.
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub intro: Option<String>,
    /// The page is asked only when an earlier choice has one of these answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shown_when: Option<ShownWhen>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShownWhen {
    /// A choice question on an earlier page.
    pub question: String,
    pub answers: Vec<String>,
}

impl ShownWhen {
    pub fn is_met(&self, answers: &Answers) -> bool {
        answers.get(&self.question).is_some_and(|answer| self.answers.iter().any(|a| a == answer))
    }
}

/// Another wording of a question, used when an earlier choice has one of the answers: a
/// question about "bạn" asked about the person the citizen files for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rewording {
    pub when: ShownWhen,
    pub label: String,
    #[serde(default)]
    pub hint: Option<String>,
}

// (`deny_unknown_fields` does not combine with `flatten`.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub hint: Option<String>,
    #[serde(default = "yes")]
    pub required: bool,
    /// The first wording whose condition the answers meet replaces the label (and hint).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reworded: Vec<Rewording>,
    #[serde(flatten)]
    pub kind: QuestionKind,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    Text {
        #[serde(default = "default_max_length")]
        max_length: u32,
    },
    Number {
        min: i64,
        max: i64,
    },
    Date {
        /// The date cannot be after today (a birth, a past event).
        #[serde(default)]
        not_future: bool,
    },
    Choice {
        options: Vec<String>,
    },
    /// A 12-digit personal identification number (số định danh cá nhân / CCCD).
    IdNumber,
    Phone,
    /// A commune of the province plus house number and street.
    Address,
    /// Photos or a PDF of the required document at this position of the procedure version.
    Document {
        document: u16,
    },
}

fn default_max_length() -> u32 {
    200
}

/// Steps of the guided flow around the form's own pages.
pub const RESERVED_STEPS: [&str; 2] = ["noi-nop", "kiem-tra"];

/// The three boxes of a date question: the answer key's suffix, the box's label, its width.
pub const DATE_PARTS: [(&str, &str, u32); 3] =
    [("ngay", "form.date.day", 2), ("thang", "form.date.month", 2), ("nam", "form.date.year", 4)];

/// Files a citizen may attach to one document question.
pub const MAX_FILES_PER_DOCUMENT: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The id of the input the message points to (for the error summary's links).
    pub input: String,
    pub question_id: String,
    pub message: Text,
}

/// What validation needs besides the answers.
pub struct Context<'a> {
    pub today: NaiveDate,
    /// Identifiers of the communes an address may name.
    pub communes: &'a [String],
    /// How many files are attached, by question id.
    pub files: &'a BTreeMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidForm {
    #[error("the form has no pages")]
    NoPages,
    #[error("id {0:?} is used twice or is not lower-case letters, digits, '-' and '_'")]
    BadId(String),
    #[error("page {0:?} has no questions")]
    EmptyPage(String),
    #[error("question {0:?}: a document question must be alone on its page")]
    DocumentNotAlone(String),
    #[error("question {0:?}: the rule is inconsistent (empty choice, min above max, zero length)")]
    BadRule(String),
    #[error("question {0:?} names required document {1}, which this version does not list")]
    UnknownDocument(String, u16),
    #[error("the applicant's name question {0:?} is not a required text question")]
    BadApplicantName(String),
    #[error("page {0:?} (or a wording of its questions) depends on a question that is not an earlier choice, or on an answer it does not offer")]
    BadCondition(String),
    #[error("the version has {0} cases: the form needs a required choice question with one option per case")]
    BadCaseQuestion(usize),
    #[error("the copies question {0:?} is not a number question")]
    BadCopiesQuestion(String),
    #[error("the national identity's question {0:?} is not a question of its kind (ID number, date, address)")]
    BadIdentityQuestion(String),
}

/// What a form is checked against: its procedure version's documents and cases.
#[derive(Debug, Clone, Copy)]
pub struct VersionShape {
    pub documents: usize,
    pub cases: usize,
}

impl ApplicationForm {
    /// Checks the definition against the documents and cases its version lists.
    pub fn check(&self, version: VersionShape) -> Result<(), InvalidForm> {
        let document_count = version.documents;
        if self.pages.is_empty() {
            return Err(InvalidForm::NoPages);
        }
        let mut ids = HashSet::new();
        for page in &self.pages {
            if !is_slug(&page.id) || RESERVED_STEPS.contains(&page.id.as_str()) || !ids.insert(page.id.clone()) {
                return Err(InvalidForm::BadId(page.id.clone()));
            }
            if page.questions.is_empty() {
                return Err(InvalidForm::EmptyPage(page.id.clone()));
            }
            for question in &page.questions {
                if !is_slug(&question.id) || !ids.insert(question.id.clone()) {
                    return Err(InvalidForm::BadId(question.id.clone()));
                }
                question.check(page.questions.len(), document_count)?;
            }
        }
        self.check_conditions()?;
        self.check_case_question(version.cases)?;
        if let Some(id) = &self.copies_question {
            if !matches!(self.question(id).map(|q| &q.kind), Some(QuestionKind::Number { .. })) {
                return Err(InvalidForm::BadCopiesQuestion(id.clone()));
            }
        }
        self.check_identity_questions()?;
        match self.question(&self.applicant_name) {
            Some(Question { required: true, kind: QuestionKind::Text { .. }, .. }) => Ok(()),
            _ => Err(InvalidForm::BadApplicantName(self.applicant_name.clone())),
        }
    }

    fn check_identity_questions(&self) -> Result<(), InvalidForm> {
        let named = &self.from_identity;
        let kinds: [(&Option<String>, fn(&QuestionKind) -> bool); 3] = [
            (&named.id_number, |k| matches!(k, QuestionKind::IdNumber)),
            (&named.birth_date, |k| matches!(k, QuestionKind::Date { .. })),
            (&named.address, |k| matches!(k, QuestionKind::Address)),
        ];
        for (id, fits) in kinds {
            if let Some(id) = id {
                if !self.question(id).is_some_and(|q| fits(&q.kind)) {
                    return Err(InvalidForm::BadIdentityQuestion(id.clone()));
                }
            }
        }
        Ok(())
    }

    /// A page's condition, and those of its questions' wordings, name answers an earlier page's
    /// choice offers.
    fn check_conditions(&self) -> Result<(), InvalidForm> {
        for (index, page) in self.pages.iter().enumerate() {
            let wordings = page.questions.iter().flat_map(|q| q.reworded.iter().map(|w| &w.when));
            for when in page.shown_when.iter().chain(wordings) {
                let earlier = self.pages[..index].iter().flat_map(|p| &p.questions).find(|q| q.id == when.question);
                let offered = match earlier.map(|q| &q.kind) {
                    Some(QuestionKind::Choice { options }) => {
                        !when.answers.is_empty() && when.answers.iter().all(|a| options.contains(a))
                    }
                    _ => false,
                };
                if !offered {
                    return Err(InvalidForm::BadCondition(page.id.clone()));
                }
            }
        }
        Ok(())
    }

    /// The form as the citizen is asked it, given the answers so far: each question in the
    /// wording its conditions pick.
    pub fn worded(mut self, answers: &Answers) -> Self {
        for question in self.pages.iter_mut().flat_map(|p| p.questions.iter_mut()) {
            if let Some(wording) = question.reworded.iter().find(|w| w.when.is_met(answers)) {
                question.label = wording.label.clone();
                if wording.hint.is_some() {
                    question.hint = wording.hint.clone();
                }
            }
        }
        self
    }

    fn check_case_question(&self, cases: usize) -> Result<(), InvalidForm> {
        let question = self.case_question.as_deref().and_then(|id| self.question(id));
        let fits = match question {
            Some(Question { required: true, kind: QuestionKind::Choice { options }, .. }) => options.len() == cases,
            Some(_) => false,
            None => self.case_question.is_none() && cases < 2,
        };
        if fits {
            Ok(())
        } else {
            Err(InvalidForm::BadCaseQuestion(cases))
        }
    }

    /// The pages asked, given the answers so far (a page whose condition is not met is skipped).
    pub fn shown_pages<'a>(&'a self, answers: &'a Answers) -> impl Iterator<Item = &'a FormPage> + 'a {
        self.pages.iter().filter(move |page| page.is_shown(answers))
    }

    /// The copies of the result asked for (1 when the form does not ask).
    pub fn copies(&self, answers: &Answers) -> u32 {
        self.copies_question
            .as_ref()
            .and_then(|id| answers.get(id))
            .and_then(|n| n.trim().parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    }

    /// The case names (the options of the case question), case n at `n - 1`.
    pub fn case_names(&self) -> Vec<String> {
        let question = self.case_question.as_deref().and_then(|id| self.question(id));
        match question.map(|q| &q.kind) {
            Some(QuestionKind::Choice { options }) => options.clone(),
            _ => Vec::new(),
        }
    }

    pub fn case_count(&self) -> usize {
        self.case_names().len()
    }

    /// The name of case `case_no`.
    pub fn case_name(&self, case_no: i16) -> Option<String> {
        self.case_names().get(usize::try_from(case_no).ok()?.checked_sub(1)?).cloned()
    }

    /// The case the answers chose (from 1), for a procedure with cases.
    pub fn case_no(&self, answers: &Answers) -> Option<i16> {
        let question = self.question(self.case_question.as_deref()?)?;
        let QuestionKind::Choice { options } = &question.kind else { return None };
        let chosen = answers.get(&question.id)?;
        let index = options.iter().position(|o| o == chosen)?;
        i16::try_from(index + 1).ok()
    }

    pub fn page(&self, id: &str) -> Option<(usize, &FormPage)> {
        self.pages.iter().enumerate().find(|(_, page)| page.id == id)
    }

    /// The questions that ask for a document, in form order, of the pages the answers ask.
    pub fn document_questions<'a>(&'a self, answers: &'a Answers) -> impl Iterator<Item = &'a Question> + 'a {
        self.shown_pages(answers)
            .flat_map(|page| &page.questions)
            .filter(|q| matches!(q.kind, QuestionKind::Document { .. }))
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.pages.iter().flat_map(|page| &page.questions).find(|q| q.id == id)
    }

    pub fn applicant_name(&self, answers: &Answers) -> Option<String> {
        answers.get(&self.applicant_name).map(|name| normalize_input(name)).filter(|name| !name.is_empty())
    }

    /// Every answer this page asks for, normalised (an unticked choice becomes empty); other
    /// keys are ignored.
    pub fn answers_for_page(page: &FormPage, submitted: &Answers) -> Answers {
        let typed = |key: &str| submitted.get(key).map(|v| normalize_input(v)).unwrap_or_default();
        page.questions
            .iter()
            .flat_map(|q| q.answer_keys().into_iter().map(move |key| (q, key)))
            .map(|(q, key)| {
                let value = match q.kind {
                    QuestionKind::Date { .. } => date_answer(&q.id, submitted).unwrap_or_else(|| typed(&key)),
                    _ => typed(&key),
                };
                (key, value)
            })
            .collect()
    }

    /// The problems of every page asked; pages skipped by their condition are not checked.
    pub fn validate_all(&self, answers: &Answers, context: &Context) -> Vec<(String, Vec<FieldError>)> {
        self.shown_pages(answers)
            .map(|page| (page.id.clone(), page.validate(answers, context)))
            .filter(|(_, errors)| !errors.is_empty())
            .collect()
    }
}

impl FormPage {
    pub fn is_shown(&self, answers: &Answers) -> bool {
        self.shown_when.as_ref().is_none_or(|when| when.is_met(answers))
    }

    pub fn validate(&self, answers: &Answers, context: &Context) -> Vec<FieldError> {
        self.questions.iter().filter_map(|q| q.validate(answers, context)).collect()
    }

    pub fn is_document_page(&self) -> bool {
        matches!(self.questions.as_slice(), [Question { kind: QuestionKind::Document { .. }, .. }])
    }
}

impl Question {
    fn check(&self, questions_on_page: usize, document_count: usize) -> Result<(), InvalidForm> {
        let bad = || InvalidForm::BadRule(self.id.clone());
        match &self.kind {
            QuestionKind::Text { max_length: 0 } => Err(bad()),
            QuestionKind::Number { min, max } if min > max => Err(bad()),
            QuestionKind::Choice { options } if options.len() < 2 || options.iter().any(|o| o.trim().is_empty()) => {
                Err(bad())
            }
            QuestionKind::Document { .. } if questions_on_page > 1 => {
                Err(InvalidForm::DocumentNotAlone(self.id.clone()))
            }
            QuestionKind::Document { document } if *document == 0 || usize::from(*document) > document_count => {
                Err(InvalidForm::UnknownDocument(self.id.clone(), *document))
            }
            _ => Ok(()),
        }
    }

    /// The answer keys this question's inputs post.
    pub fn answer_keys(&self) -> Vec<String> {
        match self.kind {
            QuestionKind::Address => vec![self.commune_key(), self.street_key()],
            QuestionKind::Document { .. } => vec![],
            _ => vec![self.id.clone()],
        }
    }

    pub fn commune_key(&self) -> String {
        format!("{}.xa", self.id)
    }

    pub fn street_key(&self) -> String {
        format!("{}.chi_tiet", self.id)
    }

    /// The input an error message should lead to.
    pub fn first_input(&self) -> String {
        match self.kind {
            QuestionKind::Address => input_id(&self.commune_key()),
            QuestionKind::Choice { .. } => format!("{}-0", input_id(&self.id)),
            QuestionKind::Date { .. } => input_id(&format!("{}.{}", self.id, DATE_PARTS[0].0)),
            _ => input_id(&self.id),
        }
    }

    fn validate(&self, answers: &Answers, context: &Context) -> Option<FieldError> {
        let value = |key: &str| answers.get(key).map(|v| v.trim()).unwrap_or("");
        let problem = match &self.kind {
            QuestionKind::Document { .. } => {
                let count = context.files.get(&self.id).copied().unwrap_or(0);
                (self.required && count == 0).then(|| self.about("form.error.upload"))
            }
            QuestionKind::Address => {
                self.address_problem(value(&self.commune_key()), value(&self.street_key()), context)
            }
            kind => match value(&self.id) {
                "" if self.required => Some(self.missing_message()),
                "" => None,
                given => kind.problem(given, context.today).map(|t| t.with("label", lower_first(&self.label))),
            },
        };
        problem.map(|message| FieldError { input: self.first_input(), question_id: self.id.clone(), message })
    }

    /// A message naming this question.
    fn about(&self, key: &str) -> Text {
        Text::new(key).with("label", lower_first(&self.label))
    }

    fn missing_message(&self) -> Text {
        self.about(if matches!(self.kind, QuestionKind::Choice { .. }) {
            "form.error.choose"
        } else {
            "form.error.enter"
        })
    }

    fn address_problem(&self, commune: &str, street: &str, context: &Context) -> Option<Text> {
        if commune.is_empty() && street.is_empty() && !self.required {
            return None;
        }
        if commune.is_empty() || !context.communes.iter().any(|c| c == commune) {
            return Some(self.about("form.error.commune"));
        }
        if street.is_empty() {
            return Some(Text::new("form.error.street"));
        }
        (street.chars().count() > 200).then(|| Text::new("form.error.street_too_long"))
    }
}

impl QuestionKind {
    fn problem(&self, given: &str, today: NaiveDate) -> Option<Text> {
        match self {
            Self::Text { max_length } => (given.chars().count() > *max_length as usize)
                .then(|| Text::new("form.error.too_long").with("max", max_length.to_string())),
            Self::Number { min, max } => match given.parse::<i64>() {
                Ok(n) if (*min..=*max).contains(&n) => None,
                Ok(_) => Some(Text::new("form.error.range").with("min", min.to_string()).with("max", max.to_string())),
                Err(_) => Some(Text::new("form.error.digits")),
            },
            Self::Date { not_future } => match parse_date(given) {
                None => Some(Text::new("form.error.date")),
                Some(date) if *not_future && date > today => Some(Text::new("form.error.future")),
                Some(_) => None,
            },
            Self::Choice { options } => (!options.iter().any(|o| o == given)).then(|| Text::new("form.error.option")),
            Self::IdNumber => (given.len() != 12 || !given.bytes().all(|b| b.is_ascii_digit()))
                .then(|| Text::new("form.error.id_number")),
            Self::Phone => PhoneNumber::parse(given).err().map(|e| Text::new(e.key())),
            Self::Address | Self::Document { .. } => None,
        }
    }
}

/// A date question's answer from its three boxes (`{id}.ngay`, `.thang`, `.nam`): the date as
/// 2026-03-05 when the boxes make one, otherwise the boxes as typed ("31/02/1992"), so that they
/// come back as typed with the error. `None` when the boxes were not posted.
pub fn date_answer(id: &str, submitted: &Answers) -> Option<String> {
    let part = |suffix: &str| {
        let typed = submitted.get(&format!("{id}.{suffix}"))?;
        Some(normalize_input(typed).chars().filter(|c| !matches!(c, '/' | ' ')).take(8).collect::<String>())
    };
    let [day, month, year] = DATE_PARTS.map(|(suffix, _, _)| part(suffix));
    if day.is_none() && month.is_none() && year.is_none() {
        return None;
    }
    let (day, month, year) = (day.unwrap_or_default(), month.unwrap_or_default(), year.unwrap_or_default());
    if day.is_empty() && month.is_empty() && year.is_empty() {
        return Some(String::new());
    }
    let typed = format!("{day}/{month}/{year}");
    Some(parse_date(&typed).map_or(typed, |date| date.format("%Y-%m-%d").to_string()))
}

/// What a date question's three boxes show for its stored answer: day, month, year.
pub fn date_boxes(answer: &str) -> [String; 3] {
    if let Some(date) = parse_date(answer) {
        use chrono::Datelike;
        return [date.day().to_string(), date.month().to_string(), date.year().to_string()];
    }
    match answer.split('/').collect::<Vec<_>>().as_slice() {
        [day, month, year] => [(*day).to_owned(), (*month).to_owned(), (*year).to_owned()],
        _ => Default::default(),
    }
}

/// Dates from `<input type="date">` (2026-03-05) or typed by hand where the browser shows a
/// text box (05/03/2026, 5-3-2026).
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok().or_else(|| {
        let parts: Vec<&str> = raw.split(['/', '-', '.']).collect();
        match parts.as_slice() {
            [d, m, y] if y.len() == 4 => NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
            _ => None,
        }
    })
}

/// The HTML id of the input for an answer key (`noi_cu_tru.xa` → `q-noi_cu_tru-xa`).
pub fn input_id(answer_key: &str) -> String {
    format!("q-{}", answer_key.replace('.', "-"))
}

fn is_slug(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ApplicationForm {
        serde_json::from_str(
            r#"{
              "applicant_name": "ho_ten",
              "pages": [
                {"id": "nguoi-yeu-cau", "title": "Người yêu cầu", "questions": [
                  {"id": "ho_ten", "label": "Họ và tên", "type": "text", "max_length": 10},
                  {"id": "ngay_sinh", "label": "Ngày sinh", "type": "date", "not_future": true},
                  {"id": "so_ban", "label": "Số bản sao", "type": "number", "min": 1, "max": 10},
                  {"id": "gioi_tinh", "label": "Giới tính", "type": "choice", "options": ["Nam", "Nữ"]},
                  {"id": "cccd", "label": "Số định danh cá nhân", "type": "id_number"},
                  {"id": "dien_thoai", "label": "Số điện thoại", "type": "phone", "required": false},
                  {"id": "noi_o", "label": "Nơi cư trú", "type": "address"}
                ]},
                {"id": "giay-chung-sinh", "title": "Giấy chứng sinh", "questions": [
                  {"id": "giay_chung_sinh", "label": "Giấy chứng sinh", "type": "document", "document": 2}
                ]}
              ]
            }"#,
        )
        .unwrap()
    }

    fn shape(documents: usize) -> VersionShape {
        VersionShape { documents, cases: 0 }
    }

    fn context<'a>(communes: &'a [String], files: &'a BTreeMap<String, usize>) -> Context<'a> {
        Context { today: NaiveDate::from_ymd_opt(2026, 3, 12).unwrap(), communes, files }
    }

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    fn good_answers() -> Answers {
        answers(&[
            ("ho_ten", "Lò Văn A"),
            ("ngay_sinh", "2026-03-01"),
            ("so_ban", "2"),
            ("gioi_tinh", "Nữ"),
            ("cccd", "037090001234"),
            ("noi_o.xa", "DEMO.NB.03"),
            ("noi_o.chi_tiet", "Thôn Đông"),
        ])
    }

    #[test]
    fn a_date_is_read_from_its_three_boxes_and_kept_as_typed_when_it_is_no_date() {
        let page = &form().pages[0];
        let posted =
            |d: &str, m: &str, y: &str| answers(&[("ngay_sinh.ngay", d), ("ngay_sinh.thang", m), ("ngay_sinh.nam", y)]);
        let kept = ApplicationForm::answers_for_page(page, &posted("5", "3", "2026"));
        assert_eq!(kept["ngay_sinh"], "2026-03-05");
        assert_eq!(date_boxes(&kept["ngay_sinh"]), ["5", "3", "2026"]);
        let wrong = ApplicationForm::answers_for_page(page, &posted(" 31", "02 ", "1992"));
        assert_eq!(wrong["ngay_sinh"], "31/02/1992");
        assert_eq!(date_boxes(&wrong["ngay_sinh"]), ["31", "02", "1992"]);
        let files = BTreeMap::new();
        let errors = page.validate(&wrong, &context(&[], &files));
        let error = errors.iter().find(|e| e.question_id == "ngay_sinh").unwrap();
        assert_eq!(error.input, "q-ngay_sinh-ngay", "the summary leads to the day box");
        assert_eq!(ApplicationForm::answers_for_page(page, &posted("", " ", ""))["ngay_sinh"], "");
        // One input posting the whole date is read too.
        let single = ApplicationForm::answers_for_page(page, &answers(&[("ngay_sinh", "2026-03-05")]));
        assert_eq!(single["ngay_sinh"], "2026-03-05");
    }

    #[test]
    fn a_well_formed_definition_passes_its_check() {
        assert_eq!(form().check(shape(3)), Ok(()));
    }

    #[test]
    fn definitions_with_mistakes_are_refused_with_the_reason() {
        let mut f = form();
        assert_eq!(f.check(shape(1)), Err(InvalidForm::UnknownDocument("giay_chung_sinh".into(), 2)));
        let copy = f.pages[0].questions[0].clone();
        f.pages[0].questions.push(copy);
        assert_eq!(f.check(shape(3)), Err(InvalidForm::BadId("ho_ten".into())));
        let mut f = form();
        f.applicant_name = "gioi_tinh".into();
        assert_eq!(f.check(shape(3)), Err(InvalidForm::BadApplicantName("gioi_tinh".into())));
        let mut f = form();
        f.pages[0].questions[2].kind = QuestionKind::Number { min: 5, max: 1 };
        assert_eq!(f.check(shape(3)), Err(InvalidForm::BadRule("so_ban".into())));
        let mut f = form();
        f.from_identity.id_number = Some("cccd".into());
        f.from_identity.birth_date = Some("so_ban".into());
        assert_eq!(f.check(shape(3)), Err(InvalidForm::BadIdentityQuestion("so_ban".into())));
        f.from_identity.birth_date = Some("ngay_sinh".into());
        assert_eq!(f.check(shape(3)), Ok(()), "an ID number and a date question fit");
    }

    #[test]
    fn complete_answers_have_no_errors() {
        let communes = vec!["DEMO.NB.03".to_owned()];
        let files = BTreeMap::from([("giay_chung_sinh".to_owned(), 1)]);
        assert!(form().validate_all(&good_answers(), &context(&communes, &files)).is_empty());
    }

    #[test]
    fn each_rule_gives_its_own_vietnamese_message() {
        let communes = vec!["DEMO.NB.03".to_owned()];
        let files = BTreeMap::new();
        let bad = answers(&[
            ("ho_ten", "Nguyễn Văn Một Hai"),
            ("ngay_sinh", "2026-04-01"),
            ("so_ban", "hai"),
            ("gioi_tinh", "Khác"),
            ("cccd", "12345"),
            ("dien_thoai", "12"),
            ("noi_o.xa", "DEMO.NB.99"),
        ]);
        let errors = form().validate_all(&bad, &context(&communes, &files));
        let messages: Vec<String> = errors.iter().flat_map(|(_, e)| e).map(|e| e.message.vi()).collect();
        assert_eq!(
            messages,
            [
                "Vui lòng nhập tối đa 10 ký tự.",
                "Ngày này chưa đến. Vui lòng kiểm tra lại.",
                "Vui lòng chỉ nhập chữ số, ví dụ 2.",
                "Vui lòng chọn một trong các lựa chọn.",
                "Số định danh cá nhân (số thẻ Căn cước) gồm đúng 12 chữ số.",
                "Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 0, ví dụ 0912 345 678.",
                "Vui lòng chọn xã, phường của nơi cư trú.",
                "Vui lòng tải lên giấy chứng sinh.",
            ]
        );
        assert_eq!(errors[0].1[3].input, "q-gioi_tinh-0");
        assert_eq!(errors[0].1[6].input, "q-noi_o-xa");
    }

    #[test]
    fn missing_required_answers_are_named_and_optional_ones_are_not() {
        let communes = vec![];
        let files = BTreeMap::new();
        let errors = form().pages[0].validate(&Answers::new(), &context(&communes, &files));
        let ids: Vec<&str> = errors.iter().map(|e| e.question_id.as_str()).collect();
        assert_eq!(ids, ["ho_ten", "ngay_sinh", "so_ban", "gioi_tinh", "cccd", "noi_o"]);
        assert_eq!(errors[0].message.vi(), "Vui lòng nhập họ và tên.");
        assert_eq!(errors[3].message.vi(), "Vui lòng chọn giới tính.");
    }

    #[test]
    fn dates_are_read_from_the_date_picker_or_typed_day_first() {
        let expected = NaiveDate::from_ymd_opt(2026, 3, 5);
        assert_eq!(parse_date("2026-03-05"), expected);
        assert_eq!(parse_date("05/03/2026"), expected);
        assert_eq!(parse_date("5-3-2026"), expected);
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("hôm qua"), None);
    }

    /// A two-case form whose second page is asked only in case 2.
    fn form_with_cases() -> ApplicationForm {
        let mut f = form();
        f.case_question = Some("gioi_tinh".into());
        f.pages[1].shown_when = Some(ShownWhen { question: "gioi_tinh".into(), answers: vec!["Nữ".into()] });
        f
    }

    #[test]
    fn the_case_is_the_chosen_options_position_and_decides_the_pages_asked() {
        let f = form_with_cases();
        assert_eq!(f.check(VersionShape { documents: 3, cases: 2 }), Ok(()));
        let mut answers = good_answers();
        assert_eq!(f.case_no(&answers), Some(2));
        assert_eq!(f.shown_pages(&answers).count(), 2);
        answers.insert("gioi_tinh".into(), "Nam".into());
        assert_eq!(f.case_no(&answers), Some(1));
        let shown: Vec<&str> = f.shown_pages(&answers).map(|p| p.id.as_str()).collect();
        assert_eq!(shown, ["nguoi-yeu-cau"]);
        // The document of case 2 is not asked in case 1, so its missing upload is no error.
        let communes = vec!["DEMO.NB.03".to_owned()];
        let files = BTreeMap::new();
        assert!(f.validate_all(&answers, &context(&communes, &files)).is_empty());
        answers.insert("gioi_tinh".into(), "Nữ".into());
        assert_eq!(f.validate_all(&answers, &context(&communes, &files)).len(), 1);
        answers.remove("gioi_tinh");
        assert_eq!(f.case_no(&answers), None);
    }

    #[test]
    fn cases_and_conditions_must_fit_the_version() {
        let f = form_with_cases();
        assert_eq!(f.check(VersionShape { documents: 3, cases: 3 }), Err(InvalidForm::BadCaseQuestion(3)));
        assert_eq!(form().check(VersionShape { documents: 3, cases: 2 }), Err(InvalidForm::BadCaseQuestion(2)));
        let mut f = form_with_cases();
        f.pages[1].shown_when = Some(ShownWhen { question: "gioi_tinh".into(), answers: vec!["Khác".into()] });
        assert_eq!(
            f.check(VersionShape { documents: 3, cases: 2 }),
            Err(InvalidForm::BadCondition("giay-chung-sinh".into()))
        );
        let mut f = form_with_cases();
        f.pages[1].shown_when = Some(ShownWhen { question: "ho_ten".into(), answers: vec!["A".into()] });
        assert_eq!(
            f.check(VersionShape { documents: 3, cases: 2 }),
            Err(InvalidForm::BadCondition("giay-chung-sinh".into()))
        );
    }

    #[test]
    fn a_question_about_you_is_worded_about_the_person_filed_for_when_the_citizen_files_for_someone() {
        let mut f = form();
        let for_other = ShownWhen { question: "gioi_tinh".into(), answers: vec!["Nữ".into()] };
        f.pages[1].questions[0].reworded = vec![Rewording {
            when: for_other.clone(),
            label: "Giấy chứng sinh của người được khai".into(),
            hint: None,
        }];
        f.pages[1].questions[0].hint = Some("Chụp rõ".into());
        assert_eq!(f.check(shape(3)), Ok(()));
        let worded = f.clone().worded(&good_answers());
        assert_eq!(worded.pages[1].questions[0].label, "Giấy chứng sinh của người được khai");
        assert_eq!(worded.pages[1].questions[0].hint.as_deref(), Some("Chụp rõ"));
        let mut male = good_answers();
        male.insert("gioi_tinh".into(), "Nam".into());
        assert_eq!(f.clone().worded(&male).pages[1].questions[0].label, "Giấy chứng sinh");
        // A wording's condition must name an earlier page's choice, like a page's.
        f.pages[0].questions[0].reworded =
            vec![Rewording { when: for_other, label: "Họ và tên người ấy".into(), hint: None }];
        assert_eq!(f.check(shape(3)), Err(InvalidForm::BadCondition("nguoi-yeu-cau".into())));
    }

    #[test]
    fn only_the_pages_own_answers_are_kept_normalised() {
        let f = form();
        let submitted = answers(&[("ho_ten", "  Hoa\u{300}  "), ("other", "x"), ("noi_o.xa", "DEMO.NB.03")]);
        let kept = ApplicationForm::answers_for_page(&f.pages[0], &submitted);
        assert_eq!(kept.get("ho_ten").map(String::as_str), Some("Hoà"));
        assert_eq!(kept.get("noi_o.xa").map(String::as_str), Some("DEMO.NB.03"));
        assert_eq!(kept.get("gioi_tinh").map(String::as_str), Some(""));
        assert!(!kept.contains_key("other"));
    }
}
