//! The upstream's circuit breaker: after `failures` calls in a row fail, the upstream is not
//! called for `open_for` (every request answers 502 at once instead of waiting on a dead
//! server); then one request probes it, and its outcome closes or reopens the breaker.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct Breaker {
    failures: u32,
    open_for: Duration,
    /// Failed calls in a row.
    failed: AtomicU32,
    /// While open: when it may be probed, in milliseconds since `epoch`; 0 when closed.
    open_until_ms: AtomicU64,
    /// A probe is out (half-open): others are still refused.
    probing: AtomicBool,
    epoch: Instant,
}

/// May a call go out now?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    Call,
    /// The one call that tests an open breaker.
    Probe,
    Refused,
}

impl Breaker {
    pub fn new(failures: u32, open_for: Duration) -> Breaker {
        Breaker {
            failures: failures.max(1),
            open_for,
            failed: AtomicU32::new(0),
            open_until_ms: AtomicU64::new(0),
            probing: AtomicBool::new(false),
            epoch: Instant::now(),
        }
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64 + 1
    }

    pub fn admit(&self) -> Admission {
        let until = self.open_until_ms.load(Ordering::Acquire);
        if until == 0 {
            return Admission::Call;
        }
        if self.now_ms() < until {
            return Admission::Refused;
        }
        match self
            .probing
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => Admission::Probe,
            Err(_) => Admission::Refused,
        }
    }

    /// The outcome of an admitted call.
    pub fn record(&self, admission: Admission, ok: bool) {
        if ok {
            self.failed.store(0, Ordering::Release);
            if admission == Admission::Probe || self.open_until_ms.load(Ordering::Acquire) != 0 {
                self.open_until_ms.store(0, Ordering::Release);
            }
        } else {
            let failed = self.failed.fetch_add(1, Ordering::AcqRel) + 1;
            if admission == Admission::Probe || failed >= self.failures {
                let until = self.now_ms() + self.open_for.as_millis() as u64;
                self.open_until_ms.store(until, Ordering::Release);
            }
        }
        if admission == Admission::Probe {
            self.probing.store(false, Ordering::Release);
        }
    }

    /// `closed`, `open` or `half_open`, for `/metrics`.
    pub fn state(&self) -> &'static str {
        let until = self.open_until_ms.load(Ordering::Acquire);
        match (until, self.now_ms() < until) {
            (0, _) => "closed",
            (_, true) => "open",
            (_, false) => "half_open",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_failures_in_a_row_then_one_probe_decides() {
        let b = Breaker::new(3, Duration::from_millis(40));
        for _ in 0..2 {
            assert_eq!(b.admit(), Admission::Call);
            b.record(Admission::Call, false);
        }
        b.record(Admission::Call, true);
        for _ in 0..3 {
            assert_eq!(b.admit(), Admission::Call);
            b.record(Admission::Call, false);
        }
        assert_eq!(b.admit(), Admission::Refused);
        assert_eq!(b.state(), "open");
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(b.admit(), Admission::Probe);
        assert_eq!(b.admit(), Admission::Refused, "one probe at a time");
        b.record(Admission::Probe, false);
        assert_eq!(b.admit(), Admission::Refused, "a failed probe reopens");
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(b.admit(), Admission::Probe);
        b.record(Admission::Probe, true);
        assert_eq!(b.state(), "closed");
        assert_eq!(b.admit(), Admission::Call);
    }
}
