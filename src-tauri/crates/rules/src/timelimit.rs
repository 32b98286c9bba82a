//! Time-limit warnings (时效异常, seed 003 五(二)1(3)①: 临近时限预警 and 办理超期异常,
//! shown as 黄牌 and 红牌 by 预警纠错).
//!
//! A case's level follows from its promised date as the desk computes it (acceptance day,
//! promised limit plus every extension, the clock stopped during every pause) and from the
//! working-day calendar:
//!
//! - [`WarningLevel::Red`] (红牌): today is after the promised date.
//! - [`WarningLevel::Yellow`] (黄牌): not overdue, and the working days left — the working days
//!   after today up to and including the promised date, so 0 on the due day itself — are at
//!   most the threshold ([`YellowThreshold`]): N working days, or a percentage of the limit.
//! - [`WarningLevel::Normal`] otherwise, and for a case not accepted yet (no clock runs).
//!
//! Suspension does not count: a paused span moves the promised date by the working days (or,
//! for calendar-day limits, the days) it lasted, and while a case is paused its promised date
//! is the one it would have if the clock restarted tomorrow, so the days left stay as they
//! were when it stopped. The limit that a percentage applies to is the promised limit plus
//! the extensions, in working days, without the paused days.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::calendar::{Pause, WorkCalendar};
use yichuang_types::case::{CaseRecord, ClockEntry, ClockKind};
use yichuang_types::dict::TimeUnit;

/// 时效 warning level of a pending case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum WarningLevel {
    /// 正常.
    Normal,
    /// 黄牌: the promised limit is near.
    Yellow,
    /// 红牌: the promised date has passed.
    Red,
}

impl WarningLevel {
    pub const ALL: [WarningLevel; 3] = [
        WarningLevel::Normal,
        WarningLevel::Yellow,
        WarningLevel::Red,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WarningLevel::Normal => "normal",
            WarningLevel::Yellow => "yellow",
            WarningLevel::Red => "red",
        }
    }

    /// Accepts the code (`yellow`) or the Chinese label (`黄牌`).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s) || l.label() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            WarningLevel::Normal => "正常",
            WarningLevel::Yellow => "黄牌",
            WarningLevel::Red => "红牌",
        }
    }
}

/// When a case turns yellow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum YellowThreshold {
    /// Yellow when at most this many working days are left (1: the working day before the
    /// due date, and the due date itself).
    WorkingDaysLeft(u32),
    /// Yellow when the working days left are at most this percentage of the limit (the
    /// limit plus extensions, in working days). Values above 100 count as 100.
    PercentLeft(u8),
}

impl Default for YellowThreshold {
    fn default() -> Self {
        YellowThreshold::WorkingDaysLeft(1)
    }
}

impl YellowThreshold {
    /// The threshold in working days for a limit of `limit_working_days`.
    pub fn working_days(self, limit_working_days: i64) -> i64 {
        match self {
            YellowThreshold::WorkingDaysLeft(n) => i64::from(n),
            YellowThreshold::PercentLeft(p) => {
                limit_working_days.max(0) * i64::from(p.min(100)) / 100
            }
        }
    }

    /// `2个工作日` or `20%`, as the supervisor set it; parses what [`Self::label`] prints
    /// (and `2`, `2d`, `20%`).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if let Some(p) = s.strip_suffix('%').or_else(|| s.strip_suffix('％')) {
            return p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= 100)
                .map(Self::PercentLeft);
        }
        let n = s
            .strip_suffix("个工作日")
            .or_else(|| s.strip_suffix("工作日"))
            .or_else(|| s.strip_suffix('d'))
            .unwrap_or(s);
        n.trim().parse::<u32>().ok().map(Self::WorkingDaysLeft)
    }

    pub fn label(self) -> String {
        match self {
            YellowThreshold::WorkingDaysLeft(n) => format!("{n}个工作日"),
            YellowThreshold::PercentLeft(p) => format!("{p}%"),
        }
    }
}

