//! The client against the simulator, over real loopback HTTP. Every wait is bounded.

mod common;

use common::*;
use serde_json::{Value, json};
use yichuang_hub::protocol::*;
use yichuang_hub::sim::{DeptStep, Faults, Scenario, SimConfig};
use yichuang_hub::{CallOutcome, CryptoConfig, HubError, Incoming, XinjiangJsonConfig};
use yichuang_types::dict::{DataSource, HandleResult};

fn accepted(sim: &yichuang_hub::sim::SimHandle) -> Vec<yichuang_hub::sim::Received> {
    sim.received()
        .into_iter()
        .filter(|r| r.outcome == "accepted")
        .collect()
}

#[tokio::test]
async fn every_interface_round_trips_through_the_simulator() {
    let sim = start_sim(SimConfig {
        scenario: Scenario {
            on_accept: vec![
                DeptStep::Process {
                    event_code: EventCode::B9,
                    note: Some("材料齐全，进入审批".into()),
                    docname: None,
                },
                DeptStep::Supplement {
                    opinion: "经营场所证明不清晰".into(),
                    materials: vec!["经营场所证明".into()],
                },
            ],
            on_supply_finished: vec![DeptStep::Result {
                status: HandleResult::Approved,
                note: Some("准予许可".into()),
                result_no: Some("JY16501020012345".into()),
            }],
            step_delay_secs: 0,
            share: Default::default(),
        },
        ..Default::default()
    })
    .await;
    let (client, log) = client_for(&sim, sim_profile(), 5_000);
    let no = case_no(12);

    // 7.2.7 upload, 7.2.8 download.
    let pdf = b"%PDF-1.7 acceptance notice \x00\x01\xff".to_vec();
    let guid = bounded(client.push_file(&FileParams::new(&no, "受理通知书.pdf", &pdf)))
        .await
        .expect("7.2.7");
    assert_eq!(sim.file(&guid).as_deref(), Some(&pdf[..]));
    let back = bounded(client.download_file(&guid)).await.expect("7.2.8");
    assert_eq!(back, pdf);

    // 7.2.2 acceptance, with the notice as a document.
    let accept = accept_request(&no);
    let resp = bounded(client.send(&accept)).await.expect("7.2.2");
    assert_eq!(resp.custom.text, "推送成功");
    let got = accepted(&sim);
    let stored = &got.last().expect("stored").plain["params"]["projectlist"][0];
    assert_eq!(
        stored["projectinfo"]["basicinfo"]["applicant_name"],
        "阿依古丽"
    );
    assert_eq!(stored["projectinfo"]["basicinfo"]["sq_way"], "0");
    assert_eq!(
        stored["projectinfo"]["materiallist"][1]["sj_file_name"],
        "经营场所证明"
    );
    assert_eq!(stored["taskHandleItem"], format!("{ITEM_CODE}01"));

    // The department answered the acceptance: a process step and a supplement request.
    let batch = bounded(client.poll(0, 10)).await.expect("poll");
    assert_eq!(batch.messages.len(), 2);
    assert_eq!(batch.cursor, 2);
    let decoded: Vec<Incoming> = batch
        .messages
        .iter()
        .map(|m| client.decode_incoming(m).expect("decode"))
        .collect();
    match &decoded[0] {
        Incoming::Process(p) => {
            let step = &p.projectlist[0].projectinfo.processlist.as_ref().unwrap()[0];
            assert_eq!(step.event_code, Some(EventCode::B9));
            assert_eq!(p.projectlist[0].no, no);
        }
        other => panic!("expected 7.2.5, got {other:?}"),
    }
    match &decoded[1] {
        Incoming::Supply(s) => {
            assert_eq!(
                s.projectlist[0].opinion.as_deref(),
                Some("经营场所证明不清晰")
            );
            let m = &s.projectlist[0]
                .projectinfo
                .0
                .materiallist
                .as_ref()
                .unwrap()[0];
            assert_eq!(m.sj_file_name.as_deref(), Some("经营场所证明"));
        }
        other => panic!("expected 7.2.3, got {other:?}"),
    }
    // Nothing new after the cursor.
    let again = bounded(client.poll(batch.cursor, 10)).await.expect("poll");
    assert!(again.messages.is_empty());

    // 7.2.4 supplement finished → the department's result (7.2.6) is queued.
    let supplied = ProjectRequest::single(item(
        &no,
        SupplyFinishedInfo(SupplyProjectInfo {
            materiallist: Some(vec![material("M02", "经营场所证明")]),
        }),
    ));
    bounded(client.send(&supplied)).await.expect("7.2.4");
    let batch2 = bounded(client.poll(batch.cursor, 10)).await.expect("poll");
    assert_eq!(batch2.messages.len(), 1);
    match client.decode_incoming(&batch2.messages[0]).expect("decode") {
        Incoming::Finish(f) => {
            let r = &f.projectlist[0].projectinfo.resultinfo.as_ref().unwrap()[0];
            assert_eq!(r.status, Some(HandleResult::Approved));
            assert_eq!(r.result_no.as_deref(), Some("JY16501020012345"));
        }
        other => panic!("expected 7.2.6, got {other:?}"),
    }

    // A hall system's own 7.2.5 step (data_sources 1) is stored, not echoed back to desks.
    let mut own = process("P0", EventCode::B11);
    own.data_sources = Some(DataSource::Hall);
    let own = ProjectRequest::single(item(
        &no,
        ProcessProjectInfo {
            processlist: Some(vec![own]),
            doclist: None,
        },
    ));
    bounded(client.send(&own)).await.expect("own 7.2.5");

    // 7.2.3, 7.2.5, 7.2.6 pushed by a department are forwarded to desks.
    let mut asked = material("M01", "身份证");
    asked.data_sources = Some(DataSource::Department);
    let supply = ProjectRequest::single(item(
        &no,
        SupplyRequestInfo(SupplyProjectInfo {
            materiallist: Some(vec![asked]),
        }),
    ));
    bounded(client.send(&supply)).await.expect("7.2.3");
    let sp = ProjectRequest::single(item(
        &no,
        ProcessProjectInfo {
            processlist: Some(vec![process("P1", EventCode::B10)]),
            doclist: Some(vec![doc("D1", &guid)]),
        },
    ));
    bounded(client.send(&sp)).await.expect("7.2.5");
    let finish = ProjectRequest::single(item(
        &no,
        FinishProjectInfo {
            resultinfo: Some(vec![result("R1")]),
            certresultinfo: Some(cert()),
        },
    ));
    bounded(client.send(&finish)).await.expect("7.2.6");
    let forwarded = bounded(client.poll(batch2.cursor, 10)).await.expect("poll");
    let kinds: Vec<Interface> = forwarded.messages.iter().map(|m| m.interface).collect();
    assert_eq!(
        kinds,
        vec![
            Interface::PushSupply,
            Interface::PushProcess,
            Interface::PushFinish
        ]
    );

    // 7.2.1 full info (统一受办).
    let all = ProjectRequest::single(item(
        &no,
        AllProjectInfo {
            basicinfo: Some(basic_info()),
            materiallist: Some(vec![material("M01", "身份证")]),
            processlist: Some(vec![process("P1", EventCode::B9)]),
            doclist: Some(vec![doc("D1", &guid)]),
            resultinfo: Some(vec![result("R1")]),
            certresultinfo: Some(cert()),
        },
    ));
    bounded(client.send(&all)).await.expect("7.2.1");

    // 7.2.9 receive (hub → department), operation 8 受理.
    let mut recv_item = item(
        &no,
        ReceiveProjectInfo {
            basicinfo: Some(basic_info()),
            materiallist: Some(vec![material("M01", "身份证").into()]),
        },
    );
    recv_item.operationtype = Some(OperationType::Accept);
    let resp = bounded(client.send(&ProjectRequest::single(recv_item)))
        .await
        .expect("7.2.9");
    assert_eq!(resp.custom.text, "办件数据接收成功!");
    let last = accepted(&sim).last().cloned().unwrap();
    let m = &last.plain["params"]["projectlist"][0]["projectinfo"]["materiallist"][0];
    assert_eq!(m["sj_file_status"], "已收取");
    assert_eq!(m["sj_no"], 1);

    // Every interface was received and accepted.
    let mut seen: Vec<Interface> = accepted(&sim).iter().filter_map(|r| r.interface).collect();
    seen.sort_by_key(|i| i.section());
    seen.dedup();
    assert_eq!(seen.len(), 9, "{seen:?}");

    // The control endpoint reports the same as JSON.
    let report: Value = reqwest::get(format!("{}/sim/received", sim.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        report["received"].as_array().unwrap().len(),
        sim.received().len()
    );

    // One call log entry per call, personal data masked.
    let entries = log.entries();
    // Polls are not interface calls and are not logged.
    assert_eq!(entries.len(), 10);
    let text = serde_json::to_string(&entries).unwrap();
    assert!(
        !text.contains(&id_number()),
        "ID number leaked into the call log"
    );
    assert!(!text.contains("13912345678"));
    assert!(entries.iter().all(|e| e.caller == "desk-03/李娜"));
    assert!(entries.iter().all(|e| e.outcome == CallOutcome::Ok));

    sim.shutdown().await;
}

#[tokio::test]
async fn a_missing_required_field_is_caught_before_sending() {
    let sim = start_sim(SimConfig::default()).await;
    let (client, log) = client_for(&sim, sim_profile(), 5_000);
    let mut req = accept_request(&case_no(1));
    let basic = req.projectlist[0].projectinfo.basicinfo.as_mut().unwrap();
    basic.applicant_name = None;
    basic.linkman_paper_code = Some("  ".into());
    req.projectlist[0].task_handle_item = None;
    let err = bounded(client.send(&req)).await.unwrap_err();
    let HubError::MissingFields(missing) = &err else {
        panic!("expected MissingFields, got {err:?}");
    };
    let pairs: Vec<(&str, &str)> = missing.iter().map(|m| (m.name, m.label)).collect();
    assert_eq!(
        pairs,
        vec![
            ("taskHandleItem", "申请事项业务办理项编码"),
            ("applicant_name", "申请者名称"),
            ("linkman_paper_code", "申请方经办人证件号码"),
        ]
    );
    assert_eq!(
        err.to_string(),
        "缺少必填项：申请事项业务办理项编码（taskHandleItem）、申请者名称（applicant_name）、申请方经办人证件号码（linkman_paper_code）"
    );
    assert!(sim.received().is_empty(), "nothing may reach the hub");
    assert!(log.entries().is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn the_simulator_refuses_missing_fields_and_bad_codes_with_a_reason() {
    let sim = start_sim(SimConfig::default()).await;
    let (client, _log) = client_for(&sim, sim_profile(), 5_000);
    let mut plain = accept_request(&case_no(2)).to_plain().unwrap();
    let basic = &mut plain["params"]["projectlist"][0]["projectinfo"]["basicinfo"];
    basic.as_object_mut().unwrap().remove("org_name");
    let err = bounded(client.call_plain(Interface::PushAccept, &plain))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        HubError::Refused {
            text: "缺少必填项：部门名称（org_name）".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "办件中心拒绝：缺少必填项：部门名称（org_name）"
    );

    let mut plain = accept_request(&case_no(3)).to_plain().unwrap();
    plain["params"]["projectlist"][0]["projectinfo"]["basicinfo"]["applicant_paper_type"] =
        json!("11");
    plain["params"]["projectlist"][0]["projectinfo"]["materiallist"][0]["if_ec_page"] = json!("Y");
    let err = bounded(client.call_plain(Interface::PushAccept, &plain))
        .await
        .unwrap_err();
    let HubError::Refused { text } = err else {
        panic!("expected a refusal")
    };
    assert!(
        text.contains("证件类型（applicant_paper_type）的值“11”不在数据字典“证件类型”中"),
        "{text}"
    );
    assert!(
        text.contains("是否需要电子版（if_ec_page）的值“Y”不在数据字典“是否”中"),
        "{text}"
    );
    let reasons: Vec<_> = sim.received().iter().map(|r| r.outcome.clone()).collect();
    assert_eq!(reasons, vec!["refused", "refused"]);
    sim.shutdown().await;
}

#[tokio::test]
async fn faults_map_to_typed_errors() {
    let sim = start_sim(SimConfig::default()).await;
    let (client, log) = client_for(&sim, sim_profile(), 800);
    let send = |n: u32| {
        let req = accept_request(&case_no(n));
        let client = &client;
        async move { bounded(client.send(&req)).await }
    };

    // Down: connection refused.
    sim.set_faults(Faults {
        down: true,
        ..Default::default()
    })
    .await;
    let err = send(10).await.unwrap_err();
    assert!(matches!(err, HubError::Unreachable { .. }), "{err:?}");
    assert!(err.to_string().starts_with("无法连接办件中心"));
    sim.clear_faults().await;
    send(11).await.expect("back up");

    // Slow: processed and stored, answer too late.
    sim.set_faults(Faults {
        delay_ms: 2_000,
        ..Default::default()
    })
    .await;
    let before = accepted(&sim).len();
    let err = send(12).await.unwrap_err();
    assert_eq!(err, HubError::Timeout { after_ms: 800 });
    assert!(err.maybe_delivered());
    assert_eq!(accepted(&sim).len(), before + 1);

    // HTTP 500.
    sim.set_faults(Faults {
        http_500: true,
        ..Default::default()
    })
    .await;
    let err = send(13).await.unwrap_err();
    assert!(
        matches!(err, HubError::HttpStatus { code: 500, .. }),
        "{err:?}"
    );
    assert!(err.is_retryable());

    // custom.code = 0.
    sim.set_faults(Faults {
        refuse: Some("办件编号重复".into()),
        ..Default::default()
    })
    .await;
    let err = send(14).await.unwrap_err();
    assert_eq!(
        err,
        HubError::Refused {
            text: "办件编号重复".into()
        }
    );
    assert!(!err.is_retryable());

    // Malformed JSON.
    sim.set_faults(Faults {
        malformed: true,
        ..Default::default()
    })
    .await;
    let err = send(15).await.unwrap_err();
    assert!(matches!(err, HubError::Malformed { .. }), "{err:?}");

    // Dropped after receiving: stored, no answer.
    sim.set_faults(Faults {
        drop_after_receive: true,
        ..Default::default()
    })
    .await;
    let before = accepted(&sim).len();
    let err = send(16).await.unwrap_err();
    assert!(matches!(err, HubError::Dropped { .. }), "{err:?}");
    assert!(err.maybe_delivered());
    assert_eq!(accepted(&sim).len(), before + 1, "the hub stored it");

    // A fault limited to one call clears itself.
    sim.set_faults(Faults {
        http_500: true,
        remaining: Some(1),
        ..Default::default()
    })
    .await;
    assert!(send(17).await.is_err());
    send(18).await.expect("fault cleared after one call");

    // The call log records each outcome.
    let outcomes: Vec<CallOutcome> = log.entries().iter().map(|e| e.outcome).collect();
    assert_eq!(
        outcomes,
        vec![
            CallOutcome::Unreachable,
            CallOutcome::Ok,
            CallOutcome::Timeout,
            CallOutcome::HttpStatus,
            CallOutcome::Refused,
            CallOutcome::Malformed,
            CallOutcome::Dropped,
            CallOutcome::HttpStatus,
            CallOutcome::Ok,
        ]
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn down_for_a_while_through_the_control_endpoint() {
    let sim = start_sim(SimConfig::default()).await;
    let (client, _log) = client_for(&sim, sim_profile(), 2_000);
    let http = reqwest::Client::new();
    let refused = http
        .post(format!("{}/sim/faults", sim.base_url()))
        .json(&json!({"down": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 400);
    let r = http
        .post(format!("{}/sim/faults", sim.base_url()))
        .json(&json!({"down_for_ms": 1_000}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let err = bounded(client.send(&accept_request(&case_no(20))))
        .await
        .unwrap_err();
    assert!(matches!(err, HubError::Unreachable { .. }), "{err:?}");
    // It comes back by itself.
    bounded(async {
        loop {
            match client.send(&accept_request(&case_no(21))).await {
                Ok(_) => break,
                Err(HubError::Unreachable { .. }) => {
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await
                }
                Err(other) => panic!("unexpected {other:?}"),
            }
        }
    })
    .await;
    sim.shutdown().await;
}

#[tokio::test]
async fn duplicates_are_detected_and_duplicate_delivery_is_visible() {
    let sim = start_sim(SimConfig {
        scenario: Scenario {
            on_accept: vec![DeptStep::Process {
                event_code: EventCode::B9,
                note: None,
                docname: Some("受理审查意见".into()),
            }],
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let (client, _log) = client_for(&sim, sim_profile(), 5_000);
    let plain = accept_request(&case_no(30)).to_plain().unwrap();
    let encoded = client.encode(Interface::PushAccept, &plain).unwrap();
    bounded(client.send_encoded(&encoded, &plain))
        .await
        .unwrap();
    // A retry of the same encoded message (same sign).
    let resp = bounded(client.send_encoded(&encoded, &plain))
        .await
        .unwrap();
    assert!(
        resp.custom.text.starts_with("重复推送"),
        "{}",
        resp.custom.text
    );
    let got = sim.received();
    assert_eq!(got.len(), 2);
    assert!(!got[0].duplicate);
    assert!(got[1].duplicate);
    assert_eq!(got[0].key, got[1].key);
    assert_eq!(sim.outbox().len(), 1, "the department is not told twice");

    // Duplicate delivery: the poll returns the same message twice.
    sim.set_faults(Faults {
        duplicate_delivery: true,
        ..Default::default()
    })
    .await;
    let batch = bounded(client.poll(0, 10)).await.unwrap();
    assert_eq!(batch.messages.len(), 2);
    assert_eq!(batch.messages[0].msgid, batch.messages[1].msgid);
    assert_eq!(batch.cursor, 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn token_and_ip_whitelist_are_enforced() {
    let sim = start_sim(SimConfig::default()).await;
    let wrong = XinjiangJsonConfig {
        token: "not-the-token".into(),
        ..sim_profile()
    };
    let (client, _log) = client_for(&sim, wrong, 5_000);
    let err = bounded(client.send(&accept_request(&case_no(40))))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        HubError::Refused {
            text: "用户标识令牌（token）无效或缺失".into()
        }
    );
    let err = bounded(client.poll(0, 10)).await.unwrap_err();
    assert!(matches!(err, HubError::Refused { .. }));
    sim.shutdown().await;

    // A custom token header.
    let profile = XinjiangJsonConfig {
        token_header: "X-Token".into(),
        token: "t-1".into(),
        ..Default::default()
    };
    let sim = start_sim(SimConfig {
        profile: profile.clone(),
        ..Default::default()
    })
    .await;
    let (client, _log) = client_for(&sim, profile.clone(), 5_000);
    bounded(client.send(&accept_request(&case_no(41))))
        .await
        .expect("custom header");
    sim.shutdown().await;

    // Loopback not in the whitelist.
    let sim = start_sim(SimConfig {
        whitelist: vec!["10.0.0.1".parse().unwrap()],
        ..Default::default()
    })
    .await;
    let (client, _log) = client_for(&sim, sim_profile(), 5_000);
    let err = bounded(client.send(&accept_request(&case_no(42))))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        HubError::HttpStatus {
            code: 403,
            text: "IP地址127.0.0.1不在白名单中".into()
        }
    );
    assert!(sim.received().is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn hardened_scheme_end_to_end_and_mismatch_is_refused() {
    let hardened = XinjiangJsonConfig {
        crypto: CryptoConfig::hardened([0x5a; 16]),
        ..sim_profile()
    };
    let sim = start_sim(SimConfig {
        profile: hardened.clone(),
        ..Default::default()
    })
    .await;
    let (client, _log) = client_for(&sim, hardened, 5_000);
    bounded(client.send(&accept_request(&case_no(50))))
        .await
        .expect("hardened accept");
    let guid = bounded(client.push_file(&FileParams::new(&case_no(50), "a.pdf", b"abc")))
        .await
        .expect("hardened file");
    assert_eq!(sim.file(&guid).unwrap(), b"abc");

    // A desk still on the default scheme.
    let (old, _log) = client_for(&sim, sim_profile(), 5_000);
    let err = bounded(old.send(&accept_request(&case_no(51))))
        .await
        .unwrap_err();
    let HubError::Refused { text } = err else {
        panic!("expected refusal")
    };
    assert!(text.starts_with("办件数据包"), "{text}");
    sim.shutdown().await;
}

#[tokio::test]
async fn attachment_checks_and_client_configuration() {
    let sim = start_sim(SimConfig::default()).await;
    let (client, _log) = client_for(&sim, sim_profile(), 5_000);
    let err = bounded(client.push_file(&FileParams::new(&case_no(60), "", b"x")))
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "缺少必填项：附件名称（attachname）");
    let err = bounded(client.download_file("")).await.unwrap_err();
    assert_eq!(err.to_string(), "缺少必填项：附件标识（attachguid）");
    let err = bounded(client.download_file("no-such-guid"))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        HubError::Refused {
            text: "附件标识（attachguid）不存在：no-such-guid".into()
        }
    );
    // An empty file (a failed scan) is refused before sending.
    let err = bounded(client.push_file(&FileParams::new(&case_no(60), "空白.pdf", b"")))
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "缺少必填项：附件内容（filecontent）");
    assert_eq!(
        sim.received().len(),
        1,
        "only the unknown-guid download reached the hub"
    );
    sim.shutdown().await;

    let bad = yichuang_hub::HubClient::new(
        yichuang_hub::ClientConfig::new("10.0.0.1:8080"),
        std::sync::Arc::new(yichuang_hub::XinjiangJson::new(Default::default())),
        std::sync::Arc::new(yichuang_hub::MemoryCallLog::default()),
    );
    assert!(matches!(bad, Err(HubError::Config(_))));
}
