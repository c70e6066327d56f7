//! Builds the typed view: configurations, rules, destinations and filters,
//! with wrong types left out (the schema reports them) and `Fn::If` branches
//! kept apart as alternatives.

use super::dialect::{self, scalar_value, Dialect};
use super::{Configuration, Destination, List, RepositoryFilter, Rule, Scalar};
use crate::syntax::{Member, Node};

/// How deep nested `Fn::If` branches are followed (each level doubles them).
const MAX_IF_DEPTH: usize = 8;

/// What a node may deploy as: itself, or for `Fn::If`, each branch, nested
/// ones followed (other functions, `AWS::NoValue` too, are leaves).
pub fn if_leaves<'a>(node: &'a Node<'a>) -> Vec<&'a Node<'a>> {
    fn walk<'a>(node: &'a Node<'a>, depth: usize, out: &mut Vec<&'a Node<'a>>) {
        let branches = match node.dynamic() {
            Some(("Fn::If", arg)) if depth < MAX_IF_DEPTH => arg.as_array(),
            _ => None,
        };
        match branches {
            Some([_, yes, no]) => {
                walk(yes, depth + 1, out);
                walk(no, depth + 1, out);
            }
            _ => out.push(node),
        }
    }
    let mut out = Vec::new();
    walk(node, 0, &mut out);
    out
}

pub fn configuration<'a>(node: &'a Node<'a>, dialect: Dialect) -> Configuration<'a> {
    let keys = dialect.keys;
    let rules = list(node, keys.rules, &[keys.rules], |i, n| rule(i, n, dialect));
    Configuration::new(dialect, node, rules)
}

/// A resource's `ReplicationConfiguration`: the object, or each object an
/// `Fn::If` may choose.
pub fn template_configurations<'a>(node: &'a Node<'a>) -> Vec<Configuration<'a>> {
    if node.as_object().is_some() && node.dynamic().is_none() {
        return vec![configuration(node, dialect::CLOUDFORMATION)];
    }
    if_branches(node)
        .into_iter()
        .map(|b| Configuration {
            branch: true,
            ..configuration(b, dialect::CLOUDFORMATION)
        })
        .collect()
}

fn rule<'a>(index: usize, node: &'a Node<'a>, dialect: Dialect) -> Rule<'a> {
    let keys = dialect.keys;
    let siblings: &[&str] = if dialect.delete_replication {
        &[keys.destinations, keys.repository_filters, keys.delete_replication]
    } else {
        &[keys.destinations, keys.repository_filters]
    };
    let destinations = list(node, keys.destinations, siblings, |_, node| Destination {
        node,
        region: scalar(node, keys.region, dialect),
        registry_id: scalar(node, keys.registry_id, dialect),
    });
    let repository_filters = list(node, keys.repository_filters, siblings, |_, node| RepositoryFilter {
        node,
        filter: scalar(node, keys.filter, dialect),
        filter_type: scalar(node, keys.filter_type, dialect),
    });
    // CloudFormation has no DeleteReplication (ECR102 says so): nothing to read.
    let delete_replication = dialect
        .delete_replication
        .then(|| {
            node.get(keys.delete_replication)
                .and_then(|m| scalar(&m.value, keys.enabled, dialect))
        })
        .flatten();
    Rule {
        index,
        node,
        destinations,
        repository_filters,
        delete_replication,
    }
}

/// The member holding the list `key`: the key itself or, when it is absent,
/// the one member whose key is a misspelling of it (`destination`,
/// `repositoryFilter`): the close suggestion ECR102 makes among the keys
/// the object allows (`siblings`). Its contents are checked as if the key
/// were spelt right, so fixing the key reveals no second wave of findings.
pub fn list_member<'a>(parent: &'a Node<'a>, key: &str, siblings: &[&str]) -> Option<&'a Member<'a>> {
    if let Some(m) = parent.get(key) {
        return Some(m);
    }
    let mut misspelt = parent.as_object()?.iter().filter(|m| {
        !siblings.contains(&m.key.as_ref()) && crate::text::nearest(&m.key, siblings.iter().copied()) == Some(key)
    });
    let first = misspelt.next()?;
    // Two candidates: which one is meant is a guess.
    misspelt.next().is_none().then_some(first)
}

/// A list field whose items are objects; other items (wrong types for the
/// schema, intrinsic functions for nobody) are left out. A misspelt key
/// stands for it (see [`list_member`]).
fn list<'a, T>(
    parent: &'a Node<'a>,
    key: &str,
    siblings: &[&str],
    item: impl Fn(usize, &'a Node<'a>) -> T,
) -> Option<List<'a, T>> {
    let m = list_member(parent, key, siblings)?;
    let mut branches = Vec::new();
    let Some(items) = m.value.as_array() else {
        // A whole list chosen by `Fn::If`: the items of each branch list.
        if !matches!(m.value.dynamic(), Some(("Fn::If", _))) {
            return None;
        }
        for leaf in if_leaves(&m.value) {
            for (i, n) in leaf.as_array().unwrap_or_default().iter().enumerate() {
                let direct = (n.as_object().is_some() && n.dynamic().is_none()).then_some(n);
                for b in direct.into_iter().chain(if_branches(n)) {
                    branches.push(item(i, b));
                }
            }
        }
        return Some(List {
            node: &m.value,
            key_span: m.key_span,
            items: Vec::new(),
            branches,
        });
    };
    // Sized from the list, not grown by doubling: a filtered iterator gives
    // no lower bound, and half-empty vectors of these were a fifth of the
    // peak heap on a 10 MB file (massif).
    let mut typed = Vec::with_capacity(items.len());
    typed.extend(
        items
            .iter()
            .enumerate()
            .filter(|(_, n)| n.as_object().is_some() && n.dynamic().is_none())
            .map(|(i, n)| item(i, n)),
    );
    for (i, n) in items.iter().enumerate() {
        for b in if_branches(n) {
            branches.push(item(i, b));
        }
    }
    Some(List {
        node: &m.value,
        key_span: m.key_span,
        items: typed,
        branches,
    })
}

/// The literal objects an `Fn::If` item may become (nested ones followed);
/// `AWS::NoValue` and other functions are left out. Empty for other nodes.
fn if_branches<'a>(node: &'a Node<'a>) -> Vec<&'a Node<'a>> {
    if !matches!(node.dynamic(), Some(("Fn::If", _))) {
        return Vec::new();
    }
    if_leaves(node)
        .into_iter()
        .filter(|n| n.as_object().is_some() && n.dynamic().is_none())
        .collect()
}

pub fn scalar<'a>(parent: &'a Node<'a>, key: &str, dialect: Dialect) -> Option<Scalar<'a>> {
    let m = parent.get(key)?;
    let as_text = dialect.reads_scalars_as_text;
    scalar_value(&m.value, as_text).map(|value| Scalar::with_value(&m.value, as_text, false, value))
}
