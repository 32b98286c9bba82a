//! The working-day calendar (工作日历) and promised completion dates (承诺办结时限).
//!
//! China's public holidays and adjusted working days (调休上班) change every year by notice of
//! the General Office of the State Council, so they are DATA, not code: the bundled
//! `assets/calendar/cn-workdays.json` lists every holiday and every adjusted working day of the
//! years it covers, and an admin can load a newer file through [`WorkCalendar::from_json`].
//!
//! Outside the covered years ([`WorkCalendar::years`]) the calendar knows no holidays: only
//! Saturdays and Sundays are days off there. Callers should warn when a deadline falls in a
//! year that [`WorkCalendar::covers`] does not cover.
//!
//! No function here panics, whatever the date: arithmetic is checked and a result that would
//! leave chrono's date range saturates to [`NaiveDate::MAX`].

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::ops::Bound::{Excluded, Included};

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::dict::TimeUnit;

/// Time limits above this many units are treated as this many (about 270 years of days).
pub const MAX_AMOUNT: u32 = 100_000;

/// A working-day calendar: the covered years, their holidays and their adjusted working days.
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    source: String,
    years: Vec<i32>,
    holidays: BTreeMap<NaiveDate, String>,
    workdays: BTreeMap<NaiveDate, String>,
}

/// Why a calendar file was refused. Messages are for the admin who edits the file.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error("日历文件第{line}行第{column}列有误，不是有效的日历 JSON：{detail}")]
    Json {
        line: usize,
        column: usize,
        detail: String,
    },
    #[error("日历文件的 years 为空：至少要列出一个年份")]
    NoYears,
    #[error("{list}第{index}条：日期“{date}”无效（应为 YYYY-MM-DD 格式的真实日期）")]
    InvalidDate {
        list: &'static str,
        index: usize,
        date: String,
    },
    #[error("{list}第{index}条（{name}）：日期“{date}”的年份不在 years 所列年份中")]
    YearNotListed {
        list: &'static str,
        index: usize,
        name: String,
        date: String,
    },
    #[error("{list}第{index}条（{name}）：日期“{date}”与第{first}条重复")]
    Duplicate {
        list: &'static str,
        index: usize,
        first: usize,
        name: String,
        date: String,
    },
    #[error(
        "日期“{date}”既列为放假（holidays 第{holiday_index}条“{holiday_name}”），又列为调休上班（workdays 第{workday_index}条“{workday_name}”）"
    )]
    HolidayAndWorkday {
        date: String,
        holiday_index: usize,
        holiday_name: String,
        workday_index: usize,
        workday_name: String,
    },
    #[error(
        "调休上班日（workdays）第{index}条（{name}）：“{date}”是{weekday}，本来就是工作日，不应列为调休上班"
    )]
    WorkdayNotWeekend {
        index: usize,
        name: String,
        date: String,
        weekday: &'static str,
    },
    #[error("years 列出了{year}年，但放假日（holidays）中没有该年的任何日期")]
    YearWithoutHolidays { year: i32 },
}

/// A span during which the clock of a case stood still (暂停计时: waiting for a supplement,
/// a hearing, a site inspection…). `to` is exclusive: the clock runs again on `to`. `to: None`
/// means the clock is still stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// The file as an admin writes it.
#[derive(Deserialize)]
struct CalendarFile {
    #[serde(default)]
    source: String,
    years: Vec<i32>,
    holidays: Vec<Entry>,
    workdays: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    date: String,
    #[serde(default)]
    name: String,
}

const HOLIDAYS: &str = "放假日（holidays）";
const WORKDAYS: &str = "调休上班日（workdays）";

impl WorkCalendar {
    /// The calendar shipped with the app (2025 and 2026).
    pub const BUNDLED: &'static str = include_str!("../../../../assets/calendar/cn-workdays.json");

    /// Parses [`Self::BUNDLED`]. The bundled file is checked by the tests, so this cannot fail
    /// in a released build.
    pub fn bundled() -> Self {
        Self::from_json(Self::BUNDLED)
            .expect("the bundled assets/calendar/cn-workdays.json must be a valid calendar")
    }

