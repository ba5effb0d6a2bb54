//! Colour science used by the preview: sRGB ↔ linear light, CIE XYZ and CIELAB (D65), CIEDE2000 colour
//! difference (Sharma, Wu & Dalal 2005), hex colours and the lookup tables the fast compositor uses.
//!
//! All blending happens in linear light (`Lin`, scene-referred RGB with sRGB primaries, 0–1); 8-bit sRGB
//! is only the storage format at the edges.

/// A colour in linear-light RGB (sRGB primaries, D65 white), each channel 0–1.
pub type Lin = [f32; 3];

/// A colour in CIELAB (D65 white): L* 0–100, a*, b*.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lab {
    /// Lightness L*.
    pub l: f64,
    /// Green–red axis a*.
    pub a: f64,
    /// Blue–yellow axis b*.
    pub b: f64,
}

impl Lab {
    /// Builds a CIELAB colour.
    pub const fn new(l: f64, a: f64, b: f64) -> Self {
        Self { l, a, b }
    }
}

/// Decodes one sRGB-encoded channel (0–1) to linear light (IEC 61966-2-1).
#[inline]
pub fn srgb_to_linear(c: f64) -> f64 {
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// Encodes one linear-light channel (0–1) to sRGB (IEC 61966-2-1).
#[inline]
pub fn linear_to_srgb(c: f64) -> f64 {
    let c = c.clamp(0.0, 1.0);
    if c <= 0.003_130_8 {
        c * 12.92
    } else {
        1.055 * c.powf(1.0 / 2.4) - 0.055
    }
}

/// Linear colour of an 8-bit sRGB triple.
pub fn lin_from_srgb8(c: [u8; 3]) -> Lin {
    c.map(|v| srgb_to_linear(v as f64 / 255.0) as f32)
}

/// 8-bit sRGB triple of a linear colour (clamped, rounded).
pub fn srgb8_from_lin(c: Lin) -> [u8; 3] {
    c.map(|v| (linear_to_srgb(v as f64) * 255.0).round() as u8)
}

/// Parses `#rrggbb` or `rrggbb` into an 8-bit sRGB triple.
pub fn parse_hex(s: &str) -> Option<[u8; 3]> {
    let h = s.trim().trim_start_matches('#');
    if h.len() != 6 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let v = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some([v(0)?, v(2)?, v(4)?])
}

/// Formats an 8-bit sRGB triple as `#rrggbb`.
pub fn hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// D65 reference white in XYZ (Y = 1).
const WHITE: [f64; 3] = [0.950_47, 1.0, 1.088_83];

/// CIELAB of a linear-light colour (sRGB primaries, D65).
pub fn lab_from_lin(c: Lin) -> Lab {
    let (r, g, b) = (c[0] as f64, c[1] as f64, c[2] as f64);
    let x = 0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b;
    let y = 0.212_672_9 * r + 0.715_152_2 * g + 0.072_175_0 * b;
    let z = 0.019_333_9 * r + 0.119_192_0 * g + 0.950_304_1 * b;
    let f = |t: f64| {
        if t > 216.0 / 24389.0 {
            t.cbrt()
        } else {
            (24389.0 / 27.0 * t + 16.0) / 116.0
        }
    };
    let (fx, fy, fz) = (f(x / WHITE[0]), f(y / WHITE[1]), f(z / WHITE[2]));
    Lab::new(116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz))
}

/// Linear-light colour of a CIELAB colour (out-of-gamut values are clamped to 0–1).
pub fn lin_from_lab(lab: Lab) -> Lin {
    let fy = (lab.l + 16.0) / 116.0;
    let fx = fy + lab.a / 500.0;
    let fz = fy - lab.b / 200.0;
    let inv = |f: f64| {
        if f.powi(3) > 216.0 / 24389.0 {
            f.powi(3)
        } else {
            (116.0 * f - 16.0) * 27.0 / 24389.0
        }
    };
    let (x, y, z) = (inv(fx) * WHITE[0], inv(fy) * WHITE[1], inv(fz) * WHITE[2]);
    let r = 3.240_454_2 * x - 1.537_138_5 * y - 0.498_531_4 * z;
    let g = -0.969_266_0 * x + 1.876_010_8 * y + 0.041_556_0 * z;
    let b = 0.055_643_4 * x - 0.204_025_9 * y + 1.057_225_2 * z;
    [r, g, b].map(|v| v.clamp(0.0, 1.0) as f32)
}

/// CIELAB of an 8-bit sRGB triple.
pub fn lab_from_srgb8(c: [u8; 3]) -> Lab {
    lab_from_lin(lin_from_srgb8(c))
}

