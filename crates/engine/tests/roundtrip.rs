//! The IdoSell round trip over many random customers: write a file, import it, export it
//! in full, import that into a fresh store, export again. Both exports must be
//! byte-identical and both stores must hold the same customers as the generated file.

use std::collections::BTreeMap;

use custio_engine::{Engine, ImportOptions, NoProgress};
use custio_formats::{WriteOptions, dialect};
use custio_model::{
    Address, Company, Consent, Country, Customer, Decimal, Email, Gender, Kind, Language, Phone,
};
use custio_store::CustomerQuery;
use proptest::prelude::*;

const ROWS: usize = 10_000;

fn name() -> impl Strategy<Value = String> {
    "[A-ZŻŁŚ][a-ząćęłńóśźż]{1,10}( [A-Z][a-z]{1,8})?"
}

/// Free text with everything CSV and Excel make hard: separators, quotes, line breaks,
/// formula triggers, a leading apostrophe.
fn awkward_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-zżółćęśąźń0-9][A-Za-zżółćęśąźń0-9 ;,\"'.\\-]{0,24}[a-z0-9]",
        Just("=HYPERLINK(\"x\")".to_string()),
        Just("'=starts with a quote".to_string()),
        Just("line one\nline two".to_string()),
        Just("@mention; and \"quotes\"".to_string()),
    ]
}

fn datetime() -> impl Strategy<Value = custio_model::DateTime> {
    (
        2000i32..2026,
        1u32..13,
        1u32..29,
        0u32..24,
        0u32..60,
        0u32..60,
    )
        .prop_map(|(y, m, d, h, mi, s)| {
            chrono::NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, mi, s)
                .unwrap()
        })
}

fn money() -> impl Strategy<Value = Decimal> {
    (-100_000i64..1_000_000, 0u32..3).prop_map(|(n, scale)| Decimal::new(n, scale))
}

fn shops() -> impl Strategy<Value = Vec<u32>> {
    proptest::sample::subsequence(vec![1u32, 2, 3], 1..=3)
}

fn consent() -> impl Strategy<Value = (Consent, Vec<u32>)> {
    prop_oneof![
        Just((Consent::Yes, vec![])),
        Just((Consent::No, vec![])),
        Just((Consent::NotSet, vec![])),
        proptest::sample::subsequence(vec![1u32, 2, 3], 1..=2).prop_map(|s| (Consent::Yes, s)),
    ]
}

prop_compose! {
    /// A customer holding only what an IdoSell file can hold; `i` keeps login and e-mail unique.
    fn idosell_customer(i: usize)(
        first in name(), last in name(), street in awkward_text(), zip in "[0-9]{2}-[0-9]{3}", city in name(),
        company in proptest::option::of(awkward_text()), tax in proptest::option::of("[0-9]{10}"),
        kind_gender in prop_oneof![Just((Kind::Company, None)), Just((Kind::Person, None)), Just((Kind::Person, Some(Gender::Male))), Just((Kind::Person, Some(Gender::Female)))],
        phone in proptest::option::of("\\+48[0-9]{9}"), phone2 in proptest::option::of("[0-9]{9}"),
        country in proptest::sample::select(vec!["PL", "CZ", "SK", "DE", "BG"]),
        language in proptest::sample::select(vec!["pl", "cs", "sk", "de", "bg", "en"]),
        registered in datetime(), last_login in datetime(), last_order in proptest::option::of(datetime()),
        shops in shops(), mailing in consent(), sms in consent(),
        flags in (any::<bool>(), any::<bool>()),
        note in proptest::option::of(awkward_text()), tags in proptest::collection::vec("[a-z]{2,8}", 0..3),
        discount in proptest::option::of((0i64..10_000).prop_map(|n| Decimal::new(n, 2))),
        points in proptest::option::of(0i64..1_000_000), balance in proptest::option::of(money()), limit in proptest::option::of(money()),
        orders in proptest::option::of(0u32..500), worth in proptest::option::of(money()),
        card in proptest::option::of("[A-Z0-9]{6,12}"), affiliate in proptest::option::of(proptest::sample::select(vec!["n", "t", "c", "b"])),
    ) -> Customer {
        let mut stats = BTreeMap::new();
        if let Some(n) = orders { stats.insert("orders_all".to_string(), n.to_string()); }
        if let Some(w) = worth {
            stats.insert("orders_worth".to_string(), w.to_string());
            stats.insert("orders_worth_in_shop: 1".to_string(), w.to_string());
        }
        let mut extra = BTreeMap::new();
        if let Some(c) = card { extra.insert("idosell.membership_card".to_string(), c); }
        if let Some(a) = affiliate { extra.insert("idosell.affiliate_program".to_string(), a.to_string()); }
        Customer {
            login: Some(format!("user{i}")),
            email: Some(Email::parse(&format!("user{i}@example{}.pl", i % 7)).unwrap()),
            kind: kind_gender.0,
            gender: kind_gender.1,
            first_name: Some(first),
            last_name: Some(last),
            company: Company { name: company, tax_id: tax, ..Company::default() },
            phone: phone.map(|p| Phone::parse(&p).unwrap()),
            phone2: phone2.map(|p| Phone::parse(&p).unwrap()),
            billing: Address { street: Some(street), zip: Some(zip), city: Some(city), country: Some(Country::parse(country).unwrap()), ..Address::default() },
            language: Some(Language::parse(language).unwrap()),
            shops,
            wholesaler: flags.0,
            blocked: flags.1,
            newsletter_email: mailing.0,
            newsletter_email_shops: mailing.1,
            newsletter_sms: sms.0,
            newsletter_sms_shops: sms.1,
            registered_at: Some(registered),
            last_login_at: Some(last_login),
            last_order_at: last_order,
            note,
            tags,
            discount_pct: discount,
            loyalty_points: points,
            balance,
            balance_limit: limit,
            stats,
            extra,
            ..Customer::default()
        }
    }
}

