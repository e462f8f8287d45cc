//! The panel: server-rendered pages over the same operations as the API. Forms post
//! back with the session's CSRF token; a small script (`/static/app.js`) adds live job
//! progress and inline row edits, and every page works without it.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Multipart, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use custio_engine::formats::UnknownColumn;
use custio_engine::jobs::ExportRequest;
use custio_engine::model::Field;
use custio_engine::records::{
    Batch, CustomerQuery, CustomerSort, Job, MappingProfile, Role, RowFilter, RowStatus, Shop,
    StagedRow,
};
use minijinja::{Value, context};
use serde::Deserialize;

use crate::api::{self, ImportParams, UploadFile};
use crate::auth::{self, Auth, PRE_COOKIE, SESSION_COOKIE};
use crate::error::{ApiError, Code};
use crate::i18n::{self, Lang};
use crate::state::AppState;
use crate::views::{self, ListFilter};

const LANG_COOKIE: &str = "custio_lang";
const NO_CONFIRM_COOKIE: &str = "custio_no_confirm";
const ROWS_PER_PAGE: usize = 100;
const CUSTOMERS_PER_PAGE: usize = 50;

/// Every page of the panel.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/customers") }))
        .route("/static/app.js", get(app_js))
        .route("/static/style.css", get(style_css))
        .route("/lang/{code}", get(set_lang))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/setup", get(setup_page).post(setup))
        .route("/customers", get(customers))
        .route("/customers/view", post(save_view))
        // The upload form streams its file to disk under the server's own limit
        // (`UploadFile`), and reads its other fields with a small one (`field_text`).
        .route(
            "/import",
            get(import_page)
                .post(import)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/jobs", get(jobs_page))
        .route("/jobs/{id}", get(job_page))
        .route("/jobs/{id}/download", get(job_download))
        .route("/batches", get(batches_page))
        .route("/batches/{id}", get(batch_page))
        .route("/batches/{id}/mapping", post(mapping))
        .route("/batches/{id}/rows", post(rows_action))
        .route("/batches/{id}/rows/{line}", post(edit_row))
        .route("/batches/{id}/rejected", get(rejected))
        .route("/export", get(export_page).post(export))
        .route("/shops", get(shops_page).post(save_shop))
        .route("/profiles", get(profiles_page))
        .route("/profiles/delete", post(delete_profile))
        .route("/users", get(users_page).post(add_user))
        .route("/users/password", post(change_password))
        .route("/tokens", post(create_token))
        .route("/tokens/{id}/delete", post(revoke_token))
        .route("/audit", get(audit_page))
}

async fn app_js() -> Response {
    static_file(
        include_str!("../static/app.js"),
        "text/javascript; charset=utf-8",
    )
}

async fn style_css() -> Response {
    static_file(
        include_str!("../static/style.css"),
        "text/css; charset=utf-8",
    )
}

fn static_file(body: &'static str, mime: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

/// What every page needs: the language, the path (for the language switch) and the user.
pub struct Ctx {
    lang: Lang,
    path: String,
    auth: Option<Auth>,
    headers: HeaderMap,
    /// The client's address (logins are throttled per account and address).
    client: std::net::IpAddr,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let auth::MaybeAuth(auth) = auth::MaybeAuth::from_request_parts(parts, state).await?;
        Ok(Ctx {
            lang: page_lang(&parts.headers),
            path: parts
                .uri
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "/".into()),
            auth,
            headers: parts.headers.clone(),
            client: auth::client_addr(parts, state),
        })
    }
}

impl Ctx {
    fn t(&self, id: &str) -> String {
        i18n::text(self.lang, id)
    }
}

/// The panel's language: the reader's choice (cookie), else the browser's
/// `Accept-Language`, else English.
fn page_lang(headers: &HeaderMap) -> Lang {
    auth::read_cookie(headers, LANG_COOKIE)
        .and_then(|c| Lang::parse(&c))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map(Lang::negotiate)
        })
        .unwrap_or_default()
}

/// A page error, shown as a page.
pub struct PageError(ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        error_page(self.0)
    }
}

type PageResult = Result<Response, PageError>;

/// An error shown as a page: rendered in English here, and again in the reader's language
/// by [`localize_errors`] (the error can come before the request's language is read).
pub fn error_page(error: ApiError) -> Response {
    let mut response = error_html(&error, Lang::En);
    response.extensions_mut().insert(std::sync::Arc::new(error));
    response
}

fn error_html(error: &ApiError, lang: Lang) -> Response {
    let env = crate::templates::environment();
    let html = env
        .get_template("error.html")
        .and_then(|t| {
            t.render(context! {
                lang => lang.code(), title => i18n::text(lang, "error"),
                message => i18n::error_text(lang, error), langs => Vec::<&str>::new(),
                path => "/", csrf => "",
            })
        })
        .unwrap_or_else(|e| format!("error: {e}"));
    crate::error::close_if_unread((error.status(), Html(html)).into_response())
}

