//! A PDF is read within bounds before anything parses it. The compressed streams that hold
//! objects (object and cross-reference streams) are inflated into a counter, never into
//! memory, up to a total cap, so a small file that inflates to gigabytes (a decompression bomb)
//! is refused after a few megabytes of work. Every name outside page contents and pictures, in
//! the file or in its object streams, is compared with the names that make a PDF act: scripts,
//! actions that open, fetch or send something, embedded files and media. PDF allows a name to
//! be written with `#xx` escapes, which are decoded first; an object stream packed with a
//! filter other than Flate (which the parser would not decode, hiding what is inside) is refused.

use flate2::read::ZlibDecoder;
use std::io::{self, Read, Write};

/// Most bytes the object and cross-reference streams of one PDF may inflate to, in all.
const MAX_INFLATED_BYTES: u64 = 32 * 1024 * 1024;

/// Names that make a document do something a scan never needs to.
const ACTIVE_NAMES: [&[u8]; 16] = [
    b"JS",
    b"JavaScript",
    b"Launch",
    b"URI",
    b"SubmitForm",
    b"GoToR",
    b"GoToE",
    b"ImportData",
    b"RichMedia",
    b"EmbeddedFile",
    b"EmbeddedFiles",
    b"XFA",
    b"Sound",
    b"Movie",
    b"Rendition",
    b"AA",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Active content, or a packing that could hide it.
    Active,
    Encrypted,
    /// Object streams inflating past the cap.
    TooLarge,
}

/// Checks the raw bytes of a PDF; `Ok` means it may be parsed.
pub fn check(bytes: &[u8]) -> Result<(), Refused> {
    let mut inflated = 0u64;
    let mut rest = bytes;
    loop {
        let Some(start) = find(rest, b"stream") else { return scan_names(rest) };
        let (before, after) = rest.split_at(start);
        // "endstream" also contains "stream": it closes a stream already skipped.
        if before.ends_with(b"end") {
            scan_names(before)?;
            rest = &after[b"stream".len()..];
            continue;
        }
        scan_names(before)?;
        let dictionary = &before[before.len().saturating_sub(4096)..];
        let data = skip_end_of_line(&after[b"stream".len()..]);
        let end = find(data, b"endstream").unwrap_or(data.len());
        check_stream(dictionary, &data[..end], &mut inflated)?;
        rest = &data[end..];
    }
}

/// Object and cross-reference streams are inflated (counted) and object streams scanned;
/// page contents and pictures are left to the parser, which does not inflate them.
fn check_stream(dictionary: &[u8], data: &[u8], inflated: &mut u64) -> Result<(), Refused> {
    let names = names_in(last_dictionary(dictionary));
    let has = |name: &[u8]| names.iter().any(|n| n == name);
    let objects = has(b"ObjStm");
    if !objects && !has(b"XRef") {
        return Ok(());
    }
    let filters: Vec<&Vec<u8>> = names.iter().filter(|n| is_filter(n)).collect();
    match filters.as_slice() {
        [] if objects => scan_names(data),
        [] => Ok(()),
        [only] if only.as_slice() == b"FlateDecode" => {
            let budget = MAX_INFLATED_BYTES.saturating_sub(*inflated);
            let mut sink = Scanner { names: objects, seen: Vec::new(), found: false, written: 0 };
            let mut reader = ZlibDecoder::new(data).take(budget + 1);
            // A corrupt stream is for the parser to refuse.
            let _ = io::copy(&mut reader, &mut sink);
            *inflated += sink.written;
            if *inflated > MAX_INFLATED_BYTES {
                Err(Refused::TooLarge)
            } else if sink.found || (objects && scan_names(&sink.seen).is_err()) {
                Err(Refused::Active)
            } else {
                Ok(())
            }
        }
        _ => Err(Refused::Active),
    }
}

fn is_filter(name: &[u8]) -> bool {
    matches!(
        name,
        b"FlateDecode"
            | b"Fl"
            | b"ASCIIHexDecode"
            | b"AHx"
            | b"ASCII85Decode"
            | b"A85"
            | b"LZWDecode"
            | b"LZW"
            | b"RunLengthDecode"
            | b"RL"
            | b"CCITTFaxDecode"
            | b"CCF"
            | b"DCTDecode"
            | b"DCT"
            | b"JPXDecode"
            | b"JBIG2Decode"
            | b"Crypt"
    )
}

/// Counts inflated bytes and keeps a window of them to scan for names across chunk edges.
struct Scanner {
    names: bool,
    seen: Vec<u8>,
    found: bool,
    written: u64,
}

