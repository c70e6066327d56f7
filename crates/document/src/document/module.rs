//! A Terraform module as Terraform reads it: every `.tf` and `.tf.json`
//! file of a folder is one configuration, and variable values come from
//! `terraform.tfvars`, `terraform.tfvars.json`, the `*.auto.tfvars(.json)`
//! files in lexical order, then `--var-file` and `--var`, later ones
//! winning (Terraform's documented precedence, environment variables
//! aside). Read once per folder and run: what one file's expressions may
//! name in the others, as owned literals with where each was written.

use super::terraform::{self as tf};
use crate::diagnostic::OtherFile;
use crate::syntax::{Node, NodeKind, SourceFormat, Span, Str};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A literal value written in one of the module's files (or on the command line).
#[derive(Debug)]
pub struct Known {
    /// Index into [`Module::files`].
    pub file: usize,
    /// The value as written.
    pub span: Span,
    /// The value, when it is a literal scalar (a string that is no
    /// template, a number, a bool) as text; `None`: known to be set, but
    /// not to what (an expression, a list).
    pub text: Option<String>,
    /// What the value is, for the label at it.
    pub label: String,
}

/// What the files of one folder say about the names their expressions use.
#[derive(Debug, Default)]
pub struct Module {
    /// The files values were read from: `.tf` files, tfvars, the command line.
    pub files: Vec<Arc<OtherFile>>,
    /// Their paths (none for the command line), to tell a file its own.
    paths: Vec<Option<PathBuf>>,
    /// Variable defaults, by name.
    defaults: HashMap<String, Known>,
    /// Values set for variables (tfvars, `--var-file`, `--var`): they win over defaults.
    assigned: HashMap<String, Known>,
    locals: HashMap<String, Known>,
    /// Every `var.<name>` and `local.<name>` declared so far: one declared
    /// twice makes a module Terraform rejects, so its value is not known.
    declared: std::collections::HashSet<String>,
    /// The `.tf` files: which hold resources of ours.
    configurations: Vec<Configuration>,
    /// The `aws_ecr_replication_configuration` resources of every file.
    replication: Vec<ReplicationResource>,
    /// The literal `region` of each `aws` provider configuration (`aws`,
    /// `aws.<alias>`), from any file.
    provider_regions: HashMap<String, String>,
    /// The files that set values the files holding resources use.
    suppliers: std::collections::HashSet<usize>,
    /// Which files are linted in this run (they report the findings on the
    /// values written in them).
    linted: Vec<bool>,
    /// Which files are documents open in an editor, read as edited: each
    /// reports the findings on its own blocks.
    open: Vec<bool>,
    /// The editor's texts of the folder's open documents, while it is read.
    overlay: HashMap<PathBuf, String>,
    /// The findings of the files that use values, each with the file the
    /// value is written in: worked out once, for those files to report.
    pub uses: std::sync::OnceLock<Vec<(usize, crate::diagnostic::Diagnostic)>>,
    /// Replication resources whose `replication_configuration` a later
    /// override file replaces, as (file, address): theirs is not applied.
    replaced: std::collections::HashSet<(usize, String)>,
    /// Replication resources of override files that merge into an
    /// original, as (file, address): partial blocks, not resources of their own.
    merged: std::collections::HashSet<(usize, String)>,
    /// Replication resources of override files with no original in the
    /// folder's other files, as (file, address): Terraform refuses them.
    without_base: std::collections::HashSet<(usize, String)>,
    /// The override file whose `region` a replication resource applies, by address.
    region_holders: HashMap<String, usize>,
    /// The override files.
    override_files: std::collections::HashSet<usize>,
    /// The module blocks of the folder's primary files, by name, with what
    /// override files merge into them.
    module_calls: HashMap<String, ModuleCall>,
    /// The override file whose `replication_configuration` a resource applies, by address.
    holders: HashMap<String, usize>,
    /// One `.tf` file alone in its folder, with no variable file and no
    /// value from the command line: nothing crosses files, and the file is
    /// read as itself (not parsed a second time for the module).
    alone: bool,
}

/// A module block of a primary file, as override files leave it.
#[derive(Debug)]
struct ModuleCall {
    /// Its `source` literal, an override file's when one sets it.
    source: Option<String>,
    /// The override file whose value of each argument is applied, by name.
    overridden: HashMap<String, usize>,
}

/// What one `.tf` file of the module holds.
#[derive(Debug)]
pub struct Configuration {
    pub file: usize,
    /// Replication resources or module inputs: the file uses values.
    pub uses_values: bool,
}

