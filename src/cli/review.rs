//! `ecrlint route` and `ecrlint diff`: the review views of the model.

use super::settings::SettingsArgs;
use super::{output, usage_error, EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE};
use crate::config::Resolver;
use crate::model::Model;
use crate::review::{diff, render, route, topology};
use crate::settings::Overrides;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum ReviewFormat {
    Human,
    Json,
    /// A table or list, with the topology as a Mermaid diagram
    Markdown,
    /// The topology alone, as a Mermaid flowchart
    Mermaid,
    /// The topology alone, as Graphviz DOT
    Dot,
}

/// The settings that decide what the files deploy (the flags of `check`
/// that say where it is deployed and how Terraform's variables are set).
#[derive(clap::Args)]
pub struct ReviewSettings {
    /// Region the configurations are applied in, where the files do not say
    #[arg(long, value_name = "REGION")]
    source_region: Option<String>,
    /// Account ID of the source registry, where the files do not say
    #[arg(long, value_name = "ACCOUNT_ID")]
    source_registry_id: Option<String>,
    /// A file of Terraform variable values, as `terraform plan -var-file` takes it (repeatable)
    #[arg(long = "var-file", value_name = "FILE")]
    var_files: Vec<PathBuf>,
    /// A Terraform variable's value, as `terraform plan -var` takes it (repeatable; wins over --var-file)
    #[arg(long = "var", value_name = "NAME=VALUE")]
    vars: Vec<String>,
    /// Use this configuration file for every file instead of discovering .ecrlint.toml
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    config: Option<PathBuf>,
    /// Ignore every configuration file
    #[arg(long)]
    isolated: bool,
}

impl ReviewSettings {
    /// The overrides, and a way to make a resolver for each side; or the
    /// exit code after saying what is wrong.
    fn read(&self) -> Result<(Overrides, SettingsArgs), i32> {
        let args = SettingsArgs {
            source_region: self.source_region.clone(),
            source_registry_id: self.source_registry_id.clone(),
            rules: Vec::new(),
            select: None,
            extend_select: Vec::new(),
            ignore: Vec::new(),
            registry_policy_scope: None,
            var_files: self.var_files.clone(),
            vars: self.vars.clone(),
            config: self.config.clone(),
            isolated: self.isolated,
        };
        let overrides = args.overrides().map_err(|e| usage_error(&e))?;
        let resolver = resolver(&args)?;
        super::settings::check_source_region(&overrides, &resolver).map_err(|e| usage_error(&e))?;
        Ok((overrides, args))
    }
}

/// A resolver for one side, or the exit code after showing the errors of `--config`.
fn resolver(args: &SettingsArgs) -> Result<Resolver, i32> {
    args.resolver().map_err(|errors| {
        to_stderr!("{}", super::settings::render_config_errors(&errors, false));
        EXIT_TROUBLE
    })
}

#[derive(clap::Args)]
pub struct RouteArgs {
    /// Repository names (default: every repository the workspace defines)
    names: Vec<String>,
    /// Read repository names from standard input, one a line
    #[arg(long)]
    stdin: bool,
    #[arg(long = "output-format", visible_alias = "format", value_enum, default_value_t = ReviewFormat::Human)]
    format: ReviewFormat,
    #[command(flatten)]
    settings: ReviewSettings,
}

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The old side: a file or folder
    #[arg(required_unless_present = "base", conflicts_with = "base")]
    old: Option<PathBuf>,
    /// The new side: a file or folder
    #[arg(required_unless_present = "base", conflicts_with = "base")]
    new: Option<PathBuf>,
    /// Compare the workspace at this git revision with the work tree
    #[arg(long, value_name = "REV")]
    base: Option<String>,
    /// Exit 1 when a change of these kinds is found
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KIND,...")]
    fail_on: Vec<diff::Kind>,
    #[arg(long = "output-format", visible_alias = "format", value_enum, default_value_t = ReviewFormat::Human)]
    format: ReviewFormat,
    #[command(flatten)]
    settings: ReviewSettings,
}

/// Says which files could not be read (the answer may miss what they deploy).
fn warn_unread(model: &Model) {
    for (path, why) in &model.unread {
        line_to_stderr!(
            "warning: {}: {why}; what it deploys is left out",
            crate::text::escape_hidden(path)
        );
    }
}

pub fn run_route(args: RouteArgs) -> i32 {
    let (overrides, settings) = match args.settings.read() {
        Ok(read) => read,
        Err(code) => return code,
    };
    let resolver = match resolver(&settings) {
        Ok(r) => Arc::new(r),
        Err(code) => return code,
    };
    let mut names = args.names;
    if args.stdin {
        let mut text = String::new();
        if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut text) {
            return usage_error(&format!("cannot read standard input: {e}"));
        }
        names.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string),
        );
    }
    if names.iter().any(|n| n.trim().is_empty()) {
        // An empty name matches every prefix filter's empty start and would be
        // "routed" everywhere, which no repository can be.
        return usage_error(
            "an empty repository name cannot be routed: name a repository, e.g. `ecrlint route prod/api`",
        );
    }
    let model = crate::load::read_workspace(Path::new("."), resolver, &overrides);
    warn_unread(&model);
    if names.is_empty() {
        if !model.defines_repositories() {
            return usage_error(
                "no repository names given, and the workspace defines no repository \
                 (aws_ecr_repository, AWS::ECR::Repository with a literal name): name them, or use --stdin",
            );
        }
        names = model.repository_names();
    }
    let report = route::route(&model, &names);
    let text = match args.format {
        ReviewFormat::Human => render::route_human(&report),
        ReviewFormat::Json => render::route_json(&report),
        ReviewFormat::Markdown => render::with_picture(render::route_markdown(&report), &topology::of_model(&model)),
        ReviewFormat::Mermaid => topology::mermaid(&topology::of_model(&model)),
        ReviewFormat::Dot => topology::dot(&topology::of_model(&model)),
    };
    output::print(&text, EXIT_OK)
}

