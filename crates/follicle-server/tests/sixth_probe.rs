//! The sixth outside probe (s8), the clinic's day: a client's identity changed only with a reason and the old
//! values kept (N18), two people editing the same record from copies loaded before each other's save (N23).
//! Through the real API router on SQLite, and on PostgreSQL where FOLLICLE_TEST_POSTGRES_URL is set.

mod support;

use axum::http::StatusCode;
use serde_json::json;
use support::{Server, Setup};

fn sqlite_server() -> Server {
    support::sqlite_server(Setup::default())
}

/// N18: the client details form changes contact details freely, but a new name, date of birth or reference
/// needs a reason (422 in words without one); the old values stay retrievable in the client's history for the
/// medical roles, not for the front desk.
async fn identity_edits_keep_the_old_values(srv: Server) {
    let (owner, prac, desk) = srv.clinic("n18", true).await;
    let r = srv
        .post(
            &desk,
            "/api/clients",
            json!({ "reference": "C-18", "name": "Ola Nowak", "date_of_birth": "1980-05-01" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let path = format!("/api/clients/{id}");
    // Contact details: no reason needed.
    let r = srv
        .put(
            &desk,
            &path,
            json!({ "reference": "C-18", "name": "Ola Nowak", "date_of_birth": "1980-05-01", "phone": "+48 600 100 200" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // Each identity field without a reason: refused in words, nothing changed.
    for body in [
        json!({ "reference": "C-18", "name": "Ola Kowalska", "date_of_birth": "1980-05-01" }),
        json!({ "reference": "C-18", "name": "Ola Nowak", "date_of_birth": "1980-05-10" }),
        json!({ "reference": "C-18", "name": "Ola Nowak" }),
        json!({ "reference": "C-81", "name": "Ola Nowak", "date_of_birth": "1980-05-01" }),
        json!({ "reference": "C-18", "name": "Ola Kowalska", "date_of_birth": "1980-05-01", "reason": "  " }),
    ] {
        let r = srv.put(&desk, &path, body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text()
        );
        assert_eq!(
            r.message(),
            "A client's name, date of birth or reference is changed only with a written reason (the old values are kept in the client's history): write why it changes.",
        );
    }
    let now = srv.get(&desk, &path).await.json();
    assert_eq!(
        (now["name"].as_str(), now["date_of_birth"].as_str()),
        (Some("Ola Nowak"), Some("1980-05-01"))
    );
    // With a reason: changed, the old values kept.
    let r = srv
        .put(
            &desk,
            &path,
            json!({ "reference": "C-18", "name": "Ola Kowalska", "date_of_birth": "1980-05-01", "phone": "+48 600 100 200", "reason": "Name changed on marriage (ID card seen)" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["name"], "Ola Kowalska");
    let history = format!("/api/history?entity=client&id={id}");
    for medical in [&owner, &prac] {
        let h = srv.get(medical, &history).await;
        assert_eq!(h.status, StatusCode::OK, "{}", h.text());
        let h = h.json();
        let v = &h["versions"][0];
        let old: serde_json::Value =
            serde_json::from_str(v["previous_json"].as_str().unwrap()).unwrap();
        assert_eq!(
            (old["name"].as_str(), old["date_of_birth"].as_str()),
            (Some("Ola Nowak"), Some("1980-05-01")),
            "{h}"
        );
        assert_eq!(v["reason"], "Name changed on marriage (ID card seen)");
        assert!(
            h["changes"].as_array().unwrap().iter().any(|c| c["detail"]
                .as_str()
                .unwrap()
                .contains("Name changed on marriage")),
            "{h}"
        );
    }
    assert_eq!(srv.get(&desk, &history).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn identity_edits_keep_the_old_values_sqlite() {
    identity_edits_keep_the_old_values(sqlite_server()).await;
}

#[tokio::test]
async fn identity_edits_keep_the_old_values_postgres() {
    if let Some(srv) = support::postgres_server("s8_n18", Setup::default()) {
        identity_edits_keep_the_old_values(srv).await;
    }
}

/// A 409 for an edit made from a copy loaded before someone else's save: names the record, who saved and
/// when, and says to reload.
fn assert_stale(r: &support::Reply, what: &str, by: &str) {
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let m = r.message();
    assert!(
        m.starts_with(&format!("{what} was changed by {by} at ")),
        "{m}"
    );
    assert!(
        m.ends_with(" since you opened it: reload to see their changes."),
        "{m}"
    );
}

/// N23: two people edit the same record (client details, consultation, lot, pigment, photo caption); the
/// second save, made from a copy loaded before the first, is refused with 409 naming who saved first; saved
/// again from a fresh copy, it goes through. Nothing of the first save is lost.
async fn edits_from_an_old_copy_are_refused(srv: Server) {
    let (owner, prac, desk) = srv.clinic("n23", true).await;
    let who = "Ana Ruiz (n23)";
    // Client details.
    let r = srv
        .post(
            &desk,
            "/api/clients",
            json!({ "reference": "C-23", "name": "Ola Nowak", "date_of_birth": "1980-05-01" }),
        )
        .await;
    let id = r.json()["id"].as_i64().unwrap();
    let path = format!("/api/clients/{id}");
    let old = srv.get(&desk, &path).await.json();
    let rev = old["revision"].as_str().unwrap().to_string();
    assert_eq!(rev.len(), 16, "{old}");
    let r = srv
        .put(
            &prac,
            &path,
            json!({ "reference": "C-23", "name": "Ola Nowak", "date_of_birth": "1980-05-01", "phone": "+48 600 100 200", "revision": rev }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = srv
        .put(
            &desk,
            &path,
            json!({ "reference": "C-23", "name": "Ola Nowak", "date_of_birth": "1980-05-01", "email": "ola@example.org", "revision": rev }),
        )
        .await;
    assert_stale(&r, "Ola Nowak’s record", who);
    let r = srv
        .put(
            &desk,
            &path,
            json!({ "reference": "C-23", "name": "Ola Kowalska", "date_of_birth": "1980-05-01", "reason": "Name changed on marriage", "revision": rev }),
        )
        .await;
    assert_stale(&r, "Ola Nowak’s record", who);
    let now = srv.get(&desk, &path).await.json();
    assert_eq!(now["phone"], "+48 600 100 200", "the first save stays");
    assert!(now["email"].is_null());
    let fresh = now["revision"].as_str().unwrap();
    let r = srv
        .put(
            &desk,
            &path,
            json!({ "reference": "C-23", "name": "Ola Nowak", "date_of_birth": "1980-05-01", "phone": "+48 600 100 200", "email": "ola@example.org", "revision": fresh }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    // A consultation.
    let go = include_str!("../../../examples/intake-norwood6-go.toml");
    let client = srv.screened_client(&prac, go, "Go Client").await;
    let list = srv
        .get(&prac, &format!("/api/clients/{client}/consultations"))
        .await
        .json();
    let con = &list[0];
    let con_path = format!("/api/consultations/{}", con["id"]);
    let rev = con["revision"].as_str().unwrap().to_string();
    let intake: serde_json::Value =
        serde_json::from_str(con["intake_json"].as_str().unwrap()).unwrap();
    let mut first = intake.clone();
    first["consultation"]["notes"] = json!("Client prefers a soft hairline.");
    let r = srv
        .put(
            &prac,
            &con_path,
            json!({ "reason": "Notes added after the call", "intake": first, "revision": rev }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = srv
        .put(
            &owner,
            &con_path,
            json!({ "reason": "Typo in the notes", "intake": intake, "revision": rev }),
        )
        .await;
    assert_stale(
        &r,
        &format!(
            "The consultation of {}",
            intake["consultation"]["date"].as_str().unwrap()
        ),
        who,
    );

    // A lot and a pigment.
    let cat = follicle_clinic::Catalogue::parse(
        include_str!("../../../examples/pigments.toml"),
        follicle_clinic::Format::Toml,
    )
    .unwrap();
    let p = &cat.pigments[0];
    let r = srv
        .post(&prac, "/api/pigments", serde_json::to_value(p).unwrap())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let l = cat.lots.iter().find(|l| l.pigment == p.id).unwrap();
    let r = srv
        .post(&prac, "/api/lots", serde_json::to_value(l).unwrap())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let lot = r.json();
    let lot_path = format!("/api/lots/{}", lot["id"]);
    let rev = lot["revision"].as_str().unwrap().to_string();
    let expiry = lot["expiry"].as_str().unwrap().to_string();
    let r = srv
        .put(&prac, &lot_path, json!({ "reason": "Delivery note says otherwise", "expiry": expiry, "received": null, "revision": rev }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = srv
        .put(&owner, &lot_path, json!({ "reason": "Typo on the label", "expiry": expiry, "received": l.received.map(|d| d.to_string()), "revision": rev }))
        .await;
    assert_stale(&r, &format!("Lot {}", l.number), who);
    let records = srv.get(&prac, "/api/pigment-records").await.json();
    let rec = &records[0];
    let pig_path = format!("/api/pigments/{}", rec["id"]);
    let rev = rec["revision"].as_str().unwrap().to_string();
    let mut changed = rec["pigment"].clone();
    changed["supplier"] = json!("A new supplier GmbH");
    let r = srv
        .put(
            &prac,
            &pig_path,
            json!({ "reason": "Supplier changed its name", "pigment": changed, "revision": rev }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = srv
        .put(
            &owner,
            &pig_path,
            json!({ "reason": "Brand spelt wrong", "pigment": rec["pigment"], "revision": rev }),
        )
        .await;
    assert_stale(&r, &format!("Pigment {}", p.id), who);
    assert_eq!(
        srv.get(&prac, "/api/pigment-records").await.json()[0]["pigment"]["supplier"],
        "A new supplier GmbH",
        "the first save stays"
    );
}

#[tokio::test]
async fn edits_from_an_old_copy_are_refused_sqlite() {
    edits_from_an_old_copy_are_refused(sqlite_server()).await;
}

#[tokio::test]
async fn edits_from_an_old_copy_are_refused_postgres() {
    if let Some(srv) = support::postgres_server("s8_n23", Setup::default()) {
        edits_from_an_old_copy_are_refused(srv).await;
    }
}

/// Text of a PDF by pdftotext (poppler-utils); `None` (the check is skipped, said aloud) where it is not
/// installed and CI is not set.
fn pdftotext(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    match std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(out) => {
            assert!(out.status.success(), "pdftotext failed on our PDF");
            Some(String::from_utf8(out.stdout).unwrap())
        }
        Err(e) if std::env::var("CI").is_err() => {
            eprintln!("pdftotext not available ({e}): PDF text checks skipped");
            None
        }
        Err(e) => panic!("pdftotext is needed in CI: {e}"),
    }
}

/// N24: after a lot's use-by date is corrected (to a day before a session that used it), the client's ink
/// passport still prints, and shows the corrected date, marked as before that session.
#[tokio::test]
async fn the_passport_shows_a_corrected_lot() {
    let srv = sqlite_server();
    let (_owner, prac, _desk) = srv.clinic("n24", true).await;
    let go = include_str!("../../../examples/intake-norwood6-go.toml");
    let client = srv.screened_client(&prac, go, "Daniel Okafor").await;
    let cat = follicle_clinic::Catalogue::parse(
        include_str!("../../../examples/pigments.toml"),
        follicle_clinic::Format::Toml,
    )
    .unwrap();
    for p in &cat.pigments {
        let r = srv
            .post(&prac, "/api/pigments", serde_json::to_value(p).unwrap())
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let mut lot_id = None;
    for l in &cat.lots {
        let r = srv
            .post(&prac, "/api/lots", serde_json::to_value(l).unwrap())
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        if l.number == "NC1-2409-113" {
            lot_id = r.json()["id"].as_i64();
        }
    }
    let log = follicle_clinic::SessionLog::parse(
        include_str!("../../../examples/sessions-c-2025-014.toml"),
        follicle_clinic::Format::Toml,
    )
    .unwrap();
    let c = &log.consents[0];
    let r = srv
        .post(
            &prac,
            &format!("/api/clients/{client}/consents"),
            json!({ "text": c.text, "version": c.version, "signed_at": c.signed_at.to_string() }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    for s in &log.sessions {
        assert_eq!(s.lot, "NC1-2409-113");
        let r = srv
            .post(
                &prac,
                &format!("/api/clients/{client}/sessions"),
                serde_json::to_value(s).unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    // The delivery note says the lot's use-by date was 2025-03-15, not 2025-03-31: session 2 (2025-03-20) came after.
    let r = srv
        .put(&prac, &format!("/api/lots/{}", lot_id.unwrap()), json!({ "reason": "Use-by date misread from the bottle; the delivery note says 15 March", "expiry": "2025-03-15", "received": "2024-10-02" }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let pass = srv
        .get(&prac, &format!("/api/clients/{client}/passport"))
        .await;
    assert_eq!(pass.status, StatusCode::OK, "{}", pass.text());
    let entries = pass.json()["entries"].clone();
    assert_eq!(
        entries
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (
                e["expiry"].as_str().unwrap(),
                e["past_expiry"].as_bool().unwrap_or(false)
            ))
            .collect::<Vec<_>>(),
        [("2025-03-15", false), ("2025-03-15", true)],
        "{entries}"
    );
    let pdf = srv
        .get(&prac, &format!("/api/clients/{client}/passport?format=pdf"))
        .await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.text());
    if let Some(text) = pdftotext(&pdf.body) {
        // The cell may wrap: its words, in any line.
        for word in ["2025-03-15", "(before", "session)"] {
            assert!(text.contains(word), "{word}: {text}");
        }
        assert!(
            !text.contains("2025-03-31"),
            "the old use-by date is gone: {text}"
        );
    }
}

/// N10: a change of the clinic's time zone keeps every booking still ahead at its day and time on the clinic's
/// clocks (a client booked for 10:00 still comes at 10:00); its real moment moves and its revision rises, so
/// calendars update. A booking whose time does not exist in the new zone stops the change, in words.
#[tokio::test]
async fn a_time_zone_change_keeps_bookings_at_their_local_times() {
    let srv = sqlite_server();
    let (owner, prac, desk) = srv.clinic("n10", true).await;
    let go = include_str!("../../../examples/intake-norwood6-go.toml");
    let client = srv.screened_client(&prac, go, "Go Client").await;
    let people = srv.get(&desk, "/api/practitioners").await.json();
    let ana = people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["display_name"] == "Ana Ruiz (n10)")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let day = srv.today().add_days(20);
    let r = srv
        .post(&desk, "/api/appointments", json!({ "client_id": client, "date": day.to_string(), "time": "10:00", "minutes": 60, "practitioner_id": ana, "room": "Room 1" }))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let before = r.json();
    assert_eq!(
        before["start"],
        srv.zone.exactly(day, 10, 0).unwrap().to_string()
    );
    let r = srv
        .put(
            &owner,
            "/api/clinic/settings",
            json!({ "time_zone": "Asia/Tokyo" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let list = srv
        .get(&desk, &format!("/api/clients/{client}/appointments"))
        .await
        .json();
    let after = &list[0];
    let tokyo = follicle_clinic::ClinicZone::get("Asia/Tokyo").unwrap();
    assert_eq!(
        (
            after["time"].as_str(),
            after["end_time"].as_str(),
            after["date"].as_str()
        ),
        (Some("10:00"), Some("11:00"), Some(day.to_string().as_str())),
        "{after}"
    );
    assert_eq!(
        after["start"],
        tokyo.exactly(day, 10, 0).unwrap().to_string()
    );
    assert_eq!(
        after["revision"].as_i64().unwrap(),
        before["revision"].as_i64().unwrap() + 1,
        "calendars take the new moment"
    );
    let audit = srv.get(&owner, "/api/audit?limit=5").await.json();
    assert!(
        audit.as_array().unwrap().iter().any(|e| e["detail"]
            .as_str()
            .unwrap()
            .contains("time zone Asia/Tokyo, 1 bookings ahead kept at their local times")),
        "{audit}"
    );
    // Setting the same zone again moves nothing.
    let r = srv
        .put(
            &owner,
            "/api/clinic/settings",
            json!({ "time_zone": "Asia/Tokyo" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let again = srv
        .get(&desk, &format!("/api/clients/{client}/appointments"))
        .await
        .json();
    assert_eq!(again[0]["start"], after["start"]);
    assert_eq!(again[0]["revision"], after["revision"]);
}

/// N3: the tablet handed to a client serves only that client's signing screen: every other record and list is
/// refused in words (whatever the client types into the address bar, on any node: the mark is in the
/// database); signing works; a wrong password does not take it back; the staff's password does.
async fn the_handed_over_tablet_serves_only_the_signing(srv: Server) {
    let (_owner, prac, _desk) = srv.clinic("n3", true).await;
    let go = include_str!("../../../examples/intake-norwood6-go.toml");
    let client = srv.screened_client(&prac, go, "Signing Client").await;
    let r = srv
        .post(
            &prac,
            "/api/clients",
            json!({ "reference": "C-OTHER", "name": "Other Client" }),
        )
        .await;
    let other = r.json()["id"].as_i64().unwrap();
    let r = srv
        .post(
            &prac,
            &format!("/api/clients/{client}/hand-over"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    assert_eq!(srv.get(&prac, "/api/me").await.json()["handed_to"], client);
    let words = "This tablet is with the client for signing the consent. Hand it back to staff, who unlock it with their password.";
    for path in [
        "/api/clients".to_string(),
        format!("/api/clients/{other}"),
        format!("/api/clients/{client}/consultations"),
        format!("/api/clients/{client}/sessions"),
        "/api/appointments?from=2026-12-01&days=7".to_string(),
        "/api/lots".to_string(),
    ] {
        let r = srv.get(&prac, &path).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.text());
        assert_eq!(r.message(), words, "{path}");
    }
    let r = srv
        .put(
            &prac,
            &format!("/api/clients/{client}"),
            json!({ "reference": "X", "name": "X" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    // What the signing screen needs.
    assert_eq!(
        srv.get(&prac, &format!("/api/clients/{client}"))
            .await
            .json()["name"],
        "Signing Client"
    );
    let text = srv
        .get(&prac, "/api/consent-texts/smp-treatment")
        .await
        .json();
    let stroke: Vec<[f64; 2]> = (0..80)
        .map(|i| [20.0 + i as f64 * 6.0, 100.0 + 60.0 * (i as f64 / 5.0).sin()])
        .collect();
    let r = srv
        .post(&prac, &format!("/api/clients/{client}/signed-consents"), json!({ "text": "smp-treatment", "version": text["version"], "text_sha256": text["sha256"], "signature": { "width": 600, "height": 200, "strokes": [stroke] } }))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // Signed: still locked until staff take it back.
    assert_eq!(
        srv.get(&prac, "/api/clients").await.status,
        StatusCode::FORBIDDEN
    );
    let r = srv
        .post(
            &prac,
            "/api/tablet/take-back",
            json!({ "password": "not the password" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(
        srv.get(&prac, "/api/clients").await.status,
        StatusCode::FORBIDDEN
    );
    let r = srv
        .post(
            &prac,
            "/api/tablet/take-back",
            json!({ "password": support::OTHER_PASSWORD }),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    assert_eq!(srv.get(&prac, "/api/clients").await.status, StatusCode::OK);
    assert!(srv.get(&prac, "/api/me").await.json()["handed_to"].is_null());
}

#[tokio::test]
async fn the_handed_over_tablet_serves_only_the_signing_sqlite() {
    the_handed_over_tablet_serves_only_the_signing(sqlite_server()).await;
}

#[tokio::test]
async fn the_handed_over_tablet_serves_only_the_signing_postgres() {
    if let Some(srv) = support::postgres_server("s8_n3", Setup::default()) {
        the_handed_over_tablet_serves_only_the_signing(srv).await;
    }
}

/// L11: the session form's offer comes from the plan: the zones that receive impressions, the impressions the
/// plan places in the next session, never more than remain; after a session, what remains shrinks and the next
/// session's count is proposed.
#[tokio::test]
async fn the_session_form_follows_the_plan() {
    let srv = sqlite_server();
    let (_owner, prac, _desk) = srv.clinic("l11", true).await;
    let go = include_str!("../../../examples/intake-norwood6-go.toml");
    let client = srv.screened_client(&prac, go, "Daniel Okafor").await;
    let offer = format!("/api/clients/{client}/session-plan");
    assert!(srv.get(&prac, &offer).await.json()["plan"].is_null());
    let r = srv
        .post(
            &prac,
            &format!("/api/clients/{client}/plans"),
            json!({ "case": include_str!("../../../examples/cases/norwood6-average.toml") }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let plan = r.json()["id"].as_i64().unwrap();
    let doc = srv
        .get(&prac, &format!("/api/plans/{plan}/plan.json"))
        .await
        .json();
    let per_session: Vec<i64> = doc["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["impressions"].as_i64().unwrap())
        .collect();
    let total: i64 = doc["impressions"].as_array().unwrap().len() as i64;
    let o = srv.get(&prac, &offer).await.json();
    assert_eq!(o["plan"], plan, "{o}");
    assert_eq!(o["remaining"], total, "{o}");
    assert_eq!(o["proposed"], per_session[0], "{o}");
    assert_eq!(o["planned_session"], 1, "{o}");
    let zones: Vec<&str> = o["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z["id"].as_str().unwrap())
        .collect();
    assert!(zones.contains(&"hairline") && !zones.is_empty(), "{o}");
    assert!(
        o["zones"][0]["name"]
            .as_str()
            .unwrap()
            .chars()
            .next()
            .unwrap()
            .is_uppercase(),
        "plain names: {o}"
    );
    // Named as the design editor names them (follicle-core's words), each with its share of the session and
    // the plan's strength for it as a mix (probe s33).
    let names: Vec<&str> = o["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Mid-scalp") && names.contains(&"Hairline"),
        "{o}"
    );
    let shares: i64 = o["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z["impressions"].as_i64().unwrap())
        .sum();
    assert_eq!(shares, per_session[0], "{o}");
    for z in o["zones"].as_array().unwrap() {
        let strength = z["strength"].as_f64().unwrap();
        let (p, w) = (
            z["mix"]["pigment"].as_f64().unwrap(),
            z["mix"]["water"].as_f64().unwrap(),
        );
        assert!((p / (p + w) - strength).abs() < 0.05, "{z}");
    }
    // Record session 1 as offered.
    let cat = follicle_clinic::Catalogue::parse(
        include_str!("../../../examples/pigments.toml"),
        follicle_clinic::Format::Toml,
    )
    .unwrap();
    for p in &cat.pigments {
        srv.post(&prac, "/api/pigments", serde_json::to_value(p).unwrap())
            .await;
    }
    for l in &cat.lots {
        srv.post(&prac, "/api/lots", serde_json::to_value(l).unwrap())
            .await;
    }
    let log = follicle_clinic::SessionLog::parse(
        include_str!("../../../examples/sessions-c-2025-014.toml"),
        follicle_clinic::Format::Toml,
    )
    .unwrap();
    let c = &log.consents[0];
    let r = srv
        .post(
            &prac,
            &format!("/api/clients/{client}/consents"),
            json!({ "text": c.text, "version": c.version, "signed_at": c.signed_at.to_string() }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let mut s = serde_json::to_value(&log.sessions[0]).unwrap();
    s["zones"] = json!(zones);
    s["impressions"] = o["proposed"].clone();
    let r = srv
        .post(&prac, &format!("/api/clients/{client}/sessions"), s)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let o = srv.get(&prac, &offer).await.json();
    assert_eq!(o["remaining"], total - per_session[0], "{o}");
    assert_eq!(
        o["proposed"],
        per_session[1].min(total - per_session[0]),
        "{o}"
    );
    assert_eq!(o["planned_session"], 2, "{o}");
}
