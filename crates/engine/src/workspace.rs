//! The workspace rules' runner: after every file is linted, each rule of
//! scope [`Scope::Workspace`](crate::rules::Scope) runs once over the index
//! of every file's facts ([`crate::crosscheck`]), and its findings go to the
//! files they are in. A function of those facts alone, so the command line
//! and a language server (over its workspace) can both call it.

use crate::crosscheck::{FileFacts, Member, Set};
use crate::diagnostic::Diagnostic;
use crate::rules::{Check, RULES};
use crate::settings::Settings;
use crate::syntax::Span;

/// What the check across files found.
#[derive(Default)]
pub struct Findings {
    /// Each finding with the index of the file it belongs to.
    pub diagnostics: Vec<(usize, Diagnostic)>,
    /// Destinations (file index, span) whose registry policy was checked:
    /// ECR312's reminder that they need one is answered there (by ECR506
    /// when the grant is missing), so it is dropped. One problem, one finding.
    pub answered: Vec<(usize, Span)>,
}

impl Findings {
    /// Drops from file `i`'s findings the reminders the check answered.
    pub fn drop_answered(&self, i: usize, diagnostics: &mut Vec<Diagnostic>) {
        let code = crate::rules::cross_account::META.code;
        diagnostics.retain(|d| d.code != code || !self.answered.contains(&(i, d.span)));
    }

    /// Gives file `i` the findings the check made in it (`extra`, at the
    /// levels `settings` give, in order with its own) and drops the
    /// reminders the check answered.
    pub fn add_to(&self, i: usize, diagnostics: &mut Vec<Diagnostic>, extra: Vec<Diagnostic>, settings: &Settings) {
        self.drop_answered(i, diagnostics);
        if !extra.is_empty() {
            let mut all = std::mem::take(diagnostics);
            all.extend(extra);
            *diagnostics = crate::lint::settle(all, settings);
        }
    }
}

/// Whether the check across files can find anything in these files: not
/// without a registry policy, a repository or a creation template, a file
/// whose settings require policies or templates (among `requiring`, the
/// files whose findings are wanted), or two configurations of known
/// sources (a chain). The command line and the server skip it otherwise.
pub fn can_find<'f, E>(requiring: impl IntoIterator<Item = &'f FileFacts>, every: E) -> bool
where
    E: IntoIterator<Item = &'f FileFacts> + Clone,
{
    requiring
        .into_iter()
        .any(|facts| facts.require_policies || facts.require_templates)
        || every
            .clone()
            .into_iter()
            .any(|facts| !facts.policies.is_empty() || !facts.repositories.is_empty() || !facts.templates.is_empty())
        || every
            .into_iter()
            .flat_map(|facts| &facts.replications)
            .filter(|r| r.source_account.is_some() && !r.routes.is_empty())
            .nth(1)
            .is_some()
}

/// The findings across files.
pub fn check(members: &[Member]) -> Findings {
    let called;
    let members = if members.iter().any(|m| !m.facts.followed_modules.is_empty()) {
        called = without_called_modules_policies(members);
        &called[..]
    } else {
        members
    };
    let set = Set::new(members);
    let mut out = Vec::new();
    for rule in RULES {
        if let Check::Workspace(check) = rule.check {
            check(&set, &mut out);
        }
    }
    with_pointers(members, &mut out);
    // The destinations whose registry policy the check read.
    let mut answered = Vec::new();
    for (i, m) in members.iter().enumerate() {
        for replication in &m.facts.replications {
            for d in replication.destinations() {
                if m.facts.require_policies || !set.policies_for(&d.account, &d.region).is_empty() {
                    answered.push((i, d.span));
                }
            }
        }
    }
    Findings {
        diagnostics: out,
        answered,
    }
}

