//! Text encodings in and out: BOM and UTF-8 sniffing with a legacy fallback when reading,
//! and encoding with a report of unmappable characters when writing (encoding_rs would
//! otherwise write `&#NNNN;` into the file).

use std::fmt;
use std::io::{self, Read};
use std::str::FromStr;

use encoding_rs::{Decoder, Encoding, UTF_8, WINDOWS_1250, WINDOWS_1251};

use crate::FormatError;
use crate::error::{BadLine, MAX_LISTED_LINES, TextError};

/// An encoding custio reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    /// UTF-8 with a byte-order mark, which Excel needs to open UTF-8 files correctly.
    Utf8Bom,
    /// Central European Windows code page (Polish, Czech, Slovak Excel).
    Windows1250,
    /// Cyrillic Windows code page (Bulgarian Excel).
    Windows1251,
}

impl TextEncoding {
    /// Every encoding, for help texts.
    pub const ALL: &[TextEncoding] = &[
        Self::Utf8,
        Self::Utf8Bom,
        Self::Windows1250,
        Self::Windows1251,
    ];

    /// The name used on the command line and in the API.
    pub fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "utf-8",
            Self::Utf8Bom => "utf-8-bom",
            Self::Windows1250 => "windows-1250",
            Self::Windows1251 => "windows-1251",
        }
    }

    fn encoding(self) -> &'static Encoding {
        match self {
            Self::Utf8 | Self::Utf8Bom => UTF_8,
            Self::Windows1250 => WINDOWS_1250,
            Self::Windows1251 => WINDOWS_1251,
        }
    }

    /// The bytes a file in this encoding starts with.
    pub fn preamble(self) -> &'static [u8] {
        match self {
            Self::Utf8Bom => b"\xEF\xBB\xBF",
            _ => b"",
        }
    }

    /// Encodes `text`; `Err(c)` names the first character the encoding cannot hold.
    pub fn encode(self, text: &str, out: &mut Vec<u8>) -> Result<(), char> {
        match self {
            Self::Utf8 | Self::Utf8Bom => {
                out.extend_from_slice(text.as_bytes());
                Ok(())
            }
            _ => {
                let mut encoder = self.encoding().new_encoder();
                let needed = encoder
                    .max_buffer_length_from_utf8_without_replacement(text.len())
                    .unwrap_or(text.len() * 2);
                let start = out.len();
                out.resize(start + needed, 0);
                let (result, _read, written) =
                    encoder.encode_from_utf8_without_replacement(text, &mut out[start..], true);
                out.truncate(start + written);
                match result {
                    encoding_rs::EncoderResult::InputEmpty => Ok(()),
                    encoding_rs::EncoderResult::Unmappable(c) => Err(c),
                    encoding_rs::EncoderResult::OutputFull => {
                        unreachable!("buffer sized by the encoder")
                    }
                }
            }
        }
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for TextEncoding {
    type Err = FormatError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(Self::Utf8),
            "utf-8-bom" | "utf8-bom" | "utf-8-sig" => Ok(Self::Utf8Bom),
            "windows-1250" | "cp1250" | "cp-1250" | "win1250" => Ok(Self::Windows1250),
            "windows-1251" | "cp1251" | "cp-1251" | "win1251" => Ok(Self::Windows1251),
            _ => Err(FormatError::UnknownEncoding(s.to_string())),
        }
    }
}

/// How far ahead of the first non-ASCII byte the sniffer looks before deciding.
const SNIFF_WINDOW: usize = 64 * 1024;

/// How far past the first offending line an encoding error looks for more of them.
const SCAN_AHEAD: usize = 1024 * 1024;

/// Bytes of context shown before and from the first non-ASCII byte of an offending line.
const CONTEXT_BEFORE: usize = 24;
const CONTEXT_FROM: usize = 24;

/// How the non-ASCII bytes of one line read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineClass {
    /// ASCII only, or UTF-8 without a Latin or Cyrillic letter (a symbol, another script):
    /// fits either reading.
    Plain,
    /// Valid UTF-8 holding Latin or Cyrillic letters (`Ł` is `C5 81`): UTF-8 text.
    Utf8,
    /// Bytes that are not UTF-8 (`Ł` in Windows-1250 is `A3`): a Windows code page.
    NotUtf8,
}

