//! CSV records with the line each starts on: the loop every CSV reader shares.

use std::io::Read;

use super::lines::LineIndex;
use crate::FormatError;

/// The records of a delimited text stream. Blank lines are passed over; every record comes
/// with the line an editor shows for its start.
pub(crate) struct Records<R> {
    csv: csv::Reader<R>,
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
            .from_reader(input);
        Self {
            csv,
            record: csv::StringRecord::new(),
            lines,
        }
    }

    /// The stream the records are read from.
    pub(crate) fn get_ref(&self) -> &R {
        self.csv.get_ref()
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
        csv::ErrorKind::Io(io) => FormatError::Io(io),
        other => FormatError::Csv {
            line,
            message: format!("{other:?}"),
        },
    }
}