    /// The bundled calendar, parsed once for the whole process.
    pub fn shared() -> &'static Self {
        static SHARED: std::sync::LazyLock<WorkCalendar> =
            std::sync::LazyLock::new(WorkCalendar::bundled);
        &SHARED
    }

    /// Parses and checks a calendar file: every date must be a real `YYYY-MM-DD` date in one of
    /// the listed `years`, no date may be listed twice in a list or as both holiday and
    /// working day, adjusted working days must be Saturdays or Sundays, and each listed year
    /// must have at least one holiday. The first problem found is reported.
    pub fn from_json(json: &str) -> Result<Self, CalendarError> {
        let file: CalendarFile = serde_json::from_str(json).map_err(|e| {
            let full = e.to_string();
            let detail = full.split(" at line ").next().unwrap_or(&full).to_string();
            CalendarError::Json {
                line: e.line(),
                column: e.column(),
                detail,
            }
        })?;
        let mut years = file.years;
        years.sort_unstable();
        years.dedup();
        if years.is_empty() {
            return Err(CalendarError::NoYears);
        }
        let holidays = parse_list(&file.holidays, HOLIDAYS, &years)?;
        let workdays = parse_list(&file.workdays, WORKDAYS, &years)?;
        for (date, (wi, wname)) in &workdays {
            if let Some((hi, hname)) = holidays.get(date) {
                return Err(CalendarError::HolidayAndWorkday {
                    date: date.to_string(),
                    holiday_index: *hi,
                    holiday_name: hname.clone(),
                    workday_index: *wi,
                    workday_name: wname.clone(),
                });
            }
            if !is_weekend(*date) {
                return Err(CalendarError::WorkdayNotWeekend {
                    index: *wi,
                    name: wname.clone(),
                    date: date.to_string(),
                    weekday: weekday_name(date.weekday()),
                });
            }
        }
        for &year in &years {
            if !holidays.keys().any(|d| d.year() == year) {
                return Err(CalendarError::YearWithoutHolidays { year });
            }
        }
        let strip = |m: BTreeMap<NaiveDate, (usize, String)>| {
            m.into_iter().map(|(d, (_, name))| (d, name)).collect()
        };
        Ok(WorkCalendar {
            source: file.source,
            years,
            holidays: strip(holidays),
            workdays: strip(workdays),
        })
    }

    /// Where the data comes from (the notice's title).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The covered years, ascending.
    pub fn years(&self) -> &[i32] {
        &self.years
    }

    /// Whether `d`'s year is covered by the data. Outside the covered years only weekends are
    /// days off.
    pub fn covers(&self, d: NaiveDate) -> bool {
        self.years.binary_search(&d.year()).is_ok()
    }

    /// Monday to Friday unless a listed holiday; Saturday and Sunday only if listed as an
    /// adjusted working day (调休上班).
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.workdays.contains_key(&d) {
            true
        } else if self.holidays.contains_key(&d) {
            false
        } else {
            !is_weekend(d)
        }
    }

    /// The holiday's name (e.g. "春节") if `d` is a listed holiday.
    pub fn holiday_name(&self, d: NaiveDate) -> Option<&str> {
        self.holidays.get(&d).map(String::as_str)
    }

    /// The adjusted working day's name (e.g. "春节调休上班") if `d` is one.
    pub fn workday_name(&self, d: NaiveDate) -> Option<&str> {
        self.workdays.get(&d).map(String::as_str)
    }

    /// Due date of a limit counted from `start` (the acceptance date):
    ///  - `WorkingDays` n: the n-th working day after `start` (`start` itself not counted).
    ///  - `Days` n: `start` + n calendar days; if that day is not a working day, the next
    ///    working day (期间届满的最后一日是法定节假日的，以节假日后的第一日为期间届满的日期).
    ///  - `Months` n / `Years` n: the same day of the month n / 12n months later (clamped to
    ///    the month's last day: Jan 31 + 1 month = Feb 28/29), then the same next-working-day
    ///    rule.
    ///
    /// An amount of 0 (当场办结) gives `start` itself, whatever the unit. Amounts above
    /// [`MAX_AMOUNT`] count as [`MAX_AMOUNT`].
    pub fn due_date(&self, start: NaiveDate, amount: u32, unit: TimeUnit) -> NaiveDate {
        self.due(start, amount, unit, 0, 0)
    }

    /// [`Self::due_date`] with the clock stopped during `pauses`. Only the days after `start`
    /// count (the acceptance day itself is never counted), and overlapping pauses count once.
    /// For `WorkingDays` the due date moves by the working days paused; for the other units by
    /// the calendar days paused, after which the next-working-day rule applies (once, to the
    /// final date). A pause with `to: None` counts up to `today` inclusive: the result is the
    /// due date if the clock restarted tomorrow. A pause with `to <= from` is ignored.
    pub fn due_date_with_pauses(
        &self,
        start: NaiveDate,
        amount: u32,
        unit: TimeUnit,
        pauses: &[Pause],
        today: NaiveDate,
    ) -> NaiveDate {
        let spans = paused_spans(start, pauses, today);
        let calendar_days: u64 = spans
            .iter()
            .map(|&(lo, hi)| u64::try_from(hi - lo).unwrap_or(0))
            .sum();
        let working_days: u64 = spans
            .iter()
            .filter_map(|&(lo, hi)| {
                let a = date_from_num(lo - 1)?;
                let b = date_from_num(hi - 1)?;
                u64::try_from(self.working_days_between(a, b)).ok()
            })
            .sum();
        self.due(start, amount, unit, calendar_days, working_days)
    }

    /// The number of working days in (a, b]: after `a`, up to and including `b`. Negative
    /// (minus the working days in (b, a]) if `b < a`.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        match b.cmp(&a) {
            Ordering::Equal => 0,
            Ordering::Less => -self.working_days_between(b, a),
            Ordering::Greater => {
                let span = (Excluded(a), Included(b));
                let weekdays = weekdays_through(day_num(b)) - weekdays_through(day_num(a));
                let holidays_on_weekdays = self
                    .holidays
                    .range(span)
                    .filter(|(d, _)| !is_weekend(**d))
                    .count();
                let weekend_workdays = self
                    .workdays
                    .range(span)
                    .filter(|(d, _)| is_weekend(**d))
                    .count();
                weekdays - holidays_on_weekdays as i64 + weekend_workdays as i64
            }
        }
    }

    fn due(
        &self,
        start: NaiveDate,
        amount: u32,
        unit: TimeUnit,
        paused_calendar_days: u64,
        paused_working_days: u64,
    ) -> NaiveDate {
        let n = amount.min(MAX_AMOUNT);
        let months = match unit {
            TimeUnit::WorkingDays => {
                return self.nth_working_day_after(start, u64::from(n) + paused_working_days);
            }
            TimeUnit::Days => 0,
            TimeUnit::Months => n,
            TimeUnit::Years => n * 12,
        };
        let days = match unit {
            TimeUnit::Days => u64::from(n),
            _ => 0,
        };
        if n == 0 && paused_calendar_days == 0 {
            return start;
        }
        let end = start
            .checked_add_months(Months::new(months))
            .and_then(|d| d.checked_add_days(Days::new(days)))
            .and_then(|d| d.checked_add_days(Days::new(paused_calendar_days)))
            .unwrap_or(NaiveDate::MAX);
        self.working_day_on_or_after(end)
    }

    /// `d` if it is a working day, else the first working day after it.
    fn working_day_on_or_after(&self, mut d: NaiveDate) -> NaiveDate {
        // A run of days off is made of weekends and listed holidays, so it is short.
        while !self.is_working_day(d) {
            match d.succ_opt() {
                Some(next) => d = next,
                None => break,
            }
        }
        d
    }

    /// The n-th working day after `start`: the first `d` with `working_days_between(start, d)
    /// == n`, found by galloping and bisection so a huge `n` costs no more than a small one.
    fn nth_working_day_after(&self, start: NaiveDate, n: u64) -> NaiveDate {
        if n == 0 {
            return start;
        }
        let target = i64::try_from(n).unwrap_or(i64::MAX);
        let s = day_num(start);
        let max = day_num(NaiveDate::MAX);
        let count = |x: i64| {
            date_from_num(x)
                .map(|d| self.working_days_between(start, d))
                .unwrap_or(i64::MAX)
        };
        // Each day adds at most one working day, so the answer is at least `start + n`.
        let mut span = target;
        let mut hi = loop {
            let hi = s.saturating_add(span).min(max);
            if count(hi) >= target {
                break hi;
            }
            if hi == max {
                return NaiveDate::MAX;
            }
            span = span.saturating_mul(2);
        };
        let mut lo = s; // count(lo) == 0 < target
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if count(mid) >= target {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        date_from_num(hi).unwrap_or(NaiveDate::MAX)
    }
}

