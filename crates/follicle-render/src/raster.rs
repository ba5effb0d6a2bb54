//! The working image: linear-light RGB pixels in `f32`, with the few operations the preview needs
//! (rectangles, blits, separable Gaussian blur, box downsampling) and PNG encoding at the edge.

use crate::color::{Lin, SrgbLut};

/// A linear-light RGB image, row-major, origin top-left.
#[derive(Clone, Debug)]
pub struct LinearImage {
    /// Width in pixels.
    pub w: usize,
    /// Height in pixels.
    pub h: usize,
    /// Pixels, `w * h` of them.
    pub px: Vec<Lin>,
}

impl LinearImage {
    /// An image of one colour.
    pub fn new(w: usize, h: usize, fill: Lin) -> Self {
        Self {
            w,
            h,
            px: vec![fill; w * h],
        }
    }

    /// The picture proper inside a plain canvas it was laid on ([`crate::photo::content_rect`]).
    pub fn content(&self) -> crate::photo::Content {
        let lut = SrgbLut::new();
        crate::photo::content_rect(self.w, self.h, |x, y| {
            self.px[y * self.w + x].map(|v| lut.encode(v) as f32 / 255.0)
        })
    }

    /// Decodes packed 8-bit sRGB (RGB, row-major) into linear light.
    pub fn from_srgb8(w: usize, h: usize, rgb: &[u8]) -> Self {
        let lut = SrgbLut::new();
        let px = rgb
            .chunks_exact(3)
            .map(|c| {
                [
                    lut.to_lin[c[0] as usize],
                    lut.to_lin[c[1] as usize],
                    lut.to_lin[c[2] as usize],
                ]
            })
            .collect();
        Self { w, h, px }
    }

    /// Encodes to packed 8-bit sRGB (RGB, row-major).
    pub fn to_srgb8(&self) -> Vec<u8> {
        let lut = SrgbLut::new();
        let mut out = Vec::with_capacity(self.px.len() * 3);
        for p in &self.px {
            out.extend_from_slice(&[lut.encode(p[0]), lut.encode(p[1]), lut.encode(p[2])]);
        }
        out
    }

    /// Encodes to PNG bytes (8-bit sRGB).
    pub fn to_png(&self) -> Result<Vec<u8>, image::ImageError> {
        let mut buf = Vec::new();
        let enc = image::codecs::png::PngEncoder::new(&mut buf);
        image::ImageEncoder::write_image(
            enc,
            &self.to_srgb8(),
            self.w as u32,
            self.h as u32,
            image::ExtendedColorType::Rgb8,
        )?;
        Ok(buf)
    }

    /// The pixel at (x, y).
    #[inline]
    pub fn get(&self, x: usize, y: usize) -> Lin {
        self.px[y * self.w + x]
    }

    /// Fills a rectangle (clipped to the image).
    pub fn fill_rect(&mut self, x: usize, y: usize, w: usize, h: usize, c: Lin) {
        for yy in y..(y + h).min(self.h) {
            for xx in x..(x + w).min(self.w) {
                self.px[yy * self.w + xx] = c;
            }
        }
    }

    /// Copies `src` with its top-left corner at (x, y) (clipped).
    pub fn blit(&mut self, src: &LinearImage, x: usize, y: usize) {
        for sy in 0..src.h {
            let dy = y + sy;
            if dy >= self.h {
                break;
            }
            for sx in 0..src.w.min(self.w.saturating_sub(x)) {
                self.px[dy * self.w + x + sx] = src.px[sy * src.w + sx];
            }
        }
    }

    /// Blurs in place with a Gaussian of standard deviation `sigma` pixels (separable, edges clamped).
    pub fn gaussian_blur(&mut self, sigma: f64) {
        if sigma < 0.2 {
            return;
        }
        gaussian_blur_plane(&mut self.px, self.w, self.h, sigma);
    }

