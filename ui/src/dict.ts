// Chinese labels of the dictionary codes (seed 000, appendix B) as the UI shows them.
// Typed as Record<Code, string> so that a new code in the Rust enums fails the type check.
import type { ApplicantType } from "./bindings/ApplicantType";
import type { CaseAction } from "./bindings/CaseAction";
import type { CaseState } from "./bindings/CaseState";
import type { ClockKind } from "./bindings/ClockKind";
import type { DeliveryMethod } from "./bindings/DeliveryMethod";
import type { HandleResult } from "./bindings/HandleResult";
import type { ItemType } from "./bindings/ItemType";
import type { MaterialForm } from "./bindings/MaterialForm";
import type { NoticeKind } from "./bindings/NoticeKind";
import type { PaperType } from "./bindings/PaperType";
import type { ShareMethod } from "./bindings/ShareMethod";
import type { ShareStatus } from "./bindings/ShareStatus";
import type { SyncState } from "./bindings/SyncState";
import type { OutboxOperation } from "./bindings/OutboxOperation";
import type { TimeUnit } from "./bindings/TimeUnit";
import type { Role } from "./bindings/Role";
import type { Satisfaction } from "./bindings/Satisfaction";
import type { WarningLevel } from "./bindings/WarningLevel";

export const PAPER_TYPE_LABELS: Record<PaperType, string> = {
  "0": "身份证",
  "1": "护照",
  "2": "回乡证",
  "3": "居住证",
  "4": "军官证",
  "5": "特区护照",
  "6": "通行证",
  "7": "台胞证",
  "8": "营业执照",
  "9": "注册证书",
  "10": "其他",
};

/** B.4 in the spec's order. */
export const PAPER_TYPES: PaperType[] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];

/** Documents of a natural person (applicant type 01), and of an organisation (02–05). */
export const PERSON_PAPER_TYPES: PaperType[] = ["0", "1", "2", "3", "4", "5", "6", "7", "10"];
export const ORG_PAPER_TYPES: PaperType[] = ["8", "9", "10"];

export const APPLICANT_TYPES: ApplicantType[] = ["01", "02", "03", "04", "05"];

export const APPLICANT_TYPE_LABELS: Record<ApplicantType, string> = {
  "01": "自然人",
  "02": "企业法人",
  "03": "行政机关",
  "04": "事业法人及其他社团组织",
  "05": "非法人企业",
};

export const DELIVERY_METHOD_LABELS: Record<DeliveryMethod, string> = {
  window: "窗口领取",
  post: "邮政寄递",
  electronic: "电子送达",
};

export const MATERIAL_FORM_LABELS: Record<MaterialForm, string> = {
  original: "原件",
  copy: "复印件",
  both: "原件及复印件",
};

export const ITEM_TYPE_LABELS: Record<ItemType, string> = {
  "1": "即办件",
  "2": "承诺件",
};

export const CASE_STATE_LABELS: Record<CaseState, string> = {
  received: "已收件",
  accepted: "已受理",
  rejected: "不予受理",
  supplement_requested: "待补正",
  supplement_done: "补正完成",
  withdrawn: "已撤回",
  awaiting_supplement: "受理后待补正",
  suspended: "特别程序中",
  concluded: "已办结",
  handed_over: "已出件",
  in_acceptance: "受理中",
};

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

export const OUTBOX_OPERATION_LABELS: Record<OutboxOperation, string> = {
  accept: "受理信息",
  supply_finished: "补正完成",
  process: "办理过程",
  file: "附件上传",
  all: "统一受办办件",
};

/** How a case stands with the provincial hub (办件中心). */
export const SYNC_STATE_LABELS: Record<SyncState, string> = {
  local: "未上报",
  pending: "待上报",
  failed: "上报失败",
  synced: "已上报",
};

export const SYNC_STATE_TAG: Record<SyncState, "success" | "warning" | "info" | "danger"> = {
  local: "info",
  pending: "warning",
  failed: "danger",
  synced: "success",
};

