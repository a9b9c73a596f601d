//! Types of commendation (API.md, *Commendation*; DOMAIN.md, *Commendation*, Law 06/2022/QH15).

use chrono::{DateTime, FixedOffset, NaiveDate};
use sea_orm::entity::prelude::StringLen;
use sea_orm::{DeriveActiveEnum, EnumIter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::documents::certificate::BlankLayout;
use crate::error::FieldError;

/// The authority line above the signature (Decree 30/2020, Appendix I): signing for the body
/// ("TM."), as a deputy ("KT."), or in one's own name (empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(5))")]
pub enum Authority {
    /// Thay mặt: on behalf of the collective body (TM. ỦY BAN NHÂN DÂN).
    #[sea_orm(string_value = "TM.")]
    #[serde(rename = "TM.")]
    OnBehalf,
    /// Ký thay: a deputy signing for the head (KT. CHỦ TỊCH).
    #[sea_orm(string_value = "KT.")]
    #[serde(rename = "KT.")]
    Deputy,
    /// The head signs in their own name.
    #[sea_orm(string_value = "")]
    #[serde(rename = "")]
    Own,
}

/// Kinds of movement models (DOMAIN.md, *Movement models*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    /// Tự quản: self-management.
    TuQuan,
    /// Tự phòng: self-prevention.
    TuPhong,
    /// Tự bảo vệ: self-defence.
    TuBaoVe,
    /// Tự hòa giải: self-mediation.
    TuHoaGiai,
    Other,
}

impl ModelKind {
    pub fn label(&self) -> &'static str {
        match self {
            Self::TuQuan => "Tự quản",
            Self::TuPhong => "Tự phòng",
            Self::TuBaoVe => "Tự bảo vệ",
            Self::TuHoaGiai => "Tự hòa giải",
            Self::Other => "Khác",
        }
    }
}

/// Who is commended: a collective (tập thể) or an individual (cá nhân).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum NomineeKind {
    Collective,
    Individual,
}

impl NomineeKind {
    pub fn label(&self) -> &'static str {
        match self {
            Self::Collective => "Tập thể",
            Self::Individual => "Cá nhân",
        }
    }
}

/// Forms of award (Law 06/2022/QH15, articles 72–76).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum AwardForm {
    /// Giấy khen: certificate of merit from a commune chairman, police director, agency head.
    GiayKhen,
    /// Bằng khen: from a minister or provincial chairman.
    BangKhen,
    /// Kỷ niệm chương "Bảo vệ an ninh Tổ quốc": the medal, at most once per person.
    KyNiemChuong,
}

impl AwardForm {
    /// The word printed large on the certificate.
    pub fn printed_title(&self) -> &'static str {
        match self {
            Self::GiayKhen => "GIẤY KHEN",
            Self::BangKhen => "BẰNG KHEN",
            Self::KyNiemChuong => "KỶ NIỆM CHƯƠNG",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Self::GiayKhen => "Giấy khen",
            Self::BangKhen => "Bằng khen",
            Self::KyNiemChuong => "Kỷ niệm chương “Bảo vệ an ninh Tổ quốc”",
        }
    }
}

/// Where a nomination stands; the allowed moves are in [`NominationState::after`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum NominationState {
    Draft,
    Submitted,
    Reviewed,
    Approved,
    Rejected,
}

impl NominationState {
    pub fn label(&self) -> &'static str {
        match self {
            Self::Draft => "Nháp",
            Self::Submitted => "Đã gửi",
            Self::Reviewed => "Hội đồng đã xét",
            Self::Approved => "Đã duyệt",
            Self::Rejected => "Không duyệt",
        }
    }
}

/// A step of the review path (API.md: `POST /api/v1/nominations/{id}/{action}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NominationAction {
    Submit,
    Return,
    Review,
    Approve,
    Reject,
}

