//! The window's commands through Tauri's mock runtime: the same command list as the app,
//! invoked over IPC with JSON, answered by the real core and store.

use serde_json::{Value, json};
use std::sync::Arc;
use tauri::Manager;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use yichuang_app::{AppState, register};

use yichuang_core::Desk;
use yichuang_core::accounts::{NewAccount, Role};
use yichuang_core::time::Clock;

struct Harness {
    _dir: tempfile::TempDir,
    webview: tauri::WebviewWindow<tauri::test::MockRuntime>,
    _app: tauri::App<tauri::test::MockRuntime>,
}

const PW: &str = "Staff2026x";

/// The desk's people: `admin` (first run), and one account per role, all with [`PW`]:
/// `clerk03` 李娜 (window 03), `super`, `trainer`, and `staff` holding every role (the
/// older command tests act as `staff`).
fn staff_accounts(desk: &Desk) {
    tauri::async_runtime::block_on(async {
        desk.bootstrap_admin("admin", "王管理", PW).await.unwrap();
        let admin = desk.sign_in("admin", PW).await.unwrap();
        for (login, name, window, roles) in [
            ("clerk03", "李娜", "03", vec![Role::Clerk]),
            ("super", "督办员", "", vec![Role::Supervisor]),
            ("trainer", "培训师", "", vec![Role::Trainer]),
            ("staff", "全能", "09", Role::ALL.to_vec()),
        ] {
            let new = NewAccount {
                login: login.into(),
                display_name: name.into(),
                window_no: window.into(),
                roles,
                password: PW.into(),
            };
            desk.create_account(&admin, &new).await.unwrap();
        }
        desk.sign_out(&admin).await.unwrap();
    });
}

fn build(dir: tempfile::TempDir, state: AppState) -> Harness {
    let app = register(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .unwrap();
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    Harness {
        _dir: dir,
        webview,
        _app: app,
    }
}

/// Where the desks' clocks of these tests start: a Monday, a working day of a year whose
/// official holidays are bundled, so that no outcome depends on the day the tests run.
const START: &str = "2026-11-23T10:00:00+08:00";

/// A desk's clock that starts at [`START`] when it is made and runs on with real (monotonic)
/// time, as the sync worker needs; `shift` moves it forward.
struct TestClock {
    started: std::time::Instant,
    shift_seconds: std::sync::atomic::AtomicI64,
}

impl TestClock {
    fn shared() -> Arc<TestClock> {
        Arc::new(TestClock {
            started: std::time::Instant::now(),
            shift_seconds: Default::default(),
        })
    }

    fn shift(&self, seconds: i64) {
        self.shift_seconds
            .fetch_add(seconds, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now(&self) -> chrono::DateTime<chrono::FixedOffset> {
        let shift = self.shift_seconds.load(std::sync::atomic::Ordering::SeqCst);
        chrono::DateTime::parse_from_rfc3339(START).unwrap()
            + chrono::Duration::from_std(self.started.elapsed()).unwrap()
            + chrono::Duration::seconds(shift)
    }
}

/// A desk with its staff, nobody signed in yet.
fn signed_out() -> Harness {
    signed_out_on(TestClock::shared())
}

/// The same, on a clock the test moves.
fn signed_out_on(clock: Arc<TestClock>) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let desk = tauri::async_runtime::block_on(Desk::open_with_clock(dir.path(), clock)).unwrap();
    staff_accounts(&desk);
    build(dir, AppState::offline(desk, false))
}

fn sign_in(h: &Harness, login: &str) -> Value {
    invoke(h, "sign_in", json!({ "login": login, "password": PW })).unwrap()
}

/// A desk with its staff, `staff` (every role) signed in.
fn harness() -> Harness {
    let h = signed_out();
    sign_in(&h, "staff");
    h
}

fn invoke(h: &Harness, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        &h.webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().unwrap())
}

fn valid_form(h: &Harness) -> Value {
    let catalog = invoke(h, "catalog_list", json!({})).unwrap();
    let item = &catalog[0];
    let materials: Vec<Value> = item["materials"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["sj_file_if"] == json!(true))
        .map(|m| json!({ "no": m["no"], "sj_no": m["sj_no"] }))
        .collect();
    json!({
        "dept_ql_reg_no": item["dept_ql_reg_no"],
        "applicant_type": "01",
        "applicant_name": "吴珺",
        "applicant_paper_type": "0",
        "applicant_paper_code": "11010519491231002X",
        "applicant_mobile": "13912345678",
        "delivery_method": item["delivery_methods"][0],
        "materiallist": materials,
    })
}

#[test]
fn accept_then_read_back_through_commands() {
    let h = harness();
    let form = valid_form(&h);
    assert_eq!(
        invoke(&h, "validate_intake", json!({ "form": form })).unwrap(),
        json!([])
    );
    let out = invoke(&h, "accept_case", json!({ "form": form })).unwrap();
    let no = out["project_no"].as_str().unwrap().to_string();
    assert!(no.starts_with(form["dept_ql_reg_no"].as_str().unwrap()));
    assert_eq!(out["case"]["state"], "accepted");

    let list = invoke(&h, "list_cases", json!({ "search": null })).unwrap();
    assert_eq!(list[0]["project_no"], no.as_str());
    assert_eq!(list[0]["applicant_paper_code_masked"], "110105********002X");

    let case = invoke(&h, "get_case", json!({ "projectNo": no })).unwrap();
    assert_eq!(case["applicant_name"], "吴珺");

    let path = invoke(
        &h,
        "export_notice",
        json!({ "projectNo": no, "kind": "acceptance" }),
    )
    .unwrap();
    let bytes = std::fs::read(path.as_str().unwrap()).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));

    let state = h.webview.state::<AppState>();
    assert!(!state.demo);
}

