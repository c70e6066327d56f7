//! Registry permissions policies: the typed view the ECR5xx rules read
//! (statements, their effect, principals, actions and resources, each with
//! its node), and what tells a registry policy from the other IAM policy
//! documents that are neighbours (repository policies, identity policies).
//!
//! IAM policy keys (`Version`, `Statement`, `Effect`, ...) are spelt the same
//! in every shape, CloudFormation's included, so there is one view for all.

use super::{dialect, Dialect, Scalar, Value};
use crate::syntax::{Member, Node};

pub mod evaluate;
pub mod terraform_document;

/// Which actions a registry's permissions policy may hold and where AWS
/// enforces it: the account setting `REGISTRY_POLICY_SCOPE` (Amazon ECR User
/// Guide, registry policy scope; read 2026-12-06). V2 is what registries are
/// created with now: every ECR action, enforced in every ECR request. V1, of
/// older registries: only the actions of `data/registry-policy.json`'s
/// `v1_actions`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PolicyScope {
    V1,
    #[default]
    V2,
}

impl PolicyScope {
    pub const ALL: [PolicyScope; 2] = [PolicyScope::V1, PolicyScope::V2];

    pub fn as_str(self) -> &'static str {
        match self {
            PolicyScope::V1 => "V1",
            PolicyScope::V2 => "V2",
        }
    }

    /// `V1` or `V2`, as AWS spells them.
    pub fn parse(s: &str) -> Option<PolicyScope> {
        PolicyScope::ALL.into_iter().find(|scope| scope.as_str() == s)
    }
}

/// A policy document: `{"Version": ..., "Statement": [...]}`.
pub struct Policy<'a> {
    pub node: &'a Node<'a>,
    pub statements: Vec<Statement<'a>>,
    /// How values are read: in Terraform a `${…}` string is known only at
    /// apply time (unknown, never an error).
    pub dialect: Dialect,
}

impl<'a> Policy<'a> {
    /// A value of the policy, read as its dialect reads it.
    pub fn scalar(&self, node: &'a Node<'a>) -> Scalar<'a> {
        scalar(node, self.dialect)
    }
}

/// A value read as `dialect` reads it: a Terraform expression (`${…}`) is
/// unknown, a template with literal parts is a template.
fn scalar<'a>(node: &'a Node<'a>, dialect: Dialect) -> Scalar<'a> {
    let resolved = match node.as_str() {
        Some(text) if dialect.reads_templates() && super::dialect::is_template(text) => {
            Some(match super::dialect::whole_expression(text) {
                Some(_) => Value::Dynamic,
                None => Value::Template(text),
            })
        }
        _ => None,
    };
    Scalar::new(node, false, resolved)
}

/// One statement, with the fields of the right type (the schema reports the
/// others). Values are [`Scalar`]s: in a template they may be functions.
pub struct Statement<'a> {
    pub node: &'a Node<'a>,
    pub effect: Option<Scalar<'a>>,
    /// The `Principal` member (its value is `"*"` or an object).
    pub principal: Option<&'a Member<'a>>,
    pub actions: Vec<Scalar<'a>>,
    pub resources: Vec<Scalar<'a>>,
    /// The `NotPrincipal` member: everyone but these (IAM rejects it with `Allow`).
    pub not_principal: Option<&'a Member<'a>>,
    /// `NotAction`: every action but these.
    pub not_actions: Vec<Scalar<'a>>,
    /// `NotResource`: every resource but these.
    pub not_resources: Vec<Scalar<'a>>,
    dialect: Dialect,
}

impl<'a> Statement<'a> {
    /// Whether the statement grants (`Effect: Allow`, or an effect not known statically).
    pub fn allows(&self) -> bool {
        !matches!(self.effect.map(|e| e.value()), Some(Value::Text(t)) if t != "Allow")
    }

    /// The principal values: `"*"` itself, or each string under `AWS`, with
    /// the key it sits under (`None` for a bare string).
    pub fn principals(&self) -> Vec<(Option<&'a str>, Scalar<'a>)> {
        self.principal
            .map_or_else(Vec::new, |p| principal_values(p, self.dialect))
    }

    /// The `NotPrincipal` values, as [`Statement::principals`] gives them.
    pub fn not_principals(&self) -> Vec<(Option<&'a str>, Scalar<'a>)> {
        self.not_principal
            .map_or_else(Vec::new, |p| principal_values(p, self.dialect))
    }
}

