//! The client report: one printable page for the client with the clinic's name, address and logo, the
//! practitioner, a picture of the design (the plan seen from above), the plan's sessions (dates held or
//! proposed, impressions, cumulative density), the scalp areas and densities in plain words (no internal zone
//! ids, labels or practitioner-only notes), the screening outcome in plain words, the aftercare instructions
//! and the ink-passport lots. Built as a follicle-clinic [`Document`] from records already loaded
//! (crate::client_docs loads them), so it needs no store and is tested on its own.

use follicle_clinic::export::document::{Block, Document, Tone};
use follicle_clinic::plain;
use follicle_clinic::{Aftercare, Date, InkPassport, Outcome, Screening, Visit, VisitKind};
use follicle_core::words::count;
use serde_json::Value;

/// Print rules added to the page's own style: A4 margins, no breaks inside rows, no link decoration.
pub const PRINT_CSS: &str =
    "@page{size:A4;margin:15mm}@media print{body{max-width:none;font-size:10.5pt}\
h2{break-after:avoid}tr,li,dl,.banner{break-inside:avoid}a{color:inherit;text-decoration:none}\
.banner{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

/// Everything the report shows, as the handler found it.
pub struct ReportInput<'a> {
    /// The client's name.
    pub client_name: &'a str,
    /// The client's reference.
    pub client_reference: &'a str,
    /// The studio's name.
    pub studio: &'a str,
    /// The studio's address (clinic settings; may be empty).
    pub address: &'a str,
    /// The studio's logo (media type, bytes), if it uploaded one.
    pub logo: Option<(&'a str, &'a [u8])>,
    /// The practitioner treating the client, when known.
    pub practitioner: Option<&'a str>,
    /// A picture of the design (PNG: the plan seen from above), when there is a plan.
    pub picture: Option<&'a [u8]>,
    /// The day the report is made.
    pub today: Date,
    /// The plan (id, Unix time it was made, its plan.json), if the client has one.
    pub plan: Option<(follicle_store::PlanId, i64, &'a Value)>,
    /// Sessions in the course; plan sessions after these are touch-ups.
    pub course: u32,
    /// Sessions held: (number, day).
    pub held: &'a [(u32, Date)],
    /// Proposed visits for the sessions not yet held and the touch-up.
    pub visits: &'a [Visit],
    /// The newest consultation's screening.
    pub screening: Option<&'a Screening>,
    /// The ink passport (lots used), when one can be built.
    pub passport: Option<&'a InkPassport>,
    /// Aftercare instructions.
    pub aftercare: &'a Aftercare,
}

/// A picture of the design for the client: the plan (plan.json text) seen from above, healed, as PNG, drawn
/// with the catalogue follicle-render's `plan_catalogue` picks from the clinic's coloured pigments `own`, on
/// the mannequin dressed as the studio's preview dresses it (`look`: the client's face and hair colour);
/// `None` when the stored plan cannot be read or drawn.
pub fn design_picture(
    plan_json: &str,
    own: Vec<follicle_render::shade::Pigment>,
    look: &crate::look::ClientLook,
) -> Option<Vec<u8>> {
    use follicle_render::{Scene, State as Look, View};
    let plan = follicle_export::load_plan(plan_json).ok()?;
    let mut scene = Scene {
        view: View::parse("top")?,
        state: Look::Healed,
        size: 480,
        ..Scene::new(plan.design.seed)
    };
    look.dress(&mut scene, &plan);
    let drawn = follicle_render::plan_catalogue::for_plan(&plan, own);
    let img = follicle_render::preview::render(&plan, &drawn.catalogue, &scene);
    follicle_render::png(&img).ok()
}

/// The screening outcome in plain words for the client.
fn plain_outcome(s: &Screening) -> String {
    match s.outcome {
        Outcome::Go => "Nothing in your consultation stands in the way of treatment.".into(),
        Outcome::GoWithPrecautions => "Treatment can go ahead with the precautions below.".into(),
        Outcome::PhysicianClearance => {
            "Before treatment we need your doctor's written clearance; the reasons are below."
                .into()
        }
        Outcome::DeferUntil => match (s.until, s.open_ended) {
            (Some(d), false) => format!("Treatment has to wait until {d}; the reasons are below."),
            (Some(d), true) => {
                format!("Treatment has to wait until at least {d}; one date is not yet known.")
            }
            (None, _) => "Treatment has to wait; the date is not yet known.".into(),
        },
        Outcome::NotSuitable => {
            "Scalp micropigmentation is not suitable for you at present; the reasons are below."
                .into()
        }
    }
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(0.0)
}

