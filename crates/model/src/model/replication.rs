//! Replication configurations in the model: per configuration, its source
//! registry, and its rules with their destinations, filters and whether
//! deletions replicate.

use super::{Known, Leaf, Located, Registry};
use crate::document::{self, Document, Pseudo, Scalar, Value};
use crate::settings::Settings;
use std::sync::Arc;

/// Replication configurations, as a kind: what its rules read of a document.
pub static KIND: super::kind::Kind = super::kind::Kind {
    name: "replication",
    held: |doc| {
        !doc.configurations.is_empty()
            || !doc.resources.is_empty()
            || doc.source_registry.is_some()
            || !doc.ignored_inputs.is_empty()
            || !doc.repeated_in_module.is_empty()
            || !doc.overrides_without_base.is_empty()
            || !doc.repeated_instances.is_empty()
            || !doc.resource_properties().is_empty()
    },
    schema: None,
};

/// A replication configuration: what one registry replicates, and where.
#[derive(Clone, Debug)]
pub struct Replication {
    pub file: usize,
    /// Its source registry: what the settings or the file say, else the
    /// deploying account and Region.
    pub source: Registry,
    /// One configuration of several a template may deploy (`Fn::If`).
    pub branch: bool,
    pub rules: Vec<Rule>,
}

#[derive(Clone, Debug)]
pub struct Rule {
    /// Its position in the configuration, from 0.
    pub index: usize,
    pub destinations: Vec<Destination>,
    /// `None`: no filter list, every repository replicates.
    pub filters: Option<Vec<Filter>>,
    /// A filter of the list has no prefix (`filter`) written: the deploy
    /// rejects it (the schema's finding), and it is not in
    /// [`Rule::filters`]; the check across files cannot tell what the rule
    /// takes.
    pub filter_without_prefix: bool,
    /// `deleteReplication.enabled`; `None` when not written (off).
    pub delete_replication: Option<Leaf>,
    /// A branch of an `Fn::If` in the rule list: deployed only when its
    /// condition holds, which is decided at deploy time.
    pub conditional: bool,
}

#[derive(Clone, Debug)]
pub struct Destination {
    pub account: Leaf,
    pub region: Leaf,
    /// A branch of an `Fn::If` in the destination list.
    pub conditional: bool,
}

