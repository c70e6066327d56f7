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

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn src() -> PathBuf {
    root().join("src")
}

/// One crate of the workspace: its `src` folder, the module path its files
/// sit under as the `ecrlint` crate sees them, and its package name.
#[derive(Clone, Debug)]
struct Crate {
    name: String,
    src: PathBuf,
    /// `["syntax"]` for a crate the root re-exports under a name (`pub use
    /// ecrlint_syntax as syntax;`); empty for one whose lib.rs declares the
    /// same module names as the root does (`pub mod document;`).
    prefix: Vec<String>,
    /// The workspace crates it depends on (its `path` dependencies).
    depends_on: Vec<String>,
}

/// Every crate of the workspace: the root (`src/`) and `crates/*`.
fn crates() -> Vec<Crate> {
    let manifest = |dir: &Path| std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let name_of = |text: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix("name = \""))
            .map(|n| n.trim_end_matches('"').to_string())
            .unwrap()
    };
    let path_deps = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.contains("path = \"crates/") || l.contains("path = \"../"))
            .filter_map(|l| l.split_whitespace().next().map(str::to_string))
            .collect()
    };
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let mut all = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("crates"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    dirs.sort();
    for dir in dirs {
        let text = manifest(&dir);
        let name = name_of(&text);
        // `pub use ecrlint_syntax as syntax;` in the root's lib.rs.
        let alias = format!("pub use {} as ", name.replace('-', "_"));
        let prefix = lib
            .lines()
            .find_map(|l| l.trim().strip_prefix(alias.as_str()))
            .map(|a| vec![a.trim_end_matches(';').to_string()])
            .unwrap_or_default();
        all.push(Crate {
            name,
            src: dir.join("src"),
            prefix,
            depends_on: path_deps(&text),
        });
    }
    let text = manifest(&root());
    all.push(Crate {
        name: name_of(&text),
        src: src(),
        prefix: Vec::new(),
        depends_on: path_deps(&text),
    });
    all
}

