import { afterEach, describe, expect, it } from "vitest";
import { flushPromises, mount, type VueWrapper } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";

import DeskSettingsDialog from "./DeskSettingsDialog.vue";
import { PROFILE } from "../test/fixtures";

let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let wrapper: VueWrapper | null = null;

function backend(answer: (cmd: string, a: Record<string, unknown>) => unknown) {
  calls = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    if (cmd === "hall_image") return new Uint8Array([]).buffer;
    return answer(cmd, a);
  });
}

async function settle() {
  await flushPromises();
  await new Promise((r) => setTimeout(r, 150));
  await flushPromises();
}

async function openDialog() {
  const w = mount(DeskSettingsDialog, {
    attachTo: document.body,
    props: { modelValue: false, profile: PROFILE, dataDir: "/tmp/desk" },
    global: { plugins: [[ElementPlus, { locale: zhCn }]] },
  });
  wrapper = w;
  await w.setProps({ modelValue: true });
  await settle();
  return w;
}

function byTestId<T extends HTMLElement = HTMLElement>(id: string): T | null {
  return document.body.querySelector<T>(`[data-testid="${id}"]`);
}

/** Chooses `file` in a file input, as the file picker does. */
async function choose(id: string, file: File) {
  const input = byTestId<HTMLInputElement>(id)!;
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  input.dispatchEvent(new Event("change", { bubbles: true }));
  await settle();
}

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  clearMocks();
  document.body.innerHTML = "";
});

describe("DeskSettingsDialog", () => {
  it("sends a chosen logo as bytes and shows the backend's error under the field", async () => {
    backend((cmd) => {
      if (cmd === "set_hall_image") {
        throw {
          kind: "validation",
          message: "输入有误",
          errors: [{ field: "logo", label: "大厅标志", message: "大厅标志须为PNG图片，所选文件不是PNG格式" }],
        };
      }
      throw { kind: "internal", message: cmd };
    });
    await openDialog();
    expect(calls.filter((c) => c.cmd === "hall_image").map((c) => c.args.kind)).toEqual(["logo", "seal"]);
    expect(byTestId("settings-logo-preview")?.textContent).toContain("未设置");

    await choose("settings-logo-file", new File([new Uint8Array([0xff, 0xd8, 0xff])], "logo.jpg", { type: "image/jpeg" }));
    expect(calls.find((c) => c.cmd === "set_hall_image")?.args).toEqual({ kind: "logo", png: [0xff, 0xd8, 0xff] });
    expect(byTestId("settings-error-logo")?.textContent).toContain("所选文件不是PNG格式");
    expect(byTestId("settings-error-seal")).toBeNull();
  });

  it("imports a catalog after confirmation, reports the count, and shows row errors", async () => {
    let fail = false;
    backend((cmd) => {
      if (cmd === "import_catalog") {
        if (fail) {
          throw {
            kind: "validation",
            message: "事项目录有误",
            errors: [{ field: "事项!C5", label: "实施编码", message: "事项!C5 实施编码应为31位" }],
          };
        }
        return 12;
      }
      if (cmd === "export_catalog") return "/tmp/desk/exports/事项目录.xlsx";
      throw { kind: "internal", message: cmd };
    });
    const w = await openDialog();
    await choose("settings-catalog-file", new File(["{}"], "catalog.json", { type: "application/json" }));
    const box = document.body.querySelector(".el-message-box");
    expect(box?.textContent).toContain("替换");
    (box!.querySelector(".el-button--primary") as HTMLElement).click();
    await settle();
    expect(calls.find((c) => c.cmd === "import_catalog")?.args).toEqual({ bytes: [0x7b, 0x7d] });
    expect(byTestId("settings-catalog-result")?.textContent).toContain("已导入 12 个事项");
    expect(w.emitted("catalogImported")).toEqual([[12]]);

    fail = true;
    await choose("settings-catalog-file", new File(["x"], "catalog.xlsx"));
    // The first box may still be fading out: answer the newest one.
    (Array.from(document.body.querySelectorAll(".el-message-box .el-button--primary")).at(-1) as HTMLElement).click();
    await settle();
    expect(byTestId("settings-catalog-errors")?.textContent).toContain("事项!C5 实施编码应为31位");

    byTestId("settings-export-xlsx")!.click();
    await settle();
    expect(calls.find((c) => c.cmd === "export_catalog")?.args).toEqual({ xlsx: true });
    expect(byTestId("settings-export-path")?.textContent).toContain("/tmp/desk/exports/事项目录.xlsx");
  });

  it("lists the capture devices, warns of a missing one, and saves the chosen device", async () => {
    const TEST = {
      id: "sane:test:0",
      label: "Noname frontend-tester（test:0）",
      kind: "扫描仪",
      dpis: [200, 300, 600],
      modes: ["color", "gray", "black_white"],
      page_sizes: ["A4", "A3"],
      has_adf: true,
      has_duplex: false,
    };
    const FILE = {
      id: "file",
      label: "文件导入",
      kind: "文件导入",
      dpis: [],
      modes: [],
      page_sizes: ["A4", "A3"],
      has_adf: false,
      has_duplex: false,
    };
    backend((cmd, a) => {
      if (cmd === "capture_settings") return { device: "v4l2:/dev/video9", dpi: 300, mode: "gray", page_size: "A4", adf: false, duplex: false };
      if (cmd === "capture_devices") return { devices: [TEST, FILE], problem: null };
      if (cmd === "set_capture_settings") return a.settings;
      if (cmd === "update_desk_profile") return a.profile;
      if (cmd === "id_reader_url") return "";
      throw { kind: "internal", message: cmd };
    });
    await openDialog();
    expect(byTestId("settings-device-missing")?.textContent).toContain("v4l2:/dev/video9");
    expect(byTestId("settings-device-missing")?.textContent).toContain("未连接");

    byTestId("settings-capture-device")!.click();
    await settle();
    byTestId("settings-device-option-sane:test:0")!.click();
    await settle();
    expect(byTestId("settings-device-missing")).toBeNull();
    expect(byTestId("settings-capture-adf")).not.toBeNull();
    expect(byTestId("settings-capture-duplex")).toBeNull();
    byTestId("settings-save")!.click();
    await settle();
    expect(calls.find((c) => c.cmd === "set_capture_settings")?.args).toEqual({
      settings: { device: "sane:test:0", dpi: 300, mode: "gray", page_size: "A4", adf: false, duplex: false },
    });
  });
});
