//! The browser entry: hydrates the server-rendered page. Asynchronously
//! (as `leptos::mount::hydrate_lazy` does) because the areas' pages are
//! lazily loaded routes (`app::areas`): the current page's chunk is
//! fetched before its page hydrates. Then it tells the page it is done
//! (`app::Hydrated`).

use leptos::prelude::*;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // An Err only means the executor is already set up.
    _ = any_spawner::Executor::init_wasm_bindgen();
    let hydrated = ArcRwSignal::new(false);
    let flag = hydrated.clone();
    leptos::task::spawn_local(async move {
        let owner =
            leptos::mount::hydrate_from_async(document().body().expect("a body"), move || {
                provide_context(app::Hydrated(flag));
                app::App()
            })
            .await;
        owner.forget();
        hydrated.set(true);
    });
}
