//! The rule table. Each rule lives in its own file with its metadata; its
//! documentation is `rules/<CODE>-<name>.md`, embedded in the binary.
//! Codes and names are a public contract: never renumber or rename.

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::facts::Facts;
use crate::model::kind::Kind;
use findings::Findings;
// Also what the rule files' `rule_meta!` calls name as `super::Level`.
use crate::settings::Level;
use crate::syntax::Span;

/// Declares a rule's `META` and embeds its documentation file: what it
/// reads (`resources`: the kinds of resource, each the name of its module in
/// `crate::model`, none for a rule of the document itself), whether it runs
/// per file or over the workspace (`scope`) and whether its findings carry
/// fixes (`fix`) are required. A rule whose level cannot be changed says
/// `configurable: false`; a rule outside the published set (a test's) names
/// its documentation with `doc:`.
macro_rules! rule_meta {
    (
        $code:literal,
        $name:literal,
        $level:expr,
        $summary:literal,
        resources: [$($kind:ident),* $(,)?],
        scope: $scope:ident,
        fix: $fix:ident
        $(, configurable: $configurable:literal)?
        $(, doc: $doc:expr)? $(,)?
    ) => {
        pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            code: $code,
            name: $name,
            default: $level,
            summary: $summary,
            resources: &[$(&$crate::model::$kind::KIND),*],
            scope: $crate::rules::Scope::$scope,
            fix: $crate::rules::FixAvailability::$fix,
            configurable: rule_meta!(@configurable $($configurable)?),
            doc: rule_meta!(@doc $code, $name $(, $doc)?),
        };
    };
    (@configurable) => {
        true
    };
    (@configurable $configurable:literal) => {
        $configurable
    };
    (@doc $code:literal, $name:literal) => {
        include_str!(concat!("../../../../rules/", $code, "-", $name, ".md"))
    };
    (@doc $code:literal, $name:literal, $doc:expr) => {
        $doc
    };
}

pub mod account_not_allowed;
pub mod arrivals;
pub mod broad_registry_grant;
pub mod cross_account;
pub mod cross_partition;
pub mod disallowed_registry_action;
pub mod dsse_outside_govcloud;
pub mod duplicate_destination;
pub mod duplicate_filter;
pub mod duplicate_key;
pub mod empty_destinations;
pub mod encryption_drift;
pub mod filter_wider_than_template;
pub mod findings;
pub mod immutable_destination;
pub mod invalid_account_setting;
pub mod invalid_filter;
pub mod invalid_filter_type;
pub mod invalid_json;
pub mod invalid_policy_value;
pub mod invalid_principal;
pub mod invalid_region;
pub mod invalid_registry_id;
pub mod invalid_resource_arn;
pub mod kms_key_not_arn;
pub mod kms_key_other_region;
pub mod list_length;
pub mod lone_policy_statement;
pub mod missing_create_repository;
pub mod missing_custom_role;
pub mod missing_field;
pub mod missing_replication_grant;
pub mod missing_replication_template;
pub mod missing_required_destination;
pub mod module_input_ignored;
pub mod module_policy_ignored;
pub mod multiple_configurations;
pub mod multiple_registry_policies;
pub mod opt_in_region;
pub mod over_matching_filter;
pub mod overlapping_rules;
pub mod placeholder_value;
pub mod policy_too_long;
pub mod read_only_property;
pub mod redundant_filter;
pub mod region_not_allowed;
pub mod region_without_ecr;
pub mod replicates_deletions;
pub mod replicates_to_source;
pub mod replication_disabled;
pub mod replication_not_transitive;
pub mod stale_replication_grant;
pub mod template_coverage;
pub mod template_policy_text;
#[cfg(feature = "test-kind")]
pub mod test_widget;
pub mod too_many_destinations;
pub mod unfiltered_rule;
pub mod unknown_document;
pub mod unknown_field;
pub mod unknown_region;
pub mod unused_suppression;
pub mod variable_outside_sub;
pub mod wrong_type;
pub mod yaml_alias;

#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub default: Level,
    pub summary: &'static str,
    /// The kinds of resource it reads (none: the document itself, any
    /// document): a file rule runs on a document holding one of them.
    pub resources: &'static [&'static Kind],
    pub scope: Scope,
    pub fix: FixAvailability,
    /// Whether users may change its level (`--rule`, `[rules]`).
    pub configurable: bool,
    pub doc: &'static str,
}

/// What a rule runs over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One file at a time.
    File,
    /// Every file of the linted set at once, through the index of
    /// [`crate::crosscheck`].
    Workspace,
}

