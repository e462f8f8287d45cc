use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

use super::*;

/// Every message of a Fluent source with the variables it uses (selectors included).
fn catalogue(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let resource = fluent_syntax::parser::parse(lang.source())
        .unwrap_or_else(|(_, errors)| panic!("{}.ftl: {errors:?}", lang.code()));
    let mut out = BTreeMap::new();
    for entry in resource.body {
        match entry {
            Entry::Message(m) => {
                let mut vars = BTreeSet::new();
                if let Some(p) = &m.value {
                    pattern_vars(p, &mut vars);
                }
                for a in &m.attributes {
                    pattern_vars(&a.value, &mut vars);
                }
                let id = m.id.name.to_string();
                assert!(
                    out.insert(id.clone(), vars).is_none(),
                    "{}.ftl has {id} twice",
                    lang.code()
                );
            }
            Entry::Junk { content } => panic!("{}.ftl does not parse: {content}", lang.code()),
            _ => {}
        }
    }
    out
}

fn pattern_vars(pattern: &Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(expression: &Expression<&str>, vars: &mut BTreeSet<String>) {
    match expression {
        Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for v in variants {
                pattern_vars(&v.value, vars);
            }
        }
        Expression::Inline(inline) => inline_vars(inline, vars),
    }
}

fn inline_vars(inline: &InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_string());
        }
        InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_vars(a, vars);
            }
            for a in &arguments.named {
                inline_vars(&a.value, vars);
            }
        }
        _ => {}
    }
}

#[test]
fn every_message_exists_in_every_language_with_the_same_arguments() {
    let english = catalogue(Lang::En);
    assert!(english.len() > 100, "{} messages", english.len());
    for lang in [Lang::Pl, Lang::Cs, Lang::Bg] {
        let other = catalogue(lang);
        for (id, vars) in &english {
            let theirs = other
                .get(id)
                .unwrap_or_else(|| panic!("{}.ftl lacks {id}", lang.code()));
            assert_eq!(
                theirs,
                vars,
                "{id}: arguments differ in {}.ftl",
                lang.code()
            );
        }
        for id in other.keys() {
            assert!(
                english.contains_key(id),
                "{}.ftl has {id}, en.ftl does not",
                lang.code()
            );
        }
    }
}

#[test]
fn the_bundles_build_and_format_without_isolation_marks() {
    for lang in Lang::ALL {
        let out = message(lang, "batch-title", &[("id", 7.into())]);
        assert!(out.ends_with('7'), "{out}");
        assert!(!out.contains(['\u{2068}', '\u{2069}']), "{out:?}");
    }
}

fn count(lang: Lang, id: &str, arg: &str, n: u64) -> String {
    message(lang, id, &[(arg, n.into())])
}

#[test]
fn plural_forms_follow_each_language() {
    let base = |lang, n| count(lang, "customers-in-base", "count", n);
    assert_eq!(base(Lang::Pl, 1), "1 klient w bazie");
    assert_eq!(base(Lang::Pl, 2), "2 klientów w bazie");
    assert_eq!(base(Lang::Pl, 5), "5 klientów w bazie");
    assert_eq!(base(Lang::Pl, 22), "22 klientów w bazie");
    assert_eq!(base(Lang::Cs, 1), "1 zákazník v databázi");
    assert_eq!(base(Lang::Cs, 3), "3 zákazníci v databázi");
    assert_eq!(base(Lang::Cs, 5), "5 zákazníků v databázi");
    assert_eq!(base(Lang::Bg, 1), "1 клиент в базата");
    assert_eq!(base(Lang::Bg, 2), "2 клиента в базата");
    assert_eq!(base(Lang::En, 1), "1 customer in the base");
    assert_eq!(base(Lang::En, 0), "0 customers in the base");

    let wait = |lang, n| count(lang, "login-throttled", "minutes", n);
    assert!(
        wait(Lang::En, 1).ends_with("in 1 minute."),
        "{}",
        wait(Lang::En, 1)
    );
    assert!(wait(Lang::En, 2).ends_with("in 2 minutes."));
    assert!(wait(Lang::Pl, 1).ends_with("za 1 minutę."));
    assert!(wait(Lang::Pl, 3).ends_with("za 3 minuty."));
    assert!(wait(Lang::Pl, 15).ends_with("za 15 minut."));
    assert!(wait(Lang::Cs, 1).ends_with("za 1 minutu."));
    assert!(wait(Lang::Cs, 4).ends_with("za 4 minuty."));
    assert!(wait(Lang::Cs, 15).ends_with("za 15 minut."));
    assert!(wait(Lang::Bg, 1).ends_with("след 1 минута."));
    assert!(wait(Lang::Bg, 15).ends_with("след 15 минути."));
}

