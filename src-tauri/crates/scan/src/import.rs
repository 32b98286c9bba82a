//! Importing materials from files: JPEG, PNG, TIFF and scanner-made PDF.
//!
//! The type is taken from the file's first bytes, never its extension. Every input is
//! bounded: the file size, the image dimensions and the decoder's allocations
//! ([`image::Limits`]), so oversized files and decompression bombs are refused with a
//! typed error naming the file, and corrupt or truncated files give an error, not a
//! panic.
//!
//! PDF: only the simple case is supported, which is what scanners and this crate's own
//! [`crate::pdf`] writer produce: every page is one image XObject compressed with
//! `/DCTDecode` alone, stored as a plain (not compressed) object. The JPEG bytes are
//! taken out as they are. Anything else (text, vector drawings, other image filters,
//! object streams, encryption) is refused with the reason; rendering arbitrary PDF
//! would need a full PDF renderer.

use std::io::{Cursor, Read};
use std::path::Path;

use image::{ImageFormat, ImageReader};

use crate::device::Page;

/// Bounds on what an import may read and decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportLimits {
    /// Largest file accepted, in bytes.
    pub max_bytes: u64,
    /// Largest image width and height in pixels (A3 at 600 dpi is 7016×9921).
    pub max_width: u32,
    pub max_height: u32,
    /// Largest allocation the decoder may make for one image, in bytes.
    pub max_alloc: u64,
    /// Most pages taken from one PDF.
    pub max_pages: usize,
}

impl Default for ImportLimits {
    fn default() -> Self {
        ImportLimits {
            max_bytes: 64 * 1024 * 1024,
            max_width: 12_000,
            max_height: 12_000,
            max_alloc: 512 * 1024 * 1024,
            max_pages: 300,
        }
    }
}

/// File types recognised by their magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Jpeg,
    Png,
    Tiff,
    Pdf,
}

impl FileKind {
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Tiff => "image/tiff",
            FileKind::Pdf => "application/pdf",
        }
    }
}

/// Recognises a file by its first bytes.
pub fn detect(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileKind::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileKind::Png)
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        Some(FileKind::Tiff)
    } else if bytes.len() >= 5
        && bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    {
        Some(FileKind::Pdf)
    } else {
        None
    }
}

/// Why a file was not imported. Each message names the file and what to do.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("无法读取文件“{file}”：{source}。请确认文件存在且未被其他程序占用")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("文件“{file}”过大（{size} 字节，上限 {max} 字节）：请降低扫描分辨率或拆分后再导入")]
    TooLarge { file: String, size: u64, max: u64 },
    #[error(
        "文件“{file}”不是支持的格式（只支持 JPEG、PNG、TIFF 和扫描件 PDF）：请另存为其中一种格式后再导入"
    )]
    UnsupportedType { file: String },
    #[error(
        "文件“{file}”的图像尺寸异常（{width}×{height} 像素，超过上限）：可能是异常文件，请重新扫描或缩小后再导入"
    )]
    TooManyPixels {
        file: String,
        width: u32,
        height: u32,
    },
    #[error("文件“{file}”已损坏或不完整（{detail}）：请重新扫描或重新导出该文件")]
    Corrupt { file: String, detail: String },
    #[error("PDF 文件“{file}”无法导入：{reason}。请导入扫描得到的图片，或重新扫描纸质材料")]
    PdfUnsupported { file: String, reason: String },
}

