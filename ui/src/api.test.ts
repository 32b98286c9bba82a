import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import * as api from "./api";
import { COMMAND_ACCESS } from "./gen/commands";
import type { IntakeForm } from "./bindings/IntakeForm";
import { ITEMS, NO_PARTY, PROFILE, REG_NO, outcome } from "./test/fixtures";

type Call = { cmd: string; args: unknown };

function record(answer: (cmd: string, args: unknown) => unknown): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    return answer(cmd, args);
  });
  return calls;
}

const FORM: IntakeForm = {
  dept_ql_reg_no: REG_NO,
  applicant_type: "01",
  applicant_name: "李堃",
  applicant_paper_type: "0",
  applicant_paper_code: "110101199003071239",
  applicant_mobile: "13912345678",
  applicant_address: "",
  delivery_method: "window",
  ...NO_PARTY,
  situations: [],
  materiallist: [{ no: "M1", sj_file_name: "原居民身份证", sj_no: 1 }],
};

afterEach(() => clearMocks());

describe("api", () => {
  it("maps every command to its name and camelCase arguments", async () => {
    const no = `${REG_NO}202611220001`;
    const calls = record((cmd) => {
      switch (cmd) {
        case "catalog_list":
          return ITEMS;
        case "desk_profile":
        case "update_desk_profile":
          return PROFILE;
        case "app_info":
          return { version: "0.1.0", data_dir: "/tmp/x", demo: false, hub_connected: false };
        case "validate_intake":
          return [];
        case "accept_case":
        case "intake_case":
        case "act_on_case":
          return outcome(no);
        case "save_draft":
        case "clear_draft":
          return null;
        case "load_draft":
          return FORM;
        case "list_cases":
          return [];
        case "get_case":
          return outcome(no).case;
        case "export_notice":
          return "/tmp/x/notice.pdf";
        case "promised_date_preview":
          return { date: "2026-11-27", estimate: null };
        case "known_applicant":
          return null;
        case "set_hall_image":
          return PROFILE;
        case "import_catalog":
          return 2;
        case "export_catalog":
          return "/tmp/x/exports/catalog.xlsx";
        case "list_printers":
          return ["YichuangPDF"];
        case "print_notice":
          return "YichuangPDF-7";
        case "record_dialog_print":
          return null;
        default:
          throw new Error(`unexpected ${cmd}`);
      }
    });

    expect(await api.catalogList()).toEqual(ITEMS);
    await api.deskProfile();
    await api.updateDeskProfile(PROFILE);
    await api.appInfo();
    await api.validateIntake(FORM);
    expect((await api.acceptCase(FORM)).project_no).toBe(no);
    await api.intakeCase(FORM, { action: "reject", reason: "不属于本机关职权范围" });
    await api.actOnCase(no, { action: "complete_supplement", materiallist: FORM.materiallist });
    await api.saveDraft(FORM);
    expect(await api.loadDraft()).toEqual(FORM);
    await api.clearDraft();
    await api.listCases("  李堃 ");
    await api.listCases("   ");
    await api.listCases(null);
    await api.getCase(no);
    expect(await api.exportNotice(no)).toBe("/tmp/x/notice.pdf");
    await api.validateIntake(FORM, false);
    await api.listCases("", "suspended");
    expect(await api.promisedDatePreview(REG_NO)).toEqual({ date: "2026-11-27", estimate: null });
    expect(await api.knownApplicant("110101199003071239")).toBeNull();
    await api.setHallImage("logo", new Uint8Array([0x89, 0x50]));
    await api.setHallImage("seal", null);
    expect(await api.importCatalog(new Uint8Array([0x7b, 0x7d]))).toBe(2);
    expect(await api.exportCatalog(true)).toBe("/tmp/x/exports/catalog.xlsx");
    expect(await api.listPrinters()).toEqual(["YichuangPDF"]);
    expect(await api.printNotice(no, "acceptance", "YichuangPDF", 2)).toBe("YichuangPDF-7");
    await api.recordDialogPrint(no, "receipt");

    expect(calls).toEqual([
      { cmd: "catalog_list", args: {} },
      { cmd: "desk_profile", args: {} },
      { cmd: "update_desk_profile", args: { profile: PROFILE } },
      { cmd: "app_info", args: {} },
      { cmd: "validate_intake", args: { form: FORM, forAcceptance: true } },
      { cmd: "accept_case", args: { form: FORM } },
      { cmd: "intake_case", args: { form: FORM, decision: { action: "reject", reason: "不属于本机关职权范围" } } },
      { cmd: "act_on_case", args: { projectNo: no, action: { action: "complete_supplement", materiallist: FORM.materiallist } } },
      { cmd: "save_draft", args: { form: FORM } },
      { cmd: "load_draft", args: {} },
      { cmd: "clear_draft", args: {} },
      { cmd: "list_cases", args: { search: "李堃", stateFilter: null } },
      { cmd: "list_cases", args: { search: null, stateFilter: null } },
      { cmd: "list_cases", args: { search: null, stateFilter: null } },
      { cmd: "get_case", args: { projectNo: no } },
      { cmd: "export_notice", args: { projectNo: no, kind: "acceptance" } },
      { cmd: "validate_intake", args: { form: FORM, forAcceptance: false } },
      { cmd: "list_cases", args: { search: null, stateFilter: "suspended" } },
      { cmd: "promised_date_preview", args: { deptQlRegNo: REG_NO } },
      { cmd: "known_applicant", args: { paperCode: "110101199003071239" } },
      { cmd: "set_hall_image", args: { kind: "logo", png: [0x89, 0x50] } },
      { cmd: "set_hall_image", args: { kind: "seal", png: null } },
      { cmd: "import_catalog", args: { bytes: [0x7b, 0x7d] } },
      { cmd: "export_catalog", args: { xlsx: true } },
      { cmd: "list_printers", args: {} },
      { cmd: "print_notice", args: { projectNo: no, kind: "acceptance", printer: "YichuangPDF", copies: 2 } },
      { cmd: "record_dialog_print", args: { projectNo: no, kind: "receipt" } },
    ]);
  });

  it("returns the notice PDF as bytes, whatever binary shape IPC delivers", async () => {
    const pdf = [0x25, 0x50, 0x44, 0x46]; // %PDF
    let shape: "buffer" | "array" = "buffer";
    const calls = record(() => (shape === "buffer" ? new Uint8Array(pdf).buffer : pdf));
    const a = await api.noticePdf("N1", "acceptance");
    shape = "array";
    const b = await api.noticePdf("N2");
    expect(Array.from(a)).toEqual(pdf);
    expect(Array.from(b)).toEqual(pdf);
    expect(calls.map((c) => c.args)).toEqual([
      { projectNo: "N1", kind: "acceptance" },
      { projectNo: "N2", kind: "acceptance" },
    ]);
  });

  it("rejects with the backend's CommandError, and wraps anything else as internal", async () => {
    const err = {
      kind: "validation",
      message: "输入有误",
      errors: [{ field: "applicant_mobile", label: "手机", message: "手机号码应为11位数字" }],
    };
    record((cmd) => {
      if (cmd === "accept_case") throw err;
      if (cmd === "get_case") throw "数据库已损坏";
      throw { kind: "not_found", message: "没有这个办件" };
    });
    await expect(api.acceptCase(FORM)).rejects.toEqual(err);
    await expect(api.getCase("X")).rejects.toEqual({ kind: "internal", message: "数据库已损坏" });
    await expect(api.exportNotice("X")).rejects.toEqual({ kind: "not_found", message: "没有这个办件" });
    expect(api.errorText({ kind: "storage", message: "磁盘已满" })).toBe("磁盘已满");
    expect(api.toCommandError(new Error("boom"))).toEqual({ kind: "internal", message: "boom" });
  });

  it("reaches every command of the generated table, and nothing else", async () => {
    const calls = record(() => null);
    const helpers = new Set(["isCommandError", "toCommandError", "errorText", "onUnauthenticated"]);
    for (const [name, fn] of Object.entries(api)) {
      if (typeof fn !== "function" || helpers.has(name)) continue;
      // Any arguments do: only the command name reached matters here.
      try {
        await (fn as (...args: unknown[]) => Promise<unknown>)("x", "x", "x", "x", "x");
      } catch {
        // a null answer is no PDF; that is not what this test looks at
      }
    }
    const reached = new Set(calls.map((c) => c.cmd));
    expect(Object.keys(COMMAND_ACCESS).filter((c) => !reached.has(c))).toEqual([]);
    expect([...reached].sort()).toEqual(Object.keys(COMMAND_ACCESS).sort());
  });
});
