//! The third outside probe's findings about the clinic's week that were still open (s6), through the real API in a
//! clinic on Europe/Warsaw time: "every day closed" is stored apart from "no hours entered" (L17); changes to the
//! hours, breaks, closed dates or a practitioner's account list the bookings ahead they leave stranded (L7);
//! breaks on the night clocks go back are compared on the real timeline, and a booking past midnight is worded
//! with both days (L4); and the report's small items (a cut JPEG given an end marker, intake lists, clearance
//! letters dated before the client or the finding, a signature that spans a dot, an erased client's new records,
//! proposals beyond the booking horizon or held back, serde's words). On SQLite always, and on PostgreSQL when
//! FOLLICLE_TEST_POSTGRES_URL is set.

mod support;

use axum::http::StatusCode;
use follicle_clinic::Date;
use serde_json::{json, Value};
use support::{Server, Session, Setup};

const GO: &str = include_str!("../../../examples/intake-norwood6-go.toml");
const CLEARANCE: &str = include_str!("../../../examples/intake-scar-anticoagulant.toml");

const WARSAW: Setup = Setup {
    zone: Some("Europe/Warsaw"),
    studio_ui: false,
};

fn booking(client: i64, date: Date, time: &str, minutes: i64, practitioner: i64) -> Value {
    json!({ "client_id": client, "date": date.to_string(), "time": time, "minutes": minutes, "practitioner_id": practitioner, "room": "Room 1" })
}

fn weekday(d: Date) -> i8 {
    d.to_jiff().weekday().to_monday_zero_offset()
}

/// Monday to Saturday 09:00–17:00, Sunday all day, a Monday lunch break.
fn full_week() -> Value {
    let mut days: Vec<Value> = (0..6)
        .map(|d| json!({ "weekday": d, "opens": "09:00", "closes": "17:00" }))
        .collect();
    days.push(json!({ "weekday": 6, "opens": "00:00", "closes": "24:00" }));
    json!({ "days": days, "breaks": [{ "weekday": 0, "starts": "13:00", "ends": "14:00" }] })
}

/// A clinic with a screened client; returns the owner's and desk's sessions, the client and the practitioner.
async fn clinic(srv: &Server, name: &str) -> (Session, Session, i64, i64) {
    let (owner, _, desk, client, ana) = clinic_with(srv, name).await;
    (owner, desk, client, ana)
}

/// [`clinic`], with the practitioner's session too.
async fn clinic_with(srv: &Server, name: &str) -> (Session, Session, Session, i64, i64) {
    let (owner, prac, desk) = srv.clinic(name, true).await;
    let people = srv.get(&desk, "/api/practitioners").await.json();
    let ana = people[1]["id"].as_i64().unwrap();
    let client = srv.screened_client(&prac, GO, "Łukasz Żółkiewski").await;
    let r = srv
        .send(&owner, "PUT", "/api/clinic/hours", full_week())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    (owner, prac, desk, client, ana)
}

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap_or_else(|| panic!("a list: {v}"))
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect()
}

