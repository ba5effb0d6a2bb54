//! Photos: uploads checked from their header before decoding, thumbnails, and the landmarks marked on a photo.

use super::*;
use follicle_render::views::{PhotoView, MARK_NAMES};

/// Query of the photo upload.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PhotoQuery {
    #[serde(default)]
    caption: Option<String>,
    /// Which view of the head: front (default), top, left, right or back.
    #[serde(default)]
    view: Option<String>,
}

/// A view's name checked against follicle-render's views.
pub(super) fn photo_view(v: &str) -> ApiResult<PhotoView> {
    PhotoView::parse(v).ok_or_else(|| {
        ApiError::unprocessable(format!(
            "view: “{}” is not a view of the head; use {}",
            // Quoted safely: a line break, an escape or a text-direction character is written out.
            follicle_core::words::shown_short(v, 40),
            PhotoView::names()
        ))
    })
}

/// GET /api/clients/{id}/photos: each photo's metadata with `marks`: `null` when none are marked yet, else
/// `{count, proposed}` (the marks proposed from the face and not yet confirmed), so every tablet shows
/// "proposed, please confirm" without asking per photo.
pub(super) async fn list_photos(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
) -> ApiResult<Json<Vec<Value>>> {
    let list = client_records(&st, &a, id, "photo", |s, c, id| {
        s.photos(c, id)?
            .into_iter()
            .map(|p| Ok((s.photo_landmarks(c, p.id)?, p)))
            .collect()
    })
    .await?;
    let mut out = Vec::with_capacity(list.len());
    for (marks, p) in list {
        let mut v = serde_json::to_value(p).map_err(ApiError::internal)?;
        v["marks"] = match marks {
            None => Value::Null,
            Some(l) => {
                let n = serde_json::from_str::<serde_json::Map<String, Value>>(&l.landmarks_json)
                    .map_err(ApiError::internal)?
                    .len();
                json!({ "count": n, "proposed": l.proposed })
            }
        };
        out.push(v);
    }
    Ok(Json(out))
}

