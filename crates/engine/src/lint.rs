//! Lints one file's bytes: parse, recognise, schema, rules, suppressions
//! ([`crate::suppress`]), then settings. Knows nothing about paths on disk
//! or output formats.

use crate::crosscheck::FileFacts;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::Omitted;
use crate::document::recognise::{self, Recognition, Telltale};
use crate::document::shape::Shape;
use crate::document::shapes;
use crate::document::{Document, EmbeddedRead};
use crate::facts::facts;
use crate::fix::apply::Mode;
use crate::rules::findings::Findings;
use crate::rules::{self, Context};
use crate::schema;
use crate::settings::{DeclaredDocument, Level, Settings};
use crate::syntax::{self, ReadAs, SourceFormat, Span, WideEncoding, UTF8_BOM};
use std::collections::HashSet;

pub enum Outcome {
    /// The file was linted (possibly with no findings).
    Linted {
        document: Option<&'static Shape>,
        /// The first findings by position, at most `Settings::max_findings`.
        diagnostics: Vec<Diagnostic>,
        /// What the check across files needs of it ([`crate::crosscheck`]).
        facts: FileFacts,
        /// The findings past `Settings::max_findings`, counted.
        omitted: Omitted,
    },
    /// Directory mode only: the file is not a replication document.
    Skipped { reason: &'static str },
}

/// How the file came to be linted, which decides what happens to a file
/// that is not a replication document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Named on the command line: always reported on (ECR003 when it is
    /// none of the shapes).
    Named,
    /// Found in a directory, or named in hook mode (`--skip-unrecognised`),
    /// or opened in an editor: passed over unless it is meant as one.
    Found,
}

/// A file that is not ours to read: ECR003 when named, else passed over.
fn not_ours(origin: Origin, reason: &'static str, d: impl FnOnce() -> Diagnostic, settings: &Settings) -> Outcome {
    match origin {
        Origin::Named => finish(None, vec![d()], settings),
        Origin::Found => Outcome::Skipped { reason },
    }
}

/// The first byte of the file, as a span (empty for an empty file).
fn first_byte(bytes: &[u8]) -> Span {
    Span::new(0, bytes.len().min(1))
}

/// Lints one file. `read_as` comes from its name ([`ReadAs::for_path`]).
pub fn lint(bytes: &[u8], read_as: ReadAs, origin: Origin, settings: &Settings) -> Outcome {
    lint_with(bytes, read_as, origin, settings, None, Vec::new())
}

/// [`lint`], with findings on this file's text that the other files of
/// its Terraform module found at their uses of its values: reported here,
/// they pass through this file's suppression comments with its own.
pub fn lint_reporting(
    bytes: &[u8],
    read_as: ReadAs,
    origin: Origin,
    settings: &Settings,
    reported_here: Vec<Diagnostic>,
) -> Outcome {
    lint_with(bytes, read_as, origin, settings, None, reported_here)
}

/// Lints one file for the fix loop: the findings kept whole (up to the
/// cap) are the first by position of those with a fix `mode` applies, and
/// every finding past the cap has its key in [`Omitted::keys`], so that
/// the fix loop can compare texts by them.
pub fn lint_for_fixing(bytes: &[u8], read_as: ReadAs, origin: Origin, settings: &Settings, mode: Mode) -> Outcome {
    lint_with(bytes, read_as, origin, settings, Some(mode), Vec::new())
}

fn lint_with(
    bytes: &[u8],
    read_as: ReadAs,
    origin: Origin,
    settings: &Settings,
    fixing: Option<Mode>,
    reported_here: Vec<Diagnostic>,
) -> Outcome {
    let mut outcome = lint_text(bytes, read_as, origin, settings, fixing, reported_here);
    if let Outcome::Linted { facts, .. } = &mut outcome {
        crate::crosscheck::note_folder(facts, settings);
    }
    outcome
}

