//! Generic Excel workbooks (`xlsx`): the columns and binding of the generic CSV, read from
//! the first worksheet with `calamine` and written with `rust_xlsxwriter`.
//!
//! Reading streams as far as calamine allows: an XLSX file is a zip archive whose
//! directory sits at its end, so the whole file is held in memory (compressed), and the
//! shared-strings table is loaded whole; the cells of the worksheet are then read one at a
//! time on a helper thread and handed over row by row through a bounded channel, so the
//! rows themselves are never all in memory. Writing uses rust_xlsxwriter's constant-memory
//! worksheet (rows go to a temporary file as they are written; an in-memory worksheet
//! when no temporary file can be made); the finished archive is built in memory and then
//! written out.
//!
//! Cells are typed: text is written as a string cell and numeric fields (decimals,
//! whole numbers) as number cells. A string cell is never run as a formula, so the
//! Excel formula guard of the CSV writers (a leading `'`) is neither written nor removed:
//! a leading `'` in an XLSX cell is the user's own text. Numbers, dates and yes/no cells
//! that a spreadsheet typed are read back as text (`1234`, `2024-05-01 10:00:00`, `yes`).

use std::io::{Cursor, Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use calamine::{DataRef, Reader, Xlsx};
use custio_model::{Customer, FieldType};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::{COLUMNS, RULES, with_blank_ignored};
use crate::column::{CellContext, Codec, Column};
use crate::dialect::{Dialect, EmptyCell, ReadOptions, RowSink, RowSource, WriteOptions};
use crate::tabular::{
    ExportColumn, HeaderBinding, MAX_COLUMNS, RowParser, SourceRow, TabularDialect, export_columns,
};
use crate::{FormatError, MAX_CELL_BYTES, TextEncoding, TextError};

/// Rows read ahead of the importer.
const READ_AHEAD: usize = 256;
/// The most times a part of the workbook may unpack beyond its packed size, once it is
/// past [`PACKED_RATIO_FLOOR`]: worksheets and shared strings pack 5 to 20 times, a zip
/// bomb about a thousand times.
const MAX_PACKING_RATIO: u64 = 100;
/// Parts smaller than this unpacked are never refused for their ratio (tiny, repetitive
/// XML packs very well).
const PACKED_RATIO_FLOOR: u64 = 1024 * 1024;
/// The most bytes one part of the workbook may unpack to (the shared strings are held in
/// memory whole).
const MAX_PART_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// The most parts (files in the zip archive) a workbook may have.
const MAX_PARTS: usize = 10_000;
/// The last row index an XLSX worksheet has (0-based).
const MAX_ROW: u32 = 1_048_575;

const XLSX_ABOUT: &str = "An Excel workbook (.xlsx) with any header names in the first row of its first worksheet. \
Columns, binding and suggestions are those of the generic CSV: headers that are customer field names bind themselves, \
the others are bound with --map or a saved mapping profile (--mapping NAME), or the check stops with suggestions. \
Number, date and yes/no cells are read as text (1234, 2024-05-01 10:00:00, yes). Customers pair by e-mail, then login; \
an empty cell keeps the stored value. Export: one worksheet, one column per field below headed by its name, then one \
column per custom field; text as string cells (never run as formulas, so no ' guard is added), decimals and whole \
numbers as number cells. The file is held in memory while it is read (a zip archive is read from its end); rows are \
streamed from it.";

/// The generic XLSX dialect. Its rejected rows are written as comma-separated text.
pub struct GenericXlsx {
    table: TabularDialect,
}

/// The one instance, registered in [`dialects`](crate::dialects).
pub static XLSX: GenericXlsx = GenericXlsx {
    table: TabularDialect {
        id: "xlsx",
        name: "XLSX",
        about: XLSX_ABOUT,
        delimiter: b',',
        read_delimiters: &[],
        legacy_encoding: TextEncoding::Utf8,
        write_encoding: TextEncoding::Utf8,
        columns: COLUMNS,
        rules: RULES,
        full_export: None,
        finish_row: None,
    },
};

impl GenericXlsx {
    fn parser(&self, header: &[String], options: &ReadOptions) -> Result<RowParser, FormatError> {
        let binding =
            HeaderBinding::bind(&self.table, header, &with_blank_ignored(options).mappings)?;
        Ok(RowParser::with_binding(self.table.id, EmptyCell::Keep, binding).excel_guarded(false))
    }
}

impl Dialect for GenericXlsx {
    fn extension(&self) -> &'static str {
        "xlsx"
    }

    fn media_type(&self) -> &'static str {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    }

    crate::tabular::delegate_description!(table);

    fn open_reader<'a>(
        &self,
        mut input: Box<dyn Read + 'a>,
        options: &ReadOptions,
    ) -> Result<Box<dyn RowSource + 'a>, FormatError> {
        let mut bytes = Vec::new();
        input.read_to_end(&mut bytes)?;
        if !bytes.starts_with(b"PK\x03\x04") {
            return Err(FormatError::NotThisFormat {
                dialect: "XLSX",
                reason: "it is not an Excel workbook (.xlsx is a zip archive); save the sheet as .xlsx, or import a CSV with --format csv".into(),
            });
        }
        check_packing(&bytes).map_err(|reason| FormatError::NotThisFormat {
            dialect: "XLSX",
            reason,
        })?;
        let (tx, rx) = sync_channel(READ_AHEAD);
        std::thread::Builder::new()
            .name("custio-xlsx-reader".into())
            .spawn(move || read_rows(bytes, &tx))?;
        let (_, header) = match rx.recv() {
            Ok(Ok(first)) => first,
            Ok(Err(message)) => {
                return Err(FormatError::NotThisFormat {
                    dialect: "XLSX",
                    reason: message,
                });
            }
            Err(_) => {
                return Err(FormatError::NotThisFormat {
                    dialect: "XLSX",
                    reason:
                        "the first worksheet is empty; it needs a header row naming the columns"
                            .into(),
                });
            }
        };
        let parser = self.parser(&header, options)?;
        Ok(Box::new(XlsxSource {
            rows: rx,
            width: header.len(),
            parser,
        }))
    }

    fn row_parser(
        &self,
        header: &[String],
        options: &ReadOptions,
    ) -> Result<RowParser, FormatError> {
        self.parser(header, options)
    }

    fn open_writer<'a>(
        &self,
        out: Box<dyn Write + 'a>,
        options: &WriteOptions,
    ) -> Result<Box<dyn RowSink + 'a>, FormatError> {
        if let Some(encoding) = options.encoding.filter(|e| *e != TextEncoding::Utf8) {
            return Err(FormatError::EncodingNotWritten {
                dialect: "XLSX",
                encoding: encoding.name(),
            });
        }
        Ok(Box::new(XlsxSink::open(&self.table, out, options)?))
    }
}

