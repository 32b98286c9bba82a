//! The `case_supplements` table: the materials asked for in a supplement request (补齐补正).

use sqlx::SqliteExecutor;

use crate::error::Result;
use crate::model::SupplementRecord;

/// One material asked for.
pub struct NewSupplement<'a> {
    pub case_id: i64,
    pub requested_at: &'a str,
    pub due_date: &'a str,
    pub no: &'a str,
    pub sj_file_name: &'a str,
    pub reason: &'a str,
}

pub async fn insert(ex: impl SqliteExecutor<'_>, s: &NewSupplement<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_supplements (case_id, requested_at, due_date, no, sj_file_name, reason)
         VALUES (?,?,?,?,?,?)",
    )
    .bind(s.case_id)
    .bind(s.requested_at)
    .bind(s.due_date)
    .bind(s.no)
    .bind(s.sj_file_name)
    .bind(s.reason)
    .execute(ex)
    .await?;
    Ok(())
}

/// Marks every open request of a case as done at `at`.
pub async fn complete_open(ex: impl SqliteExecutor<'_>, case_id: i64, at: &str) -> Result<()> {
    sqlx::query("UPDATE case_supplements SET done_at = ? WHERE case_id = ? AND done_at IS NULL")
        .bind(at)
        .bind(case_id)
        .execute(ex)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
pub struct SupplementRow {
    pub requested_at: String,
    pub due_date: String,
    pub no: String,
    pub sj_file_name: String,
    pub reason: String,
    pub done_at: Option<String>,
}

impl From<SupplementRow> for SupplementRecord {
    fn from(r: SupplementRow) -> Self {
        SupplementRecord {
            requested_at: r.requested_at,
            due_date: r.due_date,
            no: r.no,
            sj_file_name: r.sj_file_name,
            reason: r.reason,
            done_at: r.done_at,
            due_estimate: None,
        }
    }
}

/// A case's supplement requests, oldest first (without their estimate warnings).
pub async fn for_case(ex: impl SqliteExecutor<'_>, case_id: i64) -> Result<Vec<SupplementRecord>> {
    let rows: Vec<SupplementRow> =
        sqlx::query_as("SELECT * FROM case_supplements WHERE case_id = ? ORDER BY id")
            .bind(case_id)
            .fetch_all(ex)
            .await?;
    Ok(rows.into_iter().map(SupplementRecord::from).collect())
}

/// An open request with its case.
#[derive(sqlx::FromRow)]
pub struct OpenSupplementRow {
    pub id: i64,
    pub case_id: i64,
    pub requested_at: String,
    pub due_date: String,
    pub project_no: String,
    pub applicant_name: String,
    pub dept_ql_name: String,
    pub state: String,
}

/// Every open request, oldest first.
pub async fn open_with_case(ex: impl SqliteExecutor<'_>) -> Result<Vec<OpenSupplementRow>> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.case_id, s.requested_at, s.due_date, c.project_no, c.applicant_name,
                c.dept_ql_name, c.state
         FROM case_supplements s JOIN cases c ON c.id = s.case_id
         WHERE s.done_at IS NULL ORDER BY s.id",
    )
    .fetch_all(ex)
    .await?)
}

pub async fn set_due_date(ex: impl SqliteExecutor<'_>, id: i64, due_date: &str) -> Result<()> {
    sqlx::query("UPDATE case_supplements SET due_date = ? WHERE id = ?")
        .bind(due_date)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}
