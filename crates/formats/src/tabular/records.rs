//! CSV records with the line each starts on: the loop every CSV reader shares. Cells and
//! records are kept within [`MAX_CELL_BYTES`] and [`MAX_RECORD_BYTES`] while they are
//! read, so a broken or hostile file cannot fill the memory.

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

use super::lines::LineIndex;
use crate::FormatError;
use crate::error::{MAX_CELL_BYTES, MAX_RECORD_BYTES, TextError};

/// The records of a delimited text stream. Blank lines are passed over; every record comes
/// with the line an editor shows for its start.
pub(crate) struct Records<R> {
    csv: csv::Reader<Bounded<R>>,
    record: csv::StringRecord,
    lines: LineIndex,
    settled: Settled,
}

impl<R: Read> Records<R> {
    /// `input` must be read through the `LineCounting` that answers to `lines`.
    pub(crate) fn new(input: R, delimiter: u8, lines: LineIndex) -> Self {
        let bounded = Bounded::new(input, delimiter);
        let settled = bounded.settled.clone();
        let csv = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(bounded);
        Self {
            csv,
            record: csv::StringRecord::new(),
            lines,
            settled,
        }
    }

    /// The stream the records are read from.
    pub(crate) fn get_ref(&self) -> &R {
        &self.csv.get_ref().inner
    }

    /// The next record's line and cells; `None` at the end.
    pub(crate) fn next(&mut self) -> Option<Result<(u64, Vec<String>), FormatError>> {
        Some(
            self.advance()?
                .map(|line| (line, self.record.iter().map(String::from).collect())),
        )
    }

    /// Passes over the next record, as [`next`](Self::next) reads it, without copying
    /// its cells.
    pub(crate) fn skip(&mut self) -> Option<Result<(), FormatError>> {
        Some(self.advance()?.map(drop))
    }

    /// Reads the next record that is not blank into `self.record`; returns its line.
    fn advance(&mut self) -> Option<Result<u64, FormatError>> {
        loop {
            let line = self.csv.position().line();
            match self.csv.read_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => {
                    let end = self.csv.position().byte();
                    self.settled.set(end, self.lines.peek_line_at(end));
                    if self.record.len() == 1 && self.record[0].trim().is_empty() {
                        continue;
                    }
                    let line = self
                        .record
                        .position()
                        .map_or(line, |p| self.lines.line_at(p.byte()));
                    return Some(Ok(line));
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

/// Where the records read so far end: the byte after the last one and the line the next
/// one starts on, told by [`Records`] as it goes.
#[derive(Clone)]
struct Settled(Rc<Cell<(u64, u64)>>);

impl Settled {
    fn set(&self, byte: u64, line: u64) {
        self.0.set((byte, line));
    }
}

/// A reader that fails the read, with a [`TextError`] naming the line, once a cell or a
/// record grows past its bound. It keeps the bytes handed on but not yet settled into
/// records; only when those are more than a cell may hold does it follow them byte by
/// byte, as the CSV parser reads them, to tell which cell or record is too long.
pub(crate) struct Bounded<R> {
    inner: R,
    delimiter: u8,
    settled: Settled,
    /// The bytes handed on after `base` that no record has settled yet.
    pending: Vec<u8>,
    base: u64,
    /// Following the unsettled bytes, once they grew past a cell's bound.
    follow: Option<Follow>,
    failed: Option<TextError>,
}

impl<R> Bounded<R> {
    pub(crate) fn new(inner: R, delimiter: u8) -> Self {
        Self {
            inner,
            delimiter,
            settled: Settled(Rc::new(Cell::new((0, 1)))),
            pending: Vec::new(),
            base: 0,
            follow: None,
            failed: None,
        }
    }

    /// Takes the next `bytes` handed on; the first bound they break.
    fn take(&mut self, bytes: &[u8]) -> Result<(), TextError> {
        let (end, line) = self.settled.0.get();
        if end > self.base {
            let done = ((end - self.base) as usize).min(self.pending.len());
            self.pending.drain(..done);
            self.base += done as u64;
            if self.pending.len() <= MAX_CELL_BYTES {
                self.follow = None;
            }
        }
        self.pending.extend_from_slice(bytes);
        match &mut self.follow {
            Some(follow) => follow.bytes(bytes),
            None if self.pending.len() > MAX_CELL_BYTES => {
                let mut follow = Follow::new(self.delimiter, line);
                let result = follow.bytes(&self.pending);
                self.follow = Some(follow);
                result
            }
            None => Ok(()),
        }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(failed) = &self.failed {
            return Err(failed.clone().into_io());
        }
        let n = self.inner.read(buf)?;
        if let Err(e) = self.take(&buf[..n]) {
            self.failed = Some(e.clone());
            return Err(e.into_io());
        }
        Ok(n)
    }
}

/// Follows the CSV parser's quoting (as the `csv` crate reads by default: a quote opens a
/// quoted cell only at the cell's start, `""` inside is a quote, `\r` and `\n` end a record
/// outside quotes) from the start of a record, counting each cell and record.
struct Follow {
    delimiter: u8,
    state: Quoting,
    /// Bytes of the current cell and record so far.
    cell: usize,
    record: usize,
    /// The 1-based position of the current cell in its record.
    column: usize,
    /// The line the following starts on, line feeds passed since, and the line the
    /// current record starts on.
    first_line: u64,
    newlines: u64,
    record_line: u64,
}

impl Follow {
    fn new(delimiter: u8, line: u64) -> Self {
        Self {
            delimiter,
            state: Quoting::CellStart,
            cell: 0,
            record: 0,
            column: 1,
            first_line: line,
            newlines: 0,
            record_line: line,
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
    fn bytes(&mut self, bytes: &[u8]) -> Result<(), TextError> {
        let mut i = 0;
        while i < bytes.len() {
            // Inside a cell only the bytes that end it matter: runs of the others are
            // counted at once.
            let delimiter = self.delimiter;
            let run = match self.state {
                Quoting::Unquoted => memchr::memchr3(delimiter, b'\n', b'\r', &bytes[i..]),
                Quoting::Quoted => memchr::memchr2(b'"', b'\n', &bytes[i..]),
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
                    self.record_line = self.first_line + self.newlines;
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
