// The backend's verdict on the intake form, shown under the fields: checked live as the clerk
// leaves or changes a field, and in full before a decision.
import { computed, nextTick, reactive, ref } from "vue";

import * as api from "../api";
import type { FieldError } from "../bindings/FieldError";
import type { IntakeForm } from "../bindings/IntakeForm";
import { errorsByField } from "../lib/case";
import { FIELD_TESTID, PLACED_FIELDS } from "./intakeFields";

export function useIntakeErrors(
  buildForm: () => { form: IntakeForm; nos: string[] },
  focusTestId: (id: string) => void,
) {
  const errors = reactive<Record<string, string>>({});
  /** Errors of a received material, by catalog `no`; `field` is the backend's name for it. */
  const materialErrors = reactive<Record<string, { field: string; message: string }>>({});
  /** Errors that have no place of their own on the page. */
  const otherErrors = ref<FieldError[]>([]);
  const touched = new Set<string>();
  const submitted = ref(false);
  const submitting = ref(false);
  /** Counts background checks; an answer to an older one is stale. */
  let seq = 0;

  const errorCount = computed(
    () => Object.keys(errors).length + Object.keys(materialErrors).length + otherErrors.value.length,
  );

  function clearMaterialErrors() {
    for (const k of Object.keys(materialErrors)) delete materialErrors[k];
  }

  function clearErrors() {
    for (const k of Object.keys(errors)) delete errors[k];
    clearMaterialErrors();
    otherErrors.value = [];
  }

  /** Makes the answers of earlier background checks stale. */
  function staleChecks() {
    seq++;
  }

  /**
   * Shows the backend's verdict. With `all`, every error is shown; otherwise only those of fields
   * the clerk has already left (so a half-filled form is not covered in red). Input is never
   * touched here: only the messages change.
   */
  function showErrors(list: FieldError[], nos: string[], all: boolean) {
    // A field may have several problems (e.g. more than one required material missing): show all.
    // Problems of single 情形 (`situations[i]`) show together above the materials.
    const byField = errorsByField(
      list.map((fe) => (fe.field.startsWith("situations[") ? { ...fe, field: "situations" } : fe)),
    );

    const rowErrors: Record<string, { field: string; message: string }> = {};
    const others: FieldError[] = [];
    for (const [field, fe] of byField) {
      const m = /^materiallist\[(\d+)\]/.exec(field);
      if (m) {
        const no = nos[Number(m[1])];
        if (no !== undefined && !rowErrors[no]) {
          rowErrors[no] = { field, message: fe.message };
          continue;
        }
        others.push(fe);
      } else if (!(PLACED_FIELDS as readonly string[]).includes(field)) {
        others.push(fe);
      }
    }

    for (const f of PLACED_FIELDS) {
      if (!all && !touched.has(f)) continue;
      const fe = byField.get(f);
      if (fe) errors[f] = fe.message;
      else delete errors[f];
    }
    if (all || touched.has("materiallist")) {
      clearMaterialErrors();
      Object.assign(materialErrors, rowErrors);
    }
    if (all) otherErrors.value = others;
  }

  /** Re-checks with the backend after the clerk leaves or changes a field. Best effort. */
  async function liveValidate() {
    if (submitting.value) return;
    const my = ++seq;
    const { form, nos } = buildForm();
    try {
      const list = await api.validateIntake(form);
      if (my !== seq || submitting.value) return;
      showErrors(list, nos, submitted.value);
    } catch {
      // A failed background check is not worth interrupting the clerk; submit will tell.
    }
  }

  function onFieldChange(field: string) {
    touched.add(field);
    void liveValidate();
  }

  function focusFirstError() {
    const first = PLACED_FIELDS.find((f) => errors[f]);
    if (first) {
      const id = FIELD_TESTID[first];
      if (id) void nextTick(() => focusTestId(id));
      return;
    }
    const no = Object.keys(materialErrors)[0];
    if (no !== undefined) void nextTick(() => focusTestId(`material-copies-${no}`));
  }

  /** Forgets what the clerk touched and submitted: the next applicant starts clean. */
  function resetErrors() {
    clearErrors();
    touched.clear();
    submitted.value = false;
    seq++;
  }

  return {
    errors,
    materialErrors,
    otherErrors,
    touched,
    submitted,
    submitting,
    errorCount,
    clearErrors,
    clearMaterialErrors,
    staleChecks,
    showErrors,
    liveValidate,
    onFieldChange,
    focusFirstError,
    resetErrors,
  };
}

export type IntakeErrors = ReturnType<typeof useIntakeErrors>;