/// Whether a character is a letter of the languages custio's code pages write (Latin-1
/// and Latin Extended-A letters, Romanian ș ț, basic Cyrillic). A Windows-1250 line whose
/// bytes happen to be valid UTF-8 decodes to other characters (`PÓŁNOCNA` has `D3 A3`,
/// Cyrillic `ӣ`), so it is not taken for UTF-8.
fn letter(c: u32) -> bool {
    matches!(c, 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x17F | 0x218..=0x21B | 0x400..=0x45F)
}

/// Follows raw bytes line by line, classifying each line ([`LineClass`]) and keeping the
/// bytes an error shows for it.
#[derive(Clone, Default)]
struct LineScan {
    /// Line feeds passed: the current line is `newlines + 1`.
    newlines: u64,
    /// Continuation bytes the current UTF-8 sequence still needs, and its code point.
    need: u8,
    code: u32,
    invalid: bool,
    letters: bool,
    /// ASCII bytes of the line before its first non-ASCII byte (the last ones kept).
    before: Vec<u8>,
    /// Bytes from the first non-ASCII one on; `None` until it came.
    from: Option<Vec<u8>>,
}

impl LineScan {
    fn at_line(newlines: u64, before: &[u8]) -> Self {
        let keep = before.len().saturating_sub(CONTEXT_BEFORE);
        Self {
            newlines,
            before: before[keep..].to_vec(),
            ..Self::default()
        }
    }

    /// Feeds bytes; `done` gets each line a `\n` completes, with its class.
    fn feed(&mut self, bytes: &[u8], done: &mut impl FnMut(&LineScan, LineClass)) {
        for &b in bytes {
            if b < 0x80 {
                if self.need > 0 {
                    self.invalid = true;
                    self.need = 0;
                }
                if b == b'\n' {
                    self.end_line(done);
                    continue;
                }
                match &mut self.from {
                    None => {
                        if self.before.len() >= 2 * CONTEXT_BEFORE {
                            self.before.drain(..CONTEXT_BEFORE);
                        }
                        self.before.push(b);
                    }
                    Some(from) if from.len() < CONTEXT_FROM && b != b'\r' => from.push(b),
                    Some(_) => {}
                }
                continue;
            }
            match &mut self.from {
                None => self.from = Some(vec![b]),
                Some(from) if from.len() < CONTEXT_FROM => from.push(b),
                Some(_) => {}
            }
            match b {
                0x80..=0xBF if self.need > 0 => {
                    self.code = (self.code << 6) | u32::from(b & 0x3F);
                    self.need -= 1;
                    if self.need == 0 && letter(self.code) {
                        self.letters = true;
                    }
                }
                0xC2..=0xF4 => {
                    if self.need > 0 {
                        self.invalid = true;
                    }
                    (self.need, self.code) = match b {
                        0xC2..=0xDF => (1, u32::from(b & 0x1F)),
                        0xE0..=0xEF => (2, u32::from(b & 0x0F)),
                        _ => (3, u32::from(b & 0x07)),
                    };
                }
                _ => {
                    self.invalid = true;
                    self.need = 0;
                }
            }
        }
    }

    /// Ends the last line when the input ends without a line feed.
    fn finish(&mut self, done: &mut impl FnMut(&LineScan, LineClass)) {
        if self.from.is_some() || self.need > 0 {
            self.end_line(done);
        }
    }

    fn end_line(&mut self, done: &mut impl FnMut(&LineScan, LineClass)) {
        if self.need > 0 {
            self.invalid = true;
        }
        let class = if self.invalid {
            LineClass::NotUtf8
        } else if self.letters {
            LineClass::Utf8
        } else {
            LineClass::Plain
        };
        done(self, class);
        self.newlines += 1;
        self.need = 0;
        self.invalid = false;
        self.letters = false;
        self.before.clear();
        self.from = None;
    }

    /// The current line, for an error.
    fn bad_line(&self) -> BadLine {
        let keep = self.before.len().saturating_sub(CONTEXT_BEFORE);
        let mut bytes = self.before[keep..].to_vec();
        bytes.extend(self.from.iter().flatten());
        BadLine {
            line: self.newlines + 1,
            bytes: escape_bytes(&bytes),
        }
    }
}

/// Bytes as text: printable ASCII as it is, everything else as `\xNN`.
fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            0x20..=0x7E => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02X}")),
        }
    }
    out
}

