//! Scanners through SANE. `libsane.so.1` is loaded at run time (no build-time headers or
//! bindgen); a machine without it gets [`DeviceError::DriverMissing`].
//!
//! libsane is not thread-safe, so every call runs on one worker thread that owns the
//! library. Callers wait for the worker with a timeout and get [`DeviceError::Timeout`]
//! rather than hanging when a device stops answering; a call that arrives while the
//! worker is still stuck in an earlier one gets [`DeviceError::Busy`] at once.

use std::collections::HashMap;
use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use image::{DynamicImage, GrayImage, RgbImage};

use crate::device::{
    Capabilities, CaptureDevice, CaptureOptions, ColorMode, DeviceError, DeviceInfo, Page,
    PageSize, Source,
};

// ---- the C interface (sane/sane.h, SANE standard 1.0) ----

type SaneStatus = c_int;
type SaneWord = i32;
type SaneHandle = *mut c_void;

const STATUS_GOOD: SaneStatus = 0;
const STATUS_UNSUPPORTED: SaneStatus = 1;
const STATUS_CANCELLED: SaneStatus = 2;
const STATUS_DEVICE_BUSY: SaneStatus = 3;
const STATUS_INVAL: SaneStatus = 4;
const STATUS_EOF: SaneStatus = 5;
const STATUS_JAMMED: SaneStatus = 6;
const STATUS_NO_DOCS: SaneStatus = 7;
const STATUS_COVER_OPEN: SaneStatus = 8;
const STATUS_IO_ERROR: SaneStatus = 9;
const STATUS_NO_MEM: SaneStatus = 10;
const STATUS_ACCESS_DENIED: SaneStatus = 11;

const TYPE_BOOL: c_int = 0;
const TYPE_INT: c_int = 1;
const TYPE_FIXED: c_int = 2;
const TYPE_STRING: c_int = 3;

const UNIT_PIXEL: c_int = 1;
const UNIT_MM: c_int = 3;

const CONSTRAINT_RANGE: c_int = 1;
const CONSTRAINT_WORD_LIST: c_int = 2;
const CONSTRAINT_STRING_LIST: c_int = 3;

const ACTION_GET: c_int = 0;
const ACTION_SET: c_int = 1;

const CAP_SOFT_SELECT: SaneWord = 1;
const CAP_INACTIVE: SaneWord = 32;

const FRAME_GRAY: c_int = 0;
const FRAME_RGB: c_int = 1;

const FIXED_ONE: f64 = 65536.0;

#[repr(C)]
struct RawDevice {
    name: *const c_char,
    vendor: *const c_char,
    model: *const c_char,
    kind: *const c_char,
}

#[repr(C)]
struct RawRange {
    min: SaneWord,
    max: SaneWord,
    quant: SaneWord,
}

#[repr(C)]
struct RawOptionDescriptor {
    name: *const c_char,
    title: *const c_char,
    desc: *const c_char,
    value_type: c_int,
    unit: c_int,
    size: SaneWord,
    cap: SaneWord,
    constraint_type: c_int,
    /// A union of `const SANE_String_Const *`, `const SANE_Word *` and `const SANE_Range *`.
    constraint: *const c_void,
}

#[repr(C)]
#[derive(Default)]
struct RawParameters {
    format: c_int,
    last_frame: SaneWord,
    bytes_per_line: SaneWord,
    pixels_per_line: SaneWord,
    lines: SaneWord,
    depth: SaneWord,
}

type AuthCallback = Option<unsafe extern "C" fn(*const c_char, *mut c_char, *mut c_char)>;
type FnInit = unsafe extern "C" fn(*mut SaneWord, AuthCallback) -> SaneStatus;
type FnExit = unsafe extern "C" fn();
type FnGetDevices = unsafe extern "C" fn(*mut *const *const RawDevice, SaneWord) -> SaneStatus;
type FnOpen = unsafe extern "C" fn(*const c_char, *mut SaneHandle) -> SaneStatus;
type FnClose = unsafe extern "C" fn(SaneHandle);
type FnGetOptionDescriptor =
    unsafe extern "C" fn(SaneHandle, SaneWord) -> *const RawOptionDescriptor;
type FnControlOption =
    unsafe extern "C" fn(SaneHandle, SaneWord, c_int, *mut c_void, *mut SaneWord) -> SaneStatus;
type FnStart = unsafe extern "C" fn(SaneHandle) -> SaneStatus;
type FnGetParameters = unsafe extern "C" fn(SaneHandle, *mut RawParameters) -> SaneStatus;
type FnRead = unsafe extern "C" fn(SaneHandle, *mut u8, SaneWord, *mut SaneWord) -> SaneStatus;
type FnCancel = unsafe extern "C" fn(SaneHandle);

/// The entry points, copied out of the loaded library. Valid while `_lib` lives.
struct Api {
    _lib: libloading::Library,
    exit: FnExit,
    get_devices: FnGetDevices,
    open: FnOpen,
    close: FnClose,
    get_option_descriptor: FnGetOptionDescriptor,
    control_option: FnControlOption,
    start: FnStart,
    get_parameters: FnGetParameters,
    read: FnRead,
    cancel: FnCancel,
}

