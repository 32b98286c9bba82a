//! The electronic-supervision data exchange of seed 002 (佛山市行政审批电子监察系统标准与规范):
//! the counter's process events as XML packages, and the receipts (`ceipte`) that come back.
//!
//! What seed 002 fixes, and is followed here exactly:
//! - 2.1: the root `Package`; the head `Head` with `Version`, `SourceID`, `DestinationID`,
//!   `SendDate` (`YYYY-MM-DD HH:MM:SS`; the extracted text reads `YYYY-MM-DDHH:MM:SS`, with the
//!   space lost, and 3.2.1 writes `YYYY-MM-DD hh24:mi:ss`: we write the space), `Priority`
//!   (one digit 0–9), `Security` (封包数据完整性的校验码) and `Remark`.
//! - 2.1.3: the body is spelled `body` (lower case) in both the table of contents and the
//!   section title, so we write `body`, not `Body`. Its children are `ask`, `reply`, `ceipte`
//!   and `controlnode`; each carries `command` nodes with the attributes `code` (命令字),
//!   `flag` (处理标志, `no` in every example) and `jhid` (交换编号, 21 digits in the examples).
//!   The text once writes `Command结点`, but every structure drawing writes `command`: we
//!   follow the drawings.
//! - 2.1.3.3: a receipt is `ceipte/command/result` whose text is `true` (received) or `false`
//!   (received badly, send again). (A `reply`'s `result` instead carries a `flag`
//!   attribute; receipts follow 2.1.3.3.)
//! - 3.1.2: the stages (业务环节) and their numbers: 1 预受理, 2 受理 (受理 and 不受理 both),
//!   3 审批过程, 4 补交告知, 5 补交受理, 6 特别程序申请, 7 特别程序结果, 8 办结, 9 附加说明
//!   (filled in on the supervision system's pages only, never exchanged).
//!
//! What seed 002 does not give: its field tables (3.2.2 onwards) are cut off in the copy we
//! have, so the encoded field names (`T017-f001` style) are unknown. Each event is one
//! `ask/command` whose `code` is the stage number of 3.1.2 and whose children are named in
//! the style of `Head` (see [`ProcessEvent`]). When the tables are found, only
//! [`write_event`] and [`read_event`] change.
//!
//! `Security`: the SM3 digest (GB/T 32905), lower-case hex, of the canonical `body`: the
//! `<body>…</body>` element exactly as [`write_package`] writes it (UTF-8, no declaration,
//! no whitespace between elements, attributes in the order code, flag, jhid, text escaped
//! with `&amp; &lt; &gt; &quot; &apos;`). A reader re-serialises the body it parsed and
//! compares, so indentation added in transit does not matter but any change of content does.

use chrono::{NaiveDate, NaiveDateTime};
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};
use serde::{Deserialize, Serialize};
use sm3::{Digest, Sm3};
use ts_rs::TS;

use crate::Desk;
use crate::error::{CoreError, Result};
use crate::model::CaseState;
use crate::store::rows::decode;
use crate::store::supervision::SupervisionQueries;
use crate::workflow::Action;

/// The exchange standard's version we write.
pub const VERSION: &str = "1.0";
/// DestinationID of a broadcast (seed 002 2.1.2.3).
pub const BROADCAST: &str = "999";
/// How deep a package may nest, and how many elements it may hold.
const MAX_DEPTH: usize = 16;
const MAX_ELEMENTS: usize = 2_000_000;

/// The stages of seed 002 3.1.2, with their numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 1 预受理 (收件, and the 一次告知 before acceptance).
    PreAcceptance,
    /// 2 受理 (受理 and 不受理).
    Acceptance,
    /// 3 审批过程.
    Approval,
    /// 4 补交告知 (a supplement asked for after acceptance).
    SupplementNotice,
    /// 5 补交受理.
    SupplementAccepted,
    /// 6 特别程序申请.
    SpecialApplication,
    /// 7 特别程序结果.
    SpecialResult,
    /// 8 办结.
    Conclusion,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::PreAcceptance,
        Stage::Acceptance,
        Stage::Approval,
        Stage::SupplementNotice,
        Stage::SupplementAccepted,
        Stage::SpecialApplication,
        Stage::SpecialResult,
        Stage::Conclusion,
    ];

    /// The 序号 of 3.1.2, used as the command's `code`.
    pub fn code(self) -> &'static str {
        match self {
            Stage::PreAcceptance => "1",
            Stage::Acceptance => "2",
            Stage::Approval => "3",
            Stage::SupplementNotice => "4",
            Stage::SupplementAccepted => "5",
            Stage::SpecialApplication => "6",
            Stage::SpecialResult => "7",
            Stage::Conclusion => "8",
        }
    }

    /// 业务环节名称.
    pub fn name(self) -> &'static str {
        match self {
            Stage::PreAcceptance => "预受理",
            Stage::Acceptance => "受理",
            Stage::Approval => "审批过程",
            Stage::SupplementNotice => "补交告知",
            Stage::SupplementAccepted => "补交受理",
            Stage::SpecialApplication => "特别程序申请",
            Stage::SpecialResult => "特别程序结果",
            Stage::Conclusion => "办结",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.code() == s)
    }
}

