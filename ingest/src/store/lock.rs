//! One ingest at a time, whoever starts it (the command line, the admin route, another server
//! on the same database): two runs at once would each read what is stored at their start and
//! write over each other, leaving a mix of two snapshots that neither change feed describes.
//!
//! The lock is taken first thing in a run's transaction and held until it commits or rolls
//! back, so it cannot outlive a run, even one killed with `kill -9`:
//!
//! - **PostgreSQL:** a transaction-level advisory lock (`pg_advisory_xact_lock`). The holder
//!   names its run in its session's `application_name`, so a refused run can say which run it
//!   waits for, and when that run's transaction began, from `pg_stat_activity`.
//! - **SQLite:** a file lock on `<database>-ingest.lock` (released by the operating system when
//!   the process ends), which holds the run's number and start in words; and the run's first
//!   statement is a write, so that SQLite's own write lock is taken at the start too, whoever
//!   else writes. An in-memory database has no file, and only SQLite's write lock.
//!
//! A second run fails at once with [`IngestError::Busy`] ("another ingest is running (run 12,
//! started at ...)"), or with [`OnBusy::Wait`] waits for the first to end.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, Statement};
use tokio::time::Instant;

use crate::error::IngestError;

/// What a run does when another run holds the lock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnBusy {
    /// Fail at once, naming the run that holds the lock.
    #[default]
    Fail,
    /// Wait for it to end, then run.
    Wait,
}

/// The advisory lock's key (two `int4`s, so `pg_locks` shows them as `classid` and `objid`):
/// "cg" and 1, the ingest lock.
const PG_KEY: (i32, i32) = (0x6367, 1);

/// The `application_name` prefix of a session holding the lock.
const PG_HOLDER: &str = "caregraph ingest run ";

/// The lock, held while the run lives.
#[derive(Debug)]
pub(super) struct IngestLock {
    /// The SQLite lock file, locked; `None` on PostgreSQL, whose lock belongs to the
    /// transaction, and for an in-memory database.
    file: Option<File>,
}

impl IngestLock {
    /// Takes the lock in `txn`, which must not have run a statement yet.
    ///
    /// # Errors
    /// [`IngestError::Busy`] when another run holds it and `on_busy` is `Fail`; a database or
    /// file error.
    pub(super) async fn take(
        txn: &DatabaseTransaction,
        on_busy: OnBusy,
    ) -> Result<Self, IngestError> {
        match txn.get_database_backend() {
            DbBackend::Postgres => {
                take_postgres(txn, on_busy).await?;
                Ok(Self { file: None })
            }
            _ => {
                let file = match sqlite_file(txn).await? {
                    Some(db) => Some(take_file(&lock_path(&db), on_busy).await?),
                    None => None,
                };
                Ok(Self { file })
            }
        }
    }

    /// Says which run holds the lock, for a run refused it to report.
    ///
    /// # Errors
    /// A database or file error.
    pub(super) async fn announce(
        &mut self,
        txn: &DatabaseTransaction,
        run_id: i64,
        started_at: DateTime<Utc>,
    ) -> Result<(), IngestError> {
        if txn.get_database_backend() == DbBackend::Postgres {
            // Local to the transaction: it is gone when the run ends.
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT set_config('application_name', $1, true)",
                [format!("{PG_HOLDER}{run_id}").into()],
            ))
            .await?;
        }
        if let Some(file) = &mut self.file {
            let words = holder(Some(run_id), Some(started_at));
            let written = file
                .set_len(0)
                .and_then(|()| file.rewind())
                .and_then(|()| file.write_all(words.as_bytes()));
            // The lock holds whether or not its words are written: a refused run then says less.
            if let Err(e) = written {
                tracing::warn!("could not note the run in its lock file: {e}");
            }
        }
        Ok(())
    }
}

/// "run 12, started at 2026-12-03T18:09:03Z", as much of it as is known.
fn holder(run_id: Option<i64>, started_at: Option<DateTime<Utc>>) -> String {
    let started = started_at.map(|t| {
        format!(
            "started at {}",
            t.to_rfc3339_opts(SecondsFormat::Secs, true)
        )
    });
    match (run_id, started) {
        (Some(id), Some(started)) => format!("run {id}, {started}"),
        (Some(id), None) => format!("run {id}"),
        (None, Some(started)) => started,
        (None, None) => "it has just started".to_owned(),
    }
}

/// Tries the PostgreSQL lock; while it is refused and its holder has not named itself (it does
/// so a moment after it takes the lock, once its run has a number) or has just ended, tries
/// again for up to [`NAMING`]'s time.
async fn take_postgres(txn: &DatabaseTransaction, on_busy: OnBusy) -> Result<(), IngestError> {
    let (k1, k2) = PG_KEY;
    let deadline = Instant::now() + NAMING.0;
    let holder = loop {
        let taken = txn
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_try_advisory_xact_lock($1, $2) AS taken",
                [k1.into(), k2.into()],
            ))
            .await?
            .map(|row| row.try_get::<bool>("", "taken"))
            .transpose()?
            .unwrap_or(false);
        if taken {
            return Ok(());
        }
        let (run_id, started) = postgres_holder(txn).await?;
        if run_id.is_some() || Instant::now() >= deadline {
            break holder(run_id, started);
        }
        tokio::time::sleep(NAMING.1).await;
    };
    if on_busy == OnBusy::Fail {
        return Err(IngestError::Busy { holder });
    }
    tracing::info!("another ingest is running ({holder}): waiting for it to end");
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_advisory_xact_lock($1, $2)",
        [k1.into(), k2.into()],
    ))
    .await?;
    Ok(())
}

