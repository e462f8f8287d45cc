//! Which dialect a file is in, from its first bytes: an XML file whose root element is
//! `clients` is IOF; a delimited file is the dialect whose column table knows most of its
//! header cells (UPgates' `[EMAIL]`, Shoptet's `billingFullName`, IdoSell's `login` and
//! `ballance`, CloudCart's `Email Address`). Only a bounded prefix is read, and it is put
//! back in front of the rest, so the reader that follows sees the whole file.
//!
//! ```
//! use std::io::Read;
//! use custio_formats::detect;
//!
//! let file = "email;billingFullName;billingCity\nema@example.cz;Ema;Brno\n";
//! let (found, mut input) = detect(Box::new(file.as_bytes())).unwrap();
//! assert_eq!(found.dialect.id(), "shoptet");
//! let mut again = String::new();
//! input.read_to_string(&mut again).unwrap();
//! assert_eq!(again, file);
//! ```

use std::io::{self, Cursor, Read};

use crate::dialect::{Dialect, dialects};
use crate::error::shorten;
use crate::tabular::sniff::{first_line_end, header_separator};
use crate::{FormatError, IMPORT_ERRORS_HEADER};

/// How much of the file detection looks at, at most.
pub const DETECT_BYTES: usize = 64 * 1024;

/// The dialect a file was found to be in.
#[derive(Clone, Copy)]
pub struct Detected {
    pub dialect: &'static dyn Dialect,
    /// Whether the file starts with a header row, when the dialect's default differs
    /// (a CloudCart file is recognised by its header, which its reader otherwise takes for
    /// a row).
    pub has_header: Option<bool>,
    /// Header cells the dialect knows, and how many cells the header has (0 and 0 for XML).
    pub known: usize,
    pub cells: usize,
}

impl std::fmt::Debug for Detected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Detected")
            .field("dialect", &self.dialect.id())
            .field("has_header", &self.has_header)
            .field("known", &self.known)
            .field("cells", &self.cells)
            .finish()
    }
}

/// Reads a bounded prefix of `input`, decides its dialect and returns a reader that yields
/// the whole input again (the prefix, then the rest).
pub fn detect<'a>(
    mut input: Box<dyn Read + 'a>,
) -> Result<(Detected, Box<dyn Read + 'a>), FormatError> {
    let head = read_head(&mut input)?;
    let found = detect_prefix(&head)?;
    Ok((found, Box::new(Cursor::new(head).chain(input))))
}

/// Reads up to [`DETECT_BYTES`], stopping early once the first line is complete.
fn read_head(input: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(8 * 1024);
    let mut chunk = [0u8; 8 * 1024];
    while head.len() < DETECT_BYTES {
        let want = chunk.len().min(DETECT_BYTES - head.len());
        let n = match input.read(&mut chunk[..want]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        head.extend_from_slice(&chunk[..n]);
        if first_line_end(&head).is_some() && !looks_like_xml(&head) {
            break;
        }
    }
    Ok(head)
}

/// Decides the dialect of a file from its first bytes.
pub fn detect_prefix(head: &[u8]) -> Result<Detected, FormatError> {
    // An XLSX workbook is a ZIP archive; a text file is never one.
    if head.starts_with(b"PK\x03\x04") {
        return Ok(Detected {
            dialect: registered(XLSX),
            has_header: None,
            known: 0,
            cells: 0,
        });
    }
    let text = decode(head);
    let text = text.trim_start_matches('\u{FEFF}');
    if text.trim_start().starts_with('<') {
        return detect_xml(text);
    }
    detect_header(text)
}

/// The dialects that are not delimited text: found by their first bytes, never by a
/// header.
const IOF: &str = "iof";
const XLSX: &str = "xlsx";

fn registered(id: &str) -> &'static dyn Dialect {
    dialects()
        .iter()
        .copied()
        .find(|d| d.id() == id)
        .expect("every detected dialect is registered")
}