/// POST /api/clients/{id}/photos: the image as the raw body (`image/png`, `image/jpeg`) or as the `photo` field
/// of a `multipart/form-data` form (with an optional `caption` field). Checked from its header (type, at most
/// 51 megapixels) before decoding; decoded once to make the thumbnail; both files are stored before the row.
pub(super) async fn upload_photo(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
    ApiQuery(q): ApiQuery<PhotoQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    use crate::media::{multipart_boundary, multipart_photo, MultipartError};
    // Over the photo limit: said with the limit and what to do (outside probe s29: an 11 MB phone photo was
    // "too large for this form").
    let body = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "The photo is larger than the studio's limit of {} MB: export it smaller (a 12-megapixel JPEG at quality 90 is 3 to 6 MB and shows the scalp as well).",
                    crate::PHOTO_LIMIT / 1_000_000
                ),
            )
        } else {
            ApiError::from(r)
        }
    })?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (body, caption) = match multipart_boundary(content_type) {
        None => (body, q.caption),
        Some(boundary) => {
            let status = |e: MultipartError| match e {
                MultipartError::Malformed(m) => {
                    // The form's structure, in the log; the sender gets a sentence (probe s9 finding 6).
                    tracing::debug!("photo upload refused: {m}");
                    ApiError::bad_request(
                        "The upload arrived incomplete or garbled. Choose the photo and send it again.",
                    )
                }
                MultipartError::Refused(m) => ApiError::unprocessable(m),
            };
            let up = multipart_photo(&body, &boundary.map_err(status)?).map_err(status)?;
            if up.caption.is_some() && q.caption.is_some() {
                return Err(ApiError::bad_request(
                    "the caption was given twice; give it once",
                ));
            }
            (body.slice_ref(up.bytes), up.caption.or(q.caption))
        }
    };
    opt_text("caption", caption.as_deref(), TextKind::FreeText)?;
    let view = photo_view(q.view.as_deref().unwrap_or("front"))?;
    if body.len() > crate::PHOTO_LIMIT {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the photo is {:.1} MB; at most {} MB are accepted: save it smaller (as a JPEG) and upload it again",
                body.len() as f64 / (1024.0 * 1024.0),
                crate::PHOTO_LIMIT / (1024 * 1024)
            ),
        ));
    }
    let info = crate::media::inspect(&body).map_err(ApiError::unprocessable)?;
    crate::media::check_decodable(&body).map_err(ApiError::unprocessable)?;
    let (width, height) = crate::media::displayed_size(&body).map_err(ApiError::unprocessable)?;
    follicle_render::photo::check_min_size(width, height).map_err(ApiError::unprocessable)?;
    let c = a.clinic();
    db(&st, move |s| s.client(c, id)).await?;
    let photos = st.photos.clone();
    let len = body.len() as i64;
    let _decoding = crate::media::DECODES
        .acquire()
        .await
        .map_err(ApiError::internal)?;
    // The file stays until the row that shows it is written.
    let _file_pending = crate::media::PHOTO_FILES.read().await;
    let in_database = photos.is_in_database();
    let (sha, thumb, blob) = cpu(move || {
        if info.content_type == "image/jpeg" {
            follicle_render::photo::jpeg_complete(&body).map_err(|e| {
                ApiError::unprocessable(format!(
                    "The photo is damaged or incomplete ({e}): copy or export it from the camera again."
                ))
            })?;
        }
        let thumb = crate::media::thumbnail(&body).map_err(ApiError::unprocessable)?;
        if thumb.black_and_white {
            return Err(ApiError::unprocessable(
                follicle_render::photo::BLACK_AND_WHITE_WORDS,
            ));
        }
        if let Some(words) = thumb.see_through {
            return Err(ApiError::unprocessable(words));
        }
        // Bytes kept in the database are stored in the row's own transaction (several nodes: a deletion on
        // another node in between could take them); files first, then the row.
        if in_database {
            return Ok((follicle_store::sha256_hex(&body), Some(thumb.jpeg), Some(body)));
        }
        let sha = photos.put(&body)?;
        photos.put_derived(&sha, crate::media::THUMBNAIL_SUFFIX, &thumb.jpeg)?;
        Ok((sha, None, None))
    })
    .await?;
    let new = NewPhoto {
        sha256: sha,
        content_type: info.content_type.into(),
        bytes: len,
        width: i64::from(width),
        height: i64::from(height),
        caption,
        view: view.name().into(),
    };
    let by = a.user.id;
    // The same picture on the client's record already is that photo, its view and caption kept (the store's
    // rule): answered 200 with `already_stored`, so the studio says so instead of taking the view and caption
    // asked for as kept (outside test s38: a re-upload as "left" with a new caption answered 201 with the
    // first photo's record, and nothing was said). The store tells in the same transaction.
    let (photo, existed) = db(&st, move |s| {
        s.add_photo_stored(c, id, &new, blob.as_deref(), by)
    })
    .await?;
    if let Some(jpeg) = thumb {
        crate::media::keep_thumbnail(&st, &photo.sha256, jpeg).await;
    }
    let mut json = serde_json::to_value(&photo).map_err(ApiError::internal)?;
    json["already_stored"] = Value::Bool(existed);
    let status = if existed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(json)))
}

pub(super) async fn get_photo(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<PhotoId>,
) -> ApiResult {
    let c = a.clinic();
    let p = db(&st, move |s| s.photo(c, id)).await?;
    let photos = st.photos.clone();
    let sha = p.sha256.clone();
    let bytes = cpu(move || photos.get(&sha).map_err(ApiError::from)).await?;
    viewed(&st, &a, "photo", Some(id), Some(p.client_id)).await?;
    Ok(([(header::CONTENT_TYPE, p.content_type)], bytes).into_response())
}