#[test]
fn accept_language_is_negotiated_by_quality() {
    assert_eq!(
        Lang::negotiate("pl-PL,pl;q=0.9,en-US;q=0.8,en;q=0.7"),
        Lang::Pl
    );
    assert_eq!(Lang::negotiate("de-DE, cs;q=0.5, en;q=0.4"), Lang::Cs);
    assert_eq!(Lang::negotiate("en;q=0.3, bg;q=0.8"), Lang::Bg);
    assert_eq!(Lang::negotiate("bg;q=0, pl;q=0.1"), Lang::Pl);
    assert_eq!(Lang::negotiate("de, fr"), Lang::En);
    assert_eq!(Lang::negotiate("*"), Lang::En);
    assert_eq!(Lang::negotiate(""), Lang::En);
    assert_eq!(Lang::negotiate("CS_cz"), Lang::Cs);
    assert_eq!(Lang::parse("pl-PL"), Some(Lang::Pl));
    assert_eq!(Lang::parse("de"), None);
}

#[test]
fn dates_are_written_as_the_platforms_write_them() {
    let at = NaiveDate::from_ymd_opt(2026, 12, 1)
        .unwrap()
        .and_hms_opt(2, 0, 16)
        .unwrap();
    assert_eq!(datetime(Lang::En, &at), "2026-12-01 02:00");
    assert_eq!(datetime(Lang::Pl, &at), "2026-12-01 02:00:16");
    assert_eq!(datetime(Lang::Cs, &at), "01.12.2026 02:00");
    assert_eq!(datetime(Lang::Bg, &at), "01.12.2026 02:00");
    assert_eq!(date(Lang::Cs, &at.date()), "01.12.2026");
    assert_eq!(date(Lang::Pl, &at.date()), "2026-12-01");
}

#[test]
fn every_field_has_a_label_in_every_language() {
    for lang in Lang::ALL {
        for f in Field::FIXED {
            let id = field_id(f);
            assert!(has(lang, &id), "{} lacks {id}", lang.code());
        }
    }
    assert_eq!(field(Lang::Pl, "billing.street"), "Dane do faktury: ulica");
    assert_eq!(field(Lang::Cs, "custom_fields.vip"), "Vlastní pole: vip");
    assert_eq!(field(Lang::Pl, "agreements.status.rodo"), "Zgoda: rodo");
    assert_eq!(
        field(Lang::Pl, "extra.idosell.offerForamt"),
        "Kolumna IdoSell: offerForamt"
    );
    assert_eq!(field(Lang::Pl, "shoe_size"), "shoe_size");
    assert_eq!(dialect_name(Lang::Pl, "csv"), "Dowolny plik CSV");
}

#[test]
fn values_are_words() {
    assert_eq!(kind(Lang::Pl, Kind::Person), "Osoba prywatna");
    assert_eq!(consent(Lang::Cs, Consent::NotSet), "není nastaveno");
    assert_eq!(consent(Lang::Cs, Consent::Excluded), "vyřazen");
    assert_eq!(yes_no(Lang::Bg, true), "да");
    assert_eq!(gender(Lang::Pl, Gender::Female), "Kobieta");
}

fn every_issue_code() -> Vec<IssueCode> {
    let clash = KeyClash {
        customer: Some(7),
        paired_by: Some("email".into()),
        stored: Some("old".into()),
    };
    vec![
        IssueCode::InvalidEmail,
        IssueCode::InvalidPhone,
        IssueCode::InvalidCountry,
        IssueCode::InvalidLanguage,
        IssueCode::InvalidDate {
            expected: "YYYY-MM-DD HH:MM:SS or DD.MM.YYYY HH:MM".into(),
        },
        IssueCode::InvalidNumber,
        IssueCode::InvalidInteger,
        IssueCode::InvalidChoice {
            allowed: "firm, private".into(),
        },
        IssueCode::InvalidShopIds,
        IssueCode::TooLong { len: 300, max: 255 },
        IssueCode::ControlCharacter {
            character: "U+0000".into(),
        },
        IssueCode::InvalidBlank,
        IssueCode::TooManyCells {
            cells: 9,
            expected: 8,
        },
        IssueCode::TooFewCells {
            cells: 2,
            expected: 8,
        },
        IssueCode::BrokenQuote {
            cells: 3,
            expected: 8,
        },
        IssueCode::UnmappableCharacter {
            encoding: "windows-1250".into(),
        },
        IssueCode::MissingRequired {
            dialect: "idosell".into(),
            new_only: true,
        },
        IssueCode::MissingEmail {
            dialect: "cloudcart".into(),
        },
        IssueCode::MissingIdentity {
            fields: vec!["login".into(), "email".into()],
        },
        IssueCode::UnknownPricelist { name: "VIP".into() },
        IssueCode::UnknownGroup {
            names: vec!["A".into(), "B".into()],
        },
        IssueCode::UnknownAgreement {
            name: "rodo".into(),
        },
        IssueCode::CustomerExists {
            customer: 3,
            paired_by: "login".into(),
        },
        IssueCode::DuplicateLogin { line: 2 },
        IssueCode::DuplicateEmail { line: 2 },
        IssueCode::LoginTaken(clash.clone()),
        IssueCode::EmailTaken(KeyClash {
            stored: None,
            ..clash.clone()
        }),
        IssueCode::GuidTaken(KeyClash {
            customer: None,
            paired_by: None,
            stored: None,
        }),
        IssueCode::ChangedSinceCheck { customer: 4 },
    ]
}

