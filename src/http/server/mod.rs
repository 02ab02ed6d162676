//! The server under the router: it accepts connections up to a cap, and gives every request's
//! head, every request's body and every idle connection a deadline, so that slow and idle
//! clients cannot lock others out.
//!
//! `axum::serve` has none of these. hyper's own `header_read_timeout` starts its clock again as
//! soon as a response is written, so it would close kept-alive connections at the header timeout
//! and leave no room for a longer idle one. Instead one watchdog per connection keeps every
//! deadline, from what the connection is doing:
//!
//! - **waiting for a head**: closed `header_timeout` after it connected, or after the first byte
//!   of a head on a kept-alive connection. Trickling bytes does not move the deadline, which is
//!   what a slowloris client relies on elsewhere;
//! - **handling a request**: its body must arrive whole within `body_timeout` of its head, or the
//!   request is answered 408 and the connection closed ([`DeadlineBody`]); the query timeout
//!   bounds the handler;
//! - **writing a response**: closed when no byte has moved for `idle_timeout`, so a client that
//!   does not read its answer is let go too;
//! - **idle between requests**: closed after `idle_timeout`; while a new client waits for a
//!   slot, after the header timeout at most, so an idle client gives way to new ones as soon as
//!   a slow one would.
//!
//! At most `max_connections` connections are served at once. Past it, the next one is accepted
//! and waits for a slot (its wait is what tells idle connections to give way), and the ones
//! after it wait in the kernel's listen backlog; connections already served go on as before,
//! and the slow and idle ones among them free their slots at their deadlines. An accept
//! that fails (out of file descriptors, say) is logged and retried after a short pause that
//! grows while it keeps failing. On shutdown the listener closes, idle connections close, and
//! requests under way are answered before their connections close.
//!
//! HTTP/1.1 only, as `axum::serve` was with the features this crate enables.
//!
//! # Layout
//! - this file: the accept loop, the cap, and each connection's watchdog;
//! - [`activity`]: what a connection is doing (its requests, answers and bytes), whence its
//!   deadline;
//! - [`service`]: the router as hyper calls it, and the bodies that keep a request's body
//!   deadline and report an answer's end.

mod activity;
mod service;

use std::future::Future;
use std::io;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::Instant;

use crate::config::Connections;

use activity::{Activity, Watched};
use service::ConnectionService;

/// The first pause after a failed accept; it doubles while accepts keep failing.
const ACCEPT_PAUSE_MIN: Duration = Duration::from_millis(10);
/// The longest pause after a failed accept: long enough not to spin while the process is out
/// of file descriptors, short enough to resume soon after connections close.
const ACCEPT_PAUSE_MAX: Duration = Duration::from_secs(1);
/// The least time between two warnings that the connection cap is reached.
const CAP_WARNING_INTERVAL: Duration = Duration::from_secs(60);

/// Serves `router` on `listener` within `limits` until `shutdown` completes, then stops
/// accepting and waits for every open connection to close (idle ones at once, the others once
/// their request is answered). A failed accept is logged and retried, never returned.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Connections,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections as usize));
    // Whether a client waits for a slot: idle connections watch it to give way.
    let (full, _) = watch::channel(false);
    let (stop, _) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    let mut pause = ACCEPT_PAUSE_MIN;
    let mut warned_full: Option<Instant> = None;
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let stream = match accepted {
            Ok((stream, _peer)) => {
                pause = ACCEPT_PAUSE_MIN;
                stream
            }
            // The client gave up before it was accepted: nothing to wait for.
            Err(e) if is_connection_error(&e) => {
                tracing::debug!(error = %e, "a connection closed before it was accepted");
                continue;
            }
            Err(e) => {
                tracing::warn!(
                    error = %e,
                    pause_ms = u64::try_from(pause.as_millis()).unwrap_or(u64::MAX),
                    "accepting a connection failed; retrying after a pause"
                );
                tokio::select! {
                    () = tokio::time::sleep(pause) => {}
                    () = &mut shutdown => break,
                }
                pause = (pause * 2).min(ACCEPT_PAUSE_MAX);
                continue;
            }
        };
        let slot = match Arc::clone(&slots).try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                // A client waits for a slot: idle connections give way until it has one.
                full.send_if_modified(|f| !std::mem::replace(f, true));
                if warned_full.is_none_or(|at| at.elapsed() >= CAP_WARNING_INTERVAL) {
                    warned_full = Some(Instant::now());
                    tracing::warn!(
                        max_connections = limits.max_connections,
                        "connection cap reached: new connections wait for a slot"
                    );
                }
                let slot = tokio::select! {
                    slot = Arc::clone(&slots).acquire_owned() => slot,
                    () = &mut shutdown => break,
                };
                full.send_if_modified(|f| std::mem::replace(f, false));
                match slot {
                    Ok(slot) => slot,
                    // The semaphore is never closed.
                    Err(_) => break,
                }
            }
        };
        let watch = Watch {
            limits,
            full: full.subscribe(),
            stop: stop.subscribe(),
        };
        tokio::spawn(connection(stream, router.clone(), watch, slot));
    }
    // New connections are refused from here on.
    drop(listener);
    stop.send_replace(true);
    // Every connection holds a slot until it closes, so holding them all means all have closed.
    let _all = slots.acquire_many(limits.max_connections).await;
}

