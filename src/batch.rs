//! Lints a list of inputs: settings for each, reading (capped, regular
//! files only), [`lint`] on every core, results handed back in input order
//! as they are ready. Shared by the command line and anything else that
//! lints a workspace (a language server), so neither copies the loop.
//!
//! Every input gets exactly one result, in order: a bug (a panic) while
//! resolving settings, reading or linting one file becomes that file's
//! internal error, and the other files go on.

use crate::config::Resolver;
use crate::crosscheck::{self, FileFacts};
use crate::diagnostic::{Diagnostic, Label, Omitted, OtherFile};
use crate::discover::Input;
use crate::document::module::ModuleView;
use crate::fix::apply::Mode;
use crate::fix::stamp::Stamp;
use crate::fix_loop::{fix_text, Fixed, Linter};
use crate::lint::{lint, lint_reporting, Origin, Outcome};
use crate::render::{FileResult, Fixes};
use crate::settings::Overrides;
use crate::settings::Settings;
use crate::syntax::{ReadAs, Span};
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

/// What became of one input.
pub enum Linted {
    /// Linted, or failed (`FileResult::error` says why).
    File(FileResult),
    /// Not a replication document, in a folder: passed over, for this reason.
    Skipped(&'static str),
}

/// What bounds the work on each file.
pub struct Limits {
    /// Larger files (and standard input) are errors.
    pub max_file_size: u64,
    /// Named files that are not replication documents are skipped, as in folders.
    pub skip_unrecognised: bool,
    /// Fix each file's findings (in memory: the caller writes the text).
    pub fix: Option<crate::fix::apply::Mode>,
    /// Read a `.tf` file as part of its folder's module (variables and
    /// locals of the other files, tfvars); off for fixtures that share a folder.
    pub terraform_modules: bool,
    /// Findings kept per file (0: all); the others are only counted
    /// ([`crate::render::Omitted`]), so that memory stays bounded. `None`:
    /// the file's `max-findings` setting, else [`crate::render::DEFAULT_MAX_FINDINGS`].
    pub max_findings: Option<usize>,
    /// Add a suppression comment above each finding's line where the format
    /// has comments (`--add-suppressions`; in memory, as `fix`).
    pub add_suppressions: bool,
}

/// Findings kept per file: the flag, else the file's setting, else the default.
fn max_findings(limits: &Limits, settings: &Settings) -> usize {
    limits
        .max_findings
        .or(settings.max_findings)
        .unwrap_or(crate::render::DEFAULT_MAX_FINDINGS)
}

const INTERNAL_ERROR: &str = "internal error while linting this file; please report it with the file";

/// Reads at most `cap` bytes, and says so when there is more. `expected`:
/// the size the file had, so that a small file takes one read (and one
/// more to see its end), not a read per doubling of the buffer.
fn read_capped(reader: impl Read, cap: u64, expected: u64) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(expected.min(cap).saturating_add(1) as usize);
    reader.take(cap.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > cap {
        return Err(too_large(cap));
    }
    Ok(buf)
}

fn too_large(cap: u64) -> std::io::Error {
    std::io::Error::other(format!(
        "larger than the {} limit (--max-file-size raises it)",
        show_size(cap)
    ))
}

fn show_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b}-byte"),
    }
}

/// The bytes of one input, at most `cap` of them. A named path must be a
/// regular file: a device or pipe (`/dev/zero`) could block or never end.
pub fn read_input(input: &Input, cap: u64) -> std::io::Result<Vec<u8>> {
    read_stamped(input, cap).map(|(bytes, _)| bytes)
}

