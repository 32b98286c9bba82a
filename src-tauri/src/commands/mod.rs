//! The window's commands: one handler per entry of the command table
//! (`yichuang_api::with_commands!`), under the same name. The table's access check has run
//! before a handler starts (see [`crate::dispatch`]); each one calls the core and maps its
//! error; no rules live here.

use yichuang_api::Bytes;
use yichuang_api::cmd::*;
use yichuang_core::error::CommandError;
use yichuang_core::model::*;

pub use crate::auth::*;
use crate::dispatch::Cx;
use crate::state::AppState;
pub use demo::*;
pub use supervision::*;

mod demo;
mod supervision;

type Result<T> = std::result::Result<T, CommandError>;

pub async fn app_info(cx: Cx<'_>, _: app_info::Request) -> Result<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: cx.desk.data_dir().display().to_string(),
        demo: cx.demo,
        hub_connected: cx.sync.is_some(),
    })
}

pub async fn catalog_list(cx: Cx<'_>, _: catalog_list::Request) -> Result<Vec<CatalogItem>> {
    Ok(cx.desk.catalog().await?)
}

pub async fn desk_profile(cx: Cx<'_>, _: desk_profile::Request) -> Result<DeskProfile> {
    Ok(cx.desk.profile().await?)
}

pub async fn update_desk_profile(
    cx: Cx<'_>,
    update_desk_profile::Request { profile }: update_desk_profile::Request,
) -> Result<DeskProfile> {
    Ok(cx.desk.set_profile(profile).await?)
}

/// Field problems of an intake, for acceptance (default) or for a receipt, rejection or
/// supplement request.
pub async fn validate_intake(
    cx: Cx<'_>,
    validate_intake::Request {
        form,
        for_acceptance,
    }: validate_intake::Request,
) -> Result<Vec<FieldError>> {
    Ok(cx
        .desk
        .validate_intake(&form, for_acceptance.unwrap_or(true))
        .await?)
}

/// The promised date if the item were accepted now (`YYYY-MM-DD`), with the estimate warning
/// when it rests on a year without an official holiday arrangement.
pub async fn promised_date_preview(
    cx: Cx<'_>,
    promised_date_preview::Request { dept_ql_reg_no }: promised_date_preview::Request,
) -> Result<Option<PromisedDatePreview>> {
    Ok(cx
        .desk
        .promised_date_if_accepted_now(&dept_ql_reg_no)
        .await?)
}

/// The hall's logo or seal (PNG bytes; empty when not set).
pub async fn hall_image(
    cx: Cx<'_>,
    hall_image::Request { kind }: hall_image::Request,
) -> Result<Bytes> {
    let png = cx.desk.hall_image(kind).await?.unwrap_or_default();
    Ok(Bytes(png))
}

/// Sets (PNG bytes) or removes (`null`) the hall's logo or seal.
pub async fn set_hall_image(
    cx: Cx<'_>,
    set_hall_image::Request { kind, png }: set_hall_image::Request,
) -> Result<DeskProfile> {
    cx.desk.set_hall_image(kind, png.as_deref()).await?;
    Ok(cx.desk.profile().await?)
}

/// The working-day calendar: the years around today, official or estimated, and the
/// administrator's reminder.
pub async fn calendar_overview(
    cx: Cx<'_>,
    _: calendar_overview::Request,
) -> Result<yichuang_core::workdays::CalendarOverview> {
    Ok(cx.desk.calendar_overview().await?)
}

/// Imports a State Council holiday arrangement (JSON text), all or nothing; open cases whose
/// dates change are recomputed, with the change in their history.
pub async fn calendar_import(
    cx: Cx<'_>,
    calendar_import::Request { text }: calendar_import::Request,
) -> Result<yichuang_core::workdays::CalendarImport> {
    let actor = cx.actor()?;
    Ok(cx.desk.import_calendar(&text, actor).await?)
}

