//! The store test suite every backend must pass, run by this crate's tests against SQLite always and against
//! PostgreSQL when `FOLLICLE_TEST_POSTGRES_URL` is set. Each check panics with a message on failure.

use crate::*;

fn owner(name: &str) -> NewUser {
    NewUser {
        username: name.into(),
        display_name: format!("{name} (owner)"),
        role: Role::Owner,
        password_hash: "$argon2id$test".into(),
    }
}

/// A client's fields for the suites (this one and its parts).
pub(crate) fn fields(reference: &str, name: &str) -> ClientFields {
    ClientFields {
        reference: reference.into(),
        name: name.into(),
        date_of_birth: Some("1988-04-12".into()),
        email: Some(format!("{reference}@example.org")),
        phone: None,
    }
}

/// Runs every check on an empty, migrated store.
pub fn run_all(s: &dyn Store) {
    let newest = if s.backend() == "sqlite" {
        crate::sqlite::MIGRATIONS
    } else {
        crate::postgres::MIGRATIONS
    }
    .last()
    .map(|m| m.0);
    assert_eq!(
        Some(s.schema_version().unwrap()),
        newest,
        "migrated to the newest version"
    );
    assert_eq!(s.count_users().unwrap(), 0, "an empty store has no users");
    let (a, alice) = set_up(s);
    assert_eq!(s.count_users().unwrap(), 1);
    let (b, bob) = s
        .create_clinic_with_owner("Clinic B", &owner("bob"))
        .unwrap();
    assert_eq!(s.count_users().unwrap(), 2);
    assert!(
        matches!(
            s.create_clinic_with_owner("Clinic C", &owner("alice")),
            Err(StoreError::Conflict(_))
        ),
        "user names are unique"
    );
    // Names that read the same are one name, held by the database itself (schema 17's unique name keys), in words.
    match s.create_clinic_with_owner("Clinic C", &owner("ALICE")) {
        Err(StoreError::Conflict(m)) => assert!(
            m.contains("`ALICE` is taken, or reads the same") && !m.contains("name_key"),
            "{m}"
        ),
        other => panic!("ALICE beside alice: {other:?}"),
    }
    match s.create_clinic_with_owner(" clinic b ", &owner("carol")) {
        Err(StoreError::Conflict(m)) => assert!(
            m.contains("a clinic named ` clinic b ` already uses this database")
                && !m.contains("name_key"),
            "{m}"
        ),
        other => panic!("` clinic b ` beside `Clinic B`: {other:?}"),
    }
    match s.create_user(b.id, &owner("Bob"), bob.id) {
        Err(StoreError::Conflict(m)) => {
            assert!(m.contains("`Bob` is taken, or reads the same"), "{m}")
        }
        other => panic!("Bob beside bob: {other:?}"),
    }
    assert_eq!(s.count_users().unwrap(), 2, "nothing was half made");
    assert!(s.users(a.id).unwrap().iter().all(|u| u.clinic_id == a.id));
    users_and_sessions(s, a.id, alice.id);
    user_access(s, a.id, alice.id, b.id);
    clients(s, a.id, alice.id);
    records(s, a.id, alice.id);
    isolation(s, a.id, b.id, bob.id);
    atomicity(s, a.id, b.id, alice.id);
    photo_blobs(s, a.id, alice.id);
    throttle(s);
    crate::conformance_day::run(s, a.id, alice.id, b.id, bob.id);
    crate::conformance_keys::run(s, a.id, alice.id, b.id, bob.id);
    crate::conformance_repeats::run(s, a.id, alice.id);
    crate::conformance_turn::run(s, a.id, alice.id);
}

/// The one-time set-up token: stored hashed, expiring, spent with the first clinic in one transaction.
fn set_up(s: &dyn Store) -> (Clinic, User) {
    let now = now_unix();
    let (live, old) = (sha256_hex(b"live token"), sha256_hex(b"old token"));
    s.add_setup_token(&old, now - 1).unwrap();
    s.add_setup_token(&live, now + 3600).unwrap();
    assert!(s.setup_token_live(&live, now).unwrap());
    assert!(
        !s.setup_token_live(&old, now).unwrap(),
        "an expired token is dead"
    );
    assert!(!s.setup_token_live(&sha256_hex(b"never made"), now).unwrap());
    assert_eq!(
        s.set_up_studio(&old, now, "Clinic A", &owner("alice"))
            .unwrap(),
        None,
        "an expired token sets nothing up"
    );
    assert_eq!(s.count_users().unwrap(), 0);
    let made = s
        .set_up_studio(&live, now, "Clinic A", &owner("alice"))
        .unwrap()
        .expect("a live token sets the studio up");
    assert!(
        !s.setup_token_live(&live, now).unwrap(),
        "the token works once"
    );
    assert!(
        matches!(
            s.set_up_studio(&live, now, "Again", &owner("again")),
            Err(StoreError::Conflict(_))
        ),
        "a set-up studio refuses another set-up"
    );
    made
}

