//! Two nodes writing at once (probe s7 N4, N5, N7): two stores opened on one database, as two `follicle serve`
//! processes on one PostgreSQL (or, on SQLite, two connections to one file), race the store's check-then-write
//! rules round after round. Each rule must hold whichever write lands first: the clinic keeps an active owner
//! when two owners disable each other, a lot that a session names is never deleted under it, an erased
//! client's name never comes back through a consultation recorded during the erasure, and a session is never
//! stored on a screening that a consultation saved at the same moment replaced (probe s10).

use follicle_store::testing::owner;
use follicle_store::*;
use std::sync::{Arc, Barrier};

const ROUNDS: usize = 8;

/// Runs `a` on one node and `b` on the other at the same instant; returns both results.
fn at_once<A: Send + 'static, B: Send + 'static>(
    a: impl FnOnce() -> A + Send + 'static,
    b: impl FnOnce() -> B + Send + 'static,
) -> (A, B) {
    let start = Arc::new(Barrier::new(2));
    let s2 = start.clone();
    let ha = std::thread::spawn(move || {
        start.wait();
        a()
    });
    let hb = std::thread::spawn(move || {
        s2.wait();
        b()
    });
    (ha.join().unwrap(), hb.join().unwrap())
}

fn fields(reference: &str, name: &str) -> ClientFields {
    ClientFields {
        reference: reference.into(),
        name: name.into(),
        date_of_birth: None,
        email: None,
        phone: None,
    }
}

