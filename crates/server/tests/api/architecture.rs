//! The shape of the code, held by a test (issue 16, `docs/ARCHITECTURE.md`): the server's
//! layers import only downwards and surfaces never import each other; no import cycles among
//! its files; no file over 400 lines and no function over 60 lines outside tests in the
//! server, the policy and the store (or a one-line reason at the top of the file).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 400;
const MAX_FN_LINES: usize = 60;
/// A file that must be longer says why in one of its first lines.
const LONG_FILE_REASON: &str = "// Longer than 400 lines:";

/// The server's top-level modules by layer, lowest first. A module may import its own layer's
/// foundation peers and any lower layer; the surfaces never import one another.
const LAYERS: [(&str, &[&str]); 5] = [
    ("foundation", &["config", "logs", "metrics"]),
    ("domain", &["service"]),
    ("http plumbing", &["http"]),
    (
        "surfaces",
        &[
            "ops",
            "management",
            "payments",
            "graphql",
            "storefront",
            "dev",
        ],
    ),
    ("assembly", &["app", "cli", "lib", "main"]),
];

fn crate_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name)
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The source with comments, string and character literals blanked (newlines kept), so that
/// braces and paths are only those of the code.
fn code_only(src: &str) -> String {
    let b: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            while i < b.len() && !(b[i] == '*' && b.get(i + 1) == Some(&'/')) {
                out.push(blank(b[i]));
                i += 1;
            }
            out.push_str("  ");
            i += 2;
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !ident_char(b.get(i.wrapping_sub(1)))
        {
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == '"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.extend(b[i..j.min(b.len())].iter().map(|c| blank(*c)));
            i = j;
        } else if c == '"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != '"' {
                j += if b[j] == '\\' { 2 } else { 1 };
            }
            out.extend(b[i..(j + 1).min(b.len())].iter().map(|c| blank(*c)));
            i = j + 1;
        } else if c == '\'' && is_char_literal(&b, i) {
            let mut j = i + 1;
            while j < b.len() && b[j] != '\'' {
                j += if b[j] == '\\' { 2 } else { 1 };
            }
            out.extend(b[i..(j + 1).min(b.len())].iter().map(|c| blank(*c)));
            i = j + 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_char(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

/// `'x'`, `'\n'`, `'\u{1}'`, as opposed to a lifetime `'a`.
fn is_char_literal(b: &[char], i: usize) -> bool {
    matches!(
        (b.get(i + 1), b.get(i + 2)),
        (Some('\\'), _) | (Some(_), Some('\''))
    )
}

/// Line ranges (0-based, inclusive) of `#[cfg(test)]` items: test code is not held to size.
fn test_ranges(code: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, line) in code.iter().enumerate() {
        if line.trim() == "#[cfg(test)]" {
            if let Some(end) = block_end(code, i + 1) {
                out.push((i, end));
            }
        }
    }
    out
}

/// The line where the block opened at or after `start` closes (`None` for `mod x;`).
fn block_end(code: &[&str], start: usize) -> Option<usize> {
    let mut depth = 0i64;
    let mut opened = false;
    for (i, line) in code.iter().enumerate().skip(start) {
        for c in line.chars() {
            match c {
                '{' => {
                    depth += 1;
                    opened = true;
                }
                '}' => depth -= 1,
                ';' if !opened && depth == 0 => return None,
                _ => {}
            }
        }
        if opened && depth == 0 {
            return Some(i);
        }
    }
    None
}

fn is_fn_start(line: &str) -> Option<String> {
    let t = line.trim_start();
    let t = t.strip_prefix("pub ").or_else(|| {
        t.strip_prefix("pub(")
            .and_then(|r| r.split_once(") ").map(|x| x.1))
    });
    let t = t.unwrap_or(line.trim_start());
    let t = t.strip_prefix("const ").unwrap_or(t);
    let t = t.strip_prefix("async ").unwrap_or(t);
    let t = t.strip_prefix("unsafe ").unwrap_or(t);
    let name = t.strip_prefix("fn ")?;
    Some(name.split(['(', '<']).next().unwrap_or("").to_string())
}

#[test]
fn no_file_or_function_is_too_long() {
    let mut problems = Vec::new();
    for krate in ["server/src", "core/src", "store/src"] {
        for path in rust_files(&crate_dir(krate)) {
            let src = std::fs::read_to_string(&path).expect("read");
            let shown = path.display().to_string();
            // Tests are not held to these sizes.
            if path.file_name().is_some_and(|n| n == "tests.rs") {
                continue;
            }
            let lines = src.lines().count();
            let reason = src.lines().take(5).any(|l| l.starts_with(LONG_FILE_REASON));
            if lines > MAX_FILE_LINES && !reason {
                problems.push(format!("{shown}: {lines} lines (at most {MAX_FILE_LINES})"));
            }
            let code = code_only(&src);
            let code: Vec<&str> = code.lines().collect();
            let tests = test_ranges(&code);
            for (i, line) in code.iter().enumerate() {
                if tests.iter().any(|(a, b)| (*a..=*b).contains(&i)) {
                    continue;
                }
                let Some(name) = is_fn_start(line) else {
                    continue;
                };
                if let Some(end) = block_end(&code, i) {
                    let len = end - i + 1;
                    if len > MAX_FN_LINES {
                        problems.push(format!(
                            "{shown}:{}: fn {name} is {len} lines (at most {MAX_FN_LINES})",
                            i + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "too long:\n{}", problems.join("\n"));
}

/// A server source file's module path (`service/caches/tokens.rs` is
/// `["service", "caches", "tokens"]`, `service/mod.rs` is `["service"]`).
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// Every module path a file names: `crate::…`, `super::…` and `self::…` paths in `use`
/// statements (brace groups expanded) and in code.
fn named_paths(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let flat: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = Vec::new();
    for stmt in flat.split(';') {
        if let Some(rest) = stmt
            .trim()
            .strip_prefix("pub use ")
            .or_else(|| stmt.trim().strip_prefix("use "))
        {
            expand(rest.replace(' ', "").as_str(), &mut Vec::new(), &mut out);
        }
    }
    let chars: Vec<char> = flat.chars().collect();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(pos) = flat[from..].find(start) {
            let at = from + pos;
            from = at + start.len();
            if ident_char(at.checked_sub(1).and_then(|p| chars.get(p))) {
                continue;
            }
            let path: String = flat[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            out.push(
                path.split("::")
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
            );
        }
    }
    out.into_iter()
        .filter_map(|p| absolute(&p, module))
        .collect()
}

fn expand(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    if let Some(open) = tree.find('{') {
        let head: Vec<String> = tree[..open]
            .split("::")
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let mut depth = 0;
        let mut part = String::new();
        let n = prefix.len();
        prefix.extend(head);
        for c in inner.chars().chain([',']) {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    if !part.is_empty() {
                        expand(&part, prefix, out);
                    }
                    part.clear();
                    continue;
                }
                _ => {}
            }
            part.push(c);
        }
        prefix.truncate(n);
    } else {
        let mut path = prefix.clone();
        let name = tree.split(" as ").next().unwrap_or(tree);
        path.extend(
            name.split("::")
                .filter(|s| !s.is_empty() && *s != "*")
                .map(String::from),
        );
        out.push(path);
    }
}

/// A path as a crate path, or `None` for paths into other crates.
fn absolute(path: &[String], module: &[String]) -> Option<Vec<String>> {
    let first = path.first()?;
    // A file's own module: `service/carts.rs` is in `service::carts`; its `super` is `service`.
    let own: Vec<String> = module.to_vec();
    match first.as_str() {
        "crate" => Some(path[1..].to_vec()),
        "self" => Some(own.iter().chain(&path[1..]).cloned().collect()),
        "super" => {
            let mut base = own;
            let mut rest = path;
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
            Some(base.into_iter().chain(rest.iter().cloned()).collect())
        }
        _ => None,
    }
}

/// The file a crate path lands in: the longest prefix that is a file.
fn file_of(path: &[String], files: &BTreeMap<Vec<String>, String>) -> Option<String> {
    (1..=path.len())
        .rev()
        .find_map(|n| files.get(&path[..n].to_vec()).cloned())
}

fn layer_of(top: &str) -> Option<(usize, &'static str)> {
    LAYERS
        .iter()
        .enumerate()
        .find(|(_, (_, mods))| mods.contains(&top))
        .map(|(i, (name, _))| (i, *name))
}

/// The server's files and the files each imports.
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = crate_dir("server/src");
    let paths = rust_files(&src);
    let mut files = BTreeMap::new();
    for p in &paths {
        let rel = p.strip_prefix(&src).expect("rel");
        files.insert(module_of(rel), rel.display().to_string());
    }
    let mut graph = BTreeMap::new();
    for p in &paths {
        let rel = p.strip_prefix(&src).expect("rel");
        let module = module_of(rel);
        let code = without_tests(&code_only(&std::fs::read_to_string(p).expect("read")));
        let mut to = BTreeSet::new();
        for path in named_paths(&code, &module) {
            if let Some(f) = file_of(&path, &files) {
                to.insert(f);
            }
        }
        let me = rel.display().to_string();
        to.remove(&me);
        graph.insert(me, to);
    }
    graph
}

/// The code with its `#[cfg(test)]` items blanked: tests may reach anywhere.
fn without_tests(code: &str) -> String {
    let lines: Vec<&str> = code.lines().collect();
    let tests = test_ranges(&lines);
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if tests.iter().any(|(a, b)| (*a..=*b).contains(&i)) {
                ""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn top_of(file: &str) -> &str {
    file.split(['/', '.']).next().unwrap_or(file)
}

#[test]
fn layers_import_only_downwards_and_surfaces_not_each_other() {
    let mut problems = Vec::new();
    for (from, tos) in import_graph() {
        let Some((from_layer, from_name)) = layer_of(top_of(&from)) else {
            problems.push(format!("{from}: its module has no layer in this test"));
            continue;
        };
        for to in tos {
            let (a, b) = (top_of(&from), top_of(&to));
            let Some((to_layer, to_name)) = layer_of(b) else {
                continue;
            };
            let surfaces = from_name == "surfaces" && to_name == "surfaces" && a != b;
            if to_layer > from_layer || surfaces {
                problems.push(format!("{from} ({from_name}) imports {to} ({to_name})"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "imports against the layers:\n{}",
        problems.join("\n")
    );
}

/// A submodule is part of its parent: a file naming an item of its own ancestor's `mod.rs`
/// (its module's handle, a re-export) is not an edge. Every other import is.
fn is_ancestor(from: &str, to: &str) -> bool {
    to.strip_suffix("mod.rs")
        .is_some_and(|dir| from.starts_with(dir) && from != to)
}

#[test]
fn no_import_cycles() {
    let graph: BTreeMap<String, Vec<String>> = import_graph()
        .into_iter()
        .map(|(from, tos)| {
            let tos = tos
                .into_iter()
                .filter(|to| !is_ancestor(&from, to))
                .collect();
            (from, tos)
        })
        .collect();
    let cycles = strongly_connected(&graph);
    let described: Vec<String> = cycles
        .iter()
        .map(|c| {
            let edges: Vec<String> = c
                .iter()
                .flat_map(|f| {
                    graph[f]
                        .iter()
                        .filter(|t| c.contains(t))
                        .map(move |t| format!("  {f} -> {t}"))
                })
                .collect();
            edges.join("\n")
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "import cycles:\n{}",
        described.join("\n\n")
    );
}

/// Tarjan's algorithm: the strongly connected components of more than one file.
fn strongly_connected(graph: &BTreeMap<String, Vec<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, Vec<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

#[test]
fn the_checks_see_what_they_check() {
    // A cycle is found; a long function is measured as long.
    let graph: BTreeMap<String, Vec<String>> = [
        ("a.rs".to_string(), vec!["b.rs".to_string()]),
        ("b.rs".to_string(), vec!["a.rs".to_string()]),
        ("c.rs".to_string(), vec!["a.rs".to_string()]),
    ]
    .into();
    assert_eq!(strongly_connected(&graph).len(), 1);
    let src = "fn f() {\n    let s = \"}\";\n    let c = '{';\n    // }\n}\n";
    let code = code_only(src);
    let lines: Vec<&str> = code.lines().collect();
    assert_eq!(block_end(&lines, 0), Some(4));
    assert_eq!(
        is_fn_start("    pub(crate) async fn go<T>(x: T) {").as_deref(),
        Some("go")
    );
    let module = vec!["service".to_string(), "carts".to_string()];
    let paths = named_paths(
        &code_only("use super::{caches::tokens::X, Domain};\nuse crate::http::error::ApiError;"),
        &module,
    );
    assert!(paths.contains(&vec![
        "service".into(),
        "caches".into(),
        "tokens".into(),
        "X".into()
    ]));
    assert!(paths.contains(&vec!["http".into(), "error".into(), "ApiError".into()]));
}
