use std::fmt;

use thiserror::Error;

/// A problem that stops reading or writing a whole file. Problems of a single row are
/// [`RowIssue`](crate::RowIssue)s instead: the row goes to the batch with its reason and the
/// rest of the file goes on.
#[derive(Debug, Error)]
pub enum FormatError {
    /// Reading or writing the underlying stream failed.
    #[error("cannot read or write the file: {0}")]
    Io(std::io::Error),
    /// The text of the file cannot be read safely: bytes in another encoding, or a cell or
    /// row beyond custio's bounds.
    #[error(transparent)]
    Text(#[from] TextError),
    /// Elements nested deeper than any customer file needs (a broken or hostile XML file).
    #[error(
        "line {line}: elements are nested more than {max} levels deep inside <{element}>; the file is broken or not a customer file"
    )]
    TooDeep {
        line: u64,
        element: String,
        max: usize,
    },
    /// A header with more columns than any customer file needs.
    #[error(
        "line 1 (the header): the header has {columns} columns, custio reads at most {max}; is this a customer file, and is the separator the right one?"
    )]
    TooManyColumns { columns: usize, max: usize },
    /// The bytes are not a delimited text file at all (binary data, an archive, ...).
    #[error("this does not look like a {dialect} file: {reason}")]
    NotThisFormat {
        dialect: &'static str,
        reason: String,
    },
    /// The header row is unusable.
    #[error("line 1 (the header): {0}")]
    Header(String),
    /// An encoding name we do not know.
    #[error("unknown encoding '{0}'; use one of utf-8, utf-8-bom, windows-1250, windows-1251")]
    UnknownEncoding(String),
    /// An output encoding the format cannot be written in (XML and XLSX are UTF-8).
    #[error("{dialect} files are always written in UTF-8; leave out --encoding {encoding}")]
    EncodingNotWritten {
        dialect: &'static str,
        encoding: &'static str,
    },
    /// A character the chosen output encoding cannot hold.
    #[error(
        "row {row}, column '{column}': the character '{character}' cannot be written in {encoding}; choose --encoding utf-8 or change the value"
    )]
    Unmappable {
        row: u64,
        column: String,
        character: char,
        encoding: &'static str,
    },
    /// A column name the dialect does not have (for a chosen view).
    #[error("'{column}' is not a column of {dialect}; run `custio formats {dialect}` to list them")]
    UnknownColumn {
        dialect: &'static str,
        column: String,
    },
    /// The XML is not well-formed, or uses something custio refuses (a DOCTYPE, an
    /// entity other than the five predefined ones).
    #[error("line {line}: {message}")]
    Xml { line: u64, message: String },
    /// Detection found no dialect that fits the file well enough.
    #[error("cannot tell which format the file is in: {reason} (formats: {formats})")]
    Undetected { reason: String, formats: String },
    /// A delimited-text error the CSV parser could not recover from.
    #[error("line {line}: {message}")]
    Csv { line: u64, message: String },
    /// A spreadsheet (XLSX) that cannot be read or written: a damaged workbook, or a value
    /// beyond what a worksheet holds.
    #[error("spreadsheet: {0}")]
    Spreadsheet(String),
}

impl From<std::io::Error> for FormatError {
    /// A [`TextError`] that a reader raised through [`std::io::Read`] comes back as itself.
    fn from(err: std::io::Error) -> Self {
        match TextError::carried(&err) {
            Some(text) => FormatError::Text(text),
            None => FormatError::Io(err),
        }
    }
}

/// The most bytes one cell of a delimited file may hold: far beyond any customer value,
/// small enough that a broken or hostile file cannot fill the memory.
pub const MAX_CELL_BYTES: usize = 1024 * 1024;

/// The most bytes one record (a row, with every cell) may hold.
pub const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// How many offending lines an encoding error lists.
pub const MAX_LISTED_LINES: usize = 5;

