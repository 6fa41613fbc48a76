//! 账户管理: the list of accounts, for the city administrator.

use crate::accounts::list_users;
use crate::pages::{role_label, tr};
use leptos::prelude::*;

#[component]
pub fn UsersPage() -> impl IntoView {
    let users = Resource::new(|| (), |_| list_users());
    view! {
        <h1 class="mb-4 text-xl font-semibold">{tr("账户管理", "Accounts")}</h1>
        <p class="mb-4 text-sm text-slate-500">{tr("新账户由管理员在服务器上用 server user add 创建。", "New accounts are created on the server with server user add.")}</p>
        <Suspense fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
                            <table class="min-w-full text-sm" data-testid="users">
                                <thead class="bg-slate-100 text-left">
                                    <tr>
                                        <th class="px-3 py-2">{tr("用户名", "Username")}</th>
                                        <th class="px-3 py-2">{tr("姓名", "Name")}</th>
                                        <th class="px-3 py-2">{tr("角色", "Role")}</th>
                                        <th class="px-3 py-2">{tr("绑定", "Bound to")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list.into_iter().map(|u| {
                                        let binding = match (u.county, u.department, u.uscc.clone()) {
                                            (_, _, Some(uscc)) => view! { <span class="font-mono">{uscc.to_string()}</span> }.into_any(),
                                            (_, Some(d), _) => { let n = tr(d.zh(), d.en()); view! { <span>{n}</span> }.into_any() }
                                            (Some(c), _, _) => { let n = tr(c.zh(), c.en()); view! { <span>{n}</span> }.into_any() }
                                            _ => view! { <span>"—"</span> }.into_any(),
                                        };
                                        view! {
                                            <tr class="border-t border-slate-200">
                                                <td class="px-3 py-2 font-mono" translate="no" data-username="">{u.username.clone()}</td>
                                                <td class="px-3 py-2" lang="zh">{u.display_name.clone()}</td>
                                                <td class="px-3 py-2">{role_label(u.role)}</td>
                                                <td class="px-3 py-2">{binding}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
