//! `ecrlint check`: find the files, lint them on every core, render, exit.

use super::output::{self, Sink};
use super::settings::{self, render_config_errors, SettingsArgs};
use super::{usage_error, EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE};
use crate::config::Resolver;
use crate::discover::{discover, Input};
use crate::lint::{lint, Outcome};
use crate::render::{self, human::HumanOptions, FileResult, Renderer, Summary};
use crate::settings::Overrides;
use clap::ValueEnum;
use std::io::{IsTerminal, Read};
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
    /// Largest file (or standard input) read, such as 64MiB, 500KB or 1GiB; larger ones are errors
    #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = parse_size)]
    max_file_size: u64,
    /// Findings shown per file in human output (0: all); other formats always list every one
    #[arg(long, value_name = "N", default_value_t = render::human::DEFAULT_MAX_FINDINGS_PER_FILE)]
    max_findings_per_file: usize,
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

/// `64MiB`, `500KB`, `1G`, `1000`: a size in bytes (K, M and G are powers of 1024).
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size such as 64MiB, 500KB or 1000"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("`{unit}` is not a size unit: use KiB, MiB or GiB")),
    };
    number
        .checked_mul(1 << shift)
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("`{text}` is not a usable size"))
}

/// Ends a run that wrote no report: an old one at `--output-file` would be
/// taken for this run's, so it goes.
fn wrote_nothing(args: &CheckArgs, code: i32) -> i32 {
    if let Some(path) = &args.output_file {
        output::remove_stale(path);
    }
    code
}

