//! Where things end in a GraphQL document's text (issue 21's strip, `analysis::strip`): the
//! parser gives every node's start only, and the strip blanks whole fields, fragment
//! definitions and variable definitions. A small lexer over GraphQL's lexical grammar
//! (ignored tokens, strings and block strings, names, numbers, punctuators) finds each end;
//! it works on documents the parser accepted, and never reads past the text on any other.

use std::cell::RefCell;
use std::collections::HashMap;

use async_graphql_parser::Pos;

/// A document's text with the byte offset of each line start.
pub struct Text<'a> {
    src: &'a str,
    lines: Vec<usize>,
    /// Lines where a column is not `offset - start + 1` (a character of several bytes, or a
    /// carriage return, which starts the column again): each character's (byte, column),
    /// built once per line when first asked. A position is then found in O(log n), never by
    /// walking a long line again (a minified document is one line of up to 100 KB).
    complex: RefCell<HashMap<usize, Columns>>,
    /// Per line: are its columns plain byte counts (ASCII, no carriage return)?
    plain: Vec<bool>,
}

/// A complex line's characters: (byte, column) in order, and each column's first byte.
struct Columns {
    chars: Vec<(usize, usize)>,
    first: HashMap<usize, usize>,
}

impl<'a> Text<'a> {
    pub fn new(src: &'a str) -> Self {
        let mut lines = vec![0];
        lines.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        let plain = (0..lines.len())
            .map(|i| {
                let end = lines.get(i + 1).map_or(src.len(), |next| next - 1);
                let text = &src[lines[i]..end];
                text.is_ascii() && !text.contains('\r')
            })
            .collect();
        Text {
            src,
            lines,
            complex: RefCell::default(),
            plain,
        }
    }

