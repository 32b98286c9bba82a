//! From an outbox entry and its sealed case snapshot to the typed request of seed 000:
//! 7.2.2 (受理), 7.2.4 (补正完成) and 7.2.5 (审批过程, event codes B1–B11).
//!
//! What the case does not carry comes from the desk profile (行政区划) and the catalog item
//! (目录编码, 事项版本号, 法定时限, 办件类型, 是否需要电子版).
//!
//! **`sign`.** The seed makes `sign` a random UUID per message. Here it is derived from the
//! entry's idempotency key ([`sign_for`]): SM3 of the key, its first 16 bytes formatted as a
//! UUID (version 8, RFC 9562 "custom"). A retry, even after a crash of the desk, therefore
//! carries the same `no` and `sign`, and the hub recognises it as a duplicate. In the seed's
//! encryption scheme the SM4 key comes from `sign` anyway (it travels with the message), so a
//! deterministic `sign` weakens nothing that scheme protects.

use serde_json::Value;
use sm3::{Digest, Sm3};
use yichuang_core::dict::{ApplyWay, DataSource, GetType, ProjectStatus};
use yichuang_core::idcard;
use yichuang_core::model::{
    CaseRecord, CatalogItem, DeskProfile, NoticeKind, OutboxEntry, OutboxOperation,
};

use yichuang_hub::protocol::{
    AcceptProjectInfo, AllProjectInfo, BasicInfo, Doc, EventCode, Interface, Material, Process,
    ProcessProjectInfo, ProjectInfo, ProjectItem, ProjectRequest, ResultInfo, SupplyFinishedInfo,
    SupplyProjectInfo, YesNo, missing_message,
};

/// The `sign` of the message with this idempotency key: the same for every retry.
pub fn sign_for(idem_key: &str) -> String {
    let mut h = Sm3::new();
    h.update(b"yichuang-hub/sign\0");
    h.update(idem_key.as_bytes());
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x80; // version 8
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 9562 variant
    uuid::Uuid::from_bytes(b).to_string()
}

/// What the mapping needs beyond the case: the desk profile and the catalog.
#[derive(Debug, Clone)]
pub struct MapContext {
    pub profile: DeskProfile,
    pub catalog: Vec<CatalogItem>,
}

impl MapContext {
    pub async fn load(desk: &impl crate::port::DeskPort) -> yichuang_core::error::Result<Self> {
        Ok(MapContext {
            profile: desk.profile().await?,
            catalog: desk.catalog().await?,
        })
    }

    fn item(&self, code: &str) -> Option<&CatalogItem> {
        self.catalog.iter().find(|i| i.dept_ql_reg_no == code)
    }
}

/// One message ready to send: its interface and its `projectlist` entry in plain form
/// (`projectinfo` as an object), with `sign` set.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapped {
    pub interface: Interface,
    pub item: Value,
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn yes_no(b: bool) -> YesNo {
    if b { YesNo::Yes } else { YesNo::No }
}

fn header<P: Default>(case: &CaseRecord, ctx: &MapContext, info: P) -> ProjectItem<P> {
    ProjectItem {
        no: case.project_no.clone(),
        // 全疆办件唯一编号: the hub assigns none to a counter case, so the case number serves.
        internal_no: case.project_no.clone(),
        area_no: opt(&ctx.profile.area_no),
        // YYYY of the case number's date part.
        pro_year: case.project_no.get(31..35).map(str::to_string),
        // The item has no separate business item here: the implementation code is used.
        task_handle_item: opt(&case.dept_ql_reg_no),
        instance_code: None,
        opinion: None,
        operationtype: None,
        projectinfo: info,
    }
}

