// What the clerk can do to a case in its current state (受理, 补齐补正, 不予受理, 撤回, 特别程序,
// 延长, 办结, 出件): the buttons, the dialogs that ask for a reason, and the outcome.
import { computed, reactive, ref, type Ref } from "vue";

import * as api from "../api";
import type { AcceptOutcome } from "../bindings/AcceptOutcome";
import type { CaseAction } from "../bindings/CaseAction";
import type { CaseRecord } from "../bindings/CaseRecord";
import type { CaseState } from "../bindings/CaseState";
import type { CatalogItem } from "../bindings/CatalogItem";
import type { DocumentInfo } from "../bindings/DocumentInfo";
import type { HandleResult } from "../bindings/HandleResult";
import type { MaterialReceipt } from "../bindings/MaterialReceipt";
import type { SupplementRecord } from "../bindings/SupplementRecord";
import type { SupplementRequest } from "../bindings/SupplementRequest";
import {
  CASE_ACTIONS,
  CASE_ACTION_LABELS,
  CASE_STATE_LABELS,
  TIME_UNIT_LABELS,
  UNIFIED_ONLY_ACTIONS,
  type CaseActionKind,
} from "../dict";
import { actionDoneText, errorsByField, latestDoc, openSupplements } from "../lib/case";

/** Why nothing more can be done, for the states with no actions. */
export const FINAL_NOTE: Partial<Record<CaseState, string>> = {
  rejected: "办件已不予受理，不能再办理",
  withdrawn: "办件已撤回，不能再办理",
  handed_over: "办理结果已出件，办件已完结",
};

export const ACTION_TESTID: Record<CaseActionKind, string> = {
  accept: "action-accept",
  reject: "action-reject",
  request_supplement: "action-supplement",
  complete_supplement: "action-supplement-done",
  withdraw: "action-withdraw",
  suspend: "action-suspend",
  resume: "action-resume",
  extend: "action-extend",
  conclude: "action-conclude",
  hand_over: "action-hand-over",
};

export const ACTION_TYPE: Record<CaseActionKind, "primary" | "danger" | "warning" | "success" | "default"> = {
  accept: "primary",
  reject: "danger",
  request_supplement: "warning",
  complete_supplement: "success",
  withdraw: "default",
  suspend: "warning",
  resume: "success",
  extend: "default",
  conclude: "success",
  hand_over: "primary",
};

/** The actions that only ask for a reason (and what else their dialog holds) before they are sent. */
export type DialogAction = "reject" | "withdraw" | "suspend" | "resume" | "extend" | "conclude" | "hand_over";

