//! Yichuang material capture and page pipeline (issue 5).
//!
//! * [`device`]: the capture-device interface ([`CaptureDevice`]).
//! * [`sane`]: scanners through libsane, loaded at run time.
//! * [`import`]: JPEG, PNG, TIFF and scanned-PDF files, bounded against bad input.
//! * [`pipeline`]: deskew, crop, grey/black-and-white, JPEG with DPI.
//! * [`checks`]: minimum resolution, paper size, format.
//! * [`pdf`]: multi-page PDF with the JPEGs embedded unchanged.
//! * [`blob`]: content-addressed storage under SHA-256.
//! * [`idcard_reader`]: ID card readers (a vendor's local HTTP service, or simulated).

pub mod blob;
pub mod checks;
pub mod device;
pub mod idcard_reader;
pub mod import;
pub mod pdf;
pub mod pipeline;
pub mod sane;
#[doc(hidden)]
pub mod synth;
pub mod v4l2;

pub use device::{
    Capabilities, CaptureDevice, CaptureOptions, ColorMode, DeviceError, DeviceInfo, Page,
    PageSize, Source,
};
