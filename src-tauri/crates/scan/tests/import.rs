//! File import: type by magic bytes, DPI from headers, and refusal of bad input.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, RgbImage};
use yichuang_scan::import::{self, FileKind, ImportError, ImportLimits};
use yichuang_scan::pipeline;
use yichuang_scan::{Page, synth};

/// The error of an import that must fail (without printing the pixels if it did not).
fn refused(name: &str, bytes: &[u8], limits: &ImportLimits) -> ImportError {
    match import::import_bytes(name, bytes, limits) {
        Ok(pages) => panic!(
            "{name}: imported {} page(s) but must be refused",
            pages.len()
        ),
        Err(e) => e,
    }
}

fn sample() -> DynamicImage {
    DynamicImage::ImageLuma8(synth::text_page(300, 420, 5))
}

fn encode(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut c = Cursor::new(Vec::new());
    img.write_to(&mut c, format).expect("encode");
    c.into_inner()
}

/// A PNG with a pHYs chunk saying `dpi`, inserted before the first IDAT.
fn png_with_dpi(img: &DynamicImage, dpi: u32) -> Vec<u8> {
    let png = encode(img, ImageFormat::Png);
    let ppm = (f64::from(dpi) / 0.0254).round() as u32;
    let mut data = Vec::new();
    data.extend_from_slice(&ppm.to_be_bytes());
    data.extend_from_slice(&ppm.to_be_bytes());
    data.push(1);
    let mut chunk = Vec::new();
    chunk.extend_from_slice(&9u32.to_be_bytes());
    chunk.extend_from_slice(b"pHYs");
    chunk.extend_from_slice(&data);
    chunk.extend_from_slice(&crc32(&chunk[4..]).to_be_bytes());
    // Signature (8) + IHDR (4 + 4 + 13 + 4).
    let at = 8 + 25;
    let mut out = png[..at].to_vec();
    out.extend_from_slice(&chunk);
    out.extend_from_slice(&png[at..]);
    out
}

fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    c.extend_from_slice(&crc32(&c[4..]).to_be_bytes());
    c
}

