//! The docs book (mdBook, `book.toml`, pages in `docs/`): every rule page is
//! in it, from its one source in `rules/`; every page is reachable from
//! `docs/SUMMARY.md`; the links of README.md resolve; and, with mdbook
//! installed, every internal link and anchor of the rendered HTML resolves
//! and the pages render in headless Chromium. The rendered book goes to
//! `target/book`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The file names in `rules/` (`ECR001-invalid-json.md`, ...).
fn rule_pages() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("rules"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    names
}

/// The targets of the Markdown links `[text](target)` of `markdown`, outside code.
fn markdown_links(markdown: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut in_fence = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            links.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    links
}

#[test]
fn every_rule_page_is_in_the_book_from_its_one_source() {
    let summary = common::doc_page("SUMMARY.md");
    let rules = rule_pages();
    assert_eq!(rules.len(), ecrlint::rules::RULES.len(), "one page in rules/ per rule");
    for name in &rules {
        assert!(
            summary.contains(&format!("](rules/{name})")),
            "docs/SUMMARY.md does not list rules/{name}"
        );
        // The book's page is only the inclusion of rules/<name>: one source, no copy.
        let stub = std::fs::read_to_string(root().join("docs/rules").join(name))
            .unwrap_or_else(|e| panic!("docs/rules/{name}: {e}"));
        assert_eq!(
            stub,
            format!("{{{{#include ../../rules/{name}}}}}\n"),
            "docs/rules/{name}"
        );
    }
    let stubs: BTreeSet<String> = std::fs::read_dir(root().join("docs/rules"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let sources: BTreeSet<String> = rules.into_iter().collect();
    assert_eq!(
        stubs, sources,
        "docs/rules/ holds a page for each file of rules/ and nothing else"
    );
}

#[test]
fn every_page_of_docs_is_in_the_summary_and_every_entry_exists() {
    let summary = common::doc_page("SUMMARY.md");
    let listed: BTreeSet<String> = markdown_links(&summary).into_iter().collect();
    for entry in &listed {
        assert!(
            root().join("docs").join(entry).is_file(),
            "docs/SUMMARY.md lists {entry}, which is missing"
        );
    }
    for (page, _) in common::doc_pages() {
        let Some(in_book) = page.strip_prefix("docs/") else {
            continue;
        };
        if in_book != "SUMMARY.md" {
            assert!(listed.contains(in_book), "docs/SUMMARY.md does not list {page}");
        }
    }
}

#[test]
fn the_readmes_links_to_files_of_the_repository_resolve() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let local: Vec<String> = markdown_links(&readme)
        .into_iter()
        .filter(|l| !l.contains("://") && !l.starts_with('#'))
        .collect();
    assert!(
        local.iter().any(|l| l.starts_with("docs/")),
        "README.md links into the book"
    );
    for link in local {
        let path = link.split('#').next().unwrap();
        assert!(
            root().join(path).exists(),
            "README.md links to {link}, which is missing"
        );
    }
}

/// Builds the book once per test run with `mdbook build` into `target/book`.
fn book() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        common::needs_command(
            "mdbook",
            "cargo install mdbook --locked --no-default-features --features search",
        );
        let out = Command::new("mdbook")
            .arg("build")
            .current_dir(root())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "mdbook build:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("WARN") && !stderr.contains("ERROR"),
            "mdbook build warns:\n{stderr}"
        );
        root().join("target/book")
    })
}

/// The `.html` files under `dir`, relative to it.
fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                files.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    files
}

/// The values of the attribute `name` (`href`, `src`, `id`) in `html`, decoded.
fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let mut values = Vec::new();
    for quote in ['"', '\''] {
        let needle = format!(" {name}={quote}");
        let mut rest = html;
        while let Some(at) = rest.find(&needle) {
            let after = &rest[at + needle.len()..];
            let end = after.find(quote).unwrap_or(after.len());
            values.push(decode(&after[..end]));
            rest = &after[end..];
        }
    }
    values
}

