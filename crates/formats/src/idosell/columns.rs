//! IdoSell's customer columns, in the order of a real IdoSell export (seed 000's table
//! plus the columns of the real export header), with the Polish labels of the legacy kind.

use custio_model::{
    Consent, Country, Customer, CustomerPatch, Field, Gender, Kind, Language, Value, ValueError,
    parse_decimal, parse_id_list,
};

use crate::column::{CellContext, Codec, Column, Direction, HeaderPattern};

const DATE: &str = "%Y-%m-%d %H:%M:%S";
const DATES: &[&str] = &["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"];
const DATE_RULE: &str = "YYYY-MM-DD HH:MM:SS";
const YES_NO: &str = "t (yes) or n (no)";

const fn column(
    name: &'static str,
    label: &'static str,
    codec: Codec,
    direction: Direction,
    meaning: &'static str,
    rule: &'static str,
) -> Column {
    Column::exact(name, codec, direction, meaning, rule).with_label(label)
}

const fn stat(name: &'static str, label: &'static str, meaning: &'static str) -> Column {
    column(
        name,
        label,
        Codec::Stat,
        Direction::Export,
        meaning,
        "figure computed by the shop",
    )
}

const fn extra(
    name: &'static str,
    label: &'static str,
    meaning: &'static str,
    rule: &'static str,
) -> Column {
    column(name, label, Codec::Extra, Direction::Both, meaning, rule)
}

const fn flag(field: Field) -> Codec {
    Codec::Flag {
        field,
        yes: &["t"],
        no: &["n"],
    }
}

const fn date(field: Field) -> Codec {
    Codec::Date {
        field,
        write: DATE,
        read: DATES,
    }
}

