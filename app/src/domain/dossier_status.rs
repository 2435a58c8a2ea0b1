//! The dossier's status machine: which action moves a dossier from which status to which, and
//! which staff role may take it. The desk's transactions ask this module before writing.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    /// Submitted online, not yet checked at intake.
    MoiDangKy,
    /// Accepted at intake: the clock runs.
    DuocTiepNhan,
    /// Refused at intake, with a written reason.
    KhongTiepNhan,
    DangXuLy,
    /// Waiting for the citizen's supplement: the clock is paused.
    YeuCauBoSung,
    /// Waiting for a fee or tax payment.
    YeuCauNghiaVuTaiChinh,
    RutHoSo,
    DungXuLy,
    /// Result ready, waiting for hand-over.
    DaXuLyXong,
    DaTraKetQua,
}

pub const ALL_STATUSES: [Status; 10] = [
    Status::MoiDangKy,
    Status::DuocTiepNhan,
    Status::KhongTiepNhan,
    Status::DangXuLy,
    Status::YeuCauBoSung,
    Status::YeuCauNghiaVuTaiChinh,
    Status::RutHoSo,
    Status::DungXuLy,
    Status::DaXuLyXong,
    Status::DaTraKetQua,
];

/// Each status with its name in the regulation and its code on the national portal.
const STATUS_TABLE: [(Status, &str, &str); 10] = [
    (Status::MoiDangKy, "Mới đăng ký", "receiving"),
    (Status::DuocTiepNhan, "Được tiếp nhận", "new"),
    (Status::KhongTiepNhan, "Không được tiếp nhận", "denied"),
    (Status::DangXuLy, "Đang xử lý", "processing"),
    (Status::YeuCauBoSung, "Yêu cầu bổ sung", "waiting"),
    (Status::YeuCauNghiaVuTaiChinh, "Yêu cầu nghĩa vụ tài chính", "paying"),
    (Status::RutHoSo, "Rút hồ sơ", "cancelled"),
    (Status::DungXuLy, "Dừng xử lý", "unresolved"),
    (Status::DaXuLyXong, "Đã xử lý xong", "releasing"),
    (Status::DaTraKetQua, "Đã trả kết quả", "done"),
];

/// The statuses in which the processing clock runs.
pub const CLOCK_RUNNING: [Status; 3] = [Status::DuocTiepNhan, Status::DangXuLy, Status::YeuCauNghiaVuTaiChinh];

/// The statuses in which nothing more happens to a dossier ([`Status::is_closed`]).
pub const CLOSED: [Status; 4] = [Status::KhongTiepNhan, Status::RutHoSo, Status::DungXuLy, Status::DaTraKetQua];

/// The statuses of a dossier whose result is ready or handed over.
pub const RESULT_READY: [Status; 2] = [Status::DaXuLyXong, Status::DaTraKetQua];

/// `'a', 'b'`: the statuses for an SQL `IN (…)`.
pub fn sql_list(statuses: &[Status]) -> String {
    statuses.iter().map(|s| s.sql()).collect::<Vec<_>>().join(", ")
}

/// The label of a status as stored, for rows read straight from the database.
pub fn stored_status_label(raw: &str) -> &'static str {
    Status::from_db(raw).map_or("Không xác định", Status::label)
}

impl Status {
    pub fn as_db(self) -> &'static str {
        match self {
            Self::MoiDangKy => "moi_dang_ky",
            Self::DuocTiepNhan => "duoc_tiep_nhan",
            Self::KhongTiepNhan => "khong_tiep_nhan",
            Self::DangXuLy => "dang_xu_ly",
            Self::YeuCauBoSung => "yeu_cau_bo_sung",
            Self::YeuCauNghiaVuTaiChinh => "yeu_cau_nghia_vu_tai_chinh",
            Self::RutHoSo => "rut_ho_so",
            Self::DungXuLy => "dung_xu_ly",
            Self::DaXuLyXong => "da_xu_ly_xong",
            Self::DaTraKetQua => "da_tra_ket_qua",
        }
    }

    pub fn from_db(raw: &str) -> Option<Self> {
        ALL_STATUSES.into_iter().find(|s| s.as_db() == raw)
    }

    /// The status as the regulation names it.
    pub fn label(self) -> &'static str {
        self.row().1
    }

    /// The national portal's sync code of the status (`../shared/domain.md` §4).
    pub fn portal_code(self) -> &'static str {
        self.row().2
    }

    fn row(self) -> &'static (Status, &'static str, &'static str) {
        STATUS_TABLE.iter().find(|row| row.0 == self).unwrap_or(&STATUS_TABLE[0])
    }

    /// Nothing more happens to the dossier.
    pub fn is_closed(self) -> bool {
        CLOSED.contains(&self)
    }

    /// The processing clock runs (a late apology makes sense).
    pub fn clock_runs(self) -> bool {
        CLOCK_RUNNING.contains(&self)
    }

    /// The stored value as an SQL literal, for conditions built into a statement.
    pub fn sql(self) -> String {
        format!("'{}'", self.as_db())
    }
}