/// The members, the registry policies of the files of a local module
/// folder that another member follows left out: a module's resource is
/// deployed once per call, with the caller's inputs (the caller's facts
/// hold those policies), never as written with its variables unset.
fn without_called_modules_policies(members: &[Member]) -> Vec<Member> {
    let called: std::collections::HashSet<&std::path::Path> = members
        .iter()
        .flat_map(|m| m.facts.followed_modules.iter())
        .map(|p| p.as_path())
        .collect();
    members
        .iter()
        .map(|m| {
            let mut m = Member {
                facts: m.facts.clone(),
                file: m.file.clone(),
            };
            if !m.facts.policies.is_empty() && m.facts.folder.as_deref().is_some_and(|f| called.contains(f.as_path())) {
                m.facts.policies.clear();
            }
            m
        })
        .collect()
}

/// The JSON pointer of each finding that has none (at a filter or a
/// destination: the facts leave them out), from its file parsed again: once per file with such a
/// finding, which is few.
fn with_pointers(members: &[Member], found: &mut [(usize, Diagnostic)]) {
    let mut parsed: std::collections::HashMap<usize, Option<crate::syntax::Node>> = Default::default();
    for (i, d) in found.iter_mut().filter(|(_, d)| d.pointer.is_empty()) {
        let file = &members[*i].file;
        let root = parsed.entry(*i).or_insert_with(|| {
            let bytes = file.text.as_bytes();
            let format = crate::syntax::ReadAs::for_path(std::path::Path::new(&file.path)).resolve(bytes)?;
            format.parse(bytes).ok()
        });
        if let Some(root) = root {
            d.pointer = root.pointer_at(d.span).to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crosscheck::file_facts;
    use crate::diagnostic::OtherFile;
    use crate::syntax::{ReadAs, SourceFormat};
    use std::sync::Arc;

    fn member(text: &str, settings: &Settings) -> Member {
        Member {
            facts: file_facts(text, ReadAs::Format(SourceFormat::Json), settings),
            file: Arc::new(OtherFile {
                path: "f.json".into(),
                path_bytes: None,
                text: text.into(),
            }),
        }
    }

    fn codes(files: &[(&str, Settings)]) -> Vec<(usize, &'static str)> {
        let members: Vec<Member> = files.iter().map(|(t, s)| member(t, s)).collect();
        let mut found: Vec<(usize, &str)> = check(&members).diagnostics.iter().map(|(i, d)| (*i, d.code)).collect();
        found.sort();
        found
    }

    const CONFIG: &str = r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "109876543210"}]}]}"#;

    fn policy(principal: &str, action: &str, resource: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": "{principal}"}}, "Action": {action}, "Resource": "{resource}"}}]}}"#
        )
    }

    fn source() -> Settings {
        Settings {
            source_registry: Some("210987654321".into()),
            ..Settings::default()
        }
    }

    #[test]
    fn a_grant_to_the_source_in_the_destination_region_is_enough() {
        let good = policy(
            "arn:aws:iam::210987654321:root",
            r#"["ecr:ReplicateImage", "ecr:CreateRepository"]"#,
            "arn:aws:ecr:us-west-2:109876543210:repository/*",
        );
        assert_eq!(codes(&[(CONFIG, source()), (&good, Settings::default())]), []);
        // `ecr:*`, and an account ID principal, count too (ECR505 is per file).
        let broad = policy(
            "210987654321",
            r#""ecr:*""#,
            "arn:aws:ecr:us-west-2:109876543210:repository/*",
        );
        assert_eq!(codes(&[(CONFIG, source()), (&broad, Settings::default())]), []);
    }

    #[test]
    fn a_policy_of_another_region_is_not_this_destinations() {
        // A policy whose ARNs name us-east-2 belongs to that Region's registry:
        // the us-west-2 destination has no policy in the set, so nothing is said.
        let other = policy(
            "arn:aws:iam::310987654321:root",
            r#"["ecr:ReplicateImage"]"#,
            "arn:aws:ecr:us-east-2:109876543210:repository/*",
        );
        let found = codes(&[(CONFIG, source()), (&other, Settings::default())]);
        // ...but its grant to another account is stale.
        assert_eq!(found, [(1, "ECR508")]);
    }

    #[test]
    fn without_a_known_source_any_accounts_grant_counts() {
        let other = policy(
            "arn:aws:iam::310987654321:root",
            r#"["ecr:ReplicateImage", "ecr:CreateRepository"]"#,
            "arn:aws:ecr:us-west-2:109876543210:repository/*",
        );
        assert_eq!(
            codes(&[(CONFIG, Settings::default()), (&other, Settings::default())]),
            []
        );
        // With the source known, it is the wrong account: missing, and stale.
        assert_eq!(
            codes(&[(CONFIG, source()), (&other, Settings::default())]),
            [(0, "ECR506"), (1, "ECR508")]
        );
    }

    #[test]
    fn destination_settings_name_a_policy_whose_arns_do_not() {
        let wildcard = policy("arn:aws:iam::210987654321:root", r#"["ecr:ReplicateImage"]"#, "*");
        // Nothing says whose policy it is: not this destination's (and its
        // grant to the source may be used, so it is not stale either).
        assert_eq!(codes(&[(CONFIG, source()), (&wildcard, Settings::default())]), []);
        let mapped = Settings {
            destination_registry: Some("109876543210".into()),
            destination_region: Some("us-west-2".into()),
            ..Settings::default()
        };
        assert_eq!(codes(&[(CONFIG, source()), (&wildcard, mapped)]), [(0, "ECR507")]);
    }

    fn with_statements(statements: &str) -> String {
        format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#)
    }

    const GRANT: &str = r#"{"Effect": "Allow", "Principal": {"AWS": "210987654321"}, "Action": ["ecr:ReplicateImage", "ecr:CreateRepository"], "Resource": "arn:aws:ecr:us-west-2:109876543210:repository/*"}"#;

    #[test]
    fn a_deny_that_surely_applies_removes_the_grant() {
        let denied = |deny: &str| {
            codes(&[
                (CONFIG, source()),
                (&with_statements(&format!("{GRANT}, {deny}")), Settings::default()),
            ])
        };
        assert_eq!(
            denied(r#"{"Effect": "Deny", "Principal": "*", "Action": "ecr:*", "Resource": "*"}"#),
            [(0, "ECR506")]
        );
        // NotPrincipal leaving out another account, NotResource of another Region.
        assert_eq!(
            denied(
                r#"{"Effect": "Deny", "NotPrincipal": {"AWS": "310987654321"}, "Action": "ecr:CreateRepository", "NotResource": "arn:aws:ecr:eu-west-1:109876543210:repository/*"}"#
            ),
            [(0, "ECR507")]
        );
        // A Condition, another action, another Region, a principal known
        // only at deploy time: the Deny may not apply, the grant stands.
        for deny in [
            r#"{"Effect": "Deny", "Principal": "*", "Action": "ecr:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}"#,
            r#"{"Effect": "Deny", "Principal": "*", "Action": "ecr:BatchImportUpstreamImage", "Resource": "*"}"#,
            r#"{"Effect": "Deny", "Principal": "*", "Action": "ecr:*", "Resource": "arn:aws:ecr:eu-west-1:109876543210:repository/*"}"#,
            r#"{"Effect": "Deny", "Principal": {"AWS": {"Ref": "Denied"}}, "Action": "ecr:*", "Resource": "*"}"#,
        ] {
            assert_eq!(denied(deny), [], "{deny}");
        }
    }

    #[test]
    fn not_action_with_allow_grants_what_it_leaves_in() {
        let policy = |not_action: &str| {
            with_statements(&format!(
                r#"{{"Effect": "Allow", "Principal": {{"AWS": "210987654321"}}, "NotAction": {not_action}, "Resource": "arn:aws:ecr:us-west-2:109876543210:repository/*"}}"#
            ))
        };
        let found = |p: String| codes(&[(CONFIG, source()), (&p, Settings::default())]);
        assert_eq!(found(policy(r#"["ecr:DeleteRepository"]"#)), []);
        assert_eq!(found(policy(r#"["ecr:CreateRepository"]"#)), [(0, "ECR507")]);
        assert_eq!(found(policy(r#""ecr:*""#)), [(0, "ECR506")]);
    }

    #[test]
    fn labels_in_other_files_carry_that_file() {
        let missing = policy(
            "arn:aws:iam::210987654321:root",
            r#"["ecr:CreateRepository"]"#,
            "arn:aws:ecr:us-west-2:109876543210:repository/*",
        );
        let members = [member(CONFIG, &source()), member(&missing, &Settings::default())];
        let found = check(&members);
        let (i, d) = &found.diagnostics[0];
        assert_eq!((*i, d.code), (0, "ECR506"));
        let label = &d.labels[0];
        let file = label.file.as_ref().expect("in the policy's file");
        assert_eq!(&file.text[label.span.start..label.span.end], "\"Statement\"");
        assert_eq!(found.answered, [(0, d.span)]);
    }

    /// A CloudFormation template (JSON) with a replication configuration to
    /// `destinations` (Region, account) filtered by `filters`, and `repositories`
    /// (name, tag mutability, encryption type). Without destinations, a
    /// destination registry's: its registry policy lets the source replicate
    /// (a file of repositories alone is not read).
    fn template(destinations: &[(&str, &str)], filters: &[&str], repositories: &[(&str, &str, &str)]) -> String {
        let mut resources = Vec::new();
        if destinations.is_empty() {
            resources.push(format!(
                r#""Policy": {{"Type": "AWS::ECR::RegistryPolicy", "Properties": {{"PolicyText": {}}}}}"#,
                policy(
                    "arn:aws:iam::210987654321:root",
                    r#"["ecr:ReplicateImage", "ecr:CreateRepository"]"#,
                    "*"
                )
            ));
        } else {
            let destinations: Vec<String> = destinations
                .iter()
                .map(|(r, a)| format!(r#"{{"Region": "{r}", "RegistryId": "{a}"}}"#))
                .collect();
            let filters: Vec<String> = filters
                .iter()
                .map(|f| format!(r#"{{"Filter": "{f}", "FilterType": "PREFIX_MATCH"}}"#))
                .collect();
            resources.push(format!(
                r#""Replication": {{"Type": "AWS::ECR::ReplicationConfiguration", "Properties": {{"ReplicationConfiguration": {{"Rules": [{{"Destinations": [{}], "RepositoryFilters": [{}]}}]}}}}}}"#,
                destinations.join(", "),
                filters.join(", ")
            ));
        }
        for (i, (name, mutability, encryption)) in repositories.iter().enumerate() {
            let mut properties = vec![format!(r#""RepositoryName": "{name}""#)];
            if !mutability.is_empty() {
                properties.push(format!(r#""ImageTagMutability": "{mutability}""#));
            }
            if !encryption.is_empty() {
                properties.push(format!(
                    r#""EncryptionConfiguration": {{"EncryptionType": "{encryption}"}}"#
                ));
            }
            resources.push(format!(
                r#""Repository{i}": {{"Type": "AWS::ECR::Repository", "Properties": {{{}}}}}"#,
                properties.join(", ")
            ));
        }
        format!(r#"{{"Resources": {{{}}}}}"#, resources.join(", "))
    }

    fn registry(account: &str, region: &str) -> Settings {
        Settings {
            source_registry: Some(account.into()),
            source_region: Some(region.into()),
            ..Settings::default()
        }
    }

    fn destination(account: &str, region: &str) -> Settings {
        Settings {
            destination_registry: Some(account.into()),
            destination_region: Some(region.into()),
            ..Settings::default()
        }
    }

    const SOURCE: &str = "210987654321";
    const PROD: &str = "109876543210";

    #[test]
    fn repositories_are_in_their_files_registry() {
        let source = template(&[("us-west-2", PROD)], &["prod/"], &[("prod/api", "", "")]);
        let facts = file_facts(
            &source,
            ReadAs::Format(SourceFormat::Json),
            &registry(SOURCE, "us-east-1"),
        );
        let repository = &facts.repositories[0];
        assert_eq!(
            (repository.account.as_deref(), repository.region.as_deref()),
            (Some(SOURCE), Some("us-east-1"))
        );
        // Not written: the defaults, from data/repository.json.
        assert_eq!(
            (repository.tag_mutability(), repository.encryption()),
            ("MUTABLE", "AES256")
        );
        // A file without a configuration: the [destination] its settings name.
        let pre_created = template(&[], &[], &[("prod/api", "IMMUTABLE", "KMS")]);
        let facts = file_facts(
            &pre_created,
            ReadAs::Format(SourceFormat::Json),
            &destination(PROD, "us-west-2"),
        );
        let repository = &facts.repositories[0];
        assert_eq!(repository.account.as_deref(), Some(PROD));
        assert_eq!(
            (repository.tag_mutability(), repository.encryption()),
            ("IMMUTABLE", "KMS")
        );
    }

    #[test]
    fn what_arrives_is_the_pre_created_repository_of_that_registry_else_the_defaults() {
        let files = [
            template(&[("us-west-2", PROD)], &["prod/"], &[("prod/api", "", "")]),
            template(&[], &[], &[("prod/api", "IMMUTABLE", "")]),
        ];
        let members = [
            member(&files[0], &registry(SOURCE, "us-east-1")),
            member(&files[1], &destination(PROD, "us-west-2")),
        ];
        let set = Set::new(&members);
        let arrival = set.arrival(PROD, "us-west-2", "prod/api");
        assert!(matches!(
            arrival,
            crate::crosscheck::Arrival::PreCreated { file: 1, .. }
        ));
        assert_eq!(arrival.tag_mutability(), Some("IMMUTABLE"));
        // Another Region, another name: created by replication, with the defaults.
        for (region, name) in [("eu-west-1", "prod/api"), ("us-west-2", "prod/web")] {
            let arrival = set.arrival(PROD, region, name);
            assert_eq!(arrival, crate::crosscheck::Arrival::Created);
            assert_eq!(
                (arrival.tag_mutability(), arrival.encryption()),
                (Some("MUTABLE"), Some("AES256"))
            );
        }
    }

    #[test]
    fn a_repository_replication_creates_gets_the_longest_covering_template_else_roots() {
        let templates = r#"{"registryId": "109876543210", "repositoryCreationTemplates": [
            {"prefix": "prod", "appliedFor": ["REPLICATION"], "imageTagMutability": "IMMUTABLE"},
            {"prefix": "prod/team", "appliedFor": ["REPLICATION"], "encryptionConfiguration": {"encryptionType": "KMS"}},
            {"prefix": "ROOT", "appliedFor": ["REPLICATION"], "imageTagMutability": "MUTABLE_WITH_EXCLUSION"},
            {"prefix": "cache", "appliedFor": ["PULL_THROUGH_CACHE"], "imageTagMutability": "IMMUTABLE"}]}"#;
        let members = [member(templates, &destination(PROD, "us-west-2"))];
        let set = Set::new(&members);
        let prefix = |name: &str| match set.arrival(PROD, "us-west-2", name) {
            crate::crosscheck::Arrival::Template { template, .. } => template.prefix.clone(),
            other => panic!("{name}: {other:?}"),
        };
        assert_eq!(prefix("prod/api").as_deref(), Some("prod"));
        assert_eq!(prefix("prod/team/api").as_deref(), Some("prod/team"));
        // The implied `/`: neither `prod` itself nor `production-api` is in `prod`.
        assert_eq!(prefix("prod").as_deref(), Some("ROOT"));
        assert_eq!(prefix("production-api").as_deref(), Some("ROOT"));
        // A template not for REPLICATION never applies to what replication creates.
        assert_eq!(prefix("cache/x").as_deref(), Some("ROOT"));
        let arrival = set.arrival(PROD, "us-west-2", "prod/team/api");
        assert_eq!(
            (arrival.tag_mutability(), arrival.encryption()),
            (Some("MUTABLE"), Some("KMS"))
        );
        // Another Region: no template there.
        assert_eq!(
            set.arrival(PROD, "eu-west-1", "prod/api"),
            crate::crosscheck::Arrival::Created
        );
        // A prefix known only at deploy time: what applies is not known.
        let dynamic = r#"{"Parameters": {"Prefix": {"Type": "String"}}, "Resources": {"Template": {
            "Type": "AWS::ECR::RepositoryCreationTemplate",
            "Properties": {"Prefix": {"Ref": "Prefix"}, "AppliedFor": ["REPLICATION"]}}}}"#;
        let members = [member(dynamic, &destination(PROD, "us-west-2"))];
        let set = Set::new(&members);
        assert_eq!(
            set.arrival(PROD, "us-west-2", "prod/api"),
            crate::crosscheck::Arrival::NotKnown
        );
    }

    fn codes_of(files: &[(String, Settings)]) -> Vec<(usize, &'static str)> {
        let files: Vec<(&str, Settings)> = files.iter().map(|(t, s)| (t.as_str(), s.clone())).collect();
        codes(&files)
    }

    #[test]
    fn moved_tags_and_encryption_are_reported_only_for_repositories_the_filters_take() {
        let destination_files = |source_filter: &str| {
            vec![
                (
                    template(
                        &[("us-west-2", PROD)],
                        &[source_filter],
                        &[("prod/api", "MUTABLE", "KMS")],
                    ),
                    registry(SOURCE, "us-east-1"),
                ),
                (
                    template(&[], &[], &[("prod/api", "IMMUTABLE", "AES256")]),
                    destination(PROD, "us-west-2"),
                ),
            ]
        };
        assert_eq!(codes_of(&destination_files("prod/")), [(0, "ECR703"), (0, "ECR704")]);
        // `dev/` does not take `prod/api`: nothing replicates it.
        assert_eq!(codes_of(&destination_files("dev/")), []);
        // The same repository pre-created in another account: not this destination's.
        let elsewhere = vec![
            destination_files("prod/").remove(0),
            (
                template(&[], &[], &[("prod/api", "IMMUTABLE", "AES256")]),
                destination("111987654321", "us-west-2"),
            ),
        ];
        // (Its grant to the source is unused.)
        assert_eq!(codes_of(&elsewhere), [(1, "ECR508")]);
    }

    #[test]
    fn a_chain_is_reported_on_the_second_link_unless_it_leads_back_or_takes_other_names() {
        let chain = |back: &str, region: &str, filter: &str| {
            vec![
                (
                    template(&[("us-west-2", PROD)], &["prod/"], &[]),
                    registry(SOURCE, "us-east-1"),
                ),
                (template(&[(region, back)], &[filter], &[]), registry(PROD, "us-west-2")),
            ]
        };
        assert_eq!(codes_of(&chain("111987654321", "eu-west-1", "prod/")), [(1, "ECR701")]);
        // Back to the first registry: its images are there already.
        assert_eq!(codes_of(&chain(SOURCE, "us-east-1", "prod/")), []);
        // Filters that take no common name: the chain carries nothing of A's.
        assert_eq!(codes_of(&chain("111987654321", "eu-west-1", "dev/")), []);
    }

    #[test]
    fn a_filter_is_over_matching_only_beside_its_namespace() {
        let source = |names: &[&str]| {
            let repositories: Vec<(&str, &str, &str)> = names.iter().map(|n| (*n, "", "")).collect();
            vec![(
                template(&[("eu-west-1", SOURCE)], &["prod"], &repositories),
                registry(SOURCE, "us-east-1"),
            )]
        };
        assert_eq!(codes_of(&source(&["prod/api", "production-api"])), [(0, "ECR702")]);
        // Only the namespace, only other names, or the prefix itself: nothing to tell apart.
        for names in [
            &["prod/api", "prod/web"][..],
            &["production-api"],
            &["prod", "prod/api"],
        ] {
            assert_eq!(codes_of(&source(names)), [], "{names:?}");
        }
    }
}
