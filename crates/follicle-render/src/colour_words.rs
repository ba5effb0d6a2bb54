//! A colour in the words a practitioner or receptionist uses ("light beige", "very dark brown",
//! "light greyish violet"), with its hex code after it for whoever matches colours by number: a message
//! that said only "the skin reads #ffca6c" told a reader nothing (outside test s41).
//!
//! The name comes from CIELAB: the hue angle picks the family, chroma says how grey it is, L* how light.
//! Skin, hair and the casts a room's light gives are what it names; the bounds are set on known colours
//! (the reference photo's skin #f4c597 "light beige", his hair #2b2320 "very dark brown", the casts of
//! outside probe s28: #ffca6c "light yellow", #cfe582 "very light yellow-green", #b7b4c1 "light greyish
//! blue").

use crate::color::{hex, lab_from_lin, srgb8_from_lin, Lin};

/// Below this chroma (C*) a colour has no hue worth naming: grey, black or white.
pub const GREY_BELOW_CHROMA: f64 = 4.0;
/// Below this chroma a colour outside the skin's browns is "greyish".
pub const GREYISH_BELOW_CHROMA: f64 = 15.0;

/// The colour's name: lightness, then how grey, then the hue family.
pub fn colour_name(c: Lin) -> String {
    let lab = lab_from_lin(c);
    let chroma = lab.a.hypot(lab.b);
    let hue = lab.b.atan2(lab.a).to_degrees().rem_euclid(360.0);
    let l = lab.l;
    if chroma < GREY_BELOW_CHROMA {
        return match l {
            l if l < 12.0 => "black".into(),
            l if l > 95.0 => "white".into(),
            l => format!("{}grey", lightness(l)),
        };
    }
    // Skin and hair: the browns from dark brown to beige, over the hues and chroma skin reads with in neutral
    // light (`scalp::SKIN_HUE_DEGREES`, `SKIN_MAX_CHROMA`: a photo whose skin reads outside them is warned of
    // a colour cast, so its name must not be a skin's); the red end only when dark (Fitzpatrick VI skin
    // #3b2219 reads 46°; light colours there are pink).
    let (from, to) = crate::scalp::SKIN_HUE_DEGREES;
    let brown = (from..=to).contains(&hue)
        && chroma <= crate::scalp::SKIN_MAX_CHROMA
        && (hue >= 50.0 || l < 45.0);
    let family = if brown {
        match l {
            l if l >= 65.0 => "beige",
            l if l >= 45.0 => "tan",
            _ => "brown",
        }
    } else {
        match hue {
            h if !(20.0..345.0).contains(&h) => {
                if l >= 55.0 && chroma < 50.0 {
                    "pink"
                } else {
                    "red"
                }
            }
            h if h < 50.0 => {
                if chroma >= 50.0 {
                    "red"
                } else {
                    "pink"
                }
            }
            h if h < 78.0 => "orange",
            h if h < 100.0 => "yellow",
            h if h < 125.0 => "yellow-green",
            h if h < 165.0 => "green",
            h if h < 225.0 => "cyan",
            h if h < 310.0 => "blue",
            h if h < 325.0 => "violet",
            _ => "magenta",
        }
    };
    let greyish = if !brown && chroma < GREYISH_BELOW_CHROMA {
        "greyish "
    } else {
        ""
    };
    format!("{}{greyish}{family}", lightness(l))
}

/// The colour's name with its hex code after it: "light beige (#f4c597)".
pub fn colour_words(c: Lin) -> String {
    format!("{} ({})", colour_name(c), hex(srgb8_from_lin(c)))
}

/// The lightness word before a colour's name ("" for a middle lightness).
fn lightness(l: f64) -> &'static str {
    match l {
        l if l < 22.0 => "very dark ",
        l if l < 40.0 => "dark ",
        l if l < 65.0 => "",
        l if l < 85.0 => "light ",
        _ => "very light ",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::lin_from_srgb8;

    fn name(rgb: [u8; 3]) -> String {
        colour_name(lin_from_srgb8(rgb))
    }

    #[test]
    fn skin_hair_and_casts_are_named_as_people_say_them() {
        for (rgb, want) in [
            ([0xf4, 0xc5, 0x97], "light beige"),
            ([0x2b, 0x23, 0x20], "very dark brown"),
            ([0x3b, 0x22, 0x19], "very dark brown"),
            ([0x8d, 0x5a, 0x3c], "brown"),
            ([0xc6, 0x86, 0x42], "tan"),
            ([0xff, 0xca, 0x6c], "light yellow"),
            ([0xcf, 0xe5, 0x82], "very light yellow-green"),
            ([0xb7, 0xb4, 0xc1], "light greyish blue"),
            ([0xe6, 0x96, 0x96], "light pink"),
            ([0xff, 0x00, 0x00], "red"),
            ([0xff, 0x8c, 0x00], "light orange"),
            ([0x00, 0x00, 0xff], "dark blue"),
            ([0x80, 0x80, 0x80], "grey"),
            ([0x05, 0x05, 0x05], "black"),
            ([0xff, 0xff, 0xff], "white"),
        ] {
            assert_eq!(name(rgb), want, "{rgb:02x?}");
        }
    }

    #[test]
    fn the_words_keep_the_hex_code_after_the_name() {
        assert_eq!(
            colour_words(lin_from_srgb8([0xf4, 0xc5, 0x97])),
            "light beige (#f4c597)"
        );
    }
}
