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
    let results = lint_all(&found.inputs, &resolver, &flags);
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

    let options = HumanOptions {
        color,
        width: terminal_width(),
    };
    let mut stdout = std::io::stdout().lock();
    let out = match args.format {
        Format::Human => {
            let mut s = render::human::render(&files, &options);
            if args.verbose {
                skipped.sort();
                for (path, reason) in &skipped {
                    s.push_str(&format!("skipped {path}: {reason}\n"));
                }
            }
            s.push_str(&render::human::summary(&files, &options));
            s
        }
        Format::Json => render::json::render(&files),
    };
    if stdout.write_all(out.as_bytes()).and_then(|_| stdout.flush()).is_err() {
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

fn lint_one(input: &Input, resolver: &Resolver, flags: &Flags) -> Linted {
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
    let outcome = std::panic::catch_unwind(|| lint(&bytes, input.is_explicit(), &settings));
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
fn lint_all(inputs: &[Input], resolver: &Resolver, flags: &Flags) -> Vec<Linted> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    // One input needs no pool (and asking the OS for the core count costs
    // as much as linting a small file).
    if inputs.len() <= 1 {
        return inputs.iter().map(|i| lint_one(i, resolver, flags)).collect();
    }
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(inputs.len());
    if workers == 1 {
        return inputs.iter().map(|i| lint_one(i, resolver, flags)).collect();
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
                        mine.push((i, lint_one(input, resolver, flags)));
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
