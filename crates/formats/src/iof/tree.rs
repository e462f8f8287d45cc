//! One `client` element held as a small tree (only one client is ever in memory), and the
//! tiny path language of the column table that picks values out of it.

use custio_model::{Field, FieldType};
use serde_json::{Map, Value as Json};

use crate::column::{CellContext, Column};

use super::columns::password_cell;

/// An element: local name (prefix dropped), attributes by local name, text and children.
#[derive(Debug, Default)]
pub(super) struct Elem {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Elem>,
}

impl Elem {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// How the values found at a path fold into one cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shape {
    /// The first value found.
    Scalar,
    /// All values, joined with commas (shop ids).
    IdList,
    /// All element texts, as a JSON array of strings (labels).
    TextList,
    /// Every element's attributes, as a JSON array of objects (addresses, consents).
    Objects,
    /// Every element's text under its `key` attribute, as a JSON object (custom fields).
    Keyed,
    /// The `hash` and `algorithm` attributes, as one encoded password hash.
    Password,
}

/// One step below `client`: an element name with an optional `[@attr=value]` test.
#[derive(Debug)]
struct Step {
    name: String,
    test: Option<(String, String)>,
}

/// A compiled path of the column table.
#[derive(Debug)]
pub(super) struct Path {
    steps: Vec<Step>,
    /// `Some(attr)` when the path ends in `@attr`; otherwise the element itself.
    attr: Option<String>,
    pub shape: Shape,
}

impl Path {
    /// Compiles a column's header (`client/phones/phone[@type=main]/@number`).
    pub fn compile(column: &Column) -> Self {
        let mut parts: Vec<&str> = column.name().split('/').collect();
        debug_assert_eq!(parts.first(), Some(&"client"));
        parts.remove(0);
        let attr = match parts.last() {
            Some(last) if last.starts_with('@') => {
                let a = last[1..].to_string();
                parts.pop();
                Some(a)
            }
            _ => None,
        };
        let steps = parts
            .iter()
            .map(|p| match p.split_once("[@") {
                Some((name, test)) => {
                    let test = test.trim_end_matches(']');
                    let (k, v) = test.split_once('=').unwrap_or((test, ""));
                    Step {
                        name: name.to_string(),
                        test: Some((k.to_string(), v.to_string())),
                    }
                }
                None => Step {
                    name: p.to_string(),
                    test: None,
                },
            })
            .collect();
        let ctx = CellContext {
            dialect: "iof",
            header: "",
            param: None,
        };
        let fields = column.fields(&ctx);
        let every_custom_field = fields == crate::column::EVERY_CUSTOM_FIELD;
        let ty = fields
            .first()
            .map(Field::ty)
            .filter(|_| !every_custom_field);
        let shape = match (&attr, ty) {
            (Some(_), Some(FieldType::Ids)) => Shape::IdList,
            (Some(_), _) => Shape::Scalar,
            (None, Some(FieldType::Texts)) => Shape::TextList,
            (None, Some(FieldType::Addresses | FieldType::Agreements)) => Shape::Objects,
            (None, Some(FieldType::Password)) => Shape::Password,
            (None, None) => Shape::Keyed,
            (None, _) => Shape::Scalar,
        };
        Self { steps, attr, shape }
    }

    fn select<'a>(&self, client: &'a Elem) -> Vec<&'a Elem> {
        let mut current = vec![client];
        for step in &self.steps {
            current = current
                .into_iter()
                .flat_map(|e| e.children.iter())
                .filter(|c| {
                    c.name == step.name
                        && step
                            .test
                            .as_ref()
                            .is_none_or(|(k, v)| c.attr(k).is_some_and(|x| x.trim() == v))
                })
                .collect();
        }
        current
    }

    /// The cell for this path in `client`; empty when nothing is there.
    pub fn extract(&self, client: &Elem) -> String {
        let found = self.select(client);
        let value = |e: &Elem| -> Option<String> {
            match &self.attr {
                Some(a) => e.attr(a).map(String::from),
                None => Some(e.text.clone()),
            }
        };
        match self.shape {
            Shape::Scalar => found.iter().find_map(|e| value(e)).unwrap_or_default(),
            Shape::IdList => found
                .iter()
                .filter_map(|e| value(e))
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect::<Vec<_>>()
                .join(","),
            Shape::TextList if found.is_empty() => String::new(),
            Shape::TextList => Json::from(
                found
                    .iter()
                    .map(|e| e.text.clone())
                    .collect::<Vec<String>>(),
            )
            .to_string(),
            Shape::Objects if found.is_empty() => String::new(),
            Shape::Objects => Json::Array(
                found
                    .iter()
                    .map(|e| {
                        Json::Object(
                            e.attrs
                                .iter()
                                .map(|(k, v)| (k.clone(), Json::String(v.clone())))
                                .collect(),
                        )
                    })
                    .collect(),
            )
            .to_string(),
            Shape::Keyed => {
                let map: Map<String, Json> = found
                    .iter()
                    .filter_map(|e| {
                        e.attr("key")
                            .map(|k| (k.to_string(), Json::String(e.text.clone())))
                    })
                    .collect();
                if map.is_empty() {
                    String::new()
                } else {
                    Json::Object(map).to_string()
                }
            }
            Shape::Password => found
                .first()
                .map(|e| {
                    password_cell(
                        e.attr("hash").unwrap_or(""),
                        e.attr("algorithm").unwrap_or(""),
                    )
                })
                .unwrap_or_default(),
        }
    }
}
