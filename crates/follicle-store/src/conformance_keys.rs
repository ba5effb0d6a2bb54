//! Part of the store suite ([`crate::conformance`]), run on both backends: the devices that logged in to an account
//! (schema 20: recognised only for their own account, refreshed, bounded per account, forgotten when unused, on a
//! password change or reset and when the account is disabled) and client references compared as a receptionist
//! reads them (schema 21: `AB-12` and `ab-12` are one reference in a clinic, refused in words, free in another
//! clinic, freed by an erasure), and client search as a receptionist types (schema 22: accents and capitals
//! aside).

use crate::devices::MAX_DEVICES_PER_USER;
use crate::*;

fn fields(reference: &str, name: &str) -> ClientFields {
    ClientFields {
        reference: reference.into(),
        name: name.into(),
        date_of_birth: None,
        email: None,
        phone: None,
    }
}

/// Runs both parts: `clinic` with its owner `by`, `other` a second clinic with its user `other_by`.
pub fn run(s: &dyn Store, clinic: ClinicId, by: UserId, other: ClinicId, other_by: UserId) {
    devices(s, clinic, by, other_by);
    references(s, clinic, by, other, other_by);
    search(s, clinic, by, other);
}

/// Schema 22: a search finds a client as a receptionist types the name — without its accents, in other capitals,
/// in full-width letters — in the clinic only, and by the name it has now.
fn search(s: &dyn Store, clinic: ClinicId, by: UserId, other: ClinicId) {
    let found = |c: ClinicId, q: &str| -> Vec<String> {
        s.list_clients(
            c,
            &ClientQuery {
                search: Some(q.into()),
                limit: 10,
                offset: 0,
            },
        )
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.fields.name)
        .collect()
    };
    let id = s
        .create_client(clinic, &fields("PL-7", "Łukasz Żółkiewski"), by)
        .unwrap()
        .id;
    for q in ["Lukasz", "zolk", "ŻÓŁK", "ＬＵＫＡＳＺ", "łukasz", "pl-7"] {
        assert_eq!(found(clinic, q), ["Łukasz Żółkiewski"], "{q}");
    }
    assert!(found(other, "Lukasz").is_empty(), "another clinic's client");
    assert!(
        found(clinic, "Lukas%").is_empty(),
        "`%` is a letter to the search"
    );
    let mut renamed = s.client(clinic, id).unwrap().fields;
    renamed.name = "Søren Straße".into();
    s.amend_record(
        clinic,
        &Amendment::Client(id, renamed),
        "The client changed their name.",
        by,
    )
    .unwrap();
    assert!(found(clinic, "zolk").is_empty(), "the old name is gone");
    assert_eq!(found(clinic, "strasse"), ["Søren Straße"]);
}

fn devices(s: &dyn Store, clinic: ClinicId, by: UserId, other_by: UserId) {
    let now = now_unix();
    let (d1, d2) = (sha256_hex(b"device one"), sha256_hex(b"device two"));
    assert_eq!(s.device_user(&d1, now - 10).unwrap(), None, "unknown");
    s.remember_device(by, &d1, now, now - 100).unwrap();
    assert_eq!(s.device_user(&d1, now - 10).unwrap(), Some(by));
    // Another account's login never takes a device token over.
    s.remember_device(other_by, &d1, now + 1, now - 100)
        .unwrap();
    assert_eq!(s.device_user(&d1, now - 10).unwrap(), Some(by));
    // Unused since `since`: not recognised, and forgotten by the next login of anyone.
    assert_eq!(
        s.device_user(&d1, now + 5).unwrap(),
        None,
        "unused too long"
    );
    s.remember_device(other_by, &d2, now + 10, now + 5).unwrap();
    assert_eq!(s.device_user(&d1, now - 10).unwrap(), None, "forgotten");
    assert_eq!(s.device_rows().unwrap(), 1);
    // At most MAX_DEVICES_PER_USER per account, the longest unused forgotten first.
    for i in 0..MAX_DEVICES_PER_USER + 3 {
        let d = sha256_hex(format!("tablet {i}").as_bytes());
        s.remember_device(by, &d, now + 20 + i, now).unwrap();
    }
    assert_eq!(s.device_rows().unwrap(), MAX_DEVICES_PER_USER + 1);
    assert_eq!(
        s.device_user(&sha256_hex(b"tablet 0"), now).unwrap(),
        None,
        "the oldest went"
    );
    let newest = sha256_hex(format!("tablet {}", MAX_DEVICES_PER_USER + 2).as_bytes());
    assert_eq!(s.device_user(&newest, now).unwrap(), Some(by));
    // A password change forgets the account's devices, not another account's.
    s.set_password(clinic, by, "$argon2id$changed", None, by)
        .unwrap();
    assert_eq!(s.device_user(&newest, now).unwrap(), None);
    assert_eq!(s.device_user(&d2, now).unwrap(), Some(other_by));
    assert_eq!(s.device_rows().unwrap(), 1);
}

