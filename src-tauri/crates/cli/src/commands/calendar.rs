//! `yichuang calendar`: the working-day calendar (节假日安排). `show` lists the years the desk
//! knows and whether each is official or estimated from the statutory holidays; `import`
//! loads a State Council arrangement, all or nothing, and recomputes the open cases' dates.

use std::path::PathBuf;
use yichuang_api::Command;

use clap::Subcommand;
use yichuang_core::Desk;

use crate::error::CliError;
use crate::files::print_json;
use crate::guard::{Ctx, require};

#[derive(Subcommand)]
pub(crate) enum CalendarCmd {
    /// The years covered: 官方安排 (bundled or imported) or 按法定节日估算.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Imports a year's arrangement (JSON as assets/calendar/cn-workdays.json), all or nothing;
    /// open cases whose dates change are recomputed and the change is kept in their history.
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

pub(crate) async fn run(ctx: &Ctx, cmd: CalendarCmd) -> Result<(), CliError> {
    match cmd {
        CalendarCmd::Show { json } => show(ctx, json).await,
        CalendarCmd::Import { file, json } => import(ctx, &file, json).await,
    }
}

/// `calendar show`: the years covered.
async fn show(ctx: &Ctx, json: bool) -> Result<(), CliError> {
    require(ctx, Command::CalendarOverview).await?;
    let overview = ctx.desk.calendar_overview().await?;
    if json {
        return print_json(&overview);
    }
    for y in &overview.years {
        if y.official {
            println!("{}年  官方安排  {}", y.year, y.source);
        } else {
            println!("{}年  按法定节日估算（节假日安排尚未导入）", y.year);
        }
    }
    if let Some(r) = &overview.reminder {
        eprintln!("提醒：{r}");
    }
    Ok(())
}

/// `calendar import FILE`: a year's arrangement, all or nothing; the open cases recomputed.
async fn import(ctx: &Ctx, file: &std::path::Path, json: bool) -> Result<(), CliError> {
    let actor = require(ctx, Command::CalendarImport).await?;
    let text = std::fs::read_to_string(file).map_err(|source| CliError::Read {
        path: file.display().to_string(),
        source,
    })?;
    let done = ctx.desk.import_calendar(&text, &actor).await?;
    if json {
        return print_json(&done);
    }
    let years: Vec<String> = done.years.iter().map(|y| format!("{y}年")).collect();
    println!("已导入{}节假日安排：{}", years.join("、"), done.source);
    if done.changes.is_empty() {
        println!("在办办件的日期均无变化");
    }
    for c in &done.changes {
        println!(
            "{}  {}  {}  {}由{}调整为{}",
            c.project_no, c.applicant_name, c.dept_ql_name, c.what, c.from, c.to
        );
    }
    Ok(())
}

/// Prints the calendar reminder, if any, on standard error (standard output stays the JSON
/// that scripts read).
pub(crate) async fn remind(desk: &Desk) -> Result<(), CliError> {
    if let Some(r) = desk.calendar_overview().await?.reminder {
        eprintln!("提醒：{r}");
    }
    Ok(())
}