/// A replication resource of one file of the module, for the check that
/// one registry has one configuration.
#[derive(Debug)]
pub struct ReplicationResource {
    pub file: usize,
    /// `aws_ecr_replication_configuration.<name>`.
    pub address: String,
    /// Its name label.
    pub key_span: Span,
    /// The provider it uses (`aws`, `aws.west`).
    provider: String,
    /// Its own literal `region` argument (provider 6), if any.
    region: Option<String>,
}

/// Values given on the command line or in `.ecrlint.toml`: files of
/// variable values, then single values, in that order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Assignments {
    pub var_files: Vec<PathBuf>,
    /// `NAME=VALUE`, the value as Terraform's `-var` takes it (a string).
    pub vars: Vec<(String, String)>,
}

impl Assignments {
    pub fn is_empty(&self) -> bool {
        self.var_files.is_empty() && self.vars.is_empty()
    }
}

/// A folder entry that is a regular file, or a symbolic link to one:
/// Terraform reads a linked `.tf` as one of the folder's (the folder walk
/// takes it too). Not a FIFO or a device, whose read would block.
pub fn is_regular_file(entry: &std::fs::DirEntry) -> bool {
    match entry.file_type() {
        Ok(t) if t.is_symlink() => std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()),
        Ok(t) => t.is_file(),
        Err(_) => false,
    }
}

/// Whether a file name is one Terraform reads as part of the module.
pub fn is_configuration(name: &str) -> bool {
    name.ends_with(".tf") || name.ends_with(".tf.json")
}

/// Whether a file is one of Terraform's override files (`override.tf`,
/// `*_override.tf`, their `.tf.json` forms): Terraform merges their blocks
/// into the module's others after reading every other file.
pub fn is_override(name: &str) -> bool {
    ["override.tf", "override.tf.json"]
        .iter()
        .any(|o| name == *o || name.strip_suffix(o).is_some_and(|stem| stem.ends_with('_')))
}

