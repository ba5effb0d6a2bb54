//! `follicle records purge` through the real binary on a real SQLite studio: `--dry-run` lists the clients whose
//! retention has ended and changes nothing; only the owner may purge; the purge deletes exactly them (and their
//! photo files), is audited under the owner's name, and a second run finds nothing.

mod records_support;

use follicle_store::*;
use records_support::{fields, follicle, Studio};

#[test]
fn purge_the_clients_whose_retention_has_ended() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("follicle.db");
    let url = format!("sqlite:{}", db.display());
    let photo_dir = dir.path().join("photos");
    let (clinic, old, recent, sha) = {
        let st = Studio::new(&url, &photo_dir, &[("prac", Role::Practitioner)]);
        let old = st.treated_client(fields("old-1", "Client old-1"), "2012-04-02");
        let recent = st.treated_client(fields("new-1", "Client new-1"), "2025-04-02");
        let sha = st.photo(old, b"\x89PNG old client's photo");
        (st.clinic, old, recent, sha)
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
