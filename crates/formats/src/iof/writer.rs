//! The writer: the decided IOF 3.0 client layout, with every value produced by the column
//! table's codecs (so reader and writer share one definition of each value).

use std::io::Write;

use custio_model::Customer;
use serde_json::{Map, Value as Json};

use crate::column::CellContext;
use crate::dialect::{RowSink, WriteOptions};
use crate::{FormatError, TextEncoding};

use super::COLUMNS;
use super::columns::{ADDRESS_ATTRS, CONSENT_ATTRS, DATE, password_attributes};

/// The namespace of IOF documents.
pub const NAMESPACE: &str = "http://www.iai-shop.com/developers/iof.phtml";

/// An IOF client file being written.
pub(super) struct IofSink<'a> {
    out: Box<dyn Write + 'a>,
    with_password_hashes: bool,
    written: u64,
    text: String,
}

/// The start of an IOF client document, up to its first record.
pub fn document_start() -> String {
    let generated = chrono::Local::now().naive_local().format(DATE);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<clients file_format=\"IOF\" version=\"3.0\" generated=\"{generated}\" xmlns=\"{NAMESPACE}\">\n"
    )
}

/// The end of an IOF client document, after its last record.
pub const DOCUMENT_END: &str = "</clients>\n";

/// The records of `customers`, without the document's start or end: a file written in
/// parts (a migration's fetch, page by page) joins them between the two.
pub fn records(customers: &[Customer]) -> Result<Vec<u8>, FormatError> {
    let mut out = Vec::new();
    let mut sink = IofSink::records(Box::new(&mut out), &WriteOptions::default());
    for customer in customers {
        sink.write_customer(customer)?;
    }
    sink.out.flush()?;
    drop(sink);
    Ok(out)
}

impl<'a> IofSink<'a> {
    pub(super) fn open(
        mut out: Box<dyn Write + 'a>,
        options: &WriteOptions,
    ) -> Result<Self, FormatError> {
        match options.encoding {
            None | Some(TextEncoding::Utf8) => {}
            Some(TextEncoding::Utf8Bom) => out.write_all(TextEncoding::Utf8Bom.preamble())?,
            Some(other) => {
                return Err(FormatError::EncodingNotWritten {
                    dialect: "IOF XML",
                    encoding: other.name(),
                });
            }
        }
        out.write_all(document_start().as_bytes())?;
        Ok(Self::records(out, options))
    }

    /// A sink that writes records only.
    fn records(out: Box<dyn Write + 'a>, options: &WriteOptions) -> Self {
        Self {
            out,
            with_password_hashes: options.with_password_hashes,
            written: 0,
            text: String::new(),
        }
    }
}

/// The cells of one customer, by path.
struct Cells(Vec<String>);

impl Cells {
    fn of(customer: &Customer) -> Self {
        Self(
            COLUMNS
                .iter()
                .map(|c| {
                    let ctx = CellContext {
                        dialect: "iof",
                        header: c.name(),
                        param: None,
                    };
                    c.write(customer, &ctx)
                })
                .collect(),
        )
    }

    fn get(&self, path: &str) -> &str {
        COLUMNS
            .iter()
            .position(|c| c.name() == path)
            .map(|i| self.0[i].as_str())
            .unwrap_or_else(|| panic!("{path} is not in the IOF column table"))
    }
}

/// Builds the XML text of one client, checking every character on the way.
struct Doc<'t> {
    text: &'t mut String,
    row: u64,
}