/// [`read_input`], with what the file was when read (none for standard
/// input), taken before reading: a write during the read changes it.
fn read_stamped(input: &Input, cap: u64) -> std::io::Result<(Vec<u8>, Option<Stamp>)> {
    match input {
        Input::Stdin(_) => Ok((read_capped(std::io::stdin().lock(), cap, 0)?, None)),
        Input::Explicit(p) | Input::Found(p) => {
            let not_regular =
                || std::io::Error::other("not a regular file (ecrlint reads files, and `-` for standard input)");
            let meta = std::fs::metadata(p)?;
            if meta.is_dir() || !meta.is_file() {
                return Err(not_regular());
            }
            if meta.len() > cap {
                return Err(too_large(cap));
            }
            let file = std::fs::File::open(p)?;
            let opened = file.metadata()?;
            // Swapped for something else since the check above.
            if !opened.is_file() {
                return Err(not_regular());
            }
            Ok((read_capped(file, cap, opened.len())?, Some(Stamp::of(&opened))))
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
        fixed: None,
        omitted: Default::default(),
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

/// Resolves one input's settings, reads it and lints it. A panic anywhere
/// in that becomes this file's internal error.
pub fn lint_one(input: &Input, resolver: &Resolver, overrides: &Overrides, limits: &Limits) -> Linted {
    lint_with_facts(input, resolver, overrides, limits).0
}

/// [`lint_one`], and what the check across files needs of the result.
fn lint_with_facts(input: &Input, resolver: &Resolver, overrides: &Overrides, limits: &Limits) -> (Linted, FileFacts) {
    // The resolver's caches recover from a poisoned lock, so a panic
    // half-way leaves them usable by the next file.
    catch_unwind(AssertUnwindSafe(|| lint_unguarded(input, resolver, overrides, limits)))
        .unwrap_or_else(|_| (failed(input, INTERNAL_ERROR.into()), FileFacts::default()))
}

fn lint_unguarded(input: &Input, resolver: &Resolver, overrides: &Overrides, limits: &Limits) -> (Linted, FileFacts) {
    let mut settings = match resolver.resolve(&input.config_path(), overrides) {
        Ok(r) => match input {
            Input::Explicit(path) | Input::Found(path) if limits.terraform_modules => {
                resolver.note_linted(std::iter::once(path.as_path()));
                resolver.with_module(path, r.settings)
            }
            _ => r.settings,
        },
        Err(config) => {
            let why = format!(
                "not linted: its configuration {} has errors",
                crate::text::escape_path(&crate::config::ConfigError::shown(&config))
            );
            return (failed(input, why), FileFacts::default());
        }
    };
    let cap = max_findings(limits, &settings);
    settings.max_findings = Some(cap);
    let (bytes, stamp) = match read_stamped(input, limits.max_file_size) {
        Ok(read) => read,
        Err(e) => return (failed(input, format!("cannot read: {e}")), FileFacts::default()),
    };
    let origin = if input.is_explicit() && !limits.skip_unrecognised {
        Origin::Named
    } else {
        Origin::Found
    };
    let read_as = ReadAs::for_path(&input.config_path());
    // A `variables.tf` or `locals.tf` whose values the folder's other files
    // use takes part in the module: never "not ours", and it reports the
    // findings on its values.
    let supplied = settings
        .terraform_module
        .as_ref()
        .and_then(|view| Some((view, view.own?)))
        .filter(|(view, own)| view.module.supplies(*own));
    let origin = if supplied.is_some() { Origin::Found } else { origin };
    // The findings on its values pass through its own suppression comments.
    let on_values = supplied.map(|(view, own)| findings_on_values(view, own, &settings));
    let outcome = match &on_values {
        None => lint(&bytes, read_as, origin, &settings),
        Some(on_values) => match lint_reporting(&bytes, read_as, origin, &settings, on_values.clone()) {
            // Not ours but for its values: their findings alone.
            Outcome::Skipped { .. } => {
                let text = String::from_utf8_lossy(&bytes);
                let format = read_as.resolve(&bytes).unwrap_or(crate::syntax::SourceFormat::Hcl);
                Outcome::Linted {
                    document: None,
                    diagnostics: crate::suppress::filter_by_comments(&text, format, on_values.clone()),
                    facts: FileFacts::default(),
                    omitted: Default::default(),
                }
            }
            linted => linted,
        },
    };
    match outcome {
        Outcome::Skipped { reason } => (Linted::Skipped(reason), FileFacts::default()),
        Outcome::Linted {
            document,
            diagnostics,
            mut facts,
            omitted,
        } => {
            let (path, path_bytes) = names(input);
            let (text, undecoded) = match String::from_utf8(bytes) {
                Ok(text) => (text, None),
                Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(e.into_bytes())),
            };
            let mut file = FileResult {
                path,
                path_bytes,
                text,
                document: document.map(|d| d.name),
                diagnostics,
                error: None,
                fixed: None,
                omitted,
            };
            if let Some(mode) = limits.fix {
                // Each lint of the fix loop keeps the fixable findings whole
                // up to its cap (the fixed file's are capped after).
                settings.max_findings = Some(crate::fix_loop::cap_while_fixing(cap));
                fix(&mut file, mode, read_as, origin, &settings, undecoded.is_none());
                if let Some(fixes) = &mut file.fixed {
                    fixes.read = stamp;
                    fixes.undecoded = undecoded;
                }
                // The facts of the text as fixed (read again only when it changed).
                if file.fixed.as_ref().is_some_and(|f| f.applied > 0) {
                    facts = crosscheck::file_facts(&file.text, read_as, &settings);
                }
            } else if limits.add_suppressions && undecoded.is_none() {
                let linter = Linter {
                    read_as,
                    origin,
                    settings: &settings,
                };
                add_suppressions(&mut file, linter, on_values.as_deref().unwrap_or_default());
                if let Some(fixes) = &mut file.fixed {
                    fixes.read = stamp;
                }
                if file.changed() {
                    facts = crosscheck::file_facts(&file.text, read_as, &settings);
                }
            }
            file.cap(cap);
            (Linted::File(file), facts)
        }
    }
}

/// The findings of the module's files on values written in file `own`
/// (a variable's default, a local), as that file reports them: at the
/// value, where the fix goes, with a label at each use. The files that use
/// values are linted for this once per module.
fn findings_on_values(view: &ModuleView, own: usize, settings: &Settings) -> Vec<Diagnostic> {
    let module = &view.module;
    let uses = module.uses.get_or_init(|| {
        let mut found = Vec::new();
        let mut trees = std::collections::HashMap::new();
        for user in module.users() {
            let (Some(path), Some(file)) = (module.path(user), module.files.get(user)) else {
                continue;
            };
            let settings = Settings {
                terraform_module: Some(ModuleView {
                    module: Arc::clone(module),
                    own: Some(user),
                    leave_to_value_file: false,
                }),
                // The folder its local modules are read from (a tfvars
                // file's settings have none: it calls no module).
                terraform_folder: Some(match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                    _ => std::path::PathBuf::from("."),
                }),
                // Every finding: those on this file's values are taken from them.
                max_findings: None,
                ..settings.clone()
            };
            let Outcome::Linted { diagnostics, .. } =
                lint(file.text.as_bytes(), ReadAs::for_path(path), Origin::Found, &settings)
            else {
                continue;
            };
            for d in diagnostics {
                let at_value = d.labels.iter().enumerate().find_map(|(i, l)| {
                    let f = l.file.as_ref()?;
                    let value_file = module.files.iter().position(|m| Arc::ptr_eq(m, f))?;
                    (value_file != user && module.is_linted(value_file)).then_some((i, value_file))
                });
                if let Some((i, value_file)) = at_value {
                    let mut d = at_the_value(d, i, file);
                    d.pointer = parsed_in(module, value_file, &mut trees)
                        .map(|root| root.pointer_at(d.span).to_string())
                        .unwrap_or_default();
                    found.push((value_file, d));
                }
            }
        }
        found
    });
    let mut mine: Vec<Diagnostic> = Vec::new();
    // By code and span: a scan of `mine` for each finding would be quadratic.
    let mut by_place: std::collections::HashMap<(&'static str, crate::syntax::Span), Vec<usize>> =
        std::collections::HashMap::new();
    for (_, d) in uses.iter().filter(|(file, _)| *file == own) {
        // One value used twice is one finding, labelled at each use.
        let same_place = by_place.entry((d.code, d.span)).or_default();
        match same_place.iter().find(|&&i| mine[i].message == d.message) {
            Some(&first) => mine[first].labels.extend(d.labels.first().cloned()),
            None => {
                same_place.push(mine.len());
                mine.push(d.clone());
            }
        }
    }
    mine
}

/// The tree of a file of the module, parsed once however many findings
/// point into it (`None`: it does not parse).
fn parsed_in<'m, 't>(
    module: &'m crate::document::module::Module,
    file: usize,
    trees: &'t mut std::collections::HashMap<usize, Option<crate::syntax::Node<'m>>>,
) -> Option<&'t crate::syntax::Node<'m>> {
    trees
        .entry(file)
        .or_insert_with(|| {
            let (path, other) = (module.path(file)?, module.files.get(file)?);
            let format = crate::document::module::format_of(&path.to_string_lossy());
            format.parse(other.text.as_bytes()).ok()
        })
        .as_ref()
}

/// A finding at a use of a value, turned to the value (its label `at`):
/// the use becomes a label in the using file.
fn at_the_value(mut d: Diagnostic, at: usize, user: &Arc<OtherFile>) -> Diagnostic {
    let value = d.labels.remove(at);
    for label in d.labels.iter_mut().filter(|l| l.file.is_none()) {
        label.file = Some(Arc::clone(user));
    }
    d.labels.insert(
        0,
        Label {
            span: d.span,
            message: format!("used here; the value is {}", value.message),
            file: Some(Arc::clone(user)),
        },
    );
    d.span = value.span;
    d.fix = None;
    d
}

/// Applies the fixes `mode` allows to a linted file, in memory: its text
/// and findings become the fixed ones, the original kept beside them.
/// Text that was not `decoded` (not UTF-8) is left as it is.
fn fix(file: &mut FileResult, mode: Mode, read_as: ReadAs, origin: Origin, settings: &Settings, decoded: bool) {
    // Text that is not UTF-8 is lossy here: fixing it would lose bytes.
    let fixable = decoded
        && (file
            .diagnostics
            .iter()
            .any(|d| d.fix.as_ref().is_some_and(|f| mode.allows(f.applicability)))
            || file.omitted.any_fixable(|a| mode.allows(a)));
    let fixed = if fixable {
        let linter = Linter {
            read_as,
            origin,
            settings,
        };
        fix_text(&file.text, linter, mode)
    } else {
        Fixed {
            text: file.text.clone(),
            applied: 0,
            applied_rules: Vec::new(),
            dropped: Vec::new(),
            diagnostics: None,
            omitted: Omitted::default(),
            lints: 0,
        }
    };
    let original = std::mem::replace(&mut file.text, fixed.text);
    let before_omitted = file.omitted.clone();
    let before = match fixed.diagnostics {
        Some(after) => {
            file.omitted = fixed.omitted;
            std::mem::replace(&mut file.diagnostics, after)
        }
        None => file.diagnostics.clone(),
    };
    file.fixed = Some(Box::new(Fixes {
        original,
        undecoded: None,
        read: None,
        applied: fixed.applied,
        applied_rules: fixed.applied_rules,
        dropped: fixed.dropped,
        before,
        before_omitted,
    }));
}

/// Adds a suppression comment for each finding of a linted file that can
/// take one ([`crate::suppress::add`]), in memory: its text and findings
/// become those with the comments, the original kept beside them, as a fix
/// keeps it. `on_values` are the findings the module's other files report
/// on this file's values: they take a comment here, above the value, as
/// the next check reads them here. Left as it is when the comments would
/// not silence exactly those findings; each code named is then reported
/// as dropped.
fn add_suppressions(file: &mut FileResult, linter: Linter, on_values: &[Diagnostic]) {
    // A `.tfvars` file is not read but for the values it sets: HCL, as its lint reads it.
    let format = match linter.read_as.resolve(file.text.as_bytes()) {
        Some(format) => format,
        None if !on_values.is_empty() => crate::syntax::SourceFormat::Hcl,
        None => return,
    };
    let Some(before) = findings_reported(&linter, &file.text, format, on_values.to_vec()) else {
        return;
    };
    let Some(added) = crate::suppress::add::add(&file.text, format, &before) else {
        return;
    };
    // The others' findings, at their values' places in the text with the comments.
    let moved = on_values
        .iter()
        .cloned()
        .map(|mut d| {
            d.span = Span::new(added.moved(d.span.start), added.moved(d.span.end));
            for label in d.labels.iter_mut().filter(|l| l.file.is_none()) {
                label.span = Span::new(added.moved(label.span.start), added.moved(label.span.end));
            }
            d
        })
        .collect();
    let after = findings_reported(&linter, &added.text, format, moved);
    let mut fixes = Fixes {
        original: file.text.clone(),
        undecoded: None,
        read: None,
        applied: 0,
        applied_rules: Vec::new(),
        dropped: Vec::new(),
        before: file.diagnostics.clone(),
        before_omitted: Default::default(),
    };
    match after.filter(|after| suppressions_verified(&before, after, added.findings)) {
        Some(after) => {
            file.diagnostics = after;
            file.text = added.text;
        }
        None => {
            let mut codes: Vec<&'static str> = before.iter().map(|d| d.code).collect();
            codes.sort_unstable();
            codes.dedup();
            fixes.dropped = codes
                .into_iter()
                .map(|code| crate::fix::apply::Dropped {
                    code,
                    title: "suppression comment".into(),
                    reason: "comments above the findings' lines would not silence exactly them: the file is left \
                             as it is (list its findings in a baseline instead)",
                })
                .collect();
        }
    }
    file.fixed = Some(Box::new(fixes));
}

/// Every finding of `text` as `check` reports them: its own, and
/// `on_values` (see [`add_suppressions`]), through its suppression
/// comments; `None` for a file that is not ours and has no such findings.
fn findings_reported(
    linter: &Linter,
    text: &str,
    format: crate::syntax::SourceFormat,
    on_values: Vec<Diagnostic>,
) -> Option<Vec<Diagnostic>> {
    let (read_as, origin, settings) = (linter.read_as, linter.origin, linter.settings);
    match lint_reporting(text.as_bytes(), read_as, origin, settings, on_values.clone()) {
        Outcome::Linted { diagnostics, .. } => Some(diagnostics),
        // Not ours but for its values: their findings alone.
        Outcome::Skipped { .. } if !on_values.is_empty() => {
            Some(crate::suppress::filter_by_comments(text, format, on_values))
        }
        Outcome::Skipped { .. } => None,
    }
}

/// Lints on every core and hands each result to `done` in input (path)
/// order, then checks across files ([`crosscheck`]): registry policies
/// against the configurations that need them. A result streams to `done`
/// as soon as it and every earlier one are ready, until the first file the
/// check across files concerns (a policy, or a cross-account destination):
/// from there on, results are held until every file is linted, and get
/// the findings across files before they are handed on, still in order.
pub fn lint_all(
    inputs: &[Input],
    resolver: &Resolver,
    overrides: &Overrides,
    limits: &Limits,
    done: impl FnMut(&Input, Linted) -> std::io::Result<()>,
) -> std::io::Result<()> {
    lint_all_in_workspace(inputs, Vec::new, resolver, overrides, limits, done)
}

/// [`lint_all`], with the rest of the `workspace` (files not among
/// `inputs`) as the other side of the check across files: their registry
/// policies and replication configurations are read (never linted, never
/// reported), so that a file named alone gets the findings it gets when its
/// whole workspace is checked. Only files that may hold either are parsed,
/// and the workspace is listed only when a named file concerns the check.
pub fn lint_all_in_workspace(
    inputs: &[Input],
    workspace: impl FnOnce() -> Vec<Input>,
    resolver: &Resolver,
    overrides: &Overrides,
    limits: &Limits,
    mut done: impl FnMut(&Input, Linted) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if limits.terraform_modules {
        resolver.note_linted(inputs.iter().filter_map(|i| match i {
            Input::Explicit(p) | Input::Found(p) => Some(p.as_path()),
            Input::Stdin(_) => None,
        }));
    }
    let mut held: Vec<(usize, Linted, FileFacts)> = Vec::new();
    // Files passed over (not ours to lint) may still define repositories
    // that the check across files reads, as it reads the workspace's.
    let mut passed_over: Vec<Input> = Vec::new();
    let mut next = 0;
    lint_each(inputs, resolver, overrides, limits, |input, (linted, facts)| {
        let i = next;
        next += 1;
        if let (Linted::Skipped(_), Input::Found(_)) = (&linted, input) {
            passed_over.push(input.clone());
        }
        if held.is_empty() && facts.is_empty() {
            return done(input, linted);
        }
        held.push((i, linted, facts));
        Ok(())
    })?;
    if held.is_empty() {
        return Ok(());
    }
    let mut others = workspace_members(&passed_over, resolver, overrides, limits);
    others.extend(workspace_members(&workspace(), resolver, overrides, limits));
    let every_file = held
        .iter()
        .map(|(_, _, facts)| facts)
        .chain(others.iter().map(|o| &o.facts));
    let something_to_check = crate::workspace::can_find(held.iter().map(|(_, _, facts)| facts), every_file);
    if !something_to_check {
        return held.into_iter().try_for_each(|(i, linted, _)| done(&inputs[i], linted));
    }
    let mut found = cross_findings(&mut held, others);
    // Findings in the rest of the workspace are not this run's to report.
    found.diagnostics.retain(|(member, _)| *member < held.len());
    found.answered.retain(|(member, _)| *member < held.len());
    let mut added: Vec<Vec<crate::diagnostic::Diagnostic>> = held.iter().map(|_| Vec::new()).collect();
    for (member, d) in std::mem::take(&mut found.diagnostics) {
        added[member].push(d);
    }
    let mut answered = vec![false; held.len()];
    for (member, _) in &found.answered {
        answered[*member] = true;
    }
    for (member, ((i, mut linted, _), extra)) in held.into_iter().zip(added).enumerate() {
        let input = &inputs[i];
        if let Linted::File(file) = &mut linted {
            // Settings again only for the files the check changes.
            if !extra.is_empty() || answered[member] {
                match resolver.resolve(&input.config_path(), overrides) {
                    Ok(r) => {
                        found.add_to(member, &mut file.diagnostics, extra, &r.settings);
                        file.cap(max_findings(limits, &r.settings));
                    }
                    Err(_) => found.drop_answered(member, &mut file.diagnostics),
                }
            }
        }
        done(input, linted)?;
    }
    Ok(())
}

/// The findings across the held files, by index into them. Each file's
/// facts and text are lent to the check (moved, not copied) and given back.
fn cross_findings(
    held: &mut [(usize, Linted, FileFacts)],
    others: Vec<crosscheck::Member>,
) -> crate::workspace::Findings {
    let mut members: Vec<crosscheck::Member> = held
        .iter_mut()
        .map(|(_, linted, facts)| {
            let (path, path_bytes, text) = match linted {
                Linted::File(f) => (f.path.clone(), f.path_bytes.clone(), std::mem::take(&mut f.text)),
                Linted::Skipped(_) => Default::default(),
            };
            crosscheck::Member {
                facts: std::mem::take(facts),
                file: std::sync::Arc::new(crate::diagnostic::OtherFile { path, path_bytes, text }),
            }
        })
        .collect();
    members.extend(others);
    // A panic in the check across files loses its findings, never the files.
    let found = catch_unwind(AssertUnwindSafe(|| crate::workspace::check(&members)));
    for ((_, linted, facts), member) in held.iter_mut().zip(members) {
        *facts = member.facts;
        if let Linted::File(f) = linted {
            // Findings in other files may still point at it (their labels).
            f.text = std::sync::Arc::try_unwrap(member.file).map_or_else(|shared| shared.text.clone(), |own| own.text);
        }
    }
    found.unwrap_or_default()
}

/// The facts of the workspace's other files, for the check across files:
/// only those whose bytes name a statement or a destination are parsed (a
/// cheap test that passes over the rest: package.json and the like), and a
/// file that cannot be read or set up is left out (it is not this run's).
fn workspace_members(
    workspace: &[Input],
    resolver: &Resolver,
    overrides: &Overrides,
    limits: &Limits,
) -> Vec<crosscheck::Member> {
    fn names_either(bytes: &[u8]) -> bool {
        let has = |word: &[u8]| bytes.windows(word.len()).any(|w| w.eq_ignore_ascii_case(word));
        // (`AWS::ECR::Repository` and `aws_ecr_repository`: a file of repositories.)
        // (`appliedFor`: a repository creation template as the API writes it.)
        has(b"statement")
            || has(b"destination")
            || has(b"ecr::repository")
            || has(b"ecr_repository")
            || has(b"appliedfor")
    }
    let read = |input: &Input| -> Option<crosscheck::Member> {
        let facts_and_text = catch_unwind(AssertUnwindSafe(|| {
            let bytes = read_input(input, limits.max_file_size).ok()?;
            if !names_either(&bytes) {
                return None;
            }
            let settings = resolver.resolve(&input.config_path(), overrides).ok()?.settings;
            // A Terraform file's folder: the local modules it calls make registry policies too.
            let settings = match input {
                Input::Explicit(path) | Input::Found(path) if limits.terraform_modules => {
                    resolver.with_module(path, settings)
                }
                _ => settings,
            };
            let text = String::from_utf8(bytes).ok()?;
            let facts = crosscheck::file_facts(&text, ReadAs::for_path(&input.config_path()), &settings);
            (!facts.is_empty()).then_some((facts, text))
        }));
        let (facts, text) = facts_and_text.ok().flatten()?;
        let (path, path_bytes) = names(input);
        Some(crosscheck::Member {
            facts,
            file: std::sync::Arc::new(crate::diagnostic::OtherFile { path, path_bytes, text }),
        })
    };
    // No other file (a single file's run, `--isolated`) or one: no pool, and
    // no asking the OS for the core count (cgroup files: 13 system calls).
    if workspace.len() < 2 {
        return workspace.iter().filter_map(read).collect();
    }
    // On every core, in consecutive chunks, kept in workspace order.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = workspace.len().div_ceil(cores).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = workspace
            .chunks(chunk)
            .map(|inputs| scope.spawn(|| inputs.iter().filter_map(read).collect::<Vec<_>>()))
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
    })
}

