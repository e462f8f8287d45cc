//! Write -> read round trip of the CloudCart dialect: what CloudCart both exports and
//! imports (e-mail, names, note, marketing consent, customer group) comes back the same.

use custio_formats::{ReadOptions, WriteOptions, dialect};
use custio_model::{Consent, Customer, Email};
use proptest::prelude::*;

/// Text with what CSV and spreadsheets make hard: commas, quotes, line breaks, Cyrillic
/// and formula triggers.
fn text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(prop_oneof![
        "[A-Za-zА-Яа-я0-9][A-Za-zА-Яа-я0-9 ,;|\"'.-]{0,14}[A-Za-zа-я0-9]",
        Just("=SUM(A1)".to_string()),
        Just("първи ред\nвтори, ред".to_string()),
        Just("@all \"quoted\"".to_string()),
    ])
}

fn customer(i: usize) -> impl Strategy<Value = Customer> {
    (
        text(),
        text(),
        text(),
        any::<bool>(),
        proptest::option::of("[A-Za-zА-Яа-я][A-Za-zА-Яа-я ]{0,8}[a-zа-я]"),
    )
        .prop_map(move |(first, last, note, marketing, group)| Customer {
            email: Some(Email::parse(&format!("client{i}@example.bg")).unwrap()),
            first_name: first,
            last_name: last,
            note,
            newsletter_email: if marketing { Consent::Yes } else { Consent::No },
            groups: group.into_iter().collect(),
            ..Customer::default()
        })
}

fn customers() -> impl Strategy<Value = Vec<Customer>> {
    (1usize..5).prop_flat_map(|n| (0..n).map(customer).collect::<Vec<_>>())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn write_then_read_returns_the_same_customers(customers in customers()) {
        let cloudcart = dialect("cloudcart").unwrap();
        let mut out = Vec::new();
        let mut sink = cloudcart.open_writer(Box::new(&mut out), &WriteOptions::default()).unwrap();
        for c in &customers {
            sink.write_customer(c).unwrap();
        }
        prop_assert_eq!(sink.finish().unwrap(), customers.len() as u64);
        drop(sink);
        let options = ReadOptions { has_header: Some(true), ..ReadOptions::default() };
        let mut rows = cloudcart.open_reader(Box::new(out.as_slice()), &options).unwrap();
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
