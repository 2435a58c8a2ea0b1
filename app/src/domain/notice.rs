//! The official notices an officer prints and signs (one-stop regulation forms).

use super::dossier_status::Action;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoticeKind {
    /// Giấy tiếp nhận hồ sơ và hẹn trả kết quả.
    Receipt,
    /// Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.
    Supplement,
    /// Phiếu từ chối tiếp nhận giải quyết hồ sơ.
    Refusal,
    /// Phiếu xin lỗi và hẹn lại ngày trả kết quả.
    Apology,
    /// Thông báo dừng xử lý.
    Stop,
}

pub const ALL_NOTICES: [NoticeKind; 5] =
    [NoticeKind::Receipt, NoticeKind::Supplement, NoticeKind::Refusal, NoticeKind::Apology, NoticeKind::Stop];

impl NoticeKind {
    pub fn slug(self) -> &'static str {
        match self {
            Self::Receipt => "tiep-nhan",
            Self::Supplement => "bo-sung",
            Self::Refusal => "tu-choi",
            Self::Apology => "xin-loi",
            Self::Stop => "dung",
        }
    }

    pub fn from_slug(raw: &str) -> Option<Self> {
        ALL_NOTICES.into_iter().find(|k| k.slug() == raw)
    }

    /// The audit entry the notice reports (its reason, its officer).
    pub fn action(self) -> Action {
        match self {
            Self::Receipt => Action::Accept,
            Self::Supplement => Action::RequestSupplement,
            Self::Refusal => Action::Refuse,
            Self::Apology => Action::ApproveApology,
            Self::Stop => Action::Stop,
        }
    }
}
