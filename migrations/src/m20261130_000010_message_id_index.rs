//! Messages found by their Message-ID: the unsubscribe link of each e-mail names its message
//! (RFC 8058 one-click unsubscribe), and a guest's click must not scan the whole outbox.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEX: &str = "outbox_message_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let index = Index::create().name(INDEX).table("outbox").col("message_id").unique().to_owned();
        manager.create_index(index).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(INDEX).table("outbox").to_owned()).await
    }
}
