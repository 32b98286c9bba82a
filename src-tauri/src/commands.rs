//! The window's commands. Each one calls the core and maps its error; no rules live here.

use tauri::State;
use yichuang_core::accounts::Permission;
use yichuang_core::error::CommandError;
use yichuang_core::model::*;

use crate::state::AppState;

type Result<T> = std::result::Result<T, CommandError>;

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: state.desk.data_dir().display().to_string(),
        demo: state.demo,
        hub_connected: state.sync.is_some(),
    }
}

#[tauri::command]
pub async fn catalog_list(state: State<'_, AppState>) -> Result<Vec<CatalogItem>> {
    state.authorize(Permission::ViewCases).await?;
    Ok(state.desk.catalog().await?)
}

#[tauri::command]
pub async fn desk_profile(state: State<'_, AppState>) -> Result<DeskProfile> {
    state.authorize(Permission::ViewCases).await?;
    Ok(state.desk.profile().await?)
}

#[tauri::command]
pub async fn update_desk_profile(
    state: State<'_, AppState>,
    profile: DeskProfile,
) -> Result<DeskProfile> {
    state.authorize(Permission::DeskSettings).await?;
    Ok(state.desk.set_profile(profile).await?)
}

/// Field problems of an intake, for acceptance (default) or for a receipt, rejection or
/// supplement request.
#[tauri::command]
pub async fn validate_intake(
    state: State<'_, AppState>,
    form: IntakeForm,
    for_acceptance: Option<bool>,
) -> Result<Vec<FieldError>> {
    state.authorize(Permission::Intake).await?;
    Ok(state
        .desk
        .validate_intake(&form, for_acceptance.unwrap_or(true))
        .await?)
}

/// The promised date if the item were accepted now (`YYYY-MM-DD`), with the estimate warning
/// when it rests on a year without an official holiday arrangement.
#[tauri::command]
pub async fn promised_date_preview(
    state: State<'_, AppState>,
    dept_ql_reg_no: String,
) -> Result<Option<PromisedDatePreview>> {
    state.authorize(Permission::Intake).await?;
    Ok(state
        .desk
        .promised_date_if_accepted_now(&dept_ql_reg_no)
        .await?)
}

/// The hall's logo or seal (PNG bytes; empty when not set).
#[tauri::command]
pub async fn hall_image(
    state: State<'_, AppState>,
    kind: HallImage,
) -> Result<tauri::ipc::Response> {
    state.authorize(Permission::ViewCases).await?;
    let png = state.desk.hall_image(kind).await?.unwrap_or_default();
    Ok(tauri::ipc::Response::new(png))
}

/// Sets (PNG bytes) or removes (`null`) the hall's logo or seal.
#[tauri::command]
pub async fn set_hall_image(
    state: State<'_, AppState>,
    kind: HallImage,
    png: Option<Vec<u8>>,
) -> Result<DeskProfile> {
    state.authorize(Permission::DeskSettings).await?;
    state.desk.set_hall_image(kind, png.as_deref()).await?;
    Ok(state.desk.profile().await?)
}

/// The working-day calendar: the years around today, official or estimated, and the
/// administrator's reminder.
#[tauri::command]
pub async fn calendar_overview(
    state: State<'_, AppState>,
) -> Result<yichuang_core::workdays::CalendarOverview> {
    state.authorize(Permission::ViewCases).await?;
    Ok(state.desk.calendar_overview().await?)
}

/// Imports a State Council holiday arrangement (JSON text), all or nothing; open cases whose
/// dates change are recomputed, with the change in their history.
#[tauri::command]
pub async fn calendar_import(
    state: State<'_, AppState>,
    text: String,
) -> Result<yichuang_core::workdays::CalendarImport> {
    let actor = state.authorize(Permission::DeskSettings).await?;
    Ok(state.desk.import_calendar(&text, &actor).await?)
}

