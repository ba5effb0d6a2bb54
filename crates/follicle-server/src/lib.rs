//! The studio server: an authenticated HTTP JSON API (axum) over [`follicle_store::Store`]. Planning, case
//! parsing, plan.json, screening, lots, consents, schedules and passports all come from the library crates;
//! this crate only checks access, moves JSON, and calls them. Every route is listed once in
//! [`routes::table`], from which the router is built and against which the OpenAPI description is tested.

pub mod auth;
pub mod error;
pub mod layers;
pub mod media;
pub mod report;
pub mod routes;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use error::ApiError;
use follicle_store::{PhotoStore, Store, StoreError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The hand-written OpenAPI 3.1 description, served at /api/openapi.json.
pub const OPENAPI_JSON: &str = include_str!("openapi.json");

/// Largest JSON or text body accepted (a case file, an intake).
pub const BODY_LIMIT: usize = 1024 * 1024;
/// Largest photo upload accepted.
pub const PHOTO_LIMIT: usize = 10 * 1024 * 1024;
/// Room for a multipart form's boundaries, part headers and caption around a photo of [`PHOTO_LIMIT`] bytes.
pub const MULTIPART_OVERHEAD: usize = 64 * 1024;

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies Secure (set when the studio is served over HTTPS, e.g. behind a TLS reverse proxy).
    pub secure_cookies: bool,
    /// Failed logins allowed per user name or address in `login_window`.
    pub login_failures: usize,
    /// The login rate-limit window.
    pub login_window: Duration,
    /// How long a request may take before it is answered 503 (planning a large case takes seconds).
    pub request_timeout: Duration,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { secure_cookies: false, login_failures: 5, login_window: Duration::from_secs(300), request_timeout: Duration::from_secs(60) }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The records.
    pub store: Arc<dyn Store>,
    /// The photo files.
    pub photos: PhotoStore,
    /// Behaviour.
    pub settings: Arc<Settings>,
    /// The one-time set-up token while the studio has no user.
    pub setup_token: Arc<Mutex<Option<String>>>,
    /// Failed-login counter.
    pub limiter: Arc<auth::LoginLimiter>,
}

impl AppState {
    /// State over a store and a photo directory.
    pub fn new(store: Arc<dyn Store>, photos: PhotoStore, settings: Settings) -> AppState {
        let limiter = Arc::new(auth::LoginLimiter::new(settings.login_failures, settings.login_window));
        AppState { store, photos, settings: Arc::new(settings), setup_token: Arc::new(Mutex::new(None)), limiter }
    }

    /// When the studio has no user yet, makes (and returns) the one-time set-up token for POST /api/setup.
    /// Blocking: call it outside async code (or in `spawn_blocking`).
    pub fn arm_setup_token(&self) -> Result<Option<String>, StoreError> {
        if self.store.count_users()? > 0 {
            return Ok(None);
        }
        let t = auth::random_token();
        *self.setup_token.lock().unwrap_or_else(|p| p.into_inner()) = Some(t.clone());
        Ok(Some(t))
    }
}

/// Runs a blocking store call off the async threads.
pub async fn db<T: Send + 'static>(state: &AppState, f: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static) -> Result<T, ApiError> {
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || f(&*store)).await.map_err(ApiError::internal)?.map_err(ApiError::from)
}

/// Runs CPU-heavy work (planning) off the async threads.
pub async fn cpu<T: Send + 'static>(f: impl FnOnce() -> Result<T, ApiError> + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.map_err(ApiError::internal)?
}

/// The API router: every route of [`routes::table`] with JSON 404/405 fallbacks and the body limit, inside the
/// layer stack of [`layers::foundations`].
pub fn router(state: AppState) -> Router {
    let settings = state.settings.clone();
    layers::foundations(api_routes(state), &settings)
}

/// The API merged with another router (the studio's browser UI), all inside one layer stack, so the UI's
/// responses carry the same security headers and its errors the same JSON shape.
pub fn studio(state: AppState, ui: Router) -> Router {
    let settings = state.settings.clone();
    layers::foundations(api_routes(state).merge(ui), &settings)
}

/// The routes of [`routes::table`], each behind its role gate, without the layer stack.
fn api_routes(state: AppState) -> Router {
    let mut r = Router::new();
    for route in routes::table() {
        let access = route.access;
        let handler = match access {
            routes::Access::Public => route.handler,
            _ => route.handler.route_layer(axum::middleware::from_fn_with_state(state.clone(), move |axum::extract::State(st): axum::extract::State<AppState>, req, next| auth::guard(st, access, req, next))),
        };
        r = r.route(route.path, handler);
    }
    r.fallback(|| async { ApiError::not_found("no such endpoint (see /api/openapi.json)") })
        .method_not_allowed_fallback(|| async { ApiError::new(axum::http::StatusCode::METHOD_NOT_ALLOWED, "method not allowed on this endpoint") })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

/// The photo directory that goes with a database URL: `photos/` beside a SQLite file, else `./follicle-data/photos`.
pub fn default_photo_dir(database_url: &str) -> std::path::PathBuf {
    match database_url.strip_prefix("sqlite://").or_else(|| database_url.strip_prefix("sqlite:")) {
        Some(path) => std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new(".")).join("photos"),
        None => std::path::PathBuf::from("follicle-data/photos"),
    }
}

/// Serves the API on a bound listener until Ctrl-C (or SIGTERM), finishing requests in flight.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    serve_app(listener, router(state)).await
}

/// Serves any app built on [`router`] (for example with the studio UI merged in) until Ctrl-C or SIGTERM.
pub async fn serve_app(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    let shutdown = async {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("a SIGTERM handler");
            tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
    };
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
