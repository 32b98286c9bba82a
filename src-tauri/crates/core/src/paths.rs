//! Where the desk keeps its data.

use std::path::PathBuf;

/// The environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "YICHUANG_DATA_DIR";

/// Resolves the data directory: an explicit `--data-dir`, else `$YICHUANG_DATA_DIR`, else the
/// platform's convention (`~/.local/share/yichuang` on Linux, `%APPDATA%\Yichuang\yichuang\data`
/// on Windows, `~/Library/Application Support/cn.yichuang.yichuang` on macOS).
pub fn resolve_data_dir(explicit: Option<PathBuf>) -> PathBuf {
    if let Some(dir) = explicit {
        return dir;
    }
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("cn", "Yichuang", "yichuang")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".yichuang"))
}

/// The trainers' demo desk's data directory: `demo` beside the real desk's data (as resolved
/// by [`resolve_data_dir`] without an explicit directory), so a demo never touches real cases.
pub fn demo_data_dir() -> PathBuf {
    let real = resolve_data_dir(None);
    let name = real
        .file_name()
        .map(|n| format!("{}-demo", n.to_string_lossy()))
        .unwrap_or_else(|| "yichuang-demo".into());
    real.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_desk_never_shares_the_real_desk_s_directory() {
        let demo = demo_data_dir();
        assert_ne!(demo, resolve_data_dir(None));
        assert!(
            demo.to_string_lossy().ends_with("-demo"),
            "{}",
            demo.display()
        );
    }
}
