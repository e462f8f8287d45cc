//! The REST API, `/api/v1`: every panel action as a JSON call, authenticated by a session
//! cookie (with the `X-CSRF-Token` header on writes) or a bearer token. Errors are
//! `{ "error": { "code", "message", "details" } }` ([`crate::error`]). The OpenAPI
//! document is built from the handlers' annotations and served at `/api/v1/openapi.json`.

use axum::Json;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post, put};
use custio_engine::jobs::{self as engine_jobs, CheckRequest, DialectChoice};
use custio_engine::model::{Customer, RowIssue};
use custio_engine::records::{
    ApiToken, AuditEntry, CustomerCursor, CustomerSort, Job, MappingProfile, Role, RowStatus, Shop,
    User,
};
use custio_engine::{CheckReport, accounts::NewApiToken};
use custio_engine::{ImportOptions, OnExisting};
use futures_util::StreamExt;
use serde::{Deserialize, de::DeserializeOwned};
use tokio::io::AsyncWriteExt;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};

use crate::auth::{Auth, Via};
use crate::error::{ApiError, Code, ErrorBody};
use crate::i18n::ReaderLang;
use crate::responses::{
    self, BatchSummary, CustomerPage, Format, JobView, Me, RowView, RowsPage, Skipped,
};
use crate::state::AppState;
use crate::views::{self, ChannelWriter, ListFilter};

/// Every API route (mounted under `/api/v1`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi_json))
        .route("/me", get(me))
        .route("/formats", get(formats))
        .route("/imports", post(upload))
        .route("/batches", get(batches))
        .route("/batches/{id}", get(batch))
        .route("/batches/{id}/mapping", post(mapping))
        .route("/batches/{id}/rows", get(rows))
        .route("/batches/{id}/rows/{line}", patch(edit_row))
        .route("/batches/{id}/skip", post(skip))
        .route("/batches/{id}/commit", post(commit))
        .route("/batches/{id}/rejected", get(rejected))
        .route("/exports", post(export))
        .route("/jobs", get(jobs_list))
        .route("/jobs/{id}", get(job))
        .route("/jobs/{id}/download", get(download))
        .route("/customers", get(customers).post(create_customer))
        .route(
            "/customers/{id}",
            get(customer).put(update_customer).delete(delete_customer),
        )
        .route("/shops", get(shops))
        .route("/shops/{id}", put(put_shop))
        .route("/profiles", get(profiles))
        .route("/profiles/{name}", axum::routing::delete(delete_profile))
        .route("/users", get(users).post(create_user))
        .route("/users/{id}/password", put(set_password))
        .route("/tokens", get(tokens).post(create_token))
        .route("/tokens/{id}", axum::routing::delete(delete_token))
        .route("/audit", get(audit_log))
        .route("/metrics", get(metrics))
}

/// The OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(title = "custio API", description = "Customer-base import and export hub: every panel action as a JSON call. Authenticate with `Authorization: Bearer TOKEN` (create tokens under Users in the panel or with POST /api/v1/tokens)."),
    paths(
        me, formats, upload, batches, batch, mapping, rows, edit_row, skip, commit, rejected,
        export, jobs_list, job, download, customers, create_customer, customer, update_customer,
        delete_customer, shops, put_shop, profiles, delete_profile, users, create_user,
        set_password, tokens, create_token, delete_token, audit_log, metrics
    ),
    components(schemas(ErrorBody, ApiError, Code, EditRow, Lines, MappingRequest, CommitRequest, NewUser, NewPassword, NewToken, ShopBody)),
    modifiers(&BearerAuth, &RowCodes, &EveryAnswer400, &HashesConfirmed),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The stable codes of row issues and row results, as two string enums: a client renders
/// them in its own words, or shows the `message` the API rendered by `Accept-Language`.
struct RowCodes;

impl Modify for RowCodes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
        let components = openapi.components.get_or_insert_with(Default::default);
        let codes = |description: &str, codes: &[&str]| {
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::String))
                .description(Some(description))
                .enum_values(Some(codes.iter().copied()))
                .build()
        };
        components.schemas.insert(
            "RowIssueCode".into(),
            codes(
                "Why a row is rejected (or, with `warning`, what was ignored): the `code` of each entry of a row's `issues`, beside its `column`, `field`, `value` and the arguments of its message.",
                custio_engine::model::IssueCode::CODES,
            )
            .into(),
        );
        components.schemas.insert(
            "RowNoteCode".into(),
            codes(
                "What became of a row: the `code` of a row's `note` (created, updated, skipped, ...).",
                custio_engine::model::RowNote::CODES,
            )
            .into(),
        );
    }
}

/// Every operation can answer 400: a path or query parameter or a body that does not
/// parse (an id past 64 bits, a body that is not JSON) is refused before the handler.
struct EveryAnswer400;

