import { afterEach, describe, expect, it } from "vitest";
import { flushPromises, type VueWrapper } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import CaseDetailDrawer from "./CaseDetailDrawer.vue";
import type { CaseAction } from "../bindings/CaseAction";
import type { CaseRecord } from "../bindings/CaseRecord";
import type { CaseState } from "../bindings/CaseState";
import { ITEMS, REG_NO, byTestId, caseRecord, mountOpened, outcome, settle } from "../test/fixtures";

const NO = `${REG_NO}202611220001`;

let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let wrapper: VueWrapper | null = null;

function backend(record: () => CaseRecord, act: (action: CaseAction) => unknown = () => null) {
  calls = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    switch (cmd) {
      case "get_case":
        return record();
      case "catalog_list":
        return ITEMS;
      case "act_on_case":
        return act(a.action as CaseAction);
      default:
        throw { kind: "internal", message: `unexpected ${cmd}` };
    }
  });
}

async function openDrawer() {
  return mountOpened(CaseDetailDrawer, { projectNo: NO }, (w) => (wrapper = w));
}

function actionButtons(): string[] {
  return Array.from(document.body.querySelectorAll('[data-testid^="action-"]'))
    .map((b) => b.getAttribute("data-testid")!)
    .filter((id) => id !== "action-result" && id !== "action-error" && id !== "action-doc-view");
}

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  clearMocks();
  document.body.innerHTML = "";
});

