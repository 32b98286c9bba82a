import { afterEach, describe, expect, it } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";

import CasesPage from "./CasesPage.vue";
import type { CaseSummary } from "../bindings/CaseSummary";
import { REG_NO } from "../test/fixtures";

const NO = `${REG_NO}202611220001`;
const NO2 = `${REG_NO}202611220002`;
const ROW: CaseSummary = {
  project_no: NO,
  dept_ql_name: "居民身份证换领",
  org_name: "区公安分局",
  applicant_name: "李堃",
  applicant_paper_code_masked: "110101********1239",
  state: "accepted",
  apply_date: "2026-11-22 10:20:00",
  acceptdate: "2026-11-22 10:30:00",
  acceptusername: "王芳",
};
const ROW2: CaseSummary = {
  ...ROW,
  project_no: NO2,
  applicant_name: "张三",
  state: "supplement_requested",
  apply_date: "2026-11-22 11:00:00",
  acceptdate: "",
  acceptusername: "",
};

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

describe("CasesPage", () => {
  it("lists cases with 收件时间 and 受理时间, searches, filters by state and opens a case", async () => {
    const searches: unknown[] = [];
    const filters: unknown[] = [];
    mockIPC((cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      if (cmd === "list_cases") {
        searches.push(a.search);
        filters.push(a.stateFilter);
        if (a.search === "王五") return [];
        return [ROW2, ROW].filter((r) => a.stateFilter === null || r.state === a.stateFilter);
      }
      throw { kind: "internal", message: cmd };
    });
    const w = mount(CasesPage, { attachTo: document.body, global: { plugins: [[ElementPlus, { locale: zhCn }]] } });
    await flushPromises();

    const row = w.find(`[data-testid="case-row-${NO}"]`);
    expect(row.exists()).toBe(true);
    const text = w.text();
    expect(text).toContain("110101********1239");
    expect(text).toContain("收件时间");
    expect(text).toContain("2026-11-22 10:20:00");
    expect(text).toContain("2026-11-22 10:30:00");
    expect(w.find(`[data-testid="case-state-${NO}"]`).text()).toBe("已受理");
    expect(w.find(`[data-testid="case-state-${NO2}"]`).text()).toBe("待补正");

    await row.trigger("click");
    expect(w.emitted("open")).toEqual([[NO]]);

    // Every state is offered in the filter; choosing one narrows the list.
    await w.find('[data-testid="state-filter"]').trigger("click");
    await flushPromises();
    const options = Array.from(document.body.querySelectorAll('[data-testid^="state-option-"]')).map((o) => o.textContent?.trim());
    expect(options).toEqual([
      "全部状态", "已收件", "受理中", "待补正", "补正完成", "已受理", "受理后待补正", "特别程序中", "已办结", "已出件",
      "不予受理", "已撤回",
    ]);
    expect(filters).toEqual([null]);
    (document.body.querySelector('[data-testid="state-option-supplement_requested"]') as HTMLElement).click();
    await flushPromises();
    // The state goes to the backend with the search (the list is not narrowed here).
    expect(filters.at(-1)).toBe("supplement_requested");
    expect(w.find(`[data-testid="case-row-${NO}"]`).exists()).toBe(false);
    expect(w.find(`[data-testid="case-row-${NO2}"]`).exists()).toBe(true);
    expect(w.find('[data-testid="case-total"]').text()).toBe("共 1 件");

    const search = w.find('[data-testid="case-search"]');
    await search.setValue("王五");
    await search.trigger("keydown", { key: "Enter" });
    await flushPromises();
    expect(searches.at(-1)).toBe("王五");
    expect(w.find(`[data-testid="case-row-${NO2}"]`).exists()).toBe(false);

    // 调取办件 with several matches lands here with the text searched and no state filter.
    (w.vm as unknown as { showSearch: (q: string) => void }).showSearch("0001");
    await flushPromises();
    expect(searches.at(-1)).toBe("0001");
    expect(filters.at(-1)).toBeNull();
    expect(w.find(`[data-testid="case-row-${NO2}"]`).exists()).toBe(true);
    w.unmount();
  });
});
