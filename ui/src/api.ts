// The one module that talks to the Rust backend. Components call these typed functions and
// never `invoke` directly; every command name and argument shape lives here.
import { invoke } from "@tauri-apps/api/core";

import type { AcceptOutcome } from "./bindings/AcceptOutcome";
import type { CalendarImport } from "./bindings/CalendarImport";
import type { CalendarOverview } from "./bindings/CalendarOverview";
import type { PromisedDatePreview } from "./bindings/PromisedDatePreview";
import type { AppInfo } from "./bindings/AppInfo";
import type { CaseAction } from "./bindings/CaseAction";
import type { CaseRecord } from "./bindings/CaseRecord";
import type { CaptureDevices } from "./bindings/CaptureDevices";
import type { CaptureSettings } from "./bindings/CaptureSettings";
import type { CaseSummary } from "./bindings/CaseSummary";
import type { CatalogItem } from "./bindings/CatalogItem";
import type { CommandError } from "./bindings/CommandError";
import type { DeskProfile } from "./bindings/DeskProfile";
import type { FieldError } from "./bindings/FieldError";
import type { HallImage } from "./bindings/HallImage";
import type { IntakeDecision } from "./bindings/IntakeDecision";
import type { IntakeForm } from "./bindings/IntakeForm";
import type { CaseState } from "./bindings/CaseState";
import type { KnownApplicant } from "./bindings/KnownApplicant";
import type { NoticeKind } from "./bindings/NoticeKind";
import type { HubStatus } from "./bindings/HubStatus";
import type { CallLogRecord } from "./bindings/CallLogRecord";
import type { OutboxEntry } from "./bindings/OutboxEntry";
import type { OutboxStatus } from "./bindings/OutboxStatus";
import type { Notification } from "./bindings/Notification";
import type { InboxRow } from "./bindings/InboxRow";
import type { MaterialPageInfo } from "./bindings/MaterialPageInfo";
import type { PageOutput } from "./bindings/PageOutput";
import type { IdCardRead } from "./bindings/IdCardRead";
import type { Account } from "./bindings/Account";
import type { AuthStatus } from "./bindings/AuthStatus";
import type { NewAccount } from "./bindings/NewAccount";
import type { InAcceptanceCase } from "./bindings/InAcceptanceCase";
import type { ShareAvailability } from "./bindings/ShareAvailability";
import type { ShareMethod } from "./bindings/ShareMethod";
import type { DemoHubMode } from "./bindings/DemoHubMode";
import type { DemoStatus } from "./bindings/DemoStatus";
import type { PendingReview } from "./bindings/PendingReview";
import type { PendingFilter } from "./bindings/PendingFilter";
import type { StatsFilter } from "./bindings/StatsFilter";
import type { CaseStats } from "./bindings/CaseStats";
import type { SupervisionOrder } from "./bindings/SupervisionOrder";
import type { Satisfaction } from "./bindings/Satisfaction";

export type { CommandError, HallImage };

/**
 * True when `e` has the shape of the backend's `CommandError` (a `kind` tag and a Chinese
 * `message`). The kinds are not listed here, so a kind added on the Rust side still reaches
 * the clerk as its message.
 */
export function isCommandError(e: unknown): e is CommandError {
  if (typeof e !== "object" || e === null) return false;
  const o = e as Record<string, unknown>;
  return typeof o.kind === "string" && typeof o.message === "string";
}

/**
 * Turns whatever a rejected command (or anything else) threw into a `CommandError`, so the UI
 * has one shape to show. Strings (plain Tauri errors) and JS errors become `internal`.
 */
export function toCommandError(e: unknown): CommandError {
  if (isCommandError(e)) {
    if (e.kind === "validation" && !Array.isArray(e.errors)) {
      return { kind: "validation", message: e.message, errors: [] };
    }
    return e;
  }
  if (typeof e === "string") return { kind: "internal", message: e };
  if (e instanceof Error) return { kind: "internal", message: e.message };
  return { kind: "internal", message: "未知错误" };
}

/** A short Chinese text for an error, for a message box. */
export function errorText(e: unknown): string {
  const ce = toCommandError(e);
  return ce.message || "操作失败";
}

let unauthenticatedHandler: ((e: CommandError) => void) | null = null;

/**
 * Called with every `unauthenticated` error a command returns (the session is locked by
 * idleness, or ended): the window then shows the idle lock or the sign-in page. The sign-in
 * commands themselves are not reported (their error is shown where it happened).
 */
export function onUnauthenticated(handler: ((e: CommandError) => void) | null) {
  unauthenticatedHandler = handler;
}

