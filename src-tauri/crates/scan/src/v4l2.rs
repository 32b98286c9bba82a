//! Document cameras (高拍仪) through Video4Linux2 on Linux: the UVC camera is a video capture
//! device (`/dev/videoN`). The few ioctls needed are written here over `libc` (no bindgen):
//! QUERYCAP, ENUM_FMT, ENUM_FRAMESIZES, S_FMT (MJPEG, else YUYV, at the largest size),
//! REQBUFS/QUERYBUF with mmap, QBUF/STREAMON/DQBUF with a `poll` timeout, STREAMOFF.
//!
//! Every wait is bounded: the device is opened non-blocking and each frame is awaited with
//! `poll` for at most [`FRAME_TIMEOUT`], so a camera that stops delivering gives
//! [`DeviceError::Timeout`], never a hang.
//!
//! A camera does not know the paper's size, so the DPI of a frame is taken from the page size
//! asked for: the camera is set up (as a document camera is) to frame that paper, and the
//! frame's longer side is the paper's longer side.

use std::time::{Duration, Instant};

use image::{DynamicImage, RgbImage};

use crate::device::{
    Capabilities, CaptureDevice, CaptureOptions, ColorMode, DeviceError, DeviceInfo, MM_PER_INCH,
    Page, PageSize, Source,
};

/// Longest wait for one frame.
pub const FRAME_TIMEOUT: Duration = Duration::from_secs(5);
/// Frames dropped before the one kept, so exposure and focus settle.
pub const WARMUP_FRAMES: u32 = 4;

/// FourCC codes.
pub const FMT_MJPEG: u32 = fourcc(b"MJPG");
pub const FMT_JPEG: u32 = fourcc(b"JPEG");
pub const FMT_YUYV: u32 = fourcc(b"YUYV");

pub const fn fourcc(c: &[u8; 4]) -> u32 {
    (c[0] as u32) | ((c[1] as u32) << 8) | ((c[2] as u32) << 16) | ((c[3] as u32) << 24)
}

const BUF_TYPE_VIDEO_CAPTURE: u32 = 1;
const MEMORY_MMAP: u32 = 1;
const CAP_VIDEO_CAPTURE: u32 = 0x0000_0001;
const CAP_STREAMING: u32 = 0x0400_0000;
const CAP_DEVICE_CAPS: u32 = 0x8000_0000;
const FRMSIZE_TYPE_DISCRETE: u32 = 1;
const FIELD_NONE: u32 = 1;

// ---- kernel ABI (include/uapi/linux/videodev2.h), 64-bit and 32-bit layouts ----

