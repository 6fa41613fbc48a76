//! The frame of every page: header with a role-aware nav, language switch,
//! and a menu button for phones.

use crate::auth::{Logout, UserInfo};
use crate::i18n::*;
use crate::pages::tr;
use leptos::prelude::*;
use leptos_router::components::A;

/// The signed-in user, loaded once per page and shared with every page.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Option<UserInfo>>);

/// Bumped after a login or logout, so the user is fetched again even when
/// the redirect that follows is handled client-side.
#[derive(Clone, Copy)]
pub struct AuthVersion(pub RwSignal<u32>);

/// Bumps the auth version once an action succeeded.
pub fn refetch_user_after<A>(action: ServerAction<A>)
where
    A: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
    A::Output: Clone + Send + Sync + 'static,
    A::Error: Clone + Send + Sync + 'static,
{
    let version = expect_context::<AuthVersion>().0;
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            version.update(|v| *v += 1);
        }
    });
}

pub fn use_current_user() -> Resource<Option<UserInfo>> {
    expect_context::<CurrentUser>().0
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    provide_context(AuthVersion(version));
    let user = Resource::new(
        move || version.get(),
        |_| async { crate::auth::whoami().await.ok().flatten() },
    );
    provide_context(CurrentUser(user));
    let (menu_open, set_menu_open) = signal(false);
    // Set by the browser entry once the whole page has hydrated, the
    // area's lazily loaded page included (the server renders "false").
    let hydrated = use_context::<crate::Hydrated>().map(|h| h.0);
    let logout = ServerAction::<Logout>::new();
    refetch_user_after(logout);
    // The other language's code, which its switch is written in.
    let other_lang = move || {
        if i18n.get_locale() == Locale::zh {
            "en"
        } else {
            "zh"
        }
    };
    let switch_lang = move |_| {
        let next = if i18n.get_locale() == Locale::zh {
            Locale::en
        } else {
            Locale::zh
        };
        i18n.set_locale(next);
    };
    // The light pages are served without the app's WASM (crate::light):
    // on a phone their menu folds with a checkbox and its label (CSS's
    // `peer-checked`), no script.
    let light = crate::light::is_light();
    let links_class = move || {
        // On a desk, a row of its own under the title: links never break
        // inside, and a long list wraps between links.
        let base =
            "flex-col gap-1 md:flex md:flex-row md:flex-wrap md:items-center md:gap-x-1 md:text-sm";
        if light {
            format!("hidden peer-checked:flex {base}")
        } else if menu_open.get() {
            format!("flex {base}")
        } else {
            format!("hidden {base}")
        }
    };
    view! {
        <a href="#main" class="sr-only focus:not-sr-only">{tr("跳到正文", "Skip to content")}</a>
        <header class="bg-emerald-800 text-white shadow print:hidden" data-hydrated=move || hydrated.as_ref().is_some_and(|h| h.get()).to_string()>
            <div class="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-3">
                <A href="/" attr:class="flex items-baseline gap-2 font-semibold">
                    <span class="text-xl">{tr("亩均", "Muyi")}</span>
                    <span class="hidden text-sm font-normal text-emerald-100 sm:inline">{tr("嘉兴市工业企业绩效综合评价", "Jiaxing Industrial Enterprise Performance Evaluation")}</span>
                </A>
                // Both buttons need the app's script, which the light
                // pages do not load (their menu folds with CSS alone).
                {(!light).then(|| view! {
                <div class="flex items-center gap-2">
                    <button
                        type="button"
                        data-testid="lang-switch"
                        // It names the other language in that language.
                        lang=other_lang
                        class="rounded border border-emerald-300 px-2 py-1 text-sm hover:bg-emerald-700"
                        on:click=switch_lang
                    >
                        {tr("English", "中文")}
                    </button>
                    <button
                        type="button"
                        data-testid="menu-toggle"
                        class="rounded border border-emerald-300 px-2 py-1 text-sm md:hidden"
                        aria-expanded=move || menu_open.get().to_string()
                        on:click=move |_| set_menu_open.update(|o| *o = !*o)
                    >
                        {tr("菜单", "Menu")}
                    </button>
                </div>
                })}
                // Without script, the language is a link: the server sets
                // the same cookie and sends the reader back to this page.
                {light.then(|| {
                    let location = leptos_router::hooks::use_location();
                    let href = move || {
                        let q = location.search.get();
                        let q = q.trim_start_matches('?');
                        let here = if q.is_empty() { location.pathname.get() } else { format!("{}?{q}", location.pathname.get()) };
                        format!("/lang/{}?{}", other_lang(), serde_urlencoded::to_string([("to", here)]).unwrap_or_default())
                    };
                    view! {
                        <div class="flex items-center gap-2">
                            <a href=href data-testid="lang-switch" rel="nofollow"
                                lang=other_lang
                                class="rounded border border-emerald-300 px-2 py-1 text-sm hover:bg-emerald-700">
                                {tr("English", "中文")}
                            </a>
                            <label for="menu-folded" data-testid="menu-toggle"
                                class="cursor-pointer rounded border border-emerald-300 px-2 py-1 text-sm md:hidden">
                                {tr("菜单", "Menu")}
                            </label>
                        </div>
                        // Before the menu, its sibling: `peer-checked` unfolds it.
                        <input type="checkbox" id="menu-folded" class="peer sr-only" aria-label=tr("菜单", "Menu") />
                    }
                })}
                <nav data-testid="nav" class=move || format!("{} w-full", links_class())>
                    <A href="/" attr:class="whitespace-nowrap rounded px-2 py-1 hover:bg-emerald-700">{tr("首页", "Home")}</A>
                    <A href="/disclosure" attr:class="whitespace-nowrap rounded px-2 py-1 hover:bg-emerald-700">{tr("结果公示", "Results")}</A>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            match user.await {
                                Some(u) => view! {
                                    <RoleLinks user=u.clone() />
                                    <A href="/account" attr:class="whitespace-nowrap rounded px-2 py-1 hover:bg-emerald-700">
                                        <span data-testid="whoami" lang="zh">{u.display_name.clone()}</span>
                                    </A>
                                    <ActionForm action=logout>
                                        <button type="submit" class="whitespace-nowrap rounded px-2 py-1 hover:bg-emerald-700">{tr("退出", "Log out")}</button>
                                    </ActionForm>
                                }.into_any(),
                                None => view! {
                                    <A href="/login" attr:class="rounded bg-white/10 px-2 py-1 hover:bg-emerald-700">{tr("登录", "Log in")}</A>
                                }.into_any(),
                            }
                        })}
                    </Transition>
                </nav>
            </div>
        </header>
        <main id="main" class="mx-auto max-w-6xl px-4 py-6">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    user.await.filter(|u| u.must_change_password).map(|_| view! {
                        <p class="mb-3 rounded bg-amber-50 p-2 text-sm ring-1 ring-amber-300">
                            {tr("请先修改初始密码：", "Change your one-time password first: ")}
                            <a class="text-emerald-700 underline" href="/account">{tr("修改密码", "change password")}</a>
                        </p>
                    })
                })}
            </Transition>
            {children()}
        </main>
    }
}

