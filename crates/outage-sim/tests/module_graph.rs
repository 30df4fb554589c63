//! The simulation crate's modules import each other without a circle: reading the sources of
//! `src/` (the command line apart), every `crate::<module>` path outside test code is an edge
//! from the file's top-level module to the one it names, and that graph has no cycle. (A
//! `super::` path in a submodule names its own top-level module, so it is no edge between
//! them.) A circle would mean two modules that can only be understood, changed and tested
//! together.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level module a source file belongs to (`scenario/read.rs` → `scenario`), or `None`
/// for the crate root and the command line.
fn top_module(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    if first == "bin" || first == "lib.rs" {
        return None;
    }
    Some(first.trim_end_matches(".rs").to_string())
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module names a piece of code reaches through `crate::name`.
fn named_modules(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit())
            .collect();
        // `$crate::` in a macro is the same crate; `crate::Type` (a re-export at the root)
        // starts with a capital and names no module.
        if !name.is_empty() {
            out.insert(name);
        }
        rest = after;
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| top_module(&src, f)).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(module) = top_module(&src, file) else {
            continue;
        };
        let text = std::fs::read_to_string(file).expect("a readable source file");
        // Unit tests may reach anywhere; they are not part of the module's design.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let entry = edges.entry(module.clone()).or_default();
        for target in named_modules(code) {
            if target != module && modules.contains(&target) {
                entry.insert(target);
            }
        }
    }
    edges
}

/// A cycle through `start`, if any (depth-first, in name order so the report is stable).
fn cycle_from(
    edges: &BTreeMap<String, BTreeSet<String>>,
    start: &str,
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    let here = path.last().cloned().unwrap_or_else(|| start.to_string());
    for next in edges.get(&here).into_iter().flatten() {
        if next == start {
            let mut cycle = path.clone();
            cycle.push(start.to_string());
            return Some(cycle);
        }
        if path.contains(next) || next.as_str() < start {
            continue;
        }
        path.push(next.clone());
        if let Some(c) = cycle_from(edges, start, path) {
            return Some(c);
        }
        path.pop();
    }
    None
}

#[test]
fn no_module_imports_itself_through_others() {
    let edges = graph();
    assert!(
        edges.len() >= 15,
        "the reader found the crate's modules: {:?}",
        edges.keys().collect::<Vec<_>>()
    );
    assert!(
        edges["engine"].contains("plan"),
        "the reader finds real imports"
    );
    for start in edges.keys() {
        let mut path = vec![start.clone()];
        if let Some(cycle) = cycle_from(&edges, start, &mut path) {
            panic!("import cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn the_reader_would_see_a_cycle() {
    let mut edges = graph();
    edges
        .entry("time".into())
        .or_default()
        .insert("engine".into());
    let mut path = vec!["engine".to_string()];
    let cycle = cycle_from(&edges, "engine", &mut path).expect("engine → … → time → engine");
    assert_eq!(cycle.first().map(String::as_str), Some("engine"));
    assert_eq!(cycle.last().map(String::as_str), Some("engine"));
}
