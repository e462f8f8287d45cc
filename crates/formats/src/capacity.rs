//! What a dialect's file can hold, derived from its column table: the fields its columns
//! write (keyed fields such as `custom_fields.vip` or `stats.orders_worth_in_shop: 2`
//! through the columns' header patterns). `custio convert` reports, once per field, what
//! the target cannot hold; the cross-dialect matrix of `docs/formats.md` is built from the
//! same answers.
//!
//! ```
//! use custio_formats::{Capacity, Reach, dialect};
//! use custio_model::Field;
//!
//! let shoptet = Capacity::of(dialect("shoptet").unwrap(), Reach::Writes);
//! assert!(shoptet.holds(&Field::BillingFullName));
//! assert!(!shoptet.holds(&Field::Stat("orders_all".into())));
//! ```

use custio_model::{Customer, Field};

use crate::column::{CellContext, Column, Direction, HeaderPattern};
use crate::dialect::{Dialect, WriteOptions};

/// Which columns count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Columns the writer puts out: the file carries the value, even where the platform
    /// only exports it (CloudCart's phone).
    Writes,
    /// Columns written and read back by the same dialect: the value survives a write and a
    /// read (export-only figures count, they are kept in `stats`).
    RoundTrips,
}

/// What one dialect's file holds.
#[derive(Clone)]
pub struct Capacity {
    dialect: &'static dyn Dialect,
    reach: Reach,
    /// Custom-field keys that get a column (`None`: any key).
    custom_field_keys: Option<Vec<String>>,
    /// Shops that get per-shop columns (`None`: any shop).
    shop_ids: Option<Vec<u32>>,
    with_password_hashes: bool,
}

impl std::fmt::Debug for Capacity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Capacity")
            .field("dialect", &self.dialect.id())
            .field("reach", &self.reach)
            .field("custom_field_keys", &self.custom_field_keys)
            .field("shop_ids", &self.shop_ids)
            .field("with_password_hashes", &self.with_password_hashes)
            .finish()
    }
}

impl Capacity {
    /// What the dialect can hold at all: any custom-field key, any shop, password hashes
    /// when an export asks for them.
    pub fn of(dialect: &'static dyn Dialect, reach: Reach) -> Self {
        Self {
            dialect,
            reach,
            custom_field_keys: None,
            shop_ids: None,
            with_password_hashes: true,
        }
    }

    /// What a writer opened with `options` puts out: only the listed custom-field keys and
    /// shops get their columns, hashes only when asked for.
    pub fn for_writer(dialect: &'static dyn Dialect, options: &WriteOptions) -> Self {
        Self {
            dialect,
            reach: Reach::Writes,
            custom_field_keys: Some(options.custom_field_keys.clone()),
            shop_ids: Some(options.shop_ids.clone()),
            with_password_hashes: options.with_password_hashes,
        }
    }

    /// The dialect this is the capacity of.
    pub fn dialect(&self) -> &'static dyn Dialect {
        self.dialect
    }

    fn counts(&self, column: &Column) -> bool {
        let reached = match self.reach {
            Reach::Writes => column.direction != Direction::Import,
            Reach::RoundTrips => column.direction != Direction::Import && column.is_read(),
        };
        reached
            && (self.with_password_hashes
                || !column
                    .fields(&context(self.dialect, "", None))
                    .contains(&Field::Password))
    }

    /// True when a column of the dialect carries `field`. A dialect that keeps the whole
    /// list of delivery addresses (or consents) holds each part of it.
    pub fn holds(&self, field: &Field) -> bool {
        let whole = if SHIPPING_PARTS.contains(field) {
            Some(Field::Shipping)
        } else if matches!(
            field,
            Field::AgreementStatus(_) | Field::AgreementTime(_) | Field::AgreementValidTo(_)
        ) {
            Some(Field::Agreements)
        } else {
            None
        };
        if whole.is_some_and(|w| self.holds(&w)) {
            return true;
        }
        self.dialect
            .columns()
            .iter()
            .filter(|c| self.counts(c))
            .any(|c| self.column_holds(c, field))
    }

    fn column_holds(&self, column: &Column, field: &Field) -> bool {
        let listed = |header: &str, param: Option<&str>| {
            column
                .fields(&context(self.dialect, header, param))
                .iter()
                .any(|f| covers(f, field))
        };
        match column.header {
            HeaderPattern::Exact(name) => listed(name, None),
            HeaderPattern::Prefix(prefix) => params(self.dialect, prefix, field)
                .into_iter()
                .filter(|p| match &self.shop_ids {
                    Some(ids) => p.parse::<u32>().is_ok_and(|id| ids.contains(&id)),
                    None => true,
                })
                .any(|p| listed(&column.key(&p), Some(&p))),
            HeaderPattern::CustomField(prefix) | HeaderPattern::Param { name: prefix, .. } => {
                params(self.dialect, prefix, field)
                    .into_iter()
                    .filter(|p| {
                        self.custom_field_keys
                            .as_ref()
                            .is_none_or(|keys| keys.contains(p))
                    })
                    .any(|p| listed(&column.key(&p), Some(&p)))
            }
        }
    }

    /// The fields `customer` has a value for that this dialect does not hold, in field
    /// order. Delivery addresses count as `shipping` when the dialect keeps the whole list,
    /// else as the first address's `shipping.*` fields plus `shipping` for the addresses
    /// after it.
    pub fn lost(&self, customer: &Customer) -> Vec<Field> {
        let mut lost = Vec::new();
        for field in carried(customer) {
            match &field {
                Field::Shipping if !self.holds(&field) => {
                    lost.extend(
                        SHIPPING_PARTS
                            .iter()
                            .filter(|f| customer.get(f).is_some() && !self.holds(f))
                            .cloned(),
                    );
                    if customer.shipping.len() > 1 {
                        lost.push(field);
                    }
                }
                Field::Agreements if !self.holds(&field) => {
                    let each = customer.agreements.iter().all(|a| {
                        self.holds(&Field::AgreementStatus(a.name.clone()))
                            && (a.time.is_none()
                                || self.holds(&Field::AgreementTime(a.name.clone())))
                            && (a.valid_to.is_none()
                                || self.holds(&Field::AgreementValidTo(a.name.clone())))
                    });
                    if !each {
                        lost.push(field);
                    }
                }
                _ if !self.holds(&field) => lost.push(field),
                _ => {}
            }
        }
        lost.sort();
        lost
    }
}

