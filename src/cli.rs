//! The command line: arguments, reading files in parallel, output, exit code.

use crate::discover::{discover, Input};
use crate::lint::{lint, Outcome, Settings};
use crate::render::{self, human::HumanOptions, FileResult, Summary};
use crate::rules::{self, Level};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "ecrlint",
    version,
    about = "Lint Amazon ECR replication configurations before AWS does"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check files and directories (default: the current directory)
    Check(CheckArgs),
    /// List every rule with its code, name, default severity and summary
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Print a rule's documentation, by code (ECR204) or name (invalid-registry-id)
    Explain { rule: String },
}

#[derive(clap::Args)]
struct CheckArgs {
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
    /// Name used for standard input in messages
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<String>,
    /// Region the configuration is applied in (enables ECR306 and ECR307 checks against it)
    #[arg(long, value_name = "REGION")]
    source_region: Option<String>,
    /// Account ID of the source registry (enables ECR306 and ECR312)
    #[arg(long, value_name = "ACCOUNT_ID")]
    source_registry_id: Option<String>,
    /// Set a rule's severity: CODE=error|warning|info|off (code or name; repeatable)
    #[arg(long = "rule", value_name = "RULE=LEVEL")]
    rules: Vec<String>,
    /// Also list the files passed over in directories, and why
    #[arg(long, short)]
    verbose: bool,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ListFormat {
    Human,
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

/// Exit codes: the contract with hooks and CI.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_TROUBLE: i32 = 2;

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_TROUBLE } else { EXIT_OK };
        }
    };
    match cli.command {
        Command::Check(args) => check(args),
        Command::Rules { format } => list_rules(format),
        Command::Explain { rule } => explain(&rule),
    }
}

fn usage_error(message: &str) -> i32 {
    eprintln!("error: {message}");
    EXIT_TROUBLE
}

fn settings_from(args: &CheckArgs) -> Result<Settings, String> {
    let facts = crate::facts::facts();
    if let Some(id) = &args.source_registry_id {
        if !facts.registry_id_pattern.is_match(id) {
            return Err(format!("--source-registry-id `{id}` is not a 12-digit account ID"));
        }
    }
    if let Some(region) = &args.source_region {
        if facts.partition_of(region).is_none() || !facts.region_pattern.is_match(region) {
            return Err(format!("--source-region `{region}` is not an AWS Region name"));
        }
    }
    let mut levels = std::collections::HashMap::new();
    for spec in &args.rules {
        let (rule, level) = spec
            .split_once('=')
            .ok_or_else(|| format!("--rule `{spec}`: expected RULE=LEVEL, such as ECR310=info"))?;
        let meta = rules::find(rule.trim())
            .ok_or_else(|| format!("--rule `{spec}`: no rule `{rule}` (`ecrlint rules` lists them)"))?;
        let level = Level::parse(level.trim())
            .ok_or_else(|| format!("--rule `{spec}`: `{level}` is not one of error, warning, info, off"))?;
        levels.insert(meta.code, level);
    }
    Ok(Settings {
        source_region: args.source_region.clone(),
        source_registry: args.source_registry_id.clone(),
        levels,
        ..Settings::default()
    })
}

fn check(args: CheckArgs) -> i32 {
    let settings = match settings_from(&args) {
        Ok(s) => s,
        Err(e) => return usage_error(&e),
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
    let results = lint_all(&found.inputs, &settings);
    let mut files = Vec::new();
    let mut skipped: Vec<(String, &str)> = found.skipped;
    for (input, result) in found.inputs.iter().zip(results) {
        match result {
            Linted::File(f) => {
                if let Some(e) = &f.error {
                    eprintln!("error: cannot read {}: {e}", f.path);
                    trouble = true;
                }
                files.push(f);
            }
            Linted::Skipped(reason) => skipped.push((input.display(), reason)),
        }
    }

    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal(),
    };
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

fn lint_one(input: &Input, settings: &Settings) -> Linted {
    let path = input.display();
    let bytes = match read_input(input) {
        Ok(b) => b,
        Err(e) => {
            return Linted::File(FileResult {
                path,
                text: String::new(),
                document: None,
                diagnostics: Vec::new(),
                error: Some(e.to_string()),
            });
        }
    };
    // A bug must not take the other files down: report it as this file's
    // internal error (exit 2) and go on.
    let outcome = std::panic::catch_unwind(|| lint(&bytes, input.is_explicit(), settings));
    let Ok(outcome) = outcome else {
        return Linted::File(FileResult {
            path,
            text: String::new(),
            document: None,
            diagnostics: Vec::new(),
            error: Some("internal error while linting this file; please report it with the file".into()),
        });
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
fn lint_all(inputs: &[Input], settings: &Settings) -> Vec<Linted> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(inputs.len())
        .max(1);
    if workers == 1 {
        return inputs.iter().map(|i| lint_one(i, settings)).collect();
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
                        mine.push((i, lint_one(input, settings)));
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

fn list_rules(format: ListFormat) -> i32 {
    let out = match format {
        ListFormat::Json => {
            let rows: Vec<_> = rules::RULES
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.meta.code,
                        "name": r.meta.name,
                        "default": r.meta.default.as_str(),
                        "summary": r.meta.summary,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&rows).unwrap_or_default() + "\n"
        }
        ListFormat::Human => {
            let mut s = format!("{:<7} {:<30} {:<8} {}\n", "CODE", "NAME", "DEFAULT", "SUMMARY");
            for r in rules::RULES {
                s.push_str(&format!(
                    "{:<7} {:<30} {:<8} {}\n",
                    r.meta.code,
                    r.meta.name,
                    r.meta.default.as_str(),
                    r.meta.summary
                ));
            }
            s
        }
    };
    print!("{out}");
    EXIT_OK
}

fn explain(rule: &str) -> i32 {
    match rules::find(rule) {
        Some(meta) => {
            print!("{}", meta.doc);
            EXIT_OK
        }
        None => usage_error(&format!("no rule `{rule}`: `ecrlint rules` lists them")),
    }
}
