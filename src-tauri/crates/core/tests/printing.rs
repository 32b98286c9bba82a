//! Printing through the real print service: CUPS with the cups-pdf virtual printer, which
//! `.ci/test` installs and configures as `YichuangPDF` (only the paper is virtual).

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use yichuang_core::Desk;
use yichuang_core::model::*;

const PRINTER: &str = "YichuangPDF";

fn output_dir() -> PathBuf {
    PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into())).join("PDF")
}

fn require_printer() {
    let printers =
        yichuang_core::printing::printers().expect("lpstat (CUPS) is required: run .ci/test");
    assert!(
        printers.iter().any(|p| p == PRINTER),
        "the CUPS printer {PRINTER} is missing ({printers:?}): .ci/test sets it up"
    );
}

/// The PDFs in cups-pdf's output directory, with their modification times.
fn output_pdfs() -> HashMap<PathBuf, SystemTime> {
    std::fs::read_dir(output_dir())
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .filter_map(|e| Some((e.path(), e.metadata().ok()?.modified().ok()?)))
        .collect()
}

/// Waits (at most 20 s) until CUPS reports `job` completed, then returns the newest PDF
/// cups-pdf wrote since `before` was listed: a new file, or one rewritten since. Only the
/// files' own times are compared, never the clock: cupsd, which stamps them, may not share
/// the test's clock (the tests also run with the date moved by libfaketime).
fn printed_after(job: &str, before: &HashMap<PathBuf, SystemTime>) -> PathBuf {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let done = Command::new("lpstat")
            .args(["-W", "completed", "-o", PRINTER])
            .output()
            .unwrap();
        if String::from_utf8_lossy(&done.stdout)
            .split_whitespace()
            .any(|w| w == job)
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "CUPS did not complete job {job} within 20 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    loop {
        let newest = output_pdfs()
            .into_iter()
            .filter(|(p, t)| before.get(p) != Some(t))
            .max_by_key(|(_, t)| *t);
        if let Some((path, _)) = newest {
            return path;
        }
        assert!(
            Instant::now() < deadline,
            "cups-pdf wrote nothing to {} within 20 s",
            output_dir().display()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A desk with the example case accepted, once the virtual printer is known to be there.
async fn accepted_case() -> (tempfile::TempDir, Desk, AcceptOutcome) {
    require_printer();
    let dir = tempfile::tempdir().unwrap();
    // A clock pinned in a year with an official holiday arrangement: the history holds the
    // acceptance alone, whatever the date the test runs.
    let desk = yichuang_testkit::desk_at(dir.path(), "2026-11-23T10:00:00+08:00").await;
    let out = yichuang_testkit::accepted(&desk, &yichuang_testkit::example()).await;
    (dir, desk, out)
}

#[tokio::test]
async fn print_and_reprint_are_logged_and_reach_the_printer() {
    let (dir, desk, out) = accepted_case().await;

    let before = output_pdfs();
    let job = desk
        .clerk()
        .await
        .unwrap()
        .print_notice(&out.project_no, NoticeKind::Acceptance, Some(PRINTER), 1)
        .await
        .unwrap();
    assert!(job.starts_with(PRINTER), "{job}");
    let printed = printed_after(&job, &before);
    // cups-pdf re-renders through Ghostscript, which keeps the drawing but not the text's
    // Unicode mapping; the printed page's QR code must still read back as the case number.
    let png = dir.path().join("printed");
    let ok = Command::new("pdftoppm")
        .args(["-r", "100", "-png", "-singlefile"])
        .arg(&printed)
        .arg(&png)
        .output() // Ghostscript's Type 3 glyphs make poppler warn on stderr; keep it quiet
        .unwrap();
    assert!(ok.status.success());
    let qr = Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(png.with_extension("png"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&qr.stdout).trim(),
        out.project_no,
        "{}",
        printed.display()
    );

    desk.clerk()
        .await
        .unwrap()
        .print_notice(&out.project_no, NoticeKind::Acceptance, Some(PRINTER), 2)
        .await
        .unwrap();
    let case = desk.get_case(&out.project_no).await.unwrap();
    let prints: Vec<(&str, &str)> = case
        .history
        .iter()
        .filter(|e| e.action == "打印" || e.action == "重印")
        .map(|e| (e.action.as_str(), e.opinion.as_str()))
        .collect();
    assert_eq!(prints.len(), 2);
    assert_eq!(prints[0].0, "打印");
    assert_eq!(prints[1].0, "重印");
    assert!(
        prints[1].1.contains("2份") && prints[1].1.contains(PRINTER),
        "{}",
        prints[1].1
    );
    // Printing does not change the case's state.
    assert_eq!(case.state, CaseState::Accepted);
}

#[tokio::test]
async fn an_unknown_printer_is_named_in_the_error_and_nothing_is_logged() {
    let (_dir, desk, out) = accepted_case().await;
    let err = desk
        .clerk()
        .await
        .unwrap()
        .print_notice(
            &out.project_no,
            NoticeKind::Acceptance,
            Some("NoSuchPrinter"),
            1,
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "打印机“NoSuchPrinter”不存在，请在窗口设置中重新选择打印机"
    );
    let case = desk.get_case(&out.project_no).await.unwrap();
    assert_eq!(case.history.len(), 1);
    // A document the case does not have cannot be printed.
    let err = desk
        .clerk()
        .await
        .unwrap()
        .print_notice(&out.project_no, NoticeKind::Rejection, Some(PRINTER), 1)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("未找到"), "{err}");
}
