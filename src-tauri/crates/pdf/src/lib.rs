//! `yichuang-pdf`: renders A4 official notices (受理通知书, 补正通知书, …) with
//! Chinese text into PDF bytes.
//!
//! Generic and UI-free: the caller describes the document with a
//! [`DocumentSpec`] and gets the PDF back from [`render`]. The embedded font
//! (WenQuanYi Micro Hei, face 0) is subset into the output, so a one-page
//! notice is a few tens of KB, and all text is extractable with its Unicode
//! (a `/ToUnicode` map is written for every glyph).
//!
//! Layout (top to bottom): hall name, title, document number and a rule,
//! addressee, body paragraphs (first-line indent of two characters),
//! label/value field table, optional data table, closing lines, signature
//! block (right side) and a QR code at the bottom right of the last page.
//! Content that does not fit continues on further A4 pages (with a
//! "第 i 页 共 n 页" footer); nothing is drawn outside the page.
//!
//! No input makes [`render`] panic: characters the font lacks are drawn as
//! '□' (use [`font_covers`] to detect that beforehand), control and invisible
//! formatting characters are dropped, and long values wrap.

mod font;
mod watermark;
mod wrap;

use printpdf::{
    Color, FontId, Greyscale, Line as PdfLine, LinePoint, Mm, Op, PaintMode, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, RawImage, Rect,
    TextItem, TextRenderingMode, WindingOrder, XObjectId, XObjectTransform,
};

use crate::font::Metrics;
use crate::wrap::{Line, wrap};

/// Everything that goes on a notice. All fields are optional in the sense
/// that empty strings / vectors are simply skipped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentSpec {
    /// Issuing hall, printed centred as the header line above the title,
    /// e.g. "乌鲁木齐市天山区政务服务中心".
    pub hall_name: String,
    /// Document title, large and centred, e.g. "受理通知书".
    pub title: String,
    /// Document number, right-aligned under the title, e.g. "文书编号：…".
    pub doc_no: Option<String>,
    /// Salutation line, e.g. "张喆：".
    pub addressee: Option<String>,
    /// Body paragraphs, wrapped to the page width with a two-character
    /// first-line indent. `'\n'` inside a paragraph is a hard line break.
    pub paragraphs: Vec<String>,
    /// Label/value rows of a two-column bordered table; long values wrap
    /// inside their cell.
    pub fields: Vec<(String, String)>,
    /// Optional data table (e.g. materials received).
    pub table: Option<Table>,
    /// Encoded as a QR code (EC level M), ~30 mm, at the bottom right of the
    /// last page. `Some("")` is treated as no QR code.
    pub qr_payload: Option<String>,
    /// Small text under the QR code, e.g. "扫码查询办件" (max. 4 lines).
    pub qr_caption: Option<String>,
    /// Lines after the tables, e.g. notes to the applicant.
    pub closing: Vec<String>,
    /// Right-side block at the bottom: department name, date, … Lines are
    /// centred on each other, as in Chinese official documents.
    pub signature: Vec<String>,
    /// Large light-grey diagonal text repeated over every page, behind the
    /// content, e.g. "培训演示 · 非正式文书".
    pub watermark: Option<String>,
    /// The hall's logo (PNG bytes), printed at the left of the header line,
    /// 12 mm high, on the first page.
    pub logo: Option<Vec<u8>>,
    /// The seal (PNG bytes, normally red on a transparent background),
    /// printed 40 mm across, centred over the signature block, as a stamped
    /// seal overlaps the department's name.
    pub seal: Option<Vec<u8>>,
}

/// The most an image may weigh and measure: a logo or a seal is a small
/// picture, and a larger one is almost certainly the wrong file.
pub const IMAGE_MAX_BYTES: usize = 2 * 1024 * 1024;
pub const IMAGE_MAX_PX: usize = 3000;

/// Checks that `bytes` is a PNG image fit for a logo or a seal, returning its
/// size in pixels.
pub fn check_image(bytes: &[u8]) -> Result<(usize, usize), PdfError> {
    decode_image(bytes).map(|i| (i.width, i.height))
}

fn decode_image(bytes: &[u8]) -> Result<RawImage, PdfError> {
    if bytes.len() > IMAGE_MAX_BYTES {
        return Err(PdfError::Image(format!(
            "图片过大（{} KB），请使用不超过 {} KB 的 PNG 图片",
            bytes.len() / 1024,
            IMAGE_MAX_BYTES / 1024
        )));
    }
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(PdfError::Image(
            "不是 PNG 图片，请另存为 PNG 格式后再选择".into(),
        ));
    }
    let mut warnings = Vec::new();
    let image = RawImage::decode_from_bytes(bytes, &mut warnings)
        .map_err(|e| PdfError::Image(format!("PNG 图片已损坏，无法读取（{e}）")))?;
    if image.width == 0
        || image.height == 0
        || image.width > IMAGE_MAX_PX
        || image.height > IMAGE_MAX_PX
    {
        return Err(PdfError::Image(format!(
            "图片尺寸为 {}×{} 像素，应在 1 至 {IMAGE_MAX_PX} 像素之间",
            image.width, image.height
        )));
    }
    Ok(image)
}

