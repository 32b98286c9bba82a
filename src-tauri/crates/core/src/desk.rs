//! The counter's services. The window (Tauri commands) and the `yichuang` CLI call these and
//! nothing else, so both behave the same.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use crate::catalog::CatalogFile;
use crate::dict::{
    ApplicantType, DeliveryMethod, MaterialForm, PaperType, TimeUnit, time_limit_text,
};
use crate::error::{CoreError, Result};
use crate::model::*;
use crate::pii::DeskKeys;
use crate::store::Store;
use crate::time::{Clock, SystemClock, hall_offset, spec_time};
use crate::validate::validate_intake;
use crate::{idcard, notice};

/// How many cases a list returns at most.
const LIST_LIMIT: i64 = 500;

/// One desk: its data directory, store, keys and clock.
#[derive(Clone)]
pub struct Desk {
    data_dir: PathBuf,
    store: Store,
    keys: DeskKeys,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desk")
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

impl Desk {
    /// Opens the desk in `data_dir` with the system clock.
    pub async fn open(data_dir: &Path) -> Result<Self> {
        Self::open_with_clock(data_dir, SystemClock::shared()).await
    }

    /// Opens the desk in `data_dir`, creating the directory, the key and the database as
    /// needed; an empty catalog is filled from the bundled sample.
    pub async fn open_with_clock(data_dir: &Path, clock: Arc<dyn Clock>) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(|e| CoreError::io(data_dir, e))?;
        let keys = DeskKeys::load_or_create(data_dir)?;
        let store = Store::open(data_dir).await?;
        if store.catalog().await?.is_empty() {
            store.replace_catalog(&CatalogFile::sample()?).await?;
        }
        Ok(Desk {
            data_dir: data_dir.to_path_buf(),
            store,
            keys,
            clock,
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Now, in hall time (UTC+8), whatever offset the clock reports in.
    fn now(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.clock.now().with_timezone(&hall_offset())
    }

    pub async fn catalog(&self) -> Result<Vec<CatalogItem>> {
        self.store.catalog().await
    }

    /// Imports a catalog file; on any problem nothing changes.
    pub async fn import_catalog(&self, json: &str) -> Result<usize> {
        let file = CatalogFile::parse(json)?;
        self.store.replace_catalog(&file).await?;
        Ok(file.items.len())
    }

    pub async fn profile(&self) -> Result<DeskProfile> {
        match self.store.setting("desk_profile").await? {
            Some(json) => serde_json::from_str(&json).map_err(|e| CoreError::Data(e.to_string())),
            None => Ok(self.default_profile()),
        }
    }

    fn default_profile(&self) -> DeskProfile {
        let area = CatalogFile::sample().ok();
        DeskProfile {
            hall_name: area
                .as_ref()
                .map(|c| format!("{}政务服务中心", c.area_name))
                .unwrap_or_else(|| "政务服务中心".into()),
            area_no: area.map(|c| c.area_no).unwrap_or_default(),
            window_no: "01".into(),
            clerk_name: "窗口工作人员".into(),
        }
    }

    /// Saves the desk profile after checking it.
    pub async fn set_profile(&self, profile: DeskProfile) -> Result<DeskProfile> {
        let mut errors = Vec::new();
        let mut field = |f: &str, label: &str, msg: &str| {
            errors.push(FieldError {
                field: f.into(),
                label: label.into(),
                message: msg.into(),
            })
        };
        if profile.hall_name.trim().is_empty() {
            field("hall_name", "大厅名称", "请填写政务服务大厅名称");
        }
        if profile.clerk_name.trim().is_empty() {
            field("clerk_name", "窗口人员", "请填写窗口人员姓名");
        }
        if profile.window_no.trim().is_empty() || profile.window_no.trim().chars().count() > 10 {
            field("window_no", "窗口号", "请填写窗口号（最多10位）");
        }
        if !(profile.area_no.len() == 6 && profile.area_no.bytes().all(|b| b.is_ascii_digit())) {
            field("area_no", "行政区划编码", "行政区划编码应为6位数字");
        }
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors));
        }
        let clean = DeskProfile {
            hall_name: profile.hall_name.trim().into(),
            area_no: profile.area_no.trim().into(),
            window_no: profile.window_no.trim().into(),
            clerk_name: profile.clerk_name.trim().into(),
        };
        let json = serde_json::to_string(&clean).map_err(|e| CoreError::Data(e.to_string()))?;
        self.store.set_setting("desk_profile", &json).await?;
        Ok(clean)
    }

