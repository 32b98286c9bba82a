//! `yichuang share`: 帮我传 (seed 004) at the counter, calling the same core functions as the
//! window.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use yichuang_core::model::{CaseRecord, IntakeForm, ShareMethod};

use yichuang_core::accounts::Permission;

use crate::error::CliError;
use crate::files::{print_json, read_json};
use crate::guard::{Ctx, require};

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum MethodArg {
    /// 电子材料共享.
    Electronic,
    /// 纸档材料共享.
    Paper,
    /// 窗口收取: the applicant brought it.
    Counter,
}

impl MethodArg {
    fn method(self) -> Option<ShareMethod> {
        match self {
            MethodArg::Electronic => Some(ShareMethod::Electronic),
            MethodArg::Paper => Some(ShareMethod::Paper),
            MethodArg::Counter => None,
        }
    }
}

#[derive(Subcommand)]
pub(crate) enum ShareCmd {
    /// 帮我传 query: which materials of the intake's item the departments can provide for this
    /// applicant (all of them, or --material). Asks the hub (hub.json); stores nothing.
    Query {
        /// The intake as JSON (as for `case submit`); `-` reads standard input.
        #[arg(long, value_name = "FILE")]
        json: PathBuf,
        #[arg(long)]
        material: Option<String>,
        #[arg(long, value_enum, requires = "material")]
        method: Option<MethodArg>,
        #[arg(long)]
        json_out: bool,
    },
    /// Fetch a material of a 受理中 case through 帮我传 (electronic or paper): a new request,
    /// sent by the next sync round.
    Apply {
        project_no: String,
        #[arg(long)]
        material: String,
        #[arg(long, value_enum)]
        method: MethodArg,
    },
    /// 更改材料收取方式 of a 受理中 case: electronic, paper, or counter (the applicant brought it).
    Method {
        project_no: String,
        #[arg(long)]
        material: String,
        #[arg(long, value_enum)]
        method: MethodArg,
    },
    /// The 受理中 list (我的事务 - 受理中), or one case's materials with their state.
    Status {
        project_no: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 签入 a paper material: --code is what the barcode scanner reads from the paper.
    Signin {
        project_no: String,
        #[arg(long)]
        material: String,
        #[arg(long)]
        code: String,
    },
    /// 取消办件 of a 受理中 case, with the reason.
    Cancel {
        project_no: String,
        #[arg(long)]
        reason: String,
    },
    /// Write the file a department shared for a material.
    File {
        project_no: String,
        #[arg(long)]
        material: String,
        #[arg(long, value_name = "OUT")]
        out: PathBuf,
    },
}

fn print_case(case: &CaseRecord) {
    println!("{}\t{}", case.project_no, case.state.label());
    if let Some(sharing) = &case.sharing {
        if let Some(why) = &sharing.abnormal {
            println!("材料异常：{why}");
        }
        for s in yichuang_core::sharing::current_shares(sharing) {
            println!(
                "{}\t{}\t{}\t{}\t时限 {}{}",
                s.material_no,
                s.sj_file_name,
                s.method.label(),
                s.status.label(),
                s.deadline,
                if s.detail.is_empty() {
                    String::new()
                } else {
                    format!("\t{}", s.detail)
                }
            );
        }
    }
}

/// What each verb needs.
fn permission(cmd: &ShareCmd) -> Permission {
    match cmd {
        ShareCmd::Query { .. } | ShareCmd::Apply { .. } => Permission::Intake,
        ShareCmd::Status { .. } | ShareCmd::File { .. } => Permission::ViewCases,
        _ => Permission::ActOnCase,
    }
}

pub(crate) async fn run(ctx: &Ctx, cmd: ShareCmd) -> Result<(), CliError> {
    require(ctx, permission(&cmd)).await?;
    let desk = &ctx.desk;
    match cmd {
        ShareCmd::Query {
            json,
            material,
            method,
            json_out,
        } => {
            let form: IntakeForm = read_json(&json)?;
            let settings = yichuang_sync::HubSettings::load(desk)?;
            let worker = settings.worker(desk).await?;
            let answers = match (material, method.and_then(MethodArg::method)) {
                (Some(no), Some(m)) => {
                    vec![yichuang_sync::share::query(desk, worker.client(), &form, &no, m).await?]
                }
                (Some(no), None) => {
                    let mut all =
                        yichuang_sync::share::query_all(desk, worker.client(), &form).await?;
                    all.retain(|a| a.material_no == no.trim());
                    all
                }
                (None, _) => yichuang_sync::share::query_all(desk, worker.client(), &form).await?,
            };
            if json_out {
                return print_json(&answers);
            }
            if answers.is_empty() {
                eprintln!("该事项没有可通过帮我传调取的材料");
            }
            for a in &answers {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    a.material_no,
                    a.sj_file_name,
                    a.method.label(),
                    if a.available {
                        "可共享"
                    } else {
                        "不可共享"
                    },
                    a.text
                );
            }
            Ok(())
        }
        ShareCmd::Apply {
            project_no,
            material,
            method,
        } => {
            let Some(m) = method.method() else {
                return Err(CliError::Usage(
                    "帮我传只能选择 electronic 或 paper；窗口收取请用 share method --method counter",
                ));
            };
            let case = desk
                .share_set_method(&project_no, &material, Some(m))
                .await?;
            print_case(&case);
            Ok(())
        }
        ShareCmd::Method {
            project_no,
            material,
            method,
        } => {
            let case = desk
                .share_set_method(&project_no, &material, method.method())
                .await?;
            print_case(&case);
            Ok(())
        }
        ShareCmd::Status { project_no, json } => match project_no {
            Some(no) => {
                desk.share_tick().await?;
                let case = desk.get_case(&no).await?;
                if json {
                    return print_json(&case.sharing);
                }
                print_case(&case);
                Ok(())
            }
            None => {
                let list = desk.in_acceptance_cases().await?;
                if json {
                    return print_json(&list);
                }
                for c in &list {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        c.project_no,
                        c.dept_ql_name,
                        c.applicant_name,
                        c.submitted_at,
                        c.material_status,
                        if c.abnormal {
                            format!("异常：{}", c.abnormal_reason)
                        } else {
                            "正常".to_string()
                        }
                    );
                }
                Ok(())
            }
        },
        ShareCmd::Signin {
            project_no,
            material,
            code,
        } => {
            let case = desk.share_sign_in(&project_no, &material, &code).await?;
            print_case(&case);
            Ok(())
        }
        ShareCmd::Cancel { project_no, reason } => {
            let case = desk.share_cancel(&project_no, &reason).await?;
            print_case(&case);
            Ok(())
        }
        ShareCmd::File {
            project_no,
            material,
            out,
        } => {
            let (name, bytes) = desk.share_file(&project_no, &material).await?;
            std::fs::write(&out, bytes).map_err(|e| CliError::Output(e.to_string()))?;
            eprintln!("已写出“{name}”：{}", out.display());
            Ok(())
        }
    }
}
