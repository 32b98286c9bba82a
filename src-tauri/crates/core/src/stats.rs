//! The supervisors' statistics (统计): cases taken in during a date range, counted per day,
//! per window (desk), per item and per department; the average time from intake (收件) to
//! acceptance (受理); supplement and rejection rates; overdue (红牌) and 黄牌 counts of the
//! cases still pending; and the applicants' satisfaction (满意度, dictionary B.10).
//!
//! The range is on the intake day (`apply_date`), both ends inclusive.

use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Row, Sqlite};
use ts_rs::TS;

use crate::Desk;
use crate::desk::code;
use crate::dict::{Satisfaction, TimeUnit};
use crate::error::{CoreError, Result};
use crate::model::FieldError;
use crate::timelimit::{CaseClock, WarningLevel};

/// The range asked for; either end may be open.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatsFilter {
    /// First intake day (`YYYY-MM-DD`, inclusive).
    pub from: Option<String>,
    /// Last intake day (`YYYY-MM-DD`, inclusive).
    pub to: Option<String>,
}

/// One bar of a chart: a key (day, window number, item or department code), its label and the
/// number of cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatCount {
    pub key: String,
    pub label: String,
    #[ts(type = "number")]
    pub count: u64,
}

/// How many applicants gave one rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SatisfactionCount {
    pub rating: Satisfaction,
    pub label: String,
    #[ts(type = "number")]
    pub count: u64,
}

/// The statistics of the cases taken in during the range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaseStats {
    pub from: Option<String>,
    pub to: Option<String>,
    /// The day the statistics were made (for the overdue counts).
    pub today: String,
    /// Cases taken in (every state).
    #[ts(type = "number")]
    pub total: u64,
    /// Per intake day, oldest first.
    pub per_day: Vec<StatCount>,
    /// Per window (窗口号), most cases first.
    pub per_window: Vec<StatCount>,
    /// Per item (事项), most cases first.
    pub per_item: Vec<StatCount>,
    /// Per department (部门), most cases first.
    pub per_department: Vec<StatCount>,
    /// Cases accepted (受理), whatever became of them later.
    #[ts(type = "number")]
    pub accepted: u64,
    /// Average minutes from intake (收件) to acceptance (受理), over the accepted cases.
    pub avg_accept_minutes: Option<f64>,
    /// Cases asked for a supplement (补齐补正) at least once.
    #[ts(type = "number")]
    pub supplemented: u64,
    /// `supplemented / total` (0 when there is none).
    pub supplement_rate: f64,
    /// Cases refused (不予受理).
    #[ts(type = "number")]
    pub rejected: u64,
    /// `rejected / total`.
    pub rejection_rate: f64,
    /// Cases still pending and past their promised date today (红牌).
    #[ts(type = "number")]
    pub overdue: u64,
    /// Cases still pending and 黄牌 today.
    #[ts(type = "number")]
    pub yellow: u64,
    /// Ratings per B.10 value, in the dictionary's order (every value, zeros included).
    pub satisfaction: Vec<SatisfactionCount>,
    /// Cases rated.
    #[ts(type = "number")]
    pub rated: u64,
    /// The average rating (1 很不满意 … 5 很满意) of the rated cases.
    pub satisfaction_avg: Option<f64>,
}