const AUTH_COMMANDS = new Set(["sign_in", "bootstrap_admin", "unlock_session", "auth_status"]);

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    const ce = toCommandError(e);
    if (ce.kind === "unauthenticated" && !AUTH_COMMANDS.has(cmd)) unauthenticatedHandler?.(ce);
    throw ce;
  }
}

// ---------------------------------------------------------------- sign-in and accounts

export function authStatus(): Promise<AuthStatus> {
  return call<AuthStatus>("auth_status");
}

/** The person is active at the window: the session's idle time starts again. */
export function keepAlive(): Promise<void> {
  return call<void>("keep_alive");
}

export function bootstrapAdmin(login: string, name: string, password: string): Promise<AuthStatus> {
  return call<AuthStatus>("bootstrap_admin", { login, name, password });
}

export function signIn(login: string, password: string): Promise<AuthStatus> {
  return call<AuthStatus>("sign_in", { login, password });
}

export function signOut(): Promise<AuthStatus> {
  return call<AuthStatus>("sign_out");
}

export function unlockSession(password: string): Promise<AuthStatus> {
  return call<AuthStatus>("unlock_session", { password });
}

export function changeOwnPassword(current: string, newPassword: string): Promise<void> {
  return call<void>("change_own_password", { current, newPassword });
}

export function listAccounts(): Promise<Account[]> {
  return call<Account[]>("list_accounts");
}

export function addAccount(account: NewAccount): Promise<Account> {
  return call<Account>("add_account", { account });
}

export function setAccountActive(login: string, active: boolean): Promise<Account> {
  return call<Account>("set_account_active", { login, active });
}

export function unlockAccount(login: string): Promise<Account> {
  return call<Account>("unlock_account", { login });
}

export function resetPassword(login: string, password: string): Promise<void> {
  return call<void>("reset_password", { login, password });
}

export function setIdleMinutes(minutes: number): Promise<AuthStatus> {
  return call<AuthStatus>("set_idle_minutes", { minutes });
}

export function catalogList(): Promise<CatalogItem[]> {
  return call<CatalogItem[]>("catalog_list");
}

export function deskProfile(): Promise<DeskProfile> {
  return call<DeskProfile>("desk_profile");
}

export function updateDeskProfile(profile: DeskProfile): Promise<DeskProfile> {
  return call<DeskProfile>("update_desk_profile", { profile });
}

export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>("app_info");
}

/** Field problems of an intake: for 受理 (default, every required material) or for another decision. */
export function validateIntake(form: IntakeForm, forAcceptance = true): Promise<FieldError[]> {
  return call<FieldError[]>("validate_intake", { form, forAcceptance });
}

/**
 * The promised completion date (`YYYY-MM-DD`) if the item were accepted now, with the warning
 * when it rests on estimated holidays; null if none.
 */
export function promisedDatePreview(deptQlRegNo: string): Promise<PromisedDatePreview | null> {
  return call<PromisedDatePreview | null>("promised_date_preview", { deptQlRegNo });
}

/** The working-day calendar: years official or estimated, and the administrator's reminder. */
export function calendarOverview(): Promise<CalendarOverview> {
  return call<CalendarOverview>("calendar_overview");
}

/** Imports a State Council holiday arrangement (JSON text), all or nothing. */
export function calendarImport(text: string): Promise<CalendarImport> {
  return call<CalendarImport>("calendar_import", { text });
}

/** Records that the administrator has seen the calendar reminder for `year`. */
export function calendarReminderSeen(year: number): Promise<void> {
  return call<void>("calendar_reminder_seen", { year });
}

/** An applicant known from earlier cases at this desk (local store only), or null. */
export function knownApplicant(paperCode: string): Promise<KnownApplicant | null> {
  return call<KnownApplicant | null>("known_applicant", { paperCode });
}


/** The hall's logo or seal as PNG bytes; empty when none is set. */
export async function hallImage(kind: HallImage): Promise<Uint8Array> {
  return toBytes(await call<unknown>("hall_image", { kind }));
}

/** Sets (PNG bytes) or removes (null) the hall's logo or seal. */
export function setHallImage(kind: HallImage, png: Uint8Array | null): Promise<DeskProfile> {
  return call<DeskProfile>("set_hall_image", { kind, png: png === null ? null : Array.from(png) });
}

/** Replaces the catalog from a JSON or .xlsx file, all or nothing; returns the number of items. */
export function importCatalog(bytes: Uint8Array): Promise<number> {
  return call<number>("import_catalog", { bytes: Array.from(bytes) });
}

