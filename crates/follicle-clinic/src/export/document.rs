//! A small document model (headings, paragraphs, field lists, tables, bullets, an outcome banner) that
//! both the HTML and the PDF writers render, so the client sees the same content in either form; and the
//! two client documents built on it: the screening result and the ink passport.

use crate::date::Date;
use crate::pigment::{CHROMIUM_VI_STATEMENT, NICKEL_STATEMENT};
use crate::screening::{Outcome, Screening};
use crate::session::InkPassport;

/// How a banner is coloured: by screening outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Go.
    Good,
    /// Go with precautions or physician clearance.
    Caution,
    /// Deferred or not suitable.
    Stop,
    /// Neutral information.
    Info,
}

impl Tone {
    /// The tone for a screening outcome.
    pub fn of(outcome: Outcome) -> Tone {
        match outcome {
            Outcome::Go => Tone::Good,
            Outcome::GoWithPrecautions | Outcome::PhysicianClearance => Tone::Caution,
            Outcome::DeferUntil | Outcome::NotSuitable => Tone::Stop,
        }
    }
}

/// A block of document content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading.
    Heading(String),
    /// A paragraph of running text.
    Paragraph(String),
    /// Label–value pairs.
    Fields(Vec<(String, String)>),
    /// A table: header, relative column widths, rows.
    Table {
        /// Column titles.
        header: Vec<String>,
        /// Relative widths (any scale).
        widths: Vec<f64>,
        /// Cells, one Vec per row.
        rows: Vec<Vec<String>>,
    },
    /// A bulleted list.
    Bullets(Vec<String>),
    /// A coloured one-line banner (the screening outcome).
    Banner(Tone, String),
    /// A handwritten signature: strokes of points on a pad of `width` × `height` units (origin top left).
    Signature {
        /// Pad width.
        width: f32,
        /// Pad height.
        height: f32,
        /// The strokes.
        strokes: Vec<Vec<(f32, f32)>>,
    },
    /// A picture (the clinic's logo, a drawing of the design): PNG or JPEG bytes, its printed width and a caption
    /// (may be empty).
    Image {
        /// The image file's bytes.
        bytes: Vec<u8>,
        /// `image/png` or `image/jpeg`.
        media_type: String,
        /// Printed width in millimetres (narrowed to the page when wider).
        width_mm: f64,
        /// Text under the picture.
        caption: String,
    },
}

/// A titled document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Title, also the PDF's /Title.
    pub title: String,
    /// Content.
    pub blocks: Vec<Block>,
    /// Small print at the end (provenance).
    pub footer: String,
}

/// The screening result for the client's file, with every finding, its rule and source.
pub fn screening_document(s: &Screening) -> Document {
    let mut blocks = vec![
        Block::Fields(vec![
            (
                "Client".into(),
                format!("{} ({})", s.client_name, s.client_id),
            ),
            ("Screened for".into(), s.on.to_string()),
            ("Age that day".into(), s.age.to_string()),
        ]),
        Block::Banner(Tone::of(s.outcome), format!("Outcome: {}", s.headline())),
    ];
    if s.findings.is_empty() {
        blocks.push(Block::Paragraph(
            "No screening rule fired: nothing in the consultation stands in the way of treatment."
                .into(),
        ));
    }
    for outcome in [
        Outcome::NotSuitable,
        Outcome::DeferUntil,
        Outcome::PhysicianClearance,
        Outcome::GoWithPrecautions,
    ] {
        let rows: Vec<Vec<String>> = s
            .findings_with(outcome)
            .map(|f| {
                let mut what = format!("{} {}", f.reason, f.action);
                if let Some(u) = f.until {
                    what.push_str(&format!(" Earliest date: {u}."));
                }
                vec![f.rule.clone(), format!("{what} ({})", f.detail)]
            })
            .collect();
        if !rows.is_empty() {
            blocks.push(Block::Heading(outcome.label().to_string()));
            blocks.push(Block::Table {
                header: vec!["Rule".into(), "Reason and action".into()],
                widths: vec![1.3, 4.0],
                rows,
            });
        }
    }
    if !s.findings.is_empty() {
        blocks.push(Block::Heading("Sources".into()));
        let mut seen: Vec<String> = Vec::new();
        for f in &s.findings {
            let line = format!("{}: {}", f.rule, f.source);
            if !seen.contains(&line) {
                seen.push(line);
            }
        }
        blocks.push(Block::Bullets(seen));
    }
    Document {
        title: format!("Screening result: {}", s.client_name),
        blocks,
        footer: format!(
            "Rules: {} version {} (SHA-256 {}). Made by follicle. This result supports, and does not replace, the practitioner's judgement and medical advice.",
            s.ruleset, s.ruleset_version, s.ruleset_sha256
        ),
    }
}