fn undetected(reason: String) -> FormatError {
    let ids: Vec<&str> = dialects().iter().map(|d| d.id()).collect();
    FormatError::Undetected {
        reason,
        formats: ids.join(", "),
    }
}

fn looks_like_xml(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(64)]);
    text.trim_start_matches('\u{FEFF}')
        .trim_start()
        .starts_with('<')
}

/// UTF-8 when the bytes are (a cut-off last character aside), else the code page the
/// bytes look like (Windows-1250 or -1251): header names are ASCII in every dialect, so the
/// choice matters for messages, which quote a headerless file's first row (Cyrillic in a
/// CloudCart file).
fn decode(head: &[u8]) -> String {
    match std::str::from_utf8(head) {
        Ok(s) => s.to_string(),
        Err(e) if e.error_len().is_none() => {
            String::from_utf8_lossy(&head[..e.valid_up_to()]).into_owned()
        }
        Err(_) => {
            let encoding = match crate::encoding::guess_legacy(head) {
                crate::TextEncoding::Windows1251 => encoding_rs::WINDOWS_1251,
                _ => encoding_rs::WINDOWS_1250,
            };
            encoding.decode(head).0.into_owned()
        }
    }
}

/// The root element's local name, past the XML declaration, comments and a DOCTYPE.
fn detect_xml(text: &str) -> Result<Detected, FormatError> {
    let mut rest = text.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            rest = after.split_once("?>").map(|(_, r)| r).unwrap_or("");
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->").map(|(_, r)| r).unwrap_or("");
        } else if let Some(after) = rest.strip_prefix("<!") {
            let subset = after
                .find('[')
                .filter(|&i| after.find('>').is_none_or(|g| i < g));
            rest = match subset {
                Some(_) => after.split_once("]>").map(|(_, r)| r).unwrap_or(""),
                None => after.split_once('>').map(|(_, r)| r).unwrap_or(""),
            };
        } else if let Some(after) = rest.strip_prefix('<') {
            let name: String = after
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
                .collect();
            let local = name.rsplit(':').next().unwrap_or_default();
            if local == "clients" {
                return Ok(Detected {
                    dialect: registered(IOF),
                    has_header: None,
                    known: 0,
                    cells: 0,
                });
            }
            return Err(undetected(format!(
                "it is XML with the root element <{name}>, but IOF client files start with <clients>"
            )));
        } else if rest.is_empty() {
            return Err(undetected(
                "it is XML, but no root element was found in its first 64 KiB".into(),
            ));
        } else {
            return Err(undetected(
                "it starts like XML but is not well-formed".into(),
            ));
        }
        rest = rest.trim_start();
    }
}

/// The separator that occurs most often outside quotes in `line`.
fn separator(line: &str) -> u8 {
    header_separator(line.as_bytes(), b";,\t|", b';')
}

