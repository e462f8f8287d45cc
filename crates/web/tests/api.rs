//! The REST API over real HTTP against the real app (port 0, fresh SQLite file): every
//! endpoint, authentication failures and CSRF rejection.

mod util;

use reqwest::StatusCode;
use reqwest::header::COOKIE;
use serde_json::{Value, json};
use util::*;

async fn admin_api(app: &TestApp) -> (Session, Api<'_>) {
    let session = app.setup_admin().await;
    let token = app.token(&session).await;
    (session, Api { app, token })
}

#[tokio::test]
async fn every_endpoint_refuses_requests_without_a_login() {
    let app = spawn().await;
    let endpoints = [
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/formats"),
        ("POST", "/api/v1/imports"),
        ("GET", "/api/v1/batches"),
        ("GET", "/api/v1/batches/1"),
        ("POST", "/api/v1/batches/1/mapping"),
        ("GET", "/api/v1/batches/1/rows"),
        ("PATCH", "/api/v1/batches/1/rows/2"),
        ("POST", "/api/v1/batches/1/skip"),
        ("POST", "/api/v1/batches/1/commit"),
        ("GET", "/api/v1/batches/1/rejected"),
        ("POST", "/api/v1/exports"),
        ("GET", "/api/v1/jobs"),
        ("GET", "/api/v1/jobs/1"),
        ("GET", "/api/v1/jobs/1/download"),
        ("GET", "/api/v1/customers"),
        ("POST", "/api/v1/customers"),
        ("GET", "/api/v1/customers/1"),
        ("PUT", "/api/v1/customers/1"),
        ("DELETE", "/api/v1/customers/1"),
        ("GET", "/api/v1/shops"),
        ("PUT", "/api/v1/shops/1"),
        ("GET", "/api/v1/profiles"),
        ("DELETE", "/api/v1/profiles/x"),
        ("GET", "/api/v1/users"),
        ("POST", "/api/v1/users"),
        ("PUT", "/api/v1/users/1/password"),
        ("GET", "/api/v1/tokens"),
        ("POST", "/api/v1/tokens"),
        ("DELETE", "/api/v1/tokens/1"),
        ("GET", "/api/v1/audit"),
    ];
    for (method, path) in endpoints {
        let method: reqwest::Method = method.parse().unwrap();
        for bearer in [None, Some("cio_not-a-real-token")] {
            let mut request = app
                .client
                .request(method.clone(), app.at(path))
                .header("content-type", "application/json")
                .body("{}");
            if let Some(b) = bearer {
                request = request.bearer_auth(b);
            }
            let response = request.send().await.unwrap();
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{method} {path}"
            );
            let body: Value = response.json().await.unwrap();
            assert_eq!(
                body["error"]["code"], "unauthenticated",
                "{method} {path}: {body}"
            );
            assert!(body["error"]["message"].is_string());
            assert!(body["error"]["details"].is_object(), "{body}");
        }
    }
    // A session cookie that is not (any more) valid does not count either.
    let response = app
        .client
        .get(app.at("/api/v1/me"))
        .header(COOKIE, "custio_session=forged")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    // Panel pages send the browser to the login page.
    let page = app.client.get(app.at("/customers")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(page.headers()["location"], "/login?next=%2Fcustomers");
    // The OpenAPI document is for anyone: clients and generators read it first.
    let document = app
        .client
        .get(app.at("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(document.status(), StatusCode::OK);
    let document: Value = document.json().await.unwrap();
    assert!(
        document["paths"]["/api/v1/customers"].is_object(),
        "{document}"
    );
}

#[tokio::test]
async fn setup_link_works_once_and_sessions_have_safe_cookies() {
    let app = spawn().await;
    // A wrong token is refused.
    let wrong = app
        .client
        .get(app.at("/setup?token=nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let session = app.setup_admin().await;
    // The link is spent.
    let again = app
        .client
        .get(app.setup_link.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::FORBIDDEN);
    // Logging in sets an HttpOnly, SameSite=Lax cookie with an expiry (no Secure on loopback).
    let page = app.client.get(app.at("/login")).send().await.unwrap();
    let pre = cookie_value(&set_cookie(&page, "custio_pre").unwrap());
    let response = app
        .client
        .post(app.at("/login"))
        .header(COOKIE, format!("custio_pre={pre}"))
        .form(&[
            ("csrf", pre.as_str()),
            ("username", ADMIN),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = set_cookie(&response, "custio_session").unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Max-Age=43200"), "{cookie}");
    assert!(!cookie.contains("Secure"), "{cookie}");
    // Security headers on every response.
    for header in [
        "content-security-policy",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
    ] {
        assert!(response.headers().contains_key(header), "{header}");
    }
    // Logout ends the session.
    let out = app
        .client
        .post(app.at("/logout"))
        .header(COOKIE, format!("custio_session={}", session.cookie))
        .form(&[("csrf", session.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let me = app
        .client
        .get(app.at("/api/v1/me"))
        .header(COOKIE, format!("custio_session={}", session.cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn failed_logins_are_throttled() {
    let app = spawn().await;
    app.setup_admin().await;
    for _ in 0..5 {
        assert_eq!(
            app.login(ADMIN, "wrong password").await.err(),
            Some(StatusCode::UNAUTHORIZED)
        );
    }
    // Locked now, even with the right password.
    assert_eq!(
        app.login(ADMIN, PASSWORD).await.err(),
        Some(StatusCode::TOO_MANY_REQUESTS)
    );
}

#[tokio::test]
async fn writes_without_the_csrf_token_are_rejected() {
    let app = spawn().await;
    let session = app.setup_admin().await;
    let cookie = format!("custio_session={}", session.cookie);
    // API call with the session cookie but no X-CSRF-Token.
    let response = app
        .client
        .post(app.at("/api/v1/tokens"))
        .header(COOKIE, &cookie)
        .json(&json!({ "name": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "csrf_failed");
    // A wrong token.
    let response = app
        .client
        .put(app.at("/api/v1/shops/2"))
        .header(COOKIE, &cookie)
        .header("x-csrf-token", "guess")
        .json(&json!({ "name": "B" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // A panel form without its csrf field.
    let response = app
        .client
        .post(app.at("/shops"))
        .header(COOKIE, &cookie)
        .form(&[("id", "2"), ("name", "B")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // An upload without the token as its first field ...
    let response = app
        .client
        .post(app.at("/import"))
        .header(COOKIE, &cookie)
        .header("content-type", "multipart/form-data; boundary=x")
        .body("--x--\r\n")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let (content_type, body) = multipart(&[("dialect", "idosell")], ("a.csv", "email\n"));
    let response = app
        .client
        .post(app.at("/import"))
        .header(COOKIE, &cookie)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // ... or with it in the URL, where it would reach logs and Referer headers.
    let (content_type, body) = multipart(&[("dialect", "idosell")], ("a.csv", "email\n"));
    let response = app
        .client
        .post(app.at(&format!("/import?csrf={}", session.csrf)))
        .header(COOKIE, &cookie)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = app
        .client
        .post(app.at(&format!("/shops?csrf={}", session.csrf)))
        .header(COOKIE, &cookie)
        .form(&[("id", "2"), ("name", "B")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // The login form without the pre-login cookie.
    let response = app
        .client
        .post(app.at("/login"))
        .form(&[("csrf", "x"), ("username", ADMIN), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // With the token, the same form works.
    let response = app
        .client
        .post(app.at("/shops"))
        .header(COOKIE, &cookie)
        .form(&[("csrf", session.csrf.as_str()), ("id", "2"), ("name", "B")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // Bearer tokens need no CSRF token (they are not sent by browsers on their own).
    let api = Api {
        app: &app,
        token: app.token(&session).await,
    };
    api.json(
        api.put("/api/v1/shops/3").json(&json!({ "name": "C" })),
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn an_upload_without_a_format_is_detected() {
    let app = spawn().await;
    let (_, api) = admin_api(&app).await;
    let shoptet = "email;billingFullName;remark\njana@example.cz;Jana Nováková;první\n";
    let job = api.check("filename=from-shoptet.csv", shoptet).await;
    assert_eq!(job["state"], "succeeded", "{job}");
    let batch = job["result"]["batch"].as_i64().unwrap();
    let batch = api
        .json(api.get(&format!("/api/v1/batches/{batch}")), StatusCode::OK)
        .await;
    assert_eq!(batch["dialect"], "shoptet");
    assert_eq!(batch["counts"]["new"], 1);

    let job = api.check("filename=noise.csv", "a|b\n1|2\n").await;
    assert_eq!(job["state"], "failed");
    assert!(
        job["error"].as_str().unwrap().contains("choose the format"),
        "{job}"
    );
}

#[tokio::test]
async fn the_import_workflow_over_the_api() {
    let app = spawn().await;
    let (_, api) = admin_api(&app).await;

    let formats = api.json(api.get("/api/v1/formats"), StatusCode::OK).await;
    assert!(
        formats
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "idosell")
    );

    // Upload: streamed to disk, then a check job.
    let job = api
        .json(
            api.post("/api/v1/imports?dialect=idosell&filename=clients.csv")
                .body(IDOSELL_WITH_UNKNOWN_AND_BAD_ROW),
            StatusCode::ACCEPTED,
        )
        .await;
    assert_eq!(job["kind"], "check");
    let job = api.wait_job(job["id"].as_i64().unwrap()).await;
    assert_eq!(job["state"], "succeeded", "{job}");
    let first = job["result"]["batch"].as_i64().unwrap();
    let batch = api
        .json(api.get(&format!("/api/v1/batches/{first}")), StatusCode::OK)
        .await;
    assert_eq!(batch["status"], "needs_mapping");
    assert_eq!(batch["unknown_columns"][0]["header"], "shoe_size");

    // A mapping must cover every unknown column.
    let err = api
        .json(
            api.post(&format!("/api/v1/batches/{first}/mapping"))
                .json(&json!({ "mappings": {} })),
            StatusCode::BAD_REQUEST,
        )
        .await;
    assert_eq!(err["error"]["code"], "invalid_request");
    let job = api
        .json(
            api.post(&format!("/api/v1/batches/{first}/mapping"))
                .json(&json!({ "mappings": { "shoe_size": "note" }, "save_as": "shoes" })),
            StatusCode::ACCEPTED,
        )
        .await;
    let job = api.wait_job(job["id"].as_i64().unwrap()).await;
    assert_eq!(job["state"], "succeeded", "{job}");
    let id = job["result"]["batch"].as_i64().unwrap();
    assert_ne!(id, first);
    let old = api
        .json(api.get(&format!("/api/v1/batches/{first}")), StatusCode::OK)
        .await;
    assert!(
        old["error"]
            .as_str()
            .unwrap()
            .contains(&format!("batch {id}"))
    );
    let profiles = api.json(api.get("/api/v1/profiles"), StatusCode::OK).await;
    assert_eq!(profiles[0]["name"], "shoes");

    let batches = api.json(api.get("/api/v1/batches"), StatusCode::OK).await;
    assert_eq!(batches[0]["id"], id);
    assert_eq!(batches[0]["counts"]["invalid"], 1);

    // The invalid row, with its error.
    let rows = api
        .json(
            api.get(&format!("/api/v1/batches/{id}/rows?status=invalid")),
            StatusCode::OK,
        )
        .await;
    let bad = &rows["rows"][0];
    assert_eq!(bad["line"], 3);
    assert!(!bad["errors"].as_array().unwrap().is_empty(), "{bad}");
    let err = api
        .json(
            api.get(&format!("/api/v1/batches/{id}/rows?status=nonsense")),
            StatusCode::BAD_REQUEST,
        )
        .await;
    assert_eq!(err["error"]["code"], "invalid_request");

    // Rejected rows download, in the file's own format with the reasons last.
    let rejected = api
        .get(&format!("/api/v1/batches/{id}/rejected"))
        .send()
        .await
        .unwrap();
    assert_eq!(rejected.status(), StatusCode::OK);
    let text = rejected.text().await.unwrap();
    assert!(text.contains("ewa@"), "{text}");

    // Fix the row in place: re-validated at once.
    let row = api
        .json(
            api.patch(&format!("/api/v1/batches/{id}/rows/3"))
                .json(&json!({ "field": "email", "value": "ewa@example.pl" })),
            StatusCode::OK,
        )
        .await;
    assert_eq!(row["status"], "pending", "{row}");
    let missing = api
        .json(
            api.patch(&format!("/api/v1/batches/{id}/rows/99"))
                .json(&json!({ "field": "email", "value": "x@example.pl" })),
            StatusCode::NOT_FOUND,
        )
        .await;
    assert_eq!(missing["error"]["code"], "not_found");

    // Skip one, import the rest.
    let skipped = api
        .json(
            api.post(&format!("/api/v1/batches/{id}/skip"))
                .json(&json!({ "lines": [4] })),
            StatusCode::OK,
        )
        .await;
    assert_eq!(skipped["skipped"], 1);
    let job = api
        .json(
            api.post(&format!("/api/v1/batches/{id}/commit"))
                .json(&json!({})),
            StatusCode::ACCEPTED,
        )
        .await;
    let job = api.wait_job(job["id"].as_i64().unwrap()).await;
    assert_eq!(job["state"], "succeeded", "{job}");
    assert_eq!(job["result"]["counts"]["imported"], 2);
    let err = api
        .json(
            api.post(&format!("/api/v1/batches/{first}/commit"))
                .json(&json!({})),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(err["error"]["code"], "not_allowed");

    // The customers are there, with the mapped column.
    let list = api
        .json(api.get("/api/v1/customers?sort=email"), StatusCode::OK)
        .await;
    let emails: Vec<&str> = list["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["ewa@example.pl", "jan@example.pl"]);
    assert_eq!(list["customers"][1]["note"], "42");

    // Export the view and download it.
    let job = api
        .json(
            api.post("/api/v1/exports")
                .json(&json!({ "kind": "view", "columns": ["login", "email"] })),
            StatusCode::ACCEPTED,
        )
        .await;
    let job = api.wait_job(job["id"].as_i64().unwrap()).await;
    assert_eq!(job["state"], "succeeded", "{job}");
    let file = api
        .get(&format!("/api/v1/jobs/{}/download", job["id"]))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    assert!(
        file.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let text = file.text().await.unwrap();
    assert!(text.starts_with("login;email"), "{text}");
    assert!(text.contains("jan;jan@example.pl"), "{text}");
    // A check job has no file.
    let err = api
        .json(api.get("/api/v1/jobs/1/download"), StatusCode::CONFLICT)
        .await;
    assert_eq!(err["error"]["code"], "not_allowed");

    let jobs = api.json(api.get("/api/v1/jobs"), StatusCode::OK).await;
    assert_eq!(jobs.as_array().unwrap().len(), 4);
    assert!(
        jobs.as_array()
            .unwrap()
            .iter()
            .all(|j| j["state"] == "succeeded")
    );
    let err = api
        .json(api.get("/api/v1/jobs/999"), StatusCode::NOT_FOUND)
        .await;
    assert_eq!(err["error"]["code"], "not_found");
}

#[tokio::test]
async fn customers_crud_list_and_pages() {
    let app = spawn().await;
    let (_, api) = admin_api(&app).await;
    let mut ids = Vec::new();
    for (i, name) in ["Zofia", "Adam", "Marek", "Beata", "Ola"]
        .iter()
        .enumerate()
    {
        let c = api
            .json(
                api.post("/api/v1/customers").json(&json!({
                    "login": name.to_lowercase(),
                    "email": format!("{}@example.pl", name.to_lowercase()),
                    "first_name": name,
                    "last_name": format!("Nazwisko{i}"),
                    "kind": if i % 2 == 0 { "person" } else { "company" },
                    "registered_at": format!("2024-0{}-10T12:00:00", i + 1),
                    "shops": [1],
                })),
                StatusCode::CREATED,
            )
            .await;
        ids.push(c["id"].as_i64().unwrap());
    }
    // Duplicate e-mail: conflict. Invalid e-mail: bad request.
    let err = api
        .json(
            api.post("/api/v1/customers")
                .json(&json!({ "email": "adam@example.pl" })),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(err["error"]["code"], "conflict");
    let err = api
        .json(
            api.post("/api/v1/customers")
                .json(&json!({ "email": "not-an-email" })),
            StatusCode::BAD_REQUEST,
        )
        .await;
    assert_eq!(err["error"]["code"], "invalid_request");

    // Sort by e-mail, two per page, keyset cursors.
    let mut seen = Vec::new();
    let mut after = String::new();
    loop {
        let page = api
            .json(
                api.get(&format!(
                    "/api/v1/customers?sort=email&limit=2&after={after}"
                )),
                StatusCode::OK,
            )
            .await;
        for c in page["customers"].as_array().unwrap() {
            seen.push(c["email"].as_str().unwrap().to_string());
        }
        match page["next"].as_str() {
            Some(n) => after = n.to_string(),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted);
    assert_eq!(seen.len(), 5);
    // Descending registration date, filters.
    let page = api
        .json(
            api.get("/api/v1/customers?sort=registered&order=desc&limit=1"),
            StatusCode::OK,
        )
        .await;
    assert_eq!(page["customers"][0]["first_name"], "Ola");
    let page = api
        .json(api.get("/api/v1/customers?kind=company"), StatusCode::OK)
        .await;
    assert_eq!(page["customers"].as_array().unwrap().len(), 2);
    let page = api
        .json(
            api.get("/api/v1/customers?registered_from=2024-02-01&registered_to=2024-03-10"),
            StatusCode::OK,
        )
        .await;
    assert_eq!(page["customers"].as_array().unwrap().len(), 2);
    let page = api
        .json(api.get("/api/v1/customers?search=marek"), StatusCode::OK)
        .await;
    assert_eq!(page["customers"][0]["first_name"], "Marek");
    let err = api
        .json(
            api.get("/api/v1/customers?sort=shoe"),
            StatusCode::BAD_REQUEST,
        )
        .await;
    assert_eq!(err["error"]["code"], "invalid_request");
    let err = api
        .json(
            api.get("/api/v1/customers?after=garbage"),
            StatusCode::BAD_REQUEST,
        )
        .await;
    assert_eq!(err["error"]["code"], "invalid_request");

    // Read, change, delete.
    let id = ids[1];
    let mut c = api
        .json(api.get(&format!("/api/v1/customers/{id}")), StatusCode::OK)
        .await;
    c["billing"]["city"] = json!("Gdańsk");
    let c = api
        .json(
            api.put(&format!("/api/v1/customers/{id}")).json(&c),
            StatusCode::OK,
        )
        .await;
    assert_eq!(c["billing"]["city"], "Gdańsk");
    api.json(
        api.delete(&format!("/api/v1/customers/{id}")),
        StatusCode::NO_CONTENT,
    )
    .await;
    api.json(
        api.get(&format!("/api/v1/customers/{id}")),
        StatusCode::NOT_FOUND,
    )
    .await;
    api.json(
        api.delete(&format!("/api/v1/customers/{id}")),
        StatusCode::NOT_FOUND,
    )
    .await;
    api.json(
        api.put(&format!("/api/v1/customers/{id}")).json(&c),
        StatusCode::NOT_FOUND,
    )
    .await;

    // Selected customers only.
    let job = api
        .json(
            api.post("/api/v1/exports").json(&json!({ "kind": "view", "columns": ["email"], "query": { "ids": [ids[0], ids[2]] } })),
            StatusCode::ACCEPTED,
        )
        .await;
    let job = api.wait_job(job["id"].as_i64().unwrap()).await;
    let text = api
        .get(&format!("/api/v1/jobs/{}/download", job["id"]))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
}

#[tokio::test]
async fn accounts_shops_tokens_and_the_audit_log() {
    let app = spawn().await;
    let (_, api) = admin_api(&app).await;
    let me = api.json(api.get("/api/v1/me"), StatusCode::OK).await;
    assert_eq!(me["user"]["username"], ADMIN);
    assert_eq!(me["via"], "token");

    // Shops.
    api.json(
        api.put("/api/v1/shops/2")
            .json(&json!({ "name": "Sklep B", "language": "pl" })),
        StatusCode::OK,
    )
    .await;
    let shops = api.json(api.get("/api/v1/shops"), StatusCode::OK).await;
    assert_eq!(shops[1]["name"], "Sklep B");
    api.json(
        api.put("/api/v1/shops/0").json(&json!({ "name": "x" })),
        StatusCode::BAD_REQUEST,
    )
    .await;

    // Users: an admin adds staff; staff may not manage users or read the audit log.
    let user = api
        .json(
            api.post("/api/v1/users")
                .json(&json!({ "username": "ola", "password": "ola-password-1" })),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(user["role"], "staff");
    assert!(user.get("password_hash").is_none());
    api.json(
        api.post("/api/v1/users")
            .json(&json!({ "username": "OLA", "password": "ola-password-1" })),
        StatusCode::CONFLICT,
    )
    .await;
    api.json(
        api.post("/api/v1/users")
            .json(&json!({ "username": "short", "password": "x" })),
        StatusCode::BAD_REQUEST,
    )
    .await;
    let users = api.json(api.get("/api/v1/users"), StatusCode::OK).await;
    assert_eq!(users.as_array().unwrap().len(), 2);

    let staff_session = app.login("ola", "ola-password-1").await.unwrap();
    let staff = Api {
        app: &app,
        token: app.token(&staff_session).await,
    };
    let err = staff
        .json(staff.get("/api/v1/users"), StatusCode::FORBIDDEN)
        .await;
    assert_eq!(err["error"]["code"], "forbidden");
    staff
        .json(staff.get("/api/v1/audit"), StatusCode::FORBIDDEN)
        .await;
    staff
        .json(
            staff
                .post("/api/v1/users")
                .json(&json!({ "username": "x", "password": "password-x" })),
            StatusCode::FORBIDDEN,
        )
        .await;
    staff
        .json(
            staff
                .put("/api/v1/users/1/password")
                .json(&json!({ "password": "password-x" })),
            StatusCode::FORBIDDEN,
        )
        .await;
    // Hashes only for admins, and only with the confirmation.
    staff
        .json(
            staff
                .post("/api/v1/exports")
                .json(&json!({ "with_password_hashes": true, "confirm_password_hashes": true })),
            StatusCode::FORBIDDEN,
        )
        .await;
    api.json(
        api.post("/api/v1/exports")
            .json(&json!({ "with_password_hashes": true })),
        StatusCode::BAD_REQUEST,
    )
    .await;
    let job = api
        .json(
            api.post("/api/v1/exports")
                .json(&json!({ "with_password_hashes": true, "confirm_password_hashes": true })),
            StatusCode::ACCEPTED,
        )
        .await;
    assert_eq!(
        api.wait_job(job["id"].as_i64().unwrap()).await["state"],
        "succeeded"
    );

    // A user changes its own password: its sessions end.
    let ola_id = user["id"].as_i64().unwrap();
    staff
        .json(
            staff
                .put(&format!("/api/v1/users/{ola_id}/password"))
                .json(&json!({ "password": "new-password-2" })),
            StatusCode::NO_CONTENT,
        )
        .await;
    let me = app
        .client
        .get(app.at("/api/v1/me"))
        .header(COOKIE, format!("custio_session={}", staff_session.cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    assert!(app.login("ola", "new-password-2").await.is_ok());
    api.json(
        api.put("/api/v1/users/999/password")
            .json(&json!({ "password": "password-x" })),
        StatusCode::NOT_FOUND,
    )
    .await;

    // Tokens: listed without secrets, revoked.
    let tokens = staff
        .json(staff.get("/api/v1/tokens"), StatusCode::OK)
        .await;
    let token_id = tokens[0]["id"].as_i64().unwrap();
    assert!(tokens[0].get("token_hash").is_none());
    let created = staff
        .json(
            staff
                .post("/api/v1/tokens")
                .json(&json!({ "name": "second" })),
            StatusCode::CREATED,
        )
        .await;
    assert!(created["token"].as_str().unwrap().starts_with("cio_"));
    staff
        .json(staff.delete("/api/v1/tokens/999"), StatusCode::NOT_FOUND)
        .await;
    staff
        .json(
            staff.delete(&format!("/api/v1/tokens/{token_id}")),
            StatusCode::NO_CONTENT,
        )
        .await;
    staff
        .json(staff.get("/api/v1/me"), StatusCode::UNAUTHORIZED)
        .await;

    // Profiles: deleting a missing one is a 404.
    api.json(api.delete("/api/v1/profiles/none"), StatusCode::NOT_FOUND)
        .await;

    // The audit log has what happened, hash export included.
    let audit = api.json(api.get("/api/v1/audit"), StatusCode::OK).await;
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for expected in [
        "export_with_password_hashes",
        "user_created",
        "password_changed",
        "token_revoked",
        "shop_saved",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
}

#[tokio::test]
async fn the_openapi_document_lists_every_endpoint() {
    let app = spawn().await;
    let (_, api) = admin_api(&app).await;
    let doc = api
        .json(api.get("/api/v1/openapi.json"), StatusCode::OK)
        .await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/imports",
        "/api/v1/batches/{id}/rows/{line}",
        "/api/v1/batches/{id}/commit",
        "/api/v1/exports",
        "/api/v1/jobs/{id}/download",
        "/api/v1/customers/{id}",
        "/api/v1/tokens",
    ] {
        assert!(paths.contains_key(path), "{path} missing");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let codes = |schema: &str| -> Vec<String> {
        doc["components"]["schemas"][schema]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{schema} is not listed"))
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    let issues = codes("RowIssueCode");
    for code in ["invalid_email", "duplicate_login", "changed_since_check"] {
        assert!(issues.contains(&code.to_string()), "{code} missing");
    }
    assert!(codes("RowNoteCode").contains(&"skipped_by_user".to_string()));
}

#[tokio::test]
async fn panel_pages_render_in_every_language() {
    let app = spawn().await;
    let session = app.setup_admin().await;
    let cookie = format!("custio_session={}", session.cookie);
    for (lang, word) in [
        ("en", "Customers"),
        ("pl", "Klienci"),
        ("cs", "Zákazníci"),
        ("bg", "Клиенти"),
    ] {
        for page in [
            "/customers",
            "/import",
            "/batches",
            "/jobs",
            "/export",
            "/shops",
            "/profiles",
            "/users",
            "/audit",
        ] {
            let response = app
                .client
                .get(app.at(page))
                .header(COOKIE, format!("{cookie}; custio_lang={lang}"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{lang} {page}");
            let html = response.text().await.unwrap();
            assert!(html.contains(word), "{lang} {page}");
            assert!(html.contains(&format!("<html lang=\"{lang}\">")));
        }
    }
}

/// The API and the panel resolve and validate mapping profiles as the command line does
/// (one engine use case for all): a profile is for one format, and every target must be a
/// field, a column of that format or `ignore`.
#[tokio::test]
async fn profiles_are_resolved_and_validated_as_on_the_command_line() {
    let app = spawn().await;
    let (session, api) = admin_api(&app).await;
    let cookie = format!("custio_session={}", session.cookie);
    let job = api
        .check(
            "dialect=idosell&filename=a.csv",
            IDOSELL_WITH_UNKNOWN_AND_BAD_ROW,
        )
        .await;
    let batch = job["result"]["batch"].as_i64().unwrap();
    let found = api
        .json(api.get(&format!("/api/v1/batches/{batch}")), StatusCode::OK)
        .await;
    assert_eq!(found["status"], "needs_mapping");
    let index = found["unknown_columns"][0]["index"].as_u64().unwrap();

    // An unknown target is refused over the API, and nothing is saved ...
    let err = api
        .json(
            api.post(&format!("/api/v1/batches/{batch}/mapping"))
                .json(&json!({ "mappings": { "shoe_size": "shoe_size_eu" }, "save_as": "bad" })),
            StatusCode::BAD_REQUEST,
        )
        .await;
    assert_eq!(err["error"]["code"], "invalid_request");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("'shoe_size_eu' is neither a customer field nor"),
        "{err}"
    );
    // ... and on the panel's mapping form.
    let response = app
        .client
        .post(app.at(&format!("/batches/{batch}/mapping")))
        .header(COOKIE, &cookie)
        .form(&[
            ("csrf", session.csrf.as_str()),
            (&format!("map_{index}"), "shoe_size_eu"),
            ("profile", "bad"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("is neither a customer field nor")
    );
    let profiles = api.json(api.get("/api/v1/profiles"), StatusCode::OK).await;
    assert_eq!(profiles, json!([]), "an invalid profile is never saved");

    // The panel saves a valid mapping as a profile for the batch's format.
    let response = app
        .client
        .post(app.at(&format!("/batches/{batch}/mapping")))
        .header(COOKIE, &cookie)
        .form(&[
            ("csrf", session.csrf.as_str()),
            (&format!("map_{index}"), "note"),
            ("profile", "shoes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let profiles = api.json(api.get("/api/v1/profiles"), StatusCode::OK).await;
    assert_eq!(profiles[0]["name"], "shoes");
    assert_eq!(profiles[0]["dialect"], "idosell");

    // A profile for IdoSell files is refused for a Shoptet import, over the API ...
    let shoptet = "email;billingFullName\njana@example.cz;Jana Nováková\n";
    let err = api
        .json(
            api.post("/api/v1/imports?dialect=shoptet&profile=shoes&filename=s.csv")
                .body(shoptet),
            StatusCode::BAD_REQUEST,
        )
        .await;
    assert_eq!(err["error"]["code"], "invalid_request");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("is for idosell files, not shoptet"),
        "{err}"
    );
    // ... and on the panel's import form.
    let (content_type, body) = multipart(
        &[
            ("csrf", &session.csrf),
            ("dialect", "shoptet"),
            ("profile", "shoes"),
        ],
        ("s.csv", shoptet),
    );
    let response = app
        .client
        .post(app.at("/import"))
        .header(COOKIE, &cookie)
        .header(reqwest::header::CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("is for idosell files, not shoptet")
    );
    // A profile that is not saved is not found.
    api.json(
        api.post("/api/v1/imports?dialect=idosell&profile=nope")
            .body(IDOSELL_WITH_UNKNOWN_AND_BAD_ROW),
        StatusCode::NOT_FOUND,
    )
    .await;

    // Without a format, the profile names it, and its mapping applies.
    let job = api
        .json(
            api.post("/api/v1/imports?profile=shoes&filename=b.csv")
                .body(IDOSELL_WITH_UNKNOWN_AND_BAD_ROW),
            StatusCode::ACCEPTED,
        )
        .await;
    assert_eq!(job["payload"]["dialect"], "idosell");
    let job = api.wait_job(job["id"].as_i64().unwrap()).await;
    assert_eq!(job["state"], "succeeded", "{job}");
    assert_eq!(job["result"]["status"], "checked", "{job}");
}

#[tokio::test]
async fn the_queue_figures_are_served_in_prometheus_text_to_a_logged_in_client() {
    let app = spawn().await;
    let (_, api) = admin_api(&app).await;
    let job = api
        .check(
            "dialect=idosell&filename=a.csv",
            "login;email\njan;jan@example.pl\n",
        )
        .await;
    assert_eq!(job["state"], "succeeded", "{job}");
    let response = api.get("/api/v1/metrics").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = response.text().await.unwrap();
    for expected in [
        "# TYPE custio_jobs gauge",
        "custio_jobs{kind=\"check\",state=\"succeeded\"} 1",
        "custio_job_restarts_total 0",
        "custio_job_leases_expired 0",
        "custio_job_duration_seconds_count{kind=\"check\"} 1",
        "custio_worker_jobs_run_total{worker=\"",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    let anonymous = app
        .client
        .get(app.at("/api/v1/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}
