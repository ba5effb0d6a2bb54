//! follicle-export: everything that turns a Plan into files and text, and reads saved plans back:
//! plan.json (contract v1, GUIDE §2), the stencil (SVG sheet and tiled PDF at 1:1), the impressions CSV
//! and the terminal summary.

#![warn(missing_docs)]

pub mod csv;
pub mod deflate;
pub mod json;
pub mod labels;
pub mod num;
pub mod pdf;
pub mod stencil;
pub mod summary;
pub mod svg;
pub mod tiles;

pub use json::{
    load_plan, plan_from_json, plan_to_json, plan_to_json_for, SavedPlan, MAX_PLAN_JSON_BYTES,
};
