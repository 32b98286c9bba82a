//! The pages of a case's materials: scanned, photographed or imported (seed 003 五(二)1(2)⑨,
//! 七(一)3).
//!
//! A file goes through `yichuang_scan`: decoded with limits (size, dimensions, decoder memory),
//! cleaned up (crop to the page, deskew, grey or black-and-white), encoded as JPEG keeping its
//! DPI, and checked (resolution, A4/A3, format). Every file of a call must pass, or nothing is
//! stored and the clerk reads which file failed and why. A stored page is sealed with the desk
//! key (these are copies of ID cards and certificates) and written as a content-addressed file
//! under `blobs/` in the data directory; its metadata is in `material_pages`.
//!
//! For the hub, the pages of one material become one PDF with the JPEGs passed through
//! unchanged, uploaded through 7.2.7 before the acceptance that names it (`sm_file_attach`).

use std::path::PathBuf;

use yichuang_scan::blob::BlobStore;
use yichuang_scan::checks::{CheckPolicy, check_page};
use yichuang_scan::device::Page;
use yichuang_scan::import::{ImportLimits, import_bytes};
use yichuang_scan::pipeline::{CleanupOptions, EncodedPage, OutputMode, clean, encode_jpeg};

use crate::desk::Desk;
use crate::error::{CoreError, Result};
use crate::model::{FieldError, MaterialPageInfo, PageOutput};
use crate::store;
use crate::time::spec_time;

/// JPEG quality of stored pages.
pub const JPEG_QUALITY: u8 = 75;
/// Most files in one call.
pub const MAX_FILES: usize = 50;

/// One file to attach: its name (for messages) and its bytes.
#[derive(Debug, Clone)]
pub struct IncomingFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

pub(crate) fn blob_store(desk: &Desk) -> Result<BlobStore> {
    let dir: PathBuf = desk.data_dir().join("blobs");
    BlobStore::open(&dir).map_err(|e| CoreError::Data(e.to_string()))
}

fn file_error(i: usize, message: String) -> FieldError {
    FieldError {
        field: format!("files[{i}]"),
        label: "材料文件".into(),
        message,
    }
}

fn cleanup_options(output: PageOutput) -> CleanupOptions {
    CleanupOptions {
        output: match output {
            PageOutput::Color => OutputMode::Color,
            PageOutput::Gray => OutputMode::Gray,
            PageOutput::BlackWhite => OutputMode::BlackWhite,
        },
        ..CleanupOptions::default()
    }
}

/// Cleans up, encodes and checks one page; `at` names it in messages.
pub(crate) fn finish_page(
    page: &Page,
    output: PageOutput,
    at: &str,
) -> std::result::Result<(EncodedPage, String), String> {
    let enc = clean(page, &cleanup_options(output))
        .and_then(|(p, _)| encode_jpeg(&p, JPEG_QUALITY))
        .map_err(|e| format!("{at}无法处理：{e}"))?;
    check_page(&enc, &CheckPolicy::default())
        .map(|size| (enc, size.label().to_string()))
        .map_err(|refused| format!("{at}{refused}"))
}

/// Decodes, cleans up, encodes and checks every page of every file; all or nothing.
fn process(
    files: &[IncomingFile],
    output: PageOutput,
) -> std::result::Result<Vec<(usize, EncodedPage, String)>, Vec<FieldError>> {
    let limits = ImportLimits::default();
    let mut pages = Vec::new();
    let mut errors = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let decoded = match import_bytes(&f.name, &f.bytes, &limits) {
            Ok(p) => p,
            Err(e) => {
                errors.push(file_error(i, e.to_string()));
                continue;
            }
        };
        for (n, page) in decoded.iter().enumerate() {
            let at = if decoded.len() > 1 {
                format!("“{}”第{}页", f.name, n + 1)
            } else {
                format!("“{}”", f.name)
            };
            match finish_page(page, output, &at) {
                Ok((enc, paper)) => pages.push((i, enc, paper)),
                Err(m) => errors.push(file_error(i, m)),
            }
        }
    }
    if errors.is_empty() {
        Ok(pages)
    } else {
        Err(errors)
    }
}

impl Desk {
    /// Attaches files to material `material_no` of a case (see the module documentation).
    /// Returns the material's pages afterwards.
    pub async fn attach_material_files(
        &self,
        project_no: &str,
        material_no: &str,
        files: Vec<IncomingFile>,
        output: PageOutput,
    ) -> Result<Vec<MaterialPageInfo>> {
        let project_no = project_no.trim();
        let material_no = material_no.trim();
        self.check_material(project_no, material_no).await?;
        if files.is_empty() || files.len() > MAX_FILES {
            return Err(CoreError::Validation(vec![FieldError {
                field: "files".into(),
                label: "材料文件".into(),
                message: format!("请选择1至{MAX_FILES}个文件"),
            }]));
        }
        // Image work is CPU-bound: off the async threads.
        let names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
        let processed = tokio::task::spawn_blocking(move || process(&files, output))
            .await
            .map_err(|e| CoreError::Data(format!("页面处理中断：{e}")))?
            .map_err(CoreError::Validation)?;
        let pages = processed
            .into_iter()
            .map(|(i, page, paper)| (page, paper, names[i].clone()))
            .collect();
        self.store_pages(project_no, material_no, pages).await
    }