/// CIEDE2000 colour difference ΔE00 with kL = kC = kH = 1 (CIE 142-2001; Sharma, Wu & Dalal 2005).
pub fn ciede2000(x: Lab, y: Lab) -> f64 {
    use std::f64::consts::PI;
    let deg = PI / 180.0;
    let c1 = x.a.hypot(x.b);
    let c2 = y.a.hypot(y.b);
    let cbar7 = ((c1 + c2) / 2.0).powi(7);
    let g = 0.5 * (1.0 - (cbar7 / (cbar7 + 25f64.powi(7))).sqrt());
    let a1 = (1.0 + g) * x.a;
    let a2 = (1.0 + g) * y.a;
    let c1p = a1.hypot(x.b);
    let c2p = a2.hypot(y.b);
    let hue = |b: f64, a: f64| {
        if b == 0.0 && a == 0.0 {
            0.0
        } else {
            let h = b.atan2(a) / deg;
            if h < 0.0 {
                h + 360.0
            } else {
                h
            }
        }
    };
    let h1p = hue(x.b, a1);
    let h2p = hue(y.b, a2);
    let dl = y.l - x.l;
    let dc = c2p - c1p;
    let dh = if c1p * c2p == 0.0 {
        0.0
    } else {
        let d = h2p - h1p;
        if d > 180.0 {
            d - 360.0
        } else if d < -180.0 {
            d + 360.0
        } else {
            d
        }
    };
    let dhh = 2.0 * (c1p * c2p).sqrt() * (dh / 2.0 * deg).sin();
    let lbar = (x.l + y.l) / 2.0;
    let cbarp = (c1p + c2p) / 2.0;
    let hbarp = if c1p * c2p == 0.0 {
        h1p + h2p
    } else if (h1p - h2p).abs() <= 180.0 {
        (h1p + h2p) / 2.0
    } else if h1p + h2p < 360.0 {
        (h1p + h2p + 360.0) / 2.0
    } else {
        (h1p + h2p - 360.0) / 2.0
    };
    let t = 1.0 - 0.17 * ((hbarp - 30.0) * deg).cos()
        + 0.24 * ((2.0 * hbarp) * deg).cos()
        + 0.32 * ((3.0 * hbarp + 6.0) * deg).cos()
        - 0.20 * ((4.0 * hbarp - 63.0) * deg).cos();
    let dtheta = 30.0 * (-((hbarp - 275.0) / 25.0).powi(2)).exp();
    let cbarp7 = cbarp.powi(7);
    let rc = 2.0 * (cbarp7 / (cbarp7 + 25f64.powi(7))).sqrt();
    let l50 = (lbar - 50.0).powi(2);
    let sl = 1.0 + 0.015 * l50 / (20.0 + l50).sqrt();
    let sc = 1.0 + 0.045 * cbarp;
    let sh = 1.0 + 0.015 * cbarp * t;
    let rt = -(2.0 * dtheta * deg).sin() * rc;
    let (tl, tc, th) = (dl / sl, dc / sc, dhh / sh);
    (tl * tl + tc * tc + th * th + rt * tc * th).sqrt()
}

/// Lookup tables for fast 8-bit sRGB ↔ linear conversion (used by the photo compositor).
pub struct SrgbLut {
    /// Linear value of each 8-bit sRGB code.
    pub to_lin: [f32; 256],
    /// sRGB code of linear values quantised to `ENC_STEPS` steps.
    pub to_srgb: Vec<u8>,
}

/// Resolution of the linear → sRGB table (steps over 0–1); fine enough that the round trip is exact.
pub const ENC_STEPS: usize = 16384;

impl SrgbLut {
    /// Builds both tables.
    pub fn new() -> Self {
        let mut to_lin = [0f32; 256];
        for (i, v) in to_lin.iter_mut().enumerate() {
            *v = srgb_to_linear(i as f64 / 255.0) as f32;
        }
        let to_srgb = (0..=ENC_STEPS)
            .map(|i| (linear_to_srgb(i as f64 / ENC_STEPS as f64) * 255.0).round() as u8)
            .collect();
        Self { to_lin, to_srgb }
    }
    /// The sRGB code of a linear value.
    #[inline]
    pub fn encode(&self, v: f32) -> u8 {
        let i = (v.clamp(0.0, 1.0) * ENC_STEPS as f32 + 0.5) as usize;
        self.to_srgb[i.min(ENC_STEPS)]
    }
}

impl Default for SrgbLut {
    fn default() -> Self {
        Self::new()
    }
}

/// Mixes two linear colours: `a·(1−t) + b·t`.
#[inline]
pub fn mix(a: Lin, b: Lin, t: f32) -> Lin {
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srgb_round_trips_every_code() {
        let lut = SrgbLut::new();
        for i in 0..=255u8 {
            assert_eq!(srgb8_from_lin(lin_from_srgb8([i, i, i]))[0], i);
            assert_eq!(lut.encode(lut.to_lin[i as usize]), i);
        }
    }

    #[test]
    fn lab_of_white_grey_and_round_trip() {
        let w = lab_from_lin([1.0, 1.0, 1.0]);
        assert!((w.l - 100.0).abs() < 0.01 && w.a.abs() < 0.01 && w.b.abs() < 0.01);
        let g = lab_from_srgb8([119, 119, 119]);
        assert!((g.l - 50.0).abs() < 0.5, "{g:?}");
        let c = [0.2f32, 0.5, 0.1];
        let back = lin_from_lab(lab_from_lin(c));
        for k in 0..3 {
            assert!((back[k] - c[k]).abs() < 1e-4);
        }
    }

    #[test]
    fn hex_parses_and_formats() {
        assert_eq!(parse_hex("#3a2b1c"), Some([0x3a, 0x2b, 0x1c]));
        assert_eq!(parse_hex("3A2B1C"), Some([0x3a, 0x2b, 0x1c]));
        assert_eq!(parse_hex("#3a2b1"), None);
        assert_eq!(parse_hex("zz2b1c"), None);
        assert_eq!(hex([1, 2, 255]), "#0102ff");
    }

    #[test]
    fn ciede2000_is_zero_on_identity() {
        let c = Lab::new(40.0, 10.0, -5.0);
        assert_eq!(ciede2000(c, c), 0.0);
    }
}
