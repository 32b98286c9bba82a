//! Actions on an existing case: 受理, 不予受理, 补齐补正 and its completion, 撤回, special
//! procedures, 延长审批, 办结, 出件. Each loads the case, asks [`plan_action`] what the action
//! checks and writes, and applies that plan in one transaction.

use crate::accounts::Actor;
use crate::desk::{Acting, Desk, insert_event};
use crate::error::{CoreError, Result};
use crate::model::*;
use crate::plan::{ActionRequest, CaseFacts, Plan, field_error, plan_action};
use crate::store;
use crate::workflow::Action;

impl Desk {
    /// An action on an existing case: checks the transition, records it, and issues the
    /// document that goes with it, in one transaction. `result` is the result recorded with
    /// a 办结 at the desk.
    async fn act(
        &self,
        actor: &Actor,
        project_no: &str,
        request: ActionRequest<'_>,
        result: Option<&CaseResult>,
    ) -> Result<AcceptOutcome> {
        let project_no = project_no.trim();
        let now = self.now();
        let desk = self.profile_for(actor).await?;
        let catalog = self.catalog().await?;
        let mut tx = self.store.write().await?;
        let row = store::cases::for_action(&mut *tx, project_no)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("办件 {project_no}")))?;
        let case_id = row.id;
        let situations: Vec<String> = serde_json::from_str(&row.situations).unwrap_or_default();
        let materials = store::materials::nos(&mut *tx, case_id).await?;
        let facts = CaseFacts {
            state: store::parse_code("state", &row.state, CaseState::parse)?,
            item_code: &row.dept_ql_reg_no,
            item: catalog
                .iter()
                .find(|i| i.dept_ql_reg_no == row.dept_ql_reg_no),
            promise: row.promise,
            situations: &situations,
            materials: &materials,
        };
        let plan = plan_action(&facts, &request, &now)?;
        let item = facts.item.ok_or_else(|| {
            CoreError::NotFound(format!("事项 {}（已不在目录中）", row.dept_ql_reg_no))
        })?;
        self.apply_plan(&mut tx, case_id, &plan, &request, item, &desk, result)
            .await?;
        let document = self
            .issue(&mut tx, case_id, project_no, plan.action, &desk, &plan.at)
            .await?;
        let messages = crate::outbox::messages_for(Some(plan.from), plan.to, plan.action);
        if !messages.is_empty() {
            let case = self.read_case(&mut tx, project_no).await?;
            let messages =
                crate::outbox::with_uploads(&mut tx, case_id, &case, document, &messages).await?;
            crate::outbox::enqueue(self, &mut tx, case_id, &case, &messages, &plan.at).await?;
        }
        tx.commit().await?;
        let case = self.get_case(project_no).await?;
        Ok(AcceptOutcome {
            project_no: project_no.to_string(),
            case,
            document,
        })
    }

    /// The writes of a plan, up to the history entry.
    #[allow(clippy::too_many_arguments)]
    async fn apply_plan(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
        case_id: i64,
        plan: &Plan,
        request: &ActionRequest<'_>,
        item: &CatalogItem,
        desk: &DeskProfile,
        result: Option<&CaseResult>,
    ) -> Result<()> {
        let at = plan.at.as_str();
        for m in &plan.received {
            store::materials::receive(tx, case_id, m).await?;
        }
        if plan.complete_supplements {
            store::supplements::complete_open(&mut **tx, case_id, at).await?;
        }
        if plan.record_acceptance {
            store::cases::record_acceptance(
                &mut **tx,
                case_id,
                at,
                &desk.clerk_name,
                &desk.window_no,
            )
            .await?;
        }
        if let Some(req) = request.supplement {
            self.insert_supplement(tx, case_id, item, req, plan.today, at)
                .await?;
        }
        if let Some(result) = result {
            crate::inbox::insert_result(tx, case_id, result).await?;
        }
        if plan.close_pause {
            store::clock::close_open(&mut **tx, case_id, at, &plan.opinion).await?;
        }
        if let Some(start) = &plan.clock_start {
            store::clock::insert(
                &mut **tx,
                &store::clock::NewClockEntry {
                    case_id,
                    kind: start.kind,
                    special_name: &start.special_name,
                    reason: &start.reason,
                    started_at: at,
                    ended_at: (start.kind == ClockKind::Extension).then_some(at),
                    amount: i64::from(start.amount),
                },
            )
            .await?;
        }
        store::cases::set_state(&mut **tx, case_id, plan.to, at).await?;
        insert_event(
            tx,
            case_id,
            at,
            desk,
            plan.action,
            Some(plan.from),
            plan.to,
            &plan.opinion,
        )
        .await
    }
}

