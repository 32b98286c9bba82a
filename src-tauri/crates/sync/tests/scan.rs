//! Scanning into a case from the desk's device, through SANE's `test` backend (libsane1 is
//! installed by `.ci/setup`; without it this test fails with the driver-missing message).
//! libsane reads `SANE_CONFIG_DIR` once, so this file holds a single test.

mod common;

use yichuang_core::model::*;

use common::{intake, temp_desk};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clerk_scans_a_material_from_the_sane_test_device() {
    let cfg = tempfile::tempdir().unwrap();
    std::fs::write(cfg.path().join("dll.conf"), "test\n").unwrap();
    // A bed large enough for A3 (the backend's default is 200 mm square), a grid picture.
    std::fs::write(
        cfg.path().join("test.conf"),
        "number_of_devices 1\ngeometry_max 430.0\ntest-picture \"Grid\"\n",
    )
    .unwrap();
    // SAFETY: the only test of this binary; libsane is not loaded yet.
    unsafe { std::env::set_var("SANE_CONFIG_DIR", cfg.path()) };

    let (_dir, desk, _clock) = temp_desk().await;
    let mut rng = fastrand::Rng::with_seed(11);
    let case = desk
        .clerk()
        .await
        .unwrap()
        .receive(&intake(&mut rng))
        .await
        .unwrap()
        .case;
    let no = case.project_no.clone();
    let m = case.materials[0].no.clone();

    // The settings offer the test scanner with its feeder and paper sizes, and file import.
    let found = desk.capture_devices().await.unwrap();
    assert!(found.problem.is_none(), "{:?}", found.problem);
    let test = found
        .devices
        .iter()
        .find(|d| d.id == "sane:test:0")
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(test.kind, "扫描仪");
    assert!(test.has_adf && test.page_sizes == ["A4", "A3"], "{test:?}");
    // The test backend's sources are Flatbed and Automatic Document Feeder: no duplex.
    assert!(!test.has_duplex, "{test:?}");
    assert!(test.dpis.contains(&300) && test.modes.contains(&PageOutput::Gray));
    assert_eq!(found.devices.last().unwrap().id, "file");

    // Nothing chosen yet: the desk imports files, and 扫描 says so.
    let err = desk.scan_material(&no, &m, None).await.unwrap_err();
    assert!(err.to_string().contains("导入文件"), "{err}");

    let mut s = desk.capture_settings().await.unwrap();
    s.device = "sane:test:0".into();
    s.dpi = 200;
    desk.set_capture_settings(&s).await.unwrap();

    // One flatbed page: A4 at 200 dpi, stored like an imported file.
    let pages = desk.scan_material(&no, &m, None).await.unwrap();
    assert_eq!(pages.len(), 1);
    let p = &pages[0];
    assert_eq!((p.dpi, p.paper.as_str(), p.ord), (200, "A4", 1));
    assert!(
        (1600..=1660).contains(&p.width) && (2300..=2345).contains(&p.height),
        "{p:?}"
    );
    assert_eq!(p.source, "扫描（sane:test:0）");
    let jpeg = desk.material_page_jpeg(p.id).await.unwrap();
    assert_eq!(yichuang_scan::import::jpeg_dpi(&jpeg), Some(200));

    // A3 from the feeder: every page left in it, after the first.
    s.page_size = "A3".into();
    s.adf = true;
    desk.set_capture_settings(&s).await.unwrap();
    let pages = desk.scan_material(&no, &m, None).await.unwrap();
    assert!(pages.len() > 2, "{pages:?}");
    assert!(pages[1..].iter().all(|p| p.paper == "A3"), "{pages:?}");
    assert_eq!(
        pages.iter().map(|p| p.ord).collect::<Vec<_>>(),
        (1..=pages.len() as u32).collect::<Vec<_>>()
    );

    // A device that is not there: a clear message at once, nothing stored.
    let before = desk.material_pages(&no).await.unwrap().len();
    let t = std::time::Instant::now();
    let err = desk
        .scan_material(&no, &m, Some("sane:test:7"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("设备未连接"), "{err}");
    assert!(t.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(desk.material_pages(&no).await.unwrap().len(), before);
    // An unknown material is refused before the device is touched.
    let err = desk.scan_material(&no, "M99", None).await.unwrap_err();
    assert!(err.to_string().contains("M99"), "{err}");
    yichuang_scan::sane::shutdown();
}
