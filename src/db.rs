//! Opening the database: SQLite (embedded, the default) or PostgreSQL, migrated on connect.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};

/// Connects to `url` and brings its schema up to date.
///
/// # Errors
/// An unreachable database, a URL of an unsupported backend, or a failed migration.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let db = connect_only(url).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// Connects to `url` without touching its schema.
///
/// A SQLite URL creates its file when missing (`mode=rwc` is added unless the URL sets a mode),
/// and the connection is put in WAL mode, so readers keep reading while an ingest writes.
///
/// # Errors
/// An unreachable database or a URL of an unsupported backend.
pub async fn connect_only(url: &str) -> Result<DatabaseConnection, DbErr> {
    let url = sqlite_url_with_create(url);
    let mut options = ConnectOptions::new(url.clone());
    options
        .max_connections(16)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    let db = Database::connect(options).await?;
    if db.get_database_backend() == DbBackend::Sqlite {
        // WAL is a property of the file, so setting it once covers every pooled connection;
        // sqlx already gives each connection a busy timeout and foreign-key enforcement.
        db.execute_unprepared("PRAGMA journal_mode = WAL").await?;
    }
    Ok(db)
}

fn sqlite_url_with_create(url: &str) -> String {
    if url.starts_with("sqlite:") && !url.contains("mode=") && !url.contains(":memory:") {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}mode=rwc")
    } else {
        url.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_create_their_file_unless_told_otherwise() {
        assert_eq!(
            sqlite_url_with_create("sqlite://a.db"),
            "sqlite://a.db?mode=rwc"
        );
        assert_eq!(
            sqlite_url_with_create("sqlite://a.db?x=1"),
            "sqlite://a.db?x=1&mode=rwc"
        );
        assert_eq!(
            sqlite_url_with_create("sqlite://a.db?mode=ro"),
            "sqlite://a.db?mode=ro"
        );
        assert_eq!(sqlite_url_with_create("postgres://h/db"), "postgres://h/db");
    }
}