/// The report as a document.
pub fn client_report(r: &ReportInput<'_>) -> Document {
    let mut blocks = Vec::new();
    if let Some((media_type, bytes)) = r.logo {
        blocks.push(Block::Image {
            bytes: bytes.to_vec(),
            media_type: media_type.to_string(),
            width_mm: 40.0,
            caption: String::new(),
        });
    }
    let mut fields = vec![
        (
            "Client".into(),
            format!("{} ({})", r.client_name, r.client_reference),
        ),
        ("Studio".into(), r.studio.to_string()),
    ];
    if !r.address.trim().is_empty() {
        fields.push(("Address".into(), r.address.trim().to_string()));
    }
    if let Some(p) = r.practitioner.filter(|p| !p.trim().is_empty()) {
        fields.push(("Your practitioner".into(), p.to_string()));
    }
    fields.push(("Made on".into(), r.today.to_string()));
    blocks.push(Block::Fields(fields));

    blocks.push(Block::Heading("Your consultation".into()));
    match r.screening {
        Some(s) => {
            blocks.push(Block::Banner(Tone::of(s.outcome), s.headline()));
            blocks.push(Block::Paragraph(plain_outcome(s)));
            let items: Vec<String> = s
                .findings
                .iter()
                .map(|f| {
                    // The rule's reason only: its action is advice for the practitioner, kept out of client documents.
                    let mut t = f.reason.clone();
                    if let Some(u) = f.until {
                        t.push_str(&format!(" Earliest date: {u}."));
                    }
                    t
                })
                .collect();
            if !items.is_empty() {
                blocks.push(Block::Bullets(items));
            }
        }
        None => blocks.push(Block::Paragraph(
            "No consultation has been recorded yet.".into(),
        )),
    }

    blocks.push(Block::Heading("Your treatment plan".into()));
    match r.plan {
        Some((_, made, doc)) => {
            blocks.push(Block::Paragraph(format!(
                "This plan was made on {}.",
                follicle_store::rights::unix_day(made)
            )));
            if let Some(png) = r.picture {
                blocks.push(Block::Image {
                    bytes: png.to_vec(),
                    media_type: "image/png".into(),
                    width_mm: 90.0,
                    caption: "Your design, seen from above (healed look).".into(),
                });
            }
            let rows = doc["sessions"]
                .as_array()
                .map(|ss| {
                    ss.iter()
                        .map(|s| {
                            let index = s["index"].as_u64().unwrap_or(0) as u32;
                            let when = if let Some((_, d)) = r.held.iter().find(|(i, _)| *i == index) {
                                format!("held on {d}")
                            } else if let Some(v) = r.visits.iter().find(|v| matches!(v.kind, VisitKind::Session { index: i, .. } if i == index)) {
                                format!("proposed {} (between {} and {})", v.proposed, v.earliest, v.latest)
                            } else if let Some(v) = r.visits.iter().find(|v| v.kind == VisitKind::TouchUp && index == r.course + 1) {
                                format!("touch-up, proposed {} (between {} and {})", v.proposed, v.earliest, v.latest)
                            } else {
                                "to be booked".into()
                            };
                            vec![index.to_string(), when, count(s["impressions"].as_u64().unwrap_or(0)), format!("{:.0} %", num(&s["cumulative_fraction"]) * 100.0)]
                        })
                        .collect()
                })
                .unwrap_or_default();
            blocks.push(Block::Table {
                header: ["Session", "Date", "Impressions", "Density reached"]
                    .map(String::from)
                    .to_vec(),
                widths: vec![0.8, 3.2, 1.2, 1.4],
                rows,
            });
            let planned = doc["sessions"].as_array().map_or(0, |v| v.len());
            if let Some(v) = r
                .visits
                .iter()
                .find(|v| v.kind == VisitKind::TouchUp)
                .filter(|_| planned <= r.course as usize)
            {
                blocks.push(Block::Paragraph(format!("Touch-up: proposed {} (between {} and {}); the pigment fades slowly, and a touch-up every 2–5 years keeps the result even.", v.proposed, v.earliest, v.latest)));
            }
            let zones = doc["zones"].as_array().cloned().unwrap_or_default();
            let left_alone = zones
                .iter()
                .filter(|z| plain::left_untreated(z["kind"].as_str().unwrap_or("")))
                .count();
            let rows = zones
                .iter()
                .filter(|z| !plain::left_untreated(z["kind"].as_str().unwrap_or("")))
                .map(|z| {
                    vec![
                        plain::zone_name(
                            z["id"].as_str().unwrap_or(""),
                            z["kind"].as_str().unwrap_or(""),
                        ),
                        format!("{:.0} cm²", num(&z["area_cm2"])),
                        format!("{:.0} per cm²", num(&z["target_density_cm2"])),
                        count(z["impressions"].as_u64().unwrap_or(0)),
                    ]
                })
                .collect();
            blocks.push(Block::Heading("Where the pigment goes".into()));
            blocks.push(Block::Table {
                header: [
                    "Area of the scalp",
                    "Size",
                    "Dots after the last session",
                    "Dots in all",
                ]
                .map(String::from)
                .to_vec(),
                widths: vec![2.0, 1.0, 2.0, 1.2],
                rows,
            });
            if left_alone > 0 {
                blocks.push(Block::Paragraph(plain::untreated_sentence(left_alone)));
            }
        }
        None => blocks.push(Block::Paragraph(
            "No treatment plan has been made yet.".into(),
        )),
    }

    blocks.push(Block::Heading("Aftercare after each session".into()));
    blocks.push(Block::Bullets(
        r.aftercare
            .steps
            .iter()
            .map(|s| {
                let days = if s.from_day == s.to_day {
                    format!("Day {}", s.from_day)
                } else {
                    format!("Days {}–{}", s.from_day, s.to_day)
                };
                format!("{days}: {}", s.text)
            })
            .collect(),
    ));

    blocks.push(Block::Heading("Ink passport: pigment lots used".into()));
    match r.passport {
        Some(p) if !p.entries.is_empty() => blocks.push(Block::Table {
            header: ["Date", "Session", "Pigment", "Lot", "Expiry"]
                .map(String::from)
                .to_vec(),
            widths: vec![1.3, 0.8, 2.4, 1.7, 1.3],
            rows: p
                .entries
                .iter()
                .map(|e| {
                    vec![
                        e.date.to_string(),
                        e.session.to_string(),
                        e.pigment.clone(),
                        e.lot.clone(),
                        e.expiry.to_string(),
                    ]
                })
                .collect(),
        }),
        _ => blocks.push(Block::Paragraph(
            "No session recorded yet, so no pigment lot has been used.".into(),
        )),
    }

    Document {
        title: format!("Treatment report: {}", r.client_name),
        blocks,
        footer: format!("Made by follicle for {} on {}. Ask your practitioner about anything in this report; show the ink passport to any doctor treating a skin reaction.", r.studio, r.today),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_without_records_says_so() {
        let today: Date = "2025-06-01".parse().unwrap();
        let aftercare = Aftercare::embedded();
        let doc = client_report(&ReportInput {
            client_name: "A",
            client_reference: "c-1",
            studio: "S",
            address: "",
            logo: None,
            practitioner: None,
            picture: None,
            today,
            plan: None,
            course: 3,
            held: &[],
            visits: &[],
            screening: None,
            passport: None,
            aftercare: &aftercare,
        });
        let text = format!("{doc:?}");
        assert!(
            text.contains("No consultation has been recorded yet")
                && text.contains("No treatment plan")
                && text.contains("no pigment lot"),
            "{text}"
        );
        assert!(doc
            .blocks
            .iter()
            .any(|b| matches!(b, Block::Bullets(v) if v.len() == aftercare.steps.len())));
    }
}
