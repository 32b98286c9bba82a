// The clerk's wording of the hub's state (办件中心上报).
import type { HubStatus } from "../bindings/HubStatus";

/** Separates the clerk's message from the technical detail in stored failure texts (hub crate `DETAIL_SEPARATOR`). */
export const DETAIL_SEPARATOR = "\n详情：";

/** A stored failure text split into the clerk's message and the technical detail (may be ""). */
export function splitFailure(text: string | null | undefined): { message: string; detail: string } {
  const t = text ?? "";
  const at = t.indexOf(DETAIL_SEPARATOR);
  if (at < 0) return { message: t, detail: "" };
  return { message: t.slice(0, at), detail: t.slice(at + DETAIL_SEPARATOR.length) };
}

/** What 立即上报 achieved, from the status before (if known) and the status it returned. */
export function syncOutcome(
  before: HubStatus | null,
  after: HubStatus,
): { type: "success" | "warning"; text: string } {
  const newDead = Math.max(0, after.outbox.dead - (before?.outbox.dead ?? 0));
  const pending = after.outbox.pending;
  if (pending > 0) {
    const at = after.outbox.next_attempt_at;
    const time = at && at.length >= 19 ? at.slice(11, 19) : "";
    return {
      type: "warning",
      text: `上报失败，${pending}条待上报${time ? `，将于 ${time} 重试` : ""}`,
    };
  }
  if (newDead > 0) {
    return { type: "warning", text: `上报失败，${newDead}条已转入上报失败列表，请查看失败原因` };
  }
  if (!after.online) {
    return { type: "warning", text: "办件信息已上报，但办件中心暂未连通，请查看最近失败" };
  }
  return { type: "success", text: "已上报到期的办件信息" };
}