/// Whether a rule's findings carry fixes, and of what applicability, as
/// its documentation's header states ("Fixable: ...").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Safe,
    Unsafe,
    /// Safe in most cases, unsafe in some.
    Sometimes,
}

impl FixAvailability {
    /// As the documentation's header, the README and `rules` say it.
    pub fn as_str(self) -> &'static str {
        match self {
            FixAvailability::None => "no",
            FixAvailability::Safe => "safe",
            FixAvailability::Unsafe => "unsafe",
            FixAvailability::Sometimes => "safe (some cases unsafe)",
        }
    }
}

impl RuleMeta {
    /// Whether it runs on a document: one holding resources of its kinds.
    pub fn runs_on(&self, held: &mut crate::model::kind::Held) -> bool {
        self.resources.is_empty() || held.any(self.resources)
    }

    /// Whether `level` may be set for this rule; the error says why not.
    pub fn accepts_level(&self, level: Level) -> Result<(), String> {
        if self.configurable || level == self.default {
            return Ok(());
        }
        Err(format!(
            "{} {} cannot be configured: {}",
            self.code,
            self.name,
            self.doc_section("Why it is not configurable")
                .unwrap_or("its findings are what every other check depends on")
        ))
    }

    /// A finding of this rule at its default severity (the engine applies
    /// the user's settings afterwards, and derives the JSON pointer from the
    /// span unless one is set with [`Diagnostic::at_pointer`]).
    pub fn diagnostic(&'static self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code: self.code,
            rule: self.name,
            severity: match self.default {
                Level::On(s) => s,
                Level::Off => Severity::Info,
            },
            message: message.into(),
            label: String::new(),
            span,
            pointer: String::new(),
            labels: Vec::new(),
            help: None,
            fix: None,
        }
    }
}

impl RuleMeta {
    /// The text of a `## heading` section of the rule's documentation.
    pub fn doc_section(&self, heading: &str) -> Option<&'static str> {
        let doc: &'static str = self.doc;
        let start = doc.find(&format!("\n## {heading}\n"))? + heading.len() + 5;
        let rest = &doc[start..];
        Some(rest[..rest.find("\n## ").unwrap_or(rest.len())].trim())
    }

    /// Whether some of its findings come with a fix.
    pub fn fixable(&self) -> bool {
        self.fix != FixAvailability::None
    }

    /// Where the documentation of this version is published (SARIF
    /// `helpUri`, the editor's code link): the release tag, as the schema
    /// URLs and the Action pin it, so a page never describes another version.
    pub fn doc_url(&self) -> String {
        format!(
            "{}/blob/v{}/rules/{}-{}.md",
            env!("CARGO_PKG_REPOSITORY"),
            env!("CARGO_PKG_VERSION"),
            self.code,
            self.name
        )
    }
}

/// What a semantic rule sees.
pub struct Context<'a> {
    pub doc: &'a Document<'a>,
    pub facts: &'static Facts,
    /// The Region the configuration is applied in, when known.
    pub source_region: Option<&'a str>,
    /// The account that owns the source registry, when known.
    pub source_registry: Option<&'a str>,
    /// Regions the user declared known beyond the built-in list.
    pub extra_regions: &'a [String],
    /// The organisation policy from `.ecrlint.toml` (empty: ECR4xx stay quiet).
    pub policy: &'a crate::settings::OrgPolicy,
    /// The registry policy scope of the registry the file's policies belong to.
    pub registry_policy_scope: crate::settings::PolicyScope,
    /// The aliases of a YAML file (expanded in the tree).
    pub yaml_aliases: &'a [crate::syntax::yaml::Alias],
    /// The merge keys (`<<`) of a YAML file that were expanded in the tree.
    pub yaml_merge_keys: &'a [Span],
    /// The file's text, which every span indexes.
    pub source: &'a str,
    /// Whether the file is JSON or YAML, for fixes written in its style.
    pub format: crate::syntax::SourceFormat,
}

impl<'a> Context<'a> {
    /// An edit replacing the scalar at `span` with `value`, quoted as JSON
    /// or YAML wants and keeping the quote style the value had.
    pub fn replace_scalar(&self, span: Span, value: &str) -> Option<crate::fix::Edit> {
        crate::fix::write::replace_scalar(self.format, self.source, span, value)
    }

    /// An edit removing `item` from the array `list` (with its comma, or its
    /// lines in YAML block style); none when it is not a direct item.
    pub fn remove_item(&self, list: &crate::syntax::Node, item: &crate::syntax::Node) -> Option<crate::fix::Edit> {
        let i = position_of(list.as_array()?, item.span, |n| n.span)?;
        crate::fix::write::remove_item(self.format, self.source, list, i)
    }

