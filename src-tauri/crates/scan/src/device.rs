//! The capture-device interface: what a scanner or document camera offers and how a
//! page comes out of it. Implementations: [`crate::sane::SaneDevice`] (flatbed/ADF
//! scanners through libsane), [`crate::v4l2::V4l2Device`] (UVC document cameras through
//! Video4Linux2) and [`FileImport`] (files chosen by the clerk). Every call either answers or fails within its timeout.

use image::DynamicImage;

/// Millimetres per inch, for converting between pixels, DPI and paper sizes.
pub const MM_PER_INCH: f64 = 25.4;

/// One captured or imported page: the pixels and, when known, their resolution.
#[derive(Debug, Clone)]
pub struct Page {
    pub image: DynamicImage,
    /// Dots per inch; `None` when an imported file does not record it.
    pub dpi: Option<u32>,
}

impl Page {
    /// Physical size in millimetres (width, height), if the DPI is known.
    pub fn size_mm(&self) -> Option<(f64, f64)> {
        let dpi = f64::from(self.dpi.filter(|d| *d > 0)?);
        Some((
            f64::from(self.image.width()) * MM_PER_INCH / dpi,
            f64::from(self.image.height()) * MM_PER_INCH / dpi,
        ))
    }
}

/// Colour mode asked of the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorMode {
    Color,
    Gray,
    /// Black and white (SANE "Lineart").
    BlackWhite,
}

impl ColorMode {
    pub fn label(self) -> &'static str {
        match self {
            ColorMode::Color => "彩色",
            ColorMode::Gray => "灰度",
            ColorMode::BlackWhite => "黑白",
        }
    }
}

/// Paper sizes the hall scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageSize {
    A4,
    A3,
}

impl PageSize {
    /// Portrait width and height in millimetres.
    pub fn mm(self) -> (f64, f64) {
        match self {
            PageSize::A4 => (210.0, 297.0),
            PageSize::A3 => (297.0, 420.0),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PageSize::A4 => "A4",
            PageSize::A3 => "A3",
        }
    }
}

/// Where the paper is fed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Flatbed,
    /// Automatic document feeder: pages until the feeder is empty.
    Adf,
    /// The feeder, both sides of each sheet.
    AdfDuplex,
}

impl Source {
    /// Whether pages come from the feeder (until it is empty).
    pub fn is_feeder(self) -> bool {
        matches!(self, Source::Adf | Source::AdfDuplex)
    }
}

/// What to capture.
#[derive(Debug, Clone, PartialEq)]
pub struct CaptureOptions {
    pub dpi: u32,
    pub mode: ColorMode,
    pub page_size: PageSize,
    pub source: Source,
}

impl Default for CaptureOptions {
    fn default() -> Self {
        CaptureOptions {
            dpi: 300,
            mode: ColorMode::Color,
            page_size: PageSize::A4,
            source: Source::Flatbed,
        }
    }
}

/// A device as listed, before it is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    /// Identifier to open it with (SANE device name such as `test:0`).
    pub id: String,
    pub vendor: String,
    pub model: String,
    pub kind: String,
}

/// What an opened device can do.
#[derive(Debug, Clone, PartialEq)]
pub struct Capabilities {
    /// Resolutions offered; for a continuous range, a few common values within it.
    pub dpis: Vec<u32>,
    pub modes: Vec<ColorMode>,
    pub sources: Vec<Source>,
    /// Largest scan area in millimetres (width, height), if the device says.
    pub max_area_mm: Option<(f64, f64)>,
    /// Page sizes that fit within the scan area.
    pub page_sizes: Vec<PageSize>,
}

/// Why a device could not capture. Messages are for the clerk.
#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    #[error("未找到 SANE 驱动库（{0}）：请安装 libsane1 与 sane-utils（或联系运维）后重试")]
    DriverMissing(String),
    #[error("设备未连接：{0}。请检查扫描仪电源与数据线，然后刷新设备列表")]
    NotConnected(String),
    #[error("扫描仪忙：另一个程序或操作正在使用它，请稍候再试")]
    Busy,
    #[error("扫描超时（{0} 秒内无响应）：请检查扫描仪是否卡纸或断开，然后重试")]
    Timeout(u64),
    #[error("卡纸：请打开扫描仪取出纸张后重试")]
    Jammed,
    #[error("进纸器中没有纸：请放入材料后重试")]
    NoDocuments,
    #[error("扫描仪盖板未合上：请合上后重试")]
    CoverOpen,
    #[error("扫描已取消")]
    Cancelled,
    #[error("扫描仪不支持该设置：{0}")]
    Unsupported(String),
    #[error("扫描仪通信错误：{0}。请重新连接设备后重试")]
    Io(String),
    #[error("没有访问扫描仪的权限：请联系运维把当前用户加入 scanner 组")]
    AccessDenied,
    #[error("扫描仪返回的数据无法识别：{0}")]
    BadData(String),
    #[error("“{0}”不是视频采集设备：请在窗口设置中选择高拍仪对应的视频设备")]
    NotCapture(String),
    #[error("文件导入不能直接扫描：请用“导入文件”选择文件")]
    NoFiles,
}