const LIBRARY_NAMES: [&str; 2] = ["libsane.so.1", "libsane.so"];

impl Api {
    fn load() -> Result<Api, DeviceError> {
        Api::load_from(&LIBRARY_NAMES)
    }

    fn load_from(names: &[&str]) -> Result<Api, DeviceError> {
        let mut last = String::new();
        for name in names {
            // SAFETY: loading libsane runs its (trivial) ELF initialisers only.
            match unsafe { libloading::Library::new(name) } {
                Ok(lib) => return Api::from_library(lib),
                Err(e) => last = format!("{name}: {e}"),
            }
        }
        Err(DeviceError::DriverMissing(last))
    }

    fn from_library(lib: libloading::Library) -> Result<Api, DeviceError> {
        fn sym<T: Copy>(lib: &libloading::Library, name: &str) -> Result<T, DeviceError> {
            // SAFETY: the types above are those of sane.h for each named symbol.
            unsafe { lib.get::<T>(name.as_bytes()) }
                .map(|s| *s)
                .map_err(|e| DeviceError::DriverMissing(format!("{name}: {e}")))
        }
        let init: FnInit = sym(&lib, "sane_init")?;
        let api = Api {
            exit: sym(&lib, "sane_exit")?,
            get_devices: sym(&lib, "sane_get_devices")?,
            open: sym(&lib, "sane_open")?,
            close: sym(&lib, "sane_close")?,
            get_option_descriptor: sym(&lib, "sane_get_option_descriptor")?,
            control_option: sym(&lib, "sane_control_option")?,
            start: sym(&lib, "sane_start")?,
            get_parameters: sym(&lib, "sane_get_parameters")?,
            read: sym(&lib, "sane_read")?,
            cancel: sym(&lib, "sane_cancel")?,
            _lib: lib,
        };
        let mut version: SaneWord = 0;
        // SAFETY: called once, on the worker thread, before any other SANE call.
        let status = unsafe { init(&mut version, None) };
        if status != STATUS_GOOD {
            return Err(status_error(status, "sane_init"));
        }
        Ok(api)
    }
}

fn status_error(status: SaneStatus, what: &str) -> DeviceError {
    match status {
        STATUS_DEVICE_BUSY => DeviceError::Busy,
        STATUS_CANCELLED => DeviceError::Cancelled,
        STATUS_JAMMED => DeviceError::Jammed,
        STATUS_NO_DOCS => DeviceError::NoDocuments,
        STATUS_COVER_OPEN => DeviceError::CoverOpen,
        STATUS_ACCESS_DENIED => DeviceError::AccessDenied,
        STATUS_UNSUPPORTED => DeviceError::Unsupported(what.to_string()),
        STATUS_INVAL => DeviceError::Unsupported(format!("{what}：参数无效")),
        STATUS_NO_MEM => DeviceError::Io(format!("{what}：内存不足")),
        STATUS_IO_ERROR => DeviceError::Io(what.to_string()),
        other => DeviceError::Io(format!("{what}：状态码 {other}")),
    }
}

fn cstr(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: SANE strings are NUL-terminated and live as long as the descriptor.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

// ---- option descriptors, copied into Rust ----

#[derive(Debug, Clone, PartialEq)]
enum Constraint {
    None,
    Range { min: i32, max: i32, quant: i32 },
    Words(Vec<i32>),
    Strings(Vec<String>),
}

#[derive(Debug, Clone)]
struct OptDesc {
    index: SaneWord,
    name: String,
    value_type: c_int,
    unit: c_int,
    size: SaneWord,
    cap: SaneWord,
    constraint: Constraint,
}

impl OptDesc {
    fn settable(&self) -> bool {
        self.cap & CAP_SOFT_SELECT != 0 && self.cap & CAP_INACTIVE == 0
    }
    fn active(&self) -> bool {
        self.cap & CAP_INACTIVE == 0
    }
    /// Word for a number in the option's own type (SANE_Fixed is value << 16).
    fn encode_number(&self, v: f64) -> SaneWord {
        if self.value_type == TYPE_FIXED {
            (v * FIXED_ONE).round() as SaneWord
        } else {
            v.round() as SaneWord
        }
    }
    fn decode_number(&self, w: SaneWord) -> f64 {
        if self.value_type == TYPE_FIXED {
            f64::from(w) / FIXED_ONE
        } else {
            f64::from(w)
        }
    }
    /// Range of a numeric option in its own units (decoded).
    fn range(&self) -> Option<(f64, f64)> {
        match &self.constraint {
            Constraint::Range { min, max, .. } => {
                Some((self.decode_number(*min), self.decode_number(*max)))
            }
            Constraint::Words(w) if !w.is_empty() => {
                let lo = w.iter().copied().min().unwrap_or(0);
                let hi = w.iter().copied().max().unwrap_or(0);
                Some((self.decode_number(lo), self.decode_number(hi)))
            }
            _ => None,
        }
    }
}

/// A value for [`SaneDevice::set_option`], encoded by the option's declared type.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    Bool(bool),
    Number(f64),
    Text(String),
}

