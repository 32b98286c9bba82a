//! `yichuang case`: intake (收件, 提交受理, 受理, 不予受理, 补正) and every later action on a case,
//! its rating, and reading cases. One function per verb; each asks the guard first.

use std::path::PathBuf;
use yichuang_api::Command;

use clap::{Subcommand, ValueEnum};
use yichuang_core::accounts::Permission;
use yichuang_core::model::{
    AcceptOutcome, CaseAction, CaseState, IntakeDecision, MaterialReceipt, SupplementRequest,
};

use crate::commands::case_view;
use crate::error::CliError;
use crate::files::read_json;
use crate::guard::{Ctx, acting, require};

#[derive(Subcommand)]
pub(crate) enum CaseCmd {
    /// 提交受理 with materials fetched through 帮我传 (`"share": "electronic"|"paper"` on
    /// their `materiallist` entries): the case waits in 受理中; prints the case number and
    /// issues the 临时回执.
    Submit {
        #[arg(long, value_name = "FILE")]
        json: PathBuf,
        #[arg(long, value_name = "OUT")]
        pdf: Option<PathBuf>,
    },
    /// 收件: intake of materials; prints the case number and issues the 收件凭证.
    Receive {
        /// The intake as JSON (see docs/cli.md); `-` reads standard input.
        #[arg(long, value_name = "FILE")]
        json: PathBuf,
        /// Also write the issued document here.
        #[arg(long, value_name = "OUT")]
        pdf: Option<PathBuf>,
    },
    /// 受理: a new case from --json (intake and accept in one step), or an existing case
    /// (已收件 or 补正完成) by its number. Prints the case number.
    Accept {
        project_no: Option<String>,
        #[arg(long, value_name = "FILE", conflicts_with = "project_no")]
        json: Option<PathBuf>,
        #[arg(long, value_name = "OUT")]
        pdf: Option<PathBuf>,
    },
    /// 不予受理, with the reason: a new case from --json, or an existing case.
    Reject {
        project_no: Option<String>,
        #[arg(long, value_name = "FILE", conflicts_with = "project_no")]
        json: Option<PathBuf>,
        #[arg(long)]
        reason: String,
        #[arg(long, value_name = "OUT")]
        pdf: Option<PathBuf>,
    },
    /// 补齐补正: --request FILE holds {"materials":[{"no","reason"}],"limit_days":N,"opinion"}.
    Supplement {
        project_no: Option<String>,
        #[arg(long, value_name = "FILE", conflicts_with = "project_no")]
        json: Option<PathBuf>,
        #[arg(long, value_name = "FILE")]
        request: PathBuf,
        #[arg(long, value_name = "OUT")]
        pdf: Option<PathBuf>,
    },
    /// 补正完成: --json FILE holds {"materiallist":[{"no","sj_no"}]}, the materials brought back.
    SupplementDone {
        project_no: String,
        #[arg(long, value_name = "FILE")]
        json: PathBuf,
    },
    /// 撤回 / 作废, with the reason. Everything is kept.
    Cancel {
        project_no: String,
        #[arg(long)]
        reason: String,
    },
    /// 启动特别程序 (hearing, inspection, expert review…): the clock pauses.
    Suspend {
        project_no: String,
        /// 特别程序种类名称, such as 听证, 专家评审, 现场勘验.
        #[arg(long)]
        name: String,
        #[arg(long)]
        reason: String,
    },
    /// 结束特别程序: the clock runs again.
    Resume {
        project_no: String,
        /// 特别程序结果.
        #[arg(long, default_value = "")]
        result: String,
    },
    /// 延长审批: extend the promised limit by AMOUNT (in its own unit).
    Extend {
        project_no: String,
        #[arg(long)]
        amount: u32,
        #[arg(long)]
        reason: String,
    },
    /// 办结 at this desk (统一受办 mode only; otherwise the department's result arrives
    /// through the hub).
    Conclude {
        project_no: String,
        /// 办理结果: approved (批准), not-approved (不予批准), forwarded (转报), terminated (终止).
        #[arg(long, value_enum)]
        status: ResultArg,
        /// 结果文书编号 / 证照编号.
        #[arg(long, default_value = "")]
        result_no: String,
        /// 办理意见.
        #[arg(long)]
        note: String,
    },
    /// 出件: hand the result over to the applicant or their agent.
    HandOver {
        project_no: String,
        /// 领取人.
        #[arg(long)]
        recipient: String,
    },
    /// 满意度评价 (dictionary B.10): the applicant's rating of a concluded or handed-over case.
    Rate {
        project_no: String,
        /// 1 很不满意, 2 不满意, 3 基本满意, 4 满意, 5 很满意.
        #[arg(long)]
        rating: String,
        /// Who recorded it (default: the desk's clerk).
        #[arg(long)]
        by: Option<String>,
    },
    /// Show one case.
    Show {
        project_no: String,
        #[arg(long)]
        json: bool,
    },
    /// List cases, newest first.
    List {
        /// Case number, name, or whole ID number.
        #[arg(long)]
        search: Option<String>,
        /// Only cases in this state (received, accepted, rejected, supplement_requested,
        /// supplement_done, withdrawn, awaiting_supplement, suspended, concluded,
        /// handed_over).
        #[arg(long, value_parser = parse_state)]
        state: Option<CaseState>,
        #[arg(long)]
        json: bool,
    },
}