/// Reads and decodes a file; a PDF may give several pages.
pub fn import_file(path: &Path, limits: &ImportLimits) -> Result<Vec<Page>, ImportError> {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let io = |source| ImportError::Io {
        file: file.clone(),
        source,
    };
    let f = std::fs::File::open(path).map_err(io)?;
    let size = f.metadata().map_err(io)?.len();
    if size > limits.max_bytes {
        return Err(ImportError::TooLarge {
            file,
            size,
            max: limits.max_bytes,
        });
    }
    // Read at most one byte past the limit, in case the file grows while read.
    let mut bytes = Vec::with_capacity(size as usize);
    f.take(limits.max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    import_bytes(&file, &bytes, limits)
}

/// Decodes file contents already in memory; `file` names it in errors.
pub fn import_bytes(
    file: &str,
    bytes: &[u8],
    limits: &ImportLimits,
) -> Result<Vec<Page>, ImportError> {
    let size = bytes.len() as u64;
    if size > limits.max_bytes {
        return Err(ImportError::TooLarge {
            file: file.to_string(),
            size,
            max: limits.max_bytes,
        });
    }
    let kind = detect(bytes).ok_or_else(|| ImportError::UnsupportedType {
        file: file.to_string(),
    })?;
    match kind {
        FileKind::Pdf => pdf_pages(file, bytes, limits),
        _ => Ok(vec![decode_image(file, bytes, kind, limits)?]),
    }
}

/// Decodes one image under the limits, with its DPI from the file's own header.
pub fn decode_image(
    file: &str,
    bytes: &[u8],
    kind: FileKind,
    limits: &ImportLimits,
) -> Result<Page, ImportError> {
    let format = match kind {
        FileKind::Jpeg => ImageFormat::Jpeg,
        FileKind::Png => ImageFormat::Png,
        FileKind::Tiff => ImageFormat::Tiff,
        FileKind::Pdf => {
            return Err(ImportError::UnsupportedType {
                file: file.to_string(),
            });
        }
    };
    let corrupt = |e: image::ImageError| ImportError::Corrupt {
        file: file.to_string(),
        detail: e.to_string(),
    };
    let mut lim = image::Limits::default();
    lim.max_image_width = Some(limits.max_width);
    lim.max_image_height = Some(limits.max_height);
    lim.max_alloc = Some(limits.max_alloc);

    // Header first: the dimensions alone tell a decompression bomb.
    let header = ImageReader::with_format(Cursor::new(bytes), format);
    let (width, height) = header.into_dimensions().map_err(corrupt)?;
    let too_big = || ImportError::TooManyPixels {
        file: file.to_string(),
        width,
        height,
    };
    if width > limits.max_width
        || height > limits.max_height
        || u64::from(width) * u64::from(height) * 4 > limits.max_alloc
    {
        return Err(too_big());
    }
    // The JPEG decoder pads a truncated scan with grey instead of failing: a complete
    // JPEG has its end-of-image marker after the last start-of-scan.
    if kind == FileKind::Jpeg && !jpeg_complete(bytes) {
        return Err(ImportError::Corrupt {
            file: file.to_string(),
            detail: "JPEG 数据不完整（缺少结束标记）".into(),
        });
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(lim);
    let image = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => too_big(),
        e => corrupt(e),
    })?;
    let dpi = match kind {
        FileKind::Jpeg => jpeg_dpi(bytes),
        FileKind::Png => png_dpi(bytes),
        FileKind::Tiff => tiff_dpi(bytes),
        FileKind::Pdf => None,
    };
    Ok(Page { image, dpi })
}

/// True when an end-of-image marker (FF D9) follows the last start-of-scan (FF DA).
/// Inside entropy-coded data every FF is followed by 00 or a restart marker, so an
/// FF D9 after the scan header can only be the real end.
fn jpeg_complete(b: &[u8]) -> bool {
    let Some(sos) = b.windows(2).rposition(|w| w == [0xFF, 0xDA]) else {
        return false;
    };
    b[sos..].windows(2).any(|w| w == [0xFF, 0xD9])
}

// ---- resolution from file headers ----

/// DPI from a JPEG's JFIF APP0 segment (units 1 = per inch, 2 = per cm).
pub fn jpeg_dpi(b: &[u8]) -> Option<u32> {
    let mut i = 2;
    // Walk the marker segments before the image data, at most 64 of them.
    for _ in 0..64 {
        if i + 4 > b.len() || b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        if marker == 0xDA || len < 2 {
            return None;
        }
        let seg = b.get(i + 4..i + 2 + len)?;
        if marker == 0xE0 && seg.len() >= 12 && seg.starts_with(b"JFIF\0") {
            let units = seg[7];
            let x = u32::from(u16::from_be_bytes([seg[8], seg[9]]));
            return match units {
                1 if x > 0 => Some(x),
                2 if x > 0 => Some((f64::from(x) * 2.54).round() as u32),
                _ => None,
            };
        }
        i += 2 + len;
    }
    None
}

