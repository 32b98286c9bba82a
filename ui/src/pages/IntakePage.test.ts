import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { flushPromises, mount, type VueWrapper } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";

import IntakePage from "./IntakePage.vue";
import type { FieldError } from "../bindings/FieldError";
import type { IntakeDecision } from "../bindings/IntakeDecision";
import type { IntakeForm } from "../bindings/IntakeForm";
import type { KnownApplicant } from "../bindings/KnownApplicant";
import { ITEMS, NO_PARTY, REG_NO, byTestId, outcome, settle as settleFor } from "../test/fixtures";

type Backend = {
  validate: (form: IntakeForm) => FieldError[];
  /** Answers `intake_case` (every decision). */
  intake: (form: IntakeForm, decision: IntakeDecision) => unknown;
  /** What `load_draft` returns. */
  draft: IntakeForm | null;
  /** What `known_applicant` returns. */
  known: KnownApplicant | null;
  /** What `read_id_card` answers (a thrown value is an error). */
  card: () => unknown;
  /** The estimate warning `promised_date_preview` returns with the date. */
  estimate: string | null;
};

let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let wrapper: VueWrapper | null = null;

function backend(b: Partial<Backend>) {
  const validate = b.validate ?? (() => []);
  const intake =
    b.intake ??
    ((_form: IntakeForm, d: IntakeDecision) =>
      d.action === "accept"
        ? outcome(`${REG_NO}202611220001`)
        : d.action === "receive"
          ? outcome(`${REG_NO}202611220001`, "received", "receipt")
          : d.action === "reject"
            ? outcome(`${REG_NO}202611220001`, "rejected", "rejection")
            : outcome(`${REG_NO}202611220001`, "supplement_requested", "supplement"));
  calls = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    switch (cmd) {
      case "catalog_list":
        return ITEMS;
      case "validate_intake": {
        // Like the backend: only 受理 needs every required material.
        const list = validate(a.form as IntakeForm);
        return a.forAcceptance === false ? list.filter((fe) => fe.field !== "materiallist") : list;
      }
      case "intake_case":
        return intake(a.form as IntakeForm, a.decision as IntakeDecision);
      case "export_notice":
        return "/home/clerk/yichuang/notices/受理通知书.pdf";
      case "load_draft":
        return b.draft ?? null;
      case "save_draft":
      case "clear_draft":
        return null;
      case "promised_date_preview":
        return a.deptQlRegNo === REG_NO
          ? { date: "2026-11-27", estimate: b.estimate ?? null }
          : { date: "2026-11-23", estimate: null };
      case "known_applicant":
        return b.known ?? null;
      case "read_id_card":
        if (!b.card) throw { kind: "conflict", message: "未配置身份证阅读器：请在窗口设置中填写阅读器服务地址" };
        return b.card();
      default:
        throw { kind: "internal", message: `unexpected ${cmd}` };
    }
  });
}

