//! Invitations (the festival's issuer, each guest's invitation number), the print-on-blank
//! layout of an issuer, and background jobs with their output (batch printing; mail later).

use sea_orm_migration::{prelude::*, schema::*};

use crate::indexes::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Columns added to existing tables: SQLite cannot add a foreign key to a table, so the
/// references here are checked by the application.
const ADDED: [(&str, &str); 5] = [
    ("festivals", "issuer_id"),
    ("participants", "invitation_number"),
    ("participants", "invitation_issued_on"),
    ("participants", "invitation_token"),
    ("issuers", "blank_layout"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut columns = [
            // Who issues the festival's invitations (giấy mời).
            integer_null("issuer_id"),
            // `07/GM-UBND`, given once: a reprint carries the same number.
            string_len_null("invitation_number", 40),
            // The date printed on the invitation, fixed when its number is given.
            date_null("invitation_issued_on"),
            // The RSVP token printed on the invitation (its hash is `rsvp_token_hash`): a reprint
            // must show a link that still works, and paper cannot be kept more secret than this.
            string_len_null("invitation_token", 64),
            // JSON positions (mm) of the variable fields when printing on pre-printed blanks.
            text_null("blank_layout"),
        ];
        for ((table, _), column) in ADDED.iter().zip(columns.iter_mut()) {
            manager.alter_table(Table::alter().table(*table).add_column(column).to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table("jobs")
                    .col(pk_auto("id"))
                    .col(string_len("kind", 24))
                    .col(string_len("state", 10))
                    .col(integer_null("festival_id"))
                    .col(integer_null("decision_id"))
                    // What the job was asked to do, JSON.
                    .col(text("params"))
                    .col(integer("total").default(0))
                    .col(integer("done").default(0))
                    .col(integer("failed").default(0))
                    .col(integer("withheld").default(0))
                    .col(text_null("error"))
                    // A running job whose lease ran out was left by a crashed instance.
                    .col(timestamp_with_time_zone_null("lease_until"))
                    .col(integer_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("finished_at"))
                    .to_owned(),
            )
            .await?;
        index(manager, "jobs", &["state", "lease_until"]).await?;

        // Kept in the database, not on one instance's disk: any instance can serve the download.
        manager
            .create_table(
                Table::create()
                    .table("job_files")
                    .col(integer("job_id").primary_key())
                    .col(string_len("file_name", 200))
                    .col(string_len("content_type", 100))
                    .col(blob("content"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("job_files", "job_id")
                            .to("jobs", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("job_files").to_owned()).await?;
        manager.drop_table(Table::drop().table("jobs").to_owned()).await?;
        for (table, column) in ADDED {
            manager.alter_table(Table::alter().table(table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
