//! Fast number formatting for the writers (CSV, JSON, SVG, PDF): a plan has hundreds of thousands of
//! coordinates, and `format!("{:.4}")` dominated writing them. Each function here prints exactly what the
//! standard formatter (or serde_json) prints for the same value — tested against it — and falls back to it
//! in the rare case where the fast path could round differently.

use std::fmt::Write;

const POW10: [f64; 7] = [1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6];

/// Appends `n` in decimal.
#[inline]
pub fn push_uint(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[i..]).expect("ASCII digits"));
}

/// Appends `x` with `decimals` digits after the point (0–6): the same text as `format!("{x:.decimals$}")`.
#[inline]
pub fn push_fixed(out: &mut String, x: f64, decimals: usize) {
    debug_assert!(decimals < POW10.len());
    let s = (x * POW10[decimals]).abs();
    // Fast path only far from a rounding tie, where x·10^d computed in f64 rounds like the exact value.
    if !s.is_finite() || s >= 1e12 || (s.fract() - 0.5).abs() < 1e-3 {
        let _ = write!(out, "{x:.decimals$}");
        return;
    }
    if x.is_sign_negative() {
        out.push('-');
    }
    let n = s.round() as u64;
    if decimals == 0 {
        push_uint(out, n);
        return;
    }
    let scale = POW10[decimals] as u64;
    push_uint(out, n / scale);
    out.push('.');
    let mut frac = n % scale;
    let mut digits = [b'0'; 6];
    for i in (0..decimals).rev() {
        digits[i] = b'0' + (frac % 10) as u8;
        frac /= 10;
    }
    out.push_str(std::str::from_utf8(&digits[..decimals]).expect("ASCII digits"));
}

/// Rounds to 0.1 µm (four decimals of a millimetre), as plan.json stores positions.
#[inline]
pub fn r4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// Appends `r4(x)` as serde_json writes an f64 (shortest round-trip text, at least one decimal):
/// "12.3456", "-0.5", "3.0".
#[inline]
pub fn push_r4_json(out: &mut String, x: f64) {
    let rounded = (x * 1e4).round();
    if !rounded.is_finite() || rounded.abs() >= 1e13 {
        push_json_f64(out, r4(x));
        return;
    }
    if rounded.is_sign_negative() {
        out.push('-');
    }
    let n = rounded.abs() as u64;
    push_uint(out, n / 10_000);
    out.push('.');
    let frac = n % 10_000;
    if frac == 0 {
        out.push('0');
        return;
    }
    let mut digits = [b'0'; 4];
    let mut f = frac;
    for i in (0..4).rev() {
        digits[i] = b'0' + (f % 10) as u8;
        f /= 10;
    }
    let mut len = 4;
    while digits[len - 1] == b'0' {
        len -= 1;
    }
    out.push_str(std::str::from_utf8(&digits[..len]).expect("ASCII digits"));
}

/// Appends a finite f64 exactly as serde_json writes it (`null` for NaN and infinities, as serde_json does).
#[inline]
pub fn push_json_f64(out: &mut String, x: f64) {
    if x.is_finite() {
        out.push_str(ryu::Buffer::new().format_finite(x));
    } else {
        out.push_str("null");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    fn values() -> Vec<f64> {
        let mut rng = rand_pcg::Pcg64::seed_from_u64(7);
        let mut v: Vec<f64> = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            0.125,
            1.005,
            2.675,
            0.00005,
            -0.00005,
            0.00015,
            99.99995,
            1e-9,
            -1e-9,
            123456.78905,
            0.3,
            1.0,
            10.0,
            -7.25,
        ];
        for _ in 0..200_000 {
            let mag = 10f64.powi(rng.gen_range(-6..7));
            v.push(rng.gen_range(-1.0..1.0) * mag);
        }
        // Exact ties in binary at several scales.
        for k in 0..2000 {
            v.push(k as f64 / 8.0 + 1.0 / 16.0);
            v.push(-(k as f64) / 32.0);
            v.push(k as f64 * 0.00005);
        }
        v
    }

    #[test]
    fn fixed_matches_the_standard_formatter() {
        let mut s = String::new();
        for x in values() {
            for d in 0..=6 {
                s.clear();
                push_fixed(&mut s, x, d);
                assert_eq!(s, format!("{x:.d$}"), "{x:e} with {d} decimals");
            }
        }
    }

    #[test]
    fn r4_json_matches_serde_json() {
        let mut s = String::new();
        for x in values() {
            s.clear();
            push_r4_json(&mut s, x);
            assert_eq!(s, serde_json::to_string(&r4(x)).unwrap(), "{x:e}");
        }
        for n in [0u64, 7, 10, 12345, u64::MAX] {
            s.clear();
            push_uint(&mut s, n);
            assert_eq!(s, n.to_string());
        }
        s.clear();
        push_json_f64(&mut s, 0.1 + 0.2);
        assert_eq!(s, serde_json::to_string(&(0.1 + 0.2)).unwrap());
    }
}
