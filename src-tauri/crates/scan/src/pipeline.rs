//! The page clean-up pipeline: deskew, crop to the page, grey or black-and-white, JPEG.
//!
//! All analysis runs on a box-downscaled grey copy (longest side ≤ [`ANALYSIS_SIDE`]):
//!
//! 1. Otsu threshold of the copy splits dark from light.
//! 2. The scanner background is what touches the border: the border pixels' majority
//!    class (dark lid/bed or light) is flood-filled from the border. Dark pixels not
//!    reached are ink on the page.
//! 3. Skew: projection profiles of the ink pixels. For a candidate angle `a` every ink
//!    pixel falls into row bin `y·cos a − x·sin a`; text lines give a spiky profile
//!    exactly when `a` matches their slope, so the angle maximising the sum of squared
//!    bin counts wins. Coarse search in 0.5° steps over ±`max_skew_deg`, then 0.05° and
//!    0.01° steps around the best.
//! 4. The full-resolution image is rotated by −skew (bilinear, canvas grown to keep the
//!    corners, new area filled with the background's colour).
//! 5. Crop: on a dark background the page is the largest bright area not connected to
//!    the border; its bounding box (shrunk by one analysis pixel against the fringe) is
//!    cut out. On a light background the page edge cannot be told, so nothing is cut.
//! 6. Grey: luma. Black-and-white: Otsu threshold of the cropped page.
//! 7. JPEG at the chosen quality, with the DPI written into the JFIF header.

use image::codecs::jpeg::{JpegEncoder, PixelDensity};
use image::{DynamicImage, ExtendedColorType, GrayImage, RgbImage};

use crate::device::Page;

/// Longest side of the analysis copy, in pixels.
pub const ANALYSIS_SIDE: u32 = 1000;

/// What the clean-up produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputMode {
    Color,
    Gray,
    BlackWhite,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CleanupOptions {
    pub crop: bool,
    pub deskew: bool,
    /// Largest skew corrected, in degrees; pages tilted more are left as they are.
    pub max_skew_deg: f32,
    pub output: OutputMode,
}

impl Default for CleanupOptions {
    fn default() -> Self {
        CleanupOptions {
            crop: true,
            deskew: true,
            max_skew_deg: 15.0,
            output: OutputMode::Gray,
        }
    }
}

/// What the clean-up did, for the log and the clerk's preview.
#[derive(Debug, Clone, PartialEq)]
pub struct CleanupReport {
    /// Skew found and corrected, degrees (positive: lines fell to the right).
    pub skew_deg: f32,
    /// Crop box in the deskewed image (x, y, width, height), if cropped.
    pub crop: Option<(u32, u32, u32, u32)>,
}

/// Why the pipeline could not finish a page.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("页面图像为空")]
    Empty,
    #[error("JPEG 编码失败：{0}")]
    Encode(String),
}

