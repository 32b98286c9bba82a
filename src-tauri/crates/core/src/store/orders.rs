//! Supervision orders (督办单, `supervision_orders`) with their replies
//! (`supervision_replies`), and the applicant's satisfaction kept on the case.

use sqlx::SqliteConnection;

use crate::error::Result;
// A wire type: it moves to the types crate with the other supervision types.
use crate::orders::{SupervisionOrder, SupervisionReply};

/// Which orders to read.
#[derive(Debug, Clone, Copy)]
pub enum OrderSelection {
    Order(i64),
    /// A case's; only the open ones when true.
    Case(i64, bool),
    /// Every case's; only the open ones when true.
    All(bool),
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: i64,
    project_no: String,
    issued_at: String,
    issued_by: String,
    issued_window: String,
    text: String,
    reply_by: Option<String>,
    closed_at: Option<String>,
    closed_by: String,
    closed_window: String,
    close_note: String,
}

#[derive(sqlx::FromRow)]
struct ReplyRow {
    at: String,
    by_name: String,
    window_no: String,
    text: String,
}

impl OrderRow {
    fn into_order(self, replies: Vec<ReplyRow>) -> SupervisionOrder {
        SupervisionOrder {
            id: self.id,
            project_no: self.project_no,
            issued_at: self.issued_at,
            issued_by: self.issued_by,
            issued_window: self.issued_window,
            text: self.text,
            reply_by: self.reply_by,
            replies: replies
                .into_iter()
                .map(|r| SupervisionReply {
                    at: r.at,
                    by: r.by_name,
                    window_no: r.window_no,
                    text: r.text,
                })
                .collect(),
            closed_at: self.closed_at,
            closed_by: self.closed_by,
            closed_window: self.closed_window,
            close_note: self.close_note,
        }
    }
}

/// The orders selected, oldest first, with their replies.
pub async fn read(
    conn: &mut SqliteConnection,
    selection: OrderSelection,
) -> Result<Vec<SupervisionOrder>> {
    let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
        "SELECT o.*, c.project_no FROM supervision_orders o JOIN cases c ON c.id = o.case_id ",
    );
    match selection {
        OrderSelection::Order(id) => q.push("WHERE o.id = ").push_bind(id),
        OrderSelection::Case(id, open) => {
            q.push("WHERE o.case_id = ").push_bind(id);
            if open {
                q.push(" AND o.closed_at IS NULL");
            }
            &mut q
        }
        OrderSelection::All(open) => q.push(if open {
            "WHERE o.closed_at IS NULL"
        } else {
            "WHERE 1 = 1"
        }),
    };
    q.push(" ORDER BY o.id");
    let rows: Vec<OrderRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for order in rows {
        let replies: Vec<ReplyRow> = sqlx::query_as(
            "SELECT at, by_name, window_no, text FROM supervision_replies
             WHERE order_id = ? ORDER BY id",
        )
        .bind(order.id)
        .fetch_all(&mut *conn)
        .await?;
        out.push(order.into_order(replies));
    }
    Ok(out)
}

/// One order, if it exists.
pub async fn read_one(conn: &mut SqliteConnection, id: i64) -> Result<Option<SupervisionOrder>> {
    Ok(read(conn, OrderSelection::Order(id)).await?.pop())
}

/// The id and state code of the case numbered `project_no`.
pub async fn case_of(
    conn: &mut SqliteConnection,
    project_no: &str,
) -> Result<Option<(i64, String)>> {
    Ok(
        sqlx::query_as("SELECT id, state FROM cases WHERE project_no = ?")
            .bind(project_no)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// An order as the supervisor issues it.
pub struct NewOrder<'a> {
    pub case_id: i64,
    pub at: &'a str,
    pub by: &'a str,
    pub window_no: &'a str,
    pub text: &'a str,
    pub reply_by: Option<&'a str>,
}

/// Writes an order; returns its id.
pub async fn insert(conn: &mut SqliteConnection, o: &NewOrder<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO supervision_orders (case_id, issued_at, issued_by, issued_window, text, reply_by)
         VALUES (?,?,?,?,?,?) RETURNING id",
    )
    .bind(o.case_id)
    .bind(o.at)
    .bind(o.by)
    .bind(o.window_no)
    .bind(o.text)
    .bind(o.reply_by)
    .fetch_one(&mut *conn)
    .await?)
}

/// Adds the clerk's reply to order `order_id`.
pub async fn insert_reply(
    conn: &mut SqliteConnection,
    order_id: i64,
    at: &str,
    by: &str,
    window_no: &str,
    text: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO supervision_replies (order_id, at, by_name, window_no, text)
         VALUES (?,?,?,?,?)",
    )
    .bind(order_id)
    .bind(at)
    .bind(by)
    .bind(window_no)
    .bind(text)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Closes order `order_id` if it is open; returns whether it was.
pub async fn close(
    conn: &mut SqliteConnection,
    order_id: i64,
    at: &str,
    by: &str,
    window_no: &str,
    note: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE supervision_orders SET closed_at = ?, closed_by = ?, closed_window = ?, close_note = ?
         WHERE id = ? AND closed_at IS NULL",
    )
    .bind(at)
    .bind(by)
    .bind(window_no)
    .bind(note)
    .bind(order_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(done > 0)
}

/// Records the applicant's rating (code of B.10) of the case numbered `project_no`.
pub async fn set_satisfaction(
    conn: &mut SqliteConnection,
    project_no: &str,
    rating: &str,
    at: &str,
    by: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE cases SET satisfaction = ?, satisfaction_at = ?, satisfaction_by = ?
         WHERE project_no = ?",
    )
    .bind(rating)
    .bind(at)
    .bind(by)
    .bind(project_no)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
