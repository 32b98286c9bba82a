//! The supervisors' queries: the pending-case review (电子监察), the statistics (统计) and
//! the supervision orders, behind [`SupervisionQueries`], so that the hall's shared database
//! (PostgreSQL) can answer them beside the desk's SQLite ([`SqliteSupervision`]).
//!
//! The SQL is kept standard where it can be. SQLite-only constructs are marked where they
//! are used: `substr`, `julianday`, sums of comparisons (SQLite's booleans are integers), and
//! `UPDATE … FROM` with a `WITH` list of values (desk maintenance, not part of the trait).
//!
//! Also here: the desk's upkeep of the stored promised dates (`cases.due_date`,
//! `cases.yellow_from`; migration 0009), which only the desk does.

use std::collections::HashMap;

use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

use crate::error::Result;
use crate::model::{CaseState, ClockEntry, ClockKind};
use crate::store::Store;
use crate::store::orders::{OrderRecord, OrderSelection};
use crate::store::rows::decode;

/// Which cases: every field optional, combined with AND.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// 受理人 (acceptusername).
    pub clerk: Option<String>,
    pub window_no: Option<String>,
    /// The item's code (dept_ql_reg_no).
    pub item: Option<String>,
    /// The department's code (org_id) or name.
    pub department: Option<String>,
}

/// Accepted cases (clock running) by their stored promised date.
#[derive(Debug, Clone)]
pub struct RunningQuery<'a> {
    pub filter: &'a CaseFilter,
    /// The one lower bound on the due date (an index scan starts there).
    pub due_from: String,
    pub due_to: Option<String>,
    /// Due strictly before this day (红牌).
    pub due_before: Option<String>,
    /// Yellow on or before this day (黄牌).
    pub yellow_by: Option<String>,
    /// Yellow only after this day (正常).
    pub yellow_after: Option<String>,
    pub limit: i64,
}

/// Paused cases, pruned by their stored promised date (a lower bound of today's).
#[derive(Debug, Clone)]
pub struct PausedQuery<'a> {
    pub filter: &'a CaseFilter,
    pub states: &'a [CaseState],
    pub due_at_most: Option<String>,
    pub due_before: Option<String>,
}

/// Cases without a running clock, newest first.
#[derive(Debug, Clone)]
pub struct UnclockedQuery<'a> {
    pub filter: &'a CaseFilter,
    pub states: &'a [CaseState],
    pub limit: i64,
}

/// A pending case as the review reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingRow {
    pub id: i64,
    pub project_no: String,
    pub dept_ql_reg_no: String,
    pub dept_ql_name: String,
    pub org_name: String,
    pub applicant_name: String,
    pub state: String,
    pub acceptdate: String,
    pub acceptusername: String,
    pub window_no: String,
    pub promise: i64,
    pub promise_type: String,
    pub due_date: Option<String>,
    pub yellow_from: Option<String>,
}

/// What a case's promised date is computed from.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClockInputRow {
    pub id: i64,
    pub state: String,
    pub acceptdate: String,
    pub promise: i64,
    pub promise_type: String,
}

/// A line of a case's history with its case, for the exchange with the supervisors'
/// system (seed 002).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryRow {
    pub id: i64,
    pub case_id: i64,
    pub at: String,
    pub actor: String,
    pub window_no: String,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub opinion: String,
    pub project_no: String,
    pub dept_ql_reg_no: String,
    pub dept_ql_name: String,
    pub org_name: String,
    pub promise: i64,
    pub promise_type: String,
}

/// The cases of the statistics' range (intake day, both ends inclusive; either end open).
#[derive(Debug, Clone, Default)]
pub struct DayRange {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// One bar of a statistics chart: key, label (may be empty), cases.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupCount {
    pub k: String,
    pub l: String,
    pub n: i64,
}

/// The counts of the statistics, over the range.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StatsTotals {
    pub total: i64,
    pub accepted: i64,
    pub avg_accept: Option<f64>,
    pub rejected: i64,
    pub supplemented: i64,
    /// Accepted cases due before the day asked for.
    pub overdue_running: i64,
    /// Accepted cases due on or after the day asked for and yellow by then.
    pub yellow_running: i64,
    pub rated: i64,
    pub sat_avg: Option<f64>,
}

/// How the statistics group the cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsGrouping {
    /// Per intake day, oldest first.
    Day,
    /// Per window, most cases first.
    Window,
    /// Per item.
    Item,
    /// Per department.
    Department,
}

