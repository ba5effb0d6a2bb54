//! The s9 probe (issues 12 and 13): an attacker's inputs on every route, and a clinic's time-zone change that a
//! booking cannot survive. Through the real API router on SQLite (the real binary's probes are in
//! follicle-cli/tests/serve_s9_probe.rs).

mod support;

use axum::http::StatusCode;
use serde_json::{json, Value};
use support::{Server, Setup};

fn sqlite_server() -> Server {
    support::sqlite_server(Setup::default())
}

/// The first days ahead (within two years) on which 02:30 does not exist exactly once on `zone`'s clocks:
/// the night the clocks go forward (02:30 skipped) and the night they go back (02:30 shown twice).
fn clock_change_nights(srv: &Server, zone: &str) -> Vec<follicle_clinic::Date> {
    let z = follicle_clinic::ClinicZone::get(zone).unwrap();
    let today = srv.today();
    (2..730)
        .map(|n| today.add_days(n))
        .filter(|d| z.exactly(*d, 2, 30).is_none())
        .take(2)
        .collect()
}

/// Issue 13 (a): a change of the clinic's time zone that a booking ahead cannot survive — its 02:30 is skipped
/// (spring forward) or shown twice (autumn) in the new zone — is refused with 409 in words naming the booking,
/// and changes nothing: the zone, the booking's moment and revision, and the audit log stay as they were.
#[tokio::test]
async fn a_time_zone_change_a_booking_cannot_survive_is_refused_and_changes_nothing() {
    let srv = sqlite_server();
    let nights = clock_change_nights(&srv, "Europe/Warsaw");
    assert_eq!(nights.len(), 2, "two clock changes within two years");
    let go = include_str!("../../../examples/intake-norwood6-go.toml");
    for (k, night) in nights.iter().enumerate() {
        let name = format!("tz{k}");
        let (owner, prac, desk) = srv.clinic(&name, k == 0).await;
        let client = srv
            .screened_client(&prac, go, &format!("Ola Nowak {k}"))
            .await;
        let ana = srv
            .practitioner_id(&desk, &format!("Ana Ruiz ({name})"))
            .await;
        let r = srv
            .post(&desk, "/api/appointments", json!({ "client_id": client, "date": night.to_string(), "time": "02:30", "minutes": 30, "practitioner_id": ana, "room": "Room 1" }))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let before = r.json();
        let settings_before = srv.get(&owner, "/api/clinic/settings").await.json();
        let audit_before = srv.get(&owner, "/api/audit?limit=50").await.json();
        let r = srv
            .put(
                &owner,
                "/api/clinic/settings",
                json!({ "time_zone": "Europe/Warsaw" }),
            )
            .await;
        let m = r.error(StatusCode::CONFLICT);
        assert!(
            m.contains("Ola Nowak")
                && m.contains(&format!("02:30 on {night}"))
                && m.contains("Europe/Warsaw")
                && m.contains("Move that booking first"),
            "{m}"
        );
        for word in ["SQL", "constraint", "serde", "panic", "Err(", "unwrap"] {
            assert!(!m.contains(word), "{word} in {m}");
        }
        assert_eq!(
            srv.get(&owner, "/api/clinic/settings").await.json(),
            settings_before,
            "the zone is unchanged"
        );
        let list: Value = srv
            .get(&desk, &format!("/api/clients/{client}/appointments"))
            .await
            .json();
        assert_eq!(list[0]["start"], before["start"], "{list}");
        assert_eq!(list[0]["time"], "02:30");
        assert_eq!(list[0]["revision"], before["revision"]);
        assert_eq!(
            srv.get(&owner, "/api/audit?limit=50").await.json(),
            audit_before,
            "no audit row for a change that did not happen"
        );
    }
}

