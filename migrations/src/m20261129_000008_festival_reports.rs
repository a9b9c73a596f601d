//! What a host reports after its festival: attendance, photos taken, notes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("festival_reports")
                    .col(integer("festival_id").primary_key())
                    .col(integer("attendance"))
                    .col(integer("photos").default(0))
                    .col(text("notes"))
                    .col(integer_null("reported_by"))
                    .col(timestamp_with_time_zone("reported_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("festival_reports", "festival_id")
                            .to("festivals", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("festival_reports").to_owned()).await
    }
}
