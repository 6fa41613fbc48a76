//! 评价规则 (city administrator): each year's ruleset as a form. Every
//! number is a field with its unit; saving keeps a draft (refusals name
//! the field and the rule, in the page's language); adopting the draft
//! makes it the year's ruleset and regrades the year. The scheme's
//! suggestion sits beside each benchmark. A year whose publicity window
//! has opened is shown read-only. The forms work without WASM.

use crate::pages::{both, is_zh, tr};
use crate::rulesets::{get_rules, AdoptRules, DiscardRules, RulesPage as Rules, SaveRulesDraft};
use grading::rule_form::{Problem, RuleField, Section};
use grading::Words;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

fn words(w: &Words) -> impl Fn() -> String + Send + Sync + 'static {
    both(w.zh.clone(), w.en.clone())
}

fn number(v: f64) -> String {
    grading::measures::number(v)
}

#[component]
pub fn RulesPage() -> impl IntoView {
    let query = use_query_map();
    let year = move || query.with(|m| m.get("year").and_then(|y| y.parse::<i32>().ok()));
    let save = ServerAction::<SaveRulesDraft>::new();
    let adopt = ServerAction::<AdoptRules>::new();
    let discard = ServerAction::<DiscardRules>::new();
    // Reloaded after a save only when it was kept: a refused save leaves
    // the typed numbers in the form to be mended.
    let kept = Memo::new(move |prev: Option<&usize>| match save.value().get() {
        Some(Ok(d)) if d.problems.is_empty() => save.version().get_untracked(),
        _ => prev.copied().unwrap_or(0),
    });
    let data = Resource::new(
        move || {
            (
                year(),
                kept.get(),
                adopt.version().get(),
                discard.version().get(),
            )
        },
        |(y, ..)| get_rules(y),
    );
    let zh = is_zh();
    let outcome = move || {
        let e = |e: crate::error::AppError| crate::pages::error_text(&e)();
        [
            save.value().get().map(|r| match r {
                Ok(d) if d.problems.is_empty() && d.changed == 0 => {
                    tr("没有改动。", "Nothing changed.")().to_string()
                }
                Ok(d) if d.problems.is_empty() => both(
                    format!("草稿已保存：改动 {} 项。", d.changed),
                    format!("Draft saved: {} figure(s) changed.", d.changed),
                )(),
                Ok(d) => both(
                    format!("有 {} 处需要修改，草稿未保存。", d.problems.len()),
                    format!(
                        "{} problem(s) to mend; the draft was not saved.",
                        d.problems.len()
                    ),
                )(),
                Err(x) => e(x),
            }),
            adopt.value().get().map(|r| match r {
                Ok(n) => both(
                    format!("已采用：本年度 {n} 家企业已按新规则重新评价。"),
                    format!("Adopted: the year's {n} enterprises were graded again under it."),
                )(),
                Err(x) => e(x),
            }),
            discard.value().get().map(|r| match r {
                Ok(()) => tr("草稿已放弃。", "Draft discarded.")().to_string(),
                Err(x) => e(x),
            }),
        ]
        .into_iter()
        .flatten()
        .next()
    };
    let problems = move || match save.value().get() {
        Some(Ok(d)) => d.problems,
        _ => vec![],
    };
    view! {
        <crate::pages::YearTabs current="rules" />
        <h1 class="mb-1 text-xl font-semibold">{tr("评价规则", "Evaluation rules")}</h1>
        <p class="mb-3 max-w-3xl text-sm text-slate-600">{tr(
            "每个年度按本年度的评价规则评价；尚未制定的年度沿用上一年度规则。修改先保存为草稿，确认后“采用”，本年度企业即按新规则重新评价；公示开始后本年度规则冻结。六项指标基准值按全市规上工业企业该指标近三年平均值的 2 倍左右确定，原则上每 3 年调整一次（嘉政办发〔2021〕5号）。",
            "Each year is graded under its own ruleset; a year without one uses the year before's. Changes are saved as a draft and, once adopted, the year's enterprises are graded again under them; the ruleset is frozen once the year's results go on public notice. The six benchmarks are set at about twice the city's three-year average of each indicator for above-size enterprises, revised in principle every three years (Jiaxing municipal government office document No. 5 of 2021).",
        )}</p>
        <p role="status" class="mb-2 text-sm text-slate-800" data-testid="rules-outcome">{outcome}</p>
        <Transition fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(p) => view! { <YearRules p=p save=save adopt=adopt discard=discard problems=Signal::derive(problems) zh=Signal::derive(zh) /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn YearRules(
    p: Rules,
    save: ServerAction<SaveRulesDraft>,
    adopt: ServerAction<AdoptRules>,
    discard: ServerAction<DiscardRules>,
    problems: Signal<Vec<Problem>>,
    zh: Signal<bool>,
) -> impl IntoView {
    let year = p.year;
    let frozen = p.frozen.is_some();
    let has_draft = p.draft.is_some();
    let records = p.records;
    let years = p
        .years
        .clone()
        .into_iter()
        .map(|y| {
            let current = y.year == year;
            let class = if current {
                "rounded-full bg-emerald-700 px-3 py-1 text-white"
            } else {
                "rounded-full bg-white px-3 py-1 ring-1 ring-slate-300 hover:bg-slate-50"
            };
            view! {
                <A href=format!("/admin/rules?year={}", y.year) attr:class=class attr:aria-current=current.then_some("page")>
                    {y.year}" · "{words(&y.state)}
                </A>
            }
        })
        .collect_view();
    let source = match p.inherited_from {
        Some(from) => both(
            format!("本年度尚无自己的规则，现沿用 {from} 年度规则。"),
            format!("The year has no ruleset of its own and uses the {from} ruleset."),
        ),
        None => both(
            "本年度规则已制定。".into(),
            "The year has its own ruleset.".into(),
        ),
    };
    let draft = p.draft.clone().map(|d| {
        let rows = d
            .changes
            .iter()
            .map(|c| {
                view! {
                    <tr class="border-t border-slate-100">
                        <td class="px-2 py-1">{words(&c.label)}</td>
                        <td class="px-2 py-1 text-right tabular-nums">{if c.old.is_empty() { "—".to_string() } else { c.old.clone() }}</td>
                        <td class="px-2 py-1 text-right font-semibold tabular-nums">{if c.new.is_empty() { "—".to_string() } else { c.new.clone() }}</td>
                    </tr>
                }
            })
            .collect_view();
        let n = d.changes.len();
        view! {
            <section class="mb-4 rounded-lg bg-amber-50 p-3 text-sm ring-1 ring-amber-200" data-testid="rules-draft">
                <p class="font-semibold">{both(
                    format!("草稿：与现行规则相比改动 {n} 项 · {} 保存于 {}（北京时间）", d.saved_by, d.saved_at),
                    format!("Draft: {n} figure(s) differ from the ruleset in force · saved by {} at {} (Beijing time)", d.saved_by, d.saved_at),
                )}</p>
                {(n > 0).then(|| view! {
                    <div class="mt-2 overflow-x-auto">
                        <table class="w-full min-w-[28rem] text-left">
                            <thead><tr class="text-xs text-slate-600">
                                <th class="px-2 py-1">{tr("项目", "Figure")}</th>
                                <th class="px-2 py-1 text-right">{tr("现行", "In force")}</th>
                                <th class="px-2 py-1 text-right">{tr("草稿", "Draft")}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                })}
                {(!frozen).then(|| view! {
                    <div class="mt-3 flex flex-wrap gap-2">
                        <ActionForm action=adopt>
                            <input type="hidden" name="year" value=year />
                            <button type="submit" class="rounded bg-emerald-700 px-3 py-1 text-white" data-testid="rules-adopt">{if records == 0 { both("采用草稿（本年度尚无企业数据）".into(), "Adopt the draft (no enterprise data this year yet)".into()) } else { both(
                                format!("采用草稿，按新规则重新评价本年度 {records} 家企业"),
                                format!("Adopt the draft and grade the year's {records} enterprises again"),
                            ) }}</button>
                        </ActionForm>
                        <ActionForm action=discard>
                            <input type="hidden" name="year" value=year />
                            <button type="submit" class="rounded bg-white px-3 py-1 ring-1 ring-slate-300" data-testid="rules-discard">{tr("放弃草稿", "Discard the draft")}</button>
                        </ActionForm>
                    </div>
                    <crate::pages::simulator::Simulator year=year />
                })}
            </section>
        }
    });
    let suggestions = p.suggestions.clone();
    let sections = Section::ALL
        .into_iter()
        .filter_map(|s| {
            let fields: Vec<RuleField> = p.fields.iter().filter(|f| f.section == s).cloned().collect();
            if fields.is_empty() {
                return None;
            }
            let inputs = fields
                .into_iter()
                .map(|f| {
                    let hint = suggestions.iter().find(|x| x.key == f.key).cloned();
                    view! { <Field f=f frozen=frozen problems=problems zh=zh hint=hint /> }
                })
                .collect_view();
            let title = words(&s.words());
            Some(view! {
                <fieldset class="mb-4 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200" data-testid=format!("rules-{s:?}")>
                    <legend class="px-1 font-semibold">{title}</legend>
                    <div class="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">{inputs}</div>
                </fieldset>
            })
        })
        .collect_view();
    let problem_list = move || {
        let ps = problems.get();
        (!ps.is_empty()).then(|| {
            let z = zh.get();
            view! {
                <ul role="alert" class="mb-3 list-disc rounded-lg bg-red-50 p-3 pl-7 text-sm text-red-800 ring-1 ring-red-200" data-testid="rules-problems">
                    {ps.into_iter().map(|p| view! { <li>{p.label.in_(z).to_string()}{if p.label.zh.is_empty() { "" } else if z { "：" } else { ": " }}{p.reason.in_(z).to_string()}</li> }).collect_view()}
                </ul>
            }
        })
    };
    view! {
        <nav class="mb-3 flex flex-wrap gap-2 text-sm" aria-label=tr("年度", "Year") data-testid="rules-years">{years}</nav>
        <h2 class="text-lg font-semibold" lang="zh">{p.name.clone()}</h2>
        <p class="mb-2 text-sm text-slate-600">{source}" "{both(format!("本年度录入企业 {records} 家。"), format!("{records} enterprise record(s) this year."))}</p>
        {p.frozen.clone().map(|w| view! { <p class="mb-3 rounded bg-slate-100 p-2 text-sm" data-testid="rules-frozen">{words(&w)}</p> })}
        {draft}
        {problem_list}
        <ActionForm action=save attr:data-testid="rules-form">
            <input type="hidden" name="year" value=year />
            {sections}
            {(!frozen).then(|| view! {
                <div class="sticky bottom-0 flex flex-wrap items-center gap-3 border-t border-slate-200 bg-slate-50/95 py-2">
                    <button type="submit" class="rounded bg-sky-700 px-4 py-1.5 text-white" data-testid="rules-save">{tr("保存草稿", "Save the draft")}</button>
                    <span class="text-xs text-slate-600">{if has_draft { tr("保存到本年度草稿；采用后才生效。", "Saved into the year's draft; it applies once adopted.") } else { tr("保存后生成本年度草稿；采用后才生效。", "Saving starts the year's draft; it applies once adopted.") }}</span>
                </div>
            })}
        </ActionForm>
    }
}

#[component]
fn Field(
    f: RuleField,
    frozen: bool,
    problems: Signal<Vec<Problem>>,
    zh: Signal<bool>,
    hint: Option<shared::rulesets::Suggestion>,
) -> impl IntoView {
    let key = f.key.clone();
    let k2 = key.clone();
    let problem = move || {
        problems
            .get()
            .into_iter()
            .find(|p| p.key == k2)
            .map(|p| p.reason.in_(zh.get()).to_string())
    };
    let bad = Signal::derive({
        let problem = problem.clone();
        move || problem().is_some()
    });
    let label = words(&f.label);
    let unit = words(&f.unit);
    let id = format!("rule-{}", key.replace('.', "-"));
    let hint = hint.map(|h| {
        let inputs_zh: Vec<String> = h
            .inputs
            .iter()
            .map(|(y, v)| format!("{y} 年 {}", v.map(number).unwrap_or_else(|| "—".into())))
            .collect();
        let inputs_en: Vec<String> = h
            .inputs
            .iter()
            .map(|(y, v)| format!("{y}: {}", v.map(number).unwrap_or_else(|| "—".into())))
            .collect();
        let text = match h.value {
            Some(v) => both(
                format!(
                    "方案建议：约 {}（全市规上企业平均 {}，取平均的 2 倍）",
                    number(v),
                    inputs_zh.join("、")
                ),
                format!(
                    "Scheme's suggestion: about {} (twice the city average of above-size enterprises: {})",
                    number(v),
                    inputs_en.join(", ")
                ),
            ),
            None => both(
                "方案建议：此前尚无已评价年度的数据".into(),
                "Scheme's suggestion: no graded year before this one".into(),
            ),
        };
        view! { <span class="block text-xs text-sky-800" data-testid="rules-suggestion">{text}</span> }
    });
    view! {
        <label class="block text-sm" for=id.clone()>
            <span class="block text-slate-700">{label}</span>
            <span class="mt-1 flex items-center gap-1">
                <input
                    id=id.clone()
                    name=format!("edits[{key}]")
                    value=f.text()
                    inputmode="decimal"
                    disabled=frozen
                    placeholder=if f.optional { "—" } else { "" }
                    aria-invalid=move || bad.get().then_some("true")
                    class=move || if bad.get() { "w-full rounded border border-red-500 bg-red-50 px-2 py-1 tabular-nums" } else { "w-full rounded border border-slate-300 px-2 py-1 tabular-nums disabled:bg-slate-100" }
                />
                <span class="shrink-0 text-xs text-slate-500">{unit}</span>
            </span>
            {hint}
            <span class="block text-xs text-red-700" data-testid="rules-field-problem">{problem}</span>
        </label>
    }
}
