//! Renders the sample acceptance notice: `cargo run -p yichuang-pdf --example notice -- out.pdf [watermark]`.

#[path = "../tests/common/mod.rs"]
mod common;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "notice.pdf".into());
    let mut spec = common::notice();
    spec.watermark = args.next();
    let bytes = yichuang_pdf::render(&spec)?;
    std::fs::write(&out, &bytes)?;
    println!("wrote {out} ({} bytes)", bytes.len());
    Ok(())
}
