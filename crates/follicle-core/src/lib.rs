//! follicle-core: the pure planning core of follicle. A `Design` (head measurements, hairline choices,
//! zones, sessions, seed) becomes a `Plan` (every impression with position, session, zone, size and shade).
//! No files, no network, no clock; all randomness comes from the design's seed. Builds for wasm32.

#![warn(missing_docs)]

pub mod design;
pub mod fading;
pub mod feather;
pub mod field;
pub mod geom;
pub mod guard;
pub mod hairline;
pub mod head;
pub mod landmarks;
pub mod noise;
pub mod parallel;
pub mod pigment_colour;
pub mod plan;
pub mod planner;
pub mod presets;
pub mod quality;
pub mod sampler;
pub mod tone;
pub mod words;
pub mod worn;

pub use design::{zone_words, Design, HairlineDesign, Pattern, ZoneKind, ZoneSpec};
pub use geom::Vec3;
pub use head::{Head, HeadMeasurements, Sex};
pub use plan::{plan, Plan, PlanError};
pub use worn::{hair_wear, HairWear};

/// The built-in demo design: a median adult male head, Norwood 6, three sessions, seed 42.
pub fn demo_design() -> Design {
    pattern_design(
        Pattern::Norwood(6),
        HeadMeasurements::median(Sex::Male),
        3,
        42,
    )
}

/// A design with the house defaults for a pattern on a head.
pub fn pattern_design(
    pattern: Pattern,
    head: HeadMeasurements,
    sessions: usize,
    seed: u64,
) -> Design {
    Design {
        head,
        hairline: HairlineDesign::default(),
        zones: presets::zones_for(pattern),
        cumulative_fractions: design::default_fractions(sessions),
        seed,
        sex: None,
    }
}
