//! A dialect is a table of [`Column`]s: header, meaning, type, direction and a [`Codec`]
//! that reads a cell into a patch and writes a cell from a customer. The same table drives
//! the reader, the writer, `custio formats` and the generated docs.

use crate::dialect::EmptyCell;
use custio_model::{
    Customer, CustomerPatch, Field, Value, ValueError, parse_bool, parse_datetime, write_datetime,
};

/// Which way a column goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Read on import and written on export.
    Both,
    /// Read on import only (e.g. a plain password).
    Import,
    /// Written on export only (statistics, ids); ignored on import.
    Export,
}

impl Direction {
    /// Short name for docs.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Both => "import, export",
            Direction::Import => "import only",
            Direction::Export => "export only",
        }
    }
}

/// How a column's header is recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderPattern {
    /// The header is exactly this name (compared case-insensitively).
    Exact(&'static str),
    /// The header is this prefix followed by a shop id (`orders_worth_in_shop: 2`); the
    /// writer puts out one column per shop of [`WriteOptions::shop_ids`](crate::WriteOptions).
    Prefix(&'static str),
    /// The header is this prefix followed by a custom-field key; the writer puts out one
    /// column per key of [`WriteOptions::custom_field_keys`](crate::WriteOptions). An
    /// empty prefix is never matched on import (any header would match it).
    CustomField(&'static str),
    /// A bracketed name followed by a quoted parameter: `[META „vip_level“]` (UPgates). The
    /// parameter may stand in Czech quotes („…“) or ASCII quotes ("…"); the writer uses the
    /// Czech ones. `shown` is how docs list the column (`[META „key“]`).
    Param {
        name: &'static str,
        shown: &'static str,
    },
}

/// Czech opening quote (U+201E), closing quote (U+201C), and the quotes accepted instead.
const PARAM_OPEN: &[char] = &['\u{201E}', '"', '\u{201C}', '\u{201D}'];
const PARAM_CLOSE: &[char] = &['\u{201C}', '"', '\u{201D}'];

/// The parameter of a `[NAME „param“]` header, if `header` has that form for `name`.
fn bracket_param<'h>(header: &'h str, name: &str) -> Option<&'h str> {
    let inner = header.strip_prefix('[')?.strip_suffix(']')?.trim();
    let rest = strip_prefix_ignore_case(inner, name)?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let param = rest
        .trim()
        .strip_prefix(PARAM_OPEN)?
        .strip_suffix(PARAM_CLOSE)?
        .trim();
    (!param.is_empty()).then_some(param)
}

/// Reads a cell. The context gives the header's parameter, if any.
pub type ReadFn = fn(&str, &CellContext, &mut CustomerPatch) -> Result<(), ValueError>;
/// Writes a cell.
pub type WriteFn = fn(&Customer, &CellContext) -> String;

/// How a cell converts to and from customer fields.
#[derive(Clone)]
pub enum Codec {
    /// One field in its canonical text form (text, e-mail, phone, decimal, ...).
    Plain(Field),
    /// A yes/no flag with the dialect's spellings; the first of each list is written.
    Flag {
        field: Field,
        yes: &'static [&'static str],
        no: &'static [&'static str],
    },
    /// A date-time written with `write` and read with any of `read` (chrono patterns).
    Date {
        field: Field,
        write: &'static str,
        read: &'static [&'static str],
    },
    /// An export-only figure kept in `stats` under the column's header.
    Stat,
    /// A value with no model field, kept in `extra` as `<dialect>.<header>`.
    Extra,
    /// Like [`Codec::Extra`], but the cell is checked and normalised first (a flag kept as
    /// `1`/`0`, a decimal with a dot); `type_name` names the accepted type in docs.
    ExtraAs {
        read: fn(&str) -> Result<String, ValueError>,
        type_name: &'static str,
    },
    /// The column carries nothing we use (IdoSell's unnamed column, our error column).
    Ignore,
    /// A field keyed by the header's parameter (`[META „vip“]` is `custom_fields.vip`),
    /// with the dialect's text form of its values.
    Keyed {
        field: fn(String) -> Field,
        read: fn(&str) -> Result<Value, ValueError>,
        write: fn(&Value) -> String,
    },
    /// Anything else: small functions, listed with the fields they touch. A listed
    /// custom field with an empty key ([`EVERY_CUSTOM_FIELD`]) stands for every key.
    Custom {
        read: ReadFn,
        write: WriteFn,
        fields: &'static [Field],
    },
}

/// Listed by a [`Codec::Custom`] column that carries every custom field (IOF's
/// `custom_fields` element).
pub static EVERY_CUSTOM_FIELD: [Field; 1] = [Field::CustomField(String::new())];

/// What a codec knows about the cell besides its text.
pub struct CellContext<'a> {
    /// The dialect's id (`idosell`), for `extra` keys.
    pub dialect: &'static str,
    /// The column's canonical header (`orders_worth_in_shop: 2`, never a legacy label):
    /// the key of `stats` and `extra` values.
    pub header: &'a str,
    /// The header's parameter for [`HeaderPattern::Prefix`] and [`HeaderPattern::Param`]
    /// columns.
    pub param: Option<&'a str>,
}

