//! Line numbers of CSV records. The `csv` crate's own line counter lags behind after a
//! CRLF terminator and ignores blank lines; its byte offsets are exact, so this reader
//! wrapper remembers where line breaks were and turns a record's byte offset into the
//! line it starts on. It keeps only the breaks not yet asked about (the read-ahead), so
//! its memory does not grow with the file.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read};
use std::rc::Rc;

#[derive(Default)]
struct Runs {
    /// Offset reached so far.
    offset: u64,
    /// Runs of `\r`/`\n` bytes not yet settled: (start offset, line feeds in the run).
    runs: VecDeque<(u64, u64)>,
    in_run: bool,
    /// Line feeds in runs already settled.
    settled: u64,
}

/// A shared handle that answers "which line does the record at byte `b` start on".
#[derive(Clone, Default)]
pub(crate) struct LineIndex(Rc<RefCell<Runs>>);

impl LineIndex {
    /// What [`line_at`](Self::line_at) answers, without settling anything: for a record
    /// not yet asked about.
    pub(crate) fn peek_line_at(&self, byte: u64) -> u64 {
        let r = self.0.borrow();
        let ahead: u64 = r
            .runs
            .iter()
            .take_while(|(start, _)| *start <= byte)
            .map(|(_, feeds)| feeds)
            .sum();
        r.settled + ahead + 1
    }

    /// The 1-based line of a record whose `csv` byte position is `byte`: every line feed
    /// of a terminator run that starts at or before `byte` lies before the record.
    pub(crate) fn line_at(&self, byte: u64) -> u64 {
        let mut r = self.0.borrow_mut();
        while let Some(&(start, feeds)) = r.runs.front() {
            if start > byte {
                break;
            }
            r.settled += feeds;
            r.runs.pop_front();
        }
        r.settled + 1
    }
}

/// Wraps a reader, recording line breaks into a [`LineIndex`].
pub(crate) struct LineCounting<R> {
    inner: R,
    index: LineIndex,
}

impl<R> LineCounting<R> {
    pub(crate) fn new(inner: R) -> (Self, LineIndex) {
        let index = LineIndex::default();
        (
            Self {
                inner,
                index: index.clone(),
            },
            index,
        )
    }

    pub(crate) fn get_ref(&self) -> &R {
        &self.inner
    }
}

impl<R: Read> Read for LineCounting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut r = self.index.0.borrow_mut();
        let start = r.offset;
        let mut at = 0;
        // Only line-break bytes matter: jump from one to the next.
        while let Some(found) = memchr::memchr2(b'\n', b'\r', &buf[at..n]) {
            if found > 0 {
                r.in_run = false;
            }
            at += found;
            if !r.in_run {
                r.runs.push_back((start + at as u64, 0));
                r.in_run = true;
            }
            if buf[at] == b'\n' {
                r.runs.back_mut().expect("run opened above").1 += 1;
            }
            at += 1;
        }
        if at < n {
            r.in_run = false;
        }
        r.offset = start + n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(data: &str) -> Vec<u64> {
        let (input, index) = LineCounting::new(data.as_bytes());
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut out = Vec::new();
        let mut record = csv::ByteRecord::new();
        while csv.read_byte_record(&mut record).unwrap() {
            out.push(index.line_at(record.position().unwrap().byte()));
        }
        out
    }

    #[test]
    fn crlf_quoted_breaks_and_blank_lines() {
        assert_eq!(lines("a,b\r\n\"x\",\"y\r\nz\"\r\nc,d\r\n"), [1, 2, 4]);
        assert_eq!(lines("a\nb\n\nc\n"), [1, 2, 4]);
        assert_eq!(lines("\n\na\n"), [3]);
    }
}