fn day_ok(s: &str) -> bool {
    s.len() == 10 && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

/// Trims the filter and checks its dates.
fn checked(f: &StatsFilter) -> Result<StatsFilter> {
    let mut errors = Vec::new();
    let mut date = |s: &Option<String>, field: &str, label: &str| {
        let s = s.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        if !day_ok(s) {
            errors.push(FieldError {
                field: field.into(),
                label: label.into(),
                message: format!("“{s}”不是有效日期，应为 YYYY-MM-DD"),
            });
        }
        Some(s.to_string())
    };
    let from = date(&f.from, "from", "起始日期");
    let to = date(&f.to, "to", "截止日期");
    if let (Some(a), Some(b)) = (&from, &to)
        && errors.is_empty()
        && a > b
    {
        errors.push(FieldError {
            field: "to".into(),
            label: "截止日期".into(),
            message: "截止日期不能早于起始日期".into(),
        });
    }
    if !errors.is_empty() {
        return Err(CoreError::Validation(errors));
    }
    Ok(StatsFilter { from, to })
}

/// ` AND substr(apply_date, 1, 10) BETWEEN …` for the range.
fn push_range(q: &mut QueryBuilder<Sqlite>, f: &StatsFilter) {
    if let Some(from) = &f.from {
        q.push(" AND substr(apply_date, 1, 10) >= ")
            .push_bind(from.clone());
    }
    if let Some(to) = &f.to {
        q.push(" AND substr(apply_date, 1, 10) <= ")
            .push_bind(to.clone());
    }
}

fn ratio(n: u64, d: u64) -> f64 {
    if d == 0 { 0.0 } else { n as f64 / d as f64 }
}

impl Desk {
    /// The statistics of the cases taken in during `filter`'s range.
    pub async fn case_stats(&self, filter: &StatsFilter) -> Result<CaseStats> {
        let f = checked(filter)?;
        self.refresh_due_dates().await?;
        let pool = self.store.pool();
        let today = self.now().date_naive();
        let today_s = today.format("%Y-%m-%d").to_string();

        let group = |key: &str, label: &str, order: &str| {
            let mut q = QueryBuilder::<Sqlite>::new(format!(
                "SELECT {key} AS k, MAX({label}) AS l, COUNT(*) AS n FROM cases WHERE 1 = 1"
            ));
            push_range(&mut q, &f);
            q.push(format!(" GROUP BY {key} ORDER BY {order}"));
            q
        };
        let mut counts = Vec::new();
        for (key, label, order) in [
            ("substr(apply_date, 1, 10)", "''", "k"),
            ("window_no", "window_no", "n DESC, k"),
            ("dept_ql_reg_no", "dept_ql_name", "n DESC, k"),
            ("org_id", "org_name", "n DESC, k"),
        ] {
            let mut q = group(key, label, order);
            let rows = q.build().fetch_all(pool).await?;
            let mut list = Vec::with_capacity(rows.len());
            for r in &rows {
                let key: String = r.try_get("k")?;
                let label: String = r.try_get("l")?;
                list.push(StatCount {
                    label: if label.is_empty() { key.clone() } else { label },
                    key,
                    count: r.try_get::<i64, _>("n")? as u64,
                });
            }
            counts.push(list);
        }
        let per_department = counts.pop().unwrap_or_default();
        let per_item = counts.pop().unwrap_or_default();
        let per_window = counts.pop().unwrap_or_default();
        let per_day = counts.pop().unwrap_or_default();

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
        q.push_bind(today_s.clone());
        q.push(
            "), 0) AS overdue_running,
                COALESCE(SUM(state = 'accepted' AND due_date >= ",
        );
        q.push_bind(today_s.clone());
        q.push(" AND yellow_from <= ");
        q.push_bind(today_s.clone());
        q.push(
            "), 0) AS yellow_running,
                COUNT(satisfaction) AS rated,
                AVG(CAST(satisfaction AS REAL)) AS sat_avg
             FROM cases WHERE 1 = 1",
        );
        push_range(&mut q, &f);
        let r = q.build().fetch_one(pool).await?;
        let total = r.try_get::<i64, _>("total")? as u64;
        let accepted = r.try_get::<i64, _>("accepted")? as u64;
        let rejected = r.try_get::<i64, _>("rejected")? as u64;
        let supplemented = r.try_get::<i64, _>("supplemented")? as u64;
        let mut overdue = r.try_get::<i64, _>("overdue_running")? as u64;
        let mut yellow = r.try_get::<i64, _>("yellow_running")? as u64;
        let rated = r.try_get::<i64, _>("rated")? as u64;
        let avg_accept_minutes: Option<f64> = r.try_get("avg_accept")?;
        let satisfaction_avg: Option<f64> = r.try_get("sat_avg")?;

        // Paused cases: their promised date moves every day; compute it from the clock.
        let mut q = QueryBuilder::<Sqlite>::new(
            "SELECT id, acceptdate, promise, promise_type FROM cases
             WHERE state IN ('awaiting_supplement', 'suspended')",
        );
        push_range(&mut q, &f);
        let rows = q.build().fetch_all(pool).await?;
        if !rows.is_empty() {
            let threshold = self.yellow_threshold().await?;
            let cal = self.calendar();
            let cal = cal.as_ref();
            let ids: Vec<i64> = rows
                .iter()
                .map(|r| r.try_get("id"))
                .collect::<std::result::Result<_, _>>()?;
            let mut conn = pool.acquire().await?;
            let clocks = crate::supervision::clocks_of(&mut conn, &ids).await?;
            let empty = Vec::new();
            for r in &rows {
                let id: i64 = r.try_get("id")?;
                let acceptdate: String = r.try_get("acceptdate")?;
                let Some(accepted) = crate::timelimit::day(&acceptdate) else {
                    continue;
                };
                let c = CaseClock {
                    accepted,
                    promise: u32::try_from(r.try_get::<i64, _>("promise")?).unwrap_or(0),
                    unit: code::<TimeUnit>(r, "promise_type", TimeUnit::from_code)?,
                    clock: clocks.get(&id).unwrap_or(&empty),
                };
                match c.status(cal, today, threshold).level {
                    WarningLevel::Red => overdue += 1,
                    WarningLevel::Yellow => yellow += 1,
                    WarningLevel::Normal => {}
                }
            }
        }

        let mut q = QueryBuilder::<Sqlite>::new(
            "SELECT satisfaction AS s, COUNT(*) AS n FROM cases WHERE satisfaction IS NOT NULL",
        );
        push_range(&mut q, &f);
        q.push(" GROUP BY satisfaction");
        let mut by_code = std::collections::HashMap::new();
        for r in q.build().fetch_all(pool).await? {
            by_code.insert(
                r.try_get::<String, _>("s")?,
                r.try_get::<i64, _>("n")? as u64,
            );
        }
        let satisfaction = Satisfaction::ALL
            .iter()
            .map(|s| SatisfactionCount {
                rating: *s,
                label: s.label().to_string(),
                count: by_code.get(s.code()).copied().unwrap_or(0),
            })
            .collect();

        Ok(CaseStats {
            from: f.from,
            to: f.to,
            today: today_s,
            total,
            per_day,
            per_window,
            per_item,
            per_department,
            accepted,
            avg_accept_minutes,
            supplemented,
            supplement_rate: ratio(supplemented, total),
            rejected,
            rejection_rate: ratio(rejected, total),
            overdue,
            yellow,
            satisfaction,
            rated,
            satisfaction_avg,
        })
    }
}
