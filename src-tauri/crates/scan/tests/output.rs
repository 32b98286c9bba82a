//! Checks, JPEG-only PDF assembly (verified with qpdf and poppler's pdfimages) and the
//! content-addressed store.

use std::process::Command;

use image::{DynamicImage, RgbImage};
use yichuang_scan::blob::{BlobError, BlobStore};
use yichuang_scan::checks::{self, CheckFailure, CheckPolicy};
use yichuang_scan::import::{self, ImportError, ImportLimits};
use yichuang_scan::pdf::{self, PdfError};
use yichuang_scan::pipeline::{self, EncodedPage};
use yichuang_scan::{Page, PageSize, synth};

fn gray_page(w: u32, h: u32, dpi: u32) -> EncodedPage {
    let page = Page {
        image: DynamicImage::ImageLuma8(synth::text_page(w, h, 11)),
        dpi: Some(dpi),
    };
    pipeline::encode_jpeg(&page, 70).expect("jpeg")
}

fn rgb_page(w: u32, h: u32, dpi: u32) -> EncodedPage {
    let img = RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let page = Page {
        image: DynamicImage::ImageRgb8(img),
        dpi: Some(dpi),
    };
    pipeline::encode_jpeg(&page, 80).expect("jpeg")
}

/// A page of the given size for the checks (the pixels themselves are not read).
fn sized(width: u32, height: u32, dpi: Option<u32>) -> EncodedPage {
    EncodedPage {
        bytes: gray_page(8, 8, 72).bytes,
        width,
        height,
        dpi,
    }
}

#[test]
fn a4_and_a3_at_enough_resolution_pass() {
    let policy = CheckPolicy::default();
    assert_eq!(
        checks::check_page(&sized(1654, 2339, Some(200)), &policy),
        Ok(PageSize::A4)
    );
    assert_eq!(
        checks::check_page(&sized(2480, 3508, Some(300)), &policy),
        Ok(PageSize::A4)
    );
    // A3 lying sideways, a few millimetres short after cropping.
    assert_eq!(
        checks::check_page(&sized(4900, 3480, Some(300)), &policy),
        Ok(PageSize::A3)
    );
}

#[test]
fn low_resolution_wrong_size_and_no_dpi_are_refused_with_reasons() {
    let policy = CheckPolicy::default();
    let err = checks::check_page(&sized(1240, 1754, Some(150)), &policy).expect_err("150 dpi");
    assert_eq!(err.0, vec![CheckFailure::LowDpi { dpi: 150, min: 200 }]);
    assert!(
        err.to_string().contains("150 dpi 低于要求的 200 dpi"),
        "{err}"
    );

    // A5 (148×210 mm) at 300 dpi.
    let err = checks::check_page(&sized(1748, 2480, Some(300)), &policy).expect_err("A5");
    assert!(
        matches!(err.0[..], [CheckFailure::WrongSize { .. }]),
        "{err:?}"
    );
    assert!(err.to_string().contains("不是 A4 或 A3"), "{err}");

    let err = checks::check_page(&sized(2480, 3508, None), &policy).expect_err("no dpi");
    assert_eq!(err.0, vec![CheckFailure::NoDpi]);

    // The minimum is configurable.
    let strict = CheckPolicy {
        min_dpi: 300,
        ..CheckPolicy::default()
    };
    assert!(checks::check_page(&sized(1654, 2339, Some(200)), &strict).is_err());
}

#[test]
fn a_page_that_is_not_jpeg_is_refused_by_format() {
    let png = {
        let mut c = std::io::Cursor::new(Vec::new());
        DynamicImage::ImageLuma8(synth::text_page(8, 8, 1))
            .write_to(&mut c, image::ImageFormat::Png)
            .expect("png");
        c.into_inner()
    };
    let page = EncodedPage {
        bytes: png,
        width: 2480,
        height: 3508,
        dpi: Some(300),
    };
    let err = checks::check_page(&page, &CheckPolicy::default()).expect_err("png");
    assert!(matches!(&err.0[..], [CheckFailure::WrongFormat { found, .. }] if found == "PNG"));
    assert!(err.to_string().contains("要求 JPEG"), "{err}");
}

