// The intake form's state: the catalog, the fields typed, the applicant's kind, the 情形 ticked
// and the materials received; and the form as it is sent to the backend.
import { computed, reactive, ref } from "vue";

import * as api from "../api";
import type { ApplicantType } from "../bindings/ApplicantType";
import type { CatalogItem } from "../bindings/CatalogItem";
import type { CatalogMaterial } from "../bindings/CatalogMaterial";
import type { DeliveryMethod } from "../bindings/DeliveryMethod";
import type { IntakeForm } from "../bindings/IntakeForm";
import type { PaperType } from "../bindings/PaperType";
import type { ShareMethod } from "../bindings/ShareMethod";
import { ORG_PAPER_TYPES, PERSON_PAPER_TYPES } from "../dict";
import { emptyFields, type Fields } from "./intakeFields";

/** A catalog material on the page: ticked as received, how many copies, and 帮我传. */
export type Received = { checked: boolean; copies: number | undefined; share: ShareMethod | null };

export function useCatalog() {
  const items = ref<CatalogItem[]>([]);
  const catalogLoading = ref(false);
  const catalogError = ref("");
  const itemQuery = ref("");

  const filteredItems = computed(() => {
    const q = itemQuery.value.trim().toLowerCase();
    if (!q) return items.value;
    return items.value.filter(
      (it) =>
        it.dept_ql_name.toLowerCase().includes(q) ||
        it.org_name.toLowerCase().includes(q) ||
        it.dept_ql_reg_no.toLowerCase().includes(q) ||
        it.catalog_code.toLowerCase().includes(q),
    );
  });

  async function loadCatalog() {
    catalogLoading.value = true;
    catalogError.value = "";
    try {
      items.value = await api.catalogList();
    } catch (e) {
      catalogError.value = `读取事项目录失败：${api.errorText(e)}`;
    } finally {
      catalogLoading.value = false;
    }
  }

  return { items, catalogLoading, catalogError, itemQuery, filteredItems, loadCatalog };
}

export function useIntakeForm() {
  const catalog = useCatalog();
  const { items } = catalog;

  const fields = reactive<Fields>(emptyFields());

  /** Applicant types 02–05 are organisations (法人及其他组织). */
  const isOrg = computed(() => fields.applicant_type !== "01");
  const paperTypeOptions = computed<PaperType[]>(() => (isOrg.value ? ORG_PAPER_TYPES : PERSON_PAPER_TYPES));
  /** A natural person who sends someone else (由他人代办); an organisation always has an agent. */
  const agentOn = ref(false);
  const showAgent = computed(() => isOrg.value || agentOn.value);

  /**
   * The last document type chosen for a person and for an organisation, so switching the
   * applicant type back and forth restores it. Nothing typed is cleared by a switch.
   */
  const lastPaperType: { person: PaperType; org: PaperType } = { person: "0", org: "8" };

  /** Keeps the document type one of the new applicant type's. */
  function switchPaperType(t: ApplicantType) {
    const org = t !== "01";
    const allowed = org ? ORG_PAPER_TYPES : PERSON_PAPER_TYPES;
    if (!allowed.includes(fields.applicant_paper_type)) {
      lastPaperType[org ? "person" : "org"] = fields.applicant_paper_type;
      fields.applicant_paper_type = lastPaperType[org ? "org" : "person"];
    }
  }

  /** Per catalog material `no`: ticked as received, and how many copies. */
  const received = reactive<Record<string, Received>>({});

  const item = computed<CatalogItem | null>(
    () => items.value.find((it) => it.dept_ql_reg_no === fields.dept_ql_reg_no) ?? null,
  );

  const deliveryOptions = computed<DeliveryMethod[]>(() =>
    item.value && item.value.delivery_methods.length > 0 ? item.value.delivery_methods : ["window"],
  );

  /** 情形 that apply to this applicant (codes); each makes more materials necessary. */
  const situations = ref<string[]>([]);

  /** Materials required by the chosen 情形 (by `no`). */
  const situationNos = computed(() => {
    const nos = new Set<string>();
    for (const sit of item.value?.situations ?? []) {
      if (situations.value.includes(sit.code)) for (const no of sit.material_nos) nos.add(no);
    }
    return nos;
  });

  function isRequired(m: CatalogMaterial): boolean {
    return m.sj_file_if || situationNos.value.has(m.no);
  }

  const requiredCount = computed(() => item.value?.materials.filter(isRequired).length ?? 0);
  const receivedCount = computed(
    () => item.value?.materials.filter((m) => received[m.no]?.checked).length ?? 0,
  );
  /** The chosen item's materials required for this applicant (with the chosen 情形). */
  const requiredNos = computed(() => (item.value?.materials ?? []).filter(isRequired).map((m) => m.no));

  /** Whether any ticked material is fetched through 帮我传: then 受理 submits into 受理中. */
  const anyShared = computed(() =>
    (item.value?.materials ?? []).some((m) => received[m.no]?.checked && received[m.no]?.share),
  );

  /** The form as sent, and which catalog material each `materiallist[i]` is. */
  function buildForm(): { form: IntakeForm; nos: string[] } {
    const ticked = (item.value?.materials ?? []).filter((m) => received[m.no]?.checked);
    const known = new Set((item.value?.situations ?? []).map((s) => s.code));
    // What is hidden is not sent (it stays typed on the page): a person has no legal
    // representative, and no agent unless 由他人代办 is on.
    const party: Partial<Fields> = {};
    if (!isOrg.value) {
      party.oper_man_name = "";
      party.oper_man_code = "";
      party.applicant_code = "";
      if (!agentOn.value) {
        party.linkman_name = "";
        party.linkman_paper_type = "0";
        party.linkman_paper_code = "";
        party.linkman_mobile = "";
      }
    }
    const form: IntakeForm = {
      ...fields,
      ...party,
      situations: situations.value.filter((c) => known.has(c)),
      materiallist: ticked.map((m) => ({
        no: m.no,
        sj_file_name: m.sj_file_name,
        sj_no: Math.max(0, Math.trunc(received[m.no]?.copies ?? 0)),
        ...(received[m.no]?.share ? { share: received[m.no]!.share! } : {}),
      })),
    };
    return { form, nos: ticked.map((m) => m.no) };
  }

  function resetMaterials(it: CatalogItem | null) {
    situations.value = [];
    for (const k of Object.keys(received)) delete received[k];
    for (const m of it?.materials ?? []) {
      received[m.no] = { checked: false, copies: Math.max(1, m.sj_no), share: null };
    }
  }

  return {
    ...catalog,
    fields,
    isOrg,
    paperTypeOptions,
    agentOn,
    showAgent,
    switchPaperType,
    received,
    item,
    deliveryOptions,
    situations,
    situationNos,
    isRequired,
    requiredCount,
    receivedCount,
    requiredNos,
    anyShared,
    buildForm,
    resetMaterials,
  };
}

export type IntakeFormState = ReturnType<typeof useIntakeForm>;
