//! Acceptance checks on a finished page (seed 003 七(一)3(2)): resolution, paper size
//! and format. A page that fails is refused with every reason, in Chinese.

use crate::device::{MM_PER_INCH, PageSize};
use crate::import::{self, FileKind};
use crate::pipeline::EncodedPage;

/// What a page must meet.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckPolicy {
    /// Lowest acceptable resolution.
    pub min_dpi: u32,
    /// Paper sizes accepted (either orientation).
    pub sizes: Vec<PageSize>,
    /// How far each side may differ from the paper size, in millimetres.
    pub tolerance_mm: f64,
    /// File formats accepted for a stored page.
    pub formats: Vec<FileKind>,
}

impl Default for CheckPolicy {
    fn default() -> Self {
        CheckPolicy {
            min_dpi: 200,
            sizes: vec![PageSize::A4, PageSize::A3],
            tolerance_mm: 8.0,
            formats: vec![FileKind::Jpeg],
        }
    }
}

/// One reason a page fails.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CheckFailure {
    #[error("未记录分辨率（DPI），无法确认清晰度与纸张尺寸：请用扫描仪重新扫描")]
    NoDpi,
    #[error("分辨率 {dpi} dpi 低于要求的 {min} dpi：请提高扫描分辨率后重新扫描")]
    LowDpi { dpi: u32, min: u32 },
    #[error("纸张尺寸 {width_mm:.0}×{height_mm:.0} 毫米不是 {allowed}：请按原件纸张大小扫描")]
    WrongSize {
        width_mm: f64,
        height_mm: f64,
        allowed: String,
    },
    #[error("文件格式为 {found}，要求 {allowed}")]
    WrongFormat { found: String, allowed: String },
}

/// A refused page: every failure found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("页面不合格：{}", .0.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("；"))]
pub struct Refused(pub Vec<CheckFailure>);

fn kind_name(k: Option<FileKind>) -> String {
    match k {
        Some(FileKind::Jpeg) => "JPEG".into(),
        Some(FileKind::Png) => "PNG".into(),
        Some(FileKind::Tiff) => "TIFF".into(),
        Some(FileKind::Pdf) => "PDF".into(),
        None => "未知".into(),
    }
}

/// Checks a page; on success returns the paper size it matched.
pub fn check_page(page: &EncodedPage, policy: &CheckPolicy) -> Result<PageSize, Refused> {
    let mut failures = Vec::new();
    let kind = import::detect(&page.bytes);
    if !kind.is_some_and(|k| policy.formats.contains(&k)) {
        failures.push(CheckFailure::WrongFormat {
            found: kind_name(kind),
            allowed: policy
                .formats
                .iter()
                .map(|k| kind_name(Some(*k)))
                .collect::<Vec<_>>()
                .join("、"),
        });
    }
    let mut matched = None;
    match page.dpi.filter(|d| *d > 0) {
        None => failures.push(CheckFailure::NoDpi),
        Some(dpi) => {
            if dpi < policy.min_dpi {
                failures.push(CheckFailure::LowDpi {
                    dpi,
                    min: policy.min_dpi,
                });
            }
            let w = f64::from(page.width) * MM_PER_INCH / f64::from(dpi);
            let h = f64::from(page.height) * MM_PER_INCH / f64::from(dpi);
            let (short, long) = (w.min(h), w.max(h));
            matched = policy.sizes.iter().copied().find(|s| {
                let (sw, sh) = s.mm();
                (short - sw).abs() <= policy.tolerance_mm
                    && (long - sh).abs() <= policy.tolerance_mm
            });
            if matched.is_none() {
                failures.push(CheckFailure::WrongSize {
                    width_mm: w,
                    height_mm: h,
                    allowed: policy
                        .sizes
                        .iter()
                        .map(|s| s.label())
                        .collect::<Vec<_>>()
                        .join(" 或 "),
                });
            }
        }
    }
    match matched {
        Some(size) if failures.is_empty() => Ok(size),
        _ => Err(Refused(failures)),
    }
}