    /// An edit removing the member whose key is at `key_span` from `object`.
    pub fn remove_member(&self, object: &crate::syntax::Node, key_span: Span) -> Option<crate::fix::Edit> {
        let i = position_of(object.as_object()?, key_span, |m| m.key_span)?;
        crate::fix::write::remove_member(self.format, self.source, object, i)
    }

    /// Edits removing every member named `key` from `object` (a key written
    /// twice, once for each copy); none unless each of them can be removed.
    pub fn remove_members_named(&self, object: &crate::syntax::Node, key: &str) -> Option<Vec<crate::fix::Edit>> {
        let members = object.as_object()?;
        let indices: Vec<usize> = (0..members.len()).filter(|&i| members[i].key == key).collect();
        crate::fix::write::remove_members(self.format, self.source, object, &indices)
    }

    /// The source Region of one configuration: the flag's or the file's,
    /// else what the document says for this configuration alone.
    pub fn source_region_of(&self, config: &crate::document::Configuration<'a>) -> Option<&'a str> {
        self.source_region
            .or_else(|| config.source_region.as_ref().and_then(|s| s.text()))
    }

    /// The source account of one configuration, likewise.
    pub fn source_registry_of(&self, config: &crate::document::Configuration<'a>) -> Option<&'a str> {
        self.source_registry
            .or_else(|| config.source_registry.as_ref().and_then(|s| s.text()))
    }

    /// A destination's (region, account) for comparisons: plain strings, and
    /// `!Ref AWS::Region` / `!Ref AWS::AccountId` as the source's values (or,
    /// unknown, as themselves, so two of them still compare equal).
    pub fn pair(&self, d: &crate::document::Destination<'a>) -> Option<(&'a str, &'a str)> {
        use crate::document::{Pseudo, Value};
        // How the unknown source values are named: as written in the dialect.
        let crate::document::dialect::PseudoNames { region, account } = self.doc.shape.dialect.pseudo_names;
        let resolve = |s: &Option<crate::document::Scalar<'a>>| match s.as_ref()?.value() {
            Value::Text(t) => Some(t),
            Value::Pseudo(Pseudo::Region) => Some(self.source_region.unwrap_or(region)),
            Value::Pseudo(Pseudo::AccountId) => Some(self.source_registry.unwrap_or(account)),
            _ => None,
        };
        Some((resolve(&d.region)?, resolve(&d.registry_id)?))
    }
}

impl<'a> Context<'a> {
    /// [`Context::pair`] for messages: a source value the document refers
    /// to (`!Ref AWS::Region`, `data.aws_caller_identity.current.account_id`)
    /// shown as the file writes it, unless the source is known.
    pub fn written_pair(&self, d: &crate::document::Destination<'a>) -> Option<(&'a str, &'a str)> {
        use crate::document::{Pseudo, Value};
        let (region, account) = self.pair(d)?;
        let written = |s: &Option<crate::document::Scalar<'a>>, known: Option<&'a str>, resolved: &'a str| {
            match s.as_ref().map(|s| (s.value(), s.span())) {
                Some((Value::Pseudo(Pseudo::Region | Pseudo::AccountId), span)) if known.is_none() => {
                    // A JSON string's text is what it writes, without its quotes.
                    let text = self.source.get(span.start..span.end).map(str::trim);
                    text.map(|t| t.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(t))
                        .filter(|t| !t.is_empty())
                        .unwrap_or(resolved)
                }
                _ => resolved,
            }
        };
        Some((
            written(&d.region, self.source_region, region),
            written(&d.registry_id, self.source_registry, account),
        ))
    }
}

/// The index of the part of `parts` at `span`: found by halves, as parts
/// are in file order (a fix for each of many items must not search the
/// whole list each time), else one by one (YAML aliases repeat spans).
fn position_of<T>(parts: &[T], span: Span, span_of: impl Fn(&T) -> Span) -> Option<usize> {
    let i = parts.partition_point(|p| span_of(p).start < span.start);
    if parts.get(i).is_some_and(|p| span_of(p) == span) {
        return Some(i);
    }
    parts.iter().position(|p| span_of(p) == span)
}

pub type CheckFn = fn(&Context, &mut Findings);

/// A check over the workspace: every linted file's facts, through the
/// index of the check across files; each finding with its file's index.
pub type WorkspaceCheckFn = fn(&crate::crosscheck::Set, &mut Vec<(usize, Diagnostic)>);

