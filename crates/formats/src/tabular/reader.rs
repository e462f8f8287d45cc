use std::io::{self, Read};

use custio_model::{Customer, CustomerPatch, Field, IssueCode, Value, limits};

use super::lines::LineCounting;
use super::records::Records;
use super::sniff::{first_line_end, header_separator};
use super::{Binding, BoundColumn, HeaderBinding, TabularDialect};
use crate::dialect::{EmptyCell, ReadOptions, RowSource};
use crate::encoding::DecodingReader;
use crate::error::shorten;
use crate::{FormatError, RowIssue, TextEncoding, excel};

/// One row of a file: its cells as read, the patch they make and what is wrong with them.
#[derive(Clone, Debug)]
pub struct SourceRow {
    /// The file line the row starts on (the header is line 1).
    pub line: u64,
    /// The cells as read, except that a cell carrying a password holds what the dialect
    /// writes back from the patch (a hash, or nothing): a plain password is never kept.
    pub cells: Vec<String>,
    pub patch: CustomerPatch,
    pub issues: Vec<RowIssue>,
}

/// One cell read again: see [`RowParser::parse_cell`].
#[derive(Clone, Debug, Default)]
pub struct CellEdit {
    /// The column's header as in the file.
    pub column: String,
    /// Every field the column writes.
    pub fields: Vec<Field>,
    /// What the new value sets or clears.
    pub patch: CustomerPatch,
    pub issues: Vec<RowIssue>,
    /// The cell to keep in the row: the value as typed, or for a password column what the
    /// dialect writes back from the patch (see [`SourceRow::cells`]).
    pub kept: String,
}

/// A dialect's rules over several cells of one row: it sees the row's cells by column and
/// may change the patch or add issues.
pub type FinishRow = fn(&RowView, &mut CustomerPatch, &mut Vec<RowIssue>);

/// One row's cells by column, for [`FinishRow`] hooks.
pub struct RowView<'a> {
    binding: &'a HeaderBinding,
    cells: &'a [String],
    empty_cell: EmptyCell,
}

impl<'a> RowView<'a> {
    /// The cell of the column whose canonical header is `key` (case-insensitive), trimmed
    /// and without the Excel guard; `None` when the file has no such column.
    pub fn cell(&self, key: &str) -> Option<&'a str> {
        let cells = self.cells;
        self.binding
            .columns
            .iter()
            .find(|c| c.key.eq_ignore_ascii_case(key))
            .and_then(|c| cells.get(c.index))
            .map(|raw| excel::unguard(raw.trim()))
    }

    /// The header of that column as it stands in the file, for issues.
    pub fn header(&self, key: &str) -> String {
        self.binding
            .columns
            .iter()
            .find(|c| c.key.eq_ignore_ascii_case(key))
            .map_or_else(|| key.to_string(), |c| c.header.trim().to_string())
    }

    /// What an empty cell means in this dialect.
    pub fn empty_cell(&self) -> EmptyCell {
        self.empty_cell
    }
}

/// Parses rows against a bound header; shared by the streaming reader and by re-validation
/// of an edited row, so both apply exactly the same rules.
#[derive(Clone)]
pub struct RowParser {
    dialect: &'static str,
    empty_cell: EmptyCell,
    finish_row: Option<FinishRow>,
    binding: HeaderBinding,
    ragged: bool,
    defaults: Vec<(Field, Value)>,
    unguard: bool,
    /// The most characters each bound column's cell may hold (the longest its fields
    /// take), by position in `binding.columns`.
    max_chars: Vec<usize>,
    /// Some column carries a password, whose cells are not kept as read.
    has_password: bool,
}

impl RowParser {
    pub(crate) fn new(dialect: &TabularDialect, binding: HeaderBinding) -> Self {
        let parser = Self::with_binding(dialect.id, dialect.rules.empty_cell, binding);
        match dialect.finish_row {
            Some(finish) => parser.with_rule(finish),
            None => parser,
        }
    }

