//! `yichuang`: the counter's actions, headless. Calls the same core functions as the window.
//!
//! This file parses the arguments and dispatches: each noun is a module of
//! [`commands`], with one function per verb, and every command that reads or changes the desk
//! asks [`guard::require`] for its permission first.

mod clock;
mod commands;
mod error;
mod files;
mod guard;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand};
use yichuang_core::{CoreError, paths};

use crate::commands::{
    account, calendar, case, catalog, demo, desk, device, hub, hub_sim, material, notice,
    notifications, share, supervise, sync,
};
use crate::error::CliError;
use crate::guard::{ActAs, Ctx};

#[derive(Parser)]
#[command(
    name = "yichuang",
    version,
    about = "一窗 Yichuang：综合窗口受理（命令行）"
)]
struct Cli {
    /// Data directory (default: $YICHUANG_DATA_DIR, else the platform's data directory).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Cases: accept, show, list.
    Case {
        #[command(flatten)]
        who: ActAs,
        #[command(subcommand)]
        action: case::CaseCmd,
    },
    /// Write a document of a case as PDF: the latest of --kind, or the one numbered --doc-no.
    Notice {
        /// The case number (办件编号).
        project_no: String,
        #[arg(long, value_enum, default_value = "acceptance")]
        kind: notice::Kind,
        /// A document number (受理文书编号), such as 补字〔2026〕第01-00003号.
        #[arg(long)]
        doc_no: Option<String>,
        /// Where to write the PDF.
        #[arg(long, value_name = "OUT")]
        pdf: PathBuf,
        #[command(flatten)]
        who: ActAs,
    },
    /// The item catalog.
    Catalog {
        #[command(flatten)]
        who: ActAs,
        #[command(subcommand)]
        action: catalog::CatalogAction,
    },
    /// This desk's hall, window and clerk.
    Desk {
        #[command(flatten)]
        who: ActAs,
        #[command(subcommand)]
        action: desk::DeskAction,
    },
    /// Delivers the outbox to the hub (办件中心): `--once`, or until Ctrl-C; `dead`, `retry ID`.
    Sync {
        /// Deliver what is due now, print what happened, and exit (non-zero if anything failed).
        #[arg(long)]
        once: bool,
        #[command(subcommand)]
        action: Option<sync::SyncAction>,
        #[command(flatten)]
        who: ActAs,
    },
    /// The scanned or imported pages of a case's materials.
    Material {
        #[command(flatten)]
        who: ActAs,
        #[command(subcommand)]
        action: material::MaterialAction,
    },
    /// Capture devices: `list`, `show`, `set` (the desk's scanner or document camera).
    Device {
        #[command(flatten)]
        who: ActAs,
        #[command(subcommand)]
        action: device::DeviceAction,
    },
    /// What the clerk is told: supplement requests and results from departments, newest first.
    Notifications {
        /// Also the ones already read.
        #[arg(long)]
        all: bool,
        /// Mark them read after printing.
        #[arg(long)]
        mark_read: bool,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        who: ActAs,
    },
    /// The hub connection: `config` sets it (hub.json in the data directory), `show`, `status`.
    Hub {
        #[command(flatten)]
        who: ActAs,
        #[command(subcommand)]
        action: hub::HubAction,
    },
    /// Supervision (电子监察): pending cases with 黄牌/红牌, the yellow threshold, the seed 002
    /// XML export and its receipts.
    Supervise {
        #[command(flatten)]
        who: ActAs,
        #[command(subcommand)]
        action: supervise::SuperviseCmd,
    },
    /// 帮我传 (seed 004): query, apply, method, status (the 受理中 list), signin, cancel, file.
    Share {
        #[command(flatten)]
        who: ActAs,
        #[command(subcommand)]
        action: share::ShareCmd,
    },
    /// The trainers' demo (培训控制) on a demo data directory: `clock +3d|reset`, `reset --yes`.
    Demo {
        #[command(flatten)]
        who: ActAs,
        #[command(subcommand)]
        action: demo::DemoCmd,
    },
    /// The working-day calendar (节假日安排): `show` the years covered, `import FILE` a new
    /// year's State Council arrangement.
    Calendar {
        #[command(flatten)]
        who: ActAs,
        #[command(subcommand)]
        action: calendar::CalendarCmd,
    },
    /// The desk's accounts: add, list, passwd, disable, enable, unlock, login.
    Account {
        #[command(subcommand)]
        action: account::AccountCmd,
    },
    /// Run the hub (办件中心) simulator until stopped; prints its base URL on stdout.
    HubSim {
        /// Address to listen on, e.g. 127.0.0.1:18080 (port 0: any free port).
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:18080")]
        listen: String,
        /// Simulator configuration, JSON: {"profile","whitelist","scenario","faults"}.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Department scenario, JSON: {"on_accept":[…],"on_supply_finished":[…]}.
        #[arg(long, value_name = "FILE")]
        scenario: Option<PathBuf>,
        /// The token the simulator expects (default: the configuration's, else sim-token).
        #[arg(long)]
        token: Option<String>,
    },
}

