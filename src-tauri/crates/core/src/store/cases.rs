//! The `cases` table (and its `case_counters`): one row per case, personal data sealed.

use sqlx::{SqliteConnection, SqliteExecutor};

use super::parse_code;
use crate::error::Result;
use crate::model::{CaseState, CaseSummary};

/// A new case, as stored: codes as text, personal data already sealed.
pub struct NewCase<'a> {
    pub row_guid: String,
    pub project_no: &'a str,
    pub dept_ql_reg_no: &'a str,
    pub dept_ql_name: &'a str,
    pub org_id: &'a str,
    pub org_name: &'a str,
    pub applicant_type: &'a str,
    pub applicant_name: &'a str,
    pub applicant_paper_type: &'a str,
    pub applicant_paper_code_enc: Vec<u8>,
    pub applicant_paper_code_idx: String,
    pub applicant_paper_code_masked: String,
    pub applicant_mobile_enc: Vec<u8>,
    pub applicant_address_enc: Vec<u8>,
    pub state: &'a str,
    pub apply_date: &'a str,
    pub acceptdate: &'a str,
    pub acceptusername: &'a str,
    pub window_no: &'a str,
    pub promise: i64,
    pub promise_type: &'a str,
    pub delivery_method: &'a str,
    pub created_at: &'a str,
    pub party_enc: Vec<u8>,
    pub situations: String,
}

/// Stores a new case at version 1 and returns its id.
pub async fn insert(ex: impl SqliteExecutor<'_>, c: &NewCase<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO cases (row_guid, project_no, dept_ql_reg_no, dept_ql_name, org_id, org_name,
            applicant_type, applicant_name, applicant_paper_type, applicant_paper_code_enc,
            applicant_paper_code_idx, applicant_paper_code_masked, applicant_mobile_enc,
            applicant_address_enc, state, apply_date, acceptdate, acceptusername, window_no, promise,
            promise_type, delivery_method, project_version, created_at, updated_at,
            party_enc, situations)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?,?,?) RETURNING id",
    )
    .bind(&c.row_guid)
    .bind(c.project_no)
    .bind(c.dept_ql_reg_no)
    .bind(c.dept_ql_name)
    .bind(c.org_id)
    .bind(c.org_name)
    .bind(c.applicant_type)
    .bind(c.applicant_name)
    .bind(c.applicant_paper_type)
    .bind(&c.applicant_paper_code_enc)
    .bind(&c.applicant_paper_code_idx)
    .bind(&c.applicant_paper_code_masked)
    .bind(&c.applicant_mobile_enc)
    .bind(&c.applicant_address_enc)
    .bind(c.state)
    .bind(c.apply_date)
    .bind(c.acceptdate)
    .bind(c.acceptusername)
    .bind(c.window_no)
    .bind(c.promise)
    .bind(c.promise_type)
    .bind(c.delivery_method)
    .bind(c.created_at)
    .bind(c.created_at)
    .bind(&c.party_enc)
    .bind(&c.situations)
    .fetch_one(ex)
    .await?)
}

/// Takes the next number of the case-number counter of `prefix` and `day`: `first` when the
/// day starts, else one past the larger of the last number and `first - 1`.
pub async fn next_seq(
    ex: impl SqliteExecutor<'_>,
    prefix: &str,
    day: &str,
    first: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO case_counters (prefix, day, last_seq) VALUES (?1, ?2, ?3)
         ON CONFLICT (prefix, day) DO UPDATE SET last_seq = MAX(last_seq, ?3 - 1) + 1
         RETURNING last_seq",
    )
    .bind(prefix)
    .bind(day)
    .bind(first)
    .fetch_one(ex)
    .await?)
}

