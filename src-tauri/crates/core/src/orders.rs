//! Supervision orders (督办) and the applicant's satisfaction (满意度, dictionary B.10).
//!
//! A supervisor issues an order on a case (text, optional reply-by date); the clerk sees it as
//! a notification and in the case, and replies; the supervisor closes it. The whole exchange is
//! kept with the case: who, at which window, when, and the text. Migration 0011.
//!
//! The acting person is passed as a name and a window number (the `Actor` of a session gives
//! both).

use sqlx::SqliteConnection;

use crate::Desk;
use crate::dict::Satisfaction;
use crate::error::{CoreError, Result};
use crate::model::{CaseState, FieldError};
use crate::store;
use crate::store::notifications::notify;
use crate::store::orders::{NewOrder, OrderRecord, OrderSelection};
use crate::store::supervision::SupervisionQueries;
use crate::time::spec_time;

/// Longest text of an order, a reply or a closing note, in characters.
pub const MAX_TEXT: usize = 1000;

pub use yichuang_types::supervision::{SupervisionOrder, SupervisionReply};

fn field(field: &str, label: &str, message: impl Into<String>) -> CoreError {
    CoreError::Validation(vec![FieldError {
        field: field.into(),
        label: label.into(),
        message: message.into(),
    }])
}

/// Trims `text` and checks it is there and not too long.
fn text_of(text: &str, name: &str, label: &str) -> Result<String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(field(name, label, format!("请填写{label}")));
    }
    if t.chars().count() > MAX_TEXT {
        return Err(field(
            name,
            label,
            format!("{label}最多{MAX_TEXT}字，请精简后再提交"),
        ));
    }
    Ok(t.to_string())
}

fn person(by: &str) -> Result<String> {
    let b = by.trim();
    if b.is_empty() {
        return Err(field("by", "经办人", "缺少经办人姓名"));
    }
    Ok(b.to_string())
}

/// The order as the window shows it, from its stored rows.
fn order_of(r: OrderRecord) -> SupervisionOrder {
    let o = r.order;
    SupervisionOrder {
        id: o.id,
        project_no: o.project_no,
        issued_at: o.issued_at,
        issued_by: o.issued_by,
        issued_window: o.issued_window,
        text: o.text,
        reply_by: o.reply_by,
        replies: r
            .replies
            .into_iter()
            .map(|r| SupervisionReply {
                at: r.at,
                by: r.by_name,
                window_no: r.window_no,
                text: r.text,
            })
            .collect(),
        closed_at: o.closed_at,
        closed_by: o.closed_by,
        closed_window: o.closed_window,
        close_note: o.close_note,
    }
}

/// The orders of one case, for its record.
pub(crate) async fn case_orders(
    conn: &mut SqliteConnection,
    case_id: i64,
) -> Result<Vec<SupervisionOrder>> {
    let rows = store::orders::read(conn, OrderSelection::Case(case_id, false)).await?;
    Ok(rows.into_iter().map(order_of).collect())
}

/// Order `id`, or `NotFound`.
async fn order_by_id(conn: &mut SqliteConnection, id: i64) -> Result<SupervisionOrder> {
    store::orders::read_one(conn, id)
        .await?
        .map(order_of)
        .ok_or_else(|| CoreError::NotFound(format!("督办单 {id}")))
}

/// The id and state code of the case numbered `project_no`, or `NotFound`.
async fn case_of(conn: &mut SqliteConnection, project_no: &str) -> Result<(i64, String)> {
    store::orders::case_of(conn, project_no)
        .await?
        .ok_or_else(|| CoreError::NotFound(format!("办件 {project_no}")))
}

/// Shortens a text for a notification line.
fn gist(text: &str) -> String {
    let mut s: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        s.push('…');
    }
    s
}

