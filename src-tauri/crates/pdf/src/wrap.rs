//! Greedy line breaking for mixed Chinese / Latin text.
//!
//! * CJK text may break between any two characters.
//! * Runs of Latin letters, digits and ASCII punctuation ("words", e.g. a case
//!   number `6501-2026-000123` or a URL) are kept together unless a single run
//!   is wider than the line, in which case it is broken by character.
//! * Simple Chinese line-breaking rules (禁则): closing punctuation (，。、）》…)
//!   never starts a line and opening punctuation (（《“…) never ends one.
//! * `'\n'` is a hard break.
//!
//! Input must already be sanitised (see `Metrics::sanitize`).

use crate::font::Metrics;

/// One laid-out line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub text: String,
    /// Width in millimetres.
    pub width: f32,
    /// Left indent in millimetres (first line of a paragraph).
    pub indent: f32,
    /// True if the line was ended by wrapping (not by the end of the text or
    /// a hard break): such lines may be justified.
    pub wrapped: bool,
}

/// Characters that must not begin a line.
fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '》'
            | '〉'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '”'
            | '’'
            | '…'
            | '％'
            | '．'
            | '｝'
            | '］'
            | '·'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '}'
            | '%'
    )
}

/// Characters that must not end a line.
fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '（' | '《'
            | '〈'
            | '「'
            | '『'
            | '【'
            | '〔'
            | '“'
            | '‘'
            | '｛'
            | '［'
            | '('
            | '['
            | '{'
    )
}

/// Characters that join into unbreakable "words" with their neighbours.
fn is_word_char(c: char) -> bool {
    (c as u32) < 0x2E80 && c != ' ' && !matches!(c, '“' | '”' | '‘' | '’' | '…' | '·' | '—')
}

#[derive(Debug)]
struct Unit {
    text: String,
    width: f32,
    space: bool,
}

/// Glue is limited so that pathological input (thousands of '，') still
/// terminates quickly; oversized units are broken by character anyway.
const MAX_GLUE_CHARS: usize = 8;

fn units(m: &Metrics, text: &str, size: f32) -> Vec<Unit> {
    // 1. atoms: single spaces, words, single other characters.
    let mut atoms: Vec<Unit> = Vec::new();
    let mut word = String::new();
    let flush_word = |word: &mut String, atoms: &mut Vec<Unit>| {
        if !word.is_empty() {
            let w = std::mem::take(word);
            atoms.push(Unit {
                width: m.width_mm(&w, size),
                text: w,
                space: false,
            });
        }
    };
    for c in text.chars() {
        if c == ' ' {
            flush_word(&mut word, &mut atoms);
            atoms.push(Unit {
                text: " ".into(),
                width: m.char_width_mm(' ', size),
                space: true,
            });
        } else if c.is_ascii_graphic() || (is_word_char(c) && !no_line_start(c) && !no_line_end(c))
        {
            word.push(c);
        } else {
            flush_word(&mut word, &mut atoms);
            atoms.push(Unit {
                text: c.to_string(),
                width: m.char_width_mm(c, size),
                space: false,
            });
        }
    }
    flush_word(&mut word, &mut atoms);

    // 2. glue punctuation to its neighbours.
    let mut out: Vec<Unit> = Vec::with_capacity(atoms.len());
    for a in atoms {
        if let Some(prev) = out.last_mut() {
            let glue = !a.space
                && !prev.space
                && prev.text.chars().count() < MAX_GLUE_CHARS
                && (a.text.chars().next().is_some_and(no_line_start)
                    || prev.text.chars().last().is_some_and(no_line_end));
            if glue {
                prev.text.push_str(&a.text);
                prev.width += a.width;
                continue;
            }
        }
        out.push(a);
    }
    out
}

/// Wraps `text` (already sanitised) at `size_pt` into lines no wider than
/// `max_width` mm; the first line of each hard line (paragraph) is
/// `first_indent` mm narrower. Always returns at least one line. A single
/// character wider than the line is placed alone on its line.
pub(crate) fn wrap(
    m: &Metrics,
    text: &str,
    size_pt: f32,
    max_width: f32,
    first_indent: f32,
) -> Vec<Line> {
    let max_width = if max_width.is_finite() {
        max_width.max(0.0)
    } else {
        0.0
    };
    let mut lines = Vec::new();
    for hard in text.split('\n') {
        wrap_hard_line(m, hard, size_pt, max_width, first_indent, &mut lines);
    }
    if lines.is_empty() {
        lines.push(Line {
            text: String::new(),
            width: 0.0,
            indent: 0.0,
            wrapped: false,
        });
    }
    lines
}