impl NominationState {
    /// The state after `action`, or `None` when the action is not allowed from here:
    /// draft → submitted → reviewed → approved; submitted or reviewed → draft (returned) or
    /// rejected.
    pub fn after(self, action: NominationAction) -> Option<Self> {
        use NominationAction as A;
        use NominationState as S;
        match (self, action) {
            (S::Draft, A::Submit) => Some(S::Submitted),
            (S::Submitted | S::Reviewed, A::Return) => Some(S::Draft),
            (S::Submitted, A::Review) => Some(S::Reviewed),
            (S::Reviewed, A::Approve) => Some(S::Approved),
            (S::Submitted | S::Reviewed, A::Reject) => Some(S::Rejected),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum DecisionState {
    Active,
    Revoked,
}

impl DecisionState {
    pub fn label(&self) -> &'static str {
        match self {
            Self::Active => "Có hiệu lực",
            Self::Revoked => "Đã thu hồi",
        }
    }
}

/// An issuer as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Issuer {
    pub id: i32,
    pub name: String,
    pub parent_name: Option<String>,
    pub unit_code: String,
    pub symbol: String,
    pub signer_name: String,
    pub signer_title: String,
    pub authority: Authority,
    /// For the place-date line: "Xã Tân Phú, ngày …".
    pub place_name: String,
    /// Where certificate fields go on the issuer's pre-printed blanks (mm); the default
    /// layout's positions until the issuer sets its own.
    pub blank_layout: BlankLayout,
    /// Whether `blank_layout` was set by the issuer.
    pub blank_layout_custom: bool,
}

/// `POST /api/v1/issuers` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewIssuer {
    pub name: String,
    pub parent_name: Option<String>,
    pub unit_code: String,
    /// Upper-case letters and digits, e.g. `UBND`, `CAX`, `CAT`.
    pub symbol: String,
    pub signer_name: String,
    pub signer_title: String,
    pub authority: Authority,
    pub place_name: String,
}

/// `PATCH /api/v1/issuers/{id}` body; absent fields stay.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct IssuerChanges {
    pub name: Option<String>,
    pub parent_name: Option<String>,
    pub symbol: Option<String>,
    pub signer_name: Option<String>,
    pub signer_title: Option<String>,
    pub authority: Option<Authority>,
    pub place_name: Option<String>,
    /// Positions for printing on pre-printed blanks; `null` returns to the default layout.
    #[serde(default, deserialize_with = "crate::festivals::model::nullable")]
    #[schema(value_type = Option<BlankLayout>)]
    pub blank_layout: Option<Option<BlankLayout>>,
}

/// `?unit=&q=` filters of issuers and models.
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitFilter {
    /// A province (with its communes) or a commune code.
    pub unit: Option<String>,
    /// Part of the name, accent- and case-insensitive.
    pub q: Option<String>,
}

/// A movement model as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MovementModel {
    pub id: i32,
    pub name: String,
    pub host_id: i32,
    pub host_name: String,
    pub unit_code: String,
    pub kind: ModelKind,
    pub founded_year: Option<i32>,
    pub members: Option<i32>,
}

/// `POST /api/v1/models` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewModel {
    pub name: String,
    pub host_id: i32,
    pub kind: ModelKind,
    pub founded_year: Option<i32>,
    pub members: Option<i32>,
}

/// `PATCH /api/v1/models/{id}` body; absent fields stay.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ModelChanges {
    pub name: Option<String>,
    pub kind: Option<ModelKind>,
    pub founded_year: Option<i32>,
    pub members: Option<i32>,
}

/// A nomination as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Nomination {
    pub id: i32,
    pub issuer_id: i32,
    pub festival_id: Option<i32>,
    pub kind: NomineeKind,
    pub nominee_name: String,
    pub participant_id: Option<i32>,
    pub host_id: Option<i32>,
    pub model_id: Option<i32>,
    pub cccd: Option<String>,
    pub achievement: String,
    pub form: AwardForm,
    pub posthumous: bool,
    pub year: i32,
    pub state: NominationState,
    pub return_reason: Option<String>,
    pub reject_reason: Option<String>,
    pub votes_for: Option<i32>,
    pub votes_against: Option<i32>,
    pub review_note: Option<String>,
    pub created_by: Option<i32>,
    pub submitted_by: Option<i32>,
    pub submitted_at: Option<DateTime<FixedOffset>>,
    pub reviewed_at: Option<DateTime<FixedOffset>>,
    pub decision_id: Option<i32>,
    pub created_at: DateTime<FixedOffset>,
    /// E.g. the same person nominated twice this year by the same issuer.
    pub warnings: Vec<FieldError>,
}