/// Records that the administrator has seen the calendar reminder for `year`.
pub async fn calendar_reminder_seen(
    cx: Cx<'_>,
    calendar_reminder_seen::Request { year }: calendar_reminder_seen::Request,
) -> Result<()> {
    Ok(cx.desk.calendar_reminder_seen(year).await?)
}

/// Replaces the catalog from a JSON or .xlsx file's bytes, all or nothing.
pub async fn import_catalog(
    cx: Cx<'_>,
    import_catalog::Request { bytes }: import_catalog::Request,
) -> Result<usize> {
    Ok(cx.desk.import_catalog_bytes(&bytes).await?)
}

/// Writes the catalog to `exports/` in the data directory and returns the file's path.
pub async fn export_catalog(
    cx: Cx<'_>,
    export_catalog::Request { xlsx }: export_catalog::Request,
) -> Result<String> {
    Ok(cx
        .desk
        .export_catalog_file(xlsx)
        .await?
        .display()
        .to_string())
}

/// Records a print made through the system print dialog.
pub async fn record_dialog_print(
    cx: Cx<'_>,
    record_dialog_print::Request { project_no, kind }: record_dialog_print::Request,
) -> Result<()> {
    let acting = cx.acting()?;
    Ok(acting.record_dialog_print(&project_no, kind).await?)
}

pub async fn accept_case(
    cx: Cx<'_>,
    accept_case::Request { form }: accept_case::Request,
) -> Result<AcceptOutcome> {
    let acting = cx.acting()?;
    Ok(acting.accept(&form).await?)
}

/// A new case with the clerk's decision: 收件, 受理, 不予受理 or 补齐补正.
pub async fn intake_case(
    cx: Cx<'_>,
    intake_case::Request { form, decision }: intake_case::Request,
) -> Result<AcceptOutcome> {
    let acting = cx.acting()?;
    Ok(acting.intake_with(&form, &decision).await?)
}

/// An action on an existing case (受理, 不予受理, 补齐补正, 补正完成, 撤回).
pub async fn act_on_case(
    cx: Cx<'_>,
    act_on_case::Request { project_no, action }: act_on_case::Request,
) -> Result<AcceptOutcome> {
    let acting = cx.acting()?;
    Ok(acting.apply(&project_no, &action).await?)
}

/// The printers of the system's print service (CUPS).
pub async fn list_printers(_cx: Cx<'_>, _: list_printers::Request) -> Result<Vec<String>> {
    tauri::async_runtime::spawn_blocking(yichuang_core::printing::printers)
        .await
        .map_err(|e| CommandError::Internal {
            message: e.to_string(),
        })?
        .map_err(|e| CommandError::from(yichuang_core::CoreError::from(e)))
}

/// Prints a document; the print (or reprint) is recorded in the case's history.
pub async fn print_notice(
    cx: Cx<'_>,
    print_notice::Request {
        project_no,
        kind,
        printer,
        copies,
    }: print_notice::Request,
) -> Result<String> {
    let acting = cx.acting()?;
    Ok(acting
        .print_notice(&project_no, kind, printer.as_deref(), copies.unwrap_or(1))
        .await?)
}

/// A returning applicant's details from earlier cases at this desk (local store only).
pub async fn known_applicant(
    cx: Cx<'_>,
    known_applicant::Request { paper_code }: known_applicant::Request,
) -> Result<Option<KnownApplicant>> {
    Ok(cx.desk.known_applicant(&paper_code).await?)
}

/// Autosaves the intake form being typed.
pub async fn save_draft(
    cx: Cx<'_>,
    save_draft::Request { form }: save_draft::Request,
) -> Result<()> {
    Ok(cx.desk.save_draft(&form).await?)
}

pub async fn load_draft(cx: Cx<'_>, _: load_draft::Request) -> Result<Option<IntakeForm>> {
    Ok(cx.desk.load_draft().await?)
}

pub async fn clear_draft(cx: Cx<'_>, _: clear_draft::Request) -> Result<()> {
    Ok(cx.desk.clear_draft().await?)
}

