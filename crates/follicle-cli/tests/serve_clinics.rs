//! `follicle serve --add-clinic`: a second clinic with its own owner on the same database (a chain), whose
//! owner sees none of the first clinic's clients; and the refusals around it.

mod serve_support;

use serde_json::json;
use serve_support::{db_url, Client, ServerProc};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// Runs `follicle serve --add-clinic` on `data` until it prints the new owner's password, then stops it.
fn add_clinic(data: &std::path::Path, clinic: &str, owner: &str) -> Result<String, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_follicle"))
        .args([
            "serve",
            "--database",
            &db_url(data),
            "--listen",
            "127.0.0.1:0",
            "--add-clinic",
            "--clinic",
            clinic,
            "--owner",
            owner,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines {
        let line = line.unwrap();
        if let Some(i) = line.find("password ") {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(line[i + 9..].split_whitespace().next().unwrap().to_string());
        }
    }
    let out = child.wait_with_output().unwrap();
    // miette wraps long lines; compare on the text with the wrapping undone.
    Err(String::from_utf8_lossy(&out.stderr)
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" "))
}

#[test]
fn a_second_clinic_gets_its_own_owner_and_sees_nothing_of_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("studio");
    // Before any clinic exists --add-clinic is refused.
    let err = add_clinic(&data, "Too early", "early").unwrap_err();
    assert!(err.contains("use --init for the first one"), "{err}");

    let first = ServerProc::start(&data, true);
    let a = Client::login(&first.addr, "owner", first.password.as_deref().unwrap());
    assert_eq!(
        a.post(
            "/api/clients",
            json!({ "reference": "a-1", "name": "First Client" })
        )
        .status,
        201
    );
    drop(first);

    let password = add_clinic(&data, "Second studio", "second").unwrap();
    // A user name already taken in another clinic is refused and nothing is created.
    let err = add_clinic(&data, "Third", "second").unwrap_err();
    assert!(
        err.contains("user names are unique across clinics"),
        "{err}"
    );

    let srv = ServerProc::start(&data, false);
    let b = Client::login(&srv.addr, "second", &password);
    let me = b.get("/api/me").json();
    assert_eq!(me["clinic"]["name"], "Second studio", "{me}");
    let list = b.get("/api/clients").json();
    assert_eq!(
        list["total"], 0,
        "the second clinic sees none of the first clinic's clients: {list}"
    );
}
