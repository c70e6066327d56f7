//! The server's one door into the rest of ecrlint: linting, settings and
//! configuration files, rule documentation, fixes and Region facts. Every
//! call from `server/` into the crate goes through here, so that a change
//! to the library's layout is a change to this file only.

use crate::config::{Mode, Requested, Resolver};
use crate::document::recognise::{self, Recognition};
use crate::document::shape::Shape;
use crate::document::{Document, Scalar};
use crate::facts::facts;
use crate::lint::{self, Origin, Outcome};
use std::path::{Path, PathBuf};

pub use crate::config::{ConfigError, FILE_NAME as CONFIG_FILE_NAME};
pub use crate::diagnostic::{Diagnostic, Severity};
use crate::settings::Overrides;
pub use crate::settings::Settings;
use crate::syntax::ReadAs;
pub use crate::syntax::Span;

/// What the client may set in `initializationOptions`, as `check`'s flags.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    /// `--rule`-style levels: `["ECR310=warning", "opt-in-region=off"]`.
    pub rules: Vec<String>,
    /// `--select`: the rules on (codes, names or prefixes such as `ECR2`),
    /// replacing the configuration's selection.
    pub select: Option<Vec<String>>,
    /// `--extend-select`: rules turned on besides the selection.
    pub extend_select: Vec<String>,
    /// `--ignore`: rules turned off.
    pub ignore: Vec<String>,
    /// `--source-region`.
    pub source_region: Option<String>,
    /// `--source-registry-id`.
    pub source_registry_id: Option<String>,
    /// `--registry-policy-scope`: `V1` or `V2`.
    pub registry_policy_scope: Option<String>,
    /// `--no-workspace`: without workspace folders, check across the open
    /// documents alone, not across the workspace found from their paths.
    pub no_workspace: bool,
}

/// Settings for documents: the options, and each file's `.ecrlint.toml`
/// found from its path as `check` finds it.
pub struct Engine {
    overrides: Overrides,
    resolver: std::sync::Arc<Resolver>,
    /// Whether a document opened without workspace folders brings its
    /// workspace (git work tree, or topmost `.ecrlint.toml` folder) along.
    pub finds_workspaces: bool,
}

impl Engine {
    /// `Err` when the options are invalid (as the same flags would be for
    /// `check`); the engine then holds no options at all.
    pub fn new(options: &Options) -> (Engine, Result<(), String>) {
        let requested = Requested {
            source_region: options.source_region.clone(),
            source_registry_id: options.source_registry_id.clone(),
            rules: options.rules.clone(),
            select: options.select.clone(),
            extend_select: options.extend_select.clone(),
            ignore: options.ignore.clone(),
            registry_policy_scope: options.registry_policy_scope.clone(),
            ..Requested::default()
        };
        let checked = requested.overrides().and_then(|overrides| {
            let resolver = Resolver::new(Mode::Discover);
            crate::config::check_source_region(&overrides, &resolver)?;
            Ok(overrides)
        });
        let (overrides, result) = match checked {
            Ok(overrides) => (overrides, Ok(())),
            Err(e) => (
                Requested::default().overrides().expect("no flags are valid flags"),
                Err(e),
            ),
        };
        (
            Engine {
                overrides,
                resolver: std::sync::Arc::new(Resolver::new(Mode::Discover)),
                finds_workspaces: !options.no_workspace,
            },
            result,
        )
    }

    /// The settings for a file on disk; `Err` names its configuration file
    /// when that has errors ([`Engine::config_errors`] lists them).
    /// A Terraform file's settings hold its folder's module (variables,
    /// locals, tfvars), as `check` reads it.
    pub fn settings_for(&self, file: &Path) -> Result<Settings, PathBuf> {
        self.resolver
            .resolve(file, &self.overrides)
            .map(|r| self.resolver.with_module(file, r.settings))
    }

    /// The Terraform documents open in the editor, as edited: they stand
    /// for their files in the modules the next [`Engine::settings_for`] reads.
    pub fn set_open_terraform(&self, open: std::collections::HashMap<PathBuf, String>) {
        self.resolver.set_open_terraform(open);
    }

    /// The configuration file that governs `file`, when one does (and reads).
    pub fn config_file_for(&self, file: &Path) -> Option<PathBuf> {
        self.resolver.for_file(file).ok().flatten().map(|c| c.path.clone())
    }

