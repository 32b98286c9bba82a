//! The window's commands. Each one calls the core and maps its error; no rules live here.

use tauri::State;
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
    Ok(state.desk.catalog().await?)
}

#[tauri::command]
pub async fn desk_profile(state: State<'_, AppState>) -> Result<DeskProfile> {
    Ok(state.desk.profile().await?)
}

#[tauri::command]
pub async fn update_desk_profile(
    state: State<'_, AppState>,
    profile: DeskProfile,
) -> Result<DeskProfile> {
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
    Ok(state
        .desk
        .validate_intake(&form, for_acceptance.unwrap_or(true))
        .await?)
}

/// The promised date if the item were accepted now (`YYYY-MM-DD`).
#[tauri::command]
pub async fn promised_date_preview(
    state: State<'_, AppState>,
    dept_ql_reg_no: String,
) -> Result<Option<String>> {
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
    state.desk.set_hall_image(kind, png.as_deref()).await?;
    Ok(state.desk.profile().await?)
}

/// Replaces the catalog from a JSON or .xlsx file's bytes, all or nothing.
#[tauri::command]
pub async fn import_catalog(state: State<'_, AppState>, bytes: Vec<u8>) -> Result<usize> {
    Ok(state.desk.import_catalog_bytes(&bytes).await?)
}

/// Writes the catalog to `exports/` in the data directory and returns the file's path.
#[tauri::command]
pub async fn export_catalog(state: State<'_, AppState>, xlsx: bool) -> Result<String> {
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
    Ok(state.desk.record_dialog_print(&project_no, kind).await?)
}

#[tauri::command]
pub async fn accept_case(state: State<'_, AppState>, form: IntakeForm) -> Result<AcceptOutcome> {
    Ok(state.desk.accept(&form).await?)
}

/// A new case with the clerk's decision: 收件, 受理, 不予受理 or 补齐补正.
#[tauri::command]
pub async fn intake_case(
    state: State<'_, AppState>,
    form: IntakeForm,
    decision: IntakeDecision,
) -> Result<AcceptOutcome> {
    Ok(state.desk.intake_with(&form, &decision).await?)
}

/// An action on an existing case (受理, 不予受理, 补齐补正, 补正完成, 撤回).
#[tauri::command]
pub async fn act_on_case(
    state: State<'_, AppState>,
    project_no: String,
    action: CaseAction,
) -> Result<AcceptOutcome> {
    Ok(state.desk.apply(&project_no, &action).await?)
}

/// The printers of the system's print service (CUPS).
#[tauri::command]
pub async fn list_printers() -> Result<Vec<String>> {
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
    Ok(state
        .desk
        .print_notice(&project_no, kind, printer.as_deref(), copies.unwrap_or(1))
        .await?)
}

/// A returning applicant's details from earlier cases at this desk (local store only).
#[tauri::command]
pub async fn known_applicant(
    state: State<'_, AppState>,
    paper_code: String,
) -> Result<Option<KnownApplicant>> {
    Ok(state.desk.known_applicant(&paper_code).await?)
}

/// Autosaves the intake form being typed.
#[tauri::command]
pub async fn save_draft(state: State<'_, AppState>, form: IntakeForm) -> Result<()> {
    Ok(state.desk.save_draft(&form).await?)
}

#[tauri::command]
pub async fn load_draft(state: State<'_, AppState>) -> Result<Option<IntakeForm>> {
    Ok(state.desk.load_draft().await?)
}

#[tauri::command]
pub async fn clear_draft(state: State<'_, AppState>) -> Result<()> {
    Ok(state.desk.clear_draft().await?)
}

#[tauri::command]
pub async fn list_cases(
    state: State<'_, AppState>,
    search: Option<String>,
    state_filter: Option<CaseState>,
) -> Result<Vec<CaseSummary>> {
    Ok(state
        .desk
        .list_cases(search.as_deref(), state_filter)
        .await?)
}

#[tauri::command]
pub async fn get_case(state: State<'_, AppState>, project_no: String) -> Result<CaseRecord> {
    Ok(state.desk.get_case(&project_no).await?)
}

/// The PDF bytes, sent raw (an `ArrayBuffer` on the JS side).
#[tauri::command]
pub async fn notice_pdf(
    state: State<'_, AppState>,
    project_no: String,
    kind: NoticeKind,
) -> Result<tauri::ipc::Response> {
    let pdf = state.desk.notice_pdf(&project_no, kind).await?;
    Ok(tauri::ipc::Response::new(pdf))
}

/// One document's PDF bytes by its number (受理文书编号).
#[tauri::command]
pub async fn document_pdf(
    state: State<'_, AppState>,
    doc_no: String,
) -> Result<tauri::ipc::Response> {
    let (_, _, pdf) = state.desk.document_pdf(&doc_no).await?;
    Ok(tauri::ipc::Response::new(pdf))
}