impl Modify for EveryAnswer400 {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{RefOr, Response};
        let refused = utoipa::openapi::ResponseBuilder::new()
            .description("the request does not parse or is not valid")
            .content(
                "application/json",
                utoipa::openapi::ContentBuilder::new()
                    .schema(Some(utoipa::openapi::Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build();
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                operation
                    .responses
                    .responses
                    .entry("400".into())
                    .or_insert_with(|| RefOr::<Response>::T(refused.clone()));
            }
        }
    }
}

/// An export with password hashes carries their confirmation: `with_password_hashes`
/// true needs `confirm_password_hashes` true (a rule between two fields, which the
/// derive cannot write).
struct HashesConfirmed;

impl Modify for HashesConfirmed {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::RefOr;
        use utoipa::openapi::schema::{AllOfBuilder, AnyOfBuilder, ObjectBuilder, Type};
        let Some(schemas) = openapi.components.as_mut().map(|c| &mut c.schemas) else {
            return;
        };
        let Some(request) = schemas.remove("ExportRequest") else {
            return;
        };
        let flag = |value: bool| {
            ObjectBuilder::new()
                .schema_type(Type::Boolean)
                .enum_values(Some([value]))
        };
        let rule = AnyOfBuilder::new()
            .item(ObjectBuilder::new().property("with_password_hashes", flag(false)))
            .item(
                ObjectBuilder::new()
                    .property("confirm_password_hashes", flag(true))
                    .required("confirm_password_hashes"),
            );
        let checked = AllOfBuilder::new().item(request).item(rule).build();
        schemas.insert("ExportRequest".into(), RefOr::T(checked.into()));
    }
}

/// The schemas of the parameters the derives cannot type: each lists what the handler
/// takes, an empty value (what a form sends for "any") included.
fn text_encoding() -> utoipa::openapi::schema::Schema {
    custio_engine::openapi::encoding()
}

fn on_existing() -> utoipa::openapi::schema::Schema {
    choice(
        ["update", "skip", "fail", ""],
        "update (default), skip or fail",
    )
}

fn row_status() -> utoipa::openapi::schema::Schema {
    let statuses = RowStatus::ALL.iter().map(|s| s.as_str());
    choice(statuses.chain([""]), "a row status; empty: every row")
}

fn sort() -> utoipa::openapi::schema::Schema {
    let sorts = CustomerSort::ALL.iter().map(|s| s.as_str());
    choice(sorts.chain([""]), "the order; empty: by id")
}

fn order() -> utoipa::openapi::schema::Schema {
    choice(["asc", "desc", ""], "asc (default) or desc")
}

fn role() -> utoipa::openapi::schema::Schema {
    custio_engine::model::openapi::choice_or_null(
        ["admin", "staff", ""],
        "admin or staff; empty or null: staff",
    )
}

fn language_or_none() -> utoipa::openapi::schema::Schema {
    let codes = custio_engine::model::Language::all()
        .map(|l| l.code())
        .filter(|c| !c.is_empty());
    custio_engine::model::openapi::choice_or_null(
        codes.chain([""]),
        "ISO 639-1 code; empty or null: none",
    )
}

use custio_engine::model::openapi::choice;

/// Numbers without a fraction written with one (`3.0`) as integers: JSON Schema's
/// integers, which serde would refuse where an integer is expected.
fn whole_numbers(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match value {
        // Only where a float holds the integer exactly (below 2^53): a larger one was
        // rounded when it was read, and stays a float to be refused.
        Value::Number(n) if n.is_f64() => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < EXACT => Value::from(f as i64),
            _ => Value::Number(n),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(whole_numbers).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| (k, whole_numbers(v)))
                .collect(),
        ),
        other => other,
    }
}

/// The OpenAPI document, without a login: API clients and their generators read it first.
async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// A JSON body whose rejections are API errors.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    /// Every body of this API is a JSON object: anything else is refused before its
    /// fields are read (serde would read `[null, null]` as a struct's fields in order).
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Json(value) = Json::<serde_json::Value>::from_request(req, state)
            .await
            .map_err(|e: JsonRejection| ApiError::invalid(e.body_text()))?;
        if !value.is_object() {
            return Err(ApiError::invalid("the body must be a JSON object"));
        }
        T::deserialize(whole_numbers(value))
            .map(ApiJson)
            .map_err(|e| ApiError::invalid(format!("the body does not fit: {e}")))
    }
}

/// Query parameters whose rejections are API errors.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|e: QueryRejection| ApiError::invalid(e.body_text()))
    }
}

/// Path parameters whose rejections are API errors.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|e| ApiError::invalid(e.body_text()))
    }
}

type JsonResult<T> = Result<Json<T>, ApiError>;
type Accepted = Result<(StatusCode, Json<JobView>), ApiError>;

fn accepted(job: &Job, auth: &Auth) -> (StatusCode, Json<JobView>) {
    (StatusCode::ACCEPTED, Json(JobView::of(job, &auth.caller())))
}

// --- Shared operations (the panel calls these too) -----------------------------------------