#[test]
fn validation_errors_reach_the_window_typed() {
    let h = harness();
    let mut form = valid_form(&h);
    form["applicant_paper_code"] = json!("110105194912310021");
    form["applicant_mobile"] = json!("12345");
    let errors = invoke(&h, "validate_intake", json!({ "form": form })).unwrap();
    assert_eq!(errors[0]["field"], "applicant_paper_code");
    assert_eq!(errors[1]["field"], "applicant_mobile");

    let err = invoke(&h, "accept_case", json!({ "form": form })).unwrap_err();
    assert_eq!(err["kind"], "validation");
    assert_eq!(err["errors"][0]["label"], "证件号码");
    assert!(
        err["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("校验码")
    );
    assert!(
        invoke(&h, "list_cases", json!({ "search": null }))
            .unwrap()
            .as_array()
            .unwrap()
            .is_empty()
    );

    form["applicant_paper_code"] = json!("11010519491231002X");
    form["applicant_mobile"] = json!("13912345678");
    form["dept_ql_reg_no"] = json!("0".repeat(31));
    let err = invoke(&h, "accept_case", json!({ "form": form })).unwrap_err();
    assert_eq!(err["errors"][0]["field"], "dept_ql_reg_no");
}

#[test]
fn workflow_actions_through_commands() {
    let h = harness();
    let form = valid_form(&h);
    let out = invoke(
        &h,
        "intake_case",
        json!({ "form": form, "decision": { "action": "receive" } }),
    )
    .unwrap();
    assert_eq!(out["case"]["state"], "received");
    assert_eq!(out["document"], "receipt");
    let no = out["project_no"].as_str().unwrap().to_string();

    let err = invoke(&h, "act_on_case", json!({ "projectNo": no, "action": { "action": "complete_supplement", "materiallist": [] } }))
        .unwrap_err();
    assert_eq!(err["kind"], "conflict");
    assert_eq!(
        err["message"],
        "不允许的操作：办件当前为“已收件”，不能补正完成"
    );

    let err = invoke(
        &h,
        "act_on_case",
        json!({ "projectNo": no, "action": { "action": "reject", "reason": "" } }),
    )
    .unwrap_err();
    assert_eq!(err["errors"][0]["field"], "reason");

    let out = invoke(&h, "act_on_case", json!({ "projectNo": no, "action": { "action": "reject", "reason": "不属于本机关职权范围" } }))
        .unwrap();
    assert_eq!(out["case"]["state"], "rejected");
    assert_eq!(out["document"], "rejection");
    assert_eq!(out["case"]["history"][1]["opinion"], "不属于本机关职权范围");
}

#[test]
fn drafts_survive_and_are_sealed() {
    let h = harness();
    assert_eq!(invoke(&h, "load_draft", json!({})).unwrap(), Value::Null);
    let mut form = valid_form(&h);
    form["applicant_paper_code"] = json!("1101051949");
    invoke(&h, "save_draft", json!({ "form": form })).unwrap();
    let draft = invoke(&h, "load_draft", json!({})).unwrap();
    for field in [
        "applicant_name",
        "applicant_paper_code",
        "dept_ql_reg_no",
        "delivery_method",
    ] {
        assert_eq!(draft[field], form[field], "{field}");
    }
    assert_eq!(
        draft["materiallist"].as_array().unwrap().len(),
        form["materiallist"].as_array().unwrap().len()
    );
    let db = std::fs::read(h._dir.path().join("yichuang.db-wal")).unwrap_or_default();
    assert!(!db.windows(10).any(|w| w == b"1101051949"));
    invoke(&h, "clear_draft", json!({})).unwrap();
    assert_eq!(invoke(&h, "load_draft", json!({})).unwrap(), Value::Null);
}

#[test]
fn missing_case_is_not_found() {
    let h = harness();
    let err = invoke(&h, "get_case", json!({ "projectNo": "X" })).unwrap_err();
    assert_eq!(err["kind"], "not_found");
    let err = invoke(
        &h,
        "notice_pdf",
        json!({ "projectNo": "X", "kind": "acceptance" }),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "not_found");
}

#[test]
fn desk_profile_round_trips_and_is_checked() {
    let h = harness();
    let mut p = invoke(&h, "desk_profile", json!({})).unwrap();
    p["clerk_name"] = json!("郑犇");
    p["window_no"] = json!("07");
    let saved = invoke(&h, "update_desk_profile", json!({ "profile": p })).unwrap();
    assert_eq!(saved["clerk_name"], "郑犇");
    p["clerk_name"] = json!("");
    let err = invoke(&h, "update_desk_profile", json!({ "profile": p })).unwrap_err();
    assert_eq!(err["errors"][0]["field"], "clerk_name");
    let info = invoke(&h, "app_info", json!({})).unwrap();
    assert_eq!(info["demo"], false);
}

#[test]
fn admin_commands_hall_images_and_catalog() {
    let h = harness();
    // A file that is not a PNG is refused, named by its field.
    let err = invoke(
        &h,
        "set_hall_image",
        json!({ "kind": "seal", "png": b"not a png".to_vec() }),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "validation");
    assert_eq!(err["errors"][0]["field"], "seal");
    assert_eq!(err["errors"][0]["label"], "印章图片");

    let seal = include_bytes!("../../assets/branding/demo-seal.png").to_vec();
    let profile = invoke(
        &h,
        "set_hall_image",
        json!({ "kind": "seal", "png": seal.clone() }),
    )
    .unwrap();
    assert_eq!(profile["has_seal"], true);
    assert_eq!(profile["has_logo"], false);
    let back: Vec<u8> =
        serde_json::from_value(invoke(&h, "hall_image", json!({ "kind": "seal" })).unwrap())
            .unwrap();
    assert_eq!(back, seal);
    let profile = invoke(&h, "set_hall_image", json!({ "kind": "seal", "png": null })).unwrap();
    assert_eq!(profile["has_seal"], false);

    // Export writes a file; importing it back gives the same catalog.
    let before = invoke(&h, "catalog_list", json!({})).unwrap();
    let path = invoke(&h, "export_catalog", json!({ "xlsx": true })).unwrap();
    let bytes = std::fs::read(path.as_str().unwrap()).unwrap();
    let n = invoke(&h, "import_catalog", json!({ "bytes": bytes })).unwrap();
    assert_eq!(
        n.as_u64().unwrap() as usize,
        before.as_array().unwrap().len()
    );
    assert_eq!(invoke(&h, "catalog_list", json!({})).unwrap(), before);
    let err = invoke(
        &h,
        "import_catalog",
        json!({ "bytes": b"{\"items\": 3}".to_vec() }),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "validation", "{err}");
}

#[test]
fn state_filter_preview_date_and_clock_actions() {
    let h = harness();
    let form = valid_form(&h);
    let preview = invoke(
        &h,
        "promised_date_preview",
        json!({ "deptQlRegNo": form["dept_ql_reg_no"] }),
    )
    .unwrap();
    let out = invoke(&h, "accept_case", json!({ "form": form })).unwrap();
    let no = out["project_no"].as_str().unwrap().to_string();
    assert_eq!(out["case"]["promised_date"], preview["date"]);
    assert_eq!(
        out["case"]["promised_date_estimate"], preview["estimate"],
        "the preview and the case agree on whether the date is an estimate"
    );

    let out = invoke(
        &h,
        "act_on_case",
        json!({ "projectNo": no, "action": { "action": "suspend", "special_name": "现场勘验", "reason": "需实地核查经营场所" } }),
    )
    .unwrap();
    assert_eq!(out["case"]["state"], "suspended");
    let suspended = invoke(
        &h,
        "list_cases",
        json!({ "search": null, "stateFilter": "suspended" }),
    )
    .unwrap();
    assert_eq!(suspended.as_array().unwrap().len(), 1);
    let accepted = invoke(
        &h,
        "list_cases",
        json!({ "search": null, "stateFilter": "accepted" }),
    )
    .unwrap();
    assert!(accepted.as_array().unwrap().is_empty());

    // A receipt needs no complete material list; acceptance does.
    let mut partial = valid_form(&h);
    partial["materiallist"] = json!([]);
    let for_accept = invoke(&h, "validate_intake", json!({ "form": partial })).unwrap();
    assert_eq!(for_accept[0]["field"], "materiallist");
    let for_receipt = invoke(
        &h,
        "validate_intake",
        json!({ "form": partial, "forAcceptance": false }),
    )
    .unwrap();
    assert_eq!(for_receipt, json!([]));
}

#[test]
fn without_a_hub_cases_wait_in_the_queue() {
    let h = harness();
    let info = invoke(&h, "app_info", json!({})).unwrap();
    assert_eq!(info["hub_connected"], false);
    let form = valid_form(&h);
    invoke(&h, "accept_case", json!({ "form": form })).unwrap();
    let status = invoke(&h, "sync_now", json!({})).unwrap();
    assert_eq!(status["outbox"]["pending"], 1);
    assert_eq!(status["online"], false);
}

#[test]
fn the_demo_hub_receives_an_accepted_case() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, connected) = tauri::async_runtime::block_on(async {
        let desk = Desk::open_with_clock(dir.path(), TestClock::shared())
            .await
            .unwrap();
        let connected = yichuang_app::connect_hub(&desk, true).await.unwrap();
        (desk, connected)
    });
    let (sync, hub_sim, _) = connected;
    assert!(sync.is_some() && hub_sim.is_some());
    staff_accounts(&desk);
    let h = build(
        dir,
        AppState {
            desk,
            demo: true,
            sync,
            hub_sim,
            session: Default::default(),
        },
    );
    sign_in(&h, "staff");
    let out = invoke(&h, "accept_case", json!({ "form": valid_form(&h) })).unwrap();
    assert_eq!(out["case"]["sync"]["state"], "pending");
    let status = invoke(&h, "sync_now", json!({})).unwrap();
    assert_eq!(status["online"], true, "{status}");
    assert_eq!(status["outbox"]["delivered"], 1, "{status}");
    let case = invoke(&h, "get_case", json!({ "projectNo": out["project_no"] })).unwrap();
    assert_eq!(case["sync"]["state"], "synced");
    assert_eq!(case["sync"]["cd_sign"], "1");
    let dead = invoke(&h, "outbox_list", json!({ "status": "dead" })).unwrap();
    assert_eq!(dead, json!([]));
    // The call is in the log, with the applicant's ID number masked.
    let log = invoke(&h, "call_log", json!({ "failuresOnly": false })).unwrap();
    let first = &log[0];
    assert_eq!(first["outcome"], "ok", "{first}");
    let text = log.to_string();
    assert!(!text.contains("11010519491231002X"), "{text}");
    let failures = invoke(&h, "call_log", json!({ "failuresOnly": true })).unwrap();
    assert_eq!(failures, json!([]));
}

