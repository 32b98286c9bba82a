//! The `case_events` table: a case's history.

use sqlx::SqliteExecutor;

use super::parse_code;
use crate::error::Result;
use crate::model::{CaseEvent, CaseState};

/// A history entry as written: the action is its label (or another word such as 打印).
pub struct NewEvent<'a> {
    pub case_id: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub window_no: &'a str,
    pub action: &'a str,
    pub from_state: Option<&'a str>,
    pub to_state: &'a str,
    pub opinion: &'a str,
}

pub async fn insert(ex: impl SqliteExecutor<'_>, e: &NewEvent<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_events (case_id, at, actor, window_no, action, from_state, to_state, opinion)
         VALUES (?,?,?,?,?,?,?,?)",
    )
    .bind(e.case_id)
    .bind(e.at)
    .bind(e.actor)
    .bind(e.window_no)
    .bind(e.action)
    .bind(e.from_state)
    .bind(e.to_state)
    .bind(e.opinion)
    .execute(ex)
    .await?;
    Ok(())
}

/// How many 打印 and 重印 entries of a case have an opinion starting with `title`.
pub async fn count_prints(ex: impl SqliteExecutor<'_>, case_id: i64, title: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM case_events WHERE case_id = ? AND action IN ('打印', '重印') AND opinion LIKE ?",
    )
    .bind(case_id)
    .bind(format!("{title}%"))
    .fetch_one(ex)
    .await?)
}

#[derive(sqlx::FromRow)]
pub struct EventRow {
    pub at: String,
    pub actor: String,
    pub window_no: String,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub opinion: String,
}

impl EventRow {
    /// The earlier state; an unknown one reads as none, as it always has.
    pub fn from_state(&self) -> Option<CaseState> {
        self.from_state.as_deref().and_then(CaseState::parse)
    }

    pub fn to_state(&self) -> Result<CaseState> {
        parse_code("to_state", &self.to_state, CaseState::parse)
    }
}

impl TryFrom<EventRow> for CaseEvent {
    type Error = crate::error::CoreError;

    fn try_from(r: EventRow) -> Result<Self> {
        Ok(CaseEvent {
            from_state: r.from_state(),
            to_state: r.to_state()?,
            at: r.at,
            actor: r.actor,
            window_no: r.window_no,
            action: r.action,
            opinion: r.opinion,
        })
    }
}

/// A case's history, oldest first.
pub async fn for_case(ex: impl SqliteExecutor<'_>, case_id: i64) -> Result<Vec<CaseEvent>> {
    let rows: Vec<EventRow> =
        sqlx::query_as("SELECT * FROM case_events WHERE case_id = ? ORDER BY id")
            .bind(case_id)
            .fetch_all(ex)
            .await?;
    rows.into_iter().map(CaseEvent::try_from).collect()
}
