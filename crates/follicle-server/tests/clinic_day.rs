//! The clinic's day through the real API (issue 13, points 3 and 4), in a clinic on Europe/Warsaw time: booking,
//! clashes worded for the front desk, the screening gate on bookings, racing bookings, moving and cancelling, the
//! day/week view, the three reminder calendars checked by Python's icalendar, the proposed follow-ups booked in
//! one click, consent signed on a tablet with its PDF read back by pdftotext, and the clearance letter upload.
//! On SQLite always, and on PostgreSQL when FOLLICLE_TEST_POSTGRES_URL is set.

mod support;

use axum::http::StatusCode;
use follicle_clinic::Date;
use serde_json::{json, Value};
use std::process::Command;
use support::{call, Server, Session, Setup};

const GO: &str = include_str!("../../../examples/intake-norwood6-go.toml");
const CLEARANCE: &str = include_str!("../../../examples/intake-scar-anticoagulant.toml");

/// A clinic on Europe/Warsaw time.
const WARSAW: Setup = Setup {
    zone: Some("Europe/Warsaw"),
    studio_ui: false,
};

impl Server {
    /// A client with a screened consultation from `intake` (TOML), named `name`.
    async fn client(&self, s: &Session, intake: &str, name: &str) -> i64 {
        let intake = follicle_clinic::Intake::from_toml(intake).unwrap();
        let r = self
            .post(
                s,
                "/api/clients",
                json!({ "reference": intake.client.id, "name": name }),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::CREATED,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        let id = r.json()["id"].as_i64().unwrap();
        let r = self
            .post(
                s,
                &format!("/api/clients/{id}/consultations"),
                serde_json::to_value(&intake).unwrap(),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::CREATED,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        id
    }
}

fn sqlite_server() -> Server {
    support::sqlite_server(WARSAW)
}

fn postgres_server(tag: &str) -> Option<Server> {
    support::postgres_server(&format!("day_{tag}"), WARSAW)
}

fn booking(
    client: i64,
    date: Date,
    time: &str,
    minutes: i64,
    practitioner: i64,
    room: &str,
) -> Value {
    json!({ "client_id": client, "date": date.to_string(), "time": time, "minutes": minutes, "practitioner_id": practitioner, "room": room })
}

/// Runs tests/../follicle-clinic/tests/ics_check.py (Python icalendar) on a calendar; returns its events.
fn ics_events(text: &[u8]) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.ics");
    std::fs::write(&path, text).unwrap();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../follicle-clinic/tests/ics_check.py"
    );
    let out = Command::new("python3")
        .arg(script)
        .arg(&path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "ics_check.py: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(text)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

async fn whole_day(srv: Server) {
    let (owner, prac, desk) = srv.clinic("day", true).await;
    let (other_owner, _, other_desk) = srv.clinic("other", false).await;
    // The studio's date fields take the clinic's day, not the browser's (probe s7 L1).
    assert_eq!(
        srv.get(&desk, "/api/me").await.json()["today"],
        srv.today().to_string()
    );
    let people = srv.get(&desk, "/api/practitioners").await.json();
    let names: Vec<&str> = people
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Owner day", "Ana Ruiz (day)"],
        "front desk is not bookable"
    );
    let ana = people[1]["id"].as_i64().unwrap();
    let boss = people[0]["id"].as_i64().unwrap();
    let desk_id = srv
        .get(&owner, "/api/users")
        .await
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["role"] == "front_desk")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let lukasz = srv
        .client(&prac, GO, "Łukasz Żółkiewski; \"Jr\", test")
        .await;
    let margaret = srv.client(&prac, CLEARANCE, "Margaret O'Neill").await;
    let day = srv.today().add_days(20);

    // The front desk books; the answer carries the time on the clinic's clocks.
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(lukasz, day, "10:00", 60, ana, "Room 1"),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let first = r.json();
    assert_eq!(
        (
            first["time"].as_str(),
            first["end_time"].as_str(),
            first["minutes"].as_i64()
        ),
        (Some("10:00"), Some("11:00"), Some(60))
    );
    assert_eq!(
        first["start"],
        srv.zone.exactly(day, 10, 0).unwrap().to_string()
    );
    let first_id = first["id"].as_i64().unwrap();

