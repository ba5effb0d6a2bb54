//! Regression tests for the hardening findings of issue 12 through the real router (API and studio UI merged,
//! as `follicle serve` runs them): the layer stack (security headers, no-store, compression, JSON errors for
//! 404/405/414/timeouts/panics), bounded schedule requests, control characters and length limits in names,
//! implausible dates, plain-worded conflicts, the password policy, the front desk's calendar, and the
//! permissions of the database file and photo folder.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use follicle_server::Settings;
use http_body_util::BodyExt;
use serde_json::json;
use std::time::Duration;
use support::{Reply, Server, Session, Setup, OTHER_PASSWORD, PASSWORD as GOOD_PASSWORD};
use tower::ServiceExt;

/// A server on a fresh SQLite file with the API and the studio UI merged, as `follicle serve` runs them.
fn server() -> Server {
    support::sqlite_server(Setup {
        zone: None,
        studio_ui: true,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_security_headers_and_personal_data_is_not_stored() {
    let srv = server();
    let (_, prac, _) = srv.clinic("h", true).await;
    let client = srv
        .post(
            &prac,
            "/api/clients",
            json!({ "reference": "h-1", "name": "Hana" }),
        )
        .await;
    assert_eq!(client.status, StatusCode::CREATED);
    let id = client.json()["id"].as_i64().unwrap();
    let personal = [
        srv.get(&prac, "/api/clients").await,
        srv.get(&prac, &format!("/api/clients/{id}")).await,
        srv.get(&prac, &format!("/api/clients/{id}/schedule.ics"))
            .await,
        srv.get(&prac, "/api/clients/999999").await,
    ];
    for r in &personal {
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
        assert_eq!(r.header("cache-control"), Some("no-store"), "{}", r.text());
        assert!(
            r.header("x-frame-options").is_some() && r.header("content-security-policy").is_some()
        );
    }
    let health = srv.get(&Session::default(), "/api/health").await;
    assert_eq!(
        (health.status, health.header("x-content-type-options")),
        (StatusCode::OK, Some("nosniff"))
    );
    assert_ne!(
        health.header("cache-control"),
        Some("no-store"),
        "the health check carries no personal data"
    );
    // The UI keeps its own stricter framing rule and Content-Security-Policy.
    let ui = srv.get(&Session::default(), "/ui/app.js").await;
    assert_eq!(
        (
            ui.status,
            ui.header("x-frame-options"),
            ui.header("referrer-policy")
        ),
        (StatusCode::OK, Some("DENY"), Some("no-referrer"))
    );
    assert_eq!(
        ui.header("content-security-policy"),
        Some(follicle_studio_ui::CONTENT_SECURITY_POLICY)
    );
    // Large JSON is compressed for clients that accept it.
    for enc in ["gzip", "br"] {
        let r = srv
            .call(
                &Session::default(),
                "GET",
                "/api/openapi.json",
                &[("accept-encoding", enc)],
                vec![],
            )
            .await;
        assert_eq!(r.header("content-encoding"), Some(enc));
        assert!(
            r.body.len() < follicle_server::OPENAPI_JSON.len() / 2,
            "{enc}: {} bytes",
            r.body.len()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_error_has_the_json_shape() {
    let srv = server();
    let (_, prac, _) = srv.clinic("j", true).await;
    let anon = Session::default();
    assert!(srv
        .get(&anon, "/ui/no-such-file.js")
        .await
        .error(StatusCode::NOT_FOUND)
        .contains("studio UI"));
    srv.get(&anon, "/ui/index.html")
        .await
        .error(StatusCode::NOT_FOUND);
    srv.get(&anon, "/no/such/page")
        .await
        .error(StatusCode::NOT_FOUND);
    srv.get(&prac, "/api/no-such-endpoint")
        .await
        .error(StatusCode::NOT_FOUND);
    srv.call(&anon, "DELETE", "/ui/app.js", &[], vec![])
        .await
        .error(StatusCode::METHOD_NOT_ALLOWED);
    srv.call(&prac, "PATCH", "/api/clients", &[], vec![])
        .await
        .error(StatusCode::METHOD_NOT_ALLOWED);
    let long = format!(
        "/api/clients?q={}",
        "x".repeat(follicle_server::layers::MAX_URI)
    );
    let r = srv.get(&prac, &long).await;
    assert!(r.error(StatusCode::URI_TOO_LONG).contains("too long"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    let big = json!({ "reference": "x", "name": "y".repeat(2 * 1024 * 1024) });
    srv.post(&prac, "/api/clients", big)
        .await
        .error(StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_and_a_timeout_are_answered_in_the_json_shape() {
    use axum::routing::get;
    let settings = Settings {
        request_timeout: Duration::from_millis(200),
        ..Settings::default()
    };
    let app = Router::new()
        .route(
            "/api/boom",
            get(|| async {
                if std::hint::black_box(true) {
                    panic!("a handler bug");
                }
                "unreachable"
            }),
        )
        .route(
            "/api/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                "late"
            }),
        );
    let app = follicle_server::layers::foundations(app, &settings);
    for (path, status) in [
        ("/api/boom", StatusCode::INTERNAL_SERVER_ERROR),
        ("/api/slow", StatusCode::SERVICE_UNAVAILABLE),
    ] {
        let resp = app
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let (status_got, headers) = (resp.status(), resp.headers().clone());
        let body = resp
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        let r = Reply {
            status: status_got,
            headers,
            body,
        };
        let message = r.error(status);
        assert!(
            !message.contains("a handler bug"),
            "the panic's detail stays in the log: {message}"
        );
        assert_eq!(r.header("cache-control"), Some("no-store"));
    }
}

/// Records a consultation that screens "go" (examples/intake-norwood6-go.toml): the schedule follows the
/// screening, so a client without one has no proposed visits.
async fn consult(srv: &Server, prac: &Session, client: i64, reference: &str) {
    let text =
        include_str!("../../../examples/intake-norwood6-go.toml").replace("c-2025-014", reference);
    let intake = follicle_clinic::Intake::from_toml(&text).unwrap();
    let r = srv
        .post(
            prac,
            &format!("/api/clients/{client}/consultations"),
            serde_json::to_value(intake).unwrap(),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "consultation recorded: {}",
        r.text()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schedule_sizes_are_bounded_and_health_answers_during_heavy_requests() {
    let srv = server();
    let (_, prac, desk) = srv.clinic("s", true).await;
    let id = srv
        .post(
            &prac,
            "/api/clients",
            json!({ "reference": "s-1", "name": "Sami" }),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    consult(&srv, &prac, id, "s-1").await;
    for q in [
        "course=4294967295",
        "course=1000000",
        "course=0",
        "course=9",
        "interval=4294967295",
        "interval=1000",
        "interval=0",
    ] {
        for path in [
            format!("/api/clients/{id}/schedule.ics?{q}"),
            format!("/api/schedule.ics?{q}"),
        ] {
            let r = srv.get(&desk, &path).await;
            let m = r.error(StatusCode::UNPROCESSABLE_ENTITY);
            assert!(
                m.starts_with("Course:") || m.starts_with("Interval:"),
                "{path}: {m}"
            );
        }
    }
    srv.get(
        &desk,
        &format!("/api/clients/{id}/schedule.ics?first=9999-01-01"),
    )
    .await
    .error(StatusCode::UNPROCESSABLE_ENTITY);
    let r = srv
        .get(
            &desk,
            &format!("/api/clients/{id}/schedule.ics?course=8&interval=14"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.text().matches("BEGIN:VEVENT").count(),
        8,
        "the largest allowed course"
    );
    // Many of the largest allowed calendars at once, while the health check keeps answering.
    let mut heavy = Vec::new();
    for _ in 0..12 {
        let (app, s) = (srv.app.clone(), prac.clone());
        let path = format!("/api/clients/{id}/schedule.ics?course=8&interval=14");
        heavy.push(tokio::spawn(async move {
            let req = Request::get(path)
                .header("cookie", &s.cookie)
                .body(Body::empty())
                .unwrap();
            app.oneshot(req).await.unwrap().status()
        }));
    }
    for _ in 0..5 {
        assert_eq!(
            srv.get(&Session::default(), "/api/health").await.status,
            StatusCode::OK
        );
    }
    for h in heavy {
        assert_eq!(h.await.unwrap(), StatusCode::OK);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_and_references_refuse_control_characters_and_excess_length() {
    let srv = server();
    let (owner, prac, _) = srv.clinic("n", true).await;
    let bad = [
        json!({ "reference": "c-1\r\nATTENDEE:mailto:x@evil.example", "name": "Ann" }),
        json!({ "reference": "c-1", "name": "Ann\r\nBEGIN:VEVENT" }),
        json!({ "reference": "c-1", "name": "Ann\u{0}" }),
        json!({ "reference": "c-1", "name": "Ann \u{202E}gnp.exe" }),
        json!({ "reference": "c-1", "name": "Ann \u{2067}x" }),
        json!({ "reference": "c-1", "name": "A".repeat(201) }),
        json!({ "reference": "r".repeat(65), "name": "Ann" }),
        json!({ "reference": "c-1", "name": "Ann", "email": "a@b.c\r\nBcc: x@y.z" }),
        json!({ "reference": "c-1", "name": "Ann", "date_of_birth": "9999-01-01" }),
        json!({ "reference": " ", "name": "Ann" }),
    ];
    for body in &bad {
        let m = srv
            .post(&prac, "/api/clients", body.clone())
            .await
            .error(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!m.contains("constraint"), "{m}");
    }
    let ok = srv
        .post(
            &prac,
            "/api/clients",
            json!({ "reference": "c-1", "name": "A".repeat(200) }),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text());
    let id = ok.json()["id"].as_i64().unwrap();
    for body in &bad {
        srv.send(&prac, "PUT", &format!("/api/clients/{id}"), body.clone())
            .await
            .error(StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(
        srv.get(&prac, "/api/clients").await.json()["total"],
        1,
        "nothing refused was stored"
    );
    let m = srv.post(&owner, "/api/users", json!({ "username": "evil\nuser", "display_name": "E", "role": "practitioner", "password": OTHER_PASSWORD })).await.error(StatusCode::UNPROCESSABLE_ENTITY);
    // Issue 13 (messages for people): the field is named as the form shows it, not by its JSON name.
    assert!(m.starts_with("User name:"), "{m}");
    srv.post(&owner, "/api/users", json!({ "username": "u2", "display_name": "E\u{202E}", "role": "practitioner", "password": OTHER_PASSWORD })).await.error(StatusCode::UNPROCESSABLE_ENTITY);
    srv.post(
        &prac,
        &format!("/api/clients/{id}/consents"),
        json!({ "text": "smp-treatment", "version": 2, "signed_at": "9999-12-31T10:00:00Z" }),
    )
    .await
    .error(StatusCode::UNPROCESSABLE_ENTITY);
    srv.post(
        &prac,
        "/api/lots",
        json!({ "pigment": "p\r\nx", "number": "1", "expiry": "2030-01-01" }),
    )
    .await
    .error(StatusCode::UNPROCESSABLE_ENTITY);
    srv.post(
        &prac,
        "/api/lots",
        json!({ "pigment": "p", "number": "1", "expiry": "9999-01-01" }),
    )
    .await
    .error(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_front_desk_calendar_carries_no_medical_inference() {
    let srv = server();
    let (_, prac, desk) = srv.clinic("f", true).await;
    let id = srv
        .post(
            &prac,
            "/api/clients",
            json!({ "reference": "f-1", "name": "Femi" }),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    consult(&srv, &prac, id, "f-1").await;
    let medical = srv
        .get(&prac, &format!("/api/clients/{id}/schedule.ics"))
        .await
        .text();
    assert!(medical.contains("touch-up"), "{medical}");
    let front = srv
        .get(&desk, &format!("/api/clients/{id}/schedule.ics"))
        .await
        .text()
        .replace("\r\n ", "");
    assert!(
        front.contains("SUMMARY:Appointment — f") && front.contains("Femi"),
        "{front}"
    );
    for word in ["touch", "scar", "smp", "session", "pigment"] {
        assert!(
            !front.to_lowercase().contains(word),
            "front desk calendar says `{word}`: {front}"
        );
    }
    assert_eq!(
        front.matches("BEGIN:VEVENT").count(),
        3,
        "the course's appointments, no touch-up"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conflicts_are_plain_words_and_weak_passwords_are_refused() {
    let srv = server();
    let (owner, prac, _) = srv.clinic("k", true).await;
    assert_eq!(
        srv.post(
            &prac,
            "/api/clients",
            json!({ "reference": "k-1", "name": "K" })
        )
        .await
        .status,
        StatusCode::CREATED
    );
    let m = srv
        .post(
            &prac,
            "/api/clients",
            json!({ "reference": "k-1", "name": "K2" }),
        )
        .await
        .error(StatusCode::CONFLICT);
    assert!(
        m.contains("already exists")
            && !m.to_lowercase().contains("constraint")
            && !m.contains("UNIQUE")
            && !m.contains("clients."),
        "{m}"
    );
    // A second clinic on the same database: a taken user name is named as taken, nothing else of the other clinic.
    let hash = follicle_server::auth::hash_password(GOOD_PASSWORD).unwrap();
    let store = srv.state.store.clone();
    let nu = follicle_store::NewUser {
        username: "other-owner".into(),
        display_name: "Olga Secret".into(),
        role: follicle_store::Role::Owner,
        password_hash: hash,
    };
    tokio::task::spawn_blocking(move || {
        store.create_clinic_with_owner("Other Clinic", &nu).unwrap()
    })
    .await
    .unwrap();
    let m = srv.post(&owner, "/api/users", json!({ "username": "other-owner", "display_name": "X", "role": "practitioner", "password": OTHER_PASSWORD })).await.error(StatusCode::CONFLICT);
    assert!(
        m.contains("taken")
            && !m.contains("Olga")
            && !m.contains("Other Clinic")
            && !m.to_lowercase().contains("constraint")
            && !m.contains("users."),
        "{m}"
    );
    for weak in [
        "          ",
        "password123",
        "aaaaaaaaaaaa",
        "qwertyuiop",
        "1234567890",
        "k-newuser123",
        "iloveyou2024",
    ] {
        let m = srv.post(&owner, "/api/users", json!({ "username": "k-newuser", "display_name": "New", "role": "practitioner", "password": weak })).await.error(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(m.starts_with("Password:"), "{weak:?}: {m}");
    }
    let r = srv.post(&owner, "/api/users", json!({ "username": "k-newuser", "display_name": "New", "role": "practitioner", "password": "tulip granite harbour 7" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
}

#[test]
fn the_database_file_and_photo_folder_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let srv = server();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let data = srv.dir.path().join("data");
    assert_eq!(mode(&data.join("follicle.db")), 0o600);
    assert_eq!(mode(&data.join("photos")), 0o700);
    assert_eq!(mode(&data), 0o700);
}

/// A real, complete PNG of 6324×6324 pixels at 16-bit RGBA (all black): a few hundred KiB on the wire, about
/// 305 MiB once decoded. Written row by row, so the test itself never holds the pixels.
fn png_16bit_bomb() -> Vec<u8> {
    let (w, h) = (6324u32, 6324u32);
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Sixteen);
    let mut writer = enc.write_header().unwrap();
    let mut stream = writer.stream_writer().unwrap();
    let row = vec![0u8; w as usize * 8];
    for _ in 0..h {
        std::io::Write::write_all(&mut stream, &row).unwrap();
    }
    stream.finish().unwrap();
    writer.finish().unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_png_that_decodes_to_hundreds_of_megabytes_is_refused_from_its_header() {
    let srv = server();
    let (_, prac, _) = srv.clinic("m", true).await;
    let id = srv
        .post(
            &prac,
            "/api/clients",
            json!({ "reference": "m-1", "name": "Mo" }),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let bomb = png_16bit_bomb();
    assert!(
        bomb.len() < follicle_server::PHOTO_LIMIT,
        "{} bytes",
        bomb.len()
    );
    let mut uploads = Vec::new();
    for _ in 0..8 {
        let (app, s, body, path) = (
            srv.app.clone(),
            prac.clone(),
            bomb.clone(),
            format!("/api/clients/{id}/photos"),
        );
        uploads.push(tokio::spawn(async move {
            let req = Request::post(path)
                .header("cookie", &s.cookie)
                .header("x-csrf-token", &s.csrf)
                .header("content-type", "image/png")
                .body(Body::from(body))
                .unwrap();
            let resp = app.oneshot(req).await.unwrap();
            let status = resp.status();
            (
                status,
                resp.into_body()
                    .collect()
                    .await
                    .unwrap()
                    .to_bytes()
                    .to_vec(),
            )
        }));
    }
    for u in uploads {
        let (status, body) = u.await.unwrap();
        let r = Reply {
            status,
            headers: Default::default(),
            body,
        };
        let m = r.error(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(m.contains("6324×6324") && m.contains("MiB"), "{m}");
    }
    assert_eq!(
        srv.get(&prac, &format!("/api/clients/{id}/photos"))
            .await
            .json(),
        json!([])
    );
    // An ordinary photo still goes through, thumbnail and all.
    let mut ok = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(640, 480, image::Rgb([90, 60, 40]))
        .write_to(&mut ok, image::ImageFormat::Png)
        .unwrap();
    let r = srv
        .call(
            &prac,
            "POST",
            &format!("/api/clients/{id}/photos"),
            &[("content-type", "image/png")],
            ok.into_inner(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let photo = r.json()["id"].as_i64().unwrap();
    let t = srv
        .get(&prac, &format!("/api/photos/{photo}/thumbnail"))
        .await;
    assert_eq!(
        (t.status, t.header("content-type")),
        (StatusCode::OK, Some("image/jpeg"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owners_disable_users_and_the_last_owner_stays() {
    let srv = server();
    let (owner, prac, _) = srv.clinic("d", true).await;
    let users = srv.get(&owner, "/api/users").await.json();
    let id_of = |name: &str| {
        users
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["username"] == name)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (owner_id, prac_id) = (id_of("d-owner"), id_of("d-prac"));
    // Disabling ends the sessions at once and refuses logins.
    let r = srv
        .send(
            &owner,
            "PUT",
            &format!("/api/users/{prac_id}"),
            json!({ "active": false }),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["active"].as_bool()),
        (StatusCode::OK, Some(false)),
        "{}",
        r.text()
    );
    srv.get(&prac, "/api/me")
        .await
        .error(StatusCode::UNAUTHORIZED);
    srv.post(
        &Session::default(),
        "/api/login",
        json!({ "username": "d-prac", "password": OTHER_PASSWORD }),
    )
    .await
    .error(StatusCode::UNAUTHORIZED);
    srv.send(
        &owner,
        "PUT",
        &format!("/api/users/{prac_id}"),
        json!({ "active": true }),
    )
    .await;
    let prac = srv.login("d-prac", OTHER_PASSWORD).await;
    assert_eq!(srv.get(&prac, "/api/me").await.status, StatusCode::OK);
    // The last active owner can be neither disabled nor demoted.
    for body in [
        json!({ "active": false }),
        json!({ "role": "practitioner" }),
    ] {
        let m = srv
            .send(&owner, "PUT", &format!("/api/users/{owner_id}"), body)
            .await
            .error(StatusCode::CONFLICT);
        assert!(m.contains("last active owner"), "{m}");
    }
    // With a second owner, the first may step down.
    srv.send(
        &owner,
        "PUT",
        &format!("/api/users/{prac_id}"),
        json!({ "role": "owner" }),
    )
    .await;
    let r = srv
        .send(
            &owner,
            "PUT",
            &format!("/api/users/{owner_id}"),
            json!({ "role": "practitioner" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    srv.get(&owner, "/api/users")
        .await
        .error(StatusCode::FORBIDDEN);
    let log = srv.get(&prac, "/api/audit?limit=50").await.json();
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["entity"] == "user"
                && e["detail"].as_str().unwrap_or("").contains("disabled")),
        "{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_change_and_owner_issued_reset_end_other_sessions() {
    let srv = server();
    let (owner, _, desk) = srv.clinic("p", true).await;
    // Own change: the current password is needed; other sessions end; this one goes on.
    let other = srv.login("p-desk", OTHER_PASSWORD).await;
    srv.post(
        &desk,
        "/api/me/password",
        json!({ "current": "not it at all", "new": "lantern orchard pebble 5" }),
    )
    .await
    .error(StatusCode::FORBIDDEN);
    srv.post(
        &desk,
        "/api/me/password",
        json!({ "current": OTHER_PASSWORD, "new": "password123" }),
    )
    .await
    .error(StatusCode::UNPROCESSABLE_ENTITY);
    let r = srv
        .post(
            &desk,
            "/api/me/password",
            json!({ "current": OTHER_PASSWORD, "new": "lantern orchard pebble 5" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    assert_eq!(srv.get(&desk, "/api/me").await.status, StatusCode::OK);
    srv.get(&other, "/api/me")
        .await
        .error(StatusCode::UNAUTHORIZED);
    srv.post(
        &Session::default(),
        "/api/login",
        json!({ "username": "p-desk", "password": OTHER_PASSWORD }),
    )
    .await
    .error(StatusCode::UNAUTHORIZED);
    // Owner-issued reset: one-time, and it ends every session of the user.
    let users = srv.get(&owner, "/api/users").await.json();
    let desk_id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "p-desk")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = srv
        .post(
            &owner,
            &format!("/api/users/{desk_id}/password-reset"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let token = r.json()["token"].as_str().unwrap().to_string();
    let anon = Session::default();
    srv.post(
        &anon,
        "/api/password-reset",
        json!({ "token": "0".repeat(64), "password": "velvet compass meadow 9" }),
    )
    .await
    .error(StatusCode::NOT_FOUND);
    srv.post(
        &anon,
        "/api/password-reset",
        json!({ "token": token, "password": "aaaaaaaaaaaa" }),
    )
    .await
    .error(StatusCode::UNPROCESSABLE_ENTITY);
    let r = srv
        .post(
            &anon,
            "/api/password-reset",
            json!({ "token": token, "password": "velvet compass meadow 9" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    srv.get(&desk, "/api/me")
        .await
        .error(StatusCode::UNAUTHORIZED);
    srv.post(
        &anon,
        "/api/password-reset",
        json!({ "token": token, "password": "another velvet compass 1" }),
    )
    .await
    .error(StatusCode::NOT_FOUND);
    srv.login("p-desk", "velvet compass meadow 9").await;
    // An expired reset is refused; the token is stored only as its hash.
    let store = srv.state.store.clone();
    let owner_id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "p-owner")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let clinic = users[0]["clinic_id"].as_i64().unwrap();
    let stale = "f".repeat(64);
    let stale_hash = follicle_store::sha256_hex(stale.as_bytes());
    tokio::task::spawn_blocking(move || {
        store
            .create_password_reset(
                follicle_store::ClinicId(clinic),
                follicle_store::UserId(desk_id),
                &stale_hash,
                follicle_store::now_unix() - 1,
                follicle_store::UserId(owner_id),
            )
            .unwrap()
    })
    .await
    .unwrap();
    srv.post(
        &anon,
        "/api/password-reset",
        json!({ "token": stale, "password": "velvet compass meadow 10" }),
    )
    .await
    .error(StatusCode::NOT_FOUND);
}
