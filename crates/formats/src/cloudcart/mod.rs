//! CloudCart (Bulgaria): a customer CSV without fixed headers on import, where the user
//! binds file columns to a handful of fields, and a fixed 19-column export.
//!
//! Import: UTF-8 or Windows-1251 (sniffed), the separator sniffed among `,` `;` tab `|`,
//! a header row only when [`ReadOptions::has_header`] says so, columns bound through
//! [`ReadOptions::bindings`] (by 1-based position or header name; with a header and no
//! bindings, headers named like our columns bind themselves). E-mail is the only
//! required field; the repeated-e-mail and create-missing-groups rules are data in
//! [`ImportRules`] for the engine. Export: the `tabular` writer over [`COLUMNS`], one
//! column per key of [`WriteOptions::custom_field_keys`] after the 19 fixed ones.

mod columns;
mod reader;

use std::io::{Read, Write};

use custio_model::Field;

pub use columns::COLUMNS;
pub use reader::{DELIMITERS, sniff_delimiter};

use crate::dialect::{
    Dialect, EmptyCell, ImportRules, ReadOptions, RowSink, RowSource, WriteOptions,
};
use crate::tabular::{RowParser, TabularDialect};
use crate::{FormatError, TextEncoding};

/// The CloudCart dialect: the shared CSV writer, its own binding reader.
pub struct CloudCart {
    table: TabularDialect,
}

/// The one instance, registered in [`dialects`](crate::dialects).
pub static CLOUDCART: CloudCart = CloudCart {
    table: TabularDialect {
        id: "cloudcart",
        name: "CloudCart",
        about: "CloudCart's customer CSV. Import: UTF-8 or Windows-1251 (detected), separator detected among , ; tab and |, \
a header row only when you say the file has one. Columns have no fixed names: bind them (by position from 1, or by header name) \
to e-mail, first name, last name, full name, note, accepts marketing and customer group. Only the e-mail is required: rows with an \
empty or invalid e-mail are skipped, and a repeated e-mail skips the later row. A full name without a first name is split at the \
first space. A default customer group for the file goes to rows without one; unknown group names are created. Customers pair by \
e-mail and are updated only in the bound fields. Addresses, phones, orders and passwords are not imported. \
Export: comma-separated UTF-8 with 19 fixed columns, then one column per custom field.",
        delimiter: b',',
        legacy_encoding: TextEncoding::Windows1251,
        write_encoding: TextEncoding::Utf8,
        columns: COLUMNS,
        rules: ImportRules {
            pair_by: &[Field::Email],
            identity: &[Field::Email],
            required_for_new: &[Field::Email],
            now_if_empty_for_new: &[],
            empty_cell: EmptyCell::Keep,
            skip_repeated_in_file: &[Field::Email],
            create_missing_groups: true,
            ..ImportRules::BASE
        },
        full_export: None,
        read_delimiters: &[],
        finish_row: None,
    },
};

impl Dialect for CloudCart {
    crate::tabular::delegate_description!(table);

    fn open_reader<'a>(
        &self,
        input: Box<dyn Read + 'a>,
        options: &ReadOptions,
    ) -> Result<Box<dyn RowSource + 'a>, FormatError> {
        Ok(Box::new(reader::CloudCartSource::open(input, options)?))
    }

    /// `header` is the binding's header (the file's header row, or `column 1`, `column 2`,
    /// ... for a file without one); the same bindings are applied to it.
    fn row_parser(
        &self,
        header: &[String],
        options: &ReadOptions,
    ) -> Result<RowParser, FormatError> {
        let has_header = options.has_header.unwrap_or(false);
        let binding = if has_header {
            reader::bind(Some(header), 0, options)?
        } else {
            reader::bind(None, header.len(), options)?
        };
        Ok(reader::parser(binding, has_header, options))
    }

    fn open_writer<'a>(
        &self,
        out: Box<dyn Write + 'a>,
        options: &WriteOptions,
    ) -> Result<Box<dyn RowSink + 'a>, FormatError> {
        self.table.open_writer(out, options)
    }
}
