//! Multi-page PDF from JPEG pages, without re-encoding: each page's JPEG bytes go into
//! the file unchanged as an image XObject with `/Filter /DCTDecode`. The page size
//! comes from the pixel size and the DPI. A small writer of our own: one catalog, one
//! page tree, and per page a page object, its content stream and its image.

use std::fmt::Write as _;

use crate::import::jpeg_dpi;
use crate::pipeline::EncodedPage;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("没有页面，无法生成 PDF")]
    NoPages,
    #[error("第 {0} 页不是有效的 JPEG 图像，无法放入 PDF")]
    NotJpeg(usize),
    #[error("第 {0} 页没有分辨率（DPI），无法确定 PDF 页面尺寸")]
    NoDpi(usize),
    #[error("第 {page} 页的颜色格式不受支持（{components} 个通道）")]
    Components { page: usize, components: u8 },
}

/// Size and channel count from a JPEG's start-of-frame segment.
pub fn jpeg_frame(b: &[u8]) -> Option<(u32, u32, u8)> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut i = 2;
    for _ in 0..256 {
        // Skip fill bytes before a marker.
        while b.get(i) == Some(&0xFF) && b.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        if *b.get(i)? != 0xFF {
            return None;
        }
        let marker = *b.get(i + 1)?;
        let len = usize::from(u16::from_be_bytes([*b.get(i + 2)?, *b.get(i + 3)?]));
        let is_sof = (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let s = b.get(i + 4..i + 2 + len)?;
            if s.len() < 6 {
                return None;
            }
            let h = u32::from(u16::from_be_bytes([s[1], s[2]]));
            let w = u32::from(u16::from_be_bytes([s[3], s[4]]));
            return Some((w, h, s[5]));
        }
        if marker == 0xDA || len < 2 {
            return None;
        }
        i += 2 + len;
    }
    None
}

/// Builds the PDF. Each page's JPEG is embedded byte for byte.
pub fn write_pdf(pages: &[EncodedPage]) -> Result<Vec<u8>, PdfError> {
    if pages.is_empty() {
        return Err(PdfError::NoPages);
    }
    let n = pages.len();
    // Objects: 1 catalog, 2 page tree, 3 info, then 3 per page (page, content, image).
    let page_obj = |k: usize| 4 + 3 * k;
    let mut out: Vec<u8> = Vec::new();
    let mut offsets = vec![0usize; 3 + 3 * n + 1];
    out.extend_from_slice(b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");

    let mut put = |out: &mut Vec<u8>, id: usize, body: &[u8]| {
        offsets[id] = out.len();
        out.extend_from_slice(format!("{id} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    put(&mut out, 1, b"<< /Type /Catalog /Pages 2 0 R >>");
    let mut kids = String::new();
    for k in 0..n {
        let _ = write!(kids, "{} 0 R ", page_obj(k));
    }
    put(
        &mut out,
        2,
        format!("<< /Type /Pages /Count {n} /Kids [{}] >>", kids.trim_end()).as_bytes(),
    );
    put(&mut out, 3, b"<< /Producer (Yichuang) >>");

    for (k, page) in pages.iter().enumerate() {
        let no = k + 1;
        let (w, h, comps) = jpeg_frame(&page.bytes).ok_or(PdfError::NotJpeg(no))?;
        let colour = match comps {
            1 => "/DeviceGray",
            3 => "/DeviceRGB",
            c => {
                return Err(PdfError::Components {
                    page: no,
                    components: c,
                });
            }
        };
        let dpi = page
            .dpi
            .or_else(|| jpeg_dpi(&page.bytes))
            .filter(|d| *d > 0)
            .ok_or(PdfError::NoDpi(no))?;
        let wpt = f64::from(w) * 72.0 / f64::from(dpi);
        let hpt = f64::from(h) * 72.0 / f64::from(dpi);
        let (p, c, im) = (page_obj(k), page_obj(k) + 1, page_obj(k) + 2);
        put(
            &mut out,
            p,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {wpt:.2} {hpt:.2}] \
                 /Resources << /XObject << /Im0 {im} 0 R >> >> /Contents {c} 0 R >>"
            )
            .as_bytes(),
        );
        let content = format!("q {wpt:.2} 0 0 {hpt:.2} 0 0 cm /Im0 Do Q");
        let mut body = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        body.extend_from_slice(content.as_bytes());
        body.extend_from_slice(b"\nendstream");
        put(&mut out, c, &body);
        let mut body = format!(
            "<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace {colour} \
             /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
            page.bytes.len()
        )
        .into_bytes();
        body.extend_from_slice(&page.bytes);
        body.extend_from_slice(b"\nendstream");
        put(&mut out, im, &body);
    }

    let xref = out.len();
    let size = offsets.len();
    let mut table = format!("xref\n0 {size}\n0000000000 65535 f \n");
    for off in &offsets[1..] {
        let _ = writeln!(table, "{off:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {size} /Root 1 0 R /Info 3 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    );
    out.extend_from_slice(table.as_bytes());
    Ok(out)
}
