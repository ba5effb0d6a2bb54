//! The scene of a photo (follicle-render's `PhotoScene`: the photo in linear light, its scalp map and its
//! retained hair prepared for clipping) with the plan and the registration it was made for, kept in this
//! process for the next pictures of the same photo, marks and design. A state, session or distance switch in
//! the studio then draws on it instead of decoding, registering and classifying the photo again (about two
//! thirds of a picture's time). A cache only: every node makes its own on the first picture it is asked
//! for, and nothing is lost when it is dropped.

use super::photo_preview::{picture_turn, registered};
use super::*;
use follicle_render::client::{PhotoOptions, PhotoScene};
use follicle_render::recent::Recent;
use follicle_render::views::PhotoView;
use std::sync::{Arc, Mutex};

/// Scenes kept per process: a scene of a photo at the preview size (1600 px) is about 60 MB, some 130 MB
/// with the pictures it keeps for the next switch (follicle-render's finished plan and clipped hair), and
/// the studio draws one photo's pictures at a time per practitioner.
pub const SCENES_KEPT: usize = 3;

/// A scene with what it was made from.
pub(super) struct Drawn {
    pub(super) plan: follicle_core::Plan,
    pub(super) photo: follicle_render::photo::Photo,
    pub(super) reg: follicle_render::register::Registration,
    pub(super) scene: PhotoScene,
    /// The stored photo's JPEG compression warning (follicle-render's words).
    pub(super) compression_warning: Option<String>,
}

/// The scenes kept in this process ([`scene_key`]).
static SCENES: Mutex<Recent<String, Drawn>> = Mutex::new(Recent::new(SCENES_KEPT));

/// What a scene is made of: clinic `clinic`'s photo `sha` (its stored bytes) marked with `landmarks_json` as
/// a `view` photo, for the plan of plan.json `text`. The clinic is part of it: another clinic with the same
/// photo and plan makes its own, so no clinic learns from a quick answer that another holds the photo (outside
/// test s47, for the disk cache).
pub(super) struct SceneOf {
    pub(super) clinic: ClinicId,
    pub(super) sha: String,
    pub(super) text: String,
    pub(super) landmarks_json: String,
    pub(super) view: PhotoView,
}

/// Everything a scene depends on: what it is made of, and the hair colour of the options.
fn scene_key(of: &SceneOf, o: &PhotoOptions) -> String {
    format!(
        "{}|{}|{}|{}|{}|{:?}",
        of.clinic.0,
        sha256_hex(of.text.as_bytes()),
        of.sha,
        sha256_hex(of.landmarks_json.as_bytes()),
        of.view.name(),
        o.hair
    )
}

fn scenes() -> std::sync::MutexGuard<'static, Recent<String, Drawn>> {
    // A panic while the list was held leaves it whole (every change is one push or remove).
    SCENES.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `work` off the async threads on the scene `of` for the hair colour of `o`: the kept one, or one
/// made now (decoded, registered from the marks and classified, as `follicle render` does) and kept. Under a
/// [`crate::media::DECODES`] permit either way (the drawing is heavy too).
pub(super) async fn with_scene<T: Send + 'static>(
    st: &AppState,
    of: SceneOf,
    o: PhotoOptions,
    work: impl FnOnce(&Drawn) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    let key = scene_key(&of, &o);
    let _turn = picture_turn().await?;
    let photos = st.photos.clone();
    cpu(move || {
        if let Some(d) = scenes().get(&key) {
            return work(&d);
        }
        let SceneOf {
            sha,
            text,
            landmarks_json,
            view,
            ..
        } = of;
        let bytes = photos.get(&sha)?;
        let plan = follicle_export::load_plan(&text)
            .map_err(|e| ApiError::internal(format!("stored plan.json: {e}")))?;
        let (photo, _, reg) = registered(&plan, &bytes, &landmarks_json, view)?;
        let reg = reg.map_err(|e| {
            ApiError::unprocessable(format!(
                "the landmarks on this {} photo do not fit the design's head: {}; check the marks",
                view.name(),
                e.reason()
            ))
        })?;
        let scene = PhotoScene::new(&photo, &plan, &reg, &o)
            .map_err(|e| ApiError::unprocessable(format!("this photo cannot be previewed: {e}")))?;
        let d = Arc::new(Drawn {
            compression_warning: follicle_render::photo::compression_warning(&bytes),
            plan,
            photo,
            reg,
            scene,
        });
        scenes().put(key, d.clone());
        work(&d)
    })
    .await
}

/// The before / shaved / after pictures of the scene `of` at time point `state`, retained hair clipped to
/// `guard_mm` (`None`: the matching guard), seen from `distance_mm`, after session `session` (default: the
/// plan's last), drawn with the clinic's pigments `own` where the design's shades are theirs (follicle-render's
/// `plan_catalogue`), with the enlarged crop of the scalp when `crop` (else only the whole photo, in a
/// fraction of the time); `work` gets the scene, the pictures and that catalogue. The one way the studio's
/// pictures and advice of a photo are drawn.
pub(super) async fn with_preview<T: Send + 'static>(
    st: &AppState,
    of: SceneOf,
    (state, guard_mm, distance_mm): (follicle_render::State, Option<f64>, f64),
    (session, crop): (Option<usize>, bool),
    own: Vec<follicle_render::shade::Pigment>,
    work: impl FnOnce(
            &Drawn,
            &follicle_render::client::PhotoPreview,
            &follicle_render::plan_catalogue::PlanCatalogue,
        ) -> ApiResult<T>
        + Send
        + 'static,
) -> ApiResult<T> {
    let o = PhotoOptions {
        state,
        last: 0,
        guard_mm,
        skin: None,
        hair: None,
        distance_mm,
    };
    with_scene(st, of, o, move |d| {
        let drawn = follicle_render::plan_catalogue::for_plan(&d.plan, own);
        let last = session.unwrap_or(d.plan.sessions.len());
        let pv = d.preview(&drawn.catalogue, &PhotoOptions { last, ..o }, crop)?;
        work(d, &pv, &drawn)
    })
    .await
}

impl SceneOf {
    /// Clinic `clinic`'s photo `ph` marked as `marks` say, as a `view` photo, for the plan of plan.json `text`.
    pub(super) fn new(
        clinic: ClinicId,
        ph: &follicle_store::Photo,
        marks: &follicle_store::PhotoLandmarks,
        view: PhotoView,
        text: String,
    ) -> Self {
        Self {
            clinic,
            sha: ph.sha256.clone(),
            text,
            landmarks_json: marks.landmarks_json.clone(),
            view,
        }
    }
}

impl Drawn {
    /// The before / shaved / after pictures at `o` (the scene's hair colour) with `catalogue`, and the
    /// enlarged crop when `crop`.
    pub(super) fn preview(
        &self,
        catalogue: &follicle_render::Catalogue,
        o: &PhotoOptions,
        crop: bool,
    ) -> ApiResult<follicle_render::client::PhotoPreview> {
        self.scene
            .preview(&self.photo, &self.plan, catalogue, &self.reg, (o, crop))
            .map_err(|e| ApiError::unprocessable(format!("this photo cannot be previewed: {e}")))
    }
}
