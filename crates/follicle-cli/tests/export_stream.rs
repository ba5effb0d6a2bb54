//! "Export everything about this client" keeps memory bounded whatever the photos weigh: a client with
//! 40 photos of 8 MB (320 MB) is exported through the real `follicle serve` (GET /api/clients/{id}/export)
//! and through `follicle client export`; both archives open with Python's zipfile and hold every photo byte
//! for byte, and neither process's peak resident memory comes near the archive's size (the archive is
//! written to a temporary file and streamed from it, never held in memory).

mod serve_support;

use follicle_store::*;
use serve_support::{Client, ServerProc};
use std::process::Command;

const PHOTOS: usize = 40;
const PHOTO_BYTES: usize = 8 * 1024 * 1024;
/// Peak resident memory either process may reach (the archive is 320 MB; one photo is 8 MB).
const PEAK_LIMIT_KB: u64 = 160 * 1024;

/// `len` pseudo-random bytes from `seed` (xorshift64*: incompressible, different for every seed).
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        out.extend_from_slice(&x.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    out.truncate(len);
    out
}

/// Peak resident set of a running process, in kB (Linux `/proc/PID/status`, `VmHWM`).
fn peak_rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status")
}

/// The SHA-256 of every photo in a zip archive, by name, read with Python's zipfile (an independent reader).
fn photo_hashes(zip: &std::path::Path) -> serde_json::Value {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys, json, hashlib, zipfile\n\
             z = zipfile.ZipFile(sys.argv[1])\n\
             assert z.testzip() is None, 'a damaged entry'\n\
             print(json.dumps({n: hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist() if n.startswith('photos/')}))",
            zip.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "zipfile opens the archive: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_client_with_320_mb_of_photos_is_exported_in_bounded_memory() {
    let data = tempfile::tempdir().unwrap();
    let server = ServerProc::start(data.path(), true);
    let url = serve_support::db_url(data.path());
    let (client_id, expected) = {
        let s = open(&url).unwrap();
        let photos = PhotoStore::for_store(s.clone(), &data.path().join("photos")).unwrap();
        let (owner, _) = s.user_for_login("owner").unwrap().unwrap();
        let client = s
            .create_client(
                owner.clinic_id,
                &ClientFields {
                    reference: "heavy-1".into(),
                    name: "Marta Kowalczyk".into(),
                    date_of_birth: Some("1979-02-11".into()),
                    email: None,
                    phone: None,
                },
                owner.id,
            )
            .unwrap();
        let mut expected = serde_json::Map::new();
        for i in 0..PHOTOS {
            let bytes = noise(i as u64 + 1, PHOTO_BYTES);
            let sha = photos.put(&bytes).unwrap();
            let p = s
                .add_photo(
                    owner.clinic_id,
                    client.id,
                    &NewPhoto {
                        sha256: sha.clone(),
                        content_type: "image/jpeg".into(),
                        bytes: PHOTO_BYTES as i64,
                        width: 2000,
                        height: 1000,
                        caption: None,
                        view: "front".into(),
                    },
                    owner.id,
                )
                .unwrap();
            expected.insert(format!("photos/photo-{}.jpg", p.id), sha.into());
        }
        (client.id, serde_json::Value::Object(expected))
    };

    // Through the API of the real server.
    let pid = server.child.id();
    let owner = Client::login(&server.addr, "owner", server.password.as_deref().unwrap());
    let before = peak_rss_kb(pid);
    let r = owner.get(&format!("/api/clients/{client_id}/export"));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("content-type"), Some("application/zip"));
    let after = peak_rss_kb(pid);
    assert!(
        r.body.len() > PHOTOS * PHOTO_BYTES,
        "{} bytes",
        r.body.len()
    );
    let zip = data.path().join("from-the-api.zip");
    std::fs::write(&zip, &r.body).unwrap();
    drop(r);
    assert_eq!(photo_hashes(&zip), expected, "every photo byte for byte");
    std::fs::remove_file(&zip).unwrap();
    eprintln!(
        "follicle serve: peak resident memory {before} kB before the export, {after} kB after ({} MB archive)",
        PHOTOS * PHOTO_BYTES / (1024 * 1024)
    );
    assert!(
        after < PEAK_LIMIT_KB,
        "the server's peak resident memory reached {after} kB exporting a {} MB archive",
        PHOTOS * PHOTO_BYTES / (1024 * 1024)
    );
    drop(server);

    // Through the command line: Python runs it and reads its peak resident memory (ru_maxrss, kB on Linux).
    let out = data.path().join("from-the-cli.zip");
    let run = Command::new("python3")
        .args([
            "-c",
            "import sys, subprocess, resource\n\
             r = subprocess.run(sys.argv[1:])\n\
             print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n\
             sys.exit(r.returncode)",
            env!("CARGO_BIN_EXE_follicle"),
            "client",
            "export",
            "--database",
            &url,
            "--as",
            "owner",
            "--client",
            "heavy-1",
            "--out",
            out.to_str().unwrap(),
        ])
        .env("FOLLICLE_TZ", "Europe/Warsaw")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8(run.stdout).unwrap();
    let peak: u64 = stdout.lines().last().unwrap().trim().parse().unwrap();
    assert_eq!(photo_hashes(&out), expected, "every photo byte for byte");
    let leftovers: Vec<_> = std::fs::read_dir(data.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp") || n.starts_with(".from-the-cli"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary left: {leftovers:?}");
    eprintln!("follicle client export: peak resident memory {peak} kB");
    assert!(
        peak < PEAK_LIMIT_KB,
        "the command's peak resident memory reached {peak} kB"
    );
}
