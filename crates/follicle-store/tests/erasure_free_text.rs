//! Erasure reaches every free-text field of a client's records (design and plan labels and case files, clearance
//! letter file names, appointment purposes and reasons), cancels the bookings still ahead, and the audit log keeps
//! no client free text, before (migration 14) or after; the retention purge keeps a client with a booking ahead
//! and counts what is left under its lock. On both backends.

use follicle_store::testing::owner;
use follicle_store::*;
use std::sync::Arc;

const NAME: &str = "Zofia Nowak";
const CASE_NAME: &str = "Zosia Nowakówna";

fn case(name: &str) -> String {
    format!("# Consultation with {name}: she wants it soft\nseed = 1\nsessions = 3\npattern = \"norwood-6\"\n\n[client]\nname = \"{name}\"\n\n[head]\nsex = \"female\"\n")
}

fn appointment(client: ClientId, by: UserId, start: i64, purpose: &str) -> NewAppointment {
    NewAppointment {
        client_id: client,
        practitioner_id: by,
        room: "Room 1".into(),
        room_key: "room 1".into(),
        starts_at: start,
        ends_at: start + 3600,
        kind: "consultation".into(),
        purpose: purpose.into(),
        override_reason: None,
    }
}

fn book(s: &dyn Store, clinic: ClinicId, a: &NewAppointment, by: UserId) -> Appointment {
    let ok = |_: &[Appointment]| Ok(());
    s.book_appointment(
        clinic,
        a,
        (a.starts_at - 86_400, a.ends_at + 86_400),
        &ok,
        by,
    )
    .unwrap()
}

fn consultation(held_on: &str, name: &str, letter: Option<&str>) -> NewConsultation {
    let mut intake = serde_json::json!({ "client": { "id": "E-1", "name": name }, "notes": format!("{name} asked about scars; Zofia's sister too") });
    if let Some(l) = letter {
        intake["clearance"] =
            serde_json::json!({ "by": "Dr X", "date": "2026-11-10", "letter": l });
    }
    NewConsultation {
        held_on: held_on.into(),
        outcome: "go".into(),
        intake_json: intake.to_string(),
        screening_json: r#"{"outcome":"go","findings":[]}"#.into(),
    }
}

fn all_appointments(s: &dyn Store, a: ClinicId, client: ClientId) -> Vec<Appointment> {
    let q = AppointmentQuery {
        from: 0,
        to: now_unix() + 400 * 86_400,
        client: Some(client),
        practitioner: None,
        include_cancelled: true,
    };
    s.appointments(a, &q).unwrap()
}

