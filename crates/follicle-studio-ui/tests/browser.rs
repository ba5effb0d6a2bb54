//! Browser tests: each starts the studio (API + UI, SQLite in a temporary directory) on a free port and runs
//! a Node script under e2e/ that drives Debian's Chromium with playwright-core. They fail, saying what to
//! install, when Chromium or the e2e dependencies are missing. Screenshots and measured figures land in
//! e2e/artefacts/.

use follicle_server::{AppState, Settings};
use follicle_store::PhotoStore;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// One browser at a time: the machine is small and the tests measure latency.
static BROWSER: Mutex<()> = Mutex::new(());

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Fails with the fix when something the browser tests need is missing.
fn require_tools() {
    assert!(Path::new("/usr/bin/chromium").exists(), "Chromium is missing: install it with `apt-get install -y chromium` (Debian's package; scripts/test.sh does this)");
    assert!(
        crate_dir().join("e2e/node_modules/playwright-core/package.json").exists(),
        "playwright-core is missing: run `npm ci --prefix crates/follicle-studio-ui/e2e` (scripts/test.sh does this)"
    );
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.map(|o| o.status.success()).unwrap_or(false),
        "Node.js is missing: install it with `apt-get install -y nodejs npm`"
    );
}

/// Starts the studio on 127.0.0.1:<free port>; returns its base URL and the set-up token.
fn start_studio(rt: &tokio::runtime::Runtime, dir: &Path) -> (String, String) {
    let store = follicle_store::open(&format!("sqlite:{}", dir.join("follicle.db").display()))
        .expect("open the SQLite store");
    let photos = PhotoStore::new(&dir.join("photos")).expect("photo directory");
    let state = AppState::new(store, photos, Settings::default());
    let token = state
        .arm_setup_token()
        .expect("count users")
        .expect("a new studio has no users");
    let app = follicle_server::router(state).merge(follicle_studio_ui::router());
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind a free port");
    let addr = listener.local_addr().expect("local address");
    rt.spawn(async move { axum::serve(listener, app).await.expect("serve") });
    (format!("http://{addr}"), token)
}

/// Runs one e2e script against a fresh studio and returns the JSON result it wrote.
fn run_script(script: &str, result: &str) -> serde_json::Value {
    require_tools();
    let _one = BROWSER.lock().unwrap_or_else(|p| p.into_inner());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let dir = tempfile::tempdir().expect("temporary directory");
    let (base, token) = start_studio(&rt, dir.path());
    let artefacts = crate_dir().join("e2e/artefacts");
    let _ = std::fs::remove_file(artefacts.join(format!("{result}.json")));
    let status = Command::new("node")
        .arg(script)
        .current_dir(crate_dir().join("e2e"))
        .env("BASE_URL", &base)
        .env("SETUP_TOKEN", &token)
        .env("ARTEFACTS", &artefacts)
        .status()
        .expect("run node");
    assert!(status.success(), "the browser test {script} failed ({status}); see its output above and the screenshots in {}", artefacts.display());
    let text = std::fs::read_to_string(artefacts.join(format!("{result}.json")))
        .expect("the script writes its result");
    rt.shutdown_background();
    serde_json::from_str(&text).expect("result JSON")
}

/// Edit-to-picture time is reported, not a pass mark (timing belongs in benchmarks); only a preview that
/// takes longer than this fails (the target is 300 ms, issue 10).
const PREVIEW_BOUND_MS: f64 = 3000.0;

#[test]
fn whole_path_in_the_browser_with_live_preview() {
    let r = run_script("studio.test.mjs", "studio");
    let max = r["preview_latency_ms"]["max"]
        .as_f64()
        .expect("latency measured");
    println!("live preview: {}", r["preview_latency_ms"]);
    println!(
        "plan generation round trip: {} ms",
        r["generate_round_trip_ms"]
    );
    println!(
        "before/after on the mannequin (preview.png round trips): {}",
        r["before_after_round_trip_ms"]
    );
    assert!(
        max < PREVIEW_BOUND_MS,
        "live preview took {max} ms (target 300 ms, bound {PREVIEW_BOUND_MS} ms)"
    );
}

#[test]
fn front_desk_cannot_open_medical_history() {
    let r = run_script("front-desk.test.mjs", "front-desk");
    assert_eq!(r["refused_status"], 403);
}

