//! The cases waiting in 受理中: the clock of 帮我传 (time limits, the 异常 flag, automatic
//! acceptance), cancelling a case, and the 受理中 list.

use super::*;

impl Desk {
    /// 取消办件 of a 受理中 case (after the clerk confirmed): 撤回 with the reason; its
    /// requests are cancelled.
    pub async fn share_cancel(&self, project_no: &str, reason: &str) -> Result<CaseRecord> {
        let case = self.get_case(project_no).await?;
        if case.state != CaseState::InAcceptance {
            return Err(CoreError::Conflict(format!(
                "办件当前为“{}”，只能取消受理中的办件",
                case.state.label()
            )));
        }
        self.clerk()
            .await?
            .apply(
                project_no,
                &CaseAction::Withdraw {
                    reason: reason.to_string(),
                },
            )
            .await?;
        self.cancel_orphan_shares().await?;
        self.get_case(project_no).await
    }

    async fn cancel_orphan_shares(&self) -> Result<()> {
        let at = spec_time(&self.now());
        store::shares::cancel_orphans(self.store.pool(), &at).await?;
        Ok(())
    }

    /// The clock of 帮我传 (see the module documentation): time limits, the 异常 flag and
    /// automatic acceptance. Idempotent; the sync worker runs it every round, and listing the
    /// 受理中 cases runs it first.
    pub async fn share_tick(&self) -> Result<ShareTick> {
        let mut tick = ShareTick::default();
        self.cancel_orphan_shares().await?;
        let now = self.now();
        let at = spec_time(&now);
        {
            let mut tx = self.store.write().await?;
            for (case_id, no) in store::shares::time_out(&mut tx, &at).await? {
                tick.timed_out += 1;
                notify_case(
                    &mut tx,
                    &at,
                    case_id,
                    "share_timed_out",
                    "帮我传共享超时",
                    &format!("材料 {no} 超过调取时限仍未到位。请更改材料收取方式或取消办件。"),
                )
                .await?;
            }
            let cutoff = plus_hours(&at, -ABNORMAL_AFTER_HOURS);
            let reason = format!("提交超过{ABNORMAL_AFTER_HOURS}小时未自动受理");
            for case_id in store::shares::flag_stale(&mut tx, &reason, &cutoff).await? {
                tick.flagged += 1;
                notify_case(
                    &mut tx,
                    &at,
                    case_id,
                    "share_abnormal",
                    "受理中办件异常",
                    &format!(
                        "提交超过{ABNORMAL_AFTER_HOURS}小时仍未自动受理。请更改材料收取方式或取消办件。"
                    ),
                )
                .await?;
            }
            tx.commit().await?;
        }
        // Automatic acceptance: every current request completed.
        let waiting = store::shares::in_acceptance(self.store.pool()).await?;
        for store::shares::InAcceptanceRow {
            id: case_id,
            project_no,
            ..
        } in waiting
        {
            let mut conn = self.store.pool().acquire().await?;
            let Some(sharing) = read_sharing(&mut conn, case_id).await? else {
                continue;
            };
            drop(conn);
            let current = current_shares(&sharing);
            if current.iter().all(|s| s.status == ShareStatus::Completed) {
                match self
                    .clerk()
                    .await?
                    .apply(&project_no, &CaseAction::Accept)
                    .await
                {
                    Ok(_) => tick.accepted.push(project_no),
                    // Accepted meanwhile by another process: nothing to do.
                    Err(CoreError::Conflict(_)) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(tick)
    }

    /// 我的事务 - 受理中: the cases waiting for shared materials, oldest first, after a tick.
    pub async fn in_acceptance_cases(&self) -> Result<Vec<InAcceptanceCase>> {
        self.share_tick().await?;
        let rows = store::shares::in_acceptance(self.store.pool()).await?;
        let mut out = Vec::new();
        let mut conn = self.store.pool().acquire().await?;
        for r in rows {
            let Some(sharing) = read_sharing(&mut conn, r.id).await? else {
                continue;
            };
            let shares = current_shares(&sharing);
            out.push(InAcceptanceCase {
                project_no: r.project_no,
                dept_ql_name: r.dept_ql_name,
                applicant_name: r.applicant_name,
                applicant_paper_code_masked: r.applicant_paper_code_masked,
                submitted_at: sharing.submitted_at.clone(),
                material_status: material_status(&shares),
                abnormal: sharing.abnormal.is_some(),
                abnormal_reason: sharing.abnormal.clone().unwrap_or_default(),
                shares,
            });
        }
        Ok(out)
    }
}

/// The 材料状态 shown in the 受理中 list: what needs the clerk most, else what is awaited.
fn material_status(shares: &[MaterialShare]) -> String {
    for st in [
        ShareStatus::TimedOut,
        ShareStatus::Missing,
        ShareStatus::Requested,
        ShareStatus::AwaitingSignOut,
        ShareStatus::AwaitingSignIn,
    ] {
        if shares.iter().any(|s| s.status == st) {
            return st.label().to_string();
        }
    }
    ShareStatus::Completed.label().to_string()
}

/// Tells the clerk about case `case_id`: the title is `title：{project_no}`.
async fn notify_case(
    conn: &mut SqliteConnection,
    at: &str,
    case_id: i64,
    kind: &str,
    title: &str,
    body: &str,
) -> Result<()> {
    let project_no = store::shares::project_no_of(conn, case_id).await?;
    Ok(notify(
        conn,
        at,
        kind,
        &project_no,
        &format!("{title}：{project_no}"),
        body,
    )
    .await?)
}
