//! The panel in the reader's language: every page an admin reaches, in Polish, after an
//! import with a bad row, shows no English word and no raw name (the glossary's findings);
//! counted texts take the language's plural forms; the API renders row messages by
//! `Accept-Language`.

mod util;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT_LANGUAGE, COOKIE};
use serde_json::{Value, json};
use util::*;

/// English words and raw names that must not show in a Polish page: values, field names,
/// states, actors, audit actions, internal error names, engine messages.
const NOT_IN_POLISH: &[&str] = &[
    "person",
    "company",
    "contact",
    "notset",
    "excluded",
    "billing.",
    "shipping.",
    "company_number",
    "custom_fields.",
    "None",
    "Some(",
    "created customer",
    "skipped by the user",
    "no change needed",
    "not a valid",
    "column '",
    "already appears",
    "expected format",
    "paired by",
    "suggested",
    "Generic CSV",
    "Shop 1",
    "Shop 2",
    "shop 2 does not exist",
    "custio shops add",
    "export_with_password_hashes",
    "user_created",
    "shop_saved",
    "token_created",
    "InvalidRequest",
    "NotFound",
    "invalid_request",
    "web:admin",
    "api:admin",
    "/s",
    "staff",
    "queued",
    "running",
    "succeeded",
    "failed",
    "needs_mapping",
    "checked",
    "committed",
    "pending",
    "invalid",
    "skipped",
    "imported",
    "update",
    "unchanged",
    "Customers",
    "Import log",
    "Jobs",
    "not yet",
    "Rows",
    "detect",
    "Download",
    "replaced by batch",
    "utf-8",
    "windows-1250",
];

/// The text a reader sees: tags, scripts and the English technical details that open only
/// on request (`<details class="muted technical">`) left out; `placeholder` and `title`
/// attributes and option labels kept.
fn visible_text(html: &str) -> String {
    let mut html = html.to_string();
    for (open, close) in [
        ("<script", "</script>"),
        ("<style", "</style>"),
        ("<details class=\"muted technical\">", "</details>"),
        ("<head>", "</head>"),
    ] {
        while let Some(start) = html.find(open) {
            let end = html[start..]
                .find(close)
                .map(|e| start + e + close.len())
                .unwrap_or(html.len());
            html.replace_range(start..end, " ");
        }
    }
    let mut out = String::new();
    let mut rest = html.as_str();
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        out.push(' ');
        let end = rest[lt..]
            .find('>')
            .map(|e| lt + e + 1)
            .unwrap_or(rest.len());
        let tag = &rest[lt..end];
        for attr in ["placeholder=\"", "title=\""] {
            if let Some(at) = tag.find(attr) {
                let value = &tag[at + attr.len()..];
                out.push_str(value.split('"').next().unwrap_or_default());
                out.push(' ');
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&#x2f;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// Whether `word` stands in `text` as a word of its own (not inside a longer word).
fn has_word(text: &str, word: &str) -> bool {
    let inner = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let glued_before = word.starts_with(inner) && before.is_some_and(inner);
        let glued_after = word.ends_with(inner) && after.is_some_and(inner);
        !glued_before && !glued_after
    })
}

/// An ISO timestamp (`2026-12-01T02:00`) anywhere in the text.
fn iso_timestamp(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(15)).find_map(|i| {
        let w = &b[i..i + 16];
        let digits = |r: std::ops::Range<usize>| w[r].iter().all(u8::is_ascii_digit);
        (digits(0..4)
            && w[4] == b'-'
            && digits(5..7)
            && w[7] == b'-'
            && digits(8..10)
            && w[10] == b'T'
            && digits(11..13)
            && w[13] == b':')
            .then(|| &text[i..i + 16])
    })
}

async fn page(app: &TestApp, cookie: &str, path: &str) -> String {
    let response = app
        .client
        .get(app.at(path))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let html = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{path}: {html}");
    html
}

