//! Part of the store suite ([`crate::conformance`]), run on both backends: a photo turned upright by the
//! practitioner (outside probe s36: a photo stored on its side could only be deleted and uploaded again). The
//! photo keeps its id, view, caption and place on the record; its picture, size and landmarks change in one
//! audited transaction; the bytes no photo shows any more go with it; a turn raced by another is refused.

use crate::*;

/// Turns a photo of a new client of `clinic` and checks what is kept, what changes and what is refused.
pub fn run(s: &dyn Store, clinic: ClinicId, by: UserId) {
    let new_client = |reference: &str, name: &str| {
        s.create_client(clinic, &crate::conformance::fields(reference, name), by)
            .unwrap()
            .id
    };
    let client = new_client("TURN-1", "Sideways Photo");
    let sideways = s.put_photo_blob(b"a photo stored on its side").unwrap();
    let photo = s
        .add_photo(
            clinic,
            client,
            &NewPhoto {
                sha256: sideways.clone(),
                content_type: "image/jpeg".into(),
                bytes: 26,
                width: 400,
                height: 300,
                caption: Some("front, on its side".into()),
                view: "front".into(),
            },
            by,
        )
        .unwrap();
    s.mark_photo(
        clinic,
        photo.id,
        "{\"glabella\":[10.0,20.0]}",
        &["glabella".to_string()],
        by,
    )
    .unwrap();
    let upright = s.put_photo_blob(b"the same photo, upright").unwrap();
    let turn = TurnedPhoto {
        from_sha256: sideways.clone(),
        sha256: upright.clone(),
        content_type: "image/jpeg".into(),
        bytes: 23,
        width: 300,
        height: 400,
        degrees: 270,
        blob: None,
    };
    let marks_seen = std::cell::RefCell::new(Vec::new());
    let turn_marks = |json: &str| {
        marks_seen.borrow_mut().push(json.to_string());
        Ok("{\"glabella\":[20.0,390.0]}".to_string())
    };
    let (turned, gone) = s
        .turn_photo(clinic, photo.id, &turn, &turn_marks, by)
        .unwrap();
    assert_eq!(
        marks_seen.borrow().as_slice(),
        ["{\"glabella\":[10.0,20.0]}"]
    );
    assert_eq!(
        (turned.id, turned.view.as_str(), turned.caption.as_deref()),
        (photo.id, "front", Some("front, on its side")),
        "the photo keeps its id, view and caption"
    );
    assert_eq!(
        (
            turned.sha256.as_str(),
            turned.width,
            turned.height,
            turned.bytes
        ),
        (upright.as_str(), 300, 400, 23)
    );
    assert_eq!(s.photo(clinic, photo.id).unwrap(), turned);
    assert_eq!(s.photos(clinic, client).unwrap(), vec![turned.clone()]);
    let marks = s.photo_landmarks(clinic, photo.id).unwrap().unwrap();
    assert_eq!(marks.landmarks_json, "{\"glabella\":[20.0,390.0]}");
    assert_eq!(
        marks.proposed,
        ["glabella"],
        "a proposed mark stays proposed"
    );
    // Marks placed on the picture before the turn (a window opened before it) are refused, nothing written.
    match s.mark_photo_seen(
        clinic,
        photo.id,
        "{\"glabella\":[1.0,2.0]}",
        &[],
        MarksSeen {
            sha256: Some(&sideways),
            ..MarksSeen::default()
        },
        by,
    ) {
        Err(StoreError::Conflict(m)) => assert!(m.contains("they were not saved"), "{m}"),
        other => panic!("marks of the old picture: {other:?}"),
    }
    assert_eq!(s.photo_landmarks(clinic, photo.id).unwrap().unwrap(), marks);
    assert_eq!(
        gone,
        vec![sideways.clone()],
        "the sideways bytes are shown by no photo"
    );
    assert_eq!(s.photo_blob(&sideways).unwrap(), None);
    let audit = &s.audit(clinic, 1, 0).unwrap()[0];
    assert_eq!(
        (
            audit.action.as_str(),
            audit.entity.as_str(),
            audit.entity_id
        ),
        ("update", "photo", Some(photo.id.0))
    );
    assert!(
        audit.detail.starts_with("turned 270° clockwise"),
        "{}",
        audit.detail
    );
    // The same turn sent twice (a double click) is the photo as turned; nothing more is written.
    let again = s
        .turn_photo(clinic, photo.id, &turn, &turn_marks, by)
        .unwrap();
    assert_eq!(again, (turned.clone(), Vec::new()));
    assert_eq!(marks_seen.borrow().len(), 1);
    assert_eq!(s.audit(clinic, 1, 0).unwrap()[0].id, audit.id);
    // A turn of the picture as it was before (another window) is refused, nothing written.
    let stale = TurnedPhoto {
        sha256: s.put_photo_blob(b"turned from the old picture").unwrap(),
        ..turn.clone()
    };
    match s.turn_photo(clinic, photo.id, &stale, &turn_marks, by) {
        Err(StoreError::Conflict(m)) => {
            assert!(m.contains("turned or replaced in another window"), "{m}")
        }
        other => panic!("a stale turn: {other:?}"),
    }
    assert_eq!(s.photo(clinic, photo.id).unwrap(), turned);
    // Marks placed on the picture it shows are kept.
    s.mark_photo_seen(
        clinic,
        photo.id,
        &marks.landmarks_json,
        &marks.proposed,
        MarksSeen {
            sha256: Some(&upright),
            ..MarksSeen::default()
        },
        by,
    )
    .unwrap();
    // A photo without marks turns without calling the marks' turn; bytes another photo still shows are kept.
    let shared = s.put_photo_blob(b"a picture on two records").unwrap();
    let new = NewPhoto {
        sha256: shared.clone(),
        content_type: "image/png".into(),
        bytes: 24,
        width: 300,
        height: 300,
        caption: None,
        view: "top".into(),
    };
    let other = new_client("TURN-2", "Second Record");
    let a = s.add_photo(clinic, client, &new, by).unwrap();
    s.add_photo(clinic, other, &new, by).unwrap();
    let half = TurnedPhoto {
        from_sha256: shared.clone(),
        sha256: s.put_photo_blob(b"a picture turned 180").unwrap(),
        content_type: "image/png".into(),
        bytes: 20,
        width: 300,
        height: 300,
        degrees: 180,
        blob: None,
    };
    let (b, gone) = s.turn_photo(clinic, a.id, &half, &turn_marks, by).unwrap();
    assert_eq!(marks_seen.borrow().len(), 1, "no marks, nothing to turn");
    assert!(gone.is_empty(), "the other record still shows the picture");
    assert!(s.photo_blob(&shared).unwrap().is_some());
    assert_eq!(s.photo_landmarks(clinic, b.id).unwrap(), None);
    assert!(s.photo_bytes_in_use(&shared).unwrap() && !s.photo_bytes_in_use(&sideways).unwrap());
    // The turned bytes stored in the turn's own transaction (photos kept in the database): nothing can drop them
    // between their storing and the row taking them.
    let quarter = b"the shared picture, a quarter turn on".to_vec();
    let with_bytes = TurnedPhoto {
        from_sha256: b.sha256.clone(),
        sha256: sha256_hex(&quarter),
        degrees: 90,
        blob: Some(quarter.clone()),
        ..half.clone()
    };
    let (c, gone) = s
        .turn_photo(clinic, b.id, &with_bytes, &turn_marks, by)
        .unwrap();
    assert_eq!(c.sha256, with_bytes.sha256);
    assert_eq!(s.photo_blob(&c.sha256).unwrap(), Some(quarter));
    assert_eq!(
        gone,
        vec![half.sha256.clone()],
        "the half-turned picture is shown by no photo now"
    );
    // Not this clinic's photo, or none at all.
    assert!(matches!(
        s.turn_photo(clinic, PhotoId(999_999), &half, &turn_marks, by),
        Err(StoreError::NotFound(_))
    ));
}