    /// A parser for a dialect that binds its columns itself (column binding, XML paths).
    pub fn with_binding(
        dialect: &'static str,
        empty_cell: EmptyCell,
        binding: HeaderBinding,
    ) -> Self {
        let max_chars = binding
            .columns
            .iter()
            .map(|c| {
                c.fields(dialect)
                    .iter()
                    .map(Field::max_chars)
                    .max()
                    .unwrap_or(limits::MAX_LONG)
            })
            .collect();
        Self {
            dialect,
            empty_cell,
            finish_row: None,
            has_password: binding.columns.iter().any(|b| carries_password(b, dialect)),
            binding,
            ragged: false,
            defaults: Vec::new(),
            unguard: true,
            max_chars,
        }
    }

    /// Accepts rows with more or fewer cells than the header (files without a header row,
    /// where missing trailing cells are simply empty).
    pub fn ragged(mut self, ragged: bool) -> Self {
        self.ragged = ragged;
        self
    }

    /// Whether cells may carry the Excel guard of our CSV writers (a leading `'`), which
    /// is then removed (the default). Typed spreadsheet cells (XLSX) carry none: there a
    /// leading `'` is the user's text.
    pub fn excel_guarded(mut self, guarded: bool) -> Self {
        self.unguard = guarded;
        self
    }

    /// Applies `rule` to every row after its cells are read.
    pub fn with_rule(mut self, rule: FinishRow) -> Self {
        self.finish_row = Some(rule);
        self
    }

    /// Sets `value` on every row that says nothing about `field` (a default group).
    pub fn with_default(mut self, field: Field, value: Value) -> Self {
        self.defaults.push((field, value));
        self
    }

    /// The header binding in use.
    pub fn binding(&self) -> &HeaderBinding {
        &self.binding
    }

    /// The position of the column that holds `field` (or is named `name`), for edits.
    pub fn column_of(&self, name: &str) -> Option<usize> {
        let field = Field::parse(name).ok();
        self.binding.columns.iter().find_map(|c| {
            let by_name = matches!(&c.binding, Binding::Column { column, .. } if column.matches(name).is_some())
                || c.header.trim().eq_ignore_ascii_case(name.trim());
            let fields = c.fields(self.dialect);
            let by_field = field.as_ref().is_some_and(|f| fields.len() == 1 && &fields[0] == f);
            (by_name || by_field).then_some(c.index)
        })
    }

    /// Reads one cell of a bound column into `patch`, or an issue. A cell longer than
    /// `max_chars` or holding a control character is an issue before any codec sees it.
    fn read_cell(
        &self,
        bound: &BoundColumn,
        max_chars: usize,
        raw: &str,
        patch: &mut CustomerPatch,
        issues: &mut Vec<RowIssue>,
    ) {
        let cell = if self.unguard {
            excel::unguard(raw.trim())
        } else {
            raw.trim()
        };
        let ctx = bound.context(self.dialect);
        match &bound.binding {
            Binding::Ignored => {}
            Binding::Column { column, .. } if !column.is_read() => {}
            _ if cell.is_empty() => {
                let rule = match &bound.binding {
                    Binding::Column { column, .. } => column.empty_cell(self.empty_cell),
                    _ => self.empty_cell,
                };
                if rule == EmptyCell::Clear {
                    for f in bound.fields(self.dialect) {
                        patch.clear(f);
                    }
                }
            }
            _ if let Err(err) = limits::check_text(cell, max_chars) => {
                let field = bound
                    .fields(self.dialect)
                    .first()
                    .map(|f| f.name().into_owned());
                issues.push(RowIssue::cell(
                    bound.header.trim(),
                    field,
                    self.shown(bound, raw),
                    &err,
                ));
            }
            Binding::Column { column, .. } => {
                if let Err(err) = column.read(cell, &ctx, patch) {
                    let field = column.fields(&ctx).first().map(|f| f.name().into_owned());
                    issues.push(RowIssue::cell(
                        bound.header.trim(),
                        field,
                        self.shown(bound, raw),
                        &err,
                    ));
                }
            }
            Binding::Field(field) => match field.ty().parse(cell) {
                Ok(v) => patch.set(field.clone(), v),
                Err(err) => issues.push(RowIssue::cell(
                    bound.header.trim(),
                    Some(field.name().into_owned()),
                    self.shown(bound, raw),
                    &err,
                )),
            },
        }
    }

