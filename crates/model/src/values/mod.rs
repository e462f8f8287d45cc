//! Value types that are valid by construction: parse once at the edge, trust afterwards.

mod choice;
mod country;
mod datetime;
mod email;
mod language;
mod number;
mod password;
mod phone;

pub use choice::{Consent, Gender, Kind};
pub use country::Country;
pub use datetime::{DateTime, format_datetime, parse_datetime, write_datetime};
pub use email::Email;
pub use language::Language;
pub use number::{parse_bool, parse_decimal, parse_id_list, parse_integer};
pub use password::PasswordHash;
pub use phone::Phone;

/// The OpenAPI schema of a value type written as a JSON string.
macro_rules! string_schema {
    ($($ty:ty => $about:literal),+ $(,)?) => {$(
        impl utoipa::PartialSchema for $ty {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::Type::String)
                    .description(Some($about))
                    .into()
            }
        }
        impl utoipa::ToSchema for $ty {}
    )+};
}

string_schema! {
    Email => "An e-mail address, as given (compared in lower case).",
    Phone => "A phone number: digits, with `+` and the country code when known.",
    Country => "ISO 3166-1 alpha-2 country code (`PL`).",
    Language => "ISO 639-1 language code (`pl`).",
}
