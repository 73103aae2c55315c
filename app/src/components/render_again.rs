//! Part of a server-rendered page, rendered again by the server and put in place: how an
//! island shows news in content it does not own (the calls table, say) without a reload.

/// Fetches the current address again and replaces the children of the elements named by
/// `ids` with those of the same elements in the answer. Overlapping calls keep only the
/// newest answer.
pub fn render_again(ids: Vec<String>) {
    #[cfg(feature = "hydrate")]
    {
        let generation = LATEST.with(|latest| {
            latest.set(latest.get() + 1);
            latest.get()
        });
        leptos::task::spawn_local(async move {
            if let Err(e) = fetch_and_replace(&ids, generation).await {
                leptos::logging::warn!("could not render {ids:?} again: {e:?}");
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ids;
}

#[cfg(feature = "hydrate")]
thread_local! {
    static LATEST: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

#[cfg(feature = "hydrate")]
async fn fetch_and_replace(ids: &[String], generation: u64) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let window = leptos::prelude::window();
    let href = window.location().href()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&href))
        .await?
        .dyn_into()?;
    if !response.ok() {
        return Err(format!("the page answered {}", response.status()).into());
    }
    let html = JsFuture::from(response.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    if LATEST.with(|latest| latest.get()) != generation {
        return Ok(());
    }
    let fresh =
        web_sys::DomParser::new()?.parse_from_string(&html, web_sys::SupportedType::TextHtml)?;
    let document = leptos::prelude::document();
    for id in ids {
        if let (Some(shown), Some(fresh)) =
            (document.get_element_by_id(id), fresh.get_element_by_id(id))
        {
            shown.set_inner_html(&fresh.inner_html());
        }
    }
    Ok(())
}
