//! The Yichuang window: a thin Tauri shell. Commands call `yichuang-core`; nothing else
//! lives here.

pub mod auth;
pub mod commands;
pub mod dispatch;
pub mod state;

use std::path::PathBuf;

use tauri::Runtime;
use yichuang_core::{Desk, paths};

pub use state::AppState;

/// Registers the state, plugins and every command of the command table on `base`. The real
/// app (`Builder::default()`) and the command tests (`tauri::test::mock_builder()`) go through
/// this one function, so both see the same commands.
pub fn register<R: Runtime>(base: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    base.plugin(tauri_plugin_opener::init())
        .manage(state)
        .invoke_handler(dispatch::invoke_handler())
}

/// Command-line options of the window: `--data-dir DIR` (or `--data-dir=DIR`), `--demo`
/// for the trainers' demo desk (its own data directory unless one is given), `--help` and
/// `--version` (printed without opening the window).
#[derive(Debug, Default, PartialEq)]
pub struct Options {
    pub data_dir: Option<PathBuf>,
    pub demo: bool,
    /// `--help` / `-h`: print [`usage`] and exit.
    pub help: bool,
    /// `--version` / `-V`: print [`version_line`] and exit.
    pub version: bool,
}

/// The options, as `yichuang-app --help` prints them.
pub fn usage() -> String {
    format!(
        "易窗 {version}：政务服务大厅综合受理窗口\n\
         \n\
         用法：yichuang-app [选项]\n\
         \n\
         选项：\n\
         \x20 --data-dir DIR   使用目录 DIR 存放本窗口的数据（也可写作 --data-dir=DIR）\n\
         \x20 --demo           打开培训演示窗口（未指定 --data-dir 时使用单独的演示数据目录）\n\
         \x20 -h, --help       显示本说明并退出\n\
         \x20 -V, --version    显示版本号并退出\n",
        version = env!("CARGO_PKG_VERSION")
    )
}

/// What `yichuang-app --version` prints.
pub fn version_line() -> String {
    format!("易窗 yichuang-app {}", env!("CARGO_PKG_VERSION"))
}

pub fn parse_args(args: impl IntoIterator<Item = String>) -> Options {
    let mut opts = Options::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--data-dir" {
            opts.data_dir = args.next().map(PathBuf::from);
        } else if let Some(dir) = arg.strip_prefix("--data-dir=") {
            opts.data_dir = Some(PathBuf::from(dir));
        } else if arg == "--demo" {
            opts.demo = true;
        } else if arg == "--help" || arg == "-h" {
            opts.help = true;
        } else if arg == "--version" || arg == "-V" {
            opts.version = true;
        }
    }
    opts
}

pub fn run() {
    let opts = parse_args(std::env::args().skip(1));
    // Before anything opens a window (GTK needs a display; --help must not).
    if opts.help {
        print!("{}", usage());
        return;
    }
    if opts.version {
        println!("{}", version_line());
        return;
    }
    let data_dir = match (opts.data_dir, opts.demo) {
        (Some(dir), _) => dir,
        (None, true) => paths::demo_data_dir(),
        (None, false) => paths::resolve_data_dir(None),
    };
    let opened = tauri::async_runtime::block_on(async {
        if opts.demo {
            let now = yichuang_core::time::Clock::now(&yichuang_core::time::SystemClock::default());
            // Seeded on first start; re-anchored on today when seeded on an earlier day.
            yichuang_core::demo::anchor(&data_dir, now).await?;
        }
        let desk = Desk::open(&data_dir).await?;
        let demo = desk.is_demo().await?;
        Ok::<_, yichuang_core::CoreError>((desk, demo))
    });
    let (desk, demo) = match opened {
        Ok(opened) => opened,
        Err(e) => {
            eprintln!("一窗无法打开数据目录 {}：{e}", data_dir.display());
            std::process::exit(1);
        }
    };
    let (sync, hub_sim, interval) = match tauri::async_runtime::block_on(connect_hub(&desk, demo)) {
        Ok(connected) => connected,
        Err(e) => {
            // The counter works offline; the clerk sees the hub as not connected.
            eprintln!("办件中心未连接：{e}");
            (None, None, std::time::Duration::from_secs(30))
        }
    };
    if let Some(worker) = &sync {
        let worker = worker.clone();
        let desk = desk.clone();
        tauri::async_runtime::spawn(async move {
            worker
                .run(&desk, interval, std::future::pending::<()>())
                .await;
        });
    }
    let state = AppState {
        desk,
        demo,
        sync,
        hub_sim,
        session: Default::default(),
    };
    if let Err(e) = register(tauri::Builder::default(), state).run(tauri::generate_context!()) {
        eprintln!("一窗窗口启动失败：{e}");
        std::process::exit(1);
    }
}