impl Destination {
    pub fn registry(&self) -> Registry {
        Registry {
            account: self.account.known.clone(),
            region: self.region.known.clone(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Filter {
    pub filter_type: Option<Leaf>,
    pub prefix: Leaf,
    /// A branch of an `Fn::If` in the filter list.
    pub conditional: bool,
}

/// Whether a filter (or a rule) takes a repository.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match {
    Yes,
    No,
    /// The filter is known only at deploy time.
    Maybe,
    /// It takes it when an `Fn::If` condition holds (the rule, filter or
    /// destination is a branch of one).
    Conditional,
}

impl Filter {
    /// `PREFIX_MATCH`, the only filter type: a raw, case-sensitive prefix of
    /// the repository name (`prod` takes `production`).
    /// A filter in an `Fn::If` branch takes it only when its condition holds: `Maybe`.
    pub fn matches(&self, repository: &str) -> Match {
        match self.matches_when_deployed(repository) {
            Match::Yes if self.conditional => Match::Conditional,
            m => m,
        }
    }

    /// [`Filter::matches`] for a filter that is deployed (its condition holds).
    pub fn matches_when_deployed(&self, repository: &str) -> Match {
        let is_prefix_match = match self.filter_type.as_ref().map(|t| &t.known) {
            None => true,
            Some(Known::Value(t)) => crate::facts::facts().filter_types.iter().any(|k| **k == **t),
            Some(_) => return Match::Maybe,
        };
        if !is_prefix_match {
            // An unknown filter type fails the deploy (ECR201): it takes nothing.
            return Match::No;
        }
        match &self.prefix.known {
            Known::Value(p) if repository.starts_with(&**p) => Match::Yes,
            Known::Value(_) => Match::No,
            _ => Match::Maybe,
        }
    }
}

impl Rule {
    /// Whether the rule takes `repository`, and the filter that decided (the
    /// first that matches; `None` with `Yes`: the rule has no filters).
    pub fn takes(&self, repository: &str) -> (Match, Option<&Filter>) {
        let (matched, filter) = self.filters_take(repository);
        match matched {
            Match::Yes if self.conditional => (Match::Conditional, filter),
            m => (m, filter),
        }
    }

    /// What the rule's filters say of `repository`: the surest filter that
    /// takes it (a plain match, then one under a condition, then one known
    /// only at deploy time).
    fn filters_take(&self, repository: &str) -> (Match, Option<&Filter>) {
        let Some(filters) = &self.filters else {
            return (Match::Yes, None);
        };
        let (mut conditional, mut maybe) = (None, None);
        for f in filters {
            match f.matches(repository) {
                Match::Yes => return (Match::Yes, Some(f)),
                Match::Conditional if conditional.is_none() => conditional = Some(f),
                Match::Maybe if maybe.is_none() => maybe = Some(f),
                _ => {}
            }
        }
        match (conditional, maybe) {
            (Some(f), _) => (Match::Conditional, Some(f)),
            (None, Some(f)) => (Match::Maybe, Some(f)),
            (None, None) => (Match::No, None),
        }
    }

    pub fn deletes(&self) -> Known {
        self.delete_replication
            .as_ref()
            .map_or(Known::Value("false".into()), |l| l.known.clone())
    }
}

/// The replication configurations a document deploys, each read into
/// the model.
pub fn read(doc: &Document, file: usize, text: &str, settings: &Settings) -> Vec<Replication> {
    let mut out = Vec::new();
    read_each(doc, file, text, settings, |source, branch, rules| {
        out.push(Replication {
            file,
            source,
            branch,
            rules: rules.collect(),
        })
    });
    out
}

/// The one reading of a document's replication configurations: `each` is
/// given each configuration's source registry, whether it is a branch, and
/// its rules, read as it takes them. [`read`] keeps them; the check across
/// files projects each rule as it comes and keeps none (a generated file
/// may hold hundreds of thousands of destinations).
pub fn read_each(
    doc: &Document,
    file: usize,
    text: &str,
    settings: &Settings,
    mut each: impl FnMut(Registry, bool, &mut dyn Iterator<Item = Rule>),
) {
    let mut reader = Reader {
        file,
        text,
        shared: Default::default(),
    };
    let setting = |s: &Option<String>| s.as_deref().map(|v| Known::Value(v.into()));
    // A module input the module ignores (it is not told to create the
    // configuration) deploys nothing.
    let ignored = |config: &document::Configuration| {
        config
            .rules
            .as_ref()
            .is_some_and(|rules| doc.ignored_inputs.iter().any(|i| i.key_span == rules.key_span))
    };
    for config in doc.configurations.iter().filter(|c| !ignored(c)) {
        let account = setting(&settings.source_registry)
            .or_else(|| config.source_registry.as_ref().map(|s| reader.text(s, Field::Account)))
            .or_else(|| doc.source_registry.as_ref().map(|s| reader.text(s, Field::Account)))
            .unwrap_or(Known::Deploying);
        let region = setting(&settings.source_region)
            .or_else(|| config.source_region.as_ref().map(|s| reader.text(s, Field::Region)))
            .or_else(|| doc.source_region.as_ref().map(|s| reader.text(s, Field::Region)))
            .unwrap_or(Known::Deploying);
        let source = Registry { account, region };
        let deploying = source.clone();
        let mut rules =
            with_branches(config.rules.as_ref()).map(|(rule, conditional)| reader.rule(rule, conditional, &deploying));
        each(source, config.branch, &mut rules);
    }
}

/// Items as written, then the objects an `Fn::If` item may become.
fn with_branches<'l, T>(list: Option<&'l document::List<'_, T>>) -> impl Iterator<Item = (&'l T, bool)> {
    list.into_iter().flat_map(|l| {
        l.items
            .iter()
            .map(|i| (i, false))
            .chain(l.branches.iter().map(|b| (b, true)))
    })
}

/// How many items and branches a list holds (room for them, read once).
fn count<T>(list: Option<&document::List<'_, T>>) -> usize {
    list.map_or(0, |l| l.items.len() + l.branches.len())
}

/// The text fields of a configuration, each sharing its text with the value
/// before it when equal.
#[derive(Clone, Copy)]
enum Field {
    Account,
    Region,
    FilterType,
    Prefix,
    /// `deleteReplication.enabled`: the one boolean.
    Flag,
}

struct Reader<'t> {
    file: usize,
    text: &'t str,
    /// The last text of each [`Field`]: a generated file repeats one
    /// Region, account or filter type, and each value would otherwise be a
    /// copy of its own (a map of every text would cost a small file more
    /// than it saves).
    shared: [Option<Arc<str>>; 5],
}

impl Reader<'_> {
    fn rule(&mut self, rule: &document::Rule, conditional: bool, source: &Registry) -> Rule {
        // The deploying account and Region are the source's, when known.
        let as_source = |mut l: Leaf, of_source: &Known| {
            if l.known == Known::Deploying {
                l.known = of_source.clone();
            }
            l
        };
        let mut destinations = Vec::with_capacity(count(rule.destinations.as_ref()));
        // A destination written again in the same rule deploys nothing more
        // (ECR301 reports it): kept once, at its first place, so that a
        // generated list of thousands of copies costs one destination here
        // and in the check across files, and a missing grant is one finding.
        // Short lists (nearly all) are compared pairwise; a long one is
        // hashed once it passes the bound.
        const COMPARED_PAIRWISE: usize = 16;
        let mut written: Option<std::collections::HashSet<(bool, Known, Known)>> = None;
        for (d, conditional) in with_branches(rule.destinations.as_ref()) {
            let (Some(account), Some(region)) = (&d.registry_id, &d.region) else {
                continue;
            };
            let account = as_source(self.leaf(account, Field::Account), &source.account);
            let region = as_source(self.leaf(region, Field::Region), &source.region);
            let repeated = if destinations.len() < COMPARED_PAIRWISE {
                destinations.iter().any(|w: &Destination| {
                    w.conditional == conditional && w.account.known == account.known && w.region.known == region.known
                })
            } else {
                let key = |d: &Destination| (d.conditional, d.account.known.clone(), d.region.known.clone());
                let written = written.get_or_insert_with(|| destinations.iter().map(key).collect());
                !written.insert((conditional, account.known.clone(), region.known.clone()))
            };
            if repeated {
                continue;
            }
            destinations.push(Destination {
                account,
                region,
                conditional,
            });
        }
        destinations.shrink_to_fit();
        let mut filter_without_prefix = false;
        let filters = (!rule.is_unfiltered()).then(|| {
            let mut filters = Vec::with_capacity(count(rule.repository_filters.as_ref()));
            for (f, conditional) in with_branches(rule.repository_filters.as_ref()) {
                let Some(prefix) = &f.filter else {
                    filter_without_prefix = true;
                    continue;
                };
                filters.push(Filter {
                    filter_type: f.filter_type.as_ref().map(|t| self.leaf(t, Field::FilterType)),
                    prefix: self.leaf(prefix, Field::Prefix),
                    conditional,
                });
            }
            filters
        });
        Rule {
            index: rule.index,
            destinations,
            filters,
            filter_without_prefix,
            delete_replication: rule.delete_replication.as_ref().map(|s| self.leaf(s, Field::Flag)),
            conditional,
        }
    }

