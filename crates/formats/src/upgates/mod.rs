//! UPgates (Czech Republic, Slovakia): the customer CSV with bracketed headers (`[EMAIL]`)
//! and parameterised ones (`[META „vip_level“]`, `[AGREEMENT_STATUS „name“]`). The column
//! table is in [`columns`]; the rules that need several cells of a row (the customer kind,
//! the delivery name) are in [`finish_row`].
//!
//! Rules, as data ([`ImportRules`]): customers pair by e-mail, the only required column; an
//! empty cell deletes the stored value and a missing column keeps it; without
//! `[CUSTOMER_YN]` a new customer is a contact; `[PRICELIST]` and agreements pair with what
//! the shop already has and are never created.

mod columns;

use custio_model::{Field, Kind, Value, parse_bool};

use crate::RowIssue;
use crate::TextEncoding;
use crate::dialect::{EmptyCell, ImportRules};
use crate::tabular::{RowView, TabularDialect};
use custio_model::CustomerPatch;

pub use columns::COLUMNS;
use columns::{NO, YES};

/// The UPgates customer CSV.
pub static UPGATES: TabularDialect = TabularDialect {
    id: "upgates",
    name: "UPgates",
    about: "UPgates' customer CSV: ';'-separated, Windows-1250 by default (UTF-8 is detected and read too), headers in square brackets, \
columns in any order, unknown columns ignored. Customers pair by [EMAIL], the only required column. \
An empty cell deletes the stored value; a column left out keeps it. \
[CUSTOMER_YN] and [COMPANY_YN] make a contact (0/0), a person (1/0) or a company (1/1); neither given: contact; \
[CUSTOMER_YN]=1 without [FIRSTNAME] and [SURNAME]: contact. \
Parameterised columns ([META „key“], [AGREEMENT_STATUS „name“], ...) take Czech or ASCII quotes; Czech quotes are written. \
[TURNOVER], [TURNOVER_CURRENCY] and [ORDER_COUNT] are export-only; agreement columns are import-only.",
    delimiter: b';',
    read_delimiters: &[],
    legacy_encoding: TextEncoding::Windows1250,
    write_encoding: TextEncoding::Windows1250,
    columns: COLUMNS,
    rules: ImportRules {
        pair_by: &[Field::Email],
        identity: &[Field::Email],
        required_for_new: &[Field::Email],
        now_if_empty_for_new: &[],
        empty_cell: EmptyCell::Clear,
        required: &[Field::Email],
        update_requires: None,
        defaults_for_new: &[(Field::Kind, Value::Kind(Kind::Contact))],
        existing_only: &[Field::Pricelist],
        existing_agreements_only: true,
        warn_invalid: &[],
        new_shipping_without_guid: false,
        create_missing_groups: true,
        ignore_unknown_columns: true,
        ..ImportRules::BASE
    },
    full_export: None,
    finish_row: Some(finish_row),
};

/// The rules over several cells: the customer kind from `[CUSTOMER_YN]`, `[COMPANY_YN]`
/// and the names (a pricelist applies only to customers, not contacts), and the delivery
/// name from `[POSTAL_FIRSTNAME]` and `[POSTAL_SURNAME]`.
pub fn finish_row(row: &RowView, patch: &mut CustomerPatch, _issues: &mut Vec<RowIssue>) {
    // An empty or invalid flag counts as 0; an invalid one is reported by its column.
    let flag = |key: &str| {
        row.cell(key)
            .map(|c| parse_bool(c, YES, NO).unwrap_or(false))
    };
    let customer = flag("[CUSTOMER_YN]");
    let company = flag("[COMPANY_YN]");
    if customer.is_some() || company.is_some() {
        let company = company.unwrap_or(false);
        let customer = customer.unwrap_or(company);
        let named = |f: Field| matches!(patch.value(&f), Some(Value::Text(t)) if !t.is_empty());
        let kind = match (customer, company) {
            (true, _) if !(named(Field::FirstName) && named(Field::LastName)) => Kind::Contact,
            (true, true) => Kind::Company,
            (true, false) => Kind::Person,
            (false, _) => Kind::Contact,
        };
        patch.set(Field::Kind, Value::Kind(kind));
        if kind == Kind::Contact {
            patch.keep(&Field::Pricelist);
        }
    }

    let first = row.cell("[POSTAL_FIRSTNAME]");
    let last = row.cell("[POSTAL_SURNAME]");
    if first.is_some() || last.is_some() {
        let name = [first, last]
            .into_iter()
            .flatten()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if !name.is_empty() {
            patch.set(Field::ShippingFullName, Value::Text(name));
        } else if row.empty_cell() == EmptyCell::Clear {
            patch.clear(Field::ShippingFullName);
        }
    }
}
