//! What a document costs: its fields, the objects among them, and its depth (SPEC §5.8).

/// What the summary walk finds per unit of multiplier: every field selected (`unit`), the
/// objects among them (`objects`: fields with a selection of their own), and the depth.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cost {
    pub unit: u64,
    pub objects: u64,
    pub depth: usize,
}

impl Cost {
    /// Two selections side by side: their costs add up, the deeper sets the depth.
    pub fn and(self, other: Cost) -> Cost {
        Cost {
            unit: self.unit.saturating_add(other.unit),
            objects: self.objects.saturating_add(other.objects),
            depth: self.depth.max(other.depth),
        }
    }

    /// The complexity score (SPEC §5.8): the objects a document may return, as BigCommerce
    /// counts ("requesting more objects … drives up the complexity score"), and never less
    /// than a tenth of all its fields, so that scalars repeated under large pages still count.
    pub fn complexity(&self) -> u64 {
        self.objects.max(self.unit.div_ceil(FIELDS_PER_POINT))
    }
}

/// How many fields of any kind make one point of complexity.
pub const FIELDS_PER_POINT: u64 = 10;
