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

/// The latest time a store's clock may show: the last second of year 9999 (RFC 3339 and the
/// HTTP date formats have four-digit years).
pub const LATEST: i64 = 253_402_300_799;

/// A span of time as a user names it: whole seconds with an optional unit (`s`, `m`, `h`, `d`,
/// `w`) and an optional sign: `90d`, `-1h`, `3600`.
pub fn parse_duration(s: &str) -> Option<i64> {
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => (-1, r),
        None => (1, s.strip_prefix('+').unwrap_or(s)),
    };
    let (digits, unit) = match rest.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => rest.split_at(i),
        None => (rest, "s"),
    };
    let unit = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return None,
    };
    if digits.is_empty() || digits.len() > 12 {
        return None;
    }
    digits
        .parse::<i64>()
        .ok()?
        .checked_mul(unit)?
        .checked_mul(sign)
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
    fn durations() {
        let cases = [
            ("90d", Some(90 * 86_400)),
            ("-1h", Some(-3_600)),
            ("+30m", Some(1_800)),
            ("3600", Some(3_600)),
            ("2w", Some(1_209_600)),
            ("15s", Some(15)),
            ("0", Some(0)),
            ("", None),
            ("d", None),
            ("-", None),
            ("1y", None),
            ("1.5h", None),
            ("1 h", None),
            ("--1h", None),
            ("9999999999999d", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_duration(text), want, "{text}");
        }
    }

    #[test]
    fn offset_clock_starts_where_told() {
        let c = OffsetClock::starting_at(1_000);
        assert!((c.now() - 1_000).abs() <= 1);
    }
}