impl CellContext<'_> {
    /// The key of the column's value in `extra`: `<dialect>.<header>`.
    pub fn extra_key(&self) -> String {
        let mut key = String::with_capacity(self.dialect.len() + 1 + self.header.len());
        key.push_str(self.dialect);
        key.push('.');
        key.push_str(self.header);
        key
    }
}

/// One column of a dialect's file.
pub struct Column {
    pub header: HeaderPattern,
    /// Other headers that mean this column (case-insensitive).
    pub aliases: &'static [&'static str],
    /// The column's label in the platform's own language (IdoSell's legacy export writes
    /// these; the importer accepts them).
    pub label: &'static str,
    pub codec: Codec,
    pub direction: Direction,
    /// What an empty cell means when it differs from the dialect's rule (UPgates: an empty
    /// password keeps the stored one although other empty cells delete); `None`: the rule.
    pub empty: Option<EmptyCell>,
    /// What the column means, for people.
    pub meaning: &'static str,
    /// Accepted values and format, for people.
    pub rule: &'static str,
}

impl Column {
    /// A column with an exact header, no aliases, no label and the dialect's empty-cell
    /// rule: the building block of every dialect table.
    pub const fn exact(
        header: &'static str,
        codec: Codec,
        direction: Direction,
        meaning: &'static str,
        rule: &'static str,
    ) -> Column {
        Column {
            header: HeaderPattern::Exact(header),
            aliases: &[],
            label: "",
            codec,
            direction,
            empty: None,
            meaning,
            rule,
        }
    }

