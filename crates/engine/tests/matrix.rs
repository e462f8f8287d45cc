//! The cross-dialect matrix: a rich customer (every field set) written in dialect A and
//! converted A -> B -> A keeps every field that both A and B hold, for every ordered pair
//! of dialects. What "holds" means comes from the column tables ([`Capacity`]), the same
//! answers `docs/formats.md` shows, so the docs' matrix is what this test checks.

use std::collections::BTreeMap;

use custio_engine::{ConvertOptions, NoProgress, convert};
use custio_formats::{Capacity, Dialect, Reach, ReadOptions, WriteOptions, carried, dialects};
use custio_model::{
    Address, Agreement, Company, Consent, Country, Customer, Decimal, Email, Field, Gender, Kind,
    Language, PasswordHash, Phone, ShippingAddress, parse_datetime,
};

fn at(text: &str) -> custio_model::DateTime {
    parse_datetime(text, &["%Y-%m-%d %H:%M:%S"]).unwrap()
}

/// A customer with every field set, each to a value every dialect that holds the field can
/// write (dates at midnight for the date-only dialects are not needed: they hold none).
fn rich() -> Customer {
    Customer {
        id: None,
        guid: Some("d7cc9ff4-9a15-11e3-bb01-ac162d8a2454".into()),
        login: Some("jan.kowalski".into()),
        email: Some(Email::parse("jan.kowalski@example.pl").unwrap()),
        code: Some("C-1001".into()),
        kind: Kind::Person,
        gender: Some(Gender::Male),
        degree: Some("Ing.".into()),
        first_name: Some("Jan".into()),
        last_name: Some("Kowalski".into()),
        full_name: Some("Jan Kowalski".into()),
        nickname: Some("kowal".into()),
        company: Company {
            name: Some("Kowalski i Syn".into()),
            company_number: Some("12345678".into()),
            vat_id: Some("PL5260001246".into()),
            tax_id: Some("5260001246".into()),
            vat_payer: true,
        },
        phone: Some(Phone::parse("+48601234567").unwrap()),
        phone2: Some(Phone::parse("+48221234567").unwrap()),
        fax: Some(Phone::parse("+48227654321").unwrap()),
        billing: Address {
            full_name: Some("Jan Kowalski".into()),
            company: Some("Kowalski i Syn".into()),
            street: Some("Jasna".into()),
            house_number: Some("5".into()),
            city: Some("Warszawa".into()),
            district: Some("Mazowieckie".into()),
            zip: Some("00-950".into()),
            country: Some(Country::parse("PL").unwrap()),
        },
        shipping: vec![ShippingAddress {
            guid: Some("a1b2c3d4-0000-4000-8000-000000000001".into()),
            full_name: Some("Anna Kowalska".into()),
            company: Some("Magazyn".into()),
            street: Some("Długa".into()),
            house_number: Some("12".into()),
            city: Some("Kraków".into()),
            district: Some("Małopolskie".into()),
            zip: Some("31-147".into()),
            country: Some(Country::parse("PL").unwrap()),
            phone: Some(Phone::parse("+48601000111").unwrap()),
        }],
        language: Some(Language::parse("pl").unwrap()),
        shops: vec![1, 2],
        wholesaler: true,
        groups: vec!["VIP".into()],
        pricelist: Some("Hurt".into()),
        discount_pct: Some(Decimal::new(550, 2)),
        loyalty_points: Some(120),
        balance: Some(Decimal::new(1050, 2)),
        balance_limit: Some(Decimal::new(-5000, 2)),
        active: false,
        blocked: true,
        email_verified: true,
        newsletter_email: Consent::Yes,
        newsletter_email_shops: vec![],
        newsletter_sms: Consent::No,
        newsletter_sms_shops: vec![],
        registered_at: Some(at("2021-06-15 12:00:00")),
        last_login_at: Some(at("2024-01-02 03:04:05")),
        last_order_at: Some(at("2023-12-24 18:30:00")),
        note: Some("Dzwonić po 16".into()),
        tags: vec!["stały".into(), "hurt".into()],
        custom_fields: BTreeMap::from([("vip".to_string(), "gold".to_string())]),
        agreements: vec![Agreement {
            name: "Regulamin".into(),
            status: true,
            time: Some(at("2021-06-15 12:00:00")),
            valid_to: Some(at("2026-06-15 12:00:00")),
        }],
        stats: BTreeMap::from([
            ("orders_all".to_string(), "7".to_string()),
            ("orders_worth".to_string(), "1234.50".to_string()),
            ("orders_worth_in_shop: 1".to_string(), "1000.00".to_string()),
            ("[TURNOVER]".to_string(), "1500.50".to_string()),
        ]),
        extra: BTreeMap::from([
            ("idosell.membership_card".to_string(), "MC-42".to_string()),
            ("upgates.[CAN_SEE_PRIVATE_YN]".to_string(), "1".to_string()),
        ]),
        password: Some(PasswordHash::from_encoded(
            "md5:5f4dcc3b5aa765d61d8327deb882cf99",
        )),
    }
}

