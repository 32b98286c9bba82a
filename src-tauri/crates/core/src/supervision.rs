//! The supervisor's review of pending cases (电子监察 运行监察: 实时监控, 预警纠错): every case
//! that is not finished, with its time-limit warning (see [`crate::timelimit`]), filtered and
//! sorted by promised date.
//!
//! Pending means not finished: 已收件, 待补正, 补正完成 (before acceptance, no clock yet, so
//! 正常 and no due date), 已受理, 受理后待补正 and 特别程序中. 不予受理 and 已撤回 are finished.
//!
//! Speed: the store keeps each case's promised date and first yellow day in indexed columns
//! (migration 0009), invalidated by triggers on every clock change and recomputed here before
//! each review. Accepted cases (clock running) are filtered, sorted and limited by SQLite on
//! those columns. Paused cases' promised dates move every day, so they are recomputed from
//! their clock on each review (they are few). Cases not accepted yet follow, newest first.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Desk;
use crate::dict::{TimeUnit, time_limit_text};
use crate::error::{CoreError, Result};
use crate::model::{CaseState, ClockEntry, FieldError};
use crate::store;
use crate::store::rows::decode;
use crate::store::supervision::{
    CaseFilter, PausedQuery, PendingRow, RunningQuery, SupervisionQueries, UnclockedQuery,
};
use crate::timelimit::{CaseClock, WarningLevel, YellowThreshold, level_on, yellow_from};

/// The settings key of the yellow threshold (JSON of [`YellowThreshold`]).
pub const THRESHOLD_KEY: &str = "supervision_yellow_threshold";
/// Rows a review returns by default, and at most.
pub const DEFAULT_LIMIT: u32 = 500;
pub const MAX_LIMIT: u32 = 5000;
/// Cases recomputed per write transaction.
const REFRESH_BATCH: i64 = 2000;

const PAUSED: [CaseState; 2] = [CaseState::AwaitingSupplement, CaseState::Suspended];
/// No running clock: not accepted yet, or concluded and waiting for hand-over (出件).
const BEFORE_ACCEPTANCE: [CaseState; 5] = [
    CaseState::Received,
    CaseState::InAcceptance,
    CaseState::SupplementRequested,
    CaseState::SupplementDone,
    CaseState::Concluded,
];

/// Whether a case in `state` is still pending (not finished).
pub fn is_pending(state: CaseState) -> bool {
    match state {
        CaseState::Received
        | CaseState::SupplementRequested
        | CaseState::SupplementDone
        | CaseState::Accepted
        | CaseState::AwaitingSupplement
        | CaseState::Suspended
        // 受理中: submitted, waiting for materials fetched from departments (seed 004).
        | CaseState::InAcceptance
        // Ready for hand-over: the result is in, the applicant has not taken it yet.
        | CaseState::Concluded => true,
        CaseState::Rejected | CaseState::Withdrawn | CaseState::HandedOver => false,
    }
}

/// What the supervisor asks for. Every field is optional; they combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PendingFilter {
    /// 受理人 (the clerk who accepted); cases not accepted yet have none.
    pub clerk: Option<String>,
    /// 窗口 (the desk's window number the case was taken in at).
    pub window_no: Option<String>,
    /// 事项: the item's code (dept_ql_reg_no).
    pub item: Option<String>,
    /// 部门: the department's code (org_id) or name.
    pub department: Option<String>,
    /// One pending state.
    pub state: Option<CaseState>,
    /// Promised date from (`YYYY-MM-DD`, inclusive); cases without one are left out.
    pub due_from: Option<String>,
    /// Promised date up to (`YYYY-MM-DD`, inclusive); cases without one are left out.
    pub due_to: Option<String>,
    pub level: Option<WarningLevel>,
    /// At most this many rows ([`DEFAULT_LIMIT`] if unset, never more than [`MAX_LIMIT`]).
    pub limit: Option<u32>,
}

