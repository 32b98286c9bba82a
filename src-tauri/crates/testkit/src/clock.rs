//! Pinned clocks, so that no outcome depends on the day the tests run.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, FixedOffset};
use yichuang_core::time::{Clock, FixedClock};

/// Where a [`StepClock`] starts: a Monday, a working day of a year whose official holidays are
/// bundled.
pub const START: &str = "2026-11-23T10:00:00+08:00";

/// An instant given as RFC 3339.
pub fn instant(rfc3339: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(rfc3339).expect("an RFC 3339 time")
}

/// A clock that stays at `rfc3339`.
pub fn fixed(rfc3339: &str) -> Arc<FixedClock> {
    Arc::new(FixedClock(instant(rfc3339)))
}

/// A clock that starts at [`START`] when it is made and runs on with real (monotonic) time,
/// plus an offset the test moves forward: retries, leases and timeouts see time pass as on a
/// real desk.
pub struct StepClock {
    started: std::time::Instant,
    offset: Mutex<chrono::Duration>,
}

impl Clock for StepClock {
    fn now(&self) -> DateTime<FixedOffset> {
        let off = *self.offset.lock().unwrap_or_else(PoisonError::into_inner);
        let ran = chrono::Duration::from_std(self.started.elapsed()).expect("elapsed time");
        instant(START) + ran + off
    }
}

impl StepClock {
    pub fn new() -> Arc<StepClock> {
        Arc::new(StepClock {
            started: std::time::Instant::now(),
            offset: Mutex::new(chrono::Duration::zero()),
        })
    }

    pub fn advance(&self, d: chrono::Duration) {
        *self.offset.lock().unwrap_or_else(PoisonError::into_inner) += d;
    }
}
