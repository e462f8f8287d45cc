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
