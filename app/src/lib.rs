//! 亩均: Leptos pages, components and server functions. Compiled twice:
//! with `ssr` into the server, with `hydrate` into the browser's WASM.

#![recursion_limit = "256"]

/// leptos_i18n's generated module: the locale, chosen from the cookie or
/// Accept-Language and switched on the page. Its catalogue of keys is
/// empty by design (every text is a pair where it is written, `pages::tr`),
/// which leaves one empty doc line in the generated code.
#[allow(clippy::empty_docs)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}
pub use generated::i18n;

pub mod accounts;
pub mod appeals;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod context;
pub mod counties;
pub mod disclosure;
pub mod enterprises;
pub mod error;
pub mod imports;
pub mod light;
pub mod measures;
pub mod overview;
pub mod pages;
pub mod portal;
pub mod reports;
pub mod rulesets;
pub mod signoff;
#[cfg(feature = "ssr")]
pub mod state;
pub mod targets;
#[cfg(feature = "ssr")]
pub mod upload;

use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

/// The HTML document around the app (server side). Public pages
/// ([`light`]) are sent as plain HTML, without the app's WASM.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let hydrate = !light::is_light();
    #[cfg(feature = "ssr")]
    content_security_policy(hydrate);
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HashedStylesheet options=options.clone() id="leptos" />
                {hydrate.then(|| view! {
                    <AutoReload options=options.clone() />
                    <HydrationScripts options />
                })}
                <MetaTags />
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased">
                <App />
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy: scripts only from this site, and
/// inline ones only with this response's nonce (Leptos puts it on the
/// hydration script and its streamed chunks); WASM may be compiled;
/// nothing may frame the page. A light page loads no script file.
#[cfg(feature = "ssr")]
fn content_security_policy(hydrate: bool) {
    let Some(resp) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let script = match leptos::nonce::use_nonce() {
        Some(n) if hydrate => format!("'self' 'nonce-{n}' 'wasm-unsafe-eval'"),
        // Only the few inline scripts Leptos writes into the page itself.
        Some(n) => format!("'nonce-{n}'"),
        None => "'none'".to_string(),
    };
    let csp = format!(
        "default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(v) = http::HeaderValue::from_str(&csp) {
        resp.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="亩均 · 嘉兴市工业企业绩效综合评价" />
        <I18nContextProvider>
            <Router>
                <pages::layout::Layout>
                    <Routes fallback=|| view! { <pages::NotFound /> }>
                        <Route path=StaticSegment("") view=pages::home::HomePage />
                        <Route path=StaticSegment("login") view=pages::login::LoginPage />
                        <Route path=StaticSegment("account") view=pages::account::AccountPage />
                        <Route path=(StaticSegment("admin"), StaticSegment("users")) view=|| view! { <pages::ForArea area=shared::authz::Area::Admin><pages::users::UsersPage /></pages::ForArea> } />
                        <Route path=(StaticSegment("admin"), StaticSegment("rules")) view=|| view! { <pages::ForArea area=shared::authz::Area::Admin><pages::rules::RulesPage /></pages::ForArea> } />
                        <Route path=(StaticSegment("admin"), StaticSegment("reports"), ParamSegment("year")) view=|| view! { <pages::ForArea area=shared::authz::Area::Admin><pages::report::InternalReportPage /></pages::ForArea> } />
                        <Route path=(StaticSegment("reports"), ParamSegment("year")) view=pages::report::PublicReportPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("admin"), StaticSegment("disclosure")) view=|| view! { <pages::ForArea area=shared::authz::Area::Admin><pages::admin_disclosure::AdminDisclosurePage /></pages::ForArea> } />
                        // Public pages: whole HTML at once (no streaming that
                        // needs script), and no WASM (see `light`).
                        <Route path=StaticSegment("disclosure") view=pages::disclosure::DisclosureListPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("disclosure"), StaticSegment("enterprise")) view=pages::disclosure::CardPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("disclosure"), StaticSegment("leaders"), ParamSegment("year")) view=pages::measures::LeadersPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("disclosure"), StaticSegment("electricity"), ParamSegment("year")) view=pages::electricity::PublicElectricityPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("disclosure"), StaticSegment("enterprise"), ParamSegment("uscc")) view=pages::disclosure::CardPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("disclosure"), ParamSegment("year")) view=pages::disclosure::PublicationPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("disclosure"), ParamSegment("year"), StaticSegment("corrections")) view=pages::disclosure::CorrectionsPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("enterprises") view=|| view! { <pages::ForArea area=shared::authz::Area::Workspace><pages::enterprises::EnterprisesPage /></pages::ForArea> } />
                        <Route path=StaticSegment("targets") view=pages::targets::TargetsPage />
                        <Route path=StaticSegment("measures") view=|| view! { <pages::ForArea area=shared::authz::Area::Measures><pages::measures::MeasuresPage /></pages::ForArea> } />
                        <Route path=(StaticSegment("measures"), StaticSegment("electricity")) view=|| view! { <pages::ForArea area=shared::authz::Area::Electricity><pages::electricity::ElectricityPage /></pages::ForArea> } />
                        <Route path=(StaticSegment("measures"), StaticSegment("ledger")) view=|| view! { <pages::ForArea area=shared::authz::Area::Ledger><pages::ledger::LedgerPage /></pages::ForArea> } />
                        <Route path=(StaticSegment("targets"), StaticSegment("bulletin")) view=pages::targets::BulletinPage />
                        <Route path=(StaticSegment("targets"), ParamSegment("id")) view=pages::targets::TargetPage />
                        <Route path=StaticSegment("portal") view=|| view! { <pages::ForArea area=shared::authz::Area::Portal><pages::portal::PortalPage /></pages::ForArea> } />
                        <Route path=(StaticSegment("portal"), ParamSegment("year")) view=|| view! { <pages::ForArea area=shared::authz::Area::Portal><pages::portal::PortalPage /></pages::ForArea> } />
                        <Route path=(StaticSegment("portal"), ParamSegment("year"), StaticSegment("appeal")) view=|| view! { <pages::ForArea area=shared::authz::Area::Portal><pages::portal::AppealFormPage /></pages::ForArea> } />
                        <Route path=StaticSegment("notices") view=|| view! { <pages::ForArea area=shared::authz::Area::Portal><pages::portal::NoticesPage /></pages::ForArea> } />
                        <Route path=StaticSegment("appeals") view=pages::appeals::AppealsPage />
                        <Route path=(StaticSegment("appeals"), ParamSegment("id")) view=pages::appeals::AppealPage />
                        <Route path=(StaticSegment("accounts"), StaticSegment("enterprises")) view=|| view! { <pages::ForArea area=shared::authz::Area::EnterpriseAccounts><pages::enterprise_accounts::EnterpriseAccountsPage /></pages::ForArea> } />
                        <Route path=StaticSegment("overview") view=|| view! { <pages::ForArea area=shared::authz::Area::Workspace><pages::county::CountyPage /></pages::ForArea> } />
                        <Route path=StaticSegment("signoff") view=|| view! { <pages::ForArea area=shared::authz::Area::Workspace><pages::signoff::SignoffPage /></pages::ForArea> } />
                        <Route path=StaticSegment("import") view=|| view! { <pages::ForArea area=shared::authz::Area::Workspace><pages::import::ImportPage /></pages::ForArea> } />
                        <Route path=(StaticSegment("enterprises"), ParamSegment("uscc"), ParamSegment("year")) view=|| view! { <pages::ForArea area=shared::authz::Area::Workspace><pages::enterprise::EnterprisePage /></pages::ForArea> } />
                    </Routes>
                </pages::layout::Layout>
            </Router>
        </I18nContextProvider>
    }
}
