//! The starting shade of a new design (GET /api/clients/{id}/designs/start) from the clinic's own pigments
//! through the real API: the built-in catalogue while no pigment of the clinic has its colour recorded or none
//! is a dark neutral one (saying so), the clinic's own darkest neutral pigment once recorded (by its id, in
//! every zone), the strength still the skin's and hair's; a colour out of range refused in words.

mod support;

use axum::http::StatusCode;
use serde_json::{json, Value};
use support::{Server, Setup};

const GO: &str = include_str!("../../../examples/intake-norwood6-go.toml");
const PIGMENTS: &str = include_str!("../../../examples/pigments.toml");

/// The example catalogue's first pigment as `id`, with the colour `lab`.
fn pigment(id: &str, lab: Option<[f64; 3]>) -> Value {
    let cat = follicle_clinic::Catalogue::parse(PIGMENTS, follicle_clinic::Format::Toml).unwrap();
    let mut p = cat.pigments[0].clone();
    p.id = id.into();
    p.lab = lab;
    serde_json::to_value(p).unwrap()
}

async fn start(srv: &Server) {
    let (_owner, prac, _desk) = srv.clinic("shade", true).await;
    let client = srv.screened_client(&prac, GO, "Daniel Mensah").await;
    let path = format!("/api/clients/{client}/designs/start");

    // No pigment recorded with its colour (one without): the built-in carbon black, said in words.
    let r = srv
        .post(&prac, "/api/pigments", pigment("nocturne-carbon-1", None))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    let built_in = srv.get(&prac, &path).await.json();
    let shade = &built_in["shade"];
    assert_eq!(shade["catalogue"], "built-in", "{built_in}");
    assert_eq!(shade["pigment"], "carbon black");
    assert_eq!(
        shade["catalogue_note"],
        "From the built-in catalogue: none of the clinic's pigments has its colour recorded (add the supplier's CIELAB colour to a pigment to start designs from it)."
    );

    // A colour that is not CIELAB is refused in words, and nothing is added.
    let r = srv
        .post(
            &prac,
            "/api/pigments",
            pigment("studio-odd", Some([120.0, 0.0, 0.0])),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.message(),
        "The colour of Nocturne SMP Carbon 1 is three CIELAB numbers as the supplier gives them: L* from 0 to 100, then a* and b* from -128 to 128; 120, 0, 0 is not."
    );

    // A pre-diluted grey and a brown of the clinic's own do not start a design.
    for (id, lab) in [
        ("studio-grey", [34.0, 0.0, -1.0]),
        ("studio-brown", [24.0, 5.5, 8.0]),
    ] {
        let r = srv
            .post(&prac, "/api/pigments", pigment(id, Some(lab)))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    }
    let still = srv.get(&prac, &path).await.json();
    assert_eq!(still["shade"]["catalogue"], "built-in", "{still}");
    assert_eq!(
        still["shade"]["catalogue_note"],
        "From the built-in catalogue: none of the clinic's pigments with a recorded colour (studio-brown, studio-grey) is dark and neutral enough to start a design (L* at most 30, a near-neutral black)."
    );

    // The clinic's own black, recorded with its colour: every zone starts from it, at the same strengths.
    let r = srv
        .post(
            &prac,
            "/api/pigments",
            pigment("studio-black", Some([15.0, 0.3, -0.8])),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    let listed = srv.get(&prac, "/api/pigments").await.json();
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == "studio-black" && p["lab"] == json!([15.0, 0.3, -0.8])),
        "{listed}"
    );
    let own = srv.get(&prac, &path).await.json();
    let shade = &own["shade"];
    assert_eq!(shade["catalogue"], "clinic", "{own}");
    assert_eq!(shade["pigment"], "studio-black", "{own}");
    assert_eq!(
        shade["catalogue_note"],
        "From the clinic's own pigments: studio-black is the darkest neutral one recorded with its colour."
    );
    assert!(
        shade["why"]
            .as_str()
            .unwrap()
            .starts_with("studio-black at 88 % for Fitzpatrick V (dark skin) with black hair"),
        "{own}"
    );
    assert_eq!(shade["dilution"], built_in["shade"]["dilution"]);
    assert_eq!(shade["fine_dilution"], built_in["shade"]["fine_dilution"]);
    let zones = shade["zones"].as_object().unwrap();
    assert!(!zones.is_empty());
    for (id, z) in zones {
        assert_eq!(z["shade"], "studio-black", "{id}");
    }
    // A closer pigment, when named, is one of the clinic's.
    if let Some(p) = shade["closer"]["pigment"].as_str() {
        assert!(p.starts_with("studio-"), "{p}");
    }
}

const PLAIN: Setup = Setup {
    zone: None,
    studio_ui: false,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn starting_shade_from_the_clinic_s_pigments_on_sqlite() {
    start(&support::sqlite_server(PLAIN)).await;
}