/// A whole case row, sealed columns as stored.
#[derive(sqlx::FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub project_no: String,
    pub dept_ql_reg_no: String,
    pub dept_ql_name: String,
    pub org_id: String,
    pub org_name: String,
    #[sqlx(flatten)]
    pub applicant: ApplicantRow,
    pub situations: String,
    pub state: String,
    pub acceptdate: String,
    pub acceptusername: String,
    pub window_no: String,
    pub promise: i64,
    pub promise_type: String,
    pub delivery_method: String,
    pub satisfaction: Option<String>,
    pub satisfaction_at: Option<String>,
}

pub async fn by_project_no(
    ex: impl SqliteExecutor<'_>,
    project_no: &str,
) -> Result<Option<CaseRow>> {
    Ok(sqlx::query_as("SELECT * FROM cases WHERE project_no = ?")
        .bind(project_no)
        .fetch_optional(ex)
        .await?)
}

/// What an action on a case reads of it before it is planned.
#[derive(sqlx::FromRow)]
pub struct ActionRow {
    pub id: i64,
    pub state: String,
    pub dept_ql_reg_no: String,
    pub situations: String,
    pub promise: i64,
}

pub async fn for_action(
    ex: impl SqliteExecutor<'_>,
    project_no: &str,
) -> Result<Option<ActionRow>> {
    Ok(sqlx::query_as(
        "SELECT id, state, dept_ql_reg_no, situations, promise FROM cases WHERE project_no = ?",
    )
    .bind(project_no)
    .fetch_optional(ex)
    .await?)
}

/// The id of case `project_no` (a missing case is a storage error: callers checked it exists).
pub async fn id_of(ex: impl SqliteExecutor<'_>, project_no: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT id FROM cases WHERE project_no = ?")
            .bind(project_no)
            .fetch_one(ex)
            .await?,
    )
}

pub async fn project_version(ex: impl SqliteExecutor<'_>, case_id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT project_version FROM cases WHERE id = ?")
            .bind(case_id)
            .fetch_one(ex)
            .await?,
    )
}