// ---- the worker thread ----

type Job = Box<dyn FnOnce(&mut Worker) + Send>;

struct Worker {
    api: Api,
    handles: HashMap<u64, SaneHandle>,
}

impl Drop for Worker {
    fn drop(&mut self) {
        for (_, h) in self.handles.drain() {
            // SAFETY: each handle came from sane_open and is closed once.
            unsafe { (self.api.close)(h) };
        }
        // SAFETY: last call on this thread; the library is unloaded after it.
        unsafe { (self.api.exit)() };
    }
}

struct Link {
    tx: Sender<Job>,
    busy: Arc<AtomicBool>,
}

static LINK: Mutex<Option<Link>> = Mutex::new(None);
static NEXT_HANDLE: AtomicU64 = AtomicU64::new(1);

/// How long listing, opening and option calls may take.
pub const CONTROL_TIMEOUT: Duration = Duration::from_secs(20);
/// How long one capture (all pages) may take by default.
pub const CAPTURE_TIMEOUT: Duration = Duration::from_secs(180);
/// How long a call waits for a worker that is finishing another job before it gives up
/// with [`DeviceError::Busy`].
const BUSY_GRACE: Duration = Duration::from_secs(2);
/// Upper bound on the raw bytes of one page (A3, 600 dpi, 16-bit colour is ~420 MB).
const MAX_PAGE_BYTES: usize = 512 * 1024 * 1024;
/// Upper bound on pages from one ADF run.
const MAX_ADF_PAGES: usize = 500;

