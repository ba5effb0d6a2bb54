//! The store suite (follicle_store::conformance) against SQLite always, and against PostgreSQL when
//! FOLLICLE_TEST_POSTGRES_URL is set (then an unreachable server fails the test, never skips it; with CI set, a
//! missing URL fails too).

use follicle_store::{conformance, postgres, sqlite, ClientId, ClinicId, PhotoId, Store, UserId};

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
        let owner = follicle_store::NewUser {
            username: "o".into(),
            display_name: "O".into(),
            role: follicle_store::Role::Owner,
            password_hash: "h".into(),
        };
        v1.create_clinic_with_owner("Old clinic", &owner).unwrap();
    }
    let s = sqlite::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), newest_sqlite());
    assert_eq!(s.clinic(ClinicId(1)).unwrap().name, "Old clinic");
    assert_eq!(s.count_users().unwrap(), 1);
    // Opening again is a no-op.
    drop(s);
    assert_eq!(
        sqlite::open(&path).unwrap().schema_version().unwrap(),
        newest_sqlite()
    );
}

#[test]
fn sqlite_audit_log_is_append_only_and_wal_is_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("follicle.db");
    let s = sqlite::open(&path).unwrap();
    conformance::run_all(&s);
    let c = rusqlite::Connection::open(&path).unwrap();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert!(
        c.execute("UPDATE audit_log SET detail = 'x'", []).is_err(),
        "audit rows cannot be changed"
    );
    assert!(
        c.execute("DELETE FROM audit_log", []).is_err(),
        "audit rows cannot be deleted"
    );
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
    assert_eq!(
        b.audit(ClinicId(1), 1000, 0).unwrap(),
        s.audit(ClinicId(1), 1000, 0).unwrap()
    );
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
    assert!(dir
        .path()
        .join("photos")
        .join(&sha[..2])
        .join(format!("{sha}.bin"))
        .exists());
    assert!(p.get("../../etc/passwd").is_err());
}

/// A fresh database on the test server (None: skipped outside CI; in CI a missing URL fails).
fn fresh_postgres(tag: &str) -> Option<String> {
    follicle_store::testing::fresh_database(tag)
}

/// The newest SQLite schema version.
fn newest_sqlite() -> u32 {
    sqlite::MIGRATIONS.last().unwrap().0
}

/// The newest PostgreSQL schema version.
fn newest_postgres() -> u32 {
    postgres::MIGRATIONS.last().unwrap().0
}

#[test]
fn postgres_suite_from_an_empty_database() {
    let Some(url) = fresh_postgres("suite") else {
        return;
    };
    let s = postgres::open(&url).unwrap();
    assert_eq!(s.backend(), "postgres");
    conformance::run_all(&s);
    let mut c = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
    assert!(
        c.execute("UPDATE audit_log SET detail = 'x'", &[]).is_err(),
        "audit rows cannot be changed"
    );
    assert!(
        c.execute("DELETE FROM audit_log", &[]).is_err(),
        "audit rows cannot be deleted"
    );
}

#[test]
fn postgres_migrates_from_the_previous_version_keeping_data() {
    let Some(url) = fresh_postgres("upgrade") else {
        return;
    };
    {
        let v1 = postgres::open_at_version(&url, 1).unwrap();
        assert_eq!(v1.schema_version().unwrap(), 1);
        let owner = follicle_store::NewUser {
            username: "o".into(),
            display_name: "O".into(),
            role: follicle_store::Role::Owner,
            password_hash: "h".into(),
        };
        v1.create_clinic_with_owner("Old clinic", &owner).unwrap();
    }
    let s = postgres::open(&url).unwrap();
    assert_eq!(s.schema_version().unwrap(), newest_postgres());
    assert_eq!(s.count_users().unwrap(), 1);
    drop(s);
    assert_eq!(
        postgres::open(&url).unwrap().schema_version().unwrap(),
        newest_postgres()
    );
}