fn erasure_reaches_every_free_text_field(s: Arc<dyn Store>) {
    let (a, alice) = s
        .create_clinic_with_owner("Clinic E", &owner("erin"))
        .unwrap();
    let (a, by) = (a.id, alice.id);
    let f = ClientFields {
        reference: "E-1".into(),
        name: NAME.into(),
        date_of_birth: Some("1985-05-05".into()),
        email: Some("zofia.nowak@example.com".into()),
        phone: Some("+48 600 111 222".into()),
    };
    let client = s.create_client(a, &f, by).unwrap().id;
    let today = "2026-11-30";
    s.add_consultation(a, client, &consultation("2026-11-25", NAME, None), by)
        .unwrap();
    let file = format!("{NAME} clearance.pdf");
    s.record_clearance(
        a,
        client,
        &consultation("2026-11-26", NAME, Some(&file)),
        &NewClearanceLetter {
            content_type: "application/pdf".into(),
            filename: file.clone(),
            bytes: b"%PDF-1.4\n%%EOF\n".to_vec(),
        },
        by,
    )
    .unwrap();
    let design = s
        .add_design(
            a,
            client,
            &NewDesign {
                label: format!("{NAME} soft"),
                case_toml: case(CASE_NAME),
                previous_id: None,
            },
            by,
        )
        .unwrap();
    s.choose_design(a, design.id, None, by).unwrap();
    s.add_plan(
        a,
        client,
        &NewPlan {
            parent_id: None,
            label: NAME.into(),
            case_toml: Some(case(NAME)),
            seed: 1,
            sessions: 3,
            impressions: 10,
            plan_json: "{}".into(),
        },
        by,
    )
    .unwrap();
    let now = now_unix();
    let past = book(
        &*s,
        a,
        &appointment(client, by, now - 40 * 86_400, &format!("Consult {NAME}")),
        by,
    );
    s.cancel_appointment(a, past.id, &format!("{NAME} called in sick"), by)
        .unwrap();
    let ahead = book(
        &*s,
        a,
        &appointment(client, by, now + 7 * 86_400, &format!("Consult {NAME}")),
        by,
    );

    let done = s
        .erase_client(a, client, today, "client asked by e-mail", Some(by))
        .unwrap();
    match &done {
        Erasure::Pseudonymised {
            bookings_cancelled, ..
        } => assert_eq!(*bookings_cancelled, 1),
        other => panic!("expected pseudonymised, got {other:?}"),
    }

    // Nothing the clinic still holds about the client names them, in any field.
    let export =
        serde_json::to_string(&s.export_client(a, client, Some(by), "test").unwrap()).unwrap();
    let letters = serde_json::to_string(&s.clearance_letters(a, client).unwrap()).unwrap();
    let bookings = serde_json::to_string(&all_appointments(&*s, a, client)).unwrap();
    let audit = serde_json::to_string(&s.audit(a, 1000, 0).unwrap()).unwrap();
    for (what, text) in [
        ("export", &export),
        ("clearance letters", &letters),
        ("appointments", &bookings),
        ("audit log", &audit),
    ] {
        for secret in [NAME, CASE_NAME, "Zofia", "Nowak", "soft\""] {
            assert!(
                !text.contains(secret),
                "{what} still holds `{secret}`: {text}"
            );
        }
    }
    let d = s.design(a, design.id).unwrap();
    assert_eq!(d.label, format!("Design {}", design.id.0));
    assert!(
        d.case_toml
            .contains(&format!("name = \"Erased client {}\"", client.0)),
        "{}",
        d.case_toml
    );
    assert!(
        d.case_toml.contains("pattern = \"norwood-6\""),
        "the design itself is kept"
    );
    assert!(
        letters.contains("clearance-letter-") && letters.contains(".pdf"),
        "{letters}"
    );
    let kept = all_appointments(&*s, a, client);
    let after = kept.iter().find(|b| b.id == ahead.id).unwrap();
    assert_eq!(
        (
            after.status.as_str(),
            after.cancel_reason.as_deref(),
            after.purpose.as_str()
        ),
        (
            "cancelled",
            Some("the client was erased on request"),
            "consultation"
        )
    );
    let before = kept.iter().find(|b| b.id == past.id).unwrap();
    assert_eq!(before.purpose, "consultation");
}

/// Rows the audit log got before schema version 14 copied client free text; the migration rewrites them once,
/// and the log is append-only again afterwards.
#[test]
fn sqlite_migration_14_scrubs_client_free_text_from_older_audit_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let old = sqlite::open_at_version(&path, 11).unwrap();
        old.create_clinic_with_owner("Old clinic", &owner("olga"))
            .unwrap();
    }
    let sha = "ab".repeat(32);
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        for (action, entity, detail) in old_rows(&sha) {
            c.execute(
                "INSERT INTO audit_log (clinic_id, user_id, at, action, entity, entity_id, client_id, detail) VALUES (1, 1, 1, ?1, ?2, 7, 7, ?3)",
                rusqlite::params![action, entity, detail],
            )
            .unwrap();
        }
    }
    let s = sqlite::open(&path).unwrap();
    check_scrubbed(&s, &sha);
    let c = rusqlite::Connection::open(&path).unwrap();
    assert!(
        c.execute("UPDATE audit_log SET detail = 'x'", []).is_err(),
        "append-only again"
    );
}

#[test]
fn postgres_migration_14_scrubs_client_free_text_from_older_audit_rows() {
    let Some(url) = testing::fresh_database("h12e_migrate") else {
        return;
    };
    {
        let old = postgres::open_at_version(&url, 11).unwrap();
        old.create_clinic_with_owner("Old clinic", &owner("olga"))
            .unwrap();
    }
    let sha = "ab".repeat(32);
    let u = url.clone();
    let s2 = sha.clone();
    std::thread::spawn(move || {
        let mut c = ::postgres::Client::connect(&u, ::postgres::NoTls).unwrap();
        for (action, entity, detail) in old_rows(&s2) {
            c.execute(
                "INSERT INTO audit_log (clinic_id, user_id, at, action, entity, entity_id, client_id, detail) VALUES (1, 1, 1, $1, $2, 7, 7, $3)",
                &[&action, &entity, &detail],
            )
            .unwrap();
        }
    })
    .join()
    .unwrap();
    let s = postgres::open(&url).unwrap();
    check_scrubbed(&s, &sha);
    std::thread::spawn(move || {
        let mut c = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
        assert!(
            c.execute("UPDATE audit_log SET detail = 'x'", &[]).is_err(),
            "append-only again"
        );
    })
    .join()
    .unwrap();
}

