//! Connecting to SQLite (the embedded default) or PostgreSQL (production), and migrating.

use std::path::Path;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend};

/// Opens a pool on `url` and brings the schema up to date.
///
/// SQLite runs in WAL mode with a 5 s busy timeout so that concurrent writers wait instead of
/// failing with "database is locked"; its parent folder is created when missing.
/// A PostgreSQL URL may carry `?options=-c search_path=SCHEMA` (tests use one schema each).
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    if let Some(parent) = sqlite_path(url).and_then(|path| Path::new(path).parent()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut options = ConnectOptions::new(url);
    options.sqlx_logging(false).acquire_timeout(Duration::from_secs(10)).map_sqlx_sqlite_opts(|sqlite| {
        sqlite
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true)
    });
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// The secret called `name`, created (64 random bytes, hex) at first use and shared by every
/// app instance on the database, so that what one instance signs another can check.
pub async fn shared_secret(db: &DatabaseConnection, name: &str) -> anyhow::Result<Vec<u8>> {
    use rand::RngCore;
    use sea_orm::{EntityTrait, Set};

    use crate::entities::server_secret;

    let mut fresh = [0u8; 64];
    rand::rng().fill_bytes(&mut fresh);
    // Insert-or-keep, then read: two instances starting together agree on one secret.
    server_secret::Entity::insert(server_secret::ActiveModel {
        name: Set(name.to_owned()),
        value: Set(hex::encode(fresh)),
    })
    .on_conflict_do_nothing_on([server_secret::Column::Name])
    .exec_without_returning(db)
    .await?;
    let stored = server_secret::Entity::find_by_id(name)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("secret {name} missing after insert"))?;
    Ok(hex::decode(stored.value)?)
}

/// `"sqlite"` or `"postgres"`, as `/healthz` reports it.
pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Postgres => "postgres",
        _ => "sqlite",
    }
}

fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

#[cfg(test)]
mod tests {
    use super::sqlite_path;

    #[test]
    fn finds_the_sqlite_file() {
        assert_eq!(sqlite_path("sqlite://data/ngayhoi.db?mode=rwc"), Some("data/ngayhoi.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x@h/db"), None);
    }
}
