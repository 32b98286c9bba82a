//! The working-day calendar (工作日历) and promised completion dates (承诺办结时限).
//!
//! China's public holidays and adjusted working days (调休上班) change every year by notice of
//! the General Office of the State Council, so for the years such a notice covers they are
//! DATA, not code: the bundled `assets/calendar/cn-workdays.json` lists every holiday and every
//! adjusted working day of the years it covers, and an admin can load a newer file through
//! [`WorkCalendar::from_json`] and add it with [`WorkCalendar::merge`]. These are the
//! *official* years ([`WorkCalendar::is_official`]); each remembers the source it came from
//! ([`WorkCalendar::official_years`]).
//!
//! # Years without an official arrangement: an estimate by law
//!
//! A limit counted today may end in a year whose notice is not out yet (or was never
//! imported). There the calendar does not pretend that only weekends are days off: it
//! estimates the days off from the law alone, 《全国年节及纪念日放假办法》 in the version in
//! force that year:
//!
//!  - The holidays for all citizens. From 2025 (2024 amendment): 元旦 1 January; 春节 农历除夕
//!    (the last day of the 12th lunar month, the 29th or the 30th) and 正月初一 to 初三; 清明
//!    on the day of the 清明 solar term; 劳动节 1 and 2 May; 端午 五月初五; 中秋 八月十五;
//!    国庆节 1 to 3 October. For 2014–2024 (2013 amendment) 春节 is 初一 to 初三 and 劳动节
//!    1 May only; for 2008–2013 (2007 amendment) 春节 is 除夕 to 初二 and 劳动节 1 May only;
//!    before 2008 (1999 amendment) 元旦, 春节 初一 to 初三, 劳动节 1 to 3 May and 国庆节 1 to 3
//!    October, without 清明, 端午 and 中秋. Older versions (and the six-day week before 1995)
//!    are not modelled: such years only matter here as the far end of a range.
//!  - 补假 (Article 6: a holiday for all citizens that falls on a Saturday or Sunday is made up
//!    on a working day). The law does not say which day; the notices place it freely and move
//!    weekends around it (调休). The ESTIMATE used here: each holiday day on a Saturday or
//!    Sunday gives one day off on the first following Monday–Friday that is neither a holiday
//!    nor already such a substitute, named after the holiday, e.g. "国庆节（补假）".
//!  - No adjusted working days (调休上班): they cannot be known in advance.
//!
//! Lunar dates and the 清明 solar term come from the `tyme4rs` crate for the years
//! [`LUNAR_YEARS`] (the tests cross-check them against ICU4X's Chinese calendar); outside that
//! range only the solar-date holidays (元旦, 劳动节, 国庆节) and their 补假 are estimated. A
//! year's estimate depends on the year alone, so it is computed once, when first needed, and
//! kept for the whole process.
//!
//! A date computed across a non-official year rests on an estimate, and callers must say so:
//! [`WorkCalendar::estimated_years`] lists those years and [`estimate_warning`] words the
//! warning.
//!
//! No function here panics, whatever the date: arithmetic is checked and a result that would
//! leave chrono's date range saturates to [`NaiveDate::MAX`].

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::ops::Bound::{Excluded, Included};
use std::ops::RangeInclusive;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use yichuang_types::dict::TimeUnit;

/// Time limits above this many units are treated as this many (about 270 years of days).
pub const MAX_AMOUNT: u32 = 100_000;

/// The years whose lunar holidays (春节, 端午, 中秋) and 清明 are estimated when they have no
/// official arrangement. Outside them only the solar-date holidays are.
pub const LUNAR_YEARS: RangeInclusive<i32> = 1901..=2100;

