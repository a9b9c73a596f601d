use sea_orm::entity::prelude::*;

/// The last number given in one series of an issuer's documents in one year.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "document_counters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub issuer_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub series: String,
    pub last: i32,
}

impl ActiveModelBehavior for ActiveModel {}