/// An upload being written to `<data dir>/uploads/` (a private file), at most
/// [`AppState::max_upload`] bytes: past that, writing stops with a 413 (`too_large`). The
/// file is deleted unless [`UploadFile::finish`] keeps it, so an upload refused or broken
/// off midway leaves nothing behind.
pub(crate) struct UploadFile {
    file: tokio::fs::File,
    path: std::path::PathBuf,
    name: String,
    bytes: u64,
    limit: u64,
    kept: bool,
}

impl UploadFile {
    pub async fn create(state: &AppState) -> Result<Self, ApiError> {
        let files = state.files.clone();
        let (name, file) = tokio::task::spawn_blocking(move || files.create_upload())
            .await
            .map_err(|e| ApiError::internal(format!("a worker thread failed: {e}")))??;
        let path = state
            .files
            .upload_path(&name)
            .map_err(|e| ApiError::internal(e.to_string()))?;
        Ok(Self {
            file: tokio::fs::File::from_std(file),
            path,
            name,
            bytes: 0,
            limit: state.max_upload,
            kept: false,
        })
    }

    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), ApiError> {
        if self.bytes + chunk.len() as u64 > self.limit {
            return Err(too_large(self.limit));
        }
        self.file.write_all(chunk).await?;
        self.bytes += chunk.len() as u64;
        Ok(())
    }

    /// The bytes written so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Keeps the file; returns its name under `uploads/`.
    pub async fn finish(mut self) -> Result<String, ApiError> {
        self.file.flush().await?;
        self.file.sync_all().await?;
        self.kept = true;
        Ok(std::mem::take(&mut self.name))
    }
}

impl Drop for UploadFile {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The error of an upload larger than `limit` bytes (413), with the limit in MB.
pub(crate) fn too_large(limit: u64) -> ApiError {
    let mb = limit.div_ceil(1024 * 1024);
    ApiError::new(
        Code::TooLarge,
        format!("the file is larger than the {mb} MB this server takes"),
    )
    .with_details(serde_json::json!({ "limit_mb": mb }))
}

/// What an import reads, besides the file.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// The dialect (`idosell`, `shoptet`, `upgates`, `cloudcart`, `iof`, `csv`, `xlsx`);
    /// left out or `auto`: detected from the file's first bytes.
    #[param(schema_with = custio_engine::openapi::dialect_or_auto)]
    pub dialect: Option<String>,
    /// Force an encoding (`utf-8`, `utf-8-bom`, `windows-1250`, `windows-1251`); detected when absent.
    #[param(schema_with = text_encoding)]
    pub encoding: Option<String>,
    /// `update` (default), `skip` or `fail` for rows that pair with a stored customer.
    #[param(schema_with = on_existing)]
    pub on_existing: Option<String>,
    /// A saved mapping profile to apply.
    pub profile: Option<String>,
    /// The file's name, for the import log.
    pub filename: Option<String>,
    /// `true`: the first row is a header (for formats where it is optional, CloudCart);
    /// left out: the format's default.
    pub has_header: Option<bool>,
}

/// Queues the check of a saved upload: the engine checks the format, encoding and
/// mapping profile (which must be for the file's format).
pub(crate) async fn start_check(
    state: &AppState,
    auth: &Auth,
    upload: String,
    params: ImportParams,
) -> Result<Job, ApiError> {
    let on_existing: OnExisting = params
        .on_existing
        .as_deref()
        .filter(|s| !s.is_empty())
        .unwrap_or("update")
        .parse()
        .map_err(ApiError::invalid)?;
    let request = CheckRequest {
        upload: upload.clone(),
        source: params.filename,
        dialect: DialectChoice::parse(params.dialect.as_deref()),
        options: ImportOptions {
            encoding: params.encoding.filter(|e| !e.trim().is_empty()),
            on_existing,
            has_header: params.has_header.filter(|h| *h),
            ..ImportOptions::default()
        },
        profile: params.profile,
    };
    let actor = auth.actor();
    let queued = state
        .queue(move |engine| engine.start_check(request, &actor))
        .await;
    if queued.is_err() {
        // Nobody will read the upload: it goes at once, not with the retention.
        if let Ok(path) = state.files.upload_path(&upload) {
            let _ = tokio::fs::remove_file(path).await;
        }
    }
    queued
}

/// Queues a new check of a batch's file with mappings for its unknown columns; saves them
/// as a profile when `profile` is given (validated as every profile is).
pub(crate) async fn start_mapping(
    state: &AppState,
    auth: &Auth,
    id: i64,
    mappings: Vec<(String, String)>,
    profile: Option<String>,
) -> Result<Job, ApiError> {
    let actor = auth.actor();
    state
        .queue(move |engine| engine.start_mapping(id, mappings, profile.as_deref(), &actor))
        .await
}

/// Queues the commit of a checked batch's pending rows (or the chosen ones).
pub(crate) async fn start_commit(
    state: &AppState,
    auth: &Auth,
    id: i64,
    lines: Option<Vec<u64>>,
) -> Result<Job, ApiError> {
    let actor = auth.actor();
    state
        .queue(move |engine| engine.start_commit(id, lines, &actor))
        .await
}

