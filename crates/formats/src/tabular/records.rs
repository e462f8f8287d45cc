//! CSV records with the line each starts on: the loop every CSV reader shares. Cells and
//! records are kept within [`MAX_CELL_BYTES`] and [`MAX_RECORD_BYTES`] while they are
//! read, so a broken or hostile file cannot fill the memory.

use std::io::{self, Read};

use super::lines::LineIndex;
use crate::FormatError;
use crate::error::{MAX_CELL_BYTES, MAX_RECORD_BYTES, TextError};

/// The records of a delimited text stream. Blank lines are passed over; every record comes
/// with the line an editor shows for its start.
pub(crate) struct Records<R> {
    csv: csv::Reader<Bounded<R>>,
    record: csv::StringRecord,
    lines: LineIndex,
}

impl<R: Read> Records<R> {
    /// `input` must be read through the `LineCounting` that answers to `lines`.
    pub(crate) fn new(input: R, delimiter: u8, lines: LineIndex) -> Self {
        let csv = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(Bounded::new(input, delimiter));
        Self {
            csv,
            record: csv::StringRecord::new(),
            lines,
        }
    }

    /// The stream the records are read from.
    pub(crate) fn get_ref(&self) -> &R {
        &self.csv.get_ref().inner
    }

    /// The next record's line and cells; `None` at the end.
    pub(crate) fn next(&mut self) -> Option<Result<(u64, Vec<String>), FormatError>> {
        loop {
            let line = self.csv.position().line();
            match self.csv.read_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => {
                    if self.record.len() == 1 && self.record[0].trim().is_empty() {
                        continue;
                    }
                    let line = self
                        .record
                        .position()
                        .map_or(line, |p| self.lines.line_at(p.byte()));
                    return Some(Ok((line, self.record.iter().map(String::from).collect())));
                }
                Err(e) => return Some(Err(csv_error(e, line))),
            }
        }
    }
}

fn csv_error(e: csv::Error, line: u64) -> FormatError {
    let line = e.position().map_or(line, |p| p.line());
    match e.into_kind() {
        csv::ErrorKind::Io(io) => FormatError::from(io),
        other => FormatError::Csv {
            line,
            message: format!("{other:?}"),
        },
    }
}

/// Where the CSV parser stands, as far as the bounds need to know.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// At the start of a cell, where a quote opens a quoted cell.
    CellStart,
    /// Inside an unquoted cell (a quote here is a character).
    Unquoted,
    /// Inside a quoted cell.
    Quoted,
    /// A quote inside a quoted cell: `""` is a quote, anything else closes the quoting.
    QuoteInQuoted,
}

/// A reader that follows the CSV parser's quoting (as the `csv` crate reads by default: a
/// quote opens a quoted cell only at the cell's start, `""` inside is a quote, `\r` and
/// `\n` end a record outside quotes) and fails the read, with a [`TextError`] naming the
/// line, once a cell or a record grows past its bound.
pub(crate) struct Bounded<R> {
    inner: R,
    delimiter: u8,
    state: Quoting,
    /// Bytes of the current cell and record so far.
    cell: usize,
    record: usize,
    /// The 1-based position of the current cell in its record.
    column: usize,
    /// Line feeds passed so far, and the line the current record starts on.
    newlines: u64,
    record_line: u64,
    failed: Option<TextError>,
}

impl<R> Bounded<R> {
    pub(crate) fn new(inner: R, delimiter: u8) -> Self {
        Self {
            inner,
            delimiter,
            state: Quoting::CellStart,
            cell: 0,
            record: 0,
            column: 1,
            newlines: 0,
            record_line: 1,
            failed: None,
        }
    }

    fn end_record(&mut self) {
        self.state = Quoting::CellStart;
        self.cell = 0;
        self.record = 0;
        self.column = 1;
    }

    fn end_cell(&mut self) {
        self.state = Quoting::CellStart;
        self.cell = 0;
        self.column += 1;
    }

