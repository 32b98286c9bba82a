// Test data shaped exactly like the backend's types, and the mounting helpers the component
// tests share.
import type { Component } from "vue";
import { flushPromises, mount, type VueWrapper } from "@vue/test-utils";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";

import type { AcceptOutcome } from "../bindings/AcceptOutcome";
import type { CaseRecord } from "../bindings/CaseRecord";
import type { CatalogItem } from "../bindings/CatalogItem";
import type { CaseState } from "../bindings/CaseState";
import type { DeskProfile } from "../bindings/DeskProfile";
import type { NoticeKind } from "../bindings/NoticeKind";
import type { PartyDetails } from "../bindings/PartyDetails";
import type { AuthStatus } from "../bindings/AuthStatus";
import { emptyParty } from "../composables/intakeFields";

export const REG_NO = "11010200000000000000000000001A1"; // 31 characters
export const REG_NO_2 = "11010200000000000000000000002B2";

export const ITEMS: CatalogItem[] = [
  {
    catalog_code: "000000000001",
    dept_ql_reg_no: REG_NO,
    dept_ql_name: "居民身份证换领",
    task_version: "1",
    org_id: "11110102000000000X",
    org_name: "区公安分局",
    item_type: "2",
    anticipate: 20,
    anticipate_day_type: "1",
    promise: 5,
    promise_type: "1",
    charged: true,
    fee_description: "工本费20元",
    delivery_methods: ["window", "post"],
    materials: [
      { no: "M1", sj_file_name: "原居民身份证", sj_file_if: true, sj_no: 1, form: "original", if_ec_page: false, gettype: ["1"], sharing: [] },
      { no: "M2", sj_file_name: "户口簿", sj_file_if: true, sj_no: 2, form: "both", if_ec_page: false, gettype: ["1"], sharing: [] },
      { no: "M3", sj_file_name: "委托书", sj_file_if: false, sj_no: 1, form: "copy", if_ec_page: false, gettype: ["1"], sharing: [] },
    ],
    situations: [{ code: "S1", name: "委托他人代办", material_nos: ["M3"] }],
  },
  {
    catalog_code: "000000000002",
    dept_ql_reg_no: REG_NO_2,
    dept_ql_name: "城乡居民养老保险参保登记",
    task_version: "1",
    org_id: "11110102000000001X",
    org_name: "区人力资源和社会保障局",
    item_type: "1",
    anticipate: 1,
    anticipate_day_type: "0",
    promise: 1,
    promise_type: "0",
    charged: false,
    fee_description: "",
    delivery_methods: ["electronic"],
    materials: [
      { no: "A1", sj_file_name: "身份证复印件", sj_file_if: true, sj_no: 1, form: "copy", if_ec_page: false, gettype: ["1"], sharing: [] },
    ],
    situations: [],
  },
];

export const PROFILE: DeskProfile = {
  hall_name: "示例区政务服务中心",
  area_no: "110102",
  window_no: "08",
  clerk_name: "王芳",
  desk_index: 1,
  desk_count: 1,
  has_logo: false,
  has_seal: false,
  unified_intake: false,
};

/** The party details of a natural person applying in person: nothing beyond the basics. */
export const NO_PARTY: PartyDetails = emptyParty();

