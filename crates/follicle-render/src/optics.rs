//! The optical model of one impression: what a dot of pigment at a given strength looks like in skin of a
//! given colour, fresh, healed, or years later. Pure functions of colours and numbers; every constant is
//! documented with its source (or marked as an assumption) in docs/preview-model.md.
//!
//! Model (per linear-light RGB channel). The skin's albedo `S` is read as light that passed the
//! melanin-bearing epidermis twice over a melanin-free dermis of albedo `R0`, so the epidermal double-pass
//! transmittance is `T² = S / R0`. Pigment lies in the upper dermis under a thin scattering layer that
//! sends back `ρ` of the light (more blue than red: the Tyndall effect that makes carbon black read
//! grey-blue). Light reaching the pigment layer and coming back carries the pigment's albedo `P`, so the
//! colour over pigment is `I = T² ⊙ (ρ + (1 − ρ)² ⊙ P)`. A pigment strength `s` (1 = undiluted) gives a
//! pigment cover `k = 1 − exp(−κ s)`, and the impression's albedo is `mix(S, I, k)`.
//!
//! Footprint: a soft-edged core (the deposit, slightly dispersed) and a dermal halo around it. Light that
//! diffuses sideways in the dermis passes under the pigment and is absorbed there, so the skin around a
//! deposit is darkened too (the "optical dot gain" of halftone print, much larger in skin, whose diffusion
//! length is about a millimetre). The halo carries `HALO_GAIN` times the core's ink and reaches
//! `HALO_MM` beyond it: the healed dot is seen 0.3–0.5 mm wide, soft-edged, over a faint even shadow.

use crate::color::{lin_from_lab, Lab, Lin};

