//! Sign-in form: an `ActionForm`, so it works before (or without) WASM.

use crate::auth::Login;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let login = ServerAction::<Login>::new();
    crate::pages::layout::refetch_user_after(login);
    let error = move || {
        login
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| e.to_string())
    };
    view! {
        <div class="mx-auto max-w-sm rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
            <h1 class="mb-2 text-xl font-semibold">{t!(i18n, login.title)}</h1>
            <p class="mb-4 text-sm text-slate-500">{t!(i18n, login.hint)}</p>
            <ActionForm action=login attr:class="space-y-3">
                <label class="block">
                    <span class="text-sm">{t!(i18n, login.username)}</span>
                    <input name="username" required autocomplete="username" class="mt-1 w-full rounded border border-slate-300 px-3 py-2" />
                </label>
                <label class="block">
                    <span class="text-sm">{t!(i18n, login.password)}</span>
                    <input name="password" type="password" required autocomplete="current-password" class="mt-1 w-full rounded border border-slate-300 px-3 py-2" />
                </label>
                <p role="alert" data-testid="login-error" class="text-sm text-red-700">{error}</p>
                <button type="submit" class="w-full rounded bg-emerald-700 px-3 py-2 font-medium text-white hover:bg-emerald-800 disabled:opacity-60" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { t_string!(i18n, login.working) } else { t_string!(i18n, login.submit) }}
                </button>
            </ActionForm>
        </div>
    }
}
