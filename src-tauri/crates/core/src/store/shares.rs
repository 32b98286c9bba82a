//! 帮我传: the sharing of a submitted case (`case_sharing`) and its requests to the
//! departments (`material_shares`).

use sqlx::{SqliteConnection, SqliteExecutor};

use crate::error::Result;
use crate::model::{CaseSharing, CaseState, MaterialShare, ShareMethod, ShareStatus};
use crate::store::rows::decode;

#[derive(sqlx::FromRow)]
struct ShareRow {
    share_id: String,
    material_no: String,
    method: String,
    status: String,
    dept_name: String,
    requested_at: String,
    deadline: String,
    sent_at: Option<String>,
    send_error: Option<String>,
    detail: String,
    signed_out_by: Option<String>,
    updated_at: String,
    file_name: Option<String>,
    file_size: Option<i64>,
}

impl ShareRow {
    /// The request, with the material's name from `names` (number, name).
    fn into_share(self, names: &[(String, String)]) -> Result<MaterialShare> {
        Ok(MaterialShare {
            share_id: self.share_id,
            sj_file_name: names
                .iter()
                .find(|(no, _)| *no == self.material_no)
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            material_no: self.material_no,
            method: decode("method", &self.method, ShareMethod::parse)?,
            status: decode("status", &self.status, ShareStatus::parse)?,
            dept_name: self.dept_name,
            requested_at: self.requested_at,
            deadline: self.deadline,
            sent: self.sent_at.is_some(),
            send_error: self.send_error,
            detail: self.detail,
            signed_out_by: self.signed_out_by,
            updated_at: self.updated_at,
            file_name: self.file_name,
            file_size: self.file_size.map(|s| s as u64),
        })
    }
}

#[derive(sqlx::FromRow)]
struct SharingRow {
    submitted_at: String,
    abnormal: Option<String>,
}

/// The sharing of a case, if it was submitted through 帮我传.
pub async fn read_sharing(
    conn: &mut SqliteConnection,
    case_id: i64,
) -> Result<Option<CaseSharing>> {
    let Some(row): Option<SharingRow> =
        sqlx::query_as("SELECT submitted_at, abnormal FROM case_sharing WHERE case_id = ?")
            .bind(case_id)
            .fetch_optional(&mut *conn)
            .await?
    else {
        return Ok(None);
    };
    let names: Vec<(String, String)> =
        sqlx::query_as("SELECT no, sj_file_name FROM case_materials WHERE case_id = ?")
            .bind(case_id)
            .fetch_all(&mut *conn)
            .await?;
    let rows: Vec<ShareRow> =
        sqlx::query_as("SELECT * FROM material_shares WHERE case_id = ? ORDER BY id")
            .bind(case_id)
            .fetch_all(&mut *conn)
            .await?;
    let shares = rows
        .into_iter()
        .map(|r| r.into_share(&names))
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(CaseSharing {
        submitted_at: row.submitted_at,
        abnormal: row.abnormal,
        shares,
    }))
}