/** Writes the catalog (Excel or JSON) under the data directory's `exports/`; returns the path. */
export function exportCatalog(xlsx: boolean): Promise<string> {
  return call<string>("export_catalog", { xlsx });
}

/** The printers of the system's print service. */
export function listPrinters(): Promise<string[]> {
  return call<string[]>("list_printers");
}

/** Prints a document (null printer: the default one); returns the print job's id. */
export function printNotice(
  projectNo: string,
  kind: NoticeKind,
  printer: string | null,
  copies: number | null,
): Promise<string> {
  return call<string>("print_notice", { projectNo, kind, printer, copies });
}

/** Records a print made through the system print dialog in the case's history. */
export function recordDialogPrint(projectNo: string, kind: NoticeKind): Promise<void> {
  return call<void>("record_dialog_print", { projectNo, kind });
}

export function acceptCase(form: IntakeForm): Promise<AcceptOutcome> {
  return call<AcceptOutcome>("accept_case", { form });
}

/** A new case with the clerk's decision: 收件, 受理, 不予受理 or 补齐补正. */
export function intakeCase(form: IntakeForm, decision: IntakeDecision): Promise<AcceptOutcome> {
  return call<AcceptOutcome>("intake_case", { form, decision });
}

/** An action on an existing case (受理, 不予受理, 补齐补正, 补正完成, 撤回). */
export function actOnCase(projectNo: string, action: CaseAction): Promise<AcceptOutcome> {
  return call<AcceptOutcome>("act_on_case", { projectNo, action });
}

/** Keeps the intake form being typed (sealed in the backend: it holds personal data). */
export function saveDraft(form: IntakeForm): Promise<void> {
  return call<void>("save_draft", { form });
}

export function loadDraft(): Promise<IntakeForm | null> {
  return call<IntakeForm | null>("load_draft");
}

export function clearDraft(): Promise<void> {
  return call<void>("clear_draft");
}

export function listCases(search: string | null, stateFilter: CaseState | null = null): Promise<CaseSummary[]> {
  const s = search?.trim() ?? "";
  return call<CaseSummary[]>("list_cases", { search: s === "" ? null : s, stateFilter });
}

export function getCase(projectNo: string): Promise<CaseRecord> {
  return call<CaseRecord>("get_case", { projectNo });
}

/** The notice's PDF bytes. The command answers with a raw `ipc::Response` (an ArrayBuffer). */
export async function noticePdf(projectNo: string, kind: NoticeKind = "acceptance"): Promise<Uint8Array> {
  const raw = await call<unknown>("notice_pdf", { projectNo, kind });
  return toBytes(raw);
}

/** Saves the notice as a PDF file and returns the file's absolute path. */
export function exportNotice(projectNo: string, kind: NoticeKind = "acceptance"): Promise<string> {
  return call<string>("export_notice", { projectNo, kind });
}

function toBytes(raw: unknown): Uint8Array {
  // `instanceof` fails across realms (e.g. a test environment), so check the tag as well.
  if (raw instanceof ArrayBuffer || Object.prototype.toString.call(raw) === "[object ArrayBuffer]") {
    return new Uint8Array(raw as ArrayBuffer);
  }
  if (ArrayBuffer.isView(raw)) return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  if (Array.isArray(raw)) return Uint8Array.from(raw as number[]);
  throw { kind: "internal", message: "返回的数据格式不正确" } satisfies CommandError;
}

/** The hub's status for this desk: online or not, the latest failure, the queue. */
export function hubStatus(): Promise<HubStatus> {
  return call<HubStatus>("hub_status");
}

/** Messages for the hub, newest first: the dead letters (`"dead"`), or all (`null`). */
export function outboxList(status: OutboxStatus | null): Promise<OutboxEntry[]> {
  return call<OutboxEntry[]>("outbox_list", { status });
}

/** Puts a dead letter back in the queue (and sends at once when a hub is connected). */
export function outboxRetry(id: number): Promise<OutboxEntry> {
  return call<OutboxEntry>("outbox_retry", { id });
}

/** Sends everything due now; answers with the hub's status afterwards. */
export function syncNow(): Promise<HubStatus> {
  return call<HubStatus>("sync_now");
}

/** The hub call log (newest first, personal data masked); only failures when asked. */
export function callLog(failuresOnly: boolean): Promise<CallLogRecord[]> {
  return call<CallLogRecord[]>("call_log", { failuresOnly });
}

