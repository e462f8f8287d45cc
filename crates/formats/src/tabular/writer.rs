use std::borrow::Cow;
use std::io::Write;
use std::sync::Arc;

use custio_model::{Customer, Field};

use super::TabularDialect;
use crate::column::{CellContext, Column, Direction, HeaderPattern};
use crate::dialect::{ExportKind, RecordRenderer, RowSink, WriteOptions};
use crate::{FormatError, IMPORT_ERRORS_HEADER, TextEncoding, excel};

/// One column of an export: which table column, under which header, with which parameter.
pub(crate) struct ExportColumn {
    pub(crate) column: &'static Column,
    pub(crate) header: String,
    pub(crate) param: Option<String>,
    /// The canonical header, key of `stats` and `extra` values.
    pub(crate) key: String,
}

impl ExportColumn {
    fn new(column: &'static Column, header: String, param: Option<String>) -> Self {
        let key = column.key(param.as_deref().unwrap_or(""));
        Self {
            column,
            header,
            param,
            key,
        }
    }
}

/// Turns records into bytes: quoted as `csv_core` decides, straight into the output, and
/// encoded and checked character by character.
struct RecordEncoder {
    csv: csv_core::Writer,
    /// A record quoted before it is encoded (an encoding other than UTF-8).
    quoted: Vec<u8>,
    delimiter: u8,
    encoding: TextEncoding,
}

impl RecordEncoder {
    fn new(delimiter: u8, encoding: TextEncoding) -> Self {
        Self {
            csv: csv_core::WriterBuilder::new()
                .delimiter(delimiter)
                .terminator(csv_core::Terminator::CRLF)
                .build(),
            quoted: Vec::new(),
            delimiter,
            encoding,
        }
    }

    /// Appends one record to `out`; `row` (0 = header) and `headers` locate an unmappable
    /// character, and then nothing of the record is appended.
    fn encode(
        &mut self,
        cells: &[String],
        row: u64,
        headers: &[String],
        out: &mut Vec<u8>,
    ) -> Result<(), FormatError> {
        if matches!(self.encoding, TextEncoding::Utf8 | TextEncoding::Utf8Bom) {
            self.quote(cells, out);
            return Ok(());
        }
        let mut quoted = std::mem::take(&mut self.quoted);
        quoted.clear();
        self.quote(cells, &mut quoted);
        let start = out.len();
        let text = std::str::from_utf8(&quoted).expect("cells are UTF-8");
        let encoded = self.encoding.encode(text, out).map_err(|character| {
            out.truncate(start);
            unmappable(character, cells, row, headers, self.encoding)
        });
        self.quoted = quoted;
        encoded
    }

    /// Appends the cells, each quoted where `csv_core` says it needs it (a delimiter, a
    /// quote or a line break in it: inside quotes, each quote doubled), and the line's end.
    fn quote(&self, cells: &[String], out: &mut Vec<u8>) {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push(self.delimiter);
            }
            let cell = cell.as_bytes();
            if !self.csv.should_quote(cell) {
                out.extend_from_slice(cell);
                continue;
            }
            out.push(b'"');
            for (i, part) in cell.split(|b| *b == b'"').enumerate() {
                if i > 0 {
                    out.extend_from_slice(b"\"\"");
                }
                out.extend_from_slice(part);
            }
            out.push(b'"');
        }
        if let [only] = cells
            && only.is_empty()
        {
            // A line of one empty cell would read back as no cell at all.
            out.extend_from_slice(b"\"\"");
        }
        out.extend_from_slice(b"\r\n");
    }
}

impl Clone for RecordEncoder {
    fn clone(&self) -> Self {
        Self::new(self.delimiter, self.encoding)
    }
}

/// Names the cell holding a character `encoding` cannot write.
fn unmappable(
    character: char,
    cells: &[String],
    row: u64,
    headers: &[String],
    encoding: TextEncoding,
) -> FormatError {
    let at = cells
        .iter()
        .position(|c| c.contains(character))
        .unwrap_or(0);
    FormatError::Unmappable {
        row,
        column: headers.get(at).cloned().unwrap_or_default(),
        character,
        encoding: encoding.name(),
    }
}