/// The supervisors' read queries. The desk answers them from its SQLite
/// ([`SqliteSupervision`]); the hall's database is to answer them from PostgreSQL.
#[allow(async_fn_in_trait)]
pub trait SupervisionQueries {
    async fn running_cases(&self, q: &RunningQuery<'_>) -> Result<Vec<PendingRow>>;
    async fn paused_cases(&self, q: &PausedQuery<'_>) -> Result<Vec<PendingRow>>;
    async fn unclocked_cases(&self, q: &UnclockedQuery<'_>) -> Result<Vec<PendingRow>>;
    /// The clock entries of the given cases, by case id, oldest first.
    async fn clocks_of(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<ClockEntry>>>;
    async fn stats_groups(&self, range: &DayRange, by: StatsGrouping) -> Result<Vec<GroupCount>>;
    /// The counts of the range; `today` decides what is overdue and yellow.
    async fn stats_totals(&self, range: &DayRange, today: &str) -> Result<StatsTotals>;
    /// The paused cases of the range (their promised date moves every day).
    async fn paused_in_range(&self, range: &DayRange) -> Result<Vec<ClockInputRow>>;
    /// Ratings per B.10 code over the range.
    async fn satisfaction_counts(&self, range: &DayRange) -> Result<Vec<(String, i64)>>;
    /// The id of the case numbered `project_no`.
    async fn case_id(&self, project_no: &str) -> Result<Option<i64>>;
    /// The history lines written from `lo` to `hi` (`YYYY-MM-DD HH:MM:SS`, both
    /// inclusive), oldest first.
    async fn history_between(&self, lo: &str, hi: &str) -> Result<Vec<HistoryRow>>;
    /// The special procedure (not a supplement) of a case that started or ended at `at`: its
    /// kind and name.
    async fn special_clock_at(&self, case_id: i64, at: &str)
    -> Result<Option<(ClockKind, String)>>;
    /// Supervision orders, oldest first, with their replies.
    async fn orders(&self, selection: OrderSelection) -> Result<Vec<OrderRecord>>;
}

/// [`SupervisionQueries`] over the desk's SQLite.
#[derive(Debug, Clone)]
pub struct SqliteSupervision {
    pool: SqlitePool,
}

impl SqliteSupervision {
    pub fn new(pool: SqlitePool) -> Self {
        SqliteSupervision { pool }
    }
}

impl Store {
    /// The supervisors' queries over this store.
    pub fn supervision(&self) -> SqliteSupervision {
        SqliteSupervision::new(self.pool().clone())
    }
}

const PENDING_COLUMNS: &str =
    "SELECT id, project_no, dept_ql_reg_no, dept_ql_name, org_name, applicant_name, state,
        acceptdate, acceptusername, window_no, promise, promise_type, due_date, yellow_from
     FROM cases WHERE ";

/// `state IN ('a', 'b')` with the states written out (they are our own constants), so that
/// SQLite can match the partial index on the paused states.
fn push_states(q: &mut QueryBuilder<Sqlite>, states: &[CaseState]) {
    let list: Vec<String> = states.iter().map(|s| format!("'{}'", s.as_str())).collect();
    q.push(format!("state IN ({})", list.join(", ")));
}

fn push_filter(q: &mut QueryBuilder<Sqlite>, f: &CaseFilter) {
    if let Some(clerk) = &f.clerk {
        q.push(" AND acceptusername = ").push_bind(clerk.clone());
    }
    if let Some(window) = &f.window_no {
        q.push(" AND window_no = ").push_bind(window.clone());
    }
    if let Some(item) = &f.item {
        q.push(" AND dept_ql_reg_no = ").push_bind(item.clone());
    }
    if let Some(dept) = &f.department {
        q.push(" AND (org_id = ")
            .push_bind(dept.clone())
            .push(" OR org_name = ")
            .push_bind(dept.clone())
            .push(")");
    }
}

/// ` AND substr(apply_date, 1, 10) BETWEEN …` for the range (`substr`: SQLite; PostgreSQL
/// spells it `substring` or compares `apply_date::date`).
fn push_range(q: &mut QueryBuilder<Sqlite>, r: &DayRange) {
    if let Some(from) = &r.from {
        q.push(" AND substr(apply_date, 1, 10) >= ")
            .push_bind(from.clone());
    }
    if let Some(to) = &r.to {
        q.push(" AND substr(apply_date, 1, 10) <= ")
            .push_bind(to.clone());
    }
}

#[derive(sqlx::FromRow)]
struct ClockRow {
    case_id: i64,
    kind: String,
    special_name: String,
    reason: String,
    started_at: String,
    ended_at: Option<String>,
    result: String,
    amount: i64,
}

impl ClockRow {
    fn into_entry(self) -> Result<(i64, ClockEntry)> {
        Ok((
            self.case_id,
            ClockEntry {
                kind: decode("kind", &self.kind, ClockKind::parse)?,
                special_name: self.special_name,
                reason: self.reason,
                started_at: self.started_at,
                ended_at: self.ended_at,
                result: self.result,
                amount: u32::try_from(self.amount).unwrap_or(0),
            },
        ))
    }
}

/// The clock entries of the given cases, by case id, oldest first.
pub async fn clocks_of(
    conn: &mut SqliteConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<ClockEntry>>> {
    let mut out: HashMap<i64, Vec<ClockEntry>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "SELECT case_id, kind, special_name, reason, started_at, ended_at, result, amount
             FROM case_clock WHERE case_id IN (",
        );
        let mut sep = q.separated(", ");
        for id in chunk {
            sep.push_bind(*id);
        }
        q.push(") ORDER BY case_id, id");
        let rows: Vec<ClockRow> = q.build_query_as().fetch_all(&mut *conn).await?;
        for r in rows {
            let (case_id, entry) = r.into_entry()?;
            out.entry(case_id).or_default().push(entry);
        }
    }
    Ok(out)
}

impl SupervisionQueries for SqliteSupervision {
    async fn running_cases(&self, r: &RunningQuery<'_>) -> Result<Vec<PendingRow>> {
        let mut q = QueryBuilder::<Sqlite>::new(PENDING_COLUMNS);
        q.push("state = 'accepted'");
        push_filter(&mut q, r.filter);
        q.push(" AND due_date >= ").push_bind(r.due_from.clone());
        if let Some(to) = &r.due_to {
            q.push(" AND due_date <= ").push_bind(to.clone());
        }
        if let Some(d) = &r.due_before {
            q.push(" AND due_date < ").push_bind(d.clone());
        }
        if let Some(d) = &r.yellow_by {
            q.push(" AND yellow_from <= ").push_bind(d.clone());
        }
        if let Some(d) = &r.yellow_after {
            q.push(" AND yellow_from > ").push_bind(d.clone());
        }
        q.push(" ORDER BY due_date, id LIMIT ").push_bind(r.limit);
        Ok(q.build_query_as().fetch_all(&self.pool).await?)
    }

    async fn paused_cases(&self, p: &PausedQuery<'_>) -> Result<Vec<PendingRow>> {
        let mut q = QueryBuilder::<Sqlite>::new(PENDING_COLUMNS);
        push_states(&mut q, p.states);
        push_filter(&mut q, p.filter);
        if let Some(b) = &p.due_at_most {
            q.push(" AND due_date <= ").push_bind(b.clone());
        }
        if let Some(d) = &p.due_before {
            q.push(" AND due_date < ").push_bind(d.clone());
        }
        Ok(q.build_query_as().fetch_all(&self.pool).await?)
    }

    async fn unclocked_cases(&self, u: &UnclockedQuery<'_>) -> Result<Vec<PendingRow>> {
        let mut q = QueryBuilder::<Sqlite>::new(PENDING_COLUMNS);
        push_states(&mut q, u.states);
        push_filter(&mut q, u.filter);
        q.push(" ORDER BY id DESC LIMIT ").push_bind(u.limit);
        Ok(q.build_query_as().fetch_all(&self.pool).await?)
    }

    async fn clocks_of(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<ClockEntry>>> {
        let mut conn = self.pool.acquire().await?;
        clocks_of(&mut conn, ids).await
    }

    async fn stats_groups(&self, range: &DayRange, by: StatsGrouping) -> Result<Vec<GroupCount>> {
        let (key, label, order) = match by {
            StatsGrouping::Day => ("substr(apply_date, 1, 10)", "''", "k"),
            StatsGrouping::Window => ("window_no", "window_no", "n DESC, k"),
            StatsGrouping::Item => ("dept_ql_reg_no", "dept_ql_name", "n DESC, k"),
            StatsGrouping::Department => ("org_id", "org_name", "n DESC, k"),
        };
        let mut q = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {key} AS k, MAX({label}) AS l, COUNT(*) AS n FROM cases WHERE 1 = 1"
        ));
        push_range(&mut q, range);
        q.push(format!(" GROUP BY {key} ORDER BY {order}"));
        Ok(q.build_query_as().fetch_all(&self.pool).await?)
    }

    async fn stats_totals(&self, range: &DayRange, today: &str) -> Result<StatsTotals> {
        // SQLite: `julianday`, and sums of comparisons (booleans are integers there).
        let mut q = QueryBuilder::<Sqlite>::new(
            "SELECT COUNT(*) AS total,
                COALESCE(SUM(acceptdate <> ''), 0) AS accepted,
                AVG(CASE WHEN acceptdate <> '' THEN
                    (julianday(acceptdate) - julianday(apply_date)) * 1440.0 END) AS avg_accept,
                COALESCE(SUM(state = 'rejected'), 0) AS rejected,
                COALESCE(SUM(EXISTS (SELECT 1 FROM case_supplements s WHERE s.case_id = cases.id)), 0)
                    AS supplemented,
                COALESCE(SUM(state = 'accepted' AND due_date <> '' AND due_date < ",
        );
        q.push_bind(today.to_string());
        q.push(
            "), 0) AS overdue_running,
                COALESCE(SUM(state = 'accepted' AND due_date >= ",
        );
        q.push_bind(today.to_string());
        q.push(" AND yellow_from <= ");
        q.push_bind(today.to_string());
        q.push(
            "), 0) AS yellow_running,
                COUNT(satisfaction) AS rated,
                AVG(CAST(satisfaction AS REAL)) AS sat_avg
             FROM cases WHERE 1 = 1",
        );
        push_range(&mut q, range);
        Ok(q.build_query_as().fetch_one(&self.pool).await?)
    }

    async fn paused_in_range(&self, range: &DayRange) -> Result<Vec<ClockInputRow>> {
        let mut q = QueryBuilder::<Sqlite>::new(
            "SELECT id, state, acceptdate, promise, promise_type FROM cases
             WHERE state IN ('awaiting_supplement', 'suspended')",
        );
        push_range(&mut q, range);
        Ok(q.build_query_as().fetch_all(&self.pool).await?)
    }

    async fn satisfaction_counts(&self, range: &DayRange) -> Result<Vec<(String, i64)>> {
        let mut q = QueryBuilder::<Sqlite>::new(
            "SELECT satisfaction AS s, COUNT(*) AS n FROM cases WHERE satisfaction IS NOT NULL",
        );
        push_range(&mut q, range);
        q.push(" GROUP BY satisfaction");
        Ok(q.build_query_as().fetch_all(&self.pool).await?)
    }

    async fn case_id(&self, project_no: &str) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT id FROM cases WHERE project_no = ?")
                .bind(project_no)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn history_between(&self, lo: &str, hi: &str) -> Result<Vec<HistoryRow>> {
        Ok(sqlx::query_as(
            "SELECT e.id, e.case_id, e.at, e.actor, e.window_no, e.action, e.from_state,
                    e.to_state, e.opinion, c.project_no, c.dept_ql_reg_no, c.dept_ql_name,
                    c.org_name, c.promise, c.promise_type
             FROM case_events e JOIN cases c ON c.id = e.case_id
             WHERE e.at >= ? AND e.at <= ? ORDER BY e.at, e.id",
        )
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn special_clock_at(
        &self,
        case_id: i64,
        at: &str,
    ) -> Result<Option<(ClockKind, String)>> {
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT kind, special_name FROM case_clock
             WHERE case_id = ? AND (started_at = ? OR ended_at = ?) AND kind <> 'supplement'
             ORDER BY id DESC LIMIT 1",
        )
        .bind(case_id)
        .bind(at)
        .bind(at)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(kind, name)| Ok((decode("kind", &kind, ClockKind::parse)?, name)))
            .transpose()
    }

    async fn orders(&self, selection: OrderSelection) -> Result<Vec<OrderRecord>> {
        let mut conn = self.pool.acquire().await?;
        crate::store::orders::read(&mut conn, selection).await
    }
}

/// How many cases wait for their promised date to be recomputed.
pub async fn count_missing_due(pool: &SqlitePool) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE due_date IS NULL")
            .fetch_one(pool)
            .await?,
    )
}

/// Up to `limit` cases whose promised date is to be recomputed, by id.
pub async fn missing_due(conn: &mut SqliteConnection, limit: i64) -> Result<Vec<ClockInputRow>> {
    Ok(sqlx::query_as(
        "SELECT id, state, acceptdate, promise, promise_type FROM cases
         WHERE due_date IS NULL ORDER BY id LIMIT ?",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// Stores computed (id, promised date, first yellow day) triples.
pub async fn store_due_dates(
    conn: &mut SqliteConnection,
    computed: &[(i64, String, String)],
) -> Result<()> {
    // One statement per 500 rows (3 parameters each, well under SQLite's limit). SQLite:
    // `UPDATE … FROM` a `WITH` list of values.
    for chunk in computed.chunks(500) {
        let mut q = QueryBuilder::<Sqlite>::new("WITH v (id, d, y) AS (");
        q.push_values(chunk, |mut b, (id, d, y)| {
            b.push_bind(*id).push_bind(d.clone()).push_bind(y.clone());
        });
        q.push(
            ") UPDATE cases SET due_date = v.d, yellow_from = v.y FROM v
             WHERE cases.id = v.id",
        );
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Stores the yellow threshold (setting `key`, JSON) and marks the accepted cases' promised
/// dates for recomputing, in one transaction.
pub async fn save_threshold(conn: &mut SqliteConnection, key: &str, json: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(json)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE cases SET due_date = NULL WHERE state = 'accepted'")
        .execute(&mut *conn)
        .await?;
    Ok(())
}
