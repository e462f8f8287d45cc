//! The UPgates dialect against hand-made files and its own exports.

use std::path::PathBuf;

use custio_formats::{
    Dialect, EmptyCell, ReadOptions, SourceRow, TextEncoding, WriteOptions, dialect,
};
use custio_model::{
    Change, Consent, Country, Customer, Decimal, Email, Field, Kind, Language, Phone,
    ShippingAddress, Value, parse_datetime,
};
use proptest::prelude::*;

fn upgates() -> &'static dyn Dialect {
    dialect("upgates").expect("upgates is registered")
}

fn fixture(name: &str) -> Vec<u8> {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "../../tests/fixtures/upgates",
        name,
    ]
    .iter()
    .collect();
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reads every row; also returns the detected encoding and the unknown headers.
fn read(bytes: Vec<u8>) -> (Vec<SourceRow>, TextEncoding, Vec<String>) {
    let mut source = upgates()
        .open_reader(
            Box::new(std::io::Cursor::new(bytes)),
            &ReadOptions::default(),
        )
        .expect("the header binds");
    let unknown = source
        .binding()
        .unknown
        .iter()
        .map(|u| u.header.clone())
        .collect();
    let mut rows = Vec::new();
    while let Some(row) = source.next_row() {
        rows.push(row.expect("no fatal error"));
    }
    (rows, source.encoding(), unknown)
}

fn rows(name: &str) -> Vec<SourceRow> {
    let (rows, _, unknown) = read(fixture(name));
    assert!(unknown.is_empty(), "unknown columns: {unknown:?}");
    rows
}

fn value(row: &SourceRow, field: Field) -> Option<Value> {
    row.patch.value(&field).cloned()
}

fn text(row: &SourceRow, field: Field) -> Option<String> {
    value(row, field).map(|v| v.to_string())
}

fn codes(row: &SourceRow) -> Vec<&str> {
    row.issues.iter().map(|i| i.code.as_str()).collect()
}

fn day(s: &str) -> Value {
    Value::DateTime(parse_datetime(s, &["%Y-%m-%d"]).unwrap())
}

#[test]
fn windows_1250_agreements_and_meta_in_czech_or_ascii_quotes() {
    let (rows, encoding, unknown) = read(fixture("cp1250_agreements.csv"));
    assert_eq!(encoding, TextEncoding::Windows1250);
    assert!(unknown.is_empty(), "{unknown:?}");
    assert_eq!(rows.len(), 2);
    let jiri = &rows[0];
    assert!(jiri.issues.is_empty(), "{:?}", jiri.issues);
    assert_eq!(text(jiri, Field::LastName).as_deref(), Some("Šťastný"));
    let terms = "Obchodní podmínky".to_string();
    let news = "Zasílání novinek".to_string();
    assert_eq!(
        value(jiri, Field::AgreementStatus(terms.clone())),
        Some(Value::Bool(true))
    );
    assert_eq!(
        value(jiri, Field::AgreementTime(terms.clone())),
        Some(day("2023-05-01"))
    );
    assert_eq!(
        value(jiri, Field::AgreementValidTo(terms.clone())),
        Some(day("2026-05-01"))
    );
    assert_eq!(
        value(jiri, Field::AgreementStatus(news.clone())),
        Some(Value::Bool(false))
    );
    assert_eq!(
        text(jiri, Field::CustomField("velikost bot".into())).as_deref(),
        Some("44")
    );
    assert_eq!(
        text(jiri, Field::CustomField("vip".into())).as_deref(),
        Some("ano")
    );

    // Empty agreement time and validity keep (the engine takes now and the default); an
    // empty custom field deletes, as every empty UPgates cell does.
    let eva = &rows[1];
    assert_eq!(eva.line, 3, "CRLF rows are counted right");
    assert_eq!(eva.patch.get(&Field::AgreementTime(terms.clone())), None);
    assert_eq!(eva.patch.get(&Field::AgreementValidTo(terms.clone())), None);
    assert_eq!(eva.patch.get(&Field::AgreementStatus(terms)), None);
    assert_eq!(
        value(eva, Field::AgreementStatus(news)),
        Some(Value::Bool(true))
    );
    assert_eq!(
        eva.patch.get(&Field::CustomField("vip".into())),
        Some(&Change::Clear)
    );

    // Applied to a customer, the agreements land in its list by name.
    let mut c = Customer::default();
    jiri.patch.apply(&mut c);
    let names: Vec<&str> = c.agreements.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Obchodní podmínky", "Zasílání novinek"]);
    assert!(c.agreements[0].status && !c.agreements[1].status);
    assert!(upgates().rules().existing_agreements_only);
}

