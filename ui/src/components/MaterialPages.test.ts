import { afterEach, describe, expect, it, vi } from "vitest";
import { flushPromises, mount, type VueWrapper } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";

import MaterialPages from "./MaterialPages.vue";
import type { CaseMaterial } from "../bindings/CaseMaterial";
import type { MaterialPageInfo } from "../bindings/MaterialPageInfo";

const NO = "07010700100011650102027227424N0202611220001";
const MATERIALS: CaseMaterial[] = [
  { ord: 1, no: "M1", sj_file_name: "居民身份证", sj_no: 1, form: "copy", sj_file_if: true, attachguid: null },
];
const PAGE: MaterialPageInfo = {
  id: 5,
  material_no: "M1",
  ord: 1,
  size: 1234,
  width: 2480,
  height: 3508,
  dpi: 300,
  paper: "A4",
  source: "scan.jpg",
  created_at: "2026-11-22 10:00:00",
};

let wrapper: VueWrapper | null = null;
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  clearMocks();
  document.body.innerHTML = "";
});

function choose(w: VueWrapper, files: File[]) {
  const input = w.find('[data-testid="material-file-input-M1"]').element as HTMLInputElement;
  Object.defineProperty(input, "files", { value: files, configurable: true });
  return w.find('[data-testid="material-file-input-M1"]').trigger("change");
}

describe("MaterialPages", () => {
  it("sends each chosen file's bytes, names a refused file, and asks for a refresh", async () => {
    URL.createObjectURL = vi.fn(() => "blob:page");
    URL.revokeObjectURL = vi.fn();
    const sent: { cmd: string; payload: unknown }[] = [];
    mockIPC((cmd, payload) => {
      sent.push({ cmd, payload });
      if (cmd === "material_page") return new Uint8Array([0xff, 0xd8, 0xff]).buffer;
      if (cmd === "attach_material_file") {
        const bytes = payload as Uint8Array;
        if (bytes.length === 3) {
          throw {
            kind: "validation",
            message: "输入有误",
            errors: [{ field: "files[0]", label: "材料文件", message: "“照片.jpg”页面不合格：纸张尺寸 68×51 毫米不是 A4、A3" }],
          };
        }
        return [PAGE];
      }
      throw new Error(`unexpected ${cmd}`);
    });
    wrapper = mount(MaterialPages, {
      props: { projectNo: NO, materials: MATERIALS, pages: [PAGE] },
      global: { plugins: [[ElementPlus, { locale: zhCn }]] },
      attachTo: document.body,
    });
    await flushPromises();
    expect(wrapper.text()).toContain("扫描件 1 页");
    expect(sent.filter((s) => s.cmd === "material_page")).toHaveLength(1);

    await choose(wrapper, [new File([new Uint8Array(10)], "scan.jpg"), new File([new Uint8Array(3)], "照片.jpg")]);
    await vi.waitFor(() => expect(wrapper!.emitted("changed")).toBeTruthy(), { timeout: 3000 });
    await flushPromises();
    const attaches = sent.filter((s) => s.cmd === "attach_material_file");
    expect(attaches.map((a) => (a.payload as Uint8Array).length)).toEqual([10, 3]);
    expect(wrapper.find('[data-testid="material-pages-error"]').text()).toContain("照片.jpg");
    expect(wrapper.find('[data-testid="material-pages-error"]').text()).toContain("纸张尺寸");
    expect(wrapper.emitted("changed")).toHaveLength(1);
  });

  it("scans from the desk's device, shows a device failure, and edits pages", async () => {
    URL.createObjectURL = vi.fn(() => "blob:page");
    URL.revokeObjectURL = vi.fn();
    const sent: { cmd: string; payload: unknown }[] = [];
    let scans = 0;
    mockIPC((cmd, payload) => {
      sent.push({ cmd, payload });
      if (cmd === "material_page") return new Uint8Array([0xff, 0xd8, 0xff]).buffer;
      if (cmd === "scan_material") {
        scans += 1;
        if (scans === 1) throw { kind: "conflict", message: "设备未连接：test:7。请检查扫描仪电源与数据线，然后刷新设备列表" };
        return [PAGE];
      }
      if (["reorder_material_pages", "rotate_material_page", "delete_material_page"].includes(cmd)) return [PAGE];
      throw new Error(`unexpected ${cmd}`);
    });
    const second = { ...PAGE, id: 6, ord: 2 };
    wrapper = mount(MaterialPages, {
      props: { projectNo: NO, materials: MATERIALS, pages: [PAGE, second] },
      global: { plugins: [[ElementPlus, { locale: zhCn }]] },
      attachTo: document.body,
    });
    await flushPromises();

    await wrapper.find('[data-testid="material-scan-M1"]').trigger("click");
    await flushPromises();
    expect(wrapper.find('[data-testid="material-pages-error"]').text()).toContain("扫描未完成：设备未连接");
    await wrapper.find('[data-testid="material-scan-M1"]').trigger("click");
    await flushPromises();
    expect(wrapper.find('[data-testid="material-pages-error"]').exists()).toBe(false);
    expect(sent.filter((s) => s.cmd === "scan_material").map((s) => s.payload)).toEqual([
      { projectNo: NO, materialNo: "M1" },
      { projectNo: NO, materialNo: "M1" },
    ]);

    // ← on the first page is disabled; → moves it after the second.
    expect((wrapper.find('[data-testid="material-left-M1-1"]').element as HTMLButtonElement).disabled).toBe(true);
    await wrapper.find('[data-testid="material-right-M1-1"]').trigger("click");
    await flushPromises();
    expect(sent.find((s) => s.cmd === "reorder_material_pages")?.payload).toEqual({
      projectNo: NO,
      materialNo: "M1",
      pageIds: [6, 5],
    });
    await wrapper.find('[data-testid="material-rotate-M1-2"]').trigger("click");
    await flushPromises();
    expect(sent.find((s) => s.cmd === "rotate_material_page")?.payload).toEqual({ projectNo: NO, pageId: 6, quarterTurns: 1 });

    // 删除 asks first; 取消 deletes nothing, 删除 deletes.
    await wrapper.find('[data-testid="material-delete-M1-1"]').trigger("click");
    await vi.waitFor(() => expect(document.querySelector(".el-message-box")).not.toBeNull());
    expect(document.querySelector(".el-message-box")?.textContent).toContain("第1页");
    (Array.from(document.querySelectorAll(".el-message-box button")).find((b) => b.textContent?.includes("取消")) as HTMLElement).click();
    await flushPromises();
    expect(sent.some((s) => s.cmd === "delete_material_page")).toBe(false);
    await wrapper.find('[data-testid="material-delete-M1-1"]').trigger("click");
    await vi.waitFor(() => expect(document.querySelectorAll(".el-message-box").length).toBeGreaterThan(0));
    const boxes = document.querySelectorAll(".el-message-box");
    const box = boxes[boxes.length - 1];
    (Array.from(box.querySelectorAll("button")).find((b) => b.textContent?.trim() === "删除") as HTMLElement).click();
    await vi.waitFor(() => expect(sent.some((s) => s.cmd === "delete_material_page")).toBe(true));
    expect(sent.find((s) => s.cmd === "delete_material_page")?.payload).toEqual({ projectNo: NO, pageId: 5 });
  });
});