/// Lints on every core and hands each result to `done` in input (path)
/// order as soon as it and every earlier one are ready, so that a report
/// streams. An error from `done` stops the run; otherwise `done` is called
/// once for every input.
///
/// Workers take chunks of consecutive inputs through one atomic index and
/// put each result in that input's slot; this thread hands the slots on in
/// order. Nobody waits on a lock per file: this thread sleeps only when
/// the next result is not ready (woken once, by the end of that result's
/// chunk), and a worker only when it is `AHEAD` files past the one being
/// written (a slow file never makes the rest pile up in memory).
fn lint_each(
    inputs: &[Input],
    resolver: &Resolver,
    overrides: &Overrides,
    limits: &Limits,
    mut done: impl FnMut(&Input, (Linted, FileFacts)) -> std::io::Result<()>,
) -> std::io::Result<()> {
    // One input needs no pool (and asking the OS for the core count costs
    // as much as linting a small file).
    let workers = match inputs.len() {
        0 | 1 => 1,
        n => std::thread::available_parallelism().map_or(1, |c| c.get()).min(n),
    };
    if workers == 1 {
        return inputs
            .iter()
            .try_for_each(|i| done(i, lint_with_facts(i, resolver, overrides, limits)));
    }
    // Chunks short enough that the last ones spread over the workers.
    let chunk = (inputs.len() / (workers * 8)).clamp(1, CHUNK);
    let pool = Pool {
        slots: inputs.iter().map(|_| Mutex::new(None)).collect(),
        chunk,
        window: workers * (AHEAD + chunk),
        next: AtomicUsize::new(0),
        written: AtomicUsize::new(0),
        stopped: AtomicBool::new(false),
        waiting_for: AtomicUsize::new(usize::MAX),
        running: AtomicUsize::new(workers),
        sleepers: AtomicUsize::new(0),
        sleep: (Mutex::new(()), Condvar::new()),
        writer: std::thread::current(),
    };
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let pool = &pool;
            scope.spawn(move || {
                // Whatever ends this worker (a bug outside `lint_with_facts`
                // included), the writer hears of it.
                let _leaving = Leaving(pool);
                pool.work(|i| lint_with_facts(&inputs[i], resolver, overrides, limits));
            });
        }
        // However this thread leaves the loop (an error from `done`, or a
        // panic in it), the workers stop rather than wait for a window
        // that no longer moves.
        let _stopping = Stopping(&pool);
        (0..inputs.len()).try_for_each(|i| {
            // `lint_with_facts` catches panics, so each input has its
            // result; should a worker still have died, the inputs it took
            // are reported as internal errors rather than vanishing, and
            // the later results are not shifted onto the wrong files.
            let linted = pool
                .wait_for(i)
                .unwrap_or_else(|| (failed(&inputs[i], INTERNAL_ERROR.into()), FileFacts::default()));
            done(&inputs[i], linted)?;
            pool.written(i + 1);
            Ok(())
        })
    })
}

