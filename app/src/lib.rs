#![recursion_limit = "256"]
//! e-Office user interface: pages, components and server functions.

pub mod api;
pub mod app;
pub mod components;
pub mod error;
pub mod pages;

pub use app::{App, shell};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Pages are lazy routes: hydration first waits for the page's chunk (which the server already
    // asked the browser to preload), then hydrates the whole body at once.
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = leptos::prelude::document().body() else { return };
        let owner = leptos::mount::hydrate_from_async(body, App).await;
        owner.forget();
        // Lets tests and scripts know the page is interactive, and lets audits (scripts/lighthouse.sh)
        // time it.
        if let Some(el) = leptos::prelude::document().document_element() {
            let _ = el.set_attribute("data-hydrated", "true");
        }
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            let _ = p.mark("eoffice-hydrated");
        }
    });
}
