//! The Shoptet dialect against hand-made files and its own exports.

use std::path::PathBuf;

use custio_formats::{Dialect, ReadOptions, SourceRow, TextEncoding, WriteOptions, dialect};
use custio_model::{
    Change, Country, Customer, Decimal, Email, Field, Phone, ShippingAddress, Value, parse_datetime,
};
use proptest::prelude::*;

fn shoptet() -> &'static dyn Dialect {
    dialect("shoptet").expect("shoptet is registered")
}

fn fixture(name: &str) -> Vec<u8> {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "../../tests/fixtures/shoptet",
        name,
    ]
    .iter()
    .collect();
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reads every row of `bytes`; also returns the detected encoding.
fn read(bytes: Vec<u8>) -> (Vec<SourceRow>, TextEncoding) {
    let mut source = shoptet()
        .open_reader(
            Box::new(std::io::Cursor::new(bytes)),
            &ReadOptions::default(),
        )
        .expect("the header binds");
    assert!(
        source.binding().unknown.is_empty(),
        "unknown columns: {:?}",
        source.binding().unknown
    );
    let mut rows = Vec::new();
    while let Some(row) = source.next_row() {
        rows.push(row.expect("no fatal error"));
    }
    (rows, source.encoding())
}

fn text(row: &SourceRow, field: Field) -> Option<String> {
    match row.patch.value(&field) {
        Some(Value::Text(t)) => Some(t.clone()),
        Some(other) => Some(other.to_string()),
        None => None,
    }
}

fn codes(row: &SourceRow) -> Vec<&str> {
    row.issues.iter().map(|i| i.code.as_str()).collect()
}

fn date(s: &str) -> Value {
    Value::DateTime(parse_datetime(s, &["%Y-%m-%d %H:%M:%S"]).unwrap())
}

#[test]
fn every_column_of_an_export_is_read() {
    let (rows, encoding) = read(fixture("full_export_utf8.csv"));
    assert_eq!(encoding, TextEncoding::Utf8);
    assert_eq!(rows.len(), 2);
    let jana = &rows[0];
    assert!(jana.issues.is_empty(), "{:?}", jana.issues);
    let expect = [
        (Field::Email, "jana.novakova@example.cz"),
        (Field::BillingFullName, "Jana Nováková"),
        (Field::Guid, "d7cc9ff4-9a15-11e3-bb01-ac162d8a2454"),
        (Field::CompanyName, "Nováková s.r.o."),
        (Field::CompanyNumber, "12345678"),
        (Field::VatId, "CZ12345678"),
        (Field::TaxId, "TIN-998"),
        (Field::BillingStreet, "Dlouhá"),
        (Field::BillingHouseNumber, "12/3"),
        (Field::BillingCity, "Praha"),
        (Field::BillingDistrict, "Praha 1"),
        (Field::BillingCountry, "CZ"),
        (Field::BillingZip, "110 00"),
        (Field::ShippingGuid, "a1b2c3d4-0000-11e3-bb01-ac162d8a2454"),
        (Field::ShippingFullName, "Petr Novák"),
        (Field::ShippingCompany, "Sklad a.s."),
        (Field::ShippingStreet, "Krátká"),
        (Field::ShippingHouseNumber, "7"),
        (Field::ShippingCity, "Brno"),
        (Field::ShippingCountry, "SK"),
        (Field::ShippingZip, "602 00"),
        (
            Field::Extra("shoptet.accountGuid".into()),
            "f00dbabe-9a15-11e3-bb01-ac162d8a2454",
        ),
        (Field::Phone, "+420603123456"),
        (Field::DiscountPct, "5"),
        (Field::Pricelist, "Velkoobchod"),
        (Field::Note, "Volat jen dopoledne"),
    ];
    for (field, value) in expect {
        assert_eq!(text(jana, field.clone()).as_deref(), Some(value), "{field}");
    }
    assert_eq!(
        jana.patch.value(&Field::RegisteredAt),
        Some(&date("2021-03-04 05:06:07"))
    );
    assert_eq!(
        jana.patch.value(&Field::Groups),
        Some(&Value::Texts(vec!["VIP".into()]))
    );
    assert_eq!(
        jana.patch.value(&Field::EmailVerified),
        Some(&Value::Bool(true))
    );

    // An empty cell changes nothing in Shoptet: the row only sets what it fills.
    let karel = &rows[1];
    assert!(karel.issues.is_empty(), "{:?}", karel.issues);
    let fields: Vec<String> = karel
        .patch
        .iter()
        .map(|(f, _)| f.name().into_owned())
        .collect();
    assert_eq!(fields, ["email", "billing.full_name", "email_verified"]);
    assert!(karel.patch.iter().all(|(_, c)| matches!(c, Change::Set(_))));
}