#[test]
fn unknown_urls_are_refused_and_passwords_redacted() {
    assert!(matches!(
        follicle_store::open("mysql://x"),
        Err(follicle_store::StoreError::BadUrl(_))
    ));
    assert_eq!(
        follicle_store::redact("postgres://u:secret@h:5432/db"),
        "postgres://u:***@h:5432/db"
    );
    // A password given as a URL parameter is masked too (probe s7 L12); other parameters stay.
    assert_eq!(
        follicle_store::redact(
            "postgresql://follicle@127.0.0.1:5432/postgres?sslmode=require&password=S3cretPw&PASSWORD=x&sslpassword=k"
        ),
        "postgresql://follicle@127.0.0.1:5432/postgres?sslmode=require&password=***&PASSWORD=***&sslpassword=***"
    );
    assert_eq!(
        follicle_store::redact("postgres://u:pw@h/db?application_name=a@b"),
        "postgres://u:***@h/db?application_name=a@b"
    );
}

#[test]
fn photo_files_are_written_atomically_with_derived_files_and_stale_temporaries_swept() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("photos");
    let p = follicle_store::PhotoStore::new(&root).unwrap();
    let sha = p.put(b"bytes").unwrap();
    assert_eq!(p.get_derived(&sha, "thumb.png").unwrap(), None);
    p.put_derived(&sha, "thumb.png", b"small").unwrap();
    assert_eq!(
        p.get_derived(&sha, "thumb.png").unwrap().as_deref(),
        Some(&b"small"[..])
    );
    assert!(
        p.put_derived(&sha, "../x", b"no").is_err(),
        "derived names stay beside the photo"
    );
    // A temporary file left by a killed server is never read, and is swept once stale.
    let tmp = root.join(&sha[..2]).join(format!(".{sha}.bin.999-0.tmp"));
    std::fs::write(&tmp, b"half").unwrap();
    assert_eq!(p.get(&sha).unwrap(), b"bytes");
    assert_eq!(
        p.sweep_temporaries(std::time::Duration::from_secs(3600)),
        0,
        "young temporaries may belong to a live writer"
    );
    assert_eq!(p.sweep_temporaries(std::time::Duration::ZERO), 1);
    assert!(!tmp.exists());
    // Writers in parallel never collide on a temporary name.
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let p = p.clone();
            std::thread::spawn(move || p.put(b"same bytes").unwrap())
        })
        .collect();
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
    assert_eq!(
        (m.photo_files, m.schema_version),
        (2, newest_sqlite()),
        "the photo and its thumbnail; no cache"
    );
    assert!(
        archive::backup_sqlite(&s, photos.dir(), &out).is_err(),
        "never overwrites"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the backup is readable by its owner only");
    }
    let db2 = dir.path().join("c/follicle.db");
    let restored = archive::restore_sqlite(&out, &db2, &dir.path().join("c/photos")).unwrap();
    assert_eq!(restored, m);
    let s2 = sqlite::open(&db2).unwrap();
    assert_eq!(
        s2.audit(ClinicId(1), 1000, 0).unwrap(),
        s.audit(ClinicId(1), 1000, 0).unwrap()
    );
    assert_eq!(
        follicle_store::PhotoStore::new(&dir.path().join("c/photos"))
            .unwrap()
            .get(&sha)
            .unwrap(),
        b"photo bytes"
    );
    assert!(
        archive::restore_sqlite(&out, &db2, &dir.path().join("c/photos")).is_err(),
        "never replaces a database"
    );
    // A damaged archive restores nothing.
    let mut bytes = std::fs::read(&out).unwrap();
    let at = bytes.windows(11).position(|w| w == b"photo bytes").unwrap();
    bytes[at] ^= 1;
    let bad = dir.path().join("bad.tar");
    std::fs::write(&bad, &bytes).unwrap();
    let db3 = dir.path().join("d/follicle.db");
    let err = archive::restore_sqlite(&bad, &db3, &dir.path().join("d/photos")).unwrap_err();
    assert!(err.to_string().contains("SHA-256"), "{err}");
    assert!(
        !db3.exists() && !dir.path().join("d/photos").join(&sha[..2]).exists(),
        "nothing put in place"
    );
}