/// How a rule's findings are made.
#[derive(Clone, Copy)]
pub enum Check {
    /// By the parser, the document model, the schema or another rule's check.
    Elsewhere,
    /// Per file, on its document.
    File(CheckFn),
    /// Once over the workspace.
    Workspace(WorkspaceCheckFn),
}

pub struct RuleEntry {
    pub meta: &'static RuleMeta,
    pub check: Check,
}

const fn produced_elsewhere(meta: &'static RuleMeta) -> RuleEntry {
    RuleEntry {
        meta,
        check: Check::Elsewhere,
    }
}

/// A file rule's entry: its metadata must say so (a compile error otherwise).
const fn checked(meta: &'static RuleMeta, check: CheckFn) -> RuleEntry {
    assert!(
        matches!(meta.scope, Scope::File),
        "a rule checked per file has scope File"
    );
    RuleEntry {
        meta,
        check: Check::File(check),
    }
}

/// A workspace rule's entry: its metadata must say so (a compile error otherwise).
const fn across_files(meta: &'static RuleMeta, check: WorkspaceCheckFn) -> RuleEntry {
    assert!(
        matches!(meta.scope, Scope::Workspace),
        "a rule checked over the workspace has scope Workspace"
    );
    RuleEntry {
        meta,
        check: Check::Workspace(check),
    }
}

/// Every rule, in code order.
pub static RULES: &[RuleEntry] = &[
    produced_elsewhere(&invalid_json::META),
    checked(&duplicate_key::META, duplicate_key::check),
    produced_elsewhere(&unknown_document::META),
    checked(&yaml_alias::META, yaml_alias::check),
    produced_elsewhere(&unused_suppression::META),
    produced_elsewhere(&missing_field::META),
    checked(&unknown_field::META, unknown_field::check),
    checked(&wrong_type::META, wrong_type::check),
    checked(&list_length::META, list_length::check),
    checked(&invalid_filter_type::META, invalid_filter_type::check),
    checked(&invalid_region::META, invalid_region::check),
    checked(&unknown_region::META, unknown_region::check),
    checked(&invalid_registry_id::META, invalid_registry_id::check),
    checked(&invalid_filter::META, invalid_filter::check),
    checked(&placeholder_value::META, placeholder_value::check),
    checked(&variable_outside_sub::META, variable_outside_sub::check),
    checked(&region_without_ecr::META, region_without_ecr::check),
    checked(&duplicate_destination::META, duplicate_destination::check),
    checked(&overlapping_rules::META, overlapping_rules::check),
    checked(&duplicate_filter::META, duplicate_filter::check),
    checked(&redundant_filter::META, redundant_filter::check),
    checked(&too_many_destinations::META, too_many_destinations::check),
    checked(&replicates_to_source::META, replicates_to_source::check),
    checked(&cross_partition::META, cross_partition::check),
    checked(&replication_disabled::META, replication_disabled::check),
    checked(&empty_destinations::META, empty_destinations::check),
    checked(&unfiltered_rule::META, unfiltered_rule::check),
    checked(&opt_in_region::META, opt_in_region::check),
    checked(&cross_account::META, cross_account::check),
    checked(&replicates_deletions::META, replicates_deletions::check),
    checked(&multiple_configurations::META, multiple_configurations::check),
    checked(&read_only_property::META, read_only_property::check),
    checked(&module_input_ignored::META, module_input_ignored::check),
    checked(&region_not_allowed::META, region_not_allowed::check),
    checked(&account_not_allowed::META, account_not_allowed::check),
    checked(&missing_required_destination::META, missing_required_destination::check),
    checked(&disallowed_registry_action::META, disallowed_registry_action::check),
    checked(&invalid_resource_arn::META, invalid_resource_arn::check),
    checked(&invalid_principal::META, invalid_principal::check),
    checked(&invalid_policy_value::META, invalid_policy_value::check),
    checked(&broad_registry_grant::META, broad_registry_grant::check),
    across_files(&missing_replication_grant::META, missing_replication_grant::check),
    across_files(&missing_create_repository::META, missing_create_repository::check),
    across_files(&stale_replication_grant::META, stale_replication_grant::check),
    checked(&lone_policy_statement::META, lone_policy_statement::check),
    checked(&policy_too_long::META, policy_too_long::check),
    across_files(&multiple_registry_policies::META, multiple_registry_policies::check),
    checked(&module_policy_ignored::META, module_policy_ignored::check),
    checked(&invalid_account_setting::META, invalid_account_setting::check),
    checked(&missing_custom_role::META, missing_custom_role::check),
    checked(&kms_key_not_arn::META, kms_key_not_arn::check),
    checked(&kms_key_other_region::META, kms_key_other_region::check),
    checked(&dsse_outside_govcloud::META, dsse_outside_govcloud::check),
    checked(&template_policy_text::META, template_policy_text::check),
    across_files(&replication_not_transitive::META, replication_not_transitive::check),
    across_files(&over_matching_filter::META, over_matching_filter::check),
    across_files(&immutable_destination::META, immutable_destination::check),
    across_files(&encryption_drift::META, encryption_drift::check),
    across_files(&missing_replication_template::META, missing_replication_template::check),
    across_files(&filter_wider_than_template::META, filter_wider_than_template::check),
    #[cfg(feature = "test-kind")]
    checked(&test_widget::META, test_widget::check),
];

