//! Pages and the layout around them.

pub mod account;
pub mod admin_disclosure;
pub mod appeals;
pub mod charts;
pub mod county;
pub mod disclosure;
pub mod electricity;
pub mod enterprise;
pub mod enterprise_accounts;
pub mod enterprises;
pub mod history;
pub mod home;
pub mod import;
pub mod layout;
pub mod ledger;
pub mod live_client;
pub mod login;
pub mod measures;
pub mod portal;
pub mod report;
pub mod rules;
pub mod signoff;
pub mod simulator;
pub mod targets;
pub mod users;

use crate::i18n::*;
use leptos::prelude::*;

/// Picks the Chinese or English text of a domain term for the current locale.
pub fn tr(
    zh: &'static str,
    en: &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || {
        if i18n.get_locale() == Locale::zh {
            zh
        } else {
            en
        }
    }
}

/// Whether the page speaks Chinese now; read inside a closure, so the text
/// follows the language switch.
pub fn is_zh() -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || i18n.get_locale() == Locale::zh
}

/// A text written by the platform in both languages, or by a person in one:
/// where there is no English, the Chinese is marked as such.
pub fn said(zh: String, en: String) -> impl IntoView {
    let lang = (zh == en).then_some("zh");
    view! { <span lang=lang>{both(zh, en)}</span> }
}

/// An error in the page's language.
pub fn error_text(e: &crate::error::AppError) -> impl Fn() -> String + Send + Sync + 'static {
    both(e.to_string(), e.en())
}

/// The error a server function sent back in the address to a plain form
/// of a light page (`crate::light`; server_fn's `__path`/`__err`), for a
/// form whose action is not a `ServerAction` (which reads it itself).
pub fn form_error<S: leptos::server_fn::ServerFn>() -> Option<crate::error::AppError> {
    use leptos::server::ServerActionError;
    use leptos::server_fn::error::ServerFnUrlError;
    use_context::<ServerActionError>()
        .filter(|e| e.path() == S::PATH)
        .map(|e| ServerFnUrlError::<crate::error::AppError>::decode_err(e.err()))
}

/// A table's header row, each column named in the current locale.
pub fn table_head(cols: &'static [(&'static str, &'static str)]) -> impl IntoView {
    view! {
        <thead class="bg-slate-100 text-left"><tr>
            {cols.iter().map(|(zh, en)| view! { <th class="px-2 py-1">{tr(zh, en)}</th> }).collect_view()}
        </tr></thead>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    view! { <p class="p-6 text-slate-600">{tr("页面不存在。", "Page not found.")}</p> }
}

/// The route's `{year}` (0 when absent or not a number).
pub fn year_param() -> impl Fn() -> i32 + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || {
        params.with(|p| {
            p.get("year")
                .and_then(|y| y.parse::<i32>().ok())
                .unwrap_or(0)
        })
    }
}

/// A text the server wrote in both languages, in the current one.
pub fn both(zh: String, en: String) -> impl Fn() -> String + Send + Sync + 'static {
    let i18n = use_i18n();
    move || {
        if i18n.get_locale() == Locale::zh {
            zh.clone()
        } else {
            en.clone()
        }
    }
}