/// Records that the administrator has seen the calendar reminder for `year`.
#[tauri::command]
pub async fn calendar_reminder_seen(state: State<'_, AppState>, year: i32) -> Result<()> {
    state.authorize(Permission::DeskSettings).await?;
    Ok(state.desk.calendar_reminder_seen(year).await?)
}

/// Replaces the catalog from a JSON or .xlsx file's bytes, all or nothing.
#[tauri::command]
pub async fn import_catalog(state: State<'_, AppState>, bytes: Vec<u8>) -> Result<usize> {
    state.authorize(Permission::DeskSettings).await?;
    Ok(state.desk.import_catalog_bytes(&bytes).await?)
}

/// Writes the catalog to `exports/` in the data directory and returns the file's path.
#[tauri::command]
pub async fn export_catalog(state: State<'_, AppState>, xlsx: bool) -> Result<String> {
    state.authorize(Permission::DeskSettings).await?;
    Ok(state
        .desk
        .export_catalog_file(xlsx)
        .await?
        .display()
        .to_string())
}

/// Records a print made through the system print dialog.
#[tauri::command]
pub async fn record_dialog_print(
    state: State<'_, AppState>,
    project_no: String,
    kind: NoticeKind,
) -> Result<()> {
    let acting = state.acting(Permission::ActOnCase).await?;
    Ok(acting.record_dialog_print(&project_no, kind).await?)
}

#[tauri::command]
pub async fn accept_case(state: State<'_, AppState>, form: IntakeForm) -> Result<AcceptOutcome> {
    let acting = state.acting(Permission::Intake).await?;
    Ok(acting.accept(&form).await?)
}

/// A new case with the clerk's decision: 收件, 受理, 不予受理 or 补齐补正.
#[tauri::command]
pub async fn intake_case(
    state: State<'_, AppState>,
    form: IntakeForm,
    decision: IntakeDecision,
) -> Result<AcceptOutcome> {
    let acting = state.acting(Permission::Intake).await?;
    Ok(acting.intake_with(&form, &decision).await?)
}

/// An action on an existing case (受理, 不予受理, 补齐补正, 补正完成, 撤回).
#[tauri::command]
pub async fn act_on_case(
    state: State<'_, AppState>,
    project_no: String,
    action: CaseAction,
) -> Result<AcceptOutcome> {
    let acting = state.acting(Permission::ActOnCase).await?;
    Ok(acting.apply(&project_no, &action).await?)
}

/// The printers of the system's print service (CUPS).
#[tauri::command]
pub async fn list_printers(state: State<'_, AppState>) -> Result<Vec<String>> {
    state.authorize(Permission::ActOnCase).await?;
    tauri::async_runtime::spawn_blocking(yichuang_core::printing::printers)
        .await
        .map_err(|e| CommandError::Internal {
            message: e.to_string(),
        })?
        .map_err(|e| CommandError::from(yichuang_core::CoreError::from(e)))
}

/// Prints a document; the print (or reprint) is recorded in the case's history.
#[tauri::command]
pub async fn print_notice(
    state: State<'_, AppState>,
    project_no: String,
    kind: NoticeKind,
    printer: Option<String>,
    copies: Option<u32>,
) -> Result<String> {
    let acting = state.acting(Permission::ActOnCase).await?;
    Ok(acting
        .print_notice(&project_no, kind, printer.as_deref(), copies.unwrap_or(1))
        .await?)
}

/// A returning applicant's details from earlier cases at this desk (local store only).
#[tauri::command]
pub async fn known_applicant(
    state: State<'_, AppState>,
    paper_code: String,
) -> Result<Option<KnownApplicant>> {
    state.authorize(Permission::Intake).await?;
    Ok(state.desk.known_applicant(&paper_code).await?)
}

/// Autosaves the intake form being typed.
#[tauri::command]
pub async fn save_draft(state: State<'_, AppState>, form: IntakeForm) -> Result<()> {
    state.authorize(Permission::Intake).await?;
    Ok(state.desk.save_draft(&form).await?)
}