/// How a case stands against its promised date on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TimeLimitStatus {
    pub level: WarningLevel,
    /// The promised date (`YYYY-MM-DD`), as in `CaseRecord::promised_date`.
    pub due_date: String,
    /// The first day the case is yellow (if the clock does not stop again).
    pub yellow_from: String,
    /// Working days after today up to and including the due date: 0 on the due day,
    /// negative (minus the working days since) once overdue.
    #[ts(type = "number")]
    pub working_days_left: i64,
    /// The promised limit plus extensions, in working days, without paused days.
    #[ts(type = "number")]
    pub limit_working_days: i64,
    /// Whether the clock is paused now.
    pub clock_paused: bool,
}

/// The clock of one accepted case.
#[derive(Debug, Clone, Copy)]
pub struct CaseClock<'a> {
    /// The acceptance day.
    pub accepted: NaiveDate,
    pub promise: u32,
    pub unit: TimeUnit,
    pub clock: &'a [ClockEntry],
}

impl<'a> CaseClock<'a> {
    /// The case's clock; `None` before acceptance (or if its acceptance time is unreadable).
    pub fn of(case: &'a CaseRecord) -> Option<Self> {
        Some(CaseClock {
            accepted: day(&case.acceptdate)?,
            promise: case.promise,
            unit: case.promise_type,
            clock: &case.clock,
        })
    }

    /// The limit plus every extension, in the limit's unit.
    pub fn amount(&self) -> u32 {
        self.clock
            .iter()
            .filter(|c| c.kind == ClockKind::Extension)
            .fold(self.promise, |a, c| a.saturating_add(c.amount))
    }

    /// The pauses (supplements after acceptance, special procedures of kind B).
    pub fn pauses(&self) -> Vec<Pause> {
        self.clock
            .iter()
            .filter(|c| c.kind != ClockKind::Extension)
            .filter_map(|c| {
                Some(Pause {
                    from: day(&c.started_at)?,
                    to: c.ended_at.as_deref().and_then(day),
                })
            })
            .collect()
    }

    /// Whether a pause is open.
    pub fn paused(&self) -> bool {
        self.clock
            .iter()
            .any(|c| c.kind != ClockKind::Extension && c.ended_at.is_none())
    }

    /// The promised date as it stands on `today` (the same rule as the desk's
    /// `CaseRecord::promised_date`).
    pub fn due_date(&self, cal: &WorkCalendar, today: NaiveDate) -> NaiveDate {
        cal.due_date_with_pauses(
            self.accepted,
            self.amount(),
            self.unit,
            &self.pauses(),
            today,
        )
    }

    /// The limit plus extensions in working days, not counting pauses.
    pub fn limit_working_days(&self, cal: &WorkCalendar) -> i64 {
        if self.unit == TimeUnit::WorkingDays {
            // n working days are n working days (up to the calendar's cap).
            return i64::from(self.amount().min(crate::calendar::MAX_AMOUNT));
        }
        let nominal = cal.due_date(self.accepted, self.amount(), self.unit);
        cal.working_days_between(self.accepted, nominal)
    }

    /// The case's level and figures on `today`.
    pub fn status(
        &self,
        cal: &WorkCalendar,
        today: NaiveDate,
        threshold: YellowThreshold,
    ) -> TimeLimitStatus {
        let due = self.due_date(cal, today);
        let limit = self.limit_working_days(cal);
        let t = threshold.working_days(limit);
        let left = cal.working_days_between(today, due);
        let level = if today > due {
            WarningLevel::Red
        } else if left <= t {
            WarningLevel::Yellow
        } else {
            WarningLevel::Normal
        };
        TimeLimitStatus {
            level,
            due_date: fmt(due),
            yellow_from: fmt(yellow_from(cal, self.accepted, due, t)),
            working_days_left: left,
            limit_working_days: limit,
            clock_paused: self.paused(),
        }
    }
}