/// How the decoded text is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Check {
    /// Not at all: the user chose a Windows code page, which decodes any byte.
    Nothing,
    /// Every byte must be UTF-8.
    Utf8,
    /// A code page was guessed: a line that is UTF-8 (with letters) means a mixed file.
    NoUtf8Lines,
}

/// A reader that turns a file in any supported encoding into UTF-8, deciding the encoding
/// from the bytes: a BOM means UTF-8; otherwise the lines around the first non-ASCII byte
/// decide: UTF-8 when they are, else `fallback`. Until that first non-ASCII byte the two
/// agree, so the decision costs no buffering of the file.
///
/// Nothing is guessed line by line and nothing becomes mojibake: in a UTF-8 file every
/// byte must be UTF-8, and in a file read in the guessed code page no line may be UTF-8
/// text; otherwise the read fails with [`TextError::Encoding`] listing the first offending
/// lines with their bytes. Only an encoding the user chose is taken as it is.
pub struct DecodingReader<R> {
    inner: R,
    forced: Option<TextEncoding>,
    fallback: TextEncoding,
    decoder: Option<Decoder>,
    detected: Option<TextEncoding>,
    check: Check,
    /// Lines of the code page checked so far ([`Check::NoUtf8Lines`]).
    scan: LineScan,
    /// Line feeds in the bytes decoded so far.
    newlines: u64,
    raw: Vec<u8>,
    raw_pos: usize,
    out: Vec<u8>,
    out_pos: usize,
    eof: bool,
    started: bool,
    finished: bool,
    failed: Option<TextError>,
}

impl<R: Read> DecodingReader<R> {
    /// `forced` skips detection (a BOM is still removed); `fallback` is the legacy encoding
    /// assumed when the bytes are not UTF-8.
    pub fn new(inner: R, forced: Option<TextEncoding>, fallback: TextEncoding) -> Self {
        Self {
            inner,
            forced,
            fallback,
            decoder: None,
            detected: None,
            check: Check::Nothing,
            scan: LineScan::default(),
            newlines: 0,
            raw: Vec::with_capacity(SNIFF_WINDOW),
            raw_pos: 0,
            out: Vec::with_capacity(SNIFF_WINDOW),
            out_pos: 0,
            eof: false,
            started: false,
            finished: false,
            failed: None,
        }
    }

    /// The encoding in use: known once a non-ASCII byte or a BOM was seen (plain ASCII is
    /// reported as UTF-8).
    pub fn encoding(&self) -> TextEncoding {
        self.detected.or(self.forced).unwrap_or(TextEncoding::Utf8)
    }

    fn fill_raw(&mut self, want: usize) -> io::Result<()> {
        if self.raw_pos > 0 {
            self.raw.drain(..self.raw_pos);
            self.raw_pos = 0;
        }
        while !self.eof && self.raw.len() < want {
            let len = self.raw.len();
            self.raw.resize(len + SNIFF_WINDOW.max(want - len), 0);
            let n = match self.inner.read(&mut self.raw[len..]) {
                Ok(n) => n,
                Err(e) => {
                    self.raw.truncate(len);
                    return Err(e);
                }
            };
            self.raw.truncate(len + n);
            if n == 0 {
                self.eof = true;
            }
        }
        Ok(())
    }

    fn choose(&mut self, encoding: TextEncoding, check: Check) {
        self.detected = Some(encoding);
        self.check = check;
        self.decoder = Some(encoding.encoding().new_decoder_without_bom_handling());
    }

    fn start(&mut self) -> io::Result<()> {
        self.started = true;
        self.fill_raw(3)?;
        if self.raw.starts_with(b"\xEF\xBB\xBF") {
            self.raw_pos = 3;
            match self.forced {
                Some(TextEncoding::Utf8) | None => {
                    self.choose(TextEncoding::Utf8Bom, Check::Utf8);
                }
                Some(other) => self.choose(other, check_of(other)),
            }
        } else if let Some(forced) = self.forced {
            self.choose(forced, check_of(forced));
        }
        Ok(())
    }

    /// The ASCII bytes of the current line just before `raw_pos` (for an error's context).
    fn line_before(&self) -> &[u8] {
        let before = &self.raw[..self.raw_pos];
        let start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        &before[start.max(before.len().saturating_sub(CONTEXT_BEFORE))..]
    }