describe("CaseDetailDrawer", () => {
  const expected: Record<CaseState, string[]> = {
    received: ["action-accept", "action-supplement", "action-reject", "action-withdraw"],
    supplement_requested: ["action-supplement-done", "action-reject", "action-withdraw"],
    supplement_done: ["action-accept", "action-supplement", "action-reject", "action-withdraw"],
    accepted: ["action-suspend", "action-extend", "action-supplement", "action-withdraw"],
    awaiting_supplement: ["action-supplement-done", "action-withdraw"],
    suspended: ["action-resume", "action-withdraw"],
    concluded: ["action-hand-over"],
    // 受理中: its own 帮我传 panel (change method, cancel), no workflow buttons.
    in_acceptance: [],
    rejected: [],
    withdrawn: [],
    handed_over: [],
  };
  for (const [state, buttons] of Object.entries(expected) as [CaseState, string[]][]) {
    it(`offers exactly the actions allowed when the case is ${state}`, async () => {
      backend(() => caseRecord(NO, { state }));
      await openDrawer();
      expect(byTestId("case-drawer")).not.toBeNull();
      expect(byTestId("detail-project-no")?.textContent).toBe(NO);
      expect(actionButtons()).toEqual(buttons);
    });
  }

  it("shows 收件时间, supplements, documents and the history", async () => {
    backend(() =>
      caseRecord(NO, {
        state: "supplement_requested",
        apply_date: "2026-11-22 09:00:00",
        acceptdate: "",
        supplements: [
          { requested_at: "2026-11-22 09:00:00", due_date: "2026-11-29", no: "M2", sj_file_name: "户口簿", reason: "未提供", done_at: null, due_estimate: null },
        ],
        documents: [
          { kind: "supplement", doc_no: "补字〔2026〕第08-00001号", title: "补齐补正通知书", created_at: "2026-11-22 09:00:00", size: 1, attachguid: null },
        ],
        history: [
          { at: "2026-11-22 09:00:00", actor: "王芳", window_no: "08", action: "补齐补正", from_state: null, to_state: "supplement_requested", opinion: "请补齐" },
        ],
      }),
    );
    await openDrawer();
    expect(byTestId("case-state")?.textContent?.trim()).toBe("待补正");
    expect(byTestId("detail-apply-date")?.textContent).toBe("2026-11-22 09:00:00");
    expect(byTestId("detail-accept-date")?.textContent).toBe("未受理");
    const supp = byTestId("detail-supplements")!.textContent!;
    expect(supp).toContain("户口簿");
    expect(supp).toContain("2026-11-29");
    expect(supp).toContain("待补正");
    expect(byTestId("detail-documents")?.textContent).toContain("补字〔2026〕第08-00001号");
    expect(byTestId("doc-view-supplement")).not.toBeNull();
    const items = document.body.querySelectorAll('[data-testid="history-item"]');
    expect(items).toHaveLength(1);
    expect(items[0]!.textContent).toContain("补齐补正");
    expect(items[0]!.textContent).toContain("王芳");
    expect(items[0]!.textContent).toContain("08号窗口");
    expect(items[0]!.textContent).toContain("请补齐");
  });

  it("shows a department's step without the hub's jargon", async () => {
    backend(
      () =>
        caseRecord(NO, {
          history: [
            { at: "2026-11-22 09:00:00", actor: "王芳", window_no: "08", action: "受理", from_state: "received", to_state: "accepted", opinion: "" },
            { at: "2026-11-23 09:00:00", actor: "天山区民政局", window_no: "办件中心", action: "部门办理：正常审批程序（B9）", from_state: "accepted", to_state: "accepted", opinion: "" },
          ],
        }),
      () => outcome(NO, "accepted", null),
    );
    await openDrawer();
    const items = document.body.querySelectorAll('[data-testid="history-item"]');
    expect(items).toHaveLength(2);
    const step = items[1]!;
    expect(step.textContent).toContain("部门办理：正常审批程序");
    expect(step.textContent).toContain("办件中心");
    expect(step.textContent).not.toContain("办件中心号窗口");
    expect(step.textContent).not.toContain("B9");
    expect(step.querySelector(".ev-action")?.getAttribute("title")).toBe("环节代码 B9");
    expect(items[0]!.textContent).toContain("08号窗口");
  });

  it("补正完成 sends the ticked materials with their copies, then 受理", async () => {
    let rec = caseRecord(NO, {
      state: "supplement_requested",
      acceptdate: "",
      supplements: [
        { requested_at: "2026-11-22 09:00:00", due_date: "2026-11-29", no: "M2", sj_file_name: "户口簿", reason: "未提供", done_at: null, due_estimate: null },
      ],
      documents: [],
    });
    const w = await (async () => {
      backend(
        () => rec,
        (action) => {
          if (action.action === "complete_supplement") {
            rec = { ...rec, state: "supplement_done", supplements: rec.supplements.map((s) => ({ ...s, done_at: "2026-11-23 10:00:00" })) };
            return { project_no: NO, case: rec, document: null };
          }
          return outcome(NO, "accepted", "acceptance");
        },
      );
      return openDrawer();
    })();

    byTestId("action-supplement-done")!.click();
    await settle();
    expect(byTestId("done-check-M2")).not.toBeNull();
    byTestId("done-check-M2")!.click();
    await settle();
    byTestId("done-confirm")!.click();
    await settle();
    const done = calls.filter((c) => c.cmd === "act_on_case")[0]!;
    expect(done.args).toEqual({
      projectNo: NO,
      action: { action: "complete_supplement", materiallist: [{ no: "M2", sj_file_name: "户口簿", sj_no: 2 }] },
    });
    expect(byTestId("case-state")?.textContent?.trim()).toBe("补正完成");
    expect(w.emitted("changed")).toHaveLength(1);
    expect(byTestId("action-result")?.textContent).toContain("补正完成，办件状态：补正完成");
    expect(byTestId("action-result")?.textContent).not.toContain("补正完成完成");

    byTestId("action-accept")!.click();
    await settle();
    expect(calls.filter((c) => c.cmd === "act_on_case")[1]!.args).toEqual({ projectNo: NO, action: { action: "accept" } });
    expect(byTestId("case-state")?.textContent?.trim()).toBe("已受理");
    expect(byTestId("action-result")?.textContent).toContain("受理通知书");
    expect(byTestId("action-result")?.textContent).toContain("受字〔2026〕第08-00001号");
    expect(actionButtons()).toEqual(["action-suspend", "action-extend", "action-supplement", "action-withdraw"]);
  });

  it("补齐补正 from the drawer preselects the required materials the case lacks", async () => {
    backend(
      () => caseRecord(NO, { state: "received", acceptdate: "" }), // has M1 only
      () => outcome(NO, "supplement_requested", "supplement"),
    );
    await openDrawer();
    byTestId("action-supplement")!.click();
    await settle();
    expect(byTestId("supplement-check-M2")?.classList.contains("is-checked")).toBe(true);
    expect(byTestId("supplement-check-M1")?.classList.contains("is-checked")).toBe(false);
    byTestId("supplement-confirm")!.click();
    await settle();
    expect(calls.find((c) => c.cmd === "act_on_case")?.args).toEqual({
      projectNo: NO,
      action: { action: "request_supplement", request: { materials: [{ no: "M2", sj_file_name: "", reason: "未提供" }], limit_days: 5, opinion: "" } },
    });
  });

  it("撤回 asks for a reason and a confirmation", async () => {
    backend(
      () => caseRecord(NO, { state: "received", acceptdate: "" }),
      () => outcome(NO, "withdrawn", null),
    );
    await openDrawer();
    byTestId("action-withdraw")!.click();
    await settle();
    const reason = byTestId<HTMLTextAreaElement>("withdraw-reason")!;
    reason.value = "申请人申请撤回";
    reason.dispatchEvent(new Event("input", { bubbles: true }));
    await flushPromises();
    byTestId("withdraw-confirm")!.click();
    await settle();
    expect(calls.some((c) => c.cmd === "act_on_case")).toBe(false);
    const box = document.body.querySelector(".el-message-box");
    expect(box?.textContent).toContain("撤回后不能恢复");
    (box!.querySelector(".el-button--primary") as HTMLElement).click();
    await settle();
    expect(calls.find((c) => c.cmd === "act_on_case")?.args).toEqual({
      projectNo: NO,
      action: { action: "withdraw", reason: "申请人申请撤回" },
    });
    expect(byTestId("case-state")?.textContent?.trim()).toBe("已撤回");
    expect(actionButtons()).toEqual([]);
  });

  it("says when the promised date rests on estimated holidays", async () => {
    const warning = "2027年节假日安排尚未导入，日期按法定节日估算";
    backend(() => caseRecord(NO, { promised_date: "2027-01-05", promised_date_estimate: warning }));
    await openDrawer();
    expect(byTestId("detail-promised-date")?.textContent).toBe("2027年1月5日");
    expect(byTestId("detail-promised-estimate")?.textContent).toBe(warning);
  });

  it("启动特别程序 sends the procedure and reason; the paused clock and its entries show", async () => {
    let state: CaseState = "accepted";
    const paused = () =>
      caseRecord(NO, {
        state: "suspended",
        promised_date: "2026-12-03",
        clock_paused: true,
        clock: [
          {
            kind: "special",
            special_name: "现场勘验",
            reason: "需现场核实经营场所",
            started_at: "2026-11-23 09:00:00",
            ended_at: null,
            result: "",
            amount: 0,
          },
        ],
      });
    backend(
      () => (state === "accepted" ? caseRecord(NO) : paused()),
      (action) => {
        if (action.action === "suspend" && action.special_name === "") {
          throw {
            kind: "validation",
            message: "输入有误",
            errors: [{ field: "special_name", label: "特别程序种类", message: "请选择或填写特别程序种类" }],
          };
        }
        state = "suspended";
        return { project_no: NO, case: paused(), document: null };
      },
    );
    await openDrawer();
    expect(byTestId("detail-promised-date")?.textContent).toBe("2026年11月27日");
    expect(byTestId("clock-paused")).toBeNull();

    byTestId("action-suspend")!.click();
    await settle();
    const reason = byTestId<HTMLTextAreaElement>("suspend-reason")!;
    reason.value = "需现场核实经营场所";
    reason.dispatchEvent(new Event("input", { bubbles: true }));
    await flushPromises();
    // Without a procedure name the backend's error shows under the select.
    byTestId("suspend-confirm")!.click();
    await settle();
    expect(byTestId("suspend-error-special_name")?.textContent).toContain("请选择或填写特别程序种类");

    byTestId("suspend-special-name")!.querySelector<HTMLElement>(".el-select__wrapper")!.click();
    await settle();
    byTestId("special-option-现场勘验")!.click();
    await settle();
    byTestId("suspend-confirm")!.click();
    await settle();
    expect(calls.filter((c) => c.cmd === "act_on_case").at(-1)?.args).toEqual({
      projectNo: NO,
      action: { action: "suspend", special_name: "现场勘验", reason: "需现场核实经营场所" },
    });
    expect(byTestId("case-state")?.textContent?.trim()).toBe("特别程序中");
    expect(byTestId("clock-paused")?.textContent).toContain("暂停计时中");
    expect(byTestId("detail-promised-date")?.textContent).toBe("2026年12月3日");
    const clock = byTestId("detail-clock")!.textContent!;
    expect(clock).toContain("特别程序");
    expect(clock).toContain("现场勘验");
    expect(clock).toContain("需现场核实经营场所");
    expect(clock).toContain("2026-11-23 09:00:00");
    expect(actionButtons()).toEqual(["action-resume", "action-withdraw"]);
  });

  it("延长审批 sends the amount in the promise's unit and the reason", async () => {
    backend(
      () => caseRecord(NO),
      () =>
        outcome(NO, "accepted", null),
    );
    await openDrawer();
    byTestId("action-extend")!.click();
    await settle();
    expect(document.body.querySelector('[data-testid="extend-dialog"]')?.textContent).toContain("延长时限（个工作日）");
    const amount = byTestId("extend-amount")!.querySelector("input")!;
    amount.value = "3";
    amount.dispatchEvent(new Event("input", { bubbles: true }));
    amount.dispatchEvent(new Event("change", { bubbles: true }));
    await flushPromises();
    const reason = byTestId<HTMLTextAreaElement>("extend-reason")!;
    reason.value = "情况复杂，经负责人批准";
    reason.dispatchEvent(new Event("input", { bubbles: true }));
    await flushPromises();
    byTestId("extend-confirm")!.click();
    await settle();
    expect(calls.find((c) => c.cmd === "act_on_case")?.args).toEqual({
      projectNo: NO,
      action: { action: "extend", amount: 3, reason: "情况复杂，经负责人批准" },
    });
  });

  it("shows how the case stands with the hub, and why a push failed", async () => {
    backend(() =>
      caseRecord(NO, {
        sync: { state: "pending", pending: 2, last_error: "", cd_sign: "0", cd_time: "" },
      }),
    );
    await openDrawer();
    expect(byTestId("case-sync")?.textContent?.trim()).toBe("待上报（2条）");
    expect(byTestId("case-sync-error")).toBeNull();
    wrapper?.unmount();
    document.body.innerHTML = "";
    backend(() =>
      caseRecord(NO, {
        sync: { state: "failed", pending: 0, last_error: "办件中心拒收：缺少必填项", cd_sign: "0", cd_time: "" },
      }),
    );
    await openDrawer();
    expect(byTestId("case-sync")?.textContent?.trim()).toBe("上报失败");
    expect(byTestId("case-sync-error")?.textContent).toContain("办件中心拒收：缺少必填项");
  });

  it("keeps the technical detail of a failed push off the alert", async () => {
    backend(() =>
      caseRecord(NO, {
        sync: {
          state: "failed",
          pending: 0,
          last_error: "无法连接办件中心（地址 http://127.0.0.1:9），请检查网络\n详情：tcp connect error: Connection refused (os error 111)",
          cd_sign: "0",
          cd_time: "",
        },
      }),
    );
    await openDrawer();
    const alert = byTestId("case-sync-error")!.textContent!;
    expect(alert).toContain("上报办件中心失败：无法连接办件中心（地址 http://127.0.0.1:9），请检查网络");
    expect(alert).not.toContain("os error");
  });

  it("shows a refused transition as an error and keeps the case", async () => {
    backend(
      () => caseRecord(NO, { state: "received", acceptdate: "" }),
      () => {
        throw { kind: "conflict", message: "不允许的操作：办件当前为“待补正”，不能受理" };
      },
    );
    await openDrawer();
    byTestId("action-accept")!.click();
    await settle();
    expect(byTestId("action-error")?.textContent).toContain("不能受理");
    expect(byTestId("case-state")?.textContent?.trim()).toBe("已收件");
  });
});
