import { afterEach, describe, expect, it } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";

import SupervisePage from "./SupervisePage.vue";
import type { PendingCase } from "../bindings/PendingCase";
import type { PendingFilter } from "../bindings/PendingFilter";
import { ITEMS, REG_NO } from "../test/fixtures";

const RED: PendingCase = {
  project_no: `${REG_NO}202611020001`,
  dept_ql_reg_no: REG_NO,
  dept_ql_name: "居民身份证换领",
  org_name: "区公安分局",
  applicant_name: "李堃",
  state: "accepted",
  acceptdate: "2026-11-02 10:00:00",
  acceptusername: "王芳",
  window_no: "08",
  promise_text: "5个工作日",
  due_date: "2026-11-09",
  working_days_left: -5,
  level: "red",
  clock_paused: false,
  due_estimate: null,
};
const YELLOW: PendingCase = { ...RED, project_no: `${REG_NO}202611160001`, due_date: "2026-11-17", working_days_left: 1, level: "yellow" };

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

async function settle() {
  await flushPromises();
  await new Promise((r) => setTimeout(r, 150));
  await flushPromises();
}

function byTestId<T extends HTMLElement = HTMLElement>(id: string): T | null {
  return document.body.querySelector<T>(`[data-testid="${id}"]`);
}

function all(id: string): string[] {
  return Array.from(document.body.querySelectorAll(`[data-testid="${id}"]`)).map((e) => e.textContent!.trim());
}

describe("SupervisePage", () => {
  it("lists pending cases with their warning, filters to 红牌, issues a 督办 and shows the backend's field error", { timeout: 20000 }, async () => {
    const filters: PendingFilter[] = [];
    const issued: Record<string, unknown>[] = [];
    mockIPC((cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      switch (cmd) {
        case "catalog_list":
          return ITEMS;
        case "supervise_pending": {
          const f = a.filter as PendingFilter;
          filters.push(f);
          const cases = [RED, YELLOW].filter((c) => f.level === null || c.level === f.level);
          return { today: "2026-11-16", threshold: { kind: "working_days_left", value: 1 }, cases, truncated: false };
        }
        case "supervision_orders":
          return [];
        case "issue_supervision_order":
          issued.push(a);
          if ((a.text as string).includes("坏")) {
            throw { kind: "validation", message: "输入有误", errors: [{ field: "text", label: "督办内容", message: "督办内容最多1000字，请精简后再提交" }] };
          }
          return { id: 1, project_no: a.projectNo, issued_at: "", issued_by: "", issued_window: "", text: a.text, reply_by: null, replies: [], closed_at: null, closed_by: "", closed_window: "", close_note: "" };
        default:
          throw { kind: "internal", message: `unexpected ${cmd}` };
      }
    });
    const w = mount(SupervisePage, { attachTo: document.body, global: { plugins: [[ElementPlus, { locale: zhCn }]] } });
    await (w.vm as unknown as { refresh: () => Promise<void> }).refresh();
    await settle();
    expect(all("sv-level-tag")).toEqual(["红牌", "黄牌"]);
    expect(byTestId("sv-summary")!.textContent).toContain("共 2 件");
    expect(w.text()).toContain("超期5个工作日");
    expect(filters[0]).toEqual({
      window_no: null,
      clerk: null,
      item: null,
      department: null,
      state: null,
      due_from: null,
      due_to: null,
      level: null,
      limit: null,
    });

    byTestId("sv-level-red")!.querySelector("input")!.click();
    await settle();
    expect(filters.at(-1)!.level).toBe("red");
    expect(all("sv-level-tag")).toEqual(["红牌"]);

    byTestId("sv-issue")!.click();
    await settle();
    const box = byTestId<HTMLTextAreaElement>("order-reason")!;
    box.value = "坏";
    box.dispatchEvent(new Event("input"));
    await flushPromises();
    byTestId("order-confirm")!.click();
    await settle();
    expect(issued[0]).toEqual({ projectNo: RED.project_no, text: "坏", replyBy: null });
    expect(byTestId("order-error-reason")!.textContent).toContain("督办内容最多1000字");

    box.value = "请说明超期原因";
    box.dispatchEvent(new Event("input"));
    await flushPromises();
    byTestId("order-confirm")!.click();
    await settle();
    expect(issued[1]).toEqual({ projectNo: RED.project_no, text: "请说明超期原因", replyBy: null });
    w.unmount();
  });
});