    /// Whether an `exclude` or `extend-exclude` glob of the configuration
    /// governing `file` matches it (or a folder above it), as for
    /// `check --force-exclude`: the editor shows no findings for it.
    pub fn excluded(&self, file: &Path) -> bool {
        self.resolver.excluded_named(file)
    }

    /// The settings for a document without a file (an unsaved buffer): the
    /// options alone.
    pub fn settings_without_file(&self) -> Settings {
        let isolated = Resolver::new(Mode::Isolated);
        match isolated.resolve(Path::new("untitled"), &self.overrides) {
            Ok(r) => r.settings,
            Err(_) => Settings::default(),
        }
    }

    /// The model of what the files under `roots` deploy, but those in
    /// `except` (the open documents, read from the editor instead).
    pub fn disk_model(&self, roots: &[PathBuf], except: &[PathBuf]) -> crate::model::Model {
        crate::load::read_roots_except(roots, self.resolver.clone(), &self.overrides, except)
    }

    /// Forgets every configuration file found or read: the next
    /// [`Engine::settings_for`] looks and reads again.
    pub fn reload_configs(&self) {
        self.resolver.invalidate_all();
    }

    /// The files `check` would lint in these folders (`.gitignore` and the
    /// configurations' `exclude` globs respected); `None` when the folders
    /// hold more than `max_entries` files and folders.
    pub fn files_in(&self, roots: &[PathBuf], max_entries: usize) -> Option<Vec<PathBuf>> {
        let options = crate::discover::WalkOptions {
            max_entries: Some(max_entries),
            ..Default::default()
        };
        let found = crate::discover::discover(roots, None, options, &self.resolver);
        if found.truncated {
            return None;
        }
        let files = found
            .inputs
            .into_iter()
            .filter_map(|input| match input {
                crate::discover::Input::Found(p) | crate::discover::Input::Explicit(p) => Some(p),
                crate::discover::Input::Stdin(_) => None,
            })
            .collect();
        Some(files)
    }

    /// Errors of every configuration file read since the last reload.
    pub fn config_errors(&self) -> Vec<ConfigError> {
        self.resolver.errors()
    }
}

/// The extensions of the files `check` takes in a folder: those it reads,
/// and Terraform's variable files, whose values the documents use.
pub fn walked_extensions() -> Vec<&'static str> {
    crate::syntax::walked_extensions().collect()
}

/// Whether a change to the file at `path` may change the settings of
/// other documents: a configuration file, or a file of a Terraform module
/// folder (its variables, locals and tfvars are the other files' values).
pub fn changes_settings(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    is_config_file(path)
        || crate::document::module::is_configuration(name)
        || crate::document::module::is_var_file(name)
}

/// The Terraform override files of a folder.
pub fn override_files(folder: &Path) -> Vec<String> {
    crate::document::module::override_files(folder)
}

/// Whether a file is Terraform configuration (`.tf`, `.tf.json`): it may
/// be a local module's, which the open `.tf` files that call it read from
/// disk when linted.
pub fn is_terraform_configuration(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    crate::document::module::is_configuration(name)
}

/// Whether a path is a configuration file.
pub fn is_config_file(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == CONFIG_FILE_NAME)
}

/// A file name that reads a document without a path (untitled) in the
/// format of its LSP language id, when the content alone would not tell:
/// `terraform` is HCL (`.tf`). Other documents are read by their content.
pub fn name_for_language(language_id: &str) -> Option<PathBuf> {
    match language_id {
        "terraform" => Some(PathBuf::from("untitled.tf")),
        _ => None,
    }
}

/// Lints a document as `check` lints a file found in a directory: `None`
/// when it is not a replication document (no diagnostics at all), else its
/// findings. `path` picks the format by extension (none: by content).
pub fn lint(text: &str, path: Option<&Path>, settings: &Settings) -> Option<Vec<Diagnostic>> {
    lint_with_facts(text, path, settings).map(|linted| linted.diagnostics)
}

/// What [`lint_with_facts`] gives.
#[derive(Default)]
pub struct Linted {
    pub diagnostics: Vec<Diagnostic>,
    /// What the check across files needs of the document.
    pub facts: FileFacts,
    /// The shape the document was read as (`None`: none, as for a text that
    /// does not parse).
    pub shape: Option<&'static Shape>,
}

