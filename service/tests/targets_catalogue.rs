//! The shipped targets against the policy texts they come from. Each rule
//! of docs/targets.md that can be read off the text is checked here, so a
//! wrong or missing entry fails a test rather than a reader's trust:
//!
//! * every `*.toml` in `service/targets/` is loaded, with all its targets;
//! * every quote occurs in its seed (whitespace aside, seed 000's garbled
//!   punctuation substituted), and the target's number — or its words —
//!   stands in that quote as a number of its own (30 is not found in 300);
//!   a per-county table's value is read from its county's row and column;
//! * where the paragraph or list item names its units (责任单位, or the
//!   list's unit column, or the area's “由…牵头实施”), the lead is the first
//!   unit named and the support list the rest; `lead_note` (“推定…”) is
//!   there exactly when nothing is named (seeds laid out one paragraph a
//!   line; seed 000 is wrapped in columns and checked by review);
//! * aspirational is one rule: 力争、争取、争创、争列、预期 or 努力 before
//!   the number in the same sentence (one word governs every number after
//!   it up to 。or ；), for every quote of the target (a firm statement
//!   anywhere binds);
//! * nothing is stated twice.

use service::targets::catalogue::{load, Catalogue, Target, FILES, INFERRED};
use service::targets::Comparator;
use std::collections::{BTreeMap, HashMap};

/// Seed 000's garbled punctuation (its README), applied to both sides.
fn subst(c: char) -> char {
    match c {
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
    }
}

fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(subst)
        .collect()
}

/// A seed with whitespace taken out, remembering each byte's line, so that
/// a quote can be placed in its paragraph (seeds other than 000 hold one
/// paragraph, list item or table cell a line).
struct Seed {
    text: String,
    line: Vec<usize>,
    lines: Vec<String>,
    /// Lines are paragraphs (not seed 000's wrapped columns).
    paragraphs: bool,
}

impl Seed {
    fn read(name: &str) -> Seed {
        let path = format!("{}/targets/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
        let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut text = String::new();
        let mut line = Vec::new();
        let mut lines = Vec::new();
        for (i, l) in raw.lines().enumerate() {
            for c in l.chars().filter(|c| !c.is_whitespace()).map(subst) {
                let at = text.len();
                text.push(c);
                line.resize(text.len(), i);
                let _ = at;
            }
            lines.push(l.chars().map(subst).collect());
        }
        Seed {
            text,
            line,
            lines,
            paragraphs: !name.starts_with("000"),
        }
    }

    /// The sentence around byte `at`: back to the last 。or ；(or the
    /// paragraph's start), forward to the next.
    fn sentence(&self, at: usize) -> (usize, usize) {
        let stop = |c: char| c == '。' || c == '；';
        let mut start = 0;
        for (i, c) in self.text[..at].char_indices().rev() {
            if stop(c) || (self.paragraphs && self.line[i] != self.line[at]) {
                start = i + c.len_utf8();
                break;
            }
        }
        let mut end = self.text.len();
        for (i, c) in self.text[at..].char_indices() {
            let i = at + i;
            if stop(c) || (self.paragraphs && self.line[i] != self.line[at]) {
                end = i;
                break;
            }
        }
        (start, end)
    }
}

/// `v` as the texts write it (at most two decimals).
fn number_text(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Where `needle` stands in `hay` as a number of its own: not inside a
/// longer number (30 in 300, 1 in 1.5).
fn find_number(hay: &str, needle: &str) -> Option<usize> {
    let numeric = |c: char| c.is_ascii_digit() || c == '.';
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let at = from + i;
        let before = hay[..at].chars().next_back();
        let after = hay[at + needle.len()..].chars().next();
        let after_ok = match after {
            Some('.') => !hay[at + needle.len() + 1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit()),
            Some(c) => !c.is_ascii_digit(),
            None => true,
        };
        if !before.is_some_and(numeric) && after_ok {
            return Some(at);
        }
        from = at + needle.len();
    }
    None
}

/// The words that make a target aspirational (docs/targets.md).
const ASPIRATIONAL: &[&str] = &["力争", "争取", "争创", "争列", "预期", "努力"];

/// One statement of a target in its seed: where the quote starts and where
/// its number (or words) stands.
struct Placed {
    quote_at: usize,
    number_at: usize,
}

fn place(seed: &Seed, t: &Target, quote: &str) -> Result<Placed, String> {
    let q = normalise(quote);
    let quote_at = seed
        .text
        .find(&q)
        .ok_or_else(|| format!("quote not in the seed: {quote}"))?;
    if let Some(col) = t.column {
        let cells = row_cells(seed, quote_at, quote);
        let cell = cells
            .get(col)
            .ok_or_else(|| format!("row {:?} has no cell {col}", cells.first()))?;
        let v = t.value.unwrap_or(f64::NAN);
        let read: String = cell
            .trim_end_matches("以上")
            .trim_end_matches("左右")
            .to_string();
        if read != number_text(v) {
            return Err(format!("cell {col} of {:?} is {cell}, not {v}", cells[0]));
        }
        return Ok(Placed {
            quote_at,
            number_at: quote_at,
        });
    }
    let within = match (&t.words, t.value) {
        (Some(w), _) => q.find(&normalise(w)),
        (None, Some(v)) => find_number(&q, &number_text(v)),
        (None, None) => Some(0),
    };
    let within = within.ok_or_else(|| {
        format!(
            "neither {:?} nor {:?} in “{quote}” as a number of its own",
            t.value, t.words
        )
    })?;
    Ok(Placed {
        quote_at,
        number_at: quote_at + within,
    })
}

/// A table row as the seed lays it out: the row's name (which may wrap
/// over several lines), then one cell a line up to a blank line.
fn row_cells(seed: &Seed, at: usize, quote: &str) -> Vec<String> {
    let label = normalise(quote.split_whitespace().next().unwrap_or(""));
    let mut i = seed.line[at];
    let mut name = String::new();
    while name != label && i < seed.lines.len() {
        name.push_str(&normalise(&seed.lines[i]));
        i += 1;
    }
    std::iter::once(label)
        .chain(
            seed.lines[i..]
                .iter()
                .map(|l| l.trim())
                .take_while(|l| !l.is_empty())
                .map(str::to_string),
        )
        .collect()
}

/// Whether the sentence makes the number at `p` aspirational.
fn aspirational_at(seed: &Seed, p: &Placed) -> bool {
    let (start, _) = seed.sentence(p.number_at);
    let before = &seed.text[start..p.number_at];
    ASPIRATIONAL.iter().any(|w| before.contains(w))
}

/// Unit names compared with one kind of bracket.
fn unit_key(u: &str) -> String {
    u.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '〔' | '(' | '[' => '（',
            '〕' | ')' | ']' => '）',
            c => c,
        })
        .collect()
}