/// DPI from a PNG's pHYs chunk (unit 1 = per metre).
pub fn png_dpi(b: &[u8]) -> Option<u32> {
    let mut i = 8;
    for _ in 0..1000 {
        let len = u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?) as usize;
        let kind = b.get(i + 4..i + 8)?;
        if kind == b"IDAT" || kind == b"IEND" {
            return None;
        }
        if kind == b"pHYs" && len >= 9 {
            let d = b.get(i + 8..i + 17)?;
            let x = u32::from_be_bytes([d[0], d[1], d[2], d[3]]);
            return (d[8] == 1 && x > 0).then(|| (f64::from(x) * 0.0254).round() as u32);
        }
        i = i.checked_add(12 + len)?;
    }
    None
}

/// DPI from a TIFF's first IFD: XResolution (282) and ResolutionUnit (296).
pub fn tiff_dpi(b: &[u8]) -> Option<u32> {
    let le = b.starts_with(b"II");
    let u16_at = |o: usize| -> Option<u16> {
        let s: [u8; 2] = b.get(o..o + 2)?.try_into().ok()?;
        Some(if le {
            u16::from_le_bytes(s)
        } else {
            u16::from_be_bytes(s)
        })
    };
    let u32_at = |o: usize| -> Option<u32> {
        let s: [u8; 4] = b.get(o..o + 4)?.try_into().ok()?;
        Some(if le {
            u32::from_le_bytes(s)
        } else {
            u32::from_be_bytes(s)
        })
    };
    let ifd = u32_at(4)? as usize;
    let n = usize::from(u16_at(ifd)?).min(1000);
    let mut x_res = None;
    let mut unit = 2u16;
    for k in 0..n {
        let e = ifd + 2 + 12 * k;
        match u16_at(e)? {
            282 => {
                let off = u32_at(e + 8)? as usize;
                let (num, den) = (u32_at(off)?, u32_at(off + 4)?);
                if den > 0 {
                    x_res = Some(f64::from(num) / f64::from(den));
                }
            }
            296 => unit = u16_at(e + 8)?,
            _ => {}
        }
    }
    let x = x_res.filter(|x| *x > 0.0)?;
    match unit {
        2 => Some(x.round() as u32),
        3 => Some((x * 2.54).round() as u32),
        _ => None,
    }
}

// ---- PDF: the JPEG pages of a scanned PDF ----

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The names in a dictionary's `/Filter` entry: `/Filter /A` or `/Filter [/A /B]`.
fn filters(dict: &[u8]) -> Vec<String> {
    let Some(p) = find(dict, b"/Filter", 0) else {
        return Vec::new();
    };
    let rest = &dict[p + 7..];
    let rest = &rest[rest
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(rest.len())..];
    let span = if rest.first() == Some(&b'[') {
        let end = rest.iter().position(|c| *c == b']').unwrap_or(rest.len());
        &rest[1..end]
    } else {
        // One name: up to the next delimiter after its leading slash.
        let end = rest
            .iter()
            .skip(1)
            .position(|c| c.is_ascii_whitespace() || b"/<>[]()".contains(c))
            .map_or(rest.len(), |e| e + 1);
        &rest[..end]
    };
    span.split(|c| *c == b'/' || c.is_ascii_whitespace())
        .filter(|n| !n.is_empty())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect()
}

/// Leaf page objects: `/Type /Page` or `/Type/Page`, but not `/Pages`.
fn count_pages(b: &[u8]) -> usize {
    let mut n = 0;
    for pat in [&b"/Type /Page"[..], b"/Type/Page"] {
        let mut i = 0;
        while let Some(p) = find(b, pat, i) {
            let next = b.get(p + pat.len()).copied().unwrap_or(b' ');
            if !next.is_ascii_alphanumeric() {
                n += 1;
            }
            i = p + pat.len();
        }
    }
    n
}

