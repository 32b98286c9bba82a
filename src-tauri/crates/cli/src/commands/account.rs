//! `yichuang account`: the desk's accounts. Passwords never go on the command line (where
//! other users could see them): they come from $YICHUANG_PASSWORD, else the first line of
//! standard input. Commands that need an admin take `--session` (or $YICHUANG_SESSION), the id
//! `yichuang account login` prints.

use std::io::BufRead;

use clap::Subcommand;
use yichuang_core::Desk;
use yichuang_core::accounts::{Account, NewAccount, Role, Session};

use crate::error::CliError;
use crate::files::print_json;

#[derive(Subcommand)]
pub enum AccountCmd {
    /// Creates an account (an admin's session needed). On a desk with no account yet it
    /// creates the first admin, without a session.
    Add {
        /// Login name: 2 to 32 letters, digits or _ . -, starting with a letter.
        login: String,
        /// The person's name, printed as 窗口人员 on notices.
        #[arg(long)]
        name: String,
        /// Window number (窗口号).
        #[arg(long, default_value = "")]
        window: String,
        /// A role: clerk, supervisor, trainer or admin (repeat for more than one).
        #[arg(long = "role", value_parser = parse_role)]
        roles: Vec<Role>,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Lists the accounts (an admin's session needed).
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Sets an account's password (an admin's session needed); its sessions end.
    Passwd {
        login: String,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Disables an account (an admin's session needed): it cannot sign in, its sessions end.
    Disable {
        login: String,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Enables a disabled account again (an admin's session needed).
    Enable {
        login: String,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Lifts the lockout after failed sign-ins (an admin's session needed).
    Unlock {
        login: String,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Checks the credentials and prints a session id, for scripts.
    Login { login: String },
}

#[derive(clap::Args)]
pub struct SessionArg {
    /// A session id from `yichuang account login`.
    #[arg(
        long = "session",
        env = "YICHUANG_SESSION",
        value_name = "ID",
        hide_env_values = true
    )]
    id: Option<String>,
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| format!("未知角色 {s}（可选 clerk、supervisor、trainer、admin）"))
}

/// The password: $YICHUANG_PASSWORD, else the first line of standard input.
fn read_password() -> Result<String, CliError> {
    if let Ok(p) = std::env::var("YICHUANG_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|source| CliError::Read {
            path: "标准输入".into(),
            source,
        })?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

async fn session(desk: &Desk, arg: &SessionArg) -> Result<Session, CliError> {
    let id = arg
        .id
        .as_deref()
        .ok_or(CliError::Usage("需要管理员会话：请用 --session 或 YICHUANG_SESSION 传入 yichuang account login 输出的会话标识"))?;
    Ok(desk.resume_session(id).await?)
}

fn print_account(a: &Account) {
    let roles: Vec<&str> = a.roles.iter().map(|r| r.label()).collect();
    let state = if !a.active {
        "已停用".to_string()
    } else if let Some(until) = &a.locked_until {
        format!("锁定至 {until}")
    } else {
        "启用".to_string()
    };
    println!(
        "{}\t{}\t{}\t{}\t{}",
        a.login,
        a.display_name,
        a.window_no,
        roles.join("、"),
        state
    );
}

pub async fn run(desk: &Desk, cmd: AccountCmd) -> Result<(), CliError> {
    match cmd {
        AccountCmd::Add {
            login,
            name,
            window,
            roles,
            session: arg,
        } => {
            let account = if arg.id.is_none() && !desk.has_accounts().await? {
                if roles.iter().any(|r| *r != Role::Admin) {
                    return Err(CliError::Usage(
                        "本窗口还没有账号：第一个账号只能是管理员（--role admin）",
                    ));
                }
                desk.bootstrap_admin(&login, &name, &read_password()?)
                    .await?
            } else {
                let s = session(desk, &arg).await?;
                let new = NewAccount {
                    login,
                    display_name: name,
                    window_no: window,
                    roles,
                    password: read_password()?,
                };
                desk.create_account(&s, &new).await?
            };
            print_account(&account);
        }
        AccountCmd::List { json, session: arg } => {
            let s = session(desk, &arg).await?;
            let accounts = desk.list_accounts(&s).await?;
            if json {
                print_json(&accounts)?;
            } else {
                for a in &accounts {
                    print_account(a);
                }
            }
        }
        AccountCmd::Passwd {
            login,
            session: arg,
        } => {
            let s = session(desk, &arg).await?;
            desk.set_password(&s, &login, &read_password()?).await?;
            eprintln!("已设置 {login} 的密码");
        }
        AccountCmd::Disable {
            login,
            session: arg,
        } => {
            let s = session(desk, &arg).await?;
            print_account(&desk.set_account_active(&s, &login, false).await?);
        }
        AccountCmd::Enable {
            login,
            session: arg,
        } => {
            let s = session(desk, &arg).await?;
            print_account(&desk.set_account_active(&s, &login, true).await?);
        }
        AccountCmd::Unlock {
            login,
            session: arg,
        } => {
            let s = session(desk, &arg).await?;
            print_account(&desk.unlock_account(&s, &login).await?);
        }
        AccountCmd::Login { login } => {
            let s = desk.sign_in(&login, &read_password()?).await?;
            println!("{}", s.id);
        }
    }
    Ok(())
}