/// Every IdoSell column.
pub static COLUMNS: &[Column] = &[
    column(
        "id",
        "ID",
        Codec::Custom {
            read: read_nothing,
            write: write_id,
            fields: &[],
        },
        Direction::Export,
        "Customer id in the exporting system",
        "number; ignored on import (ids differ between shops)",
    ),
    column(
        "login",
        "Login",
        Codec::Plain(Field::Login),
        Direction::Both,
        "Customer login",
        "text; pairs the row with a stored customer",
    ),
    column(
        "block_account",
        "Konto zablokowane",
        Codec::Flag {
            field: Field::Blocked,
            yes: &["y", "t", "1"],
            no: &["n", "0"],
        },
        Direction::Both,
        "Account blocked",
        "y (yes) or n (no); t and 1 also mean yes",
    ),
    column(
        "companyname",
        "Nazwa firmy",
        Codec::Plain(Field::CompanyName),
        Direction::Both,
        "Company name",
        "text",
    ),
    column(
        "firstname",
        "Imię",
        Codec::Plain(Field::FirstName),
        Direction::Both,
        "First name",
        "text; required for a new customer",
    ),
    column(
        "lastname",
        "Nazwisko",
        Codec::Plain(Field::LastName),
        Direction::Both,
        "Last name",
        "text; required for a new customer",
    ),
    column(
        "",
        "",
        Codec::Ignore,
        Direction::Both,
        "Unnamed column of IdoSell's export",
        "ignored",
    ),
    column(
        "wholesaler",
        "Hurtownik",
        flag(Field::Wholesaler),
        Direction::Both,
        "Wholesale customer",
        YES_NO,
    ),
    column(
        "taxidnumber",
        "NIP",
        Codec::Plain(Field::TaxId),
        Direction::Both,
        "Tax id (NIP)",
        "text",
    ),
    column(
        "phone",
        "Telefon",
        Codec::Plain(Field::Phone),
        Direction::Both,
        "Phone number",
        "digits, optional leading +; spaces and dashes are dropped",
    ),
    column(
        "phone2",
        "Telefon 2",
        Codec::Plain(Field::Phone2),
        Direction::Both,
        "Additional phone number",
        "as phone",
    ),
    column(
        "email",
        "E-mail",
        Codec::Plain(Field::Email),
        Direction::Both,
        "E-mail address",
        "name@domain; pairs the row when login does not",
    ),
    column(
        "street",
        "Ulica",
        Codec::Plain(Field::BillingStreet),
        Direction::Both,
        "Street, house and flat number",
        "text; required for a new customer",
    ),
    column(
        "zipcode",
        "Kod pocztowy",
        Codec::Plain(Field::BillingZip),
        Direction::Both,
        "Zip code",
        "text; required for a new customer",
    ),
    column(
        "city",
        "Miejscowość",
        Codec::Plain(Field::BillingCity),
        Direction::Both,
        "City",
        "text; required for a new customer",
    ),
    extra(
        "address",
        "Adres",
        "Address line of IdoSell's export",
        "text, kept as is",
    ),
    column(
        "country",
        "Kraj",
        Codec::Custom {
            read: read_country,
            write: write_country,
            fields: &[Field::BillingCountry],
        },
        Direction::Both,
        "Country",
        "ISO 3166-1 alpha-2 code, written in lower case (pl); country names are accepted",
    ),
    column(
        "language",
        "Język",
        Codec::Custom {
            read: read_language,
            write: write_language,
            fields: &[Field::Language],
        },
        Direction::Both,
        "Customer's language",
        "ISO 639-2/B code (pol); ISO 639-1 (pl) is accepted",
    ),
    column(
        "date_last_order",
        "Data ostatniego zamówienia",
        date(Field::LastOrderAt),
        Direction::Both,
        "Date of the last order",
        DATE_RULE,
    ),
    column(
        "recently_logged_on",
        "Data ostatniego logowania",
        date(Field::LastLoginAt),
        Direction::Both,
        "Date of the last login",
        "YYYY-MM-DD HH:MM:SS; empty: never logged in (IdoSell shows the import date; custio keeps none, so no export invents one)",
    ),
    column(
        "date_of_registration",
        "Data rejestracji",
        date(Field::RegisteredAt),
        Direction::Both,
        "Registration date",
        "YYYY-MM-DD HH:MM:SS; empty: the import time for a new customer",
    ),
    column(
        "shop",
        "Sklepy",
        Codec::Plain(Field::Shops),
        Direction::Both,
        "Shops the customer belongs to",
        "shop ids separated by commas without spaces: 1,2,3; unknown shops are created",
    ),
    column(
        "client_type",
        "Typ klienta",
        Codec::Custom {
            read: read_client_type,
            write: write_client_type,
            fields: &[Field::Kind, Field::Gender],
        },
        Direction::Both,
        "Customer type",
        "firm, private, male or female",
    ),
    column(
        "mailing",
        "Newsletter e-mail",
        Codec::Custom {
            read: read_mailing,
            write: write_mailing,
            fields: &[Field::NewsletterEmail, Field::NewsletterEmailShops],
        },
        Direction::Both,
        "E-mail newsletter consent",
        "t (yes, all shops), n (no) or shop ids 1,2,3 (yes in those shops)",
    ),
    column(
        "newsletter_sms",
        "Newsletter SMS",
        Codec::Custom {
            read: read_sms,
            write: write_sms,
            fields: &[Field::NewsletterSms, Field::NewsletterSmsShops],
        },
        Direction::Both,
        "SMS newsletter consent",
        "t, n or shop ids 1,2,3",
    ),
    column(
        "note_about_client",
        "Notatka",
        Codec::Plain(Field::Note),
        Direction::Both,
        "Note about the customer",
        "text",
    ),
    stat("opinions", "Liczba opinii", "Number of reviews added"),
    column(
        "labels",
        "Tagi",
        Codec::Plain(Field::Tags),
        Direction::Both,
        "Customer tags",
        "tags separated by commas",
    ),
    stat(
        "orders_send",
        "Zamówienia wykonane",
        "Number of fulfilled orders",
    ),
    stat("orders_all", "Wszystkie zamówienia", "Number of all orders"),
    stat(
        "products_observe",
        "Produkty obserwowane",
        "Watched products",
    ),
    stat("products_bought", "Produkty kupione", "Bought products"),
    stat(
        "assortment_positions",
        "Kupione pozycje asortymentowe",
        "Bought assortment positions",
    ),
    stat("orders_worth", "Wartość zamówień", "Value of all orders"),
    stat(
        "orders_worth_detail: net",
        "Wartość zamówień detalicznych netto",
        "Retail orders, net",
    ),
    stat(
        "orders_worth_detail: gross",
        "Wartość zamówień detalicznych brutto",
        "Retail orders, gross",
    ),
    stat(
        "orders_worth_wholesale: net",
        "Wartość zamówień hurtowych netto",
        "Wholesale orders, net",
    ),
    stat(
        "orders_worth_wholesale: gross",
        "Wartość zamówień hurtowych brutto",
        "Wholesale orders, gross",
    ),
    Column {
        header: HeaderPattern::Prefix("orders_worth_in_shop: "),
        aliases: &[],
        label: "Wartość zamówień w sklepie: ",
        codec: Codec::Stat,
        direction: Direction::Export,
        empty: None,
        meaning: "Value of all orders in one shop (one column per shop id)",
        rule: "figure computed by the shop; kept in stats on import",
    },
    stat("profit_margin", "Marża", "Profit margin"),
    stat(
        "average_orders_worth",
        "Średnia wartość zamówienia",
        "Average order value",
    ),
    stat(
        "average_products",
        "Średnia ilość towarów w zamówieniu",
        "Average products per order",
    ),
    stat("rma_all", "Reklamacje", "Number of complaints"),
    stat("returns_all", "Zwroty", "Number of returns"),
    stat(
        "returns_products_all",
        "Zwrócone towary",
        "Number of returned products",
    ),
    column(
        "ballance",
        "Saldo",
        Codec::Plain(Field::Balance),
        Direction::Both,
        "Account balance (IdoSell's spelling)",
        "decimal, point or comma",
    ),
    column(
        "balance_limit",
        "Limit zadłużenia",
        Codec::Plain(Field::BalanceLimit),
        Direction::Both,
        "Debt limit",
        "decimal",
    ),
    stat(
        "invoice_tc_count",
        "Ilość należności",
        "Number of receivables",
    ),
    stat(
        "invoice_tc_worth",
        "Wartość należności",
        "Value of receivables",
    ),
    column(
        "affiliate_program",
        "Program partnerski",
        Codec::Custom {
            read: read_affiliate_program,
            write: write_extra,
            fields: &[],
        },
        Direction::Both,
        "Affiliate programme membership",
        "n (no), t (yes, vouchers), c (yes, vouchers or cash), b (blocked)",
    ),
    extra("affiliate", "Partner", "Affiliate partner", "text"),
    stat(
        "affiliate_orders_all",
        "Zamówienia w programie partnerskim",
        "Orders in the affiliate programme",
    ),
    stat(
        "affiliate_orders_total",
        "Obrót w programie partnerskim",
        "Turnover in the affiliate programme",
    ),
    column(
        "loyalty_points",
        "Punkty lojalnościowe",
        Codec::Plain(Field::LoyaltyPoints),
        Direction::Both,
        "Loyalty points",
        "whole number",
    ),
    column(
        "rebate",
        "Rabat",
        Codec::Custom {
            read: read_rebate,
            write: write_rebate,
            fields: &[Field::DiscountPct],
        },
        Direction::Both,
        "Customer's simple discount",
        "'wyłączony' (off) or a percentage X.XX; written empty when the customer has none",
    ),
    extra(
        "membership_card",
        "Karty stałego klienta",
        "Loyalty cards",
        "text",
    ),
    extra(
        "offerForamt",
        "Format ofert",
        "Offer data format (IdoSell's spelling)",
        "text",
    ),
    extra(
        "offerFileType",
        "Typy plików ofert",
        "Offer file types",
        "text",
    ),
    extra(
        "offerShops",
        "Sklepy ofert",
        "Shops the customer may download offers from",
        "text",
    ),
    column(
        "apiIcdfAccess",
        "Dostęp do CustomerAPI",
        Codec::Custom {
            read: read_api_access,
            write: write_extra,
            fields: &[],
        },
        Direction::Both,
        "CustomerAPI access",
        "0 (no) or 1 (yes)",
    ),
    extra(
        "is_iai_export",
        "Eksport IAI",
        "Marker of IdoSell's export",
        "text",
    ),
    column(
        "password",
        "Hasło",
        Codec::Custom {
            read: read_plain_password,
            write: write_nothing,
            fields: &[Field::Password],
        },
        Direction::Import,
        "Plain-text password",
        "hashed (argon2id) the moment it is read; never stored or shown",
    ),
    column(
        "password_hash",
        "Hash hasła",
        Codec::Plain(Field::Password),
        Direction::Both,
        "Password hash",
        "PHC string or algorithm:hash; exported only on explicit request",
    ),
];