pub fn run(args: CheckArgs) -> i32 {
    if let Some(file) = &args.show_settings {
        return settings::show(&args.settings, file);
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let stdin_count = paths.iter().filter(|p| p.as_os_str() == "-").count();
    if stdin_count > 1 {
        return wrote_nothing(&args, usage_error("`-` (standard input) can be given only once"));
    }
    if args.stdin_filename.is_some() && stdin_count == 0 {
        return wrote_nothing(
            &args,
            usage_error("--stdin-filename names standard input: add `-` to the paths to read it"),
        );
    }
    let flags = match args.settings.overrides() {
        Ok(f) => f,
        Err(e) => return wrote_nothing(&args, usage_error(&e)),
    };
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal(),
    };
    let resolver = match args.settings.resolver() {
        Ok(r) => r,
        Err(errors) => {
            to_stderr!(
                "{}",
                render_config_errors(&errors, color && std::io::stderr().is_terminal())
            );
            return wrote_nothing(&args, EXIT_TROUBLE);
        }
    };
    if let Err(e) = settings::check_source_region(&flags, &resolver) {
        return wrote_nothing(&args, usage_error(&e));
    }
    let mut sink = match &args.output_file {
        None => Sink::stdout(),
        Some(path) => match Sink::open(path) {
            Ok(sink) => sink,
            Err(e) => {
                line_to_stderr!("error: cannot write {}: {e}", crate::text::escape_path(path));
                return EXIT_TROUBLE;
            }
        },
    };
    let found = discover(&paths, args.stdin_filename.as_deref());
    let mut trouble = !found.errors.is_empty();
    for (path, why) in &found.errors {
        let (path, why) = (crate::text::escape_hidden(path), crate::text::escape_hidden(why));
        line_to_stderr!("error: cannot read {path}: {why}");
    }

    // Colour only where a terminal shows it: never in a report file.
    let options = HumanOptions {
        color: color && args.output_file.is_none(),
        width: terminal_width(),
    };
    let tool = sarif_tool();
    let mut renderer: Box<dyn Renderer> = match args.format {
        Format::Human => Box::new(render::human::Human::new(&options, args.max_findings_per_file)),
        Format::Json => Box::<render::json::Json>::default(),
        Format::Concise => Box::new(render::concise::Concise),
        Format::Sarif => Box::new(render::sarif::Sarif::new(&tool)),
        Format::Github => Box::new(render::github::Github),
    };
    let report_name = match &args.output_file {
        Some(path) => crate::text::escape_path(path),
        None => "to standard output".into(),
    };
    let limits = Limits {
        max_file_size: args.max_file_size,
        skip_unrecognised: args.skip_unrecognised,
    };
    let mut summary = Summary::default();
    let mut skipped: Vec<(String, &str)> = found.skipped;
    let written = renderer.begin(&mut sink).and_then(|()| {
        lint_all(
            &found.inputs,
            &resolver,
            &flags,
            &limits,
            |input, result| match result {
                Linted::File(f) => {
                    if let Some(e) = &f.error {
                        line_to_stderr!("error: {}: {e}", f.shown_path());
                        trouble = true;
                    }
                    summary.add(&f);
                    renderer.file(&mut sink, &f)
                }
                Linted::Skipped(reason) => {
                    skipped.push((input.display(), reason));
                    Ok(())
                }
            },
        )
    });
    let written = written
        .and_then(|()| renderer.end(&mut sink, &summary))
        .and_then(|()| sink.finish());
    if let Err(e) = written {
        // A half-written report was never renamed into place; an old one
        // there is now stale.
        let code = output::write_failed(&report_name, &e);
        return wrote_nothing(&args, code);
    }
    let config_errors = resolver.errors();
    if !config_errors.is_empty() {
        to_stderr!(
            "{}",
            render_config_errors(&config_errors, color && std::io::stderr().is_terminal())
        );
        trouble = true;
    }
    // On standard error, so that machine-readable output stays clean.
    if args.verbose {
        skipped.sort();
        for (path, reason) in &skipped {
            line_to_stderr!("skipped {}: {reason}", crate::text::escape_hidden(path));
        }
    }
    let s = summary;
    let failing = match args.fail_on {
        FailOn::Error => s.errors,
        FailOn::Warning => s.errors + s.warnings,
        FailOn::Info => s.findings(),
        FailOn::Never => 0,
    };
    let code = if trouble {
        EXIT_TROUBLE
    } else if failing > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    // The summary goes with human and GitHub output (which shows only ten
    // annotations per step), and to the terminal whenever a file takes the report.
    if matches!(args.format, Format::Human | Format::Github) || args.output_file.is_some() {
        return output::print(&render::human::summary(&s, &HumanOptions { color, ..options }), code);
    }
    code
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
                    crate::settings::Level::On(s) => Some(s),
                    crate::settings::Level::Off => None,
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

/// What bounds the work on each file.
struct Limits {
    max_file_size: u64,
    skip_unrecognised: bool,
}

/// Reads at most `cap` bytes, and says so when there is more.
fn read_capped(reader: impl Read, cap: u64) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    reader.take(cap.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > cap {
        return Err(std::io::Error::other(format!(
            "larger than the {} limit (--max-file-size raises it)",
            show_size(cap)
        )));
    }
    Ok(buf)
}

fn show_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b}-byte"),
    }
}

/// The bytes of one input. A named path must be a regular file: a device
/// or pipe (`/dev/zero`) could block or never end.
fn read_input(input: &Input, cap: u64) -> std::io::Result<Vec<u8>> {
    match input {
        Input::Stdin(_) => read_capped(std::io::stdin().lock(), cap),
        Input::Explicit(p) | Input::Found(p) => {
            let not_regular =
                || std::io::Error::other("not a regular file (ecrlint reads files, and `-` for standard input)");
            let meta = std::fs::metadata(p)?;
            if meta.is_dir() || !meta.is_file() {
                return Err(not_regular());
            }
            if meta.len() > cap {
                return Err(std::io::Error::other(format!(
                    "larger than the {} limit (--max-file-size raises it)",
                    show_size(cap)
                )));
            }
            let file = std::fs::File::open(p)?;
            // Swapped for something else since the check above.
            if !file.metadata()?.is_file() {
                return Err(not_regular());
            }
            read_capped(file, cap)
        }
    }
}

fn failed(input: &Input, error: String) -> Linted {
    let (path, path_bytes) = names(input);
    Linted::File(FileResult {
        path,
        path_bytes,
        text: String::new(),
        document: None,
        diagnostics: Vec::new(),
        error: Some(error),
    })
}

