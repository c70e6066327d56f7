//! `ecrlint check`: find the files, lint them on every core, render, exit.

use super::settings::{self, render_config_errors, Flags, SettingsArgs};
use super::{usage_error, EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE};
use crate::config::Resolver;
use crate::discover::{discover, Input};
use crate::lint::{lint, Outcome};
use crate::render::{self, human::HumanOptions, FileResult, Summary};
use clap::ValueEnum;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Files or directories; `-` reads standard input
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Name used for standard input in messages and for finding its configuration
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<String>,
    #[command(flatten)]
    settings: SettingsArgs,
    /// Write the report to this file; the summary still goes to the terminal
    #[arg(long, short, value_name = "PATH")]
    output_file: Option<PathBuf>,
    /// Skip named files that are not replication documents, as in directories (for hooks
    /// that pass every staged .json file); broken replication files are still reported
    #[arg(long)]
    skip_unrecognised: bool,
    /// Print the settings in force for FILE (like `ecrlint config FILE`) and exit
    #[arg(long, value_name = "FILE")]
    show_settings: Option<PathBuf>,
    /// Also list the files passed over in directories, and why
    #[arg(long, short)]
    verbose: bool,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    /// Snippets with underlines, labels and help, then a summary
    Human,
    /// The report described by schemas/report.schema.json
    Json,
    /// One line per finding: path:line:col: severity[CODE rule] message
    Concise,
    /// SARIF 2.1.0, for code scanning
    Sarif,
    /// GitHub Actions annotations, then the summary
    Github,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Color {
    Auto,
    Always,
    Never,
}

pub fn run(args: CheckArgs) -> i32 {
    if let Some(file) = &args.show_settings {
        return settings::show(&args.settings, file);
    }
    let flags = match args.settings.flags() {
        Ok(f) => f,
        Err(e) => return usage_error(&e),
    };
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal(),
    };
    let resolver = match args.settings.resolver() {
        Ok(r) => r,
        Err(errors) => {
            eprint!(
                "{}",
                render_config_errors(&errors, color && std::io::stderr().is_terminal())
            );
            return EXIT_TROUBLE;
        }
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    if paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return usage_error("`-` (standard input) can be given only once");
    }
    let found = discover(&paths, args.stdin_filename.as_deref());
    let mut trouble = !found.errors.is_empty();
    for (path, why) in &found.errors {
        eprintln!("error: cannot read {path}: {why}");
    }
    let results = lint_all(&found.inputs, &resolver, &flags, args.skip_unrecognised);
    let config_errors = resolver.errors();
    if !config_errors.is_empty() {
        eprint!(
            "{}",
            render_config_errors(&config_errors, color && std::io::stderr().is_terminal())
        );
        trouble = true;
    }
    let mut files = Vec::new();
    let mut skipped: Vec<(String, &str)> = found.skipped;
    for (input, result) in found.inputs.iter().zip(results) {
        match result {
            Linted::File(f) => {
                if let Some(e) = &f.error {
                    eprintln!("error: {}: {e}", f.path);
                    trouble = true;
                }
                files.push(f);
            }
            Linted::Skipped(reason) => skipped.push((input.display(), reason)),
        }
    }

    // Colour only where a terminal shows it: never in a report file.
    let options = HumanOptions {
        color: color && args.output_file.is_none(),
        width: terminal_width(),
    };
    let mut report = match args.format {
        Format::Human => render::human::render(&files, &options),
        Format::Json => render::json::render(&files),
        Format::Concise => render::concise::render(&files),
        Format::Sarif => render::sarif::render(&files, &sarif_tool()),
        Format::Github => render::github::render(&files),
    };
    let mut terminal = String::new();
    // On standard error, so that machine-readable output stays clean.
    if args.verbose {
        skipped.sort();
        for (path, reason) in &skipped {
            eprintln!("skipped {path}: {reason}");
        }
    }
    // The summary goes with human and GitHub output (which shows only ten
    // annotations per step), and to the terminal whenever a file takes the report.
    if matches!(args.format, Format::Human | Format::Github) || args.output_file.is_some() {
        terminal.push_str(&render::human::summary(&files, &HumanOptions { color, ..options }));
    }
    if let Some(path) = &args.output_file {
        if let Err(e) = write_report(path, &report) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return EXIT_TROUBLE;
        }
        report.clear();
    }
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(report.as_bytes())
        .and_then(|_| stdout.write_all(terminal.as_bytes()))
        .and_then(|_| stdout.flush());
    if written.is_err() {
        return EXIT_TROUBLE;
    }
    if trouble {
        return EXIT_TROUBLE;
    }
    let s = Summary::of(&files);
    let failing = match args.fail_on {
        FailOn::Error => s.errors,
        FailOn::Warning => s.errors + s.warnings,
        FailOn::Info => s.findings(),
        FailOn::Never => 0,
    };
    if failing > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Writes through a temporary file in the same folder, then renames: a
