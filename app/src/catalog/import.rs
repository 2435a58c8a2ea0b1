//! Loads or updates the catalog from a JSON document (format: README, "Catalog file"; example:
//! `data/demo_catalog.json`) and the form template files it names. Everything is written in one
//! transaction after the whole file has been checked: a bad file changes nothing.
//!
//! Procedures are upserted by code and versions by effective date. A new version closes the
//! version in force before it; a version loaded again has its cases, channels and documents
//! replaced.
//!
//! This module is the one writer of the catalog's tables, agencies included (an administrator's
//! change to an agency's name and contacts is written here too).

use super::{ChannelKind, OnlineKind};
use crate::domain::application_form::{ApplicationForm, VersionShape};
use crate::domain::derived_form;
use crate::domain::search::{fold_for_search, SearchQuery};
use crate::domain::time_limit::{TimeLimit, TimeUnit};
use crate::domain::{procedure_code::ProcedureCode, text::normalize_input};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use sqlx::{PgPool, Postgres, Transaction};
use std::collections::{BTreeMap, HashSet};

pub const DEMO_CATALOG_JSON: &str = include_str!("data/demo_catalog.json");

/// Form templates shipped with the demo catalog, by file name.
pub fn demo_forms() -> FormFiles {
    macro_rules! forms {
        ($($name:literal),* $(,)?) => {
            [$(($name, include_bytes!(concat!("data/forms/", $name)).as_slice())),*]
        };
    }
    forms![
        "to-khai-dang-ky-khai-sinh.pdf",
        "to-khai-dang-ky-ket-hon.pdf",
        "to-khai-dang-ky-khai-tu.pdf",
        "to-khai-xac-nhan-tinh-trang-hon-nhan.pdf",
        "to-khai-cap-ban-sao-trich-luc-ho-tich.pdf",
        "to-khai-dang-ky-nhan-cha-me-con.pdf",
        "to-khai-dang-ky-giam-ho.pdf",
        "to-khai-thay-doi-cai-chinh-bo-sung-ho-tich.pdf",
        "to-khai-thay-doi-thong-tin-cu-tru-ct01.pdf",
        "giay-de-nghi-dang-ky-ho-kinh-doanh.pdf",
        "to-khai-yeu-cau-cap-phieu-ly-lich-tu-phap.pdf",
        "to-khai-dang-ky-lai-khai-sinh.pdf",
    ]
    .into_iter()
    .map(|(name, bytes)| (name.to_owned(), bytes.to_vec()))
    .collect()
}

