//! 我的评价 (the enterprise portal): the enterprise's own grade for a year
//! whose publicity has opened — why it got its class, what the class
//! means, where it stands against its cohort's cut-offs, its figures and
//! who provided them, its history — and what would change it: a sandbox
//! graded by the engine in the browser, and for each lever the smallest
//! change that reaches the next class up (`grading::whatif`). From here it
//! confirms the year or files an appeal.

use crate::pages::enterprise::parse_draft;
use crate::pages::enterprises::score_text;
use crate::pages::{both, class_badge, tr};
use crate::portal::{get_portal, ConfirmYear, PortalYear};
use grading::preview::preview;
use grading::whatif::{levers, Lever};
use grading::{Department, Words};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use std::collections::BTreeMap;

pub fn dept_name(code: &str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    match Department::parse(code) {
        Some(d) => tr(d.zh(), d.en()),
        None => tr("—", "—"),
    }
}

#[component]
pub fn PortalPage() -> impl IntoView {
    let params = use_params_map();
    let year = move || params.with(|p| p.get("year").and_then(|y| y.parse::<i32>().ok()));
    let confirm = ServerAction::<ConfirmYear>::new();
    let data = Resource::new(
        move || (year(), confirm.version().get()),
        |(y, _)| get_portal(y),
    );
    view! {
        <Transition fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! {
                        <h1 class="mb-3 text-xl font-semibold">{tr("我的评价", "My evaluation")}</h1>
                        <p role="alert" class="text-slate-700" data-testid="portal-empty">{
                            if matches!(e.0, shared::ServiceError::NotFound) {
                                tr("暂无已公示的评价结果：年度评价结果公示后，可在此查看。", "No published evaluation yet: it appears here once the year's results are published.")().to_string()
                            } else { e.to_string() }
                        }</p>
                    }.into_any(),
                    Ok(p) => view! { <Portal p=p confirm=confirm /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Portal(p: PortalYear, confirm: ServerAction<ConfirmYear>) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let year = p.year;
    let r = p.result.clone();
    let status = r.as_ref().map(|r| tr(r.status.zh(), r.status.en()));
    let confirm_error = move || {
        confirm
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| e.to_string())
    };
    view! {
        <div class="mb-3 flex flex-wrap items-baseline justify-between gap-2">
            <h1 lang="zh" class="text-xl font-semibold" data-testid="portal-name">{p.name.clone()}</h1>
            <span class="font-mono text-sm text-slate-500">{p.uscc.clone()}</span>
        </div>
        <nav class="mb-3 flex flex-wrap gap-2 text-sm" aria-label="years">
            {p.years.iter().map(|y| {
                let cls = if *y == year { "rounded bg-emerald-700 px-3 py-1 text-white" } else { "rounded bg-white px-3 py-1 ring-1 ring-slate-300" };
                view! { <a class=cls href=format!("/portal/{y}")>{crate::pages::both(format!("{y} 年度"), y.to_string())}</a> }
            }).collect_view()}
            <a class="rounded bg-white px-3 py-1 ring-1 ring-slate-300" href="/notices">{tr("消息通知", "Notices")}</a>
        </nav>
        <p class="mb-3 text-sm text-slate-600">
            {crate::pages::both(format!("公示期 {} 至 {}", p.window_start, p.window_end), format!("Publicity window {} to {}", p.window_start, p.window_end))}
            {if p.window_open { tr("（公示中，可确认或申诉）", " (open: confirm or appeal)") } else { tr("（公示期已结束）", " (window closed)") }}
        </p>
        <div class="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
            <div class="min-w-0 space-y-4">
                <section class="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="my-grade">
                    <div class="flex flex-wrap items-center gap-3">
                        <span class="text-3xl" data-testid="my-class">{r.as_ref().and_then(|r| r.class).map(|c| class_badge(c).into_any()).unwrap_or_else(|| view! { <span>"—"</span> }.into_any())}</span>
                        <span class="text-2xl font-semibold tabular-nums" data-testid="my-score">{score_text(r.as_ref().and_then(|r| r.score))}</span>
                        <span class="text-sm text-slate-600">{status}</span>
                        {r.as_ref().and_then(|r| r.rank.zip(r.cohort_size)).map(|(a, n)| view! { <span class="text-sm text-slate-600">{crate::pages::both(format!("组内第 {a} 名 / 共 {n} 家"), format!("rank {a} of {n} in the cohort"))}</span> })}
                    </div>
                    <p class="mt-1 text-sm text-slate-600">{tr("排序范围：", "Cohort: ")}{crate::pages::both(p.cohort_name.clone().unwrap_or_else(|| "—".into()), p.cohort_name_en.clone().unwrap_or_else(|| "—".into()))}
                        {r.as_ref().and_then(|r| r.base_class).map(|b| crate::pages::both(format!("；按分数为 {} 类", b.code()), format!("; class {} by score", b.code())))}</p>
                    <Reasons r=r.clone() />
                    <Indicators r=r.clone() />
                </section>
                {p.remediation.clone().map(|e| view! { <crate::pages::ledger::MyPlan e=e /> })}
                <Cutoffs cutoffs=p.cutoffs score=r.as_ref().and_then(|r| r.score) />
                {(!p.consequences.is_empty()).then(|| view! {
                    <section class="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="consequences">
                        <h2 class="mb-2 font-semibold">{tr("分类意味着什么（分类施策、要素配置）", "What the class means")}</h2>
                        <dl class="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[12rem_1fr]">
                            {
                                let (zh, en) = (p.consequences.clone(), p.consequences_en.clone());
                                move || if i18n.get_locale() == crate::i18n::Locale::zh { zh.clone() } else { en.clone() }
                                    .into_iter()
                                    .map(|(k, v)| view! { <dt class="text-slate-500">{k}</dt><dd>{if v.is_empty() { "—".to_string() } else { v }}</dd> })
                                    .collect_view()
                            }
                        </dl>
                    </section>
                })}
                <Sandbox p=p.clone() />
                <History p=p.clone() />
                <Figures p=p.clone() />
            </div>
            // On a phone the actions come first.
            <aside class="order-first min-w-0 space-y-3 lg:order-none lg:sticky lg:top-4 lg:self-start">
                <section class="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="actions">
                    <h2 class="mb-2 font-semibold">{tr("确认或申诉", "Confirm or appeal")}</h2>
                    {p.confirmed.clone().map(|c| view! { <p class="text-sm text-emerald-800" data-testid="confirmed">{crate::pages::both(format!("已确认（{c}）"), format!("Confirmed ({c})"))}</p> })}
                    {p.may_confirm.then(|| view! {
                        <ActionForm action=confirm attr:class="mb-2">
                            <input type="hidden" name="year" value=year />
                            <button type="submit" data-testid="confirm" class="w-full rounded bg-emerald-700 px-3 py-2 text-white">{tr("确认本年度数据和分类（一企一单确认）", "Confirm this year's data and class")}</button>
                        </ActionForm>
                    })}
                    <p role="alert" class="text-sm text-red-700">{confirm_error}</p>
                    {if p.may_appeal {
                        view! { <a href=format!("/portal/{year}/appeal") data-testid="appeal-link" class="block rounded bg-amber-600 px-3 py-2 text-center text-white">{tr("对数据或分类有异议：提出申诉", "Disagree: file an appeal")}</a> }.into_any()
                    } else {
                        view! { <p class="text-sm text-slate-600" data-testid="appeal-blocked">{crate::pages::both(p.appeal_blocked.clone().unwrap_or_default(), p.appeal_blocked_en.clone().unwrap_or_default())}</p> }.into_any()
                    }}
                    {(!p.appeals.is_empty()).then(|| view! {
                        <h3 class="mt-3 text-sm font-semibold">{tr("我的申诉", "My appeals")}</h3>
                        <ul class="text-sm">
                            {p.appeals.iter().map(|a| {
                                let st = tr(a.status.zh(), a.status.en());
                                view! { <li><a class="text-emerald-700 underline" href=format!("/appeals/{}", a.id)>{a.receipt.clone()}</a>" · "<span data-testid="my-appeal-status">{st}</span></li> }
                            }).collect_view()}
                        </ul>
                    })}
                </section>
            </aside>
        </div>
    }
}

#[component]
fn Reasons(r: Option<grading::GradeResult>) -> impl IntoView {
    let reasons = r.map(|r| r.reasons).unwrap_or_default();
    view! {
        <div class="mt-3">
            <h3 class="text-sm font-semibold">{tr("为什么是这一类", "Why this class")}</h3>
            {if reasons.is_empty() {
                view! { <p class="text-sm text-slate-600">{tr("按综合得分在排序范围内的位次确定，未适用特殊规定。", "By the score's position in the cohort; no special rule applied.")}</p> }.into_any()
            } else {
                let i18n = crate::i18n::use_i18n();
                view! { <ul class="list-disc pl-5 text-sm" data-testid="my-reasons">
                    {reasons.into_iter().map(|x| view! { <li>{move || if i18n.get_locale() == crate::i18n::Locale::zh { x.zh() } else { x.en() }}</li> }).collect_view()}
                </ul> }.into_any()
            }}
        </div>
    }
}

#[component]
fn Indicators(r: Option<grading::GradeResult>) -> impl IntoView {
    let Some(r) = r.filter(|r| !r.indicators.is_empty()) else {
        return ().into_any();
    };
    view! {
        <div class="mt-3 overflow-x-auto">
            <table class="min-w-full text-sm" data-testid="my-indicators">
                <thead class="bg-slate-100 text-left"><tr>
                    <th class="px-2 py-1">{tr("指标", "Indicator")}</th>
                    <th class="px-2 py-1 text-right">{tr("本企业", "Yours")}</th>
                    <th class="px-2 py-1 text-right">{tr("基准值", "Benchmark")}</th>
                    <th class="px-2 py-1 text-right">{tr("得分 / 上限", "Points / cap")}</th>
                </tr></thead>
                <tbody>
                    {r.indicators.iter().map(|i| view! {
                        <tr class="border-t border-slate-100">
                            <td class="px-2 py-1">{tr(i.indicator.zh(), i.indicator.en())}</td>
                            <td class="px-2 py-1 text-right tabular-nums">{i.value.map_or("—".into(), |v| format!("{v:.2}"))}</td>
                            <td class="px-2 py-1 text-right tabular-nums">{i.benchmark.map_or("—".into(), |v| format!("{v:.2}"))}</td>
                            <td class="px-2 py-1 text-right tabular-nums">{format!("{:.2} / {:.2}", i.points, i.cap)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="mt-1 text-xs text-slate-600">{crate::pages::both(
                format!("基础分 {}；加分：税收 {:.2}、创新 {:.2}；减分：质量 {:.2}", score_text(r.base), r.bonus.tax, r.bonus.innovation, r.bonus.quality),
                format!("Base {}; bonus: tax {:.2}, innovation {:.2}; penalty: quality {:.2}", score_text(r.base), r.bonus.tax, r.bonus.innovation, r.bonus.quality),
            )}</p>
        </div>
    }
    .into_any()
}

/// A score beside another: two decimals, or the four a class compares when
/// two decimals would not tell them apart.
fn fine(v: f64, other: f64) -> String {
    if (v - other).abs() < 0.01 {
        format!("{v:.4}")
    } else {
        format!("{v:.2}")
    }
}

/// Where the score stands against the cohort's lowest scores of A, B, C.
#[component]
fn Cutoffs(cutoffs: [Option<f64>; 3], score: Option<f64>) -> impl IntoView {
    let Some(s) = score else {
        return ().into_any();
    };
    let top = cutoffs.iter().flatten().fold(s, |m, v| m.max(*v)) * 1.15;
    let x = move |v: f64| (v / top * 300.0).clamp(0.0, 300.0);
    let bands = {
        let [a, b, c] = cutoffs;
        let edges = [c.unwrap_or(0.0), b.unwrap_or(0.0), a.unwrap_or(top)];
        vec![
            (0.0, edges[0], "#dc2626"),
            (edges[0], edges[1], "#f59e0b"),
            (edges[1], edges[2], "#0284c7"),
            (edges[2], top, "#059669"),
        ]
    };
    view! {
        <section class="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="cutoffs">
            <h2 class="mb-2 font-semibold">{tr("与本组分类线的距离", "Against the cohort's cut-offs")}</h2>
            <svg viewBox="0 0 300 40" class="h-12 w-full" role="img" aria-label="cut-offs">
                {bands.into_iter().map(|(a, b, color)| view! { <rect x=x(a) y="10" width=(x(b) - x(a)).max(0.0) height="14" fill=color opacity="0.75" /> }).collect_view()}
                <line x1=x(s) x2=x(s) y1="4" y2="30" stroke="#0f172a" stroke-width="2" />
                <text x=x(s) y="39" font-size="8" text-anchor="middle">{format!("{s:.2}")}</text>
            </svg>
            <ul class="mt-1 grid grid-cols-3 gap-2 text-xs text-slate-600">
                {["A", "B", "C"].into_iter().zip(cutoffs).map(|(k, v)| view! {
                    <li>{crate::pages::both(
                            format!("{k} 类最低分 {}", v.map_or("—".into(), |v| fine(v, s))),
                            format!("Lowest {k}: {}", v.map_or("—".into(), |v| fine(v, s))),
                        )}
                        {v.filter(|v| *v > s).map(|v| crate::pages::both(format!("（差 {}）", fine(v - s, 0.0)), format!(" ({} short)", fine(v - s, 0.0))))}</li>
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// The sandbox: the enterprise changes its own figures and the engine
/// grades them against the current cut-offs; beside it, each lever's
/// smallest change to the next class up.
///
/// The portal is a light page (`crate::light`): the figures are a GET form
/// and the server grades what it sends (in the address) with the same engine, so
/// a phone downloads no WASM. Opened inside the running app (from another
/// page), the same view grades as the figures are typed, and its links
/// and form stay on the page.
#[component]
fn Sandbox(p: PortalYear) -> impl IntoView {
    let Some(ctx) = p.preview.clone() else {
        return view! {
            <section class="rounded-lg bg-white p-4 text-sm text-slate-600 shadow-sm ring-1 ring-slate-200">
                {tr("本年度未参与排序（新企业、合并计算或不参评行业），没有可模拟的分类。", "Not ranked this year (new, merged or excluded): nothing to simulate.")}
            </section>
        }
        .into_any();
    };
    let year = p.year;
    let original = p.fields.clone();
    // The figures the sandbox's form sent, over those on file.
    let draft = RwSignal::new(leptos_router::hooks::use_query_map().with_untracked(|q| {
        let mut d = original.clone();
        d.extend(
            Lever::ALL
                .iter()
                .filter_map(|l| q.get(l.field()).map(|v| (l.field().to_string(), v))),
        );
        d
    }));
    // The address of the sandbox with the figures tried so far and `key`
    // set to `value`.
    let original_for_href = original.clone();
    let href_with = move |key: &'static str, value: String| {
        let mut pairs: Vec<(String, String)> = draft.with_untracked(|d| {
            Lever::ALL
                .iter()
                .map(|l| l.field())
                .filter_map(|k| {
                    d.get(k)
                        .filter(|v| original_for_href.get(k) != Some(*v))
                        .map(|v| (k.to_string(), v.clone()))
                })
                .collect()
        });
        pairs.retain(|(x, _)| x != key);
        pairs.push((key.to_string(), value));
        let q = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if q.is_empty() {
            format!("/portal/{year}#sandbox")
        } else {
            format!("/portal/{year}?{q}#sandbox")
        }
    };
    let hydrated = use_context::<crate::Hydrated>().map(|h| h.0);
    let ctx2 = ctx.clone();
    let projected = Memo::new(move |_| {
        draft.with(|d| {
            let (e, errs) = parse_draft(d);
            let named = |k: &str, v: Words| {
                let c = grading::record::column_by_key(k);
                (
                    format!("{}：{}", c.map_or(k, |c| c.zh), v.zh),
                    format!("{}: {}", c.map_or(k, |c| c.en), v.en),
                )
            };
            if let Some((k, v)) = errs.into_iter().next() {
                return Err(named(&k, v));
            }
            preview(&ctx2, &e).map_err(|e| named(&e.field, e.reason))
        })
    });
    let (base, _) = parse_draft(&original);
    let answers = levers(&ctx, &base);
    let set = move |key: &'static str, v: String| {
        draft.update(|m| {
            m.insert(key.to_string(), v);
        })
    };
    let reset_to = original.clone();
    view! {
        <section id="sandbox" class="rounded-lg bg-white p-4 shadow-sm ring-1 ring-emerald-300" data-testid="sandbox">
            <h2 class="font-semibold">{tr("怎样才能提升分类（模拟，不改变在档数据）", "What would change my class (a simulation; nothing is saved)")}</h2>
            <p class="mb-2 text-xs text-slate-500">{tr("由评价引擎按现行评价规则（含特殊规定）计算，对照本组当前分类线。", "Graded by the evaluation engine under the current rules (special provisions included), against the cohort's current cut-offs.")}</p>
            <form method="get" action=format!("/portal/{year}#sandbox") data-testid="sandbox-form"
                on:submit=|ev: leptos::web_sys::SubmitEvent| ev.prevent_default()>
            <div class="grid grid-cols-2 gap-2 sm:grid-cols-4">
                {Lever::ALL.into_iter().map(|l| {
                    let key = l.field();
                    let label = grading::record::column_by_key(key).map_or((key, key), |c| (c.zh, c.en));
                    view! {
                        <label class="block text-xs">
                            <span class="text-slate-600">{tr(label.0, label.1)}</span>
                            <input class="mt-1 w-full rounded border border-slate-300 px-2 py-1 text-sm" inputmode="decimal" data-sandbox=key name=key
                                value=draft.with_untracked(|m| m.get(key).cloned().unwrap_or_default())
                                prop:value=move || draft.with(|m| m.get(key).cloned().unwrap_or_default())
                                on:input=move |ev| set(key, event_target_value(&ev)) />
                        </label>
                    }
                }).collect_view()}
            </div>
            // Inside the running app the result follows the typing.
            <button type="submit" data-testid="sandbox-submit"
                class=move || if hydrated.as_ref().is_some_and(|h| h.get()) { "hidden" } else { "mt-2 rounded bg-emerald-700 px-3 py-1 text-sm text-white" }>
                {tr("计算模拟结果", "Grade these figures")}
            </button>
            </form>
            <div class="mt-2 flex flex-wrap items-center gap-3" data-testid="sandbox-result">
                {move || match projected.get() {
                    Ok(pv) => {
                        // The score to the precision the cut-offs compare (4
                        // decimals), and the rule that set the class when the
                        // score alone gave another.
                        let by_score = pv.base_class.filter(|b| Some(*b) != pv.class).map(|b| both(format!("按分数为 {} 类", b.code()), format!("class {} by score", b.code())));
                        view! {
                            <span>{tr("模拟结果：", "Projected: ")}</span>
                            <span data-testid="sandbox-class">{pv.class.map(|c| class_badge(c).into_any()).unwrap_or_else(|| view! { <span>{tr(pv.status.zh(), pv.status.en())}</span> }.into_any())}</span>
                            <span class="font-semibold tabular-nums" data-testid="sandbox-score">{pv.scored.map_or("—".into(), |s| format!("{:.4}", s.score))}</span>
                            {by_score.map(|w| view! { <span class="text-xs text-slate-600" data-testid="sandbox-by-score">{w}</span> })}
                            <ul class="w-full list-disc pl-5 text-xs text-amber-800" data-testid="sandbox-rules">
                                {pv.reasons.iter().map(|r| view! { <li>{tr(r.zh(), r.en())}</li> }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Err((zh, en)) => view! { <span class="text-sm text-red-700">{crate::pages::both(zh, en)}</span> }.into_any(),
                }}
                <a href=format!("/portal/{year}#sandbox") class="rounded border border-slate-300 px-2 py-1 text-xs"
                    on:click=move |ev| { ev.prevent_default(); draft.set(reset_to.clone()) }>{tr("恢复在档数据", "Reset")}</a>
            </div>
            <Levers answers=answers draft=draft href_with=href_with />
        </section>
    }
    .into_any()
}

#[component]
fn Levers(
    answers: Option<grading::whatif::Levers>,
    draft: RwSignal<BTreeMap<String, String>>,
    href_with: impl Fn(&'static str, String) -> String + 'static,
) -> impl IntoView {
    let Some(l) = answers else {
        return view! { <p class="mt-3 text-sm text-slate-600">{tr("已是 A 类：没有更高的分类。", "Class A already: nothing higher.")}</p> }.into_any();
    };
    let i18n = crate::i18n::use_i18n();
    view! {
        <h3 class="mt-3 text-sm font-semibold">{crate::pages::both(format!("单项达到 {} 类所需（其他数据不变）", l.target.code()), format!("To reach class {} with one figure (the others unchanged)", l.target.code()))}</h3>
        <table class="mt-1 min-w-full text-sm" data-testid="levers">
            <tbody>
                {l.answers.into_iter().map(|a| {
                    let name = move || if i18n.get_locale() == crate::i18n::Locale::zh { a.lever.zh() } else { a.lever.en() };
                    let cur = a.current.unwrap_or(0.0);
                    let text = match a.needed {
                        Some(v) => {
                            let delta = v - cur;
                            let pct = if cur > 0.0 { format!(" ({:+.1}%)", delta / cur * 100.0) } else { String::new() };
                            let t = format!("{cur:.2} → {v:.2}{pct}");
                            crate::pages::both(t.clone(), t)
                        }
                        None => crate::pages::both("仅靠此项无法达到".into(), "Not reachable by this figure alone".into()),
                    };
                    let key = a.lever.field();
                    view! {
                        <tr class="border-t border-slate-100" data-lever=key>
                            <td class="py-1 pr-2">{name}</td>
                            <td class="py-1 tabular-nums" data-needed=a.needed.map(|v| format!("{v:.2}"))>{text}</td>
                            <td class="py-1 text-right">{a.needed.map(|v| view! {
                                <a href=href_with(key, format!("{v:.2}")) class="rounded border border-emerald-600 px-2 text-xs text-emerald-800" data-try=key
                                    on:click=move |ev| { ev.prevent_default(); draft.update(|m| { m.insert(key.to_string(), format!("{v:.2}")); }) }>{tr("代入模拟", "Try it")}</a>
                            })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// 历年评价: every graded year's class, score, rank and figures (the
/// table the workspace's record page shows).
#[component]
fn History(p: PortalYear) -> impl IntoView {
    view! {
        <section class="min-w-0 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <h2 class="mb-2 font-semibold">{tr("历年评价", "History")}</h2>
            <crate::pages::history::YearHistory rows=p.history.clone() />
        </section>
    }
}

#[component]
fn Figures(p: PortalYear) -> impl IntoView {
    view! {
        <section class="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <h2 class="mb-1 font-semibold">{tr("在档数据及提供部门", "Figures on file and who provided them")}</h2>
            <p class="mb-2 text-xs text-slate-500">{tr("谁提供、谁核对、谁负责：对某项数据有异议，由提供该数据的部门核实。", "Whoever provides a figure checks it: an appeal of a figure goes to its provider.")}</p>
            <div class="overflow-x-auto">
                <table class="min-w-full text-sm" data-testid="figures">
                    <tbody>
                        {p.figures.iter().filter(|f| !f.value.is_empty()).map(|f| view! {
                            <tr class="border-t border-slate-100">
                                <td class="py-0.5 pr-2 text-slate-600">{crate::pages::both(f.label.clone(), f.label_en.clone())}</td>
                                <td class="py-0.5 pr-2 font-mono">{if f.key == "name" { view! { <span lang="zh">{f.value.clone()}</span> }.into_any() } else { crate::pages::both(f.value.clone(), f.value_en.clone()).into_any() }}</td>
                                <td class="py-0.5 pr-2">{dept_name(&f.provider)}</td>
                                <td class="py-0.5 text-xs text-slate-400">{crate::pages::both(f.entered.clone().unwrap_or_default(), f.entered_en.clone().unwrap_or_default())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The appeal form: contested figures with the values claimed, an
/// explanation and evidence files. Sent as multipart; in the browser the
/// form stays as typed when the server refuses it.
#[component]
pub fn AppealFormPage() -> impl IntoView {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{FormData, HtmlFormElement, SubmitEvent};
    let params = use_params_map();
    let year = move || params.with(|p| p.get("year").and_then(|y| y.parse::<i32>().ok()));
    let data = Resource::new(year, get_portal);
    let send = Action::new_local(|d: &FormData| crate::portal::file_appeal(d.clone().into()));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        if let Ok(d) = FormData::new_with_form(&form) {
            send.dispatch_local(d);
        }
    };
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok((id, _))) = send.value().get() {
            navigate(&format!("/appeals/{id}"), Default::default());
        }
    });
    let error = move || {
        send.value()
            .get()
            .and_then(|r| r.err())
            .map(|e| e.to_string())
    };
    view! {
        <h1 class="mb-3 text-xl font-semibold">{tr("提出申诉", "File an appeal")}</h1>
        <Transition fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(p) if !p.may_appeal => view! { <p role="alert" class="text-slate-700">{crate::pages::both(p.appeal_blocked.clone().unwrap_or_default(), p.appeal_blocked_en.clone().unwrap_or_default())}</p> }.into_any(),
                    Ok(p) => {
                        let options: Vec<(String, String, String)> = p.figures.iter()
                            .filter(|f| !["name", "county"].contains(&f.key.as_str()))
                            .map(|f| {
                                let dept = Department::parse(&f.provider);
                                (
                                    f.key.clone(),
                                    format!("{}（在档：{}；{}）", f.label, if f.value.is_empty() { "空" } else { &f.value }, dept.map_or("", |d| d.zh())),
                                    format!("{} (on file: {}; {})", f.label_en, if f.value_en.is_empty() { "empty" } else { &f.value_en }, dept.map_or("", |d| d.en())),
                                )
                            })
                            .collect();
                        view! {
                            <p class="mb-3 text-sm text-slate-600"><span lang="zh">{p.name.clone()}</span>{crate::pages::both(
                                format!(" · {} 年度。每一项由提供该数据的部门核实，县（市、区）统筹；一般在 10 个工作日内答复。", p.year),
                                format!(" · {}. Each item is checked by the department that provided it, coordinated by the county; the answer usually comes within 10 working days.", p.year),
                            )}</p>
                            <form method="post" action="/api/file_appeal" enctype="multipart/form-data" on:submit=on_submit class="space-y-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="appeal-form">
                                <input type="hidden" name="year" value=p.year />
                                <fieldset class="space-y-2">
                                    <legend class="text-sm font-semibold">{tr("有异议的数据或认定，及您主张的值", "Contested figures or flags, and the values you claim")}</legend>
                                    {(0..5).map(|n| {
                                        let options = options.clone();
                                        view! {
                                            <div class="grid grid-cols-1 gap-2 sm:grid-cols-[1fr_12rem]">
                                                <select name="field" class="rounded border border-slate-300 px-2 py-1 text-sm" data-item=n>
                                                    <option value="">{tr("（不填）", "(none)")}</option>
                                                    {options.into_iter().map(|(k, zh, en)| view! { <option value=k>{crate::pages::both(zh, en)}</option> }).collect_view()}
                                                </select>
                                                <input name="claimed" class="rounded border border-slate-300 px-2 py-1 text-sm" placeholder=tr("主张的值", "Claimed value") data-claimed=n />
                                            </div>
                                        }
                                    }).collect_view()}
                                    <p class="text-xs text-slate-500">{tr("是/否类认定（如有效期内高新技术企业、安全事故起数）请填“是”“否”或数字。", "For flags type yes or no; for counts, a number.")}</p>
                                </fieldset>
                                <label class="block text-sm">
                                    <span class="font-semibold">{tr("申诉理由", "Explanation")}</span>
                                    <textarea name="explanation" rows="4" maxlength="5000" class="mt-1 w-full rounded border border-slate-300 px-2 py-1" data-testid="explanation"></textarea>
                                </label>
                                <label class="block text-sm">
                                    <span class="font-semibold">{tr("证明材料（PDF、JPG、PNG，每个不超过 10 MB，最多 5 个）", "Evidence (PDF, JPEG, PNG; 10 MB each; up to 5)")}</span>
                                    <input type="file" name="files" multiple accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" class="mt-1 block w-full text-sm" data-testid="evidence" />
                                </label>
                                <p role="alert" class="text-sm text-red-700" data-testid="appeal-error">{error}</p>
                                <button type="submit" data-testid="file-appeal" class="rounded bg-amber-600 px-4 py-2 text-white disabled:opacity-50" disabled=move || send.pending().get()>
                                    {move || if send.pending().get() { tr("提交中…", "Sending…")() } else { tr("提交申诉", "File the appeal")() }}
                                </button>
                            </form>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The enterprise's notices; opening the page marks them read.
#[component]
pub fn NoticesPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| crate::portal::notices());
    let read = ServerAction::<crate::portal::MarkNoticesRead>::new();
    Effect::new(move |_| {
        read.dispatch(crate::portal::MarkNoticesRead {});
    });
    view! {
        <h1 class="mb-3 text-xl font-semibold">{tr("消息通知", "Notices")}</h1>
        <Transition fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(l) if l.is_empty() => view! { <p class="text-slate-600">{tr("暂无通知。", "No notices.")}</p> }.into_any(),
                    Ok(l) => view! {
                        <ul class="space-y-2" data-testid="notices">
                            {l.into_iter().map(|n| view! {
                                <li class=if n.read { "rounded bg-white p-3 text-sm ring-1 ring-slate-200" } else { "rounded bg-amber-50 p-3 text-sm ring-1 ring-amber-300" }>
                                    <div class="text-xs text-slate-500">{n.at.clone()}</div>
                                    <div>{crate::pages::both(n.text.clone(), n.text_en.clone())}</div>
                                    {n.appeal_id.map(|id| view! { <a class="text-xs text-emerald-700 underline" href=format!("/appeals/{id}")>{tr("查看申诉", "View the appeal")}</a> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
