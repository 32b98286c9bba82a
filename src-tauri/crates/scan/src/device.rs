//! The capture-device interface: what a scanner or document camera offers and how a
//! page comes out of it. Implementations: [`crate::sane::SaneDevice`] (flatbed/ADF
//! scanners through libsane). Every call either answers or fails within its timeout.

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
