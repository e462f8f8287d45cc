//! The dialect interface: what the engine needs from any platform's file format.

use std::io::{Read, Write};

use custio_model::{Customer, Field, Value};

use crate::column::Column;
use crate::tabular::{HeaderBinding, RowParser, SourceRow};
use crate::{FormatError, TextEncoding};

/// What an empty cell in a present column means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmptyCell {
    /// Nothing: the stored value stays (the safe default).
    Keep,
    /// The stored value is deleted (UPgates' documented rule).
    Clear,
}

/// A dialect's import rules, as data.
pub struct ImportRules {
    /// Fields that pair a row with a stored customer, tried in order.
    pub pair_by: &'static [Field],
    /// At least one of these must be present in every row (the row's identity).
    pub identity: &'static [Field],
    /// Fields a row that creates a new customer must have.
    pub required_for_new: &'static [Field],
    /// Fields set to the import time on a new customer when the row leaves them empty.
    pub now_if_empty_for_new: &'static [Field],
    /// What an empty cell of a present column means (a column may override it).
    pub empty_cell: EmptyCell,
    /// Fields every row must set, whether it creates or updates a customer (Shoptet: e-mail
    /// and billing name); a row without them is rejected.
    pub required: &'static [Field],
    /// When set, a stored customer is updated only by a row that carries this field
    /// (Shoptet: `guid`); a row that pairs with a stored customer by another field (its
    /// e-mail exists) but lacks this one is skipped, with a log line saying why.
    pub update_requires: Option<Field>,
    /// Values a new customer gets when its row does not set the field (UPgates: without
    /// `[CUSTOMER_YN]` a new customer is a contact).
    pub defaults_for_new: &'static [(Field, Value)],
    /// Fields whose value must name something the shop already has (a pricelist): an
    /// unknown name is ignored with a warning, never created.
    pub existing_only: &'static [Field],
    /// Agreement fields (`agreements.*.NAME`) apply only when the shop has an agreement of
    /// that name; otherwise they are ignored with a warning (UPgates).
    pub existing_agreements_only: bool,
    /// Fields whose invalid value is only a warning: the value is ignored and the rest of
    /// the row is imported (Shoptet: a country the shop does not know).
    pub warn_invalid: &'static [Field],
    /// A row that sets `shipping.*` fields without `shipping.guid` adds a new delivery
    /// address instead of updating the first one (Shoptet: remove `shippingGuid` to add
    /// another address).
    pub new_shipping_without_guid: bool,
    /// A row whose value of one of these fields (compared as the engine compares for
    /// pairing, e.g. e-mail case-insensitively) already appeared in an earlier row of the
    /// same file is skipped: the first row wins (CloudCart: e-mail). The engine applies
    /// this against the batch buffer; empty: repeated values are left to pairing.
    pub skip_repeated_in_file: &'static [Field],
    /// Group names (`groups`) that the store does not know are created (CloudCart,
    /// UPgates); when false they are a row warning and ignored.
    pub create_missing_groups: bool,
    /// Columns whose names the dialect does not know are ignored, and the batch lists them
    /// in a warning, instead of waiting for a mapping (UPgates' documented rule).
    pub ignore_unknown_columns: bool,
}

impl ImportRules {
    /// No rule at all: dialects start from this and set what they need
    /// (`ImportRules { pair_by: ..., ..ImportRules::BASE }`).
    pub const BASE: ImportRules = ImportRules {
        pair_by: &[],
        identity: &[],
        required_for_new: &[],
        now_if_empty_for_new: &[],
        empty_cell: EmptyCell::Keep,
        required: &[],
        update_requires: None,
        defaults_for_new: &[],
        existing_only: &[],
        existing_agreements_only: false,
        warn_invalid: &[],
        new_shipping_without_guid: false,
        skip_repeated_in_file: &[],
        create_missing_groups: false,
        ignore_unknown_columns: false,
    };
}

/// Which columns an export writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// Every column the importer takes back, plus the export-only figures.
    Full,
    /// The chosen columns, in the chosen order.
    View(Vec<String>),
    /// Every column, headed by the platform's own-language labels (IdoSell's old format).
    Legacy,
}

/// Where a bound value stands in a file without fixed headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ColumnRef {
    /// The column's 1-based position in the row.
    Position(usize),
    /// The header cell's text (needs `has_header`; compared trimmed, case-insensitively).
    Header(String),
}

impl ColumnRef {
    /// Reads what a user typed: a number is a position, anything else a header.
    pub fn parse(text: &str) -> Self {
        match text.trim().parse::<usize>() {
            Ok(position) => Self::Position(position),
            Err(_) => Self::Header(text.trim().to_string()),
        }
    }
}

/// Options for reading a file.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// Skip encoding detection.
    pub encoding: Option<TextEncoding>,
    /// `(header, target)` pairs resolving unknown columns; target is a field name, a column
    /// of the dialect, or `ignore`. Dialects with column binding take them as bindings by
    /// header.
    pub mappings: Vec<(String, String)>,
    /// For dialects without fixed headers (CloudCart, a generic CSV): `(target, column)`
    /// pairs binding a file column to a target, which is one of the dialect's columns
    /// (`first name`, `email`) or a customer field name (`first_name`). Ignored by
    /// dialects with fixed headers.
    pub bindings: Vec<(String, ColumnRef)>,
    /// Whether the first row is a header. `None`: the dialect's default (fixed-header
    /// dialects always have one; CloudCart has none unless told).
    pub has_header: Option<bool>,
    /// The field separator. `None`: the dialect's own, or sniffed where the dialect sniffs.
    pub delimiter: Option<u8>,
    /// A customer group given to every row that names no group of its own (CloudCart's
    /// "customer group for the whole file").
    pub default_group: Option<String>,
}

