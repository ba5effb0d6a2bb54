//! Client photos: decoding JPEG/PNG with size limits and EXIF orientation applied (the edge where bytes
//! become pixels), colour sampling from marked regions, and the plan drawn onto a registered photo.

use crate::color::{Lin, SrgbLut};
use crate::register::Registration;
use follicle_core::Plan;
use std::io::Cursor;

mod canvas;
mod draw;
mod jpeg;
mod jpeg_quality;
mod kind;
mod progressive;
mod scan;
mod see_through;
mod working;

pub use canvas::{content_rect, Content};
pub use draw::{draw_on_photo, photo_spots};

pub use jpeg::jpeg_complete;
pub use jpeg_quality::{compression_warning, jpeg_quality};
pub use kind::{not_a_photo_words, FileKind};
pub use see_through::{enclosed_words, see_through_share, see_through_words};
pub use working::{working_scale, WORKING_MAX_SIDE_PX, WORKING_PX_PER_MM};

/// Limits on photos accepted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PhotoLimits {
    /// Largest file, bytes.
    pub max_bytes: u64,
    /// Largest picture, pixels (width × height).
    pub max_pixels: u64,
}

/// Most pixels a photo may have (width × height), here and in the server's upload check: phone photos up to
/// 50 megapixels (8192 × 6144; 48-megapixel phones were refused at the earlier 40: outside probe s28) and most
/// DSLRs fit; a small file that declares a huge picture (a decompression bomb) does not.
pub const MAX_PIXELS: u64 = 51_000_000;
/// Most memory a photo may take once decoded, bytes ([`MAX_PIXELS`] of 8-bit RGB fit; the same pixels at 16
/// bits per channel with alpha do not). Checked from the header, before any pixel is decoded.
pub const MAX_DECODED_BYTES: u64 = 160 * 1024 * 1024;
// A photo of MAX_PIXELS opens as 8-bit RGB within the memory bound.
const _: () = assert!(MAX_PIXELS * 3 <= MAX_DECODED_BYTES);

impl Default for PhotoLimits {
    /// 40 MiB and [`MAX_PIXELS`].
    fn default() -> Self {
        Self {
            max_bytes: 40 << 20,
            max_pixels: MAX_PIXELS,
        }
    }
}

/// Longest side accepted, pixels (whatever the pixel limit).
pub const MAX_SIDE_PX: u32 = 12_000;

/// The least of the head every view photo (front, top, sides, back) shows across its shorter side, mm: a small
/// adult head's breadth (about 140 mm at the 5th percentile), rounded down.
pub const HEAD_SPAN_MM: f64 = 130.0;
/// The fewest pixels on a photo's shorter side: [`HEAD_SPAN_MM`] at [`crate::client::MIN_PX_PER_MM`], the
/// coarsest scale at which single impressions can be drawn. A smaller picture cannot show the scalp at that scale.
pub const MIN_SIDE_PX: u32 = (HEAD_SPAN_MM * crate::client::MIN_PX_PER_MM) as u32;

/// Refuses a photo too small to show a scalp: its shorter side under [`MIN_SIDE_PX`] pixels (a 16 × 16 icon, a
/// thumbnail sent by mistake). The sentence says what size is needed.
pub fn check_min_size(width: u32, height: u32) -> Result<(), String> {
    if width.min(height) < MIN_SIDE_PX {
        return Err(format!(
            "this picture is only {width} × {height} pixels, too small to show the scalp: use a photo at least {MIN_SIDE_PX} pixels on its shorter side (so the head, about {HEAD_SPAN_MM:.0} mm across, shows at {} pixels per millimetre or more)",
            crate::client::MIN_PX_PER_MM
        ));
    }
    Ok(())
}

