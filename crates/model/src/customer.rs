use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::values::{
    Consent, Country, DateTime, Email, Gender, Kind, Language, PasswordHash, Phone,
};

/// One customer: the union of what the platforms carry. Its serde form is the JSON contract
/// of DESIGN.md (CLI `--json`, REST API). The password hash is deliberately not part of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Customer {
    /// custio's own id; `None` until stored.
    pub id: Option<i64>,
    pub guid: Option<String>,
    pub login: Option<String>,
    pub email: Option<Email>,
    /// The shop's customer code or number.
    pub code: Option<String>,
    pub kind: Kind,
    pub gender: Option<Gender>,
    /// Academic degree or title.
    pub degree: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub full_name: Option<String>,
    pub nickname: Option<String>,
    pub company: Company,
    pub phone: Option<Phone>,
    pub phone2: Option<Phone>,
    pub fax: Option<Phone>,
    pub billing: Address,
    pub shipping: Vec<ShippingAddress>,
    pub language: Option<Language>,
    /// The shops (by id) the customer belongs to.
    pub shops: Vec<u32>,
    pub wholesaler: bool,
    pub groups: Vec<String>,
    pub pricelist: Option<String>,
    pub discount_pct: Option<Decimal>,
    pub loyalty_points: Option<i64>,
    pub balance: Option<Decimal>,
    pub balance_limit: Option<Decimal>,
    pub active: bool,
    pub blocked: bool,
    pub email_verified: bool,
    pub newsletter_email: Consent,
    /// When the e-mail consent is per shop: the shops it was given in.
    pub newsletter_email_shops: Vec<u32>,
    pub newsletter_sms: Consent,
    pub newsletter_sms_shops: Vec<u32>,
    #[schema(value_type = Option<String>, example = "2024-03-01T12:30:00")]
    pub registered_at: Option<DateTime>,
    #[schema(value_type = Option<String>, example = "2024-03-01T12:30:00")]
    pub last_login_at: Option<DateTime>,
    #[schema(value_type = Option<String>, example = "2024-03-01T12:30:00")]
    pub last_order_at: Option<DateTime>,
    pub note: Option<String>,
    pub tags: Vec<String>,
    pub custom_fields: BTreeMap<String, String>,
    pub agreements: Vec<Agreement>,
    /// Export-only figures (orders_all, orders_worth, ...), kept as the platform wrote them.
    pub stats: BTreeMap<String, String>,
    /// Dialect-specific values (`"idosell.membership_card"`) kept for a lossless round trip.
    pub extra: BTreeMap<String, String>,
    /// Never serialised: hashes leave the system only through an export that asks for them.
    #[serde(skip)]
    #[schema(ignore)]
    pub password: Option<PasswordHash>,
}

impl Default for Customer {
    fn default() -> Self {
        Self {
            id: None,
            guid: None,
            login: None,
            email: None,
            code: None,
            kind: Kind::default(),
            gender: None,
            degree: None,
            first_name: None,
            last_name: None,
            full_name: None,
            nickname: None,
            company: Company::default(),
            phone: None,
            phone2: None,
            fax: None,
            billing: Address::default(),
            shipping: Vec::new(),
            language: None,
            shops: Vec::new(),
            wholesaler: false,
            groups: Vec::new(),
            pricelist: None,
            discount_pct: None,
            loyalty_points: None,
            balance: None,
            balance_limit: None,
            active: true,
            blocked: false,
            email_verified: false,
            newsletter_email: Consent::default(),
            newsletter_email_shops: Vec::new(),
            newsletter_sms: Consent::default(),
            newsletter_sms_shops: Vec::new(),
            registered_at: None,
            last_login_at: None,
            last_order_at: None,
            note: None,
            tags: Vec::new(),
            custom_fields: BTreeMap::new(),
            agreements: Vec::new(),
            stats: BTreeMap::new(),
            extra: BTreeMap::new(),
            password: None,
        }
    }
}

impl Customer {
    /// A short human label: the name, else the company, else the e-mail or login.
    pub fn display_name(&self) -> String {
        let name = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !name.is_empty() {
            return name;
        }
        self.full_name
            .clone()
            .or_else(|| self.company.name.clone())
            .or_else(|| self.email.as_ref().map(|e| e.to_string()))
            .or_else(|| self.login.clone())
            .unwrap_or_default()
    }
}

/// Company data of a customer who buys as a business.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Company {
    pub name: Option<String>,
    /// Registration number (IČ, REGON).
    pub company_number: Option<String>,
    /// VAT id (DIČ, NIP with country prefix).
    pub vat_id: Option<String>,
    /// Tax id (NIP, TIN).
    pub tax_id: Option<String>,
    pub vat_payer: bool,
}

/// The billing address.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Address {
    pub full_name: Option<String>,
    pub company: Option<String>,
    pub street: Option<String>,
    pub house_number: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub zip: Option<String>,
    pub country: Option<Country>,
}

/// A delivery address; a customer may have several, each with its own guid.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ShippingAddress {
    pub guid: Option<String>,
    pub full_name: Option<String>,
    pub company: Option<String>,
    pub street: Option<String>,
    pub house_number: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub zip: Option<String>,
    pub country: Option<Country>,
    pub phone: Option<Phone>,
}

/// A consent the customer gave (terms, marketing, ...), by the agreement's name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Agreement {
    pub name: String,
    pub status: bool,
    #[schema(value_type = Option<String>, example = "2024-03-01T12:30:00")]
    pub time: Option<DateTime>,
    #[schema(value_type = Option<String>, example = "2024-03-01T12:30:00")]
    pub valid_to: Option<DateTime>,
}