fn detect_header(text: &str) -> Result<Detected, FormatError> {
    // A binary file (or UTF-16) is full of NUL bytes; a text file with a stray NUL in a
    // cell is a customer file whose row the reader rejects with its line and column.
    let end = first_line_end(text.as_bytes()).unwrap_or(text.len());
    let nuls = text.bytes().filter(|&b| b == 0).count();
    if text[..end].contains('\0') || nuls * 100 > text.len() {
        return Err(FormatError::NotThisFormat {
            dialect: "customer",
            reason: "it contains binary data, not text; export the customer list as CSV or IOF XML"
                .into(),
        });
    }
    let line = text[..end].trim_end_matches('\r');
    if line.trim().is_empty() {
        return Err(undetected("its first line is empty".into()));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator(line))
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    let mut record = csv::StringRecord::new();
    let cells: Vec<String> = match reader.read_record(&mut record) {
        Ok(true) => record.iter().map(|c| c.trim().to_string()).collect(),
        _ => Vec::new(),
    };
    let cells: Vec<&str> = cells
        .iter()
        .map(String::as_str)
        .filter(|c| !c.is_empty() && !c.eq_ignore_ascii_case(IMPORT_ERRORS_HEADER))
        .collect();
    let mut scores: Vec<(usize, &'static dyn Dialect)> = dialects()
        .iter()
        .copied()
        .filter(|d| ![IOF, XLSX].contains(&d.id()))
        .map(|d| (cells.iter().map(|cell| weight(d, cell)).sum(), d))
        .collect();
    scores.sort_by_key(|s| std::cmp::Reverse(s.0));
    let (best, dialect) = scores[0];
    let runner_up = scores.get(1).map_or(0, |s| s.0);
    let shown = shorten(line, 80);
    if best == 0 {
        return Err(undetected(format!(
            "its first line '{shown}' names no column of any format (a file without a header row, such as a CloudCart file, needs its format given)"
        )));
    }
    if best == runner_up {
        let tied: Vec<&str> = scores
            .iter()
            .filter(|s| s.0 == best)
            .map(|s| s.1.id())
            .collect();
        return Err(undetected(format!(
            "its header '{shown}' fits {} equally well",
            tied.join(" and ")
        )));
    }
    let known = cells.iter().filter(|c| weight(dialect, c) > 0).count();
    if known * 2 < cells.len() {
        return Err(undetected(format!(
            "only {known} of the {} header cells are {} columns",
            cells.len(),
            dialect.id()
        )));
    }
    Ok(Detected {
        dialect,
        has_header: (dialect.id() == "cloudcart").then_some(true),
        known,
        cells: cells.len(),
    })
}

/// How strongly a header cell points at `dialect`: 2 for the column's own name (or its
/// parameterised form), 1 for an alias or label that other formats may share (CloudCart
/// binds `email` and `first name`), 0 for a cell the dialect does not know.
fn weight(dialect: &dyn Dialect, cell: &str) -> usize {
    dialect
        .columns()
        .iter()
        .filter_map(|c| {
            c.matches(cell)?;
            let own = match c.header {
                crate::column::HeaderPattern::Exact(name) => name.eq_ignore_ascii_case(cell),
                _ => true,
            };
            Some(if own { 2 } else { 1 })
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(head: &str) -> Result<&'static str, String> {
        detect_prefix(head.as_bytes())
            .map(|d| d.dialect.id())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn headers_pick_the_dialect_that_knows_them() {
        assert_eq!(id("login;email;firstname\n"), Ok("idosell"));
        assert_eq!(id("email;billingFullName;phone\n"), Ok("shoptet"));
        assert_eq!(id("[EMAIL];[META \u{201E}vip\u{201C}]\r\n"), Ok("upgates"));
        assert_eq!(
            id("ID,Email Address,First Name,Last Name\n"),
            Ok("cloudcart")
        );
        assert_eq!(
            id("<?xml version=\"1.0\"?>\n<!-- x -->\n<iof:clients xmlns:iof=\"u\">"),
            Ok("iof")
        );
    }

    #[test]
    fn field_names_are_generic_csv_and_a_zip_is_xlsx() {
        assert_eq!(id("email;first_name;last_name\n"), Ok("csv"));
        assert_eq!(
            id("PK\u{3}\u{4}\u{14}\0\u{6}\0[Content_Types].xml"),
            Ok("xlsx")
        );
    }

    #[test]
    fn a_headerless_windows_1251_file_is_quoted_in_cyrillic() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Иван Петров;ivan@example.bg;София\n");
        let err = detect_prefix(&bytes).unwrap_err().to_string();
        assert!(err.contains("Иван Петров"), "{err}");
    }

    #[test]
    fn unsure_files_ask_for_the_format() {
        let err = id("email;phone\n").unwrap_err();
        assert!(
            err.contains("equally") && err.contains("formats: "),
            "{err}"
        );
        assert!(
            id("ivan@example.bg\tIvan\n")
                .unwrap_err()
                .contains("no column")
        );
        assert!(id("<offer/>").unwrap_err().contains("<offer>"));
        assert!(
            id("a;b;c;billingFullName\n")
                .unwrap_err()
                .contains("only 1 of the 4")
        );
    }
}
