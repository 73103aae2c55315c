//! The browser entry point. Pages are rendered on the server only; this module carries the
//! islands (`#[island]` components in `app`), and the island loader (`app/src/
//! island_loader.js`) fetches it only on a page that has one, then hydrates each.

// Linked for its exported island functions, which nothing here names.
extern crate app;

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
