//! The clinic's time zone lives with the clinic in the database (finding M5 of the s5 probe): two nodes started
//! with different `--tz` on one PostgreSQL agree on a booking's date and time, on "today" and on the day view;
//! the owner changes the zone in the clinic settings and every node follows. `--tz` only gives new clinics
//! their zone.

mod serve_support;

use serde_json::json;
use serve_support::{Client, ServerProc};

#[test]
fn two_nodes_with_different_tz_agree_on_a_booking() {
    let Some(url) = follicle_store::testing::fresh_database("clinic_zone") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let photos = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    let (p1, p2) = (photos("node1"), photos("node2"));
    let one = ServerProc::start_on(&url, true, &["--photos", &p1, "--tz", "Europe/Warsaw"]);
    let two = ServerProc::start_on(
        &url,
        false,
        &["--photos", &p2, "--tz", "Pacific/Kiritimati"],
    );
    let owner = Client::login(&one.addr, "owner", one.password.as_deref().unwrap());
    let on_two = owner.at(&two.addr);
    for node in [&owner, &on_two] {
        assert_eq!(
            node.get("/api/clinic/settings").json()["time_zone"],
            "Europe/Warsaw",
            "the zone the clinic was made with"
        );
    }
    let me = owner.get("/api/me").json()["user"]["id"].as_i64().unwrap();
    let client = owner
        .post(
            "/api/clients",
            json!({ "reference": "TZ-1", "name": "Zone Client" }),
        )
        .json()["id"]
        .as_i64()
        .unwrap();
    let day = "2027-01-12";
    let r = on_two.post(
        "/api/appointments",
        json!({ "client_id": client, "date": day, "time": "10:00", "minutes": 60, "practitioner_id": me, "room": "Room 1", "kind": "consultation" }),
    );
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let id = r.json()["id"].as_i64().unwrap();
    for node in [&owner, &on_two] {
        let a = node.get(&format!("/api/appointments/{id}")).json();
        assert_eq!(
            (a["date"].as_str(), a["time"].as_str()),
            (Some(day), Some("10:00")),
            "{a}"
        );
        assert_eq!(a["start"], "2027-01-12T09:00:00Z", "10:00 in Warsaw (CET)");
        let v = node
            .get(&format!("/api/appointments?from={day}&days=1"))
            .json();
        assert_eq!(v["zone"], "Europe/Warsaw");
        assert_eq!(v["appointments"][0]["time"], "10:00", "{v}");
        assert_eq!(
            v["today"],
            owner.get("/api/appointments").json()["today"],
            "one today on every node"
        );
    }
    // Moving it on node 1 with the times node 2 shows is the same booking (no 409 about opening hours).
    let r = owner.send(
        "PUT",
        &format!("/api/appointments/{id}"),
        Some("application/json"),
        json!({ "date": day, "time": "10:00", "minutes": 60, "practitioner_id": me, "room": "Room 1" })
            .to_string()
            .as_bytes(),
    );
    assert_eq!(r.unwrap().status, 200);

    // The owner moves the clinic to another zone in the settings: every node follows at once, and the booking
    // ahead keeps its time on the clinic's clocks (probe s8 N10: the client was told 10:00).
    let r = on_two.send(
        "PUT",
        "/api/clinic/settings",
        Some("application/json"),
        json!({ "time_zone": "Pacific/Kiritimati" })
            .to_string()
            .as_bytes(),
    );
    let r = r.unwrap();
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["time_zone"], "Pacific/Kiritimati");
    for node in [&owner, &on_two] {
        let a = node.get(&format!("/api/appointments/{id}")).json();
        assert_eq!(
            (a["date"].as_str(), a["time"].as_str()),
            (Some(day), Some("10:00")),
            "{a}"
        );
    }
    // A zone that does not exist is refused in words; nothing changes.
    let r = owner
        .send(
            "PUT",
            "/api/clinic/settings",
            Some("application/json"),
            json!({ "time_zone": "Europe/Warsw" })
                .to_string()
                .as_bytes(),
        )
        .unwrap();
    assert_eq!(r.status, 422);
    let m = r.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(m.contains("did you mean “Europe/Warsaw”"), "{m}");
    assert_eq!(
        owner.get("/api/clinic/settings").json()["time_zone"],
        "Pacific/Kiritimati"
    );
}

/// Issue 13: `follicle schedule --database` follows the zone stored with the clinic, as the server does
/// (follicle-clinic's `ClinicZone::of_clinic`), not the command line's default: a clinic stored in
/// Pacific/Kiritimati (UTC+14) is scheduled on its own "today", in its zone, without a note; a zone given on the
/// command line does not override the stored one.
#[test]
fn schedule_follows_the_zone_stored_with_the_clinic() {
    let dir = tempfile::tempdir().unwrap();
    let url = serve_support::db_url(dir.path());
    let srv = ServerProc::start_on(&url, true, &["--tz", "Pacific/Kiritimati"]);
    srv.kill9();
    let intake = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/intake-norwood6-go.toml");
    for tz in [None, Some("America/Los_Angeles")] {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_follicle"));
        c.env_remove("FOLLICLE_TZ");
        if let Some(tz) = tz {
            c.args(["--tz", tz]);
        }
        let o = c
            .args([
                "schedule",
                intake.to_str().unwrap(),
                "--database",
                &url,
                "--json",
            ])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
        assert_eq!(v["zone"], "Pacific/Kiritimati", "{tz:?}: {v}");
        assert_eq!(v["zone_assumed"], false);
        let kiritimati = follicle_clinic::ClinicZone::get("Pacific/Kiritimati").unwrap();
        let now = follicle_clinic::DateTime::from_unix_seconds(follicle_store::now_unix()).unwrap();
        assert_eq!(v["today"], kiritimati.today(now).to_string());
        assert!(
            o.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}