#[test]
fn customer_kind_from_the_yn_columns_and_names() {
    let rows = rows("customer_kinds.csv");
    let kind = |r: &SourceRow| value(r, Field::Kind);
    assert_eq!(kind(&rows[0]), Some(Value::Kind(Kind::Contact)));
    assert_eq!(kind(&rows[1]), Some(Value::Kind(Kind::Person)));
    assert_eq!(kind(&rows[2]), Some(Value::Kind(Kind::Company)));
    assert_eq!(
        kind(&rows[3]),
        Some(Value::Kind(Kind::Contact)),
        "no surname: contact"
    );
    assert_eq!(
        kind(&rows[4]),
        Some(Value::Kind(Kind::Contact)),
        "empty flags: 0/0"
    );
    // A pricelist applies only to customers, never to contacts.
    assert_eq!(text(&rows[0], Field::Pricelist), None);
    assert_eq!(
        text(&rows[1], Field::Pricelist).as_deref(),
        Some("Velkoobchod")
    );
    assert_eq!(
        text(&rows[2], Field::Pricelist).as_deref(),
        Some("Velkoobchod")
    );
    assert_eq!(text(&rows[3], Field::Pricelist), None);
    // An invalid flag is reported at its column.
    assert_eq!(codes(&rows[5]), ["invalid_choice"]);
    assert_eq!(rows[5].issues[0].column.as_deref(), Some("[CUSTOMER_YN]"));
}

#[test]
fn without_kind_columns_a_new_customer_is_a_contact() {
    let rows = rows("without_kind_columns.csv");
    assert_eq!(
        rows[0].patch.get(&Field::Kind),
        None,
        "a stored customer keeps its kind"
    );
    let defaults = upgates().rules().defaults_for_new;
    assert!(defaults.contains(&(Field::Kind, Value::Kind(Kind::Contact))));
}

#[test]
fn bools_in_all_four_spellings() {
    let rows = rows("bool_spellings.csv");
    let flags =
        |r: &SourceRow| [Field::Active, Field::Blocked, Field::VatPayer].map(|f| value(r, f));
    let b = |x| Some(Value::Bool(x));
    assert_eq!(flags(&rows[0]), [b(true), b(false), b(true)]);
    assert_eq!(flags(&rows[1]), [b(false), b(true), b(false)]);
    assert_eq!(flags(&rows[2]), [b(true), b(false), b(true)]);
    let private = Field::Extra("upgates.[CAN_SEE_PRIVATE_YN]".into());
    let extras: Vec<Option<String>> = rows.iter().map(|r| text(r, private.clone())).collect();
    assert_eq!(
        extras,
        [Some("1".into()), Some("0".into()), Some("0".into()), None]
    );
    assert_eq!(codes(&rows[3]), ["invalid_choice", "invalid_choice"]);
    assert_eq!(rows[3].issues[0].column.as_deref(), Some("[ACTIVE_YN]"));
    assert_eq!(value(&rows[3], Field::Blocked), b(true));
}

#[test]
fn an_empty_cell_deletes_but_an_absent_column_keeps() {
    let rows = rows("empty_cell_deletes.csv");
    let row = &rows[0];
    assert!(row.issues.is_empty(), "{:?}", row.issues);
    for field in [
        Field::Note,
        Field::Phone,
        Field::Groups,
        Field::NewsletterEmail,
        Field::ShippingFullName,
        Field::CustomField("vip".into()),
    ] {
        assert_eq!(row.patch.get(&field), Some(&Change::Clear), "{field}");
    }
    // Documented exceptions: an empty password or code keeps; an empty agreement keeps.
    assert_eq!(row.patch.get(&Field::Password), None);
    assert_eq!(row.patch.get(&Field::Code), None);
    assert_eq!(row.patch.get(&Field::AgreementStatus("GDPR".into())), None);
    // Columns not in the file are not touched.
    assert_eq!(row.patch.get(&Field::FirstName), None);
    assert_eq!(row.patch.get(&Field::BillingCity), None);

    let mut stored = Customer {
        note: Some("stará".into()),
        first_name: Some("Jan".into()),
        groups: vec!["VIP".into()],
        newsletter_email: Consent::Yes,
        ..Customer::default()
    };
    row.patch.apply(&mut stored);
    assert_eq!(stored.note, None);
    assert!(stored.groups.is_empty());
    assert_eq!(stored.newsletter_email, Consent::NotSet);
    assert_eq!(stored.first_name.as_deref(), Some("Jan"));
    assert_eq!(upgates().rules().empty_cell, EmptyCell::Clear);
}

