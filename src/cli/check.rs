//! `ecrlint check`: find the files, lint them on every core, render, exit.

use super::output::{self, Sink};
use super::replace;
use super::settings::{self, render_config_errors, SettingsArgs};
use super::{usage_error, EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE};
use crate::batch::{lint_all_in_workspace, Limits, Linted};
use crate::config::Resolver;
use crate::discover::discover;
use crate::fix::apply::Mode;
use crate::render::{self, human::HumanOptions, Renderer, Summary};
use crate::settings::Overrides;
use clap::ValueEnum;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Files or directories; `-` reads standard input
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The report's format (`--format` is an older name for it)
    #[arg(long = "output-format", visible_alias = "format", value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    /// Exit 0 whatever is found (as `--fail-on never`); trouble still exits 2
    #[arg(long, conflicts_with = "fail_on")]
    exit_zero: bool,
    /// Print the findings and nothing else: no summary, no hints
    #[arg(long, short)]
    quiet: bool,
    /// Print how many findings of each rule there are, instead of the findings
    #[arg(long)]
    statistics: bool,
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Name used for standard input in messages and for finding its configuration
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<String>,
    #[command(flatten)]
    settings: SettingsArgs,
    /// Write the report to this file (folders made as needed; `-` is standard output);
    /// the summary still goes to the terminal
    #[arg(long, short, value_name = "PATH")]
    output_file: Option<PathBuf>,
    /// Also write a SARIF report to this file in the same run (folders made as needed): code
    /// scanning gets it while standard output or --output-file carries the report in
    /// --output-format (GitHub annotations, say)
    #[arg(long, value_name = "PATH", conflicts_with = "diff")]
    sarif_file: Option<PathBuf>,
    /// Also add a Markdown summary to the end of this file (made if missing): the counts, the
    /// worst findings, and a Mermaid picture of the replication the checked files set up. For
    /// a CI job's page: `--summary-file "$GITHUB_STEP_SUMMARY"`
    #[arg(long, value_name = "PATH", conflicts_with = "diff")]
    summary_file: Option<PathBuf>,
    /// Largest file (or standard input) read, such as 64MiB, 500KB or 1GiB; larger ones are errors
    #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = parse_size)]
    max_file_size: u64,
    /// Findings shown per file in human output (0: all); other formats list every one kept
    #[arg(long, value_name = "N", default_value_t = render::human::DEFAULT_MAX_FINDINGS_PER_FILE)]
    max_findings_per_file: usize,
    /// Findings kept per file, in every format (0: all; default: `max-findings` of .ecrlint.toml,
    /// else 10000); the others are counted, in the exit code and the summary, and each format
    /// says how many were not shown
    #[arg(long, value_name = "N")]
    max_findings: Option<usize>,
    /// Skip named files that are not replication documents, as in directories (for hooks
    /// that pass every staged .json file); broken replication files are still reported
    #[arg(long)]
    skip_unrecognised: bool,
    /// Print the settings in force for FILE (like `ecrlint config FILE`) and exit
    #[arg(long, value_name = "FILE")]
    show_settings: Option<PathBuf>,
    /// In directories, also read files that .gitignore, .ignore or .git/info/exclude leave out
    #[arg(long)]
    no_ignore: bool,
    /// Pass over named files too when an `exclude` or `extend-exclude` glob of .ecrlint.toml
    /// matches them (for pre-commit hooks, which name every staged file)
    #[arg(long)]
    force_exclude: bool,
    /// Check across files within the named files only: without it, registry policies and
    /// replication configurations elsewhere in the workspace (the git work tree, else the topmost
    /// folder with an .ecrlint.toml) count too, so a hook naming staged files agrees with CI
    #[arg(long)]
    no_workspace: bool,
    /// Also list the files passed over in directories, and why
    #[arg(long, short)]
    verbose: bool,
    /// Apply safe fixes in place (standard input: write the fixed text to standard output)
    #[arg(long)]
    fix: bool,
    /// With --fix, list the findings fixed, by file and rule
    #[arg(long, requires = "fix")]
    show_fixes: bool,
    /// Lint, then lint again whenever a file under the paths changes, clearing the screen
    /// first (as ruff does); stop with Ctrl-C
    #[arg(long, conflicts_with_all = ["diff", "show_settings"])]
    watch: bool,
    /// With --fix or --diff, apply unsafe fixes too (plausible guesses to review)
    #[arg(long)]
    unsafe_fixes: bool,
    /// With --fix, flush each fixed file to disk before it replaces the original (durable across a
    /// power loss; slower)
    #[arg(long, requires = "fix")]
    sync: bool,
    /// Add a suppression comment (`# ecrlint: ignore[CODE]`) above each finding's line in YAML
    /// and Terraform files, to adopt ecrlint in a repository with findings (ruff's --add-noqa);
    /// JSON has no comments: its findings are left, for a baseline
    #[arg(long, conflicts_with_all = ["fix", "diff", "watch"])]
    add_suppressions: bool,
    /// Write every current finding to FILE as a baseline (JSON, schemas/baseline.schema.json):
    /// from then on they are known, and only new findings are reported; this run reports none
    #[arg(long, value_name = "FILE", conflicts_with_all = ["baseline", "add_suppressions", "diff", "watch"])]
    write_baseline: Option<PathBuf>,
    /// Leave out the findings this baseline file knows (wins over `[baseline] file` of .ecrlint.toml)
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Print a unified diff of what --fix would change, and change nothing (exit 1 when there is one)
    #[arg(long, conflicts_with = "fix")]
    diff: bool,
}

