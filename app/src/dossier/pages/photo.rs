//! The document file input. With JavaScript, photos larger than needed are shrunk in the
//! browser before upload (a 4 MB phone photo becomes a few hundred KB, which matters on a weak
//! signal); without JavaScript it is the same plain input and the server does the work.

use leptos::prelude::*;

#[island]
pub fn DocumentFileInput(
    id: String,
    multiple: bool,
    camera: bool,
    described_by: Option<String>,
    shrinking: String,
    shrunk: String,
) -> impl IntoView {
    let (status, set_status) = signal(String::new());
    // Marks the input once the island runs (photos are shrunk from then on).
    let (ready, set_ready) = signal(false);
    Effect::new(move |_| set_ready.set(true));
    let accept = if camera { "image/*" } else { "image/*,application/pdf" };
    let on_change = move |event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            let input: web_sys::HtmlInputElement = event_target(&event);
            let (shrinking, shrunk) = (shrinking.clone(), shrunk.clone());
            set_status.set(shrinking);
            leptos::task::spawn_local(async move {
                let message = match browser::shrink_photos(&input).await {
                    Ok(Some((before, after))) => {
                        shrunk.replace("%{before}", &kb(before)).replace("%{after}", &kb(after))
                    }
                    _ => String::new(),
                };
                set_status.set(message);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (event, &shrinking, &shrunk, set_status);
    };
    view! {
        <input
            type="file"
            id=id
            name="tep"
            accept=accept
            multiple=multiple
            capture=camera.then_some("environment")
            aria-describedby=described_by
            data-shrinks=move || ready.get().then_some("yes")
            on:change=on_change
        />
        <p class="hint" aria-live="polite">{status}</p>
    }
}

#[cfg(feature = "hydrate")]
fn kb(bytes: f64) -> String {
    format!("{} KB", (bytes / 1024.0).round())
}

#[cfg(feature = "hydrate")]
mod browser {
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        Blob, CanvasRenderingContext2d, DataTransfer, File, FilePropertyBag, HtmlCanvasElement, HtmlInputElement,
        ImageBitmap,
    };

    /// Photos are scaled to fit this many pixels on their long side: an A4 page stays
    /// readable at about 190 dpi, and the upload is small enough for a weak signal.
    const MAX_SIDE: f64 = 1600.0;
    const JPEG_QUALITY: f64 = 0.8;
    /// Smaller files are sent as they are.
    const SHRINK_ABOVE_BYTES: f64 = 600_000.0;

    /// Replaces the input's large photos by shrunk JPEG copies; returns the bytes before and after.
    pub async fn shrink_photos(input: &HtmlInputElement) -> Result<Option<(f64, f64)>, JsValue> {
        let Some(files) = input.files() else { return Ok(None) };
        let transfer = DataTransfer::new()?;
        let (mut before, mut after, mut changed) = (0.0, 0.0, false);
        for index in 0..files.length() {
            let Some(file) = files.get(index) else { continue };
            let replacement = if file.type_().starts_with("image/") && file.size() > SHRINK_ABOVE_BYTES {
                shrink(&file).await.ok()
            } else {
                None
            };
            before += file.size();
            match replacement {
                Some(small) if small.size() < file.size() => {
                    after += small.size();
                    changed = true;
                    transfer.items().add_with_file(&small)?;
                }
                _ => {
                    after += file.size();
                    transfer.items().add_with_file(&file)?;
                }
            }
        }
        if changed {
            input.set_files(transfer.files().as_ref());
        }
        Ok(changed.then_some((before, after)))
    }

    async fn shrink(file: &File) -> Result<File, JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let bitmap: ImageBitmap = JsFuture::from(window.create_image_bitmap_with_blob(file)?).await?.dyn_into()?;
        let (width, height) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
        let scale = (MAX_SIDE / width.max(height)).min(1.0);
        let (w, h) = ((width * scale).round(), (height * scale).round());
        let canvas: HtmlCanvasElement = window.document().ok_or(JsValue::NULL)?.create_element("canvas")?.dyn_into()?;
        canvas.set_width(w as u32);
        canvas.set_height(h as u32);
        let context: CanvasRenderingContext2d = canvas.get_context("2d")?.ok_or(JsValue::NULL)?.dyn_into()?;
        context.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, w, h)?;
        let blob: Blob = JsFuture::from(to_jpeg(&canvas)).await?.dyn_into()?;
        let name = format!("{}.jpg", file.name().rsplit_once('.').map_or(file.name(), |(stem, _)| stem.to_owned()));
        let options = FilePropertyBag::new();
        options.set_type("image/jpeg");
        File::new_with_blob_sequence_and_options(&js_sys::Array::of1(&blob), &name, &options)
    }

    fn to_jpeg(canvas: &HtmlCanvasElement) -> js_sys::Promise {
        let canvas = canvas.clone();
        js_sys::Promise::new(&mut move |resolve, reject| {
            let done = Closure::once_into_js(move |blob: JsValue| {
                let _ =
                    if blob.is_null() { reject.call0(&JsValue::NULL) } else { resolve.call1(&JsValue::NULL, &blob) };
            });
            let _ = canvas.to_blob_with_type_and_encoder_options(
                done.unchecked_ref(),
                "image/jpeg",
                &JsValue::from_f64(JPEG_QUALITY),
            );
        })
    }
}
