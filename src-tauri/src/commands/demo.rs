//! 培训控制 (trainers' demo): the handlers of the table's `demo_*` commands.

use yichuang_api::cmd::*;
use yichuang_core::model::*;

use super::{Result, sync_round};
use crate::dispatch::Cx;
use crate::state::AppState;

// ---------------------------------------------------------------- 培训控制 (trainers' demo)
// Each of these needs `TrainerControls` (the table). The core refuses them on a desk that is
// not a demo desk; the hub modes exist only with the demo's embedded simulator.

fn demo_status_of(cx: &AppState) -> DemoStatus {
    DemoStatus {
        clock: yichuang_core::demo::clock(&cx.desk),
        hub_mode: cx.hub_sim.as_ref().map(|s| s.mode()),
    }
}

/// The demo desk's clock and the embedded hub's mode.
pub async fn demo_status(cx: Cx<'_>, _: demo_status::Request) -> Result<DemoStatus> {
    Ok(demo_status_of(&cx))
}

/// Makes the embedded hub go down, slow, reject, or back to normal.
pub async fn demo_set_hub_mode(
    cx: Cx<'_>,
    demo_set_hub_mode::Request { mode }: demo_set_hub_mode::Request,
) -> Result<DemoStatus> {
    let Some(sim) = &cx.hub_sim else {
        return Err(yichuang_core::CoreError::Conflict(
            "只有演示窗口（yichuang-app --demo）内置办件中心模拟器，才能切换其状态".into(),
        )
        .into());
    };
    sim.set_mode(mode).await;
    Ok(demo_status_of(&cx))
}

/// Moves the demo desk's clock forward (`+3d`, `+12h`, `+30m`).
pub async fn demo_move_clock(
    cx: Cx<'_>,
    demo_move_clock::Request { shift }: demo_move_clock::Request,
) -> Result<DemoStatus> {
    let secs = yichuang_core::demo::parse_shift(&shift)?;
    yichuang_core::demo::move_clock(&cx.desk, secs).await?;
    Ok(demo_status_of(&cx))
}

/// Back to the real time.
pub async fn demo_reset_clock(cx: Cx<'_>, _: demo_reset_clock::Request) -> Result<DemoStatus> {
    yichuang_core::demo::reset_clock(&cx.desk).await?;
    Ok(demo_status_of(&cx))
}

/// A department asks for a supplement (7.2.3) on an accepted case: the embedded hub queues
/// the message, and a sync round brings it to the desk at once.
pub async fn demo_request_supplement(
    cx: Cx<'_>,
    demo_request_supplement::Request {
        project_no,
        opinion,
    }: demo_request_supplement::Request,
) -> Result<()> {
    let materials = yichuang_core::demo::supplement_materials(&cx.desk, &project_no).await?;
    let Some(sim) = &cx.hub_sim else {
        return Err(yichuang_core::CoreError::Conflict(
            "只有演示窗口（yichuang-app --demo）内置办件中心模拟器，才能模拟部门要求补正".into(),
        )
        .into());
    };
    let opinion = match opinion.trim() {
        "" => "材料不符合要求，请申请人补正（培训演示）",
        text => text,
    };
    sim.request_supplement(&project_no, opinion, &materials);
    sync_round(&cx).await
}

/// Puts the demo back as seeded, in place; the embedded hub forgets its cases and answers
/// normally again. Returns how many cases were seeded.
pub async fn demo_reset(cx: Cx<'_>, _: demo_reset::Request) -> Result<usize> {
    let made = yichuang_core::demo::reset(&cx.desk).await?;
    if let Some(sim) = &cx.hub_sim {
        sim.reset();
        sim.set_mode(DemoHubMode::Normal).await;
    }
    Ok(made)
}

/// The pending cases with their warning level today (as the desk's clock stands), for the
/// trainers' panel to show what moving the clock did.
pub async fn demo_warnings(
    cx: Cx<'_>,
    _: demo_warnings::Request,
) -> Result<yichuang_core::supervision::PendingReview> {
    let filter = yichuang_core::supervision::PendingFilter {
        limit: Some(500),
        ..Default::default()
    };
    Ok(cx.desk.pending_cases(&filter).await?)
}
