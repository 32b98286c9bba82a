//! Scans from SANE's `test` backend through libsane. This needs libsane1 (installed by
//! `.ci/setup`); without it the test FAILS with the driver-missing error rather than
//! skipping, so a CI machine that lacks the package is noticed.
//!
//! libsane reads `SANE_CONFIG_DIR` once, so this file holds a single test that sets it up
//! and then runs every check in order.

use std::path::Path;

use yichuang_scan::blob::BlobStore;
use yichuang_scan::checks::{self, CheckFailure, CheckPolicy};
use yichuang_scan::sane::{self, OptionValue, SaneDevice};
use yichuang_scan::{CaptureDevice, CaptureOptions, ColorMode, DeviceError, PageSize, Source};
use yichuang_scan::{import, pdf, pipeline};

/// A SANE configuration directory that enables only the `test` backend. The system's
/// `dll.conf` has `test` commented out; the test backend reads its own `test.conf` from
/// the same directory, so that is written too (two virtual devices, defaults otherwise).
fn sane_config(dir: &Path) {
    std::fs::write(dir.join("dll.conf"), "test\n").expect("write dll.conf");
    std::fs::write(
        dir.join("test.conf"),
        "number_of_devices 2\nmode Gray\ndepth 8\nresolution 50.0\n",
    )
    .expect("write test.conf");
}

