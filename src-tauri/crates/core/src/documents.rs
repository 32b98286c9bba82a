//! The documents of a case: issuing them with an action, reading, printing and exporting.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::accounts::Actor;
use crate::desk::{Acting, Desk, insert_note};
use crate::error::{CoreError, Result};
use crate::model::*;
use crate::notice;
use crate::store;
use crate::time::spec_time;
use crate::workflow::Action;

impl Desk {
    /// Issues the document that goes with `action`, if any: renders it from the case as it
    /// now stands in the transaction and stores it sealed.
    pub(crate) async fn issue(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
        case_id: i64,
        project_no: &str,
        action: Action,
        desk: &DeskProfile,
        at: &str,
    ) -> Result<Option<NoticeKind>> {
        let kind = match action {
            Action::Receive => NoticeKind::Receipt,
            Action::Accept => NoticeKind::Acceptance,
            Action::Reject => NoticeKind::Rejection,
            Action::RequestSupplement => NoticeKind::Supplement,
            Action::Submit => NoticeKind::TemporaryReceipt,
            Action::CompleteSupplement
            | Action::Withdraw
            | Action::Suspend
            | Action::Resume
            | Action::Extend
            | Action::Conclude
            | Action::HandOver => return Ok(None),
        };
        let year = &at[..4];
        let seq = store::documents::next_seq(&mut **tx, kind, year).await?;
        let doc_no = format!(
            "{}字〔{year}〕第{}-{seq:05}号",
            kind.doc_char(),
            desk.window_no
        );
        let case = self.read_case(tx, project_no).await?;
        let mut spec = notice::build(kind, &case, desk, &doc_no);
        // A date on the notice that rests on estimated holidays is recorded with the case.
        if let Some(note) = estimate_note(kind, &case) {
            insert_note(
                tx,
                case_id,
                at,
                desk,
                "日期估算",
                case.state,
                &format!("{}（{doc_no}）：{note}", kind.title()),
            )
            .await?;
        }
        // Inside the transaction's own connection: another one from the pool could wait for
        // ever while concurrent intakes hold them all, waiting for this write.
        spec.logo = store::hall_images::get(&mut **tx, HallImage::Logo).await?;
        let demo = store::settings::get(&mut **tx, "demo").await?;
        if demo.as_deref() == Some("1") {
            spec.watermark = Some(crate::demo::WATERMARK.into());
        }
        if let Some(seal) = store::hall_images::get(&mut **tx, HallImage::Seal).await? {
            notice::stamp(&mut spec, seal);
        }
        let pdf = yichuang_pdf::render(&spec)?;
        store::documents::insert(
            &mut **tx,
            &store::documents::NewDocument {
                case_id,
                kind,
                doc_no: &doc_no,
                created_at: at,
                size: pdf.len() as i64,
                sha256: hex::encode(Sha256::digest(&pdf)),
                body_enc: self.keys.seal(&pdf)?,
            },
        )
        .await?;
        Ok(Some(kind))
    }

    /// The PDF of a document, exactly as it was issued.
    pub async fn notice_pdf(&self, project_no: &str, kind: NoticeKind) -> Result<Vec<u8>> {
        let sealed = store::documents::latest_body(self.store.pool(), project_no.trim(), kind)
            .await?
            .ok_or_else(|| {
                CoreError::NotFound(format!("办件 {} 的{}", project_no.trim(), kind.title()))
            })?;
        self.keys.open(&sealed)
    }