fn customers(n: usize) -> impl Strategy<Value = Vec<Customer>> {
    (0..n).map(idosell_customer).collect::<Vec<_>>()
}

fn write_file(customers: &[Customer]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let options = WriteOptions {
            shop_ids: vec![1, 2, 3],
            ..WriteOptions::default()
        };
        let mut sink = dialect("idosell")
            .unwrap()
            .open_writer(Box::new(&mut out), &options)
            .unwrap();
        for c in customers {
            sink.write_customer(c).unwrap();
        }
        sink.finish().unwrap();
    }
    out
}

fn import(engine: &Engine, bytes: &[u8]) {
    let report = engine
        .check(
            Box::new(bytes),
            "generated.csv",
            "idosell",
            &ImportOptions::default(),
            &NoProgress,
        )
        .unwrap();
    assert_eq!(
        report.counts.invalid,
        0,
        "rows rejected: {:?}",
        engine
            .rows(
                report.batch,
                Some(custio_store::RowStatus::Invalid),
                None,
                3
            )
            .unwrap()
            .iter()
            .map(|r| &r.issues)
            .collect::<Vec<_>>()
    );
    let counts = engine.commit(report.batch, None, &NoProgress).unwrap();
    assert_eq!((counts.imported, counts.failed), (report.counts.rows, 0));
}

fn export(engine: &Engine) -> Vec<u8> {
    let mut out = Vec::new();
    engine
        .export(
            "idosell",
            WriteOptions::default(),
            &CustomerQuery::default(),
            Box::new(&mut out),
            "test",
            &NoProgress,
        )
        .unwrap();
    out
}

fn stored(engine: &Engine) -> Vec<Customer> {
    engine
        .customers_page(&CustomerQuery::default(), None, usize::MAX >> 1)
        .unwrap()
}

fn engine_in(dir: &tempfile::TempDir, name: &str) -> Engine {
    Engine::new(custio_store::open(&custio_testdb::url(dir.path(), name)).unwrap())
}

/// Runs one case of the round trip; an `Err` names what differed.
fn round_trip(generated: Vec<Customer>) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let first = engine_in(&dir, "first.db");
    import(&first, &write_file(&generated));
    let stored_first = stored(&first);
    prop_assert_eq!(stored_first.len(), generated.len());
    for (i, (stored, original)) in stored_first.iter().zip(&generated).enumerate() {
        let expected = Customer {
            id: Some(i as i64 + 1),
            ..original.clone()
        };
        prop_assert_eq!(stored, &expected);
    }
    let export_first = export(&first);

    let second = engine_in(&dir, "second.db");
    import(&second, &export_first);
    let export_second = export(&second);
    prop_assert!(export_first == export_second, "the two full exports differ");
    prop_assert_eq!(stored(&second), stored_first);
    Ok(())
}

#[test]
fn ten_thousand_customers_round_trip_byte_for_byte() {
    // A customer strategy is a deep tuple; ten thousand of them need a bigger stack than a
    // test thread has.
    std::thread::Builder::new()
        .stack_size(512 << 20)
        .spawn(|| {
            let config = ProptestConfig {
                cases: 2,
                max_shrink_iters: 0,
                ..ProptestConfig::default()
            };
            let mut runner = proptest::test_runner::TestRunner::new(config);
            if let Err(e) = runner.run(&customers(ROWS), round_trip) {
                panic!("{e}");
            }
        })
        .unwrap()
        .join()
        .unwrap();
}
