//! The hall's clock. Halls in China keep Beijing time (UTC+8, no daylight saving), whatever
//! the machine's time zone, so case numbers and notices carry the hall's date.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, Utc};

pub fn hall_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| Utc.fix())
}

/// Where "now" comes from. The trainers' demo and the tests move it.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<FixedOffset>;
    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

/// The system clock, seen in hall time, optionally shifted (trainers move it forward).
#[derive(Debug, Default)]
pub struct SystemClock {
    shift_seconds: AtomicI64,
}

impl SystemClock {
    pub fn shared() -> Arc<SystemClock> {
        Arc::new(SystemClock::default())
    }
    pub fn shift(&self, seconds: i64) {
        self.shift_seconds.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for SystemClock {
    fn now(&self) -> DateTime<FixedOffset> {
        let shift = chrono::Duration::seconds(self.shift_seconds.load(Ordering::SeqCst));
        (Utc::now() + shift).with_timezone(&hall_offset())
    }
}

/// The desk setting holding the trainers' clock offset, in seconds.
pub const CLOCK_OFFSET_SETTING: &str = "clock_offset_secs";

/// A desk's clock: the clock it was opened with, moved by the trainers' offset (seconds,
/// persisted as the desk setting [`CLOCK_OFFSET_SETTING`] and moved from the trainers' controls).
pub struct OffsetClock {
    inner: Arc<dyn Clock>,
    offset: Arc<AtomicI64>,
}

impl OffsetClock {
    pub fn new(inner: Arc<dyn Clock>, offset: Arc<AtomicI64>) -> Self {
        OffsetClock { inner, offset }
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<FixedOffset> {
        self.inner.now() + chrono::Duration::seconds(self.offset.load(Ordering::SeqCst))
    }
}

/// A clock fixed at one instant, for tests.
#[derive(Debug, Clone)]
pub struct FixedClock(pub DateTime<FixedOffset>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<FixedOffset> {
        self.0
    }
}

/// The spec's time format, `YYYY-MM-DD HH:MM:SS`.
pub fn spec_time(t: &DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// A date in the form notices print it: 2026年11月22日.
pub fn chinese_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}
