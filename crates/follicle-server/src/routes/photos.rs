//! Photos: uploads checked from their header before decoding, thumbnails, and the landmarks marked on a photo.

use super::*;

/// Query of the photo upload.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PhotoQuery {
    #[serde(default)]
    caption: Option<String>,
}

pub(super) async fn list_photos(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
) -> ApiResult<Json<Vec<Photo>>> {
    let list = client_records(&st, &a, id, "photo", |s, c, id| s.photos(c, id)).await?;
    Ok(Json(list))
}

/// POST /api/clients/{id}/photos: the image as the raw body (`image/png`, `image/jpeg`) or as the `photo` field
/// of a `multipart/form-data` form (with an optional `caption` field). Checked from its header (type, at most
/// 40 megapixels) before decoding; decoded once to make the thumbnail; both files are stored before the row.
pub(super) async fn upload_photo(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
    ApiQuery(q): ApiQuery<PhotoQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<Photo>)> {
    use crate::media::{multipart_boundary, multipart_photo, MultipartError};
    let body = body?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (body, caption) = match multipart_boundary(content_type) {
        None => (body, q.caption),
        Some(boundary) => {
            let status = |e: MultipartError| match e {
                MultipartError::Malformed(m) => ApiError::bad_request(m),
                MultipartError::Refused(m) => ApiError::unprocessable(m),
            };
            let up = multipart_photo(&body, &boundary.map_err(status)?).map_err(status)?;
            if up.caption.is_some() && q.caption.is_some() {
                return Err(ApiError::bad_request(
                    "give the caption once: as the `caption` field or the ?caption= parameter",
                ));
            }
            (body.slice_ref(up.bytes), up.caption.or(q.caption))
        }
    };
    opt_text("caption", caption.as_deref(), TextKind::FreeText)?;
    if body.len() > crate::PHOTO_LIMIT {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the photo is {} bytes; at most {} are accepted",
                body.len(),
                crate::PHOTO_LIMIT
            ),
        ));
    }
    let info = crate::media::inspect(&body).map_err(ApiError::unprocessable)?;
    crate::media::check_decodable(&body).map_err(ApiError::unprocessable)?;
    let c = a.clinic();
    db(&st, move |s| s.client(c, id)).await?;
    let photos = st.photos.clone();
    let len = body.len() as i64;
    let _decoding = crate::media::DECODES
        .acquire()
        .await
        .map_err(ApiError::internal)?;
    let sha = cpu(move || {
        let thumb = crate::media::thumbnail(&body).map_err(ApiError::unprocessable)?;
        let sha = photos.put(&body)?;
        photos.put_derived(&sha, crate::media::THUMBNAIL_SUFFIX, &thumb)?;
        Ok(sha)
    })
    .await?;
    let new = NewPhoto {
        sha256: sha,
        content_type: info.content_type.into(),
        bytes: len,
        width: i64::from(info.width),
        height: i64::from(info.height),
        caption,
    };
    let by = a.user.id;
    Ok((
        StatusCode::CREATED,
        Json(db(&st, move |s| s.add_photo(c, id, &new, by)).await?),
    ))
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
        let t = crate::media::thumbnail(&photos.get(&sha)?).map_err(ApiError::internal)?;
        photos.put_derived(&sha, crate::media::THUMBNAIL_SUFFIX, &t)?;
        Ok(t)
    })
    .await?;
    viewed(&st, &a, "photo thumbnail", Some(id), Some(p.client_id)).await?;
    Ok(([(header::CONTENT_TYPE, "image/jpeg")], bytes).into_response())
}

/// The landmark names photo registration accepts (follicle-render's `register` matches marks against the
/// plan's `Landmarks::named()`; the names do not depend on the head, only the positions do).
pub(super) fn landmark_names() -> Vec<&'static str> {
    let o = follicle_core::Vec3::default();
    let l = follicle_core::landmarks::Landmarks {
        glabella: o,
        mid_frontal: o,
        lateral_canthus_left: o,
        lateral_canthus_right: o,
        frontotemporal_left: o,
        frontotemporal_right: o,
        temporal_peak_left: o,
        temporal_peak_right: o,
        vertex: o,
        crown_whorl: o,
        ear_top_left: o,
        ear_top_right: o,
        nape: o,
    };
    l.named().into_iter().map(|(n, _)| n).collect()
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
    for (name, &[x, y]) in marks {
        if !known.contains(&name.as_str()) {
            return Err(ApiError::unprocessable(format!(
                "landmarks.{name}: unknown landmark; known: {}",
                known.join(", ")
            )));
        }
        let (w, h) = (photo.width as f64, photo.height as f64);
        if !(x.is_finite() && y.is_finite() && (0.0..=w).contains(&x) && (0.0..=h).contains(&y)) {
            return Err(ApiError::unprocessable(format!(
                "landmarks.{name}: [{x}, {y}] lies outside the photo ({}×{} pixels)",
                photo.width, photo.height
            )));
        }
    }
    Ok(())
}

/// The landmarks document the API sends.
pub(super) fn landmarks_reply(l: &PhotoLandmarks) -> ApiResult<Json<Value>> {
    let marks: Value = serde_json::from_str(&l.landmarks_json).map_err(ApiError::internal)?;
    Ok(Json(
        json!({ "photo_id": l.photo_id, "client_id": l.client_id, "landmarks": marks, "updated_by": l.updated_by, "updated_at": l.updated_at }),
    ))
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

/// PUT /api/photos/{id}/landmarks: `{"glabella": [x, y], …}` in the photo's pixels; replaces what was marked.
pub(super) async fn set_landmarks(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<PhotoId>,
    ApiJson(marks): ApiJson<std::collections::BTreeMap<String, [f64; 2]>>,
) -> ApiResult<Json<Value>> {
    let c = a.clinic();
    let p = db(&st, move |s| s.photo(c, id)).await?;
    check_landmarks(&marks, &p)?;
    let (text, by) = (
        serde_json::to_string(&marks).map_err(ApiError::internal)?,
        a.user.id,
    );
    landmarks_reply(&db(&st, move |s| s.set_photo_landmarks(c, id, &text, by)).await?)
}
