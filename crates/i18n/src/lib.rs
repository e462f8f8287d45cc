//! custio's translations: every text a person reads in the panel (and, by
//! `Accept-Language`, in the REST API's row listings), in English, Polish, Czech and
//! Bulgarian, in the words shop staff know from IdoSell, Shoptet, UPgates and CloudCart.
//!
//! The texts are [Project Fluent](https://projectfluent.org) files, one per language
//! (`locales/{en,pl,cs,bg}.ftl`), compiled into the binary. A message receives its numbers
//! and names as arguments, so the language's CLDR plural rules pick the form
//! (`1 klient`, `2 klientów`, `5 klientów`) and the translator controls word order.
//!
//! - [`Lang`]: the four languages, [`Lang::negotiate`] reads an `Accept-Language` header.
//! - [`message`] and [`text`]: a message with or without arguments.
//! - [`datetime`] and [`date`]: dates the way each language's shop platforms write them.
//! - [`field`]: a customer field's label (`billing.street` → `Ulica`), keyed fields with a
//!   translated prefix and their key.
//! - [`kind`], [`consent`], [`gender`], [`yes_no`]: customer values.
//! - [`issue`] and [`note`]: a row's issues (coded as [`IssueCode`]) and its result or skip
//!   reason ([`RowNote`]) as sentences; the command line renders them in English.
//!
//! ```
//! use custio_i18n::{Lang, message};
//!
//! let lang = Lang::negotiate("pl-PL,pl;q=0.9,en;q=0.8");
//! assert_eq!(lang, Lang::Pl);
//! assert_eq!(message(lang, "customers-in-base", &[("count", 2.into())]), "2 klientów w bazie");
//! ```

use std::borrow::Cow;
use std::sync::LazyLock;

use chrono::{NaiveDate, NaiveDateTime};
use custio_model::{Consent, Field, Gender, IssueCode, KeyClash, Kind, RowIssue, RowNote};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language of the panel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Pl,
    Cs,
    Bg,
}

impl Lang {
    /// Every language, English (the fallback) first.
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Pl, Lang::Cs, Lang::Bg];

    /// The ISO 639-1 code (`pl`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Pl => "pl",
            Lang::Cs => "cs",
            Lang::Bg => "bg",
        }
    }

    /// The language of a code or language tag (`pl`, `PL`, `pl-PL`, `cs_CZ`).
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        Self::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    /// The best language for an `Accept-Language` header value: the acceptable tag with
    /// the highest quality that names one of ours (earlier tags win ties); English when
    /// none does.
    pub fn negotiate(accept_language: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for item in accept_language.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .filter_map(|q| q.trim().parse::<f32>().ok())
                .next()
                .unwrap_or(1.0);
            if quality <= 0.0 {
                continue;
            }
            if let Some(lang) = Lang::parse(tag)
                && best.is_none_or(|(q, _)| quality > q)
            {
                best = Some((quality, lang));
            }
        }
        best.map(|(_, lang)| lang).unwrap_or_default()
    }

    /// The language's Fluent source.
    pub fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../locales/en.ftl"),
            Lang::Pl => include_str!("../locales/pl.ftl"),
            Lang::Cs => include_str!("../locales/cs.ftl"),
            Lang::Bg => include_str!("../locales/bg.ftl"),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One bundle per language, built once. Concurrent bundles are `Sync`: every request
/// thread formats with them. Isolation marks (U+2068/U+2069 around each argument) are off:
/// every text is left-to-right, and the marks would end up in HTML, CSV reasons and JSON.
static BUNDLES: LazyLock<Vec<FluentBundle<FluentResource>>> = LazyLock::new(|| {
    Lang::ALL
        .iter()
        .map(|lang| {
            let resource =
                FluentResource::try_new(lang.source().to_string()).unwrap_or_else(|(_, e)| {
                    panic!("locales/{}.ftl does not parse: {e:?}", lang.code())
                });
            let id = lang
                .code()
                .parse()
                .expect("a language code is a language id");
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            bundle.set_use_isolating(false);
            bundle
                .add_resource(resource)
                .unwrap_or_else(|e| panic!("locales/{}.ftl: {e:?}", lang.code()));
            bundle
        })
        .collect()
});

/// An argument of a message: a text, or a number (which selects plural forms).
#[derive(Clone, Debug, PartialEq)]
pub enum Arg<'a> {
    Text(Cow<'a, str>),
    Number(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(v: &'a str) -> Self {
        Arg::Text(Cow::Borrowed(v))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(v: &'a String) -> Self {
        Arg::Text(Cow::Borrowed(v))
    }
}

impl From<String> for Arg<'_> {
    fn from(v: String) -> Self {
        Arg::Text(Cow::Owned(v))
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg<'_> {
            fn from(v: $t) -> Self {
                Arg::Number(v as f64)
            }
        }
    )*};
}

