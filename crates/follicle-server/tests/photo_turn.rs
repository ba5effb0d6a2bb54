//! A photo turned upright in the studio, through the API (outside probe s36: a photo stored on its side, whose
//! face the upload could not find to turn it, could only be deleted and uploaded again). The mannequin's front
//! photo stored on its side, marked as it is shown, is turned a quarter turn to the left: the same photo comes
//! back upright pixel for pixel, its marks on the same points of the face, and it registers to the plan. A turn
//! is the practitioner's (medical), by a quarter or a half turn only. SQLite always, and PostgreSQL when
//! FOLLICLE_TEST_POSTGRES_URL is set.

mod support;

use axum::http::StatusCode;
use follicle_render::views::{mannequin_photo, PhotoView};
use serde_json::{json, Value};
use support::{Reply, Server, Session, Setup};

const CASE: &str = include_str!("../../../examples/cases/norwood6-average.toml");

fn png(img: &image::RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img.clone())
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// POST /api/photos/{id}/turn by `degrees`, as `s`.
async fn turn(srv: &Server, s: &Session, id: i64, degrees: i64) -> Reply {
    srv.post(
        s,
        &format!("/api/photos/{id}/turn"),
        json!({ "degrees": degrees }),
    )
    .await
}

async fn a_photo_stored_on_its_side_is_turned_upright(srv: Server) {
    let (_owner, prac, desk) = srv.clinic("turn", true).await;
    let client = srv.new_client(&prac, "t-1", "Idris Calloway").await;
    let plan_id = srv.new_plan(&prac, client, CASE).await;
    let plan = srv.plan(&prac, plan_id).await;
    let (img, marks, _) = mannequin_photo(&plan, PhotoView::Front, 0.0, 0.0, 480);
    let upright = image::load_from_memory(&img.to_png().unwrap())
        .unwrap()
        .to_rgb8();
    // Stored a quarter turn to the right, and marked as it is shown.
    let sideways = image::imageops::rotate90(&upright);
    let h = f64::from(upright.height());
    let mut sideways_marks = serde_json::Map::new();
    for (name, [x, y]) in &marks.points {
        sideways_marks.insert(name.clone(), json!([h - y, x]));
    }
    let r = srv
        .call(
            &prac,
            "POST",
            &format!("/api/clients/{client}/photos?caption=front&view=front"),
            Some("image/png"),
            png(&sideways),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let before = r.json();
    let id = before["id"].as_i64().unwrap();
    let r = srv
        .put(
            &prac,
            &format!("/api/photos/{id}/landmarks"),
            json!({ "landmarks": Value::Object(sideways_marks), "proposed": ["glabella"] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    // Refused: a turn that is not a quarter or a half, by the front desk, of a photo that is not there.
    let r = turn(&srv, &prac, id, 45).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.message().contains("a quarter turn to the left (270)"),
        "{}",
        r.text()
    );
    let r = turn(&srv, &desk, id, 270).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = turn(&srv, &prac, 999_999, 270).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());

    // A quarter turn to the left: the same photo, upright.
    let r = turn(&srv, &prac, id, 270).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let after = r.json();
    assert_eq!(after["id"], id);
    assert_eq!(
        (&after["view"], &after["caption"]),
        (&before["view"], &before["caption"])
    );
    assert_eq!(
        (after["width"].as_i64(), after["height"].as_i64()),
        (
            Some(i64::from(upright.width())),
            Some(i64::from(upright.height()))
        )
    );
    assert_ne!(after["sha256"], before["sha256"]);
    let bytes = srv.get(&prac, &format!("/api/photos/{id}")).await.body;
    let shown = image::load_from_memory(&bytes).unwrap().to_rgb8();
    assert!(
        shown == upright,
        "the turned photo is the upright picture, pixel for pixel"
    );
    let thumb = srv.get(&prac, &format!("/api/photos/{id}/thumbnail")).await;
    assert_eq!(thumb.status, StatusCode::OK);
    let t = image::load_from_memory(&thumb.body).unwrap().to_rgb8();
    let off = |img: &image::RgbImage| {
        let small = image::imageops::thumbnail(img, t.width(), t.height());
        let d: u64 = small
            .as_raw()
            .iter()
            .zip(t.as_raw())
            .map(|(a, b)| u64::from(a.abs_diff(*b)))
            .sum();
        d as f64 / small.as_raw().len() as f64
    };
    let (up, side) = (off(&upright), off(&sideways));
    assert!(up < 3.0 && side > 3.0 * up, "the thumbnail is upright too: {up:.1} off the upright picture, {side:.1} off the sideways one");
    let kept = srv
        .get(&prac, &format!("/api/photos/{id}/landmarks"))
        .await
        .json();
    for (name, [x, y]) in &marks.points {
        let p = &kept["landmarks"][name];
        let (px, py) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
        assert!(
            (px - x).abs() < 1e-6 && (py - y).abs() < 1e-6,
            "{name}: ({px}, {py}) against ({x}, {y})"
        );
    }
    assert_eq!(
        kept["proposed"],
        json!(["glabella"]),
        "a proposed mark stays proposed"
    );
    let fit = srv
        .get(&prac, &format!("/api/plans/{plan_id}/photos/{id}/fit"))
        .await;
    assert_eq!(fit.status, StatusCode::OK, "{}", fit.text());
    assert_eq!(fit.json()["fits"], true, "{}", fit.text());
    let list = srv
        .get(&prac, &format!("/api/clients/{client}/photos"))
        .await
        .json();
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "still one photo on the record"
    );

    // A window that still shows the picture before the turn: its turn and its marks are refused in words,
    // nothing changed (probe s36: a second tab turned the photo again, and saved marks of the old picture).
    let r = srv
        .post(
            &prac,
            &format!("/api/photos/{id}/turn"),
            json!({ "degrees": 90, "from_sha256": before["sha256"] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(
        r.message().contains("turned or replaced in another window"),
        "{}",
        r.text()
    );
    let stale =
        json!({ "landmarks": { "glabella": [1.0, 2.0] }, "photo_sha256": before["sha256"] });
    let r = srv
        .put(&prac, &format!("/api/photos/{id}/landmarks"), stale)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.message().contains("they were not saved"), "{}", r.text());
    let now = srv
        .get(&prac, &format!("/api/photos/{id}/landmarks"))
        .await
        .json();
    assert_eq!(
        now["landmarks"], kept["landmarks"],
        "the marks are as they were"
    );
    let r = srv
        .post(
            &prac,
            &format!("/api/photos/{id}/turn"),
            json!({ "degrees": 180, "from_sha256": after["sha256"] }),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the picture shown turns: {}",
        r.text()
    );
}

/// Two turns at once on two records that show the same picture (probe s36): one photo is turned back to the
/// picture the other is turned to at the same moment. Every photo's file is still there afterwards (the turn
/// that left a picture removed its file while the other was about to show it, which then answered 404).
async fn turns_at_once_keep_every_photo_s_file(srv: Server) {
    let (_owner, prac, _desk) = srv.clinic("race", true).await;
    let img = image::RgbImage::from_fn(300, 260, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, 90])
    });
    for trial in 0..6 {
        let (a_client, b_client) = (
            srv.new_client(&prac, &format!("ra-{trial}"), "Ada Twin")
                .await,
            srv.new_client(&prac, &format!("rb-{trial}"), "Bea Twin")
                .await,
        );
        let mut ids = Vec::new();
        for client in [a_client, b_client] {
            let r = srv
                .call(
                    &prac,
                    "POST",
                    &format!("/api/clients/{client}/photos?view=top"),
                    Some("image/png"),
                    png(&img),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
            ids.push(r.json()["id"].as_i64().unwrap());
        }
        assert_eq!(turn(&srv, &prac, ids[0], 90).await.status, StatusCode::OK);
        // Now photo 0 shows the picture turned 90; photo 1 is turned to that picture while photo 0 turns back.
        let (r1, r0) = tokio::join!(
            turn(&srv, &prac, ids[1], 90),
            turn(&srv, &prac, ids[0], 270)
        );
        assert_eq!(
            (r0.status, r1.status),
            (StatusCode::OK, StatusCode::OK),
            "{} {}",
            r0.text(),
            r1.text()
        );
        for id in &ids {
            let r = srv.get(&prac, &format!("/api/photos/{id}")).await;
            assert_eq!(
                r.status,
                StatusCode::OK,
                "trial {trial}, photo {id}: {}",
                r.text()
            );
            image::load_from_memory(&r.body).unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn turns_at_once_keep_every_photo_s_file_on_sqlite() {
    turns_at_once_keep_every_photo_s_file(support::sqlite_server(Setup::default())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn turns_at_once_keep_every_photo_s_file_on_postgres() {
    if let Some(srv) = support::postgres_server("photo_turn_race", Setup::default()) {
        turns_at_once_keep_every_photo_s_file(srv).await;
    }
}

#[tokio::test]
async fn a_photo_stored_on_its_side_is_turned_upright_on_sqlite() {
    a_photo_stored_on_its_side_is_turned_upright(support::sqlite_server(Setup::default())).await;
}

#[tokio::test]
async fn a_photo_stored_on_its_side_is_turned_upright_on_postgres() {
    if let Some(srv) = support::postgres_server("photo_turn", Setup::default()) {
        a_photo_stored_on_its_side_is_turned_upright(srv).await;
    }
}

/// The same picture uploaded again to the same client (outside test s38: as "left" with a new caption it
/// answered 201 with the first photo's record, view and caption, and the studio said "Photo uploaded"): it is
/// that photo, answered 200 with `already_stored`, its view and caption kept, and no second row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_picture_uploaded_again_is_said_to_be_stored_already() {
    let srv = support::sqlite_server(Setup::default());
    let (_owner, prac, _desk) = srv.clinic("again", true).await;
    let client = srv.new_client(&prac, "ag-1", "Al Again").await;
    let img = image::RgbImage::from_fn(300, 260, |x, y| {
        image::Rgb([(x % 199) as u8, (y % 211) as u8, 60])
    });
    let upload = |q: &'static str| {
        let (srv, prac, body) = (&srv, &prac, png(&img));
        async move {
            srv.call(
                prac,
                "POST",
                &format!("/api/clients/{client}/photos?{q}"),
                Some("image/png"),
                body,
            )
            .await
        }
    };
    let first = upload("view=top&caption=first").await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    assert_eq!(first.json()["already_stored"], false, "{}", first.text());
    let again = upload("view=left&caption=second").await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    let (a, f) = (again.json(), first.json());
    assert_eq!(a["already_stored"], true, "{a}");
    assert_eq!(
        (&a["id"], &a["view"], &a["caption"]),
        (&f["id"], &f["view"], &f["caption"]),
        "{a}"
    );
    let list = srv
        .get(&prac, &format!("/api/clients/{client}/photos"))
        .await
        .json();
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
}
