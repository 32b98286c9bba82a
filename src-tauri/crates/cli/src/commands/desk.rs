//! `yichuang desk`: this desk's hall, window and clerk, its numbering block, logo and seal,
//! 统一受办 mode and idle-lock time.

use std::path::PathBuf;
use yichuang_api::Command;

use clap::Subcommand;
use yichuang_core::model::{DeskProfile, HallImage};

use crate::commands::calendar;
use crate::error::CliError;
use crate::files::{print_json, read_bytes};
use crate::guard::{Ctx, require};

#[derive(Subcommand)]
pub(crate) enum DeskAction {
    Show,
    Set(DeskChanges),
}

/// What `desk set` changes; an option not given and a flag not set leave a setting as it is.
#[derive(clap::Args)]
pub(crate) struct DeskChanges {
    #[arg(long)]
    hall: Option<String>,
    #[arg(long)]
    area: Option<String>,
    #[arg(long)]
    window: Option<String>,
    #[arg(long)]
    clerk: Option<String>,
    /// This desk's block of case numbers: its index (1-based) …
    #[arg(long)]
    desk_index: Option<u32>,
    /// … among this many desks.
    #[arg(long)]
    desk_count: Option<u32>,
    /// The hall's logo (PNG), printed on every document from now on.
    #[arg(long, value_name = "PNG")]
    logo: Option<PathBuf>,
    /// The seal image (PNG, transparent background), stamped on every document.
    #[arg(long, value_name = "PNG")]
    seal: Option<PathBuf>,
    /// Remove the logo.
    #[arg(long, conflicts_with = "logo")]
    no_logo: bool,
    /// Remove the seal.
    #[arg(long, conflicts_with = "seal")]
    no_seal: bool,
    /// 统一受办 mode: the desk records results itself and pushes concluded cases (7.2.1).
    #[arg(long)]
    unified: bool,
    /// Leave 统一受办 mode: results come from departments through the hub (7.2.6).
    #[arg(long, conflicts_with = "unified")]
    no_unified: bool,
    /// Minutes without use after which a session locks (1–240; needs an admin's session).
    #[arg(long, value_name = "N")]
    idle_minutes: Option<u32>,
}

pub(crate) async fn run(ctx: &Ctx, action: DeskAction) -> Result<(), CliError> {
    match action {
        DeskAction::Show => show(ctx).await,
        DeskAction::Set(changes) => set(ctx, changes).await,
    }
}

/// `desk show`: the profile, and the calendar reminder on standard error.
async fn show(ctx: &Ctx) -> Result<(), CliError> {
    require(ctx, Command::DeskProfile).await?;
    print_json(&ctx.desk.profile().await?)?;
    calendar::remind(&ctx.desk).await
}

/// `desk set`: prints the profile as it is then.
async fn set(ctx: &Ctx, c: DeskChanges) -> Result<(), CliError> {
    require(ctx, Command::UpdateDeskProfile).await?;
    let desk = &ctx.desk;
    if let Some(minutes) = c.idle_minutes {
        let id = ctx.who.session.as_deref().ok_or(CliError::Usage(
            "设置自动锁定时间需要管理员会话：请用 --session 或 YICHUANG_SESSION 传入",
        ))?;
        let session = desk.resume_session(id).await?;
        desk.set_idle_lock_minutes(&session, minutes).await?;
    }
    let p = desk.profile().await?;
    let unified_intake = match (c.unified, c.no_unified) {
        (true, _) => true,
        (_, true) => false,
        _ => p.unified_intake,
    };
    desk.set_profile(DeskProfile {
        unified_intake,
        hall_name: c.hall.unwrap_or(p.hall_name),
        area_no: c.area.unwrap_or(p.area_no),
        window_no: c.window.unwrap_or(p.window_no),
        clerk_name: c.clerk.unwrap_or(p.clerk_name),
        desk_index: c.desk_index.unwrap_or(p.desk_index),
        desk_count: c.desk_count.unwrap_or(p.desk_count),
        ..p
    })
    .await?;
    for (kind, file, remove) in [
        (HallImage::Logo, c.logo, c.no_logo),
        (HallImage::Seal, c.seal, c.no_seal),
    ] {
        if let Some(file) = file {
            let bytes = read_bytes(&file)?;
            desk.set_hall_image(kind, Some(&bytes)).await?;
        } else if remove {
            desk.set_hall_image(kind, None).await?;
        }
    }
    print_json(&desk.profile().await?)
}