fn references(s: &dyn Store, clinic: ClinicId, by: UserId, other: ClinicId, other_by: UserId) {
    let first = s
        .create_client(clinic, &fields("AB-12", "First Client"), by)
        .unwrap();
    for (reference, what) in [
        ("ab-12", "lower case"),
        ("Ab-12", "mixed case"),
        (" AB-12 ", "spaces at the ends"),
    ] {
        match s.create_client(clinic, &fields(reference, "Second Client"), by) {
            Err(StoreError::Conflict(m)) => assert!(
                m.contains(&format!("the reference `{reference}`"))
                    && m.contains("capital letters")
                    && !m.contains("reference_key")
                    && !m.contains("UNIQUE")
                    && !m.contains("constraint"),
                "{what}: {m}"
            ),
            other => panic!("{what}: {other:?}"),
        }
    }
    // The exact same reference is refused in the same words.
    match s.create_client(clinic, &fields("AB-12", "Second Client"), by) {
        Err(StoreError::Conflict(m)) => assert!(m.contains("capital letters"), "{m}"),
        other => panic!("{other:?}"),
    }
    // Another clinic may use it.
    s.create_client(other, &fields("ab-12", "Other Clinic's Client"), other_by)
        .unwrap();
    // Renaming another client to it, directly or as a correction with a reason, is refused; its own reference in
    // other capitals is fine.
    let second = s
        .create_client(clinic, &fields("CD-34", "Second Client"), by)
        .unwrap();
    // (A reference changes only with a reason: without one the edit is refused before the key is looked at.)
    match s.update_client(clinic, second.id, &fields("aB-12", "Second Client"), by) {
        Err(StoreError::Conflict(m)) => assert!(m.contains("written reason"), "{m}"),
        other => panic!("update: {other:?}"),
    }
    match s.amend_record(
        clinic,
        &Amendment::Client(second.id, fields("AB-12 ", "Second Client")),
        "typo in the reference",
        by,
    ) {
        Err(StoreError::Conflict(m)) => assert!(m.contains("capital letters"), "{m}"),
        other => panic!("amend: {other:?}"),
    }
    s.amend_record(
        clinic,
        &Amendment::Client(first.id, fields("ab-12", "First Client")),
        "written in lower case",
        by,
    )
    .unwrap();
    assert_eq!(
        s.client(clinic, first.id).unwrap().fields.reference,
        "ab-12"
    );
    assert_eq!(
        s.client(clinic, second.id).unwrap().fields.reference,
        "CD-34"
    );
    // An erased client's reference is free again (no key of it stays).
    let gone = s
        .create_client(clinic, &fields("EF-56", "Gone Client"), by)
        .unwrap();
    s.erase_client(
        clinic,
        gone.id,
        "2026-01-01",
        "asked to be forgotten",
        Some(by),
    )
    .unwrap();
    s.create_client(clinic, &fields("ef-56", "New Client"), by)
        .unwrap();
}