    /// Refuses a material number that is neither in the item's catalog nor among the case's
    /// materials.
    pub(crate) async fn check_material(&self, project_no: &str, material_no: &str) -> Result<()> {
        let case = self.get_case(project_no).await?;
        let catalog = self.catalog().await?;
        let known = catalog
            .iter()
            .find(|i| i.dept_ql_reg_no == case.dept_ql_reg_no)
            .is_some_and(|i| i.materials.iter().any(|m| m.no == material_no))
            || case.materials.iter().any(|m| m.no == material_no);
        if !known {
            return Err(CoreError::Validation(vec![FieldError {
                field: "material_no".into(),
                label: "材料".into(),
                message: format!("材料编号“{material_no}”不在本事项的材料目录中"),
            }]));
        }
        Ok(())
    }

    /// Stores finished pages (JPEG, paper, source) after a material's existing pages, sealed;
    /// the material's upload becomes stale (see [`Desk::material_changed`]).
    pub(crate) async fn store_pages(
        &self,
        project_no: &str,
        material_no: &str,
        pages: Vec<(EncodedPage, String, String)>,
    ) -> Result<Vec<MaterialPageInfo>> {
        let store = blob_store(self)?;
        let mut stored = Vec::with_capacity(pages.len());
        for (page, paper, source) in pages {
            let sealed = self.keys.seal(&page.bytes)?;
            let info = store
                .put(&sealed)
                .map_err(|e| CoreError::Data(e.to_string()))?;
            stored.push((page, paper, source, info.hash));
        }
        let at = spec_time(&self.now());
        let mut tx = self.store.write().await?;
        let case_id = store::cases::id_of(&mut *tx, project_no).await?;
        let mut ord = store::materials::last_page_ord(&mut *tx, case_id, material_no).await?;
        for (page, paper, source, blob) in &stored {
            ord += 1;
            store::materials::insert_page(
                &mut *tx,
                &store::materials::NewPage {
                    case_id,
                    material_no,
                    ord,
                    image: page_image(page, blob, paper),
                    dpi: i64::from(page.dpi.unwrap_or(0)),
                    source,
                    created_at: &at,
                },
            )
            .await?;
        }
        self.material_changed(&mut tx, case_id, project_no, material_no, &at)
            .await?;
        tx.commit().await?;
        self.pages_of(project_no, material_no).await
    }

    /// The pages of one material of a case.
    pub(crate) async fn pages_of(
        &self,
        project_no: &str,
        material_no: &str,
    ) -> Result<Vec<MaterialPageInfo>> {
        Ok(self
            .material_pages(project_no)
            .await?
            .into_iter()
            .filter(|p| p.material_no == material_no)
            .collect())
    }

    /// The pages of a case's materials.
    pub async fn material_pages(&self, project_no: &str) -> Result<Vec<MaterialPageInfo>> {
        store::materials::pages(self.store.pool(), project_no.trim()).await
    }

    /// One page as JPEG.
    pub async fn material_page_jpeg(&self, id: i64) -> Result<Vec<u8>> {
        let blob = store::materials::page_blob(self.store.pool(), id)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("材料页 {id}")))?;
        let sealed = blob_store(self)?
            .get(&blob)
            .map_err(|e| CoreError::Data(e.to_string()))?;
        self.keys.open(&sealed)
    }

    /// The pages of one material as one PDF, the JPEGs passed through unchanged. A material
    /// with no page of its own but a file a department shared through 帮我传 is that file.
    pub async fn material_pdf(&self, project_no: &str, material_no: &str) -> Result<Vec<u8>> {
        let pages = self.pages_of(project_no, material_no.trim()).await?;
        if pages.is_empty() {
            return match self.share_file(project_no, material_no).await {
                Ok((_, pdf)) => Ok(pdf),
                Err(CoreError::NotFound(_)) => {
                    Err(CoreError::NotFound(format!("材料 {material_no} 的扫描页")))
                }
                Err(e) => Err(e),
            };
        }
        let mut encoded = Vec::with_capacity(pages.len());
        for p in &pages {
            encoded.push(EncodedPage {
                bytes: self.material_page_jpeg(p.id).await?,
                width: p.width,
                height: p.height,
                dpi: Some(p.dpi),
            });
        }
        yichuang_scan::pdf::write_pdf(&encoded).map_err(|e| CoreError::Data(e.to_string()))
    }

    /// Records the hub's `attachguid` of a material's PDF (7.2.7).
    pub async fn set_material_attachguid(
        &self,
        project_no: &str,
        material_no: &str,
        attachguid: &str,
    ) -> Result<()> {
        let at = spec_time(&self.now());
        store::materials::set_upload(
            self.store.pool(),
            project_no.trim(),
            material_no.trim(),
            attachguid,
            &at,
        )
        .await
    }

    /// The uploaded materials of a case: (material number, attachguid).
    pub async fn material_attachguids(&self, project_no: &str) -> Result<Vec<(String, String)>> {
        store::materials::uploads_by_project(self.store.pool(), project_no.trim()).await
    }
}

/// A page's image as stored: its sealed file `blob`, size, dimensions and paper.
pub(crate) fn page_image<'a>(
    page: &EncodedPage,
    blob: &'a str,
    paper: &'a str,
) -> store::materials::PageImage<'a> {
    store::materials::PageImage {
        blob,
        size: page.bytes.len() as i64,
        width: i64::from(page.width),
        height: i64::from(page.height),
        paper,
    }
}
