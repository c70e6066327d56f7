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