/// The outermost layer: renders error pages again in the reader's language.
pub async fn localize_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let lang = page_lang(request.headers());
    let response = next.run(request).await;
    match response.extensions().get::<std::sync::Arc<ApiError>>() {
        Some(error) if lang != Lang::En => {
            let error = error.clone();
            let mut page = error_html(&error, lang);
            for (name, value) in response.headers() {
                if name == header::SET_COOKIE {
                    page.headers_mut().append(name, value.clone());
                }
            }
            page
        }
        _ => response,
    }
}

fn render(
    state: &AppState,
    ctx: &Ctx,
    template: &str,
    title: &str,
    section: &str,
    extra: Value,
) -> Response {
    let auth = ctx.auth.as_ref();
    let base = context! {
        lang => ctx.lang.code(),
        langs => Lang::ALL.iter().map(|l| l.code()).collect::<Vec<_>>(),
        path => ctx.path,
        title => title,
        section => section,
        user => auth.map(|a| a.user.username.clone()),
        admin => auth.is_some_and(|a| a.user.role == Role::Admin),
        csrf => auth.map(|a| a.csrf().to_string()).unwrap_or_default(),
    };
    let rendered = state
        .templates
        .get_template(template)
        .and_then(|t| t.render(context! { ..base, ..extra }));
    match rendered {
        Ok(html) => Html(html).into_response(),
        Err(e) => error_page(ApiError::internal(format!("template {template}: {e:#}"))),
    }
}

fn redirect_with_cookie(to: &str, cookie: String) -> Response {
    let mut r = Redirect::to(to).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// A local path to go back to (never another site).
fn local(path: &str) -> String {
    if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') {
        path.to_string()
    } else {
        "/".into()
    }
}

/// A url-encoded form as name/value pairs (checkbox lists repeat a name).
pub struct Form(Vec<(String, String)>);

impl Form {
    fn parse(body: &Bytes) -> Form {
        Form(serde_urlencoded::from_bytes(body).unwrap_or_default())
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().trim().to_string()
    }

    fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some("1" | "on" | "true"))
    }
}

fn query_pairs(raw: &Option<String>) -> Form {
    Form(
        raw.as_deref()
            .map(|q| serde_urlencoded::from_str(q).unwrap_or_default())
            .unwrap_or_default(),
    )
}

// --- Language, login, setup ---------------------------------------------------------------

#[derive(Deserialize)]
struct Back {
    back: Option<String>,
}

async fn set_lang(
    State(state): State<AppState>,
    Path(code): Path<String>,
    axum::extract::Query(q): axum::extract::Query<Back>,
) -> Response {
    let lang = Lang::parse(&code).unwrap_or_default();
    let back = local(q.back.as_deref().unwrap_or("/"));
    redirect_with_cookie(
        &back,
        auth::cookie(&state, LANG_COOKIE, lang.code(), 365 * 24 * 3600),
    )
}

/// The pre-login CSRF value: the request's cookie, or a new one to set.
fn pre_token(ctx: &Ctx) -> (String, Option<String>) {
    match auth::read_cookie(&ctx.headers, PRE_COOKIE) {
        Some(v) if !v.is_empty() => (v, None),
        _ => {
            let v = custio_engine::accounts::random_token();
            (v.clone(), Some(v))
        }
    }
}

fn with_pre(state: &AppState, mut response: Response, new: Option<String>) -> Response {
    if let Some(v) = new
        && let Ok(h) = HeaderValue::from_str(&auth::cookie(state, PRE_COOKIE, &v, 3600))
    {
        response.headers_mut().append(header::SET_COOKIE, h);
    }
    response
}

#[derive(Deserialize)]
struct LoginQuery {
    next: Option<String>,
}

async fn login_page(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<LoginQuery>,
) -> Response {
    if ctx.auth.is_some() {
        return Redirect::to("/customers").into_response();
    }
    let (pre, new) = pre_token(&ctx);
    let page = render(
        &state,
        &ctx,
        "login.html",
        &ctx.t("login"),
        "",
        context! { pre => pre, next => local(q.next.as_deref().unwrap_or("/customers")) },
    );
    with_pre(&state, page, new)
}

async fn login(State(state): State<AppState>, ctx: Ctx, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let next = local(form.get("next").unwrap_or("/customers"));
    match auth::check_login(
        &state,
        ctx.client,
        form.text("username"),
        form.get("password").unwrap_or_default().to_string(),
    )
    .await
    {
        Ok(user) => match auth::start_session(&state, &user).await {
            Ok(cookie) => redirect_with_cookie(&next, cookie),
            Err(e) => error_page(e),
        },
        Err(e) => {
            let (pre, new) = pre_token(&ctx);
            let status = e.status();
            let mut page = render(
                &state,
                &ctx,
                "login.html",
                &ctx.t("login"),
                "",
                context! { pre => pre, next => next, error => i18n::error_text(ctx.lang, &e) },
            );
            *page.status_mut() = status;
            with_pre(&state, page, new)
        }
    }
}