/// Records of a version-2 database (a clinic, a client and a photo), then the checks that version 3 kept them
/// and that its new tables work on them.
fn v2_records(s: &dyn Store) -> (ClinicId, UserId, ClientId, PhotoId) {
    let owner = follicle_store::NewUser {
        username: "o2".into(),
        display_name: "O".into(),
        role: follicle_store::Role::Owner,
        password_hash: "h".into(),
    };
    let (clinic, u) = s
        .create_clinic_with_owner("Version 2 clinic", &owner)
        .unwrap();
    let fields = follicle_store::ClientFields {
        reference: "V2-1".into(),
        name: "Old Client".into(),
        date_of_birth: None,
        email: None,
        phone: None,
    };
    let client = s.create_client(clinic.id, &fields, u.id).unwrap().id;
    let photo = follicle_store::NewPhoto {
        sha256: "cd".repeat(32),
        content_type: "image/png".into(),
        bytes: 10,
        width: 640,
        height: 480,
        caption: None,
        view: "front".into(),
    };
    let photo = s.add_photo(clinic.id, client, &photo, u.id).unwrap().id;
    (clinic.id, u.id, client, photo)
}

fn v3_on_v2_records(
    s: &dyn Store,
    (clinic, by, client, photo): (ClinicId, UserId, ClientId, PhotoId),
) {
    assert!(s.schema_version().unwrap() >= 3);
    assert_eq!(s.client(clinic, client).unwrap().fields.name, "Old Client");
    assert_eq!(s.photo(clinic, photo).unwrap().width, 640);
    assert_eq!(s.photo_landmarks(clinic, photo).unwrap(), None);
    s.set_photo_landmarks(clinic, photo, "{\"glabella\":[320.0,300.0]}", by)
        .unwrap();
    let d = s
        .add_design(
            clinic,
            client,
            &follicle_store::NewDesign {
                label: "first".into(),
                case_toml: "seed = 1".into(),
                previous_id: None,
            },
            by,
        )
        .unwrap();
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
    assert_eq!(
        sqlite::open(&path).unwrap().schema_version().unwrap(),
        newest_sqlite(),
        "opening again is a no-op"
    );
}

#[test]
fn postgres_migrates_from_version_2_keeping_data() {
    let Some(url) = fresh_postgres("upgrade2") else {
        return;
    };
    let seeded = {
        let v2 = postgres::open_at_version(&url, 2).unwrap();
        assert_eq!(v2.schema_version().unwrap(), 2);
        v2_records(&v2)
    };
    v3_on_v2_records(&postgres::open(&url).unwrap(), seeded);
    assert_eq!(
        postgres::open(&url).unwrap().schema_version().unwrap(),
        newest_postgres(),
        "opening again is a no-op"
    );
}

#[test]
fn postgres_connections_killed_by_the_server_are_replaced() {
    let Some(url) = fresh_postgres("reconnect") else {
        return;
    };
    let s = postgres::open(&url).unwrap();
    let (clinic, owner) = s
        .create_clinic_with_owner(
            "Reconnecting",
            &follicle_store::NewUser {
                username: "r".into(),
                display_name: "R".into(),
                role: follicle_store::Role::Owner,
                password_hash: "h".into(),
            },
        )
        .unwrap();
    // Every connection of the pool is cut by the server (as a restart or a network cut would).
    let db = url
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let mut admin = ::postgres::Client::connect(
        &std::env::var("FOLLICLE_TEST_POSTGRES_URL").unwrap(),
        ::postgres::NoTls,
    )
    .unwrap();
    let killed: i64 = admin.query_one(&format!("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{db}'"), &[]).unwrap().get(0);
    assert!(killed >= 1, "the pool had connections open");
    // The next calls get fresh connections: no error reaches the caller.
    assert_eq!(s.clinic(clinic.id).unwrap().name, "Reconnecting");
    let fields = follicle_store::ClientFields {
        reference: "RC-1".into(),
        name: "After the cut".into(),
        date_of_birth: None,
        email: None,
        phone: None,
    };
    s.create_client(clinic.id, &fields, owner.id).unwrap();
    assert_eq!(s.schema_version().unwrap(), newest_postgres());
}

