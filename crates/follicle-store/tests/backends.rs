//! The store suite (follicle_store::conformance) against SQLite always, and against PostgreSQL when
//! FOLLICLE_TEST_POSTGRES_URL is set (then an unreachable server fails the test, never skips it).

use follicle_store::{conformance, postgres, sqlite, Store};

#[test]
fn sqlite_suite_from_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let s = sqlite::open(&dir.path().join("data/follicle.db")).unwrap();
    assert_eq!(s.backend(), "sqlite");
    conformance::run_all(&s);
}

#[test]
fn sqlite_migrates_from_the_previous_version_keeping_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("follicle.db");
    {
        let v1 = sqlite::open_at_version(&path, 1).unwrap();
        assert_eq!(v1.schema_version().unwrap(), 1);
        let owner = follicle_store::NewUser { username: "o".into(), display_name: "O".into(), role: follicle_store::Role::Owner, password_hash: "h".into() };
        v1.create_clinic_with_owner("Old clinic", &owner).unwrap();
    }
    let s = sqlite::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), 4);
    assert_eq!(s.clinic(1).unwrap().name, "Old clinic");
    assert_eq!(s.count_users().unwrap(), 1);
    // Opening again is a no-op.
    drop(s);
    assert_eq!(sqlite::open(&path).unwrap().schema_version().unwrap(), 4);
}

#[test]
fn sqlite_audit_log_is_append_only_and_wal_is_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("follicle.db");
    let s = sqlite::open(&path).unwrap();
    conformance::run_all(&s);
    let c = rusqlite::Connection::open(&path).unwrap();
    let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    assert!(c.execute("UPDATE audit_log SET detail = 'x'", []).is_err(), "audit rows cannot be changed");
    assert!(c.execute("DELETE FROM audit_log", []).is_err(), "audit rows cannot be deleted");
}

#[test]
fn sqlite_backup_is_a_consistent_copy() {
    let dir = tempfile::tempdir().unwrap();
    let s = sqlite::open(&dir.path().join("a.db")).unwrap();
    conformance::run_all(&s);
    let copy = dir.path().join("backup.db");
    s.backup_to(&copy).unwrap();
    let b = sqlite::open(&copy).unwrap();
    assert_eq!(b.count_users().unwrap(), s.count_users().unwrap());
    assert_eq!(b.audit(1, 1000, 0).unwrap(), s.audit(1, 1000, 0).unwrap());
    assert!(s.backup_to(&copy).is_err(), "never overwrites a backup");
}

#[test]
fn photos_are_content_addressed() {
    let dir = tempfile::tempdir().unwrap();
    let p = follicle_store::PhotoStore::new(&dir.path().join("photos")).unwrap();
    let sha = p.put(b"not really a png").unwrap();
    assert_eq!(sha, follicle_store::sha256_hex(b"not really a png"));
    assert_eq!(p.put(b"not really a png").unwrap(), sha);
    assert_eq!(p.get(&sha).unwrap(), b"not really a png");
    assert!(dir.path().join("photos").join(&sha[..2]).join(format!("{sha}.bin")).exists());
    assert!(p.get("../../etc/passwd").is_err());
}