#[repr(C)]
#[derive(Clone, Copy)]
pub struct Capability {
    pub driver: [u8; 16],
    pub card: [u8; 32],
    pub bus_info: [u8; 32],
    pub version: u32,
    pub capabilities: u32,
    pub device_caps: u32,
    pub reserved: [u32; 3],
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct FmtDesc {
    pub index: u32,
    pub type_: u32,
    pub flags: u32,
    pub description: [u8; 32],
    pub pixelformat: u32,
    pub mbus_code: u32,
    pub reserved: [u32; 3],
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct FrmSizeEnum {
    pub index: u32,
    pub pixel_format: u32,
    pub type_: u32,
    /// discrete: [width, height]; stepwise: [min_w, max_w, step_w, min_h, max_h, step_h].
    pub sizes: [u32; 6],
    pub reserved: [u32; 2],
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct PixFormat {
    pub width: u32,
    pub height: u32,
    pub pixelformat: u32,
    pub field: u32,
    pub bytesperline: u32,
    pub sizeimage: u32,
    pub colorspace: u32,
    pub priv_: u32,
    pub flags: u32,
    pub ycbcr_enc: u32,
    pub quantization: u32,
    pub xfer_func: u32,
}

/// `struct v4l2_format`: the type and a 200-byte union, aligned as the union's pointers.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Format {
    pub type_: u32,
    pub fmt: FormatUnion,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub union FormatUnion {
    pub pix: PixFormat,
    pub raw: [u8; 200],
    _align: [libc::c_ulong; 0],
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct RequestBuffers {
    pub count: u32,
    pub type_: u32,
    pub memory: u32,
    pub capabilities: u32,
    pub flags: u8,
    pub reserved: [u8; 3],
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct Timecode {
    pub type_: u32,
    pub flags: u32,
    pub frames: u8,
    pub seconds: u8,
    pub minutes: u8,
    pub hours: u8,
    pub userbits: [u8; 4],
}

#[repr(C)]
#[derive(Clone, Copy)]
pub union BufferM {
    pub offset: u32,
    pub userptr: libc::c_ulong,
    pub fd: i32,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct Buffer {
    pub index: u32,
    pub type_: u32,
    pub bytesused: u32,
    pub flags: u32,
    pub field: u32,
    pub timestamp: libc::timeval,
    pub timecode: Timecode,
    pub sequence: u32,
    pub memory: u32,
    pub m: BufferM,
    pub length: u32,
    pub reserved2: u32,
    pub request_fd: i32,
}

fn zeroed<T: Copy>() -> T {
    // SAFETY: only used for the plain-old-data ABI structs above, for which all-zero is valid.
    unsafe { std::mem::zeroed() }
}

const IOC_WRITE: u64 = 1;
const IOC_READ: u64 = 2;

/// `_IOC(dir, 'V', nr, size)`.
pub const fn ioc(dir: u64, nr: u64, size: usize) -> u64 {
    (dir << 30) | ((size as u64) << 16) | ((b'V' as u64) << 8) | nr
}

pub const VIDIOC_QUERYCAP: u64 = ioc(IOC_READ, 0, std::mem::size_of::<Capability>());
pub const VIDIOC_ENUM_FMT: u64 = ioc(IOC_READ | IOC_WRITE, 2, std::mem::size_of::<FmtDesc>());
pub const VIDIOC_S_FMT: u64 = ioc(IOC_READ | IOC_WRITE, 5, std::mem::size_of::<Format>());
pub const VIDIOC_REQBUFS: u64 = ioc(
    IOC_READ | IOC_WRITE,
    8,
    std::mem::size_of::<RequestBuffers>(),
);
pub const VIDIOC_QUERYBUF: u64 = ioc(IOC_READ | IOC_WRITE, 9, std::mem::size_of::<Buffer>());
pub const VIDIOC_QBUF: u64 = ioc(IOC_READ | IOC_WRITE, 15, std::mem::size_of::<Buffer>());
pub const VIDIOC_DQBUF: u64 = ioc(IOC_READ | IOC_WRITE, 17, std::mem::size_of::<Buffer>());
pub const VIDIOC_STREAMON: u64 = ioc(IOC_WRITE, 18, std::mem::size_of::<libc::c_int>());
pub const VIDIOC_STREAMOFF: u64 = ioc(IOC_WRITE, 19, std::mem::size_of::<libc::c_int>());
pub const VIDIOC_ENUM_FRAMESIZES: u64 =
    ioc(IOC_READ | IOC_WRITE, 74, std::mem::size_of::<FrmSizeEnum>());

// ---- pure parts ----

/// A format the camera offers and the sizes it offers it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offered {
    pub fourcc: u32,
    pub sizes: Vec<(u32, u32)>,
}

/// Picks what to capture: MJPEG (or JPEG) when offered, else YUYV, at the largest size of
/// that format. `None` when the camera offers neither.
pub fn choose_format(offered: &[Offered]) -> Option<(u32, u32, u32)> {
    let pick = |codes: &[u32]| {
        offered
            .iter()
            .filter(|o| codes.contains(&o.fourcc))
            .flat_map(|o| o.sizes.iter().map(move |s| (o.fourcc, s.0, s.1)))
            .max_by_key(|(_, w, h)| u64::from(*w) * u64::from(*h))
    };
    pick(&[FMT_MJPEG, FMT_JPEG]).or_else(|| pick(&[FMT_YUYV]))
}

/// YUYV 4:2:2 (Y0 U Y1 V per two pixels, BT.601 limited range) to RGB.
pub fn yuyv_to_rgb(data: &[u8], width: u32, height: u32, stride: u32) -> Option<RgbImage> {
    let (w, h) = (width as usize, height as usize);
    let stride = (stride as usize).max(w * 2);
    if w == 0 || h == 0 || w % 2 != 0 || data.len() < stride * (h - 1) + w * 2 {
        return None;
    }
    let mut out = vec![0u8; w * h * 3];
    let clamp = |v: i32| v.clamp(0, 255) as u8;
    for y in 0..h {
        let row = &data[y * stride..y * stride + w * 2];
        for (x2, q) in row.chunks_exact(4).enumerate() {
            let u = i32::from(q[1]) - 128;
            let v = i32::from(q[3]) - 128;
            for (k, yy) in [q[0], q[2]].into_iter().enumerate() {
                let c = 298 * (i32::from(yy) - 16);
                let o = (y * w + x2 * 2 + k) * 3;
                out[o] = clamp((c + 409 * v + 128) >> 8);
                out[o + 1] = clamp((c - 100 * u - 208 * v + 128) >> 8);
                out[o + 2] = clamp((c + 516 * u + 128) >> 8);
            }
        }
    }
    RgbImage::from_raw(width, height, out)
}

/// The DPI of a frame that shows the whole `size` paper: its longer side over the paper's.
pub fn frame_dpi(width: u32, height: u32, size: PageSize) -> u32 {
    let (pw, ph) = size.mm();
    let long_in = pw.max(ph) / MM_PER_INCH;
    (f64::from(width.max(height)) / long_in).round() as u32
}

fn cstr(b: &[u8]) -> String {
    let end = b.iter().position(|c| *c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).trim().to_string()
}

// ---- the device ----

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn os_error(path: &str, e: i32) -> DeviceError {
    match e {
        libc::ENOENT | libc::ENODEV | libc::ENXIO => DeviceError::NotConnected(path.to_string()),
        libc::EACCES | libc::EPERM => DeviceError::AccessDenied,
        libc::EBUSY => DeviceError::Busy,
        _ => DeviceError::Io(format!("{path}：{}", std::io::Error::from_raw_os_error(e))),
    }
}

/// An open file descriptor, closed when dropped.
struct Fd(i32);

impl Drop for Fd {
    fn drop(&mut self) {
        // SAFETY: the descriptor came from open() and is closed once.
        unsafe { libc::close(self.0) };
    }
}

fn xioctl<T>(fd: i32, req: u64, arg: &mut T) -> Result<(), i32> {
    for _ in 0..100 {
        // SAFETY: `arg` points at the ABI struct matching `req`'s encoded size.
        let r = unsafe { libc::ioctl(fd, req as _, arg as *mut T) };
        if r != -1 {
            return Ok(());
        }
        let e = errno();
        if e != libc::EINTR {
            return Err(e);
        }
    }
    Err(libc::EINTR)
}

fn open_fd(path: &str) -> Result<Fd, DeviceError> {
    let c = std::ffi::CString::new(path)
        .map_err(|_| DeviceError::NotConnected(format!("设备名无效：{path}")))?;
    // SAFETY: `c` is NUL-terminated.
    let fd = unsafe {
        libc::open(
            c.as_ptr(),
            libc::O_RDWR | libc::O_NONBLOCK | libc::O_CLOEXEC,
        )
    };
    if fd < 0 {
        return Err(os_error(path, errno()));
    }
    Ok(Fd(fd))
}

/// Asks the device what it is; `None` when it is not a streaming video capture device.
fn query(fd: i32, path: &str) -> Result<Option<Capability>, DeviceError> {
    let mut cap: Capability = zeroed();
    match xioctl(fd, VIDIOC_QUERYCAP, &mut cap) {
        Ok(()) => {}
        Err(libc::ENOTTY | libc::EINVAL) => return Ok(None),
        Err(e) => return Err(os_error(path, e)),
    }
    let caps = if cap.capabilities & CAP_DEVICE_CAPS != 0 {
        cap.device_caps
    } else {
        cap.capabilities
    };
    Ok((caps & CAP_VIDEO_CAPTURE != 0 && caps & CAP_STREAMING != 0).then_some(cap))
}

fn info_of(path: &str, cap: &Capability) -> DeviceInfo {
    DeviceInfo {
        id: path.to_string(),
        vendor: cstr(&cap.driver),
        model: cstr(&cap.card),
        kind: "高拍仪".into(),
    }
}

/// The video capture devices among `/dev/video*` (metadata and output nodes are left out).
/// A node that cannot be opened (busy, no permission) is left out as well.
pub fn list_devices() -> Vec<DeviceInfo> {
    let mut paths: Vec<String> = std::fs::read_dir("/dev")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| {
                    n.strip_prefix("video")
                        .is_some_and(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()))
                })
                .map(|n| format!("/dev/{n}"))
                .collect()
        })
        .unwrap_or_default();
    paths.sort_by_key(|p| p[10..].parse::<u32>().unwrap_or(u32::MAX));
    paths
        .into_iter()
        .filter_map(|p| {
            let fd = open_fd(&p).ok()?;
            let cap = query(fd.0, &p).ok()??;
            Some(info_of(&p, &cap))
        })
        .collect()
}

fn formats(fd: i32) -> Vec<Offered> {
    let mut out = Vec::new();
    for index in 0..64 {
        let mut d: FmtDesc = zeroed();
        d.index = index;
        d.type_ = BUF_TYPE_VIDEO_CAPTURE;
        if xioctl(fd, VIDIOC_ENUM_FMT, &mut d).is_err() {
            break;
        }
        let mut sizes = Vec::new();
        for k in 0..256 {
            let mut s: FrmSizeEnum = zeroed();
            s.index = k;
            s.pixel_format = d.pixelformat;
            if xioctl(fd, VIDIOC_ENUM_FRAMESIZES, &mut s).is_err() {
                break;
            }
            if s.type_ == FRMSIZE_TYPE_DISCRETE {
                sizes.push((s.sizes[0], s.sizes[1]));
            } else {
                // Stepwise or continuous: the largest.
                sizes.push((s.sizes[1], s.sizes[4]));
                break;
            }
        }
        if sizes.is_empty() {
            // No sizes listed: ask for a large frame; S_FMT answers with what it can.
            sizes.push((4096, 3072));
        }
        out.push(Offered {
            fourcc: d.pixelformat,
            sizes,
        });
    }
    out
}

/// A document camera opened by its device node (e.g. `/dev/video0`).
pub struct V4l2Device {
    fd: Fd,
    info: DeviceInfo,
    /// Longest wait for one frame.
    pub frame_timeout: Duration,
}

impl V4l2Device {
    /// Opens the device; refuses a node that is not a streaming video capture device.
    pub fn open(path: &str) -> Result<V4l2Device, DeviceError> {
        let fd = open_fd(path)?;
        let cap = query(fd.0, path)?.ok_or_else(|| DeviceError::NotCapture(path.to_string()))?;
        Ok(V4l2Device {
            info: info_of(path, &cap),
            fd,
            frame_timeout: FRAME_TIMEOUT,
        })
    }

