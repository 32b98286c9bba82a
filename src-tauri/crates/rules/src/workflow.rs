//! The counter's case states and their legal transitions (seed 003 五(二)1(2)③: 接件, 受理,
//! 不予受理, 补齐补正; seed 000 A.2 records each step). Every change of state goes through
//! [`transition`], so an illegal move is refused in one place with one clear message.

use yichuang_types::case::CaseState;

/// What the clerk does to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// 收件: take the materials in, issue a receipt.
    Receive,
    /// 受理.
    Accept,
    /// 不予受理 (a reason is required).
    Reject,
    /// 补齐补正: ask for missing or corrected materials.
    RequestSupplement,
    /// 补正完成: the applicant brought the supplemented materials.
    CompleteSupplement,
    /// 撤回 / 作废 (a reason is required).
    Withdraw,
    /// 特别程序 (kind B) starts: the clock pauses (a reason is required).
    Suspend,
    /// 特别程序 ends: the clock runs again.
    Resume,
    /// 延长审批 (特别程序 kind A): the limit is extended (a reason is required).
    Extend,
    /// 办结: the result is in (from the department through the hub, or recorded at the desk in
    /// 统一受办 mode). An open pause of the clock ends with it.
    Conclude,
    /// 出件: the result is handed over to the applicant.
    HandOver,
    /// 提交受理 with materials still being fetched (帮我传, seed 004): the case waits in 受理中
    /// and is accepted automatically once they are all in.
    Submit,
}

impl Action {
    /// Every action, in the order above.
    pub const ALL: [Action; 12] = [
        Action::Receive,
        Action::Accept,
        Action::Reject,
        Action::RequestSupplement,
        Action::CompleteSupplement,
        Action::Withdraw,
        Action::Suspend,
        Action::Resume,
        Action::Extend,
        Action::Conclude,
        Action::HandOver,
        Action::Submit,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Action::Receive => "收件",
            Action::Accept => "受理",
            Action::Reject => "不予受理",
            Action::RequestSupplement => "补齐补正",
            Action::CompleteSupplement => "补正完成",
            Action::Withdraw => "撤回",
            Action::Suspend => "启动特别程序",
            Action::Resume => "结束特别程序",
            Action::Extend => "延长审批",
            Action::Conclude => "办结",
            Action::HandOver => "出件",
            Action::Submit => "提交受理",
        }
    }

    /// Whether the action must carry a reason or opinion.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            Action::Reject
                | Action::RequestSupplement
                | Action::Withdraw
                | Action::Suspend
                | Action::Extend
                | Action::Conclude
        )
    }
}

/// Why a transition is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("办件当前为“{}”，不能{}", .from.label(), .action.label())]
    Illegal { from: CaseState, action: Action },
    #[error("新办件只能收件、受理、提交受理、不予受理或补齐补正，不能{}", .0.label())]
    NotAtIntake(Action),
}