    pub fn as_str(&self) -> &'a str {
        self.src
    }

    /// Line `line` (1-based): its start, its end (before the `\n`), and whether columns are
    /// plain byte counts on it.
    fn line(&self, line: usize) -> Option<(usize, usize, bool)> {
        let start = *self.lines.get(line.checked_sub(1)?)?;
        let end = self.lines.get(line).map_or(self.src.len(), |next| next - 1);
        Some((start, end, self.plain[line - 1]))
    }

    /// Each character of a complex line with its column, as the parser counts columns.
    fn with_columns<T>(&self, line: usize, f: impl FnOnce(&Columns) -> T) -> Option<T> {
        let (start, end, _) = self.line(line)?;
        let mut complex = self.complex.borrow_mut();
        let columns = complex.entry(line).or_insert_with(|| {
            let mut column = 1;
            let mut chars = Vec::new();
            for (i, ch) in self.src[start..end].char_indices() {
                chars.push((start + i, column));
                column = if ch == '\r' { 1 } else { column + 1 };
            }
            chars.push((end, column));
            let mut first = HashMap::with_capacity(chars.len());
            for (b, c) in &chars {
                first.entry(*c).or_insert(*b);
            }
            Columns { chars, first }
        });
        Some(f(columns))
    }

    /// The byte offset of a parser position. Columns count characters, and a carriage
    /// return starts the column again, as the parser counts them.
    pub fn offset(&self, pos: Pos) -> Option<usize> {
        let (start, end, plain) = self.line(pos.line)?;
        if plain {
            let at = start + pos.column.checked_sub(1)?;
            return (at <= end).then_some(at);
        }
        self.with_columns(pos.line, |c| c.first.get(&pos.column).copied())?
    }

    /// The parser position of a byte offset (the inverse of `offset`).
    pub fn position(&self, offset: usize) -> Pos {
        let line = self.lines.partition_point(|&s| s <= offset).max(1);
        let Some((start, _, plain)) = self.line(line) else {
            return Pos { line, column: 1 };
        };
        if plain {
            return Pos {
                line,
                column: offset - start + 1,
            };
        }
        let column = self.with_columns(line, |c| {
            let i = c.chars.partition_point(|(b, _)| *b < offset);
            c.chars.get(i).map_or(1, |(_, c)| *c)
        });
        Pos {
            line,
            column: column.unwrap_or(1),
        }
    }

    fn byte(&self, i: usize) -> u8 {
        self.src.as_bytes().get(i).copied().unwrap_or(0)
    }

    /// The first offset at or after `i` that is not an ignored token (white space, line
    /// terminators, commas, the byte order mark, comments).
    fn skip_ignored(&self, mut i: usize) -> usize {
        let b = self.src.as_bytes();
        while i < b.len() {
            match b[i] {
                b' ' | b'\t' | b'\n' | b'\r' | b',' => i += 1,
                b'#' => {
                    while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                        i += 1;
                    }
                }
                0xEF if b[i..].starts_with("\u{feff}".as_bytes()) => i += 3,
                _ => break,
            }
        }
        i
    }

    /// The end of the token starting at `i`.
    fn token_end(&self, i: usize) -> usize {
        let b = self.src.as_bytes();
        let len = b.len();
        let is_name = |c: u8| c == b'_' || c.is_ascii_alphanumeric();
        match self.byte(i) {
            b'"' if b[i..].starts_with(b"\"\"\"") => {
                let mut j = i + 3;
                while j < len && !b[j..].starts_with(b"\"\"\"") {
                    j += if b[j..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                (j + 3).min(len)
            }
            b'"' => {
                let mut j = i + 1;
                while j < len && b[j] != b'"' && b[j] != b'\n' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                (j + 1).min(len)
            }
            b'.' if b[i..].starts_with(b"...") => i + 3,
            c if is_name(c) || c == b'-' => {
                let mut j = i + 1;
                while j < len && (is_name(b[j]) || matches!(b[j], b'.' | b'+' | b'-')) {
                    j += 1;
                }
                j
            }
            _ => (i + 1).min(len),
        }
    }

    /// The next token at or after `i`: its start and end.
    fn next(&self, i: usize) -> (usize, usize) {
        let start = self.skip_ignored(i);
        (start, self.token_end(start))
    }

    /// `i` at `{`, `(` or `[`: the offset just past its matching close.
    fn balanced(&self, i: usize) -> usize {
        let mut depth = 0usize;
        let mut at = i;
        while at < self.src.len() {
            let (start, end) = self.next(at);
            match self.byte(start) {
                b'{' | b'(' | b'[' => depth += 1,
                b'}' | b')' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return end;
                    }
                }
                _ => {}
            }
            if end <= at {
                break;
            }
            at = end;
        }
        self.src.len()
    }

    /// From `end`, past any `(…)` and directives `@name(…)`: where they stop.
    fn past_arguments_and_directives(&self, mut end: usize) -> usize {
        let (s, _) = self.next(end);
        if self.byte(s) == b'(' {
            end = self.balanced(s);
        }
        loop {
            let (s, _) = self.next(end);
            if self.byte(s) != b'@' {
                return end;
            }
            end = self.next(s + 1).1;
            let (s, _) = self.next(end);
            if self.byte(s) == b'(' {
                end = self.balanced(s);
            }
        }
    }

    /// A field starting at `start` (its alias or name): the offset past its selection set,
    /// or past its arguments and directives when it has none.
    pub fn field_end(&self, start: usize) -> usize {
        let (_, mut end) = self.next(start);
        let (s, e) = self.next(end);
        if self.byte(s) == b':' {
            end = self.next(e).1;
        }
        end = self.past_arguments_and_directives(end);
        let (s, _) = self.next(end);
        if self.byte(s) == b'{' {
            end = self.balanced(s);
        }
        end
    }

    /// A definition (operation or fragment) starting at `start`: the offset past its
    /// selection set.
    pub fn definition_end(&self, start: usize) -> usize {
        let mut at = start;
        while at < self.src.len() {
            let (s, e) = self.next(at);
            match self.byte(s) {
                b'{' => return self.balanced(s),
                b'(' | b'[' => at = self.balanced(s),
                _ => at = e.max(at + 1),
            }
        }
        self.src.len()
    }

    /// A variable definition starting at its `$`: the offset past its type, default value
    /// and directives.
    pub fn variable_definition_end(&self, start: usize) -> usize {
        let name_end = self.next(start + 1).1;
        let (_, colon_end) = self.next(name_end);
        let (s, mut end) = self.next(colon_end);
        if self.byte(s) == b'[' {
            end = self.balanced(s);
        }
        let (s, e) = self.next(end);
        if self.byte(s) == b'!' {
            end = e;
        }
        let (s, e) = self.next(end);
        if self.byte(s) == b'=' {
            let (v, ve) = self.next(e);
            end = match self.byte(v) {
                b'{' | b'[' => self.balanced(v),
                _ => ve,
            };
        }
        self.past_arguments_and_directives(end)
    }

    /// The operation starting at `start`: the span of its `(…)` of variable definitions.
    pub fn variable_list(&self, start: usize) -> Option<(usize, usize)> {
        let (s, mut end) = self.next(start);
        if self.byte(s) == b'{' {
            return None;
        }
        let (s, e) = self.next(end);
        if self.byte(s) != b'(' && self.byte(s) != b'{' && self.byte(s) != b'@' {
            end = e;
        }
        let (s, _) = self.next(end);
        (self.byte(s) == b'(').then(|| (s, self.balanced(s)))
    }

    /// The offset just past the `{` at or after `start`.
    pub fn after_brace(&self, start: usize) -> usize {
        let (s, e) = self.next(start);
        if self.byte(s) == b'{' {
            e
        } else {
            self.src[start..].find('{').map_or(start, |i| start + i + 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &Text, needle: &str) -> usize {
        text.as_str().find(needle).unwrap()
    }

    #[test]
    fn fields_end_after_their_arguments_directives_and_selections() {
        let src = "{ a: f(x: \"}{\", y: [1, {z: 2}]) @include(if: $b) @skip(if: false) { g # }\n h } next }";
        let t = Text::new(src);
        let start = at(&t, "a:");
        assert_eq!(&src[start..t.field_end(start)], &src[2..src.len() - 7]);
        let plain = Text::new("{ a b }");
        assert_eq!(plain.field_end(2), 3);
        let block = Text::new("{ f(s: \"\"\"a \\\"\"\" } \"\"\") { x } y }");
        assert_eq!(block.field_end(2), block.as_str().len() - 4);
    }

    #[test]
    fn definitions_variables_and_lists() {
        let src = "query Q($a: [Int!]! = [1], $b: String = \"x\" @d(v: 1), $c: Boolean) @o(x: 1) { f }\nfragment F on T @x { g { h } } ";
        let t = Text::new(src);
        let (open, close) = t.variable_list(0).unwrap();
        assert_eq!(
            &src[open..close],
            "($a: [Int!]! = [1], $b: String = \"x\" @d(v: 1), $c: Boolean)"
        );
        let a = at(&t, "$a");
        assert_eq!(&src[a..t.variable_definition_end(a)], "$a: [Int!]! = [1]");
        let b = at(&t, "$b");
        assert_eq!(
            &src[b..t.variable_definition_end(b)],
            "$b: String = \"x\" @d(v: 1)"
        );
        assert_eq!(&src[..t.definition_end(0)], src.lines().next().unwrap());
        let f = at(&t, "fragment");
        assert_eq!(
            &src[f..t.definition_end(f)],
            "fragment F on T @x { g { h } }"
        );
        assert_eq!(Text::new("query { f }").variable_list(0), None);
        assert_eq!(Text::new("{ f }").variable_list(0), None);
        assert_eq!(Text::new("mutation @d { f }").variable_list(0), None);
    }

    #[test]
    fn offsets_and_positions_count_characters_as_the_parser_does() {
        let src = "{\n  a: f(s: \"ü\") g\r\n  h }";
        let t = Text::new(src);
        let doc = async_graphql_parser::parse_query(src).unwrap();
        let op = doc.operations.iter().next().unwrap().1;
        for item in &op.node.selection_set.node.items {
            let off = t.offset(item.pos).unwrap();
            assert_eq!(t.position(off), item.pos);
            assert!(matches!(&src[off..off + 1], "a" | "g" | "h"));
        }
        assert_eq!(t.offset(Pos { line: 9, column: 1 }), None);
    }
}
