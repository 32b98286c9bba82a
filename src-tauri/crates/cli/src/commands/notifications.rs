//! `yichuang notifications`: what the clerk is told (supplement requests and results from
//! departments), newest first.

use yichuang_api::Command;

use crate::error::CliError;
use crate::files::print_json;
use crate::guard::{Ctx, require};

pub(crate) async fn run(ctx: &Ctx, all: bool, mark_read: bool, json: bool) -> Result<(), CliError> {
    require(ctx, Command::Notifications).await?;
    let list = ctx.desk.notifications(!all, 200).await?;
    if json {
        print_json(&list)?;
    } else {
        if list.is_empty() {
            eprintln!("没有新的通知");
        }
        for n in &list {
            println!(
                "{}\t{}\t{}\t{}\t{}",
                n.id,
                n.created_at,
                if n.read { "已读" } else { "未读" },
                n.title,
                n.body
            );
        }
    }
    if mark_read {
        let ids: Vec<i64> = list.iter().map(|n| n.id).collect();
        if !ids.is_empty() {
            ctx.desk.mark_notifications_read(&ids).await?;
        }
    }
    Ok(())
}
