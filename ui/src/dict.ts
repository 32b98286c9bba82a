// The dictionary codes (seed 000, appendix B) as the UI offers and shows them. The Chinese
// labels are generated from the Rust dictionaries into ./gen/labels.ts (typed as
// Record<Code, string>, so a new code in the Rust enums fails the type check); this module
// re-exports them with the lists, tag colours and helpers the pages use.
import type { ApplicantType } from "./bindings/ApplicantType";
import type { CaseAction } from "./bindings/CaseAction";
import type { CaseState } from "./bindings/CaseState";
import type { PaperType } from "./bindings/PaperType";
import type { ShareStatus } from "./bindings/ShareStatus";
import type { SyncState } from "./bindings/SyncState";
import type { TimeUnit } from "./bindings/TimeUnit";
import type { Role } from "./bindings/Role";
import type { WarningLevel } from "./bindings/WarningLevel";
import { ROLE_LABELS, TIME_UNIT_LABELS } from "./gen/labels";

export {
  PAPER_TYPE_LABELS,
  APPLICANT_TYPE_LABELS,
  DELIVERY_METHOD_LABELS,
  MATERIAL_FORM_LABELS,
  ITEM_TYPE_LABELS,
  CASE_STATE_LABELS,
  OUTBOX_OPERATION_LABELS,
  SYNC_STATE_LABELS,
  NOTICE_KIND_LABELS,
  SHARE_METHOD_LABELS,
  SHARE_STATUS_LABELS,
  CASE_ACTION_LABELS,
  HANDLE_RESULT_LABELS,
  SATISFACTION_LABELS,
  WARNING_LEVEL_LABELS,
  CLOCK_KIND_LABELS,
  TIME_UNIT_LABELS,
  ROLE_LABELS,
} from "./gen/labels";

/** B.4 in the spec's order. */
export const PAPER_TYPES: PaperType[] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];

/** Documents of a natural person (applicant type 01), and of an organisation (02–05). */
export const PERSON_PAPER_TYPES: PaperType[] = ["0", "1", "2", "3", "4", "5", "6", "7", "10"];
export const ORG_PAPER_TYPES: PaperType[] = ["8", "9", "10"];

export const APPLICANT_TYPES: ApplicantType[] = ["01", "02", "03", "04", "05"];

/** Every state, in the order a case usually passes through them (for filters). */
export const CASE_STATES: CaseState[] = [
  "received",
  "in_acceptance",
  "supplement_requested",
  "supplement_done",
  "accepted",
  "awaiting_supplement",
  "suspended",
  "concluded",
  "handed_over",
  "rejected",
  "withdrawn",
];

/** The colour of a state's tag. */
export const CASE_STATE_TAG: Record<CaseState, "primary" | "success" | "warning" | "info" | "danger"> = {
  received: "primary",
  accepted: "success",
  rejected: "danger",
  supplement_requested: "warning",
  supplement_done: "primary",
  withdrawn: "info",
  awaiting_supplement: "warning",
  suspended: "warning",
  concluded: "success",
  handed_over: "info",
  in_acceptance: "warning",
};

export const SYNC_STATE_TAG: Record<SyncState, "success" | "warning" | "info" | "danger"> = {
  local: "info",
  pending: "warning",
  failed: "danger",
  synced: "success",
};

export const SHARE_STATUS_TAG: Record<ShareStatus, "primary" | "success" | "warning" | "info" | "danger"> = {
  requested: "primary",
  awaiting_sign_out: "primary",
  awaiting_sign_in: "warning",
  completed: "success",
  missing: "danger",
  timed_out: "danger",
  superseded: "info",
  cancelled: "info",
};

export type CaseActionKind = CaseAction["action"];

/**
 * What the clerk may do to a case in each state, in button order (mirrors the Rust side's
 * `workflow::transition`; the backend refuses anything else with a `conflict`).
 */
export const CASE_ACTIONS: Record<CaseState, CaseActionKind[]> = {
  received: ["accept", "request_supplement", "reject", "withdraw"],
  supplement_requested: ["complete_supplement", "reject", "withdraw"],
  supplement_done: ["accept", "request_supplement", "reject", "withdraw"],
  accepted: ["suspend", "extend", "request_supplement", "conclude", "withdraw"],
  awaiting_supplement: ["complete_supplement", "conclude", "withdraw"],
  suspended: ["resume", "conclude", "withdraw"],
  concluded: ["hand_over"],
  rejected: [],
  withdrawn: [],
  handed_over: [],
  // 受理中: accepted automatically; the clerk changes collection methods or cancels in the
  // 帮我传 panel.
  in_acceptance: [],
};

/** Actions only a desk in 统一受办 mode offers (elsewhere the department's result concludes). */
export const UNIFIED_ONLY_ACTIONS: CaseActionKind[] = ["conclude"];

/** The tag colour of each 时效预警 level. */
export const WARNING_LEVEL_TAG: Record<WarningLevel, "success" | "warning" | "danger"> = {
  normal: "success",
  yellow: "warning",
  red: "danger",
};

/** Common 特别程序种类 (the clerk may type another). */
export const SPECIAL_PROCEDURES = ["听证", "现场勘验", "专家评审", "检验检测", "招标拍卖", "技术审查", "公示", "其他"];

/** "2026-11-27" as "2026年11月27日" (the input unchanged if it is not such a date). */
export function chineseDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** Formats a time limit such as "5个工作日" or "20天"; 0 is "当场办结" (as the Rust side words it). */
export function timeLimitText(amount: number, unit: TimeUnit): string {
  if (amount === 0) return "当场办结";
  return `${amount}${TIME_UNIT_LABELS[unit]}`;
}

export const ROLES: Role[] = ["clerk", "supervisor", "trainer", "admin"];

export function rolesText(roles: Role[]): string {
  return roles.map((r) => ROLE_LABELS[r]).join("、");
}
