//! Browser entry point: wakes up the islands of a server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Register the islands defined in `app` before hydrating them.
    #[allow(unused_imports)]
    use app::*;
    leptos::mount::hydrate_islands();
}