#[tauri::command]
pub async fn load_draft(state: State<'_, AppState>) -> Result<Option<IntakeForm>> {
    state.authorize(Permission::Intake).await?;
    Ok(state.desk.load_draft().await?)
}

#[tauri::command]
pub async fn clear_draft(state: State<'_, AppState>) -> Result<()> {
    state.authorize(Permission::Intake).await?;
    Ok(state.desk.clear_draft().await?)
}

#[tauri::command]
pub async fn list_cases(
    state: State<'_, AppState>,
    search: Option<String>,
    state_filter: Option<CaseState>,
) -> Result<Vec<CaseSummary>> {
    state.authorize(Permission::ViewCases).await?;
    Ok(state
        .desk
        .list_cases(search.as_deref(), state_filter)
        .await?)
}

#[tauri::command]
pub async fn get_case(state: State<'_, AppState>, project_no: String) -> Result<CaseRecord> {
    state.authorize(Permission::ViewCases).await?;
    Ok(state.desk.get_case(&project_no).await?)
}

/// The PDF bytes, sent raw (an `ArrayBuffer` on the JS side).
#[tauri::command]
pub async fn notice_pdf(
    state: State<'_, AppState>,
    project_no: String,
    kind: NoticeKind,
) -> Result<tauri::ipc::Response> {
    state.authorize(Permission::ViewCases).await?;
    let pdf = state.desk.notice_pdf(&project_no, kind).await?;
    Ok(tauri::ipc::Response::new(pdf))
}

/// One document's PDF bytes by its number (受理文书编号).
#[tauri::command]
pub async fn document_pdf(
    state: State<'_, AppState>,
    doc_no: String,
) -> Result<tauri::ipc::Response> {
    state.authorize(Permission::ViewCases).await?;
    let (_, _, pdf) = state.desk.document_pdf(&doc_no).await?;
    Ok(tauri::ipc::Response::new(pdf))
}

#[tauri::command]
pub async fn export_notice(
    state: State<'_, AppState>,
    project_no: String,
    kind: NoticeKind,
) -> Result<String> {
    state.authorize(Permission::ActOnCase).await?;
    let path = state.desk.export_notice(&project_no, kind, None).await?;
    Ok(path.display().to_string())
}

/// The hub's status for the desk: online or not, the latest failure, and the queue.
#[tauri::command]
pub async fn hub_status(state: State<'_, AppState>) -> Result<HubStatus> {
    state.authorize_quietly(Permission::ViewCases).await?;
    Ok(state.desk.hub_status().await?)
}

/// Messages for the hub, newest first: the dead letters (`status: "dead"`), or all.
#[tauri::command]
pub async fn outbox_list(
    state: State<'_, AppState>,
    status: Option<OutboxStatus>,
) -> Result<Vec<OutboxEntry>> {
    state.authorize(Permission::ViewCallLog).await?;
    Ok(state.desk.outbox_list(status, 200).await?)
}

/// Puts a dead letter back in the queue and, when a hub is connected, sends at once.
#[tauri::command]
pub async fn outbox_retry(state: State<'_, AppState>, id: i64) -> Result<OutboxEntry> {
    state.authorize(Permission::HubAdmin).await?;
    let entry = state.desk.outbox_retry(id).await?;
    sync_round(&state).await?;
    Ok(entry)
}

/// Sends everything due now, if a hub is connected.
#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>) -> Result<HubStatus> {
    state.authorize(Permission::ViewCases).await?;
    sync_round(&state).await?;
    Ok(state.desk.hub_status().await?)
}

async fn sync_round(state: &AppState) -> Result<()> {
    if let Some(worker) = &state.sync {
        worker.run_once(&state.desk).await?;
    }
    Ok(())
}