impl Doc<'_> {
    fn escape(&mut self, value: &str, path: &str, attribute: bool) -> Result<(), FormatError> {
        for c in value.chars() {
            match c {
                '&' => self.text.push_str("&amp;"),
                '<' => self.text.push_str("&lt;"),
                '>' => self.text.push_str("&gt;"),
                '"' if attribute => self.text.push_str("&quot;"),
                '\n' if attribute => self.text.push_str("&#10;"),
                '\t' if attribute => self.text.push_str("&#9;"),
                '\r' => self.text.push_str("&#13;"),
                '\t' | '\n' => self.text.push(c),
                c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                    return Err(FormatError::Unmappable {
                        row: self.row,
                        column: path.to_string(),
                        character: c,
                        encoding: "XML 1.0",
                    });
                }
                c => self.text.push(c),
            }
        }
        Ok(())
    }

    /// ` name="value"`, nothing when the value is empty.
    fn attr(&mut self, name: &str, value: &str, path: &str) -> Result<(), FormatError> {
        if value.is_empty() {
            return Ok(());
        }
        self.text.push(' ');
        self.text.push_str(name);
        self.text.push_str("=\"");
        self.escape(value, path, true)?;
        self.text.push('"');
        Ok(())
    }

    /// `<name a="..."/>` from the cells of `client/<name>/@a...`; nothing when all are empty.
    fn empty_elem(
        &mut self,
        indent: &str,
        name: &str,
        attrs: &[(&str, &str, &str)],
    ) -> Result<(), FormatError> {
        if attrs.iter().all(|(_, v, _)| v.is_empty()) {
            return Ok(());
        }
        self.text.push_str(indent);
        self.text.push('<');
        self.text.push_str(name);
        for (a, v, path) in attrs {
            self.attr(a, v, path)?;
        }
        self.text.push_str("/>\n");
        Ok(())
    }

    fn attr_sets(
        &mut self,
        cell: &str,
        path: &str,
        wrapper: &str,
        name: &str,
        order: &[&str],
    ) -> Result<(), FormatError> {
        let Ok(sets) = serde_json::from_str::<Vec<Map<String, Json>>>(cell) else {
            return Ok(());
        };
        if sets.is_empty() {
            return Ok(());
        }
        self.text.push_str(&format!("    <{wrapper}>\n"));
        for set in sets {
            self.text.push_str("      <");
            self.text.push_str(name);
            for key in order {
                if let Some(v) = set.get(*key).and_then(Json::as_str) {
                    self.attr(key, v, path)?;
                }
            }
            self.text.push_str("/>\n");
        }
        self.text.push_str(&format!("    </{wrapper}>\n"));
        Ok(())
    }
}