fn basic_info(case: &CaseRecord, ctx: &MapContext) -> BasicInfo {
    let item = ctx.item(&case.dept_ql_reg_no);
    let p = &case.party;
    // A natural person who comes in person is their own 经办人.
    let (lm_name, lm_type, lm_code, lm_mobile) = if p.has_linkman() {
        (
            p.linkman_name.as_str(),
            p.linkman_paper_type,
            p.linkman_paper_code.as_str(),
            p.linkman_mobile.as_str(),
        )
    } else {
        (
            case.applicant_name.as_str(),
            case.applicant_paper_type,
            case.applicant_paper_code.as_str(),
            case.applicant_mobile.as_str(),
        )
    };
    let area_name = idcard::region_name(ctx.profile.area_no.trim())
        .map(str::to_string)
        .or_else(|| opt(&ctx.profile.hall_name));
    let apply_docno = case
        .documents
        .iter()
        .rev()
        .find(|d| d.kind == NoticeKind::Acceptance)
        .map(|d| d.doc_no.clone());
    BasicInfo {
        area_no: opt(&ctx.profile.area_no),
        area_name,
        org_id: opt(&case.org_id),
        org_name: opt(&case.org_name),
        dept_ql_reg_no: opt(&case.dept_ql_reg_no),
        dept_ql_name: opt(&case.dept_ql_name),
        dept_yw_reg_no: opt(&case.dept_ql_reg_no),
        dept_yw_name: opt(&case.dept_ql_name),
        department: opt(&case.org_name),
        sq_way: Some(ApplyWay::Window),
        applicant_type: Some(case.applicant_type),
        applicant_name: opt(&case.applicant_name),
        applicant_paper_type: Some(case.applicant_paper_type),
        applicant_paper_code: opt(&case.applicant_paper_code),
        applicant_mobile: opt(&case.applicant_mobile),
        applicant_phone: opt(&p.applicant_phone),
        applicant_address: opt(&case.applicant_address),
        applicant_zipcode: opt(&p.applicant_zipcode),
        applicant_email: opt(&p.applicant_email),
        applicant_code: opt(&p.applicant_code),
        oper_man_name: opt(&p.oper_man_name),
        oper_man_code: opt(&p.oper_man_code),
        linkman_name: opt(lm_name),
        linkman_paper_type: opt(lm_code).map(|_| lm_type),
        linkman_paper_code: opt(lm_code),
        linkman_mobile: opt(lm_mobile),
        anticipate: item.map(|i| i.anticipate.to_string()),
        anticipate_day_type: item.map(|i| i.anticipate_day_type),
        promise: Some(case.promise.to_string()),
        promise_type: Some(case.promise_type),
        apply_date: opt(&case.apply_date),
        bj_statu: Some(ProjectStatus::Accepted),
        apply_type: item.map(|i| i.item_type),
        data_sources: Some(DataSource::Hall),
        acceptdate: opt(&case.acceptdate),
        acceptusername: opt(&case.acceptusername),
        itemno: opt(&case.dept_ql_reg_no),
        catalog_code: item.and_then(|i| opt(&i.catalog_code)),
        task_version: item.and_then(|i| opt(&i.task_version)),
        apply_docno,
        ..Default::default()
    }
}

fn if_ec_page(case: &CaseRecord, ctx: &MapContext, no: &str) -> YesNo {
    let ec = ctx
        .item(&case.dept_ql_reg_no)
        .and_then(|i| i.materials.iter().find(|m| m.no == no))
        .is_some_and(|m| m.if_ec_page);
    yes_no(ec)
}

fn materials(case: &CaseRecord, ctx: &MapContext) -> Vec<Material> {
    case.materials
        .iter()
        .map(|m| Material {
            no: opt(&m.no),
            sj_file_name: opt(&m.sj_file_name),
            sj_no: Some(m.sj_no.to_string()),
            sj_file_if: Some(yes_no(m.sj_file_if)),
            sj_file_statu: Some("已收取".into()),
            // The scanned pages, uploaded as one PDF just before (7.2.7).
            sm_file_name: m
                .attachguid
                .as_ref()
                .map(|_| format!("{}.pdf", m.sj_file_name)),
            sm_file_attach: m.attachguid.clone(),
            if_ec_page: Some(if_ec_page(case, ctx, &m.no)),
            ord: Some(m.ord.to_string()),
            gettype: Some(GetType::Window),
            data_sources: Some(DataSource::Hall),
            ..Default::default()
        })
        .collect()
}