async fn logout(State(state): State<AppState>, ctx: Ctx) -> Response {
    if let Some(cookie) = auth::read_cookie(&ctx.headers, SESSION_COOKIE) {
        let _ = state
            .blocking(move |engine| Ok(engine.end_session(&cookie)?))
            .await;
    }
    redirect_with_cookie("/login", auth::cookie(&state, SESSION_COOKIE, "", 0))
}

#[derive(Deserialize)]
struct SetupQuery {
    token: Option<String>,
}

async fn setup_page(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<SetupQuery>,
) -> PageResult {
    let token = q.token.unwrap_or_default();
    let valid = {
        let token = token.clone();
        state
            .blocking(move |engine| Ok(engine.setup_token_valid(&token)?))
            .await?
    };
    let (pre, new) = pre_token(&ctx);
    let mut page = render(
        &state,
        &ctx,
        "setup.html",
        &ctx.t("setup"),
        "",
        context! { pre => pre, token => token, valid => valid },
    );
    if !valid {
        *page.status_mut() = StatusCode::FORBIDDEN;
    }
    Ok(with_pre(&state, page, new))
}

async fn setup(State(state): State<AppState>, ctx: Ctx, body: Bytes) -> PageResult {
    let form = Form::parse(&body);
    let token = form.text("token");
    let password = form.get("password").unwrap_or_default().to_string();
    let fail = |message: String| {
        let (pre, new) = pre_token(&ctx);
        let page = render(
            &state,
            &ctx,
            "setup.html",
            &ctx.t("setup"),
            "",
            context! { pre => pre, token => token.clone(), valid => true, error => message },
        );
        with_pre(&state, page, new)
    };
    if form.get("password2") != Some(password.as_str()) {
        return Ok(fail(ctx.t("passwords-differ")));
    }
    let completed = {
        let (token, username) = (token.clone(), form.text("username"));
        state
            .blocking(move |engine| Ok(engine.complete_setup(&token, &username, &password)?))
            .await
    };
    match completed {
        Ok(user) => {
            let cookie = auth::start_session(&state, &user).await?;
            Ok(redirect_with_cookie("/customers", cookie))
        }
        Err(e) if e.code == Code::InvalidRequest || e.code == Code::Conflict => {
            Ok(fail(i18n::error_text(ctx.lang, &e)))
        }
        Err(e) => Err(e.into()),
    }
}

// --- Customers ----------------------------------------------------------------------------

async fn customers(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let q = query_pairs(&raw);
    let filter: ListFilter = serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| ApiError::invalid(e.to_string()))?;
    let (sort, desc) = api::sort_of(q.get("sort"), q.get("order"))?;
    let after = q
        .get("after")
        .filter(|a| !a.is_empty())
        .map(api::decode_cursor)
        .transpose()?;
    let query = filter.query();
    let columns = views::view_columns(&auth.user.view_columns);
    let keys: Vec<&str> = columns.iter().map(|c| c.key).collect();
    let (page, total, shops, groups) = {
        let query = query.clone();
        let after = after.clone();
        state
            .blocking(move |engine| {
                let page =
                    engine.customer_list(&query, sort, desc, after.as_ref(), CUSTOMERS_PER_PAGE)?;
                Ok((
                    page,
                    engine.count_customers()?,
                    engine.shops()?,
                    engine.groups()?,
                ))
            })
            .await?
    };
    let show = views::Show {
        lang: ctx.lang,
        shops: &shops,
    };
    let rows: Vec<Value> = page
        .customers
        .iter()
        .map(|c| {
            context! {
                id => c.id,
                cells => columns.iter().map(|col| (col.show)(c, &show)).collect::<Vec<_>>(),
            }
        })
        .collect();
    let shops = shop_views(ctx.lang, &shops);
    let mut base_pairs: Vec<(&str, String)> = filter.pairs();
    base_pairs.push(("sort", sort.as_str().to_string()));
    base_pairs.push(("order", if desc { "desc" } else { "asc" }.to_string()));
    let first_query = serde_urlencoded::to_string(&base_pairs).unwrap_or_default();
    let next_query = page.next.as_ref().map(|n| {
        let mut pairs = base_pairs.clone();
        pairs.push(("after", api::encode_cursor(n)));
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    });
    Ok(render(
        &state,
        &ctx,
        "customers.html",
        &ctx.t("customers"),
        "customers",
        context! {
            q => query, shops => shops, groups => groups,
            sorts => CustomerSort::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            sort => sort.as_str(), desc => desc,
            columns => keys,
            all_columns => views::LIST_COLUMNS.iter().map(|c| c.key).collect::<Vec<_>>(),
            rows => rows, after => after.is_some(), next => page.next.is_some(),
            first_query => first_query, next_query => next_query, total => total,
            filter_pairs => filter.pairs(),
        },
    ))
}

async fn save_view(State(state): State<AppState>, auth: Auth, body: Bytes) -> PageResult {
    let form = Form::parse(&body);
    let columns: Vec<String> = form
        .all("columns")
        .into_iter()
        .filter(|c| views::LIST_COLUMNS.iter().any(|l| l.key == *c))
        .map(String::from)
        .collect();
    let user = auth.user.id;
    state
        .blocking(move |engine| Ok(engine.set_view_columns(user, &columns)?))
        .await?;
    Ok(Redirect::to("/customers").into_response())
}