    fn grab(&mut self, size: PageSize) -> Result<Page, DeviceError> {
        let fd = self.fd.0;
        let path = self.info.id.clone();
        let (fourcc, w, h) = choose_format(&formats(fd)).ok_or_else(|| {
            DeviceError::Unsupported("高拍仪不提供 MJPEG 或 YUYV 图像格式".into())
        })?;
        let mut f: Format = zeroed();
        f.type_ = BUF_TYPE_VIDEO_CAPTURE;
        f.fmt.pix = PixFormat {
            width: w,
            height: h,
            pixelformat: fourcc,
            field: FIELD_NONE,
            ..zeroed()
        };
        xioctl(fd, VIDIOC_S_FMT, &mut f).map_err(|e| os_error(&path, e))?;
        // SAFETY: S_FMT filled the `pix` member for a capture buffer type.
        let pix = unsafe { f.fmt.pix };
        if pix.pixelformat != fourcc || pix.width == 0 || pix.height == 0 {
            return Err(DeviceError::Unsupported("高拍仪不接受所选图像格式".into()));
        }
        let mut req = RequestBuffers {
            count: 3,
            type_: BUF_TYPE_VIDEO_CAPTURE,
            memory: MEMORY_MMAP,
            ..zeroed()
        };
        xioctl(fd, VIDIOC_REQBUFS, &mut req).map_err(|e| os_error(&path, e))?;
        if req.count == 0 {
            return Err(DeviceError::Io("高拍仪没有可用的缓冲区".into()));
        }
        let mut maps = Maps {
            fd,
            list: Vec::new(),
            streaming: false,
        };
        for index in 0..req.count {
            let mut b: Buffer = zeroed();
            b.index = index;
            b.type_ = BUF_TYPE_VIDEO_CAPTURE;
            b.memory = MEMORY_MMAP;
            xioctl(fd, VIDIOC_QUERYBUF, &mut b).map_err(|e| os_error(&path, e))?;
            // SAFETY: mapping the buffer the driver described, read-only use below.
            let p = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    b.length as usize,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_SHARED,
                    fd,
                    b.m.offset as libc::off_t,
                )
            };
            if p == libc::MAP_FAILED {
                return Err(os_error(&path, errno()));
            }
            maps.list.push((p, b.length as usize));
            xioctl(fd, VIDIOC_QBUF, &mut b).map_err(|e| os_error(&path, e))?;
        }
        let mut kind = BUF_TYPE_VIDEO_CAPTURE as libc::c_int;
        xioctl(fd, VIDIOC_STREAMON, &mut kind).map_err(|e| os_error(&path, e))?;
        maps.streaming = true;
        let mut frame = Vec::new();
        let deadline = Instant::now() + self.frame_timeout * (WARMUP_FRAMES + 1);
        for _ in 0..=WARMUP_FRAMES {
            let left = deadline.saturating_duration_since(Instant::now());
            let wait = left.min(self.frame_timeout);
            let mut pfd = libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd.
            let r = unsafe { libc::poll(&mut pfd, 1, wait.as_millis() as libc::c_int) };
            if r == 0 {
                return Err(DeviceError::Timeout(self.frame_timeout.as_secs()));
            }
            if r < 0 {
                let e = errno();
                if e == libc::EINTR {
                    continue;
                }
                return Err(os_error(&path, e));
            }
            if pfd.revents & (libc::POLLERR | libc::POLLHUP) != 0 {
                return Err(DeviceError::NotConnected(path.clone()));
            }
            let mut b: Buffer = zeroed();
            b.type_ = BUF_TYPE_VIDEO_CAPTURE;
            b.memory = MEMORY_MMAP;
            match xioctl(fd, VIDIOC_DQBUF, &mut b) {
                Ok(()) => {}
                Err(libc::EAGAIN) => continue,
                Err(e) => return Err(os_error(&path, e)),
            }
            let (ptr, len) = maps
                .list
                .get(b.index as usize)
                .copied()
                .ok_or_else(|| DeviceError::BadData("缓冲区编号越界".into()))?;
            let used = (b.bytesused as usize).min(len);
            // SAFETY: the driver filled `used` bytes of this mapped buffer.
            frame = unsafe { std::slice::from_raw_parts(ptr as *const u8, used) }.to_vec();
            xioctl(fd, VIDIOC_QBUF, &mut b).map_err(|e| os_error(&path, e))?;
        }
        drop(maps);
        let image = decode_frame(fourcc, &frame, pix.width, pix.height, pix.bytesperline)?;
        let dpi = frame_dpi(image.width(), image.height(), size);
        Ok(Page {
            image,
            dpi: Some(dpi),
        })
    }
}