/// What a staff account may do. An account holds one or more roles, always in one agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Receives dossiers, refuses, hands results back (bộ phận một cửa).
    Intake,
    /// Processes, forwards, asks for fees, marks the result ready (chuyên viên xử lý).
    Processing,
    /// Approves late apologies, reads statistics.
    Leader,
    /// Manages users, agencies, the catalog and the calendar.
    Admin,
}

pub const ALL_ROLES: [Role; 4] = [Role::Intake, Role::Processing, Role::Leader, Role::Admin];

impl Role {
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Intake => "tiep_nhan",
            Self::Processing => "xu_ly",
            Self::Leader => "lanh_dao",
            Self::Admin => "quan_tri",
        }
    }

    pub fn from_db(raw: &str) -> Option<Self> {
        ALL_ROLES.into_iter().find(|r| r.as_db() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    Accept,
    Refuse,
    RequestSupplement,
    /// The citizen sent what was asked for.
    Supplement,
    /// The desk records the papers asked for, handed in at the counter.
    SupplementAtDesk,
    StartProcessing,
    Forward,
    RequestFee,
    RecordFee,
    Stop,
    ResultReady,
    Return,
    Withdraw,
    /// An officer drafts an apology with a new appointment date.
    ProposeApology,
    /// A leader approves it and the citizen is told.
    ApproveApology,
}

pub const ALL_ACTIONS: [Action; 15] = [
    Action::Accept,
    Action::Refuse,
    Action::RequestSupplement,
    Action::Supplement,
    Action::SupplementAtDesk,
    Action::StartProcessing,
    Action::Forward,
    Action::RequestFee,
    Action::RecordFee,
    Action::Stop,
    Action::ResultReady,
    Action::Return,
    Action::Withdraw,
    Action::ProposeApology,
    Action::ApproveApology,
];

/// Who takes an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Citizen,
    Staff(Role),
}

impl Action {
    /// Refusing, stopping and withdrawing end the citizen's dossier: the desk asks the officer
    /// to confirm them.
    pub fn ends_the_dossier(self) -> bool {
        matches!(self, Action::Refuse | Action::Stop | Action::Withdraw)
    }

    pub fn as_slug(self) -> &'static str {
        match self {
            Self::Accept => "tiep-nhan",
            Self::Refuse => "tu-choi",
            Self::RequestSupplement => "yeu-cau-bo-sung",
            Self::Supplement => "bo-sung",
            Self::SupplementAtDesk => "bo-sung-tai-quay",
            Self::StartProcessing => "xu-ly",
            Self::Forward => "chuyen",
            Self::RequestFee => "yeu-cau-phi",
            Self::RecordFee => "da-nop-phi",
            Self::Stop => "dung",
            Self::ResultReady => "co-ket-qua",
            Self::Return => "tra-ket-qua",
            Self::Withdraw => "rut",
            Self::ProposeApology => "xin-loi",
            Self::ApproveApology => "duyet-xin-loi",
        }
    }

    pub fn from_slug(raw: &str) -> Option<Self> {
        ALL_ACTIONS.into_iter().find(|a| a.as_slug() == raw)
    }

    /// The reason a refusal, a supplement request, a stop, a withdrawal or an apology must give.
    pub fn needs_reason(self) -> bool {
        matches!(self, Self::Refuse | Self::RequestSupplement | Self::Stop | Self::Withdraw | Self::ProposeApology)
    }

    /// Whether the actor may take this action at all (the status decides whether it may now).
    pub fn allowed_for(self, actor: Actor) -> bool {
        use Role::*;
        let roles: &[Role] = match self {
            Self::Supplement => return actor == Actor::Citizen,
            Self::Accept | Self::Refuse | Self::Return | Self::Withdraw | Self::SupplementAtDesk => &[Intake],
            Self::RequestSupplement => &[Intake, Processing],
            Self::StartProcessing | Self::Forward | Self::ResultReady | Self::Stop | Self::ProposeApology => {
                &[Processing]
            }
            Self::RequestFee | Self::RecordFee => &[Intake, Processing],
            Self::ApproveApology => &[Leader],
        };
        matches!(actor, Actor::Staff(role) if roles.contains(&role))
    }

    /// Whether the agency that received the dossier (its desk) acts, rather than the one
    /// holding it for processing now. Until acceptance everything happens at the desk.
    pub fn is_desk_action(self, accepted: bool) -> bool {
        !accepted
            || matches!(
                self,
                Self::Accept | Self::Refuse | Self::SupplementAtDesk | Self::Return | Self::Withdraw | Self::RecordFee
            )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("không thể {action:?} khi hồ sơ ở trạng thái {from:?}")]