/// A bordered table with a shaded header row. Cells wrap.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Header cells; may be empty (no header row).
    pub headers: Vec<String>,
    /// Body rows; rows shorter than the widest row get empty cells.
    pub rows: Vec<Vec<String>>,
    /// Column width fractions (summing to ~1). Missing, zero, negative or
    /// non-finite entries fall back to the mean of the valid ones; the result
    /// is normalised to the content width.
    pub widths: Vec<f32>,
}

/// Errors from [`render`].
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The font compiled into the crate could not be parsed (a build defect,
    /// not an input problem).
    #[error("embedded font unavailable: {0}")]
    FontUnavailable(&'static str),
    /// The QR payload cannot be encoded (typically: too long for a QR code
    /// at error-correction level M, i.e. more than ~2300 bytes).
    #[error("QR payload of {len} bytes cannot be encoded: {reason}")]
    QrPayload { len: usize, reason: String },
    /// printpdf produced no output.
    #[error("PDF serialisation produced no output")]
    Serialize,
    /// A logo or seal image is not a usable PNG (message in Chinese: an admin
    /// reads it when choosing the file).
    #[error("{0}")]
    Image(String),
}

/// Renders `spec` to PDF bytes (A4 portrait, one or more pages).
pub fn render(spec: &DocumentSpec) -> Result<Vec<u8>, PdfError> {
    let m = font::metrics_or_err()?;
    let parsed = font::pdf_font()?;

    let qr = match spec.qr_payload.as_deref() {
        Some(p) if !p.is_empty() => Some(QrMatrix::encode(p)?),
        _ => None,
    };

    let title_meta = m.sanitize(&spec.title, false);
    let mut doc = PdfDocument::new(title_meta.trim());
    let now = printpdf::DateTime::now();
    let info = &mut doc.metadata.info;
    info.creation_date = now;
    info.modification_date = now;
    info.metadata_date = now;
    info.producer = concat!("yichuang-pdf ", env!("CARGO_PKG_VERSION")).into();
    let font_id = doc.add_font(parsed);

    let watermark = spec
        .watermark
        .as_deref()
        .map(|w| m.sanitize(w, false).trim().to_string())
        .filter(|w| !w.is_empty());
    let mut place_image = |bytes: &Option<Vec<u8>>| -> Result<Option<Placed>, PdfError> {
        match bytes.as_deref() {
            Some(b) if !b.is_empty() => {
                let image = decode_image(b)?;
                let (w, h) = (image.width as f32, image.height as f32);
                Ok(Some(Placed {
                    id: doc.add_image(&image),
                    aspect: h / w,
                    px_w: w,
                }))
            }
            _ => Ok(None),
        }
    };
    let images = Images {
        logo: place_image(&spec.logo)?,
        seal: place_image(&spec.seal)?,
    };
    let mut c = Canvas::new(m, font_id, watermark);

    layout(&mut c, spec, qr.as_ref(), &images);

    let pages: Vec<PdfPage> = c
        .finish()
        .into_iter()
        .map(|ops| PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops))
        .collect();
    let mut warnings = Vec::new();
    let opts = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    let bytes = doc.with_pages(pages).save(&opts, &mut warnings);
    if bytes.is_empty() {
        return Err(PdfError::Serialize);
    }
    Ok(bytes)
}

/// True if the embedded font has a glyph for every character of `text`
/// (vacuously true for ""). Use it to validate names before printing:
/// characters it rejects would be printed as '□'. Control characters
/// (including '\n' and '\t') are never "covered".
pub fn font_covers(text: &str) -> bool {
    font::covers(text)
}

// ---------------------------------------------------------------------------
// Page geometry and typography (millimetres unless noted; sizes in pt)

pub(crate) const MM_PER_PT: f32 = 25.4 / 72.0;
const PT_PER_MM: f32 = 72.0 / 25.4;

pub(crate) const PAGE_W: f32 = 210.0;
pub(crate) const PAGE_H: f32 = 297.0;
const MARGIN_L: f32 = 25.0;
const MARGIN_R: f32 = 25.0;
const MARGIN_T: f32 = 25.0;
const MARGIN_B: f32 = 22.0;
const CONTENT_W: f32 = PAGE_W - MARGIN_L - MARGIN_R;
const RIGHT: f32 = PAGE_W - MARGIN_R;
const BOTTOM: f32 = PAGE_H - MARGIN_B;

const HALL_SIZE: f32 = 15.0;
const TITLE_SIZE: f32 = 22.0; // 二号
const DOCNO_SIZE: f32 = 10.5; // 五号
const BODY_SIZE: f32 = 12.0; // 小四
const CELL_SIZE: f32 = 10.5;
const CLOSING_SIZE: f32 = 10.5;
const SIG_SIZE: f32 = 12.0;
const CAPTION_SIZE: f32 = 9.0;
const FOOTER_SIZE: f32 = 9.0;
const WM_LABEL_SIZE: f32 = 9.0;

const CELL_PAD_H: f32 = 2.0;
const CELL_PAD_V: f32 = 1.6;
const BORDER_PT: f32 = 0.6;

const QR_SIZE: f32 = 30.0;
/// Clear space kept around the QR code (≥ 4 modules for any version ≤ 25).
const QR_QUIET: f32 = 4.0;
const QR_CAPTION_MAX_LINES: usize = 4;
/// Horizontal gap between a signature block and the QR code beside it.
const SIG_QR_GAP: f32 = 8.0;
/// Blank space above the signature (room for the seal).
const SIG_GAP: f32 = 12.0;

