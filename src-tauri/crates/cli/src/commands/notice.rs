//! `yichuang notice`: writes a document of a case as PDF: the latest of `--kind`, or the one
//! numbered `--doc-no`.

use std::path::PathBuf;

use clap::ValueEnum;
use yichuang_core::CoreError;
use yichuang_core::accounts::Permission;
use yichuang_core::model::NoticeKind;

use crate::error::CliError;
use crate::files::write_output;
use crate::guard::{Ctx, require};

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Kind {
    Receipt,
    Acceptance,
    Rejection,
    Supplement,
    /// 临时回执 of a 受理中 case.
    TemporaryReceipt,
}

impl From<Kind> for NoticeKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Receipt => NoticeKind::Receipt,
            Kind::Acceptance => NoticeKind::Acceptance,
            Kind::Rejection => NoticeKind::Rejection,
            Kind::Supplement => NoticeKind::Supplement,
            Kind::TemporaryReceipt => NoticeKind::TemporaryReceipt,
        }
    }
}

pub(crate) async fn run(
    ctx: &Ctx,
    project_no: String,
    kind: Kind,
    doc_no: Option<String>,
    pdf: PathBuf,
) -> Result<(), CliError> {
    require(ctx, Permission::ViewCases).await?;
    match doc_no {
        Some(doc_no) => {
            let (owner, _, bytes) = ctx.desk.document_pdf(&doc_no).await?;
            if owner != project_no.trim() {
                return Err(CoreError::NotFound(format!(
                    "办件 {} 的文书 {}",
                    project_no.trim(),
                    doc_no.trim()
                ))
                .into());
            }
            write_output(&pdf, bytes)?;
            eprintln!("已写入 {}", pdf.display());
        }
        None => {
            let path = ctx
                .desk
                .export_notice(&project_no, kind.into(), Some(&pdf))
                .await?;
            eprintln!("已写入 {}", path.display());
        }
    }
    Ok(())
}
