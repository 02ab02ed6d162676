//! What one connection is doing, as its socket, its requests and its answers report it: the
//! watchdog's view of a connection, from which its deadline follows.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::config::Connections;

/// What one connection is doing, as its socket, its requests and its answers report it.
pub(super) struct Activity {
    state: Mutex<State>,
    /// Woken when the deadline may have moved earlier.
    pub(super) changed: Notify,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct State {
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
    pub(super) fn new() -> Self {
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

    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        // The state is plain data, consistent after any single assignment.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn state(&self) -> State {
        *self.lock()
    }

    /// When the connection is to be closed; `None` while a request is under way. `full` says
    /// whether a client waits for a slot, when an idle connection gets the header timeout at
    /// most.
    pub(super) fn deadline(&self, limits: &Connections, full: bool) -> Option<Instant> {
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

    pub(super) fn is_idle(&self) -> bool {
        let state = self.lock();
        state.requests == 0 && state.answers == 0 && matches!(state.waiting, Waiting::Idle(_))
    }

    pub(super) fn read(&self) {
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

    pub(super) fn wrote(&self) {
        self.lock().last_io = Instant::now();
    }
}

/// Counts a request as under way until dropped.
pub(super) struct RequestUnderWay(Arc<Activity>);

impl RequestUnderWay {
    pub(super) fn new(activity: Arc<Activity>) -> Self {
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
pub(super) struct AnswerUnderWay(Arc<Activity>);

impl AnswerUnderWay {
    pub(super) fn new(activity: Arc<Activity>) -> Self {
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
pub(super) struct Watched {
    pub(super) io: TcpStream,
    pub(super) activity: Arc<Activity>,
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
