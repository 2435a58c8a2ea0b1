//! A small picture of a PDF's first page, for the desk's list of documents. Poppler's
//! `pdftoppm` draws it in a child process held to a memory and CPU limit and a wall-clock
//! timeout, so a hostile file costs bounded work (the PDF already passed `pdf_check`).

use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::Command;

/// The picture's longer side, in pixels (shown at half that on the page, sharp on a
/// high-density screen).
const LONG_SIDE: &str = "320";
const MEMORY_LIMIT: &str = "--as=536870912";
const CPU_SECONDS: &str = "--cpu=5";
const WALL_CLOCK: Duration = Duration::from_secs(10);
/// A first page at 320 px is tens of KB; anything far larger is not what was asked for.
const MAX_PICTURE_BYTES: usize = 2 * 1024 * 1024;

/// The first page as a PNG, or `None` when the tool is missing, fails or runs out of time.
pub async fn first_page_png(pdf: bytes::Bytes) -> Option<Vec<u8>> {
    let mut child = Command::new("prlimit")
        .args([MEMORY_LIMIT, CPU_SECONDS, "--", "pdftoppm", "-f", "1", "-l", "1", "-scale-to", LONG_SIDE])
        .args(["-png", "-singlefile", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|error| tracing::warn!(%error, "pdftoppm could not start (is poppler-utils installed?)"))
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let stdout = child.stdout.take()?;
    let drawing = async move {
        // Writing and reading at once: a picture larger than the pipe would otherwise block.
        let write = async move {
            let written = stdin.write_all(&pdf).await;
            drop(stdin);
            written
        };
        let mut picture = Vec::new();
        let mut limited = stdout.take(MAX_PICTURE_BYTES as u64 + 1);
        let read = limited.read_to_end(&mut picture);
        let (written, read) = tokio::join!(write, read);
        written.ok()?;
        read.ok()?;
        let status = child.wait().await.ok()?;
        (status.success() && !picture.is_empty() && picture.len() <= MAX_PICTURE_BYTES).then_some(picture)
    };
    tokio::time::timeout(WALL_CLOCK, drawing).await.ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_form_s_first_page_becomes_a_small_png() {
        let pdf = include_bytes!("../catalog/data/forms/to-khai-dang-ky-khai-sinh.pdf");
        let picture = first_page_png(bytes::Bytes::from_static(pdf)).await.expect("poppler-utils draws the page");
        assert!(picture.starts_with(b"\x89PNG"), "a PNG");
        let size = image::load_from_memory(&picture).expect("decodes");
        assert_eq!(size.height(), 320, "the long side of a portrait page");
        assert!(size.width() < size.height());
    }

    #[tokio::test]
    async fn bytes_that_are_not_a_pdf_give_no_picture() {
        assert_eq!(first_page_png(bytes::Bytes::from_static(b"%PDF-1.7 not really")).await, None);
    }
}
