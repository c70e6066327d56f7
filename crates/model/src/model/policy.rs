//! Registry policies in the model: per policy, whose registry it is, the
//! statements that may allow it (grants) and its `Deny` statements. The one
//! reading of a policy: the workspace rules (ECR506–ECR508) and the review's
//! routes and topology ask the same grants.
//!
//! Which policy is a destination's: the one whose registry is the
//! destination account, in the destination Region. A policy's registry is
//! what its file says (get-registry-policy's `registryId`), else the
//! `[destination]` of the `.ecrlint.toml` governing it, else the one account
//! its repository ARNs name; its Region likewise (`[destination] region`, or
//! the one Region its ARNs name; none known: any Region).

use crate::document::policy::{
    evaluate, read_principal, read_repository_arn, ArnReading, PrincipalReading, RepositoryArn,
};
use crate::document::Document;
use crate::settings::Settings;
use crate::syntax::Span;

/// Registry policies, as a kind: the policies of a document, the account
/// settings that scope them and a module's policy inputs; a document of a
/// policy's shape is one even when nothing of it reads as a policy (its
/// length, a statement saved alone).
pub static KIND: super::kind::Kind = super::kind::Kind {
    name: "registry-policy",
    held: |doc| {
        !doc.policies.is_empty()
            || !doc.policy_resources.is_empty()
            || !doc.account_settings.is_empty()
            || !doc.ignored_policies.is_empty()
            || std::ptr::eq(doc.shape.schema, &crate::document::shapes::POLICY_SCHEMA)
    },
    schema: None,
};

/// A registry permissions policy, and whose registry it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryPolicy {
    pub account: Option<String>,
    pub region: Option<String>,
    /// Where a label points: the `Statement` key (or the policy's start).
    pub span: Span,
    pub grants: Vec<Grant>,
    /// Its `Deny` statements: one that surely applies removes a grant.
    pub denials: Vec<Denial>,
}

/// A statement of a registry policy that may allow (`Allow`, or an effect
/// not known statically).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub statement: evaluate::Statement,
    /// Accounts named as principals (IDs, `:root` ARNs, IAM principals' accounts).
    pub accounts: Vec<(String, Span)>,
    /// Its actions may include `ecr:ReplicateImage`.
    pub replicate: bool,
    /// Some resource is a malformed ARN (ECR502), which grants nothing.
    pub malformed_resource: bool,
    pub span: Span,
    pub pointer: String,
}

/// A `Deny` statement of a registry policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Denial {
    pub statement: evaluate::Statement,
    /// Its `Effect` value, where a label points.
    pub effect: Span,
}

impl RegistryPolicy {
    /// Moves every span of the policy (read in another text) by `map`.
    pub fn map_spans(&mut self, mut map: impl FnMut(Span) -> Span) {
        let RegistryPolicy {
            account: _,
            region: _,
            span,
            grants,
            denials,
        } = self;
        *span = map(*span);
        for g in grants.iter_mut() {
            g.span = map(g.span);
            for (_, s) in &mut g.accounts {
                *s = map(*s);
            }
        }
        for d in denials.iter_mut() {
            d.effect = map(d.effect);
        }
    }
}

/// The registry policies a document holds, each with whose registry it is.
pub fn read(doc: &Document, settings: &Settings) -> Vec<RegistryPolicy> {
    let rp = &crate::facts::facts().registry_policy;
    let mut policies = Vec::new();
    for policy in &doc.policies {
        let mut grants = Vec::new();
        let mut denials = Vec::new();
        let mut arn_parts: Vec<(Option<String>, Option<String>)> = Vec::new();
        for statement in &policy.statements {
            let evaluated = evaluate::Statement::read(statement);
            if !statement.allows() {
                if let (evaluate::Effect::Deny, Some(effect)) = (evaluated.effect, statement.effect) {
                    denials.push(Denial {
                        statement: evaluated,
                        effect: effect.span(),
                    });
                }
                continue;
            }
            // Whose registry this is: what the ARNs of its grants name (a
            // malformed one by the ARN it was meant to be).
            let mut malformed_resource = false;
            let parts = |arn: &RepositoryArn| {
                let part = |p: &str| (!p.contains(['*', '?'])).then(|| p.to_string());
                (part(arn.region), part(arn.account))
            };
            for r in &statement.resources {
                match r.text().map(read_repository_arn) {
                    Some(ArnReading::Repository(arn)) => arn_parts.push(parts(&arn)),
                    Some(ArnReading::Malformed { corrected, .. }) => {
                        malformed_resource = true;
                        if let Some(ArnReading::Repository(arn)) = corrected.as_deref().map(read_repository_arn) {
                            arn_parts.push(parts(&arn));
                        }
                    }
                    Some(ArnReading::Everything) | None => {}
                }
            }
            let accounts = statement
                .principals()
                .into_iter()
                .filter_map(|(_, p)| match p.text().map(read_principal) {
                    Some(PrincipalReading::Account(a) | PrincipalReading::IamPrincipal(a)) => {
                        Some((a.to_string(), p.span()))
                    }
                    _ => None,
                })
                .collect();
            grants.push(Grant {
                replicate: evaluated.may_name_action(&rp.replication_action),
                statement: evaluated,
                accounts,
                malformed_resource,
                span: statement.node.span,
                pointer: doc.root.pointer_at(statement.node.span).to_string(),
            });
        }
        let one = |values: Vec<Option<String>>| {
            let mut known: Vec<String> = values.into_iter().flatten().collect();
            known.sort();
            known.dedup();
            (known.len() == 1).then(|| known.remove(0))
        };
        let account = doc
            .policy_registry
            .and_then(|s| s.text())
            .map(str::to_string)
            .or_else(|| settings.destination_registry.clone())
            .or_else(|| one(arn_parts.iter().map(|(_, a)| a.clone()).collect()));
        let region = settings
            .destination_region
            .clone()
            .or_else(|| one(arn_parts.iter().map(|(r, _)| r.clone()).collect()));
        let span = policy
            .node
            .as_object()
            .and_then(|ms| ms.iter().find(|m| m.key == "Statement"))
            .map_or(Span::new(policy.node.span.start, policy.node.span.start + 1), |m| {
                m.key_span
            });
        policies.push(RegistryPolicy {
            account,
            region,
            span,
            grants,
            denials,
        });
    }
    policies
}
