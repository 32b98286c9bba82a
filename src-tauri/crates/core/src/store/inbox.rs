//! What the hub forwards to the desk: the `inbox` (one row per message, unique `msgid`),
//! the cases' results (`case_results`), the departments' documents (`hub_documents`), and the
//! changes a department's message makes to a case (its state, history and clock).

use sqlx::{SqliteConnection, SqliteExecutor};

use crate::dict::HandleResult;
use crate::error::{CoreError, Result};
use crate::model::{CaseResult, CaseState, ClockKind, HubDocumentInfo};
use crate::store::rows::decode;

/// One message taken from the hub, as the inbox keeps it.
#[derive(
    Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS, sqlx::FromRow,
)]
#[ts(export)]
pub struct InboxRow {
    pub msgid: String,
    pub interface: String,
    pub project_no: String,
    pub received_at: String,
    pub outcome: String,
    pub detail: String,
}

/// A message to record in the inbox, with what became of it.
pub struct InboxRecord<'a> {
    pub msgid: &'a str,
    pub seq: u64,
    pub interface: &'a str,
    pub project_no: &'a str,
    pub received_at: &'a str,
    /// The outcome's code (`applied`, `recorded`, `duplicate`, …).
    pub outcome: &'a str,
    pub detail: &'a str,
}

/// Whether the message `msgid` was taken before.
pub async fn seen(conn: &mut SqliteConnection, msgid: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inbox WHERE msgid = ?")
        .bind(msgid)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

/// Records a message, in the transaction that applied it.
pub async fn record(conn: &mut SqliteConnection, m: &InboxRecord<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO inbox (msgid, seq, interface, project_no, received_at, outcome, detail)
         VALUES (?,?,?,?,?,?,?)",
    )
    .bind(m.msgid)
    .bind(m.seq as i64)
    .bind(m.interface)
    .bind(m.project_no)
    .bind(m.received_at)
    .bind(m.outcome)
    .bind(m.detail)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The latest messages, newest first.
pub async fn list(db: impl SqliteExecutor<'_>, limit: i64) -> Result<Vec<InboxRow>> {
    Ok(
        sqlx::query_as("SELECT * FROM inbox ORDER BY id DESC LIMIT ?")
            .bind(limit)
            .fetch_all(db)
            .await?,
    )
}

/// The case a message is about, with what applying it needs.
#[derive(sqlx::FromRow)]
struct MessageCaseRow {
    id: i64,
    state: String,
    org_name: String,
    dept_ql_reg_no: String,
}

pub struct MessageCase {
    pub id: i64,
    pub state: CaseState,
    pub org_name: String,
    pub dept_ql_reg_no: String,
}

/// The case numbered `project_no`, if this desk holds it.
pub async fn message_case(
    conn: &mut SqliteConnection,
    project_no: &str,
) -> Result<Option<MessageCase>> {
    let row: Option<MessageCaseRow> = sqlx::query_as(
        "SELECT id, state, org_name, dept_ql_reg_no FROM cases WHERE project_no = ?",
    )
    .bind(project_no)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(MessageCase {
            id: r.id,
            state: decode("state", &r.state, CaseState::parse)?,
            org_name: r.org_name,
            dept_ql_reg_no: r.dept_ql_reg_no,
        })
    })
    .transpose()
}

/// Moves a case to `to` (a new project version).
pub async fn set_state(
    conn: &mut SqliteConnection,
    case_id: i64,
    to: CaseState,
    at: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE cases SET state = ?, project_version = project_version + 1, updated_at = ? WHERE id = ?",
    )
    .bind(to.as_str())
    .bind(at)
    .bind(case_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A line of a case's history written as it is (not from a workflow action): a department's
/// step, a change of how a material is collected.
pub struct HistoryLine<'a> {
    pub case_id: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub window_no: &'a str,
    pub action: &'a str,
    /// The case's state, which the line does not change.
    pub state: CaseState,
    pub opinion: &'a str,
}

pub async fn insert_history_line(conn: &mut SqliteConnection, e: &HistoryLine<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_events (case_id, at, actor, window_no, action, from_state, to_state, opinion)
         VALUES (?,?,?,?,?,?,?,?)",
    )
    .bind(e.case_id)
    .bind(e.at)
    .bind(e.actor)
    .bind(e.window_no)
    .bind(e.action)
    .bind(e.state.as_str())
    .bind(e.state.as_str())
    .bind(e.opinion)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Pauses a case's clock for a supplement the department asked for.
pub async fn pause_clock_for_supplement(
    conn: &mut SqliteConnection,
    case_id: i64,
    reason: &str,
    at: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_clock (case_id, kind, special_name, reason, started_at, ended_at, amount)
         VALUES (?,?,?,?,?,NULL,0)",
    )
    .bind(case_id)
    .bind(ClockKind::Supplement.as_str())
    .bind("补齐补正")
    .bind(reason)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Ends any open pause of a case's clock with `result`.