/// The call log of the hub interfaces (seed 000 5.5), newest first; personal data is masked.
#[tauri::command]
pub async fn call_log(
    state: State<'_, AppState>,
    failures_only: bool,
) -> Result<Vec<CallLogRecord>> {
    state.authorize(Permission::ViewCallLog).await?;
    Ok(state.desk.call_log_list(failures_only, 200).await?)
}

/// Notifications for the clerk (a department asks for a supplement, a result arrived), newest
/// first.
#[tauri::command]
pub async fn notifications(
    state: State<'_, AppState>,
    unread_only: bool,
) -> Result<Vec<yichuang_core::model::Notification>> {
    state.authorize_quietly(Permission::ActOnCase).await?;
    Ok(state.desk.notifications(unread_only, 100).await?)
}

/// Marks notifications read: the given ones, or all when `ids` is empty.
#[tauri::command]
pub async fn mark_notifications_read(state: State<'_, AppState>, ids: Vec<i64>) -> Result<u32> {
    state.authorize(Permission::ActOnCase).await?;
    Ok(state.desk.mark_notifications_read(&ids).await?)
}

/// Messages taken from the hub, newest first, with what became of each.
#[tauri::command]
pub async fn hub_inbox(state: State<'_, AppState>) -> Result<Vec<yichuang_core::inbox::InboxRow>> {
    state.authorize(Permission::ViewCallLog).await?;
    Ok(state.desk.inbox_list(200).await?)
}

/// A department's document (fetched through 7.2.8), as PDF bytes.
#[tauri::command]
pub async fn hub_document(state: State<'_, AppState>, id: i64) -> Result<tauri::ipc::Response> {
    state.authorize(Permission::ViewCases).await?;
    let (_, bytes) = state.desk.hub_document(id).await?;
    Ok(tauri::ipc::Response::new(bytes))
}

/// Attaches one file to a material of a case. The file travels as the raw request body (no
/// JSON number arrays for megabytes of scan); the case, the material, the file name
/// (percent-encoded) and the page colour travel as headers.
#[tauri::command]
pub async fn attach_material_file(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> Result<Vec<MaterialPageInfo>> {
    state.authorize(Permission::ActOnCase).await?;
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(CommandError::Internal {
            message: "文件内容应以二进制方式传入".into(),
        });
    };
    let header = |name: &str| -> String {
        let raw = request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        percent_encoding::percent_decode_str(raw)
            .decode_utf8_lossy()
            .into_owned()
    };
    let output = match header("output").as_str() {
        "color" => PageOutput::Color,
        "black_white" => PageOutput::BlackWhite,
        _ => PageOutput::Gray,
    };
    let file = yichuang_core::materials::IncomingFile {
        name: header("file-name"),
        bytes: bytes.clone(),
    };
    Ok(state
        .desk
        .attach_material_files(
            &header("project-no"),
            &header("material-no"),
            vec![file],
            output,
        )
        .await?)
}

/// One stored page as JPEG bytes.
#[tauri::command]
pub async fn material_page(state: State<'_, AppState>, id: i64) -> Result<tauri::ipc::Response> {
    state.authorize(Permission::ViewCases).await?;
    Ok(tauri::ipc::Response::new(
        state.desk.material_page_jpeg(id).await?,
    ))
}

