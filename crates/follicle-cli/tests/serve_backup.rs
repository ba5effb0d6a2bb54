//! `follicle backup` while `follicle serve` is taking writes, then `follicle restore` into a fresh directory and
//! a server started on it: the records written before the backup are all there, byte for byte, and the
//! snapshot is consistent (every photo row has its file).

mod serve_support;

use serde_json::json;
use serve_support::{png, Client, ServerProc, CASE};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

fn follicle(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_follicle"))
        .args(args)
        .output()
        .expect("the follicle binary runs")
}

#[test]
fn backup_while_serving_and_restore_into_a_fresh_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("live");
    let srv = ServerProc::start(&data, true);
    let password = srv.password.clone().unwrap();
    let s = Client::login(&srv.addr, "owner", &password);
    let client = s
        .post(
            "/api/clients",
            json!({ "reference": "b-1", "name": "Backed Up" }),
        )
        .json()["id"]
        .as_i64()
        .unwrap();
    let photo = png(7, 320, 260);
    let r = s
        .send(
            "POST",
            &format!("/api/clients/{client}/photos"),
            Some("image/png"),
            &photo,
        )
        .unwrap();
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let photo_id = r.json()["id"].as_i64().unwrap();
    let plan_id = s
        .post(
            &format!("/api/clients/{client}/plans"),
            json!({ "case": CASE }),
        )
        .json()["id"]
        .as_i64()
        .unwrap();
    let plan_json = s.get(&format!("/api/plans/{plan_id}/plan.json")).body;

    // Writes keep coming while the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (s, stop) = (s.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut n = 0u32;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                let c = s.post(
                    "/api/clients",
                    json!({ "reference": format!("w-{n}"), "name": format!("Walk-in {n}") }),
                );
                assert_eq!(c.status, 201);
                let id = c.json()["id"].as_i64().unwrap();
                let r = s
                    .send(
                        "POST",
                        &format!("/api/clients/{id}/photos"),
                        Some("image/png"),
                        &png(1000 + n, 260, 260),
                    )
                    .unwrap();
                assert_eq!(r.status, 201);
            }
            n
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(200));
    let archive = dir.path().join("backups/studio.tar");
    let db_url = serve_support::db_url(&data);
    let out = follicle(&[
        "backup",
        "--database",
        &db_url,
        "--out",
        archive.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stop.store(true, Ordering::SeqCst);
    let during = writer.join().unwrap();
    eprintln!(
        "{}; {during} client+photo writes ran beside it",
        String::from_utf8_lossy(&out.stdout).trim()
    );
    let again = follicle(&[
        "backup",
        "--database",
        &db_url,
        "--out",
        archive.to_str().unwrap(),
    ]);
    assert!(
        !again.status.success(),
        "an existing archive is never overwritten"
    );
    srv.kill9();

    // Restore into a fresh directory and serve it.
    let fresh = dir.path().join("restored");
    let fresh_url = serve_support::db_url(&fresh);
    let out = follicle(&[
        "restore",
        "--from",
        archive.to_str().unwrap(),
        "--database",
        &fresh_url,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = follicle(&[
        "restore",
        "--from",
        archive.to_str().unwrap(),
        "--database",
        &fresh_url,
    ]);
    assert!(
        !out.status.success(),
        "restore never replaces an existing database"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));

    let srv = ServerProc::start(&fresh, false);
    let s = Client::login(&srv.addr, "owner", &password);
    assert_eq!(
        s.get(&format!("/api/clients/{client}")).json()["name"],
        "Backed Up"
    );
    assert!(s.get(&format!("/api/photos/{photo_id}")).body == photo);
    assert!(s.get(&format!("/api/plans/{plan_id}/plan.json")).body == plan_json);
    // The snapshot is consistent: every client it holds has whole photo rows.
    let clients = s.get("/api/clients?limit=500").json();
    let total = clients["total"].as_i64().unwrap();
    assert!(total >= 1);
    for c in clients["items"].as_array().unwrap() {
        for p in s
            .get(&format!("/api/clients/{}/photos", c["id"]))
            .json()
            .as_array()
            .unwrap()
        {
            let r = s.get(&format!("/api/photos/{}", p["id"]));
            assert_eq!(
                r.status, 200,
                "photo row {} restored without its file",
                p["id"]
            );
            assert_eq!(
                follicle_store::sha256_hex(&r.body),
                p["sha256"].as_str().unwrap()
            );
        }
    }
    // The audit log came along (append-only, in the same database).
    assert!(s
        .get("/api/audit?limit=500")
        .json()
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["entity"] == "plan" && e["action"] == "create"));
}

#[test]
fn postgres_backup_points_to_pg_dump() {
    let out = follicle(&[
        "backup",
        "--database",
        "postgres://u:secret@127.0.0.1:1/db",
        "--out",
        "/nonexistent/x.tar",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("pg_dump") && !err.contains("secret"), "{err}");
}
