//! 企业详情: one enterprise-year. The record is a form grouped by providing
//! department; as the official types, the grading engine (compiled to WASM)
//! scores the draft in the browser against the cohort's current cut-offs.
//! Saving sends only what changed; the server validates again.

use crate::enterprises::{audit_trail, get_enterprise, AuditEntry, Detail, SaveRecord, Saved};
use crate::error::AppError;
use crate::pages::enterprises::score_text;
use crate::pages::{both, class_badge, is_zh, table_head, tr};
use grading::preview::{preview, Context, DraftError, Preview};
use grading::record::{set_field, Column, Kind, COLUMNS};
use grading::{Department, Enterprise, Words};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use std::collections::BTreeMap;

#[component]
pub fn EnterprisePage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.get();
        (
            p.get("uscc").unwrap_or_default(),
            p.get("year")
                .and_then(|y| y.parse::<i32>().ok())
                .unwrap_or_default(),
        )
    };
    let save = ServerAction::<SaveRecord>::new();
    // Edits to apply again on top of a newer version after a refused
    // (stale) save, with the version they were made at: the editor puts
    // them on any newer version it is built with, until a save lands.
    let pending: RwSignal<Option<(i32, BTreeMap<String, String>)>> = RwSignal::new(None);
    // The record is read again after a save that landed (and on demand);
    // a refused one keeps the form as typed.
    let reload = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            pending.set(None);
            reload.update(|n| *n += 1);
        }
    });
    let detail = Resource::new(
        move || (key(), reload.get()),
        |((u, y), _)| get_enterprise(u, y),
    );
    let audit = Resource::new(
        move || (key(), reload.get()),
        |((u, y), _)| audit_trail(u, y),
    );
    view! {
        <Transition fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(d) => {
                        let history = d.history.clone();
                        view! {
                            <Editor d=d save=save pending=pending reload=reload />
                            <section class="mt-8 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="year-history">
                                <h2 class="mb-2 text-lg font-semibold">{tr("历年评价", "Year by year")}</h2>
                                <crate::pages::history::YearHistory rows=history />
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
        <h2 class="mt-8 mb-2 text-lg font-semibold">{tr("修改记录", "Change history")}</h2>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match audit.await {
                    Err(e) => view! { <p class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="text-sm text-slate-500">{tr("暂无修改。", "No changes yet.")}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
                            // Scrolls sideways on a phone rather than
                            // squeezing its columns to a character each.
                            <table class="min-w-[44rem] w-full text-sm" data-testid="audit">
                                {table_head(&[("时间", "When"), ("人员", "Who"), ("字段", "Field"), ("原值 → 新值", "Old → new"), ("部门 / 来源", "Department / source")])}
                                <tbody>
                                    {list.into_iter().map(|a| {
                                        let ((field, change), (field_en, change_en)) = (audit_words(&a, true), audit_words(&a, false));
                                        let dept = a.department.as_deref().and_then(Department::parse);
                                        let from = |zh: bool| {
                                            let src = source_words(&a.source, zh);
                                            dept.map_or(src.clone(), |d| format!("{} · {src}", if zh { d.zh() } else { d.en() }))
                                        };
                                        view! { <tr class="border-t border-slate-200">
                                            <td class="px-2 py-1 tabular-nums">{a.at}</td>
                                            <td class="px-2 py-1 whitespace-nowrap">{both(a.by.zh.clone(), a.by.en.clone())}</td>
                                            <td class="px-2 py-1">{both(field, field_en)}</td>
                                            <td class="px-2 py-1 text-xs">{both(change, change_en)}</td>
                                            <td class="px-2 py-1">{both(from(true), from(false))}</td>
                                        </tr> }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The groups of the form: who provides the fields.
fn groups() -> Vec<(&'static str, &'static str, Vec<&'static Column>)> {
    let of = |d: Department, keys: Option<&[&str]>| -> Vec<&'static Column> {
        COLUMNS
            .iter()
            .filter(|c| c.department == d && !["uscc", "year"].contains(&c.key))
            .filter(|c| keys.is_none_or(|k| k.contains(&c.key)))
            .collect()
    };
    let identity: &[&str] = &["name", "county", "industry", "scale"];
    let county_rest: Vec<&'static Column> = of(Department::County, None)
        .into_iter()
        .filter(|c| !identity.contains(&c.key))
        .collect();
    vec![
        (
            "基本信息",
            "Identity",
            of(Department::County, Some(identity)),
        ),
        (
            "自然资源（用地）",
            "Natural resources (land)",
            of(Department::NaturalResources, None),
        ),
        ("税务", "Tax bureau", of(Department::Tax, None)),
        (
            "统计",
            "Statistics bureau",
            of(Department::Statistics, None),
        ),
        (
            "生态环境",
            "Ecology & environment",
            of(Department::Ecology, None),
        ),
        (
            "特殊规定与加减分",
            "Special rules, bonus and penalty",
            county_rest,
        ),
    ]
}

/// Parses a draft into the engine's record, with an error per bad field.
pub(crate) fn parse_draft(
    draft: &BTreeMap<String, String>,
) -> (Enterprise, BTreeMap<String, Words>) {
    let mut e = Enterprise::default();
    let mut errors = BTreeMap::new();
    for c in COLUMNS {
        let text = draft.get(c.key).map(String::as_str).unwrap_or("");
        if let Err(reason) = set_field(&mut e, c, text) {
            errors.insert(c.key.to_string(), reason);
        }
    }
    (e, errors)
}

/// The engine's preview of a draft (the same function the server's
/// regrade agrees with), or why the draft cannot be graded.
fn preview_of(ctx: &Option<Context>, e: &Enterprise) -> Option<Result<Preview, DraftError>> {
    ctx.as_ref().map(|c| preview(c, e))
}

/// A select's options: code, Chinese and English words.
type Choice = (&'static str, &'static str, &'static str);

fn options_for(kind: Kind) -> Option<Vec<Choice>> {
    macro_rules! all {
        ($t:ty) => {
            <$t>::ALL
                .iter()
                .map(|c| (c.code(), c.zh(), c.en()))
                .collect()
        };
    }
    Some(match kind {
        Kind::County => all!(grading::County),
        Kind::Industry => all!(grading::Industry),
        Kind::Scale => all!(grading::Scale),
        Kind::Talent => all!(grading::Talent),
        Kind::Tier => all!(grading::Tier),
        Kind::Bool => vec![("false", "否", "no"), ("true", "是", "yes")],
        _ => return None,
    })
}

#[component]
fn Editor(
    d: Detail,
    save: ServerAction<SaveRecord>,
    pending: RwSignal<Option<(i32, BTreeMap<String, String>)>>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let mut start = d.fields.clone();
    let in_zh = is_zh();
    let mine = pending
        .get_untracked()
        .filter(|(read, _)| d.version > *read)
        .map(|(_, edits)| edits);
    if let Some(edits) = mine {
        for (k, v) in edits {
            if v.is_empty() {
                start.remove(&k);
            } else {
                start.insert(k, v);
            }
        }
    }
    let draft = RwSignal::new(start);
    let parsed = Memo::new(move |_| draft.with(parse_draft));
    let errors = Memo::new(move |_| parsed.with(|(_, e)| e.clone()));
    let ctx = d.preview.clone();
    let pv = Memo::new(move |_| {
        parsed.with(|(e, errs)| errs.is_empty().then(|| preview_of(&ctx, e)).flatten())
    });
    let loaded = d.fields.clone();
    let read_at = d.version;
    let stale = move || match save.value().get() {
        Some(Err(AppError(shared::ServiceError::Conflict(s)))) => Some(*s),
        _ => None,
    };
    // My edits: what the draft changes against the version it was read at.
    let reapply = Callback::new(move |_: ()| {
        let edits: BTreeMap<String, String> = draft.with_untracked(|m| {
            let keys: std::collections::BTreeSet<&String> = m.keys().chain(loaded.keys()).collect();
            keys.into_iter()
                .filter(|k| m.get(*k) != loaded.get(*k))
                .map(|k| (k.clone(), m.get(k).cloned().unwrap_or_default()))
                .collect()
        });
        pending.set(Some((read_at, edits)));
        save.clear();
        reload.update(|n| *n += 1);
    });
    // Someone else saved this record while it is open: the stream says
    // so at once, instead of a refused save later. A save of this page in
    // flight produces the next version itself.
    let elsewhere: RwSignal<Option<Saved>> = RwSignal::new(None);
    {
        let uscc = d.uscc.clone();
        crate::pages::live_client::subscribe(std::slice::from_ref(&d.uscc), move |ev| {
            let Some(s) = ev.saved.filter(|s| s.uscc == uscc && s.version > read_at) else {
                return;
            };
            let landed = save
                .value()
                .with_untracked(|v| matches!(v, Some(Ok(o)) if o.version == s.version));
            let mine = landed || (save.pending().get_untracked() && s.version == read_at + 1);
            if !mine {
                elsewhere.set(Some(s));
            }
        });
    }
    let loaded_now = d.fields.clone();
    let dirty = move || draft.with(|m| *m != loaded_now);
    let result = d.result.clone();
    let save_error = move || {
        save.value()
            .get()
            .and_then(|r| r.err())
            .map(|e| crate::pages::error_text(&e)())
    };
    let version = d.version;
    let saved = move || {
        save.value()
            .get()
            .and_then(|r| r.ok())
            .map(|o| o.changed_fields.len())
    };
    let editable = d.editable.clone();
    let year = d.year;
    let sources = d.sources.clone();
    let uscc = d.uscc.clone();
    let name = d.name.clone();
    let form_groups = groups()
        .into_iter()
        .filter(|(_, _, cols)| !cols.is_empty())
        .map(|(zh, en, cols)| {
            let fields = cols
                .into_iter()
                .map(|c| {
                    let key = c.key;
                    let enabled = editable.iter().any(|k| k == key);
                    let value = move || draft.with(|m| m.get(key).cloned().unwrap_or_default());
                    let on_input = move |ev: leptos::ev::Event| {
                        let v = event_target_value(&ev);
                        draft.update(|m| {
                            m.insert(key.to_string(), v);
                        });
                    };
                    let err = move || errors.with(|m| m.get(key).cloned());
                    // Accepted (the rules score it), but most often a typing slip.
                    let warn = move || {
                        ["tax_wan", "revenue_wan", "value_added_wan"]
                            .contains(&key)
                            .then(|| draft.with(|m| m.get(key).and_then(|v| v.trim().parse::<f64>().ok())))
                            .flatten()
                            .filter(|v| *v < 0.0)
                            .map(|_| tr(
                                "负数：按评价规则该项计 0 分，并作为数据质量问题提示。请确认不是录入错误。",
                                "Negative: the rules score this 0 and flag it as a data-quality issue. Check it is not a typing slip.",
                            )())
                    };
                    let src = sources.get(key).map(|s| {
                        let dept = Department::parse(&s.department);
                        let line = |zh: bool| {
                            let dept = dept.map_or(s.department.as_str(), |d| if zh { d.zh() } else { d.en() });
                            format!("{dept} · {} · {}", s.by.in_(zh), s.at)
                        };
                        both(line(true), line(false))
                    });
                    let input_class = move || {
                        let base = "mt-1 w-full rounded border px-2 py-1 text-sm disabled:bg-slate-100 disabled:text-slate-500";
                        if err().is_some() { format!("{base} border-red-500 bg-red-50") } else { format!("{base} border-slate-300") }
                    };
                    let control = match options_for(c.kind) {
                        Some(opts) => view! {
                            <select name=format!("fields[{key}]") disabled=!enabled class=input_class on:change=on_input data-field=key>
                                {opts.into_iter().map(|(code, zh, en)| {
                                    let code_s = code.to_string();
                                    let selected = move || { let v = value(); v == code_s || (v.is_empty() && (code == "false" || code == "none")) };
                                    view! { <option value=code selected=selected>{tr(zh, en)}</option> }
                                }).collect_view()}
                            </select>
                        }.into_any(),
                        None => view! {
                            <input name=format!("fields[{key}]") disabled=!enabled class=input_class
                                inputmode=if matches!(c.kind, Kind::Number(_) | Kind::Count) { "decimal" } else { "text" }
                                prop:value=value on:input=on_input data-field=key />
                        }.into_any(),
                    };
                    view! {
                        <label class="block">
                            <span class="text-xs text-slate-600">{tr(c.zh, c.en)}</span>
                            {control}
                            <span class="block text-xs text-red-700" data-error=key>{move || err().map(|w| w.in_(in_zh()).to_string())}</span>
                            <span class="block text-xs text-amber-700" data-warning=key>{warn}</span>
                            {src.map(|s| view! { <span class="block text-[10px] text-slate-400">{s}</span> })}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
                    <legend class="px-1 text-sm font-semibold">{tr(zh, en)}</legend>
                    <div class="grid grid-cols-1 gap-2 sm:grid-cols-2">{fields}</div>
                </fieldset>
            }
        })
        .collect_view();
    let has_errors = move || errors.with(|m| !m.is_empty());
    view! {
        <div class="mb-3 flex flex-wrap items-baseline justify-between gap-2">
            <h1 class="text-xl font-semibold" data-testid="enterprise-name">{name}</h1>
            <span class="font-mono text-sm text-slate-500">{uscc.clone()}" · "{year}</span>
        </div>
        <div class="grid gap-4 lg:grid-cols-[1fr_22rem]">
            <ActionForm action=save attr:class="space-y-3" attr:data-testid="record-form">
                <input type="hidden" name="uscc" value=uscc />
                <input type="hidden" name="year" value=year />
                <input type="hidden" name="version" value=version />
                {form_groups}
                <div class="sticky bottom-0 flex flex-wrap items-center gap-3 bg-slate-50/90 py-2">
                    <button type="submit" data-testid="save" class="rounded bg-emerald-700 px-4 py-2 text-white disabled:cursor-not-allowed disabled:opacity-50" disabled=move || has_errors() || save.pending().get()>
                        {move || if save.pending().get() { tr("保存中…", "Saving…")() } else { tr("保存并重新评价", "Save and regrade")() }}
                    </button>
                    <span role="alert" class="text-sm text-red-700" data-testid="save-error">{save_error}</span>
                    <span class="text-sm text-emerald-700" data-testid="saved">{move || saved().map(|n| format!("{} {n}", tr("已保存，修改字段数：", "Saved; fields changed:")()))}</span>
                </div>
                {move || stale().map(|s| view! { <StaleNotice changes=s.changes reapply=reapply /> })}
                {move || (stale().is_none()).then(|| elsewhere.get()).flatten().map(|s| view! { <SavedElsewhere saved=s dirty=dirty() reapply=reapply /> })}
            </ActionForm>
            <aside class="space-y-3 lg:sticky lg:top-4 lg:self-start">
                <SavedGrade result=result />
                <PreviewPanel pv=pv d=d />
            </aside>
        </div>
    }
}

/// A save refused because someone else saved first: what they changed,
/// and a way to put this official's edits on top of the newest version.
#[component]
fn StaleNotice(changes: Vec<AuditEntry>, reapply: Callback<()>) -> impl IntoView {
    view! {
        <div class="rounded-lg border border-amber-400 bg-amber-50 p-3 text-sm" data-testid="stale">
            <p class="font-semibold">{tr("保存未执行：在您打开本页之后，他人修改了这条记录：", "Not saved: since you opened this page, someone else changed this record:")}</p>
            <ul class="mt-1 list-disc pl-5">
                {changes.into_iter().map(|a| {
                    let ((field, change), (field_en, change_en)) = (audit_words(&a, true), audit_words(&a, false));
                    view! { <li>{both(format!("{} {} · {field}：{change}", a.at, a.by.zh), format!("{} {} · {field_en}: {change_en}", a.at, a.by.en))}</li> }
                }).collect_view()}
            </ul>
            <button type="button" data-testid="reapply" class="mt-2 rounded bg-amber-600 px-3 py-1 text-white" on:click=move |_| reapply.run(())>
                {tr("在最新版本上重新应用我的修改", "Apply my edits again on the newest version")}
            </button>
        </div>
    }
}

/// Someone else saved the record open on this page: who, when, and a way
/// to read the new version, keeping this official's unsaved edits.
#[component]
fn SavedElsewhere(saved: Saved, dirty: bool, reapply: Callback<()>) -> impl IntoView {
    let Saved {
        by, at, version, ..
    } = saved;
    view! {
        <div class="rounded-lg border border-sky-400 bg-sky-50 p-3 text-sm" role="status" data-testid="saved-elsewhere">
            <p>
                <span lang="zh">{by}</span>
                {tr(" 于 ", " saved this record at ")}{at}
                {move || if is_zh()() { format!(" 保存了这条记录（第 {version} 版）。") } else { format!(" (version {version}).") }}
                {dirty.then(|| tr("您尚未保存的修改会保留在新版本上。", " Your unsaved edits will be kept on the new version."))}
            </p>
            <button type="button" data-testid="load-newest" class="mt-2 rounded bg-sky-700 px-3 py-1 text-white" on:click=move |_| reapply.run(())>
                {if dirty { tr("载入最新版本并保留我的修改", "Load the new version, keeping my edits") } else { tr("载入最新版本", "Load the new version") }}
            </button>
        </div>
    }
}

#[component]
fn SavedGrade(result: Option<grading::GradeResult>) -> impl IntoView {
    let Some(r) = result else {
        return ().into_any();
    };
    let status = tr(r.status.zh(), r.status.en());
    view! {
        <div class="rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200" data-testid="saved-grade">
            <div class="text-xs text-slate-500">{tr("当前评价结果", "Current grade")}</div>
            <div class="mt-1 flex items-center gap-2">
                {r.class.map(class_badge)}
                <span class="tabular-nums">{score_text(r.score)}</span>
                <span class="text-sm text-slate-500">{match (r.rank, r.cohort_size) { (Some(a), Some(n)) => format!("{a}/{n}"), _ => status().to_string() }}</span>
            </div>
        </div>
    }.into_any()
}

#[component]
fn PreviewPanel(pv: Memo<Option<Result<Preview, DraftError>>>, d: Detail) -> impl IntoView {
    let zh = is_zh();
    let Some(rs) = d.preview.as_ref().map(|c| c.ruleset.clone()) else {
        return ().into_any();
    };
    view! {
        <div class="rounded-lg bg-white p-3 shadow-sm ring-1 ring-emerald-300" data-testid="preview">
            <div class="text-xs text-slate-500">{tr("实时预评（浏览器内计算）", "Live preview (graded in your browser)")}</div>
            {move || match pv.get() {
                None => view! { <p class="mt-2 text-sm text-red-700">{tr("请先更正标红的字段。", "Correct the fields marked in red first.")}</p> }.into_any(),
                Some(Err(e)) => {
                    let field = move || grading::record::column_by_key(&e.field).map_or(e.field.clone(), |c| c.label(zh()).to_string());
                    let reason = e.reason.clone();
                    view! { <p class="mt-2 text-sm text-red-700" data-testid="preview-error">{move || format!("{}{}{}", field(), if zh() { "：" } else { ": " }, reason.in_(zh()))}</p> }.into_any()
                }
                Some(Ok(Preview { scored: None, status, lessor_unverified, .. })) => {
                    let s = tr(status.zh(), status.en());
                    view! {
                        <p class="mt-2 text-sm" data-testid="preview-status">{s}</p>
                        {lessor_unverified.then(|| view! { <p class="text-xs text-amber-700">{tr("出租方已变更：是否合并计算，保存后确定。", "Lessor changed: whether it merges is settled on saving.")}</p> })}
                    }.into_any()
                }
                Some(Ok(p @ Preview { scored: Some(_), .. })) => {
                    let Some(s) = p.scored.clone() else { return ().into_any() };
                    let rs = rs.clone();
                    let consequences = move || p.class.map(|c| rs.consequences_for(c, zh()).into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}{}{v}", if zh() { "：" } else { ": " })).collect::<Vec<_>>()).unwrap_or_default();
                    view! {
                        <div class="mt-1 flex items-center gap-2">
                            <span data-testid="preview-class">{p.class.map(|c| class_badge(c).into_any()).unwrap_or_else(|| view! { <span>"—"</span> }.into_any())}</span>
                            <span class="text-lg font-semibold tabular-nums" data-testid="preview-score">{format!("{:.2}", s.score)}</span>
                            {p.base_class.map(|b| view! { <span class="text-xs text-slate-500">{both(format!("（按分数 {}）", b.code()), format!("(by score {})", b.code()))}</span> })}
                        </div>
                        <table class="mt-2 w-full text-xs">
                            <thead class="text-slate-500"><tr><th class="text-left">{tr("指标", "Indicator")}</th><th class="text-right">{tr("值", "Value")}</th><th class="text-right">{tr("基准", "Bench.")}</th><th class="text-right">{tr("得分/上限", "Points/cap")}</th></tr></thead>
                            <tbody>
                                {s.indicators.iter().map(|i| view! {
                                    <tr class="border-t border-slate-100">
                                        <td>{tr(i.indicator.zh(), i.indicator.en())}</td>
                                        <td class="text-right tabular-nums">{i.value.map_or("—".into(), |v| format!("{v:.2}"))}</td>
                                        <td class="text-right tabular-nums">{i.benchmark.map_or("—".into(), |v| format!("{v}"))}</td>
                                        <td class="text-right tabular-nums">{format!("{:.2}/{}", i.points, i.cap)}{i.no_emission_base.then_some("*")}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <p class="mt-1 text-xs text-slate-600">{score_parts(&s)}</p>
                        <ul class="mt-2 list-disc pl-4 text-xs text-slate-700" data-testid="preview-reasons">
                            {p.reasons.iter().map(|r| view! { <li>{tr(r.zh(), r.en())}</li> }).collect_view()}
                        </ul>
                        <ul class="mt-2 space-y-0.5 text-xs text-slate-500">
                            {move || consequences().into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                        </ul>
                        {p.lessor_unverified.then(|| view! { <p class="text-xs text-amber-700">{tr("出租方已变更：是否合并计算，保存后确定。", "Lessor changed: whether it merges is settled on saving.")}</p> })}
                    }.into_any()
                }
            }}
        </div>
    }.into_any()
}

/// An audit entry's field and change in people's words: the column's name
/// and values as words (county and industry names, 是/否); a record's
/// creation as the figures it was created with.
fn audit_words(a: &AuditEntry, zh: bool) -> (String, String) {
    let empty = || if zh { "（空）" } else { "(empty)" }.to_string();
    if a.action == "create" {
        let figures: std::collections::BTreeMap<String, String> = a
            .new_value
            .as_deref()
            .and_then(|v| serde_json::from_str(v).ok())
            .unwrap_or_default();
        // The code and name head the page already.
        let listed: Vec<String> = grading::record::COLUMNS
            .iter()
            .filter(|c| !["uscc", "name"].contains(&c.key))
            .filter_map(|c| {
                let v = figures.get(c.key).filter(|v| !v.is_empty())?;
                Some(format!("{} {}", c.label(zh), c.words_in(v, zh)))
            })
            .collect();
        return if zh {
            ("新建记录".into(), listed.join("；"))
        } else {
            ("Record created".into(), listed.join("; "))
        };
    }
    let Some(c) = a.field.as_deref().and_then(grading::record::column_by_key) else {
        let change = format!(
            "{} → {}",
            a.old_value.clone().unwrap_or_else(empty),
            a.new_value.clone().unwrap_or_else(empty)
        );
        return (a.action.clone(), change);
    };
    let word = |v: &Option<String>| v.as_deref().map_or_else(empty, |v| c.words_in(v, zh));
    (
        c.label(zh).to_string(),
        format!("{} → {}", word(&a.old_value), word(&a.new_value)),
    )
}

/// Where a change came from, in words (the file's name, the appeal's number).
fn source_words(source: &str, zh: bool) -> String {
    match (source.split_once(':'), zh) {
        _ if source == "web" => if zh {
            "网页录入"
        } else {
            "entered on the web"
        }
        .into(),
        _ if source == "seed" => if zh { "演示数据" } else { "demo data" }.into(),
        (Some(("upload", f)), true) => format!("上传导入 {f}"),
        (Some(("upload", f)), false) => format!("uploaded file {f}"),
        (Some(("import", f)), true) => format!("命令行导入 {f}"),
        (Some(("import", f)), false) => format!("command-line import {f}"),
        (Some(("appeal", n)), true) => format!("申诉更正（第 {n} 号）"),
        (Some(("appeal", n)), false) => format!("appeal correction (no. {n})"),
        _ => source.to_string(),
    }
}

/// The score's parts under the indicators, in the page's language.
fn score_parts(s: &grading::score::Scored) -> impl Fn() -> String + Send + Sync + 'static {
    let (base, b) = (s.base, s.bonus);
    both(
        format!(
            "基础分 {base:.4}；税收加分 {:.4}；创新加分 {:.4}；质量减分 {:.4}",
            b.tax, b.innovation, b.quality
        ),
        format!(
            "Base {base:.4}; tax bonus {:.4}; innovation bonus {:.4}; quality penalty {:.4}",
            b.tax, b.innovation, b.quality
        ),
    )
}