async fn week_changes(srv: Server) {
    let (owner, desk, client, ana) = clinic(&srv, "week").await;
    let today = srv.today();
    let monday = (10..20)
        .map(|n| today.add_days(n))
        .find(|d| weekday(*d) == 0)
        .unwrap();
    let sunday = monday.add_days(6);

    // L17: every day closed is stored, refuses bookings, and is not "no hours entered".
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(client, sunday, "03:00", 60, ana),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    let on_sunday = r.json()["id"].as_i64().unwrap();
    let all_closed: Vec<Value> = (0..7)
        .map(|d| json!({ "weekday": d, "closed": true }))
        .collect();
    let r = srv
        .send(
            &owner,
            "PUT",
            "/api/clinic/hours",
            json!({ "days": all_closed }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    let v = r.json();
    assert_eq!(v["set"], json!(true), "{v}");
    assert_eq!(v["breaks"], json!([]), "{v}");
    assert_eq!(
        v["dropped_breaks"],
        json!(["Monday 13:00–14:00"]),
        "the kept Monday break goes with Monday's hours: {v}"
    );
    assert!(
        v["week"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["hours"] == "closed" && d["breaks"] == json!([])),
        "{v}"
    );
    assert_eq!(
        ids(&v["bookings_to_move"]),
        vec![on_sunday],
        "the Sunday booking now lies on a closed day: {v}"
    );
    assert!(
        v["bookings_to_move"][0]["why"]
            .as_str()
            .unwrap()
            .contains("closed on Sundays"),
        "{v}"
    );
    let h = srv.get(&desk, "/api/clinic/hours").await.json();
    assert_eq!(h["set"], json!(true), "kept as entered: {h}");
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(client, sunday, "05:00", 60, ana),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.message());
    assert!(
        r.message().contains("The clinic is closed on Sundays"),
        "{}",
        r.message()
    );
    // No hours entered: the week view says so, and any time can be booked.
    let r = srv
        .send(&owner, "PUT", "/api/clinic/hours", json!({ "days": [] }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    let v = r.json();
    assert_eq!(v["set"], json!(false), "{v}");
    assert!(
        v["week"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["hours"] == "no opening hours set"),
        "{v}"
    );
    assert_eq!(v["bookings_to_move"], json!([]), "{v}");
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(client, sunday, "05:00", 60, ana),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    let early = r.json()["id"].as_i64().unwrap();
    // A day marked closed and given times, or given neither, is refused in words.
    for (day, want) in [
        (
            json!({ "weekday": 2, "closed": true, "opens": "09:00", "closes": "17:00" }),
            "Wednesday is marked closed and also given opening times",
        ),
        (
            json!({ "weekday": 3 }),
            "Thursday: give the opening and closing times, or mark the day closed.",
        ),
    ] {
        let r = srv
            .send(&owner, "PUT", "/api/clinic/hours", json!({ "days": [day] }))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{want}");
        assert!(r.message().contains(want), "{}", r.message());
    }

    // L7: new hours that leave bookings outside list them (only those that fitted before).
    let r = srv
        .send(&owner, "PUT", "/api/clinic/hours", full_week())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    assert_eq!(
        ids(&r.json()["bookings_to_move"]),
        Vec::<i64>::new(),
        "{}",
        r.json()
    );
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(client, monday, "10:00", 60, ana),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    let on_monday = r.json()["id"].as_i64().unwrap();
    let mut later = full_week();
    later["days"][0] = json!({ "weekday": 0, "opens": "11:00", "closes": "17:00" });
    let r = srv.send(&owner, "PUT", "/api/clinic/hours", later).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    let v = r.json();
    assert_eq!(ids(&v["bookings_to_move"]), vec![on_monday], "{v}");
    let moved = &v["bookings_to_move"][0];
    assert_eq!(moved["date"], json!(monday.to_string()));
    assert_eq!(moved["time"], "10:00");
    assert_eq!(moved["client_name"], "Łukasz Żółkiewski");
    assert!(
        moved["why"]
            .as_str()
            .unwrap()
            .contains("open from 11:00 to 17:00 on Mondays"),
        "{v}"
    );
    let r = srv
        .send(&owner, "PUT", "/api/clinic/hours", full_week())
        .await;
    assert_eq!(ids(&r.json()["bookings_to_move"]), Vec::<i64>::new());
    let mut lunch = full_week();
    lunch["breaks"] = json!([{ "weekday": 0, "starts": "10:30", "ends": "11:30" }]);
    let r = srv.send(&owner, "PUT", "/api/clinic/hours", lunch).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    let v = r.json();
    assert_eq!(ids(&v["bookings_to_move"]), vec![on_monday], "{v}");
    assert!(
        v["bookings_to_move"][0]["why"]
            .as_str()
            .unwrap()
            .contains("break from 10:30 to 11:30"),
        "{v}"
    );
    let r = srv
        .send(&owner, "PUT", "/api/clinic/hours", full_week())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());

    // L7: closing a date with bookings lists them.
    let r = srv
        .send(
            &owner,
            "PUT",
            "/api/clinic/closed-dates",
            json!({ "dates": [{ "date": monday.to_string(), "reason": "Staff training" }] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    let v = r.json();
    assert_eq!(ids(&v["bookings_to_move"]), vec![on_monday], "{v}");
    assert!(
        v["bookings_to_move"][0]["why"]
            .as_str()
            .unwrap()
            .contains("Staff training"),
        "{v}"
    );
    let r = srv
        .send(
            &owner,
            "PUT",
            "/api/clinic/closed-dates",
            json!({ "dates": [] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    assert_eq!(r.json()["bookings_to_move"], json!([]));

    // L7: disabling the practitioner (or making them front desk) lists their bookings ahead.
    let r = srv
        .send(
            &owner,
            "PUT",
            &format!("/api/users/{ana}"),
            json!({ "role": "front_desk" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    let v = r.json();
    assert_eq!(v["role"], "front_desk", "{v}");
    assert_eq!(
        ids(&v["bookings_to_move"]),
        vec![on_monday, on_sunday, early],
        "{v}"
    );
    assert!(
        v["bookings_to_move"][0]["why"]
            .as_str()
            .unwrap()
            .contains("is now front desk and cannot be booked"),
        "{v}"
    );
    let r = srv
        .send(
            &owner,
            "PUT",
            &format!("/api/users/{ana}"),
            json!({ "role": "practitioner", "active": false }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    let v = r.json();
    assert_eq!(ids(&v["bookings_to_move"]).len(), 3, "{v}");
    assert!(
        v["bookings_to_move"][2]["why"]
            .as_str()
            .unwrap()
            .contains("account is disabled"),
        "{v}"
    );
    let r = srv
        .send(
            &owner,
            "PUT",
            &format!("/api/users/{ana}"),
            json!({ "active": true }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    assert_eq!(r.json()["bookings_to_move"], json!([]));
}

async fn dst_night(srv: Server) {
    let (owner, desk, client, ana) = clinic(&srv, "night").await;
    // The next Sunday the clocks go back (October in Warsaw): 02:00–03:00 happens twice.
    let back = (1..400)
        .map(|n| srv.today().add_days(n))
        .find(|d| d.month() == 10 && srv.zone.exactly(*d, 2, 30).is_none())
        .unwrap();
    assert_eq!(weekday(back), 6);
    let mut week = full_week();
    week["breaks"] = json!([{ "weekday": 6, "starts": "02:00", "ends": "03:00" }]);
    let r = srv.send(&owner, "PUT", "/api/clinic/hours", week).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    // 00:00 for three real hours ends at the second 02:00: through the whole first occurrence of the break.
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(client, back, "00:00", 180, ana),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.message());
    assert!(
        r.message()
            .contains("The clinic has a break from 02:00 to 03:00 on Sundays"),
        "{}",
        r.message()
    );
    // Two real hours end as the break starts: fine. After the second 03:00: fine.
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(client, back, "00:00", 120, ana),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(client, back, "03:00", 60, ana),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    // A Sunday booking past midnight is worded with both days; one ending at midnight ends at 24:00.
    let sunday = back.add_days(7);
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(client, sunday, "23:30", 60, ana),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.message());
    assert!(
        r.message().contains(&format!(
            "would run from 23:30 on {sunday} to 00:30 on {}",
            sunday.add_days(1)
        )),
        "{}",
        r.message()
    );
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(client, sunday, "23:00", 60, ana),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    assert_eq!(r.json()["end_time"], "24:00");
}

/// A 300 × 300 JPEG with detail in every block.
fn jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(300, 300, |x, y| {
        image::Rgb([(x * 7 + y * 3) as u8, ((y * 5) ^ x) as u8, (x * y) as u8])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .unwrap();
    out
}

/// A minimal PDF with a PDF's structure.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\nxref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \ntrailer<</Size 3/Root 1 0 R>>\nstartxref\n96\n%%EOF\n";

fn form(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, file, content) in parts {
        out.extend_from_slice(b"--h15\r\n");
        match file {
            Some(f) => out.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes()),
            None => out.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        out.extend_from_slice(content);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"--h15--\r\n");
    out
}

async fn small_items(srv: Server) {
    let (owner, prac, desk, client, ana) = clinic_with(&srv, "small").await;
    let today = srv.today();

    // A JPEG cut in half and given an end-of-image marker: refused, the whole one taken.
    let whole = jpeg();
    let mut cut = whole[..whole.len() / 2].to_vec();
    cut.extend_from_slice(&[0xFF, 0xD9]);
    let up = format!("/api/clients/{client}/photos");
    let m = srv
        .call(&prac, "POST", &up, Some("image/jpeg"), cut)
        .await
        .error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(m.contains("damaged or incomplete"), "{m}");
    let r = srv
        .call(&prac, "POST", &up, Some("image/jpeg"), whole)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // Intake lists: at most 50 entries, none twice; a clearance letter not dated before the client's birth.
    let intake = serde_json::to_value(follicle_clinic::Intake::from_toml(GO).unwrap()).unwrap();
    let consult = format!("/api/clients/{client}/consultations");
    let nickel = json!({ "kind": "nickel" });
    let mut many = intake.clone();
    many["allergies"] = json!((0..51)
        .map(|i| json!({ "kind": "nickel", "reaction": format!("rash {i}") }))
        .collect::<Vec<_>>());
    let mut twice = intake.clone();
    twice["allergies"] = json!([nickel, nickel]);
    let mut same_condition = intake.clone();
    same_condition["conditions"] =
        json!([{ "name": "diabetes" }, { "name": "diabetes", "controlled": true }]);
    let mut unborn = intake.clone();
    unborn["clearance"] = json!({ "by": "Dr Nowak", "date": "1950-01-01", "letter": "L-1" });
    for (body, want) in [
        (many, "Allergies: 51 allergies listed; at most 50 are kept in one consultation."),
        (twice, "Allergies[1] repeats allergies[0]: list each of the client's allergies once."),
        (same_condition, "Conditions[1] repeats conditions[0]"),
        (unborn, "The clearance letter is dated 1950-01-01, before the client was born (1979-11-02): check the year."),
    ] {
        let r = srv.post(&prac, &consult, body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{want}");
        assert!(r.message().contains(want), "{}", r.message());
    }

    // A letter uploaded for the consultation's finding, dated before that consultation (2025-03-03).
    let ct = "multipart/form-data; boundary=h15";
    let clear = format!("/api/clients/{client}/clearance");
    let r = srv
        .call(
            &prac,
            "POST",
            &clear,
            Some(ct),
            form(&[
                ("by", None, b"Dr. R. Shah"),
                ("date", None, b"2025-03-02"),
                ("letter", Some("letter.pdf"), PDF),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.message()
            .contains("before the consultation on 2025-03-03 whose finding it clears"),
        "{}",
        r.message()
    );
    let r = srv
        .call(
            &prac,
            "POST",
            &clear,
            Some(ct),
            form(&[
                ("by", None, b"Dr. R. Shah"),
                ("date", None, b"2025-03-04"),
                ("letter", Some("letter.pdf"), PDF),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // A signature is judged by what it spans: a dot tapped 200 times and a dash drawn back and forth are not one.
    let text = srv
        .get(&prac, "/api/consent-texts/smp-treatment")
        .await
        .json();
    let sign = |strokes: Value| json!({ "text": "smp-treatment", "version": text["version"], "text_sha256": text["sha256"], "signature": { "width": 600, "height": 200, "strokes": strokes } });
    let dot = vec![json!([[10, 10], [11, 10]]); 200];
    let dash: Vec<Value> = (0..40)
        .map(|i| json!([if i % 2 == 0 { 100 } else { 190 }, 50]))
        .collect();
    for strokes in [json!(dot), json!([dash])] {
        let r = srv
            .post(
                &prac,
                &format!("/api/clients/{client}/signed-consents"),
                sign(strokes),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            r.message()
        );
        assert!(r.message().contains("too small"), "{}", r.message());
    }

    // Proposals: never a one-click day beyond the furthest day a booking can be made (the touch-up, two years
    // after the course); the owner gets it with a note.
    let furthest = today.add_days(follicle_clinic::appointment::MAX_DAYS_AHEAD);
    let p = srv
        .get(&owner, &format!("/api/clients/{client}/proposals"))
        .await
        .json();
    let visits = p["visits"].as_array().unwrap();
    let touch_up = visits.iter().find(|v| v["kind"] == "touch-up").unwrap();
    assert!(
        touch_up["proposed"].as_str().unwrap() > furthest.to_string().as_str(),
        "{p}"
    );
    assert_eq!(touch_up["book_on"], Value::Null, "{p}");
    assert!(
        touch_up["book_note"]
            .as_str()
            .unwrap()
            .contains("later than appointments can be made now"),
        "{p}"
    );
    for v in visits {
        if let Some(d) = v["book_on"].as_str() {
            assert!(d <= furthest.to_string().as_str(), "{p}");
        }
    }
    assert_eq!(p["held_back"], Value::Null);

    // Proposals held back by the screening say why: plainly for the owner, neutrally for the front desk.
    let held = follicle_clinic::Intake::from_toml(CLEARANCE).unwrap();
    let r = srv
        .post(
            &prac,
            "/api/clients",
            json!({ "reference": held.client.id, "name": held.client.name }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    let other = r.json()["id"].as_i64().unwrap();
    let r = srv
        .post(
            &prac,
            &format!("/api/clients/{other}/consultations"),
            serde_json::to_value(&held).unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    let p = srv
        .get(&owner, &format!("/api/clients/{other}/proposals"))
        .await
        .json();
    assert_eq!(p["visits"], json!([]), "{p}");
    assert!(
        p["held_back"]
            .as_str()
            .unwrap()
            .starts_with("This client needs a physician's clearance before treatment"),
        "{p}"
    );
    let p = srv
        .get(&desk, &format!("/api/clients/{other}/proposals"))
        .await
        .json();
    assert_eq!(
        p["held_back"],
        "This client's screening does not allow a session to be booked yet: ask the practitioner to review it.",
        "{p}"
    );

    // A session body's wrong kind of value is named in words, without serde's type names.
    let r = srv
        .post(
            &prac,
            &format!("/api/clients/{client}/sessions"),
            json!({ "index": "first" }),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.message()
    );
    assert_eq!(
        r.message(),
        "Index has a value of the wrong kind: give a whole number from 0 to 4294967295."
    );

    // An erased client takes no new bookings or consultations.
    let r = srv
        .post(
            &owner,
            &format!("/api/clients/{other}/erase"),
            json!({ "reason": "client asked by e-mail", "confirm": held.client.id }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let monday = (10..20)
        .map(|n| today.add_days(n))
        .find(|d| weekday(*d) == 0)
        .unwrap();
    let mut b = booking(other, monday, "10:00", 60, ana);
    b["kind"] = json!("consultation");
    let r = srv.post(&desk, "/api/appointments", b).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.message());
    assert!(r.message().contains("erased on request"), "{}", r.message());
    let erased = srv
        .get(&prac, &format!("/api/clients/{other}"))
        .await
        .json();
    let mut again = serde_json::to_value(&held).unwrap();
    again["client"]["id"] = erased["reference"].clone();
    let r = srv
        .post(&prac, &format!("/api/clients/{other}/consultations"), again)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.message());
    assert!(r.message().contains("erased on request"), "{}", r.message());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn week_changes_on_sqlite() {
    week_changes(support::sqlite_server(WARSAW)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn week_changes_on_postgres() {
    if let Some(srv) = support::postgres_server("week", WARSAW) {
        week_changes(srv).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dst_night_on_sqlite() {
    dst_night(support::sqlite_server(WARSAW)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dst_night_on_postgres() {
    if let Some(srv) = support::postgres_server("night", WARSAW) {
        dst_night(srv).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn small_items_on_sqlite() {
    small_items(support::sqlite_server(WARSAW)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn small_items_on_postgres() {
    if let Some(srv) = support::postgres_server("small", WARSAW) {
        small_items(srv).await;
    }
}
