//! Who may call what, by table: every operation of the OpenAPI document and every page of
//! the panel, tried as a stranger, as staff and as an administrator. The tables below are
//! the rule (docs/security.md repeats them); an operation the document lists and the table
//! does not is a failure, so a new endpoint must be classified to pass.

mod util;

use reqwest::header::COOKIE;
use reqwest::{Method, StatusCode};
use serde_json::json;
use util::*;

/// API operations only an administrator may call. Everything else: any logged-in user.
const ADMIN_ONLY: &[(&str, &str)] = &[
    ("GET", "/api/v1/users"),
    ("POST", "/api/v1/users"),
    // Another user's password; one's own is allowed.
    ("PUT", "/api/v1/users/{id}/password"),
    ("GET", "/api/v1/audit"),
];

/// Panel pages only an administrator may open. Everything else: any logged-in user.
const ADMIN_PAGES: &[&str] = &["/audit"];

const PAGES: &[&str] = &[
    "/customers",
    "/import",
    "/jobs",
    "/batches",
    "/export",
    "/shops",
    "/profiles",
    "/users",
    "/audit",
];

/// A concrete path for a templated one: ids no record has, so nothing is changed.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|part| {
            if part.starts_with('{') {
                if part.contains("name") {
                    "nobody-here"
                } else {
                    "999999"
                }
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

async fn call(app: &TestApp, method: &Method, path: &str, token: Option<&str>) -> StatusCode {
    let mut request = app
        .client
        .request(method.clone(), app.at(&concrete(path)))
        .header("content-type", "application/json")
        .body("{}");
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().status()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_operation_and_page_answers_each_role_as_the_table_says() {
    let app = spawn().await;
    let admin_session = app.setup_admin().await;
    let admin = Api {
        app: &app,
        token: app.token(&admin_session).await,
    };
    admin
        .json(
            admin
                .post("/api/v1/users")
                .json(&json!({ "username": "ola", "password": "staff-password-1" })),
            StatusCode::CREATED,
        )
        .await;
    let staff_session = app.login("ola", "staff-password-1").await.unwrap();
    let staff = app.token(&staff_session).await;

    let document = admin
        .json(admin.get("/api/v1/openapi.json"), StatusCode::OK)
        .await;
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            operations.push((method.to_uppercase(), path.clone()));
        }
    }
    assert!(operations.len() >= 30, "{operations:?}");
    for (method, path) in &operations {
        let admin_only = ADMIN_ONLY.contains(&(method.as_str(), path.as_str()));
        let m: Method = method.parse().unwrap();
        let stranger = call(&app, &m, path, None).await;
        assert_eq!(
            stranger,
            StatusCode::UNAUTHORIZED,
            "{method} {path} as a stranger"
        );
        let as_staff = call(&app, &m, path, Some(&staff)).await;
        if admin_only {
            assert_eq!(as_staff, StatusCode::FORBIDDEN, "{method} {path} as staff");
        } else {
            assert!(
                ![StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN].contains(&as_staff),
                "{method} {path} as staff: {as_staff}"
            );
        }
        let as_admin = call(&app, &m, path, Some(&admin.token)).await;
        assert!(
            ![StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN].contains(&as_admin),
            "{method} {path} as an administrator: {as_admin}"
        );
    }
    for (method, path) in ADMIN_ONLY {
        assert!(
            operations.iter().any(|(m, p)| m == method && p == path),
            "{method} {path} is in the table but not in the document"
        );
    }

    let cookie = |s: &Session| format!("custio_session={}", s.cookie);
    for page in PAGES {
        let get = |c: Option<String>| {
            let mut request = app.client.get(app.at(page));
            if let Some(c) = c {
                request = request.header(COOKIE, c);
            }
            request.send()
        };
        let stranger = get(None).await.unwrap();
        assert_eq!(
            stranger.status(),
            StatusCode::SEE_OTHER,
            "{page} as a stranger"
        );
        let location = stranger.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/login"), "{page}: {location}");
        let as_staff = get(Some(cookie(&staff_session))).await.unwrap().status();
        let expected = if ADMIN_PAGES.contains(page) {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::OK
        };
        assert_eq!(as_staff, expected, "{page} as staff");
        let as_admin = get(Some(cookie(&admin_session))).await.unwrap().status();
        assert_eq!(as_admin, StatusCode::OK, "{page} as an administrator");
    }
}
