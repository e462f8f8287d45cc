//! The HTTP side of accounts: session cookies (HttpOnly, SameSite=Lax, Secure off
//! loopback), bearer tokens, CSRF tokens on every state-changing request of a browser
//! (never in a URL), and the client address logins are throttled by. Users, passwords,
//! sessions, tokens, the setup token and login throttling are the engine's use cases
//! (`custio_engine::accounts`), called on blocking threads (argon2 is slow on purpose).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use custio_engine::Caller;
use custio_engine::accounts::{SESSION_HOURS, same_secret};
use custio_engine::records::{Role, Session, User};

use crate::error::{ApiError, Code};
use crate::state::AppState;

/// The session cookie.
pub const SESSION_COOKIE: &str = "custio_session";
/// The cookie that carries the CSRF token of forms shown before a login (login, setup).
pub const PRE_COOKIE: &str = "custio_pre";
/// The multipart forms whose CSRF token is a field of the form itself, checked by their
/// handler before it reads the file ([`FormCsrf`]).
const MULTIPART_FORMS: &[&str] = &["/import"];

/// Checks a user name and password from `client`, throttled per account and client
/// address by the engine ([`custio_engine::Engine::log_in`]). Returns the user, or an
/// error that does not tell which part was wrong.
pub async fn check_login(
    state: &AppState,
    client: IpAddr,
    username: String,
    password: String,
) -> Result<User, ApiError> {
    state
        .blocking(move |engine| Ok(engine.log_in(&username, &password, client)?))
        .await
}

/// The address of the client that sent a request: with a trusted proxy header
/// configured (`serve --trusted-proxy-header`), the last address in that header (the one
/// the proxy in front of custio saw); otherwise, or when the header is missing or not an
/// address, the socket's peer. Without connect info (a router in a test), 0.0.0.0.
pub fn client_ip(state: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> IpAddr {
    let forwarded = state.client_header.as_ref().and_then(|name| {
        let last = headers.get_all(name).iter().next_back()?;
        let value = last.to_str().ok()?.rsplit(',').next()?.trim();
        value
            .parse::<IpAddr>()
            .ok()
            .or_else(|| value.parse::<SocketAddr>().ok().map(|a| a.ip()))
    });
    forwarded
        .or(peer.map(|p| p.ip()))
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// Starts a session for `user`; returns the `Set-Cookie` value.
pub async fn start_session(state: &AppState, user: &User) -> Result<String, ApiError> {
    let id = user.id;
    let started = state
        .blocking(move |engine| Ok(engine.start_session(id)?))
        .await?;
    Ok(cookie(
        state,
        SESSION_COOKIE,
        &started.secret,
        SESSION_HOURS * 3600,
    ))
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Secure unless on loopback.
pub fn cookie(state: &AppState, name: &str, value: &str, max_age: i64) -> String {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// The value of a cookie of the request.
pub fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// How a request proved who it is.
#[derive(Clone, Debug)]
pub enum Via {
    /// A browser session; state-changing requests carry its CSRF token.
    Session(Session),
    /// An API bearer token (not an ambient credential: no CSRF token needed).
    Token(i64),
}

/// The logged-in user of a request.
#[derive(Clone, Debug)]
pub struct Auth {
    pub user: User,
    pub via: Via,
}

impl Auth {
    /// The session's CSRF token (empty for token requests).
    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session(s) => &s.csrf,
            Via::Token(_) => "",
        }
    }

    /// The caller of engine use cases that depend on who asks.
    pub fn caller(&self) -> Caller {
        Caller::of(&self.user, self.actor())
    }

    /// Refuses users who are not admins.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.user.role == Role::Admin {
            Ok(())
        } else {
            Err(ApiError::new(Code::Forbidden, "only an admin may do this"))
        }
    }

    /// Who did it, for the audit log and jobs.
    pub fn actor(&self) -> String {
        match self.via {
            Via::Session(_) => format!("web:{}", self.user.username),
            Via::Token(id) => format!("api:{}:token{id}", self.user.username),
        }
    }
}

/// What [`authenticate`] found, kept in the request's extensions, with whether the
/// request is an API call (nested routers see a shortened path; this is the full one).
#[derive(Clone)]
struct Resolved {
    auth: Option<Auth>,
    api: bool,
    path: String,
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

async fn resolve(state: &AppState, headers: &HeaderMap) -> Result<Option<Auth>, ApiError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| {
                ApiError::new(Code::Unauthenticated, "use 'Authorization: Bearer TOKEN'")
            })?
            .to_string();
        let found = state
            .blocking(move |engine| Ok(engine.token_user(&token)?))
            .await?;
        let (token, user) = found
            .ok_or_else(|| ApiError::new(Code::Unauthenticated, "the API token is not valid"))?;
        return Ok(Some(Auth {
            user,
            via: Via::Token(token.id),
        }));
    }
    let Some(cookie) = read_cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let found = state
        .blocking(move |engine| Ok(engine.session_user(&cookie)?))
        .await?;
    Ok(found.map(|(session, user)| Auth {
        user,
        via: Via::Session(session),
    }))
}