/// Runs the pipeline on one page; the DPI is carried through unchanged.
pub fn clean(page: &Page, opts: &CleanupOptions) -> Result<(Page, CleanupReport), PipelineError> {
    let (w, h) = (page.image.width(), page.image.height());
    if w == 0 || h == 0 {
        return Err(PipelineError::Empty);
    }
    let gray = page.image.to_luma8();
    let f = w.max(h).div_ceil(ANALYSIS_SIDE).max(1);
    let small = downscale(&gray, f);
    let t = otsu(&histogram(small.as_raw()));
    let dark_bg = dark_border(&small, t);
    let skew = if opts.deskew {
        let bg = background_mask(&small, t, dark_bg);
        estimate_skew_masked(&small, t, &bg, opts.max_skew_deg)
    } else {
        0.0
    };
    let fill = border_level(&gray, t, dark_bg);
    let rotate_it = skew.abs() >= 0.05;
    // Grey output: rotate the grey image only; colour: rotate all three channels.
    let keep_color = opts.output == OutputMode::Color && page.image.color().has_color();
    let mut img: DynamicImage = if keep_color {
        let rgb = page.image.to_rgb8();
        if rotate_it {
            let (data, rw, rh) = rotate(rgb.as_raw(), w, h, 3, skew, &[fill, fill, fill]);
            DynamicImage::ImageRgb8(RgbImage::from_raw(rw, rh, data).ok_or(PipelineError::Empty)?)
        } else {
            DynamicImage::ImageRgb8(rgb)
        }
    } else if rotate_it {
        let (data, rw, rh) = rotate(gray.as_raw(), w, h, 1, skew, &[fill]);
        DynamicImage::ImageLuma8(GrayImage::from_raw(rw, rh, data).ok_or(PipelineError::Empty)?)
    } else {
        DynamicImage::ImageLuma8(gray)
    };
    let mut crop = None;
    if opts.crop && dark_bg {
        let g = match &img {
            DynamicImage::ImageLuma8(g) => std::borrow::Cow::Borrowed(g),
            other => std::borrow::Cow::Owned(other.to_luma8()),
        };
        let small = downscale(&g, f);
        if let Some((x, y, cw, ch)) = page_box(&small, t) {
            let (x0, y0) = ((x + 1) * f, (y + 1) * f);
            let x1 = ((x + cw).saturating_sub(1) * f).min(img.width());
            let y1 = ((y + ch).saturating_sub(1) * f).min(img.height());
            if x1 > x0 + 8 && y1 > y0 + 8 {
                img = img.crop_imm(x0, y0, x1 - x0, y1 - y0);
                crop = Some((x0, y0, x1 - x0, y1 - y0));
            }
        }
    }
    let image = match opts.output {
        OutputMode::Color => img,
        OutputMode::Gray => DynamicImage::ImageLuma8(img.into_luma8()),
        OutputMode::BlackWhite => {
            let mut g = img.into_luma8();
            let t = otsu(&histogram(g.as_raw()));
            for p in g.iter_mut() {
                *p = if *p > t { 255 } else { 0 };
            }
            DynamicImage::ImageLuma8(g)
        }
    };
    Ok((
        Page {
            image,
            dpi: page.dpi,
        },
        CleanupReport {
            skew_deg: skew,
            crop,
        },
    ))
}

/// A page encoded as JPEG, with what the checks and the PDF writer need.
#[derive(Debug, Clone, PartialEq)]
pub struct EncodedPage {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub dpi: Option<u32>,
}

/// Encodes as baseline JPEG with `quality` (1–100), writing the DPI into JFIF.
pub fn encode_jpeg(page: &Page, quality: u8) -> Result<EncodedPage, PipelineError> {
    let mut bytes = Vec::new();
    let mut enc = JpegEncoder::new_with_quality(&mut bytes, quality.clamp(1, 100));
    if let Some(dpi) = page.dpi {
        enc.set_pixel_density(PixelDensity::dpi(dpi.min(u32::from(u16::MAX)) as u16));
    }
    let img = &page.image;
    // Pass the raw buffer with its colour type: `encode_image` on a DynamicImage would
    // go through RGBA and write every page as three-channel colour.
    let (w, h) = (img.width(), img.height());
    let res = match img {
        DynamicImage::ImageLuma8(g) => enc.encode(g.as_raw(), w, h, ExtendedColorType::L8),
        DynamicImage::ImageRgb8(c) => enc.encode(c.as_raw(), w, h, ExtendedColorType::Rgb8),
        other if other.color().has_color() => {
            enc.encode(other.to_rgb8().as_raw(), w, h, ExtendedColorType::Rgb8)
        }
        other => enc.encode(other.to_luma8().as_raw(), w, h, ExtendedColorType::L8),
    };
    res.map_err(|e| PipelineError::Encode(e.to_string()))?;
    Ok(EncodedPage {
        bytes,
        width: img.width(),
        height: img.height(),
        dpi: page.dpi,
    })
}

// ---- building blocks ----

