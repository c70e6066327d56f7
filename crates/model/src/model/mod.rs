//! The resolved model of what a set of files will deploy, per registry:
//! replication configurations (rules, destinations, filters, whether
//! deletions replicate), registry policies' grants, and the repositories
//! the files define. Every leaf is a located value: known, pseudo (the
//! deploying account or Region) or dynamic (known only at deploy time),
//! with the file, span and text as written.
//!
//! It is built from texts given with their settings (the crate above walks
//! folders and resolves configurations: `ecrlint::load`), each read into
//! its [`Document`](crate::document::Document) and the documents in its
//! strings, read-only. A resource kind is a module here ([`replication`],
//! [`repository`], [`policy`], [`creation_template`]), read from a document,
//! with its line in [`KINDS`]; [`file_facts`] is the projection of a file's model the check
//! across files indexes, so that a grant means the same to ECR506–ECR508
//! and to a review.

pub mod creation_template;
pub mod file_facts;
pub mod kind;
pub mod policy;
pub mod replication;
pub mod repository;
#[cfg(feature = "test-kind")]
pub mod test_kind;

pub use file_facts::{FileFacts, Member};
pub use replication::{Destination, Filter, Replication, Rule};
pub use repository::Repository;

/// Every resource kind ([`kind`]): its module above and its line here.
pub static KINDS: &[&kind::Kind] = &[
    &replication::KIND,
    &policy::KIND,
    &creation_template::KIND,
    &repository::KIND,
    #[cfg(feature = "test-kind")]
    &test_kind::KIND,
];

use crate::lines::{LineIndex, Lines};
use crate::settings::Settings;
use crate::syntax::{ReadAs, Span};
use std::sync::{Arc, OnceLock};

/// A file the model was read from.
#[derive(Clone)]
pub struct SourceFile {
    /// Its path as shown: relative to the root the model was read from.
    pub path: String,
    /// Shared: the model is cloned for each view of the workspace (a hover
    /// after a change), and its texts need not be.
    pub text: Arc<str>,
    /// Where its lines start, worked out when a value's line is first
    /// asked (shared by the model's copies).
    lines: Arc<OnceLock<Lines>>,
}

impl SourceFile {
    pub fn new(path: String, text: Arc<str>) -> SourceFile {
        SourceFile {
            path,
            text,
            lines: Arc::default(),
        }
    }
}

/// Where a value is written: the file (an index into [`Model::files`])
/// and the span. Its line and text are the model's to tell
/// ([`Model::line`], [`Model::written`]): worked out for the few values
/// shown, not for each of a generated file's hundreds of thousands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Located {
    pub file: usize,
    pub span: Span,
}

/// What a value is, as far as the files say.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Known {
    /// Shared: a generated file repeats one Region or account, and the
    /// check across files' routes hold these same texts.
    Value(Arc<str>),
    /// The account or Region the configuration is deployed in, not named
    /// (`!Ref AWS::AccountId`, a file that does not say its source).
    Deploying,
    /// Known only at deploy time: the expression as written.
    Dynamic(String),
}

impl Known {
    /// The value for a reader: the value itself, else what it stands for.
    pub fn shown(&self, deploying: &str) -> String {
        match self {
            Known::Value(v) => v.to_string(),
            Known::Deploying => deploying.to_string(),
            Known::Dynamic(w) => format!("{w} (known at deploy time)"),
        }
    }

    pub fn value(&self) -> Option<&str> {
        match self {
            Known::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// A value and where it is written (`None`: not written, implied).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leaf {
    pub known: Known,
    pub at: Option<Located>,
}

/// A registry: an account in a Region.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Registry {
    pub account: Known,
    pub region: Known,
}

impl Registry {
    /// `account/region` for a reader.
    pub fn shown(&self) -> String {
        format!(
            "{} in {}",
            self.account.shown("the deploying account"),
            self.region.shown("the deploying Region")
        )
    }
}

/// What the files of a workspace will deploy.
#[derive(Clone, Default)]
pub struct Model {
    pub files: Vec<SourceFile>,
    pub replications: Vec<Replication>,
    pub repositories: Vec<Repository>,
    /// Each file's projection for the check across files (its registry
    /// policies, replications' routes, repositories and templates): the
    /// index across files (`crosscheck::Set`) over them answers grants.
    pub policy_members: Vec<Member>,
    /// Files that look like ours but could not be read, with why.
    pub unread: Vec<(String, String)>,
}

impl Model {
    /// The line (from 1) where a value is written.
    pub fn line(&self, at: &Located) -> usize {
        let file = &self.files[at.file];
        let lines = file.lines.get_or_init(|| Lines::new(&file.text));
        LineIndex::with_lines(&file.text, lines).line_of(at.span.start) + 1
    }