/// [`lint`], with what the check across files needs of the document.
pub fn lint_with_facts(text: &str, path: Option<&Path>, settings: &Settings) -> Option<Linted> {
    let read_as = path.map_or(ReadAs::Detect, ReadAs::for_path);
    match lint::lint(text.as_bytes(), read_as, Origin::Found, settings) {
        Outcome::Linted {
            diagnostics,
            facts,
            document,
            ..
        } => Some(Linted {
            diagnostics,
            facts,
            shape: document,
        }),
        Outcome::Skipped { .. } => None,
    }
}

/// A change to a document's text, in bytes.
pub use crate::blank_edits::Change;

/// What [`lint_with_facts`] gives for `after`, which `changes` made of
/// `before`: what it gave for `before` (with the same `path` and
/// `settings`), moved, when the changes only add or remove blanks between
/// JSON tokens; `None` when `after` must be linted.
pub fn moved_findings(
    before: &str,
    after: &str,
    path: Option<&Path>,
    settings: &Settings,
    changes: &[Change],
    linted: &Linted,
) -> Option<Linted> {
    let read_as = path.map_or(ReadAs::Detect, ReadAs::for_path);
    let was = crate::blank_edits::Linted {
        shape: linted.shape?,
        found: &linted.diagnostics,
        facts: &linted.facts,
    };
    let (diagnostics, facts) = crate::blank_edits::moved(before, after, read_as, settings, changes, was)?;
    Some(Linted {
        diagnostics,
        facts,
        shape: linted.shape,
    })
}

/// What the check across files needs of one file (its cross-account
/// destinations, its registry policies), and one file of that check.
pub use crate::crosscheck::{FileFacts, Member};
pub use crate::diagnostic::OtherFile;

/// Files larger than this are left out of the check across the workspace
/// (as `check`'s default `--max-file-size`).
const MAX_WORKSPACE_FILE: u64 = 64 << 20;

/// The facts of a file's text for the check across files, without linting
/// it (the workspace's files on disk).
pub fn file_facts(text: &str, path: Option<&Path>, settings: &Settings) -> FileFacts {
    crate::crosscheck::file_facts(text, path.map_or(ReadAs::Detect, ReadAs::for_path), settings)
}

/// A file on disk, read as `check` reads it (regular files only, size
/// capped); `None` when it cannot be read or is not text.
pub fn read_file(path: &Path) -> Option<String> {
    let input = crate::discover::Input::Found(path.to_path_buf());
    String::from_utf8(crate::batch::read_input(&input, MAX_WORKSPACE_FILE).ok()?).ok()
}

/// Adds to the findings of member `index` what the check across `members`
/// finds in it (at the levels `settings` give), and drops the ECR312
/// reminders it answers, as `check` does for the files of one run.
pub fn check_across(members: &[Member], index: usize, settings: &Settings, diagnostics: &mut Vec<Diagnostic>) {
    if members.get(index).is_none_or(|m| m.facts.is_empty()) {
        return;
    }
    // As `check` skips it (every member's requirements count: a superset).
    let facts = members.iter().map(|m| &m.facts);
    if !crate::workspace::can_find(facts.clone(), facts) {
        return;
    }
    let mut found = crate::workspace::check(members);
    let extra: Vec<Diagnostic> = std::mem::take(&mut found.diagnostics)
        .into_iter()
        .filter(|(i, _)| *i == index)
        .map(|(_, d)| d)
        .collect();
    found.add_to(index, diagnostics, extra, settings);
}

/// One way to fix a finding: the library's fix (a title, an applicability
/// and edits on byte spans of the text the finding was made in).
pub use crate::fix::Fix;

/// The fixes ecrlint knows for a finding: its own, safe or unsafe (a
/// quickfix shows either; the user picks it).
pub fn fixes(diagnostic: &Diagnostic, _text: &str) -> Vec<Fix> {
    diagnostic.fix.iter().map(|fix| Fix::clone(fix)).collect()
}

/// The document with every safe fix applied, as `check --fix` would (the
/// shared passes, each checked by linting again); `None` when nothing changes.
pub fn fix_all(text: &str, path: Option<&Path>, settings: &Settings) -> Option<String> {
    let linter = crate::fix_loop::Linter {
        read_as: path.map_or(ReadAs::Detect, ReadAs::for_path),
        origin: Origin::Found,
        settings,
    };
    let fixed = crate::fix_loop::fix_text(text, linter, crate::fix::apply::Mode::Safe);
    (fixed.text != text).then_some(fixed.text)
}

