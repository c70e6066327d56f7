//! Replication configurations in the model: per configuration, its source
//! registry, and its rules with their destinations, filters and whether
//! deletions replicate.

use super::{Known, Leaf, Located, Registry};
use crate::document::{self, Document, Pseudo, Scalar, Value};
use crate::settings::Settings;
use crate::syntax::Node;

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
            Some(Known::Value(t)) => crate::facts::facts().filter_types.contains(t),
            Some(_) => return Match::Maybe,
        };
        if !is_prefix_match {
            // An unknown filter type fails the deploy (ECR201): it takes nothing.
            return Match::No;
        }
        match &self.prefix.known {
            Known::Value(p) if repository.starts_with(p.as_str()) => Match::Yes,
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

/// The replication configurations of a parsed file.
pub fn read(root: &Node, file: usize, text: &str, settings: &Settings) -> Vec<Replication> {
    let shape = match document::recognise::recognise(root) {
        document::recognise::Recognition::Replication(shape) => shape,
        _ => return Vec::new(),
    };
    let doc = match &settings.terraform_module {
        Some(module) if std::ptr::eq(shape, &document::shapes::terraform::SHAPE) => {
            document::shapes::terraform::build_in_module(root, shape, module)
        }
        _ => Document::build(root, shape),
    };
    let lines = crate::lines::LineIndex::new(text);
    let leaf = |scalar: &Scalar| {
        let at = Located::new(file, scalar.span(), &lines);
        let known = match known(scalar.value()) {
            Known::Dynamic(w) if w.is_empty() => Known::Dynamic(at.written.clone()),
            k => k,
        };
        Leaf { known, at: Some(at) }
    };
    let setting = |s: &Option<String>| {
        s.as_ref().map(|v| Leaf {
            known: Known::Value(v.clone()),
            at: None,
        })
    };
    // A module input the module ignores (it is not told to create the
    // configuration) deploys nothing.
    let ignored = |config: &&document::Configuration| {
        config
            .rules
            .as_ref()
            .is_some_and(|rules| doc.ignored_inputs.iter().any(|i| i.key_span == rules.key_span))
    };
    doc.configurations
        .iter()
        .filter(|config| !ignored(config))
        .map(|config| {
            let account = setting(&settings.source_registry)
                .or_else(|| config.source_registry.as_ref().map(leaf))
                .or_else(|| doc.source_registry.as_ref().map(leaf))
                .map_or(Known::Deploying, |l| l.known);
            let region = setting(&settings.source_region)
                .or_else(|| config.source_region.as_ref().map(leaf))
                .or_else(|| doc.source_region.as_ref().map(leaf))
                .map_or(Known::Deploying, |l| l.known);
            let source = Registry { account, region };
            // The deploying account and Region are the source's, when known.
            let as_source = |mut l: Leaf, of_source: &Known| {
                if l.known == Known::Deploying {
                    l.known = of_source.clone();
                }
                l
            };
            // Items as written, then the objects an `Fn::If` item may become.
            fn with_branches<'l, T>(list: Option<&'l document::List<'_, T>>) -> impl Iterator<Item = (&'l T, bool)> {
                list.into_iter().flat_map(|l| {
                    l.items
                        .iter()
                        .map(|i| (i, false))
                        .chain(l.branches.iter().map(|b| (b, true)))
                })
            }
            let rules = with_branches(config.rules.as_ref())
                .map(|(rule, conditional)| Rule {
                    index: rule.index,
                    destinations: with_branches(rule.destinations.as_ref())
                        .filter_map(|(d, conditional)| {
                            Some(Destination {
                                account: as_source(leaf(d.registry_id.as_ref()?), &source.account),
                                region: as_source(leaf(d.region.as_ref()?), &source.region),
                                conditional,
                            })
                        })
                        .collect(),
                    filters: (!rule.is_unfiltered()).then(|| {
                        with_branches(rule.repository_filters.as_ref())
                            .filter_map(|(f, conditional)| {
                                Some(Filter {
                                    filter_type: f.filter_type.as_ref().map(leaf),
                                    prefix: leaf(f.filter.as_ref()?),
                                    conditional,
                                })
                            })
                            .collect()
                    }),
                    delete_replication: rule.delete_replication.as_ref().map(leaf),
                    conditional,
                })
                .collect();
            Replication {
                file,
                source,
                branch: config.branch,
                rules,
            }
        })
        .collect()
}

fn known(value: Value) -> Known {
    match value {
        Value::Text(t) => Known::Value(t.to_string()),
        Value::Bool(b) => Known::Value(b.to_string()),
        Value::Pseudo(Pseudo::AccountId | Pseudo::Region) => Known::Deploying,
        Value::Placeholder(t, _) | Value::Template(t) => Known::Dynamic(t.to_string()),
        Value::Dynamic => Known::Dynamic(String::new()),
    }
}
