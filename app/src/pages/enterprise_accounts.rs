//! 企业账户 (county officials, the city administrator): the county's
//! enterprises and their accounts; create one (its one-time password shown
//! once) or many (a sheet of user names and one-time passwords downloads).

use crate::accounts::{enterprise_candidates, CreateEnterpriseAccount, ReissueEnterprisePassword};
use crate::pages::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn EnterpriseAccountsPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|m| m.get("q").unwrap_or_default());
    let create = ServerAction::<CreateEnterpriseAccount>::new();
    let reissue = ServerAction::<ReissueEnterprisePassword>::new();
    let list = Resource::new(
        move || (q(), create.version().get()),
        |(q, _)| enterprise_candidates(q),
    );
    // The latest of the two actions' results is shown.
    let last = RwSignal::new(None::<Result<crate::accounts::Issued, crate::error::AppError>>);
    Effect::new(move |_| {
        if let Some(r) = create.value().get() {
            last.set(Some(r));
        }
    });
    Effect::new(move |_| {
        if let Some(r) = reissue.value().get() {
            last.set(Some(r));
        }
    });
    let issued = move || last.get();
    let i18n = crate::i18n::use_i18n();
    let zh = move || i18n.get_locale() == crate::i18n::Locale::zh;
    view! {
        <h1 class="mb-3 text-xl font-semibold">{tr("企业账户", "Enterprise accounts")}</h1>
        <p class="mb-3 text-sm text-slate-600">{tr(
            "为本县（市、区）企业开设账户：用户名为统一社会信用代码，初始密码仅显示一次，企业首次登录须修改，7 天内有效。企业遗忘密码或初始密码过期时，可“重新发放”：原密码即刻失效，企业已登录的会话一并结束。",
            "Accounts for the county's enterprises: the user name is the USCC; the one-time password is shown once, must be changed at first login and works for 7 days. When an enterprise forgets its password or the one-time one runs out, reissue it: the old password stops working at once and the enterprise's open sessions end.")}</p>
        <form method="get" class="mb-3 flex gap-2 text-sm">
            <input name="q" class="rounded border border-slate-300 px-2 py-1" placeholder=tr("企业名称或代码", "Name or USCC") prop:value=q />
            <button class="rounded bg-emerald-700 px-3 py-1 text-white">{tr("查找", "Search")}</button>
        </form>
        {move || issued().map(|r| match r {
            Ok(i) => view! {
                <div class="mb-3 rounded-lg bg-amber-50 p-3 text-sm ring-1 ring-amber-300" data-testid="issued">
                    <p class="font-semibold">{if zh() { format!("已为 {} 发放初始密码。请将以下信息交给企业（仅显示这一次）：", i.name) } else { format!("A one-time password for {}. Hand this to the enterprise (shown this once):", i.name) }}</p>
                    <p>{tr("用户名：", "User name: ")}<span class="font-mono" data-testid="issued-username">{i.username.clone()}</span></p>
                    <p>{tr("初始密码：", "One-time password: ")}<span class="font-mono" data-testid="issued-password">{i.password.clone()}</span></p>
                    <p>{tr("有效期至（北京时间）：", "Valid until (Beijing time): ")}<span data-testid="issued-expires">{i.expires.clone()}</span></p>
                </div>
            }.into_any(),
            Err(e) => view! { <p role="alert" class="mb-3 text-sm text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
        })}
        <Transition fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(l) => view! {
                        // Many at once: a plain form post that downloads the sheet.
                        <form method="post" action="/accounts/enterprises.xlsx" data-testid="bulk-form">
                            <div class="mb-2 flex flex-wrap items-center gap-2">
                                <button type="submit" class="rounded bg-emerald-700 px-3 py-1 text-sm text-white" data-testid="bulk-create">{tr("为勾选的企业开设账户并下载初始密码表（.xlsx）", "Create accounts for the ticked enterprises and download the sheet (.xlsx)")}</button>
                            </div>
                            <div class="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
                                <table class="min-w-full text-sm" data-testid="candidates">
                                    <tbody>
                                        {l.into_iter().map(|c| {
                                            let uscc = c.uscc.clone();
                                            view! {
                                                <tr class="border-t border-slate-100">
                                                    <td class="px-2 py-1">{c.username.is_none().then(|| view! { <input type="checkbox" name="uscc" value=c.uscc.clone() aria-label=c.name.clone() /> })}</td>
                                                    <td class="px-2 py-1">{c.name.clone()}</td>
                                                    <td class="px-2 py-1 font-mono text-xs">{c.uscc.clone()}</td>
                                                    <td class="px-2 py-1">{match c.username.clone() {
                                                        Some(u) => {
                                                            let again = uscc.clone();
                                                            view! {
                                                                <span class="text-xs text-slate-500">{if zh() { format!("已开设：{u}") } else { format!("Account: {u}") }}</span>
                                                                " "
                                                                <button type="button" class="rounded border border-amber-600 px-2 text-xs text-amber-800" data-reissue=uscc.clone()
                                                                    on:click=move |_| { reissue.dispatch(ReissueEnterprisePassword { uscc: again.clone() }); }>{tr("重新发放初始密码", "Reissue password")}</button>
                                                            }.into_any()
                                                        }
                                                        None => view! {
                                                            <button type="button" class="rounded border border-emerald-600 px-2 text-xs text-emerald-800" data-create=uscc.clone()
                                                                on:click=move |_| { create.dispatch(CreateEnterpriseAccount { uscc: uscc.clone() }); }>{tr("开设账户", "Create")}</button>
                                                        }.into_any(),
                                                    }}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </form>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