/// Whether an 8-bit RGB picture carries no colour, a black-and-white (or sepia-free greyscale) photo:
/// fewer than 1 % of its pixels have channels more than 6 levels apart (skin of every type has a chroma C*
/// of 10 or more, about 15 levels between its red and blue; JPEG's colour rounding stays within 2–3).
/// A flat grey, black or white canvas around the picture (a photo pasted small on a large page: one neutral
/// colour on a fifth of the pixels or more) is not counted: outside probe s28 had a colour photo in a 4000 ×
/// 3000 grey canvas refused as black and white. The preview matches pigment to the client's skin and hair and
/// finds the scalp by its colour, so such a photo is refused at upload (the studio) and at its forehead check
/// (`register::presence`).
pub fn is_black_and_white(rgb: &[u8]) -> bool {
    let spread = |p: &[u8]| p.iter().max().unwrap() - p.iter().min().unwrap();
    // The most common colour, to 4 bits a channel.
    let bin = |p: &[u8]| {
        (usize::from(p[0] >> 4) << 8) | (usize::from(p[1] >> 4) << 4) | usize::from(p[2] >> 4)
    };
    let mut counts = vec![0usize; 4096];
    for p in rgb.chunks_exact(3) {
        counts[bin(p)] += 1;
    }
    let (mode, &most) = counts
        .iter()
        .enumerate()
        .max_by_key(|&(_, n)| *n)
        .expect("4096 bins");
    let all = rgb.len() / 3;
    let canvas = most * 5 >= all;
    let (mut pixels, mut coloured) = (0usize, 0usize);
    for p in rgb.chunks_exact(3) {
        let s = spread(p);
        if canvas && s <= 6 && bin(p) == mode {
            continue;
        }
        pixels += 1;
        coloured += usize::from(s > 6);
    }
    // Next to nothing but the canvas (a picture of one grey): judged as a whole, it has no colour.
    if pixels * 100 < all {
        return all > 0 && coloured * 100 < all;
    }
    coloured * 100 < pixels
}

/// Words for a photo [`is_black_and_white`] refuses.
pub const BLACK_AND_WHITE_WORDS: &str = "this photo is black and white: the preview matches the pigment to the client's own skin and hair and finds the scalp by its colour, so it needs a colour photo; upload a colour photo of the client";

/// The most memory the decoder may allocate for a photo of `max_pixels`: the RGBA picture plus 64 MiB.
fn max_alloc(limits: PhotoLimits) -> u64 {
    limits.max_pixels.saturating_mul(4).saturating_add(64 << 20)
}

/// A pixel position for a sentence: whole pixels, or `1e300` for a number no photo has (never 300 digits).
fn px(v: f64) -> String {
    if v.abs() < 1e9 {
        format!("{v:.0}")
    } else {
        format!("{v:e}")
    }
}

/// Why a photo cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// The file is larger than allowed.
    #[error("the photo is {bytes} bytes; the limit is {limit} bytes")]
    TooManyBytes {
        /// File size.
        bytes: u64,
        /// Limit.
        limit: u64,
    },
    /// The picture has more pixels than allowed, or a side longer than `MAX_SIDE_PX`.
    #[error("the photo is {width}×{height} pixels; the limit is {limit} pixels and {max_side} pixels a side: export it smaller (12 megapixels show the scalp as well)")]
    TooManyPixels {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
        /// Limit.
        limit: u64,
        /// Longest side accepted.
        max_side: u32,
    },
    /// Decoding the picture would take more memory than [`MAX_DECODED_BYTES`] (a 16-bit or alpha picture).
    #[error(
        "the photo ({width}×{height} pixels, {depth}) would take {mib} MiB to open; at most {limit_mib} MiB \
         are accepted: save it as an 8-bit JPEG or PNG"
    )]
    TooMuchMemory {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
        /// The pixel format in words.
        depth: String,
        /// Memory needed, MiB.
        mib: u64,
        /// Limit, MiB.
        limit_mib: u64,
    },
    /// A JPEG whose data stops before its end-of-image marker, or whose structure is broken.
    #[error(
        "the JPEG is cut short or damaged ({0}); copy the photo again from the camera or phone"
    )]
    Damaged(String),
    /// A marked landmark or region lies outside the picture.
    #[error("{what} at ({}, {}) px is outside the {width}×{height} photo: positions count pixels from the photo's top-left corner, so mark it again on this photo (marks taken on a larger copy, or before it was cropped or turned, do not fit it)", px(*x), px(*y))]
    MarkOutside {
        /// Which mark: "landmark `glabella`" or "region `skin`".
        what: String,
        /// Pixel x.
        x: f64,
        /// Pixel y.
        y: f64,
        /// Photo width.
        width: usize,
        /// Photo height.
        height: usize,
    },
    /// Not a JPEG or PNG: the sentence names the kind of file and what to do ([`not_a_photo_words`]).
    #[error("{0}")]
    NotAnImage(String),
    /// The image data is damaged or of a kind that cannot be read (the sentence says which).
    #[error("{0}")]
    Decode(String),
}

/// A decoded photo, oriented as displayed, 8-bit sRGB.
#[derive(Clone, Debug)]
pub struct Photo {
    /// Width, pixels.
    pub w: usize,
    /// Height, pixels.
    pub h: usize,
    /// RGB bytes, row-major.
    pub rgb: Vec<u8>,
    /// The EXIF orientation that was applied (1 = none).
    pub exif_orientation: u8,
}

