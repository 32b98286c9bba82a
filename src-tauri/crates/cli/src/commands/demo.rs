//! `yichuang demo`: the trainers' controls on a demo (培训) data directory: the desk's clock
//! and a reset to the seed. They call the same core functions as the window's 培训控制 panel.
//! The embedded hub simulator and its modes (断开、缓慢、拒收) and the department's supplement
//! request live in the window's process only.

use clap::Subcommand;
use yichuang_core::{CoreError, demo};

use yichuang_core::accounts::Permission;

use crate::error::CliError;
use crate::files::print_json;
use crate::guard::{Ctx, require};

#[derive(Subcommand)]
pub(crate) enum DemoCmd {
    /// Shows the desk's clock, moves it forward (`+3d`, `+12h`, `+30m`), or `reset` puts it
    /// back to the real time. 黄牌/红牌 and promised dates follow.
    Clock {
        /// `+3d`, `+12h`, `+30m`, or `reset`; none: show.
        #[arg(allow_hyphen_values = true)]
        shift: Option<String>,
    },
    /// Puts the demo back as seeded: deletes every case, document, scan and hub message, clears
    /// the clock offset, then seeds again. Accounts stay. Needs --yes.
    Reset {
        /// Confirms the reset (确认).
        #[arg(long)]
        yes: bool,
    },
    /// Makes a new data directory a demo desk: the demo accounts and 40 generated cases spread
    /// over the two weeks before AT (default now). Prints how many cases were made (0 if it was
    /// seeded already). A desk that is not a demo desk and has cases or accounts is refused.
    Seed {
        /// The class's start, RFC 3339 (e.g. 2026-10-01T09:00:00+08:00).
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        #[arg(long, default_value_t = demo::DEMO_SEED)]
        seed: u64,
    },
    /// The embedded hub's mode: only in the demo window (培训控制), where the simulator runs.
    Hub {
        /// normal, down, slow, reject.
        mode: String,
    },
}

/// `demo seed`: runs before the desk is opened for anything else (it may create it).
pub(crate) async fn seed(
    dir: &std::path::Path,
    at: Option<&str>,
    seed: u64,
) -> Result<usize, CliError> {
    let now = match at {
        Some(t) => chrono::DateTime::parse_from_rfc3339(t.trim()).map_err(|e| {
            CliError::invalid(
                "at",
                "演示开始时间",
                format!("“{t}”不是有效时间（应如 2026-10-01T09:00:00+08:00）：{e}"),
            )
        })?,
        None => crate::clock::clock()?.now(),
    };
    {
        let desk = crate::clock::open_desk(dir).await?;
        let in_use = desk.has_accounts().await? || !desk.list_cases(None, None).await?.is_empty();
        if !desk.is_demo().await? && in_use {
            return Err(CliError::Usage(
                "该数据目录已有办件或账号，不是演示（培训）目录，不能填入演示数据；请另选一个空目录",
            ));
        }
    }
    Ok(demo::seed(dir, now, seed).await?)
}

pub(crate) async fn run(ctx: &Ctx, cmd: DemoCmd) -> Result<(), CliError> {
    require(ctx, Permission::TrainerControls).await?;
    let desk = &ctx.desk;
    match cmd {
        // Handled before the desk is opened (it may create it); see `seed`.
        DemoCmd::Seed { .. } => Err(CliError::Usage("demo seed 应在打开窗口数据之前执行")),
        DemoCmd::Clock { shift: None } => {
            if !desk.is_demo().await? {
                return Err(not_demo());
            }
            print_json(&demo::clock(desk))
        }
        DemoCmd::Clock { shift: Some(s) } if s.trim() == "reset" => {
            print_json(&demo::reset_clock(desk).await?)
        }
        DemoCmd::Clock { shift: Some(s) } => {
            // A real desk is refused before the argument is looked at.
            if !desk.is_demo().await? {
                return Err(not_demo());
            }
            let secs = demo::parse_shift(&s)?;
            print_json(&demo::move_clock(desk, secs).await?)
        }
        DemoCmd::Reset { yes: false } => Err(CliError::Usage(
            "重置将删除培训中的全部办件、文书、扫描材料和上报记录并恢复初始演示数据；确认请加 --yes",
        )),
        DemoCmd::Reset { yes: true } => {
            let made = demo::reset(desk).await?;
            println!("演示数据已重置，共 {made} 件演示办件");
            Ok(())
        }
        DemoCmd::Hub { .. } => Err(CliError::Core(CoreError::Conflict(
            "办件中心模拟器在演示窗口的进程内运行，其状态（正常、断开、缓慢、拒收）只能在窗口的“培训控制”中切换".into(),
        ))),
    }
}

fn not_demo() -> CliError {
    CliError::Core(CoreError::Conflict(
        "这不是演示（培训）窗口：调整时钟、重置演示数据等培训操作只能在演示窗口的数据目录上进行"
            .into(),
    ))
}