export function caseRecord(projectNo: string, over: Partial<CaseRecord> = {}): CaseRecord {
  return {
    project_no: projectNo,
    dept_ql_reg_no: REG_NO,
    dept_ql_name: "居民身份证换领",
    org_id: "11110102000000000X",
    org_name: "区公安分局",
    applicant_type: "01",
    applicant_name: "李堃",
    applicant_paper_type: "0",
    applicant_paper_code: "110101199003071239",
    applicant_mobile: "13912345678",
    applicant_address: "",
    ...NO_PARTY,
    situations: [],
    state: "accepted",
    apply_date: "2026-11-22 10:30:00",
    acceptdate: "2026-11-22 10:30:00",
    acceptusername: "王芳",
    window_no: "08",
    promise: 5,
    promise_type: "1",
    promise_text: "5个工作日",
    promised_date: "2026-11-27",
    promised_date_estimate: null,
    clock_paused: false,
    clock: [],
    sync: { state: "local", pending: 0, last_error: "", cd_sign: "0", cd_time: "" },
    result: null,
    hub_documents: [],
    material_pages: [],
    sharing: null,
    supervision_orders: [],
    satisfaction: null,
    satisfaction_at: null,
    delivery_method: "window",
    materials: [{ ord: 1, no: "M1", sj_file_name: "原居民身份证", sj_no: 1, form: "original", sj_file_if: true, attachguid: null }],
    supplements: [],
    documents: [
      { kind: "acceptance", doc_no: "受字〔2026〕第08-00001号", title: "受理通知书", created_at: "2026-11-22 10:30:00", size: 20480, attachguid: null },
    ],
    history: [
      {
        at: "2026-11-22 10:30:00",
        actor: "王芳",
        window_no: "08",
        action: "受理",
        from_state: null,
        to_state: "accepted",
        opinion: "申请材料齐全、符合法定形式，予以受理",
      },
    ],
    ...over,
  };
}

const DOC: Record<NoticeKind, { char: string; title: string }> = {
  receipt: { char: "收", title: "收件凭证" },
  acceptance: { char: "受", title: "受理通知书" },
  rejection: { char: "不受", title: "不予受理通知书" },
  supplement: { char: "补", title: "补齐补正通知书" },
  temporary_receipt: { char: "临", title: "临时回执" },
};

/** The outcome of an action that left the case in `state` and issued `kind` (if any). */
export function outcome(
  projectNo: string,
  state: CaseState = "accepted",
  kind: NoticeKind | null = state === "accepted" ? "acceptance" : null,
): AcceptOutcome {
  const at = "2026-11-22 10:30:00";
  const documents = kind
    ? [{ kind, doc_no: `${DOC[kind].char}字〔2026〕第08-00001号`, title: DOC[kind].title, created_at: at, size: 20480, attachguid: null }]
    : [];
  return {
    project_no: projectNo,
    case: caseRecord(projectNo, { state, acceptdate: state === "accepted" ? at : "", documents }),
    document: kind,
  };
}

/** A clerk signed in: 李娜 at window 03. */
export const CLERK_STATUS: AuthStatus = {
  has_accounts: true,
  account: {
    id: 2,
    login: "clerk03",
    display_name: "李娜",
    window_no: "03",
    roles: ["clerk"],
    active: true,
    locked_until: null,
    created_at: "2026-11-22T09:00:00+08:00",
  },
  locked: false,
  permissions: ["intake", "act_on_case", "view_cases"],
  idle_minutes: 15,
  demo_accounts: [],
  demo_password: null,
};

/** Nobody signed in on a desk with accounts. */
export const SIGNED_OUT: AuthStatus = { ...CLERK_STATUS, account: null, permissions: [] };

/** Lets IPC answers arrive and Element Plus settle (it debounces form-item errors by 100 ms). */
export async function settle(ms = 120) {
  await flushPromises();
  await new Promise((r) => setTimeout(r, ms));
  await flushPromises();
}

/** An element by test id anywhere in the page: dialogs and dropdowns are teleported to <body>. */
export function byTestId<T extends HTMLElement = HTMLElement>(id: string): T | null {
  return document.body.querySelector<T>(`[data-testid="${id}"]`);
}

/**
 * Mounts a dialog or drawer closed with `props`, hands the wrapper to `keep` (for unmounting after
 * the test), then opens it as the app does and lets it load.
 */
export async function mountOpened(
  component: Component,
  props: Record<string, unknown>,
  keep: (w: VueWrapper) => void,
): Promise<VueWrapper> {
  const w = mount(component, {
    attachTo: document.body,
    props: { modelValue: false, ...props },
    global: { plugins: [[ElementPlus, { locale: zhCn }]] },
  });
  keep(w);
  await w.setProps({ modelValue: true });
  await settle();
  return w;
}