    /// Blurs in place with about a Gaussian of standard deviation `sigma` pixels at a cost independent of
    /// `sigma`: three box filters per axis (Wells 1986) for wide blurs, the exact Gaussian below 3 px.
    /// For masks and colour fields, not for what the eye's acuity blur must reproduce exactly.
    pub fn smooth(&mut self, sigma: f64) {
        if sigma < 3.0 {
            self.gaussian_blur(sigma);
            return;
        }
        // Box widths whose three passes give variance σ² (Kovesi's choice of two odd widths).
        let n = 3.0;
        let ideal = (12.0 * sigma * sigma / n + 1.0).sqrt();
        let mut wl = ideal.floor() as i64;
        if wl % 2 == 0 {
            wl -= 1;
        }
        let m = ((12.0 * sigma * sigma - n * (wl * wl) as f64 - 4.0 * n * wl as f64 - 3.0 * n)
            / (-4.0 * wl as f64 - 4.0))
            .round() as i64;
        let (w, h) = (self.w, self.h);
        let mut line: Vec<Lin> = Vec::with_capacity(w.max(h));
        let mut out: Vec<Lin> = Vec::with_capacity(w.max(h));
        for pass in 0..3 {
            let r = ((if pass < m { wl } else { wl + 2 }) / 2) as isize;
            for y in 0..h {
                line.clear();
                line.extend_from_slice(&self.px[y * w..(y + 1) * w]);
                box_line(&line, r, &mut out);
                self.px[y * w..(y + 1) * w].copy_from_slice(&out);
            }
            for x in 0..w {
                line.clear();
                line.extend((0..h).map(|y| self.px[y * w + x]));
                box_line(&line, r, &mut out);
                for (y, v) in out.iter().enumerate() {
                    self.px[y * w + x] = *v;
                }
            }
        }
    }

    /// A `w` × `h` picture of this one's pixels each multiplied by `weight[i]` (pixels it lacks black): the
    /// numerator of a normalised convolution, smoothed next and divided by the smoothed weights.
    pub fn weighted(&self, w: usize, h: usize, weight: &[f32]) -> LinearImage {
        LinearImage {
            w,
            h,
            px: (0..w * h)
                .map(|i| {
                    self.px
                        .get(i)
                        .copied()
                        .unwrap_or([0.0; 3])
                        .map(|v| v * weight[i])
                })
                .collect(),
        }
    }

    /// Downsamples by an integer factor, averaging each block in linear light.
    pub fn downsample(&self, f: usize) -> LinearImage {
        if f <= 1 {
            return self.clone();
        }
        let (w, h) = (self.w / f, self.h / f);
        let mut out = LinearImage::new(w, h, [0.0; 3]);
        let n = (f * f) as f32;
        for y in 0..h {
            for x in 0..w {
                let mut acc = [0f32; 3];
                for yy in 0..f {
                    for xx in 0..f {
                        let p = self.px[(y * f + yy) * self.w + x * f + xx];
                        acc[0] += p[0];
                        acc[1] += p[1];
                        acc[2] += p[2];
                    }
                }
                out.px[y * w + x] = acc.map(|v| v / n);
            }
        }
        out
    }