/// A rule's one-line summary and where its page is published, by code.
pub fn rule_summary(code: &str) -> Option<(&'static str, String)> {
    let meta = crate::rules::find(code)?;
    Some((meta.summary, meta.doc_url()))
}

/// The `[[overrides]]` table that turns `code` off for `file`, appended to
/// the configuration file `config` whose text is `config_text`: how a JSON
/// file (which has no comments) ignores a finding. `None` when `file` is not
/// under the configuration's folder (its globs are relative to it).
pub fn ignore_override(config: &Path, config_text: &str, file: &Path, code: &str) -> Option<String> {
    let folder = crate::config::normalize(config.parent()?);
    let relative = crate::config::normalize(file).strip_prefix(&folder).ok()?.to_path_buf();
    let glob: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let glob = glob.join("/");
    // A glob matches `[`, `*`, `?` and `{` specially: such names are left to the user.
    if glob.is_empty() || glob.contains(['[', ']', '*', '?', '{', '}', '\\', '"']) {
        return None;
    }
    let newline = if config_text.contains("\r\n") { "\r\n" } else { "\n" };
    let gap = if config_text.is_empty() || config_text.ends_with('\n') {
        ""
    } else {
        newline
    };
    Some(
        [
            gap,
            newline,
            "# JSON has no comments: the editor's \"Ignore here\" turns the rule off for this file.",
            newline,
            "[[overrides]]",
            newline,
            &format!("files = [\"{glob}\"]"),
            newline,
            &format!("rules = {{ {code} = \"off\" }}"),
            newline,
        ]
        .concat(),
    )
}

/// The edit that silences `d` where it is: a suppression comment above its
/// line ([`crate::suppress::add`]), in YAML and Terraform HCL; `None` in JSON,
/// which has no comments (and for findings no comment silences).
pub fn ignore_here(d: &Diagnostic, text: &str, path: Option<&Path>) -> Option<crate::fix::Edit> {
    let format = path.map_or(ReadAs::Detect, ReadAs::for_path).resolve(text.as_bytes())?;
    let added = crate::suppress::add::add(text, format, std::slice::from_ref(d))?;
    let &(at, len) = added.insertions.first()?;
    Some(crate::fix::Edit::insert(at, &added.text[at..at + len]))
}

/// A Region as the built-in list knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionFacts {
    pub code: String,
    pub name: String,
    /// `aws`, `aws-cn`, `aws-us-gov`, ...
    pub partition: String,
    pub partition_name: String,
    /// `None` outside the `aws` partition, where opt-in does not apply.
    pub opt_in: Option<bool>,
    /// Whether Amazon ECR runs there yet.
    pub ecr: bool,
}

/// Every known Region, in the data file's order (partition by partition).
pub fn regions() -> Vec<RegionFacts> {
    facts()
        .partitions
        .iter()
        .flat_map(|p| {
            p.regions.iter().map(|r| RegionFacts {
                code: r.region.clone(),
                name: r.name.clone(),
                partition: p.id.clone(),
                partition_name: p.name.clone(),
                opt_in: r.opt_in,
                ecr: r.ecr,
            })
        })
        .collect()
}

/// A known Region by code.
pub fn region(code: &str) -> Option<RegionFacts> {
    let (p, r) = facts().region(code)?;
    Some(RegionFacts {
        code: r.region.clone(),
        name: r.name.clone(),
        partition: p.id.clone(),
        partition_name: p.name.clone(),
        opt_in: r.opt_in,
        ecr: r.ecr,
    })
}

/// The partition a Region name belongs to (known, or by its pattern).
pub fn partition_of(region: &str) -> Option<String> {
    facts().partition_of(region).map(|p| p.id.clone())
}

/// Whether an account ID is one of AWS's documentation examples.
pub fn is_placeholder_account(id: &str) -> bool {
    facts().is_placeholder_account(id)
}

/// Whether text is a 12-digit account ID.
pub fn is_account_id(id: &str) -> bool {
    facts().registry_id_pattern.is_match(id)
}

/// A destination value under the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueAt {
    Region { text: String, span: Span },
    Account { text: String, span: Span },
}

/// The destination Regions and account IDs of a document, read through
/// the document model (so `Fn::If` branches count, intrinsic functions do
/// not), with the source account the document itself names
/// (describe-registry).
#[derive(Debug, Default)]
pub struct Values {
    /// In document order; the source account last.
    values: Vec<ValueAt>,
    pub source: Option<String>,
}