impl CheckArgs {
    /// The file the report goes to; `-o -` is standard output, as without `-o`.
    fn report_file(&self) -> Option<&PathBuf> {
        self.output_file.as_ref().filter(|p| p.as_os_str() != "-")
    }

    /// Which fixes the run applies, when it fixes (or shows them as a diff).
    fn fix_mode(&self) -> Option<Mode> {
        (self.fix || self.diff).then_some(if self.unsafe_fixes { Mode::Unsafe } else { Mode::Safe })
    }

    /// `--fix` with standard input among the paths: the fixed text takes
    /// standard output, and the report goes to standard error.
    fn fixes_stdin(&self) -> bool {
        (self.fix || self.add_suppressions) && self.paths.iter().any(|p| p.as_os_str() == "-")
    }
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
    /// GitLab Code Quality JSON, for merge requests
    Gitlab,
    /// JUnit XML (schemas/junit.xsd), for CI test reports
    Junit,
    /// Checkstyle XML (schemas/checkstyle.xsd), for reviewdog and CI dashboards
    Checkstyle,
}

/// The names `--output-format` takes, for tests that go through every format.
pub fn output_formats() -> Vec<String> {
    Format::value_variants()
        .iter()
        .filter_map(|f| f.to_possible_value())
        .map(|v| v.get_name().to_string())
        .collect()
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
    for path in args.report_file().into_iter().chain(&args.sarif_file) {
        output::remove_stale(path);
    }
    code
}

pub fn run(args: CheckArgs) -> i32 {
    if let Some(file) = &args.show_settings {
        return settings::show(&args.settings, Some(file));
    }
    if args.watch {
        return watch(&args);
    }
    check(&args)
}

/// How often `--watch` looks for changes: quick enough to feel immediate,
/// rare enough to cost nothing.
const WATCH_POLL: std::time::Duration = std::time::Duration::from_millis(250);

/// `--watch`: a check, then another after each change to a file under the
/// paths (contents, a new file, a removed one, a configuration), each on a
/// cleared screen.
fn watch(args: &CheckArgs) -> i32 {
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        return usage_error("--watch reads files: standard input (`-`) cannot be watched");
    }
    let roots = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    loop {
        // Clear the screen and scrollback and go home, as ruff's `--watch` does.
        let _ = output::print("\x1b[2J\x1b[3J\x1b[H", EXIT_OK);
        // Taken before the check, so that a change while it runs is not
        // missed (the files a --fix wrote are checked once more).
        let before = snapshot(&roots);
        check(args);
        line_to_stderr!("Watching for file changes (Ctrl-C stops).");
        while snapshot(&roots) == before {
            std::thread::sleep(WATCH_POLL);
        }
    }
}

