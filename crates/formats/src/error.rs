use thiserror::Error;

/// A problem that stops reading or writing a whole file. Problems of a single row are
/// [`RowIssue`](crate::RowIssue)s instead: the row goes to the batch with its reason and the
/// rest of the file goes on.
#[derive(Debug, Error)]
pub enum FormatError {
    /// Reading or writing the underlying stream failed.
    #[error("cannot read or write the file: {0}")]
    Io(#[from] std::io::Error),
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

/// `text` cut to `max` characters with `...`, for quoting file content in a message.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}...", text.chars().take(max).collect::<String>())
    }
}