fn lint_text(
    bytes: &[u8],
    read_as: ReadAs,
    origin: Origin,
    settings: &Settings,
    fixing: Option<Mode>,
    reported_here: Vec<Diagnostic>,
) -> Outcome {
    let explicit = origin == Origin::Named;
    let Some(format) = read_as.resolve(bytes) else {
        return not_ours(
            origin,
            "not a format ecrlint reads",
            || {
                rules::unknown_document::META
                    .diagnostic(first_byte(bytes), "this file is not a format ecrlint reads")
                    .with_primary_label("not JSON, YAML or Terraform")
                    .with_help(format!(
                        "ecrlint reads replication documents and CloudFormation templates in JSON or YAML, \
                         and Terraform configurations ({}); lint the file the code or text produces",
                        syntax::read_extensions_text()
                    ))
            },
            settings,
        );
    };
    if let Some((encoding, bom)) = WideEncoding::detect(bytes) {
        let text = encoding.decode(&bytes[bom..]);
        if !explicit && !recognise::text_is_replication(&text) {
            return Outcome::Skipped {
                reason: "not UTF-8, and has no replication keys",
            };
        }
        let span = if bom > 0 { Span::new(0, bom) } else { first_byte(bytes) };
        let d = rules::invalid_json::META
            .diagnostic(span, format!("this file is {}; save it as UTF-8", encoding.name()))
            .with_primary_label(if bom > 0 { "byte order mark" } else { "wide characters" })
            .with_help(
                "the AWS CLI and CloudFormation read UTF-8 only: re-save the file as UTF-8 without a byte \
                 order mark (in Windows editors, not \"Unicode\"), or `iconv -f UTF-16 -t UTF-8`",
            );
        return finish(None, vec![d], settings);
    }
    let mut reuse = syntax::yaml::Reuse::default();
    let parsed = match format {
        SourceFormat::Yaml => syntax::yaml::parse_with_reuse(bytes).map(|(parsed, found)| {
            reuse = found;
            parsed
        }),
        // YAML above, for its aliases and merge keys; the others as parsed anywhere.
        other => other.parse_with_comments(bytes),
    };
    let (root, comments) = match parsed {
        Ok(parsed) => (parsed.root, parsed.comments),
        Err(e) => {
            let text = String::from_utf8_lossy(bytes);
            let mentions = match format {
                SourceFormat::Hcl => recognise::terraform_text_is_replication(&text),
                // JSON may be Terraform's JSON syntax (`.tf.json`).
                _ => recognise::text_is_replication(&text) || recognise::terraform_text_is_replication(&text),
            };
            if !explicit && !mentions {
                return Outcome::Skipped {
                    reason: "does not parse, and has no replication keys",
                };
            }
            let d = rules::invalid_json::META
                .diagnostic(e.span, e.message)
                .with_primary_label(e.label);
            let d = match e.help {
                Some(h) => d.with_help(h),
                None => d,
            };
            return finish(None, vec![d], settings);
        }
    };
    // Local modules whose source folder is read (`./modules/ecr`): their
    // inputs are checked as the module uses them, never by their contents.
    // An input may be written in another file of the caller's folder
    // (`local.rules` in `locals.tf`): those files' texts follow the
    // caller's, so that every value read keeps a span in one text.
    let own_text = std::str::from_utf8(bytes).unwrap_or_default();
    // Override files' module blocks merge into the originals (their `source`, their arguments).
    let merged = settings
        .terraform_module
        .as_ref()
        .and_then(|view| Some((&*view.module, view.own?)));
    let folder_text = match (&settings.terraform_folder, &settings.terraform_module, format) {
        (Some(_), Some(view), SourceFormat::Hcl | SourceFormat::Json)
            if crate::document::module_source::has_local_calls_merged(&root, merged) =>
        {
            crate::document::module::FolderText::of(own_text, &view.module, view.own)
        }
        _ => None,
    };
    let caller_text = folder_text.as_ref().map_or(own_text, |f| f.text.as_str());
    let calls = match (&settings.terraform_folder, format) {
        // A `.tf.json` caller too (the folder is set for Terraform files only).
        (Some(folder), SourceFormat::Hcl | SourceFormat::Json) => {
            let fresh;
            let folders = match &settings.terraform_folders {
                Some(folders) => folders.as_ref(),
                None => {
                    fresh = crate::document::module::Folders::default();
                    &fresh
                }
            };
            crate::document::module_source::local_calls_merged(&root, caller_text, folder, folders, merged)
        }
        _ => Vec::new(),
    };
    let folder_trees = match (&folder_text, &settings.terraform_module) {
        (Some(folder), Some(view)) if calls.iter().any(|c| !c.reaches.is_empty()) => folder.parse(&view.module),
        _ => Vec::new(),
    };
    let folder_values = match (&folder_text, &settings.terraform_module) {
        (Some(folder), Some(view)) => crate::document::module::FolderValues::find(folder, &folder_trees, &view.module),
        _ => Default::default(),
    };
    let caller = Caller {
        root: &root,
        text: caller_text,
        format,
        folder: folder_text.as_ref().map(|f| (f, &folder_values)),
    };
    let followed: Vec<&str> = calls.iter().map(|c| c.name.key.as_ref()).collect();
    let reaching = calls.iter().any(|c| !c.reaches.is_empty());
    let terraform = &crate::document::shapes::terraform::SHAPE;
    let recognised = match recognise::recognise(&root) {
        // Ours only by the contents of inputs to local modules that use none of them.
        Recognition::Replication(kind)
            if std::ptr::eq(kind, terraform)
                && !followed.is_empty()
                && !reaching
                && !crate::document::shapes::terraform::matches_besides(&root, &followed) =>
        {
            recognise::terraform_neighbour(&root)
        }
        Recognition::Neighbour { .. } | Recognition::Unrelated if reaching => Recognition::Replication(terraform),
        other => other,
    };
    // A file the user declared is read as declared when recognition does not
    // already read it as one of our shapes.
    let recognition = match (recognised, settings.document) {
        (Recognition::Replication(kind), _) => Recognition::Replication(kind),
        (other, Some(declared)) => declared_shape(declared, &root).map_or(other, Recognition::Replication),
        (other, None) => other,
    };
    // ECR003 is about the whole file: a suppression comment anywhere silences it.
    let silenced = !matches!(recognition, Recognition::Replication(_))
        && crate::suppress::silences_unknown_document(&comments, &String::from_utf8_lossy(bytes));
    let kind = match recognition {
        Recognition::Replication(kind) => kind,
        Recognition::Misplaced(_) | Recognition::Neighbour { .. } | Recognition::Unrelated
            if silenced
                && match recognition {
                    Recognition::Misplaced(_) => true,
                    Recognition::Unrelated => explicit && shapes::shape_of(&root).is_none(),
                    _ => explicit,
                } =>
        {
            return finish(None, Vec::new(), settings);
        }
        Recognition::Misplaced(clue) => {
            let d = rules::unknown_document::META
                .diagnostic(
                    clue.span,
                    format!(
                        "this file mentions `{}`, but its top level is none of the replication document shapes",
                        clue.word
                    ),
                )
                .with_primary_label("replication key here")
                .with_help(format!(
                    "ecrlint checks {}; lint the configuration itself, or wrap it as one of these; {}",
                    shapes::describe_all(),
                    rules::unknown_document::PASS_OVER
                ));
            return finish(None, vec![d], settings);
        }
        Recognition::Neighbour { neighbour, at } => {
            return not_ours(
                origin,
                neighbour.name,
                || {
                    rules::unknown_document::META
                        .diagnostic(
                            at,
                            format!("this is {}, not an ECR replication configuration", neighbour.name),
                        )
                        .with_primary_label(
                            if neighbour.telltales.contains(&Telltale::TemplateWithoutReplication)
                                || neighbour.telltales.contains(&Telltale::TerraformWithoutReplication)
                            {
                                "no replication resource among these"
                            } else {
                                "this key gives it away"
                            },
                        )
                        .with_help(format!(
                            "such files come from {}; ecrlint checks {}; {}",
                            neighbour.source,
                            shapes::describe_all(),
                            rules::unknown_document::PASS_OVER
                        ))
                },
                settings,
            )
        }
        // A file named on the command line is linted when its top level has our shape.
        Recognition::Unrelated => match shapes::shape_of(&root).filter(|_| explicit) {
            Some(shape) => shape,
            None => {
                return not_ours(
                    origin,
                    "not a replication document or CloudFormation template",
                    || {
                        rules::unknown_document::META
                            .diagnostic(first_byte_of(&root), "this file is not an ECR replication document")
                            .with_primary_label("unrecognised top-level value")
                            .with_help(format!(
                                "ecrlint checks {}; {}",
                                shapes::describe_all(),
                                rules::unknown_document::PASS_OVER
                            ))
                    },
                    settings,
                )
            }
        },
    };
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    // The registry policies the followed modules make of the inputs.
    let mut followed_policies: Vec<crate::crosscheck::RegistryPolicy> = Vec::new();
    let mut followed_modules = Vec::new();
    let on_inputs: Vec<Diagnostic> = calls
        .iter()
        .flat_map(|call| {
            let (found, policies) = check_followed(call, &caller, settings);
            if !policies.is_empty() {
                followed_modules.extend(std::fs::canonicalize(&call.dir).ok());
            }
            followed_policies.extend(policies);
            found
        })
        .collect();
    let on_overrides = if std::ptr::eq(kind, terraform) {
        on_unlinted_overrides(&root, settings)
    } else {
        Vec::new()
    };
    let (mut found, mut facts) = check_document(
        &root,
        kind,
        text,
        format,
        &reuse,
        settings,
        Part::File {
            fixing,
            // Through this file's suppression comments, as its own findings are.
            reported_here: reported_here.into_iter().chain(on_inputs).collect(),
            comments: &comments,
            followed: calls.iter().map(|c| c.body.span).collect(),
        },
    );
    // Already through the override file's comments, and through no others:
    // a comment there is the one every run reads (the folder run reports
    // them there); one here would be read by the hook on this file alone.
    found.extend(on_overrides);
    // They take part in the check across files as the file's own (each
    // once, however many instances checked it).
    if fixing.is_none() {
        facts.followed_modules = followed_modules.into();
        for policy in followed_policies {
            if !facts.policies.contains(&policy) {
                facts.policies.push(policy);
            }
        }
    }
    // The AWS CLI reads `file://` JSON without skipping a byte order mark
    // ("Unexpected UTF-8 BOM"); CloudFormation and YAML readers skip it.
    if kind.read_by_aws_cli && format == SourceFormat::Json && bytes.starts_with(UTF8_BOM) {
        found.push(
            rules::invalid_json::META
                .diagnostic(
                    Span::new(0, UTF8_BOM.len()),
                    "this file starts with a UTF-8 byte order mark, which the AWS CLI rejects (\"Unexpected UTF-8 BOM\")",
                )
                .with_primary_label("byte order mark")
                .with_help("save the file as UTF-8 without a byte order mark (\"UTF-8\", not \"UTF-8 with BOM\")"),
        );
    }
    // Each literal branch of a Terraform conditional is a candidate, checked
    // as the file it would make (as CloudFormation's `Fn::If` branches are),
    // and so is each element of a known collection a `dynamic` block makes.
    if std::ptr::eq(kind, &crate::document::shapes::terraform::SHAPE) && format == SourceFormat::Hcl {
        let module = settings.terraform_module.as_ref();
        let scope = crate::document::terraform_scope::Scope::in_module(&root, module);
        // A branch that is an expression: its value, when known.
        let variants = crate::document::terraform::conditional_variants(&root, text, &mut |branch| {
            let mut evaluator = crate::document::terraform_eval::Evaluator::new(&scope, text);
            let value = evaluator.value(branch).ok()?;
            (value.span != branch.span || value.as_str().is_none()).then_some((value, evaluator.made))
        })
        .into_iter()
        .chain(crate::document::terraform_eval::for_each_variants(&root, text, module))
        .chain(crate::document::terraform_eval::function_variants(&root, text, &scope));
        // What is already found, by code, span and message: a variant
        // repeats most of the file's findings, and a scan of the list for
        // each would be quadratic.
        let mut seen: Option<HashSet<(&'static str, Span, u64)>> = None;
        for variant in variants {
            let seen = seen.get_or_insert_with(|| found.places().collect());
            let (more, _) = check_document(&variant.tree, kind, text, format, &reuse, settings, Part::Merged);
            found.take_new(
                more,
                |code, span, message| seen.insert((code, span, message)),
                |d| {
                    // The branch is not in the file's tree: the pointer is the conditional's.
                    d.pointer = root.pointer_at(d.span).to_string();
                    if let Some((span, message)) = variant
                        .label
                        .as_ref()
                        .filter(|(at, _)| !(at.start <= d.span.start && d.span.end <= at.end))
                    {
                        d.labels.push(crate::diagnostic::Label {
                            span: *span,
                            message: message.clone(),
                            file: None,
                        });
                    }
                    // A value a function made is not text to edit.
                    if d.fix
                        .as_ref()
                        .is_some_and(|f| !f.edits.iter().all(|e| variant.may_edit(e.span)))
                    {
                        d.fix = None;
                    }
                },
                |span| crate::rules::findings::hash_text(&root.pointer_at(span).to_string()),
            );
        }
    }
    // The trees are done with: settling builds the fix loop's keys and
    // edits of every finding past the cap, which should not sit on top of
    // them (an 11 MB file's tree is several times its size).
    drop(calls);
    drop(folder_values);
    drop(folder_trees);
    drop((comments, reuse, root));
    let (diagnostics, omitted) = found.settle(settings);
    Outcome::Linted {
        document: Some(kind),
        diagnostics,
        facts,
        omitted,
    }
}

/// The findings on what override files put in place of this file's
/// blocks (a resource's `replication_configuration`, a module block's
/// arguments), when such a file is not linted in the run (the hook on
/// `main.tf` alone): reported at the block's name, labelled where the
/// override writes them, as a value written in a file not linted is
/// reported at its use. The folder run reports them in the override file;
/// without this, the hook passed them over.
fn on_unlinted_overrides(root: &syntax::Node, settings: &Settings) -> Vec<Diagnostic> {
    use crate::document::terraform as tf;
    let Some((view, own)) = settings.terraform_module.as_ref().and_then(|v| Some((v, v.own?))) else {
        return Vec::new();
    };
    let module = &view.module;
    // (the block's name label here, the kind and name of the block in the override file, that file)
    let mut replaced: Vec<(Span, &str, String, usize)> = Vec::new();
    for (_, name, _) in tf::replication_resources(root) {
        let address = format!("{}.{}", tf::RESOURCE_TYPE, name.key);
        if let Some(holder) = module.replaced_by(own, &address) {
            replaced.push((name.key_span, "resource", name.key.to_string(), holder));
        }
    }
    if tf::is_tree(root) {
        for (name, _) in tf::labelled(root, "module") {
            for holder in module.module_overriders(own, &name.key) {
                replaced.push((name.key_span, "module", name.key.to_string(), holder));
            }
        }
    }
    let mut found = Vec::new();
    for (key_span, kind, name, holder) in replaced {
        if module.reports_its_blocks(holder) {
            continue;
        }
        let (Some(path), Some(file)) = (module.path(holder), module.files.get(holder)) else {
            continue;
        };
        let read_as = ReadAs::for_path(path);
        let Some(format) = read_as.resolve(file.text.as_bytes()) else {
            continue;
        };
        let Ok(holder_root) = format.parse(file.text.as_bytes()) else {
            continue;
        };
        let block = match kind {
            "resource" => tf::replication_resources(&holder_root)
                .find(|(_, n, _)| n.key == name)
                .map(|(_, _, body)| body.span),
            _ => tf::labelled(&holder_root, "module")
                .find(|(n, _)| n.key == name)
                .map(|(_, body)| body.span),
        };
        let Some(block) = block else {
            continue;
        };
        let holder_settings = Settings {
            terraform_module: Some(crate::document::module::ModuleView {
                module: std::sync::Arc::clone(module),
                own: Some(holder),
                leave_to_value_file: view.leave_to_value_file,
            }),
            max_findings: None,
            ..settings.clone()
        };
        let Outcome::Linted { diagnostics, .. } = lint(file.text.as_bytes(), read_as, Origin::Found, &holder_settings)
        else {
            continue;
        };
        let what = match kind {
            "resource" => "whose `replication_configuration` replaces this resource's",
            _ => "whose arguments replace this module block's",
        };
        let pointer = root.pointer_at(key_span).to_string();
        for mut d in diagnostics
            .into_iter()
            .filter(|d| block.start <= d.span.start && d.span.end <= block.end)
        {
            for label in d.labels.iter_mut().filter(|l| l.file.is_none()) {
                label.file = Some(std::sync::Arc::clone(file));
            }
            d.labels.insert(
                0,
                crate::diagnostic::Label {
                    span: d.span,
                    message: format!(
                        "written in {}, {what} (not linted in this run; a suppression comment for it goes there)",
                        file.path
                    ),
                    file: Some(std::sync::Arc::clone(file)),
                },
            );
            d.span = key_span;
            d.pointer = pointer.clone();
            d.fix = None;
            found.push(d);
        }
    }
    found
}

/// What [`check_document`] checks.
enum Part<'c> {
    /// The file itself: its strings are read, its findings capped (the
    /// ones kept whole chosen for the fix loop when `fixing`).
    File {
        fixing: Option<Mode>,
        /// Findings on this file's text that other files found (a module's
        /// values used elsewhere), reported here: through its suppressions.
        reported_here: Vec<Diagnostic>,
        /// The file's comments, where its suppressions are.
        comments: &'c [syntax::Comment],
        /// The bodies of the module blocks whose local source is followed:
        /// their inputs are not read by their contents.
        followed: Vec<Span>,
    },
    /// A document in a string, or a variant of a Terraform conditional:
    /// merged into the file's findings, which caps them.
    Merged,
    /// A local module's tree with a caller's inputs: its strings are read,
    /// and its findings on the inputs go through the caller's suppressions
    /// (in the caller's own lint), not these.
    Followed,
}

