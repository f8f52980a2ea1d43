//! Which stores have a clock of their own, and its offset from the system's real time, as this
//! instance knows it (issue 19): loaded at start, reloaded by the catch-up every half second (so
//! a change made elsewhere applies within a second), and changed at once by a change made here.

use foldhash::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::RwLock;

#[derive(Debug, Default)]
pub struct StoreClocks {
    offsets: RwLock<HashMap<i64, i64>>,
    /// Whether any store has a clock of its own: the hot path skips the lock when none has.
    any: AtomicBool,
    /// Bumped by every change made here: a reload read before it must not undo it.
    changes: AtomicU64,
}

impl StoreClocks {
    /// The offsets as loaded at start.
    pub fn with(offsets: Vec<(i64, i64)>) -> StoreClocks {
        let clocks = StoreClocks::default();
        clocks.replace(0, offsets);
        clocks
    }

    /// The offset of `store_id`'s own clock from real time; `None` when it follows the
    /// process clock.
    pub fn offset(&self, store_id: i64) -> Option<i64> {
        if !self.any.load(Ordering::Acquire) {
            return None;
        }
        let offsets = self.offsets.read().unwrap_or_else(|p| p.into_inner());
        offsets.get(&store_id).copied()
    }

    /// Where this instance's own changes stand: taken before reading the database, given
    /// back to [`StoreClocks::replace`].
    pub fn generation(&self) -> u64 {
        self.changes.load(Ordering::Acquire)
    }

    /// Replaces every offset with a reload from the database read after `generation`, unless
    /// a change was made here since (the next reload brings everything).
    pub fn replace(&self, generation: u64, all: impl IntoIterator<Item = (i64, i64)>) {
        let mut offsets = self.offsets.write().unwrap_or_else(|p| p.into_inner());
        if self.changes.load(Ordering::Acquire) != generation {
            return;
        }
        offsets.clear();
        offsets.extend(all);
        self.any.store(!offsets.is_empty(), Ordering::Release);
    }

    /// Sets one store's offset (`None`: back to the process clock).
    pub fn set(&self, store_id: i64, offset: Option<i64>) {
        let mut offsets = self.offsets.write().unwrap_or_else(|p| p.into_inner());
        match offset {
            Some(o) => offsets.insert(store_id, o),
            None => offsets.remove(&store_id),
        };
        self.changes.fetch_add(1, Ordering::AcqRel);
        self.any.store(!offsets.is_empty(), Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_per_store_and_a_reload_never_undoes_a_later_change() {
        let clocks = StoreClocks::default();
        assert_eq!(clocks.offset(1), None);
        let before = clocks.generation();
        clocks.set(1, Some(3600));
        assert_eq!((clocks.offset(1), clocks.offset(2)), (Some(3600), None));
        clocks.replace(before, [(2, -60)]);
        assert_eq!(
            clocks.offset(1),
            Some(3600),
            "a reload read before a change keeps it"
        );
        clocks.replace(clocks.generation(), [(2, -60), (3, 0)]);
        assert_eq!(clocks.offset(1), None);
        assert_eq!((clocks.offset(2), clocks.offset(3)), (Some(-60), Some(0)));
        clocks.set(2, None);
        clocks.set(3, None);
        assert_eq!(clocks.offset(2), None);
        assert!(!clocks.any.load(Ordering::Acquire));
    }
}
