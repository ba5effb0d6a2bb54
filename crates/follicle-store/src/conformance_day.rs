//! The clinic's-day part of the store test suite (appointments, signed consents, clearance letters), run by
//! [`crate::conformance::run_all`] on every backend. The clash rule itself belongs to follicle-clinic; here a
//! plain overlap check stands in for it, to test what the store owns: the bookings it hands the check, the
//! lock that makes check and write one step under concurrency, moves, cancellations, isolation and audit.

use crate::*;

fn user(s: &dyn Store, clinic: ClinicId, name: &str, role: Role, by: UserId) -> User {
    s.create_user(
        clinic,
        &NewUser {
            username: name.into(),
            display_name: format!("{name} (staff)"),
            role,
            password_hash: "$argon2id$test".into(),
        },
        by,
    )
    .unwrap()
}

fn client(s: &dyn Store, clinic: ClinicId, reference: &str, by: UserId) -> ClientId {
    s.create_client(
        clinic,
        &ClientFields {
            reference: reference.into(),
            name: format!("Client {reference}"),
            date_of_birth: None,
            email: None,
            phone: None,
        },
        by,
    )
    .unwrap()
    .id
}

const DAY: i64 = 1_900_000_000 - 1_900_000_000 % 86_400;
const H: i64 = 3600;

fn at(client_id: ClientId, who: UserId, room: &str, start: i64, end: i64) -> NewAppointment {
    NewAppointment {
        client_id,
        practitioner_id: who,
        room: room.into(),
        room_key: room.to_lowercase(),
        starts_at: start,
        ends_at: end,
        kind: "session".into(),
        purpose: "Session 1 of 3".into(),
        override_reason: None,
    }
}

/// The stand-in clash rule: any handed booking that overlaps `new` (touching allowed).
fn overlap(new: (i64, i64)) -> impl Fn(&[Appointment]) -> std::result::Result<(), String> + Sync {
    move |near: &[Appointment]| match near
        .iter()
        .find(|b| b.starts_at < new.1 && new.0 < b.ends_at)
    {
        Some(b) => Err(format!("clashes with {} ({})", b.id, b.practitioner_name)),
        None => Ok(()),
    }
}

fn book(s: &dyn Store, clinic: ClinicId, a: &NewAppointment, by: UserId) -> Result<Appointment> {
    let w = (a.starts_at - 24 * H, a.ends_at + 24 * H);
    s.book_appointment(clinic, a, w, &overlap((a.starts_at, a.ends_at)), by)
}

/// Runs the clinic's-day checks in clinic `a` (owner `alice`), with clinic `b` (owner `bob`) as the outsider.
pub fn run(s: &dyn Store, a: ClinicId, alice: UserId, b: ClinicId, bob: UserId) {
    appointments(s, a, alice, b, bob);
    racing_bookings(s, a, alice);
    signed_consents(s, a, alice, b);
    clearance_letters(s, a, alice, b);
    crate::conformance_premises::run(s, a, alice, b, bob);
}

