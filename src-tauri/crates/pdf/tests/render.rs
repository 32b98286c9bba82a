//! End-to-end tests: render PDFs and inspect them with poppler-utils, zbar
//! and qpdf. Missing tools make the tests FAIL (with an install hint), never
//! skip.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use yichuang_pdf::{DocumentSpec, PdfError, Table, font_covers, render};

const MM: f64 = 72.0 / 25.4;
/// Page width and the content box (25 mm side margins), in pt.
const PAGE_W_PT: f64 = 210.0 * MM;
const PAGE_H_PT: f64 = 297.0 * MM;
const LEFT_PT: f64 = 25.0 * MM;
const RIGHT_PT: f64 = (210.0 - 25.0) * MM;

fn tool(name: &str, package: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "required test tool `{name}` not found on PATH; install the Debian package \
                 `{package}` (apt-get install {package})"
            )
        })
}

/// Runs a tool, asserts success and returns its stdout.
fn run(name: &str, package: &str, args: &[&str]) -> String {
    let out = Command::new(tool(name, package))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {name}: {e}"));
    assert!(
        out.status.success(),
        "{name} {args:?} failed ({}): {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

struct Pdf {
    _dir: tempfile::TempDir,
    path: PathBuf,
    len: usize,
}

impl Pdf {
    fn render(spec: &DocumentSpec) -> Pdf {
        let bytes = render(spec).expect("render succeeds");
        assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("doc.pdf");
        std::fs::write(&path, &bytes).expect("write pdf");
        Pdf {
            _dir: dir,
            path,
            len: bytes.len(),
        }
    }

    fn p(&self) -> &str {
        self.path.to_str().expect("utf-8 temp path")
    }

    fn dir(&self) -> &Path {
        self._dir.path()
    }

    fn text_layout(&self) -> String {
        run("pdftotext", "poppler-utils", &["-layout", self.p(), "-"])
    }

    fn text(&self) -> String {
        run("pdftotext", "poppler-utils", &[self.p(), "-"])
    }

    fn pages(&self) -> usize {
        let info = run("pdfinfo", "poppler-utils", &[self.p()]);
        info.lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("no page count in pdfinfo output:\n{info}"))
    }

    fn qpdf_check(&self) {
        let out = run("qpdf", "qpdf", &["--check", self.p()]);
        assert!(
            out.contains("No syntax or stream encoding errors"),
            "qpdf --check:\n{out}"
        );
    }

    /// Words with their boxes (pt, origin top-left) from `pdftotext -bbox`.
    fn words(&self) -> Vec<Word> {
        let html = run("pdftotext", "poppler-utils", &["-bbox", self.p(), "-"]);
        let mut page = 0;
        let mut words = Vec::new();
        for line in html.lines() {
            let line = line.trim();
            if line.starts_with("<page ") {
                page += 1;
            }
            if !line.starts_with("<word ") {
                continue;
            }
            let attr = |name: &str| -> f64 {
                let key = format!("{name}=\"");
                let start = line.find(&key).expect("bbox attribute") + key.len();
                let end = start + line[start..].find('"').expect("closing quote");
                line[start..end].parse().expect("number")
            };
            let text_start = line.find('>').expect("tag end") + 1;
            let text_end = line.rfind("</word>").expect("word end");
            words.push(Word {
                page,
                x_min: attr("xMin"),
                y_min: attr("yMin"),
                x_max: attr("xMax"),
                y_max: attr("yMax"),
                text: line[text_start..text_end].to_string(),
            });
        }
        words
    }

    /// Page 1 rasterised by pdftoppm with `options` (format, resolution) into
    /// `<dir>/<name>.<ext>`; returns the path without its extension.
    fn raster_page1(&self, name: &str, options: &[&str]) -> String {
        let prefix = self.dir().join(name);
        let prefix = prefix.to_str().expect("utf-8").to_string();
        let mut args = options.to_vec();
        args.extend(["-f", "1", "-l", "1", "-singlefile", self.p(), &prefix]);
        run("pdftoppm", "poppler-utils", &args);
        prefix
    }

    /// Greyscale raster of page 1 at `dpi` (PGM decoded by hand): width and
    /// row-major pixels.
    fn grey_pixels(&self, dpi: u32) -> (usize, Vec<u8>) {
        let prefix = self.raster_page1("grey", &["-gray", "-r", &dpi.to_string()]);
        let data = std::fs::read(format!("{prefix}.pgm")).expect("pgm written");
        // "P5\n<w> <h>\n255\n" followed by the pixels.
        let mut fields = Vec::new();
        let mut i = 0;
        while fields.len() < 4 {
            while data[i].is_ascii_whitespace() {
                i += 1;
            }
            let start = i;
            while !data[i].is_ascii_whitespace() {
                i += 1;
            }
            fields.push(String::from_utf8_lossy(&data[start..i]).into_owned());
        }
        assert_eq!(fields[0], "P5", "pdftoppm -gray writes binary PGM");
        let w: usize = fields[1].parse().expect("width");
        let h: usize = fields[2].parse().expect("height");
        let px = data[i + 1..].to_vec();
        assert_eq!(px.len(), w * h, "PGM size");
        (w, px)
    }
}

#[derive(Debug)]
struct Word {
    page: usize,
    x_min: f64,
    y_min: f64,
    x_max: f64,
    y_max: f64,
    text: String,
}

fn assert_contains(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(needle),
        "expected {needle:?} in extracted text:\n{haystack}"
    );
}