/// A scanner or camera that yields pages. Implementations must not hang: every call
/// gives up with [`DeviceError::Timeout`] when the device does not answer in time.
pub trait CaptureDevice {
    /// Identity of the opened device.
    fn info(&self) -> &DeviceInfo;
    /// Resolutions, modes, sources and area the device offers.
    fn capabilities(&self) -> Result<Capabilities, DeviceError>;
    /// Captures with the given options. Flatbed: one page; ADF: every page in the feeder.
    fn capture(&mut self, opts: &CaptureOptions) -> Result<Vec<Page>, DeviceError>;
}

/// Files chosen by the clerk, read as pages through [`crate::import`] with its limits: the
/// third kind of capture device, always there.
pub struct FileImport {
    info: DeviceInfo,
    pub paths: Vec<std::path::PathBuf>,
    pub limits: crate::import::ImportLimits,
}

impl FileImport {
    pub fn new(paths: Vec<std::path::PathBuf>) -> FileImport {
        FileImport {
            info: file_import_info(),
            paths,
            limits: crate::import::ImportLimits::default(),
        }
    }
}

fn file_import_info() -> DeviceInfo {
    DeviceInfo {
        id: DEVICE_FILE.into(),
        vendor: String::new(),
        model: "文件导入".into(),
        kind: "文件导入".into(),
    }
}

impl CaptureDevice for FileImport {
    fn info(&self) -> &DeviceInfo {
        &self.info
    }

    fn capabilities(&self) -> Result<Capabilities, DeviceError> {
        Ok(Capabilities {
            dpis: Vec::new(),
            modes: vec![ColorMode::Color, ColorMode::Gray, ColorMode::BlackWhite],
            sources: Vec::new(),
            max_area_mm: None,
            page_sizes: vec![PageSize::A4, PageSize::A3],
        })
    }

    fn capture(&mut self, _opts: &CaptureOptions) -> Result<Vec<Page>, DeviceError> {
        if self.paths.is_empty() {
            return Err(DeviceError::NoFiles);
        }
        let mut pages = Vec::new();
        for p in &self.paths {
            pages.extend(
                crate::import::import_file(p, &self.limits)
                    .map_err(|e| DeviceError::BadData(e.to_string()))?,
            );
        }
        Ok(pages)
    }
}

/// The identifier of the file-import device.
pub const DEVICE_FILE: &str = "file";
/// Prefix of a SANE scanner's identifier: `sane:` and the SANE name (`sane:test:0`).
pub const PREFIX_SANE: &str = "sane:";
/// Prefix of a document camera's identifier: `v4l2:` and the node (`v4l2:/dev/video0`).
pub const PREFIX_V4L2: &str = "v4l2:";

/// Which kind of device an identifier names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceRef {
    Sane(String),
    V4l2(String),
    File,
}

impl DeviceRef {
    pub fn parse(id: &str) -> Option<DeviceRef> {
        let id = id.trim();
        if id == DEVICE_FILE {
            Some(DeviceRef::File)
        } else if let Some(n) = id.strip_prefix(PREFIX_SANE).filter(|n| !n.is_empty()) {
            Some(DeviceRef::Sane(n.to_string()))
        } else {
            id.strip_prefix(PREFIX_V4L2)
                .filter(|n| n.starts_with("/dev/"))
                .map(|n| DeviceRef::V4l2(n.to_string()))
        }
    }
}

/// A device offered in the settings, with what it can do.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedDevice {
    /// `sane:NAME`, `v4l2:/dev/videoN` or `file`.
    pub id: String,
    /// For the clerk: vendor and model, or 文件导入.
    pub label: String,
    /// 扫描仪, 高拍仪 or 文件导入.
    pub kind: String,
    pub capabilities: Option<Capabilities>,
}