    /// A value's text as written.
    pub fn written(&self, at: &Located) -> &str {
        self.files[at.file]
            .text
            .get(at.span.start..at.span.end)
            .unwrap_or_default()
    }

    /// The repository names the files define, sorted, each once.
    pub fn repository_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.repositories.iter().map(|r| r.name.clone()).collect();
        names.sort();
        names.dedup();
        names
    }

    /// Whether any file defines repositories.
    pub fn defines_repositories(&self) -> bool {
        !self.repositories.is_empty()
    }
}

impl Model {
    /// This model with `pieces` (models of one file each, read by
    /// [`Model::read_text`] into a model of their own) added after its files, and for each the index of
    /// its file in [`Model::files`] (`None`: it says nothing the model holds).
    pub fn joined(&self, pieces: &[&Model]) -> (Model, Vec<Option<usize>>) {
        let mut model = self.clone();
        let indices = pieces
            .iter()
            .map(|piece| {
                let by = model.files.len();
                let mut piece = (*piece).clone();
                piece.shift_files(by);
                model.files.append(&mut piece.files);
                model.replications.append(&mut piece.replications);
                model.repositories.append(&mut piece.repositories);
                model.policy_members.append(&mut piece.policy_members);
                model.unread.append(&mut piece.unread);
                (model.files.len() > by).then_some(by)
            })
            .collect();
        (model, indices)
    }

    /// Moves every file index by `by` (the model joins after `by` files).
    fn shift_files(&mut self, by: usize) {
        let at = |at: &mut Option<Located>| {
            if let Some(at) = at {
                at.file += by;
            }
        };
        for r in &mut self.repositories {
            r.at.file += by;
        }
        for replication in &mut self.replications {
            replication.file += by;
            for rule in &mut replication.rules {
                for d in &mut rule.destinations {
                    at(&mut d.account.at);
                    at(&mut d.region.at);
                }
                for f in rule.filters.iter_mut().flatten() {
                    at(&mut f.prefix.at);
                    if let Some(t) = &mut f.filter_type {
                        at(&mut t.at);
                    }
                }
                if let Some(l) = &mut rule.delete_replication {
                    at(&mut l.at);
                }
            }
        }
    }
}

impl Model {
    /// Adds what one file says to the model: its text (`path` as shown),
    /// read as `read_as`, with the settings that govern it.
    pub fn read_text(&mut self, path: String, text: String, read_as: ReadAs, settings: &Settings) {
        let model = self;
        let file = model.files.len();
        let bytes = text.as_bytes();
        let Some(format) = read_as.resolve(bytes) else {
            return;
        };
        let root = match format.parse(bytes) {
            Ok(root) => root,
            Err(e) => {
                let mentions = crate::document::recognise::text_is_replication(&text)
                    || crate::document::recognise::terraform_text_is_replication(&text);
                if mentions {
                    model.unread.push((path, format!("does not parse: {}", e.message)));
                }
                return;
            }
        };
        let repositories = repository::read(&root, file);
        let (facts, replications) = file_facts::read_tree(&root, &text, format, settings, Some(file));
        let mut facts = facts;
        file_facts::note_folder(&mut facts, settings);
        // (A file of creation templates counts for what arrives at a destination.)
        if repositories.is_empty() && replications.is_empty() && facts.policies.is_empty() && facts.templates.is_empty()
        {
            return;
        }
        model.repositories.extend(repositories);
        model.replications.extend(replications);
        let other = Arc::new(crate::diagnostic::OtherFile {
            path: path.clone(),
            path_bytes: None,
            text: text.clone(),
        });
        model.policy_members.push(Member { facts, file: other });
        // The tree borrows the text, and dropping it frees its owned strings.
        drop(root);
        model.files.push(SourceFile::new(path, text.into()));
    }
}

/// The document of a file recognised as holding replication configurations
/// in `shape`: a Terraform file of a module read with the module's
/// variables, locals and provider (as `lint` reads it).
pub fn document<'a>(
    root: &'a crate::syntax::Node<'a>,
    shape: &'static crate::document::shape::Shape,
    settings: &'a Settings,
) -> crate::document::Document<'a> {
    use crate::document::shapes::terraform;
    match &settings.terraform_module {
        Some(module) if std::ptr::eq(shape, &terraform::SHAPE) => terraform::build_in_module(root, shape, module),
        _ => crate::document::Document::build(root, shape),
    }
}