/// The materials of the supplement that was just completed (the latest `done_at`).
fn supplied(case: &CaseRecord, ctx: &MapContext) -> Vec<Material> {
    let latest = case
        .supplements
        .iter()
        .filter_map(|s| s.done_at.as_deref())
        .max();
    case.supplements
        .iter()
        .filter(|s| latest.is_some() && s.done_at.as_deref() == latest)
        .map(|s| {
            let on_case = case.materials.iter().find(|m| m.no == s.no);
            Material {
                no: opt(&s.no),
                sj_file_name: opt(&s.sj_file_name),
                sj_no: Some(on_case.map_or(1, |m| m.sj_no.max(1)).to_string()),
                sj_file_if: Some(yes_no(on_case.is_none_or(|m| m.sj_file_if))),
                sj_file_statu: Some("已补正".into()),
                if_ec_page: Some(if_ec_page(case, ctx, &s.no)),
                gettype: Some(GetType::Window),
                data_sources: Some(DataSource::Hall),
                ..Default::default()
            }
        })
        .collect()
}

fn process(entry: &OutboxEntry, case: &CaseRecord) -> Result<ProcessProjectInfo, String> {
    let code = EventCode::from_code(&entry.event_code).ok_or_else(|| {
        format!(
            "事件代码（event_code）“{}”不在表5的B1–B11中",
            entry.event_code
        )
    })?;
    // The snapshot is the case right after the change: its last history entry is the change.
    let last = case.history.last();
    let at = last.map(|h| h.at.clone()).unwrap_or_default();
    Ok(ProcessProjectInfo {
        processlist: Some(vec![Process {
            no: Some(format!("{}-{}", case.project_no, entry.version)),
            event_number: Some(entry.version.to_string()),
            event_code: Some(code),
            event_name: Some(code.label().into()),
            department: opt(&case.org_name),
            start_time: opt(&at),
            end_time: opt(&at),
            end_note: last.and_then(|h| opt(&h.opinion)),
            end_user_name: last.and_then(|h| opt(&h.actor)),
            data_sources: Some(DataSource::Hall),
            ..Default::default()
        }]),
        // The document this step issued (a 补齐补正通知书), uploaded just before (7.2.7).
        doclist: Some(docs(case, |d| {
            Some(d.created_at.as_str()) == last.map(|h| h.at.as_str())
        }))
        .filter(|d| !d.is_empty()),
    })
}

/// The uploaded documents of the case that `keep` selects, as `doclist` entries.
fn docs(case: &CaseRecord, keep: impl Fn(&yichuang_core::model::DocumentInfo) -> bool) -> Vec<Doc> {
    case.documents
        .iter()
        .filter(|d| keep(d))
        .filter_map(|d| {
            let guid = d.attachguid.as_deref()?;
            Some(Doc {
                no: Some(d.doc_no.clone()),
                docname: Some(d.title.clone()),
                docnumber: Some(d.doc_no.clone()),
                docattach: Some(guid.to_string()),
                data_sources: Some(DataSource::Hall),
                extinfo: None,
            })
        })
        .collect()
}

/// The event code of a history entry, for the steps table 5 names.
fn history_code(h: &yichuang_core::model::CaseEvent) -> Option<EventCode> {
    use yichuang_core::model::CaseState as S;
    match (h.action.as_str(), h.from_state) {
        ("补齐补正", Some(S::Accepted)) => Some(EventCode::B5),
        ("补正完成", Some(S::AwaitingSupplement)) => Some(EventCode::B1),
        ("启动特别程序", _) => Some(EventCode::B11),
        ("结束特别程序", _) => Some(EventCode::B9),
        ("延长审批", _) => Some(EventCode::B10),
        _ => None,
    }
}

