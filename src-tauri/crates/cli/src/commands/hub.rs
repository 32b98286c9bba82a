//! `yichuang hub`: the hub (办件中心) connection in hub.json: `config`, `show`, `status`, and
//! what went over it: `inbox`, `log`. All of it is administrative on a desk with accounts.

use clap::Subcommand;
use yichuang_api::Command;
use yichuang_core::accounts::Permission;
use yichuang_sync::HubSettings;

use crate::commands::calendar;
use crate::error::CliError;
use crate::files::print_json;
use crate::guard::{Ctx, require};

#[derive(Subcommand)]
pub(crate) enum HubAction {
    /// Sets the hub connection. Secrets (token, pre-shared key) are sealed with the desk key.
    Config(HubChanges),
    /// Prints the configuration, secrets masked.
    Show,
    /// Last success and failure, and the queue.
    Status,
    /// Messages taken from the hub (7.2.3, 7.2.5, 7.2.6), newest first, with what became of
    /// each.
    Inbox {
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// The call log, newest first (personal data masked).
    Log {
        /// Only the failed calls.
        #[arg(long)]
        failures: bool,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
}

/// The new values of `hub config`, as given; what is not given stays.
#[derive(clap::Args)]
pub(crate) struct HubChanges {
    /// Base URL, such as http://10.1.2.3:8080 (YICHUANG_HUB_URL overrides it).
    #[arg(long)]
    url: Option<String>,
    /// The user token (5.1).
    #[arg(long)]
    token: Option<String>,
    /// The header that carries the token (default `token`).
    #[arg(long)]
    token_header: Option<String>,
    /// Hardened scheme: the pre-shared SM4 key, 32 hex digits (SM4-CBC + HMAC-SM3).
    #[arg(long, value_name = "HEX")]
    pre_shared_key: Option<String>,
    /// Messages per request (projectlist), 1 to 100.
    #[arg(long)]
    batch_size: Option<usize>,
    /// Overall timeout of a call, in ms.
    #[arg(long)]
    timeout_ms: Option<u64>,
    /// Interval between rounds of `yichuang sync`, in ms.
    #[arg(long)]
    interval_ms: Option<u64>,
    /// The endpoint the desk polls for what departments send it, relative to the base URL
    /// (default /yichuang/poll; "" turns polling off).
    #[arg(long)]
    poll_path: Option<String>,
}

pub(crate) async fn run(ctx: &Ctx, action: HubAction) -> Result<(), CliError> {
    match action {
        HubAction::Config(changes) => config(ctx, changes).await,
        HubAction::Show => show(ctx).await,
        HubAction::Status => status(ctx).await,
        HubAction::Inbox { limit, json } => inbox(ctx, limit, json).await,
        HubAction::Log {
            failures,
            limit,
            json,
        } => log(ctx, failures, limit, json).await,
    }
}

/// `hub config`: changes hub.json (secrets sealed with the desk key).
async fn config(ctx: &Ctx, c: HubChanges) -> Result<(), CliError> {
    let desk = &ctx.desk;
    // A demo desk's command line can reach no hub at all: a real address is refused (exit 4)
    // before anyone is asked to sign in; the refusal reveals and changes nothing.
    if let Some(u) = c.url.as_deref().filter(|u| !u.trim().is_empty())
        && desk.is_demo().await?
    {
        let probe = HubSettings {
            base_url: u.to_string(),
            ..Default::default()
        };
        // On a demo desk with a non-empty address this refuses before writing anything.
        probe.save_checked(desk).await?;
    }
    require(ctx, Permission::HubAdmin).await?;
    let mut s = HubSettings::load_file(desk)?;
    if let Some(p) = c.poll_path {
        if !(p.is_empty() || p.starts_with('/')) {
            return Err(CliError::Usage(
                "轮询地址应以 / 开头（相对于办件中心地址），或为空以关闭轮询",
            ));
        }
        s.poll_path = p;
    }
    if let Some(u) = c.url {
        if !(u.starts_with("http://") || u.starts_with("https://")) {
            return Err(CliError::Usage("办件中心地址应以 http:// 或 https:// 开头"));
        }
        s.base_url = u.trim_end_matches('/').to_string();
    }
    if let Some(h) = c.token_header {
        s.token_header = h;
    }
    if let Some(n) = c.batch_size {
        if !(1..=100).contains(&n) {
            return Err(CliError::Usage(
                "每次请求的办件数（--batch-size）应为1到100",
            ));
        }
        s.batch_size = n;
    }
    if let Some(t) = c.timeout_ms {
        s.timeout_ms = t;
    }
    if let Some(i) = c.interval_ms {
        s.interval_ms = i;
    }
    if c.token.is_some() || c.pre_shared_key.is_some() {
        let mut secrets = s.secrets(desk)?;
        if let Some(t) = c.token {
            secrets.token = t;
        }
        if let Some(k) = c.pre_shared_key {
            if k.is_empty() {
                s.crypto.pre_shared_key = false;
            } else {
                if k.len() != 32 || !k.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(CliError::Usage("预共享密钥应为32位十六进制数字"));
                }
                s.crypto.pre_shared_key = true;
                s.crypto.mode = yichuang_hub::crypto::CipherMode::Cbc;
            }
            secrets.pre_shared_key_hex = k;
        }
        s.set_secrets(desk, &secrets)?;
    }
    s.save_checked(desk).await?;
    print_json(&s.masked(desk)?)
}

/// `hub show`: the configuration, secrets masked.
async fn show(ctx: &Ctx) -> Result<(), CliError> {
    require(ctx, Permission::HubAdmin).await?;
    print_json(&HubSettings::load(&ctx.desk)?.masked(&ctx.desk)?)
}

/// `hub status`: last success and failure, and the queue.
async fn status(ctx: &Ctx) -> Result<(), CliError> {
    require(ctx, Permission::ViewCallLog).await?;
    print_json(&ctx.desk.hub_status().await?)?;
    calendar::remind(&ctx.desk).await
}

/// `hub inbox`: messages taken from the hub, newest first.
async fn inbox(ctx: &Ctx, limit: u32, json: bool) -> Result<(), CliError> {
    require(ctx, Command::HubInbox).await?;
    let list = ctx.desk.inbox_list(limit).await?;
    if json {
        return print_json(&list);
    }
    for m in &list {
        println!(
            "{}\t{}\t{}\t{}\t{}",
            m.received_at, m.interface, m.project_no, m.outcome, m.detail
        );
    }
    Ok(())
}

/// `hub log`: the call log, newest first (personal data masked).
async fn log(ctx: &Ctx, failures: bool, limit: u32, json: bool) -> Result<(), CliError> {
    require(ctx, Command::CallLog).await?;
    let log = ctx.desk.call_log_list(failures, limit).await?;
    if json {
        return print_json(&log);
    }
    for e in &log {
        println!(
            "{}\t{}\t{}\t{}\t{} ms\t{}",
            e.time, e.caller, e.interface, e.outcome, e.duration_ms, e.message
        );
    }
    Ok(())
}
