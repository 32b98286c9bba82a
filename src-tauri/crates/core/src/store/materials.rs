//! The materials of a case: `case_materials` (what was received at the counter),
//! `material_pages` (their scanned pages) and `material_uploads` (their PDFs at the hub).

use sqlx::{SqliteConnection, SqliteExecutor};

use super::parse_code;
use crate::dict::MaterialForm;
use crate::error::Result;
use crate::model::{CaseMaterial, MaterialPageInfo};

// ---- case_materials ----

pub async fn insert(ex: impl SqliteExecutor<'_>, case_id: i64, m: &CaseMaterial) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_materials (case_id, ord, no, sj_file_name, sj_no, form, sj_file_if)
         VALUES (?,?,?,?,?,?,?)",
    )
    .bind(case_id)
    .bind(i64::from(m.ord))
    .bind(&m.no)
    .bind(&m.sj_file_name)
    .bind(i64::from(m.sj_no))
    .bind(m.form.code())
    .bind(m.sj_file_if)
    .execute(ex)
    .await?;
    Ok(())
}

/// A material brought later (补齐补正): added after the others when the case lacks it, and
/// its number of copies set either way. `m.ord` is ignored.
pub async fn receive(conn: &mut SqliteConnection, case_id: i64, m: &CaseMaterial) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_materials (case_id, ord, no, sj_file_name, sj_no, form, sj_file_if)
         VALUES (?, (SELECT COALESCE(MAX(ord), 0) + 1 FROM case_materials WHERE case_id = ?), ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING",
    )
    .bind(case_id)
    .bind(case_id)
    .bind(&m.no)
    .bind(&m.sj_file_name)
    .bind(i64::from(m.sj_no))
    .bind(m.form.code())
    .bind(m.sj_file_if)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE case_materials SET sj_no = ? WHERE case_id = ? AND no = ?")
        .bind(i64::from(m.sj_no))
        .bind(case_id)
        .bind(&m.no)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The numbers of the materials a case holds.
pub async fn nos(ex: impl SqliteExecutor<'_>, case_id: i64) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT no FROM case_materials WHERE case_id = ?")
            .bind(case_id)
            .fetch_all(ex)
            .await?,
    )
}

#[derive(sqlx::FromRow)]
pub struct MaterialRow {
    pub ord: i64,
    pub no: String,
    pub sj_file_name: String,
    pub sj_no: i64,
    pub form: String,
    pub sj_file_if: bool,
}

impl TryFrom<MaterialRow> for CaseMaterial {
    type Error = crate::error::CoreError;

    fn try_from(r: MaterialRow) -> Result<Self> {
        Ok(CaseMaterial {
            ord: r.ord as u32,
            form: parse_code("form", &r.form, MaterialForm::from_code)?,
            no: r.no,
            sj_file_name: r.sj_file_name,
            sj_no: r.sj_no as u32,
            sj_file_if: r.sj_file_if,
            attachguid: None,
        })
    }
}

/// The materials of a case in order (without their upload ids).
pub async fn for_case(ex: impl SqliteExecutor<'_>, case_id: i64) -> Result<Vec<CaseMaterial>> {
    let rows: Vec<MaterialRow> =
        sqlx::query_as("SELECT * FROM case_materials WHERE case_id = ? ORDER BY ord")
            .bind(case_id)
            .fetch_all(ex)
            .await?;
    rows.into_iter().map(CaseMaterial::try_from).collect()
}

// ---- material_pages ----

#[derive(sqlx::FromRow)]
pub struct PageRow {
    pub id: i64,
    pub material_no: String,
    pub ord: i64,
    pub size: i64,
    pub width: i64,
    pub height: i64,
    pub dpi: i64,
    pub paper: String,
    pub source: String,
    pub created_at: String,
}

impl From<PageRow> for MaterialPageInfo {
    fn from(r: PageRow) -> Self {
        MaterialPageInfo {
            id: r.id,
            material_no: r.material_no,
            ord: r.ord as u32,
            size: r.size as u64,
            width: r.width as u32,
            height: r.height as u32,
            dpi: r.dpi as u32,
            paper: r.paper,
            source: r.source,
            created_at: r.created_at,
        }
    }
}