/// The error kind of a refused command.
fn refused(h: &Harness, cmd: &str, args: Value) -> String {
    let err = invoke(h, cmd, args).unwrap_err();
    err["kind"].as_str().unwrap().to_string()
}

#[test]
fn no_session_is_unauthenticated_and_auth_commands_stay_open() {
    let h = signed_out();
    let info = invoke(&h, "app_info", json!({})).unwrap();
    assert_eq!(info["demo"], false);
    let status = invoke(&h, "auth_status", json!({})).unwrap();
    assert_eq!(status["has_accounts"], true);
    assert_eq!(status["account"], Value::Null);
    assert_eq!(status["demo_accounts"], json!([]));
    for (cmd, args) in [
        ("catalog_list", json!({})),
        ("list_cases", json!({ "search": null })),
        ("load_draft", json!({})),
        ("call_log", json!({ "failuresOnly": false })),
        ("list_accounts", json!({})),
    ] {
        let err = invoke(&h, cmd, args).unwrap_err();
        assert_eq!(err["kind"], "unauthenticated", "{cmd}");
        assert_eq!(err["message"], "请先登录", "{cmd}");
    }
    let err = invoke(
        &h,
        "sign_in",
        json!({ "login": "clerk03", "password": "wrong2026x" }),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "unauthenticated");
    assert_eq!(err["message"], "登录名或密码错误");
}