export const NOTICE_KIND_LABELS: Record<NoticeKind, string> = {
  receipt: "收件凭证",
  acceptance: "受理通知书",
  rejection: "不予受理通知书",
  supplement: "补齐补正通知书",
  temporary_receipt: "临时回执",
};

/** 帮我传 (seed 004): how a material is fetched. */
export const SHARE_METHOD_LABELS: Record<ShareMethod, string> = {
  electronic: "电子材料共享",
  paper: "纸档材料共享",
};

/** The state of a material fetched through 帮我传 (seed 004 表1). */
export const SHARE_STATUS_LABELS: Record<ShareStatus, string> = {
  requested: "待共享",
  awaiting_sign_out: "待签出",
  awaiting_sign_in: "待签入",
  completed: "已完成",
  missing: "材料缺失",
  timed_out: "共享超时",
  superseded: "已变更",
  cancelled: "已取消",
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

export const CASE_ACTION_LABELS: Record<CaseActionKind, string> = {
  accept: "受理",
  reject: "不予受理",
  request_supplement: "补齐补正",
  complete_supplement: "补正完成",
  withdraw: "撤回",
  suspend: "启动特别程序",
  resume: "结束特别程序",
  extend: "延长审批",
  conclude: "办结",
  hand_over: "出件",
};

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

/** 办理结果 (dictionary B.9). */
export const HANDLE_RESULT_LABELS: Record<HandleResult, string> = {
  "1": "批准",
  "0": "不予批准",
  "2": "转报",
  "3": "终止办件",
};

/** B.10 满意度, in the dictionary's order. */
export const SATISFACTION_LABELS: Record<Satisfaction, string> = {
  "1": "很不满意",
  "2": "不满意",
  "3": "基本满意",
  "4": "满意",
  "5": "很满意",
};

/** 时效预警 (seed 003): 正常, 黄牌, 红牌, and the tag colour of each. */
export const WARNING_LEVEL_LABELS: Record<WarningLevel, string> = {
  normal: "正常",
  yellow: "黄牌",
  red: "红牌",
};
export const WARNING_LEVEL_TAG: Record<WarningLevel, "success" | "warning" | "danger"> = {
  normal: "success",
  yellow: "warning",
  red: "danger",
};

export const CLOCK_KIND_LABELS: Record<ClockKind, string> = {
  special: "特别程序",
  supplement: "补正暂停",
  extension: "延长审批",
};

/** Common 特别程序种类 (the clerk may type another). */
export const SPECIAL_PROCEDURES = ["听证", "现场勘验", "专家评审", "检验检测", "招标拍卖", "技术审查", "公示", "其他"];

/** "2026-11-27" as "2026年11月27日" (the input unchanged if it is not such a date). */
export function chineseDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** The unit of a time limit in words, for "延长 N …". */
export const TIME_UNIT_LABELS: Record<TimeUnit, string> = {
  "0": "天",
  "1": "个工作日",
  "2": "个月",
  "3": "年",
};

/** Formats a time limit such as "5个工作日" or "20天"; 0 is "当场办结" (as the Rust side words it). */
export function timeLimitText(amount: number, unit: TimeUnit): string {
  if (amount === 0) return "当场办结";
  switch (unit) {
    case "0":
      return `${amount}天`;
    case "1":
      return `${amount}个工作日`;
    case "2":
      return `${amount}个月`;
    case "3":
      return `${amount}年`;
  }
}

export const ROLES: Role[] = ["clerk", "supervisor", "trainer", "admin"];

/** The roles as staff read them (`Role::label` in core). */
export const ROLE_LABELS: Record<Role, string> = {
  clerk: "窗口人员",
  supervisor: "督办/监察",
  trainer: "培训",
  admin: "管理员",
};

export function rolesText(roles: Role[]): string {
  return roles.map((r) => ROLE_LABELS[r]).join("、");
}