    /// Mean colour over a rectangle (clipped; `None` when empty).
    pub fn mean_in(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> Option<Lin> {
        let (x1, y1) = (x1.min(self.w), y1.min(self.h));
        if x0 >= x1 || y0 >= y1 {
            return None;
        }
        let mut acc = [0f64; 3];
        for y in y0..y1 {
            for x in x0..x1 {
                let p = self.px[y * self.w + x];
                for k in 0..3 {
                    acc[k] += p[k] as f64;
                }
            }
        }
        let n = ((x1 - x0) * (y1 - y0)) as f64;
        Some(acc.map(|v| (v / n) as f32))
    }
}

/// A box filter of radius `r` over `line` (edges clamped) into `out`.
fn box_line(line: &[Lin], r: isize, out: &mut Vec<Lin>) {
    let n = line.len() as isize;
    out.clear();
    let at = |i: isize| line[i.clamp(0, n - 1) as usize];
    let mut acc = [0f32; 3];
    for i in -r..=r {
        let p = at(i);
        acc = [acc[0] + p[0], acc[1] + p[1], acc[2] + p[2]];
    }
    let k = 1.0 / (2 * r + 1) as f32;
    for i in 0..n {
        out.push(acc.map(|v| v * k));
        let (add, sub) = (at(i + r + 1), at(i - r));
        acc = [
            acc[0] + add[0] - sub[0],
            acc[1] + add[1] - sub[1],
            acc[2] + add[2] - sub[2],
        ];
    }
}

/// A pixel a blur can weigh and sum: one channel or linear RGB.
pub(crate) trait Texel: Copy {
    /// The texels' channels one after another.
    fn flat(s: &[Self]) -> &[f32];
    /// The same, to write.
    fn flat_mut(s: &mut [Self]) -> &mut [f32];
}

impl Texel for f32 {
    fn flat(s: &[f32]) -> &[f32] {
        s
    }
    fn flat_mut(s: &mut [f32]) -> &mut [f32] {
        s
    }
}

impl Texel for Lin {
    fn flat(s: &[Lin]) -> &[f32] {
        s.as_flattened()
    }
    fn flat_mut(s: &mut [Lin]) -> &mut [f32] {
        s.as_flattened_mut()
    }
}

/// `out[j] += p[j] × k` for every j: the inner loop of both passes, over contiguous channels, so the compiler
/// vectorises it (each channel's product and sum as a pixel-by-pixel loop makes them, to the bit).
#[inline]
fn add_row(out: &mut [f32], p: &[f32], k: f32) {
    for (o, v) in out.iter_mut().zip(p) {
        *o += v * k;
    }
}

/// The Gaussian of standard deviation `sigma` cut at 3σ: its radius and its weights (summing to 1).
fn gaussian_kernel(sigma: f64) -> (isize, Vec<f32>) {
    let r = (sigma * 3.0).ceil() as isize;
    let mut k: Vec<f32> = (-r..=r)
        .map(|i| (-(i * i) as f64 / (2.0 * sigma * sigma)).exp() as f32)
        .collect();
    let s: f32 = k.iter().sum();
    k.iter_mut().for_each(|v| *v /= s);
    (r, k)
}

/// Blurs the `w` × `h` pixels `px` in place with a Gaussian of standard deviation `sigma` pixels (separable,
/// kernel cut at 3σ, edges clamped): the one Gaussian blur of images and of single channels.
pub(crate) fn gaussian_blur_plane<T: Texel>(px: &mut [T], w: usize, h: usize, sigma: f64) {
    let (r, k) = gaussian_kernel(sigma);
    let (wi, hi) = (w as isize, h as isize);
    let c = T::flat(&px[..px.len().min(1)]).len().max(1);
    let rw = w * c;
    let mut tmp = vec![0f32; px.len() * c];
    // Horizontal pass tap by tap along the row, the channels flat (the same sums in the same order as pixel by
    // pixel: a 1600 px photo's eye blur, most of a studio switch, took 3–4 times as long pixel by pixel).
    let src = T::flat(px);
    for y in 0..h {
        let row = &src[y * rw..(y + 1) * rw];
        let out = &mut tmp[y * rw..(y + 1) * rw];
        for (i, &kv) in k.iter().enumerate() {
            let off = i as isize - r;
            // Pixels reading left of the row (clamped to its first), within it, and right of it (its last).
            let lo = (-off).clamp(0, wi) as usize;
            let hi = (wi - off).clamp(lo as isize, wi) as usize;
            for o in out[..lo * c].chunks_exact_mut(c) {
                add_row(o, &row[..c], kv);
            }
            if lo < hi {
                let from = (lo as isize + off) as usize * c;
                add_row(
                    &mut out[lo * c..hi * c],
                    &row[from..from + (hi - lo) * c],
                    kv,
                );
            }
            for o in out[hi * c..].chunks_exact_mut(c) {
                add_row(o, &row[(w - 1) * c..], kv);
            }
        }
    }
    // Vertical pass row by row (the same sums in the same order as column by column, cache-friendly).
    let dst = T::flat_mut(px);
    let mut acc_row = vec![0f32; rw];
    for y in 0..hi {
        acc_row.fill(0.0);
        for (i, &kv) in k.iter().enumerate() {
            let sy = (y + i as isize - r).clamp(0, hi - 1) as usize;
            add_row(&mut acc_row, &tmp[sy * rw..(sy + 1) * rw], kv);
        }
        dst[y as usize * rw..(y as usize + 1) * rw].copy_from_slice(&acc_row);
    }
}

#[cfg(test)]
mod tests {