pub async fn end_open_pauses(
    conn: &mut SqliteConnection,
    case_id: i64,
    result: &str,
    at: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE case_clock SET ended_at = ?, result = ? WHERE case_id = ? AND ended_at IS NULL",
    )
    .bind(at)
    .bind(result)
    .bind(case_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ResultRow {
    status: String,
    result_no: String,
    note: String,
    resultname: String,
    handleusername: String,
    create_date: String,
    source: String,
    recorded_at: String,
}

impl ResultRow {
    fn into_result(self) -> Result<CaseResult> {
        Ok(CaseResult {
            status: decode("status", &self.status, HandleResult::from_code)?,
            result_no: self.result_no,
            note: self.note,
            resultname: self.resultname,
            handleusername: self.handleusername,
            create_date: self.create_date,
            from_hub: self.source == "hub",
            recorded_at: self.recorded_at,
        })
    }
}

/// Records (or replaces) the result of a case.
pub async fn insert_result(
    conn: &mut SqliteConnection,
    case_id: i64,
    r: &CaseResult,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_results (case_id, status, result_no, note, resultname, handleusername,
            create_date, source, recorded_at)
         VALUES (?,?,?,?,?,?,?,?,?)
         ON CONFLICT (case_id) DO UPDATE SET status = excluded.status,
            result_no = excluded.result_no, note = excluded.note,
            resultname = excluded.resultname, handleusername = excluded.handleusername,
            create_date = excluded.create_date, source = excluded.source,
            recorded_at = excluded.recorded_at",
    )
    .bind(case_id)
    .bind(r.status.code())
    .bind(&r.result_no)
    .bind(&r.note)
    .bind(&r.resultname)
    .bind(&r.handleusername)
    .bind(&r.create_date)
    .bind(if r.from_hub { "hub" } else { "desk" })
    .bind(&r.recorded_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The result of a case, if it has one.
pub async fn read_result(conn: &mut SqliteConnection, case_id: i64) -> Result<Option<CaseResult>> {
    let row: Option<ResultRow> = sqlx::query_as("SELECT * FROM case_results WHERE case_id = ?")
        .bind(case_id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(ResultRow::into_result).transpose()
}

#[derive(sqlx::FromRow)]
struct HubDocumentRow {
    id: i64,
    attachguid: String,
    docname: String,
    docnumber: String,
    received_at: String,
    size: Option<i64>,
    fetch_error: String,
}

impl From<HubDocumentRow> for HubDocumentInfo {
    fn from(r: HubDocumentRow) -> Self {
        HubDocumentInfo {
            id: r.id,
            attachguid: r.attachguid,
            docname: r.docname,
            docnumber: r.docnumber,
            received_at: r.received_at,
            size: r.size.map(|s| s as u64),
            fetch_error: r.fetch_error,
        }
    }
}

/// The departments' documents of a case, oldest first.
pub async fn read_hub_documents(
    conn: &mut SqliteConnection,
    case_id: i64,
) -> Result<Vec<HubDocumentInfo>> {
    let rows: Vec<HubDocumentRow> = sqlx::query_as(
        "SELECT id, attachguid, docname, docnumber, received_at, size, fetch_error
         FROM hub_documents WHERE case_id = ? ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(HubDocumentInfo::from).collect())
}

/// Lists a department's document to fetch later; one already listed is left as it is.
pub async fn insert_hub_document(
    conn: &mut SqliteConnection,
    case_id: i64,
    attachguid: &str,
    docname: &str,
    docnumber: &str,
    at: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO hub_documents (case_id, attachguid, docname, docnumber, received_at)
         VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
    )
    .bind(case_id)
    .bind(attachguid)
    .bind(docname)
    .bind(docnumber)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The documents not fetched yet (and not failed): (id, attachguid).
pub async fn hub_documents_to_fetch(
    db: impl SqliteExecutor<'_>,
    limit: i64,
) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, attachguid FROM hub_documents WHERE body_enc IS NULL AND fetch_error = ''
         ORDER BY id LIMIT ?",
    )
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Stores a fetched document's sealed body, its size and the SHA-256 of its plain bytes.
pub async fn store_hub_document_body(
    db: impl SqliteExecutor<'_>,
    id: i64,
    sealed: &[u8],
    size: i64,
    sha256: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE hub_documents SET body_enc = ?, size = ?, sha256 = ?, fetch_error = '' WHERE id = ?",
    )
    .bind(sealed)
    .bind(size)
    .bind(sha256)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Records why a document could not be fetched.
pub async fn hub_document_failed(db: impl SqliteExecutor<'_>, id: i64, reason: &str) -> Result<()> {
    sqlx::query("UPDATE hub_documents SET fetch_error = ? WHERE id = ?")
        .bind(reason)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// A document's name and sealed body (`None` while not fetched).
pub async fn hub_document(
    db: impl SqliteExecutor<'_>,
    id: i64,
) -> Result<(String, Option<Vec<u8>>)> {
    sqlx::query_as("SELECT docname, body_enc FROM hub_documents WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| CoreError::NotFound(format!("部门文书 {id}")))
}
