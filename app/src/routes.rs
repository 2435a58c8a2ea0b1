//! Every path of the portal and the helpers that build its links, so that a page links to
//! another without importing the feature that renders it. The router in `lib.rs` and the
//! server's own routes use the same names.

use crate::domain::notice::NoticeKind;

pub const HOME_PATH: &str = "/";
pub const CATALOG_PATH: &str = "/thu-tuc";
/// Where form templates are downloaded from.
pub const FORMS_PATH: &str = "/bieu-mau";
pub const FEEDBACK_PATH: &str = "/gop-y";

pub const SIGN_IN_PATH: &str = "/dang-nhap";
pub const CODE_PATH: &str = "/dang-nhap/ma";
/// Sign-in with the national digital identity: the start, and the provider's callback.
pub const NATIONAL_ID_PATH: &str = "/dang-nhap/dinh-danh";
pub const NATIONAL_ID_CALLBACK_PATH: &str = "/dang-nhap/dinh-danh/ve";

/// Sign-in with the national digital identity, then back to `return_to`.
pub fn national_id_sign_in_url(return_to: &str) -> String {
    let query = form_urlencoded::Serializer::new(String::new()).append_pair("tiep", return_to).finish();
    format!("{NATIONAL_ID_PATH}?{query}")
}

pub const MY_DOSSIERS_PATH: &str = "/ho-so-cua-toi";
/// Files of a draft or dossier, served with their access checks.
pub const FILES_PATH: &str = "/ho-so/tep";
/// The first step of filing: where the citizen files (any agency of the province).
pub const AGENCY_STEP: &str = "noi-nop";
/// The last step: check answers, declare, submit.
pub const CHECK_STEP: &str = "kiem-tra";
/// Query flag on a step opened from the check page: come back there after saving.
pub const FROM_CHECK: &str = "kiem-tra";

pub const TRACKING_PATH: &str = "/tra-cuu";

pub const PUBLIC_STATS_PATH: &str = "/thong-ke";
/// Where the applicant's "pay online" form posts: the payment feature's server function.
pub const PAY_START_PATH: &str = "/api/thanh-toan/bat-dau";
/// Where the gateway sends the applicant back after paying (its return URL).
pub const PAYMENT_RETURN_PATH: &str = "/thanh-toan/ket-qua";
/// The portal's own demo gateway, served only when no real one is configured.
pub const DEMO_GATEWAY_PATH: &str = "/cong-thanh-toan-demo";
/// The demo gateway's transaction query API.
pub const DEMO_GATEWAY_API_PATH: &str = "/cong-thanh-toan-demo/api";

/// The electronic receipt (biên lai) of a fee paid online, named by its merchant reference.
pub fn payment_receipt_url(reference: &str) -> String {
    format!("/bien-lai/{reference}")
}

/// The payment gateway's server-to-server notification (its IPN URL, registered with VNPAY).
pub const VNPAY_IPN_PATH: &str = "/api/thanh-toan/vnpay/ipn";
pub const PUBLIC_CSV_PATH: &str = "/thong-ke/tai-ve.csv";

pub const DESK_PATH: &str = "/can-bo";
pub const STAFF_SIGN_IN_PATH: &str = "/can-bo/dang-nhap";
pub const CHANGE_PASSWORD_PATH: &str = "/can-bo/doi-mat-khau";
/// The second factor's code, after the password.
pub const STAFF_CODE_PATH: &str = "/can-bo/xac-thuc";
/// Setting up the second factor, and its recovery codes.
pub const SECOND_FACTOR_PATH: &str = "/can-bo/xac-thuc-hai-buoc";
/// Filing at the counter with a walk-in citizen.
pub const ASSIST_PATH: &str = "/can-bo/nop-thay";
pub const DESK_STATS_PATH: &str = "/can-bo/thong-ke";
pub const DRILL_DOWN_PATH: &str = "/can-bo/thong-ke/ho-so";
pub const DESK_CSV_PATH: &str = "/can-bo/thong-ke/tai-ve.csv";
pub const REGISTER_PATH: &str = "/can-bo/so-theo-doi";
pub const REGISTER_CSV_PATH: &str = "/can-bo/so-theo-doi.csv";

pub const ADMIN_PATH: &str = "/can-bo/quan-tri";
pub const USERS_PATH: &str = "/can-bo/quan-tri/can-bo";
pub const AGENCIES_PATH: &str = "/can-bo/quan-tri/co-quan";
pub const CALENDAR_PATH: &str = "/can-bo/quan-tri/lich";
pub const ADMIN_CATALOG_PATH: &str = "/can-bo/quan-tri/thu-tuc";

