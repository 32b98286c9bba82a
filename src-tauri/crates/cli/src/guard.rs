//! The one permission check of the command line.
//!
//! Every command that reads or changes the desk asks [`require`] for what it needs before it
//! reads or changes anything: the window command it does (`yichuang_api::Command`, whose
//! permission comes from the one command table, so the window and the CLI check the same), or,
//! for a verb the window does not have (hub settings, the simulator, …), a [`Permission`]. It
//! acts as the [`Actor`] it gets back:
//! - on a desk without any account (automation, older scripts): the desk profile's clerk, as
//!   before accounts existed;
//! - on a desk with accounts: the person of `--session` (or `$YICHUANG_SESSION`), when the
//!   session is live and the person's roles grant the permission (the same check as the
//!   window's, [`Desk::authorize`]);
//! - or, with `--local-admin` (or `$YICHUANG_LOCAL_ADMIN=1`), the local administrator: the OS
//!   user who owns the data directory, for what the admin role allows (see [`local_admin`]).
//!
//! Anything else is refused with exit code 5 and a message that says what to do.

use std::path::{Path, PathBuf};

use yichuang_api::Command;
use yichuang_core::accounts::{Actor, Permission, Role, roles_allow};
use yichuang_core::desk::Acting;
use yichuang_core::{CoreError, Desk};

use crate::error::CliError;

/// The file in the data directory where every local-administrator command is recorded.
pub(crate) const LOCAL_ADMIN_LOG: &str = "local-admin.log";

/// The environment variable that asks for the local-administrator mode, like `--local-admin`.
pub(crate) const LOCAL_ADMIN_VAR: &str = "YICHUANG_LOCAL_ADMIN";

/// Who acts: `--session` (or $YICHUANG_SESSION), a session id from `yichuang account login`;
/// or `--local-admin`.
#[derive(clap::Args, Clone, Default)]
pub(crate) struct ActAs {
    /// The session of the person acting (from `yichuang account login`); needed on a desk
    /// with accounts.
    #[arg(
        long = "session",
        env = "YICHUANG_SESSION",
        value_name = "ID",
        hide_env_values = true,
        global = true
    )]
    pub(crate) session: Option<String>,
    /// Act as the local administrator (the OS user owning the data directory) instead of a
    /// session: only administrative commands, each recorded in local-admin.log
    /// (also $YICHUANG_LOCAL_ADMIN=1).
    #[arg(long, global = true)]
    pub(crate) local_admin: bool,
}

impl ActAs {
    /// The session id, when one is given and not blank.
    pub(crate) fn session_id(&self) -> Option<&str> {
        self.session.as_deref().filter(|s| !s.trim().is_empty())
    }

    fn wants_local_admin(&self) -> bool {
        self.local_admin || std::env::var(LOCAL_ADMIN_VAR).is_ok_and(|v| v.trim() == "1")
    }
}

/// What every command works with: the opened desk, its data directory, who acts, and the
/// command's name (such as `hub config`, without its values) for the local-admin record.
pub(crate) struct Ctx {
    pub(crate) desk: Desk,
    pub(crate) data_dir: PathBuf,
    pub(crate) who: ActAs,
    pub(crate) verb: String,
}

/// The person a command acts as, if `permission` is granted (see the module's description);
/// else exit code 5.
pub(crate) async fn require(ctx: &Ctx, need: impl Into<Need>) -> Result<Actor, CliError> {
    let permission = need.into().permission()?;
    let desk = &ctx.desk;
    if !desk.has_accounts().await? {
        return Ok(desk.profile_actor().await?);
    }
    if ctx.who.wants_local_admin() {
        return local_admin(ctx, permission).await;
    }
    let Some(id) = ctx.who.session_id() else {
        return Err(CoreError::Unauthenticated(signed_out_message(permission)).into());
    };
    let session = desk.resume_session(id).await?;
    Ok(desk.authorize(&session, permission).await?)
}

/// What a verb needs: the window command it does, or a permission of its own.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Need {
    Command(Command),
    Permission(Permission),
}

impl From<Command> for Need {
    fn from(c: Command) -> Self {
        Need::Command(c)
    }
}

impl From<Permission> for Need {
    fn from(p: Permission) -> Self {
        Need::Permission(p)
    }
}

impl Need {
    /// The permission to check. A window command without one (sign-in, app info) has no CLI
    /// verb; naming one is refused rather than let through.
    fn permission(self) -> Result<Permission, CliError> {
        match self {
            Need::Permission(p) => Ok(p),
            Need::Command(c) => c
                .permission()
                .ok_or_else(|| CoreError::Forbidden(format!("{} 只在窗口中使用", c.name())).into()),
        }
    }
}