number_arg!(i32, i64, u32, u64, usize, f64);

/// Whether the language has the message (every language has every message: a test sees
/// to it; this is for ids built from values, such as `kind-` and a kind).
pub fn has(lang: Lang, id: &str) -> bool {
    BUNDLES[lang.index()].has_message(id)
}

/// A message with arguments. A message missing in the language falls back to English, and
/// an unknown id comes back as it is (the catalogue test keeps that from happening).
pub fn message(lang: Lang, id: &str, args: &[(&str, Arg<'_>)]) -> String {
    let lang = if has(lang, id) { lang } else { Lang::En };
    let bundle = &BUNDLES[lang.index()];
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return id.to_string();
    };
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        let value = match value {
            Arg::Text(t) => FluentValue::from(t.to_string()),
            Arg::Number(n) => FluentValue::from(*n),
        };
        fluent_args.set(*name, value);
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fluent_args), &mut errors)
        .into_owned()
}

/// A message without arguments.
pub fn text(lang: Lang, id: &str) -> String {
    message(lang, id, &[])
}

/// A date and time as the shop platforms of the language write them, to the minute
/// (seconds in Polish):
///
/// - Polish `2026-12-01 02:00:16`: IdoSell's panels and files write `YYYY-MM-DD GG:MM:SS`;
///   staff compare our lists with IdoSell's, so we write what they see there.
/// - Czech `01.12.2026 02:00`: Shoptet and UPgates show `DD.MM.RRRR HH:MM` in their lists
///   (their files use `RRRR-MM-DD HH:MM:SS`, but that is the file, not the panel).
/// - Bulgarian `01.12.2026 02:00`: CloudCart's `DD.MM.YYYY HH:MM`.
/// - English `2026-12-01 02:00`: ISO order, unambiguous for readers of any country, with a
///   space instead of ISO's `T`.
///
/// Times are shop-local, as stored; no time zone is shown.
pub fn datetime(lang: Lang, at: &NaiveDateTime) -> String {
    let format = match lang {
        Lang::En => "%Y-%m-%d %H:%M",
        Lang::Pl => "%Y-%m-%d %H:%M:%S",
        Lang::Cs | Lang::Bg => "%d.%m.%Y %H:%M",
    };
    at.format(format).to_string()
}

/// A date as [`datetime`] writes its date part.
pub fn date(lang: Lang, day: &NaiveDate) -> String {
    let format = match lang {
        Lang::En | Lang::Pl => "%Y-%m-%d",
        Lang::Cs | Lang::Bg => "%d.%m.%Y",
    };
    day.format(format).to_string()
}

/// The message id of a fixed field's label: `field-` and its name with `-` for `.` and `_`
/// (`billing.street` → `field-billing-street`).
pub fn field_id(field: &Field) -> String {
    format!("field-{}", field.name().replace(['.', '_'], "-"))
}

/// A field's label for people. Keyed fields get a translated prefix and their key
/// (`custom_fields.vip` → `Pole własne: vip`).
pub fn field_label(lang: Lang, field: &Field) -> String {
    let keyed = |id: &str, key: &str| message(lang, id, &[("key", key.into())]);
    match field {
        Field::CustomField(k) => keyed("field-custom", k),
        Field::Stat(k) => keyed("field-stat", k),
        Field::AgreementStatus(k) => keyed("field-agreement-status", k),
        Field::AgreementTime(k) => keyed("field-agreement-time", k),
        Field::AgreementValidTo(k) => keyed("field-agreement-valid-to", k),
        Field::Extra(k) => match k.split_once('.') {
            Some((dialect, column)) => message(
                lang,
                "field-extra",
                &[
                    ("column", column.into()),
                    ("format", dialect_name(lang, dialect).into()),
                ],
            ),
            None => keyed("field-extra-other", k),
        },
        fixed => text(lang, &field_id(fixed)),
    }
}

/// The label of a field named as in mappings and edits (`billing.street`); a name that is
/// not a field (a column of the user's file) comes back as it is.
pub fn field(lang: Lang, name: &str) -> String {
    match Field::parse(name) {
        Ok(f) => field_label(lang, &f),
        Err(_) => name.to_string(),
    }
}

/// A format's name (`csv` → `Dowolny plik CSV`); an unknown id comes back as it is.
pub fn dialect_name(lang: Lang, id: &str) -> String {
    let key = format!("dialect-{id}");
    if has(Lang::En, &key) {
        text(lang, &key)
    } else {
        id.to_string()
    }
}