/// Melanin-free dermis albedo `R0` (linear RGB): the skin of lightest Fitzpatrick I with epidermal
/// melanin removed (assumption calibrated on ITA° skin colours; see docs/preview-model.md).
pub const DERMIS_ALBEDO: Lin = [0.78, 0.60, 0.52];
/// Backscatter `ρ` of the dermis above the pigment layer (linear RGB, blue > red: Tyndall effect).
pub const DERMAL_BACKSCATTER: Lin = [0.05, 0.085, 0.16];
/// Optical density of undiluted pigment in an impression: cover `k = 1 − exp(−κ s)`.
pub const KAPPA: f64 = follicle_core::tone::KAPPA;
/// Soft-edge half width (dermal blur) of a healed impression, mm.
pub const HEALED_EDGE_MM: f64 = 0.06;
/// Dispersion of the deposit: pigment spreads around the needle's dot while it heals (and is seen through
/// the scattering dermis above it), so the dark core is wider than the planned healed diameter of the
/// needle point. Added to the deposit's radius, mm: a 3RL 0.25 mm impression reads about 0.5 mm across,
/// a 1RL about 0.45 mm (assumption within the sources' range: SMP "microdots of less than 1 mm, 1 mm
/// apart", Rassman et al. 2015; see docs/preview-model.md). It was 0.06 mm: 0.35 mm dots whose healed
/// treated area on a client's photo darkened by 4 L*, a hairline no client could see.
pub const OPTICAL_SPREAD_MM: f64 = follicle_core::tone::OPTICAL_SPREAD_MM;
/// Reach of the dermal halo beyond the core's radius, mm (assumption: chosen so the visible dot at half
/// depth is 0.3–0.5 mm and the halo tails of neighbours 1.1 mm apart overlap into an even shadow).
pub const HALO_MM: f64 = follicle_core::tone::HALO_MM;
/// Ink of the dermal halo as a multiple of the core's ink (optical dot gain). Calibrated so a healed
/// 100 % density zone at the house strengths darkens the default skin by the target of
/// [`TARGET_HEALED_DROP`] (see docs/preview-model.md).
pub const HALO_GAIN: f64 = follicle_core::tone::HALO_GAIN;
/// The calibration check: mean luminance drop of a healed 100 % density zone (house strengths, carbon
/// black, default light-medium skin) seen as a whole, relative to the same skin before: the model's
/// result with the spread above and the halo at its cap, the shadow of a dark-haired scalp shaved close
/// with a foil shaver (between a razor's 18 % and a 0.5 mm clip); see docs/preview-model.md.
pub const TARGET_HEALED_DROP: f64 = 0.28;
/// Share of healed pigment that stays for good: follicle-core's fading curve, the same one the clinic's
/// touch-up timing uses ([`follicle_core::fading::PERSISTENT`]).
pub const FADE_PERSISTENT: f64 = follicle_core::fading::PERSISTENT;
/// Time constant of the fading part of healed pigment, years ([`follicle_core::fading::TAU_YEARS`],
/// fitted to Liu et al. 2025): strength left 89 % at 6 months, 64 % at 2 years, 39 % at 5 years, 28 % at
/// 10 years.
pub const FADE_TAU_YEARS: f64 = follicle_core::fading::TAU_YEARS;
/// Scars fade faster: their time constant is this fraction of the normal one
/// ([`follicle_core::fading::SCAR_FACTOR`]).
pub const SCAR_FADE_FACTOR: f64 = follicle_core::fading::SCAR_FACTOR;
/// Spreading of an impression's diameter once the fading has levelled off: the diameter grows by this share
/// times the fading part gone ([`follicle_core::fading::fading_part_gone`]), since the macrophages that
/// clear pigment also carry some of it outward (assumption, see docs: × 1.29 at 10 years, about the
/// 3 %/year it was; it no longer grows once nothing more fades, so old work does not read darker).
pub const SPREAD_WHEN_LEVELLED: f64 = 0.3;
/// Extra soft-edge width once the fading has levelled off, mm, taken on in step with the spreading
/// (assumption: 0.115 mm more at 10 years).
pub const EDGE_WHEN_LEVELLED_MM: f64 = 0.12;
/// Fresh impressions: extra pigment (ink still in the epidermis and crust) as a strength multiplier.
pub const FRESH_STRENGTH: f64 = 1.6;
/// Fresh impressions: diameter multiplier (swelling, epidermal ink around the puncture).
pub const FRESH_DIAMETER: f64 = 1.3;
/// Fresh impressions: fraction of the dermal backscatter left (the epidermis over them is disrupted).
pub const FRESH_BACKSCATTER: f64 = 0.3;
/// Radius of the erythema (redness) around a fresh impression, mm: wide and weak, so the overlapping
/// halos of neighbours read as an evenly reddened treated area around black-grey dots (a narrow, strong
/// halo tinted each dot itself maroon).
pub const FRESH_REDNESS_RADIUS_MM: f64 = 2.0;
/// Colour multiplier of fully reddened skin (linear RGB).
pub const FRESH_REDNESS_TINT: Lin = [1.0, 0.72, 0.74];
/// Peak strength of one impression's redness halo (overlapping halos add up).
pub const FRESH_REDNESS_STRENGTH: f64 = 0.12;

/// The time point a preview shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum State {
    /// Right after the session (the plan's last session fresh, earlier sessions healed).
    Fresh,
    /// About 4 weeks after the last session.
    Healed,
    /// Healed and then aged by this many years (fading and spreading).
    Aged(f64),
}

impl State {
    /// Parses `fresh`, `healed` or `years:N`.
    pub fn parse(s: &str) -> Option<State> {
        match s {
            "fresh" => Some(State::Fresh),
            "healed" => Some(State::Healed),
            _ => {
                let n: f64 = s.strip_prefix("years:")?.parse().ok()?;
                (n.is_finite() && (0.0..=30.0).contains(&n)).then_some(State::Aged(n))
            }
        }
    }
    /// Why `s` is not a state [`State::parse`] reads, in words a practitioner reads (the CLI and the studio
    /// say the same; outside probe s32: "State “years:99”: use fresh, healed or years:N (0–30)").
    pub fn refusal_words(s: &str) -> String {
        match s.strip_prefix("years:").map(str::trim) {
            Some(n) if n.parse::<f64>().is_ok_and(f64::is_finite) => format!(
                "{n} years after the last session is beyond the fading the preview draws: choose 0 to 30 years"
            ),
            _ => format!(
                "“{s}” is not a look the preview draws: choose fresh, healed, or years:N for N years after the last session (0 to 30)"
            ),
        }
    }
    /// A short label for pictures.
    pub fn label(&self) -> String {
        match self {
            State::Fresh => "fresh".into(),
            State::Healed => "healed".into(),
            State::Aged(y) => format!("{y} years"),
        }
    }
}