/// Reads the ID card on this desk's reader: the vendor's local service set in 窗口设置, or in
/// the trainers' demo a simulated reader with generated identities. Never waits longer than
/// the read timeout.
#[tauri::command]
pub async fn read_id_card(state: State<'_, AppState>) -> Result<IdCardRead> {
    state.authorize(Permission::Intake).await?;
    use yichuang_scan::idcard_reader::{HttpIdCardReader, IdCardReader, SimulatedIdCardReader};
    const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(8);
    let mut reader: Box<dyn IdCardReader> = if state.demo {
        let today = yichuang_core::time::Clock::now(&yichuang_core::time::SystemClock::default())
            .date_naive();
        let mut rng = fastrand::Rng::new();
        let card = yichuang_core::idreader::demo_card(&mut rng, today);
        Box::new(SimulatedIdCardReader::new(vec![card]))
    } else {
        let url = state.desk.id_reader_url().await?.unwrap_or_default();
        match HttpIdCardReader::new(&url) {
            Ok(r) => Box::new(r),
            Err(e) => {
                return Err(CommandError::Conflict {
                    message: e.to_string(),
                });
            }
        }
    };
    let read = tokio::task::spawn_blocking(move || reader.read(TIMEOUT))
        .await
        .map_err(|e| CommandError::Internal {
            message: format!("读取身份证中断：{e}"),
        })?;
    match read {
        Ok(card) => Ok(state.desk.id_card_read(card)),
        Err(e) => Err(CommandError::Conflict {
            message: e.to_string(),
        }),
    }
}

/// This desk's ID card reader service URL ("" when none).
#[tauri::command]
pub async fn id_reader_url(state: State<'_, AppState>) -> Result<String> {
    state.authorize(Permission::DeskSettings).await?;
    Ok(state.desk.id_reader_url().await?.unwrap_or_default())
}

#[tauri::command]
pub async fn set_id_reader_url(state: State<'_, AppState>, url: String) -> Result<()> {
    state.authorize(Permission::DeskSettings).await?;
    Ok(state.desk.set_id_reader_url(&url).await?)
}

/// The capture devices there are (scanners, document cameras, file import).
#[tauri::command]
pub async fn capture_devices(
    state: State<'_, AppState>,
) -> Result<yichuang_core::model::CaptureDevices> {
    state.authorize(Permission::DeskSettings).await?;
    Ok(state.desk.capture_devices().await?)
}

/// This desk's capture device and options.
#[tauri::command]
pub async fn capture_settings(
    state: State<'_, AppState>,
) -> Result<yichuang_core::model::CaptureSettings> {
    state.authorize(Permission::ViewCases).await?;
    Ok(state.desk.capture_settings().await?)
}

#[tauri::command]
pub async fn set_capture_settings(
    state: State<'_, AppState>,
    settings: yichuang_core::model::CaptureSettings,
) -> Result<yichuang_core::model::CaptureSettings> {
    state.authorize(Permission::DeskSettings).await?;
    Ok(state.desk.set_capture_settings(&settings).await?)
}

/// Scans into a material from the desk's device.
#[tauri::command]
pub async fn scan_material(
    state: State<'_, AppState>,
    project_no: String,
    material_no: String,
) -> Result<Vec<MaterialPageInfo>> {
    state.authorize(Permission::ActOnCase).await?;
    Ok(state
        .desk
        .scan_material(&project_no, &material_no, None)
        .await?)
}

#[tauri::command]
pub async fn reorder_material_pages(
    state: State<'_, AppState>,
    project_no: String,
    material_no: String,
    page_ids: Vec<i64>,
) -> Result<Vec<MaterialPageInfo>> {
    state.authorize(Permission::ActOnCase).await?;
    Ok(state
        .desk
        .reorder_material_pages(&project_no, &material_no, &page_ids)
        .await?)
}

#[tauri::command]
pub async fn rotate_material_page(
    state: State<'_, AppState>,
    project_no: String,
    page_id: i64,
    quarter_turns: i32,
) -> Result<Vec<MaterialPageInfo>> {
    state.authorize(Permission::ActOnCase).await?;
    Ok(state
        .desk
        .rotate_material_page(&project_no, page_id, quarter_turns)
        .await?)
}

#[tauri::command]
pub async fn delete_material_page(
    state: State<'_, AppState>,
    project_no: String,
    page_id: i64,
) -> Result<Vec<MaterialPageInfo>> {
    state.authorize(Permission::ActOnCase).await?;
    Ok(state
        .desk
        .delete_material_page(&project_no, page_id)
        .await?)
}

