// Filling the applicant in without typing: a returning applicant found by ID number or credit
// code (填入上次信息), and the ID card on the desk's reader (读取身份证).
import { ref, watch } from "vue";

import * as api from "../api";
import type { ApplicantType } from "../bindings/ApplicantType";
import type { KnownApplicant } from "../bindings/KnownApplicant";
import { hasLinkman } from "./intakeFields";
import type { IntakeErrors } from "./useIntakeErrors";
import type { IntakeFormState } from "./useIntakeForm";

/** The fields filled from an earlier case, only where the clerk has typed nothing. */
const KNOWN_FIELDS = [
  "applicant_name",
  "applicant_mobile",
  "applicant_address",
  "applicant_phone",
  "applicant_zipcode",
  "applicant_email",
  "applicant_code",
  "oper_man_name",
  "oper_man_code",
  "linkman_name",
  "linkman_paper_code",
  "linkman_mobile",
] as const;

export function useApplicantLookup(
  form: IntakeFormState,
  check: IntakeErrors,
  onApplicantTypeChange: (t: ApplicantType) => void,
) {
  const { fields } = form;

  // ------------------------------------------------------------ returning applicant

  const knownApplicant = ref<KnownApplicant | null>(null);
  let knownSeq = 0;
  let knownFor = "";

  /** An ID number or unified social credit code that is complete enough to look up. */
  function lookupable(code: string): boolean {
    return /^[0-9A-Za-z]{18}$/.test(code) || (!["0", "8"].includes(fields.applicant_paper_type) && code.length >= 6);
  }

  async function lookUpApplicant() {
    const code = fields.applicant_paper_code.trim().toUpperCase();
    if (code === knownFor) return;
    knownFor = code;
    const my = ++knownSeq;
    knownApplicant.value = null;
    if (!lookupable(code)) return;
    try {
      const found = await api.knownApplicant(code);
      if (my === knownSeq) knownApplicant.value = found && found.cases > 0 ? found : null;
    } catch {
      // A convenience only; the clerk types the details in.
    }
  }

  watch(
    () => fields.applicant_paper_code,
    (code) => {
      const c = code.trim();
      if (c.toUpperCase() !== knownFor) {
        if (knownApplicant.value) knownApplicant.value = null;
        if (c.length === 18) void lookUpApplicant();
        else knownFor = "";
      }
    },
  );

  function fillKnown() {
    const k = knownApplicant.value;
    if (!k) return;
    if (k.applicant_type !== fields.applicant_type && !fields.applicant_name.trim()) {
      fields.applicant_type = k.applicant_type;
      onApplicantTypeChange(k.applicant_type);
    }
    const linkmanWasEmpty = !fields.linkman_paper_code.trim();
    for (const f of KNOWN_FIELDS) {
      if (fields[f].trim() === "" && k[f].trim() !== "") fields[f] = k[f];
    }
    if (linkmanWasEmpty && k.linkman_paper_code.trim() !== "") fields.linkman_paper_type = k.linkman_paper_type;
    if (!form.isOrg.value && hasLinkman(fields)) form.agentOn.value = true;
    knownApplicant.value = null;
    for (const f of KNOWN_FIELDS) check.touched.add(f);
    void check.liveValidate();
  }

  /** Forgets the returning applicant (for the next applicant). */
  function forgetKnown() {
    knownApplicant.value = null;
    knownFor = "";
  }

  // ------------------------------------------------------------ ID card reader

  const readingCard = ref(false);
  const cardNote = ref<{ type: "success" | "warning" | "error"; text: string } | null>(null);

  /**
   * 读取身份证: fills the applicant (a natural person) from the card on the desk's reader. A
   * field already typed is overwritten only by the card's own value; nothing else is touched.
   */
  async function readIdCard() {
    if (readingCard.value) return;
    readingCard.value = true;
    cardNote.value = null;
    try {
      const card = await api.readIdCard();
      if (fields.applicant_type !== "01") {
        fields.applicant_type = "01";
        onApplicantTypeChange("01");
      }
      fields.applicant_paper_type = "0";
      fields.applicant_name = card.name;
      fields.applicant_paper_code = card.id_number;
      if (card.address) fields.applicant_address = card.address;
      for (const f of ["applicant_type", "applicant_paper_type", "applicant_name", "applicant_paper_code", "applicant_address"]) {
        check.touched.add(f);
      }
      void check.liveValidate();
      cardNote.value = card.problem
        ? { type: "warning", text: card.problem }
        : {
            type: "success",
            text: `已读取：${card.name}，${card.sex}，${card.ethnicity}族，${card.birth_date}出生；${card.issuing_authority}签发，有效期至${card.valid_to}`,
          };
    } catch (e) {
      cardNote.value = { type: "error", text: api.errorText(e) };
    } finally {
      readingCard.value = false;
    }
  }

  return { knownApplicant, lookUpApplicant, fillKnown, forgetKnown, readingCard, cardNote, readIdCard };
}