impl Values {
    /// The value at `offset` (its span holds it, ends included).
    pub fn at(&self, offset: usize) -> Option<ValueAt> {
        self.values
            .iter()
            .find(|v| {
                let (ValueAt::Region { span, .. } | ValueAt::Account { span, .. }) = v;
                span.start <= offset && offset <= span.end
            })
            .cloned()
    }
}

/// The destination values of a document; none when it is not a replication
/// document or does not parse.
pub fn values(text: &str, path: Option<&Path>) -> Values {
    let bytes = text.as_bytes();
    let Some(format) = path.map_or(ReadAs::Detect, ReadAs::for_path).resolve(bytes) else {
        return Values::default();
    };
    let Ok(root) = format.parse(bytes) else {
        return Values::default();
    };
    let Recognition::Replication(kind) = recognise::recognise(&root) else {
        return Values::default();
    };
    let doc = Document::build(&root, kind);
    let source = doc.source_registry.as_ref().and_then(|s| s.text()).map(str::to_string);
    let mut values = Vec::new();
    let mut add = |s: &Option<Scalar>, make: fn(String, Span) -> ValueAt| {
        for c in s.iter().flat_map(|s| s.candidates()) {
            if let Some(text) = c.text() {
                values.push(make(text.to_string(), c.span()));
            }
        }
    };
    let region: fn(String, Span) -> ValueAt = |text, span| ValueAt::Region { text, span };
    let account: fn(String, Span) -> ValueAt = |text, span| ValueAt::Account { text, span };
    for configuration in &doc.configurations {
        for rule in configuration.rules.iter().flat_map(|r| &r.items) {
            for d in rule.destinations.iter().flat_map(|d| &d.items) {
                add(&d.region, region);
                add(&d.registry_id, account);
            }
        }
    }
    add(&doc.source_registry, account);
    Values { values, source }
}

pub use crate::document::schema_at::Notation;
pub use crate::schema::outline::KeyInfo;
pub use crate::syntax::place::{At, Place};

/// The notation a document is written in and its place scanner: by
/// extension (`.tf`, a `.tfvars` and a `terragrunt.hcl` are HCL), else by
/// content (JSON starts with a bracket).
pub fn place(text: &str, path: Option<&Path>, offset: usize) -> Option<(Place, Notation)> {
    // The scanners read the text after a byte-order mark, which is no part
    // of the first key: read with it, a file saved "UTF-8 with BOM" began
    // with the key `\u{feff}resource` (or `\u{feff}Resources`), and had
    // no completion or hover anywhere.
    let bom = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let (mut place, notation) = scan(&text[bom..], path, offset.saturating_sub(bom))?;
    place.typed = (place.typed.0 + bom, place.typed.1 + bom);
    Some((place, notation))
}

fn scan(text: &str, path: Option<&Path>, offset: usize) -> Option<(Place, Notation)> {
    let ext = path
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("tf" | "tfvars" | "hcl") => crate::syntax::place::hcl::place(text, offset).map(|p| (p, Notation::Hcl)),
        Some("json") => crate::syntax::place::json(text, offset).map(|p| (p, Notation::Data)),
        Some("yaml" | "yml") => crate::syntax::place::yaml(text, offset).map(|p| (p, Notation::Data)),
        _ if text.trim_start().starts_with(['{', '[']) => {
            crate::syntax::place::json(text, offset).map(|p| (p, Notation::Data))
        }
        _ => crate::syntax::place::yaml(text, offset).map(|p| (p, Notation::Data)),
    }
}

/// Where a key being hovered ends: the rest of its word after `from`.
pub fn word_end(text: &str, from: usize) -> usize {
    crate::syntax::place::word_end(text, from)
}

/// The definitions that describe the innermost object of a place, each
/// with the path below it: the resource kind at the cursor, or the shapes
/// whose top level has the keys written (none when no shape has them all).
fn described(place: &Place, notation: Notation) -> Vec<(crate::document::schema_at::Anchor, Vec<String>)> {
    use crate::schema::outline;
    let path = place.path();
    let type_at = |depth: usize, key: &str| place.scalar_at(depth, key).map(str::to_string);
    let root_keys: Vec<&str> = place
        .frames
        .first()
        .map(|f| f.members.iter().map(|(k, _)| k.as_str()).collect())
        .unwrap_or_default();
    crate::document::schema_at::anchors(notation, &path, &type_at)
        .into_iter()
        .filter(|a| {
            if a.depth > 0 || notation == Notation::Hcl {
                return true;
            }
            let top = outline::keys(a.file, a.def, &[]).unwrap_or_default();
            let has = |key: &str| top.iter().any(|k| k.name == key);
            match path.first() {
                Some(first) => has(first),
                None => root_keys.iter().all(|k| has(k)),
            }
        })
        .map(|a| {
            let below = path.iter().skip(a.depth).map(|s| s.to_string()).collect();
            (a, below)
        })
        .collect()
}