pub struct NotAllowedNow {
    pub action: Action,
    pub from: Status,
}

/// The status after `action`, from `from`. `accepted`: whether the dossier was accepted at
/// intake already (a supplement then sends it back to processing, otherwise back to intake).
pub fn next_status(from: Status, action: Action, accepted: bool) -> Result<Status, NotAllowedNow> {
    use Action as A;
    use Status as S;
    let to = match (from, action) {
        (S::MoiDangKy, A::Accept) => S::DuocTiepNhan,
        (S::MoiDangKy, A::Refuse) => S::KhongTiepNhan,
        (S::MoiDangKy | S::DuocTiepNhan | S::DangXuLy, A::RequestSupplement) => S::YeuCauBoSung,
        (S::YeuCauBoSung, A::Supplement | A::SupplementAtDesk) if accepted => S::DangXuLy,
        (S::YeuCauBoSung, A::Supplement | A::SupplementAtDesk) => S::MoiDangKy,
        (S::DuocTiepNhan, A::StartProcessing) => S::DangXuLy,
        (S::DuocTiepNhan | S::DangXuLy, A::Forward) => S::DangXuLy,
        (S::DuocTiepNhan | S::DangXuLy, A::RequestFee) => S::YeuCauNghiaVuTaiChinh,
        (S::YeuCauNghiaVuTaiChinh, A::RecordFee) => S::DangXuLy,
        (S::YeuCauBoSung, A::Refuse) if !accepted => S::KhongTiepNhan,
        (S::YeuCauBoSung, A::Stop) if accepted => S::DungXuLy,
        (S::DuocTiepNhan | S::DangXuLy | S::YeuCauNghiaVuTaiChinh, A::Stop) => S::DungXuLy,
        (S::DuocTiepNhan | S::DangXuLy, A::ResultReady) => S::DaXuLyXong,
        (S::DaXuLyXong, A::Return) => S::DaTraKetQua,
        (S::MoiDangKy | S::DuocTiepNhan | S::DangXuLy | S::YeuCauBoSung | S::YeuCauNghiaVuTaiChinh, A::Withdraw) => {
            S::RutHoSo
        }
        (status, A::ProposeApology | A::ApproveApology) if status.clock_runs() => status,
        _ => return Err(NotAllowedNow { action, from }),
    };
    Ok(to)
}

