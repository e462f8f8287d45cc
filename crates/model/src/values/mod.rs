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
