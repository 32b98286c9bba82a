//! `yichuang demo`: the trainers' controls on a demo (培训) data directory: the desk's clock
//! and a reset to the seed. They call the same core functions as the window's 培训控制 panel.
//! The embedded hub simulator and its modes (断开、缓慢、拒收) and the department's supplement
//! request live in the window's process only.

use clap::Subcommand;
use yichuang_core::{CoreError, Desk, demo};

use crate::{CliError, print_json};

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
    /// The embedded hub's mode: only in the demo window (培训控制), where the simulator runs.
    Hub {
        /// normal, down, slow, reject.
        mode: String,
    },
}

pub(crate) async fn run(desk: &Desk, cmd: DemoCmd) -> Result<(), CliError> {
    match cmd {
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
