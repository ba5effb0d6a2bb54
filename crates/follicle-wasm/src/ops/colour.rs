//! `pigment_colour`: the studio's pigment form asks the core about the colour typed in, as the maker's
//! CIELAB numbers or as a screen colour (`#rrggbb`, converted with follicle-render's colour science): the
//! CIELAB numbers, the swatch to show (the nearest sRGB colour), and follicle-core's refusal sentence when the
//! numbers are not CIELAB (`pigment_colour::check`, the rule the server applies to the same pigment).

use follicle_render::color::{hex, lab_from_srgb8, lin_from_lab, parse_hex, srgb8_from_lin, Lab};
use serde_json::{json, Value};

/// One decimal, as makers' sheets give CIELAB values.
fn tenth(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The answer to `pigment_colour` for the pigment named `pigment`: from `lab`, or from `screen` (`#rrggbb`)
/// when no `lab` is given.
pub(super) fn pigment_colour(
    pigment: &str,
    lab: Option<[f64; 3]>,
    screen: Option<&str>,
) -> Result<Value, String> {
    let name = if pigment.trim().is_empty() {
        "this pigment"
    } else {
        pigment.trim()
    };
    let lab = match (lab, screen) {
        (Some(lab), _) => lab,
        (None, Some(s)) => {
            let Some(rgb) = parse_hex(s) else {
                return Ok(json!({
                    "lab": null,
                    "swatch": null,
                    "problem": format!("“{}” is not a screen colour: give it as # and six hexadecimal digits, e.g. #262626.", s.trim()),
                }));
            };
            let l = lab_from_srgb8(rgb);
            [tenth(l.l), tenth(l.a), tenth(l.b)]
        }
        (None, None) => return Err("pigment_colour needs `lab` or `screen`".into()),
    };
    if let Err(e) = follicle_core::pigment_colour::check(name, lab) {
        return Ok(json!({ "lab": lab, "swatch": null, "problem": e.to_string() }));
    }
    let [l, a, b] = lab;
    Ok(json!({
        "lab": lab,
        "swatch": hex(srgb8_from_lin(lin_from_lab(Lab::new(l, a, b)))),
        "problem": null,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::call;
    use serde_json::{json, Value};

    fn ask(v: Value) -> Value {
        serde_json::from_str(&call(&v.to_string()).unwrap()).unwrap()
    }

    #[test]
    fn the_maker_s_numbers_give_a_swatch_and_bad_ones_the_core_s_sentence() {
        let a = ask(
            json!({"op": "pigment_colour", "pigment": "Nocturne SMP Carbon 1", "lab": [15.0, 0.3, -0.8]}),
        );
        assert_eq!(a["problem"], Value::Null, "{a}");
        // L* 15 is a near-black: every channel of the swatch dark and about equal.
        let s = a["swatch"].as_str().unwrap();
        let c = follicle_render::color::parse_hex(s).unwrap();
        assert!(c.iter().all(|&v| (30..=45).contains(&v)), "{s}");
        let a = ask(
            json!({"op": "pigment_colour", "pigment": "Nocturne SMP Carbon 1", "lab": [120.0, 0.0, 0.0]}),
        );
        assert_eq!(a["swatch"], Value::Null);
        assert_eq!(
            a["problem"],
            follicle_core::pigment_colour::check("Nocturne SMP Carbon 1", [120.0, 0.0, 0.0])
                .unwrap_err()
                .to_string()
        );
    }

    #[test]
    fn a_screen_colour_converts_to_cielab_and_back() {
        let a = ask(json!({"op": "pigment_colour", "pigment": "", "screen": "#262626"}));
        assert_eq!(a["problem"], Value::Null, "{a}");
        assert_eq!(a["lab"], json!([15.2, 0.0, 0.0]), "{a}");
        assert_eq!(a["swatch"], "#262626");
        let a = ask(json!({"op": "pigment_colour", "pigment": "", "screen": "#12345"}));
        assert!(
            a["problem"]
                .as_str()
                .unwrap()
                .contains("not a screen colour"),
            "{a}"
        );
        assert!(call(&json!({"op": "pigment_colour", "pigment": ""}).to_string()).is_err());
    }
}
