//! The threads that serve connections: one single-threaded runtime per thread, each accepted
//! connection handed to one of them and served there from its first byte to its close.
//!
//! Why not the multi-threaded runtime's work stealing: a request of this server is short and
//! does little waiting, so moving its tasks between threads buys nothing and costs context
//! switches and cold caches. Measured (BENCHMARKS.md, sessions 31 and 32): the gateway spends
//! 13 % less CPU per request on one worker than on two, and serves about a quarter more
//! requests per second when each connection stays on one thread.
//!
//! The threads live as long as the process: connections to the database and to the upstream
//! opened by a request on one of them are registered with that thread's I/O driver and are
//! used from the others afterwards, so the thread must keep turning it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use tokio::runtime::Handle;

/// At most this many serving threads.
const MAX_THREADS: usize = 64;

/// How many slots per-thread state needs: one per serving thread that can exist, and slot 0
/// for every other thread. A constant, so state made before the threads start fits them.
pub const SLOTS: usize = MAX_THREADS + 1;

static THREADS: OnceLock<Vec<Handle>> = OnceLock::new();
static NEXT: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// 1-based index of the serving thread this is, 0 on any other thread.
    static SLOT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Starts the serving threads once per process: `threads` of them, or one per core when 0.
/// Later calls change nothing. `None` when no thread could be started (the caller serves on
/// its own runtime then).
pub fn start(threads: usize) -> Option<&'static [Handle]> {
    let handles = THREADS.get_or_init(|| {
        let n = match threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
        .clamp(1, MAX_THREADS);
        (1..=n).filter_map(spawn_thread).collect()
    });
    (!handles.is_empty()).then_some(handles.as_slice())
}

fn spawn_thread(slot: usize) -> Option<Handle> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| tracing::warn!(error = %e, "cannot build a serving runtime"))
        .ok()?;
    let handle = runtime.handle().clone();
    std::thread::Builder::new()
        .name(format!("serve-{slot}"))
        .spawn(move || {
            SLOT.with(|s| s.set(slot));
            runtime.block_on(std::future::pending::<()>());
        })
        .map_err(|e| tracing::warn!(error = %e, "cannot start a serving thread"))
        .ok()?;
    Some(handle)
}

/// The runtime of the next connection, round robin.
pub fn next(threads: &[Handle]) -> &Handle {
    &threads[NEXT.fetch_add(1, Ordering::Relaxed) % threads.len()]
}

/// This thread's slot: its serving thread's 1-based index, or 0.
pub fn slot() -> usize {
    SLOT.with(std::cell::Cell::get)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_serving_thread_knows_its_slot() {
        let threads = start(3).expect("serving threads");
        let n = threads.len();
        assert!(n >= 1);
        assert!(n < SLOTS);
        assert_eq!(slot(), 0, "a test thread is no serving thread");
        for (i, handle) in threads.iter().enumerate() {
            let (tx, rx) = std::sync::mpsc::channel();
            handle.spawn(async move {
                let name = std::thread::current().name().map(str::to_owned);
                let _ = tx.send((slot(), name));
            });
            assert_eq!(
                rx.recv().expect("ran"),
                (i + 1, Some(format!("serve-{}", i + 1)))
            );
        }
        let picked: std::collections::BTreeSet<usize> = (0..64)
            .map(|_| next(threads) as *const Handle as usize)
            .collect();
        assert!(picked.len() > 1 || n == 1, "connections are spread");
    }
}