/// Photo bytes in the database: content-addressed, stored once, files made from them, unreferenced ones purged.
fn photo_blobs(s: &dyn Store, clinic: ClinicId, by: UserId) {
    let before = s.photo_blob_count().unwrap();
    let sha = s.put_photo_blob(b"photo bytes one").unwrap();
    assert_eq!(sha, sha256_hex(b"photo bytes one"));
    assert_eq!(
        s.put_photo_blob(b"photo bytes one").unwrap(),
        sha,
        "the same bytes, the same address"
    );
    assert_eq!(s.photo_blob_count().unwrap(), before + 1, "stored once");
    assert_eq!(
        s.photo_blob(&sha).unwrap().as_deref(),
        Some(&b"photo bytes one"[..])
    );
    assert_eq!(s.photo_blob(&"0".repeat(64)).unwrap(), None);
    let binary: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let bin_sha = s.put_photo_blob(&binary).unwrap();
    assert_eq!(
        s.photo_blob(&bin_sha).unwrap(),
        Some(binary),
        "any bytes, NUL included, come back unchanged"
    );
    assert_eq!(s.photo_derived(&sha, "thumb.jpg").unwrap(), None);
    s.put_photo_derived(&sha, "thumb.jpg", b"small").unwrap();
    s.put_photo_derived(&sha, "thumb.jpg", b"smaller").unwrap();
    assert_eq!(
        s.photo_derived(&sha, "thumb.jpg").unwrap().as_deref(),
        Some(&b"smaller"[..])
    );
    let client = s
        .create_client(clinic, &fields("blob-1", "Blob Client"), by)
        .unwrap()
        .id;
    let p = NewPhoto {
        sha256: sha.clone(),
        content_type: "image/png".into(),
        bytes: 15,
        width: 1,
        height: 1,
        caption: None,
        view: "front".into(),
    };
    s.add_photo(clinic, client, &p, by).unwrap();
    s.add_photo(clinic, client, &p, by).unwrap();
    let orphan = s
        .put_photo_blob(b"an upload cut off before its row")
        .unwrap();
    s.put_photo_derived(&orphan, "thumb.jpg", b"t").unwrap();
    assert_eq!(
        s.purge_unreferenced_photo_blobs(now_unix() - 3600).unwrap(),
        0,
        "young bytes may belong to an upload in progress"
    );
    assert_eq!(
        s.purge_unreferenced_photo_blobs(now_unix() + 1).unwrap(),
        2,
        "the orphan and the unreferenced binary bytes"
    );
    assert_eq!(s.photo_blob(&orphan).unwrap(), None);
    assert_eq!(
        s.photo_derived(&orphan, "thumb.jpg").unwrap(),
        None,
        "files made from purged bytes go with them"
    );
    assert_eq!(
        s.photo_blob(&sha).unwrap().as_deref(),
        Some(&b"photo bytes one"[..]),
        "bytes two photos show are kept"
    );
    assert_eq!(
        s.photo_derived(&sha, "thumb.jpg").unwrap().as_deref(),
        Some(&b"smaller"[..])
    );
}

/// Login throttle counters: checks under way counted apart from failures, failures counted once settled,
/// refused without counting, forgiven, expired after a quiet window.
fn throttle(s: &dyn Store) {
    let (acct, addr) = (sha256_hex(b"account:1"), sha256_hex(b"address:192.0.2.1"));
    let keys = [acct.clone(), addr.clone()];
    let refuse = |c: &[ThrottleCount]| c.iter().find(|t| t.failures >= 3).map(|t| t.last_at + 10);
    for i in 0..3 {
        assert_eq!(
            s.throttle_attempt(&keys, 1000 + i, 60, &refuse).unwrap(),
            None,
            "attempt {i}"
        );
    }
    let seen = std::sync::Mutex::new(Vec::new());
    let record = |c: &[ThrottleCount]| {
        seen.lock()
            .unwrap()
            .extend(c.iter().map(|t| (t.key.clone(), t.failures, t.pending)));
        None
    };
    s.throttle_attempt(&keys, 1003, 60, &record).unwrap();
    assert!(
        seen.lock().unwrap().contains(&(acct.clone(), 0, 3)),
        "three checks under way, no failure yet: {seen:?}"
    );
    for i in 0..4 {
        s.throttle_settle(&keys, true, &[], 1004 + i, 60).unwrap();
    }
    assert_eq!(
        s.throttle_attempt(&keys, 1008, 60, &refuse).unwrap(),
        Some(1017),
        "refused, with the last failure's time"
    );
    assert_eq!(
        s.throttle_attempt(&keys, 1009, 60, &refuse).unwrap(),
        Some(1017),
        "a refused attempt is not counted"
    );
    assert_eq!(s.throttle_rows().unwrap(), 2, "one row per key");
    let forgiving = |_: &[ThrottleCount]| None;
    s.throttle_attempt(&keys, 1010, 60, &forgiving).unwrap();
    s.throttle_settle(&keys, false, std::slice::from_ref(&acct), 1011, 60)
        .unwrap();
    seen.lock().unwrap().clear();
    s.throttle_attempt(&keys, 1012, 60, &record).unwrap();
    let seen = seen.into_inner().unwrap();
    assert!(
        seen.contains(&(acct.clone(), 0, 0)) && seen.contains(&(addr.clone(), 4, 0)),
        "a success clears the account, not the address: {seen:?}"
    );
    // A check left under way by a node that died is ignored after a minute.
    let stale = std::sync::Mutex::new(Vec::new());
    s.throttle_attempt(&keys, 1012 + 61, 60, &|c: &[ThrottleCount]| {
        stale.lock().unwrap().extend(c.iter().map(|t| t.pending));
        None
    })
    .unwrap();
    assert_eq!(stale.into_inner().unwrap(), [0, 0]);
    // Quiet for a whole window: counting starts again, and the purge forgets the rows.
    assert_eq!(s.throttle_attempt(&keys, 2000, 60, &refuse).unwrap(), None);
    assert_eq!(s.throttle_purge(3000).unwrap(), 2);
    assert_eq!(s.throttle_rows().unwrap(), 0);
}

