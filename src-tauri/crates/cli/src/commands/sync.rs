//! `yichuang sync`: delivers the outbox to the hub (`--once`, or until Ctrl-C), and the dead
//! letters (`dead`, `retry ID`). All of it is administrative on a desk with accounts.

use clap::Subcommand;
use yichuang_api::Command;
use yichuang_core::accounts::Permission;
use yichuang_core::model::OutboxStatus;
use yichuang_sync::HubSettings;

use crate::error::CliError;
use crate::files::print_json;
use crate::guard::{Ctx, require};

#[derive(Subcommand)]
pub(crate) enum SyncAction {
    /// The dead letters: messages the hub refused or that failed too often.
    Dead {
        #[arg(long)]
        json: bool,
    },
    /// Puts a dead message back in the queue, to be sent at the next sync.
    Retry {
        /// The message's ID (from `yichuang sync dead`).
        id: i64,
    },
}

pub(crate) async fn run(ctx: &Ctx, once: bool, action: Option<SyncAction>) -> Result<(), CliError> {
    match action {
        Some(SyncAction::Dead { json }) => dead(ctx, json).await,
        Some(SyncAction::Retry { id }) => retry(ctx, id).await,
        None if once => run_once(ctx).await,
        None => run_until_interrupted(ctx).await,
    }
}

/// `sync dead`: the dead letters.
async fn dead(ctx: &Ctx, json: bool) -> Result<(), CliError> {
    require(ctx, Command::OutboxList).await?;
    let dead = ctx
        .desk
        .outbox_list(Some(OutboxStatus::Dead), 1_000)
        .await?;
    if json {
        return print_json(&dead);
    }
    if dead.is_empty() {
        eprintln!("没有失败的同步消息");
    }
    for e in &dead {
        println!(
            "{}\t{}\t{}\t{}\t{}",
            e.id, e.project_no, e.idem_key, e.attempts, e.last_error
        );
    }
    Ok(())
}

/// `sync retry ID`: a dead message back in the queue.
async fn retry(ctx: &Ctx, id: i64) -> Result<(), CliError> {
    require(ctx, Command::OutboxRetry).await?;
    let e = ctx.desk.outbox_retry(id).await?;
    println!("{}", e.id);
    eprintln!("同步消息 {}（{}）已重新排队", e.id, e.idem_key);
    Ok(())
}

/// The hub settings for a sync run, once the person may run it. A demo desk's command line
/// reaches no hub: it is refused (exit 4) before anyone is asked to sign in.
async fn settings(ctx: &Ctx) -> Result<HubSettings, CliError> {
    if ctx.desk.is_demo().await? {
        HubSettings::load(&ctx.desk)?.check_demo(&ctx.desk).await?;
    }
    require(ctx, Permission::HubAdmin).await?;
    Ok(HubSettings::load(&ctx.desk)?)
}

/// `sync --once`: delivers what is due now and prints what happened; exit 1 if anything failed.
async fn run_once(ctx: &Ctx) -> Result<(), CliError> {
    let desk = &ctx.desk;
    let worker = settings(ctx).await?.worker(desk).await?;
    let r = worker.run_once(desk).await?;
    if let Some(holder) = &r.busy {
        eprintln!("另一个同步程序（{holder}）正在为本窗口同步，本次未发送；稍后再试");
    }
    println!(
        "已送达 {}，待重试 {}，失败 {}，仍待发送 {}（请求 {} 次）",
        r.delivered, r.failed, r.dead, r.remaining, r.requests
    );
    println!(
        "收到部门消息：已处理 {}，记入历史 {}，重复 {}，未处理 {}；下载部门文书 {}",
        r.incoming_applied,
        r.incoming_recorded,
        r.incoming_duplicates,
        r.incoming_ignored,
        r.documents_fetched
    );
    if let Some(e) = &r.poll_error {
        eprintln!("接收部门消息失败：{e}");
    }
    for f in &r.failures {
        eprintln!(
            "{}\t{}\t{}\t{}",
            if f.dead { "失败" } else { "待重试" },
            f.id,
            f.project_no,
            f.error
        );
    }
    if r.failed + r.dead > 0 {
        return Err(CliError::SyncFailed(r.failed + r.dead));
    }
    Ok(())
}

/// `sync`: delivers round after round until Ctrl-C.
async fn run_until_interrupted(ctx: &Ctx) -> Result<(), CliError> {
    let desk = &ctx.desk;
    let settings = settings(ctx).await?;
    let worker = settings.worker(desk).await?;
    // The handler is installed before the first round: `ctrl_c()` would install it only when
    // first polled, and a Ctrl-C during the first round would kill the process instead of
    // stopping it between rounds.
    #[cfg(unix)]
    let mut interrupt = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
        .map_err(|e| CliError::Output(format!("无法接收 Ctrl-C：{e}")))?;
    eprintln!("正在向 {} 同步，按 Ctrl-C 停止", settings.base_url);
    worker
        .run(
            desk,
            std::time::Duration::from_millis(settings.interval_ms.max(100)),
            async move {
                #[cfg(unix)]
                interrupt.recv().await;
                #[cfg(not(unix))]
                let _ = tokio::signal::ctrl_c().await;
            },
        )
        .await;
    Ok(())
}