/// A path without its `.` components: `./ci.tfvars` walked and `ci.tfvars`
/// given to `--var-file` are one file.
fn plain(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

/// Whether a file name is one of Terraform's variable files (loaded by
/// Terraform itself or named with `-var-file`).
pub fn is_var_file(name: &str) -> bool {
    name.ends_with(".tfvars") || name.ends_with(".tfvars.json")
}

/// The variable files Terraform loads by itself, in its order.
fn automatic_var_files(names: &[String]) -> Vec<&String> {
    let mut auto: Vec<&String> = names
        .iter()
        .filter(|n| n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json"))
        .collect();
    auto.sort();
    let fixed = ["terraform.tfvars", "terraform.tfvars.json"];
    fixed
        .iter()
        .filter_map(|f| names.iter().find(|n| n == f))
        .chain(auto)
        .collect()
}

/// The format of a file of the module (`.tf`, `.tfvars`: HCL; their `.json` forms: JSON).
pub fn format_of(name: &str) -> SourceFormat {
    if name.ends_with(".json") {
        SourceFormat::Json
    } else {
        SourceFormat::Hcl
    }
}

/// The names of a folder's regular files, sorted (Terraform reads a
/// folder's files in name order); none when it cannot be listed.
fn file_names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter(is_regular_file)
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    names
}

/// The override files of a folder, in name order.
pub fn override_files(folder: &Path) -> Vec<String> {
    file_names(folder).into_iter().filter(|n| is_override(n)).collect()
}

/// The variables a module's folder declares, its inputs: (name, its
/// `description` when literal), files in name order, each name once. A
/// file that cannot be read or parsed adds none.
pub fn variables(folder: &Path) -> Vec<(String, Option<String>)> {
    let names: Vec<String> = file_names(folder).into_iter().filter(|n| is_configuration(n)).collect();
    let mut found: Vec<(String, Option<String>)> = Vec::new();
    for name in names {
        let Ok(text) = std::fs::read(folder.join(&name)) else {
            continue;
        };
        let Ok(root) = format_of(&name).parse(&text) else {
            continue;
        };
        for (variable, body) in tf::labelled(&root, "variable") {
            if found.iter().any(|(n, _)| n == variable.key.as_ref()) {
                continue;
            }
            let description = body.get("description").and_then(|d| literal_text(&d.value));
            found.push((variable.key.to_string(), description));
        }
    }
    found
}

/// The literal text of a node, when it is a literal scalar.
fn literal_text(node: &Node) -> Option<String> {
    match &node.kind {
        NodeKind::String(s) if !tf::is_template(s) => Some(s.to_string()),
        NodeKind::Number(n) => Some(n.to_string()),
        NodeKind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Module {
    /// The module of `folder`, with `assignments` from the command line or
    /// the configuration. Unreadable or unparsable files add nothing (they
    /// are reported when linted themselves).
    pub fn read(
        folder: &Path,
        assignments: &Assignments,
        linted: &std::collections::HashSet<PathBuf>,
        open: &HashMap<PathBuf, String>,
    ) -> Module {
        let mut module = Module {
            overlay: open.iter().map(|(p, text)| (plain(p), text.clone())).collect(),
            ..Module::default()
        };
        // `main.tf` named alone is in the folder `""`, read as `.`.
        let listed = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        };
        let names = file_names(listed);
        let configurations = names.iter().filter(|n| is_configuration(n)).count();
        if configurations <= 1
            && automatic_var_files(&names).is_empty()
            && assignments.var_files.is_empty()
            && assignments.vars.is_empty()
        {
            module.alone = true;
            return module;
        }
        // Override files last, in lexical order, as Terraform merges them.
        let primaries = names.iter().filter(|n| is_configuration(n) && !is_override(n));
        let overrides = names.iter().filter(|n| is_configuration(n) && is_override(n));
        // Module blocks are read for override files to merge into (any other folder's are not).
        let any_override = names.iter().any(|n| is_configuration(n) && is_override(n));
        for name in primaries.chain(overrides) {
            let merging = is_override(name);
            module.add_file_if(
                &folder.join(name),
                // Only a file that declares or uses values takes part: the
                // others are not parsed a second time (their own lint parses them).
                |text| {
                    ["variable", "locals", "var.", "local.", tf::RESOURCE_TYPE, "provider"]
                        .iter()
                        .any(|w| text.contains(w))
                        || (any_override && text.contains("module"))
                },
                |m, file, root| m.add_configuration(file, root, merging),
            );
        }
        for name in automatic_var_files(&names) {
            module.add_file(&folder.join(name), Module::add_assignments);
        }
        for path in &assignments.var_files {
            module.add_file(path, Module::add_assignments);
        }
        for (name, value) in &assignments.vars {
            let text = format!("{name}={value}");
            let span = Span::new(name.len() + 1, text.len());
            let file = module.push_file(format!("--var {name}"), None, text);
            module.assigned.insert(
                name.clone(),
                Known {
                    file,
                    span,
                    text: Some(value.clone()),
                    label: format!("the value `--var {name}` gives (it wins over the default and tfvars)"),
                },
            );
        }
        module.suppliers = module.files_of_used_values();
        let linted: std::collections::HashSet<PathBuf> = linted.iter().map(|p| plain(p)).collect();
        module.linted = module
            .paths
            .iter()
            .map(|p| p.as_ref().is_some_and(|p| linted.contains(&plain(p))))
            .collect();
        let overlay = std::mem::take(&mut module.overlay);
        module.open = module
            .paths
            .iter()
            .map(|p| p.as_ref().is_some_and(|p| overlay.contains_key(&plain(p))))
            .collect();
        module
    }

    fn push_file(&mut self, shown: String, path: Option<PathBuf>, text: String) -> usize {
        self.files.push(Arc::new(OtherFile {
            path: shown,
            path_bytes: None,
            text,
        }));
        self.paths.push(path);
        self.files.len() - 1
    }

    fn add_file(&mut self, path: &Path, read: impl FnOnce(&mut Module, usize, &Node)) {
        self.add_file_if(path, |_| true, read);
    }

    /// [`Module::add_file`] for a file whose text passes `worth_reading`;
    /// any other is listed without its text.
    fn add_file_if(
        &mut self,
        path: &Path,
        worth_reading: impl FnOnce(&str) -> bool,
        read: impl FnOnce(&mut Module, usize, &Node),
    ) {
        let text = match self.overlay.get(&plain(path)) {
            Some(text) => Ok(text.clone()),
            None => std::fs::read_to_string(path),
        };
        let Ok(mut text) = text else {
            return;
        };
        let worth = worth_reading(&text);
        if !worth {
            text = String::new();
        }
        let format = format_of(&path.to_string_lossy());
        let shown = path.to_string_lossy();
        let shown = shown.strip_prefix("./").unwrap_or(&shown).to_string();
        let file = self.push_file(shown, Some(path.to_path_buf()), text);
        // Parsed once here; the owned facts read from it outlive the tree.
        let kept = Arc::clone(&self.files[file]);
        if !worth {
            return;
        }
        if let Ok(root) = format.parse(kept.text.as_bytes()) {
            read(self, file, &root);
        };
    }

    fn known(file: usize, node: &Node, label: String) -> Known {
        Known {
            file,
            span: node.span,
            text: literal_text(node),
            label,
        }
    }

    fn add_configuration(&mut self, file: usize, root: &Node, merging: bool) {
        if !tf::is_tree(root) {
            return;
        }
        if merging {
            self.override_files.insert(file);
        }
        for (name, body) in tf::labelled(root, "variable") {
            let key = format!("var.{}", name.key);
            if merging && self.declared.contains(&key) {
                // An override's `default` replaces the original's; without one, the original's stays.
                if let Some(d) = body.get("default") {
                    let known = Module::known(file, &d.value, default_label(&name.key));
                    self.defaults.insert(name.key.to_string(), known);
                }
                continue;
            }
            if !self.declared.insert(key) {
                self.defaults.remove(name.key.as_ref());
            } else if let Some(d) = body.get("default") {
                let label = default_label(&name.key);
                let known = Module::known(file, &d.value, label);
                self.defaults.insert(name.key.to_string(), known);
            }
        }
        for m in tf::members(root, "locals").flat_map(|m| tf::bodies(&m.value)) {
            for local in m.as_object().unwrap_or_default() {
                let key = format!("local.{}", local.key);
                if merging && self.declared.contains(&key) {
                    let known = Module::known(file, &local.value, local_label(&local.key));
                    self.locals.insert(local.key.to_string(), known);
                    continue;
                }
                if !self.declared.insert(key) {
                    self.locals.remove(local.key.as_ref());
                    continue;
                }
                let label = local_label(&local.key);
                let known = Module::known(file, &local.value, label);
                self.locals.insert(local.key.to_string(), known);
            }
        }
        for (_, body) in tf::labelled(root, "provider").filter(|(n, _)| n.key == "aws") {
            let alias = body.get("alias").and_then(|a| a.value.as_str());
            let key = alias.map_or_else(|| "aws".to_string(), |a| format!("aws.{a}"));
            if let Some(region) = body.get("region").and_then(|r| literal_text(&r.value)) {
                self.provider_regions.insert(key, region);
            }
        }
        for (_, name, body) in tf::replication_resources(root) {
            let address = format!("{}.{}", tf::RESOURCE_TYPE, name.key);
            let original = self.replication.iter().position(|r| r.address == address);
            if let (true, Some(i)) = (merging, original) {
                self.merge(i, file, address, body);
                continue;
            }
            // An override with no original is an error to Terraform ("Missing
            // base resource for override"): reported as such, never as a
            // second configuration too; its block is still checked.
            if merging {
                self.without_base.insert((file, address));
                continue;
            }
            self.replication.push(ReplicationResource {
                file,
                address,
                key_span: name.key_span,
                provider: tf::provider_ref(body).to_string(),
                region: body.get("region").and_then(|r| literal_text(&r.value)),
            });
        }
        for (name, body) in tf::labelled(root, "module") {
            let source = body.get("source").and_then(|s| literal_text(&s.value));
            match self.module_calls.get_mut(name.key.as_ref()) {
                // Each argument an override sets replaces the original's.
                Some(call) if merging => {
                    if source.is_some() {
                        call.source = source;
                    }
                    for m in body.as_object().unwrap_or_default() {
                        call.overridden.insert(m.key.to_string(), file);
                    }
                }
                // Declared twice, or an override with no original: Terraform refuses both.
                Some(_) => {}
                None if merging => {}
                None => {
                    let call = ModuleCall {
                        source,
                        overridden: HashMap::new(),
                    };
                    self.module_calls.insert(name.key.to_string(), call);
                }
            }
        }
        // A local module's inputs are values too: the module is followed (see `module_source`).
        let uses_values = tf::replication_resources(root).next().is_some()
            || tf::module_inputs(root).next().is_some()
            || tf::labelled(root, "module")
                .any(|(name, _)| self.module_source(&name.key).is_some_and(tf::is_local_source));
        self.configurations.push(Configuration { file, uses_values });
    }

    /// Merges a resource block of an override file into the original at
    /// `self.replication[i]` as Terraform does: each argument it sets
    /// replaces the original's, and a nested `replication_configuration`
    /// (a `dynamic` one too) replaces the original's whole block.
    fn merge(&mut self, i: usize, file: usize, address: String, body: &Node) {
        if let Some(region) = body.get("region") {
            self.replication[i].region = literal_text(&region.value);
            self.region_holders.insert(address.clone(), file);
        }
        if body.get("provider").is_some() {
            self.replication[i].provider = tf::provider_ref(body).to_string();
        }
        let dynamic = tf::dynamic_blocks(body, "replication_configuration", &["replication_configuration"]);
        if body.get("replication_configuration").is_some() || dynamic.count() > 0 {
            // The block applied so far: the original's, or an earlier override's.
            let holder = self.holders.insert(address.clone(), file);
            self.replaced
                .insert((holder.unwrap_or(self.replication[i].file), address.clone()));
        }
        self.merged.insert((file, address));
    }

    /// The files whose defaults, assigned values or locals a file that uses values names
    /// (`var.<name>`, `local.<name>` in its text).
    fn files_of_used_values(&self) -> std::collections::HashSet<usize> {
        let named = |text: &str, reference: &str| {
            text.match_indices(reference).any(|(i, _)| {
                let after = text[i + reference.len()..].chars().next();
                let before = text[..i].chars().next_back();
                !after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-')
                    && !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            })
        };
        let values = (self.defaults.iter().map(|(n, k)| (format!("var.{n}"), k)))
            .chain(self.assigned.iter().map(|(n, k)| (format!("var.{n}"), k)))
            .chain(self.locals.iter().map(|(n, k)| (format!("local.{n}"), k)));
        values
            .filter(|(reference, known)| {
                self.users()
                    .filter(|u| *u != known.file)
                    .any(|u| named(&self.files[u].text, reference))
            })
            .map(|(_, known)| known.file)
            .collect()
    }

    /// Whether the file `own` sets values that another file of the module uses.
    pub fn supplies(&self, own: usize) -> bool {
        self.suppliers.contains(&own)
    }

    /// The files that use values (hold resources of ours).
    pub fn users(&self) -> impl Iterator<Item = usize> + '_ {
        self.configurations.iter().filter(|c| c.uses_values).map(|c| c.file)
    }

    /// Whether the file is linted in this run, and so reports the findings
    /// on the values written in it.
    pub fn is_linted(&self, file: usize) -> bool {
        self.linted.get(file).copied().unwrap_or(false)
    }

    /// Whether the file reports the findings on its own blocks: linted in
    /// this run, or a document open in the editor (linted as edited).
    pub fn reports_its_blocks(&self, file: usize) -> bool {
        self.is_linted(file) || self.open.get(file).copied().unwrap_or(false)
    }

    /// The path of a file of the module.
    pub fn path(&self, file: usize) -> Option<&Path> {
        self.paths.get(file)?.as_deref()
    }

    fn add_assignments(&mut self, file: usize, root: &Node) {
        for m in root.as_object().unwrap_or_default() {
            let label = format!("the value set for `var.{}` (it wins over the default)", m.key);
            let known = Module::known(file, &m.value, label);
            self.assigned.insert(m.key.to_string(), known);
        }
    }

    /// The registry a replication resource configures, as far as the
    /// module's literals tell: its own `region`, else its provider's,
    /// else only which provider it uses.
    fn registry_of(&self, resource: &ReplicationResource) -> String {
        match resource
            .region
            .as_ref()
            .or_else(|| self.provider_regions.get(&resource.provider))
        {
            Some(region) => format!("region {region}"),
            None => format!("provider {}", resource.provider),
        }
    }

    /// Pairs of replication resources in two different files of the module
    /// that configure one registry, the first in file order first; only
    /// pairs that file `own` reports: those where it holds the second, and
    /// those where it holds the first and the second's file is not linted
    /// in the run (the hook on one file).
    pub fn repeated_configurations(&self, own: usize) -> Vec<(&ReplicationResource, &ReplicationResource)> {
        let mut pairs = Vec::new();
        for (i, second) in self.replication.iter().enumerate() {
            let registry = self.registry_of(second);
            // The first of this registry's in an earlier file: one finding per second resource.
            let first = self.replication[..i]
                .iter()
                .find(|r| r.file != second.file && self.registry_of(r) == registry);
            let Some(first) = first else { continue };
            // One registry configured twice in the same file is that file's own finding.
            if self.replication[..i]
                .iter()
                .any(|r| r.file == second.file && self.registry_of(r) == registry)
            {
                continue;
            }
            if second.file == own || (first.file == own && !self.is_linted(second.file)) {
                pairs.push((first, second));
            }
        }
        pairs
    }

    /// Whether the `replication_configuration` of resource `address` in
    /// `file` is replaced by an override file's: Terraform never applies it.
    pub fn is_replaced(&self, file: usize, address: &str) -> bool {
        self.replaced.contains(&(file, address.to_string()))
    }

    /// The override file whose `replication_configuration` resource
    /// `address` applies, when one replaces the block of file `own`.
    pub fn replaced_by(&self, own: usize, address: &str) -> Option<usize> {
        if !self.is_replaced(own, address) {
            return None;
        }
        self.holders.get(address).copied().filter(|holder| *holder != own)
    }

    /// Whether resource `address` in `file` is an override file's block
    /// merged into an original (it need not configure replication itself).
    pub fn is_merged(&self, file: usize, address: &str) -> bool {
        self.merged.contains(&(file, address.to_string()))
    }

    /// The `region` an override file other than `own` gives replication
    /// resource `address`, replacing its own: `Some(None)` when it is not a
    /// literal.
    pub fn region_override(&self, own: usize, address: &str) -> Option<Option<&str>> {
        self.region_holders.get(address).filter(|holder| **holder != own)?;
        let resource = self.replication.iter().find(|r| r.address == address)?;
        Some(resource.region.as_deref())
    }

    /// The `source` of module block `name` as Terraform applies it: the
    /// original's, or an override file's that sets it.
    pub fn module_source(&self, name: &str) -> Option<&str> {
        self.module_calls.get(name)?.source.as_deref()
    }

    /// Whether argument `input` of module block `name` in file `own` is
    /// replaced by an override file's: Terraform never applies it.
    pub fn is_input_replaced(&self, own: usize, name: &str, input: &str) -> bool {
        self.module_calls
            .get(name)
            .and_then(|c| c.overridden.get(input))
            .is_some_and(|holder| *holder != own)
    }

    /// The override files other than `own` whose arguments of module block
    /// `name` are applied, in the module's file order.
    pub fn module_overriders(&self, own: usize, name: &str) -> Vec<usize> {
        let mut files: Vec<usize> = self
            .module_calls
            .get(name)
            .map(|c| c.overridden.values().copied().filter(|f| *f != own).collect())
            .unwrap_or_default();
        files.sort_unstable();
        files.dedup();
        files
    }

    /// Whether resource `address` in `file` is an override file's block
    /// whose original no other file of the folder declares.
    pub fn is_without_base(&self, file: usize, address: &str) -> bool {
        self.without_base.contains(&(file, address.to_string()))
    }

    /// Whether the value of `var.<name>` (`kind` "var") or `local.<name>`
    /// ("local") comes from an override file other than `own`: the one
    /// `own` writes is replaced, never used.
    pub fn is_overridden(&self, kind: &str, name: &str, own: usize) -> bool {
        let known = match kind {
            "var" => self.defaults.get(name),
            _ => self.locals.get(name),
        };
        known.is_some_and(|k| k.file != own && self.override_files.contains(&k.file))
    }

    /// The index of the file at `path` among the module's, if it is one.
    pub fn file_index(&self, path: &Path) -> Option<usize> {
        let path = plain(path);
        self.paths
            .iter()
            .position(|p| p.as_deref().is_some_and(|p| plain(p) == path))
    }

    /// The value set for a variable (tfvars, `--var-file`, `--var`).
    pub fn assigned(&self, name: &str) -> Option<&Known> {
        self.assigned.get(name)
    }

    /// A variable's default, unless written in file `own` (read there itself).
    pub fn variable_default(&self, name: &str, own: Option<usize>) -> Option<&Known> {
        self.defaults.get(name).filter(|k| Some(k.file) != own)
    }

    /// A local's value, unless written in file `own`.
    pub fn local(&self, name: &str, own: Option<usize>) -> Option<&Known> {
        self.locals.get(name).filter(|k| Some(k.file) != own)
    }
}

/// The label at a variable's default: the value only when nothing sets it.
pub fn default_label(name: &str) -> String {
    format!("the default of variable `{name}` (a value set elsewhere wins)")
}

/// The label at a local's value.
pub fn local_label(name: &str) -> String {
    format!("the value of `local.{name}`")
}

/// One file's text followed by the texts of the other files of its module
/// that set values (defaults, locals, tfvars entries), so that an
/// expression's value read from another file keeps a span in one text.
pub struct FolderText {
    pub text: String,
    /// The file's own text is `text[..own_len]`.
    pub own_len: usize,
    /// Each other file: where it starts in `text`, and its index in [`Module::files`].
    pub files: Vec<(usize, usize)>,
}

/// The values written in the other files of a module, as trees in a
/// [`FolderText`]: the module's own choice of value for each name (the
/// tfvars entry over the default, no name declared twice), not a second reading.
#[derive(Default)]
pub struct FolderValues<'t> {
    pub defaults: HashMap<&'t str, &'t Node<'t>>,
    pub locals: HashMap<&'t str, &'t Node<'t>>,
    pub assigned: HashMap<&'t str, &'t Node<'t>>,
}

