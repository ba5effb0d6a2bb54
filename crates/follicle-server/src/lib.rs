//! The studio server: an authenticated HTTP JSON API (axum) over [`follicle_store::Store`]. Planning, case
//! parsing, plan.json, screening, lots, consents, schedules and passports all come from the library crates;
//! this crate only checks access, moves JSON, and calls them. Every route is listed once in
//! [`routes::table`], from which the router is built and against which the OpenAPI description is tested.

pub mod arenas;
pub mod auth;
pub mod client_docs;
pub mod device;
pub mod error;
pub mod followed;
pub mod layers;
pub mod letter;
pub mod look;
pub mod media;
pub mod report;
pub mod routes;
pub mod throttle;
pub mod unique;
pub mod unread;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use error::ApiError;
use follicle_store::{PhotoStore, Store, StoreError};
use std::sync::Arc;
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
    /// How failed logins are slowed down (counters in the database, shared by every server process).
    pub throttle: auth::Throttle,
    /// Reverse proxies (addresses or networks) whose `X-Forwarded-For` names the client; empty (the default):
    /// the TCP peer is the client and the header is ignored.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// How long a request may take before it is answered 503 (planning a large case takes seconds).
    pub request_timeout: Duration,
    /// The time zone (`--tz`) given to clinics made without one: by `serve --init`/`--add-clinic`, the set-up
    /// route, or before the zone was stored with the clinic. Requests use the clinic's stored zone.
    pub zone: follicle_clinic::ClinicZone,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            secure_cookies: false,
            throttle: auth::Throttle::default(),
            trusted_proxies: Vec::new(),
            request_timeout: Duration::from_secs(60),
            zone: follicle_clinic::ClinicZone::utc(),
        }
    }
}

/// How long a set-up token printed at start stays valid.
pub const SETUP_TOKEN_SECONDS: i64 = 3600;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The records.
    pub store: Arc<dyn Store>,
    /// The photo bytes (files for SQLite, the database for PostgreSQL).
    pub photos: PhotoStore,
    /// Behaviour.
    pub settings: Arc<Settings>,
}

impl AppState {
    /// State over a store and a photo directory.
    pub fn new(store: Arc<dyn Store>, photos: PhotoStore, settings: Settings) -> AppState {
        AppState {
            store,
            photos,
            settings: Arc::new(settings),
        }
    }

    /// When the studio has no user yet, makes (and returns) a one-time set-up token for POST /api/setup, valid for
    /// [`SETUP_TOKEN_SECONDS`]. Only its SHA-256 is stored, in the database, so any server process accepts it once.
    /// Blocking: call it outside async code (or in `spawn_blocking`).
    pub fn arm_setup_token(&self) -> Result<Option<String>, StoreError> {
        if self.store.count_users()? > 0 {
            return Ok(None);
        }
        let t = auth::random_token();
        self.store.add_setup_token(
            &follicle_store::sha256_hex(t.as_bytes()),
            follicle_store::now_unix() + SETUP_TOKEN_SECONDS,
        )?;
        Ok(Some(t))
    }
}

/// How long a request waits for the database before it is answered 503: a database that hangs instead of
/// closing its connections (a frozen host, a network partition) otherwise holds every request until the request
/// timeout (probe s7 N19). Generous, so that a slow but working database is never cut off.
pub const DB_ANSWER_SECONDS: u64 = 30;

/// Runs a blocking store call off the async threads, answering 503 when the database does not answer within
/// [`DB_ANSWER_SECONDS`] (the call may still finish: a write may be stored, and the answer says so).
pub async fn db<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    db_within(state, std::time::Duration::from_secs(DB_ANSWER_SECONDS), f).await
}

/// [`db`] with another time limit (the health check's is short: a load balancer gives up within seconds).
pub async fn db_within<T: Send + 'static>(
    state: &AppState,
    limit: std::time::Duration,
    f: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    let store = state.store.clone();
    match tokio::time::timeout(limit, tokio::task::spawn_blocking(move || f(&*store))).await {
        Err(_) => {
            tracing::warn!("the database did not answer within {} s", limit.as_secs());
            Err(ApiError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "The studio's database did not answer in time. If you were saving something, reload the page and check whether it was saved before entering it again.",
            ))
        }
        Ok(joined) => joined.map_err(ApiError::internal)?.map_err(ApiError::from),
    }
}

/// Documents drawn at once on this node: stencils (SVG, PDF), previews, the client report, the ink passport and
/// signed consents. Each holds its plan and picture while it is drawn (8 full-scalp stencils or previews at once
/// took 250–430 MB and every core); others wait their turn (probe s9 finding 3).
pub const MAX_DOCUMENTS: usize = 2;

/// The cap on concurrent document drawing: hold a permit while drawing ([`document`]).
pub static DOCUMENTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(MAX_DOCUMENTS);

/// [`cpu`] for drawing a document, under a [`DOCUMENTS`] permit.
pub async fn document<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let _drawing = DOCUMENTS.acquire().await.map_err(ApiError::internal)?;
    cpu(f).await
}

