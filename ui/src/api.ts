// The one module that talks to the Rust backend. Components call these typed functions and
// never `invoke` directly. Command names and argument shapes come from the generated client
// (`./gen/commands`, from the Rust command table); this module adds the error handling and
// the conversions the components want.
import { invoke } from "@tauri-apps/api/core";

import { commands, type CommandName } from "./gen/commands";

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

const AUTH_COMMANDS = new Set<CommandName>(["sign_in", "bootstrap_admin", "unlock_session", "auth_status"]);

async function call<T>(cmd: CommandName, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    const ce = toCommandError(e);
    if (ce.kind === "unauthenticated" && !AUTH_COMMANDS.has(cmd)) unauthenticatedHandler?.(ce);
    throw ce;
  }
}

/** The generated client over this module's transport (errors mapped, sign-outs reported). */
const client = commands(call, callRaw);

// ---------------------------------------------------------------- sign-in and accounts

export function authStatus(): Promise<AuthStatus> {
  return client.authStatus();
}

/** The person is active at the window: the session's idle time starts again. */
export function keepAlive(): Promise<void> {
  return client.keepAlive();
}

export function bootstrapAdmin(login: string, name: string, password: string): Promise<AuthStatus> {
  return client.bootstrapAdmin({ login, name, password });
}

export function signIn(login: string, password: string): Promise<AuthStatus> {
  return client.signIn({ login, password });
}

export function signOut(): Promise<AuthStatus> {
  return client.signOut();
}

export function unlockSession(password: string): Promise<AuthStatus> {
  return client.unlockSession({ password });
}

export function changeOwnPassword(current: string, newPassword: string): Promise<void> {
  return client.changeOwnPassword({ current, newPassword });
}

export function listAccounts(): Promise<Account[]> {
  return client.listAccounts();
}

export function addAccount(account: NewAccount): Promise<Account> {
  return client.addAccount({ account });
}

export function setAccountActive(login: string, active: boolean): Promise<Account> {
  return client.setAccountActive({ login, active });
}

export function unlockAccount(login: string): Promise<Account> {
  return client.unlockAccount({ login });
}

export function resetPassword(login: string, password: string): Promise<void> {
  return client.resetPassword({ login, password });
}

export function setIdleMinutes(minutes: number): Promise<AuthStatus> {
  return client.setIdleMinutes({ minutes });
}

export function catalogList(): Promise<CatalogItem[]> {
  return client.catalogList();
}

export function deskProfile(): Promise<DeskProfile> {
  return client.deskProfile();
}

export function updateDeskProfile(profile: DeskProfile): Promise<DeskProfile> {
  return client.updateDeskProfile({ profile });
}

export function appInfo(): Promise<AppInfo> {
  return client.appInfo();
}

/** Field problems of an intake: for 受理 (default, every required material) or for another decision. */
export function validateIntake(form: IntakeForm, forAcceptance = true): Promise<FieldError[]> {
  return client.validateIntake({ form, forAcceptance });
}

/**
 * The promised completion date (`YYYY-MM-DD`) if the item were accepted now, with the warning
 * when it rests on estimated holidays; null if none.
 */
export function promisedDatePreview(deptQlRegNo: string): Promise<PromisedDatePreview | null> {
  return client.promisedDatePreview({ deptQlRegNo });
}

/** The working-day calendar: years official or estimated, and the administrator's reminder. */
export function calendarOverview(): Promise<CalendarOverview> {
  return client.calendarOverview();
}

/** Imports a State Council holiday arrangement (JSON text), all or nothing. */
export function calendarImport(text: string): Promise<CalendarImport> {
  return client.calendarImport({ text });
}

/** Records that the administrator has seen the calendar reminder for `year`. */
export function calendarReminderSeen(year: number): Promise<void> {
  return client.calendarReminderSeen({ year });
}

/** An applicant known from earlier cases at this desk (local store only), or null. */
export function knownApplicant(paperCode: string): Promise<KnownApplicant | null> {
  return client.knownApplicant({ paperCode });
}