fn write_options() -> WriteOptions {
    WriteOptions {
        with_password_hashes: true,
        shop_ids: vec![1, 2],
        custom_field_keys: vec!["vip".into()],
        ..WriteOptions::default()
    }
}

/// Writes one customer in `dialect`.
fn write(dialect: &dyn Dialect, customer: &Customer) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut sink = dialect
            .open_writer(Box::new(&mut out), &write_options())
            .unwrap();
        sink.write_customer(customer).unwrap();
        sink.finish().unwrap();
    }
    out
}

/// Reads the one customer of a file in `dialect`, as `custio convert` does.
fn read(dialect: &dyn Dialect, bytes: &[u8]) -> Customer {
    let options = ReadOptions {
        has_header: Some(true),
        ..ReadOptions::default()
    };
    let mut rows = dialect.open_reader(Box::new(bytes), &options).unwrap();
    let row = rows.next_row().expect("one row").unwrap();
    assert!(
        row.issues.is_empty(),
        "{}: {:?}\n{}",
        dialect.id(),
        row.issues,
        String::from_utf8_lossy(bytes)
    );
    let mut customer = Customer::default();
    for (field, value) in dialect.rules().defaults_for_new {
        if row.patch.get(field).is_none() {
            customer.set(field, Some(value.clone()));
        }
    }
    row.patch.apply(&mut customer);
    customer
}

/// Converts a file with `custio convert`'s engine.
fn convert_file(from: &str, to: &str, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let options = ConvertOptions {
        from: Some(from.into()),
        to: to.into(),
        read: ReadOptions::default(),
        write: write_options(),
    };
    let report = convert(Box::new(bytes), Box::new(&mut out), &options, &NoProgress).unwrap();
    assert_eq!(
        (report.rows, report.written, report.left_out_count),
        (1, 1, 0),
        "{from} -> {to}: {:?}",
        report.left_out
    );
    out
}

/// The fields to compare: what the customer carries, with delivery addresses also field by
/// field (a dialect may keep only the first address).
fn compared(customer: &Customer) -> Vec<Field> {
    let mut fields = carried(customer);
    fields.extend([
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
    ]);
    fields.retain(|f| customer.get(f).is_some());
    fields
}

#[test]
fn a_rich_customer_keeps_what_both_dialects_hold_for_every_pair() {
    let mut failures = Vec::new();
    for a in dialects() {
        // What A itself keeps of the rich customer: the starting point.
        let start = read(*a, &write(*a, &rich()));
        let file_a = write(*a, &start);
        let hold_a = Capacity::of(*a, Reach::RoundTrips);
        for b in dialects() {
            let hold_b = Capacity::of(*b, Reach::RoundTrips);
            let file_b = convert_file(a.id(), b.id(), &file_a);
            let back = convert_file(b.id(), a.id(), &file_b);
            let end = read(*a, &back);
            let mut checked = 0;
            for field in compared(&start) {
                if !(hold_a.holds(&field) && hold_b.holds(&field)) {
                    continue;
                }
                checked += 1;
                if start.get(&field) != end.get(&field) {
                    failures.push(format!(
                        "{} -> {} -> {}: {field}: {:?} came back as {:?}",
                        a.id(),
                        b.id(),
                        a.id(),
                        start.get(&field),
                        end.get(&field)
                    ));
                }
            }
            assert!(
                checked >= 3,
                "{} -> {}: only {checked} fields compared",
                a.id(),
                b.id()
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn each_dialect_keeps_what_it_says_it_holds() {
    let mut failures = Vec::new();
    for d in dialects() {
        let holds = Capacity::of(*d, Reach::RoundTrips);
        let back = read(*d, &write(*d, &rich()));
        for field in compared(&rich()) {
            if holds.holds(&field) && back.get(&field) != rich().get(&field) {
                failures.push(format!(
                    "{}: {field}: {:?} came back as {:?}",
                    d.id(),
                    rich().get(&field),
                    back.get(&field)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
