//! Where a number comes from. Every number a scenario or a safeguard carries names its origin:
//! a line of the postmortem, a cited public default of the tool being modelled, or an explicit
//! assumption that says what it is based on.
//!
//! The rule: `cited` only when the source gives that number for this situation. Eptura's SLO
//! and its GitOps tooling are in no source, so a 99.9 % SLO or a 3-minute reconciliation are
//! assumptions *based on* common defaults, not citations.

use serde::Serialize;

/// The origin of a number, shown next to it wherever it is displayed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Provenance {
    /// Read off the postmortem: the quoted lines it comes from.
    Postmortem { note: String },
    /// A documented public default of the tool the number models, for the situation modelled.
    Cited { note: String },
    /// Nobody knows; this is a stated guess the user can change.
    Assumption {
        note: String,
        /// What the guess is based on (a common default, an example in a book), when anything.
        #[serde(skip_serializing_if = "Option::is_none")]
        based_on: Option<String>,
    },
}

impl Default for Provenance {
    /// A blank assumption: what a missing provenance reads as (validation then rejects it).
    fn default() -> Self {
        Provenance::Assumption {
            note: String::new(),
            based_on: None,
        }
    }
}

impl Provenance {
    /// An assumption with nothing more specific behind it.
    pub fn assumption(note: impl Into<String>) -> Provenance {
        Provenance::Assumption {
            note: note.into(),
            based_on: None,
        }
    }

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
            | Provenance::Assumption { note, .. } => note,
        }
    }

    /// What an assumption is based on.
    pub fn based_on(&self) -> Option<&str> {
        match self {
            Provenance::Assumption { based_on, .. } => based_on.as_deref(),
            _ => None,
        }
    }
}

impl std::fmt::Display for Provenance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind(), self.note())?;
        if let Some(basis) = self.based_on() {
            write!(f, " (based on {basis})")?;
        }
        Ok(())
    }
}