/// Every `.rs` file of every crate, with its crate.
fn sources() -> Vec<(Crate, PathBuf)> {
    crates()
        .into_iter()
        .flat_map(|c| rust_files(&c.src).into_iter().map(move |f| (c.clone(), f)))
        .filter(|(_, f)| f.file_name().is_some_and(|n| n != "main.rs"))
        .collect()
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
    let mut found = Vec::new();
    let front_end = |c: &Crate, f: &Path| module_of(c, f).first().is_some_and(|m| m == "document");
    for (_, file) in sources().into_iter().filter(|(c, f)| !front_end(c, f)) {
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

/// A source file as a module path, as the `ecrlint` crate sees it:
/// `document/build.rs` is `document::build`, `document/mod.rs` is
/// `document`, a crate's `lib.rs` is its root (empty, or its prefix:
/// `crates/syntax/src/json.rs` is `syntax::json`).
fn module_of(c: &Crate, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(&c.src).unwrap();
    let mut parts: Vec<String> = c.prefix.clone();
    parts.extend(rel.iter().map(|p| p.to_string_lossy().into_owned()));
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
    import_graph_of(false)
}

/// The import graph; with `tests`, test code's paths count too (which a
/// crate's own compiler keeps inside its dependencies as well).
fn import_graph_of(tests: bool) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let files = sources();
    let modules: std::collections::BTreeMap<Vec<String>, String> = files
        .iter()
        .map(|(c, f)| (module_of(c, f), module_of(c, f).join("::")))
        .collect();
    let mut graph: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> = Default::default();
    for (c, file) in &files {
        let module = module_of(c, file);
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let mut edges = std::collections::BTreeSet::new();
        let (shipped, test_code) = code.split_once("#[cfg(test)]\nmod tests").unwrap_or((&code, ""));
        // Test code may reach anywhere, unless asked: the shipped code is
        // what is layered. In a file's `mod tests`, `super` is the file.
        let mut found: Vec<(Vec<String>, Vec<String>)> =
            paths_in(shipped).into_iter().map(|p| (module.clone(), p)).collect();
        if tests {
            let inside = [module.clone(), vec!["tests".to_string()]].concat();
            found.extend(paths_in(test_code).into_iter().map(|p| (inside.clone(), p)));
        }
        for (here, path) in found {
            // Where the path starts: the crate root, this module, or its parent.
            let mut rest = path.as_slice();
            let mut absolute: Vec<String> = match rest.first().map(String::as_str) {
                Some("crate") => {
                    rest = &rest[1..];
                    c.prefix.clone()
                }
                Some("self") => {
                    rest = &rest[1..];
                    here.clone()
                }
                Some("super") => {
                    // `super` of `a/b.rs` (`a::b`) and of `a/b/mod.rs` (`a::b`) is `a`.
                    let mut parent = here.clone();
                    while rest.first().map(String::as_str) == Some("super") {
                        parent.pop();
                        rest = &rest[1..];
                    }
                    parent
                }
                _ => continue,
            };
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
        // A crate's root (its lib.rs) declares and re-exports: it is one
        // unit with the root of every other crate.
        graph.entry(module.join("::")).or_default().extend(edges);
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
/// (`syntax → document → model → {schema, rules} → engine → {batch, server, cli}`)
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

/// The layers (`syntax → document → model → {schema, rules} → engine →
/// {batch, server, cli}`) as top-level modules: no circle at all between them, so
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

/// A crate's files, tests included, name only its own modules and those of
/// the crates it depends on: the layers below it. (The compiler refuses
/// anything else; this says which layer a name belongs to, and that every
/// crate was read.)
#[test]
fn a_crate_names_only_its_own_and_lower_crates_modules() {
    use std::collections::{BTreeMap, BTreeSet};
    let crates = crates();
    let files = sources();
    // Each top-level module's crate.
    let owner: BTreeMap<String, String> = files
        .iter()
        .filter_map(|(c, f)| module_of(c, f).first().map(|m| (m.clone(), c.name.clone())))
        .collect();
    let owners: BTreeSet<&String> = owner.values().collect();
    assert_eq!(owners.len(), crates.len(), "a crate's sources were not found");
    // A crate and every crate below it.
    let below = |name: &str| {
        let mut seen = BTreeSet::from([name.to_string()]);
        let mut todo = vec![name.to_string()];
        while let Some(n) = todo.pop() {
            for d in crates.iter().filter(|c| c.name == n).flat_map(|c| &c.depends_on) {
                if seen.insert(d.clone()) {
                    todo.push(d.clone());
                }
            }
        }
        seen
    };
    let graph = import_graph_of(true);
    let mut found = Vec::new();
    for (c, file) in &files {
        let here = module_of(c, file).join("::");
        let allowed = below(&c.name);
        for target in graph.get(&here).into_iter().flatten() {
            let top = target.split("::").next().unwrap_or_default();
            if owner.get(top).is_some_and(|o| !allowed.contains(o)) {
                found.push(format!("{} ({}) → {target} ({})", file.display(), c.name, owner[top]));
            }
        }
    }
    assert!(found.is_empty(), "a crate names a higher crate:\n{}", found.join("\n"));
}

/// The crates stand in the layers' order (`syntax → document → model →
/// checks → engine → ecrlint`): each depends on every crate below it and
/// on none above, so the model is built under the checks, from documents.
#[test]
fn the_crates_stand_in_the_layers_order() {
    let order = [
        "ecrlint-syntax",
        "ecrlint-document",
        "ecrlint-model",
        "ecrlint-checks",
        "ecrlint-engine",
        "ecrlint",
    ];
    let crates = crates();
    let mut names: Vec<&str> = crates.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    let mut layers = order.to_vec();
    layers.sort_unstable();
    assert_eq!(names, layers, "a crate is not in the layers' order");
    for (i, name) in order.iter().enumerate() {
        let krate = crates.iter().find(|c| c.name == *name).unwrap();
        let mut depends_on: Vec<&str> = krate.depends_on.iter().map(String::as_str).collect();
        depends_on.sort_unstable();
        let mut below = order[..i].to_vec();
        below.sort_unstable();
        assert_eq!(depends_on, below, "{name} depends on other crates than those below it");
    }
}

/// The files whose code (comments and strings left out) names `word`, as
/// a path segment (`a::word`, `word::b`) or a module (`mod word;`).
fn files_naming(word: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (_, file) in sources() {
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        let names = code.lines().any(|line| {
            let words: Vec<&str> = line.split(|c: char| !(c == '_' || c.is_ascii_alphanumeric())).collect();
            let path = [format!("::{word}"), format!("{word}::"), format!("mod {word};")];
            words.contains(&word) && path.iter().any(|p| line.contains(p.as_str()))
        });
        if names {
            let shown = file.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/");
            found.push(shown);
        }
    }
    found.sort();
    found
}

/// A resource kind is its module in `model/`, its schema, its rules and its
/// line in the kind table: the runner and the schema ask the table
/// (`KINDS` in `model/mod.rs`), and a rule names the kinds it reads in `rule_meta!`
/// (`resources: [replication]`). The test-only kind (the `test-kind`
/// feature, linted through the engine by `crates/engine/tests/test_kind.rs`)
/// is named by nothing else: adding it edited no other code.
#[test]
fn a_resource_kind_is_its_module_its_rules_and_a_line_in_the_kind_table() {
    let model = root().join("crates/model/src/model");
    let mut kinds: Vec<String> = rust_files(&model)
        .into_iter()
        .filter(|f| std::fs::read_to_string(f).unwrap().contains("\npub static KIND: "))
        .map(|f| f.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        ["creation_template", "policy", "replication", "repository", "test_kind"]
    );
    let table = std::fs::read_to_string(model.join("mod.rs")).unwrap();
    let mut wrong = Vec::new();
    for kind in &kinds {
        assert!(table.contains(&format!("    &{kind}::KIND,\n")), "{kind} is in KINDS");
        // Its `KIND` is named by the table alone (rule_meta! writes the path).
        let path = format!("{kind}::KIND");
        for (_, file) in sources() {
            let code = code_of(&std::fs::read_to_string(&file).unwrap());
            if code.contains(&path) && !file.ends_with("model/mod.rs") {
                wrong.push(format!("{} names {path}", file.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "only the kind table names a kind:\n{}",
        wrong.join("\n")
    );
    // The test kind's module is named by the model's module list and kind
    // table, and by its rule; its rule by the rule table.
    assert_eq!(
        files_naming("test_kind"),
        [
            "crates/checks/src/rules/test_widget.rs",
            "crates/model/src/model/mod.rs"
        ]
    );
    assert_eq!(files_naming("test_widget"), ["crates/checks/src/rules/mod.rs"]);
    // Neither the runner nor the schema names a kind of its own.
    for (c, file) in sources() {
        let runner = c.name == "ecrlint-engine" || module_of(&c, &file).starts_with(&["schema".to_string()]);
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        for kind in kinds.iter().filter(|_| runner) {
            if code.contains(&format!("model::{kind}")) {
                wrong.push(format!("{} names the kind {kind}", file.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
