//! The server under the router: it accepts connections up to a cap, and gives every request's
//! head, every request's body and every idle connection a deadline, so that slow and idle
//! clients cannot lock others out (issue 24).
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

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use hyper::body::{Bytes, Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::{Instant, Sleep};
use tower::ServiceExt as _;

use crate::config::Connections;

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

/// What one connection is doing, as its socket, its requests and its answers report it.
struct Activity {
    state: Mutex<State>,
    /// Woken when the deadline may have moved earlier.
    changed: Notify,
}

#[derive(Clone, Copy, Debug)]
struct State {
    /// Requests read or being handled: their body and query timeouts bound them.
    requests: usize,
    /// Answers whose body hyper has not yet finished with.
    answers: usize,
    /// When no request or answer is under way: what the connection waits for, since when.
    waiting: Waiting,
    /// When a byte last moved either way.
    last_io: Instant,
}

#[derive(Clone, Copy, Debug)]
enum Waiting {
    /// A request's head, since connecting or since its first byte.
    Head(Instant),
    /// Nothing: the last answer was written then.
    Idle(Instant),
}

impl Activity {
    fn new() -> Self {
        let now = Instant::now();
        Self {
            state: Mutex::new(State {
                requests: 0,
                answers: 0,
                waiting: Waiting::Head(now),
                last_io: now,
            }),
            changed: Notify::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is plain data, consistent after any single assignment.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn state(&self) -> State {
        *self.lock()
    }

    /// When the connection is to be closed; `None` while a request is under way. `full` says
    /// whether a client waits for a slot, when an idle connection gets the header timeout at
    /// most.
    fn deadline(&self, limits: &Connections, full: bool) -> Option<Instant> {
        let state = self.lock();
        if state.requests > 0 {
            None
        } else if state.answers > 0 {
            Some(state.last_io + limits.idle_timeout)
        } else {
            Some(match state.waiting {
                Waiting::Head(since) => since + limits.header_timeout,
                Waiting::Idle(since) if full => {
                    since + limits.idle_timeout.min(limits.header_timeout)
                }
                Waiting::Idle(since) => since + limits.idle_timeout,
            })
        }
    }

    fn is_idle(&self) -> bool {
        let state = self.lock();
        state.requests == 0 && state.answers == 0 && matches!(state.waiting, Waiting::Idle(_))
    }

    fn read(&self) {
        let now = Instant::now();
        let mut state = self.lock();
        state.last_io = now;
        if state.requests == 0 && state.answers == 0 && matches!(state.waiting, Waiting::Idle(_)) {
            // The first byte of the next head: from now on, the header deadline.
            state.waiting = Waiting::Head(now);
            drop(state);
            self.changed.notify_one();
        }
    }

    fn wrote(&self) {
        self.lock().last_io = Instant::now();
    }
}

/// Counts a request as under way until dropped.
struct RequestUnderWay(Arc<Activity>);

impl RequestUnderWay {
    fn new(activity: Arc<Activity>) -> Self {
        activity.lock().requests += 1;
        Self(activity)
    }
}

impl Drop for RequestUnderWay {
    fn drop(&mut self) {
        self.0.lock().requests -= 1;
        self.0.changed.notify_one();
    }
}

/// Counts an answer as being written until hyper drops its body.
struct AnswerUnderWay(Arc<Activity>);

impl AnswerUnderWay {
    fn new(activity: Arc<Activity>) -> Self {
        activity.lock().answers += 1;
        Self(activity)
    }
}

impl Drop for AnswerUnderWay {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.answers -= 1;
        if state.requests == 0 && state.answers == 0 {
            state.waiting = Waiting::Idle(Instant::now());
        }
        drop(state);
        self.0.changed.notify_one();
    }
}

/// The socket, reporting each byte that moves to the connection's [`Activity`].
struct Watched {
    io: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.io).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

/// The router as hyper calls it on one connection: each request's body gets its deadline, and
/// the request and its answer are reported to the connection's [`Activity`].
struct ConnectionService {
    router: Router,
    activity: Arc<Activity>,
    body_timeout: Duration,
}

impl hyper::service::Service<Request<Incoming>> for ConnectionService {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response<Body>, Infallible>> + Send>>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        let under_way = RequestUnderWay::new(Arc::clone(&self.activity));
        let timed_out = Arc::new(AtomicBool::new(false));
        let deadline = Instant::now() + self.body_timeout;
        let request = request.map(|body| DeadlineBody {
            body: Body::new(body),
            deadline,
            sleep: None,
            timed_out: Arc::clone(&timed_out),
        });
        let router = self.router.clone();
        let activity = Arc::clone(&self.activity);
        Box::pin(async move {
            let Ok(mut response) = router.oneshot(request).await;
            // The handler saw its body fail, and answered as it does for a broken body; the
            // client is told what happened instead.
            if timed_out.load(Ordering::Relaxed) {
                response = body_timed_out();
            }
            // Counted as an answer before the request stops counting, so the connection never
            // looks idle in between.
            let answer = AnswerUnderWay::new(activity);
            drop(under_way);
            Ok(response.map(|body| {
                Body::new(Answer {
                    body,
                    _under_way: answer,
                })
            }))
        })
    }
}

/// 408, closing the connection: what is left of the body is not worth waiting for.
fn body_timed_out() -> Response<Body> {
    let mut response = Response::new(Body::from(
        "the request body did not arrive within the body timeout\n",
    ));
    *response.status_mut() = StatusCode::REQUEST_TIMEOUT;
    let headers = response.headers_mut();
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    // As on every answer of the router (see `super::nosniff`).
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// A request body that fails once its deadline passes, for the whole body rather than between
/// its pieces (as tower-http's `RequestBodyTimeout` does), so trickling it does not help. The
/// timer is set only when the body makes a reader wait, so a body already received costs none.
struct DeadlineBody {
    body: Body,
    deadline: Instant,
    sleep: Option<Pin<Box<Sleep>>>,
    timed_out: Arc<AtomicBool>,
}

/// The error a [`DeadlineBody`] fails with.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within the body timeout")]
struct BodyTimedOut;

impl hyper::body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        if this.timed_out.load(Ordering::Relaxed) {
            return Poll::Ready(Some(Err(axum::Error::new(BodyTimedOut))));
        }
        if let Poll::Ready(frame) = Pin::new(&mut this.body).poll_frame(cx) {
            return Poll::Ready(frame);
        }
        let deadline = this.deadline;
        let sleep = this
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        if sleep.as_mut().poll(cx).is_ready() {
            this.timed_out.store(true, Ordering::Relaxed);
            return Poll::Ready(Some(Err(axum::Error::new(BodyTimedOut))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// An answer's body, counted as being written until hyper drops it.
struct Answer {
    body: Body,
    _under_way: AnswerUnderWay,
}

impl hyper::body::Body for Answer {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
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