    /// Decides the encoding at the first non-ASCII byte (at `raw_pos`), from the lines of
    /// the window that follows: UTF-8 lines and lines that are not UTF-8 side by side are a
    /// mixed file.
    fn decide(&mut self) -> Result<(), TextError> {
        let mut scan = LineScan::at_line(self.newlines, self.line_before());
        let (mut utf8, mut legacy) = (Vec::new(), Vec::new());
        let mut classify = |line: &LineScan, class: LineClass| match class {
            LineClass::Utf8 => utf8.push(line.bad_line()),
            LineClass::NotUtf8 => legacy.push(line.bad_line()),
            LineClass::Plain => {}
        };
        scan.feed(&self.raw[self.raw_pos..], &mut classify);
        if self.eof {
            scan.finish(&mut classify);
        } else if scan.invalid {
            // The window ends inside a line that is already not UTF-8.
            legacy.push(scan.bad_line());
        }
        match (utf8.is_empty(), legacy.is_empty()) {
            (false, false) => {
                // Read as what most lines are (UTF-8 on a tie); list the others.
                let utf8_lines = utf8.len() < legacy.len();
                let (encoding, mut lines) = if utf8_lines {
                    (self.fallback, utf8)
                } else {
                    (TextEncoding::Utf8, legacy)
                };
                let more = !self.eof || lines.len() > MAX_LISTED_LINES;
                lines.truncate(MAX_LISTED_LINES);
                Err(TextError::Encoding {
                    encoding: encoding.name(),
                    utf8_lines,
                    lines,
                    more,
                })
            }
            (true, false) => {
                self.choose(self.fallback, Check::NoUtf8Lines);
                self.scan = LineScan::at_line(self.newlines, self.line_before());
                Ok(())
            }
            _ => {
                self.choose(TextEncoding::Utf8, Check::Utf8);
                Ok(())
            }
        }
    }

    /// Collects the offending lines after the first one (`scan` stands at its end, `rest`
    /// is the raw input after it), reading at most [`SCAN_AHEAD`] further.
    fn collect(
        &mut self,
        mut scan: LineScan,
        first: BadLine,
        rest: Vec<u8>,
        offending: LineClass,
    ) -> TextError {
        let first_line = first.line;
        let mut lines = vec![first];
        let mut pending = rest;
        let mut read = 0usize;
        let mut chunk = vec![0u8; 64 * 1024];
        let mut more = false;
        loop {
            scan.feed(&pending, &mut |line: &LineScan, class| {
                if class == offending && line.newlines + 1 != first_line {
                    lines.push(line.bad_line());
                }
            });
            if lines.len() > MAX_LISTED_LINES {
                more = true;
                break;
            }
            if read >= SCAN_AHEAD {
                more = !self.eof;
                break;
            }
            if self.eof {
                scan.finish(&mut |line: &LineScan, class| {
                    if class == offending && line.newlines + 1 != first_line {
                        lines.push(line.bad_line());
                    }
                });
                break;
            }
            match self.inner.read(&mut chunk) {
                Ok(0) | Err(_) => self.eof = true,
                Ok(n) => {
                    read += n;
                    pending = chunk[..n].to_vec();
                    continue;
                }
            }
            pending.clear();
        }
        if lines.len() > MAX_LISTED_LINES {
            lines.truncate(MAX_LISTED_LINES);
            more = true;
        }
        let encoding = match self.encoding() {
            TextEncoding::Utf8Bom => TextEncoding::Utf8,
            other => other,
        };
        TextError::Encoding {
            encoding: encoding.name(),
            utf8_lines: offending == LineClass::Utf8,
            lines,
            more,
        }
    }

    fn fail(&mut self, error: TextError) -> io::Error {
        self.failed = Some(error.clone());
        self.finished = true;
        error.into_io()
    }