/// Decodes photo bytes (JPEG or PNG) within `limits`, applying the EXIF orientation.
pub fn decode(bytes: &[u8], limits: PhotoLimits) -> Result<Photo, PhotoError> {
    decode_checked(bytes, limits, true)
}

/// [`decode`] of bytes that passed it before (a photo the studio stored at upload): without the JPEG's
/// damage checks, which walk and decode every block once more (about 90 ms of a 12-megapixel photo's first
/// picture); every bound on its size and memory still holds.
pub fn decode_stored(bytes: &[u8], limits: PhotoLimits) -> Result<Photo, PhotoError> {
    decode_checked(bytes, limits, false)
}

fn decode_checked(bytes: &[u8], limits: PhotoLimits, damage: bool) -> Result<Photo, PhotoError> {
    use image::ImageDecoder;
    if bytes.len() as u64 > limits.max_bytes {
        return Err(PhotoError::TooManyBytes {
            bytes: bytes.len() as u64,
            limit: limits.max_bytes,
        });
    }
    let format = match image::guess_format(bytes) {
        Ok(f @ (image::ImageFormat::Jpeg | image::ImageFormat::Png)) => f,
        _ => return Err(PhotoError::NotAnImage(not_a_photo_words(bytes))),
    };
    // The header first (no pixel memory), for a clear refusal of oversized pictures; only then the JPEG's
    // completeness check, which decodes every pixel (outside probe s21: it ran before the size check).
    let (w, h) = image::ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|e| {
            // A JPEG cut inside its header: say where its structure breaks (no pixel is decoded for that).
            match format {
                image::ImageFormat::Jpeg => match jpeg::jpeg_markers_complete(bytes) {
                    Err(m) => PhotoError::Damaged(m),
                    Ok(_) => decode_words(e, format),
                },
                _ => decode_words(e, format),
            }
        })?;
    if w as u64 * h as u64 > limits.max_pixels || w.max(h) > MAX_SIDE_PX {
        return Err(PhotoError::TooManyPixels {
            width: w,
            height: h,
            limit: limits.max_pixels,
            max_side: MAX_SIDE_PX,
        });
    }
    if damage && format == image::ImageFormat::Jpeg {
        jpeg_complete(bytes).map_err(PhotoError::Damaged)?;
    }
    // Then the decoder itself bounded by image's own limits: sides and total allocation.
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut bounds = image::Limits::default();
    bounds.max_image_width = Some(MAX_SIDE_PX);
    bounds.max_image_height = Some(MAX_SIDE_PX);
    bounds.max_alloc = Some(max_alloc(limits));
    reader.limits(bounds);
    let mut decoder = reader.into_decoder().map_err(|e| decode_words(e, format))?;
    let need = decoder.total_bytes();
    if need > MAX_DECODED_BYTES {
        let colour = decoder.color_type();
        return Err(PhotoError::TooMuchMemory {
            width: w,
            height: h,
            depth: depth_words(colour),
            mib: need.div_ceil(1024 * 1024),
            limit_mib: MAX_DECODED_BYTES / (1024 * 1024),
        });
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img =
        image::DynamicImage::from_decoder(decoder).map_err(|e| decode_words(e, format))?;
    img.apply_orientation(orientation);
    let rgb = if img.color().has_alpha() {
        let rgba = img.to_rgba8();
        if let Some(words) = see_through_words(see_through_share(rgba.as_raw())) {
            return Err(PhotoError::Decode(words));
        }
        let (w, h) = (rgba.width() as usize, rgba.height() as usize);
        if let Some(words) = see_through::enclosed_words(rgba.as_raw(), w, h) {
            return Err(PhotoError::Decode(words));
        }
        on_white(rgba)
    } else {
        img.to_rgb8()
    };
    Ok(Photo {
        w: rgb.width() as usize,
        h: rgb.height() as usize,
        rgb: rgb.into_raw(),
        exif_orientation: orientation.to_exif(),
    })
}

/// What went wrong decoding, in words for the front desk (outside probe s12: the decoder's own text, such as
/// "Format error decoding Png: Unrecognized critical chunk: ChunkType { … }", reached the practitioner).
fn decode_words(e: image::ImageError, format: image::ImageFormat) -> PhotoError {
    PhotoError::Decode(decode_error_words(&e, format))
}

