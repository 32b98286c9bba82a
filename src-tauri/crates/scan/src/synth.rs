//! Synthetic pages for tests and the benchmark: a white sheet with text-like lines and
//! a ruled line, optionally tilted and laid on a dark scanner bed. Deterministic.

use image::GrayImage;

use crate::pipeline::rotate;

/// A white page with a ruled line near the top (from 20% to 80% of the width, at 6% of
/// the height) and rows of dark "words" below it, generated from `seed`.
pub fn text_page(width: u32, height: u32, seed: u64) -> GrayImage {
    let mut img = GrayImage::from_pixel(width, height, image::Luma([250]));
    let mut state = seed | 1;
    let mut next = move || {
        // xorshift64: small, deterministic, good enough for word widths.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut fill = |x0: u32, y0: u32, x1: u32, y1: u32, v: u8| {
        for y in y0..y1.min(height) {
            for x in x0..x1.min(width) {
                img.put_pixel(x, y, image::Luma([v]));
            }
        }
    };
    let rule_h = (height / 600).max(2);
    let rule_y = height * 6 / 100;
    fill(width / 5, rule_y, width * 4 / 5, rule_y + rule_h, 20);
    let pitch = (height / 45).max(6);
    let text_h = pitch * 9 / 20;
    let (left, right) = (width / 10, width * 9 / 10);
    let mut y = height * 12 / 100;
    while y + pitch < height * 92 / 100 {
        let mut x = left;
        // A paragraph's last line is shorter.
        let end = if next() % 5 == 0 {
            left + (right - left) * 2 / 5
        } else {
            right
        };
        while x < end {
            let word = (width / 60) + (next() % u64::from((width / 16).max(1))) as u32;
            let x1 = (x + word).min(end);
            fill(x, y, x1, y + text_h, 30);
            x = x1 + (width / 90).max(2);
        }
        y += pitch;
    }
    img
}

/// Lays `page` on a dark bed (`margin` pixels around it) tilted by `deg` degrees
/// (positive: lines fall to the right).
pub fn on_bed(page: &GrayImage, deg: f32, margin: u32, bed: u8) -> GrayImage {
    let (w, h) = page.dimensions();
    let (data, rw, rh) = rotate(page.as_raw(), w, h, 1, -deg, &[bed]);
    let mut out = GrayImage::from_pixel(rw + 2 * margin, rh + 2 * margin, image::Luma([bed]));
    let rotated = GrayImage::from_raw(rw, rh, data).unwrap_or_else(|| GrayImage::new(rw, rh));
    image::imageops::replace(&mut out, &rotated, i64::from(margin), i64::from(margin));
    out
}