/** The decisions sent with `intake_case`. */
function intakes(action?: IntakeDecision["action"]) {
  return calls
    .filter((c) => c.cmd === "intake_case")
    .map((c) => ({ form: c.args.form as IntakeForm, decision: c.args.decision as IntakeDecision }))
    .filter((c) => !action || c.decision.action === action);
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

/** Lets IPC answers arrive and Element Plus show form-item errors (it debounces them by 100 ms). */
const settle = () => settleFor(150);

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

/** Types into an input inside a teleported element (a dialog), the way a user's typing arrives. */
async function typeIn(id: string, text: string) {
  const root = byTestId(id);
  expect(root, `${id} is on screen`).not.toBeNull();
  const input = (root!.matches("input, textarea") ? root : root!.querySelector("input, textarea")) as HTMLInputElement;
  input.value = text;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  input.dispatchEvent(new Event("change", { bubbles: true }));
  await flushPromises();
}

function isChecked(id: string): boolean {
  return byTestId(id)?.classList.contains("is-checked") ?? false;
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
    expect(intakes()).toEqual([]);
    expect(byTestId("result-project-no")).toBeNull();
  });

  it("shows the errors of a refused intake_case and keeps the form", async () => {
    backend({
      intake: () => {
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
    backend({ intake: () => outcome(no) });
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

    const accepted = intakes("accept")[0];
    expect(accepted, "intake_case was called with accept").toBeDefined();
    expect(accepted!.form.materiallist).toEqual([
      { no: "M1", sj_file_name: "原居民身份证", sj_no: 1 },
      { no: "M2", sj_file_name: "户口簿", sj_no: 3 },
    ]);
    expect(byTestId("result-project-no")?.textContent).toBe(no);
    expect(byTestId("result-state")?.textContent?.trim()).toBe("已受理");
    expect(byTestId("result-doc-title")?.textContent).toBe("受理通知书");
    expect(byTestId("result-doc-no")?.textContent).toBe("受字〔2026〕第08-00001号");
    expect(byTestId("view-notice")?.textContent?.trim()).toBe("查看受理通知书");

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

  it("读取身份证 fills the applicant from the card, and says so when the reader fails", async () => {
    backend({
      card: () => ({
        name: "阿依古丽",
        sex: "女",
        ethnicity: "维吾尔",
        birth_date: "1990-03-07",
        address: "新疆乌鲁木齐市天山区人民路12号",
        id_number: "110101199003071239",
        issuing_authority: "乌鲁木齐市公安局天山区分局",
        valid_from: "2020-01-01",
        valid_to: "2040-01-01",
        photo_jpeg_base64: null,
        problem: null,
      }),
    });
    const w = await mountPage();
    await w.find('[data-testid="read-id-card"]').trigger("click");
    await settle();
    const value = (id: string) => (w.find(`[data-testid="${id}"]`).element as HTMLInputElement).value;
    expect(value("applicant-name")).toBe("阿依古丽");
    expect(value("paper-code")).toBe("110101199003071239");
    expect(w.find('[data-testid="id-card-note"]').text()).toContain("维吾尔族");

    backend({});
    await w.find('[data-testid="read-id-card"]').trigger("click");
    await settle();
    expect(w.find('[data-testid="id-card-note"]').text()).toContain("未配置身份证阅读器");
    // What was read before stays.
    expect(value("applicant-name")).toBe("阿依古丽");
  });

  it("submits with Ctrl+Enter", async () => {
    backend({});
    const w = await mountPage();
    await chooseItem(REG_NO);
    await fillApplicant(w, "李堃", "110101199003071239", "13912345678");
    await w.find('[data-testid="mobile"]').trigger("keydown", { key: "Enter", ctrlKey: true });
    await settle();
    expect(intakes("accept")).toHaveLength(1);
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
    expect(intakes()).toEqual([]);
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
    const sent = intakes("accept")[0]!.form;
    expect(sent.materiallist.map((m) => m.no)).toEqual(["M1", "M2", "M3"]);
    expect(sent.situations).toEqual(["S1"]);
    const checked = calls.filter((c) => c.cmd === "validate_intake").at(-1)!;
    expect(checked.args.forAcceptance).toBe(true);
    expect((checked.args.form as IntakeForm).situations).toEqual(["S1"]);
  });

  it("a 情形's material missing at 受理 is marked, and the backend's 情形 error shows", async () => {
    backend({
      validate: (form) =>
        form.situations.includes("S1") && !form.materiallist.some((m) => m.no === "M3")
          ? [
              { field: "materiallist", label: "收取材料", message: "必须材料未收齐：委托书" },
              { field: "situations[0]", label: "情形", message: "所选情形“委托他人代办”须提供：委托书" },
            ]
          : [],
    });
    const w = await mountPage();
    await chooseItem(REG_NO);
    expect(w.find('[data-testid="material-check-M3"]').element.closest("tr")?.textContent).toContain("非必须");
    byTestId("situation-S1")!.click();
    await settle();
    byTestId("material-check-M1")!.click();
    byTestId("material-check-M2")!.click();
    await w.find('[data-testid="accept-button"]').trigger("click");
    await settle();
    expect(intakes()).toEqual([]);
    expect(byTestId("field-error-situations")?.textContent).toContain("委托书");
    expect(w.find('[data-testid="material-check-M3"]').element.closest("tr")?.classList).toContain("row-missing");
  });

  it("shows the promised date if the item were accepted now", async () => {
    backend({});
    const w = await mountPage();
    await chooseItem(REG_NO);
    expect(w.find('[data-testid="promised-preview"]').text()).toBe("若现在受理，承诺办结日期：2026年11月27日");
    expect(w.find('[data-testid="promised-estimate"]').exists()).toBe(false);
  });

  it("says when the promised date rests on estimated holidays", async () => {
    const warning = "2027年节假日安排尚未导入，日期按法定节日估算";
    backend({ estimate: warning });
    const w = await mountPage();
    await chooseItem(REG_NO);
    expect(w.find('[data-testid="promised-preview"]').text()).toContain("2026年11月27日");
    expect(w.find('[data-testid="promised-estimate"]').text()).toBe(warning);
  });

  it("a legal person: the organisation's fields appear, are required and are sent; switching keeps them", async () => {
    backend({});
    const w = await mountPage();
    await chooseItem(REG_NO);
    // A natural person: no legal representative, the agent behind a switch.
    expect(w.find('[data-testid="oper-man-name"]').exists()).toBe(false);
    expect(w.find('[data-testid="linkman-name"]').exists()).toBe(false);
    expect(w.find('[data-testid="agent-switch"]').exists()).toBe(true);
    await w.find('[data-testid="applicant-name"]').setValue("李堃");

    byTestId("applicant-type-option-02")!.click();
    await settle();
    const text = w.find(".applicant-card").text();
    expect(text).toContain("申请单位名称");
    expect(text).toContain("统一社会信用代码");
    expect(text).toContain("法定代表人");
    expect(text).toContain("经办人（代办人）");
    expect(w.find('[data-testid="agent-switch"]').exists()).toBe(false);
    // Typed values survive the switch; the document type becomes 营业执照.
    expect(inputValue(w, "applicant-name")).toBe("李堃");
    const paperOptions = Array.from(document.body.querySelectorAll('[data-testid^="paper-type-option-"]')).map((o) =>
      o.getAttribute("data-testid"),
    );
    expect(paperOptions).toEqual(["paper-type-option-8", "paper-type-option-9", "paper-type-option-10"]);
    expect(w.find('[data-testid="paper-type"]').text() + (w.find('[data-testid="paper-type"] input').element as HTMLInputElement).value).toContain("营业执照");

    await w.find('[data-testid="applicant-name"]').setValue("示例科技有限公司");
    await w.find('[data-testid="paper-code"]').setValue("91110102MA01ABCD2X");
    await w.find('[data-testid="oper-man-name"]').setValue("王建国");
    await w.find('[data-testid="mobile"]').setValue("13912345678");
    await w.find('[data-testid="phone"]').setValue("0991-2345678");
    await w.find('[data-testid="zipcode"]').setValue("830000");
    await w.find('[data-testid="email"]').setValue("office@example.com");
    await w.find('[data-testid="linkman-name"]').setValue("赵敏");
    await w.find('[data-testid="linkman-paper-code"]').setValue("110101199003071239");
    await w.find('[data-testid="linkman-mobile"]').setValue("13700000000");

    // Back to a natural person and again to a legal person: nothing typed is lost.
    byTestId("applicant-type-option-01")!.click();
    await settle();
    expect(w.find('[data-testid="oper-man-name"]').exists()).toBe(false);
    byTestId("applicant-type-option-02")!.click();
    await settle();
    expect(inputValue(w, "oper-man-name")).toBe("王建国");
    expect(inputValue(w, "linkman-name")).toBe("赵敏");

    await w.find('[data-testid="select-required-materials"]').trigger("click");
    await w.find('[data-testid="accept-button"]').trigger("click");
    await settle();
    expect(intakes("accept")[0]!.form).toMatchObject({
      applicant_type: "02",
      applicant_name: "示例科技有限公司",
      applicant_paper_type: "8",
      applicant_paper_code: "91110102MA01ABCD2X",
      oper_man_name: "王建国",
      applicant_phone: "0991-2345678",
      applicant_zipcode: "830000",
      applicant_email: "office@example.com",
      linkman_name: "赵敏",
      linkman_paper_type: "0",
      linkman_paper_code: "110101199003071239",
      linkman_mobile: "13700000000",
    });
  });

  it("shows the backend's errors of the organisation's fields under them", async () => {
    backend({
      validate: (form) =>
        form.applicant_type === "02"
          ? [
              { field: "oper_man_name", label: "法定代表人姓名", message: "请填写法定代表人姓名" },
              { field: "linkman_paper_code", label: "经办人证件号码", message: "请填写经办人证件号码" },
            ]
          : [],
    });
    const w = await mountPage();
    await chooseItem(REG_NO);
    byTestId("applicant-type-option-02")!.click();
    await settle();
    await w.find('[data-testid="accept-button"]').trigger("click");
    await settle();
    expect(byTestId("field-error-oper_man_name")?.textContent).toContain("请填写法定代表人姓名");
    expect(byTestId("field-error-linkman_paper_code")?.textContent).toContain("请填写经办人证件号码");
  });

  it("a natural person's agent is sent only while 由他人代办 is on", async () => {
    backend({});
    const w = await mountPage();
    await chooseItem(REG_NO);
    await fillApplicant(w, "李堃", "110101199003071239", "13912345678");
    await w.find('[data-testid="agent-switch"]').trigger("click");
    await settle();
    await w.find('[data-testid="linkman-name"]').setValue("赵敏");
    await w.find('[data-testid="linkman-paper-code"]').setValue("110101199003071220");
    await w.find('[data-testid="agent-switch"]').trigger("click");
    await settle();
    await w.find('[data-testid="select-required-materials"]').trigger("click");
    await w.find('[data-testid="accept-button"]').trigger("click");
    await settle();
    expect(intakes("accept")[0]!.form).toMatchObject({ linkman_name: "", linkman_paper_code: "" });
  });

  it("offers a returning applicant's details and fills only the empty fields", async () => {
    const known: KnownApplicant = {
      applicant_type: "01",
      applicant_name: "李堃",
      applicant_paper_type: "0",
      applicant_paper_code: "110101199003071239",
      applicant_mobile: "13800000000",
      applicant_address: "示例市示例路1号",
      cases: 3,
      last_seen: "2026-11-20 09:00:00",
      ...NO_PARTY,
      applicant_zipcode: "830000",
    };
    backend({ known });
    const w = await mountPage();
    await chooseItem(REG_NO);
    await w.find('[data-testid="mobile"]').setValue("13912345678");
    await w.find('[data-testid="paper-code"]').setValue("110101199003071239");
    await settle();
    expect(calls.find((c) => c.cmd === "known_applicant")?.args).toEqual({ paperCode: "110101199003071239" });
    expect(byTestId("known-applicant")?.textContent).toContain("该申请人曾办理 3 件（最近：2026-11-20 09:00:00）");
    byTestId("known-applicant-fill")!.click();
    await settle();
    expect(inputValue(w, "applicant-name")).toBe("李堃");
    expect(inputValue(w, "mobile"), "what the clerk typed is kept").toBe("13912345678");
    expect(inputValue(w, "address")).toBe("示例市示例路1号");
    expect(inputValue(w, "zipcode")).toBe("830000");
    expect(byTestId("known-applicant")).toBeNull();
  });

  it("补齐补正 preselects the required materials not received and sends the request", async () => {
    const no = `${REG_NO}202611220002`;
    let answer: "invalid" | "ok" = "invalid";
    backend({
      // 补齐补正 may be decided with materials missing: the precheck ignores this error.
      validate: () => [{ field: "materiallist", label: "收取材料", message: "必须材料未收齐：户口簿" }],
      intake: (_form, d) => {
        if (answer === "invalid") {
          answer = "ok";
          throw {
            kind: "validation",
            message: "输入有误",
            errors: [
              { field: "materials[0].reason", label: "补正原因", message: "请逐项填写补正原因（缺少、不清晰、已过期等）" },
              { field: "limit_days", label: "补正时限", message: "补正时限应为1至60个工作日" },
            ],
          };
        }
        expect(d.action).toBe("request_supplement");
        const o = outcome(no, "supplement_requested", "supplement");
        o.case.supplements = [
          { requested_at: "2026-11-22 10:30:00", due_date: "2026-12-04", no: "M2", sj_file_name: "户口簿", reason: "缺第3页", done_at: null, due_estimate: null },
        ];
        return o;
      },
    });
    const w = await mountPage();
    await chooseItem(REG_NO);
    await fillApplicant(w, "李堃", "110101199003071239", "13912345678");
    byTestId("material-check-M1")!.click(); // M2 (required) is missing
    await settle();

    byTestId("supplement-button")!.click();
    await settle();
    expect(byTestId("supplement-dialog")).not.toBeNull();
    expect(isChecked("supplement-check-M2"), "the missing required material is preselected").toBe(true);
    expect(isChecked("supplement-check-M1"), "a received material is not").toBe(false);
    expect(isChecked("supplement-check-M3"), "an optional material is not").toBe(false);
    expect((byTestId("supplement-reason-M2") as HTMLInputElement).value).toBe("未提供");
    expect((byTestId("supplement-days")!.querySelector("input") as HTMLInputElement).value).toBe("5");

    await typeIn("supplement-reason-M2", " ");
    byTestId("supplement-check-M3")!.click();
    await settle();
    byTestId("supplement-confirm")!.click();
    await settle();
    // The backend's errors sit under the material's row and under 补正时限; the dialog stays.
    expect(byTestId("supplement-error-M2")?.textContent).toContain("请逐项填写补正原因");
    expect(byTestId("supplement-error-M2")?.closest(".mat-row")?.textContent).toContain("户口簿");
    expect(byTestId("supplement-error-limit_days")?.textContent).toContain("1至60个工作日");
    expect(byTestId("result-project-no")).toBeNull();

    await typeIn("supplement-reason-M2", "缺第3页");
    await typeIn("supplement-days", "10");
    await typeIn("supplement-opinion", "请于期限内补齐");
    byTestId("supplement-confirm")!.click();
    await settle();

    const sent = intakes("request_supplement");
    expect(sent).toHaveLength(2);
    expect(sent[1]!.decision).toEqual({
      action: "request_supplement",
      request: {
        materials: [
          { no: "M2", sj_file_name: "", reason: "缺第3页" },
          { no: "M3", sj_file_name: "", reason: "未提供" },
        ],
        limit_days: 10,
        opinion: "请于期限内补齐",
      },
    });
    expect(sent[1]!.form.materiallist).toEqual([{ no: "M1", sj_file_name: "原居民身份证", sj_no: 1 }]);
    expect(byTestId("result-project-no")?.textContent).toBe(no);
    expect(byTestId("result-state")?.textContent?.trim()).toBe("待补正");
    expect(byTestId("result-doc-title")?.textContent).toBe("补齐补正通知书");
    expect(byTestId("result-due-date")?.textContent).toContain("2026-12-04");
    expect(byTestId("view-notice")?.textContent?.trim()).toBe("查看补齐补正通知书");
  });

  it("不予受理 needs a reason, and the backend's error shows under it", async () => {
    let tries = 0;
    backend({
      intake: (_form, d) => {
        tries++;
        if (tries === 1) {
          throw {
            kind: "validation",
            message: "输入有误",
            errors: [{ field: "reason", label: "原因", message: "原因过长，最多500个字" }],
          };
        }
        expect(d).toEqual({ action: "reject", reason: "不属于本机关职权范围" });
        return outcome(`${REG_NO}202611220003`, "rejected", "rejection");
      },
    });
    const w = await mountPage();
    await chooseItem(REG_NO);
    await fillApplicant(w, "李堃", "110101199003071239", "13912345678");
    byTestId("reject-button")!.click();
    await settle();

    // No reason: refused at once, nothing is sent.
    byTestId("reject-confirm")!.click();
    await settle();
    expect(byTestId("reject-error-reason")?.textContent).toContain("请填写不予受理原因");
    expect(intakes()).toEqual([]);

    await typeIn("reject-reason", "太长的原因");
    byTestId("reject-confirm")!.click();
    await settle();
    const err = byTestId("reject-error-reason");
    expect(err?.textContent).toContain("原因过长");
    expect(err?.closest(".el-form-item")?.querySelector('[data-testid="reject-reason"]')).not.toBeNull();
    expect(byTestId("result-project-no")).toBeNull();

    await typeIn("reject-reason", "不属于本机关职权范围");
    byTestId("reject-confirm")!.click();
    await settle();
    expect(byTestId("result-state")?.textContent?.trim()).toBe("不予受理");
    expect(byTestId("result-doc-title")?.textContent).toBe("不予受理通知书");
  });

  it("a form error stops 不予受理 before the dialog opens", async () => {
    backend({
      validate: () => [{ field: "applicant_mobile", label: "手机", message: "请填写手机号码" }],
    });
    const w = await mountPage();
    await chooseItem(REG_NO);
    await fillApplicant(w, "李堃", "110101199003071239", "");
    byTestId("reject-button")!.click();
    await settle();
    expect(byTestId("field-error-applicant_mobile")?.textContent).toContain("请填写手机号码");
    expect(byTestId("reject-reason")).toBeNull();
  });

  it("收件 issues a receipt without every required material", async () => {
    backend({ validate: () => [{ field: "materiallist", label: "收取材料", message: "必须材料未收齐" }] });
    const w = await mountPage();
    await chooseItem(REG_NO);
    await fillApplicant(w, "李堃", "110101199003071239", "13912345678");
    byTestId("receive-button")!.click();
    await settle();
    expect(intakes("receive")).toHaveLength(1);
    expect(byTestId("result-state")?.textContent?.trim()).toBe("已收件");
    expect(byTestId("result-doc-title")?.textContent).toBe("收件凭证");
    expect(calls.some((c) => c.cmd === "clear_draft")).toBe(true);
  });

  it("shows the decision shortcuts", async () => {
    backend({});
    const w = await mountPage();
    expect(w.find('[data-testid="accept-button"]').text()).toContain("Ctrl+Enter");
    expect(w.find('[data-testid="receive-button"]').text()).toContain("Alt+R");
    expect(w.find('[data-testid="supplement-button"]').text()).toContain("Alt+B");
    expect(w.find('[data-testid="reject-button"]').text()).toContain("Alt+N");
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "r", code: "KeyR", altKey: true }));
    await settle();
    // The shortcut ran 收件: the form was checked first.
    expect(calls.some((c) => c.cmd === "validate_intake")).toBe(true);
  });

  it("autosaves the form as a draft, once the typing pauses", async () => {
    backend({});
    const w = await mountPage();
    await chooseItem(REG_NO);
    await w.find('[data-testid="applicant-name"]').setValue("李");
    await w.find('[data-testid="applicant-name"]').setValue("李堃");
    await new Promise((r) => setTimeout(r, 300));
    expect(calls.filter((c) => c.cmd === "save_draft")).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 900));
    await flushPromises();
    const saves = calls.filter((c) => c.cmd === "save_draft");
    expect(saves).toHaveLength(1);
    expect(saves[0]!.args.form).toMatchObject({ dept_ql_reg_no: REG_NO, applicant_name: "李堃", materiallist: [] });
    expect(w.find('[data-testid="draft-status"]').exists()).toBe(true);

    // 清空 forgets it.
    await w.find('[data-testid="reset-form"]').trigger("click");
    await flushPromises();
    expect(calls.filter((c) => c.cmd === "clear_draft")).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 900));
    expect(calls.filter((c) => c.cmd === "save_draft")).toHaveLength(1);
  });

  it("restores the draft when the page opens", async () => {
    backend({
      draft: {
        dept_ql_reg_no: REG_NO,
        applicant_type: "01",
        applicant_name: "李堃",
        applicant_paper_type: "0",
        applicant_paper_code: "110101199003071239",
        applicant_mobile: "139",
        applicant_address: "",
        delivery_method: "post",
        ...NO_PARTY,
        situations: [],
        materiallist: [{ no: "M2", sj_file_name: "户口簿", sj_no: 3 }],
      },
    });
    const w = await mountPage();
    await settle();
    expect(w.find('[data-testid="draft-restored"]').text()).toContain("已恢复未完成的接件");
    expect(inputValue(w, "applicant-name")).toBe("李堃");
    expect(inputValue(w, "mobile")).toBe("139");
    expect(w.find('[data-testid="item-info"]').exists()).toBe(true);
    expect(isChecked("material-check-M2")).toBe(true);
    expect(isChecked("material-check-M1")).toBe(false);
    expect((w.find('[data-testid="material-copies-M2"] input').element as HTMLInputElement).value).toBe("3");
    expect(w.find('[data-testid="delivery-method-post"]').classes()).toContain("is-active");
    // Restoring is not a change: nothing is saved back.
    await new Promise((r) => setTimeout(r, 900));
    expect(calls.filter((c) => c.cmd === "save_draft")).toHaveLength(0);
  });
});