    /// Checks an intake without storing anything.
    pub async fn validate_intake(&self, form: &IntakeForm) -> Result<Vec<FieldError>> {
        Ok(validate_intake(
            form,
            &self.catalog().await?,
            self.now().date_naive(),
        ))
    }

    /// Intake and acceptance in one step: validates, assigns the case number, stores the case
    /// with its materials, history and acceptance notice in one durable transaction.
    pub async fn accept(&self, form: &IntakeForm) -> Result<AcceptOutcome> {
        let catalog = self.catalog().await?;
        let now = self.now();
        let errors = validate_intake(form, &catalog, now.date_naive());
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors));
        }
        let item = catalog
            .iter()
            .find(|i| i.dept_ql_reg_no == form.dept_ql_reg_no.trim())
            .ok_or_else(|| CoreError::NotFound(format!("事项 {}", form.dept_ql_reg_no)))?;
        let desk = self.profile().await?;

        // Materials in catalog order, numbered from 1.
        let materials: Vec<CaseMaterial> = item
            .materials
            .iter()
            .filter_map(|c| {
                form.materiallist
                    .iter()
                    .find(|m| {
                        m.no == c.no || (m.no.is_empty() && m.sj_file_name.trim() == c.sj_file_name)
                    })
                    .map(|m| (c, m.sj_no))
            })
            .enumerate()
            .map(|(i, (c, sj_no))| CaseMaterial {
                ord: i as u32 + 1,
                no: c.no.clone(),
                sj_file_name: c.sj_file_name.clone(),
                sj_no,
                form: c.form,
                sj_file_if: c.sj_file_if,
            })
            .collect();

        let paper_code = match form.applicant_paper_type {
            PaperType::IdCard => form.applicant_paper_code.trim().to_ascii_uppercase(),
            _ => form.applicant_paper_code.trim().to_string(),
        };
        let acceptdate = spec_time(&now);
        let mut tx = self.store.write().await?;

        let day = now.format("%Y%m%d").to_string();
        let seq: i64 = sqlx::query_scalar(
            "INSERT INTO case_counters (prefix, day, last_seq) VALUES (?, ?, 1)
             ON CONFLICT (prefix, day) DO UPDATE SET last_seq = last_seq + 1
             RETURNING last_seq",
        )
        .bind(&item.dept_ql_reg_no)
        .bind(&day)
        .fetch_one(&mut *tx)
        .await?;
        if seq > 9999 {
            return Err(CoreError::Conflict(format!(
                "事项“{}”今日的办件编号已用尽（每日最多9999件）",
                item.dept_ql_name
            )));
        }
        let project_no = format!("{}{day}{seq:04}", item.dept_ql_reg_no);

        let case = CaseRecord {
            project_no: project_no.clone(),
            dept_ql_reg_no: item.dept_ql_reg_no.clone(),
            dept_ql_name: item.dept_ql_name.clone(),
            org_id: item.org_id.clone(),
            org_name: item.org_name.clone(),
            applicant_type: form.applicant_type,
            applicant_name: form.applicant_name.trim().to_string(),
            applicant_paper_type: form.applicant_paper_type,
            applicant_paper_code: paper_code,
            applicant_mobile: form.applicant_mobile.trim().to_string(),
            applicant_address: form.applicant_address.trim().to_string(),
            state: CaseState::Accepted,
            acceptdate: acceptdate.clone(),
            acceptusername: desk.clerk_name.clone(),
            window_no: desk.window_no.clone(),
            promise: item.promise,
            promise_type: item.promise_type,
            promise_text: time_limit_text(item.promise, item.promise_type),
            delivery_method: form.delivery_method,
            materials,
            documents: vec![],
            history: vec![],
        };

        let case_id: i64 = sqlx::query_scalar(
            "INSERT INTO cases (row_guid, project_no, dept_ql_reg_no, dept_ql_name, org_id, org_name,
                applicant_type, applicant_name, applicant_paper_type, applicant_paper_code_enc,
                applicant_paper_code_idx, applicant_paper_code_masked, applicant_mobile_enc,
                applicant_address_enc, state, acceptdate, acceptusername, window_no, promise,
                promise_type, delivery_method, project_version, created_at, updated_at)
             VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?) RETURNING id",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(&case.project_no)
        .bind(&case.dept_ql_reg_no)
        .bind(&case.dept_ql_name)
        .bind(&case.org_id)
        .bind(&case.org_name)
        .bind(case.applicant_type.code())
        .bind(&case.applicant_name)
        .bind(case.applicant_paper_type.code())
        .bind(self.keys.seal_str(&case.applicant_paper_code)?)
        .bind(self.keys.blind_index(&case.applicant_paper_code))
        .bind(idcard::mask(&case.applicant_paper_code))
        .bind(self.keys.seal_str(&case.applicant_mobile)?)
        .bind(self.keys.seal_str(&case.applicant_address)?)
        .bind(case.state.as_str())
        .bind(&case.acceptdate)
        .bind(&case.acceptusername)
        .bind(&case.window_no)
        .bind(i64::from(case.promise))
        .bind(case.promise_type.code())
        .bind(case.delivery_method.code())
        .bind(&acceptdate)
        .bind(&acceptdate)
        .fetch_one(&mut *tx)
        .await?;

        for m in &case.materials {
            sqlx::query(
                "INSERT INTO case_materials (case_id, ord, no, sj_file_name, sj_no, form, sj_file_if)
                 VALUES (?,?,?,?,?,?,?)",
            )
            .bind(case_id)
            .bind(i64::from(m.ord))
            .bind(&m.no)
            .bind(&m.sj_file_name)
            .bind(i64::from(m.sj_no))
            .bind(m.form.code())
            .bind(m.sj_file_if)
            .execute(&mut *tx)
            .await?;
        }

        sqlx::query(
            "INSERT INTO case_events (case_id, at, actor, window_no, action, from_state, to_state, opinion)
             VALUES (?,?,?,?,?,NULL,?,?)",
        )
        .bind(case_id)
        .bind(&acceptdate)
        .bind(&case.acceptusername)
        .bind(&case.window_no)
        .bind("受理")
        .bind(case.state.as_str())
        .bind("申请材料齐全、符合法定形式，予以受理")
        .execute(&mut *tx)
        .await?;

        let pdf = yichuang_pdf::render(&notice::build(NoticeKind::Acceptance, &case, &desk))?;
        self.insert_document(&mut tx, case_id, NoticeKind::Acceptance, &acceptdate, &pdf)
            .await?;
        tx.commit().await?;

        let case = self.get_case(&project_no).await?;
        Ok(AcceptOutcome { project_no, case })
    }

    async fn insert_document(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
        case_id: i64,
        kind: NoticeKind,
        at: &str,
        pdf: &[u8],
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO documents (case_id, kind, created_at, size, sha256, body_enc)
             VALUES (?,?,?,?,?,?)",
        )
        .bind(case_id)
        .bind(kind.as_str())
        .bind(at)
        .bind(pdf.len() as i64)
        .bind(hex::encode(Sha256::digest(pdf)))
        .bind(self.keys.seal(pdf)?)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// One case, with its materials, documents and history.
    pub async fn get_case(&self, project_no: &str) -> Result<CaseRecord> {
        let project_no = project_no.trim();
        let row = sqlx::query("SELECT * FROM cases WHERE project_no = ?")
            .bind(project_no)
            .fetch_optional(self.store.pool())
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("办件 {project_no}")))?;
        let case_id: i64 = row.try_get("id")?;
        let pool = self.store.pool();

        let materials = sqlx::query("SELECT * FROM case_materials WHERE case_id = ? ORDER BY ord")
            .bind(case_id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                Ok(CaseMaterial {
                    ord: r.try_get::<i64, _>("ord")? as u32,
                    no: r.try_get("no")?,
                    sj_file_name: r.try_get("sj_file_name")?,
                    sj_no: r.try_get::<i64, _>("sj_no")? as u32,
                    form: code::<MaterialForm>(r, "form", MaterialForm::from_code)?,
                    sj_file_if: r.try_get("sj_file_if")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;

        let documents = sqlx::query(
            "SELECT kind, created_at, size FROM documents WHERE case_id = ? ORDER BY id",
        )
        .bind(case_id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            let kind = code::<NoticeKind>(r, "kind", NoticeKind::parse)?;
            Ok(DocumentInfo {
                kind,
                title: kind.title().to_string(),
                created_at: r.try_get("created_at")?,
                size: r.try_get::<i64, _>("size")? as u64,
            })
        })
        .collect::<Result<Vec<_>>>()?;

        let history = sqlx::query("SELECT * FROM case_events WHERE case_id = ? ORDER BY id")
            .bind(case_id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                let from: Option<String> = r.try_get("from_state")?;
                Ok(CaseEvent {
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    window_no: r.try_get("window_no")?,
                    action: r.try_get("action")?,
                    from_state: from.as_deref().and_then(CaseState::parse),
                    to_state: code::<CaseState>(r, "to_state", CaseState::parse)?,
                    opinion: r.try_get("opinion")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;

        let promise: i64 = row.try_get("promise")?;
        let promise_type = code::<TimeUnit>(&row, "promise_type", TimeUnit::from_code)?;
        Ok(CaseRecord {
            project_no: row.try_get("project_no")?,
            dept_ql_reg_no: row.try_get("dept_ql_reg_no")?,
            dept_ql_name: row.try_get("dept_ql_name")?,
            org_id: row.try_get("org_id")?,
            org_name: row.try_get("org_name")?,
            applicant_type: code::<ApplicantType>(
                &row,
                "applicant_type",
                ApplicantType::from_code,
            )?,
            applicant_name: row.try_get("applicant_name")?,
            applicant_paper_type: code::<PaperType>(
                &row,
                "applicant_paper_type",
                PaperType::from_code,
            )?,
            applicant_paper_code: self
                .keys
                .open_str(&row.try_get::<Vec<u8>, _>("applicant_paper_code_enc")?)?,
            applicant_mobile: self
                .keys
                .open_str(&row.try_get::<Vec<u8>, _>("applicant_mobile_enc")?)?,
            applicant_address: self
                .keys
                .open_str(&row.try_get::<Vec<u8>, _>("applicant_address_enc")?)?,
            state: code::<CaseState>(&row, "state", CaseState::parse)?,
            acceptdate: row.try_get("acceptdate")?,
            acceptusername: row.try_get("acceptusername")?,
            window_no: row.try_get("window_no")?,
            promise: promise as u32,
            promise_type,
            promise_text: time_limit_text(promise as u32, promise_type),
            delivery_method: code::<DeliveryMethod>(
                &row,
                "delivery_method",
                DeliveryMethod::from_code,
            )?,
            materials,
            documents,
            history,
        })
    }

    /// Cases, newest first. `search` matches a case number (or its tail), an applicant's
    /// name, or a whole ID number (through its blind index).
    pub async fn list_cases(&self, search: Option<&str>) -> Result<Vec<CaseSummary>> {
        let search = search.map(str::trim).filter(|s| !s.is_empty());
        macro_rules! summary_sql {
            ($tail:literal) => {
                concat!(
                    "SELECT project_no, dept_ql_name, org_name, applicant_name,
                            applicant_paper_code_masked, state, acceptdate, acceptusername
                     FROM cases ",
                    $tail
                )
            };
        }
        let rows = match search {
            None => {
                sqlx::query(summary_sql!("ORDER BY id DESC LIMIT ?"))
                    .bind(LIST_LIMIT)
                    .fetch_all(self.store.pool())
                    .await?
            }
            Some(s) => {
                sqlx::query(summary_sql!(
                    "WHERE project_no = ?1 OR project_no LIKE ?2 ESCAPE '\\'
                        OR applicant_name LIKE ?3 ESCAPE '\\' OR applicant_paper_code_idx = ?4
                     ORDER BY id DESC LIMIT ?5"
                ))
                .bind(s)
                .bind(format!("%{}", like_escape(s)))
                .bind(format!("%{}%", like_escape(s)))
                .bind(self.keys.blind_index(s))
                .bind(LIST_LIMIT)
                .fetch_all(self.store.pool())
                .await?
            }
        };
        rows.iter()
            .map(|r| {
                Ok(CaseSummary {
                    project_no: r.try_get("project_no")?,
                    dept_ql_name: r.try_get("dept_ql_name")?,
                    org_name: r.try_get("org_name")?,
                    applicant_name: r.try_get("applicant_name")?,
                    applicant_paper_code_masked: r.try_get("applicant_paper_code_masked")?,
                    state: code::<CaseState>(r, "state", CaseState::parse)?,
                    acceptdate: r.try_get("acceptdate")?,
                    acceptusername: r.try_get("acceptusername")?,
                })
            })
            .collect()
    }

    /// The PDF of a document, exactly as it was issued.
    pub async fn notice_pdf(&self, project_no: &str, kind: NoticeKind) -> Result<Vec<u8>> {
        let sealed: Vec<u8> = sqlx::query_scalar(
            "SELECT d.body_enc FROM documents d JOIN cases c ON c.id = d.case_id
             WHERE c.project_no = ? AND d.kind = ?",
        )
        .bind(project_no.trim())
        .bind(kind.as_str())
        .fetch_optional(self.store.pool())
        .await?
        .ok_or_else(|| {
            CoreError::NotFound(format!("办件 {} 的{}", project_no.trim(), kind.title()))
        })?;
        self.keys.open(&sealed)
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

fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Reads a code column and parses it, reporting bad stored values as data errors.
fn code<T>(row: &SqliteRow, column: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T> {
    let raw: String = row.try_get(column)?;
    parse(&raw).ok_or_else(|| CoreError::Data(format!("{column} 的值“{raw}”无法识别")))
}
