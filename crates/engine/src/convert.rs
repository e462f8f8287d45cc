//! Convert: one platform's customer file into another's, with no store. Rows stream from
//! the source dialect's reader straight into the target dialect's writer; only a bounded
//! look-ahead is held, to learn the custom-field keys and shops that a writer must know
//! before its header. A row that does not parse is left out and reported; a value the
//! target cannot hold is counted per field and reported once at the end.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::{Read, Write};

use custio_formats::column::HeaderPattern;
use custio_formats::{
    Capacity, Dialect, FormatError, ReadOptions, RowSink, RowSource, WriteOptions, detect,
};
use custio_model::{Customer, IssueCode, RowIssue};
use serde::Serialize;

use crate::{Engine, EngineError, Progress};

/// Rows read ahead before the writer is opened.
pub const LOOKAHEAD: usize = 1000;
/// Left-out rows listed in the report; more are only counted.
pub const LISTED: usize = 1000;

/// What to convert from and to.
#[derive(Clone, Debug, Default)]
pub struct ConvertOptions {
    /// The source dialect; `None`: detected from the first bytes.
    pub from: Option<String>,
    pub to: String,
    pub read: ReadOptions,
    /// The target's options; custom-field keys and shops are added from the look-ahead.
    pub write: WriteOptions,
}

/// A row that was not converted.
#[derive(Clone, Debug, Serialize)]
pub struct LeftOut {
    /// The row's line in the source file.
    pub line: u64,
    pub issues: Vec<RowIssue>,
}

/// A field the target cannot hold, and how many rows had a value for it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Dropped {
    pub field: String,
    pub rows: u64,
}

/// What a conversion did.
#[derive(Clone, Debug, Serialize)]
pub struct ConvertReport {
    pub from: String,
    pub to: String,
    /// True when the source dialect was detected rather than given.
    pub detected: bool,
    /// The source file's encoding.
    pub encoding: String,
    /// Rows read from the source.
    pub rows: u64,
    /// Customers written to the target.
    pub written: u64,
    /// How many rows were left out.
    pub left_out_count: u64,
    /// The first [`LISTED`] rows left out, with their reasons.
    pub left_out: Vec<LeftOut>,
    /// Fields with values that the target cannot hold, in field order.
    pub cannot_hold: Vec<Dropped>,
    /// Source columns the source dialect does not know: their cells are not converted
    /// (map them with [`ReadOptions::mappings`] to keep them).
    pub unknown_columns: Vec<String>,
}

impl ConvertReport {
    /// `shoptet cannot hold: stats.orders_all (412 rows), ...`; `None` when nothing was lost.
    pub fn cannot_hold_line(&self) -> Option<String> {
        if self.cannot_hold.is_empty() {
            return None;
        }
        let parts: Vec<String> = self
            .cannot_hold
            .iter()
            .map(|d| {
                let s = if d.rows == 1 { "" } else { "s" };
                format!("{} ({} row{s})", d.field, d.rows)
            })
            .collect();
        Some(format!("{} cannot hold: {}", self.to, parts.join(", ")))
    }
}

