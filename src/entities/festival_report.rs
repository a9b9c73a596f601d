use sea_orm::entity::prelude::*;

/// A host's report on its festival once held (báo cáo kết quả): attendance, photos, notes.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "festival_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub festival_id: i32,
    /// People who came.
    pub attendance: i32,
    /// Photos taken, for the province's records.
    pub photos: i32,
    pub notes: String,
    pub reported_by: Option<i32>,
    pub reported_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
