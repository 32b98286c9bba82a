//! Scanning into a case from the desk's capture device, and editing a material's pages.
//!
//! * The device and its options (窗口设置) are remembered per desk in the settings table
//!   (`capture_device`, JSON [`CaptureSettings`]). Devices: SANE scanners (`sane:NAME`),
//!   V4L2 document cameras (`v4l2:/dev/videoN`) and file import (`file`, always there).
//! * [`Desk::scan_material`] captures from the device, runs every page through the same
//!   clean-up and checks as an imported file, and stores the pages like
//!   [`Desk::attach_material_files`]: all pages pass, or nothing is stored.
//! * Pages can be reordered, rotated by quarter turns (re-encoded once at the same DPI, then
//!   checked again) and deleted.
//! * Any change to a material's pages makes its uploaded PDF stale: the `attachguid` is
//!   dropped, and once the case's acceptance is in the outbox a new 7.2.7 upload of the
//!   material (`file`, event code `material:{no}`) is queued, so the hub gets the pages as they
//!   now are and the case records the new `attachguid`.

use yichuang_scan::device::{self as dev, DeviceRef};
use yichuang_scan::pipeline::{EncodedPage, encode_jpeg};
use yichuang_scan::{CaptureOptions, ColorMode, DeviceError, Page, PageSize, Source};

use crate::desk::Desk;
use crate::error::{CoreError, Result};
use crate::materials::{JPEG_QUALITY, finish_page};
use crate::model::{
    CaptureDeviceInfo, CaptureDevices, CaptureSettings, FieldError, MaterialPageInfo,
    OutboxOperation, PageOutput,
};
use crate::outbox::{MATERIAL_PREFIX, idem_key};
use crate::store;
use crate::time::spec_time;

const SETTING: &str = "capture_device";

fn field(field: &str, label: &str, message: String) -> CoreError {
    CoreError::Validation(vec![FieldError {
        field: field.into(),
        label: label.into(),
        message,
    }])
}

fn device_error(e: DeviceError) -> CoreError {
    CoreError::Device(e.to_string())
}

fn mode_of(o: PageOutput) -> ColorMode {
    match o {
        PageOutput::Color => ColorMode::Color,
        PageOutput::Gray => ColorMode::Gray,
        PageOutput::BlackWhite => ColorMode::BlackWhite,
    }
}

fn output_of(m: ColorMode) -> PageOutput {
    match m {
        ColorMode::Color => PageOutput::Color,
        ColorMode::Gray => PageOutput::Gray,
        ColorMode::BlackWhite => PageOutput::BlackWhite,
    }
}

fn page_size(label: &str) -> Option<PageSize> {
    match label {
        "A4" => Some(PageSize::A4),
        "A3" => Some(PageSize::A3),
        _ => None,
    }
}

impl Desk {
    /// This desk's capture device and options (文件导入, 300 dpi, grey, A4 until set).
    pub async fn capture_settings(&self) -> Result<CaptureSettings> {
        Ok(match self.store.setting(SETTING).await? {
            Some(json) => serde_json::from_str(&json).unwrap_or_default(),
            None => CaptureSettings::default(),
        })
    }

