//! The fading curve of healed SMP pigment, the one source for both the preview's aged looks
//! (follicle-render: 5 and 10 years later) and the clinic's touch-up timing (follicle-clinic's schedule).
//!
//! A share [`PERSISTENT`] of the healed pigment stays for good (carbon particles too large for macrophages
//! to clear); the rest fades exponentially with time constant [`TAU_YEARS`], fitted to Liu et al. 2025
//! (J Cosmet Dermatol: visual density score 8.7 at healing → 7.7 six months later):
//! `P + (1 − P)·exp(−0.5/τ) = 7.7/8.7` with `P` = 0.25 gives τ ≈ 3.0 years. Strength left: 89 % at 6
//! months, 64 % at 2 years, 39 % at 5 years, 28 % at 10 years. Scars fade faster ([`SCAR_FACTOR`]).
//! docs/preview-model.md and docs/screening.md. Pure.

/// Share of healed pigment that stays for good (assumption; healed SMP ten years on is lighter and
/// softer but still reads as a shaved head in practitioners' long-term photos).
pub const PERSISTENT: f64 = 0.25;
/// Time constant of the fading part, years (fitted to Liu et al. 2025, above).
pub const TAU_YEARS: f64 = 3.0;
/// Over scar tissue the time constant is this fraction of the normal one (Liu 2025, qualitative;
/// the factor is an assumption).
pub const SCAR_FACTOR: f64 = 0.65;

/// Time constant of the fading part, years (shorter over scars).
pub fn tau_years(scar: bool) -> f64 {
    if scar {
        TAU_YEARS * SCAR_FACTOR
    } else {
        TAU_YEARS
    }
}

/// Share (0–1) of the healed strength left `years` after healing.
pub fn strength_left(years: f64, scar: bool) -> f64 {
    PERSISTENT + (1.0 - PERSISTENT) * (-years.max(0.0) / tau_years(scar)).exp()
}

/// Share (0–1) of the fading part of the pigment that has gone `years` after healing (0 when healed, near
/// 1 once the strength has levelled off at the persistent share): the work the skin's macrophages have
/// done, which also carries pigment outward (the preview's spreading follows it).
pub fn fading_part_gone(years: f64, scar: bool) -> f64 {
    1.0 - (-years.max(0.0) / tau_years(scar)).exp()
}

/// Years after healing until the strength left falls to `fraction` of the healed strength; `None` when it
/// never does (at or below the persistent share).
pub fn years_until(fraction: f64, scar: bool) -> Option<f64> {
    if fraction.is_nan() || fraction <= PERSISTENT {
        return None;
    }
    if fraction >= 1.0 {
        return Some(0.0);
    }
    Some(-tau_years(scar) * ((fraction - PERSISTENT) / (1.0 - PERSISTENT)).ln())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_curve_fits_the_observed_fading_and_inverts() {
        // Liu 2025: 8.7 → 7.7 over six months.
        assert!((strength_left(0.5, false) - 7.7 / 8.7).abs() < 0.005);
        assert!((strength_left(5.0, false) - 0.39).abs() < 0.01);
        assert!((strength_left(10.0, false) - 0.28).abs() < 0.01);
        assert!(strength_left(5.0, true) < strength_left(5.0, false));
        for f in [0.9, 0.5, 0.3] {
            let y = years_until(f, false).unwrap();
            assert!((strength_left(y, false) - f).abs() < 1e-9);
        }
        assert_eq!(years_until(0.2, false), None);
        assert_eq!(years_until(1.0, false), Some(0.0));
        // The part gone and the strength left are one curve.
        for y in [0.0, 0.5, 3.0, 10.0, 30.0] {
            let left = PERSISTENT + (1.0 - PERSISTENT) * (1.0 - fading_part_gone(y, false));
            assert!((left - strength_left(y, false)).abs() < 1e-12);
        }
    }
}
