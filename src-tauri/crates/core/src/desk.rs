//! The counter's services. The window (Tauri commands) and the `yichuang` CLI call these and
//! nothing else, so both behave the same.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sqlx::SqliteConnection;

use crate::catalog::CatalogFile;
use crate::error::{CoreError, Result};
use crate::model::*;
use crate::pii::DeskKeys;
use crate::store::{self, Store};
use crate::time::{Clock, SystemClock, hall_offset, spec_time};
use crate::validate::validate_intake;
use crate::workflow::Action;
use yichuang_types::accounts::Actor;

pub(crate) use crate::plan::field_error;

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
    pub(crate) calendar: Arc<std::sync::RwLock<crate::desk_calendar::DeskCalendar>>,
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
            .setting(crate::time::CLOCK_OFFSET_SETTING)
            .await?
            .and_then(|v| v.trim().parse::<i64>().ok())
            .unwrap_or(0);
        let clock_offset = Arc::new(std::sync::atomic::AtomicI64::new(offset));
        let clock: Arc<dyn Clock> = Arc::new(crate::time::OffsetClock::new(
            clock,
            Arc::clone(&clock_offset),
        ));
        let (calendar, version) = crate::desk_calendar::load(store.pool()).await?;
        let calendar = Arc::new(std::sync::RwLock::new(crate::desk_calendar::DeskCalendar {
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
        Ok(self.store.catalog().await?)
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
        let kinds = store::hall_images::kinds(self.store.pool()).await?;
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
        Ok(self
            .store
            .set_setting("demo", if demo { "1" } else { "0" })
            .await?)
    }

    /// The hall's logo or seal (PNG), if set.
    pub async fn hall_image(&self, kind: HallImage) -> Result<Option<Vec<u8>>> {
        Ok(store::hall_images::get(self.store.pool(), kind).await?)
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
                store::hall_images::set(self.store.pool(), kind, bytes, &spec_time(&self.now()))
                    .await?;
            }
            None => {
                store::hall_images::delete(self.store.pool(), kind).await?;
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
        Ok(self.store.set_setting("intake_draft", &sealed).await?)
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
        Ok(store::settings::delete(self.store.pool(), "intake_draft").await?)
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
        let Some(date) = crate::desk_calendar::promised_date(
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
            estimate: crate::desk_calendar::warning_between(&cal, &now, &date),
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

    /// The counter's actions as the desk profile's clerk (see [`Desk::profile_actor`]): what a
    /// desk without accounts does, through the same [`Acting`] functions as a signed-in person.
    pub async fn clerk(&self) -> Result<Acting<'_>> {
        Ok(self.acting_as(self.profile_actor().await?))
    }
}

/// The desk acting as one signed-in person ([`Desk::acting_as`]).
pub struct Acting<'a> {
    pub(crate) desk: &'a Desk,
    pub(crate) actor: Actor,
}

impl Acting<'_> {
    /// Who acts.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }
}

/// Writes a history entry of `action` by the desk's clerk.
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
    Ok(store::events::insert(
        &mut **tx,
        &store::events::NewEvent {
            case_id,
            at,
            actor: &desk.clerk_name,
            window_no: &desk.window_no,
            action: action.label(),
            from_state: from.map(CaseState::as_str),
            to_state: to.as_str(),
            opinion: opinion.trim(),
        },
    )
    .await?)
}

/// Writes a history entry that does not change the case's state (打印, 日期估算), by the desk's
/// clerk.
pub(crate) async fn insert_note(
    conn: &mut SqliteConnection,
    case_id: i64,
    at: &str,
    desk: &DeskProfile,
    action: &str,
    state: CaseState,
    opinion: &str,
) -> Result<()> {
    Ok(store::events::insert(
        conn,
        &store::events::NewEvent {
            case_id,
            at,
            actor: &desk.clerk_name,
            window_no: &desk.window_no,
            action,
            from_state: Some(state.as_str()),
            to_state: state.as_str(),
            opinion,
        },
    )
    .await?)
}
