//! ECR507 missing-create-repository: the destination's registry policy
//! grants replication but not `ecr:CreateRepository`. Produced by the check
//! across files, with ECR506 ([`super::missing_replication_grant`]).

rule_meta!(
    "ECR507",
    "missing-create-repository",
    super::Level::WARNING,
    "The destination's registry policy grants replication but not repository creation.",
    resources: ReplicationAndRegistryPolicies,
    scope: Workspace,
    fix: None,
);