/// `POST /api/v1/nominations` body.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewNomination {
    pub festival_id: Option<i32>,
    pub issuer_id: i32,
    pub kind: Option<NomineeKind>,
    /// The collective's or person's name as it will be printed; taken from the participant,
    /// host or model when absent.
    pub nominee_name: Option<String>,
    pub participant_id: Option<i32>,
    pub host_id: Option<i32>,
    pub model_id: Option<i32>,
    /// Required for the medal.
    pub cccd: Option<String>,
    pub achievement: String,
    pub form: Option<AwardForm>,
    pub posthumous: Option<bool>,
}

/// `PATCH /api/v1/nominations/{id}` body (drafts only); absent fields stay.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NominationChanges {
    pub festival_id: Option<i32>,
    pub nominee_name: Option<String>,
    pub cccd: Option<String>,
    pub achievement: Option<String>,
    pub form: Option<AwardForm>,
    pub posthumous: Option<bool>,
}

/// The body of a nomination action; which fields count depends on the action.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ActionInput {
    /// `return` and `reject`: why.
    pub reason: Option<String>,
    /// `review`: the council's vote.
    pub votes_for: Option<i32>,
    pub votes_against: Option<i32>,
    pub note: Option<String>,
}

/// `GET /api/v1/nominations` filters.
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NominationFilter {
    pub state: Option<NominationState>,
    pub issuer: Option<i32>,
    pub festival: Option<i32>,
    pub year: Option<i32>,
    /// Part of the nominee's name, accent- and case-insensitive.
    pub q: Option<String>,
}

/// `POST /api/v1/decisions` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewDecision {
    pub issuer_id: i32,
    pub nomination_ids: Vec<i32>,
    /// Not in the future.
    pub signed_on: NaiveDate,
    /// Default: Law 06/2022/QH15 and Decree 98/2023/NĐ-CP.
    pub legal_basis: Option<Vec<String>>,
}

/// One recipient's certificate.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Certificate {
    pub id: i32,
    pub decision_id: i32,
    pub recipient: String,
    pub kind: NomineeKind,
    pub form: AwardForm,
    pub posthumous: bool,
    pub achievement: String,
    /// Số sổ vàng.
    pub register_number: i32,
    /// Public verification code: `{BASE_URL}/verify/{verify_code}`.
    pub verify_code: String,
}

/// A decision as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Decision {
    pub id: i32,
    pub issuer_id: i32,
    /// `01/QĐ-UBND`: two digits at least (Decree 30/2020).
    pub number: String,
    pub sequence: i32,
    pub year: i32,
    pub signed_on: NaiveDate,
    pub signer_name: String,
    pub signer_title: String,
    pub legal_basis: Vec<String>,
    pub state: DecisionState,
    pub revoked_reason: Option<String>,
    pub revoked_at: Option<DateTime<FixedOffset>>,
    pub certificates: Vec<Certificate>,
}

/// `GET /api/v1/decisions` filters.
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DecisionFilter {
    pub issuer: Option<i32>,
    pub year: Option<i32>,
    /// Part of a recipient's name or the number, accent-insensitive.
    pub q: Option<String>,
}

/// `POST /api/v1/decisions/{id}/revoke` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct Revocation {
    pub reason: String,
}

/// What `GET /api/v1/verify/{code}` tells anyone holding a document: no CCCD, phone or e-mail.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Verification {
    pub valid: bool,
    pub kind: VerifiedKind,
    pub recipient: String,
    pub award: Option<String>,
    pub decision_number: Option<String>,
    pub festival: Option<String>,
    pub issuer: Option<String>,
    pub issued_on: NaiveDate,
    pub revoked_reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerifiedKind {
    Certificate,
    Invitation,
}
