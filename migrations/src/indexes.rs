//! Index helpers shared by the migrations.

use sea_orm_migration::prelude::*;

/// A plain index `{table}_{columns}_idx`.
pub async fn index(manager: &SchemaManager<'_>, table: &'static str, columns: &[&'static str]) -> Result<(), DbErr> {
    create_index(manager, table, columns, false).await
}

/// A unique index `{table}_{columns}_key`.
pub async fn unique_index(
    manager: &SchemaManager<'_>,
    table: &'static str,
    columns: &[&'static str],
) -> Result<(), DbErr> {
    create_index(manager, table, columns, true).await
}

/// Index names follow `{table}_{columns}_{idx|key}` so later migrations can find them.
async fn create_index(
    manager: &SchemaManager<'_>,
    table: &'static str,
    columns: &[&'static str],
    unique: bool,
) -> Result<(), DbErr> {
    let suffix = if unique { "key" } else { "idx" };
    let mut statement = Index::create();
    statement.name(format!("{table}_{}_{suffix}", columns.join("_"))).table(table);
    for column in columns {
        statement.col(*column);
    }
    if unique {
        statement.unique();
    }
    manager.create_index(statement.to_owned()).await
}