/// One row of the review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PendingCase {
    pub project_no: String,
    pub dept_ql_reg_no: String,
    pub dept_ql_name: String,
    pub org_name: String,
    pub applicant_name: String,
    pub state: CaseState,
    pub acceptdate: String,
    pub acceptusername: String,
    pub window_no: String,
    pub promise_text: String,
    /// The promised date as it stands today; `None` before acceptance.
    pub due_date: Option<String>,
    /// Working days after today up to the due date (negative once overdue).
    #[ts(type = "number | null")]
    pub working_days_left: Option<i64>,
    pub level: WarningLevel,
    pub clock_paused: bool,
    /// The warning "2027年节假日安排尚未导入，日期按法定节日估算" when the due date rests on
    /// a year without an official holiday arrangement.
    pub due_estimate: Option<String>,
}

/// The review: the rows, sorted by promised date (cases without one last), and whether more
/// matched than were returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PendingReview {
    pub today: String,
    pub threshold: YellowThreshold,
    pub cases: Vec<PendingCase>,
    pub truncated: bool,
}

impl Desk {
    /// The yellow threshold set for this desk (1 working day unless set).
    pub async fn yellow_threshold(&self) -> Result<YellowThreshold> {
        Ok(match self.store.setting(THRESHOLD_KEY).await? {
            Some(json) => serde_json::from_str(&json)?,
            None => YellowThreshold::default(),
        })
    }