/// The findings of the schema and the rules on one document of a shape,
/// and on the documents written in its strings (positions mapped back);
/// with what the check across files needs of them.
fn check_document(
    root: &syntax::Node,
    kind: &'static Shape,
    text: &str,
    format: SourceFormat,
    reuse: &syntax::yaml::Reuse,
    settings: &Settings,
    part: Part,
) -> (Findings<'static>, FileFacts) {
    let read_strings = matches!(part, Part::File { .. } | Part::Followed);
    let suppress_here = matches!(part, Part::File { .. });
    let (fixing, reported_here, comments, followed) = match part {
        Part::File {
            fixing,
            reported_here,
            comments,
            followed,
        } => (fixing, reported_here, comments, followed),
        Part::Merged | Part::Followed => (None, Vec::new(), &[][..], Vec::new()),
    };
    let mut doc = crate::model::document(root, kind, settings);
    doc.embedded.retain(|e| {
        e.written != crate::document::Written::ModuleInput
            || !followed
                .iter()
                .any(|b| b.start <= e.node.span.start && e.node.span.end <= b.end)
    });
    // The instances a resource's `count` or `for_each` makes, known from the file's text.
    if read_strings && std::ptr::eq(kind, &crate::document::shapes::terraform::SHAPE) {
        doc.repeated_instances =
            crate::document::terraform_eval::repeated_instances(root, text, settings.terraform_module.as_ref());
    }
    // A file's own account setting decides the scope of its policies, the
    // ones in its strings included.
    let scoped;
    let settings = match doc.registry_policy_scope {
        Some(scope) if scope != settings.registry_policy_scope => {
            scoped = Settings {
                registry_policy_scope: scope,
                ..settings.clone()
            };
            &scoped
        }
        _ => settings,
    };
    // The flags win over what the file says of each configuration.
    for config in &mut doc.configurations {
        if settings.source_region.is_some() {
            config.source_region = None;
        }
        if settings.source_registry.is_some() {
            config.source_registry = None;
        }
    }
    let source_registry = settings.source_registry.as_deref().or_else(|| {
        doc.source_registry
            .as_ref()
            .and_then(|s| s.text())
            .filter(|id| facts().registry_id_pattern.is_match(id))
    });
    // A Terraform provider's literal `region` is the source Region; the flag wins.
    let source_region = settings
        .source_region
        .as_deref()
        .or_else(|| doc.source_region.as_ref().and_then(|s| s.text()));
    let ctx = Context {
        doc: &doc,
        facts: facts(),
        source_region,
        source_registry,
        extra_regions: &settings.extra_regions,
        policy: &settings.policy,
        registry_policy_scope: settings.registry_policy_scope,
        yaml_aliases: &reuse.aliases,
        yaml_merge_keys: &reuse.merge_keys,
        source: text,
        format,
    };
    let origins: std::collections::HashMap<Span, &crate::document::ValueOrigin> =
        doc.value_origins.iter().map(|o| (o.at, o)).collect();
    // Each rule finding as it comes, before the cap keeps or counts it.
    let elsewhere = std::cell::RefCell::new(Vec::new());
    // The suppression comments of the module's other files, each read once.
    let comments_of = std::cell::RefCell::new(std::collections::HashMap::new());
    let prepare = |d: &mut Diagnostic| {
        // A value written in another linted file of the module: that file
        // reports it (a comment here at the use still silences it there).
        if origins.get(&d.span).is_some_and(|o| o.reported_there) {
            elsewhere.borrow_mut().push((d.code, d.span));
            return false;
        }
        // Written in a file not linted in this run (the hook on `main.tf`
        // alone): a comment above the value there covers it, as it does in
        // the run that lints that file and reports the finding there.
        if let Some((file, from)) = origins.get(&d.span).and_then(|o| Some((o.file.as_ref()?, o.from))) {
            let mut comments_of = comments_of.borrow_mut();
            let comments = comments_of.entry(std::sync::Arc::as_ptr(file)).or_insert_with(|| {
                let format = crate::document::module::format_of(&file.path);
                crate::suppress::CommentsOf::read(&file.text, format)
            });
            if comments.as_ref().is_some_and(|c| c.cover(d.code, from)) {
                return false;
            }
        }
        // A plan is generated: its findings are fixed in the configuration, not there.
        if kind.dialect.generated {
            d.fix = None;
        }
        // A value read from elsewhere (a variable's default): say where. A
        // fix must not overwrite the expression at the use: it rewrites the
        // value where it is written, unsafe, as every use of it changes too.
        if let Some(origin) = origins.get(&d.span) {
            d.labels.push(crate::diagnostic::Label {
                span: origin.from,
                message: origin.label.clone(),
                file: origin.file.clone(),
            });
            // A value in another file is fixed there, by hand: a fix edits this file only.
            if origin.file.is_some() {
                d.fix = None;
            }
            let use_span = d.span;
            d.fix = d.fix.take().filter(|_| origin.from_string).and_then(|fix| {
                let moved: Option<Vec<crate::fix::Edit>> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        // Written as the value there is (`"eu-wst-1"` stays quoted).
                        let there = text.get(origin.from.start..origin.from.end).unwrap_or_default();
                        (e.span == use_span).then(|| {
                            crate::fix::Edit::replace(
                                origin.from,
                                crate::fix::write::restyle(format, &e.content, there),
                            )
                        })
                    })
                    .collect();
                Some(Box::new(crate::fix::Fix::unsafe_edit(
                    format!("{} where it is set", fix.title),
                    moved?,
                )))
            });
        }
        true
    };
    // Bounded only for the file itself: a document in a string, or a
    // variant of a Terraform conditional, is merged into the file's.
    let max = if read_strings {
        settings.max_findings.unwrap_or(0)
    } else {
        0
    };
    let mut found = Findings::new(max).prepared_by(&prepare);
    if let Some(mode) = fixing {
        found = found.whole_only_with_fixes(mode);
    }
    // A rule runs on a document holding the kinds of resource it reads.
    let mut held = crate::model::kind::Held::new(&doc);
    for rule in rules::RULES {
        if let (crate::rules::Check::File(check), Level::On(_)) =
            (rule.check, settings.level(rule.meta.code, rule.meta.default))
        {
            if rule.meta.runs_on(&mut held) {
                check(&ctx, &mut found);
            }
        }
    }
    let mut found = found.unprepared();
    // Only the findings kept whole get their pointer (a finding past the
    // cap is hashed from its span if the schema's de-duplication needs it):
    // working one out is a walk down the tree and a string, most of a
    // counted finding's cost when every one had it.
    for d in found.kept_mut().iter_mut().filter(|d| d.pointer.is_empty()) {
        d.pointer = root.pointer_at(d.span).to_string();
    }
    // A rule's specific finding replaces the schema's generic one on the same value.
    // (By pointer, or by span: a YAML alias's value has one span and two paths.)
    let schema_findings = schema::check(&doc, text, format == SourceFormat::Yaml);
    if schema_findings.iter().any(|f| f.value_level || f.replaces_rules) {
        found.hash_pointers(|span| root.pointer_at(span).to_string());
    }
    let (explained_spans, explained): (HashSet<Span>, HashSet<u64>) = if schema_findings.iter().any(|f| f.value_level) {
        let mut spans = HashSet::new();
        let mut pointers = HashSet::new();
        for (span, pointer) in found.spans_and_pointers() {
            spans.insert(span);
            pointers.extend(pointer);
        }
        (spans, pointers)
    } else {
        Default::default()
    };
    // ...unless the value the rules read is not the value as written (a YAML
    // 1.1 reading in a template): then the schema's finding says so, alone.
    let replaced: Vec<&Diagnostic> = schema_findings
        .iter()
        .filter(|f| f.replaces_rules)
        .map(|f| &f.diagnostic)
        .collect();
    if !replaced.is_empty() {
        let spans = replaced.iter().map(|r| r.span).collect();
        let pointers = replaced
            .iter()
            .map(|r| crate::rules::findings::hash_text(&r.pointer))
            .collect();
        found.drop_at(&spans, &pointers);
    }
    for f in schema_findings {
        if f.value_level
            && (explained.contains(&crate::rules::findings::hash_text(&f.diagnostic.pointer))
                || explained_spans.contains(&f.diagnostic.span))
        {
            continue;
        }
        found.push(f.diagnostic);
    }
    drop(explained);
    drop(explained_spans);
    // The fix loop weighs findings only: the check across files reads the
    // facts of the text it settles on, linted once more.
    let for_fix_loop = fixing.is_some();
    let mut across = if for_fix_loop {
        crate::crosscheck::FileFacts::default()
    } else {
        crate::crosscheck::facts(&doc, text, settings)
    };
    for embedded in doc.embedded.iter().filter(|_| read_strings) {
        let (mut findings, policies) = check_embedded(root, &doc, embedded, text, format, settings);
        // A plan is generated: its findings are fixed in the configuration, not there.
        if kind.dialect.generated {
            findings.iter_mut().for_each(|d| d.fix = None);
        }
        found.extend(findings);
        if doc.applies(embedded) && !for_fix_loop {
            across.policies.extend(policies);
        }
    }
    // What concerns the file as a whole, once: YAML aliases and suppressions.
    if read_strings {
        label_aliases(found.kept_mut(), &reuse.aliases);
        found.extend(reported_here);
        let elsewhere = elsewhere.borrow();
        if suppress_here {
            crate::suppress::apply(&mut found, &elsewhere, root, comments, &doc, text, format, settings);
        }
    }
    (found, across)
}

