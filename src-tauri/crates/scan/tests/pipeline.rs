//! The page pipeline on synthetic A4 pages laid tilted on a dark scanner bed.

use image::{DynamicImage, GrayImage};
use yichuang_scan::Page;
use yichuang_scan::pipeline::{self, CleanupOptions, OutputMode};
use yichuang_scan::synth;

/// A4 at 150 dpi keeps the debug-build tests quick; the benchmark uses 300 dpi.
const W: u32 = 1240;
const H: u32 = 1754;

/// Slope of the page's ruled line in degrees, measured independently of the deskew
/// estimator: the centre of darkness of two columns 40% of the width apart, searched
/// in the band where the rule lies (the text starts below it).
fn rule_angle(g: &GrayImage) -> f64 {
    let (w, h) = g.dimensions();
    let centre = |x: u32| -> f64 {
        let (mut sum, mut weight) = (0f64, 0f64);
        for y in h * 2 / 100..h * 10 / 100 {
            let dark = 255.0 - f64::from(g.get_pixel(x, y).0[0]);
            if dark > 100.0 {
                sum += dark * f64::from(y);
                weight += dark;
            }
        }
        assert!(weight > 0.0, "no rule found in column {x}");
        sum / weight
    };
    let (x1, x2) = (w * 3 / 10, w * 7 / 10);
    (centre(x2) - centre(x1))
        .atan2(f64::from(x2 - x1))
        .to_degrees()
}

fn tilted(deg: f32) -> Page {
    let page = synth::text_page(W, H, 7);
    Page {
        image: DynamicImage::ImageLuma8(synth::on_bed(&page, deg, 60, 25)),
        dpi: Some(150),
    }
}

#[test]
fn deskew_leaves_under_half_a_degree_at_3_and_7_degrees() {
    for deg in [3.0f32, 7.0, -5.0] {
        let input = tilted(deg);
        let (out, report) = pipeline::clean(&input, &CleanupOptions::default()).expect("clean");
        assert!(
            (report.skew_deg - deg).abs() < 0.5,
            "estimated {} for {deg}",
            report.skew_deg
        );
        let g = out.image.to_luma8();
        let residual = rule_angle(&g);
        assert!(residual.abs() < 0.5, "tilt {deg}: residual {residual:.3}°");
        assert_eq!(out.dpi, Some(150));
    }
}

#[test]
fn the_rule_measure_sees_a_tilt() {
    // The residual measure above is not blind: on a page tilted 3° on white paper (no
    // bed, no clean-up) it reads 3°.
    let page = synth::text_page(W, H, 7);
    let tilted = synth::on_bed(&page, 3.0, 0, 250);
    let a = rule_angle(&tilted);
    assert!((a - 3.0).abs() < 0.2, "{a}");
}

#[test]
fn the_page_is_cropped_from_the_dark_bed() {
    let input = tilted(3.0);
    let (out, report) = pipeline::clean(&input, &CleanupOptions::default()).expect("clean");
    assert!(report.crop.is_some());
    let (w, h) = (out.image.width(), out.image.height());
    // Within 2% of the sheet: the bed and the rotation's corners are gone.
    assert!(
        (f64::from(w) / f64::from(W) - 1.0).abs() < 0.02,
        "width {w}"
    );
    assert!(
        (f64::from(h) / f64::from(H) - 1.0).abs() < 0.02,
        "height {h}"
    );
    // No dark bed left along the edges: the border rows are mostly paper.
    let g = out.image.to_luma8();
    for (x, y) in [(w / 2, 2), (w / 2, h - 3), (2, h / 2), (w - 3, h / 2)] {
        assert!(g.get_pixel(x, y).0[0] > 200, "dark at {x},{y}");
    }
}

#[test]
fn a_straight_page_on_white_is_left_alone() {
    let page = synth::text_page(W, H, 3);
    let input = Page {
        image: DynamicImage::ImageLuma8(page.clone()),
        dpi: Some(150),
    };
    let (out, report) = pipeline::clean(&input, &CleanupOptions::default()).expect("clean");
    assert!(report.skew_deg.abs() < 0.1, "{}", report.skew_deg);
    assert!(report.crop.is_none());
    assert_eq!(out.image.to_luma8(), page);
}

#[test]
fn black_and_white_output_has_only_two_levels() {
    let opts = CleanupOptions {
        output: OutputMode::BlackWhite,
        ..CleanupOptions::default()
    };
    let (out, _) = pipeline::clean(&tilted(2.0), &opts).expect("clean");
    let g = out.image.to_luma8();
    assert!(g.pixels().all(|p| p.0[0] == 0 || p.0[0] == 255));
    let black = g.pixels().filter(|p| p.0[0] == 0).count();
    // Text covers a modest share of the page: neither blank nor flooded.
    let share = black as f64 / (g.width() * g.height()) as f64;
    assert!(share > 0.05 && share < 0.6, "{share}");
}

