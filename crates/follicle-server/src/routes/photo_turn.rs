//! Turning a stored photo upright (outside probe s36: a photo stored on its side or upside down, whose face the
//! upload could not find to turn it, could only be deleted and uploaded again). The picture is turned as it is
//! shown, re-encoded in its own format, stored under its new content address, and the photo's row takes it with
//! its landmarks carried onto the turned picture, in one transaction; the old bytes go when no photo shows them.

use super::*;

/// Body of POST /api/photos/{id}/turn.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TurnBody {
    /// Clockwise: 90, 180 or 270.
    degrees: i64,
    /// The picture the practitioner saw (the photo's `sha256`): a photo turned or replaced since, in another
    /// window, is not turned again (409).
    #[serde(default)]
    from_sha256: Option<String>,
}

/// The words for a photo changed since it was shown (the store's, for the same refusal in its transaction).
use follicle_store::PHOTO_CHANGED_SINCE as CHANGED_SINCE;

/// POST /api/photos/{id}/turn: `{"degrees": 90}` (clockwise, as the photo is shown; 90, 180 or 270). Answers the
/// photo as turned: the same id, view and caption, the new size; its landmarks turned with it.
pub(super) async fn turn_photo(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<PhotoId>,
    ApiJson(b): ApiJson<TurnBody>,
) -> ApiResult<Json<Photo>> {
    let degrees: u16 = match b.degrees {
        90 => 90,
        180 => 180,
        270 => 270,
        _ => {
            return Err(ApiError::unprocessable(
                "degrees: a photo turns by a quarter turn to the right (90), half a turn (180) or a quarter turn to the left (270)",
            ))
        }
    };
    let c = a.clinic();
    let p = db(&st, move |s| s.photo(c, id)).await?;
    if b.from_sha256.as_ref().is_some_and(|seen| *seen != p.sha256) {
        return Err(ApiError::conflict(CHANGED_SINCE));
    }
    let photos = st.photos.clone();
    let _decoding = crate::media::DECODES
        .acquire()
        .await
        .map_err(ApiError::internal)?;
    // The turned picture's file stays until the row shows it; the old one goes only when no row does.
    let file_pending = crate::media::PHOTO_FILES.read().await;
    let from = p.sha256.clone();
    let turned_now = cpu(move || {
        // Turned away in another request since this one read the row (its bytes then gone): said as such.
        let bytes = match photos.get(&from) {
            Ok(b) => b,
            Err(follicle_store::StoreError::NotFound(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let t = turned(&bytes, degrees).map_err(ApiError::unprocessable)?;
        let thumb =
            crate::media::thumbnail_of(&t.image, image::metadata::Orientation::NoTransforms)
                .map_err(ApiError::internal)?;
        // Bytes kept in the database are stored in the turn's own transaction (several nodes); files first.
        let (sha, blob) = if photos.is_in_database() {
            (follicle_store::sha256_hex(&t.bytes), Some(t.bytes.clone()))
        } else {
            (photos.put(&t.bytes)?, None)
        };
        let new = TurnedPhoto {
            from_sha256: from,
            sha256: sha,
            content_type: t.content_type.into(),
            bytes: t.bytes.len() as i64,
            width: i64::from(t.size.0),
            height: i64::from(t.size.1),
            degrees,
            blob,
        };
        Ok(Some((new, thumb.jpeg, (p.width as f64, p.height as f64))))
    })
    .await?;
    let Some((new, thumb, size)) = turned_now else {
        return Err(ApiError::conflict(CHANGED_SINCE));
    };
    let by = a.user.id;
    let (photo, gone) = db(&st, move |s| {
        s.turn_photo(c, id, &new, &|json| turned_marks(json, degrees, size), by)
    })
    .await?;
    drop(file_pending);
    crate::media::keep_thumbnail(&st, &photo.sha256, thumb).await;
    super::records::forget_photo_files(&st, gone).await;
    Ok(Json(photo))
}

/// Landmarks (name → [x, y] in the photo's pixels as shown) carried onto the photo turned clockwise by `degrees`;
/// `size` is the photo's width and height before the turn.
fn turned_marks(json: &str, degrees: u16, (w, h): (f64, f64)) -> follicle_store::Result<String> {
    let marks: std::collections::BTreeMap<String, [f64; 2]> =
        serde_json::from_str(json).map_err(|e| follicle_store::StoreError::Decode {
            table: "photo_landmarks".into(),
            column: "landmarks_json".into(),
            problem: format!("is not a map of marks: {e}"),
        })?;
    let turned: std::collections::BTreeMap<String, [f64; 2]> = marks
        .into_iter()
        .map(|(k, p)| (k, turn_point(p, degrees, (w, h))))
        .collect();
    Ok(serde_json::to_string(&turned).expect("marks are JSON"))
}

/// A point of a `w` × `h` picture where it lies on the picture turned clockwise by `degrees` (positions are
/// continuous: the picture spans 0..w, a pixel's centre at +0.5). A mark on the first row or column (0, which
/// the landmarks accept) turns onto the far edge itself (w or h, which they do not): it is kept
/// [`EDGE_INSIDE_PX`] inside it, so the turned photo keeps marks it can draw with (outside test s42: a
/// glabella at y = 0 turned to x = 400 on a 400 px wide picture, and fit, preview and advice refused).
fn turn_point([x, y]: [f64; 2], degrees: u16, (w, h): (f64, f64)) -> [f64; 2] {
    let (p, (tw, th)) = match degrees {
        90 => ([h - y, x], (h, w)),
        180 => ([w - x, h - y], (w, h)),
        270 => ([y, w - x], (h, w)),
        _ => return [x, y],
    };
    let inside = |v: f64, edge: f64| {
        if v >= edge {
            (edge - EDGE_INSIDE_PX).max(0.0)
        } else {
            v
        }
    };
    [inside(p[0], tw), inside(p[1], th)]
}

/// How far inside the far edge a mark turned onto it is kept, pixels.
const EDGE_INSIDE_PX: f64 = 0.05;

/// A photo turned upright: the picture as it is shown (EXIF orientation applied), turned clockwise.
pub struct Turned {
    /// The turned picture, in the photo's own format (JPEG at quality 95, or PNG), without an orientation tag.
    pub bytes: Vec<u8>,
    /// `image/jpeg` or `image/png`.
    pub content_type: &'static str,
    /// Width and height of the turned picture, pixels.
    pub size: (u32, u32),
    /// The turned picture, decoded (its thumbnail is made from it, not from decoding `bytes` again).
    pub image: image::DynamicImage,
}

/// Decodes a stored photo (the same limits as an upload) and turns it clockwise by `degrees` (90, 180 or 270)
/// as it is shown: its EXIF orientation applied first, so the turn is the one the practitioner saw. Hold a
/// [`crate::media::DECODES`] permit around the call.
pub fn turned(bytes: &[u8], degrees: u16) -> Result<Turned, String> {
    use image::ImageDecoder;
    let mut decoder = crate::media::decoder(bytes)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let jpeg = bytes.starts_with(&[0xFF, 0xD8]);
    let format = if jpeg {
        image::ImageFormat::Jpeg
    } else {
        image::ImageFormat::Png
    };
    let mut img = image::DynamicImage::from_decoder(decoder)
        .map_err(|e| follicle_render::photo::decode_error_words(&e, format))?;
    img.apply_orientation(orientation);
    let img = match degrees {
        90 => img.rotate90(),
        180 => img.rotate180(),
        270 => img.rotate270(),
        _ => {
            return Err(format!(
                "a photo turns by 90, 180 or 270 degrees, not {degrees}"
            ))
        }
    };
    let size = (img.width(), img.height());
    let mut out = Vec::new();
    if jpeg {
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95)
            .encode_image(&img.to_rgb8())
            .map_err(|e| format!("the turned photo could not be written: {e}"))?;
    } else {
        img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .map_err(|e| format!("the turned photo could not be written: {e}"))?;
    }
    Ok(Turned {
        bytes: out,
        content_type: if jpeg { "image/jpeg" } else { "image/png" },
        size,
        image: img,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A picture whose top-left quarter is red, turned each way: the red lands where a turn puts that corner,
    /// and a mark on it lands with it.
    #[test]
    fn a_turned_picture_and_its_marks_turn_together() {
        let (w, h) = (40u32, 30u32);
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            if x < w / 2 && y < h / 2 {
                image::Rgb([220, 20, 20])
            } else {
                image::Rgb([20, 20, 220])
            }
        });
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let mark = [5.0, 4.0];
        for degrees in [90u16, 180, 270] {
            let t = turned(&png, degrees).unwrap();
            assert_eq!(t.content_type, "image/png");
            let out = image::load_from_memory(&t.bytes).unwrap().to_rgb8();
            assert_eq!((out.width(), out.height()), t.size);
            let expected = if degrees == 180 { (w, h) } else { (h, w) };
            assert_eq!(t.size, expected, "{degrees}°");
            let [x, y] = turn_point(mark, degrees, (f64::from(w), f64::from(h)));
            let px = out.get_pixel(x as u32, y as u32);
            assert!(
                px[0] > 200 && px[2] < 50,
                "{degrees}°: the mark at ({x}, {y}) is on {px:?}"
            );
        }
        assert!(turned(&png, 45).is_err());
        // Four quarter turns bring a mark back.
        let mut p = mark;
        let mut size = (f64::from(w), f64::from(h));
        for _ in 0..4 {
            p = turn_point(p, 90, size);
            size = (size.1, size.0);
        }
        assert_eq!(p, mark);
        let json = turned_marks("{\"glabella\":[5.0,4.0]}", 180, (40.0, 30.0)).unwrap();
        assert_eq!(json, "{\"glabella\":[35.0,26.0]}");
    }

    /// Marks on the first row or column stay on the turned picture, every way it turns.
    #[test]
    fn a_mark_on_the_picture_s_edge_stays_on_it_when_turned() {
        let (w, h) = (600.0, 400.0);
        for mark in [[300.0, 0.0], [0.0, 200.0], [0.0, 0.0], [599.9, 399.9]] {
            for degrees in [90u16, 180, 270] {
                let (tw, th) = if degrees == 180 { (w, h) } else { (h, w) };
                let [x, y] = turn_point(mark, degrees, (w, h));
                assert!(
                    (0.0..tw).contains(&x) && (0.0..th).contains(&y),
                    "{mark:?} turned {degrees}°: ({x}, {y}) on {tw}×{th}"
                );
            }
        }
        assert_eq!(turn_point([300.0, 0.0], 90, (w, h)), [399.95, 300.0]);
    }
}
