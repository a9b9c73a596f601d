use sea_orm::entity::prelude::*;

use crate::areas::model::HostKind;

/// A residential area, agency, enterprise or school that holds a festival; always in a commune.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hosts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub name_key: String,
    pub kind: HostKind,
    pub unit_code: String,
    pub province_code: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "unit_code", to = "code")]
    pub unit: BelongsTo<super::admin_unit::Entity>,
    #[sea_orm(has_many)]
    pub festivals: HasMany<super::festival::Entity>,
    #[sea_orm(has_many)]
    pub movement_models: HasMany<super::movement_model::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