/// The values of a `Principal` or `NotPrincipal` member, with the key each
/// sits under (`None` for a bare string).
fn principal_values<'a>(p: &'a Member<'a>, dialect: Dialect) -> Vec<(Option<&'a str>, Scalar<'a>)> {
    match p.value.as_object() {
        Some(members) if p.value.dynamic().is_none() => members
            .iter()
            .flat_map(|m| {
                strings(&m.value, dialect)
                    .into_iter()
                    .map(move |s| (Some(m.key.as_ref()), s))
            })
            .collect(),
        _ => strings(&p.value, dialect).into_iter().map(|s| (None, s)).collect(),
    }
}

/// The string values of a string-or-list field (each `Fn::If` branch too);
/// other items are left to the schema.
fn strings<'a>(node: &'a Node<'a>, dialect: Dialect) -> Vec<Scalar<'a>> {
    let items: Vec<&'a Node<'a>> = match node.as_array() {
        Some(items) => items.iter().collect(),
        None => vec![node],
    };
    items
        .into_iter()
        .map(|node| scalar(node, dialect))
        .flat_map(|s| s.candidates())
        .filter(|s| matches!(s.node.kind, crate::syntax::NodeKind::String(_)) || s.node.dynamic().is_some())
        .collect()
}

/// The view of a policy object; `None` when it is not an object.
pub fn build<'a>(node: &'a Node<'a>) -> Option<Policy<'a>> {
    build_as(node, dialect::API)
}

/// The view of a policy object whose values `dialect` reads (Terraform's
/// `${…}` are unknown).
pub fn build_as<'a>(node: &'a Node<'a>, dialect: Dialect) -> Option<Policy<'a>> {
    node.as_object()?;
    if node.dynamic().is_some() {
        return None;
    }
    // Elements under a slip of their names are read as them (ECR102 reports
    // the slip), so fixing the name reveals no second wave of findings.
    let statements = match element(node, "Statement", POLICY_KEYS).map(|m| &m.value) {
        Some(list) if list.as_array().is_some() => list.as_array().unwrap_or_default().iter().collect(),
        Some(one) if one.as_object().is_some() && one.dynamic().is_none() => vec![one],
        _ => Vec::new(),
    };
    let statements = statements
        .into_iter()
        .filter(|n| n.as_object().is_some() && n.dynamic().is_none())
        .map(|node| statement(node, dialect))
        .collect();
    Some(Policy {
        node,
        statements,
        dialect,
    })
}

/// The view of a file that holds one statement instead of a policy (AWS
/// pages show statements alone as "the policy"): its root is the statement.
pub fn build_lone_statement<'a>(node: &'a Node<'a>) -> Option<Policy<'a>> {
    node.as_object()?;
    Some(Policy {
        node,
        statements: vec![statement(node, dialect::API)],
        dialect: dialect::API,
    })
}

/// The view of one statement object.
fn statement<'a>(node: &'a Node<'a>, dialect: Dialect) -> Statement<'a> {
    Statement {
        node,
        effect: element(node, "Effect", STATEMENT_KEYS)
            .filter(|m| m.value.as_str().is_some() || m.value.dynamic().is_some())
            .map(|m| scalar(&m.value, dialect)),
        principal: element(node, "Principal", STATEMENT_KEYS),
        actions: element(node, "Action", STATEMENT_KEYS)
            .map(|m| strings(&m.value, dialect))
            .unwrap_or_default(),
        resources: element(node, "Resource", STATEMENT_KEYS)
            .map(|m| strings(&m.value, dialect))
            .unwrap_or_default(),
        not_principal: element(node, "NotPrincipal", STATEMENT_KEYS),
        not_actions: element(node, "NotAction", STATEMENT_KEYS)
            .map(|m| strings(&m.value, dialect))
            .unwrap_or_default(),
        not_resources: element(node, "NotResource", STATEMENT_KEYS)
            .map(|m| strings(&m.value, dialect))
            .unwrap_or_default(),
        dialect,
    }
}

/// Whether an IAM policy document is a registry permissions policy rather
/// than a neighbour. The boundary: a statement names a principal (identity
/// policies have none) and either grants an action only registry policies
/// hold (`ecr:ReplicateImage`, `ecr:BatchImportUpstreamImage`, in any case
/// or within two slips) or has a repository ARN resource
/// (`arn:…:repository/…`, malformed ones included, as ECR502 reports them).
/// A repository policy (a principal, actions such as `ecr:BatchGetImage` or
/// `ecr:CreateRepository`, no resource: the repository is implied) and an
/// identity policy (no principal, whatever its actions and resources) stay
/// neighbours.
///
/// Each element is read under its name or the one slip of it (`Statment`,
/// `Principle`, `Resouce`), so a registry policy with a misspelt element is
/// linted, its slip reported, never passed over as a neighbour.
pub fn is_registry_policy(root: &Node) -> bool {
    // Asked of every file's root: a slip of `Statement` is looked for only
    // beside a policy's `Version` (the near-miss search costs far more).
    let statement = match root.get("Statement") {
        Some(statement) => statement,
        None if root.get("Version").is_some() => match element(root, "Statement", POLICY_KEYS) {
            Some(statement) => statement,
            None => return false,
        },
        None => return false,
    };
    let statements: Vec<&Node> = match statement.value.as_array() {
        Some(items) => items.iter().collect(),
        None => vec![&statement.value],
    };
    statements.iter().any(|s| is_registry_statement(s))
}

