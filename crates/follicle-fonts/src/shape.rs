//! A line of text as it stands on the page: the Unicode bidirectional algorithm puts right-to-left runs
//! (Arabic, Hebrew) in visual order, each stretch of one face is shaped by rustybuzz (HarfBuzz's shaping in
//! Rust: Arabic letters take their joined initial, medial and final forms, lam-alef becomes one ligature,
//! kerning and mark positions from the font), and every glyph keeps the bytes of text it stands for, so a
//! name prints joined and still copies and searches as typed.
//!
//! Both PDF writers (the client documents and the stencil) lay text out only through [`runs`](crate::runs),
//! so a name reads the same on every paper a clinic prints.

use std::ops::Range;
use std::sync::OnceLock;

use unicode_bidi::BidiInfo;

use crate::{pick, Face, Placed, Run};

/// The faces as rustybuzz reads them, parsed once.
fn shaper(face: Face) -> &'static rustybuzz::Face<'static> {
    static FACES: OnceLock<[rustybuzz::Face<'static>; 4]> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        // The files are compiled in and covered by tests, so a parse failure is a build defect.
        Face::ALL.map(|f| {
            rustybuzz::Face::from_slice(f.data(), 0)
                .expect("embedded font is a valid TrueType file")
        })
    });
    &faces[face.index()]
}

/// `text` with tabs as spaces and control characters (line breaks included) dropped: one line.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect()
}

/// Splits `text` into the runs of one face each that draw it, left to right on the page, shaped.
pub fn runs(text: &str, bold: bool) -> Vec<Run> {
    let line = one_line(text);
    if line.is_empty() {
        return Vec::new();
    }
    // The documents are laid out left to right (labels on the left), so every line's base direction is left to
    // right: a right-to-left name stands as one run within it, "محمد علي (c-2025-014)" with the reference after.
    let bidi = BidiInfo::new(&line, Some(unicode_bidi::Level::ltr()));
    let mut out = Vec::new();
    for para in &bidi.paragraphs {
        let (levels, visual) = bidi.visual_runs(para, para.range.clone());
        for range in visual {
            let rtl = levels[range.start].is_rtl();
            let mut pieces: Vec<Run> = face_stretches(&line, range, bold)
                .into_iter()
                .map(|(face, piece)| shape(face, &line[piece], rtl))
                .collect();
            if rtl {
                // The stretches of a right-to-left run stand on the page last first.
                pieces.reverse();
            }
            out.extend(pieces);
        }
    }
    out
}

/// The stretches of `range` (in logical order) that one face draws: each character goes to the primary face
/// when it has a glyph for it, else to the fallback; spaces, marks and joiners stay with the letter before them.
fn face_stretches(line: &str, range: Range<usize>, bold: bool) -> Vec<(Face, Range<usize>)> {
    let mut stretches: Vec<(Face, Range<usize>)> = Vec::new();
    let mut after_joiner = false;
    for (i, c) in line[range.clone()].char_indices() {
        let at = range.start + i;
        let end = at + c.len_utf8();
        // A character joined to the one before (an emoji sequence's next part) is shaped with it, in its face.
        let face = match stretches.last() {
            Some((face, _)) if sticks(c) || after_joiner => *face,
            _ => pick(c, bold).0,
        };
        after_joiner = c == '\u{200D}';
        match stretches.last_mut() {
            Some((f, r)) if *f == face => r.end = end,
            _ => stretches.push((face, at..end)),
        }
    }
    stretches
}

/// Characters drawn in the face of the letter before them: joiners, variation selectors and combining marks
/// (so a mark is shaped with its base), emoji modifiers (skin tones, the keycap, tag letters), and spaces (no
/// needless change of font between words).
fn sticks(c: char) -> bool {
    matches!(c, ' ' | '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}')
        || matches!(c, '\u{1F3FB}'..='\u{1F3FF}' | '\u{20E3}' | '\u{E0020}'..='\u{E007F}')
        || matches!(c, '\u{0300}'..='\u{036F}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{05B0}'..='\u{05C7}')
}

