use sea_orm::entity::prelude::*;

use crate::festivals::model::CommitteeRole;

/// A member of a festival's organizing committee (ban tổ chức), ordered by `position`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "committee_members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub festival_id: i32,
    pub position: i32,
    pub full_name: String,
    pub role: CommitteeRole,
    pub title: Option<String>,
    #[sea_orm(belongs_to, from = "festival_id", to = "id")]
    pub festival: BelongsTo<super::festival::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