/// Inputs a worker takes at a time (fewer when there are few inputs).
const CHUNK: usize = 16;

/// Files each worker may lint ahead of the one being written.
const AHEAD: usize = 16;

type Slot = Mutex<Option<(Linted, FileFacts)>>;

/// What the workers of [`lint_each`] and its writer share.
struct Pool {
    /// Each input's result, once linted and until written.
    slots: Vec<Slot>,
    chunk: usize,
    /// How far past the next result to write a worker may lint.
    window: usize,
    /// The first input no worker has taken.
    next: AtomicUsize,
    /// How many results are written.
    written: AtomicUsize,
    stopped: AtomicBool,
    /// The slot whose filling wakes the writer (`usize::MAX`: none).
    waiting_for: AtomicUsize,
    /// Workers not yet finished.
    running: AtomicUsize,
    /// Workers asleep because they are a window ahead.
    sleepers: AtomicUsize,
    sleep: (Mutex<()>, Condvar),
    writer: std::thread::Thread,
}

/// Marks a worker finished when dropped, and wakes the writer.
struct Leaving<'p>(&'p Pool);

impl Drop for Leaving<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            // Its chunk will never be finished: stop rather than have the
            // others wait for the window to move.
            self.0.stop();
        }
        self.0.running.fetch_sub(1, Ordering::SeqCst);
        self.0.writer.unpark();
    }
}