impl FolderText {
    /// `own_text` (file `own` of `module`), then each other file of the
    /// module that sets a value; `None` when no other file does.
    pub fn of(own_text: &str, module: &Module, own: Option<usize>) -> Option<FolderText> {
        let knowns = module
            .defaults
            .values()
            .chain(module.locals.values())
            .chain(module.assigned.values());
        let mut wanted: Vec<usize> = knowns.map(|k| k.file).filter(|f| Some(*f) != own).collect();
        if wanted.is_empty() {
            return None;
        }
        wanted.sort_unstable();
        wanted.dedup();
        let mut text = own_text.to_string();
        let own_len = text.len();
        let mut files = Vec::new();
        for file in wanted {
            text.push('\n');
            files.push((text.len(), file));
            text.push_str(&module.files[file].text);
        }
        Some(FolderText { text, own_len, files })
    }

    /// The file of the module a span past the own text is in, and the span in that file.
    pub fn file_at(&self, span: Span) -> Option<(usize, Span)> {
        let (start, file) = self.files.iter().rev().find(|(start, _)| *start <= span.start)?;
        Some((*file, Span::new(span.start - start, span.end - start)))
    }

    /// Each other file parsed (spans in [`FolderText::text`]); a file that does not parse adds nothing.
    pub fn parse(&self, module: &Module) -> Vec<Node<'_>> {
        let mut trees = Vec::new();
        for (start, file) in &self.files {
            let len = module.files[*file].text.len();
            let Some(path) = module.path(*file) else {
                // A `--var NAME=VALUE`: the value, a string as Terraform's `-var` takes it.
                let text = &self.text[*start..*start + len];
                if let Some((name, value)) = text.split_once('=') {
                    let value_start = start + name.len() + 1;
                    trees.push(Node {
                        span: Span::new(*start, start + len),
                        kind: NodeKind::Object(
                            vec![crate::syntax::Member {
                                key: Str::borrowed(name),
                                key_span: Span::new(*start, start + name.len()),
                                value: Node {
                                    span: Span::new(value_start, start + len),
                                    kind: NodeKind::String(Str::borrowed(value)),
                                },
                            }]
                            .into(),
                        ),
                    });
                }
                continue;
            };
            let format = format_of(&path.to_string_lossy());
            if let Ok(root) = format.parse(&self.text.as_bytes()[*start..*start + len]) {
                trees.push(shifted(root, *start));
            }
        }
        trees
    }
}