/// Queues an export for the user: a `view` export without columns takes the user's
/// current view; the engine checks the rest (only an admin may export password hashes).
pub(crate) async fn start_export(
    state: &AppState,
    auth: &Auth,
    mut request: engine_jobs::ExportRequest,
) -> Result<Job, ApiError> {
    if request.kind == "view" && request.columns.is_empty() {
        request.columns = views::idosell_columns(&views::view_columns(&auth.user.view_columns));
    }
    let caller = auth.caller();
    state
        .queue(move |engine| engine.start_export(request, &caller))
        .await
}

/// Streams a batch's rejected rows (its own dialect and encoding, reasons last); the
/// engine writes the download to the audit log.
pub(crate) async fn rejected_response(
    state: &AppState,
    auth: &Auth,
    id: i64,
    lang: custio_i18n::Lang,
) -> Result<Response, ApiError> {
    let caller = auth.caller();
    let batch = state
        .blocking(move |engine| Ok(engine.download_rejected(id, &caller)?))
        .await?;
    let (writer, failer, body) = ChannelWriter::pair();
    let engine = state.engine.clone();
    tokio::task::spawn_blocking(move || {
        let render = |issue: &RowIssue| custio_i18n::issue(lang, issue);
        if let Err(e) = engine.write_rejected(id, Box::new(writer), &render) {
            failer.fail(e.to_string());
        }
    });
    let name = format!("batch-{}-rejected.csv", batch.id);
    Ok(file_response(body, &name, "text/csv"))
}

fn file_response(body: Body, name: &str, mime: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// Streams an export job's file to the user, if the engine lets the user have it (and
/// writes the download to the audit log).
pub(crate) async fn download_response(
    state: &AppState,
    auth: &Auth,
    id: i64,
) -> Result<Response, ApiError> {
    let files = state.files.clone();
    let caller = auth.caller();
    let file = state
        .blocking(move |engine| Ok(engine.download_export(id, &caller, &files)?))
        .await?;
    let handle = tokio::fs::File::open(&file.path)
        .await
        .map_err(|_| ApiError::not_found("the export file is gone"))?;
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(handle));
    Ok(file_response(body, &file.name, file.media_type))
}

/// Decodes a customer-list cursor.
pub fn decode_cursor(raw: &str) -> Result<CustomerCursor, ApiError> {
    custio_engine::customers::decode_cursor(raw)
        .ok_or_else(|| ApiError::invalid("the cursor 'after' is not one this server gave"))
}

/// Encodes a customer-list cursor.
pub fn encode_cursor(cursor: &CustomerCursor) -> String {
    custio_engine::customers::encode_cursor(cursor)
}

// --- Handlers ---------------------------------------------------------------------------------

/// The logged-in user (and the CSRF token of a session, for cookie-authenticated writes).
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, description = "the user", body = Me), (status = 401, body = ErrorBody)))]
async fn me(auth: Auth) -> Json<Me> {
    Json(Me {
        via: match auth.via {
            Via::Session(_) => responses::Via::Session,
            Via::Token(_) => responses::Via::Token,
        },
        csrf_token: auth.csrf().to_string(),
        user: auth.user,
    })
}

/// The dialects custio reads and writes.
#[utoipa::path(get, path = "/api/v1/formats", tag = "imports",
    responses((status = 200, description = "id, name and description of every dialect", body = Vec<Format>), (status = 401, body = ErrorBody)))]
async fn formats(_auth: Auth) -> Json<Vec<Format>> {
    Json(
        custio_engine::formats::dialects()
            .iter()
            .map(|d| Format {
                id: d.id().to_string(),
                name: d.name().to_string(),
                about: d.about().to_string(),
            })
            .collect(),
    )
}

/// Uploads a customer file (the request body, streamed to disk) and queues its check.
/// The check job's result names the new batch. A file larger than the server takes
/// (`serve --max-upload-mb`) is refused with 413 `too_large` and not kept.
#[utoipa::path(post, path = "/api/v1/imports", tag = "imports", params(ImportParams),
    request_body(content = Vec<u8>, description = "the file's bytes", content_type = "application/octet-stream"),
    responses((status = 202, description = "the queued check job", body = JobView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, description = "the mapping profile named is not saved", body = ErrorBody), (status = 413, body = ErrorBody)))]
async fn upload(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(params): ApiQuery<ImportParams>,
    headers: HeaderMap,
    body: Body,
) -> Accepted {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > state.max_upload) {
        return Err(too_large(state.max_upload));
    }
    let mut file = UploadFile::create(&state).await?;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk: Bytes =
            chunk.map_err(|e| ApiError::invalid(format!("the upload broke off: {e}")))?;
        file.write(&chunk).await?;
    }
    if file.bytes() == 0 {
        return Err(ApiError::invalid("the file is empty"));
    }
    let name = file.finish().await?;
    let job = start_check(&state, &auth, name, params).await?;
    Ok(accepted(&job, &auth))
}

/// Every batch (the import log), newest first, with row counts.
#[utoipa::path(get, path = "/api/v1/batches", tag = "imports",
    responses((status = 200, description = "batches", body = Vec<BatchSummary>), (status = 401, body = ErrorBody)))]
