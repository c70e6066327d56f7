//! The command blocks of README.md and the docs book that are marked
//! runnable are run, in a fresh copy of the repository, and their results
//! checked; the blocks that wait for a publication say so.
//!
//! A block is runnable when its info string holds the word `runnable`:
//! - ```` ```console runnable ````: each `$ command` line is run, and the lines
//!   after it, up to the next `$ ` line, are its standard output, exactly;
//! - ```` ```sh runnable ````: each line that is not blank or a comment is run.
//!
//! A command exits 0 unless its comment says `exits N`. Commands run with
//! `sh -c` in a copy of the files git tracks (the working tree's contents, in
//! a fresh git repository, as a clone has them), with the `ecrlint` the tests
//! built first on PATH. Two of README.md's commands are cargo's, which a test
//! does not rerun: `cargo run --release -- ARGS` is run as `ecrlint ARGS` (the
//! same program, without a release build inside the test), and `cargo test`,
//! the suite this test is part of, is checked to be what `.ci/run` runs.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A fenced block marked runnable: where it is, its kind and its lines.
#[derive(Debug)]
struct Block {
    place: String,
    console: bool,
    lines: Vec<String>,
}

/// Every fenced code block of `markdown`: (line of the opening fence, info string, lines).
fn fenced_blocks(markdown: &str) -> Vec<(usize, String, Vec<String>)> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String, String, Vec<String>)> = None;
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        match &mut open {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    let indent = line[..line.len() - trimmed.len()].to_string();
                    open = Some((i + 1, info.trim().to_string(), indent, Vec::new()));
                }
            }
            Some((_, _, _, lines)) if trimmed != "```" => lines.push(line.to_string()),
            Some(_) => {
                let (at, info, indent, lines) = open.take().unwrap();
                let lines = lines
                    .into_iter()
                    .map(|l| l.strip_prefix(indent.as_str()).map(str::to_string).unwrap_or(l))
                    .collect();
                blocks.push((at, info, lines));
            }
        }
    }
    blocks
}

/// The runnable blocks of `markdown` (a page at `page`).
fn runnable_blocks(page: &str, markdown: &str) -> Vec<Block> {
    fenced_blocks(markdown)
        .into_iter()
        .filter(|(_, info, _)| info.split_whitespace().any(|w| w == "runnable"))
        .map(|(at, info, lines)| {
            let language = info.split_whitespace().next().unwrap_or_default();
            assert!(
                language == "console" || language == "sh",
                "{page}:{at}: a runnable block is ```console or ```sh, not ```{language}"
            );
            Block {
                place: format!("{page}:{at}"),
                console: language == "console",
                lines,
            }
        })
        .collect()
}

/// (command, expected standard output or None when not checked) of a block.
fn commands(block: &Block) -> Vec<(String, Option<String>)> {
    if !block.console {
        return block
            .lines
            .iter()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map(|l| (l.clone(), None))
            .collect();
    }
    let mut commands: Vec<(String, Option<String>)> = Vec::new();
    for line in &block.lines {
        match (line.strip_prefix("$ "), commands.last_mut()) {
            (Some(command), _) => commands.push((command.to_string(), Some(String::new()))),
            (None, Some((_, Some(output)))) => {
                output.push_str(line);
                output.push('\n');
            }
            (None, _) => panic!("{}: output before the first `$ ` command", block.place),
        }
    }
    commands
}