/// The client's ink passport: lots used, and the entry-75 label of each pigment.
pub fn passport_document(p: &InkPassport, issued: Date) -> Document {
    let mut blocks = vec![Block::Fields(vec![
        (
            "Client".into(),
            format!("{} ({})", p.client_name, p.client_id),
        ),
        ("Date of birth".into(), p.date_of_birth.to_string()),
        ("Issued".into(), issued.to_string()),
    ])];
    blocks.push(Block::Heading("Pigment lots used".into()));
    if p.entries.is_empty() {
        blocks.push(Block::Paragraph("No sessions recorded yet.".into()));
    } else {
        blocks.push(Block::Table {
            header: [
                "Date",
                "No.",
                "Pigment",
                "Lot",
                "Expiry",
                "Zones",
                "Practitioner",
            ]
            .map(String::from)
            .to_vec(),
            widths: vec![1.3, 0.6, 2.4, 1.7, 1.3, 1.7, 1.4],
            rows: p
                .entries
                .iter()
                .map(|e| {
                    vec![
                        e.date.to_string(),
                        e.session.to_string(),
                        e.pigment.clone(),
                        e.lot.clone(),
                        if e.past_expiry {
                            format!("{} (before this session)", e.expiry)
                        } else {
                            e.expiry.to_string()
                        },
                        e.zones
                            .iter()
                            .map(|z| crate::plain::zone_name(z, ""))
                            .collect::<Vec<_>>()
                            .join(", "),
                        e.practitioner.clone(),
                    ]
                })
                .collect(),
        });
    }
    for pig in &p.pigments {
        blocks.push(Block::Heading(format!("Label: {}", pig.display_name())));
        let mut fields = vec![
            ("Statement".to_string(), pig.statement.clone()),
            ("Supplier".to_string(), pig.supplier.clone()),
            (
                "Ingredients".to_string(),
                pig.labelled_ingredients().join("; "),
            ),
            (
                "Nickel".to_string(),
                if pig.contains_nickel {
                    NICKEL_STATEMENT.to_string()
                } else {
                    "No nickel statement on the label.".to_string()
                },
            ),
            (
                "Chromium (VI)".to_string(),
                if pig.contains_chromium_vi {
                    CHROMIUM_VI_STATEMENT.to_string()
                } else {
                    "No chromium (VI) statement on the label.".to_string()
                },
            ),
        ];
        let lots: Vec<&str> = p
            .entries
            .iter()
            .filter(|e| e.pigment == pig.display_name())
            .map(|e| e.lot.as_str())
            .collect();
        let mut unique: Vec<&str> = Vec::new();
        for l in lots {
            if !unique.contains(&l) {
                unique.push(l);
            }
        }
        fields.push(("Batch numbers used".to_string(), unique.join(", ")));
        blocks.push(Block::Fields(fields));
        blocks.push(Block::Paragraph(
            "Safety instructions (from the label):".into(),
        ));
        blocks.push(Block::Bullets(pig.safety_instructions.clone()));
    }
    Document {
        title: format!("Ink passport: {}", p.client_name),
        blocks,
        footer: "Keep this passport. Show it to any doctor treating a skin reaction, and before laser treatment or MRI. Label fields per EU REACH Annex XVII entry 75 (Regulation (EU) 2020/2081). Made by follicle.".into(),
    }
}