/// Converts `input` into `out`. A file that cannot be read or written at all is an error;
/// bad rows are reported in the result.
pub fn convert(
    input: Box<dyn Read + '_>,
    out: Box<dyn Write + '_>,
    options: &ConvertOptions,
    progress: &dyn Progress,
) -> Result<ConvertReport, EngineError> {
    let target = Engine::dialect(&options.to)?;
    let mut read = options.read.clone();
    let (source, input, detected) = match &options.from {
        Some(id) => {
            let source = Engine::dialect(id)?;
            // A file of a dialect without fixed headers (CloudCart) that starts with its
            // header row is read with it, unless told otherwise.
            let input = if read.has_header.is_none() {
                let (found, input) = peek(input)?;
                if found.is_some_and(|f| f.dialect.id() == source.id()) {
                    read.has_header = found.and_then(|f| f.has_header);
                }
                input
            } else {
                input
            };
            (source, input, false)
        }
        None => {
            let (found, input) = detect(input)?;
            if read.has_header.is_none() {
                read.has_header = found.has_header;
            }
            (found.dialect, input, true)
        }
    };
    let mut reader = source.open_reader(input, &read)?;
    let unknown = &reader.binding().unknown;
    // Columns the source does not know are mapped or ignored first, as for an import:
    // written blind they would make empty rows.
    if let Some(first) = unknown
        .first()
        .filter(|_| !source.rules().ignore_unknown_columns)
    {
        return Err(EngineError::UnmappedColumn {
            column: first.header.trim().to_string(),
            unknown: unknown.clone(),
        });
    }
    let unknown_columns = unknown
        .iter()
        .map(|u| u.header.trim().to_string())
        .collect();
    let mut run = Run {
        source,
        report: ConvertReport {
            from: source.id().to_string(),
            to: target.id().to_string(),
            detected,
            encoding: String::new(),
            rows: 0,
            written: 0,
            left_out_count: 0,
            left_out: Vec::new(),
            cannot_hold: Vec::new(),
            unknown_columns,
        },
        dropped: BTreeMap::new(),
    };
    progress.start(None, "rows");

    let mut ahead: VecDeque<(u64, Customer)> = VecDeque::new();
    while ahead.len() < LOOKAHEAD {
        match run.next(reader.as_mut())? {
            Next::Customer(line, c) => ahead.push_back((line, *c)),
            Next::LeftOut => {}
            Next::End => break,
        }
    }
    let mut write = options.write.clone();
    learn_keys(target, &mut write, ahead.iter().map(|(_, c)| c));
    let capacity = Capacity::for_writer(target, &write);
    let mut sink = target.open_writer(out, &write)?;
    for (line, customer) in ahead.drain(..) {
        run.write(sink.as_mut(), &capacity, line, customer)?;
    }
    loop {
        match run.next(reader.as_mut())? {
            Next::Customer(line, c) => run.write(sink.as_mut(), &capacity, line, *c)?,
            Next::LeftOut => {}
            Next::End => break,
        }
        if run.report.rows.is_multiple_of(256) {
            progress.update(run.report.rows);
        }
    }
    run.report.written = sink.finish()?;
    progress.update(run.report.rows);
    progress.finish();
    run.report.encoding = reader.encoding().name().to_string();
    run.report.cannot_hold = run
        .dropped
        .into_iter()
        .map(|(field, rows)| Dropped { field, rows })
        .collect();
    Ok(run.report)
}

/// Detects the dialect of `input` without consuming it; `None` when it cannot be told.
fn peek(
    input: Box<dyn Read + '_>,
) -> Result<(Option<custio_formats::Detected>, Box<dyn Read + '_>), EngineError> {
    let mut head = Vec::new();
    let mut input = input;
    (&mut input)
        .take(custio_formats::DETECT_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(FormatError::from)?;
    let found = custio_formats::detect_prefix(&head).ok();
    Ok((found, Box::new(std::io::Cursor::new(head).chain(input))))
}

/// Adds to `write` the custom-field keys and shops that `customers` use, so the target's
/// per-key and per-shop columns are written.
fn learn_keys<'c>(
    target: &dyn Dialect,
    write: &mut WriteOptions,
    customers: impl Iterator<Item = &'c Customer>,
) {
    let mut keys: BTreeSet<String> = write.custom_field_keys.iter().cloned().collect();
    let mut shops: BTreeSet<u32> = BTreeSet::new();
    let per_shop: Vec<_> = target
        .columns()
        .iter()
        .filter(|c| matches!(c.header, HeaderPattern::Prefix(_)))
        .collect();
    for c in customers {
        keys.extend(c.custom_fields.keys().cloned());
        shops.extend(c.shops.iter().copied());
        for key in c.stats.keys().chain(c.extra.keys()) {
            let key = key.split_once('.').map_or(key.as_str(), |(_, k)| k);
            for column in &per_shop {
                for k in [key, key.trim()] {
                    if let Some(id) = column.matches(k).and_then(|p| p.parse().ok()) {
                        shops.insert(id);
                    }
                }
            }
        }
    }
    write.custom_field_keys = keys.into_iter().collect();
    if !shops.is_empty() {
        write.shop_ids = shops.into_iter().collect();
    }
}

enum Next {
    Customer(u64, Box<Customer>),
    LeftOut,
    End,
}

struct Run {
    source: &'static dyn Dialect,
    report: ConvertReport,
    dropped: BTreeMap<String, u64>,
}

