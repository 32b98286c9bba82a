//! Supervision orders (督办) and the applicant's satisfaction (满意度, dictionary B.10).
//!
//! A supervisor issues an order on a case (text, optional reply-by date); the clerk sees it as
//! a notification and in the case, and replies; the supervisor closes it. The whole exchange is
//! kept with the case: who, at which window, when, and the text. Migration 0011.
//!
//! The acting person is passed as a name and a window number (the `Actor` of a session gives
//! both).

use sqlx::Row;
use sqlx::SqliteConnection;

use crate::Desk;
use crate::dict::Satisfaction;
use crate::error::{CoreError, Result};
use crate::model::{CaseState, FieldError};
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

/// Which orders to read.
#[derive(Clone, Copy)]
enum Where {
    Order(i64),
    /// A case's; only the open ones when true.
    Case(i64, bool),
    All(bool),
}

/// The orders asked for, oldest first, with their replies.
async fn read_orders(conn: &mut SqliteConnection, where_: Where) -> Result<Vec<SupervisionOrder>> {
    let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
        "SELECT o.*, c.project_no FROM supervision_orders o JOIN cases c ON c.id = o.case_id ",
    );
    match where_ {
        Where::Order(id) => q.push("WHERE o.id = ").push_bind(id),
        Where::Case(id, open) => {
            q.push("WHERE o.case_id = ").push_bind(id);
            if open {
                q.push(" AND o.closed_at IS NULL");
            }
            &mut q
        }
        Where::All(open) => q.push(if open {
            "WHERE o.closed_at IS NULL"
        } else {
            "WHERE 1 = 1"
        }),
    };
    q.push(" ORDER BY o.id");
    let rows = q.build().fetch_all(&mut *conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let replies = sqlx::query(
            "SELECT at, by_name, window_no, text FROM supervision_replies
             WHERE order_id = ? ORDER BY id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(SupervisionReply {
                at: r.try_get("at")?,
                by: r.try_get("by_name")?,
                window_no: r.try_get("window_no")?,
                text: r.try_get("text")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        out.push(SupervisionOrder {
            id,
            project_no: r.try_get("project_no")?,
            issued_at: r.try_get("issued_at")?,
            issued_by: r.try_get("issued_by")?,
            issued_window: r.try_get("issued_window")?,
            text: r.try_get("text")?,
            reply_by: r.try_get("reply_by")?,
            replies,
            closed_at: r.try_get("closed_at")?,
            closed_by: r.try_get("closed_by")?,
            closed_window: r.try_get("closed_window")?,
            close_note: r.try_get("close_note")?,
        });
    }
    Ok(out)
}

/// The orders of one case, for its record.
pub(crate) async fn case_orders(
    conn: &mut SqliteConnection,
    case_id: i64,
) -> Result<Vec<SupervisionOrder>> {
    read_orders(conn, Where::Case(case_id, false)).await
}

async fn notify(
    conn: &mut SqliteConnection,
    at: &str,
    kind: &str,
    project_no: &str,
    title: &str,
    body: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO notifications (created_at, kind, project_no, title, body) VALUES (?,?,?,?,?)",
    )
    .bind(at)
    .bind(kind)
    .bind(project_no)
    .bind(title)
    .bind(body)
    .execute(&mut *conn)
    .await?;
    Ok(())
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
        let row = sqlx::query("SELECT id, state FROM cases WHERE project_no = ?")
            .bind(project_no)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("办件 {project_no}")))?;
        let case_id: i64 = row.try_get("id")?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO supervision_orders (case_id, issued_at, issued_by, issued_window, text, reply_by)
             VALUES (?,?,?,?,?,?) RETURNING id",
        )
        .bind(case_id)
        .bind(&at)
        .bind(&by)
        .bind(window_no.trim())
        .bind(&text)
        .bind(reply_by)
        .fetch_one(&mut *tx)
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
        let order = read_orders(&mut tx, Where::Order(id))
            .await?
            .pop()
            .ok_or_else(|| CoreError::NotFound(format!("督办单 {id}")))?;
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
        let order = read_orders(&mut tx, Where::Order(order_id))
            .await?
            .pop()
            .ok_or_else(|| CoreError::NotFound(format!("督办单 {order_id}")))?;
        if order.closed_at.is_some() {
            return Err(CoreError::Conflict(format!(
                "督办单 {order_id} 已办结，不能再回复"
            )));
        }
        sqlx::query(
            "INSERT INTO supervision_replies (order_id, at, by_name, window_no, text)
             VALUES (?,?,?,?,?)",
        )
        .bind(order_id)
        .bind(&at)
        .bind(&by)
        .bind(window_no.trim())
        .bind(&text)
        .execute(&mut *tx)
        .await?;
        notify(
            &mut tx,
            &at,
            "supervision_reply",
            &order.project_no,
            &format!("督办回复：{}", order.project_no),
            &format!("{by}：{}", gist(&text)),
        )
        .await?;
        let order = read_orders(&mut tx, Where::Order(order_id))
            .await?
            .pop()
            .ok_or_else(|| CoreError::NotFound(format!("督办单 {order_id}")))?;
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
        let done = sqlx::query(
            "UPDATE supervision_orders SET closed_at = ?, closed_by = ?, closed_window = ?, close_note = ?
             WHERE id = ? AND closed_at IS NULL",
        )
        .bind(&at)
        .bind(&by)
        .bind(window_no.trim())
        .bind(note)
        .bind(order_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let order = read_orders(&mut tx, Where::Order(order_id))
            .await?
            .pop()
            .ok_or_else(|| CoreError::NotFound(format!("督办单 {order_id}")))?;
        if done == 0 {
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
        let mut conn = self.store.pool().acquire().await?;
        match project_no.map(str::trim).filter(|s| !s.is_empty()) {
            Some(no) => {
                let case_id: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE project_no = ?")
                    .bind(no)
                    .fetch_optional(&mut *conn)
                    .await?
                    .ok_or_else(|| CoreError::NotFound(format!("办件 {no}")))?;
                read_orders(&mut conn, Where::Case(case_id, open_only)).await
            }
            None => read_orders(&mut conn, Where::All(open_only)).await,
        }
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
        let state: String = sqlx::query_scalar("SELECT state FROM cases WHERE project_no = ?")
            .bind(project_no)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("办件 {project_no}")))?;
        let state = CaseState::parse(&state)
            .ok_or_else(|| CoreError::Data(format!("办件状态“{state}”无法识别")))?;
        if !matches!(state, CaseState::Concluded | CaseState::HandedOver) {
            return Err(CoreError::Conflict(format!(
                "办件当前为“{}”，办结或出件后才能评价满意度",
                state.label()
            )));
        }
        sqlx::query(
            "UPDATE cases SET satisfaction = ?, satisfaction_at = ?, satisfaction_by = ?
             WHERE project_no = ?",
        )
        .bind(rating.code())
        .bind(&at)
        .bind(&by)
        .bind(project_no)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
