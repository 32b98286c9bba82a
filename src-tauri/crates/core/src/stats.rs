//! The supervisors' statistics (统计): cases taken in during a date range, counted per day,
//! per window (desk), per item and per department; the average time from intake (收件) to
//! acceptance (受理); supplement and rejection rates; overdue (红牌) and 黄牌 counts of the
//! cases still pending; and the applicants' satisfaction (满意度, dictionary B.10).
//!
//! The range is on the intake day (`apply_date`), both ends inclusive.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Desk;
use crate::dict::Satisfaction;
use crate::error::{CoreError, Result};
use crate::model::FieldError;
use crate::store::supervision::{DayRange, StatsGrouping, SupervisionQueries};
use crate::supervision::clock_of;
use crate::timelimit::WarningLevel;

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

fn ratio(n: u64, d: u64) -> f64 {
    if d == 0 { 0.0 } else { n as f64 / d as f64 }
}

impl Desk {
    /// The statistics of the cases taken in during `filter`'s range.
    pub async fn case_stats(&self, filter: &StatsFilter) -> Result<CaseStats> {
        let f = checked(filter)?;
        self.refresh_due_dates().await?;
        let queries = self.store.supervision();
        let range = DayRange {
            from: f.from.clone(),
            to: f.to.clone(),
        };
        let today = self.now().date_naive();
        let today_s = today.format("%Y-%m-%d").to_string();

        let mut counts = Vec::new();
        for by in [
            StatsGrouping::Day,
            StatsGrouping::Window,
            StatsGrouping::Item,
            StatsGrouping::Department,
        ] {
            let list = queries
                .stats_groups(&range, by)
                .await?
                .into_iter()
                .map(|g| StatCount {
                    label: if g.l.is_empty() { g.k.clone() } else { g.l },
                    key: g.k,
                    count: g.n as u64,
                })
                .collect::<Vec<_>>();
            counts.push(list);
        }
        let per_department = counts.pop().unwrap_or_default();
        let per_item = counts.pop().unwrap_or_default();
        let per_window = counts.pop().unwrap_or_default();
        let per_day = counts.pop().unwrap_or_default();

        let r = queries.stats_totals(&range, &today_s).await?;
        let total = r.total as u64;
        let accepted = r.accepted as u64;
        let rejected = r.rejected as u64;
        let supplemented = r.supplemented as u64;
        let mut overdue = r.overdue_running as u64;
        let mut yellow = r.yellow_running as u64;
        let rated = r.rated as u64;
        let avg_accept_minutes = r.avg_accept;
        let satisfaction_avg = r.sat_avg;

        // Paused cases: their promised date moves every day; compute it from the clock.
        let rows = queries.paused_in_range(&range).await?;
        if !rows.is_empty() {
            let threshold = self.yellow_threshold().await?;
            let cal = self.calendar();
            let cal = cal.as_ref();
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let clocks = queries.clocks_of(&ids).await?;
            let empty = Vec::new();
            for r in &rows {
                let clock = clocks.get(&r.id).unwrap_or(&empty);
                let Some(c) = clock_of(&r.acceptdate, r.promise, &r.promise_type, clock)? else {
                    continue;
                };
                match c.status(cal, today, threshold).level {
                    WarningLevel::Red => overdue += 1,
                    WarningLevel::Yellow => yellow += 1,
                    WarningLevel::Normal => {}
                }
            }
        }

        let by_code: std::collections::HashMap<String, u64> = queries
            .satisfaction_counts(&range)
            .await?
            .into_iter()
            .map(|(s, n)| (s, n as u64))
            .collect();
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
