//! Where a number comes from. Every number a scenario or a safeguard carries names its origin:
//! a line of the postmortem, a cited public default, or an explicit assumption.

use serde::Serialize;

/// The origin of a number, shown next to it wherever it is displayed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Provenance {
    /// Read off the postmortem: the quoted lines it comes from.
    Postmortem { note: String },
    /// A documented public default of the tool the number models.
    Cited { note: String },
    /// Nobody knows; this is a stated guess the user can change.
    Assumption { note: String },
}

impl Default for Provenance {
    /// A blank assumption: what a missing provenance reads as (validation then rejects it).
    fn default() -> Self {
        Provenance::Assumption {
            note: String::new(),
        }
    }
}

impl Provenance {
    /// A short kind label: `postmortem`, `cited` or `assumption`.
    pub fn kind(&self) -> &'static str {
        match self {
            Provenance::Postmortem { .. } => "postmortem",
            Provenance::Cited { .. } => "cited",
            Provenance::Assumption { .. } => "assumption",
        }
    }

    /// The explanation that goes with the kind.
    pub fn note(&self) -> &str {
        match self {
            Provenance::Postmortem { note }
            | Provenance::Cited { note }
            | Provenance::Assumption { note } => note,
        }
    }
}

impl std::fmt::Display for Provenance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind(), self.note())
    }
}
