//! CloudCart import: delimiter sniffing, optional header row and column binding.

use std::io::{Cursor, Read};

use custio_model::{CustomerPatch, Field, IssueCode, Value};

use crate::column::Direction;
use crate::dialect::{ColumnRef, EmptyCell, ReadOptions, RowSource};
use crate::encoding::DecodingReader;
use crate::error::{listed, shorten};
use crate::tabular::lines::LineCounting;
use crate::tabular::records::Records;
use crate::tabular::{
    Binding, BoundColumn, HeaderBinding, RowParser, RowView, SourceRow, check_width,
};
use crate::{FormatError, IMPORT_ERRORS_HEADER, RowIssue, TextEncoding};

use super::COLUMNS;

/// The separators CloudCart detects, in order of preference on a tie.
pub const DELIMITERS: &[u8] = b",;\t|";
/// How much decoded text the delimiter sniffer looks at.
const SNIFF_BYTES: usize = 64 * 1024;
/// How many rows of that text it compares.
const SNIFF_ROWS: usize = 50;

type Input<'a> = LineCounting<std::io::Chain<Cursor<Vec<u8>>, DecodingReader<Box<dyn Read + 'a>>>>;

/// A CloudCart file being read.
pub(super) struct CloudCartSource<'a> {
    records: Records<Input<'a>>,
    parser: RowParser,
}

/// Picks the separator that splits the sample into the most consistent number of cells
/// (more than one); `,` when none does (a file of e-mail addresses only).
pub fn sniff_delimiter(sample: &[u8]) -> u8 {
    let mut best: Option<((usize, usize), u8)> = None;
    for &d in DELIMITERS {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample);
        let widths: Vec<usize> = reader
            .records()
            .map_while(Result::ok)
            .filter(|r| !(r.len() == 1 && r[0].trim().is_empty()))
            .take(SNIFF_ROWS)
            .map(|r| r.len())
            .collect();
        let Some(&widest) = widths.iter().max() else {
            continue;
        };
        if widest < 2 {
            continue;
        }
        let mode = (2..=widest)
            .max_by_key(|w| (widths.iter().filter(|x| *x == w).count(), *w))
            .unwrap_or(2);
        let score = (widths.iter().filter(|x| **x == mode).count(), mode);
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, d));
        }
    }
    best.map_or(b',', |(_, d)| d)
}

/// The bindable column a target names: a column header or alias (`First Name`,
/// `first name`), or the customer field it writes (`first_name`).
fn target_column(target: &str) -> Result<&'static crate::Column, FormatError> {
    let bindable = || COLUMNS.iter().filter(|c| c.direction != Direction::Export);
    let field = Field::parse(target).ok();
    bindable()
        .find(|c| c.matches(target).is_some())
        .or_else(|| {
            let ctx = crate::column::CellContext {
                dialect: "cloudcart",
                header: "",
                param: None,
            };
            field.and_then(|f| bindable().find(|c| c.fields(&ctx) == [f.clone()]))
        })
        .ok_or_else(|| {
            let names: Vec<&str> = bindable().map(|c| c.name()).collect();
            FormatError::Header(format!(
                "'{target}' cannot be bound in a CloudCart import; bind columns to one of: {}",
                names.join(", ")
            ))
        })
}

/// Binds the user's choices to positions. `header` is the file's header row when it has
/// one.
pub(super) fn bind(
    header: Option<&[String]>,
    first_row_width: usize,
    options: &ReadOptions,
) -> Result<HeaderBinding, FormatError> {
    if let Some(header) = header {
        check_width(header.len())?;
    }
    let mut wanted: Vec<(String, ColumnRef)> = options.bindings.clone();
    for (h, t) in &options.mappings {
        if !t.trim().eq_ignore_ascii_case("ignore") {
            wanted.push((t.clone(), ColumnRef::Header(h.clone())));
        }
    }
    if let (true, Some(header)) = (wanted.is_empty(), header) {
        for h in header {
            if COLUMNS
                .iter()
                .any(|c| c.direction != Direction::Export && c.matches(h).is_some())
            {
                wanted.push((h.trim().to_string(), ColumnRef::Header(h.clone())));
            }
        }
    }
    let mut columns: Vec<BoundColumn> = Vec::new();
    for (target, at) in &wanted {
        let column = target_column(target)?;
        let index = match at {
            ColumnRef::Position(0) => {
                return Err(FormatError::Header(format!(
                    "column positions count from 1; '{target}' is bound to 0"
                )));
            }
            ColumnRef::Position(n) => n - 1,
            ColumnRef::Header(name) => {
                let Some(header) = header else {
                    return Err(FormatError::Header(format!(
                        "'{target}' is bound to the header '{name}', but the file is read without a header row; bind by position or say the file has a header"
                    )));
                };
                header
                    .iter()
                    .position(|h| h.trim().to_lowercase() == name.trim().to_lowercase())
                    .ok_or_else(|| {
                        FormatError::Header(format!(
                            "the header has no column '{}' (it has: {})",
                            shorten(name, 60),
                            listed(header, 20)
                        ))
                    })?
            }
        };
        if let Some(header) = header
            && index >= header.len()
        {
            return Err(FormatError::Header(format!(
                "'{target}' is bound to column {}, but the header has {} columns",
                index + 1,
                header.len()
            )));
        }
        if let Some(other) = columns.iter().find(
            |c| matches!(&c.binding, Binding::Column { column: b, .. } if std::ptr::eq(*b, column)),
        ) {
            return Err(FormatError::Header(format!(
                "{} is bound twice (columns {} and {}); bind each field once",
                column.name(),
                other.index + 1,
                index + 1
            )));
        }
        if let Some(other) = columns.iter().find(|c| c.index == index) {
            return Err(FormatError::Header(format!(
                "column {} is bound to both {} and {}",
                index + 1,
                other.key,
                column.name()
            )));
        }
        columns.push(BoundColumn {
            index,
            header: String::new(),
            key: column.name().to_string(),
            binding: Binding::Column {
                column,
                param: String::new(),
            },
        });
    }
    if !columns.iter().any(|c| c.key == "Email Address") {
        return Err(FormatError::Header(
            "bind a column to the e-mail address: CloudCart imports need it in every row (e.g. email=1, first_name=2)".into(),
        ));
    }
    let header: Vec<String> = match header {
        Some(h) => h.to_vec(),
        None => {
            let width = columns
                .iter()
                .map(|c| c.index + 1)
                .max()
                .unwrap_or(0)
                .max(first_row_width);
            (1..=width).map(|i| format!("column {i}")).collect()
        }
    };
    for c in &mut columns {
        c.header = header[c.index].clone();
    }
    columns.sort_by_key(|c| c.index);
    Ok(HeaderBinding {
        header,
        columns,
        unknown: Vec::new(),
    })
}

