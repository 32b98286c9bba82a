import { afterEach, describe, expect, it } from "vitest";
import { flushPromises, mount, type VueWrapper } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";

import CalendarSettings from "./CalendarSettings.vue";
import type { CalendarOverview } from "../bindings/CalendarOverview";

let wrapper: VueWrapper | null = null;

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  clearMocks();
  document.body.innerHTML = "";
});

const before: CalendarOverview = {
  years: [
    { year: 2025, official: true, source: "国务院办公厅关于2025年部分节假日安排的通知" },
    { year: 2026, official: true, source: "国务院办公厅关于2026年部分节假日安排的通知" },
    { year: 2027, official: false, source: "" },
  ],
  reminder: "2027年节假日安排尚未导入。",
  reminder_year: 2027,
  reminder_seen: false,
};

const byTestId = (id: string) => document.body.querySelector<HTMLElement>(`[data-testid="${id}"]`);

async function choose(text: string) {
  const input = byTestId("settings-calendar-file") as HTMLInputElement;
  const file = new File([text], "2027.json", { type: "application/json" });
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  input.dispatchEvent(new Event("change"));
  await flushPromises();
  // The confirmation.
  document.body.querySelector<HTMLElement>(".el-message-box__btns .el-button--primary")!.click();
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setTimeout(r, 20));
    await flushPromises();
  }
}

describe("CalendarSettings", () => {
  it("lists official and estimated years, imports a file and lists the dates that moved", async () => {
    let overview = before;
    const imported: string[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "calendar_overview") return overview;
      if (cmd === "calendar_import") {
        imported.push((args as { text: string }).text);
        overview = {
          ...before,
          years: before.years.map((y) => (y.year === 2027 ? { ...y, official: true, source: "2027年通知" } : y)),
          reminder: null,
          reminder_year: null,
        };
        return {
          years: [2027],
          source: "2027年通知",
          changes: [
            { project_no: "N1", applicant_name: "赵堃", dept_ql_name: "居民身份证换领", what: "承诺办结日期", from: "2027-01-11", to: "2027-01-09" },
          ],
        };
      }
      throw new Error(`unexpected ${cmd}`);
    });
    wrapper = mount(CalendarSettings, { global: { plugins: [[ElementPlus, { locale: zhCn }]] }, attachTo: document.body });
    await flushPromises();
    expect(byTestId("calendar-year-2026")?.textContent).toContain("已导入官方安排");
    expect(byTestId("calendar-year-2027")?.textContent).toContain("按法定节日估算");
    expect(byTestId("calendar-reminder")?.textContent).toContain("2027年节假日安排尚未导入");

    await choose('{"years":[2027]}');
    expect(imported).toEqual(['{"years":[2027]}']);
    const result = byTestId("calendar-import-result")!.textContent!;
    expect(result).toContain("已导入2027年节假日安排");
    expect(result).toContain("赵堃 · 居民身份证换领：承诺办结日期由2027年1月11日调整为2027年1月9日");
    expect(byTestId("calendar-year-2027")?.textContent).toContain("已导入官方安排");
    expect(byTestId("calendar-reminder")).toBeNull();
  });

  it("shows a refused file's errors by entry and changes nothing", async () => {
    mockIPC((cmd) => {
      if (cmd === "calendar_overview") return before;
      if (cmd === "calendar_import") {
        throw {
          kind: "validation",
          message: "输入有误",
          errors: [{ field: "calendar", label: "节假日安排文件", message: "调休上班日（workdays）第2条：日期“2027-02-30”无效（应为 YYYY-MM-DD 格式的真实日期）" }],
        };
      }
      throw new Error(`unexpected ${cmd}`);
    });
    wrapper = mount(CalendarSettings, { global: { plugins: [[ElementPlus, { locale: zhCn }]] }, attachTo: document.body });
    await flushPromises();
    await choose("{}");
    expect(byTestId("settings-calendar-errors")?.textContent).toContain("第2条");
    expect(byTestId("calendar-import-result")).toBeNull();
    expect(byTestId("calendar-year-2027")?.textContent).toContain("按法定节日估算");
  });
});
