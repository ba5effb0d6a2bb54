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

impl Marks {
    /// The marks on the photo scaled by `f` (a photo reduced by that factor).
    pub fn scaled(&self, f: f64) -> Marks {
        Marks {
            points: self
                .points
                .iter()
                .map(|(n, [x, y])| (n.clone(), [x * f, y * f]))
                .collect(),
            skin: self.skin.map(|r| r.map(|v| v * f)),
            hair: self.hair.map(|r| r.map(|v| v * f)),
        }
    }

    /// The photo's scale the marks show, pixels per mm: over every pair of marks at least 20 mm apart on the
    /// plan's head, the largest pixel distance over their distance in space (a pair seen at an angle is
    /// foreshortened, so this errs small). `None` when no pair is that far apart or names are unknown.
    pub fn px_per_mm(&self, plan: &Plan) -> Option<f64> {
        let named = crate::views::points(plan);
        let at = |n: &str| named.iter().find(|(k, _)| *k == n).map(|(_, p)| *p);
        let mut best: Option<f64> = None;
        for (i, (na, a)) in self.points.iter().enumerate() {
            for (nb, b) in &self.points[i + 1..] {
                let (Some(pa), Some(pb)) = (at(na), at(nb)) else {
                    continue;
                };
                let mm = (pa - pb).norm();
                let px = (a[0] - b[0]).hypot(a[1] - b[1]);
                if mm >= 20.0 && px.is_finite() {
                    best = Some(best.map_or(px / mm, |s: f64| s.max(px / mm)));
                }
            }
        }
        best
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MarksToml {
    /// Which view the photo is (`front` when absent).
    #[serde(default)]
    view: Option<String>,
    /// Read as lists so that a mark with a third number (or one) is refused, not cut to two.
    landmarks: BTreeMap<String, Vec<f64>>,
    #[serde(default)]
    regions: BTreeMap<String, Vec<f64>>,
}

/// Reads a landmarks file; names are checked against the plan's landmarks.
pub fn parse_marks(text: &str, plan: &Plan) -> Result<Marks, RegisterError> {
    parse_marks_and_view(text, plan).map(|(m, _)| m)
}

/// The TOML reader's complaint about a landmarks file in words, with its line: what the file should hold
/// there, not the reader's drawing of the line and its serde terms (outside test s44: an empty file said
/// "missing field `landmarks`", a `[landmark]` heading "unknown field `landmark`, expected one of …",
/// `glabella = ["202", "195"]` "invalid type: string \"202\", expected f64").
fn toml_in_words(text: &str, e: &toml::de::Error) -> String {
    let at = e.span().map(|sp| sp.start.min(text.len()));
    let line = at.map(|a| text.as_bytes()[..a].iter().filter(|&&b| b == b'\n').count() + 1);
    // The key of the line the complaint points at (`glabella` in `glabella = ["202", "195"]`).
    let key = at.and_then(|_| {
        let (k, _) = line_text(text, at).split_once('=')?;
        let k = k.trim().trim_matches('"');
        (!k.is_empty()).then(|| follicle_core::words::shown_short(k, 40))
    });
    let msg = e.message().trim();
    let quoted = |prefix: &str| {
        msg.strip_prefix(prefix)
            .and_then(|r| r.split('`').next())
            .map(|f| follicle_core::words::shown_short(f, 40))
    };
    const SHAPE: &str =
        "a landmarks file holds a line [landmarks] and under it one line per mark, such as \
                         glabella = [202.0, 195.0] (x and y in pixels of the photo)";
    let words = if let Some(field) = quoted("missing field `") {
        if field == "landmarks" {
            format!("the file has no [landmarks] table: {SHAPE}")
        } else {
            format!("`{field}` is missing")
        }
    } else if let Some(field) = quoted("unknown field `") {
        let guess = if field.to_lowercase().starts_with("landmark")
            || field.to_lowercase().starts_with("mark")
        {
            " (is it [landmarks]?)"
        } else {
            ""
        };
        format!(
            "`{field}` is not part of a landmarks file{guess}: {SHAPE}; it may also give the photo's view \
             (view = \"front\") and a [regions] table"
        )
    } else if msg.starts_with("invalid type") || msg.starts_with("invalid length") {
        format!(
            "{}a position is two numbers in brackets, [x, y] in pixels of the photo, without quotes",
            key.map_or(String::new(), |k| format!("`{k}`: "))
        )
    } else if let Some(c) = line_text(text, at)
        .chars()
        .find(|&c| follicle_core::words::hidden(c) && c != '\t')
    {
        format!(
            "a control character ({}) is not allowed in a landmarks file, not even in a comment: remove it",
            c.escape_unicode()
        )
    } else if msg.is_empty() {
        "a control character is not allowed in a landmarks file, not even in a comment: remove it"
            .into()
    } else {
        // The reader's own words for text that is not TOML, without its drawing of the line.
        follicle_core::words::shown_lines(msg).into_owned()
    };
    match line {
        Some(n) => format!("line {n}: {words}"),
        None => words,
    }
}

/// The line of `text` holding byte `at` (empty when there is none).
fn line_text(text: &str, at: Option<usize>) -> &str {
    let Some(a) = at else { return "" };
    let start = text[..a].rfind('\n').map_or(0, |n| n + 1);
    let end = text[a..].find('\n').map_or(text.len(), |n| a + n);
    &text[start..end]
}

/// Reads a landmarks file with its optional `view = "left"` key (which view the photo is).
pub fn parse_marks_and_view(
    text: &str,
    plan: &Plan,
) -> Result<(Marks, Option<crate::views::PhotoView>), RegisterError> {
    let doc: MarksToml = toml::from_str(text).map_err(|e| {
        let mut said = toml_in_words(text, &e);
        // A mark given twice (probe s33b: the reader's "duplicate key `glabella`" with its column).
        if let Some(key) = e
            .message()
            .split("duplicate key `")
            .nth(1)
            .and_then(|r| r.split('`').next())
        {
            let line = e.span().map(|sp| {
                text.as_bytes()[..sp.start.min(text.len())]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1
            });
            said = format!(
                "`{}` is marked twice{}: keep one line for each mark",
                follicle_core::words::shown_short(key, 40),
                line.map_or(String::new(), |n| format!(" (the second on line {n})"))
            );
        }
        RegisterError::Syntax(said)
    })?;
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
                // Quoted safely: a control or text-direction character is written out, a long name cut.
                field: format!("landmarks.{}", follicle_core::words::shown_short(&name, 40)),
                message: match known
                    .iter()
                    .map(|k| (strsim::levenshtein(&name.to_lowercase(), k), *k))
                    .filter(|&(d, _)| d <= 2)
                    .min_by_key(|&(d, _)| d)
                {
                    // A slip of the keys (outside test s53: `glabela` got the list of 16 names only).
                    Some((_, k)) => format!(
                        "unknown landmark: did you mean `{k}`? (known: {})",
                        known.join(", ")
                    ),
                    None => format!("unknown landmark; known: {}", known.join(", ")),
                },
            });
        }
        let Ok(xy) = <[f64; 2]>::try_from(xy.as_slice()) else {
            return Err(RegisterError::Field {
                field: format!("landmarks.{name}"),
                message: format!(
                    "a pixel position is two numbers, [x, y] (here {}): a photo has no depth",
                    xy.len()
                ),
            });
        };
        if !xy.iter().all(|v| v.is_finite()) {
            return Err(RegisterError::Field {
                field: format!("landmarks.{name}"),
                message: "a pixel position is two numbers, [x, y]; nan and inf are not positions"
                    .into(),
            });
        }
        if !xy.iter().all(|v| *v >= 0.0) {
            return Err(RegisterError::Field {
                field: format!("landmarks.{name}"),
                message: format!(
                    "[{}, {}] is not a pixel of the photo: positions count from its top-left corner \
                     (0, 0) rightward and down, so they are never negative",
                    follicle_core::words::number(xy[0]),
                    follicle_core::words::number(xy[1])
                ),
            });
        }
        points.push((name, xy));
    }
    let mut skin = None;
    let mut hair = None;
    for (name, r) in doc.regions {
        let Ok(r) = <[f64; 4]>::try_from(r.as_slice()) else {
            return Err(RegisterError::Field {
                field: format!("regions.{name}"),
                message: format!(
                    "a region is four numbers, [x0, y0, x1, y1] (here {})",
                    r.len()
                ),
            });
        };
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
