//! Participants of festivals, and the seat counters that public registration claims atomically.

use sea_orm_migration::{prelude::*, schema::*};

use crate::indexes::{index, unique_index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Seats are claimed with `UPDATE festivals SET confirmed_count = confirmed_count + 1
        // WHERE … confirmed_count < capacity`, so the count lives on the festival row, whose row
        // lock orders every seat change of one festival on every app instance.
        for column in ["confirmed_count", "waitlisted_count"] {
            manager
                .alter_table(Table::alter().table("festivals").add_column(integer(column).default(0)).to_owned())
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table("participants")
                    .col(pk_auto("id"))
                    .col(integer("festival_id"))
                    .col(string_len("full_name", 200))
                    .col(string_len("given_name", 100))
                    // ICU "vi" sort key of given, middle and family name: ORDER BY gives
                    // Vietnamese order on both databases (bytes compare like memcmp).
                    .col(blob("name_sort_key"))
                    // Lower-case name: with `phone`, the duplicate check of one festival.
                    .col(string_len("name_key", 200))
                    // Folded name, phone, e-mail and CCCD for accent-insensitive search.
                    .col(string_len("search_key", 600))
                    .col(string_len_null("sex", 6))
                    .col(string_len("role", 12))
                    .col(string_len_null("title", 200))
                    .col(string_len_null("organization", 200))
                    .col(string_len_null("email", 254))
                    .col(string_len_null("phone", 15))
                    .col(string_len_null("cccd", 12))
                    .col(string_len_null("address", 300))
                    .col(boolean("invited").default(false))
                    // When the person registered on the public page (null: entered by an organizer).
                    .col(timestamp_with_time_zone_null("registered_at"))
                    .col(string_len_null("registration", 12))
                    .col(string_len("rsvp", 10))
                    // SHA-256 of the RSVP token, hex; the token itself is never stored.
                    .col(string_len_null("rsvp_token_hash", 64))
                    .col(string_len("checkin_code", 16))
                    .col(timestamp_with_time_zone_null("checked_in_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("participants", "festival_id")
                            .to("festivals", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "participants", &["festival_id", "name_sort_key"]).await?;
        index(manager, "participants", &["festival_id", "registration", "id"]).await?;
        // The duplicate rules of a festival hold under races too (NULLs never collide).
        unique_index(manager, "participants", &["festival_id", "cccd"]).await?;
        unique_index(manager, "participants", &["festival_id", "phone", "name_key"]).await?;
        unique_index(manager, "participants", &["checkin_code"]).await?;
        unique_index(manager, "participants", &["rsvp_token_hash"]).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("participants").to_owned()).await?;
        for column in ["confirmed_count", "waitlisted_count"] {
            manager.alter_table(Table::alter().table("festivals").drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