/** Notifications for the clerk (a department asks for a supplement, a result arrived). */
export function notifications(unreadOnly: boolean): Promise<Notification[]> {
  return call<Notification[]>("notifications", { unreadOnly });
}

/** Marks notifications read: the given ones, or all when `ids` is empty. */
export function markNotificationsRead(ids: number[]): Promise<number> {
  return call<number>("mark_notifications_read", { ids });
}

/** Messages taken from the hub, newest first, with what became of each. */
export function hubInbox(): Promise<InboxRow[]> {
  return call<InboxRow[]>("hub_inbox");
}

/** A department's document (fetched through 7.2.8), as PDF bytes. */
export async function hubDocument(id: number): Promise<Uint8Array> {
  const raw = await call<unknown>("hub_document", { id });
  return toBytes(raw);
}

/**
 * Attaches one file (JPEG, PNG, TIFF or scanned PDF) to a material of a case: cleaned up,
 * checked and stored. The bytes travel as the raw body; returns the material's pages.
 */
export function attachMaterialFile(
  projectNo: string,
  materialNo: string,
  fileName: string,
  bytes: Uint8Array,
  output: PageOutput = "gray",
): Promise<MaterialPageInfo[]> {
  return callRaw<MaterialPageInfo[]>("attach_material_file", bytes, {
    "project-no": encodeURIComponent(projectNo),
    "material-no": encodeURIComponent(materialNo),
    "file-name": encodeURIComponent(fileName),
    output,
  });
}

/** One stored material page as JPEG bytes. */
export async function materialPage(id: number): Promise<Uint8Array> {
  const raw = await call<unknown>("material_page", { id });
  return toBytes(raw);
}

async function callRaw<T>(cmd: string, body: Uint8Array, headers: Record<string, string>): Promise<T> {
  try {
    return await invoke<T>(cmd, body, { headers });
  } catch (e) {
    throw toCommandError(e);
  }
}

/** Reads the ID card on the desk's reader (simulated in the trainers' demo). */
export function readIdCard(): Promise<IdCardRead> {
  return call<IdCardRead>("read_id_card");
}

/** The desk's ID card reader service URL ("" when none). */
export function idReaderUrl(): Promise<string> {
  return call<string>("id_reader_url");
}

export function setIdReaderUrl(url: string): Promise<void> {
  return call<void>("set_id_reader_url", { url });
}

/** The capture devices there are: scanners (SANE), document cameras (V4L2), file import. */
export function captureDevices(): Promise<CaptureDevices> {
  return call<CaptureDevices>("capture_devices");
}

/** This desk's capture device and options. */
export function captureSettings(): Promise<CaptureSettings> {
  return call<CaptureSettings>("capture_settings");
}

export function setCaptureSettings(settings: CaptureSettings): Promise<CaptureSettings> {
  return call<CaptureSettings>("set_capture_settings", { settings });
}

/** Scans into a material from the desk's device; returns the material's pages. */
export function scanMaterial(projectNo: string, materialNo: string): Promise<MaterialPageInfo[]> {
  return call<MaterialPageInfo[]>("scan_material", { projectNo, materialNo });
}

/** Puts a material's pages in this order (every page id of the material, once). */
export function reorderMaterialPages(projectNo: string, materialNo: string, pageIds: number[]): Promise<MaterialPageInfo[]> {
  return call<MaterialPageInfo[]>("reorder_material_pages", { projectNo, materialNo, pageIds });
}

/** Rotates a page clockwise by quarter turns (3: a quarter turn left). */
export function rotateMaterialPage(projectNo: string, pageId: number, quarterTurns: number): Promise<MaterialPageInfo[]> {
  return call<MaterialPageInfo[]>("rotate_material_page", { projectNo, pageId, quarterTurns });
}

export function deleteMaterialPage(projectNo: string, pageId: number): Promise<MaterialPageInfo[]> {
  return call<MaterialPageInfo[]>("delete_material_page", { projectNo, pageId });
}

// 帮我传 (seed 004).

/** Asks the departments which of the intake item's materials they can provide. */
export function shareQuery(form: IntakeForm, materialNo: string | null = null): Promise<ShareAvailability[]> {
  return call<ShareAvailability[]>("share_query", { form, materialNo });
}

/** 提交受理 with materials fetched through 帮我传: the case waits in 受理中. */
export function submitCase(form: IntakeForm): Promise<AcceptOutcome> {
  return call<AcceptOutcome>("submit_case", { form });
}

/** 我的事务 - 受理中. */
export function inAcceptanceCases(): Promise<InAcceptanceCase[]> {
  return call<InAcceptanceCase[]>("in_acceptance_cases");
}

