//! What goes into a log line from outside: text a client chose, made safe to write.

/// `s` as it may be written into a log: every control character (line breaks, terminal
/// escapes) as `\u{..}`, so text a client chose cannot forge a line or colour a terminal.
pub fn escaped(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// At most `max` bytes of `s`, cut at a character boundary.
pub fn truncated(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
