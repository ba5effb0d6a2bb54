//! The mannequin preview wears the client (issue 10, h18 item 3), through the real API: a client whose
//! consultation classifies Ludwig II with blond hair, planned from a woman's case, gets
//! `GET /api/plans/{id}/preview.png` on a woman's face with blond stubble and brows: exactly follicle-render's
//! picture of that plan with `Face::Female` and the blond of `shade::parse_hair`, not the default man's face
//! with dark-brown stubble the preview once drew for everyone.

mod support;

use axum::http::StatusCode;
use follicle_render::mannequin::Face;
use follicle_render::{Scene, State, View};
use support::{Server, Setup};

const GO: &str = include_str!("../../../examples/intake-norwood6-go.toml");
const WOMAN: &str = include_str!("../../../examples/cases/diffuse-thinning-female.toml");

/// follicle-render's front picture of `plan` at 200 px with `face` and `hair` (None: the default).
fn expected(plan: &follicle_core::Plan, face: Face, hair: Option<&str>) -> Vec<u8> {
    let mut scene = Scene {
        view: View::Front,
        state: State::Healed,
        session: None,
        distance_mm: 300.0,
        size: 200,
        ..Scene::new(plan.design.seed)
    };
    scene.appearance.face = face;
    if let Some(h) = hair {
        scene.appearance.hair = follicle_render::shade::parse_hair(h).unwrap();
    }
    let cat = follicle_render::plan_catalogue::for_plan(plan, Vec::new()).catalogue;
    follicle_render::png(&follicle_render::preview::render(plan, &cat, &scene)).unwrap()
}

async fn wears_the_client(srv: Server) {
    let (_owner, prac, _desk) = srv.clinic("mannequin", true).await;
    let intake = GO
        .replace("scale = \"norwood\"", "scale = \"ludwig\"")
        .replace("stage = \"VI\"", "stage = \"II\"")
        .replace("colour = \"black\"", "colour = \"blond\"");
    assert_ne!(intake, GO);
    let client = srv.screened_client(&prac, &intake, "Ana Ruiz").await;
    let start = srv
        .get(&prac, &format!("/api/clients/{client}/designs/start"))
        .await
        .json();
    assert_eq!(
        (start["sex"].as_str(), start["hair_colour"].as_str()),
        (Some("female"), Some("blond")),
        "{start}"
    );
    let id = srv.new_plan(&prac, client, WOMAN).await;
    let text = srv
        .get(&prac, &format!("/api/plans/{id}/plan.json"))
        .await
        .text();
    let plan = follicle_export::load_plan(&text).unwrap();
    let r = srv
        .get(
            &prac,
            &format!("/api/plans/{id}/preview.png?view=front&state=healed&size=200"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let shown = r.body;
    assert!(
        shown == expected(&plan, Face::Female, Some("blond")),
        "the preview is the woman's face with blond stubble"
    );
    assert!(
        shown != expected(&plan, Face::Male, None),
        "not the default man with dark-brown stubble"
    );
}

const PLAIN: Setup = Setup {
    zone: None,
    studio_ui: false,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_mannequin_wears_the_client_on_sqlite() {
    wears_the_client(support::sqlite_server(PLAIN)).await;
}
