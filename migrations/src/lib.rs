//! Database migrations of ngayhoi, one file per change. A migration never changes after it lands.

pub use sea_orm_migration::prelude::*;

mod indexes;
mod m20261129_000001_foundation;
mod m20261129_000002_accounts;
mod m20261129_000003_participants;
mod m20261129_000004_commendation;
mod m20261129_000005_issuer_symbols;
mod m20261129_000006_documents;
mod m20261129_000007_mail;
mod m20261129_000008_festival_reports;
mod m20261129_000009_search_keys;
mod m20261130_000010_message_id_index;

/// Applies every migration in order; `App::build` runs it at start.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_foundation::Migration),
            Box::new(m20261129_000002_accounts::Migration),
            Box::new(m20261129_000003_participants::Migration),
            Box::new(m20261129_000004_commendation::Migration),
            Box::new(m20261129_000005_issuer_symbols::Migration),
            Box::new(m20261129_000006_documents::Migration),
            Box::new(m20261129_000007_mail::Migration),
            Box::new(m20261129_000008_festival_reports::Migration),
            Box::new(m20261129_000009_search_keys::Migration),
            Box::new(m20261130_000010_message_id_index::Migration),
        ]
    }
}
