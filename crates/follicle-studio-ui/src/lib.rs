//! The studio's browser UI. Plain ES-module HTML, CSS and JavaScript under `assets/` are compiled into the
//! binary with `include_bytes!` (no build step, no Node at run time) and served by [`router`]: the app shell
//! at `/` and every asset under `/ui/…`, each with its content type and a strict Content-Security-Policy
//! (scripts and styles only from this origin, no inline code). The editor's planning core, follicle-wasm
//! compiled to WebAssembly by `build.rs`, is embedded the same way and served as `/ui/editor/follicle.wasm`
//! ([`WASM`]). The JSON API itself is `follicle_server::router`; `follicle serve` merges the two.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// The Content-Security-Policy sent with every page and asset: same-origin code only, no inline script or
/// style, photos shown from blob: URLs, no framing, no plugins. `'wasm-unsafe-eval'` lets the page compile
/// the embedded WebAssembly planning core and nothing else (no `eval`, no inline code).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

/// One embedded file: its path under `/ui/`, its content type and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct Asset {
    /// Path below `/ui/` (e.g. `app.js`, `pages/clients.js`).
    pub path: &'static str,
    /// The Content-Type it is served with.
    pub content_type: &'static str,
    /// The file's bytes.
    pub bytes: &'static [u8],
}

macro_rules! assets {
    ($($path:literal),* $(,)?) => {
        &[$(Asset { path: $path, content_type: content_type($path), bytes: include_bytes!(concat!("../assets/", $path)) }),*]
    };
}

/// Every embedded asset (the list is checked against the assets directory by a test).
pub const ASSETS: &[Asset] = assets![
    "index.html",
    "styles.css",
    "favicon.svg",
    "app.js",
    "api.js",
    "dom.js",
    "format.js",
    "intake.js",
    "checks.js",
    "pages/login.js",
    "pages/clients.js",
    "pages/client.js",
    "pages/consultation.js",
    "pages/sessions.js",
    "pages/lots.js",
    "pages/users.js",
    "pages/photo-preview.js",
    "pages/photo-marks.js",
    "pages/appointments.js",
    "pages/client-appointments.js",
    "pages/consent-sign.js",
    "pages/rights.js",
    "pages/account.js",
    "pages/premises.js",
    "pages/edit-record.js",
    "pages/purge.js",
    "editor/editor.js",
    "editor/photo-pane.js",
    "editor/topview.js",
    "editor/case.js",
    "editor/geometry.js",
    "editor/beforeafter.js",
    "editor/wasm.js",
    "editor/engine.js",
    "editor/planner-worker.js",
    "editor/designs.js",
    "editor/landmark-proposal.js",
    // Face finder for proposed landmarks (@vladmandic/face-api 1.7.15, MIT; see vendor/face-api/VENDORED.md).
    "vendor/face-api/LICENSE",
    "vendor/face-api/VENDORED.md",
    "vendor/face-api/face-api.esm.js",
    "vendor/face-api/model/tiny_face_detector_model-weights_manifest.json",
    "vendor/face-api/model/tiny_face_detector_model.bin",
    "vendor/face-api/model/face_landmark_68_model-weights_manifest.json",
    "vendor/face-api/model/face_landmark_68_model.bin",
];

/// The editor's planning core: follicle-wasm built for wasm32-unknown-unknown by `build.rs`.
pub const WASM: Asset = Asset {
    path: "editor/follicle.wasm",
    content_type: "application/wasm",
    bytes: include_bytes!(concat!(env!("OUT_DIR"), "/follicle.wasm")),
};

/// The Content-Type for a file name, by its extension.
pub const fn content_type(path: &str) -> &'static str {
    let b = path.as_bytes();
    if ends_with(b, b".html") {
        "text/html; charset=utf-8"
    } else if ends_with(b, b".js") {
        "text/javascript; charset=utf-8"
    } else if ends_with(b, b".css") {
        "text/css; charset=utf-8"
    } else if ends_with(b, b".svg") {
        "image/svg+xml"
    } else if ends_with(b, b".png") {
        "image/png"
    } else if ends_with(b, b".wasm") {
        "application/wasm"
    } else if ends_with(b, b".json") {
        "application/json"
    } else if ends_with(b, b".md") || ends_with(b, b"LICENSE") {
        "text/plain; charset=utf-8"
    } else {
        "application/octet-stream"
    }
}

const fn ends_with(s: &[u8], suffix: &[u8]) -> bool {
    if suffix.len() > s.len() {
        return false;
    }
    let mut i = 0;
    while i < suffix.len() {
        if s[s.len() - suffix.len() + i] != suffix[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The embedded asset at `path` (below `/ui/`), if there is one.
pub fn asset(path: &str) -> Option<&'static Asset> {
    if path == WASM.path {
        return Some(&WASM);
    }
    ASSETS.iter().find(|a| a.path == path)
}

/// The UI router: the app shell at `/` and the assets at `/ui/{*path}`. It has no fallback, so it can be
/// merged with the API router (which has one).
pub fn router() -> Router {
    Router::new()
        .route("/", get(index))
        .route("/ui/{*path}", get(serve_asset))
}

async fn index() -> Response {
    respond(asset("index.html").expect("index.html is embedded"))
}

async fn serve_asset(Path(path): Path<String>) -> Response {
    match asset(&path) {
        Some(a) if a.path != "index.html" => respond(a),
        _ => {
            let mut r = (StatusCode::NOT_FOUND, "no such file in the studio UI").into_response();
            secure(r.headers_mut());
            r
        }
    }
}

fn respond(a: &'static Asset) -> Response {
    let mut r = a.bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(a.content_type),
    );
    // Assets are not fingerprinted: revalidate so an upgraded binary is picked up at once.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    secure(h);
    r
}

fn secure(h: &mut axum::http::HeaderMap) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}
