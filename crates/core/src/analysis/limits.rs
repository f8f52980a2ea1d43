//! SPEC §5.8's limits on a document, decided from its analysis before anything runs.

use std::fmt;

use super::{Analysis, AnalysisError};

pub const MAX_DEPTH: usize = 16;
pub const MAX_COMPLEXITY: u64 = 10_000;

/// Why a document is refused before it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LimitExceeded {
    Depth(usize),
    Complexity(u64),
    /// More than one root field in a mutation.
    Mutations(usize),
    /// Fragments spread inside each other past any real nesting, or in a cycle.
    FragmentNesting,
    /// The document expands to so many selections that the analysis stopped counting: its
    /// complexity is far over the limit, but its exact score was not worked out.
    Expansion,
}

impl LimitExceeded {
    /// The refusal an analysis error amounts to, if it is one.
    pub fn of_error(e: &AnalysisError) -> Option<Self> {
        match e {
            AnalysisError::TooDeep => Some(LimitExceeded::FragmentNesting),
            AnalysisError::TooMuchWork => Some(LimitExceeded::Expansion),
            _ => None,
        }
    }
}

impl fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LimitExceeded::Depth(d) => write!(
                f,
                "The query is too deep: its depth is {d} and the maximum is {MAX_DEPTH}."
            ),
            LimitExceeded::Complexity(c) => write!(
                f,
                "The query is too complex as it has a complexity score of {c} out of {MAX_COMPLEXITY}. Please remove some elements and try again"
            ),
            LimitExceeded::Expansion => write!(
                f,
                "The query is too complex as it has a complexity score of more than {MAX_COMPLEXITY} out of {MAX_COMPLEXITY}. Please remove some elements and try again"
            ),
            LimitExceeded::Mutations(n) => write!(
                f,
                "Only one mutation is allowed per request; this document has {n} root mutation fields."
            ),
            LimitExceeded::FragmentNesting => {
                f.write_str("The query nests fragments too deeply or they form a cycle.")
            }
        }
    }
}

/// SPEC §5.8: depth, complexity, one root mutation field.
pub fn check_limits(a: &Analysis) -> Result<(), LimitExceeded> {
    if a.depth > MAX_DEPTH {
        return Err(LimitExceeded::Depth(a.depth));
    }
    if a.complexity > MAX_COMPLEXITY {
        return Err(LimitExceeded::Complexity(a.complexity));
    }
    if a.operation_type == "mutation" && a.root_fields > 1 {
        return Err(LimitExceeded::Mutations(a.root_fields));
    }
    Ok(())
}
