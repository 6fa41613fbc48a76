//! 数据导入: upload a CSV or .xlsx in the interchange format, see every error
//! by row and column (or the class changes it would cause), then commit it
//! all or nothing while a progress bar follows the work.

use crate::imports::{
    commit_import, import_status, preview_import, ImportPreview, ImportProgress, SHOWN,
};
use crate::pages::{both, class_badge, tr};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{FormData, HtmlFormElement, SubmitEvent};
use std::time::Duration;

/// A column by its name in the reader's language and its key (the
/// English template's header).
fn column_label(key: &str, zh: bool) -> String {
    match grading::record::column_by_key(key) {
        Some(c) if zh => format!("{}（{}）", c.zh, c.key),
        Some(c) => format!("{} ({})", c.en, c.key),
        None => key.to_string(),
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let preview = Action::new_local(|data: &FormData| preview_import(data.clone().into()));
    let status: RwSignal<Option<ImportProgress>> = RwSignal::new(None);
    let commit_error: RwSignal<Option<crate::error::AppError>> = RwSignal::new(None);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.set(None);
        commit_error.set(None);
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        if let Ok(data) = FormData::new_with_form(&form) {
            preview.dispatch_local(data);
        }
    };
    let start_commit = move |id: String| {
        status.set(Some(ImportProgress {
            phase: "start".into(),
            ..Default::default()
        }));
        leptos::task::spawn_local(async move {
            if let Err(e) = commit_import(id.clone()).await {
                commit_error.set(Some(e));
                return;
            }
            // Follow the background commit until it reports the outcome.
            let handle: RwSignal<Option<IntervalHandle>> = RwSignal::new(None);
            let tick = move || {
                let id = id.clone();
                leptos::task::spawn_local(async move {
                    match import_status(id).await {
                        Ok(s) => {
                            if s.finished {
                                if let Some(h) = handle.get_untracked() {
                                    h.clear();
                                }
                            }
                            status.set(Some(s));
                        }
                        Err(e) => commit_error.set(Some(e)),
                    }
                });
            };
            if let Ok(h) = set_interval_with_handle(tick, Duration::from_millis(250)) {
                handle.set(Some(h));
            }
        });
    };
    view! {
        <h1 class="mb-2 text-xl font-semibold">{tr("数据导入", "Import data")}</h1>
        <p class="mb-3 text-sm text-slate-600">{tr(
            "上传交换格式的 CSV 或 Excel（.xlsx）文件，中文或英文表头均可。先校验预览，确认后整体导入（有任何错误则一条也不写入）；已有企业只更新文件中出现的列。",
            "Upload a CSV or Excel (.xlsx) file in the interchange format, with English or Chinese headers. It is checked and previewed first, then imported all or nothing; for enterprises already stored only the columns in the file change.",
        )}</p>
        <form on:submit=on_submit class="mb-4 flex flex-wrap items-center gap-2 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200" data-testid="import-form">
            <input type="file" name="file" accept=".csv,.xlsx" required class="text-sm" data-testid="import-file" />
            <button type="submit" class="rounded bg-emerald-700 px-3 py-1 text-white disabled:opacity-50" disabled=move || preview.pending().get()>
                {move || if preview.pending().get() { tr("校验中…", "Checking…")() } else { tr("校验并预览", "Check and preview")() }}
            </button>
        </form>
        {move || preview.value().get().map(|r| match r {
            Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
            Ok(p) => view! { <PreviewView p=p status=status commit_error=commit_error on_commit=start_commit /> }.into_any(),
        })}
    }
}

