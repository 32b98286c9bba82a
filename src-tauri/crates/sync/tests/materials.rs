//! Scanned materials: attached to a received case, cleaned up and stored sealed; on acceptance
//! each material's pages go to the hub as one PDF through 7.2.7 before the 7.2.2 that names
//! it in `sm_file_attach`. Bad files are refused and nothing is stored.

mod common;

use image::DynamicImage;
use yichuang_core::materials::IncomingFile;
use yichuang_core::model::*;
use yichuang_hub::Interface;
use yichuang_hub::sim::SimConfig;
use yichuang_scan::device::Page;
use yichuang_scan::pipeline::encode_jpeg;

use common::{bounded, intake, start_sim, temp_desk, worker};

/// An A4 page at 300 dpi, tilted 2° on a dark scanner bed, as a JPEG file.
fn scanned_a4(seed: u64) -> Vec<u8> {
    let page = yichuang_scan::synth::text_page(2480, 3508, seed);
    let on_bed = yichuang_scan::synth::on_bed(&page, 2.0, 40, 30);
    let page = Page {
        image: DynamicImage::ImageLuma8(on_bed),
        dpi: Some(300),
    };
    encode_jpeg(&page, 85).unwrap().bytes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scanned_pages_are_stored_sealed_and_reach_the_hub_before_the_acceptance() {
    let (dir, desk, _clock) = temp_desk().await;
    let sim = start_sim(SimConfig::default()).await;
    let mut rng = fastrand::Rng::with_seed(41);
    let case = desk
        .clerk()
        .await
        .unwrap()
        .receive(&intake(&mut rng))
        .await
        .unwrap()
        .case;
    let no = case.project_no.clone();
    let material = case.materials[0].clone();

    // A corrupt file among good ones: refused by name, nothing stored.
    let good = scanned_a4(1);
    let mut broken = good.clone();
    broken.truncate(good.len() / 3);
    let err = desk
        .attach_material_files(
            &no,
            &material.no,
            vec![
                IncomingFile {
                    name: "第1页.jpg".into(),
                    bytes: good.clone(),
                },
                IncomingFile {
                    name: "第2页.jpg".into(),
                    bytes: broken,
                },
            ],
            PageOutput::Gray,
        )
        .await
        .unwrap_err();
    match &err {
        yichuang_core::CoreError::Validation(errors) => {
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(errors[0].field, "files[1]");
            assert!(
                errors[0].message.contains("第2页.jpg"),
                "{}",
                errors[0].message
            );
        }
        other => panic!("expected a validation error, got {other}"),
    }
    assert!(desk.material_pages(&no).await.unwrap().is_empty());
    // A page of the wrong size (a photo at 300 dpi is not A4) is refused with the reason.
    let small = Page {
        image: DynamicImage::ImageLuma8(yichuang_scan::synth::text_page(800, 600, 2)),
        dpi: Some(300),
    };
    let err = desk
        .attach_material_files(
            &no,
            &material.no,
            vec![IncomingFile {
                name: "照片.jpg".into(),
                bytes: encode_jpeg(&small, 85).unwrap().bytes,
            }],
            PageOutput::Gray,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("纸张尺寸"), "{err}");

    // Two good pages.
    let pages = desk
        .attach_material_files(
            &no,
            &material.no,
            vec![
                IncomingFile {
                    name: "第1页.jpg".into(),
                    bytes: good,
                },
                IncomingFile {
                    name: "第2页.jpg".into(),
                    bytes: scanned_a4(3),
                },
            ],
            PageOutput::Gray,
        )
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!((pages[0].ord, pages[1].ord), (1, 2));
    assert!(
        pages.iter().all(|p| p.dpi == 300 && p.paper == "A4"),
        "{pages:?}"
    );
    // Cropped to the page: the dark bed is gone, so the page is about A4 at 300 dpi.
    assert!(
        pages[0].width < 2480 + 120 && pages[0].height < 3508 + 160,
        "{pages:?}"
    );
    // Stored sealed: no file under blobs/ is a JPEG in the clear.
    let jpeg = desk.material_page_jpeg(pages[0].id).await.unwrap();
    assert!(jpeg.starts_with(&[0xFF, 0xD8]));
    let mut blobs = 0;
    for entry in walk(&dir.path().join("blobs")) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !bytes.starts_with(&[0xFF, 0xD8]),
            "a page is stored in the clear"
        );
        assert!(!bytes.windows(16).any(|w| w == &jpeg[..16]));
        blobs += 1;
    }
    assert_eq!(blobs, 2);

    // Accept, then sync: the material's PDF (7.2.7) goes before the 7.2.2 that names it.
    desk.clerk()
        .await
        .unwrap()
        .apply(&no, &CaseAction::Accept)
        .await
        .unwrap();
    let w = worker(&sim, 1);
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!((r.delivered, r.failed, r.dead), (2, 0, 0), "{r:?}");
    let received = sim.received();
    let kinds: Vec<Interface> = received.iter().filter_map(|r| r.interface).collect();
    assert_eq!(kinds, [Interface::PushFile, Interface::PushAccept]);
    let case = desk.get_case(&no).await.unwrap();
    let guid = case.materials[0].attachguid.clone().expect("uploaded");
    let sent = &received[1].plain["params"]["projectlist"][0]["projectinfo"]["materiallist"][0];
    assert_eq!(sent["sm_file_attach"], guid.as_str());
    assert_eq!(
        sent["sm_file_name"],
        format!("{}.pdf", material.sj_file_name).as_str()
    );
    // The hub holds the two pages as one PDF, the stored JPEGs embedded unchanged.
    let pdf = sim.file(&guid).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.windows(jpeg.len()).any(|w| w == jpeg.as_slice()));
    assert_eq!(pdf, desk.material_pdf(&no, &material.no).await.unwrap());
    sim.shutdown().await;
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}