/// HTML character references and percent-escapes of a URL or id, decoded.
fn decode(value: &str) -> String {
    let value = value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `link` (relative to the page `from`) as a path under the book, or None when it leaves the book.
fn resolve(from: &Path, link: &str) -> Option<PathBuf> {
    let mut path = PathBuf::new();
    let joined = if link.is_empty() {
        from.to_path_buf()
    } else {
        from.parent().unwrap().join(link)
    };
    for component in joined.components() {
        match component {
            Component::ParentDir if !path.pop() => return None,
            Component::Normal(part) => path.push(part),
            _ => {}
        }
    }
    Some(path)
}

#[test]
#[ignore = "needs mdbook (cargo install mdbook): .ci/run installs it and runs this"]
fn every_internal_link_and_anchor_of_the_rendered_book_resolves() {
    let book = book();
    let pages = html_files(book);
    assert!(
        pages.len() > ecrlint::rules::RULES.len(),
        "the book has the rule pages and more: {pages:?}"
    );
    let ids: BTreeMap<&PathBuf, BTreeSet<String>> = pages
        .iter()
        .map(|page| {
            let html = std::fs::read_to_string(book.join(page)).unwrap();
            let mut ids: BTreeSet<String> = attribute_values(&html, "id").into_iter().collect();
            ids.extend(attribute_values(&html, "name"));
            (page, ids)
        })
        .collect();
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in &pages {
        let html = std::fs::read_to_string(book.join(page)).unwrap();
        let mut links = attribute_values(&html, "href");
        links.extend(attribute_values(&html, "src"));
        for link in links {
            let external = link.contains("://") || link.starts_with("//") || link.starts_with("mailto:");
            if external || link.starts_with("javascript:") || link.starts_with("data:") {
                continue;
            }
            checked += 1;
            let (file, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let file = file.split('?').next().unwrap();
            let Some(mut target) = resolve(page, file) else {
                broken.push(format!("{}: {link} leaves the book", page.display()));
                continue;
            };
            if book.join(&target).is_dir() {
                target.push("index.html");
            }
            if !book.join(&target).is_file() {
                broken.push(format!("{}: {link}: no file {}", page.display(), target.display()));
            } else if !anchor.is_empty() && ids.get(&target).is_some_and(|ids| !ids.contains(anchor)) {
                broken.push(format!(
                    "{}: {link}: no anchor #{anchor} in {}",
                    page.display(),
                    target.display()
                ));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "broken links in the rendered book:\n{}",
        broken.join("\n")
    );
    assert!(checked > 1000, "only {checked} internal links checked");
}

#[test]
fn the_link_checker_reads_attributes_and_resolves_paths() {
    let html = r#"<a href="../usage.html#exit-codes">x</a><h2 id="a&amp;b"></h2><img src='x%20y.png'>"#;
    assert_eq!(attribute_values(html, "href"), ["../usage.html#exit-codes"]);
    assert_eq!(attribute_values(html, "id"), ["a&b"]);
    assert_eq!(attribute_values(html, "src"), ["x y.png"]);
    assert_eq!(
        resolve(Path::new("integrations/vscode.html"), "../usage.html"),
        Some(PathBuf::from("usage.html"))
    );
    assert_eq!(resolve(Path::new("index.html"), "../README.md"), None);
    assert_eq!(resolve(Path::new("rules.html"), ""), Some(PathBuf::from("rules.html")));
}

/// The DOM of `page` (under the book) after headless Chromium loaded it and ran its scripts.
fn chromium_dom(book: &Path, page: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}", book.join(page).display());
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium {url}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
#[ignore = "needs mdbook and chromium (apt-get install chromium): .ci/run installs them and runs this"]
fn rule_pages_and_a_sample_of_pages_render_in_chromium() {
    common::needs_command("chromium", "apt-get install chromium");
    let book = book();
    let mut expected: Vec<(String, String, String)> = rule_pages()
        .iter()
        .map(|name| {
            let stem = name.trim_end_matches(".md");
            let (code, rule) = stem.split_once('-').unwrap();
            (
                format!("rules/{stem}.html"),
                format!("{code} {rule}"),
                "What it checks".to_string(),
            )
        })
        .collect();
    for (page, title, text) in [
        ("index.html", "ecrlint", "It reads the files teams keep on disk"),
        ("usage.html", "Usage", "Which files are linted."),
        ("configuration.html", "Configuration:", "Building on another file"),
        ("integrations/vscode.html", "VS Code", "Without the extension"),
        ("comparison.html", "Compared with", "cfn-lint"),
    ] {
        expected.push((page.to_string(), title.to_string(), text.to_string()));
    }
    // Two browsers at a time (CI has two cores), each page in a fresh profile.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = expected
            .chunks(expected.len().div_ceil(2))
            .map(|pages| {
                scope.spawn(move || {
                    pages
                        .iter()
                        .flat_map(|page| render_failures(book, page))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What is wrong with `page` as Chromium renders it: its <h1> lacks `title`,
/// `text` is missing, or the book's scripts did not run.
fn render_failures(book: &Path, (page, title, text): &(String, String, String)) -> Vec<String> {
    let mut failures = Vec::new();
    let dom = chromium_dom(book, page);
    // The page's own title: the first <h1> of <main> (the menu bar has one too).
    let main = dom.find("<main>").map_or("", |at| &dom[at..]);
    let heading = main
        .find("<h1")
        .and_then(|at| main[at..].find("</h1>").map(|end| &main[at..at + end]));
    if !heading.is_some_and(|h| h.contains(title.as_str())) {
        failures.push(format!("{page}: no <h1> with `{title}` (found {heading:?})"));
    }
    if !dom.contains(text.as_str()) {
        failures.push(format!("{page}: `{text}` is not on the page"));
    }
    // The table of contents and the code highlighting are the book's
    // scripts' work: they ran.
    if !dom.contains("rules/ECR001-invalid-json.html") {
        failures.push(format!("{page}: the table of contents is not rendered"));
    }
    if main.contains("<code class=\"language-") && !main.contains(" hljs") {
        failures.push(format!("{page}: code blocks are not highlighted"));
    }
    failures
}