/// The exit code a command's comment states (`# … exits 1`), else 0.
fn expected_exit(command: &str) -> i32 {
    let Some((_, comment)) = command.split_once(" #") else {
        return 0;
    };
    comment
        .split_once("exits ")
        .and_then(|(_, rest)| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// A copy of the files git tracks (as they are in the working tree), made a
/// git repository as a clone is, without the build folder and untracked files.
fn fresh_copy() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let listed = Command::new("git")
        .args(["ls-files", "-z", "--cached"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        listed.status.success(),
        "git ls-files: {}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let copy = tempfile::tempdir().unwrap();
    for name in listed.stdout.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let name = std::str::from_utf8(name).unwrap();
        let from = root.join(name);
        if !from.is_file() {
            continue; // deleted in the working tree, not yet committed
        }
        let to = copy.path().join(name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&from, &to).unwrap();
    }
    for args in [&["init", "-q"][..], &["add", "-A", "-f"][..]] {
        let status = Command::new("git")
            .args(args)
            .current_dir(copy.path())
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }
    copy
}

/// Runs one command of a block in `dir`; Err says how it differs from the page.
fn run(place: &str, command: &str, expected: Option<&str>, dir: &Path) -> Result<(), String> {
    let shell_command = if let Some(args) = command.strip_prefix("cargo run --release -- ") {
        format!("ecrlint {args}")
    } else if command.split('#').next().unwrap().trim() == "cargo test" {
        let ci = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/run")).unwrap();
        return if ci.lines().any(|l| l == "cargo test") {
            Ok(())
        } else {
            Err(format!("{place}: `cargo test` is not a line of .ci/run"))
        };
    } else if command.starts_with("cargo ") {
        return Err(format!(
            "{place}: this test runs no cargo command but `cargo run --release --` and `cargo test`: {command}"
        ));
    } else {
        command.to_string()
    };
    let bin_dir: PathBuf = Path::new(env!("CARGO_BIN_EXE_ecrlint")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let out = Command::new("sh")
        .args(["-c", &shell_command])
        .current_dir(dir)
        .env("PATH", path)
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .env_remove("FORCE_COLOR")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let code = out.status.code().unwrap_or(-1);
    let want = expected_exit(command);
    if code != want {
        return Err(format!(
            "{place}: `{command}` exited {code}, the page says {want}\nstdout:\n{stdout}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    match expected {
        Some(expected) if stdout != expected => Err(format!(
            "{place}: `{command}` printed\n{stdout}\nwhere the page shows\n{expected}"
        )),
        _ => Ok(()),
    }
}

#[test]
fn runnable_blocks_of_the_readme_and_the_book_do_what_they_show() {
    let blocks: Vec<Block> = common::doc_pages()
        .iter()
        .flat_map(|(page, text)| runnable_blocks(page, text))
        .collect();
    // README.md's sample output and its two commands are among them.
    let readme: Vec<&Block> = blocks.iter().filter(|b| b.place.starts_with("README.md:")).collect();
    assert!(
        readme.iter().any(|b| b.console),
        "README.md shows output from a runnable block"
    );
    for command in ["cargo run --release -- check examples/", "cargo test"] {
        assert!(
            readme.iter().any(|b| b.lines.iter().any(|l| l.starts_with(command))),
            "README.md's quick start runs `{command}` in a runnable block"
        );
    }
    let copy = fresh_copy();
    let dir = copy.path();
    let failures: Vec<String> = blocks
        .iter()
        .flat_map(|block| {
            commands(block)
                .into_iter()
                .map(move |(command, output)| run(&block.place, &command, output.as_deref(), dir))
        })
        .filter_map(Result::err)
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_block_whose_output_or_exit_code_differs_fails() {
    let copy = fresh_copy();
    let page = "```console runnable\n$ ecrlint check examples/valid-cross-region.json --quiet\n```\n\
                ```console runnable\n$ ecrlint rules --output-format json | head -c 1; echo\n[\n```\n\
                ```console runnable\n$ ecrlint rules --output-format json | head -c 1; echo\n{\n```\n\
                ```sh runnable\n# a comment\necrlint check examples/invalid-common-mistakes.json   # exits 1\n```\n\
                ```sh runnable\necrlint check examples/invalid-common-mistakes.json\n```\n";
    let results: Vec<bool> = runnable_blocks("page.md", page)
        .iter()
        .map(|block| {
            commands(block)
                .iter()
                .all(|(command, output)| run(&block.place, command, output.as_deref(), copy.path()).is_ok())
        })
        .collect();
    assert_eq!(results, [true, true, false, true, false]);
}

/// Lines in code blocks that work only once ecrlint is published: PyPI,
/// crates.io, a release tag, the Action's tag, the pre-commit mirror.
const NEEDS_A_PUBLICATION: &[&str] = &[
    "pip install ecrlint",
    "pipx install ecrlint",
    "pipx run ecrlint",
    "uvx ecrlint",
    "cargo install ecrlint",
    "ecrlint/ecrlint@v",
    "ecrlint/ecrlint-pre-commit",
    "rev: v",
    "/ecrlint/ecrlint/v",
    "/releases/download/",
];

#[test]
fn blocks_that_need_a_publication_say_once_published() {
    let mut seen = 0;
    let mut unmarked = Vec::new();
    for (page, text) in common::doc_pages() {
        for (at, _, lines) in fenced_blocks(&text) {
            for (i, line) in lines.iter().enumerate() {
                if !NEEDS_A_PUBLICATION.iter().any(|p| line.contains(p)) {
                    continue;
                }
                seen += 1;
                let above = if i > 0 { lines[i - 1].as_str() } else { "" };
                if !line.contains("once published") && !above.contains("once published") {
                    unmarked.push(format!("{page}:{}: {line}", at + 1 + i));
                }
            }
        }
    }
    assert!(
        unmarked.is_empty(),
        "say `once published` on these lines (or the line above):\n{}",
        unmarked.join("\n")
    );
    assert!(seen >= 10, "README.md and docs/ show the published ways ({seen} lines)");
}
