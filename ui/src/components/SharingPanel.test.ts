import { afterEach, describe, expect, it } from "vitest";
import { flushPromises, mount, type VueWrapper } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";

import SharingPanel from "./SharingPanel.vue";
import type { CaseRecord } from "../bindings/CaseRecord";
import type { MaterialShare } from "../bindings/MaterialShare";
import { REG_NO, caseRecord } from "../test/fixtures";

const NO = `${REG_NO}202611220001`;

function share(over: Partial<MaterialShare>): MaterialShare {
  return {
    share_id: "s1",
    material_no: "M2",
    sj_file_name: "户口簿",
    method: "paper",
    status: "awaiting_sign_in",
    dept_name: "档案馆",
    requested_at: "2026-11-22 10:00:00",
    deadline: "2026-11-25 10:00:00",
    sent: true,
    send_error: null,
    detail: "",
    signed_out_by: "档案馆签出员",
    updated_at: "2026-11-22 11:00:00",
    file_name: null,
    file_size: null,
    ...over,
  };
}

function waiting(shares: MaterialShare[], abnormal: string | null = null): CaseRecord {
  return caseRecord(NO, {
    state: "in_acceptance",
    acceptdate: "",
    sharing: { submitted_at: "2026-11-22 10:00:00", abnormal, shares },
  });
}

let wrapper: VueWrapper | null = null;
let calls: { cmd: string; args: Record<string, unknown> }[] = [];

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  clearMocks();
  document.body.innerHTML = "";
});

function mountPanel(record: CaseRecord, answer: (cmd: string, a: Record<string, unknown>) => unknown) {
  calls = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    return answer(cmd, a);
  });
  wrapper = mount(SharingPanel, {
    attachTo: document.body,
    props: { record },
    global: { plugins: [[ElementPlus, { locale: zhCn }]] },
  });
  return wrapper;
}

describe("SharingPanel", () => {
  it("shows the current request of each material, and signs paper in by the scanned code", async () => {
    const accepted = caseRecord(NO, { state: "accepted" });
    const w = mountPanel(
      waiting([share({ status: "superseded", method: "electronic" }), share({})]),
      (cmd, a) => {
        if (cmd === "share_sign_in" && a.code === "ZD1") return accepted;
        throw { kind: "validation", message: "签入码“ZD9”与签出的纸档材料不符", errors: [] };
      },
    );
    await flushPromises();
    // The superseded request is not shown.
    expect(w.findAll('[data-testid="share-status-M2"]')).toHaveLength(1);
    expect(w.find('[data-testid="share-status-M2"]').text()).toBe("待签入");

    const input = w.find('input[data-testid="share-signin-code-M2"]');
    await input.setValue("ZD9");
    await input.trigger("keydown", { key: "Enter" });
    await flushPromises();
    expect(calls.at(-1)).toMatchObject({ cmd: "share_sign_in", args: { projectNo: NO, materialNo: "M2", code: "ZD9" } });
    expect(w.emitted("changed")).toBeUndefined();

    await input.setValue("ZD1");
    await w.find('[data-testid="share-signin-M2"]').trigger("click");
    await flushPromises();
    expect(w.emitted("changed")).toEqual([[accepted]]);
  });

  it("flags an abnormal case and offers no actions once it left 受理中", async () => {
    const w = mountPanel(waiting([share({ status: "missing", method: "electronic" })], "材料缺失：户口簿"), () => null);
    await flushPromises();
    expect(w.find('[data-testid="sharing-abnormal"]').text()).toContain("材料缺失：户口簿");
    expect(w.find('[data-testid="share-cancel"]').exists()).toBe(true);
    expect(w.find('[data-testid="share-method-M2"]').exists()).toBe(true);

    await w.setProps({ record: caseRecord(NO, { state: "accepted", sharing: waiting([share({ status: "completed", method: "electronic", file_name: "户口簿.pdf" })]).sharing }) });
    expect(w.find('[data-testid="share-cancel"]').exists()).toBe(false);
    expect(w.find('[data-testid="share-method-M2"]').exists()).toBe(false);
    expect(w.find('[data-testid="share-view-M2"]').exists()).toBe(true);
  });
});
