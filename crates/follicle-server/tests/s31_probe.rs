//! The s31 probe (an outside tester attacking the studio's API as a hostile or careless client would): what
//! held up is tested elsewhere; these are the answers that were wrong. Every refusal is a sentence (a capital,
//! a full stop); numbers far out of range are written short; a duplicate in the catalogue gets one answer
//! however the saves race; forms are JSON; a deletion without a body asks for its reason; a search holds only
//! what can be typed; a file that is no photo is named. Through the real API router on SQLite.

mod support;

use axum::http::StatusCode;
use serde_json::json;
use support::{call, Server, Setup};

const INTAKE: &str = include_str!("../../../examples/intake-norwood6-go.toml");

fn sqlite_server() -> Server {
    support::sqlite_server(Setup::default())
}

/// Every error the studio shows starts with a capital letter and ends with a full stop (or a closing mark):
/// "log in first", "only the clinic's owner may do this" and "size must be 64–1200 pixels" did not.
#[tokio::test]
async fn every_refusal_is_a_sentence() {
    let srv = sqlite_server();
    let (_owner, prac, desk) = srv.clinic("words", true).await;
    let anonymous = support::Session::default();
    let client = srv.new_client(&prac, "W-1", "Wanda Words").await;
    let replies = [
        srv.get(&anonymous, "/api/clients").await,
        srv.get(&prac, "/api/users").await,
        srv.get(&desk, &format!("/api/clients/{client}/consultations"))
            .await,
        srv.get(&prac, "/api/clients?limit=0").await,
    ];
    for r in replies {
        assert!(r.status.is_client_error(), "{}", r.text());
        let m = r.message();
        assert!(
            m.starts_with(|c: char| c.is_uppercase()) && m.ends_with(['.', '”', ')', '!', '?']),
            "{m}"
        );
    }
}

/// A pigment's colour of 1e308 was echoed as a 309-digit number in a 462-character message.
#[tokio::test]
async fn a_number_far_out_of_range_is_written_short() {
    let srv = sqlite_server();
    let (_owner, prac, _desk) = srv.clinic("numbers", true).await;
    let cat = support::example_catalogue();
    let mut p = serde_json::to_value(&cat.pigments[0]).unwrap();
    p["lab"] = json!([1e308, 0.0, 0.0]);
    let r = srv.post(&prac, "/api/pigments", p).await;
    let m = r.error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(m.contains("1e308") && m.len() < 300, "{m}");
}

/// Twenty identical lots at once answered 409 or 422 by timing: a lot or pigment given twice is one conflict,
/// in the same words, whether the catalogue's check or the store's unique key catches it.
#[tokio::test]
async fn a_lot_given_twice_gets_one_answer() {
    let srv = sqlite_server();
    let (_owner, prac, _desk) = srv.clinic("lots", true).await;
    let cat = support::example_catalogue();
    let pigment = serde_json::to_value(&cat.pigments[0]).unwrap();
    assert_eq!(
        srv.post(&prac, "/api/pigments", pigment.clone())
            .await
            .status,
        StatusCode::CREATED
    );
    let again = srv.post(&prac, "/api/pigments", pigment).await;
    let m = again.error(StatusCode::CONFLICT);
    assert!(m.contains("is already in the catalogue"), "{m}");
    let lot =
        json!({ "pigment": cat.pigments[0].id, "number": "RACE-LOT", "expiry": "2030-06-30" });
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (app, s, body) = (srv.app.clone(), prac.clone(), lot.to_string().into_bytes());
        tasks.push(tokio::spawn(async move {
            let r = call(
                &app,
                &s,
                "POST",
                "/api/lots",
                Some("application/json"),
                body,
            )
            .await;
            (r.status, r.message())
        }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    let created = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1, "{answers:?}");
    for (status, m) in answers.iter().filter(|(s, _)| *s != StatusCode::CREATED) {
        assert_eq!(*status, StatusCode::CONFLICT, "{m}");
        assert_eq!(
            m, "Number: lot number “RACE-LOT” is already in the catalogue.",
            "{answers:?}"
        );
    }
}

/// An intake sent as text/plain (or with no type) was stored; a deletion without a body was "sent in a form
/// the studio does not accept" instead of being asked for its reason; a consultation dated 0000-01-01 blamed
/// the date of birth; the intake's own name is filed under the record's.
#[tokio::test]
async fn consultations_are_json_dated_and_filed_under_the_record() {
    let srv = sqlite_server();
    let (_owner, prac, _desk) = srv.clinic("intake", true).await;
    let mut intake = follicle_clinic::Intake::from_toml(INTAKE).unwrap();
    intake.client.name = "Somebody Else".into();
    let client = srv
        .new_client(&prac, &intake.client.id, "Daniel Mensah")
        .await;
    let path = format!("/api/clients/{client}/consultations");
    let body = serde_json::to_vec(&intake).unwrap();
    for ty in [Some("text/plain"), None] {
        let r = srv.call(&prac, "POST", &path, ty, body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{ty:?}: {}",
            r.text()
        );
    }
    let mut year0 = serde_json::to_value(&intake).unwrap();
    year0["consultation"]["date"] = json!("0000-01-01");
    let m = srv
        .post(&prac, &path, year0)
        .await
        .error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        m.contains("0000-01-01 is before 1900") && !m.contains("birth"),
        "{m}"
    );
    let r = srv
        .post(&prac, &path, serde_json::to_value(&intake).unwrap())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let stored: follicle_clinic::Intake =
        serde_json::from_str(r.json()["consultation"]["intake_json"].as_str().unwrap()).unwrap();
    assert_eq!(stored.client.name, "Daniel Mensah");
    let id = r.json()["consultation"]["id"].as_i64().unwrap();
    let r = srv
        .call(
            &prac,
            "DELETE",
            &format!("/api/consultations/{id}"),
            None,
            vec![],
        )
        .await;
    let m = r.error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(m.contains("why"), "{m}");
}

