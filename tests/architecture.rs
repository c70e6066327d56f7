//! The layering rules, checked on the source text: what the compiler cannot
//! see inside one crate.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Rules, schema messages and the engine ask a dialect's capabilities,
/// never which dialect it is: the dialects are named only where the front
/// ends build documents.
#[test]
fn only_the_front_ends_name_a_dialect() {
    let names = [
        "API",
        "CLOUDFORMATION",
        "TERRAFORM",
        "TERRAFORM_MODULE",
        "TERRAFORM_PLAN",
    ];
    let front_ends = src().join("document");
    let mut found = Vec::new();
    for file in rust_files(&src()).into_iter().filter(|f| !f.starts_with(&front_ends)) {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            // `dialect::API`, or `API` on a line that imports from the module.
            let words: Vec<&str> = line.split(|c: char| !(c == '_' || c.is_ascii_alphanumeric())).collect();
            let names_one = line.contains("dialect::") && names.iter().any(|name| words.contains(name));
            if names_one {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "ask the dialect's capabilities instead:\n{}",
        found.join("\n")
    );
}

/// A source file as a module path: `src/document/build.rs` is
/// `document::build`, `src/document/mod.rs` is `document`, `src/lib.rs` is
/// the crate root (empty).
fn module_of(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).unwrap();
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

/// The code of a file without its comments (doc links are not imports)
/// and without the text of its string literals.
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                // A string literal (raw strings hold no `"` before their end
                // in this tree's paths of interest, so a plain scan will do).
                let mut escaped = false;
                for c in chars.by_ref() {
                    match c {
                        '\\' if !escaped => escaped = true,
                        '"' if !escaped => break,
                        _ => escaped = false,
                    }
                }
                out.push_str("\"\"");
            }
            '\'' => {
                // A char literal ('"'), or a lifetime: copy a lifetime as is.
                let rest: String = chars.clone().take(3).collect();
                if rest.starts_with('\\') || rest.chars().nth(1) == Some('\'') {
                    for c in chars.by_ref() {
                        if c == '\'' {
                            break;
                        }
                    }
                    out.push_str("' '");
                } else {
                    out.push('\'');
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Every path a file names: `a::b::c` sequences, with `use` groups
/// (`use crate::x::{a, b::c}`) spelt out, as segment lists.
fn paths_in(code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let is_ident = |c: char| c == '_' || c.is_ascii_alphanumeric();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    // Reads `seg(::seg)*` from `i`, expanding one `{…}` group recursively.
    fn read(chars: &[char], mut i: usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
        let is_ident = |c: char| c == '_' || c.is_ascii_alphanumeric();
        let mut path = prefix;
        loop {
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            if i < chars.len() && chars[i] == '{' {
                i += 1;
                loop {
                    i = read(chars, i, path.clone(), out);
                    while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
                        i += 1;
                    }
                    if i >= chars.len() || chars[i] == '}' {
                        return i + 1;
                    }
                }
            }
            let start = i;
            while i < chars.len() && is_ident(chars[i]) {
                i += 1;
            }
            if start == i {
                break;
            }
            path.push(chars[start..i].iter().collect());
            if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
                i += 2;
            } else {
                break;
            }
        }
        out.push(path);
        i
    }
    while i < bytes.len() {
        let starts_word = i == 0 || !(is_ident(bytes[i - 1]) || bytes[i - 1] == ':');
        let word: String = bytes[i..].iter().take_while(|c| is_ident(**c)).collect();
        if starts_word && matches!(word.as_str(), "crate" | "super" | "self") && bytes.get(i + word.len()) == Some(&':')
        {
            i = read(&bytes, i, Vec::new(), &mut paths);
        } else {
            i += word.len().max(1);
        }
    }
    paths
}

