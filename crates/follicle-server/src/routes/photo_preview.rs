//! The plan on the client's own photo (follicle-render's photo preview): before, shaved only, and after SMP,
//! at a time point, a session and a viewing distance, from the landmarks marked on the photo. Rendered on
//! the first request off the async workers, under the photo-decoding cap, on the photo's scene kept in this
//! process (`photo_scene`), the three pictures at once, and cached on this node's disk in
//! the photo's own cache folder under the hash of everything that shapes it (a cache only: any node can render
//! it again; the folder goes with the photo, and every node's sweep removes what outlived it).

use super::plans::{look_and_distance, PREVIEW_CACHE_VERSION};
use super::*;
use follicle_render::views::PhotoView;

/// Longest side a photo is previewed at, pixels: larger photos are scaled down first (the studio shows the
/// picture at most about this wide; the zoomed crop still reaches ≥ 4 px/mm of scalp by enlarging).
pub const PREVIEW_MAX_SIDE_PX: usize = follicle_render::overlay::MAX_SIDE_PX;
/// Longest clipper guard accepted, mm.
const MAX_GUARD_MM: f64 = follicle_render::shaved::MAX_GUARD_MM;

/// Query of GET /api/plans/{id}/photos/{photo}/preview.png.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PhotoPreviewQuery {
    /// `before|shaved|after` (default after).
    #[serde(default)]
    stage: Option<String>,
    /// `fresh|healed|years:N` (default healed).
    #[serde(default)]
    state: Option<String>,
    /// After this session (default the last).
    #[serde(default)]
    session: Option<usize>,
    /// Viewing distance, mm (default 1000: across a consultation table).
    #[serde(default)]
    distance: Option<f64>,
    /// Clipper guard of the retained hair, mm (default: the longest offered guard whose clipped sides
    /// match the treated top on this photo, follicle-render's `tone`; usually 0).
    #[serde(default)]
    guard: Option<f64>,
    /// The scalp enlarged to at least 4 px/mm instead of the whole photo.
    #[serde(default)]
    zoom: Option<bool>,
}

/// Path of GET /api/plans/{id}/photos/{photo}/preview.png.
#[derive(Deserialize)]
pub(super) struct PlanPhoto {
    pub(super) id: PlanId,
    pub(super) photo: PhotoId,
}

/// Which of the three pictures.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Stage {
    Before,
    Shaved,
    After,
}