/// Everything the compositor needs to draw one kind of impression.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Look {
    /// Multiplier of the impression's planned healed diameter (fresh swelling, spreading with age).
    pub diameter_scale: f32,
    /// Added to the scaled deposit radius for the visible spot (optical spread), mm.
    pub spread_mm: f32,
    /// Soft-edge half width (dermal blur), mm.
    pub edge_mm: f32,
    /// Reach of the dermal halo beyond the core's radius, mm (0: no halo).
    pub halo_mm: f32,
    /// Ink of the halo as a multiple of the core's ink.
    pub halo_gain: f32,
    /// Multiplier of the skin's colour at full cover (impression albedo / skin albedo), per channel.
    pub filter: Lin,
    /// Peak opacity of the spot (pigment cover `k`).
    pub opacity: f32,
    /// For an aged look, the diameter multiplier and soft-edge half width (mm) the deposit healed with:
    /// its pigment has spread since, not multiplied, so a spot keeps the ink it healed with (see
    /// [`Look::spot_size`]). `None`: the spot's ink is as the opacity says (healed, fresh, redness).
    pub healed_as: Option<(f32, f32)>,
}

impl Look {
    /// The radius on the skin (mm) of an impression of planned healed diameter `diameter_mm` drawn with
    /// this look, and the share of the look's opacity it carries. An aged impression is wider than it
    /// healed (pigment carried outward over the years) but holds no more pigment: its ink (the profile's
    /// integral, core and halo) stays what it healed with times the cover its faded strength leaves, so
    /// an old treatment never reads darker for being older (tester s38: 30 years read darker than 20
    /// when the dots kept widening at full cover after the fading had levelled off).
    pub fn spot_size(&self, diameter_mm: f32) -> (f32, f32) {
        let r = diameter_mm * 0.5 * self.diameter_scale + self.spread_mm;
        let Some((scale, edge)) = self.healed_as else {
            return (r, 1.0);
        };
        let healed = diameter_mm * 0.5 * scale + self.spread_mm;
        let ink =
            |r: f32, e: f32| core_ink_mm2(r, e) + self.halo_gain * std::f32::consts::PI * r * r;
        let now = ink(r, self.edge_mm);
        let kept = if now > 0.0 {
            (ink(healed, edge) / now).min(1.0)
        } else {
            1.0
        };
        (r, kept)
    }
}

/// The ink (mm² at full opacity) of the compositor's soft-edged core of radius `r` and edge half width `e`:
/// `∫ (1 − smoothstep(r − e, r + e, ρ)) 2πρ dρ`, in closed form (the part of the edge ramp below ρ = 0
/// left out when `e > r`).
pub fn core_ink_mm2(r: f32, e: f32) -> f32 {
    let (r, e) = (f64::from(r.max(0.0)), f64::from(e.max(0.0)));
    let pi = std::f64::consts::PI;
    if e <= 1e-9 {
        return (pi * r * r) as f32;
    }
    // ρ = a + b t over t ∈ [0, 1] with a = r − e, b = 2e; weight 1 − 3t² + 2t³.
    let (a, b) = (r - e, 2.0 * e);
    let f = |t: f64| {
        a * t + b * t * t / 2.0 - a * t.powi(3)
            + (2.0 * a - 3.0 * b) * t.powi(4) / 4.0
            + 2.0 * b * t.powi(5) / 5.0
    };
    let t0 = (-a / b).clamp(0.0, 1.0);
    (pi * a.max(0.0).powi(2) + 2.0 * pi * b * (f(1.0) - f(t0))) as f32
}