/// One stretch of one face shaped: glyphs in visual order, each with the bytes of `text` it stands for.
fn shape(face: Face, text: &str, rtl: bool) -> Run {
    let font = shaper(face);
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.set_direction(if rtl {
        rustybuzz::Direction::RightToLeft
    } else {
        rustybuzz::Direction::LeftToRight
    });
    buffer.guess_segment_properties();
    let shaped = rustybuzz::shape(font, &[], buffer);
    let em = f32::from(font.units_per_em().max(1) as u16);
    // A cluster runs from its first byte to the next cluster's first byte (in logical order).
    let mut starts: Vec<usize> = shaped
        .glyph_infos()
        .iter()
        .map(|g| g.cluster as usize)
        .collect();
    starts.sort_unstable();
    starts.dedup();
    let end_of = |start: usize| {
        let next = starts.partition_point(|&s| s <= start);
        starts.get(next).copied().unwrap_or(text.len())
    };
    let glyphs = shaped
        .glyph_infos()
        .iter()
        .zip(shaped.glyph_positions())
        .map(|(info, pos)| {
            let start = info.cluster as usize;
            Placed {
                glyph: info.glyph_id,
                advance: pos.x_advance as f32 / em,
                offset: (pos.x_offset as f32 / em, pos.y_offset as f32 / em),
                range: start..end_of(start),
            }
        })
        .collect();
    Run {
        face,
        text: text.to_owned(),
        glyphs: fold_missing_joined(text, fold_skin_tones(face, glyphs)),
        rtl,
    }
}

/// The glyphs without those of skin-tone modifiers (U+1F3FB … U+1F3FF) that follow another glyph: the emoji
/// face draws in one ink and has no toned forms, so it would print the modifier as a swatch beside the emoji.
/// The modifier's text stays with the glyph before it (the shaper puts both in one cluster), so the name still
/// copies back as typed.
fn fold_skin_tones(face: Face, glyphs: Vec<Placed>) -> Vec<Placed> {
    let charmap = &crate::parsed(face).charmap;
    let tones: Vec<u32> = ('\u{1F3FB}'..='\u{1F3FF}')
        .filter_map(|c| charmap.map(c).map(|g| g.to_u32()))
        .filter(|&g| g != 0)
        .collect();
    let mut out: Vec<Placed> = Vec::with_capacity(glyphs.len());
    for g in glyphs {
        match out.last_mut() {
            Some(before) if tones.contains(&g.glyph) && before.range.end >= g.range.start => {
                before.range.end = before.range.end.max(g.range.end);
            }
            _ => out.push(g),
        }
    }
    out
}

