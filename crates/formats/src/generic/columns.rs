//! The generic columns: one per customer field, headed by the field's own name
//! (`first_name`, `billing.city`), so that a generic export imports back unchanged and a
//! foreign file needs a mapping only for the headers that are not field names.

use custio_model::{Field, Value};

use crate::column::{Codec, Column, Direction, HeaderPattern};

/// Yes/no spellings read in generic files (English, Polish, Czech/Slovak, Bulgarian); the
/// first of each is written.
const YES: &[&str] = &["yes", "true", "1", "t", "y", "tak", "ano", "áno", "да"];
const NO: &[&str] = &["no", "false", "0", "n", "nie", "ne", "не"];

const fn text(header: &'static str, field: Field, meaning: &'static str) -> Column {
    Column::exact(
        header,
        Codec::Plain(field),
        Direction::Both,
        meaning,
        "text",
    )
}

const fn typed(
    header: &'static str,
    field: Field,
    meaning: &'static str,
    rule: &'static str,
) -> Column {
    Column::exact(header, Codec::Plain(field), Direction::Both, meaning, rule)
}

const fn flag(header: &'static str, field: Field, meaning: &'static str) -> Column {
    Column::exact(
        header,
        Codec::Flag {
            field,
            yes: YES,
            no: NO,
        },
        Direction::Both,
        meaning,
        "yes/no (also true/false, 1/0, t/n, tak/nie, ano/ne, да/не); written as yes or no",
    )
}

const DATE: &str = "YYYY-MM-DD HH:MM:SS (also YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS, DD.MM.YYYY HH:MM[:SS], DD.MM.YYYY); written as YYYY-MM-DD HH:MM:SS";
const PHONE: &str = "phone number; only digits and a leading + are kept";
const COUNTRY: &str = "ISO 3166-1 alpha-2 code (PL) or the country's name; written as the code";
const DECIMAL: &str = "decimal number with a dot or a comma; written with a dot";
const CONSENT: &str = "yes, no, notset or excluded";
const LIST: &str = "comma-separated list";

fn keyed_text(raw: &str) -> Result<Value, custio_model::ValueError> {
    Ok(Value::Text(raw.trim().to_string()))
}

fn keyed_bool(raw: &str) -> Result<Value, custio_model::ValueError> {
    custio_model::parse_bool(raw, YES, NO).map(Value::Bool)
}

fn keyed_date(raw: &str) -> Result<Value, custio_model::ValueError> {
    custio_model::FieldType::DateTime.parse(raw)
}

fn write_value(value: &Value) -> String {
    value.to_string()
}

