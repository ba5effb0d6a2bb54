//! Erasure and deletion through the API leave nothing of the client behind: no name in designs, plans, the
//! stencil, clearance letters, appointments, the calendar feed or the audit log; bookings still ahead are
//! cancelled; previews rendered from a deleted or erased photo go with it, and every node's sweep removes what
//! outlived its photo. The retention purge keeps a client who is booked again and the dry run says why.
//! SQLite always, and PostgreSQL when FOLLICLE_TEST_POSTGRES_URL is set.

mod support;

use axum::http::StatusCode;
use follicle_render::views::{mannequin_photo, PhotoView};
use serde_json::{json, Value};
use support::{call, Server, Session, Setup};

const GO: &str = include_str!("../../../examples/intake-norwood6-go.toml");
const CLEARANCE: &str = include_str!("../../../examples/intake-scar-anticoagulant.toml");
const CASE: &str = include_str!("../../../examples/cases/norwood6-average.toml");
const NAME: &str = "Zofia Nowak";

const WARSAW: Setup = Setup {
    zone: Some("Europe/Warsaw"),
    studio_ui: false,
};

fn case_named(name: &str) -> String {
    let i = CASE.find("[client]").unwrap();
    let j = i + CASE[i..].find("name = ").unwrap();
    let k = j + CASE[j..].find('\n').unwrap();
    format!(
        "# Case of {name}\n{}name = \"{name}\"{}",
        &CASE[..j],
        &CASE[k..]
    )
}

fn intake(toml: &str, name: &str, reference: &str, date: &str) -> Value {
    let mut v = serde_json::to_value(follicle_clinic::Intake::from_toml(toml).unwrap()).unwrap();
    v["client"]["name"] = json!(name);
    v["client"]["id"] = json!(reference);
    v["consultation"]["date"] = json!(date);
    // The intake carries the client record's date of birth (an intake for another date of birth is refused
    // since the third probe's M6); the records these tests make have this one or none.
    v["client"]["date_of_birth"] = json!("1985-05-05");
    v
}