/// A page of one area of the screens: a signed-in user whose role does not
/// use it (`service::authz::may_open`) gets the not-found page, as for an
/// address that does not exist. The server refuses their requests anyway.
/// Signed out, the page itself asks to sign in.
#[component]
pub fn ForArea(area: shared::authz::Area, children: ChildrenFn) -> impl IntoView {
    let user = use_context::<layout::CurrentUser>();
    view! {
        <Transition fallback=|| ()>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    let u = match user {
                        Some(u) => u.0.await,
                        None => None,
                    };
                    match u {
                        Some(u) if !shared::authz::may_open(&u, area) => view! { <NotFound /> }.into_any(),
                        _ => children().into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// A role's name in the current locale.
pub fn role_label(
    role: crate::auth::Role,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    use crate::auth::Role;
    match role {
        Role::CityAdmin => tr("市级管理员", "City administrator"),
        Role::CountyOfficial => tr("县（市、区）经办人员", "County official"),
        Role::Department => tr("部门数据员", "Department data clerk"),
        Role::Enterprise => tr("企业用户", "Enterprise user"),
        Role::LeadUnit => tr("牵头单位用户", "Lead unit"),
        Role::Implementer => tr("实施单位用户（分类施策）", "Implementing unit"),
    }
}

pub const CLASS_STYLE: [&str; 4] = [
    "bg-emerald-600 text-white",
    "bg-sky-600 text-white",
    "bg-amber-500 text-white",
    "bg-red-600 text-white",
];

/// A coloured A–D badge.
pub fn class_badge(class: grading::Class) -> impl IntoView {
    view! { <span class=format!("inline-block rounded px-2 py-0.5 text-xs font-semibold {}", CLASS_STYLE[class as usize])>{class.code()}</span> }
}

/// A filter `<select>` of an enum's codes with an "all" choice first, the
/// current value selected (the lists of the workspace and of the public
/// disclosure share it).
pub fn enum_select(
    name: &'static str,
    all: (&'static str, &'static str),
    items: impl IntoIterator<Item = (&'static str, &'static str, &'static str)>,
    current: &Option<String>,
) -> impl IntoView {
    let options = items
        .into_iter()
        .map(|(code, zh, en)| {
            let selected = current.as_deref() == Some(code);
            view! { <option value=code selected=selected>{tr(zh, en)}</option> }
        })
        .collect_view();
    view! {
        <select name=name class="rounded border border-slate-300 bg-white px-2 py-1 text-sm" aria-label=name>
            <option value="">{tr(all.0, all.1)}</option>
            {options}
        </select>
    }
}

/// The year's work as tabs: sign-off for everyone who keeps data; the
/// rules and the publication for the city administrator.
#[component]
pub fn YearTabs(current: &'static str) -> impl IntoView {
    use shared::authz::Area;
    const TABS: &[Tab] = &[
        Tab("signoff", "/signoff", ("核实上报", "Data sign-off"), None),
        Tab(
            "rules",
            "/admin/rules",
            ("评价规则", "Rules"),
            Some(Area::Admin),
        ),
        Tab(
            "disclosure",
            "/admin/disclosure",
            ("公示管理", "Publication"),
            Some(Area::Admin),
        ),
    ];
    view! { <Tabs current=current tabs=TABS testid="year-tabs" /> }
}

/// A tab: its key, address, words, and the area a user must be able to
/// open to see it (`None`: whoever sees the tabs).
pub struct Tab(
    pub &'static str,
    pub &'static str,
    pub (&'static str, &'static str),
    pub Option<shared::authz::Area>,
);

/// A row of tabs between related pages, each shown to the users whose role
/// opens its area.
#[component]
pub fn Tabs(current: &'static str, tabs: &'static [Tab], testid: &'static str) -> impl IntoView {
    let user = use_context::<layout::CurrentUser>();
    view! {
        <nav class="mb-3 flex flex-wrap gap-1 border-b border-slate-200 text-sm" data-testid=testid>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let u = match user {
                        Some(u) => u.0.await,
                        None => None,
                    };
                    tabs.iter()
                        .filter(|t| t.3.is_none_or(|a| u.as_ref().is_some_and(|u| shared::authz::may_open(u, a))))
                        .map(|Tab(key, href, label, _)| {
                            let here = *key == current;
                            let cls = if here {
                                "rounded-t border-b-2 border-emerald-700 px-3 py-1 font-semibold text-emerald-800"
                            } else {
                                "rounded-t px-3 py-1 text-slate-600 hover:bg-slate-100"
                            };
                            view! { <a class=cls href=*href aria-current=here.then_some("page")>{tr(label.0, label.1)}</a> }
                        })
                        .collect_view()
                })}
            </Transition>
        </nav>
    }
}