/// Every file under `roots` (not in `.git`) with its size and modification
/// time: two snapshots differ when a file changed, came or went.
fn snapshot(roots: &[PathBuf]) -> Vec<(PathBuf, u64, Option<std::time::SystemTime>)> {
    let mut seen = Vec::new();
    let mut pending: Vec<PathBuf> = roots.to_vec();
    while let Some(path) = pending.pop() {
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            // A link to a folder may lead back up: only the roots are followed.
            let linked = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_symlink());
            if path.file_name().is_some_and(|n| n == ".git") || (linked && !roots.contains(&path)) {
                continue;
            }
            if let Ok(entries) = std::fs::read_dir(&path) {
                pending.extend(entries.flatten().map(|e| e.path()));
            }
        } else {
            seen.push((path, meta.len(), meta.modified().ok()));
        }
    }
    seen.sort();
    seen
}

/// One check of the paths: the report, the summary, the exit code.
fn check(args: &CheckArgs) -> i32 {
    crate::schema::prepare_in_background();
    let (mut setup, sink) = match set_up(args) {
        Ok(ready) => ready,
        Err(code) => return code,
    };
    let walk = crate::discover::WalkOptions {
        no_ignore: args.no_ignore,
        force_exclude: args.force_exclude,
        max_entries: None,
    };
    let mut found = discover(&setup.paths, args.stdin_filename.as_deref(), walk, &setup.resolver);
    if args.add_suppressions {
        crate::discover::with_override_files(&mut found.inputs, &setup.resolver);
    }
    let resolver = std::sync::Arc::clone(&setup.resolver);
    let workspace = || {
        if args.no_workspace {
            Vec::new()
        } else {
            crate::discover::workspace_rest(&found.inputs, walk, &resolver)
        }
    };
    let stdin_excluded = args.paths.iter().any(|p| p.as_os_str() == "-")
        && !found
            .inputs
            .iter()
            .any(|i| matches!(i, crate::discover::Input::Stdin(_)));
    if stdin_excluded && args.fixes_stdin() {
        // An editor replaces the buffer with what --fix prints: the text, unchanged.
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        if let Err(e) = std::io::copy(&mut std::io::stdin().lock(), &mut out).and_then(|_| out.flush()) {
            line_to_stderr!("error: cannot copy standard input to standard output: {e}");
            return wrote_nothing(args, EXIT_TROUBLE);
        }
    }
    let mut trouble = !found.errors.is_empty();
    for (path, why) in &found.errors {
        let (path, why) = (crate::text::escape_name(path), crate::text::escape_hidden(why));
        line_to_stderr!("error: cannot read {path}: {why}");
    }
    // Colour only where a terminal shows it: never in a report file.
    let options = HumanOptions {
        color: setup.color && args.report_file().is_none(),
        width: terminal_width(),
    };
    let renderer = renderer(args, &options);
    let all_excluded = found.inputs.is_empty()
        && !found.skipped.is_empty()
        && found.skipped.iter().all(|(_, why)| *why == crate::discover::EXCLUDED);
    let mut skipped = found.skipped;
    let emitted = emit(args, &mut setup, &found.inputs, workspace, renderer, sink, &mut skipped);
    let (summary, fixed) = match emitted {
        Ok(emitted) => {
            trouble |= emitted.unreadable;
            if args.add_suppressions && !args.quiet {
                show_suppressions_added(&emitted);
            }
            if let Some(baseline) = setup.baseline.take() {
                trouble |= !baseline.finish(emitted.known, args.quiet);
            }
            (emitted.summary, emitted.fixed)
        }
        Err(e) => {
            // A half-written report was never renamed into place; an old one
            // there is now stale.
            let code = output::write_failed(&report_name(args), &e);
            return wrote_nothing(args, code);
        }
    };
    trouble |= show_config_errors(&setup);
    if args.verbose {
        show_skipped(skipped);
    }
    if args.diff {
        let code = if trouble {
            EXIT_TROUBLE
        } else if emitted_diff(&summary) {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        };
        line_to_stderr!("{} to fix, {} would remain.", summary.fixed, summary.findings());
        return code;
    }
    if summary.files == 0 && !trouble {
        let paths: Vec<String> = setup.paths.iter().map(|p| crate::text::escape_path(p)).collect();
        let paths = paths.join(", ");
        if all_excluded {
            if !args.quiet {
                line_to_stderr!("nothing to lint: {paths} excluded (--force-exclude; --verbose says by what)");
            }
        } else if found.inputs.is_empty() {
            line_to_stderr!(
                "warning: no file to lint in {paths} (ecrlint reads {} files)",
                crate::syntax::read_extensions_text()
            );
        } else {
            line_to_stderr!(
                "warning: no replication document in {paths}: {} file{} passed over (--verbose lists them)",
                found.inputs.len(),
                if found.inputs.len() == 1 { "" } else { "s" }
            );
        }
    }
    let fail_on = if args.exit_zero { FailOn::Never } else { args.fail_on };
    let code = exit_code(&summary, fail_on, trouble);
    if args.show_fixes {
        // Beside the summary: on standard error when standard output carries fixed text.
        let listed = show_fixes(&fixed);
        if args.fixes_stdin() {
            to_stderr!("{listed}");
        } else if output::print(&listed, code) != code {
            return EXIT_TROUBLE;
        }
    }
    if args.quiet {
        return code;
    }
    // The summary goes with human and GitHub output (which shows only ten
    // annotations per step), and to the terminal whenever a file takes the report.
    if matches!(args.format, Format::Human | Format::Github) || args.report_file().is_some() {
        let options = HumanOptions {
            color: setup.color,
            ..options
        };
        let text = render::human::summary(&summary, &options);
        if args.fixes_stdin() {
            to_stderr!("{text}");
            return code;
        }
        return output::print(&text, code);
    }
    code
}

