//! The customer base outside imports: one customer, the sorted and filtered customer list
//! with keyset pages, and the changes a person makes by hand (each written to the audit
//! log under its actor).

use chrono::NaiveDate;
use custio_model::{Consent, Customer, Email, FieldChange, Kind};
use custio_store::{
    CustomerCursor, CustomerKey, CustomerPage, CustomerQuery, CustomerRow, CustomerSort,
    CustomerWrite, JournalEntry, JournalOp, StoreError, WriteOutcome,
};

use crate::{Engine, EngineError};

/// The text of the list's `after`: the last customer's id, then (for orders other than
/// by id) `-` and the sort value in hex: `^[0-9]{1,18}(-([0-9a-f]{2})*)?$`, the pattern
/// the API documents. Every text of that shape is a cursor (one that no page gave starts
/// the list at that point).
pub fn encode_cursor(cursor: &CustomerCursor) -> String {
    if cursor.value.is_empty() {
        cursor.id.to_string()
    } else {
        format!("{}-{}", cursor.id, hex::encode(&cursor.value))
    }
}

/// The cursor [`encode_cursor`] wrote; `None` for text of another shape.
pub fn decode_cursor(text: &str) -> Option<CustomerCursor> {
    let (id, value) = text.split_once('-').unwrap_or((text, ""));
    if id.is_empty() || id.len() > 18 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = hex::decode(value).ok()?;
    Some(CustomerCursor {
        id: id.parse().ok()?,
        value: String::from_utf8_lossy(&value).into_owned(),
    })
}

/// A journal entry for a change made by hand.
fn entry(customer: i64, op: JournalOp, actor: &str) -> JournalEntry {
    JournalEntry {
        batch: None,
        line: None,
        customer,
        through: None,
        op,
        actor: Some(actor.to_string()),
    }
}

/// Why the store refused a write by hand: a key another customer has, or a change made
/// meanwhile (the unit reads and writes in one transaction, so only a taken key happens).
fn refused(outcome: WriteOutcome) -> StoreError {
    match outcome {
        WriteOutcome::Taken { key, value } => StoreError::Taken {
            key,
            value,
            owner: "customer",
        },
        _ => StoreError::Busy,
    }
}

impl Engine {
    /// One customer, or a clear error.
    pub fn customer(&self, id: i64) -> Result<Customer, EngineError> {
        self.store()
            .customers()
            .get(id)?
            .map(|s| s.customer)
            .ok_or(EngineError::CustomerNotFound(id))
    }

    /// The customer a text names: a custio id, else an e-mail address, else a login.
    pub fn find_customer(&self, key: &str) -> Result<Option<Customer>, EngineError> {
        let customers = self.store().customers();
        if let Ok(id) = key.parse::<i64>()
            && let Some(stored) = customers.get(id)?
        {
            return Ok(Some(stored.customer));
        }
        if let Ok(email) = Email::parse(key)
            && let Some(stored) = customers.find(&CustomerKey::Email(email.key()))?
        {
            return Ok(Some(stored.customer));
        }
        let by_login = customers.find(&CustomerKey::Login(key.to_string()))?;
        Ok(by_login.map(|s| s.customer))
    }