/// [`image::ImageError`] from decoding a photo of `format`, in words for the front desk (no decoder
/// internals); the server's upload check says the same.
pub fn decode_error_words(e: &image::ImageError, format: image::ImageFormat) -> String {
    let kind = if format == image::ImageFormat::Png {
        "PNG"
    } else {
        "JPEG"
    };
    match e {
        image::ImageError::Unsupported(_) => format!(
            "this {kind} is of a kind follicle cannot read (for example a CMYK or 16-bit picture); save it again as an ordinary JPEG or PNG"
        ),
        image::ImageError::Limits(_) => format!(
            "this {kind} needs more memory to open than follicle allows for a photo; save it again smaller"
        ),
        image::ImageError::IoError(_) => format!(
            "this {kind} ends before its picture does (cut short); copy the photo again from the camera or phone"
        ),
        _ => format!(
            "this {kind} is damaged: its picture cannot be read; copy or export the photo again"
        ),
    }
}

/// A photo with transparent parts (a PNG whose background was cut out) laid on white, as a viewer shows it
/// and as a studio wall looks: dropping the transparency kept whatever colour the see-through pixels held,
/// black on a cut-out (outside probe s12), which the scalp finder then took for a dark wall.
fn on_white(rgba: image::RgbaImage) -> image::RgbImage {
    let (w, h) = rgba.dimensions();
    image::RgbImage::from_fn(w, h, |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let a = u32::from(a);
        let mix = |c: u8| ((u32::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
        image::Rgb([mix(r), mix(g), mix(b)])
    })
}

/// Reads and decodes a photo file within `limits` (the size is checked before reading).
pub fn load(path: &std::path::Path, limits: PhotoLimits) -> Result<Photo, PhotoError> {
    let len = std::fs::metadata(path)
        .map_err(|e| PhotoError::Decode(format!("the file cannot be read ({e})")))?
        .len();
    if len > limits.max_bytes {
        return Err(PhotoError::TooManyBytes {
            bytes: len,
            limit: limits.max_bytes,
        });
    }
    // Never more than the limit, whatever the size said (a device such as /dev/zero, a pipe, a growing file).
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(
            std::fs::File::open(path)
                .map_err(|e| PhotoError::Decode(format!("the file cannot be read ({e})")))?,
            limits.max_bytes.saturating_add(1),
        ),
        &mut bytes,
    )
    .map_err(|e| PhotoError::Decode(format!("the file cannot be read ({e})")))?;
    if bytes.len() as u64 > limits.max_bytes {
        return Err(PhotoError::TooManyBytes {
            bytes: bytes.len() as u64,
            limit: limits.max_bytes,
        });
    }
    decode(&bytes, limits)
}

impl Photo {
    /// The photo scaled down so its longer side is at most `max_side` pixels (a copy when it already is),
    /// with the factor applied (multiply pixel positions marked on the original by it).
    pub fn downscaled(&self, max_side: usize) -> (Photo, f64) {
        self.clone().into_downscaled(max_side)
    }