/// The state `action` leads to from `from` (`None`: a new case at intake).
pub fn transition(from: Option<CaseState>, action: Action) -> Result<CaseState, TransitionError> {
    use Action as A;
    use CaseState as S;
    let to = match (from, action) {
        (None, A::Receive) => S::Received,
        (None, A::Accept) => S::Accepted,
        (None, A::Reject) => S::Rejected,
        (None, A::RequestSupplement) => S::SupplementRequested,
        (None, A::Submit) => S::InAcceptance,
        (None, a) => return Err(TransitionError::NotAtIntake(a)),

        (Some(S::Received | S::SupplementDone | S::InAcceptance), A::Accept) => S::Accepted,
        (Some(S::Received | S::SupplementRequested | S::SupplementDone), A::Reject) => S::Rejected,
        (Some(S::Received | S::SupplementDone), A::RequestSupplement) => S::SupplementRequested,
        (Some(S::SupplementRequested), A::CompleteSupplement) => S::SupplementDone,
        // After acceptance a supplement or a special procedure pauses the clock.
        (Some(S::Accepted), A::RequestSupplement) => S::AwaitingSupplement,
        (Some(S::AwaitingSupplement), A::CompleteSupplement) => S::Accepted,
        (Some(S::Accepted), A::Suspend) => S::Suspended,
        (Some(S::Suspended), A::Resume) => S::Accepted,
        (Some(S::Accepted), A::Extend) => S::Accepted,
        (Some(S::Accepted | S::AwaitingSupplement | S::Suspended), A::Conclude) => S::Concluded,
        (Some(S::Concluded), A::HandOver) => S::HandedOver,
        (
            Some(
                S::Received
                | S::SupplementRequested
                | S::SupplementDone
                | S::Accepted
                | S::AwaitingSupplement
                | S::Suspended
                | S::InAcceptance,
            ),
            A::Withdraw,
        ) => S::Withdrawn,
        (Some(from), action) => return Err(TransitionError::Illegal { from, action }),
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseState as S;

    const ACTIONS: [Action; 12] = Action::ALL;

    #[test]
    fn the_counter_paths() {
        // Receive, then accept.
        let s = transition(None, Action::Receive).unwrap();
        assert_eq!(transition(Some(s), Action::Accept), Ok(S::Accepted));
        // Supplement, the applicant returns, then accept.
        let s = transition(Some(S::Received), Action::RequestSupplement).unwrap();
        let s = transition(Some(s), Action::CompleteSupplement).unwrap();
        assert_eq!(s, S::SupplementDone);
        assert_eq!(transition(Some(s), Action::Accept), Ok(S::Accepted));
        // Still incomplete after a supplement: ask again.
        assert_eq!(
            transition(Some(S::SupplementDone), Action::RequestSupplement),
            Ok(S::SupplementRequested)
        );
        assert_eq!(transition(None, Action::Reject), Ok(S::Rejected));
    }

    #[test]
    fn terminal_states_allow_nothing() {
        for from in [S::Rejected, S::Withdrawn, S::HandedOver] {
            for a in ACTIONS {
                assert_eq!(
                    transition(Some(from), a),
                    Err(TransitionError::Illegal { from, action: a })
                );
            }
        }
    }

    #[test]
    fn illegal_moves_are_refused_with_a_clear_message() {
        let err = transition(Some(S::Accepted), Action::Reject).unwrap_err();
        assert_eq!(err.to_string(), "办件当前为“已受理”，不能不予受理");
        let err = transition(Some(S::Received), Action::CompleteSupplement).unwrap_err();
        assert_eq!(err.to_string(), "办件当前为“已收件”，不能补正完成");
        assert!(transition(Some(S::SupplementRequested), Action::Accept).is_err());
        assert!(transition(Some(S::Accepted), Action::Accept).is_err());
        assert_eq!(
            transition(None, Action::Withdraw),
            Err(TransitionError::NotAtIntake(Action::Withdraw))
        );
    }

    #[test]
    fn every_pair_is_decided_and_only_the_table_is_legal() {
        let mut legal = 0;
        for from in std::iter::once(None).chain(S::ALL.iter().copied().map(Some)) {
            for a in ACTIONS {
                if transition(from, a).is_ok() {
                    legal += 1;
                }
            }
        }
        // 5 at intake + 3 accept + 3 reject + 3 supplement + 2 complete + 7 withdraw
        // + suspend, resume, extend + 3 conclude + hand-over.
        assert_eq!(legal, 30);
    }

    #[test]
    fn after_acceptance_the_clock_can_pause_and_run_again() {
        let s = transition(Some(S::Accepted), Action::RequestSupplement).unwrap();
        assert_eq!(s, S::AwaitingSupplement);
        assert_eq!(
            transition(Some(s), Action::CompleteSupplement),
            Ok(S::Accepted)
        );
        let s = transition(Some(S::Accepted), Action::Suspend).unwrap();
        assert_eq!(s, S::Suspended);
        // No second procedure, no acceptance, no extension while one runs.
        for a in [
            Action::Suspend,
            Action::Accept,
            Action::Extend,
            Action::RequestSupplement,
        ] {
            assert!(transition(Some(s), a).is_err(), "{a:?}");
        }
        assert_eq!(transition(Some(s), Action::Resume), Ok(S::Accepted));
        assert_eq!(
            transition(Some(S::Accepted), Action::Extend),
            Ok(S::Accepted)
        );
        assert!(transition(Some(S::Received), Action::Suspend).is_err());
        assert_eq!(
            transition(Some(S::Suspended), Action::Withdraw),
            Ok(S::Withdrawn)
        );
    }

    #[test]
    fn a_case_waiting_for_shared_materials_is_accepted_or_cancelled_only() {
        let s = transition(None, Action::Submit).unwrap();
        assert_eq!(s, S::InAcceptance);
        assert_eq!(transition(Some(s), Action::Accept), Ok(S::Accepted));
        assert_eq!(transition(Some(s), Action::Withdraw), Ok(S::Withdrawn));
        for a in ACTIONS {
            if !matches!(a, Action::Accept | Action::Withdraw) {
                assert!(transition(Some(s), a).is_err(), "{a:?}");
            }
        }
        // Submitting is for new cases only.
        assert!(transition(Some(S::Received), Action::Submit).is_err());
        assert_eq!(
            transition(Some(s), Action::Conclude)
                .unwrap_err()
                .to_string(),
            "办件当前为“受理中”，不能办结"
        );
    }

    #[test]
    fn a_result_concludes_an_accepted_case_then_it_is_handed_over() {
        for from in [S::Accepted, S::AwaitingSupplement, S::Suspended] {
            assert_eq!(transition(Some(from), Action::Conclude), Ok(S::Concluded));
        }
        for from in [S::Received, S::SupplementRequested, S::Rejected] {
            assert!(
                transition(Some(from), Action::Conclude).is_err(),
                "{from:?}"
            );
        }
        // A concluded case can only be handed over; it cannot be withdrawn any more.
        assert_eq!(
            transition(Some(S::Concluded), Action::HandOver),
            Ok(S::HandedOver)
        );
        assert!(transition(Some(S::Concluded), Action::Withdraw).is_err());
        assert!(transition(Some(S::Accepted), Action::HandOver).is_err());
    }
}
