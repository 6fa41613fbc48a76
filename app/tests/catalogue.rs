//! The pages' texts are one catalogue spread over the code: every
//! `tr("中文", "English")` pair is read from the app's sources here and
//! checked as a catalogue would be (both sides present, no Chinese in the
//! English). A test of the sources, so it needs nothing of the app built.

use std::path::Path;

/// The string literal at the start of `s` and what follows it.
fn literal(s: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = s.strip_prefix('"')?.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &s[i + 2..])),
            '\\' => out.push(chars.next()?.1),
            c => out.push(c),
        }
    }
    None
}

/// Every `tr("中文", "English")` in the file, with its line.
fn pairs(text: &str) -> Vec<(usize, String, String)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("tr(\"") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let line = text[..at].matches('\n').count() + 1;
        let rest = &text[at + 3..];
        let (zh, rest) = literal(rest).expect("a closed Chinese literal");
        let rest = rest
            .trim_start()
            .strip_prefix(',')
            .expect("two texts")
            .trim_start();
        let (en, _) = literal(rest).unwrap_or_else(|| panic!("line {line}: an English literal"));
        out.push((line, zh, en));
    }
    out
}

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

#[test]
fn every_page_text_has_its_chinese_and_english() {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut found = 0;
    let mut wrong = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (line, zh, en) in pairs(&text) {
            found += 1;
            let at = format!("{}:{line}", f.display());
            // The language switch names the other language in itself.
            if (zh.as_str(), en.as_str()) == ("English", "中文") {
                continue;
            }
            if en.chars().any(is_cjk) {
                wrong.push(format!("{at}: Chinese in the English text {en:?}"));
            }
            // Chinese, or a sign both languages write alike ("—").
            if !zh.chars().any(is_cjk) && zh != en {
                wrong.push(format!("{at}: no Chinese in {zh:?}"));
            }
            // English may leave out only a short suffix (年度, 版).
            if en.trim().is_empty() && zh.trim().chars().count() > 2 {
                wrong.push(format!("{at}: no English for {zh:?}"));
            }
        }
    }
    // Not a scan that silently found nothing: the pages hold hundreds.
    assert!(found > 500, "only {found} texts found");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_scan_reads_what_it_should() {
    let src = r#"x(tr("年度", "Year")); attr("a", "b"); tr("引号\"内", "quote\" in")"#;
    let got = pairs(src);
    assert_eq!(
        got,
        vec![
            (1, "年度".into(), "Year".into()),
            (1, "引号\"内".into(), "quote\" in".into())
        ]
    );
}