pub fn run_diff(args: DiffArgs) -> i32 {
    let (overrides, settings) = match args.settings.read() {
        Ok(read) => read,
        Err(code) => return code,
    };
    let side = |path: &Path, shown_from: &Path| -> Result<Model, i32> {
        let resolver = Arc::new(resolver(&settings)?);
        Ok(crate::load::read_paths(
            &[path.to_path_buf()],
            shown_from,
            resolver,
            &overrides,
        ))
    };
    let sides = match (&args.base, &args.old, &args.new) {
        (Some(rev), _, _) => match at_revision(rev, &side) {
            Ok(sides) => Ok(sides),
            Err(Trouble::Said(e)) => return usage_error(&e),
            Err(Trouble::Exit(code)) => Err(code),
        },
        (None, Some(old), Some(new)) => {
            for path in [old, new] {
                if !path.exists() {
                    return usage_error(&format!("{} does not exist", path.display()));
                }
            }
            read_side(old, &side).and_then(|old| Ok((old, read_side(new, &side)?)))
        }
        _ => return usage_error("give OLD and NEW (files or folders), or --base REV"),
    };
    let (old, new) = match sides {
        Ok(sides) => sides,
        Err(code) => return code,
    };
    warn_unread(&old);
    warn_unread(&new);
    let report = diff::diff(&old, &new);
    let text = match args.format {
        ReviewFormat::Human => render::diff_human(&report),
        ReviewFormat::Json => render::diff_json(&report),
        ReviewFormat::Markdown => render::with_picture(render::diff_markdown(&report), &topology::of_diff(&old, &new)),
        ReviewFormat::Mermaid => topology::mermaid(&topology::of_diff(&old, &new)),
        ReviewFormat::Dot => topology::dot(&topology::of_diff(&old, &new)),
    };
    let code = if !old.unread.is_empty() || !new.unread.is_empty() {
        EXIT_TROUBLE
    } else if report.changes.iter().any(|c| args.fail_on.contains(&c.kind)) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    output::print(&text, code)
}

/// A side of the diff: a file (shown by its name) or a folder (its files
/// shown relative to it, so that both sides name the same file alike).
fn read_side(path: &Path, side: &Side) -> Result<Model, i32> {
    let shown_from = if path.is_dir() {
        path
    } else {
        path.parent().unwrap_or(Path::new("."))
    };
    side(path, shown_from)
}

/// Reads one side: a file or folder, its paths shown from a folder.
type Side<'a> = dyn Fn(&Path, &Path) -> Result<Model, i32> + 'a;

/// Why `--base` gave no sides: a message to show, or an exit code (already said).
enum Trouble {
    Said(String),
    Exit(i32),
}

impl From<String> for Trouble {
    fn from(message: String) -> Trouble {
        Trouble::Said(message)
    }
}

impl From<&str> for Trouble {
    fn from(message: &str) -> Trouble {
        Trouble::Said(message.to_string())
    }
}

/// The workspace at `rev` and the work tree: the revision's files are
/// written by `git archive` into a temporary folder, removed after; the
/// work tree is never touched.
fn at_revision(rev: &str, side: &Side) -> Result<(Model, Model), Trouble> {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))
    };
    let top = git(&["rev-parse", "--show-toplevel"])?;
    if !top.status.success() {
        return Err("--base needs a git work tree: the current folder is in none".into());
    }
    let root = PathBuf::from(String::from_utf8_lossy(&top.stdout).trim());
    let verified = git(&["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])?;
    if !verified.status.success() {
        return Err(format!("`{rev}` is not a commit of this repository").into());
    }
    let commit = String::from_utf8_lossy(&verified.stdout).trim().to_string();
    let scratch = Scratch::new()?;
    let mut archive = std::process::Command::new("git")
        .args(["-C"])
        .arg(&root)
        .args(["archive", "--format=tar", &commit])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git archive: {e}"))?;
    let archive_out = archive.stdout.take().ok_or("git archive gave no output")?;
    let unpacked = std::process::Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(&scratch.0)
        .stdin(archive_out)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    let archived = archive.wait().map_err(|e| format!("git archive: {e}"))?;
    if !archived.success() || !unpacked.success() {
        return Err(format!("cannot read the files of `{rev}` (git archive | tar failed)").into());
    }
    let old = side(&scratch.0, &scratch.0).map_err(Trouble::Exit)?;
    let new = side(&root, &root).map_err(Trouble::Exit)?;
    Ok((old, new))
}

/// A temporary folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Scratch, String> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = std::env::temp_dir().join(format!("ecrlint-diff-{}-{nanos}", std::process::id()));
        std::fs::create_dir(&path).map_err(|e| format!("cannot make a temporary folder: {e}"))?;
        Ok(Scratch(path))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