    /// Sets the yellow threshold; the stored first yellow days are recomputed on the next
    /// review.
    pub async fn set_yellow_threshold(&self, threshold: YellowThreshold) -> Result<()> {
        if let YellowThreshold::PercentLeft(p) = threshold
            && p > 100
        {
            return Err(CoreError::Validation(vec![FieldError {
                field: "threshold".into(),
                label: "黄牌阈值".into(),
                message: "百分比应在0%至100%之间".into(),
            }]));
        }
        let mut tx = self.store.write().await?;
        store::supervision::save_threshold(
            &mut tx,
            THRESHOLD_KEY,
            &serde_json::to_string(&threshold)?,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Recomputes the stored promised date and first yellow day of every case whose clock
    /// changed since (due_date NULL). Returns how many were recomputed.
    pub async fn refresh_due_dates(&self) -> Result<u64> {
        self.refresh_calendar().await?;
        let threshold = self.yellow_threshold().await?;
        let today = self.now().date_naive();
        let cal = self.calendar();
        let cal = cal.as_ref();
        let missing = store::supervision::count_missing_due(self.store.pool()).await?;
        let mut done = 0u64;
        // Bounded: each round clears up to a batch of the rows missing at the start (rows
        // invalidated meanwhile wait for the next review).
        for _ in 0..(missing / REFRESH_BATCH + 1) {
            let mut tx = self.store.write().await?;
            let rows = store::supervision::missing_due(&mut tx, REFRESH_BATCH).await?;
            if rows.is_empty() {
                break;
            }
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let clocks = store::supervision::clocks_of(&mut tx, &ids).await?;
            let mut computed: Vec<(i64, String, String)> = Vec::with_capacity(rows.len());
            for r in &rows {
                let state = decode("state", &r.state, CaseState::parse)?;
                let empty = Vec::new();
                let clock = clocks.get(&r.id).unwrap_or(&empty);
                let (due, yellow) =
                    match clock_of(&r.acceptdate, r.promise, &r.promise_type, clock)? {
                        Some(c) if is_pending(state) => {
                            let due = c.due_date(cal, today);
                            let t = threshold.working_days(c.limit_working_days(cal));
                            (fmt(due), fmt(yellow_from(cal, c.accepted, due, t)))
                        }
                        _ => (String::new(), String::new()),
                    };
                computed.push((r.id, due, yellow));
            }
            store::supervision::store_due_dates(&mut tx, &computed).await?;
            done += computed.len() as u64;
            tx.commit().await?;
        }
        Ok(done)
    }

    /// The pending cases matching `filter`, with their warning level today, sorted by
    /// promised date (ties by creation order); cases without one (not accepted yet) last.
    pub async fn pending_cases(&self, filter: &PendingFilter) -> Result<PendingReview> {
        let filter = checked(filter)?;
        self.refresh_due_dates().await?;
        let threshold = self.yellow_threshold().await?;
        let today = self.now().date_naive();
        let today_s = fmt(today);
        let cal = self.calendar();
        let cal = cal.as_ref();
        let limit = filter.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT) as usize;
        let wants = |s: CaseState| filter.state.is_none_or(|f| f == s);
        let mut truncated = false;
        // (id, row): ties on the due date go by id, the order of the due-date indexes.
        let mut dated: Vec<(i64, PendingCase)> = Vec::new();
        let queries = self.store.supervision();
        let cases = CaseFilter {
            clerk: filter.clerk.clone(),
            window_no: filter.window_no.clone(),
            item: filter.item.clone(),
            department: filter.department.clone(),
        };

        // Accepted, clock running: all in SQL.
        if wants(CaseState::Accepted) {
            // One lower bound on due_date, so SQLite starts the index scan there (with two
            // it cannot tell which is higher, and would scan every red case for a yellow
            // review). Yellow and normal cases are not overdue: due on or after today.
            let mut lo = filter.due_from.clone().unwrap_or_else(|| "0".into());
            if matches!(
                filter.level,
                Some(WarningLevel::Yellow | WarningLevel::Normal)
            ) {
                lo = lo.max(today_s.clone());
            }
            let level_is = |l: WarningLevel| (filter.level == Some(l)).then(|| today_s.clone());
            let running = RunningQuery {
                filter: &cases,
                due_from: lo,
                due_to: filter.due_to.clone(),
                due_before: level_is(WarningLevel::Red),
                yellow_by: level_is(WarningLevel::Yellow),
                yellow_after: level_is(WarningLevel::Normal),
                limit: limit as i64 + 1,
            };
            for r in queries.running_cases(&running).await? {
                let due_s = r.due_date.clone().unwrap_or_default();
                let yf_s = r.yellow_from.clone().unwrap_or_default();
                let (Some(due), Some(yf)) = (parse_day(&due_s), parse_day(&yf_s)) else {
                    return Err(CoreError::Data(format!("due_date 的值“{due_s}”无法识别")));
                };
                let id = r.id;
                let mut row = base_row(r)?;
                row.level = level_on(today, due, yf);
                row.working_days_left = Some(cal.working_days_between(today, due));
                row.due_estimate = crate::workdays::warning_between(cal, &row.acceptdate, &due_s);
                row.due_date = Some(due_s);
                dated.push((id, row));
            }
            if dated.len() > limit {
                truncated = true;
                dated.truncate(limit);
            }
        }

        // Paused: the promised date moves every day; recompute from the clock.
        let paused: Vec<CaseState> = PAUSED.into_iter().filter(|s| wants(*s)).collect();
        if !paused.is_empty() {
            // A paused case's stored due date is a lower bound of today's (it only moves
            // later while the clock stands), so it can prune: past the last row already kept,
            // past `due_to`, or (for 红牌) not before today, the case cannot qualify.
            let mut bound = filter.due_to.clone();
            if truncated && let Some(last) = dated.last().and_then(|(_, r)| r.due_date.clone()) {
                bound = Some(bound.map_or(last.clone(), |b| b.min(last)));
            }
            // (A case changed since the refresh above has no stored date and waits for the
            // next review.)
            let rows = queries
                .paused_cases(&PausedQuery {
                    filter: &cases,
                    states: &paused,
                    due_at_most: bound,
                    due_before: (filter.level == Some(WarningLevel::Red)).then(|| today_s.clone()),
                })
                .await?;
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let clocks = queries.clocks_of(&ids).await?;
            for r in rows {
                let id = r.id;
                let empty = Vec::new();
                let Some(c) = clock_of(
                    &r.acceptdate,
                    r.promise,
                    &r.promise_type,
                    clocks.get(&id).unwrap_or(&empty),
                )?
                else {
                    continue;
                };
                let s = c.status(cal, today, threshold);
                let in_range = filter.due_from.as_ref().is_none_or(|f| s.due_date >= *f)
                    && filter.due_to.as_ref().is_none_or(|t| s.due_date <= *t);
                if !in_range || filter.level.is_some_and(|l| l != s.level) {
                    continue;
                }
                let mut row = base_row(r)?;
                row.level = s.level;
                row.working_days_left = Some(s.working_days_left);
                row.due_estimate =
                    crate::workdays::warning_between(cal, &row.acceptdate, &s.due_date);
                row.due_date = Some(s.due_date);
                row.clock_paused = s.clock_paused;
                dated.push((id, row));
            }
            dated.sort_by(|(ia, a), (ib, b)| {
                (a.due_date.as_deref(), ia).cmp(&(b.due_date.as_deref(), ib))
            });
            if dated.len() > limit {
                truncated = true;
                dated.truncate(limit);
            }
        }

        // Not accepted yet, or concluded: no running clock, no due date, 正常.
        let before: Vec<CaseState> = BEFORE_ACCEPTANCE
            .into_iter()
            .filter(|s| wants(*s))
            .collect();
        let no_date_wanted = filter.due_from.is_none()
            && filter.due_to.is_none()
            && filter.level.is_none_or(|l| l == WarningLevel::Normal);
        if !before.is_empty() && no_date_wanted && !truncated && dated.len() < limit {
            let room = limit - dated.len();
            let rows = queries
                .unclocked_cases(&UnclockedQuery {
                    filter: &cases,
                    states: &before,
                    limit: room as i64 + 1,
                })
                .await?;
            if rows.len() > room {
                truncated = true;
            }
            for r in rows.into_iter().take(room) {
                dated.push((r.id, base_row(r)?));
            }
        }

        Ok(PendingReview {
            today: today_s,
            threshold,
            cases: dated.into_iter().map(|(_, c)| c).collect(),
            truncated,
        })
    }
}

/// Trims the filter and checks its dates and state.
fn checked(filter: &PendingFilter) -> Result<PendingFilter> {
    let text = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    let mut errors = Vec::new();
    let mut date = |s: &Option<String>, field: &str, label: &str| {
        let s = text(s)?;
        if parse_day(&s).is_none() {
            errors.push(FieldError {
                field: field.into(),
                label: label.into(),
                message: format!("“{s}”不是有效日期，应为 YYYY-MM-DD"),
            });
        }
        Some(s)
    };
    let due_from = date(&filter.due_from, "due_from", "承诺办结日期起");
    let due_to = date(&filter.due_to, "due_to", "承诺办结日期止");
    if let Some(s) = filter.state
        && !is_pending(s)
    {
        errors.push(FieldError {
            field: "state".into(),
            label: "办件状态".into(),
            message: format!("“{}”已办结，不在在办件中", s.label()),
        });
    }
    if !errors.is_empty() {
        return Err(CoreError::Validation(errors));
    }
    Ok(PendingFilter {
        clerk: text(&filter.clerk),
        window_no: text(&filter.window_no),
        item: text(&filter.item),
        department: text(&filter.department),
        state: filter.state,
        due_from,
        due_to,
        level: filter.level,
        limit: filter.limit,
    })
}

/// The clock of an accepted case, from its stored row; `None` before acceptance.
pub(crate) fn clock_of<'a>(
    acceptdate: &str,
    promise: i64,
    promise_type: &str,
    clock: &'a [ClockEntry],
) -> Result<Option<CaseClock<'a>>> {
    let Some(accepted) = crate::timelimit::day(acceptdate) else {
        return Ok(None);
    };
    Ok(Some(CaseClock {
        accepted,
        promise: u32::try_from(promise).unwrap_or(0),
        unit: decode("promise_type", promise_type, TimeUnit::from_code)?,
        clock,
    }))
}

/// The review's row of a case, before its warning is worked out.
fn base_row(r: PendingRow) -> Result<PendingCase> {
    let promise = u32::try_from(r.promise).unwrap_or(0);
    let unit = decode("promise_type", &r.promise_type, TimeUnit::from_code)?;
    Ok(PendingCase {
        project_no: r.project_no,
        dept_ql_reg_no: r.dept_ql_reg_no,
        dept_ql_name: r.dept_ql_name,
        org_name: r.org_name,
        applicant_name: r.applicant_name,
        state: decode("state", &r.state, CaseState::parse)?,
        acceptdate: r.acceptdate,
        acceptusername: r.acceptusername,
        window_no: r.window_no,
        promise_text: time_limit_text(promise, unit),
        due_date: None,
        working_days_left: None,
        level: WarningLevel::Normal,
        clock_paused: false,
        due_estimate: None,
    })
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    (s.len() == 10)
        .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
}

fn fmt(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}