impl Run {
    fn leave_out(&mut self, line: u64, issues: Vec<RowIssue>) {
        self.report.left_out_count += 1;
        if self.report.left_out.len() < LISTED {
            self.report.left_out.push(LeftOut { line, issues });
        }
    }

    /// The next row as a customer, or a row left out.
    fn next(&mut self, reader: &mut dyn RowSource) -> Result<Next, EngineError> {
        let Some(row) = reader.next_row() else {
            return Ok(Next::End);
        };
        let row = row?;
        self.report.rows += 1;
        if !row.issues.is_empty() {
            self.leave_out(row.line, row.issues);
            return Ok(Next::LeftOut);
        }
        let identity = self.source.rules().identity;
        if !identity.is_empty() && !identity.iter().any(|f| row.patch.value(f).is_some()) {
            let fields = identity.iter().map(|f| f.name().into_owned()).collect();
            let issue = RowIssue::row(IssueCode::MissingIdentity { fields });
            self.leave_out(row.line, vec![issue]);
            return Ok(Next::LeftOut);
        }
        let mut customer = Customer::default();
        for (field, value) in self.source.rules().defaults_for_new {
            if row.patch.get(field).is_none() {
                customer.set(field, Some(value.clone()));
            }
        }
        row.patch.apply(&mut customer);
        Ok(Next::Customer(row.line, Box::new(customer)))
    }

    fn write(
        &mut self,
        sink: &mut dyn RowSink,
        capacity: &Capacity,
        line: u64,
        customer: Customer,
    ) -> Result<(), EngineError> {
        match sink.write_customer(&customer) {
            Ok(()) => {
                for field in capacity.lost(&customer) {
                    *self.dropped.entry(field.name().into_owned()).or_default() += 1;
                }
                Ok(())
            }
            Err(FormatError::Unmappable {
                column,
                character,
                encoding,
                ..
            }) => {
                self.leave_out(
                    line,
                    vec![
                        RowIssue::row(IssueCode::UnmappableCharacter {
                            encoding: encoding.to_string(),
                        })
                        .in_column(column)
                        .with_value(character.to_string()),
                    ],
                );
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::rc::Rc;

    use super::*;
    use crate::NoProgress;

    /// An IdoSell file of `rows` customers, made as it is read.
    struct Generated {
        rows: u64,
        made: Rc<Cell<u64>>,
        pending: Vec<u8>,
    }

    impl Read for Generated {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.pending.is_empty() {
                let n = self.made.get();
                if n == 0 {
                    self.pending = b"login;email;firstname;lastname;city\n".to_vec();
                } else if n <= self.rows {
                    self.pending =
                        format!("u{n};u{n}@example.pl;Jan;Nowak;Warszawa\n").into_bytes();
                } else {
                    return Ok(0);
                }
                self.made.set(n + 1);
            }
            let k = buf.len().min(self.pending.len());
            buf[..k].copy_from_slice(&self.pending[..k]);
            self.pending.drain(..k);
            Ok(k)
        }
    }

    /// Counts written lines and records how far reading ran ahead of writing.
    struct Watch {
        made: Rc<Cell<u64>>,
        lines: u64,
        widest_gap: u64,
    }

    impl Write for &mut Watch {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.lines += buf.iter().filter(|&&b| b == b'\n').count() as u64;
            let gap = self.made.get().saturating_sub(self.lines);
            self.widest_gap = self.widest_gap.max(gap);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn rows_stream_through_with_a_bounded_look_ahead() {
        let made = Rc::new(Cell::new(0));
        let input = Generated {
            rows: 20_000,
            made: made.clone(),
            pending: Vec::new(),
        };
        let mut watch = Watch {
            made: made.clone(),
            lines: 0,
            widest_gap: 0,
        };
        let options = ConvertOptions {
            from: Some("idosell".into()),
            to: "shoptet".into(),
            ..ConvertOptions::default()
        };
        let report = convert(Box::new(input), Box::new(&mut watch), &options, &NoProgress).unwrap();
        assert_eq!((report.rows, report.written), (20_000, 20_000));
        // The look-ahead, plus what the decoding and CSV readers buffer (up to 64 KiB, some
        // 1,700 of these short rows): a bound that does not grow with the file.
        assert!(
            watch.widest_gap < LOOKAHEAD as u64 + 2_000,
            "reading ran {} rows ahead of writing",
            watch.widest_gap
        );
    }
}