/** 更改材料收取方式 (`null`: collected at the counter). */
export function shareSetMethod(projectNo: string, materialNo: string, method: ShareMethod | null): Promise<CaseRecord> {
  return call<CaseRecord>("share_set_method", { projectNo, materialNo, method });
}

/** 签入 a paper material by the code scanned from it. */
export function shareSignIn(projectNo: string, materialNo: string, code: string): Promise<CaseRecord> {
  return call<CaseRecord>("share_sign_in", { projectNo, materialNo, code });
}

/** 取消办件 of a 受理中 case. */
export function shareCancel(projectNo: string, reason: string): Promise<CaseRecord> {
  return call<CaseRecord>("share_cancel", { projectNo, reason });
}

/** The file a department shared for a material (PDF bytes). */
export async function shareFile(projectNo: string, materialNo: string): Promise<Uint8Array> {
  const raw = await call<unknown>("share_file", { projectNo, materialNo });
  return toBytes(raw);
}

// ---------------------------------------------------------------- 培训控制 (demo desk only)

/** The demo desk's clock and the embedded hub's mode. */
export function demoStatus(): Promise<DemoStatus> {
  return call<DemoStatus>("demo_status");
}

/** Makes the embedded hub go down, slow, reject, or back to normal. */
export function demoSetHubMode(mode: DemoHubMode): Promise<DemoStatus> {
  return call<DemoStatus>("demo_set_hub_mode", { mode });
}

/** Moves the desk's clock forward: `+3d`, `+12h`, `+30m`. */
export function demoMoveClock(shift: string): Promise<DemoStatus> {
  return call<DemoStatus>("demo_move_clock", { shift });
}

/** Back to the real time. */
export function demoResetClock(): Promise<DemoStatus> {
  return call<DemoStatus>("demo_reset_clock");
}

/** A simulated department asks for a supplement on an accepted case. */
export function demoRequestSupplement(projectNo: string, opinion: string): Promise<void> {
  return call<void>("demo_request_supplement", { projectNo, opinion });
}

/** Puts the demo back as seeded; returns how many cases were seeded. */
export function demoReset(): Promise<number> {
  return call<number>("demo_reset");
}

/** The pending cases with their warning level as the desk's clock stands. */
export function demoWarnings(): Promise<PendingReview> {
  return call<PendingReview>("demo_warnings");
}

// ---------------------------------------------------------------- supervision (督办监察, 统计)

/** Pending cases with their 黄牌/红牌 level, by promised date. */
export function supervisePending(filter: PendingFilter): Promise<PendingReview> {
  return call<PendingReview>("supervise_pending", { filter });
}

/** Writes the pending view as .xlsx under the data directory's `exports/`; returns the path. */
export function exportPending(filter: PendingFilter): Promise<string> {
  return call<string>("export_pending", { filter });
}

/** The statistics of the cases taken in during the range. */
export function caseStats(filter: StatsFilter): Promise<CaseStats> {
  return call<CaseStats>("case_stats", { filter });
}

/** Writes the statistics as .xlsx under `exports/`; returns the path. */
export function exportStats(filter: StatsFilter): Promise<string> {
  return call<string>("export_stats", { filter });
}

/** Supervision orders of one case (or all), oldest first. */
export function supervisionOrders(projectNo: string | null, openOnly: boolean): Promise<SupervisionOrder[]> {
  return call<SupervisionOrder[]>("supervision_orders", { projectNo, openOnly });
}

export function issueSupervisionOrder(projectNo: string, text: string, replyBy: string | null): Promise<SupervisionOrder> {
  return call<SupervisionOrder>("issue_supervision_order", { projectNo, text, replyBy });
}

export function replySupervisionOrder(id: number, text: string): Promise<SupervisionOrder> {
  return call<SupervisionOrder>("reply_supervision_order", { id, text });
}

export function closeSupervisionOrder(id: number, note: string): Promise<SupervisionOrder> {
  return call<SupervisionOrder>("close_supervision_order", { id, note });
}

/** Records the applicant's satisfaction (B.10); returns the case as it now stands. */
export function recordSatisfaction(projectNo: string, rating: Satisfaction): Promise<CaseRecord> {
  return call<CaseRecord>("record_satisfaction", { projectNo, rating });
}

/** The hub calls about one case, newest first. */
export function caseCallLog(projectNo: string): Promise<CallLogRecord[]> {
  return call<CallLogRecord[]>("case_call_log", { projectNo });
}