fn reject(path: &str, error: ApiError) -> Response {
    if is_api(path) {
        error.into_response()
    } else {
        crate::panel::error_page(error)
    }
}

/// The middleware before every route: finds the user (bearer token or session cookie)
/// and enforces CSRF tokens on state-changing browser requests. A token arrives in the
/// `X-CSRF-Token` header or a `csrf` field of a url-encoded form, never in the URL (where
/// it would reach logs and `Referer` headers). The multipart forms of [`MULTIPART_FORMS`]
/// carry it as their first field: their handler checks it ([`FormCsrf`]) before it reads
/// the file. Forms shown before a login use the `custio_pre` cookie instead (double
/// submit).
pub async fn authenticate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let auth = match resolve(&state, request.headers()).await {
        Ok(auth) => auth,
        Err(e) => return reject(&path, e),
    };
    let mut request = request;
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe {
        let expected = match &auth {
            Some(Auth {
                via: Via::Token(_), ..
            }) => None,
            Some(Auth {
                via: Via::Session(s),
                ..
            }) => Some(s.csrf.clone()),
            None if path == "/login" || path == "/setup" => {
                Some(read_cookie(request.headers(), PRE_COOKIE).unwrap_or_default())
            }
            None => None,
        };
        if let Some(expected) = expected {
            let (given, rebuilt) = match csrf_of(request).await {
                Ok(found) => found,
                Err(response) => return response,
            };
            request = rebuilt;
            let multipart = given.is_none()
                && MULTIPART_FORMS.contains(&path.as_str())
                && is_multipart(request.headers());
            if multipart && !expected.is_empty() {
                request.extensions_mut().insert(FormCsrf(expected));
            } else if expected.is_empty() || !given.is_some_and(|g| same_secret(&g, &expected)) {
                return reject(&path, csrf_failed());
            }
        }
    }
    let full = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| path.clone());
    request.extensions_mut().insert(Resolved {
        auth,
        api: is_api(&path),
        path: full,
    });
    next.run(request).await
}

fn csrf_failed() -> ApiError {
    ApiError::new(
        Code::CsrfFailed,
        "the request lacks this session's CSRF token; reload the page and try again",
    )
}

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// The CSRF token a multipart form of a session must carry as its `csrf` field (put in
/// the request by [`authenticate`]); its handler calls [`FormCsrf::check`] with the
/// first field before it reads anything else.
#[derive(Clone)]
pub struct FormCsrf(String);

impl FormCsrf {
    /// Whether the form's first field is `csrf` with this session's token.
    pub fn check(&self, name: &str, value: &str) -> Result<(), ApiError> {
        if name == "csrf" && same_secret(value, &self.0) {
            Ok(())
        } else {
            Err(csrf_failed())
        }
    }
}

/// The CSRF token a request carries, and the request (its body read and put back when it
/// was a url-encoded form).
async fn csrf_of(request: Request) -> Result<(Option<String>, Request), Response> {
    if let Some(v) = request
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        let v = v.to_string();
        return Ok((Some(v), request));
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((None, request));
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 1024 * 1024)
        .await
        .map_err(|_| ApiError::invalid("the form is larger than 1 MiB").into_response())?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let token = pairs.into_iter().find(|(k, _)| k == "csrf").map(|(_, v)| v);
    Ok((token, Request::from_parts(parts, Body::from(bytes))))
}

/// Rejection of [`Auth`]: 401 JSON for the API, a redirect to the login page for the panel.
pub struct LoginRequired {
    api: bool,
    next: String,
}

impl IntoResponse for LoginRequired {
    fn into_response(self) -> Response {
        if self.api {
            ApiError::new(
                Code::Unauthenticated,
                "log in, or send 'Authorization: Bearer TOKEN' with an API token",
            )
            .into_response()
        } else {
            let next: String =
                serde_urlencoded::to_string([("next", self.next)]).unwrap_or_default();
            Redirect::to(&format!("/login?{next}")).into_response()
        }
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = LoginRequired;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Resolved>() {
            Some(Resolved {
                auth: Some(auth), ..
            }) => Ok(auth.clone()),
            Some(r) => Err(LoginRequired {
                api: r.api,
                next: r.path.clone(),
            }),
            None => Err(LoginRequired {
                api: true,
                next: "/".into(),
            }),
        }
    }
}

/// The logged-in user if there is one (login and setup pages).
pub struct MaybeAuth(pub Option<Auth>);

impl FromRequestParts<AppState> for MaybeAuth {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(MaybeAuth(
            parts
                .extensions
                .get::<Resolved>()
                .and_then(|r| r.auth.clone()),
        ))
    }
}

/// The client address of a request (see [`client_ip`]).
pub fn client_addr(parts: &Parts, state: &AppState) -> IpAddr {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    client_ip(state, &parts.headers, peer)
}