fn users_and_sessions(s: &dyn Store, clinic: ClinicId, by: UserId) {
    let fd = s
        .create_user(
            clinic,
            &NewUser {
                username: "frida".into(),
                display_name: "Frida".into(),
                role: Role::FrontDesk,
                password_hash: "h".into(),
            },
            by,
        )
        .unwrap();
    let (u, hash) = s.user_for_login("frida").unwrap().unwrap();
    assert_eq!((u.id, u.role, hash.as_str()), (fd.id, Role::FrontDesk, "h"));
    assert!(s.user_for_login("nobody").unwrap().is_none());
    let sess = AuthSession {
        token_hash: "t1".into(),
        user_id: fd.id,
        csrf_token: "c1".into(),
        created_at: 100,
        expires_at: 200,
        handed_to: None,
    };
    s.create_auth_session(&sess).unwrap();
    let (got, who) = s.auth_session("t1", 150).unwrap().unwrap();
    assert_eq!(
        (got.csrf_token.as_str(), who.username.as_str()),
        ("c1", "frida")
    );
    assert!(
        s.auth_session("t1", 250).unwrap().is_none(),
        "expired sessions are dead"
    );
    s.delete_auth_session("t1").unwrap();
    assert!(s.auth_session("t1", 150).unwrap().is_none(), "logged out");
}

fn user_access(s: &dyn Store, clinic: ClinicId, owner: UserId, other_clinic: ClinicId) {
    let now = now_unix();
    let p = s
        .create_user(
            clinic,
            &NewUser {
                username: "pia".into(),
                display_name: "Pia".into(),
                role: Role::Practitioner,
                password_hash: "h0".into(),
            },
            owner,
        )
        .unwrap();
    let live = |t: &str| AuthSession {
        token_hash: t.into(),
        user_id: p.id,
        csrf_token: "c".into(),
        created_at: now,
        expires_at: now + 100,
        handed_to: None,
    };
    s.create_auth_session(&live("p1")).unwrap();
    assert!(
        matches!(
            s.update_user_access(other_clinic, p.id, Some(false), None, owner),
            Err(StoreError::NotFound(_))
        ),
        "another clinic's user is not found"
    );
    let off = s
        .update_user_access(clinic, p.id, Some(false), None, owner)
        .unwrap();
    assert!(!off.active);
    assert!(
        s.auth_session("p1", now).unwrap().is_none(),
        "disabling ends the sessions"
    );
    assert!(
        s.user_for_login("pia").unwrap().is_none(),
        "a disabled user cannot log in"
    );
    assert!(
        s.update_user_access(clinic, p.id, Some(true), None, owner)
            .unwrap()
            .active
    );
    assert!(
        matches!(
            s.update_user_access(clinic, owner, Some(false), None, owner),
            Err(StoreError::Conflict(_))
        ),
        "the last active owner stays"
    );
    assert!(
        matches!(
            s.update_user_access(clinic, owner, None, Some(Role::FrontDesk), owner),
            Err(StoreError::Conflict(_))
        ),
        "the last active owner stays owner"
    );
    s.create_auth_session(&live("p2")).unwrap();
    s.create_auth_session(&live("p3")).unwrap();
    s.set_password(clinic, p.id, "h1", Some("p2"), p.id)
        .unwrap();
    assert!(
        s.auth_session("p2", now).unwrap().is_some()
            && s.auth_session("p3", now).unwrap().is_none(),
        "other sessions end"
    );
    s.create_password_reset(clinic, p.id, "r1", now + 100, owner)
        .unwrap();
    assert!(
        matches!(
            s.use_password_reset("r1", now + 101, "h2"),
            Err(StoreError::NotFound(_))
        ),
        "expired"
    );
    assert_eq!(s.use_password_reset("r1", now, "h2").unwrap().id, p.id);
    assert_eq!(s.user_for_login("pia").unwrap().unwrap().1, "h2");
    assert!(
        s.auth_session("p2", now).unwrap().is_none(),
        "a reset ends every session"
    );
    assert!(
        matches!(
            s.use_password_reset("r1", now, "h3"),
            Err(StoreError::NotFound(_))
        ),
        "once"
    );
}