/// A customer's kind (person, company, contact).
pub fn kind(lang: Lang, kind: Kind) -> String {
    text(lang, &format!("kind-{}", kind.as_str()))
}

/// A newsletter consent (yes, no, not set, excluded).
pub fn consent(lang: Lang, consent: Consent) -> String {
    text(lang, &format!("consent-{}", consent.as_str()))
}

/// A gender.
pub fn gender(lang: Lang, gender: Gender) -> String {
    text(lang, &format!("gender-{}", gender.as_str()))
}

/// Yes or no.
pub fn yes_no(lang: Lang, value: bool) -> String {
    text(lang, if value { "yes" } else { "no" })
}

/// A date format as the language's platforms name its parts (`YYYY-MM-DD HH:MM:SS` is
/// `YYYY-MM-DD GG:MM:SS` in IdoSell's Polish, `RRRR-MM-DD HH:MM:SS` in Czech); several
/// formats are joined with the language's "or".
pub fn date_format_hint(lang: Lang, expected: &str) -> String {
    let or = format!(" {} ", text(lang, "word-or"));
    expected
        .split(" or ")
        .map(|f| match lang {
            Lang::Pl => f.replace("HH", "GG"),
            Lang::Cs => f.replace("YYYY", "RRRR"),
            Lang::En | Lang::Bg => f.to_string(),
        })
        .collect::<Vec<_>>()
        .join(&or)
}

/// A key's name mid-sentence (`email` → `adres e-mail`).
fn key_name(lang: Lang, key: &str) -> String {
    message(lang, "key-name", &[("key", key.into())])
}

/// The first letter in upper case.
fn capitalised(text: String) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => text,
    }
}

