//! follicle-render: the photoreal preview of a follicle Plan. Mannequin views from any side, the client's
//! own photo registered from marked landmarks, impressions fresh / healed / aged through an optical model
//! of pigment in skin, viewing-distance blur, CIEDE2000 shade matching and density heat maps.
//!
//! Pure parts (colour, optics, compositing, registration, shade matching) are plain functions of values;
//! file and image I/O is confined to `photo` (decoding with limits and EXIF orientation) and PNG encoding.

pub mod calibrate;
pub mod camera;
pub mod client;
pub mod color;
pub mod colour_words;
pub mod dome;
pub mod dome_light;
pub mod edge;
pub mod enclosed_dark;
mod erythema;
pub mod face_frame;
pub mod font;
pub mod hair_caution;
pub mod head_size;
pub mod heatmap;
pub mod legible;
pub mod mannequin;
pub mod optics;
pub mod overlay;
pub mod photo;
pub mod plan_catalogue;
pub mod preview;
pub mod raster;
pub mod recent;
pub mod regions;
pub mod register;
pub mod rows;
pub mod scalp;
pub mod scalp_backdrop;
pub mod scalp_light;
pub mod scalp_model;
pub mod scalp_outline;
pub mod seen;
pub mod shade;
pub mod shade_gap;
pub mod sharpness;
pub mod shaved;
mod shaved_maps;
pub mod sheets;
pub mod skin_chroma;
pub mod splat;
pub mod start_shade;
pub mod stubble;
pub mod tone;
pub mod views;

pub use camera::View;
pub use optics::State;
pub use preview::Scene;
pub use raster::LinearImage;
pub use shade::Catalogue;

/// Why a preview cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A photo could not be used.
    #[error(transparent)]
    Photo(#[from] photo::PhotoError),
    /// A landmarks file is unreadable or its landmarks don't fit the head.
    #[error(transparent)]
    Register(#[from] register::RegisterError),
    /// The scalp cannot be found on the photo.
    #[error(transparent)]
    Scalp(#[from] scalp::ScalpError),
    /// The pigment catalogue is invalid.
    #[error(transparent)]
    Catalogue(#[from] shade::CatalogueError),
    /// Encoding a PNG failed.
    #[error("PNG encoding failed: {0}")]
    Encode(String),
    /// A setting is out of range; `field` names it.
    #[error("{field}: {message}")]
    Invalid {
        /// The option or value.
        field: String,
        /// What is wrong.
        message: String,
    },
}

/// Encodes a picture as PNG bytes.
pub fn png(img: &LinearImage) -> Result<Vec<u8>, RenderError> {
    img.to_png().map_err(|e| RenderError::Encode(e.to_string()))
}

/// The demo's previews of `plan` as (file name, PNG bytes): before and after (3/4 view, healed, 30 cm,
/// 720 px), a contact sheet of the main views and states with close-ups (220 px panels), and the density
/// heat map per session, on the mannequin wearing `face` (the case's head sex). About 1.7 s on one core for
/// the demo plan (docs/preview-model.md).
pub fn demo_previews(
    plan: &follicle_core::Plan,
    face: mannequin::Face,
) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
    let cat = Catalogue::builtin();
    let mut scene = Scene {
        size: 720,
        ..Scene::new(plan.design.seed)
    };
    scene.appearance.face = face;
    let (before, after) = sheets::before_after(plan, &cat, &scene);
    let [b, a, sheet, density] = DEMO_PREVIEW_FILES;
    Ok(vec![
        (b.into(), png(&before)?),
        (a.into(), png(&after)?),
        (
            sheet.into(),
            png(&sheets::contact_sheet(plan, &cat, 220, face))?,
        ),
        (density.into(), png(&heatmap::heat_map(plan, 360))?),
    ])
}

/// The names of [`demo_previews`]'s pictures, as `follicle plan --previews` writes them beside plan.json.
pub const DEMO_PREVIEW_FILES: [&str; 4] = [
    "preview-before.png",
    "preview-after.png",
    "preview-contact-sheet.png",
    "preview-density.png",
];