impl<'t> FolderValues<'t> {
    /// The values `module` knows, found in `trees` (from [`FolderText::parse`]).
    pub fn find(folder: &FolderText, trees: &'t [Node<'t>], module: &'t Module) -> FolderValues<'t> {
        let node = |known: &Known| {
            let (start, _) = folder.files.iter().find(|(_, f)| *f == known.file)?;
            let span = Span::new(known.span.start + start, known.span.end + start);
            trees.iter().find_map(|t| node_at(t, span))
        };
        let pick = |values: &'t HashMap<String, Known>| {
            values
                .iter()
                .filter_map(|(name, known)| Some((name.as_str(), node(known)?)))
                .collect()
        };
        FolderValues {
            defaults: pick(&module.defaults),
            locals: pick(&module.locals),
            assigned: pick(&module.assigned),
        }
    }
}

/// The node of `root` whose span is `span`.
fn node_at<'n, 't>(root: &'n Node<'t>, span: Span) -> Option<&'n Node<'t>> {
    if root.span == span {
        return Some(root);
    }
    if root.span.end < span.start || span.end < root.span.start {
        return None;
    }
    match &root.kind {
        NodeKind::Array(items) => items.iter().find_map(|n| node_at(n, span)),
        NodeKind::Object(members) => members.iter().find_map(|m| node_at(&m.value, span)),
        _ => None,
    }
}