/// A row issue as a sentence in `lang`: `Kolumna „email”: „ewa@” nie jest poprawnym
/// adresem e-mail; …`, with `Ostrzeżenie:` first for a warning.
pub fn issue(lang: Lang, issue: &RowIssue) -> String {
    let value = issue.value.as_deref().unwrap_or_default();
    let field_name = issue.field.as_deref().unwrap_or_default();
    let m = |id: &str, args: &[(&str, Arg<'_>)]| message(lang, id, args);
    let with_value = |id: &str| m(id, &[("value", value.into())]);
    let dialect = |d: &str| dialect_name(lang, d);
    let paired = |by: &str| message(lang, "paired-by", &[("key", by.into())]);
    let clash = |key: &str, c: &KeyClash| match (c.customer, &c.paired_by, &c.stored) {
        (Some(id), Some(by), Some(stored)) => m(
            "issue-taken-stored",
            &[
                ("by", key_name(lang, by).into()),
                ("customer", id.into()),
                ("key", key_name(lang, key).into()),
                ("stored", stored.into()),
                ("value", value.into()),
            ],
        ),
        (Some(id), Some(by), None) => m(
            "issue-taken-paired",
            &[
                ("customer", id.into()),
                ("paired", paired(by).into()),
                ("key", key_name(lang, key).into()),
                ("value", value.into()),
            ],
        ),
        _ => m(
            "issue-taken",
            &[("key", key_name(lang, key).into()), ("value", value.into())],
        ),
    };
    let cells = |id: &str, cells: usize, expected: usize| {
        m(
            id,
            &[("cells", cells.into()), ("expected", expected.into())],
        )
    };
    let text = match &issue.code {
        IssueCode::InvalidEmail => with_value("issue-invalid_email"),
        IssueCode::InvalidPhone => with_value("issue-invalid_phone"),
        IssueCode::InvalidCountry => with_value("issue-invalid_country"),
        IssueCode::InvalidLanguage => with_value("issue-invalid_language"),
        IssueCode::InvalidDate { expected } => m(
            "issue-invalid_date",
            &[
                ("value", value.into()),
                ("expected", date_format_hint(lang, expected).into()),
            ],
        ),
        IssueCode::InvalidNumber => with_value("issue-invalid_number"),
        IssueCode::InvalidInteger => with_value("issue-invalid_integer"),
        IssueCode::InvalidChoice { allowed } => m(
            "issue-invalid_choice",
            &[("value", value.into()), ("allowed", allowed.into())],
        ),
        IssueCode::InvalidShopIds => with_value("issue-invalid_shop_ids"),
        IssueCode::TooLong { len, max } => m(
            "issue-too_long",
            &[("len", (*len).into()), ("max", (*max).into())],
        ),
        IssueCode::ControlCharacter { character } => m(
            "issue-control_character",
            &[("value", value.into()), ("character", character.into())],
        ),
        IssueCode::InvalidBlank => with_value("issue-invalid_blank"),
        IssueCode::TooManyCells { cells: c, expected } => {
            cells("issue-too_many_cells", *c, *expected)
        }
        IssueCode::TooFewCells { cells: c, expected } => {
            cells("issue-too_few_cells", *c, *expected)
        }
        IssueCode::BrokenQuote { cells: c, expected } => cells("issue-broken_quote", *c, *expected),
        IssueCode::UnmappableCharacter { encoding } => {
            let code = value.chars().next().map(|c| c as u32).unwrap_or(0);
            m(
                "issue-unmappable_character",
                &[
                    ("value", value.into()),
                    ("codepoint", format!("U+{code:04X}").into()),
                    ("encoding", encoding.into()),
                ],
            )
        }
        IssueCode::MissingRequired {
            dialect: d,
            new_only,
        } => m(
            if *new_only {
                "issue-missing_required_new"
            } else {
                "issue-missing_required"
            },
            &[
                ("field", field(lang, field_name).into()),
                ("dialect", dialect(d).into()),
            ],
        ),
        IssueCode::MissingEmail { dialect: d } => {
            m("issue-missing_email", &[("dialect", dialect(d).into())])
        }
        IssueCode::MissingIdentity { fields } => {
            let or = format!(" {} ", text(lang, "word-or"));
            let names: Vec<String> = fields.iter().map(|f| field(lang, f)).collect();
            m(
                "issue-missing_identity",
                &[("fields", names.join(&or).into())],
            )
        }
        IssueCode::UnknownPricelist { name } => {
            m("issue-unknown_pricelist", &[("name", name.into())])
        }
        IssueCode::UnknownGroup { names } => {
            m("issue-unknown_group", &[("names", names.join(", ").into())])
        }
        IssueCode::UnknownAgreement { name } => {
            m("issue-unknown_agreement", &[("name", name.into())])
        }
        IssueCode::CustomerExists {
            customer,
            paired_by,
        } => m(
            "issue-customer_exists",
            &[
                ("customer", (*customer).into()),
                ("paired", paired(paired_by).into()),
            ],
        ),
        IssueCode::DuplicateLogin { line } => m(
            "issue-duplicate_login",
            &[("value", value.into()), ("line", (*line).into())],
        ),
        IssueCode::DuplicateEmail { line } => m(
            "issue-duplicate_email",
            &[("value", value.into()), ("line", (*line).into())],
        ),
        IssueCode::LoginTaken(c) => clash("login", c),
        IssueCode::EmailTaken(c) => clash("email", c),
        IssueCode::GuidTaken(c) => clash("guid", c),
        IssueCode::ChangedSinceCheck { customer } => m(
            "issue-changed_since_check",
            &[("customer", (*customer).into())],
        ),
    };
    let text = match &issue.column {
        Some(column) => m(
            "issue-in-column",
            &[("column", column.into()), ("message", text.into())],
        ),
        None => capitalised(text),
    };
    if issue.warning {
        m("issue-warning", &[("message", text.into())])
    } else {
        text
    }
}

/// What became of a row (its result after a commit, or why it was skipped) as a sentence.
pub fn note(lang: Lang, note: &RowNote) -> String {
    let m = |id: &str, args: &[(&str, Arg<'_>)]| message(lang, id, args);
    let paired = |by: &str| message(lang, "paired-by", &[("key", by.into())]);
    capitalised(match note {
        RowNote::Created { customer } => m("note-created", &[("customer", (*customer).into())]),
        RowNote::Updated { customer } => m("note-updated", &[("customer", (*customer).into())]),
        RowNote::Unchanged { customer } => m("note-unchanged", &[("customer", (*customer).into())]),
        RowNote::SkippedByUser => text(lang, "note-skipped_by_user"),
        RowNote::SkippedExisting {
            customer,
            paired_by,
        } => m(
            "note-skipped_existing",
            &[
                ("customer", (*customer).into()),
                ("paired", paired(paired_by).into()),
            ],
        ),
        RowNote::SkippedWithoutKey {
            customer,
            paired_by,
            dialect,
            required,
        } => m(
            "note-skipped_without_key",
            &[
                ("customer", (*customer).into()),
                ("by", key_name(lang, paired_by).into()),
                ("required", key_name(lang, required).into()),
                ("dialect", dialect_name(lang, dialect).into()),
            ],
        ),
        RowNote::RepeatedInFile { line, field, value } => m(
            "note-repeated_in_file",
            &[
                ("key", key_name(lang, field).into()),
                ("value", value.into()),
                ("line", (*line).into()),
            ],
        ),
    })
}

#[cfg(test)]
mod tests;