    /// The PDF of one document by its number (受理文书编号), exactly as it was issued: a case
    /// may hold several of a kind, such as a supplement notice before and one after acceptance.
    pub async fn document_pdf(&self, doc_no: &str) -> Result<(String, NoticeKind, Vec<u8>)> {
        let doc = store::documents::by_doc_no(self.store.pool(), doc_no.trim())
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("文书 {}", doc_no.trim())))?;
        let kind = doc.kind()?;
        let pdf = self.keys.open(&doc.body_enc)?;
        Ok((doc.project_no, kind, pdf))
    }

    async fn record_print(
        &self,
        actor: &Actor,
        case: &CaseRecord,
        kind: NoticeKind,
        printer: &str,
        copies: u32,
        job: &str,
    ) -> Result<()> {
        let desk = self.profile_for(actor).await?;
        let at = spec_time(&self.now());
        let mut tx = self.store.write().await?;
        let case_id = store::cases::id_of(&mut *tx, &case.project_no).await?;
        let before = store::events::count_prints(&mut *tx, case_id, kind.title()).await?;
        let action = if before == 0 { "打印" } else { "重印" };
        insert_note(
            &mut tx,
            case_id,
            &at,
            &desk,
            action,
            case.state,
            &format!(
                "{}，打印机：{printer}，{}份，作业：{job}",
                kind.title(),
                copies.clamp(1, 20)
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes a document to `dest`, or to `notices/` in the data directory, and returns the path.
    pub async fn export_notice(
        &self,
        project_no: &str,
        kind: NoticeKind,
        dest: Option<&Path>,
    ) -> Result<PathBuf> {
        let pdf = self.notice_pdf(project_no, kind).await?;
        let path = match dest {
            Some(p) => p.to_path_buf(),
            None => {
                let dir = self.data_dir.join("notices");
                std::fs::create_dir_all(&dir).map_err(|e| CoreError::io(&dir, e))?;
                dir.join(format!("{}-{}.pdf", project_no.trim(), kind.title()))
            }
        };
        let tmp = path.with_extension("pdf.part");
        std::fs::write(&tmp, &pdf).map_err(|e| CoreError::io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| CoreError::io(&path, e))?;
        Ok(path)
    }
}

impl Acting<'_> {
    /// Prints the latest document of `kind` on `printer` (or the default printer), and records
    /// it in the case's history: 打印 the first time, 重印 after that, with the printer and job.
    pub async fn print_notice(
        &self,
        project_no: &str,
        kind: NoticeKind,
        printer: Option<&str>,
        copies: u32,
    ) -> Result<String> {
        let case = self.desk.get_case(project_no).await?;
        let pdf = self.desk.notice_pdf(project_no, kind).await?;
        let dir = tempfile_dir(&self.desk.data_dir)?;
        let path = dir.join(format!("{}-{}.pdf", case.project_no, kind.title()));
        std::fs::write(&path, &pdf).map_err(|e| CoreError::io(&path, e))?;
        let title = format!("{}-{}", kind.title(), case.project_no);
        let printed = crate::printing::print_file(&path, printer, &title, copies);
        let _ = std::fs::remove_file(&path);
        let job = printed?;
        let printer = printer.filter(|p| !p.trim().is_empty()).unwrap_or("默认");
        self.desk
            .record_print(self.actor(), &case, kind, printer, copies, &job)
            .await?;
        Ok(job)
    }

    /// Records a print made outside the print service, through the system print dialog (the
    /// fallback when no printer is set up): 打印 or 重印, like [`Acting::print_notice`].
    pub async fn record_dialog_print(&self, project_no: &str, kind: NoticeKind) -> Result<()> {
        let case = self.desk.get_case(project_no).await?;
        // The document must exist.
        self.desk.notice_pdf(project_no, kind).await?;
        self.desk
            .record_print(self.actor(), &case, kind, "系统打印对话框", 1, "—")
            .await
    }
}

/// What a notice of `kind` says of its dates when one of them rests on estimated holidays:
/// the promised date on an acceptance or supplement notice, the supplement deadline on the
/// latter.
fn estimate_note(kind: NoticeKind, case: &CaseRecord) -> Option<String> {
    let mut notes: Vec<String> = Vec::new();
    if matches!(kind, NoticeKind::Acceptance | NoticeKind::Supplement)
        && let (Some(date), Some(w)) = (&case.promised_date, &case.promised_date_estimate)
    {
        notes.push(format!("承诺办结日期{date}，{w}"));
    }
    if kind == NoticeKind::Supplement
        && let Some(s) = case.supplements.iter().find(|s| s.done_at.is_none())
        && let Some(w) = &s.due_estimate
    {
        notes.push(format!("补正期限{}，{w}", s.due_date));
    }
    (!notes.is_empty()).then(|| notes.join("；"))
}

/// A private scratch directory under the data directory (documents carry personal data, so
/// they are not written to a shared /tmp).
fn tempfile_dir(data_dir: &Path) -> Result<PathBuf> {
    let dir = data_dir.join("tmp");
    std::fs::create_dir_all(&dir).map_err(|e| CoreError::io(&dir, e))?;
    Ok(dir)
}