async fn created(srv: &Server, s: &Session, path: &str, body: Value) -> Value {
    let r = srv.post(s, path, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{path}: {}", r.text());
    r.json()
}

async fn my_id(srv: &Server, s: &Session) -> i64 {
    srv.get(s, "/api/me").await.json()["user"]["id"]
        .as_i64()
        .unwrap()
}

/// A photo of the mannequin of `plan_id` from the front, with its landmarks marked; returns its id and SHA-256.
async fn marked_photo(
    srv: &Server,
    s: &Session,
    client: i64,
    plan_id: i64,
    tint: u8,
) -> (i64, String) {
    let text = srv
        .get(s, &format!("/api/plans/{plan_id}/plan.json"))
        .await
        .text();
    let plan = follicle_export::load_plan(&text).unwrap();
    let (img, marks, _) = mannequin_photo(
        &plan,
        PhotoView::Front,
        0.1 + f64::from(tint) * 0.01,
        0.05,
        320,
    );
    let mut m = serde_json::Map::new();
    for (name, [x, y]) in &marks.points {
        m.insert(name.clone(), json!([x, y]));
    }
    let r = srv
        .call(
            s,
            "POST",
            &format!("/api/clients/{client}/photos?view=front"),
            Some("image/png"),
            img.to_png().unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let (id, sha) = (
        r.json()["id"].as_i64().unwrap(),
        r.json()["sha256"].as_str().unwrap().to_string(),
    );
    let r = srv
        .put(s, &format!("/api/photos/{id}/landmarks"), Value::Object(m))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    (id, sha)
}

/// Renders a preview and the advice of the photo, so that they are in the cache; returns the cache folder.
async fn previewed(
    srv: &Server,
    s: &Session,
    plan_id: i64,
    photo: i64,
    sha: &str,
) -> std::path::PathBuf {
    for path in [
        format!("/api/plans/{plan_id}/photos/{photo}/preview.png?stage=after&distance=300"),
        format!("/api/plans/{plan_id}/photos/{photo}/advice"),
    ] {
        let r = srv.get(s, &path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
    }
    let dir = srv.state.photos.preview_dir(sha).unwrap();
    let files = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
    // The picture is drawn with its two other stages, cached beside it (session 49): 3 pictures and the advice.
    assert_eq!(
        files, 4,
        "the pictures and the advice are cached in the photo's folder"
    );
    dir
}

async fn erasure_leaves_no_name(srv: Server) {
    let (owner, prac, _desk) = srv.clinic("erase", true).await;
    let me = my_id(&srv, &prac).await;
    let today = srv.today();
    let c = created(&srv, &prac, "/api/clients", json!({ "reference": "E-1", "name": NAME, "date_of_birth": "1985-05-05", "email": "zofia.nowak@example.com", "phone": "+48 600 111 222" })).await["id"].as_i64().unwrap();
    created(
        &srv,
        &prac,
        &format!("/api/clients/{c}/consultations"),
        intake(CLEARANCE, NAME, "E-1", &today.add_days(-3).to_string()),
    )
    .await;
    let case = case_named(NAME);
    created(
        &srv,
        &prac,
        &format!("/api/clients/{c}/designs"),
        json!({ "label": format!("{NAME} soft"), "case": case }),
    )
    .await;
    let plan = created(
        &srv,
        &prac,
        &format!("/api/clients/{c}/plans"),
        json!({ "case": case }),
    )
    .await;
    let plan_id = plan["id"].as_i64().unwrap();
    assert_eq!(
        plan["label"], NAME,
        "the label defaults to the case's client name"
    );

    // A clearance letter whose file name is the client's name.
    let boundary = "----h12e";
    let mut form = Vec::new();
    for (name, file, content) in [
        ("by", None, b"Dr X".to_vec()),
        ("date", None, today.add_days(-2).to_string().into_bytes()),
        (
            "letter",
            Some(format!("{NAME} clearance.pdf")),
            b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\nxref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \ntrailer<</Size 3/Root 1 0 R>>\nstartxref\n96\n%%EOF\n".to_vec(),
        ),
    ] {
        form.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => form.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes()),
            None => form.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        form.extend_from_slice(&content);
        form.extend_from_slice(b"\r\n");
    }
    form.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let ct = format!("multipart/form-data; boundary={boundary}");
    let r = call(
        &srv.app,
        &prac,
        "POST",
        &format!("/api/clients/{c}/clearance"),
        Some(&ct),
        form,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // A booking next week with the name in its purpose.
    let ahead = today.add_days(7).to_string();
    let booking = created(&srv, &prac, "/api/appointments", json!({ "client_id": c, "date": ahead, "time": "10:00", "minutes": 60, "practitioner_id": me, "room": "Room 1", "kind": "consultation", "purpose": format!("Consult {NAME}") })).await;
    let booking = booking["id"].as_i64().unwrap();

    // A photo previewed on this node.
    let (photo, sha) = marked_photo(&srv, &prac, c, plan_id, 1).await;
    let cache = previewed(&srv, &prac, plan_id, photo, &sha).await;

    let r = srv
        .post(
            &owner,
            &format!("/api/clients/{c}/erase"),
            json!({ "reason": "client asked by e-mail", "confirm": "E-1" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let e = r.json();
    assert_eq!(
        (e["outcome"].as_str(), e["bookings_cancelled"].as_i64()),
        (Some("pseudonymised"), Some(1)),
        "{e}"
    );
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("booking still ahead has been cancelled"),
        "{e}"
    );
    assert!(
        !cache.exists(),
        "the erased photo's previews are gone from this node"
    );

    let mut seen = String::new();
    for path in [
        format!("/api/clients/{c}"),
        format!("/api/clients/{c}/designs"),
        format!("/api/clients/{c}/plans"),
        format!("/api/plans/{plan_id}/stencil.svg"),
        format!("/api/clients/{c}/clearance-letters"),
        format!("/api/clients/{c}/appointments"),
        format!("/api/appointments/{booking}"),
        format!("/api/appointments?from={ahead}&days=1"),
        "/api/appointments.ics".to_string(),
        format!("/api/clients/{c}/consultations"),
        "/api/audit?limit=500".to_string(),
    ] {
        let r = srv.get(&owner, &path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
        seen.push_str(&format!("\n--- {path}\n{}", r.text()));
    }
    for secret in [NAME, "Zofia", "Nowak", "zofia.nowak", "600 111 222"] {
        assert!(!seen.contains(secret), "`{secret}` is still shown:{seen}");
    }
    let b = srv
        .get(&owner, &format!("/api/appointments/{booking}"))
        .await
        .json();
    assert_eq!(b["status"], "cancelled", "{b}");
    assert_eq!(
        b["cancel_reason"], "the client was erased on request",
        "{b}"
    );
}

/// A client "Preview Face" (PV-1) with a plan of the example case: their ids.
async fn client_with_plan(srv: &Server, prac: &Session) -> (i64, i64) {
    let c = created(
        srv,
        prac,
        "/api/clients",
        json!({ "reference": "PV-1", "name": "Preview Face" }),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let plan_id = created(
        srv,
        prac,
        &format!("/api/clients/{c}/plans"),
        json!({ "case": CASE }),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    (c, plan_id)
}

async fn deleted_photos_take_their_previews_and_every_node_sweeps(srv: Server) {
    let (_owner, prac, _desk) = srv.clinic("cache", true).await;
    let (c, plan_id) = client_with_plan(&srv, &prac).await;
    let (gone, gone_sha) = marked_photo(&srv, &prac, c, plan_id, 2).await;
    let (kept, kept_sha) = marked_photo(&srv, &prac, c, plan_id, 3).await;
    let gone_dir = previewed(&srv, &prac, plan_id, gone, &gone_sha).await;
    let kept_dir = previewed(&srv, &prac, plan_id, kept, &kept_sha).await;

    let r = srv
        .send(
            &prac,
            "DELETE",
            &format!("/api/photos/{gone}"),
            json!({ "reason": "wrong client's photo uploaded" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    assert!(
        !gone_dir.exists(),
        "the deleted photo's previews went with it"
    );
    assert!(kept_dir.exists());

    // Another node's cache (deleted there, not here) and the earlier flat layout: this node's sweep cleans both.
    let stale = srv.state.photos.preview_dir(&"cd".repeat(32)).unwrap();
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::write(stale.join("x.png"), b"face").unwrap();
    let flat = srv
        .state
        .photos
        .cache_dir()
        .join("previews")
        .join(format!("{}.png", "ef".repeat(32)));
    std::fs::write(&flat, b"face").unwrap();
    let st = srv.state.clone();
    let removed = tokio::task::spawn_blocking(move || follicle_server::sweep_preview_cache(&st))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(removed, 2);
    assert!(!stale.exists() && !flat.exists());
    assert_eq!(
        std::fs::read_dir(&kept_dir).unwrap().count(),
        4,
        "a live photo's fresh previews stay"
    );
    // Past the age limit, even a live photo's previews go.
    let st = srv.state.clone();
    let old = tokio::task::spawn_blocking(move || {
        st.photos.sweep_previews(
            &|shas| st.store.photo_shas_in_use(shas),
            std::time::Duration::ZERO,
            u64::MAX,
        )
    })
    .await
    .unwrap()
    .unwrap();
    assert!(old >= 2, "{old}");
    assert_eq!(
        std::fs::read_dir(&kept_dir).map(|d| d.count()).unwrap_or(0),
        0
    );
}

/// Two clinics with the same photo bytes keep their own previews (outside test s47: clinic B's delete of its
/// copy wiped clinic A's cached previews, and B's first preview came from A's cache in 11 ms, telling B that
/// A holds the photo).
async fn clinics_never_share_previews(srv: Server) {
    let mut made = Vec::new();
    for (name, first) in [("cache-a", true), ("cache-b", false)] {
        let (_owner, prac, _desk) = srv.clinic(name, first).await;
        let (c, plan_id) = client_with_plan(&srv, &prac).await;
        let (photo, sha) = marked_photo(&srv, &prac, c, plan_id, 2).await;
        made.push((prac, plan_id, photo, sha));
    }
    let [(a, a_plan, a_photo, a_sha), (b, b_plan, b_photo, b_sha)] = &made[..] else {
        unreachable!()
    };
    assert_eq!(a_sha, b_sha, "the same bytes");
    let dir = previewed(&srv, a, *a_plan, *a_photo, a_sha).await;
    let files = |dir: &std::path::Path| std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0);
    // B renders its own: nothing of A's is read.
    for path in [
        format!("/api/plans/{b_plan}/photos/{b_photo}/preview.png?stage=after&distance=300"),
        format!("/api/plans/{b_plan}/photos/{b_photo}/advice"),
    ] {
        let r = srv.get(b, &path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
    }
    assert_eq!(files(&dir), 8, "each clinic's three pictures and advice");
    // B deletes its copy: A's previews stay.
    let r = srv
        .send(
            b,
            "DELETE",
            &format!("/api/photos/{b_photo}"),
            json!({ "reason": "uploaded twice" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    assert_eq!(files(&dir), 4, "clinic A's previews stay");
    let r = srv
        .send(
            a,
            "DELETE",
            &format!("/api/photos/{a_photo}"),
            json!({ "reason": "uploaded twice" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    assert!(!dir.exists(), "the last clinic's previews took the folder");
}

async fn a_client_booked_again_is_kept_out_of_the_purge(srv: Server) {
    let (owner, prac, _desk) = srv.clinic("purge", true).await;
    let me = my_id(&srv, &prac).await;
    let c = created(
        &srv,
        &prac,
        "/api/clients",
        json!({ "reference": "P-1", "name": "Old Client" }),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    created(
        &srv,
        &prac,
        &format!("/api/clients/{c}/consultations"),
        intake(GO, "Old Client", "P-1", "2014-11-01"),
    )
    .await;
    let day = srv.today().add_days(7).to_string();
    let b = created(&srv, &prac, "/api/appointments", json!({ "client_id": c, "date": day, "time": "10:00", "minutes": 60, "practitioner_id": me, "room": "Room 1", "kind": "consultation" })).await["id"].as_i64().unwrap();

    let dry = srv.get(&owner, "/api/records/retention").await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.text());
    let d = dry.json();
    assert_eq!(
        (d["count"].as_i64(), d["purge_now"].as_i64()),
        (Some(0), Some(0)),
        "{d}"
    );
    assert_eq!(d["kept"][0]["reference"], "P-1", "{d}");
    assert_eq!(d["kept"][0]["why"], format!("booked on {day}"), "{d}");
    let r = srv
        .post(&owner, "/api/records/purge", json!({ "clients": [] }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        (r.json()["count"].as_i64(), r.json()["left"].as_i64()),
        (Some(0), Some(0))
    );
    assert_eq!(
        srv.get(&prac, &format!("/api/appointments/{b}"))
            .await
            .json()["status"],
        "booked"
    );
}

#[tokio::test]
async fn sqlite_erasure_leaves_no_name() {
    erasure_leaves_no_name(support::sqlite_server(WARSAW)).await;
}

#[tokio::test]
async fn postgres_erasure_leaves_no_name() {
    if let Some(srv) = support::postgres_server("h12e_erase", WARSAW) {
        erasure_leaves_no_name(srv).await;
    }
}

#[tokio::test]
async fn sqlite_previews_go_with_their_photo() {
    deleted_photos_take_their_previews_and_every_node_sweeps(support::sqlite_server(WARSAW)).await;
}

#[tokio::test]
async fn postgres_previews_go_with_their_photo() {
    if let Some(srv) = support::postgres_server("h12e_cache", WARSAW) {
        deleted_photos_take_their_previews_and_every_node_sweeps(srv).await;
    }
}

#[tokio::test]
async fn sqlite_clinics_never_share_previews() {
    clinics_never_share_previews(support::sqlite_server(WARSAW)).await;
}

#[tokio::test]
async fn sqlite_booked_client_kept_out_of_the_purge() {
    a_client_booked_again_is_kept_out_of_the_purge(support::sqlite_server(WARSAW)).await;
}

#[tokio::test]
async fn postgres_booked_client_kept_out_of_the_purge() {
    if let Some(srv) = support::postgres_server("h12e_purge", WARSAW) {
        a_client_booked_again_is_kept_out_of_the_purge(srv).await;
    }
}