/// The status of a case on `today`; `None` before acceptance.
pub fn case_status(
    case: &CaseRecord,
    cal: &WorkCalendar,
    today: NaiveDate,
    threshold: YellowThreshold,
) -> Option<TimeLimitStatus> {
    CaseClock::of(case).map(|c| c.status(cal, today, threshold))
}

/// The level on `today` of a case whose promised date no longer moves (its clock runs), from
/// its stored due date and first yellow day. Agrees with [`CaseClock::status`].
pub fn level_on(today: NaiveDate, due: NaiveDate, yellow_from: NaiveDate) -> WarningLevel {
    if today > due {
        WarningLevel::Red
    } else if today >= yellow_from {
        WarningLevel::Yellow
    } else {
        WarningLevel::Normal
    }
}

/// The earliest day `d` in `[accepted, due]` with at most `t` working days in `(d, due]`
/// (`due` itself if `due < accepted`). The count only falls as `d` grows, so bisect.
pub fn yellow_from(cal: &WorkCalendar, accepted: NaiveDate, due: NaiveDate, t: i64) -> NaiveDate {
    if due <= accepted {
        return due;
    }
    let ok = |d: NaiveDate| cal.working_days_between(d, due) <= t;
    if ok(accepted) {
        return accepted;
    }
    // Invariant: !ok(lo), ok(hi).
    let (mut lo, mut hi) = (accepted, due);
    while (hi - lo).num_days() > 1 {
        let half = u64::try_from((hi - lo).num_days() / 2).unwrap_or(1);
        let mid = lo.checked_add_days(chrono::Days::new(half)).unwrap_or(hi);
        if ok(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

/// The day of a `YYYY-MM-DD[ HH:MM:SS]` time.
pub fn day(s: &str) -> Option<NaiveDate> {
    s.get(..10).and_then(|d| d.parse::<NaiveDate>().ok())
}

fn fmt(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn cal() -> &'static WorkCalendar {
        WorkCalendar::shared()
    }

    fn pause(kind: ClockKind, from: &str, to: Option<&str>) -> ClockEntry {
        ClockEntry {
            kind,
            special_name: "听证".into(),
            reason: "理由".into(),
            started_at: format!("{from} 09:00:00"),
            ended_at: to.map(|t| format!("{t} 11:00:00")),
            result: String::new(),
            amount: 0,
        }
    }

    fn extension(on: &str, amount: u32) -> ClockEntry {
        ClockEntry {
            amount,
            ended_at: Some(format!("{on} 09:00:00")),
            ..pause(ClockKind::Extension, on, None)
        }
    }

    fn clock<'a>(
        accepted: &str,
        promise: u32,
        unit: TimeUnit,
        c: &'a [ClockEntry],
    ) -> CaseClock<'a> {
        CaseClock {
            accepted: d(accepted),
            promise,
            unit,
            clock: c,
        }
    }

    /// The level on each of `days` under `t`.
    fn levels(c: &CaseClock, t: YellowThreshold, days: &[&str]) -> Vec<WarningLevel> {
        days.iter()
            .map(|s| c.status(cal(), d(s), t).level)
            .collect()
    }

    use WarningLevel::{Normal as N, Red as R, Yellow as Y};

    #[test]
    fn across_a_weekend() {
        // Accepted Monday 2 Nov 2026, 5 working days: due Monday 9 Nov.
        let c = clock("2026-11-02", 5, TimeUnit::WorkingDays, &[]);
        let s = c.status(cal(), d("2026-11-05"), YellowThreshold::WorkingDaysLeft(1));
        assert_eq!(s.due_date, "2026-11-09");
        assert_eq!(s.limit_working_days, 5);
        // Thu 5th: 2 left (Fri, Mon). Fri 6th: 1 left, exactly the threshold. The weekend
        // keeps 1 left. Mon 9th, the due day: 0 left, still yellow. Tue 10th: red.
        let days = [
            "2026-11-05",
            "2026-11-06",
            "2026-11-07",
            "2026-11-08",
            "2026-11-09",
            "2026-11-10",
        ];
        let one = YellowThreshold::WorkingDaysLeft(1);
        assert_eq!(levels(&c, one, &days), [N, Y, Y, Y, Y, R]);
        assert_eq!(c.status(cal(), d("2026-11-06"), one).working_days_left, 1);
        assert_eq!(c.status(cal(), d("2026-11-09"), one).working_days_left, 0);
        assert_eq!(c.status(cal(), d("2026-11-10"), one).working_days_left, -1);
        assert_eq!(
            c.status(cal(), d("2026-11-06"), one).yellow_from,
            "2026-11-06"
        );
        // Two working days: from Thursday. Zero: the due day only.
        let two = YellowThreshold::WorkingDaysLeft(2);
        assert_eq!(levels(&c, two, &["2026-11-04", "2026-11-05"]), [N, Y]);
        let zero = YellowThreshold::WorkingDaysLeft(0);
        assert_eq!(
            levels(&c, zero, &["2026-11-08", "2026-11-09", "2026-11-10"]),
            [N, Y, R]
        );
        // 20% of 5 working days is 1 day; 40% is 2; 39% is still 1 (1.95 rounds down).
        assert_eq!(
            levels(&c, YellowThreshold::PercentLeft(20), &days),
            [N, Y, Y, Y, Y, R]
        );
        assert_eq!(
            levels(
                &c,
                YellowThreshold::PercentLeft(40),
                &["2026-11-04", "2026-11-05"]
            ),
            [N, Y]
        );
        assert_eq!(
            levels(
                &c,
                YellowThreshold::PercentLeft(39),
                &["2026-11-05", "2026-11-06"]
            ),
            [N, Y]
        );
        // 100%: yellow from the acceptance day on.
        assert_eq!(
            levels(&c, YellowThreshold::PercentLeft(100), &["2026-11-02"]),
            [Y]
        );
    }

    #[test]
    fn across_holidays_and_adjusted_working_days() {
        // Accepted Tue 29 Sep 2026, 5 working days: 30 Sep, (国庆 1–7 Oct), 8, 9,
        // 10 (Sat, 调休上班), 12 Oct.
        let c = clock("2026-09-29", 5, TimeUnit::WorkingDays, &[]);
        let one = YellowThreshold::WorkingDaysLeft(1);
        assert_eq!(c.status(cal(), d("2026-09-29"), one).due_date, "2026-10-12");
        let days = [
            "2026-10-05", // holiday: 4 left
            "2026-10-09", // Fri: 2 left (the Saturday works)
            "2026-10-10", // Sat working day: 1 left
            "2026-10-11", // Sun: 1 left
            "2026-10-12", // due
            "2026-10-13",
        ];
        assert_eq!(levels(&c, one, &days), [N, N, Y, Y, Y, R]);
        assert_eq!(c.status(cal(), d("2026-10-05"), one).working_days_left, 4);
        // Two days left from Friday the 9th.
        assert_eq!(
            levels(
                &c,
                YellowThreshold::WorkingDaysLeft(2),
                &["2026-10-08", "2026-10-09"]
            ),
            [N, Y]
        );
        // A limit in calendar days: 21 Sep + 10 days = 1 Oct (国庆) → 8 Oct. The limit counts 7
        // working days (22–24, 28–30 Sep, 8 Oct); 20% = 1, so yellow from 30 Sep (1 left).
        let c = clock("2026-09-21", 10, TimeUnit::Days, &[]);
        let s = c.status(cal(), d("2026-09-29"), YellowThreshold::PercentLeft(20));
        assert_eq!(s.due_date, "2026-10-08");
        assert_eq!(s.limit_working_days, 7);
        assert_eq!(s.yellow_from, "2026-09-30");
        assert_eq!(s.level, N);
        assert_eq!(
            levels(
                &c,
                YellowThreshold::PercentLeft(20),
                &["2026-09-30", "2026-10-04", "2026-10-08", "2026-10-09"]
            ),
            [Y, Y, Y, R]
        );
    }

    #[test]
    fn suspensions_do_not_count() {
        let one = YellowThreshold::WorkingDaysLeft(1);
        // A hearing Wed 4 – Fri 6 Nov (ended on the 6th): the 4th and 5th do not count, so
        // due Wed 11th instead of Mon 9th; red only from the 12th.
        let hearing = [pause(ClockKind::Special, "2026-11-04", Some("2026-11-06"))];
        let c = clock("2026-11-02", 5, TimeUnit::WorkingDays, &hearing);
        assert_eq!(c.status(cal(), d("2026-11-10"), one).due_date, "2026-11-11");
        assert_eq!(
            levels(
                &c,
                one,
                &["2026-11-09", "2026-11-10", "2026-11-11", "2026-11-12"]
            ),
            [N, Y, Y, R]
        );
        // The percentage applies to the 5-day limit, not to the 7 working days it now spans.
        assert_eq!(c.status(cal(), d("2026-11-10"), one).limit_working_days, 5);
        assert!(!c.status(cal(), d("2026-11-10"), one).clock_paused);

        // Still suspended on Thu 12th: 1 working day (the 3rd) ran, so 4 are left whatever
        // the day, and the due date is where 4 working days after today land.
        let open = [pause(ClockKind::Supplement, "2026-11-04", None)];
        let c = clock("2026-11-02", 5, TimeUnit::WorkingDays, &open);
        let s = c.status(cal(), d("2026-11-12"), one);
        assert!(s.clock_paused);
        assert_eq!(s.working_days_left, 4);
        assert_eq!(s.due_date, "2026-11-18");
        assert_eq!(s.level, N);
        assert_eq!(c.status(cal(), d("2026-12-30"), one).working_days_left, 4);

        // Suspended on the due day (Mon 9th): the day it stops does not count, so 1 day is
        // left; yellow, and it stays yellow while the clock stands, never red.
        let late = [pause(ClockKind::Special, "2026-11-09", None)];
        let c = clock("2026-11-02", 5, TimeUnit::WorkingDays, &late);
        assert_eq!(
            levels(
                &c,
                one,
                &[
                    "2026-11-05",
                    "2026-11-06",
                    "2026-11-09",
                    "2026-11-20",
                    "2026-12-31"
                ]
            ),
            [N, Y, Y, Y, Y]
        );
        assert_eq!(c.status(cal(), d("2026-11-20"), one).working_days_left, 1);
        // Suspended when already overdue (Wed 11th, due the 9th): it stays red.
        let overdue = [pause(ClockKind::Special, "2026-11-11", None)];
        let c = clock("2026-11-02", 5, TimeUnit::WorkingDays, &overdue);
        assert_eq!(levels(&c, one, &["2026-11-12", "2026-11-30"]), [R, R]);

        // A suspension across the National Day holiday only costs its working days.
        let across = [pause(ClockKind::Special, "2026-09-30", Some("2026-10-09"))];
        let c = clock("2026-09-29", 5, TimeUnit::WorkingDays, &across);
        // 30 Sep and 8 Oct stood still: due two working days after 12 Oct.
        assert_eq!(c.status(cal(), d("2026-10-09"), one).due_date, "2026-10-14");
        assert_eq!(
            levels(
                &c,
                one,
                &["2026-10-12", "2026-10-13", "2026-10-14", "2026-10-15"]
            ),
            [N, Y, Y, R]
        );
    }

    #[test]
    fn extensions_lengthen_the_limit() {
        let one = YellowThreshold::WorkingDaysLeft(1);
        let ext = [extension("2026-11-05", 3)];
        let c = clock("2026-11-02", 5, TimeUnit::WorkingDays, &ext);
        let s = c.status(cal(), d("2026-11-10"), one);
        // 9th + 3 working days = Thu 12th.
        assert_eq!(s.due_date, "2026-11-12");
        assert_eq!(s.limit_working_days, 8);
        assert_eq!(s.level, N);
        assert_eq!(
            levels(&c, one, &["2026-11-11", "2026-11-12", "2026-11-13"]),
            [Y, Y, R]
        );
        // 25% of 8 = 2.
        assert_eq!(
            levels(
                &c,
                YellowThreshold::PercentLeft(25),
                &["2026-11-09", "2026-11-10"]
            ),
            [N, Y]
        );
    }

    #[test]
    fn on_the_spot_limits_are_yellow_that_day_and_red_after() {
        let c = clock("2026-11-03", 0, TimeUnit::WorkingDays, &[]);
        let t = YellowThreshold::PercentLeft(20);
        assert_eq!(c.status(cal(), d("2026-11-03"), t).due_date, "2026-11-03");
        assert_eq!(levels(&c, t, &["2026-11-03", "2026-11-04"]), [Y, R]);
    }

    #[test]
    fn the_stored_first_yellow_day_agrees_with_the_status() {
        // For a running clock, level_on(today, due, yellow_from) must equal status().level on
        // every day, for every threshold, over random cases across 2025–2026.
        let mut rng = fastrand::Rng::with_seed(61);
        let base = d("2025-01-02");
        for _ in 0..200 {
            let accepted = base + chrono::Days::new(rng.u64(0..650));
            let unit = [TimeUnit::WorkingDays, TimeUnit::Days, TimeUnit::Months][rng.usize(0..3)];
            let promise = match unit {
                TimeUnit::Months => rng.u32(0..3),
                _ => rng.u32(0..25),
            };
            let c = CaseClock {
                accepted,
                promise,
                unit,
                clock: &[],
            };
            let threshold = if rng.bool() {
                YellowThreshold::WorkingDaysLeft(rng.u32(0..6))
            } else {
                YellowThreshold::PercentLeft(rng.u8(0..101))
            };
            let first = c.status(cal(), accepted, threshold);
            let due = d(&first.due_date);
            let yf = d(&first.yellow_from);
            assert!(yf >= accepted && yf <= due.max(accepted));
            for k in 0..(due - accepted).num_days() + 3 {
                let today = accepted + chrono::Days::new(k as u64);
                let s = c.status(cal(), today, threshold);
                assert_eq!(s.due_date, first.due_date);
                assert_eq!(
                    level_on(today, due, yf),
                    s.level,
                    "{accepted} {promise} {unit:?} {threshold:?} on {today}"
                );
            }
        }
    }

    #[test]
    fn thresholds_and_levels_parse() {
        assert_eq!(
            YellowThreshold::parse("1"),
            Some(YellowThreshold::WorkingDaysLeft(1))
        );
        assert_eq!(
            YellowThreshold::parse("2个工作日"),
            Some(YellowThreshold::WorkingDaysLeft(2))
        );
        assert_eq!(
            YellowThreshold::parse("20%"),
            Some(YellowThreshold::PercentLeft(20))
        );
        assert_eq!(YellowThreshold::parse("101%"), None);
        assert_eq!(YellowThreshold::parse("-1"), None);
        assert_eq!(YellowThreshold::parse("abc"), None);
        for t in [
            YellowThreshold::WorkingDaysLeft(3),
            YellowThreshold::PercentLeft(15),
        ] {
            assert_eq!(YellowThreshold::parse(&t.label()), Some(t));
        }
        assert_eq!(WarningLevel::parse("黄牌"), Some(WarningLevel::Yellow));
        assert_eq!(WarningLevel::parse("RED"), Some(WarningLevel::Red));
        assert_eq!(WarningLevel::parse("紫牌"), None);
        let json = serde_json::to_string(&YellowThreshold::PercentLeft(20)).unwrap();
        assert_eq!(json, r#"{"kind":"percent_left","value":20}"#);
    }
}
