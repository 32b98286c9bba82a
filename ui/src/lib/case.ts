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
