//! The window's sign-in and account commands. Sign-in, first run and the status stay open;
//! account management needs `ManageAccounts`, checked in core.

use tauri::State;
use yichuang_core::accounts::{Account, AuthStatus, NewAccount};
use yichuang_core::error::CommandError;

use crate::state::AppState;

type Result<T> = std::result::Result<T, CommandError>;

async fn status(state: &AppState) -> Result<AuthStatus> {
    let session = state.session();
    let status = state.desk.auth_status(session.as_ref()).await?;
    if session.is_some() && status.account.is_none() {
        // Ended elsewhere (signed out, password changed, account disabled): forget it.
        state.set_session(None);
    }
    Ok(status)
}

/// Whether the desk has accounts, who is signed in, locked or not, and what they may do.
#[tauri::command]
pub async fn auth_status(state: State<'_, AppState>) -> Result<AuthStatus> {
    status(&state).await
}

/// The person at the window is active (typing, clicking): the session's idle time starts
/// again. Refused like any command when the session is locked or ended.
#[tauri::command]
pub async fn keep_alive(state: State<'_, AppState>) -> Result<()> {
    let session = state.require_session()?;
    state.desk.touch(&session).await?;
    Ok(())
}

/// First run: creates the first account (an admin) and signs it in.
#[tauri::command]
pub async fn bootstrap_admin(
    state: State<'_, AppState>,
    login: String,
    name: String,
    password: String,
) -> Result<AuthStatus> {
    state.desk.bootstrap_admin(&login, &name, &password).await?;
    let session = state.desk.sign_in(&login, &password).await?;
    state.set_session(Some(session));
    status(&state).await
}

#[tauri::command]
pub async fn sign_in(
    state: State<'_, AppState>,
    login: String,
    password: String,
) -> Result<AuthStatus> {
    let session = state.desk.sign_in(&login, &password).await?;
    if let Some(previous) = state.session() {
        state.desk.sign_out(&previous).await?;
    }
    state.set_session(Some(session));
    status(&state).await
}

#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> Result<AuthStatus> {
    if let Some(session) = state.session() {
        state.desk.sign_out(&session).await?;
    }
    state.set_session(None);
    status(&state).await
}

/// Unlocks the idle-locked session with the account's password.
#[tauri::command]
pub async fn unlock_session(state: State<'_, AppState>, password: String) -> Result<AuthStatus> {
    let session = state.require_session()?;
    state.desk.unlock(&session, &password).await?;
    status(&state).await
}

#[tauri::command]
pub async fn change_own_password(
    state: State<'_, AppState>,
    current: String,
    new_password: String,
) -> Result<()> {
    let session = state.require_session()?;
    Ok(state
        .desk
        .change_own_password(&session, &current, &new_password)
        .await?)
}

#[tauri::command]
pub async fn list_accounts(state: State<'_, AppState>) -> Result<Vec<Account>> {
    let session = state.require_session()?;
    Ok(state.desk.list_accounts(&session).await?)
}

#[tauri::command]
pub async fn add_account(state: State<'_, AppState>, account: NewAccount) -> Result<Account> {
    let session = state.require_session()?;
    Ok(state.desk.create_account(&session, &account).await?)
}

/// Disables (`active: false`) or enables an account.
#[tauri::command]
pub async fn set_account_active(
    state: State<'_, AppState>,
    login: String,
    active: bool,
) -> Result<Account> {
    let session = state.require_session()?;
    Ok(state
        .desk
        .set_account_active(&session, &login, active)
        .await?)
}

/// Lifts a lockout after failed sign-ins.
#[tauri::command]
pub async fn unlock_account(state: State<'_, AppState>, login: String) -> Result<Account> {
    let session = state.require_session()?;
    Ok(state.desk.unlock_account(&session, &login).await?)
}

/// Sets another account's password; its sessions end.
#[tauri::command]
pub async fn reset_password(
    state: State<'_, AppState>,
    login: String,
    password: String,
) -> Result<()> {
    let session = state.require_session()?;
    Ok(state.desk.set_password(&session, &login, &password).await?)
}

/// Sets the desk's idle-lock minutes (`DeskSettings`).
#[tauri::command]
pub async fn set_idle_minutes(state: State<'_, AppState>, minutes: u32) -> Result<AuthStatus> {
    let session = state.require_session()?;
    state.desk.set_idle_lock_minutes(&session, minutes).await?;
    status(&state).await
}