    // Clashes, in words a receptionist understands; touching is fine.
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(lukasz, day, "10:30", 60, ana, "Room 2"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.message(), format!("The practitioner Ana Ruiz (day) is already booked from 10:00 to 11:00 on {day}. Choose another time or another practitioner."));
    // One client cannot be in two rooms with two practitioners at once (probe s7 N20).
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(lukasz, day, "10:30", 60, boss, "Room 2"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.message(), format!("The client Łukasz Żółkiewski; \"Jr\", test already has an appointment from 10:00 to 11:00 on {day} with Ana Ruiz (day). Choose another time."));
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(lukasz, day, "10:45", 30, boss, "  room   1 "),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.message()
            .starts_with("Room 1 is already in use from 10:00 to 11:00"),
        "{}",
        r.message()
    );
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(lukasz, day, "11:00", 60, ana, "Room 1"),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "touching is no clash: {}",
        r.message()
    );
    let second_id = r.json()["id"].as_i64().unwrap();

    // Bad input: bounded, refused in words, nothing stored.
    for (body, status) in [
        (
            booking(lukasz, day, "12:00", 5, ana, "Room 1"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            booking(lukasz, day, "12:00", 100_000, ana, "Room 1"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            booking(lukasz, day, "12:00", -60, ana, "Room 1"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            booking(lukasz, day, "25:00", 60, ana, "Room 1"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            booking(lukasz, day, "12:00", 60, ana, "Room\n1"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            booking(lukasz, day, "12:00", 60, ana, "Room\u{202e}1"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            booking(lukasz, day, "12:00", 60, ana, &"R".repeat(100_000)),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            booking(lukasz, day, "12:00", 60, ana, ""),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            booking(
                lukasz,
                srv.today().add_days(1000),
                "12:00",
                60,
                ana,
                "Room 1",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            booking(lukasz, srv.today().add_days(-3), "12:00", 60, ana, "Room 1"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            booking(lukasz, day, "12:00", 60, desk_id, "Room 1"),
            StatusCode::CONFLICT,
        ),
        (
            booking(lukasz, day, "12:00", 60, 999_999, "Room 1"),
            StatusCode::NOT_FOUND,
        ),
        (
            booking(999_999, day, "12:00", 60, ana, "Room 1"),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let r = srv.post(&desk, "/api/appointments", body.clone()).await;
        assert_eq!(
            r.status,
            status,
            "{body}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let m = r.message();
        assert!(
            !m.is_empty() && !m.to_lowercase().contains("sql") && !m.contains("constraint"),
            "{m}"
        );
    }
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(lukasz, day, "12:00", 60, ana, "Room 1"),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "the practitioner is free at noon"
    );
    let noon_id = r.json()["id"].as_i64().unwrap();

    // The screening gate: a client who needs a clearance can't have a session booked; front desk learns no
    // medical detail; a consultation can be booked.
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(margaret, day, "14:00", 60, ana, "Room 2"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.message().contains("ask the practitioner"),
        "{}",
        r.message()
    );
    for word in [
        "anticoagulant",
        "warfarin",
        "diabetes",
        "heart",
        "clearance",
    ] {
        assert!(
            !r.message().to_lowercase().contains(word),
            "front desk sees no medical detail: {}",
            r.message()
        );
    }
    let r = srv
        .post(
            &prac,
            "/api/appointments",
            booking(margaret, day, "14:00", 60, ana, "Room 2"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.message().contains("physician's clearance"),
        "{}",
        r.message()
    );
    // A refusal the owner may lift says so by its code (the studio offers the reason field for it alone).
    assert_eq!(
        r.json()["error"]["code"],
        "owner_may_override",
        "{}",
        r.text()
    );
    let mut consult = booking(margaret, day, "14:00", 30, ana, "Room 2");
    consult["kind"] = json!("consultation");
    assert_eq!(
        srv.post(&desk, "/api/appointments", consult).await.status,
        StatusCode::CREATED
    );

    // The clearance letter: uploaded with who and when, linked; then the session can be booked.
    let boundary = "----follicle-test-boundary";
    let form = |parts: &[(&str, Option<&str>, &[u8])]| {
        let mut body = Vec::new();
        for (name, file, content) in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match file {
                Some(f) => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes()),
                None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
            }
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        body
    };
    let ct = format!("multipart/form-data; boundary={boundary}");
    // A PDF with its cross-reference table and trailer (a letter must parse as a PDF: second probe, L5).
    let letter = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\nxref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \ntrailer<</Size 3/Root 1 0 R>>\nstartxref\n96\n%%EOF\n".to_vec();
    let today = srv.today().to_string();
    let path = format!("/api/clients/{margaret}/clearance");
    let r = call(
        &srv.app,
        &desk,
        "POST",
        &path,
        Some(&ct),
        form(&[
            ("by", None, b"Dr. R. Shah"),
            ("date", None, today.as_bytes()),
            ("letter", Some("shah.pdf"), &letter),
        ]),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "front desk does not record clearances"
    );
    for (parts, status) in [
        (
            form(&[
                ("by", None, b"Dr. R. Shah"),
                ("date", None, today.as_bytes()),
            ]),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            form(&[
                ("by", None, b"Dr. R. Shah"),
                ("date", None, today.as_bytes()),
                ("letter", Some("x.exe"), b"MZ\x90\x00 not a letter"),
            ]),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            form(&[
                ("by", None, b"Dr. R. Shah"),
                ("date", None, b"2999-01-01"),
                ("letter", Some("a.pdf"), &letter),
            ]),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            form(&[
                ("by", None, b""),
                ("date", None, today.as_bytes()),
                ("letter", Some("a.pdf"), &letter),
            ]),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            form(&[
                ("by", None, b"Dr. R. Shah"),
                ("date", None, today.as_bytes()),
                (
                    "letter",
                    Some("big.pdf"),
                    &[b"%PDF-1.4\n".as_slice(), &vec![b'x'; 6 * 1024 * 1024]].concat(),
                ),
            ]),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (b"not a form".to_vec(), StatusCode::BAD_REQUEST),
    ] {
        let r = call(&srv.app, &prac, "POST", &path, Some(&ct), parts).await;
        assert_eq!(r.status, status, "{}", String::from_utf8_lossy(&r.body));
        assert!(r.json()["error"]["message"].is_string());
    }
    assert!(
        srv.get(&prac, &format!("/api/clients/{margaret}/clearance-letters"))
            .await
            .json()
            .as_array()
            .unwrap()
            .is_empty(),
        "refused uploads store nothing"
    );
    let r = call(
        &srv.app,
        &prac,
        "POST",
        &path,
        Some(&ct),
        form(&[
            ("by", None, "Dr. R. Shah, cardiologist".as_bytes()),
            ("date", None, today.as_bytes()),
            ("notes", None, b"INR below 3 on the day"),
            ("letter", Some("Dr Shah – letter.pdf"), &letter),
        ]),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let rec = r.json();
    assert_eq!(
        rec["letter"]["consultation_id"], rec["consultation"]["id"],
        "the letter is linked to the clearance's consultation"
    );
    assert!(rec["clearance"]["letter"]
        .as_str()
        .unwrap()
        .contains(&rec["letter"]["sha256"].as_str().unwrap()[..16]));
    let letter_id = rec["letter"]["id"].as_i64().unwrap();
    let got = srv
        .get(&prac, &format!("/api/clearance-letters/{letter_id}"))
        .await;
    assert_eq!(
        (got.status, got.body.clone()),
        (StatusCode::OK, letter.clone())
    );
    assert_eq!(
        srv.get(&other_owner, &format!("/api/clearance-letters/{letter_id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(margaret, day, "15:00", 60, ana, "Room 2"),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "with the clearance recorded the session is booked: {}",
        r.message()
    );
    // "Export everything" carries the clinic's day too: the appointments, and the clearance letter's details
    // and file.
    let zip_bytes = srv
        .get(&prac, &format!("/api/clients/{margaret}/export"))
        .await;
    assert_eq!(zip_bytes.status, StatusCode::OK);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes.body)).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("records.json").unwrap(), &mut text).unwrap();
    let records: Value = serde_json::from_str(&text).unwrap();
    assert!(
        !records["appointments"].as_array().unwrap().is_empty(),
        "{}",
        records["appointments"]
    );
    assert_eq!(records["clearance_letters"][0]["id"], letter_id);
    let mut file = Vec::new();
    let letter_name = zip
        .file_names()
        .find(|n| n.starts_with("clearance-letters/"))
        .expect("the letter's file is in the archive")
        .to_string();
    std::io::Read::read_to_end(&mut zip.by_name(&letter_name).unwrap(), &mut file).unwrap();
    assert_eq!(file, letter);

    // Eight bookings racing for one slot: exactly one wins.
    let race_day = day.add_days(1);
    let mut tasks = Vec::new();
    for i in 0..8 {
        let app = srv.app.clone();
        let s = desk.clone();
        let body = booking(
            lukasz,
            race_day,
            "09:00",
            60,
            ana,
            &format!("Room {}", 10 + i),
        )
        .to_string()
        .into_bytes();
        tasks.push(tokio::spawn(async move {
            call(
                &app,
                &s,
                "POST",
                "/api/appointments",
                Some("application/json"),
                body,
            )
            .await
            .status
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );

    // Moving and cancelling.
    let mv = |id: i64, time: &str| {
        let path = format!("/api/appointments/{id}");
        let body = json!({ "date": day.to_string(), "time": time, "minutes": 60, "practitioner_id": ana, "room": "Room 1" });
        let (srv, desk) = (&srv, &desk);
        async move { srv.send(desk, "PUT", &path, body).await }
    };
    let r = mv(second_id, "10:30").await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "moved onto the first booking"
    );
    let r = mv(second_id, "16:00").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    assert_eq!(
        (r.json()["time"].as_str(), r.json()["revision"].as_i64()),
        (Some("16:00"), Some(1))
    );
    assert_eq!(
        mv(noon_id, "12:15").await.status,
        StatusCode::OK,
        "moved within its own time"
    );
    let r = srv
        .post(
            &desk,
            &format!("/api/appointments/{first_id}/cancel"),
            json!({ "reason": "Client phoned: ill" }),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["status"].as_str()),
        (StatusCode::OK, Some("cancelled"))
    );
    let r = srv
        .post(
            &desk,
            &format!("/api/appointments/{first_id}/cancel"),
            json!({ "reason": "again" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        mv(first_id, "17:00").await.status,
        StatusCode::CONFLICT,
        "a cancelled booking is not moved"
    );
    assert_eq!(
        srv.post(
            &desk,
            &format!("/api/appointments/{second_id}/cancel"),
            json!({ "reason": "" })
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Day and week views; bounded; another clinic sees nothing.
    let v = srv
        .get(&desk, &format!("/api/appointments?from={day}&days=1"))
        .await
        .json();
    let times: Vec<&str> = v["appointments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["time"].as_str().unwrap())
        .collect();
    assert_eq!(
        times,
        ["12:15", "14:00", "15:00", "16:00"],
        "by start, cancelled left out"
    );
    let v = srv
        .get(
            &desk,
            &format!("/api/appointments?from={day}&days=7&cancelled=true"),
        )
        .await
        .json();
    assert_eq!(
        v["appointments"].as_array().unwrap().len(),
        6,
        "the week with the race winner and the cancelled one"
    );
    for q in [
        "days=0",
        "days=93",
        "days=-1",
        "from=2025-02-30",
        "from=yesterday",
        "days=99999999999",
    ] {
        let r = srv.get(&desk, &format!("/api/appointments?{q}")).await;
        assert!(
            r.status == StatusCode::UNPROCESSABLE_ENTITY || r.status == StatusCode::BAD_REQUEST,
            "{q}: {}",
            r.status
        );
    }
    assert!(srv
        .get(&other_desk, &format!("/api/appointments?from={day}&days=7"))
        .await
        .json()["appointments"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(
        srv.get(&other_desk, &format!("/api/appointments/{noon_id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        srv.post(
            &other_desk,
            &format!("/api/appointments/{noon_id}/cancel"),
            json!({ "reason": "hijack" })
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        srv.get(&other_desk, &format!("/api/users/{ana}/appointments.ics"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Reminders: the client's, the practitioner's and the clinic's calendars, read by Python's icalendar.
    let r = srv
        .get(&desk, &format!("/api/clients/{lukasz}/appointments.ics"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let ev = ics_events(&r.body);
    assert_eq!(
        ev.len(),
        4,
        "noon, 16:00, the race winner and the cancelled first booking: {ev:?}"
    );
    // A cancelled booking stays in the feed as cancelled (same UID, SEQUENCE up, no reminder), so a subscribed
    // calendar marks it instead of silently dropping it.
    let gone = ev
        .iter()
        .find(|e| e["uid"] == format!("appointment-{first_id}@follicle.invalid"))
        .unwrap();
    assert_eq!(
        (gone["status"].as_str(), gone["sequence"].as_i64()),
        (Some("CANCELLED"), Some(1))
    );
    assert_eq!(gone["summary"], "Cancelled: Session at day Studio");
    assert_eq!(gone["alarms"], json!([]));
    let noon = ev
        .iter()
        .find(|e| e["uid"] == format!("appointment-{noon_id}@follicle.invalid"))
        .unwrap();
    let start = srv.zone.exactly(day, 12, 15).unwrap();
    assert_eq!(
        noon["dtstart"],
        start
            .to_jiff()
            .strftime("%Y-%m-%dT%H:%M:%S+00:00")
            .to_string()
    );
    assert_eq!(
        noon["dtend"],
        follicle_clinic::DateTime::from_unix_seconds(start.to_jiff().as_second() + 3600)
            .unwrap()
            .to_jiff()
            .strftime("%Y-%m-%dT%H:%M:%S+00:00")
            .to_string()
    );
    assert_eq!(noon["sequence"], 1);
    assert_eq!(noon["status"], "CONFIRMED");
    assert_eq!(noon["summary"], "Session at day Studio");
    assert_eq!(noon["location"], "day Studio, Room 1");
    let alarm = srv
        .zone
        .at(day.add_days(-1), 9, 0)
        .to_jiff()
        .strftime("%Y-%m-%d %H:%M:%S+00:00")
        .to_string();
    assert_eq!(
        noon["alarms"],
        json!([alarm]),
        "09:00 the day before on the clinic's clocks"
    );
    let r = srv
        .get(
            &prac,
            &format!("/api/users/{ana}/appointments.ics?from={day}&days=2"),
        )
        .await;
    let ev = ics_events(&r.body);
    assert!(ev.iter().all(|e| e["description"]
        .as_str()
        .unwrap()
        .contains("Ana Ruiz (day)")));
    assert!(
        ev.iter()
            .any(|e| e["summary"] == "Łukasz Żółkiewski; \"Jr\", test: Session"),
        "escaping round-trips: {ev:?}"
    );
    let r = srv
        .get(&desk, &format!("/api/appointments.ics?from={day}&days=7"))
        .await;
    assert_eq!(
        ics_events(&r.body).len(),
        6,
        "five booked and the cancelled one"
    );
    assert_eq!(
        srv.get(&desk, "/api/appointments.ics?days=400")
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a feed's range is bounded"
    );

    // A day the clocks change: a time that does not exist is refused, a booking across the change lasts its real
    // minutes.
    let change = (1..400)
        .map(|n| srv.today().add_days(n))
        .find(|d| srv.zone.exactly(*d, 2, 30).is_none())
        .unwrap();
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(lukasz, change, "02:30", 60, boss, "Night room"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.message().contains("clocks change"), "{}", r.message());
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(lukasz, change, "01:00", 120, boss, "Night room"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    let end = r.json()["end_time"].as_str().unwrap().to_string();
    assert_eq!(
        end,
        if change.month() == 3 {
            "04:00"
        } else {
            "02:00"
        },
        "{change}"
    );

    // The proposed follow-ups, booked with one click (the UI posts the proposal as it comes).
    let p = srv
        .get(&desk, &format!("/api/clients/{margaret}/proposals"))
        .await
        .json();
    let visits = p["visits"].as_array().unwrap();
    assert!(
        visits.iter().all(|v| v["kind"] == "session"),
        "front desk sees no touch-up: {p}"
    );
    let first_visit = &visits[0];
    assert_eq!(first_visit["purpose"], "Session 1 of 3");
    let on: Date = first_visit["book_on"].as_str().unwrap().parse().unwrap();
    let mut one_click = booking(
        margaret,
        on.max(srv.today().add_days(1)),
        "09:00",
        120,
        boss,
        "Room 3",
    );
    one_click["purpose"] = first_visit["purpose"].clone();
    let r = srv.post(&desk, "/api/appointments", one_click).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    let p = srv
        .get(&desk, &format!("/api/clients/{margaret}/proposals"))
        .await
        .json();
    assert_eq!(p["visits"][0]["booked"], r.json()["id"]);
    // A session booked with the ordinary form (no visit label) counts as the next visit, so its one-click
    // "Book" is not offered again (probe s7 N12).
    let unbooked = |p: &Value| {
        p["visits"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["booked"].is_null())
            .count()
    };
    let before = unbooked(&p);
    let open: Date = p["visits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["booked"].is_null())
        .expect("a visit left to book")["book_on"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let by_hand = booking(margaret, open, "09:00", 120, boss, "Room 3");
    let r = srv.post(&desk, "/api/appointments", by_hand).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    assert_eq!(r.json()["purpose"], "Session");
    let p = srv
        .get(&desk, &format!("/api/clients/{margaret}/proposals"))
        .await
        .json();
    assert_eq!(unbooked(&p), before - 1, "{p}");
    assert!(
        p["visits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["booked"] == r.json()["id"]),
        "{p}"
    );

    // Consent on the tablet: the full text with its hash; the strokes; the PDF the client takes home.
    assert_eq!(
        srv.get(&desk, "/api/consent-texts/smp-treatment")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let text = srv
        .get(&prac, "/api/consent-texts/smp-treatment")
        .await
        .json();
    assert!(text["body"]
        .as_str()
        .unwrap()
        .contains("I confirm that I am 18 years of age"));
    assert_eq!(
        srv.get(&prac, "/api/consent-texts/nonsense").await.status,
        StatusCode::NOT_FOUND
    );
    let stroke: Vec<[f64; 2]> = (0..80)
        .map(|i| [20.0 + i as f64 * 6.0, 100.0 + 60.0 * (i as f64 / 5.0).sin()])
        .collect();
    let sign = |sha: &str, strokes: Value| json!({ "text": "smp-treatment", "version": text["version"], "text_sha256": sha, "signature": { "width": 600, "height": 200, "strokes": strokes } });
    let sha = text["sha256"].as_str().unwrap();
    let url = format!("/api/clients/{lukasz}/signed-consents");
    for (body, status) in [
        (sign(&"0".repeat(64), json!([stroke])), StatusCode::CONFLICT),
        (sign(sha, json!([])), StatusCode::UNPROCESSABLE_ENTITY),
        (
            sign(sha, json!([[[5, 5]]])),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            sign(sha, json!([[[5, 5], [900, 5]]])),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            sign(sha, json!([vec![[1, 1]; 10_001]])),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let r = srv.post(&prac, &url, body).await;
        assert_eq!(r.status, status, "{}", r.message());
    }
    assert_eq!(
        srv.post(&desk, &url, sign(sha, json!([stroke])))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = srv
        .post(
            &prac,
            &url,
            sign(sha, json!([stroke, [[300, 150], [400, 160]]])),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    let signed = r.json();
    assert_eq!(signed["signed"]["text_sha256"], sha);
    assert_eq!(signed["signature"]["witness"], "Ana Ruiz (day)");
    assert!(signed["signature"]["path"]
        .as_str()
        .unwrap()
        .starts_with("M20 100 L26 "));
    let pdf = srv.get(&prac, signed["pdf"].as_str().unwrap()).await;
    assert_eq!(
        pdf.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&pdf.body)
    );
    assert!(pdf.body.starts_with(b"%PDF-"));
    assert_eq!(
        srv.get(&other_owner, signed["pdf"].as_str().unwrap())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("signed.pdf");
    std::fs::write(&file, &pdf.body).unwrap();
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    let words = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for want in [
        "Signed consent: Łukasz Żółkiewski",
        "Consent to scalp micropigmentation",
        "I confirm that I am 18 years of age or older",
        "Ana Ruiz (day)",
        "Europe/Warsaw",
        sha,
        "Witness",
        "Signature",
    ] {
        assert!(words.contains(want), "{want} in the signed PDF: {words}");
    }
    // An independent renderer draws every page (the signature is a stroked path).
    let png = dir.path().join("page");
    let st = Command::new("pdftoppm")
        .args(["-r", "50", "-png", "-f", "1", "-l", "2"])
        .arg(&file)
        .arg(&png)
        .status()
        .unwrap();
    assert!(st.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_clinic_s_day_on_sqlite() {
    whole_day(sqlite_server()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_clinic_s_day_on_postgres() {
    if let Some(srv) = postgres_server("whole") {
        whole_day(srv).await;
    }
}

/// Opening hours, the managed room list and the owner's override on bookings (issue 13): refusals in words the
/// front desk understands, the override only from the owner with a written reason, stored and audited, and the
/// hours shown with the day and week views.
async fn premises_and_overrides(srv: Server) {
    let (owner, prac, desk) = srv.clinic("prem", true).await;
    let people = srv.get(&desk, "/api/practitioners").await.json();
    let ana = people[1]["id"].as_i64().unwrap();
    let lukasz = srv.client(&prac, GO, "Łukasz Żółkiewski").await;
    let margaret = srv.client(&prac, CLEARANCE, "Margaret O'Neill").await;
    // A Monday at least ten days ahead.
    let monday = (10..20)
        .map(|n| srv.today().add_days(n))
        .find(|d| d.to_jiff().weekday().to_monday_zero_offset() == 0)
        .unwrap();
    let saturday = monday.add_days(5);

    // Not entered yet: nothing restricts a booking, and the view says so.
    let v = srv
        .get(&desk, &format!("/api/appointments?from={monday}&days=7"))
        .await
        .json();
    assert_eq!(v["hours"][0]["hours"], Value::Null, "{v}");
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(lukasz, saturday, "20:00", 60, ana, "Anywhere"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());

    // The owner keeps the hours; others may read them, not change them.
    let week = json!({ "days": (0..5).map(|d| json!({ "weekday": d, "opens": "09:00", "closes": "17:00" })).collect::<Vec<_>>() });
    assert_eq!(
        srv.send(&desk, "PUT", "/api/clinic/hours", week.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        srv.send(&prac, "PUT", "/api/clinic/hours", week.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    for (bad, want) in [
        (
            json!({ "days": [{ "weekday": 1, "opens": "17:00", "closes": "09:00" }] }),
            "Tuesday: the clinic must close after it opens",
        ),
        (
            json!({ "days": [{ "weekday": 9, "opens": "09:00", "closes": "17:00" }] }),
            "Weekday 9 does not exist",
        ),
        (
            json!({ "days": [{ "weekday": 2, "opens": "9am", "closes": "17:00" }] }),
            "Wednesday, opening",
        ),
        (
            json!({ "days": (0..8).map(|_| json!({ "weekday": 0, "opens": "09:00", "closes": "17:00" })).collect::<Vec<_>>() }),
            "A week has seven days",
        ),
    ] {
        let r = srv.send(&owner, "PUT", "/api/clinic/hours", bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.message().contains(want), "{}", r.message());
    }
    let r = srv.send(&owner, "PUT", "/api/clinic/hours", week).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    let h = srv.get(&desk, "/api/clinic/hours").await.json();
    assert_eq!(h["week"][0]["hours"], "09:00–17:00");
    assert_eq!(h["week"][6]["hours"], "closed");

    // Rooms: the owner keeps the list; once there is one, a booking names a room in use.
    for name in ["Room 1", "Room 2"] {
        let r = srv
            .post(&owner, "/api/rooms", json!({ "name": name }))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    }
    assert_eq!(
        srv.post(&desk, "/api/rooms", json!({ "name": "Room 3" }))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = srv
        .post(&owner, "/api/rooms", json!({ "name": " room  1" }))
        .await;
    assert_eq!(
        (r.status, r.message()),
        (
            StatusCode::CONFLICT,
            "There is already a room called Room 1.".into()
        )
    );
    // A room name with full-width letters is the same room (probe s7 N14: two "Room 1"s that never clashed);
    // one with an invisible character is no name at all (probe s33: names refuse them).
    let r = srv
        .post(&owner, "/api/rooms", json!({ "name": "Ｒoom 1" }))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.message());
    for look_alike in ["Room 1\u{200b}", "Room\u{00ad} 1"] {
        let r = srv
            .post(&owner, "/api/rooms", json!({ "name": look_alike }))
            .await;
        assert!(
            r.status == StatusCode::UNPROCESSABLE_ENTITY
                && r.message().contains("invisible character"),
            "{look_alike:?}: {}",
            r.message()
        );
    }
    for bad in ["", "Room\n4", &"R".repeat(61)] {
        assert_eq!(
            srv.post(&owner, "/api/rooms", json!({ "name": bad }))
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad:?}"
        );
    }
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(lukasz, monday, "09:00", 60, ana, "Room 9"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.message(),
        "This clinic has no room called “Room 9”: choose one of Room 1, Room 2."
    );
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(lukasz, monday, "09:00", 60, ana, " room  2 "),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    assert_eq!(r.json()["room"], "Room 2", "the list's spelling");
    let rooms = srv.get(&desk, "/api/rooms").await.json();
    let room2 = rooms
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Room 2")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = srv
        .send(
            &owner,
            "PUT",
            &format!("/api/rooms/{room2}"),
            json!({ "retired": true }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(lukasz, monday, "11:00", 60, ana, "Room 2"),
        )
        .await;
    assert_eq!(
        (r.status, r.message()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Room 2 is no longer in use: choose one of Room 1.".into()
        )
    );
    // The owner's override never books a room that is not in use.
    let r = srv
        .post(&owner, "/api/appointments", json!({ "client_id": lukasz, "date": monday.to_string(), "time": "11:00", "minutes": 60, "practitioner_id": ana, "room": "Room 2", "override_reason": "The client asked for this room specifically" }))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Outside the hours: refused in words, with what the hours are.
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(lukasz, monday, "16:30", 60, ana, "Room 1"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.message(), format!("The clinic is open from 09:00 to 17:00 on Mondays; this appointment would run from 16:30 to 17:30 on {monday}. Choose a time within opening hours, or the owner can book it anyway with a written reason."));
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(lukasz, saturday, "10:00", 60, ana, "Room 1"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.message()
            .starts_with(&format!("The clinic is closed on Saturdays ({saturday}).")),
        "{}",
        r.message()
    );

    // The override: only the owner, only with a written reason; kept with the booking and audited.
    let late = |reason: &str| json!({ "client_id": lukasz, "date": monday.to_string(), "time": "16:30", "minutes": 60, "practitioner_id": ana, "room": "Room 1", "override_reason": reason });
    let reason = "Client works until 16:00; agreed to stay late";
    assert_eq!(
        srv.post(&desk, "/api/appointments", late(reason))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        srv.post(&prac, "/api/appointments", late(reason))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = srv.post(&owner, "/api/appointments", late("ok")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.message().contains("written reason"), "{}", r.message());
    let r = srv.post(&owner, "/api/appointments", late(reason)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    let late_booking = r.json();
    assert_eq!(late_booking["override"]["reason"], reason);
    assert_eq!(late_booking["override"]["by"], "Owner prem");
    assert!(late_booking["override"]["at"].is_string());
    let late_id = late_booking["id"].as_i64().unwrap();
    // Shown on the appointment to the clinical roles; the front desk sees that the owner approved it (who,
    // when), not the reason, which can be medical (probe s7 N17).
    let seen = srv
        .get(&desk, &format!("/api/appointments/{late_id}"))
        .await
        .json();
    assert!(seen["override"]["reason"].is_null(), "{seen}");
    assert_eq!(seen["override"]["by"], "Owner prem");
    let listed = srv
        .get(&desk, &format!("/api/appointments?from={monday}&days=1"))
        .await
        .text();
    assert!(!listed.contains(reason), "{listed}");
    assert_eq!(
        srv.get(&prac, &format!("/api/appointments/{late_id}"))
            .await
            .json()["override"]["reason"],
        reason
    );
    // An override that lifts nothing is not recorded.
    let r = srv
        .post(&owner, "/api/appointments", json!({ "client_id": lukasz, "date": monday.to_string(), "time": "13:00", "minutes": 60, "practitioner_id": ana, "room": "Room 1", "override_reason": reason }))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    assert_eq!(r.json()["override"], Value::Null);

    // The screening gate: a client who needs a physician's clearance is refused; the owner may book anyway.
    let gated = |reason: Option<&str>| {
        let mut b = booking(margaret, monday.add_days(1), "10:00", 60, ana, "Room 1");
        if let Some(r) = reason {
            b["override_reason"] = json!(r);
        }
        b
    };
    let r = srv.post(&prac, "/api/appointments", gated(None)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.message());
    let cleared = "Physician confirmed by phone; letter follows this week";
    assert_eq!(
        srv.post(&prac, "/api/appointments", gated(Some(cleared)))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = srv
        .post(&owner, "/api/appointments", gated(Some(cleared)))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    assert_eq!(r.json()["override"]["reason"], cleared);
    let audit = srv.get(&owner, "/api/audit?limit=200").await.json();
    let overrides: Vec<&Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "override" && e["entity"] == "appointment")
        .collect();
    assert_eq!(overrides.len(), 2, "{audit}");
    assert!(overrides
        .iter()
        .any(|e| e["detail"].as_str().unwrap().contains(reason)));
    assert!(overrides
        .iter()
        .any(|e| e["detail"].as_str().unwrap().contains(cleared)));

    // Moved inside the hours without an override, the booking no longer carries one.
    let r = srv
        .send(
            &desk,
            "PUT",
            &format!("/api/appointments/{late_id}"),
            booking(lukasz, monday, "15:00", 60, ana, "Room 1"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    assert_eq!(r.json()["override"], Value::Null);
    // Moved out of the hours by the front desk: refused.
    let r = srv
        .send(
            &desk,
            "PUT",
            &format!("/api/appointments/{late_id}"),
            booking(lukasz, monday, "08:00", 60, ana, "Room 1"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // The week view shows each day's hours and the rooms in use.
    let v = srv
        .get(&desk, &format!("/api/appointments?from={monday}&days=7"))
        .await
        .json();
    assert_eq!(
        v["hours"][0],
        json!({ "date": monday.to_string(), "hours": "09:00–17:00" })
    );
    assert_eq!(
        v["hours"][5],
        json!({ "date": saturday.to_string(), "hours": "closed" })
    );
    assert_eq!(v["rooms"], json!(["Room 1"]));

    // A correction with a reason shows in the record's history, with the version it replaced.
    let cons = srv
        .get(&prac, &format!("/api/clients/{lukasz}/consultations"))
        .await
        .json();
    let cid = cons[0]["id"].as_i64().unwrap();
    let intake = follicle_clinic::Intake::from_toml(GO).unwrap();
    let r = srv
        .send(
            &prac,
            "PUT",
            &format!("/api/consultations/{cid}"),
            json!({ "reason": "Hair-loss stage typed wrong", "intake": intake }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    let h = srv
        .get(
            &owner,
            &format!("/api/history?entity=consultation&id={cid}"),
        )
        .await
        .json();
    assert_eq!(h["changes"][0]["action"], "update", "{h}");
    assert!(h["changes"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("Hair-loss stage typed wrong"));
    assert_eq!(h["changes"][0]["by"], "Ana Ruiz (prem)");
    assert_eq!(h["versions"].as_array().unwrap().len(), 1);
    assert_eq!(h["versions"][0]["reason"], "Hair-loss stage typed wrong");
    assert_eq!(
        srv.get(&desk, &format!("/api/history?entity=consultation&id={cid}"))
            .await
            .status,
        StatusCode::FORBIDDEN,
        "front desk sees no medical history"
    );
    assert_eq!(
        srv.get(&owner, &format!("/api/history?entity=clients&id={cid}"))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (outsider, _, _) = srv.clinic("prem-other", false).await;
    let h = srv
        .get(
            &outsider,
            &format!("/api/history?entity=consultation&id={cid}"),
        )
        .await
        .json();
    assert_eq!(
        (
            h["changes"].as_array().map(Vec::len),
            h["versions"].as_array().map(Vec::len)
        ),
        (Some(0), Some(0)),
        "another clinic sees nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn premises_and_overrides_on_sqlite() {
    premises_and_overrides(sqlite_server()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn premises_and_overrides_on_postgres() {
    if let Some(srv) = postgres_server("premises") {
        premises_and_overrides(srv).await;
    }
}