/// 7.2.1 统一受办: the whole concluded case, with its steps, documents and result.
fn all(case: &CaseRecord, ctx: &MapContext) -> Result<AllProjectInfo, String> {
    let result = case
        .result
        .as_ref()
        .ok_or_else(|| "办件尚无办结结果（resultinfo），不能推送统一受办办件信息".to_string())?;
    let mut basic = basic_info(case, ctx);
    basic.bj_statu = Some(ProjectStatus::Concluded);
    let processlist: Vec<Process> = case
        .history
        .iter()
        .filter_map(|h| Some((h, history_code(h)?)))
        .enumerate()
        .map(|(n, (h, code))| Process {
            no: Some(format!("{}-S{}", case.project_no, n + 1)),
            event_number: Some((n + 1).to_string()),
            event_code: Some(code),
            event_name: Some(code.label().into()),
            department: opt(&case.org_name),
            start_time: opt(&h.at),
            end_time: opt(&h.at),
            end_note: opt(&h.opinion),
            end_user_name: opt(&h.actor),
            data_sources: Some(DataSource::Hall),
            ..Default::default()
        })
        .collect();
    Ok(AllProjectInfo {
        basicinfo: Some(basic),
        materiallist: Some(materials(case, ctx)),
        processlist: Some(processlist).filter(|p| !p.is_empty()),
        doclist: Some(docs(case, |_| true)).filter(|d| !d.is_empty()),
        resultinfo: Some(vec![ResultInfo {
            no: Some(format!("{}-R", case.project_no)),
            status: Some(result.status),
            result_no: opt(&result.result_no),
            note: opt(&result.note),
            resultname: opt(&result.resultname),
            create_date: opt(&result.create_date),
            handleusername: opt(&result.handleusername),
            data_sources: Some(DataSource::Hall),
            ..Default::default()
        }]),
        certresultinfo: None,
    })
}

fn finish<P: ProjectInfo>(item: ProjectItem<P>, idem_key: &str) -> Result<Mapped, String> {
    let req = ProjectRequest::single(item);
    let missing = req.required_missing();
    if !missing.is_empty() {
        return Err(missing_message(&missing));
    }
    let mut plain = req.to_plain().map_err(|e| e.to_string())?;
    let mut item = plain["params"]["projectlist"][0].take();
    item["sign"] = Value::String(sign_for(idem_key));
    Ok(Mapped {
        interface: P::INTERFACE,
        item,
    })
}

/// The message for `entry`, or the clerk's reason why it cannot be sent (such as
/// `缺少必填项：申请者名称（applicant_name）`).
pub fn map_entry(
    entry: &OutboxEntry,
    case: &CaseRecord,
    ctx: &MapContext,
) -> Result<Mapped, String> {
    match entry.operation {
        OutboxOperation::Accept => finish(
            header(
                case,
                ctx,
                AcceptProjectInfo {
                    basicinfo: Some(basic_info(case, ctx)),
                    materiallist: Some(materials(case, ctx)),
                },
            ),
            &entry.idem_key,
        ),
        OutboxOperation::SupplyFinished => finish(
            header(
                case,
                ctx,
                SupplyFinishedInfo(SupplyProjectInfo {
                    materiallist: Some(supplied(case, ctx)),
                }),
            ),
            &entry.idem_key,
        ),
        OutboxOperation::Process => {
            finish(header(case, ctx, process(entry, case)?), &entry.idem_key)
        }
        OutboxOperation::All => finish(header(case, ctx, all(case, ctx)?), &entry.idem_key),
        OutboxOperation::File => {
            Err("附件上传（7.2.7）不经过办件列表接口，由同步程序单独发送".to_string())
        }
    }
}

/// The plain request of several mapped messages of one interface.
pub fn request_of(items: &[&Mapped]) -> Value {
    let list: Vec<Value> = items.iter().map(|m| m.item.clone()).collect();
    serde_json::json!({"params": {"projectlist": list}})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_is_a_stable_uuid_per_key() {
        let a = sign_for("P1:accept:2");
        assert_eq!(a, sign_for("P1:accept:2"));
        assert_ne!(a, sign_for("P1:accept:3"));
        let u = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(u.get_version_num(), 8);
        // The seed's scheme takes the SM4 key from the 32 hex digits of sign.
        assert_eq!(a.replace('-', "").len(), 32);
    }
}