/// `Package/Head`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Head {
    pub version: String,
    pub source_id: String,
    pub destination_id: String,
    /// `YYYY-MM-DD HH:MM:SS`.
    pub send_date: String,
    /// 0–9, higher first.
    pub priority: u8,
    /// SM3 hex of the canonical body.
    pub security: String,
    pub remark: String,
}

/// One process event: one `ask/command`. Element names in brackets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProcessEvent {
    /// 交换编号 (`jhid`, 21 digits like the seed's examples): the event's time as
    /// YYYYMMDDHHMMSS, the last 6 digits of the event's number at this desk and 1 digit for
    /// the part (延长审批 gives two commands); stable, so a package sent again carries the
    /// same numbers.
    pub jhid: String,
    /// The command's `code`: the stage (3.1.2).
    pub stage: Stage,
    /// 办件编号 [ProjectNo].
    pub project_no: String,
    /// 事项编码 [ItemCode].
    pub item_code: String,
    /// 事项名称 [ItemName].
    pub item_name: String,
    /// 部门名称 [DeptName].
    pub dept_name: String,
    /// 环节名称 [StageName], the name of 3.1.2.
    pub stage_name: String,
    /// 办理时间 [HandleTime], `YYYY-MM-DD HH:MM:SS`.
    pub handle_time: String,
    /// 办理人 [Handler].
    pub handler: String,
    /// 窗口号 [WindowNo].
    pub window_no: String,
    /// 办理结果 [Result]: 受理, 不予受理, 作废, the special procedure's result…
    pub result: String,
    /// 办理意见 [Opinion].
    pub opinion: String,
    /// 特别程序种类 [SpecialType]: A (延长审批) or B (others); empty outside stages 6 and 7.
    pub special_type: String,
    /// 特别程序种类名称 [SpecialName].
    pub special_name: String,
    /// 承诺时限 [PromiseLimit], such as 5个工作日 (受理 only).
    pub promise_limit: String,
}

/// A package of process events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventPackage {
    pub head: Head,
    pub events: Vec<ProcessEvent>,
}

/// One `ceipte/command`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReceiptEntry {
    pub code: String,
    pub flag: String,
    pub jhid: String,
    /// `true`: received; `false`: received badly, send again.
    pub received: bool,
}

/// A receipt package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Receipt {
    pub head: Head,
    pub entries: Vec<ReceiptEntry>,
}

impl Receipt {
    /// The exchange numbers to send again.
    pub fn to_resend(&self) -> Vec<&str> {
        self.entries
            .iter()
            .filter(|e| !e.received)
            .map(|e| e.jhid.as_str())
            .collect()
    }
}

/// Why a package or receipt is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("不是格式正确的 XML：{0}")]
    Syntax(String),
    #[error("根结点应为 Package，实为 {0}")]
    Root(String),
    #[error("缺少 {0} 结点")]
    Missing(String),
    #[error("{0} 结点重复")]
    Duplicate(String),
    #[error("{parent} 下不应有 {child} 结点")]
    Unexpected { parent: String, child: String },
    #[error("{element} 的值“{value}”无效：{why}")]
    Invalid {
        element: String,
        value: String,
        why: &'static str,
    },
    #[error(
        "校验码不符：Security 为 {declared}，按包体计算应为 {computed}，数据在传输中被改动或不完整"
    )]
    Checksum { declared: String, computed: String },
    #[error("包体中没有 {0}")]
    Empty(&'static str),
    #[error("嵌套过深或结点过多")]
    TooLarge,
}

impl From<XmlError> for CoreError {
    fn from(e: XmlError) -> Self {
        CoreError::Data(e.to_string())
    }
}

// ---- writing ----

type W = Writer<Vec<u8>>;

fn io(e: std::io::Error) -> XmlError {
    XmlError::Syntax(e.to_string())
}

fn start(w: &mut W, name: &str) -> Result<(), XmlError> {
    w.write_event(Event::Start(BytesStart::new(name)))
        .map_err(io)
}

fn end(w: &mut W, name: &str) -> Result<(), XmlError> {
    w.write_event(Event::End(BytesEnd::new(name))).map_err(io)
}

/// XML 1.0 cannot carry most control characters, even escaped: they are dropped.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

fn leaf(w: &mut W, name: &str, text: &str) -> Result<(), XmlError> {
    start(w, name)?;
    let text = clean(text);
    if !text.is_empty() {
        w.write_event(Event::Text(BytesText::new(&text)))
            .map_err(io)?;
    }
    end(w, name)
}

fn command_start(w: &mut W, code: &str, flag: &str, jhid: &str) -> Result<(), XmlError> {
    let (code, flag, jhid) = (clean(code), clean(flag), clean(jhid));
    let e = BytesStart::new("command").with_attributes([
        ("code", code.as_str()),
        ("flag", flag.as_str()),
        ("jhid", jhid.as_str()),
    ]);
    w.write_event(Event::Start(e)).map_err(io)
}

