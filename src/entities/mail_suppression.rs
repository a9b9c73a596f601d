use sea_orm::entity::prelude::*;

/// An address that must not be written to (it bounced for good, or its owner asked).
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_suppressions")]
pub struct Model {
    /// Lower case.
    #[sea_orm(primary_key, auto_increment = false)]
    pub email: String,
    pub reason: String,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