#[test]
fn phone_groups_newsletter_language_country_and_numbers() {
    let rows = rows("phone_groups_newsletter.csv");
    let phones: Vec<Option<String>> = rows.iter().map(|r| text(r, Field::Phone)).collect();
    assert_eq!(
        phones[..4],
        [
            Some("+420603123456".into()),
            Some("603123456".into()),
            Some("603123456".into()),
            None
        ]
    );
    assert_eq!(
        value(&rows[0], Field::Groups),
        Some(Value::Texts(vec![
            "VIP".into(),
            "Velkoobchod".into(),
            "B2B".into()
        ]))
    );
    assert_eq!(
        value(&rows[1], Field::Groups),
        Some(Value::Texts(vec!["Stálí".into()]))
    );
    let consent: Vec<Option<Change>> = rows
        .iter()
        .map(|r| r.patch.get(&Field::NewsletterEmail).cloned())
        .collect();
    let set = |c| Some(Change::Set(Value::Consent(c)));
    assert_eq!(
        consent[..4],
        [
            set(Consent::Yes),
            set(Consent::No),
            set(Consent::NotSet),
            set(Consent::Excluded)
        ]
    );
    assert_eq!(text(&rows[0], Field::Language).as_deref(), Some("cs"));
    assert_eq!(text(&rows[1], Field::BillingCountry).as_deref(), Some("SK"));
    assert_eq!(
        value(&rows[0], Field::LoyaltyPoints),
        Some(Value::Integer(120))
    );
    assert_eq!(
        text(&rows[0], Field::Extra("upgates.[DEFAULT_TURNOVER]".into())).as_deref(),
        Some("1500.50")
    );
    assert_eq!(
        codes(&rows[4]),
        [
            "invalid_phone",
            "invalid_choice",
            "invalid_language",
            "invalid_country",
            "invalid_integer"
        ]
    );
    assert_eq!(
        text(&rows[4], Field::Extra("upgates.[DEFAULT_TURNOVER]".into())).as_deref(),
        Some("1.5"),
        "a decimal comma is tolerated"
    );
}

#[test]
fn utf8_bom_quoted_line_breaks_password_and_delivery_name() {
    let (rows, encoding, _) = read(fixture("utf8_bom_quoted_newline.csv"));
    assert_eq!(encoding, TextEncoding::Utf8Bom);
    let row = &rows[0];
    assert!(row.issues.is_empty(), "{:?}", row.issues);
    assert_eq!(
        text(row, Field::Note).as_deref(),
        Some("Zvonit dvakrát; pak čekat.\r\nDruhý řádek \"poznámky\"")
    );
    match value(row, Field::Password) {
        Some(Value::Password(hash)) => {
            assert_eq!(hash.algorithm(), "argon2id");
            assert!(!hash.encoded().contains("tajné"));
        }
        other => panic!("no hashed password: {other:?}"),
    }
    assert_eq!(
        text(row, Field::ShippingFullName).as_deref(),
        Some("Marie Nová Svobodová")
    );
    assert_eq!(
        text(row, Field::ShippingCity).as_deref(),
        Some("Žďár nad Sázavou")
    );
}

#[test]
fn export_only_columns_only_fill_stats() {
    let (rows, _, unknown) = read(fixture("export_only_columns.csv"));
    assert_eq!(unknown, ["[UNKNOWN_COLUMN]"]);
    let fields: Vec<String> = rows[0]
        .patch
        .iter()
        .map(|(f, _)| f.name().into_owned())
        .filter(|f| !f.starts_with("stats."))
        .collect();
    assert_eq!(
        fields,
        ["email"],
        "figures are kept in stats, nothing else changes"
    );
}