/// Whether a file holds one registry policy statement alone, without the
/// policy around it: no `Statement`, and the evidence of a registry grant.
pub fn is_lone_registry_statement(root: &Node) -> bool {
    // Asked of every file's root: only one with a statement's own keys is
    // weighed (the near-miss reading of its elements costs far more).
    let statement_keys =
        root.get("Effect").is_some() && (root.get("Action").is_some() || root.get("NotAction").is_some());
    statement_keys && root.get("Statement").is_none() && is_registry_statement(root)
}

/// The evidence that a statement belongs to a registry policy: it names a
/// principal and grants an action only registry policies hold, or has a
/// repository ARN resource (see [`is_registry_policy`]).
fn is_registry_statement(s: &Node) -> bool {
    // The allowed actions that other policies do not grant: not `ecr:*`,
    // and not `ecr:CreateRepository` (CI roles' identity policies hold it).
    let facts = &crate::facts::facts().registry_policy;
    let registry_only = facts
        .v1_actions
        .iter()
        .filter(|a| **a != facts.all_actions && **a != facts.create_repository_action);
    let texts = |key: &str| -> Vec<&str> {
        match element(s, key, STATEMENT_KEYS).map(|m| &m.value) {
            Some(n) => match n.as_array() {
                Some(items) => items.iter().filter_map(Node::as_str).collect(),
                None => n.as_str().into_iter().collect(),
            },
            None => Vec::new(),
        }
    };
    // Within two slips (`ecr:ReplicateImages`), so that a misspelt
    // registry policy is linted (ECR501), never passed over.
    let actions = texts("Action");
    let action = registry_only.into_iter().any(|r| {
        let r = r.to_ascii_lowercase();
        actions.iter().any(|a| {
            let a = a.trim().to_ascii_lowercase();
            crate::text::edit_distance_within(&a, &r, 2).is_some()
        })
    });
    let repository_resource = texts("Resource").iter().chain(&texts("NotResource")).any(|r| {
        let r = r.to_ascii_lowercase();
        r.starts_with("arn:") && r.contains(":repository")
    });
    // Identity policies have no principal; a registry policy always names
    // one (`NotPrincipal` too, which IAM allows only with `Deny`).
    let principal =
        element(s, "Principal", STATEMENT_KEYS).is_some() || element(s, "NotPrincipal", STATEMENT_KEYS).is_some();
    principal && (action || repository_resource)
}

/// The elements of a policy document and of a statement (IAM's grammar).
const POLICY_KEYS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// The element `key` of a policy object, or the one key that is a slip of
/// it among `keys` (the schema reports the slip).
fn element<'a>(node: &'a Node<'a>, key: &str, keys: &[&str]) -> Option<&'a Member<'a>> {
    super::build::list_member(node, key, keys)
}

/// A well-formed repository ARN, `arn:<partition>:ecr:<region>:<account>:repository/<name>`.
/// Region and account may be wildcards (`*`), which IAM allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepositoryArn<'s> {
    pub partition: &'s str,
    pub region: &'s str,
    pub account: &'s str,
}

/// What a `Resource` value is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArnReading<'s> {
    /// `*`: every resource.
    Everything,
    Repository(RepositoryArn<'s>),
    Malformed {
        /// What is wrong, as a clause ("it has no service `ecr`").
        problem: String,
        /// The ARN it was meant to be, when every part can be told.
        corrected: Option<String>,
    },
}

fn is_wildcard(part: &str) -> bool {
    part.contains(['*', '?'])
}

fn is_account(part: &str) -> bool {
    part.len() == 12 && part.bytes().all(|b| b.is_ascii_digit())
}

/// Whether an ARN's resource part names repositories: `repository/<name>`,
/// or a wildcard that can stand for that (`*`, `repository*`; IAM's `*`
/// runs across `/`), not a typo of it (`repo/*`, `repositories/x`).
fn names_repositories(resource: &str, prefix: &str) -> bool {
    match resource.find(['*', '?']) {
        Some(wild) => {
            let literal = &resource[..wild];
            literal.starts_with(prefix) || prefix.starts_with(literal)
        }
        None => resource.starts_with(prefix) && resource.len() > prefix.len(),
    }
}