fn start_worker() -> Result<Link, DeviceError> {
    let (tx, rx): (Sender<Job>, Receiver<Job>) = mpsc::channel();
    let (ready_tx, ready_rx) = mpsc::channel::<Result<(), DeviceError>>();
    let busy = Arc::new(AtomicBool::new(false));
    let busy_w = busy.clone();
    std::thread::Builder::new()
        .name("sane".into())
        .spawn(move || {
            let mut worker = match Api::load() {
                Ok(api) => {
                    let _ = ready_tx.send(Ok(()));
                    Worker {
                        api,
                        handles: HashMap::new(),
                    }
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            while let Ok(job) = rx.recv() {
                busy_w.store(true, Ordering::SeqCst);
                job(&mut worker);
                busy_w.store(false, Ordering::SeqCst);
            }
        })
        .map_err(|e| DeviceError::Io(format!("无法启动扫描线程：{e}")))?;
    match ready_rx.recv_timeout(CONTROL_TIMEOUT) {
        Ok(Ok(())) => Ok(Link { tx, busy }),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(DeviceError::Timeout(CONTROL_TIMEOUT.as_secs())),
    }
}

/// Runs `f` on the SANE worker and waits at most `timeout` for its answer.
fn call<T: Send + 'static>(
    timeout: Duration,
    f: impl FnOnce(&mut Worker) -> Result<T, DeviceError> + Send + 'static,
) -> Result<T, DeviceError> {
    let (reply_tx, reply_rx) = mpsc::channel();
    let deadline = Instant::now() + timeout;
    {
        let mut link = LINK.lock().unwrap_or_else(|p| p.into_inner());
        if link.is_none() {
            *link = Some(start_worker()?);
        }
        let Some(l) = link.as_ref() else {
            return Err(DeviceError::Io("扫描线程未启动".into()));
        };
        // A short job (such as closing a device) may still be finishing; a worker still
        // busy after that is stuck in a slow or hung device call.
        let wait_until = Instant::now() + BUSY_GRACE;
        while l.busy.load(Ordering::SeqCst) {
            if Instant::now() > wait_until {
                return Err(DeviceError::Busy);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let job: Job = Box::new(move |w: &mut Worker| {
            // A job whose caller already gave up is not started late.
            if Instant::now() < deadline {
                let _ = reply_tx.send(f(w));
            }
        });
        if l.tx.send(job).is_err() {
            *link = None;
            return Err(DeviceError::Io("扫描线程已退出".into()));
        }
    }
    match reply_rx.recv_timeout(timeout) {
        Ok(r) => r,
        Err(_) => Err(DeviceError::Timeout(timeout.as_secs().max(1))),
    }
}

/// Stops the SANE worker (closing open devices and calling `sane_exit`) once it is idle.
pub fn shutdown() {
    let mut link = LINK.lock().unwrap_or_else(|p| p.into_inner());
    *link = None;
}

impl Worker {
    fn handle(&self, id: u64) -> Result<SaneHandle, DeviceError> {
        self.handles
            .get(&id)
            .copied()
            .ok_or_else(|| DeviceError::NotConnected("设备已关闭".into()))
    }

    fn options(&self, h: SaneHandle) -> Result<Vec<OptDesc>, DeviceError> {
        let mut count: SaneWord = 0;
        // SAFETY: option 0 is the option count, an Int.
        let status = unsafe {
            (self.api.control_option)(
                h,
                0,
                ACTION_GET,
                (&mut count as *mut SaneWord).cast(),
                std::ptr::null_mut(),
            )
        };
        if status != STATUS_GOOD {
            return Err(status_error(status, "读取选项数量"));
        }
        let mut out = Vec::new();
        for i in 1..count.clamp(0, 10_000) {
            // SAFETY: index is below the count the backend reported.
            let d = unsafe { (self.api.get_option_descriptor)(h, i) };
            if d.is_null() {
                continue;
            }
            // SAFETY: non-null descriptors stay valid until options are reloaded.
            let d = unsafe { &*d };
            let constraint = match d.constraint_type {
                CONSTRAINT_RANGE if !d.constraint.is_null() => {
                    // SAFETY: the union holds a SANE_Range pointer for this type.
                    let r = unsafe { &*(d.constraint as *const RawRange) };
                    Constraint::Range {
                        min: r.min,
                        max: r.max,
                        quant: r.quant,
                    }
                }
                CONSTRAINT_WORD_LIST if !d.constraint.is_null() => {
                    let p = d.constraint as *const SaneWord;
                    // SAFETY: first word is the length of the list that follows.
                    let n = unsafe { *p }.clamp(0, 4096) as usize;
                    let words = (1..=n).map(|k| unsafe { *p.add(k) }).collect();
                    Constraint::Words(words)
                }
                CONSTRAINT_STRING_LIST if !d.constraint.is_null() => {
                    let p = d.constraint as *const *const c_char;
                    let mut v = Vec::new();
                    for k in 0..1024 {
                        // SAFETY: the list is NULL-terminated.
                        let s = unsafe { *p.add(k) };
                        if s.is_null() {
                            break;
                        }
                        v.push(cstr(s));
                    }
                    Constraint::Strings(v)
                }
                _ => Constraint::None,
            };
            out.push(OptDesc {
                index: i,
                name: cstr(d.name),
                value_type: d.value_type,
                unit: d.unit,
                size: d.size,
                cap: d.cap,
                constraint,
            });
        }
        Ok(out)
    }

    /// Looks an option up by name; descriptors are read afresh each time, so a
    /// SANE_INFO_RELOAD_OPTIONS from an earlier set is always honoured.
    fn find(&self, h: SaneHandle, name: &str) -> Result<Option<OptDesc>, DeviceError> {
        Ok(self.options(h)?.into_iter().find(|o| o.name == name))
    }

    fn get_word(&self, h: SaneHandle, o: &OptDesc) -> Result<SaneWord, DeviceError> {
        let mut w: SaneWord = 0;
        // SAFETY: a one-word option read into one word.
        let status = unsafe {
            (self.api.control_option)(
                h,
                o.index,
                ACTION_GET,
                (&mut w as *mut SaneWord).cast(),
                std::ptr::null_mut(),
            )
        };
        if status != STATUS_GOOD {
            return Err(status_error(status, &format!("读取选项 {}", o.name)));
        }
        Ok(w)
    }

    fn set(&self, h: SaneHandle, name: &str, value: &OptionValue) -> Result<(), DeviceError> {
        let o = self
            .find(h, name)?
            .ok_or_else(|| DeviceError::Unsupported(format!("没有选项 {name}")))?;
        if !o.settable() {
            return Err(DeviceError::Unsupported(format!(
                "选项 {name} 当前不可设置"
            )));
        }
        let mut info: SaneWord = 0;
        let status = match (o.value_type, value) {
            (TYPE_BOOL, OptionValue::Bool(b)) => {
                // SANE_Bool is a full 4-byte SANE_Word.
                let mut w: SaneWord = SaneWord::from(*b);
                // SAFETY: one word for a one-word option.
                unsafe {
                    (self.api.control_option)(
                        h,
                        o.index,
                        ACTION_SET,
                        (&mut w as *mut SaneWord).cast(),
                        &mut info,
                    )
                }
            }
            (TYPE_INT | TYPE_FIXED, OptionValue::Number(v)) => {
                if o.size as usize != std::mem::size_of::<SaneWord>() {
                    return Err(DeviceError::Unsupported(format!("选项 {name} 是数组")));
                }
                let mut w = o.encode_number(*v);
                // SAFETY: one word for a one-word option.
                unsafe {
                    (self.api.control_option)(
                        h,
                        o.index,
                        ACTION_SET,
                        (&mut w as *mut SaneWord).cast(),
                        &mut info,
                    )
                }
            }
            (TYPE_STRING, OptionValue::Text(s)) => {
                let size = (o.size.max(1) as usize).max(s.len() + 1);
                let mut buf = vec![0u8; size];
                buf[..s.len()].copy_from_slice(s.as_bytes());
                // SAFETY: buffer of at least the option's size, NUL-terminated.
                unsafe {
                    (self.api.control_option)(
                        h,
                        o.index,
                        ACTION_SET,
                        buf.as_mut_ptr().cast(),
                        &mut info,
                    )
                }
            }
            _ => {
                return Err(DeviceError::Unsupported(format!(
                    "选项 {name} 的类型与所给值不符"
                )));
            }
        };
        if status != STATUS_GOOD {
            return Err(status_error(status, &format!("设置 {name}")));
        }
        Ok(())
    }

    fn capabilities(&self, h: SaneHandle) -> Result<Capabilities, DeviceError> {
        let opts = self.options(h)?;
        let by = |n: &str| opts.iter().find(|o| o.name == n && o.active());
        let mut dpis = Vec::new();
        if let Some(r) = by("resolution") {
            match &r.constraint {
                Constraint::Words(w) => {
                    dpis = w
                        .iter()
                        .map(|x| r.decode_number(*x).round() as u32)
                        .collect()
                }
                Constraint::Range { .. } => {
                    if let Some((lo, hi)) = r.range() {
                        dpis = [75u32, 100, 150, 200, 300, 400, 600, 1200]
                            .into_iter()
                            .filter(|d| f64::from(*d) >= lo && f64::from(*d) <= hi)
                            .collect();
                    }
                }
                _ => {}
            }
        }
        let mut modes = Vec::new();
        if let Some(Constraint::Strings(list)) = by("mode").map(|o| &o.constraint) {
            for m in [ColorMode::Color, ColorMode::Gray, ColorMode::BlackWhite] {
                if pick_mode(list, m).is_some() {
                    modes.push(m);
                }
            }
        }
        let mut sources = vec![];
        match by("source").map(|o| &o.constraint) {
            Some(Constraint::Strings(list)) => {
                for s in [Source::Flatbed, Source::Adf, Source::AdfDuplex] {
                    if pick_source(list, s).is_some() {
                        sources.push(s);
                    }
                }
            }
            _ => sources.push(Source::Flatbed),
        }
        let extent = |n: &str| by(n).filter(|o| o.unit == UNIT_MM).and_then(|o| o.range());
        let max_area_mm = match (extent("br-x"), extent("br-y")) {
            (Some((_, x)), Some((_, y))) => Some((x, y)),
            _ => None,
        };
        let page_sizes = [PageSize::A4, PageSize::A3]
            .into_iter()
            .filter(|p| match max_area_mm {
                Some((x, y)) => {
                    let (w, hgt) = p.mm();
                    x + 1.0 >= w && y + 1.0 >= hgt
                }
                None => true,
            })
            .collect();
        Ok(Capabilities {
            dpis,
            modes,
            sources,
            max_area_mm,
            page_sizes,
        })
    }

    fn configure(&self, h: SaneHandle, opts: &CaptureOptions) -> Result<u32, DeviceError> {
        // Source first: on many backends it reloads the geometry options.
        match self.find(h, "source")? {
            Some(o) if o.settable() => {
                if let Constraint::Strings(list) = &o.constraint {
                    let s = pick_source(list, opts.source).ok_or_else(|| {
                        DeviceError::Unsupported(match opts.source {
                            Source::Adf => "没有自动进纸器".to_string(),
                            Source::AdfDuplex => "没有双面进纸器".to_string(),
                            Source::Flatbed => "没有平板".to_string(),
                        })
                    })?;
                    self.set(h, "source", &OptionValue::Text(s))?;
                }
            }
            _ if opts.source.is_feeder() => {
                return Err(DeviceError::Unsupported("没有自动进纸器".into()));
            }
            _ => {}
        }
        if let Some(o) = self.find(h, "mode")?
            && let Constraint::Strings(list) = &o.constraint
        {
            let m = pick_mode(list, opts.mode).ok_or_else(|| {
                DeviceError::Unsupported(format!("颜色模式“{}”", opts.mode.label()))
            })?;
            self.set(h, "mode", &OptionValue::Text(m))?;
        }
        // Resolution: nearest offered value; the real one is read back afterwards.
        let res = self
            .find(h, "resolution")?
            .ok_or_else(|| DeviceError::Unsupported("分辨率".into()))?;
        let want = f64::from(opts.dpi);
        let target = match &res.constraint {
            Constraint::Words(w) => w
                .iter()
                .map(|x| res.decode_number(*x))
                .min_by(|a, b| (a - want).abs().total_cmp(&(b - want).abs()))
                .unwrap_or(want),
            Constraint::Range { .. } => match res.range() {
                Some((lo, hi)) => want.clamp(lo, hi),
                None => want,
            },
            _ => want,
        };
        self.set(h, "resolution", &OptionValue::Number(target))?;
        let res = self
            .find(h, "resolution")?
            .ok_or_else(|| DeviceError::Unsupported("分辨率".into()))?;
        let actual = res.decode_number(self.get_word(h, &res)?).round().max(1.0) as u32;

        // Scan area: the page size from the top-left corner, clipped to the bed.
        let (w_mm, h_mm) = opts.page_size.mm();
        for (name, value) in [("tl-x", 0.0), ("tl-y", 0.0), ("br-x", w_mm), ("br-y", h_mm)] {
            let Some(o) = self.find(h, name)? else {
                continue;
            };
            if !o.settable() {
                continue;
            }
            let in_units = if o.unit == UNIT_PIXEL {
                value / crate::device::MM_PER_INCH * f64::from(actual)
            } else {
                value
            };
            let v = match o.range() {
                Some((lo, hi)) => in_units.clamp(lo, hi),
                None => in_units,
            };
            self.set(h, name, &OptionValue::Number(v))?;
        }
        Ok(actual)
    }

    /// Reads one frame (after sane_start), bounded in bytes and time.
    fn read_frame(
        &self,
        h: SaneHandle,
        deadline: Instant,
        timeout_secs: u64,
    ) -> Result<(RawParameters, Vec<u8>), DeviceError> {
        let mut p = RawParameters::default();
        // SAFETY: fills the struct.
        let status = unsafe { (self.api.get_parameters)(h, &mut p) };
        if status != STATUS_GOOD {
            return Err(status_error(status, "读取扫描参数"));
        }
        if p.bytes_per_line <= 0 || p.pixels_per_line <= 0 {
            return Err(DeviceError::BadData(format!(
                "行字节数 {}，每行像素 {}",
                p.bytes_per_line, p.pixels_per_line
            )));
        }
        let expected = if p.lines > 0 {
            (p.bytes_per_line as usize).saturating_mul(p.lines as usize)
        } else {
            0
        };
        if expected > MAX_PAGE_BYTES {
            return Err(DeviceError::BadData(format!("页面过大（{expected} 字节）")));
        }
        let mut data = Vec::with_capacity(expected);
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            if Instant::now() > deadline {
                // SAFETY: cancels the running scan on this handle.
                unsafe { (self.api.cancel)(h) };
                return Err(DeviceError::Timeout(timeout_secs));
            }
            let mut len: SaneWord = 0;
            // SAFETY: buf has room for the length passed.
            let status =
                unsafe { (self.api.read)(h, buf.as_mut_ptr(), buf.len() as SaneWord, &mut len) };
            match status {
                STATUS_GOOD => {
                    let n = (len.max(0) as usize).min(buf.len());
                    data.extend_from_slice(&buf[..n]);
                    if data.len() > MAX_PAGE_BYTES {
                        // SAFETY: as above.
                        unsafe { (self.api.cancel)(h) };
                        return Err(DeviceError::BadData("数据超过页面上限".into()));
                    }
                    if n == 0 {
                        std::thread::sleep(Duration::from_millis(2));
                    }
                }
                STATUS_EOF => break,
                other => {
                    // SAFETY: as above.
                    unsafe { (self.api.cancel)(h) };
                    return Err(status_error(other, "读取扫描数据"));
                }
            }
        }
        Ok((p, data))
    }

    fn capture(
        &self,
        h: SaneHandle,
        opts: &CaptureOptions,
        timeout: Duration,
    ) -> Result<Vec<Page>, DeviceError> {
        let deadline = Instant::now() + timeout;
        let dpi = self.configure(h, opts)?;
        let mut pages = Vec::new();
        let limit = if opts.source.is_feeder() {
            MAX_ADF_PAGES
        } else {
            1
        };
        while pages.len() < limit {
            // SAFETY: starts a scan on an open handle.
            let status = unsafe { (self.api.start)(h) };
            if status == STATUS_NO_DOCS && !pages.is_empty() {
                break;
            }
            if status != STATUS_GOOD {
                // SAFETY: ends the (failed) scan.
                unsafe { (self.api.cancel)(h) };
                return Err(status_error(status, "开始扫描"));
            }
            let (p, data) = self.read_frame(h, deadline, timeout.as_secs().max(1))?;
            if p.last_frame == 0 {
                // SAFETY: as above.
                unsafe { (self.api.cancel)(h) };
                return Err(DeviceError::Unsupported("三次扫描（分色帧）模式".into()));
            }
            let image = to_image(&p, &data)?;
            pages.push(Page {
                image,
                dpi: Some(dpi),
            });
        }
        // SAFETY: ends the scan session (required after the last frame).
        unsafe { (self.api.cancel)(h) };
        Ok(pages)
    }
}

fn pick_mode(list: &[String], m: ColorMode) -> Option<String> {
    let wanted: &[&str] = match m {
        ColorMode::Color => &["color", "colour", "24bit color", "rgb"],
        ColorMode::Gray => &["gray", "grey", "grayscale", "8bit gray"],
        ColorMode::BlackWhite => &["lineart", "binary", "black & white", "halftone"],
    };
    for w in wanted {
        if let Some(s) = list.iter().find(|s| s.eq_ignore_ascii_case(w)) {
            return Some(s.clone());
        }
    }
    None
}

/// The backend's name for a source: "Flatbed"/"Normal"; a feeder ("ADF", "ADF Front",
/// "Automatic Document Feeder"), one-sided preferred; "ADF Duplex"/"Duplex" for both sides.
pub fn pick_source(list: &[String], s: Source) -> Option<String> {
    let feeder =
        |l: &str| l.contains("adf") || l.contains("feeder") || l.contains("automatic document");
    let find = |f: &dyn Fn(&str) -> bool| list.iter().find(|x| f(&x.to_ascii_lowercase())).cloned();
    match s {
        Source::Flatbed => find(&|l| l.contains("flatbed") || l == "normal"),
        Source::Adf => find(&|l| feeder(l) && !l.contains("duplex") && !l.contains("back"))
            .or_else(|| find(&|l| feeder(l) && !l.contains("duplex"))),
        Source::AdfDuplex => find(&|l| l.contains("duplex")),
    }
}

/// Converts a SANE frame to an 8-bit image (16-bit samples keep their high byte).
fn to_image(p: &RawParameters, data: &[u8]) -> Result<DynamicImage, DeviceError> {
    let bpl = p.bytes_per_line as usize;
    let width = p.pixels_per_line as u32;
    let lines = data.len() / bpl;
    if lines == 0 {
        return Err(DeviceError::BadData("扫描结果为空".into()));
    }
    let height = lines as u32;
    let channels = match p.format {
        FRAME_GRAY => 1usize,
        FRAME_RGB => 3,
        other => {
            return Err(DeviceError::Unsupported(format!("帧格式 {other}")));
        }
    };
    let samples = width as usize * channels;
    let need = match p.depth {
        1 => samples.div_ceil(8),
        8 => samples,
        16 => samples * 2,
        d => return Err(DeviceError::Unsupported(format!("位深 {d}"))),
    };
    if need > bpl {
        return Err(DeviceError::BadData(format!("行字节数 {bpl} 少于 {need}")));
    }
    let mut out = Vec::with_capacity(samples * lines);
    for row in data.chunks_exact(bpl) {
        match p.depth {
            1 => {
                // SANE line-art: bit set = black, most significant bit first.
                for i in 0..samples {
                    let bit = (row[i / 8] >> (7 - (i % 8))) & 1;
                    out.push(if bit == 1 { 0 } else { 255 });
                }
            }
            8 => out.extend_from_slice(&row[..samples]),
            _ => {
                for i in 0..samples {
                    let v = u16::from_ne_bytes([row[2 * i], row[2 * i + 1]]);
                    out.push((v >> 8) as u8);
                }
            }
        }
    }
    let bad = || DeviceError::BadData("像素数与尺寸不符".into());
    Ok(if channels == 1 {
        DynamicImage::ImageLuma8(GrayImage::from_raw(width, height, out).ok_or_else(bad)?)
    } else {
        DynamicImage::ImageRgb8(RgbImage::from_raw(width, height, out).ok_or_else(bad)?)
    })
}

// ---- public API ----

/// Lists the scanners SANE can see (local and network).
pub fn list_devices() -> Result<Vec<DeviceInfo>, DeviceError> {
    call(CONTROL_TIMEOUT, |w| {
        let mut list: *const *const RawDevice = std::ptr::null();
        // SAFETY: SANE fills a NULL-terminated array valid until the next call.
        let status = unsafe { (w.api.get_devices)(&mut list, 0) };
        if status != STATUS_GOOD {
            return Err(status_error(status, "列出设备"));
        }
        let mut out = Vec::new();
        if list.is_null() {
            return Ok(out);
        }
        for k in 0..1024 {
            // SAFETY: NULL-terminated array.
            let d = unsafe { *list.add(k) };
            if d.is_null() {
                break;
            }
            // SAFETY: non-null entries point at SANE_Device structs.
            let d = unsafe { &*d };
            out.push(DeviceInfo {
                id: cstr(d.name),
                vendor: cstr(d.vendor),
                model: cstr(d.model),
                kind: cstr(d.kind),
            });
        }
        Ok(out)
    })
}

/// An opened SANE scanner. Closed when dropped.
pub struct SaneDevice {
    id: u64,
    info: DeviceInfo,
    /// Upper bound on one [`CaptureDevice::capture`] call.
    pub capture_timeout: Duration,
}

impl SaneDevice {
    /// Opens the device by its SANE name (e.g. `test:0`, `genesys:libusb:001:004`).
    pub fn open(name: &str) -> Result<SaneDevice, DeviceError> {
        let cname = CString::new(name)
            .map_err(|_| DeviceError::NotConnected(format!("设备名无效：{name}")))?;
        let shown = name.to_string();
        let id = NEXT_HANDLE.fetch_add(1, Ordering::SeqCst);
        call(CONTROL_TIMEOUT, move |w| {
            let mut h: SaneHandle = std::ptr::null_mut();
            // SAFETY: cname is NUL-terminated; h receives the handle.
            let status = unsafe { (w.api.open)(cname.as_ptr(), &mut h) };
            match status {
                STATUS_GOOD if !h.is_null() => {
                    w.handles.insert(id, h);
                    Ok(())
                }
                STATUS_DEVICE_BUSY => Err(DeviceError::Busy),
                STATUS_ACCESS_DENIED => Err(DeviceError::AccessDenied),
                _ => Err(DeviceError::NotConnected(shown)),
            }
        })?;
        let info = list_devices()
            .ok()
            .and_then(|l| l.into_iter().find(|d| d.id == name))
            .unwrap_or_else(|| DeviceInfo {
                id: name.to_string(),
                vendor: String::new(),
                model: String::new(),
                kind: String::new(),
            });
        Ok(SaneDevice {
            id,
            info,
            capture_timeout: CAPTURE_TIMEOUT,
        })
    }

    /// Sets a backend-specific option by its SANE name (e.g. the test backend's
    /// `test-picture`). The value is encoded by the option's type: a bool as a 4-byte
    /// SANE_Word, a number as SANE_Int or SANE_Fixed (value << 16).
    pub fn set_option(&mut self, name: &str, value: OptionValue) -> Result<(), DeviceError> {
        let id = self.id;
        let name = name.to_string();
        call(CONTROL_TIMEOUT, move |w| {
            let h = w.handle(id)?;
            w.set(h, &name, &value)
        })
    }

    /// Reads a numeric or boolean option back, decoded (SANE_Fixed to a fraction).
    pub fn get_number(&self, name: &str) -> Result<f64, DeviceError> {
        let id = self.id;
        let name = name.to_string();
        call(CONTROL_TIMEOUT, move |w| {
            let h = w.handle(id)?;
            let o = w
                .find(h, &name)?
                .ok_or_else(|| DeviceError::Unsupported(format!("没有选项 {name}")))?;
            if !matches!(o.value_type, TYPE_BOOL | TYPE_INT | TYPE_FIXED) {
                return Err(DeviceError::Unsupported(format!("选项 {name} 不是数值")));
            }
            Ok(o.decode_number(w.get_word(h, &o)?))
        })
    }
}

impl CaptureDevice for SaneDevice {
    fn info(&self) -> &DeviceInfo {
        &self.info
    }

    fn capabilities(&self) -> Result<Capabilities, DeviceError> {
        let id = self.id;
        call(CONTROL_TIMEOUT, move |w| w.capabilities(w.handle(id)?))
    }

    fn capture(&mut self, opts: &CaptureOptions) -> Result<Vec<Page>, DeviceError> {
        let id = self.id;
        let opts = opts.clone();
        let timeout = self.capture_timeout;
        // The worker gives up a little before the caller does, so it cancels cleanly.
        let inner = timeout.saturating_sub(Duration::from_millis(500));
        call(timeout, move |w| w.capture(w.handle(id)?, &opts, inner))
    }
}

impl Drop for SaneDevice {
    fn drop(&mut self) {
        let id = self.id;
        let link = LINK.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(l) = link.as_ref() {
            // Fire and forget: closing must not block the caller.
            let _ = l.tx.send(Box::new(move |w: &mut Worker| {
                if let Some(h) = w.handles.remove(&id) {
                    // SAFETY: the handle came from sane_open and is closed once.
                    unsafe { (w.api.close)(h) };
                }
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_library_is_a_clear_driver_error() {
        let err = Api::load_from(&["libsane-does-not-exist.so.9"])
            .err()
            .expect("must fail");
        assert!(matches!(err, DeviceError::DriverMissing(_)), "{err:?}");
        let msg = err.to_string();
        assert!(
            msg.contains("未找到 SANE 驱动库") && msg.contains("libsane1"),
            "{msg}"
        );
    }

    #[test]
    fn line_art_frames_with_padding_become_black_on_white() {
        // 10 pixels per line in 2 bytes plus 1 byte of padding; bit set = black.
        let p = RawParameters {
            format: FRAME_GRAY,
            last_frame: 1,
            bytes_per_line: 3,
            pixels_per_line: 10,
            lines: 2,
            depth: 1,
        };
        let data = [0b1000_0000, 0b0100_0000, 0xAA, 0xFF, 0xC0, 0x00];
        let img = to_image(&p, &data).expect("image").to_luma8();
        assert_eq!((img.width(), img.height()), (10, 2));
        let row0: Vec<u8> = (0..10).map(|x| img.get_pixel(x, 0).0[0]).collect();
        assert_eq!(row0, [0, 255, 255, 255, 255, 255, 255, 255, 255, 0]);
        assert!((0..10).all(|x| img.get_pixel(x, 1).0[0] == 0));
    }

    #[test]
    fn frames_shorter_than_their_width_are_refused() {
        let p = RawParameters {
            format: FRAME_RGB,
            last_frame: 1,
            bytes_per_line: 5,
            pixels_per_line: 2,
            lines: 1,
            depth: 8,
        };
        assert!(matches!(
            to_image(&p, &[0; 5]),
            Err(DeviceError::BadData(_))
        ));
    }

    #[test]
    fn fixed_options_are_encoded_shifted_by_sixteen_bits() {
        let o = OptDesc {
            index: 1,
            name: "resolution".into(),
            value_type: TYPE_FIXED,
            unit: 4,
            size: 4,
            cap: CAP_SOFT_SELECT,
            constraint: Constraint::None,
        };
        assert_eq!(o.encode_number(300.0), 300 << 16);
        assert_eq!(o.decode_number(150 << 16), 150.0);
        let i = OptDesc {
            value_type: TYPE_INT,
            ..o
        };
        assert_eq!(i.encode_number(300.0), 300);
    }
}
