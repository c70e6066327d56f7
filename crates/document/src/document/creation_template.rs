//! Repository creation templates: the typed view of one template (each
//! field with its span, wrong types left out for the schema to report) and
//! how a root is recognised as one. The fields, their bounds and enums are in
//! `schemas/repository-creation-template.schema.json`.

use super::dialect::{scalar_value, Dialect, KeyCase};
use super::Scalar;
use crate::syntax::{Member, Node};

/// A template's keys in one dialect's spelling.
pub struct TemplateKeys {
    pub prefix: &'static str,
    pub applied_for: &'static str,
    pub encryption_configuration: &'static str,
    pub encryption_type: &'static str,
    pub kms_key: &'static str,
    pub custom_role_arn: &'static str,
    pub resource_tags: &'static str,
    pub repository_policy: &'static str,
    pub lifecycle_policy: &'static str,
    pub image_tag_mutability: &'static str,
}

pub const API_TEMPLATE_KEYS: TemplateKeys = TemplateKeys {
    prefix: "prefix",
    applied_for: "appliedFor",
    encryption_configuration: "encryptionConfiguration",
    encryption_type: "encryptionType",
    kms_key: "kmsKey",
    custom_role_arn: "customRoleArn",
    resource_tags: "resourceTags",
    repository_policy: "repositoryPolicy",
    lifecycle_policy: "lifecyclePolicy",
    image_tag_mutability: "imageTagMutability",
};

/// `AWS::ECR::RepositoryCreationTemplate`'s spelling.
pub const CFN_TEMPLATE_KEYS: TemplateKeys = TemplateKeys {
    prefix: "Prefix",
    applied_for: "AppliedFor",
    encryption_configuration: "EncryptionConfiguration",
    encryption_type: "EncryptionType",
    kms_key: "KmsKey",
    custom_role_arn: "CustomRoleArn",
    resource_tags: "ResourceTags",
    repository_policy: "RepositoryPolicy",
    lifecycle_policy: "LifecyclePolicy",
    image_tag_mutability: "ImageTagMutability",
};

/// `aws_ecr_repository_creation_template`'s spelling.
pub const TF_TEMPLATE_KEYS: TemplateKeys = TemplateKeys {
    prefix: "prefix",
    applied_for: "applied_for",
    encryption_configuration: "encryption_configuration",
    encryption_type: "encryption_type",
    kms_key: "kms_key",
    custom_role_arn: "custom_role_arn",
    resource_tags: "resource_tags",
    repository_policy: "repository_policy",
    lifecycle_policy: "lifecycle_policy",
    image_tag_mutability: "image_tag_mutability",
};

/// The keys of `dialect`'s spelling.
pub fn keys_for(dialect: Dialect) -> &'static TemplateKeys {
    match dialect.key_case {
        KeyCase::Camel => &API_TEMPLATE_KEYS,
        KeyCase::Pascal => &CFN_TEMPLATE_KEYS,
        KeyCase::Snake => &TF_TEMPLATE_KEYS,
    }
}

/// One repository creation template, as written.
pub struct CreationTemplate<'a> {
    pub node: &'a Node<'a>,
    pub dialect: Dialect,
    pub keys: &'static TemplateKeys,
    pub prefix: Option<Scalar<'a>>,
    /// The `appliedFor` values of the right type.
    pub applied_for: Vec<Scalar<'a>>,
    pub encryption_type: Option<Scalar<'a>>,
    pub kms_key: Option<Scalar<'a>>,
    pub custom_role_arn: Option<Scalar<'a>>,
    /// The `resourceTags` member, when it holds at least one tag.
    pub resource_tags: Option<&'a Member<'a>>,
    pub repository_policy: Option<Scalar<'a>>,
    pub lifecycle_policy: Option<Scalar<'a>>,
    pub image_tag_mutability: Option<Scalar<'a>>,
    /// The Region the template is created in, where the document says so.
    pub region: Option<Scalar<'a>>,
}

impl<'a> CreationTemplate<'a> {
    /// The template written at `node` (an object) in `dialect`.
    pub fn build(node: &'a Node<'a>, dialect: Dialect) -> CreationTemplate<'a> {
        let keys = keys_for(dialect);
        let scalar = |parent: &'a Node<'a>, key: &str| -> Option<Scalar<'a>> {
            let m = parent.get(key)?;
            let as_text = dialect.reads_scalars_as_text;
            scalar_value(&m.value, as_text)?;
            Some(Scalar::new(&m.value, as_text, None))
        };
        // An object, or Terraform's block (a list of one body).
        let object = |parent: &'a Node<'a>, key: &str| -> Option<&'a Node<'a>> {
            let value = &parent.get(key)?.value;
            match value.as_array() {
                Some([body]) => Some(body),
                Some(_) => None,
                None => value.as_object().map(|_| value),
            }
        };
        let encryption = object(node, keys.encryption_configuration);
        let applied_for = node
            .get(keys.applied_for)
            .and_then(|m| m.value.as_array())
            .unwrap_or_default()
            .iter()
            .filter(|n| scalar_value(n, dialect.reads_scalars_as_text).is_some())
            .map(|n| Scalar::new(n, dialect.reads_scalars_as_text, None))
            .collect();
        let has_items = |m: &&Member| {
            m.value.as_array().is_some_and(|a| !a.is_empty()) || m.value.as_object().is_some_and(|o| !o.is_empty())
        };
        CreationTemplate {
            node,
            dialect,
            keys,
            prefix: scalar(node, keys.prefix),
            applied_for,
            encryption_type: encryption.and_then(|e| scalar(e, keys.encryption_type)),
            kms_key: encryption.and_then(|e| scalar(e, keys.kms_key)),
            custom_role_arn: scalar(node, keys.custom_role_arn),
            resource_tags: node.get(keys.resource_tags).filter(has_items),
            repository_policy: scalar(node, keys.repository_policy),
            lifecycle_policy: scalar(node, keys.lifecycle_policy),
            image_tag_mutability: scalar(node, keys.image_tag_mutability),
            region: None,
        }
    }

    /// Whether the template applies to repositories replication creates.
    pub fn applies_to_replication(&self) -> bool {
        let replication = &crate::facts::repository_settings()
            .creation_template
            .applied_for_replication;
        self.applied_for.iter().any(|s| s.text() == Some(replication))
    }
}

