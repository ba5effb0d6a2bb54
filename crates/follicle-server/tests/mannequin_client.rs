//! The mannequin preview wears the client (issue 10, h18 item 3), through the real API: a client whose
//! consultation classifies Ludwig II with blond hair, planned from a woman's case, gets
//! `GET /api/plans/{id}/preview.png` on a woman's face with blond stubble and brows: exactly follicle-render's
//! picture of that plan with `Face::Female` and the blond of `shade::parse_hair`, not the default man's face
//! with dark-brown stubble the preview once drew for everyone. The client report's picture of the design is
//! dressed by the same rule (s10 item 2): the plan's face, else the consultation's, and its hair colour.

mod support;

use axum::http::StatusCode;
use follicle_render::mannequin::Face;
use follicle_render::{Scene, State, View};
use support::{Server, Setup};

const GO: &str = include_str!("../../../examples/intake-norwood6-go.toml");
const WOMAN: &str = include_str!("../../../examples/cases/diffuse-thinning-female.toml");

/// follicle-render's front picture of `plan` at 200 px with `face` and `hair` (None: the default).
fn expected(plan: &follicle_core::Plan, face: Face, hair: Option<&str>) -> Vec<u8> {
    drawn(plan, View::Front, 200, face, hair)
}

/// follicle-render's healed picture of `plan` from `view` at `size` px, 30 cm, with `face` and `hair`.
fn drawn(
    plan: &follicle_core::Plan,
    view: View,
    size: usize,
    face: Face,
    hair: Option<&str>,
) -> Vec<u8> {
    let mut scene = Scene {
        view,
        state: State::Healed,
        session: None,
        distance_mm: 300.0,
        size,
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
    let intake = ludwig_blond(GO);
    assert_ne!(intake, GO);
    let client = srv.screened_client(&prac, &intake, "Ana Ruiz").await;
    assert_eq!(
        start_look(&srv, &prac, client).await,
        ("female".into(), "blond".into())
    );
    let id = srv.new_plan(&prac, client, WOMAN).await;
    let (plan, shown) = plan_and_preview(&srv, &prac, id).await;
    assert!(
        shown == expected(&plan, Face::Female, Some("blond")),
        "the preview is the woman's face with blond stubble"
    );
    assert!(
        shown != expected(&plan, Face::Male, None),
        "not the default man with dark-brown stubble"
    );
    // The client report's picture (the design from above, 480 px) is dressed the same way.
    let top = |face, hair| drawn(&plan, View::Top, 480, face, hair);
    let pictured = report_picture(&srv, &prac, client, id).await;
    assert!(
        pictured == top(Face::Female, Some("blond")),
        "the report shows the woman with blond stubble"
    );
    assert!(pictured != top(Face::Male, None), "not the default man");

    // A case that does not state the sex: the plan keeps none, and both pictures take the consultation's
    // (Ludwig II: a woman) rather than the default man.
    let unsaid = WOMAN.replacen("sex = \"female\"", "", 1);
    assert_ne!(unsaid, WOMAN);
    let id = srv.new_plan(&prac, client, &unsaid).await;
    let text = srv
        .get(&prac, &format!("/api/plans/{id}/plan.json"))
        .await
        .text();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(v["head"]["sex"].is_null(), "{}", v["head"]);
    let (plan, shown) = plan_and_preview(&srv, &prac, id).await;
    assert!(shown == expected(&plan, Face::Female, Some("blond")));
    let pictured = report_picture(&srv, &prac, client, id).await;
    assert!(pictured == drawn(&plan, View::Top, 480, Face::Female, Some("blond")));
}

/// A consultation dated after today on the clinic's clocks (held today in a zone a day ahead, before the
/// clinic moved its clocks back) has not happened yet: the preview and the client report both dress the
/// mannequin from the consultation that did (a Norwood VI man with black hair), by one rule, instead of the
/// preview taking the future one (a Ludwig II woman, blond) while the report skipped it.
async fn a_consultation_not_yet_held_dresses_neither_picture(srv: Server) {
    let (owner, prac, _desk) = srv.clinic("mannequin-later", true).await;
    let set_zone = |zone: &'static str| {
        let (srv, owner) = (&srv, &owner);
        async move {
            let r = srv
                .put(
                    owner,
                    "/api/clinic/settings",
                    serde_json::json!({ "time_zone": zone }),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        }
    };
    set_zone("Pacific/Kiritimati").await;
    let client = srv.screened_client(&prac, GO, "Go Client").await;
    // Held today in Kiritimati (UTC+14): in Pago Pago (UTC−11) that day is always still to come.
    let ahead = follicle_clinic::ClinicZone::get("Pacific/Kiritimati")
        .unwrap()
        .today(follicle_clinic::DateTime::from_unix_seconds(follicle_store::now_unix()).unwrap());
    let later = ludwig_blond(GO).replace("date = 2025-03-03", &format!("date = {ahead}"));
    let intake = follicle_clinic::Intake::from_toml(&later).unwrap();
    let r = srv
        .post(
            &prac,
            &format!("/api/clients/{client}/consultations"),
            serde_json::to_value(&intake).unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    set_zone("Pacific/Pago_Pago").await;

    assert_eq!(
        start_look(&srv, &prac, client).await,
        ("male".into(), "black".into()),
        "a new design starts from the consultation held, not the one still to come"
    );
    let unsaid = WOMAN.replacen("sex = \"female\"", "", 1);
    let id = srv.new_plan(&prac, client, &unsaid).await;
    let (plan, shown) = plan_and_preview(&srv, &prac, id).await;
    assert!(
        shown == expected(&plan, Face::Male, Some("black")),
        "the preview shows the man of the consultation held, with black stubble"
    );
    let pictured = report_picture(&srv, &prac, client, id).await;
    assert!(
        pictured == drawn(&plan, View::Top, 480, Face::Male, Some("black")),
        "the report shows the same man"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_consultation_not_yet_held_dresses_neither_picture_on_sqlite() {
    a_consultation_not_yet_held_dresses_neither_picture(support::sqlite_server(PLAIN)).await;
}

/// A consultation that records the client as a woman, with a scar and no hair-loss stage, starts a new design
/// on a woman's head with the woman's default pattern, and one with a scar as a scar repair alone (`scars-only`) (outside test s55: only a Ludwig stage made a woman's
/// head; a scar-only woman started as a man's Norwood 6), and the mannequin wears her face.
async fn a_woman_recorded_without_a_stage_starts_on_a_woman_s_head(srv: Server) {
    let (_owner, prac, _desk) = srv.clinic("mannequin-woman", true).await;
    let intake = GO
        .replace("[hair_loss]\nscale = \"norwood\"\nstage = \"VI\"\n", "")
        .replace(
            "date_of_birth = 1979-11-02",
            "date_of_birth = 1979-11-02\nsex = \"female\"",
        );
    assert!(
        !intake.contains("hair_loss") && intake.contains("sex = "),
        "{intake}"
    );
    let client = srv.screened_client(&prac, &intake, "Maria Costa").await;
    let start = srv
        .get(&prac, &format!("/api/clients/{client}/designs/start"))
        .await
        .json();
    assert_eq!(start["sex"], "female", "{start}");
    assert_eq!(start["sex_recorded"], true, "{start}");
    assert!(start["pattern"].is_null(), "{start}");
    assert_eq!(start["default_pattern"], "ludwig-2", "{start}");
    // The consultation as stored keeps the sex (the correction form reads it back).
    let list = srv
        .get(&prac, &format!("/api/clients/{client}/consultations"))
        .await
        .json();
    let stored: serde_json::Value =
        serde_json::from_str(list[0]["intake_json"].as_str().unwrap()).unwrap();
    assert_eq!(stored["client"]["sex"], "female", "{stored}");
    // A plan whose case does not say: the mannequin wears the recorded woman's face.
    let unsaid = WOMAN.replacen("sex = \"female\"", "", 1);
    let id = srv.new_plan(&prac, client, &unsaid).await;
    let (plan, shown) = plan_and_preview(&srv, &prac, id).await;
    assert!(shown == expected(&plan, Face::Female, Some("black")));
    // A recorded man with a Ludwig stage (an unusual record, but the recorded sex is what counts).
    let man = ludwig_blond(GO)
        .replace("c-2025-014", "c-2025-015")
        .replace(
            "date_of_birth = 1979-11-02",
            "date_of_birth = 1979-11-02\nsex = \"male\"",
        );
    let other = srv.screened_client(&prac, &man, "Sam Lee").await;
    assert_eq!(start_look(&srv, &prac, other).await.0, "male");
    // A woman whose consultation records a scar and no hair loss: a scar repair alone.
    let scarred = format!(
        "{}\n[[scars]]\nkind = \"fut-strip\"\nlength_mm = 140\n",
        intake.replace("c-2025-014", "c-2025-016")
    );
    let third = srv.screened_client(&prac, &scarred, "Rita Moss").await;
    let start = srv
        .get(&prac, &format!("/api/clients/{third}/designs/start"))
        .await
        .json();
    assert_eq!(start["scars"].as_array().map(Vec::len), Some(1), "{start}");
    assert_eq!(
        (start["default_pattern"].as_str(), start["sex"].as_str()),
        (Some("scars-only"), Some("female")),
        "{start}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_woman_recorded_without_a_stage_starts_on_a_woman_s_head_on_sqlite() {
    a_woman_recorded_without_a_stage_starts_on_a_woman_s_head(support::sqlite_server(PLAIN)).await;
}

/// The Norwood VI intake `go` turned into a Ludwig II client with blond hair.
fn ludwig_blond(go: &str) -> String {
    go.replace("scale = \"norwood\"", "scale = \"ludwig\"")
        .replace("stage = \"VI\"", "stage = \"II\"")
        .replace("colour = \"black\"", "colour = \"blond\"")
}

/// The sex and hair colour a new design for `client` starts from (`GET …/designs/start`).
async fn start_look(srv: &Server, prac: &support::Session, client: i64) -> (String, String) {
    let start = srv
        .get(prac, &format!("/api/clients/{client}/designs/start"))
        .await
        .json();
    let field = |k: &str| start[k].as_str().unwrap_or("(none)").to_string();
    (field("sex"), field("hair_colour"))
}

/// Plan `id` as the API stores it and its front preview (healed, 200 px) as the API draws it.
async fn plan_and_preview(
    srv: &Server,
    prac: &support::Session,
    id: i64,
) -> (follicle_core::Plan, Vec<u8>) {
    let text = srv
        .get(prac, &format!("/api/plans/{id}/plan.json"))
        .await
        .text();
    let plan = follicle_export::load_plan(&text).unwrap();
    let r = srv
        .get(
            prac,
            &format!("/api/plans/{id}/preview.png?view=front&state=healed&size=200"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    (plan, r.body)
}

/// The design picture in client `client`'s report on plan `plan` (HTML), decoded from its data URI.
async fn report_picture(srv: &Server, prac: &support::Session, client: i64, plan: i64) -> Vec<u8> {
    use base64::Engine;
    let r = srv
        .get(prac, &format!("/api/clients/{client}/report?plan={plan}"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    let figure = html
        .split("<img src=\"data:image/png;base64,")
        .skip(1)
        .find(|f| f.contains("alt=\"Your design, seen from above"))
        .expect("the report pictures the design");
    let data = &figure[..figure.find('"').unwrap()];
    base64::engine::general_purpose::STANDARD
        .decode(data)
        .unwrap()
}

const PLAIN: Setup = Setup {
    zone: None,
    studio_ui: false,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_mannequin_wears_the_client_on_sqlite() {
    wears_the_client(support::sqlite_server(PLAIN)).await;
}
