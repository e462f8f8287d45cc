use serde::{Deserialize, Serialize};

use crate::ValueError;

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in order.
            pub const ALL: &[$name] = &[$($name::$variant),+];

            /// The value's name in the data model.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the data-model name (case-insensitive).
            pub fn parse(raw: &str) -> Result<Self, ValueError> {
                let value = raw.trim();
                $(if value.eq_ignore_ascii_case($text) { return Ok($name::$variant); })+
                Err(ValueError::Choice {
                    value: raw.to_string(),
                    allowed: [$($text),+].join(", "),
                })
            }
        }
    };
}

choice! {
    /// What the customer is: a bare contact (only an e-mail, e.g. a newsletter sign-up),
    /// a private person, or a company.
    Kind { Contact = "contact", Person = "person", Company = "company" }
}

choice! {
    /// The customer's gender, where a platform records it.
    Gender { Male = "male", Female = "female" }
}

choice! {
    /// A marketing consent, with the two states besides yes and no that UPgates and GDPR
    /// practice need: never asked, and explicitly excluded by the shop.
    Consent {
        /// Agreed.
        Yes = "yes",
        /// Declined.
        No = "no",
        /// Never asked.
        NotSet = "notset",
        /// Excluded by the shop (e.g. after a complaint); must never be mailed.
        Excluded = "excluded",
    }
}

// `choice!` derives no `Default` (Gender has none), so these are written out.
#[allow(clippy::derivable_impls)]
impl Default for Kind {
    fn default() -> Self {
        Kind::Person
    }
}

// `choice!` derives no `Default` (Gender has none), so these are written out.
#[allow(clippy::derivable_impls)]
impl Default for Consent {
    fn default() -> Self {
        Consent::NotSet
    }
}
