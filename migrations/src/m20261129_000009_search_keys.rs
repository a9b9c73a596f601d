//! Search keys for the accounts and the audit log, like those of hosts and participants: the
//! text folded without accents or case, so `?q=` finds "Nguyễn" typed as "nguyen". Rows
//! written before this change get theirs from the application at start (`auth::search_keys`):
//! folding Vietnamese is Rust code, not SQL.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables given a `search_key`; empty means not filled yet.
const TABLES: [&str; 2] = ["users", "audit_events"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            let column = text("search_key").default("").to_owned();
            manager.alter_table(Table::alter().table(table).add_column(column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager.alter_table(Table::alter().table(table).drop_column("search_key").to_owned()).await?;
        }
        Ok(())
    }
}