/// A fresh database on the test server: CREATE DATABASE follicle_test_<pid>_<tag>, returning its URL.
fn fresh_postgres(tag: &str) -> Option<String> {
    let url = std::env::var("FOLLICLE_TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty())?;
    let mut admin = ::postgres::Client::connect(&url, ::postgres::NoTls)
        .unwrap_or_else(|e| panic!("FOLLICLE_TEST_POSTGRES_URL is set but the server cannot be reached: {e}"));
    let name = format!("follicle_test_{}_{tag}", std::process::id());
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let (base, query) = url.split_once('?').map_or((url.as_str(), None), |(b, q)| (b, Some(q)));
    let root = &base[..base.rfind('/').filter(|&i| i > base.find("://").unwrap() + 2).unwrap_or(base.len())];
    Some(format!("{root}/{name}{}", query.map(|q| format!("?{q}")).unwrap_or_default()))
}

#[test]
fn postgres_suite_from_an_empty_database() {
    let Some(url) = fresh_postgres("suite") else {
        eprintln!("FOLLICLE_TEST_POSTGRES_URL not set: PostgreSQL suite not run");
        return;
    };
    let s = postgres::open(&url).unwrap();
    assert_eq!(s.backend(), "postgres");
    conformance::run_all(&s);
    let mut c = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
    assert!(c.execute("UPDATE audit_log SET detail = 'x'", &[]).is_err(), "audit rows cannot be changed");
    assert!(c.execute("DELETE FROM audit_log", &[]).is_err(), "audit rows cannot be deleted");
}

#[test]
fn postgres_migrates_from_the_previous_version_keeping_data() {
    let Some(url) = fresh_postgres("upgrade") else { return };
    {
        let v1 = postgres::open_at_version(&url, 1).unwrap();
        assert_eq!(v1.schema_version().unwrap(), 1);
        let owner = follicle_store::NewUser { username: "o".into(), display_name: "O".into(), role: follicle_store::Role::Owner, password_hash: "h".into() };
        v1.create_clinic_with_owner("Old clinic", &owner).unwrap();
    }
    let s = postgres::open(&url).unwrap();
    assert_eq!(s.schema_version().unwrap(), 4);
    assert_eq!(s.count_users().unwrap(), 1);
    drop(s);
    assert_eq!(postgres::open(&url).unwrap().schema_version().unwrap(), 4);
}

#[test]
fn unknown_urls_are_refused_and_passwords_redacted() {
    assert!(matches!(follicle_store::open("mysql://x"), Err(follicle_store::StoreError::BadUrl(_))));
    assert_eq!(follicle_store::redact("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
}

#[test]
fn photo_files_are_written_atomically_with_derived_files_and_stale_temporaries_swept() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("photos");
    let p = follicle_store::PhotoStore::new(&root).unwrap();
    let sha = p.put(b"bytes").unwrap();
    assert_eq!(p.get_derived(&sha, "thumb.png").unwrap(), None);
    p.put_derived(&sha, "thumb.png", b"small").unwrap();
    assert_eq!(p.get_derived(&sha, "thumb.png").unwrap().as_deref(), Some(&b"small"[..]));
    assert!(p.put_derived(&sha, "../x", b"no").is_err(), "derived names stay beside the photo");
    // A temporary file left by a killed server is never read, and is swept once stale.
    let tmp = root.join(&sha[..2]).join(format!(".{sha}.bin.999-0.tmp"));
    std::fs::write(&tmp, b"half").unwrap();
    assert_eq!(p.get(&sha).unwrap(), b"bytes");
    assert_eq!(p.sweep_temporaries(std::time::Duration::from_secs(3600)), 0, "young temporaries may belong to a live writer");
    assert_eq!(p.sweep_temporaries(std::time::Duration::ZERO), 1);
    assert!(!tmp.exists());
    // Writers in parallel never collide on a temporary name.
    let handles: Vec<_> = (0..8).map(|_| { let p = p.clone(); std::thread::spawn(move || p.put(b"same bytes").unwrap()) }).collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), follicle_store::sha256_hex(b"same bytes"));
    }
}