/// The desk acting as the person [`require`] returns.
pub(crate) async fn acting(ctx: &Ctx, need: impl Into<Need>) -> Result<Acting<'_>, CliError> {
    Ok(ctx.desk.acting_as(require(ctx, need).await?))
}

/// Whether only an administrator (of the roles) may do it: what the admin role grants and the
/// clerk's does not.
fn administrative(permission: Permission) -> bool {
    roles_allow(&[Role::Admin], permission) && !roles_allow(&[Role::Clerk], permission)
}

fn signed_out_message(permission: Permission) -> String {
    if administrative(permission) {
        format!(
            "本窗口已启用账号，{}需要管理员：请用 --session 或 YICHUANG_SESSION 传入管理员用 yichuang account login 得到的会话标识；或由数据目录的所有者加 --local-admin 以本机管理员身份执行（见 docs/cli.md）",
            permission.label()
        )
    } else {
        "本窗口已启用账号：请用 --session 或 YICHUANG_SESSION 传入 yichuang account login 输出的会话标识".into()
    }
}

/// The local administrator: allowed only for what the admin role grants, only to the OS user
/// who owns the data directory, and only once the command is recorded in
/// [`LOCAL_ADMIN_LOG`] (a command that cannot be recorded does not run).
async fn local_admin(ctx: &Ctx, permission: Permission) -> Result<Actor, CliError> {
    if !roles_allow(&[Role::Admin], permission) {
        return Err(CoreError::Forbidden(format!(
            "本机管理员模式只能执行管理操作；{}请用相应账号登录后以 --session 执行",
            permission.label()
        ))
        .into());
    }
    let user = os_user(&ctx.data_dir)?;
    let now = ctx.desk.clock().now();
    let line = format!(
        "{}\t{}\t{}\t{}\n",
        now.to_rfc3339(),
        user,
        ctx.verb,
        permission.label()
    );
    append(&ctx.data_dir.join(LOCAL_ADMIN_LOG), &line)?;
    let profile = ctx.desk.profile().await?;
    Ok(Actor {
        account_id: 0,
        login: "local-admin".into(),
        name: format!("本机管理员（{user}）"),
        window_no: profile.window_no,
    })
}

fn append(path: &Path, line: &str) -> Result<(), CliError> {
    use std::io::Write;
    let record = |source| CliError::Record {
        path: path.display().to_string(),
        source,
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(record)?;
    file.write_all(line.as_bytes()).map_err(record)
}

/// The OS user running the command, as `NAME (uid N)`, when it owns `data_dir`.
#[cfg(unix)]
fn os_user(data_dir: &Path) -> Result<String, CliError> {
    use std::os::unix::fs::MetadataExt;
    let owner = std::fs::metadata(data_dir)
        .map_err(|source| CliError::Read {
            path: data_dir.display().to_string(),
            source,
        })?
        .uid();
    // SAFETY: geteuid takes no argument, cannot fail and touches no memory of ours.
    let uid = unsafe { libc::geteuid() };
    if owner != uid {
        return Err(CoreError::Forbidden(format!(
            "本机管理员模式只能由数据目录 {} 的所有者（uid {owner}）使用，当前用户的 uid 为 {uid}",
            data_dir.display()
        ))
        .into());
    }
    let name = std::env::var("USER").unwrap_or_default();
    Ok(format!("{} (uid {uid})", name.trim()))
}

#[cfg(not(unix))]
fn os_user(_data_dir: &Path) -> Result<String, CliError> {
    Err(
        CoreError::Forbidden("本机管理员模式只在 Linux 上可用：请用管理员账号的 --session".into())
            .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_command_brings_its_permission_from_the_command_table() {
        for (command, expected) in [
            (Command::AcceptCase, Permission::Intake),
            (Command::ActOnCase, Permission::ActOnCase),
            (Command::CalendarImport, Permission::DeskSettings),
            (Command::OutboxRetry, Permission::HubAdmin),
            (Command::CallLog, Permission::ViewCallLog),
        ] {
            assert_eq!(Need::from(command).permission().ok(), Some(expected));
            assert_eq!(command.permission(), Some(expected));
        }
        assert_eq!(
            Need::from(Permission::HubAdmin).permission().ok(),
            Some(Permission::HubAdmin)
        );
    }

    #[test]
    fn a_window_only_command_without_a_permission_is_refused() {
        let err = Need::from(Command::AppInfo).permission().unwrap_err();
        assert!(err.to_string().contains("只在窗口中使用"), "{err}");
    }
}
