//! Reading the command's input files and writing its output.

use std::path::{Path, PathBuf};

use crate::error::CliError;

/// The text of `path`; `-` reads standard input.
pub(crate) fn read_input(path: &PathBuf) -> Result<String, CliError> {
    let read = if path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(path)
    };
    read.map_err(|source| CliError::Read {
        path: path.display().to_string(),
        source,
    })
}

/// The bytes of `path`.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|source| CliError::Read {
        path: path.display().to_string(),
        source,
    })
}

/// `path` (or standard input for `-`) as JSON.
pub(crate) fn read_json<T: serde::de::DeserializeOwned>(path: &PathBuf) -> Result<T, CliError> {
    let text = read_input(path)?;
    serde_json::from_str(&text).map_err(|e| CliError::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

/// Writes `bytes` to `path`; a failure names the file.
pub(crate) fn write_output(path: &Path, bytes: impl AsRef<[u8]>) -> Result<(), CliError> {
    std::fs::write(path, bytes).map_err(|e| CliError::Output(format!("{}：{e}", path.display())))
}

pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Output(e.to_string()))?;
    println!("{text}");
    Ok(())
}