/// The findings on a caller's inputs to a local module whose source is
/// followed: the module's resources of ours, with the inputs as its
/// variables' values, checked as one configuration over the joined texts;
/// only findings on the inputs are kept, each naming the module and
/// labelled where the module uses the variable (a label on the module's
/// text is in its file). The module's own findings are its files' to report.
fn check_followed(
    call: &crate::document::module_source::Call,
    caller: &Caller,
    settings: &Settings,
) -> (Vec<Diagnostic>, Vec<crate::crosscheck::RegistryPolicy>) {
    use crate::document::terraform_scope::Scope;
    if call.reaches.is_empty() {
        return Default::default();
    }
    let (root, text) = (caller.root, caller.text);
    let caller_scope = Scope::in_module(root, settings.terraform_module.as_ref());
    let caller_scope = match caller.folder {
        Some((_, values)) => caller_scope.with_folder(values),
        None => caller_scope,
    };
    // The block as written (its literals are checked even when a known
    // `count` is 0, as a resource's are), then, with a known `count` or
    // `for_each`, each instance, `each.value` (or `count.index`) read as
    // that instance's.
    let mut instances: Vec<(syntax::Node, Vec<Span>)> = vec![(call.body.clone(), Vec::new())];
    if let Some((_, made)) =
        crate::document::terraform_eval::resource_instances(&caller_scope, text, call.body, MAX_MODULE_INSTANCES)
    {
        instances.extend(made.into_iter().map(|i| (i.body, i.made)));
    }
    // The module's tree and the settings it is checked with are the same for every instance.
    let module = crate::document::module_source::module_root(&call.joined, call.files.clone());
    let plain = Settings {
        terraform_module: None,
        terraform_folder: None,
        terraform_folders: None,
        max_findings: None,
        ..settings.clone()
    };
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut policies = Vec::new();
    for (body, made) in &instances {
        let (found, more) = check_followed_instance(
            call,
            &module,
            caller,
            settings.terraform_module.as_ref(),
            &plain,
            &caller_scope,
            body,
            made.clone(),
            &mut seen,
        );
        out.extend(found);
        policies.extend(more);
    }
    (out, policies)
}

