use std::collections::VecDeque;
use std::io::{self, Read};

/// Counts line breaks in the text the CSV parser reads, so that each record gets the line
/// number an editor shows. (The parser's own count lags by one after a CRLF row end.)
/// Only the breaks in the parser's read-ahead window are remembered, so memory stays flat.
pub(super) struct LineTracker<R> {
    pub(super) inner: R,
    offset: u64,
    pending: VecDeque<u64>,
    passed: u64,
}

impl<R> LineTracker<R> {
    pub(super) fn new(inner: R) -> Self {
        Self {
            inner,
            offset: 0,
            pending: VecDeque::new(),
            passed: 0,
        }
    }

    /// The 1-based line of the record starting at byte `start`. Offsets must not decrease
    /// between calls. A record reported to start on the `\n` of a CRLF starts after it.
    pub(super) fn line_at(&mut self, start: u64) -> u64 {
        while self.pending.front().is_some_and(|&p| p < start) {
            self.pending.pop_front();
            self.passed += 1;
        }
        let on_break = u64::from(self.pending.front() == Some(&start));
        1 + self.passed + on_break
    }
}

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, b) in buf[..n].iter().enumerate() {
            if *b == b'\n' {
                self.pending.push_back(self.offset + i as u64);
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_after_crlf_and_blank_lines_and_inside_cells() {
        let text = b"h\r\na\r\n\r\n\"b\r\nc\"\r\nd\n";
        let mut t = LineTracker::new(&text[..]);
        let mut sink = Vec::new();
        t.read_to_end(&mut sink).unwrap();
        // Record starts as the csv crate reports them: after a CRLF it points at the \n.
        assert_eq!(t.line_at(0), 1);
        assert_eq!(t.line_at(2), 2);
        assert_eq!(t.line_at(8), 4, "the blank line 3 is counted");
        assert_eq!(t.line_at(16), 6, "the quoted cell spans lines 4 and 5");
    }
}