pub async fn list_cases(
    cx: Cx<'_>,
    list_cases::Request {
        search,
        state_filter,
    }: list_cases::Request,
) -> Result<Vec<CaseSummary>> {
    Ok(cx.desk.list_cases(search.as_deref(), state_filter).await?)
}

pub async fn get_case(
    cx: Cx<'_>,
    get_case::Request { project_no }: get_case::Request,
) -> Result<CaseRecord> {
    Ok(cx.desk.get_case(&project_no).await?)
}

/// The PDF bytes, sent raw (an `ArrayBuffer` on the JS side).
pub async fn notice_pdf(
    cx: Cx<'_>,
    notice_pdf::Request { project_no, kind }: notice_pdf::Request,
) -> Result<Bytes> {
    let pdf = cx.desk.notice_pdf(&project_no, kind).await?;
    Ok(Bytes(pdf))
}

/// One document's PDF bytes by its number (受理文书编号).
pub async fn document_pdf(
    cx: Cx<'_>,
    document_pdf::Request { doc_no }: document_pdf::Request,
) -> Result<Bytes> {
    let (_, _, pdf) = cx.desk.document_pdf(&doc_no).await?;
    Ok(Bytes(pdf))
}

pub async fn export_notice(
    cx: Cx<'_>,
    export_notice::Request { project_no, kind }: export_notice::Request,
) -> Result<String> {
    let path = cx.desk.export_notice(&project_no, kind, None).await?;
    Ok(path.display().to_string())
}

/// The hub's status for the desk: online or not, the latest failure, and the queue.
pub async fn hub_status(cx: Cx<'_>, _: hub_status::Request) -> Result<HubStatus> {
    Ok(cx.desk.hub_status().await?)
}

/// Messages for the hub, newest first: the dead letters (`status: "dead"`), or all.
pub async fn outbox_list(
    cx: Cx<'_>,
    outbox_list::Request { status }: outbox_list::Request,
) -> Result<Vec<OutboxEntry>> {
    Ok(cx.desk.outbox_list(status, 200).await?)
}

/// Puts a dead letter back in the queue and, when a hub is connected, sends at once.
pub async fn outbox_retry(
    cx: Cx<'_>,
    outbox_retry::Request { id }: outbox_retry::Request,
) -> Result<OutboxEntry> {
    let entry = cx.desk.outbox_retry(id).await?;
    sync_round(&cx).await?;
    Ok(entry)
}

/// Sends everything due now, if a hub is connected.
pub async fn sync_now(cx: Cx<'_>, _: sync_now::Request) -> Result<HubStatus> {
    sync_round(&cx).await?;
    Ok(cx.desk.hub_status().await?)
}

pub(super) async fn sync_round(cx: &AppState) -> Result<()> {
    if let Some(worker) = &cx.sync {
        worker.run_once(&cx.desk).await?;
    }
    Ok(())
}

/// The call log of the hub interfaces (seed 000 5.5), newest first; personal data is masked.
pub async fn call_log(
    cx: Cx<'_>,
    call_log::Request { failures_only }: call_log::Request,
) -> Result<Vec<CallLogRecord>> {
    Ok(cx.desk.call_log_list(failures_only, 200).await?)
}

/// Notifications for the clerk (a department asks for a supplement, a result arrived), newest
/// first.
pub async fn notifications(
    cx: Cx<'_>,
    notifications::Request { unread_only }: notifications::Request,
) -> Result<Vec<yichuang_core::model::Notification>> {
    Ok(cx.desk.notifications(unread_only, 100).await?)
}

/// Marks notifications read: the given ones, or all when `ids` is empty.
pub async fn mark_notifications_read(
    cx: Cx<'_>,
    mark_notifications_read::Request { ids }: mark_notifications_read::Request,
) -> Result<u32> {
    Ok(cx.desk.mark_notifications_read(&ids).await?)
}