    /// Reads one cell again (an edit in review): the fields its column writes (to be
    /// replaced in the row's patch), what the new value sets, and its issues. Rules over
    /// several cells are not run again.
    pub fn parse_cell(&self, index: usize, raw: &str) -> CellEdit {
        let mut edit = CellEdit::default();
        if let Some((at, bound)) = self
            .binding
            .columns
            .iter()
            .enumerate()
            .find(|(_, c)| c.index == index)
        {
            edit.column = bound.header.trim().to_string();
            edit.fields = bound.fields(self.dialect);
            self.read_cell(
                bound,
                self.max_chars[at],
                raw,
                &mut edit.patch,
                &mut edit.issues,
            );
            edit.kept = if carries_password(bound, self.dialect) {
                self.written_back(bound, &edit.patch)
            } else {
                raw.to_string()
            };
        }
        edit
    }

    /// A cell as a row issue may quote it: never a password.
    fn shown<'a>(&self, bound: &BoundColumn, raw: &'a str) -> &'a str {
        if carries_password(bound, self.dialect) {
            ""
        } else {
            raw
        }
    }

    /// A password column's cell as the dialect writes it back from `patch`.
    fn written_back(&self, bound: &BoundColumn, patch: &CustomerPatch) -> String {
        let mut customer = Customer::default();
        patch.write_to(&mut customer);
        self.cell_of(bound, &customer)
    }

    /// Replaces every cell that carries a password by what the dialect writes back.
    fn hide_passwords(&self, cells: &mut [String], patch: &CustomerPatch) {
        let columns = self.binding.columns.iter();
        for bound in columns.filter(|b| carries_password(b, self.dialect)) {
            if cells.get(bound.index).is_some_and(|c| !c.is_empty()) {
                cells[bound.index] = self.written_back(bound, patch);
            }
        }
    }

    /// A customer written back as a row of this file: each bound column's cell as the
    /// dialect writes it (empty for ignored columns). What a row says when its cells were
    /// not kept (a valid row of a check, the rejected-rows file of a commit).
    pub fn cells_of(&self, customer: &Customer) -> Vec<String> {
        let mut cells = vec![String::new(); self.binding.header.len()];
        for bound in &self.binding.columns {
            if let Some(cell) = cells.get_mut(bound.index) {
                *cell = self.cell_of(bound, customer);
            }
        }
        cells
    }

    /// One bound column's cell for `customer`.
    fn cell_of(&self, bound: &BoundColumn, customer: &Customer) -> String {
        match &bound.binding {
            Binding::Column { column, .. } => column.write(customer, &bound.context(self.dialect)),
            Binding::Field(field) => customer
                .get(field)
                .map(|v| v.to_string())
                .unwrap_or_default(),
            Binding::Ignored => String::new(),
        }
    }

    /// Parses one row's cells.
    pub fn parse(&self, line: u64, cells: Vec<String>) -> SourceRow {
        let mut patch = CustomerPatch::default();
        let mut issues = Vec::new();
        let expected = self.binding.header.len();
        if !self.ragged
            && cells.len() != expected
            && !(cells.len() == 1 && cells[0].trim().is_empty())
        {
            let (cells_n, expected) = (cells.len(), expected);
            let code = if cells.iter().any(|c| c.contains('\n')) {
                IssueCode::BrokenQuote {
                    cells: cells_n,
                    expected,
                }
            } else if cells_n > expected {
                IssueCode::TooManyCells {
                    cells: cells_n,
                    expected,
                }
            } else {
                IssueCode::TooFewCells {
                    cells: cells_n,
                    expected,
                }
            };
            issues.push(RowIssue::row(code));
            return SourceRow {
                line,
                cells,
                patch,
                issues,
            };
        }
        for (bound, &max_chars) in self.binding.columns.iter().zip(&self.max_chars) {
            if let Some(raw) = cells.get(bound.index) {
                self.read_cell(bound, max_chars, raw, &mut patch, &mut issues);
            }
        }
        for (field, value) in &self.defaults {
            if patch.get(field).is_none() {
                patch.set(field.clone(), value.clone());
            }
        }
        if let Some(finish) = self.finish_row {
            let view = RowView {
                binding: &self.binding,
                cells: &cells,
                empty_cell: self.empty_cell,
            };
            finish(&view, &mut patch, &mut issues);
        }
        let mut cells = cells;
        if self.has_password {
            self.hide_passwords(&mut cells, &patch);
        }
        SourceRow {
            line,
            cells,
            patch,
            issues,
        }
    }
}

