//! The router as hyper calls it on one connection, and the bodies that keep a request's body
//! deadline and report an answer's end.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use hyper::body::{Bytes, Frame, Incoming, SizeHint};
use tokio::time::{Instant, Sleep};
use tower::ServiceExt as _;

use super::activity::{Activity, AnswerUnderWay, RequestUnderWay};

/// The router as hyper calls it on one connection: each request's body gets its deadline, and
/// the request and its answer are reported to the connection's [`Activity`].
pub(super) struct ConnectionService {
    pub(super) router: Router,
    pub(super) activity: Arc<Activity>,
    pub(super) body_timeout: Duration,
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