/// Writes one event's command (inside `ask`).
pub fn write_event(w: &mut W, e: &ProcessEvent) -> Result<(), XmlError> {
    start(w, "ask")?;
    command_start(w, e.stage.code(), "no", &e.jhid)?;
    for (name, value) in event_fields(e) {
        leaf(w, name, value)?;
    }
    end(w, "command")?;
    end(w, "ask")
}

fn event_fields(e: &ProcessEvent) -> [(&'static str, &str); 13] {
    [
        ("ProjectNo", &e.project_no),
        ("ItemCode", &e.item_code),
        ("ItemName", &e.item_name),
        ("DeptName", &e.dept_name),
        ("StageName", &e.stage_name),
        ("HandleTime", &e.handle_time),
        ("Handler", &e.handler),
        ("WindowNo", &e.window_no),
        ("Result", &e.result),
        ("Opinion", &e.opinion),
        ("SpecialType", &e.special_type),
        ("SpecialName", &e.special_name),
        ("PromiseLimit", &e.promise_limit),
    ]
}

/// The canonical `<body>…</body>` of an event package.
pub fn canonical_event_body(events: &[ProcessEvent]) -> Result<Vec<u8>, XmlError> {
    let mut w = Writer::new(Vec::new());
    start(&mut w, "body")?;
    for e in events {
        write_event(&mut w, e)?;
    }
    end(&mut w, "body")?;
    Ok(w.into_inner())
}

/// The canonical `<body>…</body>` of a receipt.
pub fn canonical_receipt_body(entries: &[ReceiptEntry]) -> Result<Vec<u8>, XmlError> {
    let mut w = Writer::new(Vec::new());
    start(&mut w, "body")?;
    for e in entries {
        start(&mut w, "ceipte")?;
        command_start(&mut w, &e.code, &e.flag, &e.jhid)?;
        leaf(&mut w, "result", if e.received { "true" } else { "false" })?;
        end(&mut w, "command")?;
        end(&mut w, "ceipte")?;
    }
    end(&mut w, "body")?;
    Ok(w.into_inner())
}

/// SM3, lower-case hex.
pub fn checksum(body: &[u8]) -> String {
    hex::encode(Sm3::digest(body))
}

fn write_with_body(head: &Head, body: &[u8]) -> Result<String, XmlError> {
    check_head(head)?;
    let mut w = Writer::new(Vec::new());
    w.write_event(Event::Decl(quick_xml::events::BytesDecl::new(
        "1.0",
        Some("UTF-8"),
        None,
    )))
    .map_err(io)?;
    start(&mut w, "Package")?;
    start(&mut w, "Head")?;
    leaf(&mut w, "Version", &head.version)?;
    leaf(&mut w, "SourceID", &head.source_id)?;
    leaf(&mut w, "DestinationID", &head.destination_id)?;
    leaf(&mut w, "SendDate", &head.send_date)?;
    leaf(&mut w, "Priority", &head.priority.to_string())?;
    leaf(&mut w, "Security", &checksum(body))?;
    leaf(&mut w, "Remark", &head.remark)?;
    end(&mut w, "Head")?;
    let mut out = w.into_inner();
    out.extend_from_slice(body);
    out.extend_from_slice(b"</Package>");
    String::from_utf8(out).map_err(|e| XmlError::Syntax(e.to_string()))
}

/// Writes an event package; `head.security` is ignored and computed from the body.
pub fn write_package(head: &Head, events: &[ProcessEvent]) -> Result<String, XmlError> {
    write_with_body(head, &canonical_event_body(events)?)
}

/// Writes a receipt; `head.security` is ignored and computed from the body.
pub fn write_receipt(head: &Head, entries: &[ReceiptEntry]) -> Result<String, XmlError> {
    write_with_body(head, &canonical_receipt_body(entries)?)
}

fn check_head(h: &Head) -> Result<(), XmlError> {
    let invalid = |element: &str, value: &str, why| XmlError::Invalid {
        element: element.into(),
        value: value.into(),
        why,
    };
    if h.version.trim().is_empty() {
        return Err(XmlError::Missing("Head/Version".into()));
    }
    if h.source_id.trim().is_empty() {
        return Err(XmlError::Missing("Head/SourceID".into()));
    }
    if h.destination_id.trim().is_empty() {
        return Err(XmlError::Missing("Head/DestinationID".into()));
    }
    if NaiveDateTime::parse_from_str(&h.send_date, "%Y-%m-%d %H:%M:%S").is_err()
        || h.send_date.len() != 19
    {
        return Err(invalid(
            "SendDate",
            &h.send_date,
            "应为 YYYY-MM-DD HH:MM:SS",
        ));
    }
    if h.priority > 9 {
        return Err(invalid(
            "Priority",
            &h.priority.to_string(),
            "应为0至9的一位数字",
        ));
    }
    Ok(())
}

// ---- reading ----

/// A parsed element: name, attributes, text, children.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn child(&self, name: &str) -> Result<&Node, XmlError> {
        let mut found = self.children.iter().filter(|c| c.name == name);
        let first = found
            .next()
            .ok_or_else(|| XmlError::Missing(format!("{}/{name}", self.name)))?;
        if found.next().is_some() {
            return Err(XmlError::Duplicate(format!("{}/{name}", self.name)));
        }
        Ok(first)
    }

    fn text_of(&self, name: &str) -> Result<String, XmlError> {
        let c = self.child(name)?;
        if let Some(g) = c.children.first() {
            return Err(XmlError::Unexpected {
                parent: name.into(),
                child: g.name.clone(),
            });
        }
        Ok(c.text.trim().to_string())
    }

    fn attr(&self, name: &str) -> Result<String, XmlError> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| XmlError::Missing(format!("{} 的 {name} 属性", self.name)))
    }

    fn only(&self, allowed: &[&str]) -> Result<(), XmlError> {
        match self
            .children
            .iter()
            .find(|c| !allowed.contains(&c.name.as_str()))
        {
            Some(c) => Err(XmlError::Unexpected {
                parent: self.name.clone(),
                child: c.name.clone(),
            }),
            None => Ok(()),
        }
    }
}

