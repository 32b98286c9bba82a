//! Rendering cost of a realistic one-page acceptance notice, against the
//! fixed per-document cost of rendering an empty spec (same group, so the
//! ratio can be read off directly). The font is parsed once per process
//! (outside the measurement, by the warm-up call).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use yichuang_pdf::{DocumentSpec, render};

#[path = "../tests/common/mod.rs"]
mod common;

fn bench_render(c: &mut Criterion) {
    let notice = common::notice();
    let trivial = DocumentSpec::default();
    // Parse the embedded font before measuring anything.
    render(&trivial).expect("render");

    let mut g = c.benchmark_group("render");
    g.bench_function("trivial_spec", |b| {
        b.iter(|| render(black_box(&trivial)).expect("render"))
    });
    g.bench_function("acceptance_notice", |b| {
        b.iter(|| render(black_box(&notice)).expect("render"))
    });
    let watermarked = DocumentSpec {
        watermark: Some("培训演示 · 非正式文书".into()),
        ..notice.clone()
    };
    g.bench_function("acceptance_notice_watermarked", |b| {
        b.iter(|| render(black_box(&watermarked)).expect("render"))
    });
    g.finish();
}

criterion_group!(benches, bench_render);
criterion_main!(benches);
