//! `yichuang catalog`: the item catalog: list, import (all or nothing), export.

use std::path::PathBuf;
use yichuang_api::Command;

use clap::Subcommand;
use yichuang_core::accounts::Permission;

use crate::error::CliError;
use crate::files::{print_json, read_bytes, write_output};
use crate::guard::{Ctx, require};

#[derive(Subcommand)]
pub(crate) enum CatalogAction {
    /// List the items.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Replace the catalog from a JSON or .xlsx file (all or nothing).
    Import { file: PathBuf },
    /// Write the catalog to FILE: .xlsx by that extension, JSON otherwise.
    Export { file: PathBuf },
}

pub(crate) async fn run(ctx: &Ctx, action: CatalogAction) -> Result<(), CliError> {
    match action {
        CatalogAction::List { json } => list(ctx, json).await,
        CatalogAction::Import { file } => import(ctx, file).await,
        CatalogAction::Export { file } => export(ctx, file).await,
    }
}

/// `catalog list`.
async fn list(ctx: &Ctx, json: bool) -> Result<(), CliError> {
    require(ctx, Command::CatalogList).await?;
    let items = ctx.desk.catalog().await?;
    if json {
        return print_json(&items);
    }
    for i in items {
        println!("{}  {}  {}", i.dept_ql_reg_no, i.dept_ql_name, i.org_name);
    }
    Ok(())
}

/// `catalog import FILE`: .json or .xlsx, all or nothing.
async fn import(ctx: &Ctx, file: PathBuf) -> Result<(), CliError> {
    require(ctx, Command::ImportCatalog).await?;
    let bytes = read_bytes(&file)?;
    let n = ctx.desk.import_catalog_bytes(&bytes).await?;
    println!("已导入 {n} 个事项");
    Ok(())
}

/// `catalog export FILE`: .xlsx by that extension, JSON otherwise.
async fn export(ctx: &Ctx, file: PathBuf) -> Result<(), CliError> {
    require(ctx, Permission::ViewCases).await?;
    let xlsx = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let bytes = if xlsx {
        ctx.desk.export_catalog_xlsx().await?
    } else {
        ctx.desk.export_catalog_json().await?.into_bytes()
    };
    write_output(&file, bytes)?;
    eprintln!("已导出到 {}", file.display());
    Ok(())
}
