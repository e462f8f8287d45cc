use custio_model::Field;

use super::TabularDialect;
use crate::column::{CellContext, Column};
use crate::error::shorten;
use crate::suggest::{SURE, Suggester};
use crate::{FormatError, IMPORT_ERRORS_HEADER};

/// The most columns a header may have. Customer files have a few dozen (IdoSell's full
/// export about 80, plus one per shop); a header past this is not a customer file, or is
/// split at the wrong separator, and binding it would cost time and flood every message.
pub const MAX_COLUMNS: usize = 1000;

/// The error for a header of `columns` cells, when they are more than [`MAX_COLUMNS`].
pub(crate) fn check_width(columns: usize) -> Result<(), FormatError> {
    if columns > MAX_COLUMNS {
        return Err(FormatError::TooManyColumns {
            columns,
            max: MAX_COLUMNS,
        });
    }
    Ok(())
}

/// What one header cell was bound to.
#[derive(Clone)]
pub enum Binding {
    /// A column of the dialect, with the header's parameter (empty for exact columns).
    Column {
        column: &'static Column,
        param: String,
    },
    /// A field chosen by the user's mapping; read with the field's canonical parser.
    Field(Field),
    /// Read past: the user said `ignore`, or the column carries nothing we use.
    Ignored,
}

/// One bound header cell.
#[derive(Clone)]
pub struct BoundColumn {
    /// 0-based position in the row.
    pub index: usize,
    /// The header as it stands in the file.
    pub header: String,
    /// The canonical header: the column's own name, whatever alias or label the file used.
    pub key: String,
    pub binding: Binding,
}

impl BoundColumn {
    /// The context the column's codec sees.
    pub fn context<'a>(&'a self, dialect: &'static str) -> CellContext<'a> {
        let param = match &self.binding {
            Binding::Column { param, .. } if !param.is_empty() => Some(param.as_str()),
            _ => None,
        };
        CellContext {
            dialect,
            header: &self.key,
            param,
        }
    }

    /// The fields this column writes on import.
    pub fn fields(&self, dialect: &'static str) -> Vec<Field> {
        match &self.binding {
            Binding::Column { column, .. } if column.is_read() => {
                column.fields(&self.context(dialect))
            }
            Binding::Field(f) => vec![f.clone()],
            _ => vec![],
        }
    }
}

/// A header the dialect does not know, with the free fields it may mean.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct UnknownColumn {
    /// 0-based position.
    pub index: usize,
    pub header: String,
    /// Free fields, best first.
    pub suggestions: Vec<String>,
    /// The first suggestion is a name or synonym of its field: a mapping screen may
    /// preselect it. Otherwise the user chooses, so that no column lands in a field by
    /// a guess nobody looked at.
    #[serde(default)]
    pub confident: bool,
}

/// The header row, bound to the dialect.
#[derive(Clone)]
pub struct HeaderBinding {
    /// The header cells as read.
    pub header: Vec<String>,
    /// One entry per header cell that is known or mapped.
    pub columns: Vec<BoundColumn>,
    /// Cells that need a mapping before the rows can be read.
    pub unknown: Vec<UnknownColumn>,
}

impl HeaderBinding {
    /// Binds `header` to `dialect`'s columns, applying the user's `mappings` first.
    pub fn bind(
        dialect: &TabularDialect,
        header: &[String],
        mappings: &[(String, String)],
    ) -> Result<Self, FormatError> {
        check_width(header.len())?;
        let mut columns = Vec::new();
        let mut unknown_at = Vec::new();
        for (index, raw) in header.iter().enumerate() {
            let name = raw.trim();
            let mapped = mappings
                .iter()
                .find(|(h, _)| h.trim().eq_ignore_ascii_case(name));
            let binding = if name.eq_ignore_ascii_case(IMPORT_ERRORS_HEADER) {
                Some(Binding::Ignored)
            } else if let Some((_, target)) = mapped {
                Some(resolve_mapping(dialect, name, target)?)
            } else {
                dialect.columns.iter().find_map(|c| {
                    c.matches(name).map(|p| Binding::Column {
                        column: c,
                        param: p.to_string(),
                    })
                })
            };
            match binding {
                Some(binding) => {
                    let key = match &binding {
                        Binding::Column { column, param } => column.key(param),
                        _ => name.to_string(),
                    };
                    columns.push(BoundColumn {
                        index,
                        header: raw.clone(),
                        key,
                        binding,
                    })
                }
                None => unknown_at.push(index),
            }
        }
        let mut bound = Self {
            header: header.to_vec(),
            columns,
            unknown: Vec::new(),
        };
        bound.check_duplicates(dialect.id)?;
        if unknown_at.is_empty() {
            return Ok(bound);
        }
        let taken: Vec<Field> = bound
            .columns
            .iter()
            .flat_map(|c| c.fields(dialect.id))
            .collect();
        let free: Vec<Field> = Field::FIXED
            .iter()
            .filter(|f| !taken.contains(f))
            .cloned()
            .collect();
        let suggester = Suggester::new(&free, dialect.columns);
        bound.unknown = unknown_at
            .into_iter()
            .map(|index| {
                let scored = suggester.scored(&header[index]);
                UnknownColumn {
                    index,
                    header: header[index].clone(),
                    confident: scored.first().is_some_and(|(score, _)| *score >= SURE),
                    suggestions: scored
                        .into_iter()
                        .map(|(_, f)| f.name().into_owned())
                        .collect(),
                }
            })
            .collect();
        Ok(bound)
    }

    fn check_duplicates(&self, dialect: &'static str) -> Result<(), FormatError> {
        let mut seen: Vec<(Field, &str)> = Vec::new();
        for c in &self.columns {
            for f in c.fields(dialect) {
                if let Some((_, first)) = seen.iter().find(|(g, _)| *g == f) {
                    return Err(FormatError::Header(format!(
                        "columns '{}' and '{}' both set {f}; remove one of them or map one to ignore",
                        shorten(first, 60),
                        shorten(c.header.trim(), 60)
                    )));
                }
                seen.push((f, c.header.trim()));
            }
        }
        Ok(())
    }
}

fn resolve_mapping(
    dialect: &TabularDialect,
    header: &str,
    target: &str,
) -> Result<Binding, FormatError> {
    let target = target.trim();
    if target.eq_ignore_ascii_case("ignore") {
        return Ok(Binding::Ignored);
    }
    if let Some((column, param)) = dialect
        .columns
        .iter()
        .find_map(|c| c.matches(target).map(|p| (c, p)))
    {
        return Ok(Binding::Column {
            column,
            param: param.to_string(),
        });
    }
    Field::parse(target).map(Binding::Field).map_err(|_| {
        FormatError::Header(format!(
            "the mapping '{}={}' names neither a customer field nor a {} column; use a field such as first_name or billing.city, a column, or 'ignore'",
            shorten(header, 60),
            shorten(target, 60),
            dialect.name
        ))
    })
}