#[test]
fn colour_output_stays_colour_and_grey_output_is_grey() {
    let rgb = DynamicImage::ImageRgb8(tilted(4.0).image.to_rgb8());
    let page = Page {
        image: rgb,
        dpi: Some(150),
    };
    let color = CleanupOptions {
        output: OutputMode::Color,
        ..CleanupOptions::default()
    };
    let (c, rep) = pipeline::clean(&page, &color).expect("colour");
    assert!(c.image.as_rgb8().is_some());
    assert!((rep.skew_deg - 4.0).abs() < 0.5);
    let (g, _) = pipeline::clean(&page, &CleanupOptions::default()).expect("grey");
    assert!(g.image.as_luma8().is_some());
}

#[test]
fn jpeg_keeps_the_dpi_and_quality_changes_size() {
    let (page, _) = pipeline::clean(&tilted(1.0), &CleanupOptions::default()).expect("clean");
    let hi = pipeline::encode_jpeg(&page, 90).expect("q90");
    let lo = pipeline::encode_jpeg(&page, 40).expect("q40");
    assert!(hi.bytes.starts_with(&[0xFF, 0xD8]));
    // A grey page is a one-channel JPEG.
    assert_eq!(
        yichuang_scan::pdf::jpeg_frame(&hi.bytes),
        Some((hi.width, hi.height, 1))
    );
    assert!(lo.bytes.len() < hi.bytes.len());
    assert_eq!(yichuang_scan::import::jpeg_dpi(&hi.bytes), Some(150));
    let back = image::load_from_memory(&hi.bytes).expect("decode");
    assert_eq!((back.width(), back.height()), (hi.width, hi.height));
    assert_eq!(
        (hi.width, hi.height),
        (page.image.width(), page.image.height())
    );
}

#[test]
fn otsu_splits_two_levels() {
    let mut hist = [0u64; 256];
    hist[30] = 1000;
    hist[220] = 3000;
    let t = pipeline::otsu(&hist);
    assert!((30..220).contains(&t), "{t}");
}

#[test]
fn tiny_and_empty_images_do_not_panic() {
    let empty = Page {
        image: DynamicImage::new_luma8(0, 0),
        dpi: Some(300),
    };
    assert!(matches!(
        pipeline::clean(&empty, &CleanupOptions::default()),
        Err(pipeline::PipelineError::Empty)
    ));
    for (w, h) in [(1, 1), (1, 50), (3, 3), (40, 2)] {
        let page = Page {
            image: DynamicImage::ImageLuma8(GrayImage::from_fn(w, h, |x, y| {
                image::Luma([((x * 90 + y * 50) % 256) as u8])
            })),
            dpi: None,
        };
        let (out, _) = pipeline::clean(&page, &CleanupOptions::default()).expect("clean");
        assert!(out.image.width() >= 1 && out.image.height() >= 1);
        assert!(pipeline::encode_jpeg(&out, 75).is_ok());
    }
    // A buffer shorter than its stated size comes back unchanged.
    let (data, w, h) = pipeline::rotate(&[1, 2, 3], 10, 10, 1, 5.0, &[]);
    assert_eq!((data, w, h), (vec![1, 2, 3], 10, 10));
}

#[test]
fn an_a3_page_is_straightened_cropped_and_passes_the_a3_check() {
    // A3 at 100 dpi: 1169×1654, tilted 4° on the bed.
    let sheet = synth::text_page(1169, 1654, 21);
    let input = Page {
        image: DynamicImage::ImageLuma8(synth::on_bed(&sheet, 4.0, 40, 20)),
        dpi: Some(100),
    };
    let (out, report) = pipeline::clean(&input, &CleanupOptions::default()).expect("clean");
    assert!((report.skew_deg - 4.0).abs() < 0.5, "{}", report.skew_deg);
    assert!(rule_angle(&out.image.to_luma8()).abs() < 0.5);
    let jpeg = pipeline::encode_jpeg(&out, 75).expect("jpeg");
    let policy = yichuang_scan::checks::CheckPolicy {
        min_dpi: 100,
        ..Default::default()
    };
    assert_eq!(
        yichuang_scan::checks::check_page(&jpeg, &policy),
        Ok(yichuang_scan::PageSize::A3)
    );
    // The same page claimed at 150 dpi is a smaller sheet: neither A4 nor A3.
    let small = pipeline::EncodedPage {
        dpi: Some(150),
        ..jpeg
    };
    assert!(yichuang_scan::checks::check_page(&small, &policy).is_err());
}