/// Messages taken from the hub, newest first, with what became of each.
pub async fn hub_inbox(
    cx: Cx<'_>,
    _: hub_inbox::Request,
) -> Result<Vec<yichuang_core::inbox::InboxRow>> {
    Ok(cx.desk.inbox_list(200).await?)
}

/// A department's document (fetched through 7.2.8), as PDF bytes.
pub async fn hub_document(
    cx: Cx<'_>,
    hub_document::Request { id }: hub_document::Request,
) -> Result<Bytes> {
    let (_, bytes) = cx.desk.hub_document(id).await?;
    Ok(Bytes(bytes))
}

/// Attaches one file to a material of a case. The file travels as the raw request body (no
/// JSON number arrays for megabytes of scan); the case, the material, the file name
/// (percent-encoded) and the page colour travel as headers.
pub async fn attach_material_file(
    cx: Cx<'_>,
    _: attach_material_file::Request,
) -> Result<Vec<MaterialPageInfo>> {
    let tauri::ipc::InvokeBody::Raw(bytes) = cx.body() else {
        return Err(CommandError::Internal {
            message: "文件内容应以二进制方式传入".into(),
        });
    };
    let header = |name: &str| -> String {
        let raw = cx
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
    Ok(cx
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
pub async fn material_page(
    cx: Cx<'_>,
    material_page::Request { id }: material_page::Request,
) -> Result<Bytes> {
    Ok(Bytes(cx.desk.material_page_jpeg(id).await?))
}

/// Reads the ID card on this desk's reader: the vendor's local service set in 窗口设置, or in
/// the trainers' demo a simulated reader with generated identities. Never waits longer than
/// the read timeout.
pub async fn read_id_card(cx: Cx<'_>, _: read_id_card::Request) -> Result<IdCardRead> {
    use yichuang_scan::idcard_reader::{HttpIdCardReader, IdCardReader, SimulatedIdCardReader};
    const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(8);
    let mut reader: Box<dyn IdCardReader> = if cx.demo {
        let today = yichuang_core::time::Clock::now(&yichuang_core::time::SystemClock::default())
            .date_naive();
        let mut rng = fastrand::Rng::new();
        let card = yichuang_core::idreader::demo_card(&mut rng, today);
        Box::new(SimulatedIdCardReader::new(vec![card]))
    } else {
        let url = cx.desk.id_reader_url().await?.unwrap_or_default();
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
        Ok(card) => Ok(cx.desk.id_card_read(card)),
        Err(e) => Err(CommandError::Conflict {
            message: e.to_string(),
        }),
    }
}

/// This desk's ID card reader service URL ("" when none).
pub async fn id_reader_url(cx: Cx<'_>, _: id_reader_url::Request) -> Result<String> {
    Ok(cx.desk.id_reader_url().await?.unwrap_or_default())
}

pub async fn set_id_reader_url(
    cx: Cx<'_>,
    set_id_reader_url::Request { url }: set_id_reader_url::Request,
) -> Result<()> {
    Ok(cx.desk.set_id_reader_url(&url).await?)
}

/// The capture devices there are (scanners, document cameras, file import).
pub async fn capture_devices(
    cx: Cx<'_>,
    _: capture_devices::Request,
) -> Result<yichuang_core::model::CaptureDevices> {
    Ok(cx.desk.capture_devices().await?)
}

/// This desk's capture device and options.
pub async fn capture_settings(
    cx: Cx<'_>,
    _: capture_settings::Request,
) -> Result<yichuang_core::model::CaptureSettings> {
    Ok(cx.desk.capture_settings().await?)
}

pub async fn set_capture_settings(
    cx: Cx<'_>,
    set_capture_settings::Request { settings }: set_capture_settings::Request,
) -> Result<yichuang_core::model::CaptureSettings> {
    Ok(cx.desk.set_capture_settings(&settings).await?)
}

/// Scans into a material from the desk's device.
pub async fn scan_material(
    cx: Cx<'_>,
    scan_material::Request {
        project_no,
        material_no,
    }: scan_material::Request,
) -> Result<Vec<MaterialPageInfo>> {
    Ok(cx
        .desk
        .scan_material(&project_no, &material_no, None)
        .await?)
}

pub async fn reorder_material_pages(
    cx: Cx<'_>,
    reorder_material_pages::Request {
        project_no,
        material_no,
        page_ids,
    }: reorder_material_pages::Request,
) -> Result<Vec<MaterialPageInfo>> {
    Ok(cx
        .desk
        .reorder_material_pages(&project_no, &material_no, &page_ids)
        .await?)
}

pub async fn rotate_material_page(
    cx: Cx<'_>,
    rotate_material_page::Request {
        project_no,
        page_id,
        quarter_turns,
    }: rotate_material_page::Request,
) -> Result<Vec<MaterialPageInfo>> {
    Ok(cx
        .desk
        .rotate_material_page(&project_no, page_id, quarter_turns)
        .await?)
}

pub async fn delete_material_page(
    cx: Cx<'_>,
    delete_material_page::Request {
        project_no,
        page_id,
    }: delete_material_page::Request,
) -> Result<Vec<MaterialPageInfo>> {
    Ok(cx.desk.delete_material_page(&project_no, page_id).await?)
}

/// 帮我传 query: which materials the departments can provide for this intake (all the item's
/// shareable materials, or one). Needs the hub connection.
pub async fn share_query(
    cx: Cx<'_>,
    share_query::Request { form, material_no }: share_query::Request,
) -> Result<Vec<ShareAvailability>> {
    let Some(worker) = &cx.sync else {
        return Err(yichuang_core::CoreError::Conflict(
            "本窗口未连接办件中心，无法使用帮我传，请联系管理员配置办件中心".into(),
        )
        .into());
    };
    let mut all = yichuang_sync::share::query_all(&cx.desk, worker.client(), &form).await?;
    if let Some(no) = material_no {
        all.retain(|a| a.material_no == no.trim());
    }
    Ok(all)
}

/// 提交受理 with materials fetched through 帮我传: the case waits in 受理中 (临时回执 issued).
pub async fn submit_case(
    cx: Cx<'_>,
    submit_case::Request { form }: submit_case::Request,
) -> Result<AcceptOutcome> {
    let acting = cx.acting()?;
    Ok(acting.submit(&form).await?)
}

/// 我的事务 - 受理中.
pub async fn in_acceptance_cases(
    cx: Cx<'_>,
    _: in_acceptance_cases::Request,
) -> Result<Vec<InAcceptanceCase>> {
    Ok(cx.desk.in_acceptance_cases().await?)
}

/// 更改材料收取方式 of a 受理中 case (`None`: collected at the counter).
pub async fn share_set_method(
    cx: Cx<'_>,
    share_set_method::Request {
        project_no,
        material_no,
        method,
    }: share_set_method::Request,
) -> Result<CaseRecord> {
    Ok(cx
        .desk
        .share_set_method(&project_no, &material_no, method)
        .await?)
}

/// 签入 a paper material by the code scanned from it.
pub async fn share_sign_in(
    cx: Cx<'_>,
    share_sign_in::Request {
        project_no,
        material_no,
        code,
    }: share_sign_in::Request,
) -> Result<CaseRecord> {
    Ok(cx
        .desk
        .share_sign_in(&project_no, &material_no, &code)
        .await?)
}

/// 取消办件 of a 受理中 case (the window asked for confirmation first).
pub async fn share_cancel(
    cx: Cx<'_>,
    share_cancel::Request { project_no, reason }: share_cancel::Request,
) -> Result<CaseRecord> {
    Ok(cx.desk.share_cancel(&project_no, &reason).await?)
}

/// The file a department shared for a material, as bytes (PDF).
pub async fn share_file(
    cx: Cx<'_>,
    share_file::Request {
        project_no,
        material_no,
    }: share_file::Request,
) -> Result<Bytes> {
    let (_, bytes) = cx.desk.share_file(&project_no, &material_no).await?;
    Ok(Bytes(bytes))
}