    /// [`Photo::downscaled`], consuming the photo: its full-size pixels are freed as soon as the smaller copy
    /// exists, never copied (a 35-megapixel photo is 105 MB).
    pub fn into_downscaled(self, max_side: usize) -> (Photo, f64) {
        let long = self.w.max(self.h);
        if long <= max_side || max_side == 0 {
            return (self, 1.0);
        }
        let scale = max_side as f64 / long as f64;
        let (nw, nh) = (
            ((self.w as f64 * scale).round() as u32).max(1),
            ((self.h as f64 * scale).round() as u32).max(1),
        );
        // A triangle (bilinear) filter widened to the scale, as image's `FilterType::Triangle`, in SIMD.
        use fast_image_resize as fr;
        let src = fr::images::Image::from_vec_u8(
            self.w as u32,
            self.h as u32,
            self.rgb,
            fr::PixelType::U8x3,
        )
        .expect("a decoded photo holds w × h RGB pixels");
        let mut small = fr::images::Image::new(nw, nh, fr::PixelType::U8x3);
        fr::Resizer::new()
            .resize(
                &src,
                &mut small,
                &fr::ResizeOptions::new()
                    .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Bilinear)),
            )
            .expect("same pixel type, both sides at least 1 pixel");
        drop(src);
        (
            Photo {
                w: nw as usize,
                h: nh as usize,
                rgb: small.into_vec(),
                exif_orientation: self.exif_orientation,
            },
            nw as f64 / self.w as f64,
        )
    }

    /// The photo proper inside a plain canvas it was laid on ([`content_rect`]); the whole photo without one.
    pub fn content(&self) -> Content {
        content_rect(self.w, self.h, |x, y| {
            let i = 3 * (y * self.w + x);
            [0, 1, 2].map(|k| self.rgb[i + k] as f32 / 255.0)
        })
    }

    /// The photo in linear light.
    pub fn to_linear(&self) -> crate::raster::LinearImage {
        crate::raster::LinearImage::from_srgb8(self.w, self.h, &self.rgb)
    }
    /// Mean linear colour in a rectangle `[x0, y0, x1, y1]` (clipped), if it covers any pixel.
    pub fn mean_colour(&self, r: [f64; 4]) -> Option<Lin> {
        let lut = SrgbLut::new();
        let (x0, y0) = (r[0].max(0.0) as usize, r[1].max(0.0) as usize);
        let (x1, y1) = (
            (r[2].max(0.0) as usize).min(self.w),
            (r[3].max(0.0) as usize).min(self.h),
        );
        if x0 >= x1 || y0 >= y1 {
            return None;
        }
        let mut acc = [0f64; 3];
        for y in y0..y1 {
            for x in x0..x1 {
                let i = (y * self.w + x) * 3;
                for (c, a) in acc.iter_mut().enumerate() {
                    *a += lut.to_lin[self.rgb[i + c] as usize] as f64;
                }
            }
        }
        let n = ((x1 - x0) * (y1 - y0)) as f64;
        Some(acc.map(|v| (v / n) as f32))
    }
    /// Checks that every marked landmark lies on the picture and every marked region within it.
    pub fn check_marks(&self, marks: &crate::register::Marks) -> Result<(), PhotoError> {
        let outside = |what: String, x: f64, y: f64| PhotoError::MarkOutside {
            what,
            x,
            y,
            width: self.w,
            height: self.h,
        };
        for (name, [x, y]) in &marks.points {
            if !(*x < self.w as f64 && *y < self.h as f64 && *x >= 0.0 && *y >= 0.0) {
                return Err(outside(format!("landmark `{name}`"), *x, *y));
            }
        }
        for (name, r) in [("skin", marks.skin), ("hair", marks.hair)] {
            if let Some(r) = r {
                if r[2] > self.w as f64 || r[3] > self.h as f64 || r[0] < 0.0 || r[1] < 0.0 {
                    return Err(outside(format!("region `{name}` (corner)"), r[2], r[3]));
                }
            }
        }
        Ok(())
    }
    /// The skin colour on the forehead: a window halfway between the glabella and the mid-frontal point.
    pub fn forehead_colour(&self, plan: &Plan, reg: &Registration) -> Option<Lin> {
        let p = plan.head.project(
            plan.landmarks
                .glabella
                .lerp(plan.landmarks.mid_frontal, 0.45),
        );
        let (x, y, _) = reg.project(p)?;
        let half = (6.0 * reg.px_per_mm).max(2.0);
        self.mean_colour([x - half, y - half, x + half, y + half])
    }
}

/// Adds an EXIF APP1 segment carrying only an orientation tag (1–8) to a JPEG (for making test photos
/// that are stored rotated, as phones store them).
pub fn insert_exif_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    // TIFF header (little endian), one IFD entry 0x0112 (orientation, SHORT, count 1), no next IFD.
    let mut tiff = vec![b'I', b'I', 42, 0, 8, 0, 0, 0, 1, 0];
    tiff.extend_from_slice(&0x0112u16.to_le_bytes());
    tiff.extend_from_slice(&3u16.to_le_bytes());
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&orientation.to_le_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let len = (app1.len() + 2) as u16;
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A decoded colour type in words, as a refusal names it: "16-bit colour with transparency" (not `Rgba16`).
pub fn depth_words(colour: image::ColorType) -> String {
    format!(
        "{}-bit colour{}",
        colour.bits_per_pixel() / u16::from(colour.channel_count().max(1)),
        if colour.has_alpha() {
            " with transparency"
        } else {
            ""
        }
    )
}

#[cfg(test)]
mod tests {
    use super::is_black_and_white;

    /// `w` × `h` pixels of `canvas`, with `inner` (a `iw` × `ih` picture) in the middle.
    fn pasted(
        w: usize,
        h: usize,
        canvas: [u8; 3],
        iw: usize,
        ih: usize,
        inner: impl Fn(usize, usize) -> [u8; 3],
    ) -> Vec<u8> {
        let (x0, y0) = ((w - iw) / 2, (h - ih) / 2);
        let mut v = Vec::with_capacity(w * h * 3);
        for y in 0..h {
            for x in 0..w {
                let inside = (x0..x0 + iw).contains(&x) && (y0..y0 + ih).contains(&y);
                v.extend(if inside {
                    inner(x - x0, y - y0)
                } else {
                    canvas
                });
            }
        }
        v
    }

