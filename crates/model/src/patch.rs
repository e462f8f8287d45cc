//! What one row of a file says about a customer, field by field.

use serde_json::Value as Json;

use crate::customer::Customer;
use crate::field::{Field, FieldType, Value};
use crate::values::PasswordHash;

/// What a row does to one field. A field that the row does not mention is kept, so
/// "missing column = no change" needs no variant of its own.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// The dialect's rule says the empty cell deletes the value (UPgates).
    Clear,
    /// The row sets this value.
    Set(Value),
}

/// One row's changes to a customer, keyed by field, in field order. A row changes a
/// few dozen fields at most: a sorted vector is one allocation where a map takes several.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomerPatch {
    changes: Vec<(Field, Change)>,
}

/// One field's value before and after applying a patch: the review step's diff line.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldChange {
    pub field: Field,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl FieldChange {
    /// Every field whose value differs between two versions of a customer: what a
    /// journal keeps of an edit.
    pub fn between(before: &Customer, after: &Customer) -> Vec<FieldChange> {
        let keyed = |c: &Customer| -> Vec<Field> {
            let maps = [
                (Field::CustomField as fn(String) -> Field, &c.custom_fields),
                (Field::Stat, &c.stats),
                (Field::Extra, &c.extra),
            ];
            maps.into_iter()
                .flat_map(|(f, map)| map.keys().map(move |k| f(k.clone())))
                .collect()
        };
        let mut fields: Vec<Field> = crate::codec::document_fields().cloned().collect();
        let mut keys = keyed(before);
        keys.extend(keyed(after));
        keys.sort();
        keys.dedup();
        fields.extend(keys);
        fields
            .into_iter()
            .filter_map(|field| {
                let (b, a) = (before.get(&field), after.get(&field));
                (b != a).then_some(FieldChange {
                    field,
                    before: b,
                    after: a,
                })
            })
            .collect()
    }
}

impl CustomerPatch {
    /// Records that the row sets `field`.
    pub fn set(&mut self, field: Field, value: Value) {
        self.put(field, Change::Set(value));
    }

    /// Records that the row deletes `field`.
    pub fn clear(&mut self, field: Field) {
        self.put(field, Change::Clear);
    }

    fn put(&mut self, field: Field, change: Change) {
        match self.changes.binary_search_by(|(f, _)| f.cmp(&field)) {
            Ok(at) => self.changes[at].1 = change,
            Err(at) => self.changes.insert(at, (field, change)),
        }
    }

    /// Forgets what the row said about `field`: it will be kept.
    pub fn keep(&mut self, field: &Field) {
        if let Ok(at) = self.changes.binary_search_by(|(f, _)| f.cmp(field)) {
            self.changes.remove(at);
        }
    }

    /// What the row does to `field`, if anything.
    pub fn get(&self, field: &Field) -> Option<&Change> {
        self.changes
            .binary_search_by(|(f, _)| f.cmp(field))
            .ok()
            .map(|at| &self.changes[at].1)
    }

    /// The value the row sets for `field`, if it sets one.
    pub fn value(&self, field: &Field) -> Option<&Value> {
        match self.get(field) {
            Some(Change::Set(v)) => Some(v),
            _ => None,
        }
    }

    /// Every change, in field order.
    pub fn iter(&self) -> impl Iterator<Item = (&Field, &Change)> {
        self.changes.iter().map(|(f, c)| (f, c))
    }

    /// True when the row changes nothing.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Writes the patch into `customer`, without working out what changed (a new
    /// customer).
    pub fn write_to(&self, customer: &mut Customer) {
        for (field, change) in &self.changes {
            let value = match change {
                Change::Clear => None,
                Change::Set(v) => Some(v.clone()),
            };
            customer.set(field, value);
        }
    }

    /// Whether applying the patch would change `customer` (without changing it).
    pub fn changes(&self, customer: &Customer) -> bool {
        self.changes.iter().any(|(field, change)| {
            let after = match change {
                Change::Clear => None,
                Change::Set(v) => Some(v),
            };
            customer.get(field).as_ref() != after
        })
    }

    /// Applies the patch to `customer` and returns the fields whose value changed.
    pub fn apply(&self, customer: &mut Customer) -> Vec<FieldChange> {
        let mut diff = Vec::new();
        for (field, change) in &self.changes {
            let before = customer.get(field);
            let after = match change {
                Change::Clear => None,
                Change::Set(v) => Some(v.clone()),
            };
            if before == after {
                continue;
            }
            if customer.set(field, after) {
                let after = customer.get(field);
                if before != after {
                    diff.push(FieldChange {
                        field: field.clone(),
                        before,
                        after,
                    });
                }
            }
        }
        diff
    }

