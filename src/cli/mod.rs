//! The command line: arguments and dispatch. `check` lints, `rules` and
//! `explain` document, `config` shows the settings in force for a file.

/// Writes to standard error, ignoring a failure (a full or closed standard
/// error): there is nowhere left to report it, and `eprint!` would panic.
macro_rules! to_stderr {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

/// [`to_stderr!`] with a line break.
macro_rules! line_to_stderr {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod check;
pub use check::output_formats;
mod init;

pub use init::{schema_url, template as init_template, CONFIG_SCHEMA, SCHEMA_COPY};
mod output;
pub mod replace;
mod review;
pub(crate) mod settings;

use crate::rules;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Exit codes: the contract with hooks and CI.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_TROUBLE: i32 = 2;

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
    Check(Box<check::CheckArgs>),
    /// List every rule with its code, name, default severity and summary
    Rules {
        #[arg(long = "output-format", visible_alias = "format", value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Print a rule's documentation, by code (ECR204) or name (invalid-registry-id)
    Explain { rule: String },
    /// Show the settings in force for a file, and which configuration file they came from
    Config {
        /// The file whose settings to show (default: a file in the current directory)
        file: Option<PathBuf>,
        #[command(flatten)]
        settings: settings::SettingsArgs,
    },
    /// Where repositories replicate to: per source registry, each destination, its rule and filter, deletions, the grant
    Route(review::RouteArgs),
    /// What a change does to what is deployed: OLD NEW (files or folders), or --base REV against the work tree
    Diff(review::DiffArgs),
    /// Speak the Language Server Protocol on standard input/output (for editors)
    Server,
    /// Print a shell completion script (bash, zsh, fish, powershell or elvish)
    Completions { shell: clap_complete::Shell },
    /// Write a commented .ecrlint.toml in the current folder (never over an existing one), and its schema beside it
    Init {
        /// Write only the schema (.ecrlint.schema.json), as after an upgrade
        #[arg(long)]
        schema: bool,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ListFormat {
    Human,
    Json,
}

pub fn run() -> i32 {
    run_from(std::env::args_os())
}

/// [`run`] with these arguments (the first is the program's name): the
/// fuzz target runs `check --fix` over files this way, as a user would.
pub fn run_from<T: Into<std::ffi::OsString> + Clone>(args: impl IntoIterator<Item = T>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_TROUBLE } else { EXIT_OK };
        }
    };
    match cli.command {
        Command::Check(args) => check::run(*args),
        Command::Rules { format } => list_rules(format),
        Command::Explain { rule } => explain(&rule),
        Command::Config { file, settings } => settings::show(&settings, file.as_deref()),
        Command::Route(args) => review::run_route(args),
        Command::Diff(args) => review::run_diff(args),
        Command::Server => crate::server::run(),
        Command::Init { schema } => init::run(std::path::Path::new("."), schema),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "ecrlint",
                &mut script,
            );
            output::print(&String::from_utf8_lossy(&script), EXIT_OK)
        }
    }
}

fn usage_error(message: &str) -> i32 {
    // Messages quote arguments, which may hold anything.
    line_to_stderr!("error: {}", crate::text::escape_hidden(message));
    EXIT_TROUBLE
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
                        "configurable": r.meta.configurable,
                        "summary": r.meta.summary,
                        "fixable": r.meta.fixable(),
                        "url": r.meta.doc_url(),
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
    output::print(&out, EXIT_OK)
}

fn explain(rule: &str) -> i32 {
    match rules::find(rule) {
        Some(meta) => output::print(meta.doc, EXIT_OK),
        None => {
            let names = rules::RULES.iter().flat_map(|r| [r.meta.code, r.meta.name]);
            match crate::text::nearest(rule, names) {
                Some(near) => usage_error(&format!(
                    "no rule `{rule}`; did you mean `{near}`? (`ecrlint rules` lists them)"
                )),
                None => usage_error(&format!("no rule `{rule}`: `ecrlint rules` lists them")),
            }
        }
    }
}