/// GET /api/plans/{id}/photos/{photo}/preview.png: the plan drawn on the client's photo.
pub(super) async fn plan_on_photo(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(PlanPhoto { id, photo }): ApiPath<PlanPhoto>,
    ApiQuery(q): ApiQuery<PhotoPreviewQuery>,
) -> ApiResult {
    let stage = match q.stage.as_deref().unwrap_or("after") {
        "before" => Stage::Before,
        "shaved" => Stage::Shaved,
        "after" => Stage::After,
        other => {
            return Err(ApiError::bad_request(format!(
                "stage `{other}`: use before, shaved or after"
            )))
        }
    };
    let (state, distance) = look_and_distance(q.state.as_deref(), q.distance, 1000.0)?;
    let guard = q.guard;
    if guard.is_some_and(|g| !(0.0..=MAX_GUARD_MM).contains(&g)) {
        return Err(ApiError::bad_request(format!(
            "guard must be 0–{MAX_GUARD_MM} mm (longer hair is not a shaved head)"
        )));
    }
    let zoom = q.zoom.unwrap_or(false);
    let (p, text, ph, marks, view) = plan_and_photo(&st, &a, id, photo, q.session).await?;
    let proposed = !marks.proposed.is_empty();
    // Drawn with the clinic's pigments where the design's shades are theirs (follicle-render's plan_catalogue):
    // their recorded colours are part of the picture's key.
    let own = super::pigments::coloured(&st, a.clinic()).await?;
    let (plan_sha, marks_sha) = (
        sha256_hex(text.as_bytes()),
        sha256_hex(marks.landmarks_json.as_bytes()),
    );
    let key = |stage: Stage| {
        format!(
            "photo-v{PREVIEW_CACHE_VERSION}|{plan_sha}|{}|{marks_sha}|{stage:?}|{}|{:?}|{distance}|{guard:?}|{zoom}|{}|{own:?}",
            ph.sha256,
            state.label(),
            q.session,
            view.name()
        )
    };
    let (path, found) = cached(&st, a.clinic(), &ph.sha256, &key(stage), "png").await?;
    let png = match found {
        Some(bytes) => bytes,
        None => {
            // The three pictures are drawn together: the other two are cached beside the one asked for, so
            // the studio's stage slider finds them (one drawing, not three, per time point and distance).
            let mut siblings = Vec::new();
            for other in [Stage::Before, Stage::Shaved, Stage::After] {
                if other != stage {
                    siblings.push((
                        other,
                        cache_path(&st, a.clinic(), &ph.sha256, &key(other), "png")?,
                    ));
                }
            }
            super::photo_scene::with_preview(
                &st,
                super::photo_scene::SceneOf::new(a.clinic(), &ph, &marks, view, text),
                (state, guard, distance),
                (q.session, zoom),
                own,
                move |_, pv, _| {
                    let png = picture(pv, (stage, zoom))?;
                    follicle_store::photos::write_atomic(&path, &png)?;
                    // One already cached (an earlier request on this node) is left as it is.
                    for (other, p) in siblings.into_iter().filter(|(_, p)| !p.exists()) {
                        // Refused alike (a plan off the head is refused for the shaved and after pictures
                        // only): a sibling that would be refused is simply not cached.
                        if let Ok(b) = picture(pv, (other, zoom)) {
                            follicle_store::photos::write_atomic(&p, &b)?;
                        }
                    }
                    Ok(png)
                },
            )
            .await?
        }
    };
    viewed(&st, &a, "plan on photo", Some(id), Some(p.client_id)).await?;
    // A picture made from marks proposed from the face and not yet confirmed says so (the studio shows the
    // advice's sentence beside it); the picture itself is the same once they are confirmed as they stand.
    let marks_state = if proposed { "proposed" } else { "confirmed" };
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "private, max-age=3600"),
            (
                header::HeaderName::from_static("x-follicle-marks"),
                marks_state,
            ),
        ],
        png,
    )
        .into_response())
}

/// The preview cache's file for `key` (every input of the picture, hashed) with extension `ext`, clinic
/// `clinic`'s own (`PhotoStore::preview_file`), in the folder of the photo `sha` (deleted with the photo:
/// `PhotoStore::preview_dir`). No I/O.
fn cache_path(
    st: &AppState,
    clinic: ClinicId,
    sha: &str,
    key: &str,
    ext: &str,
) -> ApiResult<std::path::PathBuf> {
    Ok(st
        .photos
        .preview_dir(sha)
        .ok_or_else(|| ApiError::internal("a stored photo hash is not a SHA-256"))?
        .join(follicle_store::photos::PhotoStore::preview_file(
            clinic.into(),
            &sha256_hex(key.as_bytes()),
            ext,
        )))
}

/// The preview cache's file for `key` ([`cache_path`]) and its bytes when an earlier request on this node
/// made it.
pub(super) async fn cached(
    st: &AppState,
    clinic: ClinicId,
    sha: &str,
    key: &str,
    ext: &str,
) -> ApiResult<(std::path::PathBuf, Option<Vec<u8>>)> {
    let path = cache_path(st, clinic, sha, key, ext)?;
    let found = {
        let path = path.clone();
        cpu(move || Ok(std::fs::read(&path).ok())).await?
    };
    Ok((path, found))
}