#[test]
fn proposed_landmarks_on_a_real_photo() {
    let r = run_script("landmarks.test.mjs", "landmarks");
    if r["skipped"] == true {
        println!("skipped: ../shared/photos is absent");
        return;
    }
    println!(
        "proposed landmarks vs hand marks (mm at {} px/mm): {}; on the photo moved on a larger canvas {} mm; first run {} ms, again {} ms ({} backend)",
        r["px_per_mm"], r["errors_mm"], r["shift_mm"], r["first_ms"], r["again_ms"], r["backend"]
    );
    // A proposal the practitioner confirms or drags: each point within a few mm of the hand mark. Measured
    // 7.7 / 5.5 / 4.5 mm with the network's raw points, 5.2 / 3.2 / 3.3 mm with the offsets measured on
    // eight hand-marked photos (session 34, `FACE_MARK_OFFSETS`; the README's glabella lies 4 mm off the
    // nose bridge's line, on his right brow's inner end, where the proposal's does not follow it).
    for k in ["glabella", "lateral_canthus_right", "lateral_canthus_left"] {
        let e = r["errors_mm"][k].as_f64().expect("error measured");
        assert!(e < 6.5, "{k} proposed {e} mm from the hand mark");
    }
    // Kept on the server: another tablet (a fresh browser) sees the marks as proposed, a reload keeps the
    // dragged mark confirmed and the others proposed, and no browser storage holds any of it.
    println!(
        "other tablet: {}; after a reload: {}",
        r["other_tablet"], r["after_reload"]
    );
    assert_eq!(
        r["other_tablet"]["unconfirmed"], "glabella,lateral_canthus_right,lateral_canthus_left",
        "{r}"
    );
    assert_eq!(r["other_tablet"]["local_storage"], 0, "{r}");
    assert_eq!(r["confirmed_on_server"], true, "{r}");
    assert_eq!(
        r["after_reload"], "lateral_canthus_right,lateral_canthus_left",
        "{r}"
    );
}

#[test]
fn plan_on_the_clients_photo_switches_within_300_ms() {
    let r = run_script("photo-preview.test.mjs", "photo-preview");
    println!(
        "preview on the {} photo: switches {} ms (median {} ms, max {} ms)",
        r["photo"], r["switches_ms"], r["median_ms"], r["max_ms"]
    );
    // Timing is not a test: the target is 300 ms; only a generous bound fails.
    let max = r["max_ms"].as_f64().expect("switch time measured");
    assert!(max < 3000.0, "a stage or state switch took {max} ms");
    // The advice beside the picture: on the real photo the default guard is the one whose sides match
    // (razor: his dark 0.5 mm clip stays far darker than the treated top), a 0.5 mm guard is warned about
    // in words naming it, and the shade shows a swatch on his own skin for every zone.
    // Without the real photo (a clone without ../shared) the synthetic mannequin photo has no retained hair
    // to sample a shade from: the guard advice is still given.
    // Several photos, one head: a left photo of the same client, uploaded with its view, labelled, marked
    // with the left view's landmarks, fitted and previewed; a mark moved 15 mm is named.
    let v = &r["views"];
    println!("left view: {v}");
    assert!(
        v["label"].as_str().is_some_and(|t| t.contains("left side")),
        "{v}"
    );
    assert!(
        v["words"]
            .as_str()
            .is_some_and(|t| t.starts_with("All 7 marks fit the head within")),
        "{v}"
    );
    assert!(
        v["culprit"]
            .as_str()
            .is_some_and(|t| t.contains("the left tragion mark looks wrong")),
        "{v}"
    );
    assert_eq!(v["preview_width"], 480, "{v}");
    // Marks proposed from the face and not yet confirmed: the preview says so until they are confirmed.
    assert!(
        v["proposed_warning"]
            .as_str()
            .is_some_and(|t| t.contains("proposed from the face and not yet confirmed")),
        "{v}"
    );
    // The view changed on the record: the badge follows, the old view's marks are dropped.
    assert!(
        v["changed"]["badge"]
            .as_str()
            .is_some_and(|t| t.contains("right side")),
        "{v}"
    );
    let a = &r["advice"];
    println!("advice: {a}");
    assert!(
        a["default_guard"]
            .as_str()
            .is_some_and(|t| t.contains("guard")),
        "{a}"
    );
    if r["photo"] == "real" {
        assert!(a["shade_rows"].as_u64().unwrap_or(0) >= 1, "{a}");
        assert!(
            a["swatches"].as_u64() >= a["shade_rows"].as_u64().map(|n| 2 * n),
            "{a}"
        );
        assert!(
            a["default_guard"]
                .as_str()
                .is_some_and(|t| t.contains("0 guard") && t.contains("longest guard")),
            "{a}"
        );
        assert_eq!(a["default_warning"], 0, "{a}");
        assert!(
            a["warning_at_0_5"]
                .as_str()
                .is_some_and(|t| t.contains("keep the sides at a 0 guard")),
            "{a}"
        );
    }
}

