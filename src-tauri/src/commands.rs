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

#[tauri::command]
pub async fn validate_intake(
    state: State<'_, AppState>,
    form: IntakeForm,
) -> Result<Vec<FieldError>> {
    Ok(state.desk.validate_intake(&form).await?)
}

#[tauri::command]
pub async fn accept_case(state: State<'_, AppState>, form: IntakeForm) -> Result<AcceptOutcome> {
    Ok(state.desk.accept(&form).await?)
}

#[tauri::command]
pub async fn list_cases(
    state: State<'_, AppState>,
    search: Option<String>,
) -> Result<Vec<CaseSummary>> {
    Ok(state.desk.list_cases(search.as_deref()).await?)
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

#[tauri::command]
pub async fn export_notice(
    state: State<'_, AppState>,
    project_no: String,
    kind: NoticeKind,
) -> Result<String> {
    let path = state.desk.export_notice(&project_no, kind, None).await?;
    Ok(path.display().to_string())
}