impl Acting<'_> {
    /// `action` on case `project_no` with `opinion` and nothing more.
    async fn act(&self, project_no: &str, action: Action, opinion: &str) -> Result<AcceptOutcome> {
        self.act_with(project_no, ActionRequest::new(action, opinion))
            .await
    }

    async fn act_with(
        &self,
        project_no: &str,
        request: ActionRequest<'_>,
    ) -> Result<AcceptOutcome> {
        self.desk.act(self.actor(), project_no, request, None).await
    }

    /// An action on an existing case.
    pub async fn apply(&self, project_no: &str, action: &CaseAction) -> Result<AcceptOutcome> {
        match action {
            CaseAction::Accept => {
                self.act(
                    project_no,
                    Action::Accept,
                    "申请材料齐全、符合法定形式，予以受理",
                )
                .await
            }
            CaseAction::Reject { reason } => self.act(project_no, Action::Reject, reason).await,
            CaseAction::RequestSupplement { request } => {
                self.act_with(
                    project_no,
                    ActionRequest {
                        supplement: Some(request),
                        ..ActionRequest::new(Action::RequestSupplement, &request.opinion)
                    },
                )
                .await
            }
            CaseAction::CompleteSupplement { materiallist } => {
                self.act_with(
                    project_no,
                    ActionRequest {
                        received: materiallist,
                        ..ActionRequest::new(Action::CompleteSupplement, "申请人已补齐补正材料")
                    },
                )
                .await
            }
            CaseAction::Withdraw { reason } => self.act(project_no, Action::Withdraw, reason).await,
            CaseAction::Suspend {
                special_name,
                reason,
            } => {
                self.act_with(
                    project_no,
                    ActionRequest {
                        special_name,
                        ..ActionRequest::new(Action::Suspend, reason)
                    },
                )
                .await
            }
            CaseAction::Resume { result } => {
                let opinion = if result.trim().is_empty() {
                    "特别程序结束，恢复计时"
                } else {
                    result
                };
                self.act(project_no, Action::Resume, opinion).await
            }
            CaseAction::Extend { amount, reason } => {
                self.act_with(
                    project_no,
                    ActionRequest {
                        special_name: "延长审批",
                        amount: *amount,
                        ..ActionRequest::new(Action::Extend, reason)
                    },
                )
                .await
            }
            CaseAction::Conclude {
                status,
                result_no,
                note,
            } => {
                let desk = self.desk.profile_for(self.actor()).await?;
                if !desk.unified_intake {
                    return Err(CoreError::Conflict(
                        "本窗口未启用统一受办模式：办结结果由审批部门经办件中心推送（7.2.6），收到后办件自动转为“已办结”".into(),
                    ));
                }
                let result = CaseResult {
                    status: *status,
                    result_no: result_no.trim().to_string(),
                    note: note.trim().to_string(),
                    resultname: status.label().to_string(),
                    handleusername: desk.clerk_name.clone(),
                    create_date: crate::time::spec_time(&self.desk.now()),
                    from_hub: false,
                    recorded_at: crate::time::spec_time(&self.desk.now()),
                };
                self.desk
                    .act(
                        self.actor(),
                        project_no,
                        ActionRequest::new(Action::Conclude, note),
                        Some(&result),
                    )
                    .await
            }
            CaseAction::HandOver { recipient } => {
                let recipient = recipient.trim();
                if recipient.is_empty() || recipient.chars().count() > 50 {
                    return Err(CoreError::Validation(vec![field_error(
                        "recipient",
                        "领取人",
                        "请填写领取人姓名（申请人本人或经办人），最多50个字",
                    )]));
                }
                self.act(
                    project_no,
                    Action::HandOver,
                    &format!("办理结果已交付领取人：{recipient}"),
                )
                .await
            }
        }
    }
}