fn syntax(e: impl std::fmt::Display) -> XmlError {
    XmlError::Syntax(e.to_string())
}

/// Parses a whole document into its root element.
fn parse_tree(xml: &str) -> Result<Node, XmlError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    let mut count = 0usize;
    let open = |e: &BytesStart| -> Result<Node, XmlError> {
        let qname = e.name();
        let name: &str = qname.as_ref();
        let name = name.to_string();
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(syntax)?;
            let key: &str = a.key.as_ref();
            let key = key.to_string();
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(syntax)?
                .into_owned();
            attrs.push((key, value));
        }
        Ok(Node {
            name,
            attrs,
            ..Node::default()
        })
    };
    loop {
        let event = reader
            .read_event()
            .map_err(|e| XmlError::Syntax(format!("第{}字节附近：{e}", reader.error_position())))?;
        match event {
            Event::Start(e) | Event::Empty(e) if root.is_some() => {
                let _ = e;
                return Err(XmlError::Syntax("根结点之后还有内容".into()));
            }
            Event::Start(e) => {
                count += 1;
                if stack.len() >= MAX_DEPTH || count > MAX_ELEMENTS {
                    return Err(XmlError::TooLarge);
                }
                stack.push(open(&e)?);
            }
            Event::Empty(e) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(XmlError::TooLarge);
                }
                let node = open(&e)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::End(_) => {
                let node = stack
                    .pop()
                    .ok_or_else(|| XmlError::Syntax("多余的结束标签".into()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Text(t) => {
                let s = t.xml10_content();
                match stack.last_mut() {
                    Some(n) => n.text.push_str(&s),
                    None if s.trim().is_empty() => {}
                    None => return Err(XmlError::Syntax("根结点之外有文本".into())),
                }
            }
            Event::CData(t) => {
                let s = t.xml10_content().into_owned();
                match stack.last_mut() {
                    Some(n) => n.text.push_str(&s),
                    None => return Err(XmlError::Syntax("根结点之外有 CDATA".into())),
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(syntax)? {
                    Some(c) => c.to_string(),
                    None => {
                        let name: &str = &r;
                        quick_xml::escape::resolve_predefined_entity(name)
                            .ok_or_else(|| XmlError::Syntax(format!("未定义的实体 &{name};")))?
                            .to_string()
                    }
                };
                match stack.last_mut() {
                    Some(n) => n.text.push_str(&resolved),
                    None => return Err(XmlError::Syntax("根结点之外有文本".into())),
                }
            }
            Event::DocType(_) => {
                return Err(XmlError::Syntax("不接受 DOCTYPE".into()));
            }
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(XmlError::Syntax("文档不完整：有未结束的结点".into()));
    }
    root.ok_or_else(|| XmlError::Missing("Package".into()))
}

fn read_head(pkg: &Node) -> Result<Head, XmlError> {
    let head = pkg.child("Head")?;
    head.only(&[
        "Version",
        "SourceID",
        "DestinationID",
        "SendDate",
        "Priority",
        "Security",
        "Remark",
    ])?;
    let priority_s = head.text_of("Priority")?;
    let priority = match priority_s.as_bytes() {
        [d @ b'0'..=b'9'] => d - b'0',
        _ => {
            return Err(XmlError::Invalid {
                element: "Priority".into(),
                value: priority_s,
                why: "应为0至9的一位数字",
            });
        }
    };
    let h = Head {
        version: head.text_of("Version")?,
        source_id: head.text_of("SourceID")?,
        destination_id: head.text_of("DestinationID")?,
        send_date: head.text_of("SendDate")?,
        priority,
        security: head.text_of("Security")?,
        // Remark may be left out.
        remark: match head.text_of("Remark") {
            Err(XmlError::Missing(_)) => String::new(),
            other => other?,
        },
    };
    check_head(&h)?;
    Ok(h)
}

fn read_package_root(xml: &str) -> Result<Node, XmlError> {
    let root = parse_tree(xml)?;
    if root.name != "Package" {
        return Err(XmlError::Root(root.name));
    }
    root.only(&["Head", "body"])?;
    Ok(root)
}

fn verify(head: &Head, canonical: &[u8]) -> Result<(), XmlError> {
    let computed = checksum(canonical);
    if !head.security.eq_ignore_ascii_case(&computed) {
        return Err(XmlError::Checksum {
            declared: head.security.clone(),
            computed,
        });
    }
    Ok(())
}

fn command_of(wrapper: &Node) -> Result<&Node, XmlError> {
    wrapper.only(&["command"])?;
    wrapper.child("command")
}

fn jhid_ok(jhid: &str) -> Result<(), XmlError> {
    if jhid.is_empty() || jhid.len() > 64 || !jhid.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(XmlError::Invalid {
            element: "command/@jhid".into(),
            value: jhid.into(),
            why: "交换编号应为1至64位字母或数字",
        });
    }
    Ok(())
}

/// Reads one `ask` into an event.
fn read_event(ask: &Node) -> Result<ProcessEvent, XmlError> {
    let c = command_of(ask)?;
    let code = c.attr("code")?;
    let stage = Stage::from_code(&code).ok_or_else(|| XmlError::Invalid {
        element: "command/@code".into(),
        value: code.clone(),
        why: "不是第3.1.2节的业务环节序号（1至8）",
    })?;
    let jhid = c.attr("jhid")?;
    jhid_ok(&jhid)?;
    let names: Vec<&str> = event_fields_names().to_vec();
    c.only(&names)?;
    let t = |n: &str| c.text_of(n);
    let e = ProcessEvent {
        jhid,
        stage,
        project_no: t("ProjectNo")?,
        item_code: t("ItemCode")?,
        item_name: t("ItemName")?,
        dept_name: t("DeptName")?,
        stage_name: t("StageName")?,
        handle_time: t("HandleTime")?,
        handler: t("Handler")?,
        window_no: t("WindowNo")?,
        result: t("Result")?,
        opinion: t("Opinion")?,
        special_type: t("SpecialType")?,
        special_name: t("SpecialName")?,
        promise_limit: t("PromiseLimit")?,
    };
    if e.project_no.is_empty() {
        return Err(XmlError::Missing("command/ProjectNo 的值".into()));
    }
    if e.stage_name != stage.name() {
        return Err(XmlError::Invalid {
            element: "StageName".into(),
            value: e.stage_name,
            why: "与 command 的 code 所指环节不一致",
        });
    }
    if NaiveDateTime::parse_from_str(&e.handle_time, "%Y-%m-%d %H:%M:%S").is_err() {
        return Err(XmlError::Invalid {
            element: "HandleTime".into(),
            value: e.handle_time,
            why: "应为 YYYY-MM-DD HH:MM:SS",
        });
    }
    Ok(e)
}

fn event_fields_names() -> [&'static str; 13] {
    [
        "ProjectNo",
        "ItemCode",
        "ItemName",
        "DeptName",
        "StageName",
        "HandleTime",
        "Handler",
        "WindowNo",
        "Result",
        "Opinion",
        "SpecialType",
        "SpecialName",
        "PromiseLimit",
    ]
}

/// Parses an event package and checks its checksum.
pub fn read_package(xml: &str) -> Result<EventPackage, XmlError> {
    let root = read_package_root(xml)?;
    let head = read_head(&root)?;
    let body = root.child("body")?;
    body.only(&["ask"])?;
    let events = body
        .children
        .iter()
        .map(read_event)
        .collect::<Result<Vec<_>, _>>()?;
    if events.is_empty() {
        return Err(XmlError::Empty("ask"));
    }
    verify(&head, &canonical_event_body(&events)?)?;
    Ok(EventPackage { head, events })
}

/// Parses a receipt (`body/ceipte/command/result`) and checks its checksum.
pub fn read_receipt(xml: &str) -> Result<Receipt, XmlError> {
    let root = read_package_root(xml)?;
    let head = read_head(&root)?;
    let body = root.child("body")?;
    body.only(&["ceipte"])?;
    let mut entries = Vec::new();
    for ceipte in &body.children {
        let c = command_of(ceipte)?;
        c.only(&["result"])?;
        let jhid = c.attr("jhid")?;
        jhid_ok(&jhid)?;
        let result = c.text_of("result")?;
        let received = match result.as_str() {
            "true" => true,
            "false" => false,
            _ => {
                return Err(XmlError::Invalid {
                    element: "ceipte/command/result".into(),
                    value: result,
                    why: "应为 true 或 false",
                });
            }
        };
        entries.push(ReceiptEntry {
            code: c.attr("code")?,
            flag: c.attr("flag")?,
            jhid,
            received,
        });
    }
    if entries.is_empty() {
        return Err(XmlError::Empty("ceipte"));
    }
    verify(&head, &canonical_receipt_body(&entries)?)?;
    Ok(Receipt { head, entries })
}

// ---- from the store ----

/// Options of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportOptions {
    /// SourceID; the desk's 行政区划编码 if empty.
    pub source_id: String,
    /// DestinationID; [`BROADCAST`] if empty.
    pub destination_id: String,
    pub priority: u8,
    pub remark: String,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            source_id: String::new(),
            destination_id: String::new(),
            priority: 5,
            remark: String::new(),
        }
    }
}

