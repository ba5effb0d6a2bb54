//! The s30 probe (a practitioner and a receptionist in the studio, in a real browser): what the API under the
//! studio must say for the screens to be right. A refusal nobody may lift ("not suitable") is not offered to the
//! owner as one to book anyway; a telephone number is one; the store's refusals read as sentences with the
//! names in quotation marks. Through the real API router on SQLite.

mod support;

use axum::http::StatusCode;
use serde_json::json;
use support::{Server, Setup};

const INTAKE: &str = include_str!("../../../examples/intake-norwood6-go.toml");

fn sqlite_server() -> Server {
    support::sqlite_server(Setup::default())
}

/// Booking a client whose screening says "not suitable" (a minor) is refused, also with an owner's reason, with
/// the conflict code: only refusals the owner may lift (a missing clearance, a deferral, outside the opening
/// hours) carry `owner_may_override`, and the studio offers its reason field for those alone (probe s30: the
/// booking form asked the owner for a reason to book a client the screening says not to treat, and never said
/// why it was refused).
#[tokio::test]
async fn not_suitable_is_never_offered_to_the_owner_as_one_to_lift() {
    let srv = sqlite_server();
    let (owner, prac, desk) = srv.clinic("gate", true).await;
    let mut minor = follicle_clinic::Intake::from_toml(INTAKE).unwrap();
    minor.client.id = "c-minor".into();
    minor.client.date_of_birth = srv.today().add_days(-10 * 365);
    let client = srv.new_client(&prac, "c-minor", "Minor Client").await;
    let r = srv
        .post(
            &prac,
            &format!("/api/clients/{client}/consultations"),
            serde_json::to_value(&minor).unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["screening"]["outcome"], "not-suitable");
    let ana = srv.practitioner_id(&desk, "Ana Ruiz (gate)").await;
    let day = srv.weekday_ahead();
    let mut body = json!({ "client_id": client, "date": day.to_string(), "time": "10:00", "minutes": 60, "practitioner_id": ana, "room": "Room 1" });
    for reason in [None, Some("The parents insist and have signed a waiver.")] {
        if let Some(r) = reason {
            body["override_reason"] = json!(r);
        }
        let r = srv.post(&owner, "/api/appointments", body.clone()).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        assert_eq!(r.json()["error"]["code"], "conflict", "{}", r.text());
        assert!(
            r.message().contains("not suitable for treatment"),
            "{}",
            r.message()
        );
    }
}

/// A client's telephone number must be one: "-1 abc" was stored (probe s30). Refused in words naming the
/// field; numbers as people write them are kept.
#[tokio::test]
async fn a_telephone_number_is_one() {
    let srv = sqlite_server();
    let (_owner, prac, _desk) = srv.clinic("tel", true).await;
    for (k, bad) in ["-1 abc", "123", "call me"].into_iter().enumerate() {
        let r = srv
            .post(
                &prac,
                "/api/clients",
                json!({ "reference": format!("T-{k}"), "name": "Phone Test", "phone": bad }),
            )
            .await;
        let m = r.error(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            m.starts_with("Phone: “") && m.contains("is not a telephone number"),
            "{bad}: {m}"
        );
    }
    for (k, ok) in ["+44 20 7946 0958", "(555) 123-4567 ext. 12"]
        .into_iter()
        .enumerate()
    {
        let r = srv
            .post(
                &prac,
                "/api/clients",
                json!({ "reference": format!("T-ok-{k}"), "name": "Phone Test", "phone": ok }),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{ok}: {}", r.text());
    }
}

/// The store's refusals are written for the command line (lower case, names in backticks); the studio shows
/// them as sentences with the names in quotation marks.
#[tokio::test]
async fn a_taken_user_name_is_said_in_a_sentence() {
    let srv = sqlite_server();
    let (owner, _prac, _desk) = srv.clinic("said", true).await;
    let r = srv
        .post(&owner, "/api/users", json!({ "username": "SAID-prac", "display_name": "Another Ana", "role": "practitioner", "password": "correct horse battery staple" }))
        .await;
    let m = r.error(StatusCode::CONFLICT);
    assert!(
        m.starts_with("The user name “SAID-prac” is taken") && m.ends_with('.') && !m.contains('`'),
        "{m}"
    );
}
