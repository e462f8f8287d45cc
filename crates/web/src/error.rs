//! One table of stable error codes (as Meilisearch keeps one): each code has its HTTP
//! status; every API error is `{ "error": { "code", "message", "details" } }`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use custio_engine::records::StoreError;
use custio_engine::{AccountError, EngineError};
use serde::Serialize;
use utoipa::ToSchema;

/// The stable error codes of the REST API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// No valid session cookie or bearer token (401).
    Unauthenticated,
    /// Logged in, but the user's role does not allow this (403).
    Forbidden,
    /// A state-changing request without the session's CSRF token (403).
    CsrfFailed,
    /// The thing asked for does not exist (404).
    NotFound,
    /// The request is malformed or a value is invalid (400).
    InvalidRequest,
    /// A unique key is taken (409).
    Conflict,
    /// The state of the batch or row does not allow the action (409).
    NotAllowed,
    /// Too many failed logins; wait (429).
    TooManyAttempts,
    /// The upload is larger than the server takes (`serve --max-upload-mb`) (413).
    TooLarge,
    /// A bug or an unavailable resource (500).
    Internal,
}

impl Code {
    /// The code as the API writes it (`invalid_request`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden => "forbidden",
            Self::CsrfFailed => "csrf_failed",
            Self::NotFound => "not_found",
            Self::InvalidRequest => "invalid_request",
            Self::Conflict => "conflict",
            Self::NotAllowed => "not_allowed",
            Self::TooManyAttempts => "too_many_attempts",
            Self::TooLarge => "too_large",
            Self::Internal => "internal",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::CsrfFailed => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::InvalidRequest => StatusCode::BAD_REQUEST,
            Self::Conflict | Self::NotAllowed => StatusCode::CONFLICT,
            Self::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// An error as the API reports it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    pub code: Code,
    pub message: String,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

/// The envelope every error response has.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ApiError,
}

impl ApiError {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            // Always an object, as the document says: empty when there is nothing more.
            details: serde_json::Value::Object(Default::default()),
        }
    }

    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(Code::NotFound, message)
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(Code::InvalidRequest, message)
    }

    /// A failure the user cannot fix: logged in full, reported without internals.
    pub fn internal(message: impl Into<String>) -> Self {
        let message = message.into();
        tracing::error!("internal error: {message}");
        Self::new(Code::Internal, "internal error; see the server log")
    }

    pub fn status(&self) -> StatusCode {
        self.code.status()
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        close_if_unread((self.status(), Json(ErrorBody { error: self })).into_response())
    }
}

/// A refusal that did not read the request's body to its end (413) closes the
/// connection: it cannot carry another request, and a client must not try.
pub(crate) fn close_if_unread(mut response: Response) -> Response {
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        response.headers_mut().insert(
            axum::http::header::CONNECTION,
            axum::http::HeaderValue::from_static("close"),
        );
    }
    response
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            taken @ StoreError::Taken { .. } => Self::new(Code::Conflict, taken.to_string()),
            other => Self::internal(other.to_string()),
        }
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> Self {
        let message = e.to_string();
        match e {
            EngineError::Store(s) => s.into(),
            EngineError::BatchNotFound(_)
            | EngineError::RowNotFound { .. }
            | EngineError::MappingProfileNotFound(_)
            | EngineError::CustomerNotFound(_)
            | EngineError::JobNotFound(_)
            | EngineError::MigrationNotFound(_)
            | EngineError::UploadGone(_) => Self::new(Code::NotFound, message),
            // The source's own code tells the client what the user can do.
            EngineError::Source(source) => Self::new(Code::InvalidRequest, message)
                .with_details(serde_json::json!({ "source_error": source.code() })),
            EngineError::NotAllowed(_) | EngineError::BatchOptions { .. } => {
                Self::new(Code::NotAllowed, message)
            }
            EngineError::Denied(_) => Self::new(Code::Forbidden, message),
            EngineError::WriterStopped | EngineError::Files(_) | EngineError::SealingKey(_) => {
                Self::internal(message)
            }
            // The columns travel in the details, for a client to ask its user.
            EngineError::UnmappedColumn { unknown, .. } => Self::new(Code::InvalidRequest, message)
                .with_details(serde_json::json!({ "unknown_columns": unknown })),
            EngineError::UnknownDialect(_)
            | EngineError::InvalidSelection(_)
            | EngineError::InvalidFilter { .. }
            | EngineError::InvalidEdit(_)
            | EngineError::InvalidMapping(_)
            | EngineError::ShopIdZero
            | EngineError::NameMissing(_)
            | EngineError::InvalidLanguage(_)
            | EngineError::InvalidExport(_)
            | EngineError::Format(_) => Self::new(Code::InvalidRequest, message),
        }
    }
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> Self {
        let message = e.to_string();
        match e {
            AccountError::Store(s) => s.into(),
            AccountError::InvalidUserName
            | AccountError::PasswordTooShort
            | AccountError::InvalidTokenName => Self::new(Code::InvalidRequest, message),
            AccountError::WrongLogin => Self::new(Code::Unauthenticated, message),
            AccountError::WrongPassword | AccountError::SetupTokenInvalid => {
                Self::new(Code::Forbidden, message)
            }
            AccountError::UserNotFound(_)
            | AccountError::UnknownUser(_)
            | AccountError::TokenNotFound(_) => Self::new(Code::NotFound, message),
            AccountError::Throttled { wait } => {
                // The panel words the wait in minutes, in the reader's language (from
                // `details`); the API's message says the same in English.
                let minutes = wait.as_secs().div_ceil(60).max(1);
                let message = custio_i18n::message(
                    custio_i18n::Lang::En,
                    "login-throttled",
                    &[("minutes", minutes.into())],
                );
                Self::new(Code::TooManyAttempts, message).with_details(serde_json::json!({
                    "minutes": minutes,
                    "seconds": wait.as_secs().max(1),
                }))
            }
            AccountError::Hashing(_) => Self::internal(message),
        }
    }
}

impl From<std::io::Error> for ApiError {
    fn from(e: std::io::Error) -> Self {
        Self::internal(format!("file error: {e}"))
    }
}
