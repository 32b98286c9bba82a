//! `yichuang share …` and `yichuang case submit` as processes against the hub simulator's
//! departments (real loopback HTTP): the electronic and the paper path, the 受理中 list, the
//! 临时回执, the method change and the cancellation, with their exit codes.

mod common;

use std::path::Path;
use std::process::Output;

use yichuang_core::idcard::testdata;
use yichuang_hub::sim::{self, SimConfig};

const ITEM: &str = "20011200400011650102030128283R0";

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn intake(dir: &Path, name: &str, rng: &mut fastrand::Rng, share: Option<&str>) -> String {
    let mut m03 = serde_json::json!({"no": "M03", "sj_no": 1});
    if let Some(s) = share {
        m03["share"] = serde_json::json!(s);
    }
    let form = serde_json::json!({
        "dept_ql_reg_no": ITEM,
        "applicant_name": testdata::random_name(rng),
        "applicant_paper_type": "0",
        "applicant_paper_code": testdata::random_id(rng),
        "applicant_mobile": testdata::random_mobile(rng),
        "delivery_method": "window",
        "materiallist": [{"no": "M01", "sj_no": 1}, {"no": "M02", "sj_no": 1}, m03]
    });
    let path = dir.join(name);
    std::fs::write(&path, form.to_string()).unwrap();
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_fetches_materials_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sim = sim::serve(SimConfig::default(), listener).await.unwrap();
    let url = sim.base_url();
    let mut rng = fastrand::Rng::with_seed(4100);
    let electronic = intake(d, "e.json", &mut rng, Some("electronic"));
    let paper = intake(d, "p.json", &mut rng, Some("paper"));
    let plain = intake(d, "n.json", &mut rng, None);
    let third = intake(d, "t.json", &mut rng, Some("electronic"));

    // The blocking CLI runs off the runtime that serves the simulator.
    let sim_ref = &sim;

    ok(
        &common::yichuang_blocking(d, &["hub", "config", "--url", &url, "--token", "sim-token"])
            .await,
    );

    // 帮我传 query: both channels of M03.
    let out = ok(&common::yichuang_blocking(d, &["share", "query", "--json", &electronic]).await);
    assert!(
        out.contains("M03\t居民户口簿\t电子材料共享\t可共享"),
        "{out}"
    );
    assert!(
        out.contains("M03\t居民户口簿\t纸档材料共享\t可共享"),
        "{out}"
    );

    // Nothing to fetch: exit 2.
    let out = common::yichuang_blocking(d, &["case", "submit", "--json", &plain]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("请直接受理"));

    // Electronic: submitted into 受理中 with a 临时回执.
    let receipt = d.join("temp.pdf").display().to_string();
    let no = ok(&common::yichuang_blocking(
        d,
        &["case", "submit", "--json", &electronic, "--pdf", &receipt],
    )
    .await)
    .trim()
    .to_string();
    assert!(std::fs::read(&receipt).unwrap().starts_with(b"%PDF"));
    let again = d.join("temp2.pdf").display().to_string();
    ok(&common::yichuang_blocking(
        d,
        &[
            "notice",
            &no,
            "--kind",
            "temporary-receipt",
            "--pdf",
            &again,
        ],
    )
    .await);
    let out = ok(&common::yichuang_blocking(d, &["share", "status"]).await);
    assert!(
        out.contains(&no) && out.contains("待共享") && out.contains("正常"),
        "{out}"
    );
    let out =
        ok(&common::yichuang_blocking(d, &["case", "list", "--state", "in_acceptance"]).await);
    assert!(out.contains(&no), "{out}");
    // Not a paper material: nothing to sign in (exit 3).
    let out = common::yichuang_blocking(
        d,
        &["share", "signin", &no, "--material", "M03", "--code", "X"],
    )
    .await;
    assert_eq!(out.status.code(), Some(3));

    ok(&common::yichuang_blocking(d, &["sync", "--once"]).await);
    let out = ok(&common::yichuang_blocking(d, &["share", "status", &no]).await);
    assert!(out.contains("已受理") && out.contains("已完成"), "{out}");
    let file = d.join("hukou.pdf").display().to_string();
    ok(&common::yichuang_blocking(
        d,
        &["share", "file", &no, "--material", "M03", "--out", &file],
    )
    .await);
    assert!(std::fs::read(&file).unwrap().starts_with(b"%PDF"));

    // Paper: signed out by the department, signed in with the code on the paper.
    let pno = ok(&common::yichuang_blocking(d, &["case", "submit", "--json", &paper]).await)
        .trim()
        .to_string();
    ok(&common::yichuang_blocking(d, &["sync", "--once"]).await);
    let status: serde_json::Value = serde_json::from_str(&ok(&common::yichuang_blocking(
        d,
        &["share", "status", &pno, "--json"],
    )
    .await))
    .unwrap();
    let share_id = status["shares"][0]["share_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(status["shares"][0]["status"], "awaiting_sign_out");
    let code = sim_ref.sign_out(&share_id, "档案馆签出员").unwrap();
    ok(&common::yichuang_blocking(d, &["sync", "--once"]).await);
    let out = common::yichuang_blocking(
        d,
        &[
            "share",
            "signin",
            &pno,
            "--material",
            "M03",
            "--code",
            "ZD0000",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "the wrong paper");
    assert!(String::from_utf8_lossy(&out.stderr).contains("不符"));
    let out = ok(&common::yichuang_blocking(
        d,
        &[
            "share",
            "signin",
            &pno,
            "--material",
            "M03",
            "--code",
            &code,
        ],
    )
    .await);
    assert!(out.contains("已受理"), "{out}");

    // Method change, then cancel.
    let tno = ok(&common::yichuang_blocking(d, &["case", "submit", "--json", &third]).await)
        .trim()
        .to_string();
    let out = ok(&common::yichuang_blocking(
        d,
        &[
            "share",
            "method",
            &tno,
            "--material",
            "M03",
            "--method",
            "paper",
        ],
    )
    .await);
    assert!(out.contains("纸档材料共享\t待签出"), "{out}");
    let out = common::yichuang_blocking(
        d,
        &[
            "share",
            "apply",
            &tno,
            "--material",
            "M03",
            "--method",
            "counter",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    let out = common::yichuang_blocking(
        d,
        &[
            "share",
            "method",
            &tno,
            "--material",
            "M01",
            "--method",
            "paper",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "M01 has no paper channel");
    let out = ok(&common::yichuang_blocking(
        d,
        &["share", "cancel", &tno, "--reason", "申请人决定暂不办理"],
    )
    .await);
    assert!(out.contains("已撤回"), "{out}");
    let out =
        common::yichuang_blocking(d, &["share", "cancel", &tno, "--reason", "再次取消"]).await;
    assert_eq!(out.status.code(), Some(4));
    let out = ok(&common::yichuang_blocking(d, &["share", "status"]).await);
    assert!(out.trim().is_empty(), "nothing left in 受理中: {out}");
    sim.shutdown().await;
}