fn split_units(s: &str) -> Vec<String> {
    s.split('、')
        .map(|u| u.trim_end_matches("等相关涉企部门").trim())
        .filter(|u| !u.is_empty())
        .map(unit_key)
        .collect()
}

/// A line holding nothing but unit names (the 2024 list's unit column).
fn units_line(l: &str) -> Option<Vec<String>> {
    let l = l.trim();
    if l.is_empty() || l.chars().count() > 80 || l.contains(['，', '。', ',', '：']) {
        return None;
    }
    let ends = [
        "局", "委", "办", "部", "行", "院", "会", "中心", "政府", "关", "）", ")",
    ];
    let units = split_units(l);
    units
        .iter()
        .all(|u| ends.iter().any(|e| u.ends_with(e)) && u.chars().count() <= 24)
        .then_some(units)
}

/// The units the text names for the paragraph at `line`, if any: its own
/// 责任单位, the list's unit line after it, or its area's “由…牵头实施”.
fn named_units(seed: &Seed, line: usize) -> Option<Vec<String>> {
    let own = &seed.lines[line];
    for marker in ["责任单位：", "责任单位:"] {
        if let Some(i) = own.find(marker) {
            let rest = &own[i + marker.len()..];
            let end = rest.rfind(['）', ')']).unwrap_or(rest.len());
            return Some(split_units(&rest[..end]));
        }
    }
    if let Some(next) = seed.lines[line + 1..].iter().find(|l| !l.trim().is_empty()) {
        if let Some(u) = units_line(next) {
            return Some(u);
        }
    }
    // An area's opening paragraph: the heading before it names the lead.
    for l in seed.lines[..line].iter().rev() {
        if l.contains("责任单位") || units_line(l).is_some() {
            return None;
        }
        if let (Some(a), Some(b)) = (l.find("（由"), l.find("牵头实施）")) {
            return Some(split_units(&l[a + "（由".len()..b]));
        }
    }
    None
}

