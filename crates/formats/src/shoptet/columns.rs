//! Shoptet's customer columns, in the order of the import help page's table.

use custio_model::{Customer, CustomerPatch, Field, Value, ValueError};

use crate::column::{CellContext, Codec, Column, Direction};
use crate::names;

/// `registrationDate` as exported.
const DATE_WRITE: &str = "%Y-%m-%d %H:%M:%S";
/// The three forms the help page allows.
const DATE_READ: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y-%m-%d",
];
const COUNTRY_RULE: &str = "ISO 3166-1 code (CZ) or the country's Czech, Slovak or English name; written as the code. \
A country the shop does not know is ignored with a warning";

const fn column(
    name: &'static str,
    codec: Codec,
    meaning: &'static str,
    rule: &'static str,
) -> Column {
    Column::exact(name, codec, Direction::Both, meaning, rule)
}

const fn text(name: &'static str, field: Field, meaning: &'static str) -> Column {
    column(name, Codec::Plain(field), meaning, "text")
}

/// Every Shoptet column.
pub static COLUMNS: &[Column] = &[
    column(
        "email",
        Codec::Plain(Field::Email),
        "Login e-mail of the customer, unique in the shop",
        "name@domain; required in every row. A row whose e-mail already exists and that has no guid is skipped",
    ),
    column(
        "billingFullName",
        Codec::Custom {
            read: names::read_billing_name,
            write: names::write_billing_name,
            fields: &[Field::BillingFullName],
        },
        "Billing name of the customer",
        "text; required in every row (billingFullname is the same column); written from the full name, or first and last name, when the customer has no billing name",
    ),
    column(
        "guid",
        Codec::Plain(Field::Guid),
        "The shop's global id of the customer",
        "UUID text as exported (d7cc9ff4-9a15-11e3-bb01-ac162d8a2454); pairs the row with a stored customer. \
Leave it empty for new customers: one is generated",
    ),
    column(
        "registrationDate",
        Codec::Date {
            field: Field::RegisteredAt,
            write: DATE_WRITE,
            read: DATE_READ,
        },
        "Registration date",
        "YYYY-MM-DD HH:MM:SS, DD.MM.YYYY HH:MM or DD.MM.YYYY HH:MM:SS, or a date alone (DD.MM.YYYY, \
YYYY-MM-DD: midnight); written as YYYY-MM-DD HH:MM:SS. \
Drop the column to leave dates as they are",
    ),
    text(
        "billingCompany",
        Field::CompanyName,
        "Company name, when the customer buys as a company",
    ),
    text(
        "companyId",
        Field::CompanyNumber,
        "Company registration number (IČ)",
    ),
    text("vatId", Field::VatId, "VAT id (DIČ)"),
    text("identificationNumber", Field::TaxId, "Tax id (TIN)"),
    text("billingStreet", Field::BillingStreet, "Billing street"),
    text(
        "billingHouseNumber",
        Field::BillingHouseNumber,
        "Billing house number",
    ),
    text("billingCity", Field::BillingCity, "Billing city"),
    text(
        "billingDistrict",
        Field::BillingDistrict,
        "Billing district (okres)",
    ),
    column(
        "billingCountry",
        Codec::Plain(Field::BillingCountry),
        "Billing country",
        COUNTRY_RULE,
    ),
    text("billingZip", Field::BillingZip, "Billing zip code"),
    column(
        "shippingGuid",
        Codec::Plain(Field::ShippingGuid),
        "The shop's global id of the exported delivery address (one of possibly several)",
        "UUID text as exported: keep it to update that address; remove the column or the value to add another address",
    ),
    text("shippingFullName", Field::ShippingFullName, "Delivery name"),
    text(
        "shippingCompany",
        Field::ShippingCompany,
        "Delivery company name",
    ),
    text("shippingStreet", Field::ShippingStreet, "Delivery street"),
    text(
        "shippingHouseNumber",
        Field::ShippingHouseNumber,
        "Delivery house number",
    ),
    text("shippingCity", Field::ShippingCity, "Delivery city"),
    column(
        "shippingCountry",
        Codec::Plain(Field::ShippingCountry),
        "Delivery country",
        COUNTRY_RULE,
    ),
    text("shippingZip", Field::ShippingZip, "Delivery zip code"),
    column(
        "accountGuid",
        Codec::Extra,
        "The shop's global id of the exported login account (one of possibly several)",
        "UUID text as exported: keep it to update that account, remove it to add another; kept as is",
    ),
    column(
        "phone",
        Codec::Plain(Field::Phone),
        "Phone number",
        "digits with an optional leading +; spaces, dashes and brackets are dropped",
    ),
    column(
        "customerGroup",
        Codec::Custom {
            read: read_group,
            write: write_group,
            fields: &[Field::Groups],
        },
        "Customer group",
        "one group name; a customer in several groups is exported with the first",
    ),
    column(
        "extraDiscountPct",
        Codec::Plain(Field::DiscountPct),
        "Additional discount of the customer, in percent",
        "a number such as 3 or 2,5 (decimal comma or dot); written with a dot",
    ),
    column(
        "pricelistName",
        Codec::Plain(Field::Pricelist),
        "Pricelist assigned to the customer",
        "the name of an existing pricelist (needs the wholesale add-on); an unknown name is ignored with a warning",
    ),
    text("remark", Field::Note, "Note about the customer"),
    column(
        "emailVerified",
        Codec::Flag {
            field: Field::EmailVerified,
            yes: &["1", "true", "yes", "ano"],
            no: &["0", "false", "no", "ne"],
        },
        "Whether the customer's e-mail is verified",
        "1 or 0; true/false, yes/no and ano/ne are accepted",
    ),
];

fn read_group(cell: &str, _: &CellContext, p: &mut CustomerPatch) -> Result<(), ValueError> {
    p.set(Field::Groups, Value::Texts(vec![cell.trim().to_string()]));
    Ok(())
}

fn write_group(c: &Customer, _: &CellContext) -> String {
    c.groups.first().cloned().unwrap_or_default()
}
