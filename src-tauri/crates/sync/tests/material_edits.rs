//! Pages attached or edited after acceptance reach the hub by themselves: each change queues a
//! new 7.2.7 upload of the material's PDF (event code `material:{no}`) and the case records
//! the new `attachguid`. Reorder, rotate and delete, with their refusals.

mod common;

use image::DynamicImage;
use yichuang_core::materials::IncomingFile;
use yichuang_core::model::*;
use yichuang_hub::Interface;
use yichuang_hub::sim::SimConfig;
use yichuang_scan::device::Page;
use yichuang_scan::pipeline::encode_jpeg;

use common::{bounded, intake, start_sim, temp_desk, worker};

/// An A4 page at 300 dpi on a dark bed, as a JPEG file.
fn scanned_a4(seed: u64) -> IncomingFile {
    let page = yichuang_scan::synth::text_page(2480, 3508, seed);
    let on_bed = yichuang_scan::synth::on_bed(&page, 1.0, 40, 30);
    let page = Page {
        image: DynamicImage::ImageLuma8(on_bed),
        dpi: Some(300),
    };
    IncomingFile {
        name: format!("第{seed}页.jpg"),
        bytes: encode_jpeg(&page, 85).unwrap().bytes,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_attached_or_edited_after_acceptance_are_uploaded_again() {
    let (dir, desk, _clock) = temp_desk().await;
    let sim = start_sim(SimConfig::default()).await;
    let mut rng = fastrand::Rng::with_seed(7);
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

    // Accepted with no pages at all; delivered.
    desk.clerk()
        .await
        .unwrap()
        .apply(&no, &CaseAction::Accept)
        .await
        .unwrap();
    let w = worker(&sim, 1);
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!((r.delivered, r.failed), (1, 0), "{r:?}");

    // A page attached after acceptance: a 7.2.7 upload is queued and delivered by itself,
    // byte-identical to the material's PDF, and the case records the attachguid.
    let pages = desk
        .attach_material_files(&no, &m, vec![scanned_a4(1)], PageOutput::Gray)
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!((r.delivered, r.failed), (1, 0), "{r:?}");
    let kinds: Vec<Interface> = sim.received().iter().filter_map(|r| r.interface).collect();
    assert_eq!(kinds, [Interface::PushAccept, Interface::PushFile]);
    let guid1 = desk.get_case(&no).await.unwrap().materials[0]
        .attachguid
        .clone()
        .expect("attachguid recorded");
    assert_eq!(
        sim.file(&guid1).unwrap(),
        desk.material_pdf(&no, &m).await.unwrap()
    );
    // Nothing more to send.
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(r.delivered, 0, "{r:?}");

    // A second page, then edits: each change makes the attachguid stale at once; while an
    // upload is pending, further changes join it (one upload carries them all).
    desk.attach_material_files(&no, &m, vec![scanned_a4(2)], PageOutput::Gray)
        .await
        .unwrap();
    assert!(
        desk.get_case(&no).await.unwrap().materials[0]
            .attachguid
            .is_none()
    );
    let before = desk.material_pages(&no).await.unwrap();
    let (p1, p2) = (before[0].clone(), before[1].clone());
    let pages = desk
        .reorder_material_pages(&no, &m, &[p2.id, p1.id])
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| (p.id, p.ord)).collect::<Vec<_>>(),
        [(p2.id, 1), (p1.id, 2)]
    );
    let pages = desk.rotate_material_page(&no, p1.id, 1).await.unwrap();
    let rotated = pages.iter().find(|p| p.id == p1.id).unwrap();
    assert_eq!(
        (
            rotated.width,
            rotated.height,
            rotated.dpi,
            rotated.paper.as_str()
        ),
        (p1.height, p1.width, p1.dpi, "A4")
    );
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!((r.delivered, r.failed), (1, 0), "{r:?}");
    let guid2 = desk.get_case(&no).await.unwrap().materials[0]
        .attachguid
        .clone()
        .expect("new attachguid");
    assert_ne!(guid1, guid2);
    let pdf = sim.file(&guid2).unwrap();
    assert_eq!(pdf, desk.material_pdf(&no, &m).await.unwrap());
    // The PDF holds the pages in their new order: page 2 first, then page 1 as rotated.
    let first = desk.material_page_jpeg(p2.id).await.unwrap();
    let second = desk.material_page_jpeg(p1.id).await.unwrap();
    let at = |needle: &[u8]| pdf.windows(needle.len()).position(|w| w == needle).unwrap();
    assert!(at(&first) < at(&second));

    // Deleting a page uploads again too; its sealed file is gone.
    let blobs_before = files(&dir.path().join("blobs"));
    let pages = desk.delete_material_page(&no, p2.id).await.unwrap();
    assert_eq!(
        pages.iter().map(|p| (p.id, p.ord)).collect::<Vec<_>>(),
        [(p1.id, 1)]
    );
    let blobs_after = files(&dir.path().join("blobs"));
    assert_eq!(blobs_after + 1, blobs_before);
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!((r.delivered, r.failed), (1, 0), "{r:?}");
    let guid3 = desk.get_case(&no).await.unwrap().materials[0]
        .attachguid
        .clone()
        .unwrap();
    assert_eq!(
        sim.file(&guid3).unwrap(),
        desk.material_pdf(&no, &m).await.unwrap()
    );

    // Refusals: an order that leaves a page out or names another, a page of another case.
    let err = desk.reorder_material_pages(&no, &m, &[]).await.unwrap_err();
    assert!(err.to_string().contains("全部 1 页"), "{err}");
    let err = desk
        .reorder_material_pages(&no, &m, &[p1.id, p2.id])
        .await
        .unwrap_err();
    assert!(
        matches!(err, yichuang_core::CoreError::Validation(_)),
        "{err}"
    );
    let other = desk
        .clerk()
        .await
        .unwrap()
        .receive(&intake(&mut rng))
        .await
        .unwrap()
        .case;
    let err = desk
        .delete_material_page(&other.project_no, p1.id)
        .await
        .unwrap_err();
    assert!(
        matches!(err, yichuang_core::CoreError::NotFound(_)),
        "{err}"
    );
    assert_eq!(desk.material_pages(&no).await.unwrap().len(), 1);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_before_acceptance_queue_nothing_and_settings_are_checked() {
    let (_dir, desk, _clock) = temp_desk().await;
    let mut rng = fastrand::Rng::with_seed(8);
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
    let pages = desk
        .attach_material_files(&no, &m, vec![scanned_a4(3)], PageOutput::Gray)
        .await
        .unwrap();
    desk.rotate_material_page(&no, pages[0].id, 2)
        .await
        .unwrap();
    assert!(desk.outbox_list(None, 100).await.unwrap().is_empty());

    // The capture settings: remembered, and refused with the field named.
    let s = desk.capture_settings().await.unwrap();
    assert_eq!((s.device.as_str(), s.dpi), ("file", 300));
    let err = desk
        .set_capture_settings(&CaptureSettings {
            device: "epson".into(),
            dpi: 100,
            page_size: "B5".into(),
            ..s.clone()
        })
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("扫描设备") && msg.contains("200 至 600") && msg.contains("A4 或 A3"),
        "{msg}"
    );
    let set = CaptureSettings {
        device: "v4l2:/dev/video7".into(),
        dpi: 400,
        mode: PageOutput::Color,
        page_size: "A3".into(),
        adf: false,
        duplex: false,
    };
    desk.set_capture_settings(&set).await.unwrap();
    assert_eq!(desk.capture_settings().await.unwrap(), set);
    // Both sides only through the feeder.
    let err = desk
        .set_capture_settings(&CaptureSettings {
            duplex: true,
            ..set.clone()
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("自动进纸器"), "{err}");
    // A missing camera: a clear Chinese message at once, nothing stored.
    let err = desk.scan_material(&no, &m, None).await.unwrap_err();
    assert!(err.to_string().contains("设备未连接"), "{err}");
    // File import cannot scan.
    let err = desk.scan_material(&no, &m, Some("file")).await.unwrap_err();
    assert!(err.to_string().contains("导入文件"), "{err}");
    assert_eq!(desk.material_pages(&no).await.unwrap().len(), 1);
}

fn files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| if p.is_dir() { files(&p) } else { 1 })
        .sum()
}
