//! The document file input. With JavaScript, photos larger than needed are shrunk in the
//! browser and the chosen files are sent at once, with a progress bar and a retry when the
//! connection drops; the page's buttons wait until the files are in, so a double tap or an early
//! "Tiếp tục" cannot send them twice or leave them behind. Without JavaScript it is the same
//! plain input: "Tải lên" or "Tiếp tục" posts the files and the server shrinks them.
//!
//! The server renders everything the island shows (status line, progress bar, retry button,
//! their texts in data attributes); the island only adds behaviour. It takes no props, so the
//! WebAssembly bundle carries no JSON parser, and no float formatting.

use crate::i18n::tr;
use leptos::prelude::*;

#[component]
pub fn DocumentFileInput(id: String, multiple: bool, camera: bool, described_by: Option<String>) -> impl IntoView {
    let accept = if camera { "image/*" } else { "image/*,application/pdf" };
    let status_id = format!("{id}-trang-thai");
    view! {
        <FileSender>
            <input
                type="file"
                id=id
                name="tep"
                accept=accept
                multiple=multiple
                capture=camera.then_some("environment")
                aria-describedby=described_by
            />
            <p
                class="hint"
                id=status_id.clone()
                aria-live="polite"
                data-shrinking=tr("dossier.shrinking")
                data-shrunk=tr("dossier.shrunk")
                data-sending=tr("dossier.sending")
                data-failed=tr("dossier.send_failed")
            ></p>
            <div class="upload-progress" hidden>
                <progress max="100" value="0" aria-labelledby=status_id></progress>
                <span aria-hidden="true" data-template=tr("dossier.sent_share")></span>
            </div>
            <button type="button" class="button button--secondary" data-retry="" hidden>{tr("dossier.retry")}</button>
        </FileSender>
    }
}

/// Sends the files of the input among its children as soon as they are chosen.
#[island]
fn FileSender(children: Children) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    // Marks the input once the island runs (photos are shrunk and sent from then on).
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(root) = root.get() {
            browser::mark_ready(&root);
        }
    });
    let on_change = move |_: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        if let Some(root) = root.get_untracked() {
            browser::send(root.into(), true);
        }
    };
    let on_click = move |event: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        if let (Some(root), true) = (root.get_untracked(), browser::is_retry(&event)) {
            browser::send(root.into(), false);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = event;
    };
    view! { <div class="file-sender" node_ref=root on:change=on_change on:click=on_click>{children()}</div> }
}

#[cfg(feature = "hydrate")]
mod browser {
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        Blob, CanvasRenderingContext2d, DataTransfer, Element, File, FilePropertyBag, FormData, HtmlCanvasElement,
        HtmlElement, HtmlInputElement, HtmlProgressElement, ImageBitmap, ProgressEvent, XmlHttpRequest,
    };

    fn part<T: JsCast>(root: &Element, selector: &str) -> Option<T> {
        root.query_selector(selector).ok().flatten()?.dyn_into().ok()
    }

    pub fn mark_ready(root: &Element) {
        if let Some(input) = part::<Element>(root, "input[type=file]") {
            let _ = input.set_attribute("data-shrinks", "yes");
        }
    }

    pub fn is_retry(event: &web_sys::MouseEvent) -> bool {
        event.target().and_then(|t| t.dyn_into::<Element>().ok()).is_some_and(|t| t.has_attribute("data-retry"))
    }

    /// The status line, progress bar and retry button the server rendered beside the input.
    #[derive(Clone)]
    struct Feedback {
        status: Element,
        bar: HtmlElement,
        progress: HtmlProgressElement,
        share: Element,
        retry: HtmlElement,
    }

    impl Feedback {
        fn of(root: &Element) -> Option<Self> {
            Some(Feedback {
                status: part(root, "[aria-live]")?,
                bar: part(root, ".upload-progress")?,
                progress: part(root, "progress")?,
                share: part(root, "[data-template]")?,
                retry: part(root, "[data-retry]")?,
            })
        }

        fn text(&self, name: &str) -> String {
            self.status.get_attribute(&format!("data-{name}")).unwrap_or_default()
        }

        fn say(&self, message: &str) {
            self.status.set_text_content(Some(message));
        }

        fn sent(&self, share: u32) {
            self.retry.set_hidden(true);
            self.bar.set_hidden(false);
            self.progress.set_value(f64::from(share));
            let template = self.share.get_attribute("data-template").unwrap_or_default();
            self.share.set_text_content(Some(&template.replace("%{share}", &share.to_string())));
        }

        fn failed(&self) {
            self.bar.set_hidden(true);
            self.retry.set_hidden(false);
            self.say(&self.text("failed"));
        }
    }

    /// Shrinks (when asked) and sends the chosen files, then opens the page the server answers.
    pub fn send(root: Element, shrink_first: bool) {
        let (Some(input), Some(feedback)) = (part::<HtmlInputElement>(&root, "input[type=file]"), Feedback::of(&root))
        else {
            return;
        };
        if input.files().is_none_or(|files| files.length() == 0) {
            return;
        }
        lock_form(&input, true);
        feedback.sent(0);
        leptos::task::spawn_local(async move {
            let mut message = feedback.text("sending");
            if shrink_first {
                feedback.say(&feedback.text("shrinking"));
                if let Ok(Some((before, after))) = shrink_photos(&input).await {
                    let shrunk =
                        feedback.text("shrunk").replace("%{before}", &kb(before)).replace("%{after}", &kb(after));
                    message = format!("{shrunk} {message}");
                }
            }
            feedback.say(&message);
            let on_progress = feedback.clone();
            match send_files(&input, move |share| on_progress.sent(share)).await {
                Ok(next_page) => open(&next_page),
                Err(_) => {
                    lock_form(&input, false);
                    feedback.failed();
                }
            }
        });
    }

    /// Whole kilobytes, formatted as an integer: float formatting would add 20 KB to the bundle.
    fn kb(bytes: f64) -> String {
        format!("{} KB", (bytes / 1024.0).round() as u64)
    }

    /// Disables (or enables again) the buttons and file inputs of the input's form.
    fn lock_form(input: &HtmlInputElement, locked: bool) {
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
    async fn send_files(input: &HtmlInputElement, progress: impl Fn(u32) + 'static) -> Result<String, JsValue> {
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
    fn open(address: &str) {
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
    async fn shrink_photos(input: &HtmlInputElement) -> Result<Option<(f64, f64)>, JsValue> {
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
