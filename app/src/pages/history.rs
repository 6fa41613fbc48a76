//! An enterprise's years side by side (年度对比): class, score, rank and
//! the six indicator figures of each graded year — the portal and the
//! workspace record page show the same table.

use crate::pages::enterprises::score_text;
use crate::pages::{both, class_badge, tr};
use grading::Indicator;
use leptos::prelude::*;
use shared::portal::HistoryRow;

fn figure(v: Option<f64>) -> String {
    v.map_or("—".into(), |x| format!("{x:.2}"))
}

#[component]
pub fn YearHistory(rows: Vec<HistoryRow>) -> impl IntoView {
    let heads = Indicator::ALL
        .iter()
        .map(|i| {
            view! { <th class="px-2 py-1 text-right font-normal">{tr(i.zh(), i.en())}<span class="block text-xs">{{ let u = grading::rule_form::indicator_unit(*i); both(u.zh, u.en) }}</span></th> }
        })
        .collect_view();
    let body = rows
        .into_iter()
        .map(|h| {
            let below = h.scale == grading::Scale::Below;
            let cells = (0..6)
                .map(|k| {
                    // Below-size enterprises are graded on tax per mu alone.
                    let v = if below {
                        (k == 0).then_some(h.tax_per_mu).flatten()
                    } else {
                        h.values[k]
                    };
                    view! { <td class="px-2 py-1 text-right tabular-nums">{figure(v)}</td> }
                })
                .collect_view();
            let class = match h.class {
                Some(c) => class_badge(c).into_any(),
                None => view! { <span class="text-xs">{tr(h.status.zh(), h.status.en())}</span> }.into_any(),
            };
            let scale = tr(h.scale.zh(), h.scale.en());
            view! {
                <tr class="border-t border-slate-100">
                    <td class="px-2 py-1">{h.year}</td>
                    <td class="px-2 py-1">{class}</td>
                    <td class="px-2 py-1 text-right tabular-nums">{score_text(h.score)}</td>
                    <td class="px-2 py-1 text-right tabular-nums">{h.rank.zip(h.cohort_size).map_or("—".into(), |(a, n)| format!("{a}/{n}"))}</td>
                    <td class="px-2 py-1 text-xs">{scale}</td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="overflow-x-auto">
            <table class="w-full min-w-[52rem] text-sm" data-testid="history">
                <thead class="text-left text-slate-500"><tr>
                    <th class="px-2 py-1 font-normal">{tr("年度", "Year")}</th>
                    <th class="px-2 py-1 font-normal">{tr("分类", "Class")}</th>
                    <th class="px-2 py-1 text-right font-normal">{tr("得分", "Score")}</th>
                    <th class="px-2 py-1 text-right font-normal">{tr("位次", "Rank")}</th>
                    <th class="px-2 py-1 font-normal">{tr("规模", "Size")}</th>
                    {heads}
                </tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}