/// Shows the errors of every configuration file met; whether there were any.
fn show_config_errors(setup: &Setup) -> bool {
    let errors = setup.resolver.errors();
    if !errors.is_empty() {
        to_stderr!(
            "{}",
            render_config_errors(&errors, setup.color && std::io::stderr().is_terminal())
        );
    }
    !errors.is_empty()
}

/// Lists the files passed over, by name, on standard error so that
/// machine-readable output stays clean.
fn show_skipped(mut skipped: Vec<(String, &'static str)>) {
    skipped.sort();
    for (path, reason) in &skipped {
        line_to_stderr!("skipped {}: {reason}", crate::text::escape_name(path));
    }
}

/// What a run needs before it lints, once every check that can refuse the
/// run has passed.
struct Setup {
    paths: Vec<PathBuf>,
    overrides: Overrides,
    /// Whether the terminal takes colour (`--color`, `NO_COLOR`).
    color: bool,
    resolver: std::sync::Arc<Resolver>,
    /// The baseline written or read, if any.
    baseline: Option<BaselineRun>,
    /// Where `--sarif-file` goes, opened.
    sarif: Option<Sink>,
    /// Where `--summary-file` goes, opened to add to its end.
    summary: Option<Sink>,
}

/// Checks the arguments, the settings and an explicit configuration, and
/// opens the report. `Err` is the exit code, with the reason already shown.
fn set_up(args: &CheckArgs) -> Result<(Setup, Sink), i32> {
    let paths = paths(args).map_err(|e| wrote_nothing(args, usage_error(&e)))?;
    let overrides = args
        .settings
        .overrides()
        .map_err(|e| wrote_nothing(args, usage_error(&e)))?;
    let color = use_color(args.color);
    let resolver = args.settings.resolver().map_err(|errors| {
        to_stderr!(
            "{}",
            render_config_errors(&errors, color && std::io::stderr().is_terminal())
        );
        wrote_nothing(args, EXIT_TROUBLE)
    })?;
    settings::check_source_region(&overrides, &resolver).map_err(|e| wrote_nothing(args, usage_error(&e)))?;
    let baseline = baseline_for(args, &resolver).map_err(|code| wrote_nothing(args, code))?;
    let sink = match args.report_file() {
        None if args.fixes_stdin() => Sink::stderr(),
        None => Sink::stdout(),
        Some(path) => Sink::open(path).map_err(|e| {
            line_to_stderr!("error: cannot write {}: {e}", crate::text::escape_path(path));
            EXIT_TROUBLE
        })?,
    };
    let sarif = match &args.sarif_file {
        Some(path) => Some(Sink::open(path).map_err(|e| {
            line_to_stderr!("error: cannot write {}: {e}", crate::text::escape_path(path));
            EXIT_TROUBLE
        })?),
        None => None,
    };
    let summary = match &args.summary_file {
        Some(path) => Some(Sink::append(path).map_err(|e| {
            line_to_stderr!("error: cannot write {}: {e}", crate::text::escape_path(path));
            EXIT_TROUBLE
        })?),
        None => None,
    };
    let setup = Setup {
        paths,
        overrides,
        color,
        resolver: std::sync::Arc::new(resolver),
        baseline,
        sarif,
        summary,
    };
    Ok((setup, sink))
}

/// The paths to lint (the current folder when none), standard input at most once.
fn paths(args: &CheckArgs) -> Result<Vec<PathBuf>, String> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let stdin_count = paths.iter().filter(|p| p.as_os_str() == "-").count();
    if stdin_count > 1 {
        return Err("`-` (standard input) can be given only once".into());
    }
    if args.stdin_filename.is_some() && stdin_count == 0 {
        return Err("--stdin-filename names standard input: add `-` to the paths to read it".into());
    }
    Ok(paths)
}