/// Pictures of photos (fits, advice, previews not cached) waiting for their turn to decode on this node at
/// most; one more is told at once that the studio is busy.
pub const MAX_PICTURES_WAITING: usize = 8;
/// Longest a picture of a photo waits for its turn to decode, after which it is told to try again: well within
/// the request timeout, so the answer is "busy, try again" in words and not a dropped request (outside test
/// s47: 30 previews of a 49-megapixel photo at once, 15 answered 503 only after the 60 s timeout, and a small
/// photo's fit waited over 30 s behind them).
pub const PICTURE_WAIT: std::time::Duration = std::time::Duration::from_secs(20);
/// How many pictures of photos are waiting for their turn now.
static PICTURES_WAITING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A turn to decode a photo for its picture ([`crate::media::DECODES`]): at once when one is free, else after
/// the pictures ahead, waiting at most [`PICTURE_WAIT`] behind at most [`MAX_PICTURES_WAITING`] others; 503
/// with `Retry-After` in words otherwise.
pub(super) async fn picture_turn() -> ApiResult<tokio::sync::SemaphorePermit<'static>> {
    use std::sync::atomic::Ordering;
    if let Ok(p) = crate::media::DECODES.try_acquire() {
        return Ok(p);
    }
    struct Waiting;
    impl Drop for Waiting {
        fn drop(&mut self) {
            PICTURES_WAITING.fetch_sub(1, Ordering::Relaxed);
        }
    }
    let ahead = PICTURES_WAITING.fetch_add(1, Ordering::Relaxed);
    let _waiting = Waiting;
    let busy = |ahead: usize| {
        let mut e = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the studio is busy drawing other pictures of photos ({} ahead): try again in a few seconds",
                ahead + crate::media::MAX_DECODES
            ),
        );
        e.retry_after = Some(5);
        e
    };
    if ahead >= MAX_PICTURES_WAITING {
        return Err(busy(ahead));
    }
    match tokio::time::timeout(PICTURE_WAIT, crate::media::DECODES.acquire()).await {
        Ok(p) => p.map_err(ApiError::internal),
        Err(_) => Err(busy(
            PICTURES_WAITING.load(Ordering::Relaxed).saturating_sub(1),
        )),
    }
}

/// Runs `work` off the async threads with the photo `sha`'s bytes and the plan read from its stored plan.json,
/// under a [`crate::media::DECODES`] permit (at most that many photos decoded at once per node): the one way the
/// plan on a photo (fit, advice, preview) decodes a photo that is not cached yet.
pub(super) async fn with_photo_and_plan<T: Send + 'static>(
    st: &AppState,
    sha: &str,
    text: String,
    work: impl FnOnce(&follicle_core::Plan, &[u8]) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    let _decoding = picture_turn().await?;
    let (photos, sha) = (st.photos.clone(), sha.to_string());
    cpu(move || {
        let bytes = photos.get(&sha)?;
        let plan = follicle_export::load_plan(&text)
            .map_err(|e| ApiError::internal(format!("stored plan.json: {e}")))?;
        work(&plan, &bytes)
    })
    .await
}

/// The plan, its plan.json, the photo and the landmarks marked on it, as the plan on a photo (picture and
/// advice) needs them: read in one blocking call, the photo of the plan's client, marked, and `session` (when
/// given) one of the plan's.
pub(super) async fn plan_and_photo(
    st: &AppState,
    a: &Actor,
    id: PlanId,
    photo: PhotoId,
    session: Option<usize>,
) -> ApiResult<(PlanRecord, String, Photo, PhotoLandmarks, PhotoView)> {
    let c = a.clinic();
    let ((p, text), ph, marks) = db(st, move |s| {
        Ok((
            s.plan_with_json(c, id)?,
            s.photo(c, photo)?,
            s.photo_landmarks(c, photo)?,
        ))
    })
    .await?;
    if ph.client_id != p.client_id {
        return Err(ApiError::unprocessable(
            "this photo belongs to another client than the plan",
        ));
    }
    let view = super::photos::photo_view(&ph.view)?;
    let marks = marks.ok_or_else(|| unmarked(view))?;
    if session.is_some_and(|k| k == 0 || k as i64 > p.sessions) {
        return Err(ApiError::bad_request(format!(
            "session must be 1–{} for this plan",
            p.sessions
        )));
    }
    Ok((p, text, ph, marks, view))
}