/// Errors of one connection that failed before it was accepted, after which accepting again at
/// once is right (as hyper's and axum's servers do).
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// What a connection's watchdog needs from the server.
struct Watch {
    limits: Connections,
    /// Whether a client waits for a slot.
    full: watch::Receiver<bool>,
    /// Whether the server is shutting down.
    stop: watch::Receiver<bool>,
}

/// Serves one connection until it ends, its deadline passes, or the server shuts down.
async fn connection(
    stream: TcpStream,
    router: Router,
    mut watch: Watch,
    slot: OwnedSemaphorePermit,
) {
    // Answers are written whole; waiting to coalesce them with more only adds latency.
    if let Err(e) = stream.set_nodelay(true) {
        tracing::debug!(error = %e, "cannot set TCP_NODELAY");
    }
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        io: stream,
        activity: Arc::clone(&activity),
    });
    let service = ConnectionService {
        router,
        activity: Arc::clone(&activity),
        body_timeout: watch.limits.body_timeout,
    };
    let mut builder = http1::Builder::new();
    // The watchdog below keeps the header deadline (see the module doc).
    builder.header_read_timeout(None);
    let mut conn = pin!(builder.serve_connection(io, service));
    let mut stopping = false;
    let mut full_open = true;
    loop {
        let full = *watch.full.borrow_and_update();
        let deadline = activity.deadline(&watch.limits, full);
        let idle = activity.is_idle();
        tokio::select! {
            ended = conn.as_mut() => {
                if let Err(e) = ended {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                break;
            }
            () = sleep_until(deadline) => {
                // The connection may have moved on while the timer ran.
                let full = *watch.full.borrow();
                if activity.deadline(&watch.limits, full).is_some_and(|d| d <= Instant::now()) {
                    tracing::debug!(state = ?activity.state(), full, "closing a slow or idle connection");
                    break;
                }
            }
            () = activity.changed.notified() => {}
            changed = watch.full.changed(), if idle && full_open => {
                full_open = changed.is_ok();
            }
            _ = watch.stop.changed(), if !stopping => {
                // The server is stopping (or gone): answer what is under way, then close.
                stopping = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
    drop(slot);
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Raises the soft limit on open files to the hard limit, logs the result, and returns the limit
/// now in force (`None` where there is none to read). Every connection is a file, so a soft
/// limit left at its common default of 1,024 would fail accepts long before the hard limit.
pub fn raise_open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let before = rlimit::Resource::NOFILE.get().map(|(soft, _)| soft);
        match rlimit::increase_nofile_limit(u64::MAX) {
            Ok(now) => {
                match before {
                    Ok(before) if before < now => tracing::info!(
                        open_files.before = before,
                        open_files = now,
                        "raised the open-file limit to the hard limit"
                    ),
                    _ => tracing::info!(
                        open_files = now,
                        "the open-file limit is already the hard limit"
                    ),
                }
                Some(now)
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot raise the open-file limit");
                before.ok()
            }
        }
    }
    #[cfg(not(unix))]
    {
        None
    }
}