#[test]
fn windows_1250_with_crlf_and_either_spelling_of_billing_name() {
    let (rows, encoding) = read(fixture("cp1250_crlf_billingFullname.csv"));
    assert_eq!(encoding, TextEncoding::Windows1250);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        text(&rows[0], Field::BillingFullName).as_deref(),
        Some("Žofie Šťastná")
    );
    assert_eq!(
        text(&rows[0], Field::Email).as_deref(),
        Some("zofie@example.cz")
    );
    assert_eq!(
        text(&rows[0], Field::BillingCity).as_deref(),
        Some("České Budějovice")
    );
    assert_eq!(
        text(&rows[0], Field::Note).as_deref(),
        Some("Příliš žluťoučký kůň")
    );
    assert_eq!(
        text(&rows[1], Field::BillingFullName).as_deref(),
        Some("Řehoř Čermák")
    );
    assert_eq!(
        rows[1].patch.get(&Field::Note),
        None,
        "an empty remark keeps the note"
    );
    assert_eq!(rows[1].line, 3);
}

#[test]
fn comma_separated_utf8_bom_with_quoted_separators_and_line_breaks() {
    let (rows, encoding) = read(fixture("utf8_bom_comma_quoted.csv"));
    assert_eq!(encoding, TextEncoding::Utf8Bom);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        text(&rows[0], Field::Email).as_deref(),
        Some("ema@example.cz")
    );
    assert_eq!(
        text(&rows[0], Field::BillingFullName).as_deref(),
        Some("Ema Dvořáková, Ing.")
    );
    assert_eq!(
        text(&rows[0], Field::BillingStreet).as_deref(),
        Some("Na Příkopě; vchod B")
    );
    assert_eq!(
        text(&rows[0], Field::Note).as_deref(),
        Some("první řádek\r\ndruhý řádek, s čárkou; a středníkem")
    );
    assert_eq!(
        text(&rows[1], Field::Note).as_deref(),
        Some("řekl \"ahoj\"")
    );
    assert_eq!(
        rows[1].line, 4,
        "the second row starts after the two-line cell"
    );
}

#[test]
fn registration_date_in_the_documented_formats_and_as_a_date_alone() {
    let (rows, _) = read(fixture("registration_date_formats.csv"));
    let dates: Vec<Option<&Value>> = rows
        .iter()
        .map(|r| r.patch.value(&Field::RegisteredAt))
        .collect();
    assert_eq!(dates[0], Some(&date("2022-08-18 10:01:34")));
    assert_eq!(dates[1], Some(&date("2022-08-18 10:01:00")));
    assert_eq!(dates[2], Some(&date("2022-08-18 10:01:34")));
    assert_eq!(dates[3], None);
    assert_eq!(codes(&rows[3]), ["invalid_date"]);
    let issue = &rows[3].issues[0];
    assert_eq!(issue.column.as_deref(), Some("registrationDate"));
    assert_eq!(issue.value.as_deref(), Some("18/08/2022"));
    assert!(issue.to_string().contains("DD.MM.YYYY HH:MM"), "{}", issue);
    // A date alone, as Shoptet itself accepts it, is midnight.
    assert_eq!(dates[4], Some(&date("2023-02-01 00:00:00")));
    assert_eq!(dates[5], Some(&date("2023-02-01 00:00:00")));
}

