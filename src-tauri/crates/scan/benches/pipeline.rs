//! Clean-up cost per A4 page at 300 dpi (2480×3508 grey): deskew + crop + grey + JPEG
//! (quality 75), against ImageMagick doing the same on the same input in the same run:
//! `convert in.png -deskew 40% -trim +repage -colorspace Gray -quality 75 out.jpg`.
//! ImageMagick's time includes its process start and PNG decode, so ours is measured
//! both from decoded pixels (criterion) and from the PNG file (manual timing, like for
//! like). Ratios are printed at the end.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use image::{DynamicImage, GrayImage};
use yichuang_scan::Page;
use yichuang_scan::import::{self, ImportLimits};
use yichuang_scan::pipeline::{self, CleanupOptions};
use yichuang_scan::synth;

const W: u32 = 2480;
const H: u32 = 3508;

/// A text page tilted 3° on a dark bed, exactly A4 at 300 dpi overall.
fn input() -> GrayImage {
    let page = synth::text_page(2300, 3250, 42);
    let tilted = synth::on_bed(&page, 3.0, 0, 25);
    let mut canvas = GrayImage::from_pixel(W, H, image::Luma([25]));
    let x = (i64::from(W) - i64::from(tilted.width())) / 2;
    let y = (i64::from(H) - i64::from(tilted.height())) / 2;
    image::imageops::replace(&mut canvas, &tilted, x, y);
    canvas
}

fn ours(page: &Page) -> usize {
    let (clean, _) = pipeline::clean(page, &CleanupOptions::default()).expect("clean");
    pipeline::encode_jpeg(&clean, 75).expect("jpeg").bytes.len()
}

fn ours_from_file(path: &Path) -> usize {
    let mut pages = import::import_file(path, &ImportLimits::default()).expect("import");
    let mut page = pages.remove(0);
    page.dpi = Some(300);
    ours(&page)
}

fn imagemagick(input: &Path, output: &Path) -> Option<()> {
    let status = Command::new("convert")
        .arg(input)
        .args(["-deskew", "40%", "-trim", "+repage", "-colorspace", "Gray"])
        .args(["-quality", "75"])
        .arg(output)
        .status()
        .ok()?;
    status.success().then_some(())
}

fn mean(runs: u32, mut f: impl FnMut()) -> Duration {
    let t = Instant::now();
    for _ in 0..runs {
        f();
    }
    t.elapsed() / runs
}

fn bench_cleanup(c: &mut Criterion) {
    let img = input();
    let page = Page {
        image: DynamicImage::ImageLuma8(img.clone()),
        dpi: Some(300),
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let png = dir.path().join("in.png");
    img.save(&png).expect("save png");

    let mut g = c.benchmark_group("cleanup_a4_300dpi");
    g.sample_size(10);
    g.bench_function("deskew_crop_gray_jpeg75", |b| {
        b.iter(|| ours(black_box(&page)))
    });
    g.bench_function("estimate_skew_only", |b| {
        b.iter(|| pipeline::estimate_skew(black_box(&img), 15.0))
    });
    g.finish();

    // Same input, same run: ours from the PNG file against ImageMagick's command.
    const RUNS: u32 = 5;
    ours_from_file(&png); // warm caches
    let ours_pixels = mean(RUNS, || {
        black_box(ours(&page));
    });
    let ours_file = mean(RUNS, || {
        black_box(ours_from_file(&png));
    });
    let out = dir.path().join("im.jpg");
    println!();
    println!("A4 300 dpi (2480x3508), mean of {RUNS} runs each:");
    println!(
        "  yichuang-scan from pixels:   {:8.1} ms",
        ours_pixels.as_secs_f64() * 1e3
    );
    println!(
        "  yichuang-scan from PNG file: {:8.1} ms",
        ours_file.as_secs_f64() * 1e3
    );
    if imagemagick(&png, &out).is_none() {
        println!("  ImageMagick `convert` not found or failed: no comparison");
        return;
    }
    let im = mean(RUNS, || {
        imagemagick(&png, &out).expect("convert");
    });
    println!(
        "  ImageMagick convert:         {:8.1} ms",
        im.as_secs_f64() * 1e3
    );
    println!(
        "  ratio ImageMagick / ours (file to file): {:.1}x",
        im.as_secs_f64() / ours_file.as_secs_f64()
    );
    let (clean, report) = pipeline::clean(&page, &CleanupOptions::default()).expect("clean");
    let im_out = image::open(&out).expect("ImageMagick output");
    println!(
        "  outputs: ours {}x{} (skew {:.2} deg), ImageMagick {}x{}",
        clean.image.width(),
        clean.image.height(),
        report.skew_deg,
        im_out.width(),
        im_out.height()
    );
}

criterion_group!(benches, bench_cleanup);
criterion_main!(benches);
