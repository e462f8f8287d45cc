//! Shapes shared by the API and the panel: the customer-list columns (the "current view"),
//! staged rows with their errors written out, and streaming bodies.

use std::io::Write;

use axum::body::{Body, Bytes};
use custio_engine::model::Customer;
use custio_engine::records::{CustomerQuery, Shop, StagedRow};
use custio_i18n::Lang;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use utoipa::{IntoParams, ToSchema};

/// A column of the customer list: its key, the IdoSell column the `view` export writes
/// for it, and how to show it to a reader.
pub struct ListColumn {
    pub key: &'static str,
    pub idosell: &'static str,
    pub show: fn(&Customer, &Show) -> String,
}

/// What showing a value needs: the reader's language, and the shops (their names).
pub struct Show<'a> {
    pub lang: Lang,
    pub shops: &'a [Shop],
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn date(v: &Option<custio_engine::model::DateTime>, show: &Show) -> String {
    v.map(|d| custio_i18n::datetime(show.lang, &d))
        .unwrap_or_default()
}

/// Every column the list can show, in display order.
pub const LIST_COLUMNS: &[ListColumn] = &[
    ListColumn {
        key: "id",
        idosell: "id",
        show: |c, _| c.id.map(|i| i.to_string()).unwrap_or_default(),
    },
    ListColumn {
        key: "login",
        idosell: "login",
        show: |c, _| opt(&c.login),
    },
    ListColumn {
        key: "email",
        idosell: "email",
        show: |c, _| c.email.as_ref().map(|e| e.to_string()).unwrap_or_default(),
    },
    ListColumn {
        key: "first_name",
        idosell: "firstname",
        show: |c, _| opt(&c.first_name),
    },
    ListColumn {
        key: "last_name",
        idosell: "lastname",
        show: |c, _| opt(&c.last_name),
    },
    ListColumn {
        key: "company",
        idosell: "companyname",
        show: |c, _| opt(&c.company.name),
    },
    ListColumn {
        key: "phone",
        idosell: "phone",
        show: |c, _| c.phone.as_ref().map(|p| p.to_string()).unwrap_or_default(),
    },
    ListColumn {
        key: "street",
        idosell: "street",
        show: |c, _| opt(&c.billing.street),
    },
    ListColumn {
        key: "zip",
        idosell: "zipcode",
        show: |c, _| opt(&c.billing.zip),
    },
    ListColumn {
        key: "city",
        idosell: "city",
        show: |c, _| opt(&c.billing.city),
    },
    ListColumn {
        key: "country",
        idosell: "country",
        show: |c, _| {
            c.billing
                .country
                .as_ref()
                .map(|x| x.to_string())
                .unwrap_or_default()
        },
    },
    ListColumn {
        key: "shops",
        idosell: "shop",
        show: |c, s| {
            c.shops
                .iter()
                .map(|id| crate::i18n::shop_by_id(s.lang, s.shops, *id))
                .collect::<Vec<_>>()
                .join(", ")
        },
    },
    ListColumn {
        key: "kind",
        idosell: "client_type",
        show: |c, s| custio_i18n::kind(s.lang, c.kind),
    },
    ListColumn {
        key: "newsletter",
        idosell: "mailing",
        show: |c, s| custio_i18n::consent(s.lang, c.newsletter_email),
    },
    ListColumn {
        key: "registered",
        idosell: "date_of_registration",
        show: |c, s| date(&c.registered_at, s),
    },
    ListColumn {
        key: "last_order",
        idosell: "date_last_order",
        show: |c, s| date(&c.last_order_at, s),
    },
];

/// The columns shown until a user chooses.
pub const DEFAULT_COLUMNS: &[&str] = &[
    "id",
    "login",
    "email",
    "first_name",
    "last_name",
    "city",
    "registered",
];

/// A user's view: the chosen known columns, or the default.
pub fn view_columns(chosen: &[String]) -> Vec<&'static ListColumn> {
    let picked: Vec<&'static ListColumn> = LIST_COLUMNS
        .iter()
        .filter(|c| chosen.iter().any(|k| k == c.key))
        .collect();
    if picked.is_empty() {
        LIST_COLUMNS
            .iter()
            .filter(|c| DEFAULT_COLUMNS.contains(&c.key))
            .collect()
    } else {
        picked
    }
}

/// The IdoSell columns of a view export of these list columns (the id is custio's own and
/// has no IdoSell column).
pub fn idosell_columns(view: &[&ListColumn]) -> Vec<String> {
    view.iter()
        .filter(|c| c.key != "id")
        .map(|c| c.idosell.to_string())
        .collect()
}