fn clients(s: &dyn Store, clinic: ClinicId, by: UserId) {
    let names = [
        "Zoë Brandt",
        "Adam Ng",
        "Maria 50% Lopez",
        "Daniel Okafor",
        "Amir Haddad",
    ];
    let mut ids = vec![];
    for (i, n) in names.iter().enumerate() {
        ids.push(
            s.create_client(clinic, &fields(&format!("C-{i}"), n), by)
                .unwrap()
                .id,
        );
    }
    assert!(
        matches!(
            s.create_client(clinic, &fields("C-0", "Dup"), by),
            Err(StoreError::Conflict(_))
        ),
        "references are unique in a clinic"
    );
    let page = s
        .list_clients(
            clinic,
            &ClientQuery {
                search: None,
                limit: 2,
                offset: 0,
            },
        )
        .unwrap();
    assert_eq!(page.total, 5);
    assert_eq!(
        page.items
            .iter()
            .map(|c| c.fields.name.as_str())
            .collect::<Vec<_>>(),
        ["Adam Ng", "Amir Haddad"],
        "sorted by name"
    );
    let page3 = s
        .list_clients(
            clinic,
            &ClientQuery {
                search: None,
                limit: 2,
                offset: 4,
            },
        )
        .unwrap();
    assert_eq!(page3.items.len(), 1);
    let found = s
        .list_clients(
            clinic,
            &ClientQuery {
                search: Some("AD".into()),
                limit: 10,
                offset: 0,
            },
        )
        .unwrap();
    assert_eq!(found.total, 2, "case-insensitive search: Adam, Amir Haddad");
    let pct = s
        .list_clients(
            clinic,
            &ClientQuery {
                search: Some("50%".into()),
                limit: 10,
                offset: 0,
            },
        )
        .unwrap();
    assert_eq!(pct.total, 1, "LIKE wildcards in the search are literal");
    let by_mail = s
        .list_clients(
            clinic,
            &ClientQuery {
                search: Some("c-3@example".into()),
                limit: 10,
                offset: 0,
            },
        )
        .unwrap();
    assert_eq!(by_mail.items[0].fields.name, "Daniel Okafor");
    // Letters beyond A–Z are found in any case on both backends (probe s7 N25: SQLite's LOWER lowers A–Z only).
    let accented = s
        .create_client(clinic, &fields("C-9", "Żaneta Özdemir-Élodie"), by)
        .unwrap();
    for q in [
        "Żaneta",
        "żANETA",
        "ÖZDEMIR",
        "élodie",
        "Żaneta Özdemir-Élodie",
    ] {
        let hits = s
            .list_clients(
                clinic,
                &ClientQuery {
                    search: Some(q.into()),
                    limit: 10,
                    offset: 0,
                },
            )
            .unwrap();
        assert_eq!(hits.total, 1, "search {q:?}");
    }
    s.delete_client(clinic, accented.id, by).unwrap();
    // The identity changes only with a reason (amend_record, which keeps the old values; probe s8 N18).
    for changed in [
        fields("C-1", "Adam Ng-Li"),
        fields("C-1b", "Adam Ng"),
        ClientFields {
            date_of_birth: None,
            ..fields("C-1", "Adam Ng")
        },
    ] {
        assert!(
            matches!(s.update_client(clinic, ids[1], &changed, by), Err(StoreError::Conflict(m)) if m == IDENTITY_NEEDS_REASON),
            "{changed:?}"
        );
    }
    let mut f = fields("C-1", "Adam Ng");
    f.phone = Some("+31 6 1234".into());
    let up = s.update_client(clinic, ids[1], &f, by).unwrap();
    assert_eq!(
        (up.fields.name.as_str(), up.fields.phone.as_deref()),
        ("Adam Ng", Some("+31 6 1234"))
    );
    assert_eq!(s.client(clinic, ids[1]).unwrap().fields, f);
    s.delete_client(clinic, ids[0], by).unwrap();
    assert!(matches!(
        s.client(clinic, ids[0]),
        Err(StoreError::NotFound(_))
    ));
}