/** The hall's logo or seal as PNG bytes; empty when none is set. */
export async function hallImage(kind: HallImage): Promise<Uint8Array> {
  return toBytes(await client.hallImage({ kind }));
}

/** Sets (PNG bytes) or removes (null) the hall's logo or seal. */
export function setHallImage(kind: HallImage, png: Uint8Array | null): Promise<DeskProfile> {
  return client.setHallImage({ kind, png: png === null ? null : Array.from(png) });
}

/** Replaces the catalog from a JSON or .xlsx file, all or nothing; returns the number of items. */
export function importCatalog(bytes: Uint8Array): Promise<number> {
  return client.importCatalog({ bytes: Array.from(bytes) });
}

/** Writes the catalog (Excel or JSON) under the data directory's `exports/`; returns the path. */
export function exportCatalog(xlsx: boolean): Promise<string> {
  return client.exportCatalog({ xlsx });
}

/** The printers of the system's print service. */
export function listPrinters(): Promise<string[]> {
  return client.listPrinters();
}

/** Prints a document (null printer: the default one); returns the print job's id. */
export function printNotice(
  projectNo: string,
  kind: NoticeKind,
  printer: string | null,
  copies: number | null,
): Promise<string> {
  return client.printNotice({ projectNo, kind, printer, copies });
}

/** Records a print made through the system print dialog in the case's history. */
export function recordDialogPrint(projectNo: string, kind: NoticeKind): Promise<void> {
  return client.recordDialogPrint({ projectNo, kind });
}

export function acceptCase(form: IntakeForm): Promise<AcceptOutcome> {
  return client.acceptCase({ form });
}

/** A new case with the clerk's decision: 收件, 受理, 不予受理 or 补齐补正. */
export function intakeCase(form: IntakeForm, decision: IntakeDecision): Promise<AcceptOutcome> {
  return client.intakeCase({ form, decision });
}

/** An action on an existing case (受理, 不予受理, 补齐补正, 补正完成, 撤回). */
export function actOnCase(projectNo: string, action: CaseAction): Promise<AcceptOutcome> {
  return client.actOnCase({ projectNo, action });
}

/** Keeps the intake form being typed (sealed in the backend: it holds personal data). */
export function saveDraft(form: IntakeForm): Promise<void> {
  return client.saveDraft({ form });
}

export function loadDraft(): Promise<IntakeForm | null> {
  return client.loadDraft();
}

export function clearDraft(): Promise<void> {
  return client.clearDraft();
}

export function listCases(search: string | null, stateFilter: CaseState | null = null): Promise<CaseSummary[]> {
  const s = search?.trim() ?? "";
  return client.listCases({ search: s === "" ? null : s, stateFilter });
}

export function getCase(projectNo: string): Promise<CaseRecord> {
  return client.getCase({ projectNo });
}

/** The notice's PDF bytes. The command answers with a raw `ipc::Response` (an ArrayBuffer). */
export async function noticePdf(projectNo: string, kind: NoticeKind = "acceptance"): Promise<Uint8Array> {
  const raw = await client.noticePdf({ projectNo, kind });
  return toBytes(raw);
}

/** One document's PDF bytes by its number (受理文书编号). */
export async function documentPdf(docNo: string): Promise<Uint8Array> {
  return toBytes(await client.documentPdf({ docNo }));
}

/** Saves the notice as a PDF file and returns the file's absolute path. */
export function exportNotice(projectNo: string, kind: NoticeKind = "acceptance"): Promise<string> {
  return client.exportNotice({ projectNo, kind });
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
  return client.hubStatus();
}

/** Messages for the hub, newest first: the dead letters (`"dead"`), or all (`null`). */
export function outboxList(status: OutboxStatus | null): Promise<OutboxEntry[]> {
  return client.outboxList({ status });
}

/** Puts a dead letter back in the queue (and sends at once when a hub is connected). */
export function outboxRetry(id: number): Promise<OutboxEntry> {
  return client.outboxRetry({ id });
}

/** Sends everything due now; answers with the hub's status afterwards. */
export function syncNow(): Promise<HubStatus> {
  return client.syncNow();
}

