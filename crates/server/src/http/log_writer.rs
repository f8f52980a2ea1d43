//! Log lines reach stdout in batches. Writing a line appends it to one shared buffer (a copy
//! under a lock held for nanoseconds); one thread writes the buffer out every few milliseconds,
//! or as soon as it passes a threshold. A line is never dropped: when stdout cannot keep up, the
//! thread logging a line writes the backlog out itself, so the buffer stays bounded.
//!
//! Why not tracing-appender's non-blocking writer: it hands every line to its thread through a
//! channel, waking that thread and making one write(2) per line. At tens of thousands of requests
//! a second on two cores that cost a quarter of the throughput of the cheapest request
//! (BENCHMARKS.md, scenario 1).

use std::io::{self, Write};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a line may wait in the buffer.
const FLUSH_EVERY: Duration = Duration::from_millis(10);
/// A buffer this large is written out without waiting for the timer.
const FLUSH_AT: usize = 64 * 1024;
/// A buffer this large means the output is not keeping up: the logging thread writes it out.
const BACKLOG: usize = 4 * 1024 * 1024;

struct Shared<W> {
    pending: Mutex<Pending>,
    wake: Condvar,
    /// Held while writing, so batches reach the output in the order they were taken.
    out: Mutex<W>,
}

#[derive(Default)]
struct Pending {
    buf: Vec<u8>,
    closed: bool,
}

impl<W: Write> Shared<W> {
    /// Takes what is pending and writes it. The output lock is taken first, so a batch taken
    /// later is never written before one taken earlier.
    fn write_out(&self) {
        let Ok(mut out) = self.out.lock() else { return };
        let batch = match self.pending.lock() {
            Ok(mut p) => std::mem::take(&mut p.buf),
            Err(_) => return,
        };
        if !batch.is_empty() {
            // Nowhere left to report a failing stdout; the line is lost, the server goes on.
            let _ = out.write_all(&batch);
            let _ = out.flush();
        }
    }
}

/// The `MakeWriter` for tracing-subscriber: cheap to clone, one per event.
pub struct BatchedWriter<W> {
    shared: Arc<Shared<W>>,
}

impl<W> Clone for BatchedWriter<W> {
    fn clone(&self) -> Self {
        BatchedWriter {
            shared: self.shared.clone(),
        }
    }
}

/// Flushes what is pending and stops the writing thread when dropped (keep it until exit).
pub struct FlushGuard<W: Write + Send + 'static> {
    shared: Arc<Shared<W>>,
    thread: Option<JoinHandle<()>>,
}

/// Starts the writing thread for `out`.
pub fn batched<W: Write + Send + 'static>(out: W) -> (BatchedWriter<W>, FlushGuard<W>) {
    let shared = Arc::new(Shared {
        pending: Mutex::new(Pending::default()),
        wake: Condvar::new(),
        out: Mutex::new(out),
    });
    let worker = shared.clone();
    let thread = std::thread::Builder::new()
        .name("log-writer".into())
        .spawn(move || loop {
            let closed = match worker.pending.lock() {
                Ok(p) if p.buf.len() < FLUSH_AT && !p.closed => worker
                    .wake
                    .wait_timeout(p, FLUSH_EVERY)
                    .map(|(p, _)| p.closed)
                    .unwrap_or(true),
                Ok(p) => p.closed,
                Err(_) => true,
            };
            worker.write_out();
            if closed {
                return;
            }
        })
        .ok();
    (
        BatchedWriter {
            shared: shared.clone(),
        },
        FlushGuard { shared, thread },
    )
}

impl<W: Write + Send + 'static> Drop for FlushGuard<W> {
    fn drop(&mut self) {
        if let Ok(mut p) = self.shared.pending.lock() {
            p.closed = true;
        }
        self.shared.wake.notify_one();
        match self.thread.take() {
            Some(t) => {
                let _ = t.join();
            }
            None => self.shared.write_out(),
        }
    }
}

impl<W: Write> Write for BatchedWriter<W> {
    fn write(&mut self, line: &[u8]) -> io::Result<usize> {
        let len = match self.shared.pending.lock() {
            Ok(mut p) => {
                p.buf.extend_from_slice(line);
                p.buf.len()
            }
            Err(_) => return Err(io::Error::other("log buffer poisoned")),
        };
        if len >= BACKLOG {
            self.shared.write_out();
        } else if len >= FLUSH_AT {
            self.shared.wake.notify_one();
        }
        Ok(line.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a, W: Write + Send + 'static> tracing_subscriber::fmt::MakeWriter<'a> for BatchedWriter<W> {
    type Writer = BatchedWriter<W>;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output that records what reached it and how many writes it took.
    #[derive(Clone, Default)]
    struct Recorder(Arc<Mutex<(Vec<u8>, usize)>>);

    impl Write for Recorder {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            let mut g = self.0.lock().map_err(|_| io::Error::other("poisoned"))?;
            g.0.extend_from_slice(b);
            g.1 += 1;
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn seen(r: &Recorder) -> (String, usize) {
        let g = r.0.lock().unwrap_or_else(|e| e.into_inner());
        (String::from_utf8_lossy(&g.0).into_owned(), g.1)
    }

    #[test]
    fn lines_arrive_in_order_in_few_writes_and_all_by_the_guard() {
        let out = Recorder::default();
        let (writer, guard) = batched(out.clone());
        let mut expected = String::new();
        for i in 0..1000 {
            let line = format!("line {i}\n");
            writer
                .clone()
                .write_all(line.as_bytes())
                .unwrap_or_default();
            expected.push_str(&line);
        }
        drop(guard);
        let (text, writes) = seen(&out);
        assert_eq!(text, expected);
        assert!(writes < 100, "{writes} writes for 1000 lines");
    }

    #[test]
    fn a_line_reaches_the_output_without_the_guard_within_the_flush_interval() {
        let out = Recorder::default();
        let (mut writer, _guard) = batched(out.clone());
        writer.write_all(b"hello\n").unwrap_or_default();
        let deadline = std::time::Instant::now() + Duration::from_secs(2);
        while seen(&out).0.is_empty() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(seen(&out).0, "hello\n");
    }

    #[test]
    fn a_backlog_is_written_by_the_logging_thread_and_nothing_is_lost() {
        let out = Recorder::default();
        let (writer, guard) = batched(out.clone());
        let line = vec![b'x'; 1023]
            .into_iter()
            .chain([b'\n'])
            .collect::<Vec<_>>();
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let mut w = writer.clone();
                let line = line.clone();
                std::thread::spawn(move || {
                    for _ in 0..5000 {
                        w.write_all(&line).unwrap_or_default();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap_or_default();
        }
        drop(guard);
        assert_eq!(seen(&out).0.len(), 4 * 5000 * 1024);
    }
}