fn parse_state(s: &str) -> Result<CaseState, String> {
    CaseState::parse(s).ok_or_else(|| {
        let all: Vec<&str> = CaseState::ALL.iter().map(|c| c.as_str()).collect();
        format!("未知的办件状态“{s}”，可用：{}", all.join("、"))
    })
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ResultArg {
    Approved,
    NotApproved,
    Forwarded,
    Terminated,
}

impl From<ResultArg> for yichuang_core::dict::HandleResult {
    fn from(r: ResultArg) -> Self {
        use yichuang_core::dict::HandleResult as H;
        match r {
            ResultArg::Approved => H::Approved,
            ResultArg::NotApproved => H::NotApproved,
            ResultArg::Forwarded => H::Forwarded,
            ResultArg::Terminated => H::Terminated,
        }
    }
}

pub(crate) async fn run(ctx: &Ctx, cmd: CaseCmd) -> Result<(), CliError> {
    match cmd {
        CaseCmd::Submit { json, pdf } => submit(ctx, json, pdf).await,
        CaseCmd::Receive { json, pdf } => receive(ctx, json, pdf).await,
        CaseCmd::Accept {
            project_no,
            json,
            pdf,
        } => {
            let on_case = CaseAction::Accept;
            decide(ctx, project_no, json, on_case, IntakeDecision::Accept, pdf).await
        }
        CaseCmd::Reject {
            project_no,
            json,
            reason,
            pdf,
        } => {
            let on_case = CaseAction::Reject {
                reason: reason.clone(),
            };
            let at_intake = IntakeDecision::Reject { reason };
            decide(ctx, project_no, json, on_case, at_intake, pdf).await
        }
        CaseCmd::Supplement {
            project_no,
            json,
            request,
            pdf,
        } => supplement(ctx, project_no, json, request, pdf).await,
        CaseCmd::SupplementDone { project_no, json } => {
            supplement_done(ctx, project_no, json).await
        }
        CaseCmd::Cancel { project_no, reason } => {
            apply(ctx, &project_no, CaseAction::Withdraw { reason }).await
        }
        CaseCmd::Suspend {
            project_no,
            name,
            reason,
        } => {
            let action = CaseAction::Suspend {
                special_name: name,
                reason,
            };
            apply(ctx, &project_no, action).await
        }
        CaseCmd::Resume { project_no, result } => {
            apply(ctx, &project_no, CaseAction::Resume { result }).await
        }
        CaseCmd::Extend {
            project_no,
            amount,
            reason,
        } => apply(ctx, &project_no, CaseAction::Extend { amount, reason }).await,
        CaseCmd::Conclude {
            project_no,
            status,
            result_no,
            note,
        } => {
            let action = CaseAction::Conclude {
                status: status.into(),
                result_no,
                note,
            };
            apply(ctx, &project_no, action).await
        }
        CaseCmd::HandOver {
            project_no,
            recipient,
        } => apply(ctx, &project_no, CaseAction::HandOver { recipient }).await,
        CaseCmd::Rate {
            project_no,
            rating,
            by,
        } => rate(ctx, project_no, rating, by).await,
        CaseCmd::Show { project_no, json } => case_view::show(ctx, project_no, json).await,
        CaseCmd::List {
            search,
            state,
            json,
        } => case_view::list(ctx, search, state, json).await,
    }
}

/// Prints the case number; writes the issued document to `pdf` if asked.
async fn done(ctx: &Ctx, outcome: AcceptOutcome, pdf: Option<PathBuf>) -> Result<(), CliError> {
    if let Some(out) = pdf {
        let kind = outcome
            .document
            .ok_or(CliError::Usage("此操作不出具文书，不能使用 --pdf"))?;
        ctx.desk
            .export_notice(&outcome.project_no, kind, Some(&out))
            .await?;
    }
    println!("{}", outcome.project_no);
    Ok(())
}

/// `case submit`: 提交受理 with 帮我传 materials.
async fn submit(ctx: &Ctx, json: PathBuf, pdf: Option<PathBuf>) -> Result<(), CliError> {
    let form = read_json(&json)?;
    let acting = acting(ctx, Command::AcceptCase).await?;
    done(ctx, acting.submit(&form).await?, pdf).await
}

/// `case receive`: 收件.
async fn receive(ctx: &Ctx, json: PathBuf, pdf: Option<PathBuf>) -> Result<(), CliError> {
    let form = read_json(&json)?;
    let acting = acting(ctx, Command::IntakeCase).await?;
    let outcome = acting.intake_with(&form, &IntakeDecision::Receive).await?;
    done(ctx, outcome, pdf).await
}

/// `case accept|reject|supplement`: `on_case` on the existing case `project_no`, or a new case
/// from the intake file `json` with `at_intake`.
async fn decide(
    ctx: &Ctx,
    project_no: Option<String>,
    json: Option<PathBuf>,
    on_case: CaseAction,
    at_intake: IntakeDecision,
    pdf: Option<PathBuf>,
) -> Result<(), CliError> {
    let outcome = match (project_no, json) {
        (Some(no), _) => {
            acting(ctx, Command::ActOnCase)
                .await?
                .apply(&no, &on_case)
                .await?
        }
        (None, Some(json)) => {
            acting(ctx, Command::IntakeCase)
                .await?
                .intake_with(&read_json(&json)?, &at_intake)
                .await?
        }
        (None, None) => {
            return Err(CliError::Usage("请给出办件编号，或用 --json 给出接件信息"));
        }
    };
    done(ctx, outcome, pdf).await
}

/// `case supplement`: 补齐补正, the request read first.
async fn supplement(
    ctx: &Ctx,
    project_no: Option<String>,
    json: Option<PathBuf>,
    request: PathBuf,
    pdf: Option<PathBuf>,
) -> Result<(), CliError> {
    let request: SupplementRequest = read_json(&request)?;
    let on_case = CaseAction::RequestSupplement {
        request: request.clone(),
    };
    let at_intake = IntakeDecision::RequestSupplement { request };
    decide(ctx, project_no, json, on_case, at_intake, pdf).await
}

/// `case supplement-done`: 补正完成 with the materials brought back.
async fn supplement_done(ctx: &Ctx, project_no: String, json: PathBuf) -> Result<(), CliError> {
    #[derive(serde::Deserialize)]
    struct Brought {
        materiallist: Vec<MaterialReceipt>,
    }
    let brought: Brought = read_json(&json)?;
    let action = CaseAction::CompleteSupplement {
        materiallist: brought.materiallist,
    };
    apply(ctx, &project_no, action).await
}

/// `case cancel|suspend|resume|extend|conclude|hand-over`: one action on an existing case.
async fn apply(ctx: &Ctx, project_no: &str, action: CaseAction) -> Result<(), CliError> {
    let acting = acting(ctx, Command::ActOnCase).await?;
    done(ctx, acting.apply(project_no, &action).await?, None).await
}

/// `case rate`: 满意度评价, by its code (1–5) or its label.
async fn rate(
    ctx: &Ctx,
    project_no: String,
    rating: String,
    by: Option<String>,
) -> Result<(), CliError> {
    use yichuang_core::dict::Satisfaction;
    let r = Satisfaction::from_code(rating.trim())
        .or_else(|| {
            Satisfaction::ALL
                .iter()
                .copied()
                .find(|s| s.label() == rating.trim())
        })
        .ok_or_else(|| {
            CliError::invalid(
                "rating",
                "满意度",
                format!("不认识的评价“{rating}”，应为1至5（1很不满意……5很满意）"),
            )
        })?;
    let actor = require(ctx, Permission::ActOnCase).await?;
    // On a desk with accounts the signed-in person records it, whatever --by says.
    let by = match by {
        Some(b) if actor.account_id == 0 => b,
        _ => actor.name,
    };
    ctx.desk.record_satisfaction(&project_no, r, &by).await?;
    println!("{project_no}");
    Ok(())
}