#[test]
fn a_clerk_takes_in_cases_but_cannot_open_the_call_log_or_settings() {
    let h = signed_out();
    let status = sign_in(&h, "clerk03");
    assert_eq!(status["account"]["display_name"], "李娜");
    assert_eq!(status["locked"], false);
    let perms = status["permissions"].as_array().unwrap();
    assert!(perms.contains(&json!("intake")) && !perms.contains(&json!("view_call_log")));

    let form = valid_form(&h);
    let out = invoke(&h, "accept_case", json!({ "form": form })).unwrap();
    // The case and its history record the signed-in clerk and her window.
    assert_eq!(out["case"]["acceptusername"], "李娜");
    assert_eq!(out["case"]["window_no"], "03");
    assert_eq!(out["case"]["history"][0]["actor"], "李娜");

    assert_eq!(
        refused(&h, "call_log", json!({ "failuresOnly": false })),
        "forbidden"
    );
    let err = invoke(&h, "call_log", json!({ "failuresOnly": false })).unwrap_err();
    assert_eq!(
        err["message"],
        "当前账号（窗口人员）无权查看办件中心调用日志"
    );
    assert_eq!(refused(&h, "hub_inbox", json!({})), "forbidden");
    assert_eq!(refused(&h, "list_accounts", json!({})), "forbidden");
    let profile = invoke(&h, "desk_profile", json!({})).unwrap();
    assert_eq!(
        refused(&h, "update_desk_profile", json!({ "profile": profile })),
        "forbidden"
    );
    // The calendar: readable, but only an administrator imports.
    let overview = invoke(&h, "calendar_overview", json!({})).unwrap();
    assert!(
        overview["years"]
            .as_array()
            .unwrap()
            .iter()
            .any(|y| y["year"] == 2026 && y["official"] == true)
    );
    assert_eq!(
        refused(&h, "calendar_import", json!({ "text": "{}" })),
        "forbidden"
    );
    assert_eq!(
        refused(&h, "calendar_reminder_seen", json!({ "year": 2027 })),
        "forbidden"
    );
}

