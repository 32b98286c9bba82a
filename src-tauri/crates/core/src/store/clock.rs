//! The `case_clock` table: the pauses (supplements, special procedures) and extensions of a
//! case's time limit.

use sqlx::SqliteExecutor;

use super::parse_code;
use crate::error::Result;
use crate::model::{ClockEntry, ClockKind};

#[derive(sqlx::FromRow)]
pub struct ClockRow {
    pub kind: String,
    pub special_name: String,
    pub reason: String,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub result: String,
    pub amount: i64,
}

impl TryFrom<ClockRow> for ClockEntry {
    type Error = crate::error::CoreError;

    fn try_from(r: ClockRow) -> Result<Self> {
        Ok(ClockEntry {
            kind: parse_code("kind", &r.kind, ClockKind::parse)?,
            special_name: r.special_name,
            reason: r.reason,
            started_at: r.started_at,
            ended_at: r.ended_at,
            result: r.result,
            amount: r.amount as u32,
        })
    }
}

/// The pauses and extensions of a case's clock, oldest first.
pub async fn for_case(ex: impl SqliteExecutor<'_>, case_id: i64) -> Result<Vec<ClockEntry>> {
    let rows: Vec<ClockRow> =
        sqlx::query_as("SELECT * FROM case_clock WHERE case_id = ? ORDER BY id")
            .bind(case_id)
            .fetch_all(ex)
            .await?;
    rows.into_iter().map(ClockEntry::try_from).collect()
}

/// Ends the open pause of a case, with its result.
pub async fn close_open(
    ex: impl SqliteExecutor<'_>,
    case_id: i64,
    at: &str,
    result: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE case_clock SET ended_at = ?, result = ? WHERE case_id = ? AND ended_at IS NULL",
    )
    .bind(at)
    .bind(result)
    .bind(case_id)
    .execute(ex)
    .await?;
    Ok(())
}

/// A pause or an extension starting at `started_at`; an extension ends as it starts.
pub struct NewClockEntry<'a> {
    pub case_id: i64,
    pub kind: ClockKind,
    pub special_name: &'a str,
    pub reason: &'a str,
    pub started_at: &'a str,
    pub ended_at: Option<&'a str>,
    pub amount: i64,
}

pub async fn insert(ex: impl SqliteExecutor<'_>, e: &NewClockEntry<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_clock (case_id, kind, special_name, reason, started_at, ended_at, amount)
         VALUES (?,?,?,?,?,?,?)",
    )
    .bind(e.case_id)
    .bind(e.kind.as_str())
    .bind(e.special_name)
    .bind(e.reason)
    .bind(e.started_at)
    .bind(e.ended_at)
    .bind(e.amount)
    .execute(ex)
    .await?;
    Ok(())
}
