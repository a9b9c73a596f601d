use sea_orm::entity::prelude::*;

/// Who did what, when and where.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: DateTimeUtc,
    pub user_id: Option<i32>,
    pub user_email: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub province_code: Option<String>,
    pub unit_code: Option<String>,
    pub summary: String,
    /// E-mail and summary folded for search (`auth::search_keys`).
    pub search_key: String,
}

impl ActiveModelBehavior for ActiveModel {}