/// Box average over `f`×`f` blocks (the last partial blocks are averaged too).
pub fn downscale(g: &GrayImage, f: u32) -> GrayImage {
    if f <= 1 {
        return g.clone();
    }
    let (w, h) = g.dimensions();
    let (sw, sh) = (w.div_ceil(f), h.div_ceil(f));
    let mut sum = vec![0u32; (sw * sh) as usize];
    let mut cnt = vec![0u32; (sw * sh) as usize];
    let raw = g.as_raw();
    for y in 0..h {
        let row = &raw[(y * w) as usize..((y + 1) * w) as usize];
        let base = ((y / f) * sw) as usize;
        for (x, v) in row.iter().enumerate() {
            let i = base + x / f as usize;
            sum[i] += u32::from(*v);
            cnt[i] += 1;
        }
    }
    let data = sum
        .iter()
        .zip(&cnt)
        .map(|(s, c)| (s / (*c).max(1)) as u8)
        .collect();
    GrayImage::from_raw(sw, sh, data).unwrap_or_else(|| GrayImage::new(sw, sh))
}

pub fn histogram(px: &[u8]) -> [u64; 256] {
    let mut h = [0u64; 256];
    for p in px {
        h[usize::from(*p)] += 1;
    }
    h
}

/// Otsu's threshold: the level maximising the between-class variance. Pixels `<= t`
/// are dark.
pub fn otsu(hist: &[u64; 256]) -> u8 {
    let total: u64 = hist.iter().sum();
    if total == 0 {
        return 127;
    }
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, c)| i as f64 * *c as f64)
        .sum();
    let (mut w0, mut sum0) = (0f64, 0f64);
    let (mut best, mut best_t) = (-1f64, 127u8);
    for (t, c) in hist.iter().enumerate() {
        w0 += *c as f64;
        sum0 += t as f64 * *c as f64;
        let w1 = total as f64 - w0;
        if w0 == 0.0 || w1 == 0.0 {
            continue;
        }
        let m0 = sum0 / w0;
        let m1 = (sum_all - sum0) / w1;
        let between = w0 * w1 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            best_t = t as u8;
        }
    }
    best_t
}

fn border_pixels(g: &GrayImage) -> impl Iterator<Item = (u32, u32)> + '_ {
    let (w, h) = g.dimensions();
    let top_bottom = (0..w).flat_map(move |x| [(x, 0), (x, h.saturating_sub(1))]);
    let sides = (0..h).flat_map(move |y| [(0, y), (w.saturating_sub(1), y)]);
    top_bottom.chain(sides)
}

/// True when most border pixels are dark (a black scanner lid or bed).
fn dark_border(g: &GrayImage, t: u8) -> bool {
    let (mut dark, mut all) = (0u32, 0u32);
    for (x, y) in border_pixels(g) {
        all += 1;
        if g.get_pixel(x, y).0[0] <= t {
            dark += 1;
        }
    }
    dark * 2 > all
}

/// Median level of the border pixels of the background's class, to fill new canvas.
fn border_level(g: &GrayImage, t: u8, dark_bg: bool) -> u8 {
    let mut hist = [0u64; 256];
    for (x, y) in border_pixels(g) {
        let v = g.get_pixel(x, y).0[0];
        if (v <= t) == dark_bg {
            hist[usize::from(v)] += 1;
        }
    }
    let total: u64 = hist.iter().sum();
    let mut acc = 0;
    for (v, c) in hist.iter().enumerate() {
        acc += c;
        if acc * 2 >= total && total > 0 {
            return v as u8;
        }
    }
    if dark_bg { 0 } else { 255 }
}

