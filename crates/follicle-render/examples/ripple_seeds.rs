//! The demo design's healed vertex close-up seen from 1.5 m against 30 cm (the calibration test's far/near
//! ripple ratio, `calibrate::tests::up_close_dots_are_distinct_and_from_afar_an_even_shadow`), for several
//! plan seeds and two square sizes: how much of a reading is the luck of one patch.
//!
//!   cargo run --release -p follicle-render --example ripple_seeds -- 42 1 2 3
use follicle_render::calibrate::closeup_reading;
use follicle_render::{Catalogue, State};

fn main() {
    let cat = Catalogue::builtin();
    let seeds: Vec<u64> = std::env::args()
        .skip(1)
        .map(|s| s.parse().expect("seeds are whole numbers"))
        .collect();
    for seed in seeds {
        let mut design = follicle_core::demo_design();
        design.seed = seed;
        let plan = follicle_core::plan(&design).expect("the demo design plans");
        let ratio = |width_mm: f64| {
            let near = closeup_reading(&plan, &cat, State::Healed, None, width_mm, 8.0, 300.0);
            let far = closeup_reading(&plan, &cat, State::Healed, None, width_mm, 8.0, 1500.0);
            far.ripple / near.ripple
        };
        println!(
            "seed {seed}: far/near ripple {:.3} on 16 mm, {:.3} on 32 mm",
            ratio(16.0),
            ratio(32.0)
        );
    }
}