/// A tree parsed from a slice, its spans moved by `by` (into the text the slice is of).
pub fn shifted(node: Node<'_>, by: usize) -> Node<'_> {
    let span = Span::new(node.span.start + by, node.span.end + by);
    let kind = match node.kind {
        NodeKind::Array(items) => NodeKind::Array(items.into_vec().into_iter().map(|n| shifted(n, by)).collect()),
        NodeKind::Object(members) => NodeKind::Object(
            members
                .into_vec()
                .into_iter()
                .map(|m| crate::syntax::Member {
                    key: m.key,
                    key_span: Span::new(m.key_span.start + by, m.key_span.end + by),
                    value: shifted(m.value, by),
                })
                .collect(),
        ),
        other => other,
    };
    Node { span, kind }
}

/// A module folder's configuration files (name, text), by name.
pub struct Folder {
    pub files: Vec<(String, Arc<str>)>,
}

/// A folder read once (`None`: not a folder that can be listed).
type FolderCell = std::sync::OnceLock<Option<Arc<Folder>>>;

/// The module folders a run has read, by canonical path: a folder that
/// many callers name is read once per run (it was read once per call).
#[derive(Default)]
pub struct Folders {
    /// Each folder's cell, filled by the first thread that needs it.
    read: std::sync::Mutex<std::collections::HashMap<PathBuf, Arc<FolderCell>>>,
    /// Folders read from disk, for the test that a run reads each once.
    reads: std::sync::atomic::AtomicUsize,
}

impl std::fmt::Debug for Folders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Folders").field("reads", &self.reads()).finish()
    }
}