/// Parses a non-negative integer at the start of `s`, skipping leading whitespace.
fn leading_int(s: &[u8]) -> Option<(usize, usize)> {
    let start = s.iter().position(|c| !c.is_ascii_whitespace())?;
    let digits = s[start..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 12 {
        return None;
    }
    let v = std::str::from_utf8(&s[start..start + digits])
        .ok()?
        .parse()
        .ok()?;
    Some((v, start + digits))
}

/// The value of `/Length` in an object dictionary, following one indirect reference.
fn stream_length(b: &[u8], dict: &[u8]) -> Option<usize> {
    let p = find(dict, b"/Length", 0)?;
    let rest = &dict[p + 7..];
    let (v, used) = leading_int(rest)?;
    // `/Length 12 0 R`: an indirect object holding the number.
    let after = &rest[used..];
    if let Some((_gen, used2)) = leading_int(after)
        && after[used2..].iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'R')
    {
        let head = format!("\n{v} 0 obj");
        let at = find(b, head.as_bytes(), 0)
            .or_else(|| find(b, format!("\r{v} 0 obj").as_bytes(), 0))?;
        return leading_int(&b[at + head.len()..]).map(|(n, _)| n);
    }
    Some(v)
}

fn pdf_pages(file: &str, b: &[u8], limits: &ImportLimits) -> Result<Vec<Page>, ImportError> {
    let refuse = |reason: String| ImportError::PdfUnsupported {
        file: file.to_string(),
        reason,
    };
    if find(b, b"/Encrypt", 0).is_some() {
        return Err(refuse("文件已加密".into()));
    }
    let pages = count_pages(b);
    if pages == 0 {
        if find(b, b"/ObjStm", 0).is_some() {
            return Err(refuse("文件使用了压缩对象流，无法直接取出页面图像".into()));
        }
        return Err(ImportError::Corrupt {
            file: file.to_string(),
            detail: "找不到任何页面".into(),
        });
    }
    if pages > limits.max_pages {
        return Err(refuse(format!(
            "页数过多（{pages} 页，上限 {}）",
            limits.max_pages
        )));
    }
    // Every image XObject: dictionary from its `obj` to `stream`.
    let mut out = Vec::new();
    let mut other_images = 0usize;
    let mut i = 0;
    while let Some(p) = find(b, b" obj", i) {
        i = p + 4;
        let end_obj = find(b, b"endobj", i).unwrap_or(b.len());
        let Some(s) = find(b, b"stream", i).filter(|s| *s < end_obj) else {
            continue;
        };
        let dict = &b[i..s];
        let is_image = find(dict, b"/Subtype /Image", 0).is_some()
            || find(dict, b"/Subtype/Image", 0).is_some();
        if !is_image {
            i = s;
            continue;
        }
        if filters(dict) != ["DCTDecode"] {
            other_images += 1;
            i = s;
            continue;
        }
        let len = stream_length(b, dict).ok_or_else(|| ImportError::Corrupt {
            file: file.to_string(),
            detail: "图像数据长度缺失".into(),
        })?;
        // Data starts after `stream` and its end-of-line (CRLF or LF).
        let mut start = s + 6;
        if b.get(start) == Some(&b'\r') {
            start += 1;
        }
        if b.get(start) == Some(&b'\n') {
            start += 1;
        }
        let data = start
            .checked_add(len)
            .and_then(|e| b.get(start..e))
            .ok_or_else(|| ImportError::Corrupt {
                file: file.to_string(),
                detail: "图像数据被截断".into(),
            })?;
        let tail = &b[start + len..b.len().min(start + len + 32)];
        if find(tail, b"endstream", 0).is_none() {
            return Err(ImportError::Corrupt {
                file: file.to_string(),
                detail: "图像数据长度与 /Length 不符".into(),
            });
        }
        if detect(data) != Some(FileKind::Jpeg) {
            return Err(ImportError::Corrupt {
                file: file.to_string(),
                detail: "DCTDecode 图像不是 JPEG 数据".into(),
            });
        }
        out.push(decode_image(file, data, FileKind::Jpeg, limits)?);
        if out.len() > limits.max_pages {
            return Err(refuse(format!("图像过多（上限 {}）", limits.max_pages)));
        }
        i = start + len;
    }
    if other_images > 0 {
        return Err(refuse(format!(
            "其中 {other_images} 张图像不是 JPEG（DCTDecode）压缩"
        )));
    }
    if out.len() != pages {
        return Err(refuse(format!(
            "只支持每页恰好一张 JPEG 图像的扫描件，该文件有 {pages} 页、{} 张 JPEG 图像（可能含文字或矢量内容）",
            out.len()
        )));
    }
    Ok(out)
}