/// Pixels of the background's class connected to the border (4-connectivity).
fn background_mask(g: &GrayImage, t: u8, dark_bg: bool) -> Vec<bool> {
    let (w, h) = (g.width() as usize, g.height() as usize);
    let raw = g.as_raw();
    let is_bg = |i: usize| (raw[i] <= t) == dark_bg;
    let mut mask = vec![false; w * h];
    let mut stack: Vec<usize> = Vec::new();
    for (x, y) in border_pixels(g) {
        let i = y as usize * w + x as usize;
        if !mask[i] && is_bg(i) {
            mask[i] = true;
            stack.push(i);
        }
    }
    // Each pixel is pushed at most once, so this ends after at most w*h steps.
    while let Some(i) = stack.pop() {
        let (x, y) = (i % w, i / w);
        let mut visit = |j: usize| {
            if !mask[j] && is_bg(j) {
                mask[j] = true;
                stack.push(j);
            }
        };
        if x > 0 {
            visit(i - 1);
        }
        if x + 1 < w {
            visit(i + 1);
        }
        if y > 0 {
            visit(i - w);
        }
        if y + 1 < h {
            visit(i + w);
        }
    }
    mask
}

/// Skew of the text on a grey image, in degrees (see the module documentation).
pub fn estimate_skew(g: &GrayImage, max_deg: f32) -> f32 {
    let f = g.width().max(g.height()).div_ceil(ANALYSIS_SIDE).max(1);
    let small = downscale(g, f);
    let t = otsu(&histogram(small.as_raw()));
    let bg = background_mask(&small, t, dark_border(&small, t));
    estimate_skew_masked(&small, t, &bg, max_deg)
}

/// Most ink points used for the profiles (taken evenly when there are more).
const MAX_INK_POINTS: usize = 200_000;

fn estimate_skew_masked(g: &GrayImage, t: u8, bg: &[bool], max_deg: f32) -> f32 {
    let (w, h) = (g.width() as usize, g.height() as usize);
    let raw = g.as_raw();
    let ink_count = (0..w * h).filter(|i| raw[*i] <= t && !bg[*i]).count();
    if ink_count < 50 {
        return 0.0;
    }
    let stride = ink_count.div_ceil(MAX_INK_POINTS).max(1);
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let pts: Vec<(f32, f32)> = (0..w * h)
        .filter(|i| raw[*i] <= t && !bg[*i])
        .step_by(stride)
        .map(|i| ((i % w) as f32 - cx, (i / w) as f32 - cy))
        .collect();
    let diag = ((w * w + h * h) as f32).sqrt();
    let nbins = diag.ceil() as usize + 3;
    let mut bins = vec![0u32; nbins];
    let offset = nbins as f32 / 2.0;
    let mut score = |deg: f32| -> f64 {
        let (s, c) = deg.to_radians().sin_cos();
        bins.iter_mut().for_each(|b| *b = 0);
        for (x, y) in &pts {
            let b = (y * c - x * s + offset) as usize;
            if let Some(v) = bins.get_mut(b) {
                *v += 1;
            }
        }
        bins.iter().map(|b| f64::from(*b) * f64::from(*b)).sum()
    };
    let max_deg = max_deg.clamp(0.0, 45.0);
    let steps = (max_deg / 0.5).floor() as i32;
    let mut best = (score(0.0), 0.0f32);
    for k in -steps..=steps {
        let a = k as f32 * 0.5;
        let s = score(a);
        if s > best.0 {
            best = (s, a);
        }
    }
    // Refine around the best so far: ±0.5° in 0.05° steps, then ±0.05° in 0.01° steps.
    for (span, step) in [(10, 0.05f32), (5, 0.01)] {
        let centre = best.1;
        for k in -span..=span {
            let a = centre + k as f32 * step;
            if k == 0 || a.abs() > max_deg {
                continue;
            }
            let s = score(a);
            if s > best.0 {
                best = (s, a);
            }
        }
    }
    best.1
}