fn ids(cell: &str) -> Vec<u32> {
    cell.split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

impl RowSink for IofSink<'_> {
    fn write_customer(&mut self, customer: &Customer) -> Result<(), FormatError> {
        let row = self.written + 1;
        let cells = Cells::of(customer);
        let c = |p: &str| cells.get(p);
        self.text.clear();
        let mut d = Doc {
            text: &mut self.text,
            row,
        };
        d.text.push_str("  <client");
        for a in [
            "id",
            "login",
            "email",
            "type",
            "wholesaler",
            "language",
            "registered",
            "last_login",
            "last_order",
        ] {
            let path = format!("client/@{a}");
            d.attr(a, c(&path), &path)?;
        }
        d.text.push_str(">\n");
        let ind = "    ";
        d.empty_elem(
            ind,
            "name",
            &[
                ("first", c("client/name/@first"), "client/name/@first"),
                ("last", c("client/name/@last"), "client/name/@last"),
            ],
        )?;
        d.empty_elem(
            ind,
            "company",
            &[
                ("name", c("client/company/@name"), "client/company/@name"),
                (
                    "taxidnumber",
                    c("client/company/@taxidnumber"),
                    "client/company/@taxidnumber",
                ),
            ],
        )?;
        let phones = [
            ("main", "client/phones/phone[@type=main]/@number"),
            (
                "additional",
                "client/phones/phone[@type=additional]/@number",
            ),
        ];
        if phones.iter().any(|(_, p)| !c(p).is_empty()) {
            d.text.push_str("    <phones>\n");
            for (kind, p) in phones {
                if !c(p).is_empty() {
                    d.empty_elem("      ", "phone", &[("type", kind, p), ("number", c(p), p)])?;
                }
            }
            d.text.push_str("    </phones>\n");
        }
        let address: Vec<(&str, &str, String)> = ["street", "zipcode", "city", "country"]
            .iter()
            .map(|a| {
                let path = format!("client/address/@{a}");
                (*a, c(&path), path)
            })
            .collect();
        let address: Vec<(&str, &str, &str)> = address
            .iter()
            .map(|(a, v, p)| (*a, *v, p.as_str()))
            .collect();
        d.empty_elem(ind, "address", &address)?;
        d.attr_sets(
            c("client/delivery_addresses/address"),
            "client/delivery_addresses/address",
            "delivery_addresses",
            "address",
            ADDRESS_ATTRS,
        )?;
        let shops = ids(c("client/shops/shop/@id"));
        if !shops.is_empty() {
            d.text.push_str("    <shops>");
            for id in shops {
                d.text.push_str(&format!("<shop id=\"{id}\"/>"));
            }
            d.text.push_str("</shops>\n");
        }
        let (email, sms) = (c("client/newsletter/@email"), c("client/newsletter/@sms"));
        let email_shops = ids(c("client/newsletter/shop[@email=t]/@id"));
        let sms_shops = ids(c("client/newsletter/shop[@sms=t]/@id"));
        let mut shop_ids: Vec<u32> = email_shops.iter().chain(&sms_shops).copied().collect();
        shop_ids.sort_unstable();
        shop_ids.dedup();
        if !email.is_empty() || !sms.is_empty() || !shop_ids.is_empty() {
            d.text.push_str("    <newsletter");
            d.attr("email", email, "client/newsletter/@email")?;
            d.attr("sms", sms, "client/newsletter/@sms")?;
            if shop_ids.is_empty() {
                d.text.push_str("/>\n");
            } else {
                d.text.push('>');
                for id in shop_ids {
                    let flag = |list: &[u32]| if list.contains(&id) { "t" } else { "n" };
                    d.text.push_str(&format!(
                        "<shop id=\"{id}\" email=\"{}\" sms=\"{}\"/>",
                        flag(&email_shops),
                        flag(&sms_shops)
                    ));
                }
                d.text.push_str("</newsletter>\n");
            }
        }
        let note = c("client/note");
        if !note.is_empty() {
            d.text.push_str("    <note>");
            d.escape(note, "client/note", false)?;
            d.text.push_str("</note>\n");
        }
        if let Ok(labels) = serde_json::from_str::<Vec<String>>(c("client/labels/label"))
            && !labels.is_empty()
        {
            {
                d.text.push_str("    <labels>");
                for l in labels {
                    d.text.push_str("<label>");
                    d.escape(&l, "client/labels/label", false)?;
                    d.text.push_str("</label>");
                }
                d.text.push_str("</labels>\n");
            }
        }
        d.empty_elem(
            ind,
            "loyalty",
            &[(
                "points",
                c("client/loyalty/@points"),
                "client/loyalty/@points",
            )],
        )?;
        d.empty_elem(
            ind,
            "rebate",
            &[("value", c("client/rebate/@value"), "client/rebate/@value")],
        )?;
        d.empty_elem(
            ind,
            "balance",
            &[
                ("value", c("client/balance/@value"), "client/balance/@value"),
                ("limit", c("client/balance/@limit"), "client/balance/@limit"),
            ],
        )?;
        d.attr_sets(
            c("client/consents/consent"),
            "client/consents/consent",
            "consents",
            "consent",
            CONSENT_ATTRS,
        )?;
        if let Ok(fields) =
            serde_json::from_str::<Map<String, Json>>(c("client/custom_fields/field"))
            && !fields.is_empty()
        {
            {
                d.text.push_str("    <custom_fields>\n");
                for (key, value) in fields {
                    d.text.push_str("      <field");
                    d.attr("key", &key, "client/custom_fields/field")?;
                    d.text.push('>');
                    d.escape(
                        value.as_str().unwrap_or(""),
                        "client/custom_fields/field",
                        false,
                    )?;
                    d.text.push_str("</field>\n");
                }
                d.text.push_str("    </custom_fields>\n");
            }
        }
        let password = c("client/password");
        if self.with_password_hashes && !password.is_empty() {
            let (hash, algorithm) = password_attributes(password);
            d.empty_elem(
                ind,
                "password",
                &[
                    ("hash", &hash, "client/password"),
                    ("algorithm", &algorithm, "client/password"),
                ],
            )?;
        }
        d.text.push_str("  </client>\n");
        self.out.write_all(self.text.as_bytes())?;
        self.written = row;
        Ok(())
    }

    fn finish(&mut self) -> Result<u64, FormatError> {
        self.out.write_all(DOCUMENT_END.as_bytes())?;
        self.out.flush()?;
        Ok(self.written)
    }
}