/// How long a refused run gives the holder to name itself, and how often it looks.
const NAMING: (Duration, Duration) = (Duration::from_secs(2), Duration::from_millis(25));

/// The run holding the PostgreSQL lock and when its transaction began, from the holder's
/// session, as far as it is known (nothing when the holder has just ended).
async fn postgres_holder(
    txn: &DatabaseTransaction,
) -> Result<(Option<i64>, Option<DateTime<Utc>>), DbErr> {
    let (k1, k2) = PG_KEY;
    let row = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT a.application_name AS name, a.xact_start AS started \
             FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 \
               AND l.classid = $1::int4::oid AND l.objid = $2::int4::oid \
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [k1.into(), k2.into()],
        ))
        .await?;
    let (name, started) = match row {
        Some(row) => (
            row.try_get::<Option<String>>("", "name")?,
            row.try_get::<Option<DateTime<Utc>>>("", "started")?,
        ),
        None => (None, None),
    };
    let run_id = name
        .as_deref()
        .and_then(|n| n.strip_prefix(PG_HOLDER))
        .and_then(|n| n.parse().ok());
    Ok((run_id, started))
}

/// The file of a SQLite database, `None` for an in-memory one.
///
/// # Errors
/// A database error.
pub(crate) async fn sqlite_file(db: &impl ConnectionTrait) -> Result<Option<PathBuf>, DbErr> {
    let file: String = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT file FROM pragma_database_list WHERE name = 'main'",
        ))
        .await?
        .map(|row| row.try_get("", "file"))
        .transpose()?
        .unwrap_or_default();
    Ok((!file.is_empty()).then(|| PathBuf::from(file)))
}

/// The lock file beside a SQLite database.
fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push("-ingest.lock");
    PathBuf::from(name)
}

async fn take_file(path: &Path, on_busy: OnBusy) -> Result<File, IngestError> {
    let io = |source| IngestError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(io)?;
    // While the lock is refused and its holder has not written its words (it does so a moment
    // after it takes the lock), or has just let go, try again for up to NAMING's time.
    let deadline = Instant::now() + NAMING.0;
    let holder = loop {
        match file.try_lock() {
            Ok(()) => {
                // The words of the run before are gone the moment this one holds the lock.
                file.set_len(0).map_err(io)?;
                return Ok(file);
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
            Err(TryLockError::WouldBlock) => {}
        }
        let mut words = String::new();
        let read = file.rewind().and_then(|()| file.read_to_string(&mut words));
        match words.trim() {
            "" if read.is_ok() && Instant::now() < deadline => {
                tokio::time::sleep(NAMING.1).await;
            }
            "" => break holder(None, None),
            words => break words.to_owned(),
        }
    };
    if on_busy == OnBusy::Fail {
        return Err(IngestError::Busy { holder });
    }
    tracing::info!("another ingest is running ({holder}): waiting for it to end");
    tokio::task::spawn_blocking(move || file.lock().and_then(|()| file.set_len(0)).map(|()| file))
        .await
        .map_err(|e| io(std::io::Error::other(e)))?
        .map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_holder_is_named_by_what_is_known_of_it() {
        let t = DateTime::parse_from_rfc3339("2026-12-03T18:09:03Z")
            .map(|t| t.with_timezone(&Utc))
            .ok();
        assert_eq!(
            holder(Some(12), t),
            "run 12, started at 2026-12-03T18:09:03Z"
        );
        assert_eq!(holder(None, t), "started at 2026-12-03T18:09:03Z");
        assert_eq!(holder(None, None), "it has just started");
    }

    #[tokio::test]
    async fn a_second_file_lock_is_refused_naming_the_first_and_a_waiter_gets_it_after() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = lock_path(&dir.path().join("x.db"));
        let mut first = take_file(&path, OnBusy::Fail)
            .await
            .expect("the first takes it");
        first
            .write_all(b"run 7, started at 2026-12-03T18:09:03Z")
            .expect("write");
        match take_file(&path, OnBusy::Fail).await {
            Err(e) => assert_eq!(
                e.to_string(),
                "another ingest is running (run 7, started at 2026-12-03T18:09:03Z)"
            ),
            Ok(_) => panic!("a second lock was granted while the first was held"),
        }
        let waiting = path.clone();
        let waiter = tokio::spawn(async move { take_file(&waiting, OnBusy::Wait).await });
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert!(
            !waiter.is_finished(),
            "the waiter got the lock while it was held"
        );
        drop(first);
        let got = tokio::time::timeout(std::time::Duration::from_secs(5), waiter)
            .await
            .expect("the waiter gets the lock once the first lets go")
            .expect("join");
        assert!(got.is_ok());
    }
}