#[component]
fn PreviewView(
    p: ImportPreview,
    status: RwSignal<Option<ImportProgress>>,
    commit_error: RwSignal<Option<crate::error::AppError>>,
    on_commit: impl Fn(String) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let zh = crate::pages::is_zh();
    if p.error_count > 0 {
        let (file, rows, n) = (p.file.clone(), p.rows, p.error_count);
        return view! {
            <div data-testid="import-errors">
                <p class="mb-2 font-semibold text-red-700">{both(
                    format!("{file}：{rows} 行，{n} 处错误，未导入任何数据。"),
                    format!("{file}: {rows} rows, {n} errors; nothing was imported."),
                )}</p>
                {(n > SHOWN).then(|| view! { <p class="text-sm text-slate-500">{both(format!("（仅列出前 {SHOWN} 处）"), format!("(the first {SHOWN} are listed)"))}</p> })}
                <div class="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-red-200">
                    <table class="min-w-full text-sm">
                        <thead class="bg-red-50 text-left"><tr>
                            <th class="px-2 py-1">{tr("行", "Row")}</th>
                            <th class="px-2 py-1">{tr("列", "Column")}</th>
                            <th class="px-2 py-1">{tr("原因", "Reason")}</th>
                        </tr></thead>
                        <tbody>
                            {p.errors.into_iter().map(|e| view! {
                                <tr class="border-t border-slate-200">
                                    <td class="px-2 py-1 tabular-nums">{e.row}</td>
                                    <td class="px-2 py-1">{move || column_label(&e.column, zh())}</td>
                                    <td class="px-2 py-1">{both(e.reason.zh, e.reason.en)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </div>
        }
        .into_any();
    }
    let id = p.id.clone().unwrap_or_default();
    let started = move || status.get().is_some();
    view! {
        <div data-testid="import-ok" class="space-y-3">
            <p class="font-semibold text-emerald-800">{both(
                format!("{}：{} 行，校验通过。导入后分类变化的企业：{} 家。", p.file, p.rows, p.move_count),
                format!("{}: {} rows, all valid. Enterprises whose class the import changes: {}.", p.file, p.rows, p.move_count),
            )}</p>
            {(!p.moves.is_empty()).then(|| view! {
                <div class="max-h-80 overflow-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
                    <table class="min-w-full text-sm" data-testid="import-moves">
                        <thead class="sticky top-0 bg-slate-100 text-left"><tr>
                            <th class="px-2 py-1">{tr("企业", "Enterprise")}</th>
                            <th class="px-2 py-1">{tr("年度", "Year")}</th>
                            <th class="px-2 py-1">{tr("分类变化", "Class")}</th>
                        </tr></thead>
                        <tbody>
                            {p.moves.into_iter().map(|m| view! {
                                <tr class="border-t border-slate-200">
                                    <td class="px-2 py-1">{m.name}<span class="ml-1 font-mono text-xs text-slate-400">{m.uscc}</span></td>
                                    <td class="px-2 py-1">{m.year}</td>
                                    <td class="px-2 py-1">{m.before.map(|c| class_badge(c).into_any()).unwrap_or_else(|| view! { <span>"—"</span> }.into_any())}" → "{m.after.map(|c| class_badge(c).into_any()).unwrap_or_else(|| view! { <span>"—"</span> }.into_any())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            <button type="button" data-testid="import-commit" class="rounded bg-emerald-700 px-4 py-2 text-white disabled:opacity-50" disabled=started
                on:click={let id = id.clone(); move |_| on_commit(id.clone())}>
                {tr("确认导入", "Import now")}
            </button>
            {move || status.get().map(|s| {
                let pct = (100 * s.done).checked_div(s.total).unwrap_or(0).min(100);
                let phase = match s.phase.as_str() {
                    "insert" => tr("写入数据与审计记录", "Writing records and audit entries")(),
                    "grade" => tr("重新评价", "Regrading")(),
                    "commit" => tr("保存", "Saving")(),
                    "done" => tr("完成", "Done")(),
                    _ => tr("准备中", "Starting")(),
                };
                view! {
                    <div class="space-y-1" data-testid="import-progress">
                        <div class="text-sm">{format!("{phase} {}/{}", s.done, s.total)}</div>
                        <div class="h-3 w-full overflow-hidden rounded bg-slate-200" role="progressbar" aria-valuenow=pct aria-valuemin="0" aria-valuemax="100">
                            <div class="h-3 bg-emerald-600 transition-all" style=format!("width:{}%", if s.finished { 100 } else { pct })></div>
                        </div>
                        {s.finished.then(|| match &s.error {
                            Some(e) => view! { <p role="alert" class="text-red-700">{both(
                                format!("导入失败，未写入任何数据：{}", e.zh),
                                format!("The import failed; nothing was written: {}", e.en),
                            )}</p> }.into_any(),
                            None => view! { <p class="text-emerald-800" data-testid="import-done">{both(
                                format!("导入完成：新增 {} 条，更新 {} 条（{} 个字段），未变 {} 条。", s.created, s.updated, s.changed_fields, s.unchanged),
                                format!("Imported: {} new, {} updated ({} fields), {} unchanged.", s.created, s.updated, s.changed_fields, s.unchanged),
                            )}</p> }.into_any(),
                        })}
                    </div>
                }
            })}
            {move || commit_error.get().map(|e| view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> })}
        </div>
    }
    .into_any()
}
