//! The window's commands through Tauri's mock runtime: the same command list as the app,
//! invoked over IPC with JSON, answered by the real core and store.

use serde_json::{Value, json};
use tauri::Manager;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use yichuang_app::{AppState, register};
use yichuang_core::Desk;

struct Harness {
    _dir: tempfile::TempDir,
    webview: tauri::WebviewWindow<tauri::test::MockRuntime>,
    _app: tauri::App<tauri::test::MockRuntime>,
}

fn harness() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let desk = tauri::async_runtime::block_on(Desk::open(dir.path())).unwrap();
    let app = register(mock_builder(), AppState::offline(desk, false))
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
    assert_eq!(out["case"]["promised_date"], preview);

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
        let desk = Desk::open(dir.path()).await.unwrap();
        let connected = yichuang_app::connect_hub(&desk, true).await.unwrap();
        (desk, connected)
    });
    let (sync, hub_sim, _) = connected;
    assert!(sync.is_some() && hub_sim.is_some());
    let app = register(
        mock_builder(),
        AppState {
            desk,
            demo: true,
            sync,
            hub_sim,
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