/// The keys only a template (as the API spells it) has, `prefix` aside.
const OWN_KEYS: &[&str] = &[
    "appliedFor",
    "customRoleArn",
    "encryptionConfiguration",
    "imageTagMutability",
    "imageTagMutabilityExclusionFilters",
    "lifecyclePolicy",
    "repositoryPolicy",
    "resourceTags",
];

/// Keys that name a template alone: no neighbour has them, near spellings included.
const TELLING_KEYS: &[&str] = &["appliedFor", "customRoleArn"];

/// Whether a root is a create- or update-repository-creation-template
/// input, read leniently: a key that is (a slip of) `appliedFor` or
/// `customRoleArn`, or `prefix` beside another key of a template (a
/// `create-repository` input has no `prefix`, a pull-through cache rule
/// spells it `ecrRepositoryPrefix`).
pub fn is_template_input(root: &Node) -> bool {
    let Some(members) = root.as_object() else {
        return false;
    };
    let near = |key: &str, words: &[&'static str]| crate::text::nearest(key, words.iter().copied()).is_some();
    if members.iter().any(|m| near(&m.key, TELLING_KEYS)) {
        return true;
    }
    members.iter().any(|m| m.key == "prefix") && members.iter().any(|m| near(&m.key, OWN_KEYS))
}

/// The top-level member that is (a slip of) `word`, among the response keys.
pub fn response_member<'a>(root: &'a Node<'a>, word: &str) -> Option<&'a Member<'a>> {
    const RESPONSE_KEYS: &[&str] = &["repositoryCreationTemplate", "repositoryCreationTemplates"];
    root.as_object()?
        .iter()
        .find(|m| m.key == word || crate::text::nearest(&m.key, RESPONSE_KEYS.iter().copied()) == Some(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> crate::syntax::Node<'_> {
        crate::syntax::json::parse(text.as_bytes()).unwrap()
    }

    #[test]
    fn inputs_are_recognised_by_their_own_keys_and_slips_of_them() {
        for ours in [
            r#"{"prefix": "prod", "appliedFor": ["REPLICATION"]}"#,
            r#"{"prefix": "prod", "appliedfor": ["REPLICATION"]}"#,
            r#"{"prefix": "prod", "imageTagMutability": "IMMUTABLE"}"#,
            r#"{"customRoleARN": "arn:aws:iam::109876543210:role/ecr"}"#,
        ] {
            assert!(is_template_input(&parse(ours)), "{ours}");
        }
        for neighbour in [
            r#"{"repositoryName": "prod/api", "imageTagMutability": "IMMUTABLE"}"#,
            r#"{"ecrRepositoryPrefix": "hub", "upstreamRegistryUrl": "registry-1.docker.io"}"#,
            r#"{"prefix": "logs/", "bucket": "b"}"#,
        ] {
            assert!(!is_template_input(&parse(neighbour)), "{neighbour}");
        }
    }

    #[test]
    fn the_view_reads_fields_of_the_right_type() {
        let text = r#"{"prefix": "prod", "appliedFor": ["REPLICATION", 3], "encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": "alias/x"}, "resourceTags": [], "customRoleArn": 1}"#;
        let root = parse(text);
        let t = CreationTemplate::build(&root, crate::document::dialect::API);
        assert_eq!(t.prefix.and_then(|s| s.text()), Some("prod"));
        assert_eq!(t.applied_for.len(), 1);
        assert!(t.applies_to_replication());
        assert_eq!(t.encryption_type.and_then(|s| s.text()), Some("KMS"));
        assert_eq!(t.kms_key.and_then(|s| s.text()), Some("alias/x"));
        assert!(t.resource_tags.is_none(), "no tags in an empty list");
        assert!(t.custom_role_arn.is_none(), "a number is the schema's to report");
    }

    #[test]
    fn the_template_facts_load_and_name_known_partitions() {
        let facts = crate::facts::template_facts();
        let dsse = facts.partitions_for("KMS_DSSE").unwrap();
        assert_eq!(dsse, ["aws-us-gov"]);
        assert!(dsse.iter().all(|p| crate::facts::facts().partition(p).is_some()));
        assert!(facts.partitions_for("KMS").is_none());
        let arn = crate::facts::KmsKeyArn::parse("arn:aws-us-gov:kms:us-gov-west-1:109876543210:key/ab-12").unwrap();
        assert_eq!(
            (arn.partition, arn.region, arn.account),
            ("aws-us-gov", "us-gov-west-1", "109876543210")
        );
        for not_a_key in ["alias/x", "arn:aws:kms:us-west-2:109876543210:alias/x", "", "ab-12"] {
            assert!(crate::facts::KmsKeyArn::parse(not_a_key).is_none(), "{not_a_key}");
        }
    }
}
