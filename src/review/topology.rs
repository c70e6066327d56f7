//! The topology as a picture: registries (account, Region) as nodes,
//! replication as edges labelled with their filters, whether deletions
//! replicate, what the destination's policy grants and its repository
//! creation templates for replication; in a diff, the
//! edges a change adds, removes or changes are coloured. Written as a
//! Mermaid `flowchart` (GitHub renders it in Markdown) or Graphviz DOT.

use super::diff::{deployed, Route};
use crate::model::{Model, Registry};
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeChange {
    Added,
    Removed,
    Changed,
}

pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub label: String,
    pub change: Option<EdgeChange>,
}

pub struct Topology {
    pub nodes: Vec<Registry>,
    pub edges: Vec<Edge>,
}

fn label(route: &Route, grant: &str, templates: &str) -> String {
    let mut parts = vec![match &route.prefixes {
        None => "every repository".to_string(),
        Some(ps) => ps.iter().map(|p| format!("{p}…")).collect::<Vec<_>>().join(", "),
    }];
    if route.deletes {
        parts.push("deletions replicate".into());
    }
    if !grant.is_empty() {
        parts.push(format!("policy: {grant}"));
    }
    if !templates.is_empty() {
        parts.push(format!("templates: {templates}"));
    }
    parts.join("; ")
}

/// The destination's creation templates for REPLICATION among the files,
/// by prefix (what the repositories replication creates there get).
fn template_mark(model: &Model, to: &Registry) -> String {
    let (Some(account), Some(region)) = (to.account.value(), to.region.value()) else {
        return String::new();
    };
    let set = crate::crosscheck::Set::new(&model.policy_members);
    let prefixes: BTreeSet<&str> = set
        .templates_in(account, region)
        .filter(|(_, t)| t.for_replication == Some(true))
        .filter_map(|(_, t)| t.prefix.as_deref())
        .collect();
    prefixes.into_iter().collect::<Vec<_>>().join(", ")
}

/// The grant an edge shows: only where a policy in the workspace decides.
fn grant_mark(model: &Model, from: &Registry, to: &Registry) -> String {
    let set = crate::crosscheck::Set::new(&model.policy_members);
    match super::route::grant(&set, from, to) {
        "same account: none needed" | "no registry policy in the workspace" => String::new(),
        other => other.to_string(),
    }
}

fn index(nodes: &mut Vec<Registry>, registry: &Registry) -> usize {
    match nodes.iter().position(|n| n == registry) {
        Some(i) => i,
        None => {
            nodes.push(registry.clone());
            nodes.len() - 1
        }
    }
}

/// The topology a model deploys.
pub fn of_model(model: &Model) -> Topology {
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for ((from, to), route) in &deployed(model).routes {
        let (f, t) = (index(&mut nodes, from), index(&mut nodes, to));
        edges.push(Edge {
            from: f,
            to: t,
            label: label(route, &grant_mark(model, from, to), &template_mark(model, to)),
            change: None,
        });
    }
    Topology { nodes, edges }
}

/// Both sides' topologies in one picture, the edges that differ marked.
pub fn of_diff(old: &Model, new: &Model) -> Topology {
    let (before, after) = (deployed(old).routes, deployed(new).routes);
    let keys: BTreeSet<&(Registry, Registry)> = before.keys().chain(after.keys()).collect();
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for key in keys {
        let (from, to) = key;
        let (f, t) = (index(&mut nodes, from), index(&mut nodes, to));
        let (route, model, change) = match (before.get(key), after.get(key)) {
            (Some(was), Some(now)) => {
                let changed =
                    (was.prefixes != now.prefixes || was.deletes != now.deletes).then_some(EdgeChange::Changed);
                (now, new, changed)
            }
            (None, Some(now)) => (now, new, Some(EdgeChange::Added)),
            (Some(was), None) => (was, old, Some(EdgeChange::Removed)),
            (None, None) => continue,
        };
        edges.push(Edge {
            from: f,
            to: t,
            label: label(route, &grant_mark(model, from, to), &template_mark(model, to)),
            change,
        });
    }
    Topology { nodes, edges }
}

fn node_text(registry: &Registry) -> (String, String) {
    (
        registry.account.shown("the deploying account"),
        registry.region.shown("the deploying Region"),
    )
}

/// Text inside a Mermaid `"…"` string: its entity codes for the quote and
/// the characters Mermaid's parser reads as markup.
fn mermaid_text(text: &str) -> String {
    text.replace('&', "#amp;")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

const ADDED: &str = "#1a7f37";
const REMOVED: &str = "#cf222e";
const CHANGED: &str = "#bf8700";

pub fn mermaid(topology: &Topology) -> String {
    let mut out = String::from("flowchart LR\n");
    for (i, node) in topology.nodes.iter().enumerate() {
        let (account, region) = node_text(node);
        out.push_str(&format!(
            "  r{i}[\"{}<br/>{}\"]\n",
            mermaid_text(&account),
            mermaid_text(&region)
        ));
    }
    let mut styles = Vec::new();
    for (i, edge) in topology.edges.iter().enumerate() {
        let arrow = if edge.change == Some(EdgeChange::Removed) {
            "-.->"
        } else {
            "-->"
        };
        out.push_str(&format!(
            "  r{} {arrow}|\"{}\"| r{}\n",
            edge.from,
            mermaid_text(&edge.label),
            edge.to
        ));
        let colour = match edge.change {
            Some(EdgeChange::Added) => ADDED,
            Some(EdgeChange::Removed) => REMOVED,
            Some(EdgeChange::Changed) => CHANGED,
            None => continue,
        };
        styles.push(format!("  linkStyle {i} stroke:{colour},stroke-width:3px\n"));
    }
    out.extend(styles);
    out
}

fn dot_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

pub fn dot(topology: &Topology) -> String {
    let mut out = String::from("digraph replication {\n  rankdir=LR;\n  node [shape=box];\n");
    for (i, node) in topology.nodes.iter().enumerate() {
        let (account, region) = node_text(node);
        out.push_str(&format!(
            "  r{i} [label=\"{}\\n{}\"];\n",
            dot_text(&account),
            dot_text(&region)
        ));
    }
    for edge in &topology.edges {
        let style = match edge.change {
            Some(EdgeChange::Added) => format!(", color=\"{ADDED}\", penwidth=2"),
            Some(EdgeChange::Removed) => format!(", color=\"{REMOVED}\", style=dashed, penwidth=2"),
            Some(EdgeChange::Changed) => format!(", color=\"{CHANGED}\", penwidth=2"),
            None => String::new(),
        };
        out.push_str(&format!(
            "  r{} -> r{} [label=\"{}\"{style}];\n",
            edge.from,
            edge.to,
            dot_text(&edge.label)
        ));
    }
    out.push_str("}\n");
    out
}