#[cfg(test)]
pub(crate) fn read_texts(files: &[(&str, &str)]) -> Model {
    let mut model = Model::default();
    let settings = crate::settings::Settings::default();
    for (path, text) in files {
        model.read_text(
            path.to_string(),
            text.to_string(),
            ReadAs::for_path(std::path::Path::new(path)),
            &settings,
        );
    }
    model
}

#[cfg(test)]
mod tests {
    use super::file_facts::Filters;
    use super::*;

    fn one_rule(model: &Model) -> &Rule {
        assert_eq!(model.replications.len(), 1);
        &model.replications[0].rules[0]
    }

    #[test]
    fn leaves_are_located_where_they_are_written() {
        let text = "{\"rules\": [{\"destinations\": [{\"region\": \"us-west-2\",\n \"registryId\": \"109876543210\"}],\n \"repositoryFilters\": [{\"filter\": \"prod\", \"filterType\": \"PREFIX_MATCH\"}],\n \"deleteReplication\": {\"enabled\": true}}]}";
        let model = read_texts(&[("r.json", text)]);
        let rule = one_rule(&model);
        let d = &rule.destinations[0];
        assert_eq!(d.region.known, Known::Value("us-west-2".into()));
        let at = d.account.at.as_ref().unwrap();
        assert_eq!((at.file, model.line(at), model.written(at)), (0, 2, "\"109876543210\""));
        assert_eq!(&text[at.span.start..at.span.end], model.written(at));
        let filter = &rule.filters.as_ref().unwrap()[0];
        assert_eq!(filter.prefix.known, Known::Value("prod".into()));
        assert_eq!(model.line(filter.prefix.at.as_ref().unwrap()), 3);
        assert_eq!(rule.deletes(), Known::Value("true".into()));
        // Nothing names the source: the deploying account and Region.
        let source = &model.replications[0].source;
        assert_eq!(
            (&source.account, &source.region),
            (&Known::Deploying, &Known::Deploying)
        );
        assert_eq!(model.files[0].path, "r.json");
    }

    #[test]
    fn a_destination_written_again_in_a_long_list_is_kept_once_at_its_first_place() {
        // Twenty distinct destinations (past the length compared pairwise),
        // then the 3rd and the 19th again, and a copy of the 1st early on.
        let distinct: Vec<String> = (0..20)
            .map(|i| format!("{{\"region\": \"us-west-2\", \"registryId\": \"1098765432{i:02}\"}}"))
            .collect();
        let mut written = distinct.clone();
        written.insert(2, distinct[0].clone());
        written.push(distinct[2].clone());
        written.push(distinct[18].clone());
        let text = format!("{{\"rules\": [{{\"destinations\": [{}]}}]}}", written.join(",\n"));
        let model = read_texts(&[("r.json", &text)]);
        let rule = one_rule(&model);
        let accounts: Vec<_> = rule.destinations.iter().map(|d| d.account.known.clone()).collect();
        let expected: Vec<_> = (0..20)
            .map(|i| Known::Value(format!("1098765432{i:02}").into()))
            .collect();
        assert_eq!(accounts, expected);
        // Each kept at its first place: line i + 1, after the early copy for i >= 2.
        let lines: Vec<_> = rule
            .destinations
            .iter()
            .map(|d| model.line(d.account.at.as_ref().unwrap()))
            .collect();
        let expected: Vec<_> = (0..20).map(|i| if i < 2 { i + 1 } else { i + 2 }).collect();
        assert_eq!(lines, expected);
    }

    #[test]
    fn pseudo_values_are_the_sources_and_intrinsics_are_known_at_deploy_time() {
        let template = "Resources:\n  R:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: !Ref Dest\n                RegistryId: !Ref AWS::AccountId\n";
        let model = read_texts(&[("t.yaml", template)]);
        let rule = one_rule(&model);
        assert!(rule.filters.is_none(), "no filter list: every repository");
        let d = &rule.destinations[0];
        assert_eq!(d.account.known, Known::Deploying);
        assert_eq!(d.region.known, Known::Dynamic("!Ref Dest".into()));
        assert_eq!(rule.takes("anything").0, replication::Match::Yes);
    }

