//! One issuer per unit and symbol: two "UBND" of one commune would sign decisions with the
//! same numbers (01/QĐ-UBND twice), which nobody could tell apart.

use sea_orm_migration::prelude::*;

use crate::indexes::unique_index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        unique_index(manager, "issuers", &["unit_code", "symbol"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("issuers_unit_code_symbol_key").table("issuers").to_owned()).await
    }
}
