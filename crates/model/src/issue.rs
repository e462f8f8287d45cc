//! What is wrong with a row, and what became of it, as codes with arguments. Sentences are
//! made at the edge, in the reader's language: the panel and the API render these codes
//! through the translations; nothing stores or passes on a sentence.

use serde::{Deserialize, Serialize};

use crate::ValueError;

/// Why a row (or one of its cells) cannot be imported as it is: a stable code and the
/// arguments its message needs. The offending value, column and field travel beside it in
/// [`RowIssue`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum IssueCode {
    /// Not an e-mail address.
    InvalidEmail,
    /// Not a phone number.
    InvalidPhone,
    /// Not a country custio knows.
    InvalidCountry,
    /// Not a language custio knows.
    InvalidLanguage,
    /// A date in a format the column does not take; `expected` is the column's format.
    InvalidDate { expected: String },
    /// Not an exact decimal number.
    InvalidNumber,
    /// Not a whole number.
    InvalidInteger,
    /// A value outside the column's set; `allowed` lists the values the file may hold.
    InvalidChoice { allowed: String },
    /// Not a list of shop ids.
    InvalidShopIds,
    /// Text longer than the field holds.
    TooLong { len: usize, max: usize },
    /// A control character (NUL, ...) or `U+FFFD`, which no value may hold; the issue's
    /// value shows it escaped.
    ControlCharacter { character: String },
    /// Text that must be one token without blanks.
    InvalidBlank,
    /// The row has more cells than the header: an unquoted separator, probably.
    TooManyCells { cells: usize, expected: usize },
    /// The row has fewer cells than the header.
    TooFewCells { cells: usize, expected: usize },
    /// A quoted cell runs over several lines: a quote is probably not closed.
    BrokenQuote { cells: usize, expected: usize },
    /// A character the output encoding cannot write (the value holds the character).
    UnmappableCharacter { encoding: String },
    /// The issue's field must be set: in every row of the dialect, or (`new_only`) in a
    /// row that creates a customer.
    MissingRequired { dialect: String, new_only: bool },
    /// The row has no e-mail address, which the dialect needs in every row (CloudCart).
    MissingEmail { dialect: String },
    /// The row has none of the fields that identify a customer.
    MissingIdentity { fields: Vec<String> },
    /// A pricelist the shop does not have: the value is not applied (a warning).
    UnknownPricelist { name: String },
    /// Groups the shop does not have and the dialect does not create (a warning).
    UnknownGroup { names: Vec<String> },
    /// An agreement the shop does not have: it is ignored (a warning).
    UnknownAgreement { name: String },
    /// The row pairs with a stored customer and the policy says such rows fail.
    CustomerExists { customer: i64, paired_by: String },
    /// The login appeared on an earlier line of the file.
    DuplicateLogin { line: u64 },
    /// The e-mail appeared on an earlier line of the file.
    DuplicateEmail { line: u64 },
    /// The row's login belongs to another customer than the one it pairs with (see
    /// [`KeyClash`]).
    LoginTaken(KeyClash),
    /// The row's e-mail belongs to another customer than the one it pairs with.
    EmailTaken(KeyClash),
    /// The row's guid belongs to another customer than the one it pairs with.
    GuidTaken(KeyClash),
    /// The paired customer was changed or deleted after the check; the row was planned
    /// against what it was then. Check the file again.
    ChangedSinceCheck { customer: i64 },
}

/// How a row's key clashes with the customer the row pairs with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct KeyClash {
    /// The customer the row pairs with, when it pairs (a new row clashing at commit names
    /// none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<i64>,
    /// The field that paired the row (`guid`, `login`, `email`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paired_by: Option<String>,
    /// The paired customer's own value of the clashing field, when it has another one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored: Option<String>,
}

impl IssueCode {
    /// Every code, for documentation (the OpenAPI document lists them).
    pub const CODES: &[&str] = &[
        "invalid_email",
        "invalid_phone",
        "invalid_country",
        "invalid_language",
        "invalid_date",
        "invalid_number",
        "invalid_integer",
        "invalid_choice",
        "invalid_shop_ids",
        "too_long",
        "control_character",
        "invalid_blank",
        "too_many_cells",
        "too_few_cells",
        "broken_quote",
        "unmappable_character",
        "missing_required",
        "missing_email",
        "missing_identity",
        "unknown_pricelist",
        "unknown_group",
        "unknown_agreement",
        "customer_exists",
        "duplicate_login",
        "duplicate_email",
        "login_taken",
        "email_taken",
        "guid_taken",
        "changed_since_check",
    ];