impl PartialEq for Folders {
    /// One run's folders are equal only to themselves.
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Folders {
    /// The folder at `dir` (`None`: not a folder that can be listed).
    pub fn folder(&self, dir: &Path) -> Option<Arc<Folder>> {
        let key = std::fs::canonicalize(dir).ok()?;
        let cell = Arc::clone(
            self.read
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .entry(key)
                .or_default(),
        );
        // Read outside the map's lock: only a thread that needs this same
        // folder waits for it (two threads used to read it once each).
        cell.get_or_init(|| {
            self.reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            read_folder(dir)
        })
        .clone()
    }

    /// How many folders were read from disk.
    pub fn reads(&self) -> usize {
        self.reads.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Forgets every folder read (a long-lived server, after files changed on disk).
    pub fn forget(&self) {
        self.read.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

fn read_folder(dir: &Path) -> Option<Arc<Folder>> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut names: Vec<String> = entries
        .flatten()
        .filter(is_regular_file)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| is_configuration(n))
        .collect();
    names.sort();
    let files = names
        .into_iter()
        // Unreadable files add nothing (they are reported when linted themselves).
        .filter_map(|name| {
            let text = std::fs::read_to_string(dir.join(&name)).ok()?;
            Some((name, Arc::from(text)))
        })
        .collect();
    Some(Arc::new(Folder { files }))
}

/// A module as one file sees it: the module and that file's place in it.
#[derive(Clone, Debug)]
pub struct ModuleView {
    pub module: Arc<Module>,
    pub own: Option<usize>,
    /// A finding on a value written in another linted file is that file's
    /// to report (false while working out the findings it reports).
    pub leave_to_value_file: bool,
}

impl PartialEq for ModuleView {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.module, &other.module)
            && self.own == other.own
            && self.leave_to_value_file == other.leave_to_value_file
    }
}

