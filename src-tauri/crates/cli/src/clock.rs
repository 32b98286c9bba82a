//! The desk's clock in the command line: the system clock, or, for tests, a pinned instant.
//!
//! `$YICHUANG_NOW` (RFC 3339 with its offset, such as `2026-11-23T10:00:00+08:00`), when set and
//! not empty, stops the desk's clock at that instant for the whole command: every "now" and
//! "today" (case numbers, dates on documents, promised dates and warnings, statistics, sessions,
//! `demo seed` without `--at`) comes from it. The trainers' `demo clock` offset still moves it.
//! The tests set it so that their outcome does not depend on the day they run; a real desk
//! leaves it unset. A value that is not such a time is refused before the desk is opened.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use yichuang_core::Desk;
use yichuang_core::time::{Clock, FixedClock, SystemClock};

use crate::error::CliError;

/// The environment variable that pins the clock.
pub(crate) const NOW_VAR: &str = "YICHUANG_NOW";

/// The instant `$YICHUANG_NOW` pins the clock at, if it is set and not empty.
fn pinned() -> Result<Option<DateTime<FixedOffset>>, CliError> {
    let value = match std::env::var(NOW_VAR) {
        Err(std::env::VarError::NotPresent) => return Ok(None),
        Err(std::env::VarError::NotUnicode(v)) => v.to_string_lossy().into_owned(),
        Ok(v) if v.trim().is_empty() => return Ok(None),
        Ok(v) => v,
    };
    DateTime::parse_from_rfc3339(value.trim())
        .map(Some)
        .map_err(|_| {
            // The command ends with this error, so the leaked message lives only until the exit.
            CliError::Usage(Box::leak(
                format!(
                    "环境变量 {NOW_VAR} 的值“{value}”不是有效时间：应为带时区的时间，如 2026-11-23T10:00:00+08:00；不需要固定时钟时请删除该变量"
                )
                .into_boxed_str(),
            ))
        })
}

/// The clock a desk opened by this command runs on.
pub(crate) fn clock() -> Result<Arc<dyn Clock>, CliError> {
    Ok(match pinned()? {
        Some(t) => Arc::new(FixedClock(t)),
        None => SystemClock::shared(),
    })
}

/// Opens the desk in `dir` on [`clock`].
pub(crate) async fn open_desk(dir: &Path) -> Result<Desk, CliError> {
    Ok(Desk::open_with_clock(dir, clock()?).await?)
}
