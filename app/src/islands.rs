//! Pages without an island ship no script at all: the WebAssembly bundle is requested only
//! by pages whose route component declares [`page_has_islands`].

use leptos::prelude::*;
use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc,
};

#[derive(Clone, Default)]
struct IslandsOnPage(Arc<AtomicBool>);

pub fn provide_island_tracker() {
    provide_context(IslandsOnPage::default());
}

/// Declares that the page being rendered contains an island. Call it synchronously at the top
/// of the route component: a call from inside `Suspense` comes too late, because the scripts
/// are decided while the page's async parts are still loading.
pub fn page_has_islands() {
    if let Some(flag) = use_context::<IslandsOnPage>() {
        flag.0.store(true, Ordering::Relaxed);
    }
}

/// The hydration scripts, placed at the end of `<body>`: rendered after the page itself,
/// so they know whether any island was rendered.
#[component]
pub fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    let flag = use_context::<IslandsOnPage>();
    move || {
        let needed = flag.as_ref().is_some_and(|f| f.0.load(Ordering::Relaxed));
        needed.then(|| view! { <HydrationScripts options=options.clone() islands=true /> })
    }
}
