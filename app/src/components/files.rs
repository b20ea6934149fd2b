//! Files picked in the browser: taking them off an `<input type="file">` and reading them for an
//! upload (as base64, which the server functions take). Browser-only; the server never runs these.

use domain::Lang;

/// The files picked in an `<input type="file">` change event, in the order chosen; the input is
/// cleared so picking the same file again fires the event again. Empty when nothing was picked.
#[cfg(feature = "hydrate")]
pub fn take_picked_files(ev: &leptos::ev::Event) -> Vec<web_sys::File> {
    use wasm_bindgen::JsCast;
    let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return Vec::new();
    };
    let files = input
        .files()
        .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
        .unwrap_or_default();
    input.set_value("");
    files
}

/// The first file picked in an `<input type="file">` change event (see [`take_picked_files`]).
#[cfg(feature = "hydrate")]
pub fn take_picked_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    take_picked_files(ev).into_iter().next()
}

/// The bytes of a picked file.
#[cfg(feature = "hydrate")]
pub async fn read_bytes(file: &web_sys::File, l: Lang) -> Result<Vec<u8>, String> {
    match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
        Ok(buf) => Ok(js_sys::Uint8Array::new(&buf).to_vec()),
        Err(_) => Err(unreadable(l)),
    }
}

/// The bytes of a picked file as base64, ready for a server function.
#[cfg(feature = "hydrate")]
pub async fn read_base64(file: &web_sys::File, l: Lang) -> Result<String, String> {
    use base64::Engine;
    Ok(base64::engine::general_purpose::STANDARD.encode(read_bytes(file, l).await?))
}

/// The message when the browser cannot read a picked file.
pub fn unreadable(l: Lang) -> String {
    l.t("Berkas tidak dapat dibaca.", "The file could not be read.").to_string()
}
