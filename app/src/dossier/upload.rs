//! Checks an uploaded document and turns it into what is stored: photos are decoded within
//! limits and re-encoded as JPEG (dropping anything hidden in them, and their metadata); PDFs
//! must parse and carry no scripts, launch actions or embedded files. The type comes from the
//! bytes, never from the file's name or the browser's word.

use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use std::io::Cursor;

/// Largest file accepted as sent.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
/// Largest total of stored files per dossier.
pub const MAX_DOSSIER_BYTES: i64 = 30 * 1024 * 1024;
/// Photos larger than this on their long side are scaled down (still readable when printed).
const MAX_SIDE: u32 = 2000;
/// Images claiming more than this on a side, or more pixels in all, are refused before
/// decoding (decompression bombs). A 48-megapixel phone photo still passes.
const MAX_DIMENSION: u32 = 10_000;
const MAX_PIXELS: u64 = 50_000_000;
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
const JPEG_QUALITY: u8 = 82;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
    pub page_count: Option<i32>,
}

/// Why an upload was refused; the citizen reads `upload.error.{slug}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Rejected {
    #[error("empty file")]
    Empty,
    #[error("larger than the upload limit")]
    TooLarge,
    #[error("neither a photo nor a PDF")]
    UnsupportedType,
    #[error("a photo that does not decode within limits")]
    BadImage,
    #[error("a PDF that does not parse or has active content")]
    BadPdf,
    #[error("an encrypted PDF")]
    EncryptedPdf,
    #[error("no room left for the document or the dossier")]
    NoRoom,
    #[error("the citizen's open drafts hold the most bytes allowed")]
    CitizenFull,
    #[error("no file chosen")]
    NoFile,
    #[error("the file could not be stored")]
    NotSaved,
}

impl Rejected {
    pub fn slug(self) -> &'static str {
        match self {
            Self::Empty => "trong",
            Self::TooLarge => "qua-lon",
            Self::UnsupportedType => "sai-loai",
            Self::BadImage => "anh-hong",
            Self::BadPdf => "pdf-hong",
            Self::EncryptedPdf => "pdf-ma-hoa",
            Self::NoRoom => "het-cho",
            Self::CitizenFull => "het-dung-luong",
            Self::NoFile => "chua-chon",
            Self::NotSaved => "chua-luu",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        [
            Self::Empty,
            Self::TooLarge,
            Self::UnsupportedType,
            Self::BadImage,
            Self::BadPdf,
            Self::EncryptedPdf,
            Self::NoRoom,
            Self::CitizenFull,
            Self::NoFile,
            Self::NotSaved,
        ]
        .into_iter()
        .find(|r| r.slug() == slug)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sniffed {
    Jpeg,
    Png,
    Webp,
    Pdf,
}

fn sniff(bytes: &[u8]) -> Option<Sniffed> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(Sniffed::Jpeg),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(Sniffed::Png),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(Sniffed::Webp),
        [b'%', b'P', b'D', b'F', b'-', ..] => Some(Sniffed::Pdf),
        _ => None,
    }
}

/// Checks and converts one upload. CPU-heavy: call it from a blocking task.
pub fn prepare(bytes: &[u8]) -> Result<StoredDocument, Rejected> {
    if bytes.is_empty() {
        return Err(Rejected::Empty);
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(Rejected::TooLarge);
    }
    match sniff(bytes).ok_or(Rejected::UnsupportedType)? {
        Sniffed::Pdf => check_pdf(bytes),
        format => reencode_image(bytes, format),
    }
}

fn reencode_image(bytes: &[u8], format: Sniffed) -> Result<StoredDocument, Rejected> {
    let format = match format {
        Sniffed::Jpeg => image::ImageFormat::Jpeg,
        Sniffed::Png => image::ImageFormat::Png,
        _ => image::ImageFormat::WebP,
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| Rejected::BadImage)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Rejected::BadImage);
    }
    let orientation = decoder.orientation().map_err(|_| Rejected::BadImage)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|_| Rejected::BadImage)?;
    // Phones store photos sideways and say so in metadata, which re-encoding drops.
    picture.apply_orientation(orientation);
    if picture.width().max(picture.height()) > MAX_SIDE {
        picture = picture.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle);
    }
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
    picture.to_rgb8().write_with_encoder(encoder).map_err(|_| Rejected::BadImage)?;
    Ok(StoredDocument { content_type: "image/jpeg", bytes: out, page_count: None })
}

fn check_pdf(bytes: &[u8]) -> Result<StoredDocument, Rejected> {
    super::pdf_check::check(bytes).map_err(|refused| match refused {
        super::pdf_check::Refused::Encrypted => Rejected::EncryptedPdf,
        _ => Rejected::BadPdf,
    })?;
    let document = lopdf::Document::load_mem(bytes).map_err(|_| Rejected::BadPdf)?;
    let pages = document.get_pages().len();
    if pages == 0 || has_active_content(&document) {
        return Err(Rejected::BadPdf);
    }
    Ok(StoredDocument { content_type: "application/pdf", bytes: bytes.to_vec(), page_count: i32::try_from(pages).ok() })
}

