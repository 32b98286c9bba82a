//! What an action on an existing case checks and writes, decided without any I/O.
//!
//! The service loads the case ([`CaseFacts`]), asks [`plan_action`] for a [`Plan`] (or the
//! reasons it is refused), and applies the plan's writes through the store in one
//! transaction. The field checks shared with intake ([`reason_problem`],
//! [`supplement_problems`]) live here too.

use chrono::{DateTime, FixedOffset};

use crate::error::CoreError;
use crate::model::{
    CaseMaterial, CaseState, CatalogItem, ClockKind, FieldError, MaterialReceipt, SupplementRequest,
};
use crate::time::spec_time;
use crate::workflow::{Action, transition};

/// What the plan of an action needs to know of the case, as loaded.
pub struct CaseFacts<'a> {
    pub state: CaseState,
    /// Its item's code (实施编码), and the item as the catalog now has it, if it still does.
    pub item_code: &'a str,
    pub item: Option<&'a CatalogItem>,
    /// The promised time limit, in the item's unit.
    pub promise: i64,
    /// The situations chosen at intake.
    pub situations: &'a [String],
    /// The numbers of the materials received so far.
    pub materials: &'a [String],
}

/// The action and what it carries beyond its opinion.
#[derive(Clone, Copy)]
pub struct ActionRequest<'a> {
    pub action: Action,
    pub opinion: &'a str,
    /// A supplement request (补齐补正).
    pub supplement: Option<&'a SupplementRequest>,
    /// The materials brought to complete a supplement.
    pub received: &'a [MaterialReceipt],
    /// A special procedure's name (启动特别程序).
    pub special_name: &'a str,
    /// An extension's size (延长审批).
    pub amount: u32,
}

impl<'a> ActionRequest<'a> {
    /// `action` with its opinion and nothing else.
    pub fn new(action: Action, opinion: &'a str) -> Self {
        ActionRequest {
            action,
            opinion,
            supplement: None,
            received: &[],
            special_name: "",
            amount: 0,
        }
    }
}

/// Why an action is refused.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanError {
    /// The case's state does not allow the action.
    Conflict(String),
    /// The case's item is no longer in the catalog.
    UnknownItem(String),
    /// The input has field-level problems.
    Invalid(Vec<FieldError>),
}

impl From<PlanError> for CoreError {
    fn from(e: PlanError) -> Self {
        match e {
            PlanError::Conflict(m) => CoreError::Conflict(m),
            PlanError::UnknownItem(code) => {
                CoreError::NotFound(format!("事项 {code}（已不在目录中）"))
            }
            PlanError::Invalid(errors) => CoreError::Validation(errors),
        }
    }
}

/// A pause or extension of the clock to record.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockStart {
    pub kind: ClockKind,
    /// The special procedure's name; 补齐补正 or 延长审批 for the others.
    pub special_name: String,
    /// The opinion, trimmed.
    pub reason: String,
    /// An extension's size (0 for a pause).
    pub amount: u32,
}

/// What applying an action writes, in this order.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub action: Action,
    pub from: CaseState,
    pub to: CaseState,
    /// When (`YYYY-MM-DD HH:MM:SS`, hall time), and that day (a supplement's deadline counts
    /// from it).
    pub at: String,
    pub today: chrono::NaiveDate,
    /// Materials brought to complete a supplement, as the catalog names them (`ord` unused):
    /// added to the case or their copies updated.
    pub received: Vec<CaseMaterial>,
    /// Whether the case's open supplement requests are done.
    pub complete_supplements: bool,
    /// Whether the acceptance (date, clerk, window) is recorded on the case.
    pub record_acceptance: bool,
    /// Whether the open pause of the clock ends, with the opinion as its result.
    pub close_pause: bool,
    /// A pause or extension that starts.
    pub clock_start: Option<ClockStart>,
    /// The opinion as recorded, trimmed.
    pub opinion: String,
}

