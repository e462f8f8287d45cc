//! Generic customer files: a CSV ([`CSV`], id `csv`) or an Excel workbook ([`XLSX`], id
//! `xlsx`) with any header names.
//!
//! Headers that are customer field names (`first_name`, `billing.city`,
//! `custom_fields.vip`) bind themselves; every other header is bound by a mapping
//! ([`ReadOptions::mappings`], which a saved mapping profile fills) or stops the batch as
//! an unknown column with suggestions (by name similarity and by Polish, Czech, Slovak,
//! Bulgarian and English synonyms). A blank header is read past. The writers put out one
//! column per field of [`COLUMNS`] (or of a chosen view), headed by the field's name, so an
//! export imports back unchanged.
//!
//! CSV: the separator is sniffed among `,` `;` tab `|` (or given), the encoding among
//! UTF-8 (with or without BOM), Windows-1250 and Windows-1251 (see
//! [`guess_legacy`](crate::encoding::guess_legacy)). XLSX: see [`xlsx`].

mod columns;
pub mod xlsx;

use std::io::{Cursor, Read, Write};

use custio_model::Field;

pub use columns::COLUMNS;
pub use xlsx::XLSX;

use crate::dialect::{
    Dialect, EmptyCell, ImportRules, ReadOptions, RowSink, RowSource, WriteOptions,
};
use crate::encoding::{guess_legacy, looks_utf8};
use crate::tabular::{RowParser, TabularDialect};
use crate::{FormatError, TextEncoding};

/// The separators a generic CSV is read with, in order of preference on a tie.
pub const DELIMITERS: &[u8] = b",;\t|";
/// How many bytes the encoding guess looks at.
const SNIFF_BYTES: usize = 64 * 1024;

/// Generic files pair by e-mail, then login; an empty cell keeps the stored value.
pub(crate) const RULES: ImportRules = ImportRules {
    pair_by: &[Field::Email, Field::Login],
    identity: &[Field::Email, Field::Login],
    empty_cell: EmptyCell::Keep,
    ..ImportRules::BASE
};

const CSV_ABOUT: &str = "A CSV file with any header names. Headers that are customer field names (first_name, billing.city, \
custom_fields.KEY) bind themselves; bind the others with --map 'Header=field' or a saved mapping profile (--mapping NAME, \
see custio mappings), or the check stops with suggestions for them (by similar names and by Polish, Czech, Slovak, Bulgarian \
and English synonyms: Imię, Jméno, Meno, Име and First name all suggest first_name). A blank header is read past. \
Separator detected among , ; tab and | (or --delimiter); encoding detected among UTF-8 (with or without BOM), Windows-1250 and \
Windows-1251. Customers pair by e-mail, then login; an empty cell keeps the stored value. \
Export: comma-separated UTF-8, one column per field below headed by its name, then one column per custom field; \
cells a spreadsheet would run as formulas get a leading ' that the reader removes again.";

/// The shared table of the generic CSV, with `delimiter` written (and read when given).
const fn table(delimiter: u8, read_delimiters: &'static [u8]) -> TabularDialect {
    TabularDialect {
        id: "csv",
        name: "Generic CSV",
        about: CSV_ABOUT,
        delimiter,
        read_delimiters,
        legacy_encoding: TextEncoding::Windows1250,
        write_encoding: TextEncoding::Utf8,
        columns: COLUMNS,
        rules: RULES,
        full_export: None,
        finish_row: None,
    }
}

/// The generic CSV dialect: the shared CSV plumbing, with the encoding guessed between the
/// two legacy code pages and blank headers read past.
pub struct GenericCsv {
    table: TabularDialect,
}

/// The one instance, registered in [`dialects`](crate::dialects).
pub static CSV: GenericCsv = GenericCsv {
    table: table(b',', DELIMITERS),
};

/// The user's mappings, plus "read past blank headers" (a trailing separator, a sheet
/// that starts in column B).
pub(crate) fn with_blank_ignored(options: &ReadOptions) -> ReadOptions {
    let mut options = options.clone();
    if !options.mappings.iter().any(|(h, _)| h.trim().is_empty()) {
        options.mappings.push((String::new(), "ignore".into()));
    }
    options
}

impl Dialect for GenericCsv {
    crate::tabular::delegate_description!(table);

    /// Reads the first 64 KiB to decide the encoding when it is not given: UTF-8 when they
    /// are UTF-8 (or start with a BOM), else Windows-1251 or Windows-1250 as
    /// [`guess_legacy`] says. A file whose first non-ASCII byte lies further on falls back
    /// to Windows-1250 there.
    fn open_reader<'a>(
        &self,
        mut input: Box<dyn Read + 'a>,
        options: &ReadOptions,
    ) -> Result<Box<dyn RowSource + 'a>, FormatError> {
        let options = with_blank_ignored(options);
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        (&mut input)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut head)?;
        let mut table = match options.delimiter {
            Some(d) => table(d, &[]),
            None => table(self.table.delimiter, self.table.read_delimiters),
        };
        // The guess is the reader's fallback, not a choice: the reader still refuses
        // UTF-8 lines in a file read in a code page.
        if options.encoding.is_none() && !looks_utf8(&head, head.len() < SNIFF_BYTES) {
            table.legacy_encoding = guess_legacy(&head);
        }
        let input: Box<dyn Read + 'a> = Box::new(Cursor::new(head).chain(input));
        table.open_reader(input, &options)
    }

    fn row_parser(
        &self,
        header: &[String],
        options: &ReadOptions,
    ) -> Result<RowParser, FormatError> {
        self.table.row_parser(header, &with_blank_ignored(options))
    }

    fn open_writer<'a>(
        &self,
        out: Box<dyn Write + 'a>,
        options: &WriteOptions,
    ) -> Result<Box<dyn RowSink + 'a>, FormatError> {
        self.table.open_writer(out, options)
    }
}