/// The actions an actor could take on a dossier in `status` now.
pub fn available_actions(status: Status, accepted: bool, actor: Actor) -> Vec<Action> {
    ALL_ACTIONS.into_iter().filter(|a| a.allowed_for(actor) && next_status(status, *a, accepted).is_ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_its_own_label_and_portal_code() {
        let labels: std::collections::HashSet<_> = ALL_STATUSES.iter().map(|s| s.label()).collect();
        let codes: std::collections::HashSet<_> = ALL_STATUSES.iter().map(|s| s.portal_code()).collect();
        assert_eq!((labels.len(), codes.len()), (10, 10));
        assert_eq!(Status::DaTraKetQua.label(), "Đã trả kết quả");
        assert_eq!(Status::YeuCauBoSung.portal_code(), "waiting");
        assert_eq!(stored_status_label("dung_xu_ly"), "Dừng xử lý");
        assert_eq!(stored_status_label("khong-co"), "Không xác định");
    }
    use Action as A;
    use Status as S;

    /// Every allowed (status, action) pair and where it leads, for a dossier already accepted
    /// (`true`) or not (`false`). Anything not listed must be refused.
    const ALLOWED: &[(Status, Action, bool, Status)] = &[
        (S::MoiDangKy, A::Accept, false, S::DuocTiepNhan),
        (S::MoiDangKy, A::Refuse, false, S::KhongTiepNhan),
        (S::MoiDangKy, A::RequestSupplement, false, S::YeuCauBoSung),
        (S::MoiDangKy, A::Withdraw, false, S::RutHoSo),
        (S::DuocTiepNhan, A::RequestSupplement, true, S::YeuCauBoSung),
        (S::DuocTiepNhan, A::StartProcessing, true, S::DangXuLy),
        (S::DuocTiepNhan, A::Forward, true, S::DangXuLy),
        (S::DuocTiepNhan, A::RequestFee, true, S::YeuCauNghiaVuTaiChinh),
        (S::DuocTiepNhan, A::Stop, true, S::DungXuLy),
        (S::DuocTiepNhan, A::ResultReady, true, S::DaXuLyXong),
        (S::DuocTiepNhan, A::Withdraw, true, S::RutHoSo),
        (S::DuocTiepNhan, A::ProposeApology, true, S::DuocTiepNhan),
        (S::DuocTiepNhan, A::ApproveApology, true, S::DuocTiepNhan),
        (S::DangXuLy, A::RequestSupplement, true, S::YeuCauBoSung),
        (S::DangXuLy, A::Forward, true, S::DangXuLy),
        (S::DangXuLy, A::RequestFee, true, S::YeuCauNghiaVuTaiChinh),
        (S::DangXuLy, A::Stop, true, S::DungXuLy),
        (S::DangXuLy, A::ResultReady, true, S::DaXuLyXong),
        (S::DangXuLy, A::Withdraw, true, S::RutHoSo),
        (S::DangXuLy, A::ProposeApology, true, S::DangXuLy),
        (S::DangXuLy, A::ApproveApology, true, S::DangXuLy),
        (S::YeuCauBoSung, A::Supplement, true, S::DangXuLy),
        (S::YeuCauBoSung, A::Supplement, false, S::MoiDangKy),
        (S::YeuCauBoSung, A::SupplementAtDesk, true, S::DangXuLy),
        (S::YeuCauBoSung, A::SupplementAtDesk, false, S::MoiDangKy),
        (S::YeuCauBoSung, A::Refuse, false, S::KhongTiepNhan),
        (S::YeuCauBoSung, A::Stop, true, S::DungXuLy),
        (S::YeuCauBoSung, A::Withdraw, true, S::RutHoSo),
        (S::YeuCauBoSung, A::Withdraw, false, S::RutHoSo),
        (S::YeuCauNghiaVuTaiChinh, A::RecordFee, true, S::DangXuLy),
        (S::YeuCauNghiaVuTaiChinh, A::Stop, true, S::DungXuLy),
        (S::YeuCauNghiaVuTaiChinh, A::Withdraw, true, S::RutHoSo),
        (S::YeuCauNghiaVuTaiChinh, A::ProposeApology, true, S::YeuCauNghiaVuTaiChinh),
        (S::YeuCauNghiaVuTaiChinh, A::ApproveApology, true, S::YeuCauNghiaVuTaiChinh),
        (S::DaXuLyXong, A::Return, true, S::DaTraKetQua),
    ];

    /// Statuses a dossier can be in with `accepted` as given (a dossier not yet accepted is
    /// either new or waiting for a supplement asked for at intake, or closed).
    fn reachable(status: Status, accepted: bool) -> bool {
        accepted != (status == S::MoiDangKy)
    }

    #[test]
    fn every_listed_transition_is_allowed_and_leads_where_listed() {
        for &(from, action, accepted, to) in ALLOWED {
            assert_eq!(next_status(from, action, accepted), Ok(to), "{from:?} --{action:?}-->");
        }
    }

    #[test]
    fn every_other_transition_is_refused() {
        for from in ALL_STATUSES {
            for action in ALL_ACTIONS {
                for accepted in [false, true] {
                    if !reachable(from, accepted) && from != S::YeuCauBoSung {
                        continue;
                    }
                    let listed = ALLOWED.iter().any(|&(f, a, acc, _)| f == from && a == action && acc == accepted);
                    let result = next_status(from, action, accepted);
                    assert_eq!(result.is_ok(), listed, "{from:?} --{action:?}--> (accepted {accepted}): {result:?}");
                }
            }
        }
    }

    #[test]
    fn closed_dossiers_accept_no_action() {
        for from in ALL_STATUSES.into_iter().filter(|s| s.is_closed()) {
            for action in ALL_ACTIONS {
                assert!(next_status(from, action, true).is_err(), "{from:?} {action:?}");
            }
        }
    }

    #[test]
    fn a_supplement_returns_the_dossier_to_whoever_asked() {
        assert_eq!(next_status(S::YeuCauBoSung, A::Supplement, false), Ok(S::MoiDangKy));
        assert_eq!(next_status(S::YeuCauBoSung, A::Supplement, true), Ok(S::DangXuLy));
    }

    #[test]
    fn roles_decide_who_may_act() {
        let intake = Actor::Staff(Role::Intake);
        let processing = Actor::Staff(Role::Processing);
        let leader = Actor::Staff(Role::Leader);
        let admin = Actor::Staff(Role::Admin);
        assert!(A::Accept.allowed_for(intake) && !A::Accept.allowed_for(processing));
        assert!(A::Return.allowed_for(intake) && !A::Return.allowed_for(leader));
        assert!(A::Forward.allowed_for(processing) && !A::Forward.allowed_for(intake));
        assert!(A::ResultReady.allowed_for(processing) && !A::ResultReady.allowed_for(intake));
        assert!(A::ApproveApology.allowed_for(leader));
        assert!(!A::ApproveApology.allowed_for(processing) && !A::ApproveApology.allowed_for(intake));
        assert!(A::ProposeApology.allowed_for(processing) && !A::ProposeApology.allowed_for(leader));
        assert!(A::Supplement.allowed_for(Actor::Citizen));
        assert!(A::SupplementAtDesk.allowed_for(intake) && !A::SupplementAtDesk.allowed_for(processing));
        for action in ALL_ACTIONS {
            assert!(!action.allowed_for(admin), "an administrator does not handle dossiers: {action:?}");
            assert_eq!(action.allowed_for(Actor::Citizen), action == A::Supplement, "{action:?}");
        }
    }

    #[test]
    fn available_actions_follow_status_and_role() {
        let intake = Actor::Staff(Role::Intake);
        let processing = Actor::Staff(Role::Processing);
        assert_eq!(
            available_actions(S::MoiDangKy, false, intake),
            vec![A::Accept, A::Refuse, A::RequestSupplement, A::Withdraw]
        );
        assert_eq!(available_actions(S::MoiDangKy, false, processing), vec![A::RequestSupplement]);
        assert_eq!(available_actions(S::DaXuLyXong, true, intake), vec![A::Return]);
        assert!(available_actions(S::DaTraKetQua, true, intake).is_empty());
        assert_eq!(available_actions(S::YeuCauBoSung, true, Actor::Citizen), vec![A::Supplement]);
        assert_eq!(
            available_actions(S::YeuCauBoSung, false, intake),
            vec![A::Refuse, A::SupplementAtDesk, A::Withdraw]
        );
    }

    #[test]
    fn the_receiving_desk_acts_until_acceptance_and_for_desk_work_after() {
        for action in ALL_ACTIONS {
            assert!(action.is_desk_action(false), "{action:?} before acceptance");
        }
        let desk: Vec<Action> = ALL_ACTIONS.into_iter().filter(|a| a.is_desk_action(true)).collect();
        assert_eq!(desk, vec![A::Accept, A::Refuse, A::SupplementAtDesk, A::RecordFee, A::Return, A::Withdraw]);
    }

    #[test]
    fn reasons_are_required_where_the_rules_say() {
        let with_reason: Vec<Action> = ALL_ACTIONS.into_iter().filter(|a| a.needs_reason()).collect();
        assert_eq!(with_reason, vec![A::Refuse, A::RequestSupplement, A::Stop, A::Withdraw, A::ProposeApology]);
    }

    #[test]
    fn codes_round_trip() {
        for status in ALL_STATUSES {
            assert_eq!(Status::from_db(status.as_db()), Some(status));
        }
        for role in ALL_ROLES {
            assert_eq!(Role::from_db(role.as_db()), Some(role));
        }
        for action in ALL_ACTIONS {
            assert_eq!(Action::from_slug(action.as_slug()), Some(action));
        }
        assert_eq!(Status::from_db("nhap"), None);
    }
}
