//! What the shop has besides customers: shops, customer groups, agreements (consents),
//! pricelists, saved mapping profiles and service settings.

use serde::{Deserialize, Serialize};

use crate::Result;

/// A shop of the customer base.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Shop {
    pub id: u32,
    pub name: String,
    pub url: Option<String>,
    pub language: Option<String>,
}

/// A consent the shop asks for; UPgates agreement columns pair with it by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementKind {
    pub name: String,
    /// How long a consent stays valid when a file gives no end date.
    pub validity_days: Option<u32>,
}

/// A saved mapping: which file column means which field, for files of one dialect whose
/// headers are not the dialect's own (`--mapping NAME`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MappingProfile {
    pub name: String,
    /// The dialect the profile is for (`csv`, `xlsx`, `idosell`, ...).
    pub dialect: String,
    /// `(column, target)`: a header (or 1-based position) and a field or dialect column.
    pub columns: Vec<(String, String)>,
    /// Columns to read past.
    pub ignored: Vec<String>,
}

/// Shops, groups, agreements, pricelists, mapping profiles and settings.
pub trait CatalogStore {
    /// Every shop, by id.
    fn shops(&self) -> Result<Vec<Shop>>;
    /// Adds a shop or renames an existing one.
    fn put_shop(&self, shop: &Shop) -> Result<()>;
    /// Customer groups, by name.
    fn groups(&self) -> Result<Vec<String>>;
    /// The agreements (consents) the shop has, by name.
    fn agreements(&self) -> Result<Vec<AgreementKind>>;
    /// Adds an agreement or changes its validity.
    fn put_agreement(&self, agreement: &AgreementKind) -> Result<()>;
    /// Pricelist names, sorted.
    fn pricelists(&self) -> Result<Vec<String>>;
    fn put_pricelist(&self, name: &str) -> Result<()>;
    /// Saved mapping profiles, by name.
    fn mapping_profiles(&self) -> Result<Vec<MappingProfile>>;
    fn mapping_profile(&self, name: &str) -> Result<Option<MappingProfile>>;
    /// Saves a profile, replacing one of the same name.
    fn put_mapping_profile(&self, profile: &MappingProfile) -> Result<()>;
    /// Deletes a profile; returns whether it existed.
    fn delete_mapping_profile(&self, name: &str) -> Result<bool>;
    /// A service setting (such as the hash of the one-time setup token).
    fn setting(&self, key: &str) -> Result<Option<String>>;
    /// Sets a setting, or removes it with `None`.
    fn put_setting(&self, key: &str, value: Option<&str>) -> Result<()>;
}