/// Issue 10: the editor plans with follicle-core compiled to WebAssembly; for the same design its plan.json
/// equals the server's byte for byte; every control changes the picture; the full-scalp edit-to-picture time
/// is measured; a saved design and the photo's marks survive a reload.
#[test]
fn one_engine_in_the_browser_and_designs_that_are_kept() {
    let r = run_script("design.test.mjs", "design");
    println!("browser vs server plan.json: {}", r["equality"]);
    let e = &r["edit_to_picture_ms"];
    println!(
        "full-scalp edit-to-picture over {} edits: median {} ms, p90 {} ms, max {} ms; by kind {}",
        e["n"], e["median"], e["p90"], e["max"], e["by_kind"]
    );
    println!("full-scalp edit-to-picture: {e}");
    println!(
        "controls that changed the picture: {}",
        r["controls_changed"]
    );
    println!(
        "core requests per height edit (median ms, page thread): {}",
        r["latency_breakdown"]
    );
    println!("photo and head edits composed: {}", r["compose"]);
    assert_eq!(r["equality"]["identical_bytes"], true);
    assert!(r["equality"]["impressions"].as_u64().unwrap() > 30000);
    let max = r["edit_to_picture_ms"]["max"].as_f64().expect("measured");
    assert!(
        max < PREVIEW_BOUND_MS,
        "edit-to-picture took {max} ms (target 300 ms, bound {PREVIEW_BOUND_MS} ms)"
    );
}

#[test]
fn the_clinic_s_day_on_a_touch_screen() {
    let r = run_script("clinic-day.test.mjs", "clinic-day");
    assert!(
        r["conflict_message"]
            .as_str()
            .is_some_and(|m| m
                .starts_with("The practitioner Ana Ruiz is already booked from 10:00 to 11:00")),
        "{r}"
    );
    assert!(r["pointer_events"].as_u64().unwrap_or(0) > 20, "{r}");
    // The tablet handed to the client: other records refused; a wrong password leaves it locked (probe s8 N3).
    assert_eq!(r["handed_over_refusal"], 403, "{r}");
    assert_eq!(
        r["wrong_unlock"],
        "That is not the password of the staff member who handed the tablet over.",
        "{r}"
    );
    // Two breaks on a Wednesday kept as entered; a two-week closure listed once and closed in its week.
    assert_eq!(
        r["wednesday_breaks"],
        serde_json::json!(["13:00", "14:00", "16:00", "16:15"]),
        "{r}"
    );
    assert!(
        r["closure_period"]
            .as_str()
            .is_some_and(|t| t.contains("(14 days) Summer holiday")),
        "{r}"
    );
    // The signed PDF the browser downloaded: its text, read back by poppler's pdftotext.
    let pdf = crate_dir().join("e2e/artefacts/signed-consent.pdf");
    let out = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "Signed consent: Jonas Weber",
        "Consent to scalp micropigmentation",
        "Ana Ruiz",
        "Signature",
    ] {
        assert!(text.contains(want), "{want} in the signed PDF: {text}");
    }
}

#[test]
fn records_rights_and_accounts_in_the_browser() {
    let r = run_script("rights.test.mjs", "rights");
    println!("{r}");
    assert!(r["export_bytes"].as_u64().unwrap_or(0) > 1000);
    assert!(
        r["purge_changed"]
            .as_str()
            .unwrap_or("")
            .starts_with("The list has changed since you looked"),
        "{r}"
    );
    assert!(r["future_dob_message"]
        .as_str()
        .unwrap_or("")
        .contains("cannot be in the future"));
}