/// Reads a repository ARN of a registry policy's `Resource`.
pub fn read_repository_arn(text: &str) -> ArnReading<'_> {
    if text == "*" {
        return ArnReading::Everything;
    }
    let facts = crate::facts::facts();
    let rp = &facts.registry_policy;
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    let problem = match parts.as_slice() {
        ["arn", partition, service, region, account, resource] => {
            let known_partition = facts.partition(partition);
            let region_partition = facts.region(region).map(|(p, _)| p.id.as_str());
            if known_partition.is_none() {
                format!("`{partition}` is not a partition (`aws`, `aws-cn`, `aws-us-gov`, ...)")
            } else if *service != rp.resource_service {
                format!("its service is `{service}`, not `{}`", rp.resource_service)
            } else if !is_wildcard(region) && region_partition.is_none() {
                format!("`{region}` is not a known Region")
            } else if region_partition.is_some_and(|p| p != *partition) {
                format!(
                    "Region `{region}` is in partition `{}`, not `{partition}`",
                    region_partition.unwrap_or_default()
                )
            } else if !is_wildcard(account) && !is_account(account) {
                format!("`{account}` is not a 12-digit account ID")
            } else if !names_repositories(resource, &rp.resource_prefix) {
                format!(
                    "its resource `{resource}` does not start with `{}` and a repository name (or `*`)",
                    rp.resource_prefix
                )
            } else {
                return ArnReading::Repository(RepositoryArn {
                    partition,
                    region,
                    account,
                });
            }
        }
        _ if !text.starts_with("arn:") => "it does not start with `arn:`".to_string(),
        _ => {
            let missing = if !parts.contains(&rp.resource_service.as_str()) {
                format!("it has no service `{}`", rp.resource_service)
            } else {
                "it does not have the six parts of an ARN".to_string()
            };
            format!("{missing} (`arn:<partition>:ecr:<region>:<account>:repository/<name>`)")
        }
    };
    ArnReading::Malformed {
        problem,
        corrected: correct_arn(text).filter(|c| c != text),
    }
}

/// The repository ARN a malformed one was meant to be: its Region and
/// account found among its parts (the partition is the Region's, the
/// service `ecr`), and what follows the account as the repository.
fn correct_arn(text: &str) -> Option<String> {
    let facts = crate::facts::facts();
    let rp = &facts.registry_policy;
    let parts: Vec<&str> = text.split(':').collect();
    let region_at = parts
        .iter()
        .position(|p| facts.region(&p.to_ascii_lowercase()).is_some())?;
    let region = parts[region_at].to_ascii_lowercase();
    let account_at = region_at + 1 + parts[region_at + 1..].iter().position(|p| is_account(p))?;
    let partition = facts.region(&region)?.0.id.clone();
    let rest = parts[account_at + 1..].join(":");
    let prefix = rp.resource_prefix.trim_end_matches('/');
    // `repository/x`, `repository:x`, `repositories/x`, `repo/x`, `x`: the name is what follows.
    let name = match rest.split_once(['/', ':']) {
        Some((kind, name))
            if kind.eq_ignore_ascii_case(prefix)
                || prefix.starts_with(&kind.to_ascii_lowercase())
                || kind.eq_ignore_ascii_case("repositories") =>
        {
            name.to_string()
        }
        _ if rest.is_empty() => "*".to_string(),
        _ => rest,
    };
    let name = if name.is_empty() { "*".to_string() } else { name };
    Some(format!(
        "arn:{partition}:{}:{region}:{}:{}{name}",
        rp.resource_service, parts[account_at], rp.resource_prefix
    ))
}

