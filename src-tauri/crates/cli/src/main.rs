//! `yichuang`: the counter's actions, headless. Calls the same core functions as the window.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use yichuang_core::model::{DeskProfile, IntakeForm, NoticeKind};
use yichuang_core::{CoreError, Desk, paths};

#[derive(Parser)]
#[command(
    name = "yichuang",
    version,
    about = "一窗 Yichuang：综合窗口受理（命令行）"
)]
struct Cli {
    /// Data directory (default: $YICHUANG_DATA_DIR, else the platform's data directory).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Cases: accept, show, list.
    Case {
        #[command(subcommand)]
        action: CaseAction,
    },
    /// Write a document of a case as PDF.
    Notice {
        /// The case number (办件编号).
        project_no: String,
        #[arg(long, value_enum, default_value = "acceptance")]
        kind: Kind,
        /// Where to write the PDF.
        #[arg(long, value_name = "OUT")]
        pdf: PathBuf,
    },
    /// The item catalog.
    Catalog {
        #[command(subcommand)]
        action: CatalogAction,
    },
    /// This desk's hall, window and clerk.
    Desk {
        #[command(subcommand)]
        action: DeskAction,
    },
}

#[derive(Subcommand)]
enum CaseAction {
    /// Intake and accept in one step. Prints the case number.
    Accept {
        /// The intake as JSON (see README); `-` reads standard input.
        #[arg(long, value_name = "FILE")]
        json: PathBuf,
        /// Also write the acceptance notice here.
        #[arg(long, value_name = "OUT")]
        pdf: Option<PathBuf>,
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
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum CatalogAction {
    /// List the items.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Replace the catalog from a JSON file (all or nothing).
    Import { file: PathBuf },
}

#[derive(Subcommand)]
enum DeskAction {
    Show,
    Set {
        #[arg(long)]
        hall: Option<String>,
        #[arg(long)]
        area: Option<String>,
        #[arg(long)]
        window: Option<String>,
        #[arg(long)]
        clerk: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    Acceptance,
}

impl From<Kind> for NoticeKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Acceptance => NoticeKind::Acceptance,
        }
    }
}

/// Exit codes: 0 success, 1 other failure, 2 invalid input, 3 not found.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error("读取 {path} 失败：{source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("JSON 格式有误（第{line}行第{column}列）：{message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("输出失败：{0}")]
    Output(String),
}

impl CliError {
    fn exit_code(&self) -> u8 {
        match self {
            CliError::Core(CoreError::Validation(_)) | CliError::Json { .. } => 2,
            CliError::Core(CoreError::NotFound(_)) => 3,
            _ => 1,
        }
    }
}

fn read_input(path: &PathBuf) -> Result<String, CliError> {
    let read = if path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(path)
    };
    read.map_err(|source| CliError::Read {
        path: path.display().to_string(),
        source,
    })
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Output(e.to_string()))?;
    println!("{text}");
    Ok(())
}

async fn run(cli: Cli) -> Result<(), CliError> {
    let desk = Desk::open(&paths::resolve_data_dir(cli.data_dir)).await?;
    match cli.command {
        Command::Case { action } => match action {
            CaseAction::Accept { json, pdf } => {
                let text = read_input(&json)?;
                let form: IntakeForm = serde_json::from_str(&text).map_err(|e| CliError::Json {
                    line: e.line(),
                    column: e.column(),
                    message: e.to_string(),
                })?;
                let outcome = desk.accept(&form).await?;
                if let Some(out) = pdf {
                    desk.export_notice(&outcome.project_no, NoticeKind::Acceptance, Some(&out))
                        .await?;
                }
                println!("{}", outcome.project_no);
            }
            CaseAction::Show { project_no, json } => {
                let case = desk.get_case(&project_no).await?;
                if json {
                    print_json(&case)?;
                } else {
                    println!("办件编号  {}", case.project_no);
                    println!("事项      {}（{}）", case.dept_ql_name, case.org_name);
                    println!(
                        "申请人    {}  {}",
                        case.applicant_name,
                        yichuang_core::idcard::mask(&case.applicant_paper_code)
                    );
                    println!("状态      {}", case.state.label());
                    println!("受理      {}  {}", case.acceptdate, case.acceptusername);
                    println!("承诺时限  {}", case.promise_text);
                    for m in &case.materials {
                        println!(
                            "材料 {:>2}   {} ×{}（{}）",
                            m.ord,
                            m.sj_file_name,
                            m.sj_no,
                            m.form.label()
                        );
                    }
                }
            }
            CaseAction::List { search, json } => {
                let cases = desk.list_cases(search.as_deref()).await?;
                if json {
                    print_json(&cases)?;
                } else {
                    for c in cases {
                        println!(
                            "{}  {}  {}  {}  {}",
                            c.project_no,
                            c.state.label(),
                            c.applicant_name,
                            c.dept_ql_name,
                            c.acceptdate
                        );
                    }
                }
            }
        },
        Command::Notice {
            project_no,
            kind,
            pdf,
        } => {
            let path = desk
                .export_notice(&project_no, kind.into(), Some(&pdf))
                .await?;
            eprintln!("已写入 {}", path.display());
        }
        Command::Catalog { action } => match action {
            CatalogAction::List { json } => {
                let items = desk.catalog().await?;
                if json {
                    print_json(&items)?;
                } else {
                    for i in items {
                        println!("{}  {}  {}", i.dept_ql_reg_no, i.dept_ql_name, i.org_name);
                    }
                }
            }
            CatalogAction::Import { file } => {
                let n = desk.import_catalog(&read_input(&file)?).await?;
                println!("已导入 {n} 个事项");
            }
        },
        Command::Desk { action } => match action {
            DeskAction::Show => print_json(&desk.profile().await?)?,
            DeskAction::Set {
                hall,
                area,
                window,
                clerk,
            } => {
                let p = desk.profile().await?;
                let saved = desk
                    .set_profile(DeskProfile {
                        hall_name: hall.unwrap_or(p.hall_name),
                        area_no: area.unwrap_or(p.area_no),
                        window_no: window.unwrap_or(p.window_no),
                        clerk_name: clerk.unwrap_or(p.clerk_name),
                    })
                    .await?;
                print_json(&saved)?;
            }
        },
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("无法启动：{e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match &e {
                CliError::Core(CoreError::Validation(errors)) => {
                    eprintln!("输入有误，未受理：");
                    for f in errors {
                        eprintln!("  {}（{}）：{}", f.label, f.field, f.message);
                    }
                }
                other => eprintln!("错误：{other}"),
            }
            ExitCode::from(e.exit_code())
        }
    }
}