fn pt(mm: f32) -> Pt {
    Pt(mm * PT_PER_MM)
}

/// Rectangle given by its top-left corner (distance from the top edge).
fn rect_op(x: f32, top: f32, w: f32, h: f32, mode: PaintMode) -> Op {
    Op::DrawRectangle {
        rectangle: Rect {
            x: pt(x),
            y: pt(PAGE_H - top - h),
            width: pt(w),
            height: pt(h),
            mode: Some(mode),
            winding_order: Some(WindingOrder::NonZero),
        },
    }
}

fn size_mm(size_pt: f32) -> f32 {
    size_pt * MM_PER_PT
}

fn line_height(size_pt: f32, factor: f32) -> f32 {
    size_mm(size_pt) * factor
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Align {
    Left,
    Center,
}

// ---------------------------------------------------------------------------
// Canvas: pages of ops plus a vertical cursor

struct Canvas {
    m: &'static Metrics,
    font: FontId,
    pages: Vec<Vec<Op>>,
    /// Cursor: distance from the top edge of the current page.
    y: f32,
    watermark_ops: Vec<Op>,
    /// Areas of the current page already drawn on: `[x1, top, x2, bottom]`.
    boxes: Vec<[f32; 4]>,
}

impl Canvas {
    fn new(m: &'static Metrics, font: FontId, watermark: Option<String>) -> Self {
        let mut c = Canvas {
            m,
            font,
            pages: Vec::new(),
            y: MARGIN_T,
            watermark_ops: Vec::new(),
            boxes: Vec::new(),
        };
        if let Some(w) = watermark {
            c.watermark_ops = c.watermark(&w);
        }
        c.new_page();
        c
    }

    fn new_page(&mut self) {
        self.pages.push(self.watermark_ops.clone());
        self.y = MARGIN_T;
        self.boxes.clear();
    }

    /// Whether `r` (`[x1, top, x2, bottom]`) overlaps anything drawn on the
    /// current page.
    fn occupied(&self, r: [f32; 4]) -> bool {
        self.boxes.iter().any(|b| overlaps(*b, r))
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn at_top(&self) -> bool {
        self.y <= MARGIN_T + 0.01
    }

    /// Starts a new page unless `h` more millimetres fit on this one (or we
    /// are already at the top of a page, where nothing better is possible).
    fn ensure(&mut self, h: f32) {
        if self.y + h > BOTTOM + 0.01 && !self.at_top() {
            self.new_page();
        }
    }

    /// Adds vertical space, but never carries it over to a new page.
    fn gap(&mut self, h: f32) {
        if !self.at_top() {
            self.y = (self.y + h).min(BOTTOM);
        }
    }

    /// Ops drawing `text` with its baseline at `baseline` (from the top);
    /// `spacing` is extra space after each character in mm (justification).
    fn text_ops(
        &self,
        x: f32,
        baseline: f32,
        size: f32,
        text: &str,
        bold: bool,
        spacing: f32,
    ) -> Vec<Op> {
        let mut ops = Vec::with_capacity(10);
        if bold {
            // Faux bold: fill + thin stroke of the outline.
            ops.push(Op::SaveGraphicsState);
            ops.push(Op::SetTextRenderingMode {
                mode: TextRenderingMode::FillStroke,
            });
            ops.push(Op::SetOutlineThickness {
                pt: Pt(size * 0.025),
            });
        }
        ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(self.font.clone()),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point {
                    x: pt(x),
                    y: pt(PAGE_H - baseline),
                },
            },
        ]);
        if spacing != 0.0 {
            ops.push(Op::SetCharacterSpacing {
                multiplier: spacing * PT_PER_MM,
            });
        }
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.to_string())],
        });
        if spacing != 0.0 {
            ops.push(Op::SetCharacterSpacing { multiplier: 0.0 });
        }
        ops.push(Op::EndTextSection);
        if bold {
            ops.push(Op::RestoreGraphicsState);
        }
        ops
    }

    /// Baseline for text of `size` vertically centred in a line box.
    fn baseline(&self, top: f32, lh: f32, size: f32) -> f32 {
        let s = size_mm(size);
        let glyph_h = (self.m.ascender + self.m.descender) * s;
        top + (lh - glyph_h) / 2.0 + self.m.ascender * s
    }

    /// Draws `line` in the line box whose top is `top`, starting at `x`.
    /// With `justify_to` (mm available from `x`), wrapped lines are spread to
    /// that width when only a little space is missing.
    #[allow(clippy::too_many_arguments)]
    fn line_in_box(
        &mut self,
        x: f32,
        top: f32,
        lh: f32,
        size: f32,
        line: &Line,
        bold: bool,
        justify_to: Option<f32>,
    ) {
        if line.text.trim().is_empty() {
            return;
        }
        let mut spacing = 0.0;
        let mut width = line.width;
        if let Some(avail) = justify_to {
            let gaps = line.text.chars().count().saturating_sub(1);
            let slack = avail - line.width;
            // Beyond ~0.08 em per gap, text extractors start to see spaces.
            if line.wrapped
                && gaps > 0
                && slack > 0.0
                && slack / gaps as f32 <= 0.08 * size_mm(size)
            {
                spacing = slack / gaps as f32;
                width = avail;
            }
        }
        let base = self.baseline(top, lh, size);
        let ops = self.text_ops(x, base, size, &line.text, bold, spacing);
        self.ops().extend(ops);
        self.boxes.push([x, top, x + width, top + lh]);
    }

    fn text_in_box(&mut self, x: f32, top: f32, lh: f32, size: f32, text: &str, bold: bool) {
        let line = Line {
            text: text.to_string(),
            width: self.m.width_mm(text, size),
            indent: 0.0,
            wrapped: false,
        };
        self.line_in_box(x, top, lh, size, &line, bold, None);
    }

    /// Flows lines at the cursor, `x_of` giving each line's left edge; with
    /// `justify_right`, wrapped lines are justified up to that x.
    fn flow_lines(
        &mut self,
        lines: &[Line],
        size: f32,
        lh: f32,
        bold: bool,
        justify_right: Option<f32>,
        x_of: impl Fn(&Line) -> f32,
    ) {
        for l in lines {
            self.ensure(lh);
            let y = self.y;
            let x = x_of(l);
            self.line_in_box(x, y, lh, size, l, bold, justify_right.map(|r| r - x));
            self.y += lh;
        }
    }

    fn hline(&mut self, x1: f32, x2: f32, y: f32, width_pt: f32) {
        let p = |x: f32| LinePoint {
            p: Point {
                x: pt(x),
                y: pt(PAGE_H - y),
            },
            bezier: false,
        };
        let ops = [
            Op::SetOutlineColor {
                col: Color::Greyscale(Greyscale::new(0.0, None)),
            },
            Op::SetOutlineThickness { pt: Pt(width_pt) },
            Op::DrawLine {
                line: PdfLine {
                    points: vec![p(x1), p(x2)],
                    is_closed: false,
                },
            },
        ];
        self.ops().extend(ops);
        self.boxes.push([x1.min(x2), y - 0.5, x1.max(x2), y + 0.5]);
    }

    /// Watermark tiles plus the small horizontal label in the top margin.
    fn watermark(&self, text: &str) -> Vec<Op> {
        let mut ops = watermark::tiles(self.m, text);
        let label = wrap(self.m, text, WM_LABEL_SIZE, CONTENT_W, 0.0);
        if let Some(l) = label.first() {
            ops.push(Op::SaveGraphicsState);
            ops.push(Op::SetFillColor {
                col: Color::Greyscale(Greyscale::new(0.45, None)),
            });
            ops.extend(self.text_ops(MARGIN_L, 14.0, WM_LABEL_SIZE, &l.text, false, 0.0));
            ops.push(Op::RestoreGraphicsState);
        }
        ops
    }

    /// Draws one table row (cells side by side), splitting it across pages
    /// if it is taller than the remaining space.
    fn row(&mut self, cells: &[Cell], size: f32, lh: f32) {
        let n_lines = cells
            .iter()
            .map(|c| c.lines.len())
            .max()
            .unwrap_or(1)
            .max(1);
        let full_h = n_lines as f32 * lh + 2.0 * CELL_PAD_V;
        if self.y + full_h > BOTTOM && !self.at_top() && full_h <= BOTTOM - MARGIN_T {
            self.new_page();
        }
        if self.y + full_h <= BOTTOM + 0.01 {
            self.row_chunk(cells, 0, n_lines, full_h, size, lh, true);
            self.y += full_h;
            return;
        }
        // Taller than a page: split, top-aligned.
        let mut from = 0;
        while from < n_lines {
            let avail = BOTTOM - self.y - 2.0 * CELL_PAD_V;
            let mut k = (avail / lh).floor().max(0.0) as usize;
            if k == 0 {
                if self.at_top() {
                    k = 1; // cannot happen with A4 geometry; guarantees progress
                } else {
                    self.new_page();
                    continue;
                }
            }
            let k = k.min(n_lines - from);
            let h = k as f32 * lh + 2.0 * CELL_PAD_V;
            self.row_chunk(cells, from, k, h, size, lh, false);
            self.y += h;
            from += k;
            if from < n_lines {
                self.new_page();
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn row_chunk(
        &mut self,
        cells: &[Cell],
        from: usize,
        count: usize,
        h: f32,
        size: f32,
        lh: f32,
        center_v: bool,
    ) {
        let top = self.y;
        for c in cells {
            if let Some(g) = c.fill {
                let r = rect_op(c.x, top, c.w, h, PaintMode::Fill);
                self.ops().extend([
                    Op::SaveGraphicsState,
                    Op::SetFillColor {
                        col: Color::Greyscale(Greyscale::new(g, None)),
                    },
                    r,
                    Op::RestoreGraphicsState,
                ]);
            }
        }
        for c in cells {
            let lines: Vec<&Line> = c.lines.iter().skip(from).take(count).collect();
            let used = lines.len() as f32 * lh;
            let mut y = top + CELL_PAD_V;
            if center_v {
                y += (h - 2.0 * CELL_PAD_V - used).max(0.0) / 2.0;
            }
            let inner_w = (c.w - 2.0 * CELL_PAD_H).max(0.0);
            for l in lines {
                let x = c.x
                    + CELL_PAD_H
                    + match c.align {
                        Align::Left => 0.0,
                        Align::Center => ((inner_w - l.width) / 2.0).max(0.0),
                    };
                self.line_in_box(x, y, lh, size, l, c.bold, None);
                y += lh;
            }
        }
        let mut borders = vec![
            Op::SetOutlineColor {
                col: Color::Greyscale(Greyscale::new(0.0, None)),
            },
            Op::SetOutlineThickness { pt: Pt(BORDER_PT) },
        ];
        for c in cells {
            borders.push(rect_op(c.x, top, c.w, h, PaintMode::Stroke));
            self.boxes.push([c.x, top, c.x + c.w, top + h]);
        }
        self.ops().extend(borders);
    }

    /// Adds "第 i 页 共 n 页" footers when there is more than one page and
    /// returns the pages.
    fn finish(mut self) -> Vec<Vec<Op>> {
        let n = self.pages.len();
        if n > 1 {
            for i in 0..n {
                let t = format!("第 {} 页 共 {} 页", i + 1, n);
                let w = self.m.width_mm(&t, FOOTER_SIZE);
                let ops = self.text_ops(
                    (PAGE_W - w) / 2.0,
                    PAGE_H - 11.0,
                    FOOTER_SIZE,
                    &t,
                    false,
                    0.0,
                );
                self.pages[i].extend(ops);
            }
        }
        self.pages
    }
}

struct Cell {
    x: f32,
    w: f32,
    lines: Vec<Line>,
    align: Align,
    fill: Option<f32>,
    bold: bool,
}

// ---------------------------------------------------------------------------
// QR code

struct QrMatrix {
    width: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    fn encode(payload: &str) -> Result<Self, PdfError> {
        let code = Self::code(payload).map_err(|e| PdfError::QrPayload {
            len: payload.len(),
            reason: e.to_string(),
        })?;
        let width = code.width();
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect();
        Ok(QrMatrix { width, dark })
    }

    /// ASCII payloads (URLs) are encoded as usual. Others are byte mode with
    /// an ECI 26 (UTF-8) designator, in the smallest version that fits, so
    /// decoders do not guess another charset (zbar would pick Shift-JIS).
    fn code(payload: &str) -> Result<qrcode::QrCode, qrcode::types::QrError> {
        use qrcode::{EcLevel, QrCode, Version, bits::Bits, types::QrError};
        if payload.is_ascii() {
            return QrCode::with_error_correction_level(payload, EcLevel::M);
        }
        for v in 1..=40 {
            let mut bits = Bits::new(Version::Normal(v));
            let fits = bits.push_eci_designator(26).is_ok()
                && bits.push_byte_data(payload.as_bytes()).is_ok()
                && bits.push_terminator(EcLevel::M).is_ok();
            if fits {
                return QrCode::with_bits(bits, EcLevel::M);
            }
        }
        Err(QrError::DataTooLong)
    }

    /// One filled path: a rectangle per horizontal run of dark modules.
    fn ops(&self, x: f32, top: f32, size: f32) -> Vec<Op> {
        let n = self.width.max(1);
        let module = size / n as f32;
        let mut rings = Vec::new();
        for (r, row) in self.dark.chunks(n).enumerate() {
            let mut c = 0;
            while c < row.len() {
                if !row[c] {
                    c += 1;
                    continue;
                }
                let start = c;
                while c < row.len() && row[c] {
                    c += 1;
                }
                let x1 = x + start as f32 * module;
                let x2 = x + c as f32 * module;
                let y1 = PAGE_H - (top + r as f32 * module);
                let y2 = PAGE_H - (top + (r + 1) as f32 * module);
                let p = |x: f32, y: f32| LinePoint {
                    p: Point { x: pt(x), y: pt(y) },
                    bezier: false,
                };
                rings.push(PolygonRing {
                    points: vec![p(x1, y1), p(x2, y1), p(x2, y2), p(x1, y2)],
                });
            }
        }
        // White quiet zone first, so a watermark never shows through.
        let q = QR_QUIET.min(3.0);
        let white = rect_op(
            x - q,
            top - q,
            size + 2.0 * q,
            size + 2.0 * q,
            PaintMode::Fill,
        );
        vec![
            Op::SaveGraphicsState,
            Op::SetFillColor {
                col: Color::Greyscale(Greyscale::new(1.0, None)),
            },
            white,
            Op::SetFillColor {
                col: Color::Greyscale(Greyscale::new(0.0, None)),
            },
            Op::DrawPolygon {
                polygon: Polygon {
                    rings,
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            },
            Op::RestoreGraphicsState,
        ]
    }
}

// ---------------------------------------------------------------------------
// Document layout

/// Whether two `[x1, top, x2, bottom]` rectangles overlap.
fn overlaps(a: [f32; 4], b: [f32; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

fn non_empty(s: &str) -> bool {
    !s.trim().is_empty()
}

/// An image added to the document, ready to be placed.
struct Placed {
    id: XObjectId,
    /// Height / width.
    aspect: f32,
    px_w: f32,
}

impl Placed {
    /// The op drawing the image `w` mm wide with its top-left corner at
    /// (`x`, `top`) (from the page's top-left).
    fn op(&self, x: f32, top: f32, w: f32) -> Op {
        let h = w * self.aspect;
        Op::UseXobject {
            id: self.id.clone(),
            transform: XObjectTransform {
                translate_x: Some(pt(x)),
                translate_y: Some(pt(PAGE_H - top - h)),
                // At this dpi the image's pixel width is exactly `w` mm.
                dpi: Some(self.px_w * 25.4 / w),
                ..XObjectTransform::default()
            },
        }
    }
}

struct Images {
    logo: Option<Placed>,
    seal: Option<Placed>,
}

const LOGO_H: f32 = 12.0;
const SEAL_W: f32 = 40.0;

fn layout(c: &mut Canvas, spec: &DocumentSpec, qr: Option<&QrMatrix>, images: &Images) {
    let m = c.m;

    // Logo at the left of the header, level with the hall name.
    if let Some(logo) = &images.logo {
        let w = (LOGO_H / logo.aspect).min(CONTENT_W / 4.0);
        let top = c.y - 2.0;
        let op = logo.op(MARGIN_L, top, w);
        c.ops().push(op);
        c.boxes
            .push([MARGIN_L, top, MARGIN_L + w, top + w * logo.aspect]);
    }

    // Header: hall name, title, document number, rule.
    let mut header = false;
    if non_empty(&spec.hall_name) {
        let lh = line_height(HALL_SIZE, 1.5);
        let lines = wrap(
            m,
            &m.sanitize(&spec.hall_name, false),
            HALL_SIZE,
            CONTENT_W,
            0.0,
        );
        c.flow_lines(&lines, HALL_SIZE, lh, false, None, |l| {
            MARGIN_L + (CONTENT_W - l.width) / 2.0
        });
        c.gap(1.5);
        header = true;
    }
    if non_empty(&spec.title) {
        let lh = line_height(TITLE_SIZE, 1.45);
        // Letter-spaced short titles ("受 理 通 知 书") would change the
        // extracted text; keep the title verbatim.
        let lines = wrap(
            m,
            &m.sanitize(&spec.title, false),
            TITLE_SIZE,
            CONTENT_W,
            0.0,
        );
        c.flow_lines(&lines, TITLE_SIZE, lh, true, None, |l| {
            MARGIN_L + (CONTENT_W - l.width) / 2.0
        });
        c.gap(1.0);
        header = true;
    }
    if let Some(no) = spec.doc_no.as_deref().filter(|s| non_empty(s)) {
        let lh = line_height(DOCNO_SIZE, 1.5);
        let lines = wrap(m, &m.sanitize(no, false), DOCNO_SIZE, CONTENT_W, 0.0);
        c.flow_lines(&lines, DOCNO_SIZE, lh, false, None, |l| RIGHT - l.width);
        header = true;
    }
    if header {
        c.ensure(3.0);
        c.y += 1.2;
        let y = c.y;
        c.hline(MARGIN_L, RIGHT, y, 1.0);
        c.y += 5.0;
    }

    // Addressee and body.
    let body_lh = line_height(BODY_SIZE, 1.75);
    if let Some(a) = spec.addressee.as_deref().filter(|s| non_empty(s)) {
        let lines = wrap(m, &m.sanitize(a, true), BODY_SIZE, CONTENT_W, 0.0);
        c.flow_lines(&lines, BODY_SIZE, body_lh, false, Some(RIGHT), |_| MARGIN_L);
    }
    let indent = 2.0 * m.char_width_mm('字', BODY_SIZE);
    for p in spec.paragraphs.iter().filter(|p| non_empty(p)) {
        let lines = wrap(m, &m.sanitize(p, true), BODY_SIZE, CONTENT_W, indent);
        c.flow_lines(&lines, BODY_SIZE, body_lh, false, Some(RIGHT), |l| {
            MARGIN_L + l.indent
        });
    }

    // Label/value table.
    if !spec.fields.is_empty() {
        c.gap(3.0);
        fields_table(c, &spec.fields);
    }

    // Data table.
    if let Some(t) = &spec.table
        && (!t.headers.is_empty() || t.rows.iter().any(|r| !r.is_empty()))
    {
        c.gap(5.0);
        data_table(c, t);
    }

    // Closing lines.
    let closing: Vec<&String> = spec.closing.iter().filter(|s| non_empty(s)).collect();
    if !closing.is_empty() {
        c.gap(4.0);
        let lh = line_height(CLOSING_SIZE, 1.7);
        for s in closing {
            let lines = wrap(m, &m.sanitize(s, true), CLOSING_SIZE, CONTENT_W, 0.0);
            c.flow_lines(&lines, CLOSING_SIZE, lh, false, Some(RIGHT), |_| MARGIN_L);
        }
    }

    signature_and_qr(c, spec, qr, images.seal.as_ref());
}

fn fields_table(c: &mut Canvas, fields: &[(String, String)]) {
    let m = c.m;
    let lh = line_height(CELL_SIZE, 1.5);
    let labels: Vec<String> = fields.iter().map(|(l, _)| m.sanitize(l, true)).collect();
    let widest = labels
        .iter()
        .flat_map(|l| l.split('\n'))
        .map(|l| m.width_mm(l, CELL_SIZE))
        .fold(0.0_f32, f32::max);
    let label_w = (widest + 2.0 * CELL_PAD_H + 1.0).clamp(26.0, CONTENT_W * 0.4);
    let value_w = CONTENT_W - label_w;
    for ((_, value), label) in fields.iter().zip(labels) {
        let cells = [
            Cell {
                x: MARGIN_L,
                w: label_w,
                lines: wrap(m, &label, CELL_SIZE, label_w - 2.0 * CELL_PAD_H, 0.0),
                align: Align::Left,
                fill: Some(0.93),
                bold: false,
            },
            Cell {
                x: MARGIN_L + label_w,
                w: value_w,
                lines: wrap(
                    m,
                    &m.sanitize(value, true),
                    CELL_SIZE,
                    value_w - 2.0 * CELL_PAD_H,
                    0.0,
                ),
                align: Align::Left,
                fill: None,
                bold: false,
            },
        ];
        c.row(&cells, CELL_SIZE, lh);
    }
}

/// Column widths in mm for `n` columns from caller-supplied fractions.
fn column_widths(fractions: &[f32], n: usize, total: f32) -> Vec<f32> {
    if n == 0 {
        return Vec::new();
    }
    let valid = |w: &f32| w.is_finite() && *w > 0.0;
    let good: Vec<f32> = fractions.iter().take(n).copied().filter(valid).collect();
    let fallback = if good.is_empty() {
        1.0
    } else {
        good.iter().sum::<f32>() / good.len() as f32
    };
    let raw: Vec<f32> = (0..n)
        .map(|i| fractions.get(i).copied().filter(valid).unwrap_or(fallback))
        .collect();
    let sum: f32 = raw.iter().sum();
    let mut w: Vec<f32> = if sum.is_finite() && sum > 0.0 {
        raw.iter().map(|r| r / sum * total).collect()
    } else {
        vec![total / n as f32; n]
    };
    // Keep every column at least wide enough for one character, taking the
    // space proportionally from the wider columns.
    let min_w = (2.0 * CELL_PAD_H + 4.5).min(total / n as f32);
    let deficit: f32 = w.iter().filter(|x| **x < min_w).map(|x| min_w - x).sum();
    if deficit > 0.0 {
        let wide: f32 = w.iter().filter(|x| **x >= min_w).sum();
        let scale = if wide > 0.0 {
            ((wide - deficit) / wide).max(0.0)
        } else {
            1.0
        };
        for x in &mut w {
            *x = if *x < min_w { min_w } else { *x * scale };
        }
    }
    w
}

fn data_table(c: &mut Canvas, t: &Table) {
    let m = c.m;
    let n = t
        .rows
        .iter()
        .map(Vec::len)
        .chain(std::iter::once(t.headers.len()))
        .max()
        .unwrap_or(0);
    if n == 0 {
        return;
    }
    let widths = column_widths(&t.widths, n, CONTENT_W);
    let lh = line_height(CELL_SIZE, 1.5);
    // Columns of short, single-line values (序号, 份数, …) are centred.
    let centred: Vec<bool> = widths
        .iter()
        .enumerate()
        .map(|(i, &w)| {
            let inner = w - 2.0 * CELL_PAD_H;
            t.rows.iter().filter_map(|r| r.get(i)).all(|v| {
                let v = m.sanitize(v, false);
                m.width_mm(&v, CELL_SIZE) <= inner * 0.4
            })
        })
        .collect();
    let make_row = |cells: &[String], header: bool| -> Vec<Cell> {
        let mut x = MARGIN_L;
        widths
            .iter()
            .enumerate()
            .map(|(i, &w)| {
                let text = cells
                    .get(i)
                    .map(|s| m.sanitize(s, true))
                    .unwrap_or_default();
                let cell = Cell {
                    x,
                    w,
                    lines: wrap(m, &text, CELL_SIZE, w - 2.0 * CELL_PAD_H, 0.0),
                    align: if header || centred[i] {
                        Align::Center
                    } else {
                        Align::Left
                    },
                    fill: header.then_some(0.88),
                    bold: header,
                };
                x += w;
                cell
            })
            .collect()
    };
    if !t.headers.is_empty() {
        let cells = make_row(&t.headers, true);
        // Keep the header with at least one body row.
        let first_body = t.rows.first().map(|r| make_row(r, false));
        let need = |cs: &[Cell]| {
            cs.iter().map(|c| c.lines.len()).max().unwrap_or(1) as f32 * lh + 2.0 * CELL_PAD_V
        };
        let h = need(&cells) + first_body.as_deref().map_or(0.0, need);
        if h <= BOTTOM - MARGIN_T {
            c.ensure(h);
        }
        c.row(&cells, CELL_SIZE, lh);
    }
    for r in &t.rows {
        let cells = make_row(r, false);
        c.row(&cells, CELL_SIZE, lh);
    }
}

fn signature_and_qr(
    c: &mut Canvas,
    spec: &DocumentSpec,
    qr: Option<&QrMatrix>,
    seal: Option<&Placed>,
) {
    let m = c.m;
    let lh = line_height(SIG_SIZE, 1.8);
    let indent = 2.0 * m.char_width_mm('字', SIG_SIZE);

    // QR zone (fixed at the bottom right of the last page).
    let caption: Vec<Line> = match (qr, spec.qr_caption.as_deref()) {
        (Some(_), Some(cap)) if non_empty(cap) => {
            let mut l = wrap(m, &m.sanitize(cap, true), CAPTION_SIZE, QR_SIZE + 10.0, 0.0);
            l.truncate(QR_CAPTION_MAX_LINES);
            l
        }
        _ => Vec::new(),
    };
    let cap_lh = line_height(CAPTION_SIZE, 1.4);
    let cap_h = if caption.is_empty() {
        0.0
    } else {
        1.0 + caption.len() as f32 * cap_lh
    };
    let qr_top = BOTTOM - cap_h - QR_SIZE;
    let qr_left = RIGHT - QR_SIZE;
    let zone_top = qr_top - QR_QUIET;

    // The QR band (with its quiet zone) must be free on the last page.
    let zone = [qr_left - QR_QUIET, zone_top, PAGE_W, PAGE_H];
    if qr.is_some() && c.occupied(zone) {
        c.new_page();
    }

    let sig_max_w = if qr.is_some() {
        qr_left - SIG_QR_GAP - MARGIN_L
    } else {
        CONTENT_W - indent
    };
    let sig: Vec<Line> = spec
        .signature
        .iter()
        .filter(|s| non_empty(s))
        .flat_map(|s| wrap(m, &m.sanitize(s, true), SIG_SIZE, sig_max_w, 0.0))
        .collect();
    if !sig.is_empty() {
        let sig_h = sig.len() as f32 * lh;
        let block_w = sig.iter().map(|l| l.width).fold(0.0_f32, f32::max);
        // Right edge for a block whose top is `top`, if it fits on this page:
        // normally two characters in from the right margin, or left of the QR
        // code when it would run into the QR band.
        let place = |top: f32| -> Option<f32> {
            if top + sig_h > BOTTOM + 0.01 {
                return None;
            }
            let normal = RIGHT - indent;
            let r = [normal - block_w, top, normal, top + sig_h];
            if qr.is_some() && overlaps(r, zone) {
                Some(qr_left - SIG_QR_GAP)
            } else {
                Some(normal)
            }
        };
        let gap = if c.at_top() { 0.0 } else { SIG_GAP };
        let right = match place(c.y + gap) {
            Some(r) => {
                c.y += gap;
                r
            }
            None => {
                if !c.at_top() {
                    c.new_page();
                }
                // At the top of a page; a signature taller than a page flows
                // on, kept left of the QR column.
                place(c.y).unwrap_or(if qr.is_some() {
                    qr_left - SIG_QR_GAP
                } else {
                    RIGHT - indent
                })
            }
        };
        let left = (right - block_w).max(MARGIN_L);
        let top = c.y;
        c.flow_lines(&sig, SIG_SIZE, lh, false, None, |l| {
            left + ((block_w - l.width) / 2.0).max(0.0)
        });
        // The seal goes over the block, centred on it, drawn after the text
        // as ink stamped on paper.
        if let Some(seal) = seal {
            let h = SEAL_W * seal.aspect;
            let cx = left + block_w / 2.0;
            let cy = top + sig_h.min(lh * 2.0) / 2.0 + lh / 2.0;
            let x = (cx - SEAL_W / 2.0).clamp(MARGIN_L, PAGE_W - 5.0 - SEAL_W);
            let y = (cy - h / 2.0).clamp(5.0, PAGE_H - 5.0 - h);
            let op = seal.op(x, y, SEAL_W);
            c.ops().push(op);
        }
    }

    if let Some(q) = qr {
        let ops = q.ops(qr_left, qr_top, QR_SIZE);
        c.ops().extend(ops);
        let mut y = qr_top + QR_SIZE + 1.0;
        let cx = qr_left + QR_SIZE / 2.0;
        for l in &caption {
            let x = (cx - l.width / 2.0).min(PAGE_W - 5.0 - l.width);
            c.text_in_box(x, y, cap_lh, CAPTION_SIZE, &l.text, false);
            y += cap_lh;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_widths_normalise() {
        let w = column_widths(&[0.1, 0.6, 0.3], 3, 160.0);
        assert!((w.iter().sum::<f32>() - 160.0).abs() < 1e-3);
        assert!((w[1] - 96.0).abs() < 1e-3);
        // missing / bad entries fall back to the mean of the good ones
        let w = column_widths(&[0.5, f32::NAN], 3, 160.0);
        assert!((w[0] - w[1]).abs() < 1e-3 && (w[1] - w[2]).abs() < 1e-3);
        // tiny columns are widened
        let w = column_widths(&[1.0, 0.0001], 2, 160.0);
        assert!(w[1] >= 8.0, "{w:?}");
        assert!((w.iter().sum::<f32>() - 160.0).abs() < 1e-2);
        assert!(column_widths(&[], 0, 160.0).is_empty());
        let w = column_widths(&[], 200, 160.0);
        assert!((w.iter().sum::<f32>() - 160.0).abs() < 1e-2);
    }

    #[test]
    fn qr_payload_too_long_is_an_error() {
        let spec = DocumentSpec {
            qr_payload: Some("x".repeat(5000)),
            ..Default::default()
        };
        assert!(matches!(render(&spec), Err(PdfError::QrPayload { .. })));
    }
}