fn wrap_hard_line(
    m: &Metrics,
    text: &str,
    size: f32,
    max_width: f32,
    first_indent: f32,
    lines: &mut Vec<Line>,
) {
    let start = lines.len();
    let mut cur = String::new();
    let mut cur_w = 0.0_f32;
    // A space seen after the last non-space unit; only emitted if followed by
    // more text on the same line.
    let mut pending_space: Option<f32> = None;
    let first_indent = if first_indent.is_finite() {
        first_indent.clamp(0.0, max_width)
    } else {
        0.0
    };
    let indent = |lines: &Vec<Line>| {
        if lines.len() == start {
            first_indent
        } else {
            0.0
        }
    };
    let limit = |lines: &Vec<Line>| max_width - indent(lines);

    for u in units(m, text, size) {
        if u.space {
            if !cur.is_empty() {
                pending_space = Some(pending_space.unwrap_or(0.0) + u.width);
            }
            continue;
        }
        let sp = pending_space.unwrap_or(0.0);
        if cur_w + sp + u.width <= limit(lines) + 1e-3 {
            if let Some(w) = pending_space.take() {
                push_spaces(&mut cur, w, m, size);
                cur_w += w;
            }
            cur.push_str(&u.text);
            cur_w += u.width;
            continue;
        }
        pending_space = None;
        if !cur.is_empty() {
            lines.push(Line {
                indent: indent(lines),
                text: std::mem::take(&mut cur),
                width: cur_w,
                wrapped: true,
            });
            cur_w = 0.0;
        }
        if u.width <= limit(lines) + 1e-3 {
            cur = u.text;
            cur_w = u.width;
            continue;
        }
        // Oversized unit: break by character.
        for c in u.text.chars() {
            let w = m.char_width_mm(c, size);
            if !cur.is_empty() && cur_w + w > limit(lines) + 1e-3 {
                lines.push(Line {
                    indent: indent(lines),
                    text: std::mem::take(&mut cur),
                    width: cur_w,
                    wrapped: true,
                });
                cur_w = 0.0;
            }
            cur.push(c);
            cur_w += w;
        }
    }
    if !cur.is_empty() || lines.len() == start {
        lines.push(Line {
            indent: indent(lines),
            text: cur,
            width: cur_w,
            wrapped: false,
        });
    }
}

/// Appends as many spaces as were collapsed into `width` (usually one).
fn push_spaces(cur: &mut String, width: f32, m: &Metrics, size: f32) {
    let one = m.char_width_mm(' ', size).max(1e-3);
    let n = ((width / one).round() as usize).max(1);
    for _ in 0..n {
        cur.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m() -> &'static Metrics {
        crate::font::metrics().expect("embedded font parses")
    }

    #[test]
    fn cjk_breaks_anywhere_and_respects_width() {
        let text = "申请人提交的材料齐全、符合法定形式，本机关决定予以受理。".repeat(4);
        let lines = wrap(m(), &text, 12.0, 60.0, 0.0);
        assert!(lines.len() > 3);
        for l in &lines {
            assert!(l.width <= 60.0 + 1e-3, "{l:?}");
            assert!((m().width_mm(&l.text, 12.0) - l.width).abs() < 1e-2);
        }
        let joined: String = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        let text = "一二三四五，六七八九十。".repeat(10);
        for w in [20.0, 25.0, 31.0, 47.0] {
            for l in wrap(m(), &text, 12.0, w, 0.0) {
                let first = l.text.chars().next().expect("non-empty line");
                assert!(!no_line_start(first), "line starts with {first}: {l:?}");
            }
        }
    }

    #[test]
    fn latin_words_are_not_split() {
        let text = "办件编号 ABCDEFGH-12345 已经受理 please keep this receipt";
        let lines = wrap(m(), text, 12.0, 40.0, 0.0);
        let all: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert!(all.iter().any(|l| l.contains("ABCDEFGH-12345")), "{all:?}");
        assert!(all.iter().any(|l| l.contains("receipt")), "{all:?}");
        for l in &lines {
            assert!(!l.text.starts_with(' ') && !l.text.ends_with(' '), "{l:?}");
        }
    }

    #[test]
    fn oversized_word_is_broken_by_character() {
        let text = "x".repeat(300);
        let lines = wrap(m(), &text, 12.0, 50.0, 0.0);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(l.width <= 50.0 + 1e-3);
        }
        assert_eq!(lines.iter().map(|l| l.text.len()).sum::<usize>(), 300);
    }

    #[test]
    fn hard_breaks_and_indent() {
        let lines = wrap(m(), "甲\n\n乙", 12.0, 100.0, 8.0);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, vec!["甲", "", "乙"]);
        // first line is narrower by the indent
        let text = "字".repeat(80);
        let lines = wrap(m(), &text, 12.0, 100.0, 8.5);
        assert!(lines[0].text.chars().count() < lines[1].text.chars().count());
        assert!((lines[0].indent - 8.5).abs() < 1e-6 && lines[1].indent == 0.0);
    }

    #[test]
    fn degenerate_widths_do_not_hang() {
        for w in [0.0, -5.0, f32::NAN, f32::INFINITY, 0.1] {
            let lines = wrap(m(), "字字 ab", 12.0, w, 3.0);
            assert!(!lines.is_empty());
        }
    }
}