/// GET /api/photos/{id}/thumbnail: the stored JPEG thumbnail (made now, and stored, for a photo uploaded before
/// thumbnails existed).
pub(super) async fn get_thumbnail(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<PhotoId>,
) -> ApiResult {
    let c = a.clinic();
    let p = db(&st, move |s| s.photo(c, id)).await?;
    let photos = st.photos.clone();
    let sha = p.sha256.clone();
    let stored = {
        let (photos, sha) = (photos.clone(), sha.clone());
        cpu(move || Ok(photos.get_derived(&sha, crate::media::THUMBNAIL_SUFFIX)?)).await?
    };
    let _decoding = match stored {
        Some(_) => None,
        None => Some(
            crate::media::DECODES
                .acquire()
                .await
                .map_err(ApiError::internal)?,
        ),
    };
    let bytes = cpu(move || {
        if let Some(t) = stored {
            return Ok(t);
        }
        let t = crate::media::thumbnail(&photos.get(&sha)?)
            .map_err(ApiError::internal)?
            .jpeg;
        photos.put_derived(&sha, crate::media::THUMBNAIL_SUFFIX, &t)?;
        Ok(t)
    })
    .await?;
    viewed(&st, &a, "photo thumbnail", Some(id), Some(p.client_id)).await?;
    Ok(([(header::CONTENT_TYPE, "image/jpeg")], bytes).into_response())
}

/// The landmark names photo registration accepts (follicle-render's `views`: the plan's landmarks, the
/// tragions and the opisthocranion; the names do not depend on the head, only the positions do).
pub(super) fn landmark_names() -> Vec<&'static str> {
    MARK_NAMES.iter().map(|m| m.name).collect()
}

/// Checks landmarks against the photo: known names, finite positions inside its `width`×`height` pixels.
pub(super) fn check_landmarks(
    marks: &std::collections::BTreeMap<String, [f64; 2]>,
    photo: &Photo,
) -> ApiResult<()> {
    if marks.is_empty() {
        return Err(ApiError::unprocessable(
            "landmarks: mark at least one landmark",
        ));
    }
    let known = landmark_names();
    let view = photo_view(&photo.view)?;
    for (name, &[x, y]) in marks {
        if !known.contains(&name.as_str()) {
            // Quoted safely: a control or text-direction character is written out, a long name cut.
            let words: Vec<&str> = known
                .iter()
                .map(|n| follicle_render::views::label(n))
                .collect();
            return Err(ApiError::unprocessable(format!(
                "“{}” is not a landmark the studio knows; the landmarks are: {}",
                follicle_core::words::shown_short(name, 40),
                words.join(", ")
            )));
        }
        if !view.accepts(name) {
            // In words, the mark and the view's own (outside test s42: "it uses glabella,
            // lateral_canthus_right, …").
            let takes: Vec<&str> = view
                .accepted()
                .iter()
                .map(|n| follicle_render::views::label(n))
                .collect();
            return Err(ApiError::unprocessable(format!(
                "The {} is not marked on a {} photo ({}); it takes: {}.",
                follicle_render::views::label(name),
                view.name(),
                view.words(),
                takes.join(", ")
            )));
        }
        let (w, h) = (photo.width as f64, photo.height as f64);
        if !(x.is_finite() && y.is_finite() && (0.0..w).contains(&x) && (0.0..h).contains(&y)) {
            return Err(ApiError::unprocessable(format!(
                "The {} mark at [{}, {}] lies outside the photo ({}×{} pixels).",
                follicle_render::views::label(name),
                follicle_core::words::number(x),
                follicle_core::words::number(y),
                photo.width,
                photo.height
            )));
        }
    }
    // Two landmarks on one spot place nothing (outside test s47: three marks on one pixel were saved, and
    // refused only when a picture was asked for).
    let all: Vec<(&String, &[f64; 2])> = marks.iter().collect();
    for (i, (a, pa)) in all.iter().enumerate() {
        for (b, pb) in &all[i + 1..] {
            if (pa[0] - pb[0]).hypot(pa[1] - pb[1]) < SAME_SPOT_PX {
                return Err(ApiError::unprocessable(format!(
                    "The {} and {} marks lie on the same spot of the photo: mark each landmark where it is on the face.",
                    follicle_render::views::label(a),
                    follicle_render::views::label(b)
                )));
            }
        }
    }
    Ok(())
}

