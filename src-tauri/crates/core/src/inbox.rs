//! What the provincial hub (办件中心) forwards to the desk: seed 000 says departments push
//! supplement requests (7.2.3), process steps (7.2.5) and results (7.2.6) towards the
//! acceptance system, but not how a desk receives them. A counter PC usually cannot be called
//! from outside, so the desk **polls** (see `yichuang_sync::worker` and docs/sync.md):
//!
//! 1. the worker asks the hub's polling endpoint for the messages after its cursor;
//! 2. each message is decoded and applied here, in one transaction together with its
//!    [`inbox`](Desk::inbox_list) row, whose `msgid` is unique: a message delivered twice
//!    (a duplicate from the hub, a poll repeated after a crash) is applied once;
//! 3. the cursor is stored only after the batch is applied ([`Desk::set_hub_cursor`]).
//!
//! What a message does:
//! - **7.2.3 supplement request** on an accepted case: 受理后待补正, the clock pauses, the
//!   materials are recorded, a 补齐补正通知书 is issued for the applicant, and the clerk is
//!   notified. No message goes back: the department asked.
//! - **7.2.5 process step**: recorded in the case's history; its documents are listed and
//!   fetched through 7.2.8.
//! - **7.2.6 result** on an accepted (or paused) case: 已办结, the clock stops, the result is
//!   recorded, and the clerk is notified that it is ready for hand-over.
//!
//! A message for a case this desk does not hold, or one that does not fit the case's state,
//! is kept in the inbox with the reason and changes nothing.

use crate::desk::{Desk, insert_event};
use crate::dict::HandleResult;
use crate::error::{CoreError, Result};
use crate::model::{
    CaseResult, CaseState, DeskProfile, Notification, SupplementItem, SupplementRequest,
};
use crate::store;
use crate::store::inbox::{HistoryLine, InboxRecord};
use crate::time::spec_time;
use crate::workflow::{Action, transition};

/// How many working days the applicant gets for a supplement the department asks for.
pub const HUB_SUPPLEMENT_DAYS: u32 = 5;

/// A message from the hub, decoded into what it means for the desk.
#[derive(Debug, Clone, PartialEq)]
pub enum HubInstruction {
    /// 7.2.3.
    SupplementRequest {
        opinion: String,
        materials: Vec<RequestedMaterial>,
    },
    /// 7.2.5, one step.
    ProcessStep {
        event_code: String,
        event_name: String,
        department: String,
        actor: String,
        note: String,
        docs: Vec<IncomingDoc>,
    },
    /// 7.2.6.
    Result {
        status: HandleResult,
        result_no: String,
        note: String,
        resultname: String,
        handleusername: String,
        create_date: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestedMaterial {
    /// The department's material number; matched to the item's catalog by number or name.
    pub no: String,
    pub sj_file_name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IncomingDoc {
    pub attachguid: String,
    pub docname: String,
    pub docnumber: String,
}

/// Which message, as the hub delivered it.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// Unique per message (and per `projectlist` entry within it).
    pub msgid: String,
    pub seq: u64,
    /// The interface, such as `pushSupply`.
    pub interface: String,
    pub project_no: String,
}

/// What became of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InboxOutcome {
    /// It changed the case.
    Applied,
    /// Kept in the history, no change of state.
    Recorded,
    /// Seen before (same `msgid`): nothing done.
    Duplicate,
    /// No such case at this desk.
    UnknownCase,
    /// It does not fit the case's state; the reason.
    Refused(String),
    /// It could not be read; the reason.
    Malformed(String),
}

impl Envelope {
    /// The inbox row that records this message, about `project_no`, with its outcome.
    pub(crate) fn record<'a>(
        &'a self,
        project_no: &'a str,
        received_at: &'a str,
        outcome: &InboxOutcome,
        detail: &'a str,
    ) -> InboxRecord<'a> {
        InboxRecord {
            msgid: &self.msgid,
            seq: self.seq,
            interface: &self.interface,
            project_no,
            received_at,
            outcome: outcome.code(),
            detail,
        }
    }
}

