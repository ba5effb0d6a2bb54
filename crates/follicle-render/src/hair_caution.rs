//! When the client's hair is a shade SMP cannot match well: white or grey, red, or stubble about as light as
//! the skin or lighter (pigment only darkens skin). One set of words for the studio's starting shade (by the
//! consultation's hair colour, `start_shade.rs`) and for the advice read from colours (`follicle shade`, the
//! studio's photo advice), so a practitioner is told the same thing whichever way the shade was reached.

use crate::color::{lab_from_lin, Lin};

/// White hair: SMP is a poor match.
pub const WHITE_WORDS: &str = "SMP is a poor match for white hair: pigment is never lighter than the skin, so healed impressions read darker than white stubble. For grey (salt-and-pepper) hair a much-diluted shade can work: show the client the preview and do a test patch first.";
/// Red hair: no pigment is red.
pub const RED_WORDS: &str = "No SMP pigment is red: a diluted neutral shade reads as short light-brown stubble. Show the client the preview and do a test patch first.";

/// Stubble (`hair_words`: how the hair is named) about as light as the skin or lighter.
pub fn light_stubble_words(hair_words: &str) -> String {
    format!(
        "Shaved {hair_words} hair is about as light as this skin or lighter: pigment only darkens skin, so the impressions read darker than the stubble. Show the client the preview and do a test patch first."
    )
}

/// Whether the shaved stubble `target` is about as light as `skin` or lighter (within 5 L*).
pub fn light_on_skin(skin: Lin, target: Lin) -> bool {
    lab_from_lin(target).l > lab_from_lin(skin).l - 5.0
}

/// Hair whose colour is white or grey: L* above 45 and nearly without colour (C* under 8; the named
/// grey-white is L* 58, C* 1.4). Such hair holds little or no melanin, so clipped short it leaves the skin's
/// own colour: whatever darkens clipped sides on a photo is its light, never the hair.
pub fn white_or_grey(hair: Lin) -> bool {
    let h = lab_from_lin(hair);
    h.l > 45.0 && h.a.hypot(h.b) < 8.0
}

/// The caution for hair of colour `hair` whose shaved stubble is `target` on `skin`, read from colours: white
/// or grey hair (L* above 45, nearly without colour: the named grey-white is L* 58, chroma 1.4), red hair (a strong red-orange), else stubble as light as
/// the skin; `None` when the shade can be matched as usual.
pub fn from_colours(skin: Lin, hair: Lin, target: Lin) -> Option<String> {
    let h = lab_from_lin(hair);
    let chroma = h.a.hypot(h.b);
    if white_or_grey(hair) {
        return Some(WHITE_WORDS.to_string());
    }
    if chroma > 25.0 && h.a > 15.0 && h.a > 0.5 * h.b && h.l > 25.0 {
        return Some(RED_WORDS.to_string());
    }
    light_on_skin(skin, target).then(|| light_stubble_words("light"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::lin_from_srgb8;

    #[test]
    fn white_red_and_light_stubble_are_cautioned_and_dark_hair_is_not() {
        let fair = lin_from_srgb8([0xf1, 0xc2, 0x9a]);
        let dark_skin = lin_from_srgb8([0x5f, 0x46, 0x3a]);
        let c = |skin, hair: [u8; 3]| {
            let hair = lin_from_srgb8(hair);
            from_colours(skin, hair, crate::shade::stubble_target(hair, skin))
        };
        assert_eq!(c(fair, [0xe8, 0xe6, 0xe2]).as_deref(), Some(WHITE_WORDS));
        assert_eq!(
            c(dark_skin, [140, 138, 136]).as_deref(),
            Some(WHITE_WORDS),
            "the named grey-white"
        );
        assert_eq!(c(fair, [0xa5, 0x4a, 0x2a]).as_deref(), Some(RED_WORDS));
        assert!(c(dark_skin, [0x9a, 0x8c, 0x80])
            .unwrap()
            .contains("as light as this skin"));
        assert_eq!(c(fair, [0x2c, 0x22, 0x1d]), None, "dark brown on fair skin");
        assert!(white_or_grey(lin_from_srgb8([0x9d, 0x9b, 0x9d])), "silver");
        assert!(
            !white_or_grey(lin_from_srgb8([0x4a, 0x4a, 0x4a])),
            "charcoal"
        );
        assert!(
            !white_or_grey(lin_from_srgb8([0xc8, 0xa0, 0x60])),
            "golden blond"
        );
        assert_eq!(c(dark_skin, [0x14, 0x10, 0x0e]), None, "black on dark skin");
    }
}
