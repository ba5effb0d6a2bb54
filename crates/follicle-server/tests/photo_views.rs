//! Several photos, one head, through the API: a client's front and left photos are stored with their
//! views, each view takes only its own landmarks, the fit of each is answered with per-landmark residuals
//! and the culprit in words, and the left photo is previewed with its own camera. SQLite always, and
//! PostgreSQL when FOLLICLE_TEST_POSTGRES_URL is set.

mod support;

use axum::http::StatusCode;
use follicle_render::views::{mannequin_photo, PhotoView};
use serde_json::{json, Value};
use support::{Server, Session, Setup};

const CASE: &str = include_str!("../../../examples/cases/norwood6-average.toml");

/// The mannequin of `plan` photographed from `view`, as PNG bytes, and its marks as the API takes them
/// (`shift_mm` moves `moved` that far to the right).
fn photo(
    plan: &follicle_core::Plan,
    view: PhotoView,
    moved: &str,
    shift_mm: f64,
) -> (Vec<u8>, Value) {
    let (img, marks, cam) = mannequin_photo(plan, view, 0.1, 0.05, 480);
    let mut m = serde_json::Map::new();
    for (name, [x, y]) in &marks.points {
        let dx = if name == moved {
            shift_mm * cam.focal / 1000.0
        } else {
            0.0
        };
        m.insert(name.clone(), json!([x + dx, y]));
    }
    (img.to_png().unwrap(), Value::Object(m))
}

async fn upload(srv: &Server, s: &Session, client: i64, view: &str, png: Vec<u8>) -> i64 {
    let r = srv
        .call(
            s,
            "POST",
            &format!("/api/clients/{client}/photos?caption={view}&view={view}"),
            Some("image/png"),
            png,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["view"], view);
    r.json()["id"].as_i64().unwrap()
}