    /// The row pass tap by tap gives the very sums of the pixel-by-pixel pass with clamped edges, on rows
    /// narrower than the kernel too.
    #[test]
    fn the_blur_equals_the_pixel_by_pixel_gaussian() {
        use super::*;
        for (w, h, sigma) in [
            (37usize, 5usize, 2.3f64),
            (4, 3, 3.0),
            (1, 2, 1.0),
            (64, 9, 0.7),
        ] {
            let px: Vec<f32> = (0..w * h)
                .map(|i| ((i * 7919) % 101) as f32 / 100.0)
                .collect();
            let mut fast = px.clone();
            gaussian_blur_plane(&mut fast, w, h, sigma);
            // The pass as it was written before: each pixel's taps, edges clamped; then the same columns.
            let (r, k) = gaussian_kernel(sigma);
            let mut tmp = vec![0f32; w * h];
            for y in 0..h {
                for x in 0..w {
                    let mut acc = 0f32;
                    for (i, kv) in k.iter().enumerate() {
                        let sx = (x as isize + i as isize - r).clamp(0, w as isize - 1) as usize;
                        acc += px[y * w + sx] * kv;
                    }
                    tmp[y * w + x] = acc;
                }
            }
            let mut slow = vec![0f32; w * h];
            for y in 0..h as isize {
                for x in 0..w {
                    let mut acc = 0f32;
                    for (i, kv) in k.iter().enumerate() {
                        let sy = (y + i as isize - r).clamp(0, h as isize - 1) as usize;
                        acc += tmp[sy * w + x] * kv;
                    }
                    slow[y as usize * w + x] = acc;
                }
            }
            assert_eq!(fast, slow, "{w}×{h}, σ {sigma}");
            // Three channels at once: each as it is alone.
            let mut rgb: Vec<Lin> = px.iter().map(|&v| [v, 1.0 - v, v * 0.5]).collect();
            gaussian_blur_plane(&mut rgb, w, h, sigma);
            for (ch, f) in [|v: f32| v, |v: f32| 1.0 - v, |v: f32| v * 0.5]
                .iter()
                .enumerate()
            {
                let mut one: Vec<f32> = px.iter().map(|&v| f(v)).collect();
                gaussian_blur_plane(&mut one, w, h, sigma);
                assert!(
                    rgb.iter().zip(&one).all(|(a, b)| a[ch] == *b),
                    "channel {ch}"
                );
            }
        }
    }

    #[test]
    fn smooth_is_a_gaussian_of_the_asked_width_and_keeps_the_mean() {
        for sigma in [4.0, 9.5, 20.0] {
            let mut img = LinearImage::new(301, 1, [0.0; 3]);
            img.px[150] = [1.0; 3];
            let mut tall = LinearImage::new(301, 301, [0.0; 3]);
            tall.px[150 * 301 + 150] = [1.0; 3];
            tall.smooth(sigma);
            img.smooth(sigma);
            let row = &tall.px[150 * 301..151 * 301];
            let sum: f32 = row.iter().map(|p| p[0]).sum();
            let var: f32 = row
                .iter()
                .enumerate()
                .map(|(x, p)| p[0] * (x as f32 - 150.0).powi(2))
                .sum::<f32>()
                / sum;
            assert!(
                (var.sqrt() as f64 / sigma - 1.0).abs() < 0.06,
                "σ {sigma}: {}",
                var.sqrt()
            );
            let total: f32 = tall.px.iter().map(|p| p[0]).sum();
            assert!((total - 1.0).abs() < 1e-3, "{total}");
        }
    }
    use super::*;

    #[test]
    fn blur_keeps_the_mean_and_spreads_a_dot() {
        let mut img = LinearImage::new(41, 41, [0.0; 3]);
        img.px[20 * 41 + 20] = [1.0; 3];
        img.gaussian_blur(3.0);
        let sum: f32 = img.px.iter().map(|p| p[0]).sum();
        assert!((sum - 1.0).abs() < 1e-3, "sum {sum}");
        assert!(img.get(23, 20)[0] > 0.01 && img.get(20, 20)[0] < 0.05);
    }

    #[test]
    fn png_round_trips_size() {
        let img = LinearImage::new(7, 5, [0.2, 0.4, 0.6]);
        let png = img.to_png().unwrap();
        let back = image::load_from_memory(&png).unwrap();
        assert_eq!((back.width(), back.height()), (7, 5));
    }

    #[test]
    fn downsample_averages_in_linear_light() {
        let mut img = LinearImage::new(2, 2, [0.0; 3]);
        img.px[0] = [1.0; 3];
        assert_eq!(img.downsample(2).px[0], [0.25; 3]);
    }
}
