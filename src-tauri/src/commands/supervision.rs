//! Supervision (督办监察, 统计): the handlers of the table's supervision commands.

use yichuang_api::cmd::*;
use yichuang_core::model::*;

use super::Result;
use crate::dispatch::Cx;

// ---------------------------------------------------------------- supervision (督办监察, 统计)
//
// The acting person is the signed-in one (name and window; an account without a window
// number acts at the desk's).

use yichuang_core::orders::SupervisionOrder;
use yichuang_core::stats::CaseStats;
use yichuang_core::supervision::PendingReview;

/// The name and window the signed-in person acts under.
async fn signed(cx: &Cx<'_>) -> Result<(String, String)> {
    let actor = cx.actor()?.clone();
    let window = if actor.window_no.trim().is_empty() {
        cx.desk.profile().await?.window_no
    } else {
        actor.window_no
    };
    Ok((actor.name, window))
}

/// The pending cases with their 黄牌/红牌 level.
pub async fn supervise_pending(
    cx: Cx<'_>,
    supervise_pending::Request { filter }: supervise_pending::Request,
) -> Result<PendingReview> {
    Ok(cx.desk.pending_cases(&filter).await?)
}

/// Writes the pending view to `exports/` as .xlsx and returns the path.
pub async fn export_pending(
    cx: Cx<'_>,
    export_pending::Request { filter }: export_pending::Request,
) -> Result<String> {
    Ok(cx
        .desk
        .export_pending_file(&filter)
        .await?
        .display()
        .to_string())
}

/// The statistics of the cases taken in during the range.
pub async fn case_stats(
    cx: Cx<'_>,
    case_stats::Request { filter }: case_stats::Request,
) -> Result<CaseStats> {
    Ok(cx.desk.case_stats(&filter).await?)
}

/// Writes the statistics to `exports/` as .xlsx and returns the path.
pub async fn export_stats(
    cx: Cx<'_>,
    export_stats::Request { filter }: export_stats::Request,
) -> Result<String> {
    Ok(cx
        .desk
        .export_stats_file(&filter)
        .await?
        .display()
        .to_string())
}

/// Supervision orders: of one case, or all; only the open ones when asked.
pub async fn supervision_orders(
    cx: Cx<'_>,
    supervision_orders::Request {
        project_no,
        open_only,
    }: supervision_orders::Request,
) -> Result<Vec<SupervisionOrder>> {
    Ok(cx
        .desk
        .supervision_orders(project_no.as_deref(), open_only)
        .await?)
}

/// Issues a supervision order (督办) on a case.
pub async fn issue_supervision_order(
    cx: Cx<'_>,
    issue_supervision_order::Request {
        project_no,
        text,
        reply_by,
    }: issue_supervision_order::Request,
) -> Result<SupervisionOrder> {
    let (by, window) = signed(&cx).await?;
    Ok(cx
        .desk
        .issue_supervision_order(&project_no, &by, &window, &text, reply_by.as_deref())
        .await?)
}

/// The clerk's reply to an open order.
pub async fn reply_supervision_order(
    cx: Cx<'_>,
    reply_supervision_order::Request { id, text }: reply_supervision_order::Request,
) -> Result<SupervisionOrder> {
    let (by, window) = signed(&cx).await?;
    Ok(cx
        .desk
        .reply_supervision_order(id, &by, &window, &text)
        .await?)
}

/// The supervisor closes an order.
pub async fn close_supervision_order(
    cx: Cx<'_>,
    close_supervision_order::Request { id, note }: close_supervision_order::Request,
) -> Result<SupervisionOrder> {
    let (by, window) = signed(&cx).await?;
    Ok(cx
        .desk
        .close_supervision_order(id, &by, &window, &note)
        .await?)
}

/// Records the applicant's satisfaction (B.10) with a concluded or handed-over case.
pub async fn record_satisfaction(
    cx: Cx<'_>,
    record_satisfaction::Request { project_no, rating }: record_satisfaction::Request,
) -> Result<CaseRecord> {
    let (by, _) = signed(&cx).await?;
    cx.desk
        .record_satisfaction(&project_no, rating, &by)
        .await?;
    Ok(cx.desk.get_case(&project_no).await?)
}

/// The hub calls about one case, newest first (personal data masked).
pub async fn case_call_log(
    cx: Cx<'_>,
    case_call_log::Request { project_no }: case_call_log::Request,
) -> Result<Vec<CallLogRecord>> {
    Ok(cx.desk.call_log_for_case(&project_no, 200).await?)
}