fn use_color(choice: Color) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        // FORCE_COLOR wins over a pipe (CI logs render colour); NO_COLOR over the terminal.
        Color::Auto => {
            let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
            set("FORCE_COLOR") || (!set("NO_COLOR") && std::io::stdout().is_terminal())
        }
    }
}

fn renderer(args: &CheckArgs, options: &HumanOptions) -> Box<dyn Renderer> {
    if args.statistics {
        return Box::<render::statistics::Statistics>::default();
    }
    match args.format {
        Format::Human => Box::new(render::human::Human::new(options, args.max_findings_per_file)),
        Format::Json => Box::<render::json::Json>::default(),
        Format::Concise => Box::new(render::concise::Concise),
        Format::Sarif => Box::new(render::sarif::Sarif::new(sarif_tool())),
        Format::Github => Box::new(render::github::Github),
        Format::Gitlab => Box::new(render::gitlab::Gitlab::new(std::env::current_dir().ok())),
        Format::Junit => Box::new(render::junit::Junit),
        Format::Checkstyle => Box::new(render::checkstyle::Checkstyle),
    }
}

/// The report's name in messages.
fn report_name(args: &CheckArgs) -> String {
    match args.report_file() {
        Some(path) => crate::text::escape_path(path),
        None => "to standard output".into(),
    }
}

/// What writing the report found.
struct Emitted {
    summary: Summary,
    /// For `--show-fixes`: each fixed file's findings fixed, by rule.
    fixed: Vec<(String, Vec<FixedRule>)>,
    /// Some file could not be read or linted.
    unreadable: bool,
    /// `--add-suppressions`: findings silenced by the comments added, and in how many files.
    silenced: usize,
    silenced_files: usize,
    /// Findings the baseline knows (or, writing one, took in): not reported.
    known: usize,
}