/** The hub call log (newest first, personal data masked); only failures when asked. */
export function callLog(failuresOnly: boolean): Promise<CallLogRecord[]> {
  return client.callLog({ failuresOnly });
}

/** Notifications for the clerk (a department asks for a supplement, a result arrived). */
export function notifications(unreadOnly: boolean): Promise<Notification[]> {
  return client.notifications({ unreadOnly });
}

/** Marks notifications read: the given ones, or all when `ids` is empty. */
export function markNotificationsRead(ids: number[]): Promise<number> {
  return client.markNotificationsRead({ ids });
}

/** Messages taken from the hub, newest first, with what became of each. */
export function hubInbox(): Promise<InboxRow[]> {
  return client.hubInbox();
}

/** A department's document (fetched through 7.2.8), as PDF bytes. */
export async function hubDocument(id: number): Promise<Uint8Array> {
  const raw = await client.hubDocument({ id });
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
  return client.attachMaterialFile(bytes, {
    "project-no": encodeURIComponent(projectNo),
    "material-no": encodeURIComponent(materialNo),
    "file-name": encodeURIComponent(fileName),
    output,
  });
}

/** One stored material page as JPEG bytes. */
export async function materialPage(id: number): Promise<Uint8Array> {
  const raw = await client.materialPage({ id });
  return toBytes(raw);
}

async function callRaw<T>(cmd: CommandName, body: Uint8Array, headers: Record<string, string>): Promise<T> {
  try {
    return await invoke<T>(cmd, body, { headers });
  } catch (e) {
    throw toCommandError(e);
  }
}

/** Reads the ID card on the desk's reader (simulated in the trainers' demo). */
export function readIdCard(): Promise<IdCardRead> {
  return client.readIdCard();
}

/** The desk's ID card reader service URL ("" when none). */
export function idReaderUrl(): Promise<string> {
  return client.idReaderUrl();
}

export function setIdReaderUrl(url: string): Promise<void> {
  return client.setIdReaderUrl({ url });
}

/** The capture devices there are: scanners (SANE), document cameras (V4L2), file import. */
export function captureDevices(): Promise<CaptureDevices> {
  return client.captureDevices();
}

/** This desk's capture device and options. */
export function captureSettings(): Promise<CaptureSettings> {
  return client.captureSettings();
}

export function setCaptureSettings(settings: CaptureSettings): Promise<CaptureSettings> {
  return client.setCaptureSettings({ settings });
}

/** Scans into a material from the desk's device; returns the material's pages. */
export function scanMaterial(projectNo: string, materialNo: string): Promise<MaterialPageInfo[]> {
  return client.scanMaterial({ projectNo, materialNo });
}

/** Puts a material's pages in this order (every page id of the material, once). */
export function reorderMaterialPages(projectNo: string, materialNo: string, pageIds: number[]): Promise<MaterialPageInfo[]> {
  return client.reorderMaterialPages({ projectNo, materialNo, pageIds });
}

/** Rotates a page clockwise by quarter turns (3: a quarter turn left). */
export function rotateMaterialPage(projectNo: string, pageId: number, quarterTurns: number): Promise<MaterialPageInfo[]> {
  return client.rotateMaterialPage({ projectNo, pageId, quarterTurns });
}

export function deleteMaterialPage(projectNo: string, pageId: number): Promise<MaterialPageInfo[]> {
  return client.deleteMaterialPage({ projectNo, pageId });
}

// 帮我传 (seed 004).

/** Asks the departments which of the intake item's materials they can provide. */
export function shareQuery(form: IntakeForm, materialNo: string | null = null): Promise<ShareAvailability[]> {
  return client.shareQuery({ form, materialNo });
}

/** 提交受理 with materials fetched through 帮我传: the case waits in 受理中. */
export function submitCase(form: IntakeForm): Promise<AcceptOutcome> {
  return client.submitCase({ form });
}

/** 我的事务 - 受理中. */
export function inAcceptanceCases(): Promise<InAcceptanceCase[]> {
  return client.inAcceptanceCases();
}

