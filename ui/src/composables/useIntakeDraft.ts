// The draft: the form is autosaved (sealed, in the backend) a moment after every change, so a
// closed window or a crash loses nothing; it is restored when the page opens.
import { ref, watch, type Ref } from "vue";

import * as api from "../api";
import type { IntakeForm } from "../bindings/IntakeForm";
import { emptyFields, hasLinkman, isEmptyForm, type Fields } from "./intakeFields";
import type { IntakeFormState } from "./useIntakeForm";

const DRAFT_DELAY_MS = 800;

/** `paused`: while true (the result is on screen), nothing is saved. */
export function useIntakeDraft(form: IntakeFormState, paused: Ref<boolean>) {
  const { fields, received, situations, agentOn } = form;

  const draftRestored = ref(false);
  const draftSavedAt = ref("");
  let draftReady = false;
  let draftTimer: ReturnType<typeof setTimeout> | undefined;
  /** What the backend holds: "" for nothing, else the JSON of the saved form. */
  let draftHeld = "";
  /** Draft commands run one after another, so a late save never overwrites a clear. */
  let draftChain: Promise<unknown> = Promise.resolve();

  function queueDraft(op: () => Promise<unknown>) {
    draftChain = draftChain.then(op, op);
  }

  function scheduleDraft() {
    if (!draftReady || paused.value) return;
    clearTimeout(draftTimer);
    draftTimer = setTimeout(flushDraft, DRAFT_DELAY_MS);
  }

  function flushDraft() {
    draftTimer = undefined;
    if (paused.value) return;
    const { form: built } = form.buildForm();
    const key = isEmptyForm(built) ? "" : JSON.stringify(built);
    if (key === draftHeld) return;
    draftHeld = key;
    queueDraft(async () => {
      try {
        if (key === "") {
          await api.clearDraft();
          draftSavedAt.value = "";
        } else {
          await api.saveDraft(built);
          draftSavedAt.value = new Date().toTimeString().slice(0, 8);
        }
      } catch {
        draftHeld = "\u0000"; // unknown: try again on the next change
        draftSavedAt.value = "";
      }
    });
  }

  /** Saves at once what is waiting for the delay (the page is going away). */
  function flushPendingDraft() {
    if (draftTimer !== undefined) flushDraft();
  }

  /** Forgets the draft (after a case was created, or 清空). */
  function dropDraft() {
    draftRestored.value = false;
    clearTimeout(draftTimer);
    draftTimer = undefined;
    draftSavedAt.value = "";
    if (!draftReady) return; // the stored draft has not been looked at yet: keep it
    draftHeld = "";
    queueDraft(() => api.clearDraft().catch(() => undefined));
  }

  async function restoreDraft() {
    let draft: IntakeForm | null = null;
    try {
      draft = await api.loadDraft();
    } catch {
      draft = null; // an unreadable draft is not worth stopping the clerk for
    }
    if (draft && !isEmptyForm(draft)) {
      const base = emptyFields();
      for (const k of Object.keys(base) as (keyof Fields)[]) {
        const v = draft[k];
        if (typeof v === "string") (base as Record<keyof Fields, string>)[k] = v;
      }
      Object.assign(fields, base);
      agentOn.value = fields.applicant_type === "01" && hasLinkman(fields);
      form.resetMaterials(form.item.value);
      const codes = new Set((form.item.value?.situations ?? []).map((s) => s.code));
      situations.value = (draft.situations ?? []).filter((c) => codes.has(c));
      for (const m of draft.materiallist) {
        const r = received[m.no];
        if (!r) continue;
        r.checked = true;
        if (m.sj_no > 0) r.copies = m.sj_no;
        r.share = m.share ?? null;
      }
      draftHeld = JSON.stringify(form.buildForm().form);
      draftRestored.value = true;
    }
    draftReady = true;
  }

  /** Whether the stored draft has been looked at (restored, or found empty). */
  function draftLoaded(): boolean {
    return draftReady;
  }

  watch([fields, received, situations, agentOn], scheduleDraft, { deep: true });

  return { draftRestored, draftSavedAt, dropDraft, restoreDraft, flushPendingDraft, draftLoaded };
}
