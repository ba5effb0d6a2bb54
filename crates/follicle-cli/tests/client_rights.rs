//! `follicle client export` and `follicle client erase` through the real binary on a real SQLite studio:
//! the archive holds the client's records and photo; erasure needs the owner and the reference typed again,
//! removes the identity and the photo file, keeps the treatment record under a pseudonym, and is audited.

mod records_support;

use follicle_store::*;
use records_support::{fields, follicle, Studio};
use std::process::Command;

#[test]
fn export_and_erase_a_client_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("follicle.db");
    let url = format!("sqlite:{}", db.display());
    let (clinic, client, photo_sha) = {
        let st = Studio::new(
            &url,
            &dir.path().join("photos"),
            &[("desk", Role::FrontDesk), ("prac", Role::Practitioner)],
        );
        let client = st.treated_client(
            ClientFields {
                date_of_birth: Some("1984-07-09".into()),
                email: Some("lz@example.org".into()),
                ..fields("lz-7", "Łukasz Żółkiewski-Søren 王")
            },
            "2026-03-10",
        );
        let sha = st.photo(client, b"\x89PNG not really");
        (st.clinic, client, sha)
    };
    let zip = dir.path().join("lz-7.zip");
    let zip_s = zip.to_str().unwrap();

    // Export: front desk may not; a practitioner may; never over an existing file.
    let r = follicle(&[
        "client",
        "export",
        "--database",
        &url,
        "--as",
        "desk",
        "--client",
        "lz-7",
        "--out",
        zip_s,
    ]);
    assert!(!r.status.success());
    assert!(String::from_utf8_lossy(&r.stderr).contains("only the owner and practitioners"));
    let r = follicle(&[
        "client",
        "export",
        "--database",
        &url,
        "--as",
        "prac",
        "--client",
        "lz-7",
        "--out",
        zip_s,
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let bytes = std::fs::read(&zip).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip archive");
    let listing = Command::new("python3")
        .args(["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print('\\n'.join(z.namelist())); print(z.read('records.json').decode())", zip_s])
        .output()
        .unwrap();
    let listing = String::from_utf8(listing.stdout).unwrap();
    for want in [
        "README.txt",
        "records.json",
        "documents/treatment-report.pdf",
        "photos/photo-1.png",
        "Łukasz Żółkiewski-Søren 王",
        "NC1-2409",
    ] {
        assert!(listing.contains(want), "{want} in the archive:\n{listing}");
    }
    let r = follicle(&[
        "client",
        "export",
        "--database",
        &url,
        "--as",
        "prac",
        "--client",
        "lz-7",
        "--out",
        zip_s,
    ]);
    assert!(!r.status.success(), "never overwrites");
    let r = follicle(&[
        "client",
        "export",
        "--database",
        &url,
        "--as",
        "prac",
        "--client",
        "nobody",
        "--out",
        &format!("{zip_s}.2"),
    ]);
    assert!(String::from_utf8_lossy(&r.stderr).contains("no client with the reference `nobody`"));

    // Erase: the owner only, with the reference typed again.
    let erase = |who: &str, confirm: &str| {
        follicle(&[
            "client",
            "erase",
            "--database",
            &url,
            "--as",
            who,
            "--client",
            "lz-7",
            "--confirm",
            confirm,
            "--reason",
            "asked in person",
        ])
    };
    let r = erase("prac", "lz-7");
    assert!(!r.status.success());
    assert!(String::from_utf8_lossy(&r.stderr).contains("only the clinic's owner"));
    let r = erase("owner", "lz-");
    assert!(!r.status.success());
    assert!(String::from_utf8_lossy(&r.stderr).contains("lz-7"));
    let r = erase("owner", "lz-7");
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let said = String::from_utf8(r.stdout).unwrap();
    assert!(
        said.contains(&format!("kept as erased-{client} until 2036-03-10")),
        "{said}"
    );

    let s = open(&url).unwrap();
    let kept = s.client(clinic, client).unwrap();
    assert_eq!(kept.fields.name, format!("Erased client {client}"));
    assert_eq!(kept.fields.email, None);
    assert_eq!(s.sessions(clinic, client).unwrap().len(), 1);
    assert!(s.photos(clinic, client).unwrap().is_empty());
    let file = dir
        .path()
        .join("photos")
        .join(&photo_sha[..2])
        .join(format!("{photo_sha}.bin"));
    assert!(!file.exists(), "the photo file is gone");
    let audit = s.audit(clinic, 10, 0).unwrap();
    let row = audit.iter().find(|a| a.action == "erase").unwrap();
    assert_eq!(
        row.user_id,
        s.user_for_login("owner").unwrap().map(|(u, _)| u.id)
    );
    assert!(audit
        .iter()
        .any(|a| a.action == "export" && a.detail.contains("command line")));
}