/// Options for writing a file.
#[derive(Clone, Debug)]
pub struct WriteOptions {
    pub kind: ExportKind,
    /// `None`: the dialect's default encoding.
    pub encoding: Option<TextEncoding>,
    /// Neutralise cells that a spreadsheet would run as formulas.
    pub excel_safe: bool,
    /// Shops of the store, for per-shop columns.
    pub shop_ids: Vec<u32>,
    /// Write password hashes (an explicit, audited choice).
    pub with_password_hashes: bool,
    /// Custom-field keys that get a column each, in this order (CloudCart writes one
    /// column per custom field). A streaming writer cannot see every customer before the
    /// header, so the caller lists the keys (the store knows them); values under other
    /// keys are not written.
    pub custom_field_keys: Vec<String>,
}

impl Default for WriteOptions {
    fn default() -> Self {
        Self {
            kind: ExportKind::Full,
            encoding: None,
            excel_safe: true,
            shop_ids: vec![1],
            with_password_hashes: false,
            custom_field_keys: Vec::new(),
        }
    }
}

/// A file being read, row by row.
pub trait RowSource {
    /// How the file's header was bound to the dialect's columns.
    fn binding(&self) -> &HeaderBinding;
    /// The encoding in use (known for sure once non-ASCII text has been read).
    fn encoding(&self) -> TextEncoding;
    /// The next row, or a fatal error that ends the file.
    fn next_row(&mut self) -> Option<Result<SourceRow, FormatError>>;
    /// Passes over the next row (another worker checks it), as cheaply as the format
    /// allows: the same fatal errors end the file, and the rows after keep their lines.
    fn skip_row(&mut self) -> Option<Result<(), FormatError>> {
        self.next_row().map(|row| row.map(drop))
    }
}

/// A file being written, customer by customer.
pub trait RowSink {
    fn write_customer(&mut self, customer: &Customer) -> Result<(), FormatError>;
    /// A renderer of this file's records for another thread, when records stand alone
    /// (CSV); what it renders goes to [`RowSink::write_rendered`]. `None`: records are
    /// written only by [`RowSink::write_customer`].
    fn renderer(&self) -> Option<Box<dyn RecordRenderer>> {
        None
    }
    /// Writes `count` records that a renderer of this sink rendered, in order, after those
    /// written so far. Only sinks that give a renderer are called.
    fn write_rendered(&mut self, records: &[u8], count: u64) -> Result<(), FormatError> {
        let _ = (records, count);
        Err(FormatError::Io(std::io::Error::other(
            "rendered records given to a file that renders its own",
        )))
    }
    /// Flushes the output; returns how many customers were written.
    fn finish(&mut self) -> Result<u64, FormatError>;
}

/// Renders customers into a file's records, as its sink would write them.
pub trait RecordRenderer: Send {
    /// Appends the record of `customer`, the file's row `row` (1 = first after the header),
    /// to `out`; on an error nothing of it is appended.
    fn render(
        &mut self,
        customer: &Customer,
        row: u64,
        out: &mut Vec<u8>,
    ) -> Result<(), FormatError>;
}

/// A platform's customer-file format.
pub trait Dialect: Sync {
    /// The id used on the command line (`idosell`).
    fn id(&self) -> &'static str;
    /// The platform's name, for people.
    fn name(&self) -> &'static str;
    /// A paragraph on the format, for `custio formats` and the docs.
    fn about(&self) -> &'static str;
    fn columns(&self) -> &'static [Column];
    fn rules(&self) -> &ImportRules;
    /// The field separator of rejected-row files.
    fn delimiter(&self) -> u8;
    /// The file name extension of its files, without the dot.
    fn extension(&self) -> &'static str {
        "csv"
    }
    /// The media type its files are served as.
    fn media_type(&self) -> &'static str {
        "text/csv"
    }
    /// Starts reading `input`: reads the header and binds it.
    fn open_reader<'a>(
        &self,
        input: Box<dyn Read + 'a>,
        options: &ReadOptions,
    ) -> Result<Box<dyn RowSource + 'a>, FormatError>;
    /// A parser for rows of a file whose header is already known (re-validating an edit).
    fn row_parser(
        &self,
        header: &[String],
        options: &ReadOptions,
    ) -> Result<RowParser, FormatError>;
    /// Starts writing to `out`.
    fn open_writer<'a>(
        &self,
        out: Box<dyn Write + 'a>,
        options: &WriteOptions,
    ) -> Result<Box<dyn RowSink + 'a>, FormatError>;
}

/// Every dialect custio knows.
pub fn dialects() -> &'static [&'static dyn Dialect] {
    static DIALECTS: [&dyn Dialect; 7] = [
        &crate::idosell::IDOSELL,
        &crate::shoptet::SHOPTET,
        &crate::upgates::UPGATES,
        &crate::iof::IOF,
        &crate::cloudcart::CLOUDCART,
        &crate::generic::CSV,
        &crate::generic::XLSX,
    ];
    &DIALECTS
}

/// The dialect with this id.
pub fn dialect(id: &str) -> Option<&'static dyn Dialect> {
    dialects()
        .iter()
        .copied()
        .find(|d| d.id().eq_ignore_ascii_case(id.trim()))
}