/// Rotates interleaved 8-bit pixels so that lines at `deg` become horizontal (that is,
/// by −`deg`), bilinear, onto a canvas grown to hold the whole source. New area gets
/// `fill`. Returns the pixels and the new width and height. Images smaller than 2×2, or
/// a buffer too short for `w`×`h`×`ch`, come back unchanged.
pub fn rotate(src: &[u8], w: u32, h: u32, ch: usize, deg: f32, fill: &[u8]) -> (Vec<u8>, u32, u32) {
    let mut fill = fill.to_vec();
    fill.resize(ch.max(1), 0);
    if ch == 0 || src.len() < w as usize * h as usize * ch || w < 2 || h < 2 {
        // Nothing to interpolate from: return the input as it is.
        return (src.to_vec(), w, h);
    }
    let (s, c) = f64::from(deg).to_radians().sin_cos();
    let (wf, hf) = (f64::from(w), f64::from(h));
    let nw = (wf * c.abs() + hf * s.abs()).round().max(1.0) as u32;
    let nh = (wf * s.abs() + hf * c.abs()).round().max(1.0) as u32;
    let (scx, scy) = (wf / 2.0, hf / 2.0);
    let (dcx, dcy) = (f64::from(nw) / 2.0, f64::from(nh) / 2.0);
    let mut out = vec![0u8; nw as usize * nh as usize * ch];
    let stride = w as usize * ch;
    // Fixed point (1/256 pixel) for the inner loop.
    const ONE: i64 = 256;
    let (wmax, hmax) = (i64::from(w) - 1, i64::from(h) - 1);
    for y in 0..nh {
        let dy = f64::from(y) + 0.5 - dcy;
        let dx0 = 0.5 - dcx;
        // Source position of this row's first pixel, and its step per pixel.
        let mut sx = ((c * dx0 - s * dy + scx - 0.5) * ONE as f64) as i64;
        let mut sy = ((s * dx0 + c * dy + scy - 0.5) * ONE as f64) as i64;
        let (stx, sty) = ((c * ONE as f64) as i64, (s * ONE as f64) as i64);
        let row = &mut out[y as usize * nw as usize * ch..(y as usize + 1) * nw as usize * ch];
        for px in row.chunks_exact_mut(ch) {
            let (ix, iy) = (sx.div_euclid(ONE), sy.div_euclid(ONE));
            if ix >= 0 && iy >= 0 && ix < wmax && iy < hmax {
                let (fx, fy) = (sx.rem_euclid(ONE), sy.rem_euclid(ONE));
                let i00 = iy as usize * stride + ix as usize * ch;
                let i10 = i00 + ch;
                let i01 = i00 + stride;
                let i11 = i01 + ch;
                for k in 0..ch {
                    let top = i64::from(src[i00 + k]) * (ONE - fx) + i64::from(src[i10 + k]) * fx;
                    let bot = i64::from(src[i01 + k]) * (ONE - fx) + i64::from(src[i11 + k]) * fx;
                    px[k] = ((top * (ONE - fy) + bot * fy + ONE * ONE / 2) / (ONE * ONE)) as u8;
                }
            } else {
                px.copy_from_slice(&fill[..ch]);
            }
            sx += stx;
            sy += sty;
        }
    }
    (out, nw, nh)
}

/// Bounding box (x, y, w, h) of the page on a dark background, in `g`'s pixels.
fn page_box(g: &GrayImage, t: u8) -> Option<(u32, u32, u32, u32)> {
    let bg = background_mask(g, t, true);
    let (w, h) = (g.width() as usize, g.height() as usize);
    let mut rows = vec![0u32; h];
    let mut cols = vec![0u32; w];
    for (i, b) in bg.iter().enumerate() {
        if !b {
            rows[i / w] += 1;
            cols[i % w] += 1;
        }
    }
    // Rows and columns that cross the page; specks of dust do not count.
    let span = |v: &[u32]| -> Option<(usize, usize)> {
        let max = *v.iter().max()?;
        let min_count = (max / 10).max(3);
        let first = v.iter().position(|c| *c >= min_count)?;
        let last = v.iter().rposition(|c| *c >= min_count)?;
        Some((first, last))
    };
    let (x0, x1) = span(&cols)?;
    let (y0, y1) = span(&rows)?;
    Some((
        x0 as u32,
        y0 as u32,
        (x1 - x0 + 1) as u32,
        (y1 - y0 + 1) as u32,
    ))
}
