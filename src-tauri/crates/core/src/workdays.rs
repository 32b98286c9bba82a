//! The desk's calendar services: reading the calendar in force, importing a year's arrangement
//! and the administrator's reminder. The calendar itself and the date rules over it are in
//! [`crate::desk_calendar`].
//!
//! Importing a year's arrangement recomputes the promised dates of the open cases and the
//! deadlines of their open supplement requests. Each change is written into the case's
//! history ("承诺办结日期由…调整为…"), and a date that moved earlier notifies the desk.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use crate::Desk;
use crate::accounts::Actor;
use crate::calendar::WorkCalendar;
use crate::dict::TimeUnit;
use crate::error::{CoreError, Result};
use crate::model::{CaseState, FieldError};
use crate::store::{self, parse_code};
use crate::time::{chinese_date, spec_time};

pub use crate::desk_calendar::{
    CalendarImport, CalendarOverview, CalendarYear, DATE_MOVED_KIND, DateChange, REMINDER_SEEN_KEY,
    reminder, warning_between,
};
use crate::desk_calendar::{DeskCalendar, load, promised_date};

impl Desk {
    /// The working-day calendar in force on this desk.
    pub fn calendar(&self) -> Arc<WorkCalendar> {
        match self.calendar.read() {
            Ok(c) => Arc::clone(&c.calendar),
            Err(poisoned) => Arc::clone(&poisoned.into_inner().calendar),
        }
    }

    fn calendar_version(&self) -> i64 {
        match self.calendar.read() {
            Ok(c) => c.version,
            Err(poisoned) => poisoned.into_inner().version,
        }
    }

    fn set_calendar(&self, calendar: WorkCalendar, version: i64) {
        let new = DeskCalendar {
            calendar: Arc::new(calendar),
            version,
        };
        match self.calendar.write() {
            Ok(mut c) => *c = new,
            Err(poisoned) => *poisoned.into_inner() = new,
        }
    }

    /// Reloads the calendar when another process (the CLI) imported a file since it was
    /// loaded. One small query.
    pub(crate) async fn refresh_calendar(&self) -> Result<()> {
        let newest = store::calendar_files::newest_id(self.store.pool()).await?;
        if newest != self.calendar_version() {
            let (cal, version) = load(self.store.pool()).await?;
            self.set_calendar(cal, version);
            store::cases::clear_accepted_due_dates(self.store.pool()).await?;
        }
        Ok(())
    }

    /// The years from last year to next year, and any other official year, with the reminder.
    pub async fn calendar_overview(&self) -> Result<CalendarOverview> {
        self.refresh_calendar().await?;
        let cal = self.calendar();
        let today = self.now().date_naive();
        let mut years: Vec<CalendarYear> = cal
            .official_years()
            .into_iter()
            .map(|(year, source)| CalendarYear {
                year,
                official: true,
                source,
            })
            .collect();
        for year in today.year() - 1..=today.year() + 1 {
            if !years.iter().any(|y| y.year == year) {
                years.push(CalendarYear {
                    year,
                    official: false,
                    source: String::new(),
                });
            }
        }
        years.sort_by_key(|y| y.year);
        let reminder = reminder(&cal, today);
        let seen = self.store.setting(REMINDER_SEEN_KEY).await?;
        let reminder_seen = match (&reminder, seen) {
            (Some((year, _)), Some(seen)) => seen.trim() == year.to_string(),
            _ => false,
        };
        Ok(CalendarOverview {
            years,
            reminder_year: reminder.as_ref().map(|(y, _)| *y),
            reminder: reminder.map(|(_, text)| text),
            reminder_seen,
        })
    }

    /// Records that an administrator has seen the reminder for `year`.
    pub async fn calendar_reminder_seen(&self, year: i32) -> Result<()> {
        Ok(self
            .store
            .set_setting(REMINDER_SEEN_KEY, &year.to_string())
            .await?)
    }

