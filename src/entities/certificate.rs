use sea_orm::entity::prelude::*;

use crate::commendation::model::{AwardForm, NomineeKind};

/// One recipient's award under a decision (giấy khen, bằng khen, kỷ niệm chương), with its
/// register number and public verification code.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub decision_id: i32,
    pub nomination_id: i32,
    pub issuer_id: i32,
    pub recipient: String,
    pub kind: NomineeKind,
    pub form: AwardForm,
    pub posthumous: bool,
    pub cccd: Option<String>,
    pub achievement: String,
    pub register_number: i32,
    #[sea_orm(unique)]
    pub verify_code: String,
    #[sea_orm(belongs_to, from = "decision_id", to = "id")]
    pub decision: BelongsTo<super::decision::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