    #[test]
    fn a_filter_known_at_deploy_time_may_match_and_an_unknown_type_takes_nothing() {
        let tf = r#"
resource "aws_ecr_replication_configuration" "x" {
  replication_configuration {
    rule {
      destination {
        region      = "us-west-2"
        registry_id = "109876543210"
      }
      repository_filter {
        filter      = "${var.team}-"
        filter_type = "PREFIX_MATCH"
      }
    }
  }
}
resource "aws_ecr_repository" "api" {
  name = "team-api"
}
resource "aws_ecr_repository" "dynamic" {
  name = "${var.team}-web"
}
"#;
        let model = read_texts(&[("main.tf", tf)]);
        let rule = one_rule(&model);
        assert_eq!(rule.takes("team-api").0, replication::Match::Maybe);
        // Repositories with a literal name only.
        assert_eq!(model.repository_names(), ["team-api"]);
        let mut filter = rule.filters.as_ref().unwrap()[0].clone();
        filter.prefix.known = Known::Value("team".into());
        assert_eq!(filter.matches("team-api"), replication::Match::Yes);
        assert_eq!(filter.matches("Team-api"), replication::Match::No, "case sensitive");
        filter.filter_type.as_mut().unwrap().known = Known::Value("WILDCARD".into());
        assert_eq!(filter.matches("team-api"), replication::Match::No);
    }

    #[test]
    fn a_destination_written_again_in_its_rule_is_one_destination_at_its_first_place() {
        let item = r#"{"region": "us-west-2", "registryId": "109876543210"}"#;
        let other = r#"{"region": "eu-west-1", "registryId": "109876543210"}"#;
        let text = format!(
            r#"{{"rules": [{{"destinations": [{item}, {other}, {item}, {item}]}}, {{"destinations": [{item}]}}]}}"#
        );
        let model = read_texts(&[("r.json", &text)]);
        let rules = &model.replications[0].rules;
        let regions =
            |rule: &Rule| -> Vec<String> { rule.destinations.iter().map(|d| d.region.known.shown("")).collect() };
        assert_eq!(regions(&rules[0]), ["us-west-2", "eu-west-1"]);
        // The same destination in another rule is that rule's own.
        assert_eq!(regions(&rules[1]), ["us-west-2"]);
        let first = rules[0].destinations[0].account.at.as_ref().unwrap().span.start;
        assert_eq!(first, text.find("\"109876543210\"").unwrap());
        // The check across files sees it once too.
        let routes = &model.policy_members[0].facts.replications[0].routes;
        assert_eq!(routes.len(), 3);
    }

    #[test]
    fn a_module_input_the_module_ignores_deploys_nothing() {
        let module = |flag: &str| {
            format!(
                r#"
module "ecr" {{
  source = "terraform-aws-modules/ecr/aws"
  {flag}
  registry_replication_rules = [{{
    destinations = [{{ region = "us-west-2", registry_id = "109876543210" }}]
  }}]
}}
"#
            )
        };
        let created = read_texts(&[("main.tf", &module("create_registry_replication_configuration = true"))]);
        assert_eq!(one_rule(&created).destinations.len(), 1);
        let ignored = read_texts(&[("main.tf", &module(""))]);
        assert!(ignored.replications.is_empty());
        // Nor does it to the check across files: no route needs a grant.
        let read_as = ReadAs::for_path(std::path::Path::new("main.tf"));
        let facts = file_facts::file_facts(&module(""), read_as, &Settings::default());
        assert!(facts.replications.is_empty() && facts.is_empty());
    }