// --- Import ---------------------------------------------------------------------------------

const ENCODINGS: &[&str] = &["utf-8", "utf-8-bom", "windows-1250", "windows-1251"];

fn dialect_list(lang: Lang) -> Vec<Value> {
    custio_engine::formats::dialects()
        .iter()
        .map(|d| {
            let name = custio_i18n::dialect_name(lang, d.id());
            context! { id => d.id(), name => name }
        })
        .collect()
}

fn encoding_list(lang: Lang) -> Vec<Value> {
    ENCODINGS
        .iter()
        .map(|e| context! { id => e, name => i18n::encoding_name(lang, e) })
        .collect()
}

/// Shops with the names the reader sees and languages as names.
fn shop_views(lang: Lang, shops: &[Shop]) -> Vec<Value> {
    shops
        .iter()
        .map(|s| {
            context! {
                id => s.id, url => s.url, name => i18n::shop_name(lang, s),
                language => s.language.as_deref().map(|l| i18n::language_name(lang, l)),
            }
        })
        .collect()
}

/// A job with its creator, error and note in the reader's words, and whether the reader
/// may download its file.
fn job_view(lang: Lang, job: &Job, auth: &Auth) -> Value {
    let (error, error_detail) = match &job.error {
        Some(e) => {
            let (text, detail) = i18n::job_error(lang, &job.kind, e);
            (Some(text), detail)
        }
        None => (None, None),
    };
    // The last source wins a name they share.
    context! {
        ..Value::from_serialize(job),
        ..context! {
            by => i18n::actor(lang, &job.created_by),
            error => error, error_detail => error_detail,
            note => job.note.as_deref().map(|n| i18n::job_note(lang, &job.kind, n)),
            may_download => custio_engine::Engine::export_access(job, &auth.caller()).is_ok(),
        }
    }
}

async fn import_page(State(state): State<AppState>, ctx: Ctx, _auth: Auth) -> PageResult {
    let profiles = state
        .blocking(|engine| Ok(engine.mapping_profiles()?))
        .await?;
    Ok(render(
        &state,
        &ctx,
        "import.html",
        &ctx.t("import"),
        "import",
        context! { dialects => dialect_list(ctx.lang), encodings => encoding_list(ctx.lang), profiles => profiles },
    ))
}