fn every_note() -> Vec<RowNote> {
    vec![
        RowNote::Created { customer: 1 },
        RowNote::Updated { customer: 1 },
        RowNote::Unchanged { customer: 1 },
        RowNote::SkippedByUser,
        RowNote::SkippedExisting {
            customer: 1,
            paired_by: "email".into(),
        },
        RowNote::SkippedWithoutKey {
            customer: 1,
            paired_by: "email".into(),
            dialect: "shoptet".into(),
            required: "guid".into(),
        },
        RowNote::RepeatedInFile {
            line: 2,
            field: "email".into(),
            value: "a@b.pl".into(),
        },
    ]
}

#[test]
fn every_issue_code_and_note_reads_in_every_language() {
    let codes = every_issue_code();
    let names: BTreeSet<&str> = codes.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        names.len(),
        IssueCode::CODES.len(),
        "a code lacks an example here"
    );
    for lang in Lang::ALL {
        for code in &codes {
            for column in [None, Some("email".to_string())] {
                let row = RowIssue {
                    code: code.clone(),
                    column,
                    field: Some("billing.street".into()),
                    value: Some("ż".into()),
                    warning: false,
                };
                let text = issue(lang, &row);
                assert!(!text.contains('{') && !text.contains('}'), "{text}");
                assert!(
                    text.chars().next().unwrap().is_uppercase() || text.starts_with(['“', '„']),
                    "{text}"
                );
                if lang != Lang::En {
                    assert_ne!(
                        text,
                        issue(Lang::En, &row),
                        "{} untranslated",
                        code.as_str()
                    );
                }
            }
        }
        for n in every_note() {
            let text = note(lang, &n);
            assert!(!text.contains('{') && !text.contains('}'), "{text}");
        }
    }
}

#[test]
fn issues_read_like_the_platforms_write() {
    let bad_email = RowIssue {
        code: IssueCode::InvalidEmail,
        column: Some("email".into()),
        field: Some("email".into()),
        value: Some("ewa@".into()),
        warning: false,
    };
    assert_eq!(
        issue(Lang::Pl, &bad_email),
        "Kolumna „email”: „ewa@” nie jest poprawnym adresem e-mail; wpisz go w postaci nazwa@domena, np. jan@example.pl"
    );
    let date = RowIssue {
        code: IssueCode::InvalidDate {
            expected: "YYYY-MM-DD HH:MM:SS or DD.MM.YYYY HH:MM".into(),
        },
        column: None,
        field: Some("registered_at".into()),
        value: Some("1/2/2026".into()),
        warning: true,
    };
    assert_eq!(
        issue(Lang::Pl, &date),
        "Ostrzeżenie: „1/2/2026” nie jest datą w oczekiwanym formacie YYYY-MM-DD GG:MM:SS lub DD.MM.YYYY GG:MM"
    );
    let missing = RowIssue::field(
        IssueCode::MissingRequired {
            dialect: "idosell".into(),
            new_only: true,
        },
        "billing.street",
    );
    assert_eq!(
        issue(Lang::Cs, &missing),
        "Pole „Fakturační adresa: ulice“ je povinné pro nového zákazníka ve formátu IdoSell; vyplňte ho"
    );
    assert_eq!(
        note(Lang::Pl, &RowNote::SkippedByUser),
        "Pominięty przez użytkownika"
    );
    assert_eq!(
        note(Lang::Bg, &RowNote::Created { customer: 5 }),
        "Създаден клиент 5"
    );
    assert_eq!(
        note(
            Lang::Pl,
            &RowNote::SkippedExisting {
                customer: 5,
                paired_by: "login".into()
            }
        ),
        "Klient 5 już istnieje (dopasowano po loginie); pominięty, bo dla istniejących klientów wybrano pozostawienie bez zmian"
    );
}
