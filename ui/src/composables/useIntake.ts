// The intake page's state and behaviour, put together from its parts (form, errors, returning
// applicant, draft, decisions, 帮我传) and shared with the page's sections through provide/inject.
import { inject, nextTick, onBeforeUnmount, onMounted, provide, ref, type InjectionKey, type Ref } from "vue";

import type { ApplicantType } from "../bindings/ApplicantType";
import type { CatalogMaterial } from "../bindings/CatalogMaterial";
import { emptyFields } from "./intakeFields";
import { useApplicantLookup } from "./useApplicantLookup";
import { useIntakeDraft } from "./useIntakeDraft";
import { useIntakeErrors } from "./useIntakeErrors";
import { useIntakeForm } from "./useIntakeForm";
import { useShareQuery } from "./useShareQuery";
import { useSubmitGuard } from "./useSubmitGuard";

/** `root`: the page's element (focus and Enter-to-advance look inside it). */
function createIntake(root: Readonly<Ref<HTMLElement | null>>, active: () => boolean) {

  function focusTestId(id: string) {
    const el = root.value?.querySelector<HTMLElement>(`[data-testid="${id}"]`);
    if (!el) return;
    const target = el.matches("input, textarea, button")
      ? el
      : el.querySelector<HTMLElement>("input:not([disabled]), textarea, button:not([disabled])");
    target?.focus();
  }

  const form = useIntakeForm();
  const check = useIntakeErrors(form.buildForm, focusTestId);
  const { fields, received, item } = form;
  const { onFieldChange, touched, submitted } = check;

  function onApplicantTypeChange(t: ApplicantType) {
    form.switchPaperType(t);
    onFieldChange("applicant_type");
  }

  const lookup = useApplicantLookup(form, check, onApplicantTypeChange);

  function onFieldBlur(field: string) {
    touched.add(field);
    void check.liveValidate();
    if (field === "applicant_paper_code") void lookup.lookUpApplicant();
  }

  function onItemChange(no: string) {
    const it = form.items.value.find((i) => i.dept_ql_reg_no === no) ?? null;
    form.resetMaterials(it);
    check.clearMaterialErrors();
    if (it && !it.delivery_methods.includes(fields.delivery_method)) {
      fields.delivery_method = it.delivery_methods[0] ?? "window";
    }
    onFieldChange("dept_ql_reg_no");
    void nextTick(() => focusTestId("applicant-name"));
  }

  /** 情形 ticked or unticked: its materials become required (or not), and are checked again. */
  function onSituationsChange() {
    onFieldChange("situations");
    if (touched.has("materiallist") || submitted.value) onFieldChange("materiallist");
  }

  function selectRequired() {
    for (const m of item.value?.materials ?? []) {
      const r = received[m.no];
      if (form.isRequired(m) && r) r.checked = true;
    }
    onFieldChange("materiallist");
  }

  /** Whether a material row shows as received, or as a required one missing. */
  function materialRowClass({ row }: { row: CatalogMaterial }) {
    if (received[row.no]?.checked) return "row-received";
    // While "required materials missing" is shown, point at the rows it means.
    if (check.errors.materiallist && form.isRequired(row)) return "row-missing";
    return "";
  }

  const resultOpen = ref(false);
  const draft = useIntakeDraft(form, resultOpen);
  const guard = useSubmitGuard(form, check, resultOpen, draft.dropDraft);
  const share = useShareQuery(form, onFieldChange);

  /** Clears everything for the next applicant. */
  function resetForm() {
    draft.dropDraft();
    Object.assign(fields, emptyFields());
    form.agentOn.value = false;
    lookup.forgetKnown();
    form.resetMaterials(null);
    check.resetErrors();
    guard.result.value = null;
    void nextTick(() => focusTestId("item-select"));
  }

  // ------------------------------------------------------------ keyboard

  /** Enter in a text input moves to the next field instead of submitting anything. */
  function onFormKeydown(ev: KeyboardEvent) {
    if (ev.key !== "Enter" || ev.ctrlKey || ev.metaKey || ev.altKey || ev.shiftKey) return;
    if (ev.isComposing || ev.keyCode === 229) return; // the IME is confirming a word
    const t = ev.target;
    if (!(t instanceof HTMLInputElement) || t.type === "checkbox" || t.type === "radio") return;
    if (t.closest(".el-select")) return; // Enter picks the highlighted option there
    const navs = Array.from(root.value?.querySelectorAll<HTMLElement>("[data-nav]") ?? []);
    const at = navs.findIndex((n) => n.contains(t));
    if (at < 0) return; // e.g. a copies box in the materials table
    ev.preventDefault();
    for (const next of navs.slice(at + 1)) {
      const target = next.querySelector<HTMLElement>(
        "input:not([disabled]):not([type=hidden]), textarea:not([disabled]), button:not([disabled])",
      );
      if (target) {
        target.focus();
        return;
      }
    }
  }

  /** The decision shortcuts: Ctrl+Enter 受理, Alt+R 收件, Alt+B 补齐补正, Alt+N 不予受理. */
  function onWindowKeydown(ev: KeyboardEvent) {
    if (!active() || ev.defaultPrevented) return;
    if (guard.dialogOpen.value) return;
    const t = ev.target as HTMLElement | null;
    if (t?.closest?.(".el-dialog, .el-drawer, .el-message-box")) return;
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) && !ev.altKey) {
      ev.preventDefault();
      void guard.submit();
      return;
    }
    if (!ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
    const key = ev.code.startsWith("Key") ? ev.code.slice(3).toLowerCase() : ev.key.toLowerCase();
    const run = { r: guard.receive, b: guard.openSupplement, n: guard.openReject }[key];
    if (run) {
      ev.preventDefault();
      void run();
    }
  }

  // ------------------------------------------------------------ opening and closing

  async function init() {
    await form.loadCatalog();
    // Without the catalog the draft's materials cannot be shown; keep it until the retry.
    if (!form.catalogError.value && !draft.draftLoaded()) await draft.restoreDraft();
  }

  onMounted(() => {
    void init();
    window.addEventListener("keydown", onWindowKeydown);
  });

  onBeforeUnmount(() => {
    window.removeEventListener("keydown", onWindowKeydown);
    draft.flushPendingDraft();
  });

  /** After the catalog was replaced (窗口设置 → 事项目录导入). */
  async function reloadCatalog() {
    await form.loadCatalog();
    if (fields.dept_ql_reg_no && !item.value) {
      fields.dept_ql_reg_no = "";
      form.resetMaterials(null);
    }
  }

  return {
    ...form,
    ...check,
    ...lookup,
    ...draft,
    ...guard,
    ...share,
    onApplicantTypeChange,
    onFieldBlur,
    onItemChange,
    onSituationsChange,
    selectRequired,
    materialRowClass,
    resetForm,
    onFormKeydown,
    init,
    reloadCatalog,
  };
}

export type Intake = ReturnType<typeof createIntake>;

const INTAKE: InjectionKey<Intake> = Symbol("intake");

/** Creates the intake page's state and hands it to the page's sections. */
export function provideIntake(root: Readonly<Ref<HTMLElement | null>>, active: () => boolean): Intake {
  const intake = createIntake(root, active);
  provide(INTAKE, intake);
  return intake;
}

/** The intake page's state, in one of the page's sections. */
export function useIntake(): Intake {
  const intake = inject(INTAKE);
  if (!intake) throw new Error("useIntake() outside the intake page");
  return intake;
}

/** Table slots hand rows over untyped; this restores the binding's type. */
export function mat(row: unknown): CatalogMaterial {
  return row as CatalogMaterial;
}
