//! Identical reads in flight at the same time run once.
//!
//! A root connection (`commitments`, `documents`, ...) is read by a statement of its own for
//! every request: it has no parent whose keys a loader could batch. When many clients ask for
//! the same page at once (a dashboard's first page, on every screen), each of them would send
//! the same statement. [`InFlight`] lets the first one run it and the others wait for its
//! answer instead.
//!
//! What a request that joins a read gets is the answer it would have had had it arrived a
//! moment earlier. Where that is not good enough, it says so: a request that will be cached
//! under the dataset version it saw (a GET) joins only reads that started after it arrived
//! ([`Arrived`]), so an answer read before an ingest committed is never cached as the new
//! version's; and an ingest by this process makes every read under way unjoinable
//! ([`InFlight::forget`]). Nothing is kept once a read has answered, so this is not a cache.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use async_graphql::futures_util::future::{BoxFuture, FutureExt, Shared};
use sea_orm::{DbErr, Statement, Value};

type Answer = Result<Arc<dyn Any + Send + Sync>, Arc<DbErr>>;

/// A read under way.
struct Flight {
    /// When it was started: taken before its task is spawned, so no later than its
    /// statement was sent, and a request that arrived before this instant may not join.
    started: Instant,
    /// Which read it is, so that a finished read removes only its own entry.
    id: u64,
    answer: Shared<BoxFuture<'static, Answer>>,
}

/// A read: the statement and the type it is read into.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    ty: TypeId,
    sql: String,
    values: Vec<Value>,
}

#[derive(Default)]
struct Flights {
    by_key: HashMap<Key, Flight>,
    /// The id of the last read started.
    last_id: u64,
}

/// The reads under way, by statement. Cheap to clone; clones share the reads.
#[derive(Clone, Default)]
pub struct InFlight {
    flights: Arc<Mutex<Flights>>,
    /// Switched off: every read runs on its own (to measure what sharing is worth).
    unshared: bool,
}

/// When a request arrived, as request data: it may share only reads started since.
#[derive(Clone, Copy, Debug)]
pub struct Arrived(pub Instant);

fn lock(flights: &Mutex<Flights>) -> MutexGuard<'_, Flights> {
    // A panic while the lock was held cannot leave the map half-changed (insert and remove
    // are whole), so a poisoned lock is still a good one.
    flights.lock().unwrap_or_else(PoisonError::into_inner)
}

impl InFlight {
    /// Reads under way shared when `shared`; otherwise every read runs on its own.
    pub fn new(shared: bool) -> Self {
        Self {
            unshared: !shared,
            ..Self::default()
        }
    }

    /// The answer of `read`, which runs `statement` and reads it into a `T`, or of the same
    /// read already under way (if `since` is given, one that started at or after it).
    ///
    /// The read runs in a task of its own, so it finishes (and leaves the map) even when every
    /// request waiting for it has gone, e.g. stopped at the time limit.
    ///
    /// # Errors
    /// The read's database error, shared by every request that waited for it.
    pub async fn read<T, F>(
        &self,
        statement: &Statement,
        since: Option<Instant>,
        read: F,
    ) -> Result<Arc<T>, Arc<DbErr>>
    where
        T: Any + Send + Sync,
        F: Future<Output = Result<T, DbErr>> + Send + 'static,
    {
        let values = statement
            .values
            .as_ref()
            .map(|v| v.0.clone())
            .unwrap_or_default();
        self.read_named(&statement.sql, values, since, read).await
    }