    /// Produces more UTF-8 into `out`; returns false at the end of input.
    fn produce(&mut self) -> io::Result<bool> {
        self.out.clear();
        self.out_pos = 0;
        if self.decoder.is_none() {
            self.fill_raw(1)?;
            let pending = &self.raw[self.raw_pos..];
            match pending.iter().position(|b| !b.is_ascii()) {
                None => {
                    self.out.extend_from_slice(pending);
                    self.newlines += count_newlines(pending);
                    self.raw_pos = self.raw.len();
                    return Ok(!self.out.is_empty() || !self.eof);
                }
                Some(0) => {
                    // Keep the line's start for an error's context: `fill_raw` drops
                    // what was read.
                    let before = self.line_before().to_vec();
                    self.raw.drain(..self.raw_pos);
                    self.raw_pos = 0;
                    self.fill_raw(SNIFF_WINDOW)?;
                    self.raw.splice(0..0, before.iter().copied());
                    self.raw_pos = before.len();
                    if let Err(e) = self.decide() {
                        return Err(self.fail(e));
                    }
                }
                Some(ascii) => {
                    self.out.extend_from_slice(&pending[..ascii]);
                    self.newlines += count_newlines(&pending[..ascii]);
                    self.raw_pos += ascii;
                    return Ok(true);
                }
            }
        }
        if self.finished {
            return Ok(false);
        }
        let pending = self.raw.len() - self.raw_pos;
        self.fill_raw(pending + 1)?;
        if self.check == Check::NoUtf8Lines {
            self.check_lines()?;
        }
        let decoder = self.decoder.as_mut().expect("chosen above");
        let input = &self.raw[self.raw_pos..];
        let cap = decoder
            .max_utf8_buffer_length(input.len())
            .unwrap_or(input.len() * 3)
            + 4;
        self.out.resize(cap, 0);
        let (done, read, written) = if self.check == Check::Utf8 {
            let (result, read, written) =
                decoder.decode_to_utf8_without_replacement(input, &mut self.out, self.eof);
            match result {
                encoding_rs::DecoderResult::Malformed(bad, after) => {
                    let at = read - usize::from(bad) - usize::from(after);
                    let error = self.not_utf8(at);
                    return Err(self.fail(error));
                }
                encoding_rs::DecoderResult::InputEmpty => (true, read, written),
                encoding_rs::DecoderResult::OutputFull => (false, read, written),
            }
        } else {
            let (result, read, written, _) = decoder.decode_to_utf8(input, &mut self.out, self.eof);
            (
                result == encoding_rs::CoderResult::InputEmpty,
                read,
                written,
            )
        };
        self.out.truncate(written);
        self.newlines += count_newlines(&self.raw[self.raw_pos..self.raw_pos + read]);
        self.raw_pos += read;
        if self.eof && done {
            self.finished = true;
        }
        Ok(written > 0 || !self.finished)
    }