    /// The stable code (`invalid_email`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::InvalidEmail => "invalid_email",
            Self::InvalidPhone => "invalid_phone",
            Self::InvalidCountry => "invalid_country",
            Self::InvalidLanguage => "invalid_language",
            Self::InvalidDate { .. } => "invalid_date",
            Self::InvalidNumber => "invalid_number",
            Self::InvalidInteger => "invalid_integer",
            Self::InvalidChoice { .. } => "invalid_choice",
            Self::InvalidShopIds => "invalid_shop_ids",
            Self::TooLong { .. } => "too_long",
            Self::ControlCharacter { .. } => "control_character",
            Self::InvalidBlank => "invalid_blank",
            Self::TooManyCells { .. } => "too_many_cells",
            Self::TooFewCells { .. } => "too_few_cells",
            Self::BrokenQuote { .. } => "broken_quote",
            Self::UnmappableCharacter { .. } => "unmappable_character",
            Self::MissingRequired { .. } => "missing_required",
            Self::MissingEmail { .. } => "missing_email",
            Self::MissingIdentity { .. } => "missing_identity",
            Self::UnknownPricelist { .. } => "unknown_pricelist",
            Self::UnknownGroup { .. } => "unknown_group",
            Self::UnknownAgreement { .. } => "unknown_agreement",
            Self::CustomerExists { .. } => "customer_exists",
            Self::DuplicateLogin { .. } => "duplicate_login",
            Self::DuplicateEmail { .. } => "duplicate_email",
            Self::LoginTaken(_) => "login_taken",
            Self::EmailTaken(_) => "email_taken",
            Self::GuidTaken(_) => "guid_taken",
            Self::ChangedSinceCheck { .. } => "changed_since_check",
        }
    }
}

impl From<&ValueError> for IssueCode {
    fn from(err: &ValueError) -> Self {
        match err {
            ValueError::Email(_) => Self::InvalidEmail,
            ValueError::Phone(_) => Self::InvalidPhone,
            ValueError::Country(_) => Self::InvalidCountry,
            ValueError::Language(_) => Self::InvalidLanguage,
            ValueError::Date { expected, .. } => Self::InvalidDate {
                expected: expected.clone(),
            },
            ValueError::Decimal(_) => Self::InvalidNumber,
            ValueError::Integer(_) => Self::InvalidInteger,
            ValueError::Choice { allowed, .. } => Self::InvalidChoice {
                allowed: allowed.clone(),
            },
            ValueError::ShopIds(_) => Self::InvalidShopIds,
            ValueError::TooLong { len, max } => Self::TooLong {
                len: *len,
                max: *max,
            },
            ValueError::ControlCharacter { character, .. } => Self::ControlCharacter {
                character: character.clone(),
            },
            ValueError::Blank(_) => Self::InvalidBlank,
        }
    }
}

/// Why one row cannot be imported as it is: located (column, field, value) and coded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RowIssue {
    /// What is wrong, with its arguments.
    #[serde(flatten)]
    pub code: IssueCode,
    /// The column's header as in the file, when the issue is about one cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The model field concerned, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The offending value as it stood in the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// A warning does not reject the row: the value is ignored and the rest imports
    /// (Shoptet: a country the shop does not deliver to; a pricelist that does not exist).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub warning: bool,
}

impl RowIssue {
    /// An issue of the row as a whole.
    pub fn row(code: IssueCode) -> Self {
        Self {
            code,
            column: None,
            field: None,
            value: None,
            warning: false,
        }
    }

    /// An issue of one field of the row.
    pub fn field(code: IssueCode, field: impl Into<String>) -> Self {
        Self {
            field: Some(field.into()),
            ..Self::row(code)
        }
    }

    /// An invalid cell. The value is kept as it stood, except that a value with a
    /// control character is kept escaped and one too long is cut to its start.
    pub fn cell(column: &str, field: Option<String>, value: &str, err: &ValueError) -> Self {
        let value = match err {
            ValueError::ControlCharacter { value, .. } => value.clone(),
            ValueError::TooLong { .. } => {
                let start: String = value.chars().take(40).collect();
                format!("{}...", crate::limits::escape(&start))
            }
            _ => value.to_string(),
        };
        Self {
            column: Some(column.to_string()),
            field,
            value: Some(value),
            ..Self::row(err.into())
        }
    }

    /// The same issue with the offending value.
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// The same issue about a column of the file.
    pub fn in_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    /// The same issue as a warning, which does not reject the row.
    pub fn as_warning(mut self) -> Self {
        self.warning = true;
        self
    }