#[test]
fn countries_by_code_or_czech_slovak_english_name() {
    let (rows, _) = read(fixture("countries_by_code_or_name.csv"));
    let country = |r: &SourceRow, f| text(r, f);
    assert_eq!(
        country(&rows[0], Field::BillingCountry).as_deref(),
        Some("CZ")
    );
    assert_eq!(
        country(&rows[0], Field::ShippingCountry).as_deref(),
        Some("SK")
    );
    assert_eq!(
        country(&rows[1], Field::BillingCountry).as_deref(),
        Some("CZ")
    );
    assert_eq!(
        country(&rows[1], Field::ShippingCountry).as_deref(),
        Some("DE")
    );
    assert_eq!(
        country(&rows[2], Field::BillingCountry).as_deref(),
        Some("SK")
    );
    assert_eq!(
        country(&rows[2], Field::ShippingCountry).as_deref(),
        Some("SK")
    );
    assert_eq!(country(&rows[3], Field::BillingCountry), None);
    assert_eq!(codes(&rows[3]), ["invalid_country"]);
    assert_eq!(rows[3].issues[0].field.as_deref(), Some("billing.country"));
    // ... and such a value is only a warning: the rules say so for the engine.
    assert!(
        shoptet()
            .rules()
            .warn_invalid
            .contains(&Field::BillingCountry)
    );
}

#[test]
fn discount_with_decimal_comma_or_dot_and_verified_flag() {
    let (rows, _) = read(fixture("discount_comma_or_dot.csv"));
    let pct = |r: &SourceRow| r.patch.value(&Field::DiscountPct).cloned();
    assert_eq!(pct(&rows[0]), Some(Value::Decimal(Decimal::new(25, 1))));
    assert_eq!(pct(&rows[1]), Some(Value::Decimal(Decimal::new(3, 0))));
    assert_eq!(pct(&rows[2]), Some(Value::Decimal(Decimal::new(725, 2))));
    let verified = |r: &SourceRow| r.patch.value(&Field::EmailVerified).cloned();
    assert_eq!(verified(&rows[0]), Some(Value::Bool(true)));
    assert_eq!(verified(&rows[1]), Some(Value::Bool(false)));
    assert_eq!(verified(&rows[2]), Some(Value::Bool(true)));
    assert_eq!(codes(&rows[3]), ["invalid_number", "invalid_choice"]);
}

#[test]
fn invalid_email_and_phone_are_located() {
    let (rows, _) = read(fixture("invalid_email_and_phone.csv"));
    assert_eq!(codes(&rows[0]), ["invalid_email"]);
    assert_eq!(rows[0].issues[0].column.as_deref(), Some("email"));
    assert_eq!(text(&rows[0], Field::Phone).as_deref(), Some("603123456"));
    assert_eq!(codes(&rows[1]), ["invalid_phone"]);
    assert_eq!(rows[1].issues[0].value.as_deref(), Some("volejte večer"));
}

#[test]
fn rules_are_data_for_the_engine() {
    let rules = shoptet().rules();
    assert_eq!(rules.required, [Field::Email, Field::BillingFullName]);
    assert_eq!(rules.update_requires, Some(Field::Guid));
    assert_eq!(rules.pair_by.first(), Some(&Field::Guid));
    assert!(rules.new_shipping_without_guid);
    assert!(rules.existing_only.contains(&Field::Pricelist));
}

#[test]
fn a_row_without_shipping_guid_carries_the_address_without_one() {
    let (rows, _) = read(fixture("shipping_without_guid.csv"));
    let row = &rows[0];
    assert_eq!(row.patch.get(&Field::ShippingGuid), None);
    assert_eq!(text(row, Field::ShippingCity).as_deref(), Some("Plzeň"));
    // Applied as the engine will after adding a new, empty address first:
    let mut stored = Customer {
        shipping: vec![ShippingAddress {
            guid: Some("old".into()),
            city: Some("Brno".into()),
            ..ShippingAddress::default()
        }],
        ..Customer::default()
    };
    stored.shipping.insert(0, ShippingAddress::default());
    row.patch.apply(&mut stored);
    assert_eq!(stored.shipping.len(), 2);
    assert_eq!(stored.shipping[0].city.as_deref(), Some("Plzeň"));
    assert_eq!(stored.shipping[1].city.as_deref(), Some("Brno"));
}