/// The fields of the first delivery address.
const SHIPPING_PARTS: &[Field] = &[
    Field::ShippingGuid,
    Field::ShippingFullName,
    Field::ShippingCompany,
    Field::ShippingStreet,
    Field::ShippingHouseNumber,
    Field::ShippingCity,
    Field::ShippingDistrict,
    Field::ShippingZip,
    Field::ShippingCountry,
    Field::ShippingPhone,
];

/// Every field `customer` has a value for, other than the value a new customer has anyway
/// (an active account is no information a file must carry): the fixed fields (delivery
/// addresses and consents as whole lists), then each custom field, figure and
/// dialect-specific value.
pub fn carried(customer: &Customer) -> Vec<Field> {
    let blank = Customer::default();
    let mut fields: Vec<Field> = Field::FIXED
        .iter()
        .filter(|f| !SHIPPING_PARTS.contains(f))
        .filter(|f| {
            let value = customer.get(f);
            value.is_some() && value != blank.get(f)
        })
        .cloned()
        .collect();
    fields.extend(
        customer
            .custom_fields
            .keys()
            .cloned()
            .map(Field::CustomField),
    );
    fields.extend(customer.stats.keys().cloned().map(Field::Stat));
    fields.extend(customer.extra.keys().cloned().map(Field::Extra));
    fields
}

fn context<'a>(
    dialect: &'static dyn Dialect,
    header: &'a str,
    param: Option<&'a str>,
) -> CellContext<'a> {
    CellContext {
        dialect: dialect.id(),
        header,
        param,
    }
}

/// True when a column listing `listed` carries `field`. A listed custom field with an
/// empty key stands for every key (IOF keeps all of them in one element).
fn covers(listed: &Field, field: &Field) -> bool {
    listed == field
        || matches!((listed, field), (Field::CustomField(any), Field::CustomField(_)) if any.is_empty())
}

/// The header parameters under which a column with `prefix` could carry `field`: the
/// field's key, without the dialect's `extra` prefix, without the column's own prefix.
fn params(dialect: &dyn Dialect, prefix: &str, field: &Field) -> Vec<String> {
    let key = match field {
        Field::CustomField(k)
        | Field::Stat(k)
        | Field::Extra(k)
        | Field::AgreementStatus(k)
        | Field::AgreementTime(k)
        | Field::AgreementValidTo(k) => k.as_str(),
        _ => return Vec::new(),
    };
    let own = format!("{}.", dialect.id());
    let mut out = Vec::new();
    for k in [Some(key), key.strip_prefix(own.as_str())]
        .into_iter()
        .flatten()
    {
        out.push(k.trim().to_string());
        if let Some(rest) = k
            .get(..prefix.len())
            .filter(|head| !prefix.is_empty() && head.eq_ignore_ascii_case(prefix))
            .map(|_| &k[prefix.len()..])
        {
            out.push(rest.trim().to_string());
        }
    }
    out.retain(|p| !p.is_empty());
    out
}