/// The name to report, and its bytes when it is not UTF-8.
fn names(input: &Input) -> (String, Option<Vec<u8>>) {
    let path = input.display();
    let bytes = match input {
        Input::Explicit(p) | Input::Found(p) if p.to_str().is_none() => {
            let raw = p.as_os_str().as_encoded_bytes();
            Some(raw.strip_prefix(b"./").unwrap_or(raw).to_vec())
        }
        _ => None,
    };
    (path, bytes)
}

fn lint_one(input: &Input, resolver: &Resolver, flags: &Overrides, limits: &Limits) -> Linted {
    let settings = match resolver.resolve(&input.config_path(), flags) {
        Ok(r) => r.settings,
        Err(config) => {
            return failed(
                input,
                format!(
                    "not linted: its configuration {} has errors",
                    crate::text::escape_path(&config)
                ),
            )
        }
    };
    let bytes = match read_input(input, limits.max_file_size) {
        Ok(b) => b,
        Err(e) => return failed(input, format!("cannot read: {e}")),
    };
    // A bug must not take the other files down: report it as this file's
    // internal error (exit 2) and go on.
    let explicit = input.is_explicit() && !limits.skip_unrecognised;
    let format = crate::lint::Format::for_path(&input.config_path());
    let outcome = std::panic::catch_unwind(|| lint(&bytes, format, explicit, &settings));
    let Ok(outcome) = outcome else {
        return failed(
            input,
            "internal error while linting this file; please report it with the file".into(),
        );
    };
    match outcome {
        Outcome::Skipped { reason } => Linted::Skipped(reason),
        Outcome::Linted { document, diagnostics } => {
            let (path, path_bytes) = names(input);
            Linted::File(FileResult {
                path,
                path_bytes,
                text: String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
                document: document.map(|d| d.as_str()),
                diagnostics,
                error: None,
            })
        }
    }
}

/// Lints on every core and hands each result to `done` in input (path)
/// order as soon as it and every earlier one are ready, so that a report
/// streams. Each worker holds one file open at a time, and runs at most
/// [`AHEAD`] files per worker ahead of the one being written: a slow file
/// never makes the rest pile up in memory. An error from `done` stops the run.
fn lint_all(
    inputs: &[Input],
    resolver: &Resolver,
    flags: &Overrides,
    limits: &Limits,
    mut done: impl FnMut(&Input, Linted) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Condvar, Mutex};
    // One input needs no pool (and asking the OS for the core count costs
    // as much as linting a small file).
    let workers = match inputs.len() {
        0 | 1 => 1,
        n => std::thread::available_parallelism().map_or(1, |c| c.get()).min(n),
    };
    if workers == 1 {
        return inputs
            .iter()
            .try_for_each(|i| done(i, lint_one(i, resolver, flags, limits)));
    }
    let window = workers * AHEAD;
    let next = AtomicUsize::new(0);
    // The index of the next result to write, or `usize::MAX` once the run stops.
    let written = (Mutex::new(0usize), Condvar::new());
    let stop = |written: &(Mutex<usize>, Condvar)| {
        *written.0.lock().unwrap_or_else(|e| e.into_inner()) = usize::MAX;
        written.1.notify_all();
    };
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::channel();
        for _ in 0..workers {
            let sender = sender.clone();
            let (next, written) = (&next, &written);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(input) = inputs.get(i) else { break };
                let mut at = written.0.lock().unwrap_or_else(|e| e.into_inner());
                while *at != usize::MAX && i >= *at + window {
                    at = written.1.wait(at).unwrap_or_else(|e| e.into_inner());
                }
                let stopped = *at == usize::MAX;
                drop(at);
                if stopped || sender.send((i, lint_one(input, resolver, flags, limits))).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        // Results that arrived before an earlier one, by index.
        let mut waiting = std::collections::BTreeMap::new();
        let mut expected = 0;
        for (i, linted) in receiver {
            waiting.insert(i, linted);
            while let Some(linted) = waiting.remove(&expected) {
                if let Err(e) = done(&inputs[expected], linted) {
                    stop(&written);
                    return Err(e);
                }
                expected += 1;
                *written.0.lock().unwrap_or_else(|e| e.into_inner()) = expected;
                written.1.notify_all();
            }
        }
        Ok(())
    })
}

/// Files each worker may lint ahead of the one being written.
const AHEAD: usize = 4;
