//! What a client can see of the design on the after picture of their own photo: the tone step across the
//! designed hairline on the midline, and how much the treated top and the clipped sides darken the skin
//! under them (the light on a photo differs between the top and the sides, so raw L* mixes light with
//! tone). `follicle render` prints these figures and, when the plan cannot show its design on this photo,
//! says in a practitioner's words what to change (docs/photo-scalp.md, "What the client can see").

use follicle_core::geom::Vec3;
use follicle_core::plan::Plan;

use crate::color::{lab_from_lin, Lin};
use crate::raster::LinearImage;
use crate::register::Registration;

/// Distance in front of and behind the designed hairline at which its contrast is read, mm (along the
/// scalp on the midline).
pub const HAIRLINE_READ_MM: f64 = 5.0;
/// Radius of the disc each side of the hairline is averaged over, mm.
pub const HAIRLINE_DISC_MM: f64 = 2.0;
/// Smallest L* step across the hairline a client sees as a front edge at the picture's size
/// (**assumption**: about twice the just-noticeable difference of ≈ 2 L* for a soft edge).
pub const HAIRLINE_SEEN_L: f64 = 4.0;
/// Largest difference in darkening (of the skin under each) between the treated top and the clipped
/// sides that still reads as one shaved head, as a share of the skin's luminance (**assumption**: 8 %,
/// about 3 L* at the top's tone).
pub const EVEN_SHARE: f64 = 0.08;

/// The design as the client sees it on one after picture.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DesignReading {
    /// The designed hairline's midline point on the photo (pixels), when it faces the camera.
    pub hairline_px: Option<(f64, f64)>,
    /// L* on the after picture `HAIRLINE_READ_MM` in front of (forehead) and behind (treated) the
    /// designed hairline on the midline.
    pub hairline_after: Option<(f64, f64)>,
    /// The same on the shaved picture (what the photo itself shows there).
    pub hairline_shaved: Option<(f64, f64)>,
    /// Share of luminance the impressions take from the treated top (after against shaved).
    pub top_darkening: Option<f64>,
    /// Share of luminance the clipped stubble takes from the skin under it on the sides.
    pub side_darkening: Option<f64>,
    /// Mean L* of the treated top on the shaved picture (the light the gap is expressed in).
    pub top_lstar: Option<f64>,
    /// The hairline zone's last-session strength and density, for the advice.
    pub hairline_zone: Option<(f64, f64)>,
    /// The picture's time point and session, for the advice.
    pub shown: Shown,
}

/// What the picture shows, as the advice needs it: whether the design is finished and how it looks then.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Shown {
    /// The session shown and the plan's number of sessions (equal: the finished plan).
    pub session: (usize, usize),
    /// The session just done, fresh (it heals lighter).
    pub fresh: bool,
    /// Years after healing (faded), 0 when healed or fresh.
    pub years: f64,
}

impl Shown {
    fn partial(&self) -> bool {
        self.session.0 < self.session.1
    }
}

impl DesignReading {
    /// The step across the designed hairline on the after picture, L* (forehead minus treated side;
    /// positive when the treated side is darker).
    pub fn hairline_contrast(&self) -> Option<f64> {
        self.hairline_after.map(|(front, behind)| front - behind)
    }

    /// The same step on the shaved picture: what the photo shows there without pigment.
    pub fn hairline_contrast_shaved(&self) -> Option<f64> {
        self.hairline_shaved.map(|(front, behind)| front - behind)
    }

    /// The part of that step the impressions make (the after picture's step less the shaved picture's:
    /// the photo's own light often makes the forehead brighter already), L*.
    pub fn pigment_step(&self) -> Option<f64> {
        Some(self.hairline_contrast()? - self.hairline_contrast_shaved()?)
    }

    /// The gap between the treated top and the clipped sides with the light accounted for: both
    /// darkenings applied to the top's own skin tone, L* (positive: the sides are darker).
    pub fn even_gap(&self) -> Option<f64> {
        let (t, s, l) = (self.top_darkening?, self.side_darkening?, self.top_lstar?);
        let y = y_of_l(l);
        Some(l_of_y(y * (1.0 - t)) - l_of_y(y * (1.0 - s)))
    }