    /// Remembers the capture device and options; refuses an unknown kind of device, a
    /// resolution outside 200–600 dpi and a paper other than A4 and A3.
    pub async fn set_capture_settings(&self, s: &CaptureSettings) -> Result<CaptureSettings> {
        let mut s = s.clone();
        s.device = s.device.trim().to_string();
        let mut errors = Vec::new();
        if DeviceRef::parse(&s.device).is_none() {
            errors.push(FieldError {
                field: "device".into(),
                label: "扫描设备".into(),
                message: "请从列表中选择扫描仪、高拍仪或文件导入".into(),
            });
        }
        if !(200..=600).contains(&s.dpi) {
            errors.push(FieldError {
                field: "dpi".into(),
                label: "分辨率".into(),
                message: "分辨率应在 200 至 600 dpi 之间（材料要求不低于 200 dpi）".into(),
            });
        }
        if page_size(&s.page_size).is_none() {
            errors.push(FieldError {
                field: "page_size".into(),
                label: "纸张".into(),
                message: "纸张应为 A4 或 A3".into(),
            });
        }
        if s.duplex && !s.adf {
            errors.push(FieldError {
                field: "duplex".into(),
                label: "双面扫描".into(),
                message: "双面扫描需使用自动进纸器：请同时勾选“自动进纸器”".into(),
            });
        }
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors));
        }
        self.store
            .set_setting(SETTING, &serde_json::to_string(&s)?)
            .await?;
        Ok(s)
    }

    /// The capture devices there are: SANE scanners, V4L2 document cameras, file import.
    pub async fn capture_devices(&self) -> Result<CaptureDevices> {
        let (list, problem) = tokio::task::spawn_blocking(dev::list_all)
            .await
            .map_err(|e| CoreError::Data(format!("设备列表中断：{e}")))?;
        let devices = list
            .into_iter()
            .map(|d| {
                let caps = d.capabilities;
                CaptureDeviceInfo {
                    id: d.id,
                    label: d.label,
                    kind: d.kind,
                    dpis: caps
                        .as_ref()
                        .map(|c| {
                            c.dpis
                                .iter()
                                .copied()
                                .filter(|d| (200..=600).contains(d))
                                .collect()
                        })
                        .unwrap_or_default(),
                    modes: caps
                        .as_ref()
                        .map(|c| c.modes.iter().map(|m| output_of(*m)).collect())
                        .unwrap_or_default(),
                    page_sizes: caps
                        .as_ref()
                        .map(|c| c.page_sizes.iter().map(|p| p.label().to_string()).collect())
                        .unwrap_or_default(),
                    has_adf: caps
                        .as_ref()
                        .is_some_and(|c| c.sources.contains(&Source::Adf)),
                    has_duplex: caps.is_some_and(|c| c.sources.contains(&Source::AdfDuplex)),
                }
            })
            .collect();
        Ok(CaptureDevices {
            devices,
            problem: problem.map(|e| e.to_string()),
        })
    }

    /// Scans into material `material_no` from the desk's device (or `device`, if given):
    /// captures, cleans up and checks every page, and stores them after the material's
    /// pages. Every page passes, or nothing is stored. Returns the material's pages.
    pub async fn scan_material(
        &self,
        project_no: &str,
        material_no: &str,
        device: Option<&str>,
    ) -> Result<Vec<MaterialPageInfo>> {
        let project_no = project_no.trim();
        let material_no = material_no.trim();
        self.check_material(project_no, material_no).await?;
        let mut s = self.capture_settings().await?;
        if let Some(d) = device.map(str::trim).filter(|d| !d.is_empty()) {
            s.device = d.to_string();
        }
        match DeviceRef::parse(&s.device) {
            None => {
                return Err(field(
                    "device",
                    "扫描设备",
                    format!("设备标识“{}”无效：请在窗口设置中选择扫描设备", s.device),
                ));
            }
            Some(DeviceRef::File) => return Err(device_error(DeviceError::NoFiles)),
            Some(_) => {}
        }
        let size = page_size(&s.page_size).unwrap_or(PageSize::A4);
        let opts = CaptureOptions {
            dpi: s.dpi,
            mode: mode_of(s.mode),
            page_size: size,
            source: match (s.adf, s.duplex) {
                (true, true) => Source::AdfDuplex,
                (true, false) => Source::Adf,
                _ => Source::Flatbed,
            },
        };
        let id = s.device.clone();
        let output = s.mode;
        let finished = tokio::task::spawn_blocking(move || {
            let mut device = dev::open(&id).map_err(device_error)?;
            let pages = device.capture(&opts).map_err(device_error)?;
            drop(device);
            if pages.is_empty() {
                return Err(device_error(DeviceError::NoDocuments));
            }
            let source = format!("扫描（{id}）");
            let mut out = Vec::new();
            let mut errors = Vec::new();
            for (n, page) in pages.iter().enumerate() {
                match finish_page(page, output, &format!("扫描第{}页", n + 1)) {
                    Ok((enc, paper)) => out.push((enc, paper, source.clone())),
                    Err(m) => errors.push(FieldError {
                        field: format!("pages[{n}]"),
                        label: "扫描页".into(),
                        message: m,
                    }),
                }
            }
            if errors.is_empty() {
                Ok(out)
            } else {
                Err(CoreError::Validation(errors))
            }
        })
        .await
        .map_err(|e| CoreError::Data(format!("扫描中断：{e}")))??;
        self.store_pages(project_no, material_no, finished).await
    }

    /// The page `page_id` of case `project_no`: (case id, material number, blob, dpi).
    async fn page_of(&self, project_no: &str, page_id: i64) -> Result<(i64, String, String, u32)> {
        let page = store::materials::page_of(self.store.pool(), project_no.trim(), page_id)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("办件 {project_no} 的材料页 {page_id}")))?;
        Ok((page.case_id, page.material_no, page.blob, page.dpi as u32))
    }

    /// Puts a material's pages in the order given: `page_ids` must be exactly its pages.
    pub async fn reorder_material_pages(
        &self,
        project_no: &str,
        material_no: &str,
        page_ids: &[i64],
    ) -> Result<Vec<MaterialPageInfo>> {
        let project_no = project_no.trim();
        let material_no = material_no.trim();
        let pages = self.pages_of(project_no, material_no).await?;
        let mut have: Vec<i64> = pages.iter().map(|p| p.id).collect();
        let mut want = page_ids.to_vec();
        have.sort_unstable();
        want.sort_unstable();
        if pages.is_empty() || have != want {
            return Err(field(
                "page_ids",
                "页面顺序",
                format!(
                    "应列出材料 {material_no} 的全部 {} 页，每页一次（当前页编号：{}）",
                    pages.len(),
                    pages
                        .iter()
                        .map(|p| p.id.to_string())
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            ));
        }
        let at = spec_time(&self.now());
        let mut tx = self.store.write().await?;
        let case_id = store::cases::id_of(&mut *tx, project_no).await?;
        store::materials::renumber_pages(&mut tx, page_ids).await?;
        self.material_changed(&mut tx, case_id, project_no, material_no, &at)
            .await?;
        tx.commit().await?;
        self.pages_of(project_no, material_no).await
    }

    /// Rotates a page clockwise by `quarter_turns` × 90°: decoded, turned and encoded once
    /// more as JPEG at the same DPI, then checked again.
    pub async fn rotate_material_page(
        &self,
        project_no: &str,
        page_id: i64,
        quarter_turns: i32,
    ) -> Result<Vec<MaterialPageInfo>> {
        let project_no = project_no.trim();
        let turns = quarter_turns.rem_euclid(4);
        let (case_id, material_no, old_blob, dpi) = self.page_of(project_no, page_id).await?;
        if turns == 0 {
            return self.pages_of(project_no, &material_no).await;
        }
        let jpeg = self.material_page_jpeg(page_id).await?;
        let (page, paper): (EncodedPage, String) = tokio::task::spawn_blocking(move || {
            let img = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg)
                .map_err(|e| CoreError::Data(format!("材料页无法解码：{e}")))?;
            let img = match turns {
                1 => img.rotate90(),
                2 => img.rotate180(),
                _ => img.rotate270(),
            };
            let page = Page {
                image: img,
                dpi: (dpi > 0).then_some(dpi),
            };
            let enc = encode_jpeg(&page, JPEG_QUALITY)
                .map_err(|e| CoreError::Data(format!("旋转后编码失败：{e}")))?;
            let size = yichuang_scan::checks::check_page(
                &enc,
                &yichuang_scan::checks::CheckPolicy::default(),
            )
            .map_err(|r| field("page", "材料页", format!("旋转后{r}")))?;
            Ok::<_, CoreError>((enc, size.label().to_string()))
        })
        .await
        .map_err(|e| CoreError::Data(format!("旋转中断：{e}")))??;
        let sealed = self.keys.seal(&page.bytes)?;
        let store = crate::materials::blob_store(self)?;
        let info = store
            .put(&sealed)
            .map_err(|e| CoreError::Data(e.to_string()))?;
        let at = spec_time(&self.now());
        let mut tx = self.store.write().await?;
        store::materials::set_page_image(
            &mut *tx,
            page_id,
            &crate::materials::page_image(&page, &info.hash, &paper),
        )
        .await?;
        self.material_changed(&mut tx, case_id, project_no, &material_no, &at)
            .await?;
        tx.commit().await?;
        self.forget_blob(&old_blob).await?;
        self.pages_of(project_no, &material_no).await
    }

    /// Deletes a page; the material's other pages close up. Its sealed file is removed when
    /// no other page uses it.
    pub async fn delete_material_page(
        &self,
        project_no: &str,
        page_id: i64,
    ) -> Result<Vec<MaterialPageInfo>> {
        let project_no = project_no.trim();
        let (case_id, material_no, blob, _) = self.page_of(project_no, page_id).await?;
        let at = spec_time(&self.now());
        let mut tx = self.store.write().await?;
        store::materials::delete_page(&mut *tx, page_id).await?;
        let ids = store::materials::page_ids(&mut *tx, case_id, &material_no).await?;
        store::materials::renumber_pages(&mut tx, &ids).await?;
        self.material_changed(&mut tx, case_id, project_no, &material_no, &at)
            .await?;
        tx.commit().await?;
        self.forget_blob(&blob).await?;
        self.pages_of(project_no, &material_no).await
    }

    /// Removes a sealed page file that no page refers to any more.
    async fn forget_blob(&self, blob: &str) -> Result<()> {
        let used = store::materials::blob_uses(self.store.pool(), blob).await?;
        if used == 0
            && let Ok(path) = crate::materials::blob_store(self)?.path(blob)
        {
            let _ = std::fs::remove_file(path);
        }
        Ok(())
    }

    /// A material's pages changed: its uploaded PDF is stale. Once the case's acceptance is in
    /// the outbox, a new 7.2.7 upload of the material is queued (unless one is still pending,
    /// which will read the pages as they are when it is sent).
    pub(crate) async fn material_changed(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
        case_id: i64,
        project_no: &str,
        material_no: &str,
        at: &str,
    ) -> Result<()> {
        store::materials::delete_upload(&mut **tx, case_id, material_no).await?;
        let accepted = store::materials::acceptance_queued(&mut **tx, case_id).await?;
        let pages = store::materials::page_count(&mut **tx, case_id, material_no).await?;
        if !accepted || pages == 0 {
            return Ok(());
        }
        let event = format!("{MATERIAL_PREFIX}{material_no}");
        let (pending, earlier) =
            store::materials::queued_uploads(&mut **tx, case_id, &event).await?;
        if pending > 0 {
            return Ok(());
        }
        let version = store::cases::project_version(&mut **tx, case_id).await?;
        // A key of its own for each upload of the material, so the hub never takes the new
        // PDF for a retry of the old one.
        let key = format!(
            "{}:r{}",
            idem_key(project_no, OutboxOperation::File, &event, version as u32),
            earlier + 1
        );
        store::materials::queue_upload(&mut **tx, case_id, project_no, &event, version, &key, at)
            .await?;
        store::cases::mark_changed(&mut **tx, case_id).await?;
        Ok(())
    }
}