pub(crate) fn read_nothing(
    _: &str,
    _: &CellContext,
    _: &mut CustomerPatch,
) -> Result<(), ValueError> {
    Ok(())
}

pub(crate) fn write_nothing(_: &Customer, _: &CellContext) -> String {
    String::new()
}

pub(crate) fn write_id(c: &Customer, _: &CellContext) -> String {
    c.id.map(|id| id.to_string()).unwrap_or_default()
}

pub(crate) fn read_country(
    cell: &str,
    _: &CellContext,
    p: &mut CustomerPatch,
) -> Result<(), ValueError> {
    p.set(Field::BillingCountry, Value::Country(Country::parse(cell)?));
    Ok(())
}

pub(crate) fn write_country(c: &Customer, _: &CellContext) -> String {
    c.billing
        .country
        .map(|c| c.code().to_lowercase())
        .unwrap_or_default()
}

pub(crate) fn read_language(
    cell: &str,
    _: &CellContext,
    p: &mut CustomerPatch,
) -> Result<(), ValueError> {
    p.set(Field::Language, Value::Language(Language::parse(cell)?));
    Ok(())
}

pub(crate) fn write_language(c: &Customer, _: &CellContext) -> String {
    c.language
        .map(|l| l.alpha3_b().to_string())
        .unwrap_or_default()
}