/// Decodes one frame: MJPEG/JPEG through the JPEG decoder, YUYV by conversion.
pub fn decode_frame(
    fourcc: u32,
    data: &[u8],
    width: u32,
    height: u32,
    stride: u32,
) -> Result<DynamicImage, DeviceError> {
    if data.is_empty() {
        return Err(DeviceError::BadData("高拍仪返回了空图像".into()));
    }
    if fourcc == FMT_YUYV {
        return yuyv_to_rgb(data, width, height, stride)
            .map(DynamicImage::ImageRgb8)
            .ok_or_else(|| DeviceError::BadData("YUYV 图像不完整".into()));
    }
    image::load_from_memory_with_format(data, image::ImageFormat::Jpeg)
        .map_err(|e| DeviceError::BadData(format!("MJPEG 图像无法解码：{e}")))
}

/// The mapped buffers; unmapped (after STREAMOFF) when dropped, on every path.
struct Maps {
    fd: i32,
    list: Vec<(*mut libc::c_void, usize)>,
    streaming: bool,
}

impl Drop for Maps {
    fn drop(&mut self) {
        if self.streaming {
            let mut kind = BUF_TYPE_VIDEO_CAPTURE as libc::c_int;
            let _ = xioctl(self.fd, VIDIOC_STREAMOFF, &mut kind);
        }
        for (p, len) in self.list.drain(..) {
            // SAFETY: each mapping came from mmap with this length and is unmapped once.
            unsafe { libc::munmap(p, len) };
        }
        // Free the driver's buffers so the next capture can set the format again.
        let mut req = RequestBuffers {
            count: 0,
            type_: BUF_TYPE_VIDEO_CAPTURE,
            memory: MEMORY_MMAP,
            ..zeroed()
        };
        let _ = xioctl(self.fd, VIDIOC_REQBUFS, &mut req);
    }
}