    /// One line for the terminal.
    pub fn summary(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let (Some(c), Some(c0)) = (self.hairline_contrast(), self.hairline_contrast_shaved()) {
            parts.push(format!(
                "designed hairline {} (5 mm each side on the midline; lightness in points from 0 black to 100 white): the pigment darkens it by {:.1} points, from {} on the shaved picture",
                step_words(c),
                c - c0,
                step_words(c0)
            ));
        }
        if let (Some(t), Some(s), Some(g)) =
            (self.top_darkening, self.side_darkening, self.even_gap())
        {
            parts.push(format!(
                "treated top {:.0} % and clipped sides {:.0} % darker than the skin under them: {:.1} points of lightness apart in the top's light",
                t * 100.0,
                s * 100.0,
                g.abs()
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    /// What to change when the plan cannot show its design on this photo, in a practitioner's words: the
    /// plan itself for the finished plan healed, nothing but the sessions still to come for an earlier
    /// session, a touch-up for a faded one; a fresh picture says nothing of the healed tone.
    pub fn advice(&self) -> Vec<String> {
        self.advice_for(GuardRoom::ANY)
    }

    /// [`advice`](Self::advice) with the clipper lengths that would help on this photo: a change of guard
    /// is suggested only where one is offered that would still read as one head (probe s32b: "the sides kept
    /// a little longer" beside a tone table that rated the next guard "no").
    pub fn advice_for(&self, room: GuardRoom) -> Vec<String> {
        let mut out = Vec::new();
        let sh = self.shown;
        if let Some(c) = self.pigment_step() {
            if c < HAIRLINE_SEEN_L {
                // One decimal, or two where one would round up to the bound itself (outside test s48:
                // "only 4.0 points …, under the 4").
                let shown = if (c * 10.0).round() / 10.0 >= HAIRLINE_SEEN_L {
                    let two = (c * 100.0).round() / 100.0;
                    format!(
                        "{:.2}",
                        if two < HAIRLINE_SEEN_L {
                            two
                        } else {
                            HAIRLINE_SEEN_L - 0.01
                        }
                    )
                } else {
                    format!("{c:.1}")
                };
                let what = format!(
                    "the pigment makes the designed hairline only {shown} points of lightness (0 black, 100 white) darker behind than in front on this picture, under the {HAIRLINE_SEEN_L:.0} a client sees as a front edge"
                );
                let zone = self.hairline_zone.map_or(String::new(), |(s, d)| {
                    format!(
                        " (now {:.0} % in the last session at {:.0} impressions/cm²)",
                        s * 100.0,
                        d
                    )
                });
                out.push(if sh.partial() {
                    format!(
                        "after session {} of {}, {what}; the later sessions build it up",
                        sh.session.0, sh.session.1
                    )
                } else if sh.years > 0.0 {
                    format!(
                        "{} years on, {what}: a touch-up session brings it back",
                        sh.years
                    )
                } else {
                    format!(
                        "{what}: raise the hairline zone's strength or density{zone}, or shorten its soft transition"
                    )
                });
            }
        }
        if sh.fresh || sh.partial() {
            return out;
        }
        // The tone warning already says what matches the sides to the top at this guard: a second line on
        // the same gap read as a contradiction (outside test s42: "keep the sides at a 0 guard" and, next
        // line, "a stronger or denser last session").
        if room.guard_said {
            return out;
        }
        if let (Some(t), Some(s)) = (self.top_darkening, self.side_darkening) {
            let shares = format!(
                "({:.0} % against {:.0} % darker than the skin under them)",
                t * 100.0,
                s * 100.0
            );
            // Judged on the shares as they are written (whole per cent): the same "7 % against 15 %" warned at
            // 30 years and not at 10 (outside test s48).
            let (tp, sp, even) = (
                (t * 100.0).round(),
                (s * 100.0).round(),
                (EVEN_SHARE * 100.0).round(),
            );
            if sp - tp > even {
                out.push(if sh.years > 0.0 {
                    format!(
                        "{} years on, the treated top stays lighter than the clipped sides in the same light {shares}: a touch-up session makes them one even shaved head again",
                        sh.years
                    )
                } else {
                    let shorter = if room.shorter { ", or sides kept shorter," } else { "" };
                    format!(
                        "in the same light the treated top stays lighter than the clipped sides {shares}: a stronger or denser last session{shorter} makes them one even shaved head"
                    )
                });
            } else if tp - sp > even {
                let longer = if room.longer {
                    ", or the sides kept a little longer,"
                } else {
                    ""
                };
                out.push(format!(
                    "in the same light the treated top is darker than the clipped sides {shares}: a lighter last session{longer} makes them one even shaved head"
                ));
            }
        }
        out
    }
}

/// Which other clipper lengths would still read as one head with the treated top on the photo
/// ([`crate::tone::ToneMatch::room`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GuardRoom {
    /// A shorter guard than the one shown is offered and still matches.
    pub shorter: bool,
    /// A longer guard than the one shown is offered and still matches.
    pub longer: bool,
    /// The tone warning ([`crate::tone::ToneMatch::warning`]) is said for this photo: it names the guard
    /// that matches (or that none does), so the top-against-sides advice is left to it.
    pub guard_said: bool,
}

impl GuardRoom {
    /// Nothing known of the sides' tone: both directions may be suggested.
    pub const ANY: GuardRoom = GuardRoom {
        shorter: true,
        longer: true,
        guard_said: false,
    };
}

/// A step across the hairline in words: "4.2 L* darker behind than in front", or lighter when the photo's
/// light on the top outweighs the pigment (outside probe s26: "-1.0 L* darker" read as nonsense).
fn step_words(c: f64) -> String {
    if c >= 0.05 {
        format!("{c:.1} points darker behind than in front")
    } else if c <= -0.05 {
        format!("{:.1} points lighter behind than in front", -c)
    } else {
        "as light behind as in front".into()
    }
}

/// CIE luminance Y (0–1) of an L*.
fn y_of_l(l: f64) -> f64 {
    let f = (l + 16.0) / 116.0;
    if f > 6.0 / 29.0 {
        f * f * f
    } else {
        3.0 * (6.0f64 / 29.0).powi(2) * (f - 4.0 / 29.0)
    }
}

/// L* of a luminance Y (0–1).
fn l_of_y(y: f64) -> f64 {
    lab_from_lin([y as f32; 3]).l
}

/// The designed hairline's midline point and the points `HAIRLINE_READ_MM` in front of it (toward the
/// glabella) and behind it, on the scalp; `None` without a hairline.
pub fn hairline_points(plan: &Plan) -> Option<[Vec3; 3]> {
    let hl = plan.hairline.as_ref()?;
    let mid = plan.landmarks.mid_frontal;
    let p = *hl
        .polyline
        .iter()
        .min_by(|a, b| (**a - mid).norm().total_cmp(&(**b - mid).norm()))?;
    let n = plan.head.normal(p);
    let to_face = plan.landmarks.glabella - p;
    let t = to_face - n * n.dot(to_face);
    if t.norm() < 1e-6 {
        return None;
    }
    let t = t.normalized();
    Some([
        p,
        plan.head.project(p + t * HAIRLINE_READ_MM),
        plan.head.project(p - t * HAIRLINE_READ_MM),
    ])
}

/// The designed hairline's midline point on the photo, when it faces the camera and lies on it.
pub fn hairline_on_photo(
    plan: &Plan,
    reg: &Registration,
    w: usize,
    h: usize,
) -> Option<(f64, f64)> {
    let [p, _, _] = hairline_points(plan)?;
    let n = plan.head.normal(p);
    if n.dot((reg.frontal.eye - p).normalized()) <= 0.05 {
        return None;
    }
    let (x, y, _) = reg.project(p)?;
    (x >= 0.0 && y >= 0.0 && x < w as f64 && y < h as f64).then_some((x, y))
}

/// Mean L* of `img` over a disc of `r` pixels around (`x`, `y`); `None` when the disc leaves the picture.
pub fn disc_lstar(img: &LinearImage, x: f64, y: f64, r: f64) -> Option<f64> {
    let (mut s, mut n) = ([0.0f64; 3], 0usize);
    let r = r.max(1.0);
    let (x0, x1) = ((x - r).floor(), (x + r).ceil());
    let (y0, y1) = ((y - r).floor(), (y + r).ceil());
    if x0 < 0.0 || y0 < 0.0 || x1 >= img.w as f64 || y1 >= img.h as f64 {
        return None;
    }
    for yy in y0 as usize..=y1 as usize {
        for xx in x0 as usize..=x1 as usize {
            if (xx as f64 + 0.5 - x).hypot(yy as f64 + 0.5 - y) <= r {
                let c = img.get(xx, yy);
                for k in 0..3 {
                    s[k] += c[k] as f64;
                }
                n += 1;
            }
        }
    }
    let m: Lin = s.map(|v| (v / n.max(1) as f64) as f32);
    (n > 0).then(|| lab_from_lin(m).l)
}

/// The plan's hairline zone when the plan designs a hairline (a zone of kind hairline): a pattern that keeps
/// the client's own frontal hairline (Ludwig) blends into it instead, and nothing about a designed front
/// edge applies to it (outside test s48: a diffuse-thinning woman was told to raise her own hairline's
/// strength "at 80 impressions/cm²", which would draw an SMP edge across her natural one).
fn designed_hairline_zone(plan: &Plan) -> Option<&follicle_core::plan::ZoneStats> {
    plan.zones.iter().find(|z| {
        z.spec.id == "hairline" && z.spec.kind == follicle_core::design::ZoneKind::Hairline
    })
}

/// L* in front of and behind the designed hairline on `img` (the photo's size), read over discs of
/// `HAIRLINE_DISC_MM` at the registered scale; `None` when the plan designs no hairline.
pub fn hairline_lstar(plan: &Plan, reg: &Registration, img: &LinearImage) -> Option<(f64, f64)> {
    designed_hairline_zone(plan)?;
    let [_, front, behind] = hairline_points(plan)?;
    let r = HAIRLINE_DISC_MM * reg.px_per_mm;
    let (fx, fy, _) = reg.project(front)?;
    let (bx, by, _) = reg.project(behind)?;
    Some((disc_lstar(img, fx, fy, r)?, disc_lstar(img, bx, by, r)?))
}

/// The designed hairline zone's last-session strength and its density, when the plan has one.
pub fn hairline_zone(plan: &Plan) -> Option<(f64, f64)> {
    designed_hairline_zone(plan).map(|z| {
        (
            z.spec.dilution.last().copied().unwrap_or(0.0),
            z.spec.density_cm2,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(step: f64, top: f64, side: f64, shown: Shown) -> DesignReading {
        DesignReading {
            hairline_px: Some((10.0, 10.0)),
            hairline_after: Some((80.0, 77.0 - step)),
            hairline_shaved: Some((80.0, 77.0)),
            top_darkening: Some(top),
            side_darkening: Some(side),
            top_lstar: Some(65.0),
            hairline_zone: Some((0.4, 80.0)),
            shown,
        }
    }

    const FINISHED: Shown = Shown {
        session: (3, 3),
        fresh: false,
        years: 0.0,
    };

    #[test]
    fn only_a_designed_hairline_is_read_and_advised_on() {
        let mut plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
        let designed = hairline_zone(&plan).expect("the demo designs a hairline");
        assert_eq!(designed.1, plan.zones[0].spec.density_cm2);
        // A pattern that keeps the client's own frontal hairline blends into it: no front edge to read or
        // to make stronger.
        for z in &mut plan.zones {
            if z.spec.id == "hairline" {
                z.spec.kind = follicle_core::design::ZoneKind::Blend;
            }
        }
        assert_eq!(hairline_zone(&plan), None);
        assert!(designed_hairline_zone(&plan).is_none());
    }

    #[test]
    fn the_advice_names_what_to_change_for_the_picture_shown() {
        // A design that shows: nothing to say.
        assert!(reading(5.0, 0.22, 0.18, FINISHED).advice().is_empty());
        // The finished plan too light at the hairline: change the plan.
        let a = reading(1.5, 0.22, 0.18, FINISHED).advice();
        assert!(
            a.len() == 1
                && a[0].contains("raise the hairline zone's strength or density (now 40 %"),
            "{a:?}"
        );
        // The top against the sides is judged on the shares as written: "7 % against 15 %" is 8 points apart,
        // not over the 8 % bound, whichever way the unrounded shares fall.
        for (t, side) in [(0.074, 0.154), (0.066, 0.146)] {
            let a = reading(5.0, t, side, FINISHED).advice();
            assert!(a.is_empty(), "{t} {side}: {a:?}");
        }
        assert_eq!(reading(5.0, 0.07, 0.16, FINISHED).advice().len(), 1);
        // Just under the bound is not written as the bound itself.
        let a = reading(3.96, 0.22, 0.18, FINISHED).advice();
        assert!(a[0].contains("only 3.96 points"), "{a:?}");
        let a = reading(3.9, 0.22, 0.18, FINISHED).advice();
        assert!(a[0].contains("only 3.9 points"), "{a:?}");
        // After session 1 of 3: the later sessions build it up; no top-against-sides advice yet.
        let early = Shown {
            session: (1, 3),
            ..FINISHED
        };
        let a = reading(1.5, 0.05, 0.18, early).advice();
        assert!(
            a.len() == 1 && a[0].starts_with("after session 1 of 3") && !a[0].contains("raise"),
            "{a:?}"
        );
        // Years on: a touch-up, for the hairline and the top alike.
        let old = Shown {
            years: 10.0,
            ..FINISHED
        };
        let a = reading(1.5, 0.08, 0.18, old).advice();
        assert!(
            a.len() == 2 && a.iter().all(|w| w.contains("touch-up")),
            "{a:?}"
        );
        // Fresh: darker than it heals, so nothing about the top against the sides.
        let fresh = Shown {
            fresh: true,
            ..FINISHED
        };
        assert!(reading(9.0, 0.32, 0.18, fresh).advice().is_empty());
        // The finished top much darker than the sides: a lighter last session or longer sides.
        let a = reading(9.0, 0.32, 0.18, FINISHED).advice();
        assert!(
            a.len() == 1
                && a[0].contains("a lighter last session, or the sides kept a little longer,"),
            "{a:?}"
        );
        // No longer guard would still match on this photo: longer sides are not suggested.
        let none = GuardRoom {
            shorter: false,
            longer: false,
            guard_said: false,
        };
        let a = reading(9.0, 0.32, 0.18, FINISHED).advice_for(none);
        assert!(
            a.len() == 1
                && a[0].contains("a lighter last session makes")
                && !a[0].contains("longer"),
            "{a:?}"
        );
        let a = reading(1.5, 0.05, 0.3, FINISHED).advice_for(none);
        assert!(a.iter().all(|w| !w.contains("shorter")), "{a:?}");
        // The tone warning names the guard that matches: the same gap is not advised on twice (outside test
        // s42: "keep the sides at a 0 guard", then "a stronger or denser last session").
        let said = GuardRoom {
            guard_said: true,
            ..GuardRoom::ANY
        };
        let a = reading(9.0, 0.05, 0.3, FINISHED).advice_for(said);
        assert!(a.is_empty(), "{a:?}");
        assert_eq!(reading(9.0, 0.05, 0.3, FINISHED).advice().len(), 1);
    }

    #[test]
    fn the_gap_in_the_top_s_light_is_zero_for_equal_darkening_and_signed() {
        let r = reading(5.0, 0.2, 0.2, FINISHED);
        assert!(r.even_gap().unwrap().abs() < 1e-6);
        let r = reading(5.0, 0.1, 0.3, FINISHED);
        let g = r.even_gap().unwrap();
        assert!(g > 5.0 && g < 15.0, "{g}");
        assert_eq!(DesignReading::default().even_gap(), None);
        assert_eq!(DesignReading::default().summary(), None);
        assert!(DesignReading::default().advice().is_empty());
    }
}