    /// Whether the issue is about the row's structure (its cells do not line up with the
    /// header), so that no field of it can be trusted.
    pub fn is_structural(&self) -> bool {
        matches!(
            self.code,
            IssueCode::TooManyCells { .. }
                | IssueCode::TooFewCells { .. }
                | IssueCode::BrokenQuote { .. }
        )
    }
}

/// What became of a row that is not (or no longer) waiting: its result after a commit, or
/// why it was skipped. Rendered like [`IssueCode`], in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum RowNote {
    /// The commit created this customer.
    Created { customer: i64 },
    /// The commit changed this customer.
    Updated { customer: i64 },
    /// The paired customer already held every value of the row.
    Unchanged { customer: i64 },
    /// The user left the row out.
    SkippedByUser,
    /// The row pairs with a stored customer and the policy says such rows are skipped.
    SkippedExisting { customer: i64, paired_by: String },
    /// The row pairs with a stored customer by another key than the one the dialect
    /// updates by (Shoptet updates only by guid).
    SkippedWithoutKey {
        customer: i64,
        paired_by: String,
        dialect: String,
        required: String,
    },
    /// The row's key appeared on an earlier line, and the dialect imports the first
    /// occurrence only (CloudCart); `field` is the repeated key, `value` its value.
    RepeatedInFile {
        line: u64,
        field: String,
        value: String,
    },
}

impl RowNote {
    /// Every code, for documentation (the OpenAPI document lists them).
    pub const CODES: &[&str] = &[
        "created",
        "updated",
        "unchanged",
        "skipped_by_user",
        "skipped_existing",
        "skipped_without_key",
        "repeated_in_file",
    ];

    /// The stable code (`created`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Created { .. } => "created",
            Self::Updated { .. } => "updated",
            Self::Unchanged { .. } => "unchanged",
            Self::SkippedByUser => "skipped_by_user",
            Self::SkippedExisting { .. } => "skipped_existing",
            Self::SkippedWithoutKey { .. } => "skipped_without_key",
            Self::RepeatedInFile { .. } => "repeated_in_file",
        }
    }
}

/// English sentences for codes, as the command line prints them.
mod english {
    use std::fmt;

    use super::{IssueCode, KeyClash, RowIssue, RowNote};

    fn clash(f: &mut fmt::Formatter<'_>, what: &str, c: &KeyClash, value: &str) -> fmt::Result {
        match (c.customer, &c.paired_by, &c.stored) {
            (Some(id), Some(by), Some(stored)) => write!(
                f,
                "the row's {by} belongs to customer {id}, whose {what} is '{stored}', not '{value}'; correct the row or the customer"
            ),
            (Some(id), Some(by), None) => write!(
                f,
                "the row pairs with customer {id} by {by}, but its {what} '{value}' belongs to another customer; correct one of them"
            ),
            _ => write!(
                f,
                "the {what} '{value}' is already used by another customer"
            ),
        }
    }

