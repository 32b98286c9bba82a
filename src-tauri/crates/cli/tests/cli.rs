//! The `yichuang` binary, end to end: exit codes, stdout, stderr and files.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use common::{stderr, stdout, yichuang};

const EXAMPLE: &str = include_str!("../../../../assets/examples/accept.json");

fn write_form(dir: &Path, edit: impl FnOnce(&mut Value)) -> String {
    let mut form: Value = serde_json::from_str(EXAMPLE).unwrap();
    edit(&mut form);
    let path = dir.join("form.json");
    std::fs::write(&path, form.to_string()).unwrap();
    path.display().to_string()
}

/// `notice NO --kind KIND --pdf OUT`, which must succeed.
fn write_notice(dir: &Path, no: &str, kind: &str, out: &Path) {
    let out = yichuang(
        dir,
        &["notice", no, "--kind", kind, "--pdf", out.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn accept_show_and_notice() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("accept.pdf");
    let out = yichuang(
        dir.path(),
        &[
            "case",
            "accept",
            "--json",
            "../../../assets/examples/accept.json",
            "--pdf",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let no = stdout(&out).trim().to_string();
    let example: Value = serde_json::from_str(EXAMPLE).unwrap();
    assert!(no.starts_with(example["dept_ql_reg_no"].as_str().unwrap()));
    assert_eq!(no.len(), 43);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));

    let out = yichuang(dir.path(), &["case", "show", &no, "--json"]);
    assert!(out.status.success());
    let case: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(case["applicant_name"], example["applicant_name"]);
    assert_eq!(case["state"], "accepted");
    assert_eq!(
        case["materials"].as_array().unwrap().len(),
        example["materiallist"].as_array().unwrap().len()
    );

    let again = dir.path().join("again.pdf");
    write_notice(dir.path(), &no, "acceptance", &again);
    assert_eq!(std::fs::read(&again).unwrap(), std::fs::read(&pdf).unwrap());

    let out = yichuang(dir.path(), &["case", "list", "--json"]);
    let list: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(list[0]["project_no"], no.as_str());
}

#[test]
fn bad_input_exits_2_with_field_errors_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let form = write_form(dir.path(), |f| {
        let code = f["applicant_paper_code"].as_str().unwrap().to_string();
        let last = if code.ends_with('0') { "1" } else { "0" };
        f["applicant_paper_code"] = Value::from(format!("{}{last}", &code[..17]));
        f["applicant_mobile"] = Value::from("");
    });
    let out = yichuang(dir.path(), &["case", "accept", "--json", &form]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("证件号码（applicant_paper_code）") && err.contains("校验码"),
        "{err}"
    );
    assert!(
        err.contains("手机号码（applicant_mobile）：请填写手机号码"),
        "{err}"
    );
    assert!(stdout(&out).is_empty());
    let out = yichuang(dir.path(), &["case", "list", "--json"]);
    assert_eq!(stdout(&out).trim(), "[]");
}

#[test]
fn unknown_item_and_missing_fields() {
    let dir = tempfile::tempdir().unwrap();
    let form = write_form(dir.path(), |f| {
        f["dept_ql_reg_no"] = Value::from("1".repeat(31))
    });
    let out = yichuang(dir.path(), &["case", "accept", "--json", &form]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("不在本大厅的事项目录中"));

    // A required key absent from the JSON is named with its position.
    let form = write_form(dir.path(), |f| {
        f.as_object_mut().unwrap().remove("applicant_name");
    });
    let out = yichuang(dir.path(), &["case", "accept", "--json", &form]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("applicant_name"), "{}", stderr(&out));

    std::fs::write(dir.path().join("broken.json"), "{ not json").unwrap();
    let out = yichuang(
        dir.path(),
        &[
            "case",
            "accept",
            "--json",
            dir.path().join("broken.json").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("JSON 格式有误（第1行"));
}

#[test]
fn missing_case_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let out = yichuang(dir.path(), &["case", "show", "NOPE", "--json"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("未找到办件 NOPE"));
    let out = yichuang(dir.path(), &["notice", "NOPE", "--pdf", "/dev/null"]);
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn data_dir_comes_from_the_environment_too() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::yichuang_cmd()
        .args(["desk", "set", "--clerk", "韩玥"])
        .env("YICHUANG_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("yichuang.db").exists());
    let out = yichuang(dir.path(), &["desk", "show"]);
    let p: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(p["clerk_name"], "韩玥");
}

/// `$YICHUANG_NOW` pins the clock of every command (the tests rely on it); a value that is not
/// a time is refused before the data directory is touched.
#[test]
fn the_clock_is_pinned_by_yichuang_now_and_a_bad_value_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let form = write_form(d, |_| {});
    let run = |now: &str, args: &[&str]| {
        common::yichuang_cmd()
            .arg("--data-dir")
            .arg(d)
            .args(args)
            .env_remove("YICHUANG_DATA_DIR")
            .env("YICHUANG_NOW", now)
            .output()
            .unwrap()
    };
    let out = run(
        "2025-03-03T09:00:00+08:00",
        &["case", "accept", "--json", &form],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let no = stdout(&out).trim().to_string();
    assert_eq!(&no[31..39], "20250303", "{no}");
    // Another instant, in another offset: hall time (UTC+8) is what counts.
    let out = run("2026-11-22T17:30:00Z", &["supervise", "pending", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let review: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(review["today"], "2026-11-23");
    let case: Value = serde_json::from_str(&stdout(&run(
        "2025-03-03T09:00:00+08:00",
        &["case", "show", &no, "--json"],
    )))
    .unwrap();
    assert!(
        case["acceptdate"]
            .as_str()
            .unwrap()
            .starts_with("2025-03-03 09:00"),
        "{case}"
    );

    let empty = tempfile::tempdir().unwrap();
    for bad in ["2026-11-23", "2026-11-23 10:00:00", "明天"] {
        let out = common::yichuang_cmd()
            .arg("--data-dir")
            .arg(empty.path())
            .args(["desk", "show"])
            .env("YICHUANG_NOW", bad)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("环境变量 YICHUANG_NOW 的值“{bad}”不是有效时间")),
            "{bad}: {}",
            stderr(&out)
        );
        assert!(!empty.path().join("yichuang.db").exists());
    }
}

fn required_nos() -> Vec<String> {
    let form: Value = serde_json::from_str(EXAMPLE).unwrap();
    form["materiallist"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["no"].as_str().unwrap().to_string())
        .collect()
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext is required: run .ci/setup");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn supplement_then_done_then_accept_by_number() {
    let dir = tempfile::tempdir().unwrap();
    let nos = required_nos();
    let missing = nos.last().unwrap().clone();
    let form = write_form(dir.path(), |f| {
        f["materiallist"].as_array_mut().unwrap().pop();
    });
    let request = dir.path().join("request.json");
    std::fs::write(
        &request,
        format!(r#"{{"materials":[{{"no":"{missing}","reason":"未提供原件"}}],"limit_days":5}}"#),
    )
    .unwrap();
    let pdf = dir.path().join("supplement.pdf");
    let out = yichuang(
        dir.path(),
        &[
            "case",
            "supplement",
            "--json",
            &form,
            "--request",
            request.to_str().unwrap(),
            "--pdf",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let no = stdout(&out).trim().to_string();
    let text = pdf_text(&pdf);
    assert!(
        text.contains("补齐补正通知书") && text.contains("未提供原件"),
        "{text}"
    );

    // Accepting now is not allowed in this state: exit 4.
    let out = yichuang(dir.path(), &["case", "accept", &no]);
    assert_eq!(out.status.code(), Some(4));
    assert!(
        stderr(&out).contains("办件当前为“待补正”，不能受理"),
        "{}",
        stderr(&out)
    );

    let brought = dir.path().join("brought.json");
    std::fs::write(
        &brought,
        format!(r#"{{"materiallist":[{{"no":"{missing}","sj_no":1}}]}}"#),
    )
    .unwrap();
    let out = yichuang(
        dir.path(),
        &[
            "case",
            "supplement-done",
            &no,
            "--json",
            brought.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let accepted = dir.path().join("accept.pdf");
    let out = yichuang(
        dir.path(),
        &["case", "accept", &no, "--pdf", accepted.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(pdf_text(&accepted).contains("受理通知书"));

    let out = yichuang(dir.path(), &["case", "show", &no, "--json"]);
    let case: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(case["state"], "accepted");
    let actions: Vec<&str> = case["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["补齐补正", "补正完成", "受理"]);
}

#[test]
fn receive_reject_and_cancel() {
    let dir = tempfile::tempdir().unwrap();
    let form = write_form(dir.path(), |_| {});
    let receipt = dir.path().join("receipt.pdf");
    let out = yichuang(
        dir.path(),
        &[
            "case",
            "receive",
            "--json",
            &form,
            "--pdf",
            receipt.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let no = stdout(&out).trim().to_string();
    assert!(pdf_text(&receipt).contains("收件凭证"));

    let out = yichuang(dir.path(), &["case", "reject", &no, "--reason", ""]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("请填写不予受理原因"),
        "{}",
        stderr(&out)
    );

    let out = yichuang(
        dir.path(),
        &["case", "reject", &no, "--reason", "不属于本机关职权范围"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let notice = dir.path().join("rejection.pdf");
    write_notice(dir.path(), &no, "rejection", &notice);
    let text = pdf_text(&notice);
    assert!(
        text.contains("不予受理通知书") && text.contains("不属于本机关职权范围"),
        "{text}"
    );

    // A rejected case cannot be cancelled; a received one can, with a reason.
    let out = yichuang(
        dir.path(),
        &["case", "cancel", &no, "--reason", "申请人撤回"],
    );
    assert_eq!(out.status.code(), Some(4));
    let out = yichuang(dir.path(), &["case", "receive", "--json", &form]);
    let second = stdout(&out).trim().to_string();
    let out = yichuang(
        dir.path(),
        &["case", "cancel", &second, "--reason", "申请人撤回"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = yichuang(dir.path(), &["case", "show", &second, "--json"]);
    let case: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(case["state"], "withdrawn");
    assert_eq!(case["documents"][0]["kind"], "receipt");
}

#[test]
fn catalog_exports_and_imports_as_xlsx_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("catalog.xlsx");
    let json = dir.path().join("catalog.json");
    assert!(
        yichuang(dir.path(), &["catalog", "export", xlsx.to_str().unwrap()])
            .status
            .success()
    );
    assert!(
        yichuang(dir.path(), &["catalog", "export", json.to_str().unwrap()])
            .status
            .success()
    );
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));

    let other = tempfile::tempdir().unwrap();
    let out = yichuang(other.path(), &["catalog", "import", xlsx.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let a = stdout(&yichuang(dir.path(), &["catalog", "list", "--json"]));
    let b = stdout(&yichuang(other.path(), &["catalog", "list", "--json"]));
    assert_eq!(a, b);

    // A broken file is refused and the catalog stays as it was.
    std::fs::write(
        dir.path().join("bad.json"),
        r#"{"version":"x","area_no":"650102","items":[]}"#,
    )
    .unwrap();
    let out = yichuang(
        other.path(),
        &[
            "catalog",
            "import",
            dir.path().join("bad.json").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("目录中没有事项"), "{}", stderr(&out));
    assert_eq!(
        stdout(&yichuang(other.path(), &["catalog", "list", "--json"])),
        b
    );
}

#[test]
fn special_procedures_extensions_and_state_filter() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = yichuang(
        d,
        &[
            "case",
            "accept",
            "--json",
            "../../../assets/examples/accept.json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let no = stdout(&out).trim().to_string();
    let show = |d: &Path| -> Value {
        let out = yichuang(d, &["case", "show", &no, "--json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_str(&stdout(&out)).unwrap()
    };
    let before = show(d)["promised_date"].as_str().unwrap().to_string();

    let out = yichuang(
        d,
        &[
            "case",
            "suspend",
            &no,
            "--name",
            "专家评审",
            "--reason",
            "技术方案需专家论证",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let case = show(d);
    assert_eq!(case["state"], "suspended");
    assert_eq!(case["clock_paused"], true);
    assert_eq!(case["clock"][0]["special_name"], "专家评审");

    // Not while the procedure runs; a clear message and exit code 4.
    let out = yichuang(d, &["case", "accept", &no]);
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("特别程序中"), "{}", stderr(&out));

    let out = yichuang(d, &["case", "resume", &no, "--result", "专家评审通过"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(show(d)["state"], "accepted");

    let out = yichuang(
        d,
        &["case", "extend", &no, "--amount", "999", "--reason", "复杂"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("延长时限"), "{}", stderr(&out));
    let out = yichuang(
        d,
        &[
            "case",
            "extend",
            &no,
            "--amount",
            "1",
            "--reason",
            "经批准延长",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let after = show(d)["promised_date"].as_str().unwrap().to_string();
    assert!(after > before, "{after} should be later than {before}");
    let text = stdout(&yichuang(d, &["case", "show", &no]));
    assert!(text.contains(&format!("{after}前")), "{text}");

    let list = |state: &str| -> Vec<Value> {
        let out = yichuang(d, &["case", "list", "--state", state, "--json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_str(&stdout(&out)).unwrap()
    };
    assert_eq!(list("accepted").len(), 1);
    assert!(list("suspended").is_empty());
    let out = yichuang(d, &["case", "list", "--state", "done"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("未知的办件状态"), "{}", stderr(&out));
}

#[test]
fn the_hall_logo_and_seal_go_on_new_documents() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = yichuang(d, &["desk", "set", "--seal", "../../../README.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("印章图片"), "{}", stderr(&out));
    assert!(stderr(&out).contains("不是 PNG"), "{}", stderr(&out));

    let out = yichuang(
        d,
        &[
            "desk",
            "set",
            "--logo",
            "../../../assets/branding/demo-logo.png",
            "--seal",
            "../../../assets/branding/demo-seal.png",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let profile: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(profile["has_logo"], true);
    assert_eq!(profile["has_seal"], true);

    let pdf = d.join("a.pdf");
    let out = yichuang(
        d,
        &[
            "case",
            "accept",
            "--json",
            "../../../assets/examples/accept.json",
            "--pdf",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let images = Command::new("pdfimages")
        .arg("-list")
        .arg(&pdf)
        .output()
        .expect("pdfimages (poppler-utils)");
    let list = String::from_utf8_lossy(&images.stdout);
    let images = list
        .lines()
        .filter(|l| l.split_whitespace().nth(2) == Some("image"))
        .count();
    assert_eq!(images, 2, "{list}");
    // The seal replaces the placeholder text.
    assert!(!pdf_text(&pdf).contains("（受理专用章）"));

    let out = yichuang(d, &["desk", "set", "--no-seal", "--no-logo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let profile: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(profile["has_seal"], false);
}

/// `yichuang hub-sim` serves the simulator and loads a scenario file.
#[test]
fn hub_sim_serves_and_reports() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpStream;
    use std::process::Stdio;
    use std::time::Duration;

    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../assets/examples/hub-scenario.json"
    );
    let mut child = common::yichuang_cmd()
        .args([
            "hub-sim",
            "--listen",
            "127.0.0.1:0",
            "--token",
            "t-cli",
            "--scenario",
            scenario,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start hub-sim");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(Duration::from_secs(20));
    let base = match line {
        Ok(l) => l.trim().to_string(),
        Err(_) => {
            let _ = child.kill();
            panic!("hub-sim printed no address within 20 s");
        }
    };
    let addr = base.trim_start_matches("http://").to_string();
    let get = |path: &str| -> String {
        let mut s = TcpStream::connect(&addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    };
    let health = get("/sim/health");
    let received = get("/sim/received");
    let _ = child.kill();
    let _ = child.wait();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains(r#"{"ok":true}"#), "{health}");
    assert!(received.contains(r#""received":[]"#), "{received}");
}

#[test]
fn hub_url_comes_from_hub_json_unless_the_environment_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = yichuang(
        d,
        &[
            "hub",
            "config",
            "--url",
            "http://127.0.0.1:9/",
            "--token",
            "tok-7f3a9c",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // The token is kept sealed, never in plain text.
    let file = std::fs::read_to_string(d.join("hub.json")).unwrap();
    // Stored without the trailing slash.
    assert!(file.contains("\"http://127.0.0.1:9\""), "{file}");
    assert!(!file.contains("tok-7f3a9c"), "{file}");

    let show = |env: Option<&str>| -> Value {
        let mut cmd = common::yichuang_cmd();
        cmd.arg("--data-dir").arg(d).args(["hub", "show"]);
        cmd.env_remove("YICHUANG_DATA_DIR")
            .env_remove("YICHUANG_HUB_URL");
        if let Some(url) = env {
            cmd.env("YICHUANG_HUB_URL", url);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_str(&stdout(&out)).unwrap()
    };
    assert_eq!(show(None)["base_url"], "http://127.0.0.1:9");
    assert_eq!(
        show(Some("http://127.0.0.1:7777"))["base_url"],
        "http://127.0.0.1:7777"
    );
    assert!(!show(None).to_string().contains("tok-7f3a9c"));
}

#[test]
fn material_attach_stores_scanned_pages_and_refuses_a_bad_file_by_name() {
    use yichuang_scan::device::Page;
    let dir = tempfile::tempdir().unwrap();
    let form = write_form(dir.path(), |_| {});
    let out = yichuang(dir.path(), &["case", "receive", "--json", &form]);
    assert!(out.status.success(), "{}", stderr(&out));
    let no = stdout(&out).trim().to_string();
    let case: Value = serde_json::from_str(&stdout(&yichuang(
        dir.path(),
        &["case", "show", &no, "--json"],
    )))
    .unwrap();
    let material = case["materials"][0]["no"].as_str().unwrap().to_string();

    // A 300-dpi A4 scan, and a file that only pretends to be one.
    let page = Page {
        image: image::DynamicImage::ImageLuma8(yichuang_scan::synth::text_page(2480, 3508, 7)),
        dpi: Some(300),
    };
    let jpeg = yichuang_scan::pipeline::encode_jpeg(&page, 80)
        .unwrap()
        .bytes;
    let good = dir.path().join("scan.jpg");
    std::fs::write(&good, &jpeg).unwrap();
    let fake = dir.path().join("fake.jpg");
    std::fs::write(&fake, b"this is not an image").unwrap();
    let g = good.to_str().unwrap();
    let f = fake.to_str().unwrap();

    let out = yichuang(
        dir.path(),
        &["material", "attach", &no, "--material", &material, g, f],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("fake.jpg"), "{}", stderr(&out));
    let listed = stdout(&yichuang(dir.path(), &["material", "list", &no, "--json"]));
    assert_eq!(listed.trim(), "[]", "nothing stored after a refusal");

    let out = yichuang(
        dir.path(),
        &["material", "attach", &no, "--material", &material, g],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let listed: Value = serde_json::from_str(&stdout(&yichuang(
        dir.path(),
        &["material", "list", &no, "--json"],
    )))
    .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["dpi"], 300);
    assert_eq!(listed[0]["paper"], "A4");
    let pdf = dir.path().join("m.pdf");
    let out = yichuang(
        dir.path(),
        &[
            "material",
            "pdf",
            &no,
            "--material",
            &material,
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    // An unknown material is named.
    let out = yichuang(
        dir.path(),
        &["material", "attach", &no, "--material", "NO-SUCH", g],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("NO-SUCH"), "{}", stderr(&out));
}

#[test]
fn device_settings_and_page_edits_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = yichuang(
        dir.path(),
        &["device", "set", "--dpi", "100", "--paper", "B5"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("200 至 600"), "{}", stderr(&out));
    let out = yichuang(
        dir.path(),
        &[
            "device",
            "set",
            "--device",
            "sane:test:0",
            "--dpi",
            "200",
            "--adf",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let s: Value =
        serde_json::from_str(&stdout(&yichuang(dir.path(), &["device", "show"]))).unwrap();
    assert_eq!(
        (s["device"].as_str(), s["dpi"].as_u64(), s["adf"].as_bool()),
        (Some("sane:test:0"), Some(200), Some(true))
    );
    let out = yichuang(dir.path(), &["material", "pages", "delete", "NOPE", "1"]);
    assert_eq!(out.status.code(), Some(3));
    let out = yichuang(
        dir.path(),
        &["material", "pages", "rotate", "NOPE", "1", "--turns", "4"],
    );
    assert_eq!(out.status.code(), Some(2));
}