fn with_return(path: &str, return_to: &str) -> String {
    let query = form_urlencoded::Serializer::new(String::new()).append_pair("tiep", return_to).finish();
    format!("{path}?{query}")
}

pub fn procedure_url(code: &str) -> String {
    format!("{CATALOG_PATH}/{code}")
}

pub fn form_file_url(file_name: &str) -> String {
    format!("{FORMS_PATH}/{file_name}")
}

/// The citizen's sign-in page, coming back to `return_to` afterwards.
pub fn sign_in_url(return_to: &str) -> String {
    with_return(SIGN_IN_PATH, return_to)
}

pub fn staff_sign_in_url(return_to: &str) -> String {
    with_return(STAFF_SIGN_IN_PATH, return_to)
}

/// Where an officer who may not do this yet goes first: sign in (and come back to `here`),
/// change the first password, or set up the second factor.
pub fn staff_gate_url(error: &crate::error::AppError, here: &str) -> Option<String> {
    use crate::error::AppError;
    match error {
        AppError::StaffSignInRequired => Some(staff_sign_in_url(here)),
        AppError::PasswordChangeRequired => Some(CHANGE_PASSWORD_PATH.to_owned()),
        AppError::SecondFactorRequired => Some(SECOND_FACTOR_PATH.to_owned()),
        _ => None,
    }
}

pub fn start_filing_url(procedure_code: &str) -> String {
    format!("/nop-ho-so/{procedure_code}")
}

/// Where sign-in returns a visitor who tapped "Bắt đầu" while signed out.
pub fn resume_start_url(procedure_code: &str) -> String {
    format!("/nop-ho-so/{procedure_code}/bat-dau")
}

pub fn step_url(draft_id: &str, step: &str) -> String {
    format!("/nop-ho-so/nhap/{draft_id}/{step}")
}

/// The citizen's own page of a filed dossier (receipt, status, rating, result).
pub fn receipt_url(code: &str) -> String {
    format!("{MY_DOSSIERS_PATH}/{code}")
}

/// The payment section of the citizen's page of a dossier.
pub fn pay_url(code: &str) -> String {
    format!("{}#thanh-toan", receipt_url(code))
}

pub fn file_url(file_id: &str) -> String {
    format!("{FILES_PATH}/{file_id}")
}

/// A picture of a PDF's first page (staff only).
pub fn first_page_url(file_id: &str) -> String {
    format!("{FILES_PATH}/{file_id}/trang-dau")
}

/// The public look-up form, with the code filled in.
pub fn tracking_url(code: &str) -> String {
    let query = form_urlencoded::Serializer::new(String::new()).append_pair("ma", code).finish();
    format!("{TRACKING_PATH}?{query}")
}

pub fn tracked_url(code: &str) -> String {
    format!("{TRACKING_PATH}/{code}")
}

pub fn desk_dossier_url(code: &str) -> String {
    format!("{DESK_PATH}/ho-so/{code}")
}

pub fn control_sheet_url(code: &str) -> String {
    format!("{DESK_PATH}/ho-so/{code}/phieu-kiem-soat")
}

pub fn notice_url(code: &str, kind: NoticeKind) -> String {
    format!("{DESK_PATH}/ho-so/{code}/thong-bao/{}", kind.slug())
}

/// The counter tablet page where a citizen rates the dossier just returned.
pub fn desk_rating_url(code: &str) -> String {
    format!("{}/danh-gia", desk_dossier_url(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_links_carry_the_page_to_come_back_to() {
        assert_eq!(sign_in_url("/ho-so-cua-toi?x=1"), "/dang-nhap?tiep=%2Fho-so-cua-toi%3Fx%3D1");
        assert_eq!(staff_sign_in_url("/can-bo"), "/can-bo/dang-nhap?tiep=%2Fcan-bo");
    }

    #[test]
    fn dossier_links_name_the_code() {
        assert_eq!(tracking_url("H01.12-261201-0001"), "/tra-cuu?ma=H01.12-261201-0001");
        assert_eq!(desk_rating_url("X"), "/can-bo/ho-so/X/danh-gia");
        assert_eq!(notice_url("X", NoticeKind::Refusal), "/can-bo/ho-so/X/thong-bao/tu-choi");
    }
}