#[test]
fn notice_text_is_extractable_and_font_is_embedded_as_subset() {
    let spec = common::notice();
    let pdf = Pdf::render(&spec);
    assert!(
        pdf.len < 200 * 1024,
        "PDF is {} bytes; font not subset?",
        pdf.len
    );
    assert_eq!(pdf.pages(), 1);

    let text = pdf.text_layout();
    for (label, value) in &spec.fields {
        assert_contains(&text, label);
        assert_contains(&text, value);
        // label and value end up on the same line of the layout text
        assert!(
            text.lines()
                .any(|l| l.contains(label.as_str()) && l.contains(value.as_str())),
            "{label} / {value} not on one line:\n{text}"
        );
    }
    assert_contains(&text, &spec.hall_name);
    assert_contains(&text, &spec.title);
    assert_contains(&text, spec.doc_no.as_deref().expect("doc_no"));
    assert_contains(&text, spec.addressee.as_deref().expect("addressee"));
    let table = spec.table.as_ref().expect("table");
    for h in &table.headers {
        assert_contains(&text, h);
    }
    for cell in [
        "个体工商户登记（备案）申请书",
        "经营者身份证明（刘昇）",
        "复印件",
    ] {
        assert_contains(&text, cell);
    }
    for rare in ["喆", "堃", "玥", "昇", "珺", "犇"] {
        assert_contains(&text, rare);
    }
    for line in spec.closing.iter().chain(&spec.signature) {
        assert_contains(&text, line);
    }
    assert_contains(&text, spec.qr_caption.as_deref().expect("caption"));
    // paragraphs wrap, so compare without whitespace
    let flat: String = pdf.text().split_whitespace().collect();
    for p in &spec.paragraphs {
        assert_contains(&flat, p);
    }
    assert!(!text.contains('□'), "tofu in:\n{text}");

    let fonts = run("pdffonts", "poppler-utils", &[pdf.p()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 1, "exactly one font expected:\n{fonts}");
    let cols: Vec<&str> = rows[0].split_whitespace().collect();
    // name type... encoding emb sub uni object-id generation
    let n = cols.len();
    assert!(n >= 7, "{fonts}");
    assert_eq!(
        &cols[n - 5..n - 2],
        ["yes", "yes", "yes"],
        "emb sub uni:\n{fonts}"
    );
    assert!(cols[0].contains("WenQuanYi"), "{fonts}");
    let (tag, _) = cols[0]
        .split_once('+')
        .expect("subset tag ABCDEF+ in font name");
    assert!(
        tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
        "{fonts}"
    );

    pdf.qpdf_check();
}

#[test]
fn layout_stays_in_the_content_box_without_overlaps() {
    let pdf = Pdf::render(&common::notice());
    let words = pdf.words();
    assert!(words.len() > 40, "{words:?}");
    for w in &words {
        assert!(
            w.x_min >= LEFT_PT - 0.5 && w.x_max <= RIGHT_PT + 0.5,
            "{w:?}"
        );
        assert!(w.y_min >= 0.0 && w.y_max <= PAGE_H_PT, "{w:?}");
    }
    for (i, a) in words.iter().enumerate() {
        for b in &words[i + 1..] {
            let overlap_x = a.x_min.max(b.x_min) < a.x_max.min(b.x_max) - 0.5;
            let overlap_y = a.y_min.max(b.y_min) < a.y_max.min(b.y_max) - 0.5;
            assert!(!(overlap_x && overlap_y), "overlap: {a:?} / {b:?}");
        }
    }
    // Nothing is printed over the QR code (bottom right, 30 mm, above a
    // one-line caption, inside the 22 mm bottom margin).
    let qr = [
        155.0 * MM,
        (275.0 - 5.445 - 30.0) * MM,
        185.0 * MM,
        (275.0 - 5.445) * MM,
    ];
    for w in &words {
        let hit = w.x_min < qr[2] && qr[0] < w.x_max && w.y_min < qr[3] && qr[1] < w.y_max;
        assert!(!hit, "text over the QR code: {w:?}");
    }
    // The caption is right below the QR code.
    let cap = words
        .iter()
        .find(|w| w.text == "扫码查询办件")
        .expect("caption");
    assert!(
        cap.y_min >= qr[3] - 0.5 && cap.y_min < qr[3] + 5.0 * MM,
        "{cap:?}"
    );
    assert!(cap.x_min > qr[0] && cap.x_max < qr[2], "{cap:?}");
}

fn decode_qr(pdf: &Pdf) -> String {
    let prefix = pdf.raster_page1("page", &["-r", "80", "-png"]);
    let png = format!("{prefix}.png");
    run("zbarimg", "zbar-tools", &["--raw", "-q", &png])
        .trim_end_matches('\n')
        .to_string()
}

#[test]
fn qr_code_decodes_to_payload() {
    let spec = common::notice();
    let pdf = Pdf::render(&spec);
    assert_eq!(decode_qr(&pdf), common::QR_PAYLOAD);

    // Also over a watermark, and with non-ASCII payload.
    let spec = DocumentSpec {
        watermark: Some("培训演示 · 非正式文书".into()),
        qr_payload: Some("办件:650102-2026-112200317".into()),
        ..common::notice()
    };
    assert_eq!(decode_qr(&Pdf::render(&spec)), "办件:650102-2026-112200317");
}

#[test]
fn long_values_wrap_and_overflow_continues_on_second_page() {
    let long_value =
        "经营范围：日用百货、服装鞋帽、文具用品、五金交电、电子产品（不含医疗器械）销售；\
                      ABCDEFGHIJ-0123456789-KLMNOPQRST-UVWXYZ（统一社会信用代码附注）"
            .repeat(4);
    let mut spec = common::notice();
    spec.fields.push(("经营范围".into(), long_value.clone()));
    spec.paragraphs.push(
        "https://zwfw.tsq.wlmq.gov.cn/very/long/path/without/any/spaces/that/must/be/broken/somewhere/0123456789abcdef0123456789abcdef".into(),
    );
    for i in 0..6 {
        spec.paragraphs.push(format!(
            "第{i}段：申请人应当如实向行政机关提交有关材料和反映真实情况，并对其提交的申请材料实质内容的真实性负责。"
        ));
    }
    let pdf = Pdf::render(&spec);
    assert_eq!(pdf.pages(), 2, "overflow must create exactly one more page");

    let words = pdf.words();
    assert!(words.iter().any(|w| w.page == 2), "page 2 is empty");
    for w in &words {
        assert!(w.x_max < PAGE_W_PT, "beyond the page: {w:?}");
        assert!(w.x_max <= RIGHT_PT + 0.5, "beyond the right margin: {w:?}");
        assert!(w.x_min >= LEFT_PT - 0.5, "beyond the left margin: {w:?}");
        assert!(w.y_max <= PAGE_H_PT, "{w:?}");
    }
    // The long value is complete (modulo line breaks).
    let flat: String = pdf.text().split_whitespace().collect();
    let chunk: String = long_value.chars().take(80).collect();
    assert_contains(&flat, &chunk);
    assert_contains(&flat, "ABCDEFGHIJ-0123456789-KLMNOPQRST-UVWXYZ");
    assert_contains(&flat, "第1页共2页");
    assert_contains(&flat, "第2页共2页");
    pdf.qpdf_check();
}

#[test]
fn watermark_is_drawn_and_labelled_without_polluting_text() {
    let mark = "培训演示 · 非正式文书";
    let plain = Pdf::render(&common::notice());
    let marked = Pdf::render(&DocumentSpec {
        watermark: Some(mark.into()),
        ..common::notice()
    });
    // Label in the top margin is extractable ...
    let text = marked.text_layout();
    assert_contains(&text, mark);
    assert!(!plain.text_layout().contains("培训演示"));
    // ... and the diagonal tiles do not break up the notice's lines.
    assert!(
        text.lines()
            .any(|l| l.contains("办件编号") && l.contains("650102-2026-112200317")),
        "{text}"
    );
    // The diagonal tiles are painted: the left margin (outside the content
    // box, blank without a watermark) gets light-grey ink.
    let margin_ink = |pdf: &Pdf| {
        let (w, px) = pdf.grey_pixels(40);
        let margin = (20.0 / 25.4 * 40.0) as usize; // 20 mm
        px.chunks(w)
            .flat_map(|row| &row[..margin])
            .filter(|p| **p < 245)
            .count()
    };
    let (with, without) = (margin_ink(&marked), margin_ink(&plain));
    assert_eq!(without, 0, "plain notice has ink in the left margin");
    assert!(with > 200, "watermark barely visible: {with} px");
    marked.qpdf_check();
}

#[test]
fn font_coverage() {
    assert!(font_covers("张喆堃玥昇珺犇"));
    assert!(font_covers("乌鲁木齐市天山区政务服务中心 ABC 123"));
    assert!(font_covers(""));
    assert!(!font_covers("😀"));
    assert!(!font_covers("张😀"));
    assert!(!font_covers("\u{0}"));
}

#[test]
fn empty_spec_renders_a_blank_page() {
    let pdf = Pdf::render(&DocumentSpec::default());
    assert_eq!(pdf.pages(), 1);
    assert!(pdf.text().trim().is_empty());
    pdf.qpdf_check();
}

#[test]
fn uncovered_characters_become_boxes() {
    let spec = DocumentSpec {
        title: "通知😀".into(),
        fields: vec![("姓名".into(), "张\u{1F600}喆\u{200D}\u{FE0F}\u{7}".into())],
        ..Default::default()
    };
    let text = Pdf::render(&spec).text_layout();
    assert_contains(&text, "通知□");
    // emoji -> box; joiner, variation selector and BEL are dropped
    assert_contains(&text, "张□喆");
    assert!(!text.contains("□□"), "{text}");
}

#[test]
fn hostile_inputs_render_without_panicking() {
    let huge = "超长文本".repeat(3000) + &"x".repeat(5000);
    let specs = [
        DocumentSpec {
            hall_name: "\u{0}\u{1}\r\n\t".into(),
            title: " ".into(),
            doc_no: Some(String::new()),
            addressee: Some("\n\n".into()),
            paragraphs: vec![String::new(), "\u{202E}abc\u{202C}".into(), "🎉🎊".into()],
            fields: vec![
                (String::new(), String::new()),
                ("😀".repeat(50), "e\u{301}".into()),
            ],
            table: Some(Table {
                headers: vec![],
                rows: vec![vec![], vec!["a".into()], vec!["b".into(); 60]],
                widths: vec![f32::NAN, -1.0, f32::INFINITY, 0.0],
            }),
            qr_payload: Some(String::new()),
            qr_caption: Some("caption without qr".into()),
            closing: vec!["\u{FEFF}".into()],
            signature: vec![String::new()],
            watermark: Some("\n".into()),
            logo: None,
            seal: None,
        },
        DocumentSpec {
            title: huge.clone(),
            doc_no: Some(huge.clone()),
            paragraphs: vec![huge.clone()],
            fields: vec![(huge.clone(), huge.clone())],
            table: Some(Table {
                headers: vec![huge.clone(), "b".into()],
                rows: vec![vec![huge.clone(), huge.clone()]],
                widths: vec![0.9999, 0.0001],
            }),
            qr_payload: Some("😀 payload".into()),
            qr_caption: Some(huge.clone()),
            closing: vec![huge.clone()],
            signature: vec![huge.clone(); 3],
            watermark: Some(huge.clone()),
            ..Default::default()
        },
        DocumentSpec {
            signature: (0..120).map(|i| format!("署名第{i}行")).collect(),
            qr_payload: Some("x".into()),
            ..Default::default()
        },
    ];
    for (i, spec) in specs.iter().enumerate() {
        let pdf = Pdf::render(spec);
        pdf.qpdf_check();
        for w in pdf.words() {
            assert!(
                w.x_min >= 0.0 && w.x_max <= PAGE_W_PT && w.y_min >= 0.0 && w.y_max <= PAGE_H_PT,
                "spec {i}: off-page {w:?}"
            );
        }
        if i > 0 {
            assert!(pdf.pages() > 1, "spec {i} should overflow");
        }
    }
}

#[test]
fn oversized_qr_payload_is_a_typed_error() {
    let spec = DocumentSpec {
        qr_payload: Some("x".repeat(4000)),
        ..common::notice()
    };
    match render(&spec) {
        Err(PdfError::QrPayload { len, .. }) => assert_eq!(len, 4000),
        other => panic!("expected QrPayload error, got {other:?}"),
    }
}

/// A `w`×`h` PNG: a filled disc of `rgb` on a transparent background.
fn disc_png(w: u32, h: u32, rgb: [u8; 3]) -> Vec<u8> {
    let mut pixels = Vec::with_capacity((w * h * 4) as usize);
    let (cx, cy, r) = (w as f32 / 2.0, h as f32 / 2.0, w.min(h) as f32 / 2.0 - 1.0);
    for y in 0..h {
        for x in 0..w {
            let inside = (x as f32 + 0.5 - cx).powi(2) + (y as f32 + 0.5 - cy).powi(2) <= r * r;
            pixels.extend_from_slice(&[rgb[0], rgb[1], rgb[2], if inside { 255 } else { 0 }]);
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().expect("png header");
    writer.write_image_data(&pixels).expect("png data");
    drop(writer);
    out
}

/// The page rasterised at 50 dpi as a PPM: (width, height, RGB bytes).
fn raster(pdf: &Pdf) -> (usize, usize, Vec<u8>) {
    let prefix = pdf.dir().join("r");
    let prefix = prefix.to_str().expect("utf-8");
    run(
        "pdftoppm",
        "poppler-utils",
        &[
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            pdf.p(),
            prefix,
        ],
    );
    let data = std::fs::read(format!("{prefix}.ppm")).expect("ppm");
    // P6\n<w> <h>\n255\n
    let header: Vec<&[u8]> = data.splitn(4, |b| b.is_ascii_whitespace()).collect();
    let w: usize = std::str::from_utf8(header[1]).unwrap().parse().unwrap();
    let h: usize = std::str::from_utf8(header[2]).unwrap().parse().unwrap();
    let body = data[data.len() - w * h * 3..].to_vec();
    (w, h, body)
}

/// Pixels of the raster within `[x1, y1, x2, y2]` (fractions of the page) matching `pred`.
fn count(r: &(usize, usize, Vec<u8>), area: [f64; 4], pred: impl Fn(u8, u8, u8) -> bool) -> usize {
    let (w, h, px) = r;
    let mut n = 0;
    for y in (area[1] * *h as f64) as usize..(area[3] * *h as f64) as usize {
        for x in (area[0] * *w as f64) as usize..(area[2] * *w as f64) as usize {
            let i = (y * w + x) * 3;
            if pred(px[i], px[i + 1], px[i + 2]) {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn logo_and_seal_are_drawn_where_they_belong() {
    let red = |r: u8, g: u8, b: u8| r > 200 && g < 80 && b < 80;
    let blue = |r: u8, g: u8, b: u8| b > 200 && r < 80 && g < 80;
    let plain = Pdf::render(&common::notice());
    let plain_r = raster(&plain);
    assert_eq!(count(&plain_r, [0.0, 0.0, 1.0, 1.0], red), 0);

    let spec = DocumentSpec {
        logo: Some(disc_png(120, 120, [0, 0, 255])),
        seal: Some(disc_png(400, 400, [230, 0, 18])),
        ..common::notice()
    };
    let pdf = Pdf::render(&spec);
    let r = raster(&pdf);
    // The logo: top left, inside the margins, about 12 mm across.
    let logo = count(&r, [0.0, 0.0, 0.5, 0.15], blue);
    let logo_mm2 = logo as f64 * (25.4 / 50.0f64).powi(2);
    assert!(
        (80.0..150.0).contains(&logo_mm2),
        "logo area {logo_mm2} mm²"
    );
    assert_eq!(count(&r, [0.0, 0.15, 1.0, 1.0], blue), 0, "logo elsewhere");
    // The seal: a 40 mm disc, right half of the page, over the signature.
    let seal = count(&r, [0.4, 0.0, 1.0, 1.0], red);
    let seal_mm2 = seal as f64 * (25.4 / 50.0f64).powi(2);
    assert!(
        (1000.0..1500.0).contains(&seal_mm2),
        "seal area {seal_mm2} mm²"
    );
    assert_eq!(count(&r, [0.0, 0.0, 0.4, 1.0], red), 0, "seal elsewhere");
    // The images are embedded once each, with their transparency.
    let list = run("pdfimages", "poppler-utils", &["-list", pdf.p()]);
    let kinds: Vec<&str> = list
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "image").count(), 2, "{list}");
    assert_eq!(kinds.iter().filter(|k| **k == "smask").count(), 2, "{list}");
    // The text is unchanged by them.
    assert_eq!(plain.text(), pdf.text());
}

#[test]
fn unusable_images_are_refused_with_a_reason() {
    let good = disc_png(50, 50, [255, 0, 0]);
    assert_eq!(yichuang_pdf::check_image(&good).unwrap(), (50, 50));
    let cases: [(Vec<u8>, &str); 4] = [
        (b"GIF89a......".to_vec(), "不是 PNG"),
        (good[..good.len() / 2].to_vec(), "已损坏"),
        (disc_png(3001, 4, [0, 0, 0]), "像素"),
        (vec![0x89; yichuang_pdf::IMAGE_MAX_BYTES + 1], "过大"),
    ];
    for (bytes, why) in cases {
        let err = yichuang_pdf::check_image(&bytes).unwrap_err();
        assert!(err.to_string().contains(why), "{err} / {why}");
        let spec = DocumentSpec {
            seal: Some(bytes),
            ..common::notice()
        };
        assert!(matches!(render(&spec), Err(PdfError::Image(_))));
    }
}