fn tool(name: &str) -> &str {
    let ok = Command::new(name).arg("--version").output().is_ok()
        || Command::new(name).arg("-v").output().is_ok();
    assert!(
        ok,
        "{name} is required for this test (installed by .ci/setup)"
    );
    name
}

#[test]
fn the_pdf_embeds_each_jpeg_unchanged_and_checks_clean() {
    let pages = vec![
        gray_page(620, 877, 75),
        rgb_page(300, 212, 50),
        gray_page(827, 1169, 100),
    ];
    let pdf = pdf::write_pdf(&pages).expect("pdf");
    for p in &pages {
        // Each JPEG is in the file byte for byte, exactly once, with its length.
        let at: Vec<usize> = pdf
            .windows(p.bytes.len())
            .enumerate()
            .filter(|(_, w)| *w == &p.bytes[..])
            .map(|(i, _)| i)
            .collect();
        assert_eq!(at.len(), 1);
        let head = String::from_utf8_lossy(&pdf[at[0].saturating_sub(200)..at[0]]);
        assert!(head.contains(&format!("/Filter /DCTDecode /Length {} >>", p.bytes.len())));
    }

    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("out.pdf");
    std::fs::write(&path, &pdf).expect("write");

    let check = Command::new(tool("qpdf"))
        .arg("--check")
        .arg(&path)
        .output()
        .expect("qpdf");
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "qpdf --check: {text}");
    assert!(
        text.contains("No syntax or stream encoding errors"),
        "{text}"
    );

    let list = Command::new(tool("pdfimages"))
        .arg("-list")
        .arg(&path)
        .output()
        .expect("pdfimages");
    assert!(list.status.success());
    let text = String::from_utf8_lossy(&list.stdout);
    // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 3, "{text}");
    for (row, (page, (color, dpi))) in
        rows.iter()
            .zip(pages.iter().zip([("gray", 75), ("rgb", 50), ("gray", 100)]))
    {
        assert_eq!(row[3], page.width.to_string(), "{text}");
        assert_eq!(row[4], page.height.to_string(), "{text}");
        assert_eq!(row[5], color, "{text}");
        assert_eq!(row[8], "jpeg", "{text}");
        assert_eq!(row[12], dpi.to_string(), "{text}");
    }

    // poppler's own extraction of the DCT streams gives back the input bytes.
    let status = Command::new("pdfimages")
        .args(["-j"])
        .arg(&path)
        .arg(dir.path().join("img"))
        .status()
        .expect("pdfimages -j");
    assert!(status.success());
    for (k, p) in pages.iter().enumerate() {
        let got = std::fs::read(dir.path().join(format!("img-{k:03}.jpg"))).expect("extracted");
        assert!(got == p.bytes, "page {k} differs after extraction");
    }
}

#[test]
fn a_pdf_made_here_imports_back_page_for_page() {
    let pages = vec![gray_page(620, 877, 75), rgb_page(300, 212, 50)];
    let pdf = pdf::write_pdf(&pages).expect("pdf");
    let back = import::import_bytes("材料.pdf", &pdf, &ImportLimits::default()).expect("import");
    assert_eq!(back.len(), 2);
    assert_eq!(
        (back[0].image.width(), back[0].image.height(), back[0].dpi),
        (620, 877, Some(75))
    );
    assert_eq!(
        (back[1].image.width(), back[1].image.height(), back[1].dpi),
        (300, 212, Some(50))
    );
    assert!(back[1].image.as_rgb8().is_some());
}