/// 帮我传 query: which materials the departments can provide for this intake (all the item's
/// shareable materials, or one). Needs the hub connection.
#[tauri::command]
pub async fn share_query(
    state: State<'_, AppState>,
    form: IntakeForm,
    material_no: Option<String>,
) -> Result<Vec<ShareAvailability>> {
    state.authorize(Permission::Intake).await?;
    let Some(worker) = &state.sync else {
        return Err(yichuang_core::CoreError::Conflict(
            "本窗口未连接办件中心，无法使用帮我传，请联系管理员配置办件中心".into(),
        )
        .into());
    };
    let mut all = yichuang_sync::share::query_all(&state.desk, worker.client(), &form).await?;
    if let Some(no) = material_no {
        all.retain(|a| a.material_no == no.trim());
    }
    Ok(all)
}

/// 提交受理 with materials fetched through 帮我传: the case waits in 受理中 (临时回执 issued).
#[tauri::command]
pub async fn submit_case(state: State<'_, AppState>, form: IntakeForm) -> Result<AcceptOutcome> {
    let acting = state.acting(Permission::Intake).await?;
    Ok(acting.submit(&form).await?)
}

/// 我的事务 - 受理中.
#[tauri::command]
pub async fn in_acceptance_cases(state: State<'_, AppState>) -> Result<Vec<InAcceptanceCase>> {
    state.authorize(Permission::ViewCases).await?;
    Ok(state.desk.in_acceptance_cases().await?)
}

/// 更改材料收取方式 of a 受理中 case (`None`: collected at the counter).
#[tauri::command]
pub async fn share_set_method(
    state: State<'_, AppState>,
    project_no: String,
    material_no: String,
    method: Option<ShareMethod>,
) -> Result<CaseRecord> {
    state.authorize(Permission::ActOnCase).await?;
    Ok(state
        .desk
        .share_set_method(&project_no, &material_no, method)
        .await?)
}

/// 签入 a paper material by the code scanned from it.
#[tauri::command]
pub async fn share_sign_in(
    state: State<'_, AppState>,
    project_no: String,
    material_no: String,
    code: String,
) -> Result<CaseRecord> {
    state.authorize(Permission::ActOnCase).await?;
    Ok(state
        .desk
        .share_sign_in(&project_no, &material_no, &code)
        .await?)
}

/// 取消办件 of a 受理中 case (the window asked for confirmation first).
#[tauri::command]
pub async fn share_cancel(
    state: State<'_, AppState>,
    project_no: String,
    reason: String,
) -> Result<CaseRecord> {
    state.authorize(Permission::ActOnCase).await?;
    Ok(state.desk.share_cancel(&project_no, &reason).await?)
}

/// The file a department shared for a material, as bytes (PDF).
#[tauri::command]
pub async fn share_file(
    state: State<'_, AppState>,
    project_no: String,
    material_no: String,
) -> Result<tauri::ipc::Response> {
    state.authorize(Permission::ViewCases).await?;
    let (_, bytes) = state.desk.share_file(&project_no, &material_no).await?;
    Ok(tauri::ipc::Response::new(bytes))
}

// ---------------------------------------------------------------- 培训控制 (trainers' demo)
// Each of these needs `Permission::TrainerControls`. The core refuses them on a desk that is
// not a demo desk; the hub modes exist only with the demo's embedded simulator.

fn demo_status_of(state: &AppState) -> DemoStatus {
    DemoStatus {
        clock: yichuang_core::demo::clock(&state.desk),
        hub_mode: state.hub_sim.as_ref().map(|s| s.mode()),
    }
}

/// The demo desk's clock and the embedded hub's mode.
#[tauri::command]
pub async fn demo_status(state: State<'_, AppState>) -> Result<DemoStatus> {
    state.authorize(Permission::TrainerControls).await?;
    Ok(demo_status_of(&state))
}

