//! Keeping a keep-alive connection usable after an answer given before the request's body was read: a path that
//! names no record (400), a method the address does not take (405), a role gate (403), any handler that refuses
//! before reading. Without this, hyper drops the connection under a client still sending the body, and the
//! client's next request on it is lost (probe s9 finding 2; the role gate's case was probe s5 L14).
//!
//! [`keep_connection`] wraps every request body in [`Tracked`], which hands the body back when it is dropped
//! unread; after the answer, a small body (declared at most [`DRAIN_LIMIT`] bytes, arriving within
//! [`DRAIN_WAIT`]) is read and dropped, and any other answer says `Connection: close`, so the client opens a new
//! connection for its next request.

use axum::body::Body;
use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Frame, SizeHint};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

/// Largest body read and dropped after an answer given before it was read.
pub const DRAIN_LIMIT: usize = 64 * 1024;
/// How long the rest of such a body may take to arrive.
pub const DRAIN_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Where an unread body is handed back when its reader drops it.
type Slot = Arc<Mutex<Option<Body>>>;

/// A request body that hands itself back to [`keep_connection`] when dropped before its end.
struct Tracked {
    inner: Option<Body>,
    ended: bool,
    slot: Slot,
}

impl http_body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        let Some(inner) = this.inner.as_mut() else {
            return Poll::Ready(None);
        };
        let polled = Pin::new(inner).poll_frame(cx);
        if matches!(polled, Poll::Ready(None) | Poll::Ready(Some(Err(_)))) {
            this.ended = true;
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.ended
            || match &self.inner {
                None => true,
                Some(b) => http_body::Body::is_end_stream(b),
            }
    }

    fn size_hint(&self) -> SizeHint {
        self.inner
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), http_body::Body::size_hint)
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if self.ended {
            return;
        }
        if let Some(body) = self.inner.take() {
            if !http_body::Body::is_end_stream(&body) {
                if let Ok(mut slot) = self.slot.lock() {
                    *slot = Some(body);
                }
            }
        }
    }
}

/// Middleware: see the module's description.
pub async fn keep_connection(req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let chunked = req.headers().contains_key(header::TRANSFER_ENCODING);
    if !matches!(declared, Some(n) if n > 0) && !chunked {
        return next.run(req).await; // no body: nothing can be left on the connection
    }
    let slot: Slot = Arc::new(Mutex::new(None));
    let (parts, body) = req.into_parts();
    let tracked = Tracked {
        inner: Some(body),
        ended: false,
        slot: slot.clone(),
    };
    let mut resp = next
        .run(Request::from_parts(parts, Body::new(tracked)))
        .await;
    let unread = slot.lock().ok().and_then(|mut s| s.take());
    let Some(rest) = unread else {
        return resp; // read to its end, or still held by work the answer started
    };
    let small = !chunked && declared.is_some_and(|n| n <= DRAIN_LIMIT as u64);
    let drained = small
        && tokio::time::timeout(DRAIN_WAIT, axum::body::to_bytes(rest, DRAIN_LIMIT))
            .await
            .is_ok_and(|r| r.is_ok());
    if !drained {
        resp.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    resp
}
