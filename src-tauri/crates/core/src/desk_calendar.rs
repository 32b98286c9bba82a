//! The desk's working-day calendar (工作日历): the official arrangements bundled with the app,
//! plus those an administrator imported (table `calendar_files`), merged year by year. A year
//! without an official arrangement is estimated from the statutory holidays (see
//! [`crate::calendar`]); every date computed over such a year carries the warning of
//! [`crate::calendar::estimate_warning`], on screen, in the CLI and on the notice.
//! This module holds the calendar and the date rules over it, and knows no `Desk`; the
//! services over it (import, reminder) are in the `workdays` module.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::calendar::{WorkCalendar, estimate_warning};
use crate::dict::TimeUnit;
use crate::error::Result;
use crate::model::ClockEntry;
use crate::store;

/// The settings key remembering the year whose reminder an administrator has seen.
pub const REMINDER_SEEN_KEY: &str = "calendar_reminder_seen";
/// The notification kind of a promised date that moved earlier after an import.
pub const DATE_MOVED_KIND: &str = "due_date_moved";

/// One year of the calendar as `calendar show` and 窗口设置 list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalendarYear {
    pub year: i32,
    /// True when the State Council's arrangement for the year is loaded (bundled or
    /// imported); false when its days off are estimated from the statutory holidays.
    pub official: bool,
    /// Where the arrangement comes from (empty for an estimated year).
    pub source: String,
}

/// The calendar as the desk uses it: the years around today, and the reminder for the
/// administrator, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalendarOverview {
    pub years: Vec<CalendarYear>,
    /// "2027年节假日安排尚未导入…" when the current year, or from 1 November the next year,
    /// has no official arrangement.
    pub reminder: Option<String>,
    /// The year the reminder is about, so the window shows it once per year.
    pub reminder_year: Option<i32>,
    /// Whether an administrator has already seen the reminder for `reminder_year`.
    pub reminder_seen: bool,
}

/// A promised date or supplement deadline changed by an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DateChange {
    pub project_no: String,
    pub applicant_name: String,
    pub dept_ql_name: String,
    /// "承诺办结日期" or "补正期限".
    pub what: String,
    pub from: String,
    pub to: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalendarImport {
    /// The years the file brought, now official.
    pub years: Vec<i32>,
    pub source: String,
    /// The open cases whose dates moved.
    pub changes: Vec<DateChange>,
}

/// The promised date (`YYYY-MM-DD`) of a case accepted on `acceptdate`: the limit plus every
/// extension, with the clock stopped during every pause (an open one counts up to `today`).
pub(crate) fn promised_date(
    cal: &WorkCalendar,
    acceptdate: &str,
    promise: u32,
    unit: TimeUnit,
    clock: &[ClockEntry],
    today: NaiveDate,
) -> Option<NaiveDate> {
    let accepted = crate::timelimit::day(acceptdate)?;
    let c = crate::timelimit::CaseClock {
        accepted,
        promise,
        unit,
        clock,
    };
    Some(c.due_date(cal, today))
}

/// The warning for a date counted from `from` to `to`, if any day between lies in a year
/// without an official arrangement.
pub fn warning_between(cal: &WorkCalendar, from: &str, to: &str) -> Option<String> {
    let a = crate::timelimit::day(from)?;
    let b = crate::timelimit::day(to)?;
    estimate_warning(&cal.estimated_years(a, b))
}

/// The reminder for `today`: the current year without an official arrangement, or, from 1
/// November, the next year without one.
pub fn reminder(cal: &WorkCalendar, today: NaiveDate) -> Option<(i32, String)> {
    let year = today.year();
    if !cal.is_official(year) {
        return Some((
            year,
            format!(
                "{year}年节假日安排尚未导入，承诺办结日期按法定节日估算。\
                 请管理员导入国务院办公厅发布的{year}年节假日安排（窗口设置 → 节假日安排）。"
            ),
        ));
    }
    let next = year + 1;
    if today.month() >= 11 && !cal.is_official(next) {
        return Some((
            next,
            format!(
                "{next}年节假日安排尚未导入。国务院办公厅发布{next}年节假日安排后，\
                 请管理员及时导入（窗口设置 → 节假日安排），否则跨年的承诺办结日期只能按法定节日估算。"
            ),
        ));
    }
    None
}

/// The bundled calendar with every imported file merged in, oldest first.
pub(crate) async fn load(pool: &sqlx::SqlitePool) -> Result<(WorkCalendar, i64)> {
    let mut cal = WorkCalendar::bundled();
    let mut last = 0;
    for (id, body) in store::calendar_files::all(pool).await? {
        // Every stored file was checked when it was imported.
        match WorkCalendar::from_json(&body) {
            Ok(file) => cal.merge(file),
            Err(e) => tracing::warn!(id, error = %e, "stored calendar file no longer reads"),
        }
        last = id;
    }
    Ok((cal, last))
}

/// The loaded calendar and the id of the newest imported file it holds.
#[derive(Clone)]
pub(crate) struct DeskCalendar {
    pub(crate) calendar: Arc<WorkCalendar>,
    pub(crate) version: i64,
}
