import { afterEach, describe, expect, it } from "vitest";
import { flushPromises, mount, type VueWrapper } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";

import HubStatusPanel from "./HubStatusPanel.vue";
import type { HubStatus } from "../bindings/HubStatus";
import type { OutboxEntry } from "../bindings/OutboxEntry";

let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let wrapper: VueWrapper | null = null;

const DEAD: OutboxEntry = {
  id: 7,
  project_no: "07010700100011650102027227424N0202611220001",
  operation: "accept",
  event_code: "",
  version: 1,
  idem_key: "07010700100011650102027227424N0202611220001:accept:1",
  created_at: "2026-11-22 10:00:00",
  status: "dead",
  attempts: 1,
  next_attempt_at: "2026-11-22 10:00:02",
  last_error: "办件中心拒收：缺少必填项：申请者名称（applicant_name）",
  delivered_at: null,
};

function status(pending: number, dead: number, online: boolean): HubStatus {
  return {
    online,
    last_success_at: online ? "2026-11-22 10:05:00" : null,
    last_failure_at: online ? null : "2026-11-22 10:06:00",
    last_failure: online ? "" : "办件中心无法连接",
    outbox: {
      pending,
      dead,
      delivered: 3,
      oldest_pending_at: pending ? "2026-11-22 09:00:00" : null,
      next_attempt_at: pending ? "2026-11-22 10:06:30" : null,
    },
  };
}

function backend() {
  let dead = [DEAD];
  calls = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    switch (cmd) {
      case "hub_status":
        return status(2, dead.length, false);
      case "outbox_list":
        return dead;
      case "outbox_retry":
        dead = [];
        return { ...DEAD, status: "pending", attempts: 0 };
      case "sync_now":
        return status(0, dead.length, true);
      case "call_log":
        return [
          {
            id: 1,
            caller: "01窗口/培训学员",
            time: "2026-11-22 10:06:00",
            interface: "/share/projectcenter/pushAcceptProjectInfo",
            request: '{"params":{"projectlist":[{"projectinfo":"***"}]}}',
            response: null,
            http_status: null,
            duration_ms: 3001,
            outcome: "down",
            message: "办件中心无法连接",
          },
        ];
      default:
        throw { kind: "internal", message: `unexpected ${cmd}` };
    }
  });
}

function messages(): string {
  return Array.from(document.body.querySelectorAll(".el-message"))
    .map((m) => m.textContent ?? "")
    .join("\n");
}

async function settle() {
  await flushPromises();
  await new Promise((r) => setTimeout(r, 100));
  await flushPromises();
}

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  clearMocks();
  document.body.innerHTML = "";
});

describe("HubStatusPanel", () => {
  it("shows the queue, lists dead letters with their reason, and retries one", async () => {
    backend();
    wrapper = mount(HubStatusPanel, {
      attachTo: document.body,
      props: { connected: true, pollMs: 60_000 },
      global: { plugins: [[ElementPlus, { locale: zhCn }]] },
    });
    await settle();
    expect(wrapper.find('[data-testid="hub-status"]').text()).toContain("办件中心未连通");
    expect(wrapper.find('[data-testid="hub-pending"]').text()).toBe("待上报 2");
    expect(wrapper.find('[data-testid="hub-dead"]').text()).toBe("失败 1");

    await wrapper.find('[data-testid="hub-status"]').trigger("click");
    await settle();
    expect(document.body.querySelector('[data-testid="hub-log"]')!.textContent).toContain("办件中心无法连接");
    expect(calls.find((c) => c.cmd === "call_log")?.args).toEqual({ failuresOnly: false });
    const list = document.body.querySelector('[data-testid="hub-dead-list"]')!;
    expect(list.textContent).toContain("缺少必填项：申请者名称（applicant_name）");
    expect(document.body.querySelector('[data-testid="hub-last-failure"]')!.textContent).toContain("办件中心无法连接");

    (document.body.querySelector('[data-testid="hub-retry"]') as HTMLElement).click();
    await settle();
    expect(calls.find((c) => c.cmd === "outbox_retry")?.args).toEqual({ id: 7 });
    expect(document.body.querySelector('[data-testid="hub-dead-list"]')!.textContent).toContain("没有上报失败的信息");

    (document.body.querySelector('[data-testid="hub-sync-now"]') as HTMLElement).click();
    await settle();
    expect(calls.some((c) => c.cmd === "sync_now")).toBe(true);
    expect(wrapper.find('[data-testid="hub-status"]').text()).toContain("办件中心已连接");
    expect(messages()).toContain("已上报到期的办件信息");
  });

  it("立即上报 while the hub is down warns that the message still waits, with the retry time", async () => {
    const down: HubStatus = {
      online: false,
      last_success_at: null,
      last_failure_at: "2026-12-07T18:35:47.328523050+00:00",
      last_failure:
        "无法连接办件中心（地址 http://127.0.0.1:9），对方未响应连接，请检查网络或稍后重试\n详情：error sending request for url (http://127.0.0.1:9/x): Connection refused (os error 111)",
      outbox: { pending: 1, dead: 0, delivered: 0, oldest_pending_at: "2026-12-08 02:30:00", next_attempt_at: "2026-12-08 02:35:49" },
    };
    calls = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
      switch (cmd) {
        case "hub_status":
        case "sync_now":
          return down;
        case "outbox_list":
        case "call_log":
          return [];
        default:
          throw { kind: "internal", message: `unexpected ${cmd}` };
      }
    });
    wrapper = mount(HubStatusPanel, {
      attachTo: document.body,
      props: { connected: true, pollMs: 60_000 },
      global: { plugins: [[ElementPlus, { locale: zhCn }]] },
    });
    await settle();
    await wrapper.find('[data-testid="hub-status"]').trigger("click");
    await settle();
    // Hall time to the second, the clerk's message; the library's text only behind 详情.
    const failure = document.body.querySelector('[data-testid="hub-last-failure"]')!.textContent!;
    expect(failure).toContain("2026-12-08 02:35:47 无法连接办件中心（地址 http://127.0.0.1:9）");
    expect(failure).not.toContain("os error");
    expect(document.body.querySelector('[data-testid="hub-last-failure-detail"]')).toBeNull();
    (document.body.querySelector('[data-testid="hub-last-failure-toggle"]') as HTMLElement).click();
    await settle();
    expect(document.body.querySelector('[data-testid="hub-last-failure-detail"]')!.textContent).toContain(
      "Connection refused (os error 111)",
    );
    const dialog = document.body.querySelector('[data-testid="hub-dialog"]')?.closest(".el-dialog") ?? document.body;
    expect(dialog.textContent).not.toContain("+00:00");

    (document.body.querySelector('[data-testid="hub-sync-now"]') as HTMLElement).click();
    await settle();
    expect(calls.some((c) => c.cmd === "sync_now")).toBe(true);
    expect(messages()).toContain("上报失败，1条待上报，将于 02:35:49 重试");
    expect(messages()).not.toContain("已上报到期的办件信息");
    expect(document.body.querySelector(".el-message--warning")).not.toBeNull();
  });

  it("says when no hub is configured and cannot sync", async () => {
    backend();
    wrapper = mount(HubStatusPanel, {
      attachTo: document.body,
      props: { connected: false, pollMs: 60_000 },
      global: { plugins: [[ElementPlus, { locale: zhCn }]] },
    });
    await settle();
    expect(wrapper.find('[data-testid="hub-status"]').text()).toContain("办件中心未配置");
  });
});
