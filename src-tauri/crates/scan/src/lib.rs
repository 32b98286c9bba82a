//! Yichuang material capture and page pipeline (issue 5).
//!
//! * [`device`]: the capture-device interface ([`CaptureDevice`]).
//! * [`sane`]: scanners through libsane, loaded at run time.

pub mod device;
pub mod sane;

pub use device::{
    Capabilities, CaptureDevice, CaptureOptions, ColorMode, DeviceError, DeviceInfo, Page,
    PageSize, Source,
};
