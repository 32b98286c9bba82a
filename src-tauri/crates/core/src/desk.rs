//! The counter's services. The window (Tauri commands) and the `yichuang` CLI call these and
//! nothing else, so both behave the same.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::SqliteConnection;
use sqlx::sqlite::SqliteRow;

use crate::accounts::Actor;
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
use crate::workflow::{Action, transition};
use crate::{idcard, notice};

/// How many cases a list returns at most.
const LIST_LIMIT: i64 = 500;

/// One desk: its data directory, store, keys and clock.
#[derive(Clone)]
pub struct Desk {
    pub(crate) data_dir: PathBuf,
    pub(crate) store: Store,
    pub(crate) keys: DeskKeys,
    pub(crate) clock: Arc<dyn Clock>,
    /// The trainers' clock offset in seconds, shared by every clone of this desk.
    pub(crate) clock_offset: Arc<std::sync::atomic::AtomicI64>,
    /// The working-day calendar: bundled plus imported arrangements, shared by every clone.
    pub(crate) calendar: Arc<std::sync::RwLock<crate::workdays::DeskCalendar>>,
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
        let offset = store
            .setting(crate::demo::CLOCK_OFFSET_SETTING)
            .await?
            .and_then(|v| v.trim().parse::<i64>().ok())
            .unwrap_or(0);
        let clock_offset = Arc::new(std::sync::atomic::AtomicI64::new(offset));
        let clock: Arc<dyn Clock> = Arc::new(crate::time::OffsetClock::new(
            clock,
            Arc::clone(&clock_offset),
        ));
        let (calendar, version) = crate::workdays::load(store.pool()).await?;
        let calendar = Arc::new(std::sync::RwLock::new(crate::workdays::DeskCalendar {
            calendar: Arc::new(calendar),
            version,
        }));
        Ok(Desk {
            data_dir: data_dir.to_path_buf(),
            store,
            keys,
            clock,
            clock_offset,
            calendar,
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
    pub(crate) fn now(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.clock.now().with_timezone(&hall_offset())
    }

    pub async fn catalog(&self) -> Result<Vec<CatalogItem>> {
        self.store.catalog().await
    }

    /// Imports a catalog, JSON or .xlsx (recognised by its content); on any problem nothing
    /// changes and every problem is reported (by item, or by sheet, row and column).
    pub async fn import_catalog_bytes(&self, bytes: &[u8]) -> Result<usize> {
        let file = if bytes.starts_with(b"PK") {
            crate::catalog_xlsx::import(bytes)?
        } else {
            let text = std::str::from_utf8(bytes).map_err(|_| {
                CoreError::Catalog("文件既不是 .xlsx 表格，也不是 UTF-8 编码的 JSON".into())
            })?;
            CatalogFile::parse(text)?
        };
        self.store.replace_catalog(&file).await?;
        Ok(file.items.len())
    }

    /// Imports a JSON catalog; on any problem nothing changes.
    pub async fn import_catalog(&self, json: &str) -> Result<usize> {
        self.import_catalog_bytes(json.as_bytes()).await
    }

    /// Writes the catalog to `exports/` in the data directory (.xlsx or JSON), named by the
    /// hall time, and returns the path.
    pub async fn export_catalog_file(&self, xlsx: bool) -> Result<PathBuf> {
        let bytes = if xlsx {
            self.export_catalog_xlsx().await?
        } else {
            self.export_catalog_json().await?.into_bytes()
        };
        let dir = self.data_dir.join("exports");
        std::fs::create_dir_all(&dir).map_err(|e| CoreError::io(&dir, e))?;
        let path = dir.join(format!(
            "事项目录-{}.{}",
            self.now().format("%Y%m%d-%H%M%S"),
            if xlsx { "xlsx" } else { "json" }
        ));
        std::fs::write(&path, bytes).map_err(|e| CoreError::io(&path, e))?;
        Ok(path)
    }

    /// The catalog as JSON (the import format).
    pub async fn export_catalog_json(&self) -> Result<String> {
        serde_json::to_string_pretty(&self.store.catalog_file().await?)
            .map_err(|e| CoreError::Data(e.to_string()))
    }

    /// The catalog as an .xlsx workbook (the import format).
    pub async fn export_catalog_xlsx(&self) -> Result<Vec<u8>> {
        crate::catalog_xlsx::export(&self.store.catalog_file().await?)
    }

    pub async fn profile(&self) -> Result<DeskProfile> {
        let mut profile = match self.store.setting("desk_profile").await? {
            Some(json) => {
                serde_json::from_str(&json).map_err(|e| CoreError::Data(e.to_string()))?
            }
            None => self.default_profile().await?,
        };
        let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM hall_images")
            .fetch_all(self.store.pool())
            .await?;
        profile.has_logo = kinds.iter().any(|k| k == HallImage::Logo.as_str());
        profile.has_seal = kinds.iter().any(|k| k == HallImage::Seal.as_str());
        Ok(profile)
    }

    /// Whether this is a trainers' demo desk: every document it issues carries the watermark
    /// 培训演示 · 非正式文书.
    pub async fn is_demo(&self) -> Result<bool> {
        Ok(self.store.setting("demo").await?.as_deref() == Some("1"))
    }

    pub async fn set_demo(&self, demo: bool) -> Result<()> {
        self.store
            .set_setting("demo", if demo { "1" } else { "0" })
            .await
    }

    /// The hall's logo or seal (PNG), if set.
    pub async fn hall_image(&self, kind: HallImage) -> Result<Option<Vec<u8>>> {
        let mut conn = self.store.pool().acquire().await?;
        hall_image_in(&mut conn, kind).await
    }

    /// Sets (after checking it is a usable PNG) or, with `None`, removes the hall's logo or
    /// seal. Documents issued from then on carry it; issued ones stay as they were.
    pub async fn set_hall_image(&self, kind: HallImage, png: Option<&[u8]>) -> Result<()> {
        match png {
            Some(bytes) => {
                yichuang_pdf::check_image(bytes).map_err(|e| {
                    CoreError::Validation(vec![field_error(
                        kind.as_str(),
                        kind.label(),
                        &e.to_string(),
                    )])
                })?;
                sqlx::query(
                    "INSERT INTO hall_images (kind, png, updated_at) VALUES (?, ?, ?)
                     ON CONFLICT (kind) DO UPDATE SET png = excluded.png, updated_at = excluded.updated_at",
                )
                .bind(kind.as_str())
                .bind(bytes)
                .bind(spec_time(&self.now()))
                .execute(self.store.pool())
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM hall_images WHERE kind = ?")
                    .bind(kind.as_str())
                    .execute(self.store.pool())
                    .await?;
            }
        }
        Ok(())
    }

    /// Until a profile is saved: the hall of the desk's own catalog area.
    async fn default_profile(&self) -> Result<DeskProfile> {
        let area_name = self
            .store
            .setting("catalog_area_name")
            .await?
            .unwrap_or_default();
        Ok(DeskProfile {
            hall_name: format!("{area_name}政务服务中心"),
            area_no: self
                .store
                .setting("catalog_area_no")
                .await?
                .unwrap_or_default(),
            window_no: "01".into(),
            clerk_name: "窗口工作人员".into(),
            desk_index: 1,
            desk_count: 1,
            has_logo: false,
            has_seal: false,
            unified_intake: false,
        })
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
        if !(1..=99).contains(&profile.desk_count)
            || !(1..=profile.desk_count).contains(&profile.desk_index)
        {
            field(
                "desk_index",
                "编号段",
                "窗口编号段应在1至窗口总数之间，窗口总数最多99",
            );
        }
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors));
        }
        let clean = DeskProfile {
            hall_name: profile.hall_name.trim().into(),
            area_no: profile.area_no.trim().into(),
            window_no: profile.window_no.trim().into(),
            clerk_name: profile.clerk_name.trim().into(),
            desk_index: profile.desk_index,
            desk_count: profile.desk_count,
            has_logo: false,
            has_seal: false,
            unified_intake: profile.unified_intake,
        };
        let json = serde_json::to_string(&clean).map_err(|e| CoreError::Data(e.to_string()))?;
        self.store.set_setting("desk_profile", &json).await?;
        Ok(clean)
    }

    /// Keeps the intake form being typed, so a crash or a closed window loses nothing. The
    /// draft holds personal data, so it is sealed like the cases are.
    pub async fn save_draft(&self, form: &IntakeForm) -> Result<()> {
        let json = serde_json::to_vec(form).map_err(|e| CoreError::Data(e.to_string()))?;
        let sealed = hex::encode(self.keys.seal(&json)?);
        self.store.set_setting("intake_draft", &sealed).await
    }

    /// The saved draft, if any. A draft that cannot be read is dropped, not fatal.
    pub async fn load_draft(&self) -> Result<Option<IntakeForm>> {
        let Some(sealed) = self.store.setting("intake_draft").await? else {
            return Ok(None);
        };
        let form = hex::decode(sealed)
            .ok()
            .and_then(|b| self.keys.open(&b).ok())
            .and_then(|json| serde_json::from_slice(&json).ok());
        Ok(form)
    }

    pub async fn clear_draft(&self) -> Result<()> {
        sqlx::query("DELETE FROM settings WHERE key = 'intake_draft'")
            .execute(self.store.pool())
            .await?;
        Ok(())
    }

    /// Checks an intake without storing anything: for acceptance (every required material,
    /// situations included) or for a receipt, rejection or supplement request.
    pub async fn validate_intake(
        &self,
        form: &IntakeForm,
        for_acceptance: bool,
    ) -> Result<Vec<FieldError>> {
        Ok(validate_intake(
            form,
            &self.catalog().await?,
            self.now().date_naive(),
            for_acceptance,
        ))
    }

    /// The date a case accepted now would be promised for, with the estimate warning when it
    /// rests on a year without an official holiday arrangement (`None` for an unknown item).
    pub async fn promised_date_if_accepted_now(
        &self,
        dept_ql_reg_no: &str,
    ) -> Result<Option<PromisedDatePreview>> {
        self.refresh_calendar().await?;
        let catalog = self.catalog().await?;
        let Some(item) = catalog
            .iter()
            .find(|i| i.dept_ql_reg_no == dept_ql_reg_no.trim())
        else {
            return Ok(None);
        };
        let now = spec_time(&self.now());
        let cal = self.calendar();
        let Some(date) = crate::workdays::promised_date(
            &cal,
            &now,
            item.promise,
            item.promise_type,
            &[],
            self.now().date_naive(),
        ) else {
            return Ok(None);
        };
        let date = date.format("%Y-%m-%d").to_string();
        Ok(Some(PromisedDatePreview {
            estimate: crate::workdays::warning_between(&cal, &now, &date),
            date,
        }))
    }

    /// The person the desk acts as when nobody is signed in: the desk profile's 窗口人员 and
    /// window number. Used only on a desk without accounts (automation, older scripts); a
    /// desk with accounts acts as the signed-in person ([`Desk::acting_as`]).
    pub async fn profile_actor(&self) -> Result<Actor> {
        let p = self.profile().await?;
        Ok(Actor {
            account_id: 0,
            login: String::new(),
            name: p.clerk_name,
            window_no: p.window_no,
        })
    }

    /// The profile as it goes on documents and into the history for `actor`: the person's
    /// name as 窗口人员 and their window number (the desk's when the account has none).
    pub async fn profile_for(&self, actor: &Actor) -> Result<DeskProfile> {
        let mut p = self.profile().await?;
        p.clerk_name = actor.name.clone();
        if !actor.window_no.trim().is_empty() {
            p.window_no = actor.window_no.trim().to_string();
        }
        Ok(p)
    }

    /// The counter's actions, done by `actor`: every case, history entry and document
    /// records that person and window. The window gets the actor from
    /// [`Desk::authorize`]; the CLI from its `--session`.
    pub fn acting_as(&self, actor: Actor) -> Acting<'_> {
        Acting { desk: self, actor }
    }

    /// Intake and acceptance as the desk profile's clerk (see [`Desk::profile_actor`]).
    pub async fn accept(&self, form: &IntakeForm) -> Result<AcceptOutcome> {
        self.as_profile().await?.accept(form).await
    }

    /// Intake of materials only, as the desk profile's clerk.
    pub async fn receive(&self, form: &IntakeForm) -> Result<AcceptOutcome> {
        self.as_profile().await?.receive(form).await
    }

    /// Intake and rejection, as the desk profile's clerk.
    pub async fn reject_intake(&self, form: &IntakeForm, reason: &str) -> Result<AcceptOutcome> {
        self.as_profile().await?.reject_intake(form, reason).await
    }

    /// Intake with a supplement request, as the desk profile's clerk.
    pub async fn supplement_intake(
        &self,
        form: &IntakeForm,
        request: &SupplementRequest,
    ) -> Result<AcceptOutcome> {
        self.as_profile()
            .await?
            .supplement_intake(form, request)
            .await
    }

    /// A new case with the clerk's decision, as the desk profile's clerk.
    pub async fn intake_with(
        &self,
        form: &IntakeForm,
        decision: &IntakeDecision,
    ) -> Result<AcceptOutcome> {
        self.as_profile().await?.intake_with(form, decision).await
    }

    /// An action on an existing case, as the desk profile's clerk.
    pub async fn apply(&self, project_no: &str, action: &CaseAction) -> Result<AcceptOutcome> {
        self.as_profile().await?.apply(project_no, action).await
    }

    pub(crate) async fn as_profile(&self) -> Result<Acting<'_>> {
        Ok(self.acting_as(self.profile_actor().await?))
    }

    /// A new case: validates, assigns the case number, and stores the case with its
    /// materials, history entry and document in one durable transaction.
    async fn intake(
        &self,
        actor: &Actor,
        form: &IntakeForm,
        action: Action,
        opinion: &str,
        supplement: Option<&SupplementRequest>,
    ) -> Result<AcceptOutcome> {
        let catalog = self.catalog().await?;
        let now = self.now();
        let to = transition(None, action).map_err(|e| CoreError::Conflict(e.to_string()))?;
        let mut errors = validate_intake(
            form,
            &catalog,
            now.date_naive(),
            matches!(action, Action::Accept | Action::Submit),
        );
        errors.extend(reason_problem(action, opinion));
        let item = catalog
            .iter()
            .find(|i| i.dept_ql_reg_no == form.dept_ql_reg_no.trim());
        if let (Some(item), Some(req)) = (item, supplement) {
            errors.extend(supplement_problems(item, req));
        }
        if let (Some(item), Action::Submit) = (item, action) {
            errors.extend(crate::sharing::submit_problems(form, item));
        } else if form.materiallist.iter().any(|m| m.share.is_some()) {
            errors.push(field_error(
                "materiallist",
                "帮我传",
                "有材料选择了帮我传，请点击“提交受理”，待材料调取到位后自动受理",
            ));
        }
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors));
        }
        let item =
            item.ok_or_else(|| CoreError::NotFound(format!("事项 {}", form.dept_ql_reg_no)))?;
        let desk = self.profile_for(actor).await?;

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
                attachguid: None,
            })
            .collect();

        let paper_code = match form.applicant_paper_type {
            PaperType::IdCard => form.applicant_paper_code.trim().to_ascii_uppercase(),
            _ => form.applicant_paper_code.trim().to_string(),
        };
        let party = normalized_party(form);
        let situations: Vec<String> = item
            .situations
            .iter()
            .filter(|s| form.situations.iter().any(|c| c.trim() == s.code))
            .map(|s| s.code.clone())
            .collect();
        let at = spec_time(&now);
        let mut tx = self.store.write().await?;

        let day = now.format("%Y%m%d").to_string();
        let seq = next_case_seq(&mut tx, &item.dept_ql_reg_no, &day, &desk).await?;
        let project_no = format!("{}{day}{seq:04}", item.dept_ql_reg_no);
        let accepted = to == CaseState::Accepted;

        let case_id: i64 = sqlx::query_scalar(
            "INSERT INTO cases (row_guid, project_no, dept_ql_reg_no, dept_ql_name, org_id, org_name,
                applicant_type, applicant_name, applicant_paper_type, applicant_paper_code_enc,
                applicant_paper_code_idx, applicant_paper_code_masked, applicant_mobile_enc,
                applicant_address_enc, state, apply_date, acceptdate, acceptusername, window_no, promise,
                promise_type, delivery_method, project_version, created_at, updated_at,
                party_enc, situations)
             VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?,?,?) RETURNING id",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(&project_no)
        .bind(&item.dept_ql_reg_no)
        .bind(&item.dept_ql_name)
        .bind(&item.org_id)
        .bind(&item.org_name)
        .bind(form.applicant_type.code())
        .bind(form.applicant_name.trim())
        .bind(form.applicant_paper_type.code())
        .bind(self.keys.seal_str(&paper_code)?)
        .bind(self.keys.blind_index(&paper_code))
        .bind(idcard::mask(&paper_code))
        .bind(self.keys.seal_str(form.applicant_mobile.trim())?)
        .bind(self.keys.seal_str(form.applicant_address.trim())?)
        .bind(to.as_str())
        .bind(&at)
        .bind(if accepted { at.as_str() } else { "" })
        .bind(if accepted { desk.clerk_name.as_str() } else { "" })
        .bind(&desk.window_no)
        .bind(i64::from(item.promise))
        .bind(item.promise_type.code())
        .bind(form.delivery_method.code())
        .bind(&at)
        .bind(&at)
        .bind(self.keys.seal(&serde_json::to_vec(&party)?)?)
        .bind(serde_json::to_string(&situations)?)
        .fetch_one(&mut *tx)
        .await?;

        for m in &materials {
            insert_material(&mut tx, case_id, m).await?;
        }
        if action == Action::Submit {
            crate::sharing::insert_submitted(&mut tx, case_id, item, form, &at).await?;
        }
        if let Some(req) = supplement {
            self.insert_supplement(&mut tx, case_id, item, req, now.date_naive(), &at)
                .await?;
        }
        insert_event(&mut tx, case_id, &at, &desk, action, None, to, opinion).await?;
        let document = self
            .issue(&mut tx, case_id, &project_no, action, &desk, &at)
            .await?;
        let messages: Vec<(OutboxOperation, String)> =
            crate::outbox::messages_for(None, to, action)
                .into_iter()
                .map(|(o, e)| (o, e.to_string()))
                .collect();
        if !messages.is_empty() {
            let case = self.read_case(&mut tx, &project_no).await?;
            crate::outbox::enqueue(self, &mut tx, case_id, &case, &messages, &at).await?;
        }
        tx.commit().await?;

        let case = self.get_case(&project_no).await?;
        Ok(AcceptOutcome {
            project_no,
            case,
            document,
        })
    }

    /// An action on an existing case: checks the transition, records it, and issues the
    /// document that goes with it, in one transaction. `special_name` and `amount` name a
    /// special procedure and an extension's size.
    #[allow(clippy::too_many_arguments)]
    async fn act(
        &self,
        actor: &Actor,
        project_no: &str,
        action: Action,
        opinion: &str,
        supplement: Option<&SupplementRequest>,
        received: &[MaterialReceipt],
        special: (&str, u32),
    ) -> Result<AcceptOutcome> {
        self.act_full(
            actor,
            project_no,
            action,
            opinion,
            ActExtras {
                supplement,
                received,
                special,
                result: None,
            },
        )
        .await
    }

    async fn act_full(
        &self,
        actor: &Actor,
        project_no: &str,
        action: Action,
        opinion: &str,
        extras: ActExtras<'_>,
    ) -> Result<AcceptOutcome> {
        let ActExtras {
            supplement,
            received,
            special: (special_name, amount),
            result,
        } = extras;
        let project_no = project_no.trim();
        let now = self.now();
        let at = spec_time(&now);
        let desk = self.profile_for(actor).await?;
        let catalog = self.catalog().await?;
        let mut tx = self.store.write().await?;
        let row = sqlx::query(
            "SELECT id, state, dept_ql_reg_no, situations, promise FROM cases WHERE project_no = ?",
        )
        .bind(project_no)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| CoreError::NotFound(format!("办件 {project_no}")))?;
        let case_id: i64 = row.try_get("id")?;
        let from = code::<CaseState>(&row, "state", CaseState::parse)?;
        let to = transition(Some(from), action).map_err(|e| CoreError::Conflict(e.to_string()))?;
        let item_code: String = row.try_get("dept_ql_reg_no")?;
        let item = catalog
            .iter()
            .find(|i| i.dept_ql_reg_no == item_code)
            .ok_or_else(|| CoreError::NotFound(format!("事项 {item_code}（已不在目录中）")))?;

        let mut errors = reason_problem(action, opinion);
        if let Some(req) = supplement {
            errors.extend(supplement_problems(item, req));
        } else if action == Action::RequestSupplement {
            errors.push(field_error(
                "materials",
                "补正材料",
                "请选择需要补齐补正的材料",
            ));
        }
        if action == Action::CompleteSupplement {
            errors.extend(receipt_problems(item, received));
        }
        if action == Action::Suspend {
            let n = special_name.trim().chars().count();
            if n == 0 || n > 50 {
                errors.push(field_error(
                    "special_name",
                    "特别程序种类",
                    "请选择或填写特别程序种类（如听证、专家评审、现场勘验），最多50个字",
                ));
            }
        }
        if action == Action::Extend {
            let promise: i64 = row.try_get("promise")?;
            if amount == 0 || i64::from(amount) > promise.max(1) {
                errors.push(field_error(
                    "amount",
                    "延长时限",
                    &format!(
                        "延长时限应为1至{}（{}），不超过原承诺时限",
                        promise.max(1),
                        item.promise_type.label()
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors));
        }
        let situations: Vec<String> =
            serde_json::from_str(&row.try_get::<String, _>("situations")?).unwrap_or_default();

        if action == Action::CompleteSupplement {
            for m in received {
                let Some(c) = item
                    .materials
                    .iter()
                    .find(|c| c.no == m.no || c.sj_file_name == m.sj_file_name.trim())
                else {
                    continue;
                };
                sqlx::query(
                    "INSERT INTO case_materials (case_id, ord, no, sj_file_name, sj_no, form, sj_file_if)
                     VALUES (?, (SELECT COALESCE(MAX(ord), 0) + 1 FROM case_materials WHERE case_id = ?), ?, ?, ?, ?, ?)
                     ON CONFLICT DO NOTHING",
                )
                .bind(case_id)
                .bind(case_id)
                .bind(&c.no)
                .bind(&c.sj_file_name)
                .bind(i64::from(m.sj_no))
                .bind(c.form.code())
                .bind(c.sj_file_if)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE case_materials SET sj_no = ? WHERE case_id = ? AND no = ?")
                    .bind(i64::from(m.sj_no))
                    .bind(case_id)
                    .bind(&c.no)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "UPDATE case_supplements SET done_at = ? WHERE case_id = ? AND done_at IS NULL",
            )
            .bind(&at)
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
        }
        if action == Action::Accept {
            let have: Vec<String> =
                sqlx::query_scalar("SELECT no FROM case_materials WHERE case_id = ?")
                    .bind(case_id)
                    .fetch_all(&mut *tx)
                    .await?;
            let missing: Vec<&str> = crate::validate::required_materials(item, &situations)
                .into_iter()
                .filter(|c| !have.contains(&c.no))
                .map(|c| c.sj_file_name.as_str())
                .collect();
            if !missing.is_empty() {
                return Err(CoreError::Validation(vec![field_error(
                    "materiallist",
                    "收取材料",
                    &format!("必须材料未收齐：{}。请先补齐补正", missing.join("、")),
                )]));
            }
            sqlx::query(
                "UPDATE cases SET acceptdate = ?, acceptusername = ?, window_no = ? WHERE id = ?",
            )
            .bind(&at)
            .bind(&desk.clerk_name)
            .bind(&desk.window_no)
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(req) = supplement {
            self.insert_supplement(&mut tx, case_id, item, req, now.date_naive(), &at)
                .await?;
        }
        // The clock: a pause opens on a supplement after acceptance or a special procedure,
        // closes when it ends (or the case is withdrawn); an extension is recorded as is.
        let pause = match (from, to, action) {
            (CaseState::Accepted, CaseState::AwaitingSupplement, _) => {
                Some((ClockKind::Supplement, "补齐补正"))
            }
            (_, _, Action::Suspend) => Some((ClockKind::Special, special_name.trim())),
            (_, _, Action::Extend) => Some((ClockKind::Extension, "延长审批")),
            _ => None,
        };
        if let Some(result) = result {
            crate::inbox::insert_result(&mut tx, case_id, result).await?;
        }
        if matches!(from, CaseState::AwaitingSupplement | CaseState::Suspended) {
            sqlx::query(
                "UPDATE case_clock SET ended_at = ?, result = ? WHERE case_id = ? AND ended_at IS NULL",
            )
            .bind(&at)
            .bind(opinion.trim())
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
        }
        if let Some((kind, name)) = pause {
            sqlx::query(
                "INSERT INTO case_clock (case_id, kind, special_name, reason, started_at, ended_at, amount)
                 VALUES (?,?,?,?,?,?,?)",
            )
            .bind(case_id)
            .bind(kind.as_str())
            .bind(name)
            .bind(opinion.trim())
            .bind(&at)
            .bind((kind == ClockKind::Extension).then_some(at.as_str()))
            .bind(i64::from(amount))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE cases SET state = ?, project_version = project_version + 1, updated_at = ? WHERE id = ?",
        )
        .bind(to.as_str())
        .bind(&at)
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        insert_event(
            &mut tx,
            case_id,
            &at,
            &desk,
            action,
            Some(from),
            to,
            opinion,
        )
        .await?;
        let document = self
            .issue(&mut tx, case_id, project_no, action, &desk, &at)
            .await?;
        let messages = crate::outbox::messages_for(Some(from), to, action);
        if !messages.is_empty() {
            let case = self.read_case(&mut tx, project_no).await?;
            let messages =
                crate::outbox::with_uploads(&mut tx, case_id, &case, document, &messages).await?;
            crate::outbox::enqueue(self, &mut tx, case_id, &case, &messages, &at).await?;
        }
        tx.commit().await?;
        let case = self.get_case(project_no).await?;
        Ok(AcceptOutcome {
            project_no: project_no.to_string(),
            case,
            document,
        })
    }

    pub(crate) async fn insert_supplement(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
        case_id: i64,
        item: &CatalogItem,
        req: &SupplementRequest,
        today: chrono::NaiveDate,
        at: &str,
    ) -> Result<()> {
        let due = self
            .calendar()
            .due_date(today, req.limit_days, TimeUnit::WorkingDays);
        for s in &req.materials {
            let name = item
                .materials
                .iter()
                .find(|c| c.no == s.no)
                .map(|c| c.sj_file_name.clone())
                .unwrap_or_else(|| s.sj_file_name.clone());
            sqlx::query(
                "INSERT INTO case_supplements (case_id, requested_at, due_date, no, sj_file_name, reason)
                 VALUES (?,?,?,?,?,?)",
            )
            .bind(case_id)
            .bind(at)
            .bind(due.format("%Y-%m-%d").to_string())
            .bind(&s.no)
            .bind(name)
            .bind(s.reason.trim())
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }

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
        let seq: i64 = sqlx::query_scalar(
            "INSERT INTO doc_counters (kind, year, last_seq) VALUES (?, ?, 1)
             ON CONFLICT (kind, year) DO UPDATE SET last_seq = last_seq + 1
             RETURNING last_seq",
        )
        .bind(kind.as_str())
        .bind(year)
        .fetch_one(&mut **tx)
        .await?;
        let doc_no = format!(
            "{}字〔{year}〕第{}-{seq:05}号",
            kind.doc_char(),
            desk.window_no
        );
        let case = self.read_case(tx, project_no).await?;
        let mut spec = notice::build(kind, &case, desk, &doc_no);
        // A date on the notice that rests on estimated holidays is recorded with the case.
        if let Some(note) = estimate_note(kind, &case) {
            sqlx::query(
                "INSERT INTO case_events (case_id, at, actor, window_no, action, from_state, to_state, opinion)
                 VALUES (?,?,?,?,?,?,?,?)",
            )
            .bind(case_id)
            .bind(at)
            .bind(&desk.clerk_name)
            .bind(&desk.window_no)
            .bind("日期估算")
            .bind(case.state.as_str())
            .bind(case.state.as_str())
            .bind(format!("{}（{doc_no}）：{note}", kind.title()))
            .execute(&mut **tx)
            .await?;
        }
        // Inside the transaction's own connection: another one from the pool could wait for
        // ever while concurrent intakes hold them all, waiting for this write.
        spec.logo = hall_image_in(tx, HallImage::Logo).await?;
        let demo: Option<String> =
            sqlx::query_scalar("SELECT value FROM settings WHERE key = 'demo'")
                .fetch_optional(&mut **tx)
                .await?;
        if demo.as_deref() == Some("1") {
            spec.watermark = Some(crate::demo::WATERMARK.into());
        }
        if let Some(seal) = hall_image_in(tx, HallImage::Seal).await? {
            notice::stamp(&mut spec, seal);
        }
        let pdf = yichuang_pdf::render(&spec)?;
        sqlx::query(
            "INSERT INTO documents (case_id, kind, doc_no, created_at, size, sha256, body_enc)
             VALUES (?,?,?,?,?,?,?)",
        )
        .bind(case_id)
        .bind(kind.as_str())
        .bind(&doc_no)
        .bind(at)
        .bind(pdf.len() as i64)
        .bind(hex::encode(Sha256::digest(&pdf)))
        .bind(self.keys.seal(&pdf)?)
        .execute(&mut **tx)
        .await?;
        Ok(Some(kind))
    }

    /// One case, with its materials, documents and history.
    pub async fn get_case(&self, project_no: &str) -> Result<CaseRecord> {
        self.refresh_calendar().await?;
        let mut conn = self.store.pool().acquire().await?;
        self.read_case(&mut conn, project_no).await
    }

    pub(crate) async fn read_case(
        &self,
        pool: &mut SqliteConnection,
        project_no: &str,
    ) -> Result<CaseRecord> {
        let project_no = project_no.trim();
        let row = sqlx::query("SELECT * FROM cases WHERE project_no = ?")
            .bind(project_no)
            .fetch_optional(&mut *pool)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("办件 {project_no}")))?;
        let case_id: i64 = row.try_get("id")?;

        let materials = sqlx::query("SELECT * FROM case_materials WHERE case_id = ? ORDER BY ord")
            .bind(case_id)
            .fetch_all(&mut *pool)
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
                    attachguid: None,
                })
            })
            .collect::<Result<Vec<_>>>()?;

        let documents = sqlx::query(
            "SELECT kind, doc_no, created_at, size, attachguid FROM documents WHERE case_id = ? ORDER BY id",
        )
        .bind(case_id)
        .fetch_all(&mut *pool)
        .await?
        .iter()
        .map(|r| {
            let kind = code::<NoticeKind>(r, "kind", NoticeKind::parse)?;
            Ok(DocumentInfo {
                kind,
                doc_no: r.try_get("doc_no")?,
                title: kind.title().to_string(),
                created_at: r.try_get("created_at")?,
                size: r.try_get::<i64, _>("size")? as u64,
                attachguid: r.try_get("attachguid")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;

        let history = sqlx::query("SELECT * FROM case_events WHERE case_id = ? ORDER BY id")
            .bind(case_id)
            .fetch_all(&mut *pool)
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

        let supplements =
            sqlx::query("SELECT * FROM case_supplements WHERE case_id = ? ORDER BY id")
                .bind(case_id)
                .fetch_all(&mut *pool)
                .await?
                .iter()
                .map(|r| {
                    Ok(SupplementRecord {
                        requested_at: r.try_get("requested_at")?,
                        due_date: r.try_get("due_date")?,
                        no: r.try_get("no")?,
                        sj_file_name: r.try_get("sj_file_name")?,
                        reason: r.try_get("reason")?,
                        done_at: r.try_get("done_at")?,
                        due_estimate: None,
                    })
                })
                .collect::<Result<Vec<_>>>()?;

        let clock = read_clock(&mut *pool, case_id).await?;

        let promise: i64 = row.try_get("promise")?;
        let promise_type = code::<TimeUnit>(&row, "promise_type", TimeUnit::from_code)?;
        let acceptdate: String = row.try_get("acceptdate")?;
        let cal = self.calendar();
        let promised = crate::workdays::promised_date(
            &cal,
            &acceptdate,
            promise as u32,
            promise_type,
            &clock,
            self.now().date_naive(),
        );
        let promised_date = promised.map(|d| d.format("%Y-%m-%d").to_string());
        let promised_date_estimate = promised_date
            .as_deref()
            .and_then(|d| crate::workdays::warning_between(&cal, &acceptdate, d));
        let supplements = supplements
            .into_iter()
            .map(|mut s: SupplementRecord| {
                s.due_estimate =
                    crate::workdays::warning_between(&cal, &s.requested_at, &s.due_date);
                s
            })
            .collect::<Vec<_>>();
        let sync = crate::outbox::case_sync(&mut *pool, case_id).await?;
        let result = crate::inbox::read_result(&mut *pool, case_id).await?;
        let hub_documents = crate::inbox::read_hub_documents(&mut *pool, case_id).await?;
        let material_pages = crate::materials::read_pages(&mut *pool, project_no).await?;
        let sharing = crate::sharing::read_sharing(&mut *pool, case_id).await?;
        let uploads: Vec<(String, String)> = sqlx::query_as(
            "SELECT material_no, attachguid FROM material_uploads WHERE case_id = ?",
        )
        .bind(case_id)
        .fetch_all(&mut *pool)
        .await?;
        let mut materials = materials;
        for m in &mut materials {
            m.attachguid = uploads
                .iter()
                .find(|(no, _)| *no == m.no)
                .map(|(_, g)| g.clone());
        }
        let supervision_orders = crate::orders::case_orders(&mut *pool, case_id).await?;
        let satisfaction = match row.try_get::<Option<String>, _>("satisfaction")? {
            Some(c) => Some(
                crate::dict::Satisfaction::from_code(&c)
                    .ok_or_else(|| CoreError::Data(format!("满意度“{c}”无法识别")))?,
            ),
            None => None,
        };
        let satisfaction_at: Option<String> = row.try_get("satisfaction_at")?;
        let party = match row.try_get::<Option<Vec<u8>>, _>("party_enc")? {
            Some(sealed) => serde_json::from_slice(&self.keys.open(&sealed)?)?,
            None => PartyDetails::default(),
        };
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
            party,
            situations: serde_json::from_str(&row.try_get::<String, _>("situations")?)
                .unwrap_or_default(),
            state: code::<CaseState>(&row, "state", CaseState::parse)?,
            apply_date: row.try_get("apply_date")?,
            acceptdate,
            acceptusername: row.try_get("acceptusername")?,
            window_no: row.try_get("window_no")?,
            promise: promise as u32,
            promise_type,
            promise_text: time_limit_text(promise as u32, promise_type),
            promised_date,
            promised_date_estimate,
            clock_paused: clock
                .iter()
                .any(|c| c.kind != ClockKind::Extension && c.ended_at.is_none()),
            clock,
            delivery_method: code::<DeliveryMethod>(
                &row,
                "delivery_method",
                DeliveryMethod::from_code,
            )?,
            materials,
            supplements,
            documents,
            history,
            sync,
            result,
            hub_documents,
            material_pages,
            sharing,
            supervision_orders,
            satisfaction,
            satisfaction_at,
        })
    }

    /// Cases, newest first. `search` matches a case number (or its tail), an applicant's
    /// name, or a whole ID number (through its blind index); `state` keeps one state only.
    pub async fn list_cases(
        &self,
        search: Option<&str>,
        state: Option<CaseState>,
    ) -> Result<Vec<CaseSummary>> {
        let search = search.map(str::trim).filter(|s| !s.is_empty());
        let rows = sqlx::query(
            "SELECT project_no, dept_ql_name, org_name, applicant_name,
                    applicant_paper_code_masked, state, apply_date, acceptdate, acceptusername
             FROM cases
             WHERE (?1 IS NULL OR project_no = ?1 OR project_no LIKE ?2 ESCAPE '\\'
                    OR applicant_name LIKE ?3 ESCAPE '\\' OR applicant_paper_code_idx = ?4)
               AND (?5 IS NULL OR state = ?5)
             ORDER BY id DESC LIMIT ?6",
        )
        .bind(search)
        .bind(search.map(|s| format!("%{}", like_escape(s))))
        .bind(search.map(|s| format!("%{}%", like_escape(s))))
        .bind(search.map(|s| self.keys.blind_index(s)))
        .bind(state.map(CaseState::as_str))
        .bind(LIST_LIMIT)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(CaseSummary {
                    project_no: r.try_get("project_no")?,
                    dept_ql_name: r.try_get("dept_ql_name")?,
                    org_name: r.try_get("org_name")?,
                    applicant_name: r.try_get("applicant_name")?,
                    applicant_paper_code_masked: r.try_get("applicant_paper_code_masked")?,
                    state: code::<CaseState>(r, "state", CaseState::parse)?,
                    apply_date: r.try_get("apply_date")?,
                    acceptdate: r.try_get("acceptdate")?,
                    acceptusername: r.try_get("acceptusername")?,
                })
            })
            .collect()
    }

    /// The details of an applicant known from earlier cases at this desk, by whole ID number.
    pub async fn known_applicant(&self, paper_code: &str) -> Result<Option<KnownApplicant>> {
        let number = paper_code.trim();
        if number.chars().count() < 6 {
            return Ok(None);
        }
        let idx = self.keys.blind_index(number);
        let rows = sqlx::query(
            "SELECT applicant_type, applicant_name, applicant_paper_type, applicant_paper_code_enc,
                    applicant_mobile_enc, applicant_address_enc, party_enc, apply_date
             FROM cases WHERE applicant_paper_code_idx = ? ORDER BY id DESC",
        )
        .bind(idx)
        .fetch_all(self.store.pool())
        .await?;
        let Some(r) = rows.first() else {
            return Ok(None);
        };
        Ok(Some(KnownApplicant {
            applicant_type: code::<ApplicantType>(r, "applicant_type", ApplicantType::from_code)?,
            applicant_name: r.try_get("applicant_name")?,
            applicant_paper_type: code::<PaperType>(
                r,
                "applicant_paper_type",
                PaperType::from_code,
            )?,
            applicant_paper_code: self
                .keys
                .open_str(&r.try_get::<Vec<u8>, _>("applicant_paper_code_enc")?)?,
            applicant_mobile: self
                .keys
                .open_str(&r.try_get::<Vec<u8>, _>("applicant_mobile_enc")?)?,
            applicant_address: self
                .keys
                .open_str(&r.try_get::<Vec<u8>, _>("applicant_address_enc")?)?,
            party: match r.try_get::<Option<Vec<u8>>, _>("party_enc")? {
                Some(sealed) => serde_json::from_slice(&self.keys.open(&sealed)?)?,
                None => PartyDetails::default(),
            },
            cases: rows.len() as u32,
            last_seen: r.try_get("apply_date")?,
        }))
    }

    /// The PDF of a document, exactly as it was issued.
    pub async fn notice_pdf(&self, project_no: &str, kind: NoticeKind) -> Result<Vec<u8>> {
        let sealed: Vec<u8> = sqlx::query_scalar(
            "SELECT d.body_enc FROM documents d JOIN cases c ON c.id = d.case_id
             WHERE c.project_no = ? AND d.kind = ? ORDER BY d.id DESC LIMIT 1",
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

    /// The PDF of one document by its number (受理文书编号), exactly as it was issued: a case
    /// may hold several of a kind, such as a supplement notice before and one after acceptance.
    pub async fn document_pdf(&self, doc_no: &str) -> Result<(String, NoticeKind, Vec<u8>)> {
        let row = sqlx::query(
            "SELECT c.project_no, d.kind, d.body_enc FROM documents d JOIN cases c ON c.id = d.case_id
             WHERE d.doc_no = ?",
        )
        .bind(doc_no.trim())
        .fetch_optional(self.store.pool())
        .await?
        .ok_or_else(|| CoreError::NotFound(format!("文书 {}", doc_no.trim())))?;
        let kind = code::<NoticeKind>(&row, "kind", NoticeKind::parse)?;
        let pdf = self.keys.open(&row.try_get::<Vec<u8>, _>("body_enc")?)?;
        Ok((row.try_get("project_no")?, kind, pdf))
    }

    /// Prints as the desk profile's clerk (see [`Acting::print_notice`]).
    pub async fn print_notice(
        &self,
        project_no: &str,
        kind: NoticeKind,
        printer: Option<&str>,
        copies: u32,
    ) -> Result<String> {
        self.as_profile()
            .await?
            .print_notice(project_no, kind, printer, copies)
            .await
    }

    /// Records a dialog print as the desk profile's clerk (see [`Acting::record_dialog_print`]).
    pub async fn record_dialog_print(&self, project_no: &str, kind: NoticeKind) -> Result<()> {
        self.as_profile()
            .await?
            .record_dialog_print(project_no, kind)
            .await
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
        let case_id: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE project_no = ?")
            .bind(&case.project_no)
            .fetch_one(&mut *tx)
            .await?;
        let before: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM case_events WHERE case_id = ? AND action IN ('打印', '重印') AND opinion LIKE ?",
        )
        .bind(case_id)
        .bind(format!("{}%", kind.title()))
        .fetch_one(&mut *tx)
        .await?;
        let action = if before == 0 { "打印" } else { "重印" };
        sqlx::query(
            "INSERT INTO case_events (case_id, at, actor, window_no, action, from_state, to_state, opinion)
             VALUES (?,?,?,?,?,?,?,?)",
        )
        .bind(case_id)
        .bind(&at)
        .bind(&desk.clerk_name)
        .bind(&desk.window_no)
        .bind(action)
        .bind(case.state.as_str())
        .bind(case.state.as_str())
        .bind(format!(
            "{}，打印机：{printer}，{}份，作业：{job}",
            kind.title(),
            copies.clamp(1, 20)
        ))
        .execute(&mut *tx)
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

async fn hall_image_in(conn: &mut SqliteConnection, kind: HallImage) -> Result<Option<Vec<u8>>> {
    Ok(
        sqlx::query_scalar("SELECT png FROM hall_images WHERE kind = ?")
            .bind(kind.as_str())
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// No special procedure, no extension.
const NO_CLOCK: (&str, u32) = ("", 0);

/// The party details as stored: trimmed, ID numbers upper-cased, and the organisation code
/// derived from the unified social credit code when the clerk left it empty.
fn normalized_party(form: &IntakeForm) -> PartyDetails {
    let p = &form.party;
    let t = |s: &str| s.trim().to_string();
    let mut applicant_code = t(&p.applicant_code);
    if applicant_code.is_empty() && form.applicant_type.is_organisation() {
        applicant_code =
            crate::validate::org_code_from_uscc(&form.applicant_paper_code).unwrap_or_default();
    }
    let linkman = p.has_linkman();
    PartyDetails {
        applicant_phone: t(&p.applicant_phone),
        applicant_zipcode: t(&p.applicant_zipcode),
        applicant_email: t(&p.applicant_email),
        applicant_code,
        oper_man_name: t(&p.oper_man_name),
        oper_man_code: p.oper_man_code.trim().to_ascii_uppercase(),
        linkman_name: if linkman {
            t(&p.linkman_name)
        } else {
            String::new()
        },
        linkman_paper_type: p.linkman_paper_type,
        linkman_paper_code: if linkman && p.linkman_paper_type == PaperType::IdCard {
            p.linkman_paper_code.trim().to_ascii_uppercase()
        } else if linkman {
            t(&p.linkman_paper_code)
        } else {
            String::new()
        },
        linkman_mobile: if linkman {
            t(&p.linkman_mobile)
        } else {
            String::new()
        },
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

/// The pauses and extensions of a case's clock, oldest first.
pub(crate) async fn read_clock(
    conn: &mut sqlx::SqliteConnection,
    case_id: i64,
) -> Result<Vec<ClockEntry>> {
    sqlx::query("SELECT * FROM case_clock WHERE case_id = ? ORDER BY id")
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(ClockEntry {
                kind: code::<ClockKind>(r, "kind", ClockKind::parse)?,
                special_name: r.try_get("special_name")?,
                reason: r.try_get("reason")?,
                started_at: r.try_get("started_at")?,
                ended_at: r.try_get("ended_at")?,
                result: r.try_get("result")?,
                amount: r.try_get::<i64, _>("amount")? as u32,
            })
        })
        .collect()
}

pub(crate) fn field_error(field: &str, label: &str, message: &str) -> FieldError {
    FieldError {
        field: field.into(),
        label: label.into(),
        message: message.into(),
    }
}

/// Rejection and withdrawal need a reason (the opinion recorded in the history).
fn reason_problem(action: Action, opinion: &str) -> Vec<FieldError> {
    let n = opinion.trim().chars().count();
    if action.needs_reason() && action != Action::RequestSupplement && n == 0 {
        vec![field_error(
            "reason",
            "原因",
            &format!("请填写{}原因", action.label()),
        )]
    } else if n > 500 {
        vec![field_error("reason", "原因", "原因过长，最多500个字")]
    } else {
        vec![]
    }
}

fn supplement_problems(item: &CatalogItem, req: &SupplementRequest) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if req.materials.is_empty() {
        errors.push(field_error(
            "materials",
            "补正材料",
            "请选择需要补齐补正的材料",
        ));
    }
    for (i, m) in req.materials.iter().enumerate() {
        if !item.materials.iter().any(|c| c.no == m.no) {
            errors.push(field_error(
                &format!("materials[{i}]"),
                "补正材料",
                &format!("材料编号“{}”不在本事项的材料目录中", m.no),
            ));
        }
        if m.reason.trim().is_empty() {
            errors.push(field_error(
                &format!("materials[{i}].reason"),
                "补正原因",
                "请逐项填写补正原因（缺少、不清晰、已过期等）",
            ));
        }
    }
    if req.limit_days == 0 || req.limit_days > 60 {
        errors.push(field_error(
            "limit_days",
            "补正时限",
            "补正时限应为1至60个工作日",
        ));
    }
    errors
}

fn receipt_problems(item: &CatalogItem, received: &[MaterialReceipt]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if received.is_empty() {
        errors.push(field_error(
            "materiallist",
            "收取材料",
            "请勾选申请人补交的材料",
        ));
    }
    for (i, m) in received.iter().enumerate() {
        let known = item
            .materials
            .iter()
            .any(|c| c.no == m.no || (m.no.is_empty() && c.sj_file_name == m.sj_file_name.trim()));
        if !known {
            errors.push(field_error(
                &format!("materiallist[{i}]"),
                "收取材料",
                &format!(
                    "材料“{}”不在本事项的材料目录中",
                    if m.no.is_empty() {
                        &m.sj_file_name
                    } else {
                        &m.no
                    }
                ),
            ));
        }
        if m.sj_no == 0 || m.sj_no > 99 {
            errors.push(field_error(
                &format!("materiallist[{i}].sj_no"),
                "收取材料",
                "份数应为1至99",
            ));
        }
    }
    errors
}

/// The next case-number sequence of this desk for an item and hall day.
///
/// The 4-digit sequence space 0001–9999 is split into `desk_count` equal blocks and this
/// desk draws only from block `desk_index`, so desks that are offline can never hand out the
/// same number. With one desk the whole space is used.
async fn next_case_seq(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    prefix: &str,
    day: &str,
    desk: &DeskProfile,
) -> Result<i64> {
    let (first, last) = desk_block(desk);
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO case_counters (prefix, day, last_seq) VALUES (?1, ?2, ?3)
         ON CONFLICT (prefix, day) DO UPDATE SET last_seq = MAX(last_seq, ?3 - 1) + 1
         RETURNING last_seq",
    )
    .bind(prefix)
    .bind(day)
    .bind(first)
    .fetch_one(&mut **tx)
    .await?;
    if seq > last {
        return Err(CoreError::Conflict(format!(
            "本窗口今日该事项的办件编号段（{first:04}–{last:04}）已用尽，请改用其他窗口受理或调整窗口编号段"
        )));
    }
    Ok(seq)
}

/// The desk acting as one signed-in person ([`Desk::acting_as`]).
pub struct Acting<'a> {
    desk: &'a Desk,
    actor: Actor,
}

impl Acting<'_> {
    /// Who acts.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Intake and acceptance in one step (issues the 受理通知书).
    pub async fn accept(&self, form: &IntakeForm) -> Result<AcceptOutcome> {
        self.desk
            .intake(
                self.actor(),
                form,
                Action::Accept,
                "申请材料齐全、符合法定形式，予以受理",
                None,
            )
            .await
    }

    /// 提交受理 with materials fetched through 帮我传 (see `sharing`): the case waits in
    /// 受理中 and a 临时回执 is issued.
    pub async fn submit(&self, form: &IntakeForm) -> Result<AcceptOutcome> {
        self.desk
            .intake(
                self.actor(),
                form,
                Action::Submit,
                "提交受理，部分材料通过帮我传向部门调取，待材料到位后自动受理",
                None,
            )
            .await
    }

    /// Intake of materials only (issues the 收件凭证); the decision comes later.
    pub async fn receive(&self, form: &IntakeForm) -> Result<AcceptOutcome> {
        self.desk
            .intake(self.actor(), form, Action::Receive, "收取申请材料", None)
            .await
    }

    /// Intake and rejection in one step (issues the 不予受理通知书).
    pub async fn reject_intake(&self, form: &IntakeForm, reason: &str) -> Result<AcceptOutcome> {
        self.desk
            .intake(self.actor(), form, Action::Reject, reason, None)
            .await
    }

    /// Intake with a supplement request (issues the 补齐补正通知书).
    pub async fn supplement_intake(
        &self,
        form: &IntakeForm,
        request: &SupplementRequest,
    ) -> Result<AcceptOutcome> {
        self.desk
            .intake(
                self.actor(),
                form,
                Action::RequestSupplement,
                &request.opinion,
                Some(request),
            )
            .await
    }

    /// A new case with the clerk's decision at intake.
    pub async fn intake_with(
        &self,
        form: &IntakeForm,
        decision: &IntakeDecision,
    ) -> Result<AcceptOutcome> {
        match decision {
            IntakeDecision::Receive => self.receive(form).await,
            IntakeDecision::Accept => self.accept(form).await,
            IntakeDecision::Reject { reason } => self.reject_intake(form, reason).await,
            IntakeDecision::RequestSupplement { request } => {
                self.supplement_intake(form, request).await
            }
        }
    }

    /// An action on an existing case.
    pub async fn apply(&self, project_no: &str, action: &CaseAction) -> Result<AcceptOutcome> {
        match action {
            CaseAction::Accept => {
                self.desk
                    .act(
                        self.actor(),
                        project_no,
                        Action::Accept,
                        "申请材料齐全、符合法定形式，予以受理",
                        None,
                        &[],
                        NO_CLOCK,
                    )
                    .await
            }
            CaseAction::Reject { reason } => {
                self.desk
                    .act(
                        self.actor(),
                        project_no,
                        Action::Reject,
                        reason,
                        None,
                        &[],
                        NO_CLOCK,
                    )
                    .await
            }
            CaseAction::RequestSupplement { request } => {
                self.desk
                    .act(
                        self.actor(),
                        project_no,
                        Action::RequestSupplement,
                        &request.opinion,
                        Some(request),
                        &[],
                        NO_CLOCK,
                    )
                    .await
            }
            CaseAction::CompleteSupplement { materiallist } => {
                self.desk
                    .act(
                        self.actor(),
                        project_no,
                        Action::CompleteSupplement,
                        "申请人已补齐补正材料",
                        None,
                        materiallist,
                        NO_CLOCK,
                    )
                    .await
            }
            CaseAction::Withdraw { reason } => {
                self.desk
                    .act(
                        self.actor(),
                        project_no,
                        Action::Withdraw,
                        reason,
                        None,
                        &[],
                        NO_CLOCK,
                    )
                    .await
            }
            CaseAction::Suspend {
                special_name,
                reason,
            } => {
                self.desk
                    .act(
                        self.actor(),
                        project_no,
                        Action::Suspend,
                        reason,
                        None,
                        &[],
                        (special_name, 0),
                    )
                    .await
            }
            CaseAction::Resume { result } => {
                let opinion = if result.trim().is_empty() {
                    "特别程序结束，恢复计时"
                } else {
                    result
                };
                self.desk
                    .act(
                        self.actor(),
                        project_no,
                        Action::Resume,
                        opinion,
                        None,
                        &[],
                        NO_CLOCK,
                    )
                    .await
            }
            CaseAction::Extend { amount, reason } => {
                self.desk
                    .act(
                        self.actor(),
                        project_no,
                        Action::Extend,
                        reason,
                        None,
                        &[],
                        ("延长审批", *amount),
                    )
                    .await
            }
            CaseAction::Conclude {
                status,
                result_no,
                note,
            } => {
                let desk = self.desk.profile_for(self.actor()).await?;
                if !desk.unified_intake {
                    return Err(CoreError::Conflict(
                        "本窗口未启用统一受办模式：办结结果由审批部门经办件中心推送（7.2.6），收到后办件自动转为“已办结”".into(),
                    ));
                }
                let result = CaseResult {
                    status: *status,
                    result_no: result_no.trim().to_string(),
                    note: note.trim().to_string(),
                    resultname: status.label().to_string(),
                    handleusername: desk.clerk_name.clone(),
                    create_date: spec_time(&self.desk.now()),
                    from_hub: false,
                    recorded_at: spec_time(&self.desk.now()),
                };
                self.desk
                    .act_full(
                        self.actor(),
                        project_no,
                        Action::Conclude,
                        note,
                        ActExtras {
                            result: Some(&result),
                            ..Default::default()
                        },
                    )
                    .await
            }
            CaseAction::HandOver { recipient } => {
                let recipient = recipient.trim();
                if recipient.is_empty() || recipient.chars().count() > 50 {
                    return Err(CoreError::Validation(vec![field_error(
                        "recipient",
                        "领取人",
                        "请填写领取人姓名（申请人本人或经办人），最多50个字",
                    )]));
                }
                self.desk
                    .act(
                        self.actor(),
                        project_no,
                        Action::HandOver,
                        &format!("办理结果已交付领取人：{recipient}"),
                        None,
                        &[],
                        NO_CLOCK,
                    )
                    .await
            }
        }
    }

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

/// The sequence block of a desk: (first, last).
pub fn desk_block(desk: &DeskProfile) -> (i64, i64) {
    let count = desk.desk_count.clamp(1, 99);
    let index = i64::from(desk.desk_index.clamp(1, count));
    let size = 9999 / i64::from(count);
    ((index - 1) * size + 1, index * size)
}

async fn insert_material(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    case_id: i64,
    m: &CaseMaterial,
) -> Result<()> {
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
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What some actions carry beyond their opinion.
#[derive(Default)]
struct ActExtras<'a> {
    supplement: Option<&'a SupplementRequest>,
    received: &'a [MaterialReceipt],
    special: (&'a str, u32),
    result: Option<&'a CaseResult>,
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_event(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    case_id: i64,
    at: &str,
    desk: &DeskProfile,
    action: Action,
    from: Option<CaseState>,
    to: CaseState,
    opinion: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_events (case_id, at, actor, window_no, action, from_state, to_state, opinion)
         VALUES (?,?,?,?,?,?,?,?)",
    )
    .bind(case_id)
    .bind(at)
    .bind(&desk.clerk_name)
    .bind(&desk.window_no)
    .bind(action.label())
    .bind(from.map(CaseState::as_str))
    .bind(to.as_str())
    .bind(opinion.trim())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A private scratch directory under the data directory (documents carry personal data, so
/// they are not written to a shared /tmp).
fn tempfile_dir(data_dir: &Path) -> Result<PathBuf> {
    let dir = data_dir.join("tmp");
    std::fs::create_dir_all(&dir).map_err(|e| CoreError::io(&dir, e))?;
    Ok(dir)
}

fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Reads a code column and parses it, reporting bad stored values as data errors.
pub(crate) fn code<T>(
    row: &SqliteRow,
    column: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T> {
    let raw: String = row.try_get(column)?;
    parse(&raw).ok_or_else(|| CoreError::Data(format!("{column} 的值“{raw}”无法识别")))
}
