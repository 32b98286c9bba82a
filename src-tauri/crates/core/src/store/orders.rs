//! Supervision orders (督办单, `supervision_orders`) with their replies
//! (`supervision_replies`), and the applicant's satisfaction kept on the case.

use sqlx::SqliteConnection;

use crate::error::Result;

/// Which orders to read.
#[derive(Debug, Clone, Copy)]
pub enum OrderSelection {
    Order(i64),
    /// A case's; only the open ones when true.
    Case(i64, bool),
    /// Every case's; only the open ones when true.
    All(bool),
}

/// A supervision order as stored, with its case's number.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrderRow {
    pub id: i64,
    pub project_no: String,
    pub issued_at: String,
    pub issued_by: String,
    pub issued_window: String,
    pub text: String,
    pub reply_by: Option<String>,
    pub closed_at: Option<String>,
    pub closed_by: String,
    pub closed_window: String,
    pub close_note: String,
}

/// A reply to an order, as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReplyRow {
    pub at: String,
    pub by_name: String,
    pub window_no: String,
    pub text: String,
}

/// An order with its replies, oldest first.
#[derive(Debug, Clone)]
pub struct OrderRecord {
    pub order: OrderRow,
    pub replies: Vec<ReplyRow>,
}

/// The orders selected, oldest first, with their replies.
pub async fn read(
    conn: &mut SqliteConnection,
    selection: OrderSelection,
) -> Result<Vec<OrderRecord>> {
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
        out.push(OrderRecord { order, replies });
    }
    Ok(out)
}

/// One order, if it exists.
pub async fn read_one(conn: &mut SqliteConnection, id: i64) -> Result<Option<OrderRecord>> {
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
