//! `yichuang material`: the scanned or imported pages of a case's materials: attach, list,
//! pdf, scan, and the page edits (reorder, rotate, delete).

use std::path::PathBuf;
use yichuang_api::Command;

use clap::{Subcommand, ValueEnum};
use yichuang_core::accounts::Permission;
use yichuang_core::materials::IncomingFile;
use yichuang_core::model::PageOutput;

use crate::error::CliError;
use crate::files::{print_json, read_bytes, write_output};
use crate::guard::{Ctx, require};

#[derive(Subcommand)]
pub(crate) enum MaterialAction {
    /// Attaches files (JPEG, PNG, TIFF, scanned PDF) to a material: cleaned up (crop, deskew),
    /// checked (resolution, A4/A3) and stored sealed. All files pass, or nothing is stored.
    Attach {
        project_no: String,
        /// The material's number (收件材料编号), as in `case show --json`.
        #[arg(long)]
        material: String,
        /// Colour of the stored pages.
        #[arg(long, value_enum, default_value = "gray")]
        output: OutputArg,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// The pages of a case's materials.
    List {
        project_no: String,
        #[arg(long)]
        json: bool,
    },
    /// Writes one material's pages as one PDF (the JPEGs passed through unchanged).
    Pdf {
        project_no: String,
        #[arg(long)]
        material: String,
        #[arg(long, value_name = "OUT")]
        out: PathBuf,
    },
    /// Scans into a material from the desk's capture device (`device set`), or `--device`:
    /// cleaned up and checked like attached files; all pages pass, or nothing is stored.
    Scan {
        project_no: String,
        /// The material's number (收件材料编号).
        material: String,
        /// `sane:NAME`, `v4l2:/dev/videoN` (see `device list`); default: the desk's device.
        #[arg(long)]
        device: Option<String>,
    },
    /// Edits a material's pages: `reorder`, `rotate`, `delete` (page ids from `list --json`).
    Pages {
        #[command(subcommand)]
        action: PagesAction,
    },
}

#[derive(Subcommand)]
pub(crate) enum PagesAction {
    /// Puts a material's pages in this order: every page id of the material, once.
    Reorder {
        project_no: String,
        #[arg(long)]
        material: String,
        #[arg(required = true)]
        page_ids: Vec<i64>,
    },
    /// Rotates a page clockwise by 90° steps (`--turns 1|2|3`; 3 is a quarter turn left).
    Rotate {
        project_no: String,
        page_id: i64,
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(i32).range(1..=3))]
        turns: i32,
    },
    /// Deletes a page.
    Delete { project_no: String, page_id: i64 },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum OutputArg {
    Color,
    Gray,
    Bw,
}

impl From<OutputArg> for PageOutput {
    fn from(o: OutputArg) -> Self {
        match o {
            OutputArg::Color => PageOutput::Color,
            OutputArg::Gray => PageOutput::Gray,
            OutputArg::Bw => PageOutput::BlackWhite,
        }
    }
}

pub(crate) async fn run(ctx: &Ctx, action: MaterialAction) -> Result<(), CliError> {
    match action {
        MaterialAction::Attach {
            project_no,
            material,
            output,
            files,
        } => attach(ctx, project_no, material, output, files).await,
        MaterialAction::List { project_no, json } => list(ctx, project_no, json).await,
        MaterialAction::Pdf {
            project_no,
            material,
            out,
        } => pdf(ctx, project_no, material, out).await,
        MaterialAction::Scan {
            project_no,
            material,
            device,
        } => scan(ctx, project_no, material, device).await,
        MaterialAction::Pages { action } => pages(ctx, action).await,
    }
}

/// `material attach`: all files pass, or nothing is stored.
async fn attach(
    ctx: &Ctx,
    project_no: String,
    material: String,
    output: OutputArg,
    files: Vec<PathBuf>,
) -> Result<(), CliError> {
    require(ctx, Permission::ActOnCase).await?;
    let mut incoming = Vec::with_capacity(files.len());
    for path in &files {
        let bytes = read_bytes(path)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| path.display().to_string());
        incoming.push(IncomingFile { name, bytes });
    }
    let pages = ctx
        .desk
        .attach_material_files(&project_no, &material, incoming, output.into())
        .await?;
    println!("{project_no}");
    eprintln!("材料 {material} 现有 {} 页", pages.len());
    Ok(())
}

/// `material list`.
async fn list(ctx: &Ctx, project_no: String, json: bool) -> Result<(), CliError> {
    require(ctx, Permission::ViewCases).await?;
    let pages = ctx.desk.material_pages(&project_no).await?;
    if json {
        return print_json(&pages);
    }
    for p in &pages {
        println!(
            "{}\t第{}页\t{}×{} {}dpi {}\t{} 字节\t{}",
            p.material_no, p.ord, p.width, p.height, p.dpi, p.paper, p.size, p.source
        );
    }
    Ok(())
}

/// `material pdf`: one material's pages as one PDF.
async fn pdf(
    ctx: &Ctx,
    project_no: String,
    material: String,
    out: PathBuf,
) -> Result<(), CliError> {
    require(ctx, Permission::ViewCases).await?;
    let pdf = ctx.desk.material_pdf(&project_no, &material).await?;
    write_output(&out, pdf)?;
    println!("{}", out.display());
    Ok(())
}

/// `material scan`: from the desk's capture device, or `--device`.
async fn scan(
    ctx: &Ctx,
    project_no: String,
    material: String,
    device: Option<String>,
) -> Result<(), CliError> {
    require(ctx, Command::ScanMaterial).await?;
    let pages = ctx
        .desk
        .scan_material(&project_no, &material, device.as_deref())
        .await?;
    println!("{project_no}");
    eprintln!("材料 {material} 现有 {} 页", pages.len());
    Ok(())
}

/// `material pages reorder|rotate|delete`: prints the material's pages after the edit.
async fn pages(ctx: &Ctx, action: PagesAction) -> Result<(), CliError> {
    require(ctx, Permission::ActOnCase).await?;
    let desk = &ctx.desk;
    let pages = match action {
        PagesAction::Reorder {
            project_no,
            material,
            page_ids,
        } => {
            desk.reorder_material_pages(&project_no, &material, &page_ids)
                .await?
        }
        PagesAction::Rotate {
            project_no,
            page_id,
            turns,
        } => {
            desk.rotate_material_page(&project_no, page_id, turns)
                .await?
        }
        PagesAction::Delete {
            project_no,
            page_id,
        } => desk.delete_material_page(&project_no, page_id).await?,
    };
    for p in &pages {
        println!(
            "{}\t第{}页\t{}\t{}×{} {}dpi {}",
            p.material_no, p.ord, p.id, p.width, p.height, p.dpi, p.paper
        );
    }
    Ok(())
}
