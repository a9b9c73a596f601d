use sea_orm::entity::prelude::*;

/// A province's or commune's plan for one year: the window in which festivals are held.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "yearly_plans")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_code: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub window_start: Date,
    pub window_end: Date,
    pub notes: String,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
