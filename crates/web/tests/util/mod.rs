//! Test helpers: the real app on port 0 with a fresh SQLite file, and an HTTP client
//! that logs in the way a browser or an API client does.

#![allow(dead_code)]

use std::time::Duration;

use custio_web::{Config, Server};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::Value;

pub const ADMIN: &str = "admin";
pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub url: String,
    pub setup_link: Option<String>,
    pub client: reqwest::Client,
    pub dir: tempfile::TempDir,
    /// The running server's state (its engine and data directory).
    pub state: custio_web::AppState,
}

/// A client that does not follow redirects (the tests look at them).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub async fn spawn() -> TestApp {
    spawn_with(|_| {}).await
}

/// The app with the test's changes to the configuration (one worker, port 0, a fresh
/// SQLite file and data directory).
pub async fn spawn_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(
        "127.0.0.1:0".parse().unwrap(),
        custio_testdb::url(dir.path(), "custio.db"),
        dir.path().join("data"),
    );
    config.workers = 1;
    configure(&mut config);
    let server = Server::bind(config).await.unwrap();
    let url = server.url.clone();
    let setup_link = server.setup_link.clone();
    let state = server.state().clone();
    tokio::spawn(server.run(std::future::pending()));
    TestApp {
        url,
        setup_link,
        client: client(),
        dir,
        state,
    }
}

/// The value of a cookie a response sets.
pub fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(String::from)
}

pub fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_string()
}

/// A logged-in browser session: its cookie and CSRF token.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

impl TestApp {
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// Follows the setup link and creates the admin; returns the session it starts.
    pub async fn setup_admin(&self) -> Session {
        let link = self
            .setup_link
            .clone()
            .expect("a fresh app has a setup link");
        let page = self.client.get(&link).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let pre = cookie_value(&set_cookie(&page, "custio_pre").unwrap());
        let token = link.split("token=").nth(1).unwrap().to_string();
        let response = self
            .client
            .post(self.at("/setup"))
            .header(COOKIE, format!("custio_pre={pre}"))
            .form(&[
                ("csrf", pre.as_str()),
                ("token", &token),
                ("username", ADMIN),
                ("password", PASSWORD),
                ("password2", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "{}",
            response.text().await.unwrap()
        );
        let cookie = cookie_value(&set_cookie(&response, "custio_session").unwrap());
        self.session_of(cookie).await
    }

    /// Logs in with the login form; `Err(status)` when refused.
    pub async fn login(&self, user: &str, password: &str) -> Result<Session, StatusCode> {
        let page = self.client.get(self.at("/login")).send().await.unwrap();
        let pre = cookie_value(&set_cookie(&page, "custio_pre").unwrap());
        let response = self
            .client
            .post(self.at("/login"))
            .header(COOKIE, format!("custio_pre={pre}"))
            .form(&[
                ("csrf", pre.as_str()),
                ("username", user),
                ("password", password),
            ])
            .send()
            .await
            .unwrap();
        if response.status() != StatusCode::SEE_OTHER {
            return Err(response.status());
        }
        let cookie = cookie_value(&set_cookie(&response, "custio_session").unwrap());
        Ok(self.session_of(cookie).await)
    }

    async fn session_of(&self, cookie: String) -> Session {
        let me: Value = self
            .client
            .get(self.at("/api/v1/me"))
            .header(COOKIE, format!("custio_session={cookie}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Session {
            cookie,
            csrf: me["csrf_token"].as_str().unwrap().to_string(),
        }
    }

    /// Creates an API token through the API with a session.
    pub async fn token(&self, session: &Session) -> String {
        let response = self
            .client
            .post(self.at("/api/v1/tokens"))
            .header(COOKIE, format!("custio_session={}", session.cookie))
            .header("x-csrf-token", &session.csrf)
            .json(&serde_json::json!({ "name": "tests" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        body["token"].as_str().unwrap().to_string()
    }
}

/// An API client with a bearer token.
pub struct Api<'a> {
    pub app: &'a TestApp,
    pub token: String,
}

impl Api<'_> {
    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.app
            .client
            .get(self.app.at(path))
            .bearer_auth(&self.token)
    }
    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.app
            .client
            .post(self.app.at(path))
            .bearer_auth(&self.token)
    }
    pub fn put(&self, path: &str) -> reqwest::RequestBuilder {
        self.app
            .client
            .put(self.app.at(path))
            .bearer_auth(&self.token)
    }
    pub fn patch(&self, path: &str) -> reqwest::RequestBuilder {
        self.app
            .client
            .patch(self.app.at(path))
            .bearer_auth(&self.token)
    }
    pub fn delete(&self, path: &str) -> reqwest::RequestBuilder {
        self.app
            .client
            .delete(self.app.at(path))
            .bearer_auth(&self.token)
    }

    pub async fn json(&self, request: reqwest::RequestBuilder, status: StatusCode) -> Value {
        let response = request.send().await.unwrap();
        let got = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(got, status, "unexpected status; body: {text}");
        if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        }
    }

    /// Uploads `body` to `/api/v1/imports?QUERY` and waits for its check; returns the job as
    /// it ended.
    pub async fn check(&self, query: &str, body: impl Into<reqwest::Body>) -> Value {
        let queued = self
            .json(
                self.post(&format!("/api/v1/imports?{query}")).body(body),
                StatusCode::ACCEPTED,
            )
            .await;
        self.wait_job(queued["id"].as_i64().unwrap()).await
    }

    /// Waits for a job to end; returns it.
    pub async fn wait_job(&self, id: i64) -> Value {
        for _ in 0..600 {
            let job = self
                .json(self.get(&format!("/api/v1/jobs/{id}")), StatusCode::OK)
                .await;
            if job["state"] == "succeeded" || job["state"] == "failed" {
                return job;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("job {id} did not end");
    }
}

/// An IdoSell file with an unknown column (`shoe_size`) and a bad e-mail on line 3.
pub const IDOSELL_WITH_UNKNOWN_AND_BAD_ROW: &str = "login;email;firstname;lastname;street;zipcode;city;shoe_size\n\
jan;jan@example.pl;Jan;Nowak;Jasna 5;00-950;Warszawa;42\n\
ewa;ewa@;Ewa;Kowalska;Długa 1;31-147;Kraków;38\n\
piotr;piotr@example.pl;Piotr;Zieliński;Polna 2;60-001;Poznań;44\n";

/// A multipart form as a browser sends it: text fields, then the file.
pub fn multipart(fields: &[(&str, &str)], file: (&str, &str)) -> (String, String) {
    let boundary = "custio-test-boundary";
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: text/csv\r\n\r\n{}\r\n--{boundary}--\r\n",
        file.0, file.1
    ));
    (format!("multipart/form-data; boundary={boundary}"), body)
}