async fn several_views_of_one_head(srv: Server) {
    let (_owner, prac, _desk) = srv.clinic("views", true).await;
    let client = srv.new_client(&prac, "v-1", "Tomás Ferreira").await;
    let plan_id = srv.new_plan(&prac, client, CASE).await;
    let text = srv
        .get(&prac, &format!("/api/plans/{plan_id}/plan.json"))
        .await
        .text();
    let plan = follicle_export::load_plan(&text).unwrap();

    // The views and their landmarks come from the library.
    let v = srv.get(&prac, "/api/photo-views").await.json();
    let left = v["views"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["view"] == "left")
        .unwrap();
    let names: Vec<&str> = left["landmarks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, PhotoView::Left.landmarks());
    assert_eq!(left["landmarks"][2]["label"], "left tragion");

    // A front and a left photo of one client; a view the library does not know is refused.
    let (front_png, front_marks) = photo(&plan, PhotoView::Front, "", 0.0);
    let (left_png, left_marks) = photo(&plan, PhotoView::Left, "", 0.0);
    let front = upload(&srv, &prac, client, "front", front_png).await;
    let side = upload(&srv, &prac, client, "left", left_png.clone()).await;
    let r = srv
        .call(
            &prac,
            "POST",
            &format!("/api/clients/{client}/photos?view=side"),
            Some("image/png"),
            left_png,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.message().contains("“side” is not a view"), "{}", r.text());
    let list = srv
        .get(&prac, &format!("/api/clients/{client}/photos"))
        .await
        .json();
    let views: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["view"].as_str().unwrap())
        .collect();
    assert_eq!(views, ["front", "left"]);

    // Each view takes its own landmarks only.
    let r = srv
        .put(
            &prac,
            &format!("/api/photos/{side}/landmarks"),
            json!({ "lateral_canthus_right": [10.0, 10.0] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.message().contains("not marked on a left photo"),
        "{}",
        r.text()
    );
    for (id, marks) in [(front, &front_marks), (side, &left_marks)] {
        let r = srv
            .put(&prac, &format!("/api/photos/{id}/landmarks"), marks.clone())
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }

    // Both register to the one head: residuals per landmark, no culprit. The front photo is fitted as
    // `follicle render` fits it, jointly with the head's outline on the picture, which moves the marks a
    // little off the exact marks-only fit (under 1 mm on the mannequin); the left one from its marks.
    for (id, view, n, within) in [(front, "front", 6, 1.0), (side, "left", 7, 0.1)] {
        let fit = srv
            .get(&prac, &format!("/api/plans/{plan_id}/photos/{id}/fit"))
            .await;
        assert_eq!(fit.status, StatusCode::OK, "{}", fit.text());
        let f = fit.json();
        eprintln!("{view}: {}", f["words"]);
        assert_eq!(
            (f["view"].as_str(), f["fits"].as_bool()),
            (Some(view), Some(true))
        );
        assert_eq!(f["residuals"].as_array().unwrap().len(), n);
        for r in f["residuals"].as_array().unwrap() {
            assert!(r["mm"].as_f64().unwrap() < within, "{view}: {r}");
        }
        assert!(f["culprit"].is_null(), "{f}");
        assert!(
            f["words"]
                .as_str()
                .unwrap()
                .starts_with(&format!("All {n} marks fit the head within 0.")),
            "{f}"
        );
    }

    // The left photo previewed with its own camera: the plan's impressions darken the head.
    let pic = |stage: &str| {
        format!("/api/plans/{plan_id}/photos/{side}/preview.png?stage={stage}&distance=300")
    };
    let before = srv.get(&prac, &pic("before")).await;
    let after = srv.get(&prac, &pic("after")).await;
    assert_eq!(after.status, StatusCode::OK, "{}", after.text());
    let (b, a) = (
        image::load_from_memory(&before.body).unwrap().to_rgb8(),
        image::load_from_memory(&after.body).unwrap().to_rgb8(),
    );
    assert_eq!(a.dimensions(), (480, 480));
    let changed = b.pixels().zip(a.pixels()).filter(|(p, q)| p != q).count();
    let darker: i64 = b
        .pixels()
        .zip(a.pixels())
        .map(|(p, q)| {
            p.0.iter().map(|&v| v as i64).sum::<i64>() - q.0.iter().map(|&v| v as i64).sum::<i64>()
        })
        .sum();
    eprintln!("left preview: {changed} pixels changed, {darker} levels darker in all");
    assert!(changed > 5_000 && darker > 0, "{changed} {darker}");
    // Only on the head: the background corners are untouched.
    for (x, y) in [(5, 5), (474, 5), (5, 200), (474, 200)] {
        assert_eq!(b.get_pixel(x, y), a.get_pixel(x, y), "({x}, {y})");
    }

    // The left tragion marked 15 mm off is named in words.
    let (_, bad) = photo(&plan, PhotoView::Left, "tragion_left", 15.0);
    let r = srv
        .put(&prac, &format!("/api/photos/{side}/landmarks"), bad)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let f = srv
        .get(&prac, &format!("/api/plans/{plan_id}/photos/{side}/fit"))
        .await
        .json();
    eprintln!("moved: {}", f["words"]);
    assert_eq!(f["culprit"]["name"], "tragion_left", "{f}");
    assert!(
        f["words"].as_str().unwrap().contains(
            "the left tragion mark looks wrong: 15 mm off; without it the fit is within 0.0 mm"
        ),
        "{f}"
    );

    // The probe's front marks all on one horizontal line: the fit, the advice and the preview say so in
    // words, never "inf mm".
    let line: serde_json::Map<String, Value> = front_marks
        .as_object()
        .unwrap()
        .keys()
        .enumerate()
        .map(|(k, name)| (name.clone(), json!([100.0 + 40.0 * k as f64, 200.0])))
        .collect();
    let r = srv
        .put(
            &prac,
            &format!("/api/photos/{front}/landmarks"),
            Value::Object(line),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    for what in ["fit", "advice", "preview.png?stage=before"] {
        let r = srv
            .get(
                &prac,
                &format!("/api/plans/{plan_id}/photos/{front}/{what}"),
            )
            .await;
        let text = r.text();
        assert!(
            !text.contains("inf mm") && !text.contains("residual inf"),
            "{what}: {text}"
        );
        if what == "fit" {
            assert!(text.contains("on one line"), "{what}: {text}");
        }
    }

    // A photo with marks keeps its view and marks until the practitioner agrees they are cleared (outside
    // test s38: "Wrong view?" dropped them without asking), said in words.
    let r = srv
        .put(
            &prac,
            &format!("/api/photos/{side}/view"),
            json!({ "view": "top" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.message().contains("clears them"), "{}", r.text());
    assert_eq!(
        srv.get(&prac, &format!("/api/photos/{side}/landmarks"))
            .await
            .status,
        StatusCode::OK
    );
    // Agreed: the photo given another view loses the marks of the old one; a bad view is refused.
    let r = srv
        .put(
            &prac,
            &format!("/api/photos/{side}/view"),
            json!({ "view": "top", "clear_marks": true }),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["view"].as_str()),
        (StatusCode::OK, Some("top"))
    );
    assert_eq!(
        srv.get(&prac, &format!("/api/photos/{side}/landmarks"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = srv
        .get(&prac, &format!("/api/plans/{plan_id}/photos/{side}/fit"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.message().contains("of this top photo first"),
        "{}",
        r.text()
    );
    let r = srv
        .put(
            &prac,
            &format!("/api/photos/{side}/view"),
            json!({ "view": "upside" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Marks proposed from the face and not yet confirmed are kept on the server with the marks: every session
/// (another tablet) reads them as proposed, a preview or fit made from them says so, and confirming or
/// moving a mark makes it confirmed.
async fn proposed_marks_kept_on_the_server(srv: Server) {
    let (owner, prac, _desk) = srv.clinic("proposed", true).await;
    let client = srv.new_client(&prac, "p-1", "Ana Proposta").await;
    let plan_id = srv.new_plan(&prac, client, CASE).await;
    let text = srv
        .get(&prac, &format!("/api/plans/{plan_id}/plan.json"))
        .await
        .text();
    let plan = follicle_export::load_plan(&text).unwrap();
    let (png, marks) = photo(&plan, PhotoView::Front, "", 0.0);
    let id = upload(&srv, &prac, client, "front", png).await;
    let face = ["glabella", "lateral_canthus_right", "lateral_canthus_left"];
    let path = format!("/api/photos/{id}/landmarks");

    // Refused in words: a proposed name that is not among the marks, one named twice, an unknown field.
    for (body, says) in [
        (
            json!({ "landmarks": marks, "proposed": ["nape"] }),
            "“nape” is listed as proposed but is not one of the marks sent",
        ),
        (
            json!({ "landmarks": marks, "proposed": ["glabella", "glabella"] }),
            "“glabella” is listed twice among the proposed marks",
        ),
        (
            json!({ "landmarks": marks, "confirmed": [] }),
            "The form sent “confirmed”",
        ),
    ] {
        let r = srv.put(&prac, &path, body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.message().contains(says), "{}", r.text());
    }

    // Proposed: read back as proposed by another user on another session (another tablet).
    let r = srv
        .put(
            &prac,
            &path,
            json!({ "landmarks": marks, "proposed": face }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["proposed"], json!(face));
    let l = srv.get(&owner, &path).await.json();
    assert_eq!(l["proposed"], json!(face), "{l}");
    for (name, xy) in marks.as_object().unwrap() {
        for k in 0..2 {
            let d = l["landmarks"][name][k].as_f64().unwrap() - xy[k].as_f64().unwrap();
            assert!(d.abs() < 1e-9, "{name}: {l}");
        }
    }
    let list = srv
        .get(&owner, &format!("/api/clients/{client}/photos"))
        .await
        .json();
    assert_eq!(list[0]["marks"]["proposed"], json!(face), "{list}");
    assert_eq!(list[0]["marks"]["count"], 6, "{list}");

    // A fit, advice and picture made from them say so.
    let f = srv
        .get(&prac, &format!("/api/plans/{plan_id}/photos/{id}/fit"))
        .await
        .json();
    assert_eq!(f["fits"], true, "{f}");
    assert_eq!(f["proposed"], json!(face), "{f}");
    assert!(
        f["words"]
            .as_str()
            .unwrap()
            .contains("proposed from the face and not yet confirmed (glabella, "),
        "{f}"
    );
    let advice = format!("/api/plans/{plan_id}/photos/{id}/advice");
    let a = srv.get(&prac, &advice).await.json();
    assert!(
        a["marks_warning"]
            .as_str()
            .is_some_and(|w| w.contains("not yet confirmed")),
        "{a}"
    );
    let pic = format!("/api/plans/{plan_id}/photos/{id}/preview.png?distance=300");
    let proposed_pic = srv.get(&prac, &pic).await;
    assert_eq!(
        proposed_pic.status,
        StatusCode::OK,
        "{}",
        proposed_pic.text()
    );
    assert_eq!(proposed_pic.header("x-follicle-marks"), Some("proposed"));

    // The practitioner moves one mark (it is confirmed), then confirms the others as they stand.
    let mut moved = marks.clone();
    moved["glabella"][0] = json!(moved["glabella"][0].as_f64().unwrap() + 1.0);
    let r = srv
        .put(
            &prac,
            &path,
            json!({ "landmarks": moved, "proposed": &face[1..] }),
        )
        .await;
    assert_eq!(r.json()["proposed"], json!(&face[1..]), "{}", r.text());
    assert_eq!(
        srv.get(&owner, &path).await.json()["proposed"],
        json!(&face[1..])
    );
    let r = srv.put(&prac, &path, marks.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(srv.get(&owner, &path).await.json()["proposed"], json!([]));
    let f = srv
        .get(&prac, &format!("/api/plans/{plan_id}/photos/{id}/fit"))
        .await
        .json();
    assert!(!f["words"].as_str().unwrap().contains("proposed"), "{f}");
    assert!(srv.get(&prac, &advice).await.json()["marks_warning"].is_null());
    let confirmed_pic = srv.get(&prac, &pic).await;
    assert_eq!(confirmed_pic.header("x-follicle-marks"), Some("confirmed"));
    assert!(
        confirmed_pic.body == proposed_pic.body,
        "confirming the marks as they stand changes no picture"
    );

    // Two windows read the same marks; the second to save does not overwrite the first's (outside test s42:
    // the last save won without a word).
    let read = srv.get(&prac, &path).await.json()["revision"]
        .as_str()
        .unwrap()
        .to_string();
    let first = srv
        .put(
            &owner,
            &path,
            json!({ "landmarks": moved, "marks_revision": read }),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    assert_ne!(first.json()["revision"], json!(read));
    let second = srv
        .put(
            &prac,
            &path,
            json!({ "landmarks": marks, "marks_revision": read }),
        )
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT, "{}", second.text());
    assert!(
        second.message().contains("changed in another window"),
        "{}",
        second.text()
    );
    assert_eq!(
        srv.get(&prac, &path).await.json()["landmarks"]["glabella"][0].as_f64(),
        moved["glabella"][0].as_f64(),
        "the first window's marks are kept"
    );
    // Read again, the second window's marks are saved.
    let again = srv
        .put(
            &prac,
            &path,
            json!({ "landmarks": marks, "marks_revision": first.json()["revision"] }),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
}

#[tokio::test]
async fn proposed_marks_kept_on_the_server_on_sqlite() {
    proposed_marks_kept_on_the_server(support::sqlite_server(Setup::default())).await;
}

#[tokio::test]
async fn proposed_marks_kept_on_the_server_on_postgres() {
    if let Some(srv) = support::postgres_server("proposed_marks", Setup::default()) {
        proposed_marks_kept_on_the_server(srv).await;
    }
}

#[tokio::test]
async fn several_views_of_one_head_on_sqlite() {
    several_views_of_one_head(support::sqlite_server(Setup::default())).await;
}

#[tokio::test]
async fn several_views_of_one_head_on_postgres() {
    if let Some(srv) = support::postgres_server("photo_views", Setup::default()) {
        several_views_of_one_head(srv).await;
    }
}

/// The studio's fit is the CLI's: the reference photo (../shared/photos/shaved-norwood-front.jpg, from its
/// hand marks) answers through the API the fit `follicle render` prints for it (follicle-render's
/// `views::register_photo`, the joint fit with the head's outline: transform, residuals, leave-one-out),
/// and its head breadth in mm. Before, the API answered the marks-only fit: three marks fixed it exactly
/// (residuals 0, no turn) while the CLI's picture came from the joint fit.
async fn the_reference_photo_s_fit_is_the_cli_s(srv: Server) {
    let Some(jpeg) = support::reference_photo() else {
        return;
    };
    let (_owner, prac, _desk) = srv.clinic("reference-fit", true).await;
    // Screened as Fitzpatrick V (the example intake): darker than his photographed skin.
    let client = srv
        .screened_client(
            &prac,
            include_str!("../../../examples/intake-norwood6-go.toml"),
            "Rui Referência",
        )
        .await;
    let plan_id = srv.new_plan(&prac, client, CASE).await;
    let text = srv
        .get(&prac, &format!("/api/plans/{plan_id}/plan.json"))
        .await
        .text();
    let plan = follicle_export::load_plan(&text).unwrap();
    let r = srv
        .call(
            &prac,
            "POST",
            &format!("/api/clients/{client}/photos?caption=front&view=front"),
            Some("image/jpeg"),
            jpeg.clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let marks = json!({
        "glabella": [202.0, 195.0],
        "lateral_canthus_right": [141.0, 210.0],
        "lateral_canthus_left": [276.0, 228.0],
    });
    let r = srv
        .put(&prac, &format!("/api/photos/{id}/landmarks"), marks.clone())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let f = srv
        .get(&prac, &format!("/api/plans/{plan_id}/photos/{id}/fit"))
        .await;
    assert_eq!(f.status, StatusCode::OK, "{}", f.text());
    let f = f.json();
    eprintln!("{f:#}");

    // What `follicle render` computes for the same photo and marks.
    let ph = follicle_render::photo::decode(&jpeg, Default::default()).unwrap();
    let m = follicle_render::register::parse_marks(
        "[landmarks]\nglabella = [202, 195]\nlateral_canthus_right = [141, 210]\nlateral_canthus_left = [276, 228]\n",
        &plan,
    )
    .unwrap();
    let cli = follicle_render::views::register_photo(
        &plan,
        PhotoView::Front,
        &m,
        &ph,
        follicle_render::register::MAX_RESIDUAL_MM,
    )
    .unwrap();
    let near = |v: &Value, x: f64, tol: f64| (v.as_f64().unwrap() - x).abs() <= tol;
    assert_eq!(f["fits"], true, "{f}");
    assert_eq!(f["exact"].as_bool(), Some(cli.exact), "{f}");
    assert!(near(&f["rms_mm"], cli.rms_mm, 0.006), "{f} {}", cli.rms_mm);
    assert!(near(&f["px_per_mm"], cli.px_per_mm, 0.006), "{f}");
    assert!(
        near(&f["head_turn_deg"], cli.frontal.yaw_rad.to_degrees(), 0.06)
            && near(
                &f["head_tilt_deg"],
                cli.frontal.pitch_rad.to_degrees(),
                0.06
            ),
        "{f} {:?}",
        cli.frontal
    );
    let rows = f["residuals"].as_array().unwrap();
    assert_eq!(rows.len(), cli.residuals.len());
    for (row, (name, mm)) in rows.iter().zip(&cli.residuals) {
        assert_eq!(row["name"].as_str(), Some(name.as_str()));
        assert!(near(&row["mm"], *mm, 0.006), "{row} against {mm}");
    }
    assert!(
        cli.rms_mm > 0.1 && !cli.exact,
        "the joint fit checks the marks against the outline"
    );
    assert_eq!(
        f["culprit"]["name"].as_str(),
        cli.culprit.as_ref().map(|c| c.name.as_str()),
        "{f}"
    );
    // The head's breadth in mm, the one rule of follicle-render's head_size.
    let head = follicle_render::head_size::HeadSize::measured(&plan, &cli)
        .expect("the outline takes part on the reference photo");
    assert!(
        near(&f["head_breadth_mm"], head.photo_mm.round(), 0.0),
        "{f}"
    );
    assert_eq!(
        f["head_words"].as_str().map(str::to_string),
        head.advice(follicle_render::head_size::IN_THE_EDITOR),
        "{f}"
    );
    if let Some(w) = head.advice(follicle_render::head_size::IN_THE_EDITOR) {
        assert!(f["words"].as_str().unwrap().contains(&w[1..]), "{f}");
    }
    // Asked again, the cached answer is the same.
    let again = srv
        .get(&prac, &format!("/api/plans/{plan_id}/photos/{id}/fit"))
        .await
        .json();
    assert_eq!(again, f);

    // The plan lies on this head: the advice has no placement warning.
    let advice = |id: i64| format!("/api/plans/{plan_id}/photos/{id}/advice");
    let a = srv.get(&prac, &advice(id)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert!(a.json()["placement_warning"].is_null(), "{}", a.text());
    // The design's treated top faces the camera: the area seen is said, with no warning that it hides.
    assert!(
        a.json()["seen_cm2"].as_f64().is_some_and(|c| c >= 20.0),
        "{}",
        a.text()
    );
    assert!(a.json()["coverage_warning"].is_null(), "{}", a.text());
    // A Norwood design is worn shaved: the retained hair is clipped, and a guard named.
    assert_eq!(a.json()["hair_as_worn"], false, "{}", a.text());
    assert!(a.json()["guard_words"].is_string(), "{}", a.text());
    // His photographed skin (lit, about Fitzpatrick I–II) calls for other usual strengths than the type V his
    // consultation records, the design editor's: the advice keeps to type V's, and both are said, and why
    // (probe s31c: 26–59 % in the editor, 15–40 % here, no word why; outside test s53: the photo's band
    // called the editor's own starting strength too strong).
    // Why the advice lies past the usual strengths: one sentence for the zones it is the same for (probe
    // s32: the paragraph was repeated for each of seven zones): here the demo's lighter hairline, below
    // type V's 43–88 %.
    let beyond = a.json()["shade"]["beyond_band_notes"].clone();
    assert!(
        beyond.as_array().is_some_and(|n| n.len() == 1
            && n[0].as_str().is_some_and(|t| t.starts_with("hairline: ")
                && t.contains("than the 43–88 % practitioners usually use"))),
        "{beyond}"
    );
    assert!(
        a.json()["shade"]["zones"]
            .as_array()
            .is_some_and(
                |zs| zs.iter().all(|z| z["band_percent"] == json!([43.0, 88.0])
                    && z["strength_percent"]
                        .as_f64()
                        .is_some_and(|s| (43.0..=88.0).contains(&s)))
            ),
        "every zone's advice within type V's band: {}",
        a.text()
    );
    let note = a.json()["shade"]["band_note"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        note.starts_with("The advice keeps to 43–88 %, the strengths practitioners use on Fitzpatrick type V as the consultation records it")
            && note.contains("reads lighter"),
        "{}",
        a.text()
    );
    // The photo turned upside down, as stored (`pad` = 0) and laid 60 px down on a backdrop-coloured card
    // with the backdrop's grain (`pad` = 60; a plain card is found as a canvas around the photo, and the
    // photo refused as stored), uploaded with the upright photo's marks moved with it.
    let upload_turned = |pad: u32| {
        let srv = &srv;
        let prac = &prac;
        let jpeg = &jpeg;
        async move {
            let img = image::load_from_memory(jpeg).unwrap().rotate180().to_rgb8();
            let mut card = image::RgbImage::from_fn(img.width(), img.height() + pad, |x, y| {
                let g = ((x * 7919 + y * 104_729) % 97 * 24 / 97) as u8;
                image::Rgb([204 + g, 203 + g, 206 + g])
            });
            image::imageops::replace(&mut card, &img, 0, i64::from(pad));
            let mut png = std::io::Cursor::new(Vec::new());
            card.write_to(&mut png, image::ImageFormat::Png).unwrap();
            let r = srv
                .call(
                    prac,
                    "POST",
                    &format!("/api/clients/{client}/photos?caption=turned&view=front"),
                    Some("image/png"),
                    png.into_inner(),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
            let id = r.json()["id"].as_i64().unwrap();
            let y = |v: f64| v + f64::from(pad);
            let moved = json!({
                "glabella": [202.0, y(195.0)],
                "lateral_canthus_right": [141.0, y(210.0)],
                "lateral_canthus_left": [276.0, y(228.0)],
            });
            let r = srv
                .put(prac, &format!("/api/photos/{id}/landmarks"), moved)
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            id
        }
    };
    let picture = |id: i64, stage: &str| {
        format!("/api/plans/{plan_id}/photos/{id}/preview.png?stage={stage}")
    };
    // As stored: its marks' "forehead" runs into the photo's edge, so it is refused before the fit in the
    // CLI's words (turn it upright, session 22): the advice and every picture are a 422 saying so.
    let turned = upload_turned(0).await;
    let upright = |r: &support::Reply| {
        r.status == StatusCode::UNPROCESSABLE_ENTITY
            && r.message().contains("This photo cannot be used")
            && r.message().contains("upside down, turn it upright")
    };
    let a = srv.get(&prac, &advice(turned)).await;
    assert!(upright(&a), "{}", a.text());
    for stage in ["after", "shaved", "before"] {
        let r = srv.get(&prac, &picture(turned, stage)).await;
        assert!(upright(&r), "{stage}: {}", r.text());
    }
    // On the card it registers, and most impressions fall off the head (outside probe s12: it inked the
    // chin and the collar): the advice says it is no picture for the client, in the words `follicle
    // render` refuses it with (follicle-render's `PhotoPreview::off_head`).
    let carded = upload_turned(60).await;
    let a = srv.get(&prac, &advice(carded)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let w = a.json()["placement_warning"].as_str().map(str::to_string);
    assert!(
        w.as_deref()
            .is_some_and(|w| w.contains("does not lie on this head")),
        "{}",
        a.text()
    );
    // Its shaved and after pictures are refused in those words, as `follicle render` writes none (outside
    // probe s21: they were served with 200); the before picture is the photo itself and still shown.
    for stage in ["after", "shaved"] {
        let r = srv.get(&prac, &picture(carded, stage)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{stage}");
        let m = r.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            m.contains("not one to show the client") && m.contains("does not lie on this head"),
            "{m}"
        );
    }
    let r = srv.get(&prac, &picture(carded, "before")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

#[tokio::test]
async fn the_reference_photo_s_fit_is_the_cli_s_on_sqlite() {
    the_reference_photo_s_fit_is_the_cli_s(support::sqlite_server(Setup::default())).await;
}

/// No head, no picture (issue 11 item 9, the CLI's rule in the studio): a grey photo marked with a glabella and
/// two eye corners "registered" and was drawn on; its fit and preview are refused in words now.
#[tokio::test]
async fn a_photo_without_a_face_is_refused_in_words() {
    let srv = support::sqlite_server(Setup::default());
    let (_owner, prac, _desk) = srv.clinic("noface", true).await;
    let client = srv.new_client(&prac, "g-1", "Grey Wall").await;
    let plan_id = srv.new_plan(&prac, client, CASE).await;
    let wall = |rgb: [u8; 3]| {
        let mut png = Vec::new();
        image::RgbImage::from_pixel(640, 480, image::Rgb(rgb))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        png
    };
    // A black-and-white photo is refused at upload (outside probe s21: accepted, then refused at preview).
    let r = srv
        .call(
            &prac,
            "POST",
            &format!("/api/clients/{client}/photos?view=front"),
            Some("image/png"),
            wall([128, 128, 128]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.message().contains("black and white"), "{}", r.text());
    let id = upload(&srv, &prac, client, "front", wall([200, 160, 130])).await;
    let marks = json!({
        "glabella": [320.0, 260.0],
        "lateral_canthus_right": [275.0, 275.0],
        "lateral_canthus_left": [365.0, 275.0],
    });
    let r = srv
        .put(
            &prac,
            &format!("/api/photos/{id}/landmarks"),
            json!({ "landmarks": marks }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    for what in ["fit", "preview.png?stage=after"] {
        let r = srv
            .get(&prac, &format!("/api/plans/{plan_id}/photos/{id}/{what}"))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{what}: {}",
            r.text()
        );
        assert!(
            r.message().contains("no head was found"),
            "{what}: {}",
            r.text()
        );
    }
}

/// A top photo whose ear tops are marked at the ears' outer edges (outside test s38: fitted 25° tilted, with
/// "could not be checked" the only word): the advice says the head the marks place lies partly on the
/// backdrop; with the true marks it says nothing of the kind.
#[tokio::test]
async fn a_top_photo_marked_off_is_said_so_in_the_advice() {
    let srv = support::sqlite_server(Setup::default());
    let (_owner, prac, _desk) = srv.clinic("top-off", true).await;
    let client = srv.new_client(&prac, "t-1", "Ida Above").await;
    let plan_id = srv.new_plan(&prac, client, CASE).await;
    let text = srv
        .get(&prac, &format!("/api/plans/{plan_id}/plan.json"))
        .await
        .text();
    let plan = follicle_export::load_plan(&text).unwrap();
    let (png, marks) = photo(&plan, PhotoView::Top, "", 0.0);
    let id = upload(&srv, &prac, client, "top", png).await;
    let advice = format!("/api/plans/{plan_id}/photos/{id}/advice");
    let mut off = marks.clone();
    let centre = marks["glabella"][0].as_f64().unwrap();
    for ear in ["ear_top_right", "ear_top_left"] {
        let x = off[ear][0].as_f64().unwrap();
        off[ear][0] = json!(x + 12.0 * (x - centre).signum());
    }
    for (marks, said) in [(&marks, false), (&off, true)] {
        let r = srv
            .put(&prac, &format!("/api/photos/{id}/landmarks"), marks.clone())
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let a = srv.get(&prac, &advice).await.json();
        let w = &a["outline_warning"];
        assert_eq!(
            w.as_str()
                .is_some_and(|w| w.contains("lies on the backdrop")),
            said,
            "{a}"
        );
    }
}
