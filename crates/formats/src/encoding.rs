//! Text encodings in and out: BOM and UTF-8 sniffing with a legacy fallback when reading,
//! and encoding with a report of unmappable characters when writing (encoding_rs would
//! otherwise write `&#NNNN;` into the file).

use std::fmt;
use std::io::{self, Read};
use std::str::FromStr;

use encoding_rs::{Decoder, Encoding, UTF_8, WINDOWS_1250, WINDOWS_1251};

use crate::FormatError;

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

/// A reader that turns a file in any supported encoding into UTF-8, deciding the encoding
/// from the bytes: a BOM means UTF-8; otherwise the text is taken as UTF-8 when the bytes
/// around the first non-ASCII character are valid UTF-8, else as `fallback`. Until that
/// first non-ASCII byte the two agree, so the decision costs no buffering of the file.
pub struct DecodingReader<R> {
    inner: R,
    forced: Option<TextEncoding>,
    fallback: TextEncoding,
    decoder: Option<Decoder>,
    detected: Option<TextEncoding>,
    raw: Vec<u8>,
    raw_pos: usize,
    out: Vec<u8>,
    out_pos: usize,
    eof: bool,
    started: bool,
    finished: bool,
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
            raw: Vec::with_capacity(SNIFF_WINDOW),
            raw_pos: 0,
            out: Vec::with_capacity(SNIFF_WINDOW),
            out_pos: 0,
            eof: false,
            started: false,
            finished: false,
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
            let n = self.inner.read(&mut self.raw[len..])?;
            self.raw.truncate(len + n);
            if n == 0 {
                self.eof = true;
            }
        }
        Ok(())
    }

    fn choose(&mut self, encoding: TextEncoding) {
        self.detected = Some(encoding);
        self.decoder = Some(encoding.encoding().new_decoder_without_bom_handling());
    }

    fn start(&mut self) -> io::Result<()> {
        self.started = true;
        self.fill_raw(3)?;
        if self.raw.starts_with(b"\xEF\xBB\xBF") {
            self.raw_pos = 3;
            self.choose(match self.forced {
                Some(TextEncoding::Utf8) | None => TextEncoding::Utf8Bom,
                Some(other) => other,
            });
        } else if let Some(forced) = self.forced {
            self.choose(forced);
        }
        Ok(())
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
                    self.raw_pos = self.raw.len();
                    return Ok(!self.out.is_empty() || !self.eof);
                }
                Some(0) => {
                    self.fill_raw(SNIFF_WINDOW)?;
                    let window = &self.raw[self.raw_pos..];
                    let utf8 = match std::str::from_utf8(window) {
                        Ok(_) => true,
                        Err(e) => e.error_len().is_none() && !self.eof,
                    };
                    self.choose(if utf8 {
                        TextEncoding::Utf8
                    } else {
                        self.fallback
                    });
                }
                Some(ascii) => {
                    self.out.extend_from_slice(&pending[..ascii]);
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
        let decoder = self.decoder.as_mut().expect("chosen above");
        let input = &self.raw[self.raw_pos..];
        let cap = decoder
            .max_utf8_buffer_length(input.len())
            .unwrap_or(input.len() * 3)
            + 4;
        self.out.resize(cap, 0);
        let (result, read, written, _) = decoder.decode_to_utf8(input, &mut self.out, self.eof);
        self.out.truncate(written);
        self.raw_pos += read;
        if self.eof && result == encoding_rs::CoderResult::InputEmpty {
            self.finished = true;
        }
        Ok(written > 0 || !self.finished)
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
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
