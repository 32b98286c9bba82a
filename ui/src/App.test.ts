import { afterEach, describe, expect, it } from "vitest";
import { flushPromises, mount, type VueWrapper } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";

import App from "./App.vue";
import type { CaseSummary } from "./bindings/CaseSummary";
import { ITEMS, PROFILE, REG_NO, caseRecord } from "./test/fixtures";

const NO = `${REG_NO}202611220001`;
const NO2 = `${REG_NO}202611220002`;

function summary(no: string, name: string): CaseSummary {
  return {
    project_no: no,
    dept_ql_name: "居民身份证换领",
    org_name: "区公安分局",
    applicant_name: name,
    applicant_paper_code_masked: "110101********1239",
    state: "received",
    apply_date: "2026-11-22 10:20:00",
    acceptdate: "",
    acceptusername: "",
  };
}

let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let wrapper: VueWrapper | null = null;

function backend(demo = false) {
  calls = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    switch (cmd) {
      case "desk_profile":
        return PROFILE;
      case "app_info":
        return { version: "0.1.0", data_dir: "/tmp/x", demo, hub_connected: false };
      case "demo_status":
        return { clock: { offset_secs: 0, now: "2026-11-23 10:00:00", offset_text: "未调整" }, hub_mode: "normal" };
      case "demo_warnings":
        return { today: "2026-11-23", threshold: { kind: "working_days_left", value: 1 }, cases: [], truncated: false };
      case "catalog_list":
        return ITEMS;
      case "load_draft":
        return null;
      case "list_cases": {
        const all = [summary(NO2, "李四"), summary(NO, "李堃")];
        const q = (a.search as string | null) ?? "";
        return all.filter((c) => c.project_no === q || c.project_no.endsWith(q) || c.applicant_name.includes(q));
      }
      case "get_case":
        return caseRecord(a.projectNo as string, { state: "received", acceptdate: "" });
      case "hub_status":
        return {
          online: false,
          last_success_at: null,
          last_failure_at: null,
          last_failure: "",
          outbox: { pending: 0, dead: 0, delivered: 0, oldest_pending_at: null },
        };
      default:
        throw { kind: "internal", message: `unexpected ${cmd}` };
    }
  });
}

async function settle() {
  await flushPromises();
  await new Promise((r) => setTimeout(r, 150));
  await flushPromises();
}

async function recall(w: VueWrapper, text: string) {
  const input = w.find('[data-testid="recall-input"]');
  await input.setValue(text);
  await input.trigger("keydown", { key: "Enter" });
  await settle();
}

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  clearMocks();
  document.body.innerHTML = "";
});

describe("调取办件", () => {
  it("a scanned case number that matches one case opens its drawer", async () => {
    backend();
    const w = mount(App, { attachTo: document.body, global: { plugins: [[ElementPlus, { locale: zhCn }]] } });
    wrapper = w;
    await settle();

    await recall(w, NO);
    expect(calls.filter((c) => c.cmd === "list_cases").at(-1)?.args).toEqual({ search: NO, stateFilter: null });
    expect(calls.find((c) => c.cmd === "get_case")?.args).toEqual({ projectNo: NO });
    expect(document.body.querySelector('[data-testid="detail-project-no"]')?.textContent).toBe(NO);
    expect(document.body.querySelector('[data-testid="case-state"]')?.textContent?.trim()).toBe("已收件");
    // Ready for the next scan; the clerk stays on the intake page.
    expect((w.find('[data-testid="recall-input"]').element as HTMLInputElement).value).toBe("");
    expect(w.find('[data-testid="nav-intake"]').classes()).toContain("active");
  });

  it("several matches open the case list, filtered", async () => {
    backend();
    const w = mount(App, { attachTo: document.body, global: { plugins: [[ElementPlus, { locale: zhCn }]] } });
    wrapper = w;
    await settle();

    await recall(w, "李");
    expect(calls.some((c) => c.cmd === "get_case")).toBe(false);
    expect(w.find('[data-testid="nav-cases"]').classes()).toContain("active");
    expect((w.find('[data-testid="case-search"]').element as HTMLInputElement).value).toBe("李");
    expect(w.find(`[data-testid="case-row-${NO}"]`).exists()).toBe(true);
    expect(w.find(`[data-testid="case-row-${NO2}"]`).exists()).toBe(true);
  });
});

describe("培训模式", () => {
  it("the demo window shows a banner on every page that cannot be closed, and the 培训控制 page", async () => {
    backend(true);
    const w = mount(App, { attachTo: document.body, global: { plugins: [[ElementPlus, { locale: zhCn }]] } });
    wrapper = w;
    await settle();
    const banner = w.find('[data-testid="demo-banner"]');
    expect(banner.text()).toContain("培训模式");
    expect(banner.text()).toContain("培训演示 · 非正式文书");
    expect(banner.find("button").exists()).toBe(false);
    for (const nav of ["nav-cases", "nav-trainer", "nav-intake"]) {
      await w.find(`[data-testid="${nav}"]`).trigger("click");
      await settle();
      expect(w.find('[data-testid="demo-banner"]').isVisible()).toBe(true);
    }
    await w.find('[data-testid="nav-trainer"]').trigger("click");
    await settle();
    expect(w.find('[data-testid="trainer-page"]').isVisible()).toBe(true);
  });

  it("a real desk shows neither", async () => {
    backend();
    const w = mount(App, { attachTo: document.body, global: { plugins: [[ElementPlus, { locale: zhCn }]] } });
    wrapper = w;
    await settle();
    expect(w.find('[data-testid="demo-banner"]').exists()).toBe(false);
    expect(w.find('[data-testid="nav-trainer"]').exists()).toBe(false);
    expect(calls.some((c) => c.cmd.startsWith("demo_"))).toBe(false);
  });
});