/// Refuses a workbook whose zip directory declares parts that would unpack out of all
/// proportion (a zip bomb): the unpacked sizes are read from the directory before
/// anything is unpacked, and the `zip` crate stops any part at its declared size.
fn check_packing(bytes: &[u8]) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("the workbook cannot be opened ({e})"))?;
    if archive.len() > MAX_PARTS {
        return Err(format!(
            "the workbook has {} parts, custio reads at most {MAX_PARTS}; it is broken or not a customer file",
            archive.len()
        ));
    }
    for index in 0..archive.len() {
        let part = archive
            .by_index_raw(index)
            .map_err(|e| format!("the workbook cannot be opened ({e})"))?;
        let (packed, unpacked) = (part.compressed_size(), part.size());
        let name = crate::shorten(&part.name().unwrap_or_default(), 100);
        let mib = |bytes: u64| bytes.div_ceil(1024 * 1024);
        if unpacked > MAX_PART_BYTES {
            return Err(format!(
                "its part '{name}' unpacks to {} MiB, past the {} MiB custio reads from one part",
                mib(unpacked),
                mib(MAX_PART_BYTES)
            ));
        }
        if unpacked > PACKED_RATIO_FLOOR && unpacked > packed.saturating_mul(MAX_PACKING_RATIO) {
            return Err(format!(
                "its part '{name}' unpacks to {} MiB from {} KiB, more than {MAX_PACKING_RATIO} times its packed size: a zip bomb, not a workbook a spreadsheet saved",
                mib(unpacked),
                packed.div_ceil(1024),
            ));
        }
    }
    Ok(())
}

/// A row of the worksheet: its 1-based row number and its cells as text.
type RowMessage = Result<(u64, Vec<String>), String>;

/// Reads the first worksheet cell by cell and sends it row by row; stops when the reader
/// is dropped. Runs on its own thread, owning the workbook.
fn read_rows(bytes: Vec<u8>, tx: &SyncSender<RowMessage>) {
    let result = (|| -> Result<(), String> {
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
            .map_err(|e| format!("the workbook cannot be opened ({e})"))?;
        let first = book
            .sheet_names()
            .first()
            .cloned()
            .ok_or("the workbook has no worksheet")?;
        let mut cells = book
            .worksheet_cells_reader(&first)
            .map_err(|e| format!("the worksheet '{first}' cannot be read ({e})"))?;
        let mut current: Option<(u64, Vec<String>)> = None;
        loop {
            let cell = match cells.next_cell() {
                Ok(Some(cell)) => cell,
                Ok(None) => break,
                Err(e) => return Err(format!("the worksheet '{first}' is damaged ({e})")),
            };
            let (row, col) = cell.get_position();
            let text = cell_text(cell.get_value());
            if text.is_empty() {
                continue;
            }
            let line = u64::from(row) + 1;
            let col = col as usize;
            if text.len() > MAX_CELL_BYTES {
                let column = col + 1;
                return Err(TextError::CellTooLarge { line, column }.to_string());
            }
            if col >= MAX_COLUMNS {
                return Err(format!(
                    "row {line}: a cell in column {} lies past the {MAX_COLUMNS} columns custio reads; is this a customer file?",
                    col + 1
                ));
            }
            if current.as_ref().is_some_and(|(l, _)| *l != line) {
                let done = current.take().expect("checked above");
                if tx.send(Ok(done)).is_err() {
                    return Ok(());
                }
            }
            let (_, cells) = current.get_or_insert_with(|| (line, Vec::new()));
            if cells.len() <= col {
                cells.resize(col + 1, String::new());
            }
            cells[col] = text;
        }
        if let Some(done) = current {
            let _ = tx.send(Ok(done));
        }
        Ok(())
    })();
    if let Err(message) = result {
        let _ = tx.send(Err(message));
    }
}