/// Two marks nearer than this on a photo are on one spot, pixels.
pub const SAME_SPOT_PX: f64 = 3.0;

/// The landmarks document the API sends: the marks, and which of them were proposed automatically and are
/// not yet confirmed by the practitioner (`proposed`; the others are confirmed).
pub(super) fn landmarks_reply(l: &PhotoLandmarks) -> ApiResult<Json<Value>> {
    let marks: Value = serde_json::from_str(&l.landmarks_json).map_err(ApiError::internal)?;
    Ok(Json(
        json!({ "photo_id": l.photo_id, "client_id": l.client_id, "landmarks": marks, "proposed": l.proposed, "revision": l.revision(), "updated_by": l.updated_by, "updated_at": l.updated_at }),
    ))
}

/// The sentence a picture or fit made from marks not yet confirmed carries (`None` when all are confirmed).
pub(super) fn proposed_words(l: &PhotoLandmarks) -> Option<String> {
    if l.proposed.is_empty() {
        return None;
    }
    let names: Vec<&str> = l
        .proposed
        .iter()
        .map(|n| follicle_render::views::label(n))
        .collect();
    Some(format!(
        "made from marks proposed from the face and not yet confirmed ({}): check them on the photo and confirm or drag them",
        names.join(", ")
    ))
}

/// Body of PUT /api/photos/{id}/landmarks: the marks alone (`{"glabella": [x, y], …}`, all confirmed), or
/// `{"landmarks": {…}, "proposed": ["glabella", …]}` naming the marks proposed and not yet confirmed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MarksBody {
    landmarks: Marks,
    #[serde(default)]
    proposed: Vec<String>,
    /// The picture the marks were placed on (the photo's `sha256`): marks placed before the photo was turned
    /// in another window are refused (409), not stored on the turned picture.
    #[serde(default)]
    photo_sha256: Option<String>,
    /// The marks' `revision` as the window read them ("" when it read none): marks saved from another window
    /// since are not overwritten (409).
    #[serde(default)]
    marks_revision: Option<String>,
}

/// What the landmarks PUT body says its window saw: the picture and the marks' revision.
struct BodySeen {
    photo_sha256: Option<String>,
    marks_revision: Option<String>,
}

/// Landmark name → pixel position, as the landmarks PUT body sends them.
type Marks = std::collections::BTreeMap<String, [f64; 2]>;

/// Reads either shape of the landmarks PUT body; a proposed name must be one of the marks, once.
fn marks_body(v: Value) -> ApiResult<(Marks, Vec<String>, BodySeen)> {
    let (marks, proposed, seen) = if v.get("landmarks").is_some_and(Value::is_object) {
        let b: MarksBody = crate::error::from_value("", v)?;
        let seen = BodySeen {
            photo_sha256: b.photo_sha256,
            marks_revision: b.marks_revision,
        };
        (b.landmarks, b.proposed, seen)
    } else {
        let seen = BodySeen {
            photo_sha256: None,
            marks_revision: None,
        };
        (crate::error::from_value("landmarks", v)?, Vec::new(), seen)
    };
    for (i, name) in proposed.iter().enumerate() {
        if !marks.contains_key(name) {
            return Err(ApiError::unprocessable(format!(
                "“{}” is listed as proposed but is not one of the marks sent",
                follicle_core::words::shown_short(name, 40)
            )));
        }
        if proposed[..i].contains(name) {
            return Err(ApiError::unprocessable(format!(
                "“{}” is listed twice among the proposed marks",
                follicle_render::views::label(name)
            )));
        }
    }
    Ok((marks, proposed, seen))
}

