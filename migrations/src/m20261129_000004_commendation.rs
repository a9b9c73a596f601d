//! Commendation (Law 06/2022/QH15): issuers, movement models, nominations, decisions with
//! numbers that never repeat nor skip, certificates and their register.

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
                    .table("issuers")
                    .col(pk_auto("id"))
                    .col(string_len("name", 200))
                    .col(string_len_null("parent_name", 200))
                    // A province or commune; `province_code` repeats the province for scope filters.
                    .col(string_len("unit_code", 10))
                    .col(string_len("province_code", 10))
                    .col(string_len("symbol", 20))
                    .col(string_len("signer_name", 100))
                    .col(string_len("signer_title", 100))
                    .col(string_len("authority", 5))
                    .col(string_len("place_name", 100))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(ForeignKey::create().from("issuers", "unit_code").to("admin_units", "code"))
                    .to_owned(),
            )
            .await?;
        index(manager, "issuers", &["province_code", "unit_code"]).await?;

        // Numbers of documents: one row per issuer, year and series (`QD` decisions, `GM`
        // invitations, `SV` the register, with year 0). Claimed with `UPDATE … SET last = last + 1`
        // inside the document's transaction: the row lock makes numbers gapless and unique.
        manager
            .create_table(
                Table::create()
                    .table("document_counters")
                    .col(integer("issuer_id"))
                    .col(integer("year"))
                    .col(string_len("series", 4))
                    .col(integer("last").default(0))
                    .primary_key(Index::create().col("issuer_id").col("year").col("series"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("document_counters", "issuer_id")
                            .to("issuers", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("movement_models")
                    .col(pk_auto("id"))
                    .col(string_len("name", 200))
                    .col(string_len("name_key", 200))
                    .col(integer("host_id"))
                    .col(string_len("kind", 20))
                    .col(integer_null("founded_year"))
                    .col(integer_null("members"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(ForeignKey::create().from("movement_models", "host_id").to("hosts", "id"))
                    .to_owned(),
            )
            .await?;
        unique_index(manager, "movement_models", &["host_id", "name_key"]).await?;

        manager
            .create_table(
                Table::create()
                    .table("decisions")
                    .col(pk_auto("id"))
                    .col(integer("issuer_id"))
                    .col(integer("year"))
                    .col(integer("sequence"))
                    .col(string_len("number", 40))
                    .col(date("signed_on"))
                    .col(string_len("signer_name", 100))
                    .col(string_len("signer_title", 100))
                    // JSON array of lines, e.g. "Luật Thi đua, khen thưởng số 06/2022/QH15".
                    .col(text("legal_basis"))
                    .col(string_len("state", 10))
                    .col(text_null("revoked_reason"))
                    .col(integer_null("revoked_by"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .col(integer_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(ForeignKey::create().from("decisions", "issuer_id").to("issuers", "id"))
                    .to_owned(),
            )
            .await?;
        unique_index(manager, "decisions", &["issuer_id", "year", "sequence"]).await?;

        manager
            .create_table(
                Table::create()
                    .table("nominations")
                    .col(pk_auto("id"))
                    .col(integer("issuer_id"))
                    .col(integer_null("festival_id"))
                    .col(string_len("kind", 12))
                    .col(string_len("nominee_name", 200))
                    .col(string_len("nominee_key", 200))
                    .col(integer_null("participant_id"))
                    .col(integer_null("host_id"))
                    .col(integer_null("model_id"))
                    .col(string_len_null("cccd", 12))
                    .col(text("achievement"))
                    .col(string_len("form", 16))
                    .col(boolean("posthumous").default(false))
                    // Calendar year of the proposal, for the "twice in a year" check.
                    .col(integer("year"))
                    // Where the proposal comes from, for scope filters.
                    .col(string_len("province_code", 10))
                    .col(string_len_null("unit_code", 10))
                    .col(string_len("state", 12))
                    .col(text_null("return_reason"))
                    .col(text_null("reject_reason"))
                    .col(integer_null("votes_for"))
                    .col(integer_null("votes_against"))
                    .col(text_null("review_note"))
                    .col(integer_null("created_by"))
                    .col(integer_null("submitted_by"))
                    .col(timestamp_with_time_zone_null("submitted_at"))
                    .col(integer_null("reviewed_by"))
                    .col(timestamp_with_time_zone_null("reviewed_at"))
                    .col(integer_null("decided_by"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(integer_null("decision_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(ForeignKey::create().from("nominations", "issuer_id").to("issuers", "id"))
                    .foreign_key(ForeignKey::create().from("nominations", "festival_id").to("festivals", "id"))
                    .foreign_key(ForeignKey::create().from("nominations", "participant_id").to("participants", "id"))
                    .foreign_key(ForeignKey::create().from("nominations", "host_id").to("hosts", "id"))
                    .foreign_key(ForeignKey::create().from("nominations", "model_id").to("movement_models", "id"))
                    .foreign_key(ForeignKey::create().from("nominations", "decision_id").to("decisions", "id"))
                    .to_owned(),
            )
            .await?;
        index(manager, "nominations", &["issuer_id", "state"]).await?;
        index(manager, "nominations", &["issuer_id", "year", "nominee_key"]).await?;
        index(manager, "nominations", &["province_code", "unit_code"]).await?;
        index(manager, "nominations", &["cccd"]).await?;

        manager
            .create_table(
                Table::create()
                    .table("certificates")
                    .col(pk_auto("id"))
                    .col(integer("decision_id"))
                    .col(integer("nomination_id"))
                    .col(integer("issuer_id"))
                    .col(string_len("recipient", 200))
                    .col(string_len("kind", 12))
                    .col(string_len("form", 16))
                    .col(boolean("posthumous").default(false))
                    .col(string_len_null("cccd", 12))
                    .col(text("achievement"))
                    // Số sổ vàng: the issuer's register number, never reused.
                    .col(integer("register_number"))
                    .col(string_len_uniq("verify_code", 32))
                    .foreign_key(
                        ForeignKey::create()
                            .from("certificates", "decision_id")
                            .to("decisions", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(ForeignKey::create().from("certificates", "nomination_id").to("nominations", "id"))
                    .foreign_key(ForeignKey::create().from("certificates", "issuer_id").to("issuers", "id"))
                    .to_owned(),
            )
            .await?;
        unique_index(manager, "certificates", &["issuer_id", "register_number"]).await?;
        unique_index(manager, "certificates", &["nomination_id"]).await?;
        index(manager, "certificates", &["decision_id"]).await?;
        index(manager, "certificates", &["cccd", "form"]).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["certificates", "nominations", "decisions", "movement_models", "document_counters", "issuers"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