/// Every failure of the catalogue against its seeds.
fn check(cat: &Catalogue) -> Vec<String> {
    let mut seeds: HashMap<String, Seed> = HashMap::new();
    let mut failures = Vec::new();
    for t in &cat.targets {
        let doc = cat.docs.iter().find(|d| d.id == t.doc).unwrap();
        let seed = seeds
            .entry(doc.seed.clone())
            .or_insert_with(|| Seed::read(&doc.seed));
        if !seed.text.contains(&normalise(&doc.number)) {
            failures.push(format!("{}: {} not in {}", t.id, doc.number, doc.seed));
        }
        let mut placed = Vec::new();
        for q in std::iter::once(&t.quote).chain(&t.also) {
            match place(seed, t, q) {
                Ok(p) => placed.push(p),
                Err(e) => failures.push(format!("{}: {e}", t.id)),
            }
        }
        if placed.len() != 1 + t.also.len() {
            continue;
        }
        // Each statement is found where it stands, not at another's place.
        let mut starts: Vec<usize> = placed.iter().map(|p| p.quote_at).collect();
        starts.sort_unstable();
        starts.dedup();
        if starts.len() != placed.len() {
            failures.push(format!("{}: two quotes found at one place", t.id));
        }
        // Aspirational only if every statement is.
        let asp = placed.iter().all(|p| aspirational_at(seed, p));
        if asp != t.aspirational && t.column.is_none() {
            failures.push(format!(
                "{}: aspirational should be {asp} by the rule: “{}”",
                t.id, t.quote
            ));
        }
        // “左右” right after the number (and its unit) is approximate,
        // never a floor.
        if t.column.is_none() {
            let after_number = t.value.filter(|_| t.words.is_none()).is_some_and(|v| {
                let skip = number_text(v).chars().count();
                let after: String = seed.text[placed[0].number_at..]
                    .chars()
                    .skip(skip)
                    .take(4)
                    .collect();
                after.contains("左右")
            });
            let stated = after_number || t.words.as_deref().is_some_and(|w| w.contains("左右"));
            if stated != (t.comparator == Comparator::Approx) {
                failures.push(format!("{}: 左右 ⇔ approx: “{}”", t.id, t.quote));
            }
        }
        if let Some(n) = &t.lead_note {
            if !n.starts_with(INFERRED) {
                failures.push(format!("{}: lead_note not “{INFERRED}…”: {n}", t.id));
            }
        }
        if !seed.paragraphs {
            continue;
        }
        // A table row names no unit: its lead is inferred.
        let named = match t.column {
            Some(_) => None,
            None => named_units(seed, seed.line[placed[0].quote_at]),
        };
        match named {
            Some(units) => {
                let have: Vec<String> = t
                    .lead
                    .iter()
                    .chain(&t.support)
                    .map(|u| unit_key(u))
                    .collect();
                let lead_ok = t.lead.len() == 1 && unit_key(&t.lead[0]) == units[0];
                if !lead_ok || have != units || t.lead_note.is_some() {
                    failures.push(format!(
                        "{}: the text names {units:?}; lead {:?}, support {:?}, note {:?}",
                        t.id, t.lead, t.support, t.lead_note
                    ));
                }
            }
            None if t.lead_note.is_none() => failures.push(format!(
                "{}: the text names no unit, so the lead {:?} is inferred and needs a note",
                t.id, t.lead
            )),
            None => {}
        }
    }
    // Nothing twice: one number of one sentence sets one target, unless
    // the targets differ in what they measure (one 7% for two indicators).
    let mut at: BTreeMap<(String, String, usize), Vec<&Target>> = BTreeMap::new();
    for t in cat.targets.iter().filter(|t| t.column.is_none()) {
        let doc = cat.docs.iter().find(|d| d.id == t.doc).unwrap();
        let seed = &seeds[&doc.seed];
        for q in std::iter::once(&t.quote).chain(&t.also) {
            if let Ok(p) = place(seed, t, q) {
                if t.value.is_some() || t.words.is_some() {
                    at.entry((doc.seed.clone(), t.scope.clone(), p.number_at))
                        .or_default()
                        .push(t);
                }
            }
        }
    }
    for ((_, _, _), ts) in at {
        for (i, a) in ts.iter().enumerate() {
            for b in &ts[i + 1..] {
                if a.id != b.id && a.indicator == b.indicator {
                    failures.push(format!("{} and {} state the same target", a.id, b.id));
                }
            }
        }
    }
    failures
}