/// Writes encoded records to the output.
struct RecordWriter<'a> {
    out: Box<dyn Write + 'a>,
    encoder: RecordEncoder,
    bytes: Vec<u8>,
}

impl<'a> RecordWriter<'a> {
    fn new(
        mut out: Box<dyn Write + 'a>,
        delimiter: u8,
        encoding: TextEncoding,
    ) -> Result<Self, FormatError> {
        out.write_all(encoding.preamble())?;
        Ok(Self {
            out,
            encoder: RecordEncoder::new(delimiter, encoding),
            bytes: Vec::new(),
        })
    }

    /// Writes one record; `row` (0 = header) and `headers` locate an unmappable character.
    fn write(&mut self, cells: &[String], row: u64, headers: &[String]) -> Result<(), FormatError> {
        self.bytes.clear();
        self.encoder.encode(cells, row, headers, &mut self.bytes)?;
        Ok(self.out.write_all(&self.bytes)?)
    }
}

/// Renders customers into a CSV dialect's records, on whichever thread holds it.
#[derive(Clone)]
struct CsvRenderer {
    dialect: &'static str,
    columns: Arc<[ExportColumn]>,
    headers: Arc<[String]>,
    excel_safe: bool,
    encoder: RecordEncoder,
    /// One reused buffer per column.
    cells: Vec<String>,
}

impl RecordRenderer for CsvRenderer {
    fn render(
        &mut self,
        customer: &Customer,
        row: u64,
        out: &mut Vec<u8>,
    ) -> Result<(), FormatError> {
        for (c, cell) in self.columns.iter().zip(&mut self.cells) {
            let ctx = CellContext {
                dialect: self.dialect,
                header: &c.key,
                param: c.param.as_deref(),
            };
            cell.clear();
            c.column.write_into(customer, &ctx, cell);
            if self.excel_safe
                && let Cow::Owned(guarded) = excel::guard(cell, c.column.is_numeric())
            {
                *cell = guarded;
            }
        }
        self.encoder.encode(&self.cells, row, &self.headers, out)
    }
}

/// A CSV export being written.
pub(super) struct CsvSink<'a> {
    renderer: CsvRenderer,
    out: Box<dyn Write + 'a>,
    bytes: Vec<u8>,
    written: u64,
}

impl<'a> CsvSink<'a> {
    pub(super) fn open(
        dialect: &TabularDialect,
        out: Box<dyn Write + 'a>,
        options: &WriteOptions,
    ) -> Result<Self, FormatError> {
        let columns = export_columns(dialect, options)?;
        let headers: Vec<String> = columns.iter().map(|c| c.header.clone()).collect();
        let encoding = options.encoding.unwrap_or(dialect.write_encoding);
        let mut writer = RecordWriter::new(out, dialect.delimiter, encoding)?;
        writer.write(&headers, 0, &headers)?;
        Ok(Self {
            renderer: CsvRenderer {
                dialect: dialect.id,
                cells: vec![String::new(); columns.len()],
                columns: columns.into(),
                headers: headers.into(),
                excel_safe: options.excel_safe,
                encoder: writer.encoder,
            },
            out: writer.out,
            bytes: writer.bytes,
            written: 0,
        })
    }
}

impl RowSink for CsvSink<'_> {
    fn write_customer(&mut self, customer: &Customer) -> Result<(), FormatError> {
        // A row the encoding cannot hold is not written (nothing of it reaches the output),
        // so the count and the next row's number stay those of the file.
        self.bytes.clear();
        let row = self.written + 1;
        self.renderer.render(customer, row, &mut self.bytes)?;
        self.out.write_all(&self.bytes)?;
        self.written = row;
        Ok(())
    }

    fn renderer(&self) -> Option<Box<dyn RecordRenderer>> {
        Some(Box::new(self.renderer.clone()))
    }

    fn write_rendered(&mut self, records: &[u8], count: u64) -> Result<(), FormatError> {
        self.out.write_all(records)?;
        self.written += count;
        Ok(())
    }

    fn finish(&mut self) -> Result<u64, FormatError> {
        self.out.flush()?;
        Ok(self.written)
    }
}