/// The file that calls local modules: its tree, and the text its values
/// are read in (its own, then the folder's files that set values, when
/// it is read as part of its folder).
struct Caller<'c, 't> {
    root: &'c syntax::Node<'t>,
    text: &'t str,
    /// HCL, or JSON for a `.tf.json` caller.
    format: SourceFormat,
    folder: Option<(
        &'c crate::document::module::FolderText,
        &'c crate::document::module::FolderValues<'c>,
    )>,
}

/// Instances of a module block checked, at most.
const MAX_MODULE_INSTANCES: usize = 64;

/// [`check_followed`] for one instance of the call, whose body is `body`
/// (`made`: the spans of values made for it); `module` is the module's
/// tree, `plain` the settings it is checked with.
#[allow(clippy::too_many_arguments)]
fn check_followed_instance(
    call: &crate::document::module_source::Call,
    module: &syntax::Node,
    caller: &Caller,
    view: Option<&crate::document::module::ModuleView>,
    plain: &Settings,
    caller_scope: &crate::document::terraform_scope::Scope,
    body: &syntax::Node,
    mut made: Vec<Span>,
    seen: &mut HashSet<(&'static str, Span, String)>,
) -> (Vec<Diagnostic>, Vec<crate::crosscheck::RegistryPolicy>) {
    use crate::document::module_source as source;
    use crate::document::terraform_scope::Scope;
    let (root, text) = (caller.root, caller.text);
    let joined = &call.joined;
    // The caller's own text ends here; past it, up to the module's, are the
    // other files of its folder.
    let own_len = caller.folder.map_or(joined.caller_len, |(f, _)| f.own_len);
    let in_folder = |span: Span| {
        let (folder, view) = (caller.folder?.0, view?);
        let (file, span) = folder.file_at(span)?;
        Some((file, span, view.module.files.get(file)?.clone()))
    };
    let reached: Vec<(&syntax::Member, &crate::document::module_source::Reach)> = source::input_members(body)
        .filter_map(|m| Some((m, call.reaches.iter().find(|r| r.name == m.key)?)))
        .collect();
    let (with_inputs, inputs, by_functions) = source::instance(call, module, body, caller_scope, text);
    made.extend(by_functions);
    let scope = Scope::new(&with_inputs);
    let tree = source::evaluated(&with_inputs, &scope, &joined.text);
    let policies = source::policies(&with_inputs, &joined.text, &inputs);
    let reuse = syntax::yaml::Reuse::default();
    let terraform = &crate::document::shapes::terraform::SHAPE;
    let part = Part::Followed;
    let (found, facts) = check_document(&tree, terraform, &joined.text, SourceFormat::Hcl, &reuse, plain, part);
    let mut found = found.into_vec();
    let mut registry_policies = facts.policies;
    for policy in &policies {
        let policy = source::evaluated(policy, &scope, &joined.text);
        let shape = &crate::document::shapes::registry_policy::TERRAFORM_SHAPE;
        let (more, facts) = check_document(
            &policy,
            shape,
            &joined.text,
            SourceFormat::Hcl,
            &reuse,
            plain,
            Part::Merged,
        );
        found.extend(more.into_vec());
        // The tree read the same `jsonencode` as written, its variables unknown: this reading replaces it.
        registry_policies.retain(|p| !facts.policies.iter().any(|q| q.span == p.span));
        registry_policies.extend(facts.policies);
    }
    // The module's policies take part in the check across files as the
    // caller's: a place in the module's text is shown at the module block.
    for policy in &mut registry_policies {
        policy.map_spans(|span| if span.end <= own_len { span } else { call.name.key_span });
    }
    // A span past the caller's text is in one of the module's files.
    let in_module = |span: Span| {
        joined
            .files
            .iter()
            .rev()
            .find(|(start, _)| *start <= span.start)
            .map(|(start, file)| (Span::new(span.start - start, span.end - start), file.clone()))
    };
    let mut out = Vec::new();
    // The suppression comments of the folder's other files, each read once.
    let mut comments_of = std::collections::HashMap::new();
    for mut d in found {
        if d.span.end > joined.caller_len {
            continue;
        }
        let within = |span: Span| span.start <= d.span.start && d.span.end <= span.end;
        let reach = match reached.iter().find(|(m, _)| within(m.value.span)) {
            Some((_, reach)) => reach,
            // A value the caller wrote elsewhere (`local.r`, a default; in
            // its file or another of its folder): reported at the input's
            // expression, labelled at the value. A value in another file
            // that the run lints is that file's to report (it takes the
            // finding from the caller's lint with `leave_to_value_file` off).
            None => {
                let Some((reach, (at, expression))) = reached.iter().find_map(|(m, reach)| {
                    Some((reach, source::expression_holding(&m.value, d.span, caller_scope, text)?))
                }) else {
                    continue;
                };
                let (span, file) = if d.span.start >= own_len {
                    let Some((index, span, file)) = in_folder(d.span) else {
                        continue;
                    };
                    if view.is_some_and(|v| v.reported_in(index)) {
                        continue;
                    }
                    // Not linted in this run: a comment above the value there
                    // covers it, as in the run that lints that file.
                    let comments = view.and_then(|v| {
                        let text = &v.module.files.get(index)?.text;
                        let format = || crate::document::module::format_of(&file.path);
                        comments_of
                            .entry(index)
                            .or_insert_with(|| crate::suppress::CommentsOf::read(text, format()))
                            .as_ref()
                    });
                    if comments.is_some_and(|c| c.cover(d.code, span)) {
                        continue;
                    }
                    (span, Some(file))
                } else {
                    (d.span, None)
                };
                d.labels.insert(
                    0,
                    crate::diagnostic::Label {
                        span,
                        // In the words a resource's finding at the value uses.
                        message: caller_scope
                            .label(&expression)
                            .unwrap_or_else(|| format!("the value of `{expression}`")),
                        file,
                    },
                );
                d.span = at;
                reach
            }
        };
        for label in d.labels.iter_mut().filter(|l| l.file.is_none()) {
            if label.span.start >= joined.caller_len {
                if let Some((span, file)) = in_module(label.span) {
                    label.span = span;
                    label.file = Some(file);
                }
            } else if label.span.start >= own_len {
                if let Some((_, span, file)) = in_folder(label.span) {
                    label.span = span;
                    label.file = Some(file);
                }
            }
        }
        // Only the caller's own literals are text to edit (not another
        // file's, nor the module's, nor what a function made).
        if d.fix
            .as_ref()
            .is_some_and(|f| f.edits.iter().any(|e| e.span.end > own_len || made.contains(&e.span)))
        {
            d.fix = None;
        }
        // The module is HCL, and so is what its rules' fixes write: in a
        // `.tf.json` caller only a plain string written for a string fits.
        if caller.format == SourceFormat::Json && d.fix.as_ref().is_some_and(|f| !replaces_strings(body, f)) {
            d.fix = None;
        }
        d.message = format!(
            "{}; module `{}` ({}) puts `{}` into {}",
            d.message,
            call.name.key,
            call.source,
            reach.name,
            reach.resources.join(", ")
        );
        if let Some((span, file)) = in_module(reach.use_span) {
            d.labels.push(crate::diagnostic::Label {
                span,
                message: format!("the module uses `var.{}` here", reach.name),
                file: Some(file),
            });
        }
        d.pointer = root.pointer_at(d.span).to_string();
        if seen.insert((d.code, d.span, d.message.clone())) {
            out.push(d);
        }
    }
    (out, registry_policies)
}

/// A document held in a string: parsed from the decoded text and checked
/// as its shape, each position mapped back to the file's bytes (a fix whose
/// text cannot be written back into the string is dropped); with its
/// registry policies, likewise mapped.
fn check_embedded(
    root: &syntax::Node,
    outer: &Document,
    embedded: &crate::document::Embedded,
    text: &str,
    format: SourceFormat,
    settings: &Settings,
) -> (Vec<Diagnostic>, Vec<crate::crosscheck::RegistryPolicy>) {
    let pointer = root.pointer_at(embedded.node.span).to_string();
    let (inner, map, policies) = match embedded.read(text, format) {
        // Documents in strings are one level deep: strings in it are not read.
        EmbeddedRead::Parsed(inner) => {
            let (found, facts) = check_document(
                &inner.root,
                embedded.shape,
                inner.text,
                inner.format,
                &syntax::yaml::Reuse::default(),
                settings,
                Part::Merged,
            );
            let policies = crate::crosscheck::policies_in_string(facts.policies, outer, inner.map.as_ref(), &pointer);
            (found.into_vec(), inner.map, policies)
        }
        EmbeddedRead::Invalid(e, map) => {
            let d = rules::invalid_json::META
                .diagnostic(
                    e.span,
                    format!("the JSON text in this string does not parse: {}", e.message),
                )
                .with_primary_label(e.label)
                .with_help(e.help.unwrap_or_else(|| {
                    "write the policy as JSON text in the string, as `aws ecr get-registry-policy` prints it".into()
                }));
            (vec![d], Some(map), Vec::new())
        }
        EmbeddedRead::Unknown => return (Vec::new(), Vec::new()),
    };
    let Some(map) = map else {
        // A document made of the file's nodes under other keys (a data
        // source's blocks, a module's input): only a new string value fits.
        let blocks = embedded.written.rebuilt();
        let found = inner
            .into_iter()
            .map(|mut d| {
                d.pointer = pointer.clone();
                if blocks && d.fix.as_ref().is_some_and(|f| !replaces_strings(embedded.node, f)) {
                    d.fix = None;
                }
                d
            })
            .collect();
        return (found, policies);
    };
    let found = inner
        .into_iter()
        .map(|mut d| {
            d.span = map.span(d.span);
            for l in &mut d.labels {
                l.span = map.span(l.span);
            }
            d.fix = d.fix.take().and_then(|mut fix| {
                for edit in &mut fix.edits {
                    edit.span = map.span(edit.span);
                    edit.content = map.encode(&edit.content)?;
                }
                Some(fix)
            });
            d.pointer = pointer.clone();
            d
        })
        .collect();
    (found, policies)
}

/// Whether each edit of a fix replaces a whole string value under `node`
/// with a string whose text HCL reads the same as JSON (no escapes, no
/// `${` or `%{`).
fn replaces_strings(node: &syntax::Node, fix: &crate::fix::Fix) -> bool {
    fn is_string_at(node: &syntax::Node, span: Span) -> bool {
        match &node.kind {
            syntax::NodeKind::String(_) => node.span == span,
            syntax::NodeKind::Array(items) => items.iter().any(|n| is_string_at(n, span)),
            syntax::NodeKind::Object(members) => members.iter().any(|m| is_string_at(&m.value, span)),
            _ => false,
        }
    }
    fix.edits.iter().all(|e| {
        let plain = e.content.len() >= 2
            && e.content.starts_with('"')
            && e.content.ends_with('"')
            && !e.content[1..e.content.len() - 1].contains(['"', '\\'])
            && !e.content.contains("${")
            && !e.content.contains("%{");
        plain && is_string_at(node, e.span)
    })
}

/// Most "also used here" labels one finding gets.
const MAX_ALIAS_LABELS: usize = 8;

/// Most anchored values compared with findings in one file: labels are a
/// courtesy, and a file with a hundred thousand anchors must stay fast.
const MAX_ALIAS_CHECKS: usize = 1_000_000;

/// A finding on an anchored value is one finding however many aliases use
/// the value (it is one mistake, fixed in one place): it is placed at the
/// anchor's value, and labels show where aliases use it.
fn label_aliases(found: &mut [Diagnostic], aliases: &[syntax::yaml::Alias]) {
    if aliases.is_empty() {
        return;
    }
    // Each anchored value once, with the aliases that use it, by position.
    let mut uses: std::collections::HashMap<Span, Vec<Span>> = std::collections::HashMap::new();
    for a in aliases.iter().filter(|a| !a.target.is_empty()) {
        uses.entry(a.target).or_default().push(a.span);
    }
    let mut targets: Vec<(Span, Vec<Span>)> = uses.into_iter().collect();
    targets.sort_by_key(|(t, _)| (t.start, t.end));
    let mut budget = MAX_ALIAS_CHECKS;
    for d in found.iter_mut().filter(|d| d.code != rules::yaml_alias::META.code) {
        // Values that start after the finding cannot hold it.
        let before = targets.partition_point(|(t, _)| t.start <= d.span.start);
        let mut added = 0;
        for (target, spans) in &targets[..before] {
            if budget == 0 {
                return;
            }
            budget -= 1;
            if d.span.end > target.end {
                continue;
            }
            for &span in spans {
                if added == MAX_ALIAS_LABELS {
                    break;
                }
                if d.labels.iter().any(|l| l.span == span) {
                    continue;
                }
                d.labels.push(crate::diagnostic::Label {
                    span,
                    message: "also used here (alias)".into(),
                    file: None,
                });
                added += 1;
            }
        }
    }
}

/// The registry policy scope a file sets for its own policies (a Terraform
/// `aws_ecr_account_setting`), as `ecrlint config` shows it; `None` when it
/// sets none or is not ours.
pub fn policy_scope_in(bytes: &[u8], read_as: ReadAs) -> Option<crate::settings::PolicyScope> {
    let root = read_as.resolve(bytes)?.parse(bytes).ok()?;
    let Recognition::Replication(kind) = recognise::recognise(&root) else {
        return None;
    };
    Document::build(&root, kind).registry_policy_scope
}

/// The shape of a file declared a registry policy (`[[overrides]]
/// document`, or its name) that recognition did not read as one of ours: a
/// V2 pull grant without a replication action or a `Resource` looks like a
/// repository policy.
fn declared_shape(declared: DeclaredDocument, root: &syntax::Node) -> Option<&'static Shape> {
    use crate::document::shapes::registry_policy;
    match declared {
        DeclaredDocument::RegistryPolicy => {
            root.as_object()?;
            Some(if root.get("Statement").is_none() && root.get("Effect").is_some() {
                &registry_policy::LONE_STATEMENT_SHAPE
            } else {
                &registry_policy::SHAPE
            })
        }
    }
}

fn first_byte_of(root: &syntax::Node) -> Span {
    Span::new(root.span.start, root.span.start + 1)
}

/// A file linted without a document (it does not parse, or is not one).
fn finish(document: Option<&'static Shape>, found: Vec<Diagnostic>, settings: &Settings) -> Outcome {
    Outcome::Linted {
        document,
        diagnostics: settle(found, settings),
        facts: FileFacts::default(),
        omitted: Omitted::default(),
    }
}

pub use crate::rules::findings::settle;
