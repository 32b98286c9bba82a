//! The diagonal watermark.
//!
//! It is drawn as filled glyph *outlines*, not as text: poppler and most
//! other extractors cannot assemble diagonal text into words, so real text
//! would scatter single characters through the extracted text of the notice
//! (and, with `pdftotext -layout`, split the notice's own lines). The same
//! string is additionally printed as small horizontal grey text in the top
//! margin, so a training print-out stays recognisable as such both on paper
//! and in its extracted text.

use printpdf::{
    Color, CurTransMat, Greyscale, LinePoint, Op, PaintMode, Point, Polygon, PolygonRing, Pt,
    WindingOrder,
};

use crate::font::Metrics;
use crate::{MM_PER_PT, PAGE_H, PAGE_W};

const ANGLE_DEG: f32 = 30.0;
/// Largest horizontal extent of one rotated tile.
const MAX_EXTENT: f32 = 150.0;
const MAX_SIZE_PT: f32 = 28.0;
const MIN_SIZE_PT: f32 = 12.0;
const GREY: f32 = 0.85;

/// Collects glyph outlines as polygon rings, in points, relative to the text
/// origin. Coordinates are rounded to 0.01 pt so repeated tiles serialise to
/// identical bytes (which deflate then compresses away).
struct Rings {
    rings: Vec<PolygonRing>,
    cur: Vec<LinePoint>,
    scale: f32,
    dx: f32,
    last: (f32, f32),
}

impl Rings {
    fn point(&self, x: f32, y: f32, bezier: bool) -> LinePoint {
        let r = |v: f32| (v * 100.0).round() / 100.0;
        LinePoint {
            p: Point {
                x: Pt(r(self.dx + x * self.scale)),
                y: Pt(r(y * self.scale)),
            },
            bezier,
        }
    }

    fn flush(&mut self) {
        if self.cur.len() > 1 {
            self.rings.push(PolygonRing {
                points: std::mem::take(&mut self.cur),
            });
        } else {
            self.cur.clear();
        }
    }
}

impl ttf_parser::OutlineBuilder for Rings {
    fn move_to(&mut self, x: f32, y: f32) {
        self.flush();
        let p = self.point(x, y, false);
        self.cur.push(p);
        self.last = (x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let p = self.point(x, y, false);
        self.cur.push(p);
        self.last = (x, y);
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        // Exact quadratic -> cubic conversion.
        let (x0, y0) = self.last;
        let c1 = (x0 + 2.0 / 3.0 * (x1 - x0), y0 + 2.0 / 3.0 * (y1 - y0));
        let c2 = (x + 2.0 / 3.0 * (x1 - x), y + 2.0 / 3.0 * (y1 - y));
        self.curve_to(c1.0, c1.1, c2.0, c2.1, x, y);
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let pts = [
            self.point(x1, y1, true),
            self.point(x2, y2, true),
            self.point(x, y, false),
        ];
        self.cur.extend(pts);
        self.last = (x, y);
    }

    fn close(&mut self) {
        self.flush();
    }
}

/// Ops that paint the watermark tiles over the page (to be placed before the
/// page content, so the content is drawn on top).
pub(crate) fn tiles(m: &Metrics, text: &str) -> Vec<Op> {
    let (sin, cos) = ANGLE_DEG.to_radians().sin_cos();
    let mut text: String = text.chars().filter(|c| *c != '\n').collect();
    let mut size = MAX_SIZE_PT;
    let mut w = m.width_mm(&text, size);
    if w * cos > MAX_EXTENT {
        size = (size * MAX_EXTENT / (w * cos)).max(MIN_SIZE_PT);
        // Keep the longest prefix that fits (at least one character).
        let mut acc = 0.0;
        let mut end = 0;
        for (i, c) in text.char_indices() {
            let cw = m.char_width_mm(c, size);
            if i > 0 && (acc + cw) * cos > MAX_EXTENT {
                break;
            }
            acc += cw;
            end = i + c.len_utf8();
        }
        text.truncate(end);
        w = m.width_mm(&text, size);
    }
    if w <= 0.0 {
        return Vec::new();
    }

    // The glyph outlines of one tile, origin at the text's baseline start.
    let mut rings = Rings {
        rings: Vec::new(),
        cur: Vec::new(),
        scale: size / m.units_per_em(),
        dx: 0.0,
        last: (0.0, 0.0),
    };
    let mut pen = 0.0_f32; // pt
    for c in text.chars() {
        rings.dx = pen;
        if m.outline(c, &mut rings) {
            rings.flush();
        }
        pen += m.advance_em(c) * size;
    }
    if rings.rings.is_empty() {
        return Vec::new();
    }
    let polygon = Polygon {
        rings: rings.rings,
        mode: PaintMode::Fill,
        winding_order: WindingOrder::NonZero,
    };

    // Tile grid, centred on the page and kept inside it.
    let s = size * MM_PER_PT;
    let h = (m.ascender + m.descender) * s;
    let ext_w = w * cos + h * sin;
    let ext_h = w * sin + h * cos;
    let (gap_x, gap_y, edge) = (14.0_f32, 24.0_f32, 8.0_f32);
    let fit =
        |avail: f32, ext: f32, gap: f32| (((avail + gap) / (ext + gap)).floor() as usize).max(1);
    let cols = fit(PAGE_W - 2.0 * edge, ext_w, gap_x).min(8);
    let rows = fit(PAGE_H - 2.0 * edge, ext_h, gap_y).min(16);
    let total_w = cols as f32 * ext_w + (cols - 1) as f32 * gap_x;
    let total_h = rows as f32 * ext_h + (rows - 1) as f32 * gap_y;
    let x0 = (PAGE_W - total_w) / 2.0 + ext_w / 2.0;
    let y0 = (PAGE_H - total_h) / 2.0 + ext_h / 2.0;
    // Offset from the text's centre to its origin, rotated (page space, y up).
    let (u, v) = (w / 2.0, (m.ascender - m.descender) * s / 2.0);
    let (dx, dy) = (u * cos - v * sin, u * sin + v * cos);

    let mut ops = Vec::with_capacity(rows * cols * 4 + 3);
    ops.push(Op::SaveGraphicsState);
    ops.push(Op::SetFillColor {
        col: Color::Greyscale(Greyscale::new(GREY, None)),
    });
    for r in 0..rows {
        for col in 0..cols {
            let cx = x0 + col as f32 * (ext_w + gap_x);
            let cy = PAGE_H - (y0 + r as f32 * (ext_h + gap_y));
            let (ox, oy) = ((cx - dx) / MM_PER_PT, (cy - dy) / MM_PER_PT);
            ops.extend([
                Op::SaveGraphicsState,
                Op::SetTransformationMatrix {
                    matrix: CurTransMat::Raw([cos, sin, -sin, cos, ox, oy]),
                },
                Op::DrawPolygon {
                    polygon: polygon.clone(),
                },
                Op::RestoreGraphicsState,
            ]);
        }
    }
    ops.push(Op::RestoreGraphicsState);
    ops
}
