use sea_orm::entity::prelude::*;

/// One failed login, counted per account (`email:…`) and per address (`ip:…`).
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_failures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub key: String,
    pub at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
