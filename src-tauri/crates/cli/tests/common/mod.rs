//! What every CLI test shares: the instant the tests' clock is pinned at, so that no outcome
//! depends on the day the tests run.
#![allow(dead_code)]

use std::process::Command;
use std::sync::Arc;

use yichuang_core::time::FixedClock;

/// "Now" for every desk of the CLI tests: a Monday, a working day of a year whose official
/// holidays are bundled.
pub const NOW: &str = "2026-11-23T10:00:00+08:00";

/// `yichuang` with its clock pinned at [`NOW`] (`$YICHUANG_NOW`).
pub fn yichuang_cmd() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_yichuang"));
    cmd.env("YICHUANG_NOW", NOW);
    cmd
}

/// The clock of a desk the test opens itself, at the same instant as the CLI's.
pub fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock(
        chrono::DateTime::parse_from_rfc3339(NOW).unwrap(),
    ))
}