#[test]
fn a_supervisor_reads_cases_and_the_call_log_but_cannot_accept() {
    let h = signed_out();
    sign_in(&h, "super");
    let form = valid_form(&h);
    assert_eq!(
        refused(&h, "accept_case", json!({ "form": form })),
        "forbidden"
    );
    assert_eq!(
        refused(&h, "save_draft", json!({ "form": form })),
        "forbidden"
    );
    assert_eq!(
        refused(
            &h,
            "act_on_case",
            json!({ "projectNo": "X", "action": { "action": "accept" } })
        ),
        "forbidden"
    );
    invoke(&h, "list_cases", json!({ "search": null })).unwrap();
    invoke(&h, "call_log", json!({ "failuresOnly": false })).unwrap();
    assert_eq!(refused(&h, "outbox_retry", json!({ "id": 1 })), "forbidden");
}

#[test]
fn a_trainer_cannot_change_desk_settings() {
    let h = signed_out();
    sign_in(&h, "trainer");
    let profile = invoke(&h, "desk_profile", json!({})).unwrap();
    assert_eq!(
        refused(&h, "update_desk_profile", json!({ "profile": profile })),
        "forbidden"
    );
    assert_eq!(
        refused(&h, "import_catalog", json!({ "bytes": b"[]".to_vec() })),
        "forbidden"
    );
    assert_eq!(
        refused(
            &h,
            "set_id_reader_url",
            json!({ "url": "http://127.0.0.1:1" })
        ),
        "forbidden"
    );
    assert_eq!(
        refused(&h, "accept_case", json!({ "form": valid_form(&h) })),
        "forbidden"
    );
}

