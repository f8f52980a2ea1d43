//! Time as the policy sees it. Operators can simulate any day (SPEC §5.3: "both dates and the
//! clock are configuration"); tests pin the clock.

use std::sync::atomic::{AtomicI64, Ordering};

pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Unix seconds.
    fn now(&self) -> i64;
}

/// The system clock shifted by a fixed offset (zero for real time). A simulated start date is
/// turned into an offset, so simulated time still advances.
#[derive(Debug)]
pub struct OffsetClock {
    offset: i64,
}

impl OffsetClock {
    pub fn real() -> Self {
        OffsetClock { offset: 0 }
    }

    /// A clock that reads `start` now and advances in real time from there.
    pub fn starting_at(start: i64) -> Self {
        OffsetClock {
            offset: start - system_now(),
        }
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> i64 {
        system_now() + self.offset
    }
}

/// A clock that only moves when told to.
#[derive(Debug)]
pub struct FixedClock(AtomicI64);

impl FixedClock {
    pub fn new(at: i64) -> Self {
        FixedClock(AtomicI64::new(at))
    }
    pub fn set(&self, at: i64) {
        self.0.store(at, Ordering::SeqCst)
    }
}

impl Clock for FixedClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

pub fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Parses an RFC 3339 timestamp to unix seconds.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
}

/// Formats unix seconds as `2024-07-19T16:30:29Z`.
pub fn format_rfc3339(unix: i64) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_default()
}

/// Formats unix seconds as an IMF-fixdate (`Wed, 31 Mar 2027 23:59:59 GMT`), for `Sunset`.
pub fn format_http_date(unix: i64) -> String {
    let fmt = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_default()
}

/// A day (`YYYY-MM-DD`, its first second, UTC) or an RFC 3339 time, as a user names a date.
pub fn parse_day_or_time(s: &str) -> Option<i64> {
    if s.len() == 10 {
        return parse_rfc3339(&format!("{s}T00:00:00Z"));
    }
    parse_rfc3339(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip() {
        let t = parse_rfc3339("2027-03-31T23:59:59Z");
        assert_eq!(t, Some(1_806_537_599));
        assert_eq!(format_rfc3339(1_806_537_599), "2027-03-31T23:59:59Z");
        assert_eq!(
            format_http_date(1_806_537_599),
            "Wed, 31 Mar 2027 23:59:59 GMT"
        );
    }

    #[test]
    fn offset_clock_starts_where_told() {
        let c = OffsetClock::starting_at(1_000);
        assert!((c.now() - 1_000).abs() <= 1);
    }
}
