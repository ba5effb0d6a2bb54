//! The owner's retention purge through the real API, confirmed by the exact list the owner was shown (the ids
//! of GET /api/records/retention): a list that has changed in between (a client added, one no longer due)
//! deletes nobody and is refused with 409 and a sentence saying what changed; the same list in any order
//! purges exactly those clients; a purge without the list is refused in words; only the owner purges. On
//! SQLite always, and on PostgreSQL when FOLLICLE_TEST_POSTGRES_URL is set.

mod support;

use axum::http::StatusCode;
use serde_json::{json, Value};
use support::{Server, Setup};

const GO: &str = include_str!("../../../examples/intake-norwood6-go.toml");

/// Adds a client `reference` with a consultation held on `held_on` (their last treatment day).
async fn old_client(srv: &Server, prac: &support::Session, reference: &str, held_on: &str) -> i64 {
    let toml = GO
        .replace("id = \"c-2025-014\"", &format!("id = \"{reference}\""))
        .replace("date = 2025-03-03", &format!("date = {held_on}"));
    let intake = follicle_clinic::Intake::from_toml(&toml).unwrap();
    let r = srv
        .post(
            prac,
            "/api/clients",
            json!({ "reference": reference, "name": format!("Client {reference}") }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    let id = r.json()["id"].as_i64().unwrap();
    let r = srv
        .post(
            prac,
            &format!("/api/clients/{id}/consultations"),
            serde_json::to_value(&intake).unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    id
}

fn ids(v: &Value) -> Vec<i64> {
    v["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

async fn exists(srv: &Server, who: &support::Session, id: i64) -> bool {
    srv.get(who, &format!("/api/clients/{id}")).await.status == StatusCode::OK
}

async fn purge_by_list(srv: Server) {
    let (owner, prac, _desk) = srv.clinic("purge", true).await;
    let a = old_client(&srv, &prac, "c-2012-001", "2012-03-05").await;
    let b = old_client(&srv, &prac, "c-2013-002", "2013-04-06").await;
    let seen = srv.get(&owner, "/api/records/retention").await.json();
    assert_eq!(ids(&seen), [a, b], "{seen}");
    assert_eq!(seen["clients"][0]["reference"], "c-2012-001");

    // Without the list, or with a list that is not the one due, nobody goes.
    let r = srv
        .post(
            &owner,
            "/api/records/purge",
            json!({ "reason": "yearly purge" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.message(),
        "Confirm the purge with the list of clients you were shown: look at who would be purged first."
    );
    let r = srv
        .post(&prac, "/api/records/purge", json!({ "clients": [a, b] }))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = srv
        .post(&owner, "/api/records/purge", json!({ "clients": [a] }))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        r.message(),
        "The list has changed since you looked: 1 client you were not shown is now due (c-2013-002). Nobody was deleted; please look at the list again before purging."
    );
    // A client becomes due after the owner looked.
    let c = old_client(&srv, &prac, "c-2014-003", "2014-05-07").await;
    let r = srv
        .post(&owner, "/api/records/purge", json!({ "clients": [a, b] }))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        r.message(),
        "The list has changed since you looked: 1 client you were not shown is now due (c-2014-003). Nobody was deleted; please look at the list again before purging."
    );
    // The retention period lengthened in between: the clients shown are no longer due.
    let r = srv
        .put(
            &owner,
            "/api/clinic/settings",
            json!({ "retention_years": 30 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    let r = srv
        .post(
            &owner,
            "/api/records/purge",
            json!({ "clients": [a, b, c] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        r.message(),
        "The list has changed since you looked: 3 clients you were shown are no longer due. Nobody was deleted; please look at the list again before purging."
    );
    for id in [a, b, c] {
        assert!(exists(&srv, &owner, id).await, "{id} kept");
    }
    let audit = srv.get(&owner, "/api/audit?limit=50").await.json();
    assert!(
        !audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "purge"),
        "nothing purged, nothing audited: {audit}"
    );

    // Back to ten years: the list shown again, confirmed in another order, purges exactly those.
    let r = srv
        .put(
            &owner,
            "/api/clinic/settings",
            json!({ "retention_years": 10 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    let seen = srv.get(&owner, "/api/records/retention").await.json();
    assert_eq!(ids(&seen), [a, b, c], "{seen}");
    let r = srv
        .post(
            &owner,
            "/api/records/purge",
            json!({ "clients": [c, a, b], "reason": "yearly purge" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    let done = r.json();
    assert_eq!(done["count"], 3, "{done}");
    assert_eq!(ids(&json!({ "clients": done["purged"] })), [a, b, c]);
    for id in [a, b, c] {
        assert!(!exists(&srv, &owner, id).await, "{id} purged");
    }
    // Nothing left: the empty list confirms the empty run.
    let r = srv
        .post(&owner, "/api/records/purge", json!({ "clients": [] }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.message());
    assert_eq!(
        r.json()["message"],
        "Nothing to purge: no client's retention period has ended."
    );
}

const PLAIN: Setup = Setup {
    zone: None,
    studio_ui: false,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn purge_confirmed_by_the_list_on_sqlite() {
    purge_by_list(support::sqlite_server(PLAIN)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn purge_confirmed_by_the_list_on_postgres() {
    if let Some(srv) = support::postgres_server("purge", PLAIN) {
        purge_by_list(srv).await;
    }
}