impl Write for Scanner {
    fn write(&mut self, chunk: &[u8]) -> io::Result<usize> {
        self.written += chunk.len() as u64;
        if self.names && !self.found {
            self.seen.extend_from_slice(chunk);
            if scan_names(&self.seen).is_err() {
                self.found = true;
            }
            // A name is short: the tail is enough to join it with the next chunk.
            let keep = self.seen.len().saturating_sub(128);
            self.seen.drain(..keep);
        }
        Ok(chunk.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn scan_names(bytes: &[u8]) -> Result<(), Refused> {
    let names = names_in(bytes);
    if names.iter().any(|n| n == b"Encrypt") {
        return Err(Refused::Encrypted);
    }
    if names.iter().any(|n| ACTIVE_NAMES.contains(&n.as_slice())) {
        return Err(Refused::Active);
    }
    Ok(())
}

/// Every `/Name` in the bytes, with `#xx` escapes decoded.
fn names_in(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut names = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'/' {
            i += 1;
            continue;
        }
        i += 1;
        let mut name = Vec::new();
        while i < bytes.len() && is_regular(bytes[i]) {
            match (bytes[i], bytes.get(i + 1..i + 3)) {
                (b'#', Some(hex)) if hex.iter().all(u8::is_ascii_hexdigit) => {
                    let text = std::str::from_utf8(hex).unwrap_or("00");
                    name.push(u8::from_str_radix(text, 16).unwrap_or(0));
                    i += 3;
                }
                (byte, _) => {
                    name.push(byte);
                    i += 1;
                }
            }
        }
        names.push(name);
    }
    names
}

fn is_regular(byte: u8) -> bool {
    !byte.is_ascii_whitespace() && byte != 0 && !b"()<>[]{}/%".contains(&byte)
}

/// The dictionary just before a stream: from the last `obj` on.
fn last_dictionary(before: &[u8]) -> &[u8] {
    match before.windows(3).rposition(|w| w == b"obj") {
        Some(at) => &before[at..],
        None => before,
    }
}

fn skip_end_of_line(data: &[u8]) -> &[u8] {
    data.strip_prefix(b"\r\n").or_else(|| data.strip_prefix(b"\n")).or_else(|| data.strip_prefix(b"\r")).unwrap_or(data)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{write::ZlibEncoder, Compression};

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    fn with_object_stream(filter: &str, data: &[u8]) -> Vec<u8> {
        let mut pdf = b"%PDF-1.5\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n".to_vec();
        pdf.extend_from_slice(
            format!("5 0 obj\n<< /Type /ObjStm /N 1 /First 4 {filter} /Length {} >>\nstream\n", data.len()).as_bytes(),
        );
        pdf.extend_from_slice(data);
        pdf.extend_from_slice(b"\nendstream\nendobj\n%%EOF\n");
        pdf
    }

    #[test]
    fn names_are_read_with_their_escapes() {
        assert_eq!(names_in(b"<< /S /J#61vaScript >>"), vec![b"S".to_vec(), b"JavaScript".to_vec()]);
        assert_eq!(check(b"%PDF-1.4 << /OpenAction << /S /J#61vaScript >> >>"), Err(Refused::Active));
    }

    #[test]
    fn every_acting_name_is_refused_and_a_plain_document_passes() {
        for action in ["/URI", "/SubmitForm", "/GoToR", "/ImportData", "/RichMedia", "/Launch", "/EmbeddedFiles"] {
            let pdf = format!("%PDF-1.4 1 0 obj << /Type /Annot /A << /S {action} >> >> endobj");
            assert_eq!(check(pdf.as_bytes()), Err(Refused::Active), "{action}");
        }
        assert_eq!(check(b"%PDF-1.4 1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj"), Ok(()));
        assert_eq!(check(b"%PDF-1.4 trailer << /Encrypt 9 0 R >>"), Err(Refused::Encrypted));
    }

    #[test]
    fn a_script_hidden_in_an_object_stream_is_found() {
        let script = b"6 0 << /S /JavaScript /JS (app.alert(1)) >>";
        assert_eq!(check(&with_object_stream("/Filter /FlateDecode", &deflate(script))), Err(Refused::Active));
        assert_eq!(check(&with_object_stream("", script)), Err(Refused::Active));
        let hex: String = script.iter().map(|b| format!("{b:02X}")).collect();
        let packed = with_object_stream("/Filter /ASCIIHexDecode", hex.as_bytes());
        assert_eq!(check(&packed), Err(Refused::Active), "a filter the parser does not decode is refused");
        let plain = b"6 0 << /Type /Page /Parent 2 0 R >>";
        assert_eq!(check(&with_object_stream("/Filter /FlateDecode", &deflate(plain))), Ok(()));
    }

    #[test]
    fn an_object_stream_that_inflates_past_the_cap_is_refused_without_holding_it() {
        let bomb = deflate(&vec![b' '; 256 * 1024 * 1024]);
        assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
        assert_eq!(check(&with_object_stream("/Filter /FlateDecode", &bomb)), Err(Refused::TooLarge));
    }

    #[test]
    fn picture_and_page_streams_are_not_scanned() {
        let noise = b"\x00/JS/URI random bytes of a picture";
        let mut pdf = b"%PDF-1.4\n3 0 obj\n<< /Type /XObject /Subtype /Image /Filter /DCTDecode >>\nstream\n".to_vec();
        pdf.extend_from_slice(noise);
        pdf.extend_from_slice(b"\nendstream\nendobj\n");
        assert_eq!(check(&pdf), Ok(()));
    }
}
