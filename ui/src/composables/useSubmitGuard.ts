// The decisions at the counter (受理, 提交受理, 收件, 补齐补正, 不予受理) and their guard: one
// decision at a time, the form checked with the backend first, the refusal shown under the
// fields; and the result of the decision that created a case.
import { computed, ref, type Ref } from "vue";
import { ElMessage } from "element-plus";

import * as api from "../api";
import type { AcceptOutcome } from "../bindings/AcceptOutcome";
import type { IntakeDecision } from "../bindings/IntakeDecision";
import type { IntakeForm } from "../bindings/IntakeForm";
import type { SupplementRequest } from "../bindings/SupplementRequest";
import { isFormField } from "./intakeFields";
import type { IntakeErrors } from "./useIntakeErrors";
import type { IntakeFormState } from "./useIntakeForm";

type Checked = { form: IntakeForm; nos: string[] };

export function useSubmitGuard(
  form: IntakeFormState,
  check: IntakeErrors,
  /** The result dialog is open (owned by the caller, since the draft pauses on it too). */
  resultOpen: Ref<boolean>,
  /** A case was created: the draft is no longer needed. */
  onCreated: () => void,
) {
  const { submitting, errorCount } = check;

  const result = ref<AcceptOutcome | null>(null);
  const previewOpen = ref(false);
  /** Which decision is being sent (its button shows the spinner). */
  const deciding = ref<IntakeDecision["action"] | null>(null);

  const supplementOpen = ref(false);
  const supplementPreselected = ref<string[]>([]);
  const rejectOpen = ref(false);

  /** Whether a dialog of the decisions is open (the page's shortcuts then stay quiet). */
  const dialogOpen = computed(
    () => resultOpen.value || previewOpen.value || supplementOpen.value || rejectOpen.value,
  );

  /**
   * Checks the form with the backend before a decision. Only 受理 needs every required material;
   * the other decisions may be made with materials missing (that is what 补齐补正 is for).
   * Shows the problems and returns null when there are any.
   */
  async function precheck(forAccept: boolean): Promise<Checked | null> {
    check.submitted.value = true;
    check.staleChecks(); // answers of earlier background checks are stale now
    const { form: built, nos } = form.buildForm();
    const list = await api.validateIntake(built, forAccept);
    if (list.length > 0) {
      check.showErrors(list, nos, true);
      ElMessage.warning(`有 ${errorCount.value} 处信息需要更正`);
      check.focusFirstError();
      return null;
    }
    check.clearErrors();
    return { form: built, nos };
  }

  /** Shows a refused decision: field errors under the fields, anything else as a message. */
  function showFailure(e: unknown, nos: string[], what: string) {
    const ce = api.toCommandError(e);
    if (ce.kind === "validation") {
      check.showErrors(ce.errors.filter((fe) => isFormField(fe.field)), nos, true);
      ElMessage.warning(ce.errors.length > 0 && errorCount.value > 0 ? `有 ${errorCount.value} 处信息需要更正` : ce.message);
      check.focusFirstError();
    } else {
      ElMessage.error({ message: `${what}失败：${ce.message}`, duration: 6000 });
    }
  }

  /** A case was created: show the result, and the draft is no longer needed. */
  function finish(outcome: AcceptOutcome) {
    check.clearErrors();
    ElMessage.closeAll();
    result.value = outcome;
    resultOpen.value = true;
    onCreated();
  }

  /**
   * Runs one decision at a time: none while another is sent or the result is on screen. The
   * decision's button shows the spinner, the others are disabled meanwhile.
   */
  async function guarded(action: IntakeDecision["action"], what: string, run: (nos: string[]) => Promise<void>) {
    if (submitting.value || resultOpen.value) return;
    submitting.value = true;
    deciding.value = action;
    const nos: string[] = [];
    try {
      await run(nos);
    } catch (e) {
      showFailure(e, nos, what);
    } finally {
      submitting.value = false;
      deciding.value = null;
    }
  }

  /** Checks the form, then creates the case with `create`. */
  function createCase(action: IntakeDecision["action"], what: string, create: (f: IntakeForm) => Promise<AcceptOutcome>) {
    return guarded(action, what, async (nos) => {
      const checked = await precheck(action === "accept");
      if (!checked) return;
      nos.push(...checked.nos);
      finish(await create(checked.form));
    });
  }

  /** 受理 (Ctrl+Enter); with 帮我传 materials, 提交受理 (the case waits in 受理中). */
  async function submit() {
    if (form.anyShared.value) {
      await createCase("accept", "提交受理", (f) => api.submitCase(f));
      return;
    }
    await decideNow({ action: "accept" }, "受理");
  }

  /** 收件 (Alt+R): takes the materials in and issues the 收件凭证; the decision comes later. */
  async function receive() {
    await decideNow({ action: "receive" }, "收件");
  }

  function decideNow(decision: IntakeDecision, what: string) {
    return createCase(decision.action, what, (f) => api.intakeCase(f, decision));
  }

  /** 补齐补正 (Alt+B): after the form checks out, asks which materials and why. */
  async function openSupplement() {
    await guarded("request_supplement", "补齐补正", async () => {
      if (!(await precheck(false))) return;
      supplementPreselected.value = (form.item.value?.materials ?? [])
        .filter((m) => form.isRequired(m) && !form.received[m.no]?.checked)
        .map((m) => m.no);
      supplementOpen.value = true;
    });
  }

  /** 不予受理 (Alt+N): after the form checks out, asks for the reason. */
  async function openReject() {
    await guarded("reject", "不予受理", async () => {
      if (!(await precheck(false))) return;
      rejectOpen.value = true;
    });
  }

  /**
   * Sends a decision made in a dialog. Errors of the form go under the form's fields; the error is
   * passed on so the dialog shows its own fields' errors.
   */
  async function decideFromDialog(decision: IntakeDecision) {
    const { form: built, nos } = form.buildForm();
    try {
      finish(await api.intakeCase(built, decision));
    } catch (e) {
      const ce = api.toCommandError(e);
      if (ce.kind === "validation") check.showErrors(ce.errors.filter((fe) => isFormField(fe.field)), nos, true);
      throw ce;
    }
  }

  const submitSupplement = (request: SupplementRequest) => decideFromDialog({ action: "request_supplement", request });
  const submitReject = (reason: string) => decideFromDialog({ action: "reject", reason });

  return {
    result,
    resultOpen,
    previewOpen,
    deciding,
    supplementOpen,
    supplementPreselected,
    rejectOpen,
    dialogOpen,
    submit,
    receive,
    openSupplement,
    openReject,
    submitSupplement,
    submitReject,
  };
}