/// The stage(s) of one history entry; `None`: not reported (a withdrawal is 办结 作废).
fn stages_of(
    action: Option<Action>,
    from: Option<CaseState>,
    to: CaseState,
) -> &'static [(Stage, &'static str)] {
    use CaseState as S;
    match action {
        Some(Action::Receive) => &[(Stage::PreAcceptance, "收件")],
        Some(Action::Submit) => &[(Stage::PreAcceptance, "提交受理（受理中）")],
        Some(Action::Accept) => &[(Stage::Acceptance, "受理")],
        Some(Action::Reject) => &[(Stage::Acceptance, "不予受理")],
        Some(Action::RequestSupplement) if from == Some(S::Accepted) => {
            &[(Stage::SupplementNotice, "补交告知")]
        }
        // Before acceptance it is the 一次告知 of 预受理 (3.1.2 item 4 says they differ).
        Some(Action::RequestSupplement) => &[(Stage::PreAcceptance, "一次告知")],
        Some(Action::CompleteSupplement) if from == Some(S::AwaitingSupplement) => {
            &[(Stage::SupplementAccepted, "补交受理")]
        }
        Some(Action::CompleteSupplement) => &[(Stage::PreAcceptance, "补正完成")],
        Some(Action::Suspend) => &[(Stage::SpecialApplication, "")],
        Some(Action::Resume) => &[(Stage::SpecialResult, "")],
        // 延长审批 is applied and decided at once: an application and its result (3.1.2
        // item 6: the two correspond one to one).
        Some(Action::Extend) => &[
            (Stage::SpecialApplication, ""),
            (Stage::SpecialResult, "同意延长"),
        ],
        Some(Action::Withdraw) if to == S::Withdrawn => &[(Stage::Conclusion, "作废")],
        Some(Action::Conclude) => &[(Stage::Conclusion, "办结")],
        _ => &[],
    }
}