fn holds_password(column: &Column) -> bool {
    column
        .fields(&CellContext {
            dialect: "",
            header: "",
            param: None,
        })
        .contains(&Field::Password)
}

pub(crate) fn export_columns(
    dialect: &TabularDialect,
    options: &WriteOptions,
) -> Result<Vec<ExportColumn>, FormatError> {
    let writable = |c: &&'static Column| {
        c.direction != Direction::Import && (options.with_password_hashes || !holds_password(c))
    };
    let expand = |column: &'static Column, legacy: bool| -> Vec<ExportColumn> {
        let name = if legacy && !column.label.is_empty() {
            column.label
        } else {
            column.name()
        };
        match column.header {
            HeaderPattern::Exact(_) => vec![ExportColumn::new(column, name.to_string(), None)],
            HeaderPattern::Prefix(_) => options
                .shop_ids
                .iter()
                .map(|id| ExportColumn::new(column, format!("{name}{id}"), Some(id.to_string())))
                .collect(),
            HeaderPattern::Param { .. } => options
                .custom_field_keys
                .iter()
                .map(|key| ExportColumn::new(column, column.key(key), Some(key.clone())))
                .collect(),
            HeaderPattern::CustomField(_) => options
                .custom_field_keys
                .iter()
                .map(|k| ExportColumn::new(column, format!("{name}{k}"), Some(k.clone())))
                .collect(),
        }
    };
    let find = |name: &str| -> Result<&'static Column, FormatError> {
        dialect
            .columns
            .iter()
            .find(|c| c.matches(name).is_some() || c.name().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| FormatError::UnknownColumn {
                dialect: dialect.id,
                column: name.to_string(),
            })
    };
    Ok(match &options.kind {
        ExportKind::Full | ExportKind::Legacy => {
            let legacy = options.kind == ExportKind::Legacy;
            let ordered: Vec<&'static Column> = match dialect.full_export {
                Some(names) => names.iter().map(|n| find(n)).collect::<Result<_, _>>()?,
                None => dialect.columns.iter().collect(),
            };
            ordered
                .into_iter()
                .filter(writable)
                .flat_map(|c| expand(c, legacy))
                .collect()
        }
        ExportKind::View(names) => {
            let mut out = Vec::new();
            for name in names {
                let column = find(name)?;
                match column.matches(name) {
                    Some(param) if !param.is_empty() => out.push(ExportColumn::new(
                        column,
                        name.trim().to_string(),
                        Some(param.to_string()),
                    )),
                    _ => out.extend(expand(column, false)),
                }
            }
            out
        }
    })
}

/// Writes rejected rows back in their own dialect: the original header and cells, with the
/// reasons in a last column headed [`IMPORT_ERRORS_HEADER`].
pub struct RejectedWriter<'a> {
    writer: RecordWriter<'a>,
    headers: Vec<String>,
    written: u64,
}

impl<'a> RejectedWriter<'a> {
    pub fn new(
        out: Box<dyn Write + 'a>,
        delimiter: u8,
        encoding: TextEncoding,
        header: &[String],
    ) -> Result<Self, FormatError> {
        let mut headers = header.to_vec();
        headers.push(IMPORT_ERRORS_HEADER.to_string());
        let mut writer = RecordWriter::new(out, delimiter, encoding)?;
        writer.write(&headers, 0, &headers)?;
        Ok(Self {
            writer,
            headers,
            written: 0,
        })
    }

    /// Writes one row. Cells beyond the header (a row that had too many) are kept: the
    /// user's data is never cut off.
    pub fn write(&mut self, mut cells: Vec<String>, reason: String) -> Result<(), FormatError> {
        let width = self.headers.len() - 1;
        if cells.len() < width {
            cells.resize(width, String::new());
        }
        cells.push(reason);
        self.written += 1;
        self.writer.write(&cells, self.written, &self.headers)
    }

    /// Flushes; returns how many rows were written.
    pub fn finish(mut self) -> Result<u64, FormatError> {
        self.writer.out.flush()?;
        Ok(self.written)
    }
}