/// reader never sees half a report.
fn write_report(path: &std::path::Path, report: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, report)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

fn sarif_tool() -> render::sarif::Tool<'static> {
    render::sarif::Tool {
        name: "ecrlint",
        version: env!("CARGO_PKG_VERSION"),
        information_uri: env!("CARGO_PKG_REPOSITORY"),
        rules: crate::rules::RULES
            .iter()
            .map(|r| render::sarif::RuleInfo {
                id: r.meta.code,
                name: r.meta.name,
                short_description: r.meta.summary,
                full_description: r
                    .meta
                    .doc_section("What it checks")
                    .unwrap_or(r.meta.summary)
                    .to_string(),
                help_uri: r.meta.doc_url(),
                help_markdown: r.meta.doc,
                default_level: match r.meta.default {
                    crate::rules::Level::On(s) => Some(s),
                    crate::rules::Level::Off => None,
                },
            })
            .collect(),
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(100)
}

enum Linted {
    File(FileResult),
    Skipped(&'static str),
}

fn read_input(input: &Input) -> std::io::Result<Vec<u8>> {
    match input {
        Input::Stdin(_) => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf)?;
            Ok(buf)
        }
        Input::Explicit(p) | Input::Found(p) => std::fs::read(p),
    }
}

fn failed(path: String, error: String) -> Linted {
    Linted::File(FileResult {
        path,
        text: String::new(),
        document: None,
        diagnostics: Vec::new(),
        error: Some(error),
    })
}

fn lint_one(input: &Input, resolver: &Resolver, flags: &Flags, skip_unrecognised: bool) -> Linted {
    let path = input.display();
    let settings = match settings::resolve(resolver, flags, &input.config_path()) {
        Ok(r) => r.settings,
        Err(config) => {
            return failed(
                path,
                format!("not linted: its configuration {} has errors", config.display()),
            )
        }
    };
    let bytes = match read_input(input) {
        Ok(b) => b,
        Err(e) => return failed(path, format!("cannot read: {e}")),
    };
    // A bug must not take the other files down: report it as this file's
    // internal error (exit 2) and go on.
    let explicit = input.is_explicit() && !skip_unrecognised;
    let format = crate::lint::Format::for_path(&input.config_path());
    let outcome = std::panic::catch_unwind(|| lint(&bytes, format, explicit, &settings));
    let Ok(outcome) = outcome else {
        return failed(
            path,
            "internal error while linting this file; please report it with the file".into(),
        );
    };
    match outcome {
        Outcome::Skipped { reason } => Linted::Skipped(reason),
        Outcome::Linted { document, diagnostics } => Linted::File(FileResult {
            path,
            text: String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            document: document.map(|d| d.as_str()),
            diagnostics,
            error: None,
        }),
    }
}

/// Lints on every core; each worker holds one file open at a time, so open
/// files are bounded by the worker count. Results keep the input order.
fn lint_all(inputs: &[Input], resolver: &Resolver, flags: &Flags, skip_unrecognised: bool) -> Vec<Linted> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    // One input needs no pool (and asking the OS for the core count costs
    // as much as linting a small file).
    let workers = match inputs.len() {
        0 | 1 => 1,
        n => std::thread::available_parallelism().map_or(1, |c| c.get()).min(n),
    };
    if workers == 1 {
        return inputs
            .iter()
            .map(|i| lint_one(i, resolver, flags, skip_unrecognised))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, Linted)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(input) = inputs.get(i) else { break };
                        mine.push((i, lint_one(input, resolver, flags, skip_unrecognised)));
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}