    /// [`read`](Self::read) for a read of several statements, named by `name` (which no SQL
    /// text is) and its arguments.
    ///
    /// # Errors
    /// The read's database error, shared by every request that waited for it.
    pub async fn read_named<T, F>(
        &self,
        name: &str,
        values: Vec<Value>,
        since: Option<Instant>,
        read: F,
    ) -> Result<Arc<T>, Arc<DbErr>>
    where
        T: Any + Send + Sync,
        F: Future<Output = Result<T, DbErr>> + Send + 'static,
    {
        if self.unshared {
            return read.await.map(Arc::new).map_err(Arc::new);
        }
        let key = Key {
            ty: TypeId::of::<T>(),
            sql: name.to_owned(),
            values,
        };
        let answer = {
            let mut flights = lock(&self.flights);
            match flights.by_key.get(&key) {
                Some(flight) if since.is_none_or(|t| flight.started >= t) => flight.answer.clone(),
                // None, or one too old for this request: start another, which takes its place.
                _ => {
                    // Before the spawn: the task may run on another thread at once.
                    let started = Instant::now();
                    flights.last_id += 1;
                    let id = flights.last_id;
                    let map = Arc::clone(&self.flights);
                    let done = key.clone();
                    // The task removes its entry when it has the answer; it cannot do so before
                    // the entry is inserted below, since that needs the lock held here.
                    let task = tokio::spawn(async move {
                        let answer: Answer = match read.await {
                            Ok(value) => Ok(Arc::new(value)),
                            Err(e) => Err(Arc::new(e)),
                        };
                        let mut flights = lock(&map);
                        if flights.by_key.get(&done).is_some_and(|f| f.id == id) {
                            flights.by_key.remove(&done);
                        }
                        answer
                    });
                    let answer = async move {
                        task.await.unwrap_or_else(|e| {
                            Err(Arc::new(DbErr::Custom(format!(
                                "a shared read stopped: {e}"
                            ))))
                        })
                    }
                    .boxed()
                    .shared();
                    let flight = Flight {
                        started,
                        id,
                        answer: answer.clone(),
                    };
                    flights.by_key.insert(key, flight);
                    answer
                }
            }
        };
        answer.await?.downcast::<T>().map_err(|_| {
            // The key holds the type, so another type under it is a bug of ours.
            Arc::new(DbErr::Custom(
                "a shared read answered another type".to_owned(),
            ))
        })
    }

    /// Makes the reads under way unjoinable (they still answer the requests that joined them):
    /// after an ingest, a request must read what it committed.
    pub fn forget(&self) {
        lock(&self.flights).by_key.clear();
    }

    /// How many reads are under way (and joinable).
    pub fn len(&self) -> usize {
        lock(&self.flights).by_key.len()
    }

    /// Whether no read is under way.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::DbBackend;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::sync::Notify;

    fn statement(sql: &str, n: i64) -> Statement {
        Statement::from_sql_and_values(DbBackend::Sqlite, sql, [n.into()])
    }

