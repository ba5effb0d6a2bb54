//! Hard edges the practitioner chose: where a treated zone (density, hairline or scar) meets the
//! hair-bearing scalp of a pattern zone the design leaves out (`[zones.back] treated = false`), the
//! impressions stop at a line with no ramp (a blend zone fades there on its own; feather.rs). That can be
//! what the practitioner wants (the client's own hair there is dense and worn to hide it), but on a shaved
//! head it reads as a cap edge, so the plan says where and how long each such edge is, in words.

use super::Field;
use crate::design::{BuiltinZone, ZoneKind, ZoneSpec};
use crate::field::NO_ZONE;

/// Shortest hard edge worth a word, mm.
pub const HARD_EDGE_MIN_MM: f64 = 10.0;

/// A treated zone's edge against a left-out pattern zone's scalp.
#[derive(Clone, Debug, PartialEq)]
pub struct HardEdge {
    /// The treated zone (index in the design's zones).
    pub zone: usize,
    /// The pattern zone left out.
    pub skipped: BuiltinZone,
    /// Length of the edge along the scalp, mm (about: measured on the raster, its staircase corrected by
    /// π/4, the mean for borders at every angle).
    pub length_mm: f64,
}

impl Field {
    /// The hard edges of `zones` (the zones this field was built for) against left-out pattern zones, at
    /// least [`HARD_EDGE_MIN_MM`] long, by zone and then by pattern zone.
    pub fn hard_edges(&self, zones: &[ZoneSpec]) -> Vec<HardEdge> {
        let (nu, nv) = (self.nu, self.nv);
        if self.skipped.len() != nu * nv {
            return Vec::new();
        }
        let ends_hard = |z: u8| {
            z != NO_ZONE
                && matches!(
                    zones.get(z as usize).map(|s| s.kind),
                    Some(ZoneKind::Density | ZoneKind::Hairline | ZoneKind::Scar)
                )
        };
        let mut len = vec![[0.0f64; 7]; zones.len()];
        for j in 0..nv {
            for i in 0..nu {
                let k = j * nu + i;
                let z = self.zone[k];
                if !ends_hard(z) {
                    continue;
                }
                let side = (self.area[k] as f64).sqrt();
                let mut add = |n: usize| {
                    let s = self.skipped[n];
                    if s > 0 {
                        len[z as usize][s as usize - 1] += side;
                    }
                };
                if i > 0 {
                    add(k - 1);
                }
                if i + 1 < nu {
                    add(k + 1);
                }
                if j > 0 {
                    add(k - nu);
                }
                if j + 1 < nv {
                    add(k + nu);
                }
            }
        }
        let mut out = Vec::new();
        for (zone, per) in len.iter().enumerate() {
            for (slot, &l) in per.iter().enumerate() {
                let length_mm = l * std::f64::consts::FRAC_PI_4;
                if length_mm >= HARD_EDGE_MIN_MM {
                    out.push(HardEdge {
                        zone,
                        skipped: BuiltinZone::ALL[slot],
                        length_mm,
                    });
                }
            }
        }
        out
    }
}

