use sea_orm::entity::prelude::*;

use crate::festivals::model::ProgrammePart;

/// One line of a festival's programme, ordered by `position`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "programme_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub festival_id: i32,
    pub position: i32,
    pub part: ProgrammePart,
    /// Local clock time `HH:MM`.
    pub starts_at: Option<String>,
    pub title: String,
    pub presenter: Option<String>,
    #[sea_orm(belongs_to, from = "festival_id", to = "id")]
    pub festival: BelongsTo<super::festival::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
