//! The signed-in user's own account: role and what it is bound to.

use crate::i18n::*;
use crate::pages::layout::use_current_user;
use crate::pages::tr;
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_current_user();
    view! {
        <h1 class="mb-4 text-xl font-semibold">{t!(i18n, account.title)}</h1>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    None => view! { <p><a class="text-emerald-700 underline" href="/login">{t!(i18n, account.need_login)}</a></p> }.into_any(),
                    Some(u) => {
                        let role = crate::pages::role_label(u.role);
                        view! {
                            <dl class="grid max-w-lg grid-cols-[auto,1fr] gap-x-6 gap-y-2 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
                                <dt class="text-slate-500">{t!(i18n, account.username)}</dt><dd>{u.username.clone()}</dd>
                                <dt class="text-slate-500">{t!(i18n, account.name)}</dt><dd>{u.display_name.clone()}</dd>
                                <dt class="text-slate-500">{t!(i18n, account.role)}</dt><dd data-testid="role">{role}</dd>
                                {u.county.map(|c| { let n = tr(c.zh(), c.en()); view! { <dt class="text-slate-500">{t!(i18n, account.county)}</dt><dd data-testid="county">{n}</dd> } })}
                                {u.department.map(|d| { let n = tr(d.zh(), d.en()); view! { <dt class="text-slate-500">{t!(i18n, account.department)}</dt><dd>{n}</dd> } })}
                                {u.uscc.clone().map(|s| view! { <dt class="text-slate-500">{t!(i18n, account.uscc)}</dt><dd class="font-mono">{s}</dd> })}
                            </dl>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