fn records(s: &dyn Store, clinic: ClinicId, by: UserId) {
    let c = s
        .create_client(clinic, &fields("R-1", "Record Holder"), by)
        .unwrap()
        .id;
    let con = s
        .add_consultation(
            clinic,
            c,
            &NewConsultation {
                held_on: "2025-03-01".into(),
                outcome: "go".into(),
                intake_json: "{\"a\":1}".into(),
                screening_json: "{}".into(),
            },
            by,
        )
        .unwrap();
    assert_eq!(s.consultation(clinic, con.id).unwrap(), con);
    assert_eq!(s.consultations(clinic, c).unwrap(), vec![con]);
    let big = format!(
        "{{\"format\":\"follicle-plan\",\"x\":\"{}\"}}",
        "é".repeat(100_000)
    );
    let p = s
        .add_plan(
            clinic,
            c,
            &NewPlan {
                parent_id: None,
                label: "first".into(),
                case_toml: Some("seed = 1".into()),
                seed: 1,
                sessions: 3,
                impressions: 9,
                plan_json: big.clone(),
            },
            by,
        )
        .unwrap();
    assert_eq!(
        s.plan_json(clinic, p.id).unwrap(),
        big,
        "plan.json byte for byte"
    );
    assert_eq!(
        s.plan_with_json(clinic, p.id).unwrap(),
        (s.plan(clinic, p.id).unwrap(), big.clone()),
        "the record and plan.json in one read"
    );
    let touch_up = NewPlan {
        parent_id: Some(p.id),
        label: "touch-up".into(),
        case_toml: None,
        seed: 1,
        sessions: 4,
        impressions: 12,
        plan_json: "{}".into(),
    };
    let p2 = s.add_plan(clinic, c, &touch_up, by).unwrap();
    assert_eq!(p2.parent_id, Some(p.id));
    // The same touch-up asked for again (a double click, a retried request) is the plan already stored: the
    // list below still holds two plans.
    let audited = s.audit(clinic, 1, 0).unwrap()[0].id;
    assert_eq!(
        s.add_plan(clinic, c, &touch_up, by).unwrap(),
        p2,
        "stored once"
    );
    assert_eq!(
        s.audit(clinic, 1, 0).unwrap()[0].id,
        audited,
        "a repeat is not audited"
    );
    assert_eq!(
        s.plans(clinic, c)
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>(),
        [p2.id, p.id],
        "newest first"
    );
    s.add_pigment(clinic, "ink-1", "{\"id\":\"ink-1\"}", by)
        .unwrap();
    assert!(matches!(
        s.add_pigment(clinic, "ink-1", "{}", by),
        Err(StoreError::Conflict(_))
    ));
    let lot = NewLot {
        pigment: "ink-1".into(),
        number: "L1".into(),
        expiry: "2026-01-01".into(),
        received: None,
    };
    s.add_lot(clinic, &lot, by).unwrap();
    assert!(matches!(
        s.add_lot(
            clinic,
            &NewLot {
                pigment: "nope".into(),
                ..lot.clone()
            },
            by
        ),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(s.lots(clinic).unwrap()[0].lot, lot);
    let sess = NewSession {
        index: 1,
        held_on: "2025-03-10".into(),
        record_json: "{}".into(),
    };
    s.add_session(clinic, c, &sess, by).unwrap();
    assert!(
        matches!(
            s.add_session(clinic, c, &sess, by),
            Err(StoreError::Conflict(_))
        ),
        "one record per session number"
    );
    assert_eq!(s.sessions(clinic, c).unwrap().len(), 1);
    s.add_consent(
        clinic,
        c,
        &NewConsent {
            text_id: "smp-treatment".into(),
            text_version: 1,
            signed_at: "2025-03-01T10:00:00Z".into(),
            signed_json: "{}".into(),
        },
        by,
    )
    .unwrap();
    assert_eq!(s.consents(clinic, c).unwrap()[0].text_id, "smp-treatment");
    let ph = s
        .add_photo(
            clinic,
            c,
            &NewPhoto {
                sha256: "ab".repeat(32),
                content_type: "image/png".into(),
                bytes: 10,
                width: 2,
                height: 3,
                caption: None,
                view: "front".into(),
            },
            by,
        )
        .unwrap();
    assert_eq!(s.photo(clinic, ph.id).unwrap(), ph);
    assert_eq!(s.photos(clinic, c).unwrap().len(), 1);
    assert_eq!(
        s.photo_landmarks(clinic, ph.id).unwrap(),
        None,
        "no landmarks marked yet"
    );
    let lm = s
        .set_photo_landmarks(clinic, ph.id, "{\"glabella\":[1.0,2.0]}", by)
        .unwrap();
    assert_eq!(
        (lm.photo_id, lm.client_id, lm.landmarks_json.as_str()),
        (ph.id, c, "{\"glabella\":[1.0,2.0]}")
    );
    let lm2 = s
        .set_photo_landmarks(clinic, ph.id, "{\"glabella\":[1.5,2.0]}", by)
        .unwrap();
    assert_eq!(
        s.photo_landmarks(clinic, ph.id).unwrap(),
        Some(lm2),
        "marking again replaces the landmarks"
    );
    assert!(matches!(
        s.set_photo_landmarks(clinic, PhotoId(999_999), "{}", by),
        Err(StoreError::NotFound(_))
    ));
    // Proposed, not yet confirmed: kept with the marks (another tablet sees it); confirming replaces them.
    assert!(lm.proposed.is_empty(), "marks set by hand are confirmed");
    let two = "{\"glabella\":[1.5,2.0],\"lateral_canthus_left\":[1.0,1.0]}";
    let proposed = vec!["glabella".to_string(), "lateral_canthus_left".to_string()];
    let lm3 = s.mark_photo(clinic, ph.id, two, &proposed, by).unwrap();
    assert_eq!(lm3.proposed, proposed);
    assert_eq!(
        s.photo_landmarks(clinic, ph.id).unwrap().unwrap().proposed,
        proposed,
        "the proposed marks read back as proposed"
    );
    let lm4 = s
        .mark_photo(clinic, ph.id, two, &proposed[1..], by)
        .unwrap();
    assert_eq!(
        s.photo_landmarks(clinic, ph.id).unwrap(),
        Some(lm4),
        "confirming one mark leaves the other proposed"
    );
    s.set_photo_landmarks(clinic, ph.id, two, by).unwrap();
    assert!(s
        .photo_landmarks(clinic, ph.id)
        .unwrap()
        .unwrap()
        .proposed
        .is_empty());
    // Several photos, one head: a second photo of the same client is a left view; changing a photo's
    // view drops the marks of the old one; a view the schema does not know is refused.
    let side = s
        .add_photo(
            clinic,
            c,
            &NewPhoto {
                sha256: "cd".repeat(32),
                content_type: "image/png".into(),
                bytes: 10,
                width: 2,
                height: 3,
                caption: None,
                view: "left".into(),
            },
            by,
        )
        .unwrap();
    assert_eq!((ph.view.as_str(), side.view.as_str()), ("front", "left"));
    s.set_photo_landmarks(clinic, side.id, "{\"tragion_left\":[1.0,2.0]}", by)
        .unwrap();
    assert_eq!(
        s.set_photo_view(clinic, side.id, "left", false, by)
            .unwrap(),
        side
    );
    assert!(
        s.photo_landmarks(clinic, side.id).unwrap().is_some(),
        "same view keeps the marks"
    );
    // Marks are cleared only when the practitioner agreed: else nothing is written.
    assert!(matches!(
        s.set_photo_view(clinic, side.id, "top", false, by),
        Err(StoreError::Conflict(m)) if m == crate::VIEW_CHANGE_CLEARS_MARKS
    ));
    assert_eq!(s.photo(clinic, side.id).unwrap().view, "left");
    assert!(s.photo_landmarks(clinic, side.id).unwrap().is_some());
    let top = s.set_photo_view(clinic, side.id, "top", true, by).unwrap();
    assert_eq!(top.view, "top");
    assert_eq!(s.photo(clinic, side.id).unwrap().view, "top");
    assert_eq!(s.photo_landmarks(clinic, side.id).unwrap(), None);
    // The marks cleared are kept in the audit; a change with none to clear says none.
    let detail = |s: &dyn Store| s.audit(clinic, 1, 0).unwrap()[0].detail.clone();
    assert_eq!(
        detail(s),
        "view left → top; its landmarks cleared: {\"tragion_left\":[1.0,2.0]}"
    );
    // Without marks, the view changes without asking.
    assert_eq!(
        s.set_photo_view(clinic, side.id, "back", false, by)
            .unwrap()
            .view,
        "back"
    );
    assert_eq!(detail(s), "view top → back");
    // Marks checked for the view the photo had before another window changed it are refused, nothing
    // written (outside test s42: the race stored front marks on a left photo).
    let stale_view = MarksSeen {
        view: Some("top"),
        ..MarksSeen::default()
    };
    assert!(matches!(
        s.mark_photo_seen(clinic, side.id, "{\"vertex\":[1.0,1.0]}", &[], stale_view, by),
        Err(StoreError::Conflict(m)) if m.contains("another view")
    ));
    assert_eq!(s.photo_landmarks(clinic, side.id).unwrap(), None);
    // A window that read no marks saves; a second window that also read none is refused, not overwriting.
    let read_none = MarksSeen {
        view: Some("back"),
        revision: Some(""),
        ..MarksSeen::default()
    };
    let first = s
        .mark_photo_seen(
            clinic,
            side.id,
            "{\"opisthocranion\":[1.0,1.0]}",
            &[],
            read_none,
            by,
        )
        .unwrap();
    assert!(matches!(
        s.mark_photo_seen(clinic, side.id, "{\"nape\":[1.0,2.0]}", &[], read_none, by),
        Err(StoreError::Conflict(m)) if m.contains("changed in another window")
    ));
    assert_eq!(s.photo_landmarks(clinic, side.id).unwrap().unwrap(), first);
    let read_first = MarksSeen {
        revision: Some(&first.revision()),
        ..read_none
    };
    let second = s
        .mark_photo_seen(clinic, side.id, "{\"nape\":[1.0,2.0]}", &[], read_first, by)
        .unwrap();
    assert_ne!(second.revision(), first.revision());
    assert_eq!(second.landmarks_json, "{\"nape\":[1.0,2.0]}");
    assert!(s
        .set_photo_view(clinic, side.id, "sideways", true, by)
        .is_err());
    assert!(matches!(
        s.set_photo_view(clinic, PhotoId(999_999), "top", true, by),
        Err(StoreError::NotFound(_))
    ));
    let d1 = s
        .add_design(
            clinic,
            c,
            &NewDesign {
                label: "conservative".into(),
                case_toml: "seed = 1".into(),
                previous_id: None,
            },
            by,
        )
        .unwrap();
    let d2 = s
        .add_design(
            clinic,
            c,
            &NewDesign {
                label: "aggressive".into(),
                case_toml: "seed = 2".into(),
                previous_id: None,
            },
            by,
        )
        .unwrap();
    assert_eq!(s.design(clinic, d1.id).unwrap(), d1);
    assert_eq!(
        (d1.client_id, d1.label.as_str(), d1.case_toml.as_str()),
        (c, "conservative", "seed = 1")
    );
    assert_eq!(
        s.designs(clinic, c).unwrap(),
        vec![d2.clone(), d1.clone()],
        "newest first"
    );
    design_versions(s, clinic, c, by, &d1, &d2);
    assert!(
        matches!(s.delete_client(clinic, c, by), Err(StoreError::Conflict(_))),
        "clients with records are kept"
    );
    let only_design = s
        .create_client(clinic, &fields("R-2", "Design Only"), by)
        .unwrap()
        .id;
    s.add_design(
        clinic,
        only_design,
        &NewDesign {
            label: "d".into(),
            case_toml: "".into(),
            previous_id: None,
        },
        by,
    )
    .unwrap();
    assert!(
        matches!(
            s.delete_client(clinic, only_design, by),
            Err(StoreError::Conflict(_))
        ),
        "a client with a design is kept"
    );
    s.append_audit(
        clinic,
        &NewAudit {
            user_id: Some(by),
            action: "view".into(),
            entity: "consultation".into(),
            entity_id: Some(1),
            client_id: Some(c),
            detail: String::new(),
        },
    )
    .unwrap();
    let log = s.audit(clinic, 100, 0).unwrap();
    assert_eq!(log[0].action, "view", "newest first");
    for entity in [
        "consultation",
        "plan",
        "session",
        "consent",
        "photo",
        "photo landmarks",
        "design",
    ] {
        assert!(
            log.iter()
                .any(|e| e.entity == entity && e.action != "view" && e.client_id == Some(c)),
            "a change to a {entity} is audited"
        );
    }
}

fn isolation(s: &dyn Store, a: ClinicId, b: ClinicId, bob: UserId) {
    let a_client = s
        .list_clients(
            a,
            &ClientQuery {
                search: None,
                limit: 1,
                offset: 0,
            },
        )
        .unwrap()
        .items[0]
        .id;
    let nf = |r: Result<()>, what: &str| {
        assert!(
            matches!(r, Err(StoreError::NotFound(_))),
            "clinic B reaches clinic A's {what}"
        )
    };
    nf(s.client(b, a_client).map(|_| ()), "client");
    nf(
        s.update_client(b, a_client, &fields("X", "X"), bob)
            .map(|_| ()),
        "client (update)",
    );
    nf(s.delete_client(b, a_client, bob), "client (delete)");
    nf(s.consultations(b, a_client).map(|_| ()), "consultations");
    nf(s.plans(b, a_client).map(|_| ()), "plans");
    nf(s.sessions(b, a_client).map(|_| ()), "sessions");
    nf(s.consents(b, a_client).map(|_| ()), "consents");
    nf(s.photos(b, a_client).map(|_| ()), "photos");
    let held = s
        .list_clients(
            a,
            &ClientQuery {
                search: Some("Record Holder".into()),
                limit: 1,
                offset: 0,
            },
        )
        .unwrap()
        .items[0]
        .id;
    let con = s.consultations(a, held).unwrap()[0].id;
    let plan = s.plans(a, held).unwrap()[0].id;
    let photo = s.photos(a, held).unwrap()[0].id;
    nf(s.consultation(b, con).map(|_| ()), "consultation");
    nf(s.plan(b, plan).map(|_| ()), "plan");
    nf(s.plan_json(b, plan).map(|_| ()), "plan.json");
    nf(s.plan_with_json(b, plan).map(|_| ()), "plan with plan.json");
    nf(s.photo(b, photo).map(|_| ()), "photo");
    nf(s.photo_landmarks(b, photo).map(|_| ()), "photo landmarks");
    nf(
        s.set_photo_landmarks(b, photo, "{}", bob).map(|_| ()),
        "photo landmarks (set)",
    );
    let design = s.designs(a, held).unwrap()[0].id;
    nf(s.design(b, design).map(|_| ()), "design");
    nf(s.designs(b, held).map(|_| ()), "designs");
    nf(
        s.add_design(
            b,
            held,
            &NewDesign {
                label: "x".into(),
                case_toml: "".into(),
                previous_id: None,
            },
            bob,
        )
        .map(|_| ()),
        "client (design)",
    );
    assert!(
        s.photo_landmarks(a, photo)
            .unwrap()
            .is_some_and(|l| l.landmarks_json.contains("1.5")),
        "clinic B changed no landmarks"
    );
    nf(
        s.add_consultation(
            b,
            held,
            &NewConsultation {
                held_on: "2025-01-01".into(),
                outcome: "go".into(),
                intake_json: "{}".into(),
                screening_json: "{}".into(),
            },
            bob,
        )
        .map(|_| ()),
        "client (consultation)",
    );
    nf(
        s.add_plan(
            b,
            held,
            &NewPlan {
                parent_id: None,
                label: "x".into(),
                case_toml: None,
                seed: 0,
                sessions: 1,
                impressions: 0,
                plan_json: "{}".into(),
            },
            bob,
        )
        .map(|_| ()),
        "client (plan)",
    );
    assert_eq!(
        s.list_clients(
            b,
            &ClientQuery {
                search: None,
                limit: 100,
                offset: 0
            }
        )
        .unwrap()
        .total,
        0
    );
    assert!(s.pigments(b).unwrap().is_empty() && s.lots(b).unwrap().is_empty());
    assert!(s.audit(b, 100, 0).unwrap().iter().all(|e| e.clinic_id == b));
}

fn atomicity(s: &dyn Store, a: ClinicId, b: ClinicId, alice: UserId) {
    // A plan extending a plan of another client fails as a whole: no plan row, no audit row.
    let before = s.audit(a, 1, 0).unwrap()[0].id;
    let other = s
        .create_client(a, &fields("T-1", "Tx Test"), alice)
        .unwrap()
        .id;
    let foreign_plan = s
        .plans(
            a,
            s.list_clients(
                a,
                &ClientQuery {
                    search: Some("Record Holder".into()),
                    limit: 1,
                    offset: 0,
                },
            )
            .unwrap()
            .items[0]
                .id,
        )
        .unwrap()[0]
        .id;
    let r = s.add_plan(
        a,
        other,
        &NewPlan {
            parent_id: Some(foreign_plan),
            label: "x".into(),
            case_toml: None,
            seed: 0,
            sessions: 1,
            impressions: 0,
            plan_json: "{}".into(),
        },
        alice,
    );
    assert!(matches!(r, Err(StoreError::NotFound(_))));
    assert!(s.plans(a, other).unwrap().is_empty());
    let after: Vec<_> = s
        .audit(a, 10, 0)
        .unwrap()
        .into_iter()
        .filter(|e| e.id > before)
        .collect();
    assert_eq!(
        after.len(),
        1,
        "only the client creation is audited: {after:?}"
    );
    let _ = b;
}

/// A design's versions (each names the one it follows) and the client's one chosen design.
fn design_versions(
    s: &dyn Store,
    clinic: ClinicId,
    c: ClientId,
    by: UserId,
    d1: &DesignRecord,
    d2: &DesignRecord,
) {
    let v2 = s
        .add_design(
            clinic,
            c,
            &NewDesign {
                label: "conservative".into(),
                case_toml: "seed = 3".into(),
                previous_id: Some(d1.id),
            },
            by,
        )
        .unwrap();
    assert_eq!(v2.previous_id, Some(d1.id));
    let history: Vec<DesignId> = s
        .design_history(clinic, v2.id)
        .unwrap()
        .iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(history, vec![v2.id, d1.id], "newest version first");
    // Another window's version of d1 after v2 was saved: refused as stale, naming the newer version and
    // who saved it when (studio probe s34: two "version 2"s); nothing written. The same save sent again
    // still answers the stored one.
    let count = s.designs(clinic, c).unwrap().len();
    let version_of_d1 = |case: &str| NewDesign {
        label: "conservative".into(),
        case_toml: case.into(),
        previous_id: Some(d1.id),
    };
    match s.add_design(clinic, c, &version_of_d1("seed = 4"), by) {
        Err(StoreError::Stale { what, at, .. }) => {
            assert_eq!(what, "The design “conservative”");
            assert_eq!(at, Some(v2.created_at));
        }
        other => panic!("a second version of d1 was not refused: {other:?}"),
    }
    assert_eq!(s.designs(clinic, c).unwrap().len(), count);
    let again = s
        .add_design(clinic, c, &version_of_d1("seed = 3"), by)
        .unwrap();
    assert_eq!(again.id, v2.id);
    // A new design under a name the client's designs already have (other case and spacing): refused in
    // words, nothing written (studio probe s35: two rows alike). Under its own name it is stored.
    let named = |label: &str| NewDesign {
        label: label.into(),
        case_toml: "seed = 9".into(),
        previous_id: None,
    };
    match s.add_design(clinic, c, &named("  Conservative "), by) {
        Err(StoreError::Conflict(m)) => assert!(
            m.contains("already has a design named “conservative”"),
            "{m}"
        ),
        other => panic!("a second design named conservative was not refused: {other:?}"),
    }
    assert_eq!(s.designs(clinic, c).unwrap().len(), count);
    let own = s
        .add_design(clinic, c, &named("conservative B"), by)
        .unwrap();
    assert_eq!(own.label, "conservative B");
    assert_eq!(s.designs(clinic, c).unwrap().len(), count + 1);
    let other = s
        .create_client(clinic, &fields("R-V", "Other Client"), by)
        .unwrap()
        .id;
    assert!(
        matches!(
            s.add_design(
                clinic,
                other,
                &NewDesign {
                    label: "x".into(),
                    case_toml: "".into(),
                    previous_id: Some(d1.id),
                },
                by
            ),
            Err(StoreError::NotFound(_))
        ),
        "a version follows a design of the same client"
    );
    assert!(
        !s.design(clinic, d2.id).unwrap().chosen,
        "nothing chosen yet"
    );
    assert!(
        s.choose_design(clinic, d2.id, Some(None), by)
            .unwrap()
            .chosen
    );
    assert!(s.design(clinic, d2.id).unwrap().chosen);
    // A page that showed nothing chosen, choosing another design since d2 was chosen: refused, d2 kept (outside
    // test s43: last one won, both told they chose); the same design again is no conflict.
    assert!(matches!(
        s.choose_design(clinic, v2.id, Some(None), by),
        Err(StoreError::Stale {
            by: Some(_),
            at: Some(_),
            ..
        })
    ));
    assert!(s.design(clinic, d2.id).unwrap().chosen);
    assert!(
        s.choose_design(clinic, d2.id, Some(None), by)
            .unwrap()
            .chosen
    );
    s.choose_design(clinic, v2.id, Some(Some(d2.id)), by)
        .unwrap();
    let chosen: Vec<DesignId> = s
        .designs(clinic, c)
        .unwrap()
        .iter()
        .filter(|d| d.chosen)
        .map(|d| d.id)
        .collect();
    assert_eq!(chosen, vec![v2.id], "one chosen design per client");
    assert!(matches!(
        s.choose_design(clinic, DesignId(999_999), None, by),
        Err(StoreError::NotFound(_))
    ));
}