    /// The same column with other headers that mean it.
    pub const fn with_aliases(mut self, aliases: &'static [&'static str]) -> Column {
        self.aliases = aliases;
        self
    }

    /// The same column with its label in the platform's language.
    pub const fn with_label(mut self, label: &'static str) -> Column {
        self.label = label;
        self
    }

    /// The header our writer puts out (for prefix columns: without the parameter; for
    /// parameterised columns: the form shown in docs).
    pub fn name(&self) -> &'static str {
        match self.header {
            HeaderPattern::Exact(n) | HeaderPattern::Prefix(n) | HeaderPattern::CustomField(n) => n,
            HeaderPattern::Param { shown, .. } => shown,
        }
    }

    /// The canonical header for a parameter (`orders_worth_in_shop: 2`, `[META „vip“]`).
    pub fn key(&self, param: &str) -> String {
        match self.header {
            HeaderPattern::Exact(n) => n.to_string(),
            HeaderPattern::Prefix(p) | HeaderPattern::CustomField(p) => format!("{p}{param}"),
            HeaderPattern::Param { name, .. } => format!("[{name} \u{201E}{param}\u{201C}]"),
        }
    }

    /// What an empty cell of this column means under the dialect's rule `rule`.
    pub fn empty_cell(&self, rule: EmptyCell) -> EmptyCell {
        self.empty.unwrap_or(rule)
    }

    /// If `header` names this column, returns `Some(parameter)` (an empty parameter for
    /// exact columns).
    pub fn matches<'h>(&self, header: &'h str) -> Option<&'h str> {
        let header = header.trim();
        match self.header {
            HeaderPattern::Exact(name) => {
                let hit = name.eq_ignore_ascii_case(header)
                    || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(header))
                    || (!self.label.is_empty()
                        && self.label.to_lowercase() == header.to_lowercase());
                hit.then_some("")
            }
            HeaderPattern::Prefix(prefix) | HeaderPattern::CustomField(prefix) => {
                [prefix, self.label]
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .find_map(|p| strip_prefix_ignore_case(header, p))
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
            }
            HeaderPattern::Param { name, .. } => bracket_param(header, name),
        }
    }

    /// True when an import reads the column: every column but the export-only ones, except
    /// that export-only figures are kept in `stats` so that a round trip loses nothing.
    pub fn is_read(&self) -> bool {
        self.direction != Direction::Export || matches!(self.codec, Codec::Stat)
    }

    /// The model fields the column writes into on import.
    pub fn fields(&self, ctx: &CellContext) -> Vec<Field> {
        match &self.codec {
            Codec::Plain(f) | Codec::Flag { field: f, .. } | Codec::Date { field: f, .. } => {
                vec![f.clone()]
            }
            Codec::Stat => vec![Field::Stat(ctx.header.to_string())],
            Codec::Extra | Codec::ExtraAs { .. } => vec![Field::Extra(ctx.extra_key())],
            Codec::Ignore => vec![],
            Codec::Keyed { field, .. } => vec![field(ctx.param.unwrap_or_default().to_string())],
            Codec::Custom { fields, .. } => fields.to_vec(),
        }
    }

    /// The type shown in docs.
    pub fn type_name(&self) -> &'static str {
        match &self.codec {
            Codec::Plain(f) => f.ty().name(),
            Codec::Flag { .. } => "flag",
            Codec::Date { .. } => "date-time",
            Codec::Stat => "figure",
            Codec::Extra => "text (kept as is)",
            Codec::ExtraAs { type_name, .. } => type_name,
            Codec::Ignore => "ignored",
            Codec::Keyed { field, .. } => field(String::new()).ty().name(),
            Codec::Custom { fields, .. } => fields.first().map(|f| f.ty().name()).unwrap_or("text"),
        }
    }

    /// Reads a non-empty cell into `patch`.
    pub fn read(
        &self,
        cell: &str,
        ctx: &CellContext,
        patch: &mut CustomerPatch,
    ) -> Result<(), ValueError> {
        match &self.codec {
            Codec::Plain(f) => patch.set(f.clone(), f.ty().parse(cell)?),
            Codec::Flag { field, yes, no } => {
                patch.set(field.clone(), Value::Bool(parse_bool(cell, yes, no)?))
            }
            Codec::Date { field, read, .. } => {
                patch.set(field.clone(), Value::DateTime(parse_datetime(cell, read)?))
            }
            Codec::Stat => patch.set(
                Field::Stat(ctx.header.to_string()),
                Value::Text(cell.to_string()),
            ),
            Codec::Extra => patch.set(Field::Extra(ctx.extra_key()), Value::Text(cell.to_string())),
            Codec::ExtraAs { read, .. } => {
                patch.set(Field::Extra(ctx.extra_key()), Value::Text(read(cell)?))
            }
            Codec::Ignore => {}
            Codec::Keyed { field, read, .. } => patch.set(
                field(ctx.param.unwrap_or_default().to_string()),
                read(cell)?,
            ),
            Codec::Custom { read, .. } => read(cell, ctx, patch)?,
        }
        Ok(())
    }

    /// Writes the cell for `customer`.
    pub fn write(&self, customer: &Customer, ctx: &CellContext) -> String {
        let mut cell = String::new();
        self.write_into(customer, ctx, &mut cell);
        cell
    }

    /// Appends the cell for `customer` to `out`: an export reuses one buffer per column.
    pub fn write_into(&self, customer: &Customer, ctx: &CellContext, out: &mut String) {
        match &self.codec {
            Codec::Plain(f) => {
                customer.write_text(f, out);
            }
            Codec::Flag { field, yes, no } => {
                let on = matches!(customer.get(field), Some(Value::Bool(true)));
                out.push_str(if on { yes[0] } else { no[0] });
            }
            Codec::Date { field, write, .. } => {
                if let Some(Value::DateTime(d)) = customer.get(field) {
                    write_datetime(&d, write, out).expect("a String takes any text");
                }
            }
            Codec::Stat => out.push_str(customer.stats.get(ctx.header).map_or("", |s| s)),
            // Most customers have no extra values: no key is built for them.
            Codec::Extra | Codec::ExtraAs { .. } if !customer.extra.is_empty() => {
                out.push_str(customer.extra.get(&ctx.extra_key()).map_or("", |s| s))
            }
            Codec::Extra | Codec::ExtraAs { .. } => {}
            Codec::Ignore => {}
            Codec::Keyed { field, write, .. } => {
                if let Some(v) = customer.get(&field(ctx.param.unwrap_or_default().to_string())) {
                    out.push_str(&write(&v));
                }
            }
            Codec::Custom { write, .. } => out.push_str(&write(customer, ctx)),
        }
    }

    /// True when the column holds numbers, which the Excel guard leaves alone.
    pub fn is_numeric(&self) -> bool {
        match &self.codec {
            Codec::Stat => true,
            Codec::Plain(f) => matches!(
                f.ty(),
                custio_model::FieldType::Decimal
                    | custio_model::FieldType::Integer
                    | custio_model::FieldType::Phone
            ),
            Codec::Custom { fields, .. } => fields.iter().any(|f| {
                matches!(
                    f.ty(),
                    custio_model::FieldType::Decimal | custio_model::FieldType::Integer
                )
            }),
            _ => false,
        }
    }
}

fn strip_prefix_ignore_case<'h>(header: &'h str, prefix: &str) -> Option<&'h str> {
    let head = header.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &header[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const META: Column = Column {
        header: HeaderPattern::Param {
            name: "META",
            shown: "[META \u{201E}key\u{201C}]",
        },
        aliases: &[],
        label: "",
        codec: Codec::Ignore,
        direction: Direction::Both,
        empty: None,
        meaning: "",
        rule: "",
    };

    #[test]
    fn bracketed_parameters_in_czech_or_ascii_quotes() {
        assert_eq!(
            META.matches("[META \u{201E}vip level\u{201C}]"),
            Some("vip level")
        );
        assert_eq!(META.matches(" [meta \"vip\"] "), Some("vip"));
        assert_eq!(META.matches("[META \u{201E}\u{201C}]"), None);
        assert_eq!(META.matches("[METAX \"vip\"]"), None);
        assert_eq!(META.matches("[META vip]"), None);
        assert_eq!(META.key("vip"), "[META \u{201E}vip\u{201C}]");
    }
}