/// Form template contents by file name.
pub type FormFiles = BTreeMap<String, Vec<u8>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    pub agencies: Vec<AgencyEntry>,
    pub fields: Vec<FieldEntry>,
    #[serde(default)]
    pub forms: Vec<FormEntry>,
    pub procedures: Vec<ProcedureEntry>,
    /// Everyday words for the catalog's; when given, they replace the list in the database.
    #[serde(default)]
    pub synonyms: Option<Vec<SynonymEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SynonymEntry {
    /// What people say ("nhập hộ khẩu").
    pub everyday: String,
    /// What the catalog says ("đăng ký thường trú").
    pub formal: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgencyEntry {
    pub identifier: String,
    /// Identifier of the parent agency, which must come earlier in the file.
    pub parent: Option<String>,
    pub name: String,
    pub level: String,
    #[serde(default)]
    pub address: Option<String>,
    pub hotline: Option<String>,
    pub is_demo: bool,
    pub valid_from: chrono::NaiveDate,
    #[serde(default)]
    pub valid_to: Option<chrono::NaiveDate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldEntry {
    pub code: Option<String>,
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormEntry {
    /// File name in the `forms/` folder beside the catalog file.
    pub file: String,
    pub title: String,
    /// The regulation that issued the official template.
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcedureEntry {
    pub code: String,
    pub name: String,
    /// Name of a field listed in `fields`.
    pub field: String,
    pub level: String,
    pub applicant: String,
    pub competent_agency: String,
    #[serde(default)]
    pub is_popular: bool,
    /// Names people use for it besides its formal name ("giấy độc thân"), found by search.
    #[serde(default)]
    pub common_names: Vec<String>,
    /// Identifiers of the agencies where it can be filed.
    #[serde(default)]
    pub offered_by: Vec<String>,
    pub versions: Vec<VersionEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionEntry {
    pub effective_from: chrono::NaiveDate,
    #[serde(default)]
    pub effective_to: Option<chrono::NaiveDate>,
    pub announced_by: Option<String>,
    pub online_kind: OnlineKind,
    #[serde(default)]
    pub cases: Vec<String>,
    pub steps: Vec<String>,
    pub channels: Vec<ChannelEntry>,
    pub documents: Vec<DocumentEntry>,
    #[serde(default)]
    pub conditions: Vec<String>,
    pub legal_basis: Vec<String>,
    pub result: String,
    pub unverified_note: Option<String>,
    /// Online filing only after sign-in with the national digital identity.
    #[serde(default)]
    pub requires_national_identity: bool,
    /// The questions a citizen answers to file this version online.
    #[serde(default)]
    pub application_form: Option<ApplicationForm>,
    /// The form was derived from the catalog data, the file having none.
    #[serde(skip)]
    pub form_is_derived: bool,
}

/// One or more channels with the same time limit and fees.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelEntry {
    pub via: Vec<ChannelKind>,
    /// Case number (from 1), or none for every case.
    #[serde(default)]
    pub case: Option<i16>,
    pub time: u32,
    pub unit: TimeUnit,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub fees: Vec<FeeEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeEntry {
    pub name: String,
    pub amount_vnd: Option<u64>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentEntry {
    pub name: String,
    #[serde(default)]
    pub originals: i16,
    #[serde(default)]
    pub copies: i16,
    #[serde(default)]
    pub present_only: bool,
    #[serde(default = "yes")]
    pub mandatory: bool,
    #[serde(default = "yes")]
    pub photo_accepted: bool,
    /// File name of a form listed in `forms`.
    #[serde(default)]
    pub form: Option<String>,
    #[serde(default)]
    pub case: Option<i16>,
    #[serde(default)]
    pub note: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("invalid catalog JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("procedure code {0:?} is not a national code such as 1.001193")]
    BadCode(String),
    #[error("procedure {code}: {problem}")]
    BadProcedure { code: String, problem: String },
    #[error("form {file}: {problem}")]
    BadForm { file: String, problem: String },
    #[error("agency {0:?} is neither in the file nor in the database")]
    UnknownAgency(String),
    #[error("procedure {code}: the version of {effective_from} already has dossiers and its application form cannot change; add a version with a later effective date")]
    VersionInUse { code: String, effective_from: chrono::NaiveDate },
    #[error("synonym {0:?}: both sides need words, the everyday side once only and unlike the formal side")]
    BadSynonym(String),
    #[error("agency {0:?} is outside the agencies you administer")]
    OutsideTree(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportSummary {
    pub agencies: usize,
    pub fields: usize,
    pub forms: usize,
    pub procedures: usize,
}

/// A checked catalog with its form files, ready to import.
pub struct Catalog {
    file: CatalogFile,
    forms: FormFiles,
    sha256: String,
}

impl Catalog {
    pub fn procedures(&self) -> &[ProcedureEntry] {
        &self.file.procedures
    }
}

pub fn parse_catalog(json: &str, forms: FormFiles) -> Result<Catalog, ImportError> {
    let mut file: CatalogFile = serde_json::from_str(json)?;
    check_forms(&file, &forms)?;
    file.procedures.iter_mut().flat_map(|p| &mut p.versions).for_each(derive_missing_form);
    let fields: HashSet<&str> = file.fields.iter().map(|f| f.name.as_str()).collect();
    let form_names: HashSet<&str> = file.forms.iter().map(|f| f.file.as_str()).collect();
    for procedure in &file.procedures {
        ProcedureCode::parse(&procedure.code).map_err(|_| ImportError::BadCode(procedure.code.clone()))?;
        check_procedure(procedure, &fields, &form_names)
            .map_err(|problem| ImportError::BadProcedure { code: procedure.code.clone(), problem })?;
    }
    check_synonyms(file.synonyms.as_deref().unwrap_or_default())?;
    let sha256 = fingerprint(json, &forms);
    Ok(Catalog { file, forms, sha256 })
}

/// Changes whenever [`derived_form::derive`] asks differently, so that a catalog already
/// loaded is loaded again with the new derived forms.
const DERIVED_FORMS_REVISION: &str = "derived-forms-1";

/// An online version without an authored form gets one derived from its catalog data.
fn derive_missing_form(v: &mut VersionEntry) {
    let online = |c: &&ChannelEntry| c.via.contains(&ChannelKind::Online);
    if v.application_form.is_some() || v.online_kind == OnlineKind::TrucTiep || !v.channels.iter().any(|c| online(&c)) {
        return;
    }
    let online_limit = |case: i16| {
        v.channels
            .iter()
            .filter(online)
            .find(|c| c.case.is_none_or(|n| n == case))
            .and_then(|c| TimeLimit::new(c.time, c.unit).ok())
    };
    let facts = derived_form::VersionFacts {
        fully_online: v.online_kind == OnlineKind::ToanTrinh,
        cases: (1_i16..).zip(&v.cases).map(|(n, name)| (name.as_str(), online_limit(n))).collect(),
        documents: v
            .documents
            .iter()
            .map(|d| derived_form::DocumentFacts {
                name: &d.name,
                case_no: d.case,
                mandatory: d.mandatory,
                present_only: d.present_only,
                has_template: d.form.is_some(),
            })
            .collect(),
        issued_in_copies: v
            .channels
            .iter()
            .flat_map(|c| &c.fees)
            .any(|f| crate::domain::fee::is_per_copy(f.description.as_deref())),
    };
    v.application_form = Some(derived_form::derive(&facts));
    v.form_is_derived = true;
}

fn check_forms(file: &CatalogFile, forms: &FormFiles) -> Result<(), ImportError> {
    for form in &file.forms {
        let bad = |problem: &str| ImportError::BadForm { file: form.file.clone(), problem: problem.to_owned() };
        let Some(bytes) = forms.get(&form.file) else { return Err(bad("file not found")) };
        if content_type(&form.file, bytes).is_none() {
            return Err(bad("not a PDF or DOCX file (checked by its content)"));
        }
    }
    Ok(())
}

/// The content type of a form file, when its name and its first bytes agree.
pub fn content_type(file_name: &str, bytes: &[u8]) -> Option<&'static str> {
    let valid_name = file_name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
    if !valid_name {
        return None;
    }
    if file_name.ends_with(".pdf") && bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if file_name.ends_with(".docx") && bytes.starts_with(b"PK\x03\x04") {
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    } else {
        None
    }
}

/// Longest common name, and most common names per procedure: search text stays short.
const MAX_COMMON_NAME_CHARS: usize = 150;
const MAX_COMMON_NAMES: usize = 10;

fn check_synonyms(synonyms: &[SynonymEntry]) -> Result<(), ImportError> {
    let mut seen = HashSet::new();
    for synonym in synonyms {
        let (everyday, formal) = (search_words(&synonym.everyday), search_words(&synonym.formal));
        if everyday.is_empty() || formal.is_empty() || everyday == formal || !seen.insert(everyday) {
            return Err(ImportError::BadSynonym(synonym.everyday.clone()));
        }
    }
    Ok(())
}

/// `text` as search compares it: folded words, single spaces.
fn search_words(text: &str) -> String {
    SearchQuery::parse(text).map(|q| q.words().join(" ")).unwrap_or_default()
}

fn check_procedure(p: &ProcedureEntry, fields: &HashSet<&str>, forms: &HashSet<&str>) -> Result<(), String> {
    if !fields.contains(p.field.as_str()) {
        return Err(format!("field {:?} is not listed in fields", p.field));
    }
    let bad_name = |name: &String| search_words(name).is_empty() || name.chars().count() > MAX_COMMON_NAME_CHARS;
    if p.common_names.len() > MAX_COMMON_NAMES || p.common_names.iter().any(bad_name) {
        return Err(format!(
            "at most {MAX_COMMON_NAMES} common names of words, each {MAX_COMMON_NAME_CHARS} characters at most"
        ));
    }
    if p.versions.is_empty() {
        return Err("has no version".into());
    }
    let mut dates = HashSet::new();
    for version in &p.versions {
        if !dates.insert(version.effective_from) {
            return Err(format!("two versions take effect on {}", version.effective_from));
        }
        check_version(version, forms).map_err(|problem| format!("version of {}: {problem}", version.effective_from))?;
    }
    Ok(())
}

fn check_version(v: &VersionEntry, forms: &HashSet<&str>) -> Result<(), String> {
    let known_case =
        |case: Option<i16>| case.is_none_or(|n| n >= 1 && usize::try_from(n).is_ok_and(|n| n <= v.cases.len()));
    if v.steps.is_empty() || v.legal_basis.is_empty() || v.channels.is_empty() {
        return Err("steps, channels and legal basis are required".into());
    }
    let mut seen = HashSet::new();
    for channel in &v.channels {
        TimeLimit::new(channel.time, channel.unit).map_err(|e| e.to_string())?;
        if !known_case(channel.case) {
            return Err(format!("channel names case {:?}, which is not listed", channel.case));
        }
        for via in &channel.via {
            if !seen.insert((channel.case, *via)) {
                return Err(format!("channel {} is listed twice for case {:?}", via.as_db(), channel.case));
            }
        }
    }
    if let Some(form) = &v.application_form {
        if !seen.iter().any(|(_, via)| *via == ChannelKind::Online) {
            return Err("an application form needs an online channel".into());
        }
        let shape = VersionShape { documents: v.documents.len(), cases: v.cases.len() };
        form.check(shape).map_err(|e| format!("application form: {e}"))?;
    }
    for document in &v.documents {
        if !known_case(document.case) {
            return Err(format!("document {:?} names an unlisted case", document.name));
        }
        if !document.present_only && document.originals + document.copies <= 0 {
            return Err(format!("document {:?} needs originals, copies or present_only", document.name));
        }
        if let Some(form) = &document.form {
            if !forms.contains(form.as_str()) {
                return Err(format!("document {:?} names form {form:?}, which is not listed in forms", document.name));
            }
        }
    }
    Ok(())
}

fn fingerprint(json: &str, forms: &FormFiles) -> String {
    let mut hasher = Sha256::new();
    hasher.update(DERIVED_FORMS_REVISION.as_bytes());
    hasher.update(json.as_bytes());
    for (name, bytes) in forms {
        hasher.update(name.as_bytes());
        hasher.update(bytes);
    }
    format!("{:x}", hasher.finalize())
}

pub async fn import_catalog(pool: &PgPool, catalog: &Catalog, source: &str) -> Result<ImportSummary, ImportError> {
    import(pool, catalog, source, None).await
}

/// An administrator's import: every agency the file names must be in the administrator's tree
/// (`root` and below) before the import, and stay in it after.
pub async fn import_catalog_within(
    pool: &PgPool,
    catalog: &Catalog,
    source: &str,
    root: i64,
) -> Result<ImportSummary, ImportError> {
    import(pool, catalog, source, Some(root)).await
}

async fn import(
    pool: &PgPool,
    catalog: &Catalog,
    source: &str,
    within: Option<i64>,
) -> Result<ImportSummary, ImportError> {
    let file = &catalog.file;
    let mut tx = pool.begin().await?;
    let named: Vec<String> = file.agencies.iter().map(|a| a.identifier.clone()).collect();
    if let Some(root) = within {
        outside_tree(&mut tx, root, &named, false).await?;
    }
    for agency in &file.agencies {
        upsert_agency(&mut tx, agency).await?;
    }
    if let Some(root) = within {
        outside_tree(&mut tx, root, &named, true).await?;
    }
    for field in &file.fields {
        upsert_field(&mut tx, field).await?;
    }
    for form in &file.forms {
        upsert_form(&mut tx, form, &catalog.forms[&form.file]).await?;
    }
    for procedure in &file.procedures {
        let procedure_id = upsert_procedure(&mut tx, procedure).await?;
        set_offering(&mut tx, procedure_id, &procedure.offered_by).await?;
        for version in &procedure.versions {
            upsert_version(&mut tx, procedure_id, version).await?;
        }
    }
    if let Some(synonyms) = &file.synonyms {
        replace_synonyms(&mut tx, synonyms).await?;
    }
    refresh_search_words(&mut tx).await?;
    sqlx::query("INSERT INTO catalog_imports (source, sha256, procedures) VALUES ($1, $2, $3)")
        .bind(source)
        .bind(&catalog.sha256)
        .bind(i32::try_from(file.procedures.len()).unwrap_or(i32::MAX))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ImportSummary {
        agencies: file.agencies.len(),
        fields: file.fields.len(),
        forms: file.forms.len(),
        procedures: file.procedures.len(),
    })
}

/// The dictionary of catalog words that search corrects typos against; split as
/// `SearchQuery::words` splits a query.
async fn refresh_search_words(tx: &mut Tx<'_>) -> Result<(), ImportError> {
    sqlx::query("DELETE FROM search_words").execute(&mut **tx).await?;
    sqlx::query(
        "INSERT INTO search_words SELECT DISTINCT btrim(w, '.') \
         FROM procedures, regexp_split_to_table(search_text, '[^a-z0-9.]+') AS w WHERE btrim(w, '.') <> ''",
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn replace_synonyms(tx: &mut Tx<'_>, synonyms: &[SynonymEntry]) -> Result<(), ImportError> {
    sqlx::query("DELETE FROM search_synonyms").execute(&mut **tx).await?;
    let everyday: Vec<String> = synonyms.iter().map(|s| search_words(&s.everyday)).collect();
    let formal: Vec<String> = synonyms.iter().map(|s| search_words(&s.formal)).collect();
    sqlx::query("INSERT INTO search_synonyms (everyday, formal) SELECT * FROM unnest($1::text[], $2::text[])")
        .bind(everyday)
        .bind(formal)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// True when this exact catalog (file and forms) was the last one imported from `source`.
pub async fn is_latest_import(pool: &PgPool, catalog: &Catalog, source: &str) -> Result<bool, sqlx::Error> {
    let last: Option<String> =
        sqlx::query_scalar("SELECT sha256 FROM catalog_imports WHERE source = $1 ORDER BY id DESC LIMIT 1")
            .bind(source)
            .fetch_optional(pool)
            .await?;
    Ok(last.as_deref() == Some(catalog.sha256.as_str()))
}

type Tx<'a> = Transaction<'a, Postgres>;

fn texts(items: &[String]) -> Vec<String> {
    items.iter().map(|s| normalize_input(s)).collect()
}

/// Refuses the import if an agency of `identifiers` is outside the tree of `root`; agencies
/// not in the database yet count as inside unless `all_exist` (after they were written).
async fn outside_tree(tx: &mut Tx<'_>, root: i64, identifiers: &[String], all_exist: bool) -> Result<(), ImportError> {
    let outside: Option<String> = sqlx::query_scalar(
        "WITH RECURSIVE tree (id) AS (SELECT $1::bigint UNION SELECT a.id FROM agencies a JOIN tree ON a.parent_id = tree.id) \
         SELECT i FROM unnest($2::text[]) i LEFT JOIN agencies a ON a.identifier = i \
         WHERE (a.id IS NULL AND $3) OR (a.id IS NOT NULL AND a.id NOT IN (SELECT id FROM tree)) LIMIT 1",
    )
    .bind(root)
    .bind(identifiers)
    .bind(all_exist)
    .fetch_optional(&mut **tx)
    .await?;
    match outside {
        Some(identifier) => Err(ImportError::OutsideTree(identifier)),
        None => Ok(()),
    }
}

async fn upsert_agency(tx: &mut Tx<'_>, a: &AgencyEntry) -> Result<(), ImportError> {
    sqlx::query(
        "INSERT INTO agencies (identifier, parent_id, name, level, address, hotline, is_demo, valid_from, valid_to) \
         VALUES ($1, (SELECT id FROM agencies WHERE identifier = $2), $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (identifier) DO UPDATE SET parent_id = EXCLUDED.parent_id, name = EXCLUDED.name, \
         level = EXCLUDED.level, address = EXCLUDED.address, hotline = EXCLUDED.hotline, \
         is_demo = EXCLUDED.is_demo, valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to",
    )
    .bind(&a.identifier)
    .bind(&a.parent)
    .bind(normalize_input(&a.name))
    .bind(normalize_input(&a.level))
    .bind(a.address.as_deref().map(normalize_input))
    .bind(&a.hotline)
    .bind(a.is_demo)
    .bind(a.valid_from)
    .bind(a.valid_to)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An administrator's change to the name and contacts of an agency of their tree (`root`).
pub async fn update_agency(
    pool: &PgPool,
    root: i64,
    id: i64,
    name: &str,
    address: &str,
    hotline: &str,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(&format!(
        "{} UPDATE agencies SET name = $3, address = NULLIF($4, ''), hotline = NULLIF($5, '') \
         WHERE id = $2 AND id IN (SELECT id FROM tree)",
        crate::auth::ADMIN_TREE
    ))
    .bind(root)
    .bind(id)
    .bind(name)
    .bind(address)
    .bind(hotline)
    .execute(pool)
    .await?;
    Ok(updated.rows_affected() == 1)
}

async fn upsert_field(tx: &mut Tx<'_>, f: &FieldEntry) -> Result<(), ImportError> {
    sqlx::query(
        "INSERT INTO fields (code, name) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET code = EXCLUDED.code",
    )
    .bind(&f.code)
    .bind(normalize_input(&f.name))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_form(tx: &mut Tx<'_>, form: &FormEntry, bytes: &[u8]) -> Result<(), ImportError> {
    sqlx::query(
        "INSERT INTO form_templates (file_name, title, source, content_type, content) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (file_name) DO UPDATE SET title = EXCLUDED.title, source = EXCLUDED.source, \
         content_type = EXCLUDED.content_type, content = EXCLUDED.content",
    )
    .bind(&form.file)
    .bind(normalize_input(&form.title))
    .bind(normalize_input(&form.source))
    .bind(content_type(&form.file, bytes))
    .bind(bytes)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_procedure(tx: &mut Tx<'_>, p: &ProcedureEntry) -> Result<i64, ImportError> {
    let id = sqlx::query_scalar(
        "INSERT INTO procedures (code, name, field_id, level, applicant, competent_agency, is_popular, search_text, \
           common_names) \
         VALUES ($1, $2, (SELECT id FROM fields WHERE name = $3), $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, field_id = EXCLUDED.field_id, \
           level = EXCLUDED.level, applicant = EXCLUDED.applicant, competent_agency = EXCLUDED.competent_agency, \
           is_popular = EXCLUDED.is_popular, search_text = EXCLUDED.search_text, common_names = EXCLUDED.common_names \
         RETURNING id",
    )
    .bind(p.code.trim())
    .bind(normalize_input(&p.name))
    .bind(normalize_input(&p.field))
    .bind(normalize_input(&p.level))
    .bind(normalize_input(&p.applicant))
    .bind(normalize_input(&p.competent_agency))
    .bind(p.is_popular)
    .bind(search_text(p))
    .bind(texts(&p.common_names))
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// What search matches: the code, name and field, then the common names (" | " apart, so that no
/// phrase runs from one into the next).
fn search_text(p: &ProcedureEntry) -> String {
    let mut text = fold_for_search(&format!("{} {} {}", p.code, p.name, p.field));
    for name in &p.common_names {
        text.push_str(" | ");
        text.push_str(&search_words(name));
    }
    text
}

async fn set_offering(tx: &mut Tx<'_>, procedure_id: i64, agencies: &[String]) -> Result<(), ImportError> {
    sqlx::query("DELETE FROM agency_procedures WHERE procedure_id = $1").bind(procedure_id).execute(&mut **tx).await?;
    for identifier in agencies {
        let inserted = sqlx::query(
            "INSERT INTO agency_procedures (agency_id, procedure_id) \
             SELECT id, $2 FROM agencies WHERE identifier = $1",
        )
        .bind(identifier)
        .bind(procedure_id)
        .execute(&mut **tx)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(ImportError::UnknownAgency(identifier.clone()));
        }
    }
    Ok(())
}

async fn upsert_version(tx: &mut Tx<'_>, procedure_id: i64, v: &VersionEntry) -> Result<(), ImportError> {
    // The version in force before this one ends when this one starts; this one ends when the
    // next one starts, unless the file says otherwise.
    sqlx::query(
        "UPDATE procedure_versions SET effective_to = $2 WHERE procedure_id = $1 \
         AND effective_from < $2 AND (effective_to IS NULL OR effective_to > $2)",
    )
    .bind(procedure_id)
    .bind(v.effective_from)
    .execute(&mut **tx)
    .await?;
    let version_id: i64 = sqlx::query_scalar(
        "INSERT INTO procedure_versions (procedure_id, effective_from, effective_to, announced_by, online_kind, \
           steps, conditions, legal_basis, result, unverified_note, requires_national_identity) \
         VALUES ($1, $2, COALESCE($3, (SELECT min(effective_from) FROM procedure_versions \
                 WHERE procedure_id = $1 AND effective_from > $2)), $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (procedure_id, effective_from) DO UPDATE SET effective_to = EXCLUDED.effective_to, \
           announced_by = EXCLUDED.announced_by, online_kind = EXCLUDED.online_kind, steps = EXCLUDED.steps, \
           conditions = EXCLUDED.conditions, legal_basis = EXCLUDED.legal_basis, result = EXCLUDED.result, \
           unverified_note = EXCLUDED.unverified_note, \
           requires_national_identity = EXCLUDED.requires_national_identity \
         RETURNING id",
    )
    .bind(procedure_id)
    .bind(v.effective_from)
    .bind(v.effective_to)
    .bind(v.announced_by.as_deref().map(normalize_input))
    .bind(v.online_kind.as_db())
    .bind(texts(&v.steps))
    .bind(texts(&v.conditions))
    .bind(texts(&v.legal_basis))
    .bind(normalize_input(&v.result))
    .bind(v.unverified_note.as_deref().map(normalize_input))
    .bind(v.requires_national_identity)
    .fetch_one(&mut **tx)
    .await?;
    keep_forms_of_filed_versions(tx, version_id, v).await?;
    for table in ["procedure_channels", "procedure_documents", "procedure_cases", "application_forms"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE version_id = $1")).bind(version_id).execute(&mut **tx).await?;
    }
    if let Some(form) = &v.application_form {
        sqlx::query("INSERT INTO application_forms (version_id, definition, derived) VALUES ($1, $2, $3)")
            .bind(version_id)
            .bind(sqlx::types::Json(form))
            .bind(v.form_is_derived)
            .execute(&mut **tx)
            .await?;
    }
    insert_version_rows(tx, version_id, v).await
}

/// Dossiers and drafts keep the version they were filed under: its form may not change.
async fn keep_forms_of_filed_versions(tx: &mut Tx<'_>, version_id: i64, v: &VersionEntry) -> Result<(), ImportError> {
    let (stored, in_use): (Option<serde_json::Value>, bool) = sqlx::query_as(
        "SELECT (SELECT definition FROM application_forms WHERE version_id = $1), \
           EXISTS (SELECT 1 FROM drafts WHERE version_id = $1)",
    )
    .bind(version_id)
    .fetch_one(&mut **tx)
    .await?;
    let incoming = v.application_form.as_ref().map(serde_json::to_value).transpose()?;
    if in_use && stored != incoming {
        let code: String = sqlx::query_scalar(
            "SELECT p.code FROM procedure_versions v JOIN procedures p ON p.id = v.procedure_id WHERE v.id = $1",
        )
        .bind(version_id)
        .fetch_one(&mut **tx)
        .await?;
        return Err(ImportError::VersionInUse { code, effective_from: v.effective_from });
    }
    Ok(())
}

async fn insert_version_rows(tx: &mut Tx<'_>, version_id: i64, v: &VersionEntry) -> Result<(), ImportError> {
    for (case_no, name) in (1_i16..).zip(&v.cases) {
        sqlx::query("INSERT INTO procedure_cases (version_id, case_no, name) VALUES ($1, $2, $3)")
            .bind(version_id)
            .bind(case_no)
            .bind(normalize_input(name))
            .execute(&mut **tx)
            .await?;
    }
    for channel in &v.channels {
        for via in &channel.via {
            insert_channel(tx, version_id, channel, *via).await?;
        }
    }
    for (position, d) in (1_i16..).zip(&v.documents) {
        sqlx::query(
            "INSERT INTO procedure_documents (version_id, position, case_no, name, originals, copies, present_only, \
               mandatory, photo_accepted, form_id, note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, (SELECT id FROM form_templates WHERE file_name = $10), $11)",
        )
        .bind(version_id)
        .bind(position)
        .bind(d.case)
        .bind(normalize_input(&d.name))
        .bind(d.originals)
        .bind(d.copies)
        .bind(d.present_only)
        .bind(d.mandatory)
        .bind(d.photo_accepted)
        .bind(&d.form)
        .bind(d.note.as_deref().map(normalize_input))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn insert_channel(
    tx: &mut Tx<'_>,
    version_id: i64,
    c: &ChannelEntry,
    via: ChannelKind,
) -> Result<(), ImportError> {
    let channel_id: i64 = sqlx::query_scalar(
        "INSERT INTO procedure_channels (version_id, case_no, channel, time_amount, time_unit, time_note) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(version_id)
    .bind(c.case)
    .bind(via.as_db())
    .bind(i32::try_from(c.time).unwrap_or(i32::MAX))
    .bind(c.unit.as_db())
    .bind(c.note.as_deref().map(normalize_input))
    .fetch_one(&mut **tx)
    .await?;
    for (position, fee) in (1_i16..).zip(&c.fees) {
        sqlx::query(
            "INSERT INTO channel_fees (channel_id, position, name, amount_vnd, description) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(channel_id)
        .bind(position)
        .bind(normalize_input(&fee.name))
        .bind(fee.amount_vnd.map(|a| i64::try_from(a).unwrap_or(i64::MAX)))
        .bind(fee.description.as_deref().map(normalize_input))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Result<Catalog, ImportError> {
        parse_catalog(DEMO_CATALOG_JSON, demo_forms())
    }

    #[test]
    fn the_demo_catalog_passes_every_check() {
        let catalog = demo().expect("demo catalog must parse");
        assert!(catalog.procedures().len() >= 30);
        assert!(catalog.file.forms.len() >= 10);
        let fields: HashSet<&str> = catalog.procedures().iter().map(|p| p.field.as_str()).collect();
        assert!(fields.len() >= 8, "{fields:?}");
    }

    #[test]
    fn a_bad_procedure_code_is_reported_by_code() {
        let json = DEMO_CATALOG_JSON.replacen("1.001193", "1.0011", 1);
        match parse_catalog(&json, demo_forms()) {
            Err(ImportError::BadCode(code)) => assert_eq!(code, "1.0011"),
            other => panic!("expected BadCode, got {:?}", other.err()),
        }
    }

    #[test]
    fn a_form_file_must_exist_and_be_what_its_name_says() {
        let mut forms = demo_forms();
        forms.remove("to-khai-dang-ky-khai-sinh.pdf");
        assert!(matches!(parse_catalog(DEMO_CATALOG_JSON, forms), Err(ImportError::BadForm { .. })));
        let mut forms = demo_forms();
        forms.insert("to-khai-dang-ky-khai-sinh.pdf".into(), b"<script>alert(1)</script>".to_vec());
        assert!(matches!(parse_catalog(DEMO_CATALOG_JSON, forms), Err(ImportError::BadForm { .. })));
    }

    #[test]
    fn content_type_follows_the_bytes_and_the_name_together() {
        assert_eq!(content_type("a.pdf", b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(content_type("a.docx", b"PK\x03\x04rest").map(|t| t.ends_with("document")), Some(true));
        assert_eq!(content_type("a.pdf", b"PK\x03\x04"), None);
        assert_eq!(content_type("A B.pdf", b"%PDF-1.7"), None);
    }

    #[test]
    fn references_to_unlisted_cases_forms_and_fields_are_refused() {
        let with_unknown_form =
            DEMO_CATALOG_JSON.replacen("\"form\": \"to-khai-dang-ky-khai-sinh.pdf\"", "\"form\": \"khong-co.pdf\"", 1);
        assert!(matches!(parse_catalog(&with_unknown_form, demo_forms()), Err(ImportError::BadProcedure { .. })));
        let with_unknown_field = DEMO_CATALOG_JSON.replacen("\"field\": \"Hộ tịch\"", "\"field\": \"Không có\"", 1);
        assert!(matches!(parse_catalog(&with_unknown_field, demo_forms()), Err(ImportError::BadProcedure { .. })));
    }

    #[test]
    fn the_fingerprint_changes_with_any_form_byte() {
        let mut forms = demo_forms();
        let before = fingerprint(DEMO_CATALOG_JSON, &forms);
        forms.get_mut("to-khai-dang-ky-khai-sinh.pdf").unwrap().push(b'\n');
        assert_ne!(before, fingerprint(DEMO_CATALOG_JSON, &forms));
    }
}
