//! Breaks within a day and closed dates through the real API (issue 13), in a clinic on Europe/Warsaw time: the
//! owner keeps them (others may read, not change them; typed mistakes refused in sentences that name the day),
//! bookings in a break or on a closed date are refused in words unless the owner gives a reason, the day/week view
//! shows them, and proposed follow-ups move to the next open day. On SQLite always, and on PostgreSQL when
//! FOLLICLE_TEST_POSTGRES_URL is set.

mod support;

use axum::http::StatusCode;
use follicle_clinic::Date;
use serde_json::{json, Value};
use support::{Server, Setup};

const GO: &str = include_str!("../../../examples/intake-norwood6-go.toml");

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

async fn breaks_and_closed_dates(srv: Server) {
    let (owner, prac, desk) = srv.clinic("shut", true).await;
    let people = srv.get(&desk, "/api/practitioners").await.json();
    let ana = people[1]["id"].as_i64().unwrap();
    let intake = follicle_clinic::Intake::from_toml(GO).unwrap();
    let r = srv
        .post(
            &prac,
            "/api/clients",
            json!({ "reference": intake.client.id, "name": "Łukasz Żółkiewski" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    let client = r.json()["id"].as_i64().unwrap();
    let r = srv
        .post(
            &prac,
            &format!("/api/clients/{client}/consultations"),
            serde_json::to_value(&intake).unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    let today = srv.today();
    // A Monday at least ten days ahead, and the Tuesday after it.
    let monday = (10..20)
        .map(|n| today.add_days(n))
        .find(|d| weekday(*d) == 0)
        .unwrap();
    let tuesday = monday.add_days(1);

    // Hours Monday to Friday with a lunch break on Mondays; only the owner changes them.
    let days: Vec<Value> = (0..5)
        .map(|d| json!({ "weekday": d, "opens": "09:00", "closes": "17:00" }))
        .collect();
    let week =
        json!({ "days": days, "breaks": [{ "weekday": 0, "starts": "13:00", "ends": "14:00" }] });
    for who in [&desk, &prac] {
        let r = srv
            .send(who, "PUT", "/api/clinic/hours", week.clone())
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    let many: Vec<Value> = (0..29)
        .map(|i| json!({ "weekday": 0, "starts": format!("{:02}:00", 9 + i % 8), "ends": "10:00" }))
        .collect();
    for (breaks, want) in [
        (
            json!([{ "weekday": 0, "starts": "08:30", "ends": "09:30" }]),
            "Monday: a break must lie within the opening hours (09:00–17:00); 08:30–09:30 does not.",
        ),
        (
            json!([{ "weekday": 6, "starts": "12:00", "ends": "13:00" }]),
            "Sunday: the clinic is closed all day, so it needs no break.",
        ),
        (
            json!([{ "weekday": 2, "starts": "12:00", "ends": "13:00" }, { "weekday": 2, "starts": "12:30", "ends": "13:30" }]),
            "Wednesday: the breaks 12:00–13:00 and 12:30–13:30 overlap.",
        ),
        (
            json!([{ "weekday": 3, "starts": "noon", "ends": "13:00" }]),
            "Thursday, break start",
        ),
        (json!(many), "At most 28 breaks a week (4 a day)."),
    ] {
        let r = srv
            .send(
                &owner,
                "PUT",
                "/api/clinic/hours",
                json!({ "days": days, "breaks": breaks }),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{want}");
        assert!(r.message().contains(want), "{}", r.message());
    }
    let r = srv.send(&owner, "PUT", "/api/clinic/hours", week).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    let h = srv.get(&desk, "/api/clinic/hours").await.json();
    assert_eq!(h["week"][0]["breaks"], json!(["13:00–14:00"]), "{h}");
    assert_eq!(h["week"][1]["breaks"], json!([]));
    // New hours without `breaks` keep the breaks, which must still fit.
    let r = srv
        .send(
            &owner,
            "PUT",
            "/api/clinic/hours",
            json!({ "days": [{ "weekday": 0, "opens": "13:30", "closes": "18:00" }] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.message().contains("Monday: a break must lie within"),
        "{}",
        r.message()
    );
    let r = srv
        .send(&owner, "PUT", "/api/clinic/hours", json!({ "days": days }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    assert_eq!(r.json()["week"][0]["breaks"], json!(["13:00–14:00"]));

    // Closed dates: the owner keeps the list; mistakes are refused in words.
    let closed = |d: Date, why: &str| json!({ "date": d.to_string(), "reason": why });
    let too_many: Vec<Value> = (0..201)
        .map(|i| closed(monday.add_days(i), "Closed"))
        .collect();
    for (dates, want) in [
        (
            json!([{ "date": "24.12.", "reason": "Christmas Eve" }]),
            "“24.12.” is not a date: write it as YYYY-MM-DD.",
        ),
        (
            json!([closed(tuesday, "  ")]),
            "write why the clinic is closed",
        ),
        (
            json!([closed(tuesday, "A"), closed(tuesday, "B")]),
            "is given twice",
        ),
        (
            json!([closed(tuesday, "Training\u{202e}")]),
            "a text-direction control character is not allowed here",
        ),
        (json!(too_many), "At most 200 closed dates"),
    ] {
        let r = srv
            .send(
                &owner,
                "PUT",
                "/api/clinic/closed-dates",
                json!({ "dates": dates }),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{want}");
        assert!(r.message().contains(want), "{want}: {}", r.message());
    }
    let shut: Vec<Value> = [
        closed(tuesday, "Staff training"),
        closed(today, "Inventory"),
        closed(today.add_days(1), "Inventory"),
        closed(today.add_days(2), "Inventory"),
    ]
    .into();
    let r = srv
        .send(
            &desk,
            "PUT",
            "/api/clinic/closed-dates",
            json!({ "dates": shut }),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = srv
        .send(
            &owner,
            "PUT",
            "/api/clinic/closed-dates",
            json!({ "dates": shut }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    let list = srv.get(&desk, "/api/clinic/closed-dates").await.json();
    assert_eq!(list["dates"].as_array().unwrap().len(), 4, "{list}");
    assert_eq!(list["dates"][0]["date"], today.to_string(), "in date order");

    // Bookings: in the break or on the closed date refused in words; the owner may book anyway with a reason.
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(client, monday, "12:30", 60, ana),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        r.message(),
        format!("The clinic has a break from 13:00 to 14:00 on Mondays; this appointment would run from 12:30 to 13:30 on {monday}. Choose a time outside the break, or the owner can book it anyway with a written reason.")
    );
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(client, tuesday, "10:00", 60, ana),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        r.message(),
        format!("The clinic is closed on {tuesday} (Staff training). Choose another day, or the owner can book it anyway with a written reason.")
    );
    let mut anyway = booking(client, tuesday, "10:00", 60, ana);
    anyway["override_reason"] = json!("Client flies home on Wednesday; trainer agreed");
    let r = srv.post(&desk, "/api/appointments", anyway.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "only the owner overrides");
    let r = srv.post(&owner, "/api/appointments", anyway).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    assert_eq!(
        r.json()["override"]["reason"],
        "Client flies home on Wednesday; trainer agreed"
    );
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(client, monday, "14:00", 60, ana),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    // Moving a booking into the break is refused the same way.
    let id = r.json()["id"].as_i64().unwrap();
    let moved = booking(client, monday, "12:45", 60, ana);
    let r = srv
        .send(&desk, "PUT", &format!("/api/appointments/{id}"), moved)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.message().contains("break from 13:00 to 14:00"),
        "{}",
        r.message()
    );

    // The week view shows the break and the closed date.
    let v = srv
        .get(&desk, &format!("/api/appointments?from={monday}&days=7"))
        .await
        .json();
    assert_eq!(v["hours"][0]["breaks"], json!(["13:00–14:00"]), "{v}");
    assert_eq!(v["hours"][0].get("closed"), None);
    assert_eq!(v["hours"][2].get("breaks"), None, "no breaks on Wednesdays");
    assert_eq!(v["hours"][1]["closed"], "Staff training");
    assert_eq!(v["hours"][1]["hours"], "09:00–17:00");

    // Proposed follow-ups skip the closed dates (today and the next two days) and the closed weekend.
    let open = (3..14)
        .map(|n| today.add_days(n))
        .find(|d| weekday(*d) < 5 && *d != tuesday)
        .unwrap();
    let p = srv
        .get(&desk, &format!("/api/clients/{client}/proposals"))
        .await
        .json();
    let first = &p["visits"][0];
    assert_eq!(first["purpose"], "Session 1 of 3", "{p}");
    assert_eq!(first["proposed"], open.to_string(), "{p}");
    assert_eq!(first["book_on"], open.to_string(), "{p}");
    for v in p["visits"].as_array().unwrap() {
        let d: Date = v["proposed"].as_str().unwrap().parse().unwrap();
        assert!(weekday(d) < 5 && d != tuesday, "{v}");
    }

    // A run of closed days (the third probe's M3): one-click booking days are open days, never two on
    // one day and at least a week apart; past the 31-day search, no day is offered but a sentence is.
    let put_closed = |n: i64| {
        let dates: Vec<Value> = (1..=n)
            .map(|k| closed(today.add_days(k), "Renovation"))
            .collect();
        srv.send(
            &owner,
            "PUT",
            "/api/clinic/closed-dates",
            json!({ "dates": dates }),
        )
    };
    assert_eq!(put_closed(25).await.status, StatusCode::OK);
    let p = srv
        .get(&desk, &format!("/api/clients/{client}/proposals"))
        .await
        .json();
    let days: Vec<Date> = p["visits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["book_on"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(days[0] > today.add_days(25), "{p}");
    for w in days.windows(2) {
        assert!(w[0].add_days(7) <= w[1], "{p}");
    }
    assert!(days.iter().all(|d| weekday(*d) < 5), "{p}");
    assert_eq!(put_closed(40).await.status, StatusCode::OK);
    let p = srv
        .get(&desk, &format!("/api/clients/{client}/proposals"))
        .await
        .json();
    let first = &p["visits"][0];
    assert!(first["book_on"].is_null(), "{p}");
    assert!(
        first["book_note"]
            .as_str()
            .unwrap()
            .contains("choose a day by hand"),
        "{p}"
    );

    // Audited.
    let audit = srv.get(&owner, "/api/audit?limit=50").await.json();
    let entities: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["entity"].as_str())
        .collect();
    assert!(entities.contains(&"opening_breaks"), "{entities:?}");
    assert!(entities.contains(&"closed_dates"), "{entities:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn breaks_and_closed_dates_on_sqlite() {
    breaks_and_closed_dates(support::sqlite_server(WARSAW)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn breaks_and_closed_dates_on_postgres() {
    if let Some(srv) = support::postgres_server("closures", WARSAW) {
        breaks_and_closed_dates(srv).await;
    }
}