/// Runs CPU-heavy work (planning) off the async threads.
pub async fn cpu<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(ApiError::internal)?
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
        let (access, method, template) = (route.access, route.method, route.path);
        let handler = match access {
            routes::Access::Public => route.handler,
            _ => route
                .handler
                .route_layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    move |axum::extract::State(st): axum::extract::State<AppState>, req, next| {
                        auth::guard(st, access, (method, template), req, next)
                    },
                )),
        };
        r = r.route(route.path, handler);
    }
    r.fallback(|| async {
        ApiError::not_found("there is nothing at this address in the studio; check the address")
    })
    .method_not_allowed_fallback(|| async {
        ApiError::new(
            axum::http::StatusCode::METHOD_NOT_ALLOWED,
            "this address does not take this kind of request",
        )
    })
    .layer(DefaultBodyLimit::max(BODY_LIMIT))
    .with_state(state)
}

/// The photo directory that goes with a database URL: `photos/` beside a SQLite file, else `./follicle-data/photos`.
pub fn default_photo_dir(database_url: &str) -> std::path::PathBuf {
    match database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
    {
        Some(path) => std::path::Path::new(path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."))
            .join("photos"),
        None => std::path::PathBuf::from("follicle-data/photos"),
    }
}

/// How long a cached preview or advice file is kept on a node's disk (it is rendered again after that).
pub const PREVIEW_MAX_AGE: Duration = Duration::from_secs(7 * 24 * 3600);
/// The most a node's preview cache may hold on its disk; past it the least recently written files go at
/// the next sweep (2 GiB: a few thousand pictures of 12-megapixel photos).
pub const PREVIEW_CACHE_MAX_BYTES: u64 = 2 << 30;
/// How often every node sweeps its own preview cache (and once at start-up).
pub const PREVIEW_SWEEP_EVERY: Duration = Duration::from_secs(15 * 60);

/// Sweeps this node's preview cache (blocking): previews of photos that no longer exist (deleted, erased or
/// purged, on this node or any other), files older than [`PREVIEW_MAX_AGE`], files of the earlier layout, and
/// the oldest files while it holds more than [`PREVIEW_CACHE_MAX_BYTES`].
/// Returns how many files went.
pub fn sweep_preview_cache(state: &AppState) -> Result<usize, StoreError> {
    let store = state.store.clone();
    state.photos.sweep_previews(
        &|shas| store.photo_shas_in_use(shas),
        PREVIEW_MAX_AGE,
        PREVIEW_CACHE_MAX_BYTES,
    )
}

/// Runs [`sweep_preview_cache`] now and then every [`PREVIEW_SWEEP_EVERY`], for as long as the runtime lives:
/// each node cleans its own disk (nothing depends on another node's).
pub fn spawn_preview_sweeper(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(PREVIEW_SWEEP_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            let st = state.clone();
            match tokio::task::spawn_blocking(move || sweep_preview_cache(&st)).await {
                Ok(Ok(0)) => {}
                Ok(Ok(n)) => tracing::info!(
                    "preview cache: {n} file(s) of deleted photos or past their age removed"
                ),
                Ok(Err(e)) => tracing::warn!("preview cache sweep: {e}"),
                Err(e) => tracing::warn!("preview cache sweep: {e}"),
            }
        }
    })
}

/// Serves the API on a bound listener until Ctrl-C (or SIGTERM), finishing requests in flight.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    serve_app(listener, router(state)).await
}

/// A connection has this long to send a request's headers, the first or the next on a kept-alive connection;
/// then it is closed. Without it a connection trickling a header line every few seconds was kept for ever, and
/// about a thousand of them took every file the node may open (outside test s43, "slowloris": the node refused
/// everyone for the whole attack).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(20);
/// Connections served at once on this node; the next waits in the listen queue until one closes (with
/// [`HEADER_READ_TIMEOUT`], within seconds even under a slow-header attack). Well under the open-file limit the
/// CLI raises at start (`follicle serve`), so the database pool and photo files always have room.
pub const MAX_CONNECTIONS: usize = 2_000;
/// How long a shutdown waits for requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Serves any app built on [`router`] (for example with the studio UI merged in) until Ctrl-C or SIGTERM,
/// finishing requests in flight (for at most 30 s): HTTP/1.1 and HTTP/2 by hyper, each connection's headers
/// within [`HEADER_READ_TIMEOUT`], at most [`MAX_CONNECTIONS`] at once.
pub async fn serve_app(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use tower::ServiceExt;
    let shutdown = async {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("a SIGTERM handler");
            tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
    };
    let mut shutdown = std::pin::pin!(shutdown);
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    builder.http2().timer(TokioTimer::new());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let slot = tokio::select! {
            s = slots.clone().acquire_owned() => s.expect("the connection slots are never closed"),
            _ = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of files, or a connection reset before it was accepted: the node goes on.
                Err(e) => {
                    tracing::warn!("accepting a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        // Each request carries its peer address: the login throttle counts by it (auth::ClientAddr).
        let service =
            app.clone()
                .map_request(move |mut req: axum::http::Request<hyper::body::Incoming>| {
                    req.extensions_mut()
                        .insert(axum::extract::ConnectInfo(peer));
                    req.map(axum::body::Body::new)
                });
        let connection = builder
            .serve_connection_with_upgrades(
                TokioIo::new(stream),
                hyper_util::service::TowerToHyperService::new(service),
            )
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!("connection from {peer} ended: {e}");
            }
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "requests still in flight after {} s were stopped",
            SHUTDOWN_GRACE.as_secs()
        );
    }
    Ok(())
}