/// A search for a NUL listed every client; a search longer than any name is refused too.
#[tokio::test]
async fn a_search_holds_what_can_be_typed() {
    let srv = sqlite_server();
    let (_owner, _prac, desk) = srv.clinic("search", true).await;
    srv.new_client(&desk, "S-1", "Sara Search").await;
    for q in ["%00", "a%07b", &"x".repeat(201)] {
        let r = srv.get(&desk, &format!("/api/clients?q={q}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}: {}", r.text());
    }
    let r = srv.get(&desk, "/api/clients?q=sara").await;
    assert_eq!(
        r.json()["items"].as_array().map(Vec::len),
        Some(1),
        "{}",
        r.text()
    );
}

/// An SVG sent as a photo was refused with its first bytes in hexadecimal; a plan asked for -1 sessions said
/// "from 0 to 18446744073709551615".
#[tokio::test]
async fn files_and_numbers_are_named_in_words() {
    let srv = sqlite_server();
    let (_owner, prac, _desk) = srv.clinic("files", true).await;
    let client = srv.new_client(&prac, "F-1", "Fran Files").await;
    let r = srv
        .call(
            &prac,
            "POST",
            &format!("/api/clients/{client}/photos"),
            Some("image/png"),
            br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.to_vec(),
        )
        .await;
    let m = r.error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(m.contains("SVG drawing") && !m.contains("3c 73"), "{m}");
    let r = srv
        .post(
            &prac,
            &format!("/api/clients/{client}/plans"),
            json!({ "case": "pattern = \"norwood-4\"\n", "sessions": -1 }),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.text());
    assert!(
        !r.message().contains("18446744073709551615"),
        "{}",
        r.message()
    );
}

/// The session form's lot list comes from the server's own check of a session's lot (the studio's JavaScript
/// copy of the allergen rule is gone): expired lots and lots whose label lists what the client is allergic to
/// are named with the reason; front desk does not see it (allergies are medical).
#[tokio::test]
async fn the_lots_offered_are_the_lots_a_session_may_use() {
    let srv = sqlite_server();
    let (_owner, prac, desk) = srv.clinic("lots-offered", true).await;
    let client = srv
        .screened_client(
            &prac,
            include_str!("../../../examples/intake-isotretinoin-nickel.toml"),
            "Nina Nickel",
        )
        .await;
    srv.stock_example_catalogue(&prac).await;
    let path = format!("/api/clients/{client}/lot-choices?day=2026-01-10");
    let v = srv.get(&prac, &path).await.json();
    let problem = |number: &str| {
        v["lots"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["number"] == number)
            .unwrap_or_else(|| panic!("{number} in {v}"))["problem"]
            .clone()
    };
    assert_eq!(problem("NC1-2409-113"), json!("expired 2025-03-31"));
    assert_eq!(problem("NC1-2502-041"), serde_json::Value::Null);
    assert!(
        problem("NG2-2411-007")
            .as_str()
            .is_some_and(|p| p.starts_with("client is allergic to nickel")),
        "{v}"
    );
    assert_eq!(srv.get(&desk, &path).await.status, StatusCode::FORBIDDEN);
    let r = srv
        .get(
            &prac,
            &format!("/api/clients/{client}/lot-choices?day=soon"),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.text());
}
