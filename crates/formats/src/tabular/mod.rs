//! Delimited text with a header row: the plumbing every CSV dialect shares. A dialect
//! only supplies its column table and rules ([`TabularDialect`]); binding headers,
//! parsing rows and writing files happen here.

mod binding;
pub(crate) mod lines;
mod reader;
pub(crate) mod records;
pub(crate) mod sniff;
mod writer;

use std::io::{Read, Write};

pub(crate) use binding::check_width;
pub use binding::{Binding, BoundColumn, HeaderBinding, MAX_COLUMNS, UnknownColumn};
pub use reader::{CellEdit, FinishRow, RowParser, RowView, SourceRow};
pub use writer::RejectedWriter;
pub(crate) use writer::{ExportColumn, export_columns};

use crate::column::Column;
use crate::dialect::{Dialect, ImportRules, ReadOptions, RowSink, RowSource, WriteOptions};
use crate::{FormatError, TextEncoding};

/// The descriptive half of [`Dialect`] for a type that wraps a [`TabularDialect`] in a
/// field (`delegate_description!(table)`): id, name, about, columns, rules and delimiter
/// come from the table, so wrappers only write how they read and write.
macro_rules! delegate_description {
    ($field:ident) => {
        fn id(&self) -> &'static str {
            self.$field.id
        }
        fn name(&self) -> &'static str {
            self.$field.name
        }
        fn about(&self) -> &'static str {
            self.$field.about
        }
        fn columns(&self) -> &'static [$crate::column::Column] {
            self.$field.columns
        }
        fn rules(&self) -> &$crate::dialect::ImportRules {
            &self.$field.rules
        }
        fn delimiter(&self) -> u8 {
            self.$field.delimiter
        }
    };
}
pub(crate) use delegate_description;

/// A CSV dialect described by data.
pub struct TabularDialect {
    pub id: &'static str,
    pub name: &'static str,
    pub about: &'static str,
    /// The separator written, and read when `read_delimiters` is empty.
    pub delimiter: u8,
    /// Separators the reader chooses among by counting them in the header line (outside
    /// quotes; the most frequent wins, ties go to the first listed). Empty: `delimiter`.
    pub read_delimiters: &'static [u8],
    /// Assumed when the bytes are not UTF-8.
    pub legacy_encoding: TextEncoding,
    /// Written unless the user chooses another.
    pub write_encoding: TextEncoding,
    pub columns: &'static [Column],
    pub rules: ImportRules,
    /// Headers of the full export, in order; `None`: every column of the table.
    pub full_export: Option<&'static [&'static str]>,
    /// Rules that depend on several cells of a row (UPgates: the customer kind from
    /// `[CUSTOMER_YN]`, `[COMPANY_YN]` and the names), run after every cell was read.
    pub finish_row: Option<FinishRow>,
}

impl Dialect for TabularDialect {
    fn id(&self) -> &'static str {
        self.id
    }
    fn name(&self) -> &'static str {
        self.name
    }
    fn about(&self) -> &'static str {
        self.about
    }
    fn columns(&self) -> &'static [Column] {
        self.columns
    }
    fn rules(&self) -> &ImportRules {
        &self.rules
    }
    fn delimiter(&self) -> u8 {
        self.delimiter
    }

    fn open_reader<'a>(
        &self,
        input: Box<dyn Read + 'a>,
        options: &ReadOptions,
    ) -> Result<Box<dyn RowSource + 'a>, FormatError> {
        Ok(Box::new(reader::CsvSource::open(self, input, options)?))
    }

    fn row_parser(
        &self,
        header: &[String],
        options: &ReadOptions,
    ) -> Result<RowParser, FormatError> {
        let binding = HeaderBinding::bind(self, header, &options.mappings)?;
        Ok(RowParser::new(self, binding))
    }

    fn open_writer<'a>(
        &self,
        out: Box<dyn Write + 'a>,
        options: &WriteOptions,
    ) -> Result<Box<dyn RowSink + 'a>, FormatError> {
        Ok(Box::new(writer::CsvSink::open(self, out, options)?))
    }
}