/// Records a case as submitted through 帮我传 at `at` (not 异常).
pub async fn insert_case_sharing(
    conn: &mut SqliteConnection,
    case_id: i64,
    at: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO case_sharing (case_id, submitted_at, abnormal) VALUES (?, ?, NULL)")
        .bind(case_id)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The case counts as submitted again at `at`, and no longer 异常.
pub async fn resubmit(conn: &mut SqliteConnection, case_id: i64, at: &str) -> Result<()> {
    sqlx::query("UPDATE case_sharing SET submitted_at = ?, abnormal = NULL WHERE case_id = ?")
        .bind(at)
        .bind(case_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Flags the case 异常 with `reason`.
pub async fn set_abnormal(conn: &mut SqliteConnection, case_id: i64, reason: &str) -> Result<()> {
    sqlx::query("UPDATE case_sharing SET abnormal = ? WHERE case_id = ?")
        .bind(reason)
        .bind(case_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A new request.
pub struct NewShare<'a> {
    pub case_id: i64,
    pub material_no: &'a str,
    pub share_id: &'a str,
    pub method: ShareMethod,
    pub status: ShareStatus,
    pub dept_name: &'a str,
    pub requested_at: &'a str,
    pub deadline: &'a str,
}

pub async fn insert_share(conn: &mut SqliteConnection, s: &NewShare<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO material_shares (case_id, material_no, share_id, method, status, dept_name,
            requested_at, deadline, updated_at)
         VALUES (?,?,?,?,?,?,?,?,?)",
    )
    .bind(s.case_id)
    .bind(s.material_no)
    .bind(s.share_id)
    .bind(s.method.as_str())
    .bind(s.status.as_str())
    .bind(s.dept_name)
    .bind(s.requested_at)
    .bind(s.deadline)
    .bind(s.requested_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A request not yet taken by its department, with its case.
#[derive(sqlx::FromRow)]
pub struct UnsentRow {
    pub share_id: String,
    pub method: String,
    pub material_no: String,
    pub deadline: String,
    pub case_id: i64,
    pub project_no: String,
    pub dept_ql_reg_no: String,
}

/// The requests of 受理中 cases not yet taken by their department, oldest first.
pub async fn unsent(db: impl SqliteExecutor<'_>) -> Result<Vec<UnsentRow>> {
    Ok(sqlx::query_as(
        "SELECT s.share_id, s.method, s.material_no, s.deadline, c.id AS case_id, c.project_no,
                c.dept_ql_reg_no
         FROM material_shares s JOIN cases c ON c.id = s.case_id
         WHERE s.sent_at IS NULL AND s.status IN ('requested', 'awaiting_sign_out')
           AND c.state = 'in_acceptance'
         ORDER BY s.id",
    )
    .fetch_all(db)
    .await?)
}

/// The department took the request at `at`.
pub async fn mark_sent(conn: &mut SqliteConnection, share_id: &str, at: &str) -> Result<()> {
    sqlx::query(
        "UPDATE material_shares SET sent_at = ?, send_error = NULL, updated_at = ?
         WHERE share_id = ? AND sent_at IS NULL",
    )
    .bind(at)
    .bind(at)
    .bind(share_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Sending the request failed (it is sent again).
pub async fn send_failed(conn: &mut SqliteConnection, share_id: &str, why: &str) -> Result<()> {
    sqlx::query("UPDATE material_shares SET send_error = ? WHERE share_id = ?")
        .bind(why)
        .bind(share_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The department cannot provide the material: 材料缺失, when the request still waits.
/// Returns its case and material number.
pub async fn mark_unavailable(
    conn: &mut SqliteConnection,
    share_id: &str,
    why: &str,
    at: &str,
) -> Result<Option<(i64, String)>> {
    Ok(sqlx::query_as(
        "UPDATE material_shares SET status = 'missing', sent_at = ?, send_error = NULL,
            detail = ?, updated_at = ?
         WHERE share_id = ? AND status IN ('requested', 'awaiting_sign_out')
         RETURNING case_id, material_no",
    )
    .bind(at)
    .bind(why)
    .bind(at)
    .bind(share_id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The case's number and the material's name (its number when the case has no such
/// material).
pub async fn case_and_material_name(
    conn: &mut SqliteConnection,
    case_id: i64,
    material_no: &str,
) -> Result<(String, String)> {
    Ok(sqlx::query_as(
        "SELECT c.project_no, COALESCE(m.sj_file_name, ?) FROM cases c
         LEFT JOIN case_materials m ON m.case_id = c.id AND m.no = ?
         WHERE c.id = ?",
    )
    .bind(material_no)
    .bind(material_no)
    .bind(case_id)
    .fetch_one(&mut *conn)
    .await?)
}

#[derive(sqlx::FromRow)]
struct CallbackRow {
    id: i64,
    case_id: i64,
    material_no: String,
    method: String,
    status: String,
    project_no: String,
}

/// The request a department's callback names, with its case.
pub struct CallbackShare {
    pub id: i64,
    pub case_id: i64,
    pub material_no: String,
    pub method: ShareMethod,
    pub status: ShareStatus,
    pub project_no: String,
}

pub async fn by_share_id(
    conn: &mut SqliteConnection,
    share_id: &str,
) -> Result<Option<CallbackShare>> {
    let row: Option<CallbackRow> = sqlx::query_as(
        "SELECT s.id, s.case_id, s.material_no, s.method, s.status, c.project_no
         FROM material_shares s JOIN cases c ON c.id = s.case_id WHERE s.share_id = ?",
    )
    .bind(share_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(CallbackShare {
            id: r.id,
            case_id: r.case_id,
            material_no: r.material_no,
            method: decode("method", &r.method, ShareMethod::parse)?,
            status: decode("status", &r.status, ShareStatus::parse)?,
            project_no: r.project_no,
        })
    })
    .transpose()
}

/// The department's file arrived (stored sealed in the blob store under `blob`): 已完成.
pub async fn complete_with_file(
    conn: &mut SqliteConnection,
    id: i64,
    file_name: &str,
    blob: &str,
    size: i64,
    at: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE material_shares SET status = 'completed', file_name = ?, file_blob = ?,
            file_size = ?, updated_at = ?, sent_at = COALESCE(sent_at, ?) WHERE id = ?",
    )
    .bind(file_name)
    .bind(blob)
    .bind(size)
    .bind(at)
    .bind(at)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// 材料缺失, with the department's reason.
pub async fn mark_missing(conn: &mut SqliteConnection, id: i64, why: &str, at: &str) -> Result<()> {
    sqlx::query(
        "UPDATE material_shares SET status = 'missing', detail = ?, updated_at = ? WHERE id = ?",
    )
    .bind(why)
    .bind(at)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The paper was signed out with `code` by `by`: 待签入.
pub async fn mark_signed_out(
    conn: &mut SqliteConnection,
    id: i64,
    code: &str,
    by: &str,
    at: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE material_shares SET status = 'awaiting_sign_in', signout_code = ?,
            signed_out_by = ?, updated_at = ?, sent_at = COALESCE(sent_at, ?) WHERE id = ?",
    )
    .bind(code)
    .bind(by)
    .bind(at)
    .bind(at)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct PaperRow {
    id: i64,
    status: String,
    signout_code: Option<String>,
}

/// The current paper request for a material: (id, status, the code it was signed out with).
pub async fn current_paper_share(
    conn: &mut SqliteConnection,
    project_no: &str,
    material_no: &str,
) -> Result<Option<(i64, ShareStatus, Option<String>)>> {
    let row: Option<PaperRow> = sqlx::query_as(
        "SELECT s.id, s.status, s.signout_code FROM material_shares s JOIN cases c ON c.id = s.case_id
         WHERE c.project_no = ? AND s.material_no = ? AND s.method = 'paper'
           AND s.status NOT IN ('superseded', 'cancelled')
         ORDER BY s.id DESC LIMIT 1",
    )
    .bind(project_no)
    .bind(material_no)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok((
            r.id,
            decode("status", &r.status, ShareStatus::parse)?,
            r.signout_code,
        ))
    })
    .transpose()
}

/// The paper was signed in at the counter: 已完成.
pub async fn mark_signed_in(conn: &mut SqliteConnection, id: i64, at: &str) -> Result<()> {
    sqlx::query("UPDATE material_shares SET status = 'completed', updated_at = ? WHERE id = ?")
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct CaseRow {
    id: i64,
    state: String,
    dept_ql_reg_no: String,
}

/// The case numbered `project_no`: (id, state, item code).
pub async fn case_of(
    conn: &mut SqliteConnection,
    project_no: &str,
) -> Result<Option<(i64, CaseState, String)>> {
    let row: Option<CaseRow> =
        sqlx::query_as("SELECT id, state, dept_ql_reg_no FROM cases WHERE project_no = ?")
            .bind(project_no)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|r| {
        Ok((
            r.id,
            decode("state", &r.state, CaseState::parse)?,
            r.dept_ql_reg_no,
        ))
    })
    .transpose()
}

/// The name of material `no` of a case.
pub async fn material_name(
    conn: &mut SqliteConnection,
    case_id: i64,
    no: &str,
) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT sj_file_name FROM case_materials WHERE case_id = ? AND no = ?")
            .bind(case_id)
            .bind(no)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Supersedes the material's open requests (a later callback for them is refused).
pub async fn supersede(
    conn: &mut SqliteConnection,
    case_id: i64,
    material_no: &str,
    at: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE material_shares SET status = 'superseded', updated_at = ?
         WHERE case_id = ? AND material_no = ? AND status NOT IN ('superseded', 'cancelled')",
    )
    .bind(at)
    .bind(case_id)
    .bind(material_no)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Cancels the open requests of cases no longer 受理中.
pub async fn cancel_orphans(db: impl SqliteExecutor<'_>, at: &str) -> Result<()> {
    sqlx::query(
        "UPDATE material_shares SET status = 'cancelled', updated_at = ?
         WHERE status IN ('requested', 'awaiting_sign_out', 'awaiting_sign_in')
           AND case_id IN (SELECT id FROM cases WHERE state <> 'in_acceptance')",
    )
    .bind(at)
    .execute(db)
    .await?;
    Ok(())
}

/// Times out the open requests past their deadline at `at`; returns their (case id, material
/// number).
pub async fn time_out(conn: &mut SqliteConnection, at: &str) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "UPDATE material_shares SET status = 'timed_out', detail = '超过调取时限未到位', updated_at = ?
         WHERE status IN ('requested', 'awaiting_sign_out', 'awaiting_sign_in') AND deadline < ?
         RETURNING case_id, material_no",
    )
    .bind(at)
    .bind(at)
    .fetch_all(&mut *conn)
    .await?)
}

/// Flags 异常 with `reason` the 受理中 cases submitted before `cutoff` and not flagged yet;
/// returns their ids.
pub async fn flag_stale(
    conn: &mut SqliteConnection,
    reason: &str,
    cutoff: &str,
) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "UPDATE case_sharing SET abnormal = ?
         WHERE abnormal IS NULL AND submitted_at < ?
           AND case_id IN (SELECT id FROM cases WHERE state = 'in_acceptance')
         RETURNING case_id",
    )
    .bind(reason)
    .bind(cutoff)
    .fetch_all(&mut *conn)
    .await?)
}

/// The number of case `case_id`.
pub async fn project_no_of(conn: &mut SqliteConnection, case_id: i64) -> Result<String> {
    Ok(
        sqlx::query_scalar("SELECT project_no FROM cases WHERE id = ?")
            .bind(case_id)
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// A 受理中 case, as the list shows it.
#[derive(sqlx::FromRow)]
pub struct InAcceptanceRow {
    pub id: i64,
    pub project_no: String,
    pub dept_ql_name: String,
    pub applicant_name: String,
    pub applicant_paper_code_masked: String,
}

/// The 受理中 cases, oldest first.
pub async fn in_acceptance(db: impl SqliteExecutor<'_>) -> Result<Vec<InAcceptanceRow>> {
    Ok(sqlx::query_as(
        "SELECT id, project_no, dept_ql_name, applicant_name, applicant_paper_code_masked
         FROM cases WHERE state = 'in_acceptance' ORDER BY id",
    )
    .fetch_all(db)
    .await?)
}

/// The name and blob of the latest file a department sent for a material.
pub async fn shared_file(
    db: impl SqliteExecutor<'_>,
    project_no: &str,
    material_no: &str,
) -> Result<Option<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT s.file_name, s.file_blob FROM material_shares s JOIN cases c ON c.id = s.case_id
         WHERE c.project_no = ? AND s.material_no = ? AND s.file_blob IS NOT NULL
         ORDER BY s.id DESC LIMIT 1",
    )
    .bind(project_no)
    .bind(material_no)
    .fetch_optional(db)
    .await?)
}