/// The module files' import graph: file → files it names through `crate::`,
/// `super::` and `self::` paths (module = file). A path names the deepest
/// module file it passes through.
fn import_graph() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let files: Vec<PathBuf> = rust_files(&src())
        .into_iter()
        .filter(|f| f.file_name().is_some_and(|n| n != "main.rs"))
        .collect();
    let modules: std::collections::BTreeMap<Vec<String>, String> =
        files.iter().map(|f| (module_of(f), module_of(f).join("::"))).collect();
    let mut graph = std::collections::BTreeMap::new();
    for file in &files {
        let here = module_of(file);
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let mut edges = std::collections::BTreeSet::new();
        // Test code may reach anywhere: only the shipped code is layered.
        let shipped = code.split("#[cfg(test)]\nmod tests").next().unwrap_or_default();
        for path in paths_in(shipped) {
            // Where the path starts: the crate root, this module, or its parent.
            let mut absolute: Vec<String> = Vec::new();
            let mut rest = path.as_slice();
            match rest.first().map(String::as_str) {
                Some("crate") => rest = &rest[1..],
                Some("self") => {
                    absolute = here.clone();
                    rest = &rest[1..];
                }
                Some("super") => {
                    // `super` of `a/b.rs` (`a::b`) and of `a/b/mod.rs` (`a::b`) is `a`.
                    absolute = here.clone();
                    while rest.first().map(String::as_str) == Some("super") {
                        absolute.pop();
                        rest = &rest[1..];
                    }
                }
                _ => continue,
            }
            absolute.extend(rest.iter().cloned());
            // The deepest module file the path passes through.
            let target = (0..=absolute.len())
                .rev()
                .find_map(|n| modules.get(&absolute[..n]))
                .cloned();
            if let Some(target) = target {
                let me = here.join("::");
                // A module and the files that contain it (its ancestors, which
                // declare and re-export it) are one unit: the layers are
                // between modules, not inside one.
                let ancestor = |a: &str, b: &str| a.is_empty() || b.starts_with(&format!("{a}::")) || a == b;
                if !ancestor(&target, &me) && !ancestor(&me, &target) {
                    edges.insert(target);
                }
            }
        }
        graph.insert(here.join("::"), edges);
    }
    graph
}

/// Every circle of the graph, each as its strongly connected component.
fn circles(graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>) -> Vec<Vec<String>> {
    // Tarjan's algorithm, iteratively enough for a few hundred files.
    struct State<'g> {
        graph: &'g std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        index: std::collections::HashMap<&'g str, usize>,
        low: std::collections::HashMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: std::collections::HashSet<&'g str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.graph.contains_key(w) {
                continue;
            }
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
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut s = State {
        graph,
        index: Default::default(),
        low: Default::default(),
        stack: Vec::new(),
        on_stack: Default::default(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.found.sort();
    s.found
}

/// The circles of `graph`, each with the edges that make it, for messages.
fn describe(
    graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    circle: &[String],
) -> String {
    let edges: Vec<String> = circle
        .iter()
        .flat_map(|m| {
            graph[m]
                .iter()
                .filter(|t| circle.contains(t))
                .map(move |t| format!("{m} → {t}"))
        })
        .collect();
    format!("{}\n    {}", circle.join(", "), edges.join("\n    "))
}

/// No file reaches itself through the files it imports: the layers
/// (`syntax → document → {schema, rules} → engine → {batch, server, cli}`)
/// and, inside each, the modules are a tree of dependencies.
#[test]
fn the_module_graph_has_no_circle() {
    let graph = import_graph();
    assert!(graph.len() > 50, "the source files were not found");
    let found: Vec<String> = circles(&graph).iter().map(|c| describe(&graph, c)).collect();
    assert!(
        found.is_empty(),
        "import circles (module = file):\n{}",
        found.join("\n")
    );
}

/// The circle finder finds a circle, and only that.
#[test]
fn circles_are_found() {
    let graph: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"]), ("d", vec!["a"])]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.into_iter().map(str::to_string).collect()))
            .collect();
    assert_eq!(circles(&graph), [["a", "b", "c"]]);
    let code = code_of("use crate::x::{a, b::{c, d}};\n// crate::y::z\nlet s = \"crate::q::r\"; super::w::f();");
    let mut paths: Vec<String> = paths_in(&code).iter().map(|p| p.join("::")).collect();
    paths.sort();
    assert_eq!(
        paths,
        ["crate::x::a", "crate::x::b::c", "crate::x::b::d", "super::w::f"]
    );
}

/// The graph of top-level modules (`document`, `rules`, `fix`...): the
/// future crates of the workspace split.
fn top_level_graph() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let top = |m: &str| m.split("::").next().unwrap_or_default().to_string();
    let mut graph: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> = Default::default();
    for (from, targets) in import_graph() {
        let entry = graph.entry(top(&from)).or_default();
        entry.extend(
            targets
                .iter()
                .map(|t| top(t))
                .filter(|t| *t != top(&from) && !t.is_empty()),
        );
    }
    graph.remove("");
    graph
}

/// The layers (`syntax → document → {schema, rules} → engine → {batch,
/// server, cli}`) as top-level modules: no circle at all between them, so
/// that they can become the crates of a workspace.
#[test]
fn the_top_level_modules_have_no_circle() {
    let graph = top_level_graph();
    assert!(
        graph.contains_key("server") && graph.contains_key("cli"),
        "the modules were not found"
    );
    let found: Vec<String> = circles(&graph).iter().map(|c| describe(&graph, c)).collect();
    assert!(
        found.is_empty(),
        "import circles between top-level modules:\n{}",
        found.join("\n")
    );
}
