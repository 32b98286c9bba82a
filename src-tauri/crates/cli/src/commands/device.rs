//! `yichuang device`: the capture devices (scanners, document cameras) and the one this desk
//! uses.

use clap::Subcommand;
use yichuang_api::Command;
use yichuang_core::accounts::Permission;

use crate::commands::material::OutputArg;
use crate::error::CliError;
use crate::files::print_json;
use crate::guard::{Ctx, require};

/// `yichuang device`: the capture devices and the one this desk uses.
#[derive(Subcommand)]
pub(crate) enum DeviceAction {
    /// Scanners (SANE), document cameras (V4L2) and file import, with what each offers.
    List {
        #[arg(long)]
        json: bool,
    },
    /// The desk's capture device and options.
    Show,
    /// Chooses the desk's capture device and options (remembered by the desk).
    Set {
        #[arg(long)]
        device: Option<String>,
        #[arg(long)]
        dpi: Option<u32>,
        #[arg(long, value_enum)]
        mode: Option<OutputArg>,
        /// A4 or A3.
        #[arg(long)]
        paper: Option<String>,
        #[command(flatten)]
        feeder: Feeder,
    },
}

pub(crate) async fn run(ctx: &Ctx, action: DeviceAction) -> Result<(), CliError> {
    match action {
        DeviceAction::List { json } => list(ctx, json).await,
        DeviceAction::Show => show(ctx).await,
        DeviceAction::Set {
            device,
            dpi,
            mode,
            paper,
            feeder,
        } => set(ctx, device, dpi, mode, paper, feeder).await,
    }
}

/// The feeder flags of `device set`.
#[derive(clap::Args)]
pub(crate) struct Feeder {
    /// Feed from the automatic document feeder.
    #[arg(long)]
    adf: bool,
    #[arg(long, conflicts_with = "adf")]
    no_adf: bool,
    /// With the feeder: both sides of each sheet.
    #[arg(long)]
    duplex: bool,
    #[arg(long, conflicts_with = "duplex")]
    no_duplex: bool,
}

/// `device list`: what is found, with what each offers.
async fn list(ctx: &Ctx, json: bool) -> Result<(), CliError> {
    require(ctx, Permission::ViewCases).await?;
    let found = ctx.desk.capture_devices().await?;
    if json {
        return print_json(&found);
    }
    for d in &found.devices {
        println!(
            "{}\t{}\t{}\t{}{}",
            d.id,
            d.kind,
            d.label,
            d.page_sizes.join("/"),
            match (d.has_adf, d.has_duplex) {
                (_, true) => "\t进纸器（双面）",
                (true, false) => "\t进纸器",
                _ => "",
            }
        );
    }
    if let Some(p) = &found.problem {
        eprintln!("{p}");
    }
    Ok(())
}

/// `device show`: the desk's capture device and options.
async fn show(ctx: &Ctx) -> Result<(), CliError> {
    require(ctx, Command::CaptureSettings).await?;
    print_json(&ctx.desk.capture_settings().await?)
}

/// `device set`: chooses the desk's capture device and options.
async fn set(
    ctx: &Ctx,
    device: Option<String>,
    dpi: Option<u32>,
    mode: Option<OutputArg>,
    paper: Option<String>,
    f: Feeder,
) -> Result<(), CliError> {
    require(ctx, Command::SetCaptureSettings).await?;
    let mut s = ctx.desk.capture_settings().await?;
    if let Some(d) = device {
        s.device = d;
    }
    if let Some(d) = dpi {
        s.dpi = d;
    }
    if let Some(m) = mode {
        s.mode = m.into();
    }
    if let Some(p) = paper {
        s.page_size = p.trim().to_uppercase();
    }
    if f.adf {
        s.adf = true;
    }
    if f.no_adf {
        s.adf = false;
        s.duplex = false;
    }
    if f.duplex {
        s.duplex = true;
    }
    if f.no_duplex {
        s.duplex = false;
    }
    print_json(&ctx.desk.set_capture_settings(&s).await?)
}
