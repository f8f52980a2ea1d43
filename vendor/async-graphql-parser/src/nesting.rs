//! storefront-auth patch: how deeply a document's brackets nest, found by a lexical pass
//! before the parser sees it. The grammar's rules recurse once per `{`, `[` and `(`, so a
//! document is refused when its brackets nest deeper than any real one does; this bounds
//! every recursive step that follows (the pest grammar, the conversion to the syntax tree,
//! dropping it), whatever the text.

/// The deepest `{`/`[`/`(` nesting of `input`, counting brackets outside strings, block
/// strings and comments. Unbalanced brackets are counted as they come (the parser reports
/// them); the answer only bounds what the parser will be asked to do.
pub fn nesting_depth(input: &str) -> usize {
    let bytes = input.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    // `\"""` is an escaped delimiter inside a block string.
                    i += if bytes[i..].starts_with(b"\\\"\"\"") { 4 } else { 1 };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

/// The nesting past which `parse_query` and `parse_schema` refuse a document: above the
/// 64 levels of selection sets and of values they accept, plus arguments and a few more.
pub const MAX_NESTING: usize = 160;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_brackets_outside_strings_and_comments() {
        let cases = [
            ("{ a }", 1),
            ("{ a(x: [[1]]) { b } }", 4),
            (r#"{ a(x: "[[[[{{{") }"#, 2),
            (r#"{ a(x: "\"[[") }"#, 2),
            ("{ a(x: \"\"\"[[[ \\\"\"\" [[[\"\"\") }", 2),
            ("# {{{{{{\n{ a }", 1),
            ("]]]] { a }", 1),
            ("", 0),
            ("[[[[", 4),
        ];
        for (input, want) in cases {
            assert_eq!(nesting_depth(input), want, "{input}");
        }
    }
}