    /// Follows `bytes`; the first bound they break.
    fn follow(&mut self, bytes: &[u8]) -> Result<(), TextError> {
        let mut i = 0;
        while i < bytes.len() {
            // Inside a cell only the bytes that end it matter: runs of the others are
            // counted at once.
            let delimiter = self.delimiter;
            let run = match self.state {
                Quoting::Unquoted => bytes[i..]
                    .iter()
                    .position(|&b| b == delimiter || b == b'\n' || b == b'\r'),
                Quoting::Quoted => bytes[i..].iter().position(|&b| b == b'"' || b == b'\n'),
                _ => Some(0),
            }
            .unwrap_or(bytes.len() - i);
            if run > 0 {
                self.cell += run;
                self.record += run;
                i += run;
                self.check()?;
                continue;
            }
            let b = bytes[i];
            i += 1;
            if b == b'\n' {
                self.newlines += 1;
            }
            let terminator = b == b'\n' || b == b'\r';
            match self.state {
                Quoting::CellStart | Quoting::Unquoted | Quoting::QuoteInQuoted if terminator => {
                    self.end_record();
                    self.record_line = self.newlines + 1;
                    continue;
                }
                Quoting::CellStart | Quoting::Unquoted | Quoting::QuoteInQuoted
                    if b == self.delimiter =>
                {
                    self.end_cell();
                    self.record += 1;
                    continue;
                }
                Quoting::CellStart if b == b'"' => self.state = Quoting::Quoted,
                Quoting::CellStart => self.state = Quoting::Unquoted,
                Quoting::Unquoted => {}
                Quoting::Quoted if b == b'"' => self.state = Quoting::QuoteInQuoted,
                Quoting::Quoted => {}
                Quoting::QuoteInQuoted if b == b'"' => self.state = Quoting::Quoted,
                Quoting::QuoteInQuoted => self.state = Quoting::Unquoted,
            }
            self.cell += 1;
            self.record += 1;
            self.check()?;
        }
        Ok(())
    }

    fn check(&self) -> Result<(), TextError> {
        if self.cell > MAX_CELL_BYTES {
            return Err(TextError::CellTooLarge {
                line: self.record_line,
                column: self.column,
            });
        }
        if self.record > MAX_RECORD_BYTES {
            return Err(TextError::RecordTooLarge {
                line: self.record_line,
            });
        }
        Ok(())
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(failed) = &self.failed {
            return Err(failed.clone().into_io());
        }
        let n = self.inner.read(buf)?;
        if let Err(e) = self.follow(&buf[..n]) {
            self.failed = Some(e.clone());
            return Err(e.into_io());
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounded(data: &[u8]) -> Result<(), FormatError> {
        let mut out = Vec::new();
        Bounded::new(data, b';')
            .read_to_end(&mut out)
            .map(drop)
            .map_err(FormatError::from)
    }

    #[test]
    fn cells_and_records_within_bounds_pass() {
        let mut file = b"a;\"b;\"\"c\"\"\nd\";e\r\n".to_vec();
        file.extend(vec![b'x'; MAX_CELL_BYTES]);
        file.extend(b";\"");
        file.extend(vec![b'y'; MAX_CELL_BYTES - 4]);
        file.extend(b"\"\"\"\n");
        assert!(bounded(&file).is_ok());
    }

    #[test]
    fn a_cell_past_the_bound_names_its_line_and_column() {
        let mut file = b"a;b\nc;\"".to_vec();
        file.extend(vec![b'x'; MAX_CELL_BYTES]);
        let err = bounded(&file).unwrap_err();
        assert!(
            matches!(
                err,
                FormatError::Text(TextError::CellTooLarge { line: 2, column: 2 })
            ),
            "{err:?}"
        );
    }

    #[test]
    fn a_quote_inside_an_unquoted_cell_opens_nothing() {
        // `12" screen` is a character, not a quoted cell running to the end of the file.
        let mut file = b"a;12\" screen;b\n".to_vec();
        for _ in 0..40 {
            file.extend(vec![b'x'; MAX_CELL_BYTES / 2]);
            file.extend(b"\n");
        }
        assert!(bounded(&file).is_ok());
    }

    #[test]
    fn a_record_past_the_bound_fails() {
        let cell = vec![b'x'; MAX_CELL_BYTES / 2];
        let mut file = b"a\n".to_vec();
        for _ in 0..40 {
            file.extend(&cell);
            file.push(b';');
        }
        let err = bounded(&file).unwrap_err();
        assert!(
            matches!(
                err,
                FormatError::Text(TextError::RecordTooLarge { line: 2 })
            ),
            "{err:?}"
        );
    }
}
