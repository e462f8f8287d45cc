//! IdoSell's IOF 3.0 client XML (dialect `iof`): the file IdoSell's importer takes besides
//! CSV, and the file custio's migrations write.
//!
//! The layout is the one decided in the reference (root `clients` with `file_format="IOF"
//! version="3.0"` in the iai-shop namespace, one `client` element per customer, values
//! mostly in attributes). Reading streams: quick-xml hands over one `client` at a time,
//! it is held as a small tree, flattened into one cell per entry of the column table
//! ([`COLUMNS`], headers are XML paths such as `client/@email`) and parsed by the shared
//! [`RowParser`]. Elements are matched by local name with any or no namespace prefix;
//! unknown elements and attributes are read past. A DOCTYPE is refused and no entity
//! beyond the five predefined ones and character references is expanded.
//!
//! A row's `cells` are therefore the values at the table's paths, in table order (lists as
//! comma-separated ids or JSON, see each column's rule): a rejected-rows file is a CSV
//! headed by the paths, and [`row_parser`](crate::Dialect::row_parser) re-parses such a
//! row after an edit. [`SourceRow::line`](crate::SourceRow) is the line of `<client`.

mod columns;
mod reader;
mod tree;
mod writer;

use std::io::{Read, Write};

use custio_model::{CustomerPatch, Field};

pub use columns::COLUMNS;
pub use writer::{DOCUMENT_END, NAMESPACE, document_start, records};

use crate::column::Column;
use crate::dialect::{
    Dialect, EmptyCell, ImportRules, ReadOptions, RowSink, RowSource, WriteOptions,
};
use crate::tabular::{Binding, BoundColumn, HeaderBinding, RowParser, RowView};
use crate::{FormatError, IMPORT_ERRORS_HEADER, RowIssue};

/// The IOF 3.0 client XML dialect.
pub struct Iof {
    rules: ImportRules,
}

/// The one instance, registered in [`dialects`](crate::dialects).
pub static IOF: Iof = Iof {
    rules: crate::idosell::RULES,
};

/// The header of an IOF row: the table's paths, in order.
pub fn header() -> Vec<String> {
    COLUMNS.iter().map(|c| c.name().to_string()).collect()
}

/// Binds a header of paths (ours, or one read back from a rejected-rows file) to the table.
fn bind(header: &[String]) -> HeaderBinding {
    let columns = header
        .iter()
        .enumerate()
        .map(|(index, h)| {
            let name = h.trim();
            let binding = if name.eq_ignore_ascii_case(IMPORT_ERRORS_HEADER) {
                Binding::Ignored
            } else {
                COLUMNS
                    .iter()
                    .find(|c| c.name().eq_ignore_ascii_case(name))
                    .map_or(Binding::Ignored, |column| Binding::Column {
                        column,
                        param: String::new(),
                    })
            };
            BoundColumn {
                index,
                header: h.clone(),
                key: name.to_string(),
                binding,
            }
        })
        .collect();
    HeaderBinding {
        header: header.to_vec(),
        columns,
        unknown: Vec::new(),
    }
}

/// IdoSell's newsletter rule: an answer without per-shop entries holds for every shop, so
/// it clears the stored shop list (as `t`/`n` do in IdoSell's CSV).
fn newsletter_rule(_: &RowView, patch: &mut CustomerPatch, _: &mut Vec<RowIssue>) {
    for (consent, shops) in [
        (Field::NewsletterEmail, Field::NewsletterEmailShops),
        (Field::NewsletterSms, Field::NewsletterSmsShops),
    ] {
        if patch.value(&consent).is_some() && patch.get(&shops).is_none() {
            patch.clear(shops);
        }
    }
}

fn parser(header: &[String]) -> RowParser {
    RowParser::with_binding("iof", EmptyCell::Keep, bind(header))
        .excel_guarded(false)
        .with_rule(newsletter_rule)
}

impl Dialect for Iof {
    fn id(&self) -> &'static str {
        "iof"
    }
    fn name(&self) -> &'static str {
        "IdoSell IOF 3.0 XML"
    }
    fn about(&self) -> &'static str {
        "IdoSell's client file in the IOF 3.0 XML standard (the importer takes it besides CSV; custio's migrations write it). \
Root <clients file_format=\"IOF\" version=\"3.0\" generated=\"...\"> in the namespace http://www.iai-shop.com/developers/iof.phtml, \
one <client> per customer with its values mostly in attributes. Elements are matched by local name with any or no prefix; unknown ones are skipped. \
A DOCTYPE is refused and only the five predefined entities and character references are expanded. Read as a stream: any file size. \
Customers pair by login, then e-mail, as in IdoSell's CSV; an absent element or attribute keeps the stored value. \
The rows listed here are XML paths; a rejected-rows file uses them as its CSV header."
    }
    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }
    fn rules(&self) -> &ImportRules {
        &self.rules
    }
    fn extension(&self) -> &'static str {
        "xml"
    }

    fn media_type(&self) -> &'static str {
        "application/xml"
    }

    fn delimiter(&self) -> u8 {
        b';'
    }

    fn open_reader<'a>(
        &self,
        input: Box<dyn Read + 'a>,
        options: &ReadOptions,
    ) -> Result<Box<dyn RowSource + 'a>, FormatError> {
        Ok(Box::new(reader::IofSource::open(
            input,
            options.encoding,
            parser(&header()),
        )?))
    }

    fn row_parser(
        &self,
        header: &[String],
        _options: &ReadOptions,
    ) -> Result<RowParser, FormatError> {
        if !header.iter().any(|h| {
            COLUMNS
                .iter()
                .any(|c| c.name().eq_ignore_ascii_case(h.trim()))
        }) {
            return Err(FormatError::Header(
                "an IOF row is edited with the XML paths of `custio formats iof` as its header (client/@email, ...)".into(),
            ));
        }
        Ok(parser(header))
    }

    fn open_writer<'a>(
        &self,
        out: Box<dyn Write + 'a>,
        options: &WriteOptions,
    ) -> Result<Box<dyn RowSink + 'a>, FormatError> {
        Ok(Box::new(writer::IofSink::open(out, options)?))
    }
}