pub type Connected = (
    Option<std::sync::Arc<yichuang_sync::SyncWorker>>,
    Option<yichuang_hub::sim::SimHandle>,
    std::time::Duration,
);

/// The hub this desk talks to: in the trainers' demo, a simulator started here on loopback;
/// otherwise the one in `hub.json` (or `YICHUANG_HUB_URL`), if any.
pub async fn connect_hub(desk: &Desk, demo: bool) -> Result<Connected, yichuang_core::CoreError> {
    use yichuang_hub::sim;
    use yichuang_sync::HubSettings;
    use yichuang_sync::config::HubSecrets;
    let mut settings = HubSettings::load(desk)?;
    let mut handle = None;
    if demo {
        // The department side of the demo: every case the trainee accepts gets a step, then a
        // supplement request; once supplemented, the result. Half a minute apart.
        let config = sim::SimConfig {
            scenario: demo_scenario(),
            ..Default::default()
        };
        let token = config.profile.token.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| yichuang_core::CoreError::io("127.0.0.1:0", e))?;
        let sim = sim::serve(config, listener)
            .await
            .map_err(|e| yichuang_core::CoreError::io("127.0.0.1", e))?;
        settings.base_url = sim.base_url();
        settings.interval_ms = 5_000;
        settings.set_secrets(
            desk,
            &HubSecrets {
                token,
                pre_shared_key_hex: String::new(),
            },
        )?;
        handle = Some(sim);
    }
    if settings.base_url.trim().is_empty() {
        return Ok((None, None, std::time::Duration::from_secs(30)));
    }
    let interval = std::time::Duration::from_millis(settings.interval_ms.max(1_000));
    let worker = std::sync::Arc::new(settings.worker(desk).await?);
    Ok((Some(worker), handle, interval))
}

/// What the simulated departments do in the trainers' demo.
pub fn demo_scenario() -> yichuang_hub::sim::Scenario {
    use yichuang_core::dict::HandleResult;
    use yichuang_hub::protocol::EventCode;
    use yichuang_hub::sim::{DeptStep, Scenario};
    Scenario {
        on_accept: vec![
            DeptStep::Process {
                event_code: EventCode::B9,
                note: Some("材料审查通过，进入审批程序".into()),
                docname: Some("受理审查意见书".into()),
            },
            DeptStep::Supplement {
                opinion: "材料复印件不清晰，请申请人补正".into(),
                materials: vec![],
            },
        ],
        on_supply_finished: vec![
            DeptStep::Process {
                event_code: EventCode::B1,
                note: Some("补正材料已收到".into()),
                docname: None,
            },
            DeptStep::Result {
                status: HandleResult::Approved,
                note: Some("准予许可".into()),
                result_no: None,
            },
        ],
        step_delay_secs: 30,
        // 帮我传: the departments call back (or sign paper out) 30 s after a request.
        share: yichuang_hub::sim::ShareScenario {
            default: yichuang_hub::sim::ShareBehaviour {
                delay_secs: 30,
                auto_sign_out: true,
                ..Default::default()
            },
            ..Default::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_dir_argument_forms() {
        let a = |v: &[&str]| parse_args(v.iter().map(|s| s.to_string()));
        assert_eq!(a(&[]).data_dir, None);
        assert_eq!(a(&["--data-dir", "/x"]).data_dir, Some(PathBuf::from("/x")));
        assert_eq!(a(&["--data-dir=/y"]).data_dir, Some(PathBuf::from("/y")));
        assert!(!a(&["--data-dir=/y"]).demo);
        let d = a(&["--demo", "--data-dir", "/z"]);
        assert!(d.demo);
        assert_eq!(d.data_dir, Some(PathBuf::from("/z")));
    }

    #[test]
    fn help_and_version_are_recognised() {
        let a = |v: &[&str]| parse_args(v.iter().map(|s| s.to_string()));
        assert!(a(&["--help"]).help);
        assert!(a(&["-h"]).help);
        assert!(a(&["--demo", "--help"]).help);
        assert!(!a(&["--demo"]).help);
        assert!(a(&["--version"]).version);
        assert!(a(&["-V"]).version);
        assert!(
            !a(&["--data-dir", "--help"]).help,
            "a directory named --help"
        );
        let text = usage();
        for opt in ["--data-dir DIR", "--demo", "--help", "--version"] {
            assert!(text.contains(opt), "{opt} in {text}");
        }
        assert!(text.contains("用法"));
        assert!(version_line().ends_with(env!("CARGO_PKG_VERSION")));
    }
}
