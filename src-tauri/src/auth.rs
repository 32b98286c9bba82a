//! The window's sign-in and account commands. Sign-in, first run and the status stay open;
//! account management needs `ManageAccounts` (checked by the command table, and again in
//! core).

use yichuang_api::cmd::*;
use yichuang_core::accounts::{Account, AuthStatus};
use yichuang_core::error::CommandError;

use crate::dispatch::Cx;
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
pub async fn auth_status(cx: Cx<'_>, _: auth_status::Request) -> Result<AuthStatus> {
    status(&cx).await
}

/// The person at the window is active (typing, clicking): the session's idle time starts
/// again. Refused like any command when the session is locked or ended.
pub async fn keep_alive(cx: Cx<'_>, _: keep_alive::Request) -> Result<()> {
    let session = cx.require_session()?;
    cx.desk.touch(&session).await?;
    Ok(())
}

/// First run: creates the first account (an admin) and signs it in.
pub async fn bootstrap_admin(
    cx: Cx<'_>,
    bootstrap_admin::Request {
        login,
        name,
        password,
    }: bootstrap_admin::Request,
) -> Result<AuthStatus> {
    cx.desk.bootstrap_admin(&login, &name, &password).await?;
    let session = cx.desk.sign_in(&login, &password).await?;
    cx.set_session(Some(session));
    status(&cx).await
}

pub async fn sign_in(
    cx: Cx<'_>,
    sign_in::Request { login, password }: sign_in::Request,
) -> Result<AuthStatus> {
    let session = cx.desk.sign_in(&login, &password).await?;
    if let Some(previous) = cx.session() {
        cx.desk.sign_out(&previous).await?;
    }
    cx.set_session(Some(session));
    status(&cx).await
}

pub async fn sign_out(cx: Cx<'_>, _: sign_out::Request) -> Result<AuthStatus> {
    if let Some(session) = cx.session() {
        cx.desk.sign_out(&session).await?;
    }
    cx.set_session(None);
    status(&cx).await
}

/// Unlocks the idle-locked session with the account's password.
pub async fn unlock_session(
    cx: Cx<'_>,
    unlock_session::Request { password }: unlock_session::Request,
) -> Result<AuthStatus> {
    let session = cx.require_session()?;
    cx.desk.unlock(&session, &password).await?;
    status(&cx).await
}

pub async fn change_own_password(
    cx: Cx<'_>,
    change_own_password::Request {
        current,
        new_password,
    }: change_own_password::Request,
) -> Result<()> {
    let session = cx.require_session()?;
    Ok(cx
        .desk
        .change_own_password(&session, &current, &new_password)
        .await?)
}

pub async fn list_accounts(cx: Cx<'_>, _: list_accounts::Request) -> Result<Vec<Account>> {
    let session = cx.require_session()?;
    Ok(cx.desk.list_accounts(&session).await?)
}

pub async fn add_account(
    cx: Cx<'_>,
    add_account::Request { account }: add_account::Request,
) -> Result<Account> {
    let session = cx.require_session()?;
    Ok(cx.desk.create_account(&session, &account).await?)
}

/// Disables (`active: false`) or enables an account.
pub async fn set_account_active(
    cx: Cx<'_>,
    set_account_active::Request { login, active }: set_account_active::Request,
) -> Result<Account> {
    let session = cx.require_session()?;
    Ok(cx.desk.set_account_active(&session, &login, active).await?)
}

/// Lifts a lockout after failed sign-ins.
pub async fn unlock_account(
    cx: Cx<'_>,
    unlock_account::Request { login }: unlock_account::Request,
) -> Result<Account> {
    let session = cx.require_session()?;
    Ok(cx.desk.unlock_account(&session, &login).await?)
}

/// Sets another account's password; its sessions end.
pub async fn reset_password(
    cx: Cx<'_>,
    reset_password::Request { login, password }: reset_password::Request,
) -> Result<()> {
    let session = cx.require_session()?;
    Ok(cx.desk.set_password(&session, &login, &password).await?)
}

/// Sets the desk's idle-lock minutes (`DeskSettings`).
pub async fn set_idle_minutes(
    cx: Cx<'_>,
    set_idle_minutes::Request { minutes }: set_idle_minutes::Request,
) -> Result<AuthStatus> {
    let session = cx.require_session()?;
    cx.desk.set_idle_lock_minutes(&session, minutes).await?;
    status(&cx).await
}