/// The filters of the customer list and of filtered exports, as query parameters.
#[derive(Clone, Debug, Default, Serialize, Deserialize, IntoParams, ToSchema)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListFilter {
    /// Text in the login, e-mail, name, company or city.
    pub search: Option<String>,
    /// Shop id.
    #[serde(deserialize_with = "empty_as_none")]
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4294967295_f64)]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 4294967295_f64)]
    pub shop: Option<u32>,
    /// Customer group.
    pub group: Option<String>,
    /// `person`, `company` or `contact`.
    #[param(schema_with = custio_engine::model::openapi::kind_or_any)]
    #[schema(schema_with = custio_engine::model::openapi::kind_or_any)]
    pub kind: Option<String>,
    /// E-mail newsletter consent: `yes`, `no`, `notset`, `excluded`.
    #[param(schema_with = custio_engine::model::openapi::consent_or_any)]
    #[schema(schema_with = custio_engine::model::openapi::consent_or_any)]
    pub newsletter: Option<String>,
    /// Registered on or after (`YYYY-MM-DD`).
    #[param(schema_with = custio_engine::model::openapi::day_or_none)]
    #[schema(schema_with = custio_engine::model::openapi::day_or_none)]
    pub registered_from: Option<String>,
    /// Registered on or before (`YYYY-MM-DD`).
    #[param(schema_with = custio_engine::model::openapi::day_or_none)]
    #[schema(schema_with = custio_engine::model::openapi::day_or_none)]
    pub registered_to: Option<String>,
}

/// Reads an empty form value as `None` (HTML forms send `shop=` for "any").
pub fn empty_as_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let raw: Option<String> = Option::deserialize(d)?;
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

impl ListFilter {
    fn clean(v: &Option<String>) -> Option<String> {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    }

    pub fn query(&self) -> CustomerQuery {
        CustomerQuery {
            search: Self::clean(&self.search),
            shop: self.shop,
            group: Self::clean(&self.group),
            kind: Self::clean(&self.kind),
            newsletter: Self::clean(&self.newsletter),
            registered_from: Self::clean(&self.registered_from),
            registered_to: Self::clean(&self.registered_to),
            ids: Vec::new(),
        }
    }

    /// The filters that are set, as `(name, value)` pairs.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let q = self.query();
        let mut out = Vec::new();
        let mut push = |k: &'static str, v: Option<String>| {
            if let Some(v) = v {
                out.push((k, v));
            }
        };
        push("search", q.search);
        push("shop", q.shop.map(|s| s.to_string()));
        push("group", q.group);
        push("kind", q.kind);
        push("newsletter", q.newsletter);
        push("registered_from", q.registered_from);
        push("registered_to", q.registered_to);
        out
    }
}

/// A row's errors and warnings, for people (the last column of the "not imported" list).
pub fn row_errors(row: &StagedRow, lang: Lang) -> Vec<String> {
    row.issues
        .iter()
        .map(|i| custio_i18n::issue(lang, i))
        .collect()
}

/// What became of a row (created customer N, skipped by the user, ...), for people.
pub fn row_result(row: &StagedRow, lang: Lang) -> Option<String> {
    row.note.as_ref().map(|n| custio_i18n::note(lang, n))
}

/// The filters of an export in the reader's words (`typ: Osoba prywatna, sklep: Sklep B`).
pub fn filter_text(lang: Lang, filter: &ListFilter, shops: &[Shop]) -> String {
    filter
        .pairs()
        .iter()
        .map(|(k, v)| {
            let value = match *k {
                "kind" => custio_engine::model::Kind::parse(v)
                    .map(|kind| custio_i18n::kind(lang, kind))
                    .unwrap_or_else(|_| v.clone()),
                "newsletter" => custio_engine::model::Consent::parse(v)
                    .map(|c| custio_i18n::consent(lang, c))
                    .unwrap_or_else(|_| v.clone()),
                "shop" => v
                    .parse()
                    .map(|id| crate::i18n::shop_by_id(lang, shops, id))
                    .unwrap_or_else(|_| v.clone()),
                "registered_from" | "registered_to" => crate::i18n::date_text(lang, v),
                _ => v.clone(),
            };
            custio_i18n::message(
                lang,
                "filter-pair",
                &[
                    (
                        "name",
                        custio_i18n::text(lang, &format!("filter-{k}")).into(),
                    ),
                    ("value", value.into()),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Ends a streaming body with an error: the client sees a broken download, never a
/// silently short file.
pub struct Failer(mpsc::Sender<Result<Bytes, std::io::Error>>);

impl Failer {
    pub fn fail(self, message: String) {
        let _ = self.0.blocking_send(Err(std::io::Error::other(message)));
    }
}

/// A `Write` whose bytes become a streaming response body: synchronous writers (the
/// engine's) run on a blocking thread and the client reads as they write.
pub struct ChannelWriter {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buf: Vec<u8>,
}

const CHUNK: usize = 64 * 1024;

impl ChannelWriter {
    /// A writer, a handle that can end the body with an error, and the body that streams
    /// what the writer writes.
    pub fn pair() -> (ChannelWriter, Failer, Body) {
        let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(8);
        let stream = futures_util::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|item| (item, rx))
        });
        (
            ChannelWriter {
                tx: tx.clone(),
                buf: Vec::with_capacity(CHUNK),
            },
            Failer(tx),
            Body::from_stream(stream),
        )
    }

    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client left"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

impl Drop for ChannelWriter {
    fn drop(&mut self) {
        let _ = self.send();
    }
}