    impl fmt::Display for RowIssue {
        /// `column 'email': 'x' is not a valid e-mail address ...`, with `warning: ` first
        /// for a warning.
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            if self.warning {
                f.write_str("warning: ")?;
            }
            if let Some(column) = &self.column {
                write!(f, "column '{column}': ")?;
            }
            let value = self.value.as_deref().unwrap_or("");
            let field = self.field.as_deref().unwrap_or("");
            match &self.code {
                IssueCode::InvalidEmail => write!(
                    f,
                    "'{value}' is not a valid e-mail address; write it as name@domain, e.g. jan@example.pl"
                ),
                IssueCode::InvalidPhone => write!(
                    f,
                    "'{value}' is not a phone number; use digits with an optional leading +, e.g. +48123456789"
                ),
                IssueCode::InvalidCountry => write!(
                    f,
                    "'{value}' is not a country; use an ISO 3166-1 code such as PL or CZ, or the country's name"
                ),
                IssueCode::InvalidLanguage => write!(
                    f,
                    "'{value}' is not a language; use an ISO 639 code such as pl or pol"
                ),
                IssueCode::InvalidDate { expected } => write!(
                    f,
                    "'{value}' is not a date in the expected format {expected}"
                ),
                IssueCode::InvalidNumber => write!(
                    f,
                    "'{value}' is not a number; use digits with a decimal point or comma, e.g. 12.50"
                ),
                IssueCode::InvalidInteger => write!(f, "'{value}' is not a whole number"),
                IssueCode::InvalidChoice { allowed } => write!(
                    f,
                    "'{value}' is not allowed here; allowed values: {allowed}"
                ),
                IssueCode::InvalidShopIds => write!(
                    f,
                    "'{value}' is not a list of shop ids; write ids separated by commas without spaces, e.g. 1,2,3"
                ),
                IssueCode::TooLong { len, max } => write!(
                    f,
                    "the value is {len} characters long; at most {max} are allowed"
                ),
                IssueCode::ControlCharacter { character } => write!(
                    f,
                    "'{value}' holds the character {character}, which no customer value may hold; remove it"
                ),
                IssueCode::InvalidBlank => {
                    write!(f, "'{value}' must not contain spaces or line breaks")
                }
                IssueCode::TooManyCells { cells, expected } => write!(
                    f,
                    "the row has {cells} cells but the header has {expected}: a value probably contains an unquoted separator"
                ),
                IssueCode::TooFewCells { cells, expected } => write!(
                    f,
                    "the row has {cells} cells but the header has {expected}: cells are missing or the row was split"
                ),
                IssueCode::BrokenQuote { cells, expected } => write!(
                    f,
                    "the row has {cells} cells instead of {expected} and a quoted cell runs over several lines: a quote (\") is probably not closed"
                ),
                IssueCode::UnmappableCharacter { encoding } => {
                    let code = value.chars().next().map(|c| c as u32).unwrap_or(0);
                    write!(
                        f,
                        "the character '{value}' (U+{code:04X}) cannot be written in {encoding}; choose --encoding utf-8 or change the value"
                    )
                }
                IssueCode::MissingRequired {
                    dialect,
                    new_only: false,
                } => write!(f, "{field} is required in every {dialect} row; fill it in"),
                IssueCode::MissingRequired {
                    dialect,
                    new_only: true,
                } => write!(
                    f,
                    "{field} is required for a new {dialect} customer; fill it in"
                ),
                IssueCode::MissingEmail { dialect } => write!(
                    f,
                    "the row has no e-mail address; {dialect} imports need one, so the row is skipped"
                ),
                IssueCode::MissingIdentity { fields } => write!(
                    f,
                    "the row has no {}; fill in at least one of them",
                    fields.join(" or ")
                ),
                IssueCode::UnknownPricelist { name } => write!(
                    f,
                    "the pricelist '{name}' does not exist, so it is not applied; add it with `custio pricelists add`"
                ),
                IssueCode::UnknownGroup { names } => write!(
                    f,
                    "the group(s) {} do not exist and are not created",
                    names.join(", ")
                ),
                IssueCode::UnknownAgreement { name } => write!(
                    f,
                    "the agreement '{name}' does not exist, so it is ignored; add it with `custio agreements add`"
                ),
                IssueCode::CustomerExists {
                    customer,
                    paired_by,
                } => write!(
                    f,
                    "customer {customer} already exists (paired by {paired_by}) and the on-existing policy is 'fail'"
                ),
                IssueCode::DuplicateLogin { line } => write!(
                    f,
                    "the login '{value}' already appears on line {line}; each customer may appear in the file once"
                ),
                IssueCode::DuplicateEmail { line } => write!(
                    f,
                    "the e-mail '{value}' already appears on line {line}; each customer may appear in the file once"
                ),
                IssueCode::LoginTaken(c) => clash(f, "login", c, value),
                IssueCode::EmailTaken(c) => clash(f, "email", c, value),
                IssueCode::GuidTaken(c) => clash(f, "guid", c, value),
                IssueCode::ChangedSinceCheck { customer } => write!(
                    f,
                    "customer {customer} was changed after the check; check the file again to see the row against the customer as it is now"
                ),
            }
        }
    }

    impl fmt::Display for RowNote {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                RowNote::Created { customer } => write!(f, "created customer {customer}"),
                RowNote::Updated { customer } => write!(f, "updated customer {customer}"),
                RowNote::Unchanged { .. } => f.write_str("no change needed"),
                RowNote::SkippedByUser => f.write_str("skipped by the user"),
                RowNote::SkippedExisting {
                    customer,
                    paired_by,
                } => write!(
                    f,
                    "customer {customer} exists (paired by {paired_by}); skipped by the on-existing policy 'skip'"
                ),
                RowNote::SkippedWithoutKey {
                    customer,
                    paired_by,
                    dialect,
                    required,
                } => write!(
                    f,
                    "customer {customer} already has this {paired_by}, but the row has no {required}; {dialect} updates a customer only by its {required}, so the row is skipped"
                ),
                RowNote::RepeatedInFile { line, field, value } => {
                    let what = if field == "email" {
                        "e-mail"
                    } else {
                        field.as_str()
                    };
                    write!(
                        f,
                        "the {what} '{value}' already appears on line {line}; the first occurrence is imported"
                    )
                }
            }
        }
    }
}
