import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { flushPromises, mount, type VueWrapper } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";

import IntakePage from "./IntakePage.vue";
import type { FieldError } from "../bindings/FieldError";
import type { IntakeForm } from "../bindings/IntakeForm";
import { ITEMS, REG_NO, outcome } from "../test/fixtures";

type Backend = {
  validate: (form: IntakeForm) => FieldError[];
  accept: (form: IntakeForm) => unknown;
};

let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let wrapper: VueWrapper | null = null;

function backend(b: Partial<Backend>) {
  const validate = b.validate ?? (() => []);
  const accept = b.accept ?? (() => outcome(`${REG_NO}202611220001`));
  calls = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    switch (cmd) {
      case "catalog_list":
        return ITEMS;
      case "validate_intake":
        return validate(a.form as IntakeForm);
      case "accept_case":
        return accept(a.form as IntakeForm);
      case "export_notice":
        return "/home/clerk/yichuang/notices/受理通知书.pdf";
      default:
        throw { kind: "internal", message: `unexpected ${cmd}` };
    }
  });
}

async function mountPage() {
  const w = mount(IntakePage, {
    attachTo: document.body,
    global: { plugins: [[ElementPlus, { locale: zhCn }]] },
  });
  wrapper = w;
  await flushPromises();
  return w;
}

/** Elements teleported to <body> (dropdown options, dialogs) are not inside the wrapper. */
function byTestId<T extends HTMLElement = HTMLElement>(id: string): T | null {
  return document.body.querySelector<T>(`[data-testid="${id}"]`);
}

/** Lets IPC answers arrive and Element Plus show form-item errors (it debounces them by 100 ms). */
async function settle() {
  await flushPromises();
  await new Promise((r) => setTimeout(r, 150));
  await flushPromises();
}

async function chooseItem(regNo: string) {
  const option = byTestId(`item-option-${regNo}`);
  expect(option, "the catalog item is offered in the select").not.toBeNull();
  option!.click();
  await settle();
}

async function fillApplicant(w: VueWrapper, name: string, code: string, mobile: string) {
  await w.find('[data-testid="applicant-name"]').setValue(name);
  await w.find('[data-testid="paper-code"]').setValue(code);
  await w.find('[data-testid="mobile"]').setValue(mobile);
}

function inputValue(w: VueWrapper, id: string): string {
  return (w.find(`[data-testid="${id}"]`).element as HTMLInputElement).value;
}

beforeEach(() => {
  document.body.innerHTML = "";
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  clearMocks();
});