fn appointments(s: &dyn Store, a: ClinicId, alice: UserId, b: ClinicId, bob: UserId) {
    let pia = user(s, a, "pia-day", Role::Practitioner, alice).id;
    let desk = user(s, a, "desk-day", Role::FrontDesk, alice).id;
    let (c1, c2) = (client(s, a, "D-1", alice), client(s, a, "D-2", alice));
    let first = book(
        s,
        a,
        &at(c1, pia, "Room 1", DAY + 10 * H, DAY + 11 * H),
        desk,
    )
    .unwrap();
    assert_eq!(
        (
            first.status.as_str(),
            first.revision,
            first.practitioner_name.as_str(),
            first.client_name.as_str()
        ),
        ("booked", 0, "pia-day (staff)", "Client D-1")
    );
    // Touching on either side: accepted; the check saw the first booking and let it be.
    let after = book(
        s,
        a,
        &at(c2, pia, "Room 1", DAY + 11 * H, DAY + 12 * H),
        desk,
    )
    .unwrap();
    book(
        s,
        a,
        &at(c2, pia, "room 1", DAY + 9 * H, DAY + 10 * H),
        desk,
    )
    .unwrap();
    // Overlapping: the check's message comes back as a conflict, nothing is stored.
    let before = s
        .appointments(
            a,
            &AppointmentQuery {
                from: DAY,
                to: DAY + 24 * H,
                ..Default::default()
            },
        )
        .unwrap()
        .len();
    match book(
        s,
        a,
        &at(c2, pia, "Room 9", DAY + 10 * H + 1800, DAY + 11 * H),
        desk,
    ) {
        Err(StoreError::Conflict(m)) => assert!(m.contains(&first.id.to_string()), "{m}"),
        other => panic!("an overlapping booking is refused: {other:?}"),
    }
    // The same room (by its key) with another practitioner is handed to the check too.
    assert!(matches!(
        book(
            s,
            a,
            &at(c2, alice, "ROOM 1", DAY + 10 * H, DAY + 10 * H + 900),
            desk
        ),
        Err(StoreError::Conflict(_))
    ));
    // Another practitioner in another room: fine.
    book(
        s,
        a,
        &at(c2, alice, "Room 2", DAY + 10 * H, DAY + 11 * H),
        desk,
    )
    .unwrap();
    assert_eq!(
        s.appointments(
            a,
            &AppointmentQuery {
                from: DAY,
                to: DAY + 24 * H,
                ..Default::default()
            }
        )
        .unwrap()
        .len(),
        before + 1
    );
    // Who can be booked: not front desk, not another clinic's user; not another clinic's client; not backwards.
    assert!(matches!(
        book(
            s,
            a,
            &at(c1, desk, "Room 3", DAY + 14 * H, DAY + 15 * H),
            alice
        ),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        book(
            s,
            a,
            &at(c1, bob, "Room 3", DAY + 14 * H, DAY + 15 * H),
            alice
        ),
        Err(StoreError::NotFound(_))
    ));
    let outsider = client(s, b, "D-B", bob);
    assert!(matches!(
        book(
            s,
            a,
            &at(outsider, pia, "Room 3", DAY + 14 * H, DAY + 15 * H),
            alice
        ),
        Err(StoreError::NotFound(_))
    ));
    assert!(book(
        s,
        a,
        &at(c1, pia, "Room 3", DAY + 15 * H, DAY + 14 * H),
        alice
    )
    .is_err());

    let haircut = NewAppointment {
        kind: "haircut".into(),
        ..at(c1, pia, "Room 3", DAY + 14 * H, DAY + 15 * H)
    };
    assert!(
        book(s, a, &haircut, alice).is_err(),
        "kinds are checked by the database"
    );
    // Moving: onto another booking is refused; within its own time or elsewhere it goes, revision up.
    let mv = |id: AppointmentId, n: &NewAppointment| {
        s.move_appointment(
            a,
            id,
            n,
            None,
            (n.starts_at - 24 * H, n.ends_at + 24 * H),
            &overlap((n.starts_at, n.ends_at)),
            desk,
        )
    };
    // The stand-in check sees every near booking but the moved one itself.
    assert!(matches!(
        mv(after.id, &at(c2, pia, "Room 1", DAY + 10 * H, DAY + 11 * H)),
        Err(StoreError::Conflict(_))
    ));
    let moved = mv(
        after.id,
        &at(c2, pia, "Room 1", DAY + 11 * H + 900, DAY + 12 * H + 900),
    )
    .unwrap();
    assert_eq!(
        (moved.revision, moved.starts_at, moved.client_id),
        (1, DAY + 11 * H + 900, c2)
    );
    // Moved to where it is: unchanged, its revision too.
    let again = at(c2, pia, "Room 1", DAY + 11 * H + 900, DAY + 12 * H + 900);
    assert_eq!(mv(after.id, &again).unwrap(), moved);
    // A move from a screen loaded before another move is refused, nothing written.
    let later = at(c2, pia, "Room 1", DAY + 12 * H + 900, DAY + 13 * H + 900);
    let stale = s.move_appointment(
        a,
        after.id,
        &later,
        Some(0),
        (later.starts_at - 24 * H, later.ends_at + 24 * H),
        &overlap((later.starts_at, later.ends_at)),
        desk,
    );
    // Who moved it last and when are said (outside test s43: no one was named).
    assert!(
        matches!(&stale, Err(StoreError::Stale { by: Some(by), at: Some(_), .. }) if by.contains("desk-day")),
        "{stale:?}"
    );
    assert_eq!(s.appointment(a, after.id).unwrap(), moved);
    // Cancelling frees the time; a cancelled booking can't be moved or cancelled again.
    let cancelled = s
        .cancel_appointment(a, first.id, "Client phoned: ill", desk)
        .unwrap();
    assert_eq!(
        (
            cancelled.status.as_str(),
            cancelled.revision,
            cancelled.cancel_reason.as_deref()
        ),
        ("cancelled", 1, Some("Client phoned: ill"))
    );
    assert!(matches!(
        s.cancel_appointment(a, first.id, "again", desk),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        mv(first.id, &at(c1, pia, "Room 1", DAY + 16 * H, DAY + 17 * H)),
        Err(StoreError::Conflict(_))
    ));
    book(
        s,
        a,
        &at(c1, pia, "Room 1", DAY + 10 * H, DAY + 11 * H),
        desk,
    )
    .unwrap();

    // Lists: by range (overlap), client, practitioner, with or without cancelled ones.
    let day = |q: AppointmentQuery| {
        s.appointments(
            a,
            &AppointmentQuery {
                from: DAY,
                to: DAY + 24 * H,
                ..q
            },
        )
        .unwrap()
    };
    let all = day(AppointmentQuery::default());
    assert!(
        all.windows(2).all(|w| w[0].starts_at <= w[1].starts_at),
        "by start"
    );
    assert!(all.iter().all(|x| x.status == "booked"));
    assert_eq!(
        day(AppointmentQuery {
            include_cancelled: true,
            ..Default::default()
        })
        .len(),
        all.len() + 1
    );
    assert!(day(AppointmentQuery {
        client: Some(c1),
        ..Default::default()
    })
    .iter()
    .all(|x| x.client_id == c1));
    assert!(day(AppointmentQuery {
        practitioner: Some(alice),
        ..Default::default()
    })
    .iter()
    .all(|x| x.practitioner_id == alice));
    // A range that ends when a booking starts does not hold it.
    assert!(s
        .appointments(
            a,
            &AppointmentQuery {
                from: DAY,
                to: DAY + 9 * H,
                ..Default::default()
            }
        )
        .unwrap()
        .is_empty());
    // Another clinic sees none of it.
    assert!(s
        .appointments(
            b,
            &AppointmentQuery {
                from: DAY,
                to: DAY + 24 * H,
                include_cancelled: true,
                ..Default::default()
            }
        )
        .unwrap()
        .is_empty());
    assert!(matches!(
        s.appointment(b, first.id),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.cancel_appointment(b, moved.id, "x", bob),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.appointments(
            b,
            &AppointmentQuery {
                client: Some(c1),
                ..Default::default()
            }
        ),
        Err(StoreError::NotFound(_))
    ));
    // Audited: the booking, the move and the cancellation.
    let log = s.audit(a, 50, 0).unwrap();
    for action in ["create", "update", "cancel"] {
        assert!(
            log.iter()
                .any(|e| e.entity == "appointment" && e.action == action),
            "{action} audited"
        );
    }
}

