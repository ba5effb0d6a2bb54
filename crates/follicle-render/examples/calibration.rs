//! Prints the calibration table of docs/preview-model.md ("Calibration") for the demo plan: the mean
//! luminance drop over the interior of the density zones (3/4 view at 30 cm and 1.5 m) and the close-up
//! ripple at the vertex, per state. `cargo run --release -p follicle-render --example calibration`

use follicle_render::calibrate::{closeup_reading, view_readings};
use follicle_render::{Catalogue, State, View};

fn main() {
    let plan = follicle_core::plan(&follicle_core::demo_design()).expect("demo plan");
    let cat = Catalogue::builtin();
    let states = [
        ("session 1 healed (30 %)", State::Healed, Some(1)),
        ("session 2 healed (70 %)", State::Healed, Some(2)),
        ("healed (100 %)", State::Healed, None),
        ("fresh (last session)", State::Fresh, None),
        ("5 years", State::Aged(5.0), None),
        ("10 years", State::Aged(10.0), None),
        ("20 years", State::Aged(20.0), None),
        ("30 years", State::Aged(30.0), None),
    ];
    let list: Vec<(State, Option<usize>)> = states.iter().map(|s| (s.1, s.2)).collect();
    let near = view_readings(&plan, &cat, View::ThreeQuarter, 300.0, 600, &list);
    let far = view_readings(&plan, &cat, View::ThreeQuarter, 1500.0, 300, &list);
    println!("| state | 3/4, 30 cm, 600 px | 3/4, 1.5 m, 300 px | close-up 20 mm at vertex, ripple 30 cm / 1.5 m |");
    println!("|---|---|---|---|");
    for (i, (name, state, session)) in states.iter().enumerate() {
        let c30 = closeup_reading(&plan, &cat, *state, *session, 20.0, 10.0, 300.0);
        let c150 = closeup_reading(&plan, &cat, *state, *session, 20.0, 10.0, 1500.0);
        println!(
            "| {name} | {:.1} % | {:.1} % | {:.3} / {:.3} |",
            near[i].drop * 100.0,
            far[i].drop * 100.0,
            c30.ripple,
            c150.ripple
        );
    }
}