/// A cell as the text a generic column reads: numbers without a needless `.0`, dates as
/// `YYYY-MM-DD HH:MM:SS`, booleans as yes/no, errors as Excel shows them.
fn cell_text(value: &DataRef) -> String {
    match value {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Bool(b) => (if *b { "yes" } else { "no" }).to_string(),
        DataRef::DateTime(d) => match d.as_datetime() {
            Some(dt) => dt.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => d.as_f64().to_string(),
        },
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// A workbook being read.
struct XlsxSource {
    rows: Receiver<RowMessage>,
    width: usize,
    parser: RowParser,
}

impl RowSource for XlsxSource {
    fn binding(&self) -> &HeaderBinding {
        self.parser.binding()
    }

    fn encoding(&self) -> TextEncoding {
        TextEncoding::Utf8
    }

    fn next_row(&mut self) -> Option<Result<SourceRow, FormatError>> {
        match self.rows.recv() {
            Err(_) => None,
            Ok(Err(message)) => Some(Err(FormatError::Spreadsheet(message))),
            Ok(Ok((line, mut cells))) => {
                if cells.len() < self.width {
                    cells.resize(self.width, String::new());
                }
                Some(Ok(self.parser.parse(line, cells)))
            }
        }
    }
}

/// A workbook being written.
struct XlsxSink<'a> {
    out: Box<dyn Write + 'a>,
    book: Workbook,
    dialect: &'static str,
    columns: Vec<ExportColumn>,
    row: u32,
}

impl<'a> XlsxSink<'a> {
    fn open(
        table: &TabularDialect,
        out: Box<dyn Write + 'a>,
        options: &WriteOptions,
    ) -> Result<Self, FormatError> {
        let columns = export_columns(table, options)?;
        let mut book = Workbook::new();
        if book.add_worksheet_with_constant_memory().is_err() {
            book.add_worksheet();
        }
        let sheet = book.worksheet_from_index(0).map_err(spreadsheet)?;
        sheet.set_name("Customers").map_err(spreadsheet)?;
        let bold = Format::new().set_bold();
        for (i, c) in columns.iter().enumerate() {
            sheet
                .write_string_with_format(0, i as u16, &c.header, &bold)
                .map_err(spreadsheet)?;
        }
        Ok(Self {
            out,
            book,
            dialect: table.id,
            columns,
            row: 0,
        })
    }
}

fn spreadsheet(e: XlsxError) -> FormatError {
    FormatError::Spreadsheet(e.to_string())
}

/// The number a cell of a numeric field holds, when a spreadsheet number keeps it exactly.
fn as_number(column: &Column, text: &str) -> Option<f64> {
    let Codec::Plain(field) = &column.codec else {
        return None;
    };
    if !matches!(field.ty(), FieldType::Decimal | FieldType::Integer) {
        return None;
    }
    let exact: Decimal = text.parse().ok()?;
    let number: f64 = text.parse().ok()?;
    let back: Decimal = number.to_string().parse().ok()?;
    (back == exact).then_some(number)
}

impl RowSink for XlsxSink<'_> {
    fn write_customer(&mut self, customer: &Customer) -> Result<(), FormatError> {
        if self.row == MAX_ROW {
            return Err(FormatError::Spreadsheet(format!(
                "an XLSX worksheet holds at most {MAX_ROW} customers; export fewer (--search, --shop) or use --format csv"
            )));
        }
        self.row += 1;
        let row = self.row;
        let sheet = self.book.worksheet_from_index(0).map_err(spreadsheet)?;
        for (i, c) in self.columns.iter().enumerate() {
            let ctx = CellContext {
                dialect: self.dialect,
                header: &c.key,
                param: c.param.as_deref(),
            };
            let text = c.column.write(customer, &ctx);
            if text.is_empty() {
                continue;
            }
            let written = match as_number(c.column, &text) {
                Some(n) => sheet.write_number(row, i as u16, n).map(|_| ()),
                None => sheet.write_string(row, i as u16, &text).map(|_| ()),
            };
            written.map_err(|e| {
                FormatError::Spreadsheet(format!("row {row}, column '{}': {e}", c.header))
            })?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<u64, FormatError> {
        let bytes = self.book.save_to_buffer().map_err(spreadsheet)?;
        self.out.write_all(&bytes)?;
        self.out.flush()?;
        Ok(u64::from(self.row))
    }
}