/// True when `bound` carries a password (plain or hashed).
fn carries_password(bound: &BoundColumn, dialect: &'static str) -> bool {
    bound.fields(dialect).contains(&Field::Password)
}

/// Reads the header line of `input` (a quoted cell may span lines) and picks the separator
/// among `candidates` that occurs most often outside quotes; ties go to the first listed,
/// and `default` wins when none occurs. Returns the separator and the bytes read, which
/// must be read again before the rest.
fn sniff_delimiter(
    input: &mut impl Read,
    candidates: &[u8],
    default: u8,
) -> io::Result<(u8, Vec<u8>)> {
    const MAX_HEADER: usize = 1 << 20;
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    while head.len() < MAX_HEADER && first_line_end(&head).is_none() {
        let n = input.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&chunk[..n]);
    }
    let line = &head[..first_line_end(&head).unwrap_or(head.len())];
    Ok((header_separator(line, candidates, default), head))
}

/// The text a CSV file is parsed from: the sniffed head again, then the rest, with line
/// breaks counted.
type Decoded<'a> = io::Chain<io::Cursor<Vec<u8>>, LineCounting<DecodingReader<Box<dyn Read + 'a>>>>;

/// A CSV file being read.
pub(super) struct CsvSource<'a> {
    records: Records<Decoded<'a>>,
    parser: RowParser,
}

impl<'a> CsvSource<'a> {
    pub(super) fn open(
        dialect: &TabularDialect,
        input: Box<dyn Read + 'a>,
        options: &ReadOptions,
    ) -> Result<Self, FormatError> {
        let (mut decoded, lines) = LineCounting::new(DecodingReader::new(
            input,
            options.encoding,
            dialect.legacy_encoding,
        ));
        let (delimiter, head) = if dialect.read_delimiters.is_empty() {
            (dialect.delimiter, Vec::new())
        } else {
            sniff_delimiter(&mut decoded, dialect.read_delimiters, dialect.delimiter)?
        };
        let mut records = Records::new(io::Cursor::new(head).chain(decoded), delimiter, lines);
        let not_this = |reason: String| FormatError::NotThisFormat {
            dialect: dialect.name,
            reason,
        };
        let Some(first) = records.next() else {
            return Err(not_this(
                "the file is empty; it needs a header row naming the columns".into(),
            ));
        };
        let (_, header) = first?;
        if header
            .iter()
            .any(|h| h.contains('\0') || h.contains('\u{FFFD}'))
        {
            return Err(not_this(
                "it contains binary data; export the customer list as CSV text and try again"
                    .into(),
            ));
        }
        let binding = HeaderBinding::bind(dialect, &header, &options.mappings)?;
        if header.len() == 1 && binding.columns.is_empty() {
            return Err(not_this(format!(
                "the header has a single column '{}'; {} files separate columns with '{}'",
                shorten(&header[0], 60),
                dialect.name,
                dialect.delimiter as char
            )));
        }
        Ok(Self {
            records,
            parser: RowParser::new(dialect, binding),
        })
    }
}

impl RowSource for CsvSource<'_> {
    fn binding(&self) -> &HeaderBinding {
        self.parser.binding()
    }

    fn encoding(&self) -> TextEncoding {
        self.records.get_ref().get_ref().1.get_ref().encoding()
    }

    fn next_row(&mut self) -> Option<Result<SourceRow, FormatError>> {
        let parsed = self.records.next()?;
        Some(parsed.map(|(line, cells)| self.parser.parse(line, cells)))
    }

    /// The record is split into its cells (which finds every fatal error) and not parsed.
    fn skip_row(&mut self) -> Option<Result<(), FormatError>> {
        self.records.skip()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_line_decides_the_separator() {
        let sniff = |text: &str| {
            sniff_delimiter(&mut text.as_bytes(), b";,", b';')
                .unwrap()
                .0
        };
        assert_eq!(sniff("a,b,\"c;d\"\n1;2;3;4\n"), b',');
        assert_eq!(sniff("a;b,c;d\n"), b';');
        assert_eq!(sniff("a,b;c\n"), b';', "a tie goes to the first listed");
        assert_eq!(sniff("abc\n"), b';');
    }
}