describe("IntakePage", () => {
  it("shows the backend's field errors under their fields and keeps what was typed", async () => {
    backend({
      validate: (form) =>
        form.applicant_paper_code.endsWith("1234")
          ? [
              { field: "applicant_paper_code", label: "证件号码", message: "身份证号码校验码不正确，请核对最后一位" },
              { field: "applicant_mobile", label: "手机", message: "手机号码应为11位数字" },
            ]
          : [],
    });
    const w = await mountPage();
    await chooseItem(REG_NO);
    await fillApplicant(w, "李堃", "110101199003071234", "1391234");
    await w.find('[data-testid="accept-button"]').trigger("click");
    await settle();

    const codeErr = byTestId("field-error-applicant_paper_code");
    expect(codeErr?.textContent).toContain("校验码");
    // The message sits inside the 证件号码 form item, under its input.
    expect(codeErr?.closest(".el-form-item")?.querySelector('[data-testid="paper-code"]')).not.toBeNull();
    expect(byTestId("field-error-applicant_mobile")?.textContent).toContain("11位数字");
    expect(byTestId("field-error-applicant_name")).toBeNull();

    // Nothing the clerk typed is lost.
    expect(inputValue(w, "applicant-name")).toBe("李堃");
    expect(inputValue(w, "paper-code")).toBe("110101199003071234");
    expect(inputValue(w, "mobile")).toBe("1391234");

    // The backend saw exactly what was typed, and no case was accepted.
    const sent = calls.filter((c) => c.cmd === "validate_intake").at(-1)!.args.form as IntakeForm;
    expect(sent).toMatchObject({
      dept_ql_reg_no: REG_NO,
      applicant_type: "01",
      applicant_name: "李堃",
      applicant_paper_type: "0",
      applicant_paper_code: "110101199003071234",
      applicant_mobile: "1391234",
      delivery_method: "window",
      materiallist: [],
    });
    expect(calls.some((c) => c.cmd === "accept_case")).toBe(false);
    expect(byTestId("result-project-no")).toBeNull();
  });

  it("shows the errors of a refused accept_case and keeps the form", async () => {
    backend({
      accept: () => {
        throw {
          kind: "validation",
          message: "申请信息有误",
          errors: [
            { field: "applicant_name", label: "申请人姓名", message: "姓名不能含有数字" },
            { field: "materiallist[1].sj_no", label: "份数", message: "份数至少为1" },
          ],
        };
      },
    });
    const w = await mountPage();
    await chooseItem(REG_NO);
    await fillApplicant(w, "李堃2", "110101199003071239", "13912345678");
    await w.find('[data-testid="select-required-materials"]').trigger("click");
    await settle();
    await w.find('[data-testid="accept-button"]').trigger("click");
    await settle();

    expect(byTestId("field-error-applicant_name")?.textContent).toContain("姓名不能含有数字");
    // materiallist[1] is the second material sent: M2 (the first two are required).
    const rowErr = byTestId("field-error-materiallist[1].sj_no");
    expect(rowErr?.textContent).toContain("份数至少为1");
    expect(rowErr?.closest("tr")?.textContent).toContain("户口簿");
    expect(inputValue(w, "applicant-name")).toBe("李堃2");
    expect(byTestId("result-project-no")).toBeNull();
  });

  it("accepts a valid intake and shows the case number", async () => {
    const no = `${REG_NO}202611220007`;
    backend({ accept: () => outcome(no) });
    const w = await mountPage();
    await chooseItem(REG_NO);
    expect(w.find('[data-testid="item-info"]').text()).toContain("5个工作日");
    await fillApplicant(w, "李堃", "110101199003071239", "13912345678");
    await w.find('[data-testid="select-required-materials"]').trigger("click");
    await settle();
    // One more copy of the household register than the catalog asks for.
    const copies = w.find('[data-testid="material-copies-M2"] input');
    await copies.setValue("3");
    await copies.trigger("blur");
    await w.find('[data-testid="accept-button"]').trigger("click");
    await settle();

    const accepted = calls.find((c) => c.cmd === "accept_case");
    expect(accepted, "accept_case was called").toBeDefined();
    expect((accepted!.args.form as IntakeForm).materiallist).toEqual([
      { no: "M1", sj_file_name: "原居民身份证", sj_no: 1 },
      { no: "M2", sj_file_name: "户口簿", sj_no: 3 },
    ]);
    expect(byTestId("result-project-no")?.textContent).toBe(no);

    byTestId("save-notice")!.click();
    await settle();
    expect(byTestId("saved-path")?.textContent).toBe("已保存：/home/clerk/yichuang/notices/受理通知书.pdf");
    expect(calls.find((c) => c.cmd === "export_notice")?.args).toEqual({ projectNo: no, kind: "acceptance" });
  });

  it("on blur shows only the error of the field just left", async () => {
    backend({
      validate: () => [
        { field: "applicant_name", label: "申请人姓名", message: "请填写申请人姓名" },
        { field: "applicant_mobile", label: "手机", message: "请填写手机号码" },
      ],
    });
    const w = await mountPage();
    await w.find('[data-testid="applicant-name"]').trigger("blur");
    await settle();
    expect(byTestId("field-error-applicant_name")?.textContent).toContain("请填写申请人姓名");
    expect(byTestId("field-error-applicant_mobile")).toBeNull();
  });

  it("submits with Ctrl+Enter", async () => {
    backend({});
    const w = await mountPage();
    await chooseItem(REG_NO);
    await fillApplicant(w, "李堃", "110101199003071239", "13912345678");
    await w.find('[data-testid="mobile"]').trigger("keydown", { key: "Enter", ctrlKey: true });
    await settle();
    expect(calls.some((c) => c.cmd === "accept_case")).toBe(true);
  });

  it("moves to the next field on Enter and never submits on a plain Enter", async () => {
    backend({});
    const w = await mountPage();
    const name = w.find('[data-testid="applicant-name"]').element as HTMLInputElement;
    name.focus();
    await w.find('[data-testid="applicant-name"]').trigger("keydown", { key: "Enter" });
    expect(document.activeElement?.closest('[data-testid="paper-type"]')).not.toBeNull();

    (w.find('[data-testid="paper-code"]').element as HTMLInputElement).focus();
    await w.find('[data-testid="paper-code"]').trigger("keydown", { key: "Enter" });
    expect(document.activeElement?.getAttribute("data-testid")).toBe("mobile");
    await settle();
    expect(calls.some((c) => c.cmd === "accept_case")).toBe(false);
  });

  it("a chosen 情形 makes its materials required, and 全选必须材料 ticks them too", async () => {
    backend({});
    const w = await mountPage();
    await chooseItem(REG_NO);
    byTestId("situation-S1")!.click();
    await settle();
    expect(w.find('[data-testid="material-check-M3"]').element.closest("tr")?.textContent).toContain("情形必须");
    await w.find('[data-testid="select-required-materials"]').trigger("click");
    await w.find('[data-testid="accept-button"]').trigger("click");
    await settle();
    const sent = calls.find((c) => c.cmd === "accept_case")!.args.form as IntakeForm;
    expect(sent.materiallist.map((m) => m.no)).toEqual(["M1", "M2", "M3"]);
  });
});