fn old_rows(sha: &str) -> Vec<(String, String, String)> {
    [
        ("create", "design", format!("{NAME} soft")),
        ("choose", "design", format!("{NAME} soft")),
        (
            "create",
            "clearance_letter",
            format!("{NAME} (draft) clearance.pdf (44 bytes, SHA-256 {sha})"),
        ),
        (
            "create",
            "appointment",
            format!("Consult {NAME} from 1 to 2 (Unix seconds), practitioner 1, Room 1"),
        ),
        ("cancel", "appointment", format!("{NAME} called in sick")),
    ]
    .into_iter()
    .map(|(a, e, d)| (a.to_string(), e.to_string(), d))
    .collect()
}

fn check_scrubbed(s: &dyn Store, sha: &str) {
    let log = s.audit(ClinicId(1), 100, 0).unwrap();
    assert!(log.len() >= 5);
    for e in &log {
        assert!(!e.detail.contains("Zofia"), "{e:?}");
    }
    assert!(log
        .iter()
        .any(|e| e.entity == "clearance_letter" && e.detail == format!("SHA-256 {sha}")));
    assert!(log.iter().any(|e| e.entity == "appointment"
        && e.action == "cancel"
        && e.detail == "the reason is kept with the appointment"));
}

fn client_with_old_treatment(s: &dyn Store, a: ClinicId, by: UserId, reference: &str) -> ClientId {
    let f = ClientFields {
        reference: reference.into(),
        name: format!("Old {reference}"),
        date_of_birth: None,
        email: None,
        phone: None,
    };
    let c = s.create_client(a, &f, by).unwrap().id;
    s.add_consultation(a, c, &consultation("2014-11-01", "Old", None), by)
        .unwrap();
    c
}

/// A client whose retention has ended but who is booked again is kept (the dry run says why), and `left` is
/// what remains after this run, counted under the lock.
fn a_booked_client_is_kept_out_of_the_purge(s: Arc<dyn Store>) {
    let (a, alice) = s
        .create_clinic_with_owner("Clinic P", &owner("pia"))
        .unwrap();
    let (a, by) = (a.id, alice.id);
    let gone = client_with_old_treatment(&*s, a, by, "P-1");
    let back = client_with_old_treatment(&*s, a, by, "P-2");
    let start = now_unix() + 7 * 86_400;
    let booking = book(
        &*s,
        a,
        &appointment(back, by, start, "First visit back"),
        by,
    );
    let today = "2026-11-30";
    let ended: Vec<ClientId> = s
        .retention_ended(a, today)
        .unwrap()
        .iter()
        .map(|e| e.client_id)
        .collect();
    assert_eq!(ended, [gone]);
    let held = s.retention_held(a, today).unwrap();
    assert_eq!(
        held.iter()
            .map(|e| (e.client_id, e.booked_at))
            .collect::<Vec<_>>(),
        [(back, Some(start))]
    );
    let done = s
        .purge_retention_ended(a, today, "yearly purge", None, None)
        .unwrap();
    assert_eq!(
        done.purged.iter().map(|e| e.client_id).collect::<Vec<_>>(),
        [gone]
    );
    assert_eq!(done.left, 0);
    assert_eq!(
        s.appointment(a, booking.id).unwrap().status,
        "booked",
        "the booking stays"
    );
    assert_eq!(s.client(a, back).unwrap().fields.reference, "P-2");
    // Once the booking is cancelled, the client goes with the next purge.
    s.cancel_appointment(a, booking.id, "no longer coming", by)
        .unwrap();
    let again = s
        .purge_retention_ended(a, today, "yearly purge", None, None)
        .unwrap();
    assert_eq!(
        again.purged.iter().map(|e| e.client_id).collect::<Vec<_>>(),
        [back]
    );
}

fn both(s: Arc<dyn Store>) {
    erasure_reaches_every_free_text_field(s.clone());
    a_booked_client_is_kept_out_of_the_purge(s);
}

#[test]
fn sqlite_erasure_free_text_and_booked_purge() {
    let dir = tempfile::tempdir().unwrap();
    testing::on_sqlite(dir.path(), both);
}

#[test]
fn postgres_erasure_free_text_and_booked_purge() {
    testing::on_postgres("h12e_erasure", both);
}
