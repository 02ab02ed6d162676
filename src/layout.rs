//! A check of the crate's layout, run as a unit test: no module imports one that imports it
//! back, however long the loop. Imports are read from the source (`crate::`, `super::` and
//! `self::` paths outside comments and tests), each resolved to the file of the module it
//! names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a source file (`http/mod.rs` is `http`, `lib.rs` the crate root).
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
        parts.clear();
    }
    parts
}

/// The modules each module imports, by module path.
pub fn imports(src: &Path) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let mut list = Vec::new();
    files(src, &mut list);
    let modules: BTreeSet<Vec<String>> = list.iter().map(|f| module_of(src, f)).collect();
    let comment = regex::Regex::new(r"//[^\n]*").ok();
    let path =
        regex::Regex::new(r"\b((?:crate|super|self)(?:::(?:super|[A-Za-z_][A-Za-z0-9_]*))+)").ok();
    let mut graph = BTreeMap::new();
    for file in &list {
        let here = module_of(src, file);
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        let text = comment
            .as_ref()
            .map_or_else(|| text.to_owned(), |c| c.replace_all(text, "").into_owned());
        let mut to = BTreeSet::new();
        for m in path.iter().flat_map(|p| p.find_iter(&text)) {
            let segments: Vec<&str> = m.as_str().split("::").collect();
            let (mut base, rest) = match segments[0] {
                "crate" => (Vec::new(), &segments[1..]),
                "self" => (here.clone(), &segments[1..]),
                _ => (here.clone(), &segments[..]),
            };
            let mut rest = rest.iter().peekable();
            while rest.peek().is_some_and(|s| **s == "super") {
                base.pop();
                rest.next();
            }
            // The longest prefix that is a module of its own file.
            let mut found = modules.contains(&base).then(|| base.clone());
            for seg in rest {
                base.push((*seg).to_owned());
                if modules.contains(&base) {
                    found = Some(base.clone());
                } else {
                    break;
                }
            }
            // A module's own parents (and the crate root) are where it is declared, not imports.
            if let Some(target) = found
                && target != here
                && !here.starts_with(&target)
            {
                to.insert(target);
            }
        }
        graph.insert(here, to);
    }
    graph
}

/// The loops of `graph`: its strongly connected parts of more than one module (Tarjan's).
pub fn loops(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on: BTreeSet<&'a Vec<String>>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Vec<String>) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on.insert(v);
        let graph = s.graph;
        for w in graph.get(v).into_iter().flatten() {
            let Some((w, _)) = graph.get_key_value(w) else {
                continue;
            };
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(lw));
            } else if s.on.contains(w) {
                let iw = s.index[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(iw));
            }
        }
        if s.low[v] == s.index[v] {
            let mut part = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                part.push(w.join("::"));
                if w == v {
                    break;
                }
            }
            if part.len() > 1 {
                part.sort();
                s.out.push(part);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_module_imports_one_that_imports_it_back() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let graph = imports(&src);
        // The check reads real imports: the GraphQL root imports the read layer.
        assert!(
            graph
                .get(&vec!["graphql".to_owned(), "query".to_owned()])
                .is_some_and(|to| to.iter().any(|t| t.first().is_some_and(|f| f == "read"))),
            "{graph:?}"
        );
        assert_eq!(loops(&graph), Vec::<Vec<String>>::new());
    }

    #[test]
    fn a_loop_is_found() {
        let m = |s: &str| s.split("::").map(str::to_owned).collect::<Vec<_>>();
        let graph = BTreeMap::from([
            (m("a"), BTreeSet::from([m("b")])),
            (m("b"), BTreeSet::from([m("c")])),
            (m("c"), BTreeSet::from([m("a")])),
            (m("d"), BTreeSet::from([m("a")])),
        ]);
        assert_eq!(loops(&graph), vec![vec!["a", "b", "c"]]);
    }
}
