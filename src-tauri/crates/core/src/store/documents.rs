//! The `documents` table (and its `doc_counters`): the sealed PDFs issued on cases.

use sqlx::SqliteExecutor;

use super::parse_code;
use crate::error::Result;
use crate::model::{DocumentInfo, NoticeKind};

/// Takes the next number of the `kind` documents of `year`, from 1.
pub async fn next_seq(ex: impl SqliteExecutor<'_>, kind: NoticeKind, year: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO doc_counters (kind, year, last_seq) VALUES (?, ?, 1)
         ON CONFLICT (kind, year) DO UPDATE SET last_seq = last_seq + 1
         RETURNING last_seq",
    )
    .bind(kind.as_str())
    .bind(year)
    .fetch_one(ex)
    .await?)
}

/// A document as stored: its PDF sealed.
pub struct NewDocument<'a> {
    pub case_id: i64,
    pub kind: NoticeKind,
    pub doc_no: &'a str,
    pub created_at: &'a str,
    pub size: i64,
    pub sha256: String,
    pub body_enc: Vec<u8>,
}

pub async fn insert(ex: impl SqliteExecutor<'_>, d: &NewDocument<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO documents (case_id, kind, doc_no, created_at, size, sha256, body_enc)
         VALUES (?,?,?,?,?,?,?)",
    )
    .bind(d.case_id)
    .bind(d.kind.as_str())
    .bind(d.doc_no)
    .bind(d.created_at)
    .bind(d.size)
    .bind(&d.sha256)
    .bind(&d.body_enc)
    .execute(ex)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
pub struct DocumentRow {
    pub kind: String,
    pub doc_no: String,
    pub created_at: String,
    pub size: i64,
    pub attachguid: Option<String>,
}

impl TryFrom<DocumentRow> for DocumentInfo {
    type Error = crate::error::CoreError;

    fn try_from(r: DocumentRow) -> Result<Self> {
        let kind = parse_code("kind", &r.kind, NoticeKind::parse)?;
        Ok(DocumentInfo {
            kind,
            doc_no: r.doc_no,
            title: kind.title().to_string(),
            created_at: r.created_at,
            size: r.size as u64,
            attachguid: r.attachguid,
        })
    }
}

/// The documents of a case, in the order they were issued.
pub async fn for_case(ex: impl SqliteExecutor<'_>, case_id: i64) -> Result<Vec<DocumentInfo>> {
    let rows: Vec<DocumentRow> = sqlx::query_as(
        "SELECT kind, doc_no, created_at, size, attachguid FROM documents WHERE case_id = ? ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(ex)
    .await?;
    rows.into_iter().map(DocumentInfo::try_from).collect()
}

/// The sealed PDF of the latest document of `kind` on case `project_no`.
pub async fn latest_body(
    ex: impl SqliteExecutor<'_>,
    project_no: &str,
    kind: NoticeKind,
) -> Result<Option<Vec<u8>>> {
    Ok(sqlx::query_scalar(
        "SELECT d.body_enc FROM documents d JOIN cases c ON c.id = d.case_id
         WHERE c.project_no = ? AND d.kind = ? ORDER BY d.id DESC LIMIT 1",
    )
    .bind(project_no)
    .bind(kind.as_str())
    .fetch_optional(ex)
    .await?)
}

/// A document found by its number.
#[derive(sqlx::FromRow)]
pub struct NumberedDocument {
    pub project_no: String,
    pub kind: String,
    pub body_enc: Vec<u8>,
}

impl NumberedDocument {
    pub fn kind(&self) -> Result<NoticeKind> {
        parse_code("kind", &self.kind, NoticeKind::parse)
    }
}

pub async fn by_doc_no(
    ex: impl SqliteExecutor<'_>,
    doc_no: &str,
) -> Result<Option<NumberedDocument>> {
    Ok(sqlx::query_as(
        "SELECT c.project_no, d.kind, d.body_enc FROM documents d JOIN cases c ON c.id = d.case_id
         WHERE d.doc_no = ?",
    )
    .bind(doc_no)
    .fetch_optional(ex)
    .await?)
}