#[test]
fn shipping_guid_updates_the_address_it_names() {
    let (rows, _) = read(fixture("full_export_utf8.csv"));
    let mut stored = Customer {
        shipping: vec![
            ShippingAddress {
                guid: Some("other".into()),
                city: Some("Ostrava".into()),
                ..ShippingAddress::default()
            },
            ShippingAddress {
                guid: Some("a1b2c3d4-0000-11e3-bb01-ac162d8a2454".into()),
                city: Some("Olomouc".into()),
                ..ShippingAddress::default()
            },
        ],
        ..Customer::default()
    };
    rows[0].patch.apply(&mut stored);
    assert_eq!(stored.shipping.len(), 2);
    let updated = stored
        .shipping
        .iter()
        .find(|a| a.guid.as_deref() == Some("a1b2c3d4-0000-11e3-bb01-ac162d8a2454"))
        .unwrap();
    assert_eq!(updated.city.as_deref(), Some("Brno"));
    assert!(
        stored
            .shipping
            .iter()
            .any(|a| a.city.as_deref() == Some("Ostrava"))
    );
}

fn write(customers: &[Customer], options: &WriteOptions) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut sink = shoptet().open_writer(Box::new(&mut out), options).unwrap();
        for c in customers {
            sink.write_customer(c).unwrap();
        }
        assert_eq!(sink.finish().unwrap(), customers.len() as u64);
    }
    out
}

/// Reads a file back into customers, each row's patch applied to a new customer.
fn read_back(bytes: Vec<u8>) -> Vec<Customer> {
    let (rows, _) = read(bytes);
    rows.into_iter()
        .map(|row| {
            assert!(row.issues.is_empty(), "line {}: {:?}", row.line, row.issues);
            let mut c = Customer::default();
            row.patch.apply(&mut c);
            c
        })
        .collect()
}

#[test]
fn export_writes_semicolons_utf8_and_the_header_of_the_help_page() {
    let customer = Customer {
        email: Some(Email::parse("jan@example.cz").unwrap()),
        billing: custio_model::Address {
            full_name: Some("=Jan; \"Novák\"".into()),
            ..Default::default()
        },
        phone: Some(Phone::parse("+420603123456").unwrap()),
        discount_pct: Some(Decimal::new(25, 1)),
        ..Customer::default()
    };
    let bytes = write(std::slice::from_ref(&customer), &WriteOptions::default());
    let text = String::from_utf8(bytes.clone()).expect("UTF-8 by default");
    let mut lines = text.split("\r\n");
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("email;billingFullName;guid;registrationDate;"),
        "{header}"
    );
    assert!(header.ends_with(";remark;emailVerified"), "{header}");
    assert_eq!(header.split(';').count(), 29);
    let row = lines.next().unwrap();
    assert!(row.contains("\"'=Jan; \"\"Novák\"\"\""), "{row}");
    assert!(
        row.contains(";+420603123456;"),
        "phones are not guarded: {row}"
    );
    assert!(row.contains(";2.5;"), "decimal dot: {row}");
    assert_eq!(read_back(bytes), [customer]);
}

#[test]
fn export_edit_import_back_changes_only_the_edit() {
    let (rows, _) = read(fixture("full_export_utf8.csv"));
    let stored: Vec<Customer> = rows
        .iter()
        .map(|r| {
            let mut c = Customer::default();
            r.patch.apply(&mut c);
            c
        })
        .collect();
    let exported = String::from_utf8(write(&stored, &WriteOptions::default())).unwrap();
    let edited = exported.replace("Volat jen dopoledne", "Volat odpoledne");
    let (rows, _) = read(edited.into_bytes());
    let mut diffs = Vec::new();
    for (row, customer) in rows.iter().zip(&stored) {
        let mut c = customer.clone();
        diffs.extend(row.patch.apply(&mut c).into_iter().map(|d| d.field));
    }
    assert_eq!(diffs, [Field::Note]);
}

fn words() -> impl Strategy<Value = String> {
    "[A-Za-zěščřžýáíéúůňťďĚŠČŘŽÝÁÍÉÚŮ0-9]{1,6}( [A-Za-zčšžáéí0-9,;\"=+-]{1,6}){0,2}"
}

fn note() -> impl Strategy<Value = String> {
    "[=+@-]?[A-Za-zěščřžý0-9 ,;\"]{0,10}(\n[a-z;,\"]{1,5})?"
        .prop_map(|s| s.trim().to_string())
        .prop_filter("not empty", |s| !s.is_empty())
}