/// Stops the workers when dropped.
struct Stopping<'p>(&'p Pool);

impl Drop for Stopping<'_> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

impl Pool {
    fn work(&self, mut lint: impl FnMut(usize) -> (Linted, FileFacts)) {
        loop {
            let start = self.next.fetch_add(self.chunk, Ordering::Relaxed);
            if start >= self.slots.len() {
                return;
            }
            let end = (start + self.chunk).min(self.slots.len());
            for i in start..end {
                if !self.wait_for_window(i) {
                    return;
                }
                let result = lint(i);
                *lock(&self.slots[i]) = Some(result);
                if self.waiting_for.load(Ordering::SeqCst) == i {
                    self.writer.unpark();
                }
            }
        }
    }

    /// Waits until input `i` is within the window; false when the run stopped.
    fn wait_for_window(&self, i: usize) -> bool {
        let within = || i < self.written.load(Ordering::SeqCst) + self.window;
        if !within() {
            let mut guard = lock(&self.sleep.0);
            self.sleepers.fetch_add(1, Ordering::SeqCst);
            while !within() && !self.stopped.load(Ordering::SeqCst) {
                guard = self.sleep.1.wait(guard).unwrap_or_else(|e| e.into_inner());
            }
            self.sleepers.fetch_sub(1, Ordering::SeqCst);
        }
        !self.stopped.load(Ordering::Relaxed)
    }