/// Every statement of every registry policy of the document.
pub fn statements<'c, 'a>(ctx: &'c Context<'a>) -> impl Iterator<Item = &'c crate::document::policy::Statement<'a>> {
    ctx.doc.policies.iter().flat_map(|p| p.statements.iter())
}

/// Looks a rule up by code (`ECR204`, any case) or name (`invalid-registry-id`).
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .map(|r| r.meta)
        .find(|m| m.code.eq_ignore_ascii_case(code_or_name) || m.name == code_or_name)
}

/// The rule that owns value errors of a field (pattern, enum, length).
pub fn value_rule_for_field(field: &str) -> Option<&'static RuleMeta> {
    match field {
        "region" | "Region" => Some(&invalid_region::META),
        "registryId" | "RegistryId" | "registry_id" => Some(&invalid_registry_id::META),
        "filter" | "Filter" => Some(&invalid_filter::META),
        "filterType" | "FilterType" | "filter_type" => Some(&invalid_filter_type::META),
        "Effect" | "Version" => Some(&invalid_policy_value::META),
        _ => None,
    }
}

/// `us-west-2 / 111122223333`, how messages name a destination.
pub fn describe_destination(region: &str, registry: &str) -> String {
    format!("{region} / {registry}")
}

/// `(later, first)` index pairs for items equal to an earlier one, in one
/// pass: duplicate checks stay linear on adversarially long lists.
pub fn repeats<K: std::hash::Hash + Eq>(keys: impl IntoIterator<Item = Option<K>>) -> Vec<(usize, usize)> {
    let keys = keys.into_iter();
    let mut pairs = Vec::new();
    // Most lists are an object's few keys: comparing each with those before
    // is cheaper than hashing them (this function was 5.4 % of a 10 MB
    // file's run, SipHash and table growth for every object of the tree).
    if keys.size_hint().1.is_some_and(|n| n <= 16) {
        let keys: Vec<Option<K>> = keys.collect();
        for (i, key) in keys.iter().enumerate() {
            let Some(key) = key else { continue };
            if let Some(first) = keys[..i].iter().position(|k| k.as_ref() == Some(key)) {
                pairs.push((i, first));
            }
        }
        return pairs;
    }
    // foldhash, seeded per process: several times faster than SipHash on
    // short keys, and a file cannot choose keys that collide. The table
    // grows with the distinct keys only (a list of one repeated item stays
    // one entry).
    let mut first_seen = std::collections::HashMap::with_hasher(foldhash::fast::RandomState::default());
    for (i, key) in keys.enumerate() {
        let Some(key) = key else { continue };
        match first_seen.entry(key) {
            std::collections::hash_map::Entry::Occupied(e) => pairs.push((i, *e.get())),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(i);
            }
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    /// Short lists (compared pairwise) and long ones (hashed) give the same
    /// pairs: each repeat with the first of its kind, items without a key skipped.
    #[test]
    fn repeats_pair_each_repeat_with_the_first() {
        let short = [Some("a"), Some("b"), None, Some("a"), None, Some("b"), Some("a")];
        assert_eq!(super::repeats(short), vec![(3, 0), (5, 1), (6, 0)]);
        let long: Vec<Option<String>> = (0..40).map(|i| (i % 7 != 3).then(|| format!("k{}", i % 13))).collect();
        let expected: Vec<(usize, usize)> = (0..40)
            .filter(|i| i % 7 != 3)
            .filter_map(|i| {
                let first = (0..i).find(|j| j % 7 != 3 && j % 13 == i % 13)?;
                Some((i, first))
            })
            .collect();
        assert!(expected.len() > 10);
        assert_eq!(super::repeats(long), expected);
    }
}