// TEMPORARY-SHIM: replaced by the calendar-estimate branch.
impl WorkCalendar {
    pub fn is_official(&self, year: i32) -> bool {
        self.years.binary_search(&year).is_ok()
    }
    pub fn estimated_years(&self, from: NaiveDate, to: NaiveDate) -> Vec<i32> {
        let (a, b) = if from <= to { (from, to) } else { (to, from) };
        (a.year()..=b.year())
            .filter(|y| !self.is_official(*y))
            .collect()
    }
    pub fn merge(&mut self, other: WorkCalendar) {
        for y in &other.years {
            self.holidays.retain(|d, _| d.year() != *y);
            self.workdays.retain(|d, _| d.year() != *y);
        }
        self.holidays.extend(other.holidays);
        self.workdays.extend(other.workdays);
        self.years.extend(other.years);
        self.years.sort_unstable();
        self.years.dedup();
    }
    pub fn official_years(&self) -> Vec<(i32, String)> {
        self.years
            .iter()
            .map(|y| (*y, self.source.clone()))
            .collect()
    }
}
pub fn estimate_warning(years: &[i32]) -> Option<String> {
    if years.is_empty() {
        return None;
    }
    let ys: Vec<String> = years.iter().map(i32::to_string).collect();
    Some(format!(
        "{}年节假日安排尚未导入，日期按法定节日估算",
        ys.join("、")
    ))
}
// END TEMPORARY-SHIM

/// Parses one list of the file into date → (1-based index, name).
fn parse_list(
    entries: &[Entry],
    list: &'static str,
    years: &[i32],
) -> Result<BTreeMap<NaiveDate, (usize, String)>, CalendarError> {
    let mut out: BTreeMap<NaiveDate, (usize, String)> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let index = i + 1;
        let date = parse_date(&e.date).ok_or_else(|| CalendarError::InvalidDate {
            list,
            index,
            date: e.date.clone(),
        })?;
        if years.binary_search(&date.year()).is_err() {
            return Err(CalendarError::YearNotListed {
                list,
                index,
                name: e.name.clone(),
                date: e.date.clone(),
            });
        }
        if let Some((first, _)) = out.get(&date) {
            return Err(CalendarError::Duplicate {
                list,
                index,
                first: *first,
                name: e.name.clone(),
                date: e.date.clone(),
            });
        }
        out.insert(date, (index, e.name.clone()));
    }
    Ok(out)
}

/// Strict `YYYY-MM-DD`.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape_ok {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The clipped, merged paused spans as half-open day-number intervals `[lo, hi)`, all after
/// `start`.
fn paused_spans(start: NaiveDate, pauses: &[Pause], today: NaiveDate) -> Vec<(i64, i64)> {
    let first_counted = day_num(start) + 1;
    let mut spans: Vec<(i64, i64)> = pauses
        .iter()
        .map(|p| {
            let lo = day_num(p.from).max(first_counted);
            let hi = p.to.map(day_num).unwrap_or(day_num(today) + 1);
            (lo, hi)
        })
        .filter(|(lo, hi)| hi > lo)
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(spans.len());
    for (lo, hi) in spans {
        match merged.last_mut() {
            Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
            _ => merged.push((lo, hi)),
        }
    }
    merged
}

