//! Pictures and shade advice drawn with the clinic's own pigments (follicle-render's `plan_catalogue`) through
//! the real API: a design whose zones carry the clinic's black (recorded with its colour) is drawn in that
//! colour on the mannequin and on the client's photo, and the photo's advice says it comes from the clinic's
//! pigments; the same design in the built-in carbon black is drawn differently and says so. SQLite always,
//! PostgreSQL when FOLLICLE_TEST_POSTGRES_URL is set.

mod support;

use axum::http::StatusCode;
use follicle_render::views::{mannequin_photo, PhotoView};
use serde_json::{json, Value};
use support::{Server, Session, Setup};

const CASE: &str = include_str!("../../../examples/cases/norwood6-average.toml");
const PIGMENTS: &str = include_str!("../../../examples/pigments.toml");
const ZONES: [&str; 7] = [
    "hairline",
    "frontal",
    "mid_scalp",
    "crown",
    "temples",
    "sides",
    "back",
];

/// The example case with every built-in zone in `shade`.
fn case_in(shade: &str) -> String {
    let mut c = CASE.to_string();
    for z in ZONES {
        c.push_str(&format!("\n[zones.{z}]\nshade = \"{shade}\"\n"));
    }
    c
}

/// Plans `case` for `client`: (plan id, plan).
async fn plan(srv: &Server, s: &Session, client: i64, case: &str) -> (i64, follicle_core::Plan) {
    let r = srv
        .post(
            s,
            &format!("/api/clients/{client}/plans"),
            json!({ "case": case }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let text = srv
        .get(s, &format!("/api/plans/{id}/plan.json"))
        .await
        .text();
    (id, follicle_export::load_plan(&text).unwrap())
}

async fn png(srv: &Server, s: &Session, path: &str) -> Vec<u8> {
    let r = srv.get(s, path).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
    assert_eq!(r.header("content-type"), Some("image/png"));
    r.body
}

async fn drawn_with_the_clinic_s_pigments(srv: Server) {
    let (_owner, prac, _desk) = srv.clinic("drawn", true).await;
    let client = srv.new_client(&prac, "d-1", "Tomás Pereira").await;
    // The clinic's own black: dark and near-neutral enough to start designs (L* ≤ 30, chroma ≤ 6), and far
    // enough from the built-in carbon black to be told apart on a picture.
    let cat = follicle_clinic::Catalogue::parse(PIGMENTS, follicle_clinic::Format::Toml).unwrap();
    let mut p = cat.pigments[0].clone();
    p.id = "studio-black".into();
    p.lab = Some([27.0, 3.0, -5.0]);
    let r = srv
        .post(&prac, "/api/pigments", serde_json::to_value(p).unwrap())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());

    // A shade that is no pigment of the clinic or of the built-in catalogue is refused in words, nothing
    // stored (probe s33: "purple unicorn" was planned and drawn as carbon black).
    let r = srv
        .post(
            &prac,
            &format!("/api/clients/{client}/plans"),
            json!({ "case": case_in("purple unicorn") }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.message().contains("shade “purple unicorn” is not a pigment of this clinic or of the built-in catalogue: choose one of studio-black, carbon black"),
        "{}",
        r.message()
    );
    let (own_id, own_plan) = plan(&srv, &prac, client, &case_in("studio-black")).await;
    let (builtin_id, _) = plan(&srv, &prac, client, &case_in("carbon black")).await;
    for z in own_plan
        .zones
        .iter()
        .filter(|z| z.spec.kind != follicle_core::ZoneKind::Exclusion)
    {
        assert_eq!(z.spec.shade, "studio-black", "zone {}", z.spec.id);
    }

    // The mannequin: the clinic's black is drawn in its own colour, not as the built-in default.
    let view = "?view=top&state=healed&size=320";
    let own_top = png(
        &srv,
        &prac,
        &format!("/api/plans/{own_id}/preview.png{view}"),
    )
    .await;
    let builtin_top = png(
        &srv,
        &prac,
        &format!("/api/plans/{builtin_id}/preview.png{view}"),
    )
    .await;
    assert_ne!(
        own_top, builtin_top,
        "the clinic's black must be drawn in its recorded colour"
    );

    // The client's photo (the mannequin photographed from the front, marked where it is).
    let (img, marks, _) = mannequin_photo(&own_plan, PhotoView::Front, 0.1, 0.05, 480);
    let marks: serde_json::Map<String, Value> = marks
        .points
        .iter()
        .map(|(n, [x, y])| (n.clone(), json!([x, y])))
        .collect();
    let r = srv
        .call(
            &prac,
            "POST",
            &format!("/api/clients/{client}/photos?caption=front&view=front"),
            Some("image/png"),
            img.to_png().unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let photo = r.json()["id"].as_i64().unwrap();
    let r = srv
        .put(
            &prac,
            &format!("/api/photos/{photo}/landmarks"),
            json!({ "landmarks": marks }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    let own = srv
        .get(&prac, &format!("/api/plans/{own_id}/photos/{photo}/advice"))
        .await
        .json();
    assert_eq!(own["catalogue"], "clinic", "{own}");
    assert_eq!(
        own["catalogue_note"],
        "Drawn with the clinic's own pigments, in the colours recorded for them: studio-black."
    );
    if let Some(zones) = own["shade"]["zones"].as_array() {
        for z in zones {
            assert_eq!(z["pigment"], "studio-black", "{own}");
            if let Some(c) = z["closest"]["pigment"].as_str() {
                assert_eq!(
                    c, "studio-black",
                    "only the clinic's pigments are searched: {own}"
                );
            }
        }
    }
    let builtin = srv
        .get(
            &prac,
            &format!("/api/plans/{builtin_id}/photos/{photo}/advice"),
        )
        .await
        .json();
    assert_eq!(builtin["catalogue"], "built-in", "{builtin}");
    assert_eq!(
        builtin["catalogue_note"],
        "Drawn with the built-in catalogue: the design's shades (carbon black) are not among the clinic's pigments with a recorded colour (studio-black); choose one of those as a zone's shade in the design to draw it in its recorded colour."
    );
    let after = "?stage=after&state=healed";
    let own_after = png(
        &srv,
        &prac,
        &format!("/api/plans/{own_id}/photos/{photo}/preview.png{after}"),
    )
    .await;
    let builtin_after = png(
        &srv,
        &prac,
        &format!("/api/plans/{builtin_id}/photos/{photo}/preview.png{after}"),
    )
    .await;
    assert_ne!(
        own_after, builtin_after,
        "the photo preview draws the clinic's black in its recorded colour"
    );
}

const PLAIN: Setup = Setup {
    zone: None,
    studio_ui: false,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn drawn_with_the_clinic_s_pigments_on_sqlite() {
    drawn_with_the_clinic_s_pigments(support::sqlite_server(PLAIN)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn drawn_with_the_clinic_s_pigments_on_postgres() {
    if let Some(srv) = support::postgres_server("drawn", PLAIN) {
        drawn_with_the_clinic_s_pigments(srv).await;
    }
}