fn write(customers: &[Customer], options: &WriteOptions) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut sink = upgates().open_writer(Box::new(&mut out), options).unwrap();
        for c in customers {
            sink.write_customer(c).unwrap();
        }
        sink.finish().unwrap();
    }
    out
}

fn read_back(bytes: Vec<u8>) -> Vec<Customer> {
    let (rows, _, unknown) = read(bytes);
    assert!(unknown.is_empty(), "{unknown:?}");
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
fn export_writes_windows_1250_with_czech_quotes_and_export_only_figures() {
    let mut customer = Customer {
        email: Some(Email::parse("zofie@example.cz").unwrap()),
        kind: Kind::Company,
        first_name: Some("Žofie".into()),
        last_name: Some("Šťastná".into()),
        groups: vec!["VIP".into(), "B2B".into()],
        ..Customer::default()
    };
    customer
        .custom_fields
        .insert("velikost bot".into(), "38".into());
    customer.stats.insert("[ORDER_COUNT]".into(), "3".into());
    let options = WriteOptions {
        custom_field_keys: vec!["velikost bot".into()],
        ..WriteOptions::default()
    };
    let bytes = write(std::slice::from_ref(&customer), &options);
    let head: Vec<u8> = "[META \u{201E}velikost bot\u{201C}]"
        .chars()
        .map(|c| match c {
            '\u{201E}' => 0x84,
            '\u{201C}' => 0x93,
            c => c as u8,
        })
        .collect();
    assert!(
        bytes.windows(head.len()).any(|w| w == head),
        "Czech quotes in Windows-1250"
    );
    assert!(
        bytes.windows(6).any(|w| w == b"\x8Eofie;"),
        "Žofie in Windows-1250"
    );
    assert!(
        !bytes.windows(10).any(|w| w == b"[PASSWORD]"),
        "import-only columns are not written"
    );
    assert!(!bytes.windows(16).any(|w| w == b"[AGREEMENT_TIME "));
    let text: String = bytes.iter().map(|&b| b as char).collect();
    assert!(
        text.contains(";\"VIP;B2B\";"),
        "groups with ';' are quoted: {text}"
    );
    let back = read_back(bytes);
    assert_eq!(back, [customer], "export-only figures come back as stats");
}

#[test]
fn a_character_windows_1250_cannot_hold_is_reported() {
    let customer = Customer {
        email: Some(Email::parse("ivan@example.cz").unwrap()),
        note: Some("Иван".into()),
        ..Customer::default()
    };
    let mut sink = upgates()
        .open_writer(Box::new(Vec::new()), &WriteOptions::default())
        .unwrap();
    let err = sink.write_customer(&customer).unwrap_err().to_string();
    assert!(
        err.contains("[NOTE]") && err.contains("windows-1250"),
        "{err}"
    );
}

fn word() -> impl Strategy<Value = String> {
    "[A-Za-zěščřžýáíéúůňťďĚŠČŘŽÝÁÍÉÚŮ]{1,8}"
}

fn words() -> impl Strategy<Value = String> {
    "[A-Za-zěščřžýáíéúůňťďĚŠČŘŽÝÁÍÉÚŮ0-9]{1,6}( [A-Za-zčšžáéí0-9,;\"=+-]{1,6}){0,2}"
}

fn note() -> impl Strategy<Value = String> {
    "[=+@-]?[A-Za-zěščřžý0-9 ,;\"„“]{0,10}(\n[a-z;,\"]{1,5})?"
        .prop_map(|s| s.trim().to_string())
        .prop_filter("not empty", |s| !s.is_empty())
}

fn country() -> impl Strategy<Value = Country> {
    prop::sample::select(vec!["CZ", "SK", "DE", "PL", "AT"])
        .prop_map(|c| Country::parse(c).unwrap())
}

fn flag_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(prop::sample::select(vec!["1", "0"]).prop_map(String::from))
}

const META_KEYS: &[&str] = &["vip_level", "velikost bot", "Poznámka obchodníka"];

prop_compose! {
    fn shipping()(
        first in word(),
        last in proptest::option::of(words()),
        company in proptest::option::of(words()),
        street in proptest::option::of(words()),
        city in proptest::option::of(words()),
        district in proptest::option::of(words()),
        zip in proptest::option::of("[0-9]{3} [0-9]{2}"),
        country in proptest::option::of(country()),
    ) -> ShippingAddress {
        let full_name = match last { Some(l) => format!("{first} {l}"), None => first };
        ShippingAddress {
            guid: None, full_name: Some(full_name), company, street, house_number: None, city,
            district, zip, country, phone: None,
        }
    }
}