    #[test]
    fn a_colour_photo_on_a_large_grey_canvas_is_in_colour() {
        // A 420 × 471 photo (skin; black hair and a grey wall, neutral) on a 4000 × 3000 grey page: 1.6 % of the
        // pixels, a third of them coloured.
        let photo = |x: usize, y: usize| match (x / 60 + y / 60) % 3 {
            0 => [196, 150, 126],
            1 => [40, 40, 42],
            _ => [150, 150, 150],
        };
        assert!(!is_black_and_white(&pasted(
            4000,
            3000,
            [128, 128, 128],
            420,
            471,
            photo
        )));
        // The same photo in grey is black and white, on any canvas, as is a grey picture with none.
        let grey = |x: usize, y: usize| {
            let v = ((x * 7 + y * 3) % 200) as u8 + 20;
            [v, v, v]
        };
        for canvas in [[128, 128, 128], [0, 0, 0], [255, 255, 255]] {
            assert!(is_black_and_white(&pasted(
                1200, 900, canvas, 420, 471, grey
            )));
        }
        assert!(is_black_and_white(&pasted(
            420,
            471,
            [0, 0, 0],
            420,
            471,
            grey
        )));
        // A picture of one grey, and a flat grey with a speck of colour, have none to speak of.
        for speck in [1, 20] {
            let flat = pasted(600, 700, [128, 128, 128], speck, speck, photo);
            assert!(is_black_and_white(&flat), "{speck}");
        }
        // A colour photo filling its frame is in colour.
        assert!(!is_black_and_white(&pasted(
            420,
            471,
            [0, 0, 0],
            420,
            471,
            photo
        )));
    }
    use super::*;

    #[test]
    fn transparent_parts_of_a_photo_are_laid_on_white() {
        let mut rgba = image::RgbaImage::new(300, 300);
        for (x, _, p) in rgba.enumerate_pixels_mut() {
            // The left half opaque skin, the right half a cut-out background: black, see-through.
            *p = if x < 150 {
                image::Rgba([200, 150, 120, 255])
            } else {
                image::Rgba([0, 0, 0, 0])
            };
        }
        rgba.put_pixel(0, 0, image::Rgba([0, 0, 0, 128]));
        let mut png = Vec::new();
        image::DynamicImage::ImageRgba8(rgba)
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let p = decode(&png, PhotoLimits::default()).unwrap();
        let at = |x: usize, y: usize| &p.rgb[(y * p.w + x) * 3..(y * p.w + x) * 3 + 3];
        assert_eq!(at(10, 10), [200, 150, 120]);
        assert_eq!(at(200, 10), [255, 255, 255]);
        assert_eq!(at(0, 0), [127, 127, 127]);
        // The same picture saved half transparent all over is refused, not laid faded on white.
        let faded = image::RgbaImage::from_pixel(300, 300, image::Rgba([200, 150, 120, 128]));
        let mut png = Vec::new();
        image::DynamicImage::ImageRgba8(faded)
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let e = decode(&png, PhotoLimits::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("partly see-through (100 %"), "{e}");
    }

    #[test]
    fn photos_too_small_for_a_scalp_are_refused_in_words() {
        assert_eq!(MIN_SIDE_PX, 260);
        let e = check_min_size(16, 16).unwrap_err();
        assert!(
            e.contains("16 × 16 pixels") && e.contains("at least 260 pixels"),
            "{e}"
        );
        assert!(check_min_size(4000, 259).is_err());
        assert!(check_min_size(260, 260).is_ok());
        assert!(check_min_size(640, 480).is_ok());
    }

