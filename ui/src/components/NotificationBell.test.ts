import { afterEach, describe, expect, it } from "vitest";
import { flushPromises, mount, type VueWrapper } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";

import NotificationBell from "./NotificationBell.vue";
import type { Notification } from "../bindings/Notification";

const NO = "07010700100011650102027227424N0202611220001";
let wrapper: VueWrapper | null = null;

function note(id: number, kind: string, title: string, read = false): Notification {
  return { id, created_at: "2026-11-22 10:00:00", kind, project_no: NO, title, body: "需补正材料：户口簿", read };
}

/** The badge's number as shown, "" when it is hidden. */
function badge(): string {
  const b = wrapper?.find(".el-badge__content");
  return b && b.exists() && b.isVisible() ? b.text() : "";
}

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  clearMocks();
  document.body.innerHTML = "";
});

describe("NotificationBell", () => {
  it("counts unread, pops up only new ones, marks read and opens the case", async () => {
    let list: Notification[] = [note(1, "concluded", "办件已办结，可出件：旧", true)];
    const marked: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "notifications") return list;
      if (cmd === "mark_notifications_read") {
        const ids = (args as { ids: number[] }).ids;
        marked.push(ids);
        list = list.map((n) => (ids.length === 0 || ids.includes(n.id) ? { ...n, read: true } : n));
        return ids.length;
      }
      throw new Error(`unexpected ${cmd}`);
    });
    wrapper = mount(NotificationBell, {
      props: { intervalMs: 60_000 },
      global: { plugins: [[ElementPlus, { locale: zhCn }]] },
      attachTo: document.body,
    });
    await flushPromises();
    // The first load shows what is there without popping anything up.
    expect(document.body.querySelectorAll(".el-notification")).toHaveLength(0);
    expect(badge()).toBe("");

    // A department asks for a supplement: one pop-up, the badge says 1.
    list = [note(2, "supplement_requested", "天山区市场监督管理局要求补正"), ...list];
    await (wrapper.vm as unknown as { refresh: () => Promise<void> }).refresh();
    await flushPromises();
    expect(document.body.querySelector(".el-notification")?.textContent).toContain("要求补正");
    expect(badge()).toBe("1");
    expect(wrapper.emitted("arrived")).toHaveLength(1);

    // In the list, clicking it marks it read and opens the case.
    await wrapper.find('[data-testid="notifications-bell"]').trigger("click");
    await flushPromises();
    const items = document.body.querySelectorAll('[data-testid="notification-item"]');
    expect(items).toHaveLength(2);
    (items[0] as HTMLElement).click();
    await flushPromises();
    expect(marked).toEqual([[2]]);
    expect(wrapper.emitted("open")).toEqual([[NO]]);
    expect(badge()).toBe("");
  });

  it("says so when the notifications cannot be read", async () => {
    mockIPC(() => {
      throw { kind: "storage", message: "数据库错误：磁盘已满" };
    });
    wrapper = mount(NotificationBell, {
      props: { intervalMs: 60_000 },
      global: { plugins: [[ElementPlus, { locale: zhCn }]] },
      attachTo: document.body,
    });
    await flushPromises();
    await wrapper.find('[data-testid="notifications-bell"]').trigger("click");
    await flushPromises();
    expect(document.body.textContent).toContain("读取通知失败：数据库错误：磁盘已满");
  });
});