fn assert_clean(cat: &Catalogue) {
    let failures = check(cat);
    assert!(
        failures.is_empty(),
        "{} of {}:\n{}",
        failures.len(),
        cat.targets.len(),
        failures.join("\n")
    );
}

#[test]
fn every_target_states_its_seed_its_number_its_units_and_its_firmness() {
    assert_clean(&load().expect("the shipped targets parse"));
}

/// The check itself can fail: one county's value, its column, a unit, an
/// aspirational flag or a number moved into a longer one are each caught.
#[test]
fn the_check_fails_on_a_mutated_entry() {
    type Mutation = Box<dyn Fn(&mut Target) -> bool>;
    let mutations: Vec<(&str, Mutation)> = vec![
        (
            "a county's value",
            Box::new(|t: &mut Target| {
                t.scope == "haining" && t.column.is_some() && {
                    t.value = t.value.map(|v| v + 1.0);
                    true
                }
            }),
        ),
        (
            "a county's column",
            Box::new(|t: &mut Target| {
                t.scope == "pinghu" && t.column.is_some_and(|c| c > 1) && {
                    t.column = t.column.map(|c| c - 1);
                    true
                }
            }),
        ),
        (
            "a lead unit",
            Box::new(|t: &mut Target| {
                t.doc == "jzf-2024-10" && t.lead_note.is_none() && {
                    t.lead = vec!["市人力社保局".into()];
                    true
                }
            }),
        ),
        (
            "a support list",
            Box::new(|t: &mut Target| {
                t.doc == "jzbf-2023-38" && !t.support.is_empty() && {
                    t.support.pop();
                    true
                }
            }),
        ),
        (
            "the aspirational flag",
            Box::new(|t: &mut Target| {
                t.doc == "jzf-2024-10" && t.aspirational && {
                    t.aspirational = false;
                    true
                }
            }),
        ),
        (
            "a number",
            Box::new(|t: &mut Target| {
                t.doc == "jzf-2020-8" && t.words.is_none() && t.value == Some(30.0) && {
                    t.value = Some(3.0);
                    true
                }
            }),
        ),
    ];
    for (what, mutate) in mutations {
        let mut cat = load().unwrap();
        let i = cat
            .targets
            .iter()
            .position(|t| mutate(&mut t.clone()))
            .unwrap_or_else(|| panic!("no target to mutate for {what}"));
        assert!(mutate(&mut cat.targets[i]));
        let failures = check(&cat);
        assert!(
            failures.iter().any(|f| f.contains(&cat.targets[i].id)),
            "mutating {what} of {} went unnoticed",
            cat.targets[i].id
        );
    }
}

/// The catalogue is whatever the folder holds: every file there is
/// compiled in, and every target of every file is loaded.
#[test]
fn every_file_in_the_folder_is_loaded() {
    let dir = format!("{}/targets", env!("CARGO_MANIFEST_DIR"));
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let compiled: Vec<String> = FILES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(compiled, on_disk, "the compiled files are the folder's");
    assert_eq!(on_disk.len(), 10, "ten documents set targets");
    let cat = load().unwrap();
    let mut total = 0;
    for name in &on_disk {
        let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
        let v: toml::Value = toml::from_str(&text).unwrap();
        let id = v["doc"]["id"].as_str().unwrap();
        let own = v
            .get("target")
            .and_then(|t| t.as_array())
            .map_or(0, |a| a.len());
        let per_county: usize = v
            .get("county_target")
            .and_then(|t| t.as_array())
            .map_or(0, |a| {
                a.iter()
                    .map(|c| c["values"].as_table().unwrap().len())
                    .sum()
            });
        assert!(
            cat.docs.iter().any(|d| d.id == id),
            "{name}: {id} not loaded"
        );
        let loaded = cat.targets.iter().filter(|t| t.doc == id).count();
        assert_eq!(loaded, own + per_county, "{name}: targets loaded");
        assert!(loaded > 0, "{name} sets no target");
        total += loaded;
    }
    assert_eq!(cat.targets.len(), total);
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
    // The scheme's growth targets are measured by the platform.
    for id in ["jzbf-2021-5.g2", "jzbf-2021-5.g3"] {
        let t = cat.targets.iter().find(|t| t.id == id).unwrap();
        assert!(t.computed.is_some(), "{id} is computed");
    }
}
