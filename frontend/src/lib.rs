//! The browser entry point. Pages are rendered on the server only; this module carries the
//! islands (`#[island]` components in `app`) and the island script hydrates each one it
//! finds on the page. The last island, the toaster, marks the body `data-hydrated` once
//! every island before it is live, so end-to-end tests wait for that instead of sleeping.

// Linked for its exported island functions, which nothing here names.
extern crate app;

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
