//! Hover's review of the workspace: on a repository filter, the workspace's
//! repositories it takes and where they go; on a destination, what arrives
//! there, whether deletions replicate and whether its registry policy
//! grants the source. Read from the [model](crate::model) the server keeps
//! per workspace state (see `Server::model`), answered by [`crate::review`].

use crate::model::replication::Match;
use crate::model::{Filter, Known, Located, Model, Registry, Rule};
use crate::review::route;

/// At most this many repository names in a tooltip.
const NAMES_SHOWN: usize = 10;

/// The model of the workspace, and the index in it of each open document's file.
pub struct ModelView {
    pub model: Model,
    pub open: std::collections::HashMap<lsp_types::Uri, usize>,
}

/// What the review speaks of at an offset: a filter's prefix, or a
/// destination's account or Region (of replication `.0`).
enum Spot<'m> {
    Filter(&'m Rule, &'m Filter),
    Destination(usize, &'m Rule, Registry),
}

/// What is at `offset` of model file `file` that the review speaks of, and its span.
fn spot(model: &Model, file: usize, offset: usize) -> Option<(Spot<'_>, (usize, usize))> {
    let holds = |at: &Option<Located>| {
        at.as_ref()
            .filter(|at| at.file == file && at.span.start <= offset && offset <= at.span.end)
            .map(|at| (at.span.start, at.span.end))
    };
    for (index, replication) in model.replications.iter().enumerate() {
        if replication.file != file {
            continue;
        }
        for rule in &replication.rules {
            for filter in rule.filters.iter().flatten() {
                if let Some(span) = holds(&filter.prefix.at) {
                    return Some((Spot::Filter(rule, filter), span));
                }
            }
            for d in &rule.destinations {
                if let Some(span) = holds(&d.account.at).or_else(|| holds(&d.region.at)) {
                    return Some((Spot::Destination(index, rule, d.registry()), span));
                }
            }
        }
    }
    None
}

/// Whether the review has anything to say at `offset` of model file `file`.
/// What it says depends on the rest of the workspace, but whether it speaks
/// depends on that file alone: a model of the file by itself answers, and
/// a hover elsewhere reads no workspace.
pub fn speaks_at(model: &Model, file: usize, offset: usize) -> bool {
    spot(model, file, offset).is_some()
}

/// The review of the value at `offset` of model file `file`, and its span.
pub fn review(model: &Model, file: usize, offset: usize) -> Option<(String, (usize, usize))> {
    let (spot, span) = spot(model, file, offset)?;
    let text = match spot {
        Spot::Filter(rule, filter) => filter_text(model, rule, filter),
        Spot::Destination(index, rule, registry) => destination_text(model, index, rule, &registry),
    };
    Some((text, span))
}

fn filter_text(model: &Model, rule: &Rule, filter: &Filter) -> String {
    let Known::Value(prefix) = &filter.prefix.known else {
        return format!(
            "**Filter** `{}` (rule {}): known only at deploy time: which repositories it takes cannot be told from the files",
            route::written(&filter.prefix.known),
            rule.index + 1
        );
    };
    let names = model.repository_names();
    let taken: Vec<String> = names
        .iter()
        .filter(|n| filter.matches_when_deployed(n) == Match::Yes)
        .cloned()
        .collect();
    let head = format!("**Filter** `{prefix}` (rule {})", rule.index + 1);
    let takes = if names.is_empty() {
        format!(
            "{head}: takes the repositories whose names start with `{prefix}` (case-sensitive, a raw prefix of the name, not a glob). No repositories are defined in the workspace (`aws_ecr_repository`, `AWS::ECR::Repository`) to list them."
        )
    } else {
        format!(
            "{head}: takes {} of the workspace's {} repositories{}",
            taken.len(),
            names.len(),
            listed(&taken)
        )
    };
    let mut sections = vec![takes, goes_to(rule)];
    // `prod` next to `prod/...`: the reader may take it for a folder.
    let in_folder = taken.iter().any(|n| n.starts_with(&format!("{prefix}/")));
    let beside = taken
        .iter()
        .find(|n| n.len() > prefix.len() && !n[prefix.len()..].starts_with('/'));
    if let (true, Some(other), false) = (in_folder, beside, prefix.ends_with('/')) {
        sections.push(format!(
            "A raw prefix, not a folder: `{prefix}` also takes `{other}` (write `{prefix}/` for the `{prefix}/` repositories alone)."
        ));
    }
    sections.join("\n\n")
}

fn goes_to(rule: &Rule) -> String {
    let to: Vec<String> = rule.destinations.iter().map(|d| d.registry().shown()).collect();
    if to.is_empty() {
        return "The rule has no destination: they go nowhere.".into();
    }
    format!("They go to {}.", to.join("; "))
}

fn destination_text(model: &Model, replication: usize, rule: &Rule, destination: &Registry) -> String {
    let names = model.repository_names();
    let head = format!("**Arrives at {}** (rule {})", destination.shown(), rule.index + 1);
    let set = crate::crosscheck::Set::new(&model.policy_members);
    let lines = route::Lines::default();
    let source = &model.replications[replication].source;
    let mut what_they_are = Vec::new();
    let arrives = if names.is_empty() {
        let what = match &rule.filters {
            None => "every repository of the source".to_string(),
            Some(filters) => {
                let prefixes: Vec<String> = filters
                    .iter()
                    .map(|f| format!("`{}`", route::written(&f.prefix.known)))
                    .collect();
                format!("the repositories whose names start with {}", prefixes.join(" or "))
            }
        };
        format!("{head}: {what} (no repositories are defined in the workspace to list them)")
    } else {
        let (surely, maybe) = route::arriving(model, replication, destination, &names);
        // What each is there, when the workspace says more than "created".
        what_they_are = surely
            .iter()
            .take(NAMES_SHOWN)
            .map(|name| (name, route::arrives(&set, &lines, source, destination, name)))
            // Said only where the workspace knows more than "created" (the
            // grant line below speaks for a registry that creates nothing).
            .filter(|(_, what)| what.is_described())
            .map(|(name, what)| format!("- `{name}`: {what}"))
            .collect();
        let maybe = if maybe.is_empty() {
            String::new()
        } else {
            format!("; {} more if a filter known at deploy time takes them", maybe.len())
        };
        format!(
            "{head}: {} of the workspace's {} repositories{}{maybe}",
            surely.len(),
            names.len(),
            listed(&surely)
        )
    };
    let deletions = match rule.deletes() {
        Known::Value(v) if &*v == "true" => "Deletions replicate: an image deleted in the source is deleted here too.",
        Known::Value(_) => "Deletions do not replicate: images deleted in the source stay here.",
        _ => "Whether deletions replicate is known at deploy time.",
    };
    let grant = route::grant(&set, source, destination);
    let what_they_are = if what_they_are.is_empty() {
        String::new()
    } else {
        format!(
            "\n\nWhat they are here (a repository replication creates takes its creation template's settings):\n{}",
            what_they_are.join("\n")
        )
    };
    format!("{arrives}{what_they_are}\n\n{deletions}\n\nRegistry policy here: {grant}.")
}

/// `: a, b, c (… and 2 more)`, or nothing for no names.
fn listed(names: &[String]) -> String {
    if names.is_empty() {
        return String::new();
    }
    let shown: Vec<String> = names.iter().take(NAMES_SHOWN).map(|n| format!("`{n}`")).collect();
    let more = names.len().saturating_sub(NAMES_SHOWN);
    let more = if more > 0 {
        format!(" (… and {more} more)")
    } else {
        String::new()
    };
    format!(": {}{more}", shown.join(", "))
}