/// The links of the areas the user's role uses (`authz::may_open`); the
/// server enforces the same rules on every request.
#[component]
fn RoleLinks(user: UserInfo) -> impl IntoView {
    use shared::authz::{may_open, Area};
    let link = "whitespace-nowrap rounded px-2 py-1 hover:bg-emerald-700";
    let open = move |a: Area| may_open(&user, a);
    let (portal, workspace, appeals, targets, measures, accounts, admin) = (
        open(Area::Portal),
        open(Area::Workspace),
        open(Area::Appeals),
        open(Area::Targets),
        open(Area::Measures),
        open(Area::EnterpriseAccounts),
        open(Area::Admin),
    );
    view! {
        {portal.then(|| view! {
            <A href="/portal" attr:class=link>{tr("我的评价", "My evaluation")}</A>
            <A href="/appeals" attr:class=link>{tr("我的申诉", "My appeals")}</A>
            <A href="/notices" attr:class=link>{tr("通知", "Notices")}</A>
        })}
        {workspace.then(|| view! {
            <A href="/enterprises" attr:class=link>{tr("企业评价", "Enterprises")}</A>
            <A href="/overview" attr:class=link>{tr("县域概览", "Counties")}</A>
            <A href="/import" attr:class=link>{tr("数据导入", "Import")}</A>
        })}
        {(appeals && !portal).then(|| view! {
            <A href="/appeals" attr:class=link>{tr("申诉审核", "Appeals")}</A>
        })}
        {targets.then(|| view! {
            <A href="/targets" attr:class=link>{tr("政策目标", "Targets")}</A>
        })}
        {measures.then(|| view! {
            <A href="/measures" attr:class=link>{tr("分类施策", "Measures")}</A>
        })}
        {accounts.then(|| view! {
            <A href="/accounts/enterprises" attr:class=link>{tr("企业账户", "Firm accounts")}</A>
        })}
        {admin.then(|| view! {
            <A href="/admin/users" attr:class=link>{tr("账户管理", "Accounts")}</A>
            <A href="/admin/disclosure" attr:class=link>{tr("公示管理", "Publication")}</A>
        })}
    }
}