/// A problem with the text itself, found while it is read (below the CSV and XML
/// parsers, which see it as an [`std::io::Error`] carrying this value).
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum TextError {
    /// A cell longer than [`MAX_CELL_BYTES`].
    #[error(
        "line {line}, column {column}: a cell is longer than {} MiB; customer values are far shorter, so the file is broken (a quote that is never closed?) or not a customer file",
        MAX_CELL_BYTES / (1024 * 1024)
    )]
    CellTooLarge { line: u64, column: usize },
    /// A record (one row and all its cells) longer than [`MAX_RECORD_BYTES`].
    #[error(
        "line {line}: a row is longer than {} MiB; the file is broken (a quote that is never closed?) or not a customer file",
        MAX_RECORD_BYTES / (1024 * 1024)
    )]
    RecordTooLarge { line: u64 },
    /// An XML tag or run of text longer than [`MAX_CELL_BYTES`] (a value in an attribute
    /// or element, or junk between the elements).
    #[error(
        "line {line}: an XML tag or text is longer than {} MiB; customer values are far shorter, so the file is broken or not a customer file",
        MAX_CELL_BYTES / (1024 * 1024)
    )]
    MarkupTooLarge { line: u64 },
    /// Lines whose bytes do not fit the encoding the rest of the file is in: a file mixing
    /// UTF-8 and a Windows code page, or broken bytes. Nothing is guessed per line.
    #[error("{}", EncodingMessage(self))]
    Encoding {
        /// What the file was read as.
        encoding: &'static str,
        /// Whether the offending lines are UTF-8 in a file read in a Windows code page
        /// (otherwise they hold bytes that are not UTF-8 in a UTF-8 file).
        utf8_lines: bool,
        /// The first offending lines, in order (at most [`MAX_LISTED_LINES`]).
        lines: Vec<BadLine>,
        /// Whether more offending lines may follow the listed ones.
        more: bool,
    },
}

/// One line of an encoding error: where, and its bytes around the first non-ASCII one,
/// escaped (`Jan;\xA3ukasz`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadLine {
    pub line: u64,
    pub bytes: String,
}

impl TextError {
    /// The error an [`std::io::Error`] carries, when a custio reader raised it.
    pub fn carried(err: &std::io::Error) -> Option<TextError> {
        err.get_ref()
            .and_then(|inner| inner.downcast_ref::<TextError>())
            .cloned()
    }

    /// The same error as an [`std::io::Error`], to pass it through a parser.
    pub(crate) fn into_io(self) -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::InvalidData, self)
    }
}

struct EncodingMessage<'a>(&'a TextError);

impl fmt::Display for EncodingMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let TextError::Encoding {
            encoding,
            utf8_lines,
            lines,
            more,
        } = self.0
        else {
            return Ok(());
        };
        let listed: Vec<String> = lines
            .iter()
            .map(|l| format!("line {}: \"{}\"", l.line, l.bytes))
            .collect();
        let more = if *more { "; and maybe more" } else { "" };
        if *utf8_lines {
            write!(
                f,
                "the file mixes encodings: it reads as {encoding}, but these lines are UTF-8 ({}{more}). \
custio does not guess line by line, because a wrong guess silently turns letters into others (Łukasz into Ĺ\\u{{81}}ukasz). \
Save the whole file in one encoding (UTF-8) and import it again; if it really is {encoding} throughout, import it with --encoding {encoding}",
                listed.join("; ")
            )
        } else {
            write!(
                f,
                "the file is not valid {encoding} throughout: these lines hold bytes that are not {encoding}, probably text in another encoding such as windows-1250 ({}{more}). \
custio does not guess line by line, because a wrong guess silently turns letters into others. \
Save the whole file in one encoding (UTF-8) and import it again; if it is all in a Windows code page, import it with --encoding windows-1250 (or windows-1251)",
                listed.join("; ")
            )
        }
    }
}

/// `text` cut to `max` characters with `...`, for quoting file content in a message.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}...", text.chars().take(max).collect::<String>())
    }
}

/// At most `max` items joined with `, `, then `and N more`: a list quoted from a file
/// (its headers, say) keeps a message short whatever the file holds.
pub fn listed<S: AsRef<str>>(items: &[S], max: usize) -> String {
    let mut out: Vec<String> = items
        .iter()
        .take(max)
        .map(|s| shorten(s.as_ref(), 60))
        .collect();
    if items.len() > max {
        out.push(format!("and {} more", items.len() - max));
    }
    out.join(", ")
}
