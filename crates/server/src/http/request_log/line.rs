//! One request line, as JSON (the shape `tracing_subscriber`'s JSON formatter gives every other
//! line) or as text, written without allocating more than the line.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use super::{Format, LogFields};

/// The request line's content.
pub(super) struct Line<'a> {
    pub(super) method: &'a str,
    pub(super) path: &'a str,
    pub(super) status: u16,
    pub(super) latency_us: u64,
    pub(super) fields: &'a LogFields,
    pub(super) decision: &'a str,
}

impl Line<'_> {
    /// The line's text fields, in order: all nine for a GraphQL request, which also says
    /// which operation it ran and how it went; the first seven otherwise. (An array, not a
    /// `Vec`: every request writes this line.)
    fn strings(&self) -> ([(&'static str, &str); 10], usize) {
        let f = self.fields;
        let upstream = f.graphql.and_then(|g| g.upstream);
        let strings = [
            ("method", self.method),
            ("path", self.path),
            ("correlation_id", f.correlation_id.as_deref().unwrap_or("")),
            ("token_id", f.token_id.as_deref().unwrap_or("")),
            ("kind", f.kind.unwrap_or("")),
            ("decision", self.decision),
            ("reason", f.reason.unwrap_or("")),
            ("operation", f.operation.as_deref().unwrap_or("")),
            ("graphql", f.graphql.map_or("", |g| g.label())),
            ("upstream", upstream.map_or("", |u| u.result)),
        ];
        let n = match (f.graphql.is_some(), upstream.is_some()) {
            (_, true) => 10,
            (true, false) => 9,
            (false, false) => 7,
        };
        (strings, n)
    }

    /// Status, latency and (for GraphQL) the error count, after the path.
    fn numbers(&self, out: &mut String, json: bool) {
        out.push_str(if json { ",\"status\":" } else { " status=" });
        push_number(out, u64::from(self.status), 1);
        out.push_str(if json {
            ",\"latency_ms\":"
        } else {
            " latency_ms="
        });
        push_number(out, self.latency_us / 1000, 1);
        out.push('.');
        push_number(out, self.latency_us % 1000, 3);
        if let Some(g) = self.fields.graphql {
            out.push_str(if json {
                ",\"graphql_errors\":"
            } else {
                " graphql_errors="
            });
            push_number(out, u64::from(g.errors), 1);
            if let Some(u) = g.upstream {
                for (key, n) in [
                    ("upstream_status", u64::from(u.status)),
                    ("upstream_ms", u64::from(u.ms)),
                ] {
                    out.push_str(if json { ",\"" } else { " " });
                    out.push_str(key);
                    out.push_str(if json { "\":" } else { "=" });
                    push_number(out, n, 1);
                }
            }
        }
    }

    pub(super) fn render(&self, format: Format, now: SystemTime) -> String {
        let mut out = String::with_capacity(320);
        let (all, n) = self.strings();
        let strings = &all[..n];
        let numbers = |out: &mut String, json: bool| self.numbers(out, json);
        match format {
            Format::Json => {
                out.push_str("{\"timestamp\":\"");
                timestamp(&mut out, now);
                out.push_str("\",\"level\":\"INFO\",\"fields\":{");
                for (i, (key, value)) in strings.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push('"');
                    out.push_str(key);
                    out.push_str("\":");
                    json_string(&mut out, value);
                    if *key == "path" {
                        numbers(&mut out, true);
                    }
                }
                out.push_str("},\"target\":\"request\"}\n");
            }
            Format::Text => {
                timestamp(&mut out, now);
                out.push_str("  INFO request:");
                for &(key, value) in strings {
                    out.push(' ');
                    out.push_str(key);
                    out.push('=');
                    text_value(&mut out, value);
                    if key == "path" {
                        numbers(&mut out, false);
                    }
                }
                out.push('\n');
            }
        }
        out
    }
}

thread_local! {
    /// The last second this thread wrote, formatted: lines come many to a second.
    static SECOND: RefCell<(u64, String)> = const { RefCell::new((0, String::new())) };
}

