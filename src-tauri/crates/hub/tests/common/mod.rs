//! Sample requests for every interface, with generated identities (never real people).
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use yichuang_hub::protocol::*;
use yichuang_hub::sim::{self, SimConfig, SimHandle};
use yichuang_hub::{ClientConfig, HubClient, MemoryCallLog, XinjiangJson, XinjiangJsonConfig};
use yichuang_rules::idcard::testdata;
use yichuang_types::dict::{
    ApplicantType, ApplyWay, DataSource, GetType, HandleResult, ItemType, PaperType, ProjectStatus,
    Satisfaction, TimeUnit,
};

pub const ITEM_CODE: &str = "11650100MB1234567X4000112345001";

pub fn case_no(seq: u32) -> String {
    format!("{ITEM_CODE}20260315{seq:04}")
}

pub fn id_number() -> String {
    let mut rng = fastrand::Rng::with_seed(20260315);
    testdata::random_id(&mut rng)
}

pub fn item<P: Default>(no: &str, info: P) -> ProjectItem<P> {
    ProjectItem {
        no: no.to_string(),
        internal_no: format!("XJ-{no}"),
        area_no: Some("650102".into()),
        pro_year: Some("2026".into()),
        task_handle_item: Some(format!("{ITEM_CODE}01")),
        instance_code: None,
        opinion: None,
        operationtype: None,
        projectinfo: info,
    }
}

pub fn basic_info() -> BasicInfo {
    BasicInfo {
        area_no: Some("650102".into()),
        area_name: Some("乌鲁木齐市天山区".into()),
        org_id: Some("11650100MB1234567X".into()),
        org_name: Some("天山区市场监督管理局".into()),
        dept_ql_reg_no: Some(ITEM_CODE.into()),
        dept_ql_name: Some("食品经营许可".into()),
        dept_yw_reg_no: Some(format!("{ITEM_CODE}01")),
        dept_yw_name: Some("食品经营许可（新办）".into()),
        sq_way: Some(ApplyWay::Window),
        applicant_type: Some(ApplicantType::NaturalPerson),
        applicant_name: Some("阿依古丽".into()),
        applicant_paper_type: Some(PaperType::IdCard),
        applicant_paper_code: Some(id_number()),
        applicant_mobile: Some("13912345678".into()),
        applicant_address: Some("新疆乌鲁木齐市天山区解放北路100号".into()),
        linkman_name: Some("阿依古丽".into()),
        linkman_paper_type: Some(PaperType::IdCard),
        linkman_paper_code: Some(id_number()),
        anticipate: Some("20".into()),
        anticipate_day_type: Some(TimeUnit::WorkingDays),
        promise: Some("10".into()),
        promise_type: Some(TimeUnit::WorkingDays),
        bj_statu: Some(ProjectStatus::Accepted),
        apply_type: Some(ItemType::Promised),
        data_sources: Some(DataSource::Hall),
        acceptdate: Some("2026-03-15 10:20:30".into()),
        acceptusername: Some("李娜".into()),
        catalog_code: Some("000123456000".into()),
        task_version: Some("3".into()),
        apply_docno: Some("受字〔2026〕第03-00012号".into()),
        ..Default::default()
    }
}

pub fn material(no: &str, name: &str) -> Material {
    Material {
        no: Some(no.into()),
        sj_file_name: Some(name.into()),
        sj_no: Some("1".into()),
        sj_file_if: Some(YesNo::Yes),
        sj_file_statu: Some("已收取".into()),
        if_ec_page: Some(YesNo::No),
        gettype: Some(GetType::Window),
        data_sources: Some(DataSource::Hall),
        ..Default::default()
    }
}

pub fn accept_request(no: &str) -> ProjectRequest<AcceptProjectInfo> {
    ProjectRequest::single(item(
        no,
        AcceptProjectInfo {
            basicinfo: Some(basic_info()),
            materiallist: Some(vec![
                material("M01", "身份证"),
                material("M02", "经营场所证明"),
            ]),
        },
    ))
}

pub fn process(no: &str, code: EventCode) -> Process {
    Process {
        no: Some(no.into()),
        event_number: Some("1".into()),
        event_code: Some(code),
        event_name: Some(code.label().into()),
        end_time: Some("2026-03-16 09:00:00".into()),
        end_user_name: Some("王审批".into()),
        data_sources: Some(DataSource::Department),
        ..Default::default()
    }
}

pub fn result(no: &str) -> ResultInfo {
    ResultInfo {
        no: Some(no.into()),
        status: Some(HandleResult::Approved),
        result_no: Some("JY16501020012345".into()),
        resultname: Some("准予许可".into()),
        create_date: Some("2026-03-20 16:00:00".into()),
        satisfaction: Some(Satisfaction::VerySatisfied),
        data_sources: Some(DataSource::Department),
        ..Default::default()
    }
}

pub fn cert() -> CertResultInfo {
    CertResultInfo {
        no: Some("C1".into()),
        certcatalogname: Some("食品经营许可证".into()),
        certcatalogno: Some("1165000000000001".into()),
        ..Default::default()
    }
}

pub fn doc(no: &str, attach: &str) -> Doc {
    Doc {
        no: Some(no.into()),
        docname: Some("受理通知书".into()),
        docnumber: Some("受字〔2026〕第03-00012号".into()),
        docattach: Some(attach.into()),
        data_sources: Some(DataSource::Hall),
        extinfo: None,
    }
}

pub async fn start_sim(config: SimConfig) -> SimHandle {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    sim::serve(config, listener).await.expect("serve")
}

pub fn client_for(
    sim: &SimHandle,
    profile: XinjiangJsonConfig,
    timeout_ms: u64,
) -> (HubClient, Arc<MemoryCallLog>) {
    let log = Arc::new(MemoryCallLog::default());
    let mut cfg = ClientConfig::new(&sim.base_url());
    cfg.timeout_ms = timeout_ms;
    cfg.connect_timeout_ms = 1_000;
    cfg.caller = "desk-03/李娜".into();
    let client =
        HubClient::new(cfg, Arc::new(XinjiangJson::new(profile)), log.clone()).expect("client");
    (client, log)
}

pub fn sim_profile() -> XinjiangJsonConfig {
    SimConfig::default().profile
}

/// Bounds every wait of a test.
pub async fn bounded<F: std::future::Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(10), f)
        .await
        .expect("test step took more than 10 s")
}
