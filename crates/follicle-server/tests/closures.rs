//! Breaks within a day and closures (single days and periods) through the real API (issue 13), in a clinic on
//! Europe/Warsaw time: the owner keeps them (others may read, not change them; typed mistakes refused in
//! sentences that name the day), bookings in a break or on a closed day are refused in words unless the owner
//! gives a reason, the day/week view shows them, and proposed follow-ups (and the schedule feed) move to the
//! next open day, past every day of a closed period. On SQLite always, and on PostgreSQL when
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
    let client = srv.screened_client(&prac, GO, "Łukasz Żółkiewski").await;
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
        (json!(too_many), "At most 200 closures"),
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
    assert_eq!(list["dates"][0]["from"], today.to_string(), "in date order");
    assert_eq!(list["dates"][0]["to"], today.to_string(), "a single day");

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
        // The one-click day lies in the visit's own window (outside probe s26: a first session proposed for
        // today, window today–today, offered "Book" tomorrow).
        let day = |k: &str| v[k].as_str().unwrap().parse::<Date>().unwrap();
        assert!(
            day("earliest") <= day("book_on") && day("book_on") <= day("latest"),
            "{v}"
        );
    }

    // A run of closed days (the third probe's M3): one-click booking days are open days, never two on
    // one day and at least a week apart; past the search, no day is offered but a sentence is.
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
    // Closed for longer than the search reaches (two periods back to back, 400 days in all).
    let long = json!({ "dates": [
        { "from": today.add_days(1).to_string(), "to": today.add_days(366).to_string(), "reason": "Rebuilding" },
        { "from": today.add_days(367).to_string(), "to": today.add_days(400).to_string(), "reason": "Rebuilding" },
    ] });
    let r = srv
        .send(&owner, "PUT", "/api/clinic/closed-dates", long)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
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

/// A two-week closure entered once (and a training day after it in the single-day form): bounds refused in
/// words, every day of it closed in the week view, bookings on any of its days refused, proposals and the
/// schedule feed past it.
async fn closed_periods(srv: Server) {
    let (owner, prac, desk) = srv.clinic("summer", true).await;
    let people = srv.get(&desk, "/api/practitioners").await.json();
    let ana = people[1]["id"].as_i64().unwrap();
    let client = srv.screened_client(&prac, GO, "Ola Nowak").await;
    let days: Vec<Value> = (0..5)
        .map(|d| json!({ "weekday": d, "opens": "09:00", "closes": "17:00" }))
        .collect();
    let r = srv
        .send(&owner, "PUT", "/api/clinic/hours", json!({ "days": days }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    let today = srv.today();
    let (first, last) = (today, today.add_days(13));
    let period = |f: Date, t: Date, why: &str| json!({ "from": f.to_string(), "to": t.to_string(), "reason": why });
    let latest = today.add_days(follicle_clinic::appointment::MAX_DAYS_AHEAD);
    for (dates, want) in [
        (
            json!([period(last, first, "Summer holiday")]),
            format!("A closure cannot end ({first}) before it starts ({last}): give the first day, then the last."),
        ),
        (
            json!([period(first, first.add_days(366), "Refit")]),
            format!("{first} to {} is 367 days: a closure lasts at most 366 days. Enter a longer one as two.", first.add_days(366)),
        ),
        (
            json!([{ "from": first.to_string(), "to": "2027-02-30", "reason": "Summer" }]),
            "“2027-02-30” is not a date: write it as YYYY-MM-DD.".to_string(),
        ),
        (
            json!([period(first, last, "Summer holiday"), { "date": last.to_string(), "reason": "Training" }]),
            format!("The closures {first} to {last} (Summer holiday) and {last} (Training) overlap: give each closed day once."),
        ),
        (
            json!([period(latest, latest.add_days(3), "Far away")]),
            format!("{latest} to {} is too far ahead: closures can be entered up to {latest} (bookings go no further).", latest.add_days(3)),
        ),
        (
            json!([period(first, last, "")]),
            format!("{first} to {last}: write why the clinic is closed, e.g. Christmas Day."),
        ),
    ] {
        let r = srv
            .send(&owner, "PUT", "/api/clinic/closed-dates", json!({ "dates": dates }))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{want}");
        assert_eq!(r.message(), want);
    }
    let shut = json!({ "dates": [
        { "date": last.add_days(1).to_string(), "reason": "Training" },
        period(first, last, "Summer holiday"),
    ] });
    let r = srv
        .send(&desk, "PUT", "/api/clinic/closed-dates", shut.clone())
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = srv
        .send(&owner, "PUT", "/api/clinic/closed-dates", shut)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    let list = srv.get(&desk, "/api/clinic/closed-dates").await.json();
    assert_eq!(
        list["dates"],
        json!([
            { "from": first.to_string(), "to": last.to_string(), "days": 14, "reason": "Summer holiday" },
            { "from": last.add_days(1).to_string(), "to": last.add_days(1).to_string(), "days": 1, "reason": "Training" },
        ]),
        "{list}"
    );
    assert_eq!(list["max_days"], 366);

    // Every day of the period is closed in the view; the day after the training day is not.
    let v = srv
        .get(&desk, &format!("/api/appointments?from={first}&days=16"))
        .await
        .json();
    for i in 0..14 {
        assert_eq!(v["hours"][i]["closed"], "Summer holiday", "day {i}: {v}");
    }
    assert_eq!(v["hours"][14]["closed"], "Training", "{v}");
    assert_eq!(v["hours"][15].get("closed"), None, "{v}");

    // A booking on any weekday of it is refused in words; the owner may book anyway.
    let inside = (1..13)
        .map(|n| first.add_days(n))
        .find(|d| weekday(*d) < 5)
        .unwrap();
    let r = srv
        .post(
            &desk,
            "/api/appointments",
            booking(client, inside, "10:00", 60, ana),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        r.message(),
        format!("The clinic is closed from {first} to {last} (Summer holiday), so on {inside} too. Choose another day, or the owner can book it anyway with a written reason.")
    );
    let mut anyway = booking(client, inside, "10:00", 60, ana);
    anyway["override_reason"] = json!("Client's only free day; owner opens for it");
    let r = srv.post(&owner, "/api/appointments", anyway).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());

    // Proposals and the schedule feed: nothing on any day of the period or the training day.
    let open = (15..30)
        .map(|n| first.add_days(n))
        .find(|d| weekday(*d) < 5)
        .unwrap();
    let p = srv
        .get(&desk, &format!("/api/clients/{client}/proposals"))
        .await
        .json();
    assert_eq!(p["visits"][0]["proposed"], open.to_string(), "{p}");
    for v in p["visits"].as_array().unwrap() {
        let d: Date = v["proposed"].as_str().unwrap().parse().unwrap();
        assert!(d > last.add_days(1) && weekday(d) < 5, "{v}");
    }
    let ics = srv
        .get(&prac, &format!("/api/clients/{client}/schedule.ics"))
        .await
        .text();
    let starts: Vec<&str> = ics
        .lines()
        .filter_map(|l| l.strip_prefix("DTSTART;VALUE=DATE:"))
        .collect();
    assert!(!starts.is_empty(), "{ics}");
    assert!(starts.contains(&open.to_basic().as_str()), "{open}: {ics}");
    for s in &starts {
        for i in 0..15 {
            assert_ne!(*s, first.add_days(i).to_basic(), "{ics}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn closed_periods_on_sqlite() {
    closed_periods(support::sqlite_server(WARSAW)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn closed_periods_on_postgres() {
    if let Some(srv) = support::postgres_server("periods", WARSAW) {
        closed_periods(srv).await;
    }
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
