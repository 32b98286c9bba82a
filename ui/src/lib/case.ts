// Small helpers over the case types, shared by the intake page and the case drawer.
import type { CaseRecord } from "../bindings/CaseRecord";
import type { DocumentInfo } from "../bindings/DocumentInfo";
import type { FieldError } from "../bindings/FieldError";
import type { NoticeKind } from "../bindings/NoticeKind";
import type { SupplementRecord } from "../bindings/SupplementRecord";

/** The latest document of a kind (the one `notice_pdf` returns), if any. */
export function latestDoc(record: CaseRecord, kind: NoticeKind | null | undefined): DocumentInfo | null {
  if (!kind) return null;
  for (let i = record.documents.length - 1; i >= 0; i--) {
    const d = record.documents[i]!;
    if (d.kind === kind) return d;
  }
  return null;
}

/** Whether `doc` is the latest of its kind on the case (only that one can be opened). */
export function isLatestOfKind(record: CaseRecord, doc: DocumentInfo): boolean {
  return latestDoc(record, doc.kind) === doc;
}

/** The supplements still waiting for the applicant, one per material. */
export function openSupplements(record: CaseRecord): SupplementRecord[] {
  const seen = new Set<string>();
  const out: SupplementRecord[] = [];
  for (const s of record.supplements) {
    if (s.done_at !== null || seen.has(s.no)) continue;
    seen.add(s.no);
    out.push(s);
  }
  return out;
}

/** The opinion of the case's latest history entry with `action` (e.g. the rejection reason). */
export function lastOpinion(record: CaseRecord, action: string): string {
  for (let i = record.history.length - 1; i >= 0; i--) {
    const ev = record.history[i]!;
    if (ev.action === action) return ev.opinion;
  }
  return "";
}

/**
 * Groups field errors by field; several problems of one field are joined with "；". The order
 * of first appearance is kept.
 */
export function errorsByField(list: FieldError[]): Map<string, FieldError> {
  const byField = new Map<string, FieldError>();
  for (const fe of list) {
    const seen = byField.get(fe.field);
    if (!seen) byField.set(fe.field, { ...fe });
    else if (!seen.message.split("；").includes(fe.message)) seen.message += `；${fe.message}`;
  }
  return byField;
}

/**
 * How a window number reads on screen: `08` → `08号窗口`. Steps taken through the hub carry
 * a name (办件中心) instead of a number, shown alone.
 */
export function windowLabel(windowNo: string | null | undefined): string {
  const no = (windowNo ?? "").trim();
  if (!no) return "";
  return /^[0-9A-Za-z-]+$/.test(no) ? `${no}号窗口` : no;
}

/**
 * A history entry's action without the hub's event code, which clerks do not know: events
 * stored before it was dropped read `部门办理：正常审批程序（B9）`. The code stays available
 * (for a tooltip).
 */
export function historyAction(action: string): { text: string; code: string } {
  const m = /^(部门办理：.+?)（(B\d{1,2})）$/.exec(action);
  return m ? { text: m[1]!, code: m[2]! } : { text: action, code: "" };
}

/** The line shown after an action: `受理完成，办件状态：已受理`; an action named …完成 is not doubled. */
export function actionDoneText(actionLabel: string, stateLabel: string): string {
  const done = actionLabel.endsWith("完成") ? actionLabel : `${actionLabel}完成`;
  return `${done}，办件状态：${stateLabel}`;
}