#[test]
fn sane_test_backend_scans_at_the_requested_resolution() {
    let cfg = tempfile::tempdir().expect("tempdir");
    sane_config(cfg.path());
    // SAFETY: this test binary runs exactly one test, and nothing else reads the
    // environment concurrently at this point (the SANE worker is not yet started).
    unsafe { std::env::set_var("SANE_CONFIG_DIR", cfg.path()) };

    let devices = match sane::list_devices() {
        Ok(d) => d,
        Err(e @ DeviceError::DriverMissing(_)) => {
            panic!("libsane is required for this test (run .ci/setup): {e}")
        }
        Err(e) => panic!("listing SANE devices failed: {e}"),
    };
    let ids: Vec<&str> = devices.iter().map(|d| d.id.as_str()).collect();
    assert!(ids.contains(&"test:0"), "devices: {ids:?}");

    // A device that does not exist is refused at once, with the Chinese message.
    let t = std::time::Instant::now();
    let err = SaneDevice::open("test:9")
        .err()
        .expect("test:9 must not open");
    assert!(matches!(err, DeviceError::NotConnected(_)), "{err:?}");
    assert!(err.to_string().contains("设备未连接"), "{err}");
    assert!(t.elapsed().as_secs() < 5);

    let mut dev = SaneDevice::open("test:0").expect("open test:0");
    let caps = dev.capabilities().expect("capabilities");
    assert!(caps.modes.contains(&ColorMode::Gray), "{caps:?}");
    assert!(caps.modes.contains(&ColorMode::Color), "{caps:?}");
    assert!(caps.sources.contains(&Source::Adf), "{caps:?}");
    assert!(caps.dpis.contains(&300), "{caps:?}");
    // The test device's bed is 200 mm square: smaller than A4.
    let (max_w, max_h) = caps.max_area_mm.expect("scan area");
    assert!((max_w - 200.0).abs() < 0.01 && (max_h - 200.0).abs() < 0.01);
    assert!(caps.page_sizes.is_empty(), "{caps:?}");

    // Grid picture with reads limited to 1000 bytes: exercises the boolean option (a
    // 4-byte word), many short sane_read calls and the EOF handling.
    dev.set_option("test-picture", OptionValue::Text("Grid".into()))
        .expect("test-picture");
    dev.set_option("read-limit", OptionValue::Bool(true))
        .expect("read-limit");
    dev.set_option("read-limit-size", OptionValue::Number(1000.0))
        .expect("read-limit-size");
    assert_eq!(dev.get_number("read-limit").expect("read back"), 1.0);

    let blobs = tempfile::tempdir().expect("tempdir");
    let store = BlobStore::open(blobs.path()).expect("store");
    for (dpi, mode) in [(100u32, ColorMode::Gray), (150, ColorMode::Color)] {
        let opts = CaptureOptions {
            dpi,
            mode,
            page_size: PageSize::A4,
            source: Source::Flatbed,
        };
        let pages = dev.capture(&opts).expect("capture");
        assert_eq!(pages.len(), 1);
        let page = &pages[0];
        assert_eq!(page.dpi, Some(dpi));
        // Resolution is a SANE_Fixed option on this backend: read back as the DPI asked.
        assert_eq!(
            dev.get_number("resolution").expect("resolution"),
            f64::from(dpi)
        );
        // A4 clipped to the 200 mm bed: 200 mm at `dpi`.
        let expect = (200.0 / 25.4 * f64::from(dpi)) as i64;
        for side in [page.image.width(), page.image.height()] {
            assert!((i64::from(side) - expect).abs() <= 1, "{side} vs {expect}");
        }
        match mode {
            ColorMode::Gray => assert!(page.image.as_luma8().is_some()),
            _ => assert!(page.image.as_rgb8().is_some()),
        }
        // The grid has both black and white squares.
        let g = page.image.to_luma8();
        assert!(g.pixels().any(|p| p.0[0] < 30) && g.pixels().any(|p| p.0[0] > 225));

        // Through the rest of the chain: JPEG keeps the scan's DPI, the checks refuse a
        // 200 mm square page (and 100/150 dpi) with the reasons, the PDF and the store
        // take it as it is.
        let jpeg = pipeline::encode_jpeg(page, 75).expect("jpeg");
        assert_eq!(import::jpeg_dpi(&jpeg.bytes), Some(dpi));
        let refused = checks::check_page(&jpeg, &CheckPolicy::default()).expect_err("200 mm");
        assert!(
            refused
                .0
                .iter()
                .any(|f| matches!(f, CheckFailure::WrongSize { .. })),
            "{refused}"
        );
        assert!(refused.0.contains(&CheckFailure::LowDpi { dpi, min: 200 }));
        assert!(refused.to_string().contains("不是 A4 或 A3"), "{refused}");
        let pdf = pdf::write_pdf(std::slice::from_ref(&jpeg)).expect("pdf");
        assert!(pdf.windows(jpeg.bytes.len()).any(|w| w == &jpeg.bytes[..]));
        let info = store.put(&jpeg.bytes).expect("store");
        assert_eq!(
            (info.width, info.height, info.dpi),
            (Some(jpeg.width), Some(jpeg.height), Some(dpi))
        );
    }

    // The test device's feeder is "empty" after 10 scans in all, counting the two flatbed
    // scans above: one ADF run yields the remaining 8 pages.
    let adf = CaptureOptions {
        dpi: 50,
        mode: ColorMode::Gray,
        page_size: PageSize::A4,
        source: Source::Adf,
    };
    let pages = dev.capture(&adf).expect("ADF capture");
    assert_eq!(pages.len(), 8);
    assert!(pages.iter().all(|p| p.dpi == Some(50)));

    // Device failures reported by sane_read map to typed errors with Chinese messages.
    dev.set_option("enable-test-options", OptionValue::Bool(true))
        .expect("enable-test-options");
    let opts = CaptureOptions {
        dpi: 50,
        mode: ColorMode::Gray,
        ..CaptureOptions::default()
    };
    for (status, want) in [
        ("SANE_STATUS_JAMMED", "卡纸"),
        ("SANE_STATUS_NO_DOCS", "没有纸"),
        ("SANE_STATUS_IO_ERROR", "通信错误"),
    ] {
        dev.set_option("read-return-value", OptionValue::Text(status.into()))
            .expect("read-return-value");
        let err = dev.capture(&opts).expect_err(status);
        assert!(err.to_string().contains(want), "{status}: {err}");
    }
    dev.set_option("read-return-value", OptionValue::Text("Default".into()))
        .expect("read-return-value");
    assert_eq!(dev.capture(&opts).expect("capture after errors").len(), 1);

    // A device that stops delivering data gives a timeout, not a hang: 200 ms of delay
    // per 1000-byte read makes this scan take minutes; the capture gives up after 2 s.
    dev.set_option("read-delay", OptionValue::Bool(true))
        .expect("read-delay");
    dev.set_option("read-delay-duration", OptionValue::Number(200_000.0))
        .expect("read-delay-duration");
    dev.capture_timeout = std::time::Duration::from_secs(2);
    let t = std::time::Instant::now();
    let opts = CaptureOptions {
        dpi: 300,
        mode: ColorMode::Gray,
        ..CaptureOptions::default()
    };
    let err = dev.capture(&opts).expect_err("slow device");
    assert!(matches!(err, DeviceError::Timeout(_)), "{err:?}");
    assert!(err.to_string().contains("超时"), "{err}");
    assert!(
        t.elapsed() < std::time::Duration::from_secs(4),
        "{:?}",
        t.elapsed()
    );

    drop(dev);
    sane::shutdown();
}
