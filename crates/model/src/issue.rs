use serde::{Deserialize, Serialize};

use crate::ValueError;

/// Why one row cannot be imported as it is: located (line, column, value) and coded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowIssue {
    /// The column's header as in the file, when the issue is about one cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The model field concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Stable code (`invalid_email`, `missing_required`, `duplicate_login`, ...).
    pub code: String,
    /// What is wrong and what to do, for people.
    pub message: String,
    /// The offending value as it stood in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// A warning does not reject the row: the value is ignored and the rest imports
    /// (Shoptet: a country the shop does not deliver to; a pricelist that does not exist).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub warning: bool,
}

impl RowIssue {
    /// An issue of the row as a whole.
    pub fn row(code: &str, message: impl Into<String>) -> Self {
        Self {
            column: None,
            field: None,
            code: code.into(),
            message: message.into(),
            value: None,
            warning: false,
        }
    }

    /// An issue of one field of the row.
    pub fn field(code: &str, field: &str, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.to_string()),
            ..Self::row(code, message)
        }
    }

    /// The same issue with the offending value.
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// The same issue as a warning, which does not reject the row.
    pub fn as_warning(mut self) -> Self {
        self.warning = true;
        self
    }

    /// An invalid cell.
    pub fn cell(column: &str, field: Option<String>, value: &str, err: &ValueError) -> Self {
        Self {
            column: Some(column.to_string()),
            field,
            code: err.code().into(),
            message: err.to_string(),
            value: Some(value.to_string()),
            warning: false,
        }
    }

    /// The issue as one line: `column 'email': 'x' is not a valid e-mail address ...`.
    pub fn describe(&self) -> String {
        let prefix = if self.warning { "warning: " } else { "" };
        match &self.column {
            Some(c) => format!("{prefix}column '{c}': {}", self.message),
            None => format!("{prefix}{}", self.message),
        }
    }
}