fn day_num(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

fn date_from_num(n: i64) -> Option<NaiveDate> {
    i32::try_from(n)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// Mondays to Fridays among day numbers 1..=x (day 1, 0001-01-01, is a Monday); for x < 1
/// minus the count in x+1..=0. So the weekdays in (a, b] are `weekdays_through(b) -
/// weekdays_through(a)` for any a <= b.
fn weekdays_through(x: i64) -> i64 {
    5 * x.div_euclid(7) + x.rem_euclid(7).min(5)
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn cal() -> WorkCalendar {
        WorkCalendar::bundled()
    }

    fn wd(start: &str, n: u32) -> NaiveDate {
        cal().due_date(d(start), n, TimeUnit::WorkingDays)
    }

    /// The plain definition, one day at a time, to check the fast paths against.
    fn brute_between(c: &WorkCalendar, a: NaiveDate, b: NaiveDate) -> i64 {
        let mut n = 0;
        let mut x = a;
        while x < b {
            x = x.succ_opt().unwrap();
            if c.is_working_day(x) {
                n += 1;
            }
        }
        n
    }

    fn brute_nth(c: &WorkCalendar, start: NaiveDate, n: u32) -> NaiveDate {
        let mut x = start;
        let mut left = n;
        while left > 0 {
            x = x.succ_opt().unwrap();
            if c.is_working_day(x) {
                left -= 1;
            }
        }
        x
    }

    const ADJUSTED_WORKDAYS: [&str; 11] = [
        "2025-01-26",
        "2025-02-08",
        "2025-04-27",
        "2025-09-28",
        "2025-10-11",
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    ];

    #[test]
    fn bundled_data_matches_the_notices() {
        let c = cal();
        assert_eq!(c.years(), &[2025, 2026]);
        assert!(c.source().contains("节假日安排"));
        // 2025: 1 + 8 + 3 + 5 + 3 + 8 = 28 days; 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7 = 33 days.
        assert_eq!(c.holidays.len(), 61);
        assert_eq!(c.holidays.keys().filter(|d| d.year() == 2025).count(), 28);
        assert_eq!(c.workdays.len(), 11);
        assert_eq!(c.holiday_name(d("2025-01-28")), Some("春节"));
        assert_eq!(c.holiday_name(d("2025-02-04")), Some("春节"));
        assert_eq!(c.holiday_name(d("2025-10-08")), Some("国庆节、中秋节"));
        assert_eq!(c.holiday_name(d("2026-02-23")), Some("春节"));
        assert_eq!(c.holiday_name(d("2026-09-25")), Some("中秋节"));
        assert_eq!(c.holiday_name(d("2026-10-07")), Some("国庆节"));
        assert_eq!(c.holiday_name(d("2026-02-24")), None);
        assert_eq!(c.holiday_name(d("2026-02-14")), None);
        assert_eq!(c.workday_name(d("2026-02-14")), Some("春节调休上班"));
        // 2025: 261 weekdays − 18 weekday holidays (1+6+1+3+1+6) + 5 adjusted = 248.
        assert_eq!(
            c.working_days_between(d("2024-12-31"), d("2025-12-31")),
            248
        );
        // 2026: 261 weekdays − 19 weekday holidays (2+6+1+3+1+1+5) + 6 adjusted = 248.
        assert_eq!(
            c.working_days_between(d("2025-12-31"), d("2026-12-31")),
            248
        );
    }

    #[test]
    fn adjusted_weekends_work_and_holidays_do_not() {
        let c = cal();
        for s in ADJUSTED_WORKDAYS {
            let day = d(s);
            assert!(is_weekend(day), "{s} should be a Saturday or Sunday");
            assert!(c.is_working_day(day), "{s} is 调休上班");
            assert!(c.workday_name(day).is_some(), "{s}");
        }
        for (day, name) in &c.holidays {
            assert!(!c.is_working_day(*day), "{day} ({name}) is a holiday");
        }
        let mut holidays = 0;
        let mut x = d("2025-01-01");
        while x <= d("2026-12-31") {
            if c.holiday_name(x).is_some() {
                holidays += 1;
                assert!(!c.is_working_day(x));
            }
            x = x.succ_opt().unwrap();
        }
        assert_eq!(holidays, 61);
        // Ordinary days.
        assert!(c.is_working_day(d("2025-03-03"))); // Monday
        assert!(!c.is_working_day(d("2025-03-08"))); // Saturday
        assert!(!c.is_working_day(d("2026-02-01"))); // Sunday
    }

    #[test]
    fn outside_the_covered_years_only_weekends_are_off() {
        let c = cal();
        assert!(c.covers(d("2025-06-30")));
        assert!(c.covers(d("2026-12-31")));
        assert!(!c.covers(d("2024-12-31")));
        assert!(!c.covers(d("2027-01-01")));
        assert!(c.is_working_day(d("2024-10-01"))); // Tuesday, not in the data
        assert!(c.is_working_day(d("2027-01-01"))); // Friday, not in the data
        assert!(!c.is_working_day(d("2027-01-02"))); // Saturday
        assert_eq!(c.holiday_name(d("2027-01-01")), None);
    }

    #[test]
    fn working_days_across_spring_festival() {
        // 2025-01-24 is a Friday. 01-25 Sat off; 01-26 Sun 调休上班 = 1; 01-27 Mon = 2;
        // 01-28..02-04 春节; 02-05 Wed = 3; 02-06 Thu = 4; 02-07 Fri = 5.
        assert_eq!(wd("2025-01-24", 5), d("2025-02-07"));
        // The 6th is Saturday 02-08 (调休上班), the 7th Monday 02-10.
        assert_eq!(wd("2025-01-24", 6), d("2025-02-08"));
        assert_eq!(wd("2025-01-24", 7), d("2025-02-10"));
        assert_eq!(wd("2025-01-24", 1), d("2025-01-26"));
        assert_eq!(wd("2025-01-24", 0), d("2025-01-24"));
        // Accepted on the last day before the holiday: 01-27 + 1 = 02-05.
        assert_eq!(wd("2025-01-27", 1), d("2025-02-05"));
        // 2026-02-13 Fri: 02-14 Sat 调休上班 = 1; 02-15..02-23 春节; 02-24 = 2; 02-25 = 3.
        assert_eq!(wd("2026-02-13", 3), d("2026-02-25"));
        // …02-26 = 4, 02-27 = 5, 02-28 Sat 调休上班 = 6, 03-02 Mon = 7.
        assert_eq!(wd("2026-02-13", 6), d("2026-02-28"));
        assert_eq!(wd("2026-02-13", 7), d("2026-03-02"));
        // Accepted during the holiday: 2026-02-16 + 1 = 02-24.
        assert_eq!(wd("2026-02-16", 1), d("2026-02-24"));
    }

    #[test]
    fn working_days_across_national_day() {
        // 2025-09-26 Fri: 09-27 Sat off; 09-28 Sun 调休上班 = 1; 09-29 = 2; 09-30 = 3;
        // 10-01..10-08 国庆中秋; 10-09 Thu = 4; 10-10 Fri = 5; 10-11 Sat 调休上班 = 6;
        // 10-12 Sun off; 10-13 Mon = 7.
        assert_eq!(wd("2025-09-26", 3), d("2025-09-30"));
        assert_eq!(wd("2025-09-26", 4), d("2025-10-09"));
        assert_eq!(wd("2025-09-26", 6), d("2025-10-11"));
        assert_eq!(wd("2025-09-26", 7), d("2025-10-13"));
        // 2026-09-30 Wed: 10-01..10-07 国庆; 10-08 Thu = 1; 10-09 Fri = 2;
        // 10-10 Sat 调休上班 = 3; 10-11 Sun off; 10-12 Mon = 4.
        assert_eq!(wd("2026-09-30", 2), d("2026-10-09"));
        assert_eq!(wd("2026-09-30", 3), d("2026-10-10"));
        assert_eq!(wd("2026-09-30", 4), d("2026-10-12"));
        // 2026-09-18 Fri: 09-19 Sat off; 09-20 Sun 调休上班 = 1.
        assert_eq!(wd("2026-09-18", 1), d("2026-09-20"));
        // 2026-09-24 Thu: 09-25..09-27 中秋; 09-28 Mon = 1.
        assert_eq!(wd("2026-09-24", 1), d("2026-09-28"));
        // 2025-12-31 Wed: 2026-01-01..03 元旦; 01-04 Sun 调休上班 = 1; 01-05 Mon = 2.
        assert_eq!(wd("2025-12-31", 1), d("2026-01-04"));
        assert_eq!(wd("2025-12-31", 2), d("2026-01-05"));
    }

    #[test]
    fn calendar_days_land_on_the_next_working_day() {
        let c = cal();
        let days = |s: &str, n| c.due_date(d(s), n, TimeUnit::Days);
        // 2026-09-21 + 10 = 10-01 (国庆) → first working day after the holiday, 10-08.
        assert_eq!(days("2026-09-21", 10), d("2026-10-08"));
        // 2026-10-01 + 9 = 10-10, a Saturday but 调休上班: stays.
        assert_eq!(days("2026-10-01", 9), d("2026-10-10"));
        // 2025-03-03 (Mon) + 5 = 03-08 (Sat) → 03-10 (Mon).
        assert_eq!(days("2025-03-03", 5), d("2025-03-10"));
        // 2025-03-03 + 4 = 03-07 (Fri), a working day.
        assert_eq!(days("2025-03-03", 4), d("2025-03-07"));
        // 2025-01-20 + 10 = 01-30 (春节) → 02-05.
        assert_eq!(days("2025-01-20", 10), d("2025-02-05"));
        // 0 days: 当场办结, even when accepted on a day off.
        assert_eq!(days("2025-03-08", 0), d("2025-03-08"));
    }

    #[test]
    fn months_and_years() {
        let c = cal();
        let months = |s: &str, n| c.due_date(d(s), n, TimeUnit::Months);
        let years = |s: &str, n| c.due_date(d(s), n, TimeUnit::Years);
        // 2026-01-31 + 1 month is clamped to 02-28: a Saturday, but 春节调休上班, so it stays.
        assert_eq!(months("2026-01-31", 1), d("2026-02-28"));
        // 2025-01-31 + 1 month = 2025-02-28 (Fri).
        assert_eq!(months("2025-01-31", 1), d("2025-02-28"));
        // Leap year outside the data: 2024-01-31 + 1 month = 2024-02-29 (Thu).
        assert_eq!(months("2024-01-31", 1), d("2024-02-29"));
        // 2026-01-15 + 1 month = 02-15 (春节) → 02-24.
        assert_eq!(months("2026-01-15", 1), d("2026-02-24"));
        // 2025-09-01 + 1 month = 10-01 → 10-09.
        assert_eq!(months("2025-09-01", 1), d("2025-10-09"));
        // 2025-08-31 + 1 month = 09-30 (Tue).
        assert_eq!(months("2025-08-31", 1), d("2025-09-30"));
        // 2025-05-31 + 13 months = 2026-06-30 (Tue).
        assert_eq!(months("2025-05-31", 13), d("2026-06-30"));
        // 2025-02-01 + 1 year = 2026-02-01 (Sun) → 02-02 (Mon).
        assert_eq!(years("2025-02-01", 1), d("2026-02-02"));
        // 2025-10-01 + 1 year = 2026-10-01 (国庆) → 10-08.
        assert_eq!(years("2025-10-01", 1), d("2026-10-08"));
        // 2024-02-29 + 1 year is clamped to 2025-02-28 (Fri).
        assert_eq!(years("2024-02-29", 1), d("2025-02-28"));
        // 2024-10-01 + 1 year = 2025-10-01 → 10-09.
        assert_eq!(years("2024-10-01", 1), d("2025-10-09"));
    }

    #[test]
    fn a_pause_moves_a_working_day_deadline_by_the_working_days_paused() {
        let c = cal();
        let start = d("2025-01-24");
        let unit = TimeUnit::WorkingDays;
        let today = d("2025-03-01");
        assert_eq!(c.due_date(start, 5, unit), d("2025-02-07"));
        // Paused 02-05, 02-06, 02-07 (restart 02-08) = 3 working days: the due date moves from
        // the 5th to the 8th working day: 02-08 (Sat 调休上班) = 6, 02-10 = 7, 02-11 = 8.
        let p = Pause {
            from: d("2025-02-05"),
            to: Some(d("2025-02-08")),
        };
        let due = c.due_date_with_pauses(start, 5, unit, &[p], today);
        assert_eq!(due, d("2025-02-11"));
        assert_eq!(c.working_days_between(d("2025-02-07"), due), 3);
        // Overlapping and repeated pauses covering the same days count once.
        let overlapping = [
            Pause {
                from: d("2025-02-05"),
                to: Some(d("2025-02-07")),
            },
            Pause {
                from: d("2025-02-06"),
                to: Some(d("2025-02-08")),
            },
            p,
            p,
        ];
        assert_eq!(
            c.due_date_with_pauses(start, 5, unit, &overlapping, today),
            d("2025-02-11")
        );
        // Adjacent pauses join: [02-05, 02-06) + [02-06, 02-08) = the same 3 days.
        let adjacent = [
            Pause {
                from: d("2025-02-06"),
                to: Some(d("2025-02-08")),
            },
            Pause {
                from: d("2025-02-05"),
                to: Some(d("2025-02-06")),
            },
        ];
        assert_eq!(
            c.due_date_with_pauses(start, 5, unit, &adjacent, today),
            d("2025-02-11")
        );
        // A pause across the holiday only costs its working days: 01-27 and 02-05 → 7th = 02-10.
        let across = Pause {
            from: d("2025-01-27"),
            to: Some(d("2025-02-06")),
        };
        assert_eq!(
            c.due_date_with_pauses(start, 5, unit, &[across], today),
            d("2025-02-10")
        );
        // Days before and on the acceptance day do not count: [01-20, 01-27) only costs 01-26.
        let early = Pause {
            from: d("2025-01-20"),
            to: Some(d("2025-01-27")),
        };
        assert_eq!(
            c.due_date_with_pauses(start, 5, unit, &[early], today),
            d("2025-02-08")
        );
        // Empty and backwards pauses are ignored; no pauses = due_date.
        let empty = [
            Pause {
                from: d("2025-02-05"),
                to: Some(d("2025-02-05")),
            },
            Pause {
                from: d("2025-02-07"),
                to: Some(d("2025-02-05")),
            },
        ];
        assert_eq!(
            c.due_date_with_pauses(start, 5, unit, &empty, today),
            d("2025-02-07")
        );
        assert_eq!(
            c.due_date_with_pauses(start, 5, unit, &[], today),
            d("2025-02-07")
        );
    }

    #[test]
    fn an_open_pause_counts_through_today() {
        let c = cal();
        let start = d("2026-02-13");
        let unit = TimeUnit::WorkingDays;
        assert_eq!(c.due_date(start, 3, unit), d("2026-02-25"));
        // 02-14 ran (1 used); stopped from 02-24, still stopped on 02-26. Restarting 02-27
        // leaves 2: 02-27 (Fri) and 02-28 (Sat 调休上班).
        let open = Pause {
            from: d("2026-02-24"),
            to: None,
        };
        assert_eq!(
            c.due_date_with_pauses(start, 3, unit, &[open], d("2026-02-26")),
            d("2026-02-28")
        );
        // Each further day stopped pushes it: still stopped on 02-28 (5 working days paused),
        // restarting 03-01 leaves 2: 03-02 and 03-03.
        assert_eq!(
            c.due_date_with_pauses(start, 3, unit, &[open], d("2026-02-28")),
            d("2026-03-03")
        );
        // Stopped today only (from = today = 02-24) costs one working day: 02-26.
        assert_eq!(
            c.due_date_with_pauses(start, 3, unit, &[open], d("2026-02-24")),
            d("2026-02-26")
        );
        // A pause that starts after today has not cost anything yet.
        assert_eq!(
            c.due_date_with_pauses(start, 3, unit, &[open], d("2026-02-20")),
            d("2026-02-25")
        );
        // An open pause overlapping a closed one counts the union: [02-24, 02-26) ∪ [02-25, today].
        let closed = Pause {
            from: d("2026-02-24"),
            to: Some(d("2026-02-26")),
        };
        let open25 = Pause {
            from: d("2026-02-25"),
            to: None,
        };
        assert_eq!(
            c.due_date_with_pauses(start, 3, unit, &[closed, open25], d("2026-02-26")),
            d("2026-02-28")
        );
    }

    #[test]
    fn pauses_in_calendar_units_add_calendar_days_then_the_holiday_rule() {
        let c = cal();
        let today = d("2026-12-31");
        // 2025-03-03 + 5 days = 03-08 (Sat) → 03-10. Paused 03-04..03-06 (3 days):
        // 03-08 + 3 = 03-11 (Tue). The rule applies once, to the final date (not 03-10 + 3).
        let p = Pause {
            from: d("2025-03-04"),
            to: Some(d("2025-03-07")),
        };
        assert_eq!(
            c.due_date_with_pauses(d("2025-03-03"), 5, TimeUnit::Days, &[p], today),
            d("2025-03-11")
        );
        // 2026-09-21 + 10 days paused 2 days = 10-03 (国庆) → 10-08.
        let p2 = Pause {
            from: d("2026-09-22"),
            to: Some(d("2026-09-24")),
        };
        assert_eq!(
            c.due_date_with_pauses(d("2026-09-21"), 10, TimeUnit::Days, &[p2], today),
            d("2026-10-08")
        );
        // 2026-01-31 + 1 month = 02-28 (调休上班); paused 2 days (02-02, 02-03) → 03-02 (Mon).
        let p3 = Pause {
            from: d("2026-02-02"),
            to: Some(d("2026-02-04")),
        };
        assert_eq!(
            c.due_date_with_pauses(d("2026-01-31"), 1, TimeUnit::Months, &[p3], today),
            d("2026-03-02")
        );
        // Years: 2025-02-01 + 1 year = 2026-02-01; paused 7 days → 02-08 (Sun) → 02-09.
        let p4 = Pause {
            from: d("2025-03-01"),
            to: Some(d("2025-03-08")),
        };
        assert_eq!(
            c.due_date_with_pauses(d("2025-02-01"), 1, TimeUnit::Years, &[p4], today),
            d("2026-02-09")
        );
    }

    #[test]
    fn working_days_between_counts_the_half_open_span() {
        let c = cal();
        assert_eq!(c.working_days_between(d("2025-01-24"), d("2025-02-07")), 5);
        assert_eq!(c.working_days_between(d("2025-02-07"), d("2025-01-24")), -5);
        assert_eq!(c.working_days_between(d("2025-02-07"), d("2025-02-07")), 0);
        // Inside the holiday nothing counts.
        assert_eq!(c.working_days_between(d("2025-01-27"), d("2025-02-04")), 0);
        // A week outside the data.
        assert_eq!(c.working_days_between(d("2027-03-07"), d("2027-03-14")), 5);
        // The arithmetic agrees with counting day by day, inside and outside the data.
        let mut rng = fastrand::Rng::with_seed(7);
        let base = d("2023-06-01");
        for _ in 0..300 {
            let a = base + Days::new(rng.u64(0..1500));
            let b = base + Days::new(rng.u64(0..1500));
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let expect = brute_between(&c, lo, hi);
            assert_eq!(c.working_days_between(lo, hi), expect, "({lo}, {hi}]");
            assert_eq!(c.working_days_between(hi, lo), -expect, "({hi}, {lo}]");
        }
    }

    #[test]
    fn random_working_day_deadlines_are_consistent() {
        let c = cal();
        let mut rng = fastrand::Rng::with_seed(20250101);
        let first = d("2025-01-01");
        for _ in 0..2000 {
            let start = first + Days::new(rng.u64(0..730));
            let n = rng.u32(0..40);
            let due = c.due_date(start, n, TimeUnit::WorkingDays);
            assert_eq!(
                c.working_days_between(start, due),
                i64::from(n),
                "{start} + {n}"
            );
            if n == 0 {
                assert_eq!(due, start);
            } else {
                assert!(c.is_working_day(due), "{start} + {n} = {due}");
                // The first such day: the day before holds one fewer.
                let before = due.pred_opt().unwrap();
                assert_eq!(c.working_days_between(start, before), i64::from(n) - 1);
            }
            assert_eq!(due, brute_nth(&c, start, n), "{start} + {n}");
        }
    }

    #[test]
    fn no_panic_at_the_ends_of_time() {
        let c = cal();
        let today = d("2026-01-01");
        for start in [NaiveDate::MIN, NaiveDate::MAX, d("2025-06-01")] {
            for unit in TimeUnit::ALL {
                for amount in [0, 1, 40, MAX_AMOUNT, u32::MAX] {
                    let due = c.due_date(start, amount, *unit);
                    assert!(due >= start);
                    let open = Pause {
                        from: NaiveDate::MIN,
                        to: None,
                    };
                    let huge = Pause {
                        from: start,
                        to: Some(NaiveDate::MAX),
                    };
                    for t in [today, NaiveDate::MIN, NaiveDate::MAX] {
                        let due2 = c.due_date_with_pauses(start, amount, *unit, &[open, huge], t);
                        assert!(due2 >= due);
                    }
                }
            }
        }
        // Amounts saturate.
        let s = d("2025-06-01");
        assert_eq!(
            c.due_date(s, u32::MAX, TimeUnit::WorkingDays),
            c.due_date(s, MAX_AMOUNT, TimeUnit::WorkingDays)
        );
        assert_eq!(
            c.due_date(s, u32::MAX, TimeUnit::Years),
            c.due_date(s, MAX_AMOUNT, TimeUnit::Years)
        );
        assert_eq!(
            c.due_date(NaiveDate::MAX, 3, TimeUnit::WorkingDays),
            NaiveDate::MAX
        );
        let all = c.working_days_between(NaiveDate::MIN, NaiveDate::MAX);
        assert!(all > 0);
        assert_eq!(c.working_days_between(NaiveDate::MAX, NaiveDate::MIN), -all);
        // 100000 working days from 2025-06-01, cross-checked by counting.
        let far = c.due_date(s, MAX_AMOUNT, TimeUnit::WorkingDays);
        assert_eq!(c.working_days_between(s, far), i64::from(MAX_AMOUNT));
        assert!(c.is_working_day(far));
    }

    #[test]
    fn weekday_arithmetic_matches_chrono() {
        // Day 1 (0001-01-01) is a Monday, and the prefix count steps by one on weekdays only.
        assert_eq!(day_num(d("0001-01-01")), 1);
        assert_eq!(d("0001-01-01").weekday(), Weekday::Mon);
        for x in [NaiveDate::MIN, d("1969-12-25"), d("2025-01-01")] {
            let mut day = x;
            for _ in 0..30 {
                let step = weekdays_through(day_num(day)) - weekdays_through(day_num(day) - 1);
                assert_eq!(step, i64::from(!is_weekend(day)), "{day}");
                day = day.succ_opt().unwrap();
            }
        }
    }

    const GOOD: &str = r#"{
        "source": "测试",
        "years": [2026],
        "holidays": [
            {"date": "2026-01-01", "name": "元旦"},
            {"date": "2026-01-02", "name": "元旦"},
            {"date": "2026-02-30", "name": "春节"}
        ],
        "workdays": [{"date": "2026-01-04", "name": "元旦调休上班"}]
    }"#;

    fn err(json: &str) -> String {
        WorkCalendar::from_json(json).unwrap_err().to_string()
    }

    #[test]
    fn from_json_names_the_bad_entry() {
        // An impossible date, named by list and position.
        let e = err(GOOD);
        assert!(
            e.contains("放假日（holidays）第3条：日期“2026-02-30”无效"),
            "{e}"
        );
        // Not YYYY-MM-DD.
        let e = err(&GOOD.replace("2026-02-30", "2026/2/3"));
        assert!(e.contains("第3条：日期“2026/2/3”无效"), "{e}");
        let e = err(&GOOD.replace("2026-02-30", "2026-2-03"));
        assert!(e.contains("第3条：日期“2026-2-03”无效"), "{e}");
        // Both a holiday and a working day.
        let e = err(&GOOD.replace("2026-02-30", "2026-01-04"));
        assert!(e.contains("2026-01-04"), "{e}");
        assert!(e.contains("holidays 第3条“春节”"), "{e}");
        assert!(e.contains("workdays 第1条“元旦调休上班”"), "{e}");
        assert!(e.contains("既列为放假"), "{e}");
        // Malformed JSON: the position is named.
        let e = err(r#"{"years": [2026], "holidays": [{"date": "2026-01-01",}]}"#);
        assert!(e.contains("第1行第"), "{e}");
        assert!(e.contains("不是有效的日历 JSON"), "{e}");
        // A missing list.
        let e = err(r#"{"years": [2026], "holidays": []}"#);
        assert!(e.contains("workdays"), "{e}");
        // A year that is not listed.
        let e = err(&GOOD.replace("2026-02-30", "2027-02-01"));
        assert!(
            e.contains("第3条（春节）：日期“2027-02-01”的年份不在 years"),
            "{e}"
        );
        // A duplicate.
        let e = err(&GOOD.replace("2026-02-30", "2026-01-02"));
        assert!(
            e.contains("第3条（春节）：日期“2026-01-02”与第2条重复"),
            "{e}"
        );
        // An adjusted working day that is already a weekday (2026-01-05 is a Monday).
        let e = err(&GOOD
            .replace("2026-02-30", "2026-01-03")
            .replace("2026-01-04", "2026-01-05"));
        assert!(
            e.contains("第1条（元旦调休上班）：“2026-01-05”是星期一"),
            "{e}"
        );
        // No years, and a listed year without holidays.
        let e = err(r#"{"years": [], "holidays": [], "workdays": []}"#);
        assert!(e.contains("years 为空"), "{e}");
        let e = err(&GOOD
            .replace("2026-02-30", "2026-01-03")
            .replace("[2026]", "[2026, 2027]"));
        assert!(e.contains("2027年"), "{e}");
        // And the fixed file loads.
        let ok = WorkCalendar::from_json(&GOOD.replace("2026-02-30", "2026-01-03")).unwrap();
        assert_eq!(ok.years(), &[2026]);
        assert!(!ok.is_working_day(d("2026-01-02")));
        assert!(ok.is_working_day(d("2026-01-04")));
    }
}