#[test]
fn an_admin_manages_accounts_and_settings_but_takes_in_no_case() {
    let h = signed_out();
    sign_in(&h, "admin");
    assert_eq!(
        refused(&h, "accept_case", json!({ "form": valid_form(&h) })),
        "forbidden"
    );
    assert_eq!(
        refused(
            &h,
            "intake_case",
            json!({ "form": valid_form(&h), "decision": { "action": "receive" } })
        ),
        "forbidden"
    );
    let mut profile = invoke(&h, "desk_profile", json!({})).unwrap();
    profile["hall_name"] = json!("测试政务服务中心");
    invoke(&h, "update_desk_profile", json!({ "profile": profile })).unwrap();

    // The calendar: a broken file is refused by entry; a good one makes its year official.
    let err = invoke(
        &h,
        "calendar_import",
        json!({ "text": r#"{"years":[2031],"holidays":[{"date":"2031-02-30","name":"春节"}],"workdays":[]}"# }),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "validation", "{err}");
    assert!(
        err["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("第1条"),
        "{err}"
    );
    let done = invoke(
        &h,
        "calendar_import",
        json!({ "text": r#"{"source":"测试","years":[2031],"holidays":[{"date":"2031-01-01","name":"元旦"}],"workdays":[]}"# }),
    )
    .unwrap();
    assert_eq!(done["years"], json!([2031]));
    invoke(&h, "calendar_reminder_seen", json!({ "year": 2031 })).unwrap();

    let accounts = invoke(&h, "list_accounts", json!({})).unwrap();
    assert_eq!(accounts.as_array().unwrap().len(), 5);
    let err = invoke(
        &h,
        "add_account",
        json!({ "account": { "login": "clerk04", "display_name": "周强", "window_no": "04",
                              "roles": ["clerk"], "password": "short" } }),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "validation");
    assert_eq!(err["errors"][0]["label"], "密码");
    let added = invoke(
        &h,
        "add_account",
        json!({ "account": { "login": "clerk04", "display_name": "周强", "window_no": "04",
                              "roles": ["clerk"], "password": "Zhou2026x" } }),
    )
    .unwrap();
    assert_eq!(added["active"], true);
    let off = invoke(
        &h,
        "set_account_active",
        json!({ "login": "clerk04", "active": false }),
    )
    .unwrap();
    assert_eq!(off["active"], false);
    invoke(
        &h,
        "set_account_active",
        json!({ "login": "clerk04", "active": true }),
    )
    .unwrap();
    invoke(
        &h,
        "reset_password",
        json!({ "login": "clerk04", "password": "Zhou2027x" }),
    )
    .unwrap();
    invoke(&h, "unlock_account", json!({ "login": "clerk04" })).unwrap();
    // The new clerk signs in with the reset password and acts as himself.
    let status = invoke(
        &h,
        "sign_in",
        json!({ "login": "clerk04", "password": "Zhou2027x" }),
    )
    .unwrap();
    assert_eq!(status["account"]["window_no"], "04");
    let out = invoke(&h, "accept_case", json!({ "form": valid_form(&h) })).unwrap();
    assert_eq!(out["case"]["acceptusername"], "周强");
}

#[test]
fn a_locked_session_is_unauthenticated_until_unlocked_and_sign_out_ends_it() {
    let clock = TestClock::shared();
    let h = signed_out_on(clock.clone());
    sign_in(&h, "clerk03");
    invoke(&h, "list_cases", json!({ "search": null })).unwrap();
    let state = h.webview.state::<AppState>();
    let session = state.session().unwrap();
    // 16 minutes without use: past the default 15.
    clock.shift(16 * 60);
    let status = invoke(&h, "auth_status", json!({})).unwrap();
    assert_eq!(status["locked"], true);
    assert_eq!(status["account"]["login"], "clerk03");
    let err = invoke(&h, "list_cases", json!({ "search": null })).unwrap_err();
    assert_eq!(err["kind"], "unauthenticated");
    assert!(
        err["message"].as_str().unwrap().contains("窗口已锁定"),
        "{err}"
    );
    let err = invoke(&h, "unlock_session", json!({ "password": "wrong2026x" })).unwrap_err();
    assert_eq!(err["message"], "登录名或密码错误");
    let status = invoke(&h, "unlock_session", json!({ "password": PW })).unwrap();
    assert_eq!(status["locked"], false);
    invoke(&h, "list_cases", json!({ "search": null })).unwrap();
    assert_eq!(state.session().unwrap().id, session.id);

    let status = invoke(&h, "sign_out", json!({})).unwrap();
    assert_eq!(status["account"], Value::Null);
    assert_eq!(
        refused(&h, "list_cases", json!({ "search": null })),
        "unauthenticated"
    );
}

#[test]
fn first_run_creates_the_admin_and_signs_it_in() {
    let dir = tempfile::tempdir().unwrap();
    let desk =
        tauri::async_runtime::block_on(Desk::open_with_clock(dir.path(), TestClock::shared()))
            .unwrap();
    let h = build(dir, AppState::offline(desk, false));
    let status = invoke(&h, "auth_status", json!({})).unwrap();
    assert_eq!(status["has_accounts"], false);
    let err = invoke(
        &h,
        "bootstrap_admin",
        json!({ "login": "admin", "name": "王管理", "password": "weak" }),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "validation");
    let status = invoke(
        &h,
        "bootstrap_admin",
        json!({ "login": "admin", "name": "王管理", "password": PW }),
    )
    .unwrap();
    assert_eq!(status["has_accounts"], true);
    assert_eq!(status["account"]["roles"], json!(["admin"]));
    // Only once.
    let err = invoke(
        &h,
        "bootstrap_admin",
        json!({ "login": "admin2", "name": "李管理", "password": PW }),
    )
    .unwrap_err();
    assert_ne!(err["kind"], Value::Null);
    invoke(&h, "list_accounts", json!({})).unwrap();
}

#[test]
fn capture_settings_and_page_commands() {
    let h = harness();
    let s = invoke(&h, "capture_settings", json!({})).unwrap();
    assert_eq!(s["device"], "file");
    let err = invoke(
        &h,
        "set_capture_settings",
        json!({ "settings": { "device": "epson", "dpi": 300, "mode": "gray", "page_size": "A4", "adf": false } }),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "validation");
    assert_eq!(err["errors"][0]["field"], "device");
    let saved = invoke(
        &h,
        "set_capture_settings",
        json!({ "settings": { "device": "v4l2:/dev/video-absent", "dpi": 300, "mode": "color", "page_size": "A3", "adf": false } }),
    )
    .unwrap();
    assert_eq!(saved["page_size"], "A3");

    let form = valid_form(&h);
    let out = invoke(&h, "accept_case", json!({ "form": form })).unwrap();
    let no = out["project_no"].as_str().unwrap().to_string();
    let material = out["case"]["materials"][0]["no"]
        .as_str()
        .unwrap()
        .to_string();
    // The chosen camera is not there: a device error with its Chinese message.
    let err = invoke(
        &h,
        "scan_material",
        json!({ "projectNo": no, "materialNo": material }),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "conflict");
    assert!(
        err["message"].as_str().unwrap().contains("设备未连接"),
        "{err}"
    );
    let err = invoke(
        &h,
        "rotate_material_page",
        json!({ "projectNo": no, "pageId": 99, "quarterTurns": 1 }),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "not_found");
    let err = invoke(
        &h,
        "reorder_material_pages",
        json!({ "projectNo": no, "materialNo": material, "pageIds": [1] }),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "validation");
}

#[test]
fn trainer_controls_through_commands() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, connected) = tauri::async_runtime::block_on(async {
        // Seeded and run from the same instant, whatever day the test runs: the warnings after
        // the clock moves depend on the working days in between.
        let clock = TestClock::shared();
        yichuang_core::demo::seed(dir.path(), clock.now(), yichuang_core::demo::DEMO_SEED)
            .await
            .unwrap();
        let desk = Desk::open_with_clock(dir.path(), clock).await.unwrap();
        let connected = yichuang_app::connect_hub(&desk, true).await.unwrap();
        (desk, connected)
    });
    let (sync, hub_sim, _) = connected;
    let app = register(
        mock_builder(),
        AppState {
            desk,
            demo: true,
            sync,
            hub_sim,
            session: Default::default(),
        },
    )
    .build(mock_context(noop_assets()))
    .unwrap();
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let h = Harness {
        _dir: dir,
        webview,
        _app: app,
    };
    // A clerk may not use the trainers' controls; the demo's trainer (培训, 窗口人员) may.
    let pw = yichuang_core::accounts::DEMO_PASSWORD;
    invoke(&h, "sign_in", json!({ "login": "clerk01", "password": pw })).unwrap();
    assert_eq!(refused(&h, "demo_status", json!({})), "forbidden");
    assert_eq!(refused(&h, "demo_reset", json!({})), "forbidden");
    invoke(&h, "sign_out", json!({})).unwrap();
    invoke(&h, "sign_in", json!({ "login": "trainer", "password": pw })).unwrap();
    let status = invoke(&h, "demo_status", json!({})).unwrap();
    assert_eq!(status["hub_mode"], "normal");
    assert_eq!(status["clock"]["offset_secs"], 0);

    // The hub goes down: a new case waits, and the status says the hub is not reachable.
    let status = invoke(&h, "demo_set_hub_mode", json!({ "mode": "down" })).unwrap();
    assert_eq!(status["hub_mode"], "down");
    let out = invoke(&h, "accept_case", json!({ "form": valid_form(&h) })).unwrap();
    let new_no = out["project_no"].as_str().unwrap().to_string();
    let hub = invoke(&h, "sync_now", json!({})).unwrap();
    assert_eq!(hub["online"], false, "{hub}");
    assert_eq!(hub["outbox"]["pending"], 1, "{hub}");
    invoke(&h, "demo_set_hub_mode", json!({ "mode": "normal" })).unwrap();

    // A department asks for a supplement on a seeded accepted case.
    let list = invoke(
        &h,
        "list_cases",
        json!({ "search": null, "stateFilter": "accepted" }),
    )
    .unwrap();
    let accepted = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["project_no"].as_str().unwrap().to_string())
        .find(|no| *no != new_no)
        .unwrap();
    invoke(
        &h,
        "demo_request_supplement",
        json!({ "projectNo": accepted, "opinion": "" }),
    )
    .unwrap();
    let case = invoke(&h, "get_case", json!({ "projectNo": accepted })).unwrap();
    assert_eq!(case["state"], "awaiting_supplement");
    let err = invoke(
        &h,
        "demo_request_supplement",
        json!({ "projectNo": accepted, "opinion": "" }),
    )
    .unwrap_err();
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("只能对“已受理”的办件"),
        "{err}"
    );

    // The clock.
    let status = invoke(&h, "demo_move_clock", json!({ "shift": "+3d" })).unwrap();
    assert_eq!(status["clock"]["offset_secs"], 3 * 86_400);
    let err = invoke(&h, "demo_move_clock", json!({ "shift": "-3d" })).unwrap_err();
    assert_eq!(err["kind"], "validation", "{err}");
    let warned = invoke(&h, "demo_warnings", json!({})).unwrap();
    assert!(warned["cases"].as_array().unwrap().len() > 10);

    // The reset: the new case is gone, 40 seeded cases, the clock and the hub back to normal.
    invoke(&h, "demo_set_hub_mode", json!({ "mode": "reject" })).unwrap();
    let made = invoke(&h, "demo_reset", json!({})).unwrap();
    assert_eq!(made, 40);
    let err = invoke(&h, "get_case", json!({ "projectNo": new_no })).unwrap_err();
    assert_eq!(err["kind"], "not_found", "{err}");
    let status = invoke(&h, "demo_status", json!({})).unwrap();
    assert_eq!(status["hub_mode"], "normal");
    assert_eq!(status["clock"]["offset_secs"], 0);
}

#[test]
fn trainer_controls_are_refused_outside_the_demo() {
    let h = harness();
    let err = invoke(&h, "demo_move_clock", json!({ "shift": "+1d" })).unwrap_err();
    assert_eq!(err["kind"], "conflict", "{err}");
    let err = invoke(&h, "demo_reset", json!({})).unwrap_err();
    assert_eq!(err["kind"], "conflict", "{err}");
    let err = invoke(&h, "demo_set_hub_mode", json!({ "mode": "down" })).unwrap_err();
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("内置办件中心模拟器"),
        "{err}"
    );
    let status = invoke(&h, "demo_status", json!({})).unwrap();
    assert_eq!(status["hub_mode"], Value::Null);
}

#[test]
fn supervision_through_commands() {
    let h = harness();
    let form = valid_form(&h);
    let out = invoke(&h, "accept_case", json!({ "form": form })).unwrap();
    let no = out["project_no"].as_str().unwrap().to_string();

    let review = invoke(
        &h,
        "supervise_pending",
        json!({ "filter": { "window_no": null, "clerk": null, "item": null, "department": null,
            "state": "accepted", "due_from": null, "due_to": null, "level": null, "limit": null } }),
    )
    .unwrap();
    assert_eq!(review["cases"][0]["project_no"], no.as_str());

    let err = invoke(
        &h,
        "issue_supervision_order",
        json!({ "projectNo": no, "text": " ", "replyBy": null }),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "validation");
    assert_eq!(err["errors"][0]["field"], "text");
    let order = invoke(
        &h,
        "issue_supervision_order",
        json!({ "projectNo": no, "text": "请说明进度", "replyBy": null }),
    )
    .unwrap();
    let id = order["id"].as_i64().unwrap();
    invoke(
        &h,
        "reply_supervision_order",
        json!({ "id": id, "text": "已催办" }),
    )
    .unwrap();
    let closed = invoke(
        &h,
        "close_supervision_order",
        json!({ "id": id, "note": "" }),
    )
    .unwrap();
    assert!(closed["closed_at"].is_string());
    let err = invoke(
        &h,
        "reply_supervision_order",
        json!({ "id": id, "text": "再说一句" }),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "conflict");
    let case = invoke(&h, "get_case", json!({ "projectNo": no })).unwrap();
    assert_eq!(
        case["supervision_orders"][0]["replies"][0]["text"],
        "已催办"
    );

    let err = invoke(
        &h,
        "record_satisfaction",
        json!({ "projectNo": no, "rating": "5" }),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "conflict");

    let stats = invoke(
        &h,
        "case_stats",
        json!({ "filter": { "from": null, "to": null } }),
    )
    .unwrap();
    assert_eq!(stats["total"], 1);
    let path = invoke(
        &h,
        "export_stats",
        json!({ "filter": { "from": null, "to": null } }),
    )
    .unwrap();
    assert!(
        std::fs::read(path.as_str().unwrap())
            .unwrap()
            .starts_with(b"PK")
    );
    assert_eq!(
        invoke(&h, "case_call_log", json!({ "projectNo": no })).unwrap(),
        json!([])
    );
}

// ---------------------------------------------------------------- the command table

use yichuang_api::{Access, Command};

/// What the window answers for a name that is no command.
fn not_found(h: &Harness) -> Value {
    invoke(h, "no_such_command", json!({})).unwrap_err()
}

#[test]
fn every_table_entry_is_registered() {
    let h = signed_out();
    let unknown = not_found(&h);
    for &command in Command::ALL {
        // Public commands may fail on the missing arguments, but not as an unknown name.
        if command == Command::SignOut || command == Command::AuthStatus {
            continue; // they answer; checked below without side effects on the session
        }
        let answer = invoke(&h, command.name(), json!({}));
        assert_ne!(
            answer,
            Err(unknown.clone()),
            "{} is not registered",
            command.name()
        );
    }
    invoke(&h, "auth_status", json!({})).unwrap();
    invoke(&h, "sign_out", json!({})).unwrap();
}

#[test]
fn signed_out_every_non_public_command_is_refused_before_its_arguments_are_read() {
    let h = signed_out();
    for &command in Command::ALL {
        if command.is_public() {
            continue;
        }
        // No arguments at all: the table's check comes first.
        let err = invoke(&h, command.name(), json!({})).unwrap_err();
        assert_eq!(err["kind"], "unauthenticated", "{}: {err}", command.name());
        assert_eq!(err["message"], "请先登录", "{}", command.name());
    }
}

#[test]
fn every_command_needing_a_permission_refuses_a_role_without_it() {
    use yichuang_core::accounts::{Role, roles_allow};
    for (login, roles) in [
        ("clerk03", vec![Role::Clerk]),
        ("super", vec![Role::Supervisor]),
        ("trainer", vec![Role::Trainer]),
    ] {
        let h = signed_out();
        sign_in(&h, login);
        for &command in Command::ALL {
            let Some(permission) = command.permission() else {
                continue;
            };
            if roles_allow(&roles, permission) {
                continue;
            }
            let err = invoke(&h, command.name(), json!({})).unwrap_err();
            assert_eq!(
                err["kind"],
                "forbidden",
                "{login} {}: {err}",
                command.name()
            );
        }
    }
}

#[test]
fn the_table_names_its_public_and_session_commands() {
    let public: Vec<&str> = Command::ALL
        .iter()
        .filter(|c| c.is_public())
        .map(|c| c.name())
        .collect();
    assert_eq!(
        public,
        [
            "auth_status",
            "bootstrap_admin",
            "sign_in",
            "sign_out",
            "app_info"
        ]
    );
    let signed_in: Vec<&str> = Command::ALL
        .iter()
        .filter(|c| c.access() == Access::SignedIn)
        .map(|c| c.name())
        .collect();
    assert_eq!(
        signed_in,
        ["keep_alive", "unlock_session", "change_own_password"]
    );
}