/** 更改材料收取方式 (`null`: collected at the counter). */
export function shareSetMethod(projectNo: string, materialNo: string, method: ShareMethod | null): Promise<CaseRecord> {
  return client.shareSetMethod({ projectNo, materialNo, method });
}

/** 签入 a paper material by the code scanned from it. */
export function shareSignIn(projectNo: string, materialNo: string, code: string): Promise<CaseRecord> {
  return client.shareSignIn({ projectNo, materialNo, code });
}

/** 取消办件 of a 受理中 case. */
export function shareCancel(projectNo: string, reason: string): Promise<CaseRecord> {
  return client.shareCancel({ projectNo, reason });
}

/** The file a department shared for a material (PDF bytes). */
export async function shareFile(projectNo: string, materialNo: string): Promise<Uint8Array> {
  const raw = await client.shareFile({ projectNo, materialNo });
  return toBytes(raw);
}

// ---------------------------------------------------------------- 培训控制 (demo desk only)

/** The demo desk's clock and the embedded hub's mode. */
export function demoStatus(): Promise<DemoStatus> {
  return client.demoStatus();
}

/** Makes the embedded hub go down, slow, reject, or back to normal. */
export function demoSetHubMode(mode: DemoHubMode): Promise<DemoStatus> {
  return client.demoSetHubMode({ mode });
}

/** Moves the desk's clock forward: `+3d`, `+12h`, `+30m`. */
export function demoMoveClock(shift: string): Promise<DemoStatus> {
  return client.demoMoveClock({ shift });
}

/** Back to the real time. */
export function demoResetClock(): Promise<DemoStatus> {
  return client.demoResetClock();
}

/** A simulated department asks for a supplement on an accepted case. */
export function demoRequestSupplement(projectNo: string, opinion: string): Promise<void> {
  return client.demoRequestSupplement({ projectNo, opinion });
}

/** Puts the demo back as seeded; returns how many cases were seeded. */
export function demoReset(): Promise<number> {
  return client.demoReset();
}

/** The pending cases with their warning level as the desk's clock stands. */
export function demoWarnings(): Promise<PendingReview> {
  return client.demoWarnings();
}

// ---------------------------------------------------------------- supervision (督办监察, 统计)

/** Pending cases with their 黄牌/红牌 level, by promised date. */
export function supervisePending(filter: PendingFilter): Promise<PendingReview> {
  return client.supervisePending({ filter });
}

/** Writes the pending view as .xlsx under the data directory's `exports/`; returns the path. */
export function exportPending(filter: PendingFilter): Promise<string> {
  return client.exportPending({ filter });
}

/** The statistics of the cases taken in during the range. */
export function caseStats(filter: StatsFilter): Promise<CaseStats> {
  return client.caseStats({ filter });
}

/** Writes the statistics as .xlsx under `exports/`; returns the path. */
export function exportStats(filter: StatsFilter): Promise<string> {
  return client.exportStats({ filter });
}

/** Supervision orders of one case (or all), oldest first. */
export function supervisionOrders(projectNo: string | null, openOnly: boolean): Promise<SupervisionOrder[]> {
  return client.supervisionOrders({ projectNo, openOnly });
}

export function issueSupervisionOrder(projectNo: string, text: string, replyBy: string | null): Promise<SupervisionOrder> {
  return client.issueSupervisionOrder({ projectNo, text, replyBy });
}

export function replySupervisionOrder(id: number, text: string): Promise<SupervisionOrder> {
  return client.replySupervisionOrder({ id, text });
}

export function closeSupervisionOrder(id: number, note: string): Promise<SupervisionOrder> {
  return client.closeSupervisionOrder({ id, note });
}

/** Records the applicant's satisfaction (B.10); returns the case as it now stands. */
export function recordSatisfaction(projectNo: string, rating: Satisfaction): Promise<CaseRecord> {
  return client.recordSatisfaction({ projectNo, rating });
}

/** The hub calls about one case, newest first. */
export function caseCallLog(projectNo: string): Promise<CallLogRecord[]> {
  return client.caseCallLog({ projectNo });
}
