//! Printing through the system's print service: CUPS (`lp`, `lpstat`) on Linux and macOS.
//! The window also offers the system print dialog as a fallback, and every document can be
//! saved as PDF.

use std::path::Path;
use std::process::Command;

/// Why printing failed. The `Display` text is what the clerk reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    #[error("未找到打印服务（CUPS 的 lp 命令）：请安装 CUPS，或保存 PDF 后用其他程序打印")]
    NoPrintService,
    #[error("打印机“{0}”不存在，请在窗口设置中重新选择打印机")]
    UnknownPrinter(String),
    #[error("没有默认打印机：请选择打印机，或在系统中设置默认打印机")]
    NoDefaultPrinter,
    #[error("打印失败：{0}")]
    Failed(String),
}

/// The printers the print service knows, by name.
pub fn printers() -> Result<Vec<String>, PrintError> {
    let out = Command::new("lpstat")
        .arg("-e")
        .output()
        .map_err(|_| PrintError::NoPrintService)?;
    if !out.status.success() {
        // No scheduler or no printers: both mean nothing to print to.
        return Ok(vec![]);
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect())
}

/// Sends a PDF file to `printer` (or the default printer) and returns the job id.
pub fn print_file(
    path: &Path,
    printer: Option<&str>,
    title: &str,
    copies: u32,
) -> Result<String, PrintError> {
    let mut cmd = Command::new("lp");
    if let Some(p) = printer.filter(|p| !p.trim().is_empty()) {
        cmd.arg("-d").arg(p.trim());
    }
    cmd.arg("-n")
        .arg(copies.clamp(1, 20).to_string())
        .arg("-t")
        .arg(title)
        .arg("--")
        .arg(path);
    let out = cmd.output().map_err(|_| PrintError::NoPrintService)?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        if stderr.contains("does not exist") || stderr.contains("不存在") {
            return Err(PrintError::UnknownPrinter(
                printer.unwrap_or_default().to_string(),
            ));
        }
        if stderr.contains("default destination") {
            return Err(PrintError::NoDefaultPrinter);
        }
        return Err(PrintError::Failed(stderr.trim().to_string()));
    }
    // "request id is PRINTER-12 (1 file(s))"
    Ok(stdout
        .split_whitespace()
        .skip_while(|w| *w != "is")
        .nth(1)
        .unwrap_or_default()
        .to_string())
}
