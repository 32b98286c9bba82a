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