/// Eight bookings racing for one practitioner's slot: exactly one wins, whatever the interleaving.
fn racing_bookings(s: &dyn Store, a: ClinicId, alice: UserId) {
    let kai = user(s, a, "kai-race", Role::Practitioner, alice).id;
    let clients: Vec<ClientId> = (0..8)
        .map(|i| client(s, a, &format!("RACE-{i}"), alice))
        .collect();
    let start = DAY + 30 * 24 * H;
    let results: Vec<Result<Appointment>> = std::thread::scope(|scope| {
        let handles: Vec<_> = clients
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                // Each one in its own room: only the practitioner is shared.
                let room = format!("Race room {i}");
                scope.spawn(move || {
                    book(
                        s,
                        a,
                        &at(c, kai, &room, start + 60 * i as i64, start + H),
                        alice,
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let won = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(won, 1, "exactly one racing booking wins: {results:?}");
    assert!(results
        .iter()
        .all(|r| r.is_ok() || matches!(r, Err(StoreError::Conflict(_)))));
    let held = s
        .appointments(
            a,
            &AppointmentQuery {
                from: start,
                to: start + H,
                practitioner: Some(kai),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(held.len(), 1);
}

fn signed_consents(s: &dyn Store, a: ClinicId, alice: UserId, b: ClinicId) {
    let c = client(s, a, "SIG-1", alice);
    let n = NewConsent {
        text_id: "smp-treatment".into(),
        text_version: 2,
        signed_at: "2030-03-10T09:12:00Z".into(),
        signed_json: "{\"text\":\"smp-treatment\"}".into(),
    };
    let sig = NewSignature {
        text_sha256: "a".repeat(64),
        pad_width: 600,
        pad_height: 200,
        path: format!("M10 20 {}", "L30.5 40.1 ".repeat(2000)),
        signed_at: 1_899_000_000,
    };
    let (con, stored) = s.add_signed_consent(a, c, &n, &sig, alice).unwrap();
    assert_eq!(
        (stored.consent_id, stored.witness_id, stored.path.as_str()),
        (con.id, alice, sig.path.as_str())
    );
    assert!(stored.witness_name.contains("alice"));
    assert_eq!(
        s.signed_consent(a, con.id).unwrap(),
        (con.clone(), Some(stored))
    );
    assert_eq!(s.consents(a, c).unwrap(), vec![con.clone()]);
    assert!(matches!(
        s.signed_consent(b, con.id),
        Err(StoreError::NotFound(_))
    ));
    // A signature the database refuses (a hash that is not one) takes its consent with it.
    let bad = NewSignature {
        text_sha256: "short".into(),
        ..sig.clone()
    };
    assert!(s.add_signed_consent(a, c, &n, &bad, alice).is_err());
    assert_eq!(
        s.consents(a, c).unwrap().len(),
        1,
        "no consent without its signature"
    );
    // A consent recorded the old way has no signature.
    let n = NewConsent {
        signed_at: "2030-03-10T09:30:00Z".into(),
        ..n
    };
    let plain = s.add_consent(a, c, &n, alice).unwrap();
    assert_eq!(s.signed_consent(a, plain.id).unwrap().1, None);
}

fn clearance_letters(s: &dyn Store, a: ClinicId, alice: UserId, b: ClinicId) {
    let c = client(s, a, "CLR-1", alice);
    let n = NewConsultation {
        held_on: "2030-03-01".into(),
        outcome: "physician-clearance".into(),
        intake_json: "{\"clearance\":{}}".into(),
        screening_json: "{}".into(),
    };
    let pdf: Vec<u8> = b"%PDF-1.7\n"
        .iter()
        .copied()
        .chain((0..=255u8).cycle().take(50_000))
        .collect();
    let letter = NewClearanceLetter {
        content_type: "application/pdf".into(),
        filename: "Dr Shah – clearance.pdf".into(),
        bytes: pdf.clone(),
    };
    let (con, l) = s.record_clearance(a, c, &n, &letter, alice).unwrap();
    assert_eq!(
        (l.consultation_id, l.size, l.sha256.clone()),
        (con.id, pdf.len() as i64, sha256_hex(&pdf))
    );
    assert_eq!(s.consultations(a, c).unwrap()[0], con);
    assert_eq!(s.clearance_letters(a, c).unwrap(), vec![l.clone()]);
    assert_eq!(s.clearance_letter(a, l.id).unwrap(), (l.clone(), pdf));
    assert!(matches!(
        s.clearance_letter(b, l.id),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.clearance_letters(b, c),
        Err(StoreError::NotFound(_))
    ));
    let outsider = s
        .list_clients(
            b,
            &ClientQuery {
                search: None,
                limit: 1,
                offset: 0,
            },
        )
        .unwrap()
        .items[0]
        .id;
    let before = s.consultations(b, outsider).unwrap().len();
    assert!(matches!(
        s.record_clearance(a, outsider, &n, &letter, alice),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(s.consultations(b, outsider).unwrap().len(), before);
}