prop_compose! {
    fn customer()(
        (local, domain) in ("[a-z0-9]{1,8}", "[a-z]{2,8}\\.(cz|sk)"),
        kind in prop::sample::select(vec![Kind::Contact, Kind::Person, Kind::Company]),
        (first, last) in (word(), words()),
        names in any::<bool>(),
        person in (proptest::option::of(words()), proptest::option::of(word()), proptest::option::of("[A-Z0-9]{1,8}")),
        language in proptest::option::of(prop::sample::select(vec!["cs", "sk", "en", "de"])),
        newsletter in prop::sample::select(Consent::ALL.to_vec()),
        pricelist in proptest::option::of(words()),
        loyalty in proptest::option::of(0i64..100_000),
        company in proptest::option::of((words(), "[0-9]{8}", "CZ[0-9]{8}", any::<bool>())),
        phones in (proptest::option::of("\\+?[1-9][0-9]{8,11}"), proptest::option::of("[1-9][0-9]{8}")),
        extras in (flag_text(), flag_text(), flag_text(), proptest::option::of(words()), proptest::option::of((0i64..1_000_000, 0u32..3))),
        (active, blocked) in (any::<bool>(), any::<bool>()),
        groups in proptest::collection::vec(words().prop_filter("no ';' inside a group", |g| !g.contains(';')), 0..3),
        note in proptest::option::of(note()),
        billing in (proptest::option::of(words()), proptest::option::of(words()), proptest::option::of(words()),
                    proptest::option::of("[0-9]{3} [0-9]{2}"), proptest::option::of(country())),
        shipping in proptest::option::of(shipping()),
        meta in proptest::collection::btree_map(prop::sample::select(META_KEYS.to_vec()).prop_map(String::from), words(), 0..3),
    ) -> Customer {
        let named = names || kind != Kind::Contact;
        let mut c = Customer {
            email: Some(Email::parse(&format!("{local}@{domain}")).unwrap()),
            kind,
            first_name: named.then(|| first.clone()),
            last_name: named.then(|| last.clone()),
            degree: person.0,
            nickname: person.1,
            code: person.2,
            language: language.map(|l| Language::parse(l).unwrap()),
            newsletter_email: newsletter,
            pricelist: if kind == Kind::Contact { None } else { pricelist },
            loyalty_points: loyalty,
            phone: phones.0.map(|p| Phone::parse(&p).unwrap()),
            fax: phones.1.map(|p| Phone::parse(&p).unwrap()),
            active,
            blocked,
            groups,
            note,
            shipping: shipping.into_iter().collect(),
            custom_fields: meta,
            ..Customer::default()
        };
        if let Some((name, number, vat, payer)) = company {
            c.company.name = Some(name);
            c.company.company_number = Some(number);
            c.company.vat_id = Some(vat);
            c.company.vat_payer = payer;
        }
        (c.billing.street, c.billing.city, c.billing.district, c.billing.zip, c.billing.country) = billing;
        let (private, by_turnover, rate, im, turnover) = extras;
        for (key, v) in [
            ("[CAN_SEE_PRIVATE_YN]", private),
            ("[SET_PRICELIST_BY_TURNOVER_YN]", by_turnover),
            ("[CAN_RATE_PRODUCTS_YN]", rate),
            ("[IM]", im),
            ("[DEFAULT_TURNOVER]", turnover.map(|(n, s)| Decimal::new(n, s).to_string())),
        ] {
            if let Some(v) = v {
                c.extra.insert(format!("upgates.{key}"), v);
            }
        }
        c
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn write_then_read_returns_the_same_customers(
        customers in proptest::collection::vec(customer(), 1..4),
        utf8 in any::<bool>(),
        excel_safe in any::<bool>(),
    ) {
        let options = WriteOptions {
            encoding: utf8.then_some(TextEncoding::Utf8),
            excel_safe,
            custom_field_keys: META_KEYS.iter().map(|k| k.to_string()).collect(),
            ..WriteOptions::default()
        };
        let back = read_back(write(&customers, &options));
        prop_assert_eq!(back, customers);
    }
}
