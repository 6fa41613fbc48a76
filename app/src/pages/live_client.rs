//! Browser side of the live push: an `EventSource` on `/api/events`.

use crate::enterprises::GradeEvent;

/// Calls `on_event` for every grade change the server pushes about the rows
/// `watch` names (all rows in scope when empty); closes the stream when the
/// calling component is cleaned up. No-op on the server.
pub fn subscribe(watch: &[String], on_event: impl Fn(GradeEvent) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::on_cleanup;
        use send_wrapper::SendWrapper;
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let url = if watch.is_empty() {
            "/api/events".to_string()
        } else {
            format!("/api/events?watch={}", watch.join(","))
        };
        let Ok(source) = web_sys::EventSource::new(&url) else {
            return;
        };
        let handler =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |m: web_sys::MessageEvent| {
                if let Some(text) = m.data().as_string() {
                    if let Ok(ev) = serde_json::from_str::<GradeEvent>(&text) {
                        on_event(ev);
                    }
                }
            });
        let _ = source.add_event_listener_with_callback("grades", handler.as_ref().unchecked_ref());
        let keep = SendWrapper::new((source, handler));
        on_cleanup(move || keep.0.close());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (watch, on_event);
}
