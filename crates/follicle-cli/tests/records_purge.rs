//! `follicle records purge` through the real binary on a real SQLite studio: `--dry-run` lists the clients whose
//! retention has ended and changes nothing; only the owner may purge; the purge deletes exactly them (and their
//! photo files), is audited under the owner's name, and a second run finds nothing.

use follicle_store::*;
use std::process::Command;

fn follicle(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_follicle"))
        .args(args)
        .env("FOLLICLE_TZ", "Europe/Warsaw")
        .output()
        .unwrap()
}

fn user(name: &str, role: Role) -> NewUser {
    NewUser {
        username: name.into(),
        display_name: name.into(),
        role,
        password_hash: "$argon2id$unused".into(),
    }
}

#[test]
fn purge_the_clients_whose_retention_has_ended() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("follicle.db");
    let url = format!("sqlite:{}", db.display());
    let photo_dir = dir.path().join("photos");
    let (clinic, old, recent, sha) = {
        let s = open(&url).unwrap();
        let photos = PhotoStore::for_store(s.clone(), &photo_dir).unwrap();
        let (c, o) = s
            .create_clinic_with_owner("Studio", &user("owner", Role::Owner))
            .unwrap();
        s.create_user(c.id, &user("prac", Role::Practitioner), o.id)
            .unwrap();
        let mut ids = Vec::new();
        for (reference, held_on) in [("old-1", "2012-04-02"), ("new-1", "2025-04-02")] {
            let client = s
                .create_client(
                    c.id,
                    &ClientFields {
                        reference: reference.into(),
                        name: format!("Client {reference}"),
                        date_of_birth: None,
                        email: None,
                        phone: None,
                    },
                    o.id,
                )
                .unwrap();
            s.add_session(
                c.id,
                client.id,
                &NewSession {
                    index: 1,
                    held_on: held_on.into(),
                    record_json: r#"{"index":1,"lot":"NC1-2409","practitioner":"prac"}"#.into(),
                },
                o.id,
            )
            .unwrap();
            ids.push(client.id);
        }
        let sha = photos.put(b"\x89PNG old client's photo").unwrap();
        s.add_photo(
            c.id,
            ids[0],
            &NewPhoto {
                sha256: sha.clone(),
                content_type: "image/png".into(),
                bytes: 16,
                width: 1,
                height: 1,
                caption: None,
                view: "front".into(),
            },
            o.id,
        )
        .unwrap();
        (c.id, ids[0], ids[1], sha)
    };
    let photo_file = || {
        walk(&photo_dir)
            .into_iter()
            .any(|p| p.to_string_lossy().contains(&sha[..16]))
    };
    assert!(photo_file(), "the photo file exists before the purge");

    // The dry run lists the old client only and changes nothing.
    let r = follicle(&[
        "records",
        "purge",
        "--database",
        &url,
        "--as",
        "owner",
        "--dry-run",
    ]);
    let out = String::from_utf8_lossy(&r.stdout);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(
        out.contains("1 client(s) whose 10-year retention has ended"),
        "{out}"
    );
    assert!(
        out.contains("old-1  last treatment 2012-04-02  retention ended 2022-04-02"),
        "{out}"
    );
    assert!(!out.contains("new-1"), "{out}");
    let s = open(&url).unwrap();
    assert!(s.client(clinic, old).is_ok(), "a dry run deletes nothing");

    // Only the owner purges.
    let r = follicle(&["records", "purge", "--database", &url, "--as", "prac"]);
    assert!(!r.status.success());
    assert!(
        String::from_utf8_lossy(&r.stderr).contains("only the clinic's owner may purge records")
    );
    assert!(s.client(clinic, old).is_ok());

    let r = follicle(&[
        "records",
        "purge",
        "--database",
        &url,
        "--as",
        "owner",
        "--reason",
        "yearly purge",
    ]);
    let out = String::from_utf8_lossy(&r.stdout);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(
        out.contains("purged 1 client(s)") && out.contains("old-1"),
        "{out}"
    );
    assert!(matches!(
        s.client(clinic, old),
        Err(StoreError::NotFound(_))
    ));
    assert!(s.client(clinic, recent).is_ok());
    assert!(!photo_file(), "the purged client's photo file is gone");
    let audit = s.audit(clinic, 50, 0).unwrap();
    assert!(audit.iter().any(|e| e.action == "purge"
        && e.client_id == Some(old)
        && e.detail.contains("yearly purge")));

    // Again: nothing left to do.
    let r = follicle(&["records", "purge", "--database", &url, "--as", "owner"]);
    assert!(r.status.success());
    assert!(String::from_utf8_lossy(&r.stdout).contains("purged 0 client(s)"));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}