    /// A read that counts its runs and answers only when `gate` opens.
    fn gated(
        runs: &Arc<AtomicUsize>,
        gate: &Arc<Notify>,
        answer: i64,
    ) -> impl Future<Output = Result<i64, DbErr>> + Send + 'static {
        let (runs, gate) = (Arc::clone(runs), Arc::clone(gate));
        async move {
            runs.fetch_add(1, Ordering::SeqCst);
            gate.notified().await;
            Ok(answer)
        }
    }

    /// Opens `gate` once `n` reads have started, after `check`.
    async fn open_after(runs: &AtomicUsize, n: usize, gate: &Notify, check: impl FnOnce()) {
        while runs.load(Ordering::SeqCst) < n {
            tokio::task::yield_now().await;
        }
        check();
        gate.notify_waiters();
    }

    #[tokio::test]
    async fn reads_of_one_statement_at_once_run_once() {
        let in_flight = InFlight::default();
        let since = Some(Instant::now());
        let runs = Arc::new(AtomicUsize::new(0));
        let gate = Arc::new(Notify::new());
        let same = statement("SELECT ? AS n", 1);
        let other = statement("SELECT ? AS n", 2);
        let reads = async_graphql::futures_util::future::join_all(
            (0..8)
                .map(|_| in_flight.read(&same, since, gated(&runs, &gate, 1)))
                .chain([in_flight.read(&other, since, gated(&runs, &gate, 2))]),
        );
        let open = async {
            // Both reads are under way before either may answer.
            open_after(&runs, 2, &gate, || assert_eq!(in_flight.len(), 2)).await;
        };
        let (answers, ()) = tokio::join!(reads, open);
        let answers: Vec<i64> = answers
            .into_iter()
            .map(|a| *a.expect("an answer"))
            .collect();
        assert_eq!(answers, [1, 1, 1, 1, 1, 1, 1, 1, 2]);
        // Eight reads of one statement and one of another: two runs.
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        assert!(in_flight.is_empty(), "finished reads leave the map");
        // A read after the first has answered runs again: nothing is cached.
        let again = in_flight
            .read(&same, since, async { Ok::<i64, DbErr>(3) })
            .await
            .expect("an answer");
        assert_eq!(*again, 3);
    }

    #[tokio::test]
    async fn an_error_reaches_every_waiting_read_and_is_not_kept() {
        let in_flight = InFlight::default();
        let since = Some(Instant::now());
        let same = statement("SELECT ? AS n", 1);
        let failing = || async { Err::<i64, DbErr>(DbErr::Custom("the database is gone".into())) };
        let (a, b) = tokio::join!(
            in_flight.read(&same, since, failing()),
            in_flight.read(&same, since, failing())
        );
        for answer in [a, b] {
            let e = answer.expect_err("the read failed");
            assert!(e.to_string().contains("the database is gone"), "{e}");
        }
        let later = in_flight
            .read(&same, since, async { Ok::<i64, DbErr>(7) })
            .await;
        assert_eq!(later.map(|v| *v).ok(), Some(7));
    }

    #[tokio::test]
    async fn a_request_does_not_join_a_read_begun_before_it_arrived() {
        let in_flight = InFlight::default();
        let runs = Arc::new(AtomicUsize::new(0));
        let gate = Arc::new(Notify::new());
        let same = statement("SELECT ? AS n", 1);
        let early = in_flight.read(&same, None, gated(&runs, &gate, 1));
        // Registered on its first poll, before the second request arrives.
        let mut early = Box::pin(early);
        assert!(
            early.as_mut().now_or_never().is_none(),
            "the read waits for the gate"
        );
        let arrived = Instant::now();
        let late = in_flight.read(&same, Some(arrived), gated(&runs, &gate, 2));
        let open = open_after(&runs, 2, &gate, || ());
        let (early, late, ()) = tokio::join!(early, late, open);
        // The early read answers its request; the late request read for itself.
        assert_eq!(early.map(|v| *v).ok(), Some(1));
        assert_eq!(late.map(|v| *v).ok(), Some(2));
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        assert!(in_flight.is_empty(), "both reads left the map");
    }

    #[tokio::test]
    async fn after_forget_a_request_reads_for_itself() {
        let in_flight = InFlight::default();
        let runs = Arc::new(AtomicUsize::new(0));
        let gate = Arc::new(Notify::new());
        let same = statement("SELECT ? AS n", 1);
        let mut before = Box::pin(in_flight.read(&same, None, gated(&runs, &gate, 1)));
        assert!(before.as_mut().now_or_never().is_none());
        in_flight.forget();
        assert!(in_flight.is_empty());
        let after = in_flight.read(&same, None, gated(&runs, &gate, 2));
        let open = open_after(&runs, 2, &gate, || ());
        let (before, after, ()) = tokio::join!(before, after, open);
        assert_eq!(before.map(|v| *v).ok(), Some(1));
        assert_eq!(after.map(|v| *v).ok(), Some(2));
        assert!(in_flight.is_empty());
    }

    #[tokio::test]
    async fn unshared_reads_each_run() {
        let reads = InFlight::new(false);
        let runs = Arc::new(AtomicUsize::new(0));
        let gate = Arc::new(Notify::new());
        let same = statement("SELECT ?", 1);
        let a = reads.read(&same, None, gated(&runs, &gate, 7));
        let b = reads.read(&same, None, gated(&runs, &gate, 7));
        let opener = async {
            while runs.load(Ordering::SeqCst) < 2 {
                tokio::task::yield_now().await;
            }
            gate.notify_waiters();
        };
        let (a, b, ()) = tokio::join!(a, b, opener);
        assert_eq!((*a.expect("a"), *b.expect("b")), (7, 7));
        assert_eq!(runs.load(Ordering::SeqCst), 2, "each read ran");
        assert!(reads.is_empty());
    }
}