    /// The patch as a JSON object `{ "field": value | null }`, for the batch buffer.
    pub fn to_json(&self) -> Json {
        let map = self
            .changes
            .iter()
            .map(|(f, c)| {
                let v = match c {
                    Change::Clear => Json::Null,
                    Change::Set(v) => v.to_json(),
                };
                (f.name().into_owned(), v)
            })
            .collect();
        Json::Object(map)
    }

    /// Reads back what [`to_json`](Self::to_json) wrote. Entries that no longer parse are
    /// an error naming the field, never silently dropped.
    pub fn from_json(json: &Json) -> Result<Self, String> {
        let obj = json.as_object().ok_or("a patch must be a JSON object")?;
        let mut patch = CustomerPatch::default();
        for (name, v) in obj {
            let field = Field::parse(name).map_err(|e| e.to_string())?;
            if v.is_null() {
                patch.clear(field);
            } else {
                let value = Value::from_json(field.ty(), v).ok_or_else(|| {
                    format!("stored value of {name} is not a {}", field.ty().name())
                })?;
                patch.set(field, value);
            }
        }
        Ok(patch)
    }
}

impl Value {
    /// The JSON form used in storage and in the API: lists as arrays, flags as booleans,
    /// integers as numbers, everything else as its canonical text.
    pub fn to_json(&self) -> Json {
        match self {
            Value::Bool(b) => Json::Bool(*b),
            Value::Integer(i) => Json::from(*i),
            Value::Ids(ids) => Json::from(ids.clone()),
            Value::Texts(items) => Json::from(items.clone()),
            Value::Addresses(list) => serde_json::to_value(list).unwrap_or(Json::Null),
            Value::Agreements(list) => serde_json::to_value(list).unwrap_or(Json::Null),
            other => Json::from(other.to_string()),
        }
    }

    /// Reads the JSON form of a value of type `ty`.
    pub fn from_json(ty: FieldType, json: &Json) -> Option<Value> {
        match (ty, json) {
            (FieldType::Bool, Json::Bool(b)) => Some(Value::Bool(*b)),
            (FieldType::Integer, Json::Number(n)) => n.as_i64().map(Value::Integer),
            (FieldType::Ids, Json::Array(items)) => items
                .iter()
                .map(|i| i.as_u64().and_then(|n| u32::try_from(n).ok()))
                .collect::<Option<Vec<_>>>()
                .map(Value::Ids),
            (FieldType::Texts, Json::Array(items)) => items
                .iter()
                .map(|i| i.as_str().map(String::from))
                .collect::<Option<Vec<_>>>()
                .map(Value::Texts),
            (FieldType::Password, Json::String(s)) => Some(Value::Password(PasswordHash::read(s))),
            (FieldType::Addresses, Json::Array(_)) => serde_json::from_value(json.clone())
                .ok()
                .map(Value::Addresses),
            (FieldType::Agreements, Json::Array(_)) => serde_json::from_value(json.clone())
                .ok()
                .map(Value::Agreements),
            (FieldType::Text, Json::String(s)) => Some(Value::Text(s.clone())),
            (ty, Json::String(s)) => ty.parse(s).ok(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::Email;

    #[test]
    fn apply_reports_only_real_changes() {
        let mut c = Customer {
            first_name: Some("Jan".into()),
            note: Some("old".into()),
            ..Customer::default()
        };
        let mut p = CustomerPatch::default();
        p.set(Field::FirstName, Value::Text("Jan".into()));
        p.clear(Field::Note);
        p.set(
            Field::Email,
            Value::Email(Email::parse("jan@example.pl").unwrap()),
        );
        let diff = p.apply(&mut c);
        let fields: Vec<_> = diff.iter().map(|d| d.field.name().into_owned()).collect();
        assert_eq!(fields, ["email", "note"]);
        assert_eq!(c.note, None);
    }

    #[test]
    fn a_plain_password_in_json_is_hashed_at_once() {
        let read = Value::from_json(FieldType::Password, &Json::from("tajne123"));
        let Some(Value::Password(hash)) = read else {
            panic!("{read:?}")
        };
        assert_eq!(hash.algorithm(), "argon2id");
        assert!(!hash.encoded().contains("tajne123"));
    }

    #[test]
    fn json_round_trip_keeps_types() {
        let mut p = CustomerPatch::default();
        p.set(Field::Shops, Value::Ids(vec![1, 3]));
        p.set(Field::Tags, Value::Texts(vec!["a,b".into(), "c".into()]));
        p.set(Field::Balance, Value::Decimal("12.50".parse().unwrap()));
        p.set(Field::Wholesaler, Value::Bool(true));
        p.set(
            Field::Password,
            Value::Password(PasswordHash::from_encoded(
                "md5:5f4dcc3b5aa765d61d8327deb882cf99",
            )),
        );
        p.clear(Field::Note);
        let back = CustomerPatch::from_json(&p.to_json()).unwrap();
        assert_eq!(back, p);
    }
}