impl Desk {
    /// Issues a supervision order (督办) on a case: `by` at window `window_no`. The clerk is
    /// told through a notification (kind `supervision_order`).
    pub async fn issue_supervision_order(
        &self,
        project_no: &str,
        by: &str,
        window_no: &str,
        text: &str,
        reply_by: Option<&str>,
    ) -> Result<SupervisionOrder> {
        let mut errors: Vec<FieldError> = Vec::new();
        let mut keep = |r: Result<String>| match r {
            Ok(s) => s,
            Err(CoreError::Validation(f)) => {
                errors.extend(f);
                String::new()
            }
            Err(_) => String::new(),
        };
        let text = keep(text_of(text, "text", "督办内容"));
        let by = keep(person(by));
        let reply_by = reply_by.map(str::trim).filter(|s| !s.is_empty());
        if let Some(d) = reply_by {
            let message = match crate::timelimit::day(d).filter(|_| d.len() == 10) {
                None => Some(format!("“{d}”不是有效日期，应为 YYYY-MM-DD")),
                Some(day) if day < self.now().date_naive() => {
                    Some("要求回复日期不能早于今天".to_string())
                }
                Some(_) => None,
            };
            if let Some(message) = message {
                errors.push(FieldError {
                    field: "reply_by".into(),
                    label: "要求回复日期".into(),
                    message,
                });
            }
        }
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors));
        }
        let project_no = project_no.trim();
        let at = spec_time(&self.now());
        let mut tx = self.store.write().await?;
        let (case_id, _) = case_of(&mut tx, project_no).await?;
        let id = store::orders::insert(
            &mut tx,
            &NewOrder {
                case_id,
                at: &at,
                by: &by,
                window_no: window_no.trim(),
                text: &text,
                reply_by,
            },
        )
        .await?;
        let body = match reply_by {
            Some(d) => format!("{}（请于{d}前回复）", gist(&text)),
            None => gist(&text),
        };
        notify(
            &mut tx,
            &at,
            "supervision_order",
            project_no,
            &format!("督办：{project_no}"),
            &body,
        )
        .await?;
        let order = order_by_id(&mut tx, id).await?;
        tx.commit().await?;
        Ok(order)
    }

    /// The clerk's reply to an open order. The supervisor is told through a notification
    /// (kind `supervision_reply`).
    pub async fn reply_supervision_order(
        &self,
        order_id: i64,
        by: &str,
        window_no: &str,
        text: &str,
    ) -> Result<SupervisionOrder> {
        let text = text_of(text, "text", "回复内容")?;
        let by = person(by)?;
        let at = spec_time(&self.now());
        let mut tx = self.store.write().await?;
        let order = order_by_id(&mut tx, order_id).await?;
        if order.closed_at.is_some() {
            return Err(CoreError::Conflict(format!(
                "督办单 {order_id} 已办结，不能再回复"
            )));
        }
        store::orders::insert_reply(&mut tx, order_id, &at, &by, window_no.trim(), &text).await?;
        notify(
            &mut tx,
            &at,
            "supervision_reply",
            &order.project_no,
            &format!("督办回复：{}", order.project_no),
            &format!("{by}：{}", gist(&text)),
        )
        .await?;
        let order = order_by_id(&mut tx, order_id).await?;
        tx.commit().await?;
        Ok(order)
    }

    /// The supervisor closes an order (办结督办), with an optional note.
    pub async fn close_supervision_order(
        &self,
        order_id: i64,
        by: &str,
        window_no: &str,
        note: &str,
    ) -> Result<SupervisionOrder> {
        let by = person(by)?;
        let note = note.trim();
        if note.chars().count() > MAX_TEXT {
            return Err(field(
                "note",
                "办结意见",
                format!("办结意见最多{MAX_TEXT}字，请精简后再提交"),
            ));
        }
        let at = spec_time(&self.now());
        let mut tx = self.store.write().await?;
        let closed =
            store::orders::close(&mut tx, order_id, &at, &by, window_no.trim(), note).await?;
        let order = order_by_id(&mut tx, order_id).await?;
        if !closed {
            return Err(CoreError::Conflict(format!("督办单 {order_id} 已办结")));
        }
        tx.commit().await?;
        Ok(order)
    }

    /// Orders, oldest first: of one case, or all; only open ones when `open_only`.
    pub async fn supervision_orders(
        &self,
        project_no: Option<&str>,
        open_only: bool,
    ) -> Result<Vec<SupervisionOrder>> {
        let queries = self.store.supervision();
        let selection = match project_no.map(str::trim).filter(|s| !s.is_empty()) {
            Some(no) => {
                let case_id = queries
                    .case_id(no)
                    .await?
                    .ok_or_else(|| CoreError::NotFound(format!("办件 {no}")))?;
                OrderSelection::Case(case_id, open_only)
            }
            None => OrderSelection::All(open_only),
        };
        Ok(queries
            .orders(selection)
            .await?
            .into_iter()
            .map(order_of)
            .collect())
    }

    /// Records the applicant's satisfaction (B.10) with a concluded or handed-over case.
    /// A later rating replaces an earlier one; the time and who recorded it are kept.
    pub async fn record_satisfaction(
        &self,
        project_no: &str,
        rating: Satisfaction,
        by: &str,
    ) -> Result<()> {
        let by = person(by)?;
        let project_no = project_no.trim();
        let at = spec_time(&self.now());
        let mut tx = self.store.write().await?;
        let (_, state) = case_of(&mut tx, project_no).await?;
        let state = CaseState::parse(&state)
            .ok_or_else(|| CoreError::Data(format!("办件状态“{state}”无法识别")))?;
        if !matches!(state, CaseState::Concluded | CaseState::HandedOver) {
            return Err(CoreError::Conflict(format!(
                "办件当前为“{}”，办结或出件后才能评价满意度",
                state.label()
            )));
        }
        store::orders::set_satisfaction(&mut tx, project_no, rating.code(), &at, &by).await?;
        tx.commit().await?;
        Ok(())
    }
}