fn races(one: Arc<dyn Store>, two: Arc<dyn Store>) {
    let (clinic, first) = one
        .create_clinic_with_owner("Two Nodes", &owner("first"))
        .unwrap();
    let (clinic, first) = (clinic.id, first.id);
    let second = one.create_user(clinic, &owner("second"), first).unwrap().id;
    let active_owners = |s: &dyn Store| {
        s.users(clinic)
            .unwrap()
            .iter()
            .filter(|u| u.role == Role::Owner && u.active)
            .count()
    };

    // Two owners disable each other at once, on two nodes: one of them stays.
    for round in 0..ROUNDS {
        for u in [first, second] {
            one.update_user_access(clinic, u, Some(true), None, first)
                .unwrap();
        }
        let (s1, s2) = (one.clone(), two.clone());
        let (a, b) = at_once(
            move || s1.update_user_access(clinic, second, Some(false), None, first),
            move || s2.update_user_access(clinic, first, Some(false), None, second),
        );
        assert_eq!(
            active_owners(&*one),
            1,
            "round {round}: {a:?} / {b:?}: the clinic must keep exactly one active owner"
        );
        assert!(
            a.is_ok() != b.is_ok(),
            "round {round}: exactly one is refused: {a:?} / {b:?}"
        );
    }
    one.update_user_access(clinic, first, Some(true), None, second)
        .unwrap();
    one.update_user_access(clinic, second, Some(true), None, first)
        .unwrap();

    // A lot deleted while a session naming it is recorded on the other node: never both.
    one.add_pigment(clinic, "nocturne", r#"{"id":"nocturne"}"#, first)
        .unwrap();
    for round in 0..ROUNDS {
        let number = format!("NC-{round}");
        let lot = one
            .add_lot(
                clinic,
                &NewLot {
                    pigment: "nocturne".into(),
                    number: number.clone(),
                    expiry: "2030-01-01".into(),
                    received: None,
                },
                first,
            )
            .unwrap();
        let client = one
            .create_client(clinic, &fields(&format!("L-{round}"), "Lot Client"), first)
            .unwrap()
            .id;
        let (s1, s2) = (one.clone(), two.clone());
        let record = format!(r#"{{"index":1,"lot":"{number}"}}"#);
        let (deleted, session) = at_once(
            move || s1.delete_record(clinic, RecordRef::Lot(lot.id), "entered by mistake", first),
            move || {
                s2.add_session(
                    clinic,
                    client,
                    &NewSession {
                        index: 1,
                        held_on: "2026-12-01".into(),
                        record_json: record,
                    },
                    second,
                )
            },
        );
        assert!(
            deleted.is_ok() != session.is_ok(),
            "round {round}: the lot's deletion and the session naming it cannot both succeed: {deleted:?} / {session:?}"
        );
        let lot_kept = one
            .lots(clinic)
            .unwrap()
            .iter()
            .any(|l| l.lot.number == number);
        assert_eq!(lot_kept, session.is_ok(), "round {round}");
    }

    // A session recorded on one node while a new screening is saved on the other (probe s10): the session's
    // checks read the client's records as `treatment_basis`; it is stored only while they are unchanged.
    let new_consultation = |reference: &str, outcome: &str| NewConsultation {
        held_on: "2026-12-01".into(),
        outcome: outcome.into(),
        intake_json: serde_json::json!({ "client": { "id": reference } }).to_string(),
        screening_json: format!(r#"{{"outcome":"{outcome}","findings":[]}}"#),
    };
    let session = |index: i64| NewSession {
        index,
        held_on: "2026-12-01".into(),
        record_json: format!(r#"{{"index":{index}}}"#),
    };
    {
        let client = one
            .create_client(clinic, &fields("G-seen", "Seen Client"), first)
            .unwrap()
            .id;
        one.add_consultation(clinic, client, &new_consultation("G-seen", "go"), first)
            .unwrap();
        let seen = one.treatment_basis(clinic, client).unwrap();
        assert_eq!(
            two.treatment_basis(clinic, client).unwrap(),
            seen,
            "every node reads the same"
        );
        one.add_consultation(
            clinic,
            client,
            &new_consultation("G-seen", "clearance"),
            second,
        )
        .unwrap();
        let stale = two.add_session_seen(clinic, client, &session(1), first, &seen, None);
        assert!(matches!(stale, Err(StoreError::Stale { .. })), "{stale:?}");
        assert!(
            one.sessions(clinic, client).unwrap().is_empty(),
            "nothing stored"
        );
        let now = one.treatment_basis(clinic, client).unwrap();
        let stored = two
            .add_session_seen(
                clinic,
                client,
                &session(1),
                first,
                &now,
                Some("owner overrode: test"),
            )
            .unwrap();
        assert_eq!(one.sessions(clinic, client).unwrap(), vec![stored.clone()]);
        // The override is audited with the session, in its transaction.
        assert!(one
            .audit(clinic, 20, 0)
            .unwrap()
            .iter()
            .any(|e| e.action == "override"
                && e.entity_id == Some(stored.id.0)
                && e.detail == "owner overrode: test"));
        // A session stored since is a change too (one per day, what remains of the plan).
        let again = one.add_session_seen(clinic, client, &session(2), first, &now, None);
        assert!(matches!(again, Err(StoreError::Stale { .. })), "{again:?}");
    }
    for round in 0..ROUNDS {
        let reference = format!("G-{round}");
        let client = one
            .create_client(clinic, &fields(&reference, "Race Client"), first)
            .unwrap()
            .id;
        one.add_consultation(clinic, client, &new_consultation(&reference, "go"), first)
            .unwrap();
        let seen = one.treatment_basis(clinic, client).unwrap();
        let (s1, s2) = (one.clone(), two.clone());
        let later = new_consultation(&reference, "clearance");
        let (stored, screened) = at_once(
            move || s1.add_session_seen(clinic, client, &session(1), first, &seen, None),
            move || s2.add_consultation(clinic, client, &later, second),
        );
        let screened = screened.unwrap();
        if let Ok(stored) = stored {
            // Stored: then before the new screening, in the audit log's order.
            let log = one.audit(clinic, 50, 0).unwrap();
            let at = |entity: &str, id: i64| {
                log.iter()
                    .find(|e| e.action == "create" && e.entity == entity && e.entity_id == Some(id))
                    .map(|e| e.id)
                    .unwrap()
            };
            assert!(
                at("session", stored.id.0) < at("consultation", screened.id.0),
                "round {round}: a session was stored after the screening it was not checked against"
            );
        } else {
            assert!(
                matches!(stored, Err(StoreError::Stale { .. })),
                "round {round}: {stored:?}"
            );
            assert!(one.sessions(clinic, client).unwrap().is_empty());
        }
    }

    // An erasure while a consultation is recorded on the other node: the erased name never comes back.
    for round in 0..ROUNDS {
        let name = format!("Erase Me {round}");
        let reference = format!("E-{round}");
        let client = one
            .create_client(clinic, &fields(&reference, &name), first)
            .unwrap()
            .id;
        let intake = serde_json::json!({ "client": { "id": reference, "name": name } }).to_string();
        let (s1, s2) = (one.clone(), two.clone());
        let (erased, consultation) = at_once(
            move || s1.erase_client(clinic, client, "2026-12-01", "asked by e-mail", Some(first)),
            move || {
                s2.add_consultation(
                    clinic,
                    client,
                    &NewConsultation {
                        held_on: "2026-12-01".into(),
                        outcome: "go".into(),
                        intake_json: intake,
                        screening_json: r#"{"outcome":"go","findings":[]}"#.into(),
                    },
                    second,
                )
            },
        );
        erased.unwrap();
        if let Ok(kept) = one.client(clinic, client) {
            let all = serde_json::to_string(
                &one.export_client(clinic, kept.id, Some(first), "check")
                    .unwrap(),
            )
            .unwrap();
            assert!(
                !all.contains(&name),
                "round {round}: the erased name is back ({consultation:?})"
            );
        }
    }
}

#[test]
fn two_nodes_on_postgres() {
    if let Some(url) = testing::fresh_database("twowriters") {
        let one: Arc<dyn Store> = open(&url).unwrap();
        let two: Arc<dyn Store> = open(&url).unwrap();
        races(one, two);
    }
}

#[test]
fn two_connections_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("f.db").display());
    let one = open(&url).unwrap();
    let two = open(&url).unwrap();
    races(one, two);
}
