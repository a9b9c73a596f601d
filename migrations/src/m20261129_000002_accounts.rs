//! Accounts: users with a role and a scope, login tokens (stored hashed), failed-login
//! records for rate limiting, the audit log, and server secrets shared by all instances.

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
                    .table("users")
                    .col(pk_auto("id"))
                    // Stored lower-case: e-mail addresses compare case-insensitively.
                    .col(string_uniq("email"))
                    .col(string("full_name"))
                    .col(string("password_hash"))
                    .col(string_len("role", 20))
                    // The scope: a province or commune code (a host user's commune), null for admins.
                    .col(string_len_null("unit_code", 10))
                    .col(string_len_null("province_code", 10))
                    .col(integer_null("host_id"))
                    .col(boolean("disabled").default(false))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(ForeignKey::create().from("users", "unit_code").to("admin_units", "code"))
                    .foreign_key(ForeignKey::create().from("users", "host_id").to("hosts", "id"))
                    .to_owned(),
            )
            .await?;
        index(manager, "users", &["province_code"]).await?;
        index(manager, "users", &["unit_code"]).await?;

        manager
            .create_table(
                Table::create()
                    .table("auth_tokens")
                    .col(pk_auto("id"))
                    .col(integer("user_id"))
                    // SHA-256 of the token, hex; the token itself is never stored.
                    .col(string_len_uniq("token_hash", 64))
                    .col(string_len("kind", 10))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("auth_tokens", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "auth_tokens", &["user_id"]).await?;

        manager
            .create_table(
                Table::create()
                    .table("login_failures")
                    .col(pk_auto("id"))
                    // `email:…` or `ip:…`
                    .col(string("key"))
                    .col(timestamp_with_time_zone("at"))
                    .to_owned(),
            )
            .await?;
        index(manager, "login_failures", &["key", "at"]).await?;

        manager
            .create_table(
                Table::create()
                    .table("audit_events")
                    .col(pk_auto("id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(integer_null("user_id"))
                    .col(string("user_email"))
                    .col(string_len("action", 20))
                    .col(string_len("entity", 30))
                    .col(string_len("entity_id", 40))
                    // Where the change happened, so each level sees the events of its own area.
                    .col(string_len_null("province_code", 10))
                    .col(string_len_null("unit_code", 10))
                    .col(text("summary"))
                    .to_owned(),
            )
            .await?;
        index(manager, "audit_events", &["at"]).await?;
        index(manager, "audit_events", &["province_code", "at"]).await?;
        index(manager, "audit_events", &["entity", "entity_id"]).await?;

        manager
            .create_table(
                Table::create()
                    .table("server_secrets")
                    .col(string_len("name", 40).primary_key())
                    .col(text("value"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["server_secrets", "audit_events", "login_failures", "auth_tokens", "users"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
