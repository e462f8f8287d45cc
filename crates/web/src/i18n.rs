//! The panel's side of the translations: the texts themselves are Fluent files in
//! `custio-i18n`; here are the template function `t(id, name=value, ...)`, the `datetime`
//! and `date` filters, and the helpers that turn stored values (actors, audit details, job
//! and batch messages, error codes) into the reader's words.
//!
//! Templates never show a raw value: every word goes through `t`, every date through a
//! filter, and view values that come from the store are rendered where the view is built.

use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use custio_engine::records::Shop;
use minijinja::value::{Kwargs, ValueKind};
use minijinja::{Environment, State, Value};

pub use custio_i18n::{Arg, Lang, message, text};

use crate::error::{ApiError, Code};

/// Adds the `t` function and the date filters to a template environment.
pub fn register(env: &mut Environment<'static>) {
    env.add_function("t", t);
    env.add_filter("datetime", datetime_filter);
    env.add_filter("date", date_filter);
}

/// The language of the page being rendered (its `lang` variable).
fn lang_of(state: &State) -> Lang {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::parse))
        .unwrap_or_default()
}

/// `t("id")` or `t("id", count=3, name="x")`: a message in the page's language; numbers
/// select plural forms.
fn t(state: &State, id: &str, kwargs: Kwargs) -> Result<String, minijinja::Error> {
    let lang = lang_of(state);
    let mut args = Vec::new();
    for name in kwargs.args() {
        let value: Value = kwargs.get(name)?;
        let arg = match value.kind() {
            ValueKind::Number => Arg::Number(f64::try_from(value).unwrap_or_default()),
            ValueKind::Undefined | ValueKind::None => Arg::Text("".into()),
            _ => Arg::Text(value.to_string().into()),
        };
        args.push((name, arg));
    }
    Ok(message(lang, id, &args))
}

/// `{{ x.created_at|datetime }}`: a stored date-time (`2026-12-01T02:00:16`) as the
/// reader's language writes it; nothing for no value.
fn datetime_filter(state: &State, value: Value) -> String {
    match value.as_str() {
        Some(raw) => datetime_text(lang_of(state), raw),
        None => String::new(),
    }
}

/// `{{ d|date }}`: a date (`2026-12-01`) as the reader's language writes it.
fn date_filter(state: &State, value: Value) -> String {
    match value.as_str() {
        Some(raw) => date_text(lang_of(state), raw),
        None => String::new(),
    }
}

/// A stored date-time text in the reader's format; an unreadable one as it is.
pub fn datetime_text(lang: Lang, raw: &str) -> String {
    match NaiveDateTime::from_str(raw.trim()) {
        Ok(at) => custio_i18n::datetime(lang, &at),
        Err(_) => date_text(lang, raw),
    }
}

/// A date text (`YYYY-MM-DD`) in the reader's format; an unreadable one as it is.
pub fn date_text(lang: Lang, raw: &str) -> String {
    match NaiveDate::from_str(raw.trim()) {
        Ok(day) => custio_i18n::date(lang, &day),
        Err(_) => raw.to_string(),
    }
}

/// A shop's name: the name its owner gave, or "Shop N" in the reader's language for the
/// shops custio creates by itself (stored as `Shop N`).
pub fn shop_name(lang: Lang, shop: &Shop) -> String {
    if shop.name == format!("Shop {}", shop.id) {
        message(lang, "shop-default-name", &[("id", shop.id.into())])
    } else {
        shop.name.clone()
    }
}

/// The name of shop `id` among `shops`; a shop that is not (yet) there by its default name.
pub fn shop_by_id(lang: Lang, shops: &[Shop], id: u32) -> String {
    shops
        .iter()
        .find(|s| s.id == id)
        .map(|s| shop_name(lang, s))
        .unwrap_or_else(|| message(lang, "shop-default-name", &[("id", id.into())]))
}

/// A language code as a name in the reader's language (`pl` → `polski`).
pub fn language_name(lang: Lang, code: &str) -> String {
    message(
        lang,
        "language-name",
        &[("code", code.trim().to_lowercase().into())],
    )
}

/// An encoding's name for people (`windows-1250` → `Windows-1250 (środkowoeuropejskie)`).
pub fn encoding_name(lang: Lang, encoding: &str) -> String {
    let id = format!("encoding-{}", encoding.trim().to_lowercase());
    if custio_i18n::has(Lang::En, &id) {
        text(lang, &id)
    } else {
        encoding.to_string()
    }
}

