//! The kill -9 test: the real `follicle serve` binary on a SQLite data directory is killed with SIGKILL while
//! two writers upload photos and save plans; it is restarted on the same directory several times. Every write
//! that was acknowledged (2xx received) must survive intact, the database must pass `integrity_check`, every
//! stored row must be whole (a photo row always has its file, whose bytes hash to its name), and the leftovers
//! of the killed writes (temporary files, orphan photo files) must break nothing.

mod serve_support;

use serde_json::json;
use serve_support::{files_under, png, Client, ServerProc, CASE};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Kill-and-restart rounds.
const ROUNDS: usize = 3;

#[derive(Default)]
struct Acked {
    /// photo id → (the bytes sent, their SHA-256)
    photos: BTreeMap<i64, (Vec<u8>, String)>,
    /// plan ids acknowledged
    plans: Vec<i64>,
    /// photo bytes sent whose reply never came (the server died mid-request)
    lost_photos: Vec<Vec<u8>>,
}

#[test]
fn acknowledged_writes_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let first = ServerProc::start(&data, true);
    let password = first.password.clone().unwrap();
    let owner = Client::login(&first.addr, "owner", &password);
    let r = owner.post(
        "/api/clients",
        json!({ "reference": "k-1", "name": "Killed Midwrite" }),
    );
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let client = r.json()["id"].as_i64().unwrap();
    let case = follicle_case::parse("case.toml", CASE, &Default::default()).unwrap();
    let expected_plan =
        follicle_export::plan_to_json(&follicle_core::plan::plan(&case.design).unwrap());

    let acked = Arc::new(Mutex::new(Acked::default()));
    let counter = Arc::new(AtomicUsize::new(0));
    let mut server = Some(first);
    for round in 0..ROUNDS {
        let srv = server.take().unwrap();
        let session = owner.at(&srv.addr);
        let stop = Arc::new(AtomicBool::new(false));
        let (photos_before, plans_before) = {
            let a = acked.lock().unwrap();
            (a.photos.len(), a.plans.len())
        };
        // Writer 1: photo uploads, each a different valid PNG.
        let photo_writer = {
            let (s, stop, acked, counter) = (
                session.clone(),
                stop.clone(),
                acked.clone(),
                counter.clone(),
            );
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let n = counter.fetch_add(1, Ordering::SeqCst) as u32;
                    let bytes = png(n, 260 + n % 64, 260);
                    match s.send(
                        "POST",
                        &format!("/api/clients/{client}/photos?caption=k{n}"),
                        Some("image/png"),
                        &bytes,
                    ) {
                        Ok(r) if r.status == 201 => {
                            let v = r.json();
                            assert_eq!(
                                v["sha256"].as_str(),
                                Some(follicle_store::sha256_hex(&bytes).as_str())
                            );
                            acked.lock().unwrap().photos.insert(
                                v["id"].as_i64().unwrap(),
                                (bytes.clone(), follicle_store::sha256_hex(&bytes)),
                            );
                        }
                        Ok(r) => panic!(
                            "photo upload refused: {} {}",
                            r.status,
                            String::from_utf8_lossy(&r.body)
                        ),
                        Err(_) => {
                            acked.lock().unwrap().lost_photos.push(bytes);
                            return;
                        }
                    }
                }
            })
        };
        // Writer 2: plan saves through the planning engine.
        let plan_writer = {
            let (s, stop, acked) = (session.clone(), stop.clone(), acked.clone());
            std::thread::spawn(move || {
                // Each save under its own label: the same plan sent again is stored once.
                let mut n = 0u64;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    match s.send(
                        "POST",
                        &format!("/api/clients/{client}/plans"),
                        Some("application/json"),
                        json!({ "case": CASE, "label": format!("round {round}, save {n}") })
                            .to_string()
                            .as_bytes(),
                    ) {
                        Ok(r) if r.status == 201 => acked
                            .lock()
                            .unwrap()
                            .plans
                            .push(r.json()["id"].as_i64().unwrap()),
                        Ok(r) => panic!(
                            "plan save refused: {} {}",
                            r.status,
                            String::from_utf8_lossy(&r.body)
                        ),
                        Err(_) => return,
                    }
                }
            })
        };
        // Kill once a few writes of each kind are acknowledged, while both writers are still sending.
        let t = Instant::now();
        loop {
            let a = acked.lock().unwrap();
            if a.photos.len() >= photos_before + 8 && a.plans.len() >= plans_before + 2 {
                break;
            }
            drop(a);
            assert!(t.elapsed() < Duration::from_secs(120), "writes too slow");
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(7 * round as u64 + 3));
        srv.kill9();
        stop.store(true, Ordering::SeqCst);
        photo_writer.join().unwrap();
        plan_writer.join().unwrap();

        // The database file, as the next process finds it, is intact.
        {
            let c = rusqlite::Connection::open(data.join("follicle.db")).unwrap();
            let ok: String = c
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .unwrap();
            assert_eq!(ok, "ok", "after kill {round}");
            let fk: Vec<String> = c
                .prepare("PRAGMA foreign_key_check")
                .unwrap()
                .query_map([], |r| r.get::<_, String>(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert!(
                fk.is_empty(),
                "dangling references after kill {round}: {fk:?}"
            );
        }
        server = Some(ServerProc::start(&data, false));
    }

    let srv = server.take().unwrap();
    let s = owner.at(&srv.addr);
    assert_eq!(
        s.get("/api/me").status,
        200,
        "the acknowledged login session survived every kill"
    );
    let a = acked.lock().unwrap();
    eprintln!(
        "{ROUNDS} kills: {} photo uploads and {} plan saves acknowledged, {} photo uploads cut off",
        a.photos.len(),
        a.plans.len(),
        a.lost_photos.len()
    );
    assert!(a.photos.len() >= 8 * ROUNDS && a.plans.len() >= 2 * ROUNDS);

    // Every acknowledged write is there, byte for byte.
    for (id, (bytes, sha)) in &a.photos {
        let r = s.get(&format!("/api/photos/{id}"));
        assert_eq!(r.status, 200, "acknowledged photo {id} lost");
        assert_eq!(&follicle_store::sha256_hex(&r.body), sha);
        assert!(&r.body == bytes);
    }
    for id in &a.plans {
        let r = s.get(&format!("/api/plans/{id}/plan.json"));
        assert_eq!(r.status, 200, "acknowledged plan {id} lost");
        assert!(
            r.body == expected_plan.as_bytes(),
            "plan {id}: plan.json differs from plan_to_json"
        );
    }

    // Every stored row is whole: each listed photo (acknowledged or committed just before the kill) has its
    // file, which hashes to its name; each listed plan reads back as a complete plan.json.
    let listed = s.get(&format!("/api/clients/{client}/photos")).json();
    assert!(listed.as_array().unwrap().len() >= a.photos.len());
    for p in listed.as_array().unwrap() {
        let r = s.get(&format!("/api/photos/{}", p["id"]));
        assert_eq!(r.status, 200, "photo row {} without its file", p["id"]);
        assert_eq!(
            follicle_store::sha256_hex(&r.body),
            p["sha256"].as_str().unwrap()
        );
        assert_eq!(r.body.len() as i64, p["bytes"].as_i64().unwrap());
    }
    let plans = s.get(&format!("/api/clients/{client}/plans")).json();
    assert!(plans.as_array().unwrap().len() >= a.plans.len());
    for p in plans.as_array().unwrap() {
        let r = s.get(&format!("/api/plans/{}/plan.json", p["id"]));
        assert!(
            r.body == expected_plan.as_bytes(),
            "stored plan {} is not whole",
            p["id"]
        );
    }

    // Leftovers of the cut-off writes break nothing: temporary files are never served, and uploading the
    // bytes whose reply never came works (reusing an orphan file when the bytes got that far).
    let photo_dir = data.join("photos");
    for f in files_under(&photo_dir) {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let ok = name.ends_with(".tmp") && name.starts_with('.')
            || name.ends_with(".bin")
            || name.ends_with(".thumb.jpg");
        assert!(ok, "unexpected file {}", f.display());
        if name.ends_with(".bin") {
            assert_eq!(
                follicle_store::sha256_hex(&std::fs::read(&f).unwrap()),
                name.trim_end_matches(".bin"),
                "a photo file under a wrong name"
            );
        }
    }
    for bytes in &a.lost_photos {
        let r = s
            .send(
                "POST",
                &format!("/api/clients/{client}/photos"),
                Some("image/png"),
                bytes,
            )
            .unwrap();
        // 201, or 200 with `already_stored` where the row landed before the kill and only the reply was lost.
        assert!(
            r.status == 201 || (r.status == 200 && r.json()["already_stored"] == true),
            "{} {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        );
        assert!(s.get(&format!("/api/photos/{}", r.json()["id"])).body == *bytes);
    }
    let r = s.post(
        &format!("/api/clients/{client}/plans"),
        json!({ "case": CASE }),
    );
    assert_eq!(r.status, 201);
}
