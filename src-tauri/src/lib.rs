//! The Yichuang window: a thin Tauri shell. Commands call `yichuang-core`; nothing else
//! lives here.

pub mod commands;
pub mod state;

use std::path::PathBuf;

use tauri::Runtime;
use yichuang_core::{Desk, paths};

pub use state::AppState;

/// Registers the state, plugins and every command on `base`. The real app (`Builder::default()`)
/// and the command tests (`tauri::test::mock_builder()`) go through this one function, so both
/// see the same command list.
pub fn register<R: Runtime>(base: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    base.plugin(tauri_plugin_opener::init())
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::catalog_list,
            commands::desk_profile,
            commands::update_desk_profile,
            commands::validate_intake,
            commands::accept_case,
            commands::intake_case,
            commands::act_on_case,
            commands::known_applicant,
            commands::list_printers,
            commands::print_notice,
            commands::save_draft,
            commands::load_draft,
            commands::clear_draft,
            commands::list_cases,
            commands::get_case,
            commands::notice_pdf,
            commands::export_notice,
            commands::promised_date_preview,
            commands::hall_image,
            commands::set_hall_image,
            commands::import_catalog,
            commands::export_catalog,
            commands::record_dialog_print,
            commands::document_pdf,
        ])
}

/// Command-line options of the window: `--data-dir DIR` (or `--data-dir=DIR`), and `--demo`
/// for the trainers' demo desk (its own data directory unless one is given).
#[derive(Debug, Default, PartialEq)]
pub struct Options {
    pub data_dir: Option<PathBuf>,
    pub demo: bool,
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
        }
    }
    opts
}

pub fn run() {
    let opts = parse_args(std::env::args().skip(1));
    let data_dir = match (opts.data_dir, opts.demo) {
        (Some(dir), _) => dir,
        (None, true) => paths::demo_data_dir(),
        (None, false) => paths::resolve_data_dir(None),
    };
    let opened = tauri::async_runtime::block_on(async {
        if opts.demo {
            let now = yichuang_core::time::Clock::now(&yichuang_core::time::SystemClock::default());
            yichuang_core::demo::seed(&data_dir, now, 2026).await?;
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
    let state = AppState { desk, demo };
    if let Err(e) = register(tauri::Builder::default(), state).run(tauri::generate_context!()) {
        eprintln!("一窗窗口启动失败：{e}");
        std::process::exit(1);
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
}