    /// Input `i`'s result, once ready; `None` when every worker ended
    /// without one.
    fn wait_for(&self, i: usize) -> Option<(Linted, FileFacts)> {
        let take = || lock(&self.slots[i]).take();
        loop {
            if let Some(result) = take() {
                return Some(result);
            }
            if self.running.load(Ordering::SeqCst) == 0 {
                return take();
            }
            // Woken by the last result of `i`'s chunk (a worker lints a
            // chunk in order), not by every result on the way.
            let chunk_end = ((i / self.chunk + 1) * self.chunk).min(self.slots.len());
            self.waiting_for.store(chunk_end - 1, Ordering::SeqCst);
            if let Some(result) = take() {
                return Some(result);
            }
            if self.running.load(Ordering::SeqCst) == 0 {
                return take();
            }
            std::thread::park();
        }
    }

    /// Records that `count` results are written, and wakes the workers
    /// waiting for the window to move.
    fn written(&self, count: usize) {
        self.written.store(count, Ordering::SeqCst);
        if self.sleepers.load(Ordering::SeqCst) > 0 {
            let _guard = lock(&self.sleep.0);
            self.sleep.1.notify_all();
        }
    }

    fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        let _guard = lock(&self.sleep.0);
        self.sleep.1.notify_all();
    }
}

/// A lock even after a panic elsewhere while it was held: a slot or the
/// sleep lock is only ever set whole.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether `after` (the findings of the text with the comments) is
/// `before` less exactly the `named` findings that took a comment: nothing
/// new, nothing named left.
fn suppressions_verified(before: &[Diagnostic], after: &[Diagnostic], named: usize) -> bool {
    before.len() == after.len() + named && !crate::fix_loop::adds_finding(before, after)
}