/// Probe s9 finding 3: documents had no cap on how many are drawn at once (8 full-scalp stencils or previews at
/// once took 250–430 MB and every core). Each is now drawn under one of `MAX_DOCUMENTS` permits: while they are
/// all held, a stencil waits; once one is free, it is drawn.
#[tokio::test]
async fn documents_are_drawn_a_few_at_a_time() {
    let srv = sqlite_server();
    let (_owner, prac, _desk) = srv.clinic("docs", true).await;
    let client = srv.new_client(&prac, "D-1", "Jan Kowalski").await;
    let case = include_str!("../../../examples/cases/norwood6-average.toml");
    let plan = srv.new_plan(&prac, client, case).await;
    let held = follicle_server::DOCUMENTS
        .acquire_many(follicle_server::MAX_DOCUMENTS as u32)
        .await
        .unwrap();
    for doc in ["stencil.svg", "stencil.pdf", "preview.png"] {
        let path = format!("/api/plans/{plan}/{doc}");
        let waiting = tokio::time::timeout(
            std::time::Duration::from_millis(1500),
            srv.get(&prac, &path),
        )
        .await;
        assert!(waiting.is_err(), "{doc} was drawn with every permit held");
    }
    let report = format!("/api/clients/{client}/report");
    assert!(
        tokio::time::timeout(
            std::time::Duration::from_millis(1500),
            srv.get(&prac, &report)
        )
        .await
        .is_err(),
        "the report was drawn with every permit held"
    );
    drop(held);
    for doc in ["stencil.svg", "stencil.pdf", "preview.png"] {
        let r = srv.get(&prac, &format!("/api/plans/{plan}/{doc}")).await;
        assert_eq!(r.status, StatusCode::OK, "{doc}: {}", r.text());
    }
}

/// Probe s9 finding 4: on PostgreSQL a login whose user name holds NUL answered 500 (the database refuses NUL
/// in text). It is now an unknown name like any other: 401 "wrong user name or password", on both backends.
async fn a_user_name_with_nul_is_an_unknown_name(srv: Server) {
    let (_owner, _prac, _desk) = srv.clinic("nul", true).await;
    for name in ["\u{0}", "nul-owner\u{0}", "\u{0}nul-owner"] {
        let r = srv
            .post(
                &support::Session::default(),
                "/api/login",
                json!({ "username": name, "password": "not the password 123" }),
            )
            .await;
        let m = r.error(StatusCode::UNAUTHORIZED);
        assert!(
            m.to_lowercase().contains("wrong user name or password"),
            "{name:?}: {m}"
        );
    }
}

#[tokio::test]
async fn a_user_name_with_nul_is_an_unknown_name_sqlite() {
    a_user_name_with_nul_is_an_unknown_name(sqlite_server()).await;
}

#[tokio::test]
async fn a_user_name_with_nul_is_an_unknown_name_postgres() {
    if let Some(srv) = support::postgres_server("s9_nul_login", Setup::default()) {
        a_user_name_with_nul_is_an_unknown_name(srv).await;
    }
}

/// Probe s9 finding 1: a consultation whose intake could not be read answered in serde's words ("intake: missing
/// field `format`", "unknown field `zzz`, expected one of `format`, `version`, …", "invalid type: integer `1`,
/// expected a string"), on recording and on correcting one. Now in the sentences of any refused form, the
/// field named in words; the intake's own sentences (vocabulary, "did you mean") are kept.
#[tokio::test]
async fn an_intake_that_cannot_be_read_is_refused_in_words() {
    let srv = sqlite_server();
    let (_owner, prac, _desk) = srv.clinic("intake", true).await;
    let go = include_str!("../../../examples/intake-norwood6-go.toml");
    let client = srv.screened_client(&prac, go, "Daniel Okafor").await;
    let intake: Value =
        serde_json::to_value(follicle_clinic::Intake::from_toml(go).unwrap()).unwrap();
    let consultation = srv
        .get(&prac, &format!("/api/clients/{client}/consultations"))
        .await
        .json()[0]["id"]
        .as_i64()
        .unwrap();
    let mut unknown = intake.clone();
    unknown["zzz_unknown"] = json!(1);
    let mut wrong = intake.clone();
    wrong["client"]["name"] = json!(12);
    let mut norwood = intake.clone();
    norwood["hair_loss"]["stage"] = json!("XIII");
    for (body, want) in [
        (json!({}), "Please fill in"),
        (json!([1, 2, 3]), "has a value of the wrong kind"),
        (unknown, "“zzz unknown”, which is not part of this record"),
        (wrong, "Name has a value of the wrong kind"),
    ] {
        for (method, path) in [
            ("POST", format!("/api/clients/{client}/consultations")),
            ("PUT", format!("/api/consultations/{consultation}")),
        ] {
            let sent = if method == "PUT" {
                json!({ "intake": body, "reason": "typo in the intake" })
            } else {
                body.clone()
            };
            let r = srv.send(&prac, method, &path, sent).await;
            let m = r.error(StatusCode::UNPROCESSABLE_ENTITY);
            for word in [
                "serde",
                "expected",
                "invalid type",
                "`",
                "field",
                "i64",
                "u32",
            ] {
                assert!(!m.contains(word), "{method} {path}: {word} in {m}");
            }
            assert!(m.contains(want), "{method} {path}: {m}");
        }
    }
    // The intake's own sentence is kept.
    let r = srv
        .post(
            &prac,
            &format!("/api/clients/{client}/consultations"),
            norwood,
        )
        .await;
    let m = r.error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        m.starts_with("Intake, “stage”: ") && m.contains("XIII") && !m.contains("hair_loss."),
        "{m}"
    );
}