    #[test]
    fn policies_are_read_as_the_check_across_files_reads_them() {
        let policy = r#"{"registryId": "109876543210", "policyText": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"210987654321\"}, \"Action\": \"ecr:ReplicateImage\", \"Resource\": \"arn:aws:ecr:us-west-2:109876543210:repository/*\"}]}"}"#;
        let model = read_texts(&[("p.json", policy), ("notes.json", r#"{"name": "not ours"}"#)]);
        // A file that says nothing the model holds is not kept.
        assert_eq!(model.files.len(), 1);
        let policies = &model.policy_members[0].facts.policies;
        assert_eq!(policies.len(), 1);
        let p = &policies[0];
        // Its registry as the file says, its Region as its one ARN names.
        assert_eq!(
            (p.account.as_deref(), p.region.as_deref()),
            (Some("109876543210"), Some("us-west-2"))
        );
        let accounts: Vec<&str> = p
            .grants
            .iter()
            .flat_map(|g| &g.accounts)
            .map(|(a, _)| a.as_str())
            .collect();
        assert_eq!(accounts, ["210987654321"]);
        assert!(p.grants[0].replicate && !p.grants[0].malformed_resource);
        assert!(p.denials.is_empty());
    }

    /// A resource of a Terraform plan, in `account`, replicating to `destination`.
    fn planned(name: &str, account: &str, destination: (&str, &str)) -> String {
        format!(
            r#"{{"address": "aws_ecr_replication_configuration.{name}", "mode": "managed",
 "type": "aws_ecr_replication_configuration", "name": "{name}",
 "values": {{"region": "us-east-1", "registry_id": "{account}",
  "replication_configuration": [{{"rule": [{{"destination": [{{"region": "{}", "registry_id": "{}"}}],
   "repository_filter": [{{"filter": "prod", "filter_type": "PREFIX_MATCH"}}]}}]}}]}}}}"#,
            destination.0, destination.1
        )
    }

    #[test]
    fn the_check_across_files_reads_the_models_routes() {
        // Two configurations of a plan, each in its own account: the second
        // replicates within its account, which needs no grant.
        let plan = format!(
            r#"{{"format_version": "1.2", "planned_values": {{"root_module": {{"resources": [{}, {}]}}}}}}"#,
            planned("a", "111111111111", ("eu-west-1", "222222222222")),
            planned("b", "222222222222", ("us-west-2", "222222222222")),
        );
        let model = read_texts(&[("plan.json", &plan)]);
        let sources: Vec<_> = model.replications.iter().map(|r| r.source.shown()).collect();
        assert_eq!(sources, ["111111111111 in us-east-1", "222222222222 in us-east-1"]);
        let facts = &model.policy_members[0].facts;
        assert_eq!(facts.replications.len(), 2);
        for (replication, projected) in model.replications.iter().zip(&facts.replications) {
            assert_eq!(projected.source_account.as_deref(), replication.source.account.value());
            assert_eq!(projected.source_region.as_deref(), replication.source.region.value());
            // Each route is a destination of the model, at the same place,
            // by the same rule, with the same filters.
            let rule = &replication.rules[0];
            let d = &rule.destinations[0];
            let route = &projected.routes[0];
            assert_eq!(
                (
                    Some(&*route.account),
                    Some(&*route.region),
                    Some(route.span),
                    route.rule
                ),
                (
                    d.account.known.value(),
                    d.region.known.value(),
                    d.account.at.map(|a| a.span),
                    0
                )
            );
            let Filters::Prefixes(prefixes) = &projected.filters[0] else {
                panic!("a literal prefix: {:?}", projected.filters[0]);
            };
            let filter = &rule.filters.as_ref().unwrap()[0];
            assert_eq!(
                (Some(&*prefixes[0].text), prefixes[0].span),
                (filter.prefix.known.value(), filter.prefix.at.unwrap().span)
            );
        }
        let cross: Vec<Vec<&str>> = facts
            .replications
            .iter()
            .map(|r| r.destinations().map(|d| &*d.account).collect())
            .collect();
        assert_eq!(cross, [vec!["222222222222"], vec![]]);
    }

    #[test]
    fn a_filter_without_prefix_leaves_its_rule_not_known_across_files() {
        let text = r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "109876543210"}],
 "repositoryFilters": [{"filter": "prod", "filterType": "PREFIX_MATCH"}, {"filterType": "PREFIX_MATCH"}]}]}"#;
        let model = read_texts(&[("r.json", text)]);
        let rule = one_rule(&model);
        assert!(rule.filter_without_prefix);
        assert_eq!(rule.filters.as_ref().unwrap().len(), 1);
        let facts = &model.policy_members[0].facts;
        assert_eq!(facts.replications[0].filters, [Filters::NotKnown]);
    }

    #[test]
    fn open_texts_join_a_copy_of_the_model_and_say_where_they_are() {
        let disk = read_texts(&[(
            "repos.tf",
            "resource \"aws_ecr_repository\" \"a\" {\n  name = \"prod/api\"\n}\n",
        )]);
        let replication = r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "109876543210"}]}]}"#;
        let notes = read_texts(&[("notes.json", "{}")]);
        let read = read_texts(&[("r/replication.json", replication)]);
        let (model, indices) = disk.joined(&[&notes, &read]);
        // A text that says nothing the model holds has no file in it.
        assert_eq!(indices, [None, Some(1)]);
        assert_eq!(model.files[1].path, "r/replication.json");
        assert_eq!(model.replications[0].file, 1);
        // Read alone, the piece says file 0; joined, every place moves with it.
        assert_eq!(read.replications[0].file, 0);
        let at = |m: &Model| {
            m.replications[0].rules[0].destinations[0]
                .region
                .at
                .as_ref()
                .unwrap()
                .file
        };
        assert_eq!((at(&read), at(&model)), (0, 1));
        assert_eq!(model.repository_names(), ["prod/api"]);
        // The disk model itself is left as it was, for the next keystroke.
        assert!(disk.replications.is_empty() && disk.files.len() == 1);
    }
}