pub(crate) fn read_client_type(
    cell: &str,
    _: &CellContext,
    p: &mut CustomerPatch,
) -> Result<(), ValueError> {
    let (kind, gender) = match cell.trim().to_ascii_lowercase().as_str() {
        "firm" => (Kind::Company, None),
        "private" => (Kind::Person, None),
        "male" => (Kind::Person, Some(Gender::Male)),
        "female" => (Kind::Person, Some(Gender::Female)),
        _ => {
            return Err(ValueError::Choice {
                value: cell.to_string(),
                allowed: "firm, private, male, female".into(),
            });
        }
    };
    p.set(Field::Kind, Value::Kind(kind));
    if let Some(g) = gender {
        p.set(Field::Gender, Value::Gender(g));
    }
    Ok(())
}

pub(crate) fn write_client_type(c: &Customer, _: &CellContext) -> String {
    match (c.kind, c.gender) {
        (Kind::Company, _) => "firm",
        (_, Some(Gender::Male)) => "male",
        (_, Some(Gender::Female)) => "female",
        _ => "private",
    }
    .to_string()
}

/// `t`, `n` or a list of shop ids, into a consent and its shops.
fn read_consent(
    cell: &str,
    consent: Field,
    shops: Field,
    p: &mut CustomerPatch,
) -> Result<(), ValueError> {
    match cell.trim().to_ascii_lowercase().as_str() {
        "t" => {
            p.set(consent, Value::Consent(Consent::Yes));
            p.clear(shops);
        }
        "n" => {
            p.set(consent, Value::Consent(Consent::No));
            p.clear(shops);
        }
        other => {
            let ids = parse_id_list(other).map_err(|_| ValueError::Choice {
                value: cell.to_string(),
                allowed: "t, n or shop ids such as 1,2,3".into(),
            })?;
            p.set(consent, Value::Consent(Consent::Yes));
            p.set(shops, Value::Ids(ids));
        }
    }
    Ok(())
}

