//! `yichuang supervise order`: supervision orders (督办): issue, reply, close, list.

use clap::Subcommand;
use yichuang_core::Desk;
use yichuang_core::orders::SupervisionOrder;

use crate::error::CliError;
use crate::files::print_json;

/// Who acts: `--by` and `--window`, by default the desk's clerk and window.
#[derive(clap::Args)]
pub(crate) struct By {
    /// The acting person's name (default: the desk's clerk).
    #[arg(long)]
    by: Option<String>,
    /// The acting person's window (default: the desk's window number).
    #[arg(long)]
    window: Option<String>,
}

impl By {
    /// The signed-in person when there is one (a desk with accounts), else `--by`/`--window`
    /// or the desk's clerk and window.
    async fn resolve(
        self,
        desk: &Desk,
        signed: Option<&yichuang_core::accounts::Actor>,
    ) -> Result<(String, String), CliError> {
        let p = desk.profile().await?;
        if let Some(a) = signed {
            let window = if a.window_no.trim().is_empty() {
                p.window_no
            } else {
                a.window_no.clone()
            };
            return Ok((a.name.clone(), window));
        }
        Ok((
            self.by.unwrap_or(p.clerk_name),
            self.window.unwrap_or(p.window_no),
        ))
    }
}

#[derive(Subcommand)]
pub(crate) enum OrderCmd {
    /// The supervisor issues an order on a case; prints its number.
    Issue {
        project_no: String,
        /// 督办内容.
        #[arg(long)]
        text: String,
        /// 要求回复日期 (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        reply_by: Option<String>,
        #[command(flatten)]
        by: By,
    },
    /// The clerk replies to an open order.
    Reply {
        id: i64,
        #[arg(long)]
        text: String,
        #[command(flatten)]
        by: By,
    },
    /// The supervisor closes an order.
    Close {
        id: i64,
        /// 办结意见 (optional).
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        by: By,
    },
    /// Orders, oldest first: of one case, or all; `--open` only the open ones.
    List {
        project_no: Option<String>,
        #[arg(long)]
        open: bool,
        #[arg(long)]
        json: bool,
    },
}

fn print_order(o: &SupervisionOrder) {
    println!(
        "{}	{}	{}	{}	{}	{}	{}",
        o.id,
        o.project_no,
        o.issued_at,
        o.issued_by,
        if o.closed_at.is_some() {
            "已办结"
        } else {
            "办理中"
        },
        o.reply_by.as_deref().unwrap_or("-"),
        o.text
    );
    for r in &o.replies {
        println!("	回复	{}	{}（{}）	{}", r.at, r.by, r.window_no, r.text);
    }
    if let Some(at) = &o.closed_at {
        println!("	办结	{at}	{}	{}", o.closed_by, o.close_note);
    }
}

pub(crate) async fn run(
    desk: &Desk,
    action: OrderCmd,
    signed: Option<&yichuang_core::accounts::Actor>,
) -> Result<(), CliError> {
    match action {
        OrderCmd::Issue {
            project_no,
            text,
            reply_by,
            by,
        } => {
            let (by, window) = by.resolve(desk, signed).await?;
            let o = desk
                .issue_supervision_order(&project_no, &by, &window, &text, reply_by.as_deref())
                .await?;
            println!("{}", o.id);
        }
        OrderCmd::Reply { id, text, by } => {
            let (by, window) = by.resolve(desk, signed).await?;
            let o = desk
                .reply_supervision_order(id, &by, &window, &text)
                .await?;
            println!("{}", o.id);
        }
        OrderCmd::Close { id, note, by } => {
            let (by, window) = by.resolve(desk, signed).await?;
            let o = desk
                .close_supervision_order(id, &by, &window, &note)
                .await?;
            println!("{}", o.id);
        }
        OrderCmd::List {
            project_no,
            open,
            json,
        } => {
            let list = desk.supervision_orders(project_no.as_deref(), open).await?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                eprintln!("没有督办单");
            }
            for o in &list {
                print_order(o);
            }
        }
    }
    Ok(())
}
