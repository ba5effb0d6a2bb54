//! A pigment's colour as its maker states it: CIELAB (D65) `[L*, a*, b*]` of an undiluted dried drawdown.
//! The one rule for what such a colour may be, shared by the clinic's pigment records (follicle-clinic),
//! the preview's pigment catalogue (follicle-render) and the studio's pigment form (through follicle-wasm),
//! so the server and the browser accept and refuse the same numbers in the same sentence. Pure.

use std::fmt;

/// Lowest and highest L* (lightness).
pub const L_RANGE: (f64, f64) = (0.0, 100.0);
/// Largest |a*| and |b*| accepted (the usual signed 8-bit range of CIELAB tools and makers' sheets).
pub const AB_LIMIT: f64 = 128.0;

/// Whether `[L*, a*, b*]` is a CIELAB colour: finite, L* within [`L_RANGE`], a* and b* within ±[`AB_LIMIT`].
pub fn is_cielab([l, a, b]: [f64; 3]) -> bool {
    let within = |v: f64, lo: f64, hi: f64| v.is_finite() && (lo..=hi).contains(&v);
    within(l, L_RANGE.0, L_RANGE.1)
        && within(a, -AB_LIMIT, AB_LIMIT)
        && within(b, -AB_LIMIT, AB_LIMIT)
}

/// A recorded colour that is not CIELAB, with the pigment it was given for.
#[derive(Clone, Debug, PartialEq)]
pub struct NotCielab {
    /// The pigment, as people name it ("Brand Name").
    pub pigment: String,
    /// The numbers given.
    pub lab: [f64; 3],
}

impl fmt::Display for NotCielab {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Written as people write numbers: 1e308 stays short (outside probe s31: 309 digits).
        let [l, a, b] = self.lab.map(crate::words::number);
        write!(
            f,
            "The colour of {} is three CIELAB numbers as the supplier gives them: L* from {} to {}, then a* and b* from -{AB_LIMIT} to {AB_LIMIT}; {l}, {a}, {b} is not.",
            self.pigment, L_RANGE.0, L_RANGE.1
        )
    }
}

impl std::error::Error for NotCielab {}

/// Checks the colour `lab` recorded for the pigment named `pigment` ([`is_cielab`]).
pub fn check(pigment: &str, lab: [f64; 3]) -> Result<(), NotCielab> {
    if is_cielab(lab) {
        Ok(())
    } else {
        Err(NotCielab {
            pigment: pigment.to_string(),
            lab,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cielab_bounds_and_the_sentence() {
        for ok in [[0.0, 0.0, 0.0], [100.0, -128.0, 128.0], [15.2, 0.3, -0.8]] {
            assert!(check("Nocturne Carbon", ok).is_ok(), "{ok:?}");
        }
        for bad in [
            [120.0, 0.0, 0.0],
            [-0.1, 0.0, 0.0],
            [50.0, 128.5, 0.0],
            [50.0, 0.0, -129.0],
            [f64::NAN, 0.0, 0.0],
            [50.0, f64::INFINITY, 0.0],
        ] {
            assert!(!is_cielab(bad), "{bad:?}");
        }
        assert_eq!(
            check("Nocturne SMP Carbon 1", [120.0, 0.0, 0.0]).unwrap_err().to_string(),
            "The colour of Nocturne SMP Carbon 1 is three CIELAB numbers as the supplier gives them: L* from 0 to 100, then a* and b* from -128 to 128; 120, 0, 0 is not."
        );
    }
}
