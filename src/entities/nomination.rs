use sea_orm::entity::prelude::*;

use crate::commendation::model::{AwardForm, NominationState, NomineeKind};

/// A proposal to commend a collective or an individual.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "nominations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub issuer_id: i32,
    pub festival_id: Option<i32>,
    pub kind: NomineeKind,
    pub nominee_name: String,
    /// Folded name, for the "twice in a year" check.
    pub nominee_key: String,
    pub participant_id: Option<i32>,
    pub host_id: Option<i32>,
    pub model_id: Option<i32>,
    pub cccd: Option<String>,
    pub achievement: String,
    pub form: AwardForm,
    pub posthumous: bool,
    pub year: i32,
    pub province_code: String,
    pub unit_code: Option<String>,
    pub state: NominationState,
    pub return_reason: Option<String>,
    pub reject_reason: Option<String>,
    pub votes_for: Option<i32>,
    pub votes_against: Option<i32>,
    pub review_note: Option<String>,
    pub created_by: Option<i32>,
    pub submitted_by: Option<i32>,
    pub submitted_at: Option<DateTimeUtc>,
    pub reviewed_by: Option<i32>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub decided_by: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