#[test]
fn postgres_over_tls_checks_the_server_certificate() {
    let Some(url) = fresh_postgres("tls") else {
        return;
    };
    let Some(ca) = std::env::var("FOLLICLE_TEST_PG_CA")
        .ok()
        .filter(|c| !c.is_empty())
    else {
        assert!(std::env::var("CI").map_or(true, |v| v.is_empty()), "CI is set but FOLLICLE_TEST_PG_CA is not (scripts/test.sh starts the test server with TLS)");
        eprintln!("FOLLICLE_TEST_PG_CA not set: PostgreSQL TLS test skipped");
        return;
    };
    let sep = if url.contains('?') { '&' } else { '?' };
    // The test server's authority trusted explicitly: every pooled connection is encrypted.
    let s = postgres::open(&format!("{url}{sep}sslmode=require&sslrootcert={ca}")).unwrap();
    let owner = follicle_store::NewUser {
        username: "tls".into(),
        display_name: "T".into(),
        role: follicle_store::Role::Owner,
        password_hash: "h".into(),
    };
    let (clinic, _) = s.create_clinic_with_owner("Over TLS", &owner).unwrap();
    assert_eq!(s.clinic(clinic.id).unwrap().name, "Over TLS");
    let db = url
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let mut admin = ::postgres::Client::connect(
        &std::env::var("FOLLICLE_TEST_POSTGRES_URL").unwrap(),
        ::postgres::NoTls,
    )
    .unwrap();
    let row = admin.query_one(&format!("SELECT COUNT(*), COALESCE(bool_and(ssl), false) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE datname = '{db}'"), &[]).unwrap();
    let (connections, all_tls): (i64, bool) = (row.get(0), row.get(1));
    assert!(
        connections >= 1 && all_tls,
        "{connections} connection(s), all over TLS: {all_tls}"
    );
    // Without that authority (the system's roots only) the server's certificate is refused: no silent downgrade.
    let err = postgres::open(&format!("{url}{sep}sslmode=require"))
        .err()
        .expect("an unknown authority is refused")
        .to_string();
    assert!(
        err.contains("cannot connect") || err.contains("certificate authority"),
        "{err}"
    );
}

/// Photo bytes kept in the database leave nothing but caches on the local disk, are stored once per content, and
/// are read back by any other process on the same database (here: a second store opened on it).
fn photos_in_database(s: std::sync::Arc<dyn Store>, other: std::sync::Arc<dyn Store>) {
    let dir = tempfile::tempdir().unwrap();
    let p = follicle_store::PhotoStore::for_store(s.clone(), dir.path()).unwrap();
    if s.backend() == "sqlite" {
        assert!(!p.is_in_database(), "SQLite studios keep photo files");
        return;
    }
    assert!(p.is_in_database());
    let sha = p.put(b"png bytes, really").unwrap();
    assert_eq!(p.put(b"png bytes, really").unwrap(), sha);
    p.put_derived(&sha, "thumb.jpg", b"thumb").unwrap();
    assert!(
        p.put_derived(&sha, "../x", b"no").is_err(),
        "derived names are checked as for files"
    );
    let q = follicle_store::PhotoStore::in_database(
        other,
        &tempfile::tempdir().unwrap().path().join("node2"),
    )
    .unwrap();
    assert_eq!(
        q.get(&sha).unwrap(),
        b"png bytes, really",
        "another node reads the bytes"
    );
    assert_eq!(
        q.get_derived(&sha, "thumb.jpg").unwrap().as_deref(),
        Some(&b"thumb"[..])
    );
    assert!(matches!(
        q.get(&"1".repeat(64)),
        Err(follicle_store::StoreError::NotFound(_))
    ));
    assert!(matches!(
        q.get("../../etc/passwd"),
        Err(follicle_store::StoreError::NotFound(_))
    ));
    assert_eq!(s.photo_blob_count().unwrap(), 1);
    assert!(
        files_under(dir.path()).is_empty(),
        "no photo file on the local disk: {:?}",
        files_under(dir.path())
    );
}

fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.file_type().unwrap().is_dir() {
            out.extend(files_under(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

#[test]
fn postgres_photos_live_in_the_database() {
    let Some(url) = fresh_postgres("blobs") else {
        return;
    };
    photos_in_database(
        follicle_store::open(&url).unwrap(),
        follicle_store::open(&url).unwrap(),
    );
}

#[test]
fn sqlite_photos_stay_files() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("f.db").display());
    photos_in_database(
        follicle_store::open(&url).unwrap(),
        follicle_store::open(&url).unwrap(),
    );
}

/// A clinic with one client; returns (clinic, client).
fn one_client(s: &dyn Store) -> (ClinicId, ClientId) {
    let hash = "x".repeat(20);
    let (clinic, owner) = s
        .create_clinic_with_owner(
            "Decode Studio",
            &follicle_store::NewUser {
                username: "decode-owner".into(),
                display_name: "Owner".into(),
                role: follicle_store::Role::Owner,
                password_hash: hash,
            },
        )
        .unwrap();
    let fields = follicle_store::ClientFields {
        reference: "C-1".into(),
        name: "Daniel Mensah".into(),
        date_of_birth: None,
        email: None,
        phone: None,
    };
    let client = s.create_client(clinic.id, &fields, owner.id).unwrap();
    (clinic.id, client.id)
}

/// A value that does not decode (text where a number belongs, which SQLite's typing lets through) is an error
/// naming table and column, never a silent 0.
#[test]
fn sqlite_rows_that_do_not_decode_are_errors_naming_table_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("follicle.db");
    let s = sqlite::open(&path).unwrap();
    let (clinic, client) = one_client(&s);
    assert!(s.client(clinic, client).unwrap().created_at > 0);
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute(
        "UPDATE clients SET created_at = 'yesterday' WHERE id = ?1",
        [client.0],
    )
    .unwrap();
    let e = s.client(clinic, client).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the stored value in clients.created_at holds \"yesterday\" where a whole number belongs"
    );
}

/// A NULL where the type has a value (a column whose NOT NULL was dropped by hand) is an error naming table and
/// column, never an empty name.
#[test]
fn postgres_rows_that_do_not_decode_are_errors_naming_table_and_column() {
    let Some(url) = fresh_postgres("decode") else {
        return;
    };
    let s = follicle_store::open(&url).unwrap();
    let (clinic, client) = one_client(s.as_ref());
    let mut admin = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
    admin
        .batch_execute(
            "ALTER TABLE clients ALTER COLUMN name DROP NOT NULL; UPDATE clients SET name = NULL",
        )
        .unwrap();
    let e = s.client(clinic, client).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the stored value in clients.name is NULL where a value is required"
    );
}

/// One node stalled inside a write (frozen, cut off) does not stop the others' writes (outside test s43: its idle
/// transaction held the write lock until it resumed; every other node's writes waited, took their pools, and
/// were stored minutes after their requests had been answered "did not answer in time"). Its session is ended
/// after 5 s idle; a node busy holding the lock makes a waiting write give up after 10 s, rolled back and said
/// as "try again", never stored later.
#[test]
fn postgres_a_stalled_writer_does_not_stop_the_other_nodes() {
    let Some(url) = fresh_postgres("stall") else {
        return;
    };
    let s = postgres::open(&url).unwrap();
    let options = postgres::connect_options(&url).unwrap();
    // Another node's connection, with the same session limits, stalled inside a write.
    let mut stalled = options.config.connect(::postgres::NoTls).unwrap();
    stalled
        .batch_execute(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock({})",
            postgres::WRITE_LOCK
        ))
        .unwrap();
    let start = std::time::Instant::now();
    s.fill_clinic_time_zones("Europe/Warsaw").unwrap();
    let waited = start.elapsed().as_secs_f64();
    assert!(
        (3.0..9.0).contains(&waited),
        "the write waited {waited:.1} s for the stalled node"
    );
    assert!(
        stalled.batch_execute("COMMIT").is_err(),
        "the stalled node's session was ended"
    );
    // A node holding the lock while busy: the waiting write gives up, and nothing of it is stored later.
    let busy_url = url.clone();
    let busy = std::thread::spawn(move || {
        let mut c = postgres::connect_options(&busy_url)
            .unwrap()
            .config
            .connect(::postgres::NoTls)
            .unwrap();
        c.batch_execute(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock({}); SELECT pg_sleep(14); COMMIT",
            postgres::WRITE_LOCK
        ))
    });
    std::thread::sleep(std::time::Duration::from_secs(1));
    let start = std::time::Instant::now();
    let e = s.fill_clinic_time_zones("Europe/Warsaw").unwrap_err();
    let waited = start.elapsed().as_secs_f64();
    assert!(
        matches!(e, follicle_store::StoreError::Unavailable(_)),
        "{e:?}"
    );
    assert!((8.0..13.0).contains(&waited), "gave up after {waited:.1} s");
    busy.join().unwrap().unwrap();
}