/// The pages of case `project_no`, by material and order.
pub async fn pages(ex: impl SqliteExecutor<'_>, project_no: &str) -> Result<Vec<MaterialPageInfo>> {
    let rows: Vec<PageRow> = sqlx::query_as(
        "SELECT p.* FROM material_pages p JOIN cases c ON c.id = p.case_id
         WHERE c.project_no = ? ORDER BY p.material_no, p.ord",
    )
    .bind(project_no)
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(MaterialPageInfo::from).collect())
}

/// The blob of page `id`.
pub async fn page_blob(ex: impl SqliteExecutor<'_>, id: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT blob FROM material_pages WHERE id = ?")
            .bind(id)
            .fetch_optional(ex)
            .await?,
    )
}

/// Where a page belongs.
#[derive(sqlx::FromRow)]
pub struct PageRef {
    pub case_id: i64,
    pub material_no: String,
    pub blob: String,
    pub dpi: i64,
}

/// Page `page_id`, if it is one of case `project_no`.
pub async fn page_of(
    ex: impl SqliteExecutor<'_>,
    project_no: &str,
    page_id: i64,
) -> Result<Option<PageRef>> {
    Ok(sqlx::query_as(
        "SELECT p.case_id, p.material_no, p.blob, p.dpi FROM material_pages p
         JOIN cases c ON c.id = p.case_id WHERE c.project_no = ? AND p.id = ?",
    )
    .bind(project_no)
    .bind(page_id)
    .fetch_optional(ex)
    .await?)
}

/// The last place among a material's pages (0 with none).
pub async fn last_page_ord(
    ex: impl SqliteExecutor<'_>,
    case_id: i64,
    material_no: &str,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COALESCE(MAX(ord), 0) FROM material_pages WHERE case_id = ? AND material_no = ?",
    )
    .bind(case_id)
    .bind(material_no)
    .fetch_one(ex)
    .await?)
}

/// A page's stored image and what was measured of it.
pub struct PageImage<'a> {
    pub blob: &'a str,
    pub size: i64,
    pub width: i64,
    pub height: i64,
    pub paper: &'a str,
}

pub struct NewPage<'a> {
    pub case_id: i64,
    pub material_no: &'a str,
    pub ord: i64,
    pub image: PageImage<'a>,
    pub dpi: i64,
    pub source: &'a str,
    pub created_at: &'a str,
}

pub async fn insert_page(ex: impl SqliteExecutor<'_>, p: &NewPage<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO material_pages (case_id, material_no, ord, blob, size, width, height,
            dpi, paper, source, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    )
    .bind(p.case_id)
    .bind(p.material_no)
    .bind(p.ord)
    .bind(p.image.blob)
    .bind(p.image.size)
    .bind(p.image.width)
    .bind(p.image.height)
    .bind(p.dpi)
    .bind(p.image.paper)
    .bind(p.source)
    .bind(p.created_at)
    .execute(ex)
    .await?;
    Ok(())
}

/// Replaces the image of page `id` (a rotated page).
pub async fn set_page_image(
    ex: impl SqliteExecutor<'_>,
    id: i64,
    image: &PageImage<'_>,
) -> Result<()> {
    sqlx::query(
        "UPDATE material_pages SET blob = ?, size = ?, width = ?, height = ?, paper = ?
         WHERE id = ?",
    )
    .bind(image.blob)
    .bind(image.size)
    .bind(image.width)
    .bind(image.height)
    .bind(image.paper)
    .bind(id)
    .execute(ex)
    .await?;
    Ok(())
}

/// Numbers the pages `ids` 1, 2, … in that order.
pub async fn renumber_pages(conn: &mut SqliteConnection, ids: &[i64]) -> Result<()> {
    for (k, id) in ids.iter().enumerate() {
        sqlx::query("UPDATE material_pages SET ord = ? WHERE id = ?")
            .bind(k as i64 + 1)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn delete_page(ex: impl SqliteExecutor<'_>, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM material_pages WHERE id = ?")
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

/// The ids of a material's pages, in order.
pub async fn page_ids(
    ex: impl SqliteExecutor<'_>,
    case_id: i64,
    material_no: &str,
) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM material_pages WHERE case_id = ? AND material_no = ? ORDER BY ord",
    )
    .bind(case_id)
    .bind(material_no)
    .fetch_all(ex)
    .await?)
}

