//! Shoper's WebAPI login: `POST /webapi/rest/auth` with the administrator's login and
//! password as Basic credentials answers `{"access_token": "<40 hex>", "expires_in":
//! 2592000, "token_type": "bearer"}`; every later call sends `Authorization: Bearer
//! <token>`. There is no refresh token: a token that expired (or was revoked) is replaced by
//! logging in again, which the connector does once per refused call.

use base64::Engine;
use reqwest::blocking::Client;
use serde_json::Value as Json;
use url::Url;

use super::oauth_error;
use crate::http::{Http, Reply};
use crate::{Result, Secret, SourceError, lenient};

/// Logs in at `auth` (the shop's `/webapi/rest/auth`) and returns the access token.
pub(super) fn login(http: &mut Http, auth: &Url, login: &str, password: &Secret) -> Result<Secret> {
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("{login}:{}", password.expose()));
    let build = |client: &Client| {
        client
            .post(auth.clone())
            .header("Authorization", format!("Basic {basic}"))
    };
    let reply = http.send(&build)?;
    if reply.status == 200 {
        let json: Option<Json> = serde_json::from_slice(&reply.body).ok();
        return match json {
            Some(json) => lenient::text(json.get("access_token"))
                .map(Secret::from)
                .ok_or_else(|| SourceError::BadResponse {
                    what: "auth".into(),
                    detail: "no access_token in the answer".into(),
                }),
            None => Err(SourceError::NotThisPlatform {
                platform: "Shoper",
                detail: format!("/webapi/rest/auth answered {}", reply.text()),
            }),
        };
    }
    Err(refused_login(&reply))
}

/// What a login that got no token means for the user.
fn refused_login(reply: &Reply) -> SourceError {
    let Some((code, description)) = oauth_error(reply) else {
        // No `{error, error_description}`: whatever answered is not Shoper's WebAPI.
        return SourceError::NotThisPlatform {
            platform: "Shoper",
            detail: format!(
                "/webapi/rest/auth answered {} {}",
                reply.status,
                reply.text()
            ),
        };
    };
    match code.as_str() {
        "auth_webapi_access_denied" => SourceError::NoReadPermission(
            "customers: the account has no WebAPI access (allow it for the administrator in the shop's admin panel)"
                .into(),
        ),
        "auth_ip_not_allowed" => SourceError::Refused {
            status: reply.status,
            detail: format!(
                "the shop does not allow WebAPI logins from custio's IP address: {description}"
            ),
        },
        "auth_failure" | "unauthorized_client" | "invalid_grant" | "invalid_client" => {
            SourceError::CredentialsRejected(description)
        }
        _ if reply.status == 401 => SourceError::CredentialsRejected(description),
        _ => SourceError::Refused {
            status: reply.status,
            detail: format!("{code}: {description}"),
        },
    }
}

/// Whether an answer refuses the access token itself (expired, revoked or unknown): 401
/// with `unauthorized_client` in the body or, as for an expired token, only in the
/// `WWW-Authenticate` header.
pub(super) fn token_refused(reply: &Reply) -> bool {
    if reply.status != 401 {
        return false;
    }
    let in_header = reply
        .header("www-authenticate")
        .is_some_and(|h| h.contains("unauthorized_client"));
    let in_body = oauth_error(reply).is_some_and(|(code, _)| code == "unauthorized_client");
    in_header || in_body
}
