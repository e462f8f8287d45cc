//! Write -> read round trip of the IOF dialect: the customers come back the same.

use custio_formats::{ReadOptions, WriteOptions, dialect};
use custio_model::{
    Agreement, Consent, Country, Customer, Decimal, Email, Gender, Kind, Language, PasswordHash,
    Phone, ShippingAddress, parse_datetime,
};
use proptest::prelude::*;

fn text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of("[A-Za-z0-9ąęłńóśźżЖж&<>\"' ,.-]{1,12}".prop_map(|s| s.trim().to_string()))
        .prop_map(|s| s.filter(|s| !s.is_empty()))
}

fn date() -> impl Strategy<Value = Option<custio_model::DateTime>> {
    proptest::option::of(
        (2000u32..2030, 1u32..13, 1u32..29, 0u32..24, 0u32..60).prop_map(|(y, m, d, h, mi)| {
            parse_datetime(
                &format!("{y}-{m:02}-{d:02} {h:02}:{mi:02}:07"),
                &["%Y-%m-%d %H:%M:%S"],
            )
            .unwrap()
        }),
    )
}

fn ids() -> impl Strategy<Value = Vec<u32>> {
    proptest::collection::btree_set(1u32..6, 0..3).prop_map(|s| s.into_iter().collect())
}

fn customer() -> impl Strategy<Value = Customer> {
    let who = (
        "[a-z]{1,8}",
        proptest::option::of("[a-z]{1,6}@[a-z]{1,6}\\.pl"),
        prop_oneof![
            Just((Kind::Company, None)),
            Just((Kind::Person, None)),
            Just((Kind::Person, Some(Gender::Female)))
        ],
        any::<bool>(),
        proptest::option::of(prop_oneof![Just("pl"), Just("cs"), Just("de")]),
        date(),
        date(),
        text(),
        text(),
        text(),
    );
    let contact = (
        proptest::option::of("\\+48[0-9]{9}"),
        text(),
        text(),
        proptest::option::of(prop_oneof![Just("PL"), Just("CZ")]),
        ids(),
        prop_oneof![Just(Consent::Yes), Just(Consent::No), Just(Consent::NotSet)],
        ids(),
        text(),
        proptest::collection::vec("[a-z, ]{1,6}".prop_map(|s| s.trim().to_string()), 0..3),
    );
    let money = (
        proptest::option::of(0i64..100_000),
        proptest::option::of((0i64..10_000).prop_map(|c| Decimal::new(c, 2))),
        proptest::option::of((-10_000i64..10_000).prop_map(|c| Decimal::new(c, 2))),
        proptest::collection::btree_map(
            "[a-z_]{1,6}",
            "[a-z0-9 ]{1,6}"
                .prop_map(|s| s.trim().to_string())
                .prop_filter("non-empty", |s| !s.is_empty()),
            0..3,
        ),
        any::<bool>(),
        proptest::collection::vec((text(), any::<bool>(), date()), 0..2),
        proptest::collection::vec((text(), text()), 0..2),
    );
    (who, contact, money).prop_map(|(w, k, m)| {
        let (login, email, (kind, gender), wholesaler, lang, reg, last, first, lastname, company) =
            w;
        let (phone, street, city, country, shops, consent, consent_shops, note, tags) = k;
        let (points, rebate, balance, custom, with_pw, agreements, shipping) = m;
        let tags: Vec<String> = tags.into_iter().filter(|t| !t.is_empty()).collect();
        Customer {
            login: Some(login),
            email: email.map(|e| Email::parse(&e).unwrap()),
            kind,
            gender,
            wholesaler,
            language: lang.map(|l| Language::parse(l).unwrap()),
            registered_at: reg,
            last_login_at: last,
            first_name: first,
            last_name: lastname,
            company: custio_model::Company {
                name: company,
                ..Default::default()
            },
            phone: phone.map(|p| Phone::parse(&p).unwrap()),
            billing: custio_model::Address {
                street,
                city,
                country: country.map(|c| Country::parse(c).unwrap()),
                ..Default::default()
            },
            shops,
            newsletter_email: consent,
            newsletter_email_shops: if consent == Consent::Yes {
                consent_shops
            } else {
                vec![]
            },
            note,
            tags,
            loyalty_points: points,
            discount_pct: rebate,
            balance,
            custom_fields: custom,
            password: with_pw
                .then(|| PasswordHash::from_encoded("md5:5f4dcc3b5aa765d61d8327deb882cf99")),
            agreements: agreements
                .into_iter()
                .map(|(name, status, time)| Agreement {
                    name: name.unwrap_or_else(|| "terms".into()),
                    status,
                    time,
                    valid_to: None,
                })
                .collect(),
            shipping: shipping
                .into_iter()
                .map(|(full_name, city)| ShippingAddress {
                    full_name,
                    city: city.or(Some("X".into())),
                    ..Default::default()
                })
                .collect(),
            ..Customer::default()
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn write_then_read_returns_the_same_customers(customers in proptest::collection::vec(customer(), 1..4)) {
        let iof = dialect("iof").unwrap();
        let mut out = Vec::new();
        let options = WriteOptions { with_password_hashes: true, ..WriteOptions::default() };
        let mut sink = iof.open_writer(Box::new(&mut out), &options).unwrap();
        for c in &customers {
            sink.write_customer(c).unwrap();
        }
        sink.finish().unwrap();
        drop(sink);
        let mut rows = iof.open_reader(Box::new(out.as_slice()), &ReadOptions::default()).unwrap();
        let mut back = Vec::new();
        while let Some(row) = rows.next_row() {
            let row = row.unwrap();
            prop_assert!(row.issues.is_empty(), "{:?}", row.issues);
            let mut c = Customer::default();
            row.patch.apply(&mut c);
            back.push(c);
        }
        prop_assert_eq!(back, customers, "{}", String::from_utf8_lossy(&out));
    }
}

/// XML cells were never guarded against spreadsheets, so a leading apostrophe is the
/// customer's own text and must survive.
#[test]
fn a_leading_apostrophe_is_text_in_xml() {
    let iof = dialect("iof").unwrap();
    let customer = Customer {
        login: Some("jan".into()),
        billing: custio_model::Address {
            street: Some("'-".into()),
            city: Some("'=Łódź".into()),
            ..Default::default()
        },
        ..Customer::default()
    };
    let mut bytes = Vec::new();
    {
        let mut sink = iof
            .open_writer(Box::new(&mut bytes), &WriteOptions::default())
            .unwrap();
        sink.write_customer(&customer).unwrap();
        sink.finish().unwrap();
    }
    let mut reader = iof
        .open_reader(Box::new(&bytes[..]), &ReadOptions::default())
        .unwrap();
    let row = reader.next_row().unwrap().unwrap();
    let mut back = Customer::default();
    row.patch.apply(&mut back);
    assert_eq!(
        (back.billing.street.as_deref(), back.billing.city.as_deref()),
        (Some("'-"), Some("'=Łódź"))
    );
}
