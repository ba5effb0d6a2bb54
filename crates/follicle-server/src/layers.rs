//! The one layer stack every response passes through (API, printable documents and the studio UI), built
//! from tower-http: request tracing (method and path only: queries can hold client names), security headers,
//! `Cache-Control: no-store` on personal data, gzip/brotli compression, a request timeout, panics answered as
//! a JSON 500, an address-length limit, a body left unread drained or the connection closed (`crate::unread`),
//! and every error (a 404 under /ui, a 405, a timeout) in the one JSON
//! shape of [`crate::error`].

use crate::error::ApiError;
use crate::Settings;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::any::Any;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tower_http::CompressionLevel;
use tracing::Level;

/// Longest request target (path and query) accepted, in bytes; longer ones get a JSON 414. (Beyond 64 KiB the
/// HTTP parser itself answers 414 before any of this code runs.)
pub const MAX_URI: usize = 8 * 1024;

/// Content-Security-Policy of responses that bring none of their own (JSON, the passport page): nothing is
/// loaded but the page's own inline style and same-origin images; framed only by the studio itself.
pub const DEFAULT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

/// Wraps a router (the API, or the API merged with the UI) in the layer stack.
pub fn foundations(app: Router, settings: &Settings) -> Router {
    let stack = ServiceBuilder::new()
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| tracing::info_span!("request", method = %req.method(), path = %req.uri().path()))
                .on_response(DefaultOnResponse::new().level(Level::INFO))
                .on_failure(DefaultOnFailure::new().level(Level::ERROR)),
        )
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN")))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DEFAULT_CSP)))
        .layer(middleware::from_fn(no_store))
        // The fastest level: a 4 MB plan.json still shrinks about 8× on a clinic's network, at a fraction of the
        // CPU the default levels take per request (brotli's default is far slower still). Zip archives are
        // compressed already (and their photos do not shrink): they stream as they are.
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .br(true)
                .no_deflate()
                .no_zstd()
                .quality(CompressionLevel::Fastest)
                .compress_when(DefaultPredicate::new().and(NotForContentType::const_new("application/zip"))),
        )
        .layer(middleware::from_fn(json_errors))
        // An answer given before the body was read keeps the keep-alive connection usable (crate::unread).
        .layer(middleware::from_fn(crate::unread::keep_connection))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, settings.request_timeout))
        .layer(CatchPanicLayer::custom(panic_response));
    app.layer(stack)
}

/// Whether a path answers with personal data (every API route but the health check and the API description).
pub fn personal(path: &str) -> bool {
    path.starts_with("/api/") && !matches!(path, "/api/health" | "/api/openapi.json")
}

/// `Cache-Control: no-store` on every personal-data response (replacing any shorter-lived cache hint).
async fn no_store(req: Request, next: Next) -> Response {
    let personal = personal(req.uri().path());
    let mut resp = next.run(req).await;
    if personal {
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// Refuses over-long addresses, and rewrites any error response that is not already JSON (the UI's 404, a
/// timeout, an unknown method) into the one JSON error shape, keeping its status and headers.
async fn json_errors(req: Request, next: Next) -> Response {
    if req.uri().to_string().len() > MAX_URI {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!("the address is too long (at most {MAX_URI} characters)"),
        )
        .into_response();
    }
    let ui = req.uri().path().starts_with("/ui/") || req.uri().path() == "/";
    let resp = next.run(req).await;
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return resp;
    }
    let message = match status {
        StatusCode::NOT_FOUND if ui => "no such file in the studio UI".to_string(),
        StatusCode::NOT_FOUND => "no such page".to_string(),
        StatusCode::METHOD_NOT_ALLOWED => "method not allowed on this address".to_string(),
        StatusCode::REQUEST_TIMEOUT | StatusCode::SERVICE_UNAVAILABLE => {
            // A slow connection (an upload that stalls) times out the same way as a busy studio (outside test
            // s42: a stalled upload was blamed on the studio): both are said.
            "the request took too long: the connection may be slow (a large photo on a weak network) or the studio busy; try again".to_string()
        }
        StatusCode::PAYLOAD_TOO_LARGE => "the request is too large".to_string(),
        s => s.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    let (parts, _) = resp.into_parts();
    let mut out = ApiError::new(status, message).into_response();
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            out.headers_mut().append(name, value.clone());
        }
    }
    out
}

/// A panic in a handler: logged, answered as a JSON 500 without its detail.
fn panic_response(err: Box<dyn Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    ApiError::internal(format!("a handler panicked: {detail}")).into_response()
}