impl ModuleView {
    /// Whether a finding on the value written in `file` is reported there.
    pub fn reported_in(&self, file: usize) -> bool {
        self.leave_to_value_file && Some(file) != self.own && self.module.is_linted(file)
    }
}

/// The modules of a run, each folder read once.
#[derive(Default)]
pub struct Modules {
    read: std::sync::Mutex<HashMap<PathBuf, Arc<Module>>>,
    /// The local module folders the run's files follow.
    pub folders: Arc<Folders>,
    /// The files the run lints.
    linted: std::sync::RwLock<std::collections::HashSet<PathBuf>>,
    /// The texts of the Terraform documents open in an editor, by path:
    /// they stand for the files on disk.
    open: std::sync::RwLock<HashMap<PathBuf, String>>,
}

impl Modules {
    /// Notes the files the run lints, before it lints any.
    pub fn note_linted<'p>(&self, paths: impl Iterator<Item = &'p Path>) {
        // Only a module's files are asked about (`Module::is_linted`).
        let of_a_module = |path: &&Path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|name| is_configuration(name) || is_var_file(name))
        };
        let mut paths = paths.filter(of_a_module).peekable();
        if paths.peek().is_none() {
            return;
        }
        let mut linted = self.linted.write().unwrap_or_else(|e| e.into_inner());
        linted.extend(paths.map(Path::to_path_buf));
    }

    /// The Terraform documents open in an editor, as edited, in place of
    /// any before: the modules are read again with them (an override file's
    /// blocks replace the others' as the editor shows them).
    pub fn set_open(&self, open: HashMap<PathBuf, String>) {
        *self.open.write().unwrap_or_else(|e| e.into_inner()) = open;
        self.read.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Forgets every module read: the next [`Modules::for_file`] reads its
    /// folder again (a long-lived server, after files changed on disk).
    pub fn forget(&self) {
        self.read.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.folders.forget();
        self.folders.forget();
    }

    /// The module the Terraform file at `path` belongs to.
    pub fn for_file(&self, path: &Path, assignments: &Assignments) -> Option<ModuleView> {
        let name = path.file_name()?.to_str()?;
        if !is_configuration(name) && !is_var_file(name) {
            return None;
        }
        // Kept as written (`""` for a bare name), so that the files read
        // match the paths the run names.
        let folder = path.parent().unwrap_or(Path::new("")).to_path_buf();
        let module = {
            let mut read = self.read.lock().unwrap_or_else(|e| e.into_inner());
            read.entry(folder.clone())
                .or_insert_with(|| {
                    let linted = self.linted.read().unwrap_or_else(|e| e.into_inner());
                    let open = self.open.read().unwrap_or_else(|e| e.into_inner());
                    Arc::new(Module::read(&folder, assignments, &linted, &open))
                })
                .clone()
        };
        if module.alone {
            return None;
        }
        let own = module.file_index(&folder.join(name));
        Some(ModuleView {
            module,
            own,
            leave_to_value_file: true,
        })
    }
}