/// The colour of healed pigment of albedo `pigment` at strength `strength` seen through skin `skin`,
/// with a backscatter scale `scatter` (1 healed, less when fresh). Returns the impression albedo.
pub fn impression_albedo(skin: Lin, pigment: Lin, strength: f64, scatter: f64) -> Lin {
    let k = cover(strength) as f32;
    let over = over_pigment(skin, pigment, scatter);
    [0, 1, 2].map(|c| skin[c] + (over[c] - skin[c]) * k)
}

/// The albedo of skin fully over a pigment layer: `T² ⊙ (ρ + (1 − ρ)² ⊙ P)` (module docs).
pub fn over_pigment(skin: Lin, pigment: Lin, scatter: f64) -> Lin {
    [0, 1, 2].map(|c| {
        let t2 = (skin[c] / DERMIS_ALBEDO[c]).clamp(0.0, 1.0);
        let rho = DERMAL_BACKSCATTER[c] * scatter as f32;
        t2 * (rho + (1.0 - rho) * (1.0 - rho) * pigment[c])
    })
}

/// Pigment cover of an impression at strength `s` (0–1+): `1 − exp(−κ s)` (follicle-core's, which the
/// scar tone match uses too).
pub use follicle_core::tone::cover;

/// Strength left after `years` of fading (faster on scars).
pub fn faded_strength(strength: f64, years: f64, scar: bool) -> f64 {
    strength * follicle_core::fading::strength_left(years, scar)
}

/// Natural spread of one impression around its zone's look, by needle: (radius multiplier, ink
/// multiplier), both with mean 1, from a hash `h` of the impression. A single needle (1RL) leaves
/// regular fine dots (radius ±8 %, ink ±15 %); the three points of a 3RL never land exactly together and
/// reach slightly different depths (radius ±16 %, ink ±25 %; assumption from healed close-ups, where a
/// 3RL field shows visibly unequal dots and a 1RL hairline finer, more even ones).
pub fn needle_variation(needle: follicle_core::design::NeedleConfig, h: u64) -> (f32, f32) {
    let h = follicle_core::noise::mix64(h);
    let u1 = (h & 0xFFFF) as f32 / 65535.0 * 2.0 - 1.0;
    let u2 = ((h >> 16) & 0xFFFF) as f32 / 65535.0 * 2.0 - 1.0;
    let (ds, di) = match needle {
        follicle_core::design::NeedleConfig::Rl1 => (0.08, 0.15),
        follicle_core::design::NeedleConfig::Rl3 => (0.16, 0.25),
    };
    (1.0 + ds * u1, 1.0 + di * u2)
}

/// The look of an impression of pigment `pigment` (CIELAB at full strength) at `strength`, on skin `skin`,
/// in `state`; `fresh` says whether this impression's session is the one just done (only then does
/// `State::Fresh` apply); `scar` selects the faster fading.
pub fn look(skin: Lin, pigment: Lab, strength: f64, state: State, fresh: bool, scar: bool) -> Look {
    let diameter_mm = 1.0;
    let p = lin_from_lab(pigment);
    let (s, d, edge, scatter) = match state {
        State::Fresh if fresh => (
            strength * FRESH_STRENGTH,
            diameter_mm * FRESH_DIAMETER,
            HEALED_EDGE_MM * 1.5,
            FRESH_BACKSCATTER,
        ),
        State::Fresh | State::Healed => (strength, diameter_mm, HEALED_EDGE_MM, 1.0),
        State::Aged(y) => (
            faded_strength(strength, y, scar),
            diameter_mm
                * (1.0 + SPREAD_WHEN_LEVELLED * follicle_core::fading::fading_part_gone(y, scar)),
            HEALED_EDGE_MM
                + EDGE_WHEN_LEVELLED_MM * follicle_core::fading::fading_part_gone(y, scar),
            1.0,
        ),
    };
    // The spot's colour at full cover (k = 1) as a filter on the skin; its opacity is the cover k.
    let full = over_pigment(skin, p, scatter);
    let filter = [0, 1, 2].map(|c| {
        if skin[c] > 1e-6 {
            (full[c] / skin[c]).clamp(0.0, 1.0)
        } else {
            1.0
        }
    });
    Look {
        diameter_scale: d as f32,
        spread_mm: OPTICAL_SPREAD_MM as f32,
        edge_mm: edge as f32,
        halo_mm: HALO_MM as f32,
        halo_gain: HALO_GAIN as f32,
        filter,
        opacity: cover(s) as f32,
        healed_as: matches!(state, State::Aged(_))
            .then_some((diameter_mm as f32, HEALED_EDGE_MM as f32)),
    }
}