export function useCaseActions(
  record: Ref<CaseRecord | null>,
  projectNo: () => string,
  changed: (rec: CaseRecord) => void,
) {
  /** Whether this desk is in 统一受办 mode (it concludes cases itself); read once per opening. */
  const unified = ref(false);
  const actions = computed<CaseActionKind[]>(() =>
    record.value
      ? CASE_ACTIONS[record.value.state].filter((a) => unified.value || !UNIFIED_ONLY_ACTIONS.includes(a))
      : [],
  );
  const busy = ref<CaseActionKind | null>(null);
  const actionError = ref("");
  /** What the last action did, and the document it issued. */
  const lastOutcome = ref<{ text: string; doc: DocumentInfo | null } | null>(null);

  /** Which reason dialogs are open. */
  const dialogOpen = reactive<Record<DialogAction, boolean>>({
    reject: false,
    withdraw: false,
    suspend: false,
    resume: false,
    extend: false,
    conclude: false,
    hand_over: false,
  });
  const concludeStatus = ref<HandleResult>("1");
  const concludeResultNo = ref("");
  /** 特别程序种类名称 being chosen or typed, and the extension asked for. */
  const specialName = ref("");
  const extendAmount = ref<number | undefined>(undefined);
  const supplementRequired = ref<string[]>([]);
  const supplementOpen = ref(false);
  const doneOpen = ref(false);
  const supplementMaterials = ref<CatalogItem["materials"]>([]);
  const supplementPreselected = ref<string[]>([]);
  const doneCopies = ref<Record<string, number>>({});

  const openSupplementList = computed<SupplementRecord[]>(() => (record.value ? openSupplements(record.value) : []));

  /** Forgets the last outcome and error (another case, or the same one opened again). */
  function resetActions() {
    actionError.value = "";
    lastOutcome.value = null;
  }

  // ------------------------------------------------------------ catalog (for the dialogs)

  const catalog = ref<CatalogItem[] | null>(null);

  async function itemOf(rec: CaseRecord): Promise<CatalogItem | null> {
    if (!catalog.value) {
      try {
        catalog.value = await api.catalogList();
      } catch (e) {
        actionError.value = `读取事项目录失败：${api.errorText(e)}`;
        return null;
      }
    }
    return catalog.value.find((it) => it.dept_ql_reg_no === rec.dept_ql_reg_no) ?? null;
  }

  // ------------------------------------------------------------ sending

  /** Sends an action; on success shows the new state and offers the document. Throws on failure. */
  async function act(action: CaseAction): Promise<AcceptOutcome> {
    const no = record.value?.project_no ?? projectNo();
    const outcome = await api.actOnCase(no, action);
    record.value = outcome.case;
    actionError.value = "";
    const doc = latestDoc(outcome.case, outcome.document);
    const label = CASE_ACTION_LABELS[action.action];
    lastOutcome.value = {
      text: actionDoneText(label, CASE_STATE_LABELS[outcome.case.state]),
      doc,
    };
    changed(outcome.case);
    return outcome;
  }

  function describeError(e: unknown, what: string): string {
    const ce = api.toCommandError(e);
    if (ce.kind === "validation" && ce.errors.length > 0) {
      return [...errorsByField(ce.errors).values()].map((fe) => fe.message).join("；");
    }
    return `${what}失败：${ce.message}`;
  }

  async function accept() {
    busy.value = "accept";
    try {
      await act({ action: "accept" });
    } catch (e) {
      actionError.value = describeError(e, "受理");
    } finally {
      busy.value = null;
    }
  }

  async function askSupplement(rec: CaseRecord) {
    busy.value = "request_supplement";
    const item = await itemOf(rec);
    busy.value = null;
    if (!item) {
      if (!actionError.value) actionError.value = "该办件的事项已不在事项目录中，无法选择补正材料";
      return;
    }
    const have = new Set(rec.materials.map((m) => m.no));
    const bySituation = new Set(
      item.situations.filter((sit) => rec.situations.includes(sit.code)).flatMap((sit) => sit.material_nos),
    );
    const required = item.materials.filter((m) => m.sj_file_if || bySituation.has(m.no)).map((m) => m.no);
    supplementMaterials.value = item.materials;
    supplementRequired.value = required;
    supplementPreselected.value = required.filter((no) => !have.has(no));
    supplementOpen.value = true;
  }

  async function askSupplementDone(rec: CaseRecord) {
    busy.value = "complete_supplement";
    const item = await itemOf(rec);
    busy.value = null;
    const copies: Record<string, number> = {};
    for (const m of item?.materials ?? []) copies[m.no] = m.sj_no;
    for (const m of rec.materials) copies[m.no] = m.sj_no;
    doneCopies.value = copies;
    doneOpen.value = true;
  }

  async function onAction(kind: CaseActionKind) {
    const rec = record.value;
    if (!rec || busy.value) return;
    actionError.value = "";
    switch (kind) {
      case "accept":
        return accept();
      case "request_supplement":
        return askSupplement(rec);
      case "complete_supplement":
        return askSupplementDone(rec);
      case "suspend":
        specialName.value = "";
        break;
      case "extend":
        extendAmount.value = undefined;
        break;
      case "conclude":
        concludeStatus.value = "1";
        concludeResultNo.value = "";
        break;
    }
    dialogOpen[kind] = true;
  }

  const submitReject = (reason: string) => act({ action: "reject", reason });
  const submitWithdraw = (reason: string) => act({ action: "withdraw", reason });
  const submitSupplement = (request: SupplementRequest) => act({ action: "request_supplement", request });
  const submitDone = (materiallist: MaterialReceipt[]) => act({ action: "complete_supplement", materiallist });
  const submitSuspend = (reason: string) => act({ action: "suspend", special_name: specialName.value.trim(), reason });
  const submitResume = (result: string) => act({ action: "resume", result });
  const submitConclude = (note: string) =>
    act({ action: "conclude", status: concludeStatus.value, result_no: concludeResultNo.value.trim(), note });
  const submitHandOver = (recipient: string) => act({ action: "hand_over", recipient });
  const submitExtend = (reason: string) =>
    act({ action: "extend", amount: Math.max(0, Math.trunc(extendAmount.value ?? 0)), reason });

  /** The unit of the case's promised limit, for the extension ("个工作日"). */
  const promiseUnit = computed(() => (record.value ? TIME_UNIT_LABELS[record.value.promise_type] : ""));

  // One reactive object: its refs read as plain values (`actions.busy`), in templates too.
  return reactive({
    unified,
    actions,
    busy,
    actionError,
    lastOutcome,
    resetActions,
    onAction,
    dialogOpen,
    concludeStatus,
    concludeResultNo,
    specialName,
    extendAmount,
    supplementOpen,
    supplementMaterials,
    supplementPreselected,
    supplementRequired,
    doneOpen,
    doneCopies,
    openSupplementList,
    submit: {
      reject: submitReject,
      withdraw: submitWithdraw,
      supplement: submitSupplement,
      done: submitDone,
      suspend: submitSuspend,
      resume: submitResume,
      conclude: submitConclude,
      hand_over: submitHandOver,
      extend: submitExtend,
    },
    promiseUnit,
  });
}

export type CaseActions = ReturnType<typeof useCaseActions>;