/// RFC 3339 in UTC with microseconds, as tracing-subscriber writes it.
fn timestamp(out: &mut String, now: SystemTime) {
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    SECOND.with(|cell| {
        let mut cached = cell.borrow_mut();
        if cached.0 != secs || cached.1.is_empty() {
            let (y, m, d) = civil_from_days((secs / 86_400) as i64);
            let rem = secs % 86_400;
            cached.1.clear();
            let _ = write!(
                cached.1,
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
                rem / 3600,
                rem / 60 % 60,
                rem % 60
            );
            cached.0 = secs;
        }
        out.push_str(&cached.1);
    });
    out.push('.');
    push_number(out, u64::from(since.subsec_micros()), 6);
    out.push('Z');
}

/// `n` in decimal, zero-padded to at least `width` digits (at most 20).
fn push_number(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let start = i.min(digits.len().saturating_sub(width));
    for &d in &digits[start..] {
        out.push(char::from(d));
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Printable ASCII without `"` or `\`, written between quotes as it is (DEL and non-ASCII, the C1
/// controls among them, are not). Folded whole, not stopped early: that compiles to vector code.
fn plain_json(s: &str) -> bool {
    let bad = s.bytes().fold(0u8, |bad, b| {
        bad | u8::from(!(0x20..0x7f).contains(&b)) | u8::from(b == b'"') | u8::from(b == b'\\')
    });
    bad == 0
}

fn json_string(out: &mut String, s: &str) {
    out.push('"');
    if plain_json(s) {
        out.push_str(s);
        out.push('"');
        return;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Every other control character, DEL and the C1 controls (terminal escapes) too.
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A value as the text formatter shows it: bare when it is one plain word, quoted otherwise.
fn text_value(out: &mut String, s: &str) {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\' && b != b'=');
    if plain {
        out.push_str(s);
    } else {
        json_string(out, s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::request_log::GraphqlOutcome;
    use std::time::Duration;

    fn line(fields: &LogFields, path: &str) -> Line<'static> {
        let fields: &'static LogFields = Box::leak(Box::new(fields.clone()));
        let path: &'static str = Box::leak(path.to_string().into_boxed_str());
        Line {
            method: "POST",
            path,
            status: 403,
            latency_us: 1234,
            fields,
            decision: "deny",
        }
    }

    #[test]
    fn the_json_line_has_the_formatters_shape_and_escapes_what_the_client_sent() {
        let fields = LogFields {
            token_id: Some("7f6c".into()),
            kind: Some("private"),
            decision: Some("deny"),
            reason: Some("private_token_in_browser"),
            correlation_id: None,
            ..Default::default()
        };
        let at = UNIX_EPOCH + Duration::from_micros(1_795_305_600_123_456);
        let text = line(&fields, "/graphql\"\n\u{1}é").render(Format::Json, at);
        assert!(text.ends_with('\n'));
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["timestamp"], "2026-11-22T00:00:00.123456Z");
        assert_eq!(v["level"], "INFO");
        assert_eq!(v["target"], "request");
        let f = &v["fields"];
        assert_eq!(f["method"], "POST");
        assert_eq!(f["path"], "/graphql\"\n\u{1}é");
        assert_eq!(f["status"], 403);
        assert_eq!(f["latency_ms"], 1.234);
        assert_eq!(f["correlation_id"], "");
        assert_eq!(f["token_id"], "7f6c");
        assert_eq!(f["kind"], "private");
        assert_eq!(f["decision"], "deny");
        assert_eq!(f["reason"], "private_token_in_browser");
    }

    #[test]
    fn plain_json_agrees_with_a_byte_by_byte_check() {
        let plain = |s: &str| {
            s.bytes()
                .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
        };
        let long = "0123456789abcdef".repeat(5);
        let mut cases: Vec<String> = (0..=0x7fu8).map(|b| char::from(b).to_string()).collect();
        cases.extend(["", "é", "\u{9b}[31m", &long].map(String::from));
        // A bad character at every position of a string longer than a vector register.
        for at in 0..long.len() {
            for bad in ['"', '\\', '\n', '\u{7f}', 'é'] {
                cases.push(format!("{}{bad}{}", &long[..at], &long[at + 1..]));
            }
        }
        for s in &cases {
            assert_eq!(plain_json(s), plain(s), "{s:?}");
        }
    }

    #[test]
    fn the_text_line_reads_as_key_value_pairs() {
        let text = line(&LogFields::default(), "/a b").render(Format::Text, UNIX_EPOCH);
        assert_eq!(
            text,
            "1970-01-01T00:00:00.000000Z  INFO request: method=POST path=\"/a b\" status=403 \
             latency_ms=1.234 correlation_id=\"\" token_id=\"\" kind=\"\" decision=deny reason=\"\"\n"
        );
    }

    #[test]
    fn graphql_lines_name_the_operation_and_count_its_errors() {
        let fields = LogFields {
            operation: Some("Layout\nQuery".into()),
            graphql: Some(GraphqlOutcome {
                errors: 3,
                data: true,
                upstream: None,
            }),
            ..Default::default()
        };
        let text = line(&fields, "/graphql").render(Format::Text, UNIX_EPOCH);
        assert!(
            text.ends_with(
                "status=403 latency_ms=1.234 graphql_errors=3 correlation_id=\"\" token_id=\"\" \
                 kind=\"\" decision=deny reason=\"\" operation=\"Layout\\nQuery\" graphql=partial\n"
            ),
            "{text}"
        );
        let json = line(&fields, "/graphql").render(Format::Json, UNIX_EPOCH);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["fields"]["operation"], "Layout\nQuery");
        assert_eq!(v["fields"]["graphql"], "partial");
        assert_eq!(v["fields"]["graphql_errors"], 3);
    }

    #[test]
    fn gateway_lines_say_how_the_upstream_call_went() {
        let fields = LogFields {
            graphql: Some(GraphqlOutcome {
                errors: 1,
                data: false,
                upstream: Some(super::super::UpstreamOutcome {
                    result: "timeout",
                    status: 0,
                    ms: 400,
                }),
            }),
            ..Default::default()
        };
        let text = line(&fields, "/graphql").render(Format::Text, UNIX_EPOCH);
        assert!(
            text.contains(" graphql_errors=1 upstream_status=0 upstream_ms=400 "),
            "{text}"
        );
        assert!(
            text.ends_with(" graphql=errors upstream=timeout\n"),
            "{text}"
        );
        let json = line(&fields, "/graphql").render(Format::Json, UNIX_EPOCH);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["fields"]["upstream"], "timeout");
        assert_eq!(v["fields"]["upstream_ms"], 400);
    }

    #[test]
    fn numbers_are_padded_and_timestamps_follow_the_clock_within_a_thread() {
        let mut out = String::new();
        push_number(&mut out, 0, 1);
        push_number(&mut out, 42, 3);
        push_number(&mut out, u64::MAX, 1);
        assert_eq!(out, format!("0042{}", u64::MAX));
        let mut a = String::new();
        timestamp(&mut a, UNIX_EPOCH + Duration::from_micros(1_500_000));
        timestamp(&mut a, UNIX_EPOCH + Duration::from_micros(1_600_001));
        timestamp(&mut a, UNIX_EPOCH + Duration::from_micros(86_400_000_007));
        assert_eq!(
            a,
            "1970-01-01T00:00:01.500000Z1970-01-01T00:00:01.600001Z1970-01-02T00:00:00.000007Z"
        );
    }

    #[test]
    fn dates_agree_with_the_time_crate_across_leap_years_and_centuries() {
        for days in (-800_000i64..800_000)
            .step_by(997)
            .chain([0, 59, 60, 365, 11_016, 20_779])
        {
            let expected = time::OffsetDateTime::UNIX_EPOCH + time::Duration::days(days);
            let (y, m, d) = civil_from_days(days);
            assert_eq!(
                (y, m, d),
                (
                    i64::from(expected.year()),
                    u8::from(expected.month()) as u32,
                    u32::from(expected.day())
                ),
                "day {days}"
            );
        }
    }
}