/// Makes the embedded hub go down, slow, reject, or back to normal.
#[tauri::command]
pub async fn demo_set_hub_mode(
    state: State<'_, AppState>,
    mode: DemoHubMode,
) -> Result<DemoStatus> {
    state.authorize(Permission::TrainerControls).await?;
    let Some(sim) = &state.hub_sim else {
        return Err(yichuang_core::CoreError::Conflict(
            "只有演示窗口（yichuang-app --demo）内置办件中心模拟器，才能切换其状态".into(),
        )
        .into());
    };
    sim.set_mode(mode).await;
    Ok(demo_status_of(&state))
}

/// Moves the demo desk's clock forward (`+3d`, `+12h`, `+30m`).
#[tauri::command]
pub async fn demo_move_clock(state: State<'_, AppState>, shift: String) -> Result<DemoStatus> {
    state.authorize(Permission::TrainerControls).await?;
    let secs = yichuang_core::demo::parse_shift(&shift)?;
    yichuang_core::demo::move_clock(&state.desk, secs).await?;
    Ok(demo_status_of(&state))
}

/// Back to the real time.
#[tauri::command]
pub async fn demo_reset_clock(state: State<'_, AppState>) -> Result<DemoStatus> {
    state.authorize(Permission::TrainerControls).await?;
    yichuang_core::demo::reset_clock(&state.desk).await?;
    Ok(demo_status_of(&state))
}

/// A department asks for a supplement (7.2.3) on an accepted case: the embedded hub queues
/// the message, and a sync round brings it to the desk at once.
#[tauri::command]
pub async fn demo_request_supplement(
    state: State<'_, AppState>,
    project_no: String,
    opinion: String,
) -> Result<()> {
    state.authorize(Permission::TrainerControls).await?;
    let materials = yichuang_core::demo::supplement_materials(&state.desk, &project_no).await?;
    let Some(sim) = &state.hub_sim else {
        return Err(yichuang_core::CoreError::Conflict(
            "只有演示窗口（yichuang-app --demo）内置办件中心模拟器，才能模拟部门要求补正".into(),
        )
        .into());
    };
    let opinion = match opinion.trim() {
        "" => "材料不符合要求，请申请人补正（培训演示）",
        text => text,
    };
    sim.request_supplement(&project_no, opinion, &materials);
    sync_round(&state).await
}

/// Puts the demo back as seeded, in place; the embedded hub forgets its cases and answers
/// normally again. Returns how many cases were seeded.
#[tauri::command]
pub async fn demo_reset(state: State<'_, AppState>) -> Result<usize> {
    state.authorize(Permission::TrainerControls).await?;
    let made = yichuang_core::demo::reset(&state.desk).await?;
    if let Some(sim) = &state.hub_sim {
        sim.reset();
        sim.set_mode(DemoHubMode::Normal).await;
    }
    Ok(made)
}

/// The pending cases with their warning level today (as the desk's clock stands), for the
/// trainers' panel to show what moving the clock did.
#[tauri::command]
pub async fn demo_warnings(
    state: State<'_, AppState>,
) -> Result<yichuang_core::supervision::PendingReview> {
    state.authorize(Permission::TrainerControls).await?;
    let filter = yichuang_core::supervision::PendingFilter {
        limit: Some(500),
        ..Default::default()
    };
    Ok(state.desk.pending_cases(&filter).await?)
}

// ---------------------------------------------------------------- supervision (督办监察, 统计)
//
// The acting person is the signed-in one (name and window; an account without a window
// number acts at the desk's).

use yichuang_core::dict::Satisfaction;
use yichuang_core::orders::SupervisionOrder;
use yichuang_core::stats::{CaseStats, StatsFilter};
use yichuang_core::supervision::{PendingFilter, PendingReview};

async fn acting(state: &AppState, permission: Permission) -> Result<(String, String)> {
    let actor = state.authorize(permission).await?;
    let window = if actor.window_no.trim().is_empty() {
        state.desk.profile().await?.window_no
    } else {
        actor.window_no
    };
    Ok((actor.name, window))
}