/// Scripts, launch actions and embedded files have no place in a scanned document.
fn has_active_content(document: &lopdf::Document) -> bool {
    document.objects.values().any(|object| is_active(object, 0))
}

/// Looks through an object and the dictionaries and arrays nested in it (not references).
fn is_active(object: &lopdf::Object, depth: usize) -> bool {
    const ACTIVE_KEYS: [&[u8]; 5] = [b"JS", b"JavaScript", b"EmbeddedFiles", b"EmbeddedFile", b"XFA"];
    if depth > 32 {
        return true;
    }
    let dictionary = match object {
        lopdf::Object::Dictionary(d) => d,
        lopdf::Object::Stream(s) => &s.dict,
        lopdf::Object::Array(items) => return items.iter().any(|item| is_active(item, depth + 1)),
        _ => return false,
    };
    let action = dictionary.get(b"S").and_then(|s| s.as_name()).ok();
    ACTIVE_KEYS.iter().any(|key| dictionary.has(key))
        || matches!(action, Some(b"Launch" | b"JavaScript"))
        || dictionary.iter().any(|(_, value)| is_active(value, depth + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        DynamicImage::new_rgb8(width, height).write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
        out
    }

    #[test]
    fn photos_are_reencoded_as_jpeg_without_their_original_bytes() {
        let mut sent = png(40, 30);
        sent.extend_from_slice(b"<script>alert(1)</script>");
        let stored = prepare(&sent).unwrap();
        assert_eq!(stored.content_type, "image/jpeg");
        assert_eq!(sniff(&stored.bytes), Some(Sniffed::Jpeg));
        assert!(!stored.bytes.windows(8).any(|w| w == b"<script>"));
    }

    #[test]
    fn large_photos_are_scaled_down() {
        let stored = prepare(&png(3000, 1000)).unwrap();
        let back = image::load_from_memory(&stored.bytes).unwrap();
        assert_eq!((back.width(), back.height()), (2000, 667));
    }

    #[test]
    fn a_script_renamed_as_a_photo_is_refused() {
        assert_eq!(prepare(b"#!/bin/sh\nrm -rf /\n"), Err(Rejected::UnsupportedType));
        assert_eq!(prepare(b"<html><script>alert(1)</script></html>"), Err(Rejected::UnsupportedType));
    }

    #[test]
    fn a_truncated_photo_is_refused() {
        let sent = png(50, 50);
        assert_eq!(prepare(&sent[..sent.len() / 2]), Err(Rejected::BadImage));
    }

    #[test]
    fn empty_and_oversized_files_are_refused() {
        assert_eq!(prepare(b""), Err(Rejected::Empty));
        let mut huge = vec![0xFF, 0xD8, 0xFF];
        huge.resize(MAX_UPLOAD_BYTES + 1, 0);
        assert_eq!(prepare(&huge), Err(Rejected::TooLarge));
    }

    #[test]
    fn a_decompression_bomb_is_refused_before_decoding() {
        assert_eq!(prepare(&bomb_png(50_000, 50_000)), Err(Rejected::BadImage));
        assert_eq!(prepare(&bomb_png(9_000, 7_000)), Err(Rejected::BadImage), "63 megapixels");
    }

    #[test]
    fn malformed_and_scripted_pdfs_are_refused_and_plain_ones_kept() {
        assert_eq!(prepare(b"%PDF-1.4\nnot really a pdf"), Err(Rejected::BadPdf));
        let plain = simple_pdf("");
        let stored = prepare(&plain).unwrap();
        assert_eq!((stored.content_type, stored.page_count), ("application/pdf", Some(1)));
        let scripted = simple_pdf("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>");
        assert_eq!(prepare(&scripted), Err(Rejected::BadPdf));
    }

    /// A one-page PDF with correct cross-reference offsets; `catalog_extra` goes in the catalog.
    pub fn simple_pdf(catalog_extra: &str) -> Vec<u8> {
        let objects = [
            format!("<< /Type /Catalog /Pages 2 0 R {catalog_extra} >>"),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>".to_owned(),
        ];
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for offset in offsets {
            pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
        );
        pdf
    }

    /// A tiny PNG whose header claims a huge picture.
    pub fn bomb_png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = png(1, 1);
        // IHDR data starts at byte 16: width, height; its CRC follows the 13 data bytes.
        bytes[16..20].copy_from_slice(&width.to_be_bytes());
        bytes[20..24].copy_from_slice(&height.to_be_bytes());
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        bytes
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for byte in data {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
}