impl CaptureDevice for V4l2Device {
    fn info(&self) -> &DeviceInfo {
        &self.info
    }

    fn capabilities(&self) -> Result<Capabilities, DeviceError> {
        Ok(Capabilities {
            dpis: Vec::new(),
            modes: vec![ColorMode::Color, ColorMode::Gray, ColorMode::BlackWhite],
            sources: vec![Source::Flatbed],
            max_area_mm: None,
            page_sizes: vec![PageSize::A4, PageSize::A3],
        })
    }

    fn capture(&mut self, opts: &CaptureOptions) -> Result<Vec<Page>, DeviceError> {
        let page = self.grab(opts.page_size)?;
        let image = match opts.mode {
            ColorMode::Color => page.image,
            _ => DynamicImage::ImageLuma8(page.image.to_luma8()),
        };
        Ok(vec![Page {
            image,
            dpi: page.dpi,
        }])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ioctl_numbers_match_the_kernel_headers() {
        // Values from <linux/videodev2.h> on x86_64/aarch64.
        #[cfg(target_pointer_width = "64")]
        {
            assert_eq!(std::mem::size_of::<Capability>(), 104);
            assert_eq!(std::mem::size_of::<FmtDesc>(), 64);
            assert_eq!(std::mem::size_of::<FrmSizeEnum>(), 44);
            assert_eq!(std::mem::size_of::<Format>(), 208);
            assert_eq!(std::mem::size_of::<RequestBuffers>(), 20);
            assert_eq!(std::mem::size_of::<Buffer>(), 88);
            assert_eq!(std::mem::offset_of!(Buffer, timestamp), 24);
            assert_eq!(std::mem::offset_of!(Buffer, m), 64);
            assert_eq!(std::mem::offset_of!(Buffer, length), 72);
            assert_eq!(VIDIOC_QUERYCAP, 0x8068_5600);
            assert_eq!(VIDIOC_ENUM_FMT, 0xc040_5602);
            assert_eq!(VIDIOC_S_FMT, 0xc0d0_5605);
            assert_eq!(VIDIOC_REQBUFS, 0xc014_5608);
            assert_eq!(VIDIOC_QUERYBUF, 0xc058_5609);
            assert_eq!(VIDIOC_QBUF, 0xc058_560f);
            assert_eq!(VIDIOC_DQBUF, 0xc058_5611);
            assert_eq!(VIDIOC_STREAMON, 0x4004_5612);
            assert_eq!(VIDIOC_STREAMOFF, 0x4004_5613);
            assert_eq!(VIDIOC_ENUM_FRAMESIZES, 0xc02c_564a);
        }
        assert_eq!(FMT_YUYV, 0x5659_5559);
        assert_eq!(FMT_MJPEG, 0x4750_4a4d);
    }

    #[test]
    fn mjpeg_is_preferred_at_its_largest_size_else_yuyv() {
        let yuyv = Offered {
            fourcc: FMT_YUYV,
            sizes: vec![(640, 480), (3264, 2448)],
        };
        let mjpg = Offered {
            fourcc: FMT_MJPEG,
            sizes: vec![(1920, 1080), (2592, 1944), (1280, 720)],
        };
        let other = Offered {
            fourcc: fourcc(b"NV12"),
            sizes: vec![(4000, 3000)],
        };
        assert_eq!(
            choose_format(&[yuyv.clone(), mjpg, other.clone()]),
            Some((FMT_MJPEG, 2592, 1944))
        );
        assert_eq!(
            choose_format(&[other.clone(), yuyv]),
            Some((FMT_YUYV, 3264, 2448))
        );
        assert_eq!(choose_format(&[other]), None);
        assert_eq!(choose_format(&[]), None);
    }

    #[test]
    fn yuyv_converts_to_rgb_with_bt601() {
        // Two pixels per 4 bytes: black and white (no chroma), then pure red-ish chroma.
        let data = [16, 128, 235, 128, 81, 90, 81, 240];
        let img = yuyv_to_rgb(&data, 2, 2, 4).expect("image");
        assert_eq!(img.get_pixel(0, 0).0, [0, 0, 0]);
        assert_eq!(img.get_pixel(1, 0).0, [255, 255, 255]);
        let red = img.get_pixel(0, 1).0;
        assert!(red[0] > 240 && red[1] < 20 && red[2] < 20, "{red:?}");
        // Row padding (stride) is skipped.
        let padded = [16, 128, 235, 128, 0, 0, 81, 90, 81, 240, 0, 0];
        assert_eq!(yuyv_to_rgb(&padded, 2, 2, 6).expect("image"), img);
        // Short data, odd width or an empty frame are refused.
        assert!(yuyv_to_rgb(&data[..6], 2, 2, 4).is_none());
        assert!(yuyv_to_rgb(&data, 1, 2, 4).is_none());
        assert!(yuyv_to_rgb(&[], 0, 0, 0).is_none());
        assert!(decode_frame(FMT_YUYV, &data[..6], 2, 2, 4).is_err());
        assert!(decode_frame(FMT_MJPEG, b"not a jpeg", 2, 2, 0).is_err());
    }

    #[test]
    fn the_dpi_follows_the_paper_framed() {
        // 3264 px along A4's 297 mm: about 279 dpi; along A3's 420 mm: about 197.
        assert_eq!(frame_dpi(3264, 2448, PageSize::A4), 279);
        assert_eq!(frame_dpi(2448, 3264, PageSize::A3), 197);
    }

    #[test]
    fn an_absent_or_wrong_device_is_refused_at_once_in_chinese() {
        let err = V4l2Device::open("/dev/video-yichuang-absent")
            .err()
            .expect("absent");
        assert!(matches!(err, DeviceError::NotConnected(_)), "{err:?}");
        assert!(err.to_string().contains("设备未连接"), "{err}");
        // /dev/null opens but answers no V4L2 ioctl: not a capture device.
        let err = V4l2Device::open("/dev/null").err().expect("not a camera");
        assert!(matches!(err, DeviceError::NotCapture(_)), "{err:?}");
        assert!(err.to_string().contains("不是视频采集设备"), "{err}");
        // Every listed device is a capture device (none on a machine without a camera).
        assert!(
            list_devices()
                .iter()
                .all(|d| d.id.starts_with("/dev/video"))
        );
    }
}