/// How many pages use `blob`.
pub async fn blob_uses(ex: impl SqliteExecutor<'_>, blob: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM material_pages WHERE blob = ?")
            .bind(blob)
            .fetch_one(ex)
            .await?,
    )
}

/// How many pages a material has.
pub async fn page_count(
    ex: impl SqliteExecutor<'_>,
    case_id: i64,
    material_no: &str,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM material_pages WHERE case_id = ? AND material_no = ?",
    )
    .bind(case_id)
    .bind(material_no)
    .fetch_one(ex)
    .await?)
}

// ---- material_uploads ----

/// Records the hub's `attachguid` of a material's PDF, with its current page count.
pub async fn set_upload(
    ex: impl SqliteExecutor<'_>,
    project_no: &str,
    material_no: &str,
    attachguid: &str,
    at: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO material_uploads (case_id, material_no, attachguid, pages, uploaded_at)
         SELECT c.id, ?2, ?3,
            (SELECT COUNT(*) FROM material_pages p WHERE p.case_id = c.id AND p.material_no = ?2), ?4
         FROM cases c WHERE c.project_no = ?1
         ON CONFLICT (case_id, material_no) DO UPDATE SET attachguid = excluded.attachguid,
            pages = excluded.pages, uploaded_at = excluded.uploaded_at",
    )
    .bind(project_no)
    .bind(material_no)
    .bind(attachguid)
    .bind(at)
    .execute(ex)
    .await?;
    Ok(())
}

/// The uploaded materials of case `project_no`: (material number, attachguid).
pub async fn uploads_by_project(
    ex: impl SqliteExecutor<'_>,
    project_no: &str,
) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT u.material_no, u.attachguid FROM material_uploads u
         JOIN cases c ON c.id = u.case_id WHERE c.project_no = ?",
    )
    .bind(project_no)
    .fetch_all(ex)
    .await?)
}

/// The uploaded materials of case `case_id`: (material number, attachguid).
pub async fn uploads(ex: impl SqliteExecutor<'_>, case_id: i64) -> Result<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT material_no, attachguid FROM material_uploads WHERE case_id = ?")
            .bind(case_id)
            .fetch_all(ex)
            .await?,
    )
}

pub async fn delete_upload(
    ex: impl SqliteExecutor<'_>,
    case_id: i64,
    material_no: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM material_uploads WHERE case_id = ? AND material_no = ?")
        .bind(case_id)
        .bind(material_no)
        .execute(ex)
        .await?;
    Ok(())
}

// ---- the outbox entries of material uploads ----
// These read and write the `outbox` table, but only for a material's 7.2.7 upload; the
// outbox's own module keeps the rest.

/// Whether the case's acceptance is in the outbox.
pub async fn acceptance_queued(ex: impl SqliteExecutor<'_>, case_id: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE case_id = ? AND operation IN ('accept', 'all')",
    )
    .bind(case_id)
    .fetch_one(ex)
    .await?;
    Ok(n > 0)
}

/// The uploads of one material queued so far: (still pending, all).
pub async fn queued_uploads(
    ex: impl SqliteExecutor<'_>,
    case_id: i64,
    event: &str,
) -> Result<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT COUNT(*) FILTER (WHERE status = 'pending') AS pending, COUNT(*) AS earlier
         FROM outbox WHERE case_id = ? AND operation = 'file' AND event_code = ?",
    )
    .bind(case_id)
    .bind(event)
    .fetch_one(ex)
    .await?)
}

/// Queues an upload of a material, with the snapshot of the case's latest outbox entry.
pub async fn queue_upload(
    ex: impl SqliteExecutor<'_>,
    case_id: i64,
    project_no: &str,
    event: &str,
    version: i64,
    idem_key: &str,
    at: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO outbox (case_id, project_no, operation, event_code, version, idem_key,
            snapshot_enc, created_at, next_attempt_at)
         SELECT ?1, ?2, 'file', ?3, ?4, ?5, snapshot_enc, ?6, ?6 FROM outbox
         WHERE case_id = ?1 ORDER BY id DESC LIMIT 1",
    )
    .bind(case_id)
    .bind(project_no)
    .bind(event)
    .bind(version)
    .bind(idem_key)
    .bind(at)
    .execute(ex)
    .await?;
    Ok(())
}