/// Signature, IHDR for an 8-bit grey image of the given size, a stub IDAT, IEND.
fn png_header_only(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(
        b"IDAT",
        &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    png.extend(chunk(b"IEND", &[]));
    png
}

fn crc32(b: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for byte in b {
        c ^= u32::from(*byte);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

#[test]
fn jpeg_png_and_tiff_are_recognised_by_content_not_name() {
    let img = sample();
    let jpeg = pipeline::encode_jpeg(
        &Page {
            image: img.clone(),
            dpi: Some(200),
        },
        85,
    )
    .expect("jpeg")
    .bytes;
    let png = png_with_dpi(&img, 300);
    let tiff = encode(&img, ImageFormat::Tiff);
    let dir = tempfile::tempdir().expect("tempdir");
    // Misleading extensions on purpose.
    for (name, bytes, kind, dpi) in [
        ("a.png", &jpeg, FileKind::Jpeg, Some(200)),
        ("b.jpg", &png, FileKind::Png, Some(300)),
        ("c.pdf", &tiff, FileKind::Tiff, None),
    ] {
        assert_eq!(import::detect(bytes), Some(kind));
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let pages = import::import_file(&path, &ImportLimits::default()).expect(name);
        assert_eq!(pages.len(), 1);
        assert_eq!(
            (pages[0].image.width(), pages[0].image.height()),
            (300, 420)
        );
        assert_eq!(pages[0].dpi, dpi, "{name}");
    }
}

#[test]
fn tiff_resolution_is_read_from_its_tags() {
    // Little-endian TIFF, 2×1 grey, XResolution 300/1 per inch.
    let mut t = Vec::new();
    t.extend_from_slice(b"II*\0");
    t.extend_from_slice(&8u32.to_le_bytes());
    let entries: [(u16, u16, u32, u32); 9] = [
        (256, 3, 1, 2),   // width
        (257, 3, 1, 1),   // height
        (258, 3, 1, 8),   // bits per sample
        (259, 3, 1, 1),   // no compression
        (262, 3, 1, 1),   // black is zero
        (273, 4, 1, 200), // strip offset
        (278, 3, 1, 1),   // rows per strip
        (279, 4, 1, 2),   // strip byte count
        (282, 5, 1, 140), // XResolution at offset 140
    ];
    t.extend_from_slice(&(entries.len() as u16 + 1).to_le_bytes());
    for (tag, ty, n, v) in entries {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&ty.to_le_bytes());
        t.extend_from_slice(&n.to_le_bytes());
        t.extend_from_slice(&v.to_le_bytes());
    }
    // ResolutionUnit = inch.
    t.extend_from_slice(&296u16.to_le_bytes());
    t.extend_from_slice(&3u16.to_le_bytes());
    t.extend_from_slice(&1u32.to_le_bytes());
    t.extend_from_slice(&2u32.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    t.resize(140, 0);
    t.extend_from_slice(&300u32.to_le_bytes());
    t.extend_from_slice(&1u32.to_le_bytes());
    t.resize(200, 0);
    t.extend_from_slice(&[0, 255]);
    assert_eq!(import::tiff_dpi(&t), Some(300));
    let pages = import::import_bytes("t.tif", &t, &ImportLimits::default()).expect("tiff");
    assert_eq!(pages[0].dpi, Some(300));
    assert_eq!(pages[0].image.to_luma8().as_raw(), &vec![0u8, 255]);
}

#[test]
fn an_oversized_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.jpg");
    std::fs::write(&path, vec![0u8; 5000]).expect("write");
    let limits = ImportLimits {
        max_bytes: 4096,
        ..ImportLimits::default()
    };
    let Err(err) = import::import_file(&path, &limits) else {
        panic!("a file over the limit was imported");
    };
    assert!(
        matches!(
            err,
            ImportError::TooLarge {
                size: 5000,
                max: 4096,
                ..
            }
        ),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(msg.contains("big.jpg") && msg.contains("过大"), "{msg}");
}

#[test]
fn a_decompression_bomb_is_refused_by_its_dimensions() {
    // A PNG header claiming 20000×20000 pixels (400 MB decoded) in a file of ~70 bytes.
    let png = png_header_only(20_000, 20_000);
    assert!(png.len() < 100);
    let t = std::time::Instant::now();
    let err = refused("bomb.png", &png, &ImportLimits::default());
    assert!(
        matches!(
            err,
            ImportError::TooManyPixels {
                width: 20_000,
                height: 20_000,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("bomb.png"));
    assert!(t.elapsed().as_secs() < 5);
    // The allocation bound catches what fits the dimensions but not the memory.
    let small = encode(
        &DynamicImage::ImageRgb8(RgbImage::new(600, 600)),
        ImageFormat::Png,
    );
    let tight = ImportLimits {
        max_alloc: 100_000,
        ..ImportLimits::default()
    };
    let err = refused("wide.png", &small, &tight);
    assert!(matches!(err, ImportError::TooManyPixels { .. }), "{err:?}");
}

#[test]
fn truncated_and_corrupt_files_are_refused_not_panicking() {
    let img = sample();
    let jpeg = encode(&img, ImageFormat::Jpeg);
    let png = encode(&img, ImageFormat::Png);
    let tiff = encode(&img, ImageFormat::Tiff);
    for (name, bytes) in [("j.jpg", &jpeg), ("p.png", &png), ("t.tif", &tiff)] {
        for cut in [bytes.len() / 2, 40, 12] {
            let err = refused(name, &bytes[..cut], &ImportLimits::default());
            assert!(
                matches!(err, ImportError::Corrupt { .. }),
                "{name} at {cut}: {err:?}"
            );
            assert!(err.to_string().contains(name) && err.to_string().contains("损坏"));
        }
    }
    // Garbage after a PNG signature.
    let mut junk = b"\x89PNG\r\n\x1a\n".to_vec();
    junk.extend((0..500u32).map(|i| (i * 37 % 251) as u8));
    let err = refused("junk.png", &junk, &ImportLimits::default());
    assert!(matches!(err, ImportError::Corrupt { .. }), "{err:?}");
}

#[test]
fn other_file_types_are_refused_with_the_supported_list() {
    for (name, bytes) in [
        ("doc.jpg", &b"PK\x03\x04 a zip or docx"[..]),
        ("note.png", b"hello, world"),
        ("empty.tif", b""),
        ("gif.png", b"GIF89a\x01\x00\x01\x00"),
    ] {
        let err = refused(name, bytes, &ImportLimits::default());
        assert!(
            matches!(err, ImportError::UnsupportedType { .. }),
            "{err:?}"
        );
        let msg = err.to_string();
        assert!(msg.contains(name) && msg.contains("JPEG"), "{msg}");
    }
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let Err(err) = import::import_file(
        std::path::Path::new("does-not-exist-材料.jpg"),
        &ImportLimits::default(),
    ) else {
        panic!("a missing file was imported");
    };
    assert!(matches!(err, ImportError::Io { .. }));
    assert!(err.to_string().contains("does-not-exist-材料.jpg"));
}

#[test]
fn damaged_files_never_panic_or_hang() {
    // Deterministic damage: flipped bytes, cut tails and zeroed runs in every format.
    let img = sample();
    let jpeg = encode(&img, ImageFormat::Jpeg);
    let png = encode(&img, ImageFormat::Png);
    let tiff = encode(&img, ImageFormat::Tiff);
    let pdf = yichuang_scan::pdf::write_pdf(&[pipeline::encode_jpeg(
        &Page {
            image: img.clone(),
            dpi: Some(36),
        },
        60,
    )
    .expect("jpeg")])
    .expect("pdf");
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let limits = ImportLimits::default();
    let t = std::time::Instant::now();
    let mut refused = 0;
    for (name, good) in [
        ("j.jpg", &jpeg),
        ("p.png", &png),
        ("t.tif", &tiff),
        ("d.pdf", &pdf),
    ] {
        for round in 0..40 {
            let mut bad = good.clone();
            let at = (next() % bad.len() as u64) as usize;
            match round % 3 {
                0 => {
                    for _ in 0..4 {
                        let i = (next() % bad.len() as u64) as usize;
                        bad[i] ^= (next() % 255 + 1) as u8;
                    }
                }
                1 => bad.truncate(at.max(1)),
                _ => {
                    let end = (at + 64).min(bad.len());
                    bad[at..end].iter_mut().for_each(|b| *b = 0);
                }
            }
            // Either it decodes to some page or it is refused with a typed error.
            match import::import_bytes(name, &bad, &limits) {
                Ok(pages) => assert!(!pages.is_empty()),
                Err(e) => {
                    refused += 1;
                    assert!(e.to_string().contains(name), "{e}");
                }
            }
        }
    }
    assert!(
        refused > 40,
        "only {refused} of 160 damaged files were refused"
    );
    assert!(t.elapsed().as_secs() < 60, "{:?}", t.elapsed());
}
