//! The embedded CJK font: loading (once), glyph coverage, advance widths and
//! text sanitising.
//!
//! Two views of the same bytes are kept:
//! * a `ttf_parser::Face` for cheap coverage checks and advance widths (used by
//!   layout and by [`crate::font_covers`]), and
//! * a `printpdf::ParsedFont`, which is what gets embedded (subset) into the PDF.
//!
//! Both read face 0 of the collection, so the widths used for layout are the
//! same `hmtx` advances printpdf writes into the PDF `/W` array.

use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::PdfError;

/// WenQuanYi Micro Hei (Apache-2.0); face 0 is the proportional face.
static FONT_BYTES: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../assets/fonts/wqy-microhei.ttc"
));

/// Face index inside the collection.
const FACE_INDEX: u32 = 0;

/// Drawn in place of characters the font has no glyph for.
pub(crate) const REPLACEMENT: char = '□';

/// Metrics of the embedded face, normalised to 1 em.
pub(crate) struct Metrics {
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
    /// Ascender above the baseline, in em (positive).
    pub ascender: f32,
    /// Descender below the baseline, in em (positive).
    pub descender: f32,
    /// Replacement for uncovered characters; '?' if the font lacks '□'.
    replacement: char,
}

static METRICS: OnceLock<Option<Metrics>> = OnceLock::new();
static PDF_FONT: OnceLock<Option<ParsedFont>> = OnceLock::new();

/// The parsed face, or `None` if the embedded bytes are unusable (which would be
/// a build problem, never an input problem).
pub(crate) fn metrics() -> Option<&'static Metrics> {
    METRICS
        .get_or_init(|| {
            let face = ttf_parser::Face::parse(FONT_BYTES, FACE_INDEX).ok()?;
            let units_per_em = f32::from(face.units_per_em().max(1));
            let ascender = f32::from(face.ascender()) / units_per_em;
            let descender = (f32::from(face.descender()) / units_per_em).abs();
            let mut m = Metrics {
                face,
                units_per_em,
                ascender,
                descender,
                replacement: '?',
            };
            if m.has_glyph(REPLACEMENT) {
                m.replacement = REPLACEMENT;
            }
            Some(m)
        })
        .as_ref()
}

pub(crate) fn metrics_or_err() -> Result<&'static Metrics, PdfError> {
    metrics().ok_or(PdfError::FontUnavailable(
        "ttf-parser could not parse face 0",
    ))
}

/// The printpdf view of the font (parsed once; cloning it is cheap, the bytes
/// are reference counted).
pub(crate) fn pdf_font() -> Result<&'static ParsedFont, PdfError> {
    PDF_FONT
        .get_or_init(|| {
            let mut warnings = Vec::new();
            ParsedFont::from_bytes(FONT_BYTES, FACE_INDEX as usize, &mut warnings)
        })
        .as_ref()
        .ok_or(PdfError::FontUnavailable("printpdf could not parse face 0"))
}

impl Metrics {
    /// Whether the face maps `c` to a real glyph (not `.notdef`).
    pub(crate) fn has_glyph(&self, c: char) -> bool {
        matches!(self.face.glyph_index(c), Some(g) if g.0 != 0)
    }

    /// Advance width of `c` in em. Characters without a glyph measure as the
    /// replacement character (that is what [`sanitize`] draws for them).
    pub(crate) fn advance_em(&self, c: char) -> f32 {
        let gid = match self.face.glyph_index(c) {
            Some(g) if g.0 != 0 => g,
            _ => match self.face.glyph_index(self.replacement) {
                Some(g) => g,
                None => return 0.5,
            },
        };
        self.face
            .glyph_hor_advance(gid)
            .map_or(0.5, |a| f32::from(a) / self.units_per_em)
    }

    /// Feeds the outline of `c` (or of the replacement glyph) to `b`, in font
    /// units. Returns false if there is nothing to draw (e.g. a space).
    pub(crate) fn outline(&self, c: char, b: &mut dyn ttf_parser::OutlineBuilder) -> bool {
        let gid = match self.face.glyph_index(c) {
            Some(g) if g.0 != 0 => g,
            _ => match self.face.glyph_index(self.replacement) {
                Some(g) => g,
                None => return false,
            },
        };
        self.face.outline_glyph(gid, b).is_some()
    }

    pub(crate) fn units_per_em(&self) -> f32 {
        self.units_per_em
    }

    /// Width of `text` in millimetres at `size_pt`.
    pub(crate) fn width_mm(&self, text: &str, size_pt: f32) -> f32 {
        let em: f32 = text.chars().map(|c| self.advance_em(c)).sum();
        em * size_pt * crate::MM_PER_PT
    }

    /// Width of a single char in millimetres at `size_pt`.
    pub(crate) fn char_width_mm(&self, c: char, size_pt: f32) -> f32 {
        self.advance_em(c) * size_pt * crate::MM_PER_PT
    }

    /// Makes `text` drawable: tabs become spaces, carriage returns and other
    /// control / invisible formatting characters are dropped, and characters
    /// the font cannot draw become '□'. Newlines are kept when `keep_newlines`
    /// (the wrapper turns them into hard line breaks), otherwise they become
    /// spaces.
    pub(crate) fn sanitize(&self, text: &str, keep_newlines: bool) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '\n' if keep_newlines => out.push('\n'),
                '\n' | '\t' | '\u{2028}' | '\u{2029}' => out.push(' '),
                c if c.is_control() || is_invisible(c) => {}
                c if self.has_glyph(c) => out.push(c),
                _ => out.push(self.replacement),
            }
        }
        out
    }
}

/// Zero-width / formatting code points that should simply disappear rather
/// than show up as a replacement box (joiners, variation selectors, BOM, bidi
/// controls, tag characters).
fn is_invisible(c: char) -> bool {
    matches!(c as u32,
        0x00AD
        | 0x200B..=0x200F
        | 0x202A..=0x202E
        | 0x2060..=0x206F
        | 0xFE00..=0xFE0F
        | 0xFEFF
        | 0xE0000..=0xE007F
        | 0xE0100..=0xE01EF)
}

/// See [`crate::font_covers`].
pub(crate) fn covers(text: &str) -> bool {
    match metrics() {
        Some(m) => text.chars().all(|c| !c.is_control() && m.has_glyph(c)),
        None => false,
    }
}
