//! The plan-on-photo preview attacked through the real `follicle serve` binary: sixteen preview requests at once
//! on a photo near the size cap (35 megapixels), each for a different viewing distance so that none is served from
//! the cache. The server's resident memory (read from /proc) stays bounded, because photos are decoded a few at a
//! time, and /api/health keeps answering while they render (the rendering is off the async worker threads).

mod serve_support;

use serde_json::json;
use serve_support::{Client, ServerProc, CASE};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const INTAKE: &str = include_str!("../../../examples/intake-norwood6-go.toml");
/// The photo: 7000×5000 pixels (35 MP, under the 51 MP cap): 105 MB of RGB once decoded.
const W: u32 = 7000;
const H: u32 = 5000;
/// Requests at once.
const PARALLEL: usize = 16;
/// Most resident memory the server may reach meanwhile. Sixteen decodes at once would need 16 × 105 MB for the
/// decoded pixels alone (about 500 MiB each with the decoder and the scaling); the decode cap allows two, plus
/// the plans and the rendering (measured: peak about 1 GiB).
const MAX_RSS_BYTES: u64 = 1536 << 20;

/// A smooth 7000×5000 PNG (a few MB on the wire: well under the upload limit, huge once decoded).
fn big_png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(W, H, |x, y| {
        image::Rgb([(x / 40) as u8, (y / 30) as u8, ((x + y) / 80) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Resident memory of a process, bytes (VmRSS in /proc/PID/status).
fn rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

#[test]
fn sixteen_huge_photo_previews_at_once_keep_memory_bounded_and_health_answering() {
    let dir = tempfile::tempdir().unwrap();
    let srv = ServerProc::start(dir.path(), true);
    let pid = srv.child.id();
    let owner = Client::login(&srv.addr, "owner", srv.password.as_deref().unwrap());

    // A client with a screened consultation, a plan, and a 35 MP photo with its landmarks.
    let intake = follicle_clinic::Intake::from_toml(INTAKE).unwrap();
    let client = owner
        .post(
            "/api/clients",
            json!({ "reference": intake.client.id, "name": "Big Photo" }),
        )
        .json()["id"]
        .as_i64()
        .unwrap();
    let r = owner.post(
        &format!("/api/clients/{client}/consultations"),
        serde_json::to_value(&intake).unwrap(),
    );
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let r = owner.post(
        &format!("/api/clients/{client}/plans"),
        json!({ "case": CASE }),
    );
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let plan = r.json()["id"].as_i64().unwrap();
    let png = big_png();
    let up = owner
        .send(
            "POST",
            &format!("/api/clients/{client}/photos"),
            Some("image/png"),
            &png,
        )
        .unwrap();
    assert_eq!(up.status, 201, "{}", String::from_utf8_lossy(&up.body));
    let photo = up.json()["id"].as_i64().unwrap();
    let marks = json!({
        "glabella": [3200.0, 4000.0],
        "mid_frontal": [3200.0, 800.0],
        "lateral_canthus_left": [5050.0, 4400.0],
        "lateral_canthus_right": [1350.0, 4400.0],
    });
    let r = owner
        .send(
            "PUT",
            &format!("/api/photos/{photo}/landmarks"),
            Some("application/json"),
            marks.to_string().as_bytes(),
        )
        .unwrap();
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let before = rss(pid);

    // Memory sampled every 20 ms and /api/health asked every 100 ms while the previews render.
    let done = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicU64::new(0));
    let sampler = {
        let (done, peak) = (done.clone(), peak.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(rss(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let health = {
        let (done, anon) = (
            done.clone(),
            Client {
                addr: srv.addr.clone(),
                ..Client::default()
            },
        );
        std::thread::spawn(move || {
            let mut slowest = Duration::ZERO;
            let mut asked = 0;
            while !done.load(Ordering::Relaxed) {
                let t = Instant::now();
                let r = anon.get("/api/health");
                assert_eq!(r.status, 200, "health during the previews");
                slowest = slowest.max(t.elapsed());
                asked += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
            (asked, slowest)
        })
    };
    let started = Instant::now();
    let previews: Vec<_> = (0..PARALLEL)
        .map(|i| {
            let owner = owner.clone();
            std::thread::spawn(move || {
                let distance = 400 + 50 * i;
                // The before picture: made with the whole triple, as every stage is, and served even though
                // this smooth test pattern is no head for the plan to lie on (its after picture is refused
                // as "not one to show the client" since s21).
                owner
                    .send_with(
                        "GET",
                        &format!("/api/plans/{plan}/photos/{photo}/preview.png?stage=before&distance={distance}"),
                        &[],
                        None,
                        &[],
                    )
                    .unwrap()
            })
        })
        .collect();
    // Each is drawn, or, when its turn to decode does not come within the request timeout (a loaded machine), told
    // to try again in the JSON error shape; never an error of another kind or a dropped connection.
    let mut drawn = 0;
    for p in previews {
        let r = p.join().unwrap();
        if r.status == 503 {
            assert_eq!(
                r.json()["error"]["status"],
                503,
                "{}",
                String::from_utf8_lossy(&r.body)
            );
            continue;
        }
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        assert!(r.body.starts_with(b"\x89PNG"), "a PNG");
        drawn += 1;
    }
    assert!(drawn >= 2, "only {drawn} of {PARALLEL} previews were drawn");
    let took = started.elapsed();
    done.store(true, Ordering::Relaxed);
    sampler.join().unwrap();
    let (asked, slowest) = health.join().unwrap();
    let peak = peak.load(Ordering::Relaxed);
    eprintln!(
        "{PARALLEL} previews ({drawn} drawn, {} told to try again) of a {W}×{H} photo ({} bytes) in {:.1} s; server RSS {} MiB before, peak {} MiB; \
         /api/health answered {asked} times, slowest {} ms",
        PARALLEL - drawn,
        png.len(),
        took.as_secs_f64(),
        before >> 20,
        peak >> 20,
        slowest.as_millis()
    );
    assert!(peak > 0, "the server's memory was read from /proc");
    assert!(
        peak < MAX_RSS_BYTES,
        "server RSS reached {} MiB (limit {} MiB)",
        peak >> 20,
        MAX_RSS_BYTES >> 20
    );
    assert!(asked >= 2, "health was asked while the previews rendered");
    // Not a timing test: a health check stuck behind the renders would wait for them (tens of seconds).
    assert!(
        slowest < Duration::from_secs(5),
        "/api/health took {} ms while previews rendered",
        slowest.as_millis()
    );
}