#[test]
fn pdfs_that_are_not_plain_jpeg_scans_are_refused_with_the_reason() {
    let limits = ImportLimits::default();
    let refused = |name: &str, bytes: &[u8]| match import::import_bytes(name, bytes, &limits) {
        Ok(p) => panic!("{name}: imported {} page(s)", p.len()),
        Err(e) => e,
    };
    // A text-only page: no image at all.
    let text = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n\
2 0 obj\n<< /Type /Pages /Count 1 /Kids [3 0 R] >>\nendobj\n\
3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n\
4 0 obj\n<< /Length 30 >>\nstream\nBT /F1 12 Tf (Hello) Tj ET   \nendstream\nendobj\n%%EOF\n";
    let err = refused("text.pdf", text);
    assert!(matches!(err, ImportError::PdfUnsupported { .. }), "{err:?}");
    assert!(
        err.to_string().contains("text.pdf") && err.to_string().contains("1 页、0 张"),
        "{err}"
    );

    // An image compressed with Flate instead of DCT.
    let flate = String::from_utf8_lossy(text).replace(
        "4 0 obj\n<< /Length 30 >>",
        "5 0 obj\n<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /Filter /FlateDecode /Length 3 >>\nstream\nabc\nendstream\nendobj\n4 0 obj\n<< /Length 30 >>",
    );
    let err = refused("flate.pdf", flate.as_bytes());
    assert!(err.to_string().contains("不是 JPEG"), "{err}");

    // Encrypted.
    let enc = [&text[..], b"trailer << /Encrypt 9 0 R >>\n"].concat();
    assert!(refused("enc.pdf", &enc).to_string().contains("已加密"));

    // A scanned PDF cut short inside its image data.
    let good = pdf::write_pdf(&[gray_page(200, 280, 30)]).expect("pdf");
    let cut = &good[..good.len() * 2 / 3];
    let err = refused("cut.pdf", cut);
    assert!(matches!(err, ImportError::Corrupt { .. }), "{err:?}");
}

#[test]
fn the_pdf_writer_refuses_pages_it_cannot_place() {
    assert!(matches!(pdf::write_pdf(&[]), Err(PdfError::NoPages)));
    let mut p = gray_page(50, 70, 10);
    p.dpi = None;
    // The JFIF header still says 10 dpi: that is used.
    assert!(pdf::write_pdf(std::slice::from_ref(&p)).is_ok());
    let mut bare = p.clone();
    // Without JFIF density (units 0) and without a DPI, the page size is unknown.
    let jfif = bare
        .bytes
        .windows(5)
        .position(|w| w == b"JFIF\0")
        .expect("JFIF");
    bare.bytes[jfif + 7] = 0;
    assert!(matches!(pdf::write_pdf(&[bare]), Err(PdfError::NoDpi(1))));
    let png_like = EncodedPage {
        bytes: b"\x89PNG\r\n\x1a\n".to_vec(),
        ..p
    };
    assert!(matches!(
        pdf::write_pdf(&[png_like]),
        Err(PdfError::NotJpeg(1))
    ));
}

#[test]
fn blobs_are_stored_once_under_their_sha256_atomically() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = BlobStore::open(dir.path().join("blobs")).expect("open");
    let page = gray_page(300, 424, 36);
    let a = store.put(&page.bytes).expect("put");
    assert_eq!(a.hash.len(), 64);
    assert_eq!(a.hash, yichuang_scan::blob::sha256_hex(&page.bytes));
    assert!(a.created);
    assert_eq!(
        (a.size, a.mime.as_str(), a.width, a.height, a.dpi),
        (
            page.bytes.len() as u64,
            "image/jpeg",
            Some(300),
            Some(424),
            Some(36)
        )
    );
    // Sharded: blobs/ab/cd/abcd…
    let path = store.path(&a.hash).expect("path");
    assert_eq!(
        path,
        dir.path()
            .join("blobs")
            .join(&a.hash[..2])
            .join(&a.hash[2..4])
            .join(&a.hash)
    );
    assert_eq!(std::fs::read(&path).expect("read"), page.bytes);

    let b = store.put(&page.bytes).expect("put again");
    assert_eq!(b.hash, a.hash);
    assert!(!b.created);
    // One file in the shard, no temporary files left behind.
    let names: Vec<_> = std::fs::read_dir(path.parent().expect("shard"))
        .expect("ls")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from(&a.hash)]);

    assert_eq!(store.get(&a.hash).expect("get"), page.bytes);
    assert!(store.contains(&a.hash));

    // A damaged file is noticed on reading.
    let mut damaged = page.bytes.clone();
    damaged[100] ^= 0xFF;
    std::fs::write(&path, &damaged).expect("tamper");
    assert!(matches!(store.get(&a.hash), Err(BlobError::Damaged(_))));

    // Names that are not hashes never reach the file system.
    for bad in ["../../etc/passwd", "ABC", &"g".repeat(64)] {
        assert!(
            matches!(store.path(bad), Err(BlobError::BadHash(_))),
            "{bad}"
        );
    }
    assert!(matches!(
        store.get(&"0".repeat(64)),
        Err(BlobError::NotFound(_))
    ));
}