/// The pending cases with their 黄牌/红牌 level.
#[tauri::command]
pub async fn supervise_pending(
    state: State<'_, AppState>,
    filter: PendingFilter,
) -> Result<PendingReview> {
    state.authorize(Permission::SuperviseCases).await?;
    Ok(state.desk.pending_cases(&filter).await?)
}

/// Writes the pending view to `exports/` as .xlsx and returns the path.
#[tauri::command]
pub async fn export_pending(state: State<'_, AppState>, filter: PendingFilter) -> Result<String> {
    state.authorize(Permission::SuperviseCases).await?;
    Ok(state
        .desk
        .export_pending_file(&filter)
        .await?
        .display()
        .to_string())
}

/// The statistics of the cases taken in during the range.
#[tauri::command]
pub async fn case_stats(state: State<'_, AppState>, filter: StatsFilter) -> Result<CaseStats> {
    state.authorize(Permission::SuperviseCases).await?;
    Ok(state.desk.case_stats(&filter).await?)
}

/// Writes the statistics to `exports/` as .xlsx and returns the path.
#[tauri::command]
pub async fn export_stats(state: State<'_, AppState>, filter: StatsFilter) -> Result<String> {
    state.authorize(Permission::SuperviseCases).await?;
    Ok(state
        .desk
        .export_stats_file(&filter)
        .await?
        .display()
        .to_string())
}

/// Supervision orders: of one case, or all; only the open ones when asked.
#[tauri::command]
pub async fn supervision_orders(
    state: State<'_, AppState>,
    project_no: Option<String>,
    open_only: bool,
) -> Result<Vec<SupervisionOrder>> {
    state.authorize(Permission::ViewCases).await?;
    Ok(state
        .desk
        .supervision_orders(project_no.as_deref(), open_only)
        .await?)
}

/// Issues a supervision order (督办) on a case.
#[tauri::command]
pub async fn issue_supervision_order(
    state: State<'_, AppState>,
    project_no: String,
    text: String,
    reply_by: Option<String>,
) -> Result<SupervisionOrder> {
    let (by, window) = acting(&state, Permission::IssueSupervisionOrder).await?;
    Ok(state
        .desk
        .issue_supervision_order(&project_no, &by, &window, &text, reply_by.as_deref())
        .await?)
}

/// The clerk's reply to an open order.
#[tauri::command]
pub async fn reply_supervision_order(
    state: State<'_, AppState>,
    id: i64,
    text: String,
) -> Result<SupervisionOrder> {
    let (by, window) = acting(&state, Permission::ActOnCase).await?;
    Ok(state
        .desk
        .reply_supervision_order(id, &by, &window, &text)
        .await?)
}

/// The supervisor closes an order.
#[tauri::command]
pub async fn close_supervision_order(
    state: State<'_, AppState>,
    id: i64,
    note: String,
) -> Result<SupervisionOrder> {
    let (by, window) = acting(&state, Permission::IssueSupervisionOrder).await?;
    Ok(state
        .desk
        .close_supervision_order(id, &by, &window, &note)
        .await?)
}

/// Records the applicant's satisfaction (B.10) with a concluded or handed-over case.
#[tauri::command]
pub async fn record_satisfaction(
    state: State<'_, AppState>,
    project_no: String,
    rating: Satisfaction,
) -> Result<CaseRecord> {
    let (by, _) = acting(&state, Permission::ActOnCase).await?;
    state
        .desk
        .record_satisfaction(&project_no, rating, &by)
        .await?;
    Ok(state.desk.get_case(&project_no).await?)
}

/// The hub calls about one case, newest first (personal data masked).
#[tauri::command]
pub async fn case_call_log(
    state: State<'_, AppState>,
    project_no: String,
) -> Result<Vec<CallLogRecord>> {
    state.authorize(Permission::ViewCallLog).await?;
    Ok(state.desk.call_log_for_case(&project_no, 200).await?)
}
