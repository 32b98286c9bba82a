import { afterEach, describe, expect, it } from "vitest";
import { flushPromises, mount, type VueWrapper } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";

import TrainerPage from "./TrainerPage.vue";
import type { DemoStatus } from "../bindings/DemoStatus";
import type { PendingReview } from "../bindings/PendingReview";

const NO = "07011200200011650102030128283R0202611230001";

let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let wrapper: VueWrapper | null = null;

function backend() {
  let status: DemoStatus = {
    clock: { offset_secs: 0, now: "2026-11-23 10:00:00", offset_text: "未调整" },
    hub_mode: "normal",
  };
  let red = false;
  calls = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    switch (cmd) {
      case "demo_status":
        return status;
      case "demo_set_hub_mode":
        status = { ...status, hub_mode: a.mode as DemoStatus["hub_mode"] };
        return status;
      case "demo_move_clock":
        red = true;
        status = { ...status, clock: { offset_secs: 7 * 86400, now: "2026-11-30 10:00:00", offset_text: "已前移7天" } };
        return status;
      case "demo_reset":
        red = false;
        status = { ...status, clock: { offset_secs: 0, now: "2026-11-23 10:00:00", offset_text: "未调整" } };
        return 40;
      case "demo_request_supplement":
        return null;
      case "demo_warnings": {
        const review: PendingReview = {
          today: status.clock.now.slice(0, 10),
          threshold: { unit: "working_days", amount: 1 } as unknown as PendingReview["threshold"],
          truncated: false,
          cases: [
            {
              project_no: NO,
              dept_ql_reg_no: "07011200200011650102030128283R0",
              dept_ql_name: "就业困难人员认定",
              org_name: "区人社局",
              applicant_name: "王喆",
              state: "accepted",
              acceptdate: "2026-11-23 09:00:00",
              acceptusername: "培训学员",
              window_no: "01",
              promise_text: "5个工作日",
              due_date: "2026-11-28",
              working_days_left: red ? -1 : 4,
              level: red ? "red" : "normal",
              clock_paused: false,
              due_estimate: null,
            },
          ],
        };
        return review;
      }
      default:
        throw { kind: "internal", message: `unexpected ${cmd}` };
    }
  });
}

async function settle() {
  await flushPromises();
  await new Promise((r) => setTimeout(r, 100));
  await flushPromises();
}

function click(id: string) {
  (document.body.querySelector(`[data-testid="${id}"]`) as HTMLElement).click();
}

function text(id: string) {
  return document.body.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? "";
}

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  clearMocks();
  document.body.innerHTML = "";
});

function mountPage() {
  wrapper = mount(TrainerPage, {
    attachTo: document.body,
    props: { active: true },
    global: { plugins: [[ElementPlus, { locale: zhCn }]] },
  });
  return wrapper;
}

describe("培训控制", () => {
  it("switches the hub, moves the clock, and shows the case turning red", async () => {
    backend();
    mountPage();
    await settle();
    expect(text("trainer-hub-mode")).toBe("正常");
    expect(text("trainer-red-count")).toBe("红牌 0");
    expect(document.body.textContent).not.toMatch(/7\.2\.\d/); // no interface numbers on screen

    click("trainer-hub-down");
    await settle();
    expect(calls.find((c) => c.cmd === "demo_set_hub_mode")?.args).toEqual({ mode: "down" });
    expect(text("trainer-hub-mode")).toBe("断开");

    click("trainer-clock-7d");
    await settle();
    expect(calls.find((c) => c.cmd === "demo_move_clock")?.args).toEqual({ shift: "+7d" });
    expect(text("trainer-clock-offset")).toBe("已前移7天");
    expect(text("trainer-red-count")).toBe("红牌 1");
    expect(text("trainer-warnings")).toContain(NO);
  });

  it("asks for a case number before a department's supplement request", async () => {
    backend();
    const w = mountPage();
    await settle();
    click("trainer-supplement");
    await settle();
    expect(calls.some((c) => c.cmd === "demo_request_supplement")).toBe(false);
    expect(document.body.textContent).toContain("请填写办件编号");

    await w.find('[data-testid="trainer-supplement-no"]').setValue(` ${NO} `);
    click("trainer-supplement");
    await settle();
    expect(calls.find((c) => c.cmd === "demo_request_supplement")?.args).toEqual({ projectNo: NO, opinion: "" });
  });

  it("resets only after 确认, and tells the app", async () => {
    backend();
    const w = mountPage();
    await settle();
    click("trainer-reset");
    await settle();
    expect(document.body.querySelector(".el-message-box")?.textContent).toContain("确认重置吗");
    (document.body.querySelector(".el-message-box__btns .el-button:not(.el-button--primary)") as HTMLElement).click();
    await settle();
    expect(calls.some((c) => c.cmd === "demo_reset")).toBe(false);

    click("trainer-reset");
    await settle();
    // The first box may still be fading out: the newest one is last.
    const confirms = document.body.querySelectorAll(".el-message-box__btns .el-button--primary");
    (confirms[confirms.length - 1] as HTMLElement).click();
    await settle();
    expect(calls.some((c) => c.cmd === "demo_reset")).toBe(true);
    expect(w.emitted("reset")).toHaveLength(1);
    expect(text("trainer-clock-offset")).toBe("未调整");
  });
});