/// Records who accepted the case, when, at which window.
pub async fn record_acceptance(
    ex: impl SqliteExecutor<'_>,
    case_id: i64,
    at: &str,
    clerk_name: &str,
    window_no: &str,
) -> Result<()> {
    sqlx::query("UPDATE cases SET acceptdate = ?, acceptusername = ?, window_no = ? WHERE id = ?")
        .bind(at)
        .bind(clerk_name)
        .bind(window_no)
        .bind(case_id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Moves the case to `state`, one version up.
pub async fn set_state(
    ex: impl SqliteExecutor<'_>,
    case_id: i64,
    state: CaseState,
    at: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE cases SET state = ?, project_version = project_version + 1, updated_at = ? WHERE id = ?",
    )
    .bind(state.as_str())
    .bind(at)
    .bind(case_id)
    .execute(ex)
    .await?;
    Ok(())
}

/// Marks the case as changed for the hub's data exchange (cd_sign 0, operation U).
pub async fn mark_changed(ex: impl SqliteExecutor<'_>, case_id: i64) -> Result<()> {
    sqlx::query("UPDATE cases SET cd_sign = '0', cd_operation = 'U' WHERE id = ?")
        .bind(case_id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Forgets the stored due dates of accepted cases, to be computed again.
pub async fn clear_accepted_due_dates(ex: impl SqliteExecutor<'_>) -> Result<()> {
    sqlx::query("UPDATE cases SET due_date = NULL WHERE acceptdate <> ''")
        .execute(ex)
        .await?;
    Ok(())
}

/// Forgets every stored due date, to be computed again.
pub async fn clear_all_due_dates(ex: impl SqliteExecutor<'_>) -> Result<()> {
    sqlx::query("UPDATE cases SET due_date = NULL")
        .execute(ex)
        .await?;
    Ok(())
}

/// A line of the case list.
#[derive(sqlx::FromRow)]
pub struct SummaryRow {
    pub project_no: String,
    pub dept_ql_name: String,
    pub org_name: String,
    pub applicant_name: String,
    pub applicant_paper_code_masked: String,
    pub state: String,
    pub apply_date: String,
    pub acceptdate: String,
    pub acceptusername: String,
}

impl TryFrom<SummaryRow> for CaseSummary {
    type Error = crate::error::CoreError;

    fn try_from(r: SummaryRow) -> Result<Self> {
        Ok(CaseSummary {
            state: parse_code("state", &r.state, CaseState::parse)?,
            project_no: r.project_no,
            dept_ql_name: r.dept_ql_name,
            org_name: r.org_name,
            applicant_name: r.applicant_name,
            applicant_paper_code_masked: r.applicant_paper_code_masked,
            apply_date: r.apply_date,
            acceptdate: r.acceptdate,
            acceptusername: r.acceptusername,
        })
    }
}

/// What a case list searches for: a case number (or its tail), a name, or the blind index of
/// a whole ID number; `None` lists every case.
pub struct CaseSearch<'a> {
    pub text: Option<&'a str>,
    pub blind_index: Option<String>,
    pub state: Option<CaseState>,
    pub limit: i64,
}

/// Cases, newest first.
pub async fn list(ex: impl SqliteExecutor<'_>, q: &CaseSearch<'_>) -> Result<Vec<CaseSummary>> {
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT project_no, dept_ql_name, org_name, applicant_name,
                applicant_paper_code_masked, state, apply_date, acceptdate, acceptusername
         FROM cases
         WHERE (?1 IS NULL OR project_no = ?1 OR project_no LIKE ?2 ESCAPE '\\'
                OR applicant_name LIKE ?3 ESCAPE '\\' OR applicant_paper_code_idx = ?4)
           AND (?5 IS NULL OR state = ?5)
         ORDER BY id DESC LIMIT ?6",
    )
    .bind(q.text)
    .bind(q.text.map(|s| format!("%{}", like_escape(s))))
    .bind(q.text.map(|s| format!("%{}%", like_escape(s))))
    .bind(q.blind_index.as_deref())
    .bind(q.state.map(CaseState::as_str))
    .bind(q.limit)
    .fetch_all(ex)
    .await?;
    rows.into_iter().map(CaseSummary::try_from).collect()
}

fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// An applicant as recorded on a case, sealed columns as stored.
#[derive(sqlx::FromRow)]
pub struct ApplicantRow {
    pub applicant_type: String,
    pub applicant_name: String,
    pub applicant_paper_type: String,
    pub applicant_paper_code_enc: Vec<u8>,
    pub applicant_mobile_enc: Vec<u8>,
    pub applicant_address_enc: Vec<u8>,
    pub party_enc: Option<Vec<u8>>,
    pub apply_date: String,
}

/// The applicants of the cases with ID-number blind index `idx`, newest first.
pub async fn applicants_by_index(
    ex: impl SqliteExecutor<'_>,
    idx: &str,
) -> Result<Vec<ApplicantRow>> {
    Ok(sqlx::query_as(
        "SELECT applicant_type, applicant_name, applicant_paper_type, applicant_paper_code_enc,
                applicant_mobile_enc, applicant_address_enc, party_enc, apply_date
         FROM cases WHERE applicant_paper_code_idx = ? ORDER BY id DESC",
    )
    .bind(idx)
    .fetch_all(ex)
    .await?)
}

/// An open accepted case, with what its promised date is computed from.
#[derive(sqlx::FromRow)]
pub struct OpenCaseRow {
    pub id: i64,
    pub project_no: String,
    pub applicant_name: String,
    pub dept_ql_name: String,
    pub state: String,
    pub acceptdate: String,
    pub promise: i64,
    pub promise_type: String,
}

/// The accepted cases still running (accepted, awaiting a supplement, suspended), oldest first.
pub async fn open_accepted(conn: &mut SqliteConnection) -> Result<Vec<OpenCaseRow>> {
    Ok(sqlx::query_as(
        "SELECT id, project_no, applicant_name, dept_ql_name, state, acceptdate, promise,
                promise_type
         FROM cases WHERE acceptdate <> '' AND state IN ('accepted', 'awaiting_supplement', 'suspended')
         ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?)
}
