//! Customer-file dialects of e-commerce platforms.
//!
//! Bytes in, [`CustomerPatch`](custio_model::CustomerPatch) rows out; customers in, bytes
//! out. Each platform is a module holding a table of [`Column`]s (see [`idosell`],
//! [`shoptet`], [`upgates`], and the [`generic`] CSV and XLSX files); the
//! shared plumbing reads and writes delimited text in any supported encoding
//! ([`encoding`]), binds headers to columns ([`tabular`]) and keeps spreadsheet formulas out
//! of exported cells ([`excel`]).
//!
//! ```
//! use custio_formats::{dialect, ReadOptions};
//!
//! let file = "login;email;firstname\njan;jan@example.pl;Jan\n";
//! let mut rows = dialect("idosell").unwrap().open_reader(Box::new(file.as_bytes()), &ReadOptions::default()).unwrap();
//! let row = rows.next_row().unwrap().unwrap();
//! assert!(row.issues.is_empty());
//! assert_eq!(row.cells, ["jan", "jan@example.pl", "Jan"]);
//! ```

mod capacity;
pub mod cloudcart;
pub mod column;
mod detect;
mod dialect;
pub mod docs;
pub mod encoding;
mod error;
pub mod excel;
#[doc(hidden)]
pub mod fuzzing;
pub mod generic;
pub mod idosell;
pub mod iof;
mod names;
pub mod shoptet;
mod suggest;
pub mod tabular;
pub mod upgates;

pub use capacity::{Capacity, Reach, carried};
pub use column::{Codec, Column, Direction};
pub use custio_model::RowIssue;
pub use detect::{DETECT_BYTES, Detected, detect, detect_prefix};
pub use dialect::{
    ColumnRef, Dialect, EmptyCell, ExportKind, ImportRules, ReadOptions, RecordRenderer, RowSink,
    RowSource, WriteOptions, dialect, dialects,
};
pub use encoding::TextEncoding;
pub use error::{
    BadLine, FormatError, MAX_CELL_BYTES, MAX_RECORD_BYTES, TextError, listed, shorten,
};

/// The header of the column that `batches errors` appends with each row's reasons. Every
/// reader ignores it, so a corrected error file imports as it is.
pub const IMPORT_ERRORS_HEADER: &str = "import_errors";
pub use suggest::suggest_fields;
pub use tabular::{
    Binding, BoundColumn, CellEdit, HeaderBinding, RowParser, RowView, SourceRow, UnknownColumn,
};