impl Command {
    /// Who acts, for the commands that open the desk as someone.
    fn who(&self) -> ActAs {
        match self {
            Command::Case { who, .. }
            | Command::Notice { who, .. }
            | Command::Catalog { who, .. }
            | Command::Desk { who, .. }
            | Command::Sync { who, .. }
            | Command::Material { who, .. }
            | Command::Device { who, .. }
            | Command::Notifications { who, .. }
            | Command::Hub { who, .. }
            | Command::Supervise { who, .. }
            | Command::Share { who, .. }
            | Command::Demo { who, .. }
            | Command::Calendar { who, .. } => who.clone(),
            Command::Account { .. } | Command::HubSim { .. } => ActAs::default(),
        }
    }
}

/// The subcommands' names, such as `hub config` (never the values given to them).
fn verb(matches: &ArgMatches) -> String {
    let mut names = Vec::new();
    let mut m = matches;
    while let Some((name, sub)) = m.subcommand() {
        names.push(name);
        m = sub;
    }
    names.join(" ")
}

async fn run(cli: Cli, verb: String) -> Result<(), CliError> {
    match cli.command {
        Command::HubSim {
            listen,
            config,
            scenario,
            token,
        } => return hub_sim::run(listen, config, scenario, token).await,
        Command::Demo {
            action: demo::DemoCmd::Seed { at, seed },
            ..
        } => {
            let dir = paths::resolve_data_dir(cli.data_dir);
            println!("{}", demo::seed(&dir, at.as_deref(), seed).await?);
            return Ok(());
        }
        _ => {}
    }
    let data_dir = paths::resolve_data_dir(cli.data_dir);
    let ctx = Ctx {
        desk: clock::open_desk(&data_dir).await?,
        data_dir,
        who: cli.command.who(),
        verb,
    };
    match cli.command {
        Command::Case { action, .. } => case::run(&ctx, action).await,
        Command::Notice {
            project_no,
            kind,
            doc_no,
            pdf,
            ..
        } => notice::run(&ctx, project_no, kind, doc_no, pdf).await,
        Command::Catalog { action, .. } => catalog::run(&ctx, action).await,
        Command::Desk { action, .. } => desk::run(&ctx, action).await,
        Command::Sync { once, action, .. } => sync::run(&ctx, once, action).await,
        Command::Material { action, .. } => material::run(&ctx, action).await,
        Command::Device { action, .. } => device::run(&ctx, action).await,
        Command::Notifications {
            all,
            mark_read,
            json,
            ..
        } => notifications::run(&ctx, all, mark_read, json).await,
        Command::Hub { action, .. } => hub::run(&ctx, action).await,
        Command::Share { action, .. } => share::run(&ctx, action).await,
        Command::Supervise { action, .. } => supervise::run(&ctx, action).await,
        // Account commands authorize with their own session in the core (see account.rs).
        Command::Account { action } => account::run(&ctx.desk, action).await,
        Command::Demo { action, .. } => demo::run(&ctx, action).await,
        Command::Calendar { action, .. } => calendar::run(&ctx, action).await,
        Command::HubSim { .. } => Ok(()),
    }
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let verb = verb(&matches);
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("无法启动：{e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli, verb)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match &e {
                CliError::Core(CoreError::Validation(errors)) => {
                    eprintln!("输入有误，未受理：");
                    for f in errors {
                        eprintln!("  {}（{}）：{}", f.label, f.field, f.message);
                    }
                }
                other => eprintln!("错误：{other}"),
            }
            ExitCode::from(e.exit_code())
        }
    }
}