fn assert_polish(path: &str, html: &str) {
    assert!(html.contains("<html lang=\"pl\">"), "{path}");
    let text = visible_text(html);
    for word in NOT_IN_POLISH {
        assert!(
            !has_word(&text, word),
            "{path} shows '{word}':\n{}",
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }
    assert!(
        iso_timestamp(&text).is_none(),
        "{path} shows an ISO timestamp {:?}",
        iso_timestamp(&text)
    );
}

/// Imports the test file with its unknown column mapped and its bad row left in, skips one
/// row and imports the rest; returns the two batches (the one that needed the mapping, and
/// the checked one).
async fn import_with_a_bad_row(api: &Api<'_>) -> (i64, i64) {
    let job = api
        .check(
            "dialect=idosell&filename=klienci.csv",
            IDOSELL_WITH_UNKNOWN_AND_BAD_ROW,
        )
        .await;
    let first = job["result"]["batch"].as_i64().unwrap();
    let job = api
        .json(
            api.post(&format!("/api/v1/batches/{first}/mapping")).json(
                &json!({ "mappings": { "shoe_size": "custom_fields.shoe" }, "save_as": "buty" }),
            ),
            StatusCode::ACCEPTED,
        )
        .await;
    let job = api.wait_job(job["id"].as_i64().unwrap()).await;
    assert_eq!(job["state"], "succeeded", "{job}");
    let id = job["result"]["batch"].as_i64().unwrap();
    api.json(
        api.post(&format!("/api/v1/batches/{id}/skip"))
            .json(&json!({ "lines": [4] })),
        StatusCode::OK,
    )
    .await;
    let job = api
        .json(
            api.post(&format!("/api/v1/batches/{id}/commit"))
                .json(&json!({})),
            StatusCode::ACCEPTED,
        )
        .await;
    assert_eq!(
        api.wait_job(job["id"].as_i64().unwrap()).await["state"],
        "succeeded"
    );
    (first, id)
}

#[tokio::test]
async fn every_page_an_admin_reaches_is_polish_through_and_through() {
    let app = spawn().await;
    let session = app.setup_admin().await;
    let api = Api {
        app: &app,
        token: app.token(&session).await,
    };
    // Content for every list: customers of each kind and consent, in a shop that is not
    // there yet, a second file with a shop custio will create, a failed job, an export
    // with password hashes (audited), a saved shop and a second user.
    for (i, (kind, consent)) in [("person", "notset"), ("company", "excluded")]
        .iter()
        .enumerate()
    {
        api.json(
            api.post("/api/v1/customers").json(&json!({
                "login": format!("k{i}"), "email": format!("k{i}@example.pl"),
                "kind": kind, "newsletter_email": consent, "shops": [1, 2],
                "registered_at": "2026-12-01T02:00:16", "last_order_at": "2026-11-30T10:00:00",
                "billing": { "street": "Polna 1", "city": "Poznań", "country": "PL" },
            })),
            StatusCode::CREATED,
        )
        .await;
    }
    let (first, id) = import_with_a_bad_row(&api).await;
    let job = api
        .json(
            api.post("/api/v1/imports?filename=nieznany.csv")
                .body("a|b\n1|2\n"),
            StatusCode::ACCEPTED,
        )
        .await;
    assert_eq!(
        api.wait_job(job["id"].as_i64().unwrap()).await["state"],
        "failed"
    );
    let job = api
        .json(
            api.post("/api/v1/imports?dialect=idosell&filename=sklep3.csv")
                .body("login;email;shop\nola;ola@example.pl;3\n"),
            StatusCode::ACCEPTED,
        )
        .await;
    let third = api.wait_job(job["id"].as_i64().unwrap()).await["result"]["batch"]
        .as_i64()
        .unwrap();
    let job = api
        .json(
            api.post("/api/v1/exports")
                .json(&json!({ "with_password_hashes": true, "confirm_password_hashes": true })),
            StatusCode::ACCEPTED,
        )
        .await;
    let export_job = api.wait_job(job["id"].as_i64().unwrap()).await;
    assert_eq!(export_job["state"], "succeeded");
    api.json(
        api.post("/api/v1/users")
            .json(&json!({ "username": "ola", "password": "ola-password-1" })),
        StatusCode::CREATED,
    )
    .await;

    let cookie = format!("custio_session={}; custio_lang=pl", session.cookie);
    // Every column of the customer list in view.
    let mut form = vec![("csrf", session.csrf.clone())];
    for c in [
        "id",
        "login",
        "email",
        "first_name",
        "last_name",
        "company",
        "phone",
        "street",
        "zip",
        "city",
        "country",
        "shops",
        "kind",
        "newsletter",
        "registered",
        "last_order",
    ] {
        form.push(("columns", c.to_string()));
    }
    let saved = app
        .client
        .post(app.at("/customers/view"))
        .header(COOKIE, &cookie)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let mut pages = vec![
        "/customers".to_string(),
        "/customers?kind=person&newsletter=notset&shop=2&sort=registered&order=desc".into(),
        "/import".into(),
        "/batches".into(),
        format!("/batches/{first}"),
        format!("/batches/{id}"),
        format!("/batches/{id}?tab=not_imported&invalid=1"),
        format!("/batches/{id}?tab=imported"),
        format!("/batches/{id}?tab=log"),
        format!("/batches/{third}"),
        "/jobs".into(),
        "/export".into(),
        "/export?scope=filtered&kind=company&newsletter=excluded&shop=2&registered_from=2026-01-01"
            .into(),
        "/shops".into(),
        "/profiles".into(),
        "/users".into(),
        "/audit".into(),
    ];
    let jobs = api.json(api.get("/api/v1/jobs"), StatusCode::OK).await;
    for j in jobs.as_array().unwrap() {
        pages.push(format!("/jobs/{}", j["id"]));
    }
    for path in &pages {
        let html = page(&app, &cookie, path).await;
        assert_polish(path, &html);
    }

    // The lists have the content the check is about.
    let customers = visible_text(&page(&app, &cookie, "/customers?sort=registered").await);
    for word in [
        "Osoba prywatna",
        "Firma",
        "nie ustawiono",
        "wykluczony",
        "Sklep 1, Sklep 2",
    ] {
        assert!(
            customers.contains(word),
            "customers lack {word}: {customers}"
        );
    }
    let batch = visible_text(&page(&app, &cookie, &format!("/batches/{id}")).await);
    for word in [
        "błędny",
        "Klienci niezaimportowani",
        "Wiersze: 3",
        "nie jest poprawnym adresem e-mail",
        "Dane do faktury: ulica",
    ] {
        assert!(batch.contains(word), "batch lacks {word}: {batch}");
    }
    let audit = visible_text(&page(&app, &cookie, "/audit").await);
    assert!(
        audit.contains("eksport ze skrótami (hashami) haseł"),
        "{audit}"
    );
    assert!(audit.contains("admin (API, token 1)"), "{audit}");

    // The confirmation before an import, and an error page.
    let confirm = app
        .client
        .post(app.at(&format!("/batches/{id}/rows")))
        .header(COOKIE, &cookie)
        .form(&[
            ("csrf", session.csrf.as_str()),
            ("action", "import"),
            ("lines", "3"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(confirm.status(), StatusCode::OK);
    let html = confirm.text().await.unwrap();
    assert!(html.contains("Nie pytaj mnie ponownie o potwierdzenie"));
    assert_polish("confirm", &html);
    let missing = app
        .client
        .get(app.at("/jobs/999"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let html = missing.text().await.unwrap();
    assert!(html.contains("To nie istnieje"), "{html}");
    assert_polish("error page", &html);
}

#[tokio::test]
async fn counts_take_each_language_s_plural_forms() {
    let app = spawn().await;
    let session = app.setup_admin().await;
    let api = Api {
        app: &app,
        token: app.token(&session).await,
    };
    let count = |lang: &'static str| {
        let cookie = format!("custio_session={}; custio_lang={lang}", session.cookie);
        let app = &app;
        async move {
            let html = page(app, &cookie, "/customers").await;
            let at = html.find("id=\"customer-count\">").unwrap();
            let rest = &html[at + 20..];
            rest[..rest.find('<').unwrap()].to_string()
        }
    };
    let expected: [(usize, [&str; 4]); 3] = [
        (
            1,
            [
                "1 customer in the base",
                "1 klient w bazie",
                "1 zákazník v databázi",
                "1 клиент в базата",
            ],
        ),
        (
            2,
            [
                "2 customers in the base",
                "2 klientów w bazie",
                "2 zákazníci v databázi",
                "2 клиента в базата",
            ],
        ),
        (
            5,
            [
                "5 customers in the base",
                "5 klientów w bazie",
                "5 zákazníků v databázi",
                "5 клиента в базата",
            ],
        ),
    ];
    let mut made = 0;
    for (n, texts) in expected {
        while made < n {
            api.json(
                api.post("/api/v1/customers")
                    .json(&json!({ "email": format!("c{made}@example.pl") })),
                StatusCode::CREATED,
            )
            .await;
            made += 1;
        }
        for (lang, text) in ["en", "pl", "cs", "bg"].into_iter().zip(texts) {
            assert_eq!(count(lang).await, text);
        }
    }
}

#[tokio::test]
async fn the_login_lockout_says_how_long_in_the_reader_s_language() {
    let app = spawn().await;
    app.setup_admin().await;
    let attempt = |password: &'static str| {
        let app = &app;
        async move {
            let page = app.client.get(app.at("/login")).send().await.unwrap();
            let pre = cookie_value(&set_cookie(&page, "custio_pre").unwrap());
            app.client
                .post(app.at("/login"))
                .header(COOKIE, format!("custio_pre={pre}; custio_lang=pl"))
                .form(&[
                    ("csrf", pre.as_str()),
                    ("username", ADMIN),
                    ("password", password),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let wrong = attempt("wrong password").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("Nieprawidłowa nazwa użytkownika lub hasło.")
    );
    for _ in 0..4 {
        attempt("wrong password").await;
    }
    // Five failures from this address: it waits 30 seconds, said as a minute.
    let locked = attempt(PASSWORD).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    let html = locked.text().await.unwrap();
    assert!(
        html.contains("Spróbuj ponownie za 1 minutę."),
        "{}",
        visible_text(&html)
    );
}

#[tokio::test]
async fn the_api_writes_row_messages_in_the_language_asked_for() {
    let app = spawn().await;
    let session = app.setup_admin().await;
    let api = Api {
        app: &app,
        token: app.token(&session).await,
    };
    let (_, id) = import_with_a_bad_row(&api).await;
    let rows = |lang: &'static str| {
        api.get(&format!("/api/v1/batches/{id}/rows?status=invalid"))
            .header(ACCEPT_LANGUAGE, lang)
    };
    let english = api.json(rows("en"), StatusCode::OK).await;
    let polish = api
        .json(rows("pl-PL,pl;q=0.9,en;q=0.5"), StatusCode::OK)
        .await;
    let bad: &Value = &polish["rows"][0];
    assert_eq!(bad["line"], 3);
    assert_ne!(english["rows"][0]["errors"], bad["errors"], "{bad}");
    let text = bad["errors"][0].as_str().unwrap();
    assert!(!text.contains("not a valid"), "{text}");
    // Beside each issue's stable code, its message in the language asked for.
    assert_eq!(bad["issues"][0]["code"], "invalid_email");
    assert_eq!(
        bad["issues"][0]["message"],
        "Kolumna „email”: „ewa@” nie jest poprawnym adresem e-mail; wpisz go w postaci nazwa@domena, np. jan@example.pl"
    );
    assert!(
        english["rows"][0]["issues"][0]["message"]
            .as_str()
            .unwrap()
            .contains("is not a valid e-mail address"),
        "{english}"
    );
    // A row's result or skip reason: the code, and the message.
    let skipped = api
        .json(
            api.get(&format!("/api/v1/batches/{id}/rows?status=skipped"))
                .header(ACCEPT_LANGUAGE, "cs-CZ,cs;q=0.9"),
            StatusCode::OK,
        )
        .await;
    assert_eq!(skipped["rows"][0]["note"]["code"], "skipped_by_user");
    assert_eq!(skipped["rows"][0]["message"], "Přeskočeno uživatelem");
    let imported = api
        .json(
            api.get(&format!("/api/v1/batches/{id}/rows?status=imported")),
            StatusCode::OK,
        )
        .await;
    assert_eq!(imported["rows"][0]["note"]["code"], "created");
    assert!(
        imported["rows"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Created customer "),
        "{imported}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_mapping_screen_preselects_only_a_sure_suggestion() {
    let app = spawn().await;
    let session = app.setup_admin().await;
    let api = Api {
        app: &app,
        token: app.token(&session).await,
    };
    let job = api
        .check(
            "dialect=csv&filename=obce.csv",
            "Imię;Kolor oczu;email\nJan;zielone;jan@example.pl\n",
        )
        .await;
    let batch = job["result"]["batch"].as_i64().unwrap();
    let cookie = format!("custio_session={}; custio_lang=en", session.cookie);
    let html = page(&app, &cookie, &format!("/batches/{batch}")).await;
    let select = |index: usize| {
        let start = html.find(&format!("id=\"map-{index}\"")).unwrap();
        let end = start + html[start..].find("</select>").unwrap();
        html[start..end].to_string()
    };
    let sure = select(0);
    assert!(!sure.contains("disabled"), "Imię is first_name: {sure}");
    let unsure = select(1);
    assert!(
        unsure.contains("<option value=\"\" selected disabled>"),
        "'Kolor oczu' (eye colour) is a guess, chosen by the user: {unsure}"
    );
}