fn country() -> impl Strategy<Value = Country> {
    prop::sample::select(vec!["CZ", "SK", "DE", "PL", "AT"])
        .prop_map(|c| Country::parse(c).unwrap())
}

fn guid() -> impl Strategy<Value = String> {
    "[0-9a-f]{8}-[0-9a-f]{4}-11e3-bb01-[0-9a-f]{12}"
}

prop_compose! {
    fn shipping()(
        guid in proptest::option::of(guid()),
        full_name in words(),
        company in proptest::option::of(words()),
        street in proptest::option::of(words()),
        house_number in proptest::option::of("[0-9]{1,3}(/[0-9])?"),
        city in proptest::option::of(words()),
        zip in proptest::option::of("[0-9]{3} [0-9]{2}"),
        country in proptest::option::of(country()),
    ) -> ShippingAddress {
        ShippingAddress {
            guid, full_name: Some(full_name), company, street, house_number, city,
            district: None, zip, country, phone: None,
        }
    }
}

prop_compose! {
    fn customer()(
        (local, domain) in ("[a-z0-9]{1,8}", "[a-z]{2,8}\\.(cz|sk)"),
        full_name in words(),
        guid in proptest::option::of(guid()),
        registered in proptest::option::of((2000u32..2030, 1u32..13, 1u32..29, 0u32..24, 0u32..60, 0u32..60)),
        company in proptest::option::of((words(), "[0-9]{8}", "CZ[0-9]{8}", "[A-Z0-9-]{3,10}")),
        billing in (proptest::option::of(words()), proptest::option::of("[0-9]{1,4}"),
                    proptest::option::of(words()), proptest::option::of(words()),
                    proptest::option::of(country()), proptest::option::of("[0-9]{5}")),
        shipping in proptest::option::of(shipping()),
        account in proptest::option::of(guid()),
        phone in proptest::option::of("\\+?[1-9][0-9]{8,11}"),
        group in proptest::option::of(words()),
        discount in proptest::option::of((0i64..10_000, 0u32..3)),
        pricelist in proptest::option::of(words()),
        note in proptest::option::of(note()),
        verified in any::<bool>(),
    ) -> Customer {
        let mut c = Customer {
            email: Some(Email::parse(&format!("{local}x@{domain}")).unwrap()),
            guid,
            registered_at: registered.map(|(y, mo, d, h, mi, s)| {
                parse_datetime(&format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}"), &["%Y-%m-%d %H:%M:%S"]).unwrap()
            }),
            phone: phone.map(|p| Phone::parse(&p).unwrap()),
            groups: group.into_iter().collect(),
            discount_pct: discount.map(|(n, scale)| Decimal::new(n, scale)),
            pricelist,
            note,
            email_verified: verified,
            shipping: shipping.into_iter().collect(),
            ..Customer::default()
        };
        c.billing.full_name = Some(full_name);
        if let Some((name, number, vat, tax)) = company {
            c.company.name = Some(name);
            c.company.company_number = Some(number);
            c.company.vat_id = Some(vat);
            c.company.tax_id = Some(tax);
        }
        (c.billing.street, c.billing.house_number, c.billing.city, c.billing.district, c.billing.country, c.billing.zip) = billing;
        if let Some(account) = account {
            c.extra.insert("shoptet.accountGuid".into(), account);
        }
        c
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn write_then_read_returns_the_same_customers(
        customers in proptest::collection::vec(customer(), 1..4),
        bom in any::<bool>(),
        excel_safe in any::<bool>(),
    ) {
        let options = WriteOptions {
            encoding: Some(if bom { TextEncoding::Utf8Bom } else { TextEncoding::Utf8 }),
            excel_safe,
            ..WriteOptions::default()
        };
        let back = read_back(write(&customers, &options));
        prop_assert_eq!(back, customers);
    }

    #[test]
    fn windows_1250_output_reads_back_too(customers in proptest::collection::vec(customer(), 1..3)) {
        let options = WriteOptions { encoding: Some(TextEncoding::Windows1250), ..WriteOptions::default() };
        let back = read_back(write(&customers, &options));
        prop_assert_eq!(back, customers);
    }
}
