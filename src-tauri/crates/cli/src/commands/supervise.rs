//! `yichuang supervise`: the supervisor's pending-case review (黄牌/红牌), the yellow
//! threshold, and the seed 002 electronic-supervision export and receipts.

use std::path::PathBuf;

use clap::Subcommand;
use yichuang_core::model::CaseState;
use yichuang_core::stats::StatsFilter;
use yichuang_core::supervision::PendingFilter;
use yichuang_core::supervision_xlsx;
use yichuang_core::supervision_xml::{self, ExportOptions};
use yichuang_core::timelimit::{self, WarningLevel, YellowThreshold};
use yichuang_core::{CoreError, Desk};

use yichuang_core::accounts::Permission;

use crate::commands::supervise_order::{self, OrderCmd};
use crate::error::CliError;
use crate::files::{print_json, read_input};
use crate::guard::{Ctx, require};

#[derive(Subcommand)]
pub(crate) enum SuperviseCmd {
    /// Pending cases with their 时效 warning (正常/黄牌/红牌), by promised date.
    Pending {
        /// 受理人.
        #[arg(long)]
        clerk: Option<String>,
        /// 窗口号.
        #[arg(long)]
        window: Option<String>,
        /// The item's code (dept_ql_reg_no).
        #[arg(long)]
        item: Option<String>,
        /// The department's code or name.
        #[arg(long)]
        dept: Option<String>,
        /// One pending state: received, supplement_requested, supplement_done, accepted,
        /// awaiting_supplement, suspended.
        #[arg(long)]
        state: Option<String>,
        /// Promised date from (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        due_from: Option<String>,
        /// Promised date up to (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        due_to: Option<String>,
        /// normal, yellow or red (or 正常, 黄牌, 红牌).
        #[arg(long)]
        level: Option<String>,
        #[arg(long)]
        limit: Option<u32>,
        #[arg(long)]
        json: bool,
        /// Also write the view as an .xlsx workbook.
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
    },
    /// Statistics of the cases taken in during FROM..=TO (either end open).
    Stats {
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        #[arg(long)]
        json: bool,
        /// Also write them as an .xlsx workbook.
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
    },
    /// Supervision orders (督办): issue, reply, close, list.
    Order {
        #[command(subcommand)]
        action: OrderCmd,
    },
    /// Shows or sets when a case turns yellow: N working days left (`2`) or a share of the
    /// limit left (`20%`).
    Threshold { value: Option<String> },
    /// Writes the process events of days FROM..=TO as a seed 002 XML package.
    Export {
        #[arg(long, value_name = "DATE")]
        from: String,
        #[arg(long, value_name = "DATE")]
        to: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// SourceID (default: the desk's 行政区划编码).
        #[arg(long, default_value = "")]
        source: String,
        /// DestinationID (default 999, broadcast).
        #[arg(long, default_value = "")]
        dest: String,
        /// Priority, 0–9.
        #[arg(long, default_value_t = 5)]
        priority: u8,
        #[arg(long, default_value = "")]
        remark: String,
    },
    /// Reads a receipt (ceipte) and lists the exchange numbers to send again; exit 1 if any.
    Receipt {
        /// The receipt file (`-`: standard input).
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

fn write_file(path: &PathBuf, bytes: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, bytes)
        .map_err(|e| CliError::Output(format!("写入 {} 失败：{e}", path.display())))
}

fn invalid(field: &str, label: &str, message: String) -> CliError {
    CliError::invalid(field, label, message)
}

fn date(field: &str, label: &str, s: &str) -> Result<chrono::NaiveDate, CliError> {
    let s = s.trim();
    timelimit::day(s)
        .filter(|_| s.len() == 10)
        .ok_or_else(|| invalid(field, label, format!("“{s}”不是有效日期，应为 YYYY-MM-DD")))
}

/// What each verb needs: orders by their verb, the rest the supervisor's review.
fn permission(cmd: &SuperviseCmd) -> Permission {
    match cmd {
        SuperviseCmd::Order {
            action: OrderCmd::Issue { .. } | OrderCmd::Close { .. },
        } => Permission::IssueSupervisionOrder,
        SuperviseCmd::Order {
            action: OrderCmd::Reply { .. },
        } => Permission::ActOnCase,
        SuperviseCmd::Order {
            action: OrderCmd::List { .. },
        } => Permission::ViewCases,
        _ => Permission::SuperviseCases,
    }
}

pub(crate) async fn run(ctx: &Ctx, cmd: SuperviseCmd) -> Result<(), CliError> {
    let actor = require(ctx, permission(&cmd)).await?;
    // On a desk with accounts the signed-in person acts, whatever --by says.
    let signed = (actor.account_id != 0).then_some(actor);
    supervise(&ctx.desk, cmd, signed.as_ref()).await
}

async fn supervise(
    desk: &Desk,
    cmd: SuperviseCmd,
    signed: Option<&yichuang_core::accounts::Actor>,
) -> Result<(), CliError> {
    match cmd {
        SuperviseCmd::Pending {
            clerk,
            window,
            item,
            dept,
            state,
            due_from,
            due_to,
            level,
            limit,
            json,
            xlsx,
        } => {
            let state =
                match state {
                    Some(s) => Some(CaseState::parse(s.trim()).ok_or_else(|| {
                        invalid("state", "办件状态", format!("不认识的状态“{s}”"))
                    })?),
                    None => None,
                };
            let level = match level {
                Some(l) => Some(WarningLevel::parse(&l).ok_or_else(|| {
                    invalid(
                        "level",
                        "预警级别",
                        format!("不认识的级别“{l}”，应为 normal、yellow、red"),
                    )
                })?),
                None => None,
            };
            let filter = PendingFilter {
                clerk,
                window_no: window,
                item,
                department: dept,
                state,
                due_from,
                due_to,
                level,
                limit,
            };
            let review = desk.pending_cases(&filter).await?;
            if let Some(path) = &xlsx {
                write_file(path, &supervision_xlsx::pending_xlsx(&review)?)?;
            }
            if json {
                return print_json(&review);
            }
            println!(
                "今日 {}，黄牌阈值：剩余{}",
                review.today,
                review.threshold.label()
            );
            println!("预警\t承诺办结日期\t剩余工作日\t办件编号\t状态\t事项\t受理人\t申请人");
            for c in &review.cases {
                let left = match c.working_days_left {
                    Some(n) if c.clock_paused => format!("{n}（暂停计时）"),
                    Some(n) => n.to_string(),
                    None => "-".into(),
                };
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    c.level.label(),
                    match (&c.due_date, &c.due_estimate) {
                        (Some(d), Some(_)) => format!("{d}（估算）"),
                        (Some(d), None) => d.clone(),
                        (None, _) => "-".into(),
                    },
                    left,
                    c.project_no,
                    c.state.label(),
                    c.dept_ql_name,
                    if c.acceptusername.is_empty() {
                        "-"
                    } else {
                        &c.acceptusername
                    },
                    c.applicant_name
                );
            }
            let count = |l: WarningLevel| review.cases.iter().filter(|c| c.level == l).count();
            eprintln!(
                "共 {} 件{}：红牌 {}，黄牌 {}，正常 {}",
                review.cases.len(),
                if review.truncated {
                    "（未列全，请加筛选条件或 --limit）"
                } else {
                    ""
                },
                count(WarningLevel::Red),
                count(WarningLevel::Yellow),
                count(WarningLevel::Normal)
            );
            Ok(())
        }
        SuperviseCmd::Order { action } => supervise_order::run(desk, action, signed).await,
        SuperviseCmd::Stats {
            from,
            to,
            json,
            xlsx,
        } => {
            let stats = desk.case_stats(&StatsFilter { from, to }).await?;
            if let Some(path) = &xlsx {
                write_file(path, &supervision_xlsx::stats_xlsx(&stats)?)?;
            }
            if json {
                return print_json(&stats);
            }
            for (k, v) in supervision_xlsx::summary_rows(&stats) {
                println!("{k}\t{v}");
            }
            for (title, list) in [
                ("按日", &stats.per_day),
                ("按窗口", &stats.per_window),
                ("按事项", &stats.per_item),
                ("按部门", &stats.per_department),
            ] {
                println!("[{title}]");
                for c in list {
                    println!("{}\t{}\t{}", c.key, c.label, c.count);
                }
            }
            println!("[满意度]");
            for c in &stats.satisfaction {
                println!("{}\t{}\t{}", c.rating.code(), c.label, c.count);
            }
            Ok(())
        }
        SuperviseCmd::Threshold { value } => {
            if let Some(v) = value {
                let t = YellowThreshold::parse(&v).ok_or_else(|| {
                    invalid(
                        "threshold",
                        "黄牌阈值",
                        format!("“{v}”无效：应为剩余工作日数（如 1）或剩余时限百分比（如 20%）"),
                    )
                })?;
                desk.set_yellow_threshold(t).await?;
            }
            println!("{}", desk.yellow_threshold().await?.label());
            Ok(())
        }
        SuperviseCmd::Export {
            from,
            to,
            out,
            source,
            dest,
            priority,
            remark,
        } => {
            let from = date("from", "起始日期", &from)?;
            let to = date("to", "截止日期", &to)?;
            if priority > 9 {
                return Err(invalid("priority", "优先级", "优先级应为0至9".into()));
            }
            let options = ExportOptions {
                source_id: source,
                destination_id: dest,
                priority,
                remark,
            };
            match desk.supervision_package(from, to, &options).await? {
                Some((xml, n)) => {
                    std::fs::write(&out, xml).map_err(|e| {
                        CliError::Output(format!("写入 {} 失败：{e}", out.display()))
                    })?;
                    println!("{n}");
                    eprintln!(
                        "已导出 {n} 条过程信息（{}至{}）到 {}",
                        from,
                        to,
                        out.display()
                    );
                    Ok(())
                }
                None => {
                    println!("0");
                    eprintln!("{}至{}没有可导出的过程信息，未写文件", from, to);
                    Ok(())
                }
            }
        }
        SuperviseCmd::Receipt { file, json } => {
            let text = read_input(&file)?;
            let receipt = supervision_xml::read_receipt(&text)
                .map_err(|e| CliError::Core(CoreError::Data(format!("回执被拒收：{e}"))))?;
            if json {
                print_json(&receipt)?;
            } else {
                for e in &receipt.entries {
                    println!(
                        "{}\t{}\t{}",
                        e.jhid,
                        e.code,
                        if e.received {
                            "已接收"
                        } else {
                            "接收异常，需重发"
                        }
                    );
                }
            }
            let resend = receipt.to_resend();
            if resend.is_empty() {
                Ok(())
            } else {
                Err(CliError::Core(CoreError::Data(format!(
                    "{} 条过程信息接收异常，需重发：{}",
                    resend.len(),
                    resend.join("、")
                ))))
            }
        }
    }
}