#[tauri::command]
pub async fn export_notice(
    state: State<'_, AppState>,
    project_no: String,
    kind: NoticeKind,
) -> Result<String> {
    let path = state.desk.export_notice(&project_no, kind, None).await?;
    Ok(path.display().to_string())
}

/// The hub's status for the desk: online or not, the latest failure, and the queue.
#[tauri::command]
pub async fn hub_status(state: State<'_, AppState>) -> Result<HubStatus> {
    Ok(state.desk.hub_status().await?)
}

/// Messages for the hub, newest first: the dead letters (`status: "dead"`), or all.
#[tauri::command]
pub async fn outbox_list(
    state: State<'_, AppState>,
    status: Option<OutboxStatus>,
) -> Result<Vec<OutboxEntry>> {
    Ok(state.desk.outbox_list(status, 200).await?)
}

/// Puts a dead letter back in the queue and, when a hub is connected, sends at once.
#[tauri::command]
pub async fn outbox_retry(state: State<'_, AppState>, id: i64) -> Result<OutboxEntry> {
    let entry = state.desk.outbox_retry(id).await?;
    sync_round(&state).await?;
    Ok(entry)
}

/// Sends everything due now, if a hub is connected.
#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>) -> Result<HubStatus> {
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
    Ok(state.desk.call_log_list(failures_only, 200).await?)
}

/// Notifications for the clerk (a department asks for a supplement, a result arrived), newest
/// first.
#[tauri::command]
pub async fn notifications(
    state: State<'_, AppState>,
    unread_only: bool,
) -> Result<Vec<yichuang_core::model::Notification>> {
    Ok(state.desk.notifications(unread_only, 100).await?)
}

/// Marks notifications read: the given ones, or all when `ids` is empty.
#[tauri::command]
pub async fn mark_notifications_read(state: State<'_, AppState>, ids: Vec<i64>) -> Result<u32> {
    Ok(state.desk.mark_notifications_read(&ids).await?)
}

/// Messages taken from the hub, newest first, with what became of each.
#[tauri::command]
pub async fn hub_inbox(state: State<'_, AppState>) -> Result<Vec<yichuang_core::inbox::InboxRow>> {
    Ok(state.desk.inbox_list(200).await?)
}

/// A department's document (fetched through 7.2.8), as PDF bytes.
#[tauri::command]
pub async fn hub_document(state: State<'_, AppState>, id: i64) -> Result<tauri::ipc::Response> {
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
    Ok(tauri::ipc::Response::new(
        state.desk.material_page_jpeg(id).await?,
    ))
}

/// Reads the ID card on this desk's reader: the vendor's local service set in 窗口设置, or in
/// the trainers' demo a simulated reader with generated identities. Never waits longer than
/// the read timeout.
#[tauri::command]
pub async fn read_id_card(state: State<'_, AppState>) -> Result<IdCardRead> {
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
    Ok(state.desk.id_reader_url().await?.unwrap_or_default())
}

#[tauri::command]
pub async fn set_id_reader_url(state: State<'_, AppState>, url: String) -> Result<()> {
    Ok(state.desk.set_id_reader_url(&url).await?)
}

// ---------------------------------------------------------------- supervision (督办监察, 统计)
//
// The acting person is the desk's clerk and window until sessions are wired in; then the
// session's `Actor` takes their place.

use yichuang_core::dict::Satisfaction;
use yichuang_core::orders::SupervisionOrder;
use yichuang_core::stats::{CaseStats, StatsFilter};
use yichuang_core::supervision::{PendingFilter, PendingReview};

async fn acting(state: &AppState) -> Result<(String, String)> {
    let p = state.desk.profile().await?;
    Ok((p.clerk_name, p.window_no))
}

/// The pending cases with their 黄牌/红牌 level.
#[tauri::command]
pub async fn supervise_pending(
    state: State<'_, AppState>,
    filter: PendingFilter,
) -> Result<PendingReview> {
    Ok(state.desk.pending_cases(&filter).await?)
}

/// Writes the pending view to `exports/` as .xlsx and returns the path.
#[tauri::command]
pub async fn export_pending(state: State<'_, AppState>, filter: PendingFilter) -> Result<String> {
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
    Ok(state.desk.case_stats(&filter).await?)
}

/// Writes the statistics to `exports/` as .xlsx and returns the path.
#[tauri::command]
pub async fn export_stats(state: State<'_, AppState>, filter: StatsFilter) -> Result<String> {
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
    let (by, window) = acting(&state).await?;
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
    let (by, window) = acting(&state).await?;
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
    let (by, window) = acting(&state).await?;
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
    let (by, _) = acting(&state).await?;
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
    Ok(state.desk.call_log_for_case(&project_no, 200).await?)
}
