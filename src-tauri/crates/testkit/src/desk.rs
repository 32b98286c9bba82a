//! A desk in a temporary directory, on a pinned clock.

use std::path::Path;
use std::sync::Arc;

use tempfile::TempDir;
use yichuang_core::Desk;
use yichuang_core::model::{AcceptOutcome, DeskProfile, IntakeForm};

use crate::clock::{StepClock, fixed};

/// A desk in a new temporary directory (removed when the `TempDir` is dropped: keep it) on a
/// [`StepClock`].
pub async fn temp_desk() -> (TempDir, Desk, Arc<StepClock>) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (desk, clock) = step_desk(dir.path()).await;
    (dir, desk, clock)
}

/// A desk in `dir` on a [`StepClock`].
pub async fn step_desk(dir: &Path) -> (Desk, Arc<StepClock>) {
    let clock = StepClock::new();
    let desk = Desk::open_with_clock(dir, clock.clone())
        .await
        .expect("the desk opens");
    (desk, clock)
}

/// A desk in `dir` whose clock stays at `rfc3339`.
pub async fn desk_at(dir: &Path, rfc3339: &str) -> Desk {
    Desk::open_with_clock(dir, fixed(rfc3339))
        .await
        .expect("the desk opens")
}

/// Changes the desk's profile (clerk, window, …) with `change`.
pub async fn with_profile(desk: &Desk, change: impl FnOnce(&mut DeskProfile)) {
    let mut p = desk.profile().await.expect("the profile");
    change(&mut p);
    desk.set_profile(p).await.expect("set the profile");
}

/// Intake and acceptance of `form` by the desk profile's clerk (what a desk without accounts
/// does); a test's setup, so a refusal panics with its message.
pub async fn accepted(desk: &Desk, form: &IntakeForm) -> AcceptOutcome {
    let clerk = desk.clerk().await.expect("the desk profile's clerk");
    clerk.accept(form).await.expect("the intake is accepted")
}
