//! The UI router on its own and merged with the API: content types, the security headers on every
//! response, 404s, that every file under assets/ is embedded, and that the assets keep the CSP's rules (no
//! inline script or style, no markup built from strings).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use follicle_studio_ui::{router, ASSETS, CONTENT_SECURITY_POLICY};
use http_body_util::BodyExt;
use std::path::Path;
use tower::ServiceExt;

async fn fetch(app: axum::Router, path: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let resp = app
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = resp.into_parts();
    (
        parts.status,
        parts.headers,
        body.collect().await.unwrap().to_bytes().to_vec(),
    )
}

#[tokio::test]
async fn shell_and_assets_have_types_and_security_headers() {
    let (status, h, body) = fetch(router(), "/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["content-type"], "text/html; charset=utf-8");
    assert_eq!(h["content-security-policy"], CONTENT_SECURITY_POLICY);
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(String::from_utf8(body).unwrap().contains("/ui/app.js"));
    for (path, ty) in [
        ("/ui/app.js", "text/javascript; charset=utf-8"),
        ("/ui/styles.css", "text/css; charset=utf-8"),
        ("/ui/favicon.svg", "image/svg+xml"),
        ("/ui/editor/topview.js", "text/javascript; charset=utf-8"),
    ] {
        let (status, h, body) = fetch(router(), path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(h["content-type"], ty, "{path}");
        assert_eq!(
            h["content-security-policy"], CONTENT_SECURITY_POLICY,
            "{path}"
        );
        assert!(!body.is_empty());
    }
    for path in ["/ui/nope.js", "/ui/../Cargo.toml", "/ui/index.html"] {
        let (status, h, _) = fetch(router(), path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            h["content-security-policy"], CONTENT_SECURITY_POLICY,
            "{path}"
        );
    }
}

#[test]
fn the_policy_allows_no_inline_code() {
    for part in [
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ] {
        assert!(CONTENT_SECURITY_POLICY.contains(part), "{part}");
    }
    // The one exception is WebAssembly compilation for the editor's planning core: 'wasm-unsafe-eval' in
    // script-src and nowhere else; no unsafe-inline, no unsafe-eval (issue 10).
    let tokens: Vec<&str> = CONTENT_SECURITY_POLICY
        .split([';', ' '])
        .filter(|t| t.contains("unsafe"))
        .collect();
    assert_eq!(tokens, ["'wasm-unsafe-eval'"], "{CONTENT_SECURITY_POLICY}");
    assert!(CONTENT_SECURITY_POLICY.contains("script-src 'self' 'wasm-unsafe-eval';"));
}

#[tokio::test]
async fn the_planning_core_is_served_as_webassembly() {
    let (status, h, body) = fetch(router(), "/ui/editor/follicle.wasm").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["content-type"], "application/wasm");
    assert_eq!(h["content-security-policy"], CONTENT_SECURITY_POLICY);
    assert_eq!(&body[..4], b"\0asm", "a WebAssembly module");
    for export in [
        "fw_alloc",
        "fw_free",
        "fw_call",
        "fw_result_ptr",
        "fw_result_len",
    ] {
        assert!(
            body.windows(export.len()).any(|w| w == export.as_bytes()),
            "exports {export}"
        );
    }
}

#[test]
fn no_javascript_file_constructs_the_hairline() {
    // Issue 10: Garg's construction, the Catmull-Rom curve, density thinning and needle rates live in the Rust
    // core only; the editor draws what the core returns.
    for a in ASSETS.iter().filter(|a| a.path.ends_with(".js")) {
        let text = std::str::from_utf8(a.bytes).unwrap();
        for rule in [
            "catmullRom",
            "circles(",
            "canthalWidth",
            "recessionFor",
            "heightFor",
            "hash01",
            "RATE",
            "target_density_cm2 *",
            "0.2 : 0.25",
        ] {
            assert!(!text.contains(rule), "{}: {rule}", a.path);
        }
    }
    assert!(follicle_studio_ui::asset("editor/garg.js").is_none());
}

fn files(dir: &Path, base: &Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, base, out);
        } else {
            out.push(
                p.strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
}

#[test]
fn every_asset_file_is_embedded_and_follows_the_rules() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    let mut on_disk = vec![];
    files(&base, &base, &mut on_disk);
    on_disk.sort();
    let mut embedded: Vec<String> = ASSETS.iter().map(|a| a.path.to_string()).collect();
    embedded.sort();
    assert_eq!(
        on_disk, embedded,
        "ASSETS in src/lib.rs must list exactly the files under assets/"
    );
    let vendored = String::from_utf8(
        follicle_studio_ui::asset("vendor/face-api/VENDORED.md")
            .expect("the vendoring note is embedded")
            .bytes
            .to_vec(),
    )
    .unwrap();
    for a in ASSETS {
        if let Some(rest) = a.path.strip_prefix("vendor/") {
            // Third-party files, copied unchanged from a registry package: each is named in the note that
            // says where it came from, and its code still keeps the CSP's rules.
            let name = rest.rsplit('/').next().unwrap();
            let stem = name.split('-').next().unwrap().trim_end_matches(".bin");
            assert!(
                vendored.contains(stem) || name == "LICENSE" || name == "VENDORED.md",
                "{}: not described in VENDORED.md",
                a.path
            );
            if a.path.ends_with(".js") {
                let text = String::from_utf8_lossy(a.bytes);
                for bad in ["innerHTML", "document.write", "eval(", "new Function"] {
                    assert!(!text.contains(bad), "{}: uses {bad}", a.path);
                }
            }
            continue;
        }
        let text = String::from_utf8(a.bytes.to_vec()).unwrap();
        if a.path.ends_with(".js") {
            for bad in [
                "innerHTML",
                "outerHTML",
                "insertAdjacentHTML",
                "document.write",
                "eval(",
                "new Function",
            ] {
                assert!(!text.contains(bad), "{}: uses {bad}", a.path);
            }
            assert!(
                text.starts_with("// "),
                "{}: starts with a one-line purpose comment",
                a.path
            );
        }
        if a.path.ends_with(".html") {
            let lower = text.to_lowercase();
            assert!(
                !lower.contains("<style"),
                "{}: inline style element",
                a.path
            );
            assert!(
                !lower.contains(" style="),
                "{}: inline style attribute",
                a.path
            );
            assert!(
                !lower.contains(" onclick=") && !lower.contains(" onload="),
                "{}: inline handler",
                a.path
            );
            for chunk in lower.split("<script").skip(1) {
                let tag = chunk.split('>').next().unwrap();
                assert!(tag.contains("src="), "{}: inline script", a.path);
            }
        }
    }
}

#[tokio::test]
async fn merges_with_the_api_router() {
    let dir = tempfile::tempdir().unwrap();
    let store =
        follicle_store::open(&format!("sqlite:{}", dir.path().join("f.db").display())).unwrap();
    let photos = follicle_store::PhotoStore::new(&dir.path().join("photos")).unwrap();
    let state = follicle_server::AppState::new(store, photos, follicle_server::Settings::default());
    let app = follicle_server::router(state).merge(router());
    let (status, h, _) = fetch(app.clone(), "/").await;
    assert_eq!(
        (status, h["content-type"].to_str().unwrap()),
        (StatusCode::OK, "text/html; charset=utf-8")
    );
    let (status, h, body) = fetch(app.clone(), "/api/health").await;
    assert_eq!(status, StatusCode::OK);
    assert!(h["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert!(String::from_utf8(body).unwrap().contains("\"ok\""));
    let (status, _, body) = fetch(app, "/api/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        String::from_utf8(body).unwrap().contains("\"error\""),
        "the API's JSON fallback still answers"
    );
}
