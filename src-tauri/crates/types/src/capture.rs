//! Capture devices (scanners, document cameras) and how pages are cleaned up.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::code_enum;

/// The capture device this desk scans with and how (窗口设置), remembered per desk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaptureSettings {
    /// `sane:NAME` (a scanner), `v4l2:/dev/videoN` (a document camera) or `file` (文件导入).
    pub device: String,
    /// Resolution asked of the device, dots per inch (200–600).
    pub dpi: u32,
    pub mode: PageOutput,
    /// A4 or A3.
    pub page_size: String,
    /// Feed from the automatic document feeder (every page in it), where the device has one.
    #[serde(default)]
    pub adf: bool,
    /// With the feeder: both sides of each sheet, where the device can.
    #[serde(default)]
    pub duplex: bool,
}

impl Default for CaptureSettings {
    fn default() -> Self {
        CaptureSettings {
            device: "file".into(),
            dpi: 300,
            mode: PageOutput::Gray,
            page_size: "A4".into(),
            adf: false,
            duplex: false,
        }
    }
}

/// A capture device the desk can choose, with what it offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaptureDeviceInfo {
    /// As stored in [`CaptureSettings::device`].
    pub id: String,
    /// For the clerk: vendor and model, or 文件导入.
    pub label: String,
    /// 扫描仪, 高拍仪 or 文件导入.
    pub kind: String,
    /// Resolutions offered (empty: any).
    pub dpis: Vec<u32>,
    pub modes: Vec<PageOutput>,
    /// A4, A3: the sizes that fit (empty when the device's bed is smaller than A4).
    pub page_sizes: Vec<String>,
    pub has_adf: bool,
    /// The feeder can scan both sides.
    pub has_duplex: bool,
}

/// The devices found, and why scanners could not be listed, if they could not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaptureDevices {
    pub devices: Vec<CaptureDeviceInfo>,
    pub problem: Option<String>,
}

code_enum! {
    /// How pages are cleaned up when they are attached.
    #[ts(export)]
    pub enum PageOutput {
        /// 彩色.
        Color = "color" => "彩色",
        /// 灰度 (the default: legible and compact).
        Gray = "gray" => "灰度",
        /// 黑白.
        BlackWhite = "black_white" => "黑白",
    }
}
