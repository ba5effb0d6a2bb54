//! The plan drawn onto a registered client photo: which impressions the camera sees, and painting them on
//! the photo's own pixels.

use super::Photo;
use crate::color::{Lin, SrgbLut};
use crate::optics::State;
use crate::preview::{spots, LookTable};
use crate::register::Registration;
use crate::shade::Catalogue;
use crate::splat::{composite, Spot, Srgb8Canvas};
use follicle_core::Plan;

/// The spots of `plan` on a registered photo: impressions facing the frontal camera, inside the picture.
pub fn photo_spots(
    plan: &Plan,
    table: &LookTable,
    state: State,
    last: usize,
    reg: &Registration,
    w: usize,
    h: usize,
) -> Vec<Spot> {
    let eye = reg.frontal.eye;
    spots(
        plan,
        table,
        state,
        last,
        |p| reg.project(p),
        |p, n, x, y, _| {
            n.dot((eye - p).normalized()) > 0.05
                && x >= 0.0
                && y >= 0.0
                && x < w as f64
                && y < h as f64
        },
    )
}

/// Draws the plan after session `last` in `state` onto the photo's pixels in place; `skin` is the client's
/// skin colour the optical model uses.
pub fn draw_on_photo(
    photo: &mut Photo,
    plan: &Plan,
    catalogue: &Catalogue,
    reg: &Registration,
    skin: Lin,
    state: State,
    last: usize,
) -> usize {
    let table = LookTable::new(plan, catalogue, skin, state, last);
    let sp = photo_spots(plan, &table, state, last, reg, photo.w, photo.h);
    let lut = SrgbLut::new();
    composite(
        &mut Srgb8Canvas {
            data: &mut photo.rgb,
            w: photo.w,
            h: photo.h,
            lut: &lut,
        },
        &sp,
        &table.looks,
    );
    sp.len()
}
