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

use sqlx::Row;
use yichuang_scan::blob::BlobStore;
use yichuang_scan::checks::{CheckPolicy, check_page};
use yichuang_scan::device::Page;
use yichuang_scan::import::{ImportLimits, import_bytes};
use yichuang_scan::pipeline::{CleanupOptions, EncodedPage, OutputMode, clean, encode_jpeg};

use crate::desk::Desk;
use crate::error::{CoreError, Result};
use crate::model::{FieldError, MaterialPageInfo, PageOutput};
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
        let case_id: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE project_no = ?")
            .bind(project_no)
            .fetch_one(&mut *tx)
            .await?;
        let mut ord: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(ord), 0) FROM material_pages WHERE case_id = ? AND material_no = ?",
        )
        .bind(case_id)
        .bind(material_no)
        .fetch_one(&mut *tx)
        .await?;
        for (page, paper, source, blob) in &stored {
            ord += 1;
            sqlx::query(
                "INSERT INTO material_pages (case_id, material_no, ord, blob, size, width, height,
                    dpi, paper, source, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            )
            .bind(case_id)
            .bind(material_no)
            .bind(ord)
            .bind(blob)
            .bind(page.bytes.len() as i64)
            .bind(i64::from(page.width))
            .bind(i64::from(page.height))
            .bind(i64::from(page.dpi.unwrap_or(0)))
            .bind(paper)
            .bind(source)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        }
        self.material_changed(&mut tx, case_id, project_no, material_no, &at)
            .await?;
        tx.commit().await?;
        Ok(self
            .material_pages(project_no)
            .await?
            .into_iter()
            .filter(|p| p.material_no == material_no)
            .collect())
    }

    /// The pages of a case's materials.
    pub async fn material_pages(&self, project_no: &str) -> Result<Vec<MaterialPageInfo>> {
        let mut conn = self.store.pool().acquire().await?;
        read_pages(&mut conn, project_no.trim()).await
    }

    /// One page as JPEG.
    pub async fn material_page_jpeg(&self, id: i64) -> Result<Vec<u8>> {
        let blob: String = sqlx::query_scalar("SELECT blob FROM material_pages WHERE id = ?")
            .bind(id)
            .fetch_optional(self.store.pool())
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
        let pages: Vec<MaterialPageInfo> = self
            .material_pages(project_no)
            .await?
            .into_iter()
            .filter(|p| p.material_no == material_no.trim())
            .collect();
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
        sqlx::query(
            "INSERT INTO material_uploads (case_id, material_no, attachguid, pages, uploaded_at)
             SELECT c.id, ?2, ?3,
                (SELECT COUNT(*) FROM material_pages p WHERE p.case_id = c.id AND p.material_no = ?2), ?4
             FROM cases c WHERE c.project_no = ?1
             ON CONFLICT (case_id, material_no) DO UPDATE SET attachguid = excluded.attachguid,
                pages = excluded.pages, uploaded_at = excluded.uploaded_at",
        )
        .bind(project_no.trim())
        .bind(material_no.trim())
        .bind(attachguid)
        .bind(&at)
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// The uploaded materials of a case: (material number, attachguid).
    pub async fn material_attachguids(&self, project_no: &str) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT u.material_no, u.attachguid FROM material_uploads u
             JOIN cases c ON c.id = u.case_id WHERE c.project_no = ?",
        )
        .bind(project_no.trim())
        .fetch_all(self.store.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("material_no")?, r.try_get("attachguid")?)))
            .collect()
    }
}

pub(crate) async fn read_pages(
    conn: &mut sqlx::SqliteConnection,
    project_no: &str,
) -> Result<Vec<MaterialPageInfo>> {
    sqlx::query(
        "SELECT p.* FROM material_pages p JOIN cases c ON c.id = p.case_id
         WHERE c.project_no = ? ORDER BY p.material_no, p.ord",
    )
    .bind(project_no)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(MaterialPageInfo {
            id: r.try_get("id")?,
            material_no: r.try_get("material_no")?,
            ord: r.try_get::<i64, _>("ord")? as u32,
            size: r.try_get::<i64, _>("size")? as u64,
            width: r.try_get::<i64, _>("width")? as u32,
            height: r.try_get::<i64, _>("height")? as u32,
            dpi: r.try_get::<i64, _>("dpi")? as u32,
            paper: r.try_get("paper")?,
            source: r.try_get("source")?,
            created_at: r.try_get("created_at")?,
        })
    })
    .collect()
}
