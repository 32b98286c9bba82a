import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushPromises, mount, type VueWrapper } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";

import NoticePreview from "./NoticePreview.vue";
import { REG_NO, caseRecord } from "../test/fixtures";

// pdf.js needs a real canvas; these tests only need pages to appear.
vi.mock("../lib/pdf", () => ({
  renderPdf: vi.fn(async (_bytes: Uint8Array, el: HTMLElement) => {
    const c = document.createElement("canvas");
    c.dataset.testid = "pdf-page";
    el.appendChild(c);
    return 1;
  }),
}));

const NO = `${REG_NO}202611220001`;

let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let wrapper: VueWrapper | null = null;

function backend(printers: string[] | "fail", printAction: "打印" | "重印" = "打印") {
  calls = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    switch (cmd) {
      case "notice_pdf":
        return new Uint8Array([0x25, 0x50, 0x44, 0x46]).buffer;
      case "list_printers":
        if (printers === "fail") throw { kind: "conflict", message: "找不到打印服务（CUPS）" };
        return printers;
      case "print_notice":
        return "YichuangPDF-42";
      case "record_dialog_print":
        return null;
      case "get_case": {
        const rec = caseRecord(NO);
        rec.history.push({ ...rec.history[0]!, action: printAction, opinion: "受理通知书" });
        return rec;
      }
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

async function openPreview() {
  const w = mount(NoticePreview, {
    attachTo: document.body,
    props: { modelValue: true, projectNo: NO, kind: "acceptance" },
    global: { plugins: [[ElementPlus, { locale: zhCn }]] },
  });
  wrapper = w;
  await settle();
  return w;
}

function byTestId<T extends HTMLElement = HTMLElement>(id: string): T | null {
  return document.body.querySelector<T>(`[data-testid="${id}"]`);
}

beforeEach(() => {
  localStorage.clear();
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  clearMocks();
  vi.restoreAllMocks();
  document.body.innerHTML = "";
});

describe("printing a notice", () => {
  it("with no printer, falls back to the system print dialog and logs the print", async () => {
    backend([]);
    const print = vi.spyOn(window, "print").mockImplementation(() => {
      // While the dialog is up, only the rendered pages are in the print container.
      expect(document.body.querySelector('[data-testid="print-root"] canvas')).not.toBeNull();
    });
    await openPreview();
    expect(byTestId("preview-print")?.textContent).toContain("Ctrl+P");
    byTestId("preview-print")!.click();
    await settle();
    expect(byTestId("print-dialog")).not.toBeNull();
    expect(byTestId("print-error")?.textContent).toContain("未找到可用的打印机");
    expect(byTestId<HTMLButtonElement>("print-confirm")!.disabled).toBe(true);

    byTestId("print-system-dialog")!.click();
    await settle();
    expect(print).toHaveBeenCalledTimes(1);
    expect(calls.find((c) => c.cmd === "record_dialog_print")?.args).toEqual({ projectNo: NO, kind: "acceptance" });
    expect(calls.some((c) => c.cmd === "print_notice")).toBe(false);
    expect(document.body.querySelector(".el-message")?.textContent).toContain("打印已记录");
  });

  it("prints on the remembered printer with Ctrl+P, shows the job and that the reprint is logged", async () => {
    backend(["HP-Front", "YichuangPDF"], "重印");
    localStorage.setItem("yichuang.printer", "YichuangPDF");
    await openPreview();
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "p", ctrlKey: true, bubbles: true }));
    await settle();
    expect(byTestId("print-dialog")).not.toBeNull();
    const copies = byTestId("print-copies")!.querySelector("input")!;
    copies.value = "2";
    copies.dispatchEvent(new Event("input", { bubbles: true }));
    copies.dispatchEvent(new Event("change", { bubbles: true }));
    await flushPromises();
    byTestId("print-confirm")!.click();
    await settle();
    expect(calls.find((c) => c.cmd === "print_notice")?.args).toEqual({
      projectNo: NO,
      kind: "acceptance",
      printer: "YichuangPDF",
      copies: 2,
    });
    const msg = document.body.querySelector(".el-message")?.textContent ?? "";
    expect(msg).toContain("YichuangPDF-42");
    expect(msg).toContain("重印已记录");
    expect(localStorage.getItem("yichuang.printer")).toBe("YichuangPDF");
  });

  it("offers the system print dialog when the print service fails", async () => {
    backend("fail");
    await openPreview();
    byTestId("preview-print")!.click();
    await settle();
    expect(byTestId("print-error")?.textContent).toContain("找不到打印服务");
    expect(byTestId("print-system-dialog")).not.toBeNull();
  });
});
