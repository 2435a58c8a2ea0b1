//! Browser entry point: wakes up the islands of a server-rendered page.

#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Register the islands defined in `app` before hydrating them.
    #[allow(unused_imports)]
    use app::*;
    leptos::mount::hydrate_islands();
}