    fn at(&self, scalar: &Scalar) -> Located {
        Located {
            file: self.file,
            span: scalar.span(),
        }
    }

    fn leaf(&mut self, scalar: &Scalar, field: Field) -> Leaf {
        Leaf {
            known: self.text(scalar, field),
            at: Some(self.at(scalar)),
        }
    }

    /// What a field's value is. A pseudo parameter is the deploying account
    /// or Region only in its own field (`AWS::AccountId` as a Region deploys
    /// as a number); a boolean where text belongs is rejected by the deploy
    /// (the schema's finding says so), and is no text a check can use.
    fn text(&mut self, scalar: &Scalar, field: Field) -> Known {
        let text = match (scalar.value(), field) {
            (Value::Text(t), _) => t,
            (Value::Bool(b), Field::Flag) => {
                if b {
                    "true"
                } else {
                    "false"
                }
            }
            (Value::Pseudo(Pseudo::AccountId), Field::Account) | (Value::Pseudo(Pseudo::Region), Field::Region) => {
                return Known::Deploying
            }
            (Value::Placeholder(t, _) | Value::Template(t), _) => return Known::Dynamic(t.to_string()),
            (Value::Pseudo(_) | Value::Dynamic | Value::Bool(_), _) => {
                return Known::Dynamic(
                    self.text
                        .get(scalar.span().start..scalar.span().end)
                        .unwrap_or_default()
                        .to_string(),
                )
            }
        };
        // Prefixes differ from one filter to the next: no comparison for them.
        if let Field::Prefix = field {
            return Known::Value(Arc::from(text));
        }
        let last = &mut self.shared[field as usize];
        Known::Value(match last {
            Some(same) if **same == *text => same.clone(),
            _ => last.insert(Arc::from(text)).clone(),
        })
    }
}
