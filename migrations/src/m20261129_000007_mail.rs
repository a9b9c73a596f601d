//! The mail outbox: one row per message to send, claimed by the delivery workers of every app
//! instance, and the addresses that must not be written to.

use sea_orm_migration::{prelude::*, schema::*};

use crate::indexes::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("outbox")
                    .col(pk_auto("id"))
                    .col(integer_null("job_id"))
                    .col(integer("festival_id"))
                    .col(integer("participant_id"))
                    .col(string_len("kind", 12))
                    .col(string_len_null("to_address", 254))
                    .col(string_len("subject", 300))
                    .col(string_len("state", 10))
                    .col(integer("attempts").default(0))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    // Set while a worker sends it; a message whose lease ran out was in the
                    // hands of an instance that died, and is sent again.
                    .col(timestamp_with_time_zone_null("lease_until"))
                    .col(text_null("last_error"))
                    .col(string_len("message_id", 200))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("outbox", "job_id")
                            .to("jobs", "id")
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("outbox", "participant_id")
                            .to("participants", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The workers' claim: due messages in order.
        index(manager, "outbox", &["state", "next_attempt_at"]).await?;
        index(manager, "outbox", &["job_id", "state"]).await?;
        index(manager, "outbox", &["festival_id", "participant_id", "kind"]).await?;

        manager
            .create_table(
                Table::create()
                    .table("mail_suppressions")
                    .col(string_len("email", 254).primary_key())
                    .col(string_len("reason", 200))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("mail_suppressions").to_owned()).await?;
        manager.drop_table(Table::drop().table("outbox").to_owned()).await
    }
}