/// Who did something, from the stored actor (`web:ola`, `api:ola:token3`, `cli:root`).
pub fn actor(lang: Lang, actor: &str) -> String {
    let mut parts = actor.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("web"), Some(user), None) => message(lang, "actor-panel", &[("user", user.into())]),
        (Some("api"), Some(user), Some(token)) => message(
            lang,
            "actor-api",
            &[
                ("user", user.into()),
                ("token", token.trim_start_matches("token").into()),
            ],
        ),
        (Some("cli"), Some(user), None) => message(lang, "actor-cli", &[("user", user.into())]),
        _ => actor.to_string(),
    }
}

/// An audit action's name (`user_created` → `dodano użytkownika`).
pub fn audit_action(lang: Lang, action: &str) -> String {
    let id = format!("audit-{action}");
    if custio_i18n::has(Lang::En, &id) {
        text(lang, &id)
    } else {
        action.replace('_', " ")
    }
}

/// An audit entry's detail in the reader's words. Details are short phrases joined by
/// `, ` (`user 'ola'`, `shop 2 'Sklep B'`, `format idosell, search None, shop Some(2)`):
/// each known phrase is translated, parts without a value are left out.
pub fn audit_detail(lang: Lang, detail: &str, shops: &[Shop]) -> String {
    let unquote = |s: &str| {
        let s = s.trim();
        let s = s
            .strip_prefix("Some(")
            .and_then(|s| s.strip_suffix(')'))
            .unwrap_or(s);
        s.replace(['\'', '"'], "")
    };
    detail
        .split(", ")
        .filter_map(|part| {
            let (word, rest) = part.split_once(' ').unwrap_or((part, ""));
            let rest = rest.trim();
            if rest.is_empty() || rest == "None" || rest == "[]" {
                return None;
            }
            let named = |id: &str, name: String| message(lang, id, &[("name", name.into())]);
            Some(match word {
                "customer" => message(lang, "detail-customer", &[("id", rest.into())]),
                "job" => message(lang, "detail-job", &[("id", rest.into())]),
                "batch" => message(lang, "detail-batch", &[("id", rest.into())]),
                "file" => named("detail-file", unquote(rest)),
                "user" => named("detail-user", unquote(rest)),
                "token" => named("detail-token", unquote(rest)),
                "format" => named("detail-format", custio_i18n::dialect_name(lang, rest)),
                "search" => message(lang, "detail-search", &[("value", unquote(rest).into())]),
                "shop" => {
                    let value = unquote(rest);
                    let (id, name) = value.split_once(' ').unwrap_or((&value, ""));
                    let name = match id.parse::<u32>() {
                        Ok(id) if name.is_empty() => shop_by_id(lang, shops, id),
                        Ok(id) => format!("{id} {name}"),
                        Err(_) => value.clone(),
                    };
                    named("detail-shop", name)
                }
                _ => part.to_string(),
            })
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A batch warning in the reader's words (those the engine writes: a shop that the commit
/// will create, the columns a dialect ignores); an unknown warning as it is.
pub fn batch_warning(lang: Lang, warning: &str) -> String {
    if let Some(rest) = warning.strip_prefix("shop ")
        && warning.contains("does not exist yet")
        && let Some(id) = rest
            .split_whitespace()
            .next()
            .and_then(|n| n.parse::<u32>().ok())
    {
        let name = message(lang, "shop-default-name", &[("id", id.into())]);
        return message(
            lang,
            "batch-new-shop",
            &[("id", id.into()), ("name", name.into())],
        );
    }
    if let Some((format, columns)) = warning.split_once(IGNORED_COLUMNS) {
        return message(
            lang,
            "batch-ignored-columns",
            &[("format", format.into()), ("columns", columns.into())],
        );
    }
    warning.to_string()
}

/// What the engine's warning about a dialect's ignored columns says between the format's
/// name and the list.
const IGNORED_COLUMNS: &str = " ignores columns it does not know: ";

/// Why a batch failed: the reader's words, and the technical text when there is more to
/// tell than the words say.
pub fn batch_error(lang: Lang, error: &str) -> (String, Option<String>) {
    if let Some(rest) = error.strip_prefix("replaced by batch ")
        && let Some(id) = rest
            .split_whitespace()
            .next()
            .and_then(|n| n.parse::<i64>().ok())
    {
        return (message(lang, "batch-replaced", &[("id", id.into())]), None);
    }
    if error.starts_with("the server stopped while this file was being checked") {
        return (text(lang, "batch-interrupted"), None);
    }
    (text(lang, "batch-unreadable"), Some(error.to_string()))
}

/// Why a job failed: the reader's words for the job's kind, and the technical text.
pub fn job_error(lang: Lang, kind: &str, error: &str) -> (String, Option<String>) {
    if let Some(rest) = error.strip_prefix("the server stopped while this job ran, ")
        && let Some(n) = rest
            .split_whitespace()
            .next()
            .and_then(|n| n.parse::<u32>().ok())
    {
        return (
            message(lang, "job-interrupted", &[("attempts", n.into())]),
            None,
        );
    }
    let id = if error.contains("choose the format on the import page") {
        "job-failed-format".to_string()
    } else {
        match kind {
            "check" | "commit" | "export" => format!("job-failed-{kind}"),
            _ => "job-failed-other".to_string(),
        }
    };
    (text(lang, &id), Some(error.to_string()))
}

/// A job's note (written when a restart resumed it) in the reader's words.
pub fn job_note(lang: Lang, kind: &str, note: &str) -> String {
    if note.starts_with("resumed") {
        let id = match kind {
            "check" | "commit" => format!("job-resumed-{kind}"),
            _ => "job-resumed-other".to_string(),
        };
        text(lang, &id)
    } else {
        note.to_string()
    }
}

/// Messages the panel's own checks give, with their translations (the API keeps the
/// English message; a person reads it in the panel's language).
const KNOWN_ERRORS: &[(&str, &str)] = &[
    ("choose a file to import", "error-choose-file"),
    ("the file is empty", "error-empty-file"),
    ("select customers first", "error-select-customers"),
    ("a shop id is a number above 0", "error-shop-id"),
    ("a shop needs a name", "error-shop-name"),
    ("the current password is wrong", "error-current-password"),
    ("a user name needs 1 to 64 characters", "error-username"),
    ("wrong user name or password", "login-failed"),
];

/// An error as a person reads it in the panel: what went wrong, in the reader's language.
/// The English panel shows the error's own message; other languages show its translation
/// when the panel knows it, else what the error's code means. Internal names (such as
/// `InvalidRequest`) are never shown.
pub fn error_text(lang: Lang, error: &ApiError) -> String {
    if let Some(minutes) = error.details.get("minutes").and_then(|m| m.as_u64()) {
        return message(lang, "login-throttled", &[("minutes", minutes.into())]);
    }
    if let Some(mb) = error.details.get("limit_mb").and_then(|m| m.as_u64()) {
        return message(lang, "error-too_large", &[("mb", mb.into())]);
    }
    if lang == Lang::En && error.code != Code::Internal {
        let mut m = error.message.clone();
        if let Some(first) = m.get(..1) {
            m.replace_range(..1, &first.to_uppercase());
        }
        return m;
    }
    if let Some((_, id)) = KNOWN_ERRORS.iter().find(|(m, _)| *m == error.message) {
        return text(lang, id);
    }
    if let Some(n) = error
        .message
        .strip_prefix("the password needs at least ")
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse::<u32>().ok())
    {
        return message(lang, "error-password-short", &[("count", n.into())]);
    }
    if error.code == Code::Conflict && error.message.contains("user") {
        return text(lang, "error-user-exists");
    }
    text(lang, &format!("error-{}", error.code.as_str()))
}

/// The language an API request asks for with `Accept-Language` (English without it).
pub struct ReaderLang(pub Lang);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ReaderLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(ReaderLang(
            parts
                .headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map(Lang::negotiate)
                .unwrap_or_default(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dialects_ignored_columns_are_told_in_the_readers_language() {
        let text = batch_warning(
            Lang::Pl,
            "UPgates ignores columns it does not know: '[SHOE]'",
        );
        assert!(text.starts_with("UPgates pomija kolumny"), "{text}");
        assert!(text.ends_with("'[SHOE]'"), "{text}");
    }

    /// Every `t("id")` of every template names a message, and every `t("prefix-" ~ x)`
    /// names the start of some.
    #[test]
    fn every_message_a_template_uses_exists() {
        let ids: Vec<&str> = Lang::En
            .source()
            .lines()
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id))
            .filter(|id| !id.starts_with([' ', '#']))
            .collect();
        let mut checked = 0;
        for (name, source) in crate::templates::SOURCES {
            for part in source.split("t(\"").skip(1) {
                let Some((id, rest)) = part.split_once('"') else {
                    continue;
                };
                if rest.trim_start().starts_with('~') {
                    assert!(
                        ids.iter().any(|i| i.starts_with(id)),
                        "{name}: no message starts with {id}"
                    );
                } else {
                    assert!(ids.contains(&id), "{name} uses unknown message {id}");
                }
                checked += 1;
            }
        }
        assert!(checked > 150, "{checked}");
    }

    #[test]
    fn actors_and_audit_details_read_as_words() {
        assert_eq!(actor(Lang::Pl, "web:ola"), "ola (panel)");
        assert_eq!(actor(Lang::En, "api:ola:token3"), "ola (API, token 3)");
        assert_eq!(actor(Lang::Cs, "cli:root"), "root (příkazový řádek)");
        let shops = vec![Shop {
            id: 2,
            name: "Sklep B".into(),
            url: None,
            language: None,
        }];
        assert_eq!(
            audit_detail(
                Lang::Pl,
                "format idosell, search None, shop Some(2)",
                &shops
            ),
            "format IdoSell, sklep Sklep B"
        );
        assert_eq!(
            audit_detail(
                Lang::Pl,
                "format csv, search Some(\"jan\"), shop None",
                &shops
            ),
            "format Dowolny plik CSV, wyszukiwanie „jan”"
        );
        assert_eq!(
            audit_detail(Lang::Pl, "user 'ola'", &shops),
            "użytkownik ola"
        );
        assert_eq!(
            audit_detail(Lang::Pl, "shop 2 'Sklep B'", &shops),
            "sklep 2 Sklep B"
        );
        assert_eq!(audit_action(Lang::Pl, "user_created"), "dodano użytkownika");
        assert_eq!(
            audit_detail(Lang::Pl, "job 4, file custio-export-4.csv", &shops),
            "zadanie 4, plik custio-export-4.csv"
        );
        assert_eq!(audit_detail(Lang::Cs, "batch 7", &shops), "import 7");
        assert_eq!(
            audit_action(Lang::Pl, "export_with_password_hashes_downloaded"),
            "pobrano eksport ze skrótami (hashami) haseł"
        );
    }

    #[test]
    fn stored_messages_become_words() {
        assert_eq!(
            batch_warning(
                Lang::Pl,
                "shop 2 does not exist yet; the commit creates it as 'Shop 2' (rename it with custio shops add 2 NAME)"
            ),
            "Sklep 2 jeszcze nie istnieje; import utworzy go jako „Sklep 2”. Nazwę możesz zmienić w zakładce Sklepy."
        );
        assert_eq!(
            batch_error(
                Lang::Cs,
                "replaced by batch 4 (checked again with the column mapping)"
            )
            .0,
            "Nahrazen importem 4 (znovu zkontrolován s mapováním sloupců)."
        );
        assert_eq!(
            datetime_text(Lang::Cs, "2026-12-01T02:00:16.123"),
            "01.12.2026 02:00"
        );
        assert_eq!(encoding_name(Lang::Pl, "UTF-8"), "UTF-8");
        assert_eq!(language_name(Lang::Cs, "pl"), "polština");
    }

    #[test]
    fn errors_never_show_internal_names() {
        let e = ApiError::invalid("choose a file to import");
        assert_eq!(error_text(Lang::Pl, &e), "Wybierz plik do zaimportowania.");
        assert_eq!(error_text(Lang::En, &e), "Choose a file to import");
        let e = ApiError::not_found("there is no job 9");
        assert_eq!(error_text(Lang::Bg, &e), "Това не съществува (вече).");
        let e = ApiError::new(Code::TooManyAttempts, "too many failed logins")
            .with_details(serde_json::json!({ "minutes": 1 }));
        assert_eq!(
            error_text(Lang::En, &e),
            "Too many failed logins. Try again in 1 minute."
        );
        let e = crate::api::too_large(5 * 1024 * 1024);
        assert_eq!(e.status(), axum::http::StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(
            error_text(Lang::Pl, &e),
            "Plik jest większy niż 5 MB, które przyjmuje ten serwer."
        );
        assert_eq!(
            error_text(Lang::En, &e),
            "The file is larger than the 5 MB this server takes."
        );
    }
}
