//! Part of the store suite ([`crate::conformance`]), run on both backends: a record sent twice — a double click,
//! a request retried after a lost answer, the same form sent from two nodes — is stored once. Outside probe s29
//! sent five identical consents, consultations, designs and photos at once and found five of each on the
//! client's record. Each write looks for the same record inside its own transaction, and write transactions run
//! one at a time on both backends, so two requests on any nodes store one record between them.

use crate::*;

/// Adds each kind of record twice for a new client of `clinic`: the second is the first, and nothing more is
/// listed or audited; a record that differs in one field is a new one.
pub fn run(s: &dyn Store, clinic: ClinicId, by: UserId) {
    let client = s
        .create_client(
            clinic,
            &ClientFields {
                reference: "REP-1".into(),
                name: "Repeat Sender".into(),
                date_of_birth: None,
                email: None,
                phone: None,
            },
            by,
        )
        .unwrap()
        .id;
    let audited = |s: &dyn Store| s.audit(clinic, 1, 0).unwrap()[0].id;

    let con = NewConsultation {
        held_on: "2026-12-04".into(),
        outcome: "go".into(),
        intake_json: "{\"a\":1}".into(),
        screening_json: "{}".into(),
    };
    let first = s.add_consultation(clinic, client, &con, by).unwrap();
    let last = audited(s);
    assert_eq!(s.add_consultation(clinic, client, &con, by).unwrap(), first);
    assert_eq!(audited(s), last, "a repeated consultation is not audited");
    let other = NewConsultation {
        held_on: "2026-12-05".into(),
        ..con
    };
    assert_ne!(
        s.add_consultation(clinic, client, &other, by).unwrap().id,
        first.id
    );
    assert_eq!(s.consultations(clinic, client).unwrap().len(), 2);

    let consent = NewConsent {
        text_id: "smp-treatment".into(),
        text_version: 2,
        signed_at: "2026-12-04T09:00:00Z".into(),
        signed_json: "{}".into(),
    };
    let first = s.add_consent(clinic, client, &consent, by).unwrap();
    assert_eq!(s.add_consent(clinic, client, &consent, by).unwrap(), first);
    let later = NewConsent {
        signed_at: "2026-12-04T09:05:00Z".into(),
        ..consent
    };
    assert_ne!(
        s.add_consent(clinic, client, &later, by).unwrap().id,
        first.id
    );
    assert_eq!(s.consents(clinic, client).unwrap().len(), 2);

    let design = NewDesign {
        label: "conservative".into(),
        case_toml: "pattern = \"norwood-4\"".into(),
        previous_id: None,
    };
    let first = s.add_design(clinic, client, &design, by).unwrap();
    assert_eq!(s.add_design(clinic, client, &design, by).unwrap(), first);
    let version = NewDesign {
        previous_id: Some(first.id),
        ..design.clone()
    };
    let second = s.add_design(clinic, client, &version, by).unwrap();
    assert_ne!(
        second.id, first.id,
        "a new version of the same text is kept"
    );
    assert_eq!(s.add_design(clinic, client, &version, by).unwrap(), second);
    assert_eq!(s.designs(clinic, client).unwrap().len(), 2);

    let photo = NewPhoto {
        sha256: sha256_hex(b"the same picture"),
        content_type: "image/png".into(),
        bytes: 16,
        width: 4,
        height: 4,
        caption: Some("front".into()),
        view: "front".into(),
    };
    let first = s.add_photo(clinic, client, &photo, by).unwrap();
    let last = audited(s);
    let again = NewPhoto {
        caption: Some("sent again".into()),
        view: "top".into(),
        ..photo.clone()
    };
    assert_eq!(s.add_photo(clinic, client, &again, by).unwrap(), first);
    assert_eq!(audited(s), last, "a repeated photo is not audited");
    // An upload whose bytes the database keeps stores them with the row, in one transaction: nothing (another
    // node deleting the last photo that showed the same picture) can drop them in between. Whether the picture
    // was on the record already is told in that transaction too.
    let picture = b"a picture sent with its row".to_vec();
    let with_bytes = NewPhoto {
        sha256: sha256_hex(&picture),
        ..photo.clone()
    };
    assert_eq!(s.photo_blob(&with_bytes.sha256).unwrap(), None);
    let (stored, existed) = s
        .add_photo_stored(clinic, client, &with_bytes, Some(&picture), by)
        .unwrap();
    assert!(!existed);
    assert_eq!(
        s.photo_blob(&with_bytes.sha256).unwrap().as_deref(),
        Some(&picture[..])
    );
    assert_eq!(
        s.add_photo_stored(clinic, client, &with_bytes, Some(&picture), by)
            .unwrap(),
        (stored.clone(), true)
    );
    assert_eq!(
        s.add_photo_stored(clinic, client, &photo, None, by)
            .unwrap(),
        (first.clone(), true)
    );
    let e = s
        .add_photo_stored(clinic, client, &with_bytes, Some(b"other bytes"), by)
        .unwrap_err();
    assert!(e.to_string().contains("not the picture"), "{e}");
    let other = NewPhoto {
        sha256: sha256_hex(b"another picture"),
        ..photo
    };
    assert_ne!(
        s.add_photo(clinic, client, &other, by).unwrap().id,
        first.id
    );
    assert_eq!(s.photos(clinic, client).unwrap().len(), 3);
}
