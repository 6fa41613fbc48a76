//! Sign-in form: an `ActionForm`, so it works before (or without) WASM.

use crate::auth::Login;
use crate::pages::tr;
use leptos::prelude::*;

#[component]
pub fn LoginPage() -> impl IntoView {
    let working = tr("正在登录…", "Logging in…");
    let submit = tr("登录", "Log in");
    let zh = crate::pages::is_zh();
    let login = ServerAction::<Login>::new();
    // A refused sign-in on the light page comes back with the name typed
    // (`context::back_with_error`); the password never.
    let typed = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("username"));
    crate::pages::layout::refetch_user_after(login);
    let error = move || {
        login
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| if zh() { e.to_string() } else { e.en() })
    };
    view! {
        <div class="mx-auto max-w-sm rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
            <h1 class="mb-2 text-xl font-semibold">{tr("登录", "Log in")}</h1>
            <p class="mb-4 text-sm text-slate-500">{tr("县（市、区）经办人员、部门数据员、企业用户和市级管理员使用分配的账户登录。", "County officials, department data clerks, enterprise users and city administrators log in with the account they were given.")}</p>
            <ActionForm action=login attr:class="space-y-3">
                <label class="block">
                    <span class="text-sm">{tr("用户名", "Username")}</span>
                    <input name="username" required autocomplete="username" class="mt-1 w-full rounded border border-slate-300 px-3 py-2" value=typed />
                </label>
                <label class="block">
                    <span class="text-sm">{tr("密码", "Password")}</span>
                    <input name="password" type="password" required autocomplete="current-password" class="mt-1 w-full rounded border border-slate-300 px-3 py-2" />
                </label>
                <p role="alert" data-testid="login-error" class="text-sm text-red-700">{error}</p>
                <button type="submit" class="w-full rounded bg-emerald-700 px-3 py-2 font-medium text-white hover:bg-emerald-800 disabled:opacity-60" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { working() } else { submit() }}
                </button>
            </ActionForm>
        </div>
    }
}