/// CloudCart's row rules: a full name without a first name is split at the first space;
/// a row without an e-mail is refused.
fn row_rule(_: &RowView, patch: &mut CustomerPatch, issues: &mut Vec<RowIssue>) {
    if let (Some(Value::Text(full)), None) = (
        patch.value(&Field::FullName).cloned(),
        patch.value(&Field::FirstName),
    ) {
        let full = full.trim();
        match full.split_once(' ') {
            Some((first, last)) => {
                patch.set(Field::FirstName, Value::Text(first.to_string()));
                if patch.value(&Field::LastName).is_none() && !last.trim().is_empty() {
                    patch.set(Field::LastName, Value::Text(last.trim().to_string()));
                }
            }
            None => patch.set(Field::FirstName, Value::Text(full.to_string())),
        }
    }
    let has_email = patch.value(&Field::Email).is_some();
    let bad_email = issues.iter().any(|i| i.field.as_deref() == Some("email"));
    if !has_email && !bad_email {
        issues.push(RowIssue::field(
            IssueCode::MissingEmail {
                dialect: "CloudCart".into(),
            },
            "email",
        ));
    }
}

/// The parser for rows bound by `binding`.
pub(super) fn parser(binding: HeaderBinding, has_header: bool, options: &ReadOptions) -> RowParser {
    let mut parser = RowParser::with_binding("cloudcart", EmptyCell::Keep, binding)
        .ragged(!has_header)
        .with_rule(row_rule);
    if let Some(group) = options
        .default_group
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty())
    {
        parser = parser.with_default(Field::Groups, Value::Texts(vec![group.to_string()]));
    }
    parser
}

impl<'a> CloudCartSource<'a> {
    pub(super) fn open(
        input: Box<dyn Read + 'a>,
        options: &ReadOptions,
    ) -> Result<Self, FormatError> {
        let mut decoded = DecodingReader::new(input, options.encoding, TextEncoding::Windows1251);
        let mut sample = Vec::with_capacity(SNIFF_BYTES);
        (&mut decoded)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut sample)?;
        if sample.contains(&0) {
            return Err(FormatError::NotThisFormat {
                dialect: "CloudCart",
                reason: "it contains binary data; save the customer list as CSV text and try again"
                    .into(),
            });
        }
        let delimiter = options
            .delimiter
            .unwrap_or_else(|| sniff_delimiter(&sample));
        let (input, lines) = LineCounting::new(Cursor::new(sample).chain(decoded));
        let mut records = Records::new(input, delimiter, lines);
        let has_header = options.has_header.unwrap_or(false);
        let header: Option<Vec<String>> = if has_header {
            let Some(first) = records.next() else {
                return Err(FormatError::NotThisFormat {
                    dialect: "CloudCart",
                    reason: "the file is empty".into(),
                });
            };
            Some(
                first?
                    .1
                    .into_iter()
                    .filter(|h| !h.trim().eq_ignore_ascii_case(IMPORT_ERRORS_HEADER))
                    .collect(),
            )
        } else {
            None
        };
        let binding = bind(header.as_deref(), 0, options)?;
        Ok(Self {
            records,
            parser: parser(binding, has_header, options),
        })
    }
}

impl RowSource for CloudCartSource<'_> {
    fn binding(&self) -> &HeaderBinding {
        self.parser.binding()
    }

    fn encoding(&self) -> TextEncoding {
        self.records.get_ref().get_ref().get_ref().1.encoding()
    }

    fn next_row(&mut self) -> Option<Result<SourceRow, FormatError>> {
        let parsed = self.records.next()?;
        Some(parsed.map(|(line, cells)| self.parser.parse(line, cells)))
    }
}
