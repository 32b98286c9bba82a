//! The command table: every window command, declared once.
//!
//! An entry reads
//!
//! ```text
//! /// What the command does (becomes the doc of its request and of the TypeScript client).
//! Variant name_on_the_wire { argument: Type, … } -> Response, Access;
//! ```
//!
//! - `Variant` names it in [`crate::Command`]; `name_on_the_wire` is the name the window
//!   invokes, the handler's function name in the shell, and the module [`crate::cmd`]`::name`
//!   that holds its `Request` (the arguments) and `Response`.
//! - The arguments travel as a JSON object with camelCase keys (`project_no` is sent as
//!   `projectNo`), as Tauri's commands have always taken them.
//! - `Response` is any serialisable wire type, `()` for none, or [`crate::Bytes`] for raw
//!   bytes (an `ArrayBuffer` in the window).
//! - `Access`: `public` (no session needed), `signed_in` (a session, even locked: the handler
//!   checks the rest), a [`yichuang_core::accounts::Permission`] (`Intake`), or
//!   `quietly Permission` for the window's background polls, which do not count as use.
//! - `, raw` after the access: the request body is the raw bytes of a file, with its details
//!   in headers; the command takes no JSON arguments.
//!
//! The types are named as [`crate::wire`] exports them.

/// Calls `$callback! { …the whole table… }`. The api crate defines [`crate::Command`], the
/// requests and the TypeScript client from it; the window shell its dispatch. A host that
/// lacks an entry's handler does not compile.
#[macro_export]
macro_rules! with_commands {
    ($callback:path) => {
        $callback! {
            // ---------------------------------------------------------- sign-in and accounts
            /// Whether the desk has accounts, who is signed in, locked or not, and what they may do.
            AuthStatus auth_status {} -> AuthStatus, public;
            /// The person at the window is active (typing, clicking): the session's idle time
            /// starts again. Refused like any command when the session is locked or ended.
            KeepAlive keep_alive {} -> (), signed_in;
            /// First run: creates the first account (an admin) and signs it in.
            BootstrapAdmin bootstrap_admin { login: String, name: String, password: String } -> AuthStatus, public;
            /// Signs in (ending the window's previous session, if any).
            SignIn sign_in { login: String, password: String } -> AuthStatus, public;
            /// Ends the window's session.
            SignOut sign_out {} -> AuthStatus, public;
            /// Unlocks the idle-locked session with the account's password.
            UnlockSession unlock_session { password: String } -> AuthStatus, signed_in;
            /// Changes the signed-in person's own password.
            ChangeOwnPassword change_own_password { current: String, new_password: String } -> (), signed_in;
            /// The desk's accounts.
            ListAccounts list_accounts {} -> Vec<Account>, ManageAccounts;
            /// Creates an account.
            AddAccount add_account { account: NewAccount } -> Account, ManageAccounts;
            /// Disables (`active: false`) or enables an account.
            SetAccountActive set_account_active { login: String, active: bool } -> Account, ManageAccounts;
            /// Lifts a lockout after failed sign-ins.
            UnlockAccount unlock_account { login: String } -> Account, ManageAccounts;
            /// Sets another account's password; its sessions end.
            ResetPassword reset_password { login: String, password: String } -> (), ManageAccounts;
            /// Sets the desk's idle-lock minutes.
            SetIdleMinutes set_idle_minutes { minutes: u32 } -> AuthStatus, DeskSettings;

            // ---------------------------------------------------------- the desk and intake
            /// The version, the data directory, demo or not, hub connected or not.
            AppInfo app_info {} -> AppInfo, public;
            /// The catalog of items this desk takes in.
            CatalogList catalog_list {} -> Vec<CatalogItem>, ViewCases;
            /// The desk's profile (hall, window, clerk).
            DeskProfile desk_profile {} -> DeskProfile, ViewCases;
            /// Saves the desk's profile.
            UpdateDeskProfile update_desk_profile { profile: DeskProfile } -> DeskProfile, DeskSettings;
            /// Field problems of an intake, for acceptance (default) or for a receipt, rejection
            /// or supplement request.
            ValidateIntake validate_intake { form: IntakeForm, for_acceptance: Option<bool> } -> Vec<FieldError>, Intake;
            /// Takes in a case with 受理.
            AcceptCase accept_case { form: IntakeForm } -> AcceptOutcome, Intake;
            /// A new case with the clerk's decision: 收件, 受理, 不予受理 or 补齐补正.
            IntakeCase intake_case { form: IntakeForm, decision: IntakeDecision } -> AcceptOutcome, Intake;
            /// An action on an existing case (受理, 不予受理, 补齐补正, 补正完成, 撤回).
            ActOnCase act_on_case { project_no: String, action: CaseAction } -> AcceptOutcome, ActOnCase;
            /// A returning applicant's details from earlier cases at this desk (local store only).
            KnownApplicant known_applicant { paper_code: String } -> Option<KnownApplicant>, Intake;
            /// The printers of the system's print service (CUPS).
            ListPrinters list_printers {} -> Vec<String>, ActOnCase;
            /// Prints a document (no printer: the default one); the print (or reprint) is
            /// recorded in the case's history. Answers with the print job's id.
            PrintNotice print_notice { project_no: String, kind: NoticeKind, printer: Option<String>, copies: Option<u32> } -> String, ActOnCase;
            /// Autosaves the intake form being typed (sealed: it holds personal data).
            SaveDraft save_draft { form: IntakeForm } -> (), Intake;
            /// The autosaved intake form, if any.
            LoadDraft load_draft {} -> Option<IntakeForm>, Intake;
            /// Forgets the autosaved intake form.
            ClearDraft clear_draft {} -> (), Intake;
            /// The cases, searched and filtered by state.
            ListCases list_cases { search: Option<String>, state_filter: Option<CaseState> } -> Vec<CaseSummary>, ViewCases;
            /// One case with its history, documents and materials.
            GetCase get_case { project_no: String } -> CaseRecord, ViewCases;
            /// A notice's PDF bytes.
            NoticePdf notice_pdf { project_no: String, kind: NoticeKind } -> Bytes, ViewCases;
            /// Saves a notice as a PDF file under `exports/` and answers with its path.
            ExportNotice export_notice { project_no: String, kind: NoticeKind } -> String, ActOnCase;
            /// The promised date if the item were accepted now (`YYYY-MM-DD`), with the estimate
            /// warning when it rests on a year without an official holiday arrangement.
            PromisedDatePreview promised_date_preview { dept_ql_reg_no: String } -> Option<PromisedDatePreview>, Intake;
            /// The working-day calendar: the years around today, official or estimated, and the
            /// administrator's reminder.
            CalendarOverview calendar_overview {} -> CalendarOverview, ViewCases;
            /// Imports a State Council holiday arrangement (JSON text), all or nothing; open cases
            /// whose dates change are recomputed, with the change in their history.
            CalendarImport calendar_import { text: String } -> CalendarImport, DeskSettings;
            /// Records that the administrator has seen the calendar reminder for `year`.
            CalendarReminderSeen calendar_reminder_seen { year: i32 } -> (), DeskSettings;
            /// The hall's logo or seal (PNG bytes; empty when not set).
            HallImage hall_image { kind: HallImage } -> Bytes, ViewCases;
            /// Sets (PNG bytes) or removes (`null`) the hall's logo or seal.
            SetHallImage set_hall_image { kind: HallImage, png: Option<Vec<u8>> } -> DeskProfile, DeskSettings;
            /// Replaces the catalog from a JSON or .xlsx file's bytes, all or nothing; answers
            /// with the number of items.
            ImportCatalog import_catalog { bytes: Vec<u8> } -> usize, DeskSettings;
            /// Writes the catalog to `exports/` in the data directory and answers with its path.
            ExportCatalog export_catalog { xlsx: bool } -> String, DeskSettings;
            /// Records a print made through the system print dialog.
            RecordDialogPrint record_dialog_print { project_no: String, kind: NoticeKind } -> (), ActOnCase;
            /// One document's PDF bytes by its number (受理文书编号).
            DocumentPdf document_pdf { doc_no: String } -> Bytes, ViewCases;

            // ---------------------------------------------------------- the hub
            /// The hub's status for the desk: online or not, the latest failure, the queue.
            HubStatus hub_status {} -> HubStatus, quietly ViewCases;
            /// Messages for the hub, newest first: the dead letters (`"dead"`), or all.
            OutboxList outbox_list { status: Option<OutboxStatus> } -> Vec<OutboxEntry>, ViewCallLog;
            /// Puts a dead letter back in the queue and, when a hub is connected, sends at once.
            OutboxRetry outbox_retry { id: i64 } -> OutboxEntry, HubAdmin;
            /// Sends everything due now, if a hub is connected; answers with the hub's status.
            SyncNow sync_now {} -> HubStatus, ViewCases;
            /// The call log of the hub interfaces, newest first; personal data is masked.
            CallLog call_log { failures_only: bool } -> Vec<CallLogRecord>, ViewCallLog;
            /// Notifications for the clerk (a department asks for a supplement, a result
            /// arrived), newest first.
            Notifications notifications { unread_only: bool } -> Vec<Notification>, quietly ActOnCase;
            /// Marks notifications read: the given ones, or all when `ids` is empty.
            MarkNotificationsRead mark_notifications_read { ids: Vec<i64> } -> u32, ActOnCase;
            /// Messages taken from the hub, newest first, with what became of each.
            HubInbox hub_inbox {} -> Vec<InboxRow>, ViewCallLog;
            /// A department's document (fetched through 7.2.8), as PDF bytes.
            HubDocument hub_document { id: i64 } -> Bytes, ViewCases;

            // ---------------------------------------------------------- materials and devices
            /// Attaches one file to a material of a case. The file travels as the raw request
            /// body; the case, the material, the file name (percent-encoded) and the page colour
            /// travel as the headers `project-no`, `material-no`, `file-name` and `output`.
            AttachMaterialFile attach_material_file {} -> Vec<MaterialPageInfo>, ActOnCase, raw;
            /// One stored page as JPEG bytes.
            MaterialPage material_page { id: i64 } -> Bytes, ViewCases;
            /// Reads the ID card on this desk's reader (simulated in the trainers' demo).
            ReadIdCard read_id_card {} -> IdCardRead, Intake;
            /// This desk's ID card reader service URL ("" when none).
            IdReaderUrl id_reader_url {} -> String, DeskSettings;
            /// Sets this desk's ID card reader service URL.
            SetIdReaderUrl set_id_reader_url { url: String } -> (), DeskSettings;
            /// The capture devices there are (scanners, document cameras, file import).
            CaptureDevices capture_devices {} -> CaptureDevices, DeskSettings;
            /// This desk's capture device and options.
            CaptureSettings capture_settings {} -> CaptureSettings, ViewCases;
            /// Sets this desk's capture device and options.
            SetCaptureSettings set_capture_settings { settings: CaptureSettings } -> CaptureSettings, DeskSettings;
            /// Scans into a material from the desk's device; answers with the material's pages.
            ScanMaterial scan_material { project_no: String, material_no: String } -> Vec<MaterialPageInfo>, ActOnCase;
            /// Puts a material's pages in this order (every page id of the material, once).
            ReorderMaterialPages reorder_material_pages { project_no: String, material_no: String, page_ids: Vec<i64> } -> Vec<MaterialPageInfo>, ActOnCase;
            /// Rotates a page clockwise by quarter turns (3: a quarter turn left).
            RotateMaterialPage rotate_material_page { project_no: String, page_id: i64, quarter_turns: i32 } -> Vec<MaterialPageInfo>, ActOnCase;
            /// Deletes a page of a material.
            DeleteMaterialPage delete_material_page { project_no: String, page_id: i64 } -> Vec<MaterialPageInfo>, ActOnCase;

            // ---------------------------------------------------------- 帮我传 (sharing)
            /// Which materials the departments can provide for this intake (all the item's
            /// shareable materials, or one). Needs the hub connection.
            ShareQuery share_query { form: IntakeForm, material_no: Option<String> } -> Vec<ShareAvailability>, Intake;
            /// 提交受理 with materials fetched through 帮我传: the case waits in 受理中.
            SubmitCase submit_case { form: IntakeForm } -> AcceptOutcome, Intake;
            /// 我的事务 - 受理中.
            InAcceptanceCases in_acceptance_cases {} -> Vec<InAcceptanceCase>, ViewCases;
            /// 更改材料收取方式 of a 受理中 case (`null`: collected at the counter).
            ShareSetMethod share_set_method { project_no: String, material_no: String, method: Option<ShareMethod> } -> CaseRecord, ActOnCase;
            /// 签入 a paper material by the code scanned from it.
            ShareSignIn share_sign_in { project_no: String, material_no: String, code: String } -> CaseRecord, ActOnCase;
            /// 取消办件 of a 受理中 case.
            ShareCancel share_cancel { project_no: String, reason: String } -> CaseRecord, ActOnCase;
            /// The file a department shared for a material (PDF bytes).
            ShareFile share_file { project_no: String, material_no: String } -> Bytes, ViewCases;

            // ---------------------------------------------------------- 培训控制 (trainers' demo)
            /// The demo desk's clock and the embedded hub's mode.
            DemoStatus demo_status {} -> DemoStatus, TrainerControls;
            /// Makes the embedded hub go down, slow, reject, or back to normal.
            DemoSetHubMode demo_set_hub_mode { mode: DemoHubMode } -> DemoStatus, TrainerControls;
            /// Moves the demo desk's clock forward (`+3d`, `+12h`, `+30m`).
            DemoMoveClock demo_move_clock { shift: String } -> DemoStatus, TrainerControls;
            /// Back to the real time.
            DemoResetClock demo_reset_clock {} -> DemoStatus, TrainerControls;
            /// A simulated department asks for a supplement on an accepted case.
            DemoRequestSupplement demo_request_supplement { project_no: String, opinion: String } -> (), TrainerControls;
            /// Puts the demo back as seeded; answers with how many cases were seeded.
            DemoReset demo_reset {} -> usize, TrainerControls;
            /// The pending cases with their warning level as the desk's clock stands.
            DemoWarnings demo_warnings {} -> PendingReview, TrainerControls;

            // ---------------------------------------------------------- supervision (督办监察, 统计)
            /// The pending cases with their 黄牌/红牌 level.
            SupervisePending supervise_pending { filter: PendingFilter } -> PendingReview, SuperviseCases;
            /// Writes the pending view to `exports/` as .xlsx and answers with its path.
            ExportPending export_pending { filter: PendingFilter } -> String, SuperviseCases;
            /// The statistics of the cases taken in during the range.
            CaseStats case_stats { filter: StatsFilter } -> CaseStats, SuperviseCases;
            /// Writes the statistics to `exports/` as .xlsx and answers with its path.
            ExportStats export_stats { filter: StatsFilter } -> String, SuperviseCases;
            /// Supervision orders: of one case, or all; only the open ones when asked.
            SupervisionOrders supervision_orders { project_no: Option<String>, open_only: bool } -> Vec<SupervisionOrder>, ViewCases;
            /// Issues a supervision order (督办) on a case.
            IssueSupervisionOrder issue_supervision_order { project_no: String, text: String, reply_by: Option<String> } -> SupervisionOrder, IssueSupervisionOrder;
            /// The clerk's reply to an open order.
            ReplySupervisionOrder reply_supervision_order { id: i64, text: String } -> SupervisionOrder, ActOnCase;
            /// The supervisor closes an order.
            CloseSupervisionOrder close_supervision_order { id: i64, note: String } -> SupervisionOrder, IssueSupervisionOrder;
            /// Records the applicant's satisfaction (B.10); answers with the case as it stands.
            RecordSatisfaction record_satisfaction { project_no: String, rating: Satisfaction } -> CaseRecord, ActOnCase;
            /// The hub calls about one case, newest first (personal data masked).
            CaseCallLog case_call_log { project_no: String } -> Vec<CallLogRecord>, ViewCallLog;
        }
    };
}