    /// A JPEG of `w`×`h` whose left half is red and right half blue, with an EXIF orientation tag.
    pub(crate) fn jpeg_with_orientation(w: u32, h: u32, orientation: u16) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, _| {
            if x < w / 2 {
                image::Rgb([220, 30, 30])
            } else {
                image::Rgb([30, 30, 220])
            }
        });
        let mut jpg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpg, 95)
            .encode_image(&img)
            .unwrap();
        insert_exif_orientation(&jpg, orientation)
    }

    #[test]
    fn exif_orientation_is_applied() {
        // Orientation 6: the stored picture must be rotated 90° clockwise to display.
        let p = decode(&jpeg_with_orientation(40, 20, 6), PhotoLimits::default()).unwrap();
        assert_eq!((p.w, p.h, p.exif_orientation), (20, 40, 6));
        // Stored left half (red) ends up at the top after a clockwise turn.
        let top = &p.rgb[(2 * p.w + 10) * 3..(2 * p.w + 10) * 3 + 3];
        let bottom = &p.rgb[(37 * p.w + 10) * 3..(37 * p.w + 10) * 3 + 3];
        assert!(top[0] > 150 && top[2] < 100, "top {top:?}");
        assert!(bottom[2] > 150 && bottom[0] < 100, "bottom {bottom:?}");
        let plain = decode(&jpeg_with_orientation(40, 20, 1), PhotoLimits::default()).unwrap();
        assert_eq!((plain.w, plain.h), (40, 20));
    }

    #[test]
    fn too_large_and_non_images_are_refused() {
        let jpg = jpeg_with_orientation(64, 64, 1);
        let e = decode(
            &jpg,
            PhotoLimits {
                max_bytes: 100,
                max_pixels: 1 << 30,
            },
        )
        .unwrap_err();
        assert!(matches!(e, PhotoError::TooManyBytes { .. }), "{e}");
        let e = decode(
            &jpg,
            PhotoLimits {
                max_bytes: 1 << 30,
                max_pixels: 1000,
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("64×64"), "{e}");
        assert_eq!(PhotoLimits::default().max_pixels, MAX_PIXELS);
        // A 16-bit RGBA PNG of 5000 × 5000 (a small file: one flat colour) would take 191 MiB: refused from
        // its header (outside probe s21: the CLI decoded such a picture in full, 1.2 GB, before refusing).
        let mut big = Vec::new();
        image::DynamicImage::ImageRgba16(image::ImageBuffer::from_pixel(
            5000,
            5000,
            image::Rgba([9000u16, 8000, 7000, 65535]),
        ))
        .write_to(&mut Cursor::new(&mut big), image::ImageFormat::Png)
        .unwrap();
        let e = decode(&big, PhotoLimits::default()).unwrap_err();
        assert!(
            matches!(e, PhotoError::TooMuchMemory { mib: 191, .. })
                && e.to_string().contains("8-bit JPEG or PNG"),
            "{e}"
        );
        let e = decode(b"%PDF-1.4 not a photo", PhotoLimits::default()).unwrap_err();
        assert!(
            matches!(e, PhotoError::NotAnImage(_))
                && e.to_string().contains("it is a PDF document"),
            "{e}"
        );
        // A JPEG cut to a third: refused as cut short before the lenient decoder can paint the rest grey.
        let e = decode(&jpg[..jpg.len() / 3], PhotoLimits::default()).unwrap_err();
        assert!(matches!(e, PhotoError::Damaged(_)), "{e}");
        // A PNG cut short fails in the decoder itself.
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(64, 64, |x, y| {
            image::Rgb([(x * 4) as u8, (y * 4) as u8, 7])
        }))
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
        let e = decode(&png[..png.len() * 6 / 10], PhotoLimits::default()).unwrap_err();
        assert!(matches!(e, PhotoError::Decode(_)), "{e}");
        assert!(
            e.to_string()
                .contains("this PNG ends before its picture does"),
            "{e}"
        );
        // A damaged chunk is said in words, not in the decoder's (outside probe s12: "Unrecognized critical
        // chunk: ChunkType { type: IDA«, critical: true, … }").
        let mut damaged = png.clone();
        let at = damaged.windows(4).position(|w| w == b"IDAT").unwrap();
        damaged[at + 3] ^= 0xff;
        let e = decode(&damaged, PhotoLimits::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "this PNG is damaged: its picture cannot be read; copy or export the photo again"
        );
        assert!(matches!(
            decode(b"", PhotoLimits::default()),
            Err(PhotoError::NotAnImage(_))
        ));
    }

    #[test]
    fn a_mark_far_outside_is_said_in_few_digits() {
        let p = decode(&jpeg_with_orientation(40, 20, 1), PhotoLimits::default()).unwrap();
        let marks = crate::register::Marks {
            points: vec![("glabella".into(), [1e300, 5.0])],
            skin: None,
            hair: None,
        };
        let e = p.check_marks(&marks).unwrap_err().to_string();
        assert_eq!(
            e,
            "landmark `glabella` at (1e300, 5) px is outside the 40×20 photo: positions count pixels from the photo's top-left corner, so mark it again on this photo (marks taken on a larger copy, or before it was cropped or turned, do not fit it)"
        );
    }

    #[test]
    fn cut_short_jpegs_are_refused_and_whole_ones_pass() {
        let jpg = jpeg_with_orientation(300, 200, 1);
        assert_eq!(jpeg_complete(&jpg), Ok(()));
        let mut trailer = jpg.clone();
        trailer.extend_from_slice(b"camera trailer after the end");
        assert!(decode(&trailer, PhotoLimits::default()).is_ok());
        for keep in [0.6, 0.9, 0.99] {
            let cut = &jpg[..(jpg.len() as f64 * keep) as usize];
            let e = decode(cut, PhotoLimits::default()).unwrap_err();
            assert!(
                matches!(e, PhotoError::Damaged(_)) && e.to_string().contains("cut short"),
                "{keep}: {e}"
            );
        }
        // The last two bytes (the end-of-image marker) missing.
        assert!(matches!(
            decode(&jpg[..jpg.len() - 2], PhotoLimits::default()),
            Err(PhotoError::Damaged(_))
        ));
    }

    #[test]
    fn a_progressive_jpeg_cut_short_and_closed_is_refused() {
        // 128×96, written by Pillow (libjpeg) with `progressive=True, optimize=True`: ten scans, the last (luma
        // AC refinement) 44 % of the file.
        let jpg = include_bytes!("../tests/data/progressive-128x96.jpg");
        assert_eq!(jpeg_complete(jpg), Ok(()));
        assert!(decode(jpg, PhotoLimits::default()).is_ok());
        let eoi = jpg.len() - 2;
        // Cut inside the first scans, between scans, and a few bytes before the end, each given its end marker.
        for keep in [300, 800, 1713, 2500, 3300, eoi - 4, eoi - 1] {
            let mut cut = jpg[..keep].to_vec();
            cut.extend_from_slice(&[0xFF, 0xD9]);
            let e = decode(&cut, PhotoLimits::default()).unwrap_err();
            assert!(
                matches!(e, PhotoError::Damaged(_)) && e.to_string().contains("cut short"),
                "kept {keep} of {}: {e}",
                jpg.len()
            );
        }
    }

    #[test]
    fn phone_photos_up_to_fifty_megapixels_fit_the_limits() {
        // 48- and 50-megapixel phone photos (8000 × 6000, 8192 × 6144) were refused at 40 megapixels (outside
        // probe s28).
        for (w, h) in [(8000u64, 6000u64), (8192, 6144), (8160, 6120)] {
            assert!(
                w * h <= MAX_PIXELS && w.max(h) <= u64::from(MAX_SIDE_PX),
                "{w}×{h}"
            );
        }
    }

    #[test]
    fn oversized_sides_are_refused_before_decoding() {
        use image::ImageEncoder;
        let img = image::RgbImage::new(13_000, 2);
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(img.as_raw(), 13_000, 2, image::ExtendedColorType::Rgb8)
            .unwrap();
        let e = decode(&png, PhotoLimits::default()).unwrap_err();
        assert!(
            matches!(e, PhotoError::TooManyPixels { width: 13_000, .. })
                && e.to_string().contains("12000 pixels a side"),
            "{e}"
        );
    }

    #[test]
    fn a_photo_is_scaled_down_as_image_s_triangle_filter_scales_it() {
        // Gradients, a hard edge and fine stripes, 1003 × 701 scaled to 320 px: the SIMD resize draws what
        // image's own `FilterType::Triangle` drew, within rounding.
        let (w, h) = (1003usize, 701usize);
        let mut rgb = Vec::with_capacity(w * h * 3);
        for y in 0..h {
            for x in 0..w {
                let stripe = if (x / 3 + y / 5) % 2 == 0 { 200 } else { 40 };
                rgb.extend([
                    (x * 255 / w) as u8,
                    if x > 500 { stripe } else { (y * 255 / h) as u8 },
                    ((x + y) % 256) as u8,
                ]);
            }
        }
        let img = image::RgbImage::from_raw(w as u32, h as u32, rgb.clone()).unwrap();
        let photo = super::Photo {
            w,
            h,
            rgb,
            exif_orientation: 1,
        };
        let (small, scale) = photo.into_downscaled(320);
        assert_eq!((small.w, small.h), (320, 224));
        assert!((scale - 320.0 / 1003.0).abs() < 1e-12);
        let theirs = image::imageops::resize(&img, 320, 224, image::imageops::FilterType::Triangle);
        let worst = small
            .rgb
            .iter()
            .zip(theirs.as_raw())
            .map(|(a, b)| a.abs_diff(*b))
            .max()
            .unwrap();
        assert!(worst <= 2, "{worst} levels apart");
        // A photo already small enough is kept as it is.
        let (same, one) = small.clone().into_downscaled(400);
        assert_eq!((same.rgb, one), (small.rgb, 1.0));
    }
}
