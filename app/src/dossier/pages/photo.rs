//! The document file input. With JavaScript, photos larger than needed are shrunk in the
//! browser and the chosen files are sent at once, with a progress bar and a retry when the
//! connection drops; the page's buttons wait until the files are in, so a double tap or an early
//! "Tiếp tục" cannot send them twice or leave them behind. Without JavaScript it is the same
//! plain input: "Tải lên" or "Tiếp tục" posts the files and the server shrinks them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the input says while it works, in the reader's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UploadTexts {
    pub shrinking: String,
    /// With `%{before}` and `%{after}`.
    pub shrunk: String,
    pub sending: String,
    pub sent_share: String,
    pub failed: String,
    pub retry: String,
}

#[derive(Clone, Copy, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Sending {
    Idle,
    /// Share sent so far, 0 to 100.
    Busy(u32),
    Failed,
}

#[island]
pub fn DocumentFileInput(
    id: String,
    multiple: bool,
    camera: bool,
    described_by: Option<String>,
    texts: UploadTexts,
) -> impl IntoView {
    let (status, set_status) = signal(String::new());
    let (sending, set_sending) = signal(Sending::Idle);
    // Marks the input once the island runs (photos are shrunk and sent from then on).
    let (ready, set_ready) = signal(false);
    Effect::new(move |_| set_ready.set(true));
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let accept = if camera { "image/*" } else { "image/*,application/pdf" };
    let status_id = format!("{id}-trang-thai");
    let (sent_share, retry_label) = (texts.sent_share.clone(), texts.retry.clone());
    let texts = StoredValue::new(texts);
    let send = move |shrink_first: bool| {
        #[cfg(feature = "hydrate")]
        if let Some(input) = input_ref.get_untracked() {
            let input: web_sys::HtmlInputElement = input;
            if input.files().is_none_or(|files| files.length() == 0) {
                return;
            }
            let texts = texts.get_value();
            browser::lock_form(&input, true);
            set_sending.set(Sending::Busy(0));
            leptos::task::spawn_local(async move {
                let mut message = texts.sending.clone();
                if shrink_first {
                    set_status.set(texts.shrinking.clone());
                    if let Ok(Some((before, after))) = browser::shrink_photos(&input).await {
                        let shrunk = texts.shrunk.replace("%{before}", &kb(before)).replace("%{after}", &kb(after));
                        message = format!("{shrunk} {message}");
                    }
                }
                set_status.set(message);
                match browser::send_files(&input, move |share| set_sending.set(Sending::Busy(share))).await {
                    Ok(next_page) => browser::open(&next_page),
                    Err(_) => {
                        browser::lock_form(&input, false);
                        set_sending.set(Sending::Failed);
                        set_status.set(texts.failed.clone());
                    }
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (shrink_first, input_ref, texts, set_status, set_sending);
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
            node_ref=input_ref
            on:change=move |_| send(true)
        />
        <p class="hint" id=status_id.clone() aria-live="polite">{status}</p>
        {move || match sending.get() {
            Sending::Busy(share) => view! {
                <div class="upload-progress">
                    <progress max="100" value=share aria-labelledby=status_id.clone()></progress>
                    <span aria-hidden="true">{sent_share.replace("%{share}", &share.to_string())}</span>
                </div>
            }.into_any(),
            Sending::Failed => view! {
                <button type="button" class="button button--secondary" on:click=move |_| send(false)>
                    {retry_label.clone()}
                </button>
            }.into_any(),
            Sending::Idle => ().into_any(),
        }}
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
        Blob, CanvasRenderingContext2d, DataTransfer, Element, File, FilePropertyBag, FormData, HtmlCanvasElement,
        HtmlInputElement, ImageBitmap, ProgressEvent, XmlHttpRequest,
    };

    /// Disables (or enables again) the buttons and file inputs of the input's form.
    pub fn lock_form(input: &HtmlInputElement, locked: bool) {
        let Some(form) = input.form() else { return };
        let _ = form.set_attribute("aria-busy", if locked { "true" } else { "false" });
        let Ok(controls) = form.query_selector_all("button, input[type=file]") else { return };
        for index in 0..controls.length() {
            let Some(control) = controls.item(index).and_then(|node| node.dyn_into::<Element>().ok()) else { continue };
            let _ = if locked { control.set_attribute("disabled", "") } else { control.remove_attribute("disabled") };
        }
    }

    /// Posts the input's files to its form's address, reporting the share sent (0-100).
    /// Returns the page the server sends the citizen to next: the same page listing the file,
    /// or saying why it was refused.
    pub async fn send_files(input: &HtmlInputElement, progress: impl Fn(u32) + 'static) -> Result<String, JsValue> {
        let form = input.form().ok_or(JsValue::NULL)?;
        let files = input.files().ok_or(JsValue::NULL)?;
        let body = FormData::new()?;
        for index in 0..files.length() {
            if let Some(file) = files.get(index) {
                body.append_with_blob_and_filename(&input.name(), &file, &file.name())?;
            }
        }
        let request = XmlHttpRequest::new()?;
        request.open("POST", &form.action())?;
        let on_progress = Closure::<dyn Fn(ProgressEvent)>::new(move |event: ProgressEvent| {
            if event.length_computable() && event.total() > 0.0 {
                progress((event.loaded() * 100.0 / event.total()).floor() as u32);
            }
        });
        request.upload()?.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        let finished = js_sys::Promise::new(&mut |resolve, reject| {
            request.set_onload(Some(&resolve));
            request.set_onerror(Some(&reject));
            request.set_onabort(Some(&reject));
            request.set_ontimeout(Some(&reject));
        });
        request.send_with_opt_form_data(Some(&body))?;
        JsFuture::from(finished).await?;
        drop(on_progress);
        // Without `Accept: text/html` the server function answers 200 with the next page in
        // `Location` instead of a redirect the request would follow.
        match request.get_response_header("Location")? {
            Some(next) if request.status()? < 400 => Ok(next),
            _ => Err(JsValue::NULL),
        }
    }

    /// Opens `address`; reloads when only its fragment differs from the page shown, which a
    /// plain navigation would merely scroll to.
    pub fn open(address: &str) {
        let Some(location) = web_sys::window().map(|w| w.location()) else { return };
        let here = location.href().unwrap_or_default();
        let without_fragment = |url: &str| url.split('#').next().unwrap_or_default().to_owned();
        let target = web_sys::Url::new_with_base(address, &here).map(|u| u.href()).unwrap_or_default();
        if !target.is_empty() && without_fragment(&target) == without_fragment(&here) {
            let _ = location.reload();
        } else {
            let _ = location.assign(address);
        }
    }

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
