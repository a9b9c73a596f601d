use sea_orm::entity::prelude::*;

use crate::commendation::model::ModelKind;

/// A model (mô hình) of the movement run by a host, e.g. "Tổ liên gia an toàn".
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "movement_models")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    /// Folded name: unique per host.
    pub name_key: String,
    pub host_id: i32,
    pub kind: ModelKind,
    pub founded_year: Option<i32>,
    pub members: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "host_id", to = "id")]
    pub host: BelongsTo<super::host::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
