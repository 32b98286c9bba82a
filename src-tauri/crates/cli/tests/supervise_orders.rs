//! `yichuang supervise order|stats`, `supervise pending --xlsx` and `case rate`, end to end.

mod common;

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use serde_json::Value;

use common::{stderr, yichuang};

const EXAMPLE: &str = "../../../assets/examples/accept.json";

/// Standard output of a command that must succeed, trimmed.
fn ok(dir: &Path, args: &[&str]) -> String {
    common::ok(dir, args).trim().to_string()
}

fn fails(dir: &Path, args: &[&str], code: i32, why: &str) {
    let out = yichuang(dir, args);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
    assert!(stderr(&out).contains(why), "{args:?}: {}", stderr(&out));
}

fn cell(c: &Data) -> String {
    match c {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range.rows().map(|r| r.iter().map(cell).collect()).collect()
}

#[test]
fn an_order_is_issued_replied_to_and_closed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let no = ok(d, &["case", "accept", "--json", EXAMPLE]);
    let id = ok(
        d,
        &[
            "supervise",
            "order",
            "issue",
            &no,
            "--text",
            "请说明进度",
            "--by",
            "王督查",
            "--window",
            "监察室",
        ],
    );
    assert_eq!(id, "1");
    // The clerk sees it among the notifications and in the case.
    let n: Value = serde_json::from_str(&ok(d, &["notifications", "--json"])).unwrap();
    assert_eq!(n[0]["kind"], "supervision_order");
    assert_eq!(n[0]["project_no"], no.as_str());
    let show = ok(d, &["case", "show", &no]);
    assert!(show.contains("王督查  请说明进度（办理中）"), "{show}");

    ok(
        d,
        &["supervise", "order", "reply", "1", "--text", "已催办部门"],
    );
    let list: Value =
        serde_json::from_str(&ok(d, &["supervise", "order", "list", &no, "--json"])).unwrap();
    assert_eq!(list[0]["replies"][0]["text"], "已催办部门");
    // The desk's clerk and window by default.
    let profile: Value = serde_json::from_str(&ok(d, &["desk", "show"])).unwrap();
    assert_eq!(list[0]["replies"][0]["by"], profile["clerk_name"]);
    assert_eq!(list[0]["replies"][0]["window_no"], profile["window_no"]);

    ok(
        d,
        &[
            "supervise",
            "order",
            "close",
            "1",
            "--note",
            "已落实",
            "--by",
            "王督查",
        ],
    );
    assert_eq!(ok(d, &["supervise", "order", "list", "--open"]), "");
    let all = ok(d, &["supervise", "order", "list"]);
    assert!(all.contains("已办结") && all.contains("已落实"), "{all}");

    fails(
        d,
        &["supervise", "order", "reply", "1", "--text", "再说一句"],
        4,
        "已办结",
    );
    fails(
        d,
        &["supervise", "order", "issue", &no, "--text", "  "],
        2,
        "督办内容",
    );
    fails(
        d,
        &[
            "supervise",
            "order",
            "issue",
            &no,
            "--text",
            "请说明",
            "--reply-by",
            "2020-01-01",
        ],
        2,
        "要求回复日期",
    );
    fails(
        d,
        &[
            "supervise",
            "order",
            "issue",
            "650100000000000000000000000000020260101999",
            "--text",
            "请说明",
        ],
        3,
        "未找到",
    );
    fails(d, &["supervise", "order", "close", "99"], 3, "督办单 99");
}

#[test]
fn ratings_statistics_and_xlsx_exports() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["desk", "set", "--unified", "--window", "07"]);
    let a = ok(d, &["case", "accept", "--json", EXAMPLE]);
    let b = ok(d, &["case", "accept", "--json", EXAMPLE]);
    ok(d, &["case", "receive", "--json", EXAMPLE]);
    fails(d, &["case", "rate", &a, "--rating", "5"], 4, "办结或出件后");
    ok(
        d,
        &[
            "case",
            "conclude",
            &a,
            "--status",
            "approved",
            "--note",
            "准予许可",
        ],
    );
    fails(d, &["case", "rate", &a, "--rating", "9"], 2, "满意度");
    ok(d, &["case", "rate", &a, "--rating", "很满意"]);
    let case: Value = serde_json::from_str(&ok(d, &["case", "show", &a, "--json"])).unwrap();
    assert_eq!(case["satisfaction"], "5");

    let s: Value = serde_json::from_str(&ok(d, &["supervise", "stats", "--json"])).unwrap();
    assert_eq!(s["total"], 3);
    assert_eq!(s["accepted"], 2);
    assert_eq!(s["rated"], 1);
    assert_eq!(s["per_window"][0]["key"], "07");
    assert_eq!(s["per_window"][0]["count"], 3);
    assert_eq!(s["satisfaction"][4]["count"], 1);
    let today = s["today"].as_str().unwrap().to_string();
    let table = ok(d, &["supervise", "stats", "--from", &today, "--to", &today]);
    assert!(table.contains("收件总数\t3"), "{table}");
    fails(
        d,
        &["supervise", "stats", "--from", "2026-13-01"],
        2,
        "起始日期",
    );

    let xlsx = d.join("stats.xlsx");
    ok(d, &["supervise", "stats", "--xlsx", xlsx.to_str().unwrap()]);
    let rows = sheet(&xlsx, "汇总");
    assert!(
        rows.iter().any(|r| r[0] == "收件总数" && r[1] == "3"),
        "{rows:?}"
    );

    let xlsx = d.join("pending.xlsx");
    ok(
        d,
        &[
            "supervise",
            "pending",
            "--state",
            "accepted",
            "--xlsx",
            xlsx.to_str().unwrap(),
        ],
    );
    let rows = sheet(&xlsx, "在办件");
    assert_eq!(rows[0][0], "预警");
    assert_eq!(rows[1][3], b);
    assert_eq!(rows[1][4], "已受理");
    assert_eq!(rows[1][7], "07");
    assert_eq!(
        rows[2][0], "",
        "one case, then the footer after a blank row"
    );
}