/// The redness halo drawn around a fresh impression (a spot of radius `FRESH_REDNESS_RADIUS_MM / 2` whose
/// soft edge reaches `FRESH_REDNESS_RADIUS_MM`).
pub fn redness_look() -> Look {
    Look {
        diameter_scale: 1.0,
        spread_mm: 0.0,
        edge_mm: FRESH_REDNESS_RADIUS_MM as f32 * 0.5,
        halo_mm: 0.0,
        halo_gain: 0.0,
        filter: FRESH_REDNESS_TINT,
        opacity: FRESH_REDNESS_STRENGTH as f32,
        healed_as: None,
    }
}

/// The colour a look gives on skin `skin` at its full opacity (centre of the spot).
pub fn apparent(skin: Lin, l: &Look) -> Lin {
    [0, 1, 2].map(|c| skin[c] * (1.0 - l.opacity * (1.0 - l.filter[c])))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A state out of range is said as years after the last session, anything else with the looks there are
    /// (probe s32: "State “years:99”: use fresh, healed or years:N (0–30)").
    #[test]
    fn a_state_not_drawn_is_said_in_words() {
        assert_eq!(State::parse("years:99"), None);
        assert_eq!(
            State::refusal_words("years:99"),
            "99 years after the last session is beyond the fading the preview draws: choose 0 to 30 years"
        );
        let w = State::refusal_words("ancient");
        assert!(
            w.contains("“ancient”") && w.contains("fresh, healed") && w.contains("years:N"),
            "{w}"
        );
        assert!(State::refusal_words("years:NaN").contains("is not a look"));
    }
    use crate::color::{lab_from_lin, lin_from_srgb8};

    const CARBON: Lab = Lab {
        l: 16.0,
        a: 0.0,
        b: 0.0,
    };

    fn skin_light() -> Lin {
        lin_from_srgb8([224, 180, 152])
    }

    #[test]
    fn healed_black_reads_cool_grey_blue_not_black() {
        let l = look(skin_light(), CARBON, 1.0, State::Healed, false, false);
        let c = apparent(skin_light(), &l);
        let lab = lab_from_lin(c);
        assert!(lab.b < 0.0, "cool (b* < 0): {lab:?}");
        assert!(lab.l > 20.0 && lab.l < 55.0, "grey, not black: {lab:?}");
    }

    #[test]
    fn darker_on_dark_skin_and_weaker_when_diluted() {
        let dark = lin_from_srgb8([96, 64, 48]);
        let on_dark = lab_from_lin(apparent(
            dark,
            &look(dark, CARBON, 0.5, State::Healed, false, false),
        ));
        let on_light = lab_from_lin(apparent(
            skin_light(),
            &look(skin_light(), CARBON, 0.5, State::Healed, false, false),
        ));
        assert!(on_dark.l < on_light.l - 15.0);
        let weak = look(skin_light(), CARBON, 0.2, State::Healed, false, false);
        let strong = look(skin_light(), CARBON, 0.8, State::Healed, false, false);
        assert!(weak.opacity < strong.opacity);
    }

    #[test]
    fn fresh_is_darker_and_larger_aged_is_lighter_and_wider() {
        let s = skin_light();
        let healed = look(s, CARBON, 0.4, State::Healed, false, false);
        let fresh = look(s, CARBON, 0.4, State::Fresh, true, false);
        let old = look(s, CARBON, 0.4, State::Aged(5.0), false, false);
        let l = |x: &Look| lab_from_lin(apparent(s, x)).l;
        assert!(l(&fresh) < l(&healed) && l(&old) > l(&healed));
        assert!(
            fresh.diameter_scale > healed.diameter_scale
                && old.diameter_scale > healed.diameter_scale
        );
        // Earlier sessions are healed even in the fresh state.
        assert_eq!(look(s, CARBON, 0.4, State::Fresh, false, false), healed);
    }

    #[test]
    fn the_core_ink_is_the_profile_integral() {
        // Midpoint sums of the compositor's own profile, with an edge narrower and wider than the radius.
        for (r, e) in [(0.3f32, 0.06f32), (0.2, 0.3), (0.05, 0.4), (0.4, 0.0)] {
            let n = 20_000;
            let top = f64::from(r + e);
            let sum: f64 = (0..n)
                .map(|i| {
                    let rho = (i as f64 + 0.5) / n as f64 * top;
                    let t = ((rho - f64::from(r - e)) / f64::from(2.0 * e)).clamp(0.0, 1.0);
                    let w = if e > 0.0 {
                        1.0 - t * t * (3.0 - 2.0 * t)
                    } else {
                        1.0
                    };
                    w * 2.0 * std::f64::consts::PI * rho * top / n as f64
                })
                .sum();
            let got = f64::from(core_ink_mm2(r, e));
            assert!(
                (got - sum).abs() < 1e-3 * sum,
                "r {r} e {e}: {got} vs {sum}"
            );
        }
    }

    #[test]
    fn an_aged_spot_spreads_its_ink_without_adding_to_it() {
        // The ink a spot lays (opacity × its share × the profile's integral with the halo) falls year on year
        // to 30 years, for a 1RL and a 3RL dot, also once the strength has levelled off (20 → 30).
        let s = skin_light();
        for d in [0.18f32, 0.25, 0.35] {
            let mut last = f32::INFINITY;
            for y in [0.0, 1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0] {
                let state = if y == 0.0 {
                    State::Healed
                } else {
                    State::Aged(y)
                };
                let l = look(s, CARBON, 0.6, state, false, false);
                let (r, kept) = l.spot_size(d);
                let ink = l.opacity
                    * kept
                    * (core_ink_mm2(r, l.edge_mm) + l.halo_gain * std::f32::consts::PI * r * r);
                assert!(ink < last, "{d} mm at {y} years: {ink} after {last}");
                last = ink;
                let healed = look(s, CARBON, 0.6, State::Healed, false, false)
                    .spot_size(d)
                    .0;
                if y > 0.0 {
                    assert!(
                        r > healed && kept < 1.0,
                        "{d} mm at {y}: {r} vs {healed}, {kept}"
                    );
                }
            }
        }
        // Healed and fresh spots carry their look's opacity as is.
        assert_eq!(
            look(s, CARBON, 0.6, State::Healed, false, false)
                .spot_size(0.25)
                .1,
            1.0
        );
        assert_eq!(
            look(s, CARBON, 0.6, State::Fresh, true, false)
                .spot_size(0.25)
                .1,
            1.0
        );
    }

    #[test]
    fn scars_fade_faster_and_fading_matches_liu_six_months() {
        assert!(faded_strength(1.0, 3.0, true) < faded_strength(1.0, 3.0, false));
        assert!((faded_strength(8.7, 0.5, false) - 7.7).abs() < 0.05);
    }

    #[test]
    fn states_parse() {
        assert_eq!(State::parse("fresh"), Some(State::Fresh));
        assert_eq!(State::parse("years:5"), Some(State::Aged(5.0)));
        assert_eq!(State::parse("years:-1"), None);
        assert_eq!(State::parse("old"), None);
    }
}