/// GET /api/photos/{id}/landmarks: the landmarks marked on the photo (404 when none are marked yet).
pub(super) async fn get_landmarks(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<PhotoId>,
) -> ApiResult<Json<Value>> {
    let c = a.clinic();
    let (p, l) = db(&st, move |s| {
        Ok((s.photo(c, id)?, s.photo_landmarks(c, id)?))
    })
    .await?;
    let l =
        l.ok_or_else(|| ApiError::not_found(format!("no landmarks marked on photo {id} yet")))?;
    viewed(&st, &a, "photo landmarks", Some(id), Some(p.client_id)).await?;
    landmarks_reply(&l)
}

/// PUT /api/photos/{id}/landmarks: `{"glabella": [x, y], …}` in the photo's pixels (all confirmed), or
/// `{"landmarks": {…}, "proposed": [names]}` with the marks proposed and not yet confirmed; replaces what
/// was marked.
pub(super) async fn set_landmarks(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<PhotoId>,
    ApiJson(crate::unique::UniqueKeys(body)): ApiJson<crate::unique::UniqueKeys>,
) -> ApiResult<Json<Value>> {
    let (marks, proposed, seen) = marks_body(body)?;
    let c = a.clinic();
    let p = db(&st, move |s| s.photo(c, id)).await?;
    check_landmarks(&marks, &p)?;
    // −0 stored as 0 (a mark at "−0.0" came back so).
    let marks: Marks = marks
        .into_iter()
        .map(|(n, [x, y])| (n, [x + 0.0, y + 0.0]))
        .collect();
    let (text, by) = (
        serde_json::to_string(&marks).map_err(ApiError::internal)?,
        a.user.id,
    );
    // The marks were checked against this picture and this view: the write refuses them when the photo
    // shows another by then (outside test s42: a save racing a change of view or a turn stored the marks on
    // the other view or unturned), whether or not the body named the picture.
    let picture = seen.photo_sha256.unwrap_or(p.sha256);
    landmarks_reply(
        &db(&st, move |s| {
            let seen = MarksSeen {
                sha256: Some(&picture),
                view: Some(&p.view),
                revision: seen.marks_revision.as_deref(),
            };
            s.mark_photo_seen(c, id, &text, &proposed, seen, by)
        })
        .await?,
    )
}

/// Body of PUT /api/photos/{id}/view.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ViewBody {
    view: String,
    /// The practitioner agreed that the marks placed for the old view are cleared (409 without it when the
    /// photo has marks).
    #[serde(default)]
    clear_marks: bool,
}

/// PUT /api/photos/{id}/view: `{"view": "left", "clear_marks": true}`; a different view drops the marks of the
/// old one, and is refused (409, nothing changed) on a photo with marks unless `clear_marks` says so.
pub(super) async fn set_view(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<PhotoId>,
    ApiJson(b): ApiJson<ViewBody>,
) -> ApiResult<Json<Photo>> {
    let view = photo_view(&b.view)?;
    let (c, by) = (a.clinic(), a.user.id);
    Ok(Json(
        db(&st, move |s| {
            s.set_photo_view(c, id, view.name(), b.clear_marks, by)
        })
        .await?,
    ))
}

/// GET /api/photo-views: each view of the head a photo can show, in words, with the landmarks a
/// practitioner marks on it (label and where to find it) and how many are needed: the marks editor
/// offers these (follicle-render's `views`; no list is kept in the browser).
pub(super) async fn photo_views(_a: Actor) -> Json<Value> {
    let views: Vec<Value> = PhotoView::ALL
        .iter()
        .map(|v| {
            json!({
                "view": v.name(),
                "words": v.words(),
                "min_marks": v.min_marks(),
                "landmarks": v.landmarks().iter().map(|n| {
                    let m = MARK_NAMES.iter().find(|m| m.name == *n).expect("every view's landmark is named");
                    json!({ "name": m.name, "label": m.label, "hint": m.hint })
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    Json(json!({ "views": views }))
}