#[test]
fn backup_archive_round_trips_and_refuses_damage() {
    use follicle_store::archive;
    let dir = tempfile::tempdir().unwrap();
    let s = sqlite::open(&dir.path().join("a/follicle.db")).unwrap();
    conformance::run_all(&s);
    let photos = follicle_store::PhotoStore::new(&dir.path().join("a/photos")).unwrap();
    let sha = photos.put(b"photo bytes").unwrap();
    photos.put_derived(&sha, "thumb.png", b"thumb").unwrap();
    std::fs::create_dir_all(photos.cache_dir()).unwrap();
    std::fs::write(photos.cache_dir().join("preview.png"), b"cache").unwrap();
    let out = dir.path().join("b/backup.tar");
    let m = archive::backup_sqlite(&s, photos.dir(), &out).unwrap();
    assert_eq!((m.photo_files, m.schema_version), (2, 4), "the photo and its thumbnail; no cache");
    assert!(archive::backup_sqlite(&s, photos.dir(), &out).is_err(), "never overwrites");
    let db2 = dir.path().join("c/follicle.db");
    let restored = archive::restore_sqlite(&out, &db2, &dir.path().join("c/photos")).unwrap();
    assert_eq!(restored, m);
    let s2 = sqlite::open(&db2).unwrap();
    assert_eq!(s2.audit(1, 1000, 0).unwrap(), s.audit(1, 1000, 0).unwrap());
    assert_eq!(follicle_store::PhotoStore::new(&dir.path().join("c/photos")).unwrap().get(&sha).unwrap(), b"photo bytes");
    assert!(archive::restore_sqlite(&out, &db2, &dir.path().join("c/photos")).is_err(), "never replaces a database");
    // A damaged archive restores nothing.
    let mut bytes = std::fs::read(&out).unwrap();
    let at = bytes.windows(11).position(|w| w == b"photo bytes").unwrap();
    bytes[at] ^= 1;
    let bad = dir.path().join("bad.tar");
    std::fs::write(&bad, &bytes).unwrap();
    let db3 = dir.path().join("d/follicle.db");
    let err = archive::restore_sqlite(&bad, &db3, &dir.path().join("d/photos")).unwrap_err();
    assert!(err.to_string().contains("SHA-256"), "{err}");
    assert!(!db3.exists() && !dir.path().join("d/photos").join(&sha[..2]).exists(), "nothing put in place");
}

/// Records of a version-2 database (a clinic, a client and a photo), then the checks that version 3 kept them
/// and that its new tables work on them.
fn v2_records(s: &dyn Store) -> (i64, i64, i64, i64) {
    let owner = follicle_store::NewUser { username: "o2".into(), display_name: "O".into(), role: follicle_store::Role::Owner, password_hash: "h".into() };
    let (clinic, u) = s.create_clinic_with_owner("Version 2 clinic", &owner).unwrap();
    let fields = follicle_store::ClientFields { reference: "V2-1".into(), name: "Old Client".into(), date_of_birth: None, email: None, phone: None };
    let client = s.create_client(clinic.id, &fields, u.id).unwrap().id;
    let photo = follicle_store::NewPhoto { sha256: "cd".repeat(32), content_type: "image/png".into(), bytes: 10, width: 640, height: 480, caption: None };
    let photo = s.add_photo(clinic.id, client, &photo, u.id).unwrap().id;
    (clinic.id, u.id, client, photo)
}

fn v3_on_v2_records(s: &dyn Store, (clinic, by, client, photo): (i64, i64, i64, i64)) {
    assert_eq!(s.schema_version().unwrap(), 4);
    assert_eq!(s.client(clinic, client).unwrap().fields.name, "Old Client");
    assert_eq!(s.photo(clinic, photo).unwrap().width, 640);
    assert_eq!(s.photo_landmarks(clinic, photo).unwrap(), None);
    s.set_photo_landmarks(clinic, photo, "{\"glabella\":[320.0,300.0]}", by).unwrap();
    let d = s.add_design(clinic, client, &follicle_store::NewDesign { label: "first".into(), case_toml: "seed = 1".into() }, by).unwrap();
    assert_eq!(s.designs(clinic, client).unwrap(), vec![d]);
}

#[test]
fn sqlite_migrates_from_version_2_keeping_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("follicle.db");
    let seeded = {
        let v2 = sqlite::open_at_version(&path, 2).unwrap();
        assert_eq!(v2.schema_version().unwrap(), 2);
        v2_records(&v2)
    };
    v3_on_v2_records(&sqlite::open(&path).unwrap(), seeded);
    assert_eq!(sqlite::open(&path).unwrap().schema_version().unwrap(), 4, "opening again is a no-op");
}

#[test]
fn postgres_migrates_from_version_2_keeping_data() {
    let Some(url) = fresh_postgres("upgrade2") else { return };
    let seeded = {
        let v2 = postgres::open_at_version(&url, 2).unwrap();
        assert_eq!(v2.schema_version().unwrap(), 2);
        v2_records(&v2)
    };
    v3_on_v2_records(&postgres::open(&url).unwrap(), seeded);
    assert_eq!(postgres::open(&url).unwrap().schema_version().unwrap(), 4, "opening again is a no-op");
}
