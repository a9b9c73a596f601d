//! The base schema: the administrative map, hosts, festivals with their programme and
//! organizing committee, and the yearly plans that set the festival window.

use sea_orm_migration::{prelude::*, schema::*};

use crate::indexes::{index, unique_index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("admin_units")
                    .col(string_len("code", 10).primary_key())
                    .col(string("name"))
                    // Accent-folded, lower-case name: what `?q=` searches.
                    .col(string("search_key"))
                    .col(string_len("kind", 40))
                    .col(string_len("level", 10))
                    .col(string_len_null("parent_code", 10))
                    .foreign_key(ForeignKey::create().from("admin_units", "parent_code").to("admin_units", "code"))
                    .to_owned(),
            )
            .await?;
        index(manager, "admin_units", &["parent_code"]).await?;

        manager
            .create_table(
                Table::create()
                    .table("hosts")
                    .col(pk_auto("id"))
                    .col(string("name"))
                    // Case- and accent-folded name; unique within the commune.
                    .col(string("name_key"))
                    .col(string_len("kind", 20))
                    .col(string_len("unit_code", 10))
                    // The commune's province, kept here so province-wide lists need no join.
                    .col(string_len("province_code", 10))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(ForeignKey::create().from("hosts", "unit_code").to("admin_units", "code"))
                    .foreign_key(ForeignKey::create().from("hosts", "province_code").to("admin_units", "code"))
                    .to_owned(),
            )
            .await?;
        unique_index(manager, "hosts", &["unit_code", "name_key"]).await?;
        index(manager, "hosts", &["province_code"]).await?;

        manager
            .create_table(
                Table::create()
                    .table("festivals")
                    .col(pk_auto("id"))
                    .col(integer("host_id"))
                    .col(integer("year"))
                    .col(string("title"))
                    .col(timestamp_with_time_zone("starts_at"))
                    .col(timestamp_with_time_zone("ends_at"))
                    .col(string("venue"))
                    .col(integer_null("capacity"))
                    .col(boolean("registration_open").default(false))
                    .col(boolean("waitlist").default(true))
                    .col(string_len("status", 20))
                    .col(string_len_uniq("slug", 120))
                    .col(text("budget_note").default(""))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(ForeignKey::create().from("festivals", "host_id").to("hosts", "id"))
                    .to_owned(),
            )
            .await?;
        unique_index(manager, "festivals", &["host_id", "year"]).await?;
        index(manager, "festivals", &["year", "starts_at"]).await?;

        manager
            .create_table(
                Table::create()
                    .table("programme_items")
                    .col(pk_auto("id"))
                    .col(integer("festival_id"))
                    .col(integer("position"))
                    .col(string_len("part", 3))
                    .col(string_len_null("starts_at", 5))
                    .col(string("title"))
                    .col(string_null("presenter"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("programme_items", "festival_id")
                            .to("festivals", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "programme_items", &["festival_id", "position"]).await?;

        manager
            .create_table(
                Table::create()
                    .table("committee_members")
                    .col(pk_auto("id"))
                    .col(integer("festival_id"))
                    .col(integer("position"))
                    .col(string("full_name"))
                    .col(string_len("role", 20))
                    .col(string_null("title"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("committee_members", "festival_id")
                            .to("festivals", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "committee_members", &["festival_id", "position"]).await?;

        manager
            .create_table(
                Table::create()
                    .table("yearly_plans")
                    .col(string_len("unit_code", 10))
                    .col(integer("year"))
                    .col(date("window_start"))
                    .col(date("window_end"))
                    .col(text("notes").default(""))
                    .col(timestamp_with_time_zone("updated_at"))
                    .primary_key(Index::create().col("unit_code").col("year"))
                    .foreign_key(ForeignKey::create().from("yearly_plans", "unit_code").to("admin_units", "code"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["yearly_plans", "committee_members", "programme_items", "festivals", "hosts", "admin_units"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