impl Desk {
    /// The process events recorded on days `from..=to` (hall time), oldest first, as seed 002
    /// stages.
    pub async fn supervision_events(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ProcessEvent>> {
        let lo = format!("{} 00:00:00", from.format("%Y-%m-%d"));
        let hi = format!("{} 23:59:59", to.format("%Y-%m-%d"));
        let queries = self.store.supervision();
        let rows = queries.history_between(&lo, &hi).await?;
        let mut out = Vec::new();
        for r in rows {
            let action = Action::ALL.into_iter().find(|a| a.label() == r.action);
            let from_state = r.from_state.as_deref().and_then(CaseState::parse);
            let to_state = decode("to_state", &r.to_state, CaseState::parse)?;
            let stages = stages_of(action, from_state, to_state);
            if stages.is_empty() {
                continue;
            }
            let at = r.at.clone();
            let opinion = r.opinion.clone();
            // The clock entry this event opened or closed, for the special procedure's name.
            let special = if matches!(
                action,
                Some(Action::Suspend | Action::Resume | Action::Extend)
            ) {
                queries.special_clock_at(r.case_id, &at).await?
            } else {
                None
            };
            let (special_type, special_name) = match special {
                Some((kind, name)) => (kind.special_type().unwrap_or_default().to_string(), name),
                None => (String::new(), String::new()),
            };
            let id = r.id;
            let stamp: String = at.chars().filter(char::is_ascii_digit).take(14).collect();
            let promise = u32::try_from(r.promise).unwrap_or(0);
            let unit = decode(
                "promise_type",
                &r.promise_type,
                crate::dict::TimeUnit::from_code,
            )?;
            for (i, (stage, result)) in stages.iter().enumerate() {
                let result = match stage {
                    Stage::SpecialResult if result.is_empty() => opinion.clone(),
                    _ => result.to_string(),
                };
                out.push(ProcessEvent {
                    jhid: format!("{stamp:0<14}{:06}{i}", id.rem_euclid(1_000_000)),
                    stage: *stage,
                    project_no: r.project_no.clone(),
                    item_code: r.dept_ql_reg_no.clone(),
                    item_name: r.dept_ql_name.clone(),
                    dept_name: r.org_name.clone(),
                    stage_name: stage.name().to_string(),
                    handle_time: at.clone(),
                    handler: r.actor.clone(),
                    window_no: r.window_no.clone(),
                    result,
                    opinion: opinion.clone(),
                    special_type: special_type.clone(),
                    special_name: special_name.clone(),
                    promise_limit: if *stage == Stage::Acceptance && action == Some(Action::Accept)
                    {
                        crate::dict::time_limit_text(promise, unit)
                    } else {
                        String::new()
                    },
                });
            }
        }
        Ok(out)
    }

    /// The process events of days `from..=to` as one seed 002 package, sent now. `None` if
    /// there were no events.
    pub async fn supervision_package(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        options: &ExportOptions,
    ) -> Result<Option<(String, usize)>> {
        if to < from {
            return Err(CoreError::Validation(vec![crate::model::FieldError {
                field: "to".into(),
                label: "截止日期".into(),
                message: "截止日期不能早于起始日期".into(),
            }]));
        }
        let events = self.supervision_events(from, to).await?;
        if events.is_empty() {
            return Ok(None);
        }
        let profile = self.profile().await?;
        let or = |s: &str, d: &str| {
            if s.trim().is_empty() {
                d.to_string()
            } else {
                s.trim().to_string()
            }
        };
        let head = Head {
            version: VERSION.into(),
            source_id: or(&options.source_id, &profile.area_no),
            destination_id: or(&options.destination_id, BROADCAST),
            send_date: crate::time::spec_time(&self.now()),
            priority: options.priority,
            security: String::new(),
            remark: options.remark.clone(),
        };
        Ok(Some((write_package(&head, &events)?, events.len())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head() -> Head {
        Head {
            version: VERSION.into(),
            source_id: "440604".into(),
            destination_id: BROADCAST.into(),
            send_date: "2026-11-09 17:30:00".into(),
            priority: 5,
            security: String::new(),
            remark: "测试 <备注> & \"引号\"".into(),
        }
    }

    fn event(stage: Stage, jhid: &str) -> ProcessEvent {
        ProcessEvent {
            jhid: jhid.into(),
            stage,
            project_no: "11440600MB2C924560444211300300120261102 0001".replace(' ', ""),
            item_code: "11440600MB2C92456044421130030012".into(),
            item_name: "食品经营许可证核发".into(),
            dept_name: "佛山市市场监督管理局".into(),
            stage_name: stage.name().into(),
            handle_time: "2026-11-02 10:00:00".into(),
            handler: "张三".into(),
            window_no: "A03".into(),
            result: "受理".into(),
            opinion: "材料齐全 & 符合<法定>形式".into(),
            special_type: String::new(),
            special_name: String::new(),
            promise_limit: "5个工作日".into(),
        }
    }

    #[test]
    fn a_package_reads_back_as_written() {
        let events = vec![
            event(Stage::Acceptance, "202611021000000000010"),
            event(Stage::SupplementNotice, "202611031000000000020"),
            ProcessEvent {
                special_type: "B".into(),
                special_name: "听证".into(),
                ..event(Stage::SpecialApplication, "202611041000000000030")
            },
        ];
        let xml = write_package(&head(), &events).unwrap();
        assert!(
            xml.starts_with(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Package><Head><Version>1.0</Version>"
            ),
            "{xml}"
        );
        assert!(xml.contains("<SendDate>2026-11-09 17:30:00</SendDate>"));
        assert!(
            xml.contains(
                r#"<body><ask><command code="2" flag="no" jhid="202611021000000000010"><ProjectNo>"#
            ),
            "{xml}"
        );
        assert!(xml.contains("<StageName>补交告知</StageName>"));
        let back = read_package(&xml).unwrap();
        assert_eq!(back.events, events);
        let mut expect = head();
        let body = canonical_event_body(&events).unwrap();
        expect.security = checksum(&body);
        assert_eq!(back.head, expect);
        assert_eq!(back.head.security.len(), 64);
        // The checksum is the SM3 of exactly the body bytes in the file.
        let s = xml.find("<body>").unwrap();
        let e = xml.rfind("</body>").unwrap() + "</body>".len();
        assert_eq!(checksum(&xml.as_bytes()[s..e]), back.head.security);
        // Indentation between elements does not change the content.
        let pretty = xml
            .replace("<ask>", "\n  <ask>\n    ")
            .replace("</ask>", "\n  </ask>");
        assert_eq!(read_package(&pretty).unwrap().events, events);
    }

    #[test]
    fn a_changed_body_fails_the_checksum() {
        let events = vec![event(Stage::Acceptance, "202611021000000000010")];
        let xml = write_package(&head(), &events).unwrap();
        let tampered = xml.replace("<Handler>张三</Handler>", "<Handler>李四</Handler>");
        assert_ne!(tampered, xml);
        let err = read_package(&tampered).unwrap_err();
        assert!(matches!(err, XmlError::Checksum { .. }), "{err}");
        assert!(err.to_string().contains("校验码不符"));
        // A changed Security is refused the same way.
        let sec = checksum(&canonical_event_body(&events).unwrap());
        let wrong = xml.replace(&sec, &"0".repeat(64));
        assert!(matches!(
            read_package(&wrong),
            Err(XmlError::Checksum { .. })
        ));
        // Upper-case hex is the same digest.
        let upper = xml.replace(&sec, &sec.to_uppercase());
        assert!(read_package(&upper).is_ok());
    }

    #[test]
    fn receipts_parse_and_name_what_to_send_again() {
        let entries = vec![
            ReceiptEntry {
                code: "2".into(),
                flag: "no".into(),
                jhid: "202611021000000000010".into(),
                received: true,
            },
            ReceiptEntry {
                code: "4".into(),
                flag: "no".into(),
                jhid: "202611031000000000020".into(),
                received: false,
            },
        ];
        let xml = write_receipt(&head(), &entries).unwrap();
        assert!(xml.contains(r#"<ceipte><command code="2" flag="no" jhid="202611021000000000010"><result>true</result></command></ceipte>"#), "{xml}");
        let r = read_receipt(&xml).unwrap();
        assert_eq!(r.entries, entries);
        assert_eq!(r.to_resend(), ["202611031000000000020"]);
        // The seed's own example (2.1.3.3), with a head and its checksum, indented.
        let body = r#"<body><ceipte><command code="GSJ50" flag="no" jhid="200408110915356716317"><result>true</result></command></ceipte></body>"#;
        let doc = format!(
            "<?xml version=\"1.0\"?>\n<Package>\n <Head><Version>1.0</Version><SourceID>001</SourceID><DestinationID>999</DestinationID><SendDate>2004-08-11 09:15:35</SendDate><Priority>9</Priority><Security>{}</Security><Remark/></Head>\n {}\n</Package>\n",
            checksum(body.as_bytes()),
            body.replace("<result>", "\n   <result>")
        );
        let r = read_receipt(&doc).unwrap();
        assert_eq!(r.entries[0].code, "GSJ50");
        assert_eq!(r.entries[0].jhid, "200408110915356716317");
        assert!(r.entries[0].received);
        assert_eq!(r.head.priority, 9);
        assert!(r.to_resend().is_empty());
    }

    #[test]
    fn malformed_packages_and_receipts_are_refused_with_a_reason() {
        let entries = vec![ReceiptEntry {
            code: "2".into(),
            flag: "no".into(),
            jhid: "202611021000000000010".into(),
            received: true,
        }];
        let good = write_receipt(&head(), &entries).unwrap();
        let cases: Vec<(String, &str)> = vec![
            ("".into(), "缺少 Package"),
            ("<Package><Head>".into(), "不完整"),
            ("not xml at all <".into(), "XML"),
            (good.replace("</Package>", ""), "不完整"),
            (good.replace("Package>", "Packet>"), "根结点应为 Package"),
            (
                good.replace("<body>", "<Body>")
                    .replace("</body>", "</Body>"),
                "不应有 Body",
            ),
            (
                good.replace("<Priority>5</Priority>", "<Priority>10</Priority>"),
                "Priority",
            ),
            (
                good.replace("<Priority>5</Priority>", ""),
                "缺少 Head/Priority",
            ),
            (
                good.replace("2026-11-09 17:30:00", "2026/11/09 17:30"),
                "SendDate",
            ),
            (
                good.replace(
                    "<SourceID>440604</SourceID>",
                    "<SourceID>440604</SourceID><SourceID>1</SourceID>",
                ),
                "重复",
            ),
            (
                good.replace("<result>true</result>", "<result>yes</result>"),
                "true 或 false",
            ),
            (good.replace(" jhid=\"202611021000000000010\"", ""), "jhid"),
            (
                good.replace("jhid=\"202611021000000000010\"", "jhid=\"12 34\""),
                "交换编号",
            ),
            (
                good.replace("<Version>1.0</Version>", "<Version>1.0</Version><Extra/>"),
                "不应有 Extra",
            ),
            (good.replace("<body>", "<!DOCTYPE x><body>"), "XML"),
            (
                good.replace("<result>true</result>", "<result>&bogus;</result>"),
                "实体",
            ),
        ];
        for (xml, why) in &cases {
            let err = read_receipt(xml).unwrap_err();
            assert!(err.to_string().contains(why), "{why}: {err} for {xml}");
        }
        // A receipt is not an event package, nor the reverse.
        assert!(
            read_package(&good)
                .unwrap_err()
                .to_string()
                .contains("不应有 ceipte")
        );
        let pkg = write_package(&head(), &[event(Stage::Acceptance, "1")]).unwrap();
        assert!(
            read_receipt(&pkg)
                .unwrap_err()
                .to_string()
                .contains("不应有 ask")
        );
        // An empty body, an unknown stage, a stage name not matching its code.
        let empty = write_package(&head(), &[]).unwrap();
        assert_eq!(read_package(&empty).unwrap_err(), XmlError::Empty("ask"));
        let bad_code = pkg.replace("code=\"2\"", "code=\"9\"");
        assert!(
            read_package(&bad_code)
                .unwrap_err()
                .to_string()
                .contains("业务环节序号")
        );
        let bad_name = pkg.replace("<StageName>受理</StageName>", "<StageName>办结</StageName>");
        assert!(
            read_package(&bad_name)
                .unwrap_err()
                .to_string()
                .contains("不一致")
        );
        // Deep nesting is refused without recursion trouble.
        let deep = format!("{}{}", "<a>".repeat(100), "</a>".repeat(100));
        assert_eq!(read_receipt(&deep).unwrap_err(), XmlError::TooLarge);
        // Writing refuses a bad head too.
        let mut h = head();
        h.priority = 12;
        assert!(write_package(&h, &[]).is_err());
    }

    #[test]
    fn control_characters_are_dropped_not_written() {
        let mut e = event(Stage::Acceptance, "1");
        e.opinion = "意见\u{1}\u{7}有\t制表".into();
        let xml = write_package(&head(), &[e.clone()]).unwrap();
        let back = read_package(&xml).unwrap();
        assert_eq!(back.events[0].opinion, "意见有\t制表");
    }
}
