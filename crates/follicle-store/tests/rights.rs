//! Records management and client rights (follicle_store::rights) on both backends: edits and deletions with a
//! reason and their audit rows, records that must stay, the export of everything about a client, and erasure
//! on request (pseudonymised within the retention period, deleted after it), all-or-nothing and concurrent.

use follicle_store::testing::owner;
use follicle_store::*;
use std::sync::Arc;

const NAME: &str = "Łukasz Żółkiewski";
const EMAIL: &str = "lukasz@example.org";
const PHONE: &str = "+48 600 100 200";
const DOB: &str = "1984-07-09";

struct Seeded {
    clinic: ClinicId,
    other: ClinicId,
    by: UserId,
    client: ClientId,
    consultation: ConsultationId,
    photo: PhotoId,
    used_lot: LotId,
    spare_lot: LotId,
    pigment: PigmentId,
}

fn seed(s: &dyn Store) -> Seeded {
    let (a, alice) = s
        .create_clinic_with_owner("Clinic A", &owner("alice"))
        .unwrap();
    let (b, _) = s
        .create_clinic_with_owner("Clinic B", &owner("bob"))
        .unwrap();
    let f = ClientFields {
        reference: "LZ-1".into(),
        name: NAME.into(),
        date_of_birth: Some(DOB.into()),
        email: Some(EMAIL.into()),
        phone: Some(PHONE.into()),
    };
    let client = s.create_client(a.id, &f, alice.id).unwrap();
    let intake = serde_json::json!({ "client": { "id": "LZ-1", "name": NAME, "date_of_birth": DOB, "email": EMAIL, "phone": PHONE }, "notes": format!("{NAME} asked about scars") });
    let consultation = s
        .add_consultation(
            a.id,
            client.id,
            &NewConsultation {
                held_on: "2025-03-01".into(),
                outcome: "go".into(),
                intake_json: intake.to_string(),
                screening_json: r#"{"outcome":"go","findings":[]}"#.into(),
            },
            alice.id,
        )
        .unwrap();
    let pigment = s
        .add_pigment(a.id, "nocturne", r#"{"id":"nocturne"}"#, alice.id)
        .unwrap();
    let lot = |n: &str| NewLot {
        pigment: "nocturne".into(),
        number: n.into(),
        expiry: "2030-01-01".into(),
        received: None,
    };
    let used_lot = s.add_lot(a.id, &lot("NC1-2409"), alice.id).unwrap();
    let spare_lot = s.add_lot(a.id, &lot("NC1-9999"), alice.id).unwrap();
    s.add_session(
        a.id,
        client.id,
        &NewSession {
            index: 1,
            held_on: "2025-03-10".into(),
            record_json:
                r#"{"index":1,"date":"2025-03-10","lot":"NC1-2409","practitioner":"Alice"}"#.into(),
        },
        alice.id,
    )
    .unwrap();
    s.add_consent(
        a.id,
        client.id,
        &NewConsent {
            text_id: "smp-treatment".into(),
            text_version: 2,
            signed_at: "2025-03-10T08:55:00Z".into(),
            signed_json: serde_json::json!({ "client": "LZ-1", "signer": NAME }).to_string(),
        },
        alice.id,
    )
    .unwrap();
    s.add_design(
        a.id,
        client.id,
        &NewDesign {
            label: "first".into(),
            case_toml: format!("[client]\nname = \"{NAME}\"\n"),
            previous_id: None,
        },
        alice.id,
    )
    .unwrap();
    let sha = s.put_photo_blob(b"photo bytes of the client").unwrap();
    let photo = s
        .add_photo(
            a.id,
            client.id,
            &NewPhoto {
                sha256: sha,
                content_type: "image/png".into(),
                bytes: 25,
                width: 1,
                height: 1,
                caption: Some("front".into()),
                view: "front".into(),
            },
            alice.id,
        )
        .unwrap();
    s.set_photo_landmarks(a.id, photo.id, r#"{"glabella":[1,1]}"#, alice.id)
        .unwrap();
    Seeded {
        clinic: a.id,
        other: b.id,
        by: alice.id,
        client: client.id,
        consultation: consultation.id,
        photo: photo.id,
        used_lot: used_lot.id,
        spare_lot: spare_lot.id,
        pigment: pigment.id,
    }
}

fn conflict(r: Result<impl std::fmt::Debug, StoreError>) -> String {
    match r {
        Err(StoreError::Conflict(m)) => m,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

fn last_audit(s: &dyn Store, clinic: ClinicId) -> AuditEntry {
    s.audit(clinic, 1, 0).unwrap().remove(0)
}

fn suite(s: &dyn Store) {
    let d = seed(s);
    let (a, by) = (d.clinic, d.by);

    // Settings: defaults, changes, bounds, logo.
    let st = s.clinic_settings(a).unwrap();
    assert_eq!(
        (st.name.as_str(), st.retention_years, st.has_logo),
        ("Clinic A", 10, false)
    );
    let bad = ClinicSettingsUpdate {
        retention_years: Some(0),
        ..Default::default()
    };
    conflict(s.set_clinic_settings(a, &bad, by));
    // Another clinic's name (in other capitals) is refused, as when a clinic is added (outside probe s29).
    let taken = ClinicSettingsUpdate {
        name: Some(format!(
            " {} ",
            s.clinic(d.other).unwrap().name.to_uppercase()
        )),
        ..Default::default()
    };
    let m = conflict(s.set_clinic_settings(a, &taken, by));
    assert!(m.contains("already uses this database"), "{m}");
    assert_eq!(s.clinic(a).unwrap().name, "Clinic A");
    let st = s
        .set_clinic_settings(
            a,
            &ClinicSettingsUpdate {
                address: Some("1 High Street\nLeeds".into()),
                retention_years: Some(8),
                name: Some("Clinic A Leeds".into()),
                ..Default::default()
            },
            by,
        )
        .unwrap();
    assert_eq!(
        (st.address.as_str(), st.retention_years),
        ("1 High Street\nLeeds", 8)
    );
    assert_eq!(s.clinic(a).unwrap().name, "Clinic A Leeds");
    assert_eq!(s.clinic_settings(d.other).unwrap().retention_years, 10);
    s.set_clinic_logo(a, Some(("image/png", b"logo")), by)
        .unwrap();
    assert_eq!(
        s.clinic_logo(a).unwrap(),
        Some(("image/png".into(), b"logo".to_vec()))
    );
    assert_eq!(s.clinic_logo(d.other).unwrap(), None);
    conflict(s.set_clinic_logo(
        a,
        Some(("image/png", &vec![0u8; rights::LOGO_LIMIT + 1])),
        by,
    ));
    s.set_clinic_logo(a, None, by).unwrap();
    assert_eq!(s.clinic_logo(a).unwrap(), None);

    // Edits need a reason, keep the previous version and leave an audit row.
    let mut f = s.client(a, d.client).unwrap().fields;
    f.phone = Some("+48 600 999 999".into());
    let m = conflict(s.amend_record(a, &Amendment::Client(d.client, f.clone()), "  ", by));
    assert!(m.contains("reason"), "{m}");
    conflict(s.amend_record(
        a,
        &Amendment::Client(d.client, f.clone()),
        &"x".repeat(5000),
        by,
    ));
    conflict(s.amend_record(a, &Amendment::Client(d.client, f.clone()), "why\u{0}", by));
    s.amend_record(
        a,
        &Amendment::Client(d.client, f.clone()),
        "new phone number",
        by,
    )
    .unwrap();
    assert_eq!(
        s.client(a, d.client).unwrap().fields.phone.as_deref(),
        Some("+48 600 999 999")
    );
    let row = last_audit(s, a);
    assert_eq!(
        (row.action.as_str(), row.entity.as_str()),
        ("update", "client")
    );
    assert!(row.detail.contains("new phone number"));
    assert!(matches!(
        s.amend_record(d.other, &Amendment::Client(d.client, f.clone()), "x", by),
        Err(StoreError::NotFound(_))
    ));
    s.amend_record(
        a,
        &Amendment::Lot {
            id: d.used_lot,
            expiry: "2031-06-30".into(),
            received: Some("2025-01-02".into()),
        },
        "misread the label",
        by,
    )
    .unwrap();
    assert!(s
        .lots(a)
        .unwrap()
        .iter()
        .any(|l| l.lot.expiry == "2031-06-30"));
    s.amend_record(
        a,
        &Amendment::PhotoCaption(d.photo, Some("front, before".into())),
        "clearer caption",
        by,
    )
    .unwrap();
    assert_eq!(
        s.photo(a, d.photo).unwrap().caption.as_deref(),
        Some("front, before")
    );
    s.amend_record(
        a,
        &Amendment::Pigment(d.pigment, r#"{"id":"nocturne","name":"Nocturne"}"#.into()),
        "name added",
        by,
    )
    .unwrap();

    // Records that must stay say why, in plain words; nothing changes.
    let m = conflict(s.delete_record(a, RecordRef::Lot(d.used_lot), "cleanup", by));
    assert!(
        m.contains("NC1-2409") && m.contains("ink passport") && m.contains("2025-03-10"),
        "{m}"
    );
    let m = conflict(s.delete_record(a, RecordRef::Pigment(d.pigment), "cleanup", by));
    assert!(m.contains("2 lots"), "{m}");
    let m = conflict(s.delete_record(a, RecordRef::Client(d.client), "asked", by));
    assert!(m.contains("Erase on request"), "{m}");
    assert_eq!(s.lots(a).unwrap().len(), 2);
    s.delete_record(a, RecordRef::Lot(d.spare_lot), "never arrived", by)
        .unwrap();
    assert_eq!(s.lots(a).unwrap().len(), 1);
    assert!(matches!(
        s.delete_record(a, RecordRef::Lot(d.spare_lot), "again", by),
        Err(StoreError::NotFound(_))
    ));

    // A consultation is hidden, not lost.
    s.delete_record(
        a,
        RecordRef::Consultation(d.consultation),
        "entered for the wrong client",
        by,
    )
    .unwrap();
    assert!(s.consultations(a, d.client).unwrap().is_empty());
    assert!(matches!(
        s.consultation(a, d.consultation),
        Err(StoreError::NotFound(_))
    ));

    // The export has everything, deleted consultation and earlier versions included, and is audited.
    let e = s.export_client(a, d.client, Some(by), "studio").unwrap();
    assert_eq!(e.consultations.len(), 1);
    assert_eq!(
        e.consultations[0].deleted_reason.as_deref(),
        Some("entered for the wrong client")
    );
    assert_eq!(
        (
            e.sessions.len(),
            e.consents.len(),
            e.designs.len(),
            e.photos.len()
        ),
        (1, 1, 1, 1)
    );
    assert!(e.photos[0].landmarks_json.is_some());
    assert!(e
        .versions
        .iter()
        .any(|v| v.entity == "client" && v.previous_json.contains("600 100 200")));
    assert!(e
        .audit
        .iter()
        .any(|r| r.action == "create" && r.entity == "consultation"));
    assert_eq!(last_audit(s, a).action, "export");
    assert!(matches!(
        s.export_client(d.other, d.client, Some(by), "studio"),
        Err(StoreError::NotFound(_))
    ));

    // Erasure within the retention period: identity, contact and photos gone; treatment records kept.
    let m = conflict(s.erase_client(a, d.client, "2026-01-01", "", Some(by)));
    assert!(m.contains("reason"));
    assert!(matches!(
        s.erase_client(d.other, d.client, "2026-01-01", "asked", Some(by)),
        Err(StoreError::NotFound(_))
    ));
    let blobs = s.photo_blob_count().unwrap();
    let out = s
        .erase_client(
            a,
            d.client,
            "2026-01-01",
            "the client asked by e-mail",
            Some(by),
        )
        .unwrap();
    match &out {
        Erasure::Pseudonymised {
            pseudonym,
            retain_until,
            photos_removed,
            ..
        } => {
            assert_eq!(pseudonym, &format!("erased-{}", d.client));
            assert_eq!(retain_until, "2033-03-10", "8 years after the last session");
            assert_eq!(photos_removed.len(), 1);
        }
        other => panic!("expected pseudonymised, got {other:?}"),
    }
    assert_eq!(s.photo_blob_count().unwrap(), blobs - 1);
    let kept = s.client(a, d.client).unwrap();
    assert_eq!(kept.fields.name, format!("Erased client {}", d.client));
    assert_eq!(
        (
            kept.fields.email,
            kept.fields.phone,
            kept.fields.date_of_birth
        ),
        (None, None, None)
    );
    assert!(s.photos(a, d.client).unwrap().is_empty());
    assert_eq!(s.sessions(a, d.client).unwrap().len(), 1);
    let e = s.export_client(a, d.client, Some(by), "studio").unwrap();
    let all = serde_json::to_string(&serde_json::json!({
        "client": e.client, "consultations": e.consultations, "designs": e.designs, "plans": e.plans,
        "sessions": e.sessions, "consents": e.consents, "photos": e.photos, "versions": e.versions,
    }))
    .unwrap();
    for secret in [NAME, EMAIL, "600 100 200", "600 999 999", DOB, "\"LZ-1\""] {
        assert!(
            !all.contains(secret),
            "`{secret}` is still in the kept records: {all}"
        );
    }
    assert!(
        all.contains("1984-01-01"),
        "the year of birth stays in the intake"
    );
    assert!(
        all.contains("NC1-2409"),
        "the lot stays in the session record"
    );
    assert_eq!(e.retain_until.as_deref(), Some("2033-03-10"));
    let row = s
        .audit(a, 5, 0)
        .unwrap()
        .into_iter()
        .find(|r| r.action == "erase")
        .unwrap();
    assert!(
        row.detail.contains("2033-03-10") && row.detail.contains("asked by e-mail"),
        "{}",
        row.detail
    );
    let m = conflict(s.amend_record(
        a,
        &Amendment::Client(d.client, f.clone()),
        "fill in again",
        by,
    ));
    assert!(m.contains("erased"), "{m}");
    erased_takes_no_writes(s, a, d.client, &f, by);

    // After the retention period, erasing again deletes what was kept; the lot can then go too.
    let out = s
        .erase_client(a, d.client, "2033-03-10", "retention ended", None)
        .unwrap();
    assert!(matches!(out, Erasure::Deleted { .. }), "{out:?}");
    assert!(matches!(
        s.client(a, d.client),
        Err(StoreError::NotFound(_))
    ));
    s.delete_record(a, RecordRef::Lot(d.used_lot), "used up", by)
        .unwrap();
    s.delete_record(a, RecordRef::Pigment(d.pigment), "discontinued", by)
        .unwrap();
    assert!(s.pigments(a).unwrap().is_empty());

    // A client with no treatment records is deleted outright, by deletion or by erasure.
    for (i, erase) in [(1, false), (2, true)] {
        let c = s
            .create_client(
                a,
                &ClientFields {
                    reference: format!("new-{i}"),
                    name: "New".into(),
                    date_of_birth: None,
                    email: None,
                    phone: None,
                },
                by,
            )
            .unwrap();
        if erase {
            assert!(matches!(
                s.erase_client(a, c.id, "2026-01-01", "asked", Some(by))
                    .unwrap(),
                Erasure::Deleted { .. }
            ));
        } else {
            s.delete_record(a, RecordRef::Client(c.id), "duplicate", by)
                .unwrap();
        }
        assert!(matches!(s.client(a, c.id), Err(StoreError::NotFound(_))));
    }
}

/// Nothing new is written for an erased client: not their details through the ordinary form, nor a photo,
/// consent, signed consent, design, plan or session (probe s7 N11: each was taken, the erased name back).
fn erased_takes_no_writes(
    s: &dyn Store,
    a: ClinicId,
    client: ClientId,
    f: &ClientFields,
    by: UserId,
) {
    let refused = |what: &str, m: String| {
        assert!(m.contains("erased on request"), "{what}: {m}");
    };
    refused("details", conflict(s.update_client(a, client, f, by)));
    let sha = s.put_photo_blob(b"a new photo after the erasure").unwrap();
    let photo = NewPhoto {
        sha256: sha,
        content_type: "image/png".into(),
        bytes: 29,
        width: 1,
        height: 1,
        caption: None,
        view: "front".into(),
    };
    refused("photo", conflict(s.add_photo(a, client, &photo, by)));
    let consent = NewConsent {
        text_id: "smp-treatment".into(),
        text_version: 2,
        signed_at: "2026-01-02T10:00:00Z".into(),
        signed_json: serde_json::json!({ "signer": NAME }).to_string(),
    };
    refused("consent", conflict(s.add_consent(a, client, &consent, by)));
    let sig = NewSignature {
        text_sha256: "0".repeat(64),
        pad_width: 10,
        pad_height: 10,
        path: "M0 0L5 5".into(),
        signed_at: 1_767_348_000,
    };
    refused(
        "signed consent",
        conflict(s.add_signed_consent(a, client, &consent, &sig, by)),
    );
    let design = NewDesign {
        label: format!("{NAME} design"),
        case_toml: format!("[client]\nname = \"{NAME}\"\n"),
        previous_id: None,
    };
    refused("design", conflict(s.add_design(a, client, &design, by)));
    let plan = NewPlan {
        parent_id: None,
        label: "after".into(),
        case_toml: None,
        seed: 1,
        sessions: 3,
        impressions: 1,
        plan_json: "{}".into(),
    };
    refused("plan", conflict(s.add_plan(a, client, &plan, by)));
    let session = NewSession {
        index: 2,
        held_on: "2026-01-03".into(),
        record_json: r#"{"index":2,"lot":"NC1-2409"}"#.into(),
    };
    refused("session", conflict(s.add_session(a, client, &session, by)));
    let all =
        serde_json::to_string(&s.export_client(a, client, Some(by), "check").unwrap()).unwrap();
    assert!(!all.contains(NAME), "the erased name came back");
}

/// Several erasures of one client at once: each succeeds or finds the client gone; the end state is whole.
fn concurrent(s: Arc<dyn Store>) {
    let (a, o) = s
        .create_clinic_with_owner("Clinic C", &owner("carol"))
        .unwrap();
    let c = s
        .create_client(
            a.id,
            &ClientFields {
                reference: "cc".into(),
                name: "Concurrent Client".into(),
                date_of_birth: None,
                email: Some("cc@example.org".into()),
                phone: None,
            },
            o.id,
        )
        .unwrap();
    s.add_session(
        a.id,
        c.id,
        &NewSession {
            index: 1,
            held_on: "2025-05-01".into(),
            record_json: r#"{"note":"Concurrent Client"}"#.into(),
        },
        o.id,
    )
    .unwrap();
    let handles: Vec<_> = (0..6)
        .map(|_| {
            let s = s.clone();
            std::thread::spawn(move || {
                s.erase_client(a.id, c.id, "2026-01-01", "asked", Some(o.id))
            })
        })
        .collect();
    for h in handles {
        let r = h.join().unwrap();
        assert!(matches!(r, Ok(Erasure::Pseudonymised { .. })), "{r:?}");
    }
    let kept = s.sessions(a.id, c.id).unwrap();
    assert_eq!(kept.len(), 1);
    assert!(!kept[0].record_json.contains("Concurrent Client"));
    assert_eq!(
        s.audit(a.id, 100, 0)
            .unwrap()
            .iter()
            .filter(|r| r.action == "erase")
            .count(),
        6
    );
}

fn both(s: Arc<dyn Store>) {
    suite(&*s);
    concurrent(s);
}

#[test]
fn sqlite_rights() {
    let dir = tempfile::tempdir().unwrap();
    testing::on_sqlite(dir.path(), both);
}

#[test]
fn postgres_rights() {
    testing::on_postgres("rights", both);
}

/// Erasure is one transaction: when any step fails, nothing of it stays (SQLite; a trigger makes the last
/// step, the client row's update, fail after photos and records were already rewritten in the transaction).
#[test]
fn sqlite_erasure_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let s = sqlite::open(&path).unwrap();
    let d = seed(&s);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TRIGGER refuse_pseudonym BEFORE UPDATE OF name ON clients WHEN NEW.name LIKE 'Erased%' BEGIN SELECT RAISE(ABORT, 'disk full'); END;")
        .unwrap();
    let before = s.export_client(d.clinic, d.client, None, "test").unwrap();
    assert!(s
        .erase_client(d.clinic, d.client, "2026-01-01", "asked", Some(d.by))
        .is_err());
    let after = s.export_client(d.clinic, d.client, None, "test").unwrap();
    assert_eq!(after.client, before.client);
    assert_eq!(after.photos, before.photos, "the photo rows are back");
    assert_eq!(after.consultations, before.consultations);
    assert_eq!(after.sessions, before.sessions);
    assert!(!after.audit.iter().any(|r| r.action == "erase"));
    assert_eq!(s.photo_blob_count().unwrap(), 1);
}

/// Migrations are known by their own number: a database migrated to 8 before 6 and 7 existed still gets them.
#[test]
fn sqlite_migrations_with_gaps_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    drop(sqlite::open(&path).unwrap());
    let c = rusqlite::Connection::open(&path).unwrap();
    let versions: Vec<i64> = c
        .prepare("SELECT version FROM schema_migrations ORDER BY version")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let expected: Vec<i64> = sqlite::MIGRATIONS.iter().map(|m| i64::from(m.0)).collect();
    assert_eq!(versions, expected);
    // A migration missing from the middle (as when a branch's 6 arrives after 8) is applied on the next open.
    c.execute("DELETE FROM schema_migrations WHERE version = 5", [])
        .unwrap();
    c.execute_batch("DROP INDEX password_resets_user; DROP TABLE password_resets; ALTER TABLE users DROP COLUMN disabled_at;")
        .unwrap();
    drop(c);
    let s = sqlite::open(&path).unwrap();
    assert_eq!(
        s.schema_version().unwrap(),
        sqlite::MIGRATIONS.last().unwrap().0
    );
    let (a, _) = s.create_clinic_with_owner("X", &owner("xavier")).unwrap();
    assert!(s.users(a.id).unwrap()[0].active);
}