async fn batches(State(state): State<AppState>, _auth: Auth) -> JsonResult<Vec<BatchSummary>> {
    state
        .blocking(|engine| {
            Ok(Json(
                engine
                    .batches_with_counts()?
                    .into_iter()
                    .map(|(batch, counts)| BatchSummary { batch, counts })
                    .collect(),
            ))
        })
        .await
}

/// One batch: status, encoding, unknown columns with suggestions, warnings, row counts.
#[utoipa::path(get, path = "/api/v1/batches/{id}", tag = "imports", params(("id" = i64, Path)),
    responses((status = 200, description = "the batch", body = CheckReport), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn batch(
    State(state): State<AppState>,
    _auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> JsonResult<CheckReport> {
    state
        .blocking(move |engine| Ok(Json(engine.report(id)?)))
        .await
}

/// Mappings for a batch's unknown columns.
#[derive(Deserialize, ToSchema)]
pub struct MappingRequest {
    /// Column header → a free field (e.g. `note`) or `ignore`.
    pub mappings: std::collections::BTreeMap<String, String>,
    /// Save the mapping as a profile under this name.
    #[serde(default)]
    pub save_as: Option<String>,
}

/// Maps the unknown columns of a batch in `needs_mapping` and queues the check again.
#[utoipa::path(post, path = "/api/v1/batches/{id}/mapping", tag = "imports", params(("id" = i64, Path)),
    request_body = MappingRequest,
    responses((status = 202, description = "the queued check job", body = JobView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn mapping(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<MappingRequest>,
) -> Accepted {
    let job = start_mapping(
        &state,
        &auth,
        id,
        request.mappings.into_iter().collect(),
        request.save_as,
    )
    .await?;
    Ok(accepted(&job, &auth))
}

/// Which rows to list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RowsParams {
    /// `pending`, `invalid`, `skipped`, `imported` or `failed`; empty: every row.
    #[param(schema_with = row_status)]
    pub status: Option<String>,
    /// Rows after this line (keyset pagination).
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// At most this many rows (default 100; fewer than 1 is 1, more than 1000 is 1000).
    #[param(minimum = 0)]
    pub limit: Option<i64>,
}

/// A page of a batch's rows: status, action, pairing, issues. Each issue keeps its stable
/// `code` and gets a `message`, and the row's `note` (its result or skip reason) a
/// `message`, in the language of the request's `Accept-Language` (English without it).
#[utoipa::path(get, path = "/api/v1/batches/{id}/rows", tag = "imports", params(("id" = i64, Path), RowsParams),
    responses((status = 200, description = "rows and the cursor of the next page", body = RowsPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn rows(
    State(state): State<AppState>,
    _auth: Auth,
    ReaderLang(lang): ReaderLang,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<RowsParams>,
) -> JsonResult<RowsPage> {
    let status = params
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| {
            RowStatus::parse(s).ok_or_else(|| {
                ApiError::invalid(format!(
                    "'{s}' is not a row status; use pending, invalid, skipped, imported or failed"
                ))
            })
        })
        .transpose()?;
    let limit = page_size(params.limit, 100, 1000)?;
    let after = match params.after {
        Some(line) if line < 0 => return Err(ApiError::invalid("'after' is a line number")),
        line => line.map(|l| l as u64),
    };
    state
        .blocking(move |engine| {
            let rows = engine.rows(id, status, after, limit)?;
            let next = (rows.len() == limit)
                .then(|| rows.last().map(|r| r.line))
                .flatten();
            Ok(Json(RowsPage {
                rows: rows.iter().map(|r| RowView::of(r, lang)).collect(),
                next_after: next,
            }))
        })
        .await
}

/// A change to one field (or file column) of a staged row.
#[derive(Deserialize, ToSchema)]
pub struct EditRow {
    /// A customer field (`email`) or a column of the file (`firstname`).
    pub field: String,
    pub value: String,
}

/// Edits a staged row; it is re-validated at once and returned (messages as in the row
/// listing, by `Accept-Language`).
#[utoipa::path(patch, path = "/api/v1/batches/{id}/rows/{line}", tag = "imports",
    params(("id" = i64, Path), ("line" = u64, Path)), request_body = EditRow,
    responses((status = 200, description = "the row after re-validation", body = RowView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn edit_row(
    State(state): State<AppState>,
    _auth: Auth,
    ReaderLang(lang): ReaderLang,
    ApiPath((id, line)): ApiPath<(i64, u64)>,
    ApiJson(edit): ApiJson<EditRow>,
) -> JsonResult<RowView> {
    state
        .blocking(move |engine| {
            let row = engine.edit_row(id, line, &edit.field, &edit.value)?;
            Ok(Json(RowView::of(&row, lang)))
        })
        .await
}

/// Lines of a batch.
#[derive(Deserialize, ToSchema)]
pub struct Lines {
    pub lines: Vec<u64>,
}

/// Skips rows: they will not be imported.
#[utoipa::path(post, path = "/api/v1/batches/{id}/skip", tag = "imports", params(("id" = i64, Path)), request_body = Lines,
    responses((status = 200, description = "how many rows were skipped", body = Skipped), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn skip(
    State(state): State<AppState>,
    _auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Lines>,
) -> JsonResult<Skipped> {
    state
        .blocking(move |engine| {
            let skipped = engine.skip_rows(id, &body.lines)?;
            Ok(Json(Skipped { skipped }))
        })
        .await
}

/// Which rows to import.
#[derive(Default, Deserialize, ToSchema)]
pub struct CommitRequest {
    /// Only these lines; absent: every valid pending row.
    #[serde(default)]
    pub lines: Option<Vec<u64>>,
}

/// Queues the import (commit) of a batch's pending rows, or the chosen ones.
#[utoipa::path(post, path = "/api/v1/batches/{id}/commit", tag = "imports", params(("id" = i64, Path)), request_body = CommitRequest,
    responses((status = 202, description = "the queued commit job", body = JobView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn commit(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CommitRequest>,
) -> Accepted {
    let job = start_commit(&state, &auth, id, body.lines).await?;
    Ok(accepted(&job, &auth))
}

/// Downloads the batch's invalid and failed rows in the file's own format, reasons last
/// (written to the audit log).
#[utoipa::path(get, path = "/api/v1/batches/{id}/rejected", tag = "imports", params(("id" = i64, Path)),
    responses((status = 200, description = "the rejected rows file", content_type = "text/csv"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "the batch's file could not be read: it has no rows", body = ErrorBody)))]
async fn rejected(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ReaderLang(lang): ReaderLang,
) -> Result<Response, ApiError> {
    rejected_response(&state, &auth, id, lang).await
}

/// Queues an export; download the file from the job when it succeeded. Password hashes
/// need an admin and `confirm_password_hashes`, and are written to the audit log.
#[utoipa::path(post, path = "/api/v1/exports", tag = "exports", request_body = engine_jobs::ExportRequest,
    responses((status = 202, description = "the queued export job", body = JobView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn export(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(request): ApiJson<engine_jobs::ExportRequest>,
) -> Accepted {
    let job = start_export(&state, &auth, request).await?;
    Ok(accepted(&job, &auth))
}

/// The job queue's figures in Prometheus' text format: jobs by kind and state (the queue's
/// depth), restarts, expired leases, run times, and this server's own workers.
#[utoipa::path(get, path = "/api/v1/metrics", tag = "jobs",
    responses((status = 200, description = "the figures (Prometheus text format 0.0.4)", body = String, content_type = "text/plain"), (status = 401, body = ErrorBody)))]
async fn metrics(State(state): State<AppState>, _auth: Auth) -> Result<Response, ApiError> {
    let figures = state.blocking(|engine| Ok(engine.queue_metrics()?)).await?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            crate::metrics::CONTENT_TYPE,
        )],
        crate::metrics::render(&figures),
    )
        .into_response())
}

/// The newest jobs with state and progress.
#[utoipa::path(get, path = "/api/v1/jobs", tag = "jobs",
    responses((status = 200, description = "jobs, newest first", body = Vec<JobView>), (status = 401, body = ErrorBody)))]
async fn jobs_list(State(state): State<AppState>, auth: Auth) -> JsonResult<Vec<JobView>> {
    let caller = auth.caller();
    state
        .blocking(move |engine| {
            let jobs = engine.jobs(200)?;
            Ok(Json(jobs.iter().map(|j| JobView::of(j, &caller)).collect()))
        })
        .await
}

/// One job: state, progress (done/total, rows per second), error, result.
#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "jobs", params(("id" = i64, Path)),
    responses((status = 200, description = "the job", body = JobView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn job(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> JsonResult<JobView> {
    let caller = auth.caller();
    state
        .blocking(move |engine| Ok(Json(JobView::of(&engine.job(id)?, &caller))))
        .await
}

/// Downloads the file of a succeeded export job (streamed): the job's owner or an admin,
/// and only an admin when the file holds password hashes. Every download is written to
/// the audit log.
#[utoipa::path(get, path = "/api/v1/jobs/{id}/download", tag = "exports", params(("id" = i64, Path)),
    responses((status = 200, description = "the exported file"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn download(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    download_response(&state, &auth, id).await
}

/// Paging and order of the customer list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `id` (default), `email`, `name`, `registered` or `last_order`.
    #[param(schema_with = sort)]
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    #[param(schema_with = order)]
    pub order: Option<String>,
    /// The `next` cursor of the previous page.
    #[param(pattern = r"^([0-9]{1,18}(-([0-9a-f]{2})*)?)?$")]
    pub after: Option<String>,
    /// Page size (default 50; fewer than 1 is 1, more than 500 is 500).
    #[param(minimum = 0)]
    pub limit: Option<i64>,
}

/// A page's size: `default` when not given, at most `max`; a negative size is refused.
fn page_size(limit: Option<i64>, default: usize, max: usize) -> Result<usize, ApiError> {
    match limit {
        None => Ok(default),
        Some(n) if n < 0 => Err(ApiError::invalid("'limit' is a number of rows, 0 or more")),
        Some(n) => Ok((n as u64).clamp(1, max as u64) as usize),
    }
}

/// Reads the order of a list request.
pub fn sort_of(sort: Option<&str>, order: Option<&str>) -> Result<(CustomerSort, bool), ApiError> {
    let sort = match sort.filter(|s| !s.is_empty()) {
        None => CustomerSort::Id,
        Some(s) => CustomerSort::parse(s).ok_or_else(|| {
            ApiError::invalid(format!(
                "'{s}' is not a sort; use id, email, name, registered or last_order"
            ))
        })?,
    };
    let desc = match order.filter(|s| !s.is_empty()) {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(o) => {
            return Err(ApiError::invalid(format!(
                "'{o}' is not an order; use asc or desc"
            )));
        }
    };
    Ok((sort, desc))
}

/// A page of customers, filtered and sorted; keyset pagination through `next`.
#[utoipa::path(get, path = "/api/v1/customers", tag = "customers", params(ListFilter, ListParams),
    responses((status = 200, description = "customers and the cursor of the next page", body = CustomerPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn customers(
    State(state): State<AppState>,
    _auth: Auth,
    ApiQuery(filter): ApiQuery<ListFilter>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> JsonResult<CustomerPage> {
    let (sort, desc) = sort_of(params.sort.as_deref(), params.order.as_deref())?;
    let after = params
        .after
        .as_deref()
        .filter(|a| !a.is_empty())
        .map(decode_cursor)
        .transpose()?;
    let limit = page_size(params.limit, 50, 500)?;
    let query = filter.query();
    state
        .blocking(move |engine| {
            let page = engine.customer_list(&query, sort, desc, after.as_ref(), limit)?;
            Ok(Json(CustomerPage {
                next: page.next.as_ref().map(encode_cursor),
                customers: page.customers,
            }))
        })
        .await
}

/// Creates a customer (data-model JSON, without `id`).
#[utoipa::path(post, path = "/api/v1/customers", tag = "customers",
    request_body(content = Object, description = "a customer in the data-model JSON of DESIGN.md"),
    responses((status = 201, description = "the stored customer", body = Customer), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_customer(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(customer): ApiJson<Customer>,
) -> Result<(StatusCode, Json<Customer>), ApiError> {
    if customer.id.is_some() {
        return Err(ApiError::invalid(
            "a new customer has no id; PUT /customers/{id} changes one",
        ));
    }
    let actor = auth.actor();
    state
        .blocking(move |engine| {
            let stored = engine.create_customer(customer, &actor)?;
            Ok((StatusCode::CREATED, Json(stored)))
        })
        .await
}

/// One customer.
#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path)),
    responses((status = 200, description = "the customer", body = Customer), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn customer(
    State(state): State<AppState>,
    _auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Customer>, ApiError> {
    state
        .blocking(move |engine| Ok(Json(engine.customer(id)?)))
        .await
}

/// Replaces a customer's data (the password hash stays).
#[utoipa::path(put, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path)),
    request_body(content = Object, description = "the customer in the data-model JSON"),
    responses((status = 200, description = "the stored customer", body = Customer), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_customer(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(customer): ApiJson<Customer>,
) -> Result<Json<Customer>, ApiError> {
    let actor = auth.actor();
    state
        .blocking(move |engine| Ok(Json(engine.update_customer(id, customer, &actor)?)))
        .await
}

/// Deletes a customer.
#[utoipa::path(delete, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path)),
    responses((status = 204, description = "deleted"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_customer(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let actor = auth.actor();
    state
        .blocking(move |engine| {
            engine.delete_customer(id, &actor)?;
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}

/// The shops.
#[utoipa::path(get, path = "/api/v1/shops", tag = "shops",
    responses((status = 200, description = "shops", body = Vec<Shop>), (status = 401, body = ErrorBody)))]
async fn shops(State(state): State<AppState>, _auth: Auth) -> JsonResult<Vec<Shop>> {
    state.blocking(|engine| Ok(Json(engine.shops()?))).await
}

/// A shop's name, URL and language.
#[derive(Deserialize, ToSchema)]
pub struct ShopBody {
    #[schema(min_length = 1, pattern = r"\S")]
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
    /// ISO 639-1 (`pl`); empty or null: none.
    #[serde(default)]
    #[schema(schema_with = language_or_none)]
    pub language: Option<String>,
}

/// Adds a shop or renames one.
#[utoipa::path(put, path = "/api/v1/shops/{id}", tag = "shops", params(("id" = i64, Path, minimum = 1, maximum = 4294967295_f64)), request_body = ShopBody,
    responses((status = 200, description = "the shop", body = Shop), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn put_shop(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<u32>,
    ApiJson(body): ApiJson<ShopBody>,
) -> JsonResult<Shop> {
    let shop = Shop {
        id,
        name: body.name,
        url: body.url,
        language: body.language,
    };
    let actor = auth.actor();
    state
        .blocking(move |engine| Ok(Json(engine.save_shop(shop, &actor)?)))
        .await
}

/// Saved mapping profiles.
#[utoipa::path(get, path = "/api/v1/profiles", tag = "imports",
    responses((status = 200, description = "profiles", body = Vec<MappingProfile>), (status = 401, body = ErrorBody)))]
async fn profiles(State(state): State<AppState>, _auth: Auth) -> JsonResult<Vec<MappingProfile>> {
    state
        .blocking(|engine| Ok(Json(engine.mapping_profiles()?)))
        .await
}

/// Deletes a mapping profile.
#[utoipa::path(delete, path = "/api/v1/profiles/{name}", tag = "imports", params(("name" = String, Path)),
    responses((status = 204, description = "deleted"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_profile(
    State(state): State<AppState>,
    _auth: Auth,
    ApiPath(name): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    state
        .blocking(move |engine| {
            engine.delete_mapping_profile(&name)?;
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}

/// The users (admins only).
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts",
    responses((status = 200, description = "users", body = Vec<User>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn users(State(state): State<AppState>, auth: Auth) -> JsonResult<Vec<User>> {
    auth.require_admin()?;
    state.blocking(|engine| Ok(Json(engine.users()?))).await
}

/// A new user.
#[derive(Deserialize, ToSchema)]
pub struct NewUser {
    /// 1 to 64 characters (trimmed).
    #[schema(min_length = 1, max_length = 64, pattern = r"\S")]
    pub username: String,
    /// At least 8 characters.
    #[schema(min_length = 8)]
    pub password: String,
    /// `admin` or `staff` (default).
    #[serde(default)]
    #[schema(schema_with = role)]
    pub role: Option<String>,
}

/// Adds a user (admins only).
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = NewUser,
    responses((status = 201, description = "the user", body = User), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_user(
    State(state): State<AppState>,
    auth: Auth,
    body: Result<ApiJson<NewUser>, ApiError>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    // Who may ask comes before what was asked: a stranger to this endpoint learns nothing
    // of its body's rules.
    auth.require_admin()?;
    let ApiJson(body) = body?;
    let role = match body.role.as_deref() {
        None | Some("") => Role::Staff,
        Some(r) => {
            Role::parse(r).ok_or_else(|| ApiError::invalid("role must be admin or staff"))?
        }
    };
    let actor = auth.actor();
    let user = state
        .blocking(move |engine| {
            Ok(engine.create_user(&body.username, &body.password, role, &actor)?)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// A new password.
#[derive(Deserialize, ToSchema)]
pub struct NewPassword {
    /// At least 8 characters.
    #[schema(min_length = 8)]
    pub password: String,
}

/// Sets a user's password (admins, or the user itself); ends the user's sessions.
#[utoipa::path(put, path = "/api/v1/users/{id}/password", tag = "accounts", params(("id" = i64, Path)), request_body = NewPassword,
    responses((status = 204, description = "changed"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn set_password(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    body: Result<ApiJson<NewPassword>, ApiError>,
) -> Result<StatusCode, ApiError> {
    if auth.user.id != id {
        auth.require_admin()?;
    }
    let ApiJson(body) = body?;
    let actor = auth.actor();
    state
        .blocking(move |engine| {
            engine.change_password(id, None, &body.password, &actor)?;
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}

/// The caller's API tokens (never the secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "accounts",
    responses((status = 200, description = "tokens", body = Vec<ApiToken>), (status = 401, body = ErrorBody)))]
async fn tokens(State(state): State<AppState>, auth: Auth) -> JsonResult<Vec<ApiToken>> {
    let user = auth.user.id;
    state
        .blocking(move |engine| Ok(Json(engine.api_tokens(user)?)))
        .await
}

/// A token's name.
#[derive(Deserialize, ToSchema)]
pub struct NewToken {
    /// 1 to 100 characters (trimmed).
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
}

/// Creates an API token for the caller; the response is the only time the secret is shown.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "accounts", request_body = NewToken,
    responses((status = 201, description = "the token with its secret", body = NewApiToken), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_token(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(body): ApiJson<NewToken>,
) -> Result<(StatusCode, Json<NewApiToken>), ApiError> {
    let user = auth.user.id;
    let actor = auth.actor();
    let created = state
        .blocking(move |engine| Ok(engine.create_api_token(user, &body.name, &actor)?))
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Revokes one of the caller's tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 204, description = "revoked"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_token(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let user = auth.user.id;
    let actor = auth.actor();
    state
        .blocking(move |engine| {
            engine.revoke_api_token(user, id, &actor)?;
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}

/// The audit log, newest first (admins only).
#[utoipa::path(get, path = "/api/v1/audit", tag = "accounts",
    responses((status = 200, description = "entries", body = Vec<AuditEntry>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn audit_log(State(state): State<AppState>, auth: Auth) -> JsonResult<Vec<AuditEntry>> {
    auth.require_admin()?;
    state
        .blocking(|engine| Ok(Json(engine.audit_log(500)?)))
        .await
}
