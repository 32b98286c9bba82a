import { afterEach, describe, expect, it } from "vitest";
import { flushPromises, mount, type VueWrapper } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";

import App from "./App.vue";
import type { CaseSummary } from "./bindings/CaseSummary";
import type { AuthStatus } from "./bindings/AuthStatus";
import { CLERK_STATUS, ITEMS, PROFILE, REG_NO, SIGNED_OUT, caseRecord } from "./test/fixtures";

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

/** The mock backend's session: signed in as the clerk unless a test says otherwise. */
let session: AuthStatus = CLERK_STATUS;
/** When set, every gated command is refused as the core refuses a locked session. */
let lockedMessage = "";
/** The years whose calendar reminder an administrator has seen. */
let calendarSeen: number[] = [];

function backend(demo = false) {
  calls = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    if (lockedMessage && !["auth_status", "unlock_session", "sign_out", "app_info"].includes(cmd)) {
      throw { kind: "unauthenticated", message: lockedMessage };
    }
    switch (cmd) {
      case "auth_status":
        return session;
      case "sign_in":
        if (a.password !== "Clerk2026x") throw { kind: "unauthenticated", message: "登录名或密码错误" };
        session = CLERK_STATUS;
        return session;
      case "sign_out":
        session = SIGNED_OUT;
        return session;
      case "unlock_session":
        if (a.password !== "Clerk2026x") throw { kind: "unauthenticated", message: "登录名或密码错误" };
        lockedMessage = "";
        session = CLERK_STATUS;
        return session;
      case "keep_alive":
        return null;
      case "notifications":
        return [];
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
      case "calendar_overview":
        return {
          years: [],
          reminder: "2027年节假日安排尚未导入。国务院办公厅发布2027年节假日安排后，请管理员及时导入。",
          reminder_year: 2027,
          reminder_seen: calendarSeen.includes(2027),
        };
      case "calendar_reminder_seen":
        calendarSeen.push(a.year as number);
        return null;
      case "hub_status":
        return {
          online: false,
          last_success_at: null,
          last_failure_at: null,
          last_failure: "",
          outbox: { pending: 0, dead: 0, delivered: 0, oldest_pending_at: null, next_attempt_at: null },
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
  session = CLERK_STATUS;
  lockedMessage = "";
  calendarSeen = [];
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

function mountApp(): VueWrapper {
  const w = mount(App, { attachTo: document.body, global: { plugins: [[ElementPlus, { locale: zhCn }]] } });
  wrapper = w;
  return w;
}

describe("sign-in and the idle lock", () => {
  it("signed out: the sign-in page, a wrong password in Chinese, then the desk with the clerk's name", async () => {
    session = SIGNED_OUT;
    backend();
    const w = mountApp();
    await settle();
    expect(w.find('[data-testid="signin-page"]').exists()).toBe(true);
    expect(w.find('[data-testid="nav-intake"]').exists()).toBe(false);
    expect(calls.some((c) => c.cmd === "catalog_list")).toBe(false);

    await w.find('[data-testid="signin-login"]').setValue("clerk03");
    await w.find('[data-testid="signin-password"]').setValue("wrong");
    await w.find('[data-testid="signin-submit"]').trigger("click");
    await settle();
    expect(w.find('[data-testid="signin-error"]').text()).toContain("登录名或密码错误");

    await w.find('[data-testid="signin-password"]').setValue("Clerk2026x");
    await w.find('[data-testid="signin-submit"]').trigger("click");
    await settle();
    expect(w.find('[data-testid="signin-page"]').exists()).toBe(false);
    const user = w.find('[data-testid="signed-in-user"]').text();
    expect(user).toContain("李娜");
    expect(user).toContain("03号窗口");
    expect(user).toContain("窗口人员");
    // A clerk sees no 账号管理 and no 窗口设置.
    expect(w.find('[data-testid="nav-accounts"]').exists()).toBe(false);
    expect(w.find('[data-testid="open-settings"]').exists()).toBe(false);

    await w.find('[data-testid="sign-out"]').trigger("click");
    await settle();
    expect(w.find('[data-testid="signin-page"]').exists()).toBe(true);
  });

  it("a command refused as locked shows the lock over the form, which survives the unlock", async () => {
    backend();
    const w = mountApp();
    await settle();
    const name = w.find('[data-testid="applicant-name"]');
    await name.setValue("王小明");

    lockedMessage = "超过15分钟未操作，窗口已锁定，请输入密码解锁";
    session = { ...CLERK_STATUS, locked: true };
    await recall(w, NO);
    await settle();
    const overlay = w.find('[data-testid="lock-overlay"]');
    expect(overlay.exists()).toBe(true);
    expect(overlay.text()).toContain("窗口已锁定");

    await w.find('[data-testid="lock-password"]').setValue("wrong");
    await w.find('[data-testid="lock-unlock"]').trigger("click");
    await settle();
    expect(w.find('[data-testid="lock-error"]').text()).toBe("登录名或密码错误");

    await w.find('[data-testid="lock-password"]').setValue("Clerk2026x");
    await w.find('[data-testid="lock-unlock"]').trigger("click");
    await settle();
    expect(w.find('[data-testid="lock-overlay"]').exists()).toBe(false);
    expect((w.find('[data-testid="applicant-name"]').element as HTMLInputElement).value).toBe("王小明");
  });

  it("on the demo desk the demo accounts sign in with one click", async () => {
    const clerk = CLERK_STATUS.account!;
    session = { ...SIGNED_OUT, demo_accounts: [{ ...clerk, login: "clerk01", display_name: "培训学员" }], demo_password: "Clerk2026x" };
    backend();
    const w = mountApp();
    await settle();
    expect(w.find('[data-testid="demo-accounts"]').text()).toContain("培训学员");
    await w.find('[data-testid="demo-account-clerk01"]').trigger("click");
    await settle();
    expect(calls.find((c) => c.cmd === "sign_in")?.args).toEqual({ login: "clerk01", password: "Clerk2026x" });
    expect(w.find('[data-testid="signed-in-user"]').exists()).toBe(true);
  });

  it("a desk without accounts opens on the first-run page", async () => {
    session = { ...SIGNED_OUT, has_accounts: false };
    backend();
    const w = mountApp();
    await settle();
    expect(w.find('[data-testid="first-run-page"]').exists()).toBe(true);
  });
});

describe("培训模式", () => {
  it("the demo window shows a banner on every page that cannot be closed, and the 培训控制 page", async () => {
    session = { ...CLERK_STATUS, permissions: [...CLERK_STATUS.permissions, "trainer_controls"] };
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

describe("节假日安排 reminder", () => {
  it("an administrator sees it once, under the header, until 知道了", async () => {
    session = { ...CLERK_STATUS, permissions: [...CLERK_STATUS.permissions, "desk_settings"] };
    backend();
    let w = mount(App, { attachTo: document.body, global: { plugins: [[ElementPlus, { locale: zhCn }]] } });
    wrapper = w;
    await settle();
    const banner = w.find('[data-testid="calendar-reminder-banner"]');
    expect(banner.text()).toContain("2027年节假日安排尚未导入");
    await w.find('[data-testid="calendar-reminder-dismiss"]').trigger("click");
    await settle();
    expect(w.find('[data-testid="calendar-reminder-banner"]').exists()).toBe(false);
    expect(calendarSeen).toEqual([2027]);
    // Signed in again: seen, so not shown.
    w.unmount();
    w = mount(App, { attachTo: document.body, global: { plugins: [[ElementPlus, { locale: zhCn }]] } });
    wrapper = w;
    await settle();
    expect(w.find('[data-testid="calendar-reminder-banner"]').exists()).toBe(false);
  });

  it("a clerk is not asked about the calendar", async () => {
    backend();
    const w = mount(App, { attachTo: document.body, global: { plugins: [[ElementPlus, { locale: zhCn }]] } });
    wrapper = w;
    await settle();
    expect(w.find('[data-testid="calendar-reminder-banner"]').exists()).toBe(false);
    expect(calls.some((c) => c.cmd === "calendar_overview")).toBe(false);
  });
});
