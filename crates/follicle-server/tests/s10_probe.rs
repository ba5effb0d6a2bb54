//! The s10 probe (issues 12 and 13), cases earlier probes did not try: names that show as nothing or stack
//! dozens of accents, owner overrides whose reason shows as nothing, one signature sent many times at once,
//! and a session recorded while a new screening is saved. Through the
//! real API router on SQLite (and PostgreSQL where `FOLLICLE_TEST_POSTGRES_URL` is set).

mod support;

use axum::http::StatusCode;
use serde_json::{json, Value};
use support::{Server, Setup};

fn sqlite_server() -> Server {
    support::sqlite_server(Setup::default())
}

/// Names that show as nothing — Hangul fillers, a blank Braille cell, tag characters, accents with no letter —
/// were taken as a client's, a user's or a room's name: a blank line on every list and in every document.
/// They are refused as empty, in words; letters with accents, Hangul and emoji sequences are names.
#[tokio::test]
async fn names_that_show_as_nothing_are_refused() {
    let srv = sqlite_server();
    let (owner, prac, _desk) = srv.clinic("blank", true).await;
    for (k, blank) in [
        "\u{3164}",
        "\u{2800}\u{2800}",
        "\u{E0041}\u{E0042}",
        "\u{301}\u{301}",
        "\u{FFA0}",
    ]
    .into_iter()
    .enumerate()
    {
        let r = srv
            .post(
                &prac,
                "/api/clients",
                json!({ "reference": format!("B-{k}"), "name": blank }),
            )
            .await;
        let m = r.error(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(m.contains("must not be empty"), "{blank:?}: {m}");
        let r = srv
            .post(&owner, "/api/users", json!({ "username": format!("blank-{k}"), "display_name": blank, "role": "practitioner", "password": "correct horse battery staple" }))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{blank:?}: {}",
            r.text()
        );
        let r = srv
            .post(&owner, "/api/rooms", json!({ "name": blank }))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{blank:?}: {}",
            r.text()
        );
    }
    // A letter with 199 accents stacked on it drew a column through the passport's heading: refused in words.
    let r = srv
        .post(
            &prac,
            "/api/clients",
            json!({ "reference": "Z-1", "name": format!("Z{}", "\u{301}".repeat(199)) }),
        )
        .await;
    let m = r.error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(m.contains("more than 5 accents"), "{m}");
    // A tag character inside a reference hides in it: refused.
    let r = srv
        .post(
            &prac,
            "/api/clients",
            json!({ "reference": "R-1\u{E0041}", "name": "Jan Kowalski" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    for (k, name) in [
        "Zoë e\u{301}",
        "Nguyễn Thị Ngọc",
        "김민준",
        "Ana 👩\u{200D}⚕\u{FE0F} Ruiz",
        "Łukasz Żółkiewski-Søren 王",
    ]
    .into_iter()
    .enumerate()
    {
        let r = srv
            .post(
                &prac,
                "/api/clients",
                json!({ "reference": format!("N-{k}"), "name": name }),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{name:?}: {}", r.text());
    }
}

/// An owner's override needs a written reason of 15 characters: 20 zero-width spaces, 20 Hangul fillers or
/// tag characters passed as one (they were counted), and a reason with a text-direction override was kept in
/// the audit log. Refused in words, booking and recording alike; nothing is booked.
#[tokio::test]
async fn an_override_whose_reason_shows_nothing_is_refused() {
    let srv = sqlite_server();
    let (owner, prac, desk) = srv.clinic("why", true).await;
    let anticoagulant = include_str!("../../../examples/intake-scar-anticoagulant.toml");
    let client = srv
        .screened_client(&prac, anticoagulant, "Margaret O'Neill")
        .await;
    let ana = srv.practitioner_id(&desk, "Ana Ruiz (why)").await;
    let r = srv
        .post(&owner, "/api/rooms", json!({ "name": "Room 1" }))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let day = srv.weekday_ahead();
    let book = |reason: &str| json!({ "client_id": client, "date": day.to_string(), "time": "10:00", "minutes": 60, "practitioner_id": ana, "room": "Room 1", "override_reason": reason });
    for reason in [
        "\u{200B}".repeat(20),
        "\u{3164}".repeat(20),
        "\u{E0041}".repeat(20),
        format!("ok{}", "\u{301}".repeat(20)),
        "Client insists \u{202E}on it today".to_string(),
    ] {
        let r = srv.post(&owner, "/api/appointments", book(&reason)).await;
        let m = r.error(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            m.contains("written reason") || m.contains("not allowed"),
            "{reason:?}: {m}"
        );
        let mut session = session_body(day, "NC1-2502-041");
        session["override"] = json!({ "reason": reason });
        let r = srv
            .post(&owner, &format!("/api/clients/{client}/sessions"), session)
            .await;
        assert!(
            matches!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT
            ),
            "{reason:?}: {}",
            r.text()
        );
        assert!(!r.message().contains("recorded"), "{}", r.message());
    }
    let booked: Value = srv
        .get(&desk, &format!("/api/clients/{client}/appointments"))
        .await
        .json();
    assert_eq!(booked.as_array().map(Vec::len), Some(0), "{booked}");
    // A reason in words still lifts the gate.
    let r = srv
        .post(
            &owner,
            "/api/appointments",
            book("The client's cardiologist agreed by phone."),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
}

/// A session's record for `day` with `lot`.
fn session_body(day: follicle_clinic::Date, lot: &str) -> Value {
    json!({ "index": 1, "date": day.to_string(), "practitioner": "Ana Ruiz", "zones": ["frontal"], "needle": { "config": "3RL", "diameter_mm": 0.25 }, "lot": lot, "dilution": { "pigment": 1, "water": 3 }, "impressions": 1000, "aftercare_given": true })
}

/// A session recorded while a new consultation is saved for the same client (the screening now needs a
/// physician's clearance): the session's checks read the old screening, and it was stored after the new one.
/// Now the checks' inputs are fingerprinted before they are read and compared under the clinic's lock in the
/// session's own transaction: a session is stored before the new screening, or refused in words.
async fn a_session_is_never_stored_on_a_screening_replaced_meanwhile(srv: Server) {
    let (owner, prac, _desk) = srv.clinic("race", true).await;
    let cat = follicle_clinic::Catalogue::parse(
        include_str!("../../../examples/pigments.toml"),
        follicle_clinic::Format::Toml,
    )
    .unwrap();
    let r = srv
        .post(
            &prac,
            "/api/pigments",
            serde_json::to_value(&cat.pigments[0]).unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let today = srv.today();
    let r = srv
        .post(&prac, "/api/lots", json!({ "pigment": cat.pigments[0].id, "number": "RACE-LOT", "expiry": "2030-01-01", "received": today.to_string() }))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let consent = srv
        .get(&prac, "/api/consent-texts/smp-treatment")
        .await
        .json();
    let go = include_str!("../../../examples/intake-norwood6-go.toml");
    let clearance = include_str!("../../../examples/intake-scar-anticoagulant.toml");
    let (mut stored, mut refused) = (0, 0);
    for round in 0..12 {
        let reference = format!("race-{round}");
        let client = srv
            .screened_client(
                &prac,
                &go.replace("c-2025-014", &reference),
                &format!("Race {round}"),
            )
            .await;
        let r = srv
            .post(&prac, &format!("/api/clients/{client}/consents"), json!({ "text": "smp-treatment", "version": consent["version"], "signed_at": format!("{today}T00:00:01Z") }))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let mut later =
            follicle_clinic::Intake::from_toml(&clearance.replace("c-2025-030", &reference))
                .unwrap();
        later.consultation.date = today;
        let (sessions, consultations) = (
            format!("/api/clients/{client}/sessions"),
            format!("/api/clients/{client}/consultations"),
        );
        let session = srv.post(&prac, &sessions, session_body(today, "RACE-LOT"));
        let screening = srv.post(&prac, &consultations, serde_json::to_value(&later).unwrap());
        let (session, screening) = tokio::join!(session, screening);
        assert_eq!(
            screening.status,
            StatusCode::CREATED,
            "{}",
            screening.text()
        );
        assert_eq!(
            screening.json()["screening"]["outcome"],
            "physician-clearance",
            "{}",
            screening.text()
        );
        if session.status == StatusCode::CREATED {
            stored += 1;
            let log = srv.get(&owner, "/api/audit?limit=50").await.json();
            let at = |entity: &str, id: &Value| {
                log.as_array()
                    .unwrap()
                    .iter()
                    .find(|e| {
                        e["action"] == "create" && e["entity"] == entity && e["entity_id"] == *id
                    })
                    .map(|e| e["id"].as_i64().unwrap())
                    .unwrap_or_else(|| panic!("{entity} {id} in {log}"))
            };
            assert!(
                at("session", &session.json()["id"])
                    < at("consultation", &screening.json()["consultation"]["id"]),
                "round {round}: a session was stored after the screening that needs a clearance"
            );
        } else {
            refused += 1;
            let m = session.error(StatusCode::CONFLICT);
            assert!(
                m.contains("changed while this session was being recorded")
                    || m.contains("clearance"),
                "round {round}: {m}"
            );
            let list = srv
                .get(&prac, &format!("/api/clients/{client}/sessions"))
                .await
                .json();
            assert_eq!(list.as_array().map(Vec::len), Some(0), "{list}");
        }
    }
    eprintln!("{stored} sessions stored before the new screening, {refused} refused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_session_racing_a_new_screening_sqlite() {
    a_session_is_never_stored_on_a_screening_replaced_meanwhile(sqlite_server()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_session_racing_a_new_screening_postgres() {
    if let Some(srv) = support::postgres_server("s10race", Setup::default()) {
        a_session_is_never_stored_on_a_screening_replaced_meanwhile(srv).await;
    }
}

/// One signing sent 12 times at once (a double tap, a resent request) stored 12 signed consents. The same
/// strokes under the same text are now kept once: one 201, the others 409 in words, and one consent listed.
/// A new signature (other strokes) is a new signing.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_signature_sent_many_times_at_once_is_kept_once() {
    let srv = sqlite_server();
    let (_owner, prac, _desk) = srv.clinic("sign", true).await;
    let client = srv.new_client(&prac, "S-1", "Łukasz Żółkiewski").await;
    let text = srv
        .get(&prac, "/api/consent-texts/smp-treatment")
        .await
        .json();
    let sign = |shift: f64| {
        let stroke: Vec<[f64; 2]> = (0..80)
            .map(|i| {
                [
                    20.0 + i as f64 * 6.0,
                    100.0 + shift + 40.0 * (i as f64 / 5.0).sin(),
                ]
            })
            .collect();
        json!({ "text": "smp-treatment", "version": text["version"], "text_sha256": text["sha256"], "signature": { "width": 600, "height": 200, "strokes": [stroke] } })
    };
    let url = format!("/api/clients/{client}/signed-consents");
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let (app, s, body) = (
            srv.app.clone(),
            prac.clone(),
            sign(0.0).to_string().into_bytes(),
        );
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            support::call(&app, &s, "POST", &url, Some("application/json"), body).await
        }));
    }
    let mut created = 0;
    for t in tasks {
        let r = t.await.unwrap();
        if r.status == StatusCode::CREATED {
            created += 1;
        } else {
            let m = r.error(StatusCode::CONFLICT);
            assert!(
                m.contains("already saved") && m.contains("kept once"),
                "{m}"
            );
        }
    }
    assert_eq!(created, 1, "one signing, one consent");
    let list = srv
        .get(&prac, &format!("/api/clients/{client}/consents"))
        .await
        .json();
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    let r = srv.post(&prac, &url, sign(12.0)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
}