/// One of the three pictures of `pv` (`stage`, the enlarged crop when `zoom`) as PNG.
fn picture(
    pv: &follicle_render::client::PhotoPreview,
    (stage, zoom): (Stage, bool),
) -> Result<Vec<u8>, ApiError> {
    // The plan does not lie on this head (marks of an upright face on a photo upside down, …): its
    // shaved and after pictures are not ones to show a client, so they are refused in the same words as
    // `follicle render` and the advice's placement warning (outside probe s21: they were served with 200).
    if stage != Stage::Before {
        if let Some(e) = pv.off_head() {
            return Err(ApiError::unprocessable(format!(
                "this picture is not one to show the client: {e}"
            )));
        }
    }
    let triple = if zoom {
        pv.zoom.as_ref().ok_or_else(|| {
            ApiError::unprocessable("no impression of this plan lands on the scalp in this photo")
        })?
    } else {
        &pv.full
    };
    let img = match stage {
        Stage::Before => &triple.before,
        Stage::Shaved => &triple.shaved,
        Stage::After => &triple.after,
    };
    follicle_render::png(img).map_err(ApiError::internal)
}

/// The photo decoded and scaled down to [`PREVIEW_MAX_SIDE_PX`], and its registration from its stored
/// landmarks (and the scale it was shrunk by), as `follicle render` registers a photo (follicle-render's `views::register_photo`: a front
/// photo by the joint fit of its face marks and the head's outline on it, any other view from its marks).
/// The studio's pictures, advice and fit all come from this one call, so they show the fit the CLI prints;
/// a photo with no head at its marks (`RegisterError::NoHead`: no skin above the glabella, the library's
/// `register::check_head_found` inside `views::register_photo`) is refused here with a 422 in words, for the
/// fit as for the pictures (nothing to fit or draw on), as the CLI and the editor refuse it.
/// Blocking: call it off the async workers, under the decoding cap.
pub(super) fn registered(
    plan: &follicle_core::Plan,
    bytes: &[u8],
    landmarks_json: &str,
    view: PhotoView,
) -> Result<
    (
        follicle_render::photo::Photo,
        f64,
        Result<follicle_render::register::Registration, follicle_render::register::RegisterError>,
    ),
    ApiError,
> {
    use follicle_render::{photo, register, views};
    // Checked whole at upload (`media`): not walked for damage again on every scene.
    let full = photo::decode_stored(bytes, photo::PhotoLimits::default())
        .map_err(|e| ApiError::unprocessable(format!("this photo cannot be used: {e}")))?;
    let (ph, scale) = full.into_downscaled(PREVIEW_MAX_SIDE_PX);
    let marks = stored_marks(landmarks_json, scale, view)?;
    ph.check_marks(&marks)
        .map_err(|e| ApiError::unprocessable(format!("the landmarks on this photo: {e}")))?;
    let reg = views::register_photo(plan, view, &marks, &ph, register::MAX_RESIDUAL_MM);
    // No head, no picture and no fit: the photo is wrong, not the marks (a 422, not `fits: false`).
    if let Err(e @ register::RegisterError::NoHead(_)) = &reg {
        return Err(ApiError::unprocessable(format!(
            "this photo cannot be used: {e}"
        )));
    }
    Ok((ph, scale, reg))
}

