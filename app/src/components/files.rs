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

/// One page photo (already reduced in the browser) or a PDF, as base64, ready for upload.
#[derive(Clone, Debug, PartialEq)]
pub struct ScanPart {
    pub name: String,
    pub is_pdf: bool,
    pub b64: String,
    pub bytes: usize,
}

/// Reads one chosen file: a PDF as it is (size-checked), a photo reduced to at most 2000 pixels on
/// its long side as JPEG (the browser applies the camera's orientation).
#[cfg(feature = "hydrate")]
pub async fn read_scan_part(file: web_sys::File, l: domain::Lang) -> Result<ScanPart, String> {
    use base64::Engine;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let name = file.name();
    let unreadable =
        || format!("{name}: {}", l.t("berkas tidak dapat dibaca.", "the file could not be read."));
    let buf = JsFuture::from(file.array_buffer()).await.map_err(|_| unreadable())?;
    let head = js_sys::Uint8Array::new(&buf);
    let first: Vec<u8> = head.subarray(0, head.length().min(8)).to_vec();
    if first.starts_with(b"%PDF-") {
        if file.size() > domain::files::MAX_SCAN_BYTES as f64 {
            return Err(format!(
                "{name}: {} {} MB.",
                l.t("berkas terlalu besar; batasnya", "the file is too large; the limit is"),
                domain::files::MAX_SCAN_BYTES / (1024 * 1024)
            ));
        }
        let bytes = head.to_vec();
        return Ok(ScanPart {
            name,
            is_pdf: true,
            bytes: bytes.len(),
            b64: base64::engine::general_purpose::STANDARD.encode(bytes),
        });
    }
    let is_image = first.starts_with(b"\x89PNG") || first.starts_with(&[0xFF, 0xD8, 0xFF]);
    if !is_image {
        return Err(format!(
            "{name}: {}",
            l.t(
                "berkas harus PDF, JPEG, atau PNG; isi berkas ini bukan salah satunya.",
                "the file must be a PDF, JPEG or PNG; its content is none of these."
            )
        ));
    }
    let window = web_sys::window().ok_or_else(unreadable)?;
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(window.create_image_bitmap_with_blob(&file).map_err(|_| unreadable())?)
            .await
            .map_err(|_| {
                format!(
                    "{name}: {}",
                    l.t(
                        "gambar rusak atau tidak dapat dibuka.",
                        "the image is broken or cannot be opened."
                    )
                )
            })?
            .unchecked_into();
    let (w, h) = (bitmap.width() as f64, bitmap.height() as f64);
    let scale = (2000.0 / w.max(h)).min(1.0);
    let (cw, ch) = ((w * scale).round().max(1.0) as u32, (h * scale).round().max(1.0) as u32);
    let document = window.document().ok_or_else(unreadable)?;
    let canvas: web_sys::HtmlCanvasElement =
        document.create_element("canvas").map_err(|_| unreadable())?.unchecked_into();
    canvas.set_width(cw);
    canvas.set_height(ch);
    let ctx: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").ok().flatten().ok_or_else(unreadable)?.unchecked_into();
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, cw as f64, ch as f64);
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, cw as f64, ch as f64)
        .map_err(|_| unreadable())?;
    bitmap.close();
    let url = canvas
        .to_data_url_with_type_and_encoder_options(
            "image/jpeg",
            &wasm_bindgen::JsValue::from_f64(0.85),
        )
        .map_err(|_| unreadable())?;
    let b64 = url.split_once(',').map(|(_, d)| d.to_string()).ok_or_else(unreadable)?;
    let bytes = b64.len() / 4 * 3;
    Ok(ScanPart { name, is_pdf: false, b64, bytes })
}