/// The glyphs without a missing glyph (.notdef, 0) joined by a zero-width joiner to the one before it: a
/// part of an emoji sequence the face has no glyph for (🧑‍🦲, "person: bald", printed its bald part as a box:
/// outside probe s26). The base emoji stands for the sequence; its text stays with the glyph before it, so
/// the name still copies back as typed.
fn fold_missing_joined(text: &str, glyphs: Vec<Placed>) -> Vec<Placed> {
    let mut out: Vec<Placed> = Vec::with_capacity(glyphs.len());
    for g in glyphs {
        // After a joiner, or in one cluster with the glyph before when the shaper joined the sequence.
        let joined = text[..g.range.start.min(text.len())].ends_with('\u{200D}')
            || out.last().is_some_and(|b| {
                b.range.start == g.range.start
                    && text
                        .get(g.range.clone())
                        .is_some_and(|t| t.contains('\u{200D}'))
            });
        match out.last_mut() {
            Some(before) if g.glyph == 0 && joined && before.range.end >= g.range.start => {
                before.range.end = before.range.end.max(g.range.end);
            }
            _ => out.push(g),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runs;
    use skrifa::MetadataProvider;

    /// The glyph `face` maps `c` to by its character map alone.
    fn mapped(face: Face, c: char) -> u32 {
        skrifa::FontRef::new(face.data())
            .unwrap()
            .charmap()
            .map(c)
            .map(|g| g.to_u32())
            .unwrap_or(0)
    }

    #[test]
    fn a_skin_tone_joins_its_emoji_and_prints_no_swatch() {
        let toned = runs("👍🏽", false);
        let plain = runs("👍", false);
        assert_eq!(toned.len(), 1, "{toned:?}");
        assert_eq!(toned[0].glyphs.len(), 1, "one glyph: {toned:?}");
        assert_eq!(toned[0].glyphs[0].glyph, plain[0].glyphs[0].glyph);
        assert_eq!(
            toned[0].glyphs[0].range,
            0.."👍🏽".len(),
            "the modifier copies back"
        );
        // A modifier with nothing before it is still drawn.
        assert_eq!(runs("🏽", false)[0].glyphs.len(), 1);
    }

    #[test]
    fn a_joined_part_the_face_lacks_prints_no_box() {
        // Person + ZWJ + bald (Unicode 11): the emoji face has the person, not the bald part.
        let seq = "Zoë 🧑\u{200D}🦲 Ñ";
        let r = runs(seq, false);
        for run in &r {
            assert!(
                run.glyphs.iter().all(|g| g.glyph != 0),
                "no missing glyph: {r:?}"
            );
        }
        // Every byte of each run is still some glyph's text (it copies back as typed).
        for run in &r {
            let mut covered = vec![false; run.text.len()];
            for g in &run.glyphs {
                covered[g.range.clone()].iter_mut().for_each(|c| *c = true);
            }
            assert!(covered.iter().all(|&c| c), "{run:?}");
        }
        assert_eq!(
            r.iter().map(|run| run.text.as_str()).collect::<String>(),
            seq
        );
    }

    #[test]
    fn arabic_letters_take_their_joined_forms_in_visual_order() {
        // محمد: meem (initial), hah (medial), meem (medial), dal (final).
        let r = runs("محمد", false);
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].rtl);
        let ids: Vec<u32> = r[0].glyphs.iter().map(|g| g.glyph).collect();
        // Visual order: the last letter (dal, final form U+FEAA) stands leftmost, the first (meem, initial form
        // U+FEE3) rightmost.
        assert_eq!(ids[0], mapped(Face::Regular, '\u{FEAA}'), "{ids:?}");
        assert_eq!(ids[3], mapped(Face::Regular, '\u{FEE3}'), "{ids:?}");
        assert_ne!(
            ids[3],
            mapped(Face::Regular, 'م'),
            "isolated meem: not joined"
        );
        let starts: Vec<usize> = r[0].glyphs.iter().map(|g| g.range.start).collect();
        assert_eq!(starts, vec![6, 4, 2, 0]);
        assert!(r[0].glyphs.iter().all(|g| g.advance > 0.0));
    }

    #[test]
    fn lam_alef_is_one_glyph_standing_for_both_letters() {
        let r = runs("لا", false);
        assert_eq!(r[0].glyphs.len(), 1, "{r:?}");
        assert_eq!(r[0].glyphs[0].range, 0..4);
        assert_ne!(r[0].glyphs[0].glyph, 0);
    }

    #[test]
    fn mixed_lines_keep_latin_left_to_right_around_a_right_to_left_name() {
        let r = runs("Client محمد علي - page 1", false);
        let texts: Vec<(&str, bool)> = r.iter().map(|r| (r.text.as_str(), r.rtl)).collect();
        assert_eq!(
            texts,
            vec![("Client ", false), ("محمد علي", true), (" - page 1", false)]
        );
        // In the right-to-left run the second word (علي) stands left of the first.
        let first_glyph_start = r[1].glyphs[0].range.start;
        assert!(first_glyph_start >= "محمد ".len(), "{r:?}");
    }

    #[test]
    fn a_line_starting_right_to_left_keeps_the_documents_left_to_right_order() {
        let r = runs("محمد علي (c-2025-014)", false);
        assert_eq!(r[0].text, "محمد علي");
        assert!(r[0].rtl && !r[1].rtl, "{r:?}");
        assert_eq!(r[1].text, " (c-2025-014)");
    }

    #[test]
    fn hebrew_reads_right_to_left_unjoined() {
        let r = runs("שלום", false);
        let starts: Vec<usize> = r[0].glyphs.iter().map(|g| g.range.start).collect();
        assert_eq!(starts, vec![6, 4, 2, 0]);
    }

    #[test]
    fn ideographs_after_latin_fall_back_and_marks_stay_with_their_letter() {
        let r = runs("Søren 王", false);
        assert_eq!(
            r.iter()
                .map(|r| (r.face, r.text.as_str()))
                .collect::<Vec<_>>(),
            vec![(Face::Regular, "Søren "), (Face::Fallback, "王")]
        );
        // e + combining acute: one stretch, shaped together (composed or mark-positioned by the font).
        let r = runs("Ele\u{301}na", false);
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].glyphs.iter().all(|g| g.glyph != 0), "{r:?}");
    }
}