/// Every capture device there is: the SANE scanners (when libsane is installed), the V4L2
/// capture devices, and file import (always, last). The second element says why scanners
/// could not be listed, if they could not; listing never hangs (SANE calls are bounded).
pub fn list_all() -> (Vec<ListedDevice>, Option<DeviceError>) {
    let mut out = Vec::new();
    let mut problem = None;
    match crate::sane::list_devices() {
        Ok(list) => {
            for d in list {
                let caps = crate::sane::SaneDevice::open(&d.id)
                    .and_then(|dev| dev.capabilities())
                    .ok();
                out.push(ListedDevice {
                    id: format!("{PREFIX_SANE}{}", d.id),
                    label: format!("{} {}（{}）", d.vendor, d.model, d.id)
                        .trim()
                        .to_string(),
                    kind: "扫描仪".into(),
                    capabilities: caps,
                });
            }
        }
        Err(e) => problem = Some(e),
    }
    for d in crate::v4l2::list_devices() {
        let caps = crate::v4l2::V4l2Device::open(&d.id)
            .and_then(|dev| dev.capabilities())
            .ok();
        out.push(ListedDevice {
            id: format!("{PREFIX_V4L2}{}", d.id),
            label: format!("{}（{}）", d.model, d.id),
            kind: "高拍仪".into(),
            capabilities: caps,
        });
    }
    let file = FileImport::new(Vec::new());
    out.push(ListedDevice {
        id: DEVICE_FILE.into(),
        label: "文件导入".into(),
        kind: "文件导入".into(),
        capabilities: file.capabilities().ok(),
    });
    (out, problem)
}

/// Opens a device by its identifier (see [`DeviceRef`]). File import opens with no files.
pub fn open(id: &str) -> Result<Box<dyn CaptureDevice + Send>, DeviceError> {
    match DeviceRef::parse(id) {
        Some(DeviceRef::Sane(name)) => Ok(Box::new(crate::sane::SaneDevice::open(&name)?)),
        Some(DeviceRef::V4l2(path)) => Ok(Box::new(crate::v4l2::V4l2Device::open(&path)?)),
        Some(DeviceRef::File) => Ok(Box::new(FileImport::new(Vec::new()))),
        None => Err(DeviceError::NotConnected(format!("设备标识无效：{id}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_picked_by_the_backends_names() {
        use crate::sane::pick_source;
        let l = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let fujitsu = l(&["ADF Front", "ADF Back", "ADF Duplex"]);
        assert_eq!(
            pick_source(&fujitsu, Source::Adf).as_deref(),
            Some("ADF Front")
        );
        assert_eq!(
            pick_source(&fujitsu, Source::AdfDuplex).as_deref(),
            Some("ADF Duplex")
        );
        assert_eq!(pick_source(&fujitsu, Source::Flatbed), None);
        let epson = l(&["Flatbed", "Automatic Document Feeder"]);
        assert_eq!(
            pick_source(&epson, Source::Flatbed).as_deref(),
            Some("Flatbed")
        );
        assert_eq!(
            pick_source(&epson, Source::Adf).as_deref(),
            Some("Automatic Document Feeder")
        );
        assert_eq!(pick_source(&epson, Source::AdfDuplex), None);
        let hp = l(&["Flatbed", "ADF", "Duplex"]);
        assert_eq!(pick_source(&hp, Source::Adf).as_deref(), Some("ADF"));
        assert_eq!(
            pick_source(&hp, Source::AdfDuplex).as_deref(),
            Some("Duplex")
        );
    }

    #[test]
    fn identifiers_name_the_kind_of_device() {
        assert_eq!(
            DeviceRef::parse("sane:test:0"),
            Some(DeviceRef::Sane("test:0".into()))
        );
        assert_eq!(
            DeviceRef::parse("v4l2:/dev/video2"),
            Some(DeviceRef::V4l2("/dev/video2".into()))
        );
        assert_eq!(DeviceRef::parse(" file "), Some(DeviceRef::File));
        for bad in ["", "sane:", "v4l2:video0", "epson"] {
            assert_eq!(DeviceRef::parse(bad), None, "{bad}");
        }
        let err = open("epson").err().expect("unknown");
        assert!(err.to_string().contains("设备标识无效"), "{err}");
    }

    #[test]
    fn file_import_captures_only_chosen_files() {
        let mut dev = FileImport::new(Vec::new());
        let err = dev.capture(&CaptureOptions::default()).expect_err("none");
        assert!(err.to_string().contains("导入文件"), "{err}");
        let dir = std::env::temp_dir().join(format!("yichuang-fi-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let bad = dir.join("坏.jpg");
        std::fs::write(&bad, b"not an image").expect("write");
        let mut dev = FileImport::new(vec![bad]);
        assert!(matches!(
            dev.capture(&CaptureOptions::default()),
            Err(DeviceError::BadData(_))
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
