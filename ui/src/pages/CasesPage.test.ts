import { afterEach, describe, expect, it } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";

import CasesPage from "./CasesPage.vue";
import type { CaseSummary } from "../bindings/CaseSummary";
import { REG_NO, caseRecord } from "../test/fixtures";

const NO = `${REG_NO}202611220001`;
const ROW: CaseSummary = {
  project_no: NO,
  dept_ql_name: "居民身份证换领",
  org_name: "区公安分局",
  applicant_name: "李堃",
  applicant_paper_code_masked: "110101********1239",
  state: "accepted",
  acceptdate: "2026-11-22 10:30:00",
  acceptusername: "王芳",
};

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

describe("CasesPage", () => {
  it("lists cases, searches by the typed text and opens a case's details", async () => {
    const searches: unknown[] = [];
    mockIPC((cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      if (cmd === "list_cases") {
        searches.push(a.search);
        return a.search === "张三" ? [] : [ROW];
      }
      if (cmd === "get_case") {
        expect(a.projectNo).toBe(NO);
        return caseRecord(NO);
      }
      throw { kind: "internal", message: cmd };
    });
    const w = mount(CasesPage, { attachTo: document.body, global: { plugins: [[ElementPlus, { locale: zhCn }]] } });
    await flushPromises();

    const row = w.find(`[data-testid="case-row-${NO}"]`);
    expect(row.exists()).toBe(true);
    expect(w.text()).toContain("110101********1239");
    expect(w.text()).toContain("已受理");

    await row.trigger("click");
    await flushPromises();
    await new Promise((r) => setTimeout(r, 50));
    const detail = document.body.querySelector('[data-testid="case-detail"]');
    expect(detail?.textContent).toContain("原居民身份证");
    expect(document.body.querySelector('[data-testid="detail-project-no"]')?.textContent).toBe(NO);

    const search = w.find('[data-testid="case-search"]');
    await search.setValue("张三");
    await search.trigger("keydown", { key: "Enter" });
    await flushPromises();
    expect(searches.at(-1)).toBe("张三");
    expect(w.find(`[data-testid="case-row-${NO}"]`).exists()).toBe(false);
    w.unmount();
  });
});
