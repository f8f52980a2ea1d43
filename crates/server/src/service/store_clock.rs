//! A store's own simulated clock (issue 19): set to a time, moved by a span, or back to the
//! process clock, through the CLI and the management API. The store's time is the system's
//! real time plus an offset, so it advances, and every process (each instance, the CLI) reads
//! the same time for it whatever its own clock; everything time decides for that store reads
//! it (`Domain::now_for`), no other store's. Every change is recorded.

use serde_json::{json, Value};
use storefront_auth_core::clock::{
    format_rfc3339, parse_day_or_time, parse_duration, system_now, LATEST,
};
use storefront_auth_store::{ClockChange, StoreError, StoreRecord};

use super::Domain;

/// Recorded changes shown with the clock.
pub const CHANGES_SHOWN: i64 = 20;

/// How a user changes a store's clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockSetting {
    /// The store's time reads this now (and advances from there).
    At(i64),
    /// The store's time moves by this many seconds (negative: back).
    Advance(i64),
    /// The store follows the process clock again.
    Process,
}

#[derive(Debug, thiserror::Error)]
pub enum ClockError {
    #[error("at must be a day (2027-04-01) or an RFC 3339 time.")]
    BadTime,
    #[error("advance must be whole seconds with an optional unit s, m, h, d or w (90d, -1h).")]
    BadSpan,
    #[error("Give either at (a day or an RFC 3339 time) or advance (a span such as 90d).")]
    AtOrAdvance,
    #[error("The store's time must stay between 1970-01-01 and 9999-12-31.")]
    OutOfRange,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A store's clock as shown: its time now, its offset from real time (`None`: it follows the
/// process clock), and its recent changes.
#[derive(Debug)]
pub struct ClockView {
    pub now: i64,
    pub offset: Option<i64>,
    pub changes: Vec<ClockChange>,
}

impl ClockSetting {
    /// `at` (a day or an RFC 3339 time) or `advance` (a span), as a user names them.
    pub fn parse(at: Option<&str>, advance: Option<&str>) -> Result<ClockSetting, ClockError> {
        match (at, advance) {
            (Some(at), None) => parse_day_or_time(at)
                .map(ClockSetting::At)
                .ok_or(ClockError::BadTime),
            (None, Some(span)) => parse_duration(span)
                .map(ClockSetting::Advance)
                .ok_or(ClockError::BadSpan),
            _ => Err(ClockError::AtOrAdvance),
        }
    }

    /// The change this setting makes when the store's offset from real time is `offset`
    /// (`None`: on the process clock, which reads `process_now`) and real time reads `real`;
    /// `None` if the store's time would leave 1970..=9999.
    fn change(self, process_now: i64, real: i64, offset: Option<i64>) -> Option<ClockChange> {
        let store_time = |o: Option<i64>| match o {
            Some(o) => real.checked_add(o),
            None => Some(process_now),
        };
        let from_time = store_time(offset)?;
        let next = match self {
            ClockSetting::At(at) => Some(at.checked_sub(real)?),
            ClockSetting::Advance(span) => Some(from_time.checked_add(span)?.checked_sub(real)?),
            ClockSetting::Process => None,
        };
        let to_time = store_time(next)?;
        (0..=LATEST).contains(&to_time).then(|| ClockChange {
            changed_at: real,
            from_time,
            to_time,
            offset: next,
            changed_by: String::new(),
        })
    }
}

impl ClockView {
    /// The management API's JSON (also `stores clock --json`).
    pub fn to_json(&self) -> Value {
        let changes: Vec<Value> = self
            .changes
            .iter()
            .map(|c| {
                json!({
                    "changed_at": format_rfc3339(c.changed_at),
                    "from": format_rfc3339(c.from_time),
                    "to": format_rfc3339(c.to_time),
                    "offset_from_real_seconds": c.offset,
                    "changed_by": c.changed_by,
                })
            })
            .collect();
        json!({
            "now": format_rfc3339(self.now),
            "now_unix": self.now,
            "simulated": self.offset.is_some(),
            "offset_from_real_seconds": self.offset,
            "changes": changes,
        })
    }
}

/// The store's clock now, with its recent changes, as the database has it (an instance
/// applies a change made elsewhere to its requests within a second).
pub async fn show(domain: &Domain, store: &StoreRecord) -> Result<ClockView, StoreError> {
    let offset = domain
        .store()
        .store_by_id(store.id)
        .await?
        .ok_or(StoreError::NotFound)?
        .clock_offset;
    let now = match offset {
        Some(offset) => system_now().saturating_add(offset),
        None => domain.now(),
    };
    Ok(ClockView {
        now,
        offset,
        changes: domain
            .store()
            .store_clock_changes(store.id, CHANGES_SHOWN)
            .await?,
    })
}

/// Changes the store's clock and records who did (`cli`, `account:{client_id}`). This
/// instance applies it at once, others within a second (their catch-up).
pub async fn change(
    domain: &Domain,
    store: &StoreRecord,
    setting: ClockSetting,
    changed_by: &str,
) -> Result<ClockChange, ClockError> {
    let (process_now, real) = (domain.now(), system_now());
    let change = domain
        .store()
        .change_store_clock(store.id, |offset| {
            let change = setting.change(process_now, real, offset)?;
            Some(ClockChange {
                changed_by: changed_by.to_string(),
                ..change
            })
        })
        .await?
        .ok_or(ClockError::OutOfRange)?;
    domain.0.clocks.set(store.id, change.offset);
    tracing::info!(
        store = %store.hash,
        from = change.from_time,
        to = change.to_time,
        by = changed_by,
        "store clock changed"
    );
    Ok(change)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_parse_and_move_the_offset() {
        let day = 1_806_537_600; // 2027-04-01
        assert_eq!(
            ClockSetting::parse(Some("2027-04-01"), None).ok(),
            Some(ClockSetting::At(day))
        );
        assert_eq!(
            ClockSetting::parse(None, Some("-1h")).ok(),
            Some(ClockSetting::Advance(-3_600))
        );
        for (at, span) in [(Some("tomorrow"), None), (None, Some("1y")), (None, None)] {
            assert!(ClockSetting::parse(at, span).is_err(), "{at:?} {span:?}");
        }
        assert!(ClockSetting::parse(Some("2027-04-01"), Some("1h")).is_err());
        // The process clock is simulated (2026-11-22); real time is ten days on.
        let (process, real) = (1_795_348_800, 1_796_212_800);
        let cases = [
            (
                ClockSetting::At(day),
                None,
                Some((process, day, Some(day - real))),
            ),
            (
                ClockSetting::At(real),
                Some(500),
                Some((real + 500, real, Some(0))),
            ),
            (
                ClockSetting::Advance(3_600),
                None,
                Some((process, process + 3_600, Some(process + 3_600 - real))),
            ),
            (
                ClockSetting::Advance(-60),
                Some(100),
                Some((real + 100, real + 40, Some(40))),
            ),
            (
                ClockSetting::Process,
                Some(42),
                Some((real + 42, process, None)),
            ),
            (ClockSetting::Process, None, Some((process, process, None))),
            (ClockSetting::At(LATEST + 1), None, None),
            (ClockSetting::At(-1), None, None),
            (ClockSetting::Advance(-process - 1), None, None),
            (ClockSetting::Advance(i64::MAX), Some(1), None),
            (ClockSetting::At(i64::MIN), None, None),
        ];
        for (setting, offset, want) in cases {
            let got = setting
                .change(process, real, offset)
                .map(|c| (c.from_time, c.to_time, c.offset));
            assert_eq!(got, want, "{setting:?} {offset:?}");
        }
    }
}
