//! The customer data model of custio.
//!
//! Every dialect reader produces [`CustomerPatch`]es, the store keeps [`Customer`]s, and
//! the two meet through the field catalogue ([`Field`]): a patch names fields, a customer
//! gets and sets them by name. Values are parsed once into types that are valid by
//! construction ([`Email`], [`Phone`], [`Country`], [`Language`], ...), so nothing
//! downstream re-checks them.
//!
//! ```
//! use custio_model::{Customer, CustomerPatch, Field, Value, Email};
//!
//! let mut patch = CustomerPatch::default();
//! patch.set(Field::Email, Value::Email(Email::parse("Jan@Example.pl").unwrap()));
//! let mut customer = Customer::default();
//! patch.apply(&mut customer);
//! assert_eq!(customer.email.unwrap().key(), "jan@example.pl");
//! ```

pub mod codec;
mod customer;
mod error;
mod field;
mod iso;
mod issue;
pub mod limits;
pub mod openapi;
mod patch;
mod values;

pub use customer::{Address, Agreement, Company, Customer, ShippingAddress};
pub use error::ValueError;
pub use field::{Field, FieldType, UnknownField, Value};
pub use issue::{IssueCode, KeyClash, RowIssue, RowNote};
pub use patch::{Change, CustomerPatch, FieldChange};
pub use rust_decimal::Decimal;
pub use values::{
    Consent, Country, DateTime, Email, Gender, Kind, Language, PasswordHash, Phone,
    format_datetime, parse_bool, parse_datetime, parse_decimal, parse_id_list, parse_integer,
    write_datetime,
};