/// The marks stored on a photo (`{"name": [x, y]}`) that locate the head (not the design's hairline points B,
/// C, D: follicle-render's `overlay::locates_head`) and that its view takes (a front photo's marks stored
/// before s21 may name the nape or a tragion, which a front photo no longer takes: they are left out, not
/// refused), scaled by `scale` (a downscaled photo).
pub(super) fn stored_marks(
    landmarks_json: &str,
    scale: f64,
    view: PhotoView,
) -> Result<follicle_render::register::Marks, ApiError> {
    let points: std::collections::BTreeMap<String, [f64; 2]> = serde_json::from_str(landmarks_json)
        .map_err(|e| ApiError::internal(format!("stored landmarks: {e}")))?;
    Ok(follicle_render::register::Marks {
        points: points
            .into_iter()
            .filter(|(name, _)| follicle_render::overlay::locates_head(name) && view.accepts(name))
            .map(|(name, [x, y])| (name, [x * scale, y * scale]))
            .collect(),
        skin: None,
        hair: None,
    })
}

/// The refusal for a photo without marks, naming what to mark on its view.
pub(super) fn unmarked(view: PhotoView) -> ApiError {
    if view == PhotoView::Front {
        ApiError::unprocessable(
            "mark the glabella and the outer eye corners on this photo first (in the design editor, or on the preview page under “Marks on this photo”)",
        )
    } else {
        ApiError::unprocessable(format!(
            "mark at least {} of the landmarks of this {} photo first (on the preview page, under “Marks on this photo”): {}",
            view.min_marks(),
            view.name(),
            // The marks' labels, as the marks editor shows them (outside tester s38: the codes were named).
            view.landmarks()
                .iter()
                .map(|n| follicle_render::views::label(n))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

#[cfg(test)]
mod unmarked_tests {
    use super::*;

    /// A photo without marks names what to mark in the marks editor's words, never the landmarks' codes
    /// (outside tester s38: "ear_top_left, ear_top_right, vertex, crown_whorl…").
    #[test]
    fn an_unmarked_photo_names_its_marks_as_the_editor_does() {
        for view in PhotoView::ALL {
            let m = unmarked(view).message;
            assert!(!m.contains('_'), "{view:?}: {m}");
            if view != PhotoView::Front {
                for n in view.landmarks() {
                    assert!(
                        m.contains(follicle_render::views::label(n)),
                        "{view:?}: {m}"
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod turn_tests {
    use super::*;

    /// Pictures wait their turn behind at most [`MAX_PICTURES_WAITING`] others; one more is told at once that
    /// the studio is busy, in words with `Retry-After` (outside test s47: 15 of 30 previews answered 503 only
    /// after the 60 s request timeout). The ones waiting are drawn once a turn is free.
    #[tokio::test]
    async fn a_picture_past_the_queue_is_told_at_once_and_the_queue_is_served() {
        use std::sync::atomic::Ordering;
        let held = crate::media::DECODES
            .acquire_many(crate::media::MAX_DECODES as u32)
            .await
            .unwrap();
        let waiting: Vec<_> = (0..MAX_PICTURES_WAITING)
            .map(|_| tokio::spawn(async { picture_turn().await.map(drop).map_err(|e| e.status) }))
            .collect();
        let t = std::time::Instant::now();
        while PICTURES_WAITING.load(Ordering::Relaxed) < MAX_PICTURES_WAITING {
            assert!(
                t.elapsed() < std::time::Duration::from_secs(5),
                "never queued"
            );
            tokio::task::yield_now().await;
        }
        let t = std::time::Instant::now();
        let e = picture_turn().await.map(drop).unwrap_err();
        assert!(
            t.elapsed() < std::time::Duration::from_secs(1),
            "told at once"
        );
        assert_eq!(e.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(e.retry_after, Some(5));
        assert!(
            e.message.contains("try again in a few seconds"),
            "{}",
            e.message
        );
        drop(held);
        for w in waiting {
            assert_eq!(w.await.unwrap(), Ok(()));
        }
        assert_eq!(PICTURES_WAITING.load(Ordering::Relaxed), 0);
    }
}