/// What zone `zone`'s hard edges (from [`Field::hard_edges`]) mean for the practitioner, in words; `None`
/// when it has none. `own_hair_all_round`: the design has no pattern zone at all (`scars-only`), so the
/// edges are against the client's own hair, which no table of the design can treat.
pub fn hard_edge_note(edges: &[HardEdge], zone: usize, own_hair_all_round: bool) -> Option<String> {
    let mine: Vec<&HardEdge> = edges.iter().filter(|e| e.zone == zone).collect();
    if own_hair_all_round {
        let length_mm: f64 = mine.iter().map(|e| e.length_mm).sum();
        return (!mine.is_empty()).then(|| {
            format!(
                "ends against the client's own hair all round ({length_mm:.0} mm of edge), which the design \
                 leaves as it is: the hair around it must stay long enough to cover that edge (a 1.5 mm \
                 guard or longer; clipped to the skin the edge shows as a line), or draw a blend zone around \
                 the scar for it to fade into"
            )
        });
    }
    let mut said = Vec::new();
    if let Some(front) = mine.iter().find(|e| e.skipped == BuiltinZone::Hairline) {
        said.push(format!(
            "ends at the forehead in a hard line ({:.0} mm): the design leaves out the hairline zone, whose \
             soft, irregular front (a density ramp and scattered strays) is what makes a hairline look \
             natural; remove `treated = false` from [zones.hairline] unless a sharp line is wanted",
            front.length_mm
        ));
    }
    let rest: Vec<&&HardEdge> = mine
        .iter()
        .filter(|e| e.skipped != BuiltinZone::Hairline)
        .collect();
    if !rest.is_empty() {
        let names: Vec<String> = rest
            .iter()
            .map(|e| format!("`{}` ({:.0} mm)", e.skipped.id(), e.length_mm))
            .collect();
        let tables: Vec<String> = rest
            .iter()
            .map(|e| format!("[zones.{}]", e.skipped.id()))
            .collect();
        let (which, them) = if rest.len() == 1 {
            ("the design leaves it out", "it")
        } else {
            ("the design leaves them out", "them")
        };
        said.push(format!(
            "ends in a hard edge against {}: {which}, so on a shaved head that edge shows as a line unless \
             the client's own hair there is as dark; to blend into {them}, remove `treated = false` from {} \
             (the pattern's own zone there) or set `treated = true` there",
            names.join(" and "),
            tables.join(" and ")
        ));
    }
    (!said.is_empty()).then(|| said.join("; it also "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{pattern_design, plan, HeadMeasurements, Pattern, Sex};

    #[test]
    fn a_left_out_pattern_zone_gives_its_treated_neighbours_a_hard_edge_note() {
        let m = HeadMeasurements::median(Sex::Male);
        let whole = plan(&pattern_design(Pattern::Norwood(6), m, 3, 1)).unwrap();
        assert!(
            whole.field.hard_edges(&whole.design.zones).is_empty(),
            "a pattern as it comes blends everywhere"
        );
        assert!(whole.zone_edge_notes().iter().all(Option::is_none));

        let mut d = pattern_design(Pattern::Norwood(6), m, 3, 1);
        d.zones
            .retain(|z| z.region != crate::design::Region::Builtin(BuiltinZone::Back));
        let p = plan(&d).unwrap();
        let edges = p.field.hard_edges(&p.design.zones);
        let total: f64 = edges
            .iter()
            .filter(|e| e.skipped == BuiltinZone::Back)
            .map(|e| e.length_mm)
            .sum();
        // The treated top meets the back across the head: well over 100 mm of edge.
        assert!(total > 100.0, "{edges:?}");
        assert!(edges
            .iter()
            .all(|e| p.design.zones[e.zone].kind != ZoneKind::Blend));
        let notes = p.zone_edge_notes();
        let e = &edges[0];
        let note = notes[e.zone]
            .as_deref()
            .expect("a note on the zone with the edge");
        assert!(
            note.contains("`back`") && note.contains("[zones.back]"),
            "{note}"
        );

        // The hairline band left out: the zones behind it stop at a line across the front (review s21).
        let mut d = pattern_design(Pattern::Norwood(6), m, 3, 1);
        d.zones
            .retain(|z| z.region != crate::design::Region::Builtin(BuiltinZone::Hairline));
        let p = plan(&d).unwrap();
        let across: f64 = p
            .field
            .hard_edges(&p.design.zones)
            .iter()
            .filter(|e| e.skipped == BuiltinZone::Hairline)
            .map(|e| e.length_mm)
            .sum();
        assert!(across > 60.0, "{across}");
        let notes = p.zone_edge_notes();
        assert!(
            notes
                .iter()
                .flatten()
                .any(|n| n.contains("ends at the forehead in a hard line")
                    && n.contains("[zones.hairline]")),
            "{notes:?}"
        );
    }
}