/// Every generic column, in the order of the full export.
pub static COLUMNS: &[Column] = &[
    text(
        "guid",
        Field::Guid,
        "The customer's global id in the shop it comes from",
    ),
    text(
        "login",
        Field::Login,
        "Login name; pairs the row with a stored customer after the e-mail",
    ),
    typed(
        "email",
        Field::Email,
        "E-mail address; pairs the row with a stored customer",
        "name@domain",
    ),
    text("code", Field::Code, "The shop's customer code or number"),
    typed(
        "kind",
        Field::Kind,
        "Contact, person or company",
        "contact, person or company; empty means person",
    ),
    typed("gender", Field::Gender, "Gender", "male or female"),
    text("degree", Field::Degree, "Academic degree or title"),
    text("first_name", Field::FirstName, "Given name"),
    text("last_name", Field::LastName, "Family name"),
    text(
        "full_name",
        Field::FullName,
        "Whole name, when the file does not split it",
    ),
    text("nickname", Field::Nickname, "Nickname"),
    text("company.name", Field::CompanyName, "Company name"),
    text(
        "company.company_number",
        Field::CompanyNumber,
        "Company registration number (REGON, IČO, ЕИК)",
    ),
    text(
        "company.vat_id",
        Field::VatId,
        "VAT id (EU VAT number, DIČ, ИН по ДДС)",
    ),
    text("company.tax_id", Field::TaxId, "Tax id (NIP)"),
    flag(
        "company.vat_payer",
        Field::VatPayer,
        "Whether the company pays VAT",
    ),
    typed("phone", Field::Phone, "Phone number", PHONE),
    typed("phone2", Field::Phone2, "Second phone number", PHONE),
    typed("fax", Field::Fax, "Fax number", PHONE),
    text(
        "billing.full_name",
        Field::BillingFullName,
        "Name on the billing address",
    ),
    text(
        "billing.company",
        Field::BillingCompany,
        "Company on the billing address",
    ),
    text(
        "billing.street",
        Field::BillingStreet,
        "Billing street (with the house number when the file has no separate column)",
    ),
    text(
        "billing.house_number",
        Field::BillingHouseNumber,
        "Billing house number",
    ),
    text("billing.city", Field::BillingCity, "Billing city"),
    text(
        "billing.district",
        Field::BillingDistrict,
        "Billing district or region",
    ),
    text("billing.zip", Field::BillingZip, "Billing postal code"),
    typed(
        "billing.country",
        Field::BillingCountry,
        "Billing country",
        COUNTRY,
    ),
    text(
        "shipping.guid",
        Field::ShippingGuid,
        "Id of the delivery address",
    ),
    text(
        "shipping.full_name",
        Field::ShippingFullName,
        "Name on the delivery address",
    ),
    text(
        "shipping.company",
        Field::ShippingCompany,
        "Company on the delivery address",
    ),
    text("shipping.street", Field::ShippingStreet, "Delivery street"),
    text(
        "shipping.house_number",
        Field::ShippingHouseNumber,
        "Delivery house number",
    ),
    text("shipping.city", Field::ShippingCity, "Delivery city"),
    text(
        "shipping.district",
        Field::ShippingDistrict,
        "Delivery district or region",
    ),
    text("shipping.zip", Field::ShippingZip, "Delivery postal code"),
    typed(
        "shipping.country",
        Field::ShippingCountry,
        "Delivery country",
        COUNTRY,
    ),
    typed(
        "shipping.phone",
        Field::ShippingPhone,
        "Phone for deliveries",
        PHONE,
    ),
    typed(
        "language",
        Field::Language,
        "Language of communication",
        "ISO 639-1 (pl) or 639-2 (pol) code; written as ISO 639-1",
    ),
    typed(
        "shops",
        Field::Shops,
        "The shops the customer belongs to",
        "comma-separated shop ids (1,2)",
    ),
    flag(
        "wholesaler",
        Field::Wholesaler,
        "Whether the customer buys at wholesale prices",
    ),
    typed("groups", Field::Groups, "Customer groups", LIST),
    text("pricelist", Field::Pricelist, "Pricelist name"),
    typed(
        "discount_pct",
        Field::DiscountPct,
        "Extra discount in percent",
        DECIMAL,
    ),
    typed(
        "loyalty_points",
        Field::LoyaltyPoints,
        "Loyalty points",
        "whole number",
    ),
    typed("balance", Field::Balance, "Account balance", DECIMAL),
    typed(
        "balance_limit",
        Field::BalanceLimit,
        "Limit of the account balance",
        DECIMAL,
    ),
    flag("active", Field::Active, "Whether the account is active"),
    flag("blocked", Field::Blocked, "Whether the account is blocked"),
    flag(
        "email_verified",
        Field::EmailVerified,
        "Whether the e-mail address was verified",
    ),
    typed(
        "newsletter_email",
        Field::NewsletterEmail,
        "E-mail newsletter consent",
        CONSENT,
    ),
    typed(
        "newsletter_email_shops",
        Field::NewsletterEmailShops,
        "Shops in which the e-mail consent was given",
        "comma-separated shop ids",
    ),
    typed(
        "newsletter_sms",
        Field::NewsletterSms,
        "SMS newsletter consent",
        CONSENT,
    ),
    typed(
        "newsletter_sms_shops",
        Field::NewsletterSmsShops,
        "Shops in which the SMS consent was given",
        "comma-separated shop ids",
    ),
    typed(
        "registered_at",
        Field::RegisteredAt,
        "Registration date",
        DATE,
    ),
    typed("last_login_at", Field::LastLoginAt, "Last login", DATE),
    typed("last_order_at", Field::LastOrderAt, "Last order", DATE),
    text("note", Field::Note, "Note about the customer"),
    typed("tags", Field::Tags, "Labels", LIST),
    Column {
        header: HeaderPattern::CustomField("custom_fields."),
        aliases: &[],
        label: "",
        codec: Codec::Keyed {
            field: Field::CustomField,
            read: keyed_text,
            write: write_value,
        },
        direction: Direction::Both,
        empty: None,
        meaning: "A shop-defined custom field; the export writes one column per key the base has",
        rule: "text",
    },
    Column {
        header: HeaderPattern::CustomField("agreements.status."),
        aliases: &[],
        label: "",
        codec: Codec::Keyed {
            field: Field::AgreementStatus,
            read: keyed_bool,
            write: write_value,
        },
        direction: Direction::Import,
        empty: None,
        meaning: "Whether the consent of this name was given",
        rule: "yes/no",
    },
    Column {
        header: HeaderPattern::CustomField("agreements.time."),
        aliases: &[],
        label: "",
        codec: Codec::Keyed {
            field: Field::AgreementTime,
            read: keyed_date,
            write: write_value,
        },
        direction: Direction::Import,
        empty: None,
        meaning: "When the consent of this name was given",
        rule: DATE,
    },
    Column {
        header: HeaderPattern::CustomField("agreements.valid_to."),
        aliases: &[],
        label: "",
        codec: Codec::Keyed {
            field: Field::AgreementValidTo,
            read: keyed_date,
            write: write_value,
        },
        direction: Direction::Import,
        empty: None,
        meaning: "Until when the consent of this name is valid",
        rule: DATE,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::column::CellContext;

    #[test]
    fn every_column_is_headed_by_the_field_it_holds() {
        let ctx = CellContext {
            dialect: "csv",
            header: "",
            param: None,
        };
        for column in COLUMNS {
            if let HeaderPattern::Exact(name) = column.header {
                assert_eq!(column.fields(&ctx), [Field::parse(name).unwrap()], "{name}");
            }
        }
        let fixed_but_structured = [Field::Shipping, Field::Agreements, Field::Password];
        for field in Field::FIXED {
            let listed = COLUMNS.iter().any(|c| c.name() == field.name());
            assert_eq!(
                listed,
                !fixed_but_structured.contains(field),
                "{field} should be listed unless it is a structured value"
            );
        }
    }
}
