import { afterEach, describe, expect, it } from "vitest";
import { flushPromises, type VueWrapper } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import CaseDetailDrawer from "./CaseDetailDrawer.vue";
import type { CaseRecord } from "../bindings/CaseRecord";
import type { SupervisionOrder } from "../bindings/SupervisionOrder";
import { REG_NO, byTestId, caseRecord, mountOpened, settle } from "../test/fixtures";

// The 督办 section and the 满意度 control of the case drawer, as the clerk and as the supervisor.

const NO = `${REG_NO}202611220001`;
const ORDER: SupervisionOrder = {
  id: 7,
  project_no: NO,
  issued_at: "2026-11-23 09:00:00",
  issued_by: "王督查",
  issued_window: "监察室",
  text: "已超期，请说明原因",
  reply_by: "2026-11-25",
  replies: [],
  closed_at: null,
  closed_by: "",
  closed_window: "",
  close_note: "",
};

let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let wrapper: VueWrapper | null = null;

function backend(record: () => CaseRecord, extra: (cmd: string, a: Record<string, unknown>) => unknown = () => undefined) {
  calls = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    if (cmd === "get_case") return record();
    const r = extra(cmd, a);
    if (r !== undefined) return r;
    throw { kind: "internal", message: `unexpected ${cmd}` };
  });
}

async function openDrawer(supervisor = false) {
  return mountOpened(CaseDetailDrawer, { projectNo: NO, supervisor }, (w) => (wrapper = w));
}

async function typeText(id: string, text: string) {
  const el = byTestId<HTMLTextAreaElement>(id)!;
  el.value = text;
  el.dispatchEvent(new Event("input"));
  await flushPromises();
}

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  clearMocks();
  document.body.innerHTML = "";
});

describe("督办 in the case drawer", { timeout: 15000 }, () => {
  it("the clerk sees the order and replies; an empty reply is not sent", async () => {
    let rec = caseRecord(NO, { supervision_orders: [ORDER] });
    backend(
      () => rec,
      (cmd, a) => {
        if (cmd === "reply_supervision_order") {
          const done = { ...ORDER, replies: [{ at: "2026-11-23 10:00:00", by: "王芳", window_no: "08", text: a.text as string }] };
          rec = caseRecord(NO, { supervision_orders: [done] });
          return done;
        }
      },
    );
    await openDrawer();
    const section = byTestId("supervision-orders")!;
    expect(section.textContent).toContain("已超期，请说明原因");
    expect(section.textContent).toContain("请于 2026-11-25 前回复");
    expect(byTestId("order-state")!.textContent).toContain("督办中");
    expect(byTestId("order-close")).toBeNull();
    expect(byTestId("detail-call-log")).toBeNull();

    byTestId("order-reply")!.click();
    await settle();
    expect(byTestId("order-error")!.textContent).toContain("请填写回复内容");
    expect(calls.some((c) => c.cmd === "reply_supervision_order")).toBe(false);

    await typeText("order-reply-text", "已催办部门");
    byTestId("order-reply")!.click();
    await settle();
    const sent = calls.find((c) => c.cmd === "reply_supervision_order")!;
    expect(sent.args).toEqual({ id: 7, text: "已催办部门" });
    expect(byTestId("order-reply-item")!.textContent).toContain("王芳（窗口 08）");
    expect(byTestId("order-reply-item")!.textContent).toContain("已催办部门");
  });

  it("the supervisor has no counter actions, sees the hub calls of the case and closes the order", async () => {
    let rec = caseRecord(NO, { supervision_orders: [ORDER] });
    backend(
      () => rec,
      (cmd, a) => {
        if (cmd === "case_call_log")
          return [
            {
              id: 1,
              caller: "01",
              time: "2026-11-23T01:00:00Z",
              interface: "pushAcceptProjectInfo",
              request: "{}",
              response: null,
              http_status: 200,
              duration_ms: 12,
              outcome: "ok",
              message: "",
            },
          ];
        if (cmd === "close_supervision_order") {
          const done = { ...ORDER, closed_at: "2026-11-23 11:00:00", closed_by: "王督查", close_note: a.note as string };
          rec = caseRecord(NO, { supervision_orders: [done] });
          return done;
        }
      },
    );
    await openDrawer(true);
    expect(byTestId("action-suspend")).toBeNull();
    expect(byTestId("detail-issue-order")).not.toBeNull();
    expect(calls.find((c) => c.cmd === "case_call_log")!.args).toEqual({ projectNo: NO });
    expect(byTestId("detail-call-log")!.textContent).toContain("pushAcceptProjectInfo");
    expect(byTestId("detail-call-log")!.textContent).toContain("成功");

    await typeText("order-close-note", "情况属实");
    byTestId("order-close")!.click();
    await settle();
    expect(calls.find((c) => c.cmd === "close_supervision_order")!.args).toEqual({ id: 7, note: "情况属实" });
    expect(byTestId("order-state")!.textContent).toContain("已办结");
  });

  it("records the applicant's satisfaction after conclusion", async () => {
    let rec = caseRecord(NO, { state: "concluded" });
    backend(
      () => rec,
      (cmd, a) => {
        if (cmd === "record_satisfaction") {
          rec = caseRecord(NO, { state: "concluded", satisfaction: a.rating as "5", satisfaction_at: "2026-11-23 10:00:00" });
          return rec;
        }
      },
    );
    await openDrawer();
    expect(byTestId("detail-satisfaction")!.textContent).toContain("请申请人对本次服务作出评价");
    byTestId("rate-5")!.querySelector("input")!.click();
    await settle();
    expect(calls.find((c) => c.cmd === "record_satisfaction")!.args).toEqual({ projectNo: NO, rating: "5" });
    expect(byTestId("detail-satisfaction")!.textContent).toContain("评价时间 2026-11-23 10:00:00");
  });

  it("offers no rating before conclusion", async () => {
    backend(() => caseRecord(NO, { state: "accepted" }));
    await openDrawer();
    expect(byTestId("detail-satisfaction")).toBeNull();
  });
});