/// Checks `request` against the case and decides what it writes; `now` is hall time.
pub fn plan_action(
    case: &CaseFacts<'_>,
    request: &ActionRequest<'_>,
    now: &DateTime<FixedOffset>,
) -> Result<Plan, PlanError> {
    let action = request.action;
    let from = case.state;
    let to = transition(Some(from), action).map_err(|e| PlanError::Conflict(e.to_string()))?;
    let item = case
        .item
        .ok_or_else(|| PlanError::UnknownItem(case.item_code.to_string()))?;

    let mut errors = reason_problem(action, request.opinion);
    if let Some(req) = request.supplement {
        errors.extend(supplement_problems(item, req));
    } else if action == Action::RequestSupplement {
        errors.push(field_error(
            "materials",
            "补正材料",
            "请选择需要补齐补正的材料",
        ));
    }
    if action == Action::CompleteSupplement {
        errors.extend(receipt_problems(item, request.received));
    }
    if action == Action::Suspend {
        let n = request.special_name.trim().chars().count();
        if n == 0 || n > 50 {
            errors.push(field_error(
                "special_name",
                "特别程序种类",
                "请选择或填写特别程序种类（如听证、专家评审、现场勘验），最多50个字",
            ));
        }
    }
    if action == Action::Extend {
        let amount = request.amount;
        if amount == 0 || i64::from(amount) > case.promise.max(1) {
            errors.push(field_error(
                "amount",
                "延长时限",
                &format!(
                    "延长时限应为1至{}（{}），不超过原承诺时限",
                    case.promise.max(1),
                    item.promise_type.label()
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(PlanError::Invalid(errors));
    }

    let received = if action == Action::CompleteSupplement {
        request
            .received
            .iter()
            .filter_map(|m| {
                item.materials
                    .iter()
                    .find(|c| c.no == m.no || c.sj_file_name == m.sj_file_name.trim())
                    .map(|c| CaseMaterial {
                        ord: 0,
                        no: c.no.clone(),
                        sj_file_name: c.sj_file_name.clone(),
                        sj_no: m.sj_no,
                        form: c.form,
                        sj_file_if: c.sj_file_if,
                        attachguid: None,
                    })
            })
            .collect()
    } else {
        Vec::new()
    };
    if action == Action::Accept {
        let missing: Vec<&str> = crate::validate::required_materials(item, case.situations)
            .into_iter()
            .filter(|c| !case.materials.contains(&c.no))
            .map(|c| c.sj_file_name.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(PlanError::Invalid(vec![field_error(
                "materiallist",
                "收取材料",
                &format!("必须材料未收齐：{}。请先补齐补正", missing.join("、")),
            )]));
        }
    }
    let opinion = request.opinion.trim().to_string();
    // The clock: a pause opens on a supplement after acceptance or a special procedure,
    // closes when it ends (or the case is withdrawn); an extension is recorded as is.
    let clock_start = match (from, to, action) {
        (CaseState::Accepted, CaseState::AwaitingSupplement, _) => {
            Some((ClockKind::Supplement, "补齐补正"))
        }
        (_, _, Action::Suspend) => Some((ClockKind::Special, request.special_name.trim())),
        (_, _, Action::Extend) => Some((ClockKind::Extension, "延长审批")),
        _ => None,
    }
    .map(|(kind, name)| ClockStart {
        kind,
        special_name: name.to_string(),
        reason: opinion.clone(),
        amount: request.amount,
    });
    Ok(Plan {
        action,
        from,
        to,
        at: spec_time(now),
        today: now.date_naive(),
        received,
        complete_supplements: action == Action::CompleteSupplement,
        record_acceptance: action == Action::Accept,
        close_pause: matches!(from, CaseState::AwaitingSupplement | CaseState::Suspended),
        clock_start,
        opinion,
    })
}

pub(crate) fn field_error(field: &str, label: &str, message: &str) -> FieldError {
    FieldError {
        field: field.into(),
        label: label.into(),
        message: message.into(),
    }
}

/// Rejection and withdrawal need a reason (the opinion recorded in the history).
pub(crate) fn reason_problem(action: Action, opinion: &str) -> Vec<FieldError> {
    let n = opinion.trim().chars().count();
    if action.needs_reason() && action != Action::RequestSupplement && n == 0 {
        vec![field_error(
            "reason",
            "原因",
            &format!("请填写{}原因", action.label()),
        )]
    } else if n > 500 {
        vec![field_error("reason", "原因", "原因过长，最多500个字")]
    } else {
        vec![]
    }
}

pub(crate) fn supplement_problems(item: &CatalogItem, req: &SupplementRequest) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if req.materials.is_empty() {
        errors.push(field_error(
            "materials",
            "补正材料",
            "请选择需要补齐补正的材料",
        ));
    }
    for (i, m) in req.materials.iter().enumerate() {
        if !item.materials.iter().any(|c| c.no == m.no) {
            errors.push(field_error(
                &format!("materials[{i}]"),
                "补正材料",
                &format!("材料编号“{}”不在本事项的材料目录中", m.no),
            ));
        }
        if m.reason.trim().is_empty() {
            errors.push(field_error(
                &format!("materials[{i}].reason"),
                "补正原因",
                "请逐项填写补正原因（缺少、不清晰、已过期等）",
            ));
        }
    }
    if req.limit_days == 0 || req.limit_days > 60 {
        errors.push(field_error(
            "limit_days",
            "补正时限",
            "补正时限应为1至60个工作日",
        ));
    }
    errors
}

fn receipt_problems(item: &CatalogItem, received: &[MaterialReceipt]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if received.is_empty() {
        errors.push(field_error(
            "materiallist",
            "收取材料",
            "请勾选申请人补交的材料",
        ));
    }
    for (i, m) in received.iter().enumerate() {
        let known = item
            .materials
            .iter()
            .any(|c| c.no == m.no || (m.no.is_empty() && c.sj_file_name == m.sj_file_name.trim()));
        if !known {
            errors.push(field_error(
                &format!("materiallist[{i}]"),
                "收取材料",
                &format!(
                    "材料“{}”不在本事项的材料目录中",
                    if m.no.is_empty() {
                        &m.sj_file_name
                    } else {
                        &m.no
                    }
                ),
            ));
        }
        if m.sj_no == 0 || m.sj_no > 99 {
            errors.push(field_error(
                &format!("materiallist[{i}].sj_no"),
                "收取材料",
                "份数应为1至99",
            ));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::CatalogFile;
    use crate::model::SupplementItem;

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-03-02T10:00:00+08:00").expect("a fixed time")
    }

    fn item() -> CatalogItem {
        CatalogFile::sample().expect("the sample catalog").items[0].clone()
    }

    fn all_required(item: &CatalogItem) -> Vec<String> {
        crate::validate::required_materials(item, &[])
            .into_iter()
            .map(|c| c.no.clone())
            .collect()
    }

    fn facts<'a>(
        state: CaseState,
        item: &'a CatalogItem,
        materials: &'a [String],
    ) -> CaseFacts<'a> {
        CaseFacts {
            state,
            item_code: &item.dept_ql_reg_no,
            item: Some(item),
            promise: 20,
            situations: &[],
            materials,
        }
    }

    fn fields(e: PlanError) -> Vec<String> {
        match e {
            PlanError::Invalid(errors) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn an_illegal_transition_is_a_conflict_before_anything_else() {
        let item = item();
        let case = CaseFacts {
            item: None,
            ..facts(CaseState::Concluded, &item, &[])
        };
        let e = plan_action(&case, &ActionRequest::new(Action::Accept, ""), &now()).unwrap_err();
        assert!(matches!(e, PlanError::Conflict(m) if m.contains("不能受理")));
    }

    #[test]
    fn an_item_gone_from_the_catalog_is_reported() {
        let item = item();
        let case = CaseFacts {
            item: None,
            ..facts(CaseState::Received, &item, &[])
        };
        let e = plan_action(&case, &ActionRequest::new(Action::Accept, ""), &now()).unwrap_err();
        assert_eq!(e, PlanError::UnknownItem(item.dept_ql_reg_no.clone()));
    }

    #[test]
    fn acceptance_needs_every_required_material_and_records_the_acceptance() {
        let item = item();
        let e = plan_action(
            &facts(CaseState::Received, &item, &[]),
            &ActionRequest::new(Action::Accept, "予以受理"),
            &now(),
        )
        .unwrap_err();
        assert_eq!(fields(e), vec!["materiallist"]);

        let have = all_required(&item);
        let plan = plan_action(
            &facts(CaseState::Received, &item, &have),
            &ActionRequest::new(Action::Accept, " 予以受理 "),
            &now(),
        )
        .expect("a plan");
        assert_eq!(plan.to, CaseState::Accepted);
        assert!(plan.record_acceptance);
        assert!(!plan.close_pause);
        assert_eq!(plan.clock_start, None);
        assert_eq!(plan.at, "2026-03-02 10:00:00");
        assert_eq!(plan.opinion, "予以受理");
    }

    #[test]
    fn withdrawal_and_rejection_need_a_reason() {
        let item = item();
        for action in [Action::Withdraw, Action::Reject] {
            let e = plan_action(
                &facts(CaseState::Received, &item, &[]),
                &ActionRequest::new(action, "  "),
                &now(),
            )
            .unwrap_err();
            assert_eq!(fields(e), vec!["reason"]);
        }
    }

    #[test]
    fn a_supplement_after_acceptance_pauses_the_clock() {
        let item = item();
        let request = SupplementRequest {
            materials: vec![SupplementItem {
                no: item.materials[0].no.clone(),
                sj_file_name: String::new(),
                reason: "不清晰".into(),
            }],
            limit_days: 5,
            opinion: String::new(),
        };
        let plan = plan_action(
            &facts(CaseState::Accepted, &item, &[]),
            &ActionRequest {
                supplement: Some(&request),
                ..ActionRequest::new(Action::RequestSupplement, "请补正")
            },
            &now(),
        )
        .expect("a plan");
        assert_eq!(plan.to, CaseState::AwaitingSupplement);
        let start = plan.clock_start.expect("a pause");
        assert_eq!(start.kind, ClockKind::Supplement);
        assert_eq!(start.special_name, "补齐补正");

        let e = plan_action(
            &facts(CaseState::Accepted, &item, &[]),
            &ActionRequest::new(Action::RequestSupplement, ""),
            &now(),
        )
        .unwrap_err();
        assert_eq!(fields(e), vec!["materials"]);
    }

    #[test]
    fn completing_a_supplement_takes_the_catalog_names_and_closes_the_pause() {
        let item = item();
        let c = &item.materials[0];
        let received = [MaterialReceipt {
            no: String::new(),
            sj_file_name: format!(" {} ", c.sj_file_name),
            sj_no: 2,
            share: None,
        }];
        let plan = plan_action(
            &facts(CaseState::AwaitingSupplement, &item, &[]),
            &ActionRequest {
                received: &received,
                ..ActionRequest::new(Action::CompleteSupplement, "已补齐")
            },
            &now(),
        )
        .expect("a plan");
        assert_eq!(plan.to, CaseState::Accepted);
        assert!(plan.complete_supplements);
        assert!(plan.close_pause);
        assert_eq!(plan.received.len(), 1);
        assert_eq!(plan.received[0].no, c.no);
        assert_eq!(plan.received[0].sj_no, 2);

        let e = plan_action(
            &facts(CaseState::AwaitingSupplement, &item, &[]),
            &ActionRequest::new(Action::CompleteSupplement, "已补齐"),
            &now(),
        )
        .unwrap_err();
        assert_eq!(fields(e), vec!["materiallist"]);
    }

    #[test]
    fn a_special_procedure_needs_a_name_and_an_extension_a_size_within_the_promise() {
        let item = item();
        let e = plan_action(
            &facts(CaseState::Accepted, &item, &[]),
            &ActionRequest::new(Action::Suspend, "听证"),
            &now(),
        )
        .unwrap_err();
        assert_eq!(fields(e), vec!["special_name"]);
        let plan = plan_action(
            &facts(CaseState::Accepted, &item, &[]),
            &ActionRequest {
                special_name: " 听证 ",
                ..ActionRequest::new(Action::Suspend, "依申请听证")
            },
            &now(),
        )
        .expect("a plan");
        let start = plan.clock_start.expect("a pause");
        assert_eq!(
            (start.kind, start.special_name.as_str()),
            (ClockKind::Special, "听证")
        );

        for amount in [0, 21] {
            let e = plan_action(
                &facts(CaseState::Accepted, &item, &[]),
                &ActionRequest {
                    amount,
                    ..ActionRequest::new(Action::Extend, "情况复杂")
                },
                &now(),
            )
            .unwrap_err();
            assert_eq!(fields(e), vec!["amount"]);
        }
        let plan = plan_action(
            &facts(CaseState::Accepted, &item, &[]),
            &ActionRequest {
                amount: 10,
                ..ActionRequest::new(Action::Extend, "情况复杂")
            },
            &now(),
        )
        .expect("a plan");
        let start = plan.clock_start.expect("an extension");
        assert_eq!((start.kind, start.amount), (ClockKind::Extension, 10));
    }

    #[test]
    fn resuming_closes_the_pause() {
        let item = item();
        let plan = plan_action(
            &facts(CaseState::Suspended, &item, &[]),
            &ActionRequest::new(Action::Resume, "特别程序结束，恢复计时"),
            &now(),
        )
        .expect("a plan");
        assert_eq!(plan.to, CaseState::Accepted);
        assert!(plan.close_pause);
        assert_eq!(plan.clock_start, None);
    }
}