/// A working-day calendar: the official years, with their holidays, adjusted working days and
/// sources; every other year is estimated by law (see the module docs).
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    /// All the sources, for [`Self::source`].
    source: String,
    /// The official years, ascending: the keys of `sources`.
    years: Vec<i32>,
    /// Each official year and the source (the notice's title) its data came from.
    sources: BTreeMap<i32, String>,
    /// The holidays of the official years (none of another year).
    holidays: BTreeMap<NaiveDate, String>,
    /// The adjusted working days of the official years (none of another year).
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
        let sources = years.iter().map(|&y| (y, file.source.clone())).collect();
        Ok(WorkCalendar {
            source: file.source,
            years,
            sources,
            holidays: strip(holidays),
            workdays: strip(workdays),
        })
    }

    /// Where the data comes from: the notice's title, or after [`Self::merge`] the distinct
    /// titles of the official years, in year order, joined by "；".
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The official years, ascending.
    pub fn years(&self) -> &[i32] {
        &self.years
    }

    /// Each official year and the source text of the data it came from, ascending, for
    /// `calendar show`.
    pub fn official_years(&self) -> Vec<(i32, String)> {
        self.sources.iter().map(|(y, s)| (*y, s.clone())).collect()
    }

    /// Whether `year` has an official arrangement (bundled or imported). Every other year is
    /// estimated by law.
    pub fn is_official(&self, year: i32) -> bool {
        self.sources.contains_key(&year)
    }

    /// Whether `d`'s year has an official arrangement: [`Self::is_official`] by date.
    pub fn covers(&self, d: NaiveDate) -> bool {
        self.is_official(d.year())
    }

    /// The years from `from`'s to `to`'s (inclusive, in either order) that have no official
    /// arrangement, ascending. A date computed over that span rests on an estimate when this
    /// is not empty; [`estimate_warning`] words it.
    pub fn estimated_years(&self, from: NaiveDate, to: NaiveDate) -> Vec<i32> {
        let (lo, hi) = if from <= to {
            (from.year(), to.year())
        } else {
            (to.year(), from.year())
        };
        (lo..=hi).filter(|y| !self.is_official(*y)).collect()
    }

    /// Merges `other` into `self`: each year official in `other` replaces that year in `self`
    /// entirely (its holidays, its adjusted working days and its source); the other years of
    /// `self` stay as they are. [`Self::source`] then names every source still in use. For an
    /// admin importing a newer State Council notice.
    pub fn merge(&mut self, other: WorkCalendar) {
        let WorkCalendar {
            sources,
            holidays,
            workdays,
            ..
        } = other;
        self.holidays
            .retain(|d, _| !sources.contains_key(&d.year()));
        self.workdays
            .retain(|d, _| !sources.contains_key(&d.year()));
        self.holidays.extend(holidays);
        self.workdays.extend(workdays);
        self.sources.extend(sources);
        self.years = self.sources.keys().copied().collect();
        let mut distinct: Vec<&str> = Vec::new();
        for s in self.sources.values() {
            if !s.is_empty() && !distinct.contains(&s.as_str()) {
                distinct.push(s);
            }
        }
        self.source = distinct.join("；");
    }

    /// In an official year: Monday to Friday unless a listed holiday; Saturday and Sunday only
    /// if listed as an adjusted working day (调休上班). In any other year: Monday to Friday
    /// unless an estimated holiday or 补假 (see the module docs).
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if !self.covers(d) {
            !is_weekend(d) && estimate::name(d).is_none()
        } else if self.workdays.contains_key(&d) {
            true
        } else if self.holidays.contains_key(&d) {
            false
        } else {
            !is_weekend(d)
        }
    }

    /// The holiday's name (e.g. "春节") if `d` is a listed holiday of an official year, or an
    /// estimated holiday or 补假 of another year (e.g. "清明节", "国庆节（补假）"). An
    /// estimated holiday on a weekend is named too.
    pub fn holiday_name(&self, d: NaiveDate) -> Option<&str> {
        if self.covers(d) {
            self.holidays.get(&d).map(String::as_str)
        } else {
            estimate::name(d)
        }
    }

    /// The adjusted working day's name (e.g. "春节调休上班") if `d` is one. Only official years
    /// have them.
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
                    - self.estimated_days_off_on_weekdays(a, b)
            }
        }
    }

    /// The Mondays to Fridays in (a, b] (a < b) that are estimated holidays or 补假 of
    /// non-official years. Whole years are counted from each year's total, so a span of
    /// centuries costs no more than the years of [`LUNAR_YEARS`] in it.
    fn estimated_days_off_on_weekdays(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        let (ya, yb) = (a.year(), b.year());
        let within = |y: i32| {
            if self.is_official(y) {
                0
            } else {
                estimate::days_off_on_weekdays_within(y, a, b)
            }
        };
        if ya == yb {
            return within(ya);
        }
        let mut n = within(ya) + within(yb);
        if yb - ya >= 2 {
            let whole = (ya + 1)..=(yb - 1);
            n += estimate::days_off_on_weekdays_in_years(whole.clone());
            n -= self
                .years
                .iter()
                .filter(|y| whole.contains(*y))
                .map(|&y| estimate::days_off_on_weekdays_in_years(y..=y))
                .sum::<i64>();
        }
        n
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

/// The warning for a date that rests on an estimate, for the non-official `years` (as
/// [`WorkCalendar::estimated_years`] gives them): "2027年节假日安排尚未导入，日期按法定节日估算",
/// "2027、2028年…"; a run of three or more consecutive years is written "2027至2030". `None`
/// for no year.
pub fn estimate_warning(years: &[i32]) -> Option<String> {
    let mut ys = years.to_vec();
    ys.sort_unstable();
    ys.dedup();
    if ys.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ys.len() {
        let mut j = i;
        while j + 1 < ys.len() && ys[j].checked_add(1) == Some(ys[j + 1]) {
            j += 1;
        }
        if j - i >= 2 {
            parts.push(format!("{}至{}", ys[i], ys[j]));
        } else {
            parts.extend(ys[i..=j].iter().map(i32::to_string));
        }
        i = j + 1;
    }
    Some(format!(
        "{}年节假日安排尚未导入，日期按法定节日估算",
        parts.join("、")
    ))
}

/// The days off of a year without an official arrangement, estimated by law (see the module
/// docs), computed once per year for the whole process.
mod estimate {
    use std::collections::BTreeMap;
    use std::ops::RangeInclusive;
    use std::sync::OnceLock;

    use chrono::{Datelike, Days, NaiveDate};
    use tyme4rs::tyme::lunar::LunarDay;
    use tyme4rs::tyme::solar::{SolarDay, SolarTerm};

    use super::{LUNAR_YEARS, is_weekend};

    /// One year's estimated holidays and 补假, by date.
    pub(super) struct YearEstimate {
        /// Ascending by date; weekend holidays included (for their names).
        pub(super) days: Vec<(NaiveDate, &'static str)>,
        /// How many of `days` are Mondays to Fridays: the working days the estimate removes.
        pub(super) off_weekdays: i64,
    }

    const CACHED: usize = (*LUNAR_YEARS.end() - *LUNAR_YEARS.start() + 1) as usize;

    /// The years of [`LUNAR_YEARS`], each computed on first use. Other years only have solar
    /// dates, which cost nothing to compute again.
    static CACHE: [OnceLock<YearEstimate>; CACHED] = [const { OnceLock::new() }; CACHED];

    fn with_year<R>(year: i32, f: impl FnOnce(&YearEstimate) -> R) -> R {
        let cell = usize::try_from(i64::from(year) - i64::from(*LUNAR_YEARS.start()))
            .ok()
            .and_then(|i| CACHE.get(i));
        match cell {
            Some(cell) => f(cell.get_or_init(|| compute(year))),
            None => f(&compute(year)),
        }
    }

    /// The estimated holiday's or 补假's name, if `d` is one.
    pub(super) fn name(d: NaiveDate) -> Option<&'static str> {
        with_year(d.year(), |e| {
            e.days
                .binary_search_by_key(&d, |(x, _)| *x)
                .ok()
                .and_then(|i| e.days.get(i))
                .map(|(_, name)| *name)
        })
    }

    /// The estimated days off of `year` that are Mondays to Fridays in (a, b].
    pub(super) fn days_off_on_weekdays_within(year: i32, a: NaiveDate, b: NaiveDate) -> i64 {
        with_year(year, |e| {
            e.days
                .iter()
                .filter(|(d, _)| *d > a && *d <= b && !is_weekend(*d))
                .count() as i64
        })
    }

    /// The estimated days off on Mondays to Fridays in all of `years`, official or not.
    pub(super) fn days_off_on_weekdays_in_years(years: RangeInclusive<i32>) -> i64 {
        let (lo, hi) = (*years.start(), *years.end());
        let (first, last) = (*LUNAR_YEARS.start(), *LUNAR_YEARS.end());
        let mut n = 0;
        // Outside LUNAR_YEARS every year has the same solar-date holidays, each a weekday off
        // itself or giving one (its 补假), so the same count: that of the nearest such year.
        let below = hi.min(first - 1);
        if lo <= below {
            n += (i64::from(below) - i64::from(lo) + 1) * with_year(first - 1, |e| e.off_weekdays);
        }
        let above = lo.max(last + 1);
        if above <= hi {
            n += (i64::from(hi) - i64::from(above) + 1) * with_year(last + 1, |e| e.off_weekdays);
        }
        for y in lo.max(first)..=hi.min(last) {
            n += with_year(y, |e| e.off_weekdays);
        }
        n
    }

    /// The version of 《全国年节及纪念日放假办法》 in force in a year, as far as it matters here.
    struct Law {
        /// 除夕 is a holiday.
        eve: bool,
        /// The holidays from 正月初一 on.
        spring_days: u64,
        /// The holidays from 1 May on.
        may_days: u32,
        /// 清明, 端午 and 中秋 are holidays.
        traditional: bool,
    }

    impl Law {
        fn of(year: i32) -> Law {
            match year {
                2025.. => Law {
                    eve: true,
                    spring_days: 3,
                    may_days: 2,
                    traditional: true,
                },
                2014..=2024 => Law {
                    eve: false,
                    spring_days: 3,
                    may_days: 1,
                    traditional: true,
                },
                2008..=2013 => Law {
                    eve: true,
                    spring_days: 2,
                    may_days: 1,
                    traditional: true,
                },
                _ => Law {
                    eve: false,
                    spring_days: 3,
                    may_days: 3,
                    traditional: false,
                },
            }
        }
    }

    const NEW_YEAR: u8 = 1;
    const SPRING: u8 = 1 << 1;
    const QINGMING: u8 = 1 << 2;
    const LABOUR: u8 = 1 << 3;
    const DRAGON_BOAT: u8 = 1 << 4;
    const MID_AUTUMN: u8 = 1 << 5;
    const NATIONAL: u8 = 1 << 6;

    /// The holiday's name and its 补假's name. Only 中秋 and 国庆节 can fall on the same day.
    fn names(holidays: u8) -> (&'static str, &'static str) {
        const ALONE: [(u8, &str, &str); 7] = [
            (NEW_YEAR, "元旦", "元旦（补假）"),
            (SPRING, "春节", "春节（补假）"),
            (QINGMING, "清明节", "清明节（补假）"),
            (LABOUR, "劳动节", "劳动节（补假）"),
            (DRAGON_BOAT, "端午节", "端午节（补假）"),
            (MID_AUTUMN, "中秋节", "中秋节（补假）"),
            (NATIONAL, "国庆节", "国庆节（补假）"),
        ];
        if holidays & NATIONAL != 0 && holidays & MID_AUTUMN != 0 {
            return ("国庆节、中秋节", "国庆节、中秋节（补假）");
        }
        ALONE
            .iter()
            .find(|(bit, _, _)| holidays & bit != 0)
            .map(|(_, name, sub)| (*name, *sub))
            .unwrap_or(("法定节假日", "法定节假日（补假）"))
    }

    fn compute(year: i32) -> YearEstimate {
        let law = Law::of(year);
        let mut holidays: BTreeMap<NaiveDate, u8> = BTreeMap::new();
        {
            let mut add = |d: Option<NaiveDate>, holiday: u8| {
                if let Some(d) = d {
                    *holidays.entry(d).or_default() |= holiday;
                }
            };
            let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d);
            add(ymd(1, 1), NEW_YEAR);
            for d in 1..=law.may_days {
                add(ymd(5, d), LABOUR);
            }
            for d in 1..=3 {
                add(ymd(10, d), NATIONAL);
            }
            if LUNAR_YEARS.contains(&year) {
                if let Some(first) = lunar_date(year, 1, 1) {
                    if law.eve {
                        add(first.pred_opt(), SPRING);
                    }
                    for i in 0..law.spring_days {
                        add(first.checked_add_days(Days::new(i)), SPRING);
                    }
                }
                if law.traditional {
                    add(qingming(year), QINGMING);
                    add(lunar_date(year, 5, 5), DRAGON_BOAT);
                    add(lunar_date(year, 8, 15), MID_AUTUMN);
                }
            }
        }
        // 补假: in date order, each weekend holiday takes the first following weekday that is
        // neither a holiday nor taken.
        let mut substitutes: Vec<(NaiveDate, u8)> = Vec::new();
        for (&d, &holiday) in holidays.iter().filter(|(d, _)| is_weekend(**d)) {
            let mut next = d.succ_opt();
            while let Some(x) = next {
                let taken = is_weekend(x)
                    || holidays.contains_key(&x)
                    || substitutes.iter().any(|(s, _)| *s == x);
                if !taken {
                    substitutes.push((x, holiday));
                    break;
                }
                next = x.succ_opt();
            }
        }
        let mut days: Vec<(NaiveDate, &'static str)> = holidays
            .iter()
            .map(|(d, h)| (*d, names(*h).0))
            .chain(substitutes.iter().map(|(d, h)| (*d, names(*h).1)))
            .collect();
        days.sort_unstable_by_key(|(d, _)| *d);
        let off_weekdays = days.iter().filter(|(d, _)| !is_weekend(*d)).count() as i64;
        YearEstimate { days, off_weekdays }
    }

    /// The Gregorian date of a day of a lunar year (of its ordinary, not leap, month), by
    /// `tyme4rs`. Only called for [`LUNAR_YEARS`].
    pub(super) fn lunar_date(year: i32, month: isize, day: usize) -> Option<NaiveDate> {
        let lunar = LunarDay::new(isize::try_from(year).ok()?, month, day).ok()?;
        to_naive(&lunar.get_solar_day())
    }

    /// The day of the 清明 solar term in `year` (Beijing time), by `tyme4rs`. Only called for
    /// [`LUNAR_YEARS`].
    pub(super) fn qingming(year: i32) -> Option<NaiveDate> {
        let term = SolarTerm::new(isize::try_from(year).ok()?, "清明").ok()?;
        to_naive(&term.get_solar_day())
    }

    fn to_naive(d: &SolarDay) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(
            i32::try_from(d.get_year()).ok()?,
            u32::try_from(d.get_month()).ok()?,
            u32::try_from(d.get_day()).ok()?,
        )
    }

    #[cfg(test)]
    pub(super) fn estimate_of(year: i32) -> Vec<(NaiveDate, &'static str)> {
        with_year(year, |e| e.days.clone())
    }

    #[cfg(test)]
    pub(super) fn off_weekdays_of(year: i32) -> i64 {
        with_year(year, |e| e.off_weekdays)
    }
}

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
        assert_eq!(
            c.official_years(),
            [
                (2025, c.source().to_string()),
                (2026, c.source().to_string())
            ]
        );
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

    /// What the calendar said for 2025 and 2026 before the estimates were added, computed
    /// with that code: the weekdays that are not working days…
    const OFF_WEEKDAYS_2025_2026: [&str; 37] = [
        "2025-01-01",
        "2025-01-28",
        "2025-01-29",
        "2025-01-30",
        "2025-01-31",
        "2025-02-03",
        "2025-02-04",
        "2025-04-04",
        "2025-05-01",
        "2025-05-02",
        "2025-05-05",
        "2025-06-02",
        "2025-10-01",
        "2025-10-02",
        "2025-10-03",
        "2025-10-06",
        "2025-10-07",
        "2025-10-08",
        "2026-01-01",
        "2026-01-02",
        "2026-02-16",
        "2026-02-17",
        "2026-02-18",
        "2026-02-19",
        "2026-02-20",
        "2026-02-23",
        "2026-04-06",
        "2026-05-01",
        "2026-05-04",
        "2026-05-05",
        "2026-06-19",
        "2026-09-25",
        "2026-10-01",
        "2026-10-02",
        "2026-10-05",
        "2026-10-06",
        "2026-10-07",
    ];

    /// …and the working days of each month, January 2025 to December 2026. (The weekend days
    /// that are working days are [`ADJUSTED_WORKDAYS`].)
    const WORKING_DAYS_PER_MONTH_2025_2026: [i64; 24] = [
        19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23, //
        21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21, 23,
    ];

    #[test]
    fn the_official_years_are_unchanged_day_by_day() {
        let c = cal();
        let mut per_month = [0i64; 24];
        let mut x = d("2025-01-01");
        let mut days = 0;
        while x <= d("2026-12-31") {
            let s = x.to_string();
            let expected = if is_weekend(x) {
                ADJUSTED_WORKDAYS.contains(&s.as_str())
            } else {
                !OFF_WEEKDAYS_2025_2026.contains(&s.as_str())
            };
            assert_eq!(c.is_working_day(x), expected, "{x}");
            if expected {
                let m = (x.year() - 2025) * 12 + x.month0() as i32;
                per_month[m as usize] += 1;
            }
            x = x.succ_opt().unwrap();
            days += 1;
        }
        assert_eq!(days, 730);
        assert_eq!(per_month, WORKING_DAYS_PER_MONTH_2025_2026);
        assert_eq!(per_month.iter().sum::<i64>(), 248 + 248);
        // The fast count agrees month by month.
        let mut month_start = d("2025-01-01");
        for (i, n) in WORKING_DAYS_PER_MONTH_2025_2026.iter().enumerate() {
            let next = month_start + Months::new(1);
            let last = next.pred_opt().unwrap();
            assert_eq!(
                c.working_days_between(month_start.pred_opt().unwrap(), last),
                *n,
                "month {i}"
            );
            month_start = next;
        }
        assert!(
            c.estimated_years(d("2025-01-01"), d("2026-12-31"))
                .is_empty()
        );
    }

    #[test]
    fn outside_the_official_years_the_law_is_estimated() {
        let c = cal();
        assert!(c.covers(d("2025-06-30")));
        assert!(c.covers(d("2026-12-31")));
        assert!(!c.covers(d("2024-12-31")));
        assert!(!c.covers(d("2027-01-01")));
        assert!(c.is_official(2025) && c.is_official(2026));
        assert!(!c.is_official(2024) && !c.is_official(2027));
        // No adjusted working days are invented.
        for y in [2024, 2027, 2028] {
            let mut x = NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
            while x.year() == y {
                if is_weekend(x) {
                    assert!(!c.is_working_day(x), "{x}");
                }
                assert_eq!(c.workday_name(x), None);
                x = x.succ_opt().unwrap();
            }
        }
        // Ordinary days outside the data are what they always were.
        assert!(c.is_working_day(d("2027-03-03"))); // Wednesday
        assert!(!c.is_working_day(d("2027-03-06"))); // Saturday
        assert_eq!(c.holiday_name(d("2027-03-03")), None);
        assert_eq!(c.working_days_between(d("2027-03-07"), d("2027-03-14")), 5);
    }

    /// 2027's days off by the 2024 version of the law. Each lunar date and 清明 was checked
    /// against `tyme4rs` (see `the_2027_dates_are_tyme4rs_dates`) and against the published
    /// calendar: Spring Festival on Saturday 2027-02-06.
    const DAYS_OFF_2027: [(&str, &str); 19] = [
        ("2027-01-01", "元旦"),         // Friday
        ("2027-02-05", "春节"),         // 除夕, Friday
        ("2027-02-06", "春节"),         // 初一, Saturday
        ("2027-02-07", "春节"),         // 初二, Sunday
        ("2027-02-08", "春节"),         // 初三, Monday
        ("2027-02-09", "春节（补假）"), // for Saturday 02-06
        ("2027-02-10", "春节（补假）"), // for Sunday 02-07
        ("2027-04-05", "清明节"),       // Monday
        ("2027-05-01", "劳动节"),       // Saturday
        ("2027-05-02", "劳动节"),       // Sunday
        ("2027-05-03", "劳动节（补假）"),
        ("2027-05-04", "劳动节（补假）"),
        ("2027-06-09", "端午节"), // Wednesday
        ("2027-09-15", "中秋节"), // Wednesday
        ("2027-10-01", "国庆节"), // Friday
        ("2027-10-02", "国庆节"), // Saturday
        ("2027-10-03", "国庆节"), // Sunday
        ("2027-10-04", "国庆节（补假）"),
        ("2027-10-05", "国庆节（补假）"),
    ];

    #[test]
    fn the_2027_estimate() {
        let c = cal();
        for (day, name) in DAYS_OFF_2027 {
            assert!(!c.is_working_day(d(day)), "{day} {name}");
            assert_eq!(c.holiday_name(d(day)), Some(name), "{day}");
        }
        // Exactly these: every other day of 2027 is a working day iff Monday to Friday.
        let mut x = d("2027-01-01");
        let mut working = 0;
        while x.year() == 2027 {
            let listed = DAYS_OFF_2027.iter().any(|(s, _)| d(s) == x);
            assert_eq!(c.is_working_day(x), !listed && !is_weekend(x), "{x}");
            assert_eq!(c.holiday_name(x).is_some(), listed, "{x}");
            working += i64::from(c.is_working_day(x));
            x = x.succ_opt().unwrap();
        }
        // 261 weekdays − 13 days off on weekdays.
        assert_eq!(working, 248);
        assert_eq!(
            c.working_days_between(d("2026-12-31"), d("2027-12-31")),
            248
        );
        // Ordinary weekdays around the holidays still work.
        for day in [
            "2027-02-04",
            "2027-02-11",
            "2027-04-02",
            "2027-04-06",
            "2027-04-30",
            "2027-05-05",
            "2027-06-08",
            "2027-06-10",
            "2027-09-14",
            "2027-09-16",
            "2027-09-30",
            "2027-10-06",
        ] {
            assert!(c.is_working_day(d(day)), "{day}");
        }
        // Accepted Wednesday 2027-02-03, 3 working days: 02-04 = 1; 02-05..02-10 off;
        // 02-11 = 2; 02-12 = 3. (Weekends only would have said 02-08, 初三.)
        assert_eq!(wd("2027-02-03", 3), d("2027-02-12"));
        assert_eq!(wd("2027-02-03", 1), d("2027-02-04"));
        assert_eq!(wd("2027-02-04", 1), d("2027-02-11"));
        // Calendar days landing in the holiday move past it: 2027-01-27 + 10 = 02-06 → 02-11.
        assert_eq!(
            c.due_date(d("2027-01-27"), 10, TimeUnit::Days),
            d("2027-02-11")
        );
        // National Day: 2027-09-30 + 1 = 10-06.
        assert_eq!(wd("2027-09-30", 1), d("2027-10-06"));
        // Across the year boundary from official data into the estimate: 2026-12-31 (Thu) + 1
        // skips 元旦 (Fri) and the weekend.
        assert_eq!(wd("2026-12-31", 1), d("2027-01-04"));
        // A pause inside the holiday costs nothing; one around 02-04 and 02-11 costs 2.
        let unit = TimeUnit::WorkingDays;
        let today = d("2027-12-31");
        let inside = Pause {
            from: d("2027-02-05"),
            to: Some(d("2027-02-11")),
        };
        assert_eq!(
            c.due_date_with_pauses(d("2027-02-03"), 3, unit, &[inside], today),
            d("2027-02-12")
        );
        let around = Pause {
            from: d("2027-02-04"),
            to: Some(d("2027-02-12")),
        };
        assert_eq!(
            c.due_date_with_pauses(d("2027-02-03"), 3, unit, &[around], today),
            d("2027-02-16")
        );
        // The promise rests on an estimate.
        assert_eq!(c.estimated_years(d("2027-02-03"), d("2027-02-12")), [2027]);
        assert_eq!(c.estimated_years(d("2026-12-31"), d("2027-01-04")), [2027]);
    }

    #[test]
    fn the_2027_dates_are_tyme4rs_dates() {
        use tyme4rs::tyme::lunar::{LunarDay, LunarMonth};
        use tyme4rs::tyme::solar::SolarTerm;
        let solar = |sd: tyme4rs::tyme::solar::SolarDay| {
            NaiveDate::from_ymd_opt(
                sd.get_year() as i32,
                sd.get_month() as u32,
                sd.get_day() as u32,
            )
            .unwrap()
        };
        let lunar = |y, m, dd| solar(LunarDay::from_ymd(y, m, dd).get_solar_day());
        // 除夕 is the last day of the 12th month of lunar year 2026.
        let last_of_12 = LunarMonth::from_ym(2026, 12).get_day_count();
        assert_eq!(lunar(2026, 12, last_of_12), d("2027-02-05"));
        assert_eq!(lunar(2027, 1, 1), d("2027-02-06"));
        assert_eq!(lunar(2027, 1, 3), d("2027-02-08"));
        assert_eq!(lunar(2027, 5, 5), d("2027-06-09"));
        assert_eq!(lunar(2027, 8, 15), d("2027-09-15"));
        assert_eq!(
            solar(SolarTerm::from_name(2027, "清明").get_solar_day()),
            d("2027-04-05")
        );
        assert_eq!(
            solar(SolarTerm::from_name(2028, "清明").get_solar_day()),
            d("2028-04-04")
        );
    }

    #[test]
    fn lunar_dates_agree_with_icu4x_2027_to_2100() {
        use icu_calendar::Date;
        use icu_calendar::cal::ChineseTraditional;
        // Published Spring Festival dates, a check on both implementations.
        let published = [
            (2027, "2027-02-06"),
            (2028, "2028-01-26"),
            (2029, "2029-02-13"),
            (2030, "2030-02-03"),
            (2031, "2031-01-23"),
            (2032, "2032-02-11"),
            (2033, "2033-01-31"),
        ];
        for year in 2027..=2100 {
            let mut first = None;
            let mut eve = None;
            let mut dragon = None;
            let mut moon = None;
            let mut x = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
            let mut previous: Option<(u8, bool, u8)> = None;
            while x.year() == year {
                let iso = Date::try_new_iso(x.year(), x.month() as u8, x.day() as u8).unwrap();
                let ch = iso.to_calendar(ChineseTraditional::new());
                let m = ch.month();
                let key = (m.number(), m.to_input().is_leap(), ch.day_of_month().0);
                match key {
                    (1, false, 1) => {
                        first = Some(x);
                        // The day before is the last of the 12th month (or of a leap 12th).
                        let (pm, _, pd) = previous.expect("新年 is never on 1 January");
                        assert_eq!(pm, 12, "{year}");
                        assert!(pd == 29 || pd == 30, "{year}: 除夕 is the {pd}th");
                        eve = x.pred_opt();
                    }
                    (5, false, 5) => dragon = Some(x),
                    (8, false, 15) => moon = Some(x),
                    _ => {}
                }
                previous = Some(key);
                x = x.succ_opt().unwrap();
            }
            let days = estimate::estimate_of(year);
            let named = |day: Option<NaiveDate>, name: &str| {
                let day = day.unwrap_or_else(|| panic!("{year}: no {name} by ICU4X"));
                assert!(
                    days.iter()
                        .any(|(x, n)| *x == day && n.split('、').any(|p| p == name)),
                    "{year}: {name} is {day} by ICU4X, tyme4rs gives {days:?}"
                );
            };
            named(eve, "春节");
            named(first, "春节");
            named(dragon, "端午节");
            named(moon, "中秋节");
            assert_eq!(estimate::lunar_date(year, 1, 1), first, "{year} 初一");
            assert_eq!(estimate::lunar_date(year, 5, 5), dragon, "{year} 端午");
            assert_eq!(estimate::lunar_date(year, 8, 15), moon, "{year} 中秋");
            if let Some((_, s)) = published.iter().find(|(y, _)| *y == year) {
                assert_eq!(first, Some(d(s)), "{year}");
            }
            // 清明 stays on 4–6 April.
            let q = estimate::qingming(year).unwrap();
            assert_eq!(q.month(), 4, "{year}");
            assert!((4..=6).contains(&q.day()), "{year}: 清明 {q}");
            assert_eq!(
                days.iter().find(|(x, _)| *x == q).map(|(_, n)| *n),
                Some("清明节"),
                "{year}"
            );
        }
        assert_eq!(estimate::qingming(2027), Some(d("2027-04-05")));
        assert_eq!(estimate::qingming(2028), Some(d("2028-04-04")));
    }

    #[test]
    fn each_estimated_year_has_its_holidays_and_as_many_days_off() {
        for year in LUNAR_YEARS {
            let days = estimate::estimate_of(year);
            let holidays = days
                .iter()
                .filter(|(_, n)| !n.ends_with("（补假）"))
                .count();
            let substitutes: Vec<_> = days
                .iter()
                .filter(|(_, n)| n.ends_with("（补假）"))
                .collect();
            // Each holiday on a weekend has its own 补假, on a weekday of the same year.
            let on_weekends = days
                .iter()
                .filter(|(x, n)| !n.ends_with("（补假）") && is_weekend(*x))
                .count();
            assert_eq!(substitutes.len(), on_weekends, "{year}");
            for (x, _) in &substitutes {
                assert!(!is_weekend(*x) && x.year() == year, "{year}: {x}");
            }
            // So the working days lost are the holiday days.
            assert_eq!(estimate::off_weekdays_of(year) as usize, holidays, "{year}");
            let expected = match year {
                2025.. => 13,
                2008.. => 11,
                _ => 10,
            };
            // Less one when 中秋 falls on 国庆节.
            let shared = days.iter().any(|(_, n)| *n == "国庆节、中秋节") as usize;
            assert_eq!(holidays + shared, expected, "{year}: {days:?}");
            assert!(days.windows(2).all(|w| w[0].0 < w[1].0), "{year}");
        }
        // Outside the lunar years only the solar dates, each year as many days off.
        for year in [NaiveDate::MIN.year(), -1, 0, 1, 1000, 1899, 1900] {
            assert_eq!(estimate::off_weekdays_of(year), 7, "{year}");
        }
        for year in [2101, 2102, 3000, 9999, 10_000, NaiveDate::MAX.year()] {
            assert_eq!(estimate::off_weekdays_of(year), 6, "{year}");
        }
    }

    #[test]
    fn earlier_versions_of_the_law() {
        let c = cal();
        // 2024 (2013 version): 春节 初一 to 初三 (02-10..02-12), not 除夕; 劳动节 1 May only.
        assert!(c.is_working_day(d("2024-02-09")));
        for day in ["2024-02-12", "2024-02-13", "2024-02-14"] {
            assert!(!c.is_working_day(d(day)), "{day}");
        }
        assert_eq!(c.holiday_name(d("2024-02-13")), Some("春节（补假）"));
        assert!(!c.is_working_day(d("2024-05-01")));
        assert!(c.is_working_day(d("2024-05-02")));
        assert_eq!(c.holiday_name(d("2024-09-17")), Some("中秋节"));
        // 2012 (2007 version): 春节 除夕 to 初二 (01-22..01-24).
        assert_eq!(c.holiday_name(d("2012-01-22")), Some("春节"));
        assert_eq!(c.holiday_name(d("2012-01-24")), Some("春节"));
        assert_eq!(c.holiday_name(d("2012-01-25")), Some("春节（补假）"));
        assert!(c.is_working_day(d("2012-01-26")));
        // 2005 (1999 version): 劳动节 1 to 3 May (Sunday 05-01 made up on 05-04); no 清明,
        // 端午 or 中秋.
        assert!(!c.is_working_day(d("2005-05-03")));
        assert_eq!(c.holiday_name(d("2005-05-04")), Some("劳动节（补假）"));
        assert_eq!(estimate::qingming(2005), Some(d("2005-04-05")));
        assert_eq!(estimate::lunar_date(2005, 5, 5), Some(d("2005-06-11")));
        assert_eq!(estimate::lunar_date(2005, 8, 15), Some(d("2005-09-18")));
        for day in ["2005-04-05", "2005-06-11", "2005-09-18"] {
            assert_eq!(c.holiday_name(d(day)), None, "{day}");
        }
        assert!(c.is_working_day(d("2005-04-05")));
        // Outside the lunar years: the solar dates only.
        assert_eq!(c.holiday_name(d("2101-01-03")), Some("元旦（补假）"));
        assert_eq!(c.holiday_name(d("2101-10-05")), Some("国庆节（补假）"));
        assert!(c.is_working_day(d("2101-10-06")));
    }

    /// A made-up arrangement for 2027: Spring Festival 02-05..02-13 with Sunday 02-14 worked.
    const MADE_UP_2027: &str = r#"{
        "source": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
        "years": [2027],
        "holidays": [
            {"date": "2027-02-05", "name": "春节"},
            {"date": "2027-02-06", "name": "春节"},
            {"date": "2027-02-07", "name": "春节"},
            {"date": "2027-02-08", "name": "春节"},
            {"date": "2027-02-09", "name": "春节"},
            {"date": "2027-02-10", "name": "春节"},
            {"date": "2027-02-11", "name": "春节"},
            {"date": "2027-02-12", "name": "春节"},
            {"date": "2027-02-13", "name": "春节"}
        ],
        "workdays": [{"date": "2027-02-14", "name": "春节调休上班"}]
    }"#;

    #[test]
    fn merge_replaces_the_estimate_of_the_imported_years_only() {
        let mut c = cal();
        let before = cal();
        let newer = WorkCalendar::from_json(MADE_UP_2027).unwrap();
        assert_eq!(newer.official_years(), [(2027, newer.source().to_string())]);
        c.merge(newer);
        assert!(c.is_official(2027));
        assert_eq!(c.years(), &[2025, 2026, 2027]);
        assert_eq!(
            c.official_years(),
            [
                (2025, before.source().to_string()),
                (2026, before.source().to_string()),
                (
                    2027,
                    "国务院办公厅关于2027年部分节假日安排的通知（测试）".to_string()
                ),
            ]
        );
        assert!(c.source().contains(before.source()));
        assert!(c.source().contains("2027年部分节假日安排的通知（测试）"));
        // 2027 is what the file says, not the estimate: no 元旦, 清明 or 国庆 (not listed).
        assert!(c.is_working_day(d("2027-01-01")));
        assert_eq!(c.holiday_name(d("2027-01-01")), None);
        assert!(!c.is_working_day(d("2027-02-11")));
        assert_eq!(c.holiday_name(d("2027-02-12")), Some("春节"));
        assert!(c.is_working_day(d("2027-02-14")));
        assert_eq!(c.workday_name(d("2027-02-14")), Some("春节调休上班"));
        assert!(c.is_working_day(d("2027-10-04")));
        assert_eq!(wd("2027-02-03", 3), d("2027-02-12")); // by the estimate
        assert_eq!(
            c.due_date(d("2027-02-03"), 3, TimeUnit::WorkingDays),
            d("2027-02-15")
        ); // 02-04 = 1, 02-14 (Sun, worked) = 2, 02-15 = 3
        assert!(
            c.estimated_years(d("2027-02-03"), d("2027-02-15"))
                .is_empty()
        );
        // 2025, 2026 and 2028 are unchanged.
        let mut x = d("2025-01-01");
        while x <= d("2028-12-31") {
            if x.year() != 2027 {
                assert_eq!(c.is_working_day(x), before.is_working_day(x), "{x}");
                assert_eq!(c.holiday_name(x), before.holiday_name(x), "{x}");
                assert_eq!(c.workday_name(x), before.workday_name(x), "{x}");
            }
            x = x.succ_opt().unwrap();
        }
        // The fast count agrees with counting, across the merged year.
        for (a, b) in [
            ("2026-12-01", "2027-03-01"),
            ("2027-01-31", "2027-02-20"),
            ("2024-06-01", "2029-06-01"),
        ] {
            assert_eq!(
                c.working_days_between(d(a), d(b)),
                brute_between(&c, d(a), d(b)),
                "({a}, {b}]"
            );
        }
        // Importing 2026 again replaces it entirely: a file that lists 2026 with one holiday.
        let only_new_year = r#"{"source": "另一份通知", "years": [2026],
            "holidays": [{"date": "2026-01-01", "name": "元旦"}], "workdays": []}"#;
        c.merge(WorkCalendar::from_json(only_new_year).unwrap());
        assert!(c.is_working_day(d("2026-02-16")));
        assert!(c.is_working_day(d("2026-01-02")));
        assert!(!c.is_working_day(d("2026-01-04"))); // no longer 调休上班
        assert!(!c.is_working_day(d("2025-01-28"))); // 2025 kept
        assert_eq!(c.official_years()[1], (2026, "另一份通知".to_string()));
        assert_eq!(c.holidays.keys().filter(|x| x.year() == 2026).count(), 1);
        assert!(c.source().contains("另一份通知"));
        assert!(c.source().contains("2025年/2026年"));
    }

    #[test]
    fn estimated_years_and_the_warning() {
        let c = cal();
        assert!(
            c.estimated_years(d("2025-03-01"), d("2026-12-31"))
                .is_empty()
        );
        assert_eq!(c.estimated_years(d("2026-12-01"), d("2027-01-05")), [2027]);
        assert_eq!(c.estimated_years(d("2027-01-05"), d("2026-12-01")), [2027]);
        assert_eq!(
            c.estimated_years(d("2024-12-01"), d("2028-01-05")),
            [2024, 2027, 2028]
        );
        assert_eq!(c.estimated_years(d("2027-06-01"), d("2027-06-01")), [2027]);
        let all = c.estimated_years(NaiveDate::MIN, NaiveDate::MAX);
        let span = NaiveDate::MAX.year() - NaiveDate::MIN.year() + 1;
        assert_eq!(all.len(), span as usize - 2);
        assert_eq!(estimate_warning(&[]), None);
        assert_eq!(
            estimate_warning(&[2027]).as_deref(),
            Some("2027年节假日安排尚未导入，日期按法定节日估算")
        );
        assert_eq!(
            estimate_warning(&[2028, 2027, 2027]).as_deref(),
            Some("2027、2028年节假日安排尚未导入，日期按法定节日估算")
        );
        assert_eq!(
            estimate_warning(&[2024, 2027, 2028]).as_deref(),
            Some("2024、2027、2028年节假日安排尚未导入，日期按法定节日估算")
        );
        assert_eq!(
            estimate_warning(&[2027, 2028, 2029, 2030, 2032]).as_deref(),
            Some("2027至2030、2032年节假日安排尚未导入，日期按法定节日估算")
        );
        let w = estimate_warning(&all).unwrap();
        assert!(
            w.starts_with(&format!("{}至2024、2027至", NaiveDate::MIN.year())),
            "{w}"
        );
        assert_eq!(
            estimate_warning(&[i32::MAX - 2, i32::MAX - 1, i32::MAX]).as_deref(),
            Some("2147483645至2147483647年节假日安排尚未导入，日期按法定节日估算")
        );
    }

    #[test]
    fn the_calendar_is_cheap_to_share() {
        fn shareable<T: Send + Sync + Clone + 'static>() {}
        shareable::<WorkCalendar>();
        let c = WorkCalendar::shared();
        std::thread::scope(|s| {
            let hs: Vec<_> = (0..4)
                .map(|i| {
                    s.spawn(move || c.due_date(d("2030-01-25"), 20 + i, TimeUnit::WorkingDays))
                })
                .collect();
            let dues: Vec<_> = hs.into_iter().map(|h| h.join().unwrap()).collect();
            assert!(dues.windows(2).all(|w| w[0] < w[1]));
        });
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
        // The arithmetic agrees with counting day by day, inside and outside the data
        // (estimated 2023, 2024 and 2027–2031).
        let mut rng = fastrand::Rng::with_seed(7);
        let base = d("2023-06-01");
        for _ in 0..600 {
            let a = base + Days::new(rng.u64(0..3140));
            let b = base + Days::new(rng.u64(0..3140));
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let expect = brute_between(&c, lo, hi);
            assert_eq!(c.working_days_between(lo, hi), expect, "({lo}, {hi}]");
            assert_eq!(c.working_days_between(hi, lo), -expect, "({hi}, {lo}]");
        }
        // Whole estimated years, and spans starting or ending on a holiday.
        for (a, b) in [
            ("2026-12-31", "2031-12-31"),
            ("2027-02-05", "2027-10-05"),
            ("2027-10-03", "2028-01-03"),
            ("1899-06-01", "1903-06-01"),
            ("2098-06-01", "2102-06-01"),
        ] {
            assert_eq!(
                c.working_days_between(d(a), d(b)),
                brute_between(&c, d(a), d(b)),
                "({a}, {b}]"
            );
        }
    }

    #[test]
    fn random_working_day_deadlines_are_consistent() {
        let c = cal();
        let mut rng = fastrand::Rng::with_seed(20250101);
        let first = d("2025-01-01");
        for _ in 0..4000 {
            // 2025–2031: official, then estimated.
            let start = first + Days::new(rng.u64(0..2556));
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
            for unit in &TimeUnit::ALL {
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
        assert_eq!(brute_between(&c, s, far), i64::from(MAX_AMOUNT));
        // The ends of time are estimated years like any other: every day answers, and the
        // fast count agrees with counting there and adds up across the whole range.
        let near_min = NaiveDate::MIN + Days::new(800);
        let near_max = NaiveDate::MAX - Days::new(800);
        for (lo, hi) in [(NaiveDate::MIN, near_min), (near_max, NaiveDate::MAX)] {
            assert_eq!(c.working_days_between(lo, hi), brute_between(&c, lo, hi));
            let mut x = lo;
            while x < hi {
                let _ = (c.holiday_name(x), c.workday_name(x), c.covers(x));
                x = x.succ_opt().unwrap();
            }
        }
        assert_eq!(
            c.holiday_name(NaiveDate::from_ymd_opt(NaiveDate::MAX.year(), 1, 1).unwrap()),
            Some("元旦")
        );
        for mid in [
            near_min,
            d("1900-12-31"),
            d("2026-12-31"),
            d("2100-12-31"),
            near_max,
        ] {
            assert_eq!(
                c.working_days_between(NaiveDate::MIN, mid)
                    + c.working_days_between(mid, NaiveDate::MAX),
                all,
                "{mid}"
            );
        }
        assert_eq!(
            c.estimated_years(NaiveDate::MAX, NaiveDate::MAX),
            [NaiveDate::MAX.year()]
        );
        for start in [NaiveDate::MIN, NaiveDate::MAX] {
            for amount in [1, 40] {
                let due = c.due_date(start, amount, TimeUnit::Days);
                assert!(due >= start);
                let _ = c.estimated_years(start, due);
            }
        }
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
