//! The text of `ui/src/gen/labels.ts`: the Chinese labels of every dictionary, for the UI, so
//! that `ui/src/dict.ts` holds no copy. The test `export_labels` (`tests/export_labels.rs`)
//! writes it; `.ci/test` regenerates it into a temporary file (`YICHUANG_LABELS_OUT`) and
//! checks for drift.

use yichuang_types::accounts::Role;
use yichuang_types::case::{CaseState, ClockKind, NoticeKind};
use yichuang_types::dict::{
    ApplicantType, DeliveryMethod, HandleResult, ItemType, MaterialForm, PaperType, Satisfaction,
    TimeUnit,
};
use yichuang_types::labels::LabelsFile;
use yichuang_types::outbox::{OutboxOperation, SyncState};
use yichuang_types::sharing::{ShareMethod, ShareStatus};

use crate::timelimit::WarningLevel;
use crate::workflow::Action;

/// The command that writes the file.
pub const GENERATED_BY: &str = "cargo test -p yichuang-rules export_labels";

/// The text of `ui/src/gen/labels.ts`.
pub fn labels_ts() -> String {
    let mut f = LabelsFile::new();
    f.dict::<PaperType>("PAPER_TYPE_LABELS", "B.4 证件类型.")
        .dict::<ApplicantType>("APPLICANT_TYPE_LABELS", "B.3 申请人类型.")
        .dict::<DeliveryMethod>("DELIVERY_METHOD_LABELS", "送达方式.")
        .dict::<MaterialForm>("MATERIAL_FORM_LABELS", "材料形式.")
        .dict::<ItemType>("ITEM_TYPE_LABELS", "B.8 办件类型.")
        .dict::<CaseState>("CASE_STATE_LABELS", "The counter states of a case.")
        .dict_with::<OutboxOperation>(
            "OUTBOX_OPERATION_LABELS",
            "What an outbox entry pushes to the hub.",
            OutboxOperation::short_label,
        )
        .dict::<SyncState>(
            "SYNC_STATE_LABELS",
            "How a case stands with the provincial hub (办件中心).",
        )
        .dict::<NoticeKind>("NOTICE_KIND_LABELS", "The documents the counter issues.")
        .dict::<ShareMethod>(
            "SHARE_METHOD_LABELS",
            "帮我传 (seed 004): how a material is fetched.",
        )
        .dict::<ShareStatus>(
            "SHARE_STATUS_LABELS",
            "The state of a material fetched through 帮我传 (seed 004 表1).",
        )
        .dict::<HandleResult>("HANDLE_RESULT_LABELS", "办理结果 (dictionary B.9).")
        .dict::<Satisfaction>(
            "SATISFACTION_LABELS",
            "B.10 满意度, in the dictionary's order.",
        )
        .dict::<ClockKind>("CLOCK_KIND_LABELS", "What stopped or moved a case's clock.")
        .dict_with::<TimeUnit>(
            "TIME_UNIT_LABELS",
            "The unit of a time limit in words, for \"延长 N …\".",
            TimeUnit::after_number,
        )
        .dict::<Role>("ROLE_LABELS", "The roles as staff read them.");
    // The rules' own enums.
    let levels = WarningLevel::ALL.map(|l| (l.as_str(), l.label()));
    f.import("WarningLevel").table(
        "WARNING_LEVEL_LABELS",
        "时效预警 (seed 003): 正常, 黄牌, 红牌.",
        "WarningLevel",
        levels,
    );
    // The clerk's actions on an existing case, by the `action` tag of `CaseAction`.
    let actions = [
        ("accept", Action::Accept),
        ("reject", Action::Reject),
        ("request_supplement", Action::RequestSupplement),
        ("complete_supplement", Action::CompleteSupplement),
        ("withdraw", Action::Withdraw),
        ("suspend", Action::Suspend),
        ("resume", Action::Resume),
        ("extend", Action::Extend),
        ("conclude", Action::Conclude),
        ("hand_over", Action::HandOver),
    ]
    .map(|(tag, a)| (tag, a.label()));
    f.import("CaseAction").table(
        "CASE_ACTION_LABELS",
        "What the clerk does to a case.",
        "CaseAction[\"action\"]",
        actions,
    );
    f.render(GENERATED_BY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_written() {
        let ts = labels_ts();
        assert!(ts.contains("  \"hand_over\": \"出件\",\n"));
        assert!(ts.contains("  \"1\": \"个工作日\",\n"));
        assert!(ts.contains("  \"accept\": \"受理信息\",\n"));
        assert!(ts.contains("export const WARNING_LEVEL_LABELS: Record<WarningLevel, string>"));
    }
}