    /// Up to `limit` customers matching `query` with ids above `after`, by id: pages that
    /// stream the whole base (the CLI's listing).
    pub fn customers_page(
        &self,
        query: &CustomerQuery,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Vec<Customer>, EngineError> {
        Ok(self.store().customers().page(query, after, limit)?)
    }

    /// One page of the customer list: matching `query`, in `sort` order (descending when
    /// `desc`), after the cursor of the previous page.
    pub fn customer_list(
        &self,
        query: &CustomerQuery,
        sort: CustomerSort,
        desc: bool,
        after: Option<&CustomerCursor>,
        limit: usize,
    ) -> Result<CustomerPage, EngineError> {
        check_query(query)?;
        Ok(self
            .store()
            .customers()
            .list(query, sort, desc, after, limit)?)
    }

    /// How many customers the base holds.
    pub fn count_customers(&self) -> Result<u64, EngineError> {
        Ok(self.store().customers().count(&CustomerQuery::default())?)
    }

    /// Stores a new customer (outside any batch; its id, if any, is ignored) and returns it
    /// as stored. A login, e-mail or guid another customer has is refused.
    pub fn create_customer(
        &self,
        customer: Customer,
        actor: &str,
    ) -> Result<Customer, EngineError> {
        let customer = Customer {
            id: None,
            ..customer
        };
        let mut id = 0;
        self.store().unit_of_work(&mut |unit| {
            id = match unit
                .write(&[CustomerWrite::Insert {
                    row: &CustomerRow::new(&customer),
                    origin: None,
                }])?
                .remove(0)
            {
                WriteOutcome::Inserted(id) => id,
                outcome => return Err(refused(outcome)),
            };
            unit.journal(&[entry(id, JournalOp::Inserted, actor)])
        })?;
        self.record(actor, "customer_created", format!("customer {id}"))?;
        self.customer(id)
    }

    /// Replaces customer `id`'s data; the stored password hash stays. Returns it as stored.
    pub fn update_customer(
        &self,
        id: i64,
        customer: Customer,
        actor: &str,
    ) -> Result<Customer, EngineError> {
        let customer = Customer {
            id: Some(id),
            password: None,
            ..customer
        };
        let mut found = true;
        self.store().unit_of_work(&mut |unit| {
            let Some(before) = unit.get(&[id])?.remove(0) else {
                found = false;
                return Ok(());
            };
            let after = Customer {
                password: customer
                    .password
                    .clone()
                    .or(before.customer.password.clone()),
                ..customer.clone()
            };
            let write = CustomerWrite::Update {
                id,
                version: before.version,
                row: &CustomerRow::new(&after),
                origin: None,
            };
            match unit.write(&[write])?.remove(0) {
                WriteOutcome::Done => {}
                outcome => return Err(refused(outcome)),
            }
            let changes = FieldChange::between(&before.customer, &after);
            unit.journal(&[entry(id, JournalOp::Updated(changes), actor)])
        })?;
        if !found {
            return Err(EngineError::CustomerNotFound(id));
        }
        self.record(actor, "customer_updated", format!("customer {id}"))?;
        self.customer(id)
    }

    /// Deletes customer `id`.
    pub fn delete_customer(&self, id: i64, actor: &str) -> Result<(), EngineError> {
        let mut found = true;
        self.store().unit_of_work(&mut |unit| {
            let Some(before) = unit.get(&[id])?.remove(0) else {
                found = false;
                return Ok(());
            };
            let write = CustomerWrite::Delete {
                id,
                version: Some(before.version),
            };
            match unit.write(&[write])?.remove(0) {
                WriteOutcome::Done => {}
                outcome => return Err(refused(outcome)),
            }
            let op = JournalOp::Deleted(Box::new(before.customer));
            unit.journal(&[entry(id, op, actor)])
        })?;
        if !found {
            return Err(EngineError::CustomerNotFound(id));
        }
        self.record(actor, "customer_deleted", format!("customer {id}"))?;
        Ok(())
    }
}

/// Refuses a filter the list cannot take, instead of listing no one: a kind or consent
/// that is none, a day that is not `YYYY-MM-DD`. Empty values are filters not set.
pub(crate) fn check_query(query: &CustomerQuery) -> Result<(), EngineError> {
    let set = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(String::from)
    };
    let invalid = |filter, value: String, allowed| EngineError::InvalidFilter {
        filter,
        value,
        allowed,
    };
    if let Some(kind) = set(&query.kind).filter(|k| Kind::parse(k).is_err()) {
        return Err(invalid("customer kind", kind, "person, company or contact"));
    }
    if let Some(consent) = set(&query.newsletter).filter(|c| Consent::parse(c).is_err()) {
        return Err(invalid("consent", consent, "yes, no, notset or excluded"));
    }
    for day in [&query.registered_from, &query.registered_to] {
        if let Some(day) = set(day).filter(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err()) {
            return Err(invalid("day", day, "a date written YYYY-MM-DD"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customers_by_hand_are_audited_and_found_by_any_key() {
        let engine = Engine::new(custio_store::open(&custio_testdb::memory()).unwrap());
        let customer: Customer = serde_json::from_value(serde_json::json!({
            "id": 99, "login": "jan", "email": "Jan@Example.pl", "first_name": "Jan"
        }))
        .unwrap();
        let stored = engine.create_customer(customer, "api:ola:token1").unwrap();
        let id = stored.id.unwrap();
        assert_ne!(id, 99, "a new customer gets its own id");
        for key in [id.to_string().as_str(), "jan@example.pl", "jan"] {
            assert_eq!(engine.find_customer(key).unwrap().unwrap().id, Some(id));
        }
        assert!(engine.find_customer("nobody").unwrap().is_none());
        let mut changed = stored.clone();
        changed.first_name = Some("Janek".into());
        let updated = engine.update_customer(id, changed, "web:ola").unwrap();
        assert_eq!(updated.first_name.as_deref(), Some("Janek"));
        assert!(matches!(
            engine.update_customer(404, stored, "web:ola"),
            Err(EngineError::CustomerNotFound(404))
        ));
        engine.delete_customer(id, "web:ola").unwrap();
        assert!(matches!(
            engine.delete_customer(id, "web:ola"),
            Err(EngineError::CustomerNotFound(_))
        ));
        let actions: Vec<String> = engine
            .audit_log(10)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(
            actions,
            ["customer_deleted", "customer_updated", "customer_created"]
        );
    }

    #[test]
    fn a_deleted_customers_id_is_never_given_again() {
        let dir = tempfile::tempdir().unwrap();
        let url = custio_testdb::url(dir.path(), "c.db");
        let engine = Engine::new(custio_store::open(&url).unwrap());
        let create = |login: &str| {
            let customer = Customer {
                login: Some(login.into()),
                ..Customer::default()
            };
            engine
                .create_customer(customer, "web:ola")
                .unwrap()
                .id
                .unwrap()
        };
        let first = create("jan");
        let last = create("ewa");
        engine.delete_customer(last, "web:ola").unwrap();
        let next = create("ola");
        assert!(next > last, "{next} after {first} and the deleted {last}");
        drop(engine);
        let engine = Engine::new(custio_store::open(&url).unwrap());
        engine.delete_customer(next, "web:ola").unwrap();
        let customer = Customer {
            login: Some("ala".into()),
            ..Customer::default()
        };
        let reopened = engine
            .create_customer(customer, "web:ola")
            .unwrap()
            .id
            .unwrap();
        assert!(reopened > next, "not reused after reopening either");
    }

    #[test]
    fn cursors_round_trip_and_refuse_other_text() {
        let cursor = CustomerCursor {
            value: "nowak".into(),
            id: 7,
        };
        assert_eq!(decode_cursor(&encode_cursor(&cursor)), Some(cursor));
        assert_eq!(decode_cursor("not a cursor"), None);
    }
}
