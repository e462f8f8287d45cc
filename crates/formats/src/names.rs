//! Names a dialect needs in another shape than the customer has them. Shoptet requires a
//! billing name in every row; UPgates needs a first name and a surname for a customer with
//! an account. Their writers derive the missing shape from the names the customer has,
//! never replacing one it has, so an export, a conversion and the panel's files all say
//! the same; readers take each cell as it is.

use custio_model::{Customer, CustomerPatch, Field, ValueError};

use crate::column::CellContext;

/// The customer's whole name: the billing name, the full name, or first and last name.
fn whole(c: &Customer) -> Option<String> {
    if let Some(name) = c.billing.full_name.as_ref().or(c.full_name.as_ref()) {
        return Some(name.clone());
    }
    let joined = [c.first_name.as_deref(), c.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    (!joined.is_empty()).then_some(joined)
}

/// First and last name, split from the whole name at its first space when the customer
/// has neither.
fn split(c: &Customer) -> (Option<String>, Option<String>) {
    if c.first_name.is_some() || c.last_name.is_some() {
        return (c.first_name.clone(), c.last_name.clone());
    }
    let Some(whole) = c.billing.full_name.as_ref().or(c.full_name.as_ref()) else {
        return (None, None);
    };
    let whole = whole.trim();
    let (first, last) = whole.split_once(' ').unwrap_or((whole, ""));
    let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    (some(first), some(last))
}

pub(crate) fn write_billing_name(c: &Customer, _: &CellContext) -> String {
    whole(c).unwrap_or_default()
}

pub(crate) fn write_first_name(c: &Customer, _: &CellContext) -> String {
    split(c).0.unwrap_or_default()
}

pub(crate) fn write_last_name(c: &Customer, _: &CellContext) -> String {
    split(c).1.unwrap_or_default()
}

/// Reads a name cell as any text field is read.
fn read(field: Field, cell: &str, p: &mut CustomerPatch) -> Result<(), ValueError> {
    let value = field.ty().parse(cell)?;
    p.set(field, value);
    Ok(())
}

pub(crate) fn read_billing_name(
    cell: &str,
    _: &CellContext,
    p: &mut CustomerPatch,
) -> Result<(), ValueError> {
    read(Field::BillingFullName, cell, p)
}

pub(crate) fn read_first_name(
    cell: &str,
    _: &CellContext,
    p: &mut CustomerPatch,
) -> Result<(), ValueError> {
    read(Field::FirstName, cell, p)
}

pub(crate) fn read_last_name(
    cell: &str,
    _: &CellContext,
    p: &mut CustomerPatch,
) -> Result<(), ValueError> {
    read(Field::LastName, cell, p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_shape_is_derived_and_a_present_one_kept() {
        let ctx = CellContext {
            dialect: "",
            header: "",
            param: None,
        };
        let named = Customer {
            first_name: Some("Jan".into()),
            last_name: Some("Nowak".into()),
            ..Customer::default()
        };
        assert_eq!(write_billing_name(&named, &ctx), "Jan Nowak");
        let whole = Customer {
            full_name: Some("Ema Malá Nová".into()),
            ..Customer::default()
        };
        assert_eq!(
            (
                write_first_name(&whole, &ctx),
                write_last_name(&whole, &ctx)
            ),
            ("Ema".to_string(), "Malá Nová".to_string())
        );
        let billed = Customer {
            billing: custio_model::Address {
                full_name: Some("Firma s.r.o.".into()),
                ..Default::default()
            },
            ..named.clone()
        };
        assert_eq!(write_billing_name(&billed, &ctx), "Firma s.r.o.");
        assert_eq!(write_first_name(&billed, &ctx), "Jan");
    }
}