impl InboxOutcome {
    pub(crate) fn code(&self) -> &'static str {
        match self {
            InboxOutcome::Applied => "applied",
            InboxOutcome::Recorded => "recorded",
            InboxOutcome::Duplicate => "duplicate",
            InboxOutcome::UnknownCase => "unknown_case",
            InboxOutcome::Refused(_) => "refused",
            InboxOutcome::Malformed(_) => "malformed",
        }
    }
}

/// The actor recorded for a department's step.
fn dept_actor(desk: &DeskProfile, org_name: &str, who: &str) -> DeskProfile {
    let name = match (org_name.trim(), who.trim()) {
        ("", "") => "审批部门".to_string(),
        (org, "") => org.to_string(),
        ("", who) => who.to_string(),
        (org, who) => format!("{org}·{who}"),
    };
    DeskProfile {
        clerk_name: name,
        window_no: "办件中心".into(),
        ..desk.clone()
    }
}

pub use crate::store::inbox::InboxRow;
pub(crate) use crate::store::inbox::{insert_result, read_hub_documents, read_result};
pub(crate) use crate::store::notifications::notify;

impl Desk {
    /// Applies one message from the hub; see the module documentation. `decoded` is the
    /// message, or why it could not be read.
    pub async fn apply_incoming(
        &self,
        env: &Envelope,
        decoded: std::result::Result<HubInstruction, String>,
    ) -> Result<InboxOutcome> {
        let now = self.now();
        let at = spec_time(&now);
        let profile = self.profile().await?;
        let catalog = self.catalog().await?;
        let mut tx = self.store.write().await?;
        if store::inbox::seen(&mut tx, &env.msgid).await? {
            return Ok(InboxOutcome::Duplicate);
        }
        let case = store::inbox::message_case(&mut tx, env.project_no.trim()).await?;
        let outcome = match (decoded, case) {
            (Err(reason), _) => InboxOutcome::Malformed(reason),
            (Ok(_), None) => InboxOutcome::UnknownCase,
            (Ok(instruction), Some(case)) => {
                let case_id = case.id;
                let state = case.state;
                let org_name = case.org_name;
                let item_code = case.dept_ql_reg_no;
                let item = catalog.iter().find(|i| i.dept_ql_reg_no == item_code);
                let ctx = Ctx {
                    case_id,
                    state,
                    org_name: &org_name,
                    profile: &profile,
                    project_no: env.project_no.trim(),
                    at: &at,
                };
                match instruction {
                    HubInstruction::SupplementRequest { opinion, materials } => {
                        let Some(item) = item else {
                            return Err(CoreError::NotFound(format!(
                                "事项 {item_code}（已不在目录中）"
                            )));
                        };
                        self.incoming_supplement(&mut tx, &ctx, item, &opinion, &materials, now)
                            .await?
                    }
                    HubInstruction::ProcessStep {
                        event_code: _,
                        event_name,
                        department,
                        actor,
                        note,
                        docs,
                    } => {
                        let dept = if department.trim().is_empty() {
                            org_name.as_str()
                        } else {
                            department.as_str()
                        };
                        let who = dept_actor(&profile, dept, &actor);
                        // Clerks do not know the event codes (B1–B11): the history shows the
                        // step's name only (events stored before kept the code in brackets).
                        let name = if event_name.trim().is_empty() {
                            "审批环节".to_string()
                        } else {
                            event_name.trim().to_string()
                        };
                        store::inbox::insert_history_line(
                            &mut tx,
                            &HistoryLine {
                                case_id,
                                at: &at,
                                actor: &who.clerk_name,
                                window_no: &who.window_no,
                                action: &format!("部门办理：{name}"),
                                state,
                                opinion: note.trim(),
                            },
                        )
                        .await?;
                        for d in &docs {
                            store::inbox::insert_hub_document(
                                &mut tx,
                                case_id,
                                d.attachguid.trim(),
                                d.docname.trim(),
                                d.docnumber.trim(),
                                &at,
                            )
                            .await?;
                        }
                        InboxOutcome::Recorded
                    }
                    HubInstruction::Result {
                        status,
                        result_no,
                        note,
                        resultname,
                        handleusername,
                        create_date,
                    } => {
                        let result = CaseResult {
                            status,
                            result_no,
                            note,
                            resultname,
                            handleusername,
                            create_date,
                            from_hub: true,
                            recorded_at: at.clone(),
                        };
                        self.incoming_result(&mut tx, &ctx, &result).await?
                    }
                }
            }
        };
        let detail = match &outcome {
            InboxOutcome::Refused(r) | InboxOutcome::Malformed(r) => r.clone(),
            InboxOutcome::UnknownCase => format!("本窗口没有办件 {}", env.project_no),
            _ => String::new(),
        };
        if let InboxOutcome::Refused(reason) = &outcome {
            notify(
                &mut tx,
                &at,
                "refused",
                env.project_no.trim(),
                &format!("办件中心消息未能处理：{}", env.project_no.trim()),
                reason,
            )
            .await?;
        }
        store::inbox::record(
            &mut tx,
            &env.record(env.project_no.trim(), &at, &outcome, &detail),
        )
        .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn incoming_supplement(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
        ctx: &Ctx<'_>,
        item: &crate::model::CatalogItem,
        opinion: &str,
        materials: &[RequestedMaterial],
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<InboxOutcome> {
        if ctx.state == CaseState::AwaitingSupplement {
            return Ok(InboxOutcome::Refused(
                "办件已在“受理后待补正”，上一次补正尚未完成".into(),
            ));
        }
        let to = match transition(Some(ctx.state), Action::RequestSupplement) {
            Ok(CaseState::AwaitingSupplement) => CaseState::AwaitingSupplement,
            _ => {
                return Ok(InboxOutcome::Refused(format!(
                    "办件当前为“{}”，部门不能要求受理后补正",
                    ctx.state.label()
                )));
            }
        };
        let opinion = if opinion.trim().is_empty() {
            "审批部门要求补齐补正材料"
        } else {
            opinion.trim()
        };
        let items: Vec<SupplementItem> = materials
            .iter()
            .map(|m| {
                let known = item
                    .materials
                    .iter()
                    .find(|c| c.no == m.no.trim() || c.sj_file_name == m.sj_file_name.trim());
                SupplementItem {
                    no: known.map_or_else(|| m.no.trim().to_string(), |c| c.no.clone()),
                    sj_file_name: known.map_or_else(
                        || m.sj_file_name.trim().to_string(),
                        |c| c.sj_file_name.clone(),
                    ),
                    reason: opinion.to_string(),
                }
            })
            .collect();
        let request = SupplementRequest {
            materials: items,
            limit_days: HUB_SUPPLEMENT_DAYS,
            opinion: opinion.to_string(),
        };
        self.insert_supplement(tx, ctx.case_id, item, &request, now.date_naive(), ctx.at)
            .await?;
        store::inbox::pause_clock_for_supplement(tx, ctx.case_id, opinion, ctx.at).await?;
        store::inbox::set_state(tx, ctx.case_id, to, ctx.at).await?;
        let who = dept_actor(ctx.profile, ctx.org_name, "");
        insert_event(
            tx,
            ctx.case_id,
            ctx.at,
            &who,
            Action::RequestSupplement,
            Some(ctx.state),
            to,
            opinion,
        )
        .await?;
        // The applicant gets the notice at the counter, like one the clerk issues.
        self.issue(
            tx,
            ctx.case_id,
            ctx.project_no,
            Action::RequestSupplement,
            ctx.profile,
            ctx.at,
        )
        .await?;
        let names: Vec<&str> = request
            .materials
            .iter()
            .map(|m| m.sj_file_name.as_str())
            .collect();
        notify(
            tx,
            ctx.at,
            "supplement_requested",
            ctx.project_no,
            &format!("{}要求补正：{}", ctx.org_name, ctx.project_no),
            &format!(
                "需补正材料：{}。{}。补齐补正通知书已生成，请通知申请人。",
                names.join("、"),
                opinion
            ),
        )
        .await?;
        Ok(InboxOutcome::Applied)
    }

    async fn incoming_result(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
        ctx: &Ctx<'_>,
        result: &CaseResult,
    ) -> Result<InboxOutcome> {
        if matches!(ctx.state, CaseState::Concluded | CaseState::HandedOver) {
            return Ok(InboxOutcome::Refused(format!(
                "办件已{}，不再接收办结结果",
                ctx.state.label()
            )));
        }
        let Ok(to) = transition(Some(ctx.state), Action::Conclude) else {
            return Ok(InboxOutcome::Refused(format!(
                "办件当前为“{}”，不能办结",
                ctx.state.label()
            )));
        };
        insert_result(tx, ctx.case_id, result).await?;
        store::inbox::end_open_pauses(tx, ctx.case_id, "办结", ctx.at).await?;
        store::inbox::set_state(tx, ctx.case_id, to, ctx.at).await?;
        let who = dept_actor(ctx.profile, ctx.org_name, &result.handleusername);
        let opinion = if result.note.trim().is_empty() {
            result.status.label().to_string()
        } else {
            format!("{}：{}", result.status.label(), result.note.trim())
        };
        insert_event(
            tx,
            ctx.case_id,
            ctx.at,
            &who,
            Action::Conclude,
            Some(ctx.state),
            to,
            &opinion,
        )
        .await?;
        let no = if result.result_no.trim().is_empty() {
            String::new()
        } else {
            format!("，结果编号 {}", result.result_no.trim())
        };
        notify(
            tx,
            ctx.at,
            "concluded",
            ctx.project_no,
            &format!("办件已办结，可出件：{}", ctx.project_no),
            &format!("{}（{}）{no}。", ctx.org_name, opinion),
        )
        .await?;
        Ok(InboxOutcome::Applied)
    }

    /// Where the last poll ended: messages after it are new.
    pub async fn hub_cursor(&self) -> Result<u64> {
        Ok(self
            .store
            .setting("hub_cursor")
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// Stores the cursor, once the messages before it are applied.
    pub async fn set_hub_cursor(&self, cursor: u64) -> Result<()> {
        Ok(self
            .store
            .set_setting("hub_cursor", &cursor.to_string())
            .await?)
    }

    /// Notifications, newest first.
    pub async fn notifications(&self, unread_only: bool, limit: u32) -> Result<Vec<Notification>> {
        Ok(store::notifications::list(
            self.store.pool(),
            unread_only,
            i64::from(limit.clamp(1, 1000)),
        )
        .await?)
    }

    /// Marks notifications read: the given ones, or all when `ids` is empty.
    pub async fn mark_notifications_read(&self, ids: &[i64]) -> Result<u32> {
        let at = spec_time(&self.now());
        let mut n = 0;
        let mut tx = self.store.write().await?;
        if ids.is_empty() {
            n += store::notifications::mark_all_read(&mut tx, &at).await?;
        }
        for id in ids {
            n += store::notifications::mark_read(&mut tx, *id, &at).await?;
        }
        tx.commit().await?;
        Ok(n as u32)
    }

    /// The hub's documents not fetched yet: (id, attachguid).
    pub async fn hub_documents_to_fetch(&self, limit: u32) -> Result<Vec<(i64, String)>> {
        Ok(store::inbox::hub_documents_to_fetch(self.store.pool(), i64::from(limit)).await?)
    }

    /// Stores a fetched hub document (sealed), or why it could not be fetched.
    pub async fn store_hub_document(
        &self,
        id: i64,
        fetched: std::result::Result<&[u8], &str>,
    ) -> Result<()> {
        use sha2::{Digest, Sha256};
        match fetched {
            Ok(bytes) => Ok(store::inbox::store_hub_document_body(
                self.store.pool(),
                id,
                &self.keys.seal(bytes)?,
                bytes.len() as i64,
                &hex::encode(Sha256::digest(bytes)),
            )
            .await?),
            Err(reason) => {
                Ok(store::inbox::hub_document_failed(self.store.pool(), id, reason).await?)
            }
        }
    }

    /// A fetched hub document: its name and bytes.
    pub async fn hub_document(&self, id: i64) -> Result<(String, Vec<u8>)> {
        let (name, sealed) = store::inbox::hub_document(self.store.pool(), id).await?;
        let sealed = sealed
            .ok_or_else(|| CoreError::NotFound(format!("部门文书 {id} 的文件（尚未下载）")))?;
        Ok((name, self.keys.open(&sealed)?))
    }

    /// Records the `attachguid` the hub returned for an uploaded document (7.2.7).
    pub async fn set_document_attachguid(&self, doc_no: &str, attachguid: &str) -> Result<()> {
        Ok(store::outbox::set_document_attachguid(self.store.pool(), doc_no, attachguid).await?)
    }

    /// The uploaded documents of a case: (document number, attachguid).
    pub async fn document_attachguids(&self, project_no: &str) -> Result<Vec<(String, String)>> {
        Ok(store::outbox::document_attachguids(self.store.pool(), project_no.trim()).await?)
    }

    /// The latest messages taken from the hub: (msgid, interface, case, time, outcome, detail).
    pub async fn inbox_list(&self, limit: u32) -> Result<Vec<InboxRow>> {
        Ok(store::inbox::list(self.store.pool(), i64::from(limit.clamp(1, 1000))).await?)
    }

    /// Takes (or renews) the desk's sync lease for `holder`, for `ttl_ms`: one worker at a time
    /// delivers the outbox and polls, so that the window and a CLI `yichuang sync` on the same
    /// data directory never send the same message side by side. Returns whether `holder`
    /// holds it now.
    pub async fn take_sync_lease(&self, holder: &str, ttl_ms: i64) -> Result<bool> {
        let now = chrono::Utc::now().timestamp_millis();
        let mut tx = self.store.write().await?;
        let taken = store::outbox::take_lease(&mut tx, holder, now + ttl_ms, now).await?;
        tx.commit().await?;
        Ok(taken)
    }

    /// Takes the lease over from `dead`, a holder known to be gone (its process ended
    /// without giving the lease back, e.g. killed). Returns whether it worked.
    pub async fn take_over_sync_lease(
        &self,
        dead: &str,
        holder: &str,
        ttl_ms: i64,
    ) -> Result<bool> {
        let now = chrono::Utc::now().timestamp_millis();
        Ok(store::outbox::take_over_lease(self.store.pool(), dead, holder, now + ttl_ms).await?)
    }

    /// Gives the lease back (a worker that stops).
    pub async fn release_sync_lease(&self, holder: &str) -> Result<()> {
        Ok(store::outbox::release_lease(self.store.pool(), holder).await?)
    }

    /// Who holds the sync lease now, if anyone.
    pub async fn sync_lease_holder(&self) -> Result<Option<String>> {
        let now = chrono::Utc::now().timestamp_millis();
        Ok(store::outbox::lease_holder(self.store.pool(), now).await?)
    }
}

struct Ctx<'a> {
    case_id: i64,
    state: CaseState,
    org_name: &'a str,
    profile: &'a DeskProfile,
    project_no: &'a str,
    at: &'a str,
}