fn write_consent(consent: Consent, shops: &[u32]) -> String {
    match consent {
        Consent::Yes if !shops.is_empty() => Value::Ids(shops.to_vec()).to_string(),
        Consent::Yes => "t".into(),
        Consent::No | Consent::Excluded => "n".into(),
        Consent::NotSet => String::new(),
    }
}

fn read_mailing(cell: &str, _: &CellContext, p: &mut CustomerPatch) -> Result<(), ValueError> {
    read_consent(cell, Field::NewsletterEmail, Field::NewsletterEmailShops, p)
}

fn write_mailing(c: &Customer, _: &CellContext) -> String {
    write_consent(c.newsletter_email, &c.newsletter_email_shops)
}

fn read_sms(cell: &str, _: &CellContext, p: &mut CustomerPatch) -> Result<(), ValueError> {
    read_consent(cell, Field::NewsletterSms, Field::NewsletterSmsShops, p)
}

fn write_sms(c: &Customer, _: &CellContext) -> String {
    write_consent(c.newsletter_sms, &c.newsletter_sms_shops)
}

const REBATE_OFF: &str = "wyłączony";

pub(crate) fn read_rebate(
    cell: &str,
    _: &CellContext,
    p: &mut CustomerPatch,
) -> Result<(), ValueError> {
    if cell.trim().eq_ignore_ascii_case(REBATE_OFF) || cell.trim().to_lowercase() == REBATE_OFF {
        p.clear(Field::DiscountPct);
    } else {
        p.set(
            Field::DiscountPct,
            Value::Decimal(parse_decimal(cell.trim_end_matches('%'))?),
        );
    }
    Ok(())
}

/// No rebate is written as an empty cell (IdoSell's default), not as `wyłączony`, which
/// Windows-1251 cannot hold.
pub(crate) fn write_rebate(c: &Customer, _: &CellContext) -> String {
    c.discount_pct.map(|d| d.to_string()).unwrap_or_default()
}

fn read_choice_into_extra(
    cell: &str,
    ctx: &CellContext,
    p: &mut CustomerPatch,
    allowed: &[&str],
) -> Result<(), ValueError> {
    let value = cell.trim().to_ascii_lowercase();
    if !allowed.contains(&value.as_str()) {
        return Err(ValueError::Choice {
            value: cell.to_string(),
            allowed: allowed.join(", "),
        });
    }
    p.set(
        Field::Extra(format!("{}.{}", ctx.dialect, ctx.header)),
        Value::Text(value),
    );
    Ok(())
}

fn read_affiliate_program(
    cell: &str,
    ctx: &CellContext,
    p: &mut CustomerPatch,
) -> Result<(), ValueError> {
    read_choice_into_extra(cell, ctx, p, &["n", "t", "c", "b"])
}

fn read_api_access(cell: &str, ctx: &CellContext, p: &mut CustomerPatch) -> Result<(), ValueError> {
    read_choice_into_extra(cell, ctx, p, &["0", "1"])
}

fn write_extra(c: &Customer, ctx: &CellContext) -> String {
    c.extra.get(&ctx.extra_key()).cloned().unwrap_or_default()
}

fn read_plain_password(
    cell: &str,
    _: &CellContext,
    p: &mut CustomerPatch,
) -> Result<(), ValueError> {
    p.set(
        Field::Password,
        Value::Password(custio_model::PasswordHash::of_plain(cell)),
    );
    Ok(())
}