/// The keys the schemas allow in the innermost object of a place that it
/// does not have yet, in the schema's order.
pub fn keys_at(place: &Place, notation: Notation) -> Vec<KeyInfo> {
    let present = place.present();
    let mut keys: Vec<KeyInfo> = Vec::new();
    for (anchor, below) in described(place, notation) {
        let below: Vec<&str> = below.iter().map(String::as_str).collect();
        let found = crate::schema::outline::keys(anchor.file, anchor.def, &below).unwrap_or_default();
        for mut k in found {
            if !present.contains(&k.name.as_str()) && !keys.iter().any(|seen| seen.name == k.name) {
                let meta_block = crate::document::schema_at::TERRAFORM_META_BLOCKS.contains(&k.name.as_str());
                k.holds_objects |= notation == Notation::Hcl && meta_block;
                keys.push(k);
            }
        }
    }
    keys
}

/// At the top of a local module's block, the variables its folder declares
/// that the block does not set yet (a local module's inputs).
pub fn module_inputs_at(place: &Place, document: Option<&Path>) -> Vec<KeyInfo> {
    let present = place.present();
    let type_at = |depth: usize, key: &str| place.scalar_at(depth, key).map(str::to_string);
    crate::document::schema_at::local_module_inputs(&place.path(), &type_at, document)
        .into_iter()
        .filter(|(name, _)| !present.contains(&name.as_str()))
        .map(|(name, description)| KeyInfo {
            name,
            description,
            holds_objects: false,
        })
        .collect()
}

/// The schema's description of `key` in the innermost object of a place.
pub fn key_description(place: &Place, notation: Notation, key: &str) -> Option<String> {
    described(place, notation).into_iter().find_map(|(anchor, below)| {
        let below: Vec<&str> = below.iter().map(String::as_str).collect();
        crate::schema::outline::key_description(anchor.file, anchor.def, &below, key)
    })
}

/// The values the schemas list for `key` of the innermost object (enums,
/// `const`s, booleans), each as JSON.
pub fn values_at(place: &Place, notation: Notation, key: &str) -> Vec<serde_json::Value> {
    let mut values = Vec::new();
    // The object's scalars so far pick an `if`'s branch (an account setting's `name`).
    let known = place.frames.last().map(|f| f.members.as_slice()).unwrap_or_default();
    for (anchor, below) in described(place, notation) {
        let below: Vec<&str> = below.iter().map(String::as_str).collect();
        for v in crate::schema::outline::values(anchor.file, anchor.def, &below, key, known) {
            if !values.contains(&v) {
                values.push(v);
            }
        }
    }
    values
}

/// At a YAML `- ` whose list holds scalars (`AppliedFor:`, then `- `):
/// the list's key, and the place of the object that has the list.
pub fn scalar_item(place: &Place, notation: Notation) -> Option<(String, Place)> {
    let listed = described(place, notation).into_iter().any(|(anchor, below)| {
        let below: Vec<&str> = below.iter().map(String::as_str).collect();
        crate::schema::outline::is_scalar_list(anchor.file, anchor.def, &below)
    });
    if !listed {
        return None;
    }
    let mut outer = place.clone();
    let key = outer.frames.last_mut()?.steps.pop()?;
    Some((key, outer))
}

/// Whether a key takes IAM actions (a registry policy's `Action` and
/// `NotAction`, an `aws_iam_policy_document` statement's `actions`).
pub fn takes_actions(key: &str) -> bool {
    matches!(key, "Action" | "NotAction" | "actions" | "not_actions")
}

/// ECR's IAM actions (`ecr:*` first), each with the access class it gives.
pub fn ecr_actions() -> Vec<(String, String)> {
    let facts = facts();
    let words = &facts.policy_words().ecr_actions;
    let mut all = vec![(facts.registry_policy.all_actions.clone(), "every action".to_string())];
    all.extend(
        words
            .actions
            .iter()
            .map(|(name, class)| (format!("{}:{name}", words.service_prefix), class.clone())),
    );
    all
}