/// Probe s9 finding 6: a multipart photo upload with a part it does not take (a misspelt `caption`) was stored
/// and the part lost without a word; a garbled form answered in the form's own terms ("multipart body: no
/// opening boundary"); a caption was measured in bytes ("longer than 1000 bytes": 1,000 Polish letters were
/// refused at 501). Now the part is refused in words, the garbled form gets a sentence, and a caption is
/// counted in characters.
#[tokio::test]
async fn photo_uploads_are_answered_in_words() {
    let srv = sqlite_server();
    let (_owner, prac, _desk) = srv.clinic("upload", true).await;
    let client = srv.new_client(&prac, "U-1", "Jan Kowalski").await;
    let Some(photo) = support::reference_photo() else {
        return;
    };
    let form = |parts: &[(&str, Option<&str>, &[u8])]| {
        let mut b = Vec::new();
        for (name, file, content) in parts {
            b.extend_from_slice(b"--xYz\r\nContent-Disposition: form-data; name=\"");
            b.extend_from_slice(name.as_bytes());
            b.extend_from_slice(b"\"");
            if let Some(f) = file {
                b.extend_from_slice(
                    format!("; filename=\"{f}\"\r\nContent-Type: image/jpeg").as_bytes(),
                );
            }
            b.extend_from_slice(b"\r\n\r\n");
            b.extend_from_slice(content);
            b.extend_from_slice(b"\r\n");
        }
        b.extend_from_slice(b"--xYz--\r\n");
        b
    };
    let path = format!("/api/clients/{client}/photos");
    let send = |body: Vec<u8>| {
        srv.call_with(
            &prac,
            "POST",
            &path,
            Some("multipart/form-data; boundary=xYz"),
            body,
            &[],
        )
    };
    let r = send(form(&[
        ("photo", Some("a.jpg"), &photo),
        ("captoin", None, b"left side"),
    ]))
    .await;
    let m = r.error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        m.contains("“captoin”") && m.contains("not part of a photo upload"),
        "{m}"
    );
    let r = send(b"garbage without any boundary".to_vec()).await;
    let m = r.error(StatusCode::BAD_REQUEST);
    assert!(!m.contains("multipart") && !m.contains("boundary"), "{m}");
    assert!(m.contains("send it again"), "{m}");
    let r = send(form(&[("caption", None, b"no photo")])).await;
    let m = r.error(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(m, "No photo was sent: choose a photo to upload.");
    // One caption limit, whether sent in the query or the form (2000, the clinic's free-text rule).
    let polish = "ż".repeat(2000);
    let r = send(form(&[
        ("photo", Some("a.jpg"), &photo),
        ("caption", None, polish.as_bytes()),
    ]))
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["caption"], polish);
    let longer = "ż".repeat(2001);
    let r = send(form(&[
        ("photo", Some("a.jpg"), &photo),
        ("caption", None, longer.as_bytes()),
    ]))
    .await;
    let m = r.error(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(m, "Caption: at most 2000 characters.");
}
