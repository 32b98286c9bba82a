//! `yichuang supervise`, end to end: the pending review with 黄牌, its filters, the yellow
//! threshold, the seed 002 export and receipts.

mod common;

use serde_json::Value;
use yichuang_core::supervision_xml::{self, BROADCAST, Head, ReceiptEntry, Stage};

use common::{ok, stderr, stdout, yichuang};

const EXAMPLE: &str = "../../../assets/examples/accept.json";

/// The case numbers in the table, in order.
fn listed(table: &str) -> Vec<String> {
    table
        .lines()
        .skip(2)
        .filter_map(|l| l.split('\t').nth(3).map(String::from))
        .collect()
}

#[test]
fn pending_review_threshold_export_and_receipts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The example item is 当场办结 (limit 0): accepted today, due today, so 黄牌 today.
    let accepted = ok(d, &["case", "accept", "--json", EXAMPLE])
        .trim()
        .to_string();
    let received = ok(d, &["case", "receive", "--json", EXAMPLE])
        .trim()
        .to_string();

    let json: Value = serde_json::from_str(&ok(d, &["supervise", "pending", "--json"])).unwrap();
    let today = json["today"].as_str().unwrap().to_string();
    assert_eq!(json["cases"].as_array().unwrap().len(), 2);
    assert_eq!(json["truncated"], false);

    let table = ok(d, &["supervise", "pending"]);
    assert!(
        table.starts_with(&format!(
            "今日 {today}，黄牌阈值：剩余1个工作日\n预警\t承诺办结日期"
        )),
        "{table}"
    );
    assert_eq!(listed(&table), [accepted.clone(), received.clone()]);
    let row = |no: &str| table.lines().find(|l| l.contains(no)).unwrap().to_string();
    assert!(
        row(&accepted).starts_with(&format!("黄牌\t{today}\t0\t{accepted}\t已受理\t")),
        "{table}"
    );
    assert!(
        row(&received).starts_with(&format!("正常\t-\t-\t{received}\t已收件\t")),
        "{table}"
    );

    // Filters.
    let yellow = ok(d, &["supervise", "pending", "--level", "黄牌"]);
    assert_eq!(listed(&yellow), [accepted.as_str()]);
    let red = yichuang(d, &["supervise", "pending", "--level", "red"]);
    assert!(red.status.success());
    assert!(listed(&stdout(&red)).is_empty());
    assert!(stderr(&red).contains("共 0 件"), "{}", stderr(&red));
    let rec = ok(d, &["supervise", "pending", "--state", "received"]);
    assert_eq!(listed(&rec), [received.as_str()]);
    let ranged = ok(
        d,
        &[
            "supervise",
            "pending",
            "--due-from",
            &today,
            "--due-to",
            &today,
        ],
    );
    assert_eq!(listed(&ranged), [accepted.as_str()]);
    let nobody = ok(d, &["supervise", "pending", "--clerk", "没有这个人"]);
    assert!(listed(&nobody).is_empty());
    for (args, why) in [
        (vec!["--level", "purple"], "预警级别"),
        (vec!["--state", "rejected"], "已办结"),
        (vec!["--state", "nonsense"], "办件状态"),
        (vec!["--due-from", "2026-02-30"], "不是有效日期"),
    ] {
        let mut all = vec!["supervise", "pending"];
        all.extend(args);
        let out = yichuang(d, &all);
        assert_eq!(out.status.code(), Some(2), "{all:?}");
        assert!(stderr(&out).contains(why), "{all:?}: {}", stderr(&out));
    }

    // The threshold.
    assert_eq!(ok(d, &["supervise", "threshold"]).trim(), "1个工作日");
    assert_eq!(ok(d, &["supervise", "threshold", "20%"]).trim(), "20%");
    assert_eq!(ok(d, &["supervise", "threshold"]).trim(), "20%");
    let bad = yichuang(d, &["supervise", "threshold", "abc"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("黄牌阈值"), "{}", stderr(&bad));

    // The export: today's 受理 and 收件 (预受理).
    let file = d.join("jc.xml");
    let n = ok(
        d,
        &[
            "supervise",
            "export",
            "--from",
            &today,
            "--to",
            &today,
            "--out",
            file.to_str().unwrap(),
            "--priority",
            "7",
        ],
    );
    assert_eq!(n.trim(), "2");
    let xml = std::fs::read_to_string(&file).unwrap();
    let pkg = supervision_xml::read_package(&xml).unwrap();
    assert_eq!(pkg.head.priority, 7);
    assert_eq!(pkg.head.destination_id, BROADCAST);
    let stages: Vec<(String, Stage)> = pkg
        .events
        .iter()
        .map(|e| (e.project_no.clone(), e.stage))
        .collect();
    assert_eq!(
        stages,
        [
            (accepted.clone(), Stage::Acceptance),
            (received.clone(), Stage::PreAcceptance)
        ]
    );
    // Nothing on a day without events: no file.
    let empty = d.join("none.xml");
    let n = ok(
        d,
        &[
            "supervise",
            "export",
            "--from",
            "2001-01-01",
            "--to",
            "2001-01-31",
            "--out",
            empty.to_str().unwrap(),
        ],
    );
    assert_eq!(n.trim(), "0");
    assert!(!empty.exists());
    let bad = yichuang(
        d,
        &[
            "supervise",
            "export",
            "--from",
            "yesterday",
            "--to",
            &today,
            "--out",
            "x.xml",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));

    // A receipt: the first received, the second to send again (exit 1).
    let head = Head {
        version: "1.0".into(),
        source_id: "999".into(),
        destination_id: pkg.head.source_id.clone(),
        send_date: pkg.head.send_date.clone(),
        priority: 5,
        security: String::new(),
        remark: String::new(),
    };
    let entries: Vec<ReceiptEntry> = pkg
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| ReceiptEntry {
            code: e.stage.code().into(),
            flag: "no".into(),
            jhid: e.jhid.clone(),
            received: i == 0,
        })
        .collect();
    let receipt = d.join("ceipte.xml");
    let text = supervision_xml::write_receipt(&head, &entries).unwrap();
    std::fs::write(&receipt, &text).unwrap();
    let out = yichuang(d, &["supervise", "receipt", receipt.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains(&format!("{}\t1\t接收异常，需重发", pkg.events[1].jhid)),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains(&pkg.events[1].jhid));
    // All received: exit 0.
    let all: Vec<ReceiptEntry> = entries
        .iter()
        .cloned()
        .map(|e| ReceiptEntry {
            received: true,
            ..e
        })
        .collect();
    std::fs::write(
        &receipt,
        supervision_xml::write_receipt(&head, &all).unwrap(),
    )
    .unwrap();
    ok(d, &["supervise", "receipt", receipt.to_str().unwrap()]);
    // Tampered: refused with the reason.
    std::fs::write(
        &receipt,
        text.replace("<result>false</result>", "<result>true</result>"),
    )
    .unwrap();
    let out = yichuang(d, &["supervise", "receipt", receipt.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("回执被拒收：校验码不符"),
        "{}",
        stderr(&out)
    );
}