    /// Checks the lines of the pending raw bytes of a guessed code page before they are
    /// decoded: a UTF-8 line among them fails the read.
    fn check_lines(&mut self) -> io::Result<()> {
        let mut first: Option<(LineScan, usize)> = None;
        let input = &self.raw[self.raw_pos..];
        let mut scan = std::mem::take(&mut self.scan);
        // Feed line by line, so the scan can stop right after the first UTF-8 line.
        let mut offset = 0;
        while offset < input.len() && first.is_none() {
            let end = input[offset..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(input.len(), |i| offset + i + 1);
            scan.feed(&input[offset..end], &mut |line: &LineScan, class| {
                if class == LineClass::Utf8 {
                    first = Some((line.clone(), end));
                }
            });
            offset = end;
        }
        if first.is_none() && self.eof {
            scan.finish(&mut |line: &LineScan, class| {
                if class == LineClass::Utf8 {
                    first = Some((line.clone(), input.len()));
                }
            });
        }
        self.scan = scan;
        match first {
            None => Ok(()),
            Some((line, end)) => {
                let rest = self.raw[self.raw_pos + end..].to_vec();
                let scan = std::mem::take(&mut self.scan);
                let error = self.collect(scan, line.bad_line(), rest, LineClass::Utf8);
                Err(self.fail(error))
            }
        }
    }

    /// The error for a UTF-8 file with bytes that are not UTF-8 at `raw_pos + at`.
    fn not_utf8(&mut self, at: usize) -> TextError {
        let input = &self.raw[self.raw_pos..];
        let line_start = input[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let mut scan = LineScan::at_line(
            self.newlines + count_newlines(&input[..line_start]),
            &input[line_start..at],
        );
        let end = input[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(input.len(), |i| at + i);
        scan.feed(&input[at..end], &mut |_: &LineScan, _| {});
        let first = scan.bad_line();
        if end < input.len() {
            scan.feed(b"\n", &mut |_: &LineScan, _| {});
        }
        let rest = input[(end + 1).min(input.len())..].to_vec();
        self.collect(scan, first, rest, LineClass::NotUtf8)
    }
}

/// How a chosen encoding is checked.
fn check_of(encoding: TextEncoding) -> Check {
    match encoding {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => Check::Utf8,
        _ => Check::Nothing,
    }
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(failed) = &self.failed {
            return Err(failed.clone().into_io());
        }
        if !self.started {
            self.start()?;
        }
        while self.out_pos >= self.out.len() {
            if !self.produce()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// Guesses the legacy code page of bytes that are not UTF-8: Windows-1251 when they read
/// as Cyrillic text, Windows-1250 otherwise (Polish, Czech and Slovak). The guess is
/// `chardetng`'s, narrowed to the two code pages custio reads.
pub fn guess_legacy(sample: &[u8]) -> TextEncoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    let cyrillic = [
        encoding_rs::WINDOWS_1251,
        encoding_rs::KOI8_R,
        encoding_rs::KOI8_U,
        encoding_rs::ISO_8859_5,
        encoding_rs::IBM866,
        encoding_rs::X_MAC_CYRILLIC,
    ];
    if cyrillic.contains(&guess) {
        TextEncoding::Windows1251
    } else {
        TextEncoding::Windows1250
    }
}

/// True when `sample` (the start of a file, possibly cut in the middle of a character)
/// is UTF-8 or starts with a UTF-8 byte-order mark.
pub fn looks_utf8(sample: &[u8], complete: bool) -> bool {
    sample.starts_with(b"\xEF\xBB\xBF")
        || match std::str::from_utf8(sample) {
            Ok(_) => true,
            Err(e) => e.error_len().is_none() && !complete,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], forced: Option<TextEncoding>) -> (String, TextEncoding) {
        let mut r = DecodingReader::new(bytes, forced, TextEncoding::Windows1250);
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        (s, r.encoding())
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            decode("Łódź;ż".as_bytes(), None),
            ("Łódź;ż".into(), TextEncoding::Utf8)
        );
        assert_eq!(
            decode(b"\xEF\xBB\xBFabc", None),
            ("abc".into(), TextEncoding::Utf8Bom)
        );
    }

    #[test]
    fn falls_back_to_windows_1250_even_after_a_long_ascii_prefix() {
        let mut bytes = vec![b'a'; 200_000];
        bytes.extend_from_slice(b"\xA3\xF3d\x9F"); // "Łódź" in windows-1250
        let (text, enc) = decode(&bytes, None);
        assert_eq!(enc, TextEncoding::Windows1250);
        assert!(text.ends_with("Łódź"));
        assert_eq!(text.len(), 200_000 + "Łódź".len());
    }

    fn decode_err(bytes: &[u8], forced: Option<TextEncoding>) -> TextError {
        let mut r = DecodingReader::new(bytes, forced, TextEncoding::Windows1250);
        let mut s = String::new();
        let err = r.read_to_string(&mut s).unwrap_err();
        TextError::carried(&err).unwrap_or_else(|| panic!("not a text error: {err}"))
    }

    fn lines_of(err: &TextError) -> Vec<(u64, String)> {
        match err {
            TextError::Encoding { lines, .. } => {
                lines.iter().map(|l| (l.line, l.bytes.clone())).collect()
            }
            other => panic!("{other:?}"),
        }
    }

    fn cp1250(text: &str) -> Vec<u8> {
        WINDOWS_1250.encode(text).0.into_owned()
    }

    #[test]
    fn utf8_and_windows_1250_lines_side_by_side_are_refused() {
        let mut file = "a;b\nx;Łukasz\n".as_bytes().to_vec();
        file.extend(cp1250("y;Żaneta\n"));
        file.extend("z;Zoë\n".as_bytes());
        let err = decode_err(&file, None);
        // Most lines are UTF-8: the Windows-1250 one is listed, with its bytes.
        assert_eq!(lines_of(&err), [(3, "y;\\xAFaneta".to_string())]);
        let message = err.to_string();
        assert!(message.contains("not valid utf-8"), "{message}");
        assert!(message.contains("line 3: \"y;\\xAFaneta\""), "{message}");

        let mut file = cp1250("a;b\nx;Żaneta\ny;Łódź\n");
        file.extend("z;Łukasz\n".as_bytes());
        let err = decode_err(&file, None);
        assert_eq!(lines_of(&err), [(4, "z;\\xC5\\x81ukasz".to_string())]);
        assert!(err.to_string().contains("--encoding windows-1250"), "{err}");
    }

    #[test]
    fn a_windows_1250_line_far_into_a_utf8_file_is_refused() {
        let mut file = "email;name\n".as_bytes().to_vec();
        for i in 0..20_000 {
            file.extend(format!("u{i}@example.pl;Łukasz\n").as_bytes());
        }
        file.extend(cp1250("z@example.pl;Żaneta\n"));
        file.extend("w@example.pl;Wanda\n".as_bytes());
        file.extend(cp1250("q@example.pl;Łódź"));
        let err = decode_err(&file, None);
        assert_eq!(
            lines_of(&err),
            [
                (20_002, "z@example.pl;\\xAFaneta".to_string()),
                (20_004, "q@example.pl;\\xA3\\xF3d\\x9F".to_string())
            ]
        );
        assert!(matches!(err, TextError::Encoding { more: false, .. }));
        // With a byte-order mark, or UTF-8 chosen, the same holds.
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(&file);
        assert_eq!(lines_of(&decode_err(&bom, None)).len(), 2);
        assert_eq!(
            lines_of(&decode_err(&file, Some(TextEncoding::Utf8))).len(),
            2
        );
    }

    #[test]
    fn a_utf8_line_far_into_a_windows_1250_file_is_refused() {
        let mut file = Vec::new();
        for i in 0..20_000 {
            file.extend(cp1250(&format!("u{i}@example.pl;Łódź\n")));
        }
        for i in 0..7 {
            file.extend(format!("v{i}@example.pl;Łukasz\n").as_bytes());
        }
        let err = decode_err(&file, None);
        let lines = lines_of(&err);
        assert_eq!(lines.len(), MAX_LISTED_LINES);
        assert_eq!(
            lines[0],
            (20_001, "v0@example.pl;\\xC5\\x81ukasz".to_string())
        );
        assert!(matches!(
            err,
            TextError::Encoding {
                more: true,
                utf8_lines: true,
                ..
            }
        ));
        // Chosen by the user, the code page is taken as it is.
        let (text, _) = decode(&file, Some(TextEncoding::Windows1250));
        assert!(text.contains("Ĺ\u{81}ukasz"));
    }

    #[test]
    fn capitals_that_happen_to_be_utf8_do_not_make_a_windows_1250_file_mixed() {
        // `ÓŁ` is D3 A3 in Windows-1250: valid UTF-8 (Cyrillic ӣ), but no letter of ours.
        let file = cp1250("ulica;miasto\nPÓŁNOCNA;ŁÓDŹ\nPÓŁNOCNA;Kraków\n");
        let (text, enc) = decode(&file, None);
        assert_eq!(enc, TextEncoding::Windows1250);
        assert!(text.contains("PÓŁNOCNA;ŁÓDŹ"));
    }

    #[test]
    fn forced_encoding_wins() {
        let (text, _) = decode(b"\xC8\xE2\xE0\xED", Some(TextEncoding::Windows1251));
        assert_eq!(text, "Иван");
    }

    #[test]
    fn encoder_reports_unmappable_characters() {
        let mut out = Vec::new();
        assert_eq!(TextEncoding::Windows1250.encode("Łódź", &mut out), Ok(()));
        assert_eq!(out, b"\xA3\xF3d\x9F");
        assert_eq!(
            TextEncoding::Windows1250.encode("Иван", &mut Vec::new()),
            Err('И')
        );
    }

    #[test]
    fn legacy_code_pages_are_told_apart() {
        let (bg, _, _) = WINDOWS_1251
            .encode("Име;Фамилия;Имейл;Пощенски код\nИван;Петров;ivan@example.bg;1000\n");
        let (cz, _, _) = WINDOWS_1250
            .encode("Jméno;Příjmení;E-mail;PSČ;Město\nJiří;Dvořák;jiri@example.cz;110 00;Praha\n");
        let (pl, _, _) = WINDOWS_1250.encode("Imię;Nazwisko;Miejscowość\nŁukasz;Żółć;Łódź\n");
        assert_eq!(guess_legacy(&bg), TextEncoding::Windows1251);
        assert_eq!(guess_legacy(&cz), TextEncoding::Windows1250);
        assert_eq!(guess_legacy(&pl), TextEncoding::Windows1250);
        assert!(!looks_utf8(&cz, true));
        assert!(looks_utf8("Jméno".as_bytes(), true));
        assert!(looks_utf8(&"Jméno".as_bytes()[..2], false));
    }
}
