// The intake form's plain data: its fields, their empty values, and the text fields' definitions
// (label, test id, placeholder) for the applicant, the legal representative and the agent.
import type { IntakeForm } from "../bindings/IntakeForm";
import type { PaperType } from "../bindings/PaperType";
import type { PartyDetails } from "../bindings/PartyDetails";
import type { TextFieldDef } from "../components/FormTextField.vue";
import { APPLICANT_TYPES, APPLICANT_TYPE_LABELS, PAPER_TYPE_LABELS } from "../dict";

/** The form's fields as typed; materials and 情形 are kept apart (per catalog material). */
export type Fields = Omit<IntakeForm, "materiallist" | "situations">;

/** The party details of a natural person applying in person: nothing beyond the basics. */
export function emptyParty(): PartyDetails {
  return {
    applicant_phone: "",
    applicant_zipcode: "",
    applicant_email: "",
    applicant_code: "",
    oper_man_name: "",
    oper_man_code: "",
    linkman_name: "",
    linkman_paper_type: "0",
    linkman_paper_code: "",
    linkman_mobile: "",
  };
}

export function emptyFields(): Fields {
  return {
    dept_ql_reg_no: "",
    applicant_type: "01",
    applicant_name: "",
    applicant_paper_type: "0",
    applicant_paper_code: "",
    applicant_mobile: "",
    applicant_address: "",
    delivery_method: "window",
    ...emptyParty(),
  };
}

/** Whether any of the agent's (经办人) fields is filled in. */
export function hasLinkman(f: Fields): boolean {
  return [f.linkman_name, f.linkman_paper_code, f.linkman_mobile].some((v) => v.trim() !== "");
}

/** The text fields typed into (every `Fields` key whose value is free text). */
export type TextKey = Exclude<
  keyof Fields,
  "dept_ql_reg_no" | "applicant_type" | "applicant_paper_type" | "delivery_method" | "linkman_paper_type"
>;
export type TextField = TextFieldDef & { field: TextKey };

/** The applicant's name: a person's or an organisation's. */
export function nameFields(isOrg: boolean): TextField[] {
  return [
    {
      field: "applicant_name",
      label: isOrg ? "申请单位名称" : "姓名",
      testid: "applicant-name",
      maxlength: 100,
      placeholder: isOrg ? "与营业执照或登记证书一致" : "与证件一致",
      required: true,
    },
  ];
}

/** The applicant's ID number or unified social credit code. */
export function codeFields(isOrg: boolean, paperType: PaperType): TextField[] {
  return [
    {
      field: "applicant_paper_code",
      label: isOrg && paperType !== "10" ? "统一社会信用代码" : "证件号码",
      testid: "paper-code",
      maxlength: 40,
      placeholder: isOrg ? "18位统一社会信用代码" : paperType === "0" ? "18位居民身份证号码" : "证件号码",
      required: true,
      mono: true,
    },
  ];
}

/** The legal representative (法定代表人) of an organisation. */
export const REP_FIELDS: TextField[] = [
  { field: "oper_man_name", label: "法定代表人", testid: "oper-man-name", maxlength: 50, placeholder: "法定代表人（负责人）姓名", required: true },
  { field: "oper_man_code", label: "代表人证件", testid: "oper-man-code", maxlength: 18, placeholder: "法定代表人身份证号（选填）", mono: true },
];

export const CONTACT_FIELDS: TextField[] = [
  { field: "applicant_mobile", label: "手机号码", testid: "mobile", maxlength: 20, placeholder: "11位手机号码", required: true, mono: true },
  { field: "applicant_phone", label: "联系电话", testid: "phone", maxlength: 20, placeholder: "固定电话，选填，如0991-2345678", mono: true },
  { field: "applicant_zipcode", label: "邮政编码", testid: "zipcode", maxlength: 6, placeholder: "选填", mono: true },
  { field: "applicant_email", label: "电子邮箱", testid: "email", maxlength: 100, placeholder: "选填" },
  { field: "applicant_address", label: "联系地址", testid: "address", maxlength: 200, placeholder: "选填" },
];

/** The agent's (经办人) name, above the agent's document type. */
export const AGENT_NAME_FIELDS: TextField[] = [
  { field: "linkman_name", label: "经办人姓名", testid: "linkman-name", maxlength: 50, placeholder: "到窗口办理的人", required: true },
];

/** The agent's document number and mobile, below the agent's document type. */
export function agentFields(paperType: PaperType): TextField[] {
  return [
    {
      field: "linkman_paper_code",
      label: "证件号码",
      testid: "linkman-paper-code",
      maxlength: 40,
      placeholder: paperType === "0" ? "经办人18位身份证号码" : "经办人证件号码",
      required: true,
      mono: true,
    },
    { field: "linkman_mobile", label: "经办人手机", testid: "linkman-mobile", maxlength: 20, placeholder: "选填", mono: true },
  ];
}

export const APPLICANT_TYPE_OPTIONS = APPLICANT_TYPES.map((t) => ({ value: t, label: APPLICANT_TYPE_LABELS[t] }));

/** Document types as select options. */
export function paperOptions(types: PaperType[]): { value: PaperType; label: string }[] {
  return types.map((p) => ({ value: p, label: PAPER_TYPE_LABELS[p] }));
}

/** Fields that have their own place on the page, in page order. */
export const PLACED_FIELDS = [
  "dept_ql_reg_no",
  "applicant_type",
  "applicant_name",
  "applicant_paper_type",
  "applicant_paper_code",
  "applicant_code",
  "oper_man_name",
  "oper_man_code",
  "applicant_mobile",
  "applicant_phone",
  "applicant_zipcode",
  "applicant_email",
  "applicant_address",
  "delivery_method",
  "linkman_name",
  "linkman_paper_type",
  "linkman_paper_code",
  "linkman_mobile",
  "situations",
  "materiallist",
] as const;

/** The element (data-testid) that takes focus for a field's error. */
export const FIELD_TESTID: Record<string, string> = {
  dept_ql_reg_no: "item-select",
  applicant_type: "applicant-type",
  applicant_name: "applicant-name",
  applicant_paper_type: "paper-type",
  applicant_paper_code: "paper-code",
  applicant_code: "org-code",
  oper_man_name: "oper-man-name",
  oper_man_code: "oper-man-code",
  applicant_mobile: "mobile",
  applicant_phone: "phone",
  applicant_zipcode: "zipcode",
  applicant_email: "email",
  applicant_address: "address",
  delivery_method: "delivery-method",
  linkman_name: "linkman-name",
  linkman_paper_type: "linkman-paper-type",
  linkman_paper_code: "linkman-paper-code",
  linkman_mobile: "linkman-mobile",
  situations: "situations",
  materiallist: "select-required-materials",
};

/** Whether a backend field name belongs to the intake form (not to a decision dialog). */
export function isFormField(field: string): boolean {
  return (
    (PLACED_FIELDS as readonly string[]).includes(field) ||
    field.startsWith("materiallist[") ||
    field.startsWith("situations[")
  );
}

/** Whether a form holds nothing worth keeping as a draft. */
export function isEmptyForm(f: IntakeForm): boolean {
  return (
    !f.dept_ql_reg_no &&
    !f.applicant_name.trim() &&
    !f.oper_man_name.trim() &&
    !f.linkman_name.trim() &&
    !f.linkman_paper_code.trim() &&
    !f.applicant_paper_code.trim() &&
    !f.applicant_mobile.trim() &&
    !f.applicant_address.trim() &&
    f.materiallist.length === 0
  );
}
