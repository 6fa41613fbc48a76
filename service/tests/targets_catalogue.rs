//! The shipped targets against the policy texts they come from: every
//! target's source sentence occurs in its seed (whitespace aside, seed
//! 000's punctuation substitution applied), and its number — or the words
//! that state it (翻番, 全覆盖, 第一…) — occurs in that sentence.

use service::targets::catalogue::load;

/// Seed 000's garbled punctuation (its README), applied to both sides.
fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '尧' => '、',
            '袁' => '，',
            '遥' => '。',
            '曰' => '；',
            '渊' => '（',
            '冤' => '）',
            '野' => '“',
            '冶' => '”',
            '也' => '〔',
            '页' => '〕',
            '叶' => '《',
            '曳' => '》',
            '院' => '：',
            '援' => '．',
            c => c,
        })
        .collect()
}

fn seed(name: &str) -> String {
    let path = format!("{}/targets/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
    normalise(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
}

fn number_text(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[test]
fn every_target_quotes_its_seed_and_its_number() {
    let cat = load().expect("the shipped targets parse");
    let mut texts = std::collections::HashMap::new();
    let mut failures = Vec::new();
    for t in &cat.targets {
        let doc = cat.docs.iter().find(|d| d.id == t.doc).unwrap();
        let text = texts
            .entry(doc.seed.clone())
            .or_insert_with(|| seed(&doc.seed));
        let quote = normalise(&t.quote);
        if !text.contains(&quote) {
            failures.push(format!("{}: quote not in {}: {}", t.id, doc.seed, t.quote));
            continue;
        }
        let stated = match (&t.words, t.value) {
            (Some(w), _) => quote.contains(&normalise(w)),
            (None, Some(v)) => quote.contains(&number_text(v)),
            (None, None) => true,
        };
        if !stated {
            failures.push(format!(
                "{}: neither {:?} nor {:?} in “{}”",
                t.id, t.value, t.words, t.quote
            ));
        }
        assert!(
            text.contains(&normalise(&doc.number)),
            "{} not in {}",
            doc.number,
            doc.seed
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {}:\n{}",
        failures.len(),
        cat.targets.len(),
        failures.join("\n")
    );
}

#[test]
fn the_catalogue_covers_the_documents_and_the_county_tables() {
    let cat = load().unwrap();
    let of = |doc: &str| cat.targets.iter().filter(|t| t.doc == doc).count();
    assert!(
        of("jzbf-2021-1") >= 50,
        "the financing action: {}",
        of("jzbf-2021-1")
    );
    assert!(
        of("jzf-2016-5") >= 200,
        "2016 with its per-county tables: {}",
        of("jzf-2016-5")
    );
    for c in grading::County::ALL {
        assert!(
            cat.targets.iter().any(|t| t.scope == c.code()),
            "{}",
            c.code()
        );
    }
    let groups: std::collections::BTreeSet<&str> = cat
        .targets
        .iter()
        .filter(|t| t.doc == "jzbf-2021-1" && t.section == "一、总体目标")
        .map(|t| t.group.as_str())
        .collect();
    assert_eq!(groups.len(), 5);
}
