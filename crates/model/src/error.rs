use thiserror::Error;

/// Why a single value could not be accepted. Each variant has a stable [`code`](Self::code)
/// for scripts and a message a shop owner can act on.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum ValueError {
    /// Not an e-mail address.
    #[error("'{0}' is not a valid e-mail address; write it as name@domain, e.g. jan@example.pl")]
    Email(String),
    /// Not a phone number.
    #[error(
        "'{0}' is not a phone number; use digits with an optional leading +, e.g. +48123456789"
    )]
    Phone(String),
    /// Not a country we know.
    #[error(
        "'{0}' is not a country; use an ISO 3166-1 code such as PL or CZ, or the country's name"
    )]
    Country(String),
    /// Not a language we know.
    #[error("'{0}' is not a language; use an ISO 639 code such as pl or pol")]
    Language(String),
    /// A date or date-time in a format the column does not take.
    #[error("'{value}' is not a date in the expected format {expected}")]
    Date { value: String, expected: String },
    /// Not an exact decimal number.
    #[error("'{0}' is not a number; use digits with a decimal point or comma, e.g. 12.50")]
    Decimal(String),
    /// Not a whole number.
    #[error("'{0}' is not a whole number")]
    Integer(String),
    /// A value outside the column's allowed set.
    #[error("'{value}' is not allowed here; allowed values: {allowed}")]
    Choice { value: String, allowed: String },
    /// A list of shop ids that is not digits separated by commas.
    #[error(
        "'{0}' is not a list of shop ids; write ids separated by commas without spaces, e.g. 1,2,3"
    )]
    ShopIds(String),
    /// Text longer than the field can hold.
    #[error("the value is {len} characters long; at most {max} are allowed")]
    TooLong { len: usize, max: usize },
    /// A control character (NUL, ...) or the replacement character `U+FFFD`, which no
    /// value may hold; `value` shows it escaped, `character` is its code point (`U+0000`).
    #[error(
        "'{value}' holds the character {character}, which no customer value may hold; remove it"
    )]
    ControlCharacter { value: String, character: String },
    /// Text that must be a single line without leading or trailing blanks.
    #[error("'{0}' must not contain spaces or line breaks")]
    Blank(String),
}

impl ValueError {
    /// The stable machine-readable code of this error (`invalid_email`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Email(_) => "invalid_email",
            Self::Phone(_) => "invalid_phone",
            Self::Country(_) => "invalid_country",
            Self::Language(_) => "invalid_language",
            Self::Date { .. } => "invalid_date",
            Self::Decimal(_) => "invalid_number",
            Self::Integer(_) => "invalid_integer",
            Self::Choice { .. } => "invalid_choice",
            Self::ShopIds(_) => "invalid_shop_ids",
            Self::TooLong { .. } => "too_long",
            Self::ControlCharacter { .. } => "control_character",
            Self::Blank(_) => "invalid_blank",
        }
    }
}
