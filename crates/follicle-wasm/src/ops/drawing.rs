//! The plan as the editor draws it: plan.json without its impressions (zones, sessions, landmarks, hairline
//! and figures: a few kilobytes) and the impressions as flat arrays in one buffer the page reads straight
//! from linear memory. Writing 14,000 impressions of a first session as plan.json text and parsing them
//! back in the worker took 15–20 ms of the editor's 300 ms from an edit to its picture; the arrays hold the
//! same numbers (each coordinate rounded as plan.json writes it, then to 32 bits, as the worker stored the
//! parsed text).
//!
//! The buffer: the impression count `n` (u32), then x, y, z (f32 × n each, head frame, mm), the zone's
//! index in plan.json's `zones` (u16 × n), the session (u8 × n) and how squarely the scalp there faces up
//! (u8 × n: the head surface's normal's upward share × 255, the top view's foreshortening), little-endian,
//! in plan.json's order.

use follicle_core::Plan;
use follicle_export::num::r4;
use std::cell::RefCell;

thread_local! {
    /// The arrays of the last `plan_drawing` answer, kept until the next one.
    static ARRAYS: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// plan.json of `plan` without its impressions (`"impressions": []`), with one field plan.json has not:
/// `hair_kept`, whether the client keeps their own hair and the impressions lie among it
/// (`follicle_core::hair_wear`: the editor says the mannequin is shaved only to show the pigment); its
/// impressions go into the arrays buffer ([`with_arrays`]).
pub(super) fn drawing(plan: &Plan) -> String {
    let mut text = follicle_export::json::plan_json_head(plan);
    follicle_export::json::plan_json_tail(&mut text);
    let kept = plan.keeps_hair();
    if let Some(rest) = text.strip_prefix('{') {
        text = format!("{{\"hair_kept\": {kept},{rest}");
    }
    ARRAYS.with(|a| *a.borrow_mut() = arrays(plan));
    text
}

/// Runs `f` on the arrays buffer of the last drawing.
pub fn with_arrays<T>(f: impl FnOnce(&[u8]) -> T) -> T {
    ARRAYS.with(|a| f(&a.borrow()))
}

/// The buffer of the module doc for `plan`'s impressions.
fn arrays(plan: &Plan) -> Vec<u8> {
    let ims = &plan.impressions;
    let n = ims.len();
    let mut out = Vec::with_capacity(4 + n * 16);
    out.extend((n as u32).to_le_bytes());
    for axis in 0..3 {
        for m in ims {
            let v = [m.p.x, m.p.y, m.p.z][axis];
            out.extend((r4(v) as f32).to_le_bytes());
        }
    }
    for m in ims {
        out.extend((m.zone as u16).to_le_bytes());
    }
    out.extend(ims.iter().map(|m| m.session.min(255) as u8));
    // Seen from above, scalp sloping away is foreshortened by this share: its impressions crowd together on
    // the screen (outside test s55: the sides' 17/cm² read denser than the top's 47/cm²).
    out.extend(
        ims.iter()
            .map(|m| (plan.head.normal(m.p).z.clamp(0.0, 1.0) * 255.0).round() as u8),
    );
    out
}