/// The upload form: its CSRF token is its first field (checked before anything else is
/// read), then the options and the file, streamed to disk up to the server's limit.
async fn import(
    State(state): State<AppState>,
    auth: Auth,
    csrf: Option<axum::Extension<auth::FormCsrf>>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> PageResult {
    // A form announced larger than the file limit and room for its other fields is
    // refused before it is read.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > state.max_upload.saturating_add(1024 * 1024)) {
        return Err(api::too_large(state.max_upload).into());
    }
    let mut params = ImportParams::default();
    let mut upload = None;
    let mut first = true;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| ApiError::invalid(format!("the form did not arrive whole: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        if std::mem::take(&mut first)
            && let Some(axum::Extension(csrf)) = &csrf
        {
            let value = if name == "csrf" {
                field_text(field).await?
            } else {
                String::new()
            };
            csrf.check(&name, &value)?;
            continue;
        }
        if name == "file" {
            params.filename = field.file_name().map(String::from);
            let mut file = UploadFile::create(&state).await?;
            while let Some(chunk) = field
                .chunk()
                .await
                .map_err(|e| ApiError::invalid(format!("the upload broke off: {e}")))?
            {
                file.write(&chunk).await?;
            }
            // Kept only when the whole form has arrived (a second file replaces it).
            upload = Some(file);
        } else {
            let value = field_text(field).await?;
            match name.as_str() {
                "dialect" => params.dialect = Some(value),
                "encoding" => params.encoding = Some(value),
                "on_existing" => params.on_existing = Some(value),
                "profile" => params.profile = Some(value),
                "has_header" => params.has_header = Some(value == "on" || value == "true"),
                _ => {}
            }
        }
    }
    if first && let Some(axum::Extension(csrf)) = &csrf {
        // An empty form carries no token either.
        csrf.check("", "")?;
    }
    let file = upload.ok_or_else(|| ApiError::invalid("choose a file to import"))?;
    if file.bytes() == 0 {
        return Err(ApiError::invalid("the file is empty").into());
    }
    let name = file.finish().await?;
    let job = api::start_check(&state, &auth, name, params).await?;
    Ok(Redirect::to(&format!("/jobs/{}", job.id)).into_response())
}

/// A text field of a multipart form, at most 64 KiB (the file has its own limit).
async fn field_text(mut field: axum::extract::multipart::Field<'_>) -> Result<String, ApiError> {
    const MAX: usize = 64 * 1024;
    let mut bytes = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| ApiError::invalid(format!("the form did not arrive whole: {e}")))?
    {
        if bytes.len() + chunk.len() > MAX {
            return Err(ApiError::invalid(
                "a field of the form is longer than 64 KiB",
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

// --- Jobs ------------------------------------------------------------------------------------

async fn jobs_page(State(state): State<AppState>, ctx: Ctx, auth: Auth) -> PageResult {
    let jobs = state.blocking(|engine| Ok(engine.jobs(200)?)).await?;
    Ok(render(
        &state,
        &ctx,
        "jobs.html",
        &ctx.t("jobs"),
        "jobs",
        context! { jobs => jobs.iter().map(|j| job_view(ctx.lang, j, &auth)).collect::<Vec<_>>() },
    ))
}

async fn job_page(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<i64>,
) -> PageResult {
    let job = state.blocking(move |engine| Ok(engine.job(id)?)).await?;
    let title = i18n::message(ctx.lang, "job-title", &[("id", job.id.into())]);
    Ok(render(
        &state,
        &ctx,
        "job.html",
        &title,
        "jobs",
        context! { job => job_view(ctx.lang, &job, &auth) },
    ))
}

async fn job_download(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> PageResult {
    Ok(api::download_response(&state, &auth, id).await?)
}

// --- Batches ----------------------------------------------------------------------------------

async fn batches_page(State(state): State<AppState>, ctx: Ctx, _auth: Auth) -> PageResult {
    let lang = ctx.lang;
    let batches = state
        .blocking(move |engine| {
            let mut out = Vec::new();
            for (b, counts) in engine.batches_with_counts()? {
                let format = custio_i18n::dialect_name(lang, &b.dialect);
                out.push(context! { ..Value::from_serialize(&b), ..context! { counts => counts, format => format } });
            }
            Ok(out)
        })
        .await?;
    Ok(render(
        &state,
        &ctx,
        "batches.html",
        &ctx.t("import-log"),
        "batches",
        context! { batches => batches },
    ))
}

/// The edit list of a batch: the file's columns as the file names them, with the field's
/// label where a column is named as a field.
fn edit_fields(lang: Lang, header: &[String]) -> Vec<Value> {
    header
        .iter()
        .filter(|h| !h.is_empty())
        .map(|h| {
            let label = custio_i18n::field(lang, h);
            let label = if label == *h {
                h.clone()
            } else {
                format!("{h} ({label})")
            };
            context! { value => h, label => label }
        })
        .collect()
}

/// A field choice of the mapping list.
fn field_choice(lang: Lang, name: &str) -> Value {
    context! { value => name, label => custio_i18n::field(lang, name) }
}

fn row_view(lang: Lang, row: &StagedRow, header: &[String]) -> Value {
    let first = row
        .issues
        .iter()
        .find_map(|i| i.column.clone())
        .and_then(|c| header.iter().position(|h| *h == c))
        .or_else(|| header.iter().position(|h| !h.is_empty()));
    let (first_column, first_value) = match first {
        Some(i) => (
            header[i].clone(),
            row.record.get(i).cloned().unwrap_or_default(),
        ),
        None => (String::new(), String::new()),
    };
    // Each column's cell, so that choosing another column in the edit form shows its value.
    let cell_of: std::collections::BTreeMap<&str, &str> = header
        .iter()
        .zip(&row.record)
        .map(|(h, c)| (h.as_str(), c.as_str()))
        .collect();
    context! {
        ..Value::from_serialize(row),
        ..context! {
            errors => views::row_errors(row, lang), result => views::row_result(row, lang),
            change_labels => row.changes.iter().map(|c| custio_i18n::field_label(lang, &c.field)).collect::<Vec<_>>(),
            first_column => first_column, first_value => first_value, cell_of => cell_of,
        }
    }
}

async fn batch_page(
    State(state): State<AppState>,
    ctx: Ctx,
    _auth: Auth,
    Path(id): Path<i64>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let q = query_pairs(&raw);
    let tab = match q.get("tab") {
        Some("imported") => "imported",
        Some("log") => "log",
        _ => "not_imported",
    };
    let only_invalid = q.flag("invalid");
    let after: Option<u64> = q.get("after").and_then(|a| a.parse().ok());
    let statuses = match tab {
        "imported" => vec![RowStatus::Imported],
        "log" => vec![RowStatus::Skipped, RowStatus::Failed],
        _ if only_invalid => vec![RowStatus::Invalid],
        _ => vec![
            RowStatus::Pending,
            RowStatus::Invalid,
            RowStatus::Skipped,
            RowStatus::Failed,
        ],
    };
    let (batch, counts, rows) = state
        .blocking(move |engine| {
            let batch = engine.batch(id)?;
            let counts = engine.row_counts(id)?;
            let rows = engine.rows_where(
                id,
                &RowFilter {
                    statuses,
                    lines: None,
                },
                after,
                ROWS_PER_PAGE,
            )?;
            Ok((batch, counts, rows))
        })
        .await?;
    let unknown: Vec<UnknownColumn> =
        serde_json::from_value(batch.unknown_columns.clone()).unwrap_or_default();
    let free_fields: Vec<Value> = Field::FIXED
        .iter()
        .map(|f| f.name().into_owned())
        .filter(|f| !batch.header.iter().any(|h| h == f))
        .map(|f| field_choice(ctx.lang, &f))
        .collect();
    let unknown: Vec<Value> = unknown
        .iter()
        .map(|u| {
            context! {
                index => u.index, header => u.header,
                suggestions => u.suggestions.iter().map(|s| field_choice(ctx.lang, s)).collect::<Vec<_>>(),
                suggested => u.suggestions, confident => u.confident,
            }
        })
        .collect();
    let next_after = (rows.len() == ROWS_PER_PAGE)
        .then(|| rows.last().map(|r| r.line))
        .flatten();
    let views: Vec<Value> = rows
        .iter()
        .map(|r| row_view(ctx.lang, r, &batch.header))
        .collect();
    let title = i18n::message(ctx.lang, "batch-title", &[("id", batch.id.into())]);
    let edit_fields = edit_fields(ctx.lang, &batch.header);
    let batch_view = batch_view(ctx.lang, &batch);
    let back = ctx.path.clone();
    Ok(render(
        &state,
        &ctx,
        "batch.html",
        &title,
        "batches",
        context! {
            batch => batch_view, counts => counts, rows => views, tab => tab, only_invalid => only_invalid,
            unknown => unknown, free_fields => free_fields, next_after => next_after,
            edit_fields => edit_fields, back => back,
        },
    ))
}

async fn mapping(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let form = Form::parse(&body);
    let unknown: Vec<UnknownColumn> = state
        .blocking(move |engine| {
            Ok(serde_json::from_value(engine.batch(id)?.unknown_columns).unwrap_or_default())
        })
        .await?;
    let mappings: Vec<(String, String)> = unknown
        .iter()
        .filter_map(|u| {
            form.get(&format!("map_{}", u.index))
                .filter(|v| !v.is_empty())
                .map(|v| (u.header.clone(), v.to_string()))
        })
        .collect();
    let profile = Some(form.text("profile")).filter(|p| !p.is_empty());
    let job = api::start_mapping(&state, &auth, id, mappings, profile).await?;
    Ok(Redirect::to(&format!("/jobs/{}", job.id)).into_response())
}

async fn rows_action(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let form = Form::parse(&body);
    let lines: Vec<u64> = form
        .all("lines")
        .iter()
        .filter_map(|l| l.parse().ok())
        .collect();
    let back = format!("/batches/{id}");
    match form.get("action") {
        Some("import_all") => {
            let job = api::start_commit(&state, &auth, id, None).await?;
            Ok(Redirect::to(&format!("/jobs/{}", job.id)).into_response())
        }
        Some("skip") if !lines.is_empty() => {
            state
                .blocking(move |engine| Ok(engine.skip_rows(id, &lines)?))
                .await?;
            Ok(Redirect::to(&back).into_response())
        }
        Some("import") if !lines.is_empty() => {
            let ask = !form.flag("confirmed")
                && auth::read_cookie(&ctx.headers, NO_CONFIRM_COOKIE).as_deref() != Some("1");
            if ask {
                let (batch, rows) = state
                    .blocking(move |engine| {
                        let batch = engine.batch(id)?;
                        let rows = engine.rows_where(
                            id,
                            &RowFilter {
                                statuses: Vec::new(),
                                lines: Some(lines.clone()),
                            },
                            None,
                            lines.len(),
                        )?;
                        Ok((batch, rows))
                    })
                    .await?;
                let views: Vec<Value> = rows
                    .iter()
                    .map(|r| row_view(ctx.lang, r, &batch.header))
                    .collect();
                return Ok(render(
                    &state,
                    &ctx,
                    "confirm.html",
                    &ctx.t("confirm-title"),
                    "batches",
                    context! { batch => id, rows => views, edit_fields => edit_fields(ctx.lang, &batch.header), back => format!("/batches/{id}") },
                ));
            }
            let job = api::start_commit(&state, &auth, id, Some(lines)).await?;
            let to = format!("/jobs/{}", job.id);
            if form.flag("dont_ask") {
                Ok(redirect_with_cookie(
                    &to,
                    auth::cookie(&state, NO_CONFIRM_COOKIE, "1", 365 * 24 * 3600),
                ))
            } else {
                Ok(Redirect::to(&to).into_response())
            }
        }
        _ => Ok(Redirect::to(&back).into_response()),
    }
}

async fn edit_row(
    State(state): State<AppState>,
    _auth: Auth,
    Path((id, line)): Path<(i64, u64)>,
    body: Bytes,
) -> PageResult {
    let form = Form::parse(&body);
    let field = form.text("field");
    let value = form.get("value").unwrap_or_default().to_string();
    state
        .blocking(move |engine| Ok(engine.edit_row(id, line, &field, &value)?))
        .await?;
    let back = local(form.get("back").unwrap_or(&format!("/batches/{id}")));
    Ok(Redirect::to(&format!("{back}#line-{line}")).into_response())
}

async fn rejected(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<i64>,
) -> PageResult {
    Ok(api::rejected_response(&state, &auth, id, ctx.lang).await?)
}

// --- Export -----------------------------------------------------------------------------------

async fn export_page(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let q = query_pairs(&raw);
    let filter: ListFilter =
        serde_urlencoded::from_str::<Vec<(String, String)>>(raw.as_deref().unwrap_or(""))
            .ok()
            .map(|pairs| {
                let kept: Vec<(String, String)> = pairs
                    .into_iter()
                    .filter(|(k, _)| k != "ids" && k != "scope")
                    .collect();
                serde_urlencoded::from_str(&serde_urlencoded::to_string(kept).unwrap_or_default())
                    .unwrap_or_default()
            })
            .unwrap_or_default();
    let selected: Vec<i64> = q.all("ids").iter().filter_map(|i| i.parse().ok()).collect();
    let mut pairs: Vec<(&str, String)> = filter.pairs();
    pairs.extend(selected.iter().map(|i| ("ids", i.to_string())));
    let scope = match q.get("scope") {
        Some("selected") if !selected.is_empty() => "selected",
        Some("filtered") | Some("selected") => "filtered",
        _ => "all",
    };
    let shops = state.blocking(|engine| Ok(engine.shops()?)).await?;
    let filter_text = views::filter_text(ctx.lang, &filter, &shops);
    let view = views::view_columns(&auth.user.view_columns);
    let view_labels: Vec<String> = view
        .iter()
        .filter(|c| c.key != "id")
        .map(|c| ctx.t(&format!("col-{}", c.key)))
        .collect();
    Ok(render(
        &state,
        &ctx,
        "export.html",
        &ctx.t("export"),
        "export",
        context! {
            filter_pairs => pairs, scope => scope, selected => selected, filter_text => filter_text,
            dialects => dialect_list(ctx.lang), encodings => encoding_list(ctx.lang), view_labels => view_labels,
        },
    ))
}

async fn export(State(state): State<AppState>, auth: Auth, body: Bytes) -> PageResult {
    let form = Form::parse(&body);
    let filter: ListFilter = serde_urlencoded::from_str(
        &serde_urlencoded::to_string(
            form.0
                .iter()
                .filter(|(k, _)| {
                    [
                        "search",
                        "shop",
                        "group",
                        "kind",
                        "newsletter",
                        "registered_from",
                        "registered_to",
                    ]
                    .contains(&k.as_str())
                })
                .collect::<Vec<_>>(),
        )
        .unwrap_or_default(),
    )
    .unwrap_or_default();
    let query = match form.get("scope") {
        Some("selected") => CustomerQuery {
            ids: form
                .all("ids")
                .iter()
                .filter_map(|i| i.parse().ok())
                .collect(),
            ..CustomerQuery::default()
        },
        Some("filtered") => filter.query(),
        _ => CustomerQuery::default(),
    };
    if form.get("scope") == Some("selected") && query.ids.is_empty() {
        return Err(ApiError::invalid("select customers first").into());
    }
    let (dialect, kind) = form
        .get("preset")
        .unwrap_or("idosell:full")
        .split_once(':')
        .map(|(d, k)| (d.to_string(), k.to_string()))
        .unwrap_or(("idosell".into(), "full".into()));
    let request = ExportRequest {
        dialect,
        kind,
        columns: Vec::new(),
        query,
        encoding: Some(form.text("encoding")).filter(|e| !e.is_empty()),
        excel_safe: form.flag("excel_safe"),
        with_password_hashes: form.flag("with_password_hashes"),
        confirm_password_hashes: form.flag("confirm_password_hashes"),
    };
    let job = api::start_export(&state, &auth, request).await?;
    Ok(Redirect::to(&format!("/jobs/{}", job.id)).into_response())
}

// --- Shops, profiles, users, audit ------------------------------------------------------------

async fn shops_page(State(state): State<AppState>, ctx: Ctx, _auth: Auth) -> PageResult {
    let shops = state.blocking(|engine| Ok(engine.shops()?)).await?;
    Ok(render(
        &state,
        &ctx,
        "shops.html",
        &ctx.t("shops"),
        "shops",
        context! { shops => shop_views(ctx.lang, &shops) },
    ))
}

async fn save_shop(State(state): State<AppState>, auth: Auth, body: Bytes) -> PageResult {
    let form = Form::parse(&body);
    let id: u32 = form
        .text("id")
        .parse()
        .ok()
        .filter(|i| *i > 0)
        .ok_or_else(|| ApiError::invalid("a shop id is a number above 0"))?;
    let shop = Shop {
        id,
        name: form.text("name"),
        url: Some(form.text("url")),
        language: Some(form.text("language")),
    };
    let actor = auth.actor();
    state
        .blocking(move |engine| Ok(engine.save_shop(shop, &actor)?))
        .await?;
    Ok(Redirect::to("/shops").into_response())
}

async fn profiles_page(State(state): State<AppState>, ctx: Ctx, _auth: Auth) -> PageResult {
    let profiles = state
        .blocking(|engine| Ok(engine.mapping_profiles()?))
        .await?;
    Ok(render(
        &state,
        &ctx,
        "profiles.html",
        &ctx.t("profiles"),
        "profiles",
        context! { profiles => profiles.iter().map(|p| profile_view(ctx.lang, p)).collect::<Vec<_>>() },
    ))
}

async fn delete_profile(State(state): State<AppState>, _auth: Auth, body: Bytes) -> PageResult {
    let name = Form::parse(&body).text("name");
    state
        .blocking(move |engine| Ok(engine.delete_mapping_profile(&name)?))
        .await?;
    Ok(Redirect::to("/profiles").into_response())
}

async fn users_view(state: &AppState, ctx: &Ctx, auth: &Auth, extra: Value) -> PageResult {
    let admin = auth.user.role == Role::Admin;
    let me = auth.user.id;
    let (users, tokens) = state
        .blocking(move |engine| {
            let users = if admin { engine.users()? } else { Vec::new() };
            Ok((users, engine.api_tokens(me)?))
        })
        .await?;
    Ok(render(
        state,
        ctx,
        "users.html",
        &ctx.t("users"),
        "users",
        context! { ..extra, ..context! { users => users, tokens => tokens } },
    ))
}

async fn users_page(State(state): State<AppState>, ctx: Ctx, auth: Auth) -> PageResult {
    users_view(&state, &ctx, &auth, context! {}).await
}

async fn add_user(State(state): State<AppState>, ctx: Ctx, auth: Auth, body: Bytes) -> PageResult {
    auth.require_admin()?;
    let form = Form::parse(&body);
    let role = Role::parse(form.get("role").unwrap_or("staff")).unwrap_or(Role::Staff);
    let username = form.text("username");
    let password = form.get("password").unwrap_or_default().to_string();
    let actor = auth.actor();
    state
        .blocking(move |engine| Ok(engine.create_user(&username, &password, role, &actor)?))
        .await?;
    users_view(
        &state,
        &ctx,
        &auth,
        context! { message => ctx.t("user-added") },
    )
    .await
}

async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    body: Bytes,
) -> PageResult {
    let form = Form::parse(&body);
    let current = form.get("current").unwrap_or_default().to_string();
    let password = form.get("password").unwrap_or_default().to_string();
    let user = auth.user.id;
    let actor = auth.actor();
    state
        .blocking(move |engine| {
            Ok(engine.change_password(user, Some(&current), &password, &actor)?)
        })
        .await?;
    // Changing the password ends every session, this one too: start a new one.
    let cookie = auth::start_session(&state, &auth.user).await?;
    let _ = ctx;
    Ok(redirect_with_cookie("/users", cookie))
}

async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    body: Bytes,
) -> PageResult {
    let name = Form::parse(&body).text("name");
    let user = auth.user.id;
    let actor = auth.actor();
    let created = state
        .blocking(move |engine| Ok(engine.create_api_token(user, &name, &actor)?))
        .await?;
    users_view(&state, &ctx, &auth, context! { new_token => created.token }).await
}

async fn revoke_token(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> PageResult {
    let user = auth.user.id;
    let actor = auth.actor();
    state
        .blocking(move |engine| Ok(engine.revoke_api_token(user, id, &actor)?))
        .await?;
    Ok(Redirect::to("/users").into_response())
}

async fn audit_page(State(state): State<AppState>, ctx: Ctx, auth: Auth) -> PageResult {
    auth.require_admin()?;
    let (entries, shops) = state
        .blocking(|engine| Ok((engine.audit_log(500)?, engine.shops()?)))
        .await?;
    let entries: Vec<Value> = entries
        .iter()
        .map(|e| {
            context! {
                at => e.at, actor => i18n::actor(ctx.lang, &e.actor),
                action => i18n::audit_action(ctx.lang, &e.action),
                detail => i18n::audit_detail(ctx.lang, &e.detail, &shops),
            }
        })
        .collect();
    Ok(render(
        &state,
        &ctx,
        "audit.html",
        &ctx.t("audit"),
        "audit",
        context! { entries => entries },
    ))
}

/// A mapping profile with its format's name and each target's label.
fn profile_view(lang: Lang, profile: &MappingProfile) -> Value {
    context! {
        name => profile.name,
        format => custio_i18n::dialect_name(lang, &profile.dialect),
        columns => profile.columns.iter().map(|(h, f)| (h.clone(), custio_i18n::field(lang, f))).collect::<Vec<_>>(),
        ignored => profile.ignored,
    }
}

/// A batch with its format, encoding, error and warnings in the reader's words.
fn batch_view(lang: Lang, batch: &Batch) -> Value {
    let (error_text, error_detail) = match &batch.error {
        Some(e) => {
            let (text, detail) = i18n::batch_error(lang, e);
            (Some(text), detail)
        }
        None => (None, None),
    };
    context! {
        ..Value::from_serialize(batch),
        ..context! {
            format => custio_i18n::dialect_name(lang, &batch.dialect),
            encoding_name => batch.encoding.as_deref().map(|e| i18n::encoding_name(lang, e)),
            error_text => error_text, error_detail => error_detail,
            warning_texts => batch.warnings.iter().map(|w| i18n::batch_warning(lang, w)).collect::<Vec<_>>(),
        }
    }
}