/// What a principal value (a string under `AWS`, or a bare string) is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrincipalReading<'s> {
    /// `*`: everyone.
    Everyone,
    /// An account: its 12-digit ID, or `arn:<partition>:iam::<id>:root`.
    Account(&'s str),
    /// An IAM user, role or session of an account.
    IamPrincipal(&'s str),
    Invalid(String),
}

/// Reads a principal of a registry policy.
pub fn read_principal(text: &str) -> PrincipalReading<'_> {
    let facts = crate::facts::facts();
    let rp = &facts.registry_policy;
    if text == "*" {
        return PrincipalReading::Everyone;
    }
    if is_account(text) {
        return PrincipalReading::Account(text);
    }
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", partition, service, "", account, resource] if facts.partition(partition).is_some() => {
            if !is_account(account) {
                return PrincipalReading::Invalid(format!("`{account}` is not a 12-digit account ID"));
            }
            if *service == rp.principal_service && *resource == rp.account_principal_resource {
                return PrincipalReading::Account(account);
            }
            let iam_kind = resource.split('/').next().unwrap_or_default();
            let iam = *service == rp.principal_service && matches!(iam_kind, "user" | "role") && resource.contains('/');
            let sts =
                *service == "sts" && matches!(iam_kind, "assumed-role" | "federated-user") && resource.contains('/');
            if iam || sts {
                return PrincipalReading::IamPrincipal(account);
            }
            PrincipalReading::Invalid(format!(
                "`{service}:{resource}` is neither an account (`iam::<id>:root`) nor an IAM user or role"
            ))
        }
        ["arn", partition, ..] if facts.partition(partition).is_none() => PrincipalReading::Invalid(format!(
            "`{partition}` is not a partition (`aws`, `aws-cn`, `aws-us-gov`, ...)"
        )),
        ["arn", _, service, region, ..] if *service == rp.principal_service && !region.is_empty() => {
            PrincipalReading::Invalid(format!(
                "IAM ARNs have no Region (`{region}`): `arn:<partition>:iam::<account>:root`"
            ))
        }
        ["arn", ..] => PrincipalReading::Invalid(
            "it is not an IAM ARN of the form `arn:<partition>:iam::<account>:root`".to_string(),
        ),
        _ if text.bytes().all(|b| b.is_ascii_digit()) => {
            PrincipalReading::Invalid(format!("it has {} digits; account IDs have exactly 12", text.len()))
        }
        _ => PrincipalReading::Invalid("it is neither a 12-digit account ID nor an IAM ARN".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_arns_are_read_and_malformed_ones_corrected() {
        assert_eq!(
            read_repository_arn("arn:aws:ecr:us-west-2:109876543210:repository/*"),
            ArnReading::Repository(RepositoryArn {
                partition: "aws",
                region: "us-west-2",
                account: "109876543210"
            })
        );
        assert_eq!(read_repository_arn("*"), ArnReading::Everything);
        // IAM's `*` runs across `/`: these cover every repository of the account.
        for covering in [
            "arn:aws:ecr:us-west-2:109876543210:*",
            "arn:aws:ecr:us-west-2:109876543210:repository*",
            "arn:aws:ecr:*:*:*",
        ] {
            assert!(
                matches!(read_repository_arn(covering), ArnReading::Repository(_)),
                "{covering}"
            );
        }
        let corrected = |t: &str| match read_repository_arn(t) {
            ArnReading::Malformed { corrected, .. } => corrected,
            other => panic!("{t} read as {other:?}"),
        };
        let good = Some("arn:aws:ecr:us-east-2:109876543210:repository/*".to_string());
        assert_eq!(corrected("arn:aws:us-east-2:109876543210:repository/*"), good);
        assert_eq!(corrected("arn:aws:ecs:us-east-2:109876543210:repository/*"), good);
        assert_eq!(corrected("arn:aws-cn:ecr:us-east-2:109876543210:repository/*"), good);
        assert_eq!(corrected("arn:aws:ecr:us-east-2:109876543210:repositories/*"), good);
        assert_eq!(corrected("arn:ecr:us-east-2:109876543210:repository/*"), good);
        assert_eq!(
            corrected("arn:aws:ecr:us-east-2:109876543210:repo/prod"),
            Some("arn:aws:ecr:us-east-2:109876543210:repository/prod".to_string())
        );
        // No account to be found: no guess.
        assert_eq!(corrected("arn:aws:ecr:us-east-2:10987654321:repository/*"), None);
    }

    #[test]
    fn principals_are_accounts_iam_principals_or_invalid() {
        assert_eq!(
            read_principal("210987654321"),
            PrincipalReading::Account("210987654321")
        );
        assert_eq!(
            read_principal("arn:aws:iam::210987654321:root"),
            PrincipalReading::Account("210987654321")
        );
        assert_eq!(
            read_principal("arn:aws:iam::210987654321:role/replicator"),
            PrincipalReading::IamPrincipal("210987654321")
        );
        assert_eq!(read_principal("*"), PrincipalReading::Everyone);
        for bad in [
            "arn:aws:iam:us-east-1:210987654321:root",
            "21098765432",
            "ecr.amazonaws.com",
            "arn:aws:iam::210987654321:policy/x",
        ] {
            assert!(matches!(read_principal(bad), PrincipalReading::Invalid(_)), "{bad}");
        }
    }
}