/// Lints every input and writes each result to the report as it is ready;
/// files passed over go to `skipped`. The report is in place once this
/// returns `Ok`.
fn emit(
    args: &CheckArgs,
    setup: &mut Setup,
    inputs: &[crate::discover::Input],
    // The rest of the workspace, for the check across files.
    workspace: impl FnOnce() -> Vec<crate::discover::Input>,
    mut renderer: Box<dyn Renderer + '_>,
    mut sink: Sink,
    skipped: &mut Vec<(String, &'static str)>,
) -> std::io::Result<Emitted> {
    let limits = Limits {
        max_file_size: args.max_file_size,
        skip_unrecognised: args.skip_unrecognised,
        fix: args.fix_mode(),
        terraform_modules: true,
        max_findings: args.max_findings,
        add_suppressions: args.add_suppressions,
    };
    let mut summary = Summary {
        fixing: limits.fix,
        ..Summary::default()
    };
    let mut unreadable = false;
    let mut fixed = Vec::new();
    let (mut silenced, mut silenced_files, mut known) = (0, 0, 0);
    let roots = walk_roots(&setup.paths);
    // `--diff` prints the diffs alone: no report.
    if !args.diff {
        renderer.begin(&mut sink)?;
    }
    let mut sarif = setup
        .sarif
        .take()
        .map(|sink| (render::sarif::Sarif::new(sarif_tool()), sink));
    if let Some((sarif, sink)) = &mut sarif {
        sarif.begin(sink)?;
    }
    let rule_link = |code: &str| crate::rules::find(code).map(|m| m.doc_url());
    let mut page = setup
        .summary
        .take()
        .map(|sink| (render::markdown::MarkdownSummary::new(&rule_link), sink));
    lint_all_in_workspace(
        inputs,
        workspace,
        &setup.resolver,
        &setup.overrides,
        &limits,
        |input, result| match result {
            Linted::File(mut f) => {
                if let Some(e) = &f.error {
                    line_to_stderr!("error: {}: {e}", f.shown_path());
                    unreadable = true;
                }
                if f.fixed.is_some() {
                    unreadable |= !put_fixes(args, &roots, input, &mut f)?;
                }
                if let Some(baseline) = setup.baseline.as_mut() {
                    known += baseline.take_known(&mut f);
                }
                summary.add(&f);
                if args.add_suppressions && f.changed() {
                    silenced += silenced_in(&f);
                    silenced_files += 1;
                }
                if args.show_fixes && f.changed() {
                    fixed.push((f.shown_path().into_owned(), fixed_by_rule(&f)));
                }
                if args.diff {
                    return Ok(());
                }
                if let Some((sarif, sink)) = &mut sarif {
                    sarif.file(sink, &f)?;
                }
                if let Some((page, sink)) = &mut page {
                    page.file(sink, &f)?;
                }
                renderer.file(&mut sink, &f)
            }
            Linted::Skipped(reason) => {
                skipped.push((input.display(), reason));
                Ok(())
            }
        },
    )?;
    if !args.diff {
        renderer.end(&mut sink, &summary)?;
    }
    sink.finish()?;
    if let Some((mut sarif, mut sink)) = sarif {
        sarif.end(&mut sink, &summary)?;
        sink.finish()?;
    }
    if let Some((mut page, mut sink)) = page {
        page.end(&mut sink, &summary)?;
        std::io::Write::write_all(&mut sink, picture(setup).as_bytes())?;
        sink.finish()?;
    }
    Ok(Emitted {
        summary,
        fixed,
        unreadable,
        silenced,
        silenced_files,
        known,
    })
}

/// What the checked files set up, as a Mermaid picture under a heading for
/// the summary page (nothing when they replicate nowhere). Read from the
/// files again: only CI pages ask for it, and the check keeps no model.
fn picture(setup: &Setup) -> String {
    let files: Vec<PathBuf> = setup.paths.iter().filter(|p| p.as_os_str() != "-").cloned().collect();
    if files.is_empty() {
        return String::new();
    }
    let model = crate::load::read_paths(&files, Path::new("."), setup.resolver.clone(), &setup.overrides);
    let topology = crate::review::topology::of_model(&model);
    if topology.edges.is_empty() {
        return String::new();
    }
    crate::review::render::with_picture("#### Replication the checked files set up\n".into(), &topology)
}

/// `--write-baseline`, or the baseline read (`--baseline`, else `[baseline] file`
/// of the configuration governing the current folder), for one run.
enum BaselineRun {
    Write(PathBuf, crate::baseline::Writer),
    Read(PathBuf, crate::baseline::Baseline),
}

impl BaselineRun {
    /// Takes a file's known findings out of it (all of them, when writing); how many.
    fn take_known(&mut self, f: &mut render::FileResult) -> usize {
        match self {
            BaselineRun::Write(_, w) => w.record(&f.path, &f.text, &mut f.diagnostics),
            BaselineRun::Read(_, b) => b.filter(&f.path, &f.text, &mut f.diagnostics),
        }
    }

    /// Writes the baseline, or says what reading it came to, on standard
    /// error; `false` when the file cannot be written.
    fn finish(self, known: usize, quiet: bool) -> bool {
        match self {
            BaselineRun::Write(path, writer) => {
                let shown = crate::text::escape_path(&path);
                let written = Sink::open(&path).and_then(|mut sink| {
                    use std::io::Write;
                    sink.write_all(writer.finish().as_bytes())?;
                    sink.finish()
                });
                match written {
                    Ok(()) => {
                        if !quiet {
                            line_to_stderr!(
                                "Wrote {} to the baseline {shown}: from now on only new findings are reported.",
                                render::plural(known, "finding")
                            );
                        }
                        true
                    }
                    Err(e) => {
                        line_to_stderr!("error: cannot write the baseline {shown}: {e}");
                        false
                    }
                }
            }
            BaselineRun::Read(path, baseline) => {
                let shown = crate::text::escape_path(&path);
                let stale = baseline.stale();
                if !quiet && known > 0 {
                    line_to_stderr!(
                        "{} known from the baseline {shown} not shown.",
                        render::plural(known, "finding")
                    );
                }
                if !quiet && stale > 0 {
                    line_to_stderr!(
                        "{} of the baseline {shown} no longer found (fixed?): `--write-baseline {shown}` drops them.",
                        render::plural(stale, "finding")
                    );
                }
                true
            }
        }
    }
}

/// The baseline of this run; `Err` is the exit code, the reason shown.
fn baseline_for(args: &CheckArgs, resolver: &Resolver) -> Result<Option<BaselineRun>, i32> {
    if let Some(path) = &args.write_baseline {
        return Ok(Some(BaselineRun::Write(
            path.clone(),
            crate::baseline::Writer::new(path),
        )));
    }
    // The configuration of the current folder (any file in it finds it).
    let configured = || {
        let probe = PathBuf::from(".").join(crate::config::FILE_NAME);
        let config = resolver.for_file(&probe).ok().flatten()?;
        Some(crate::config::ConfigError::shown(config.baseline.as_deref()?))
    };
    let Some(path) = args.baseline.clone().or_else(configured) else {
        return Ok(None);
    };
    match crate::baseline::Baseline::read(&path) {
        Ok(baseline) => Ok(Some(BaselineRun::Read(path, baseline))),
        Err(why) => {
            line_to_stderr!(
                "error: cannot use the baseline {}: {why}",
                crate::text::escape_path(&path)
            );
            Err(EXIT_TROUBLE)
        }
    }
}

/// How many findings the comments `--add-suppressions` wrote into a file silence.
fn silenced_in(f: &render::FileResult) -> usize {
    let Some(fixes) = &f.fixed else {
        return 0;
    };
    let before = fixes.before.len() + fixes.before_omitted.total();
    before.saturating_sub(f.diagnostics.len() + f.omitted.total())
}

/// What `--add-suppressions` did, and what it left: findings in JSON (which
/// has no comments) and those a comment cannot silence.
fn show_suppressions_added(emitted: &Emitted) {
    let files = render::plural(emitted.silenced_files, "file");
    line_to_stderr!(
        "Added suppression comments for {} in {files}.",
        render::plural(emitted.silenced, "finding")
    );
    let left = emitted.summary.findings();
    if left > 0 {
        line_to_stderr!(
            "{} cannot take a comment (JSON files, whole-file and broken-file findings): fix them or list them \
             in a baseline.",
            render::plural(left, "finding")
        );
    }
}

/// A rule's findings that fixing removed from a file.
struct FixedRule {
    code: &'static str,
    rule: &'static str,
    count: usize,
}

/// The fixes applied to a file, by rule: only those applied (a finding
/// that went with another rule's fix, a duplicate destination's misspelt
/// Region, was not fixed by its own rule, whose fix may not even have
/// been allowed).
fn fixed_by_rule(f: &render::FileResult) -> Vec<FixedRule> {
    let Some(fixes) = &f.fixed else {
        return Vec::new();
    };
    let mut rules: Vec<FixedRule> = fixes
        .applied_rules
        .iter()
        .map(|&(code, rule, count)| FixedRule { code, rule, count })
        .collect();
    rules.sort_by_key(|r| r.code);
    rules
}

/// `--show-fixes`, as ruff words it: "Fixed 3 findings:", then each file and
/// its rules.
fn show_fixes(fixed: &[(String, Vec<FixedRule>)]) -> String {
    let total: usize = fixed.iter().flat_map(|(_, rules)| rules).map(|r| r.count).sum();
    if total == 0 {
        return "No findings fixed.\n".into();
    }
    let mut out = format!("Fixed {}:\n", render::plural(total, "finding"));
    for (path, rules) in fixed.iter().filter(|(_, rules)| !rules.is_empty()) {
        out.push_str(&format!("- {path}:\n"));
        for r in rules {
            out.push_str(&format!("    {} × {} ({})\n", r.count, r.code, r.rule));
        }
    }
    out
}

/// Whether `--diff` found anything to change.
fn emitted_diff(summary: &Summary) -> bool {
    summary.fixed > 0
}

/// Puts one file's fixes where they go: its diff on standard output
/// (`--diff`), the fixed text over the file (atomically, only when it
/// changed), or standard input's on standard output. Dropped fixes are
/// reported. `Ok(false)`: the file could not be written (it is reported as
/// it was read); `Err`: standard output failed.
fn put_fixes(
    args: &CheckArgs,
    roots: &[PathBuf],
    input: &crate::discover::Input,
    f: &mut render::FileResult,
) -> std::io::Result<bool> {
    use crate::discover::Input;
    use std::io::Write;
    let Some(fixes) = f.fixed.as_ref() else {
        return Ok(true);
    };
    for d in &fixes.dropped {
        line_to_stderr!(
            "warning: {}: fix not applied ({} {}): {}",
            f.shown_path(),
            d.code,
            crate::text::escape_hidden(&d.title),
            d.reason
        );
    }
    if args.diff {
        if f.changed() {
            let name = f.shown_path().into_owned();
            let diff = render::diff::unified(&fixes.original, &f.text, &format!("a/{name}"), &format!("b/{name}"));
            let mut out = std::io::stdout().lock();
            out.write_all(diff.as_bytes())?;
            out.flush()?;
        }
        return Ok(true);
    }
    match input {
        Input::Stdin(_) => {
            // Input that is not UTF-8 was not fixed: it goes back as it came.
            let bytes = fixes.undecoded.as_deref().unwrap_or(f.text.as_bytes());
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)?;
            out.flush()?;
            Ok(true)
        }
        Input::Explicit(path) | Input::Found(path) if f.changed() => {
            let target = replace::Target {
                path,
                found: matches!(input, Input::Found(_)),
                roots,
                original: fixes.original.as_bytes(),
                read: fixes.read,
                sync: args.sync,
            };
            match replace::write_fixed(&target, f.text.as_bytes()) {
                Ok(note) => {
                    if let Some(note) = note {
                        line_to_stderr!("note: {note}");
                    }
                    Ok(true)
                }
                Err(refused) => {
                    let kind = if refused.trouble { "error" } else { "note" };
                    line_to_stderr!(
                        "{kind}: cannot write the fixes to {}: {}",
                        f.shown_path(),
                        refused.reason
                    );
                    f.unfix();
                    Ok(!refused.trouble)
                }
            }
        }
        _ => Ok(true),
    }
}

/// The folders among `paths`, resolved: a walk's fixes stay inside them.
fn walk_roots(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths
        .iter()
        .filter(|p| p.is_dir())
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect()
}

/// 2 for trouble (unreadable files, broken configurations), 1 for findings
/// at or above `--fail-on`, else 0.
fn exit_code(summary: &Summary, fail_on: FailOn, trouble: bool) -> i32 {
    let failing = match fail_on {
        FailOn::Error => summary.errors,
        FailOn::Warning => summary.errors + summary.warnings,
        FailOn::Info => summary.findings(),
        FailOn::Never => 0,
    };
    if trouble {
        EXIT_TROUBLE
    } else if failing > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// The rules as SARIF describes them, built on first use: only a SARIF
/// report needs them, and building them (each rule's "What it checks"
/// section found in its doc) was a tenth of a small file's run.
fn sarif_tool() -> &'static render::sarif::Tool<'static> {
    static TOOL: std::sync::OnceLock<render::sarif::Tool<'static>> = std::sync::OnceLock::new();
    TOOL.get_or_init(|| render::sarif::Tool {
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
    })
}

fn terminal_width() -> usize {
    render::human::terminal_width()
}