    /// Imports a State Council arrangement (the JSON format of
    /// `assets/calendar/cn-workdays.json`), all or nothing: the file is checked entry by
    /// entry, then stored, and the open cases' dates that change are recomputed in the same
    /// transaction, each change written into the case's history. A date that moved earlier
    /// also notifies the desk.
    pub async fn import_calendar(&self, json: &str, actor: &Actor) -> Result<CalendarImport> {
        self.refresh_calendar().await?;
        let file = WorkCalendar::from_json(json).map_err(|e| {
            CoreError::Validation(vec![FieldError {
                field: "calendar".into(),
                label: "节假日安排文件".into(),
                message: e.to_string(),
            }])
        })?;
        let years = file.years().to_vec();
        let source = file.source().to_string();
        let old = self.calendar();
        let mut new = (*old).clone();
        new.merge(file);
        let now = self.now();
        let at = spec_time(&now);
        let today = now.date_naive();

        let mut tx = self.store.write().await?;
        let version = store::calendar_files::insert(
            &mut *tx,
            &store::calendar_files::NewCalendarFile {
                years: years
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
                source: &source,
                body: json,
                imported_at: &at,
                imported_by: &actor.name,
            },
        )
        .await?;

        let mut changes = Vec::new();
        for r in store::cases::open_accepted(&mut tx).await? {
            let case_id = r.id;
            let project_no = r.project_no;
            let state = parse_code("state", &r.state, CaseState::parse)?;
            let acceptdate = r.acceptdate;
            let promise = u32::try_from(r.promise).unwrap_or(0);
            let unit = parse_code("promise_type", &r.promise_type, TimeUnit::from_code)?;
            let clock = store::clock::for_case(&mut *tx, case_id).await?;
            let before = promised_date(&old, &acceptdate, promise, unit, &clock, today);
            let after = promised_date(&new, &acceptdate, promise, unit, &clock, today);
            if let (Some(before), Some(after)) = (before, after)
                && before != after
            {
                let change = DateChange {
                    project_no: project_no.clone(),
                    applicant_name: r.applicant_name,
                    dept_ql_name: r.dept_ql_name,
                    what: "承诺办结日期".into(),
                    from: before.to_string(),
                    to: after.to_string(),
                };
                record_change(&mut tx, case_id, state, &at, actor, &change, &source).await?;
                changes.push(change);
            }
        }
        // Open supplement requests: their deadline was the n-th working day after the day
        // they were asked; n is read back with the old calendar.
        let rows = store::supplements::open_with_case(&mut *tx).await?;
        let mut seen_cases = std::collections::HashSet::new();
        for r in rows {
            let (id, case_id) = (r.id, r.case_id);
            let (requested, due) = (&r.requested_at, &r.due_date);
            let (Some(asked), Some(due_day)) =
                (crate::timelimit::day(requested), crate::timelimit::day(due))
            else {
                continue;
            };
            let n = old.working_days_between(asked, due_day);
            let Ok(n) = u32::try_from(n) else { continue };
            let moved = new.due_date(asked, n, TimeUnit::WorkingDays);
            if moved == due_day {
                continue;
            }
            store::supplements::set_due_date(&mut *tx, id, &moved.to_string()).await?;
            // One history entry per case, whatever the number of materials asked.
            if seen_cases.insert(case_id) {
                let state = parse_code("state", &r.state, CaseState::parse)?;
                let change = DateChange {
                    project_no: r.project_no,
                    applicant_name: r.applicant_name,
                    dept_ql_name: r.dept_ql_name,
                    what: "补正期限".into(),
                    from: due_day.to_string(),
                    to: moved.to_string(),
                };
                record_change(&mut tx, case_id, state, &at, actor, &change, &source).await?;
                changes.push(change);
            }
        }
        store::cases::clear_accepted_due_dates(&mut *tx).await?;
        tx.commit().await?;
        self.set_calendar(new, version);
        Ok(CalendarImport {
            years,
            source,
            changes,
        })
    }
}

/// Writes one date change into the case's history; a date that moved earlier also notifies
/// the desk, since the applicant may have to be told.
async fn record_change(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    case_id: i64,
    state: CaseState,
    at: &str,
    actor: &Actor,
    change: &DateChange,
    source: &str,
) -> Result<()> {
    let day = |s: &str| {
        s.parse::<NaiveDate>()
            .map(chinese_date)
            .unwrap_or_else(|_| s.to_string())
    };
    let (from, to) = (day(&change.from), day(&change.to));
    let why = if source.trim().is_empty() {
        "导入节假日安排".to_string()
    } else {
        format!("导入《{}》", source.trim())
    };
    store::events::insert(
        &mut **tx,
        &store::events::NewEvent {
            case_id,
            at,
            actor: &actor.name,
            window_no: &actor.window_no,
            action: "调整日期",
            from_state: Some(state.as_str()),
            to_state: state.as_str(),
            opinion: &format!("{}由{from}调整为{to}（{why}）", change.what),
        },
    )
    .await?;
    if change.to < change.from {
        crate::inbox::notify(
            tx,
            at,
            DATE_MOVED_KIND,
            &change.project_no,
            &format!("{}提前至{to}", change.what),
            &format!(
                "{}的“{}”：{}由{from}提前至{to}，请告知申请人",
                change.applicant_name, change.dept_ql_name, change.what
            ),
        )
        .await?;
    }
    Ok(())
}
