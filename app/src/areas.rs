//! The pages of each area as lazily loaded routes: in the browser's build
//! each area's pages are one split point (`#[lazy]`), so wasm-split
//! (scripts/front.sh) moves their code out of the main module and a
//! visitor downloads the areas they open, not the whole platform (an
//! enterprise on a phone no longer downloads the officials' workspace).
//! The start pages (home, sign-in, account) stay in the main module.
//!
//! One split point per area rather than per page: wasm-split makes one
//! chunk per set of split points sharing a function, so thirty pages would
//! give a thousand small files (docs/performance.md, "Splitting by route").
//!
//! Each page is a unit struct implementing `LazyRoute`; its `preload`
//! fetches the area's chunk before the route renders. Hydration needs
//! that: the router awaits `preload` and then hydrates the page at once,
//! so the page's view must be ready on the first poll, or tachys finds the
//! server's markup where it expected a placeholder.

use crate::pages::{self, ForArea};
use leptos::prelude::*;
use leptos_router::LazyRoute;
use shared::authz::Area;

/// One area: an enum of its pages, the lazily loaded function that builds
/// a page's view, and one `LazyRoute` per page. `$preload` is the name
/// `#[lazy]` gives the loader's preload function (`__preload_<loader>`).
macro_rules! area {
    ($kind:ident, $loader:ident, $preload:ident { $($page:ident => $view:expr,)* }) => {
        #[derive(Clone, Copy)]
        pub enum $kind { $($page),* }

        #[leptos::lazy]
        fn $loader(page: $kind) -> AnyView {
            match page {
                $($kind::$page => $view.into_any(),)*
            }
        }

        $(
            pub struct $page;

            impl LazyRoute for $page {
                fn data() -> Self {
                    $page
                }

                async fn view(_: Self) -> AnyView {
                    $loader($kind::$page).await
                }

                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }
            }
        )*
    };
}

area!(AdminPage, admin_area, __preload_admin_area {
    Users => view! { <ForArea area=Area::Admin><pages::users::UsersPage /></ForArea> },
    Rules => view! { <ForArea area=Area::Admin><pages::rules::RulesPage /></ForArea> },
    InternalReport => view! { <ForArea area=Area::Admin><pages::report::InternalReportPage /></ForArea> },
    AdminDisclosure => view! { <ForArea area=Area::Admin><pages::admin_disclosure::AdminDisclosurePage /></ForArea> },
    EnterpriseAccounts => view! { <ForArea area=Area::EnterpriseAccounts><pages::enterprise_accounts::EnterpriseAccountsPage /></ForArea> },
});

area!(PublicPage, public_area, __preload_public_area {
    PublicReport => view! { <pages::report::PublicReportPage /> },
    DisclosureList => view! { <pages::disclosure::DisclosureListPage /> },
    Card => view! { <pages::disclosure::CardPage /> },
    Leaders => view! { <pages::measures::LeadersPage /> },
    PublicElectricity => view! { <pages::electricity::PublicElectricityPage /> },
    Publication => view! { <pages::disclosure::PublicationPage /> },
    Corrections => view! { <pages::disclosure::CorrectionsPage /> },
});

area!(WorkspacePage, workspace_area, __preload_workspace_area {
    Enterprises => view! { <ForArea area=Area::Workspace><pages::enterprises::EnterprisesPage /></ForArea> },
    Enterprise => view! { <ForArea area=Area::Workspace><pages::enterprise::EnterprisePage /></ForArea> },
    Overview => view! { <ForArea area=Area::Workspace><pages::county::CountyPage /></ForArea> },
    Signoff => view! { <ForArea area=Area::Workspace><pages::signoff::SignoffPage /></ForArea> },
    Import => view! { <ForArea area=Area::Workspace><pages::import::ImportPage /></ForArea> },
});

area!(MeasuresPage, measures_area, __preload_measures_area {
    Measures => view! { <ForArea area=Area::Measures><pages::measures::MeasuresPage /></ForArea> },
    Electricity => view! { <ForArea area=Area::Electricity><pages::electricity::ElectricityPage /></ForArea> },
    Ledger => view! { <ForArea area=Area::Ledger><pages::ledger::LedgerPage /></ForArea> },
});

area!(TargetsPage, targets_area, __preload_targets_area {
    Targets => view! { <pages::targets::TargetsPage /> },
    Bulletin => view! { <pages::targets::BulletinPage /> },
    Target => view! { <pages::targets::TargetPage /> },
});

area!(PortalPage, portal_area, __preload_portal_area {
    Portal => view! { <ForArea area=Area::Portal><pages::portal::PortalPage /></ForArea> },
    AppealForm => view! { <ForArea area=Area::Portal><pages::portal::AppealFormPage /></ForArea> },
    Notices => view! { <ForArea area=Area::Portal><pages::portal::NoticesPage /></ForArea> },
});

area!(AppealsPage, appeals_area, __preload_appeals_area {
    Appeals => view! { <pages::appeals::AppealsPage /> },
    Appeal => view! { <pages::appeals::AppealPage /> },
});
