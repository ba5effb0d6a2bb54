//! The marks a practitioner places on a photo, read from a landmarks file (TOML): named landmark pixel
//! positions, the optional view and optional colour-sample rectangles.

use super::RegisterError;
use follicle_core::Plan;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The marks read from a landmarks file.
#[derive(Clone, Debug, PartialEq)]
pub struct Marks {
    /// (landmark name, pixel x, pixel y), in file order by name.
    pub points: Vec<(String, [f64; 2])>,
    /// Optional skin sample rectangle `[x0, y0, x1, y1]`.
    pub skin: Option<[f64; 4]>,
    /// Optional hair sample rectangle.
    pub hair: Option<[f64; 4]>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MarksToml {
    /// Which view the photo is (`front` when absent).
    #[serde(default)]
    view: Option<String>,
    landmarks: BTreeMap<String, [f64; 2]>,
    #[serde(default)]
    regions: BTreeMap<String, [f64; 4]>,
}

/// Reads a landmarks file; names are checked against the plan's landmarks.
pub fn parse_marks(text: &str, plan: &Plan) -> Result<Marks, RegisterError> {
    parse_marks_and_view(text, plan).map(|(m, _)| m)
}

/// Reads a landmarks file with its optional `view = "left"` key (which view the photo is).
pub fn parse_marks_and_view(
    text: &str,
    plan: &Plan,
) -> Result<(Marks, Option<crate::views::PhotoView>), RegisterError> {
    let doc: MarksToml = toml::from_str(text).map_err(|e| RegisterError::Syntax(e.to_string()))?;
    let view = match &doc.view {
        None => None,
        Some(v) => Some(
            crate::views::PhotoView::parse(v).ok_or_else(|| RegisterError::Field {
                field: "view".into(),
                message: format!(
                    "`{v}` is not a view; the views are {}",
                    crate::views::PhotoView::names()
                ),
            })?,
        ),
    };
    let known: Vec<&str> = crate::views::points(plan).iter().map(|(n, _)| *n).collect();
    let mut points = Vec::new();
    for (name, xy) in doc.landmarks {
        if !known.contains(&name.as_str()) {
            return Err(RegisterError::Field {
                field: format!("landmarks.{name}"),
                message: format!("unknown landmark; known: {}", known.join(", ")),
            });
        }
        if !xy.iter().all(|v| v.is_finite() && *v >= 0.0) {
            return Err(RegisterError::Field {
                field: format!("landmarks.{name}"),
                message: "pixel positions must be finite and non-negative".into(),
            });
        }
        points.push((name, xy));
    }
    let mut skin = None;
    let mut hair = None;
    for (name, r) in doc.regions {
        if !(r[2] > r[0] && r[3] > r[1] && r[0] >= 0.0 && r[1] >= 0.0) {
            return Err(RegisterError::Field {
                field: format!("regions.{name}"),
                message: "a region is [x0, y0, x1, y1] with x1 > x0 and y1 > y0".into(),
            });
        }
        match name.as_str() {
            "skin" => skin = Some(r),
            "hair" => hair = Some(r),
            _ => {
                return Err(RegisterError::Field {
                    field: format!("regions.{name}"),
                    message: "regions are `skin` and `hair`".into(),
                })
            }
        }
    }
    Ok((Marks { points, skin, hair }, view))
}
